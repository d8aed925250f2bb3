"""A result's workbook in one language (``result_workbook(lang=...)``, ``fiscal solve --lang``,
the app's download in the page's language): sheet names, titles, notes and headers in that
language within Excel's 31 characters, the same numbers in every cell as the workbook without a
language, and the totals still reconciling to the million VND (the dong of a triệu đồng table).

The workbook without a language (``fiscal solve -o`` by default) is unchanged: English, its
sheets of transfer lines in both languages (tests/test_workbook.py, tests/test_lines_outputs.py).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from english import english_in

import fiscal
from fiscal.errors import ExportError
from fiscal.workbook import HEADER_ROW, result_workbook
from fiscal.xlsx import Book

ANNEXES = ("Phụ lục", "Tỷ lệ phân chia")  # the official tables: Vietnamese in every language


@pytest.fixture(scope="module")
def budget():
    return fiscal.run("national-2026-budget")


@pytest.fixture(scope="module")
def support():
    return fiscal.run("national-2026-merger-support.toml")


def _load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def _numbers(wb: openpyxl.Workbook) -> list[list[tuple[int, float]]]:
    """Every number of every sheet, in order, by row: what no language may change (a sheet
    in one language may leave out the other language's words, so not by column)."""
    out = []
    for ws in wb.worksheets:
        out.append(
            [
                (c.row, c.value)
                for row in ws.iter_rows()
                for c in row
                if isinstance(c.value, int | float) and not isinstance(c.value, bool)
            ]
        )
    return out


def _texts(ws, rows: range) -> list[str]:
    return [
        str(v)
        for row in ws.iter_rows(min_row=rows.start, max_row=rows.stop, values_only=True)
        for v in row
        if isinstance(v, str)
    ]


@pytest.mark.parametrize("fixture", ["budget", "support"])
def test_a_vietnamese_workbook_has_the_same_numbers_in_vietnamese_words(fixture, request):
    result = request.getfixturevalue(fixture)
    plain, vi = _load(result_workbook(result)), _load(result_workbook(result, lang="vi"))
    assert len(plain.sheetnames) == len(vi.sheetnames)
    assert _numbers(vi) == _numbers(plain)  # every number, on the same row, in order
    assert vi.sheetnames[0] == "Phân bổ" and "Nguồn gốc" in vi.sheetnames
    for ws in vi.worksheets:
        assert len(ws.title) <= 31
        # the title, the notes and the headers: no English sentence (codes and names aside)
        for text in _texts(ws, range(1, HEADER_ROW + 1)):
            assert not english_in(text), (ws.title, text, english_in(text))
        assert result.scenario.scenario.name_vi in " ".join(_texts(ws, range(1, 2))), ws.title
        if result.illustrative:
            assert "SỐ LIỆU MINH HỌA" in " ".join(_texts(ws, range(1, 3))), ws.title
    words = {ws.title: ws for ws in vi.worksheets}
    heads = [c.value for c in words["Phân bổ"][HEADER_ROW + 1]]
    assert {"Mã", "Tên đơn vị", "Phân bổ", "Số bổ sung năm gốc"} <= set(heads)
    assert not [w for w in ("Allocation", "Metrics", "Lines", "Budget") if w in vi.sheetnames]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_allocation_reconciles_to_the_million_in_each_language(support, lang):
    wb = _load(result_workbook(support, lang=lang))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    head = list(rows[0])
    j = head.index("Phân bổ" if lang == "vi" else "allocation")
    body = [r for r in rows[1:] if isinstance(r[1], str) and r[0] == 2026]  # unit rows
    assert [r[j] for r in body] == support.table["allocation"].tolist()
    envelope = float(support.problem.envelope_total[0])
    assert sum(r[j] for r in body) == envelope
    total = next(r for r in rows if r[2] == ("Tổng 2026" if lang == "vi" else "Total 2026"))
    assert total[j] == envelope  # the SUMIF's cached value
    recon = [r for r in rows if r[0] == 2026 and r[1] == envelope]
    assert recon and recon[0][2] == envelope and recon[0][3] == 0


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_line_reconciles_in_each_language(budget, lang):
    wb = _load(result_workbook(budget, lang=lang))
    b = budget.budget
    prefix, amount, total = ("K", "số tiền", "Tổng") if lang == "vi" else ("L", "amount", "Total")
    sheets = [ws for ws in wb.worksheets if ws.title.startswith(f"{prefix} ")]
    for la, ws in zip(b.lines, sheets, strict=True):  # one sheet per line, in the lines' order
        rows = list(ws.iter_rows(values_only=True))
        head = list(rows[HEADER_ROW])
        j = head.index(amount)
        units = [r for r in rows[HEADER_ROW + 1 :] if r[1] is not None]
        assert [r[j] for r in units] == la.amount[0].tolist()
        totals = [r for r in rows if r[2] == f"{total} 2026"]
        assert totals and totals[0][j] == la.total[0]
    lines = wb["Các khoản bổ sung" if lang == "vi" else "Lines"]
    notes = [lines.cell(r, 1).value for r in (2, 3)]
    if lang == "vi":
        assert "Đơn vị: triệu đồng" in notes[0] and "Million VND" not in notes[0]
    else:
        assert "Million VND" in notes[0] and "triệu đồng" not in notes[0]
    assert notes[1] is None  # one language: no second note row
    rules = wb["Quy tắc ngân sách" if lang == "vi" else "Budget rules"]
    verdicts = {r[-1] for r in rules.iter_rows(min_row=HEADER_ROW + 2, values_only=True) if r[-1]}
    expected = (
        {"đạt", "không đạt", "không đối chiếu"}
        if lang == "vi"
        else {"holds", "does not hold", "not judged"}
    )
    assert verdicts == expected


def test_an_english_workbook_keeps_vietnamese_only_in_the_official_tables(budget):
    wb = _load(result_workbook(budget, lang="en"))
    assert wb.sheetnames[:3] == ["Allocation", "Lines", "Budget"]
    for ws in wb.worksheets:
        if ws.title.startswith(ANNEXES):
            continue
        head = " ".join(_texts(ws, range(1, HEADER_ROW + 1)))
        assert " — Tổng" not in head and ": Bổ sung" not in head, ws.title


def test_sheet_names_fit_excels_limit_and_stay_unique():
    book = Book("vi")
    long = "K " + "bổ-sung-có-mục-tiêu-cho-chương-trình-mục-tiêu-quốc-gia"
    first, second = book.unique(long), book.unique(long)
    assert len(first) == len(second) == 31
    assert first != second and second.endswith(" 2")
    assert book.unique("Phân bổ") == "Phân bổ" and book.unique("phân bổ") == "phân bổ 2"
    book.close()
    with pytest.raises(ExportError, match="'en' or 'vi'"):
        Book("fr")


def test_the_cli_writes_the_workbook_in_the_language_asked(tmp_path, capsys):
    from fiscal.cli import main

    for lang, first in ((None, "Allocation"), ("vi", "Phân bổ"), ("en", "Allocation")):
        out = tmp_path / f"{lang}.xlsx"
        args = ["solve", "national-2026-baseline.toml", "-o", str(out)]
        assert main(args + (["--lang", lang] if lang else [])) == 0
        assert openpyxl.load_workbook(out, read_only=True).sheetnames[0] == first
    capsys.readouterr()


def test_a_comparison_workbook_in_vietnamese(budget):
    """The Compare page's workbook in Vietnamese (``comparison_workbook(lang="vi")``): its
    sheets, titles, notes and headers in Vietnamese, every number as in the workbook without a
    language, each scenario's allocation summing to its envelope."""
    from fiscal.compare import compare
    from fiscal.workbook import comparison_workbook

    other = fiscal.run("national-2026-ntp-priority")
    c = compare([budget, other])
    plain, vi = _load(comparison_workbook(c)), _load(comparison_workbook(c, lang="vi"))
    assert vi.sheetnames == [
        "Tóm tắt",
        "Được và mất",
        "Đơn vị",
        "Các khoản",
        "Các khoản theo đơn vị",
        "Nhóm",
        "Thiết lập",
        "Quy tắc",
    ]
    assert _numbers(vi) == _numbers(plain)
    for ws in vi.worksheets:
        assert len(ws.title) <= 31
        for text in _texts(ws, range(1, HEADER_ROW + 1)):
            assert not english_in(text), (ws.title, text, english_in(text))
    rows = list(vi["Đơn vị"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    head = list(rows[0])
    for label, result in zip(c.labels, c.results, strict=True):
        j = head.index(f"{label}: Phân bổ")
        total = sum(r[j] for r in rows[1:] if isinstance(r[1], str))
        assert total == float(result.problem.envelope_total[0])


def test_the_cli_writes_a_comparison_in_the_language_asked(tmp_path, capsys):
    from fiscal.cli import main

    out = tmp_path / "so-sanh.xlsx"
    args = ["compare", "national-2026-baseline", "national-2026-minimax", "--no-rules"]
    assert main([*args, "-o", str(out), "--lang", "vi"]) == 0
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[0] == "Tóm tắt"
    capsys.readouterr()


def test_line_sheets_in_vietnamese_are_named_in_vietnamese(tmp_path):
    """Each line's sheet carries the line's Vietnamese name (not its key), cut at a word to
    Excel's 31 characters, without the characters Excel refuses; in English, by its key."""
    from fiscal.budget_workbook import _sheet_name
    from fiscal.cli import main

    out = tmp_path / "vi.xlsx"
    assert main(["solve", "national-2026-budget", "-o", str(out), "--lang", "vi"]) == 0
    names = openpyxl.load_workbook(out).sheetnames
    lines = [n for n in names if n.startswith("K ")]
    assert lines == ["K Bổ sung cân đối", "K Bổ sung thực hiện mức lương", "K Bổ sung có mục tiêu"]
    out_en = tmp_path / "en.xlsx"
    assert main(["solve", "national-2026-budget", "-o", str(out_en), "--lang", "en"]) == 0
    assert [n for n in openpyxl.load_workbook(out_en).sheetnames if n.startswith("L ")] == [
        "L balancing",
        "L salary",
        "L targeted",
    ]
    used: set[str] = set()
    assert _sheet_name("Mục tiêu/NTP: [2026]?", used, "K") == "K Mục tiêu-NTP- -2026--"
    assert _sheet_name("Mục tiêu/NTP: [2026]?", used, "K") == "K Mục tiêu-NTP- -2026-- 2"
