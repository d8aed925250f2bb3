"""From a scenario and a unit table to the numbers the allocation works on.

:func:`prepare` resolves everything a scenario says into arrays over years × units (and
sectors): need, capacity, gap, baseline, the envelope of each year, the merger support, and the
rules with the units they cover and their per-year parameters. The formula allocation and the
LP model both start from a :class:`Problem`; nothing downstream reads the scenario's raw values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fiscal import needs
from fiscal.data import UnitTable
from fiscal.errors import ModelError
from fiscal.scenario import (
    Cap,
    Earmark,
    Floor,
    GroupShare,
    MergerSupport,
    PerCapitaMin,
    Scenario,
    SectorBounds,
    Transition,
)

__all__ = ["Problem", "Rule", "prepare"]

# an envelope may hold at most this many rounding units: below 2**53 ≈ 9.0e15, so that every
# whole number of units, and every sum of them, is exact in a float64
MAX_STEPS = 1e15

# kinds whose hard, single-sector form is a bound on each unit's amount
BOUND_KINDS = ("floor", "cap", "per_capita_min", "transition")


@dataclass
class Rule:
    """A constraint of the scenario, resolved over units and years."""

    name: str
    kind: str
    soft: bool
    penalty: float
    mask: np.ndarray  # (n,) units the rule covers
    lower: np.ndarray | None = None  # (T, n) lower bound on X[i,t] (NaN: none)
    upper: np.ndarray | None = None  # (T, n) upper bound
    params: dict = field(default_factory=dict)
    description: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        return self.name if self.name == self.kind else f"{self.name} ({self.kind})"


@dataclass
class Problem:
    """Everything the allocation needs, in million VND, shapes (T, n) unless stated."""

    scenario: Scenario
    units: UnitTable
    years: list[int]
    sectors: list[str]
    sector_share: np.ndarray  # (S,)
    need: np.ndarray
    capacity: np.ndarray
    gap: np.ndarray
    baseline: np.ndarray  # (n,)
    population: np.ndarray  # (n,)
    envelope: np.ndarray  # (T,) what the envelope rule allocates (the pool of regular transfers)
    envelope_total: np.ndarray  # (T,) envelope as stated + support paid on top
    support: np.ndarray  # (n,) one-off merger support, first year
    mode: str  # "equal" or "at_most"
    rules: list[Rule]
    unit: float  # rounding unit
    criteria: np.ndarray  # (K, n) first-year need per criterion (before the mark-up)

    @property
    def n(self) -> int:
        return len(self.baseline)

    @property
    def strict_bounds(self) -> bool:
        """Whether bounds are rounded to the whole unit outside them (see ``[rounding]``)."""
        return self.scenario.rounding.strict_bounds

    @property
    def T(self) -> int:
        return len(self.years)

    @property
    def S(self) -> int:
        return len(self.sectors)

    @property
    def codes(self) -> np.ndarray:
        return self.units.codes

    @property
    def frame(self) -> pd.DataFrame:
        return self.units.frame

    def rules_of(self, *kinds: str) -> list[Rule]:
        return [r for r in self.rules if r.kind in kinds]

    def bounds(self, *, include_soft: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Combined unit-level lower and upper bounds on X[i,t] from the bound-type rules."""
        lo = np.zeros((self.T, self.n))
        hi = np.full((self.T, self.n), np.inf)
        for r in self.rules_of(*BOUND_KINDS):
            if r.soft and not include_soft:
                continue
            if r.lower is not None:
                lo = np.fmax(lo, r.lower)
            if r.upper is not None:
                hi = np.fmin(hi, r.upper)
        return lo, hi

    def pure_formula(self) -> np.ndarray:
        """The formula amount of each unit and year: pool × G_i / Σ G (before protections)."""
        out = np.zeros((self.T, self.n))
        for t in range(self.T):
            g = self.gap[t]
            weights = g if g.sum() > 0 else (self.baseline if self.baseline.sum() > 0 else self.population)
            out[t] = self.envelope[t] * weights / weights.sum()
        return out


def _money(v: float) -> str:
    """238421000.5 → '238,421,000.5' (every digit shown, no exponent)."""
    text = f"{v:,.6f}".rstrip("0").rstrip(".")
    return text


def grid_down(v: np.ndarray | float, unit: float) -> np.ndarray:
    """The largest multiple of ``unit`` not above ``v`` (solver noise below 1e-6 unit ignored)."""
    return np.floor(np.round(np.asarray(v, dtype=float) / unit, 6)) * unit


def grid_up(v: np.ndarray | float, unit: float) -> np.ndarray:
    """The smallest multiple of ``unit`` not below ``v`` (noise below 1e-6 unit ignored)."""
    return np.ceil(np.round(np.asarray(v, dtype=float) / unit, 6)) * unit


def lower_grid(v: np.ndarray, unit: float, strict: bool = False) -> np.ndarray:
    """A lower bound in whole rounding units: the unit below it, or above it when ``strict``."""
    return grid_up(v, unit) if strict else grid_down(v, unit)


def upper_grid(v: np.ndarray, unit: float, strict: bool = False) -> np.ndarray:
    """An upper bound in whole rounding units: the unit above it, or below it when ``strict``."""
    return grid_down(v, unit) if strict else grid_up(v, unit)


def _per_year(value: float | list[float], T: int) -> np.ndarray:
    if isinstance(value, list):
        return np.asarray(value, dtype=float)
    return np.full(T, float(value))


def select_units(frame: pd.DataFrame, where: dict, units: list[str], source: str) -> np.ndarray:
    """Mask of the units chosen by ``where`` (column → value(s)) and/or explicit ``units``."""
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in where.items():
        if column not in frame.columns:
            raise ModelError(
                f"{source}: where = {{{column} = ...}} names column '{column}', which the unit "
                f"table does not have; columns: {', '.join(map(str, frame.columns))}"
            )
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        col = frame[column].astype(str)
        unknown = sorted(set(values) - set(col))
        if unknown:
            present = sorted(set(col))
            raise ModelError(
                f"{source}: where.{column} = {unknown} matches no unit; values of "
                f"'{column}': {present[:12]}{' …' if len(present) > 12 else ''}"
            )
        mask &= col.isin(values).to_numpy()
    if units:
        codes = frame["code"].astype(str)
        unknown = sorted(set(units) - set(codes))
        if unknown:
            raise ModelError(f"{source}: units {unknown} are not in the unit table")
        mask &= codes.isin(units).to_numpy()
    if not mask.any():
        raise ModelError(f"{source}: the selection covers no unit")
    return mask


def prepare(scenario: Scenario, units: UnitTable, envelope: np.ndarray | None = None) -> Problem:
    """Resolve ``scenario`` over ``units``; ``envelope`` overrides the per-year totals."""
    try:
        return _prepare(scenario, units, envelope)
    except ModelError as exc:
        # say where: the scenario file (the message already says which setting)
        source = Path(scenario.path).name if scenario.path else ""
        if source in ("", "__uploaded__.toml"):  # not from a file (see parse_scenario)
            source = f"scenario '{scenario.name}'"
        if str(exc).startswith(source):
            raise
        raise ModelError(f"{source}: {exc}") from None


def _prepare(scenario: Scenario, units: UnitTable, envelope: np.ndarray | None) -> Problem:
    frame = units.frame
    T = len(scenario.years)
    n = len(frame)
    if n == 0:
        raise ModelError("the unit table is empty")
    years = np.arange(T)
    need_growth = (1.0 + scenario.need.growth) ** years
    rev_growth = (1.0 + scenario.capacity.revenue_growth) ** years
    crit = needs.criterion_amounts(frame, scenario.need.criteria)
    need1 = (1.0 + scenario.need.other_markup) * crit.sum(axis=0)
    need = need_growth[:, None] * need1[None, :]
    cap = rev_growth[:, None] * needs.capacity(frame)[None, :]
    gap = needs.gap(need, cap)
    baseline = frame["baseline"].to_numpy(dtype=float)
    population = frame["population"].to_numpy(dtype=float)
    if np.any(need1 <= 0):
        bad = frame["code"].to_numpy()[need1 <= 0][:5].tolist()
        raise ModelError(
            f"units {bad} have zero assessed need; every unit needs a positive need (check the "
            "criteria and the indicator columns)"
        )

    env = scenario.envelope
    if envelope is not None:
        totals = np.asarray(envelope, dtype=float)
        if totals.shape != (T,):
            raise ModelError(f"envelope override has shape {totals.shape}, expected ({T},)")
    elif env.totals is not None:
        totals = np.asarray(env.totals, dtype=float)
    else:
        if env.total is not None:
            first = float(env.total)
        elif env.baseline_factor is not None:
            first = round(baseline.sum() * env.baseline_factor / scenario.rounding.unit) * scenario.rounding.unit
        else:
            raise ModelError(
                "envelope.from_scenario is resolved by the pipeline (commune runs); "
                "call fiscal.run() rather than prepare() directly"
            )
        totals = first * (1.0 + env.growth) ** years
        # a grown envelope is rounded to whole rounding units; the first year stays as stated
        # (a stated total that is not a multiple of the unit is refused below, never changed)
        totals[1:] = np.round(totals[1:] / scenario.rounding.unit) * scenario.rounding.unit
    unit = scenario.rounding.unit
    steps = totals / unit
    if np.any(steps > MAX_STEPS):
        raise ModelError(
            f"the envelope {totals.max():,.0f} million VND is more than {MAX_STEPS:.0e} rounding "
            f"units of {unit:g}: amounts that fine are not exact in floating point; choose a "
            "larger [rounding] unit"
        )
    # exact up to representation noise (0.3 / 0.1 = 2.9999999999999996), not a relative slack
    off = np.abs(steps - np.round(steps)) > 1e-6
    if off.any():
        t = int(np.argmax(off))
        raise ModelError(
            f"envelope {_money(totals[t])} million VND for {scenario.years[t]} is not a multiple of "
            f"the rounding unit {unit:g}; state an envelope in whole rounding units or choose a "
            "[rounding] unit that divides it"
        )

    strict = scenario.rounding.strict_bounds
    rules: list[Rule] = []
    support = np.zeros(n)
    pool = totals.copy()
    stated = totals.copy()
    for idx, c in enumerate(scenario.constraints):
        where = f"constraints[{idx}] ('{c.name}')"
        mask = select_units(frame, c.where, c.units, where) if (c.where or c.units) else np.ones(n, bool)
        rule = Rule(c.name, c.kind, c.soft, c.penalty, mask, description=c.description, source=c.source)
        nanTn = np.full((T, n), np.nan)
        # bounds are whole rounding units: lower bounds rounded down, upper bounds up
        if isinstance(c, Floor):
            ratio = _per_year(c.ratio, T)
            rule.lower = np.where(mask[None, :], lower_grid(ratio[:, None] * baseline[None, :], unit, strict), np.nan)
            rule.params = {"ratio": ratio}
        elif isinstance(c, Cap):
            ratio = _per_year(c.ratio, T)
            rule.upper = np.where(mask[None, :], upper_grid(ratio[:, None] * baseline[None, :], unit, strict), np.nan)
            rule.params = {"ratio": ratio}
        elif isinstance(c, PerCapitaMin):
            amount = _per_year(c.amount, T)
            low = np.maximum(amount[:, None] * population[None, :] - cap, 0.0)
            rule.lower = np.where(mask[None, :], lower_grid(low, unit, strict), np.nan)
            rule.params = {"amount": amount}
        elif isinstance(c, Transition):
            lo, hi = nanTn.copy(), nanTn.copy()
            lo[0] = np.where(mask, lower_grid((1 - c.max_change) * baseline, unit, strict), np.nan)
            hi[0] = np.where(mask, upper_grid((1 + c.max_change) * baseline, unit, strict), np.nan)
            rule.lower, rule.upper = lo, hi
            rule.params = {"max_change": c.max_change}
        elif isinstance(c, GroupShare):
            rule.params = {"min_share": c.min_share, "max_share": c.max_share}
        elif isinstance(c, Earmark):
            rule.params = {"sector": scenario.sector_names.index(c.sector), "min_share": c.min_share}
        elif isinstance(c, SectorBounds):
            rule.params = {
                "sector": scenario.sector_names.index(c.sector),
                "min_of_gap": c.min_of_gap,
                "max_of_gap": c.max_of_gap,
            }
        elif isinstance(c, MergerSupport):
            if rules and any(r.kind == "merger_support" for r in rules):
                raise ModelError(f"{where}: only one merger_support rule is allowed")
            amount = c.per_province * frame["eliminated_provinces"].to_numpy(dtype=float)
            amount += c.per_commune * frame["eliminated_communes"].to_numpy(dtype=float)
            eligible = mask & ((baseline > 0) if c.only_receiving else True)
            amount = np.where(eligible, amount, 0.0)
            amount = np.round(amount / unit) * unit
            support = amount
            if c.placement == "inside":
                pool[0] -= amount.sum()
                if pool[0] < 0:
                    raise ModelError(
                        f"{where}: merger support of {amount.sum():,.0f} million VND paid inside the "
                        f"envelope exceeds the envelope ({totals[0]:,.0f})"
                    )
            else:
                stated = stated.copy()
                stated[0] += amount.sum()
            rule.params = {"placement": c.placement, "amount": amount}
        rules.append(rule)

    sector_share = (
        np.array([s.need_share for s in scenario.sectors]) if scenario.sectors else np.ones(1)
    )
    return Problem(
        scenario=scenario,
        units=units,
        years=list(scenario.years),
        sectors=scenario.sector_names,
        sector_share=sector_share,
        need=need,
        capacity=cap,
        gap=gap,
        baseline=baseline,
        population=population,
        envelope=pool,
        envelope_total=stated,
        support=support,
        mode=env.mode,
        rules=rules,
        unit=unit,
        criteria=crit,
    )
