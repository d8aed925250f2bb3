"""The transition limit: the largest yearly change of a unit's amount."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import Repair
from fiscal.flags import Flag
from fiscal.grid import lower_grid, upper_grid
from fiscal.prose.messages import Message, Term
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
    from fiscal.builder import Builder
    from fiscal.problem import Problem

__all__ = ["Transition"]


@dataclass(eq=False)
class Transition(UnitBound):
    """Maximum yearly change: |X[t, i] − X[t−1, i]| ≤ max_change × X[t−1, i] (X[−1] = baseline).

    On resources (``base = "resources"``) the same band holds for K + X, starting from last
    year's transfer plus the revenue kept at the rates in force. The first year is a band around
    the start (unit bounds); later years are rows.
    """

    kind: ClassVar[str] = "transition"
    bases: ClassVar[tuple[str, ...]] = ("transfer", "resources")
    follows_years: ClassVar[bool] = True
    flag_lower: ClassVar[Flag | None] = Flag.BAND  # held up or down by the band, either side
    flag_upper: ClassVar[Flag | None] = Flag.BAND
    relax_kind: ClassVar[str | None] = "up"
    max_change: float = 0.0
    start: np.ndarray | None = field(default=None, repr=False)  # (n,) last year's base amount
    offset: np.ndarray | None = field(default=None, repr=False)  # (T, n) K on resources, else 0

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        base = cls.base_of(c)
        ref, off = ctx.reference_of(base, Term(c.name, getattr(c, "name_vi", "") or None))
        start = np.asarray(ref[0], dtype=float)
        lo, hi = np.full((ctx.T, ctx.n), np.nan), np.full((ctx.T, ctx.n), np.nan)
        d = c.max_change
        lo[0] = np.where(mask, lower_grid((1 - d) * start - off[0], ctx.unit, ctx.strict), np.nan)
        high = upper_grid(np.maximum((1 + d) * start - off[0], 0.0), ctx.unit, ctx.strict)
        hi[0] = np.where(mask, high, np.nan)
        out: dict[str, Any] = {"max_change": d, "lower": lo, "upper": hi}
        if base != "transfer":
            out.update(start=start, offset=np.asarray(off, dtype=float))
        return out

    def _start(self, problem: Problem) -> np.ndarray:
        return problem.baseline if self.start is None else self.start

    def _off(self, problem: Problem) -> np.ndarray:
        return np.zeros((problem.T, problem.n)) if self.offset is None else self.offset

    def _previous(self, problem: Problem, X: np.ndarray) -> np.ndarray:
        """Last year's base amount of every year (T, n): the start, then K + X of the year before."""
        off = self._off(problem)
        return np.vstack([self._start(problem)[None, :], (X + off)[:-1]])

    def rate_bounds(self) -> list[tuple[str, str, np.ndarray]] | None:
        if self.start is None:
            return super().rate_bounds()
        d = self.max_change
        lo = np.where(self.mask, (1 - d) * self.start, np.nan)
        hi = np.where(self.mask, (1 + d) * self.start, np.nan)
        return [("lower", "resources", lo), ("upper", "resources", hi)]

    def year_rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        """X[t] − (1+δ) X[t−1] ≤ (1+δ) K[t−1] − K[t] and (1−δ) X[t−1] − X[t] ≤ K[t] − (1−δ) K[t−1]
        for t ≥ 2 (K = 0 on the transfer)."""
        T, n = problem.T, problem.n
        if T <= 1:
            return
        d = self.max_change
        units = np.flatnonzero(self.mask)
        rows_t = [(t, units) for t in range(1, T)]
        cur = np.concatenate([t * n + u for t, u in rows_t])
        prev = np.concatenate([(t - 1) * n + u for t, u in rows_t])
        off = self._off(problem).ravel() / b.scale
        Mcur, Mprev = b.unit_sum[cur], b.unit_sum[prev]
        soft_cost = self.soft_cost(slack_cost)
        sides = (
            ("upper", Mcur - (1 + d) * Mprev, (1 + d) * off[prev] - off[cur]),
            ("lower", (1 - d) * Mprev - Mcur, off[cur] - (1 - d) * off[prev]),
        )
        for side, M, rhs in sides:
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
                rhs,
                (cur.size,),
                extra,
                sign=-1.0 if side == "lower" else 1.0,
            )

    def _band(self, prev: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Year ``t``'s band on X from last year's X (exact)."""
        d = self.max_change
        if self.offset is None:
            return (1 - d) * prev, (1 + d) * prev
        before = prev + self.offset[t - 1]
        return (1 - d) * before - self.offset[t], np.maximum((1 + d) * before - self.offset[t], 0.0)

    def formula_band(self, prev: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray] | None:
        lo, hi = self._band(prev, t)
        return np.where(self.mask, lo, np.nan), np.where(self.mask, hi, np.nan)

    def rounding_band(
        self, problem: Problem, prev: np.ndarray, t: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        lo, hi = self._band(prev, t)
        return problem.lower_whole(lo), problem.upper_whole(hi)

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        dlt = self.max_change
        prev = self._previous(problem, X)
        off = self._off(problem)
        lo = problem.lower_whole((1 - dlt) * prev - off)
        hi = problem.upper_whole(np.maximum((1 + dlt) * prev - off, 0.0))
        bad = ((X < lo) | (X > hi)) & self.mask[None, :]
        add(
            f"{self.kind}: {self.name}",
            bad,
            np.maximum(lo - X, X - hi),
            "yearly change above the limit",
        )

    def flags(self, problem: Problem, X: np.ndarray, mark: Mark, tol: float) -> None:
        prev = self._previous(problem, X)
        amount = X + self._off(problem)
        limit = self.max_change * prev
        hit = (
            (np.abs(np.abs(amount - prev) - limit) <= tol + 1e-9 * prev)
            & self.mask[None, :]
            & (prev > 0)
        )
        mark(hit, Flag.BAND)

    def _hits(self, problem: Problem, X: np.ndarray) -> np.ndarray:
        hit = super()._hits(problem, X)
        if problem.T > 1:
            tol = 0.5 * max(problem.unit, 1e-6)
            amount = X + self._off(problem)
            prev = amount[:-1]
            d = self.max_change
            hit[1:] |= (np.abs(np.abs(amount[1:] - prev) - d * prev) <= tol) & self.mask[None, :]
        return hit

    @property
    def main_value(self) -> float:
        return float(self.max_change)

    def scaled(self, problem: Problem, theta: float) -> Rule:
        d = self.max_change * theta
        lo, hi = self.lower.copy(), self.upper.copy()  # type: ignore[union-attr]
        start, off = self._start(problem), self._off(problem)[0]
        lo[0] = np.where(self.mask, (1 - d) * start - off, np.nan)
        hi[0] = np.where(self.mask, np.maximum((1 + d) * start - off, 0.0), np.nan)
        return dataclasses.replace(self, max_change=d, lower=lo, upper=hi)

    def repair(self, theta: float, path: str) -> Repair | None:
        cur = self.max_change
        new = scale_value(cur, theta, down=False)
        return Repair(
            Message("repair.transition", rule=self.term, new=new, current=cur),
            f"{path}.max_change",
            cur,
            new,
        )
