"""Test helpers: finished analyses and proposals built through the real services."""

from __future__ import annotations

from typing import Any

from apps.tenancy.testing import TenantWorld


def make_analyses(
    world: TenantWorld,
    *,
    answers: dict[str, Any] | None = None,
    tiers: list[str] | None = None,
    trials: int = 1000,
    client: Any = None,
) -> list[Any]:
    """Finished analyses (one per tier, run in-process) of a complete assessment.

    Standard only unless `tiers` names others.
    """
    from apps.pricing.models import PricingTier
    from apps.tco.models import Analysis
    from apps.tco.services import analysis_request, analysis_run
    from apps.tco.testing import make_assessment

    assessment = make_assessment(world, answers=answers, client=client)
    with world.context():
        by_name = {t.name: t for t in PricingTier.objects.all()}
        chosen = [by_name[name] for name in tiers or ["Standard"]]
        analyses = analysis_request(
            assessment=assessment, user=world.salesperson, tiers=chosen, trials=trials
        )
    for analysis in analyses:
        analysis_run(
            analysis_id=analysis.id, organization_id=world.id, progress=lambda *a, **k: None
        )
    with world.context():
        related = ("client", "pricing_tier_version", "assessment_version", "assumption_set_version")
        return [Analysis.objects.select_related(*related).get(id=a.id) for a in analyses]


def make_proposal(world: TenantWorld, *, tiers: list[str] | None = None, **kwargs: Any):
    """A draft proposal from a finished analysis (the first tier recommended)."""
    from .services import proposal_create

    analyses = make_analyses(world, tiers=tiers or ["Standard"], **kwargs)
    with world.context():
        return proposal_create(analysis=analyses[0], user=world.salesperson)


def make_shared_proposal(world: TenantWorld, *, pin: str = "", **kwargs: Any):
    """A sent proposal and a share link to it: (proposal, link, token)."""
    from .services import share_link_create

    proposal = make_proposal(world, **kwargs)
    with world.context():
        link, token = share_link_create(
            proposal=proposal,
            user=world.salesperson,
            pin=pin,
            acknowledge_warning=True,
            label="CFO",
        )
        proposal.refresh_from_db()
    return proposal, link, token


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of every proposals model for the route-isolation probe."""
    from apps.proposals.rendering import RenderedPdf

    from .models import DocumentKind, ProposalDocument
    from .services import (
        branding_update,
        proposal_decide,
        proposal_pdf_store,
        proposal_view_record,
    )

    with world.context():
        branding_update(user=world.admin, data={"company_name": f"{world.organization.name}"})
    proposal, link, _ = make_shared_proposal(world, trials=500)
    with world.context():
        proposal_view_record(
            proposal=proposal, link=link, kind="page", ip="203.0.113.5", user_agent="probe"
        )
        document = ProposalDocument.objects.filter(proposal=proposal).first()
        if document is None:
            document = ProposalDocument.objects.create(
                proposal=proposal, render_key="probe", kind=DocumentKind.OFFER
            )
        proposal_pdf_store(
            document_id=document.id,
            pdf=RenderedPdf(content=b"%PDF-1.7 probe", pages=1),
            seconds=0.0,
        )
        proposal_decide(
            link=link,
            outcome="declined",
            ip="203.0.113.5",
            user_agent="probe",
            reason="probe",
        )
