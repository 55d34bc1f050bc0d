"""Admin pages: the price book (tiers, versioned) and the default assumptions (versioned)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from apps.core.errors import ApplicationError
from apps.tenancy.permissions import AdminRequiredMixin

from .defaults import ASSUMPTION_INPUTS, GRADES
from .forms import PricingTierForm
from .models import PricingTier
from .selectors import (
    assumption_set_default,
    assumption_set_version_get,
    assumption_set_version_list,
    pricing_tier_get,
    pricing_tier_list,
    pricing_tier_version_list,
)
from .services import (
    assumption_set_update,
    pricing_tier_archive,
    pricing_tier_create,
    pricing_tier_restore,
    pricing_tier_update,
)

ENTRY_INPUTS = {"v": "value", "lo": "low", "hi": "high", "g": "grade", "src": "source"}


def _tier_or_404(pricing_tier_id: int) -> PricingTier:
    tier = pricing_tier_get(tier_id=pricing_tier_id)
    if tier is None:
        raise Http404("No such tier.")
    return tier


class PricingTierListView(AdminRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "pricing/tier_list.html",
            {"tiers": list(pricing_tier_list(include_archived=True))},
        )


class PricingTierCreateView(AdminRequiredMixin, View):
    template = "pricing/tier_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        standard = pricing_tier_list().filter(name="Standard").first()
        initial = PricingTierForm.initial_for("", standard.current_version if standard else None)
        return render(request, self.template, {"form": PricingTierForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PricingTierForm(request.POST)
        if form.is_valid():
            try:
                tier = pricing_tier_create(user=request.user, **form.service_data())
            except ApplicationError as exc:
                form.apply(exc)
            else:
                messages.success(request, f"Tier {tier.name} created.")
                return redirect("pricing:list")
        return render(request, self.template, {"form": form}, status=400)


class PricingTierEditView(AdminRequiredMixin, View):
    """Edit a tier: saving writes a new version; older versions stay for their proposals."""

    template = "pricing/tier_form.html"

    def _context(self, tier: PricingTier, form: PricingTierForm) -> dict[str, Any]:
        return {
            "tier": tier,
            "form": form,
            "versions": list(pricing_tier_version_list(tier_id=tier.id)),
        }

    def get(self, request: HttpRequest, pricing_tier_id: int) -> HttpResponse:
        tier = _tier_or_404(pricing_tier_id)
        form = PricingTierForm(initial=PricingTierForm.initial_for(tier.name, tier.current_version))
        return render(request, self.template, self._context(tier, form))

    def post(self, request: HttpRequest, pricing_tier_id: int) -> HttpResponse:
        tier = _tier_or_404(pricing_tier_id)
        form = PricingTierForm(request.POST)
        if form.is_valid():
            try:
                before = tier.current_version_id
                version = pricing_tier_update(tier=tier, user=request.user, **form.service_data())
            except ApplicationError as exc:
                form.apply(exc)
            else:
                if version.id == before:
                    messages.info(request, "Nothing changed.")
                else:
                    messages.success(request, f"{tier.name}: version {version.number} saved.")
                return redirect("pricing:list")
        return render(request, self.template, self._context(tier, form), status=400)


class PricingTierArchiveView(AdminRequiredMixin, View):
    def post(self, request: HttpRequest, pricing_tier_id: int) -> HttpResponse:
        tier = pricing_tier_archive(tier=_tier_or_404(pricing_tier_id), user=request.user)
        messages.success(request, f"Tier {tier.name} archived; existing proposals keep it.")
        return redirect("pricing:list")


class PricingTierRestoreView(AdminRequiredMixin, View):
    def post(self, request: HttpRequest, pricing_tier_id: int) -> HttpResponse:
        tier = _tier_or_404(pricing_tier_id)
        try:
            pricing_tier_restore(tier=tier, user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Tier {tier.name} restored.")
        return redirect("pricing:list")


def _assumption_rows(
    values: dict[str, Any], posted: dict[str, dict[str, Any]] | None, errors: dict[str, Any]
) -> list[dict[str, Any]]:
    rows = []
    section = None
    for spec in ASSUMPTION_INPUTS:
        entry = dict(values.get(spec.path) or spec.entry())
        if posted and spec.path in posted:
            entry.update(posted[spec.path])
        rows.append(
            {
                "path": spec.path,
                "label": entry.get("label") or spec.label,
                "section": spec.section if spec.section != section else "",
                "entry": entry,
                "from_tier": spec.value is None,
                "errors": {
                    key: errors.get(f"{spec.path}.{key}", [])
                    for key in ("value", "low", "high", "grade", "source")
                },
                "row_errors": errors.get(spec.path, []),
            }
        )
        section = spec.section
    return rows


def _posted_entries(post: Any, current: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The entries whose inputs differ from the current version (strings as typed)."""
    changed: dict[str, dict[str, Any]] = {}
    for spec in ASSUMPTION_INPUTS:
        entry = current.get(spec.path) or spec.entry()
        diff: dict[str, Any] = {}
        for prefix, key in ENTRY_INPUTS.items():
            name = f"{prefix}__{spec.path}"
            if name not in post:
                continue
            raw = post.get(name, "").strip()
            old = entry.get(key)
            old_text = "" if old is None else str(old)
            if key in ("value", "low", "high"):
                same = raw == old_text or (raw and old is not None and _float(raw) == float(old))
            else:
                same = raw == old_text
            if not same:
                diff[key] = raw
        if diff:
            changed[spec.path] = diff
    return changed


def _float(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        return None


class AssumptionSetView(AdminRequiredMixin, View):
    """The default assumptions: every input with value, range, grade and source."""

    template = "pricing/assumptions.html"

    def _render(self, request, assumption_set, posted=None, errors=None, status=200):
        values = assumption_set.current_version.values if assumption_set.current_version else {}
        return render(
            request,
            self.template,
            {
                "assumption_set": assumption_set,
                "rows": _assumption_rows(values, posted, errors or {}),
                "grades": GRADES,
                "versions": list(assumption_set_version_list(assumption_set_id=assumption_set.id)),
                "error_count": len(errors or {}),
            },
            status=status,
        )

    def _default(self):
        assumption_set = assumption_set_default()
        if assumption_set is None:
            raise Http404("No assumption set.")
        return assumption_set

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._default())

    def post(self, request: HttpRequest) -> HttpResponse:
        assumption_set = self._default()
        current = assumption_set.current_version.values if assumption_set.current_version else {}
        changed = _posted_entries(request.POST, current)
        if not changed:
            messages.info(request, "Nothing changed.")
            return redirect("pricing:assumptions")
        try:
            version = assumption_set_update(
                assumption_set=assumption_set,
                values=changed,
                user=request.user,
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            return self._render(request, assumption_set, changed, exc.extra, status=400)
        messages.success(request, f"Assumptions saved as version {version.number}.")
        return redirect("pricing:assumptions")


class AssumptionSetVersionView(AdminRequiredMixin, View):
    def get(self, request: HttpRequest, assumption_set_version_id: int) -> HttpResponse:
        version = assumption_set_version_get(assumption_set_version_id)
        if version is None:
            raise Http404("No such version.")
        return render(
            request,
            "pricing/assumption_version.html",
            {"version": version, "rows": _assumption_rows(version.values, None, {})},
        )
