"""The LP vocabulary: a backend-neutral linear program (:mod:`fiscal.builder` writes one).

Cells are (year t, sector s, unit i), flattened t-major. The transfer of a cell is written in
split form around an *anchor* a (the target of the primary objective)::

    x[t,s,i] = a[t,s,i] + p[t,s,i] − m[t,s,i],     p, m ≥ 0

so that the deviations the objectives price are columns, not rows, and every per-cell limit is
a bound on p or m. This module is the only one that knows that layout: :class:`LinearProgram`
turns a solution into cells (:meth:`~LinearProgram.cells`), cell bounds into column bounds
(:meth:`~LinearProgram.with_cell_bounds`), reduced costs and row duals into each rule's dual
(:meth:`~LinearProgram.rule_duals`), and writes terms on the cells for the tie-break
(:meth:`~LinearProgram.cell_terms`). :class:`fiscal.builder.Builder` writes rows over the cells
and folds rules into cell bounds, for one problem or for the parts of a run at once.

Money is scaled by ``scale`` (the mean amount per unit) so coefficients stay near 1.
Nothing here solves: see :mod:`fiscal.solve` and :mod:`fiscal.highs`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "INF",
    "BoundRecord",
    "LinearProgram",
    "RowBlock",
    "Solution",
    "Status",
    "VarBlock",
    "stack_rows",
]

INF = np.inf


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
    #: when units without a claim were held (fiscal.claims), the first optimum's cells (T, S, n)
    unheld_cells: np.ndarray | None = None


class _Span:
    """Where a block sits: ``size`` entries from ``start``, in the order of ``shape``."""

    start: int
    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def slice(self) -> slice:
        return slice(self.start, self.start + self.size)


@dataclass(frozen=True)
class VarBlock(_Span):
    """A named block of variables with its shape."""

    name: str
    start: int
    shape: tuple[int, ...]


@dataclass(frozen=True)
class RowBlock(_Span):
    """A named block of rows. ``sense`` 'le' rows live in A_ub, 'eq' rows in A_eq.

    ``sign`` is −1 when a '≥' rule was written as '−row ≤ −rhs' (duals are reported for the rule
    as stated). ``rule`` names the scenario constraint the rows enforce (None: technical rows).
    """

    name: str
    kind: str
    rule: str | None
    sense: str
    start: int
    shape: tuple[int, ...]
    sign: float = 1.0


@dataclass(frozen=True)
class BoundRecord:
    """A rule folded into the bounds of cell variables: which cells, which side."""

    rule: str
    kind: str
    cells: np.ndarray  # flat cell indices where this rule sets the binding bound
    side: str  # "lower" or "upper" (on x)


@dataclass
class LinearProgram:
    """min c·v  s.t.  A_ub v ≤ b_ub,  A_eq v = b_eq,  lb ≤ v ≤ ub (scaled money).

    ``integrality`` (None: every column continuous) marks integer columns with 1, as HiGHS
    and SciPy's ``milp`` do.
    """

    c: np.ndarray
    A_ub: sp.csr_matrix
    b_ub: np.ndarray
    A_eq: sp.csr_matrix
    b_eq: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    blocks: dict[str, VarBlock]
    rows: list[RowBlock]
    bound_records: list[BoundRecord]
    scale: float
    anchor: np.ndarray  # (K,) scaled
    shape: tuple[int, int, int]  # (T, S, n)
    objective: str
    constant: float = 0.0  # added to c·v to give the reported objective
    objective_factor: float = 1.0  # reported = factor × (c·v + constant)
    integrality: np.ndarray | None = None
    cell_lo: np.ndarray | None = None  # (K,) scaled lower bound of each cell x (from the rules)
    cell_hi: np.ndarray | None = None  # (K,) scaled upper bound (INF: none)
    need: np.ndarray | None = None  # (T, n) scaled need (the tie-break's nudge)
    weight: float | None = None  # the blend's λ the model was built with
    #: costs minimised after ``c``, one after the other, each on the optimal face of the ones
    #: before (lexicographic; :func:`fiscal.tiebreak.solve_lexicographic`), then the tie-break
    stages: tuple[np.ndarray, ...] = ()
    #: a level objective minimised lexicographically (stability): the ≤ rows ``w·|ΔX| − z_t ≤
    #: 0``, as (row in A_ub, unit, year) arrays, and the first column of z (one per year)
    levels: tuple[np.ndarray, np.ndarray, np.ndarray, int] | None = None
    #: HiGHS options for this model over :data:`fiscal.highs.OPTIONS` (e.g. presolve off for a
    #: model presolve cannot shrink); other backends ignore them
    options: dict[str, Any] | None = None

    @property
    def nvar(self) -> int:
        return len(self.c)

    @property
    def is_mip(self) -> bool:
        return self.integrality is not None and bool(np.any(self.integrality))

    def cells(self, v: np.ndarray) -> np.ndarray:
        """Cell amounts x (T, S, n) in million VND from a solution vector."""
        p, m = v[self.blocks["p"].slice], v[self.blocks["m"].slice]
        return ((self.anchor + p - m) * self.scale).reshape(self.shape)

    def penalty_columns(self) -> np.ndarray:
        """Which columns are soft rules' priced slacks (blocks ``slack:<rule>:…``), as a mask."""
        mask = np.zeros(self.nvar, dtype=bool)
        for name, blk in self.blocks.items():
            if name.startswith("slack:"):
                mask[blk.slice] = True
        return mask

    def reported_objective(self, v: np.ndarray) -> float:
        return self.objective_factor * (float(self.c @ v) + self.constant)

    def row_block(self, name: str) -> RowBlock | None:
        return next((r for r in self.rows if r.name == name), None)

    # -- the split columns
    @staticmethod
    def split_bounds(
        anchor: np.ndarray, lo: np.ndarray, hi: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Bounds (lb_p, ub_p, lb_m, ub_m) of the split columns for lo ≤ x ≤ hi, x = a + p − m.

        Contradictory bounds (lo > hi) are kept visible to the solver (ub_p < lb_p).
        """
        a = anchor
        lb_p = np.maximum(0.0, lo - a)
        ub_p = np.where(np.isfinite(hi), np.maximum(0.0, hi - a), INF)
        lb_m = np.maximum(0.0, a - hi)
        ub_m = np.maximum(0.0, a - lo)
        if np.any(lo > hi):
            bad = lo > hi
            ub_p = np.where(bad, lb_p - 1.0, ub_p)
        return lb_p, ub_p, lb_m, ub_m

    def with_cell_bounds(self, lo: np.ndarray, hi: np.ndarray) -> LinearProgram:
        """The same model with the cells bounded by lo ≤ x ≤ hi (scaled) instead."""
        p, m = self.blocks["p"].slice, self.blocks["m"].slice
        lb, ub = self.lb.copy(), self.ub.copy()
        lb[p], ub[p], lb[m], ub[m] = self.split_bounds(self.anchor, lo, hi)
        return dataclasses.replace(self, lb=lb, ub=ub, cell_lo=lo, cell_hi=hi)

    def cell_offset(self) -> np.ndarray:
        """The constant part of each cell, (T, S, n): x = offset + (terms of :meth:`cell_terms`)."""
        return self.anchor.reshape(self.shape)

    def fixed_cells(self, lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
        """Cells whose split columns are fixed by the column bounds ``lb``, ``ub``."""
        p, m = self.blocks["p"].slice, self.blocks["m"].slice
        return (lb[p] == ub[p]) & (lb[m] == ub[m])

    def cell_terms(
        self, rows: np.ndarray, cells: np.ndarray, coef: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """(rows, columns, values) of coef·x[cell] in the given rows (x's anchor goes to the rhs)."""
        p, m = self.blocks["p"].start, self.blocks["m"].start
        return [rows, rows], [p + cells, m + cells], [coef, -coef]

    def rule_duals(self, sol: Solution) -> dict[str, float]:
        """Σ of the dual values of each rule's rows and cell bounds, objective per million VND."""
        out: dict[str, float] = {}
        if sol.dual_ub is None:
            return out
        for blk in self.rows:
            if blk.rule is None:
                continue
            duals = sol.dual_ub[blk.slice] if blk.sense == "le" else sol.dual_eq[blk.slice]  # type: ignore[index]
            out[blk.rule] = out.get(blk.rule, 0.0) + float(np.sum(duals) * blk.sign) / self.scale
        if sol.rc is not None and self.cell_lo is not None and self.cell_hi is not None:
            p, m = self.blocks["p"], self.blocks["m"]
            rc_p, rc_m = sol.rc[p.slice], sol.rc[m.slice]
            a = self.anchor
            lo, hi = self.cell_lo, self.cell_hi
            for rec in self.bound_records:
                c = rec.cells
                if c.size == 0:
                    continue
                # A cell with a floor and a cap has one reduced cost: its sign says which bound
                # holds (a lower bound's dual is ≥ 0, an upper bound's ≤ 0 when minimising).
                if rec.side == "lower":  # x ≥ L: on p's lower bound if L > a, else on m's upper
                    d = np.maximum(np.where(lo[c] > a[c], rc_p[c], -rc_m[c]), 0.0)
                else:  # x ≤ U: on p's upper bound if U ≥ a, else on m's lower
                    d = np.minimum(np.where(hi[c] >= a[c], rc_p[c], -rc_m[c]), 0.0)
                out[rec.rule] = out.get(rec.rule, 0.0) + float(np.nansum(d)) / self.scale
        # duals below the solver's optimality tolerance are zero
        tiny = 1e-7 * max(1.0, float(np.abs(self.c).max())) / self.scale
        return {k: (0.0 if abs(v) < tiny else v) for k, v in out.items()}

    def with_row_slack(self, name: str) -> tuple[LinearProgram, int] | None:
        """The model with e⁺, e⁻ ≥ 0 added to the rows of block ``name`` (row + e⁺ − e⁻ … rhs)
        and only their sum minimised; returns it and the first e⁺ column (None: no such block)."""
        blk = self.row_block(name)
        if blk is None:
            return None
        k = blk.size
        rows = np.arange(blk.start, blk.start + k)
        n_eq, n_ub = self.A_eq.shape[0], self.A_ub.shape[0]
        E = sp.csr_matrix(
            (np.ones(k), (rows, np.arange(k))), shape=(n_eq if blk.sense == "eq" else n_ub, k)
        )
        c = np.concatenate([np.zeros(self.nvar), np.ones(k), np.ones(k)])
        if blk.sense == "eq":
            A_eq = sp.hstack([self.A_eq, -E, E]).tocsr()
            A_ub = sp.hstack([self.A_ub, sp.csr_matrix((n_ub, 2 * k))]).tocsr()
        else:
            A_ub = sp.hstack([self.A_ub, -E, E]).tocsr()
            A_eq = sp.hstack([self.A_eq, sp.csr_matrix((n_eq, 2 * k))]).tocsr()
        integrality = (
            None
            if self.integrality is None
            else np.concatenate([self.integrality, np.zeros(2 * k, self.integrality.dtype)])
        )
        lp2 = dataclasses.replace(
            self,
            c=c,
            A_ub=A_ub,
            A_eq=A_eq,
            lb=np.concatenate([self.lb, np.zeros(2 * k)]),
            ub=np.concatenate([self.ub, np.full(2 * k, np.inf)]),
            integrality=integrality,
            stages=(),
        )
        return lp2, self.nvar


# ----------------------------------------------------------------------------- helpers


def stack_rows(mats: Sequence[Any], ncols: int) -> sp.csr_matrix:
    """Rows of CSR matrices one under the other, widened to ``ncols`` columns (what
    ``sp.vstack``/``sp.hstack`` give, without their per-call overhead)."""
    csr = [sp.csr_matrix(M) for M in mats]
    indptr = [np.zeros(1, dtype=np.int64)]
    offset = 0
    for M in csr:
        indptr.append(M.indptr[1:].astype(np.int64) + offset)
        offset += M.nnz
    shape = (sum(M.shape[0] for M in csr), ncols)
    return sp.csr_matrix(
        (
            np.concatenate([M.data for M in csr]),
            np.concatenate([M.indices for M in csr]),
            np.concatenate(indptr),
        ),
        shape=shape,
    )
