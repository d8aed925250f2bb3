"""Monte Carlo sensitivity analysis: allocations under uncertain revenue, population or envelope.

:func:`monte_carlo` redraws own revenue (and B and C, rounded to the million, where the table
has them), population (each unit its own factor) and/or the
envelope (one factor per draw) from stated distributions and re-allocates on one
:class:`~fiscal.reuse.Engine`: the distribution of each unit's allocation, how often each unit
sits on a floor or minimum, how often each floor or minimum asks for more than the envelope (it
would have to be breached), and how often the rules cannot all hold. With transfer lines each
draw allocates every line after the balancing one and records the metrics on total resources
(:data:`LINE_METRICS`) and each line's total, and each unit how often its total resources fall
below need (``p_below_need_total``). Draw ``k`` is seeded by ``(seed, k)``, so the numbers do
not depend on the executor.
"""

from __future__ import annotations

import dataclasses
import math
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fiscal import metrics as _metrics
from fiscal.data import UnitTable
from fiscal.errors import FiscalError, ModelError
from fiscal.executors import Executor, chunked
from fiscal.pipeline import load_units_for
from fiscal.problem import Problem, prepare
from fiscal.reuse import CHUNK, Engine, Progress, engine_for
from fiscal.scenario import Scenario, load_scenario
from fiscal.sharing import CLASSES

__all__ = ["LINE_METRICS", "VARIABLES", "Distribution", "MonteCarlo", "is_variable", "monte_carlo"]

VARIABLES = ("revenue", "population", "envelope")


_LINE_SETTING = re.compile(
    r"lines\.[A-Za-z0-9_-]+\.(envelope|central_share\.(" + "|".join(map(re.escape, CLASSES)) + "))"
)


def is_variable(name: str) -> bool:
    """What a draw can vary: one of :data:`VARIABLES`, a transfer line's envelope
    (``lines.<name>.envelope``) or a co-financed line's central share of one fiscal class
    (``lines.<name>.central_share.<class>``): one factor per draw on the stated value."""
    return name in VARIABLES or _LINE_SETTING.fullmatch(name) is not None


def _stated(engine: Engine, var: str) -> float:
    """The value a line setting's factor multiplies: the line's envelope, or its central share
    of a fiscal class (stated, else Decree 09/2025's); read once per engine."""
    key = ("stated", var)
    if key not in engine.memo:
        engine.memo[key] = float(engine.scenario.value_of(var))
    return float(engine.memo[key])


#: the draws' metrics on total resources, for a scenario with transfer lines (besides each
#: line's total, ``line_<name>``)
LINE_METRICS = (
    "gini_total",
    "share_of_need_met_total",
    "min_per_capita_total",
    "units_below_need_total",
    "units_breaching_rules",
    "resources_total",
)


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
    reuse: bool = True


def _reusable(engine: Engine, vary: Mapping[str, Distribution], scenario: Scenario) -> bool:
    """Whether the draws varying only ``vary``'s line settings leave the balancing problem as
    the engine's (checked on the first such draw, once per engine and set of settings)."""
    key = tuple(sorted(vary))
    if key not in engine.reuse_checked:
        engine.reuse_checked[key] = engine.same_balancing(scenario)
    return engine.reuse_checked[key]


def _draw(
    engine: Engine, vary: Mapping[str, Distribution], seed: int, k: int, reuse: bool = True
) -> dict[str, Any]:
    """Draw ``k``: perturbed inputs, re-allocated (the same numbers wherever it runs). With
    ``reuse`` and only later lines' settings varying, the balancing line is solved once
    (:meth:`fiscal.reuse.Engine.lines_of`) — the same numbers as solving it each draw."""
    rng = np.random.default_rng([int(seed), int(k)])
    base = engine.base
    frame = engine.units.frame
    n = len(frame)
    factors: dict[str, np.ndarray] = {}
    for var in VARIABLES:  # fixed order: the draws do not depend on how vary was written
        if var in vary:
            factors[var] = vary[var].sample(rng, 1 if var == "envelope" else n)
    scenario = engine.scenario
    out: dict[str, Any] = {"draw": k}
    drawn: dict[str, float] = {}
    for var in sorted(v for v in vary if v not in VARIABLES):  # lines' settings, after
        factors[var] = vary[var].sample(rng, 1)
        value = _stated(engine, var) * factors[var][0]
        if var.endswith(".envelope"):  # the line's envelope in whole rounding units
            unit = scenario.rounding.unit
            value = np.round(value / unit) * unit
        drawn[var] = float(value)
    out["factors"] = {v: f.copy() for v, f in factors.items()}
    if drawn:
        try:  # a share drawn above 1 is refused like one typed in a file: an error draw
            scenario = scenario.with_values(drawn)
        except FiscalError as exc:
            out.update(status="error", message=str(exc).splitlines()[0], problem=None)
            return _draw_record(out, None, None)
    if reuse and not any(v in factors for v in VARIABLES) and _reusable(engine, vary, scenario):
        # only later lines' settings vary: the balancing solve is the engine's, done once
        res = engine.lines_of(scenario)
        out.update(status=res.status, message=res.message, extra_envelope=res.extra_envelope)
        return _draw_record(out, engine.base, res.result)
    units = engine.units
    if "revenue" in factors or "population" in factors:
        frame = frame.copy()
        if "revenue" in factors:
            frame["own_revenue"] = frame["own_revenue"].to_numpy(dtype=float) * factors["revenue"]
            for col in ("revenue_local", "revenue_shared"):  # B and C of the A/B/C mechanism,
                if col in frame.columns:  # in the whole million VND it works in
                    values = frame[col].to_numpy(dtype=float) * factors["revenue"]
                    frame[col] = np.floor(values + 0.5)
        if "population" in factors:
            frame["population"] = frame["population"].to_numpy(dtype=float) * factors["population"]
        units = dataclasses.replace(units, frame=frame, source=f"{units.source} (draw {k})")
    envelope = None
    if "envelope" in factors:
        totals = base.envelope.copy()
        for r in base.rules:
            totals[0] += r.pool_effect()[0]
        envelope = np.round(totals * factors["envelope"][0] / base.unit) * base.unit
    try:
        problem = prepare(scenario, units, envelope)
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
            result.flags, t["transfer"].to_numpy(), t["formula"].to_numpy()
        )
        rec["at_floor"] = lower
        below = _metrics.below_need(t["resources"].to_numpy(), t["need"].to_numpy())
        rec["below_need"] = below.reshape(T, -1)
        if result.budget is not None:  # on total resources too (issue 14)
            total = _metrics.below_need(t["resources_total"].to_numpy(), t["need"].to_numpy())
            rec["below_need_total"] = total.reshape(T, -1)
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
    engine = engine_for(task.token, task.scenario, task.units, task.backend)
    vary = dict(task.vary)
    return [_draw(engine, vary, task.seed, k, task.reuse) for k in task.draws]


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
    reuse_balancing: bool = True,
) -> MonteCarlo:
    """Re-allocate ``draws`` times with inputs drawn from ``vary``.

    ``vary`` maps 'revenue' (own revenue, a factor per unit), 'population' (a factor per unit),
    'envelope' (one factor per draw, every year) and/or a transfer line's envelope
    ('lines.<name>.envelope', one factor per draw) to a :class:`Distribution` or its text,
    e.g. ``{"revenue": "normal:0.05", "envelope": "uniform:-0.03:0.01"}``; or a co-financed
    line's central share of a fiscal class ('lines.<name>.central_share.<class>'; a draw that
    takes it above 1 is an error draw, with the file's message).

    When only line settings vary, the balancing line does not change: it is solved once and
    each draw allocates the other lines again (``reuse_balancing=False`` solves it every draw,
    with the same results: a test compares the two).
    """
    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if draws < 1:
        raise ModelError(f"draws must be at least 1 (got {draws})")
    if not vary:
        raise ModelError("say what to vary: revenue, population and/or envelope")
    dists = {}
    others = scen.lines.others if scen.lines is not None else {}
    for var, dist in vary.items():
        if not is_variable(var):
            raise ModelError(
                f"cannot vary '{var}'; choose from {', '.join(VARIABLES)}, "
                "lines.<name>.envelope or lines.<name>.central_share.<class> (classes: "
                f"{', '.join(CLASSES)})"
            )
        if ".central_share." in var:
            cofinanced = [k for k, v in others.items() if v.rule == "cofinance"]
            if var.split(".")[1] not in cofinanced:
                raise ModelError(
                    f"cannot vary '{var}': the scenario has no co-financed line "
                    f"'{var.split('.')[1]}' (co-financed lines: {', '.join(cofinanced) or 'none'})"
                )
        elif (
            var not in VARIABLES
            and getattr(others.get(var.split(".")[1]), "envelope", None) is None
        ):
            raise ModelError(
                f"cannot vary '{var}': the scenario has no line '{var.split('.')[1]}' with an "
                f"envelope (lines with one: "
                f"{', '.join(k for k, v in others.items() if v.envelope is not None) or 'none'})"
            )
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
    engine.prime_balancing(base)  # the draws that vary only lines re-use this solve
    order = tuple((v, dists[v]) for v in (*VARIABLES, *sorted(dists)) if v in dists)
    order = tuple(dict(order).items())  # each once
    token = uuid.uuid4().hex
    tasks = [
        _DrawTask(token, scen, units, backend, order, int(seed), tuple(c), reuse_balancing)
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
            records.append(_draw(engine, dict(order), int(seed), k, reuse_balancing))
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
    lines = base.budget is not None
    below_total = np.zeros((D, T, n), dtype=bool)
    # with transfer lines: the metrics on total resources and each line's total per draw
    extra = [k for k in base.metrics if k in LINE_METRICS or k.startswith("line_")] if lines else []
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
        for key in extra:
            row[key] = rec.get("metrics", {}).get(key, np.nan)
        row["message"] = rec.get("message", "")
        rows.append(row)
        if "allocation" in rec:
            alloc[d] = rec["allocation"]
            at_floor[d] = rec["at_floor"]
            below[d] = rec["below_need"]
            if lines:
                below_total[d] = rec["below_need_total"]
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
                if lines:
                    unit_rows[-1]["p_below_need_total"] = (
                        float(below_total[ok, k, i].mean()) if ok.any() else np.nan
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
