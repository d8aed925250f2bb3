"""``debt_ceiling``: outstanding local debt ≤ 120 % of revenue kept for a unit that does not
receive a balancing transfer, ≤ 80 % for one that does (Law 89/2025/QH15 Art. 7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.budget_rules.base import BudgetCheck, BudgetRuleKind, register, unit_column
from fiscal.sharing import RECEIVING

if TYPE_CHECKING:
    from fiscal.lines import Budget
    from fiscal.problem import Problem
    from fiscal.scenario_lines import BudgetRule

__all__ = ["DebtCeiling"]


@register
class DebtCeiling(BudgetRuleKind):
    """required = ratio (by fiscal class) × revenue kept; measured = ``debt_column`` (NaN
    without one: the ceiling alone is reported)."""

    kind = "debt_ceiling"

    @classmethod
    def evaluate(cls, rule: BudgetRule, budget: Budget, problem: Problem) -> BudgetCheck:
        receiving = np.asarray(budget.fiscal_class == RECEIVING, dtype=bool)
        ratio = np.where(receiving, rule.ratio_receiving, rule.ratio_other)
        required = ratio[None, :] * budget.kept
        measured = np.full_like(required, np.nan)
        if rule.debt_column is not None:
            debt = unit_column(problem, rule, "debt_column")
            measured = np.broadcast_to(debt, required.shape).copy()
        detail = {"ratio": np.broadcast_to(ratio, required.shape).copy(), "kept": budget.kept}
        return BudgetCheck(rule.name, cls.kind, "total", "max", required, measured, rule, detail)
