"""stability without an LP, where its optimum is the even path (issue 12, point 2).

``stability`` minimises, year after year, the largest relative change
``w_i·|X[t,i] − X[t−1,i]|`` of a unit with a baseline (``X[0] = X⁰``, ``w_i = 1 / max(X⁰_i,
floor)``: :func:`fiscal.objectives.stability_weights`), lexicographically (leximin), then the
relative L1 of the changes, then the tie-break. The LP solves it with several HiGHS solves
(:func:`fiscal.tiebreak.leximin`).

Where the envelope (``Σ X[t] = E_t``) is the only coupling, one path is the unique optimum
whenever it meets the bounds: the **even path**

    X[t] = X⁰ + (E_t − ΣX⁰) · d,   d_i = (1/w_i) / Σ_j (1/w_j),

on which every unit moves by the same relative amount each year. Proof: in any feasible path
the year's change adds up to ``D_t = E_t − E_{t−1}`` (``E_0 = ΣX⁰``), so
``|D_t| ≤ Σ |ΔX_i| ≤ z_t · Σ 1/w_i`` bounds each year's level from below, ``z_t ≥ |D_t| /
Σ 1/w``, independently of every other year. The even path meets each bound with equality, so
it minimises Σ z_t; and equality in both inequalities forces every unit to move by exactly
``sign(D_t) · z_t / w_i``: no other path is optimal. The LP's later stages (leximin, L1,
tie-break) then have nothing left to choose, and the LP's table is this one.

Units without a baseline (when some have one) have no claim: :mod:`fiscal.claims` holds them at
their lower bound when the LP's optimum pays them more, and the even path is that of the others
with what is left of each envelope (the same proof, ``E_t`` less the held units' bounds). If
the first optimum already pays them nothing beyond their bound, it is feasible for the held
problem and optimal there, hence that same unique path.

Where a bound (a floor, a cap, a per-capita minimum, the first year's transition band) cuts the
even path, the units held at it and the others' shared level interact across years (a cap in
year 2 can make it worth moving less in year 1), the optimum may not be unique, and the LP
decides: :func:`even_path` says why. So does an ``at_most`` envelope (spending less may
change less).
"""

from __future__ import annotations

import numpy as np

from fiscal.objectives import level_units, stability_weights
from fiscal.problem import Problem

__all__ = ["even_path", "year_levels"]


def even_path(problem: Problem) -> tuple[np.ndarray | None, str | None]:
    """The unit amounts X (T, n) of the even path, if it is the stability optimum of
    ``problem`` (see the module docstring), else None and the reason."""
    if problem.mode != "equal":
        return None, "the envelope is an upper limit (at_most): stability may spend less"
    base = problem.baseline
    level = level_units(problem)  # those with a baseline (all when none has one)
    lo, hi = problem.bounds()
    if np.any(lo > hi):
        return None, "a unit's lower bound is above its upper bound (the LP's diagnosis explains)"
    # the others have no claim: held at their lower bound (fiscal.claims), the rest of each
    # year's envelope is the level units'
    X = np.where(level[None, :], 0.0, lo)
    pool = problem.envelope - X.sum(axis=1)
    share = np.where(level, 1.0 / stability_weights(problem), 0.0)  # max(X⁰, floor)
    d = share / share.sum()
    even = base[None, :] + (pool - float(base[level].sum()))[:, None] * d[None, :]
    X = np.where(level[None, :], even, X)
    cut = (X < lo) | (X > hi) | (X < 0)
    if np.any(cut):
        t, i = np.argwhere(cut)[0]
        return None, (
            f"a bound cuts the even path (unit {int(i) + 1}, year {int(t) + 1}): the units at "
            "their bounds and the others' level couple the years"
        )
    return X, None


def year_levels(problem: Problem, X: np.ndarray) -> np.ndarray:
    """Each year's largest relative change (T,) of a unit with a baseline, on amounts X (T, n)."""
    prev = np.vstack([problem.baseline[None, :], X[:-1]])
    change = np.abs(X - prev) * stability_weights(problem)[None, :]
    return change[:, level_units(problem)].max(axis=1)
