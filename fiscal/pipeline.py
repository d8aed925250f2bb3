"""``run(scenario) -> Result``: the whole pipeline, read top to bottom.

data → scenario → needs (prepare) → formula or model → solve (+ tie-break) → round → re-check.
The CLI, the app and the sweeps call only this module and :mod:`fiscal.export`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal import calibrate, communes, fastpath, lines, parallel
from fiscal.data import UnitTable, bundled_units, load_units
from fiscal.errors import (
    DataError,
    FiscalError,
    InfeasibleError,
    ModelError,
    SolverError,
    detail,
)
from fiscal.formula import Conflict, formula_allocation, sector_weights
from fiscal.objectives import objective_value
from fiscal.problem import Problem, prepare, prepare_parts
from fiscal.prose.messages import Message, Term
from fiscal.provenance import computed_by, provenance, result_method
from fiscal.results import Result, finalize, finalize_parts
from fiscal.scenario import Scenario, load_scenario, resolve_reference

if TYPE_CHECKING:
    from fiscal.executors import Executor
    from fiscal.lp import LinearProgram, Solution

_log = logging.getLogger(__name__)

__all__ = [
    "Allocation",
    "allocate",
    "allocate_shared",
    "computed_by",
    "load_units_for",
    "lp_models",
    "model_of",
    "primary_model",
    "provenance",
    "result_method",
    "run",
    "run_communes",
    "run_problem",
    "with_budget",
]


def load_units_for(scenario: Scenario, province: str | None = None) -> UnitTable:
    """The unit table a scenario names (bundled, or a file next to the scenario), with the
    baseline of ``[lines.balancing] baseline_from`` where it names one."""
    table = _load_units(scenario, province)
    lines = scenario.lines
    if lines is None or lines.balancing.baseline_from is None:
        return table
    return _baseline_from(scenario, lines.balancing.baseline_from, table)


def _baseline_from(scenario: Scenario, ref: str, table: UnitTable) -> UnitTable:
    """``table`` with last year's transfer taken from scenario ``ref``'s transfers."""
    where = scenario.where
    path = resolve_reference(ref, scenario.base_dir, "lines.balancing.baseline_from", where)
    upper = load_scenario(path)
    year = scenario.years[0] - 1
    if upper.scenario.level != scenario.scenario.level or year not in upper.years:
        raise ModelError(
            Message(
                "lines.baseline_from_level",
                source=scenario.where_file,
                year=year,
                other=path.name,
                level=upper.scenario.level,
                years=upper.years,
            )
        )
    result = run(upper)
    rows = result.table[result.table["year"] == year].set_index("code")["transfer"]
    codes = table.frame["code"].astype(str)
    missing = sorted(set(codes) - set(rows.index.astype(str)))
    if missing:
        raise ModelError(
            Message(
                "lines.baseline_from_year",
                source=scenario.where_file,
                other=path.name,
                units=missing[:5],
            )
        )
    frame = table.frame.copy()
    frame["baseline"] = codes.map(rows.rename(index=str)).to_numpy(dtype=float)
    note = f"baseline: the {year} transfers of {upper.name} ({path.name})"
    return dataclasses.replace(table, frame=frame, notes=(*table.notes, note))


def _load_units(scenario: Scenario, province: str | None = None) -> UnitTable:
    meta = scenario.scenario
    province = province if province is not None else meta.province
    if province == "all":
        province = None
    if meta.dataset == "bundled":
        try:
            return bundled_units(meta.level, province)
        except DataError as exc:
            source = scenario.where_file
            raise DataError(
                Message("data.province_scenario", source=source, detail=detail(exc))
            ) from None
    path = resolve_reference(meta.dataset, scenario.base_dir, "scenario.dataset", scenario.where)
    table = load_units(path, meta.level)
    if meta.level == "commune" and province is not None:
        frame = table.frame[table.frame["parent"] == province].reset_index(drop=True)
        if frame.empty:
            raise ModelError(Message("model.no_parent", path=str(path), province=province))
        table = dataclasses.replace(table, frame=frame)  # keeps each unit's file row
    return table


def run(
    scenario: Scenario | str | Path,
    *,
    backend: str | None = None,
    time_limit: float | None = None,
    units: UnitTable | None = None,
    envelope: np.ndarray | None = None,
    tie_break: bool | None = None,
    method: str = "auto",
    helpers: Executor | None = None,
) -> Result:
    """Allocate ``scenario`` (a Scenario or a path) and return the re-checked :class:`Result`.

    ``backend`` and ``time_limit`` override the scenario's [solver] settings; ``units`` replaces
    the scenario's dataset; ``envelope`` (one value per year) replaces its envelope;
    ``method="lp"`` solves the LP even where the direct solvers apply (see :func:`allocate`);
    ``helpers`` (an executor, e.g. a :class:`~fiscal.executors.ProcessPool` kept by the app)
    shares a commune run's LP solves with this process (:func:`run_communes`).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    meta = scenario.scenario
    if meta.level == "commune" and units is None:
        env = scenario.envelope
        if meta.province == "all" or env.from_scenario is not None:
            return run_communes(
                scenario, backend=backend, time_limit=time_limit, method=method, helpers=helpers
            )
    t0 = time.perf_counter()
    table = units if units is not None else load_units_for(scenario)
    t_data = time.perf_counter()
    problem = prepare(scenario, table, envelope)
    t_prep = time.perf_counter()
    result = run_problem(
        problem, backend=backend, time_limit=time_limit, tie_break=tie_break, method=method
    )
    result.runtime.update(data=t_data - t0, prepare=t_prep - t_data, total=time.perf_counter() - t0)
    return result


def primary_model(scenario: Scenario, *, units: UnitTable | None = None) -> LinearProgram:
    """The LP a scenario's allocation solves first (before the tie-break), as built for it."""
    from fiscal.model import build  # start-up: SciPy only where a model is built

    meta = scenario.scenario
    if scenario.objective.kind == "formula":
        raise ModelError(Message("model.formula_objective", scenario=_term(scenario)))
    if (
        units is None
        and meta.level == "commune"
        and (meta.province == "all" or scenario.envelope.from_scenario is not None)
    ):
        raise ModelError(Message("model.per_province", scenario=_term(scenario)))
    table = units if units is not None else load_units_for(scenario)
    problem = prepare(scenario, table)
    if problem.sharing is not None and problem.sharing.optimise:
        from fiscal.rates import rate_model  # start-up: as model above

        return rate_model(problem).lp  # the rates are chosen first (fiscal.rates)
    return build(problem)


def model_of(result: Result) -> LinearProgram:
    """The LP of an optimised result: the one solved, or — where the direct solvers found its
    optimum (:mod:`fiscal.fastpath`) — the one they solved without building it."""
    if result.lp is not None:
        return result.lp
    if result.objective_kind == "formula":
        raise ModelError(Message("model.formula_objective", scenario=_term(result.scenario)))
    from fiscal.model import build  # start-up: SciPy only where a model is built

    return build(result.problem, result.objective_kind)


@dataclass
class Allocation:
    """A solved problem before rounding: cell amounts ``x`` (T, S, n) and how they were found."""

    x: np.ndarray
    objective: float | None
    objective_kind: str
    backend: str
    status: str = "optimal"
    lp: Any = None
    solution: Any = None
    formula_parts: Any = None
    runtime: dict[str, float] = field(default_factory=dict)
    method: str = "lp"  # "formula", "direct" (fiscal.fastpath), "staged" (fiscal.staged) or "lp"
    phases: list[dict[str, Any]] = field(default_factory=list)  # solver phases and their times


def allocate(
    problem: Problem,
    *,
    backend: str | None = None,
    time_limit: float | None = None,
    tie_break: bool | None = None,
    objective: str | None = None,
    lp: LinearProgram | None = None,
    solver: Callable[[LinearProgram, float], Solution] | None = None,
    explain_infeasible: bool = True,
    method: str = "auto",
) -> Allocation:
    """Solve a prepared problem (formula or LP with its tie-break); no rounding, no re-check.

    With HiGHS (the default backend) a problem whose rules only bound each unit's amount is
    solved directly (:mod:`fiscal.fastpath`: the LP's optimum and tie-break without an LP, the
    same table); ``method="lp"`` always builds and solves the LP. Sweeps pass ``lp`` (the
    model of this problem, patched from the previous point rather than rebuilt) and ``solver``
    (see :func:`fiscal.tiebreak.solve_lexicographic`), used where the LP runs. With
    ``explain_infeasible=False`` an infeasible problem raises a bare :class:`InfeasibleError`
    at once instead of diagnosing it.
    """
    scen = problem.scenario
    kind = objective or scen.objective.kind
    backend = backend or scen.solver.backend
    limit = time_limit if time_limit is not None else scen.solver.time_limit
    t0 = time.perf_counter()
    if kind == "formula":
        try:
            parts = formula_allocation(problem)
        except Conflict:
            if not explain_infeasible:
                raise _infeasible(problem) from None
            from fiscal.diagnosis import diagnose  # start-up: diagnosis loads the solvers

            raise diagnose(problem) from None
        t1 = time.perf_counter()
        value = objective_value(problem, "need_gap", parts.amount, parts.x)
        return Allocation(
            parts.x,
            value,
            "formula",
            "formula",
            formula_parts=parts,
            runtime={"solve": t1 - t0},
            method="formula",
        )
    if method not in ("auto", "lp"):
        raise ValueError(f"method must be 'auto' or 'lp' (got {method!r})")
    checked = (
        fastpath.eligibility(problem, kind) if method == "auto" and backend == "highs" else None
    )
    if checked is not None and checked.reason is None:
        try:
            direct = fastpath.solve_problem(problem, kind, checked)
        except fastpath.Infeasible:
            pass  # the LP decides, and its diagnosis explains
        else:
            seconds = time.perf_counter() - t0
            phase = {
                "phase": "direct",
                "runtime": seconds,
                "status": "optimal",
                "objective": direct.objective,
            }
            return Allocation(
                direct.x,
                direct.objective,
                kind,
                "highs",
                runtime={"solve": seconds},
                method="direct",
                phases=[phase],
            )
    # start-up: the formula path above loads neither SciPy nor HiGHS
    from fiscal.claims import solve_with_claims
    from fiscal.lp import Status
    from fiscal.model import build

    use_tb = scen.objective.tie_break if tie_break is None else tie_break
    if method == "auto" and problem.S > 1:
        from fiscal import staged

        if staged.why_not(problem, kind) is None:
            try:
                st = staged.solve_staged(
                    problem,
                    kind,
                    backend=backend,
                    time_limit=limit,
                    pulp_solver=scen.solver.pulp_solver,
                    tie_break=use_tb,
                    solver=solver,
                )
            except staged.NoSplit:
                pass  # an earmark costs the objective something: the full LP decides
            else:
                if st.status is Status.time_limit:
                    raise SolverError(Message("solver.time_limit", limit=limit, backend=backend))
                if st.status.is_ok:
                    return Allocation(
                        st.x,
                        st.objective,
                        kind,
                        backend,
                        runtime={"solve": time.perf_counter() - t0},
                        method="staged",
                        phases=st.phases,
                    )
                # infeasible or failed: the full LP decides, and its diagnosis explains
    lp = build(problem, kind) if lp is None else lp
    t1 = time.perf_counter()
    ref = None
    if use_tb:
        F = problem.pure_formula()
        ref = F[:, None, :] * sector_weights(problem)[None, :, None]
    lp, sol = solve_with_claims(
        problem,
        kind,
        lp,
        ref,
        backend,
        time_limit=limit,
        pulp_solver=scen.solver.pulp_solver,
        solver=solver,
    )
    t2 = time.perf_counter()
    if sol.status is Status.infeasible:
        if not explain_infeasible:
            raise _infeasible(problem)
        from fiscal.diagnosis import diagnose  # start-up: diagnosis loads the solvers

        raise diagnose(problem, backend=backend)
    if sol.status is Status.time_limit:
        raise SolverError(Message("solver.time_limit", limit=limit, backend=sol.backend))
    if not sol.status.is_ok:
        raise SolverError(
            Message(
                "solver.failed",
                backend=sol.backend,
                status=sol.status.value,
                detail=str(sol.message),
            )
        )
    if sol.x is None:  # an optimal status always carries a solution
        raise SolverError(Message("solver.no_solution", backend=sol.backend))
    x = np.maximum(lp.cells(sol.x), 0.0)
    return Allocation(
        x,
        lp.reported_objective(sol.x),
        kind,
        sol.backend,
        sol.status.value,
        lp=lp,
        solution=sol,
        runtime={"build": t1 - t0, "solve": t2 - t1},
    )


def run_communes(
    scenario: Scenario,
    *,
    backend: str | None = None,
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    method: str = "auto",
    helpers: Executor | None = None,
) -> Result:
    """Allocate to communes of one province or of all provinces (``province = 'all'``).

    With ``helpers`` (an executor) and at least two provinces on the LP path, the provinces'
    allocations are shared between this process and the helpers' workers
    (:func:`allocate_shared`); the result is the same as without them.
    """
    meta = scenario.scenario
    env = scenario.envelope
    if meta.province == "all":
        provinces = sorted(calibrate.province_units()["code"])
        if env.total is not None or env.totals is not None:
            raise ModelError(Message("model.all_needs_envelope"))
    else:
        provinces = [meta.province]
    upper = communes.upper_scenario(scenario)
    envelopes = communes.envelopes_from(run(upper), scenario.years) if upper is not None else None
    overrides: dict[str, np.ndarray | None] = {}
    for code in provinces:
        if envelopes is not None and code not in envelopes:
            raise ModelError(Message("model.from_scenario_missing", code=code))
        overrides[code] = None if envelopes is None else envelopes[code]
    tables: dict[str, UnitTable] = {}
    problems: dict[str, Problem] = {}
    if len(provinces) > 1:
        whole = load_units_for(scenario, "all")
        tables = communes.split_units(whole, provinces, meta.dataset == "bundled")
        if len(tables) == len(provinces):  # else the missing province's own load reports it
            # one resolution of the scenario over all communes, sliced by province
            rows = communes.part_rows(whole, provinces)
            parts = [(rows[c], tables[c], overrides[c]) for c in provinces]
            problems = dict(zip(provinces, prepare_parts(scenario, whole, parts), strict=True))
    if (
        problems
        and all(p.sharing is None for p in problems.values())
        and not lines.has_lines(scenario)
    ):
        # the batch: each province allocated on its own, then rounded and re-checked on its
        # own, into one result table (fiscal.results.finalize_parts)
        allocations = allocate_shared(
            [problems[c] for c in provinces],
            helpers,
            backend=backend,
            time_limit=time_limit,
            method=method,
            progress=progress,
        )
        t0 = time.perf_counter()
        children, table = finalize_parts(
            [problems[c] for c in provinces],
            [a.x for a in allocations],
            [_result_fields(a) for a in allocations],
        )
        seconds = (time.perf_counter() - t0) / len(children)
        for child, a in zip(children, allocations, strict=True):
            _record(child, a, seconds)
        result = communes.combine(scenario, children, table)
    else:
        children = []
        for k, code in enumerate(provinces):
            if code in problems:
                problem = problems[code]
            else:
                units = tables[code] if code in tables else load_units_for(scenario, code)
                problem = prepare(scenario, units, overrides[code])
            # one provenance (and data hash) for the whole run, set below
            children.append(
                run_problem(
                    problem,
                    backend=backend,
                    time_limit=time_limit,
                    with_provenance=len(provinces) == 1,
                    method=method,
                )
            )
            if progress is not None:
                progress(k + 1, len(provinces))
        if len(children) == 1:
            return children[0]
        result = communes.combine(scenario, children)
    result.provenance = provenance(result.problem, result.backend, result_method(result))
    for child in children:  # each part carries the provenance of the run it belongs to
        child.provenance = {**result.provenance, "province": str(child.table["parent"].iat[0])}
    return result


def allocate_shared(
    problems: list[Problem],
    helpers: Executor | None,
    *,
    backend: str | None = None,
    time_limit: float | None = None,
    method: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> list[Allocation]:
    """``[allocate(p) for p in problems]``, shared between this process and ``helpers``
    (:func:`fiscal.parallel.allocate_shared`; the same allocations, in the same order), the LPs
    of the problems each process takes written in one build (:func:`lp_models`)."""
    solve = functools.partial(allocate, backend=backend, time_limit=time_limit, method=method)
    models = functools.partial(lp_models, backend=backend, method=method)
    return parallel.allocate_shared(
        problems, helpers, solve, models, backend=backend, method=method, progress=progress
    )


def lp_models(
    problems: Sequence[Problem], *, backend: str | None = None, method: str = "auto"
) -> list[LinearProgram | None]:
    """The LP :func:`allocate` builds for each problem (None where it takes the formula, the
    direct solvers or the two stages), written in one build for all
    (:func:`fiscal.model.build_parts`: the same LPs to the bit). Where that build fails, None
    for all: each allocation builds its own and raises its own error, in order."""
    from fiscal.model import build_parts  # start-up: the formula path loads no SciPy

    takes = [k for k, p in enumerate(problems) if _builds_model(p, backend, method)]
    out: list[LinearProgram | None] = [None] * len(problems)
    if not takes:
        return out
    try:
        lps = build_parts([problems[k] for k in takes])
    except FiscalError:
        return out
    for k, lp in zip(takes, lps, strict=True):
        out[k] = lp
    return out


def _builds_model(problem: Problem, backend: str | None, method: str) -> bool:
    """Whether :func:`allocate` builds the problem's own LP: the LP path, not the two stages
    of a problem with sectors (:mod:`fiscal.staged`)."""
    if not parallel.takes_lp(problem, backend, method):
        return False
    if method == "auto" and problem.S > 1:
        from fiscal import staged

        return staged.why_not(problem, problem.scenario.objective.kind) is not None
    return True


def run_problem(
    problem: Problem,
    *,
    backend: str | None = None,
    time_limit: float | None = None,
    tie_break: bool | None = None,
    objective: str | None = None,
    lp: LinearProgram | None = None,
    solver: Callable[[LinearProgram, float], Solution] | None = None,
    explain_infeasible: bool = True,
    with_provenance: bool = True,
    method: str = "auto",
) -> Result:
    """Allocate a prepared problem: :func:`allocate`, then round, tabulate and re-check.

    The keywords are those of :func:`allocate`; ``with_provenance=False`` skips the data hash.
    A problem whose ``[sharing]`` optimises the rates has them chosen first
    (:func:`fiscal.rates.choose`), then its transfers allocated at them.
    """
    t_rates = time.perf_counter()
    if problem.sharing is not None and problem.sharing.optimise and problem.sharing.chosen is None:
        from fiscal.rates import choose  # start-up: the rate model loads the solvers

        problem = choose(problem, backend=backend, time_limit=time_limit)
        lp = None  # a model given for the formula's rates does not hold at the chosen ones
    t_rates = time.perf_counter() - t_rates
    a = allocate(
        problem,
        backend=backend,
        time_limit=time_limit,
        tie_break=tie_break,
        objective=objective,
        lp=lp,
        solver=solver,
        explain_infeasible=explain_infeasible,
        method=method,
    )
    t0 = time.perf_counter()
    result = finalize(problem, a.x, **_result_fields(a))
    _record(result, a, time.perf_counter() - t0)
    if problem.sharing is not None and problem.sharing.chosen is not None:
        result.runtime["rates"] = t_rates
    if lines.has_lines(problem.scenario):
        t1 = time.perf_counter()
        with_budget(result)
        result.runtime["lines"] = time.perf_counter() - t1
    if with_provenance:
        result.provenance = provenance(problem, result.backend, result_method(result))
    return result


def _result_fields(a: Allocation) -> dict[str, Any]:
    """The :class:`~fiscal.results.Result` fields an allocation gives."""
    return {
        "objective": a.objective,
        "objective_kind": a.objective_kind,
        "backend": a.backend,
        "lp": a.lp,
        "solution": a.solution,
        "status": a.status,
        "formula_parts": a.formula_parts,
    }


def _record(result: Result, a: Allocation, finalize_seconds: float) -> None:
    """A result's runtimes and solver phases from its allocation."""
    result.runtime.update(a.runtime, finalize=finalize_seconds)
    if a.solution is not None:
        result.duals = {"phases": a.solution.phases}
    elif a.phases:
        result.duals = {"phases": a.phases}


def with_budget(result: Result) -> Result:
    """:func:`fiscal.lines.add_budget` with the pipeline's solver for optimised lines."""
    return lines.add_budget(result, run_problem)


def _infeasible(problem: Problem) -> InfeasibleError:
    return InfeasibleError(Message("infeasible.head_province", scenario=_term(problem.scenario)))


def _term(scenario: Scenario) -> Term:
    """A scenario's name with its Vietnamese form, for messages."""
    return Term(scenario.scenario.name, scenario.scenario.name_vi or None)
