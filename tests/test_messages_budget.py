"""Issue 14's errors as message codes: transfer lines (amounts files, formula, optimise,
top-up), the capital plan, the drawdown, the outturn and their exports. Each is raised through
the entry point a user meets (a scenario file beside its CSVs, a plan file, the command line,
the functions the app calls) and read in both languages: the English the CLI prints, the
Vietnamese the app shows (diacritics, no English left, Vietnamese numbers: 1.234,5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w
from handmade import units
from test_messages import english_left

import fiscal
from fiscal.capital import five_year, load_plan, points_allocation
from fiscal.errors import ExportError, FiscalError, InfeasibleError, ModelError, ScenarioError
from fiscal.execution import base_from_result, drawdown, outturn, parse_profile
from fiscal.execution_export import balancing_of, outturn_view, view_bytes, write_view
from fiscal.pipeline import run

TONES = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")


def said(err: FiscalError, code: str, en: str, *vi: str) -> str:
    """The error has ``code``; its English holds ``en``; its Vietnamese holds each of ``vi``,
    carries Vietnamese tones and no English sentence. Returns the Vietnamese."""
    assert err.code == code, (err.code, str(err))
    assert en in str(err), str(err)
    text = err.text("vi")
    assert TONES & set(text.lower()), text
    assert not english_left(text), (text, english_left(text))
    for fragment in vi:
        assert fragment in text, text
    return text


# ----------------------------------------------------------------------------- lines

UNITS = {  # the hand case of tests/test_lines.py, in thousands so that numbers have separators
    "need_units": [100_000, 100_000, 60_000],
    "own_revenue": [40_000, 100_000, 0],
    "population": [10, 10, 5],
    "sharing_rate": [100, 70, 100],
}


def scenario_file(tmp_path: Path, lines: dict, **files: str) -> Path:
    """A scenario file with ``[lines.<name>]`` beside its unit table (and ``files``)."""
    units(**UNITS).frame.to_csv(tmp_path / "units.csv", index=False)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    data = {
        "scenario": {"name": "hand", "name_vi": "tay", "dataset": "units.csv", "years": [2026]},
        "envelope": {"total": 120_000, "source": "test"},
        "need": {"criteria": [{"indicator": "need_units", "rate": 1.0, "unit": "x"}]},
        "objective": {"kind": "formula"},
        "lines": lines,
    }
    path = tmp_path / "hand.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def refused(path: Path) -> FiscalError:
    with pytest.raises(FiscalError) as info:
        run(fiscal.load_scenario(path))
    return info.value


def fixed_from(file: str, **extra) -> dict:
    return {"x": {"rule": "fixed", "amounts_file": file, **extra}}


def test_a_bundled_amounts_file_that_is_not_there(tmp_path):
    err = refused(scenario_file(tmp_path, fixed_from("fiscal/datasets/sources/nope.csv")))
    said(err, "lines.amounts_not_bundled", "is not a bundled file", "không phải là tệp đi kèm")
    assert "lines.x.amounts_file 'fiscal/datasets/sources/nope.csv'" in err.text("vi")


@pytest.mark.parametrize(
    "text, extra, code, en, vi",
    [
        ("code,amount\nU1,5\n", {}, "lines.amounts_columns", "['value'] missing", "thiếu các cột"),
        (
            "code,value\nU1,5\n",
            {"amounts_metric": "facility"},
            "lines.amounts_no_metric",
            "no metric column to select 'facility'",
            "không có cột 'metric' để chọn 'facility'",
        ),
        (
            "code,value\nU1,5\n",
            {"amounts_year": 2025},
            "lines.amounts_no_year",
            "no year column to select 2025",
            "để chọn năm 2025",
        ),
        (
            "code,value,year\nU1,5,2024\n",
            {"amounts_year": 2025},
            "lines.amounts_no_row",
            "a.csv has no row with a code for amounts_year = 2025; check them against the file",
            "a.csv không có dòng nào có mã đơn vị với amounts_year = 2025",
        ),
        (
            "code,value,note\n,5,the printed total\n",
            {},
            "lines.amounts_empty",
            "a.csv has no row with a unit code; write one row per unit",
            "hãy ghi mỗi đơn vị một dòng",
        ),
        (
            "code,value,unit\nU1,5,thousand VND\n",
            {},
            "lines.amounts_unit",
            "unit(s) ['thousand VND'] not understood; use one of ['million VND', 'bn VND']",
            "không hiểu đơn vị tính ['thousand VND']",
        ),
        (
            "code,value\nU1,-1234.5\n",
            {},
            "lines.amounts_invalid",
            "unit U1 has no valid amount (got -1,234.5)",
            "(nhận được -1.234,5)",
        ),
        (
            "code,value\nU1,\n",
            {},
            "lines.amounts_not_number",
            "unit U1 has no valid amount (got '')",
            "hãy ghi một số vào cột 'value'",
        ),
        (
            "code,value\nU1,năm\n",
            {},
            "lines.amounts_not_number",
            "(got 'năm')",
            "(nhận được 'năm')",
        ),
    ],
)
def test_an_amounts_file_that_cannot_be_read(tmp_path, text, extra, code, en, vi):
    err = refused(scenario_file(tmp_path, fixed_from("a.csv", **extra), **{"a.csv": text}))
    assert "a.csv" in str(err)
    said(err, code, en, vi)


def test_a_formula_line_on_a_missing_column(tmp_path):
    line = {"rule": "formula", "criteria": [{"indicator": "teachers", "rate": 1.0}]}
    err = refused(scenario_file(tmp_path, {"x": line}))
    text = said(err, "lines.criteria_wrapped", "lines.x.criteria: ", "lines.x.criteria: ")
    assert "teachers" in text


def test_known_amounts_above_the_envelope_of_an_optimise_or_top_up_line(tmp_path):
    for rule, extra in [("optimise", {}), ("top_up", {"per_capita": 10_000.0})]:
        line = {"rule": rule, "envelope": 1_000.0, "amounts": {"U2": 1_500.0}, **extra}
        err = refused(scenario_file(tmp_path, {"x": line}))
        said(
            err,
            "lines.known_above",
            "the known amounts (1,500 million VND) exceed the envelope 1,000 in 2026",
            "các số đã biết (1.500 triệu đồng) vượt tổng mức 1.000 năm 2026",
        )


def test_an_infeasible_optimise_line_keeps_its_conflicts_in_both_languages(tmp_path):
    cap = {"kind": "cap", "ratio": 0.0, "base": "resources"}  # nobody may receive the 1,000
    line = {"rule": "optimise", "envelope": 1_000.0, "constraints": [cap]}
    err = refused(scenario_file(tmp_path, {"x": line}))
    assert isinstance(err, InfeasibleError) and not err.repairs  # not the scenario's settings
    vi = said(err, "lines.optimise_wrapped", "lines.x (rule = 'optimise'): ", "tối ưu hoá")
    assert "tổng mức 1,0 tỷ đồng" in vi and "envelope.mode" in vi  # the line's, in words
    assert "Kịch bản “tay: hand.toml: lines.x” không khả thi" in vi


def test_an_optimise_line_on_an_unknown_unit(tmp_path):
    floor = {"kind": "floor", "ratio": 0.1, "units": ["U9"]}
    line = {"rule": "optimise", "envelope": 1_000.0, "constraints": [floor]}
    err = refused(scenario_file(tmp_path, {"x": line}))
    said(err, "lines.optimise_wrapped", "lines.x (rule = 'optimise'): ", "U9")


def test_an_optimise_line_outside_the_pipeline_needs_a_solver(tmp_path):
    from fiscal.lines import allocate_lines

    line = {"rule": "optimise", "envelope": 1_000.0}
    result = run(fiscal.load_scenario(scenario_file(tmp_path, {"x": line})))
    assert result.budget.line("x").total[0] == 1_000
    with pytest.raises(ModelError) as info:
        allocate_lines(result)  # the library's own function, without the pipeline's solver
    said(info.value, "lines.optimise_solver", "needs a solver", "cần bộ giải")


def refused_on_load(path: Path) -> FiscalError:
    """The scenario is refused when it loads (before any solve)."""
    with pytest.raises(ScenarioError) as info:
        fiscal.load_scenario(path)
    return info.value


def optimise_with(*constraints: dict) -> dict:
    return {"x": {"rule": "optimise", "envelope": 1_000.0, "constraints": list(constraints)}}


def test_an_optimise_lines_constraints_are_checked_when_the_scenario_loads(tmp_path):
    # the scenario's own classes and words, under lines.<name>.constraints[i].<key>
    err = refused_on_load(scenario_file(tmp_path, optimise_with({"kind": "floor", "ratio": 95})))
    said(
        err,
        "scenario.invalid",
        "hand.toml: lines.x.constraints[0].ratio: Input should be less than or equal to 10 "
        "(got 95)",
        "hand.toml: lines.x.constraints[0].ratio: phải nhỏ hơn hoặc bằng 10 (nhận được 95)",
    )
    err = refused_on_load(scenario_file(tmp_path, optimise_with({"kind": "cap"})))
    said(err, "scenario.invalid", "lines.x.constraints[0].ratio: required key is missing")
    err = refused_on_load(scenario_file(tmp_path, optimise_with({"kind": "flor", "ratio": 1.0})))
    assert "lines.x.constraints[0]: unknown constraint kind 'flor'; kinds: floor, cap" in str(err)
    assert "lines.x.constraints[0]: không có loại quy tắc 'flor'" in err.text("vi")
    err = refused_on_load(
        scenario_file(tmp_path, optimise_with({"kind": "cap", "ratio": 1.0, "ratoi": 1.0}))
    )
    assert "unknown key 'lines.x.constraints[0].ratoi'; allowed keys here: base," in str(err)
    assert "khoá 'lines.x.constraints[0].ratoi' không hợp lệ" in err.text("vi")
    group = {"kind": "group_share", "min_share": 0.5}  # the class's own check: which group
    err = refused_on_load(scenario_file(tmp_path, optimise_with(group)))
    said(
        err,
        "scenario.invalid",
        "lines.x.constraints[0]: choose the group with where",
        "lines.x.constraints[0]: hãy chọn nhóm bằng where",
    )


def test_an_optimise_lines_constraints_beside_the_scenarios_years(tmp_path):
    floors = optimise_with({"kind": "floor", "ratio": 0.5}, {"kind": "floor", "ratio": 0.9})
    err = refused_on_load(scenario_file(tmp_path, floors))  # both named 'floor', as in a scenario
    said(
        err,
        "scenario.invalid",
        "lines.x: constraint name(s) ['floor'] are used twice; give each constraint its own name",
        "khoản lines.x: tên quy tắc ['floor'] bị dùng hai lần; mỗi quy tắc cần một tên riêng",
    )
    per_year = optimise_with({"kind": "cap", "name": "c", "ratio": [1.0, 1.1]})
    err = refused_on_load(scenario_file(tmp_path, per_year))
    said(
        err,
        "scenario.invalid",
        "lines.x: constraints[0] ('c'): ratio has 2 values for 1 years; give one value per year",
        "khoản lines.x: constraints[0] (“c”): ratio có 2 giá trị cho 1 năm; hãy ghi mỗi năm",
    )


def test_constraint_kinds_an_optimise_line_cannot_hold_say_what_to_do(tmp_path):
    earmark = {"kind": "earmark", "sector": "education", "min_share": 0.2}
    err = refused_on_load(scenario_file(tmp_path, optimise_with(earmark)))
    said(
        err,
        "scenario.invalid",
        "lines.x: constraints[0].kind = 'earmark' bounds a sector, but a line's allocation has "
        "no sectors",
        "giới hạn theo lĩnh vực",
        "[[budget_rules]] kind = 'earmark_share'",
    )
    floor = {"kind": "floor", "ratio": 0.9, "base": "predecessors"}
    err = refused_on_load(scenario_file(tmp_path, optimise_with(floor)))
    said(
        err,
        "scenario.invalid",
        "lines.x: constraints[0].base = 'predecessors': a line's allocation does not see",
        "hãy dùng base = 'resources'",
    )


def test_an_optimise_lines_valid_constraints_are_kept_as_written(tmp_path):
    cap = {"kind": "cap", "ratio": 2, "base": "resources"}  # an integer stays an integer
    scenario = fiscal.load_scenario(scenario_file(tmp_path, optimise_with(cap)))
    assert scenario.lines.others["x"].constraints == [cap]
    assert scenario.to_dict()["lines"]["x"]["constraints"] == [cap]
    assert type(scenario.to_dict()["lines"]["x"]["constraints"][0]["ratio"]) is int


def test_many_units_in_a_message_end_with_how_many_more(tmp_path):
    rows = {k: v * 4 for k, v in UNITS.items()}  # twelve units, eight of them receiving
    units(**rows).frame.to_csv(tmp_path / "units.csv", index=False)
    codes = [f"U{i}" for i in (1, 3, 4, 6, 7, 9, 10, 12)]  # the receiving ones are listed
    line = {"rule": "fixed", "eligible": "non_receiving", "amounts": dict.fromkeys(codes, 1.0)}
    data = {
        "scenario": {"name": "hand", "dataset": "units.csv", "years": [2026]},
        "envelope": {"total": 480_000, "source": "test"},
        "need": {"criteria": [{"indicator": "need_units", "rate": 1.0}]},
        "objective": {"kind": "formula"},
        "lines": {"x": line},
    }
    (tmp_path / "hand.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    err = refused(tmp_path / "hand.toml")
    said(err, "lines.not_eligible_listed", " and 3 more listed", " và 3 đơn vị khác có số tiền")


# ----------------------------------------------------------------------------- capital plan

PLAN = """
[plan]
years = [2026, 2027]
[split]
capital_share = 0.1
[growth]
capital = 0.1
[line]
total = 1000
phasing = [0.6, 0.4]
[[line.criteria]]
name = "population"
indicator = "population"
base = 10
"""


def bad_plan(tmp_path: Path, old: str, new: str) -> ModelError:
    assert PLAN.count(old) == 1, old
    path = tmp_path / "plan.toml"
    path.write_text(PLAN.replace(old, new), encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load_plan(path)
    assert "plan.toml" in str(info.value)
    return info.value


@pytest.mark.parametrize(
    "old, new, code, en, vi",
    [
        ("[growth]", "[growths]", "capital.plan_table", "missing table [growth]", "thiếu bảng"),
        (
            "years = [2026, 2027]",
            "years = [2026, 2028]",
            "capital.plan_years",
            "consecutive years (got [2026, 2028])",
            "(nhận được [2026; 2028])",
        ),
        (
            "capital_share = 0.1",
            "capital_share = 12.5",
            "capital.share_range",
            "between 0 and 1 (got 12.5); it is a fraction",
            "(nhận được 12,5); đây là phân số",
        ),
        (
            "capital_share = 0.1",
            'capital_share = "hanoi"',
            "capital.share_name",
            "a fraction or 'ca_mau_2026'",
            "phải là một phân số",
        ),
        ("capital = 0.1", "capital = 1.5", "capital.growth", "between −0.5 and 1", "−0,5"),
        ("total = 1000", "total = -1", "capital.total", "non-negative amount", "triệu đồng"),
        (
            "phasing = [0.6, 0.4]",
            "phasing = [0.6, 0.5]",
            "capital.phasing",
            "(got [0.6, 0.5])",
            "(nhận được [0,6; 0,5])",
        ),
        (
            "phasing = [0.6, 0.4]",
            'phasing = [0.6, 0.4]\neligible = "poor"',
            "capital.eligible",
            "(got 'poor')",
            "(nhận được 'poor')",
        ),
        (
            "[[line.criteria]]",
            "[[line.criterion]]",
            "capital.no_criteria",
            "at least one",
            "ít nhất",
        ),
        ("base = 10", "base = 10\npoints = 2", "capital.criterion_keys", "['points']", "khoá"),
        ('name = "population"', 'name = ""', "capital.criterion_string", "].name must", "chuỗi"),
        ("base = 10", "step = 0", "capital.criterion_step", "step must be positive", "lớn hơn 0"),
        (
            "base = 10",
            "step = 5\nbands = [[0, 1]]",
            "capital.criterion_both",
            "not both",
            "không cho cả hai",
        ),
        ("base = 10", "base = -10", "capital.criterion_negative", "≥ 0", "hữu hạn"),
    ],
)
def test_a_bad_plan_file_says_what_and_where(tmp_path, old, new, code, en, vi):
    said(bad_plan(tmp_path, old, new), code, en, vi)


def test_a_plan_file_that_is_not_toml(tmp_path):
    """The parser's own words (where it stopped) stay as it writes them, as for a scenario."""
    err = bad_plan(tmp_path, "[plan]", "[plan")
    assert err.code == "capital.plan_toml" and "at line 2, column 6" in str(err)
    vi = err.text("vi")
    assert vi.startswith("plan.toml: không phải tệp TOML hợp lệ (Expected ']'")
    assert not english_left(vi.split("(")[0])


def test_a_plan_file_that_is_not_there(tmp_path):
    with pytest.raises(ModelError) as info:
        load_plan(tmp_path / "none.toml")
    said(info.value, "capital.no_plan", "none.toml: no such plan file", "không có tệp kế hoạch")


def _frame(**change) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "code": ["X", "Y"],
            "name": ["x", "y"],
            "spending_need": [1000, 2000],
            "revenue_local": [100, 300],
            "revenue_shared": [400, 1500],
            "population": [350, 100],
        }
    )
    return frame.assign(**change)


@pytest.mark.parametrize(
    "share, frame, code, en, vi",
    [
        ("ca_mau_2026", _frame(), "capital.ca_mau", "needs Cà Mau (code 96)", "mã 96"),
        (0.1, _frame().drop(columns="spending_need"), "capital.spending_need", "(A)", "34 tỉnh"),
        (0.1, _frame(population=[1, None]), "capital.indicator_values", "'population'", "trống"),
        (0.1, _frame(population=[0, 0]), "capital.no_points", "no unit has points", "điểm"),
    ],
)
def test_a_unit_table_the_capital_view_cannot_use(tmp_path, share, frame, code, en, vi):
    path = tmp_path / "plan.toml"
    path.write_text(PLAN.replace("capital_share = 0.1", f"capital_share = {share!r}"), "utf-8")
    plan = load_plan(path)
    with pytest.raises(ModelError) as info:
        five_year(plan, frame)
    err = info.value
    if err.code == "model.wrapped":  # the criteria's errors name the plan's criteria
        assert str(err).startswith("plan.toml: line.criteria: ")
        err = ModelError(err.args[0].params["detail"])
    said(err, code, en, vi)


def test_the_cli_capital_view_on_a_criterion_the_table_does_not_have(tmp_path, capsys):
    from fiscal.cli import main

    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN.replace('indicator = "population"', 'indicator = "teachers"'), "utf-8")
    assert main(["capital", "--plan", str(plan)]) == 1
    err = capsys.readouterr().err
    assert "plan.toml: line.criteria: criterion indicator 'teachers' is not a unit-table" in err
    with pytest.raises(ModelError) as info:
        five_year(load_plan(plan))
    said(info.value, "model.wrapped", "transfer_dependence", "plan.toml: line.criteria: chỉ tiêu")
    assert info.value.args[0].params["detail"].code == "capital.indicator_column"


def test_points_that_are_not_numbers():
    with pytest.raises(ModelError) as info:
        points_allocation(np.array([1.0, np.nan]), 100)
    said(info.value, "capital.points_invalid", "finite and non-negative", "không âm")


# ----------------------------------------------------------------------------- execution


@pytest.fixture(scope="module")
def bridge():
    return run("national-2026-bridge")


@pytest.mark.parametrize(
    "argv, en",
    [
        (["--profile", "1/12,x"], "drawdown profile '1/12,x': use 'even', 'front'"),
        (["--profile", "0.5,0.5"], "a drawdown profile has 12 monthly shares (got 2)"),
        (["--year", "2031"], "year 2031 is not a year of 'National 2026"),
        (["-o", "schedule.pdf"], "schedule.pdf: unknown output format '.pdf'"),
    ],
)
def test_the_cli_drawdown_refuses_bad_options(tmp_path, monkeypatch, capsys, argv, en):
    from fiscal.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["drawdown", "national-2026-bridge", *argv]) == 1
    out = capsys.readouterr()
    assert en in out.err and not out.out  # refused before any table is printed
    assert not list(tmp_path.iterdir())  # nothing written


def test_drawdown_profiles_in_vietnamese():
    with pytest.raises(ModelError) as info:
        parse_profile("1/12,x")
    said(info.value, "drawdown.profile_text", "12 shares separated by commas", "12 tỷ lệ")
    with pytest.raises(ModelError) as info:
        parse_profile("0.5,0.5")
    said(info.value, "drawdown.profile_months", "(got 2)", "(nhận được 2)")
    with pytest.raises(ModelError) as info:
        parse_profile([0.1] * 3 + [0.2] + [0.5 / 8] * 8)
    said(info.value, "drawdown.profile_caps", "(month(s) [4])", "(tháng [4])")
    with pytest.raises(ModelError) as info:
        parse_profile([0.11, 0.1, 0.1] + [0.08] * 8 + [0.05])
    said(info.value, "drawdown.profile_caps", "(Q1 31.0%)", "(quý I 31,0%)")


def test_drawdown_amounts_and_units_in_vietnamese():
    with pytest.raises(ModelError) as info:
        drawdown([1000, 1234.5], codes=["01", "79"])
    said(
        info.value,
        "drawdown.annual",
        "unit 79: the annual amount 1,234.5",
        "đơn vị 79: số cả năm 1.234,5",
    )
    with pytest.raises(ModelError) as info:
        drawdown([-3])
    said(info.value, "drawdown.annual", "row 0: the annual amount -3", "dòng 0: số cả năm -3")
    with pytest.raises(ModelError) as info:
        drawdown([2_000, 13], codes=["01", "79"])
    said(info.value, "drawdown.too_small", "unit 79: 13 units", "đơn vị 79: 13 đơn vị")
    with pytest.raises(ModelError) as info:
        drawdown([2_000, 13])
    said(info.value, "drawdown.too_small", "row 1: 13 units", "dòng 1: 13 đơn vị")
    with pytest.raises(ModelError) as info:
        drawdown([1000], unit="bn")
    said(info.value, "drawdown.unit", "(got 'bn')", "(nhận được 'bn')")


def test_the_caps_that_cannot_hold_an_amount_are_an_error_not_a_loop():
    """The callers keep the caps above the amount; should one not, the split says so."""
    from fiscal.execution import _split

    with pytest.raises(ModelError) as info:
        _split(10, [1, 1], [4, 4])
    said(info.value, "drawdown.caps_hold", "cannot hold", "không đủ")


def test_the_cli_outturn_refuses_bad_settings(capsys):
    from fiscal.cli import main

    args = ["outturn", "national-2026-bridge", "--draws", "2"]
    assert main([*args, "--opening-debt", "5"]) == 1
    assert "opening debt must be a share of the ceiling between 0 and 2 (got 5)" in (
        capsys.readouterr().err
    )
    assert main([*args, "--fix", "79=12.5"]) == 1
    assert "--fix 79: the factor 12.5 must be between 0 and 10" in capsys.readouterr().err
    for command in (args, ["capital"]):
        assert main([*command, "-o", "out.docx"]) == 1
        out = capsys.readouterr()
        assert "out.docx: unknown output format '.docx'" in out.err and not out.out


def test_outturn_settings_in_vietnamese(bridge):
    with pytest.raises(ModelError) as info:
        base_from_result(bridge, opening_debt=2.5)
    said(info.value, "outturn.opening_debt", "(got 2.5)", "(nhận được 2,5)")
    base = base_from_result(bridge)
    with pytest.raises(ModelError) as info:
        outturn(base, draws=0)
    said(info.value, "outturn.draws", "(got 0)", "(nhận được 0)")
    with pytest.raises(ModelError) as info:
        outturn(base, draws=2, fixed={"79": 12.5})
    said(info.value, "outturn.factor", "the factor 12.5", "hệ số 12,5", "1,15 = 115%")


def test_the_outturn_notes_are_written_in_the_language(bridge):
    base = base_from_result(bridge, opening_debt=0.25)
    assert [n.code for n in base.notes] == ["outturn.note_debt_illustrative"]
    out = outturn(base, draws=2)
    en = outturn_view(out, lang="en").notes
    vi = outturn_view(out, lang="vi").notes
    assert "opening debt: illustrative, 25% of each unit's ceiling at the estimate" in en
    assert (
        "dư nợ đầu kỳ: minh hoạ, bằng 25% mức dư nợ vay tối đa của từng đơn vị theo số dự toán"
        in vi
    )
    assert not any(english_left(n) for n in vi[-1:])


def test_the_views_exports_refuse_in_both_languages(tmp_path, bridge):
    sheets = {"t": pd.DataFrame({"a": [1]})}
    with pytest.raises(ExportError) as info:
        view_bytes(sheets, "csv", lang="fr", title="t")
    said(info.value, "export.view_lang", "(got 'fr')", "(nhận được 'fr')")
    with pytest.raises(ExportError) as info:
        view_bytes(sheets, "pdf", title="t")
    said(info.value, "export.unknown_table_format", "unknown table format 'pdf'", "định dạng")
    with pytest.raises(ExportError) as info:
        write_view(sheets, tmp_path / "t.ods", title="t")
    said(info.value, "export.unknown_format", "t.ods: unknown output format '.ods'", "'.ods'")
    with pytest.raises(ExportError) as info:
        view_bytes({"t": pd.DataFrame({"a": [object()]})}, "json", title="Bảng")
    err = info.value
    assert err.code == "export.view_failed" and "cannot write 'Bảng' as json: Object" in str(err)
    assert err.text("vi").startswith("không ghi được “Bảng” dạng json: Object")  # Python's words
    with pytest.raises(ExportError) as info:
        balancing_of(bridge, 2031)
    vi = said(info.value, "export.view_year", "year 2031 is not a year of", "năm 2031 không thuộc")
    assert bridge.scenario.scenario.name_vi and bridge.scenario.scenario.name_vi in vi
    assert not list(tmp_path.iterdir())


def test_the_notes_of_a_base_without_a_capital_share_or_with_a_debt_column(tmp_path):
    """A unit table without Cà Mau has no capital share (nothing is borrowed); one with a
    'debt' column gives the opening debt. Both notes reach the outturn view in the language."""
    path = scenario_file(tmp_path, {})
    base = base_from_result(run(fiscal.load_scenario(path)))
    assert [n.code for n in base.notes] == [
        "outturn.note_no_share",
        "outturn.note_debt_illustrative",
    ]
    frame = pd.read_csv(tmp_path / "units.csv", dtype=str).assign(debt=["1", "2", "3"])
    frame.to_csv(tmp_path / "units.csv", index=False)
    base = base_from_result(run(fiscal.load_scenario(path)))
    assert [n.code for n in base.notes] == ["outturn.note_no_share", "outturn.note_debt_column"]
    assert base.debt.tolist() == [1, 2, 3]
    notes = outturn_view(outturn(base, draws=2), lang="vi").notes
    assert notes[-2:] == [n.text("vi") for n in base.notes]
    for note in base.notes:
        said(ModelError(note), note.code, str(note)[:12], "đ")
