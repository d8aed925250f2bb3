"""The primary's optimal face and the lexicographic stages on it.

:func:`optimal_face` restricts a solved LP to its optimal face (columns with a clearly nonzero
reduced cost fixed at their bound, rows with a clearly nonzero dual made equalities, a guard row
keeping the objective within a tiny tolerance); :func:`stage_lp` minimises a later stage's
costs on that face; :func:`leximin` holds stability's levels round by round. The tie-break that
follows them is :mod:`fiscal.tiebreak`; docs/model.md gives the thresholds and why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from fiscal.lp import LinearProgram, Solution, stack_rows

__all__ = ["Face", "leximin", "optimal_face", "stage_lp"]


@dataclasses.dataclass(frozen=True)
class Face:
    """The optimal face of a solved LP, as column bounds and rows: columns with a clearly nonzero
    reduced cost fixed at their bound, rows with a clearly nonzero dual where the solution meets
    them made equalities, and a guard row keeping the objective within a small tolerance."""

    lb: np.ndarray
    ub: np.ndarray
    A_ub: Any  # the ≤ rows left (without the guard)
    b_ub: np.ndarray
    A_eq: Any  # the equality rows, with the tight ≤ rows
    b_eq: np.ndarray
    guard: np.ndarray  # (nvar,) the objective's costs
    b_guard: float


def optimal_face(
    lp: LinearProgram, sol: Solution, rel_tol: float, fix_reduced_costs: bool = True
) -> Face:
    """The optimal face of ``lp`` at ``sol`` (docs/model.md, "Tie-break", gives the thresholds)."""
    lb, ub = lp.lb.copy(), lp.ub.copy()
    if sol.x is None:
        raise ValueError("the tie-break starts from an optimal primary solution")
    x: np.ndarray = sol.x
    # Thresholds for "clearly nonzero": 10⁻⁷ of the largest cost (at least 10⁻⁷) as a rule, but a
    # large penalty on a soft rule's slack (costs are scaled to a largest of 1) leaves the money
    # columns with costs near 10⁻⁶, whose reduced costs and row duals then fall under it and the
    # tie-break could trade against the primary's (weak but real) preference. A column is judged
    # against 10⁻⁴ of its own cost, a row against 10⁻⁴ of the smallest cost among the columns it
    # holds (:func:`_row_thresholds`; a cap's dual is the money's cost, which soft rules' many
    # slack columns can put below 10⁻⁴ of the median cost: K10), far above solver noise. A
    # column without a cost of its own there (a deviation the primary prices only through the
    # rows that define it: blend's stability part) counts with the model's smallest cost, the
    # money's: a level row w·dev ≤ z carries a money price (1.7-3.8 × 10⁻⁸ in K12, beside money
    # costs from 1.5 × 10⁻⁸), not a share of z's cost alone.
    c_abs = np.abs(lp.c)
    tau_all = 1e-7 * max(1.0, float(c_abs.max(initial=0.0)))
    # Variables with a clearly nonzero reduced cost sit at a bound in every optimal solution:
    # fixing them there leaves the optimal face unchanged and keeps the phase-2 LP small.
    rc = sol.rc
    if fix_reduced_costs and rc is not None and np.all(np.isfinite(rc)):
        # a column with a cost of its own is judged against 10⁻⁴ of it, the others as before
        tau = np.where(c_abs > 0, np.clip(1e-4 * c_abs, 1e-12, tau_all), tau_all)
        span = 1e-7 * np.maximum(1.0, np.abs(x))
        at_lb = np.isfinite(lp.lb) & (np.abs(x - lp.lb) <= span)
        at_ub = np.isfinite(lp.ub) & (np.abs(x - lp.ub) <= span)
        # only a reduced cost of the sign an optimum has there (≥ 0 at a lower bound, ≤ 0 at an
        # upper one) says where every optimum sits; one of the other sign is the solver's noise
        big = np.abs(rc) > tau
        # fix at the exact bound (not at the solver's printed value); a variable whose range is
        # narrower than the span is near both bounds: take the one it sits on
        lower_side = np.abs(x - lp.lb) <= np.abs(x - lp.ub)
        fix_lb = big & (rc > 0) & at_lb & lower_side
        fix_ub = big & (rc < 0) & at_ub & ~fix_lb
        ub[fix_lb] = lb[fix_lb]
        lb[fix_ub] = ub[fix_ub]
    # Rows with a clearly nonzero dual are tight in every optimal solution: make them equalities.
    # With the fixings above this restricts the problem to the optimal face itself
    # (complementary slackness), whichever optimal dual the solver returned.
    A_ub0, b_ub0, A_eq0, b_eq0 = lp.A_ub, lp.b_ub, lp.A_eq, lp.b_eq
    dual_ub = sol.dual_ub
    if fix_reduced_costs and dual_ub is not None and dual_ub.size:
        # a row is made tight only where the solution meets it (a noisy dual on a slack row
        # must not cut the face), judged relative to the row's terms (CBC's values carry about
        # nine digits, and a minimax row holds need × z with need ≫ the amounts)
        slack = lp.b_ub - lp.A_ub @ x
        row_size = np.maximum(1.0, np.maximum(np.abs(lp.b_ub), abs(lp.A_ub) @ np.abs(x)))
        # rows the solution meets with a dual above the lowest threshold, then each judged
        # against its own threshold (computed for those rows only: the tie-break stays cheap).
        # Only a dual of an optimum's sign (≤ 0 on a ≤ row of a minimisation) counts: CBC printed
        # +3.3 × 10⁻¹⁰ on a row another optimum leaves slack, above its threshold (money costs
        # near 10⁻⁹), and the face it cut was no longer the optimal face (K12)
        tight = (dual_ub < -1e-12) & (slack <= 1e-6 * row_size)
        cand = np.flatnonzero(tight)
        tau_r = _row_thresholds(lp.A_ub[cand], c_abs, tau_all)
        tight[cand] = -dual_ub[cand] > tau_r
        if tight.any():
            A_eq0 = stack_rows([A_eq0, A_ub0[tight]], lp.nvar)
            b_eq0 = np.concatenate([b_eq0, b_ub0[tight]])
            A_ub0, b_ub0 = A_ub0[~tight], b_ub0[~tight]
    # guard: the primary objective stays within a small tolerance of its optimum (a safety net
    # for reduced costs below the fixing threshold). The tolerance is relative to the size of
    # the optimised terms, not to the objective's constant: where the constant dominates (gaps
    # far above the envelope), a tolerance on the whole objective was a budget the tie-break
    # spent against the primary's preference, differently on each backend.
    opt = float(lp.c @ x)
    size = max(float((c_abs * np.abs(x)).sum()), 1e-3 * float(c_abs.max(initial=0.0)))
    return Face(lb, ub, A_ub0, b_ub0, A_eq0, b_eq0, lp.c, opt + rel_tol * size)


def _row_thresholds(A: Any, c_abs: np.ndarray, tau_all: float) -> np.ndarray:
    """Each row's "clearly nonzero" dual: 10⁻⁴ of the smallest cost among the columns it holds
    (as a column's reduced cost is judged against its own cost), a column without a cost of its
    own counting with the model's smallest nonzero cost (K12); ``tau_all`` for a row without
    either (a model without costs); never above ``tau_all``, never below 10⁻¹²."""
    A = sp.csr_matrix(A)
    m = A.shape[0]
    floor = float(c_abs[c_abs > 0].min()) if np.any(c_abs > 0) else np.inf
    cost = c_abs[A.indices]
    cost = np.where(A.data != 0, np.where(cost > 0, cost, floor), np.inf)
    low = np.full(m, np.inf)
    counts = np.diff(A.indptr)
    has = counts > 0
    if has.any():
        low[has] = np.minimum.reduceat(cost, A.indptr[:-1][has])
    return np.where(np.isfinite(low), np.clip(1e-4 * low, 1e-12, tau_all), tau_all)


def stage_lp(
    lp: LinearProgram, sol: Solution, cost: np.ndarray, rel_tol: float, fix: bool = True
) -> LinearProgram:
    """The next lexicographic stage: minimise ``cost`` on the optimal face of ``lp`` at ``sol``."""
    face = optimal_face(lp, sol, rel_tol, fix)
    return dataclasses.replace(
        lp,
        c=np.asarray(cost, dtype=float),
        A_ub=stack_rows([face.A_ub, sp.csr_matrix(face.guard[None, :])], lp.nvar),
        b_ub=np.concatenate([face.b_ub, [face.b_guard]]),
        A_eq=face.A_eq,
        b_eq=face.b_eq,
        lb=face.lb,
        ub=face.ub,
        objective="stage",
        stages=lp.stages[1:],
        constant=0.0,
        integrality=None,
    )


def _without_entries(A: sp.spmatrix, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    """``A`` (canonical CSR: indices sorted, duplicates summed) without its entries at
    (``rows[k]``, ``cols[k]``); every other entry, explicit zeros included, kept as it is."""
    A = sp.csr_matrix(A)  # a view of a CSR matrix, not a copy
    A.sum_duplicates()
    m, n = A.shape
    entry_row = np.repeat(np.arange(m, dtype=np.int64), np.diff(A.indptr))
    hit = np.isin(entry_row * n + A.indices, np.asarray(rows, np.int64) * n + cols)
    keep = ~hit
    indptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(entry_row[keep], minlength=m), out=indptr[1:])
    out = sp.csr_matrix((A.data[keep], A.indices[keep], indptr), shape=A.shape)
    out.has_sorted_indices = True
    return out


def leximin(
    lp: LinearProgram,
    sol: Solution,
    solve_one: Callable[[LinearProgram], Solution],
) -> tuple[LinearProgram, Solution, np.ndarray]:
    """A level objective made lexicographic (``lp.levels``; stability's largest relative
    change): after min z, the units whose level rows bind (a clearly nonzero dual on a row the
    solution meets) are held at that level, and z is minimised again over the others, until
    no row binds. A unit that a rule forces far from its baseline then sets its own level and
    no longer widens the others' band. Returns the last model, its solution, and each year's
    largest held level (the objective reports the larger of it and the last model's z_t)."""
    assert lp.levels is not None and sol.x is not None
    rows, unit, year, z0 = lp.levels
    T = lp.shape[0]
    held = np.zeros(rows.size, dtype=bool)
    level = np.zeros(rows.size)
    cur_lp, cur = lp, sol
    for _ in range(rows.size):
        assert cur.x is not None
        if cur.dual_ub is None:
            break
        x = cur.x
        z = x[z0 + year]
        A_rows = cur_lp.A_ub[rows]
        act = A_rows @ x - cur_lp.b_ub[rows]
        size = np.maximum(1.0, abs(A_rows) @ np.abs(x))
        binds = ~held & (np.abs(cur.dual_ub[rows]) > 1e-9) & (act >= -1e-7 * size)
        if not binds.any():
            break
        # a unit-year binds as a whole (its rows up and down): hold them at this year's level
        key = unit * T + year
        newly = ~held & np.isin(key, key[binds])
        level[newly] = z[newly]
        held |= newly
        if held.all():
            break
        b_ub = cur_lp.b_ub.copy()
        b_ub[rows[newly]] = level[newly]
        A = _without_entries(cur_lp.A_ub, rows[newly], z0 + year[newly])
        nxt_lp = dataclasses.replace(cur_lp, A_ub=A, b_ub=b_ub)
        nxt = solve_one(nxt_lp)
        if not nxt.status.is_ok or nxt.x is None:
            break
        cur_lp, cur = nxt_lp, nxt
    top = np.zeros(T)
    np.maximum.at(top, year[held], level[held])
    return cur_lp, cur, top
