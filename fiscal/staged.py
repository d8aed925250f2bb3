"""Allocations by sector in two stages: each unit's total first, then its split by sector.

Every objective but the blend sees a unit's sectors only through its total: minimax, maximin
and stability look at totals alone, and need_gap's Σ_s |x_s − G_s| / N equals |X − G| / N
whenever every sector sits on the same side of its gap as the total (the triangle inequality
makes it a lower bound otherwise). So where every rule bounds or couples unit totals
(:meth:`fiscal.rules.Rule.stage` ``"total"``) or constrains only the split (``"split"``: hard
earmarks), the LP's optimum is found in two stages:

1. **totals** — the same problem with one sector and without the split's rules
   (:func:`totals_problem`), solved as any problem is (the direct solvers where they apply,
   else the LP and its tie-break, with the units without a claim held as :mod:`fiscal.claims`
   holds them; stability is not staged, see :data:`KINDS`): unit totals X, optimal, closest
   to the formula;
2. **split** — each total split by sector (:func:`split`): the split closest to the tie-break's
   sector shares (the LP tie-break's term B, with its weights) among those that keep the
   objective at the totals' optimum (for need_gap: every sector on the total's side of its gap)
   and meet every earmark — one LP over the cells with one row per unit and year and one per
   earmark, solved only where the shares alone do not already give such a split.

The result is an optimum of the full LP: its objective is the totals' optimum, which is a lower
bound of the full problem's (the full problem with the earmarks relaxed and its sectors merged).
When no split keeps that optimum (an earmark that costs the objective something at these
totals), :class:`NoSplit` sends the problem to the full LP.

The tie-break is lexicographic here: among optimal allocations, the unit totals closest to the
formula first, then the split closest to the shares. The full LP's tie-break minimises the two
at once, term B weighted 10⁻³ below term A; the two agree whenever the shares split the
totals without breaking a rule (term B is then zero), and otherwise the full LP may move a
total by a little to split it more evenly, which the stages never do (docs/model.md).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fiscal import fastpath
from fiscal.builder import Builder
from fiscal.claims import solve_with_claims
from fiscal.formula import sector_weights
from fiscal.lp import LinearProgram, Solution, Status
from fiscal.problem import Problem
from fiscal.solve import polish, solve
from fiscal.tiebreak import tie_break_terms

__all__ = [
    "KINDS",
    "NoSplit",
    "Staged",
    "solve_staged",
    "split",
    "split_model",
    "totals_problem",
    "why_not",
]

#: objectives the stages take (the blend's equity reference depends on the split itself;
#: stability, lexicographic since issue 16 — leximin of the relative change, then the relative
#: L1 — gave the totals' LP other optima than the full LP's in generated cases, on PuLP even
#: another objective value: it stays on the full LP)
KINDS = ("need_gap", "shortfall_minimax", "per_capita_maximin")


class NoSplit(Exception):
    """No split of the totals keeps their optimum and meets the split's rules (use the full LP)."""


def why_not(problem: Problem, kind: str) -> str | None:
    """Why ``problem`` cannot be solved in two stages under ``kind`` (None: it can)."""
    if problem.S == 1:
        return "one sector: the LP is already over unit totals"
    if kind not in KINDS:
        return f"objective '{kind}' is not solved in stages"
    for r in problem.rules:
        if r.stage(problem) is None:
            return f"rule '{r.name}' ({r.kind}) ties the sectors to the objective"
    return None


def totals_problem(problem: Problem) -> Problem:
    """The first stage: ``problem`` with one sector and only its rules on unit totals."""
    return dataclasses.replace(
        problem,
        sectors=["transfer"],
        sector_share=np.ones(1),
        rules=[r for r in problem.rules if r.stage(problem) == "total"],
    )


def _scale(problem: Problem) -> float:
    """The money scale of :func:`fiscal.model.build` (the mean amount per unit)."""
    return max(float(np.max(problem.envelope)), float(problem.baseline.sum()), 1.0) / problem.n


def _region(problem: Problem, kind: str, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cell bounds (T, S, n) that keep the objective at the totals' value: need_gap's sectors on
    the total's side of their gaps (x_s ≤ G_s where X ≤ G, x_s ≥ G_s above); the other
    objectives see totals only."""
    T, S, n = problem.T, problem.S, problem.n
    if kind != "need_gap":
        return np.zeros((T, S, n)), np.full((T, S, n), np.inf)
    Gs = problem.gap[:, None, :] * problem.sector_share[None, :, None]
    below = (X <= problem.gap)[:, None, :]
    return np.where(below, 0.0, Gs), np.where(below, Gs, np.inf)


def split_model(problem: Problem, kind: str, X: np.ndarray) -> LinearProgram:
    """The second stage's LP: cells x = share·X + p − m within the region and the split rules'
    bounds, Σ_s x = X for every unit and year, the split rules' rows (earmarks), and term B of
    the tie-break (:func:`fiscal.tiebreak.tie_break_terms`) as the cost."""
    T, S, n = problem.T, problem.S, problem.n
    scale = _scale(problem)
    reference = problem.pure_formula()[:, None, :] * sector_weights(problem)[None, :, None]
    terms = tie_break_terms(reference / scale, problem.need / scale)
    target = terms.shares * (X / scale)[:, None, :]
    Gs = (problem.gap[:, None, :] * problem.sector_share[None, :, None]) / scale
    b = Builder(T, S, n, scale, target.ravel(), Gs.ravel())
    rules = [r for r in problem.rules if r.stage(problem) == "split"]
    row_rules = b.fold(rules, problem, elastic=False)
    lo, hi = _region(problem, kind, X)
    b.cell_lo = np.maximum(b.cell_lo, lo.ravel() / scale)
    b.cell_hi = np.minimum(b.cell_hi, hi.ravel() / scale)
    b.add_cells()
    b.x_rows("split", "split", None, b.unit_sum, "eq", X.ravel() / scale, (T, n))
    for r in row_rules:
        r.rows(b, problem, None)
    w = terms.split_weight.ravel()
    w = w / w.max()
    b.add_cost(b.blocks["p"], w)
    b.add_cost(b.blocks["m"], w)
    lp = b.finish("split")
    # Presolve cannot shrink this model (one row per unit and year, a few earmark rows, every
    # column in at most two rows) and took ~5× the simplex's time; the optimum is the same.
    lp.options = {"presolve": "off"}
    # bounds and right-hand sides that are differences of equal amounts: noise, not money
    tiny = 1e-12 * max(1.0, float(np.abs(X).max()) / scale)
    for arr in (lp.lb, lp.ub, lp.b_eq, lp.b_ub):
        arr[np.abs(arr) <= tiny] = 0.0
    return lp


def split(
    problem: Problem,
    kind: str,
    X: np.ndarray,
    *,
    backend: str = "highs",
    time_limit: float = 60.0,
    pulp_solver: str = "cbc",
) -> tuple[np.ndarray, Solution | None]:
    """Cells (T, S, n) splitting unit totals ``X`` (T, n), and the split LP's solution (None
    where the shares alone give the split). Raises :class:`NoSplit`."""
    lp = split_model(problem, kind, X)
    # x = share·X (every split column at 0) is the answer when it lies within every bound and
    # row: term B is then zero
    if np.all(lp.lb <= 0.0) and np.all(lp.ub >= 0.0) and np.all(lp.b_ub >= 0.0):
        if not np.any(lp.b_eq):
            return np.maximum(lp.cells(np.zeros(lp.nvar)), 0.0), None
    sol = solve(lp, backend, time_limit=time_limit, pulp_solver=pulp_solver)
    if sol.status is Status.time_limit:
        return np.zeros(0), sol
    if not sol.status.is_ok or sol.x is None:
        raise NoSplit(f"no split of the totals keeps the optimum ({sol.status.value})")
    v = sol.x if backend == "highs" else polish(lp, sol.x)
    return np.maximum(lp.cells(v), 0.0), sol


@dataclass
class Staged:
    """A problem solved in two stages: cells ``x`` (T, S, n), the objective as the LP reports
    it, how the totals were found (``"direct"`` or ``"lp"``) and with which model."""

    x: np.ndarray
    objective: float | None
    totals: str
    status: Status = Status.optimal
    message: str = ""
    lp: LinearProgram | None = None  # the first stage's model (None: solved directly)
    solution: Solution | None = None
    phases: list[dict[str, Any]] = field(default_factory=list)
    #: the totals' LP held the units without a claim (:mod:`fiscal.claims`)
    held: bool = False


def solve_staged(
    problem: Problem,
    kind: str,
    *,
    backend: str = "highs",
    time_limit: float = 60.0,
    pulp_solver: str = "cbc",
    tie_break: bool = True,
    method: str = "auto",
    solver: Any = None,
) -> Staged:
    """Both stages (see the module docstring). The totals take the direct solvers where they
    apply with HiGHS and ``method="auto"``, else the LP with its tie-break (``solver`` as in
    :func:`fiscal.tiebreak.solve_lexicographic`). A status other than optimal is returned, not
    raised (infeasible: the caller asks the full LP, whose diagnosis explains); raises
    :class:`NoSplit` when the split's rules cannot hold at the totals' optimum."""
    t0 = time.perf_counter()
    sub = totals_problem(problem)
    phases: list[dict[str, Any]] = []
    lp = sol = None
    held = False
    checked = fastpath.eligibility(sub, kind) if method == "auto" and backend == "highs" else None
    if checked is not None and checked.reason is None:
        try:
            direct = fastpath.solve_problem(sub, kind, checked)
        except fastpath.Infeasible as exc:
            return Staged(np.zeros(0), None, "direct", Status.infeasible, str(exc))
        X, objective, totals = direct.x[:, 0, :], direct.objective, "direct"
        phases.append(
            {
                "phase": "direct",
                "stage": "totals",
                "runtime": time.perf_counter() - t0,
                "status": "optimal",
                "objective": objective,
            }
        )
    else:
        from fiscal.model import build  # start-up: SciPy only where a model is built

        lp = build(sub, kind)
        ref = sub.pure_formula()[:, None, :] if tie_break else None
        # as the full LP is solved: units without a claim held if its optimum pays them
        lp, sol = solve_with_claims(
            sub,
            kind,
            lp,
            ref,
            backend,
            time_limit=time_limit,
            pulp_solver=pulp_solver,
            solver=solver,
        )
        phases += [{**p, "stage": "totals"} for p in sol.phases]
        if not sol.status.is_ok or sol.x is None:
            return Staged(np.zeros(0), None, "lp", sol.status, sol.message, lp, sol, phases)
        held = sol.unheld_cells is not None
        X = np.maximum(lp.cells(sol.x), 0.0)[:, 0, :]
        objective, totals = lp.reported_objective(sol.x), "lp"
    t1 = time.perf_counter()
    remaining = max(time_limit - (t1 - t0), 1e-3)
    x, split_sol = split(
        problem, kind, X, backend=backend, time_limit=remaining, pulp_solver=pulp_solver
    )
    phases.append(
        {
            "phase": "split",
            "runtime": time.perf_counter() - t1,
            "status": "optimal" if split_sol is None else split_sol.status.value,
            "solved": split_sol is not None,
        }
    )
    if split_sol is not None and split_sol.status is Status.time_limit:
        return Staged(
            np.zeros(0), None, totals, Status.time_limit, "time limit in the split", lp, sol, phases
        )
    return Staged(x, objective, totals, Status.optimal, "", lp, sol, phases, held)
