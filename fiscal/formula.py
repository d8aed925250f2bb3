"""The status-quo formula allocation, with floors and caps applied by damping.

Each year the pool is first shared in proportion to the gaps, F_i = B · G_i / Σ G (the
*formula amount*). Protected units are then raised to their floors (or held at their caps) and
the cost is recovered by scaling every unprotected unit's formula amount by one common factor
k, iterated until nothing changes. The fixed point of that damping iteration is

    X_i = clip(k · F_i, L_i, U_i)   with k such that Σ_i X_i = B,

which is what :func:`damp` computes directly (bisection on the monotone Σ_i clip(k·F_i), then
an exact linear correction). L and U combine the hard floors, per-capita minimums, caps and the
transition band around last year's amount.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fiscal.errors import ModelError
from fiscal.problem import Problem
from fiscal.prose.messages import Message

__all__ = [
    "Conflict",
    "FormulaResult",
    "damp",
    "formula_allocation",
    "sector_weights",
]


@dataclass
class FormulaResult:
    """Amounts (T, n) and their decomposition; ``x`` is split by sector, shape (T, S, n)."""

    formula: np.ndarray  # pure formula amount F
    scale: np.ndarray  # (T,) the common factor k
    amount: np.ndarray  # X after protections (T, n)
    x: np.ndarray  # (T, S, n)
    lower: np.ndarray  # the bounds that were applied (T, n)
    upper: np.ndarray


class Conflict(Exception):
    """Bounds that cannot meet the pool (caught by the pipeline, explained in fiscal.diagnosis)."""

    def __init__(self, year_index: int, need_low: float, allow_high: float, pool: float):
        super().__init__(year_index, need_low, allow_high, pool)
        self.year_index, self.need_low, self.allow_high, self.pool = (
            year_index,
            need_low,
            allow_high,
            pool,
        )


def damp(
    F: np.ndarray, lo: np.ndarray, hi: np.ndarray, pool: float, mode: str = "equal"
) -> tuple[np.ndarray, float]:
    """The damped allocation clip(k·F, lo, hi) summing to ``pool``; returns (X, k).

    Raises :class:`Conflict` when Σ lo > pool, or Σ hi < pool with mode 'equal'.
    """
    lo_sum, hi_sum = lo.sum(), hi.sum()
    tol = 1e-9 * max(1.0, pool)
    if lo_sum > pool + tol or (mode == "equal" and hi_sum < pool - tol):
        raise Conflict(-1, lo_sum, hi_sum, pool)

    def h(k: float) -> float:
        return float(np.clip(k * F, lo, hi).sum())

    if mode == "at_most" and h(1.0) <= pool:
        return np.clip(F, lo, hi), 1.0
    # bracket k
    k_lo, k_hi = 0.0, 1.0
    while h(k_hi) < pool and k_hi < 1e12:
        k_hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (k_lo + k_hi)
        if h(mid) < pool:
            k_lo = mid
        else:
            k_hi = mid
        if k_hi - k_lo <= 1e-15 * max(1.0, k_hi):
            break
    k = k_hi
    X = np.clip(k * F, lo, hi)
    # exact correction on the free units (strictly inside their bounds)
    free = (k * F > lo) & (k * F < hi) & (F > 0)
    resid = pool - X.sum()
    if free.any() and abs(resid) > 0:
        X[free] += resid * F[free] / F[free].sum()
        k = k + resid / F[free].sum()
    elif abs(resid) > tol:
        # no free unit: the pool sits exactly where every unit is at a bound
        spare = np.where(resid > 0, hi - X, X - lo)
        spare = np.where(np.isfinite(spare), spare, 0.0)
        if spare.sum() > 0:
            X += np.sign(resid) * spare * min(1.0, abs(resid) / spare.sum())
    return X, k


def sector_weights(problem: Problem) -> np.ndarray:
    """How a unit's amount is split by sector under the formula: need shares, raised to earmarks."""
    w = problem.sector_share.astype(float).copy()
    minimums = [m for r in problem.rules if (m := r.min_sector_share()) is not None]
    if not minimums:
        return w
    floor = np.zeros_like(w)
    for sector, share in minimums:
        floor[sector] = max(floor[sector], share)
    raised = np.maximum(w, floor)
    fixed = raised > w
    rest = 1.0 - raised[fixed].sum()
    others = w[~fixed].sum()
    if others > 0:
        raised[~fixed] = w[~fixed] * rest / others
    return raised


def _soft_bounds(problem: Problem) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Combined lower and upper bounds of the soft bound-type rules (NaN where none)."""
    soft = [r for r in problem.rules if r.soft and r.unit_bound]
    if not soft:
        return None, None
    lo = np.full((problem.T, problem.n), np.nan)
    hi = np.full((problem.T, problem.n), np.nan)
    for r in soft:
        if r.lower is not None:
            lo = np.fmax(lo, r.lower)
        if r.upper is not None:
            hi = np.fmin(hi, r.upper)
    return lo, hi


def formula_allocation(problem: Problem, *, include_soft: bool = True) -> FormulaResult:
    """The formula allocation of every year (transition bands follow the previous year).

    Hard rules always hold. Soft rules hold as far as the envelope allows: their floors are
    raised (and caps tightened) by one common fraction θ of the way from the hard bounds, the
    largest θ that leaves the pool feasible.
    """
    unsupported = [r for r in problem.rules if not r.formula_ok]
    if unsupported:
        names = [r.label_text for r in unsupported]
        raise ModelError(Message("model.formula_cannot_apply", names=names))
    T, n = problem.T, problem.n
    F = problem.pure_formula()
    hard_lo, hard_hi = problem.bounds(include_soft=False)
    soft_lo, soft_hi = _soft_bounds(problem) if include_soft else (None, None)
    banded = [r for r in problem.rules if r.follows_years]
    X = np.zeros((T, n))
    k = np.ones(T)
    lo_used = np.zeros((T, n))
    hi_used = np.zeros((T, n))
    theta = np.ones(T)
    for t in range(T):
        lo, hi = hard_lo[t].copy(), hard_hi[t].copy()
        s_lo = None if soft_lo is None else soft_lo[t].copy()
        s_hi = None if soft_hi is None else soft_hi[t].copy()
        if t > 0:
            for r in banded:
                if r.soft and not include_soft:
                    continue
                band = r.formula_band(X[t - 1], t)
                if band is None:
                    continue
                lo_t, hi_t = band
                if r.soft:
                    assert s_lo is not None and s_hi is not None  # soft unit bounds exist
                    s_lo, s_hi = np.fmax(s_lo, lo_t), np.fmin(s_hi, hi_t)
                else:
                    lo, hi = np.fmax(lo, lo_t), np.fmin(hi, hi_t)
        if np.any(lo > hi + 1e-9 * np.maximum(1, np.abs(hi))):
            raise Conflict(t, float(lo.sum()), float(hi.sum()), float(problem.envelope[t]))
        pool = float(problem.envelope[t])

        def attempt(th: float, lo=lo, hi=hi, s_lo=s_lo, s_hi=s_hi, t=t, pool=pool):
            if s_lo is None:
                return damp(F[t], lo, hi, pool, problem.mode), lo, hi
            # soft rules bind as far as the envelope allows: floors raised by θ of their gap
            # above the hard bound, caps relaxed likewise
            a = np.where(np.isnan(s_lo), lo, np.maximum(lo, lo + th * (np.nan_to_num(s_lo) - lo)))
            b = np.where(
                np.isnan(s_hi),
                hi,
                np.minimum(
                    hi,
                    np.where(
                        np.isfinite(s_hi),
                        s_hi + (1 - th) * (np.where(np.isfinite(hi), hi, s_hi * 10) - s_hi),
                        hi,
                    ),
                ),
            )
            return damp(F[t], a, b, pool, problem.mode), a, b

        try:
            (X[t], k[t]), lo, hi = attempt(1.0)
        except Conflict as c:
            if s_lo is None:
                raise Conflict(t, c.need_low, c.allow_high, c.pool) from None
            try:
                (X[t], k[t]), lo, hi = attempt(0.0)
            except Conflict as c0:
                raise Conflict(t, c0.need_low, c0.allow_high, c0.pool) from None
            good, bad = 0.0, 1.0
            for _ in range(60):
                mid = 0.5 * (good + bad)
                try:
                    attempt(mid)
                    good = mid
                except Conflict:
                    bad = mid
            theta[t] = good
            (X[t], k[t]), lo, hi = attempt(good)
        lo_used[t], hi_used[t] = lo, hi
    w = sector_weights(problem)
    x = X[:, None, :] * w[None, :, None]
    return FormulaResult(F, k, X, x, lo_used, hi_used)
