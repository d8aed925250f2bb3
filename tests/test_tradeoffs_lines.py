"""Trade-offs across transfer lines (issue 14 point 5): the metrics on total resources, each
line's total and each whole-budget rule's breaches, worked out by hand; sweeps over a later
line's settings that re-use the balancing solve; compare and the workbook say each metric's base.

The hand case is tests/test_lines.py's (million VND): three units, need [100, 100, 60],
revenue kept [40, 100, 0], population [10, 10, 5], rates [100, 70, 100] %; the balancing line
(formula, envelope 120) gives [60, 0, 60]; the base-salary line (20, receiving units, by
population) [13, 0, 7]; the targeted line (co-financed, 89) [40, 25, 24]. Total resources
[153, 125, 91], per person [15.3, 12.5, 18.2].
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_lines import SALARY, TARGETED, hand, hand_units

import fiscal.pipeline
from fiscal import metrics
from fiscal.frontier import frontier
from fiscal.metrics_budget import metric_names
from fiscal.pipeline import run
from fiscal.reuse import Engine, _same_metrics

RULES = [
    # 13 per person on total resources: [130, 130, 65] against [153, 125, 91]: U2 short
    {"name": "minimum", "kind": "per_capita_min", "amount": 13.0},
    # hold-harmless on total resources against prev [150, 130, 80]: U2 short
    {"name": "hold", "kind": "hold_harmless", "ratio": 1.0, "reference_column": "prev"},
    # 10.5 per person on revenue kept + balancing [100, 100, 60]: [105, 105, 52.5]: U1, U2 short
    {"name": "kept", "kind": "per_capita_min", "amount": 10.5, "base": "capacity+balancing"},
]


def case(envelope: float = 120, rules: list | None = None):
    scen = hand({"salary": SALARY, "targeted": TARGETED}, RULES if rules is None else rules)
    if envelope != 120:
        scen = scen.with_value("envelope.total", envelope)
    return scen


def units():
    return hand_units(prev=[150, 130, 80])


def test_metrics_on_total_resources_by_hand():
    m = run(case(), units=units()).metrics
    assert m["resources_total"] == 369.0  # kept 140 + lines 120 + 20 + 89
    assert m["transfers_total"] == 229.0
    assert (m["line_balancing"], m["line_salary"], m["line_targeted"]) == (120.0, 20.0, 89.0)
    # ȳ = 369 / 25 = 14.76; Σ_i Σ_j p_i p_j |y_i − y_j| = 2 (100 · 2.8 + 50 · 2.9 + 50 · 5.7)
    # = 1420; Gini = 1420 / (2 · 25² · 14.76) = 1420 / 18450
    assert m["gini_total"] == pytest.approx(1420 / 18450, rel=1e-12)
    assert m["min_per_capita_total"] == pytest.approx(12.5)
    assert m["max_min_ratio_total"] == pytest.approx(18.2 / 12.5)
    # weighted variance: (10 · 0.54² + 10 · 2.26² + 5 · 3.44²) / 25
    sd = math.sqrt((10 * 0.54**2 + 10 * 2.26**2 + 5 * 3.44**2) / 25)
    assert m["cv_total"] == pytest.approx(sd / 14.76, rel=1e-12)
    r = np.array([15.3, 12.5, 18.2]) / 14.76
    assert m["theil_total"] == pytest.approx(
        float(np.sum(np.array([10, 10, 5]) / 25 * r * np.log(r)))
    )
    assert m["share_of_need_met_total"] == 1.0 and m["units_below_need_total"] == 0
    assert (m["breaches_minimum"], m["breaches_hold"], m["breaches_kept"]) == (1, 1, 2)
    assert m["units_breaching_rules"] == 2  # U1 and U2 (U2 in all three)
    # the balancing line's metrics are unchanged: resources = capacity + balancing = need
    assert m["gini"] == pytest.approx(metrics.gini([10.0, 10.0, 12.0], [10, 10, 5]))
    assert m["share_of_need_met"] == 1.0


def test_total_resources_below_need_by_hand():
    # balancing 60 shared by the gaps 60:0:60 → [30, 0, 30]; without the targeted line total
    # resources are kept + balancing + salary = [83, 100, 37] against need [100, 100, 60]
    scen = hand({"salary": SALARY}).with_value("envelope.total", 60)
    res = run(scen, units=units())
    assert res.budget.line("balancing").amount[0].tolist() == [30.0, 0.0, 30.0]
    m = res.metrics
    assert m["share_of_need_met_total"] == pytest.approx(220 / 260)
    assert m["units_below_need_total"] == 2
    assert m["share_of_need_met"] == pytest.approx(200 / 260)  # [70, 100, 30] on balancing
    assert m["units_breaching_rules"] == 0 and "breaches_minimum" not in m


def test_every_metric_says_its_base_and_has_a_name_in_both_languages():
    res = run(case(), units=units())
    names = metric_names(res.budget)
    for key in res.metrics:
        spec = metrics.spec(key, names)
        assert spec is not None and spec.en and spec.vi, key
        assert spec.base in ("balancing", "total", "line", "rule"), key
    assert metrics.spec("gini").base == "balancing"
    assert metrics.spec("gini_total").base == "total"
    assert metrics.spec("line_salary", names).vi == "salary"  # no label nor label_vi: the key
    assert metrics.spec("line_balancing", names).vi == "Bổ sung cân đối"
    assert metrics.spec("breaches_hold", names).en == "Units breaching: hold"
    assert metrics.base_of("gini_total_per_pt") == "total"
    assert metric_names(res.scenario)["line_targeted"] == names["line_targeted"]


def test_a_scenario_without_lines_has_none_of_the_total_metrics():
    m = run(hand(), units=units()).metrics
    assert not any(k.endswith("_total") or k.startswith(("line_", "breaches_")) for k in m)


def _count_solves(monkeypatch) -> list[int]:
    calls = [0]
    real = fiscal.pipeline.allocate

    def counted(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(fiscal.pipeline, "allocate", counted)
    return calls


def test_a_sweep_over_a_later_line_reuses_the_balancing_solve(monkeypatch):
    calls = _count_solves(monkeypatch)
    values = [89.0, 133.0, 178.0]
    frame = frontier(case(), "lines.targeted.envelope", values, units=units())
    assert calls[0] == 1  # one balancing solve for three points
    assert frame.attrs["fast"]
    assert frame["line_targeted"].tolist() == values
    assert frame["resources_total"].tolist() == [369.0, 413.0, 458.0]
    # 178 = the claims [80, 50, 48] exactly: totals [193, 150, 115], per person
    # [19.3, 15, 23]: nobody below 13 per person, U2's 150 above its 130 of prev
    last = frame.iloc[-1]
    assert last["min_per_capita_total"] == pytest.approx(15.0)
    assert (last["breaches_minimum"], last["breaches_hold"], last["breaches_kept"]) == (0, 0, 2)
    assert "gini_total_per_unit" in frame
    # the balancing line's metrics are the same at every point
    assert frame["gini"].nunique() == 1
    # a control: a balancing setting solves at every point
    calls[0] = 0
    frontier(case(), "envelope.total", [110.0, 120.0, 130.0], units=units())
    assert calls[0] >= 3


TOP = {
    "rule": "optimise",
    "envelope": 5,
    "objective": "need_gap",
    "constraints": [{"name": "minimum", "kind": "per_capita_min", "amount": 13.0}],
}
TOP_UP = {"rule": "top_up", "per_capita": 14.0, "envelope": 30}


@pytest.mark.parametrize(
    "lines, path, values",
    [
        ({"salary": SALARY, "targeted": TARGETED}, "lines.targeted.envelope", [60.0, 100.0]),
        (
            {"per-head": {**SALARY, "envelope": None}},
            "lines.per-head.criteria.population.rate",
            [0.5, 2.0],
        ),
        ({"salary": SALARY, "targeted": TARGETED, "top": TOP}, "lines.top.envelope", [5.0, 9.0]),
        (
            {"salary": SALARY, "targeted": TARGETED, "top": TOP},
            "lines.top.constraints.minimum.amount",
            [12.6, 12.9],
        ),
        ({"salary": SALARY, "top-up": TOP_UP}, "lines.top-up.per_capita", [12.0, 16.0]),
    ],
)
def test_each_point_of_a_line_sweep_is_what_a_fresh_run_gives(lines, path, values):
    scen = hand(lines, RULES)
    engine = Engine(scen, units())
    seen = set()
    for v in values:
        out = engine.at(path, v)
        seen.add(tuple(out.result.table["resources_total"]))
        fresh = run(scen.with_value(path, v), units=units())
        assert out.status == "optimal", out.message
        assert _same_metrics(out.metrics, fresh.metrics)
        assert out.result.table.equals(fresh.table)
    assert engine.fast_paths[path] and engine.balancing_solves == 1
    assert len(seen) == len(values)  # the setting moves the budget


def test_a_line_setting_the_rules_refuse_is_an_error_point():
    # 88.5 is not a whole million VND: the line's own message, at that point only
    frame = frontier(case(), "lines.targeted.envelope", [88.5, 89.0], units=units())
    assert frame["status"].tolist() == ["error", "optimal"]
    assert frame["message"].iat[0].code == "lines.envelope_unit"
    assert "envelope 88.5 is not" in frame["message"].iat[0]  # not rounded to "88"
    assert "envelope 88,5 không phải" in frame["message"].iat[0].text("vi")


def test_compare_says_each_metric_base_with_lines():
    from fiscal.compare import compare

    a = run(case(), units=units())
    b = run(case().with_value("lines.targeted.envelope", 178), units=units())
    table = compare([a, b], ["now", "more"], constraints=False).metrics
    row = table.set_index("metric").loc["line_targeted"]
    assert (row["now"], row["more"], row["Δ more"]) == (89.0, 178.0, 89.0)
    assert table.set_index("metric").loc["gini_total", "base"] == "total"
    assert table.set_index("metric").loc["gini", "base"] == "balancing"
    plain = compare([run(hand(), units=units()), run(hand(), units=units())], constraints=False)
    assert "base" not in plain.metrics.columns
    assert "gini_total" not in set(plain.metrics["metric"])
    # beside a result with lines, one without has its metrics on total resources too: revenue
    # kept + its balancing line [100, 100, 60] (no land fees here: those of its balancing base)
    mixed = compare([run(hand(), units=units()), a], ["one", "lines"], constraints=False).metrics
    one = mixed.set_index("metric")["one"]
    assert one["resources_total"] == 260.0 and one["line_balancing"] == 120.0
    assert one["gini_total"] == one["gini"] and one["units_breaching_rules"] == 0
    assert mixed.set_index("metric").loc["resources_total", "Δ lines"] == 369.0 - 260.0


# ----------------------------------------------------------------------------- shipped, CLI

BUDGET = "national-2026-budget.toml"


def test_cli_frontier_over_a_shipped_lines_envelope_prints_total_resources(tmp_path, capsys):
    from fiscal.cli import main

    out = tmp_path / "frontier.csv"
    args = ["frontier", BUDGET, "--param", "lines.targeted.envelope", "--from", "167175000"]
    args += ["--to", "207175000", "--steps", "3", "--no-progress", "-o", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "model reused between points" in text
    assert "on total resources (all revenue kept + every transfer line)" in text
    assert "targeted bn" in text and "187,175.0" in text
    assert "price: the Gini of total resources moves by -" in text
    frame = __import__("pandas").read_csv(out, comment="#")
    assert frame["line_targeted"].tolist() == [167_175_000, 187_175_000, 207_175_000]
    # NQ 246's other two lines do not move; total resources move with the swept line
    assert set(frame["line_salary"]) == {53_554_000} and set(frame["line_balancing"]) == {
        238_421_000
    }
    assert (frame["resources_total"].diff().dropna() == 20_000_000).all()


def test_cli_monte_carlo_of_a_lines_scenario_reports_total_resources(capsys):
    from fiscal.cli import main

    args = ["sweep", BUDGET, "--vary", "revenue=normal:0.05", "--draws", "3", "--no-progress"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "on total resources:" in text and "gini_total" in text


def test_monte_carlo_with_lines_records_each_line_and_below_need_on_total_resources():
    from fiscal.montecarlo import monte_carlo

    mc = monte_carlo(case(), {"envelope": "uniform:-0.5:-0.5"}, 2, units=units())
    # the balancing envelope halved: 60 shared by the gaps → [30, 0, 30]; with the salary and
    # targeted lines total resources [40+30+13+40, 100+25, 30+7+24] = [123, 125, 61] ≥ need
    # [100, 100, 60], while revenue kept + balancing [70, 100, 30] leaves U1 and U3 below
    assert mc.draws["line_balancing"].tolist() == [60.0, 60.0]
    assert mc.draws["resources_total"].tolist() == [309.0, 309.0]
    assert mc.draws["units_below_need_total"].tolist() == [0, 0]
    assert mc.draws["units_below_need"].tolist() == [2, 2]
    assert mc.units["p_below_need"].tolist() == [1.0, 0.0, 1.0]
    assert mc.units["p_below_need_total"].tolist() == [0.0, 0.0, 0.0]
    plain = monte_carlo(hand(), {"envelope": "uniform:-0.5:-0.5"}, 2, units=units())
    assert "p_below_need_total" not in plain.units and "gini_total" not in plain.draws


def test_a_line_sweep_on_an_executor_is_the_same_frame():
    from fiscal.executors import InProcess

    values = [60.0, 89.0, 120.0]
    here = frontier(case(), "lines.targeted.envelope", values, units=units())
    there = frontier(case(), "lines.targeted.envelope", values, units=units(), executor=InProcess())
    cols = [c for c in here.columns if c != "message"]
    assert here[cols].equals(there[cols]) and there.attrs["fast"]
    assert here.attrs["metric_names"]["line_targeted"] == ("targeted", "targeted")


def test_goal_seek_a_lines_envelope_for_a_metric_on_total_resources():
    from fiscal.frontier import goal_seek

    # the lowest total resources per person reach 13 when U2 (100 kept, 10 people) gets 30 of
    # the targeted line, its claim 50 of 178: 30 · 178 / 50 = 106.8 exactly, but the largest
    # remainder rounds 105 · 50 / 178 = 29.49 up (105: 47.19, 29.49, 28.31 → 47, 30, 28) and
    # 104's 29.21 down (46.74, 29.21, 27.96 → 47, 29, 28): 105 is the least envelope
    value, res = goal_seek(
        case(), "lines.targeted.envelope", "min_per_capita_total", 13.0, 89, 178, units=units()
    )
    assert value == 105.0
    assert res.budget.line("targeted").amount[0].tolist() == [47.0, 30.0, 28.0]
    assert res.metrics["min_per_capita_total"] == 13.0


def test_the_line_frontier_benchmark_runs_and_its_paths_agree():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "frontier_lines.py"
    args = [sys.executable, str(script), "--repeat", "1", "--points", "3"]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=600).stdout
    assert out.count("reused=True same metrics=True") == 2, out


def test_cli_solve_of_a_lines_scenario_says_its_metrics_on_total_resources(capsys):
    from fiscal import run as run_scenario
    from fiscal.cli import main

    assert main(["solve", BUDGET]) == 0
    text = capsys.readouterr().out
    m = run_scenario(BUDGET).metrics
    assert (
        "On total resources (all revenue kept + every line): Gini, total resources per person: "
        f"{m['gini_total']:.5f}"
    ) in text
    assert f"Units breaching a whole-budget rule: {m['units_breaching_rules']}" in text


def test_monte_carlo_can_draw_a_lines_envelope():
    from fiscal.errors import ModelError
    from fiscal.montecarlo import monte_carlo

    # a factor of 2 on the targeted line's 89: 178 = its claims [80, 50, 48] exactly
    mc = monte_carlo(case(), {"lines.targeted.envelope": "uniform:1:1"}, 2, units=units())
    assert mc.draws["line_targeted"].tolist() == [178.0, 178.0]
    assert mc.draws["resources_total"].tolist() == [458.0, 458.0]
    assert mc.draws["lines.targeted.envelope_factor_mean"].tolist() == [2.0, 2.0]
    assert mc.draws["line_balancing"].tolist() == [120.0, 120.0]
    with pytest.raises(ModelError, match="no line 'nope' with an envelope .*salary, targeted"):
        monte_carlo(case(), {"lines.nope.envelope": "normal:0.1"}, 2, units=units())
    with pytest.raises(ModelError, match="cannot vary 'lines.targeted.rate'"):
        monte_carlo(case(), {"lines.targeted.rate": "normal:0.1"}, 2, units=units())


def test_monte_carlo_draws_do_not_move_when_a_line_is_added_to_vary():
    from fiscal.montecarlo import monte_carlo

    one = monte_carlo(case(), {"revenue": "normal:0.1"}, 3, units=units(), seed=7)
    two = monte_carlo(
        case(),
        {"revenue": "normal:0.1", "lines.salary.envelope": "normal:0.1"},
        3,
        units=units(),
        seed=7,
    )
    assert one.draws["revenue_factor_mean"].tolist() == two.draws["revenue_factor_mean"].tolist()


def test_cli_sweep_takes_a_lines_envelope(capsys):
    from fiscal.cli import main

    args = ["sweep", BUDGET, "--vary", "lines.targeted.envelope=uniform:-0.1:0.1"]
    assert main([*args, "--draws", "3", "--no-progress"]) == 0
    assert "lines.targeted.envelope uniform:-0.1:0.1" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["sweep", BUDGET, "--vary", "lines.targeted.rate=normal:0.1", "--no-progress"])
    assert "lines.<name>.envelope" in capsys.readouterr().err


def test_sweepable_lists_each_lines_settings_with_their_names():
    from fiscal.prose.words import setting_label
    from fiscal_app.edits import sweepable

    top_up = {**TOP_UP, "ratio": 1.0, "reference_column": "prev"}
    lines = {"salary": SALARY, "per-head": {**SALARY, "envelope": None}, "top": TOP}
    lines |= {"top-up": top_up, "fixed": {"rule": "fixed", "envelope": 12, "amounts": {"U1": 12}}}
    scen = hand(lines, years=[2026, 2027])
    found = {o.path: (o.current, o.low, o.high) for o in sweepable(scen)}
    assert found["lines.salary.envelope"][0] == 20.0
    assert found["lines.per-head.criteria.population.rate"] == (1.0, 0.5, 1.5)
    assert found["lines.top.constraints.minimum.amount"][0] == 13.0
    assert found["lines.top-up.per_capita"] == (14.0, 7.0, 21.0)
    assert found["lines.top-up.ratio"][0] == 1.0
    assert found["lines.salary.growth"] == (0.0, -0.05, 0.05)
    assert not any(p.startswith("lines.fixed.") and p.endswith("envelope") for p in found)
    names = {"lines.salary": "Bổ sung lương"}
    assert (
        setting_label("lines.salary.growth", "vi", names)
        == "khoản: Bổ sung lương · mức tăng mỗi năm"
    )
    assert setting_label("lines.top-up.ratio", "en") == "line: top-up · ratio × reference"


def test_a_lines_growth_over_two_years_is_swept_on_the_balancing_solve():
    scen = hand({"salary": SALARY, "targeted": TARGETED}, years=[2026, 2027])
    engine = Engine(scen, units())
    for v in (0.1, 0.5):
        out = engine.at("lines.salary.growth", v)
        fresh = run(scen.with_value("lines.salary.growth", v), units=units())
        assert out.result.table.equals(fresh.table)
        # the second year's salary line: 20 grown by v, in whole units
        assert out.result.budget.line("salary").total.tolist() == [20.0, round(20 * (1 + v))]
    assert engine.balancing_solves == 1
