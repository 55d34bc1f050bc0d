"""Reads of the proposals app."""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Count, Max, QuerySet

from apps.tenancy.context import require_organization_id

from .models import (
    Branding,
    Proposal,
    ProposalDecision,
    ProposalDocument,
    ProposalView,
    ShareLink,
)


def branding_get() -> Branding:
    """The active organisation's branding; an unsaved default when none was saved yet."""
    branding = Branding.objects.filter().first()
    if branding is None:
        branding = Branding(organization_id=require_organization_id())
    return branding


def proposal_list(*, status: str | None = None, client_id: int | None = None) -> QuerySet[Proposal]:
    """Proposals of the organisation, newest first, without their (large) snapshots."""
    queryset = Proposal.objects.defer("snapshot").order_by("-created_at", "-id")
    if status:
        queryset = queryset.filter(status=status)
    if client_id:
        queryset = queryset.filter(client_id=client_id)
    return queryset


def proposal_get(*, proposal_id: int) -> Proposal | None:
    return Proposal.objects.select_related("created_by").filter(id=proposal_id).first()


def proposal_versions(*, proposal: Proposal) -> list[Proposal]:
    return list(
        Proposal.objects.defer("snapshot").filter(series=proposal.series).order_by("version")
    )


def _with_view_counts(queryset: QuerySet[ShareLink]) -> QuerySet[ShareLink]:
    return queryset.annotate(view_count=Count("views"), last_viewed_at=Max("views__viewed_at"))


def share_link_list(*, proposal: Proposal) -> QuerySet[ShareLink]:
    """The proposal's links with how often and when they were last opened."""
    return _with_view_counts(ShareLink.objects.filter(proposal=proposal)).order_by(
        "-created_at", "-id"
    )


def share_link_list_all(*, proposal_id: int | None = None) -> QuerySet[ShareLink]:
    queryset = _with_view_counts(ShareLink.objects.all()).order_by("-created_at", "-id")
    if proposal_id:
        queryset = queryset.filter(proposal_id=proposal_id)
    return queryset


def share_link_get(*, share_link_id: int, proposal: Proposal | None = None) -> ShareLink | None:
    queryset = _with_view_counts(ShareLink.objects.filter(id=share_link_id))
    if proposal is not None:
        queryset = queryset.filter(proposal=proposal)
    return queryset.first()


# What the share page reads of a link and its proposal. The snapshot (tens of kilobytes of
# JSON) is not among them: it loads only when the cached render is cold.
_LINK_FIELDS = ("id", "organization_id", "proposal_id", "label", "pin_hash", "expires_at",
                "revoked_at")  # fmt: skip
_PROPOSAL_FIELDS = ("id", "organization_id", "status", "valid_until", "content_hash", "title",
                    "client_name", "version", "currency", "tier_name", "savings_pv",
                    "monthly_fee", "payback_month", "first_viewed_at",
                    "created_by_id")  # fmt: skip


def _columns(model: type, wanted: tuple[str, ...]) -> list:
    # In concrete-field order, which is what Model.from_db expects.
    return [f for f in model._meta.concrete_fields if f.attname in wanted]


@functools.cache
def _link_query() -> tuple[str, list[str], list[str]]:
    link_fields = _columns(ShareLink, _LINK_FIELDS)
    proposal_fields = _columns(Proposal, _PROPOSAL_FIELDS)
    qn = connection.ops.quote_name
    select = [f"l.{qn(f.column)}" for f in link_fields]
    select += [f"p.{qn(f.column)}" for f in proposal_fields]
    # Identifiers come from the model metadata; the values are query parameters.
    sql = (
        f"SELECT {', '.join(select)} FROM {qn(ShareLink._meta.db_table)} l "  # noqa: S608
        f"JOIN {qn(Proposal._meta.db_table)} p "
        "ON p.id = l.proposal_id AND p.organization_id = l.organization_id "
        "WHERE l.organization_id = %s AND l.token_hash = %s LIMIT 1"
    )
    return sql, [f.attname for f in link_fields], [f.attname for f in proposal_fields]


def share_link_by_hash(*, secret_hash: str) -> ShareLink | None:
    """The active tenant's link with this token hash, with its proposal; None if unknown.

    This is the hot path of every share-page view, so it is one hand-written indexed query
    (the ORM spent about a millisecond of CPU compiling the join): explicitly filtered by the
    active tenant like every query, and under row-level security like every query.
    """
    sql, link_names, proposal_names = _link_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [require_organization_id(), secret_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(link_names)
    link = ShareLink.from_db("default", link_names, row[:n])
    link.proposal = Proposal.from_db("default", proposal_names, row[n:])
    return link


def proposal_view_list(*, proposal: Proposal, limit: int = 200) -> list[ProposalView]:
    return list(
        ProposalView.objects.filter(proposal=proposal).order_by("-viewed_at", "-id")[:limit]
    )


def proposal_decision(*, proposal: Proposal) -> ProposalDecision | None:
    return ProposalDecision.objects.filter(proposal=proposal).first()


def proposal_document_ready(*, proposal: Proposal, kind: str) -> ProposalDocument | None:
    """The newest stored PDF of this kind for the proposal's current content."""
    return (
        ProposalDocument.objects.filter(proposal=proposal, kind=kind, rendered_at__isnull=False)
        .order_by("-rendered_at", "-id")
        .first()
    )


def proposal_document_latest(*, proposal: Proposal) -> ProposalDocument | None:
    return (
        ProposalDocument.objects.select_related("job")
        .filter(proposal=proposal)
        .order_by("-created_at", "-id")
        .first()
    )
