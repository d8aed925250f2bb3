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

Sheet titles carry the Vietnamese names beside the English ones. The workbook passes in its
book and table writer (this module does not import :mod:`fiscal.workbook`, which calls it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.annex import lines_annex
from fiscal.lines.base import is_money_part
from fiscal.prose.budget import base_name, budget_labels, column_name, line_name, rule_kind_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from fiscal.lines import Budget, LineAmounts
    from fiscal.results import Result

__all__ = ["budget_sheets", "line_frame", "rules_frame"]


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


def _priority_note(p: Any) -> str:
    """A line's priority on its sheet, in English and Vietnamese."""
    pct, factor = f"{p.threshold * 100:g} %", f"{1 + p.uplift:g}"
    est = (" (illustrative)", " (minh họa)") if p.estimated else ("", "")
    return (
        f"Priority: units whose balancing transfer is at least {pct} of their spending need A "
        f"(priority.ratio) count their claim × {factor}{est[0]} — Ưu tiên: đơn vị có bổ sung "
        f"cân đối từ {pct.replace('.', ',')} nhu cầu chi A trở lên được tính phần được chia × "
        f"{factor.replace('.', ',')}{est[1]}."
    )


def _sheet_name(name: str, used: set[str]) -> str:
    base = f"L {name}"[:31]
    out, k = base, 2
    while out.lower() in used:
        out = f"{base[:28]} {k}"
        k += 1
    used.add(out.lower())
    return out


HEADER_ROW = 3  # as fiscal.workbook.HEADER_ROW: 0-based row of every table's header


def _money(book: Any) -> dict[str, Any]:
    return {"money": book.f["money"], "bold": book.f["bold_money"], "text": book.f["bold_text"]}


def budget_sheets(
    book: Any,
    result: Result,
    warn: list[str],
    write_table: Callable[..., int],
    column_letter: Callable[[int], str],
) -> None:
    """Add the Lines, Budget, per-line and Budget rules sheets of ``result`` to ``book`` (the
    workbook's book, with its table writer and column letters)."""
    budget = result.budget
    assert budget is not None
    f = _money(book)
    scen = result.scenario.name
    est = [
        f"ILLUSTRATIVE per-unit sharing (totals as stated): {_names(la)[0]}."
        for la in budget.lines
        if la.estimated and la.settings is not None
    ]
    # ---------------------------------------------------------------- Lines
    ws = book.sheet(
        "Lines",
        f"Transfer lines — Các khoản bổ sung — {scen}",
        ["Million VND (triệu đồng). Difference = allocated − envelope (0: reconciles)."],
        [*warn, *est],
    )
    totals = budget.totals()
    totals.insert(2, "label_vi", [_names(budget.line(n))[1] for n in totals["line"]])
    totals["label"] = [_names(budget.line(n))[0] for n in totals["line"]]
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
    end = write_table(book, ws, totals, money=("envelope", "total", "difference"))
    cols = list(totals.columns)
    row = end + 1
    year_col = column_letter(cols.index("year"))
    for year in budget.years:
        ws.write_string(row, cols.index("line"), f"All lines {year} — Tổng các khoản", f["text"])
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
    ws = book.sheet(
        "Budget",
        f"Whole budget by unit — Toàn bộ ngân sách theo đơn vị — {scen}",
        [
            "Million VND. Resources = revenue kept + all transfer lines (tổng nguồn lực = thu được "
            "hưởng + các khoản bổ sung)."
        ],
        [*warn, *est],
    )
    frame = budget.frame()
    labels = {
        la.name: (la.label, la.settings.label_vi if la.settings else "") for la in budget.lines
    }
    frame = frame.rename(
        columns={
            c: f"{c}: {column_name(c, labels, 'vi')}"
            for c in frame.columns
            if c.startswith("line_")
            or c in ("revenue_kept", "capital_revenue", "transfers_total", "resources_total")
        }
    )
    end = write_table(book, ws, frame)
    cols = list(frame.columns)
    money_cols = [
        c
        for c in cols
        if c.split(": ")[0]
        in ("revenue_kept", "capital_revenue", "transfers_total", "resources_total")
        or c.startswith("line_")
    ]
    row = end + 1
    year_col = column_letter(cols.index("year"))
    for year in budget.years:
        ws.write_string(row, cols.index("name"), f"Total {year} — Tổng", f["text"])
        ws.write_number(row, cols.index("year"), year, f["text"])
        sel = frame["year"] == year
        for c in money_cols:
            j = cols.index(c)
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
        notes = [f"Rule: {la.rule}. Million VND. Source: {la.source}"]
        if la.settings is not None and la.settings.priority is not None:
            notes.append(_priority_note(la.settings.priority))
        ws = book.sheet(
            _sheet_name(la.name, used),
            f"{en} — {vi} — {scen}",
            notes,
            [
                *warn,
                *(
                    ["ILLUSTRATIVE per-unit sharing (the total is as stated)."]
                    if la.estimated and la.settings is not None
                    else []
                ),
            ],
        )
        lf = line_frame(budget, la)
        parts_money = [k for k in list(lf.columns)[6:] if is_money_part(k)]
        end = write_table(book, ws, lf, money=parts_money)
        cols = list(lf.columns)
        j = cols.index("amount")
        row = end + 1
        year_col = column_letter(cols.index("year"))
        for t, year in enumerate(budget.years):
            ws.write_string(row, cols.index("name"), f"Total {year} — Tổng", f["text"])
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
            ws.write_string(row, cols.index("name"), "Envelope — Tổng mức", f["text"])
            ws.write_number(row, j, la.envelope, f["bold"])
            ws.write_string(row + 1, cols.index("name"), "Difference — Chênh lệch", f["text"])
            ws.write_formula(
                row + 1,
                j,
                f"={column_letter(j)}{row}-{column_letter(j)}{row + 1}",
                f["bold"],
                float(la.amount[0].sum()) - la.envelope,
            )
    est_vi = [_names(la)[1] for la in budget.lines if la.estimated and la.settings is not None]
    annex_warn = (
        [f"Cách chia cho từng đơn vị của các khoản sau là minh họa: {', '.join(est_vi)}."]
        if est_vi
        else warn
    )
    for k, year in enumerate(budget.years):  # the official layout, in Vietnamese
        lines_annex(book.wb, result, k, year, annex_warn)
    # ---------------------------------------------------------------- Budget rules
    rf = rules_frame(budget)
    if rf.empty:
        return
    ws = book.sheet(
        "Budget rules",
        f"Rules on the whole budget — Quy tắc trên toàn bộ ngân sách — {scen}",
        [
            "Million VND. Margin = room left (negative: short or over). 'not judged': no figure "
            "for the unit in the data (the requirement alone is stated)."
        ],
        warn,
    )
    write_table(book, ws, rf, money=("required", "measured", "margin"))
