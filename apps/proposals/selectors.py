"""Reads of the proposals app."""

from __future__ import annotations

from django.db.models import QuerySet

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


def share_link_list(*, proposal: Proposal) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(proposal=proposal).order_by("-created_at", "-id")


def share_link_list_all(*, proposal_id: int | None = None) -> QuerySet[ShareLink]:
    queryset = ShareLink.objects.order_by("-created_at", "-id")
    if proposal_id:
        queryset = queryset.filter(proposal_id=proposal_id)
    return queryset


def share_link_get(*, share_link_id: int, proposal: Proposal | None = None) -> ShareLink | None:
    queryset = ShareLink.objects.filter(id=share_link_id)
    if proposal is not None:
        queryset = queryset.filter(proposal=proposal)
    return queryset.first()


def share_link_by_hash(*, secret_hash: str) -> ShareLink | None:
    """The active tenant's link with this token hash (RLS and the scoped manager see no other).

    The proposal comes along without its snapshot: the page is served from the cached render,
    and the snapshot loads only when that cache is cold.
    """
    return (
        ShareLink.objects.select_related("proposal")
        .defer("proposal__snapshot")
        .filter(token_hash=secret_hash)
        .first()
    )


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
