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
    "CLAIM_KINDS",
    "blend_references",
    "claim_cap",
    "claims",
    "level_units",
    "paid_without_claim",
    "equity_value",
    "objective_value",
    "sector_split",
    "stability_change",
    "stability_value",
    "stability_weights",
]


#: the objectives that pay only units with a claim (see :func:`claims`)
CLAIM_KINDS = ("need_gap", "shortfall_minimax", "stability", "blend")


def claims(problem: Problem, kind: str) -> np.ndarray:
    """Which units (n,) an objective has a reason to pay: a gap in some year (need_gap,
    shortfall_minimax), a baseline (stability, whose measure is the change against it), either
    (blend). Other objectives: every unit."""
    gap = problem.gap.sum(axis=0) > 0
    base = problem.baseline > 0
    if kind in ("need_gap", "shortfall_minimax"):
        return gap
    if kind == "stability":
        return base
    if kind == "blend":
        return gap | base
    return np.ones(problem.n, dtype=bool)


def claim_cap(problem: Problem, kind: str) -> np.ndarray | None:
    """Upper bounds (T, n) on what an objective pays a unit beyond the hard rules' lower bound
    (a floor, a per-capita minimum), +inf where its claim is open; None when every unit's claim
    is open (or none has one).

    A unit without a claim (:func:`claims`) gets its lower bound; under ``blend``, a unit with a
    gap but no baseline claims its gap (equity asks for it; stability, which measures change
    against the baseline, has no say), so it gets at most the larger of its gap and its bound.
    """
    if kind not in CLAIM_KINDS:
        return None
    has = claims(problem, kind)
    lo, _ = problem.bounds(include_soft=False)
    if kind == "blend":
        no_base = problem.baseline <= 0
        if not no_base.any() or no_base.all():
            return None
        return np.where(no_base[None, :], np.maximum(lo, problem.gap), np.inf)
    if has.all() or not has.any():
        return None
    return np.where(has[None, :], np.inf, lo)


def paid_without_claim(problem: Problem, kind: str, X: np.ndarray) -> bool:
    """Whether amounts X (T, n) pay a unit without a claim more than the rules force."""
    cap = claim_cap(problem, kind)
    return cap is not None and bool(np.any(X > cap + 0.5 * problem.unit))


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
    """1 / max(X⁰, 1 % of max(mean X⁰, B₁/n, 1)): relative change, safe for zero baselines."""
    X0 = problem.baseline
    floor = 0.01 * max(X0.mean(), problem.envelope[0] / problem.n, 1.0)
    return 1.0 / np.maximum(X0, floor)


def _relative_change(problem: Problem, X: np.ndarray) -> np.ndarray:
    """|X[t] − X[t−1]| / max(X⁰, floor) per year and unit (X[0] = baseline)."""
    prev = np.vstack([problem.baseline[None, :], X[:-1]])
    return np.abs(X - prev) * stability_weights(problem)[None, :]


def level_units(problem: Problem) -> np.ndarray:
    """The units (n,) whose relative change sets stability's level: those with a baseline
    (all units when none has one). The others have no claim (:func:`claims`)."""
    base = problem.baseline > 0
    return base if base.any() else np.ones(problem.n, dtype=bool)


def stability_value(problem: Problem, X: np.ndarray) -> float:
    """stability objective at unit amounts X (T, n): mean over years of the largest relative
    change of a unit with a baseline (what ``stability`` minimises first;
    :func:`stability_change` second)."""
    change = _relative_change(problem, X)[:, level_units(problem)]
    return float(change.max(axis=1).mean())


def stability_change(problem: Problem, X: np.ndarray) -> float:
    """Mean relative change over units and years (stability's second stage: the relative L1)."""
    T, n = problem.T, problem.n
    return float(_relative_change(problem, X).sum() / (n * T))


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
