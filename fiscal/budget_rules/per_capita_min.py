"""``per_capita_min``: the base (a unit's resources, or one line) ≥ amount × population."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.budget_rules.base import BudgetCheck, BudgetRuleKind, register

if TYPE_CHECKING:
    from fiscal.lines import Budget
    from fiscal.problem import Problem
    from fiscal.scenario_lines import BudgetRule

__all__ = ["PerCapitaMinimum"]


@register
class PerCapitaMinimum(BudgetRuleKind):
    """required = amount (million VND per person) × population; measured = the base."""

    kind = "per_capita_min"

    @classmethod
    def evaluate(cls, rule: BudgetRule, budget: Budget, problem: Problem) -> BudgetCheck:
        assert rule.amount is not None
        base = budget.base(rule.base)
        required = np.broadcast_to(rule.amount * budget.population, base.shape).copy()
        detail = {"population": np.broadcast_to(budget.population, base.shape).copy()}
        return BudgetCheck(rule.name, cls.kind, rule.base, "min", required, base, rule, detail)
