"""Inequality and need indices of a distribution (the formulas of :mod:`fiscal.metrics`).

Population-weighted Gini, Theil T and coefficient of variation, the max/min ratio, and the share
of need met and units below need with one tolerance (:data:`NEED_TOLERANCE`). Pure numpy
functions, shared by the metrics of the balancing line (:mod:`fiscal.metrics`) and of the whole
budget (:mod:`fiscal.metrics_budget`); :mod:`fiscal.metrics` re-exports them.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "NEED_TOLERANCE",
    "below_need",
    "cv",
    "gini",
    "max_min_ratio",
    "share_of_need_met",
    "theil",
]


def _weighted(y: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    if y.shape != w.shape:
        raise ValueError(f"values {y.shape} and weights {w.shape} differ in shape")
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite and non-negative")
    keep = w > 0
    return y[keep], w[keep]


def gini(y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Population-weighted Gini coefficient of y (0 = equal; (n−1)/n when one has everything).

    >>> gini([1, 2, 3, 4])
    0.25
    """
    y, w = _weighted(y, w)
    if y.size == 0:
        return float("nan")
    mean = np.average(y, weights=w)
    if mean == 0 or np.all(y == y[0]):
        return 0.0
    order = np.argsort(y, kind="stable")
    y, w = y[order], w[order]
    # Σ_i Σ_j w_i w_j |y_i − y_j| = 2 Σ_i w_i y_i (W_<i − W_>i) on sorted data
    cw = np.cumsum(w)
    W = cw[-1]
    below = cw - w
    above = W - cw
    total = 2.0 * np.sum(w * y * (below - above))
    # G ≥ 0; ties of unequal weight can leave a rounding residue of either sign (~1e-21)
    return float(max(total / (2.0 * W * W * mean), 0.0))


def theil(y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Population-weighted Theil T index of y (0 = equal); y must be non-negative."""
    y, w = _weighted(y, w)
    if y.size == 0:
        return float("nan")
    if np.any(y < 0):
        raise ValueError("the Theil index needs non-negative values")
    mean = np.average(y, weights=w)
    if mean == 0 or np.all(y == y[0]):
        return 0.0
    r = y / mean
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
    return float(max(np.sum(w / w.sum() * terms), 0.0))  # T ≥ 0 (Jensen); drop rounding residue


def cv(y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Population-weighted coefficient of variation of y (standard deviation over the mean)."""
    y, w = _weighted(y, w)
    if y.size == 0:
        return float("nan")
    mean = np.average(y, weights=w)
    return float(np.sqrt(np.average((y - mean) ** 2, weights=w)) / mean) if mean else float("nan")


def max_min_ratio(y: np.ndarray) -> float:
    """Largest over smallest value (inf when the smallest is zero)."""
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        return float("nan")
    return float(y.max() / y.min()) if y.min() > 0 else float("inf")


#: how far below its need (million VND) a unit's resources may be and still count as meeting it:
#: half the rounding unit of budget tables (whole million VND). One tolerance for every count
#: and share of need (the command line, compare, the app, Monte Carlo).
NEED_TOLERANCE = 0.5


def below_need(resources: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Which units' resources are below their need by more than :data:`NEED_TOLERANCE`."""
    return np.asarray(resources, float) < np.asarray(need, float) - NEED_TOLERANCE


def share_of_need_met(resources: np.ndarray, need: np.ndarray) -> float:
    """Σ min(R, N) / Σ N: the share of total need that resources cover; a unit within
    :data:`NEED_TOLERANCE` of its need covers it (so the share is 1 exactly when no unit is
    :func:`below_need`)."""
    resources, need = np.asarray(resources, float), np.asarray(need, float)
    covered = np.where(below_need(resources, need), resources, need)
    return float(np.minimum(covered, need).sum() / need.sum())
