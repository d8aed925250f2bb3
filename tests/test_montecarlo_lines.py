"""Monte Carlo over transfer lines' settings (issue 14's gaps): when only later lines' settings
vary, the balancing line is solved once and re-used by every draw — with the same results as
solving it at each draw — and a co-financed line's central share can be drawn too.

The hand case is tests/test_tradeoffs_lines.py's (three units, balancing 120 by formula, a
salary line of 20 and a co-financed targeted line of 89).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_tradeoffs_lines import _count_solves, case, units

from fiscal.montecarlo import is_variable, monte_carlo
from fiscal.scenario import load_scenario

SHARE = "lines.targeted.central_share.receiving"


def _same(a, b) -> None:
    cols = [c for c in a.draws.columns if c != "message"]
    pd.testing.assert_frame_equal(a.draws[cols], b.draws[cols])
    assert a.draws["message"].astype(str).tolist() == b.draws["message"].astype(str).tolist()
    assert np.array_equal(a.allocations, b.allocations, equal_nan=True)
    pd.testing.assert_frame_equal(a.units, b.units)
    pd.testing.assert_frame_equal(a.rules, b.rules)


@pytest.mark.parametrize(
    "vary",
    [
        {"lines.targeted.envelope": "normal:0.3"},
        {"lines.targeted.envelope": "uniform:-0.2:0.5", "lines.salary.envelope": "normal:0.2"},
        {SHARE: "uniform:-0.5:0.2", "lines.salary.envelope": "normal:0.2"},
    ],
)
def test_line_draws_reuse_the_balancing_solve_with_the_same_results(monkeypatch, vary):
    calls = _count_solves(monkeypatch)
    reused = monte_carlo(case(), vary, 12, seed=11, units=units())
    assert calls[0] == 1  # the scenario's own solve, re-used by all 12 draws
    calls[0] = 0
    solved = monte_carlo(case(), vary, 12, seed=11, units=units(), reuse_balancing=False)
    assert calls[0] == 1 + 12
    _same(reused, solved)
    assert reused.draws["resources_total"].nunique() > 1  # the draws move the budget


def test_a_balancing_input_drawn_with_a_line_still_solves_each_draw(monkeypatch):
    calls = _count_solves(monkeypatch)
    vary = {"revenue": "normal:0.1", "lines.targeted.envelope": "normal:0.2"}
    mc = monte_carlo(case(), vary, 4, seed=2, units=units())
    assert calls[0] == 1 + 4
    _same(mc, monte_carlo(case(), vary, 4, seed=2, units=units(), reuse_balancing=False))


def test_the_shipped_budget_scenario_gives_the_same_draws_either_way():
    scen = load_scenario("national-2026-budget")
    vary = {"lines.targeted.envelope": "normal:0.1", "lines.salary.envelope": "normal:0.05"}
    a = monte_carlo(scen, vary, 4, seed=5)
    b = monte_carlo(scen, vary, 4, seed=5, reuse_balancing=False)
    _same(a, b)
    assert (a.draws["line_balancing"] == 238_421_000).all()


def test_a_drawn_share_above_one_is_an_error_draw_with_the_files_message():
    # the receiving units' central share 0.8 × 1.3 = 1.04 > 1: refused as in a file
    mc = monte_carlo(case(), {SHARE: "uniform:0.3:0.3"}, 2, units=units())
    assert mc.draws["status"].tolist() == ["error", "error"]
    msg = mc.draws["message"].iat[0]
    assert "central_share" in msg and "1" in msg
    # 0.8 × 0.5 = 0.4: U1 and U3 (receiving) claim half as much as at 0.8
    half = monte_carlo(case(), {SHARE: "uniform:-0.5:-0.5"}, 1, units=units())
    assert half.draws["status"].tolist() == ["optimal"]
    assert half.draws[f"{SHARE}_factor_mean"].tolist() == [0.5]


def test_what_can_be_varied():
    assert is_variable(SHARE)
    assert is_variable("lines.targeted.central_share.remits ≤ 20 %")
    assert not is_variable("lines.targeted.central_share.nobody")
    from fiscal.errors import ModelError

    with pytest.raises(ModelError, match="no co-financed line 'salary'.*targeted"):
        monte_carlo(case(), {"lines.salary.central_share.receiving": "normal:0.1"}, 2)


def test_several_drawn_settings_are_set_at_once_as_one_after_the_other():
    from fiscal.errors import ScenarioError

    scen = load_scenario("national-2026-budget")
    values = {"lines.targeted.envelope": 150_000_000.0, SHARE: 0.6}
    once = scen.with_values(values)
    one_by_one = scen.with_value("lines.targeted.envelope", 150_000_000.0).with_value(SHARE, 0.6)
    assert once.to_dict() == one_by_one.to_dict()
    with pytest.raises(ScenarioError) as err:
        scen.with_values({"lines.targeted.envelope": 150_000_000.0, SHARE: 1.5})
    vi = err.value.text("vi")
    assert f"{SHARE} = 1,5" in vi and "lines.targeted.envelope = 150.000.000" in vi


def test_the_line_monte_carlo_benchmark_runs_and_its_paths_agree():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "montecarlo_lines.py"
    args = [sys.executable, str(script), "--repeat", "1", "--draws", "3"]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=600).stdout
    assert out.count("same draws=True") == 2, out


def test_cli_sweep_and_goalseek_take_a_cofinancing_share(capsys):
    from fiscal.cli import main

    args = ["sweep", "national-2026-budget", "--vary", f"{SHARE}=uniform:-0.1:0.1"]
    assert main([*args, "--draws", "3", "--no-progress"]) == 0
    assert f"{SHARE} uniform:-0.1:0.1" in capsys.readouterr().out
    args = ["goalseek", "national-2026-budget", "--param", SHARE, "--metric"]
    args += ["min_per_capita_total", "--target", "10.33", "--from", "0.8", "--to", "1"]
    assert main(args) == 0
    assert f"{SHARE} = 0.9" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["sweep", "national-2026-budget", "--vary", "lines.targeted.share=normal:0.1"])
    assert "lines.<name>.central_share.<class>" in capsys.readouterr().err


def test_line_draws_on_an_executor_are_the_same():
    from fiscal.executors import InProcess

    vary = {"lines.targeted.envelope": "normal:0.3", SHARE: "uniform:-0.2:0.2"}
    here = monte_carlo(case(), vary, 7, seed=4, units=units())
    there = monte_carlo(case(), vary, 7, seed=4, units=units(), executor=InProcess())
    _same(here, there)


def test_a_lines_amounts_file_is_read_once_per_content(tmp_path, monkeypatch):
    """Every draw (and sweep point) allocates the line again; its amounts file is read once,
    and again when it changes."""
    from test_runs_lines import _own_scenario

    import fiscal.lines.amounts as amounts

    amounts._file_amounts.cache_clear()
    reads = []
    real = amounts.pd.read_csv

    def counted(*args, **kwargs):
        if str(args[0]).endswith("facts.csv"):  # pandas is shared: the other files read too
            reads.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(amounts.pd, "read_csv", counted)
    scen = load_scenario(_own_scenario(tmp_path))
    mc = monte_carlo(scen, {"lines.targeted.envelope": "normal:0.05"}, 4, seed=1)
    assert len(reads) == 1
    assert scen.to_dict()["lines"]["targeted"]["amounts_file"] == "facts.csv"
    path = tmp_path / "facts.csv"
    text = path.read_text(encoding="utf-8")
    assert "4484559" in text  # Hưng Yên (33), its real 2026 targeted transfer, million VND
    path.write_text(text.replace("4484559", "4484558"), encoding="utf-8")
    again = monte_carlo(scen, {"lines.targeted.envelope": "normal:0.05"}, 4, seed=1)
    assert len(reads) == 2
    assert (mc.draws["line_targeted"] == again.draws["line_targeted"]).all()
    from fiscal.pipeline import run

    res = run(scen)
    codes = res.problem.codes.astype(str).tolist()
    assert res.budget.line("targeted").amount[0][codes.index("33")] == 4_484_558
    assert len(reads) == 2  # the run found the changed file already read
