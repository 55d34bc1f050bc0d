"""Sign-up, API tokens and other account writes."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.tenancy.context import require_organization_id
from apps.tenancy.models import Organization
from apps.tenancy.services import organization_create
from apps.tenancy.tokens import token_new

from .models import ApiToken, User


def user_create(*, email: str, password: str, full_name: str) -> User:
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(
            "An account with this e-mail already exists.",
            extra={"email": ["An account with this e-mail already exists. Sign in instead."]},
        )
    candidate = User(email=email, full_name=full_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ApplicationError(
            "Choose a stronger password.", extra={"password": exc.messages}
        ) from exc
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, full_name=full_name)
    except IntegrityError as exc:  # a concurrent sign-up with the same e-mail
        raise ApplicationError(
            "An account with this e-mail already exists.",
            extra={"email": ["An account with this e-mail already exists. Sign in instead."]},
        ) from exc


@transaction.atomic
def signup(
    *, email: str, password: str, full_name: str, organization_name: str
) -> tuple[User, Organization]:
    """Create a user and their organisation with them as admin, all or nothing."""
    user = user_create(email=email, password=password, full_name=full_name)
    organization = organization_create(name=organization_name, admin_user=user)
    return user, organization


def api_token_create(*, user: User, name: str = "API token") -> tuple[ApiToken, str]:
    """A new token for `user` in the active tenant; the clear token is returned once."""
    token, token_hash = token_new(require_organization_id())
    api_token = ApiToken.objects.create(user=user, name=name, token_hash=token_hash)
    return api_token, token


def api_token_touch(*, api_token: ApiToken) -> None:
    ApiToken.objects.filter(id=api_token.id).update(last_used_at=timezone.now())
