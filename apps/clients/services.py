"""Writes of client accounts and contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.tenancy.models import Membership

from .models import Client, ClientStatus, Contact

CLIENT_LIMITS = {"name": 200, "industry": 100, "website": 300, "address": 2000, "notes": 10000}
CONTACT_LIMITS = {"name": 200, "role": 100, "email": 254, "phone": 50}


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if not isinstance(value, str):
        return None
    return value.strip()


def _clean_text_fields(
    data: dict[str, Any], limits: dict[str, int], errors: dict[str, list[str]]
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, limit in limits.items():
        if key not in data:
            continue
        value = _text(data[key])
        if value is None:
            errors[key] = ["Enter text."]
        elif len(value) > limit:
            errors[key] = [f"At most {limit} characters."]
        else:
            clean[key] = value
    return clean


def _normalise_website(value: str) -> str:
    if value and "://" not in value:
        return f"https://{value}"
    return value


def client_validate(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Check client fields (shared by the form, the API and the CSV import)."""
    errors: dict[str, list[str]] = {}
    clean = _clean_text_fields(data, CLIENT_LIMITS, errors)
    if ("name" in data or not partial) and not clean.get("name") and "name" not in errors:
        errors["name"] = ["This field is required."]
    if clean.get("website"):
        clean["website"] = _normalise_website(clean["website"])
        try:
            URLValidator(schemes=["http", "https"])(clean["website"])
        except ValidationError:
            errors["website"] = ["Enter a valid web address."]
    if "status" in data:
        if data["status"] not in ClientStatus.values:
            errors["status"] = [f"Choose one of {', '.join(ClientStatus.values)}."]
        else:
            clean["status"] = data["status"]
    if "owner" in data:
        owner = data["owner"]
        owner_id = getattr(owner, "id", owner)
        if owner_id in (None, ""):
            clean["owner_id"] = None
        elif (
            isinstance(owner_id, bool)
            or not isinstance(owner_id, int)
            or not (Membership.objects.filter(user_id=owner_id).exists())
        ):
            errors["owner"] = ["Choose a member of your organisation."]
        else:
            clean["owner_id"] = owner_id
    if errors:
        raise ApplicationError("The client is not valid.", extra=errors)
    return clean


def contact_validate(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean = _clean_text_fields(data, CONTACT_LIMITS, errors)
    if ("name" in data or not partial) and not clean.get("name") and "name" not in errors:
        errors["name"] = ["This field is required."]
    if clean.get("email"):
        clean["email"] = clean["email"].lower()
        try:
            EmailValidator()(clean["email"])
        except ValidationError:
            errors["email"] = ["Enter a valid e-mail address."]
    if errors:
        raise ApplicationError("The contact is not valid.", extra=errors)
    return clean


@transaction.atomic
def client_create(*, user, **data: Any) -> Client:
    """Create a client account; the creator owns it unless an owner is given."""
    data.setdefault("owner", getattr(user, "id", None))
    clean = client_validate(data, partial=False)
    return Client.objects.create(**clean)


@transaction.atomic
def client_update(*, client: Client, user, **data: Any) -> Client:
    clean = client_validate(data, partial=True)
    for key, value in clean.items():
        setattr(client, key, value)
    client.save()
    return client


def client_is_referenced(client: Client) -> bool:
    """Does anything besides its contacts refer to the client (assessments, analyses…)?"""
    for relation in client._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or not relation.is_relation:
            continue
        if relation.related_model is Contact:
            continue
        accessor = relation.related_model._base_manager.filter(**{relation.field.name: client})
        if accessor.exists():
            return True
    return False


@transaction.atomic
def client_archive(*, client: Client, user=None) -> Client:
    if client.archived_at is None:
        client.archived_at = timezone.now()
        client.save(update_fields=["archived_at", "updated_at"])
    return client


@transaction.atomic
def client_restore(*, client: Client, user=None) -> Client:
    if client.archived_at is not None:
        client.archived_at = None
        client.save(update_fields=["archived_at", "updated_at"])
    return client


@transaction.atomic
def client_delete(*, client: Client, user=None) -> bool:
    """Delete a client nobody refers to; archive it otherwise. Returns True when deleted."""
    if client_is_referenced(client):
        client_archive(client=client, user=user)
        return False
    client.delete()
    return True


@transaction.atomic
def contact_create(*, client: Client, user=None, **data: Any) -> Contact:
    clean = contact_validate(data, partial=False)
    return Contact.objects.create(client=client, **clean)


@transaction.atomic
def contact_update(*, contact: Contact, user=None, **data: Any) -> Contact:
    clean = contact_validate(data, partial=True)
    for key, value in clean.items():
        setattr(contact, key, value)
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, user=None) -> None:
    contact.delete()
