"""Units without a claim: an optimising objective pays them only what the rules force.

Which units have a claim is the objective's own measure (:func:`fiscal.objectives.claims`): a
gap for the need-based objectives, a baseline for ``stability``, either for ``blend``. Left to
themselves, the L1 and minimax objectives can pay the others: money beyond every gap costs
``need_gap`` least on the unit with the largest need (Hồ Chí Minh City, whose capacity covers its
need), ``shortfall_minimax`` pushes every unit below need once all gaps are filled, and a
stability band lets a unit with no baseline take its share of an increase.

:func:`solve_with_claims` solves the model; if the optimum pays a unit without a claim more
than the hard rules force, it solves again with those units held there (upper bounds). This is
the lexicographic order "first, no money to units without a claim beyond what the rules force;
then the objective", solved in the order that costs nothing when the first goal already holds:
an optimum that pays no such unit is also the optimum with them held. If holding them makes the
rules infeasible (the envelope cannot be placed elsewhere), the first optimum stands.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fiscal.lp import LinearProgram, Solution
from fiscal.model import build
from fiscal.objectives import claim_cap
from fiscal.problem import Problem
from fiscal.tiebreak import solve_lexicographic

__all__ = ["solve_with_claims"]


def solve_with_claims(
    problem: Problem,
    kind: str,
    lp: LinearProgram,
    reference: np.ndarray | None,
    backend: str,
    *,
    time_limit: float,
    pulp_solver: str = "cbc",
    solver: Callable[[LinearProgram, float], Solution] | None = None,
) -> tuple[LinearProgram, Solution]:
    """Solve ``lp`` (the model of ``problem`` for ``kind``); hold units without a claim at what
    the rules force if the optimum pays them more. Returns the model solved last and its solution."""
    sol = solve_lexicographic(
        lp, reference, backend, time_limit=time_limit, pulp_solver=pulp_solver, solver=solver
    )
    cap = claim_cap(problem, kind)
    if cap is None or not sol.status.is_ok or sol.x is None:
        return lp, sol
    X = np.maximum(lp.cells(sol.x), 0.0).sum(axis=1)
    if not np.any(X > cap + 0.5 * problem.unit):
        return lp, sol
    held = build(problem, kind, weight=lp.weight, cap=cap)
    again = solve_lexicographic(
        held, reference, backend, time_limit=time_limit, pulp_solver=pulp_solver, solver=solver
    )
    if not again.status.is_ok or again.x is None:
        return lp, sol
    again.phases = [*sol.phases, {"phase": "claims", "status": again.status.value}, *again.phases]
    again.unheld_cells = np.maximum(lp.cells(sol.x), 0.0)  # the first optimum, before holding
    return held, again
