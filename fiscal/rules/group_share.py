"""A group's share of the pool."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import Repair
from fiscal.prose.messages import Message
from fiscal.rules.base import (
    SOFT_FLOOR,
    Add,
    Context,
    Rule,
    scale_value,
)

if TYPE_CHECKING:
    from fiscal.builder import Builder
    from fiscal.problem import Problem

__all__ = ["GroupShare"]


@dataclass(eq=False)
class GroupShare(Rule):
    """Share of the pool going to a group of units: min_share·B ≤ Σ_group X ≤ max_share·B."""

    kind: ClassVar[str] = "group_share"
    formula_ok: ClassVar[bool] = False
    min_share: float | None = None
    max_share: float | None = None

    def cell_bounds(
        self, problem: Problem, b: Builder, *, elastic: bool
    ) -> list[tuple[str, np.ndarray]] | None:
        return None

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        return {"min_share": c.min_share, "max_share": c.max_share}

    def stage(self, problem: Problem) -> str | None:
        # a share of the pool over units' totals; soft: the full LP (see UnitBound.stage)
        return None if self.soft else "total"

    def rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        soft_cost = self.soft_cost(slack_cost)
        T = problem.T
        M = b.year_sum(mask=self.mask)
        pool = problem.envelope / b.scale
        for side, share in (("lower", self.min_share), ("upper", self.max_share)):
            if share is None:
                continue
            sgn = -1.0 if side == "lower" else 1.0
            extra = []
            if soft_cost is not None:
                extra = b.slack(
                    f"{self.name}:{side}",
                    T,
                    soft_cost / np.maximum(share * pool, SOFT_FLOOR * pool) / T,
                )
            b.x_rows(
                f"{self.name}:{side}",
                self.kind,
                self.name,
                sgn * M,
                "le",
                sgn * share * pool,
                (T,),
                extra,
                sign=sgn,
            )

    def rounding_minimum(self, problem: Problem, t: int, lo: np.ndarray) -> float:
        if self.min_share is None:
            return 0.0
        # the group's share, and what the units outside it must have
        need = float(problem.lower_whole(self.min_share * problem.envelope[t]))
        return need + float(np.sum(lo[~self.mask]))

    def repair_year(
        self,
        problem: Problem,
        R: np.ndarray,
        X: np.ndarray,
        pool: float,
        lo: np.ndarray,
        hi: np.ndarray,
        u: float,
    ) -> np.ndarray:
        """Move whole units into (or out of) the group where rounding broke its share."""
        R = R.copy()
        X = np.round(X / u, 6) * u  # as in the rounding: solver noise must not decide a tie
        inside = self.mask
        lo_r, hi_r = np.ceil(np.round(lo / u, 6)) * u, np.floor(np.round(hi / u, 6)) * u
        for side, share in (("min", self.min_share), ("max", self.max_share)):
            if share is None:
                continue
            need = (
                problem.lower_whole(share * pool)
                if side == "min"
                else problem.upper_whole(share * pool)
            )
            cur = R[inside].sum()
            if side == "min":
                steps = int(np.ceil(np.round((need - cur) / u, 6)))
                src, dst = ~inside, inside
            else:
                steps = int(np.ceil(np.round((cur - need) / u, 6)))
                src, dst = inside, ~inside
            for _ in range(max(steps, 0)):
                give = np.where(src & (R - u >= lo_r), R - X, -np.inf)  # most rounded-up first
                take = np.where(dst & (R + u <= hi_r), X - R, -np.inf)  # most rounded-down first
                i, j = int(np.argmax(give)), int(np.argmax(take))
                if not np.isfinite(give[i]) or not np.isfinite(take[j]):
                    break
                R[i] -= u
                R[j] += u
        return R

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        label = f"{self.kind}: {self.name}"
        got = X[:, self.mask].sum(axis=1)
        if self.min_share is not None:
            need = problem.lower_whole(self.min_share * problem.envelope)
            add(label + " (min)", got < need, need - got, "group below its share")
        if self.max_share is not None:
            cap = problem.upper_whole(self.max_share * problem.envelope)
            add(label + " (max)", got > cap, got - cap, "group above its share")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        tol = 0.5 * max(problem.unit, 1e-6)
        got = X[:, self.mask].sum(axis=1)
        b = False
        for share in (self.min_share, self.max_share):
            if share is not None:
                b |= bool(np.any(np.abs(got - share * problem.envelope) <= tol * self.mask.sum()))
        return b, int(self.mask.sum()) if b else 0

    def violation(self, problem: Problem, X: np.ndarray, cells: np.ndarray) -> float:
        total = super().violation(problem, X, cells)
        got = X[:, self.mask].sum(axis=1)
        if self.min_share is not None:
            total += float(np.maximum(self.min_share * problem.envelope - got, 0).sum())
        if self.max_share is not None:
            total += float(np.maximum(got - self.max_share * problem.envelope, 0).sum())
        return total

    def conflicts(
        self, problem: Problem, t: int, year: int, lo: np.ndarray, hi: np.ndarray, pool: float
    ) -> list[str]:
        if self.soft or self.min_share is None:
            return []
        out: list[str] = []
        inside_hi = hi[t][self.mask].sum()
        outside_lo = lo[t][~self.mask].sum()
        want = self.min_share * pool
        if inside_hi < want:
            out.append(
                Message(
                    "infeasible.group_caps",
                    year=year,
                    rule=self.label_text,
                    want=float(want),
                    n=int(self.mask.sum()),
                    caps=float(inside_hi),
                )
            )
        if outside_lo > pool - want:
            out.append(
                Message(
                    "infeasible.group_floors",
                    year=year,
                    rule=self.label_text,
                    want=float(want),
                    floors=float(outside_lo),
                    rest=float(pool - want),
                )
            )
        return out

    @property
    def relax(self) -> str | None:
        return "down" if self.min_share is not None else None

    @property
    def main_value(self) -> float:
        return float(self.min_share) if self.min_share is not None else 0.0

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(
            self,
            min_share=None if self.min_share is None else min(1.0, self.min_share * theta),
            max_share=None if self.max_share is None else min(1.0, self.max_share * theta),
        )

    def repair(self, theta: float, path: str) -> Repair | None:
        if self.min_share is None:
            return None
        cur = self.min_share
        new = scale_value(cur, theta, down=True)
        return Repair(
            Message("repair.group_share", rule=self.term, new=new, current=cur),
            f"{path}.min_share",
            cur,
            new,
        )
