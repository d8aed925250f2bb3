"""Co-financing shares as settings to sweep (issue 14's gap): a co-financed line's central
share of each fiscal class is listed among the sweepable settings, swept on the balancing
solve (each point what a fresh run gives), goal-sought, and refused outside [0, 1] with a
message that says what the share is and what to do, in English and Vietnamese.

The hand case is tests/test_lines.py's: the targeted line (co-financed, 89) over costs
[100, 100, 60]; U1 and U3 receive a balancing transfer (central share 0.8), U2 remits 30 %
(0.5): claims [80, 50, 48] → [40, 25, 24].
"""

from __future__ import annotations

import pytest
from test_lines import TARGETED, amounts, hand, hand_units
from test_tradeoffs_lines import _count_solves, case, units

from fiscal.errors import ScenarioError
from fiscal.frontier import frontier, goal_seek
from fiscal.pipeline import run
from fiscal.reuse import Engine, _same_metrics
from fiscal.scenario import load_scenario, parse_scenario

SHARE = "lines.targeted.central_share.receiving"


def test_each_class_share_is_sweepable_within_zero_and_one():
    from fiscal_app.edits import sweepable, value_at

    scen = load_scenario("national-2026-budget")
    found = {o.path: (o.current, o.low, o.high) for o in sweepable(scen)}
    assert found[SHARE] == pytest.approx((0.8, 0.7, 0.9))
    assert found["lines.targeted.central_share.remits ≤ 20 %"] == pytest.approx((0.7, 0.6, 0.8))
    assert found["lines.targeted.central_share.remits > 60 %"] == pytest.approx((0.0, 0.0, 0.1))
    assert not any(p.startswith("lines.salary.central_share") for p in found)  # a formula line
    assert value_at(scen, SHARE) == 0.8  # Decree 09/2025's, the file states none
    stated = scen.with_value("lines.targeted.central_share.remits 20–60 %", 1.0)
    found = {o.path: (o.current, o.low, o.high) for o in sweepable(stated)}
    assert found["lines.targeted.central_share.remits 20–60 %"] == (1.0, 0.9, 1.0)


def test_a_share_sweep_is_each_point_a_fresh_run_on_one_balancing_solve(monkeypatch):
    calls = _count_solves(monkeypatch)
    values = [0.5, 0.8, 1.0]
    frame = frontier(case(), SHARE, values, units=units())
    assert calls[0] == 1 and frame.attrs["fast"] and frame.attrs["current"] == 0.8
    assert frame["status"].tolist() == ["optimal"] * 3
    engine = Engine(case(), units())
    for v in values:
        out = engine.at(SHARE, v)
        fresh = run(case().with_value(SHARE, v), units=units())
        assert _same_metrics(out.metrics, fresh.metrics)
        assert out.result.table.equals(fresh.table)
    # by hand at 0.5: claims [50, 50, 30] of 130; 89 → 34.23, 34.23, 20.54 → [34, 34, 21]
    half = engine.at(SHARE, 0.5).result
    assert amounts(half, "targeted") == [34.0, 34.0, 21.0]
    # at 1.0: claims [100, 50, 60] of 210 → 42.38, 21.19, 25.43 → [42, 21, 26]
    assert amounts(engine.at(SHARE, 1.0).result, "targeted") == [42.0, 21.0, 26.0]
    assert amounts(run(hand({"targeted": TARGETED}), units=hand_units()), "targeted") == [
        40.0,
        25.0,
        24.0,
    ]


def test_goal_seek_the_receiving_share_for_the_poorest_per_person():
    # U2 (remits, 10 people, 100 kept + 0 salary) is the poorest on total resources, 12.5 per
    # person with 25 of the targeted line at 0.8; a lower receiving share leaves it more of the
    # 89; the metric falls as the share rises, so goal-seek gives the least share at which it
    # has come down to 13 per person: U2's 30 (claims [100 s, 50, 60 s]; at 0.6 → [37, 30,
    # 22], at 0.55 → [36, 32, 21]). Over [0.3, 0.8] the poorest is U2 (at 0 it would be U1,
    # with no targeted money: the metric is not monotone down there)
    value, res = goal_seek(case(), SHARE, "min_per_capita_total", 13.0, 0.3, 0.8, units=units())
    assert res.metrics["min_per_capita_total"] == 13.0
    assert amounts(res, "targeted") == [37.0, 30.0, 22.0]
    assert 0.55 < value <= 0.6
    below = run(case().with_value(SHARE, value - 0.001), units=units())
    assert below.metrics["min_per_capita_total"] > 13.0


@pytest.mark.parametrize("value", [1.2, -0.1, 80.0])
def test_a_share_outside_zero_and_one_is_refused_with_what_to_do(value):
    scen = load_scenario("national-2026-budget")
    with pytest.raises(ScenarioError) as err:
        scen.with_value(SHARE, value)
    en, vi = str(err.value), err.value.text("vi")
    assert "national-2026-budget.toml" in en and "lines.targeted" in en
    assert "central_share.receiving must be between 0 and 1" in en
    assert "fraction (0.8 = 80 %), not percent" in en and "Decree 09/2025/NĐ-CP's 0.8" in en
    assert "phải nằm trong khoảng từ 0 đến 1" in vi and "0,8 = 80 %" in vi
    assert f"= {value:g}".replace(".", ",") in vi  # the setting in Vietnamese numbers too


def test_a_file_with_a_share_in_percent_is_refused(tmp_path):
    text = (
        '[scenario]\nname = "percent"\nextends = "national-2026-budget.toml"\n'
        '[lines.targeted.central_share]\n"remits ≤ 20 %" = 70\n'
    )
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="percent.toml")
    assert "percent.toml" in str(err.value) and "lines.targeted" in str(err.value)
    assert "central_share.remits ≤ 20 % must be between 0 and 1 (got 70)" in str(err.value)
    assert "(nhận được 70)" in err.value.text("vi")


def test_a_sweep_or_goal_seek_past_one_is_refused_before_solving(monkeypatch):
    calls = _count_solves(monkeypatch)
    with pytest.raises(ScenarioError, match="must be between 0 and 1"):
        frontier(case(), SHARE, [0.8, 1.1], units=units())
    with pytest.raises(ScenarioError, match="must be between 0 and 1"):
        goal_seek(case(), SHARE, "min_per_capita_total", 13.0, 0.5, 1.5, units=units())
    assert calls[0] == 0


def test_cli_frontier_over_a_share(capsys):
    from fiscal.cli import main

    args = ["frontier", "national-2026-budget", "--param", SHARE, "--from", "0.6", "--to", "1"]
    assert main([*args, "--steps", "3", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "on total resources" in out and "now 0.8" in out
    assert main([*args[:-1], "1.2", "--steps", "3", "--no-progress"]) != 0
    assert "must be between 0 and 1" in capsys.readouterr().err
