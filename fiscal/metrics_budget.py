"""Metrics of the whole budget (issue 14): equity and need on total resources, each line's
total and the units breaching each whole-budget rule.

A scenario with transfer lines keeps every metric of :mod:`fiscal.metrics` on the balancing
line's base, resources = revenue kept as the gap counts it + the balancing transfer: that is
what the scenario's own objective and rules move, and what its floors, caps and hold-harmless
are written on (so its price of hold-harmless stays the price of its rule). It adds, on total
resources R = all revenue kept (land fees and lottery included) + every transfer line, per
person y = R / population:

* ``resources_total`` Σ R and ``transfers_total`` Σ of every line;
* ``gini_total``, ``theil_total``, ``cv_total``, ``max_min_ratio_total``,
  ``min_per_capita_total``: the formulas of :mod:`fiscal.metrics` on y;
* ``share_of_need_met_total`` Σ min(R, N) / Σ N and ``units_below_need_total`` against the
  scenario's need N (the same need as the balancing line's);
* ``units_breaching_rules``: units that breach at least one judged whole-budget rule;
* ``line_<name>``: each line's total; ``breaches_<rule>``: the units breaching each
  whole-budget rule, on the base that rule states (a hold-harmless rule on ``total`` is
  hold-harmless on total resources).

Hold-harmless against the predecessors (``units_held_harmless`` of ``[sharing]``) stays on the
balancing base only: the predecessors' land fees, lottery and other lines are not in our data,
so their total resources cannot be compared with a merged unit's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal.indices import below_need, cv, gini, max_min_ratio, share_of_need_met, theil

if TYPE_CHECKING:
    from fiscal.lines.budget import Budget
    from fiscal.results import Result

__all__ = [
    "LINE_PREFIX",
    "RULE_PREFIX",
    "budget_indicators",
    "line_key",
    "metric_names",
    "rule_key",
    "total_indicators",
]

#: the prefixes of the metrics named after a scenario's lines and whole-budget rules
LINE_PREFIX, RULE_PREFIX = "line_", "breaches_"


def line_key(name: str) -> str:
    """The metric of a line's total: ``line_<name>``."""
    return f"{LINE_PREFIX}{name}"


def rule_key(name: str) -> str:
    """The metric of the units breaching a whole-budget rule: ``breaches_<name>``."""
    return f"{RULE_PREFIX}{name}"


def total_indicators(budget: Budget, need: np.ndarray, k: int = 0) -> dict[str, float]:
    """The metrics of year index ``k`` of ``budget`` against ``need`` (n,); see the module doc."""
    res = np.asarray(budget.resources[k], float)
    pop = np.asarray(budget.population, float)
    need = np.asarray(need, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(pop > 0, res / np.where(pop > 0, pop, 1.0), np.nan)
    has = pop > 0
    y_pop, w = y[has], pop[has]
    out: dict[str, float] = {
        "resources_total": float(res.sum()),
        "transfers_total": float(budget.transfers[k].sum()),
        "gini_total": gini(y_pop, w),
        "theil_total": theil(y_pop, w),
        "cv_total": cv(y_pop, w),
        "max_min_ratio_total": max_min_ratio(y_pop),
        "min_per_capita_total": float(y_pop.min()) if y_pop.size else float("nan"),
        "share_of_need_met_total": share_of_need_met(res, need),
        "units_below_need_total": int(below_need(res, need).sum()),
    }
    breaching = np.zeros(res.shape, dtype=bool)
    per_rule: dict[str, float] = {}
    for check in budget.checks:
        b = np.asarray(check.breach[k], dtype=bool)
        breaching |= b
        per_rule[rule_key(check.name)] = int(b.sum())
    out["units_breaching_rules"] = int(breaching.sum())
    for la in budget.lines:
        out[line_key(la.name)] = float(la.amount[k].sum())
    return out | per_rule


def budget_indicators(result: Result, year: int | None = None) -> dict[str, float]:
    """The whole-budget metrics of one year of ``result`` (empty without transfer lines)."""
    budget = result.budget
    if budget is None:
        return {}
    year = result.years[0] if year is None else year
    k = result.years.index(year)
    t = result.table
    rows = t["year"].to_numpy() == year if len(result.years) > 1 else slice(None)
    return total_indicators(budget, t["need"].to_numpy(dtype=float)[rows], k)


def metric_names(source: Any) -> dict[str, tuple[str, str]]:
    """The (English, Vietnamese) names of the metrics named after lines and rules, from a
    :class:`~fiscal.lines.budget.Budget` or a scenario (its ``[lines.<name>]`` and
    ``[[budget_rules]]``): a line's total by the line's name ('Targeted transfers'), a rule's
    breaches as 'Units breaching: education'."""
    from fiscal.prose.budget import line_name, rule_name  # prose reads fiscal.metrics

    lines: list[tuple[str, str, str]] = []  # (name, label, label_vi)
    rules: list[tuple[str, str]] = []  # (name, name_vi)
    if hasattr(source, "lines") and isinstance(getattr(source, "lines", None), list):
        for la in source.lines:  # a Budget
            vi = la.settings.label_vi if la.settings is not None else ""
            lines.append((la.name, la.label, vi))
        rules = [(c.name, c.setting.name_vi) for c in source.checks]
    else:  # a Scenario
        lines.append(("balancing", "", ""))
        if source.lines is not None:
            for name, line in source.lines.others.items():
                lines.append((name, line.label, line.label_vi))
        rules = [(r.name, r.name_vi) for r in getattr(source, "budget_rules", [])]
        lines.append(("merger_support_rule", "", ""))
    out: dict[str, tuple[str, str]] = {}
    for name, label, vi in lines:
        out[line_key(name)] = (line_name(name, label, "", "en"), line_name(name, label, vi, "vi"))
    for name, vi in rules:
        out[rule_key(name)] = (
            f"Units breaching: {rule_name(name, vi, 'en')}",
            f"Đơn vị không đạt: {rule_name(name, vi, 'vi')}",
        )
    return out
