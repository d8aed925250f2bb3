"""Needs, the formula with damping, rounding, and every objective on problems solved by hand."""

from __future__ import annotations

import numpy as np
import pytest
from handmade import scenario, units

from fiscal import needs
from fiscal.errors import InfeasibleError, ModelError
from fiscal.formula import damp
from fiscal.pipeline import run
from fiscal.rounding import largest_remainder
from fiscal.scenario import scenario_from_dict

BACKENDS = ["highs", "pulp"]


# ----------------------------------------------------------------------------- needs


def test_need_is_rate_times_indicator_times_coefficient_plus_other():
    table = units(population=[100, 300], area_km2=[10, 20], region=["A", "B"])
    s = scenario_from_dict({
        "scenario": {"name": "n"},
        "envelope": {"total": 1},
        "need": {
            "other_markup": 0.1,
            "criteria": [
                {"indicator": "population", "rate": 2, "coefficients": {"B": 1.5}},
                {"indicator": "area_km2", "rate": 3},
            ],
        },
    })
    # 1.1 × (2·100·1 + 3·10) = 253 ; 1.1 × (2·300·1.5 + 3·20) = 1056
    np.testing.assert_allclose(needs.need(table.frame, s.need.criteria, 0.1), [253, 1056])


def test_capacity_and_gap():
    table = units(population=[1, 1], own_revenue=[100, 50], retention=[0.5, 1.0])
    cap = needs.capacity(table.frame)
    np.testing.assert_allclose(cap, [50, 50])
    np.testing.assert_allclose(needs.gap(np.array([80.0, 30.0]), cap), [30, 0])


def test_unknown_indicator_names_the_columns():
    table = units(population=[1, 2])
    s = scenario(10, indicator="poverty")
    with pytest.raises(ModelError, match="indicator 'poverty'.*columns with numbers"):
        run(s, units=table)


# ----------------------------------------------------------------------------- damping


def test_damping_raises_the_floor_and_scales_back_the_gainers():
    F = np.array([10.0, 30.0, 60.0])
    X, k = damp(F, np.array([20.0, 0, 0]), np.full(3, np.inf), 100.0)
    # unit 1 raised to 20; the others share 80 in proportion 30:60 → k = 8/9
    np.testing.assert_allclose(X, [20, 80 / 3, 160 / 3])
    assert k == pytest.approx(8 / 9)


def test_damping_with_a_cap_gives_the_clawback_to_the_others():
    F = np.array([10.0, 30.0, 60.0])
    X, k = damp(F, np.array([20.0, 0, 0]), np.array([np.inf, np.inf, 50.0]), 100.0)
    # 20 + 30k + 50 = 100 → k = 1
    np.testing.assert_allclose(X, [20, 30, 50])
    assert k == pytest.approx(1.0)


def test_formula_scenario_applies_floors_and_reconciles_exactly():
    # gaps 10, 30, 60 (need − 0 capacity); floors at the baseline
    table = units(need_units=[10, 30, 60], population=[1, 1, 1], baseline=[20, 20, 20])
    s = scenario(100, kind="formula", constraints=[{"kind": "floor", "ratio": 1.0}])
    r = run(s, units=table)
    # X = clip(k·F, 20): 20 + k(30 + 60) = 100 → k = 8/9 → 26.67, 53.33 → rounded 27, 53
    assert r.table["transfer"].tolist() == [20, 27, 53]
    assert r.table["allocation"].sum() == 100
    assert r.table["flags"].tolist()[0] == "at floor"


# ----------------------------------------------------------------------------- rounding


def test_largest_remainder_reconciles_and_breaks_ties_by_position():
    assert largest_remainder(np.array([1.5, 1.5, 1.0]), 4).tolist() == [2, 1, 1]
    assert largest_remainder(np.array([33.3, 33.3, 33.4]), 100).tolist() == [33, 33, 34]
    assert largest_remainder(np.array([15.0, 25.0, 60.0]), 100, unit=10).tolist() == [20, 20, 60]


def test_rounding_never_breaks_a_bound():
    values = np.array([10.4, 10.4, 79.2])
    # without bounds unit 3 would get the spare unit; a cap of 79 forces it elsewhere
    out = largest_remainder(values, 100, upper=np.array([np.inf, np.inf, 79.0]))
    assert out.tolist() == [11, 10, 79]
    out = largest_remainder(values, 100, lower=np.array([11.0, 11.0, 0.0]))
    assert out.tolist() == [11, 11, 78]


def test_rounding_refuses_a_total_off_the_unit():
    with pytest.raises(ModelError, match="not a multiple of the rounding unit"):
        largest_remainder(np.array([1.0, 2.0]), 3.5)


# ----------------------------------------------------------------------------- objectives


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
    table = units(need_units=[1000, 1000, 1000], own_revenue=[100, 100, 100], population=[10, 20, 30])
    r = run(scenario(300, kind="per_capita_maximin"), units=table, backend=backend)
    assert r.table["transfer"].tolist() == [0, 100, 200]
    assert r.objective == pytest.approx(10.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_stability_ties_are_broken_toward_the_formula(backend):
    # baseline 100 each, envelope 330: every way of adding 30 has the same stability cost 0.3/3.
    # The tie-break picks, among them, the closest to the formula F = 330·(10, 20, 30)/60 =
    # (55, 110, 165) in relative L1: (100, 110, 120) costs 45/165; (100, 100, 130) costs
    # 10/110 + 35/165 more.
    table = units(need_units=[10, 20, 30], population=[1, 1, 1], baseline=[100, 100, 100])
    r = run(scenario(330, kind="stability"), units=table, backend=backend)
    assert r.table["transfer"].tolist() == [100, 110, 120]
    assert r.objective == pytest.approx(0.1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_blend_ends_are_the_pure_objectives(backend):
    table = units(need_units=[100, 200, 300], own_revenue=[50, 100, 150], population=[1, 1, 1],
                  baseline=[80, 80, 80])
    equity = run(scenario(240, kind="blend", objective={"weight": 1.0}), units=table, backend=backend)
    pure = run(scenario(240, kind="need_gap"), units=table, backend=backend)
    assert equity.table["transfer"].tolist() == pure.table["transfer"].tolist()
    stable = run(scenario(240, kind="blend", objective={"weight": 0.0}), units=table, backend=backend)
    assert stable.table["transfer"].tolist() == [80, 80, 80]


@pytest.mark.parametrize("backend", BACKENDS)
def test_floors_caps_minimums_and_group_shares_hold(backend):
    table = units(need_units=[100, 200, 300, 400], own_revenue=[0, 0, 0, 0],
                  population=[10, 10, 10, 10], baseline=[50, 50, 50, 50],
                  region=["N", "N", "S", "S"])
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


def test_both_backends_give_the_same_table_on_a_random_problem():
    rng = np.random.default_rng(7)
    n = 25
    table = units(need_units=rng.uniform(100, 1000, n).round(), own_revenue=rng.uniform(0, 300, n).round(),
                  population=rng.uniform(10, 100, n).round(), baseline=rng.uniform(50, 200, n).round())
    for kind in ("need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend"):
        s = scenario(4000, kind=kind, constraints=[{"kind": "floor", "ratio": 0.9}])
        a, b = run(s, units=table), run(s, units=table, backend="pulp")
        assert a.objective == pytest.approx(b.objective, rel=1e-6, abs=1e-9), kind
        assert a.table["transfer"].tolist() == b.table["transfer"].tolist(), kind


# ----------------------------------------------------------------------------- infeasibility


@pytest.mark.parametrize("kind", ["formula", "shortfall_minimax"])
def test_floors_above_the_envelope_name_the_conflict_and_the_repairs(kind):
    table = units(need_units=[10, 20], population=[1, 1], baseline=[600, 600])
    s = scenario(1000, kind=kind, constraints=[{"kind": "floor", "ratio": 1.0, "name": "hh"}])
    with pytest.raises(InfeasibleError) as err:
        run(s, units=table)
    e = err.value
    assert any("hh (floor) need 1.2 bn VND but the envelope is 1.0 bn VND" in c for c in e.conflicts)
    by_path = {r.path: r for r in e.repairs}
    assert by_path["envelope.total"].value == 1200
    assert by_path["constraints.hh.ratio"].value == pytest.approx(1000 / 1200, abs=1e-4)
    assert by_path["constraints.hh.ratio"].value <= 1000 / 1200  # rounded in the safe direction
    assert "Smallest repairs" in str(e)


# ----------------------------------------------------------------------------- soft rules


def test_soft_floor_in_the_formula_binds_as_far_as_the_envelope_allows():
    table = units(need_units=[10, 20], population=[1, 1], baseline=[600, 600])
    s = scenario(1000, kind="formula", constraints=[{"kind": "floor", "ratio": 1.0, "name": "hh", "soft": True}])
    r = run(s, units=table)  # a hard floor would be infeasible (1,200 > 1,000)
    assert r.table["transfer"].tolist() == [500, 500]
    assert r.table["flags"].tolist() == ["below hh (soft)"] * 2
    assert r.constraints.set_index("name").loc["hh", "violation"] == 200


@pytest.mark.parametrize(("penalty", "expected", "violation"), [(1e4, [400, 600], 200), (10, [10, 990], 590)])
def test_soft_floor_in_an_lp_is_priced_by_its_penalty(penalty, expected, violation):
    # Breaking the floors by 200 in total is unavoidable. A high penalty keeps it there (and
    # need_gap then favours the larger need); penalty 10 is cheaper than over-funding unit 1,
    # whose need is only 10, so the floor gives way much further.
    table = units(need_units=[10, 20], population=[1, 1], baseline=[600, 600])
    s = scenario(1000, kind="need_gap",
                 constraints=[{"kind": "floor", "ratio": 1.0, "name": "hh", "soft": True, "penalty": penalty}])
    r = run(s, units=table)
    assert r.table["transfer"].tolist() == expected
    assert r.constraints.set_index("name").loc["hh", "violation"] == violation
    assert all(c.ok for c in r.checks)  # soft rules are not part of the hard re-check


def test_exports_get_the_usual_file_mode(tmp_path):
    """atomic_write's temporary file is 0600; the written export follows the umask instead."""
    import os

    from fiscal._io import atomic_write

    old = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "out.csv", b"x\n")
        assert path.stat().st_mode & 0o777 == 0o644
        os.chmod(path, 0o640)
        atomic_write(path, b"y\n")  # an existing file keeps its mode
        assert path.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


@pytest.mark.parametrize(("strict", "expected"), [(False, [97, 103]), (True, [98, 102])])
def test_bounds_in_whole_units_inside_or_strictly(strict, expected):
    # floors of 97.5 % of 100: met by 97 (the whole unit inside the bound) or, strictly, by 98
    table = units(need_units=[1, 1000], population=[1, 1], baseline=[100, 100])
    s = scenario(200, kind="need_gap", constraints=[{"kind": "floor", "ratio": 0.975}],
                 rounding={"unit": 1, "strict_bounds": strict})
    r = run(s, units=table)
    assert r.table["transfer"].tolist() == expected
    assert all(c.ok for c in r.checks)


def test_strict_bounds_can_make_a_scenario_infeasible():
    # three floors of 33.4 in an envelope of 100: whole units below (33) fit, strictly (34) not
    table = units(need_units=[1, 1, 1], population=[1, 1, 1], baseline=[33.4 / 0.5] * 3)
    cons = [{"kind": "floor", "ratio": 0.5, "name": "hh"}]
    assert run(scenario(100, constraints=cons), units=table).table["transfer"].sum() == 100
    with pytest.raises(InfeasibleError):
        run(scenario(100, constraints=cons, rounding={"unit": 1, "strict_bounds": True}), units=table)
