"""Tables of the Execution and capital page in the language's words and number format.
Nothing here imports Streamlit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from fiscal.prose.execution import column, localise
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr

__all__ = ["styled"]

_PCT = {"q1_share", "max_month_after_q1_share", "share", "p_below_need", "p_breach"}
_DEC = {"points": 1, "factor_mean": 3, "ceiling_ratio": 2}


def styled(frame: pd.DataFrame, t: Tr) -> Any:
    """``frame`` (English column codes) with headers in the language and numbers formatted."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: t("yes"), False: t("no")})
    formats: dict[str, tuple[str, int]] = {}
    for col in out.columns:
        if col in _PCT:
            formats[column(col, t.lang)] = ("pct", 1)
        elif col in _DEC:
            formats[column(col, t.lang)] = ("num", _DEC[col])
        elif pd.api.types.is_numeric_dtype(out[col]) and col != "year":
            formats[column(col, t.lang)] = ("num", 0)
    local = localise(out, t.lang)
    return styler(local, formats, t.lang)
