"""The workbook of a comparison (:class:`~fiscal.compare.Comparison`): Summary, Winners and
losers, Units, (with transfer lines) Lines and Units by line, Groups, Settings, Rules — in one
language when asked (``lang``), else English with the sheets of lines in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from fiscal.errors import ExportError
from fiscal.prose.messages import Message
from fiscal.prose.workbook_words import sheet_words
from fiscal.workbook_lang import in_vietnamese, ledger_in_vietnamese
from fiscal.xlsx import Book, write_table

if TYPE_CHECKING:
    from fiscal.compare import Comparison
    from fiscal.results import Result

__all__ = ["comparison_workbook"]


def comparison_workbook(comparison: Comparison, *, lang: str | None = None) -> bytes:
    """The workbook of a comparison: Summary, Winners and losers, Units, Groups, Settings, Rules
    (and, with transfer lines, Lines and Units by line).

    ``lang`` ('en' or 'vi') writes it in one language, as :func:`result_workbook` does; without
    one it is English with the sheets of lines in both languages."""
    try:
        book = Book(lang)
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
        end = write_table(
            book, ws, scen, widths={"scenario": 60, "file": 60}, headers=_cmp_heads(book, scen)
        )
        ws.write_string(end + 1, 0, w["cmp.metrics"], book.f["title"])
        metrics_frame = _cmp_metrics(c.metrics, c.results) if vi else c.metrics
        write_table(
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
        write_table(
            book, ws, bands, widths={"band": 14, "names": 80}, headers=_cmp_heads(book, bands)
        )
        ws = book.sheet(w["cmp.name.units"], w["cmp.title.units"], [ref], warn)
        units = c.units
        if vi:
            from fiscal.prose.words import band_name

            units = in_vietnamese(units)
            for col in [x for x in units.columns if str(x).endswith(": band")]:
                units[col] = [band_name(b, "vi") for b in units[col]]
        write_table(book, ws, units, headers=_cmp_heads(book, units))
        if not c.lines.empty:  # the sheets of transfer lines
            _comparison_lines(book, c, ref, warn, warn_vi, notes_vi)
        ws = book.sheet(w["cmp.name.groups"], w["cmp.title.groups"], [ref], warn)
        groups = _cmp_groups(c.groups) if vi else c.groups
        write_table(book, ws, groups, headers=_cmp_heads(book, groups))
        ws = book.sheet(w["cmp.name.settings"], w["cmp.title.settings"], [], warn)
        params = c.params
        if vi:  # the sources in Vietnamese where the scenario gives them
            params = params.copy()
            for col in [x for x in params.columns if str(x).startswith("source: ")]:
                params[col] = [v.text("vi") if hasattr(v, "text") else v for v in params[col]]
        write_table(book, ws, params, widths={"setting": 40}, headers=_cmp_heads(book, params))
        ws = book.sheet(w["cmp.name.rules"], w["cmp.title.rules"], [], warn)
        rules = c.constraints
        if vi and not rules.empty:
            by_label = dict(zip(c.labels, c.results, strict=True))
            rules = pd.concat(
                [
                    ledger_in_vietnamese(by_label[str(lab)], part)
                    for lab, part in rules.groupby("scenario", sort=False)
                ]
            )
        write_table(
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


def _cmp_heads(book: Book, frame: pd.DataFrame) -> list[str] | None:
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
    book: Book,
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
            write_table(book, ws, frame, money=money)
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
        write_table(book, ws, frame, money=money, headers=heads)
