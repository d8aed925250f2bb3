"""The re-solves explanations stand on: a result's problem as HiGHS solves it, and the
unrounded allocation of a problem with some rules taken away.

* :func:`reference` — ``result``'s problem as the reference backend (HiGHS) solves it (the
  model, its solution, the unrounded cells, the reported objective): the ledger and a PuLP
  result's JSON export read it, cached on the result (``Result.reference``);
* :func:`allocate_exact` — the unrounded unit amounts of a problem (the waterfall and the
  ledger re-solve without some rules);
* :func:`feasible` — whether the hard rules of a problem can all hold (the repairs' bisection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fiscal.claims import solve_with_claims
from fiscal.errors import ModelError, SolverError
from fiscal.formula import Conflict, formula_allocation, sector_weights
from fiscal.lp import LinearProgram, Solution, Status
from fiscal.model import build
from fiscal.problem import Problem
from fiscal.prose.messages import Message
from fiscal.solve import solve
from fiscal.staged import NoSplit, solve_staged
from fiscal.staged import why_not as why_not_staged

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = ["Cells", "Reference", "allocate_cells", "allocate_exact", "feasible", "reference"]


@dataclass(frozen=True)
class Reference:
    """A result's problem as the reference backend (HiGHS) solves it: the model, its solution,
    the unrounded cells (T, S, n) and the reported objective."""

    lp: LinearProgram | None
    solution: Solution | None
    exact: np.ndarray
    objective: float | None
    #: rules met at no cost to the objective, outside ``lp`` (a staged solve's split rules)
    free: tuple[str, ...] = ()

    def rule_duals(self) -> dict[str, float]:
        """Σ of the dual values of each rule's rows and bounds, objective per million VND."""
        if self.lp is None or self.solution is None:
            return {}
        return {**self.lp.rule_duals(self.solution), **dict.fromkeys(self.free, 0.0)}


def reference(result: Result) -> Reference:
    """``result``'s problem as the reference backend (HiGHS) solves it: what explanations use.

    Two solvers reach the same optimum only to within their tolerances: the unrounded amounts
    and the duals of a PuLP solve differ from HiGHS's in the 8th-9th significant digit (the
    rounded allocation does not). So that an explanation or an export does not depend on the
    backend that found the allocation, the ledger and the reported objective of a PuLP result
    come from the same problem solved by HiGHS (one extra solve; ``Result.reference`` keeps
    it). A result the direct solvers found (:mod:`fiscal.fastpath`: no LP, the same table)
    gets its duals the same way, when an explanation asks for them.
    """
    own = result.lp is not None and result.backend == "highs"
    if own or result.objective_kind == "formula" or result.children:
        return Reference(result.lp, result.solution, result.exact, result.objective)
    problem, kind = result.problem, result.objective_kind
    scen = problem.scenario
    if result.method == "staged":
        # its first stage is the LP over unit totals (:mod:`fiscal.staged`), whose duals are
        # the full LP's: the split's rules (earmarks) were met at no cost to the objective
        st = solve_staged(
            problem,
            kind,
            backend="highs",
            time_limit=scen.solver.time_limit,
            tie_break=scen.objective.tie_break,
            method="lp",
        )
        if not st.status.is_ok:
            raise _failed(scen.name, st.status, st.message)
        free = tuple(r.name for r in problem.rules if r.stage(problem) == "split")
        return Reference(st.lp, st.solution, st.x, st.objective, free)
    lp = build(problem, kind)
    target = None
    if scen.objective.tie_break:
        target = problem.pure_formula()[:, None, :] * sector_weights(problem)[None, :, None]
    lp, sol = solve_with_claims(
        problem, kind, lp, target, "highs", time_limit=scen.solver.time_limit
    )
    if not sol.status.is_ok or sol.x is None:
        raise _failed(scen.name, sol.status, sol.message)
    return Reference(lp, sol, np.maximum(lp.cells(sol.x), 0.0), lp.reported_objective(sol.x))


def _failed(scenario: str, status: Status, message: object) -> SolverError:
    """The error when the reference solve of ``scenario`` ends with ``status``."""
    return SolverError(
        Message(
            "solver.reference_failed", scenario=scenario, status=status.value, detail=str(message)
        )
    )


def allocate_exact(
    problem: Problem, objective: str | None = None, backend: str = "highs", *, staged: bool = False
) -> np.ndarray | None:
    """Unrounded unit amounts (T, n) of a problem, or None if it is infeasible.

    ``staged=True`` (the explanations of a result solved in stages) solves it in stages where
    :mod:`fiscal.staged` applies, as the pipeline does; otherwise, and by default, the LP."""
    kind = objective or problem.scenario.objective.kind
    if kind == "formula":
        try:
            return formula_allocation(problem).amount
        except (Conflict, ModelError):
            return None
    got = allocate_cells(problem, kind, backend, staged=staged)
    return None if got is None else got.cells.sum(axis=1)


@dataclass(frozen=True)
class Cells:
    """An optimising problem's unrounded cells (T, S, n), and the first optimum's cells when
    the units without a claim had to be held (:mod:`fiscal.claims`; None when they did not)."""

    cells: np.ndarray
    unheld: np.ndarray | None


def allocate_cells(
    problem: Problem, kind: str, backend: str = "highs", *, staged: bool = False
) -> Cells | None:
    """The unrounded cells of an optimising problem (not ``formula``), or None if infeasible.

    ``staged=True`` (the explanations of a result solved in stages) solves it in stages where
    :mod:`fiscal.staged` applies, as the pipeline does; otherwise, and by default, the LP."""
    limit = problem.scenario.solver.time_limit
    if staged and why_not_staged(problem, kind) is None:
        # as the pipeline solves it: unit totals, then the split (the LP for the totals, so that
        # an explanation does not depend on the direct solvers' last digits)
        try:
            st = solve_staged(problem, kind, backend=backend, time_limit=limit, method="lp")
        except NoSplit:
            pass
        else:
            if st.status is Status.infeasible:
                return None  # the totals' problem relaxes the full one
            # where the units without a claim were held, the first optimum of the full LP
            # (what the waterfall's carry-over checks) is not the totals' one: the LP decides
            if st.status.is_ok and not st.held:
                return Cells(st.x, None)
    lp = build(problem, kind)
    ref = problem.pure_formula()[:, None, :] * sector_weights(problem)[None, :, None]
    lp, sol = solve_with_claims(problem, kind, lp, ref, backend, time_limit=limit)
    if not sol.status.is_ok or sol.x is None:
        return None
    return Cells(np.maximum(lp.cells(sol.x), 0), sol.unheld_cells)


def feasible(problem: Problem) -> bool:
    """Whether the hard rules of ``problem`` can all hold (one LP solve, no tie-break)."""
    lp = build(problem, "need_gap")
    return solve(lp, "highs", time_limit=problem.scenario.solver.time_limit).status.is_ok
