"""The execution view (issue 14 point 4): the monthly drawdown of balancing transfers, and a
Monte Carlo on revenue outturn.

**Drawdown** (Circular 26/2026/TT-BTC Art. 15.3a): the provincial finance department draws the
balancing transfer monthly, "in principle" at most 1/12 of the year's amount a month; in the
months of Q1 it may draw more, but at most 12 % of the year's amount in one month and at most
30 % in the quarter. :func:`drawdown` spreads each unit's annual amount over 12 months by a
profile (``even`` = 1/12 a month; ``front`` = 30 % in Q1, 10 % a month, then 70 %/9) and rounds
to the unit (a million VND, or a dong) in whole numbers, exactly:

1. the Q1 total and the rest are rounded by largest remainder, the Q1 total kept between
   ``a − 9·⌊a/12⌋`` (what the rest can hold at 1/12 a month) and ``min(⌊30 %·a⌋, 3·⌊12 %·a⌋)``;
2. each part is split over its months by largest remainder, no month above its cap
   (``⌊12 %·a⌋`` in Q1, ``⌊a/12⌋`` after); ties go to the earlier month.

So every row sums to its annual amount to the unit and no cap is broken by rounding. An even
profile's rounding-up therefore lands in Q1 (where the cap is 12 %): 1,000 → 85, 84, 84, then
83 nine times. An amount too small for the caps at that unit (below about 200 units) is
refused with the advice to round to the dong.

**Outturn** (:func:`outturn`): transfers are fixed at the estimate; each unit's revenue kept
(B + its share of C) and its land-use fees and lottery are multiplied by a draw of its outturn
factor. A unit whose revenue kept + transfers falls below A has a shortfall; it may borrow for
the capital part of A only (deficits are for capital spending, Law 89/2025 as quoted in
sources/MECHANISM.md §1.8), and the rest is unfunded. Its debt (opening + borrowed) is compared
with its ceiling: 120 % of the revenue it keeps under decentralisation (revenue kept + land-use
fees + lottery at outturn) if it receives no balancing transfer, 80 % if it does (Law 89/2025
Art. 7). Draws come from one generator seeded by ``seed``: the same seed gives the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.errors import ModelError
from fiscal.prose.messages import Message
from fiscal.sources import source_fact

if TYPE_CHECKING:
    from fiscal.montecarlo import Distribution
    from fiscal.results import Result

__all__ = [
    "DEBT_CEILING",
    "MONTHS",
    "PROFILES",
    "Q1_CAP",
    "Q1_MONTH_CAP",
    "Outturn",
    "OutturnBase",
    "base_from_result",
    "drawdown",
    "drawdown_table",
    "hcmc_2025_figures",
    "hcmc_2025_ratio",
    "outturn",
    "parse_profile",
]

MONTHS = 12
#: caps of Circular 26/2026/TT-BTC Art. 15.3a, as fractions of the year's amount
MONTH_CAP = Fraction(1, 12)
Q1_MONTH_CAP = Fraction(12, 100)
Q1_CAP = Fraction(30, 100)
DRAWDOWN_SOURCE = "Circular 26/2026/TT-BTC Art. 15.3a"
#: debt ceiling as a share of revenue kept under decentralisation, by receiving or not
DEBT_CEILING = {"receiving": Fraction(80, 100), "other": Fraction(120, 100)}
DEBT_SOURCE = "Law 89/2025/QH15 Art. 7 (sources/MECHANISM.md §1.8, S8)"

PROFILES: dict[str, tuple[Fraction, ...]] = {
    "even": tuple([Fraction(1, 12)] * 12),
    "front": tuple([Fraction(1, 10)] * 3 + [Fraction(7, 90)] * 9),
}


def parse_profile(profile: str | tuple[Fraction, ...] | list[float]) -> tuple[Fraction, ...]:
    """A named profile or 12 monthly shares (summing to 1, within the caps) as fractions."""
    if isinstance(profile, str):
        if profile in PROFILES:
            return PROFILES[profile]
        try:
            shares = [Fraction(p.strip()) for p in profile.split(",")]
        except (ValueError, ZeroDivisionError):
            raise ModelError(Message("drawdown.profile_text", profile=profile)) from None
    else:
        shares = [p if isinstance(p, Fraction) else Fraction(str(p)) for p in profile]
    if len(shares) != MONTHS:
        raise ModelError(Message("drawdown.profile_months", n=len(shares)))
    if any(s < 0 for s in shares) or sum(shares) != 1:
        raise ModelError(Message("drawdown.profile_sum", total=float(sum(shares))))
    bad = [m + 1 for m, s in enumerate(shares) if s > (Q1_MONTH_CAP if m < 3 else MONTH_CAP)]
    if bad or sum(shares[:3]) > Q1_CAP:
        where = (
            Message("drawdown.months", months=bad)
            if bad
            else Message("drawdown.q1", share=float(sum(shares[:3])))
        )
        raise ModelError(Message("drawdown.profile_caps", where=where))
    return tuple(shares)


def _split(total: int, weights: list[Fraction], caps: list[int]) -> list[int]:
    """``total`` over the weights by largest remainder, exactly, no part above its cap."""
    if sum(weights) == 0:
        weights = [Fraction(1)] * len(weights)
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    out = [min(int(e), c) for e, c in zip(exact, caps, strict=True)]  # floors (e ≥ 0)
    left = total - sum(out)
    while left > 0:
        room = [k for k in range(len(out)) if out[k] < caps[k]]
        if not room:  # the callers keep Σ caps ≥ total
            raise ModelError(Message("drawdown.caps_hold"))
        room.sort(key=lambda k: (-(exact[k] - out[k]), k))  # largest remainder, earlier first
        for k in room[:left]:
            out[k] += 1
        left = total - sum(out)
    return out


def _who(codes: list[str] | None, i: int) -> Message:
    """Which row a drawdown message is about: its unit code, else its row number."""
    return (
        Message("drawdown.who_unit", code=codes[i]) if codes else Message("drawdown.who_row", row=i)
    )


def _one(a: int, shares: tuple[Fraction, ...], who: Message) -> list[int]:
    if a == 0:
        return [0] * MONTHS
    cap_rest = a // 12
    cap_q1m = (12 * a) // 100
    hi = min((30 * a) // 100, 3 * cap_q1m)
    lo = a - 9 * cap_rest
    if lo > hi:
        raise ModelError(Message("drawdown.too_small", who=who, amount=a))
    q_exact = a * sum(shares[:3])
    q = int(q_exact)
    if q_exact - q >= Fraction(1, 2):  # remainders r and 1 − r: Q1 takes the unit if r ≥ ½
        q += 1
    q = min(max(q, lo), hi)
    first = _split(q, list(shares[:3]), [cap_q1m] * 3)
    rest = _split(a - q, list(shares[3:]), [cap_rest] * 9)
    return first + rest


def drawdown(
    annual: np.ndarray | list[float],
    profile: str | tuple[Fraction, ...] = "even",
    *,
    unit: str = "million",
    codes: list[str] | None = None,
) -> np.ndarray:
    """Monthly drawdown (n, 12) of whole annual amounts in million VND, as int64 in the unit
    (``"million"`` VND or ``"dong"``); every row sums exactly to its annual amount.

    >>> drawdown([1000]).tolist()
    [[85, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83, 83]]
    """
    shares = parse_profile(profile)
    if unit not in ("million", "dong"):
        raise ModelError(Message("drawdown.unit", unit=unit))
    values = np.asarray(annual, dtype=float)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0) | (values != np.round(values)))
    if bad.size:
        i = int(bad[0])
        raise ModelError(Message("drawdown.annual", who=_who(codes, i), value=float(values[i])))
    factor = 1 if unit == "million" else 1_000_000
    rows = []
    for i, v in enumerate(values):
        rows.append(_one(int(v) * factor, shares, _who(codes, i)))
    return np.array(rows, dtype=np.int64).reshape(len(values), MONTHS)


def drawdown_table(
    codes: list[str],
    names: list[str],
    annual: np.ndarray | list[float],
    profile: str | tuple[Fraction, ...] = "even",
    *,
    unit: str = "million",
) -> pd.DataFrame:
    """One row per unit (and a total row): annual amount, months 1–12, Q1 and its share, and the
    check that the months reconcile to the annual amount (0 everywhere)."""
    months = drawdown(annual, profile, unit=unit, codes=list(codes))
    factor = 1 if unit == "million" else 1_000_000
    a = np.asarray(annual, dtype=float).astype(np.int64) * factor
    frame = pd.DataFrame({"code": list(codes), "name": list(names), "annual": a})
    for m in range(MONTHS):
        frame[f"m{m + 1:02d}"] = months[:, m]
    frame["q1"] = months[:, :3].sum(axis=1)
    frame["q1_share"] = np.divide(frame["q1"], a, out=np.zeros(len(a)), where=a > 0)
    frame["max_month_after_q1_share"] = np.divide(
        months[:, 3:].max(axis=1), a, out=np.zeros(len(a)), where=a > 0
    )
    frame["difference"] = a - months.sum(axis=1)
    total = {c: frame[c].sum() for c in frame.columns if c.startswith("m") and c[1:].isdigit()}
    total.update(
        code="",
        name="TOTAL",
        annual=int(a.sum()),
        q1=int(frame["q1"].sum()),
        q1_share=float(frame["q1"].sum() / a.sum()) if a.sum() else 0.0,
        max_month_after_q1_share=np.nan,
        difference=int(frame["difference"].sum()),
    )
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


# ----------------------------------------------------------------------------- outturn


def hcmc_2025_ratio() -> Fraction:
    """Hồ Chí Minh City's 2025 revenue outturn over its post-merger target (read from
    sources/province_fiscal_facts_2025_2026.csv, S17): ≈ 1.147, the "115 %" of MECHANISM.md."""
    actual, target = hcmc_2025_figures()
    return Fraction(actual, target)


def hcmc_2025_figures() -> tuple[int, int]:
    """HCMC's REAL 2025 revenue on its territory: outturn and post-merger target (bn VND)."""
    f, w = "province_fiscal_facts_2025_2026.csv", {"code": "79", "year": "2025"}
    actual = source_fact(f, "state_budget_revenue_on_territory_actual", **w)
    target = source_fact(f, "state_budget_revenue_on_territory_central_target_after_merger", **w)
    return actual, target


@dataclass(frozen=True)
class OutturnBase:
    """The estimate a Monte Carlo on outturn starts from (million VND per unit)."""

    codes: list[str]
    names: list[str]
    need: np.ndarray  # A
    kept: np.ndarray  # revenue kept in the gap: B + kept share of C
    land_lottery: np.ndarray  # land-use fees kept + lottery (outside the gap)
    transfers: np.ndarray  # every transfer, fixed at the estimate
    borrowable: np.ndarray  # the capital part of A: what a shortfall may be borrowed for
    receiving: np.ndarray  # bool
    debt: np.ndarray  # opening debt
    notes: tuple[str, ...] = ()

    @property
    def ceiling_ratio(self) -> np.ndarray:
        r, o = DEBT_CEILING["receiving"], DEBT_CEILING["other"]
        return np.where(self.receiving, float(r), float(o))


@dataclass
class Outturn:
    """What :func:`outturn` returns: per unit, per draw, and how many draws saw k units short."""

    settings: dict[str, Any]
    units: pd.DataFrame
    draws: pd.DataFrame
    counts: pd.DataFrame
    factors: np.ndarray = field(repr=False)  # (draws, n)
    illustrative: bool = True

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"units": self.units, "draws": self.draws, "counts": self.counts}


def base_from_result(
    result: Result, *, opening_debt: float = 0.5, capital_share: float | None = None
) -> OutturnBase:
    """The outturn base of a result's first year: A, revenue kept and transfers from the
    result, land-use fees and lottery from its unit table, the capital part of A from the capital
    plan's share (:mod:`fiscal.capital`), opening debt from a ``debt`` column or, failing that,
    ``opening_debt`` × the unit's ceiling at the estimate (illustrative)."""
    from fiscal import capital

    problem = result.problem
    t = result.table
    year = result.years[0]
    t = t[t["year"] == year]
    frame = problem.units.frame
    state = problem.sharing
    need = (state.need if state is not None else t["need"].to_numpy()).astype(float)
    kept = (state.kept if state is not None else t["capacity"].to_numpy()).astype(float)
    transfers = t["resources"].to_numpy(float) - t["capacity"].to_numpy(float)
    ll = np.zeros(len(t))
    for col in ("revenue_land", "revenue_lottery"):
        if col in frame.columns:
            ll += pd.to_numeric(frame[col], errors="coerce").fillna(0).to_numpy(float)
    notes = []
    if capital_share is not None:
        share: Fraction = Fraction(capital_share).limit_denominator(10**9)
    else:
        try:
            share = capital.capital_share(capital.load_plan(), frame)
        except ModelError:
            share = Fraction(0)
            notes.append(Message("outturn.note_no_share"))
    borrowable = np.floor(need * float(share) + 0.5)
    commune = result.scenario.scenario.level == "commune"
    if commune:  # the law's deficits and debt ceilings are the province's
        borrowable = np.zeros(len(need))
        notes.append(Message("outturn.note_communes"))
    if "fiscal_class" in t.columns:
        receiving = (t["fiscal_class"].astype(str) == "receiving").to_numpy()
    else:
        receiving = transfers > 0
    ratio = np.where(receiving, float(DEBT_CEILING["receiving"]), float(DEBT_CEILING["other"]))
    if commune:
        debt = np.zeros(len(need))
    elif "debt" in frame.columns:
        debt = pd.to_numeric(frame["debt"], errors="coerce").fillna(0).to_numpy(float)
        notes.append(Message("outturn.note_debt_column"))
    else:
        if not 0 <= opening_debt <= 2:
            raise ModelError(Message("outturn.opening_debt", share=float(opening_debt)))
        debt = np.floor(opening_debt * ratio * (kept + ll) + 0.5)
        notes.append(Message("outturn.note_debt_illustrative", share=float(opening_debt)))
    return OutturnBase(
        t["code"].astype(str).tolist(),
        t["name"].astype(str).tolist(),
        need,
        kept,
        ll,
        transfers,
        borrowable,
        receiving,
        debt,
        tuple(notes),
    )


def outturn(
    base: OutturnBase,
    revenue: Distribution | str = "normal:0.05",
    draws: int = 1000,
    *,
    seed: int = 0,
    fixed: dict[str, float] | None = None,
) -> Outturn:
    """``draws`` outturns of revenue (a factor per unit and draw from ``revenue``; units in
    ``fixed`` at their given factor in every draw), against need and the debt ceilings."""
    from fiscal.montecarlo import Distribution

    if draws < 1:
        raise ModelError(Message("outturn.draws", draws=int(draws)))
    dist = revenue if isinstance(revenue, Distribution) else Distribution.parse(str(revenue))
    n = len(base.codes)
    rng = np.random.default_rng(int(seed))
    f = dist.sample(rng, draws * n).reshape(draws, n)
    index = {c: i for i, c in enumerate(base.codes)}
    for code, factor in (fixed or {}).items():
        if code not in index:
            raise ModelError(
                Message("outturn.unknown_unit", code=code, codes=", ".join(base.codes[:40]))
            )
        if not 0 <= float(factor) <= 10:
            raise ModelError(Message("outturn.factor", code=code, factor=float(factor)))
        f[:, index[code]] = float(factor)
    kept = base.kept[None, :] * f
    ll = base.land_lottery[None, :] * f
    resources = kept + base.transfers[None, :]
    shortfall = np.maximum(base.need[None, :] - resources, 0.0)
    below = shortfall > 0.5  # half a million VND: the rounding of the tables
    borrowed = np.minimum(shortfall, base.borrowable[None, :])
    unfunded = shortfall - borrowed
    debt = base.debt[None, :] + borrowed
    ceiling = base.ceiling_ratio[None, :] * (kept + ll)
    breach = debt > ceiling + 0.5
    units = pd.DataFrame(
        {
            "code": base.codes,
            "name": base.names,
            "receiving": base.receiving,
            "need": base.need,
            "kept": base.kept,
            "transfers": base.transfers,
            "debt_opening": base.debt,
            "ceiling_ratio": base.ceiling_ratio,
            "below_at_estimate": base.need - (base.kept + base.transfers) > 0.5,
            "factor_mean": f.mean(axis=0),
            "p_below_need": below.mean(axis=0),
            "shortfall_mean": shortfall.mean(axis=0),
            "shortfall_p95": np.percentile(shortfall, 95, axis=0),
            "unfunded_mean": unfunded.mean(axis=0),
            "p_breach": breach.mean(axis=0),
        }
    )
    per_draw = pd.DataFrame(
        {
            "draw": np.arange(draws),
            "factor_mean": f.mean(axis=1),
            "units_below_need": below.sum(axis=1),
            "units_breach": breach.sum(axis=1),
            "shortfall": shortfall.sum(axis=1),
            "unfunded": unfunded.sum(axis=1),
        }
    )
    k = np.arange(n + 1)
    counts = pd.DataFrame(
        {
            "units": k,
            "draws_below_need": np.bincount(below.sum(axis=1), minlength=n + 1),
            "draws_breach": np.bincount(breach.sum(axis=1), minlength=n + 1),
        }
    )
    settings = {
        "draws": draws,
        "seed": int(seed),
        "revenue": str(dist),
        "fixed": {c: float(v) for c, v in (fixed or {}).items()},
        "ceilings": {k2: float(v) for k2, v in DEBT_CEILING.items()},
        "ceilings_source": DEBT_SOURCE,
        "notes": list(base.notes),
    }
    return Outturn(settings, units, per_draw, counts, f)
