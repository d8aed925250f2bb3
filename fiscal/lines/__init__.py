"""Transfer lines: each ``[lines.<name>]`` of a scenario allocated after the balancing
transfer, and a unit's whole budget (revenue kept + all lines).

:func:`allocate_lines` takes a solved :class:`fiscal.results.Result` (its transfer is the
balancing line) and returns a :class:`Budget`: one :class:`LineAmounts` per line, in the
scenario's order, each with its amounts, eligibility, the units whose real amount the line
states, and the figures behind each amount. The allocation rules live one per module
(``fixed``, ``formula``, ``cofinance``, ``optimise``, ``top_up``; :mod:`fiscal.lines.base` says how to add
one); the whole-budget rules are :mod:`fiscal.budget_rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal.errors import ModelError
from fiscal.lines import (  # noqa: F401  (register the rules)
    cofinance,
    fixed,
    formula,
    optimise,
    points,
    top_up,
)
from fiscal.lines.amounts import known_amounts
from fiscal.lines.base import RULES, LineContext, LineRule, Shares, register
from fiscal.lines.budget import BALANCING, Budget, LineAmounts
from fiscal.lines.priority import assess as assess_priority
from fiscal.prose.messages import Message, suffixed
from fiscal.sharing import RECEIVING, classify

if TYPE_CHECKING:
    from fiscal.results import Result
    from fiscal.scenario_lines import Line

__all__ = [
    "BALANCING",
    "CAPITAL_REVENUE",
    "RULES",
    "Budget",
    "LineAmounts",
    "LineContext",
    "LineRule",
    "Shares",
    "add_budget",
    "allocate_lines",
    "capital_revenue",
    "eligibility",
    "has_lines",
    "register",
]


def has_lines(scenario: object) -> bool:
    """Whether a scenario has lines besides the balancing transfer, or whole-budget rules."""
    lines = getattr(scenario, "lines", None)
    return bool((lines is not None and lines.others) or getattr(scenario, "budget_rules", []))


def eligibility(line: Line, ctx: LineContext) -> np.ndarray:
    """(n,) which units may receive ``line`` (its ``eligible`` class and ``units`` list)."""
    receiving = ctx.receiving
    if line.eligible in ("merged", "merged_receiving"):
        if "merged" not in ctx.frame:
            raise ModelError(
                Message("lines.merged_column", where=ctx.where, eligible=line.eligible)
            )
        merged = ctx.frame["merged"].astype(str).str.lower().isin(["yes", "true", "1"]).to_numpy()
        mask = merged if line.eligible == "merged" else merged & receiving
    elif line.eligible == "receiving":
        mask = receiving
    elif line.eligible == "non_receiving":
        mask = ~receiving
    else:
        mask = np.ones(ctx.n, dtype=bool)
    if line.units:
        unknown = sorted(set(line.units) - set(ctx.codes))
        if unknown:
            raise ModelError(Message("lines.unknown_units", where=ctx.where, units=unknown[:5]))
        mask = mask & np.isin(ctx.codes, line.units)
    return np.asarray(mask, dtype=bool)


#: columns of revenue a unit keeps outside the A/B/C gap (earmarked for capital)
CAPITAL_REVENUE = ("revenue_land", "revenue_lottery")


def capital_revenue(result: Result) -> np.ndarray:
    """(T, n) land-use fees kept and lottery (the unit table's ``revenue_land`` and
    ``revenue_lottery``, 0 where absent), grown as revenue grows (``[capacity]``)."""
    problem = result.problem
    frame = problem.frame
    first = np.zeros(problem.n)
    for col in CAPITAL_REVENUE:
        if col in frame:
            first = first + np.nan_to_num(frame[col].to_numpy(dtype=float))
    growth = (1.0 + result.scenario.capacity.revenue_growth) ** np.arange(problem.T)
    return growth[:, None] * first[None, :]


def _fiscal_class(result: Result, balancing: np.ndarray) -> np.ndarray:
    table = result.year_table()
    if "fiscal_class" in table:
        return table["fiscal_class"].astype(str).to_numpy()
    frame = result.problem.frame
    if "sharing_rate" in frame:
        rate = frame["sharing_rate"].to_numpy(dtype=float)
        return classify(rate, balancing[0])
    return np.where(balancing[0] > 0, RECEIVING, "unknown").astype(object)


def allocate_lines(result: Result, solve: Callable[..., Any] | None = None) -> Budget:
    """The whole budget of a province-level result: its balancing transfer (and merger
    support, if its rules pay one), then each ``[lines.<name>]`` in order. ``solve`` solves a
    line's problem where its rule optimises (:func:`fiscal.pipeline.run_problem`)."""
    problem = result.problem
    scenario = result.scenario
    T, n = problem.T, problem.n
    table = result.table
    transfer = table["transfer"].to_numpy(dtype=float).reshape(T, n)
    support = table["merger_support"].to_numpy(dtype=float).reshape(T, n)
    capacity = np.broadcast_to(np.asarray(problem.capacity, dtype=float), (T, n)).copy()
    kept = capacity + capital_revenue(result)
    codes = problem.codes.astype(str)
    fclass = _fiscal_class(result, transfer)
    ones = np.ones(n, dtype=bool)
    env0 = problem.envelope_total
    lines = [
        LineAmounts(
            BALANCING,
            "balancing",
            transfer,
            ones,
            np.zeros(n, dtype=bool),
            {},
            float(env0[0] - support[0].sum()) if env0 is not None else None,
            problem.units.illustrative,
            scenario.envelope.source,
            None,
        )
    ]
    if support.any():
        lines.append(
            LineAmounts(
                "merger_support_rule",
                "rule",
                support,
                support[0] > 0,
                np.zeros(n, dtype=bool),
                {},
                float(support[0].sum()),
                False,
                "the scenario's merger_support constraint",
                None,
            )
        )
    where_file = scenario.where_file
    others = scenario.lines.others if scenario.lines is not None else {}
    for name, line in others.items():
        earlier = sum((la.amount for la in lines), np.zeros((T, n)))
        ctx = LineContext(
            result=result,
            frame=problem.frame,
            codes=codes,
            years=list(problem.years),
            kept=kept,
            capacity=capacity,
            earlier=earlier,
            balancing=transfer,
            fiscal_class=fclass,
            population=problem.population,
            unit=problem.unit,
            base_dir=scenario.base_dir,
            where=suffixed(where_file, f": lines.{name}"),
            solve=solve,
        )
        if line.rule == "cofinance" and np.any(fclass == "unknown"):
            raise ModelError(Message("lines.cofinance_class", where=ctx.where))
        eligible = eligibility(line, ctx)
        if line.amounts or line.amounts_file:
            pinned, known = known_amounts(line, ctx)
        else:
            pinned, known = np.zeros(n, dtype=bool), np.zeros((T, n))
        prio = assess_priority(line, ctx, eligible)
        if prio is not None:
            ctx = replace(ctx, weight=prio.factor)
        shares = RULES[line.rule].allocate(line, ctx, eligible, pinned, known)
        parts = shares.parts if prio is None else shares.parts | prio.parts
        lines.append(
            LineAmounts(
                name,
                line.rule,
                shares.amount,
                eligible,
                pinned,
                parts,
                line.envelope,  # as stated (None: the line is what its rule gives)
                line.estimated or (line.priority is not None and line.priority.estimated),
                line.source or line.envelope_source,
                line,
            )
        )
    return Budget(
        codes=codes,
        names=problem.frame["name"].astype(str).to_numpy(),
        years=list(problem.years),
        kept=kept,
        fiscal_class=fclass,
        population=problem.population,
        lines=lines,
        capacity=capacity,
    )


def add_budget(result: Result, solve: Callable[..., Any] | None = None) -> Result:
    """Allocate the other lines of ``result``'s scenario after its balancing transfer, check
    the whole-budget rules, and add each line to the table (``line_<name>``,
    ``transfers_total``, ``resources_total``); in place. ``solve`` solves an optimised line
    (:func:`fiscal.pipeline.run_problem`)."""
    from fiscal.budget_rules import evaluate

    budget = allocate_lines(result, solve)
    budget.checks = evaluate(result.scenario, budget, result.problem)
    frame = budget.frame()
    table = result.table
    for col in frame.columns:
        if col.startswith("line_") and col != f"line_{BALANCING}":
            table[col] = frame[col].to_numpy()
    table["transfers_total"] = frame["transfers_total"].to_numpy()
    table["resources_total"] = frame["resources_total"].to_numpy()
    result.budget = budget
    return result
