"""What a whole-budget rule gives (:class:`BudgetCheck`) and how a kind registers.

A whole-budget rule compares, for each unit and year, a measured amount with what the rule
requires: a minimum (earmark, per-capita minimum, hold-harmless: measured ≥ required) or a
ceiling (debt: measured ≤ required). ``base`` says what the rule is stated on: ``total`` (revenue
kept + all lines) or one line. A kind is one module of this package: a :class:`BudgetRuleKind`
with ``kind`` and :meth:`~BudgetRuleKind.evaluate`, registered by :func:`register`.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from fiscal.errors import ModelError
from fiscal.prose.messages import Message

if TYPE_CHECKING:
    from fiscal.lines import Budget
    from fiscal.problem import Problem
    from fiscal.scenario_lines import BudgetRule

__all__ = ["KINDS", "BudgetCheck", "BudgetRuleKind", "register", "unit_column"]

#: an amount this far (million VND) past its bound is a breach; rounding to whole million VND
#: can leave a bound stated in fractions half a unit away
TOLERANCE = 0.5 + 1e-6


@dataclass
class BudgetCheck:
    """One whole-budget rule over all units and years (million VND, shapes (T, n)).

    ``measured`` is NaN where the unit's figure is not known (no debt column, no spending tied
    to the sector): the rule then states ``required`` only and judges nothing.
    """

    name: str
    kind: str
    base: str
    bound: str  # "min" (measured ≥ required) or "max" (measured ≤ required)
    required: np.ndarray
    measured: np.ndarray
    setting: BudgetRule
    detail: dict[str, np.ndarray]

    @property
    def judged(self) -> np.ndarray:
        return np.isfinite(self.measured)

    @property
    def margin(self) -> np.ndarray:
        """Room left (≥ 0 holds, < 0 is the shortfall or excess), NaN where not judged."""
        d = self.measured - self.required
        return d if self.bound == "min" else -d

    @property
    def breach(self) -> np.ndarray:
        """(T, n) where the rule does not hold."""
        m = self.margin
        return np.isfinite(m) & (m < -TOLERANCE)

    @property
    def holds(self) -> bool:
        return not self.breach.any()

    @property
    def shortfall(self) -> np.ndarray:
        """(T, n) how much more (min) or less (max) would make the rule hold, 0 where it does."""
        m = np.nan_to_num(self.margin, nan=0.0)
        return np.where(self.breach, -m, 0.0)


class BudgetRuleKind(ABC):
    """A whole-budget rule kind. Subclasses set ``kind`` and implement :meth:`evaluate`."""

    kind: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def evaluate(cls, rule: BudgetRule, budget: Budget, problem: Problem) -> BudgetCheck:
        """The rule ``rule`` of this kind over every unit and year of ``budget``."""


KINDS: dict[str, type[BudgetRuleKind]] = {}


def register(cls: type[BudgetRuleKind]) -> type[BudgetRuleKind]:
    """Class decorator: make ``cls`` the kind ``cls.kind`` of ``[[budget_rules]]``."""
    if inspect.isabstract(cls):
        raise TypeError(
            f"{cls.__name__} must implement {', '.join(sorted(cls.__abstractmethods__))}"
        )
    KINDS[cls.kind] = cls
    return cls


def unit_column(problem: Problem, rule: BudgetRule, setting: str) -> np.ndarray:
    """The unit table's column (n,) that ``rule``'s ``setting`` (``debt_column``, ...) names;
    refused, naming the rule and the setting, where the table has no such column."""
    column = getattr(rule, setting)
    if column not in problem.frame:
        raise ModelError(Message("budget.column", name=rule.name, setting=setting, column=column))
    return problem.frame[column].to_numpy(dtype=float)
