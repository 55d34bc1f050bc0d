"""Web pages of analyses: list, new (choose tiers, overrides), results, tier comparison."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.api import int_or_none
from apps.core.errors import ApplicationError

from .forms import AnalysisRequestForm, OverrideFormSet, attach_errors, overrides_from
from .models import AnalysisStatus
from .report import analysis_report, tier_comparison
from .selectors import analysis_get, analysis_group, analysis_list
from .services import analysis_request


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "membership", None) is None:
            raise PermissionDenied("You are not a member of an organisation.")
        return view(request, *args, **kwargs)

    return wrapper


def _currency(request: HttpRequest) -> str:
    organization = getattr(request, "organization", None)
    return getattr(organization, "currency", None) or "USD"


@require_GET
@member_required
def analysis_list_view(request: HttpRequest) -> HttpResponse:
    client_id = int_or_none(request.GET.get("client"))
    state = request.GET.get("status") or None
    if state not in (None, *AnalysisStatus.values):
        state = None
    page = Paginator(analysis_list(client_id=client_id, status=state), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "tco/analysis_list.html",
        {
            "page": page,
            "analyses": page.object_list,
            "status": state,
            "client_id": client_id,
            "statuses": AnalysisStatus.choices,
            "currency": _currency(request),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def analysis_new(request: HttpRequest) -> HttpResponse:
    """Choose tiers (one, or all active ones to compare) and optional overrides, then run."""
    from apps.assessments.selectors import assessment_get, assessment_missing_for_analysis
    from apps.pricing.selectors import pricing_tier_list_active

    assessment_id = int_or_none(request.POST.get("assessment") or request.GET.get("assessment"))
    assessment = assessment_get(assessment_id=assessment_id) if assessment_id else None
    if assessment is None:
        raise Http404("Choose an assessment to analyse.")
    tiers = list(pricing_tier_list_active())
    missing = assessment_missing_for_analysis(assessment.answers or {})
    if request.method == "POST":
        form = AnalysisRequestForm(request.POST, tiers=tiers)
        formset = OverrideFormSet(request.POST, prefix="overrides")
        if form.is_valid() and formset.is_valid():
            try:
                analyses = analysis_request(
                    assessment=assessment,
                    user=request.user,
                    tiers=form.chosen_tiers(),
                    overrides=overrides_from(formset),
                    trials=form.cleaned_data.get("trials"),
                )
            except ApplicationError as exc:
                attach_errors(form, formset, exc.extra or {"": [exc.message]})
            else:
                first = analyses[0]
                if len(analyses) > 1:
                    return redirect("tco:analysis_compare", analysis_id=first.id)
                return redirect("tco:analysis_detail", analysis_id=first.id)
    else:
        form = AnalysisRequestForm(tiers=tiers)
        formset = OverrideFormSet(prefix="overrides")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tco/analysis_new.html",
        {
            "assessment": assessment,
            "form": form,
            "formset": formset,
            "missing": missing,
            "tiers": tiers,
        },
        status=status,
    )


@require_GET
@member_required
def analysis_detail(request: HttpRequest, analysis_id: int) -> HttpResponse:
    """Progress while the job runs (the bar reloads the page when done), then the results."""
    analysis = analysis_get(analysis_id)
    if analysis is None:
        raise Http404("No such analysis.")
    currency = _currency(request)
    report = None
    if analysis.status == AnalysisStatus.SUCCEEDED and analysis.result:
        report = analysis_report(
            inputs=analysis.inputs or {},
            input_sources=analysis.input_sources,
            result=analysis.result,
            currency=currency,
        )
    group_size = len(analysis_group(analysis.group)) if analysis.group else 1
    return render(
        request,
        "tco/analysis_detail.html",
        {
            "analysis": analysis,
            "report": report,
            "group_size": group_size,
            "overrides": sorted((analysis.overrides or {}).items()),
        },
    )


@require_GET
@member_required
def analysis_compare(request: HttpRequest, analysis_id: int) -> HttpResponse:
    """The tiers of one request side by side, with a recommended tier (or Break/Fix)."""
    from .charts import tier_comparison_chart

    analysis = analysis_get(analysis_id)
    if analysis is None:
        raise Http404("No such analysis.")
    currency = _currency(request)
    analyses = analysis_group(analysis.group)
    entries: list[dict[str, Any]] = [
        {
            "name": a.pricing_tier_version.name,
            "summary": a.summary if a.status == AnalysisStatus.SUCCEEDED else None,
            "analysis_id": a.id,
            "analysis": a,
        }
        for a in analyses
    ]
    comparison = tier_comparison(entries, currency)
    done = [e for e in entries if e["summary"]]
    chart = (
        tier_comparison_chart(
            tiers=[{"name": e["name"], **e["summary"]} for e in done], currency=currency
        )
        if done
        else ""
    )
    pending = [a for a in analyses if not a.is_finished]
    return render(
        request,
        "tco/analysis_compare.html",
        {
            "analysis": analysis,
            "entries": entries,
            "comparison": comparison,
            "chart": chart,
            "pending": pending,
            "new_url": reverse("tco:analysis_new")
            + f"?assessment={analysis.assessment_version.assessment_id}",
        },
    )
