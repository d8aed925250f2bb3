"""``hold_harmless``: the base (a unit's resources, or one line) ≥ ratio × a reference: a column
of the unit table (``reference_column``), or with ``[sharing]`` the predecessors' summed
resources (what the old provinces had together)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.budget_rules.base import BudgetCheck, BudgetRuleKind, register, unit_column
from fiscal.errors import ModelError
from fiscal.prose.messages import Message

if TYPE_CHECKING:
    from fiscal.lines import Budget
    from fiscal.problem import Problem
    from fiscal.scenario_lines import BudgetRule

__all__ = ["HoldHarmless"]


@register
class HoldHarmless(BudgetRuleKind):
    """required = ratio × reference; measured = the base. Units without a reference (NaN: not
    merged from listed predecessors) are not judged."""

    kind = "hold_harmless"

    @classmethod
    def evaluate(cls, rule: BudgetRule, budget: Budget, problem: Problem) -> BudgetCheck:
        assert rule.ratio is not None
        base = budget.base(rule.base)
        if rule.reference_column is not None:
            reference = unit_column(problem, rule, "reference_column")
        elif problem.reference is not None:
            reference = np.asarray(problem.reference, dtype=float)
        else:
            raise ModelError(Message("budget.hold_harmless_reference", name=rule.name))
        ref = np.broadcast_to(reference, base.shape).copy()
        required = rule.ratio * ref
        measured = np.where(np.isfinite(ref), base, np.nan)
        detail = {"reference": ref}
        return BudgetCheck(rule.name, cls.kind, rule.base, "min", required, measured, rule, detail)
