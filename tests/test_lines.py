"""Transfer lines (issue 14 point 1): each rule on a case worked out by hand, the errors, and the
shipped scenarios against every real figure we hold (read from the sourced files, never typed).

The hand case (million VND): three units, need [100, 100, 60], revenue kept [40, 100, 0],
population [10, 10, 5], rates [100, 70, 100] %. The balancing line (formula, envelope 120)
gives the gaps [60, 0, 60], so U1 and U3 receive; U2 remits 30 % (class 20–60 %).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from handmade import scenario, units

import fiscal
from fiscal.errors import FiscalError, ScenarioError
from fiscal.pipeline import run

SOURCES = Path(fiscal.__file__).parent / "datasets" / "sources"


def hand_units(**extra):
    return units(
        need_units=[100, 100, 60],
        own_revenue=[40, 100, 0],
        population=[10, 10, 5],
        sharing_rate=[100, 70, 100],
        **extra,
    )


def hand(lines=None, budget_rules=None, **extra):
    return scenario(
        120, kind="formula", lines=lines or {}, budget_rules=budget_rules or [], **extra
    )


SALARY = {
    "rule": "formula",
    "envelope": 20,
    "eligible": "receiving",
    "criteria": [{"indicator": "population", "rate": 1.0}],
}
TARGETED = {
    "rule": "cofinance",
    "envelope": 89,
    "criteria": [{"indicator": "need_units", "rate": 1.0}],
}


def amounts(result, name):
    return result.budget.line(name).amount[0].tolist()


def test_formula_line_shares_its_envelope_among_eligible_units_to_the_unit():
    # claims 10 and 5 (population) among the receiving U1, U3: 13.33 and 6.67 → 13 and 7
    r = run(hand({"salary": SALARY}), units=hand_units())
    assert amounts(r, "salary") == [13.0, 0.0, 7.0]
    assert amounts(r, "balancing") == [60.0, 0.0, 60.0]


def test_formula_line_without_envelope_is_its_formula():
    line = {"rule": "formula", "criteria": [{"indicator": "population", "rate": 2.0}]}
    r = run(hand({"per-head": line}), units=hand_units())
    assert amounts(r, "per-head") == [20.0, 20.0, 10.0]
    assert r.budget.line("per-head").envelope is None
    assert r.budget.line("per-head").total[0] == 50.0


def test_cofinance_line_pays_the_central_share_of_cost_by_fiscal_class():
    # Decree 09/2025: receiving 80 %, remitting 20–60 % 50 %: claims 80, 50, 48 of 178;
    # an envelope of 89 is exactly half of them
    r = run(hand({"targeted": TARGETED}), units=hand_units())
    assert amounts(r, "targeted") == [40.0, 25.0, 24.0]
    parts = r.budget.line("targeted").parts
    assert parts["central_share"].tolist() == [0.8, 0.5, 0.8]
    assert r.budget.fiscal_class.tolist() == ["receiving", "remits 20–60 %", "receiving"]


def test_cofinance_central_shares_can_be_set_by_class():
    line = {**TARGETED, "envelope": None, "central_share": {"remits 20–60 %": 0.0}}
    line.pop("envelope")
    r = run(hand({"targeted": line}), units=hand_units())
    assert amounts(r, "targeted") == [80.0, 0.0, 48.0]


def test_a_known_amount_is_pinned_and_the_rule_shares_the_rest():
    # U2 pinned at 30: 59 left for U1 and U3 by 80:48 → 36.875, 22.125 → 37 and 22
    line = {**TARGETED, "amounts": {"U2": 30.0}}
    r = run(hand({"targeted": line}), units=hand_units())
    assert amounts(r, "targeted") == [37.0, 30.0, 22.0]
    assert r.budget.line("targeted").known.tolist() == [False, True, False]


def test_fixed_line_is_the_decision_list():
    line = {"rule": "fixed", "eligible": "receiving", "envelope": 12, "amounts": {"U1": 5, "U3": 7}}
    r = run(hand({"facility": line}), units=hand_units())
    assert amounts(r, "facility") == [5.0, 0.0, 7.0]


def test_fixed_line_refuses_a_unit_that_is_not_eligible():
    line = {"rule": "fixed", "eligible": "receiving", "amounts": {"U1": 5, "U2": 7}}
    with pytest.raises(FiscalError, match=r"lines.facility: U2 \(Unit 2\) listed with an amount"):
        run(hand({"facility": line}), units=hand_units())


def test_fixed_line_refuses_an_envelope_its_amounts_do_not_add_up_to():
    line = {"rule": "fixed", "envelope": 13, "amounts": {"U1": 5, "U3": 7}}
    with pytest.raises(FiscalError, match="add up to 12 million VND in 2026, not the envelope 13"):
        run(hand({"facility": line}), units=hand_units())


def test_known_amounts_above_the_envelope_are_refused():
    line = {**TARGETED, "envelope": 20, "amounts": {"U2": 30.0}}
    with pytest.raises(FiscalError, match="known amounts .* exceed the envelope 20"):
        run(hand({"targeted": line}), units=hand_units())


def test_optimise_line_works_on_resources_after_the_earlier_lines():
    # resources before the line: kept + balancing + salary + targeted = [153, 125, 91],
    # per person [15.3, 12.5, 18.2]; maximin with 30: U2 up to 15.3 costs 28, the last 2 go to
    # U1 and U2 (20 people): level 15.4 → U1 +1, U2 +29
    top = {"rule": "optimise", "envelope": 30, "objective": "per_capita_maximin"}
    lines = {"salary": SALARY, "targeted": TARGETED, "top": top}
    for backend in ("highs", "pulp"):
        r = run(hand(lines), units=hand_units(), backend=backend)
        assert amounts(r, "top") == [1.0, 29.0, 0.0], backend
        assert r.budget.resources[0].tolist() == [154.0, 154.0, 91.0]


def test_optimise_line_has_its_own_constraints():
    # a per-capita minimum of 13 on resources (kept + earlier lines + this line) for U2, with
    # need_gap: U2 gets its 5 from the 30 first
    top = {
        "rule": "optimise",
        "envelope": 5,
        "objective": "need_gap",
        "constraints": [{"kind": "per_capita_min", "amount": 13.0}],
    }
    r = run(hand({"salary": SALARY, "targeted": TARGETED, "top": top}), units=hand_units())
    assert amounts(r, "top") == [0.0, 5.0, 0.0]


def test_resources_are_revenue_kept_plus_all_lines_in_the_table():
    r = run(hand({"salary": SALARY, "targeted": TARGETED}), units=hand_units())
    t = r.table
    assert t["line_salary"].tolist() == [13.0, 0.0, 7.0]
    assert t["transfers_total"].tolist() == [113.0, 25.0, 91.0]
    assert t["resources_total"].tolist() == [153.0, 125.0, 91.0]
    assert "line_balancing" not in t  # the balancing line is the table's transfer


def test_eligibility_classes_and_unit_lists():
    line = {"rule": "formula", "criteria": [{"indicator": "population", "rate": 1.0}]}
    for eligible, expected in [
        ("all", [10.0, 10.0, 5.0]),
        ("receiving", [10.0, 0.0, 5.0]),
        ("non_receiving", [0.0, 10.0, 0.0]),
    ]:
        r = run(hand({"x": {**line, "eligible": eligible}}), units=hand_units())
        assert amounts(r, "x") == expected, eligible
    r = run(hand({"x": {**line, "units": ["U3"]}}), units=hand_units())
    assert amounts(r, "x") == [0.0, 0.0, 5.0]


def test_bad_line_settings_say_what_and_where():
    with pytest.raises(ScenarioError, match="rule = 'fixed' needs amounts"):
        hand({"x": {"rule": "fixed"}})
    with pytest.raises(ScenarioError, match=r"lines\.x\.envelop"):
        hand({"x": {**SALARY, "envelop": 3}})
    with pytest.raises(ScenarioError, match="central_share is a setting of rule = 'cofinance'"):
        hand({"x": {**SALARY, "central_share": {"receiving": 0.5}}})
    with pytest.raises(ScenarioError, match="unknown fiscal class"):
        hand({"x": {**TARGETED, "central_share": {"rich": 0.5}}})
    with pytest.raises(
        ScenarioError, match="base 'nope' is neither 'total', 'kept', 'capacity' nor a line"
    ):
        hand(budget_rules=[{"kind": "per_capita_min", "amount": 1.0, "base": "nope"}])


def test_cofinance_without_fiscal_classes_says_what_to_add():
    table = units(need_units=[100, 100, 60], own_revenue=[40, 100, 0], population=[10, 10, 5])
    with pytest.raises(FiscalError, match="needs each unit's fiscal class"):
        run(hand({"targeted": TARGETED}), units=table)


def test_a_scenario_without_lines_has_no_budget_and_no_new_columns():
    r = run("national-2026-bridge")
    assert r.budget is None
    assert not [c for c in r.table if c.startswith("line_") or c.endswith("_total")]


# ----------------------------------------------------------------------- the real figures


def _rows(name):
    with open(SOURCES / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _fact(metric, year="2026", code="national"):
    """A sourced figure in million VND: national ones from fiscal_facts_sourced.csv (bn VND),
    a province's from province_fiscal_facts_2025_2026.csv."""
    if code == "national":
        for row in _rows("fiscal_facts_sourced.csv"):
            if row["scope"] == code and row["metric"] == metric and row["year"] == year:
                assert row["value_unit"] == "bn VND"
                return float(row["value"]) * 1000
    for row in _rows("province_fiscal_facts_2025_2026.csv"):
        if row["code"] == code and row["metric"] == metric and row["year"] == year:
            assert row["unit"] == "million VND"
            return float(row["value"])
    raise KeyError(metric)


@pytest.fixture(scope="module")
def budget_2026():
    return run("national-2026-budget")


@pytest.fixture(scope="module")
def merger_money():
    return run("national-2025-merger-money")


@pytest.mark.parametrize(
    ("line", "metric"),
    [
        ("balancing", "balancing_supplement_to_localities"),
        ("salary", "base_salary_supplement_to_localities"),
        ("targeted", "targeted_supplement_to_localities"),
    ],
)
def test_the_three_nq246_lines_reproduce_their_real_totals(budget_2026, line, metric):
    la = budget_2026.budget.line(line)
    assert la.total[0] == _fact(metric)
    assert la.envelope == _fact(metric)
    assert np.all(la.amount == np.round(la.amount))  # whole million VND


def test_hung_yen_balancing_and_targeted_transfers_are_its_real_2026_figures(budget_2026):
    b = budget_2026.budget
    i = list(b.codes).index("33")
    assert b.line("balancing").amount[0, i] == _fact("balancing_transfer_from_central", code="33")
    assert b.line("targeted").amount[0, i] == _fact("targeted_transfer_from_central", code="33")
    assert b.line("targeted").known.tolist().count(True) == 1


def test_budget_2026_resources_reconcile_to_the_dong(budget_2026):
    b = budget_2026.budget
    t = budget_2026.table
    assert np.array_equal(b.resources[0], b.kept[0] + sum(la.amount[0] for la in b.lines))
    # revenue kept = what the gap counts + land fees kept and lottery (outside the gap)
    frame = budget_2026.problem.frame
    capital = frame["revenue_land"].to_numpy(dtype=float) + frame["revenue_lottery"].to_numpy(
        dtype=float
    )
    assert np.array_equal(b.kept[0], t["capacity"].to_numpy(dtype=float) + capital)
    assert t["resources_total"].sum() == b.kept[0].sum() + sum(la.total[0] for la in b.lines)
    assert t["transfers_total"].sum() == 238_421_000 + 53_554_000 + 187_175_000


def test_decision_2639_amounts_are_reproduced_exactly(merger_money):
    rows = [r for r in _rows("qd2639_2025_commune_facility_transfer_27.csv") if r["code"]]
    printed = [r for r in _rows("qd2639_2025_commune_facility_transfer_27.csv") if not r["code"]]
    assert len(rows) == 27
    la = merger_money.budget.line("commune-facility")
    got = dict(zip(merger_money.budget.codes, la.amount[0], strict=True))
    for r in rows:
        assert got[r["code"].zfill(2)] == float(r["value"]), r["name"]
    assert sum(v > 0 for v in got.values()) == 27
    assert la.total[0] == float(printed[0]["value"])


def test_merger_support_goes_to_receiving_provinces_at_nq76_rates(merger_money):
    b = merger_money.budget
    frame = merger_money.problem.frame
    la = b.line("merger-support")
    rates = {c.indicator: c.rate for c in la.settings.criteria}
    expected = rates["eliminated_provinces"] * frame["eliminated_provinces"].to_numpy(
        dtype=float
    ) + rates["eliminated_communes"] * frame["eliminated_communes"].to_numpy(dtype=float)
    receiving = b.line("balancing").amount[0] > 0
    assert np.array_equal(la.amount[0], np.where(receiving, expected, 0.0))
    # the receiving units are the 27 of Decision 2639
    paid = {
        r["code"].zfill(2)
        for r in _rows("qd2639_2025_commune_facility_transfer_27.csv")
        if r["code"]
    }
    assert set(b.codes[receiving]) == paid


def test_lines_are_the_same_on_both_backends():
    a = run("national-2026-budget", backend="highs")
    b = run("national-2026-budget", backend="pulp")
    for la, lb in zip(a.budget.lines, b.budget.lines, strict=True):
        assert np.array_equal(la.amount, lb.amount), la.name


def test_merged_eligibility_reads_the_bundled_merged_column():
    line = {"rule": "formula", "criteria": [{"indicator": "population", "rate": 0.0001}]}
    s = fiscal.load_scenario("national-2026-bridge").model_dump(exclude_none=True)
    frames = {}
    for eligible in ("merged", "merged_receiving"):
        data = {**s, "lines": {**s["lines"], "x": {**line, "eligible": eligible}}}
        data["scenario"].pop("extends", None)
        scen = fiscal.scenario.scenario_from_dict(
            data, path=fiscal.load_scenario("national-2026-bridge").path
        )
        frames[eligible] = run(scen).budget.line("x").eligible
    frame = run("national-2026-bridge").problem.frame
    merged = (frame["merged"] == "yes").to_numpy()
    assert frames["merged"].tolist() == merged.tolist() and merged.sum() == 23
    assert frames["merged_receiving"].sum() < 23


def test_top_up_pays_each_units_shortfall_against_a_reference_on_resources_so_far():
    # resources after balancing, salary, targeted: [153, 125, 91]; reference [150, 130, 80]:
    # only U2 is short, by 5
    top = {"rule": "top_up", "ratio": 1.0, "reference_column": "prev"}
    r = run(
        hand({"salary": SALARY, "targeted": TARGETED, "top": top}),
        units=hand_units(prev=[150, 130, 80]),
    )
    assert amounts(r, "top") == [0.0, 5.0, 0.0]
    assert r.budget.resources[0].tolist() == [153.0, 130.0, 91.0]


def test_top_up_scales_claims_down_to_its_envelope_and_takes_the_larger_requirement():
    # 110 % of [150, 130, 80] = [165, 143, 88] against [153, 125, 91]: claims [12, 18, 0];
    # 13 per person = [130, 130, 65] is below that for U1, U2; envelope 15 → [6, 9, 0]
    top = {"rule": "top_up", "ratio": 1.1, "per_capita": 13.0, "reference_column": "prev"}
    lines = {"salary": SALARY, "targeted": TARGETED, "top": top}
    r = run(hand(lines), units=hand_units(prev=[150, 130, 80]))
    assert amounts(r, "top") == [12.0, 18.0, 0.0]
    r = run(hand({**lines, "top": {**top, "envelope": 15}}), units=hand_units(prev=[150, 130, 80]))
    assert amounts(r, "top") == [6.0, 9.0, 0.0]
    # an envelope above the claims is a ceiling: the rest stays unspent
    r = run(hand({**lines, "top": {**top, "envelope": 40}}), units=hand_units(prev=[150, 130, 80]))
    assert amounts(r, "top") == [12.0, 18.0, 0.0] and r.budget.line("top").envelope == 40


def test_top_up_makes_the_whole_budget_hold_harmless_rule_hold():
    top = {"rule": "top_up", "ratio": 1.0, "reference_column": "prev"}
    rule = {"kind": "hold_harmless", "ratio": 1.0, "reference_column": "prev"}
    table = hand_units(prev=[150, 130, 80])
    (before,) = run(
        hand({"salary": SALARY, "targeted": TARGETED}, [rule]), units=table
    ).budget.checks
    assert not before.holds
    lines = {"salary": SALARY, "targeted": TARGETED, "top": top}
    (after,) = run(hand(lines, [rule]), units=table).budget.checks
    assert after.holds


def test_top_up_settings_are_checked():
    with pytest.raises(ScenarioError, match="rule = 'top_up' needs ratio"):
        hand({"x": {"rule": "top_up"}})
    with pytest.raises(ScenarioError, match="settings of rule = 'top_up'"):
        hand({"x": {**SALARY, "ratio": 1.0}})


def test_2025_emergency_transfers_are_each_units_sum_over_the_six_decisions():
    import re

    rows = [
        r
        for r in _rows("province_fiscal_facts_2025_2026.csv")
        if r["metric"] == "emergency_transfer_central_reserve_disaster"
    ]
    expected: dict[str, float] = {}
    printed: dict[str, float] = {}  # each decision's total as the press printed it
    for r in rows:
        assert r["unit"] == "bn VND"
        expected[r["code"].zfill(2)] = (
            expected.get(r["code"].zfill(2), 0.0) + float(r["value"]) * 1000
        )
        decision = re.search(r"Decision (\d+)/QĐ-TTg", r["source"]).group(1)
        printed[decision] = float(
            re.search(r"total ([\d,]+) bn", r["note"]).group(1).replace(",", "")
        )
    assert len(printed) == 6 and len(expected) == 20
    r = run("national-2025-emergency")
    la = r.budget.line("emergency")
    got = {c: v for c, v in zip(r.budget.codes, la.amount[0], strict=True) if v > 0}
    assert got == expected
    assert la.total[0] == sum(printed.values()) * 1000 == la.envelope


def test_several_rows_of_one_unit_are_refused_unless_summed():
    line = {
        "rule": "fixed",
        "amounts_file": "fiscal/datasets/sources/province_fiscal_facts_2025_2026.csv",
        "amounts_metric": "emergency_transfer_central_reserve_disaster",
    }
    s = fiscal.load_scenario("national-2026-bridge").to_dict()
    s["lines"]["x"] = line
    scen = fiscal.scenario.scenario_from_dict(
        s, path=fiscal.load_scenario("national-2026-bridge").path
    )
    with pytest.raises(FiscalError, match="more than one row for unit.*amounts_combine = 'sum'"):
        run(scen)


def test_hung_yen_whole_budget_is_its_resolutions_total_local_revenue(budget_2026):
    """Its revenue kept under decentralization (incl. land fees and lottery) and its total local
    revenue are real: kept + balancing + targeted = total, to the million, which leaves no
    base-salary top-up (the line pins it at 0)."""
    b = budget_2026.budget
    i = list(b.codes).index("33")
    kept = _fact("local_revenue_by_decentralization", code="33")
    total = _fact("local_budget_revenue_total", code="33")
    balancing = _fact("balancing_transfer_from_central", code="33")
    targeted = _fact("targeted_transfer_from_central", code="33")
    assert kept + balancing + targeted == total  # the identity the pin rests on
    assert b.kept[0, i] == kept
    assert b.line("salary").amount[0, i] == 0 and b.line("salary").known[i]
    assert b.resources[0, i] == total


def test_line_errors_are_written_in_vietnamese_too():
    with pytest.raises(ScenarioError) as info:
        hand({"x": {"rule": "fixed"}})
    assert "`rule = 'fixed'` cần `amounts" in info.value.text("vi")
    line = {"rule": "fixed", "eligible": "receiving", "amounts": {"U1": 5, "U2": 7}}
    with pytest.raises(FiscalError) as info:
        run(hand({"facility": line}), units=hand_units())
    assert "không thuộc đối tượng" in info.value.text("vi")
    assert "listed with an amount but not eligible" in str(info.value)
