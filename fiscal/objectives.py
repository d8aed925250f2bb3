"""The objectives evaluated at an allocation, with numpy only (no LP, no SciPy).

The formula path, the re-check and the model's normalisers use these; :mod:`fiscal.model`
re-exports them. Importing this module stays cheap, so ``fiscal solve`` of a formula scenario
never loads SciPy.
"""

from __future__ import annotations

import numpy as np

from fiscal.formula import sector_weights
from fiscal.problem import Problem

__all__ = [
    "blend_references",
    "equity_value",
    "objective_value",
    "sector_split",
    "stability_value",
    "stability_weights",
]


def sector_split(problem: Problem) -> np.ndarray:
    """Weights (S,) that split a unit's amount into sectors (need shares raised to earmarks)."""
    return sector_weights(problem)


def equity_value(problem: Problem, X: np.ndarray, x: np.ndarray) -> float:
    """need_gap objective at cells x (T,S,n): mean over units and years of Σ_s|x−G_s|/N (+ surplus)."""
    T, n = problem.T, problem.n
    Gs = problem.gap[:, None, :] * problem.sector_share[None, :, None]
    dev = np.abs(x - Gs).sum(axis=1) / problem.need
    surplus = np.maximum(problem.capacity - problem.need, 0.0) / problem.need
    # a shortfall outside the gap: a unit that remits under the A/B/C mechanism (0 otherwise)
    outside = np.maximum(problem.need - problem.capacity - problem.gap, 0.0) / problem.need
    return float((dev + surplus + outside).sum() / (n * T))


def stability_weights(problem: Problem) -> np.ndarray:
    """1 / max(baseline, 1 % of the mean baseline): relative change, safe for zero baselines."""
    X0 = problem.baseline
    floor = 0.01 * max(X0.mean(), problem.envelope[0] / problem.n, 1.0)
    return 1.0 / np.maximum(X0, floor)


def stability_value(problem: Problem, X: np.ndarray) -> float:
    """stability objective at unit amounts X (T, n)."""
    T, n = problem.T, problem.n
    prev = np.vstack([problem.baseline[None, :], X[:-1]])
    return float((np.abs(X - prev) * stability_weights(problem)[None, :]).sum() / (n * T))


def objective_value(
    problem: Problem, kind: str, X: np.ndarray, x: np.ndarray, weight: float = 0.5
) -> float:
    """Any objective evaluated at an allocation, with numpy (the re-check and the formula use it)."""
    if kind == "need_gap":
        return equity_value(problem, X, x)
    if kind == "shortfall_minimax":
        R = problem.capacity + X
        return float(((problem.need - R) / problem.need).max(axis=1).mean())
    if kind == "per_capita_maximin":
        R = problem.capacity + X
        return float((R / problem.population[None, :]).min(axis=1).mean())
    if kind == "stability":
        return stability_value(problem, X)
    if kind == "blend":
        e_ref, s_ref = blend_references(problem)
        return (
            weight * equity_value(problem, X, x) / e_ref
            + (1 - weight) * stability_value(problem, X) / s_ref
        )
    raise ValueError(kind)


def blend_references(problem: Problem) -> tuple[float, float]:
    """Normalisers of the blend: equity at the baseline path, stability at the pure formula."""
    T = problem.T
    X0 = problem.baseline
    w = sector_split(problem)
    pool = problem.envelope
    Xb = (X0[None, :] * pool[:, None] / X0.sum()) if X0.sum() > 0 else problem.pure_formula()
    e_ref = equity_value(problem, Xb, Xb[:, None, :] * w[None, :, None])
    F = problem.pure_formula()
    s_ref = stability_value(problem, F)
    del T
    return max(e_ref, 1e-9), max(s_ref, 1e-9)
