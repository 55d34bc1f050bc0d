"""Reads of client accounts and contacts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from apps.tenancy.models import Membership

from .models import Client, Contact


def client_list(
    *,
    q: str | None = None,
    owner_id: int | None = None,
    status: str | None = None,
    archived: bool = False,
) -> QuerySet[Client]:
    """Clients matching a search and filters, with owner and counts loaded (no N+1)."""
    queryset = Client.objects.select_related("owner").annotate(
        contact_count=Count("contacts", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    )
    # GROUP BY queries ignore Meta.ordering: order explicitly for stable pages.
    queryset = queryset.filter(archived_at__isnull=not archived).order_by("name", "id")
    if q:
        q = q.strip()
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(industry__icontains=q)
            | Q(contacts__name__icontains=q)
            | Q(contacts__email__icontains=q)
        ).distinct()
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def client_get(*, client_id: int) -> Client | None:
    return Client.objects.select_related("owner").filter(id=client_id).first()


def contact_list(*, client_id: int | None = None) -> QuerySet[Contact]:
    queryset = Contact.objects.select_related("client")
    if client_id is not None:
        queryset = queryset.filter(client_id=client_id)
    return queryset


def contact_get(*, contact_id: int, client_id: int | None = None) -> Contact | None:
    queryset = Contact.objects.filter(id=contact_id)
    if client_id is not None:
        queryset = queryset.filter(client_id=client_id)
    return queryset.first()


def client_owner_choices() -> list[tuple[int, str]]:
    """Members who can own a client: (user id, name)."""
    return [
        (m.user_id, m.user.full_name or m.user.email)
        for m in Membership.objects.select_related("user").order_by("user__full_name")
    ]
