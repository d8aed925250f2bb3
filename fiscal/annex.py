"""Annexes laid out like the official budget tables (Vietnamese headers, triệu đồng).

* :func:`balancing_annex` — the balancing transfers of one year (dự toán số bổ sung cân đối):
  last year's, this year's, the merger support, the total and the ratio, totals row first;
* :func:`rates_annex` — with ``[sharing]``: each unit's revenue on its territory, B, C, A, the
  sharing rate (tỷ lệ phần trăm phân chia), the revenue kept and the balancing transfer, and
  its fiscal class;
* :func:`lines_annex` — with transfer lines: each unit's transfers by line, their total, the
  revenue kept and the total resources (bổ sung từ NSTW theo từng khoản).

They write into an xlsxwriter workbook (:func:`fiscal.workbook.result_workbook` calls them),
in Vietnamese only: a title, the scenario (its ``name_vi``), a red line when illustrative
figures are in use (which columns; the workbook's English warning is not repeated here), the
unit, the headers with their column numbers, then a totals row (formulas with their values
cached) and one row per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = [
    "BALANCING_HEADERS",
    "CLASSES_VI",
    "RATES_HEADERS",
    "balancing_annex",
    "lines_annex",
    "rates_annex",
]

BALANCING_HEADERS = (
    ("STT", "A", 6),
    ("Tên đơn vị", "B", 34),
    ("Dự toán năm trước", "1", 18),
    ("Số bổ sung cân đối", "2", 18),
    ("Hỗ trợ sắp xếp đơn vị hành chính", "3", 18),
    ("Tổng số", "4=2+3", 18),
    ("So sánh (%)", "5=4/1", 12),
)
RATES_HEADERS = (
    ("STT", "A", 6),
    ("Tên đơn vị", "B", 30),
    ("Tổng thu NSNN trên địa bàn", "1", 17),
    ("Thu NSĐP hưởng 100% (B)", "2", 17),
    ("Thu phân chia (C)", "3", 17),
    ("Nhu cầu chi cân đối NSĐP theo định mức (A)", "4", 20),
    ("Tỷ lệ phần trăm (%) phân chia cho NSĐP", "5", 13),
    ("Thu NSĐP được hưởng theo phân cấp", "6=2+3×5", 17),
    ("Số bổ sung cân đối từ NSTW", "7", 17),
    ("Nhóm địa phương", "8", 26),
)
#: the fiscal classes of fiscal.sharing as the annex writes them (Decree 09/2025/NĐ-CP Art. 7.2)
CLASSES_VI = {
    "receiving": "Nhận bổ sung cân đối",
    "remits ≤ 20 %": "Điều tiết từ 20% trở xuống",
    "remits 20–60 %": "Điều tiết từ trên 20% đến 60%",
    "remits > 60 %": "Điều tiết trên 60%",
}


def _col(j: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(j)


def _head(
    wb: Any,
    result: Result,
    name: str,
    title: str,
    unit: str,
    headers: Sequence[tuple[str, str, int]],
    warn: Sequence[str],
    height: int,
    notes_vi: Sequence[str] = (),
) -> tuple[Any, dict[str, Any], int]:
    """A new annex sheet with its title block and headers; (sheet, formats, totals row).
    ``warn`` (the workbook's English warning) says whether illustrative figures are in use; the
    red line says so in Vietnamese, followed by ``notes_vi``."""
    ws = wb.add_worksheet(name)
    add = wb.add_format
    f = {
        "center": add(
            {
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "font_size": 12,
            }
        ),
        "italic": add({"italic": True, "align": "center"}),
        "right": add({"italic": True, "align": "right"}),
        "warn": add({"bold": True, "font_color": "#C00000"}),
        "head": add(
            {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1}
        ),
        "sub": add({"italic": True, "align": "center", "border": 1}),
        "cell": add({"border": 1}),
        "money": add({"border": 1, "num_format": "#,##0"}),
        "pct": add({"border": 1, "num_format": "0.0"}),
        "whole": add({"border": 1, "num_format": "0", "align": "center"}),
        "tot_text": add({"border": 1, "bold": True, "align": "center"}),
        "tot_money": add({"border": 1, "bold": True, "num_format": "#,##0"}),
        "tot_pct": add({"border": 1, "bold": True, "num_format": "0.0"}),
    }
    ncol = len(headers)
    ws.merge_range(0, 0, 0, ncol - 1, title, f["center"])
    ws.set_row(0, 36)
    meta = result.scenario.scenario
    ws.merge_range(1, 0, 1, ncol - 1, f"(Kịch bản: {meta.name_vi or meta.name})", f["italic"])
    red = list(notes_vi)
    if warn:
        cols = ", ".join(result.problem.units.estimated_columns)
        red.insert(0, f"SỐ LIỆU MINH HỌA (ước tính), không phải số liệu chính thức: {cols}.")
    if red:
        ws.merge_range(2, 0, 2, ncol - 1, " ".join(red), f["warn"])
    ws.merge_range(3, 0, 3, ncol - 1, unit, f["right"])
    hr = 4
    for j, (text, number, width) in enumerate(headers):
        ws.write_string(hr, j, text, f["head"])
        ws.write_string(hr + 1, j, number, f["sub"])
        ws.set_column(j, j, width)
    ws.set_row(hr, height)
    return ws, f, hr + 2


def _finish(ws: Any, top: int) -> None:
    ws.freeze_panes(top + 1, 2)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top - 2, top - 1)


def balancing_annex(wb: Any, result: Result, k: int, year: int, warn: list[str]) -> None:
    """The balancing transfers of year ``year`` (the ``k``-th of the result)."""
    who = (
        "NGÂN SÁCH TRUNG ƯƠNG CHO NGÂN SÁCH TỪNG TỈNH, THÀNH PHỐ"
        if result.scenario.scenario.level == "province"
        else "NGÂN SÁCH TỈNH CHO NGÂN SÁCH TỪNG XÃ, PHƯỜNG, ĐẶC KHU"
    )
    title = f"DỰ TOÁN SỐ BỔ SUNG CÂN ĐỐI TỪ {who} NĂM {year}"
    ws, f, top = _head(
        wb, result, f"Phụ lục {year}", title, "Đơn vị: triệu đồng", BALANCING_HEADERS, warn, 45
    )
    t = result.year_table(year)
    if k == 0:
        prev = t["baseline"].to_numpy(dtype=float)
    else:
        prev = result.year_table(result.years[k - 1])["transfer"].to_numpy(dtype=float)
    transfer = t["transfer"].to_numpy(dtype=float)
    support = t["merger_support"].to_numpy(dtype=float)
    total = t["allocation"].to_numpy(dtype=float)
    n = len(t)
    first, last = top + 2, top + 1 + n  # Excel rows of the units (the totals row is first)
    ws.write_string(top, 0, "", f["tot_text"])
    ws.write_string(top, 1, "TỔNG SỐ", f["tot_text"])
    for j, values in ((2, prev), (3, transfer), (4, support), (5, total)):
        c = _col(j)
        ws.write_formula(top, j, f"=SUM({c}{first}:{c}{last})", f["tot_money"], values.sum())
    ratio = float(total.sum() / prev.sum() * 100) if prev.sum() > 0 else None
    if ratio is None:
        ws.write_blank(top, 6, None, f["tot_pct"])
    else:
        formula = f'=IF(C{top + 1}>0,F{top + 1}/C{top + 1}*100,"")'
        ws.write_formula(top, 6, formula, f["tot_pct"], ratio)
    # unit rows hold values (columns 4 and 5 are computed here: tens of thousands of formulas
    # make a national commune workbook slow to write and to open); the totals are formulas
    names = [str(v) for v in t["name"].to_numpy(dtype=object)]
    for i in range(n):
        r = top + 1 + i
        ws.write_number(r, 0, i + 1, f["cell"])
        ws.write_string(r, 1, names[i], f["cell"])
        ws.write_number(r, 2, prev[i], f["money"])
        ws.write_number(r, 3, transfer[i], f["money"])
        ws.write_number(r, 4, support[i], f["money"])
        ws.write_number(r, 5, float(total[i]), f["money"])
        if prev[i] > 0:
            ws.write_number(r, 6, float(total[i] / prev[i] * 100), f["pct"])
        else:
            ws.write_blank(r, 6, None, f["pct"])
    _finish(ws, top)


def rates_annex(wb: Any, result: Result, warn: list[str]) -> None:
    """The sharing rates with A, B, C, the revenue kept and the balancing transfer (one year)."""
    year = result.years[0]
    title = (
        "TỶ LỆ PHẦN TRĂM (%) PHÂN CHIA CÁC KHOẢN THU GIỮA NGÂN SÁCH TRUNG ƯƠNG VÀ NGÂN SÁCH "
        f"TỪNG TỈNH, THÀNH PHỐ VÀ SỐ BỔ SUNG CÂN ĐỐI NĂM {year}"
    )
    ws, f, top = _head(
        wb,
        result,
        f"Tỷ lệ phân chia {year}",
        title,
        "Đơn vị: triệu đồng; tỷ lệ: %",
        RATES_HEADERS,
        warn,
        75,
    )
    t = result.year_table(year)
    frame = result.problem.frame
    n = len(t)
    territory = (
        frame["revenue_on_territory"].to_numpy(dtype=float)
        if "revenue_on_territory" in frame.columns
        else np.full(n, np.nan)
    )
    columns = (
        (2, territory),
        (3, t["revenue_local"].to_numpy(dtype=float)),
        (4, t["revenue_shared"].to_numpy(dtype=float)),
        (5, t["need"].to_numpy(dtype=float)),
        (7, t["capacity"].to_numpy(dtype=float)),
        (8, t["transfer"].to_numpy(dtype=float)),
    )
    first, last = top + 2, top + 1 + n
    ws.write_string(top, 0, "", f["tot_text"])
    ws.write_string(top, 1, "TỔNG SỐ", f["tot_text"])
    for j, values in columns:
        if np.isnan(values).any():
            ws.write_blank(top, j, None, f["tot_money"])
            continue
        c = _col(j)
        ws.write_formula(top, j, f"=SUM({c}{first}:{c}{last})", f["tot_money"], values.sum())
    ws.write_blank(top, 6, None, f["tot_text"])
    ws.write_blank(top, 9, None, f["tot_text"])
    names = [str(v) for v in t["name"].to_numpy(dtype=object)]
    rates = t["sharing_rate"].to_numpy(dtype=float)
    classes = [CLASSES_VI.get(str(c), str(c)) for c in t["fiscal_class"].to_numpy(dtype=object)]
    for i in range(n):
        r = top + 1 + i
        ws.write_number(r, 0, i + 1, f["cell"])
        ws.write_string(r, 1, names[i], f["cell"])
        for j, values in columns:
            if np.isnan(values[i]):
                ws.write_blank(r, j, None, f["money"])
            else:
                ws.write_number(r, j, float(values[i]), f["money"])
        ws.write_number(r, 6, rates[i], f["whole"])
        ws.write_string(r, 9, classes[i], f["cell"])
    _finish(ws, top)


def lines_annex(
    wb: Any, result: Result, k: int, year: int, warn: list[str], notes_vi: Sequence[str] = ()
) -> None:
    """With transfer lines (:mod:`fiscal.lines`): each unit's transfers from the centre by line
    in year ``year``, their total, its revenue kept and its total resources — as the NQ 246
    appendices list the lines (bổ sung cân đối, bổ sung có mục tiêu, ...). ``notes_vi`` go on
    the red line (which lines are shared among units by illustrative figures)."""
    from fiscal.prose.budget import line_name

    budget = result.budget
    assert budget is not None
    lines = budget.lines
    m = len(lines)
    numbers = [str(2 + j) for j in range(m)]
    headers = (
        ("STT", "A", 6),
        ("Tên đơn vị", "B", 30),
        ("Tổng số bổ sung từ NSTW", "1=" + "+".join(numbers), 18),
        *(
            (
                line_name(la.name, la.label, la.settings.label_vi if la.settings else "", "vi"),
                numbers[j],
                18,
            )
            for j, la in enumerate(lines)
        ),
        ("Thu NSĐP được hưởng theo phân cấp", str(m + 2), 18),
        ("Tổng nguồn lực", f"{m + 3}=1+{m + 2}", 18),
    )
    title = f"DỰ TOÁN BỔ SUNG TỪ NGÂN SÁCH TRUNG ƯƠNG CHO NGÂN SÁCH TỪNG TỈNH, THÀNH PHỐ NĂM {year}"
    ws, f, top = _head(
        wb,
        result,
        f"Phụ lục bổ sung {year}",
        title,
        "Đơn vị: triệu đồng",
        headers,
        warn,
        60,
        notes_vi,
    )
    columns = [
        budget.transfers[k],
        *(la.amount[k] for la in lines),
        budget.kept[k],
        budget.resources[k],
    ]
    n = len(budget.codes)
    first, last = top + 2, top + 1 + n
    ws.write_string(top, 0, "", f["tot_text"])
    ws.write_string(top, 1, "TỔNG SỐ", f["tot_text"])
    for j, values in enumerate(columns, start=2):
        c = _col(j)
        ws.write_formula(top, j, f"=SUM({c}{first}:{c}{last})", f["tot_money"], values.sum())
    for i in range(n):
        r = top + 1 + i
        ws.write_number(r, 0, i + 1, f["cell"])
        ws.write_string(r, 1, str(budget.names[i]), f["cell"])
        for j, values in enumerate(columns, start=2):
            ws.write_number(r, j, float(values[i]), f["money"])
    _finish(ws, top)
