"""The allocation model: :func:`build` writes the LP of a problem for an objective.

Cells are (year t, sector s, unit i); each cell's transfer is split around an anchor (the
primary objective's target) as ``x = a + p − m`` — the layout lives in :mod:`fiscal.lp`, the
LP vocabulary. Every per-cell limit a rule can state as a bound (floors, caps, minimums, the
first-year transition band, sector bounds) is a bound on p or m; rows are kept for what
genuinely couples cells: the envelope, group shares, earmarks, multi-year transitions, the
minimax/maximin levels, and any rule made ``soft``. Each rule writes its own bounds or rows
(:mod:`fiscal.rules`); this module adds the envelope and the objectives. DESIGN.md explains why:
two inequality rows per |x − N| made HiGHS 20–70× slower at commune scale.

Nothing here solves: see :mod:`fiscal.solve` and :mod:`fiscal.highs`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from fiscal.builder import Builder
from fiscal.lp import INF, LinearProgram, VarBlock
from fiscal.objectives import blend_references, level_units, sector_split, stability_weights
from fiscal.problem import Problem, Rule

__all__ = ["build", "build_parts", "money_scale", "parts_ok", "rule_holds"]


# ----------------------------------------------------------------------------- build


def _anchor(problem: Problem, kind: str, w: np.ndarray) -> np.ndarray:
    T, S, n = problem.T, problem.S, problem.n
    if kind in ("need_gap", "blend"):
        return (problem.gap[:, None, :] * problem.sector_share[None, :, None]).ravel()
    if kind == "stability":
        return np.broadcast_to(
            problem.baseline[None, None, :] * w[None, :, None], (T, S, n)
        ).ravel()
    F = problem.pure_formula()
    return (F[:, None, :] * w[None, :, None]).ravel()


def build(
    problem: Problem,
    objective: str | None = None,
    *,
    elastic: bool = False,
    weight: float | None = None,
    cap: np.ndarray | None = None,
) -> LinearProgram:
    """Build the LP of ``problem`` for ``objective`` (default: the scenario's).

    ``elastic=True`` builds the feasibility diagnosis instead: every rule is a row with a
    priced slack and the objective is the total slack (see :mod:`fiscal.diagnosis`). ``cap``
    (T, n), where finite, bounds each unit's amount from above (units without a claim, see
    :func:`fiscal.objectives.claim_cap`). The LP of one problem is the one-part case of
    :func:`build_parts`.
    """
    (lp,) = _build([problem], objective, elastic=elastic, weight=weight, caps=[cap])
    return lp


def build_parts(problems: Sequence[Problem], objective: str | None = None) -> list[LinearProgram]:
    """``[build(p, objective) for p in problems]`` for the parts of one run (a commune run's
    provinces: one scenario, the same years and sectors), written in one pass over all parts'
    cells and sliced (:mod:`fiscal.builder`): the same LPs to the bit, for a fraction of the
    Python and scipy overhead of one build per part.

    Where the parts cannot be written at once (:func:`parts_ok`: rules written as rows — group
    shares, earmarks, soft rules, bounds on units with sectors — rules that couple years
    (transitions), or parts of different scenarios), each part is built on its own.
    """
    if len(problems) > 1 and _one_run(problems, objective):
        try:
            return _build(problems, objective)
        except _RowsInParts:
            pass
    return [build(p, objective) for p in problems]


def parts_ok(problems: Sequence[Problem], objective: str | None = None) -> bool:
    """Whether :func:`build_parts` writes ``problems`` in one pass: one scenario with the same
    years, sectors and envelope mode, an objective of the model, no rule that couples years,
    and every rule of every part folded into cell bounds (none written as rows)."""
    if not _one_run(problems, objective):
        return False
    for p in problems:
        one = Builder(p.T, p.S, p.n, money_scale(p), np.zeros(p.T * p.S * p.n))
        if any(r.cell_bounds(p, one, elastic=False) is None for r in p.rules):
            return False
    return True


class _RowsInParts(Exception):
    """The parts' rules do not fold alike into cell bounds (rows): built one by one."""


def _one_run(problems: Sequence[Problem], objective: str | None) -> bool:
    """One scenario's parts with the same years, sectors and mode, an objective of the model
    and no rule that couples years (what :func:`build_parts` checks before writing)."""
    first = problems[0]
    kind = objective or first.scenario.objective.kind
    if kind not in ("formula", *_OBJECTIVES):
        return False
    for p in problems:
        if p.scenario is not first.scenario or (p.T, p.S, p.mode) != (
            first.T,
            first.S,
            first.mode,
        ):
            return False
        if any(type(r).year_rows is not Rule.year_rows for r in p.rules):
            return False
    return True


_OBJECTIVES = ("need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend")


def _build(
    problems: Sequence[Problem],
    objective: str | None = None,
    *,
    elastic: bool = False,
    weight: float | None = None,
    caps: Sequence[np.ndarray | None] | None = None,
) -> list[LinearProgram]:
    """The LPs of ``problems`` (parts of one scenario; one problem: :func:`build`)."""
    first = problems[0]
    scen = first.scenario
    kind = objective or scen.objective.kind
    if kind == "formula":
        kind = "shortfall_minimax"  # the LP of a formula scenario (used for explanations only)
    lam = scen.objective.weight if weight is None else weight
    T, S = first.T, first.S
    scales = [money_scale(p) for p in problems]
    anchor, excess, pool_cells, Gs = [], [], [], []
    for p, scale in zip(problems, scales, strict=True):
        K = T * S * p.n
        a = _anchor(p, kind, sector_split(p)) / scale
        # A cell never exceeds its year's pool (cells are ≥ 0 and sum to at most the pool).
        # Where a gap exceeds the pool (need ≫ envelope) |x − G| = G − x exactly, so the anchor
        # is capped at the pool: x = G + p − m would make x the small difference of two large
        # numbers, which a solver that prints ~8 digits (CBC) cannot resolve.
        pool_cell = np.repeat(p.envelope / scale, S * p.n)
        e = np.zeros(K)
        if kind in ("need_gap", "blend") and not elastic:
            capped = a > pool_cell
            e = np.where(capped, a - pool_cell, 0.0)
            a = np.where(capped, pool_cell, a)
        anchor.append(a)
        excess.append(e)
        pool_cells.append(pool_cell)
        Gs.append((p.gap[:, None, :] * p.sector_share[None, :, None]).ravel() / scale)
    b = Builder(T, S, [p.n for p in problems], scales, _cat(anchor), _cat(Gs))

    # ---- cell bounds from the rules that fit in bounds; the others become rows
    row_rules = b.fold_parts(problems, elastic=elastic)
    if row_rules is None:
        raise _RowsInParts  # one build per part (build_parts)
    caps = caps or [None] * len(problems)
    cell_cap, unit_caps = [], []
    for p, scale, e, pool_cell, cap in zip(problems, scales, excess, pool_cells, caps, strict=True):
        cc = np.where(e > 0, pool_cell, INF)
        unit_cap = np.full((T, p.n), INF)
        if cap is not None:
            if S == 1:
                cc = np.minimum(cc, np.where(np.isfinite(cap), cap / scale, INF).ravel())
            else:  # a unit's cells are each at most its cap; the total below, as rows
                each = np.broadcast_to((cap / scale)[:, None, :], (T, S, p.n)).ravel()
                cc = np.minimum(cc, np.where(np.isfinite(each), each, INF))
                unit_cap = cap
        cell_cap.append(cc)
        unit_caps.append(unit_cap)
    b.add_cells(_cat(cell_cap))
    if S > 1 and any(cap is not None for cap in caps):
        held = [np.flatnonzero(np.isfinite(c).ravel()) for c in unit_caps]
        first_row = np.cumsum([0] + [T * p.n for p in problems])
        b.x_rows(
            "claims",
            "claims",
            None,
            b.unit_sum[_cat([h + r for h, r in zip(held, first_row[:-1], strict=True)])],
            "le",
            _cat([c.ravel()[h] / s for c, h, s in zip(unit_caps, held, scales, strict=True)]),
            [(h.size,) for h in held],
        )

    # ---- envelope
    sense = "eq" if first.mode == "equal" else "le"
    envelope = _cat([p.envelope / s for p, s in zip(problems, scales, strict=True)])
    b.x_rows("envelope", "envelope", "envelope", b.year_sum(), sense, envelope, (T,))

    # ---- rules as rows (contradictory cell bounds stay: the solver says infeasible); one part
    # only (parts_ok)
    slack_cost = 1.0 if elastic else None
    for p, rules in zip(problems, row_rules, strict=True):
        for r in rules:
            r.rows(b, p, slack_cost)
        for r in p.rules:  # what couples years (transitions beyond the first year)
            r.year_rows(b, p, slack_cost)

    # ---- objective
    ones = [1.0] * len(problems)
    factors = ones
    if elastic:
        pass  # only slacks are priced
    elif kind == "need_gap":
        _define_need_gap(b, problems, ones, excess)
    elif kind == "shortfall_minimax":
        _define_minimax(b, problems)
    elif kind == "per_capita_maximin":
        factors = _define_maximin(b, problems)
    elif kind == "stability":
        _define_stability(b, problems, ones, columns=(S == 1), leximin=True)
    elif kind == "blend":
        refs = [blend_references(p) for p in problems]
        _define_need_gap(b, problems, [lam / e_ref for e_ref, _ in refs], excess)
        _define_stability(b, problems, [(1 - lam) / s_ref for _, s_ref in refs], columns=False)
    else:
        raise ValueError(f"unknown objective {kind}")
    typed = [{"weight": lam, "need": p.need / s} for p, s in zip(problems, scales, strict=True)]
    lps = b.finish_parts("elastic" if elastic else kind, factors, typed)
    for lp in lps:
        # Solvers judge optimality with absolute tolerances (~1e-7 on reduced costs): keep the
        # largest cost at 1 so that tiny coefficients do not hide real differences. The
        # reported objective is unchanged: reported = factor × (c·v + constant).
        cmax = float(np.abs(lp.c).max()) if lp.c.size else 0.0
        if cmax > 0:
            lp.c = lp.c / cmax
            lp.constant = lp.constant / cmax
            lp.objective_factor = lp.objective_factor * cmax
        # the later stages' costs, each scaled the same way (one that prices nothing is dropped)
        lp.stages = tuple(st / np.abs(st).max() for st in lp.stages if np.abs(st).max() > 0)
    return lps


def _cat(arrays: Sequence[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def money_scale(problem: Problem) -> float:
    """The LP's unit of money: the mean amount per unit (so coefficients stay near 1)."""
    return max(float(np.max(problem.envelope)), float(problem.baseline.sum()), 1.0) / problem.n


def rule_holds(problem: Problem, rule: Rule, cells: np.ndarray, tol: float = 1e-12) -> bool:
    """Whether cells x (T, S, n) meet ``rule`` as the LP writes it (its cell bounds, rows and
    year rows; a soft rule without giving way), to ``tol`` relative to each bound or row."""
    T, S, n = problem.T, problem.S, problem.n
    K = T * S * n
    scale = money_scale(problem)
    Gs = (problem.gap[:, None, :] * problem.sector_share[None, :, None]).ravel() / scale
    b = Builder(T, S, n, scale, np.zeros(K), Gs)
    x = cells.ravel() / scale
    bounds = rule.cell_bounds(problem, b, elastic=False)
    for side, vals in bounds or []:
        ok = ~np.isnan(vals)
        room = tol * np.maximum(1.0, np.abs(np.nan_to_num(vals)))
        if side == "lower" and np.any(ok & (x < vals - room)):
            return False
        if side == "upper" and np.any(ok & (x > vals + room)):
            return False
    b.add_cells()
    if bounds is None:
        rule.rows(b, problem, None)
    rule.year_rows(b, problem, None)
    lp = b.finish("check")
    v = np.zeros(lp.nvar)
    v[lp.blocks["p"].slice] = x  # anchor 0: x = p
    for A, rhs, eq in ((lp.A_ub, lp.b_ub, False), (lp.A_eq, lp.b_eq, True)):
        if not A.shape[0]:
            continue
        act = A @ v
        room = tol * np.maximum(1.0, np.maximum(np.abs(rhs), abs(A) @ np.abs(v)))
        if np.any((np.abs(act - rhs) if eq else act - rhs) > room):
            return False
    return True


def _define_need_gap(
    b: Builder, problems: Sequence[Problem], weights: Sequence[float], excess: list[np.ndarray]
) -> None:
    """Σ |x − G_s| / N over cells, as costs on the split columns (anchor = sector gap)."""
    T, S = b.T, b.S
    costs = []
    for k, (problem, weight) in enumerate(zip(problems, weights, strict=True)):
        n = problem.n
        N = problem.need / b.scales[k]  # (T, n)
        cost = np.broadcast_to((weight / (N * n * T))[:, None, :], (T, S, n)).ravel()
        costs.append(cost)
        surplus = np.maximum(problem.capacity - problem.need, 0.0) / problem.need
        b.constants[k] += weight * float(surplus.sum()) / (n * T)
        # a gap the anchor leaves out belongs to a unit held at 0 (a unit that remits under the
        # A/B/C mechanism keeps its shortfall, the rounding residue: fiscal.mechanism); 0
        # otherwise
        outside = np.maximum(problem.need - problem.capacity - problem.gap, 0.0) / problem.need
        b.constants[k] += weight * float(outside.sum()) / (n * T)
        # the part of a gap above the pool (anchor capped in build): |x − G| = (G − a) + (a − x)
        b.constants[k] += float(np.sum(cost * excess[k]))
    cost = _cat(costs)
    b.add_cost(b.blocks["p"], cost)
    b.add_cost(b.blocks["m"], cost)


def _per_year(b: Builder, problems: Sequence[Problem]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of a (unit, year) row's term in a level z_t: each part's T·n rows, part
    after part, on its own T columns of z."""
    T = b.T
    rows_t = _cat([k * T + np.repeat(np.arange(T), p.n) for k, p in enumerate(problems)])
    return np.arange(rows_t.size), rows_t


def _define_minimax(b: Builder, problems: Sequence[Problem]) -> None:
    """z_t ≥ (N − C − X)/N for every unit: rows −X − N·z ≤ C − N (scaled)."""
    T, P = b.T, b.P
    N = [p.need / s for p, s in zip(problems, b.scales, strict=True)]
    C = [p.capacity / s for p, s in zip(problems, b.scales, strict=True)]
    z = b.add_vars("z", (T,), -INF, INF, 1.0 / T)
    rows, cols = _per_year(b, problems)
    Z = sp.csr_matrix((-_cat([v.ravel() for v in N]), (rows, cols)), shape=(rows.size, P * T))
    rhs = _cat([(c - v).ravel() for c, v in zip(C, N, strict=True)])
    shapes = [(T, p.n) for p in problems]
    b.x_rows("shortfall", "objective", None, -b.unit_sum, "le", rhs, shapes, [(z, Z)])


def _define_maximin(b: Builder, problems: Sequence[Problem]) -> list[float]:
    """w_t ≤ (C + X)/P for every unit: rows −X + (P/P̄)·w ≤ C (scaled); maximise Σ w. Returns
    each part's factor: the reported min per-capita resources (million VND/person) = w ×
    scale / P̄."""
    T, P = b.T, b.P
    Pbar = [p.population.mean() for p in problems]
    C = _cat([(p.capacity / s).ravel() for p, s in zip(problems, b.scales, strict=True)])
    w = b.add_vars("w", (T,), -INF, INF, -1.0 / T)
    rows, cols = _per_year(b, problems)
    vals = _cat([np.tile(p.population / m, T) for p, m in zip(problems, Pbar, strict=True)])
    W = sp.csr_matrix((vals, (rows, cols)), shape=(rows.size, P * T))
    shapes = [(T, p.n) for p in problems]
    b.x_rows("per_capita", "objective", None, -b.unit_sum, "le", C, shapes, [(w, W)])
    return [-s / m for s, m in zip(b.scales, Pbar, strict=True)]


def _define_stability(
    b: Builder,
    problems: Sequence[Problem],
    weights: Sequence[float],
    columns: bool,
    leximin: bool = False,
) -> None:
    """stability: the largest relative change |X[t,i] − X[t−1,i]| / X⁰_i of each year (a level
    z_t, priced in the primary) and then, at stage 1, the relative L1 Σ |ΔX| / X⁰ (as column
    costs: p, m of the first year when S = 1, else split change columns u − v = ΔX)."""
    T, S, P = b.T, b.S, b.P
    ns = [p.n for p in problems]
    wts = [stability_weights(p) * s for p, s in zip(problems, b.scales, strict=True)]
    z_cost = _cat([np.full(T, w / T) for w in weights])
    z = b.add_vars("change", (T,), 0.0, INF, z_cost)
    # the level is set by the units with a baseline (the others have no claim: fiscal.claims)
    units = [np.flatnonzero(level_units(p)) for p in problems]
    if leximin:
        b.level_block = z.name

    def level_rows(
        name: str, blk: VarBlock, starts: Sequence[int], cols: list[np.ndarray], t: list[np.ndarray]
    ) -> None:
        """wts_i · blk[cols] − z_t ≤ 0 (one row per entry of ``cols``, unit ``units``), each
        part on its own columns of ``blk`` (from ``starts``) and of z."""
        reps = [c.size // u.size for c, u in zip(cols, units, strict=True)]
        vals = _cat([np.tile(w[u], r) for w, u, r in zip(wts, units, reps, strict=True)])
        where = _cat([s + c for s, c in zip(starts, cols, strict=True)])
        rows = np.arange(where.size)
        D = sp.csr_matrix((vals, (rows, where)), shape=(rows.size, blk.size))
        zt = _cat([k * T + tk for k, tk in enumerate(t)])
        Zt = sp.csr_matrix((-np.ones(rows.size), (rows, zt)), shape=(rows.size, P * T))
        shapes = [(c.size,) for c in cols]
        rb = b.var_rows(
            name, "objective", None, [(blk, D), (z, Zt)], "le", np.zeros(rows.size), shapes
        )
        if leximin:
            tiled = _cat([np.tile(u, r) for u, r in zip(units, reps, strict=True)])
            b.levels.append((rb.start + rows, tiled, _cat(t)))

    cell_start = [int(b.cell_start[k]) for k in range(P)]
    if columns:
        # anchor = baseline: year-1 deviation is p − m of each unit
        costs = []
        for n, w, weight in zip(ns, wts, weights, strict=True):
            cost = np.zeros((T, S, n))
            cost[0] = weight * w[None, :] / (n * T)
            costs.append(cost.ravel())
        cost = _cat(costs)
        b.add_stage_cost(1, b.blocks["p"], cost)
        b.add_stage_cost(1, b.blocks["m"], cost)
        # wts·p ≤ z and wts·m ≤ z for year 1 (|p − m| ≤ max(p, m): the same amounts x)
        for blk, name in ((b.blocks["p"], "change_up"), (b.blocks["m"], "change_down")):
            level_rows(name, blk, cell_start, units, [np.zeros(u.size, dtype=int) for u in units])
        first = 1
    else:
        first = 0
    if first >= T:
        return
    years = np.arange(first, T)
    nr = [years.size * n for n in ns]
    l1 = _cat(
        [
            np.tile(weight * w / (n * T), years.size)
            for n, w, weight in zip(ns, wts, weights, strict=True)
        ]
    )
    u = b.add_vars("stab_up", [(k,) for k in nr], 0.0, INF)
    v = b.add_vars("stab_down", [(k,) for k in nr], 0.0, INF)
    b.add_stage_cost(1, u, l1)
    b.add_stage_cost(1, v, l1)
    # each part's unit-year rows from year `first` (rows of unit_sum, part after part) and the
    # year before's (−1: none for the first year when first = 0: its change is from the
    # baseline, on the right)
    first_row = np.cumsum([0] + [T * n for n in ns])
    cur = _cat(
        [
            r + (years[:, None] * n + np.arange(n)[None, :]).ravel()
            for r, n in zip(first_row[:-1], ns, strict=True)
        ]
    )
    prev = _cat(
        [
            np.where(
                np.repeat(years, n) > 0,
                r + ((years[:, None] - 1) * n + np.arange(n)[None, :]).ravel(),
                -1,
            )
            for r, n in zip(first_row[:-1], ns, strict=True)
        ]
    )
    # ΔX rows: + the unit's cells of the year, − those of the year before (unit_sum's rows: S
    # cells each, ascending)
    cells = b.unit_sum.indices.reshape(-1, S)
    has = np.flatnonzero(prev >= 0)
    M = sp.csr_matrix(
        (
            np.concatenate([np.ones(cur.size * S), -np.ones(has.size * S)]),
            (
                np.concatenate([np.repeat(np.arange(cur.size), S), np.repeat(has, S)]),
                np.concatenate([cells[cur].ravel(), cells[prev[has]].ravel()]),
            ),
        ),
        shape=(cur.size, b.K),
    )
    rhs = np.zeros(cur.size)
    if first == 0:
        offsets = np.cumsum([0] + nr)
        for k, (p, s) in enumerate(zip(problems, b.scales, strict=True)):
            rhs[offsets[k] : offsets[k] + p.n] = p.baseline / s
    I = sp.identity(cur.size, format="csr")
    b.x_rows("stability", "objective", None, M, "eq", rhs, [(k,) for k in nr], [(u, -I), (v, I)])
    cols = [
        ((years - first)[:, None] * n + un[None, :]).ravel()
        for n, un in zip(ns, units, strict=True)
    ]
    t_of = [np.repeat(years, un.size) for un in units]
    var_start = np.cumsum([0] + nr)
    for blk, name in ((u, "change_up"), (v, "change_down")):
        level_rows(f"{name}:years", blk, [int(x) for x in var_start[:-1]], cols, t_of)
