"""Goal-seek over a later transfer line's setting re-uses one balancing solve
(:meth:`fiscal.reuse.Engine.lines_at`), as the frontier and Monte Carlo do: the same value and
the same result as solving the whole scenario at every step, with the balancing line solved
once; a setting the balancing line reads still solves the whole scenario at every step.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_tradeoffs_lines import _count_solves, case, units

import fiscal.frontier
from fiscal.frontier import goal_seek
from fiscal.reuse import Engine, _same_metrics
from fiscal.scenario import load_scenario

BUDGET = "national-2026-budget"
TARGETED = "lines.targeted.envelope"  # NQ 246's 187,175 bn VND
SHARE = "lines.targeted.central_share.receiving"  # Decree 09/2025's 0.8


def _spy(monkeypatch) -> dict[str, list]:
    """Record the engine goal_seek takes (None: re-solve each step), its line steps and the
    whole-scenario runs."""
    seen: dict[str, list] = {"engines": [], "steps": [], "runs": []}
    make, real_run = fiscal.frontier._balancing_engine, fiscal.frontier.run

    def engine(*args):
        found = make(*args)
        if found is not None:
            lines_at = found.lines_at

            def step(path, value):
                seen["steps"].append(value)
                return lines_at(path, value)

            found.lines_at = step  # type: ignore[method-assign]
        seen["engines"].append(found)
        return found

    def run(*args, **kwargs):
        seen["runs"].append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(fiscal.frontier, "_balancing_engine", engine)
    monkeypatch.setattr(fiscal.frontier, "run", run)
    return seen


def _resolving(monkeypatch) -> None:
    """goal_seek as it was: the whole scenario solved at every step."""
    monkeypatch.setattr(fiscal.frontier, "_balancing_engine", lambda *args: None)


@pytest.mark.parametrize(
    "path, metric, target, lo, hi",
    [
        # gini on total resources falls as the targeted line grows: 0.2107 at NQ 246's
        # 187,175 bn VND, 0.2002 at 1.5 times it
        (TARGETED, "gini_total", 0.205, 93_587_500.0, 280_762_500.0),
        # the poorest per person on total resources: 10.26 at a receiving share of 0.7,
        # 10.33 at 0.9
        (SHARE, "min_per_capita_total", 10.3, 0.7, 0.9),
    ],
)
def test_a_lines_goal_seek_on_the_balancing_solve_is_the_re_solving_one(
    monkeypatch, path, metric, target, lo, hi
):
    scen = load_scenario(BUDGET)
    seen = _spy(monkeypatch)
    value, res = goal_seek(scen, path, metric, target, lo, hi)
    assert isinstance(seen["engines"][0], Engine) and not seen["runs"]
    with monkeypatch.context() as m:
        _resolving(m)
        old_value, old = goal_seek(scen, path, metric, target, lo, hi)
    assert value == old_value and lo < value < hi
    assert res.scenario.value_of(path) == value == old.scenario.value_of(path)
    assert res.status == old.status == "optimal"
    assert _same_metrics(res.metrics, old.metrics)
    assert res.metrics[metric] == old.metrics[metric]
    assert res.table.equals(old.table)
    assert np.array_equal(res.cells, old.cells)
    assert res.budget is not None and old.budget is not None
    assert res.budget.frame().equals(old.budget.frame())
    assert [c.name for c in res.budget.checks] == [c.name for c in old.budget.checks]
    # the provenance of fiscal.run (the data hash too), but for the time it was made
    created = {"created"}
    assert {k: v for k, v in res.provenance.items() if k not in created} == {
        k: v for k, v in old.provenance.items() if k not in created
    }


def test_a_lines_goal_seek_solves_the_balancing_line_once(monkeypatch):
    scen = load_scenario(BUDGET)
    seen = _spy(monkeypatch)
    value, _ = goal_seek(scen, TARGETED, "gini_total", 0.205, 93_587_500.0, 280_762_500.0)
    (engine,) = seen["engines"]
    steps = len(seen["steps"])
    assert steps > 10  # both ends, the bisection, the whole unit found
    assert engine.balancing_solves == 1 and not seen["runs"]
    # the re-solving path: the whole scenario, its balancing line too, at each of the steps
    seen = _spy(monkeypatch)
    _resolving(monkeypatch)
    goal_seek(scen, TARGETED, "gini_total", 0.205, 93_587_500.0, 280_762_500.0)
    assert len(seen["runs"]) == steps


def test_a_lines_goal_seek_calls_the_solver_once_by_hand(monkeypatch):
    # the hand case's balancing line (formula, 120) under the targeted line (co-financed,
    # tests/test_tradeoffs_lines.py's): one allocation for the whole goal-seek; U2's 30 of
    # the targeted line first at an envelope of 105
    calls = _count_solves(monkeypatch)
    value, res = goal_seek(case(), TARGETED, "min_per_capita_total", 13.0, 89, 178, units=units())
    assert value == 105.0 and res.metrics["min_per_capita_total"] == 13.0
    assert calls[0] == 1
    _resolving(monkeypatch)
    calls[0] = 0
    old_value, old = goal_seek(
        case(), TARGETED, "min_per_capita_total", 13.0, 89, 178, units=units()
    )
    assert old_value == 105.0 and old.table.equals(res.table)
    assert calls[0] > 5  # one allocation per step


@pytest.mark.parametrize(
    "path, metric, target, lo, hi",
    [
        # the balancing envelope: gini on total resources 0.2107 at 238,421 bn VND, 0.2052 at
        # 262,263
        ("envelope.total", "gini_total", 0.208, 238_421_000.0, 262_263_000.0),
        # the hold-harmless floor: the poorest per person on total resources 10.297 at 1.0,
        # infeasible at 1.1: the highest ratio at which the rules still hold
        ("constraints.hold-harmless.ratio", "min_per_capita_total", 10.3, 1.0, 1.1),
    ],
)
def test_a_setting_the_balancing_line_reads_is_solved_at_every_step(
    monkeypatch, path, metric, target, lo, hi
):
    seen = _spy(monkeypatch)
    calls = _count_solves(monkeypatch)
    value, res = goal_seek(load_scenario(BUDGET), path, metric, target, lo, hi)
    assert seen["engines"] == [None] and not seen["steps"]
    assert len(seen["runs"]) > 5 and calls[0] >= len(seen["runs"])
    assert res.scenario.value_of(path) == value
