"""The trade-off frontier of one setting, its price, and goal-seek.

:func:`frontier` moves one setting (a dotted path, as in ``Scenario.with_value``) over a list of
values and records every metric at each point, with the status of the point (an infeasible
point is a row, not a crash) and, where the rules cannot all hold, the extra envelope they would
need. :func:`price_curve` turns the rows into the *price* of the setting: the change of each
equity metric and of the money the protections need per point (0.01) of a ratio or share, or per
unit of an amount — for a hold-harmless floor, the price of hold-harmless. Points are solved on
one :class:`~fiscal.reuse.Engine` (the model built once and patched).

:func:`goal_seek` finds the value of one setting at which a metric reaches a target.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fiscal import lines
from fiscal import metrics as _metrics
from fiscal.data import UnitTable
from fiscal.errors import InfeasibleError, ModelError, ScenarioError, detail
from fiscal.executors import Executor, chunked
from fiscal.metrics_budget import metric_names
from fiscal.pipeline import load_units_for, run
from fiscal.prose.messages import Message
from fiscal.provenance import provenance, result_method
from fiscal.results import Result
from fiscal.reuse import CHUNK, Engine, Outcome, Progress, engine_for
from fiscal.scenario import Scenario, load_scenario

__all__ = ["frontier", "frontier_values", "goal_seek", "is_money", "price_curve"]

METRICS = tuple(m.key for m in _metrics.METRICS)
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
#: priced too where the scenario has transfer lines (the metrics on total resources)
PRICED_TOTAL = ("gini_total", "share_of_need_met_total", "min_per_capita_total")


def is_money(path: str) -> bool:
    """Whether a setting is money (million VND, moved in whole rounding units): the envelope and
    a transfer line's envelope."""
    return path == "envelope.total" or (path.startswith("lines.") and path.endswith(".envelope"))


def frontier_values(
    start: float,
    stop: float,
    steps: int,
    *,
    through: float | None = None,
    unit: float | None = None,
) -> np.ndarray:
    """``steps`` evenly spaced values from ``start`` to ``stop`` (both included).

    With ``through`` (the scenario's current value) strictly inside the range, the grid passes
    through it exactly: the interior point nearest to it becomes it (the ends and the number of
    points stay; the two gaps beside it are uneven), so that the current scenario is a point of
    the curve rather than a value beside one (187,175.5 beside 187,175.0). With two steps (no
    interior point) it is added between the ends. Outside the range, or already a point
    (to 1e-9 of the step), the grid is the even one.

    With ``unit`` (a money setting's rounding unit) every point is a whole number of units,
    as the money it stands for (points that would coincide are kept once).
    """
    if steps < 2:
        raise ModelError(Message("sweep.steps", steps=steps))
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise ModelError(Message("sweep.range_finite"))
    values = _grid(start, stop, steps, through)
    if unit:
        values = np.unique(np.round(values / unit) * unit)
    return values


def _grid(start: float, stop: float, steps: int, through: float | None) -> np.ndarray:
    """The even grid, through ``through`` (see :func:`frontier_values`)."""
    values = np.linspace(float(start), float(stop), int(steps))
    if through is None or not math.isfinite(through):
        return values
    lo, hi = min(start, stop), max(start, stop)
    if not lo < through < hi:
        return values
    if int(steps) == 2:  # no interior point: it goes between the ends
        return np.array([values[0], float(through), values[1]])
    step = (float(stop) - float(start)) / (int(steps) - 1)
    nearest = int(np.argmin(np.abs(values - through)))
    if abs(values[nearest] - through) > 1e-9 * abs(step):  # not already a point:
        nearest = min(max(nearest, 1), int(steps) - 2)  # an interior one moves, the ends stay
    values[nearest] = float(through)  # (a point already there is written exactly)
    return values


@dataclass(frozen=True)
class _FrontierTask:
    token: str  # one per sweep: a worker reuses its engine across the sweep's tasks
    scenario: Scenario
    units: UnitTable
    path: str
    backend: str | None
    check: tuple[float, ...]
    points: tuple[tuple[int, float], ...]


def _row(index: int, value: float, out: Outcome) -> dict[str, Any]:
    row: dict[str, Any] = {"point": index, "value": value, "status": out.status}
    for key in METRICS:
        row[key] = out.metrics.get(key, np.nan)
    for key, v in out.metrics.items():  # [sharing]'s and the whole budget's metrics too
        if key not in row:
            row[key] = v
    row["extra_envelope"] = out.extra_envelope
    row["message"] = out.message
    return row


def _frontier_task(task: _FrontierTask) -> tuple[list[dict[str, Any]], bool]:
    engine = engine_for(task.token, task.scenario, task.units, task.backend)
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
        raise ModelError(Message("sweep.no_values"))
    if not all(math.isfinite(v) for v in values):
        raise ModelError(Message("sweep.values_finite", values=values))
    try:
        current = scen.value_of(path)
    except ScenarioError as exc:
        source = scen.where
        raise ScenarioError(Message("sweep.bad_path", source=source, detail=detail(exc))) from None
    if isinstance(current, dict | bool | str):
        raise ScenarioError(Message("sweep.not_number", path=path, current=current))
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
    if lines.has_lines(scen):
        frame = _ordered(frame)
    # the messages keep their codes (pandas would make them plain text): the app words them
    frame["message"] = pd.Series([r["message"] for r in rows], index=frame.index, dtype=object)
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
    if lines.has_lines(scen):  # the names of the metrics named after lines and rules
        frame.attrs["metric_names"] = metric_names(scen)
    return frame


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """The point's columns, every metric (an infeasible first point has none, and pandas would
    put the others' after its ``message``), then ``extra_envelope`` and ``message``."""
    last = ["extra_envelope", "message"]
    return frame[[c for c in frame.columns if c not in last] + last]


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
    for key in (*PRICED, *(k for k in PRICED_TOTAL if k in out.columns)):
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

    A later transfer line's setting (``lines.<name>.envelope``, ``….central_share.<class>``)
    that leaves the balancing problem unchanged is sought on one balancing solve
    (:meth:`fiscal.reuse.Engine.lines_at`): only the lines are allocated again at each step,
    with the same numbers as solving the whole scenario each time.
    """
    step = scenario.rounding.unit if is_money(path) else 0.0  # money: whole rounding units
    if step:
        tol = max(tol, step / max(1.0, abs(hi), abs(lo)))

    def value_at(x: float) -> tuple[float, Result | None]:
        if step:
            x = round(x / step) * step
        res = None
        if engine is not None:
            out = engine.lines_at(path, x)
            if out.status == "infeasible" and out.result is None:
                return np.nan, None  # the balancing line itself cannot be allocated
            res = out.result  # None for an error: the general path below raises it in full
        if res is None:
            try:
                res = run(scenario.with_value(path, x), units=units)
            except InfeasibleError:
                return np.nan, None
        m = res.metrics[metric] if isinstance(metric, str) else metric(res)
        return float(m), res

    for end in (lo, hi):  # both ends valid settings (a share past 1 is refused) before solving
        scenario.with_value(path, end)
    engine = _balancing_engine(scenario, path, lo, units)
    f_lo, r_lo = value_at(lo)
    f_hi, r_hi = value_at(hi)
    if np.isnan(f_lo) and np.isnan(f_hi):
        raise ModelError(Message("sweep.infeasible_ends", path=path, lo=lo, hi=hi))
    increasing = (f_hi > f_lo) if not (np.isnan(f_lo) or np.isnan(f_hi)) else np.isnan(f_lo)
    reach_lo = (not np.isnan(f_lo)) and ((f_lo >= target) if increasing else (f_lo <= target))
    reach_hi = (not np.isnan(f_hi)) and ((f_hi >= target) if increasing else (f_hi <= target))
    if reach_lo == reach_hi and not (np.isnan(f_lo) or np.isnan(f_hi)):
        raise ModelError(
            Message(
                "sweep.not_crossed", target=target, path=path, lo=lo, f_lo=f_lo, hi=hi, f_hi=f_hi
            )
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
        raise ModelError(Message("sweep.no_feasible", target=target))
    if not best.provenance:  # the re-used balancing solve skips the data hash: as fiscal.run
        best.provenance = provenance(best.problem, best.backend, result_method(best))
    return float(good), best


def _balancing_engine(
    scenario: Scenario, path: str, value: float, units: UnitTable | None
) -> Engine | None:
    """An engine whose balancing solve every step of a goal-seek over ``path`` re-uses, when
    ``path`` is a later line's setting that leaves the balancing problem as it is (checked at
    ``value``); None: each step solves the whole scenario (:func:`fiscal.run`)."""
    if not path.startswith("lines."):  # not a line's setting: no engine to build
        return None
    meta = scenario.scenario
    if meta.level == "commune" and units is None:
        if meta.province == "all" or scenario.envelope.from_scenario is not None:
            return None  # fiscal.run solves it province by province (run_communes)
    engine = Engine(scenario, units)
    return engine if engine.reuses_balancing(path, value) else None
