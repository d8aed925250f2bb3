"""A result's tables in Vietnamese for its workbook (:mod:`fiscal.workbook`,
:mod:`fiscal.compare_workbook`): the headers, the words in cells (regions, merged, fiscal
classes, flags), the rules' ledger by their Vietnamese names and descriptions, a setting's
name. The words are :data:`fiscal.prose.workbook_words.WORKBOOK` and :mod:`fiscal.prose.labels`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from fiscal.xlsx import BUDGET_MONEY, Book

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = ["headers_in", "in_vietnamese", "ledger_in_vietnamese", "setting_name_vi"]


def headers_in(book: Book, result: Result, columns: Sequence[str]) -> list[str] | None:
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


def in_vietnamese(frame: pd.DataFrame, result: Result | None = None) -> pd.DataFrame:
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


def ledger_in_vietnamese(result: Result, table: pd.DataFrame) -> pd.DataFrame:
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


def setting_name_vi(path: str) -> str:
    """A setting's name in Vietnamese where the app has one (labels.SETTINGS), else ''."""
    from fiscal.prose.labels import SETTINGS

    words = SETTINGS["vi"]
    if path in words:
        return words[path]
    return words.get(path.rsplit(".", 1)[-1], "")
