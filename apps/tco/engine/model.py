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
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CLASSES",
    "HARD",
    "LAYERS",
    "NOT_EVENTS",
    "RISK",
    "SEVERITY_LAYER",
    "SOFT",
    "ClassTerms",
    "Coef",
    "Expected",
    "Factors",
    "Layers",
    "Params",
    "Side",
    "build_params",
    "class_terms",
    "evaluate",
    "factors",
    "fee_pv_slope",
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


# A cost of year y as (bf, wage, flat): bf·e_bf(y) + wage·e_w(y) + flat. A plain tuple rather
# than a NamedTuple: class_terms builds a few dozen per evaluation and a NamedTuple's Python-level
# __new__ would cost more than the arithmetic.
Coef = tuple[float, float, float]
ZERO: Coef = (0.0, 0.0, 0.0)


Layers = tuple[Coef, Coef, Coef]  # per-event cost by layer: (hard, soft, risk)

# One cost class as (rate, keep, break/fix layers, managed layers): break/fix has `rate` events a
# year and Managed Services `rate·keep` (keep = 1 − reduction), each costing its layers per event.
# A plain tuple: class_terms builds seven per evaluation, and a NamedTuple instance costs about
# five times as much to create.
ClassTerms = tuple[float, float, Layers, Layers]

# Facts about the classes that no input changes.
# The layer whose per-event cost scales with a random severity in the simulation (outage
# duration, data-loss cost, incident cost); the other classes cost the same per event.
SEVERITY_LAYER: dict[str, int] = {"outages": SOFT, "data_loss": RISK, "major_security": RISK}
# Not events: informal support costs the same in every trial.
NOT_EVENTS = frozenset({"informal_support"})


# Not frozen: a frozen dataclass sets each of its fields through object.__setattr__, which made
# up a third of an evaluation. Treat instances as immutable; derive variants with replace().
@dataclass(slots=True, eq=False)
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
    # One entry per class, in CLASSES order.
    return (
        # tickets
        (
            p.lam_tk,
            1.0 - p.eps_tk,
            ((p.h_tk * r_eff0 + p.trip_cost, 0.0, 0.0), (0.0, p.l_tk_bf * w0, 0.0), ZERO),
            (ZERO, (0.0, p.l_tk_ms * w0, 0.0), ZERO),
        ),
        # outages
        (
            p.lam_out,
            1.0 - p.eps_out,
            (
                (p.h_out * p.r0 * p.m_em, 0.0, 0.0),
                (0.0, p.dur * ph_wage, p.dur * ph_flat),
                ZERO,
            ),
            (ZERO, (0.0, ms_dur * ph_wage, ms_dur * ph_flat), ZERO),
        ),
        # hardware
        (
            p.lam_hw,
            1.0 - p.eps_hw,
            # Same hardware both sides (principle 3): the part is paid either way.
            ((p.h_hw * r_eff0, 0.0, p.c_hw), (0.0, p.l_hw_bf * w0, 0.0), ZERO),
            ((0.0, 0.0, p.c_hw), (0.0, p.l_hw_ms * w0, 0.0), ZERO),
        ),
        # data_loss
        (
            p.lam_dl,
            1.0 - p.eps_dl,
            (ZERO, ZERO, (0.0, 0.0, p.c_dl)),
            (ZERO, ZERO, (0.0, 0.0, p.c_dl)),
        ),
        # minor_security
        (
            p.lam_sm,
            1.0 - p.eps_sm,
            ((p.h_sm * r_eff0, 0.0, 0.0), (0.0, p.l_sm_bf * w0, 0.0), ZERO),
            (ZERO, (0.0, p.l_sm_ms * w0, 0.0), ZERO),
        ),
        # major_security
        (
            p.p_major,
            1.0 - p.eps_major,
            (ZERO, ZERO, (0.0, 0.0, p.c_major)),
            (ZERO, ZERO, (0.0, 0.0, p.c_major)),
        ),
        # informal_support
        (
            1.0,
            1.0,
            (ZERO, (0.0, 12.0 * p.users * p.h_inf_bf * w0, 0.0), ZERO),
            (ZERO, (0.0, 12.0 * p.users * p.h_inf_ms * w0, 0.0), ZERO),
        ),
    )


@dataclass(slots=True, eq=False)
class Factors:
    """Escalation indices and discount factors by year, and their sums.

    `pv_*` are Σ_y v(y)·e_x(y): with them a coefficient's present value is one multiply-add,
    without looping over years.
    """

    e_bf: list[float]
    e_w: list[float]
    e_ms: list[float]
    v: list[float]
    pv_bf: float = 0.0
    pv_w: float = 0.0
    pv_ms: float = 0.0
    pv_1: float = 0.0


def factors(p: Params) -> Factors:
    f = Factors([], [], [], [])
    growth_bf, growth_w, growth_ms, rate = 1.0 + p.g_bf, 1.0 + p.g_w, 1.0 + p.g_ms, 1.0 + p.discount
    for i in range(p.horizon):  # index i is year y = i + 1
        # e_x(y) = (1 + g)^(y − 1); v(y) = (1 + d)^(−y): each year is paid at its end.
        e_bf, e_w, e_ms, v = growth_bf**i, growth_w**i, growth_ms**i, rate ** -(i + 1)
        f.e_bf.append(e_bf)
        f.e_w.append(e_w)
        f.e_ms.append(e_ms)
        f.v.append(v)
        f.pv_bf += e_bf * v
        f.pv_w += e_w * v
        f.pv_ms += e_ms * v
        f.pv_1 += v
    return f


def savings_pv(p: Params, f: Factors | None = None) -> float:
    """PV_BF − PV_MS, the lean way: one pass over the coefficient table, no per-year detail."""
    if f is None:
        f = factors(p)
    bf_idx = wage = flat = 0.0
    for rate, keep, bf_layers, ms_layers in class_terms(p):
        kept = rate * keep
        for (a_bf, a_w, a_flat), (b_bf, b_w, b_flat) in zip(bf_layers, ms_layers, strict=True):
            bf_idx += rate * a_bf - kept * b_bf
            wage += rate * a_w - kept * b_w
            flat += rate * a_flat - kept * b_flat
    fees = 12.0 * p.mrr * f.pv_ms
    return bf_idx * f.pv_bf + wage * f.pv_w + flat * f.pv_1 - fees - p.onboarding


def fee_pv_slope(p: Params, f: Factors | None = None) -> float:
    """dPV_MS / dMRR: the fees, plus the onboarding fee when it is a multiple of the MRR."""
    if f is None:
        f = factors(p)
    return 12.0 * f.pv_ms + (p.onboarding_multiple if p.onboarding_follows_mrr else 0.0)


@dataclass(slots=True, eq=False)
class Side:
    """One side's costs by year: per class (`lines[y]`, in CLASSES order), per layer (fee in
    hard) and in total (fee in)."""

    lines: list[list[float]] = field(default_factory=list)
    layers: list[tuple[float, float, float]] = field(default_factory=list)
    fee: list[float] = field(default_factory=list)
    totals: list[float] = field(default_factory=list)

    def layer(self, y: int, layer: int) -> float:
        return self.layers[y][layer]

    def total(self, y: int) -> float:
        return self.totals[y]


@dataclass(slots=True, eq=False)
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
        return self.break_fix.totals[y] - self.managed.totals[y]

    def pv(self, side: Side, *, discounted: bool = True) -> float:
        weights = self.factors.v if discounted else [1.0] * self.years
        total = sum(t * w for t, w in zip(side.totals, weights, strict=True))
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


def _yearly_coefficients(
    terms: tuple[ClassTerms, ...], managed: bool
) -> tuple[list[Coef], list[Coef]]:
    """Yearly coefficients of one side: per class (its layers summed), and per layer.

    A class's yearly cost is its rate times its per-event cost, so the rate is folded in here,
    once, rather than in every year. Unrolled by hand: this runs in every evaluation.
    """
    lines: list[Coef] = []
    h0 = h1 = h2 = s0 = s1 = s2 = r0 = r1 = r2 = 0.0
    for rate, keep, bf, ms in terms:
        if managed:
            rate *= keep
        (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = ms if managed else bf
        a0, a1, a2, b0, b1, b2 = rate * a0, rate * a1, rate * a2, rate * b0, rate * b1, rate * b2
        c0, c1, c2 = rate * c0, rate * c1, rate * c2
        lines.append((a0 + b0 + c0, a1 + b1 + c1, a2 + b2 + c2))
        h0, h1, h2 = h0 + a0, h1 + a1, h2 + a2
        s0, s1, s2 = s0 + b0, s1 + b1, s2 + b2
        r0, r1, r2 = r0 + c0, r1 + c1, r2 + c2
    return lines, [(h0, h1, h2), (s0, s1, s2), (r0, r1, r2)]


def evaluate(p: Params) -> Expected:
    """Every class and layer, every year, on both sides (unrounded)."""
    f = factors(p)
    terms = class_terms(p)
    sides = []
    for managed in (False, True):
        lines, layers = _yearly_coefficients(terms, managed)
        side = Side(fee=[12.0 * p.mrr * e for e in f.e_ms] if managed else [0.0] * p.horizon)
        (ha, hb, hc), (sa, sb, sc), (ra, rb, rc) = layers
        for e_bf, e_w, fee in zip(f.e_bf, f.e_w, side.fee, strict=True):
            side.lines.append([a * e_bf + b * e_w + c for a, b, c in lines])
            hard = ha * e_bf + hb * e_w + hc + fee
            soft = sa * e_bf + sb * e_w + sc
            risk = ra * e_bf + rb * e_w + rc
            side.layers.append((hard, soft, risk))
            side.totals.append(hard + soft + risk)
        sides.append(side)
    return Expected(p, f, sides[0], sides[1])
