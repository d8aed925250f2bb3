"""Why each number: waterfalls, the constraint ledger, infeasibility repair and goal-seek.

* :func:`waterfall` — per unit: formula amount → the objective's own reallocation → the effect of
  each rule, added in the scenario's order → rounding → merger support → final amount.
* :func:`ledger` — per rule: binding or not, its dual value, its cost (the money it moves:
  the allocation is re-solved without the rule) with the units it benefits and the units that pay.
* :func:`diagnose` — for an infeasible scenario: which rules conflict, with amounts, and the
  smallest repairs (extra envelope from an elastic relaxation; the highest feasible floor ratio,
  per-capita minimum or share, or the lowest feasible cap, found by bisection).
* :func:`goal_seek` — the value of one setting that meets a stated target (bisection).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.errors import InfeasibleError, ModelError, Repair, ScenarioError
from fiscal.problem import Problem, Rule

if TYPE_CHECKING:
    from fiscal.results import Result
    from fiscal.scenario import Scenario

__all__ = ["Waterfall", "diagnose", "goal_seek", "ledger", "reference", "waterfall"]

BN = 1000.0  # million VND per billion VND


def bn(amount: float) -> str:
    """An amount of million VND written in billions: '238,421 bn VND'."""
    value = amount / BN
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 3
    return f"{value:,.{digits}f} bn VND"


def mvnd(amount: float) -> str:
    return f"{amount:,.0f} million VND"


# ----------------------------------------------------------------------------- helpers


def without_rules(problem: Problem, names: set[str]) -> Problem:
    """The same problem with the named rules removed (merger support: its money too)."""
    rules = [r for r in problem.rules if r.name not in names]
    dropped = [r for r in problem.rules if r.name in names]
    envelope, total, support = problem.envelope.copy(), problem.envelope_total.copy(), problem.support
    for r in dropped:
        if r.kind == "merger_support":
            amount = r.params["amount"].sum()
            if r.params["placement"] == "inside":
                envelope[0] += amount
            else:
                total[0] -= amount
            support = np.zeros_like(problem.support)
    return dataclasses.replace(problem, rules=rules, envelope=envelope, envelope_total=total,
                               support=support)


def _replace_rule(problem: Problem, rule: Rule) -> Problem:
    rules = [rule if r.name == rule.name else r for r in problem.rules]
    return dataclasses.replace(problem, rules=rules)


def allocate_exact(problem: Problem, objective: str | None = None, backend: str = "highs") -> np.ndarray | None:
    """Unrounded unit amounts (T, n) of a problem, or None if it is infeasible."""
    kind = objective or problem.scenario.objective.kind
    if kind == "formula":
        from fiscal.formula import Conflict, formula_allocation

        try:
            return formula_allocation(problem).amount
        except (Conflict, ModelError):
            return None
    from fiscal.model import build
    from fiscal.solve import solve_lexicographic

    lp = build(problem, kind)
    ref = problem.pure_formula()[:, None, :] * lp_sector_weights(problem)[None, :, None]
    sol = solve_lexicographic(lp, ref, backend, time_limit=problem.scenario.solver.time_limit)
    if not sol.status.is_ok:
        return None
    return np.maximum(lp.cells(sol.x), 0).sum(axis=1)


def lp_sector_weights(problem: Problem) -> np.ndarray:
    from fiscal.formula import sector_weights

    return sector_weights(problem)


def feasible(problem: Problem) -> bool:
    """Whether the hard rules of ``problem`` can all hold (one LP solve, no tie-break)."""
    from fiscal.model import build
    from fiscal.solve import solve

    lp = build(problem, "need_gap")
    return solve(lp, "highs", time_limit=problem.scenario.solver.time_limit).status.is_ok


# ----------------------------------------------------------------------------- waterfall


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
        rows = [(label, amount) for label, amount in self.steps] + [("final allocation", self.final)]
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
    order = [r for r in problem.rules if r.kind != "merger_support"]
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
                    hit |= np.abs(np.nan_to_num(arr, nan=np.inf) - X) <= 1e-6 * np.maximum(1.0, np.abs(X))
            take = moved & hit
            if r.kind == "transition" and problem.T > 1:
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
            if label.startswith(("floor", "cap", "per_capita", "transition", "group", "earmark", "sector")):
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


def _rule_duals(result: Result) -> dict[str, float]:
    """Σ of the dual values of each rule's rows and bounds, objective per million VND."""
    lp, sol = result.lp, result.solution
    out: dict[str, float] = {}
    if lp is None or sol is None or sol.dual_ub is None:
        return out
    for blk in lp.rows:
        if blk.rule is None:
            continue
        duals = sol.dual_ub[blk.slice] if blk.sense == "le" else sol.dual_eq[blk.slice]
        out[blk.rule] = out.get(blk.rule, 0.0) + float(np.sum(duals) * blk.sign) / lp.scale
    if sol.rc is not None:
        p, m = lp.blocks["p"], lp.blocks["m"]
        rc_p, rc_m = sol.rc[p.slice], sol.rc[m.slice]
        a = lp.anchor
        lo, hi = lp.meta["cell_lo"], lp.meta["cell_hi"]
        for rec in lp.bound_records:
            c = rec.cells
            if c.size == 0:
                continue
            if rec.side == "lower":  # x ≥ L: on p's lower bound if L > a, else on m's upper
                d = np.where(lo[c] > a[c], rc_p[c], -rc_m[c])
            else:  # x ≤ U: on p's upper bound if U ≥ a, else on m's lower
                d = np.where(hi[c] >= a[c], rc_p[c], -rc_m[c])
            out[rec.rule] = out.get(rec.rule, 0.0) + float(np.nansum(d)) / lp.scale
    # duals below the solver's optimality tolerance are zero
    tiny = 1e-7 * max(1.0, float(np.abs(lp.c).max())) / lp.scale
    return {k: (0.0 if abs(v) < tiny else v) for k, v in out.items()}


def _binding(result: Result, r: Rule) -> tuple[bool, int]:
    problem = result.problem
    X = result.exact.sum(axis=1)
    u = max(problem.unit, 1e-6)
    tol = 0.5 * u
    if r.kind in ("floor", "per_capita_min", "cap", "transition"):
        hit = np.zeros_like(X, dtype=bool)
        if r.lower is not None:
            hit |= (np.abs(X - r.lower) <= tol) & ~np.isnan(r.lower) & (np.nan_to_num(r.lower) > 0)
        if r.upper is not None:
            hit |= (np.abs(X - r.upper) <= tol) & ~np.isnan(r.upper)
        if r.kind == "transition" and problem.T > 1:
            prev = X[:-1]
            d = r.params["max_change"]
            hit[1:] |= (np.abs(np.abs(X[1:] - prev) - d * prev) <= tol) & r.mask[None, :]
        return bool(hit.any()), int(hit.any(axis=0).sum())
    if r.kind == "group_share":
        got = X[:, r.mask].sum(axis=1)
        b = False
        for share in (r.params["min_share"], r.params["max_share"]):
            if share is not None:
                b |= bool(np.any(np.abs(got - share * problem.envelope) <= tol * r.mask.sum()))
        return b, int(r.mask.sum()) if b else 0
    if r.kind == "earmark":
        got = result.exact[:, r.params["sector"], :][:, r.mask].sum(axis=1)
        b = bool(np.any(got - r.params["min_share"] * problem.envelope <= tol * problem.n))
        return b, 0
    if r.kind == "sector_bounds":
        s = r.params["sector"]
        Gs = problem.gap * problem.sector_share[s]
        x = result.exact[:, s, :]
        hit = (np.abs(x - r.params["min_of_gap"] * Gs) <= tol) & (Gs > 0)
        if r.params["max_of_gap"] is not None:
            hit |= np.abs(x - r.params["max_of_gap"] * Gs) <= tol
        hit &= r.mask[None, :]
        return bool(hit.any()), int(hit.any(axis=0).sum())
    if r.kind == "merger_support":
        return bool(problem.support.sum() > 0), int((problem.support > 0).sum())
    return False, 0


def _violation(result: Result, r: Rule) -> float:
    """How far (million VND, summed over units and years) the result falls short of a rule."""
    problem = result.problem
    X = result.table["transfer"].to_numpy(dtype=float).reshape(problem.T, problem.n)
    total = 0.0
    if r.lower is not None:
        total += float(np.nansum(np.maximum(np.nan_to_num(r.lower, nan=-np.inf) - X, 0.0)))
    if r.upper is not None:
        total += float(np.nansum(np.maximum(X - np.nan_to_num(r.upper, nan=np.inf), 0.0)))
    if r.kind == "group_share":
        got = X[:, r.mask].sum(axis=1)
        if r.params["min_share"] is not None:
            total += float(np.maximum(r.params["min_share"] * problem.envelope - got, 0).sum())
        if r.params["max_share"] is not None:
            total += float(np.maximum(got - r.params["max_share"] * problem.envelope, 0).sum())
    if r.kind == "earmark":
        got = result.cells[:, r.params["sector"], :][:, r.mask].sum(axis=1)
        total += float(np.maximum(np.floor(r.params["min_share"] * problem.envelope) - got, 0).sum())
    return total


def reference(result: Result) -> Result:
    """``result``'s problem as the reference backend (HiGHS) solves it: what explanations use.

    Two solvers reach the same optimum only to within their tolerances: the unrounded amounts
    and the duals of a PuLP solve differ from HiGHS's in the 8th-9th significant digit (the
    rounded allocation does not). So that an explanation or an export does not depend on the
    backend that found the allocation, the ledger and the reported objective of a PuLP result
    come from the same problem solved by HiGHS (one extra solve, cached on the result).
    """
    if result.lp is None or result.backend == "highs":
        return result
    ref = result.__dict__.get("_reference")
    if ref is None:
        from fiscal.pipeline import run_problem

        ref = run_problem(result.problem, backend="highs", objective=result.objective_kind,
                          with_provenance=False)
        result.__dict__["_reference"] = ref
    return ref


def ledger(result: Result) -> pd.DataFrame:
    """Per rule: binding, dual (objective per million VND), cost, beneficiaries and payers.

    Computed from the HiGHS solution of the problem (see :func:`reference`). ``violation`` is
    how far a soft rule gives way (million VND; 0 for hard rules, which the re-check enforces).
    """
    result = reference(result)
    problem = result.problem
    duals = _rule_duals(result)
    X = result.exact.sum(axis=1)
    codes = np.asarray(problem.codes)
    rows = []
    env_dual = duals.get("envelope", np.nan)
    rows.append({
        "name": "envelope", "kind": "envelope", "hard": True, "binding": problem.mode == "equal"
        or bool(np.any(np.abs(X.sum(axis=1) - problem.envelope) <= problem.unit)),
        "units_binding": problem.n, "dual": env_dual, "cost": np.nan, "violation": 0.0,
        "benefits": "", "pays": "", "description": f"Σ transfers = {bn(problem.envelope[0])}"
        + (f" in {problem.years[0]}" if problem.T == 1 else f" in {problem.years[0]} (growing)"),
    })
    unit = problem.unit
    for r in problem.rules:
        binding, nb = _binding(result, r)
        if r.kind == "merger_support":
            amount = r.params["amount"]
            moved = float(amount.sum())
            benefits = codes[amount > 0].tolist()
            pays = [] if r.params["placement"] == "on_top" else ["all units (inside the envelope)"]
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
        rows.append({
            "name": r.name, "kind": r.kind, "hard": not r.soft, "binding": binding,
            "units_binding": nb, "dual": duals.get(r.name, np.nan), "cost": moved,
            "violation": _violation(result, r) if r.soft else 0.0,
            "benefits": ";".join(map(str, benefits)), "pays": ";".join(map(str, pays)),
            "description": r.description,
        })
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- infeasibility


def _scaled_rule(problem: Problem, rule: Rule, theta: float) -> Rule:
    """The rule with its main parameter multiplied by θ."""
    r = dataclasses.replace(rule, params=dict(rule.params))
    if rule.kind == "floor":
        r.lower = np.where(rule.mask[None, :], rule.params["ratio"][:, None] * theta * problem.baseline[None, :], np.nan)
        r.params["ratio"] = rule.params["ratio"] * theta
    elif rule.kind == "cap":
        r.upper = np.where(rule.mask[None, :], rule.params["ratio"][:, None] * theta * problem.baseline[None, :], np.nan)
        r.params["ratio"] = rule.params["ratio"] * theta
    elif rule.kind == "per_capita_min":
        amount = rule.params["amount"] * theta
        low = np.maximum(amount[:, None] * problem.population[None, :] - problem.capacity, 0.0)
        r.lower = np.where(rule.mask[None, :], low, np.nan)
        r.params["amount"] = amount
    elif rule.kind == "transition":
        d = rule.params["max_change"] * theta
        r.params["max_change"] = d
        lo, hi = rule.lower.copy(), rule.upper.copy()
        lo[0] = np.where(rule.mask, (1 - d) * problem.baseline, np.nan)
        hi[0] = np.where(rule.mask, (1 + d) * problem.baseline, np.nan)
        r.lower, r.upper = lo, hi
    elif rule.kind == "group_share":
        for key in ("min_share", "max_share"):
            if rule.params[key] is not None:
                r.params[key] = min(1.0, rule.params[key] * theta)
    elif rule.kind == "earmark":
        r.params["min_share"] = rule.params["min_share"] * theta
    return r


# which direction relaxes each kind: θ < 1 (lower it) or θ > 1 (raise it)
_RELAX_DOWN = {"floor", "per_capita_min", "earmark"}
_RELAX_UP = {"cap", "transition"}


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


def _envelope_repair(problem: Problem) -> np.ndarray | None:
    """The per-year envelope change that makes the rules hold (elastic relaxation)."""
    from fiscal.model import build
    from fiscal.solve import solve

    lp = build(problem, "need_gap")
    blk = lp.row_block("envelope")
    if blk is None:
        return None
    import scipy.sparse as sp

    T = problem.T
    # add e⁺, e⁻ ≥ 0 to the envelope rows and minimise their sum only
    rows = np.arange(blk.start, blk.start + T)
    n_eq = lp.A_eq.shape[0]
    n_ub = lp.A_ub.shape[0]
    E = sp.csr_matrix((np.ones(T), (rows, np.arange(T))), shape=(n_eq if blk.sense == "eq" else n_ub, T))
    c = np.concatenate([np.zeros(lp.nvar), np.ones(T), np.ones(T)])
    if blk.sense == "eq":
        A_eq = sp.hstack([lp.A_eq, -E, E]).tocsr()
        A_ub = sp.hstack([lp.A_ub, sp.csr_matrix((n_ub, 2 * T))]).tocsr()
    else:
        A_ub = sp.hstack([lp.A_ub, -E, E]).tocsr()
        A_eq = sp.hstack([lp.A_eq, sp.csr_matrix((n_eq, 2 * T))]).tocsr()
    lp2 = dataclasses.replace(lp, c=c, A_ub=A_ub, A_eq=A_eq,
                              lb=np.concatenate([lp.lb, np.zeros(2 * T)]),
                              ub=np.concatenate([lp.ub, np.full(2 * T, np.inf)]))
    sol = solve(lp2, "highs", time_limit=problem.scenario.solver.time_limit)
    if not sol.status.is_ok:
        return None
    up = sol.x[lp.nvar: lp.nvar + T]
    down = sol.x[lp.nvar + T:]
    return (up - down) * lp.scale


def _conflicts(problem: Problem) -> list[str]:
    """Plain-words statements of what cannot hold, with amounts."""
    out = []
    lo, hi = problem.bounds()
    names_lo: dict[str, np.ndarray] = {}
    for r in problem.rules_of("floor", "per_capita_min", "transition"):
        if r.soft or r.lower is None:
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
                out.append(f"{year}: {label} need {bn(need)} but the envelope is {bn(pool)} "
                           f"(short by {bn(need - pool)})")
        if len(names_lo) > 1 and lo[t].sum() > pool + 0.5 * problem.unit:
            out.append(f"{year}: together, the lower rules need {bn(lo[t].sum())}; "
                       f"the envelope is {bn(pool)}")
        if problem.mode == "equal" and np.isfinite(hi[t]).all() and hi[t].sum() < pool - 0.5 * problem.unit:
            out.append(f"{year}: the caps allow at most {bn(hi[t].sum())} but the whole envelope "
                       f"of {bn(pool)} must be allocated")
        for r in problem.rules_of("group_share"):
            if r.soft:
                continue
            inside_hi = hi[t][r.mask].sum()
            outside_lo = lo[t][~r.mask].sum()
            if r.params["min_share"] is not None:
                want = r.params["min_share"] * pool
                if inside_hi < want:
                    out.append(f"{year}: {r.label} needs {bn(want)} for its {int(r.mask.sum())} "
                               f"units but their caps allow {bn(inside_hi)}")
                if outside_lo > pool - want:
                    out.append(f"{year}: {r.label} reserves {bn(want)} but the other units' floors "
                               f"need {bn(outside_lo)} of the remaining {bn(pool - want)}")
    return out


def _elastic_conflicts(problem: Problem) -> list[str]:
    """Rules that an elastic relaxation had to break, with the amounts."""
    from fiscal.model import build
    from fiscal.solve import solve

    lp = build(problem, elastic=True)
    sol = solve(lp, "highs", time_limit=problem.scenario.solver.time_limit)
    if not sol.status.is_ok:
        return []
    out = []
    for name, blk in lp.blocks.items():
        if not name.startswith("slack:"):
            continue
        amount = float(sol.x[blk.slice].sum()) * lp.scale
        if amount > 0.5 * problem.unit:
            rule = name.split(":")[1]
            out.append(f"rule '{rule}' cannot hold: it would have to give way by {bn(amount)} in total")
    return out


def _repairs(problem: Problem) -> list[Repair]:
    out: list[Repair] = []
    scen = problem.scenario
    delta = _envelope_repair(problem)
    if delta is not None and np.any(np.abs(delta) >= 0.5 * problem.unit):
        t = int(np.argmax(np.abs(delta)))
        year = problem.years[t]
        u = problem.unit
        if delta[t] > 0:
            extra = np.ceil(delta[t] / u) * u
            new_total = problem.envelope_total[t] + extra
            out.append(Repair(
                f"raise the {year} envelope by {bn(extra)} (to {bn(new_total)})",
                "envelope.total", float(problem.envelope_total[t]), float(new_total)))
        else:
            cut = np.ceil(-delta[t] / u) * u
            new_total = problem.envelope_total[t] - cut
            out.append(Repair(
                f"lower the {year} envelope by {bn(cut)} (to {bn(new_total)}), or set "
                "envelope.mode = 'at_most'", "envelope.total", float(problem.envelope_total[t]),
                float(new_total)))
    for idx, rule in enumerate(problem.rules):
        if rule.soft or rule.kind not in _RELAX_DOWN | _RELAX_UP | {"group_share"}:
            continue
        down = rule.kind in _RELAX_DOWN or (rule.kind == "group_share" and rule.params["min_share"] is not None)

        def ok(theta: float, rule: Rule = rule) -> bool:
            return feasible(_replace_rule(problem, _scaled_rule(problem, rule, theta)))

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
        base_v = _main_value(rule)
        if base_v:
            nice = round(base_v * theta, 4) / base_v
            if nice != theta and ok(nice):
                theta = nice
        path = f"constraints.{rule.name}"
        cfg = scen.constraints[idx] if idx < len(scen.constraints) else None
        if rule.kind in ("floor", "cap"):
            cur = cfg.ratio if cfg is not None else rule.params["ratio"].tolist()
            new = _scale_value(cur, theta, down=down)
            out.append(Repair(f"{'lower' if down else 'raise'} the {rule.kind} ratio of '{rule.name}' "
                              f"to {_fmt(new)} (from {_fmt(cur)})", f"{path}.ratio", cur, new))
        elif rule.kind == "per_capita_min":
            cur = cfg.amount if cfg is not None else rule.params["amount"].tolist()
            new = _scale_value(cur, theta, down=True, digits=4)
            out.append(Repair(f"lower the per-capita minimum '{rule.name}' to {_fmt(new)} million "
                              f"VND per person (from {_fmt(cur)})", f"{path}.amount", cur, new))
        elif rule.kind == "transition":
            cur = rule.params["max_change"]
            new = _scale_value(cur, theta, down=False)
            out.append(Repair(f"allow yearly changes up to {new:.2%} in '{rule.name}' (from {cur:.2%})",
                              f"{path}.max_change", cur, new))
        elif rule.kind == "earmark":
            cur = rule.params["min_share"]
            new = _scale_value(cur, theta, down=True)
            out.append(Repair(f"lower the earmark '{rule.name}' to {new:.2%} (from {cur:.2%})",
                              f"{path}.min_share", cur, new))
        elif rule.kind == "group_share" and rule.params["min_share"] is not None:
            cur = rule.params["min_share"]
            new = _scale_value(cur, theta, down=True)
            out.append(Repair(f"lower the minimum share of '{rule.name}' to {new:.2%} (from {cur:.2%})",
                              f"{path}.min_share", cur, new))
    return out


def _main_value(rule: Rule) -> float:
    """The first-year value of the parameter a repair scales (ratio, amount, change or share)."""
    for key in ("ratio", "amount"):
        if key in rule.params:
            return float(np.asarray(rule.params[key]).ravel()[0])
    for key in ("max_change", "min_share"):
        if rule.params.get(key) is not None:
            return float(rule.params[key])
    return 0.0


def _scale_value(cur: Any, theta: float, *, down: bool, digits: int = 4) -> Any:
    """θ × value, rounded in the safe direction to ``digits`` decimals."""
    f = 10**digits

    def one(v: float) -> float:
        x = round(v * theta, 12)
        return (np.floor(x * f) if down else np.ceil(x * f)) / f

    if isinstance(cur, list):
        return [one(v) for v in cur]
    return one(float(cur))


def _fmt(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(f"{x:g}" for x in v) + "]"
    return f"{v:g}"


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
    return InfeasibleError(f"Scenario '{name}' is infeasible: its rules cannot all hold.",
                           conflicts, repairs)


# ----------------------------------------------------------------------------- goal-seek


def goal_seek(
    scenario: Scenario,
    path: str,
    metric: Callable[[Result], float] | str,
    target: float,
    lo: float,
    hi: float,
    *,
    iters: int = 40,
    tol: float = 1e-6,
    units: Any = None,
) -> tuple[float, Result]:
    """The value of setting ``path`` in [lo, hi] at which ``metric`` reaches ``target``.

    ``metric`` is a function of a Result or the name of a key of ``Result.metrics``; it must be
    monotone in the setting over [lo, hi]. Infeasible points count as not reaching the target.
    ``units`` replaces the scenario's dataset, as in :func:`fiscal.run`.
    """
    from fiscal.pipeline import run

    # money settings move in whole rounding units
    step = scenario.rounding.unit if path in ("envelope.total",) else 0.0
    if step:
        tol = max(tol, step / max(1.0, abs(hi), abs(lo)))

    def value_at(x: float) -> tuple[float, Result | None]:
        if step:
            x = round(x / step) * step
        try:
            res = run(scenario.with_value(path, x), units=units)
        except InfeasibleError:
            return np.nan, None
        m = res.metrics[metric] if isinstance(metric, str) else metric(res)
        return float(m), res

    try:
        f_lo, r_lo = value_at(lo)
        f_hi, r_hi = value_at(hi)
    except ScenarioError:
        raise
    if np.isnan(f_lo) and np.isnan(f_hi):
        raise ModelError(f"goal-seek: the scenario is infeasible at both ends ({path} = {lo}, {hi})")
    increasing = (f_hi > f_lo) if not (np.isnan(f_lo) or np.isnan(f_hi)) else np.isnan(f_lo)
    reach_lo = (not np.isnan(f_lo)) and ((f_lo >= target) if increasing else (f_lo <= target))
    reach_hi = (not np.isnan(f_hi)) and ((f_hi >= target) if increasing else (f_hi <= target))
    if reach_lo == reach_hi and not (np.isnan(f_lo) or np.isnan(f_hi)):
        raise ModelError(
            f"goal-seek: the target {target:g} is not crossed between {path} = {lo:g} "
            f"(metric {f_lo:.6g}) and {hi:g} (metric {f_hi:.6g}); widen the range"
        )
    good, bad = (hi, lo) if reach_hi else (lo, hi)
    best = r_hi if reach_hi else r_lo
    for _ in range(iters):
        mid = 0.5 * (good + bad)
        f_mid, r_mid = value_at(mid)
        reached = (not np.isnan(f_mid)) and ((f_mid >= target) if increasing else (f_mid <= target))
        if reached:
            good, best = mid, r_mid
        else:
            bad = mid
        if abs(good - bad) <= tol * max(1.0, abs(good)):
            break
    if step:  # the whole unit on the reaching side of the crossing
        good = (np.ceil if good > bad else np.floor)(round(good / step, 9)) * step
        best = value_at(good)[1] or best
    return float(good), best
