"""The constraint ledger: per rule, whether it binds, its dual value, what it costs, who
benefits and who pays.

Computed from the HiGHS solution of the result's problem (``Result.reference``, see
:func:`fiscal.reference.reference`), so that it does not depend on the backend that found the
allocation. A rule's cost is the money it moves: the allocation re-solved without it
(:func:`fiscal.reference.allocate_exact`), half the L1 difference, unless the rule knows its
effect without a re-solve (:meth:`fiscal.rules.base.Rule.ledger_effect`) or is inactive at the
optimum (:func:`_active_rules`: its cost is then 0 without a re-solve, so a rule book of
thousands costs one re-solve per rule that holds the optimum, not one per rule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fiscal.prose.messages import Message
from fiscal.reference import allocate_exact

if TYPE_CHECKING:
    from fiscal.problem import Problem
    from fiscal.results import Result

__all__ = ["envelope_line", "ledger"]


def envelope_line(problem: Problem) -> Message:
    """The ledger's description of the envelope: 'Σ transfers = 238,421 bn VND in 2026'."""
    return Message(
        "ledger.envelope" if problem.T == 1 else "ledger.envelope_growing",
        total=float(problem.envelope[0]),
        year=problem.years[0],
    )


def ledger(result: Result) -> pd.DataFrame:
    """Per rule: binding, dual (objective per million VND), cost, beneficiaries and payers.

    Computed from the HiGHS solution of the problem (see :func:`reference`). ``violation`` is
    how far a soft rule gives way (million VND; 0 for hard rules, which the re-check enforces).
    """
    ref = result.reference
    problem = result.problem
    duals = ref.rule_duals()
    X = ref.exact.sum(axis=1)
    codes = np.asarray(problem.codes)
    rows = []
    env_dual = duals.get("envelope", np.nan)
    rows.append(
        {
            "name": "envelope",
            "kind": "envelope",
            "hard": True,
            "binding": problem.mode == "equal"
            or bool(np.any(np.abs(X.sum(axis=1) - problem.envelope) <= problem.unit)),
            "units_binding": problem.n,
            "dual": env_dual,
            "cost": np.nan,
            "violation": 0.0,
            "benefits": "",
            "pays": "",
            "description": envelope_line(problem),
        }
    )
    unit = problem.unit
    X_round = result.table["transfer"].to_numpy(dtype=float).reshape(problem.T, problem.n)
    active = _active_rules(result)
    for r in problem.rules:
        binding, nb = r.binding(problem, X, ref.exact)
        known = r.ledger_effect(codes)
        if known is not None:
            moved, benefits, pays = known
        elif (
            active is not None
            and r.name not in active
            and r.pool_effect() == (0.0, 0.0)
            and r.support() is None
        ):
            # inactive at the optimum: the allocation without it is the same (see _active_rules)
            moved, benefits, pays = 0.0, [], []
        else:
            other = allocate_exact(
                problem.without_rules({r.name}),
                result.objective_kind,
                staged=result.method == "staged",
            )
            if other is None:
                moved, benefits, pays = np.nan, [], []
            else:
                diff = (X - other)[0] if problem.T == 1 else (X - other).sum(axis=0)
                moved = float(np.abs(X - other).sum() / 2.0)
                if moved < unit:
                    moved = 0.0
                order = np.argsort(-diff)
                benefits = [str(codes[j]) for j in order if diff[j] >= unit][:50]
                pays = [str(codes[j]) for j in order[::-1] if diff[j] <= -unit][:50]
        rows.append(
            {
                "name": r.name,
                "kind": r.kind,
                "hard": not r.soft,
                "binding": binding,
                "units_binding": nb,
                "dual": duals.get(r.name, np.nan),
                "cost": moved,
                "violation": r.violation(problem, X_round, result.cells) if r.soft else 0.0,
                "benefits": ";".join(map(str, benefits)),
                "pays": ";".join(map(str, pays)),
                "description": r.description,
            }
        )
    return pd.DataFrame(rows)


def _active_rules(result: Result) -> set[str] | None:
    """The rules that hold the reference optimum where it is, or None when that is unknown.

    A rule is inactive when none of its rows is tight at the optimum (slack above 10⁻⁶ of the
    row's terms, the tie-break's own test), none of its soft slacks is used, and no cell sits on
    a bound it sets. Taking an inactive rule away leaves the allocation exactly as it is: each
    stage of the solve (claims, the primary, leximin, later stages, the tie-break) is a convex
    problem whose feasible set near the optimum does not change, so the optimum stays optimal
    (local is global), and the tie-break's optimum is unique. Its cost is then 0 without a
    re-solve — the re-solve used to find the same amounts to solver noise, which the ledger
    rounded to 0 below one rounding unit. For a formula result, a unit-bound rule none of whose
    bounds the amounts sit on is inactive: the damping fixed point clip(k·F, L, U) is the same
    without it; so is one whose bound other rules (or 0) set as tight.
    """
    problem = result.problem
    if result.objective_kind == "formula":
        # soft rules' floors are raised by a common fraction of the way from the hard bounds,
        # which every hard bound moves: no shortcut then
        if result.formula_parts is None or any(r.soft for r in problem.rules):
            return None
        return _active_formula_rules(problem, result.formula_parts.amount)
    ref = result.reference
    lp, sol = ref.lp, ref.solution
    if lp is None or sol is None or sol.x is None or lp.cell_lo is None or lp.cell_hi is None:
        return None
    v = sol.x
    out = set()
    if lp.A_ub.shape[0]:
        slack = lp.b_ub - lp.A_ub @ v
        size = np.maximum(1.0, np.maximum(np.abs(lp.b_ub), abs(lp.A_ub) @ np.abs(v)))
        tight = slack <= 1e-6 * size
    else:
        tight = np.zeros(0, dtype=bool)
    for blk in lp.rows:
        if blk.rule is None or blk.rule in out:
            continue
        if blk.sense == "eq" or np.any(tight[blk.slice]):
            out.add(blk.rule)
    for name, vb in lp.blocks.items():
        if name.startswith("slack:") and np.any(v[vb.slice] > 1e-9):
            out.add(name.split(":", 1)[1])
    x = lp.anchor + v[lp.blocks["p"].slice] - v[lp.blocks["m"].slice]
    span = 1e-7 * np.maximum(1.0, np.abs(x))
    for rec in lp.bound_records:
        if rec.rule in out or rec.cells.size == 0:
            continue
        bound = (lp.cell_lo if rec.side == "lower" else lp.cell_hi)[rec.cells]
        if np.any(np.abs(x[rec.cells] - bound) <= span[rec.cells]):
            out.add(rec.rule)
    return out


def _active_formula_rules(problem: Problem, X: np.ndarray) -> set[str]:
    """The rules that hold a formula result's amounts X (T, n) where they are: every rule but
    the hard, one-year unit bounds that no amount sits on as the only rule setting that bound."""
    tol = 0.5 * max(problem.unit, 1e-6)
    simple = [r for r in problem.rules if r.unit_bound and not r.follows_years and not r.soft]
    out = {r.name for r in problem.rules} - {r.name for r in simple}
    for side, base, better in (("lower", 0.0, np.fmax), ("upper", np.inf, np.fmin)):
        arrays = [(r, getattr(r, side)) for r in simple if getattr(r, side) is not None]
        if not arrays:
            continue
        best = np.full(X.shape, base)
        for _, arr in arrays:
            best = better(best, arr)
        # how many rules (and the base bound, 0 or +inf) set the combined bound at each cell
        count = (best == base).astype(int)
        for _, arr in arrays:
            count += arr == best
        at = np.abs(X - best) <= tol
        for r, arr in arrays:
            if np.any((arr == best) & (count == 1) & at):
                out.add(r.name)
    return out
