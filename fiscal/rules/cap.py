"""The growth cap."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.grid import upper_grid
from fiscal.rules.base import (
    Context,
    Rule,
    per_year,
)
from fiscal.rules.bounds import RatioBound

if TYPE_CHECKING:
    from fiscal.problem import Problem

__all__ = ["Cap"]


@dataclass(eq=False)
class Cap(RatioBound):
    """Growth cap: X[t, i] ≤ ratio_t × baseline_i."""

    kind: ClassVar[str] = "cap"
    relax_kind: ClassVar[str | None] = "up"

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        ratio = per_year(c.ratio, ctx.T)
        high = upper_grid(ratio[:, None] * ctx.baseline[None, :], ctx.unit, ctx.strict)
        return {"ratio": ratio, "upper": np.where(mask[None, :], high, np.nan)}

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(
            self, upper=self._exact(problem, theta), ratio=self.ratio * theta
        )
