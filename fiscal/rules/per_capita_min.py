"""The per-capita minimum of resources."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import Repair
from fiscal.grid import lower_grid
from fiscal.prose.messages import Message
from fiscal.rules.base import (
    Context,
    Rule,
    per_year,
    scale_value,
)
from fiscal.rules.bounds import UnitBound

if TYPE_CHECKING:
    from fiscal.problem import Problem

__all__ = ["PerCapitaMin"]


@dataclass(eq=False)
class PerCapitaMin(UnitBound):
    """Per-capita minimum of resources: C[t, i] + X[t, i] ≥ amount_t × population_i."""

    kind: ClassVar[str] = "per_capita_min"
    bases: ClassVar[tuple[str, ...]] = ("resources",)
    unit_floor: ClassVar[bool] = True
    relax_kind: ClassVar[str | None] = "down"
    sweep_fields: ClassVar[tuple[str, ...]] = ("amount",)
    amount: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,) million VND per person

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        amount = per_year(c.amount, ctx.T)
        target = amount[:, None] * ctx.population[None, :]
        low = np.maximum(target - ctx.capacity, 0.0)
        return {
            "amount": amount,
            "lower": np.where(mask[None, :], lower_grid(low, ctx.unit, ctx.strict), np.nan),
            "target": np.where(mask[None, :], target, np.nan),
        }

    @property
    def main_value(self) -> float:
        return float(np.asarray(self.amount).ravel()[0])

    def scaled(self, problem: Problem, theta: float) -> Rule:
        amount = self.amount * theta
        target = amount[:, None] * problem.population[None, :]
        low = np.maximum(target - problem.capacity, 0.0)
        return dataclasses.replace(
            self,
            lower=np.where(self.mask[None, :], low, np.nan),
            amount=amount,
            target=np.where(self.mask[None, :], target, np.nan),
        )

    def repair(self, theta: float, path: str) -> Repair | None:
        cur = self.constraint.amount if self.constraint is not None else self.amount.tolist()
        new = scale_value(cur, theta, down=True, digits=4)
        return Repair(
            Message("repair.per_capita_min", rule=self.term, new=new, current=cur),
            f"{path}.amount",
            cur,
            new,
        )
