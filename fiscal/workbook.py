"""Formatted Excel workbooks (xlsxwriter), returned as bytes: one code path for the CLI and app.

* :func:`result_workbook` — one result: Allocation (with totals per year that reconcile to the
  envelope); with transfer lines the Lines, Budget, one sheet per line and Budget rules
  (:mod:`fiscal.budget_workbook`); Map (only when maps are given: the app's), Metrics, Constraints, Assumptions (every setting with its source), Provenance, and
  an Annex per year laid out like an official budget table (Vietnamese headers, triệu đồng,
  :mod:`fiscal.annex`); with ``[sharing]`` also the sharing rates' annex and Mergers (each merged
  unit beside its predecessors).
* :func:`comparison_workbook` — a :class:`~fiscal.compare.Comparison`: Summary, Winners and
  losers, Units, Groups, Settings, Rules.
* :func:`frames_workbook` — any named tables (frontiers, Monte Carlo runs).

A result's workbook has a language (``lang``): 'vi' writes its sheet names, titles, notes,
headers and the words in its cells in Vietnamese (:mod:`fiscal.prose.workbook_words`), 'en' in
English; without one it is the workbook ``fiscal solve -o`` has always written (English, the
sheets of transfer lines bilingual). The numbers are the same in every language.

Every sheet starts with a title row and a note row; when illustrative (estimated) figures are in
use the note says so, in red. Tables start at :data:`HEADER_ROW` (0-based), so a reader finds the
header there. Totals are written as formulas with their computed values cached, so that Excel
shows live sums and readers that do not calculate (openpyxl ``data_only=True``) still see them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from fiscal import metrics
from fiscal.annex import balancing_annex, rates_annex
from fiscal.compare import flatten_settings
from fiscal.compare_workbook import comparison_workbook
from fiscal.errors import ExportError
from fiscal.prose.messages import Message
from fiscal.prose.numbers import setting
from fiscal.workbook_lang import headers_in, in_vietnamese, ledger_in_vietnamese, setting_name_vi
from fiscal.xlsx import (
    BUDGET_MONEY,
    HEADER_ROW,
    Book,
    column_letter,
    illustrative_warning,
    scenario_name,
    sheet_title,
    write_table,
)

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = ["HEADER_ROW", "comparison_workbook", "frames_workbook", "result_workbook"]

SUMMED = (
    "population",
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
    "revenue_local",
    "revenue_shared",
    "remitted",
)
# units of the settings shown on the Assumptions sheet (keyed by the last part of the path)
SETTING_UNITS = {
    "total": "million VND",
    "totals": "million VND per year",
    "growth": "per year",
    "revenue_growth": "per year",
    "ratio": "× baseline",
    "amount": "million VND per person",
    "per_province": "million VND per eliminated province",
    "per_commune": "million VND per eliminated commune",
    "min_share": "of the envelope",
    "max_share": "of the envelope",
    "max_change": "of last year's transfer",
    "need_share": "of need",
    "other_markup": "of need",
    "penalty": "per unit of relative breach",
    "time_limit": "seconds",
    "min_of_gap": "× sector gap",
    "max_of_gap": "× sector gap",
    "uplift": "of last year's balancing transfer",
    "band": "percentage points either side of the formula rate",
    "centre_revenue": "million VND (or formula / status_quo / none)",
}


# ----------------------------------------------------------------------------- result


def result_workbook(
    result: Result,
    *,
    maps: Sequence[tuple[str, bytes]] = (),
    maps_note: str = "",
    lang: str | None = None,
) -> bytes:
    """The workbook of one result (see the module docstring for its sheets).

    ``maps`` are (title, PNG bytes) pictures put side by side on a Map sheet after Allocation
    (the app passes its maps there; ``maps_note`` goes in the sheet's note row).

    ``lang`` ('en' or 'vi') writes every sheet in one language: sheet names, titles, notes,
    headers and the words in cells (the numbers are the same). Without it the workbook is the
    one ``fiscal solve -o`` has always written: English, with the sheets of transfer lines in
    both languages. The annexes are the official tables, in Vietnamese in every case.
    """
    try:
        book = Book(lang)
        warn = illustrative_warning(result, lang)
        _allocation_sheet(book, result, warn)
        if result.budget is not None:
            from fiscal.budget_workbook import budget_sheets

            budget_sheets(
                book, result, illustrative_warning(result), write_table, column_letter, lang=lang
            )
        if maps:
            _maps_sheet(book, result, maps, maps_note, warn)
        _metrics_sheet(book, result, warn)
        _constraints_sheet(book, result, warn)
        _assumptions_sheet(book, result, warn)
        _provenance_sheet(book, result, warn)
        for k, year in enumerate(result.years):
            balancing_annex(book.wb, result, k, year, warn)
        if result.problem.sharing is not None:
            rates_annex(book.wb, result, warn)
            _mergers_sheet(book, result, warn)
        return book.close()
    except ExportError:
        raise
    except Exception as exc:  # xlsxwriter raises its own exception types
        m = Message("export.workbook", scenario=result.scenario.name, detail=str(exc))
        raise ExportError(m) from exc


def _mergers_sheet(book: Book, result: Result, warn: list[str]) -> None:
    from fiscal.mechanism import merger_view

    view = merger_view(result.problem, result.cells.sum(axis=1))
    if view.empty:
        return
    ws = book.sheet(
        book.w["name.mergers"], sheet_title(book, "mergers", result), [book.w["note.mergers"]], warn
    )
    if book.lang == "vi":
        view = in_vietnamese(view)
        view["level"] = ["đơn vị" if v == "unit" else "tỉnh cũ" for v in view["level"]]
        heads = [book.w.get(f"head.{'unit_code' if c == 'unit' else c}", c) for c in view.columns]
        write_table(book, ws, view, headers=heads)
        return
    write_table(book, ws, view)


def _allocation_sheet(book: Book, result: Result, warn: list[str]) -> None:
    ws = book.sheet(
        book.w["name.allocation"],
        sheet_title(book, "allocation", result),
        [book.w["note.allocation"]],
        warn,
    )
    table = result.table
    cols = list(table.columns)
    shown = in_vietnamese(table, result) if book.lang == "vi" else table
    end = write_table(book, ws, shown, headers=headers_in(book, result, cols))
    first, last = HEADER_ROW + 2, end  # Excel rows (1-based) of the data
    year_col = column_letter(cols.index("year"))
    row = end + 1
    summed = [
        c for c in cols if c in SUMMED or c in BUDGET_MONEY or c.startswith(("sector:", "line_"))
    ]
    name_col = cols.index("name") if "name" in cols else 1
    for year in result.years:
        sel = table["year"] == year
        ws.write_string(row, name_col, book.w["total_year"].format(year=year), book.f["bold_text"])
        ws.write_number(row, cols.index("year"), year, book.f["bold_text"])
        for c in summed:
            j = cols.index(c)
            total = float(table.loc[sel, c].sum())
            rng = f"{column_letter(j)}{first}:{column_letter(j)}{last}"
            ws.write_formula(
                row,
                j,
                f"=SUMIF({year_col}{first}:{year_col}{last},{year},{rng})",
                book.f["bold_money"],
                total,
            )
        row += 1
    row += 1
    ws.write_string(row, 0, book.w["reconciliation"], book.f["title"])
    row += 1
    for j, key in enumerate(("year", "envelope", "allocated", "difference")):
        ws.write_string(row, j, book.w[f"rec.{key}"], book.f["head"])
    for k, year in enumerate(result.years):
        row += 1
        allocated = float(table.loc[table["year"] == year, "allocation"].sum())
        envelope = float(result.problem.envelope_total[k])
        ws.write_number(row, 0, year)
        ws.write_number(row, 1, envelope, book.f["money"])
        ws.write_number(row, 2, allocated, book.f["money"])
        ws.write_formula(row, 3, f"=C{row + 1}-B{row + 1}", book.f["money"], allocated - envelope)


def _maps_sheet(
    book: Book, result: Result, maps: Sequence[tuple[str, bytes]], note: str, warn: list[str]
) -> None:
    """Pictures side by side under their titles, at half their pixel size (rendered at 2×)."""
    ws = book.sheet(
        book.w["name.map"], sheet_title(book, "map", result), [note] if note else [], warn
    )
    col = 0
    for k, (title, png) in enumerate(maps):
        if png[:8] != b"\x89PNG\r\n\x1a\n":
            raise ExportError(Message("export.map_png", k=k + 1, title=title))
        ws.write_string(HEADER_ROW, col, title, book.f["title"])
        width = int.from_bytes(png[16:20], "big")
        ws.insert_image(
            HEADER_ROW + 1,
            col,
            f"map-{k + 1}.png",
            {
                "image_data": io.BytesIO(png),
                "x_scale": 0.5,
                "y_scale": 0.5,
                "description": title,
                "object_position": 3,
            },
        )
        col += math.ceil(width * 0.5 / 64) + 1  # 64 px per default column


def _metrics_sheet(book: Book, result: Result, warn: list[str]) -> None:
    ws = book.sheet(
        book.w["name.metrics"],
        sheet_title(book, "metrics", result),
        [book.w["note.metrics"]]
        + ([book.w["note.metrics_base"]] if result.budget is not None else []),
        warn,
    )
    per_year = {y: metrics.summary(result, y) for y in result.years}
    keys = list(next(iter(per_year.values())))
    specs = [metrics.spec(k) for k in keys]
    if book.lang == "vi":  # the metric by its name, then its code (as files name it)
        from fiscal.metrics_budget import metric_names
        from fiscal.prose.words import metric_label

        names = metric_names(result.budget) if result.budget is not None else None
        frame = pd.DataFrame(
            {
                "metric": [metric_label(k, "vi", names) for k in keys],
                **{str(y): [per_year[y][k] for k in keys] for y in per_year},
                "code": keys,
            }
        )
        heads = [book.w["head.metric"], *map(str, per_year), book.w["head.metric_code"]]
        if result.budget is not None:
            frame["base"] = [book.w.get(f"base.{s.base}", s.base) if s else "" for s in specs]
            heads.append(book.w["head.base"])
        write_table(book, ws, frame, widths={"metric": 50, "code": 28}, headers=heads)
        return
    frame = pd.DataFrame(
        {
            "metric": keys,
            **{str(y): [per_year[y][k] for k in keys] for y in per_year},
            "description": [s.description if s else "" for s in specs],
        }
    )
    if result.budget is not None:  # what each is measured on (issue 14)
        frame["base"] = [s.base if s else "" for s in specs]
    write_table(book, ws, frame, widths={"metric": 22, "description": 70})


def _constraints_sheet(book: Book, result: Result, warn: list[str]) -> None:
    ws = book.sheet(
        book.w["name.constraints"],
        sheet_title(book, "constraints", result),
        [book.w["note.constraints"]],
        warn,
    )
    table = result.constraints
    widths = {"benefits": 30, "pays": 30, "description": 60}
    if book.lang != "vi":
        write_table(book, ws, table, widths=widths)
        return
    write_table(
        book,
        ws,
        ledger_in_vietnamese(result, table),
        widths=widths,
        headers=[book.w.get(f"head.{'rule' if c == 'name' else c}", c) for c in table.columns],
    )


def _assumptions_sheet(book: Book, result: Result, warn: list[str]) -> None:
    scen = result.scenario
    data = scen.to_dict()
    units_of_rates = {
        f"need.criteria.{c['indicator']}.rate": c.get("unit", "")
        for c in data.get("need", {}).get("criteria", [])
    }
    estimated = {
        f"need.criteria.{c['indicator']}.": bool(c.get("estimated"))
        for c in data.get("need", {}).get("criteria", [])
    }
    vi = book.lang == "vi"
    rows = []
    for path, (value, source) in flatten_settings(data).items():
        key = path.rsplit(".", 1)[-1]
        unit = units_of_rates.get(path) or SETTING_UNITS.get(key, "")
        if vi and not units_of_rates.get(path):
            unit = book.w.get(f"unit.{key}", unit) if unit else ""
        if path == "rounding.unit":
            unit = book.w["unit.million"] if vi else "million VND"
        est = any(path.startswith(p) and flag for p, flag in estimated.items())
        row = {"setting": path}
        if vi:  # the setting's name beside its path (the path is the file's)
            row["setting_name"] = setting_name_vi(path)
        row |= {
            "value": setting(value),
            "unit": unit,
            "source": source.text("vi") if vi and hasattr(source, "text") else source,
            "estimated": book.w["yes"] if est or "illustrative" in source.lower() else "",
        }
        rows.append(row)
    ws = book.sheet(
        book.w["name.assumptions"],
        sheet_title(book, "assumptions", result),
        [book.w["note.assumptions"]],
        warn,
    )
    widths = {"setting": 42, "value": 30, "unit": 28, "source": 80}
    frame = pd.DataFrame(rows)
    if not vi:
        write_table(book, ws, frame, widths=widths)
        return
    heads = [
        book.w.get(f"head.{'estimated_flag' if c == 'estimated' else c}", c) for c in frame.columns
    ]
    write_table(book, ws, frame, widths={**widths, "setting_name": 36}, headers=heads)


def _provenance_sheet(book: Book, result: Result, warn: list[str]) -> None:
    prov = dict(result.provenance)
    value = "" if result.objective is None else f"{result.objective:.12g}"
    if book.lang == "vi":  # the run's own lines in words; the recorded items keep their keys
        from fiscal.prose.labels import OBJECTIVES

        objective = OBJECTIVES["vi"].get(result.objective_kind, result.objective_kind)
        rows: list[tuple[str, str]] = [
            ("Kịch bản", scenario_name(book, result)),
            ("Mục tiêu", f"{objective} ({result.objective_kind})"),
            ("Trạng thái", "tối ưu" if result.status == "optimal" else result.status),
            ("Bộ giải", result.backend),
            ("Giá trị hàm mục tiêu", value),
        ]
    else:
        rows = [
            ("scenario", result.scenario.name),
            ("objective", result.objective_kind),
            ("status", result.status),
            ("backend", result.backend),
            ("objective value", value),
        ]
    for key, value in prov.items():
        if isinstance(value, dict):
            rows += [(f"{key}.{k}", setting(v)) for k, v in value.items()]
        else:
            rows.append((key, setting(value)))
    holds, fails = book.w["holds"], book.w["fails"]
    rows += [
        (f"{book.w['recheck']}: {c.name}", holds if c.ok else fails + c.detail)
        for c in result.checks
    ]
    rows += [(f"runtime.{k}", f"{v:.4f} s") for k, v in result.runtime.items()]
    ws = book.sheet(
        book.w["name.provenance"],
        sheet_title(book, "provenance", result),
        [book.w["note.provenance"]],
        warn,
    )
    heads = [book.w["head.item"], book.w["head.value"]] if book.lang == "vi" else None
    write_table(
        book,
        ws,
        pd.DataFrame(rows, columns=["item", "value"]),
        widths={"item": 36, "value": 90},
        headers=heads,
    )


def frames_workbook(
    sheets: Mapping[str, pd.DataFrame],
    *,
    title: str,
    notes: Sequence[str] = (),
    warnings: Sequence[str] = (),
    headers: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """A workbook with one formatted table per sheet (sheet name → table); ``headers`` (sheet
    name → header cells) writes a table's headers in a language, its columns' codes still
    choosing the number formats."""
    try:
        book = Book()
        for name, frame in sheets.items():
            ws = book.sheet(name, f"{title} — {name}", notes, warnings)
            write_table(book, ws, frame, headers=(headers or {}).get(name))
        return book.close()
    except Exception as exc:
        raise ExportError(Message("export.tables_workbook", title=title, detail=str(exc))) from exc
