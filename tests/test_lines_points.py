"""The capital line as a transfer line (rule = "points", issue 14 points 1 and 3): the shipped
national-2026-capital-points scenario shares its envelope exactly as the five-year capital view
shares 2026, only among receiving units, and explains each unit's points in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from fiscal.capital import five_year
from fiscal.errors import FiscalError
from fiscal.pipeline import run
from fiscal.scenario import load_scenario

SCENARIO = "national-2026-capital-points"


def test_the_points_line_is_the_capital_views_2026_line():
    result = run(SCENARIO)
    line = result.budget.line("capital")
    view = five_year()
    y2026 = view.years[view.years["year"] == 2026]
    assert line.envelope == view.envelope[2026] == 50_805_400
    assert line.amount[0].sum() == 50_805_400
    assert np.array_equal(line.amount[0], y2026["capital_line"].to_numpy())
    receiving = result.table["fiscal_class"].to_numpy() == "receiving"
    assert (line.amount[0][~receiving] == 0).all() and (line.amount[0][receiving] > 0).all()


@pytest.mark.parametrize(
    "lang, words",
    [("en", "61.0 points (population 23.5"), ("vi", "61,0 điểm (dân số 23,5")],
)
def test_why_tells_a_units_points(lang, words):
    from fiscal.lines.facts import unit_budget
    from fiscal.prose.budget import budget_story

    result = run(SCENARIO)
    ub = unit_budget(result.budget, result.problem.frame, "08")
    text = "\n".join(budget_story(ub, lang=lang))
    assert words in text


def test_a_points_line_needs_criteria_and_an_envelope(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[scenario]\nname = "bad"\nextends = "national-2026-budget.toml"\n'
        '[lines.capital]\nrule = "points"\nenvelope = 1000\n',
        encoding="utf-8",
    )
    with pytest.raises(FiscalError, match=r"needs \[\[lines.<name>.points\]\]"):
        load_scenario(path)


@pytest.mark.parametrize(
    "points, en, vi",
    [
        (
            '[[lines.capital.points]]\nname = "d"\nindicator = "population"\nbase = 1.0\n'
            "bands = [[0.0, 1.0]]\n",
            "points criterion 'd': give either bands",
            "chỉ khai báo một trong hai cách",
        ),
        (
            '[[lines.capital.points]]\nname = "d"\nindicator = "population"\nbands = [[0.5]]\n',
            "each band is [lower, points], two numbers ≥ 0 (got [0.5])",
            "mỗi khoảng là [mức dưới, điểm]",
        ),
        (
            '[[lines.capital.points]]\nname = "a"\nindicator = "population"\nbase = 1.0\n'
            '[[lines.capital.points]]\nname = "b"\nindicator = "population"\nbase = 2.0\n',
            "each points criterion needs its own indicator (['population'] used twice)",
            "mỗi tiêu chí tính điểm cần một chỉ tiêu riêng",
        ),
    ],
)
def test_bad_points_criteria_are_refused_in_both_languages(tmp_path, points, en, vi):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[scenario]\nname = "bad"\nextends = "national-2026-budget.toml"\n'
        '[lines.capital]\nrule = "points"\nenvelope = 1000\n' + points,
        encoding="utf-8",
    )
    with pytest.raises(FiscalError) as info:
        load_scenario(path)
    assert en in str(info.value)
    assert vi in info.value.text("vi")


def test_points_are_only_the_criteria_of_a_points_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[scenario]\nname = "bad"\nextends = "national-2026-budget.toml"\n'
        '[lines.x]\nrule = "formula"\n[[lines.x.criteria]]\nindicator = "population"\n'
        'rate = 1.0\n[[lines.x.points]]\nname = "p"\nindicator = "population"\nbase = 1.0\n',
        encoding="utf-8",
    )
    with pytest.raises(FiscalError, match="are the criteria of rule = 'points'"):
        load_scenario(path)


@pytest.fixture(scope="module")
def points_result():
    return run(SCENARIO)


def test_the_points_line_has_its_workbook_sheet_with_points_as_numbers(points_result):
    import io

    import openpyxl

    from fiscal.workbook import HEADER_ROW, result_workbook

    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(points_result)))
    ws = wb["L capital"]
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1))
    head = [str(c.value).split(": ")[0] for c in rows[0]]  # "code: tiếng Việt"
    assert "points: điểm" in [c.value for c in rows[0]]
    la = points_result.budget.line("capital")
    body = rows[1 : 1 + len(la.amount[0])]
    for key in ("points", "points.population", "points.transfer_dependence"):
        j = head.index(key)
        assert [r[j].value for r in body] == la.parts[key].tolist()
        assert body[0][j].number_format != "#,##0"  # points are not money
    j = head.index("amount")
    assert [r[j].value for r in body] == la.amount[0].tolist()
    assert body[0][j].number_format == "#,##0"
    assert sum(r[j].value for r in body) == 50_805_400


def test_the_points_line_is_in_the_json_csv_and_compare(points_result):
    import json

    from fiscal import export
    from fiscal.compare import compare

    lines = json.loads(export.json_bytes(points_result))["budget"]["lines"]
    capital = [x for x in lines if x["name"] == "capital"][0]
    assert capital["rule"] == "points" and capital["total"] == [50_805_400]
    assert capital["estimated"] and "priority" not in capital
    assert points_result.table["line_capital"].sum() == 50_805_400
    c = compare([run("national-2026-budget"), points_result])
    row = c.lines[(c.lines["line"] == "capital") & (c.lines["year"] == 2026)].iloc[0]
    assert row["national-2026-budget"] == 0  # the reference has no such line
    assert row[f"Δ {SCENARIO}"] == row[SCENARIO] == 50_805_400
