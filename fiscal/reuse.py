"""Model reuse: one scenario loaded, prepared and built once, solved with one setting changed.

:class:`Engine` is what the frontier (:mod:`fiscal.frontier`) and Monte Carlo
(:mod:`fiscal.montecarlo`) run their points on. For the settings that only move bounds — a
floor's or cap's ``ratio``, a per-capita minimum's ``amount`` (each rule's ``sweep_fields``) —
the prepared problem and the column bounds of the built :class:`~fiscal.lp.LinearProgram` are
patched in place of a rebuild; for ``envelope.total`` and a blend's ``objective.weight`` only
the model is rebuilt (not the data, the validation or the needs). In every case the model stays
loaded in HiGHS (:class:`~fiscal.highs.HighsSolver`) and only the changed bounds and costs are
handed over. Each patch is checked once per sweep against a fresh ``with_value`` + ``prepare`` +
``build``; if the two differ, or for any other setting, every point takes the general path. A
setting of a transfer line after the balancing one (``lines.<name>.envelope``, …) re-uses one
balancing solve and allocates only the lines again (:meth:`Engine.lines_at`). Each
point then goes through :func:`fiscal.pipeline.run_problem`: same tie-break, rounding and
independent re-check as ``fiscal.run``, and the same numbers.

Sweeps run on any :mod:`fiscal.executors` executor with identical numbers: work is cut into
tasks of a fixed size (:data:`CHUNK`), every point is solved from a cold start, and a worker
keeps one engine per sweep (:func:`engine_for`).
"""

from __future__ import annotations

import dataclasses
import math
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fiscal import metrics as _metrics
from fiscal.data import UnitTable
from fiscal.diagnosis import envelope_repair
from fiscal.errors import (
    FiscalError,
    InfeasibleError,
    ModelError,
    ScenarioError,
    SolverError,
    first_line,
)
from fiscal.highs import HighsSolver
from fiscal.lines import has_lines
from fiscal.lp import LinearProgram
from fiscal.model import build
from fiscal.pipeline import allocate, load_units_for, run, run_problem, with_budget
from fiscal.problem import Problem, Rule, prepare
from fiscal.prose.messages import Message
from fiscal.results import recheck, round_allocation, unit_flags
from fiscal.scenario import Scenario

__all__ = ["CHUNK", "Engine", "Outcome", "Progress", "engine_for", "extra_envelope"]

Progress = Callable[[int, int], None]
CHUNK = 8  # points (or draws) per task handed to an executor; fixed, so results never depend on it


@dataclass
class Outcome:
    """One point of a sweep: its status, its metrics (first year), the result if kept."""

    status: str
    metrics: dict[str, float] = field(default_factory=dict)
    result: Any = None  # Result (not kept by the frontier's light path)
    message: str = ""
    extra_envelope: float = float("nan")


def _light_metrics(problem: Problem, alloc: Any) -> dict[str, float]:
    """The metrics of a solved point from its rounded cells, re-checked, without the result
    table (what :func:`fiscal.results.finalize` and :func:`fiscal.metrics.summary` compute)."""
    cells = round_allocation(problem, alloc.x)
    T, _, n = cells.shape
    X = cells.sum(axis=1)
    support = np.zeros((T, n))
    support[0] = problem.support
    total = X + support
    # the columns the re-check reads (Series, not a whole DataFrame: this runs at every point)
    light = {
        "transfer": pd.Series(X.ravel(), copy=False),
        "merger_support": pd.Series(support.ravel(), copy=False),
        "allocation": pd.Series(total.ravel(), copy=False),
    }
    failed = [c for c in recheck(problem, light, cells) if not c.ok]
    if failed:
        raise SolverError(
            Message(
                "solver.recheck_short", failed="; ".join(f"{c.name}: {c.detail}" for c in failed)
            )
        )
    flags = unit_flags(problem, X)
    base = problem.baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(base > 0, (total[0] - base) / base, np.nan)
    return _metrics.indicators(
        population=problem.population,
        resources=problem.capacity[0] + X[0],
        need=problem.need[0],
        transfer=X[0],
        formula=problem.pure_formula()[0],
        flags=flags.year(0),
        allocation=total[0],
        change_pct=change_pct,
        objective=alloc.objective,
    )


def _same_metrics(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (isinstance(a[k], float) and math.isnan(a[k]) and math.isnan(b[k]))
        for k in a
    )


class _Patch(ABC):
    """How one setting changes a prepared problem and its model (the fast path)."""

    @abstractmethod
    def problem(self, base: Problem, value: float) -> Problem:
        """The prepared problem with the setting at ``value``."""

    def model(self, engine: Engine, problem: Problem, value: float) -> LinearProgram | None:
        """The model of the patched problem (None: let run_problem build it)."""
        return None


class _BoundRule(_Patch):
    """A setting of one rule that only moves that rule's bounds on X[i, t] (its
    ``sweep_fields``: a floor's or cap's ratio, a per-capita minimum's amount)."""

    def __init__(self, index: int, rule: Rule, setting: str) -> None:
        self.index, self.rule, self.setting = index, rule, setting

    def problem(self, base: Problem, value: float) -> Problem:
        rules = list(base.rules)
        rules[self.index] = self.rule.with_setting(base, self.setting, value)
        return dataclasses.replace(base, rules=rules)

    def model(self, engine: Engine, problem: Problem, value: float) -> LinearProgram | None:
        lp = engine.base_lp
        if lp is None or problem.S != 1 or self.rule.soft:
            return None  # the rule is a row of the model: rebuild
        if self.index not in engine.other_bounds:
            # the cell bounds every other rule sets (this rule's bounds removed)
            blank = dataclasses.replace(
                self.rule,
                lower=None if self.rule.lower is None else np.full_like(self.rule.lower, np.nan),
                upper=None if self.rule.upper is None else np.full_like(self.rule.upper, np.nan),
            )
            rules = list(engine.base.rules)
            rules[self.index] = blank
            other = build(dataclasses.replace(engine.base, rules=rules), engine.kind)
            assert other.cell_lo is not None and other.cell_hi is not None
            engine.other_bounds[self.index] = (other.cell_lo, other.cell_hi)
        lo, hi = engine.other_bounds[self.index]
        scale = lp.scale
        r = problem.rules[self.index]
        if r.lower is not None:
            vals = (r.lower / scale).ravel()
            lo = np.where(~np.isnan(vals) & (vals > lo), vals, lo)
        if r.upper is not None:
            vals = (r.upper / scale).ravel()
            hi = np.where(~np.isnan(vals) & (vals < hi), vals, hi)
        return lp.with_cell_bounds(lo, hi)


class _EnvelopeTotal(_Patch):
    """``envelope.total``: the pool of every year (grown, in whole rounding units)."""

    def problem(self, base: Problem, value: float) -> Problem:
        scen = base.scenario
        T = base.T
        totals = float(value) * (1.0 + scen.envelope.growth) ** np.arange(T)
        totals[1:] = np.round(totals[1:] / base.unit) * base.unit
        steps = totals / base.unit
        if np.any(np.abs(steps - np.round(steps)) > 1e-6):
            raise ModelError(
                Message("model.sweep_not_multiple", total=float(totals[0]), unit=base.unit)
            )
        pool, stated = totals.copy(), totals.copy()
        for r in base.rules:
            pool, stated = r.apply_to_pool(pool, stated, Message("model.rule_source", rule=r.term))
        return dataclasses.replace(base, envelope=pool, envelope_total=stated)


class _BlendWeight(_Patch):
    """``objective.weight`` of a blend: only the costs of the model change."""

    def problem(self, base: Problem, value: float) -> Problem:
        return base

    def model(self, engine: Engine, problem: Problem, value: float) -> LinearProgram | None:
        return build(problem, engine.kind, weight=float(value))


class _LineSetting(_Patch):
    """A setting of a transfer line after the balancing one (``lines.<name>.envelope``, a
    top-up's ``ratio``, an optimised line's constraints): the balancing problem does not read
    it, so the balancing solve is done once per engine and only the lines are allocated again
    at each point (:meth:`Engine.lines_at`). Checked once per sweep: the prepared problem of
    the changed scenario must equal the engine's (:func:`_same_problem`)."""

    def problem(self, base: Problem, value: float) -> Problem:
        return base


class Engine:
    """One scenario, loaded, prepared and built once; solves it with one setting changed.

    >>> engine = Engine(load_scenario("national-2026-per-capita"))
    >>> engine.at("constraints.hold-harmless.ratio", 0.97).result.metrics["gini"]
    """

    def __init__(
        self,
        scenario: Scenario,
        units: UnitTable | None = None,
        *,
        backend: str | None = None,
        time_limit: float | None = None,
    ) -> None:
        self.scenario = scenario
        self.units = units if units is not None else load_units_for(scenario)
        self.base = prepare(scenario, self.units)
        self.kind = scenario.objective.kind
        self.backend = backend or scenario.solver.backend
        self.time_limit = time_limit
        self.solver = HighsSolver() if self.backend == "highs" else None
        self._lp: LinearProgram | None = None
        # per rule: the cell bounds every other rule sets (see _BoundRule.model)
        self.other_bounds: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._patches: dict[str, _Patch | None] = {}
        self.fast_paths: dict[str, bool] = {}
        # metrics from the rounded cells agree with the full path; not with transfer lines
        # (their metrics need the whole budget, which needs the result table)
        self.light: bool | None = False if has_lines(scenario) else None
        self._balancing: Outcome | None = None  # the balancing solve the lines' points reuse
        self.balancing_solves = 0  # how often the balancing line was solved for lines_of
        # Monte Carlo: per set of varied line settings, whether they leave the balancing problem
        self.reuse_checked: dict[tuple[str, ...], bool] = {}
        self.memo: dict[Any, Any] = {}  # what callers read once per engine (stated settings)

    @property
    def base_lp(self) -> LinearProgram | None:
        """The model of the unchanged scenario (None for the formula)."""
        if self._lp is None and self.kind != "formula":
            self._lp = build(self.base, self.kind)
        return self._lp

    # -- solving
    def run(
        self, problem: Problem, lp: LinearProgram | None = None, *, keep: bool = True
    ) -> Outcome:
        """Allocate ``problem`` (with ``lp`` if given); infeasible and failed points are outcomes.

        ``keep=False`` computes only the metrics, from the rounded cells (no result table); the
        first such point is also run in full and the two must agree, else every point is.
        """
        opts: dict[str, Any] = {
            "backend": self.backend,
            "time_limit": self.time_limit,
            "lp": lp,
            "solver": self.solver,
            "explain_infeasible": False,
        }
        try:
            if keep or self.light is False:
                res = run_problem(problem, with_provenance=False, **opts)
                return Outcome(res.status, res.metrics, res, extra_envelope=0.0)
            a = allocate(problem, **opts)
            values = _light_metrics(problem, a)
            if self.light is None:  # check once against the full path
                full = run_problem(problem, with_provenance=False, **opts).metrics
                self.light = _same_metrics(values, full)
                values = full
            return Outcome(a.status, values, extra_envelope=0.0)
        except InfeasibleError as exc:
            return Outcome(
                "infeasible",
                message=first_line(exc),
                extra_envelope=extra_envelope(problem),
            )
        except FiscalError as exc:
            return Outcome("error", message=first_line(exc))

    # -- one setting
    def patch_for(self, path: str, check: Sequence[float] = ()) -> _Patch | None:
        """The fast patch of ``path`` (None: the general path), checked at the ``check`` values."""
        if path in self._patches:
            return self._patches[path]
        patch = self._find_patch(path)
        if patch is not None:
            for value in check:
                if not self._agrees(patch, path, value):
                    patch = None
                    break
        self._patches[path] = patch
        self.fast_paths[path] = patch is not None
        return patch

    def _find_patch(self, path: str) -> _Patch | None:
        scen = self.scenario
        parts = path.split(".")
        others = scen.lines.others if scen.lines is not None else {}
        if parts[0] == "lines" and len(parts) >= 3 and parts[1] in others:
            return _LineSetting()
        if scen.sharing is not None:
            return None  # the mechanism's rates and transfers follow every setting
        if scen.scenario.level == "commune" and (
            scen.scenario.province == "all" or scen.envelope.from_scenario is not None
        ):
            return None
        if parts[0] == "constraints" and len(parts) == 3:
            names = [c.name for c in scen.constraints]
            key = parts[1]
            idx = (
                int(key)
                if key.lstrip("-").isdigit()
                else (names.index(key) if key in names else None)
            )
            if idx is None or not -len(names) <= idx < len(names):
                return None
            idx %= len(names)
            rule = self.base.rules[idx]
            if parts[2] in rule.sweep_fields:
                return _BoundRule(idx, rule, parts[2])
            return None
        if path == "envelope.total" and scen.envelope.total is not None:
            return _EnvelopeTotal()
        if path == "objective.weight" and self.kind == "blend":
            return _BlendWeight()
        return None

    def _agrees(self, patch: _Patch, path: str, value: float) -> bool:
        """The patched problem and model equal a fresh with_value + prepare + build."""
        try:
            fresh_scen = self.scenario.with_value(path, value)
            fresh = prepare(fresh_scen, self.units)
            mine = patch.problem(self.base, value)
        except FiscalError:
            return False
        if not _same_problem(mine, fresh):
            return False
        if isinstance(patch, _LineSetting):
            return True  # the balancing problem is the engine's: its solve can be reused
        if self.kind == "formula":
            return True
        lp = patch.model(self, mine, value)
        if lp is None:
            return True  # run_problem builds it from the (equal) problem
        ref = build(fresh, self.kind)
        return _same_lp(lp, ref)

    def at(
        self, path: str, value: float, *, check: Sequence[float] | None = None, keep: bool = True
    ) -> Outcome:
        """The scenario with ``path`` set to ``value``: fast when the setting allows it."""
        patch = self.patch_for(path, [value] if check is None else check)
        if patch is None:
            return self._general(path, value, keep)
        if isinstance(patch, _LineSetting):
            return self.lines_at(path, value)
        try:
            problem = patch.problem(self.base, value)
            lp = patch.model(self, problem, value) if self.kind != "formula" else None
        except FiscalError as exc:
            return Outcome("error", message=first_line(exc))
        return self.run(problem, lp, keep=keep)

    def lines_at(self, path: str, value: float) -> Outcome:
        """The scenario with a later line's setting ``path`` at ``value``: the balancing
        solve of the unchanged scenario (done once), then every other line allocated again
        and the whole-budget rules checked (:func:`fiscal.lines.add_budget`)."""
        try:
            scen = self.scenario.with_value(path, value)
        except FiscalError as exc:
            return Outcome("error", message=first_line(exc))
        return self.lines_of(scen)

    def reuses_balancing(self, path: str, value: float) -> bool:
        """Whether ``path`` is a later line's setting that, at ``value``, leaves the balancing
        problem as the engine's (checked once per path), so that :meth:`lines_at` may re-use
        the engine's balancing solve at every value of it."""
        return isinstance(self.patch_for(path, [value]), _LineSetting)

    def same_balancing(self, scenario: Scenario, units: UnitTable | None = None) -> bool:
        """Whether ``scenario`` (over ``units``, default the engine's) prepares to the engine's
        balancing problem, so that :meth:`lines_of` may re-use the engine's balancing solve."""
        try:
            fresh = prepare(scenario, self.units if units is None else units)
        except FiscalError:
            return False
        return _same_problem(fresh, self.base)

    def prime_balancing(self, outcome: Outcome) -> None:
        """Take ``outcome`` (``self.run(self.base)``, done by the caller) as the balancing solve
        :meth:`lines_of` re-uses, instead of solving it again."""
        if self._balancing is None and outcome.result is not None:
            self._balancing = outcome

    def lines_of(self, scenario: Scenario) -> Outcome:
        """``scenario`` — the engine's with only later lines' settings changed (the caller
        checks it with :meth:`same_balancing`) — from the balancing solve of the unchanged
        scenario (done once), every other line allocated again and the whole-budget rules
        checked (:func:`fiscal.lines.add_budget`)."""
        if self._balancing is None:
            self._balancing = self.run(self.base)
            self.balancing_solves += 1
        base = self._balancing
        if base.result is None:
            return Outcome(base.status, message=base.message, extra_envelope=base.extra_envelope)
        scen = scenario
        try:
            res = dataclasses.replace(
                base.result,
                scenario=scen,
                table=base.result.table.copy(),
                runtime=dict(base.result.runtime),
                budget=None,
            )
            with_budget(res)
        except FiscalError as exc:
            return Outcome("error", message=first_line(exc))
        return Outcome(res.status, res.metrics, res, extra_envelope=0.0)

    def _general(self, path: str, value: float, keep: bool = True) -> Outcome:
        try:
            scen = self.scenario.with_value(path, value)
        except ScenarioError as exc:
            return Outcome("error", message=first_line(exc))
        meta = scen.scenario
        if meta.level == "commune" and (meta.province == "all" or scen.envelope.from_scenario):
            try:
                res = run(scen, backend=self.backend)
                return Outcome(res.status, res.metrics, res, extra_envelope=0.0)
            except InfeasibleError as exc:
                return Outcome("infeasible", message=first_line(exc))
            except FiscalError as exc:
                return Outcome("error", message=first_line(exc))
        try:
            problem = prepare(scen, self.units)
        except FiscalError as exc:
            return Outcome("error", message=first_line(exc))
        return self.run(problem, keep=keep)


def _same_problem(a: Problem, b: Problem) -> bool:
    def eq(x: Any, y: Any) -> bool:
        if x is None or y is None:
            return x is None and y is None
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            return np.array_equal(np.asarray(x), np.asarray(y), equal_nan=True)
        if isinstance(x, dict):
            return x.keys() == y.keys() and all(eq(x[k], y[k]) for k in x)
        return x == y

    if not all(
        eq(getattr(a, f), getattr(b, f))
        for f in (
            "envelope",
            "envelope_total",
            "support",
            "need",
            "capacity",
            "gap",
            "baseline",
            "population",
            "sector_share",
            "unit",
            "mode",
        )
    ):
        return False
    if len(a.rules) != len(b.rules):
        return False
    return all(ra.same_as(rb) for ra, rb in zip(a.rules, b.rules, strict=True))


def _same_lp(a: LinearProgram, b: LinearProgram) -> bool:
    def eq_sparse(x: Any, y: Any) -> bool:
        return x.shape == y.shape and (x != y).nnz == 0

    return (
        np.array_equal(a.c, b.c)
        and np.array_equal(a.lb, b.lb)
        and np.array_equal(a.ub, b.ub)
        and np.array_equal(a.b_ub, b.b_ub)
        and np.array_equal(a.b_eq, b.b_eq)
        and eq_sparse(a.A_ub, b.A_ub)
        and eq_sparse(a.A_eq, b.A_eq)
        and a.scale == b.scale
        and np.array_equal(a.anchor, b.anchor)
        and a.constant == b.constant
        and a.objective_factor == b.objective_factor
    )


def extra_envelope(problem: Problem) -> float:
    """The smallest envelope increase that lets the rules hold (elastic relaxation), first year
    with a shortfall; NaN when the envelope is not what is short."""
    try:
        delta = envelope_repair(problem)
    except FiscalError:
        return float("nan")
    if delta is None:
        return float("nan")
    short = delta[delta > 0.5 * problem.unit]
    if short.size == 0:
        return float("nan")
    return float(np.ceil(short.max() / problem.unit) * problem.unit)


_LOCAL = threading.local()  # one engine per thread per sweep (executors reuse it across tasks)


def engine_for(token: str, scenario: Scenario, units: UnitTable, backend: str | None) -> Engine:
    cache = getattr(_LOCAL, "engine", None)
    if cache is None or cache[0] != token:
        _LOCAL.engine = cache = (token, Engine(scenario, units, backend=backend))
    return cache[1]
