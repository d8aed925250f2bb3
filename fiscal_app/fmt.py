"""Tables in the chosen language's number format (1,234.5 or 1.234,5), still sortable.

The numbers are written by fiscal's one formatter, :mod:`fiscal.prose.numbers`, the way the
app writes them (``tidy``: no ``-0.0``; ``–`` for a missing value). Nothing here imports
Streamlit.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fiscal.prose.numbers import general, number, percent, plain

__all__ = ["styler"]


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
