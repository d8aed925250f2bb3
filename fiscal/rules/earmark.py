"""A sector earmark."""

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
    from fiscal.lp import Builder
    from fiscal.problem import Problem

__all__ = ["Earmark"]


@dataclass(eq=False)
class Earmark(Rule):
    """Sector earmark: Σ_i x[t, s, i] ≥ min_share × pool_t."""

    kind: ClassVar[str] = "earmark"
    relax_kind: ClassVar[str | None] = "down"
    sector: int = 0
    min_share: float = 0.0

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        return {"sector": ctx.sector_names.index(c.sector), "min_share": c.min_share}

    def cell_bounds(
        self, problem: Problem, b: Builder, *, elastic: bool
    ) -> list[tuple[str, np.ndarray]] | None:
        return None

    def stage(self, problem: Problem) -> str | None:
        # a hard earmark constrains only how totals split by sector; a soft one trades against
        # the objective, which the stages cannot separate
        return None if self.soft else "split"

    def rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        soft_cost = self.soft_cost(slack_cost)
        T = problem.T
        M = b.year_sum(mask=self.mask, sector=self.sector)
        rhs = self.min_share * problem.envelope / b.scale
        extra = []
        if soft_cost is not None:
            pool = problem.envelope / b.scale
            extra = b.slack(
                f"{self.name}:lower", T, soft_cost / np.maximum(rhs, SOFT_FLOOR * pool) / T
            )
        b.x_rows(f"{self.name}:lower", self.kind, self.name, -M, "le", -rhs, (T,), extra, sign=-1.0)

    def min_sector_share(self) -> tuple[int, float] | None:
        return self.sector, self.min_share

    def repair_cells(
        self,
        problem: Problem,
        out: np.ndarray,
        x: np.ndarray,
        cell_lo: np.ndarray,
        cell_hi: np.ndarray,
        u: float,
    ) -> np.ndarray:
        s = self.sector
        out = out.copy()
        x = np.round(x / u, 6) * u  # as in the rounding: solver noise must not decide a tie
        for t in range(out.shape[0]):
            need = problem.lower_whole(self.min_share * problem.envelope[t])
            steps = int(np.ceil(np.round((need - out[t, s, self.mask].sum()) / u, 6)))
            for _ in range(max(steps, 0)):
                # within one unit: move u from another sector (rounded up most) to sector s; only
                # units with another sector that can give u are candidates (else the loop stopped
                # at the first unit without one, leaving the earmark short)
                others_room = np.zeros(out.shape[2], dtype=bool)
                for k in range(out.shape[1]):
                    if k != s:
                        others_room |= out[t, k] - u >= cell_lo[t, k]
                room = self.mask & (out[t, s] + u <= cell_hi[t, s]) & others_room
                cand_i = np.where(room, x[t, s] - out[t, s], -np.inf)
                i = int(np.argmax(cand_i))
                if not np.isfinite(cand_i[i]):
                    break
                others = [
                    k
                    for k in range(out.shape[1])
                    if k != s and out[t, k, i] - u >= cell_lo[t, k, i]
                ]
                if not others:
                    break
                k = max(others, key=lambda k: out[t, k, i] - x[t, k, i])
                out[t, k, i] -= u
                out[t, s, i] += u
        return out

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        got = cells[:, self.sector, :][:, self.mask].sum(axis=1)
        need = problem.lower_whole(self.min_share * problem.envelope)
        add(f"{self.kind}: {self.name}", got < need, need - got, "sector below its earmark")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        tol = 0.5 * max(problem.unit, 1e-6)
        got = x[:, self.sector, :][:, self.mask].sum(axis=1)
        return bool(np.any(got - self.min_share * problem.envelope <= tol * problem.n)), 0

    def violation(self, problem: Problem, X: np.ndarray, cells: np.ndarray) -> float:
        got = cells[:, self.sector, :][:, self.mask].sum(axis=1)
        return float(np.maximum(np.floor(self.min_share * problem.envelope) - got, 0).sum())

    @property
    def main_value(self) -> float:
        return float(self.min_share)

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(self, min_share=self.min_share * theta)

    def repair(self, theta: float, path: str) -> Repair | None:
        cur = self.min_share
        new = scale_value(cur, theta, down=True)
        return Repair(
            Message("repair.earmark", rule=self.term, new=new, current=cur),
            f"{path}.min_share",
            cur,
            new,
        )
