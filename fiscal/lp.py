"""The LP vocabulary: a backend-neutral linear program and the builder that writes one.

Cells are (year t, sector s, unit i), flattened t-major. The transfer of a cell is written in
split form around an *anchor* a (the target of the primary objective)::

    x[t,s,i] = a[t,s,i] + p[t,s,i] − m[t,s,i],     p, m ≥ 0

so that the deviations the objectives price are columns, not rows, and every per-cell limit is
a bound on p or m. This module is the only one that knows that layout: :class:`LinearProgram`
turns a solution into cells (:meth:`~LinearProgram.cells`), cell bounds into column bounds
(:meth:`~LinearProgram.with_cell_bounds`), reduced costs and row duals into each rule's dual
(:meth:`~LinearProgram.rule_duals`), and writes terms on the cells for the tie-break
(:meth:`~LinearProgram.cell_terms`). :class:`Builder` writes rows over the cells
(:meth:`~Builder.x_rows`) and folds rules into cell bounds (:meth:`~Builder.fold`).

Money is scaled by ``scale`` (the mean amount per unit) so coefficients stay near 1.
Nothing here solves: see :mod:`fiscal.solve` and :mod:`fiscal.highs`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from fiscal.rules import Rule

__all__ = [
    "INF",
    "BoundRecord",
    "Builder",
    "LinearProgram",
    "RowBlock",
    "Solution",
    "Status",
    "VarBlock",
    "stack_rows",
    "unit_sum",
    "year_sum",
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


def unit_sum(T: int, S: int, n: int) -> sp.csr_matrix:
    """(T·n × T·S·n): X[t,i] = Σ_s x[t,s,i]."""
    K = T * S * n
    cells = np.arange(K)
    t = cells // (S * n)
    i = cells % n
    return sp.csr_matrix((np.ones(K), (t * n + i, cells)), shape=(T * n, K))


def year_sum(
    T: int, S: int, n: int, mask: np.ndarray | None = None, sector: int | None = None
) -> sp.csr_matrix:
    """(T × K): Σ over units (in mask) [and one sector] of x[t,s,i] per year."""
    K = T * S * n
    cells = np.arange(K)
    t = cells // (S * n)
    s = (cells // n) % S
    i = cells % n
    keep = np.ones(K, bool)
    if mask is not None:
        keep &= mask[i]
    if sector is not None:
        keep &= s == sector
    return sp.csr_matrix((np.ones(int(keep.sum())), (t[keep], cells[keep])), shape=(T, K))


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


# ----------------------------------------------------------------------------- the builder


class Builder:
    """Writes a :class:`LinearProgram` block by block (see :func:`fiscal.model.build`)."""

    def __init__(
        self,
        T: int,
        S: int,
        n: int,
        scale: float,
        anchor: np.ndarray,
        sector_gap: np.ndarray | None = None,
    ):
        self.T, self.S, self.n = T, S, n
        self.K = T * S * n
        self.scale = scale
        self.anchor = anchor  # (K,) scaled
        # (K,) scaled gap of each cell's sector
        self.sector_gap = sector_gap if sector_gap is not None else np.zeros(self.K)
        self.nvar = 0
        self.blocks: dict[str, VarBlock] = {}
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.integer: list[np.ndarray] = []
        self.ub_parts: list[tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, int]] = []
        self.eq_parts: list[tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, int]] = []
        self.n_ub = 0
        self.n_eq = 0
        self.rows: list[RowBlock] = []
        self.bound_records: list[BoundRecord] = []
        self.constant = 0.0
        self.stage_costs: list[dict[str, np.ndarray]] = []  # later objectives, by block name
        self.levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (rows, unit, year)
        self.level_column: int | None = None
        self.cell_lo = np.zeros(self.K)
        self.cell_hi = np.full(self.K, INF)

    @cached_property
    def unit_sum(self) -> sp.csr_matrix:
        """(T·n × K): each unit's amount per year from its cells."""
        return unit_sum(self.T, self.S, self.n)

    def year_sum(self, mask: np.ndarray | None = None, sector: int | None = None) -> sp.csr_matrix:
        return year_sum(self.T, self.S, self.n, mask, sector)

    def cell_select(self, idx: np.ndarray) -> sp.csr_matrix:
        """(len(idx) × K): the cells ``idx``, one per row."""
        return sp.csr_matrix(
            (np.ones(idx.size), (np.arange(idx.size), idx)), shape=(idx.size, self.K)
        )

    # -- variables
    def add_vars(
        self,
        name: str,
        shape: tuple[int, ...],
        lb: Any = 0.0,
        ub: Any = INF,
        cost: Any = 0.0,
        *,
        integer: bool = False,
    ) -> VarBlock:
        size = int(np.prod(shape))
        blk = VarBlock(name, self.nvar, shape)
        self.blocks[name] = blk
        self.lb.append(np.broadcast_to(np.asarray(lb, float), (size,)).ravel().copy())
        self.ub.append(np.broadcast_to(np.asarray(ub, float), (size,)).ravel().copy())
        self.cost.append(np.broadcast_to(np.asarray(cost, float), (size,)).ravel().copy())
        self.integer.append(np.full(size, int(integer), dtype=np.int8))
        self.nvar += size
        return blk

    def add_cost(self, blk: VarBlock, cost: np.ndarray | float) -> None:
        i = list(self.blocks).index(blk.name)
        self.cost[i] = self.cost[i] + np.broadcast_to(np.asarray(cost, float), (blk.size,))

    def add_stage_cost(self, stage: int, blk: VarBlock, cost: np.ndarray | float) -> None:
        """Cost of ``blk`` in the objective minimised at lexicographic stage ``stage`` (1: right
        after the primary; see :attr:`LinearProgram.stages`)."""
        while len(self.stage_costs) < stage:
            self.stage_costs.append({})
        costs = self.stage_costs[stage - 1]
        add = np.broadcast_to(np.asarray(cost, float), (blk.size,))
        costs[blk.name] = costs.get(blk.name, np.zeros(blk.size)) + add

    def slack(self, name: str, nrows: int, cost: Any) -> list[tuple[VarBlock, sp.spmatrix]]:
        """A priced slack column per row (``slack:<name>``), as the extra terms of x_rows."""
        blk = self.add_vars(f"slack:{name}", (nrows,), 0.0, INF, cost)
        return [(blk, -sp.identity(nrows, format="csr"))]

    # -- the cells
    def fold(self, rules: Sequence[Rule], problem: Any, *, elastic: bool) -> list[Rule]:
        """Fold each rule that fits into cell bounds; returns the rules to write as rows."""
        row_rules: list[Rule] = []
        # which record last tightened each cell's bound (a cell's binding bound belongs to it);
        # one array per side, so that folding stays linear in the number of rules
        writer = {"lower": np.full(self.K, -1), "upper": np.full(self.K, -1)}
        records: list[tuple[str, str, str]] = []
        for r in rules:
            bounds = r.cell_bounds(problem, self, elastic=elastic)
            if bounds is None:
                row_rules.append(r)
                continue
            for side, vals in bounds:
                ok = ~np.isnan(vals)
                if side == "lower":
                    tight = ok & (vals > self.cell_lo)
                    self.cell_lo = np.where(tight, vals, self.cell_lo)
                else:
                    tight = ok & (vals < self.cell_hi)
                    self.cell_hi = np.where(tight, vals, self.cell_hi)
                writer[side][tight] = len(records)
                records.append((r.name, r.kind, side))
        # each record's cells, ascending (a stable sort by writer, cut at the record counts)
        by_side = {}
        for side, w in writer.items():
            order = np.argsort(w, kind="stable")
            counts = np.bincount(w + 1, minlength=len(records) + 1)
            by_side[side] = np.split(order, np.cumsum(counts)[:-1])[1:]
        for k, (name, kind, side) in enumerate(records):
            self.bound_records.append(BoundRecord(name, kind, by_side[side][k], side))
        return row_rules

    def add_cells(self, cap: np.ndarray | None = None) -> None:
        """The split columns p, m of every cell within the folded cell bounds (and ``cap``)."""
        if cap is not None:
            self.cell_hi = np.where(np.isfinite(cap), np.minimum(self.cell_hi, cap), self.cell_hi)
        lb_p, ub_p, lb_m, ub_m = LinearProgram.split_bounds(self.anchor, self.cell_lo, self.cell_hi)
        shape = (self.T, self.S, self.n)
        self.add_vars("p", shape, lb_p, ub_p)
        self.add_vars("m", shape, lb_m, ub_m)

    # -- rows over the x-expression: M x  (sense)  rhs, with x = a + p − m
    def x_rows(
        self,
        name: str,
        kind: str,
        rule: str | None,
        M: sp.spmatrix,
        sense: str,
        rhs: np.ndarray,
        shape: tuple[int, ...],
        extra: Sequence[tuple[VarBlock, sp.spmatrix]] = (),
        sign: float = 1.0,
    ) -> RowBlock:
        """Add rows ``M·x + Σ B·extra_vars (sense) rhs`` where x are the cells."""
        M = sp.csr_matrix(M)
        p, m = self.blocks["p"], self.blocks["m"]
        rhs = np.asarray(rhs, float).ravel() - M @ self.anchor
        parts = [(p, M), (m, -M), *extra]
        return self._rows(name, kind, rule, parts, sense, rhs, shape, sign)

    def var_rows(
        self,
        name: str,
        kind: str,
        rule: str | None,
        parts: Sequence[tuple[VarBlock, sp.spmatrix]],
        sense: str,
        rhs: Any,
        shape: tuple[int, ...],
        sign: float = 1.0,
    ) -> RowBlock:
        return self._rows(
            name, kind, rule, parts, sense, np.asarray(rhs, float).ravel(), shape, sign
        )

    def _rows(
        self,
        name: str,
        kind: str,
        rule: str | None,
        parts: Sequence[tuple[VarBlock, sp.spmatrix]],
        sense: str,
        rhs: np.ndarray,
        shape: tuple[int, ...],
        sign: float,
    ) -> RowBlock:
        nrows = int(np.prod(shape))
        rr, cc, vv = [], [], []
        for blk, B in parts:
            coo = sp.coo_matrix(B)
            rr.append(coo.row)
            cc.append(coo.col + blk.start)
            vv.append(coo.data)
        triplets = (np.concatenate(rr), np.concatenate(cc), np.concatenate(vv))
        if sense == "le":
            rb = RowBlock(name, kind, rule, "le", self.n_ub, shape, sign)
            self.ub_parts.append((triplets, rhs, nrows))
            self.n_ub += nrows
        else:
            rb = RowBlock(name, kind, rule, "eq", self.n_eq, shape, sign)
            self.eq_parts.append((triplets, rhs, nrows))
            self.n_eq += nrows
        self.rows.append(rb)
        return rb

    def finish(self, objective: str, factor: float = 1.0, **typed: Any) -> LinearProgram:
        """The LinearProgram (``typed``: its optional typed fields, e.g. ``need``)."""

        def stack(parts: list, nrows: int) -> tuple[sp.csr_matrix, np.ndarray]:
            if not parts:
                return sp.csr_matrix((0, self.nvar)), np.zeros(0)
            rows, cols, vals, rhs = [], [], [], []
            offset = 0
            for (r, c, v), b, k in parts:
                rows.append(r + offset)
                cols.append(c)
                vals.append(v)
                rhs.append(b)
                offset += k
            A = sp.csr_matrix(
                (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                shape=(nrows, self.nvar),
            )
            return A, np.concatenate(rhs)

        A_ub, b_ub = stack(self.ub_parts, self.n_ub)
        A_eq, b_eq = stack(self.eq_parts, self.n_eq)
        integer = np.concatenate(self.integer) if self.integer else np.zeros(0, np.int8)
        stages = tuple(
            np.concatenate(
                [costs.get(name, np.zeros(blk.size)) for name, blk in self.blocks.items()]
            )
            for costs in self.stage_costs
        )
        levels = None
        if self.levels and self.level_column is not None:
            levels = (
                *(np.concatenate([part[k] for part in self.levels]) for k in range(3)),
                self.level_column,
            )
        return LinearProgram(
            c=np.concatenate(self.cost),
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=A_eq,
            b_eq=b_eq,
            lb=np.concatenate(self.lb),
            ub=np.concatenate(self.ub),
            blocks=self.blocks,
            rows=self.rows,
            bound_records=self.bound_records,
            scale=self.scale,
            anchor=self.anchor,
            shape=(self.T, self.S, self.n),
            objective=objective,
            constant=self.constant,
            objective_factor=factor,
            integrality=integer if integer.any() else None,
            cell_lo=self.cell_lo,
            cell_hi=self.cell_hi,
            stages=stages,
            levels=levels,  # type: ignore[arg-type]
            **typed,
        )
