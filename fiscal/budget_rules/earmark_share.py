"""``earmark_share``: spending on a sector ≥ a share of the base (education and training ≥ 20 %,
Resolution 71-NQ/TW; science, technology, innovation and digital transformation ≥ 3 %,
Resolution 57-NQ/TW and NQ 246/2025/QH15), stated on a unit's total spending, not on a
transfer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.budget_rules.base import BudgetCheck, BudgetRuleKind, register, unit_column

if TYPE_CHECKING:
    from fiscal.lines import Budget
    from fiscal.problem import Problem
    from fiscal.scenario_lines import BudgetRule

__all__ = ["EarmarkShare"]


@register
class EarmarkShare(BudgetRuleKind):
    """required = min_share × base; measured = the lines tied to the sector + the unit table's
    ``spending_column`` (the unit's own planned spending on it), NaN when neither is given."""

    kind = "earmark_share"

    @classmethod
    def evaluate(cls, rule: BudgetRule, budget: Budget, problem: Problem) -> BudgetCheck:
        assert rule.min_share is not None
        base = budget.base(rule.base)
        required = rule.min_share * base
        tied = [la for la in budget.lines if la.sector == rule.sector]
        tied_sum = sum((la.amount for la in tied), np.zeros_like(base))
        measured = np.full_like(base, np.nan)
        detail = {"base": base, "tied": tied_sum}
        if rule.spending_column is not None:
            own = unit_column(problem, rule, "spending_column")
            measured = tied_sum + own[None, :]
            detail["own"] = np.broadcast_to(own, base.shape).copy()
        elif tied:
            measured = tied_sum
        return BudgetCheck(rule.name, cls.kind, rule.base, "min", required, measured, rule, detail)
