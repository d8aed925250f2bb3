"""Frontier and Monte Carlo: same numbers as fiscal.run, the fast path checked, prices by hand."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

import fiscal
from fiscal.errors import ModelError, ScenarioError
from fiscal.frontier import frontier, frontier_values, price_curve
from fiscal.highs import HighsSolver
from fiscal.model import build
from fiscal.montecarlo import Distribution, monte_carlo
from fiscal.pipeline import load_units_for
from fiscal.problem import prepare
from fiscal.reuse import Engine
from fiscal.scenario import load_scenario
from fiscal.solve import solve

FLOOR = "constraints.hold-harmless.ratio"
METRIC_KEYS = [
    "total_allocation",
    "gini",
    "theil",
    "cv",
    "max_min_ratio",
    "min_per_capita",
    "share_of_need_met",
    "units_below_need",
    "units_at_floor",
    "units_at_cap",
    "protection_cost",
    "cap_clawback",
    "mean_abs_change_pct",
    "objective",
]


@pytest.fixture(scope="module")
def per_capita():
    return load_scenario("national-2026-per-capita.toml")


def _assert_row_is_run(row: pd.Series, result: fiscal.Result) -> None:
    for key in METRIC_KEYS:
        assert row[key] == result.metrics[key], key  # the same numbers, to the last bit


# ----------------------------------------------------------------------------- frontier


def test_frontier_points_are_fiscal_run(per_capita):
    values = [0.92, 0.97, 1.0, 1.04]
    fr = frontier(per_capita, FLOOR, values)
    assert fr.attrs["fast"] is True
    assert fr["status"].tolist() == ["optimal", "optimal", "optimal", "infeasible"]
    for k, v in enumerate(values[:3]):
        _assert_row_is_run(fr.iloc[k], fiscal.run(per_capita.with_value(FLOOR, v)))
    # the infeasible point needs exactly the envelope that fiscal.run's repair names
    with pytest.raises(fiscal.InfeasibleError) as err:
        fiscal.run(per_capita.with_value(FLOOR, 1.04))
    repair = next(r for r in err.value.repairs if r.path == "envelope.total")
    assert fr["extra_envelope"].iloc[3] == repair.value - repair.current
    assert math.isnan(fr["gini"].iloc[3])


@pytest.mark.parametrize(
    ("file", "path", "values"),
    [
        ("national-2026-merger-support.toml", "constraints.growth-cap.ratio", [1.04, 1.2]),
        ("national-2026-minimax.toml", "envelope.total", [235_000_000.0, 245_000_000.0]),
        ("national-2026-blend.toml", "objective.weight", [0.25, 0.9]),
        ("national-2026-baseline.toml", FLOOR, [0.98, 1.01]),
    ],
)
def test_every_fast_path_equals_a_fresh_run(file, path, values):
    scen = load_scenario(f"{file}")
    fr = frontier(scen, path, values)
    assert fr.attrs["fast"] is True
    for k, v in enumerate(values):
        _assert_row_is_run(fr.iloc[k], fiscal.run(scen.with_value(path, v)))


def test_per_capita_minimum_amount_is_a_fast_path():
    scen = load_scenario("national-2026-minimax.toml").with_value(
        "constraints", [{"name": "minimum", "kind": "per_capita_min", "amount": 10.0}]
    )
    fr = frontier(scen, "constraints.minimum.amount", [10.0, 11.0])
    assert fr.attrs["fast"] is True
    for k, v in enumerate([10.0, 11.0]):
        _assert_row_is_run(fr.iloc[k], fiscal.run(scen.with_value("constraints.minimum.amount", v)))


def test_other_settings_take_the_general_path(per_capita):
    fr = frontier(per_capita, "need.other_markup", [0.0, 0.01])
    assert fr.attrs["fast"] is False
    _assert_row_is_run(fr.iloc[1], fiscal.run(per_capita.with_value("need.other_markup", 0.01)))


def test_patched_model_is_the_built_model(per_capita):
    # the fast path hands HiGHS the very arrays a rebuild would give
    engine = Engine(per_capita)
    patch = engine.patch_for(FLOOR, [0.95])
    assert patch is not None
    mine = patch.model(engine, patch.problem(engine.base, 0.97), 0.97)
    fresh = build(prepare(per_capita.with_value(FLOOR, 0.97), engine.units))
    assert np.array_equal(mine.lb, fresh.lb) and np.array_equal(mine.ub, fresh.ub)
    assert mine.A_ub is engine.base_lp.A_ub  # the matrix is reused, not rebuilt


def test_points_do_not_depend_on_their_order(per_capita):
    values = frontier_values(0.9, 1.05, 9)
    forward = frontier(per_capita, FLOOR, values)
    backward = frontier(per_capita, FLOOR, values[::-1])
    cols = [c for c in forward.columns if c != "point" and not c.endswith("_per_pt")]
    pd.testing.assert_frame_equal(
        forward[cols], backward[cols].iloc[::-1].reset_index(drop=True), check_exact=True
    )


def test_formula_floor_frontier_by_hand():
    # the status-quo formula gives every unit with a baseline 1.03 × baseline, so floors up to 1.03
    # never bind; above, the floors need Σ_i floor(r · baseline_i) > 238,421,000 and the extra
    # envelope is exactly that difference
    scen = load_scenario("national-2026-baseline.toml")
    fr = frontier(scen, FLOOR, [1.0, 1.02, 1.04, 1.06])
    assert fr["status"].tolist() == ["optimal", "optimal", "infeasible", "infeasible"]
    assert fr["units_at_floor"].iloc[:2].tolist() == [0, 0]
    baseline = load_units_for(scen).frame["baseline"].to_numpy()
    for k, r in ((2, 1.04), (3, 1.06)):
        need = np.floor(np.round(r * baseline, 6)).sum()
        assert fr["extra_envelope"].iloc[k] == need - 238_421_000
    # each further point of floor needs 1 % of Σ baseline, up to the rounding of each floor
    per_pt = fr["extra_envelope_per_pt"].iloc[3]
    assert per_pt == pytest.approx(0.01 * baseline.sum(), abs=34)


def test_price_curve_by_hand():
    frame = pd.DataFrame(
        {
            "value": [0.90, 0.92, 0.95, 0.97],
            "status": ["optimal", "optimal", "optimal", "infeasible"],
            "gini": [0.10, 0.104, 0.110, np.nan],
            "theil": [0.0] * 4,
            "share_of_need_met": [1.0] * 4,
            "min_per_capita": [10.0, 9.8, 9.5, np.nan],
            "protection_cost": [0.0, 50.0, 110.0, np.nan],
            "extra_envelope": [0.0, 0.0, 0.0, 400.0],
        }
    )
    out = price_curve(frame, FLOOR)
    # (0.104 − 0.10) / 2 points, (0.110 − 0.104) / 3 points; nothing across the infeasible point
    assert out["gini_per_pt"].iloc[1] == pytest.approx(0.002)
    assert out["gini_per_pt"].iloc[2] == pytest.approx(0.002)
    assert math.isnan(out["gini_per_pt"].iloc[3]) and math.isnan(out["gini_per_pt"].iloc[0])
    assert out["min_per_capita_per_pt"].iloc[2] == pytest.approx(-0.1)
    assert out["protection_cost_per_pt"].iloc[1] == pytest.approx(25.0)
    # the extra envelope is priced across the boundary: 400 over 2 points
    assert out["extra_envelope_per_pt"].iloc[3] == pytest.approx(200.0)
    # an amount is priced per unit of the setting
    assert "gini_per_unit" in price_curve(frame, "envelope.total").columns


def test_the_grid_passes_through_the_current_value():
    """The sweep's grid holds the scenario's own value exactly: the interior point nearest to
    it becomes it; the ends and the number of points stay (issue: points at 187,175.5 beside
    the scenario's 187,175.0)."""
    even = frontier_values(231_004_000, 262_263_000, 11)
    assert 238_421_000 not in even
    grid = frontier_values(231_004_000, 262_263_000, 11, through=238_421_000)
    assert len(grid) == 11 and grid[0] == 231_004_000 and grid[-1] == 262_263_000
    assert 238_421_000.0 in grid.tolist()
    assert (np.diff(grid) > 0).all()
    assert np.count_nonzero(grid != even) == 1  # only the nearest point moved
    # near an end: the first interior point moves, the end stays
    near = frontier_values(0.0, 1.0, 5, through=0.01)
    assert near.tolist() == [0.0, 0.01, 0.5, 0.75, 1.0]
    # already a point (to float noise): written exactly; outside the range: the even grid
    assert frontier_values(0.9, 1.1, 5, through=1.0).tolist()[2] == 1.0
    assert (
        frontier_values(0.9, 1.1, 5, through=1.5).tolist() == frontier_values(0.9, 1.1, 5).tolist()
    )
    # two steps have no interior point: the value is added between the ends
    assert frontier_values(0.0, 1.0, 2, through=0.3).tolist() == [0.0, 0.3, 1.0]


def test_frontier_refuses_bad_settings(per_capita):
    with pytest.raises(ScenarioError, match="no entry named 'nope'"):
        frontier(per_capita, "constraints.nope.ratio", [0.9, 1.0])
    with pytest.raises(ScenarioError, match="not a number"):
        frontier(per_capita, "objective.kind", [0.0, 1.0])
    with pytest.raises(ScenarioError, match="ratio"):
        frontier(per_capita, FLOOR, [0.9, 20.0])  # above the allowed range
    with pytest.raises(ModelError, match="at least 2 steps"):
        frontier_values(0.9, 1.0, 1)
    with pytest.raises(ModelError, match="finite"):
        frontier(per_capita, FLOOR, [0.9, float("nan")])


def test_a_kept_model_solves_as_a_fresh_one_to_the_bit(per_capita):
    units = load_units_for(per_capita)
    solver = HighsSolver()
    for v in (0.95, 0.9, 1.01):
        lp = build(prepare(per_capita.with_value(FLOOR, v), units))
        mine, ref = solver(lp, 60.0), solve(lp, "highs")
        assert mine.status is ref.status
        for attr in ("x", "dual_ub", "dual_eq", "rc"):
            assert np.array_equal(getattr(mine, attr), getattr(ref, attr)), attr
    assert solver.updates == 2 and solver.loads == 1  # one model, its bounds changed twice


def test_light_metrics_agree_with_the_full_result(per_capita):
    engine = Engine(per_capita)
    out = engine.at(FLOOR, 0.96, keep=False)
    assert engine.light is True
    assert out.result is None and out.metrics["units_at_floor"] > 0


# ----------------------------------------------------------------------------- Monte Carlo


def test_distribution_parsing_and_factors():
    rng = np.random.default_rng(1)
    u = Distribution.parse("uniform:-0.1:0.05").sample(rng, 1000)
    assert u.min() >= 0.9 and u.max() <= 1.05
    t = Distribution.parse("triangular:-0.2:0:0.1").sample(rng, 1000)
    assert t.min() >= 0.8 and t.max() <= 1.1
    assert str(Distribution.parse("normal:0.05")) == "normal:0.05"
    for bad, msg in (
        ("normal:5", "fraction"),
        ("beta:1", "unknown kind"),
        ("uniform:0.1", "2 parameter"),
        ("uniform:0.2:-0.1", "low"),
        ("normal:x", "numbers"),
    ):
        with pytest.raises(ModelError, match=msg):
            Distribution.parse(bad)


def test_monte_carlo_is_reproducible_and_a_real_reallocation(per_capita):
    vary = {"revenue": "normal:0.05", "envelope": "uniform:-0.02:0.02"}
    a = monte_carlo(per_capita, vary, 6, seed=11)
    b = monte_carlo(
        per_capita, {"envelope": "uniform:-0.02:0.02", "revenue": "normal:0.05"}, 6, seed=11
    )
    assert np.array_equal(a.allocations, b.allocations, equal_nan=True)
    pd.testing.assert_frame_equal(a.units, b.units, check_exact=True)
    c = monte_carlo(per_capita, vary, 6, seed=12)
    assert not np.array_equal(a.allocations, c.allocations, equal_nan=True)
    # draw 4 redone by hand: factors in the order revenue, population, envelope from (seed, 4)
    rng = np.random.default_rng([11, 4])
    units = load_units_for(per_capita)
    f_rev = np.maximum(1 + 0.05 * rng.standard_normal(len(units)), 0)
    f_env = np.maximum(1 + rng.uniform(-0.02, 0.02, 1), 0)
    frame = units.frame.copy()
    frame["own_revenue"] = frame["own_revenue"].to_numpy() * f_rev
    envelope = np.round(np.array([238_421_000.0]) * f_env[0])

    redo = fiscal.run(per_capita, units=dataclasses.replace(units, frame=frame), envelope=envelope)
    assert a.draws["status"].iloc[4] == "optimal"
    assert a.draws["envelope"].iloc[4] == envelope[0]
    assert np.array_equal(a.allocations[4, 0], redo.table["allocation"].to_numpy())


def test_monte_carlo_floor_breach_by_hand():
    # the floors need Σ floor(baseline) = 231,476,69x million VND; an envelope cut by 4–5 %
    # (226.5–228.9 M) can never pay them, a rise of 0–2 % always can
    scen = load_scenario("national-2026-baseline.toml")
    cut = monte_carlo(scen, {"envelope": "uniform:-0.05:-0.04"}, 5, seed=0)
    assert cut.p_infeasible == 1.0
    assert cut.rules.set_index("name").loc["hold-harmless", "p_cannot_hold"] == 1.0
    assert cut.draws["extra_envelope"].gt(0).all()
    rise = monte_carlo(scen, {"envelope": "uniform:0:0.02"}, 5, seed=0)
    assert rise.p_infeasible == 0.0
    rules = rise.rules.set_index("name")
    assert rules.loc["hold-harmless", "p_cannot_hold"] == 0.0
    # every draw re-allocates its whole envelope
    totals = np.nansum(rise.allocations[:, 0, :], axis=1)
    assert np.array_equal(totals, rise.draws["envelope"].to_numpy())
    u = rise.units
    assert (u["p05"] <= u["p50"]).all() and (u["p50"] <= u["p95"]).all()


def test_monte_carlo_refuses_bad_requests(per_capita):
    with pytest.raises(ModelError, match="cannot vary 'rain'"):
        monte_carlo(per_capita, {"rain": "normal:0.1"}, 2)
    with pytest.raises(ModelError, match="say what to vary"):
        monte_carlo(per_capita, {}, 2)
    with pytest.raises(ModelError, match="at least 1"):
        monte_carlo(per_capita, {"revenue": "normal:0.1"}, 0)


def test_one_engine_sweeps_two_rules():
    scen = load_scenario("national-2026-merger-support.toml")
    engine = Engine(scen)
    cap = "constraints.growth-cap.ratio"
    first, second = engine.at(FLOOR, 0.99), engine.at(cap, 1.2)
    assert engine.fast_paths == {FLOOR: True, cap: True}
    assert first.metrics == fiscal.run(scen.with_value(FLOOR, 0.99)).metrics
    assert second.metrics == fiscal.run(scen.with_value(cap, 1.2)).metrics


def test_a_money_grid_moves_in_whole_rounding_units():
    """Money points are whole rounding units (seven steps over 31,259 bn would give thirds of
    a million VND); the ends and the current value, whole already, stay."""
    grid = frontier_values(231_004_000, 262_263_000, 7, through=238_421_000, unit=1.0)
    assert len(grid) == 7 and (grid == np.round(grid)).all()
    assert grid[0] == 231_004_000 and grid[-1] == 262_263_000 and 238_421_000 in grid
    coarse = frontier_values(0.0, 10.0, 11, unit=5.0)  # coinciding points are kept once
    assert coarse.tolist() == [0.0, 5.0, 10.0]
