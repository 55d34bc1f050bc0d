"""The tier form: text inputs parsed and range-checked by the pricing services."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.core.errors import ApplicationError

from .models import PricingTierVersion
from .validation import TIER_NUMERIC_FIELDS, TIER_RULES

SECTIONS = [
    (
        "Prices (per month)",
        [
            "price_per_user",
            "price_per_endpoint",
            "price_per_server",
            "price_per_site",
            "price_per_network_device",
            "minimum_monthly_fee",
        ],
    ),
    (
        "Contract",
        ["onboarding_fee", "onboarding_multiple", "annual_escalator", "contract_term_months"],
    ),
    (
        "Service levels: share of events the tier prevents (0 to below 1)",
        [
            "tickets_reduction",
            "outages_reduction",
            "hardware_reduction",
            "data_loss_reduction",
            "minor_security_reduction",
            "major_security_reduction",
            "informal_support_reduction",
        ],
    ),
    (
        "Service levels: impact when something happens",
        [
            "tickets_user_hours_lost_managed",
            "hardware_user_hours_lost_managed",
            "minor_security_user_hours_lost_managed",
            "outages_duration_ratio_managed",
        ],
    ),
]


class PricingTierForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    included_services = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One per line; shown in the proposal.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TIER_NUMERIC_FIELDS:
            rule = TIER_RULES[name]
            self.fields[name] = forms.CharField(
                label=rule.label,
                required=False,
                help_text=rule.help,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["included_services"] = [
            line.strip() for line in data.get("included_services", "").splitlines() if line.strip()
        ]
        return data

    def apply(self, exc: ApplicationError) -> None:
        if not exc.extra:
            self.add_error(None, exc.message)
        for field, messages in exc.extra.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    @staticmethod
    def initial_for(name: str, version: PricingTierVersion | None) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": name}
        if version is None:
            return initial
        initial["description"] = version.description
        initial["included_services"] = "\n".join(version.included_services or [])
        for field in TIER_NUMERIC_FIELDS:
            value = getattr(version, field)
            initial[field] = "" if value is None else value
        return initial
