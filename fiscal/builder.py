"""The builder of :class:`~fiscal.lp.LinearProgram`: the LP of one problem, or of the parts of a
run (a commune run's provinces) written at once and sliced.

A builder holds P parts of the same years and sectors (T, S), each with its own units n_k and
money scale; P = 1 is the LP of one problem. Everything is written over all parts at once:
cells, units and rows are numbered part after part within each block, the structure matrices
(:attr:`Builder.unit_sum`, :meth:`Builder.year_sum`) are block-diagonal by part, a block of
variables or rows has its own shape in each part, and :meth:`Builder.finish_parts` slices the
result into one LP per part — each exactly the LP its part built alone would be (the same
numbers in the same order: every value is computed elementwise or by a reduction over the
part's own contiguous array). Writing P parts costs about what one does: the scipy and Python
overhead of a build is paid once, not P times.

Rules write their bounds and rows on a one-part builder (:meth:`Builder.fold`, their ``rows``
and ``year_rows``); a builder of several parts folds each part's rules with a one-part builder
of its own (:meth:`Builder.part`) and takes no rule rows (:func:`fiscal.model.parts_ok`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from fiscal.lp import INF, BoundRecord, LinearProgram, RowBlock, VarBlock

if TYPE_CHECKING:
    from fiscal.rules import Rule

__all__ = ["Builder"]

Shape = tuple[int, ...]
#: a block's shape: the same in every part, or one per part
Shapes = Shape | Sequence[Shape]


def _size(shape: Shape) -> int:
    return int(math.prod(shape))


def _cells(T: int, S: int, ns: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each cell's (part, year, sector, unit among all parts' units, row of its unit-year
    among all parts' unit-years), cells numbered part after part."""
    K = int(T * S * ns.sum())
    cells = np.arange(K)
    if ns.size == 1:
        n = int(ns[0])
        t, s, i = cells // (S * n), (cells // n) % S, cells % n
        return np.zeros(K, dtype=np.int64), t, s, i, t * n + i
    part = np.repeat(np.arange(ns.size), T * S * ns)
    local = cells - np.repeat(np.cumsum(T * S * ns) - T * S * ns, T * S * ns)
    nk = ns[part]
    t, s, i = local // (S * nk), (local // nk) % S, local % nk
    row = np.repeat(np.cumsum(T * ns) - T * ns, T * S * ns) + t * nk + i
    return part, t, s, i + np.repeat(np.cumsum(ns) - ns, T * S * ns), row


class Builder:
    """Writes the :class:`LinearProgram` of one problem (``n`` an int) or of several parts
    (``n`` and ``scale`` one per part; ``anchor``, ``sector_gap`` over all parts' cells)."""

    def __init__(
        self,
        T: int,
        S: int,
        n: int | Sequence[int],
        scale: float | Sequence[float] | np.ndarray,
        anchor: np.ndarray,
        sector_gap: np.ndarray | None = None,
    ):
        self.T, self.S = T, S
        if isinstance(n, int | np.integer):  # one problem
            self.ns, self.scales = [int(n)], [float(scale)]  # type: ignore[arg-type]
        else:
            self.ns = [int(k) for k in n]
            self.scales = [float(s) for s in np.broadcast_to(np.asarray(scale, float), (len(n),))]
        self.P = len(self.ns)
        self.Ks = [T * S * k for k in self.ns]
        self.K = sum(self.Ks)
        self.cell_start = np.cumsum([0, *self.Ks])
        self.anchor = anchor  # (K,) scaled
        # (K,) scaled gap of each cell's sector
        self.sector_gap = sector_gap if sector_gap is not None else np.zeros(self.K)
        self.nvar = 0
        self.blocks: dict[str, VarBlock] = {}
        self._var_shapes: dict[str, list[Shape]] = {}
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.integer: list[np.ndarray] = []
        self.ub_parts: list[tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, int]] = []
        self.eq_parts: list[tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, int]] = []
        self.n_ub = 0
        self.n_eq = 0
        #: row blocks: (name, kind, rule, sense, shape in each part, sign)
        self._row_blocks: list[tuple[str, str, str | None, str, list[Shape], float]] = []
        self.rows: list[RowBlock] = []  # as written (one part: the LP's)
        self.bound_records: list[list[BoundRecord]] = [[] for _ in range(self.P)]
        self.constants = [0.0] * self.P
        self.stage_costs: list[dict[str, np.ndarray]] = []  # later objectives, by block name
        self.levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (rows, unit, year)
        self.level_block: str | None = None  # the block of the levels' z (one per year)
        self.cell_lo = np.zeros(self.K)
        self.cell_hi = np.full(self.K, INF)

    # -- one part's view (rules write on it)
    @property
    def n(self) -> int:
        """The problem's number of units (one part)."""
        (n,) = self.ns
        return n

    @property
    def scale(self) -> float:
        """The problem's money scale (one part; parts have :attr:`scales`)."""
        (scale,) = self.scales
        return scale

    def cells_of(self, k: int) -> slice:
        """Part ``k``'s cells in the arrays over all cells."""
        return slice(int(self.cell_start[k]), int(self.cell_start[k + 1]))

    def part(self, k: int) -> Builder:
        """A one-part builder of part ``k``'s cells (the builder itself when it has one part)."""
        if self.P == 1:
            return self
        cells = self.cells_of(k)
        return Builder(
            self.T,
            self.S,
            self.ns[k],
            self.scales[k],
            self.anchor[cells],
            self.sector_gap[cells],
        )

    # -- structure
    @cached_property
    def _cells(self) -> tuple[np.ndarray, ...]:
        return _cells(self.T, self.S, np.asarray(self.ns, dtype=np.int64))

    @cached_property
    def unit_sum(self) -> sp.csr_matrix:
        """(T·n × K): X[t,i] = Σ_s x[t,s,i], each unit's amount per year from its cells (part
        after part: block-diagonal)."""
        row = self._cells[4]
        shape = (self.T * sum(self.ns), self.K)
        return sp.csr_matrix((np.ones(self.K), (row, np.arange(self.K))), shape=shape)

    def year_sum(self, mask: np.ndarray | None = None, sector: int | None = None) -> sp.csr_matrix:
        """(T × K) per part: Σ over units (``mask`` over all parts' units) [and one sector] of
        x[t,s,i] per year."""
        part, t, s, i, _ = self._cells
        keep = np.ones(self.K, bool)
        if mask is not None:
            keep &= mask[i]
        if sector is not None:
            keep &= s == sector
        rows = part[keep] * self.T + t[keep] if self.P > 1 else t[keep]
        cells = np.arange(self.K)[keep]
        return sp.csr_matrix((np.ones(cells.size), (rows, cells)), shape=(self.T * self.P, self.K))

    def cell_select(self, idx: np.ndarray) -> sp.csr_matrix:
        """(len(idx) × K): the cells ``idx``, one per row."""
        return sp.csr_matrix(
            (np.ones(idx.size), (np.arange(idx.size), idx)), shape=(idx.size, self.K)
        )

    def _shapes(self, shape: Shapes) -> list[Shape]:
        if len(shape) and not isinstance(shape[0], int | np.integer):
            shapes = [tuple(s) for s in shape]  # type: ignore[arg-type]
            if len(shapes) != self.P:
                raise ValueError(f"{len(shapes)} shapes for {self.P} parts")
            return shapes
        return [tuple(shape)] * self.P  # type: ignore[arg-type]

    # -- variables
    def add_vars(
        self,
        name: str,
        shape: Shapes,
        lb: Any = 0.0,
        ub: Any = INF,
        cost: Any = 0.0,
        *,
        integer: bool = False,
    ) -> VarBlock:
        """A block of variables: ``shape`` in every part, or one shape per part; ``lb``, ``ub``
        and ``cost`` broadcast over all parts' variables (part after part)."""
        shapes = self._shapes(shape)
        size = sum(_size(s) for s in shapes)
        blk = VarBlock(name, self.nvar, shapes[0] if self.P == 1 else (size,))
        self.blocks[name] = blk
        self._var_shapes[name] = shapes
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
        folded = []
        for r in rules:
            bounds = r.cell_bounds(problem, self, elastic=elastic)
            if bounds is None:
                row_rules.append(r)
            else:
                folded.append((r.name, r.kind, bounds))
        self._fold(folded)
        return row_rules

    def fold_parts(self, problems: Sequence[Any], *, elastic: bool) -> list[list[Rule]] | None:
        """:meth:`fold` of each part's rules (``problems``, one per part), each on its part's
        cells; returns each part's rules to write as rows. Parts are folded at once, and only
        where every part's rules fold alike (the same rules with bounds on the same sides, none
        written as rows: one scenario); else None, and nothing is folded."""
        if self.P == 1:
            return [self.fold(problems[0].rules, problems[0], elastic=elastic)]
        views = [self.part(k) for k in range(self.P)]
        bounds = [
            [(r, r.cell_bounds(p, v, elastic=elastic)) for r in p.rules]
            for p, v in zip(problems, views, strict=True)
        ]
        first = bounds[0]

        def alike(part: list) -> bool:
            return len(part) == len(first) and all(
                (r.name, r.kind) == (r0.name, r0.kind)
                and b is not None
                and b0 is not None
                and [side for side, _ in b] == [side for side, _ in b0]
                for (r, b), (r0, b0) in zip(part, first, strict=True)
            )

        if not all(alike(part) for part in bounds):
            return None
        self._fold(
            [
                (
                    r0.name,
                    r0.kind,
                    [
                        (side, np.concatenate([part[j][1][i][1] for part in bounds]))
                        for i, (side, _) in enumerate(b0)
                    ],
                )
                for j, (r0, b0) in enumerate(first)
            ]
        )
        return [[] for _ in problems]

    def _fold(self, folded: list[tuple[str, str, list[tuple[str, np.ndarray]]]]) -> None:
        """Fold (rule name, kind, its bounds on all cells) into the cell bounds, in order, and
        record which rule sets each cell's binding bound (per part)."""
        # which record last tightened each cell's bound (a cell's binding bound belongs to it);
        # one array per side, so that folding stays linear in the number of rules
        writer = {"lower": np.full(self.K, -1), "upper": np.full(self.K, -1)}
        records: list[tuple[str, str, str]] = []
        for name, kind, bounds in folded:
            for side, vals in bounds:
                ok = ~np.isnan(vals)
                if side == "lower":
                    tight = ok & (vals > self.cell_lo)
                    self.cell_lo = np.where(tight, vals, self.cell_lo)
                else:
                    tight = ok & (vals < self.cell_hi)
                    self.cell_hi = np.where(tight, vals, self.cell_hi)
                writer[side][tight] = len(records)
                records.append((name, kind, side))
        # each record's cells, ascending (a stable sort by writer, cut at the record counts)
        by_side = {}
        for side, w in writer.items():
            order = np.argsort(w, kind="stable")
            counts = np.bincount(w + 1, minlength=len(records) + 1)
            by_side[side] = np.split(order, np.cumsum(counts)[:-1])[1:]
        for j, (name, kind, side) in enumerate(records):
            cells = by_side[side][j]
            if self.P == 1:
                self.bound_records[0].append(BoundRecord(name, kind, cells, side))
                continue
            pieces = np.split(cells, np.searchsorted(cells, self.cell_start[1:-1]))
            for k, piece in enumerate(pieces):
                local = piece - self.cell_start[k]
                self.bound_records[k].append(BoundRecord(name, kind, local, side))

    def add_cells(self, cap: np.ndarray | None = None) -> None:
        """The split columns p, m of every cell within the folded cell bounds (and ``cap``)."""
        if cap is not None:
            self.cell_hi = np.where(np.isfinite(cap), np.minimum(self.cell_hi, cap), self.cell_hi)
        lb_p, ub_p, lb_m, ub_m = LinearProgram.split_bounds(self.anchor, self.cell_lo, self.cell_hi)
        shapes = [(self.T, self.S, n) for n in self.ns]
        self.add_vars("p", shapes, lb_p, ub_p)
        self.add_vars("m", shapes, lb_m, ub_m)

    # -- rows over the x-expression: M x  (sense)  rhs, with x = a + p − m
    def x_rows(
        self,
        name: str,
        kind: str,
        rule: str | None,
        M: sp.spmatrix,
        sense: str,
        rhs: np.ndarray,
        shape: Shapes,
        extra: Sequence[tuple[VarBlock, sp.spmatrix]] = (),
        sign: float = 1.0,
    ) -> RowBlock:
        """Add rows ``M·x + Σ B·extra_vars (sense) rhs`` where x are the cells (rows part after
        part, ``shape`` in every part or one per part)."""
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
        shape: Shapes,
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
        shape: Shapes,
        sign: float,
    ) -> RowBlock:
        shapes = self._shapes(shape)
        nrows = sum(_size(s) for s in shapes)
        rr, cc, vv = [], [], []
        for blk, B in parts:
            coo = sp.coo_matrix(B)
            rr.append(coo.row)
            cc.append(coo.col + blk.start)
            vv.append(coo.data)
        triplets = (np.concatenate(rr), np.concatenate(cc), np.concatenate(vv))
        sense = "le" if sense == "le" else "eq"
        start = self.n_ub if sense == "le" else self.n_eq
        rb = RowBlock(name, kind, rule, sense, start, shapes[0] if self.P == 1 else (nrows,), sign)
        if sense == "le":
            self.ub_parts.append((triplets, rhs, nrows))
            self.n_ub += nrows
        else:
            self.eq_parts.append((triplets, rhs, nrows))
            self.n_eq += nrows
        self._row_blocks.append((name, kind, rule, rb.sense, shapes, sign))
        self.rows.append(rb)
        return rb

    # -- the LPs
    def finish(self, objective: str, factor: float = 1.0, **typed: Any) -> LinearProgram:
        """The LinearProgram of a one-part builder (``typed``: its optional typed fields)."""
        (lp,) = self.finish_parts(objective, [factor], [typed])
        return lp

    def finish_parts(
        self, objective: str, factors: Sequence[float], typed: Sequence[dict[str, Any]]
    ) -> list[LinearProgram]:
        """One LinearProgram per part (``factors``, ``typed``: each part's factor and typed
        fields), each the LP its part alone would give."""
        P = self.P
        if P == 1:  # the part's own numbering already
            var_blocks, rows = [self.blocks], [self.rows]
            mats = {
                "le": [_matrix(self.ub_parts, self.n_ub, self.nvar)],
                "eq": [_matrix(self.eq_parts, self.n_eq, self.nvar)],
            }
            row_maps = {"le": (np.zeros(self.n_ub, dtype=np.int64), np.arange(self.n_ub))}
        else:
            var_blocks, rows, mats, row_maps, col_order, cuts = self._slice()

        def columns(values: np.ndarray) -> list[np.ndarray]:
            return [values] if P == 1 else np.split(values[col_order], cuts)

        c = columns(np.concatenate(self.cost))
        lb = columns(np.concatenate(self.lb))
        ub = columns(np.concatenate(self.ub))
        integer = columns(np.concatenate(self.integer) if self.integer else np.zeros(0, np.int8))
        stages = [
            columns(
                np.concatenate(
                    [costs.get(name, np.zeros(blk.size)) for name, blk in self.blocks.items()]
                )
            )
            for costs in self.stage_costs
        ]
        levels: list[tuple[np.ndarray, np.ndarray, np.ndarray, int] | None] = [None] * P
        if self.levels and self.level_block is not None:
            at, units, years = (np.concatenate([lv[i] for lv in self.levels]) for i in range(3))
            row_part, row_local = row_maps["le"]
            part = row_part[at]
            for k in range(P):
                sel = part == k
                column = var_blocks[k][self.level_block].start
                levels[k] = (row_local[at[sel]], units[sel], years[sel], column)
        out = []
        for k in range(P):
            cells = self.cells_of(k)
            A_ub, b_ub = mats["le"][k]
            A_eq, b_eq = mats["eq"][k]
            out.append(
                LinearProgram(
                    c=c[k],
                    A_ub=A_ub,
                    b_ub=b_ub,
                    A_eq=A_eq,
                    b_eq=b_eq,
                    lb=lb[k],
                    ub=ub[k],
                    blocks=var_blocks[k],
                    rows=rows[k],
                    bound_records=self.bound_records[k],
                    scale=self.scales[k],
                    anchor=self.anchor[cells],
                    shape=(self.T, self.S, self.ns[k]),
                    objective=objective,
                    constant=self.constants[k],
                    objective_factor=factors[k],
                    integrality=integer[k] if integer[k].any() else None,
                    cell_lo=self.cell_lo[cells],
                    cell_hi=self.cell_hi[cells],
                    stages=tuple(st[k] for st in stages),
                    levels=levels[k],
                    **typed[k],
                )
            )
        return out

    def _slice(self) -> tuple[Any, ...]:
        """Each part's blocks, row blocks and (matrix, rhs) per sense, where each ub row sits in
        its part, and the order and cuts that give each part's columns."""
        P = self.P
        # every block's columns, part by part: where each part's columns sit in its own LP
        sizes = np.array(
            [[_size(s) for s in self._var_shapes[name]] for name in self.blocks], dtype=np.int64
        ).reshape(len(self.blocks), P)
        _, col_local, col_order, nvars = _layout(sizes)
        var_starts = _starts(sizes)
        var_blocks = [
            {
                name: VarBlock(name, int(var_starts[j, k]), self._var_shapes[name][k])
                for j, name in enumerate(self.blocks)
            }
            for k in range(P)
        ]
        # rows: each sense's blocks in the order written, part by part within a block
        mats, row_starts, row_maps = {}, {}, {}
        for sense, parts in (("le", self.ub_parts), ("eq", self.eq_parts)):
            counts = np.array(
                [[_size(s) for s in rb[4]] for rb in self._row_blocks if rb[3] == sense],
                dtype=np.int64,
            ).reshape(-1, P)
            row_part, row_local, row_order, nrows = _layout(counts)
            row_starts[sense] = _starts(counts)
            row_maps[sense] = (row_part, row_local)
            mats[sense] = _slice_rows(
                parts, row_part, row_local, row_order, nrows, col_local, nvars
            )
        seen = {"le": 0, "eq": 0}
        rows: list[list[RowBlock]] = [[] for _ in range(P)]
        for name, kind, rule, sense, shapes, sign in self._row_blocks:
            j = seen[sense]
            seen[sense] += 1
            for k in range(P):
                start = int(row_starts[sense][j, k])
                rows[k].append(RowBlock(name, kind, rule, sense, start, shapes[k], sign))
        return var_blocks, rows, mats, row_maps, col_order, np.cumsum(nvars)[:-1]


def _triplets(parts: list) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, values, rhs) of row blocks written one after the other."""
    rows, cols, vals, rhs = [], [], [], []
    offset = 0
    for (r, c, v), b, k in parts:
        rows.append(r + offset)
        cols.append(c)
        vals.append(v)
        rhs.append(b)
        offset += k
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), np.concatenate(rhs)


def _matrix(parts: list, nrows: int, ncols: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """The matrix and right-hand side of one part's row blocks."""
    if not parts:
        return sp.csr_matrix((0, ncols)), np.zeros(0)
    r, c, v, rhs = _triplets(parts)
    return sp.csr_matrix((v, (r, c)), shape=(nrows, ncols)), rhs


def _slice_rows(
    parts: list,
    row_part: np.ndarray,
    row_local: np.ndarray,
    row_order: np.ndarray,
    nrows: np.ndarray,
    col_local: np.ndarray,
    nvars: np.ndarray,
) -> list[tuple[sp.csr_matrix, np.ndarray]]:
    """Each part's matrix and right-hand side from the rows of all parts: the canonical CSR
    that ``csr_matrix((v, (r, c)))`` of the part's own triplets gives (sorted columns,
    duplicates summed)."""
    P = len(nvars)
    if not parts:
        return [(sp.csr_matrix((0, int(nvars[k]))), np.zeros(0)) for k in range(P)]
    r, c, v, rhs = _triplets(parts)
    b_all = np.split(rhs[row_order], np.cumsum(nrows)[:-1])
    # all parts' rows one matrix, part after part, each on its own columns: scipy sorts each
    # row's columns (and would sum duplicates) as it does for one part's triplets
    first = np.concatenate([[0], np.cumsum(nrows)])
    at = (first[row_part] + row_local)[r]
    lc = col_local[c]
    whole = sp.csr_matrix((v, (at, lc)), shape=(int(first[-1]), int(nvars.max())))
    duplicates = whole.nnz < v.size
    indptr, indices, data = whole.indptr, whole.indices, whole.data
    out = []
    for k in range(P):
        shape = (int(nrows[k]), int(nvars[k]))
        s, e = int(indptr[first[k]]), int(indptr[first[k + 1]])
        if s == e:
            A = sp.csr_matrix(shape)
        elif duplicates:  # summed by scipy from the part's own triplets, in their order
            mine = row_part[r] == k
            A = sp.csr_matrix((v[mine], (row_local[r][mine], lc[mine])), shape=shape)
        else:
            ptr = indptr[first[k] : first[k + 1] + 1] - s
            A = sp.csr_matrix((data[s:e], indices[s:e], ptr), shape=shape)
        out.append((A, b_all[k]))
    return out


def _starts(sizes: np.ndarray) -> np.ndarray:
    """(blocks × parts): where each block starts in each part's own numbering."""
    return np.cumsum(sizes, axis=0) - sizes


def _layout(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For entries numbered block after block and, within a block, part after part (``sizes``:
    blocks × parts): each entry's part, its index in its part's own numbering (block after
    block), the order that lists the entries part after part, and each part's count."""
    flat = sizes.ravel()
    total = int(flat.sum())
    P = sizes.shape[1]
    if P == 1:
        index = np.arange(total)
        return np.zeros(total, dtype=np.int64), index, index, sizes.sum(axis=0)
    part = np.repeat(np.tile(np.arange(P), sizes.shape[0]), flat)
    seg_start = np.cumsum(flat) - flat
    local = np.repeat(_starts(sizes).ravel() - seg_start, flat) + np.arange(total)
    order = np.argsort(part, kind="stable")
    return part, local, order, sizes.sum(axis=0)
