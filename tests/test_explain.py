"""Waterfalls, the constraint ledger, infeasibility repairs and goal-seek."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from handmade import scenario, units

import fiscal
from fiscal.errors import InfeasibleError, ModelError
from fiscal.frontier import goal_seek
from fiscal.waterfall import StepKind

ROOT = Path(__file__).resolve().parent.parent
SCEN = ROOT / "fiscal" / "scenarios"


@pytest.fixture(scope="module")
def new_norms():
    return fiscal.run(SCEN / "national-2026-new-norms.toml")


@pytest.fixture(scope="module")
def merger():
    return fiscal.run(SCEN / "national-2026-merger-support.toml")


@pytest.mark.parametrize("fixture", ["new_norms", "merger"])
def test_every_waterfall_adds_up_to_the_final_amount(request, fixture):
    result = request.getfixturevalue(fixture)
    for code in result.problem.codes:
        w = result.explain(code)
        total = sum(step.amount for step in w.steps)
        row = result.table.set_index("code").loc[code]
        assert total == pytest.approx(w.final, abs=1e-6)
        assert w.final == row["allocation"]


def test_formula_waterfall_of_a_protected_merged_province_reads_correctly(new_norms):
    w = new_norms.explain("68")  # Lâm Đồng: Lâm Đồng + Đắk Nông + Bình Thuận, at its floor
    labels = [step.label() for step in w.steps]
    assert [(s.kind, s.rule) for s in w.steps[:3]] == [
        (StepKind.FORMULA, ""),
        (StepKind.SCALING, ""),
        (StepKind.RULE, "hold-harmless"),
    ]
    assert labels[:3] == [
        "formula amount",
        "scaling to pay for protections",
        "floor: hold-harmless",
    ]
    formula, scaling, floor = (s.amount for s in w.steps[:3])
    assert scaling < 0 < floor
    assert w.final == new_norms.table.set_index("code").loc["68", "baseline"]
    assert "merged from Bình Thuận, Đắk Nông, Lâm Đồng" in w.text
    assert "floor: hold-harmless: adds" in w.text
    assert "illustrative" in w.text


def test_optimised_waterfall_credits_each_rule(merger):
    w = merger.explain("68")
    labels = [step.label() for step in w.steps]
    assert labels[:2] == ["formula amount", "objective 'shortfall_minimax' without rules"]
    assert "cap: growth-cap" in labels and "floor: hold-harmless" in labels
    assert labels[-1] == "one-off merger support"
    # NQ 76/2025: 100 bn per eliminated province (2) + 0.5 bn per eliminated commune (209)
    assert w.steps[-1].kind is StepKind.SUPPORT
    assert w.steps[-1].amount == 2 * 100_000 + 209 * 500


def test_ledger_names_who_benefits_and_who_pays(new_norms):
    led = new_norms.constraints.set_index("name")
    floor = led.loc["hold-harmless"]
    assert floor["binding"] and floor["kind"] == "floor"
    # cost = money the floor moves: re-solve without it and compare (half the L1 difference)
    without = fiscal.run(
        fiscal.load_scenario(SCEN / "national-2026-new-norms.toml").with_value("constraints", [])
    )
    diff = new_norms.table["transfer"].to_numpy() - without.table["transfer"].to_numpy()
    assert floor["cost"] == pytest.approx(np.abs(diff).sum() / 2, abs=40)  # rounding: ≤ 1 per unit
    codes = new_norms.table["code"].to_numpy()
    assert set(floor["benefits"].split(";")) == set(codes[diff > 1])
    assert set(floor["pays"].split(";")) == set(codes[diff < -1])


def test_ledger_duals_of_an_lp(merger):
    led = merger.constraints.set_index("name")
    assert led.loc["growth-cap", "binding"]
    assert not led.loc["hold-harmless", "binding"]
    assert led.loc["hold-harmless", "dual"] == 0.0
    assert np.isfinite(led.loc["envelope", "dual"])


def test_explain_unknown_unit():
    r = fiscal.run(SCEN / "national-2026-baseline.toml")
    with pytest.raises(ModelError, match="unit 'ZZ' is not in this result"):
        r.explain("ZZ")
    assert r.explain("8").code == "08"  # short codes are accepted


def test_shipped_infeasible_scenario_explains_itself():
    with pytest.raises(InfeasibleError) as err:
        fiscal.run(SCEN / "national-2026-infeasible-floors.toml")
    text = str(err.value)
    assert "hold-harmless (floor) need 242,554 bn VND but the envelope is 238,421 bn VND" in text
    assert "raise the 2026 envelope by 4,133 bn VND" in text
    assert "lower the floor ratio of 'hold-harmless' to 1.03" in text
    repair = {r.path: r for r in err.value.repairs}["constraints.hold-harmless.ratio"]
    fixed = fiscal.load_scenario(SCEN / "national-2026-infeasible-floors.toml").with_value(
        repair.path, repair.value
    )
    assert fiscal.run(fixed).table["allocation"].sum() == 238_421_000  # the repair works


def test_caps_too_tight_for_the_envelope():
    table = units(need_units=[10, 20], population=[1, 1], baseline=[100, 100])
    s = scenario(300, constraints=[{"kind": "cap", "ratio": 1.2, "name": "cap"}])
    with pytest.raises(InfeasibleError) as err:
        fiscal.run(s, units=table)
    assert any("caps allow at most" in c for c in err.value.conflicts)
    paths = {r.path: r.value for r in err.value.repairs}
    assert paths["constraints.cap.ratio"] == pytest.approx(1.5, abs=1e-4)
    assert paths["envelope.total"] == 240


def test_goal_seek_finds_the_envelope_for_a_need_target():
    table = units(need_units=[100, 200, 300], own_revenue=[50, 100, 150], population=[1, 1, 1])
    s = scenario(100, kind="need_gap")

    def share(res):
        return float(
            np.minimum(res.table["resources"], res.table["need"]).sum() / res.table["need"].sum()
        )

    value, res = goal_seek(s, "envelope.total", share, 0.9, 0, 300, units=table, tol=1e-9)
    # resources = capacity 300 + envelope; 90 % of need 600 = 540 → envelope 240
    assert value == pytest.approx(240, abs=1e-3)
    assert share(res) >= 0.9


def test_goal_seek_refuses_an_uncrossed_target():
    table = units(need_units=[100, 200], population=[1, 1])
    s = scenario(100, kind="need_gap")
    with pytest.raises(ModelError, match="not crossed"):
        goal_seek(s, "envelope.total", lambda r: r.total, 1e9, 0, 200, units=table)
