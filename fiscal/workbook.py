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
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal import metrics
from fiscal.annex import balancing_annex, rates_annex
from fiscal.compare import flatten_settings
from fiscal.errors import ExportError
from fiscal.prose.messages import Message
from fiscal.prose.numbers import setting
from fiscal.prose.workbook_words import SHEET_NAME_LIMIT, sheet_words

if TYPE_CHECKING:
    from fiscal.compare import Comparison
    from fiscal.results import Result

__all__ = ["HEADER_ROW", "comparison_workbook", "frames_workbook", "result_workbook"]

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


class _Book:
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


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float | np.floating):
        return not math.isfinite(float(v))
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _fmt_for(book: _Book, column: str, values: pd.Series) -> Any:
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


def _write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if _is_missing(value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, list | tuple | dict):
        ws.write_string(row, col, setting(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _table(
    book: _Book,
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
        book.f["money"] if c in money else _fmt_for(book, str(c), frame[c]) for c in frame.columns
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
                _write_cell(ws, first + i, j, v, fmt)
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


def _illustrative(result: Result, lang: str | None = None) -> list[str]:
    if not result.illustrative:
        return []
    cols = ", ".join(result.problem.units.estimated_columns)
    return [sheet_words(lang)["illustrative"].format(columns=cols)]


def _scenario_name(book: _Book, result: Result) -> str:
    """The scenario's name in the book's language (its ``name_vi`` in Vietnamese)."""
    meta = result.scenario.scenario
    return (meta.name_vi or meta.name) if book.lang == "vi" else result.scenario.name


def _title(book: _Book, key: str, result: Result) -> str:
    return book.w[f"title.{key}"].format(scenario=_scenario_name(book, result))


def _col(j: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(j)


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
        book = _Book(lang)
        warn = _illustrative(result, lang)
        _allocation_sheet(book, result, warn)
        if result.budget is not None:
            from fiscal.budget_workbook import budget_sheets

            budget_sheets(book, result, _illustrative(result), _table, _col, lang=lang)
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


def _heads(book: _Book, result: Result, columns: Sequence[str]) -> list[str] | None:
    """The headers of a table of ``result`` in the book's language (None: the codes)."""
    if book.lang != "vi":
        return None
    from fiscal.prose.budget import budget_labels, column_name

    sectors = {s.name: s.name_vi or s.name for s in result.scenario.sectors}
    lines = budget_labels(result.budget) if result.budget is not None else {}
    out = []
    for c in columns:
        if c.startswith("sector:"):
            name = c.split(":", 1)[1]
            out.append(book.w["head.sector"].format(sector=sectors.get(name, name)))
        elif c.startswith("line_") or c in BUDGET_MONEY:
            out.append(column_name(c, lines, "vi"))
        else:
            out.append(book.w.get(f"head.{c}", c))
    return out


def _in_vietnamese(frame: pd.DataFrame, result: Result | None = None) -> pd.DataFrame:
    """A result table's words in Vietnamese: regions, merged, fiscal classes (and, with
    ``result``, the flags, written again from their codes)."""
    from fiscal.prose.labels import CLASSES, REGIONS, WORDS

    out = frame.copy()
    regions = REGIONS["vi"]
    if "region" in out:
        out["region"] = [regions.get(str(v), v) for v in out["region"]]
    for col in ("merged",):
        if col in out and out[col].dtype != bool:
            out[col] = [WORDS["vi"].get(str(v), v) for v in out[col]]
    if "fiscal_class" in out:
        out["fiscal_class"] = [CLASSES["vi"].get(str(v), v) for v in out["fiscal_class"]]
    if result is not None and "flags" in out:
        from fiscal.prose.words import flag_column

        out["flags"] = flag_column(result.flags, "vi")
    return out


def _mergers_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    from fiscal.mechanism import merger_view

    view = merger_view(result.problem, result.cells.sum(axis=1))
    if view.empty:
        return
    ws = book.sheet(
        book.w["name.mergers"], _title(book, "mergers", result), [book.w["note.mergers"]], warn
    )
    if book.lang == "vi":
        view = _in_vietnamese(view)
        view["level"] = ["đơn vị" if v == "unit" else "tỉnh cũ" for v in view["level"]]
        heads = [book.w.get(f"head.{'unit_code' if c == 'unit' else c}", c) for c in view.columns]
        _table(book, ws, view, headers=heads)
        return
    _table(book, ws, view)


def _allocation_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    ws = book.sheet(
        book.w["name.allocation"],
        _title(book, "allocation", result),
        [book.w["note.allocation"]],
        warn,
    )
    table = result.table
    cols = list(table.columns)
    shown = _in_vietnamese(table, result) if book.lang == "vi" else table
    end = _table(book, ws, shown, headers=_heads(book, result, cols))
    first, last = HEADER_ROW + 2, end  # Excel rows (1-based) of the data
    year_col = _col(cols.index("year"))
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
            rng = f"{_col(j)}{first}:{_col(j)}{last}"
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
    book: _Book, result: Result, maps: Sequence[tuple[str, bytes]], note: str, warn: list[str]
) -> None:
    """Pictures side by side under their titles, at half their pixel size (rendered at 2×)."""
    ws = book.sheet(book.w["name.map"], _title(book, "map", result), [note] if note else [], warn)
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


def _metrics_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    ws = book.sheet(
        book.w["name.metrics"],
        _title(book, "metrics", result),
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
        _table(book, ws, frame, widths={"metric": 50, "code": 28}, headers=heads)
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
    _table(book, ws, frame, widths={"metric": 22, "description": 70})


def _constraints_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    ws = book.sheet(
        book.w["name.constraints"],
        _title(book, "constraints", result),
        [book.w["note.constraints"]],
        warn,
    )
    table = result.constraints
    widths = {"benefits": 30, "pays": 30, "description": 60}
    if book.lang != "vi":
        _table(book, ws, table, widths=widths)
        return
    _table(
        book,
        ws,
        _ledger_in_vietnamese(result, table),
        widths=widths,
        headers=[book.w.get(f"head.{'rule' if c == 'name' else c}", c) for c in table.columns],
    )


def _ledger_in_vietnamese(result: Result, table: pd.DataFrame) -> pd.DataFrame:
    """The rules' ledger with each rule's name, kind and description in Vietnamese: the
    scenario's ``name_vi`` / ``description_vi``, fiscal's own words for the envelope and the
    mechanism's rules, else the English as written."""
    from fiscal.ledger import envelope_line
    from fiscal.prose.labels import KINDS, OWN_RULES

    own = {c.name: c for c in result.scenario.constraints}
    mechanism = OWN_RULES.get("vi", {})
    out = table.copy()
    names, descriptions = [], []
    for name, kind, text in zip(
        table["name"].astype(str), table["kind"].astype(str), table["description"], strict=True
    ):
        rule = own.get(name)
        if kind == "envelope":
            names.append(KINDS["vi"]["envelope"])
            descriptions.append(envelope_line(result.problem).text("vi"))
        elif rule is not None:
            names.append(rule.name_vi or name)
            descriptions.append(rule.description_vi or ("" if text is None else str(text)))
        elif name in mechanism:
            names.append(mechanism[name][0])
            descriptions.append(mechanism[name][1])
        else:
            names.append(name)
            descriptions.append("" if text is None else str(text))
    out["name"] = names
    out["kind"] = [KINDS["vi"].get(k, k) for k in table["kind"].astype(str)]
    out["description"] = descriptions
    return out


def _assumptions_sheet(book: _Book, result: Result, warn: list[str]) -> None:
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
            row["setting_name"] = _setting_name(path)
        row |= {
            "value": setting(value),
            "unit": unit,
            "source": source.text("vi") if vi and hasattr(source, "text") else source,
            "estimated": book.w["yes"] if est or "illustrative" in source.lower() else "",
        }
        rows.append(row)
    ws = book.sheet(
        book.w["name.assumptions"],
        _title(book, "assumptions", result),
        [book.w["note.assumptions"]],
        warn,
    )
    widths = {"setting": 42, "value": 30, "unit": 28, "source": 80}
    frame = pd.DataFrame(rows)
    if not vi:
        _table(book, ws, frame, widths=widths)
        return
    heads = [
        book.w.get(f"head.{'estimated_flag' if c == 'estimated' else c}", c) for c in frame.columns
    ]
    _table(book, ws, frame, widths={**widths, "setting_name": 36}, headers=heads)


def _setting_name(path: str) -> str:
    """A setting's name in Vietnamese where the app has one (labels.SETTINGS), else ''."""
    from fiscal.prose.labels import SETTINGS

    words = SETTINGS["vi"]
    if path in words:
        return words[path]
    return words.get(path.rsplit(".", 1)[-1], "")


def _provenance_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    prov = dict(result.provenance)
    value = "" if result.objective is None else f"{result.objective:.12g}"
    if book.lang == "vi":  # the run's own lines in words; the recorded items keep their keys
        from fiscal.prose.labels import OBJECTIVES

        objective = OBJECTIVES["vi"].get(result.objective_kind, result.objective_kind)
        rows: list[tuple[str, str]] = [
            ("Kịch bản", _scenario_name(book, result)),
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
        _title(book, "provenance", result),
        [book.w["note.provenance"]],
        warn,
    )
    heads = [book.w["head.item"], book.w["head.value"]] if book.lang == "vi" else None
    _table(
        book,
        ws,
        pd.DataFrame(rows, columns=["item", "value"]),
        widths={"item": 36, "value": 90},
        headers=heads,
    )


# ----------------------------------------------------------------------------- comparison


def comparison_workbook(comparison: Comparison, *, lang: str | None = None) -> bytes:
    """The workbook of a comparison: Summary, Winners and losers, Units, Groups, Settings, Rules
    (and, with transfer lines, Lines and Units by line).

    ``lang`` ('en' or 'vi') writes it in one language, as :func:`result_workbook` does; without
    one it is English with the sheets of lines in both languages."""
    try:
        book = _Book(lang)
        w, vi = book.w, lang == "vi"
        c = comparison
        warn_vi, notes_vi = _comparison_notes_vi(c)
        if vi:
            warn = warn_vi
        else:
            warn = [w["cmp.illustrative"].format(note=note) for note in c.notes]
            warn = warn if c.illustrative else []
        ref = w["cmp.ref"].format(reference=c.reference)
        ws = book.sheet(w["cmp.name.summary"], w["cmp.title.summary"], [ref], warn)
        scen = pd.DataFrame(
            [
                {
                    "label": lab,
                    "scenario": (r.scenario.scenario.name_vi or r.scenario.name)
                    if vi
                    else r.scenario.name,
                    "objective": _objective(r.objective_kind, vi),
                    "file": r.scenario.path or "",
                    "illustrative": w["yes"] if r.illustrative else "",
                }
                for lab, r in zip(c.labels, c.results, strict=True)
            ]
        )
        end = _table(
            book, ws, scen, widths={"scenario": 60, "file": 60}, headers=_cmp_heads(book, scen)
        )
        ws.write_string(end + 1, 0, w["cmp.metrics"], book.f["title"])
        metrics_frame = _cmp_metrics(c.metrics, c.results) if vi else c.metrics
        _table(
            book,
            ws,
            metrics_frame,
            start=end + 2,
            widths={"metric": 50 if vi else 22, "description": 60},
            headers=_cmp_heads(book, metrics_frame),
        )
        ws = book.sheet(w["cmp.name.bands"], w["cmp.title.bands"], [ref], warn)
        bands = c.bands
        if vi:
            from fiscal.prose.words import band_name

            bands = bands.assign(band=[band_name(b, "vi") for b in bands["band"]])
        _table(book, ws, bands, widths={"band": 14, "names": 80}, headers=_cmp_heads(book, bands))
        ws = book.sheet(w["cmp.name.units"], w["cmp.title.units"], [ref], warn)
        units = c.units
        if vi:
            from fiscal.prose.words import band_name

            units = _in_vietnamese(units)
            for col in [x for x in units.columns if str(x).endswith(": band")]:
                units[col] = [band_name(b, "vi") for b in units[col]]
        _table(book, ws, units, headers=_cmp_heads(book, units))
        if not c.lines.empty:  # the sheets of transfer lines
            _comparison_lines(book, c, ref, warn, warn_vi, notes_vi)
        ws = book.sheet(w["cmp.name.groups"], w["cmp.title.groups"], [ref], warn)
        groups = _cmp_groups(c.groups) if vi else c.groups
        _table(book, ws, groups, headers=_cmp_heads(book, groups))
        ws = book.sheet(w["cmp.name.settings"], w["cmp.title.settings"], [], warn)
        params = c.params
        if vi:  # the sources in Vietnamese where the scenario gives them
            params = params.copy()
            for col in [x for x in params.columns if str(x).startswith("source: ")]:
                params[col] = [v.text("vi") if hasattr(v, "text") else v for v in params[col]]
        _table(book, ws, params, widths={"setting": 40}, headers=_cmp_heads(book, params))
        ws = book.sheet(w["cmp.name.rules"], w["cmp.title.rules"], [], warn)
        rules = c.constraints
        if vi and not rules.empty:
            by_label = dict(zip(c.labels, c.results, strict=True))
            rules = pd.concat(
                [
                    _ledger_in_vietnamese(by_label[str(lab)], part)
                    for lab, part in rules.groupby("scenario", sort=False)
                ]
            )
        _table(
            book,
            ws,
            rules,
            widths={"benefits": 30, "pays": 30, "description": 60},
            headers=_cmp_heads(book, rules),
        )
        return book.close()
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(Message("export.comparison_workbook", detail=str(exc))) from exc


def _objective(kind: str, vi: bool) -> str:
    if not vi:
        return kind
    from fiscal.prose.labels import OBJECTIVES

    return OBJECTIVES["vi"].get(kind, kind)


def _cmp_heads(book: _Book, frame: pd.DataFrame) -> list[str] | None:
    """A comparison table's headers in the book's language: a scenario's column
    ("<label>: allocation") by the label and the word; the labels themselves as they are."""
    if book.lang != "vi":
        return None
    out = []
    for col in map(str, frame.columns):
        if col.startswith("source: "):
            out.append(book.w["source_of"].format(label=col.removeprefix("source: ")))
        elif col.startswith("Δ "):
            out.append(col)
        elif ": " in col:
            label, code = col.rsplit(": ", 1)
            out.append(f"{label}: {book.w.get(f'head.{code}', code)}")
        elif col == "name" and "kind" in frame.columns:
            out.append(book.w["head.rule"])
        else:
            out.append(book.w.get(f"head.{col}", col))
    return out


def _cmp_metrics(metrics_frame: pd.DataFrame, results: Sequence[Result]) -> pd.DataFrame:
    """The comparison's metrics in Vietnamese: each by its name (then its code), what it is
    measured on; the English descriptions left out."""
    from fiscal.metrics_budget import metric_names
    from fiscal.prose.words import metric_label

    budgets = [r.budget for r in results if r.budget is not None]
    names: dict[str, tuple[str, str]] | None = None
    for b in budgets:
        names = metric_names(b) | (names or {})
    out = metrics_frame.drop(columns=["description"])
    out.insert(1, "metric_code", out["metric"])
    out["metric"] = [metric_label(k, "vi", names) for k in out["metric_code"]]
    if "base" in out:
        words = sheet_words("vi")
        out["base"] = [words.get(f"base.{b}", b) for b in out["base"]]
    return out


def _cmp_groups(groups: pd.DataFrame) -> pd.DataFrame:
    from fiscal.prose.labels import REGIONS, WORDS

    words = sheet_words("vi")
    out = groups.copy()
    out["group"] = [REGIONS["vi"].get(str(g), WORDS["vi"].get(str(g), g)) for g in out["group"]]
    out["grouping"] = [words.get(f"grouping.{g}", g) for g in out["grouping"]]
    return out


def _comparison_notes_vi(c: Comparison) -> tuple[list[str], list[str]]:
    """The comparison's illustrative warning and its reference note, in Vietnamese."""
    from fiscal.prose.budget_sheets import SHEETS

    vi = SHEETS["vi"]
    notes_vi = [vi["sheet.compare_ref"].format(reference=c.reference)]
    by_cols: dict[str, list[str]] = {}  # as fiscal.compare's notes, in Vietnamese
    for lab, r in zip(c.labels, c.results, strict=True):
        if r.illustrative:
            by_cols.setdefault(", ".join(r.problem.units.estimated_columns), []).append(lab)
    warn_vi = [
        vi["sheet.compare_illustrative"].format(
            who=vi["sheet.compare_all"] if len(labs) == len(c.labels) else ", ".join(labs),
            columns=cols,
        )
        for cols, labs in by_cols.items()
    ]
    return warn_vi, notes_vi


def _comparison_lines(
    book: _Book,
    c: Comparison,
    ref: str,
    warn: list[str],
    warn_vi: list[str],
    notes_vi: list[str],
) -> None:
    """The Lines and Units by line sheets: bilingual without a language (as a result's are),
    else in the book's language."""
    from fiscal.prose.budget_sheets import SHEETS

    vi = SHEETS["vi"]
    for name, name_vi, title, frame, keys in (
        ("Lines", "Các khoản", "lines", c.lines, ("year", "line", "label", "label_vi")),
        (
            "Units by line",
            "Các khoản theo đơn vị",
            "unit_lines",
            c.unit_lines,
            ("year", "code", "name", "line"),
        ),
    ):
        money = [x for x in frame.columns if x not in keys]
        if book.lang is None:
            heading = f"{SHEETS['en'][f'sheet.compare_{title}']} — {vi[f'sheet.compare_{title}']}"
            ws = book.sheet(name, heading, [ref], warn)
            ws.write_string(
                2, 0, " ".join([*warn_vi, *notes_vi]), book.f["warn" if warn_vi else "note"]
            )
            _table(book, ws, frame, money=money)
            continue
        words = SHEETS[book.lang]
        heading = words[f"sheet.compare_{title}"]
        sheet_name = name_vi if book.lang == "vi" else name
        ws = book.sheet(sheet_name, heading, [ref], warn)
        if book.lang == "vi":
            frame = frame.drop(columns=["label"], errors="ignore")
            heads = [vi.get(f"head.{x}", str(x)) if x in keys else str(x) for x in frame.columns]
        else:
            frame = frame.drop(columns=["label_vi"], errors="ignore")
            heads = None
        _table(book, ws, frame, money=money, headers=heads)


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
        book = _Book()
        for name, frame in sheets.items():
            ws = book.sheet(name, f"{title} — {name}", notes, warnings)
            _table(book, ws, frame, headers=(headers or {}).get(name))
        return book.close()
    except Exception as exc:
        raise ExportError(Message("export.tables_workbook", title=title, detail=str(exc))) from exc
