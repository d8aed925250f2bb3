"""The LP model: each objective and rule on problems solved by hand, on both backends."""

from __future__ import annotations

import numpy as np
import pytest
from handmade import scenario, units

from fiscal.pipeline import run

BACKENDS = ["highs", "pulp"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_minimax_water_fills(backend):
    # need 100, 200, 300; capacity 90, 100, 150; envelope 160.
    # Equal shortfall z: X = N(1 − z) − C ≥ 0. With all three: 260 − 600z = 160 → z = 1/6, but unit
    # 1 would get 10 − 100/6 < 0; without it: 250 − 500z = 160 → z = 0.18 → X = (0, 64, 96).
    table = units(need_units=[100, 200, 300], own_revenue=[90, 100, 150], population=[1, 1, 1])
    r = run(scenario(160), units=table, backend=backend)
    assert r.table["transfer"].tolist() == [0, 64, 96]
    assert r.objective == pytest.approx(0.18, abs=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_need_gap_puts_the_shortfall_on_the_largest_need(backend):
    # gaps 50, 100, 150 (need 100, 200, 300; capacity half); envelope 240 is 60 short.
    # One VND short costs 1/N: cheapest on the largest need → X = (50, 100, 90).
    table = units(need_units=[100, 200, 300], own_revenue=[50, 100, 150], population=[1, 1, 1])
    r = run(scenario(240, kind="need_gap"), units=table, backend=backend)
    assert r.table["transfer"].tolist() == [50, 100, 90]
    assert r.objective == pytest.approx((60 / 300) / 3)  # mean relative distance


@pytest.mark.parametrize("backend", BACKENDS)
def test_per_capita_maximin_equalises_resources_per_person(backend):
    # capacity 100 each, population 10, 20, 30, envelope 300: R = w·P with ΣR = 600 → w = 10
    table = units(
        need_units=[1000, 1000, 1000], own_revenue=[100, 100, 100], population=[10, 20, 30]
    )
    r = run(scenario(300, kind="per_capita_maximin"), units=table, backend=backend)
    assert r.table["transfer"].tolist() == [0, 100, 200]
    assert r.objective == pytest.approx(10.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_blend_ends_are_the_pure_objectives(backend):
    table = units(
        need_units=[100, 200, 300],
        own_revenue=[50, 100, 150],
        population=[1, 1, 1],
        baseline=[80, 80, 80],
    )
    equity = run(
        scenario(240, kind="blend", objective={"weight": 1.0}), units=table, backend=backend
    )
    pure = run(scenario(240, kind="need_gap"), units=table, backend=backend)
    assert equity.table["transfer"].tolist() == pure.table["transfer"].tolist()
    stable = run(
        scenario(240, kind="blend", objective={"weight": 0.0}), units=table, backend=backend
    )
    assert stable.table["transfer"].tolist() == [80, 80, 80]


@pytest.mark.parametrize("backend", BACKENDS)
def test_floors_caps_minimums_and_group_shares_hold(backend):
    table = units(
        need_units=[100, 200, 300, 400],
        own_revenue=[0, 0, 0, 0],
        population=[10, 10, 10, 10],
        baseline=[50, 50, 50, 50],
        region=["N", "N", "S", "S"],
    )
    cons = [
        {"kind": "floor", "ratio": 1.0},
        {"kind": "cap", "ratio": 3.0},
        {"kind": "per_capita_min", "amount": 6.0},
        {"kind": "group_share", "name": "north", "where": {"region": "N"}, "min_share": 0.4},
    ]
    r = run(scenario(500, kind="need_gap", constraints=cons), units=table, backend=backend)
    X = np.array(r.table["transfer"])
    assert X.sum() == 500
    assert (X >= 60).all()  # per-capita minimum 6 × 10 people is above the floor of 50
    assert (X <= 150).all()
    assert X[:2].sum() >= 200
    assert all(c.ok for c in r.checks)


@pytest.mark.parametrize(
    ("penalty", "expected", "violation"), [(1e4, [400, 600], 200), (10, [10, 990], 590)]
)
def test_soft_floor_in_an_lp_is_priced_by_its_penalty(penalty, expected, violation):
    # Breaking the floors by 200 in total is unavoidable. A high penalty keeps it there (and
    # need_gap then favours the larger need); penalty 10 is cheaper than over-funding unit 1,
    # whose need is only 10, so the floor gives way much further.
    table = units(need_units=[10, 20], population=[1, 1], baseline=[600, 600])
    s = scenario(
        1000,
        kind="need_gap",
        constraints=[
            {"kind": "floor", "ratio": 1.0, "name": "hh", "soft": True, "penalty": penalty}
        ],
    )
    r = run(s, units=table)
    assert r.table["transfer"].tolist() == expected
    assert r.constraints.set_index("name").loc["hh", "violation"] == violation
    assert all(c.ok for c in r.checks)  # soft rules are not part of the hard re-check
