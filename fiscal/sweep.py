"""Sweeps: the trade-off frontier of one setting, goal-seek, and Monte Carlo sensitivity analysis.

**Frontier.** :func:`frontier` moves one setting (a dotted path, as in
``Scenario.with_value``) over a list of values and records every metric at each point, with the
status of the point (an infeasible point is a row, not a crash) and, where the rules cannot all
hold, the extra envelope they would need. :func:`price_curve` turns the rows into the *price* of
the setting: the change of each equity metric and of the money the protections need per point
(0.01) of a ratio or share, or per unit of an amount — for a hold-harmless floor, the price of
hold-harmless.

The model is built once and reused between points. For the settings that only move bounds —
a floor's or cap's ``ratio``, a per-capita minimum's ``amount`` — the prepared problem and the
column bounds of the built :class:`~fiscal.model.LinearProgram` are patched in place of a
rebuild; for ``envelope.total`` and a blend's ``objective.weight`` only the model is rebuilt
(not the data, the validation or the needs). In every case the model stays loaded in HiGHS
(:class:`~fiscal.highs.HighsSolver`) and only the changed bounds and costs are handed over. Each patch is
checked once per sweep against a fresh ``with_value`` + ``prepare`` + ``build``; if the two
differ, or for any other setting, every point takes the general path. Each point then goes
through :func:`fiscal.pipeline.run_problem`: same tie-break, rounding and independent re-check
as ``fiscal.run``, and the same numbers.

**Monte Carlo.** :func:`monte_carlo` redraws own revenue, population (each unit its own
factor) and/or the envelope (one factor per draw) from stated distributions and re-allocates:
the distribution of each unit's allocation, how often each unit sits on a floor or minimum,
how often each floor or minimum asks for more than the envelope (it would have to be breached),
and how often the rules cannot all hold. Draw ``k`` is seeded by ``(seed, k)``.

Both run on any :mod:`fiscal.executors` executor with identical numbers: work is cut into tasks
of a fixed size and every point is solved from a cold start.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fiscal import metrics as _metrics
from fiscal.data import UnitTable
from fiscal.errors import FiscalError, InfeasibleError, ModelError, ScenarioError, SolverError
from fiscal.executors import Executor, chunked
from fiscal.explain import envelope_repair
from fiscal.highs import HighsSolver
from fiscal.lp import LinearProgram
from fiscal.model import build
from fiscal.pipeline import allocate, load_units_for, run, run_problem
from fiscal.problem import Problem, Rule, prepare
from fiscal.results import Result, recheck, round_allocation, unit_flags
from fiscal.scenario import Scenario, get_path, load_scenario

__all__ = [
    "Distribution",
    "Engine",
    "MonteCarlo",
    "Outcome",
    "frontier",
    "frontier_text",
    "frontier_values",
    "goal_seek",
    "monte_carlo",
    "monte_carlo_text",
    "price_curve",
]

Progress = Callable[[int, int], None]
CHUNK = 8  # points (or draws) per task handed to an executor; fixed, so results never depend on it
METRICS = tuple(_metrics.DESCRIPTIONS)
RATIO_FIELDS = (
    "ratio",
    "weight",
    "min_share",
    "max_share",
    "max_change",
    "need_share",
    "other_markup",
    "growth",
    "revenue_growth",
)
PRICED = (
    "gini",
    "theil",
    "share_of_need_met",
    "min_per_capita",
    "protection_cost",
    "extra_envelope",
)


# ----------------------------------------------------------------------------- the engine


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
            "the solution failed the independent re-check: "
            + "; ".join(f"{c.name}: {c.detail}" for c in failed)
        )
    flags = unit_flags(problem, X).reshape(T, n)
    base = problem.baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(base > 0, (total[0] - base) / base, np.nan)
    return _metrics.indicators(
        population=problem.population,
        resources=problem.capacity[0] + X[0],
        need=problem.need[0],
        transfer=X[0],
        formula=problem.pure_formula()[0],
        flags=flags[0],
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
                f"envelope {totals[0]:,.6g} million VND is not a multiple of the "
                f"rounding unit {base.unit:g}; choose values in whole rounding units"
            )
        pool, stated = totals.copy(), totals.copy()
        for r in base.rules:
            pool, stated = r.apply_to_pool(pool, stated, f"rule '{r.name}'")
        return dataclasses.replace(base, envelope=pool, envelope_total=stated)


class _BlendWeight(_Patch):
    """``objective.weight`` of a blend: only the costs of the model change."""

    def problem(self, base: Problem, value: float) -> Problem:
        return base

    def model(self, engine: Engine, problem: Problem, value: float) -> LinearProgram | None:
        return build(problem, engine.kind, weight=float(value))


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
        self.light: bool | None = None  # metrics from the rounded cells agree with the full path

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
                message=str(exc).splitlines()[0],
                extra_envelope=_extra_envelope(problem),
            )
        except FiscalError as exc:
            return Outcome("error", message=str(exc).splitlines()[0])

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
        try:
            problem = patch.problem(self.base, value)
            lp = patch.model(self, problem, value) if self.kind != "formula" else None
        except FiscalError as exc:
            return Outcome("error", message=str(exc).splitlines()[0])
        return self.run(problem, lp, keep=keep)

    def _general(self, path: str, value: float, keep: bool = True) -> Outcome:
        try:
            scen = self.scenario.with_value(path, value)
        except ScenarioError as exc:
            return Outcome("error", message=str(exc).splitlines()[0])
        meta = scen.scenario
        if meta.level == "commune" and (meta.province == "all" or scen.envelope.from_scenario):
            try:
                res = run(scen, backend=self.backend)
                return Outcome(res.status, res.metrics, res, extra_envelope=0.0)
            except InfeasibleError as exc:
                return Outcome("infeasible", message=str(exc).splitlines()[0])
            except FiscalError as exc:
                return Outcome("error", message=str(exc).splitlines()[0])
        try:
            problem = prepare(scen, self.units)
        except FiscalError as exc:
            return Outcome("error", message=str(exc).splitlines()[0])
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


def _extra_envelope(problem: Problem) -> float:
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


# ----------------------------------------------------------------------------- frontier


def frontier_values(start: float, stop: float, steps: int) -> np.ndarray:
    """``steps`` evenly spaced values from ``start`` to ``stop`` (both included)."""
    if steps < 2:
        raise ModelError(f"a frontier needs at least 2 steps (got {steps})")
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise ModelError("the range of a frontier must be finite")
    return np.linspace(float(start), float(stop), int(steps))


@dataclass(frozen=True)
class _FrontierTask:
    token: str  # one per sweep: a worker reuses its engine across the sweep's tasks
    scenario: Scenario
    units: UnitTable
    path: str
    backend: str | None
    check: tuple[float, ...]
    points: tuple[tuple[int, float], ...]


_LOCAL = threading.local()  # one engine per thread per sweep (executors reuse it across tasks)


def _engine_for(token: str, scenario: Scenario, units: UnitTable, backend: str | None) -> Engine:
    cache = getattr(_LOCAL, "engine", None)
    if cache is None or cache[0] != token:
        _LOCAL.engine = cache = (token, Engine(scenario, units, backend=backend))
    return cache[1]


def _row(index: int, value: float, out: Outcome) -> dict[str, Any]:
    row: dict[str, Any] = {"point": index, "value": value, "status": out.status}
    for key in METRICS:
        row[key] = out.metrics.get(key, np.nan)
    row["extra_envelope"] = out.extra_envelope
    row["message"] = out.message
    return row


def _frontier_task(task: _FrontierTask) -> tuple[list[dict[str, Any]], bool]:
    engine = _engine_for(task.token, task.scenario, task.units, task.backend)
    fast = engine.patch_for(task.path, task.check) is not None
    return [
        _row(i, v, engine.at(task.path, v, check=task.check, keep=False)) for i, v in task.points
    ], fast


def frontier(
    scenario: Scenario | str | Path,
    path: str,
    values: Sequence[float] | np.ndarray,
    *,
    progress: Progress | None = None,
    executor: Executor | None = None,
    backend: str | None = None,
    units: UnitTable | None = None,
) -> pd.DataFrame:
    """Every metric at each value of the setting ``path``; one row per value.

    A setting given per year (a list) takes the one value in every year, as with
    ``Scenario.with_value``. Metrics are those of the first year.

    Columns: ``point``, ``value``, ``status`` ('optimal', 'infeasible' or 'error'), the metrics of
    :mod:`fiscal.metrics`, ``extra_envelope`` (what infeasible points would need, million VND),
    ``message``, and the price columns of :func:`price_curve`. ``frame.attrs`` records the
    scenario, the path, whether the fast path was used and whether figures are illustrative.
    """
    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    values = [float(v) for v in values]
    if not values:
        raise ModelError("a frontier needs at least one value")
    if not all(math.isfinite(v) for v in values):
        raise ModelError(f"the values of a frontier must be finite numbers (got {values})")
    try:
        current = get_path(scen.to_dict(), path)
    except ScenarioError as exc:
        raise ScenarioError(
            f"{scen.path or scen.name}: {exc}; give a dotted setting such as "
            "constraints.<name>.ratio, envelope.total or objective.weight"
        ) from None
    if isinstance(current, dict | bool | str):
        raise ScenarioError(f"{path} is {current!r}, not a number: a frontier moves one number")
    for v in (min(values), max(values)):  # the interior of a valid range is valid
        scen.with_value(path, v)
    units = units if units is not None else load_units_for(scen)
    check = (values[0],)
    points = list(enumerate(values))
    t0 = time.perf_counter()
    if executor is None:
        engine = Engine(scen, units, backend=backend)
        engine.patch_for(path, check)
        rows = []
        for k, (i, v) in enumerate(points):
            rows.append(_row(i, v, engine.at(path, v, check=check, keep=False)))
            if progress is not None:
                progress(k + 1, len(points))
        fast = engine.fast_paths.get(path, False)
    else:
        token = uuid.uuid4().hex
        tasks = [
            _FrontierTask(token, scen, units, path, backend, check, tuple(c))
            for c in chunked(points, CHUNK)
        ]
        done = [0]

        def tick(_k: int, _n: int) -> None:
            if progress is not None:
                done[0] += 1
                progress(min(done[0] * CHUNK, len(points)), len(points))

        parts = executor.map(_frontier_task, tasks, tick)
        rows = [r for part, _ in parts for r in part]
        fast = all(f for _, f in parts)
    frame = pd.DataFrame(rows)
    frame = price_curve(frame, path)
    frame.attrs.update(
        scenario=scen.name,
        file=scen.path,
        path=path,
        current=current,
        fast=fast,
        seconds=time.perf_counter() - t0,
        illustrative=units.illustrative,
        estimated_columns=units.estimated_columns,
        executor=getattr(executor, "name", "in-process"),
    )
    return frame


def price_curve(frame: pd.DataFrame, path: str) -> pd.DataFrame:
    """Add the price of the setting between neighbouring points: ``<metric>_per_pt``.

    For a ratio or share (``…ratio``, ``…weight``, ``…min_share``, ...) the change per point
    (0.01) of the setting; otherwise per unit of it. Between two feasible points for the metrics;
    ``extra_envelope_per_pt`` also between infeasible points (what each further point needs).
    """
    out = frame.copy()
    per = 0.01 if path.rsplit(".", 1)[-1] in RATIO_FIELDS else 1.0
    suffix = "_per_pt" if per == 0.01 else "_per_unit"
    x = out["value"].to_numpy(dtype=float)
    ok = (out["status"] == "optimal").to_numpy()
    dx = np.diff(x) / per
    for key in PRICED:
        y = out[key].to_numpy(dtype=float)
        price = np.full(len(out), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.diff(y) / dx
        both = (
            (ok[1:] & ok[:-1])
            if key != "extra_envelope"
            else (np.isfinite(y[1:]) & np.isfinite(y[:-1]))
        )
        price[1:] = np.where(both & (dx != 0), d, np.nan)
        out[f"{key}{suffix}"] = price
    return out


# ----------------------------------------------------------------------------- goal-seek


def goal_seek(
    scenario: Scenario,
    path: str,
    metric: Callable[[Result], float] | str,
    target: float,
    lo: float,
    hi: float,
    *,
    iters: int = 40,
    tol: float = 1e-6,
    units: Any = None,
) -> tuple[float, Result]:
    """The value of setting ``path`` in [lo, hi] at which ``metric`` reaches ``target``.

    ``metric`` is a function of a Result or the name of a key of ``Result.metrics``; it must be
    monotone in the setting over [lo, hi]. Infeasible points count as not reaching the target.
    ``units`` replaces the scenario's dataset, as in :func:`fiscal.run`.
    """
    # money settings move in whole rounding units
    step = scenario.rounding.unit if path in ("envelope.total",) else 0.0
    if step:
        tol = max(tol, step / max(1.0, abs(hi), abs(lo)))

    def value_at(x: float) -> tuple[float, Result | None]:
        if step:
            x = round(x / step) * step
        try:
            res = run(scenario.with_value(path, x), units=units)
        except InfeasibleError:
            return np.nan, None
        m = res.metrics[metric] if isinstance(metric, str) else metric(res)
        return float(m), res

    try:
        f_lo, r_lo = value_at(lo)
        f_hi, r_hi = value_at(hi)
    except ScenarioError:
        raise
    if np.isnan(f_lo) and np.isnan(f_hi):
        raise ModelError(
            f"goal-seek: the scenario is infeasible at both ends ({path} = {lo}, {hi})"
        )
    increasing = (f_hi > f_lo) if not (np.isnan(f_lo) or np.isnan(f_hi)) else np.isnan(f_lo)
    reach_lo = (not np.isnan(f_lo)) and ((f_lo >= target) if increasing else (f_lo <= target))
    reach_hi = (not np.isnan(f_hi)) and ((f_hi >= target) if increasing else (f_hi <= target))
    if reach_lo == reach_hi and not (np.isnan(f_lo) or np.isnan(f_hi)):
        raise ModelError(
            f"goal-seek: the target {target:g} is not crossed between {path} = {lo:g} "
            f"(metric {f_lo:.6g}) and {hi:g} (metric {f_hi:.6g}); widen the range"
        )
    good, bad = (hi, lo) if reach_hi else (lo, hi)
    best = r_hi if reach_hi else r_lo
    for _ in range(iters):
        mid = 0.5 * (good + bad)
        f_mid, r_mid = value_at(mid)
        reached = (not np.isnan(f_mid)) and ((f_mid >= target) if increasing else (f_mid <= target))
        if reached:
            good, best = mid, r_mid
        else:
            bad = mid
        if abs(good - bad) <= tol * max(1.0, abs(good)):
            break
    if step:  # the whole unit on the reaching side of the crossing
        good = (np.ceil if good > bad else np.floor)(round(good / step, 9)) * step
        best = value_at(good)[1] or best
    if best is None:  # cannot happen: the reaching end was solved
        raise ModelError(f"goal-seek: no feasible point reaches the target {target:g}")
    return float(good), best


# ----------------------------------------------------------------------------- Monte Carlo

VARIABLES = ("revenue", "population", "envelope")


@dataclass(frozen=True)
class Distribution:
    """A multiplicative factor around 1: ``normal:σ``, ``lognormal:σ`` (mean 1),
    ``uniform:low:high`` or ``triangular:low:mode:high`` (relative changes, e.g. −0.1:0.1)."""

    kind: str
    params: tuple[float, ...]

    @classmethod
    def parse(cls, text: str) -> Distribution:
        kind, *rest = text.strip().split(":")
        try:
            params = tuple(float(p) for p in rest)
        except ValueError:
            raise ModelError(f"distribution '{text}': parameters must be numbers") from None
        need = {"normal": 1, "lognormal": 1, "uniform": 2, "triangular": 3}
        if kind not in need:
            raise ModelError(
                f"distribution '{text}': unknown kind '{kind}'; use normal:SD, "
                "lognormal:SD, uniform:LOW:HIGH or triangular:LOW:MODE:HIGH"
            )
        if len(params) != need[kind]:
            raise ModelError(f"distribution '{text}': {kind} takes {need[kind]} parameter(s)")
        if not all(math.isfinite(p) for p in params):
            raise ModelError(f"distribution '{text}': parameters must be finite")
        if kind in ("normal", "lognormal") and not 0 <= params[0] <= 1:
            raise ModelError(
                f"distribution '{text}': the standard deviation is a fraction "
                "between 0 and 1 (0.05 = 5 %)"
            )
        if kind in ("uniform", "triangular") and not (
            -1 <= params[0] <= params[-1] <= 10
            and (kind == "uniform" or params[0] <= params[1] <= params[2])
        ):
            raise ModelError(
                f"distribution '{text}': need −1 ≤ low ≤ (mode ≤) high; values are "
                "relative changes (−0.1 = 10 % less)"
            )
        return cls(kind, params)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` factors (never negative)."""
        p = self.params
        if self.kind == "normal":
            f = 1.0 + p[0] * rng.standard_normal(size)
        elif self.kind == "lognormal":
            f = np.exp(p[0] * rng.standard_normal(size) - 0.5 * p[0] ** 2)
        elif self.kind == "uniform":
            f = 1.0 + rng.uniform(p[0], p[1], size)
        else:
            f = 1.0 + (
                rng.triangular(p[0], p[1], p[2], size) if p[0] < p[2] else np.full(size, p[0])
            )
        return np.maximum(f, 0.0)

    def __str__(self) -> str:
        return ":".join([self.kind, *(f"{v:g}" for v in self.params)])


@dataclass
class MonteCarlo:
    """What :func:`monte_carlo` returns."""

    settings: dict[str, Any]
    draws: pd.DataFrame  # one row per draw: status, factors, metrics
    allocations: np.ndarray  # (draws, T, n) million VND; NaN where a draw is infeasible
    units: pd.DataFrame  # per unit and year: the distribution of its allocation
    rules: pd.DataFrame  # per floor or minimum: how often it binds or cannot be met
    illustrative: bool = False
    estimated_columns: list[str] = field(default_factory=list)

    @property
    def p_infeasible(self) -> float:
        """Share of draws in which the rules cannot all hold."""
        return float((self.draws["status"] != "optimal").mean())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables to export, by sheet name."""
        return {"Units": self.units, "Rules": self.rules, "Draws": self.draws}


@dataclass(frozen=True)
class _DrawTask:
    token: str
    scenario: Scenario
    units: UnitTable
    backend: str | None
    vary: tuple[tuple[str, Distribution], ...]
    seed: int
    draws: tuple[int, ...]


def _draw(engine: Engine, vary: Mapping[str, Distribution], seed: int, k: int) -> dict[str, Any]:
    """Draw ``k``: perturbed inputs, re-allocated (the same numbers wherever it runs)."""
    rng = np.random.default_rng([int(seed), int(k)])
    base = engine.base
    frame = engine.units.frame
    n = len(frame)
    factors: dict[str, np.ndarray] = {}
    for var in VARIABLES:  # fixed order: the draws do not depend on how vary was written
        if var in vary:
            factors[var] = vary[var].sample(rng, 1 if var == "envelope" else n)
    units = engine.units
    if "revenue" in factors or "population" in factors:
        frame = frame.copy()
        if "revenue" in factors:
            frame["own_revenue"] = frame["own_revenue"].to_numpy(dtype=float) * factors["revenue"]
        if "population" in factors:
            frame["population"] = frame["population"].to_numpy(dtype=float) * factors["population"]
        units = dataclasses.replace(units, frame=frame, source=f"{units.source} (draw {k})")
    envelope = None
    if "envelope" in factors:
        totals = base.envelope.copy()
        for r in base.rules:
            totals[0] += r.pool_effect()[0]
        envelope = np.round(totals * factors["envelope"][0] / base.unit) * base.unit
    out: dict[str, Any] = {"draw": k, "factors": {v: f.copy() for v, f in factors.items()}}
    try:
        problem = prepare(engine.scenario, units, envelope)
    except FiscalError as exc:
        out.update(status="error", message=str(exc).splitlines()[0], problem=None)
        return _draw_record(out, None, None)
    res = engine.run(problem)
    out.update(status=res.status, message=res.message, extra_envelope=res.extra_envelope)
    return _draw_record(out, problem, res.result)


def _draw_record(out: dict[str, Any], problem: Problem | None, result: Any) -> dict[str, Any]:
    rec = {k: v for k, v in out.items() if k not in ("problem",)}
    if problem is not None:
        rec["envelope"] = float(problem.envelope_total[0])
        short = {}
        for r in problem.rules:
            if r.unit_floor and not r.soft and r.lower is not None:
                need = np.nansum(r.lower, axis=1)
                short[r.name] = bool(np.any(need > problem.envelope + 0.5 * problem.unit))
        rec["short"] = short
    if result is not None:
        t = result.table
        rec["allocation"] = t["allocation"].to_numpy(dtype=float).reshape(result.problem.T, -1)
        rec["metrics"] = result.metrics
        T = result.problem.T
        lower, _ = _metrics.protection_masks(
            t["flags"].astype(str).to_numpy(), t["transfer"].to_numpy(), t["formula"].to_numpy()
        )
        rec["at_floor"] = lower.reshape(T, -1)
        rec["below_need"] = (t["resources"].to_numpy() < t["need"].to_numpy() - 0.5).reshape(T, -1)
        rec["binding"] = {name: bool(b) for name, b in _binding_rules(result).items()}
    return rec


def _binding_rules(result: Any) -> dict[str, bool]:
    """Whether each floor or minimum holds at least one unit on its bound (from the rounded X)."""
    problem = result.problem
    X = result.cells.sum(axis=1)
    out = {}
    for r in problem.rules:
        if r.unit_floor and r.lower is not None:
            L = r.lower
            hit = (
                ~np.isnan(L)
                & (np.nan_to_num(L) > 0)
                & (np.abs(X - np.nan_to_num(L)) <= problem.unit)
            )
            out[r.name] = bool(hit.any())
    return out


def _draw_task(task: _DrawTask) -> list[dict[str, Any]]:
    engine = _engine_for(task.token, task.scenario, task.units, task.backend)
    vary = dict(task.vary)
    return [_draw(engine, vary, task.seed, k) for k in task.draws]


def monte_carlo(
    scenario: Scenario | str | Path,
    vary: Mapping[str, Distribution | str],
    draws: int = 200,
    *,
    seed: int = 0,
    progress: Progress | None = None,
    executor: Executor | None = None,
    backend: str | None = None,
    units: UnitTable | None = None,
) -> MonteCarlo:
    """Re-allocate ``draws`` times with inputs drawn from ``vary``.

    ``vary`` maps 'revenue' (own revenue, a factor per unit), 'population' (a factor per unit)
    and/or 'envelope' (one factor per draw, every year) to a :class:`Distribution` or its text,
    e.g. ``{"revenue": "normal:0.05", "envelope": "uniform:-0.03:0.01"}``.
    """
    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if draws < 1:
        raise ModelError(f"draws must be at least 1 (got {draws})")
    if not vary:
        raise ModelError("say what to vary: revenue, population and/or envelope")
    dists = {}
    for var, dist in vary.items():
        if var not in VARIABLES:
            raise ModelError(f"cannot vary '{var}'; choose from {', '.join(VARIABLES)}")
        dists[var] = dist if isinstance(dist, Distribution) else Distribution.parse(str(dist))
    meta = scen.scenario
    if meta.level == "commune" and (meta.province == "all" or scen.envelope.from_scenario):
        raise ModelError(
            "Monte Carlo runs one problem per draw: choose a province-level scenario "
            "or one province's communes with its own envelope"
        )
    units = units if units is not None else load_units_for(scen)
    t0 = time.perf_counter()
    engine = Engine(scen, units, backend=backend)
    base = engine.run(engine.base)
    if base.result is None:
        raise ModelError(
            f"the scenario itself cannot be allocated ({base.status}: {base.message}); "
            "fix it before a Monte Carlo run"
        )
    order = tuple((v, dists[v]) for v in VARIABLES if v in dists)
    token = uuid.uuid4().hex
    tasks = [
        _DrawTask(token, scen, units, backend, order, int(seed), tuple(c))
        for c in chunked(list(range(draws)), CHUNK)
    ]
    done = [0]

    def tick(_k: int, _n: int) -> None:
        if progress is not None:
            done[0] += 1
            progress(min(done[0] * CHUNK, draws), draws)

    if executor is None:
        records = []
        for k in range(draws):
            records.append(_draw(engine, dict(order), int(seed), k))
            if progress is not None:
                progress(k + 1, draws)
    else:
        records = [r for part in executor.map(_draw_task, tasks, tick) for r in part]
    mc = _summarise(base.result, records, dists, int(seed), units)
    mc.settings["seconds"] = time.perf_counter() - t0
    mc.settings["executor"] = getattr(executor, "name", "in-process")
    return mc


def _summarise(
    base: Any,
    records: list[dict[str, Any]],
    dists: Mapping[str, Distribution],
    seed: int,
    units: UnitTable,
) -> MonteCarlo:
    T, n = base.problem.T, base.problem.n
    D = len(records)
    alloc = np.full((D, T, n), np.nan)
    at_floor = np.zeros((D, T, n), dtype=bool)
    below = np.zeros((D, T, n), dtype=bool)
    rows = []
    for d, rec in enumerate(records):
        row: dict[str, Any] = {
            "draw": rec["draw"],
            "status": rec["status"],
            "envelope": rec.get("envelope", np.nan),
            "extra_envelope": rec.get("extra_envelope", np.nan),
        }
        for var, f in rec["factors"].items():
            row[f"{var}_factor_mean"] = float(np.mean(f))
        for key in (
            "gini",
            "share_of_need_met",
            "min_per_capita",
            "units_below_need",
            "units_at_floor",
            "protection_cost",
        ):
            row[key] = rec.get("metrics", {}).get(key, np.nan)
        row["message"] = rec.get("message", "")
        rows.append(row)
        if "allocation" in rec:
            alloc[d] = rec["allocation"]
            at_floor[d] = rec["at_floor"]
            below[d] = rec["below_need"]
    ok = np.array([rec["status"] == "optimal" for rec in records])
    t = base.table
    unit_rows = []
    with np.errstate(invalid="ignore"):
        q = np.nanpercentile(alloc, [5, 50, 95], axis=0) if ok.any() else np.full((3, T, n), np.nan)
        for k, year in enumerate(base.years):
            yt = t[t["year"] == year]
            for i in range(n):
                a = alloc[ok, k, i]
                unit_rows.append(
                    {
                        "year": int(year),
                        "code": yt["code"].iat[i],
                        "name": yt["name"].iat[i],
                        "allocation": float(yt["allocation"].iat[i]),
                        "mean": float(a.mean()) if a.size else np.nan,
                        "std": float(a.std(ddof=1)) if a.size > 1 else np.nan,
                        "p05": float(q[0, k, i]),
                        "p50": float(q[1, k, i]),
                        "p95": float(q[2, k, i]),
                        "min": float(a.min()) if a.size else np.nan,
                        "max": float(a.max()) if a.size else np.nan,
                        "p_at_floor": float(at_floor[ok, k, i].mean()) if ok.any() else np.nan,
                        "p_below_need": float(below[ok, k, i].mean()) if ok.any() else np.nan,
                    }
                )
    rule_rows = []
    for r in base.problem.rules:
        if not r.unit_floor or r.soft:
            continue
        short = [rec.get("short", {}).get(r.name, False) for rec in records]
        binding = [
            rec.get("binding", {}).get(r.name, False)
            for rec in records
            if rec["status"] == "optimal"
        ]
        rule_rows.append(
            {
                "name": r.name,
                "kind": r.kind,
                "p_cannot_hold": float(np.mean(short)),
                "p_binding": float(np.mean(binding)) if binding else np.nan,
                "meaning": "p_cannot_hold: share of draws in which the rule alone needs more than the "
                "envelope (it would have to be breached); p_binding: share of feasible "
                "draws in which it holds at least one unit on its bound",
            }
        )
    settings = {
        "draws": D,
        "seed": seed,
        "vary": {v: str(d) for v, d in dists.items()},
        "scenario": base.scenario.name,
        "file": base.scenario.path,
        "p_infeasible": float((~ok).mean()),
    }
    return MonteCarlo(
        settings,
        pd.DataFrame(rows),
        alloc,
        pd.DataFrame(unit_rows),
        pd.DataFrame(rule_rows, columns=["name", "kind", "p_cannot_hold", "p_binding", "meaning"]),
        illustrative=units.illustrative,
        estimated_columns=units.estimated_columns,
    )


# ----------------------------------------------------------------------------- text


def _bn(v: float, sign: bool = False) -> str:
    if not np.isfinite(v):
        return "—"
    return f"{v / 1000:+,.1f}" if sign else f"{v / 1000:,.1f}"


def frontier_text(frame: pd.DataFrame, rows: int = 21) -> str:
    """A frontier as terminal text: about ``rows`` of its points and what they say."""
    a = frame.attrs
    path = a.get("path", "value")
    per = "pt" if any(c.endswith("_per_pt") for c in frame.columns) else "unit"
    lines = [
        f"Frontier of {path} in '{a.get('scenario', '')}' ({len(frame)} points; now "
        f"{_setting(a.get('current'))})",
        f"  {'model reused between points' if a.get('fast') else 'general path: each point rebuilt'}; "
        f"{a.get('executor', 'in-process')}; {a.get('seconds', float('nan')):.2f} s",
    ]
    head = (
        f"  {'value':>12} {'status':>10} {'gini':>8} {'need met':>9} {'min/person':>10} "
        f"{'at floor':>8} {'protect bn':>10} {'extra bn':>9} {'Δgini/' + per:>11} "
        f"{'Δextra bn/' + per:>14}"
    )
    lines += ["", head]
    step = max(1, math.ceil(len(frame) / rows))
    show = sorted(set(range(0, len(frame), step)) | {len(frame) - 1})
    for k in show:
        r = frame.iloc[k]
        ok = r["status"] == "optimal"
        lines.append(
            f"  {r['value']:>12.6g} {r['status']:>10} "
            + (
                f"{r['gini']:>8.5f} {r['share_of_need_met']:>9.3%} {r['min_per_capita']:>10.3f} "
                f"{r['units_at_floor']:>8.0f} {_bn(r['protection_cost']):>10} "
                if ok
                else f"{'':>8} {'':>9} {'':>10} {'':>8} {'':>10} "
            )
            + f"{_bn(r['extra_envelope']) if r['status'] == 'infeasible' else '':>9} "
            + f"{_fmt(r.get(f'gini_per_{per}')):>11} "
            + f"{_bn(r.get(f'extra_envelope_per_{per}', np.nan), True) if not ok else '':>14}"
        )
    ok = frame["status"] == "optimal"
    lines.append("")
    if ok.all():
        lines.append("  every point is feasible")
    elif not ok.any():
        lines.append("  no point is feasible")
    else:
        bad = frame[~ok]
        first = bad.iloc[0]
        extra = first["extra_envelope"]
        lines.append(
            f"  {int(ok.sum())} of {len(frame)} points feasible; the first that is not: "
            f"{path} = {first['value']:.6g} ({first['status']}"
            + (f", needs {_bn(extra)} bn VND more envelope" if np.isfinite(extra) else "")
            + ")"
        )
    g = frame.loc[ok, f"gini_per_{per}"].dropna()
    if len(g):
        lines.append(
            f"  price: the Gini moves by {g.mean():+.5f} per {per} of {path} on average "
            f"(from {g.min():+.5f} to {g.max():+.5f})"
        )
    c = frame.loc[ok, f"protection_cost_per_{per}"].dropna()
    if len(c) and (c != 0).any():
        lines.append(
            f"  the money the protections move above the formula changes by "
            f"{_bn(c.mean(), True)} bn VND per {per} on average"
        )
    e = frame[f"extra_envelope_per_{per}"].dropna()
    e = e[frame.loc[e.index, "status"] == "infeasible"]
    if len(e):
        lines.append(
            f"  beyond the feasible range each further {per} needs {_bn(e.mean())} bn VND "
            "more envelope on average"
        )
    if a.get("illustrative"):
        lines.append(
            f"NOTE: illustrative (estimated) figures in use "
            f"({', '.join(a.get('estimated_columns', []))}); not official data"
        )
    return "\n".join(lines)


def _setting(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(f"{x:g}" for x in v) + "]"
    return f"{v:g}" if isinstance(v, int | float) else str(v)


def _fmt(v: Any) -> str:
    return f"{v:+.5f}" if isinstance(v, float) and np.isfinite(v) else "—"


def monte_carlo_text(mc: MonteCarlo, top: int = 8) -> str:
    """A Monte Carlo run as terminal text: feasibility, the rules, the most uncertain units."""
    st = mc.settings
    vary = ", ".join(f"{k} {v}" for k, v in st["vary"].items())
    d = mc.draws
    ok = d["status"] == "optimal"
    lines = [
        f"Monte Carlo of '{st['scenario']}': {st['draws']} draws, seed {st['seed']}; {vary}",
        f"  {st.get('executor', 'in-process')}; {st.get('seconds', float('nan')):.2f} s",
        "",
        f"  the rules cannot all hold in {(~ok).mean():.1%} of draws"
        + (
            f" (then they need {_bn(d.loc[~ok, 'extra_envelope'].median())} bn VND more "
            "envelope, median)"
            if (~ok).any() and d.loc[~ok, "extra_envelope"].notna().any()
            else ""
        ),
    ]
    for _, r in mc.rules.iterrows():
        lines.append(
            f"  {r['name']} ({r['kind']}): needs more than the envelope in "
            f"{r['p_cannot_hold']:.1%} of draws; binds in {r['p_binding']:.1%} of feasible draws"
        )
    if ok.any():
        lines.append("")
        lines.append("  metric              p05         p50         p95")
        for key in (
            "gini",
            "share_of_need_met",
            "min_per_capita",
            "units_below_need",
            "units_at_floor",
        ):
            q = np.nanpercentile(d.loc[ok, key].to_numpy(dtype=float), [5, 50, 95])
            lines.append(f"  {key:<18}" + "".join(f"{v:>12.5g}" for v in q))
        u = mc.units[mc.units["year"] == mc.units["year"].min()].copy()
        u["spread"] = (u["p95"] - u["p05"]) / u["mean"].where(u["mean"] > 0)
        u = u.sort_values(["spread", "code"], ascending=[False, True], kind="stable").head(top)
        lines.append("")
        lines.append("  most uncertain allocations (p05–p95, bn VND; share of draws at a floor):")
        for _, r in u.iterrows():
            lines.append(
                f"    {r['code']:>5} {str(r['name']):<28} {_bn(r['p05']):>10} – {_bn(r['p95']):<10} "
                f"at floor {r['p_at_floor']:.0%}, below need {r['p_below_need']:.0%}"
            )
    if mc.illustrative:
        lines.append(
            f"NOTE: illustrative (estimated) figures in use "
            f"({', '.join(mc.estimated_columns)}); not official data"
        )
    return "\n".join(lines)
