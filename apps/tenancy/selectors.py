"""Reads about organisations and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

from .models import Invitation, Membership, Organization
from .tokens import hashes_equal, token_parse


@dataclass(frozen=True)
class OrganizationChoice:
    id: int
    name: str
    role: str


def user_organizations(*, user_id: int) -> list[OrganizationChoice]:
    """Every organisation the user belongs to, across tenants.

    This is the one read that must cross tenants (to list a user's organisations before one is
    chosen). It goes through a SECURITY DEFINER function that returns only the caller-named
    user's memberships, rather than giving the runtime role a way around row-level security.
    """
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT * FROM breakeven_user_organizations(%s)", [user_id])
        return [OrganizationChoice(*row) for row in cursor.fetchall()]


def membership_for_user(*, user_id: int) -> Membership | None:
    """The user's membership in the active tenant, or None."""
    return Membership.objects.select_related("organization", "user").filter(user_id=user_id).first()


def membership_list() -> QuerySet[Membership]:
    return Membership.objects.select_related("user").order_by("user__email")


def invitation_list_pending() -> QuerySet[Invitation]:
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by(
        "-created_at"
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation the token names, looked up inside its tenant. Caller opens the context."""
    parsed = token_parse(token)
    if parsed is None:
        return None
    invitation = Invitation.objects.filter(token_hash=parsed.secret_hash).first()
    if invitation is None or not hashes_equal(invitation.token_hash, parsed.secret_hash):
        return None
    return invitation


def organization_current(*, organization_id: int) -> Organization | None:
    return Organization.objects.filter(id=organization_id).first()
