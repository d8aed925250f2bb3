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

import numpy as np
import scipy.sparse as sp

from fiscal.lp import INF, Builder, LinearProgram, VarBlock
from fiscal.objectives import blend_references, level_units, sector_split, stability_weights
from fiscal.problem import Problem, Rule

__all__ = ["build", "money_scale", "rule_holds"]


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
    :func:`fiscal.objectives.claim_cap`).
    """
    scen = problem.scenario
    kind = objective or scen.objective.kind
    if kind == "formula":
        kind = "shortfall_minimax"  # the LP of a formula scenario (used for explanations only)
    lam = scen.objective.weight if weight is None else weight
    T, S, n = problem.T, problem.S, problem.n
    K = T * S * n
    scale = money_scale(problem)
    w = sector_split(problem)
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
    Gs = (problem.gap[:, None, :] * problem.sector_share[None, :, None]).ravel() / scale
    b = Builder(T, S, n, scale, anchor, Gs)

    # ---- cell bounds from the rules that fit in bounds; the others become rows
    row_rules = b.fold(problem.rules, problem, elastic=elastic)
    cell_cap = np.where(excess > 0, pool_cell, INF)
    unit_cap = None
    if cap is not None:
        if S == 1:
            cell_cap = np.minimum(cell_cap, np.where(np.isfinite(cap), cap / scale, INF).ravel())
        else:  # a unit's cells are each at most its cap; the total below, as rows
            each = np.broadcast_to((cap / scale)[:, None, :], (T, S, n)).ravel()
            cell_cap = np.minimum(cell_cap, np.where(np.isfinite(each), each, INF))
            unit_cap = cap
    b.add_cells(cell_cap)
    if unit_cap is not None:
        held = np.flatnonzero(np.isfinite(unit_cap).ravel())
        b.x_rows(
            "claims",
            "claims",
            None,
            b.unit_sum[held],
            "le",
            unit_cap.ravel()[held] / scale,
            (held.size,),
        )

    # ---- envelope
    sense = "eq" if problem.mode == "equal" else "le"
    b.x_rows(
        "envelope", "envelope", "envelope", b.year_sum(), sense, problem.envelope / scale, (T,)
    )

    # ---- rules as rows (contradictory cell bounds stay: the solver says infeasible)
    slack_cost = 1.0 if elastic else None
    for r in row_rules:
        r.rows(b, problem, slack_cost)
    for r in problem.rules:  # what couples years (transitions beyond the first year)
        r.year_rows(b, problem, slack_cost)

    # ---- objective
    factor = 1.0
    if elastic:
        pass  # only slacks are priced
    elif kind == "need_gap":
        _define_need_gap(b, problem, 1.0, excess)
    elif kind == "shortfall_minimax":
        _define_minimax(b, problem)
    elif kind == "per_capita_maximin":
        factor = _define_maximin(b, problem)
    elif kind == "stability":
        _define_stability(b, problem, 1.0, columns=(S == 1), leximin=True)
    elif kind == "blend":
        e_ref, s_ref = blend_references(problem)
        _define_need_gap(b, problem, lam / e_ref, excess)
        _define_stability(b, problem, (1 - lam) / s_ref, columns=False)
    else:
        raise ValueError(f"unknown objective {kind}")
    lp = b.finish("elastic" if elastic else kind, factor, weight=lam, need=problem.need / scale)
    # Solvers judge optimality with absolute tolerances (~1e-7 on reduced costs): keep the
    # largest cost at 1 so that tiny coefficients do not hide real differences. The reported
    # objective is unchanged: reported = factor × (c·v + constant).
    cmax = float(np.abs(lp.c).max()) if lp.c.size else 0.0
    if cmax > 0:
        lp.c = lp.c / cmax
        lp.constant = lp.constant / cmax
        lp.objective_factor = lp.objective_factor * cmax
    # the later stages' costs, each scaled the same way (a stage that prices nothing is dropped)
    lp.stages = tuple(st / np.abs(st).max() for st in lp.stages if np.abs(st).max() > 0)
    return lp


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


def _define_need_gap(b: Builder, problem: Problem, weight: float, excess: np.ndarray) -> None:
    """Σ |x − G_s| / N over cells, as costs on the split columns (anchor = sector gap)."""
    T, S, n = b.T, b.S, b.n
    N = problem.need / b.scale  # (T, n)
    cost = np.broadcast_to((weight / (N * n * T))[:, None, :], (T, S, n)).ravel()
    b.add_cost(b.blocks["p"], cost)
    b.add_cost(b.blocks["m"], cost)
    surplus = np.maximum(problem.capacity - problem.need, 0.0) / problem.need
    b.constant += weight * float(surplus.sum()) / (n * T)
    # a gap the anchor leaves out belongs to a unit held at 0 (a unit that remits under the A/B/C
    # mechanism keeps its shortfall, the rounding residue: fiscal.mechanism); 0 otherwise
    outside = np.maximum(problem.need - problem.capacity - problem.gap, 0.0) / problem.need
    b.constant += weight * float(outside.sum()) / (n * T)
    # the part of a gap above the pool (anchor capped in build): |x − G| = (G − a) + (a − x)
    b.constant += float(np.sum(cost * excess))


def _define_minimax(b: Builder, problem: Problem) -> None:
    """z_t ≥ (N − C − X)/N for every unit: rows −X − N·z ≤ C − N (scaled)."""
    T, n, unit_sum = b.T, b.n, b.unit_sum
    N = problem.need / b.scale
    C = problem.capacity / b.scale
    z = b.add_vars("z", (T,), -INF, INF, 1.0 / T)
    rows_t = np.repeat(np.arange(T), n)
    Z = sp.csr_matrix((-N.ravel(), (np.arange(T * n), rows_t)), shape=(T * n, T))
    b.x_rows("shortfall", "objective", None, -unit_sum, "le", (C - N).ravel(), (T, n), [(z, Z)])


def _define_maximin(b: Builder, problem: Problem) -> float:
    """w_t ≤ (C + X)/P for every unit: rows −X + (P/P̄)·w ≤ C (scaled); maximise Σ w."""
    T, n, unit_sum = b.T, b.n, b.unit_sum
    P = problem.population
    Pbar = P.mean()
    C = problem.capacity / b.scale
    w = b.add_vars("w", (T,), -INF, INF, -1.0 / T)
    rows_t = np.repeat(np.arange(T), n)
    W = sp.csr_matrix((np.tile(P / Pbar, T), (np.arange(T * n), rows_t)), shape=(T * n, T))
    b.x_rows("per_capita", "objective", None, -unit_sum, "le", C.ravel(), (T, n), [(w, W)])
    # reported: min per-capita resources (million VND/person) = w × scale / P̄
    return -b.scale / Pbar


def _define_stability(
    b: Builder, problem: Problem, weight: float, columns: bool, leximin: bool = False
) -> None:
    """stability: the largest relative change |X[t,i] − X[t−1,i]| / X⁰_i of each year (a level
    z_t, priced in the primary) and then, at stage 1, the relative L1 Σ |ΔX| / X⁰ (as column
    costs: p, m of the first year when S = 1, else split change columns u − v = ΔX)."""
    T, S, n, unit_sum = b.T, b.S, b.n, b.unit_sum
    wts = stability_weights(problem) * b.scale  # per scaled money
    z = b.add_vars("change", (T,), 0.0, INF, weight / T)
    # the level is set by the units with a baseline (the others have no claim: fiscal.claims)
    units = np.flatnonzero(level_units(problem))
    k = units.size

    if leximin:
        b.level_column = z.start

    def level_rows(name: str, blk: VarBlock, cols: np.ndarray, t: np.ndarray) -> None:
        """wts_i · blk[cols] − z_t ≤ 0 (one row per entry of ``cols``, unit ``units``)."""
        rows = np.arange(cols.size)
        D = sp.csr_matrix(
            (np.tile(wts[units], cols.size // k), (rows, cols)), shape=(rows.size, blk.size)
        )
        Zt = sp.csr_matrix((-np.ones(rows.size), (rows, t)), shape=(rows.size, T))
        rb = b.var_rows(
            name, "objective", None, [(blk, D), (z, Zt)], "le", np.zeros(rows.size), (rows.size,)
        )
        if leximin:
            b.levels.append((rb.start + rows, np.tile(units, cols.size // k), t))

    if columns:
        # anchor = baseline: year-1 deviation is p − m of each unit
        cost = np.zeros((T, S, n))
        cost[0] = weight * wts[None, :] / (n * T)
        b.add_stage_cost(1, b.blocks["p"], cost.ravel())
        b.add_stage_cost(1, b.blocks["m"], cost.ravel())
        # wts·p ≤ z and wts·m ≤ z for year 1 (|p − m| ≤ max(p, m): the same amounts x)
        for blk, name in ((b.blocks["p"], "change_up"), (b.blocks["m"], "change_down")):
            level_rows(name, blk, units, np.zeros(k, dtype=int))
        first = 1
    else:
        first = 0
    if first >= T:
        return
    years = np.arange(first, T)
    nr = years.size * n
    l1 = np.tile(weight * wts / (n * T), years.size)
    u = b.add_vars("stab_up", (nr,), 0.0, INF)
    v = b.add_vars("stab_down", (nr,), 0.0, INF)
    b.add_stage_cost(1, u, l1)
    b.add_stage_cost(1, v, l1)
    cur = (years[:, None] * n + np.arange(n)[None, :]).ravel()
    M = unit_sum[cur]
    rhs = np.zeros(nr)
    if first == 0:
        prev_rows = (years[years > 0][:, None] - 1) * n + np.arange(n)[None, :]
        # the first year's rows keep X[0] (its change is from the baseline, on the right)
        Mp = sp.vstack([sp.csr_matrix((n, M.shape[1])), unit_sum[prev_rows.ravel()]])
        M = (M - Mp.tocsr()).tocsr()
        rhs[:n] = problem.baseline / b.scale
    else:
        prev = ((years - 1)[:, None] * n + np.arange(n)[None, :]).ravel()
        M = M - unit_sum[prev]
    I = sp.identity(nr, format="csr")
    b.x_rows("stability", "objective", None, M, "eq", rhs, (nr,), [(u, -I), (v, I)])
    cols = ((years - first)[:, None] * n + units[None, :]).ravel()
    t_of = np.repeat(years, k)
    for blk, name in ((u, "change_up"), (v, "change_down")):
        level_rows(f"{name}:years", blk, cols, t_of)
