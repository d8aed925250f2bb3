"""The transition limit: the largest yearly change of a unit's amount."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import Repair
from fiscal.flags import Flag
from fiscal.grid import lower_grid, upper_grid
from fiscal.rules.base import (
    SOFT_FLOOR,
    Add,
    Context,
    Mark,
    Rule,
    scale_value,
)
from fiscal.rules.bounds import UnitBound

if TYPE_CHECKING:
    from fiscal.lp import Builder
    from fiscal.problem import Problem

__all__ = ["Transition"]


@dataclass(eq=False)
class Transition(UnitBound):
    """Maximum yearly change: |X[t, i] − X[t−1, i]| ≤ max_change × X[t−1, i] (X[−1] = baseline).

    The first year is a band around the baseline (unit bounds); later years are rows.
    """

    kind: ClassVar[str] = "transition"
    follows_years: ClassVar[bool] = True
    flag_lower: ClassVar[Flag | None] = Flag.BAND  # held up or down by the band, either side
    flag_upper: ClassVar[Flag | None] = Flag.BAND
    relax_kind: ClassVar[str | None] = "up"
    max_change: float = 0.0

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        lo, hi = np.full((ctx.T, ctx.n), np.nan), np.full((ctx.T, ctx.n), np.nan)
        lo[0] = np.where(
            mask, lower_grid((1 - c.max_change) * ctx.baseline, ctx.unit, ctx.strict), np.nan
        )
        hi[0] = np.where(
            mask, upper_grid((1 + c.max_change) * ctx.baseline, ctx.unit, ctx.strict), np.nan
        )
        return {"max_change": c.max_change, "lower": lo, "upper": hi}

    def year_rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        """X[t] − (1+δ) X[t−1] ≤ 0 and (1−δ) X[t−1] − X[t] ≤ 0 for t ≥ 2."""
        T, n = problem.T, problem.n
        if T <= 1:
            return
        d = self.max_change
        units = np.flatnonzero(self.mask)
        rows_t = [(t, units) for t in range(1, T)]
        cur = np.concatenate([t * n + u for t, u in rows_t])
        prev = np.concatenate([(t - 1) * n + u for t, u in rows_t])
        Mcur, Mprev = b.unit_sum[cur], b.unit_sum[prev]
        soft_cost = self.soft_cost(slack_cost)
        for side, M in (("upper", Mcur - (1 + d) * Mprev), ("lower", (1 - d) * Mprev - Mcur)):
            extra = []
            if soft_cost is not None:
                ref = np.maximum(
                    d * problem.baseline[np.concatenate([u for _, u in rows_t])] / b.scale,
                    SOFT_FLOOR,
                )
                extra = b.slack(f"{self.name}:years:{side}", cur.size, soft_cost / ref / cur.size)
            b.x_rows(
                f"{self.name}:years:{side}",
                self.kind,
                self.name,
                M,
                "le",
                np.zeros(cur.size),
                (cur.size,),
                extra,
                sign=-1.0 if side == "lower" else 1.0,
            )

    def formula_band(self, prev: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        d = self.max_change
        return (
            np.where(self.mask, (1 - d) * prev, np.nan),
            np.where(self.mask, (1 + d) * prev, np.nan),
        )

    def rounding_band(
        self, problem: Problem, prev: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        d = self.max_change
        return problem.lower_whole((1 - d) * prev), problem.upper_whole((1 + d) * prev)

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        dlt = self.max_change
        prev = np.vstack([problem.baseline[None, :], X[:-1]])
        lo, hi = problem.lower_whole((1 - dlt) * prev), problem.upper_whole((1 + dlt) * prev)
        bad = ((X < lo) | (X > hi)) & self.mask[None, :]
        add(
            f"{self.kind}: {self.name}",
            bad,
            np.maximum(lo - X, X - hi),
            "yearly change above the limit",
        )

    def flags(self, problem: Problem, X: np.ndarray, mark: Mark, tol: float) -> None:
        prev = np.vstack([problem.baseline[None, :], X[:-1]])
        limit = self.max_change * prev
        hit = (
            (np.abs(np.abs(X - prev) - limit) <= tol + 1e-9 * prev)
            & self.mask[None, :]
            & (prev > 0)
        )
        mark(hit, Flag.BAND)

    def _hits(self, problem: Problem, X: np.ndarray) -> np.ndarray:
        hit = super()._hits(problem, X)
        if problem.T > 1:
            tol = 0.5 * max(problem.unit, 1e-6)
            prev = X[:-1]
            d = self.max_change
            hit[1:] |= (np.abs(np.abs(X[1:] - prev) - d * prev) <= tol) & self.mask[None, :]
        return hit

    @property
    def main_value(self) -> float:
        return float(self.max_change)

    def scaled(self, problem: Problem, theta: float) -> Rule:
        d = self.max_change * theta
        lo, hi = self.lower.copy(), self.upper.copy()  # type: ignore[union-attr]
        lo[0] = np.where(self.mask, (1 - d) * problem.baseline, np.nan)
        hi[0] = np.where(self.mask, (1 + d) * problem.baseline, np.nan)
        return dataclasses.replace(self, max_change=d, lower=lo, upper=hi)

    def repair(self, theta: float, path: str) -> Repair | None:
        cur = self.max_change
        new = scale_value(cur, theta, down=False)
        return Repair(
            f"allow yearly changes up to {new:.2%} in '{self.name}' (from {cur:.2%})",
            f"{path}.max_change",
            cur,
            new,
        )
