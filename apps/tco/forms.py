"""The "new analysis" form: which tiers, how many trials, and the salesperson's overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django import forms

from .inputs_builder import overridable_paths
from .presentation import input_label

OVERRIDE_ROWS = 4


class AnalysisRequestForm(forms.Form):
    tiers = forms.MultipleChoiceField(
        label="Pricing tiers",
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick one, or several to compare them side by side on the same assessment.",
    )
    trials = forms.IntegerField(
        label="Simulation trials",
        required=False,
        min_value=100,
        max_value=1_000_000,
        help_text="How many possible futures to simulate (default from the assumption set).",
    )

    def __init__(self, *args: Any, tiers: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tier_objects = {str(t.id): t for t in tiers}
        cast(forms.ChoiceField, self.fields["tiers"]).choices = [
            (str(t.id), f"{t.name} — {t.current_version.price_per_user} per user a month")
            for t in self.tier_objects.values()
        ]
        if not self.is_bound:
            self.initial.setdefault("tiers", list(self.tier_objects))

    def chosen_tiers(self) -> list[Any]:
        return [self.tier_objects[i] for i in self.cleaned_data["tiers"]]


class OverrideForm(forms.Form):
    path = forms.ChoiceField(label="Input", required=False)
    value = forms.CharField(label="New value", required=False, max_length=40)
    reason = forms.CharField(label="Why", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["path"]).choices = [("", "—"), *_path_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("path"):
            if not (data.get("value") or "").strip():
                self.add_error("value", "Give the new value.")
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Say why: the proposal shows every override.")
        return data


def _path_choices() -> list[tuple[str, str]]:
    return sorted(((p, f"{input_label(p)} ({p})") for p in overridable_paths()), key=lambda c: c[1])


OverrideFormSet = forms.formset_factory(OverrideForm, extra=OVERRIDE_ROWS, max_num=20)


def overrides_from(formset: Any) -> dict[str, dict[str, Any]]:
    """{path: {"value", "reason"}} from the filled rows (values still as typed)."""
    overrides: dict[str, dict[str, Any]] = {}
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        if data.get("path"):
            overrides[data["path"]] = {"value": data["value"].strip(), "reason": data["reason"]}
    return overrides


def attach_errors(form: AnalysisRequestForm, formset: Any, errors: Mapping[str, list[str]]) -> None:
    """Put a service's field errors where they belong: a tier, the trials, an override row."""
    rows = {
        f.cleaned_data.get("path"): f for f in formset.forms if getattr(f, "cleaned_data", None)
    }
    for key, messages in errors.items():
        if key.startswith("overrides."):
            row = rows.get(key.removeprefix("overrides."))
            if row is not None:
                for message in messages:
                    row.add_error("value", message)
                continue
        if key in ("tiers", "trials"):
            for message in messages:
                form.add_error(key, message)
            continue
        for message in messages:
            form.add_error(None, message)
