"""Why each number: a unit's waterfall, from its formula amount to its final allocation.

Formula amount → the objective's own reallocation (or, under the formula, the scaling that pays
for protections) → the effect of each rule, added in the scenario's order → solver precision →
rounding → merger support → final amount. Each step is a record, :class:`Step` (kind, rule,
amount); its words, in English or Vietnamese, come from :mod:`fiscal.prose.labels` through
:func:`fiscal.prose.step_label`, and the story in words from :func:`fiscal.prose.story`.

The stages (every unit's amounts after each step) are computed once per result
(``Result.stages``); for an optimising objective, with one re-solve per rule that moves the
previous stage's optimum (:func:`_rule_stages`), none for a rule that optimum already meets.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fiscal.errors import ModelError
from fiscal.flags import FlagMark
from fiscal.lines.facts import UnitBudget, unit_budget
from fiscal.mechanism import AbcFacts, abc_facts
from fiscal.model import rule_holds
from fiscal.prose.messages import Message
from fiscal.prose.words import final_label, step_label, story
from fiscal.reference import allocate_cells

if TYPE_CHECKING:
    from fiscal.problem import Problem, Rule
    from fiscal.results import Result

__all__ = ["Facts", "Stage", "Step", "StepKind", "Waterfall", "stages", "waterfall"]


class StepKind(enum.Enum):
    """What a waterfall step is (the words: :data:`fiscal.prose.labels.STEPS`)."""

    FORMULA = "formula"  # the pure formula amount: envelope × gap share (the first step)
    SCALING = "scaling"  # the formula objective: every amount scaled to pay for protections
    OBJECTIVE = "objective"  # an optimising objective's own reallocation, without rules
    RULE = "rule"  # one rule's effect
    OTHER = "other"  # the formula objective: protections no one rule holds
    PRECISION = "precision"  # the solver's precision (shown from half a million VND)
    ROUNDING = "rounding"  # rounding to the unit
    SUPPORT = "support"  # one-off merger support


@dataclass(frozen=True)
class Step:
    """One step of a waterfall: its kind, the rule (RULE steps), the change in million VND;
    ``detail`` is the rule's kind (RULE) or the objective's (OBJECTIVE); ``rule_vi`` the rule's
    Vietnamese name when the scenario gives one (``name_vi``)."""

    kind: StepKind
    rule: str
    amount: float
    detail: str = ""
    rule_vi: str = ""

    @property
    def is_rule(self) -> bool:
        return self.kind is StepKind.RULE

    def label(self, lang: str = "en") -> str:
        """'floor: hold-harmless', 'mức sàn (giữ mức năm gốc): hold-harmless'."""
        return step_label(self, lang)


@dataclass(frozen=True)
class Facts:
    """What a unit's story says besides its steps (million VND, one year)."""

    need: float
    capacity: float
    gap: float
    gap_share: float  # of all units' gaps
    envelope: float  # the pool the formula shares
    baseline: float
    per_capita: float  # resources per person, million VND
    share_of_need: float
    predecessors: list[str]  # more than one: a merged unit
    flags: list[FlagMark]  # the unit's flags in this year
    illustrative: bool
    abc: AbcFacts | None = None  # the A/B/C mechanism's figures ([sharing])
    basis_year: int | None = None  # last year's transfer came from another scenario's result
    budget: UnitBudget | None = None  # the whole budget by line ([lines.<name>], budget rules)


@dataclass(frozen=True)
class Waterfall:
    """The steps from a unit's formula amount to its final allocation (million VND)."""

    code: str
    name: str
    year: int
    steps: list[Step]  # the first is the formula amount
    final: float
    facts: Facts = field(repr=False)

    @property
    def text(self) -> str:
        """The waterfall in English words (:meth:`story` for another language)."""
        return story(self, "en")

    def story(self, lang: str = "en") -> str:
        """The waterfall in words, in ``lang``."""
        return story(self, lang)

    def rows(self, lang: str = "en") -> list[tuple[str, float]]:
        """(label, amount) of each step and of the final allocation, in ``lang``; amounts to the
        VND (six decimals of a million), so that a step of solver noise reads 0, not -1.9e-09."""
        rows = [(s.label(lang), s.amount) for s in self.steps] + [(final_label(lang), self.final)]
        return [(label, round(amount, 6) + 0.0) for label, amount in rows]

    def frame(self, lang: str = "en") -> pd.DataFrame:
        """The steps as a table: step (label), amount."""
        return pd.DataFrame(self.rows(lang), columns=["step", "amount"])


@dataclass(frozen=True)
class Stage:
    """Every unit's amounts (T, n) after one step."""

    kind: StepKind
    amounts: np.ndarray
    rule: str = ""
    detail: str = ""
    rule_vi: str = ""


def stages(result: Result) -> list[Stage]:
    """Unit amounts (T, n) after each stage (``Result.stages`` keeps them)."""
    problem = result.problem
    kind = result.objective_kind
    F = problem.pure_formula()
    out = [Stage(StepKind.FORMULA, F)]
    order = [r for r in problem.rules if r.in_waterfall]
    if kind == "formula":
        parts = result.formula_parts
        assert parts is not None, "a formula result carries its decomposition"
        scaled = parts.scale[:, None] * F
        out.append(Stage(StepKind.SCALING, scaled))
        # each unit's protection is credited to the rule whose bound it sits on
        current = scaled.copy()
        X = parts.amount
        moved = np.abs(X - scaled) > 1e-9 * np.maximum(1.0, np.abs(X))
        for r in order:
            hit = np.zeros_like(moved)
            for arr in (r.lower, r.upper):
                if arr is not None:
                    hit |= np.abs(np.nan_to_num(arr, nan=np.inf) - X) <= 1e-6 * np.maximum(
                        1.0, np.abs(X)
                    )
            take = moved & hit
            if r.follows_years and problem.T > 1:
                take |= moved & ~hit & (np.arange(problem.T)[:, None] > 0)
            current = np.where(take, X, current)
            moved &= ~take
            out.append(Stage(StepKind.RULE, current.copy(), r.name, r.kind, r.name_vi))
        if moved.any():
            out.append(Stage(StepKind.OTHER, np.where(moved, X, current)))
    else:
        out += _rule_stages(problem, kind, order, F, staged=result.method == "staged")
    # a direct (or staged) result's amounts are the LP's optimum exactly; its steps, like the
    # stages above, are told from the LP as HiGHS solves it (Result.reference), so that an
    # explanation does not depend on which path found the same table
    exact = result.reference.exact if result.method in ("direct", "staged") else result.exact
    out.append(Stage(StepKind.PRECISION, exact.sum(axis=1)))
    return out


def _rule_stages(
    problem: Problem, kind: str, order: list[Rule], F: np.ndarray, *, staged: bool = False
) -> list[Stage]:
    """The objective without the waterfall's rules, then each rule added in turn.

    A stage is re-solved only when the previous stage's optimum breaks the rule added: an
    optimum of a problem that already meets a further rule is the optimum with it (each stage
    of the solve — the primary, leximin, later stages, the tie-break — is convex, with a
    unique end point), so its amounts carry over. Where the units without a claim were held
    (:mod:`fiscal.claims`), the first optimum must meet the rule too and the rule must leave
    the hard lower bounds (which set the hold) as they are. So the waterfall of thousands of
    rules costs one solve per rule that moves money, not one per rule. ``staged``: each stage is
    solved in stages where :mod:`fiscal.staged` applies, as the pipeline solved the result.
    """
    names = {r.name for r in order}
    got = allocate_cells(problem.without_rules(names), kind, staged=staged)
    base = got.cells.sum(axis=1) if got is not None else F
    out = [Stage(StepKind.OBJECTIVE, base, detail=kind)]
    lo = problem.without_rules(names).bounds()[0]
    active: set[str] = set()
    for r in order:
        active.add(r.name)
        new_lo = lo
        if r.unit_bound and not r.soft and r.lower is not None:
            new_lo = np.fmax(lo, r.lower)
        same_lo = bool(np.array_equal(new_lo, lo))
        lo = new_lo
        carry = (
            got is not None
            and r.pool_effect() == (0.0, 0.0)
            and r.support() is None
            and rule_holds(problem, r, got.cells)
            and (got.unheld is None or (same_lo and rule_holds(problem, r, got.unheld)))
        )
        if not carry:
            got = allocate_cells(problem.without_rules(names - active), kind, staged=staged)
        if got is None:  # cannot happen for relaxations of a feasible problem
            amounts = out[-1].amounts
        else:
            amounts = got.cells.sum(axis=1)
        out.append(Stage(StepKind.RULE, amounts, r.name, r.kind, r.name_vi))
    return out


def waterfall(result: Result, code: str, year: int | None = None) -> Waterfall:
    """Formula amount → each rule's effect → rounding → final, for one unit."""
    problem = result.problem
    codes = list(map(str, problem.codes))
    if str(code) not in codes:
        close = [c for c in codes if c.lstrip("0") == str(code).lstrip("0")]
        if close:
            code = close[0]
        else:
            raise ModelError(Message("explain.no_unit", code=code, codes=", ".join(codes[:40])))
    i = codes.index(str(code))
    years = result.years
    year = years[0] if year is None else year
    if year not in years:
        raise ModelError(Message("explain.no_year", year=year, years=years))
    t = years.index(year)
    done = result.stages
    steps = [Step(StepKind.FORMULA, "", float(done[0].amounts[t, i]))]
    for stage, before in zip(done[1:], done[:-1], strict=True):
        delta = float(stage.amounts[t, i] - before.amounts[t, i])
        if stage.kind is StepKind.PRECISION and abs(delta) < 0.5:
            continue
        steps.append(Step(stage.kind, stage.rule, delta, stage.detail, stage.rule_vi))
    final_transfer = float(result.cells[t, :, i].sum())
    steps.append(Step(StepKind.ROUNDING, "", final_transfer - float(done[-1].amounts[t, i])))
    support = float(problem.support[i]) if t == 0 else 0.0
    if support:
        steps.append(Step(StepKind.SUPPORT, "", support))
    final = final_transfer + support
    table = result.table
    row = table[(table["year"] == year) & (table["code"] == codes[i])].iloc[0]
    frame = problem.frame
    preds = str(frame["predecessors"].iat[i]) if "predecessors" in frame else ""
    gap_total = problem.gap[t].sum()
    facts = Facts(
        need=float(row["need"]),
        capacity=float(row["capacity"]),
        gap=float(row["gap"]),
        gap_share=float(problem.gap[t, i] / gap_total) if gap_total > 0 else 0.0,
        envelope=float(problem.envelope[t]),
        baseline=float(row["baseline"]),
        per_capita=float(row["per_capita"]),
        share_of_need=float(row["share_of_need"]),
        predecessors=preds.split(";") if preds else [],
        flags=result.flags.at(t, i),
        illustrative=result.illustrative,
        abc=abc_facts(result, codes[i]),
        basis_year=year - 1
        if problem.scenario.lines is not None
        and problem.scenario.lines.balancing.baseline_from is not None
        else None,
        budget=None
        if result.budget is None
        else unit_budget(result.budget, problem.frame, codes[i], year),
    )
    return Waterfall(codes[i], str(row["name"]), year, steps, final, facts)
