"""The A/B/C mechanism as scenario settings ([sharing], [lines.balancing]) and rules on
resources: by hand on tiny tables, and on the bundled 2026 layer."""

from __future__ import annotations

import numpy as np
import pytest
from handmade import scenario, units

import fiscal
from fiscal import calibrate, sharing
from fiscal.errors import ModelError, ScenarioError
from fiscal.scenario import load_scenario

TOPUPS = [{"unit": "56", "amount": 319_000}, {"unit": "51", "amount": 168_000}]


def _bridge(**changes):
    base = load_scenario("national-2026-baseline").to_dict()
    base["sharing"] = {"mode": "within_period"}
    base["lines"] = {"balancing": {"uplift": 0.03, "topups": TOPUPS}}
    base.update(changes)
    return fiscal.scenario.scenario_from_dict(base, source="bridge.toml")


def _table(**cols):
    """A hand table; own revenue = B + C where the revenue kinds are given (as validation asks)."""
    if "revenue_local" in cols and "own_revenue" not in cols:
        cols["own_revenue"] = [
            b + c for b, c in zip(cols["revenue_local"], cols["revenue_shared"], strict=True)
        ]
    return units(**cols)


# --------------------------------------------------------------------------- by hand


def test_period_start_recomputes_rates_and_transfers_from_a_b_c():
    # U1: A − B = 80 < C = 100 → keeps 80 %, no transfer; U2: 190 ≥ 40 → 100 % and 150
    t = _table(
        need_units=[100_000, 200_000],
        revenue_local=[20_000, 10_000],
        revenue_shared=[100_000, 40_000],
        population=[1000, 1000],
    )
    s = scenario(0, kind="formula", sharing={"mode": "period_start"})
    s = s.with_value("envelope", {"from_sharing": True})
    r = fiscal.run(s, units=t)
    tab = r.table.set_index("code")
    assert tab["sharing_rate"].tolist() == [80, 100]
    assert tab["transfer"].tolist() == [0, 150_000]
    assert tab["capacity"].tolist() == [100_000, 50_000]  # B + kept share of C
    assert tab["remitted"].tolist() == [20_000, 0]
    assert tab["fiscal_class"].tolist() == [sharing.REMITS_LE_20, sharing.RECEIVING]  # remits 20 %
    assert r.total == 150_000  # envelope.from_sharing: the mechanism's sum


def test_a_remitting_unit_receives_nothing_whatever_the_objective():
    # the envelope is larger than the receiving unit's transfer: the surplus may not go to U1
    t = _table(
        need_units=[100_000, 200_000],
        revenue_local=[20_000, 10_000],
        revenue_shared=[100_000, 40_000],
        population=[1000, 10],
    )
    s = scenario(200_000, kind="per_capita_maximin", sharing={"mode": "period_start"})
    tab = fiscal.run(s, units=t).table.set_index("code")
    assert tab.loc["U1", "transfer"] == 0 and tab.loc["U2", "transfer"] == 200_000
    led = fiscal.run(s, units=t).constraints.set_index("name")
    assert led.loc["remitting units", "kind"] == "sharing"


def test_within_period_freezes_rates_and_uplifts_transfers():
    t = _table(
        need_units=[100_000, 200_000],
        revenue_local=[20_000, 10_000],
        revenue_shared=[100_000, 40_000],
        sharing_rate=[70, 100],
        baseline=[0, 100_001],
        population=[1000, 1000],
    )
    s = scenario(
        0,
        kind="formula",
        sharing={"mode": "within_period"},
        lines={"balancing": {"uplift": 0.03, "topups": [{"unit": "U2", "amount": 5_000}]}},
    ).with_value("envelope", {"from_sharing": True})
    tab = fiscal.run(s, units=t).table.set_index("code")
    assert tab["sharing_rate"].tolist() == [70, 100]  # frozen, not (A − B)/C = 80
    # 100,001 × 1.03 = 103,001.03 → 103,001 (half-up per unit), + 5,000
    assert tab["transfer"].tolist() == [0, 108_001]
    assert tab.loc["U1", "capacity"] == 20_000 + 70_000


def test_a_frozen_rate_below_100_with_a_transfer_is_refused():
    t = _table(
        need_units=[100_000],
        revenue_local=[20_000],
        revenue_shared=[100_000],
        sharing_rate=[70],
        baseline=[10_000],
        population=[1000],
    )
    s = scenario(10_300, kind="formula", sharing={"mode": "within_period"})
    with pytest.raises(ModelError, match=r"unit U1 has a frozen rate of 70 % and a balancing"):
        fiscal.run(s, units=t)


def test_floor_on_resources_by_hand():
    # K0 = 50, X0 = 100: a 90 % floor on resources is K + X ≥ 135, i.e. X ≥ 85 (not 90)
    t = _table(
        need_units=[1000, 1000],
        own_revenue=[50, 50],
        baseline=[100, 100],
        population=[1, 1],
    )
    floor = {"name": "hh", "kind": "floor", "ratio": 0.9, "base": "resources", "units": ["U1"]}
    s = scenario(100, kind="shortfall_minimax", constraints=[floor])
    rule = fiscal.problem.prepare(s, t).rules[0]
    assert rule.base == "resources" and rule.lower[0].tolist()[0] == 85
    tab = fiscal.run(s, units=t).table.set_index("code")
    assert tab.loc["U1", "transfer"] >= 85 and tab.loc["U1", "resources"] >= 135
    transfer_floor = {**floor, "base": "transfer"}
    rule = fiscal.problem.prepare(scenario(100, constraints=[transfer_floor]), t).rules[0]
    assert rule.lower[0].tolist()[0] == 90


def test_cap_on_resources_below_revenue_kept_means_no_transfer():
    t = _table(
        need_units=[1000, 1000], own_revenue=[500, 0], baseline=[100, 100], population=[1, 1]
    )
    cap = {"name": "c", "kind": "cap", "ratio": 0.5, "base": "resources", "units": ["U1"]}
    rule = fiscal.problem.prepare(scenario(100, constraints=[cap]), t).rules[0]
    assert rule.upper[0].tolist()[0] == 0  # 0.5 × 600 − 500 < 0: nothing may be added


def test_transition_on_resources_over_years_by_hand():
    # K = 100 then 200 (revenue +100 %): resources may move 10 % a year, so the second year's
    # transfer must fall to about (1.1 × (100 + X₁) − 200)
    t = _table(
        need_units=[10_000, 10_000], own_revenue=[100, 100], baseline=[100, 100], population=[1, 1]
    )
    tr = {"name": "tr", "kind": "transition", "max_change": 0.1, "base": "resources"}
    s = scenario(
        200,
        kind="shortfall_minimax",
        years=[2026, 2027],
        constraints=[tr],
        capacity={"revenue_growth": 1.0},
    ).with_value("envelope.mode", "at_most")
    r = fiscal.run(s, units=t)
    X = r.table["transfer"].to_numpy().reshape(2, 2)
    R = X + np.array([[100, 100], [200, 200]])
    prev = np.vstack([[200, 200], R[0]])
    assert np.all(np.abs(R - prev) <= 0.1 * prev + 1)
    assert all(c.ok for c in r.checks)


def test_floor_against_predecessors_needs_sharing():
    t = _table(need_units=[1000], own_revenue=[50], baseline=[100], population=[1])
    floor = {"name": "m", "kind": "floor", "ratio": 1.0, "base": "predecessors"}
    with pytest.raises(ModelError, match="base = .predecessors.*add a \\[sharing\\] table"):
        fiscal.run(scenario(100, constraints=[floor]), units=t)


def test_sharing_settings_are_checked():
    with pytest.raises(ScenarioError, match="covers one budget year"):
        scenario(1, sharing={"mode": "period_start"}, years=[2026, 2027])
    with pytest.raises(ScenarioError, match="uplift and top-ups apply inside a stability period"):
        scenario(1, lines={"balancing": {"uplift": 0.03}})
    with pytest.raises(
        ScenarioError, match="rates = 'optimise' chooses the rates of a period start"
    ):
        scenario(1, sharing={"mode": "within_period", "rates": "optimise"})
    with pytest.raises(ScenarioError, match="needs an optimising objective"):
        scenario(1, kind="formula", sharing={"mode": "period_start", "rates": "optimise"})
    with pytest.raises(ScenarioError, match="two top-ups"):
        scenario(
            1,
            sharing={"mode": "within_period"},
            lines={
                "balancing": {"topups": [{"unit": "A", "amount": 1}, {"unit": "A", "amount": 2}]}
            },
        )
    with pytest.raises(ScenarioError, match="from_sharing needs a \\[sharing\\] table"):
        scenario(1).with_value("envelope", {"from_sharing": True})


def test_a_table_without_the_revenue_kinds_is_told_what_to_add():
    t = _table(need_units=[1000], own_revenue=[50], baseline=[100], population=[1])
    s = scenario(100, sharing={"mode": "period_start"})
    with pytest.raises(
        ModelError, match="needs the unit-table column\\(s\\) revenue_local, revenue_shared"
    ):
        fiscal.run(s, units=t)


def test_a_top_up_for_an_unknown_unit_is_refused():
    s = _bridge(lines={"balancing": {"uplift": 0.03, "topups": [{"unit": "99", "amount": 1}]}})
    with pytest.raises(ModelError, match="topups\\[0\\]: unit '99' is not in the unit table"):
        fiscal.run(s)


# --------------------------------------------------------------------------- bundled 2026


def test_the_bridge_year_reproduces_every_2026_transfer():
    r = fiscal.run(_bridge())
    layer = calibrate.abc_layer().set_index("code")
    tab = r.table.set_index("code")
    np.testing.assert_array_equal(tab["transfer"], layer.loc[tab.index, "balancing_2026"])
    np.testing.assert_array_equal(tab["sharing_rate"], layer.loc[tab.index, "sharing_rate"])
    assert tab.loc["33", "transfer"] == 5_315_159 and r.total == 238_421_000
    assert set(tab.index[tab["transfer"] == 0]) == {"01", "22", "31", "48", "75", "79", "80"}
    assert (tab["fiscal_class"] == sharing.RECEIVING).sum() == 27


def test_a_period_start_on_the_status_quo_need_gives_back_the_2026_layer():
    s = load_scenario("national-2026-baseline").to_dict()
    s["sharing"] = {"mode": "period_start"}
    s["envelope"] = {"from_sharing": True}
    tab = fiscal.run(fiscal.scenario.scenario_from_dict(s)).table.set_index("code")
    layer = calibrate.abc_layer().set_index("code")
    np.testing.assert_array_equal(tab["sharing_rate"], layer.loc[tab.index, "sharing_rate"])
    np.testing.assert_array_equal(tab["transfer"], layer.loc[tab.index, "balancing_2026"])


def test_predecessors_reference_is_their_summed_resources():
    s = _bridge()
    r = fiscal.run(s)
    preds = calibrate.predecessor_layer()
    own = sharing.period_start(
        preds["spending_need"], preds["revenue_local"], preds["revenue_shared"]
    )
    by_unit = own.frame().assign(unit=preds["unit"]).groupby("unit")["resources"].sum()
    tab = r.table.set_index("code")
    np.testing.assert_array_equal(tab["predecessor_resources"], by_unit.loc[tab.index])
    # Hưng Yên: its two predecessors (one remitting, one receiving) against the merged unit
    view = fiscal.mechanism.merger_view(r.problem, r.cells.sum(axis=1))
    hy = view[view["unit"] == "33"]
    assert hy["level"].tolist() == ["unit", "predecessor", "predecessor"]
    assert hy.iloc[0]["reference"] == hy.iloc[1:]["resources"].sum()


def _period_start_with(floor: dict) -> fiscal.scenario.Scenario:
    s = _bridge().to_dict()
    s["constraints"].append(floor)
    s["sharing"] = {"mode": "period_start"}
    s.pop("lines")
    s["objective"] = {"kind": "shortfall_minimax"}
    return fiscal.scenario.scenario_from_dict(s, source="hh.toml")


def test_hold_harmless_against_predecessors_on_resources():
    receiving_merged = ["08", "33", "37", "51"]
    floor = {"name": "merged", "kind": "floor", "ratio": 1.0, "base": "predecessors"}
    r = fiscal.run(_period_start_with({**floor, "units": receiving_merged}))
    tab = r.table.set_index("code").loc[receiving_merged]
    assert (tab["resources"] >= tab["predecessor_resources"]).all()
    # Hưng Yên's predecessors, each at its own whole-percent rate, had more than its A: the
    # floor adds that to its transfer
    assert tab.loc["33", "transfer"] > 5_315_159
    assert all(c.ok for c in r.checks)


def test_a_remitting_unit_below_its_predecessors_cannot_be_held_by_a_transfer():
    # HCMC's three predecessors, each rounded to its own whole percent, kept more than the merged
    # unit keeps at one rate; at the formula's rates no transfer may make up for it
    floor = {"name": "merged", "kind": "floor", "ratio": 1.0, "base": "predecessors"}
    with pytest.raises(fiscal.errors.InfeasibleError, match="unit 79: the lower rules require"):
        fiscal.run(_period_start_with({**floor, "where": {"merged": "yes"}}))
