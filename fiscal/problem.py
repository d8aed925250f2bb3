"""From a scenario and a unit table to the numbers the allocation works on.

:func:`prepare` resolves everything a scenario says into arrays over years × units (and
sectors): need, capacity, gap, baseline, the envelope of each year, the merger support, and the
rules with the units they cover and their per-year parameters. The formula allocation and the
LP model both start from a :class:`Problem`; nothing downstream reads the scenario's raw values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fiscal import mechanism, needs
from fiscal.data import UnitTable, check_coefficient_keys, zero_need_message
from fiscal.errors import ModelError, detail
from fiscal.grid import whole_bound
from fiscal.mechanism import RemittingUnits
from fiscal.prose.messages import Message, Term
from fiscal.rules import Context, Rule
from fiscal.scenario import Scenario

__all__ = ["Problem", "Rule", "prepare", "prepare_parts"]

# an envelope may hold at most this many rounding units: below 2**53 ≈ 9.0e15, so that every
# whole number of units, and every sum of them, is exact in a float64
MAX_STEPS = 1e15


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
    #: (T, n) revenue kept at the rates in force (the status quo); = capacity without [sharing]
    capacity0: np.ndarray | None = None
    #: the A/B/C mechanism of a scenario with [sharing] (fiscal.mechanism)
    sharing: mechanism.SharingState | None = None

    @property
    def reference(self) -> np.ndarray | None:
        """(n,) each unit's predecessors' summed resources (None: not known)."""
        return None if self.sharing is None else self.sharing.reference

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

    @property
    def hard_rules(self) -> list[Rule]:
        """The rules that must hold (the re-check enforces them; soft rules may give way)."""
        return [r for r in self.rules if not r.soft]

    def lower_whole(self, v: np.ndarray | float) -> np.ndarray:
        """A lower bound in whole rounding units (see :mod:`fiscal.grid`); infinities stay."""
        return whole_bound(v, self.unit, self.strict_bounds, lower=True)

    def upper_whole(self, v: np.ndarray | float) -> np.ndarray:
        """An upper bound in whole rounding units (see :mod:`fiscal.grid`); infinities stay."""
        return whole_bound(v, self.unit, self.strict_bounds, lower=False)

    def bounds(self, *, include_soft: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Combined unit-level lower and upper bounds on X[i,t] from the unit-bound rules."""
        lo = np.zeros((self.T, self.n))
        hi = np.full((self.T, self.n), np.inf)
        for r in self.rules:
            if not r.unit_bound or (r.soft and not include_soft):
                continue
            if r.lower is not None:
                lo = np.fmax(lo, r.lower)
            if r.upper is not None:
                hi = np.fmin(hi, r.upper)
        return lo, hi

    def without_rules(self, names: set[str]) -> Problem:
        """The same problem with the named rules removed (a rule that moves money in or out of
        the pool, such as merger support, takes its money with it)."""
        rules = [r for r in self.rules if r.name not in names]
        envelope, total, support = self.envelope.copy(), self.envelope_total.copy(), self.support
        for r in self.rules:
            if r.name not in names:
                continue
            take, add = r.pool_effect()
            if take or add:
                envelope[0] += take
                total[0] -= add
            if r.support() is not None:
                support = np.zeros_like(self.support)
        return dataclasses.replace(
            self, rules=rules, envelope=envelope, envelope_total=total, support=support
        )

    def with_rule(self, rule: Rule) -> Problem:
        """The same problem with ``rule`` in place of the rule of the same name."""
        return dataclasses.replace(
            self, rules=[rule if r.name == rule.name else r for r in self.rules]
        )

    def pure_formula(self) -> np.ndarray:
        """The formula amount of each unit and year: pool × G_i / Σ G (before protections)."""
        out = np.zeros((self.T, self.n))
        for t in range(self.T):
            g = self.gap[t]
            weights = (
                g
                if g.sum() > 0
                else (self.baseline if self.baseline.sum() > 0 else self.population)
            )
            out[t] = self.envelope[t] * weights / weights.sum()
        return out


def prepare(scenario: Scenario, units: UnitTable, envelope: np.ndarray | None = None) -> Problem:
    """Resolve ``scenario`` over ``units``; ``envelope`` overrides the per-year totals."""
    try:
        return _prepare(scenario, units, envelope)
    except ModelError as exc:
        wrapped = _where(scenario, exc)
        if wrapped is exc:
            raise
        raise wrapped from None


def prepare_parts(
    scenario: Scenario,
    units: UnitTable,
    parts: list[tuple[np.ndarray, UnitTable, np.ndarray | None]],
) -> list[Problem]:
    """The problems ``prepare(scenario, table, envelope)`` gives each part of ``units`` — a part
    is (its row positions in ``units``, its own table, its envelope override) — resolved once
    over all units and sliced (a national commune run: one resolution, not 34). A scenario with
    [sharing] (whose mechanism reads a part's units together), or a table as long as the
    horizon, is prepared part by part."""
    try:
        res = _resolve(scenario, units)
    except ModelError as exc:
        wrapped = _where(scenario, exc)
        if wrapped is exc:
            raise
        raise wrapped from None
    if res.state is not None or len(units.frame) == len(scenario.years):
        return [prepare(scenario, table, env) for _, table, env in parts]
    out = []
    for idx, table, env in parts:
        try:
            out.append(_finish(res.take(idx), table, env))
        except ModelError as exc:
            wrapped = _where(scenario, exc)
            if wrapped is exc:
                raise
            raise wrapped from None
    return out


def _where(scenario: Scenario, exc: ModelError) -> ModelError:
    """``exc`` saying where: the scenario file (the message already says which setting)."""
    where = scenario.where_file
    source: str | Message = where
    if isinstance(where, Term):  # not from a file: its name, in both languages
        source = Message("model.scenario_source", scenario=where)
    if str(exc).startswith(str(source)):
        return exc
    return ModelError(Message("model.wrapped", source=source, detail=detail(exc)))


def _prepare(scenario: Scenario, units: UnitTable, envelope: np.ndarray | None) -> Problem:
    return _finish(_resolve(scenario, units), units, envelope)


@dataclass
class _Resolved:
    """A scenario resolved over a unit table, before its envelope: arrays over units (the last
    axis) and the rules, in the scenario's order."""

    scenario: Scenario
    need: np.ndarray
    capacity: np.ndarray
    gap: np.ndarray
    baseline: np.ndarray
    population: np.ndarray
    criteria: np.ndarray
    capacity0: np.ndarray
    rules: list[Rule]
    state: mechanism.SharingState | None

    def take(self, idx: np.ndarray) -> _Resolved:
        """The units ``idx`` (row positions) of a resolution without [sharing]: every array
        over units, and every rule's arrays over units, sliced on their last axis."""
        assert self.state is None
        n, T = self.baseline.shape[0], self.need.shape[0]
        assert n != T  # an array's last axis tells units from years

        def cut(v: Any) -> Any:
            return v[..., idx] if isinstance(v, np.ndarray) and v.ndim and v.shape[-1] == n else v

        rules = [
            dataclasses.replace(
                r, **{f.name: cut(getattr(r, f.name)) for f in dataclasses.fields(r) if f.init}
            )
            for r in self.rules
        ]
        return dataclasses.replace(
            self,
            **{
                k: cut(getattr(self, k))
                for k in ("need", "capacity", "gap", "baseline", "population", "criteria")
            },
            capacity0=cut(self.capacity0),
            rules=rules,
        )


def _resolve(scenario: Scenario, units: UnitTable) -> _Resolved:
    """Everything but the envelope: need, capacity, gap, the mechanism, the rules."""
    frame = units.frame
    T = len(scenario.years)
    n = len(frame)
    if n == 0:
        raise ModelError(Message("model.empty_table"))
    years = np.arange(T)
    need_growth = (1.0 + scenario.need.growth) ** years
    rev_growth = (1.0 + scenario.capacity.revenue_growth) ** years
    check_coefficient_keys(units, scenario.need.criteria)
    crit = needs.criterion_amounts(frame, scenario.need.criteria)
    need1 = (1.0 + scenario.need.other_markup) * crit.sum(axis=0)
    need = need_growth[:, None] * need1[None, :]
    cap = rev_growth[:, None] * needs.capacity(frame)[None, :]
    cap0 = cap
    baseline = frame["baseline"].to_numpy(dtype=float)
    population = frame["population"].to_numpy(dtype=float)
    if np.any(need1 <= 0):
        raise ModelError(zero_need_message(units, need1 <= 0, scenario.need.criteria))
    state = mechanism.resolve(scenario, units, need)
    if state is None:
        gap = needs.gap(need, cap)
    else:
        # the mechanism's A (whole million VND), revenue kept at its rates, its transfers
        need = state.need[None, :].astype(float)
        cap = state.kept[None, :].astype(float)
        kept0 = mechanism.status_quo_kept(state)
        cap0 = cap if kept0 is None else kept0[None, :].astype(float)
        gap = state.transfer[None, :].astype(float)

    ctx = Context(
        frame,
        T,
        n,
        baseline,
        population,
        cap,
        scenario.sector_names,
        scenario.rounding.unit,
        scenario.rounding.strict_bounds,
        cap0,
        None if state is None else state.reference,
    )
    rules: list[Rule] = []
    for idx, c in enumerate(scenario.constraints):
        where = f"constraints[{idx}] ('{c.name}')"
        kind = c.rule
        if kind.max_count is not None and sum(isinstance(r, kind) for r in rules) >= kind.max_count:
            count = "one" if kind.max_count == 1 else str(kind.max_count)
            raise ModelError(Message("rule.only_one", where=where, count=count, kind=c.kind))
        rules.append(kind.from_scenario(c, ctx, where))
    return _Resolved(scenario, need, cap, gap, baseline, population, crit, cap0, rules, state)


def _finish(res: _Resolved, units: UnitTable, envelope: np.ndarray | None) -> Problem:
    """The problem of a resolution with its envelope: each year's total, the pool the rules
    leave to allocate, the merger support."""
    scenario = res.scenario
    T = len(scenario.years)
    years = np.arange(T)
    baseline, gap, state = res.baseline, res.gap, res.state
    env = scenario.envelope
    if envelope is not None:
        totals = np.asarray(envelope, dtype=float)
        if totals.shape != (T,):
            raise ModelError(Message("model.envelope_shape", shape=totals.shape, years=T))
    elif env.totals is not None:
        totals = np.asarray(env.totals, dtype=float)
    elif env.from_sharing:
        totals = gap.sum(axis=1)  # the mechanism's transfers (one year: see Scenario)
    else:
        if env.total is not None:
            first = float(env.total)
        elif env.baseline_factor is not None:
            first = (
                round(baseline.sum() * env.baseline_factor / scenario.rounding.unit)
                * scenario.rounding.unit
            )
        else:
            raise ModelError(Message("model.from_scenario_direct"))
        totals = first * (1.0 + env.growth) ** years
        # a grown envelope is rounded to whole rounding units; the first year stays as stated
        # (a stated total that is not a multiple of the unit is refused below, never changed)
        totals[1:] = np.round(totals[1:] / scenario.rounding.unit) * scenario.rounding.unit
    unit = scenario.rounding.unit
    steps = totals / unit
    if np.any(steps > MAX_STEPS):
        raise ModelError(
            Message(
                "model.envelope_too_fine", total=float(totals.max()), steps=MAX_STEPS, unit=unit
            )
        )
    # exact up to representation noise (0.3 / 0.1 = 2.9999999999999996), not a relative slack
    off = np.abs(steps - np.round(steps)) > 1e-6
    if off.any():
        t = int(np.argmax(off))
        raise ModelError(
            Message(
                "model.envelope_not_multiple",
                total=float(totals[t]),
                year=scenario.years[t],
                unit=unit,
            )
        )

    n = baseline.shape[0]
    rules = list(res.rules)
    support = np.zeros(n)
    pool = totals.copy()
    stated = totals.copy()
    for idx, (c, rule) in enumerate(zip(scenario.constraints, rules, strict=False)):
        where = f"constraints[{idx}] ('{c.name}')"
        pool, stated = rule.apply_to_pool(pool, stated, where)
        paid = rule.support()
        if paid is not None:
            support = paid
    if state is not None:
        rules.append(RemittingUnits.of_rates(state.rate, T))

    sector_share = (
        np.array([s.need_share for s in scenario.sectors]) if scenario.sectors else np.ones(1)
    )
    return Problem(
        scenario=scenario,
        units=units,
        years=list(scenario.years),
        sectors=scenario.sector_names,
        sector_share=sector_share,
        need=res.need,
        capacity=res.capacity,
        gap=gap,
        baseline=baseline,
        population=res.population,
        envelope=pool,
        envelope_total=stated,
        support=support,
        mode=env.mode,
        rules=rules,
        unit=unit,
        criteria=res.criteria,
        capacity0=res.capacity0,
        sharing=state,
    )
