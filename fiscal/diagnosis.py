"""Why a scenario is infeasible, and the smallest repairs.

:func:`diagnose` says which rules conflict, with amounts (bounds that cross on a unit, lower
rules that need more than the envelope, then the rules an elastic relaxation had to break),
and the smallest repairs: the extra envelope from an elastic relaxation
(:func:`envelope_repair`, also the frontier's ``extra_envelope``), and for each rule the
highest feasible floor ratio, per-capita minimum or share, or the lowest feasible cap, found by
bisection on the rule's main parameter (:meth:`fiscal.rules.base.Rule.scaled`) — for the
rules the elastic relaxation's duals say could matter (:func:`_candidates`), so that a scenario
of thousands of rules costs a bisection per conflicting rule, not a solve per rule.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fiscal.errors import InfeasibleError, Repair
from fiscal.model import build
from fiscal.problem import Problem, Rule
from fiscal.prose.messages import Message, Term
from fiscal.reference import feasible
from fiscal.solve import solve

__all__ = ["bisect_threshold", "diagnose", "envelope_repair"]


def bisect_threshold(
    ok: Callable[[float], bool], good: float, bad: float, iters: int = 40
) -> float:
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
    """Plain-words statements of what cannot hold, with amounts (each a Message)."""
    out: list[str] = []
    lo, hi = problem.bounds()
    names_lo: dict[str, tuple[Message, np.ndarray]] = {}
    for r in problem.rules:
        if not r.unit_bound or r.soft or r.lower is None:
            continue
        names_lo[r.label] = (r.label_text, np.nan_to_num(r.lower, nan=0.0))
    codes = problem.codes
    names = problem.frame["name"].astype(str).to_numpy() if "name" in problem.frame else codes
    for t, year in enumerate(problem.years):
        pool = problem.envelope[t]
        bad_units = np.flatnonzero(lo[t] > hi[t] + 1e-9 * np.maximum(1, hi[t]))
        for i in bad_units[:5]:
            out.append(
                Message(
                    "infeasible.crossed",
                    year=year,
                    unit=str(codes[i]),
                    name=str(names[i]),
                    lower=float(lo[t, i]),
                    upper=float(hi[t, i]),
                )
            )
        for label, arr in names_lo.values():
            need = arr[t].sum()
            if need > pool + 0.5 * problem.unit:
                out.append(
                    Message(
                        "infeasible.short",
                        year=year,
                        rule=label,
                        need=float(need),
                        envelope=float(pool),
                        short=float(need - pool),
                    )
                )
        if len(names_lo) > 1 and lo[t].sum() > pool + 0.5 * problem.unit:
            out.append(
                Message(
                    "infeasible.together", year=year, need=float(lo[t].sum()), envelope=float(pool)
                )
            )
        if (
            problem.mode == "equal"
            and np.isfinite(hi[t]).all()
            and hi[t].sum() < pool - 0.5 * problem.unit
        ):
            out.append(
                Message("infeasible.caps", year=year, caps=float(hi[t].sum()), envelope=float(pool))
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
    out: list[str] = []
    terms = {r.name: r.term for r in problem.rules}
    for name, blk in lp.blocks.items():
        if not name.startswith("slack:"):
            continue
        amount = float(sol.x[blk.slice].sum()) * lp.scale
        if amount > 0.5 * problem.unit:
            rule = name.split(":")[1]
            out.append(
                Message("infeasible.give_way", rule=terms.get(rule, Term(rule)), amount=amount)
            )
    return out


def _candidates(problem: Problem) -> set[str] | None:
    """The rules whose relaxation alone might make ``problem`` feasible (None: not known).

    The elastic relaxation (every rule may give way, at a price; the envelope may not) has a
    positive optimum when the rules cannot all hold. Its duals prove that optimum: a rule
    whose rows all have dual 0 can be taken away and the same duals still bound the optimum
    from above 0 (LP duality), so the problem stays infeasible without it — and with it
    relaxed any amount. Only the other rules are worth a bisection: one elastic solve instead
    of a feasibility solve per rule."""
    lp = build(problem, elastic=True)
    sol = solve(lp, "highs", time_limit=problem.scenario.solver.time_limit)
    if not sol.status.is_ok or sol.x is None or sol.dual_ub is None or sol.dual_eq is None:
        return None
    if not sol.objective or sol.objective <= 0:
        return None  # the elastic relaxation breaks nothing: no proof to filter by
    out = set()
    for blk in lp.rows:
        if blk.rule is None:
            continue
        duals = sol.dual_ub[blk.slice] if blk.sense == "le" else sol.dual_eq[blk.slice]
        if np.any(np.abs(duals) > 1e-12):
            out.add(blk.rule)
    return out


def _repairs(problem: Problem) -> list[Repair]:
    out: list[Repair] = []
    candidates = _candidates(problem) if len(problem.rules) > 1 else None
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
                    Message(
                        "repair.raise_envelope",
                        year=year,
                        extra=float(extra),
                        total=float(new_total),
                    ),
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
                    Message(
                        "repair.lower_envelope", year=year, cut=float(cut), total=float(new_total)
                    ),
                    "envelope.total",
                    float(problem.envelope_total[t]),
                    float(new_total),
                )
            )
    for rule in problem.rules:
        if rule.soft or rule.relax is None:
            continue
        if candidates is not None and rule.name not in candidates:
            continue
        down = rule.relax == "down"

        def ok(theta: float, rule: Rule = rule) -> bool:
            return feasible(problem.with_rule(rule.scaled(problem, theta)))

        if down:
            if not ok(0.0):
                continue
            theta = bisect_threshold(ok, 0.0, 1.0)
        else:
            big = 1.0
            while big < 1e4 and not ok(big * 2):
                big *= 2
            if big >= 1e4:
                continue
            theta = bisect_threshold(ok, big * 2, 1.0)
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
        conflicts = [Message("infeasible.no_allocation")]
    repairs = _repairs(problem)
    if not repairs:
        # no one setting can be changed alone: say so, and how far each rule must give way
        elastic = _elastic_conflicts(problem)
        conflicts += [c for c in elastic if c not in conflicts]
        conflicts.append(Message("infeasible.no_single_change"))
    meta = problem.scenario.scenario
    return InfeasibleError(
        Message("infeasible.head", scenario=Term(meta.name, meta.name_vi or None)),
        conflicts,
        repairs,
    )
