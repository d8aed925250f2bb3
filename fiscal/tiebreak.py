"""The tie-break: one table per input, whichever optimal vertex a solver finds first.

After the primary optimum, :func:`solve_lexicographic` restricts the model to the primary's
optimal face (columns with a clearly nonzero reduced cost fixed at their bound, rows with a
clearly nonzero dual made equalities, and a guard row keeping the primary objective within a
tiny tolerance of its optimum) and minimises the relative L1 distance of each unit's total to
a reference allocation (the formula amounts), with a small term splitting sectors by the
reference's shares. docs/model.md gives the thresholds and why.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from fiscal.face import Face, leximin, optimal_face, stage_lp
from fiscal.highs import HighsSolver
from fiscal.lp import LinearProgram, Solution, Status, VarBlock, stack_rows
from fiscal.solve import polish, solve

__all__ = [
    "TIE_PERTURBATION",
    "Face",
    "TieBreakTerms",
    "PENALTY_DOMINANCE",
    "leximin",
    "optimal_face",
    "penalty_dominates",
    "sector_shares",
    "solve_lexicographic",
    "split_by_share",
    "stage_lp",
    "tie_break_lp",
    "tie_break_terms",
]

#: relative spread of the tie-break weights that separates units (and sectors) that would tie
TIE_PERTURBATION = 1e-3


@dataclasses.dataclass(frozen=True)
class TieBreakTerms:
    """The tie-break's targets and weights, in the LP's scaled money (see :func:`tie_break_terms`)."""

    ref_unit: np.ndarray  # (T, n) each unit's reference total (the formula amount)
    shares: np.ndarray  # (T, S, n) the reference's sector shares of a unit's total
    unit_weight: np.ndarray  # (T, n) term A's weight of |X − ref_unit|
    split_weight: np.ndarray  # (T, S, n) term B's weight of |x_s − share_s·X| (10⁻³ × …)


def tie_break_terms(reference: np.ndarray, need: np.ndarray | None) -> TieBreakTerms:
    """Term A's and term B's weights for a reference (T, S, n) and the needs (T, n), scaled.

    Term A weighs each unit's distance to its formula amount by ``order_i / max(|F|, ε)``, term
    B each cell's distance to its share of the unit's total by ``10⁻³ · order_i · order_s /
    max(|F|·share, ε)``: ε is 10⁻³ of the mean formula amount (raised by at most ×2 with the
    unit's share of need), and ``order`` spreads units (and sectors) by at most
    :data:`TIE_PERTURBATION` in table order. The sector split of :mod:`fiscal.staged` uses the
    same term B.
    """
    T, S, n = reference.shape
    ref = reference
    ref_unit = ref.sum(axis=1)  # (T, n)
    eps: Any = 1e-3 * max(float(np.abs(ref_unit).mean()), 1e-9)
    if need is not None and np.all(np.asarray(need) > 0):
        # units with no formula amount that must still receive money (floors, caps elsewhere)
        # would tie; a bounded nudge (at most ×2) makes their cost fall with need, so such money
        # goes to the largest need first without spreading the weights over decades
        need = np.asarray(need)
        eps = eps * (1.0 + need / need.sum(axis=-1, keepdims=True))
    eps = np.broadcast_to(eps, ref_unit.shape)
    # Units whose weights tie (equal formula amounts, both short of it) could trade money at no
    # cost, and two solvers would pick different vertices. A deterministic perturbation of at
    # most 10⁻³ makes the weights distinct: of tied units, the one listed first is served first
    # (as in rounding). It is the same every year, so identical years get identical tables.
    order = 1.0 + TIE_PERTURBATION * (1.0 - np.arange(n) / max(n, 1))  # (n,)
    unit_weight = order[None, :] / np.maximum(np.abs(ref_unit), eps)
    shares = sector_shares(ref)
    sector_order = 1.0 + TIE_PERTURBATION * (1.0 - np.arange(S) / S)
    split_weight = (
        1e-3
        * order[None, None, :]
        * sector_order[None, :, None]
        / np.maximum(np.abs(ref_unit)[:, None, :] * shares, eps[:, None, :])
    )
    return TieBreakTerms(ref_unit, shares, unit_weight, split_weight)


def tie_break_lp(
    lp: LinearProgram,
    sol: Solution,
    reference: np.ndarray,
    rel_tol: float,
    fix_reduced_costs: bool = True,
    sectors: bool = True,
) -> LinearProgram:
    """The phase-2 LP on the primary's optimal face: unit totals toward the reference, splits by share.

    Minimises Σ |X[t,i] − ref[t,i]| / ref[t,i] over units with a free cell, plus (several
    sectors) 10⁻³ × Σ |x[t,s,i] − share[t,s,i]·X[t,i]| / (ref[t,i]·share), where the share is the
    reference's sector split. ``sectors=False`` leaves the second term out (the unit totals
    only; :func:`solve_lexicographic` then splits them by share itself).
    """
    face = optimal_face(lp, sol, rel_tol, fix_reduced_costs)
    lb, ub = face.lb, face.ub
    fixed_cell = lp.fixed_cells(lb, ub)
    T, S, n = lp.shape
    terms = tie_break_terms((reference / lp.scale).reshape(T, S, n), lp.need)
    ref_unit, shares = terms.ref_unit, terms.shares
    cell_ids = np.arange(T * S * n).reshape(T, S, n)
    # term A: each unit's total toward its formula amount, on units with a free cell
    free_unit = np.asarray(~fixed_cell.reshape(T, S, n).all(axis=1))
    tu, iu = np.nonzero(free_unit)
    nA = tu.size
    w_a = terms.unit_weight[tu, iu]
    rows_a = np.repeat(np.arange(nA), S)
    cells_a = cell_ids[tu, :, iu].ravel()
    offset = lp.cell_offset()  # x = offset + terms (lp.cell_terms): offsets go to the rhs
    b_a = ref_unit[tu, iu] - offset[tu, :, iu].sum(axis=1)
    # term B (several sectors): each free cell toward its sector share of the unit's own total,
    # with a small weight, so that the split is unique where rules leave it open
    if S > 1 and sectors:
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
        r, c, v = lp.cell_terms(rows, cells, coef)
        A_rows.extend(r)
        A_cols.extend(c)
        A_vals.extend(v)

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
        b_def = offset[tu, :, iu].sum(axis=1)
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
        b_b = -offset[ts, ss, is_]
        w_b = terms.split_weight[ts, ss, is_]
    else:
        b_b = w_b = np.zeros(0)
    Q = np.arange(nq)
    A_rows += [Q, Q]
    A_cols += [lp.nvar + Q, lp.nvar + nq + Q]
    A_vals += [-np.ones(nq), np.ones(nq)]
    A_tb = sp.csr_matrix(
        (np.concatenate(A_vals), (np.concatenate(A_rows), np.concatenate(A_cols))),
        shape=(nq + len(b_def), nvar),
    )
    b_tb = np.concatenate([b_a, b_b, b_def])
    wts = np.concatenate([w_a, w_b])
    wts = wts / wts.max() if wts.size else wts  # largest cost 1 (see model.build)
    c2 = np.concatenate([np.zeros(lp.nvar), wts, wts, np.zeros(nU)])
    nf = nq
    A_ub0, b_ub0, A_eq0, b_eq0 = face.A_ub, face.b_ub, face.A_eq, face.b_eq
    guard = sp.csr_matrix(np.concatenate([face.guard, np.zeros(nvar - lp.nvar)])[None, :])
    b_guard = np.array([face.b_guard])
    A_ub = stack_rows([A_ub0, guard], nvar)
    A_eq = stack_rows([A_eq0, A_tb], nvar)
    lp2 = dataclasses.replace(
        lp,
        c=c2,
        A_ub=A_ub,
        b_ub=np.concatenate([b_ub0, b_guard]),
        A_eq=A_eq,
        b_eq=np.concatenate([b_eq0, b_tb]),
        lb=np.concatenate([lb, np.zeros(2 * nf + nU)]),
        ub=np.concatenate([ub, np.full(2 * nf + nU, np.inf)]),
        blocks={
            **lp.blocks,
            "tb_up": VarBlock("tb_up", lp.nvar, (nf,)),
            "tb_down": VarBlock("tb_down", lp.nvar + nf, (nf,)),
        },
        objective="tie_break",
        integrality=None,
        stages=(),
    )
    return lp2


def sector_shares(ref: np.ndarray) -> np.ndarray:
    """Each unit's split of the reference (T, S, n) over sectors (the whole reference's split
    where a unit's reference is 0): what the tie-break splits a unit's total by."""
    ref_unit = ref.sum(axis=1)
    shares = ref / np.where(ref_unit[:, None, :] > 0, ref_unit[:, None, :], 1.0)
    default = ref.sum(axis=(0, 2)) / max(ref.sum(), 1e-12)
    return np.where(ref_unit[:, None, :] > 0, shares, default[None, :, None])


def split_by_share(lp: LinearProgram, x: np.ndarray, shares: np.ndarray) -> np.ndarray | None:
    """``x`` with each unit's total split over its sectors by ``shares`` (T, S, n), if that is
    still an optimum of ``lp`` and of each of its later stages (every row, bound and cost
    checked); None otherwise.

    The tie-break's second term prices a split's distance from the shares. Where the split by
    shares is itself on the optimal face (no rule or cost tells the sectors of a unit apart
    beyond what the shares already meet), it is that term's optimum (0) at the unit totals that
    minimise the first term, so the tie-break with the second term has the same optimum — and
    an LP of S × n fewer rows and 2 S × n fewer columns: one of 34 provinces × 682 sectors
    took HiGHS 7–20 s with the term, under 1 s without.
    """
    T, S, n = lp.shape
    p, m = lp.blocks["p"].slice, lp.blocks["m"].slice
    cells = (lp.anchor + x[p] - x[m]).reshape(T, S, n)
    split = (shares * cells.sum(axis=1)[:, None, :]).ravel()
    y = x.copy()
    y[p] = np.maximum(split - lp.anchor, 0.0)
    y[m] = np.maximum(lp.anchor - split, 0.0)
    tol = 1e-9
    if np.any(y < lp.lb - tol * np.maximum(1.0, np.abs(lp.lb))) or np.any(
        y > lp.ub + tol * np.maximum(1.0, np.abs(lp.ub))
    ):
        return None
    for A, b, eq in ((lp.A_ub, lp.b_ub, False), (lp.A_eq, lp.b_eq, True)):
        if A.shape[0] == 0:
            continue
        act = A @ y
        room = tol * np.maximum(1.0, np.maximum(np.abs(b), abs(A) @ np.abs(y)))
        if np.any((np.abs(act - b) if eq else act - b) > room):
            return None
    for cost in (lp.c, *lp.stages):
        before, after = float(cost @ x), float(cost @ y)
        if after > before + tol * max(1.0, abs(before)):
            return None
    return y


#: the soft rules' part of the primary optimum, as a multiple of the objective's own part, above
#: which the penalties dominate and the objective is solved on the least violation's face: the
#: guard's 10⁻⁷ of the whole would then let the tie-break spend over 10⁻⁴ of the objective's own
#: terms (K8: 8.5 × 10⁴; generated cases below 10², where the objective trades with violation)
PENALTY_DOMINANCE = 1e3


def penalty_dominates(lp: LinearProgram, x: np.ndarray) -> bool:
    """Whether the soft rules' penalties outweigh the objective's own terms at ``x``.

    The guard row and the solvers' tolerances are relative to the whole objective; where the
    penalties (Σ c·slack) exceed the objective's optimised terms (Σ |c|·|v| over the other
    columns), the objective's preferences — a millionth of the total where every million breaks
    a soft rule (known problem K8) — fall below them, and the tie-break may spend them.
    """
    pen = lp.penalty_columns()
    if not pen.any() or not np.any(lp.c[~pen]):
        return False
    penalty = float(lp.c[pen] @ np.maximum(x[pen], 0.0))
    own = float(np.abs(lp.c[~pen]) @ np.abs(x[~pen]))
    return penalty > PENALTY_DOMINANCE * own


def _least_violation_first(
    lp: LinearProgram,
    first: Solution,
    solve_one: Callable[[LinearProgram], Solution],
    rel_tol: float,
) -> tuple[LinearProgram, Solution, list[dict[str, Any]]] | None:
    """The objective on the face of least violation, where the penalties dominate (see
    :func:`penalty_dominates`): min Σ penalty·slack first, then the objective's own costs on
    that face (each stage's costs scaled to a largest of 1, so that neither hides the other
    under the solver's tolerance). Returns the second stage's model and solution if they are
    an optimum of ``lp`` too (its objective within the guard's tolerance of ``first``'s), else
    None: the penalties did not dominate after all, and the weighted optimum stands."""
    assert first.x is not None
    pen = lp.penalty_columns()
    c_pen = np.where(pen, lp.c, 0.0)
    c_obj = np.where(pen, 0.0, lp.c)
    lp1 = dataclasses.replace(
        lp,
        c=c_pen / np.abs(c_pen).max(),
        stages=(c_obj / np.abs(c_obj).max(), *lp.stages),
        constant=0.0,
        objective="least_violation",
    )
    s1 = solve_one(lp1)
    phases: list[dict[str, Any]] = [
        {"phase": "least_violation", "runtime": s1.runtime, "status": s1.status.value}
    ]
    if not s1.status.is_ok or s1.x is None:
        return None
    lp2 = stage_lp(lp1, s1, lp1.stages[0], rel_tol)
    s2 = solve_one(lp2)
    if s2.status in (Status.infeasible, Status.numerical, Status.error):
        lp2 = stage_lp(lp1, s1, lp1.stages[0], rel_tol, fix=False)
        s2 = solve_one(lp2)
    phases.append({"phase": "objective_on_face", "runtime": s2.runtime, "status": s2.status.value})
    if not s2.status.is_ok or s2.x is None:
        return None
    # an optimum of the scenario's (weighted) objective too, to the guard's tolerance
    x1, x2 = first.x, s2.x[: lp.nvar]
    size = float(np.abs(lp.c) @ np.abs(x1))
    if float(lp.c @ x2) > float(lp.c @ x1) + rel_tol * size:
        phases.append({"phase": "objective_on_face", "status": "not optimal: weighted kept"})
        return None
    return lp2, s2, phases


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
        if backend == "highs":
            solver = HighsSolver()  # one model per phase, kept for the fallback below
        else:

            def solver(lp_: LinearProgram, limit: float) -> Solution:
                return solve(lp_, backend, time_limit=limit, pulp_solver=pulp_solver)

    first = solver(lp, time_limit)
    first.phases.append(
        {
            "phase": "primary",
            "runtime": first.runtime,
            "status": first.status.value,
            "objective": (
                lp.reported_objective(first.x)
                if first.x is not None and first.status.is_ok
                else None
            ),
        }
    )
    # HiGHS hands back a double-precision basic solution; other solvers' values come through a
    # text file with ~9 significant digits and are recomputed from their active set
    needs_polish = backend != "highs" and not lp.is_mip
    if not first.status.is_ok or first.x is None:
        return first
    # the objective's later stages (stability's relative L1 after its largest change), each on
    # the optimal face of the ones before
    cur_lp, cur = lp, first
    top = None
    if lp.levels is None and not lp.is_mip and penalty_dominates(lp, first.x):
        # the penalties dominate: least violation first, then the objective on that face
        lex = _least_violation_first(
            lp,
            first,
            lambda m: solver(m, max(time_limit - (time.perf_counter() - t0), 1e-3)),
            rel_tol,
        )
        if lex is not None:
            cur_lp, cur, phases = lex
            first.phases.extend(phases)
    if lp.levels is not None and not lp.is_mip:
        cur_lp, cur, top = leximin(
            lp, first, lambda m: solver(m, max(time_limit - (time.perf_counter() - t0), 1e-3))
        )
        first.phases.append({"phase": "leximin", "status": cur.status.value})
    for k, cost in enumerate(() if lp.is_mip else lp.stages, start=1):
        remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
        lpk = stage_lp(cur_lp, cur, cost, rel_tol)
        nxt = solver(lpk, remaining)
        if nxt.status in (Status.infeasible, Status.numerical, Status.error):
            lpk = stage_lp(cur_lp, cur, cost, rel_tol, fix=False)
            nxt = solver(lpk, max(time_limit - (time.perf_counter() - t0), 1e-3))
        first.phases.append(
            {"phase": f"stage_{k}", "runtime": nxt.runtime, "status": nxt.status.value}
        )
        if not nxt.status.is_ok or nxt.x is None:
            if nxt.status is Status.time_limit:
                first.status = Status.time_limit
                first.message = f"time limit of {time_limit:g} s reached in stage {k}"
                first.x = None
                return first
            first.message = f"stage {k} of the objective not applied ({nxt.status.value})"
            break
        cur_lp, cur = lpk, nxt

    def own(x: np.ndarray) -> np.ndarray:
        """A later model's solution as a solution of ``lp``: its columns, with each year's
        level at least the levels leximin held (the largest relative change)."""
        x = x[: lp.nvar]
        if top is not None and lp.levels is not None:
            z0, T = lp.levels[3], lp.shape[0]
            x = x.copy()
            x[z0 : z0 + T] = np.maximum(x[z0 : z0 + T], top)
        return x

    if reference is None or lp.is_mip:
        x = cur.x
        assert x is not None
        if needs_polish:
            x = polish(cur_lp, x)
        first.x = own(x)
        if cur is not first:
            first.objective = float(lp.c @ first.x)
            first.runtime = time.perf_counter() - t0
        return first
    remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
    if lp.shape[1] > 1:
        # several sectors: the unit totals first, split by share if that split is optimal
        lp2 = tie_break_lp(cur_lp, cur, reference.ravel(), rel_tol, sectors=False)
        second = solver(lp2, remaining)
        if second.status.is_ok and second.x is not None:
            shares = sector_shares(reference.reshape(lp.shape) / lp.scale)
            totals = own(polish(lp2, second.x) if needs_polish else second.x)
            y = split_by_share(lp, totals, shares)
            if y is not None:
                first.phases.append(
                    {"phase": "tie_break", "runtime": second.runtime, "status": "optimal"}
                )
                first.x = y
                first.objective = float(lp.c @ y)
                first.runtime = time.perf_counter() - t0
                return first
        first.phases.append(
            {"phase": "tie_break_totals", "runtime": second.runtime, "status": "not split"}
        )
        remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
    lp2 = tie_break_lp(cur_lp, cur, reference.ravel(), rel_tol)
    second = solver(lp2, remaining)
    first.phases.append(
        {"phase": "tie_break", "runtime": second.runtime, "status": second.status.value}
    )
    if second.status in (Status.infeasible, Status.numerical, Status.error):
        # reduced costs judged too sharply for this solver: keep only the guard row
        remaining = max(time_limit - (time.perf_counter() - t0), 1e-3)
        lp2 = tie_break_lp(cur_lp, cur, reference.ravel(), rel_tol, fix_reduced_costs=False)
        second = solver(lp2, remaining)
        first.phases.append(
            {"phase": "tie_break_unfixed", "runtime": second.runtime, "status": second.status.value}
        )
    if not second.status.is_ok or second.x is None:
        if second.status is Status.time_limit:
            first.status = Status.time_limit
            first.message = f"time limit of {time_limit:g} s reached during the tie-break"
            first.x = None
            return first
        # the optimum stands; the tie-break is a refinement
        first.message = f"tie-break not applied ({second.status.value})"
        if cur is not first:
            x = polish(cur_lp, cur.x) if needs_polish else cur.x  # type: ignore[arg-type]
            assert x is not None
            first.x = own(x)
            first.objective = float(lp.c @ first.x)
        return first
    x = own(polish(lp2, second.x) if needs_polish else second.x)
    first.x = x
    first.objective = float(lp.c @ x)
    first.runtime = time.perf_counter() - t0
    return first
