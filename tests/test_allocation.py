"""Needs, the formula with damping, infeasible floors and a soft floor, on problems solved by hand.

The LP objectives are in tests/test_model.py, the tie-break and the backends in
tests/test_solve.py, rounding in tests/test_results.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from handmade import scenario, units

from fiscal import needs
from fiscal.errors import InfeasibleError, ModelError
from fiscal.formula import damp
from fiscal.pipeline import run
from fiscal.scenario import scenario_from_dict

# ----------------------------------------------------------------------------- needs


def test_need_is_rate_times_indicator_times_coefficient_plus_other():
    table = units(population=[100, 300], area_km2=[10, 20], region=["A", "B"])
    s = scenario_from_dict(
        {
            "scenario": {"name": "n"},
            "envelope": {"total": 1},
            "need": {
                "other_markup": 0.1,
                "criteria": [
                    {"indicator": "population", "rate": 2, "coefficients": {"B": 1.5}},
                    {"indicator": "area_km2", "rate": 3},
                ],
            },
        }
    )
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


# ----------------------------------------------------------------------------- infeasibility


@pytest.mark.parametrize("kind", ["formula", "shortfall_minimax"])
def test_floors_above_the_envelope_name_the_conflict_and_the_repairs(kind):
    table = units(need_units=[10, 20], population=[1, 1], baseline=[600, 600])
    s = scenario(1000, kind=kind, constraints=[{"kind": "floor", "ratio": 1.0, "name": "hh"}])
    with pytest.raises(InfeasibleError) as err:
        run(s, units=table)
    e = err.value
    assert any(
        "hh (floor) need 1.2 bn VND but the envelope is 1.0 bn VND" in c for c in e.conflicts
    )
    by_path = {r.path: r for r in e.repairs}
    assert by_path["envelope.total"].value == 1200
    assert by_path["constraints.hh.ratio"].value == pytest.approx(1000 / 1200, abs=1e-4)
    assert by_path["constraints.hh.ratio"].value <= 1000 / 1200  # rounded in the safe direction
    assert "Smallest repairs" in str(e)


# ----------------------------------------------------------------------------- soft rules


def test_soft_floor_in_the_formula_binds_as_far_as_the_envelope_allows():
    table = units(need_units=[10, 20], population=[1, 1], baseline=[600, 600])
    s = scenario(
        1000,
        kind="formula",
        constraints=[{"kind": "floor", "ratio": 1.0, "name": "hh", "soft": True}],
    )
    r = run(s, units=table)  # a hard floor would be infeasible (1,200 > 1,000)
    assert r.table["transfer"].tolist() == [500, 500]
    assert r.table["flags"].tolist() == ["below hh (soft)"] * 2
    assert r.constraints.set_index("name").loc["hh", "violation"] == 200


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
