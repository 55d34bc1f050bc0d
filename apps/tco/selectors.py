"""Reads of analyses (always inside the active tenant)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from .models import Analysis

_RELATED = (
    "client",
    "job",
    "pricing_tier_version__tier",
    "assessment_version__assessment",
    "assumption_set_version",
    "created_by",
)


def analysis_list(
    *,
    client_id: int | None = None,
    assessment_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Analysis]:
    """Analyses, newest first, with what a list shows joined in (no N+1).

    The stored documents (`inputs`, `input_sources`, `result`) are deferred: a list shows the
    headline figures only, from `summary`.
    """
    queryset = Analysis.objects.select_related(*_RELATED).defer(
        "inputs",
        "input_sources",
        "result",
        "assessment_version__answers",
        "assumption_set_version__values",
    )
    if client_id is not None:
        queryset = queryset.filter(client_id=client_id)
    if assessment_id is not None:
        queryset = queryset.filter(assessment_version__assessment_id=assessment_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def analysis_get(analysis_id: int) -> Analysis | None:
    """One analysis of the active tenant, or None (another tenant's id is simply not found)."""
    return Analysis.objects.select_related(*_RELATED).filter(id=analysis_id).first()


def analysis_list_for_client(client_id: int) -> QuerySet[Analysis]:
    return analysis_list(client_id=client_id)


def analysis_group(group: uuid.UUID | str) -> list[Analysis]:
    """The analyses started together (a tier comparison), cheapest tier first."""
    analyses = list(Analysis.objects.select_related(*_RELATED).filter(group=group))
    return sorted(analyses, key=_tier_order)


def _tier_order(analysis: Analysis) -> tuple:
    tier = analysis.pricing_tier_version.tier
    price = analysis.pricing_tier_version.price_per_user
    return (getattr(tier, "position", 0), price, analysis.id)
