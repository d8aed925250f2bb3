"""Equity and protection metrics of an allocation.

Inequality is measured on resources per person (capacity + allocation, divided by population),
weighted by population, so that a province of 14 million counts 14 million times:

* Gini  G = Σ_i Σ_j p_i p_j |y_i − y_j| / (2 P² ȳ)
* Theil T = Σ_i (p_i / P) (y_i / ȳ) ln(y_i / ȳ)
* coefficient of variation = weighted standard deviation / ȳ
* max/min ratio of y

with p the population, P = Σ p and ȳ = Σ p_i y_i / P. Need coverage: share of need met
Σ min(R, N) / Σ N and the number of units whose resources fall short of need. Protections:
units at a floor (or other lower rule) or at a cap, and the money given to protected units above
their formula amount.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = ["cv", "gini", "max_min_ratio", "summary", "theil"]


def _weighted(y: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    if y.shape != w.shape:
        raise ValueError(f"values {y.shape} and weights {w.shape} differ in shape")
    keep = w > 0
    return y[keep], w[keep]


def gini(y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Population-weighted Gini coefficient of y (0 = equal)."""
    y, w = _weighted(y, w)
    if y.size == 0:
        return float("nan")
    mean = np.average(y, weights=w)
    if mean == 0:
        return 0.0
    order = np.argsort(y, kind="stable")
    y, w = y[order], w[order]
    # Σ_i Σ_j w_i w_j |y_i − y_j| = 2 Σ_i w_i y_i (W_<i − W_>i) on sorted data
    cw = np.cumsum(w)
    W = cw[-1]
    below = cw - w
    above = W - cw
    total = 2.0 * np.sum(w * y * (below - above))
    return float(total / (2.0 * W * W * mean))


def theil(y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Population-weighted Theil T index of y (0 = equal); y must be positive."""
    y, w = _weighted(y, w)
    if y.size == 0:
        return float("nan")
    if np.any(y <= 0):
        raise ValueError("the Theil index needs positive values")
    mean = np.average(y, weights=w)
    r = y / mean
    return float(np.sum(w / w.sum() * r * np.log(r)))


def cv(y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Population-weighted coefficient of variation of y."""
    y, w = _weighted(y, w)
    mean = np.average(y, weights=w)
    return float(np.sqrt(np.average((y - mean) ** 2, weights=w)) / mean) if mean else float("nan")


def max_min_ratio(y: np.ndarray) -> float:
    """Largest over smallest value."""
    y = np.asarray(y, dtype=float)
    return float(y.max() / y.min()) if y.size and y.min() > 0 else float("inf")


def summary(result: Result, year: int | None = None) -> dict[str, float]:
    """All metrics of one year of a result (the first year by default)."""
    t = result.year_table(year)
    pop = t["population"].to_numpy(dtype=float)
    res = t["resources"].to_numpy(dtype=float)
    need = t["need"].to_numpy(dtype=float)
    y = res / pop
    flags = t["flags"].astype(str)
    lower = flags.str.contains("at floor|at per_capita_min|at transition limit", regex=True)
    upper = flags.str.contains("at cap", regex=False)
    protected_extra = np.maximum(t["transfer"].to_numpy() - t["formula"].to_numpy(), 0.0)
    return {
        "total_allocation": float(t["allocation"].sum()),
        "gini": gini(y, pop),
        "theil": theil(y, pop),
        "cv": cv(y, pop),
        "max_min_ratio": max_min_ratio(y),
        "share_of_need_met": float(np.minimum(res, need).sum() / need.sum()),
        "units_below_need": int((res < need - 0.5).sum()),
        "units_at_floor": int(lower.sum()),
        "units_at_cap": int(upper.sum()),
        "protection_cost": float(protected_extra[lower.to_numpy()].sum()),
        "mean_abs_change_pct": float(np.nanmean(np.abs(t["change_pct"].to_numpy(dtype=float)))),
        "objective": float(result.objective) if result.objective is not None else float("nan"),
    }
