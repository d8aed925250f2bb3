"""Why each number: waterfalls, the constraint ledger and infeasibility repair.

* :func:`waterfall` — per unit: formula amount → the objective's own reallocation → the effect of
  each rule, added in the scenario's order → rounding → merger support → final amount.
* :func:`ledger` — per rule: binding or not, its dual value, its cost (the money it moves:
  the allocation is re-solved without the rule) with the units it benefits and the units that pay.
* :func:`diagnose` — for an infeasible scenario: which rules conflict, with amounts, and the
  smallest repairs (extra envelope from an elastic relaxation; the highest feasible floor ratio,
  per-capita minimum or share, or the lowest feasible cap, found by bisection).

Goal-seek (the value of one setting that meets a target) is :func:`fiscal.frontier.goal_seek`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fiscal.errors import InfeasibleError, ModelError, Repair, SolverError
from fiscal.formula import Conflict, formula_allocation, sector_weights
from fiscal.lp import LinearProgram, Solution
from fiscal.model import build
from fiscal.problem import Problem, Rule
from fiscal.rules import RULES
from fiscal.solve import solve
from fiscal.text import bn, mvnd
from fiscal.tiebreak import solve_lexicographic

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = [
    "Reference",
    "Waterfall",
    "allocate_exact",
    "diagnose",
    "envelope_repair",
    "feasible",
    "ledger",
    "reference",
    "waterfall",
    "without_rules",
]


# ----------------------------------------------------------------------------- helpers


def without_rules(problem: Problem, names: set[str]) -> Problem:
    """The same problem with the named rules removed (merger support: its money too)."""
    rules = [r for r in problem.rules if r.name not in names]
    dropped = [r for r in problem.rules if r.name in names]
    envelope, total, support = (
        problem.envelope.copy(),
        problem.envelope_total.copy(),
        problem.support,
    )
    for r in dropped:
        take, add = r.pool_effect()
        if take or add:
            envelope[0] += take
            total[0] -= add
        if r.support() is not None:
            support = np.zeros_like(problem.support)
    return dataclasses.replace(
        problem, rules=rules, envelope=envelope, envelope_total=total, support=support
    )


def _replace_rule(problem: Problem, rule: Rule) -> Problem:
    rules = [rule if r.name == rule.name else r for r in problem.rules]
    return dataclasses.replace(problem, rules=rules)


def allocate_exact(
    problem: Problem, objective: str | None = None, backend: str = "highs"
) -> np.ndarray | None:
    """Unrounded unit amounts (T, n) of a problem, or None if it is infeasible."""
    kind = objective or problem.scenario.objective.kind
    if kind == "formula":
        try:
            return formula_allocation(problem).amount
        except (Conflict, ModelError):
            return None
    lp = build(problem, kind)
    ref = problem.pure_formula()[:, None, :] * sector_weights(problem)[None, :, None]
    sol = solve_lexicographic(lp, ref, backend, time_limit=problem.scenario.solver.time_limit)
    if not sol.status.is_ok or sol.x is None:
        return None
    return np.maximum(lp.cells(sol.x), 0).sum(axis=1)


def feasible(problem: Problem) -> bool:
    """Whether the hard rules of ``problem`` can all hold (one LP solve, no tie-break)."""
    lp = build(problem, "need_gap")
    return solve(lp, "highs", time_limit=problem.scenario.solver.time_limit).status.is_ok


# ----------------------------------------------------------------------------- waterfall

# a waterfall step of a rule is labelled "<kind>: <name>"
RULE_STEPS = tuple(f"{kind}: " for kind, cls in RULES.items() if cls.in_waterfall)


@dataclass
class Waterfall:
    """The steps from a unit's formula amount to its final allocation (million VND)."""

    code: str
    name: str
    year: int
    steps: list[tuple[str, float]]  # (label, change); the first is the formula amount
    final: float
    text: str

    def frame(self) -> pd.DataFrame:
        rows = [(label, amount) for label, amount in self.steps] + [
            ("final allocation", self.final)
        ]
        return pd.DataFrame(rows, columns=["step", "amount"])


def _waterfall_stages(result: Result) -> list[tuple[str, np.ndarray]]:
    """Unit amounts (T, n) after each stage, cached on the result."""
    cache = result.__dict__.get("_stages")
    if cache is not None:
        return cache
    problem = result.problem
    kind = result.objective_kind
    F = problem.pure_formula()
    stages: list[tuple[str, np.ndarray]] = [("formula amount", F)]
    order = [r for r in problem.rules if r.in_waterfall]
    if kind == "formula":
        parts = result.formula_parts
        scaled = parts.scale[:, None] * F
        stages.append(("scaling to pay for protections", scaled))
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
            stages.append((f"{r.kind}: {r.name}", current.copy()))
        if moved.any():
            stages.append(("other protections", np.where(moved, X, current)))
    else:
        names = {r.name for r in order}
        base = allocate_exact(without_rules(problem, names), kind)
        stages.append((f"objective '{kind}' without rules", base if base is not None else F))
        active: set[str] = set()
        for r in order:
            active.add(r.name)
            rest = names - active
            amounts = allocate_exact(without_rules(problem, rest), kind)
            if amounts is None:  # cannot happen for relaxations of a feasible problem
                amounts = stages[-1][1]
            stages.append((f"{r.kind}: {r.name}", amounts))
    exact = result.exact.sum(axis=1)
    stages.append(("solver precision", exact))
    result.__dict__["_stages"] = stages
    return stages


def waterfall(result: Result, code: str, year: int | None = None) -> Waterfall:
    """Formula amount → each rule's effect → rounding → final, for one unit, in numbers and words."""
    problem = result.problem
    codes = list(map(str, problem.codes))
    if str(code) not in codes:
        close = [c for c in codes if c.lstrip("0") == str(code).lstrip("0")]
        if close:
            code = close[0]
        else:
            raise ModelError(f"unit '{code}' is not in this result; codes: {', '.join(codes[:40])}")
    i = codes.index(str(code))
    years = result.years
    year = years[0] if year is None else year
    if year not in years:
        raise ModelError(f"year {year} is not in this result (years: {years})")
    t = years.index(year)
    stages = _waterfall_stages(result)
    steps: list[tuple[str, float]] = [(stages[0][0], float(stages[0][1][t, i]))]
    for (label, amounts), (_, before) in zip(stages[1:], stages[:-1], strict=True):
        delta = float(amounts[t, i] - before[t, i])
        if label == "solver precision" and abs(delta) < 0.5:
            continue
        steps.append((label, delta))
    final_transfer = float(result.cells[t, :, i].sum())
    steps.append(("rounding to the unit", final_transfer - float(stages[-1][1][t, i])))
    support = float(problem.support[i]) if t == 0 else 0.0
    if support:
        steps.append(("one-off merger support", support))
    final = final_transfer + support
    row = result.table[(result.table["year"] == year) & (result.table["code"] == codes[i])].iloc[0]
    text = _story(result, row, steps, final, t, i)
    return Waterfall(codes[i], str(row["name"]), year, steps, final, text)


def _story(result: Result, row: pd.Series, steps, final: float, t: int, i: int) -> str:
    problem = result.problem
    frame = problem.frame
    name = row["name"]
    preds = str(frame["predecessors"].iat[i]) if "predecessors" in frame else ""
    merged = ";" in preds
    lines = []
    head = f"{name} ({row['code']}), {row['year']}"
    if merged:
        head += f": merged from {preds.replace(';', ', ')}"
    lines.append(head + ".")
    gap_total = problem.gap[t].sum()
    share = problem.gap[t, i] / gap_total if gap_total > 0 else 0.0
    lines.append(
        f"Need {mvnd(row['need'])} against a capacity of {mvnd(row['capacity'])} leaves a gap of "
        f"{mvnd(row['gap'])} ({share:.2%} of all gaps). The formula shares the "
        f"{bn(problem.envelope[t])} envelope in proportion to gaps: {mvnd(steps[0][1])}."
    )
    for label, delta in steps[1:]:
        if abs(delta) < 0.5:
            if label.startswith(RULE_STEPS):
                lines.append(f"{label}: does not change this unit's amount.")
            continue
        verb = "adds" if delta > 0 else "removes"
        lines.append(f"{label}: {verb} {mvnd(abs(delta))}.")
    base = row["baseline"]
    change = f"{(final - base) / base:+.1%}" if base > 0 else "no transfer last year"
    basis = "the predecessors' 2025 sum" if merged else "last year's transfer"
    lines.append(
        f"Final allocation {mvnd(final)}; against {basis} of {mvnd(base)}: {change}. "
        f"Resources per person: {row['per_capita']:.2f} million VND; {row['share_of_need']:.1%} of need."
    )
    if row.get("flags"):
        lines.append(f"Flags: {row['flags']}.")
    if result.illustrative:
        lines.append("Note: this dataset uses illustrative (estimated) fiscal figures.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- ledger


@dataclass(frozen=True)
class Reference:
    """A result's problem as the reference backend (HiGHS) solves it: the model, its solution,
    the unrounded cells (T, S, n) and the reported objective."""

    lp: LinearProgram | None
    solution: Solution | None
    exact: np.ndarray
    objective: float | None

    def rule_duals(self) -> dict[str, float]:
        """Σ of the dual values of each rule's rows and bounds, objective per million VND."""
        if self.lp is None or self.solution is None:
            return {}
        return self.lp.rule_duals(self.solution)


def reference(result: Result) -> Reference:
    """``result``'s problem as the reference backend (HiGHS) solves it: what explanations use.

    Two solvers reach the same optimum only to within their tolerances: the unrounded amounts
    and the duals of a PuLP solve differ from HiGHS's in the 8th-9th significant digit (the
    rounded allocation does not). So that an explanation or an export does not depend on the
    backend that found the allocation, the ledger and the reported objective of a PuLP result
    come from the same problem solved by HiGHS (one extra solve, cached on the result).
    """
    if result.lp is None or result.backend == "highs":
        return Reference(result.lp, result.solution, result.exact, result.objective)
    ref = result.__dict__.get("_reference")
    if ref is None:
        problem, kind = result.problem, result.objective_kind
        scen = problem.scenario
        lp = build(problem, kind)
        target = None
        if scen.objective.tie_break:
            target = problem.pure_formula()[:, None, :] * sector_weights(problem)[None, :, None]
        sol = solve_lexicographic(lp, target, "highs", time_limit=scen.solver.time_limit)
        if not sol.status.is_ok or sol.x is None:
            raise SolverError(
                f"the reference solve (HiGHS) of '{scen.name}' failed "
                f"({sol.status.value}, {sol.message}); try --backend highs"
            )
        ref = Reference(lp, sol, np.maximum(lp.cells(sol.x), 0.0), lp.reported_objective(sol.x))
        result.__dict__["_reference"] = ref
    return ref


def ledger(result: Result) -> pd.DataFrame:
    """Per rule: binding, dual (objective per million VND), cost, beneficiaries and payers.

    Computed from the HiGHS solution of the problem (see :func:`reference`). ``violation`` is
    how far a soft rule gives way (million VND; 0 for hard rules, which the re-check enforces).
    """
    ref = reference(result)
    problem = result.problem
    duals = ref.rule_duals()
    X = ref.exact.sum(axis=1)
    codes = np.asarray(problem.codes)
    rows = []
    env_dual = duals.get("envelope", np.nan)
    rows.append(
        {
            "name": "envelope",
            "kind": "envelope",
            "hard": True,
            "binding": problem.mode == "equal"
            or bool(np.any(np.abs(X.sum(axis=1) - problem.envelope) <= problem.unit)),
            "units_binding": problem.n,
            "dual": env_dual,
            "cost": np.nan,
            "violation": 0.0,
            "benefits": "",
            "pays": "",
            "description": f"Σ transfers = {bn(problem.envelope[0])}"
            + (
                f" in {problem.years[0]}" if problem.T == 1 else f" in {problem.years[0]} (growing)"
            ),
        }
    )
    unit = problem.unit
    X_round = result.table["transfer"].to_numpy(dtype=float).reshape(problem.T, problem.n)
    for r in problem.rules:
        binding, nb = r.binding(problem, X, ref.exact)
        known = r.ledger_effect(codes)
        if known is not None:
            moved, benefits, pays = known
        else:
            other = allocate_exact(without_rules(problem, {r.name}), result.objective_kind)
            if other is None:
                moved, benefits, pays = np.nan, [], []
            else:
                diff = (X - other)[0] if problem.T == 1 else (X - other).sum(axis=0)
                moved = float(np.abs(X - other).sum() / 2.0)
                if moved < unit:
                    moved = 0.0
                order = np.argsort(-diff)
                benefits = [str(codes[j]) for j in order if diff[j] >= unit][:50]
                pays = [str(codes[j]) for j in order[::-1] if diff[j] <= -unit][:50]
        rows.append(
            {
                "name": r.name,
                "kind": r.kind,
                "hard": not r.soft,
                "binding": binding,
                "units_binding": nb,
                "dual": duals.get(r.name, np.nan),
                "cost": moved,
                "violation": r.violation(problem, X_round, result.cells) if r.soft else 0.0,
                "benefits": ";".join(map(str, benefits)),
                "pays": ";".join(map(str, pays)),
                "description": r.description,
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- infeasibility


def _bisect(ok: Callable[[float], bool], good: float, bad: float, iters: int = 40) -> float:
    """The θ closest to ``bad`` for which ok(θ) holds, given ok(good) and not ok(bad)."""
    for _ in range(iters):
        mid = 0.5 * (good + bad)
        if ok(mid):
            good = mid
        else:
            bad = mid
        if abs(good - bad) <= 1e-7 * max(1.0, abs(good)):
            break
    return good


def envelope_repair(problem: Problem) -> np.ndarray | None:
    """The per-year envelope change that makes the rules hold (elastic relaxation)."""
    relaxed = build(problem, "need_gap").with_row_slack("envelope")
    if relaxed is None:
        return None
    lp2, first = relaxed
    T = problem.T
    sol = solve(lp2, "highs", time_limit=problem.scenario.solver.time_limit)
    if not sol.status.is_ok or sol.x is None:
        return None
    up = sol.x[first : first + T]
    down = sol.x[first + T :]
    return (up - down) * lp2.scale


def _conflicts(problem: Problem) -> list[str]:
    """Plain-words statements of what cannot hold, with amounts."""
    out = []
    lo, hi = problem.bounds()
    names_lo: dict[str, np.ndarray] = {}
    for r in problem.rules:
        if not r.unit_bound or r.soft or r.lower is None:
            continue
        names_lo[r.label] = np.nan_to_num(r.lower, nan=0.0)
    codes = problem.codes
    for t, year in enumerate(problem.years):
        pool = problem.envelope[t]
        bad_units = np.flatnonzero(lo[t] > hi[t] + 1e-9 * np.maximum(1, hi[t]))
        for i in bad_units[:5]:
            out.append(
                f"{year}, unit {codes[i]}: the lower rules require at least {mvnd(lo[t, i])} but "
                f"the upper rules allow at most {mvnd(hi[t, i])}"
            )
        for label, arr in names_lo.items():
            need = arr[t].sum()
            if need > pool + 0.5 * problem.unit:
                out.append(
                    f"{year}: {label} need {bn(need)} but the envelope is {bn(pool)} "
                    f"(short by {bn(need - pool)})"
                )
        if len(names_lo) > 1 and lo[t].sum() > pool + 0.5 * problem.unit:
            out.append(
                f"{year}: together, the lower rules need {bn(lo[t].sum())}; "
                f"the envelope is {bn(pool)}"
            )
        if (
            problem.mode == "equal"
            and np.isfinite(hi[t]).all()
            and hi[t].sum() < pool - 0.5 * problem.unit
        ):
            out.append(
                f"{year}: the caps allow at most {bn(hi[t].sum())} but the whole envelope "
                f"of {bn(pool)} must be allocated"
            )
        for r in problem.rules:
            out += r.conflicts(problem, t, year, lo, hi, pool)
    return out


def _elastic_conflicts(problem: Problem) -> list[str]:
    """Rules that an elastic relaxation had to break, with the amounts."""
    lp = build(problem, elastic=True)
    sol = solve(lp, "highs", time_limit=problem.scenario.solver.time_limit)
    if not sol.status.is_ok or sol.x is None:
        return []
    out = []
    for name, blk in lp.blocks.items():
        if not name.startswith("slack:"):
            continue
        amount = float(sol.x[blk.slice].sum()) * lp.scale
        if amount > 0.5 * problem.unit:
            rule = name.split(":")[1]
            out.append(
                f"rule '{rule}' cannot hold: it would have to give way by {bn(amount)} in total"
            )
    return out


def _repairs(problem: Problem) -> list[Repair]:
    out: list[Repair] = []
    delta = envelope_repair(problem)
    if delta is not None and np.any(np.abs(delta) >= 0.5 * problem.unit):
        t = int(np.argmax(np.abs(delta)))
        year = problem.years[t]
        u = problem.unit
        if delta[t] > 0:
            extra = np.ceil(delta[t] / u) * u
            new_total = problem.envelope_total[t] + extra
            out.append(
                Repair(
                    f"raise the {year} envelope by {bn(extra)} (to {bn(new_total)})",
                    "envelope.total",
                    float(problem.envelope_total[t]),
                    float(new_total),
                )
            )
        else:
            cut = np.ceil(-delta[t] / u) * u
            new_total = problem.envelope_total[t] - cut
            out.append(
                Repair(
                    f"lower the {year} envelope by {bn(cut)} (to {bn(new_total)}), or set "
                    "envelope.mode = 'at_most'",
                    "envelope.total",
                    float(problem.envelope_total[t]),
                    float(new_total),
                )
            )
    for rule in problem.rules:
        if rule.soft or rule.relax is None:
            continue
        down = rule.relax == "down"

        def ok(theta: float, rule: Rule = rule) -> bool:
            return feasible(_replace_rule(problem, rule.scaled(problem, theta)))

        if down:
            if not ok(0.0):
                continue
            theta = _bisect(ok, 0.0, 1.0)
        else:
            big = 1.0
            while big < 1e4 and not ok(big * 2):
                big *= 2
            if big >= 1e4:
                continue
            theta = _bisect(ok, big * 2, 1.0)
        # prefer the value rounded to 4 decimals when it is still feasible (1.03, not 1.0299)
        base_v = rule.main_value
        if base_v:
            nice = round(base_v * theta, 4) / base_v
            if nice != theta and ok(nice):
                theta = nice
        repair = rule.repair(theta, f"constraints.{rule.name}")
        if repair is not None:
            out.append(repair)
    return out


def diagnose(problem: Problem, backend: str = "highs") -> InfeasibleError:
    """Explain why ``problem`` is infeasible: the conflicting rules and the smallest repairs."""
    conflicts = _conflicts(problem)
    if not conflicts:
        conflicts = _elastic_conflicts(problem)
    if not conflicts:
        conflicts = ["the rules together leave no allocation that meets them all"]
    repairs = _repairs(problem)
    if not repairs:
        # no one setting can be changed alone: say so, and how far each rule must give way
        elastic = _elastic_conflicts(problem)
        conflicts += [c for c in elastic if c not in conflicts]
        conflicts.append(
            "no single change is enough: neither the envelope nor any one rule can be moved far "
            "enough on its own; change at least two of the rules named above together"
        )
    name = problem.scenario.name
    return InfeasibleError(
        f"Scenario '{name}' is infeasible: its rules cannot all hold.", conflicts, repairs
    )
