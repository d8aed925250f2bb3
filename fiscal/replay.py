"""Stored inputs solved again, and stored outputs made a Result again without solving.

A run is kept as its resolved scenario, its unit table and, for commune runs fed by another
scenario, each province's envelope as received (:func:`stated_envelopes`). These
functions turn such inputs back into results: :func:`restore` prepares the problem again (no
solve) around stored outputs; :func:`solve_inputs` solves them (a national commune run province
by province, as the pipeline does). :mod:`fiscal.runs` and :mod:`fiscal.attribution` use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal.errors import StoreError
from fiscal.prose.messages import Message

if TYPE_CHECKING:
    from fiscal.data import UnitTable
    from fiscal.results import Result
    from fiscal.scenario import Scenario
    from fiscal.store import Outputs

__all__ = ["restore", "solve_inputs", "split_inputs", "stated_envelopes"]


def stated_envelopes(result: Result) -> dict[str, list[float]] | None:
    """Each province's commune envelope as the run received it (from_scenario runs), else None.

    These are the totals before merger support paid on top, i.e. what ``prepare`` was given.
    """
    scen = result.scenario
    if scen.scenario.level != "commune" or scen.envelope.from_scenario is None:
        return None
    out: dict[str, list[float]] = {}
    for child in result.children or [result]:
        p = child.problem
        totals = p.envelope_total.astype(float).copy()
        totals[0] -= sum(float(r.pool_effect()[1]) for r in p.rules)  # support paid on top
        out[str(child.table["parent"].iat[0])] = [float(v) for v in totals]
    return out


def split_inputs(scenario: Scenario, units: UnitTable) -> list[tuple[str, UnitTable]]:
    """A national commune table per province (in code order), else the table itself."""
    from fiscal.data import UnitTable

    meta = scenario.scenario
    if meta.level != "commune" or meta.province != "all":
        return [(str(meta.province or ""), units)]
    frame = units.frame
    out = []
    for code in sorted(frame["parent"].unique()):
        part = frame[frame["parent"] == code].reset_index(drop=True)
        out.append(
            (
                str(code),
                UnitTable(part, units.level, units.source, units.population_basis, units.notes),
            )
        )
    return out


def _override(envelopes: dict[str, list[float]] | None, code: str) -> np.ndarray | None:
    if envelopes is None:
        return None
    if code not in envelopes:
        raise StoreError(Message("store.no_envelope", code=code))
    return np.asarray(envelopes[code], dtype=float)


def restore(
    scenario: Scenario,
    units: UnitTable,
    out: Outputs,
    kind: str,
    backend: str,
    objective: float | None,
    checks: list[Any],
) -> Result:
    """A Result from stored outputs: the problem is prepared again (no solve)."""
    from fiscal.communes import combine
    from fiscal.lines import has_lines
    from fiscal.problem import prepare
    from fiscal.results import Result

    parts = split_inputs(scenario, units)
    if len(parts) == 1:
        code, table = parts[0]
        problem = prepare(scenario, table, _override(out.envelopes, code))
        result = Result(
            scenario,
            problem,
            out.table,
            out.cells,
            out.exact,
            objective,
            kind,
            checks,
            backend=backend,
        )
        if out.budget is not None:  # the lines as they were computed (store revision 0002)
            from fiscal.store.budget import decode

            result.budget = decode(out.budget, scenario, problem)
        elif has_lines(scenario):  # saved before 0002: derived again after the balancing line
            _derive_budget(result)
        return result
    children, start = [], 0
    parent = out.table["parent"].astype(str)
    for code, table in parts:  # a national commune run: one child per province, as solved
        problem = prepare(scenario, table, _override(out.envelopes, code))
        cut = slice(start, start + problem.n)
        start += problem.n
        rows = out.table[parent == code].reset_index(drop=True)
        children.append(
            Result(
                scenario,
                problem,
                rows,
                out.cells[:, :, cut],
                out.exact[:, :, cut],
                objective if objective is not None else 0.0,
                kind,
                checks,
                backend=backend,
            )
        )
    res = combine(scenario, children)
    res.table, res.checks, res.objective = out.table, checks, objective
    return res


def _derive_budget(result: Result) -> None:
    """The lines of a run saved without its budget, derived again from the stored scenario as
    :func:`fiscal.pipeline.with_budget` did when it was solved. Where that cannot be done (a
    file a line read is gone: the stored scenario's files resolve against the bundled
    scenarios) the amounts stored in the table's ``line_<name>`` columns are taken as they are,
    without the figures behind them."""
    from fiscal.errors import FiscalError
    from fiscal.pipeline import with_budget

    table = result.table.copy()
    try:
        with_budget(result)
    except FiscalError:
        result.table = table
        result.budget = _stored_lines(result)


def _stored_lines(result: Result) -> Any:
    """A :class:`fiscal.lines.Budget` from the stored table's line columns (older runs)."""
    from fiscal.budget_rules import evaluate
    from fiscal.lines import BALANCING, Budget, LineAmounts, capital_revenue

    problem, table, scenario = result.problem, result.table, result.scenario
    T, n = problem.T, problem.n
    capacity = np.broadcast_to(np.asarray(problem.capacity, dtype=float), (T, n)).copy()
    others = scenario.lines.others if scenario.lines is not None else {}
    lines = []
    names = [BALANCING] + [c[5:] for c in table.columns if c.startswith("line_")]
    for name in dict.fromkeys(names):
        col = "transfer" if name == BALANCING else f"line_{name}"
        amount = table[col].to_numpy(dtype=float).reshape(T, n)
        line = others.get(name)
        lines.append(
            LineAmounts(
                name,
                line.rule if line is not None else "balancing" if name == BALANCING else "rule",
                amount,
                (amount > 0).any(axis=0),  # who received it: eligibility is not stored
                np.zeros(n, dtype=bool),
                {},
                None if line is None else line.envelope,
                bool(line is not None and line.estimated),
                scenario.envelope.source if line is None else line.source or line.envelope_source,
                line,
            )
        )
    fclass = (
        table["fiscal_class"].astype(str).to_numpy()[:n]
        if "fiscal_class" in table
        else np.full(n, "unknown", dtype=object)
    )
    budget = Budget(
        codes=problem.codes.astype(str),
        names=problem.frame["name"].astype(str).to_numpy(),
        years=list(problem.years),
        kept=capacity + capital_revenue(result),
        fiscal_class=fclass,
        population=problem.population,
        lines=lines,
        capacity=capacity,
    )
    budget.checks = evaluate(scenario, budget, problem)
    return budget


def solve_inputs(
    scenario: Scenario,
    units: UnitTable,
    envelopes: dict[str, list[float]] | None,
    *,
    backend: str | None = None,
    explain_infeasible: bool = True,
) -> Result:
    """Solve a scenario over a given unit table (and stored commune envelopes, if any)."""
    from fiscal.pipeline import run_problem
    from fiscal.problem import prepare
    from fiscal.provenance import provenance, result_method

    parts = split_inputs(scenario, units)
    children = [
        run_problem(
            prepare(scenario, t, _override(envelopes, c)),
            backend=backend,
            explain_infeasible=explain_infeasible,
            with_provenance=len(parts) == 1,
        )
        for c, t in parts
    ]
    if len(children) == 1:
        res = children[0]
        res.provenance = res.provenance or provenance(res.problem, res.backend, result_method(res))
        return res
    from fiscal.communes import combine

    res = combine(scenario, children)
    res.provenance = provenance(res.problem, res.backend, result_method(res))
    return res
