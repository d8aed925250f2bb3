"""Solving a :class:`~fiscal.lp.LinearProgram`: the backends behind one call.

``solve(lp, backend)`` hands the model to HiGHS (:mod:`fiscal.highs`, the only module that
talks to HiGHS) or to PuLP (CBC, or HiGHS through PuLP) and returns one
:class:`~fiscal.lp.Solution` with a :class:`~fiscal.lp.Status`. PuLP lives only in this module
(the adapter), written against the API shared by PuLP 3.3 and 4.x; :func:`polish` recomputes a
vertex from its active set where a solver's printed values are short of double precision. The
tie-break (one table per input) is :mod:`fiscal.tiebreak`.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from fiscal.errors import SolverError
from fiscal.highs import solve_highs
from fiscal.lp import LinearProgram, Solution, Status
from fiscal.prose.messages import Message

__all__ = [
    "BACKENDS",
    "MIP_GAP",
    "Solution",
    "Status",
    "polish",
    "solve",
    "solver_versions",
    "to_pulp",
]

BACKENDS = ("highs", "pulp")
MIP_GAP = 1e-9  # relative and absolute optimality gap of a MIP, on both backends


def solver_versions() -> dict[str, str]:
    """Versions of the solver stack (for provenance)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("scipy", "highspy", "pulp", "numpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def solve(
    lp: LinearProgram, backend: str = "highs", *, time_limit: float = 60.0, pulp_solver: str = "cbc"
) -> Solution:
    """Solve ``lp`` with ``backend`` ('highs' or 'pulp'); never raises for solver outcomes."""
    if backend == "highs":
        return solve_highs(lp, time_limit)
    if backend == "pulp":
        return _solve_pulp(lp, time_limit, pulp_solver)
    raise SolverError(
        Message("solver.unknown_backend", backend=backend, choices=", ".join(BACKENDS))
    )


# ----------------------------------------------------------------------------- PuLP adapter


def _pulp_solver(name: str, time_limit: float, tight: bool = True, mip: bool = False):
    import pulp

    if name == "highs":
        if "HiGHS" not in pulp.listSolvers(onlyAvailable=True):
            raise SolverError(Message("solver.pulp_no_highs"))
        return pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=MIP_GAP if mip else None)
    # tighter than CBC's defaults (1e-7) so that both backends land on the same optimum
    options = ["primalTolerance 1e-9", "dualTolerance 1e-9"] if tight else []
    if mip:  # a proven optimum, as HiGHS is asked for (fiscal.highs); CBC's automatic cutoff
        # increment would prune nodes that improve the incumbent by less than it (seen in the
        # rate model's tie-break: "optimal" 2e-5 short of the optimum)
        options += [
            f"ratioGap {MIP_GAP:g}",
            f"allowableGap {MIP_GAP:g}",
            "integerTolerance 1e-9",
            "increment 1e-12",
        ]
    # COIN_CMD exists in PuLP 3.3 and 4.x; 3.3 bundles a CBC binary (pulp_cbc_path), 4.x finds
    # the one installed by `pulp[cbc]` (PULP_CBC_CMD is deprecated in 3.3, removed in 4.0)
    try:
        from pulp.apis.coin_api import pulp_cbc_path
    except ImportError:  # pragma: no cover - PuLP 4.x
        pulp_cbc_path = None
    path = pulp_cbc_path if pulp_cbc_path and Path(pulp_cbc_path).is_file() else None
    solver = pulp.COIN_CMD(msg=False, timeLimit=time_limit, options=options, path=path)
    if not solver.available():
        raise SolverError(Message("solver.pulp_no_cbc"))
    return solver


def to_pulp(lp: LinearProgram, name: str = "fiscal") -> tuple[Any, list[Any], list[Any]]:
    """The LP as a PuLP problem (variables v0..vN, rows ub0.., eq0..); returns (prob, vars, rows)."""
    import pulp

    prob = pulp.LpProblem(name, pulp.LpMinimize)
    add = getattr(prob, "add_variable", None)
    lb = [None if not np.isfinite(v) else float(v) for v in lp.lb]
    ub = [None if not np.isfinite(v) else float(v) for v in lp.ub]
    if add is not None:
        xs = [add(f"v{j}", lb[j], ub[j]) for j in range(lp.nvar)]
    else:  # pragma: no cover - PuLP < 3.3
        xs = [pulp.LpVariable(f"v{j}", lb[j], ub[j]) for j in range(lp.nvar)]
    if lp.integrality is not None:
        for j in np.flatnonzero(lp.integrality):
            xs[j].cat = pulp.LpInteger
    nz = np.flatnonzero(lp.c)
    prob.setObjective(pulp.LpAffineExpression([(xs[j], float(lp.c[j])) for j in nz]))
    rows = []
    for A, b, sense, prefix in (
        (lp.A_ub, lp.b_ub, pulp.LpConstraintLE, "ub"),
        (lp.A_eq, lp.b_eq, pulp.LpConstraintEQ, "eq"),
    ):
        A = sp.csr_matrix(A)
        for k in range(A.shape[0]):
            lo, hi = A.indptr[k], A.indptr[k + 1]
            expr = pulp.LpAffineExpression(
                [(xs[j], float(v)) for j, v in zip(A.indices[lo:hi], A.data[lo:hi], strict=True)]
            )
            con = pulp.LpConstraint(expr, sense, f"{prefix}{k}", float(b[k]))
            prob.addConstraint(con, f"{prefix}{k}")
            rows.append(con)
    return prob, xs, rows


def _solve_pulp(lp: LinearProgram, time_limit: float, solver_name: str) -> Solution:
    import pulp

    t0 = time.perf_counter()
    backend = f"pulp-{solver_name}"
    if np.any(lp.lb > lp.ub):
        # contradictory bounds are infeasible; CBC aborts on them ("Error while executing")
        return Solution(
            Status.infeasible,
            None,
            None,
            backend,
            time.perf_counter() - t0,
            "a variable's lower bound is above its upper bound",
        )
    prob, xs, rows = to_pulp(lp)
    solver = _pulp_solver(solver_name, time_limit, mip=lp.is_mip)
    try:
        prob.solve(solver)
        if solver_name == "cbc" and pulp.LpStatus.get(prob.status) == "Infeasible":
            # CBC's presolve at a 1e-9 tolerance can call a feasible LP infeasible when rows
            # add up large terms (need ≫ envelope); its own default tolerance decides
            remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
            prob.solve(_pulp_solver(solver_name, remaining, tight=False, mip=lp.is_mip))
    except pulp.PulpSolverError as exc:
        return Solution(Status.error, None, None, backend, time.perf_counter() - t0, str(exc))
    runtime = time.perf_counter() - t0
    status_text = pulp.LpStatus.get(prob.status, "Undefined")
    sol_status = getattr(prob, "sol_status", None)
    if status_text == "Optimal" and sol_status in (None, pulp.LpSolutionOptimal):
        status = Status.optimal
    elif status_text == "Infeasible":
        status = Status.infeasible
    elif status_text == "Unbounded":
        status = Status.unbounded
    elif runtime >= time_limit * 0.95 or sol_status in (
        getattr(pulp, "LpSolutionIntegerFeasible", 2),
        getattr(pulp, "LpSolutionNoSolutionFound", 0),
    ):
        status = Status.time_limit
    else:
        status = Status.error
    if status is not Status.optimal:
        return Solution(status, None, None, backend, runtime, status_text)
    x = np.array([v.varValue if v.varValue is not None else 0.0 for v in xs], dtype=float)
    # the constraint objects we created, in order: ub rows then eq rows
    n_ub = lp.A_ub.shape[0]
    dual_ub = np.array([rows[k].pi or 0.0 for k in range(n_ub)], dtype=float)
    dual_eq = np.array([rows[n_ub + k].pi or 0.0 for k in range(lp.A_eq.shape[0])], dtype=float)
    rc = np.array([v.dj if v.dj is not None else np.nan for v in xs], dtype=float)
    # the solvers' files carry limited digits: polish x onto its bounds where it sits on them
    for bound in (lp.lb, lp.ub):
        near = np.isfinite(bound) & (np.abs(x - bound) <= 1e-9 * np.maximum(1, np.abs(bound)))
        x = np.where(near, bound, x)
    return Solution(status, x, float(lp.c @ x), backend, runtime, status_text, dual_ub, dual_eq, rc)


# ----------------------------------------------------------------------------- polish


def polish(lp: LinearProgram, x: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    """Recompute a vertex solution from its active set, independently of the solver.

    Variables within ``tol`` of a bound are put exactly on it; the others are solved from the
    equality rows and the tight inequality rows (least squares on the active system). Solvers
    print and round their solutions differently (CBC's files carry ~9 digits); the polished
    vertex is the same floating-point result whichever solver found it. The polished point is
    kept only if it satisfies every row and bound at least as well as the original.
    """
    import scipy.sparse.linalg as spla

    lb, ub = lp.lb, lp.ub
    span = tol * np.maximum(1.0, np.abs(x))
    # a column whose bounds meet has one value, whatever digits the solver printed (CBC's ~8
    # significant digits can put it further than ``span`` from it)
    at_lb = np.isfinite(lb) & ((np.abs(x - lb) <= span) | (lb == ub))
    at_ub = np.isfinite(ub) & (np.abs(x - ub) <= span) & ~at_lb
    fixed = at_lb | at_ub
    z = x.copy()
    z[at_lb] = lb[at_lb]
    z[at_ub] = ub[at_ub]
    free = np.flatnonzero(~fixed)
    if free.size == 0:
        return z
    r_ub = lp.A_ub @ x - lp.b_ub if lp.A_ub.shape[0] else np.zeros(0)
    if r_ub.size:
        # a row is tight within the precision of its terms: x = a + p − m may cancel large
        # anchors (need ≫ envelope), so the residual is judged against Σ|A_ij·x_j|, not b
        activity = abs(lp.A_ub) @ np.abs(x)
        tight = np.abs(r_ub) <= tol * np.maximum(1.0, np.maximum(np.abs(lp.b_ub), activity))
    else:
        tight = np.zeros(0, bool)
    A = sp.vstack([lp.A_eq, lp.A_ub[tight]]).tocsc() if tight.any() else lp.A_eq.tocsc()
    b = np.concatenate([lp.b_eq, lp.b_ub[tight]])
    if A.shape[0] == 0:
        return x
    rhs = b - A[:, np.flatnonzero(fixed)] @ z[fixed]
    Af = A[:, free]
    rows = np.flatnonzero(np.diff(Af.tocsr().indptr) > 0)
    Af, rhs = Af[rows], rhs[rows]
    # least squares on the active system through the sparse normal equations (a vertex has full
    # column rank there); if they are singular the original point is kept
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            sol = spla.spsolve((Af.T @ Af).tocsc(), Af.T @ rhs)
        except RuntimeError:
            return x
    if not np.all(np.isfinite(sol)):
        return x
    z[free] = sol

    # each row judged against its own magnitude (|b| and Σ|A_ij·x_j| at the original point), so
    # that a row of size 1e-5 (the guard of a small objective) counts as much as one of size 1
    eq_scale = np.maximum(np.maximum(np.abs(lp.b_eq), abs(lp.A_eq) @ np.abs(x)), 1e-6)
    ub_scale = np.maximum(np.maximum(np.abs(lp.b_ub), abs(lp.A_ub) @ np.abs(x)), 1e-6)

    def violation(v: np.ndarray) -> float:
        worst = 0.0
        if lp.A_eq.shape[0]:
            worst = max(worst, float(np.max(np.abs(lp.A_eq @ v - lp.b_eq) / eq_scale)))
        if lp.A_ub.shape[0]:
            worst = max(worst, float(np.max((lp.A_ub @ v - lp.b_ub) / ub_scale)))
        worst = max(
            worst,
            float(np.max(np.where(np.isfinite(lb), lb - v, -np.inf))),
            float(np.max(np.where(np.isfinite(ub), v - ub, -np.inf))),
        )
        return worst

    # the original may look better only by being slightly infeasible: compare objectives at
    # the precision being repaired, not at the polish's own tolerance
    if violation(z) <= max(violation(x), 1e-12) and float(lp.c @ z) <= float(lp.c @ x) + 1e-6 * max(
        1.0, abs(float(lp.c @ x))
    ):
        return z
    return x
