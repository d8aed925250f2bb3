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
    """An xlsxwriter workbook in memory with the house formats."""

    def __init__(self) -> None:
        import xlsxwriter

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
        """A new sheet with its title (row 1) and notes (row 2; warnings in red first)."""
        ws = self.wb.add_worksheet(name[:31])
        ws.write_string(0, 0, title, self.f["title"])
        text = " ".join([*warnings, *notes]).strip()
        if text:
            ws.write_string(1, 0, text, self.f["warn"] if warnings else self.f["note"])
        return ws

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
) -> int:
    """Write ``frame`` with its header at row ``start``; returns the first row after it.
    Columns named in ``money`` are written as money whatever their name."""
    formats = [
        book.f["money"] if c in money else _fmt_for(book, str(c), frame[c]) for c in frame.columns
    ]
    for j, col in enumerate(frame.columns):
        ws.write_string(start, j, str(col), book.f["head"])
        width = (widths or {}).get(str(col))
        if width is None:
            sample = [len(str(col)) * 0.8]
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


def _illustrative(result: Result) -> list[str]:
    if not result.illustrative:
        return []
    cols = ", ".join(result.problem.units.estimated_columns)
    return [f"ILLUSTRATIVE: estimated figures in use ({cols}); not official data."]


def _col(j: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(j)


# ----------------------------------------------------------------------------- result


def result_workbook(
    result: Result, *, maps: Sequence[tuple[str, bytes]] = (), maps_note: str = ""
) -> bytes:
    """The workbook of one result (see the module docstring for its sheets).

    ``maps`` are (title, PNG bytes) pictures put side by side on a Map sheet after Allocation
    (the app passes its maps there; ``maps_note`` goes in the sheet's note row).
    """
    try:
        book = _Book()
        warn = _illustrative(result)
        _allocation_sheet(book, result, warn)
        if result.budget is not None:
            from fiscal.budget_workbook import budget_sheets

            budget_sheets(book, result, warn, _table, _col)
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


def _mergers_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    from fiscal.mechanism import merger_view

    view = merger_view(result.problem, result.cells.sum(axis=1))
    if view.empty:
        return
    ws = book.sheet(
        "Mergers",
        f"Merged units beside their predecessors — {result.scenario.name}",
        [
            "Million VND. A unit row: its rate, transfer and resources (revenue kept + transfer) "
            "in this result, and 'reference' = its predecessors' summed resources; the "
            "predecessor rows: each old province's own rate, transfer and resources under the "
            "status quo (its own A, B, C)."
        ],
        warn,
    )
    _table(book, ws, view)


def _allocation_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    scen = result.scenario
    ws = book.sheet(
        "Allocation",
        f"Allocation — {scen.name}",
        ["Money in million VND (triệu đồng); one row per unit and year."],
        warn,
    )
    table = result.table
    end = _table(book, ws, table)
    cols = list(table.columns)
    first, last = HEADER_ROW + 2, end  # Excel rows (1-based) of the data
    year_col = _col(cols.index("year"))
    row = end + 1
    summed = [
        c for c in cols if c in SUMMED or c in BUDGET_MONEY or c.startswith(("sector:", "line_"))
    ]
    name_col = cols.index("name") if "name" in cols else 1
    for year in result.years:
        sel = table["year"] == year
        ws.write_string(row, name_col, f"Total {year}", book.f["bold_text"])
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
    ws.write_string(row, 0, "Reconciliation (million VND)", book.f["title"])
    row += 1
    for j, head in enumerate(
        ("year", "envelope (incl. support paid on top)", "allocated", "difference")
    ):
        ws.write_string(row, j, head, book.f["head"])
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
    ws = book.sheet("Map", f"Map — {result.scenario.name}", [note] if note else [], warn)
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
        "Metrics",
        f"Metrics — {result.scenario.name}",
        ["Resources per person = (capacity + transfer) / population, million VND."]
        + (
            [
                "base: balancing = revenue kept as the gap counts it + balancing transfer; total "
                "= total resources (all revenue kept + every transfer line); line = one line's "
                "total; rule = units breaching a whole-budget rule, on the base it states."
            ]
            if result.budget is not None
            else []
        ),
        warn,
    )
    per_year = {y: metrics.summary(result, y) for y in result.years}
    keys = list(next(iter(per_year.values())))
    specs = [metrics.spec(k) for k in keys]
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
        "Constraints",
        f"Rules and what they cost — {result.scenario.name}",
        [
            "dual: objective per million VND; cost: money the rule moves (million VND), "
            "from a re-solve without it; benefits / pays: unit codes."
        ],
        warn,
    )
    _table(book, ws, result.constraints, widths={"benefits": 30, "pays": 30, "description": 60})


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
    rows = []
    for path, (value, source) in flatten_settings(data).items():
        unit = units_of_rates.get(path) or SETTING_UNITS.get(path.rsplit(".", 1)[-1], "")
        if path == "rounding.unit":
            unit = "million VND"
        est = any(path.startswith(p) and flag for p, flag in estimated.items())
        rows.append(
            {
                "setting": path,
                "value": setting(value),
                "unit": unit,
                "source": source,
                "estimated": "yes" if est or "illustrative" in source.lower() else "",
            }
        )
    ws = book.sheet(
        "Assumptions",
        f"Assumptions — {scen.name}",
        [
            "Every setting of the scenario (fully resolved, no 'extends'), with its "
            "unit and source. 'estimated' marks illustrative values."
        ],
        warn,
    )
    _table(
        book, ws, pd.DataFrame(rows), widths={"setting": 42, "value": 30, "unit": 28, "source": 80}
    )


def _provenance_sheet(book: _Book, result: Result, warn: list[str]) -> None:
    prov = dict(result.provenance)
    rows: list[tuple[str, str]] = [
        ("scenario", result.scenario.name),
        ("objective", result.objective_kind),
        ("status", result.status),
        ("backend", result.backend),
        ("objective value", "" if result.objective is None else f"{result.objective:.12g}"),
    ]
    for key, value in prov.items():
        if isinstance(value, dict):
            rows += [(f"{key}.{k}", setting(v)) for k, v in value.items()]
        else:
            rows.append((key, setting(value)))
    rows += [
        (f"re-check: {c.name}", ("holds" if c.ok else "FAILS: ") + ("" if c.ok else c.detail))
        for c in result.checks
    ]
    rows += [(f"runtime.{k}", f"{v:.4f} s") for k, v in result.runtime.items()]
    ws = book.sheet(
        "Provenance",
        f"Provenance — {result.scenario.name}",
        ["Versions, data hash, time of the run, and the independent re-check."],
        warn,
    )
    _table(
        book, ws, pd.DataFrame(rows, columns=["item", "value"]), widths={"item": 36, "value": 90}
    )


# ----------------------------------------------------------------------------- comparison


def comparison_workbook(comparison: Comparison) -> bytes:
    """The workbook of a comparison: Summary, Winners and losers, Units, Groups, Settings, Rules."""
    try:
        book = _Book()
        c = comparison
        warn = [f"ILLUSTRATIVE: {note}." for note in c.notes] if c.illustrative else []
        ref = f"Changes are measured against '{c.reference}'."
        ws = book.sheet("Summary", "Scenario comparison", [ref], warn)
        scen = pd.DataFrame(
            [
                {
                    "label": lab,
                    "scenario": r.scenario.name,
                    "objective": r.objective_kind,
                    "file": r.scenario.path or "",
                    "illustrative": "yes" if r.illustrative else "",
                }
                for lab, r in zip(c.labels, c.results, strict=True)
            ]
        )
        end = _table(book, ws, scen, widths={"scenario": 60, "file": 60})
        ws.write_string(end + 1, 0, "Metrics", book.f["title"])
        _table(book, ws, c.metrics, start=end + 2, widths={"metric": 22, "description": 60})
        ws = book.sheet("Winners and losers", "Winners and losers (bands of change)", [ref], warn)
        _table(book, ws, c.bands, widths={"band": 14, "names": 80})
        ws = book.sheet("Units", "Allocation per unit and scenario (million VND)", [ref], warn)
        _table(book, ws, c.units)
        if not c.lines.empty:  # the sheets of transfer lines: bilingual, as a result's are
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
            for name, title, frame, keys in (
                ("Lines", "lines", c.lines, ("year", "line", "label", "label_vi")),
                ("Units by line", "unit_lines", c.unit_lines, ("year", "code", "name", "line")),
            ):
                heading = (
                    f"{SHEETS['en'][f'sheet.compare_{title}']} — {vi[f'sheet.compare_{title}']}"
                )
                ws = book.sheet(name, heading, [ref], warn)
                ws.write_string(
                    2, 0, " ".join([*warn_vi, *notes_vi]), book.f["warn" if warn_vi else "note"]
                )
                _table(book, ws, frame, money=[x for x in frame.columns if x not in keys])
        ws = book.sheet("Groups", "By region and by merged / not merged", [ref], warn)
        _table(book, ws, c.groups)
        ws = book.sheet("Settings", "Settings that differ, with their sources", [], warn)
        _table(book, ws, c.params, widths={"setting": 40})
        ws = book.sheet("Rules", "Rules: binding, dual value, and the money each moves", [], warn)
        _table(book, ws, c.constraints, widths={"benefits": 30, "pays": 30, "description": 60})
        return book.close()
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(Message("export.comparison_workbook", detail=str(exc))) from exc


def frames_workbook(
    sheets: Mapping[str, pd.DataFrame],
    *,
    title: str,
    notes: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> bytes:
    """A workbook with one formatted table per sheet (sheet name → table)."""
    try:
        book = _Book()
        for name, frame in sheets.items():
            ws = book.sheet(name, f"{title} — {name}", notes, warnings)
            _table(book, ws, frame)
        return book.close()
    except Exception as exc:
        raise ExportError(Message("export.tables_workbook", title=title, detail=str(exc))) from exc
