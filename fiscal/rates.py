"""Choosing the sharing rates by optimisation: a MILP over whole-percent rates and transfers.

For a period start with ``[sharing] rates = "optimise"`` (one year, units i)::

    r_i ∈ {max(0, f_i − band), …, min(100, f_i + band)}   whole-percent rate (f: the formula's)
    y_i ∈ {0, 1}                                          the unit receives a balancing transfer
    x_i ≥ 0                                               its balancing transfer
    R_i = B_i + r_i·C_i/100 + x_i                         its resources (revenue kept + transfer)

    x_i ≤ M·y_i,  r_i ≥ 100·y_i        a unit that receives keeps 100 % (Circular 342/2016 Art. 9)
    Σ x_i = E  (≤ E with envelope.mode = "at_most")       the envelope
    Σ (100 − r_i)·C_i/100 ≥ requirement                    the centre's revenue from the shared base
    every rule on a transfer bounds x_i; every rule on resources bounds R_i (floors against the
    predecessors' summed resources hold merged units harmless); rules with ``rate_bounds() is
    None`` (group shares, earmarks, sector bounds) are refused

under the scenario's objective on resources against need A: ``need_gap`` Σ|R − A|/A (closest
to what the formula gives, R = A), ``shortfall_minimax`` max (A − R)/A, ``per_capita_maximin``
max min R/P, ``stability`` Σ|x − X⁰|/X⁰ (the transfers' change; the rates' is stage 2's). These
are the allocation's own objectives at fixed rates, so the transfers of stage 3 meet the same
optimum. It is solved lexicographically, so that one input gives one table on either backend:

1. the objective (a MILP, optimality gap 0);
2. with the objective held within 10⁻⁷ of its optimum, the rates closest to the formula's: the
   fewest whole points moved, Σ |r_i − f_i|, then among those the least shared revenue moved,
   Σ |r_i − f_i|·C_i/100, then (equal shared bases only) the units first in the table. In
   steps because the money alone is a subset-sum against the centre's requirement, which the
   solvers take seconds to prove; once the number of points is fixed it is quick;
3. the rates fixed, the transfers by the ordinary allocation LP with its own tie-break
   (:func:`fiscal.pipeline.run_problem` on :func:`fiscal.mechanism.with_rates`).

Money kept is B + round_half_up(r·C/100); where the MILP works with r·C/100 exactly, a bound
on resources carries half a million VND of margin, so that the rounded rates never break it.
The requirement is stated on the exact shares (before each unit's is rounded to the million).

:func:`diagnose` explains an infeasible rate model with the rates taken into account: what
cannot hold, and the smallest repairs (a larger envelope, a lower requirement, a wider band, a
lower floor ratio), each found by the rate model itself (with HiGHS, whatever the backend).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from fiscal.diagnosis import bisect_threshold
from fiscal.errors import InfeasibleError, Repair, SolverError
from fiscal.lp import Solution, Status
from fiscal.problem import Problem
from fiscal.prose.messages import Message
from fiscal.prose.numbers import money
from fiscal.rate_model import MARGIN, RateModel, rate_model, tie_break
from fiscal.rules import Rule
from fiscal.solve import solve

__all__ = ["MARGIN", "RateModel", "choose", "diagnose", "rate_model"]


def _check(sol: Solution, limit: float) -> None:
    if sol.status is Status.time_limit:
        raise SolverError(Message("rates.time_limit", limit=limit, backend=sol.backend))
    if not sol.status.is_ok or sol.x is None:
        raise SolverError(
            Message(
                "rates.failed", backend=sol.backend, status=sol.status.value, detail=sol.message
            )
        )


def choose(
    problem: Problem, backend: str | None = None, time_limit: float | None = None
) -> Problem:
    """The problem at the rates the rate model chooses (stages 1 and 2 of the module docstring);
    :func:`fiscal.pipeline.run_problem` then allocates the transfers at them (stage 3)."""
    from fiscal.mechanism import with_rates

    scen = problem.scenario
    backend = backend or scen.solver.backend
    limit = scen.solver.time_limit if time_limit is None else time_limit
    model = rate_model(problem)
    t0 = time.perf_counter()
    first = solve(model.lp, backend, time_limit=limit, pulp_solver=scen.solver.pulp_solver)
    t1 = time.perf_counter()
    if first.status is Status.infeasible:
        raise diagnose(problem)
    _check(first, limit)
    assert first.x is not None
    best = float(model.lp.c @ first.x)
    fewest = solve(
        tie_break(model, best), backend, time_limit=limit, pulp_solver=scen.solver.pulp_solver
    )
    _check(fewest, limit)
    assert fewest.x is not None
    points = int(np.sum(np.abs(model.rate(fewest.x) - model.formula)))
    least = solve(
        tie_break(model, best, points),
        backend,
        time_limit=limit,
        pulp_solver=scen.solver.pulp_solver,
    )
    _check(least, limit)
    assert least.x is not None
    money = float(np.sum(np.abs(model.rate(least.x) - model.formula) * model.money))
    second = solve(
        tie_break(model, best, points, money),
        backend,
        time_limit=limit,
        pulp_solver=scen.solver.pulp_solver,
    )
    t2 = time.perf_counter()
    _check(second, limit)
    assert second.x is not None
    rate = model.rate(second.x)
    state = problem.sharing
    assert state is not None
    record = {
        "objective": model.kind,
        "value": model.reported(best),
        "moved": float(np.sum(np.abs(rate - model.formula) * state.shared) / 100.0),
        "changed": int(np.sum(rate != model.formula)),
        "band": int(state.settings.band),
        "requirement": state.requirement,
        "backend": first.backend,
        "integers": int(np.sum(model.lp.integrality)),  # type: ignore[arg-type]
        "runtime": {"objective": t1 - t0, "tie_break": t2 - t1},
    }
    return with_rates(problem, rate, record)


# ----------------------------------------------------------------------------- diagnosis


def _feasible(problem: Problem, **changes: Any) -> bool:
    model = rate_model(problem, "need_gap", **changes)
    sol = solve(model.lp, "highs", time_limit=problem.scenario.solver.time_limit)
    return sol.status.is_ok


def _optimum(problem: Problem, goal: str, **changes: Any) -> tuple[RateModel, Solution] | None:
    model = rate_model(problem, "need_gap", goal=goal, **changes)
    sol = solve(model.lp, "highs", time_limit=problem.scenario.solver.time_limit)
    return (model, sol) if sol.status.is_ok and sol.x is not None else None


def diagnose(problem: Problem) -> InfeasibleError:
    """Why the rate model of ``problem`` has no solution, and the smallest repairs (each found by
    the rate model itself, with HiGHS)."""
    state = problem.sharing
    assert state is not None
    conflicts: list[str] = []
    repairs: list[Repair] = []
    E = float(problem.envelope[0])
    year = problem.years[0]
    band = state.settings.band
    # the envelope
    found = _optimum(problem, "envelope")
    if found is not None:
        model, sol = found
        assert sol.x is not None
        e = model.lp.blocks["e"]
        up, down = (float(v) * model.scale for v in sol.x[e.slice])
        delta = up - down
        if abs(delta) >= 0.5:
            total = float(problem.envelope_total[0])
            if delta > 0:
                extra = float(np.ceil(delta))
                conflicts.append(
                    f"{year}: with the rates the band allows, the rules need {money(E + extra)} of "
                    f"balancing transfers but the envelope is {money(E)} (short by {money(extra)})"
                )
                repairs.append(
                    Repair(
                        f"raise the {year} envelope by {money(extra)} (to {money(total + extra)})",
                        "envelope.total",
                        total,
                        total + extra,
                    )
                )
            else:
                cut = float(np.ceil(-delta))
                conflicts.append(
                    f"{year}: the rules leave room for at most {money(E - cut)} of balancing "
                    f"transfers but the whole envelope of {money(E)} must be allocated"
                )
                repairs.append(
                    Repair(
                        f"lower the {year} envelope by {money(cut)} (to {money(total - cut)}), or set "
                        "envelope.mode = 'at_most'",
                        "envelope.total",
                        total,
                        total - cut,
                    )
                )
    # the centre's requirement
    req = state.requirement
    if req is not None:
        found = _optimum(problem, "remitted", requirement=None)
        if found is not None:
            model, sol = found
            assert sol.x is not None
            most = float(np.sum((100 - model.rate(sol.x)) * state.shared) / 100.0)
            if most < req - 1e-6 * max(1.0, req):
                conflicts.append(
                    f"{year}: the centre's requirement of {money(req)} from the shared base cannot "
                    f"be met: with rates within {band} points of the formula's and the other "
                    f"rules, at most {money(most)} can be remitted"
                )
                value = float(np.floor(most))
                repairs.append(
                    Repair(
                        f"lower the centre's revenue requirement to {money(value)} (from {money(req)})",
                        "sharing.centre_revenue",
                        req,
                        value,
                    )
                )
    # the band
    if band < 100 and _feasible(problem, band=100):
        lo, hi = band, 100
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _feasible(problem, band=mid):
                hi = mid
            else:
                lo = mid
        conflicts.append(
            f"{year}: rates within {band} points of the formula's cannot meet the rules; "
            f"{hi} points can"
        )
        repairs.append(
            Repair(
                f"widen the band of rates to {hi} points (from {band})",
                "sharing.band",
                band,
                hi,
            )
        )
    # each rule that can be relaxed alone
    for k, rule in enumerate(problem.rules):
        if rule.soft or rule.relax != "down":
            continue

        def ok(theta: float, k: int = k, rule: Rule = rule) -> bool:
            rules = list(problem.rules)
            rules[k] = rule.scaled(problem, theta)
            return _feasible(problem, rules=rules)

        if not ok(0.0):
            continue
        theta = bisect_threshold(ok, 0.0, 1.0)
        base_v = rule.main_value
        if base_v:
            nice = np.floor(base_v * theta * 1e4) / 1e4 / base_v
            if nice != theta and ok(nice):
                theta = nice
        conflicts.append(f"{year}: {rule.label} cannot hold with the other rules")
        repair = rule.repair(theta, f"constraints.{rule.name}")
        if repair is not None:
            repairs.append(repair)
    if not conflicts:
        conflicts.append(
            "the rates and transfers cannot meet every rule together, and no single setting "
            "is enough: change at least two of the envelope, the requirement, the band and the "
            "rules together"
        )
    return InfeasibleError(
        f"Scenario '{problem.scenario.name}' is infeasible: no whole-percent rates and "
        "transfers meet all its rules.",
        conflicts,
        repairs,
    )
