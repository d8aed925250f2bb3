"""Where users meet the transfer lines (issue 14 point 5): the workbook's sheet per line with
totals that reconcile to the million VND per line and overall, the JSON and CSV, the command
line's summary and explanation, and comparisons by line."""

from __future__ import annotations

import io
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from english import english_in

from fiscal import export
from fiscal.compare import compare as compare_results
from fiscal.pipeline import run
from fiscal.workbook import HEADER_ROW, result_workbook


@pytest.fixture(scope="module")
def budget():
    return run("national-2026-budget")


@pytest.fixture(scope="module")
def merger():
    return run("national-2025-merger-money")


def _sheet(wb, name) -> tuple[pd.DataFrame, list[tuple]]:
    """A sheet's table by the columns' codes (a header reads "code: tiếng Việt"), and the rows
    of totals after it."""
    rows = list(wb[name].iter_rows(values_only=True))
    head = [str(h).split(": ")[0] for h in rows[HEADER_ROW]]
    body, tail = [], []
    for r in rows[HEADER_ROW + 1 :]:
        total = (
            r[0] is None
            or str(r[0]).startswith("All lines")
            or (len(r) > 2 and str(r[2]).startswith("Total"))
        )
        (tail if total else body).append(r)
    return pd.DataFrame(body, columns=head), tail


@pytest.mark.parametrize("fixture", ["budget", "merger"])
def test_workbook_has_one_sheet_per_line_reconciling_to_the_million(fixture, request):
    result = request.getfixturevalue(fixture)
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(result)), data_only=True)
    b = result.budget
    assert {"Lines", "Budget", "Budget rules" if b.checks else "Lines"} <= set(wb.sheetnames)
    for la in b.lines:
        frame, tail = _sheet(wb, f"L {la.name}"[:31])
        assert frame["code"].tolist() == list(b.codes)
        assert frame["amount"].tolist() == la.amount[0].tolist()
        total = [r for r in tail if r[2] and str(r[2]).startswith("Total")][0]
        assert total[list(frame.columns).index("amount")] == la.total[0]
        if la.envelope is not None:
            diff = [r for r in tail if r[2] and str(r[2]).startswith("Difference")][0]
            assert diff[list(frame.columns).index("amount")] == 0
    lines, tail = _sheet(wb, "Lines")
    assert lines["total"].tolist() == [la.total[0] for la in b.lines]
    assert (lines["difference"].fillna(0) == 0).all()
    all_lines = [r for r in tail if r[0] and str(r[0]).startswith("All lines")][0]
    assert all_lines[list(lines.columns).index("total")] == b.transfers[0].sum()
    frame, tail = _sheet(wb, "Budget")
    kept = [c for c in frame.columns if c.startswith("revenue_kept")][0]
    resources = [c for c in frame.columns if c.startswith("resources_total")][0]
    assert np.array_equal(frame[resources].to_numpy(dtype=float), b.resources[0])
    line_cols = [c for c in frame.columns if c.startswith("line_")]
    assert len(line_cols) == len(b.lines)
    summed = frame[kept].to_numpy(dtype=float) + frame[line_cols].to_numpy(dtype=float).sum(axis=1)
    assert np.array_equal(summed, frame[resources].to_numpy(dtype=float))
    total = [r for r in tail if r[2] and str(r[2]).startswith("Total")][0]
    assert total[list(frame.columns).index(resources)] == b.resources[0].sum()
    heads = [str(h) for h in next(wb["Budget"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))]
    assert "line_balancing: Bổ sung cân đối" in heads  # Vietnamese names beside the keys


def test_workbook_without_lines_has_no_line_sheets():
    result = run("national-2026-bridge")
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(result)), read_only=True)
    assert not {"Lines", "Budget", "Budget rules"} & set(wb.sheetnames)
    assert not [s for s in wb.sheetnames if s.startswith("L ")]


def test_budget_rules_sheet_lists_every_rule_and_unit(budget):
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(budget)), data_only=True)
    rules, _ = _sheet(wb, "Budget rules")
    assert len(rules) == 5 * 34
    hh = rules[rules["rule"] == "hold-harmless — không thấp hơn các tỉnh cũ"]
    assert hh.loc[hh["verdict"] == "does not hold — không đạt", "code"].tolist() == [
        "31",
        "33",
        "37",
        "51",
        "79",
    ]
    assert set(rules.loc[rules["rule"] == "education — giáo dục", "verdict"]) == {
        "not judged — không đối chiếu"
    }


def test_json_export_has_the_budget_and_each_units_lines(merger):
    data = json.loads(export.json_bytes(merger))
    b = data["budget"]
    assert [ln["name"] for ln in b["lines"]] == ["balancing", "merger-support", "commune-facility"]
    facility = b["lines"][2]
    assert facility["total"] == [2_615_000] and len(facility["real_amounts"]) == 27
    assert facility["label_vi"].startswith("Kinh phí sửa chữa")
    hy = next(u for u in data["units"] if u["code"] == "33")
    assert hy["line_commune-facility"] == 55_800
    assert b["transfers"] == [238_421_000 + 4_867_000 + 2_615_000]


def test_csv_has_a_column_per_line_in_whole_million(merger):
    frame = pd.read_csv(
        io.BytesIO(export.csv_bytes(merger)), dtype=str, comment="#", encoding="utf-8-sig"
    )
    assert frame["line_commune-facility"].astype(int).sum() == 2_615_000
    assert not frame["line_merger-support"].str.contains(r"\.").any()
    assert list(frame.columns[-4:]) == [
        "line_merger-support",
        "line_commune-facility",
        "transfers_total",
        "resources_total",
    ]


def test_solve_prints_each_line_and_rule(budget, capsys):
    from fiscal.cli import main

    assert main(["solve", "national-2026-budget"]) == 0
    out = capsys.readouterr().out
    assert (
        "Base-salary top-up" in out
        and "53,554,000 26 units; 1 real per-unit amounts; = its envelope" in out
    )
    assert "Targeted transfers" in out and "1 real per-unit amounts" in out
    assert (
        "hold-harmless (hold-harmless, on revenue kept without land fees and lottery + "
        "Balancing transfer): does not hold for 5 unit(s)" in out
    )
    assert "NOTE: how these lines are shared among units is illustrative" in out


def test_explain_tells_each_line(capsys):
    from fiscal.cli import main

    assert main(["explain", "national-2026-budget", "--unit", "33"]) == 0
    out = capsys.readouterr().out
    assert "Targeted transfers: 4,484,559 million VND, the real amount" in out
    assert "debt-ceiling (debt ceiling): 80% of revenue kept" in out


def test_compare_across_lines(budget, merger):
    bridge = run("national-2026-bridge")
    c = compare_results([bridge, budget, merger], ["bridge", "budget", "merger"])
    first = c.lines[c.lines["year"] == 2026].set_index("line")
    assert first.loc["salary", "budget"] == 53_554_000 and first.loc["salary", "bridge"] == 0
    assert first.loc["commune-facility", "Δ merger"] == 2_615_000
    assert first.loc["transfers_total", "budget"] == 479_150_000
    unit = c.unit_lines.set_index(["code", "line"])
    assert unit.loc[("33", "targeted"), "budget"] == 4_484_559
    data = json.loads(export.comparison_bytes(c, "json"))
    assert "lines" in data and "unit_lines" in data
    wb = openpyxl.load_workbook(io.BytesIO(export.comparison_bytes(c, "xlsx")), read_only=True)
    assert {"Lines", "Units by line"} <= set(wb.sheetnames)
    for name in ("Lines", "Units by line"):  # the sheets of lines say their notes in Vietnamese
        title, vi = wb[name].cell(1, 1).value, wb[name].cell(3, 1).value
        assert " — Các khoản" in title and "(triệu đồng)" in title
        assert "SỐ LIỆU MINH HỌA: mọi kịch bản dùng số ước tính (baseline," in vi
        assert "Mức thay đổi được tính so với “bridge”." in vi and _vietnamese(vi)
    assert "Transfer lines (2026, bn VND):" in c.text()


def test_compare_without_lines_is_unchanged():
    a, b = run("national-2026-baseline"), run("national-2026-minimax")
    c = compare_results([a, b])
    assert c.lines.empty and "lines" not in c.to_dict()
    assert "Transfer lines" not in c.text()


def test_a_stored_run_with_lines_restores_its_budget(tmp_path, merger):
    from fiscal import runs
    from fiscal.store import Store

    store = Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    info = store.save(merger, author="lan")
    restored = runs.load(info.id, store).result
    pd.testing.assert_frame_equal(restored.table, merger.table)
    assert restored.budget is not None
    for a, b in zip(restored.budget.lines, merger.budget.lines, strict=True):
        assert a.name == b.name and np.array_equal(a.amount, b.amount)
    again = json.loads(export.json_bytes(restored))["budget"]
    assert again == json.loads(export.json_bytes(merger))["budget"]


def test_the_budget_sheets_share_the_workbooks_header_row():
    from fiscal import budget_workbook, workbook

    assert budget_workbook.HEADER_ROW == workbook.HEADER_ROW


def test_the_annex_by_line_in_the_official_layout(budget):
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(budget)), data_only=True)
    rows = list(wb["Phụ lục bổ sung 2026"].iter_rows(values_only=True))
    head = rows[4]
    assert head[:3] == ("STT", "Tên đơn vị", "Tổng số bổ sung từ NSTW")
    assert head[3:6] == (
        "Bổ sung cân đối",
        "Bổ sung thực hiện mức lương cơ sở",
        "Bổ sung có mục tiêu",
    )
    assert "MINH HỌA" in rows[2][0] and "Bổ sung có mục tiêu" in rows[2][0]
    total = rows[6]
    assert total[1] == "TỔNG SỐ"
    assert total[2:6] == (479_150_000, 238_421_000, 53_554_000, 187_175_000)
    units = rows[7:]
    assert len(units) == 34
    for j in range(2, 8):
        assert sum(r[j] for r in units) == total[j]
    hy = next(r for r in units if r[1] == "Hưng Yên")
    assert (hy[3], hy[5]) == (5_315_159, 4_484_559)


TONES = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")


def _vietnamese(text: str) -> bool:
    return bool(TONES & set(text.lower())) and not english_in(text)


@pytest.mark.parametrize("fixture", ["budget", "merger"])
def test_the_line_sheets_say_every_note_in_vietnamese_too(fixture, request):
    result = request.getfixturevalue(fixture)
    b = result.budget
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(result)), data_only=True)
    sheets = ["Lines", "Budget", *[f"L {la.name}"[:31] for la in b.lines]]
    sheets += ["Budget rules"] if b.checks else []
    for name in sheets:
        ws = wb[name]
        title, en, vi = (ws.cell(r, 1).value for r in (1, 2, 3))
        assert "Million VND" in en and "ILLUSTRATIVE" in en, name
        assert "Đơn vị: triệu đồng" in vi and "SỐ LIỆU MINH HỌA" in vi, name
        assert _vietnamese(vi), (name, vi, english_in(vi))  # no English sentence left in it
        assert result.scenario.scenario.name_vi in title, name
        heads = [str(c.value) for c in ws[HEADER_ROW + 1]]
        for head in heads:  # "code: tiếng Việt"
            code, _, words = head.partition(": ")
            assert words and TONES & set(words.lower()), (name, head)
    notes = {la.rule: wb[f"L {la.name}"[:31]].cell(3, 1).value for la in b.lines}
    if fixture == "budget":
        assert "Quy tắc: đối ứng theo nhóm địa phương. Đối tượng: mọi đơn vị." in notes["cofinance"]
        assert "Nguồn: Ngân sách trung ương hỗ trợ phần chi phí" in notes["cofinance"]
        assert "MINH HỌA: cách chia khoản này cho từng đơn vị" in notes["cofinance"]
        assert (
            "MINH HỌA: cách chia các khoản sau cho từng đơn vị (tổng mức theo số liệu nêu): "
            in (wb["Lines"].cell(3, 1).value)
        )
        rules, _ = _sheet(wb, "Budget rules")
        assert set(rules["verdict"]) == {
            "holds — đạt",
            "does not hold — không đạt",
            "not judged — không đối chiếu",
        }
        assert "debt ceiling — hạn mức dư nợ" in set(rules["kind"])
    else:
        assert "Quy tắc: danh sách cố định theo quyết định." in notes["fixed"]
        assert "Nguồn: Quyết định 2639/QĐ-TTg (3/12/2025)" in notes["fixed"]
    frame, _ = _sheet(wb, "Budget")
    assert "receiving — nhận bổ sung cân đối" in set(frame["fiscal_class"])


@pytest.mark.parametrize("fixture", ["budget", "merger"])
def test_the_official_layouts_hold_no_english(fixture, request):
    result = request.getfixturevalue(fixture)
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(result)), data_only=True)
    annexes = [ws for ws in wb.worksheets if ws.title.startswith(("Phụ lục", "Tỷ lệ phân chia"))]
    assert annexes
    for ws in annexes:
        rows = list(ws.iter_rows(max_row=6, values_only=True))
        assert rows[1][0] == f"(Kịch bản: {result.scenario.scenario.name_vi})", ws.title
        assert "SỐ LIỆU MINH HỌA" in rows[2][0], ws.title
        for row in rows:
            for v in row:
                assert not (isinstance(v, str) and english_in(v)), (ws.title, v)


def test_the_drawdown_in_vietnamese_names_the_scenario_in_vietnamese(budget):
    from fiscal.execution_export import drawdown_view

    view = drawdown_view(budget, lang="vi")
    assert budget.scenario.scenario.name_vi in view.notes
    for text in [view.title, *view.notes, *view.warnings]:
        assert _vietnamese(text), text


def test_a_rule_of_the_balancing_allocation_has_its_sheet_in_both_languages():
    # merger support paid by the scenario's own constraint becomes a line of its own: its sheet
    # says so and where it comes from in both languages, without an eligibility it does not have
    from fiscal.scenario import bundled_scenarios_dir, parse_scenario

    text = """
[scenario]
name = "merger support and a line"
extends = "national-2026-merger-support.toml"

[lines.extra]
rule = "formula"
envelope = 1000
[[lines.extra.criteria]]
indicator = "population"
rate = 1.0
"""
    result = run(parse_scenario(text, base=bundled_scenarios_dir()))
    wb = openpyxl.load_workbook(io.BytesIO(result_workbook(result)), data_only=True)
    ws = wb["L merger_support_rule"]
    en, vi = ws.cell(2, 1).value, ws.cell(3, 1).value
    assert "Rule: a rule of the balancing allocation. Million VND. Source: the scenario's" in en
    assert (
        "Quy tắc: một quy tắc của phân bổ bổ sung cân đối. Đơn vị: triệu đồng. Nguồn: ràng buộc "
        "merger_support của kịch bản" in vi
    )
    assert "Eligible" not in en and "Đối tượng" not in vi
    assert "Quy tắc: công thức. Đối tượng: mọi đơn vị." in wb["L extra"].cell(3, 1).value
