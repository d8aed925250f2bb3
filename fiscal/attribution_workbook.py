"""The workbook of an attribution (:class:`fiscal.attribution.Attribution`): the settled
contributions, the exact ones, the totals per year and the combinations solved — in English,
or in Vietnamese (the History page's download in Vietnamese, ``fiscal runs attribute --lang vi
-o x.xlsx``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from fiscal.attribution_factors import combination_words, outcome_words
from fiscal.prose.messages import text_of

if TYPE_CHECKING:
    from fiscal.attribution import Attribution

__all__ = ["attribution_workbook"]


def attribution_workbook(
    att: Attribution, lang: str | None, words_vi: dict[str, str], version: str
) -> bytes:
    """The attribution's workbook: the settled contributions, the exact ones, the totals per
    year and the combinations solved. In Vietnamese (``lang="vi"``, the History page's in
    Vietnamese) its sheets, title, notes, headers and the combinations' outcomes and solver
    messages are Vietnamese; otherwise English."""
    from fiscal.workbook import frames_workbook

    summary = pd.DataFrame([{"year": y, **att.totals(y)} for y in att.years])
    tables = {
        "attribution": att.table,
        "exact": att.exact,
        "totals": summary,
        "combinations": att.combinations,
    }
    if lang == "vi":
        return _workbook_vi(att, tables, words_vi, version)
    notes = [
        f"{att.a} → {att.b}; million VND; contributions settled to whole million VND "
        "by largest remainder (sheet 'exact' has the fractions)",
        f"{att.orders_used} of {att.orders_total} orders of the factors used",
        *att.notes,
    ]
    return frames_workbook(tables, title="Attribution", notes=notes)


def _combinations_vi(combos: pd.DataFrame, words_vi: dict[str, str]) -> pd.DataFrame:
    """The combinations solved, in Vietnamese: the factors' names, each outcome's word and the
    solver's message (:mod:`fiscal.prose.catalog`, ``attr.*``)."""
    out = combos.copy()
    out["combination"] = [
        combination_words(str(c), words_vi).text("vi") for c in combos["combination"]
    ]
    out["from B"] = [
        ", ".join(words_vi.get(f, f) for f in str(c).split(", ")) if c else ""
        for c in combos["from B"]
    ]
    out["outcome"] = [text_of(outcome_words(str(o)), "vi") for o in combos["outcome"]]
    out["message"] = [text_of(m, "vi") if isinstance(m, str) else m for m in combos["message"]]
    return out


def _workbook_vi(
    att: Attribution, tables: dict[str, pd.DataFrame], words_vi: dict[str, str], version: str
) -> bytes:
    from fiscal.workbook import frames_workbook

    lab = words_vi
    words = {
        "year": "năm",
        "code": "mã",
        "name": "đơn vị",
        "change": "thay đổi",
        "combination": "tổ hợp",
        "from B": f"lấy từ {att.b}",
        "outcome": "kết quả",
        "total": "tổng",
        "message": "ghi chú",
        **{f: lab[f] for f in att.factors},
    }
    names = {
        "attribution": "Phân rã thay đổi",
        "exact": "Số chính xác",
        "totals": "Tổng theo năm",
        "combinations": "Các tổ hợp",
    }
    notes = [
        f"{att.a} → {att.b}; đơn vị: triệu đồng; phần đóng góp làm tròn đến triệu đồng "
        "theo phương pháp phần dư lớn nhất (trang “Số chính xác” có phần lẻ)",
        f"dùng {att.orders_used} trong {att.orders_total} thứ tự của các yếu tố",
    ]
    notes += [text_of(n, "vi") for n in att.notes]  # the solver's notes, in Vietnamese
    tables["combinations"] = _combinations_vi(att.combinations, words_vi)
    sheets = {names[k]: v for k, v in tables.items()}
    heads = {names[k]: [words.get(str(c), str(c)) for c in v.columns] for k, v in tables.items()}
    return frames_workbook(
        sheets, title="Phân rã thay đổi giữa hai lần chạy", notes=notes, headers=heads
    )
