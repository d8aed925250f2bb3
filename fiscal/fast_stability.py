"""stability without an LP, where its optimum is the even path (issue 12, point 2).

``stability`` minimises, year after year, the largest relative change
``w_i·|X[t,i] − X[t−1,i]|`` of a unit with a baseline (``X[0] = X⁰``, ``w_i = 1 / max(X⁰_i,
floor)``: :func:`fiscal.objectives.stability_weights`), lexicographically (leximin), then the
relative L1 of the changes, then the tie-break. The LP solves it with several HiGHS solves
(:func:`fiscal.face.leximin`).

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

Every unit must have a baseline, or none (then every unit sets the level, from 0). Units
without one beside units with one have no claim: :mod:`fiscal.claims` holds them at their lower
bound only if the LP's first optimum pays them more than half a rounding unit, and that first
optimum (where they absorb the envelope's change at no cost to the level) is one vertex of a
degenerate face, not a function of the input: a generated case with a rounding unit of 1,000
on an envelope of 1,000 had HiGHS and CBC return different tables. The LP decides there.

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
    has = base > 0
    if has.any() and not has.all():
        return None, (
            "some units have no baseline: whether the LP's first optimum pays them (its "
            "second solve, fiscal.claims) depends on the vertex it finds"
        )
    lo, hi = problem.bounds()
    share = 1.0 / stability_weights(problem)  # max(X⁰, floor)
    d = share / share.sum()
    X = base[None, :] + (problem.envelope - float(base.sum()))[:, None] * d[None, :]
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
