"""What the proposal says, computed from its snapshot: one context for the web page and the PDF.

Pure functions over the snapshot dict (no database, no request). Numbers are formatted with
the analysis pages' helpers (apps.tco.presentation), so a figure reads the same on the results
page, the prospect's page and the PDF. Every string here is plain text: the templates escape
it. Only the chart SVG (escaped by apps.tco.charts, then sanitised) is marked safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from apps.tco import presentation as fmt

from .snapshot import favours_break_fix, recommended_option

BACKUP_TEXT = {
    "none": "No backup is in place: a failed disk or a ransomware attack could lose data for good.",
    "untested": "Backups exist but restores are not tested, so nobody knows they would work.",
    "tested_offsite": "Backups are tested and kept offsite — a good base to build on.",
}
SECURITY_CHECKS = [
    ("mfa_email", "Multi-factor sign-in on e-mail"),
    ("mfa_remote_access", "Multi-factor sign-in for remote access"),
    ("mfa_admin", "Multi-factor sign-in for admin accounts"),
    ("edr_all_endpoints", "Endpoint detection and response on every device"),
    ("email_filtering", "E-mail filtering"),
    ("staff_training", "Security awareness training"),
    ("payment_change_verification", "Verification of payment-detail changes"),
    ("cyber_insurance", "Cyber insurance"),
]
COUNT_LINES = [
    ("users", "price_per_user", "user", "users"),
    ("endpoints", "price_per_endpoint", "endpoint", "endpoints"),
    ("servers", "price_per_server", "server", "servers"),
    ("sites", "price_per_site", "site", "sites"),
    ("network_devices", "price_per_network_device", "network device", "network devices"),
]
FRAMEWORK_NAMES = {
    "hipaa": "HIPAA",
    "pci_dss": "PCI DSS",
    "soc2": "SOC 2",
    "gdpr": "GDPR",
    "cmmc": "CMMC",
}
SOURCE_NAMES = {
    "assessment": "Your assessment",
    "tier": "The proposed plan",
    "assumption": "Assumption",
    "override": "Adjusted by your account manager",
    "derived": "Calculated",
}
# Sections of the appendix, in the order of TCO_MODEL.md.
APPENDIX_SECTIONS = [
    ("environment", "Your business"),
    ("labour", "Staff time"),
    ("break_fix", "Break/Fix rates"),
    ("managed", "Managed Services prices"),
    ("tickets", "Support tickets"),
    ("outages", "Outages"),
    ("hardware", "Hardware failures"),
    ("data_loss", "Data loss"),
    ("minor_security", "Minor security incidents"),
    ("major_security", "Major security incidents"),
    ("informal_support", "Staff fixing IT themselves"),
    ("", "Horizon and discounting"),
]
NEXT_STEPS = [
    (0, 7, "Discovery", "We document your systems, accounts and suppliers, and agree priorities."),
    (7, 28, "Onboarding", "Monitoring, patching, backup and security tools go onto every device."),
    (28, 35, "Cut-over", "Support moves to our service desk; your team gets the new contacts."),
    (
        90,
        90,
        "First review",
        "We review tickets, risks and the roadmap with you, and adjust the plan if needed.",
    ),
]


def _f(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _get(doc: Mapping[str, Any] | None, path: str, default: Any = None) -> Any:
    current: Any = doc or {}
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return default
        current = current[part]
    return current


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _count(value: Any, singular: str, plural: str | None = None) -> str:
    n = _f(value) or 0.0
    return f"{fmt.number(n, 0)} {singular if n == 1 else (plural or singular + 's')}"


def _falsy(value: Any) -> bool:
    return value is False or str(value).lower() in ("false", "no", "0", "off")


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "yes", "1", "on")


# --- the parts --------------------------------------------------------------------------------


def cover(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    meta = snapshot.get("proposal") or {}
    branding = snapshot.get("branding") or {}
    organization = snapshot.get("organization") or {}
    return {
        "company_name": branding.get("company_name") or organization.get("name", ""),
        "client_name": _get(snapshot, "client.name", ""),
        "title": meta.get("title", ""),
        "version": meta.get("version", 1),
        "date": _date(meta.get("date")),
        "valid_until": _date(meta.get("valid_until")),
        "prepared_by": meta.get("prepared_by") or {},
        "note": meta.get("note", ""),
        "address": " · ".join(
            line.strip() for line in (branding.get("address") or "").splitlines() if line.strip()
        ),
        "contact_line": " · ".join(
            str(branding[k]) for k in ("phone", "email", "website") if branding.get(k)
        ),
    }


def summary(option: Mapping[str, Any], currency: str) -> dict[str, Any]:
    result = option.get("result") or {}
    years = len(result.get("years") or []) or int(_get(option, "inputs.horizon_years", 3) or 3)
    savings = _f(_get(result, "present_value.savings")) or 0.0
    hard = _f(_get(result, "layers.hard.savings")) or 0.0
    probability = _get(result, "simulation.probability_managed_cheaper")
    payback = result.get("payback_month")
    verdict = fmt.verdict(result, currency, years)
    if hard < 0:
        hard_text = (
            f"In hard cash — invoices, fees and parts — Managed Services costs "
            f"{fmt.money(-hard, currency, cents=True)} more over {years} years than Break/Fix "
            "(present value). The savings come from staff time, revenue and lower risk."
        )
    else:
        hard_text = (
            f"In hard cash — invoices, fees and parts — Managed Services costs "
            f"{fmt.money(hard, currency, cents=True)} less over {years} years than Break/Fix "
            "(present value)."
        )
    return {
        "years": years,
        "savings": savings,
        "savings_text": fmt.money(savings, currency, cents=True),
        "savings_abs_text": fmt.money(abs(savings), currency, cents=True),
        "undiscounted_text": fmt.money(_f(_get(result, "undiscounted.savings")), currency),
        "payback_month": payback,
        "payback_text": f"Month {payback}" if payback is not None else "Not within the horizon",
        "probability": probability,
        "probability_text": fmt.percent(probability) if probability is not None else "—",
        "hard_savings": hard,
        "hard_text": hard_text,
        "hard_savings_text": fmt.money(hard, currency, cents=True),
        "monthly_fee_text": fmt.money(
            _f(_get(result, "derived.monthly_recurring_fee")), currency, cents=True
        ),
        "onboarding_text": fmt.money(
            _f(_get(result, "derived.onboarding_fee")), currency, cents=True
        ),
        "roi_text": fmt.percent(_f(result.get("roi")), 1) if result.get("roi") is not None else "—",
        "verdict": verdict,
        # The verdict's own hard-cash note is replaced by `hard_text` (to the cent).
        "notes": [
            n
            for n in verdict.notes
            if not n.startswith(("In hard cash", "Managed Services also saves"))
        ],
        "favours_break_fix": favours_break_fix(result),
        "break_fix_cheaper": savings < 0,
        "mean_median_differ": _mean_median_differ(result)
        and not any("median" in n for n in verdict.notes),
        "layers": [
            {
                "name": fmt.LAYER_LABELS[layer],
                "break_fix": fmt.money(_f(_get(result, f"layers.{layer}.break_fix")), currency),
                "managed": fmt.money(_f(_get(result, f"layers.{layer}.managed")), currency),
                "savings": fmt.money(_f(_get(result, f"layers.{layer}.savings")), currency),
                "negative": (_f(_get(result, f"layers.{layer}.savings")) or 0) < 0,
            }
            for layer in ("hard", "soft", "risk")
        ],
        "pv_break_fix": fmt.money(_f(_get(result, "present_value.break_fix")), currency),
        "pv_managed": fmt.money(_f(_get(result, "present_value.managed")), currency),
    }


def _mean_median_differ(result: Mapping[str, Any]) -> bool:
    mean = _f(_get(result, "simulation.savings.mean"))
    median = _f(_get(result, "simulation.savings.p50"))
    return mean is not None and median is not None and (mean > 0) != (median > 0)


def explainer(option: Mapping[str, Any], currency: str) -> dict[str, str]:
    """Break/Fix vs Managed Services in the prospect's own numbers."""
    inputs = option.get("inputs") or {}
    result = option.get("result") or {}
    tier = _get(option, "tier.name", "the proposed plan")
    year1 = (result.get("years") or [{}])[0]
    bf1, ms1 = year1.get("break_fix") or {}, year1.get("managed") or {}
    tickets = _f(_get(result, "derived.tickets_per_year")) or 0.0
    outages = _f(_get(result, "derived.outages_per_year")) or 0.0
    mrr = _f(_get(result, "derived.monthly_recurring_fee"))
    escalator = _f(_get(inputs, "managed.annual_escalator")) or 0.0
    p95_bf = _f(_get(result, "simulation.annual_p95.break_fix"))
    p95_ms = _f(_get(result, "simulation.annual_p95.managed"))
    lost_bf = "tickets.user_hours_lost_break_fix"
    reactive = (
        f"With Break/Fix, help is called when something breaks. We expect about "
        f"{fmt.number(tickets, 0)} paid support tickets a year for your "
        f"{fmt.number(_f(_get(inputs, 'environment.users')), 0)} users, each billed at "
        f"{fmt.money(_f(_get(inputs, 'break_fix.hourly_rate')), currency)} an hour and each "
        f"costing your staff about {fmt.number(_f(_get(inputs, lost_bf)), 2)} "
        f"hours of work. {tier} works proactively — monitoring, patching and maintenance — and "
        f"is expected to prevent {fmt.percent(_f(_get(inputs, 'tickets.reduction')))} of those "
        f"tickets and cut the time lost on the rest to "
        f"{fmt.number(_f(_get(inputs, 'tickets.user_hours_lost_managed')), 2)} hours."
    )
    cost = (
        f"Break/Fix costs are unpredictable: in year 1 we expect "
        f"{fmt.money(_f(bf1.get('hard')), currency)} in invoices and parts"
    )
    if p95_bf is not None:
        cost += (
            f", but in a bad year (1 in 20) your total IT cost could reach "
            f"{fmt.money(p95_bf, currency)}"
        )
    cost += (
        f". Managed Services is a fixed monthly fee of {fmt.money(mrr, currency, cents=True)} "
        f"({fmt.money(_f(ms1.get('fee')), currency)} in year 1), rising "
        f"{fmt.percent(escalator, 1)} a year"
    )
    if p95_ms is not None:
        cost += f"; a bad year with Managed Services comes to {fmt.money(p95_ms, currency)}"
    cost += "."
    downtime = (
        f"We expect about {fmt.number(outages, 1)} outages a year, each lasting around "
        f"{fmt.number(_f(_get(inputs, 'outages.duration_hours_break_fix')), 1)} hours with "
        f"Break/Fix. Downtime and lost work cost about "
        f"{fmt.money(_f(_get(bf1, 'lines.outages')), currency)} in year 1 with Break/Fix and "
        f"{fmt.money(_f(_get(ms1, 'lines.outages')), currency)} with Managed Services. Rare "
        f"but costly events — data loss and major security incidents — carry an expected cost "
        f"of {fmt.money(_f(bf1.get('risk')), currency)} a year with Break/Fix and "
        f"{fmt.money(_f(ms1.get('risk')), currency)} with Managed Services."
    )
    return {"reactive": reactive, "cost": cost, "downtime": downtime}


def findings(snapshot: Mapping[str, Any], option: Mapping[str, Any], currency: str) -> list[str]:
    """The assessment's key findings, as short sentences."""
    answers = _get(snapshot, "assessment.answers", {}) or {}
    inputs = option.get("inputs") or {}
    env = inputs.get("environment") or {}
    items: list[str] = []
    items.append(
        f"{_count(env.get('users'), 'user')}, {_count(env.get('endpoints'), 'endpoint')}, "
        f"{_count(env.get('servers'), 'server')}, {_count(env.get('sites'), 'site')} and "
        f"{_count(env.get('network_devices'), 'network device')}."
    )
    spend = _f(_get(answers, "support.last_12m_spend"))
    calls = _f(_get(answers, "support.last_12m_calls"))
    if spend is not None:
        text = f"Break/Fix support spend in the last 12 months: {fmt.money(spend, currency)}"
        if calls is not None:
            text += f" over {fmt.number(calls, 0)} call-outs"
        items.append(text + ".")
    staff_hours = _f(_get(answers, "support.staff_it_hours_per_week"))
    if staff_hours:
        items.append(
            f"Your own staff spend about {fmt.number(staff_hours, 1)} hours a week fixing IT."
        )
    posture = _get(answers, "backup.posture")
    if posture in BACKUP_TEXT:
        items.append(BACKUP_TEXT[posture])
    security = _get(answers, "security", {}) or {}
    if security:
        # Only a control answered "no" is a gap; an unanswered one is not counted either way.
        missing = [label for key, label in SECURITY_CHECKS if _falsy(security.get(key))]
        answered = [key for key, _ in SECURITY_CHECKS if security.get(key) is not None]
        if missing:
            items.append("Security gaps: " + "; ".join(missing) + ".")
        elif len(answered) == len(SECURITY_CHECKS):
            items.append("All the basic security controls we check for are in place.")
        cadence = security.get("patch_cadence")
        if cadence and cadence != "monthly":
            items.append(f"Patches are applied {str(cadence).replace('_', '-')}, not monthly.")
    age = _f(_get(answers, "endpoints.average_age_years"))
    unsupported = _f(_get(answers, "endpoints.unsupported_os"))
    if age is not None:
        items.append(f"Computers are {fmt.number(age, 1)} years old on average.")
    if unsupported:
        verb = "runs" if unsupported == 1 else "run"
        items.append(
            f"{_count(unsupported, 'device')} {verb} an operating system that no longer gets "
            "security updates."
        )
    months = _f(_get(answers, "incidents.period_months"))
    if months:
        counts = [
            (_get(answers, "incidents.outages"), "outage"),
            (_get(answers, "incidents.hardware_failures"), "hardware failure"),
            (_get(answers, "incidents.data_loss_events"), "data-loss event"),
            (_get(answers, "incidents.security_incidents"), "security incident"),
        ]
        reported = [_count(n, label) for n, label in counts if _f(n)]
        if reported:
            items.append(
                f"In the last {fmt.number(months, 0)} months: " + ", ".join(reported) + "."
            )
    if _get(answers, "network.isp_redundancy") is not None and not _truthy(
        _get(answers, "network.isp_redundancy")
    ):
        items.append("There is a single internet connection: no fallback when it fails.")
    frameworks = [
        FRAMEWORK_NAMES.get(f, str(f))
        for f in (_get(answers, "compliance.frameworks") or [])
        if f != "none"
    ]
    if frameworks:
        items.append("Compliance obligations: " + ", ".join(frameworks) + ".")
    return items


def tier_offer(option: Mapping[str, Any], currency: str) -> dict[str, Any]:
    tier = option.get("tier") or {}
    inputs = option.get("inputs") or {}
    result = option.get("result") or {}
    env = inputs.get("environment") or {}
    managed = inputs.get("managed") or {}
    lines = []
    subtotal = 0.0
    for count_key, price_key, singular, plural in COUNT_LINES:
        count = _f(env.get(count_key)) or 0.0
        price = _f(managed.get(price_key)) or 0.0
        if count and price:
            amount = count * price
            subtotal += amount
            lines.append(
                {
                    "label": f"{fmt.number(count, 0)} {singular if count == 1 else plural}",
                    "unit": fmt.money(price, currency, cents=True),
                    "amount": fmt.money(amount, currency, cents=True),
                }
            )
    mrr = _f(_get(result, "derived.monthly_recurring_fee"))
    minimum = _f(managed.get("minimum_monthly_fee")) or 0.0
    return {
        "name": tier.get("name", ""),
        "description": tier.get("description", ""),
        "included": list(tier.get("included_services") or []),
        "lines": lines,
        "minimum_applies": mrr is not None and minimum > subtotal + 0.005,
        "minimum_text": fmt.money(minimum, currency, cents=True),
        "monthly_fee_text": fmt.money(mrr, currency, cents=True),
        "onboarding_text": fmt.money(
            _f(_get(result, "derived.onboarding_fee")), currency, cents=True
        ),
        "escalator_text": fmt.percent(_f(managed.get("annual_escalator")), 1),
        "term_months": tier.get("contract_term_months"),
    }


def comparison(options: list[Mapping[str, Any]], currency: str) -> list[dict[str, Any]]:
    rows = []
    for option in options:
        result = option.get("result") or {}
        probability = _get(result, "simulation.probability_managed_cheaper")
        rows.append(
            {
                "name": _get(option, "tier.name", ""),
                "recommended": bool(option.get("recommended")),
                "monthly_fee": fmt.money(
                    _f(_get(result, "derived.monthly_recurring_fee")), currency, cents=True
                ),
                "onboarding": fmt.money(_f(_get(result, "derived.onboarding_fee")), currency),
                "savings": fmt.money(_f(_get(result, "present_value.savings")), currency),
                "negative": (_f(_get(result, "present_value.savings")) or 0) < 0,
                "hard": fmt.money(_f(_get(result, "layers.hard.savings")), currency),
                "payback": f"Month {result['payback_month']}"
                if result.get("payback_month") is not None
                else "—",
                "probability": fmt.percent(probability) if probability is not None else "—",
            }
        )
    return rows


def year_table(option: Mapping[str, Any], currency: str) -> dict[str, Any]:
    result = option.get("result") or {}
    rows = []
    for year in result.get("years") or []:
        bf, ms = year.get("break_fix") or {}, year.get("managed") or {}
        rows.append(
            {
                "year": year.get("year"),
                "bf_hard": fmt.money(_f(bf.get("hard")), currency),
                "bf_total": fmt.money(_f(bf.get("total")), currency),
                "fee": fmt.money(_f(ms.get("fee")), currency),
                "ms_total": fmt.money(_f(ms.get("total")), currency),
                "savings": fmt.money(_f(year.get("savings")), currency),
                "negative": (_f(year.get("savings")) or 0) < 0,
            }
        )
    undiscounted = result.get("undiscounted") or {}
    pv = result.get("present_value") or {}
    return {
        "rows": rows,
        "total_bf": fmt.money(_f(undiscounted.get("break_fix")), currency),
        "total_ms": fmt.money(_f(undiscounted.get("managed")), currency),
        "total_savings": fmt.money(_f(undiscounted.get("savings")), currency),
        "pv_bf": fmt.money(_f(pv.get("break_fix")), currency),
        "pv_ms": fmt.money(_f(pv.get("managed")), currency),
        "pv_savings": fmt.money(_f(pv.get("savings")), currency),
        "onboarding": fmt.money(_f(_get(result, "derived.onboarding_fee")), currency),
    }


def risk(option: Mapping[str, Any], currency: str) -> dict[str, Any] | None:
    simulation = _get(option, "result.simulation")
    if not simulation:
        return None

    def trio(key: str) -> dict[str, str]:
        block = simulation.get(key) or {}
        return {p: fmt.money(_f(block.get(p)), currency) for p in ("p10", "p50", "p90")}

    return {
        "trials": fmt.number(_f(simulation.get("trials")), 0),
        "savings": trio("savings"),
        "break_fix": trio("break_fix_pv"),
        "managed": trio("managed_pv"),
        "probability": fmt.percent(_f(simulation.get("probability_managed_cheaper"))),
        "bad_year_bf": fmt.money(_f(_get(simulation, "annual_p95.break_fix")), currency),
        "bad_year_ms": fmt.money(_f(_get(simulation, "annual_p95.managed")), currency),
    }


def _flatten(doc: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in doc.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{path}.")
        else:
            yield path, value


def appendix(option: Mapping[str, Any], currency: str) -> list[dict[str, Any]]:
    """Every assumption with its value, range, evidence grade and source, by section."""
    inputs = option.get("inputs") or {}
    sources = option.get("input_sources") or {}
    values = _get(option, "assumption_set.values", {}) or {}
    ranges = inputs.get("sensitivity_ranges") or {}
    flat = [
        (path, value)
        for path, value in _flatten(inputs)
        if not path.startswith(("sensitivity_ranges", "simulation."))
    ]
    sections = []
    for key, title in APPENDIX_SECTIONS:
        rows = []
        for path, value in flat:
            section = path.split(".", 1)[0] if "." in path else ""
            if section != key:
                continue
            assumption = values.get(path) or {}
            source = sources.get(path) or {}
            low = assumption.get("low")
            high = assumption.get("high")
            if path in ranges and isinstance(ranges[path], list | tuple) and len(ranges[path]) == 2:
                low, high = ranges[path]
            kind = source.get("source", "")
            detail = source.get("detail") or ""
            text = assumption.get("source") or ""
            if kind and kind != "assumption":
                name = SOURCE_NAMES.get(kind, kind)
                # "Assessment: sites" under "Your assessment" says it twice.
                if detail.lower().startswith(f"{kind}:"):
                    detail = detail.split(":", 1)[1].strip()
                text = name + (f": {detail}" if detail else "")
            rows.append(
                {
                    "label": fmt.input_label(path, {path: assumption.get("label", "")}),
                    "value": fmt.format_input(path, value, currency),
                    "range": (
                        f"{fmt.format_input(path, low, currency)} – "
                        f"{fmt.format_input(path, high, currency)}"
                        if low is not None and high is not None
                        else ""
                    ),
                    "grade": assumption.get("grade", "") if kind in ("", "assumption") else "",
                    "source": text,
                }
            )
        if rows:
            sections.append({"title": title, "rows": rows})
    return sections


def next_steps(snapshot: Mapping[str, Any], option: Mapping[str, Any], accepted_on: dt.date | None):
    """Discovery, onboarding, cut-over, first review, dated from the acceptance when known."""
    steps = []
    for start, end, name, text in NEXT_STEPS:
        if accepted_on is not None:
            first = accepted_on + dt.timedelta(days=start)
            last = accepted_on + dt.timedelta(days=end)
            when = f"{first:%-d %b %Y}" if start == end else f"{first:%-d %b} – {last:%-d %b %Y}"
        elif start == end:
            when = f"Day {start} after acceptance"
        else:
            when = f"Days {start + 1}–{end} after acceptance"
        steps.append({"name": name, "text": text, "when": when})
    return steps


def custom_answers(snapshot: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for item in _get(snapshot, "assessment.custom", []) or []:
        answer = item.get("answer")
        if isinstance(answer, list):
            answer = ", ".join(map(str, answer))
        elif isinstance(answer, bool):
            answer = "Yes" if answer else "No"
        rows.append(
            {"label": str(item.get("label", "")), "answer": "" if answer is None else answer}
        )
    return rows


def document(snapshot: Mapping[str, Any], *, decision: Mapping[str, Any] | None = None) -> dict:
    """Everything the proposal templates show, from the frozen snapshot (and the decision)."""
    currency = _get(snapshot, "organization.currency", "USD") or "USD"
    options = list(snapshot.get("options") or [])
    option = recommended_option(snapshot)
    accepted_on = None
    if decision and decision.get("outcome") == "accepted":
        accepted_on = _date(decision.get("decided_at"))
    terms = _get(snapshot, "proposal.terms", "") or ""
    return {
        "currency": currency,
        "cover": cover(snapshot),
        "summary": summary(option, currency),
        "explainer": explainer(option, currency),
        "findings": findings(snapshot, option, currency),
        "tier": tier_offer(option, currency),
        "comparison": comparison(options, currency) if len(options) > 1 else [],
        "years": year_table(option, currency),
        "risk": risk(option, currency),
        "break_even": fmt.break_even_sentences(
            option.get("inputs") or {}, option.get("result") or {}, currency
        ),
        "appendix": appendix(option, currency),
        "custom_answers": custom_answers(snapshot),
        "next_steps": next_steps(snapshot, option, accepted_on),
        "terms_paragraphs": [p.strip() for p in terms.split("\n") if p.strip()],
        "engine_version": option.get("engine_version", ""),
        "seed": option.get("seed"),
    }
