"""The workbook sheets of a result with transfer lines (:mod:`fiscal.lines`), called by
:func:`fiscal.workbook.result_workbook`:

* **Lines** — one row per line and year: its envelope, the amount allocated, the difference
  (0: it reconciles to the million VND), units paid, eligible, real amounts; the total of all
  lines, written as formulas;
* **Budget** — one row per unit and year: revenue kept, each line, all lines, resources; totals;
* **one sheet per line** (``L <name>``) — each unit's amount, eligibility, whether the amount is
  the real one, the figures behind it (formula amount, cost, central share, ...), the total
  (a formula) against the line's envelope;
* **Phụ lục bổ sung <year>** — the official layout in Vietnamese (:func:`fiscal.annex.lines_annex`):
  each unit's transfers by line, their total, revenue kept and total resources;
* **Budget rules** — each whole-budget rule for each unit: base, required, measured, margin,
  whether it holds.

A workbook without a language has these sheets bilingual: titles and cells that are words read
"English — Tiếng Việt", headers "code: tiếng Việt" (the code first, as the CSV and JSON name the
column), and the notes in English on the note row are said again in Vietnamese on the row below
it (:data:`NOTE_VI_ROW`). A workbook in one language (``lang``: the app's, in the page's
language; ``fiscal solve --lang``) writes them in that language only: Vietnamese sheet names
(``Các khoản bổ sung``, ``Ngân sách``, ``K <line>``, ``Quy tắc ngân sách``), words and headers,
or English ones with the columns' codes as headers. The words are :data:`fiscal.prose.budget_sheets.SHEETS` and
:data:`fiscal.prose.budget.LINES`. The workbook passes in its book and table writer (this module
does not import :mod:`fiscal.workbook`, which calls it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.annex import lines_annex
from fiscal.lines.base import is_money_part
from fiscal.prose import labels as prose_labels
from fiscal.prose.budget import (
    LINES,
    base_name,
    budget_labels,
    column_name,
    line_name,
    rule_kind_name,
    rule_name,
)
from fiscal.prose.budget_sheets import SHEETS

if TYPE_CHECKING:
    from collections.abc import Callable

    from fiscal.lines import Budget, LineAmounts
    from fiscal.results import Result

__all__ = ["NOTE_VI_ROW", "budget_sheets", "line_frame", "rules_frame"]


def _names(la: LineAmounts) -> tuple[str, str]:
    s = la.settings
    return line_name(la.name, la.label, "", "en"), line_name(
        la.name, la.label, s.label_vi if s is not None else "", "vi"
    )


def line_frame(budget: Budget, la: LineAmounts) -> pd.DataFrame:
    """One row per unit and year of one line: the amount and the figures behind it."""
    T, n = la.amount.shape
    out = pd.DataFrame(
        {
            "year": np.repeat(budget.years, n),
            "code": np.tile(budget.codes, T),
            "name": np.tile(budget.names, T),
            "fiscal_class": np.tile(budget.fiscal_class, T),
            "eligible": np.tile(np.where(la.eligible, "yes", "no"), T),
            "real_amount": np.tile(np.where(la.known, "yes", "no"), T),
        }
    )
    for key, values in la.parts.items():
        if key == "priority.qualifies":
            out[key] = np.tile(np.where(np.asarray(values) > 0, "yes", "no"), T)
        else:
            out[key] = np.tile(np.asarray(values, dtype=float), T)
    out["amount"] = la.amount.ravel()
    return out


def rules_frame(budget: Budget) -> pd.DataFrame:
    """One row per whole-budget rule, unit and year: required, measured, margin, verdict."""
    frames = []
    labels = budget_labels(budget)
    for c in budget.checks:
        T, n = c.required.shape
        verdict = np.where(~c.judged, "not judged", np.where(c.breach, "does not hold", "holds"))
        frames.append(
            pd.DataFrame(
                {
                    "rule": c.name,
                    "kind": rule_kind_name(c.kind, "en"),
                    "base": base_name("kept" if c.kind == "debt_ceiling" else c.base, labels),
                    "year": np.repeat(budget.years, n),
                    "code": np.tile(budget.codes, T),
                    "name": np.tile(budget.names, T),
                    "bound": "at most" if c.bound == "max" else "at least",
                    "required": c.required.ravel(),
                    "measured": c.measured.ravel(),
                    "margin": c.margin.ravel(),
                    "verdict": verdict.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _priority_note(p: Any) -> tuple[str, str]:
    """A line's priority on its sheet: the English note and the Vietnamese one."""
    pct, factor = f"{p.threshold * 100:g} %", f"{1 + p.uplift:g}"
    est = (" (illustrative)", " (minh họa)") if p.estimated else ("", "")
    return (
        f"Priority: units whose balancing transfer is at least {pct} of their spending need A "
        f"(priority.ratio) count their claim × {factor}{est[0]}.",
        f"Ưu tiên: đơn vị có bổ sung cân đối từ {pct.replace('.', ',')} nhu cầu chi A trở lên "
        f"(priority.ratio) được tính phần được chia × {factor.replace('.', ',')}{est[1]}.",
    )


#: what Excel refuses in a sheet's name
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str], prefix: str = "L") -> str:
    """``prefix name`` as Excel takes it: none of []:*?/\\, at most 31 characters, unique."""
    clean = _NOT_IN_SHEET_NAMES.sub("-", name)
    base = f"{prefix} {clean}"
    if len(base) > 31:  # cut at a word where one ends late enough
        base = base[:31]
        cut = base.rfind(" ")
        base = base[:cut] if cut > 20 else base
    out, k = base, 2
    while out.lower() in used:
        out = f"{base[:28]} {k}"
        k += 1
    used.add(out.lower())
    return out


HEADER_ROW = 3  # as fiscal.workbook.HEADER_ROW: 0-based row of every table's header
NOTE_VI_ROW = 2  # 0-based row of the Vietnamese notes (the English ones are on row 1)
EN, VI = {**LINES["en"], **SHEETS["en"]}, {**LINES["vi"], **SHEETS["vi"]}


def _both(en: str, vi: str, lang: str | None = None) -> str:
    """Words in the workbook's language: in both without one, as the titles write them
    ("English — Tiếng Việt"); in Vietnamese (the English where there is no Vietnamese word)
    or in English."""
    if lang == "vi":
        return vi or en
    if lang == "en":
        return en
    return en if not vi or vi == en else f"{en} — {vi}"


def _word(key: str, value: str, lang: str | None = None) -> str:
    """A cell's value in the language (``value.yes``, ``verdict.holds``, ...)."""
    return _both(EN[f"{key}.{value}"], VI[f"{key}.{value}"], lang)


def _class(value: str, lang: str | None = None) -> str:
    if value == "unknown":
        return _word("class", "unknown", lang)
    vi = prose_labels.CLASSES["vi"].get(value, "")
    return _both(value, vi, lang)


def _headers(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """``frame`` with each header in the language: "code: tiếng Việt" without one (headers that
    have one already, or no Vietnamese word, are kept), the Vietnamese word in Vietnamese, the
    code in English."""
    if lang == "en":
        return frame
    return frame.rename(
        columns={
            c: VI[f"head.{c}"] if lang == "vi" else f"{c}: {VI[f'head.{c}']}"
            for c in frame.columns
            if ": " not in str(c) and f"head.{c}" in VI
        }
    )


def _scenario(result: Result, lang: str | None = None) -> str:
    meta = result.scenario.scenario
    return _both(meta.name, meta.name_vi, lang)


def _sheet(
    book: Any,
    name: str,
    title: str,
    notes: tuple[list[str], list[str]],
    warn: tuple[list[str], list[str]],
    lang: str | None = None,
) -> Any:
    """A sheet of the book with its title, its notes in English (row 2, by the workbook) and in
    Vietnamese (row 3); each list of notes is (English, Vietnamese), warnings in red first. In
    one language (``lang``), only that language's notes, on row 2."""
    if lang is not None:
        k = 1 if lang == "vi" else 0
        return book.sheet(name, title, notes[k], warn[k])
    ws = book.sheet(name, title, notes[0], warn[0])
    text = " ".join([*warn[1], *notes[1]]).strip()
    if text:
        ws.write_string(NOTE_VI_ROW, 0, text, book.f["warn"] if warn[1] else book.f["note"])
    return ws


def _source_vi(result: Result, la: LineAmounts) -> str:
    """The line's source in Vietnamese (its ``*_vi`` setting; the English when it has none)."""
    s = la.settings
    if s is not None:
        if s.source:
            return s.source_vi or s.source
        return s.envelope_source_vi or s.envelope_source or la.source
    if la.rule == "balancing":
        env = result.scenario.envelope
        return env.source_vi or env.source
    if la.rule == "rule":
        return VI["source.rule"]
    return la.source


def _eligible(la: LineAmounts, lang: str) -> list[str]:
    """Who may receive the line, as a note (none for a rule of the balancing allocation: its
    units are those the rule pays)."""
    if la.settings is None and la.rule != "balancing":
        return []
    words = EN if lang == "en" else VI
    key = la.settings.eligible if la.settings is not None else "all"
    return [words["sheet.eligible"].format(eligible=words.get(f"eligible.{key}", key))]


def _total(year: int, lang: str | None) -> str:
    """The label of a year's totals row."""
    return _both(f"Total {year}", f"Tổng {year}", lang) if lang else f"Total {year} — Tổng"


def _money(book: Any) -> dict[str, Any]:
    return {"money": book.f["money"], "bold": book.f["bold_money"], "text": book.f["bold_text"]}


def budget_sheets(
    book: Any,
    result: Result,
    warn: list[str],
    write_table: Callable[..., int],
    column_letter: Callable[[int], str],
    *,
    lang: str | None = None,
) -> None:
    """Add the Lines, Budget, per-line and Budget rules sheets of ``result`` to ``book`` (the
    workbook's book, with its table writer and column letters); ``warn`` is the workbook's
    English warning of illustrative figures, said here in Vietnamese too. With ``lang``
    ('en' or 'vi') every word is in that language only (:func:`_both`)."""
    budget = result.budget
    assert budget is not None
    f = _money(book)
    scen = _scenario(result, lang)
    warn_vi = (
        [VI["sheet.illustrative"].format(columns=", ".join(result.problem.units.estimated_columns))]
        if warn
        else []
    )
    estimated = [la for la in budget.lines if la.estimated and la.settings is not None]
    est = (
        [EN["sheet.illustrative_lines"].format(lines=", ".join(_names(la)[0] for la in estimated))]
        if estimated
        else [],
        [VI["sheet.illustrative_lines"].format(lines=", ".join(_names(la)[1] for la in estimated))]
        if estimated
        else [],
    )
    warns = ([*warn, *est[0]], [*warn_vi, *est[1]])
    # ---------------------------------------------------------------- Lines
    ws = _sheet(
        book,
        "Các khoản bổ sung" if lang == "vi" else "Lines",
        f"{_both('Transfer lines', 'Các khoản bổ sung', lang)} — {scen}",
        ([EN["sheet.lines"]], [VI["sheet.lines"]]),
        warns,
        lang,
    )
    totals = budget.totals()
    totals.insert(2, "label_vi", [_names(budget.line(n))[1] for n in totals["line"]])
    totals["label"] = [_names(budget.line(n))[0] for n in totals["line"]]
    totals["rule"] = [_both(r, VI.get(f"rule.{r}", ""), lang) for r in totals["rule"]]
    totals.insert(
        totals.columns.get_loc("source") + 1,
        "source_vi",
        [_source_vi(result, budget.line(n)) for n in totals["line"]],
    )
    totals.insert(
        totals.columns.get_loc("total") + 1,
        "difference",
        [
            t - e if e is not None and e == e else np.nan
            for t, e in zip(totals["total"], totals["envelope"], strict=True)
        ],
    )
    for col in ("envelope", "total", "difference"):
        totals[col] = totals[col].astype(float)
    if lang is not None:  # one language: its name and source of each line
        other = ("label", "source") if lang == "vi" else ("label_vi", "source_vi")
        totals = totals.drop(columns=list(other))
    cols = list(totals.columns)
    head = _headers(totals, lang)
    money = [head.columns[cols.index(c)] for c in ("envelope", "total", "difference")]
    end = write_table(book, ws, head, money=money)
    row = end + 1
    year_col = column_letter(cols.index("year"))
    for year in budget.years:
        ws.write_string(
            row,
            cols.index("line"),
            _both(f"All lines {year}", f"Tổng các khoản {year}", lang)
            if lang
            else f"All lines {year} — Tổng các khoản",
            f["text"],
        )
        ws.write_number(row, cols.index("year"), year, f["text"])
        j = cols.index("total")
        value = float(totals.loc[totals["year"] == year, "total"].sum())
        rng = f"{column_letter(j)}{HEADER_ROW + 2}:{column_letter(j)}{end}"
        ws.write_formula(
            row,
            j,
            f"=SUMIF({year_col}{HEADER_ROW + 2}:{year_col}{end},{year},{rng})",
            f["bold"],
            value,
        )
        row += 1
    # ---------------------------------------------------------------- Budget
    ws = _sheet(
        book,
        "Ngân sách" if lang == "vi" else "Budget",
        f"{_both('Whole budget by unit', 'Toàn bộ ngân sách theo đơn vị', lang)} — {scen}",
        ([EN["sheet.budget"]], [VI["sheet.budget"]]),
        warns,
        lang,
    )
    frame = budget.frame()
    frame["fiscal_class"] = [_class(str(c), lang) for c in frame["fiscal_class"]]
    labels = {
        la.name: (la.label, la.settings.label_vi if la.settings else "") for la in budget.lines
    }
    codes = list(frame.columns)
    money_cols = [
        c
        for c in codes
        if c in ("revenue_kept", "capital_revenue", "transfers_total", "resources_total")
        or c.startswith("line_")
    ]
    shown = frame
    if lang != "en":  # the money columns by their names ("code: tên" in both languages)
        shown = frame.rename(
            columns={
                c: column_name(c, labels, "vi")
                if lang == "vi"
                else f"{c}: {column_name(c, labels, 'vi')}"
                for c in money_cols
            }
        )
    end = write_table(book, ws, _headers(shown, lang))
    row = end + 1
    year_col = column_letter(codes.index("year"))
    for year in budget.years:
        ws.write_string(row, codes.index("name"), _total(year, lang), f["text"])
        ws.write_number(row, codes.index("year"), year, f["text"])
        sel = frame["year"] == year
        for c in money_cols:
            j = codes.index(c)
            rng = f"{column_letter(j)}{HEADER_ROW + 2}:{column_letter(j)}{end}"
            ws.write_formula(
                row,
                j,
                f"=SUMIF({year_col}{HEADER_ROW + 2}:{year_col}{end},{year},{rng})",
                f["bold"],
                float(frame.loc[sel, c].sum()),
            )
        row += 1
    # ---------------------------------------------------------------- one sheet per line
    used = {"lines", "budget", "budget rules"}
    for la in budget.lines:
        en, vi = _names(la)
        rule = (EN.get(f"rule.{la.rule}", la.rule), VI.get(f"rule.{la.rule}", la.rule))
        notes = (
            [EN["sheet.line"].format(rule=rule[0]), *_eligible(la, "en"), EN["sheet.million"]],
            [VI["sheet.line"].format(rule=rule[1]), *_eligible(la, "vi"), VI["sheet.million"]],
        )
        source = (la.source, _source_vi(result, la))
        if source[0]:
            notes[0].append(EN["sheet.source"].format(source=source[0]))
            notes[1].append(VI["sheet.source"].format(source=source[1]))
        one = (
            ([EN["sheet.illustrative_line"]], [VI["sheet.illustrative_line"]])
            if la.estimated and la.settings is not None
            else ([], [])
        )
        if la.settings is not None and la.settings.priority is not None:
            note = _priority_note(la.settings.priority)
            notes[0].append(note[0])
            notes[1].append(note[1])
        ws = _sheet(
            book,
            # in Vietnamese by the line's Vietnamese name ("K Bổ sung cân đối"), else by its key
            _sheet_name(vi, used, "K") if lang == "vi" else _sheet_name(la.name, used),
            f"{en} — {vi} — {scen}" if lang is None else f"{_both(en, vi, lang)} — {scen}",
            notes,
            ([*warn, *one[0]], [*warn_vi, *one[1]]),
            lang,
        )
        lf = line_frame(budget, la)
        parts_money = [k for k in list(lf.columns)[6:] if is_money_part(k)]
        lf["fiscal_class"] = [_class(str(c), lang) for c in lf["fiscal_class"]]
        for col in ("eligible", "real_amount", "priority.qualifies"):
            if col in lf:
                lf[col] = [_word("value", str(v), lang) for v in lf[col]]
        head = _headers(lf, lang)
        cols = list(lf.columns)
        end = write_table(book, ws, head, money=[head.columns[cols.index(c)] for c in parts_money])
        j = cols.index("amount")
        row = end + 1
        year_col = column_letter(cols.index("year"))
        for t, year in enumerate(budget.years):
            ws.write_string(row, cols.index("name"), _total(year, lang), f["text"])
            rng = f"{column_letter(j)}{HEADER_ROW + 2}:{column_letter(j)}{end}"
            ws.write_formula(
                row,
                j,
                f"=SUMIF({year_col}{HEADER_ROW + 2}:{year_col}{end},{year},{rng})",
                f["bold"],
                float(la.amount[t].sum()),
            )
            row += 1
        if la.envelope is not None:
            ws.write_string(row, cols.index("name"), _both("Envelope", "Tổng mức", lang), f["text"])
            ws.write_number(row, j, la.envelope, f["bold"])
            ws.write_string(
                row + 1, cols.index("name"), _both("Difference", "Chênh lệch", lang), f["text"]
            )
            ws.write_formula(
                row + 1,
                j,
                f"={column_letter(j)}{row}-{column_letter(j)}{row + 1}",
                f["bold"],
                float(la.amount[0].sum()) - la.envelope,
            )
    for k, year in enumerate(budget.years):  # the official layout, in Vietnamese
        lines_annex(book.wb, result, k, year, warn, est[1])
    # ---------------------------------------------------------------- Budget rules
    rf = rules_frame(budget)
    if rf.empty:
        return
    ws = _sheet(
        book,
        "Quy tắc ngân sách" if lang == "vi" else "Budget rules",
        f"{_both('Rules on the whole budget', 'Quy tắc trên toàn bộ ngân sách', lang)} — {scen}",
        ([EN["sheet.rules"]], [VI["sheet.rules"]]),
        (warn, warn_vi),
        lang,
    )
    head = _headers(_rules_in_both(budget, rf, lang), lang)
    amounts = [head.columns[list(rf.columns).index(c)] for c in ("required", "measured", "margin")]
    write_table(book, ws, head, money=amounts)


def _rules_in_both(budget: Budget, rf: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The rules' table with its words in both languages, or in ``lang`` (the rule's name,
    kind, base, bound, verdict)."""
    out = rf.copy()
    labels = budget_labels(budget)
    rows: dict[str, list[str]] = {k: [] for k in ("rule", "kind", "base", "bound")}
    for c in budget.checks:
        n = c.required.size
        base = "kept" if c.kind == "debt_ceiling" else c.base
        words = {
            "rule": _both(c.name, rule_name(c.name, c.setting.name_vi, "vi"), lang),
            "kind": _both(rule_kind_name(c.kind, "en"), rule_kind_name(c.kind, "vi"), lang),
            "base": _both(base_name(base, labels, "en"), base_name(base, labels, "vi"), lang),
            "bound": _both(EN[f"bound.{c.bound}"], VI[f"bound.{c.bound}"], lang),
        }
        for k, v in words.items():
            rows[k] += [v] * n
    for k, values in rows.items():
        out[k] = values
    key = {"holds": "holds", "does not hold": "breach", "not judged": "unjudged"}
    out["verdict"] = [_word("verdict", key[v], lang) for v in out["verdict"]]
    return out
