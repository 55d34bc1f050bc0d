"""Expected-value model of shared/TCO_MODEL.md, per year, per cost class and per layer.

Every cost in the model is a per-event cost times an event rate, and every per-event cost of year y
has the form `bf·e_bf(y) + wage·e_w(y) + flat`: break/fix rates escalate with `e_bf`, wages with
`e_w`, while parts, severities and revenue are flat in nominal terms. `class_terms` computes those
three coefficients once per class, side and layer; the yearly values, the present values, the
break-even slopes and the simulation all derive from that single table, so the formulas live in
one place.

The hot path (tornado, break-even, property tests) calls `savings_pv` thousands of times, so this
module works on plain Python floats: for a dozen scalars NumPy's per-call overhead costs more than
the arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = [
    "CLASSES",
    "LAYERS",
    "ClassTerms",
    "Coef",
    "Expected",
    "Factors",
    "Params",
    "build_params",
    "class_terms",
    "evaluate",
    "factors",
    "savings_pv",
    "with_override",
]

CLASSES: tuple[str, ...] = (
    "tickets",
    "outages",
    "hardware",
    "data_loss",
    "minor_security",
    "major_security",
    "informal_support",
)
LAYERS: tuple[str, ...] = ("hard", "soft", "risk")
HARD, SOFT, RISK = 0, 1, 2


class Coef(NamedTuple):
    """A cost of year y: `bf·e_bf(y) + wage·e_w(y) + flat`."""

    bf: float
    wage: float
    flat: float


ZERO = Coef(0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class ClassTerms:
    """One cost class: its event rate and per-event cost by layer on each side.

    The break/fix side has `rate` events a year, the managed side `rate·keep`, with
    keep = 1 − reduction.
    `severity` names the layer whose per-event cost scales with a random lognormal severity in
    the simulation (outage duration, data-loss cost, incident cost), or None.
    `deterministic` classes (informal support) are not events: their cost is the same every trial.
    """

    name: str
    rate: float
    keep: float
    break_fix: tuple[Coef, Coef, Coef]
    managed: tuple[Coef, Coef, Coef]
    severity: int | None = None
    deterministic: bool = False


@dataclass(frozen=True, slots=True)
class Params:
    """The model's scalars, read once from a normalised document (names follow TCO_MODEL.md)."""

    horizon: int
    discount: float
    users: float
    g_w: float
    g_bf: float
    g_ms: float
    w0: float
    r0: float
    after_hours_factor: float  # 1 + a_ah·(m_ah − 1)
    m_em: float
    trip_cost: float  # q_on · c_trip
    lam_tk: float
    h_tk: float
    l_tk_bf: float
    l_tk_ms: float
    eps_tk: float
    lam_out: float
    dur: float
    dur_ratio: float
    users_affected: float  # f
    productivity_loss: float  # φ
    revenue_per_hour: float  # r_h
    revenue_at_risk: float  # ρ
    h_out: float
    eps_out: float
    lam_hw: float
    h_hw: float
    c_hw: float
    l_hw_bf: float
    l_hw_ms: float
    eps_hw: float
    lam_dl: float
    c_dl: float
    eps_dl: float
    lam_sm: float
    h_sm: float
    l_sm_bf: float
    l_sm_ms: float
    eps_sm: float
    p_major: float
    c_major: float
    eps_major: float
    h_inf_bf: float
    h_inf_ms: float
    mrr: float
    onboarding: float
    onboarding_follows_mrr: bool  # onboarding = multiple · MRR (no fixed fee)
    onboarding_multiple: float
    minimum_fee: float
    other_recurring: float  # Σ price·count for everything but users


def build_params(doc: Mapping[str, Any]) -> Params:
    """Read a normalised document (see inputs.validate) into `Params`, with the derived values."""
    env, lab, bf, ms = doc["environment"], doc["labour"], doc["break_fix"], doc["managed"]
    tk, out, hw, dl = doc["tickets"], doc["outages"], doc["hardware"], doc["data_loss"]
    sm, sM, inf = doc["minor_security"], doc["major_security"], doc["informal_support"]
    users = float(env["users"])

    other = (
        ms["price_per_endpoint"] * env["endpoints"]
        + ms["price_per_server"] * env["servers"]
        + ms["price_per_site"] * env["sites"]
        + ms["price_per_network_device"] * env["network_devices"]
    )
    prices = ms["price_per_user"] * users + other
    mrr = max(ms["minimum_monthly_fee"], prices)
    fixed_onboarding = ms["onboarding_fee"]
    follows_mrr = fixed_onboarding is None
    onboarding = ms["onboarding_multiple"] * mrr if follows_mrr else fixed_onboarding

    return Params(
        horizon=int(doc["horizon_years"]),
        discount=doc["discount_rate"],
        users=users,
        g_w=lab["wage_escalation"],
        g_bf=bf["rate_escalation"],
        g_ms=ms["annual_escalator"],
        w0=lab["loaded_hourly_cost"],
        r0=bf["hourly_rate"],
        after_hours_factor=1.0 + bf["after_hours_share"] * (bf["after_hours_multiplier"] - 1.0),
        m_em=bf["emergency_multiplier"],
        trip_cost=bf["onsite_share"] * bf["trip_fee"],
        lam_tk=tk["per_user_per_month"] * 12.0 * users,
        h_tk=tk["billed_hours"],
        l_tk_bf=tk["user_hours_lost_break_fix"],
        l_tk_ms=tk["user_hours_lost_managed"],
        eps_tk=tk["reduction"],
        # Gamma–Poisson credibility: the prior counts as β0 years of history at λ0 a year.
        lam_out=(out["prior_per_year"] * out["prior_weight_years"] + out["observed_count"])
        / (out["prior_weight_years"] + out["observed_years"]),
        dur=out["duration_hours_break_fix"],
        dur_ratio=out["duration_ratio_managed"],
        users_affected=out["share_of_users_affected"],
        productivity_loss=out["productivity_loss"],
        revenue_per_hour=env["annual_revenue"] / env["working_hours_per_year"],
        revenue_at_risk=out["revenue_at_risk"],
        h_out=out["tech_hours"],
        eps_out=out["reduction"],
        lam_hw=hw["failure_rate"] * env["endpoints"],
        h_hw=hw["tech_hours"],
        c_hw=hw["replacement_cost"],
        l_hw_bf=hw["user_hours_lost_break_fix"],
        l_hw_ms=hw["user_hours_lost_managed"],
        eps_hw=hw["reduction"],
        lam_dl=dl["events_per_year"],
        c_dl=dl["mean_cost"],
        eps_dl=dl["reduction"],
        lam_sm=sm["events_per_year"],
        h_sm=sm["tech_hours"],
        l_sm_bf=sm["user_hours_lost_break_fix"],
        l_sm_ms=sm["user_hours_lost_managed"],
        eps_sm=sm["reduction"],
        p_major=sM["probability_per_year"],
        c_major=sM["mean_cost"],
        eps_major=sM["reduction"],
        h_inf_bf=inf["hours_per_user_month_break_fix"],
        h_inf_ms=inf["hours_per_user_month_managed"],
        mrr=mrr,
        onboarding=onboarding,
        onboarding_follows_mrr=follows_mrr,
        onboarding_multiple=ms["onboarding_multiple"],
        minimum_fee=ms["minimum_monthly_fee"],
        other_recurring=other,
    )


def with_override(doc: Mapping[str, Any], path: str, value: float) -> dict[str, Any]:
    """A shallow copy of a normalised document with one dotted input replaced."""
    if "." not in path:
        return {**doc, path: value}
    section, _, name = path.partition(".")
    return {**doc, section: {**doc[section], name: value}}


def class_terms(p: Params) -> tuple[ClassTerms, ...]:
    """The table of TCO_MODEL.md "Expected annual cost of year y", as per-event coefficients.

    Rates per event are `r_eff = r0·e_bf·(1 + a_ah(m_ah − 1))` for routine work and
    `r_em = r0·e_bf·m_em` for outages; user time is valued at `w = w0·e_w`.
    """
    w0, r_eff0 = p.w0, p.r0 * p.after_hours_factor
    # Outage cost per hour p_h = f·(U·φ·w + r_h·ρ): lost work escalates with wages, revenue is flat.
    ph_wage = p.users_affected * p.users * p.productivity_loss * w0
    ph_flat = p.users_affected * p.revenue_per_hour * p.revenue_at_risk
    ms_dur = p.dur * p.dur_ratio
    return (
        ClassTerms(
            "tickets",
            p.lam_tk,
            1.0 - p.eps_tk,
            (Coef(p.h_tk * r_eff0 + p.trip_cost, 0.0, 0.0), Coef(0.0, p.l_tk_bf * w0, 0.0), ZERO),
            (ZERO, Coef(0.0, p.l_tk_ms * w0, 0.0), ZERO),
        ),
        ClassTerms(
            "outages",
            p.lam_out,
            1.0 - p.eps_out,
            (
                Coef(p.h_out * p.r0 * p.m_em, 0.0, 0.0),
                Coef(0.0, p.dur * ph_wage, p.dur * ph_flat),
                ZERO,
            ),
            (ZERO, Coef(0.0, ms_dur * ph_wage, ms_dur * ph_flat), ZERO),
            severity=SOFT,
        ),
        ClassTerms(
            "hardware",
            p.lam_hw,
            1.0 - p.eps_hw,
            # Same hardware both sides (principle 3): the part is paid either way.
            (Coef(p.h_hw * r_eff0, 0.0, p.c_hw), Coef(0.0, p.l_hw_bf * w0, 0.0), ZERO),
            (Coef(0.0, 0.0, p.c_hw), Coef(0.0, p.l_hw_ms * w0, 0.0), ZERO),
        ),
        ClassTerms(
            "data_loss",
            p.lam_dl,
            1.0 - p.eps_dl,
            (ZERO, ZERO, Coef(0.0, 0.0, p.c_dl)),
            (ZERO, ZERO, Coef(0.0, 0.0, p.c_dl)),
            severity=RISK,
        ),
        ClassTerms(
            "minor_security",
            p.lam_sm,
            1.0 - p.eps_sm,
            (Coef(p.h_sm * r_eff0, 0.0, 0.0), Coef(0.0, p.l_sm_bf * w0, 0.0), ZERO),
            (ZERO, Coef(0.0, p.l_sm_ms * w0, 0.0), ZERO),
        ),
        ClassTerms(
            "major_security",
            p.p_major,
            1.0 - p.eps_major,
            (ZERO, ZERO, Coef(0.0, 0.0, p.c_major)),
            (ZERO, ZERO, Coef(0.0, 0.0, p.c_major)),
            severity=RISK,
        ),
        ClassTerms(
            "informal_support",
            1.0,
            1.0,
            (ZERO, Coef(0.0, 12.0 * p.users * p.h_inf_bf * w0, 0.0), ZERO),
            (ZERO, Coef(0.0, 12.0 * p.users * p.h_inf_ms * w0, 0.0), ZERO),
            deterministic=True,
        ),
    )


@dataclass(frozen=True, slots=True)
class Factors:
    """Escalation indices and discount factors by year, and their sums.

    `pv_*` are Σ_y v(y)·e_x(y) and `sum_*` the undiscounted Σ_y e_x(y): with them a coefficient's
    present value is one multiply-add, without looping over years.
    """

    e_bf: tuple[float, ...]
    e_w: tuple[float, ...]
    e_ms: tuple[float, ...]
    v: tuple[float, ...]
    pv_bf: float
    pv_w: float
    pv_ms: float
    pv_1: float
    sum_bf: float
    sum_w: float
    sum_ms: float


def factors(p: Params) -> Factors:
    years = range(p.horizon)  # index i is year y = i + 1
    e_bf = tuple((1.0 + p.g_bf) ** i for i in years)
    e_w = tuple((1.0 + p.g_w) ** i for i in years)
    e_ms = tuple((1.0 + p.g_ms) ** i for i in years)
    v = tuple((1.0 + p.discount) ** -(i + 1) for i in years)
    return Factors(
        e_bf,
        e_w,
        e_ms,
        v,
        pv_bf=sum(a * b for a, b in zip(e_bf, v, strict=True)),
        pv_w=sum(a * b for a, b in zip(e_w, v, strict=True)),
        pv_ms=sum(a * b for a, b in zip(e_ms, v, strict=True)),
        pv_1=sum(v),
        sum_bf=sum(e_bf),
        sum_w=sum(e_w),
        sum_ms=sum(e_ms),
    )


def savings_pv(p: Params, f: Factors | None = None) -> float:
    """PV_BF − PV_MS, the lean way: one pass over the coefficient table, no per-year detail."""
    if f is None:
        f = factors(p)
    bf_idx = wage = flat = 0.0
    for term in class_terms(p):
        rate_bf, rate_ms = term.rate, term.rate * term.keep
        for a, b in zip(term.break_fix, term.managed, strict=True):
            bf_idx += rate_bf * a.bf - rate_ms * b.bf
            wage += rate_bf * a.wage - rate_ms * b.wage
            flat += rate_bf * a.flat - rate_ms * b.flat
    fees = 12.0 * p.mrr * f.pv_ms
    return bf_idx * f.pv_bf + wage * f.pv_w + flat * f.pv_1 - fees - p.onboarding


def fee_pv_slope(p: Params, f: Factors | None = None) -> float:
    """dPV_MS / dMRR: the fees, plus the onboarding fee when it is a multiple of the MRR."""
    if f is None:
        f = factors(p)
    return 12.0 * f.pv_ms + (p.onboarding_multiple if p.onboarding_follows_mrr else 0.0)


@dataclass(frozen=True, slots=True)
class Side:
    """One side's yearly costs: `lines[y][class] = (hard, soft, risk)`, plus fees for managed."""

    lines: list[dict[str, tuple[float, float, float]]]
    fee: list[float]

    def layer(self, y: int, layer: int) -> float:
        total = sum(line[layer] for line in self.lines[y].values())
        return total + (self.fee[y] if layer == HARD else 0.0)

    def total(self, y: int) -> float:
        return sum(sum(line) for line in self.lines[y].values()) + self.fee[y]


@dataclass(frozen=True, slots=True)
class Expected:
    """The full expected-value breakdown, unrounded."""

    params: Params
    factors: Factors
    break_fix: Side
    managed: Side

    @property
    def years(self) -> int:
        return self.params.horizon

    def net(self, y: int) -> float:
        """C_BF(y) − C_MS(y) for 0-based year index y."""
        return self.break_fix.total(y) - self.managed.total(y)

    def pv(self, side: Side, *, discounted: bool = True) -> float:
        weights = self.factors.v if discounted else (1.0,) * self.years
        total = sum(side.total(y) * weights[y] for y in range(self.years))
        return total + (self.params.onboarding if side is self.managed else 0.0)

    def layer_pv(self, side: Side, layer: int) -> float:
        total = sum(side.layer(y, layer) * self.factors.v[y] for y in range(self.years))
        if side is self.managed and layer == HARD:
            total += self.params.onboarding  # the onboarding fee is hard cash at t = 0
        return total

    def fees_pv(self) -> float:
        return self.params.onboarding + sum(
            fee * v for fee, v in zip(self.managed.fee, self.factors.v, strict=True)
        )


def evaluate(p: Params) -> Expected:
    """Every class × layer × year on both sides (unrounded)."""
    f = factors(p)
    terms = class_terms(p)
    bf_lines: list[dict[str, tuple[float, float, float]]] = []
    ms_lines: list[dict[str, tuple[float, float, float]]] = []
    for e_bf, e_w in zip(f.e_bf, f.e_w, strict=True):
        bf_year: dict[str, tuple[float, float, float]] = {}
        ms_year: dict[str, tuple[float, float, float]] = {}
        for t in terms:
            rate_ms = t.rate * t.keep
            h, s, r = t.break_fix
            bf_year[t.name] = (
                t.rate * (h.bf * e_bf + h.wage * e_w + h.flat),
                t.rate * (s.bf * e_bf + s.wage * e_w + s.flat),
                t.rate * (r.bf * e_bf + r.wage * e_w + r.flat),
            )
            h, s, r = t.managed
            ms_year[t.name] = (
                rate_ms * (h.bf * e_bf + h.wage * e_w + h.flat),
                rate_ms * (s.bf * e_bf + s.wage * e_w + s.flat),
                rate_ms * (r.bf * e_bf + r.wage * e_w + r.flat),
            )
        bf_lines.append(bf_year)
        ms_lines.append(ms_year)
    fees = [12.0 * p.mrr * e for e in f.e_ms]
    return Expected(p, f, Side(bf_lines, [0.0] * p.horizon), Side(ms_lines, fees))
