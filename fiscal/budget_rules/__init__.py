"""Rules on a unit's whole budget (``[[budget_rules]]``): one kind per module.

:func:`evaluate` checks each rule of a scenario against a :class:`fiscal.lines.Budget` and
returns one :class:`BudgetCheck` per rule: what each unit must have (``required``), what it has
(``measured``), the margin, and where the rule does not hold. Kinds: ``earmark_share``
(education ≥ 20 %, science and digital ≥ 3 % of total spending), ``debt_ceiling`` (by fiscal
class, Law 89/2025/QH15 Art. 7), ``per_capita_min`` and ``hold_harmless`` (on total resources or
one line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fiscal.budget_rules import debt_ceiling, earmark_share, hold_harmless, per_capita_min  # noqa: F401
from fiscal.budget_rules.base import KINDS, BudgetCheck, BudgetRuleKind, register

if TYPE_CHECKING:
    from fiscal.lines import Budget
    from fiscal.problem import Problem
    from fiscal.scenario import Scenario

__all__ = ["KINDS", "BudgetCheck", "BudgetRuleKind", "evaluate", "register"]


def evaluate(scenario: Scenario, budget: Budget, problem: Problem) -> list[BudgetCheck]:
    """Each ``[[budget_rules]]`` entry of ``scenario`` checked against ``budget``."""
    return [KINDS[r.kind].evaluate(r, budget, problem) for r in scenario.budget_rules]
