"""Priority within a line (issue 14 point 2): the national target programmes' rule — only units
receiving a balancing transfer, priority where the balancing transfer is ≥ 70 % of spending —
on a case worked by hand, its errors, and the shipped scenario national-2026-ntp-priority.

The hand case (million VND): four units, need A = [100, 100, 100, 200], revenue kept
[20, 40, 150, 60], population [10, 10, 10, 20]. The balancing line (formula, envelope 280) pays
the gaps [80, 60, 0, 140], so the ratios transfer / A are [0.80, 0.60, 0, 0.70]: U1 and U4
(exactly at the threshold) have priority, U2 has not, U3 receives nothing.
"""

from __future__ import annotations

import io
import json

import numpy as np
import openpyxl
import pytest
from handmade import scenario, units

from fiscal import export
from fiscal.errors import FiscalError
from fiscal.lines.facts import unit_budget
from fiscal.pipeline import run
from fiscal.prose.budget import budget_story, budget_summary
from fiscal.workbook import HEADER_ROW, result_workbook

PRIORITY = {"threshold": 0.7, "uplift": 0.5, "source": "test"}
POPULATION = [{"indicator": "population", "rate": 1.0}]


def hand_units(**extra):
    columns = {
        "need_units": [100, 100, 100, 200],
        "spending_need": [100, 100, 100, 200],
        "own_revenue": [20, 40, 150, 60],
        "population": [10, 10, 10, 20],
        **extra,
    }
    return units(**columns)


def hand(line):
    return run(scenario(280, kind="formula", lines={"ntp": line}), units=hand_units())


def ntp(result):
    return result.budget.line("ntp")


def formula_line(**extra):
    return {"rule": "formula", "eligible": "receiving", "criteria": POPULATION, **extra}


def test_the_ratio_is_the_balancing_transfer_over_the_spending_need_a():
    la = ntp(hand(formula_line(envelope=100, priority=PRIORITY)))
    assert la.parts["priority.transfer"].tolist() == [80, 60, 0, 140]
    assert la.parts["priority.need"].tolist() == [100, 100, 100, 200]
    assert la.parts["priority.ratio"].tolist() == [0.8, 0.6, 0.0, 0.7]
    assert la.parts["priority.qualifies"].tolist() == [1, 0, 0, 1]  # 0.70 itself qualifies
    assert la.parts["priority.factor"].tolist() == [1.5, 1.0, 1.0, 1.5]
    assert la.eligible.tolist() == [True, True, False, True]  # receiving units only


def test_priority_weighs_the_claims_before_the_envelope_is_shared():
    # claims 10, 10, -, 20 count 15, 10, -, 30 of 55: 27.27, 18.18, 54.55 → 27, 18, 54 and the
    # largest remainder (0.55, U4) takes the last million: 27, 18, 0, 55
    assert ntp(hand(formula_line(envelope=100, priority=PRIORITY))).amount[0].tolist() == [
        27,
        18,
        0,
        55,
    ]
    # without priority: 10, 10, 20 of 40 → 25, 25, 0, 50
    assert ntp(hand(formula_line(envelope=100))).amount[0].tolist() == [25, 25, 0, 50]


def test_without_an_envelope_a_priority_units_formula_amount_is_raised():
    assert ntp(hand(formula_line(priority=PRIORITY))).amount[0].tolist() == [15, 10, 0, 30]


def test_a_points_line_open_to_all_gives_no_priority_to_a_unit_without_transfer():
    # one point per person: 10, 10, 10, 20; U3 is eligible (eligible = "all") but its ratio is
    # 0: points count 15, 10, 10, 30 of 65, and 130 shares exactly: 30, 20, 20, 60
    line = {
        "rule": "points",
        "envelope": 130,
        "points": [{"name": "people", "indicator": "population", "step": 1, "per_step": 1}],
        "priority": PRIORITY,
    }
    la = ntp(hand(line))
    assert la.parts["points"].tolist() == [10, 10, 10, 20]
    assert la.parts["priority.qualifies"].tolist() == [1, 0, 0, 1]
    assert la.amount[0].tolist() == [30, 20, 20, 60]


def test_a_points_lines_transfer_dependence_is_the_same_ratio():
    # bands: 2 points from 0.5, 3 from 0.7 → ratios 0.8, 0.6, -, 0.7 give 3, 2, -, 3 points of
    # 8; 80 shares exactly: 30, 20, 0, 30
    line = {
        "rule": "points",
        "envelope": 80,
        "eligible": "receiving",
        "points": [
            {"name": "d", "indicator": "transfer_dependence", "bands": [[0.5, 2.0], [0.7, 3.0]]}
        ],
    }
    la = ntp(hand(line))
    assert la.parts["points.transfer_dependence"].tolist() == [3, 2, 0, 3]
    assert la.amount[0].tolist() == [30, 20, 0, 30]


def test_a_known_amount_is_kept_and_priority_weighs_the_rest():
    # U1 is pinned at 40; the other 60 go to U2 (10 × 1) and U4 (20 × 1.5): 15 and 45
    la = ntp(hand(formula_line(envelope=100, priority=PRIORITY, amounts={"U1": 40})))
    assert la.amount[0].tolist() == [40, 15, 0, 45]


def test_cofinance_claims_are_weighed_too():
    # central share 80 % of cost A (all receive: class "receiving"): 80, 80, -, 160, weighed
    # 120, 80, -, 240 of 440; envelope 110 → 30, 20, 0, 60
    line = {
        "rule": "cofinance",
        "envelope": 110,
        "eligible": "receiving",
        "criteria": [{"indicator": "need_units", "rate": 1.0}],
        "priority": PRIORITY,
    }
    r = run(
        scenario(280, kind="formula", lines={"ntp": line}),
        units=hand_units(sharing_rate=[100, 100, 100, 100]),
    )
    assert ntp(r).amount[0].tolist() == [30, 20, 0, 60]


@pytest.mark.parametrize(
    "lang, unit, words",
    [
        (
            "en",
            "U1",
            "Priority (balancing transfer at least 70% of the spending need A): its balancing "
            "transfer 80 million VND is 80.0% of its spending need A (100 million VND), so its "
            "claim counts × 1.50 (the size of the priority is illustrative).",
        ),
        (
            "en",
            "U2",
            "No priority: its balancing transfer 60 million VND is 60.0% of its spending need A "
            "(100 million VND), below 70%.",
        ),
        (
            "vi",
            "U4",
            "Được ưu tiên (bổ sung cân đối từ 70% nhu cầu chi A trở lên): bổ sung cân đối 140 "
            "triệu đồng bằng 70,0% nhu cầu chi A (200 triệu đồng), nên phần được chia tính × 1,50 "
            "(mức ưu tiên là minh họa).",
        ),
        (
            "vi",
            "U2",
            "Không được ưu tiên: bổ sung cân đối 60 triệu đồng bằng 60,0% nhu cầu chi A (100 "
            "triệu đồng), dưới mức 70%.",
        ),
    ],
)
def test_why_tells_whether_a_unit_has_priority_its_ratio_and_why(lang, unit, words):
    r = hand(formula_line(envelope=100, priority=PRIORITY))
    text = "\n".join(budget_story(unit_budget(r.budget, r.problem.frame, unit), lang))
    assert words in text


def test_a_unit_not_receiving_is_told_it_is_not_eligible_without_a_ratio():
    r = hand(formula_line(envelope=100, priority=PRIORITY))
    text = "\n".join(budget_story(unit_budget(r.budget, r.problem.frame, "U3"), "en"))
    assert "ntp: nothing; only units receiving a balancing transfer receive it." in text
    assert "priority" not in text.lower()


def test_the_summary_json_and_workbook_name_the_priority_units():
    r = hand(formula_line(envelope=100, priority=PRIORITY))
    assert "priority (balancing transfer ≥ 70% of A) for 2 units: U1 Unit 1, U4 Unit 4" in (
        budget_summary(r.budget)
    )
    assert "ưu tiên (bổ sung cân đối ≥ 70% A) cho 2 đơn vị" in budget_summary(r.budget, "vi")
    line = json.loads(export.json_bytes(r))["budget"]["lines"][1]
    assert line["priority"]["threshold"] == 0.7 and line["priority"]["uplift"] == 0.5
    assert [u["code"] for u in line["priority"]["units"] if u["qualifies"]] == ["U1", "U4"]
    assert [u["ratio"] for u in line["priority"]["units"]] == [0.8, 0.6, 0.0, 0.7]
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(r)), data_only=True)
    rows = list(wb["L ntp"].iter_rows(values_only=True))
    assert "count their claim × 1.5 (illustrative)" in rows[1][0]
    assert "trở lên (priority.ratio) được tính phần được chia × 1,5 (minh họa)" in rows[2][0]
    head = [str(h).split(": ")[0] for h in rows[HEADER_ROW]]  # "code: tiếng Việt"
    assert "priority.ratio: bổ sung cân đối / nhu cầu chi A" in rows[HEADER_ROW]
    body = rows[HEADER_ROW + 1 : HEADER_ROW + 5]
    assert [row[head.index("priority.ratio")] for row in body] == [0.8, 0.6, 0.0, 0.7]
    assert [row[head.index("priority.qualifies")] for row in body] == [
        "yes — có",
        "no — không",
        "no — không",
        "yes — có",
    ]
    assert [row[head.index("amount")] for row in body] == [27, 18, 0, 55]


def test_the_apps_priority_table_lists_eligible_units_with_their_ratio():
    from fiscal_app.i18n import Tr
    from fiscal_app.lines_views import priority_tables

    r = hand(formula_line(envelope=100, priority=PRIORITY))
    for lang, ratio, yes in (("en", "Transfer / A", "yes"), ("vi", "Bổ sung cân đối / A", "có")):
        [(heading, frame, _)] = priority_tables(r, 2026, Tr(lang))
        assert "70%" in heading and ("2 units" in heading or "2 đơn vị" in heading)
        assert frame.iloc[:, 0].tolist() == ["U1", "U2", "U4"]
        assert frame[ratio].tolist() == [0.8, 0.6, 0.7]
        assert frame.iloc[:, 5].tolist() == [yes, "", yes]


@pytest.mark.parametrize(
    "line",
    [
        {"rule": "fixed", "amounts": {"U1": 1}, "priority": PRIORITY},
        {"rule": "optimise", "envelope": 10, "priority": PRIORITY},
    ],
)
def test_priority_on_a_rule_without_claims_is_refused_in_both_languages(line):
    with pytest.raises(FiscalError) as info:
        run(scenario(280, kind="formula", lines={"ntp": line}), units=hand_units())
    rule = line["rule"]
    assert "hand.toml: lines.ntp: [lines.<name>.priority] weighs the claims" in str(info.value)
    assert f"rule = '{rule}' has none: remove the priority or change the rule" in str(info.value)
    assert f"`rule = '{rule}'` không chia theo tỷ lệ" in info.value.text("vi")


@pytest.mark.parametrize(
    "priority, words",
    [
        ({"threshold": 0.0, "uplift": 0.5}, "threshold"),
        ({"threshold": 70, "uplift": 0.5}, "threshold"),
        ({"threshold": 0.7}, "uplift"),
    ],
)
def test_bad_priority_settings_say_which(priority, words):
    with pytest.raises(FiscalError, match=words):
        run(scenario(280, kind="formula", lines={"ntp": formula_line(priority=priority)}))


def test_a_unit_table_without_spending_need_is_told_what_to_add():
    u = units(
        need_units=[100, 100, 100, 200],
        own_revenue=[20, 40, 150, 60],
        population=[10, 10, 10, 20],
    )
    line = formula_line(envelope=100, priority=PRIORITY)
    with pytest.raises(FiscalError) as info:
        run(scenario(280, kind="formula", lines={"ntp": line}), units=u)
    assert "hand: lines.ntp.priority compares" in str(info.value)
    assert "add the column or remove the priority" in str(info.value)
    assert "bảng đơn vị này không có cột đó" in info.value.text("vi")


# ------------------------------------------------------------------ the shipped scenario


@pytest.fixture(scope="module")
def shipped():
    return run("national-2026-ntp-priority")


def test_the_shipped_ntp_line_gives_priority_exactly_where_transfer_is_70_percent_of_a(shipped):
    b = shipped.budget
    la = b.line("capital")
    frame = shipped.problem.frame
    transfer = b.line("balancing").amount[0]
    need = frame["spending_need"].to_numpy(dtype=float)
    expected = (transfer > 0) & (transfer >= 0.7 * need)
    assert (la.parts["priority.qualifies"] > 0).tolist() == expected.tolist()
    assert 0 < expected.sum() < (transfer > 0).sum()  # some, not all, receiving units
    assert b.codes[expected].tolist() == ["04", "08", "11", "12"]  # as docs/model.md says
    cm = b.codes.tolist().index("96")
    assert 0.69 < la.parts["priority.ratio"][cm] < 0.70  # Cà Mau, just below (69.7 %)
    assert la.total[0] == la.envelope == 50_805_400  # one fifth of 254,027 bn
    assert (la.amount[0][transfer == 0] == 0).all() and (la.amount[0][transfer > 0] > 0).all()
    # a priority unit's amount per point is 1.5 × the others' (to the rounding million)
    per_point = la.amount[0] / np.where(la.parts["points"] > 0, la.parts["points"], np.nan)
    high, low = per_point[expected], per_point[(transfer > 0) & ~expected]
    assert np.allclose(high / low.mean(), 1.5, rtol=1e-5)
    assert la.estimated  # the size of the priority is illustrative


def test_the_shipped_scenario_leaves_out_the_dependence_points(shipped):
    settings = shipped.budget.line("capital").settings
    assert [c.indicator for c in settings.points] == ["population", "area_km2", "communes"]
    assert settings.priority.threshold == 0.7 and settings.priority.estimated
    assert "illustrative" in settings.priority.source and "minh họa" in settings.priority.source_vi
