"""Tables in the chosen language's number format (1,234.5 or 1.234,5), still sortable.

The numbers are written by fiscal's one formatter, :mod:`fiscal.prose.numbers`, the way the
app writes them (``tidy``: no ``-0.0``; ``–`` for a missing value). Nothing here imports
Streamlit.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fiscal.prose.numbers import general, number, percent, plain, separators

__all__ = ["index_change", "styler"]


def styler(frame: pd.DataFrame, formats: dict[str, tuple[str, int]], lang: str) -> Any:
    """A pandas Styler that shows numbers in the language's format and keeps them sortable.

    ``formats`` maps a column to (kind, digits) with kind ``num``, ``plain`` (no trailing
    zeros), ``signed``, ``pct``, ``signed_pct`` or ``general`` (significant digits).
    """
    fns = {}
    for col, (kind, d) in formats.items():
        if col not in frame.columns:
            continue
        if kind == "pct":
            fns[col] = lambda v, d=d: percent(v, d, lang, tidy=True)
        elif kind == "signed_pct":
            fns[col] = lambda v, d=d: percent(v, d, lang, sign=True, tidy=True)
        elif kind == "plain":
            fns[col] = lambda v, d=d: plain(v, d, lang, tidy=True)
        elif kind == "signed":
            fns[col] = lambda v, d=d: number(v, d, lang, sign=True, tidy=True)
        elif kind == "general":
            fns[col] = lambda v, d=d: general(v, d, lang, missing="–")
        else:
            fns[col] = lambda v, d=d: number(v, d, lang, tidy=True)
    return frame.style.format(fns, na_rep="–")


def index_change(delta: Any, shown: list[str], lang: str, digits: int) -> str:
    """A change of an index (Gini, Theil, …) written to the decimals its values are shown with
    (``shown``: 0,24546 and 0,24554 → +0,00008), not to significant digits of its own
    (+8,3484e-05); a change that rounds to nothing has no sign. ``digits`` when no value says."""
    _, point = separators(lang)
    plain_values = [v for v in shown if point in v and "e" not in v]  # 1,6e-08 says nothing
    decimals = max((len(v.split(point)[1]) for v in plain_values), default=digits)
    return number(delta, decimals, lang, sign=True, tidy=True, missing="–")
