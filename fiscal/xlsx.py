"""The house workbook (xlsxwriter in memory): its formats, its sheets (a title row, a note row,
warnings in red, names within Excel's 31 characters and unique) and its table writer (headers
at :data:`HEADER_ROW`, a number format per column chosen by the column's code, headers in a
language where given). :mod:`fiscal.workbook` and :mod:`fiscal.compare_workbook` build on it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.errors import ExportError
from fiscal.prose.messages import Message
from fiscal.prose.numbers import setting
from fiscal.prose.workbook_words import SHEET_NAME_LIMIT, sheet_words

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = [
    "BUDGET_MONEY",
    "HEADER_ROW",
    "MONEY",
    "PERCENT",
    "Book",
    "column_letter",
    "fmt_for",
    "illustrative_warning",
    "is_missing",
    "scenario_name",
    "sheet_title",
    "write_cell",
    "write_table",
]

HEADER_ROW = 3  # 0-based row of every table's header (row 4 in Excel)
MONEY = {
    "baseline",
    "need",
    "capacity",
    "gap",
    "formula",
    "transfer",
    "merger_support",
    "allocation",
    "resources",
    "change",
    "cost",
    "protection_cost",
    "cap_clawback",
    "total_allocation",
    "extra_envelope",
    "revenue_local",
    "revenue_shared",
    "remitted",
    "predecessor_resources",
    "centre_shared_revenue",
    "reference",
    "balancing",
    "local",
    "shared",
}
PERCENT = {"change_pct", "share_of_need", "share_of_need_met", "mean_abs_change_pct"}
# the whole budget's money columns (tables of a scenario with transfer lines, fiscal.lines)
BUDGET_MONEY = {"revenue_kept", "capital_revenue", "transfers_total", "resources_total"}
# money columns summed in the totals of the allocation sheet


class Book:
    """An xlsxwriter workbook in memory with the house formats, and its language (None: the
    workbook without a language, English with bilingual sheets of transfer lines)."""

    def __init__(self, lang: str | None = None) -> None:
        import xlsxwriter

        if lang not in (None, "en", "vi"):
            raise ExportError(Message("export.view_lang", lang=lang))
        self.lang = lang
        self.w = sheet_words(lang)
        self.names: set[str] = set()

        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                "nan_inf_to_errors": False,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        add = self.wb.add_format
        self.f = {
            "title": add({"bold": True, "font_size": 13}),
            "note": add({"italic": True, "font_color": "#444444"}),
            "warn": add({"bold": True, "font_color": "#C00000"}),
            "head": add(
                {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "text": add({}),
            "money": add({"num_format": "#,##0"}),
            "dec": add({"num_format": "#,##0.000"}),
            "num": add({"num_format": "0.000000"}),
            "pct": add({"num_format": "0.00%"}),
            "int": add({"num_format": "#,##0"}),
            "bold_money": add({"num_format": "#,##0", "bold": True, "top": 1}),
            "bold_text": add({"bold": True, "top": 1}),
            "bold_pct": add({"num_format": "0.00%", "bold": True, "top": 1}),
        }

    def sheet(self, name: str, title: str, notes: Sequence[str], warnings: Sequence[str]) -> Any:
        """A new sheet with its title (row 1) and notes (row 2; warnings in red first); its
        name cut to Excel's 31 characters, and numbered if that name is taken."""
        ws = self.wb.add_worksheet(self.unique(name))
        ws.write_string(0, 0, title, self.f["title"])
        text = " ".join([*warnings, *notes]).strip()
        if text:
            ws.write_string(1, 0, text, self.f["warn"] if warnings else self.f["note"])
        return ws

    def unique(self, name: str) -> str:
        """``name`` within Excel's 31 characters, not yet used in the book (Excel compares
        names without case): 'Name 2', 'Name 3', ... when it is."""
        out, k = name[:SHEET_NAME_LIMIT], 2
        while out.lower() in self.names:
            tail = f" {k}"
            out = name[: SHEET_NAME_LIMIT - len(tail)] + tail
            k += 1
        self.names.add(out.lower())
        return out

    def close(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()


def is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float | np.floating):
        return not math.isfinite(float(v))
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def fmt_for(book: Book, column: str, values: pd.Series) -> Any:
    name = column.split(": ")[-1]
    if name in MONEY or name.startswith("sector:") or column.startswith("sector:"):
        return book.f["money"]
    if name in BUDGET_MONEY or column.startswith("line_"):
        return book.f["money"]
    if name in PERCENT or name.endswith("_pct"):
        return book.f["pct"]
    if name in ("population",) or name.startswith("units"):
        return book.f["int"]
    if pd.api.types.is_float_dtype(values):
        return book.f["num"]
    return book.f["text"]


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if is_missing(value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, list | tuple | dict):
        ws.write_string(row, col, setting(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def write_table(
    book: Book,
    ws: Any,
    frame: pd.DataFrame,
    start: int = HEADER_ROW,
    widths: Mapping[str, float] | None = None,
    money: Collection[str] = (),
    headers: Sequence[str] | None = None,
) -> int:
    """Write ``frame`` with its header at row ``start``; returns the first row after it.
    Columns named in ``money`` are written as money whatever their name. ``headers`` are the
    header cells in the workbook's language (the columns' codes choose the formats)."""
    formats = [
        book.f["money"] if c in money else fmt_for(book, str(c), frame[c]) for c in frame.columns
    ]
    heads = [str(c) for c in frame.columns] if headers is None else list(headers)
    for j, col in enumerate(frame.columns):
        ws.write_string(start, j, heads[j], book.f["head"])
        width = (widths or {}).get(str(col))
        if width is None:
            sample = [len(heads[j]) * 0.8]
            sample += [len(str(v)) for v in frame[col].head(200) if isinstance(v, str)]
            width = min(max(max(sample), 10), 60)
        ws.set_column(j, j, width)
    first = start + 1
    for j, col in enumerate(frame.columns):
        series, fmt = frame[col], formats[j]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            for i, v in enumerate(series.to_numpy(dtype=object)):
                write_cell(ws, first + i, j, v, fmt)
            continue
        # numbers: one type test per column, not per cell (result tables reach 16,605 rows)
        values = series.to_numpy(dtype=float, na_value=np.nan)
        finite = np.isfinite(values)
        write_number, write_blank = ws.write_number, ws.write_blank
        for i in range(len(values)):
            if finite[i]:
                write_number(first + i, j, values[i], fmt)
            else:
                write_blank(first + i, j, None, fmt)
    if len(frame.columns):
        ws.freeze_panes(start + 1, 0)
        ws.autofilter(start, 0, start + max(len(frame), 1), len(frame.columns) - 1)
    return start + 1 + len(frame)


def illustrative_warning(result: Result, lang: str | None = None) -> list[str]:
    if not result.illustrative:
        return []
    cols = ", ".join(result.problem.units.estimated_columns)
    return [sheet_words(lang)["illustrative"].format(columns=cols)]


def scenario_name(book: Book, result: Result) -> str:
    """The scenario's name in the book's language (its ``name_vi`` in Vietnamese)."""
    meta = result.scenario.scenario
    return (meta.name_vi or meta.name) if book.lang == "vi" else result.scenario.name


def sheet_title(book: Book, key: str, result: Result) -> str:
    return book.w[f"title.{key}"].format(scenario=scenario_name(book, result))


def column_letter(j: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(j)
