"""The assessment's sections and fields, their validation, and what an analysis needs.

Pure Python (no ORM): the browser form, the API and the TCO inputs builder all read this.
Answers are a JSON document by section: {"company": {"users": 25, ...}, ...}. Stored values
are JSON-native: int for counts, int or float for decimals, bool, str for choices and text, ISO
date strings, lists for multi-choice. An unanswered field is absent (or None).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
CHOICE = "choice"
MULTICHOICE = "multichoice"
TEXT = "text"
DATE = "date"

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


@dataclass(frozen=True)
class Field:
    """One question of the assessment."""

    key: str
    label: str
    type: str
    min: float | None = None
    max: float | None = None
    required_for_analysis: bool = False
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    unit: str = ""
    max_length: int = 2000
    not_in_future: bool = False

    def path(self, section: str) -> str:
        return f"{section}.{self.key}"


@dataclass(frozen=True)
class Section:
    """A group of questions, saved as one small form."""

    key: str
    title: str
    description: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


def _count(key: str, label: str, *, max: float = 100_000, **kw: Any) -> Field:
    return Field(key, label, INT, min=kw.pop("min", 0), max=max, **kw)


def _yes_no(key: str, label: str, **kw: Any) -> Field:
    return Field(key, label, BOOL, **kw)


MONEY_MAX = 100_000_000_000  # 10^11: more than any MSP prospect's revenue

SECTIONS: tuple[Section, ...] = (
    Section(
        "company",
        "Company profile",
        "Who they are: people, places, money, and how much the business leans on IT.",
        (
            _count("users", "Users (people who use a computer)", required_for_analysis=True),
            _count(
                "named_accounts",
                "Named accounts (e-mail / directory)",
                help="Mailboxes and logins, including shared ones.",
            ),
            _count("sites", "Sites (offices with IT)", min=1, max=1000, required_for_analysis=True),
            Field(
                "annual_revenue",
                "Annual revenue",
                DECIMAL,
                min=0,
                max=MONEY_MAX,
                required_for_analysis=True,
                unit="money",
            ),
            Field(
                "business_hours",
                "Business hours",
                TEXT,
                help="For example: Mon–Fri 8:00–18:00, Sat mornings.",
                max_length=200,
            ),
            _count(
                "working_hours_per_year",
                "Working hours per person per year",
                min=1,
                max=8760,
                default=2080,
                help="2080 is 40 hours × 52 weeks.",
            ),
            Field(
                "loaded_hourly_cost",
                "Loaded hourly cost of staff",
                DECIMAL,
                min=0,
                max=10_000,
                unit="money",
                help="Wage plus benefits per hour worked. Or give salary and benefits below.",
            ),
            Field(
                "average_salary",
                "Average annual salary",
                DECIMAL,
                min=0,
                max=10_000_000,
                unit="money",
            ),
            Field(
                "benefits_percent",
                "Benefits, % of salary",
                DECIMAL,
                min=0,
                max=200,
                unit="%",
            ),
            Field(
                "revenue_dependence",
                "Revenue dependence on IT",
                CHOICE,
                choices=(
                    ("low", "Low: sales go on when IT is down"),
                    ("medium", "Medium: some sales are lost or delayed"),
                    ("high", "High: no IT, no sales"),
                ),
                help="Sets the share of revenue truly lost during an outage (5% / 10% / 20%).",
            ),
        ),
    ),
    Section(
        "support",
        "Current support and spend",
        "How IT is supported today and what it costs.",
        (
            Field(
                "model",
                "Current support model",
                CHOICE,
                choices=(
                    ("none", "Nobody: staff fix things themselves"),
                    ("break_fix", "Break/fix provider, paid per call"),
                    ("in_house", "In-house IT person"),
                    ("partial_msp", "Partial managed services"),
                ),
            ),
            Field("provider", "Current provider", TEXT, max_length=200),
            Field(
                "bf_hourly_rate", "Break/fix hourly rate", DECIMAL, min=0, max=2000, unit="money"
            ),
            Field(
                "bf_after_hours_multiplier",
                "After-hours rate multiplier",
                DECIMAL,
                min=1,
                max=5,
                help="1.5 means after-hours work costs 150% of the standard rate.",
            ),
            Field("bf_emergency_multiplier", "Emergency rate multiplier", DECIMAL, min=1, max=5),
            Field(
                "bf_trip_fee",
                "Trip fee per on-site visit",
                DECIMAL,
                min=0,
                max=10_000,
                unit="money",
            ),
            Field(
                "last_12m_spend",
                "Break/fix support spend, last 12 months",
                DECIMAL,
                min=0,
                max=100_000_000,
                unit="money",
                help="Invoices for support labour and trip fees; not hardware or licences.",
            ),
            _count("last_12m_calls", "Support calls, last 12 months"),
            Field(
                "staff_it_hours_per_week",
                "Hours a week staff spend fixing IT themselves",
                DECIMAL,
                min=0,
                max=5000,
                help="All staff together.",
            ),
        ),
    ),
    Section(
        "endpoints",
        "Endpoints",
        "Desktops and laptops in use.",
        (
            _count("desktops", "Desktops", required_for_analysis=True),
            _count("laptops", "Laptops", required_for_analysis=True),
            Field("average_age_years", "Average age (years)", DECIMAL, min=0, max=30),
            _count(
                "unsupported_os",
                "Computers on an unsupported operating system",
                help="For example Windows 10 after October 2025.",
            ),
        ),
    ),
    Section(
        "servers",
        "Servers, cloud and applications",
        "What runs the business.",
        (
            _count("physical", "Physical servers", max=10_000, required_for_analysis=True),
            _count("virtual", "Virtual servers", max=10_000, required_for_analysis=True),
            Field("average_age_years", "Average server age (years)", DECIMAL, min=0, max=30),
            Field(
                "cloud_services",
                "Cloud services",
                TEXT,
                help="Microsoft 365, Google Workspace, hosted apps…",
            ),
            Field("line_of_business_apps", "Line-of-business applications", TEXT),
        ),
    ),
    Section(
        "network",
        "Network",
        "Firewalls, switches, wireless and internet.",
        (
            _count("firewalls", "Firewalls", max=10_000, required_for_analysis=True),
            _count("switches", "Switches", max=10_000, required_for_analysis=True),
            _count(
                "access_points", "Wireless access points", max=10_000, required_for_analysis=True
            ),
            _yes_no("isp_redundancy", "Second internet connection (ISP redundancy)"),
            Field("notes", "Network notes", TEXT),
        ),
    ),
    Section(
        "backup",
        "Backup and continuity",
        "What is backed up, where, and whether a restore was ever tried.",
        (
            Field("what", "What is backed up", TEXT, help="Servers, Microsoft 365, laptops…"),
            Field(
                "posture",
                "Backup posture",
                CHOICE,
                required_for_analysis=True,
                choices=(
                    ("none", "No backup"),
                    ("untested", "A backup exists but restores are untested"),
                    ("tested_offsite", "Tested, with an offsite or immutable copy"),
                ),
            ),
            Field("last_restore_test", "Last restore test", DATE, not_in_future=True),
        ),
    ),
    Section(
        "security",
        "Security posture",
        "The controls that decide how likely a serious incident is.",
        (
            _yes_no("mfa_email", "MFA on e-mail", required_for_analysis=True),
            _yes_no(
                "mfa_remote_access", "MFA on remote access (VPN, RDP)", required_for_analysis=True
            ),
            _yes_no("mfa_admin", "MFA on admin accounts"),
            _yes_no("edr_all_endpoints", "EDR on every endpoint", required_for_analysis=True),
            _yes_no("email_filtering", "E-mail filtering"),
            Field(
                "patch_cadence",
                "Patch cadence",
                CHOICE,
                choices=(
                    ("monthly", "Monthly or better"),
                    ("quarterly", "Quarterly"),
                    ("ad_hoc", "Ad hoc / never"),
                ),
            ),
            _yes_no("staff_training", "Security awareness training"),
            _yes_no(
                "payment_change_verification",
                "Payment-change requests verified by phone",
                help="Defends against invoice fraud by e-mail.",
            ),
            _yes_no("cyber_insurance", "Cyber insurance"),
        ),
    ),
    Section(
        "compliance",
        "Compliance",
        "Frameworks the client must meet.",
        (
            Field(
                "frameworks",
                "Frameworks",
                MULTICHOICE,
                choices=(
                    ("hipaa", "HIPAA"),
                    ("pci_dss", "PCI DSS"),
                    ("soc2", "SOC 2"),
                    ("gdpr", "GDPR"),
                    ("cmmc", "CMMC"),
                    ("none", "None"),
                ),
            ),
            Field("notes", "Compliance notes", TEXT),
        ),
    ),
    Section(
        "incidents",
        "Incident history",
        "What went wrong recently: the prospect's own history is blended with the priors.",
        (
            _count(
                "period_months",
                "Period covered (months)",
                min=12,
                max=36,
                required_for_analysis=True,
                default=12,
                help="How far back the answers below go: 12 to 36 months.",
            ),
            _count(
                "outages", "Outages (site or server down)", max=10_000, required_for_analysis=True
            ),
            Field("outage_average_hours", "Average outage length (hours)", DECIMAL, min=0, max=720),
            _count("hardware_failures", "Hardware failures", max=10_000),
            _count("data_loss_events", "Data-loss events", max=10_000),
            _count("security_incidents", "Security incidents", max=10_000),
            Field("notes", "Incident notes", TEXT),
        ),
    ),
    Section(
        "requirements",
        "Requirements",
        "What the client expects from a provider.",
        (
            Field(
                "coverage_hours",
                "Coverage hours",
                CHOICE,
                choices=(
                    ("business", "Business hours"),
                    ("extended", "Extended hours"),
                    ("24x7", "24 × 7"),
                ),
            ),
            Field("onsite_needs", "On-site needs", TEXT),
            _count("term_months", "Preferred contract term (months)", min=1, max=120),
        ),
    ),
)

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
CUSTOM = "custom"
_BY_KEY = {s.key: s for s in SECTIONS}

REVENUE_AT_RISK = {"low": 0.05, "medium": 0.10, "high": 0.20}


def section_get(key: str) -> Section | None:
    return _BY_KEY.get(key)


def field_get(path: str) -> Field | None:
    section_key, _, key = path.partition(".")
    section = _BY_KEY.get(section_key)
    return section.field(key) if section else None


def all_paths() -> list[str]:
    return [f.path(s.key) for s in SECTIONS for f in s.fields]


# --- Values --------------------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    if isinstance(raw, str):
        raw = raw.strip().replace(",", "")
    if not isinstance(raw, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _json_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _show(bound: float) -> str:
    return f"{int(bound):,}" if float(bound).is_integer() else f"{bound:g}"


def _range_error(f: Field, number: Decimal) -> str | None:
    if f.min is not None and number < Decimal(str(f.min)):
        return f"Must be at least {_show(f.min)}."
    if f.max is not None and number > Decimal(str(f.max)):
        return f"Must be at most {_show(f.max)}."
    return None


def clean_value(f: Field, raw: Any, *, today: dt.date | None = None) -> tuple[Any, str | None]:
    """Parse and check one raw value (from a form or JSON). Returns (value, error).

    Empty input means "not answered": (None, None). Every error is a sentence for the user.
    """
    if isinstance(raw, str):
        raw = raw.strip()
    if is_empty(raw):
        return None, None
    if f.type in (INT, DECIMAL):
        number = _decimal(raw)
        if number is None:
            return None, "Enter a number."
        if f.type == INT and number != number.to_integral_value():
            return None, "Enter a whole number."
        if error := _range_error(f, number):
            return None, error
        return (int(number) if f.type == INT else _json_number(number)), None
    if f.type == BOOL:
        if isinstance(raw, bool):
            return raw, None
        text = str(raw).lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        if text in ("unknown", "null", "none"):
            return None, None
        return None, "Choose yes or no."
    if f.type == CHOICE:
        keys = [k for k, _ in f.choices]
        if not isinstance(raw, str) or raw not in keys:
            return None, "Choose one of the options."
        return raw, None
    if f.type == MULTICHOICE:
        values = raw if isinstance(raw, list | tuple) else [raw]
        keys = [k for k, _ in f.choices]
        if not all(isinstance(v, str) and v in keys for v in values):
            return None, "Choose among the options."
        values = [k for k in keys if k in values]  # canonical order, no duplicates
        if "none" in values and len(values) > 1:
            return None, "“None” cannot be combined with a framework."
        return values, None
    if f.type == TEXT:
        if not isinstance(raw, str):
            return None, "Enter text."
        if len(raw) > f.max_length:
            return None, f"At most {f.max_length} characters."
        return raw, None
    if f.type == DATE:
        if isinstance(raw, dt.date):
            value = raw
        else:
            try:
                value = dt.date.fromisoformat(str(raw))
            except ValueError:
                return None, "Enter a date (YYYY-MM-DD)."
        if f.not_in_future and value > (today or dt.date.today()):  # noqa: DTZ011
            return None, "Cannot be in the future."
        return value.isoformat(), None
    raise ValueError(f"unknown field type {f.type}")


def validate_section(
    section_key: str, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the fields of one section given in `data` (unknown keys are errors).

    Returns (clean values by key, errors by key). Cleaned values may be None (cleared).
    """
    section = _BY_KEY[section_key]
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, raw in data.items():
        f = section.field(key)
        if f is None:
            errors[key] = "Unknown question."
            continue
        value, error = clean_value(f, raw)
        if error:
            errors[key] = error
        else:
            clean[key] = value
    return clean, errors


def answer(answers: Mapping[str, Any] | None, path: str, default: Any = None) -> Any:
    """One answer by dotted path ("company.users"), or `default` when unanswered."""
    section_key, _, key = path.partition(".")
    value = ((answers or {}).get(section_key) or {}).get(key)
    return default if is_empty(value) else value


def derived_counts(answers: Mapping[str, Any] | None) -> dict[str, int | None]:
    """The environment counts of TCO_MODEL.md, summed from the assessment (None if unknown)."""

    def total(*paths: str) -> int | None:
        values = [answer(answers, p) for p in paths]
        if all(v is None for v in values):
            return None
        return sum(int(v) for v in values if v is not None)

    return {
        "users": answer(answers, "company.users"),
        "endpoints": total("endpoints.desktops", "endpoints.laptops"),
        "servers": total("servers.physical", "servers.virtual"),
        "sites": answer(answers, "company.sites"),
        "network_devices": total("network.firewalls", "network.switches", "network.access_points"),
    }


def missing_for_analysis(answers: Mapping[str, Any] | None) -> list[str]:
    """Labels ("Company profile: Users …") of required questions still unanswered."""
    return [
        f"{section.title}: {f.label}"
        for section in SECTIONS
        for f in section.fields
        if f.required_for_analysis and answer(answers, f.path(section.key)) is None
    ]


def missing_paths_for_analysis(answers: Mapping[str, Any] | None) -> list[str]:
    return [
        f.path(section.key)
        for section in SECTIONS
        for f in section.fields
        if f.required_for_analysis and answer(answers, f.path(section.key)) is None
    ]


def warnings(
    answers: Mapping[str, Any] | None, *, today: dt.date | None = None
) -> dict[str, list[str]]:
    """Cross-field checks that deserve a second look but never block saving: {path: [msgs]}."""
    out: dict[str, list[str]] = {}

    def warn(path: str, message: str) -> None:
        out.setdefault(path, []).append(message)

    users = answer(answers, "company.users")
    desktops = answer(answers, "endpoints.desktops")
    laptops = answer(answers, "endpoints.laptops")
    if users is not None and (desktops is not None or laptops is not None):
        computers = (desktops or 0) + (laptops or 0)
        if computers < users:
            warn(
                "endpoints.laptops",
                f"{computers} computers for {users} users: are some shared, or missing?",
            )
    named = answer(answers, "company.named_accounts")
    if users is not None and named is not None and named < users:
        warn("company.named_accounts", f"Fewer named accounts ({named}) than users ({users}).")
    if answer(answers, "company.loaded_hourly_cost") is not None and (
        answer(answers, "company.average_salary") is not None
    ):
        warn(
            "company.average_salary",
            "The loaded hourly cost is given, so salary and benefits are not used.",
        )
    elif answer(answers, "company.average_salary") is not None and (
        answer(answers, "company.benefits_percent") is None
    ):
        warn("company.benefits_percent", "Without benefits the loaded cost is understated.")
    unsupported = answer(answers, "endpoints.unsupported_os")
    if unsupported is not None and (desktops is not None or laptops is not None):
        if unsupported > (desktops or 0) + (laptops or 0):
            warn("endpoints.unsupported_os", "More unsupported computers than computers.")
    calls = answer(answers, "support.last_12m_calls")
    spend = answer(answers, "support.last_12m_spend")
    if calls and spend is not None and spend == 0:
        warn("support.last_12m_spend", f"{calls} calls but no spend: is support free?")
    outages = answer(answers, "incidents.outages")
    if outages and answer(answers, "incidents.outage_average_hours") is None:
        warn("incidents.outage_average_hours", "How long did the outages last, on average?")
    hours = answer(answers, "incidents.outage_average_hours")
    if hours is not None and hours > 72:
        warn("incidents.outage_average_hours", "Outages longer than three days: check the unit.")
    posture = answer(answers, "backup.posture")
    restore = answer(answers, "backup.last_restore_test")
    if posture == "tested_offsite":
        if restore is None:
            warn("backup.last_restore_test", "“Tested” backup, but when was the last restore test?")
        else:
            age = (today or dt.date.today()) - dt.date.fromisoformat(restore)  # noqa: DTZ011
            if age.days > 365:
                warn("backup.last_restore_test", "The last restore test is over a year old.")
    if posture == "none" and answer(answers, "backup.what"):
        warn("backup.what", "Something is backed up, but the posture says no backup.")
    staff_hours = answer(answers, "support.staff_it_hours_per_week")
    if staff_hours is not None and users and staff_hours > users * 10:
        warn("support.staff_it_hours_per_week", "More than 10 hours a week per user: check it.")
    return out


def section_progress(section: Section, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """How much of a section is answered, and which required questions are missing."""
    answered = [f for f in section.fields if answer(answers, f.path(section.key)) is not None]
    required = [f for f in section.fields if f.required_for_analysis]
    missing = [f for f in required if answer(answers, f.path(section.key)) is None]
    return {
        "answered": len(answered),
        "total": len(section.fields),
        "required_missing": [f.label for f in missing],
        "ready": not missing,
    }


def iter_fields() -> Iterable[tuple[Section, Field]]:
    for section in SECTIONS:
        for f in section.fields:
            yield section, f
