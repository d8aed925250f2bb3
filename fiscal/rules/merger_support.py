"""One-off merger support."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.rules.base import (
    Add,
    Context,
    Rule,
)

if TYPE_CHECKING:
    from fiscal.problem import Problem

__all__ = ["MergerSupport"]


@dataclass(eq=False)
class MergerSupport(Rule):
    """One-off support per eliminated province and commune (NQ 76/2025/UBTVQH15), first year:
    paid inside the envelope (taken from the pool) or on top of it."""

    kind: ClassVar[str] = "merger_support"
    in_waterfall: ClassVar[bool] = False
    max_count: ClassVar[int | None] = 1
    placement: str = "on_top"
    amount: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) million VND

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        frame = ctx.frame
        amount = c.per_province * frame["eliminated_provinces"].to_numpy(dtype=float)
        amount += c.per_commune * frame["eliminated_communes"].to_numpy(dtype=float)
        eligible = mask & ((ctx.baseline > 0) if c.only_receiving else True)
        amount = np.where(eligible, amount, 0.0)
        amount = np.round(amount / ctx.unit) * ctx.unit
        return {"placement": c.placement, "amount": amount}

    def pool_effect(self) -> tuple[float, float]:
        total = self.amount.sum()
        return (total, 0.0) if self.placement == "inside" else (0.0, total)

    def stage(self, problem: Problem) -> str | None:
        return "total"

    def direct_ok(self, problem: Problem) -> bool:
        return True  # it moves the pool and pays apart; no bound, no row

    def rate_bounds(self) -> list[tuple[str, str, np.ndarray]] | None:
        return []  # paid apart from the balancing transfer (its pool effect is in the envelope)

    def support(self) -> np.ndarray | None:
        return self.amount

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        d = np.abs(support[0] - self.amount)
        add(f"{self.kind}: {self.name}", d > 0, d, "support differs from the rule")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        return bool(problem.support.sum() > 0), int((problem.support > 0).sum())

    def ledger_effect(self, codes: np.ndarray) -> tuple[float, list[str], list[str]] | None:
        benefits = codes[self.amount > 0].tolist()
        pays = [] if self.placement == "on_top" else ["all units (inside the envelope)"]
        return float(self.amount.sum()), benefits, pays
