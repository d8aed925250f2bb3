"""One unit's whole budget as plain figures (:class:`UnitBudget`), for its story in words
(:func:`fiscal.prose.budget_story`) and the app's Why-this-number by line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from fiscal.lines.budget import Budget

__all__ = ["LineFact", "RuleFact", "UnitBudget", "unit_budget"]


@dataclass(frozen=True)
class LineFact:
    """One line of one unit (million VND): its amount and how its rule got there."""

    name: str
    label: str
    label_vi: str
    rule: str
    amount: float
    eligible: bool
    eligibility: str  # the line's ``eligible`` setting
    known: bool  # the amount is the real one the line states
    envelope: float | None
    line_total: float
    parts: dict[str, float]
    terms: list[tuple[float, float, str]]  # (rate, indicator value, indicator) of a formula
    fiscal_class: str
    objective: str
    source: str
    amounts_source: str
    estimated: bool
    source_vi: str = ""
    amounts_source_vi: str = ""


@dataclass(frozen=True)
class RuleFact:
    """One whole-budget rule of one unit: what it requires and what the unit has."""

    name: str
    kind: str
    base: str
    bound: str
    required: float
    measured: float  # NaN: not judged
    margin: float
    breach: bool
    sector: str | None
    ratio: float | None  # the debt ceiling's ratio for the unit's class
    share: float | None  # an earmark's minimum share of its base
    name_vi: str = ""


@dataclass(frozen=True)
class UnitBudget:
    """A unit's budget in one year: revenue kept + each line = resources, and its rules."""

    code: str
    name: str
    year: int
    fiscal_class: str
    kept: float  # all revenue kept, land fees and lottery included
    capital_revenue: float  # of which land fees and lottery
    lines: list[LineFact]
    rules: list[RuleFact]

    @property
    def transfers(self) -> float:
        return sum(la.amount for la in self.lines)

    @property
    def resources(self) -> float:
        return self.kept + self.transfers


def _terms(la: Any, frame: Any, i: int) -> list[tuple[float, float, str]]:
    settings = la.settings
    if settings is None or la.rule not in ("formula", "cofinance"):
        return []
    out = []
    for c in settings.criteria:
        value = float(frame[c.indicator].iat[i]) if c.indicator in frame else float("nan")
        out.append((float(c.rate), value, c.indicator))
    return out


def unit_budget(budget: Budget, frame: Any, code: str, year: int | None = None) -> UnitBudget:
    """The figures of unit ``code`` in ``year`` (the first by default)."""
    i = list(budget.codes).index(code)
    t = 0 if year is None else budget.years.index(year)
    lines = []
    for la in budget.lines:
        s = la.settings
        lines.append(
            LineFact(
                name=la.name,
                label=la.label,
                label_vi=(s.label_vi if s is not None else "") or "",
                rule=la.rule,
                amount=float(la.amount[t, i]),
                eligible=bool(la.eligible[i]),
                eligibility=s.eligible if s is not None else "all",
                known=bool(la.known[i]),
                envelope=la.envelope,
                line_total=float(la.amount[t].sum()),
                parts={k: float(np.asarray(v)[i]) for k, v in la.parts.items()},
                terms=_terms(la, frame, i),
                fiscal_class=str(budget.fiscal_class[i]),
                objective=s.objective if s is not None else "",
                source=la.source,
                amounts_source=(s.amounts_source if s is not None else "") or "",
                estimated=la.estimated,
                source_vi=(s.source_vi if s is not None else "") or "",
                amounts_source_vi=(s.amounts_source_vi if s is not None else "") or "",
            )
        )
    rules = []
    for c in budget.checks:
        ratio = c.detail.get("ratio")
        rules.append(
            RuleFact(
                name=c.name,
                kind=c.kind,
                base=c.base,
                bound=c.bound,
                required=float(c.required[t, i]),
                measured=float(c.measured[t, i]),
                margin=float(c.margin[t, i]),
                breach=bool(c.breach[t, i]),
                sector=c.setting.sector,
                ratio=None if ratio is None else float(ratio[t, i]),
                share=c.setting.min_share,
                name_vi=c.setting.name_vi,
            )
        )
    return UnitBudget(
        code=code,
        name=str(budget.names[i]),
        year=budget.years[t],
        fiscal_class=str(budget.fiscal_class[i]),
        kept=float(budget.kept[t, i]),
        capital_revenue=float(budget.capital_revenue[t, i]),
        lines=lines,
        rules=rules,
    )
