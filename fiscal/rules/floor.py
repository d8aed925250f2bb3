"""The hold-harmless floor."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.grid import lower_grid
from fiscal.rules.base import (
    Context,
    Rule,
    per_year,
)
from fiscal.rules.bounds import RatioBound

if TYPE_CHECKING:
    from fiscal.problem import Problem

__all__ = ["Floor"]


@dataclass(eq=False)
class Floor(RatioBound):
    """Hold-harmless floor: X[t, i] ≥ ratio_t × baseline_i."""

    kind: ClassVar[str] = "floor"
    unit_floor: ClassVar[bool] = True
    relax_kind: ClassVar[str | None] = "down"

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        ratio = per_year(c.ratio, ctx.T)
        low = lower_grid(ratio[:, None] * ctx.baseline[None, :], ctx.unit, ctx.strict)
        return {"ratio": ratio, "lower": np.where(mask[None, :], low, np.nan)}

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(
            self, lower=self._exact(problem, theta), ratio=self.ratio * theta
        )
