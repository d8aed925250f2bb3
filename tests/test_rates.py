"""Choosing the rates by optimisation (fiscal.rates): answers worked out by hand, both backends.

Three units (thousands of million VND so that half a million of margin does not matter):

    U1: A = 100, B = 20, C = 100 → formula rate 80 %, keeps 100 = A, remits 20
    U2: A = 200, B = 10, C = 40  → 100 %, receives 150
    U3: A = 60,  B = 10, C = 100 → formula rate 50 %, keeps 60 = A, remits 50

The envelope is 150 (U2's transfer). The centre asks for 75 instead of the formula's 70: five
rate points must go, one point of U1 or U3 being 1 (thousand million VND). Equal shortfall: U1
short a/100, U3 short b/60 with a + b = 5 in whole points → (3, 2) gives max(3 %, 3.33 %), the
best of (5,0) 5 %, (4,1) 4 %, (3,2) 3.33 %, (2,3) 5 %, … So U1 → 77 %, U3 → 48 %.
"""

from __future__ import annotations

import numpy as np
import pytest
from handmade import scenario, units

import fiscal
from fiscal import rates
from fiscal.errors import InfeasibleError, ModelError
from fiscal.problem import prepare

K = 1000


def _table(**extra):
    cols = {
        "need_units": [100 * K, 200 * K, 60 * K],
        "revenue_local": [20 * K, 10 * K, 10 * K],
        "revenue_shared": [100 * K, 40 * K, 100 * K],
        "population": [1000, 1000, 1000],
        **extra,
    }
    cols["own_revenue"] = [
        b + c for b, c in zip(cols["revenue_local"], cols["revenue_shared"], strict=True)
    ]
    return units(**cols)


def _scen(requirement: float | str = 75 * K, band: int = 5, kind: str = "shortfall_minimax", **kw):
    sharing = {"mode": "period_start", "rates": "optimise", "band": band}
    sharing["centre_revenue"] = requirement
    return scenario(150 * K, kind=kind, sharing=sharing, **kw)


@pytest.mark.parametrize("backend", ["highs", "pulp"])
def test_the_requirement_is_met_with_the_smallest_worst_shortfall(backend):
    r = fiscal.run(_scen(), units=_table(), backend=backend)
    tab = r.table.set_index("code")
    assert tab["formula_rate"].tolist() == [80, 100, 50]
    assert tab["sharing_rate"].tolist() == [77, 100, 48]
    assert tab["transfer"].tolist() == [0, 150 * K, 0]
    assert tab["remitted"].sum() == 75 * K
    chosen = r.problem.sharing.chosen
    assert chosen["value"] == pytest.approx(2 / 60, abs=1e-9)  # U3 short 2 of 60
    assert chosen["changed"] == 2 and chosen["moved"] == 5 * K
    assert r.objective == pytest.approx(2 / 60, abs=1e-7)
    assert all(c.ok for c in r.checks)


def test_no_requirement_and_a_full_envelope_keeps_the_formula_rates():
    r = fiscal.run(_scen(requirement="none"), units=_table())
    assert r.table["sharing_rate"].tolist() == [80, 100, 50]
    assert r.problem.sharing.chosen["changed"] == 0


def test_the_formula_requirement_is_what_the_formula_rates_remit():
    r = fiscal.run(_scen(requirement="formula"), units=_table())
    assert r.problem.sharing.requirement == 70 * K
    assert r.table["sharing_rate"].tolist() == [80, 100, 50]


def test_a_floor_on_resources_moves_the_cut_to_the_other_unit():
    # U3 held at 98 % of its resources (58.8): at most one point (59 ≥ 58.8 + 0.5 margin fails
    # at 48, holds at 49), so U1 gives the other four: U1 76 %, U3 49 %
    floor = {"name": "hh", "kind": "floor", "ratio": 0.98, "base": "resources", "units": ["U3"]}
    r = fiscal.run(_scen(constraints=[floor]), units=_table())
    assert r.table["sharing_rate"].tolist() == [76, 100, 49]
    assert r.table.set_index("code").loc["U3", "resources"] >= 0.98 * 60 * K


def test_a_receiving_unit_keeps_100_and_a_remitting_one_receives_nothing():
    # a band that reaches 100 % for U1 and an envelope larger than U2's gap: minimax could put
    # money on U1 only at 100 %; need_gap has no reason to, and no unit below 100 % receives
    r = fiscal.run(_scen(requirement="none", band=30, kind="need_gap"), units=_table())
    tab = r.table.set_index("code")
    assert ((tab["sharing_rate"] == 100) | (tab["transfer"] == 0)).all()


@pytest.mark.parametrize("kind", ["need_gap", "stability", "per_capita_maximin"])
def test_every_objective_gives_one_table_on_both_backends(kind):
    t = _table(baseline=[0, 140 * K, 0])
    s = _scen(kind=kind)
    a = fiscal.run(s, units=t, backend="highs").table
    b = fiscal.run(s, units=t, backend="pulp").table
    assert a.equals(b)
    assert a["remitted"].sum() >= 75 * K


def test_the_model_has_one_integer_rate_and_one_binary_per_unit():
    model = rates.rate_model(prepare(_scen(), _table()))
    assert int(model.lp.integrality.sum()) == 6
    r = model.lp.blocks["r"]
    assert model.lp.lb[r.slice].tolist() == [75, 95, 45]
    assert model.lp.ub[r.slice].tolist() == [85, 100, 55]


def test_an_impossible_requirement_is_explained_with_repairs():
    # band 2: at most 2 + 2 points, 74 remitted
    with pytest.raises(InfeasibleError) as err:
        fiscal.run(_scen(band=2), units=_table())
    text = str(err.value)
    assert "the centre's requirement of 75.0 bn VND" in text
    assert "at most 74.0 bn VND can be remitted" in text
    repairs = {r.path: r.value for r in err.value.repairs}
    assert repairs["sharing.centre_revenue"] == 74 * K
    assert repairs["sharing.band"] == 3
    for path, value in repairs.items():
        fiscal.run(_scen(band=2).with_value(path, value), units=_table())  # each repair works


def test_rules_the_rate_model_cannot_take_are_refused():
    share = {"name": "g", "kind": "group_share", "min_share": 0.5, "units": ["U2"]}
    with pytest.raises(ModelError, match="cannot apply g \\(group_share\\)"):
        fiscal.run(_scen(constraints=[share]), units=_table())
    soft = {"name": "f", "kind": "floor", "ratio": 0.5, "soft": True}
    with pytest.raises(ModelError, match="keeps every rule hard"):
        fiscal.run(_scen(constraints=[soft]), units=_table())


def test_the_written_model_is_the_rate_model(tmp_path):
    from fiscal.highs import read_model, write_model
    from fiscal.pipeline import primary_model

    lp = primary_model(_scen(), units=_table())
    assert lp.is_mip and lp.objective == "rates"
    path = write_model(lp, tmp_path / "rates.mps")
    status, value = read_model(path)
    assert status.is_ok and value == pytest.approx(2 / 60, abs=1e-9)


def test_the_rates_are_rechecked():
    r = fiscal.run(_scen(), units=_table())
    names = {c.name for c in r.checks}
    assert {"sharing: rates within the band", "sharing: the centre's revenue requirement"} <= names
    assert np.all([c.ok for c in r.checks])
