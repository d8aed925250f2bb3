"""The backend-neutral LP: named variable blocks and constraint blocks in sparse matrix form.

Cells are (year t, sector s, unit i), flattened t-major. The transfer of a cell is written in
split form around an *anchor* a (the target of the primary objective)::

    x[t,s,i] = a[t,s,i] + p[t,s,i] − m[t,s,i],     p, m ≥ 0

so that the deviations the objectives price are columns, not rows, and every per-cell limit
(floors, caps, minimums, the first-year transition band, sector bounds) is a bound on p or m.
Rows are kept for what genuinely couples cells: the envelope, group shares, earmarks,
multi-year transitions, the minimax/maximin levels, and any rule made ``soft``. DESIGN.md
explains why: two inequality rows per |x − N| made HiGHS 20–70× slower at commune scale.

Money is scaled by ``scale`` (the mean amount per unit) so coefficients stay near 1; every
``define_*`` function adds one named block. Nothing here solves: see :mod:`fiscal.solve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from fiscal.objectives import (  # objective_value re-exported
    blend_references,
    objective_value,
    sector_split,
    stability_weights,
)
from fiscal.problem import BOUND_KINDS, Problem, Rule

__all__ = ["LinearProgram", "RowBlock", "VarBlock", "build", "objective_value"]

INF = np.inf
# A soft rule's slack is priced per unit of its reference amount (the rule's own requirement),
# which is taken as at least 1 % of the mean amount per unit (1 in scaled money) — or of the
# envelope for envelope-wide rules — so that a requirement near zero cannot make the penalty
# dwarf the objective (and, once costs are normalised, push it below the solver's tolerance).
SOFT_FLOOR = 0.01


@dataclass(frozen=True)
class VarBlock:
    """A named block of variables with its shape."""

    name: str
    start: int
    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def slice(self) -> slice:
        return slice(self.start, self.start + self.size)


@dataclass(frozen=True)
class RowBlock:
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

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def slice(self) -> slice:
        return slice(self.start, self.start + self.size)


@dataclass(frozen=True)
class BoundRecord:
    """A rule folded into the bounds of cell variables: which cells, which side."""

    rule: str
    kind: str
    cells: np.ndarray  # flat cell indices where this rule sets the binding bound
    side: str  # "lower" or "upper" (on x)


@dataclass
class LinearProgram:
    """min c·v  s.t.  A_ub v ≤ b_ub,  A_eq v = b_eq,  lb ≤ v ≤ ub (scaled money)."""

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
    meta: dict = field(default_factory=dict)

    @property
    def nvar(self) -> int:
        return len(self.c)

    def cells(self, v: np.ndarray) -> np.ndarray:
        """Cell amounts x (T, S, n) in million VND from a solution vector."""
        p, m = v[self.blocks["p"].slice], v[self.blocks["m"].slice]
        return ((self.anchor + p - m) * self.scale).reshape(self.shape)

    def reported_objective(self, v: np.ndarray) -> float:
        return self.objective_factor * (float(self.c @ v) + self.constant)

    def row_block(self, name: str) -> RowBlock | None:
        return next((r for r in self.rows if r.name == name), None)


class _Builder:
    def __init__(self, T: int, S: int, n: int, scale: float):
        self.T, self.S, self.n = T, S, n
        self.K = T * S * n
        self.scale = scale
        self.nvar = 0
        self.blocks: dict[str, VarBlock] = {}
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.ub_parts: list[tuple[sp.coo_matrix, np.ndarray]] = []
        self.eq_parts: list[tuple[sp.coo_matrix, np.ndarray]] = []
        self.n_ub = 0
        self.n_eq = 0
        self.rows: list[RowBlock] = []
        self.bound_records: list[BoundRecord] = []
        self.constant = 0.0

    # -- variables
    def add_vars(self, name: str, shape: tuple[int, ...], lb=0.0, ub=INF, cost=0.0) -> VarBlock:
        size = int(np.prod(shape))
        blk = VarBlock(name, self.nvar, shape)
        self.blocks[name] = blk
        self.lb.append(np.broadcast_to(np.asarray(lb, float), (size,)).ravel().copy())
        self.ub.append(np.broadcast_to(np.asarray(ub, float), (size,)).ravel().copy())
        self.cost.append(np.broadcast_to(np.asarray(cost, float), (size,)).ravel().copy())
        self.nvar += size
        return blk

    def add_cost(self, blk: VarBlock, cost: np.ndarray | float) -> None:
        i = list(self.blocks).index(blk.name)
        self.cost[i] = self.cost[i] + np.broadcast_to(np.asarray(cost, float), (blk.size,))

    # -- rows over the x-expression: M x  (sense)  rhs, with x = a + E v
    def x_rows(
        self,
        name: str,
        kind: str,
        rule: str | None,
        M: sp.spmatrix,
        sense: str,
        rhs: np.ndarray,
        shape: tuple[int, ...],
        extra: list[tuple[VarBlock, sp.spmatrix]] = (),
        sign: float = 1.0,
    ) -> RowBlock:
        """Add rows ``M·x + Σ B·extra_vars (sense) rhs`` where x are the cells."""
        M = sp.csr_matrix(M)
        p, m = self.blocks["p"], self.blocks["m"]
        rhs = np.asarray(rhs, float).ravel() - M @ self.anchor
        parts = [(p, M), (m, -M), *extra]
        return self._rows(name, kind, rule, parts, sense, rhs, shape, sign)

    def var_rows(self, name, kind, rule, parts, sense, rhs, shape, sign=1.0) -> RowBlock:
        return self._rows(name, kind, rule, parts, sense, np.asarray(rhs, float).ravel(), shape, sign)

    def _rows(self, name, kind, rule, parts, sense, rhs, shape, sign) -> RowBlock:
        nrows = int(np.prod(shape))
        rr, cc, vv = [], [], []
        for blk, B in parts:
            B = sp.coo_matrix(B)
            rr.append(B.row)
            cc.append(B.col + blk.start)
            vv.append(B.data)
        coo = (np.concatenate(rr), np.concatenate(cc), np.concatenate(vv))
        if sense == "le":
            blk = RowBlock(name, kind, rule, "le", self.n_ub, shape, sign)
            self.ub_parts.append((coo, rhs, nrows))
            self.n_ub += nrows
        else:
            blk = RowBlock(name, kind, rule, "eq", self.n_eq, shape, sign)
            self.eq_parts.append((coo, rhs, nrows))
            self.n_eq += nrows
        self.rows.append(blk)
        return blk

    def finish(self, objective: str, anchor: np.ndarray, factor: float = 1.0) -> LinearProgram:
        def stack(parts, nrows):
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
            anchor=anchor,
            shape=(self.T, self.S, self.n),
            objective=objective,
            constant=self.constant,
            objective_factor=factor,
        )


# ----------------------------------------------------------------------------- helpers


def _unit_sum(T: int, S: int, n: int) -> sp.csr_matrix:
    """(T·n × T·S·n): X[t,i] = Σ_s x[t,s,i]."""
    K = T * S * n
    cells = np.arange(K)
    t = cells // (S * n)
    i = cells % n
    return sp.csr_matrix((np.ones(K), (t * n + i, cells)), shape=(T * n, K))


def _year_sum(T: int, S: int, n: int, mask: np.ndarray | None = None, sector: int | None = None):
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


# ----------------------------------------------------------------------------- build


def _anchor(problem: Problem, kind: str, w: np.ndarray) -> np.ndarray:
    T, S, n = problem.T, problem.S, problem.n
    if kind in ("need_gap", "blend"):
        return (problem.gap[:, None, :] * problem.sector_share[None, :, None]).ravel()
    if kind == "stability":
        return np.broadcast_to(problem.baseline[None, None, :] * w[None, :, None], (T, S, n)).ravel()
    F = problem.pure_formula()
    return (F[:, None, :] * w[None, :, None]).ravel()


def build(problem: Problem, objective: str | None = None, *, elastic: bool = False,
          weight: float | None = None) -> LinearProgram:
    """Build the LP of ``problem`` for ``objective`` (default: the scenario's).

    ``elastic=True`` builds the feasibility diagnosis instead: every rule is a row with a
    priced slack and the objective is the total slack (see :mod:`fiscal.explain`).
    """
    scen = problem.scenario
    kind = objective or scen.objective.kind
    if kind == "formula":
        kind = "shortfall_minimax"  # the LP of a formula scenario (used for explanations only)
    lam = scen.objective.weight if weight is None else weight
    T, S, n = problem.T, problem.S, problem.n
    K = T * S * n
    scale = max(float(np.max(problem.envelope)), float(problem.baseline.sum()), 1.0) / n
    w = sector_split(problem)
    b = _Builder(T, S, n, scale)
    anchor = _anchor(problem, kind, w) / scale
    # A cell never exceeds its year's pool (cells are ≥ 0 and sum to at most the pool). Where a
    # gap exceeds the pool (need ≫ envelope) |x − G| = G − x exactly, so the anchor is capped at
    # the pool: x = G + p − m would make x the small difference of two large numbers, which a
    # solver that prints ~8 digits (CBC) cannot resolve.
    pool_cell = np.repeat(problem.envelope / scale, S * n)
    excess = np.zeros(K)
    if kind in ("need_gap", "blend") and not elastic:
        capped = anchor > pool_cell
        excess = np.where(capped, anchor - pool_cell, 0.0)
        anchor = np.where(capped, pool_cell, anchor)
    b.anchor = anchor
    b.gap_excess = excess

    # ---- cell bounds: sector bounds always; unit bound-rules when they fit in bounds
    lo_cell = np.zeros(K)
    hi_cell = np.full(K, INF)
    cells = np.arange(K)
    cell_s, cell_i = (cells // n) % S, cells % n
    Gs = (problem.gap[:, None, :] * problem.sector_share[None, :, None]).ravel() / scale
    fold = (S == 1) and not elastic
    row_rules: list[Rule] = []
    for r in problem.rules:
        if r.kind == "sector_bounds":
            sel = r.mask[cell_i] & (cell_s == r.params["sector"])
            if elastic or r.soft:
                row_rules.append(r)
                continue
            lo_r = np.where(sel, r.params["min_of_gap"] * Gs, 0.0)
            mx = r.params["max_of_gap"]
            hi_r = np.where(sel, mx * Gs, INF) if mx is not None else np.full(K, INF)
            b.bound_records.append(BoundRecord(r.name, r.kind, cells[sel & (lo_r > lo_cell)], "lower"))
            if mx is not None:
                b.bound_records.append(BoundRecord(r.name, r.kind, cells[sel & (hi_r < hi_cell)], "upper"))
            lo_cell = np.maximum(lo_cell, lo_r)
            hi_cell = np.minimum(hi_cell, hi_r)
        elif r.kind in BOUND_KINDS:
            if fold and not r.soft:
                for side, arr in (("lower", r.lower), ("upper", r.upper)):
                    if arr is None:
                        continue
                    vals = (arr / scale).ravel()  # (T, n) -> cells (S == 1)
                    ok = ~np.isnan(vals)
                    if side == "lower":
                        tight = ok & (vals > lo_cell)
                        lo_cell = np.where(tight, vals, lo_cell)
                    else:
                        tight = ok & (vals < hi_cell)
                        hi_cell = np.where(tight, vals, hi_cell)
                    b.bound_records.append(BoundRecord(r.name, r.kind, cells[tight], side))
            else:
                row_rules.append(r)
        elif r.kind in ("group_share", "earmark"):
            row_rules.append(r)
    # clean bound records: a cell's binding bound belongs to the last rule that tightened it
    b.bound_records = _last_writer(b.bound_records)
    if np.any(lo_cell > hi_cell + 1e-12):
        # contradictory bounds: keep them (the solver reports infeasible; explain names them)
        pass
    hi_cell = np.where(excess > 0, np.minimum(hi_cell, pool_cell), hi_cell)
    a = anchor
    lb_p = np.maximum(0.0, lo_cell - a)
    ub_p = np.where(np.isfinite(hi_cell), np.maximum(0.0, hi_cell - a), INF)
    lb_m = np.maximum(0.0, a - hi_cell)
    ub_m = np.maximum(0.0, a - lo_cell)
    if np.any(lo_cell > hi_cell):
        bad = lo_cell > hi_cell
        ub_p = np.where(bad, lb_p - 1.0, ub_p)  # keep the contradiction visible to the solver
    b.add_vars("p", (T, S, n), lb_p, ub_p)
    b.add_vars("m", (T, S, n), lb_m, ub_m)
    unit_sum = _unit_sum(T, S, n)

    # ---- envelope
    sense = "eq" if problem.mode == "equal" else "le"
    b.x_rows("envelope", "envelope", "envelope", _year_sum(T, S, n), sense,
             problem.envelope / scale, (T,))

    # ---- rules as rows
    slack_cost = 1.0 if elastic else None
    for r in row_rules:
        _define_rule_rows(b, problem, r, unit_sum, slack_cost, T, S, n)
    # transitions beyond the first year are always rows
    for r in problem.rules_of("transition"):
        if T > 1:
            _define_transition(b, problem, r, unit_sum, slack_cost, T, S, n)

    # ---- objective
    factor = 1.0
    if elastic:
        pass  # only slacks are priced
    elif kind == "need_gap":
        _define_need_gap(b, problem, 1.0, T, S, n)
    elif kind == "shortfall_minimax":
        _define_minimax(b, problem, unit_sum, T, S, n)
    elif kind == "per_capita_maximin":
        factor = _define_maximin(b, problem, unit_sum, T, S, n)
    elif kind == "stability":
        _define_stability(b, problem, unit_sum, 1.0, T, S, n, columns=(S == 1))
    elif kind == "blend":
        e_ref, s_ref = blend_references(problem)
        _define_need_gap(b, problem, lam / e_ref, T, S, n)
        _define_stability(b, problem, unit_sum, (1 - lam) / s_ref, T, S, n, columns=False)
    else:
        raise ValueError(f"unknown objective {kind}")
    lp = b.finish("elastic" if elastic else kind, anchor, factor)
    # Solvers judge optimality with absolute tolerances (~1e-7 on reduced costs): keep the
    # largest cost at 1 so that tiny coefficients do not hide real differences. The reported
    # objective is unchanged: reported = factor × (c·v + constant).
    cmax = float(np.abs(lp.c).max()) if lp.c.size else 0.0
    if cmax > 0:
        lp.c = lp.c / cmax
        lp.constant = lp.constant / cmax
        lp.objective_factor = lp.objective_factor * cmax
    lp.meta.update(weight=lam, cell_lo=lo_cell, cell_hi=hi_cell, need=problem.need / scale)
    return lp


def _last_writer(records: list[BoundRecord]) -> list[BoundRecord]:
    seen: dict[str, np.ndarray] = {"lower": np.zeros(0, int), "upper": np.zeros(0, int)}
    out: list[BoundRecord] = []
    for rec in reversed(records):
        cells = np.setdiff1d(rec.cells, seen[rec.side])
        seen[rec.side] = np.union1d(seen[rec.side], rec.cells)
        out.append(BoundRecord(rec.rule, rec.kind, cells, rec.side))
    return list(reversed(out))


def _slack(b: _Builder, name: str, nrows: int, cost: float) -> tuple[object, sp.spmatrix]:
    blk = b.add_vars(f"slack:{name}", (nrows,), 0.0, INF, cost)
    return blk, sp.identity(nrows, format="csr")


def _define_rule_rows(b: _Builder, problem: Problem, r: Rule, unit_sum, slack_cost, T, S, n):
    """Bound-type rules (rows form), group shares, earmarks and sector bounds as rows."""
    scale = b.scale
    soft_cost = None
    if slack_cost is not None:
        soft_cost = slack_cost
    elif r.soft:
        soft_cost = r.penalty
    if r.kind in BOUND_KINDS:
        for side, arr in (("lower", r.lower), ("upper", r.upper)):
            if arr is None:
                continue
            flat = arr.ravel()
            rows = np.flatnonzero(~np.isnan(flat))
            if rows.size == 0:
                continue
            M = unit_sum[rows]
            rhs = flat[rows] / scale
            sgn = -1.0 if side == "lower" else 1.0
            extra = []
            if soft_cost is not None:
                ref = np.maximum(np.abs(rhs), SOFT_FLOOR)
                blk, I = _slack(b, f"{r.name}:{side}", rows.size, soft_cost / ref / rows.size)
                extra = [(blk, -I)]
            b.x_rows(f"{r.name}:{side}", r.kind, r.name, sgn * M, "le", sgn * rhs, (rows.size,),
                     extra, sign=sgn)
            b.meta_rows = getattr(b, "meta_rows", {})
            b.meta_rows[f"{r.name}:{side}"] = rows
    elif r.kind == "group_share":
        M = _year_sum(T, S, n, mask=r.mask)
        pool = problem.envelope / scale
        for side, share in (("lower", r.params["min_share"]), ("upper", r.params["max_share"])):
            if share is None:
                continue
            sgn = -1.0 if side == "lower" else 1.0
            extra = []
            if soft_cost is not None:
                blk, I = _slack(b, f"{r.name}:{side}", T, soft_cost / np.maximum(share * pool, SOFT_FLOOR * pool) / T)
                extra = [(blk, -I)]
            b.x_rows(f"{r.name}:{side}", r.kind, r.name, sgn * M, "le", sgn * share * pool, (T,),
                     extra, sign=sgn)
    elif r.kind == "earmark":
        M = _year_sum(T, S, n, mask=r.mask, sector=r.params["sector"])
        rhs = r.params["min_share"] * problem.envelope / scale
        extra = []
        if soft_cost is not None:
            pool = problem.envelope / scale
            blk, I = _slack(b, f"{r.name}:lower", T, soft_cost / np.maximum(rhs, SOFT_FLOOR * pool) / T)
            extra = [(blk, -I)]
        b.x_rows(f"{r.name}:lower", r.kind, r.name, -M, "le", -rhs, (T,), extra, sign=-1.0)
    elif r.kind == "sector_bounds":
        K = T * S * n
        cells = np.arange(K)
        sel = r.mask[cells % n] & (((cells // n) % S) == r.params["sector"])
        idx = np.flatnonzero(sel)
        Gs = (problem.gap[:, None, :] * problem.sector_share[None, :, None]).ravel()[idx] / scale
        E = sp.csr_matrix((np.ones(idx.size), (np.arange(idx.size), idx)), shape=(idx.size, K))
        for side, mult in (("lower", r.params["min_of_gap"]), ("upper", r.params["max_of_gap"])):
            if mult is None or (side == "lower" and mult == 0):
                continue
            sgn = -1.0 if side == "lower" else 1.0
            extra = []
            if soft_cost is not None:
                ref = np.maximum(mult * Gs, SOFT_FLOOR)
                blk, I = _slack(b, f"{r.name}:{side}", idx.size, soft_cost / ref / idx.size)
                extra = [(blk, -I)]
            b.x_rows(f"{r.name}:{side}", r.kind, r.name, sgn * E, "le", sgn * mult * Gs,
                     (idx.size,), extra, sign=sgn)


def _define_transition(b: _Builder, problem: Problem, r: Rule, unit_sum, slack_cost, T, S, n):
    """|X[t] − X[t−1]| ≤ δ·X[t−1] for t ≥ 2 (t = 1 is a bound or a bound-rule row)."""
    d = r.params["max_change"]
    units = np.flatnonzero(r.mask)
    rows_t = []
    for t in range(1, T):
        rows_t.append((t, units))
    # X[t] − (1+δ) X[t−1] ≤ 0   and   (1−δ) X[t−1] − X[t] ≤ 0
    cur = np.concatenate([t * n + u for t, u in rows_t])
    prev = np.concatenate([(t - 1) * n + u for t, u in rows_t])
    Mcur, Mprev = unit_sum[cur], unit_sum[prev]
    soft_cost = slack_cost if slack_cost is not None else (r.penalty if r.soft else None)
    for side, M in (("upper", Mcur - (1 + d) * Mprev), ("lower", (1 - d) * Mprev - Mcur)):
        extra = []
        if soft_cost is not None:
            ref = np.maximum(d * problem.baseline[np.concatenate([u for _, u in rows_t])] / b.scale, SOFT_FLOOR)
            blk, I = _slack(b, f"{r.name}:years:{side}", cur.size, soft_cost / ref / cur.size)
            extra = [(blk, -I)]
        b.x_rows(f"{r.name}:years:{side}", "transition", r.name, M, "le", np.zeros(cur.size),
                 (cur.size,), extra, sign=-1.0 if side == "lower" else 1.0)


def _define_need_gap(b: _Builder, problem: Problem, weight: float, T, S, n):
    """Σ |x − G_s| / N over cells, as costs on the split columns (anchor = sector gap)."""
    N = problem.need / b.scale  # (T, n)
    cost = np.broadcast_to((weight / (N * n * T))[:, None, :], (T, S, n)).ravel()
    b.add_cost(b.blocks["p"], cost)
    b.add_cost(b.blocks["m"], cost)
    surplus = np.maximum(problem.capacity - problem.need, 0.0) / problem.need
    b.constant += weight * float(surplus.sum()) / (n * T)
    # the part of a gap above the pool (anchor capped in build): |x − G| = (G − a) + (a − x)
    b.constant += float(np.sum(cost * b.gap_excess))


def _define_minimax(b: _Builder, problem: Problem, unit_sum, T, S, n):
    """z_t ≥ (N − C − X)/N for every unit: rows −X − N·z ≤ C − N (scaled)."""
    N = problem.need / b.scale
    C = problem.capacity / b.scale
    z = b.add_vars("z", (T,), -INF, INF, 1.0 / T)
    rows_t = np.repeat(np.arange(T), n)
    Z = sp.csr_matrix((-N.ravel(), (np.arange(T * n), rows_t)), shape=(T * n, T))
    b.x_rows("shortfall", "objective", None, -unit_sum, "le", (C - N).ravel(), (T, n),
             [(z, Z)])


def _define_maximin(b: _Builder, problem: Problem, unit_sum, T, S, n) -> float:
    """w_t ≤ (C + X)/P for every unit: rows −X + (P/P̄)·w ≤ C (scaled); maximise Σ w."""
    P = problem.population
    Pbar = P.mean()
    C = problem.capacity / b.scale
    w = b.add_vars("w", (T,), -INF, INF, -1.0 / T)
    rows_t = np.repeat(np.arange(T), n)
    W = sp.csr_matrix((np.tile(P / Pbar, T), (np.arange(T * n), rows_t)), shape=(T * n, T))
    b.x_rows("per_capita", "objective", None, -unit_sum, "le", C.ravel(), (T, n), [(w, W)])
    # reported: min per-capita resources (million VND/person) = w × scale / P̄
    return -b.scale / Pbar


def _define_stability(b: _Builder, problem: Problem, unit_sum, weight: float, T, S, n, columns: bool):
    """Σ_t Σ_i |X[t,i] − X[t−1,i]| / X⁰_i, as column costs (S = 1, first year) or rows."""
    wts = stability_weights(problem) * b.scale  # per scaled money
    if columns:
        # anchor = baseline: year-1 deviation is p − m of each unit
        cost = np.zeros((T, S, n))
        cost[0] = weight * wts[None, :] / (n * T)
        b.add_cost(b.blocks["p"], cost.ravel())
        b.add_cost(b.blocks["m"], cost.ravel())
        first = 1
    else:
        first = 0
    if first >= T:
        return
    years = np.arange(first, T)
    nr = years.size * n
    u = b.add_vars("stab_up", (nr,), 0.0, INF, np.tile(weight * wts / (n * T), years.size))
    v = b.add_vars("stab_down", (nr,), 0.0, INF, np.tile(weight * wts / (n * T), years.size))
    cur = (years[:, None] * n + np.arange(n)[None, :]).ravel()
    M = unit_sum[cur]
    rhs = np.zeros(nr)
    if first == 0:
        prev_rows = (years[years > 0][:, None] - 1) * n + np.arange(n)[None, :]
        M = M.tolil()
        Mp = unit_sum[prev_rows.ravel()]
        M[n:, :] = M[n:, :] - Mp
        M = M.tocsr()
        rhs[:n] = problem.baseline / b.scale
    else:
        prev = ((years - 1)[:, None] * n + np.arange(n)[None, :]).ravel()
        M = M - unit_sum[prev]
    I = sp.identity(nr, format="csr")
    b.x_rows("stability", "objective", None, M, "eq", rhs, (nr,), [(u, -I), (v, I)])
