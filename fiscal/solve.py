"""Solving a :class:`~fiscal.model.LinearProgram`: HiGHS through SciPy, or PuLP (CBC or HiGHS).

Both backends take the same matrices and return one :class:`Solution` with a :class:`Status`.
PuLP lives only in this module (the adapter), written against the API shared by PuLP 3.3 and
4.x. :func:`solve_lexicographic` adds the tie-break: after the primary optimum, it keeps the
primary objective within a tiny tolerance and minimises the relative L1 distance of the cells
to a reference allocation (the formula amounts), so that one input gives one table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from fiscal.errors import SolverError
from fiscal.model import LinearProgram, VarBlock

__all__ = ["BACKENDS", "Solution", "Status", "solve", "solve_lexicographic", "solver_versions"]

BACKENDS = ("highs", "pulp")


class Status(StrEnum):
    """Outcome of a solve."""

    optimal = "optimal"
    infeasible = "infeasible"
    unbounded = "unbounded"
    time_limit = "time_limit"
    numerical = "numerical"
    error = "error"

    @property
    def is_ok(self) -> bool:
        return self is Status.optimal


@dataclass
class Solution:
    """What one solve returns. Duals are for the minimised objective, in scaled units."""

    status: Status
    x: np.ndarray | None
    objective: float | None
    backend: str
    runtime: float
    message: str = ""
    dual_ub: np.ndarray | None = None
    dual_eq: np.ndarray | None = None
    rc: np.ndarray | None = None  # reduced costs of the variables
    phases: list[dict] = field(default_factory=list)


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


def solve(lp: LinearProgram, backend: str = "highs", *, time_limit: float = 60.0,
          pulp_solver: str = "cbc") -> Solution:
    """Solve ``lp`` with ``backend`` ('highs' or 'pulp'); never raises for solver outcomes."""
    if backend == "highs":
        return _solve_scipy(lp, time_limit)
    if backend == "pulp":
        return _solve_pulp(lp, time_limit, pulp_solver)
    raise SolverError(f"unknown backend '{backend}'; choose one of {', '.join(BACKENDS)}")


# ----------------------------------------------------------------------------- SciPy / HiGHS

_CORE_NAME = "scipy.optimize._highspy._core"


def _highs_bindings():
    """SciPy's own HiGHS bindings: the build ``linprog(method="highs")`` runs, without its
    per-call Python overhead (option checks, input cleaning, a loop over the columns).

    The extension module is loaded from its file without importing the ``scipy.optimize``
    package around it (~0.6 s of a cold ``fiscal solve``; the module itself loads in ~10 ms).
    It is registered under its own name, so a later ``import scipy.optimize`` reuses it. If
    SciPy's layout ever differs, the ordinary import is used.
    """
    import sys

    core = sys.modules.get(_CORE_NAME)
    if core is not None:
        return core
    try:
        import importlib.machinery
        import importlib.util

        import scipy

        folder = Path(scipy.__file__).parent / "optimize" / "_highspy"
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / f"_core{suffix}"
            if path.is_file():
                spec = importlib.util.spec_from_file_location(_CORE_NAME, path)
                if spec is None or spec.loader is None:
                    break
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                if not hasattr(module, "_Highs"):
                    break
                sys.modules[_CORE_NAME] = module
                return module
    except Exception:  # any surprise: fall back to the documented import
        pass
    import scipy.optimize._highspy._core as core

    return core


def _highs_status(core) -> dict:
    S = core.HighsModelStatus
    return {S.kOptimal: Status.optimal, S.kTimeLimit: Status.time_limit,
            S.kIterationLimit: Status.error, S.kInfeasible: Status.infeasible,
            S.kModelError: Status.infeasible, S.kUnbounded: Status.unbounded}


def _stack(mats: list, ncols: int) -> sp.csr_matrix:
    """Rows of CSR matrices one under the other, widened to ``ncols`` columns (what
    ``sp.vstack``/``sp.hstack`` give, without their per-call overhead)."""
    mats = [sp.csr_matrix(M) for M in mats]
    indptr = [np.zeros(1, dtype=np.int64)]
    offset = 0
    for M in mats:
        indptr.append(M.indptr[1:].astype(np.int64) + offset)
        offset += M.nnz
    shape = (sum(M.shape[0] for M in mats), ncols)
    return sp.csr_matrix((np.concatenate([M.data for M in mats]),
                          np.concatenate([M.indices for M in mats]), np.concatenate(indptr)),
                         shape=shape)


def _solve_scipy(lp: LinearProgram, time_limit: float) -> Solution:
    """HiGHS with the options of ``linprog(method="highs")`` (dual simplex, presolve), so that
    solutions, duals and reduced costs are those ``linprog`` returns, to the last bit."""
    core = _highs_bindings()
    t0 = time.perf_counter()
    n_ub = lp.A_ub.shape[0]
    A = _stack([lp.A_ub, lp.A_eq], lp.nvar).tocsc()
    opts = core.HighsOptions()
    opts.presolve = "on"
    opts.time_limit = float(time_limit)
    opts.highs_debug_level = 0
    opts.output_flag = False
    opts.log_to_console = False
    # money is scaled to ~1 per unit: 1e-9 keeps totals exact to ~0.01 million VND
    opts.primal_feasibility_tolerance = 1e-9
    opts.dual_feasibility_tolerance = 1e-9
    opts.simplex_strategy = 1  # dual simplex, as linprog
    model = core.HighsLp()
    model.num_col_ = lp.nvar
    model.num_row_ = A.shape[0]
    model.a_matrix_.num_col_ = lp.nvar
    model.a_matrix_.num_row_ = A.shape[0]
    model.a_matrix_.format_ = core.MatrixFormat.kColwise
    model.col_cost_ = lp.c
    model.col_lower_ = lp.lb
    model.col_upper_ = lp.ub
    model.row_lower_ = np.concatenate([np.full(n_ub, -np.inf), lp.b_eq])
    model.row_upper_ = np.concatenate([lp.b_ub, lp.b_eq])
    model.a_matrix_.start_ = A.indptr
    model.a_matrix_.index_ = A.indices
    model.a_matrix_.value_ = A.data
    h = core._Highs()
    h.passOptions(opts)
    loaded = h.passModel(model)
    if loaded == core.HighsStatus.kError:
        return Solution(Status.error, None, None, "highs", time.perf_counter() - t0,
                        "HiGHS refused the model")
    h.run()
    ms = h.getModelStatus()
    status = _highs_status(core).get(ms, Status.numerical)
    msg = f"{h.modelStatusToString(ms)} (HiGHS status {int(ms)})"
    if status is not Status.optimal:
        return Solution(status, None, None, "highs", time.perf_counter() - t0, msg)
    sol = h.getSolution()
    x = np.array(sol.col_value, dtype=float)
    row_dual = np.array(sol.row_dual, dtype=float)
    col_dual = np.array(sol.col_dual, dtype=float)
    # reduced costs of the columns at a bound (linprog's lower + upper marginals); 0 if basic
    B = core.HighsBasisStatus
    lower, upper = int(B.kLower), int(B.kUpper)
    state = np.fromiter(map(int, h.getBasis().col_status), dtype=np.int8, count=lp.nvar)
    rc = np.where((state == lower) | (state == upper), col_dual, 0.0)
    fun = float(h.getInfo().objective_function_value)
    return Solution(status, x, fun, "highs", time.perf_counter() - t0, msg,
                    row_dual[:n_ub], row_dual[n_ub:], rc)


# ----------------------------------------------------------------------------- PuLP adapter


def _pulp_solver(name: str, time_limit: float, tight: bool = True):
    import pulp

    if name == "highs":
        if "HiGHS" not in pulp.listSolvers(onlyAvailable=True):
            raise SolverError("PuLP cannot find HiGHS; install highspy or use pulp_solver = 'cbc'")
        return pulp.HiGHS(msg=False, timeLimit=time_limit)
    # tighter than CBC's defaults (1e-7) so that both backends land on the same optimum
    options = ["primalTolerance 1e-9", "dualTolerance 1e-9"] if tight else []
    # COIN_CMD exists in PuLP 3.3 and 4.x; 3.3 bundles a CBC binary (pulp_cbc_path), 4.x finds
    # the one installed by `pulp[cbc]` (PULP_CBC_CMD is deprecated in 3.3, removed in 4.0)
    try:
        from pulp.apis.coin_api import pulp_cbc_path
    except ImportError:  # pragma: no cover - PuLP 4.x
        pulp_cbc_path = None
    path = pulp_cbc_path if pulp_cbc_path and Path(pulp_cbc_path).is_file() else None
    solver = pulp.COIN_CMD(msg=False, timeLimit=time_limit, options=options, path=path)
    if not solver.available():
        raise SolverError("PuLP cannot find the CBC solver; install it with `pip install 'pulp[cbc]'` "
                          "or use pulp_solver = 'highs'")
    return solver


def to_pulp(lp: LinearProgram, name: str = "fiscal"):
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
    nz = np.flatnonzero(lp.c)
    prob.setObjective(pulp.LpAffineExpression([(xs[j], float(lp.c[j])) for j in nz]))
    rows = []
    for A, b, sense, prefix in ((lp.A_ub, lp.b_ub, pulp.LpConstraintLE, "ub"),
                                (lp.A_eq, lp.b_eq, pulp.LpConstraintEQ, "eq")):
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
        return Solution(Status.infeasible, None, None, backend, time.perf_counter() - t0,
                        "a variable's lower bound is above its upper bound")
    prob, xs, rows = to_pulp(lp)
    solver = _pulp_solver(solver_name, time_limit)
    try:
        prob.solve(solver)
        if solver_name == "cbc" and pulp.LpStatus.get(prob.status) == "Infeasible":
            # CBC's presolve at a 1e-9 tolerance can call a feasible LP infeasible when rows
            # add up large terms (need ≫ envelope); its own default tolerance decides
            remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
            prob.solve(_pulp_solver(solver_name, remaining, tight=False))
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
        getattr(pulp, "LpSolutionIntegerFeasible", 2), getattr(pulp, "LpSolutionNoSolutionFound", 0)
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
    at_lb = np.isfinite(lb) & (np.abs(x - lb) <= span)
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
    import warnings

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
        worst = max(worst, float(np.max(np.where(np.isfinite(lb), lb - v, -np.inf))),
                    float(np.max(np.where(np.isfinite(ub), v - ub, -np.inf))))
        return worst

    # the original may look better only by being slightly infeasible: compare objectives at
    # the precision being repaired, not at the polish's own tolerance
    if violation(z) <= max(violation(x), 1e-12) and float(lp.c @ z) <= float(lp.c @ x) + 1e-6 * max(1.0, abs(float(lp.c @ x))):
        return z
    return x


# ----------------------------------------------------------------------------- lexicographic


#: relative spread of the tie-break weights that separates units (and sectors) that would tie
TIE_PERTURBATION = 1e-3


def _with_tie_break(lp: LinearProgram, sol: Solution, reference: np.ndarray, rel_tol: float,
                    fix_reduced_costs: bool = True) -> tuple[LinearProgram, VarBlock]:
    """The phase-2 LP on the primary's optimal face: unit totals toward the reference, splits by share.

    Minimises Σ |X[t,i] − ref[t,i]| / ref[t,i] over units with a free cell, plus (several
    sectors) 10⁻³ × Σ |x[t,s,i] − share[t,s,i]·X[t,i]| / (ref[t,i]·share), where the share is the
    reference's sector split.
    """
    import dataclasses

    p_blk, m_blk = lp.blocks["p"], lp.blocks["m"]
    lb, ub = lp.lb.copy(), lp.ub.copy()
    x = sol.x
    # Thresholds for "clearly nonzero": 10⁻⁷ of the largest cost (at least 10⁻⁷) as a rule, but a
    # large penalty on a soft rule's slack (costs are scaled to a largest of 1) leaves the money
    # columns with costs near 10⁻⁶, whose reduced costs and row duals then fall under it and the
    # tie-break could trade against the primary's (weak but real) preference. Judged against the
    # typical nonzero cost instead (10⁻⁴ of it, far above solver noise).
    c_abs = np.abs(lp.c)
    tau_all = 1e-7 * max(1.0, float(c_abs.max(initial=0.0)))
    typical = float(np.median(c_abs[c_abs > 0])) if np.any(c_abs > 0) else 0.0
    tau_row = float(np.clip(1e-4 * typical, 1e-12, tau_all)) if typical > 0 else tau_all
    # Variables with a clearly nonzero reduced cost sit at a bound in every optimal solution:
    # fixing them there leaves the optimal face unchanged and keeps the phase-2 LP small.
    if fix_reduced_costs and sol.rc is not None and np.all(np.isfinite(sol.rc)):
        # a column with a cost of its own is judged against 10⁻⁴ of it, the others as before
        tau = np.where(c_abs > 0, np.clip(1e-4 * c_abs, 1e-12, tau_all), tau_all)
        span = 1e-7 * np.maximum(1.0, np.abs(x))
        at_lb = np.isfinite(lp.lb) & (np.abs(x - lp.lb) <= span)
        at_ub = np.isfinite(lp.ub) & (np.abs(x - lp.ub) <= span)
        big = np.abs(sol.rc) > tau
        # fix at the exact bound (not at the solver's printed value); a variable whose range is
        # narrower than the span is near both bounds: take the one it sits on
        lower_side = np.abs(x - lp.lb) <= np.abs(x - lp.ub)
        fix_lb = big & at_lb & lower_side
        fix_ub = big & at_ub & ~fix_lb
        ub[fix_lb] = lb[fix_lb]
        lb[fix_ub] = ub[fix_ub]
    fixed_cell = (lb[p_blk.slice] == ub[p_blk.slice]) & (lb[m_blk.slice] == ub[m_blk.slice])
    T, S, n = lp.shape
    ref = (reference / lp.scale).reshape(T, S, n)
    ref_unit = ref.sum(axis=1)  # (T, n)
    eps = 1e-3 * max(float(np.abs(ref_unit).mean()), 1e-9)
    need = lp.meta.get("need")
    if need is not None and np.all(np.asarray(need) > 0):
        # units with no formula amount that must still receive money (floors, caps elsewhere)
        # would tie; a bounded nudge (at most ×2) makes their cost fall with need, so such money
        # goes to the largest need first without spreading the weights over decades
        need = np.asarray(need)
        eps = eps * (1.0 + need / need.sum(axis=-1, keepdims=True))
    eps = np.broadcast_to(eps, ref_unit.shape)
    cell_ids = np.arange(T * S * n).reshape(T, S, n)
    # term A: each unit's total toward its formula amount, on units with a free cell
    free_unit = ~fixed_cell.reshape(T, S, n).all(axis=1)
    tu, iu = np.nonzero(free_unit)
    nA = tu.size
    # Units whose weights tie (equal formula amounts, both short of it) could trade money at no
    # cost, and two solvers would pick different vertices. A deterministic perturbation of at
    # most 10⁻³ makes the weights distinct: of tied units, the one listed first is served first
    # (as in rounding). It is the same every year, so identical years get identical tables.
    order = 1.0 + TIE_PERTURBATION * (1.0 - np.arange(n) / max(n, 1))  # (n,)
    w_a = order[iu] / np.maximum(np.abs(ref_unit[tu, iu]), eps[tu, iu])
    rows_a = np.repeat(np.arange(nA), S)
    cells_a = cell_ids[tu, :, iu].ravel()
    b_a = ref_unit[tu, iu] - lp.anchor.reshape(T, S, n)[tu, :, iu].sum(axis=1)
    # term B (several sectors): each free cell toward its sector share of the unit's own total,
    # with a small weight, so that the split is unique where rules leave it open
    shares = ref / np.where(ref_unit[:, None, :] > 0, ref_unit[:, None, :], 1.0)
    default = ref.sum(axis=(0, 2)) / max(ref.sum(), 1e-12)
    shares = np.where(ref_unit[:, None, :] > 0, shares, default[None, :, None])
    if S > 1:
        ts, ss, is_ = np.nonzero(free_unit[:, None, :] & np.ones((1, S, 1), bool))
    else:
        ts = ss = is_ = np.zeros(0, int)
    nB = ts.size
    nq = nA + nB
    # with several sectors each free unit's total gets a column U (one defining row), so that a
    # term-B row reads x_s − share·U (3 non-zeros) instead of x_s − share·Σ_s' x_s' (2S + 2)
    nU = nA if nB else 0
    u0 = lp.nvar + 2 * nq  # first U column
    nvar = u0 + nU
    A_rows, A_cols, A_vals = [], [], []

    def put(rows: np.ndarray, cells: np.ndarray, coef: np.ndarray) -> None:
        A_rows.extend([rows, rows])
        A_cols.extend([p_blk.start + cells, m_blk.start + cells])
        A_vals.extend([coef, -coef])

    anchor3 = lp.anchor.reshape(T, S, n)
    if nU:
        # term A on U: U − qA + rA = ref_unit ; definition rows: U − Σ_s (p − m) = Σ_s a
        A_rows.append(np.arange(nA))
        A_cols.append(u0 + np.arange(nA))
        A_vals.append(np.ones(nA))
        b_a = ref_unit[tu, iu]
        rdef = nq + np.arange(nA)
        A_rows.append(rdef)
        A_cols.append(u0 + np.arange(nA))
        A_vals.append(np.ones(nA))
        put(np.repeat(rdef, S), cells_a, -np.ones(rows_a.size))
        b_def = anchor3[tu, :, iu].sum(axis=1)
    else:
        put(rows_a, cells_a, np.ones(rows_a.size))
        b_def = np.zeros(0)
    if nB:
        rb = nA + np.arange(nB)
        put(rb, cell_ids[ts, ss, is_], np.ones(nB))
        # − share_s × U[t,i]
        unit_index = np.full((T, n), -1)
        unit_index[tu, iu] = np.arange(nA)
        A_rows.append(rb)
        A_cols.append(u0 + unit_index[ts, is_])
        A_vals.append(-shares[ts, ss, is_])
        b_b = -anchor3[ts, ss, is_]
        sector_order = 1.0 + TIE_PERTURBATION * (1.0 - np.arange(S) / S)
        w_b = (1e-3 * order[is_] * sector_order[ss]
               / np.maximum(np.abs(ref_unit[ts, is_]) * shares[ts, ss, is_], eps[ts, is_]))
    else:
        b_b = w_b = np.zeros(0)
    Q = np.arange(nq)
    A_rows += [Q, Q]
    A_cols += [lp.nvar + Q, lp.nvar + nq + Q]
    A_vals += [-np.ones(nq), np.ones(nq)]
    A_tb = sp.csr_matrix((np.concatenate(A_vals), (np.concatenate(A_rows), np.concatenate(A_cols))),
                         shape=(nq + len(b_def), nvar))
    b_tb = np.concatenate([b_a, b_b, b_def])
    wts = np.concatenate([w_a, w_b])
    wts = wts / wts.max() if wts.size else wts  # largest cost 1 (see model.build)
    c2 = np.concatenate([np.zeros(lp.nvar), wts, wts, np.zeros(nU)])
    nf = nq
    # Rows with a clearly nonzero dual are tight in every optimal solution: make them equalities.
    # With the fixings above this restricts the problem to the optimal face itself
    # (complementary slackness), whichever optimal dual the solver returned.
    A_ub0, b_ub0, A_eq0, b_eq0 = lp.A_ub, lp.b_ub, lp.A_eq, lp.b_eq
    if fix_reduced_costs and sol.dual_ub is not None and sol.dual_ub.size:
        # a row is made tight only where the solution meets it (a noisy dual on a slack row
        # must not cut the face), judged relative to the row's terms (CBC's values carry about
        # nine digits, and a minimax row holds need × z with need ≫ the amounts)
        slack = lp.b_ub - lp.A_ub @ x
        row_size = np.maximum(1.0, np.maximum(np.abs(lp.b_ub), abs(lp.A_ub) @ np.abs(x)))
        tight = (np.abs(sol.dual_ub) > tau_row) & (slack <= 1e-6 * row_size)
        if tight.any():
            A_eq0 = _stack([A_eq0, A_ub0[tight]], lp.nvar)
            b_eq0 = np.concatenate([b_eq0, b_ub0[tight]])
            A_ub0, b_ub0 = A_ub0[~tight], b_ub0[~tight]
    # guard: the primary objective stays within a small tolerance of its optimum (a safety net
    # for reduced costs below the fixing threshold). The tolerance is relative to the size of
    # the optimised terms, not to the objective's constant: where the constant dominates (gaps
    # far above the envelope), a tolerance on the whole objective was a budget the tie-break
    # spent against the primary's preference, differently on each backend.
    opt = float(lp.c @ x)
    guard = sp.csr_matrix(np.concatenate([lp.c, np.zeros(nvar - lp.nvar)])[None, :])
    size = max(float((c_abs * np.abs(x)).sum()), 1e-3 * float(c_abs.max(initial=0.0)))
    b_guard = np.array([opt + rel_tol * size])
    A_ub = _stack([A_ub0, guard], nvar)
    A_eq = _stack([A_eq0, A_tb], nvar)
    lp2 = dataclasses.replace(
        lp,
        c=c2,
        A_ub=A_ub,
        b_ub=np.concatenate([b_ub0, b_guard]),
        A_eq=A_eq,
        b_eq=np.concatenate([b_eq0, b_tb]),
        lb=np.concatenate([lb, np.zeros(2 * nf + nU)]),
        ub=np.concatenate([ub, np.full(2 * nf + nU, np.inf)]),
        blocks={**lp.blocks, "tb_up": VarBlock("tb_up", lp.nvar, (nf,)),
                "tb_down": VarBlock("tb_down", lp.nvar + nf, (nf,))},
        objective="tie_break",
    )
    return lp2, VarBlock("free", 0, (nf,))


def solve_lexicographic(
    lp: LinearProgram,
    reference: np.ndarray | None,
    backend: str = "highs",
    *,
    time_limit: float = 60.0,
    pulp_solver: str = "cbc",
    rel_tol: float = 1e-7,
    solver: Callable[[LinearProgram, float], Solution] | None = None,
) -> Solution:
    """Primary solve, then (if ``reference`` is given) the tie-break toward ``reference`` cells.

    ``solver(lp, time_limit)``, if given, replaces :func:`solve` in every phase (the sweeps pass
    one that keeps the model loaded in HiGHS between points).
    """
    t0 = time.perf_counter()
    if solver is None:
        def solver(lp_: LinearProgram, limit: float) -> Solution:
            return solve(lp_, backend, time_limit=limit, pulp_solver=pulp_solver)
    first = solver(lp, time_limit)
    first.phases.append({"phase": "primary", "runtime": first.runtime, "status": first.status.value,
                         "objective": lp.reported_objective(first.x) if first.status.is_ok else None})
    # HiGHS hands back a double-precision basic solution; other solvers' values come through a
    # text file with ~9 significant digits and are recomputed from their active set
    needs_polish = backend != "highs"
    if not first.status.is_ok:
        return first
    if reference is None:
        if needs_polish:
            first.x = polish(lp, first.x)
        return first
    remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
    lp2, _ = _with_tie_break(lp, first, reference.ravel(), rel_tol)
    second = solver(lp2, remaining)
    first.phases.append({"phase": "tie_break", "runtime": second.runtime, "status": second.status.value})
    if second.status in (Status.infeasible, Status.numerical, Status.error):
        # reduced costs judged too sharply for this solver: keep only the guard row
        remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
        lp2, _ = _with_tie_break(lp, first, reference.ravel(), rel_tol, fix_reduced_costs=False)
        second = solver(lp2, remaining)
        first.phases.append({"phase": "tie_break_unfixed", "runtime": second.runtime,
                             "status": second.status.value})
    if not second.status.is_ok:
        if second.status is Status.time_limit:
            first.status = Status.time_limit
            first.message = f"time limit of {time_limit:g} s reached during the tie-break"
            first.x = None
            return first
        # the primary optimum stands; the tie-break is a refinement
        first.message = f"tie-break not applied ({second.status.value})"
        return first
    x = (polish(lp2, second.x) if needs_polish else second.x)[: lp.nvar]
    first.x = x
    first.objective = float(lp.c @ x)
    first.runtime = time.perf_counter() - t0
    return first
