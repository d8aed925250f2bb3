"""The growth cap."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.rules.base import (
    Context,
    Rule,
)
from fiscal.rules.bounds import RatioBound

if TYPE_CHECKING:
    from fiscal.problem import Problem

__all__ = ["Cap"]


@dataclass(eq=False)
class Cap(RatioBound):
    """Growth cap: X[t, i] ≤ ratio_t × baseline_i (or on resources: ``base``)."""

    kind: ClassVar[str] = "cap"
    relax_kind: ClassVar[str | None] = "up"

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        return cls.bound_fields(c, ctx, mask, lower=False)

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(
            self,
            upper=self._exact(problem, theta),
            ratio=self.ratio * theta,
            target=self.scaled_target(theta),
        )
