"""Writes about organisations, memberships and invitations."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import ApplicationError

from .context import tenant_context
from .models import Invitation, Membership, Organization, Role
from .signals import organization_created
from .tokens import token_new

logger = logging.getLogger(__name__)


def _next_organization_id() -> int:
    # The organisation row is itself under row-level security (policy on `id`), so its id is
    # drawn first and the row is inserted inside its own tenant context.
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('tenancy_organization', 'id'))")
        return int(cursor.fetchone()[0])


@transaction.atomic
def organization_create(*, name: str, admin_user, currency: str = "USD") -> Organization:
    """Create a tenant with `admin_user` as its first admin, and let apps seed their defaults."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("Name the organisation.", extra={"organization_name": ["Required."]})
    organization_id = _next_organization_id()
    with tenant_context(organization_id):
        organization = Organization.objects.create(id=organization_id, name=name, currency=currency)
        Membership.objects.create(user=admin_user, role=Role.ADMIN)
        organization_created.send(
            sender=Organization, organization=organization, created_by=admin_user
        )
    return organization


def membership_set_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; an organisation always keeps at least one admin."""
    if role not in Role.values:
        raise ApplicationError("Unknown role.", extra={"role": [f"Choose one of {Role.values}."]})
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        if Membership.objects.filter(role=Role.ADMIN).exclude(id=membership.id).count() == 0:
            raise ApplicationError("The organisation needs at least one admin.")
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN and Membership.objects.filter(role=Role.ADMIN).count() <= 1:
        raise ApplicationError("The organisation needs at least one admin.")
    membership.delete()


def invitation_create(*, email: str, role: str, invited_by) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link; returns it with the one-time token."""
    email = (email or "").strip().lower()
    if Membership.objects.filter(user__email__iexact=email).exists():
        raise ApplicationError(
            "That person is already a member.", extra={"email": ["Already a member."]}
        )
    from .context import require_organization_id

    token, token_hash = token_new(require_organization_id())
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    transaction.on_commit(
        lambda: send_mail(
            "You are invited to Breakeven",
            f"{invited_by} invited you to join their team on Breakeven.\n\n"
            f"Accept: {link}\n\nThe link expires in {settings.INVITATION_TTL_DAYS} days.",
            None,
            [email],
        )
    )
    return invitation, token


def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Turn an invitation into a membership (inside the invitation's tenant context)."""
    now = timezone.now()
    if invitation.revoked_at or invitation.accepted_at or invitation.expires_at <= now:
        raise ApplicationError("This invitation is no longer valid.")
    if invitation.email.lower() != user.email.lower():
        raise ApplicationError("This invitation was sent to another e-mail address.")
    membership, _ = Membership.objects.get_or_create(user=user, defaults={"role": invitation.role})
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
