"""Today's Problem → the plain arrays of :mod:`fiscal.fastpath`, for the equivalence tests.

Temporary by design: once the rules are objects carrying their own bounds (branch s10-core),
the structure detection and this adapter move into the pipeline.
"""

from __future__ import annotations

import numpy as np

from fiscal import fastpath
from fiscal.formula import sector_weights
from fiscal.objectives import objective_value, stability_weights
from fiscal.problem import Problem

FAST_KINDS = ("shortfall_minimax", "per_capita_maximin", "need_gap", "stability")
BOUND_RULES = ("floor", "cap", "per_capita_min", "merger_support")


def why_not(problem: Problem, kind: str) -> str | None:
    """Why the fast path does not apply (None: it does)."""
    if kind not in FAST_KINDS:
        return f"objective {kind}"
    if kind == "stability" and problem.T > 1:
        return "stability over several years couples the years"
    for r in problem.rules:
        if r.kind == "transition" and problem.T > 1:
            return "transition over several years"
        if r.kind not in BOUND_RULES + ("transition",):
            return f"rule {r.kind}"
        if r.soft:
            return f"soft rule {r.name}"
    if kind == "per_capita_maximin" and not np.any(problem.population > 0):
        return "no unit has a population"
    return None


def fast_allocate(problem: Problem, kind: str | None = None) -> tuple[np.ndarray, float]:
    """(x (T, S, n), objective as the LP reports it) by the direct solvers.

    Raises ValueError where they do not apply and fastpath.Infeasible for infeasible bounds.
    """
    kind = kind or problem.scenario.objective.kind
    reason = why_not(problem, kind)
    if reason:
        raise ValueError(reason)
    lo, hi = problem.bounds()
    F = problem.pure_formula()
    w = sector_weights(problem)
    ref_unit = (F[:, None, :] * w[None, :, None]).sum(axis=1)
    scale = max(float(np.max(problem.envelope)), float(problem.baseline.sum()), 1.0) / problem.n
    X, levels = fastpath.solve_years(
        kind,
        lo,
        hi,
        problem.envelope,
        problem.mode,
        reference=ref_unit,
        weights=fastpath.tie_break_weights(ref_unit, problem.need, scale),
        need=problem.need,
        capacity=problem.capacity,
        gap=problem.gap,
        population=problem.population,
        baseline=problem.baseline,
        stability_weights=stability_weights(problem),
    )
    x = X[:, None, :] * w[None, :, None]
    if kind == "shortfall_minimax":
        objective = float(np.mean(1.0 - levels))
    elif kind == "per_capita_maximin":
        objective = float(np.mean(levels))
    else:
        objective = objective_value(problem, kind, X, x)
    return x, objective
