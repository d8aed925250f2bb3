"""Exports of the capital and execution views: CSV, XLSX and JSON in English or Vietnamese.

CSV is the first table with its headers in the language (numbers exact, machine-readable);
XLSX has one formatted sheet per table (money as ``#,##0``, shares as percentages), a title
and a note row in the language, the illustrative warning in red when estimated figures are in
use, and a totals row where the table has one; JSON has every table with its English column
codes. Files are written atomically (:func:`fiscal._io.atomic_write`).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fiscal._io import atomic_write
from fiscal.errors import ExportError, detail
from fiscal.export import BOM, exact_number
from fiscal.prose.execution import SHEETS, TITLES, column
from fiscal.prose.messages import Message, Term, text_of

__all__ = [
    "View",
    "balancing_of",
    "capital_view_export",
    "drawdown_view",
    "output_format",
    "outturn_view",
    "view_bytes",
    "write_view",
]

FORMATS = ("csv", "xlsx", "json")
_SHARE = {
    "q1_share",
    "max_month_after_q1_share",
    "share",
    "p_below_need",
    "p_breach",
}
_RATIO = {"ceiling_ratio", "factor_mean", "points"}


def _localised_total(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    if "name" in out.columns and len(out) and str(out["name"].iat[-1]) == "TOTAL":
        out.loc[out.index[-1], "name"] = TITLES[lang]["TOTAL"]
    return out


def _csv(frame: pd.DataFrame, lang: str, warnings: Sequence[str] = ()) -> bytes:
    """UTF-8 with a byte-order mark (as fiscal.export writes CSV), a first '# ' line saying
    what is illustrative when anything is, then the table."""

    notice = "".join("# " + w.replace(",", ";").replace("\n", " ") + "\n" for w in warnings)
    out = _localised_total(frame, lang)
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = ["" if not np.isfinite(v) else repr(exact_number(v)) for v in out[col]]
    out = out.rename(columns={c: column(str(c), lang) for c in out.columns})
    return (BOM + notice + out.to_csv(index=False, lineterminator="\n")).encode("utf-8")


HEADER_ROW = 3  # 0-based, as in fiscal.workbook: a reader finds every table's header there


def _xlsx(
    sheets: Mapping[str, pd.DataFrame],
    lang: str,
    title: str,
    notes: Sequence[str],
    warnings: Sequence[str],
) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    f = {
        "title": wb.add_format({"bold": True, "font_size": 13}),
        "note": wb.add_format({"italic": True, "font_color": "#444444", "text_wrap": False}),
        "warn": wb.add_format({"bold": True, "font_color": "#C00000"}),
        "head": wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "text": wb.add_format({}),
        "money": wb.add_format({"num_format": "#,##0"}),
        "pct": wb.add_format({"num_format": "0.00%"}),
        "ratio": wb.add_format({"num_format": "0.000"}),
    }
    for key, frame in sheets.items():
        name = SHEETS.get(lang, SHEETS["en"]).get(key, key)
        ws = wb.add_worksheet(name[:31])
        ws.write_string(0, 0, f"{title} — {name}", f["title"])
        text = " ".join([*warnings, *notes]).strip()
        if text:
            ws.write_string(1, 0, text, f["warn"] if warnings else f["note"])
        frame = _localised_total(frame, lang)
        for j, col in enumerate(frame.columns):
            ws.write_string(HEADER_ROW, j, column(str(col), lang), f["head"])
            ws.set_column(j, j, 28 if col == "name" else 16)
            series = frame[col]
            if col in _SHARE:
                fmt = f["pct"]
            elif col in _RATIO:
                fmt = f["ratio"]
            elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
                fmt = f["money"]
            else:
                fmt = f["text"]
            for i, v in enumerate(series.to_numpy(dtype=object)):
                row, value = HEADER_ROW + 1 + i, exact_number(v)
                if value is None or (isinstance(value, float) and not math.isfinite(value)):
                    ws.write_blank(row, j, None, fmt)
                elif isinstance(value, bool):
                    ws.write_boolean(row, j, value, fmt)
                elif isinstance(value, int | float):
                    ws.write_number(row, j, value, fmt)
                else:
                    ws.write_string(row, j, str(value), fmt)
        ws.freeze_panes(HEADER_ROW + 1, 2 if "name" in frame.columns else 0)
    wb.close()
    return buffer.getvalue()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            str(k): (v if isinstance(v, str) or v is None else exact_number(v))
            for k, v in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


def view_bytes(
    sheets: Mapping[str, pd.DataFrame],
    fmt: str,
    *,
    lang: str = "vi",
    title: str,
    notes: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> bytes:
    """Named tables (key → frame, English column codes) as CSV (the first), XLSX or JSON."""
    if lang not in ("en", "vi"):
        raise ExportError(Message("export.view_lang", lang=lang))
    try:
        if fmt == "csv":
            return _csv(next(iter(sheets.values())), lang, warnings)
        if fmt == "xlsx":
            return _xlsx(sheets, lang, title, notes, warnings)
        if fmt == "json":
            data: dict[str, Any] = {
                "title": title,
                "notes": list(notes),
                "warnings": list(warnings),
                "lang": lang,
            }
            data.update({k: _records(v) for k, v in sheets.items()})
            return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(
            Message("export.view_failed", title=title, fmt=fmt, detail=detail(exc))
        ) from exc
    raise ExportError(Message("export.unknown_table_format", fmt=fmt, formats=", ".join(FORMATS)))


def output_format(path: str | Path) -> str:
    """The format a view is written in at ``path`` (its suffix), or ExportError: the command
    line asks before it solves, so that a wrong suffix costs nothing."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        formats = ", ".join(f".{f}" for f in FORMATS)
        raise ExportError(
            Message("export.unknown_format", path=str(path), fmt=fmt, formats=formats)
        )
    return fmt


def write_view(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    lang: str = "vi",
    title: str,
    notes: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> Path:
    """Write named tables to ``path``; the suffix (.csv, .xlsx, .json) chooses the format."""
    path = Path(path)
    fmt = output_format(path)
    data = view_bytes(sheets, fmt, lang=lang, title=title, notes=notes, warnings=warnings)
    return atomic_write(path, data)


# ----------------------------------------------------------------------------- the views


class View:
    """Tables of one view with their title, notes and warnings in a language (what
    :func:`view_bytes` writes)."""

    def __init__(
        self,
        sheets: dict[str, pd.DataFrame],
        title: str,
        notes: list[str],
        warnings: list[str],
        lang: str,
    ) -> None:
        self.sheets, self.title, self.notes, self.warnings, self.lang = (
            sheets,
            title,
            notes,
            warnings,
            lang,
        )

    def bytes(self, fmt: str) -> bytes:
        return view_bytes(
            self.sheets,
            fmt,
            lang=self.lang,
            title=self.title,
            notes=self.notes,
            warnings=self.warnings,
        )

    def write(self, path: str | Path) -> Path:
        return write_view(
            self.sheets,
            path,
            lang=self.lang,
            title=self.title,
            notes=self.notes,
            warnings=self.warnings,
        )


def balancing_of(result: Any, year: int | None = None) -> tuple[int, pd.DataFrame]:
    """The year (default: the first) and the units' balancing transfers of a result (the
    ``transfer`` column: the balancing line, without merger support)."""
    t = result.table
    year = int(result.years[0] if year is None else year)
    if year not in [int(y) for y in result.years]:
        raise ExportError(
            Message(
                "export.view_year",
                year=year,
                scenario=Term(result.scenario.name, result.scenario.scenario.name_vi),
                years=", ".join(str(y) for y in result.years),
            )
        )
    return year, t[t["year"] == year][["code", "name", "transfer"]].reset_index(drop=True)


def drawdown_view(
    result: Any,
    *,
    lang: str = "vi",
    profile: str = "even",
    unit: str = "million",
    year: int | None = None,
) -> View:
    """The monthly drawdown of a result's balancing transfers, with the legal note."""
    from fiscal.execution import drawdown_table
    from fiscal.prose.execution import NOTES, TITLES, estimated_words

    year, bal = balancing_of(result, year)
    table = drawdown_table(
        bal["code"].astype(str).tolist(),
        bal["name"].astype(str).tolist(),
        bal["transfer"].to_numpy(float),
        profile,
        unit=unit,
    )
    warnings = []
    if result.illustrative:
        warnings.append(estimated_words(["layer"], lang))
    meta = result.scenario.scenario
    notes = [NOTES[lang]["drawdown"], (meta.name_vi or meta.name) if lang == "vi" else meta.name]
    if meta.level == "commune":
        notes.insert(1, NOTES[lang]["drawdown_commune"])
    return View(
        {"drawdown": table},
        TITLES[lang]["drawdown"].format(year=year, unit=TITLES[lang][unit]),
        notes,
        warnings,
        lang,
    )


def outturn_view(out: Any, *, lang: str = "vi", illustrative_layer: bool = True) -> View:
    """The Monte Carlo on outturn: units, draws and counts, with its notes."""
    from fiscal.execution import hcmc_2025_figures, hcmc_2025_ratio
    from fiscal.prose.execution import NOTES, TITLES, estimated_words
    from fiscal.prose.numbers import money, percent

    s = out.settings
    notes = [NOTES[lang]["outturn"].format(seed=s["seed"], draws=s["draws"], revenue=s["revenue"])]
    fixed = s.get("fixed", {})
    if "79" in fixed and abs(fixed["79"] - float(hcmc_2025_ratio())) < 1e-12:
        actual, target = hcmc_2025_figures()
        notes.append(
            NOTES[lang]["hcmc"].format(
                factor=percent(fixed["79"], lang=lang),
                actual=money(actual * 1000, lang=lang),
                target=money(target * 1000, lang=lang),
            )
        )
    notes.append(NOTES[lang]["outturn_dist"].format(revenue=s["revenue"]))
    notes += [text_of(n, lang) for n in s.get("notes", [])]  # the base's (communes, debt)
    parts = ["distribution"]
    if any("opening debt: illustrative" in n for n in s.get("notes", [])):
        parts.append("debt")
    if illustrative_layer:
        parts.append("layer")
    return View(out.tables(), TITLES[lang]["outturn"], notes, [estimated_words(parts, lang)], lang)


def capital_view_export(view: Any, *, lang: str = "vi") -> View:
    """The five-year capital view: the split, the points, the line by year and the long table."""
    from fiscal.prose.execution import TITLES, capital_note, estimated_words

    parts = [*view.plan.estimated, "layer"]
    return View(
        {
            "line": view.line_by_year(),
            "points": view.points,
            "split": view.split,
            "years": view.years,
        },
        TITLES[lang]["capital"],
        [
            capital_note(view, lang),
            view.plan.total_source_vi if lang == "vi" else view.plan.total_source,
        ],
        [estimated_words(parts, lang)],
        lang,
    )
