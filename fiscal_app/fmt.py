"""Number formatting for the app: English (1,234.5) or Vietnamese (1.234,5).

Money arrives in million VND (triệu đồng); the app shows billions (tỷ đồng). Nothing here
imports Streamlit.

    >>> number(1234567.891, 1, "vi")
    '1.234.567,9'
    >>> percent(0.0312, 1, "en")
    '3.1%'
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["BN", "bn", "number", "percent", "plain", "separators", "signed", "styler"]

BN = 1000.0  # million VND per billion VND


def separators(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators of a language."""
    return (".", ",") if lang == "vi" else (",", ".")


def number(value: Any, decimals: int = 0, lang: str = "en", *, sign: bool = False) -> str:
    """``value`` with thousands separators and ``decimals`` decimals; '–' for NaN/None."""
    if value is None:
        return "–"
    v = float(value)
    if not math.isfinite(v):
        return "–"
    if round(v, decimals) == 0:
        v, sign = 0.0, False  # no "-0.0" and no "+0"
    text = f"{v:{'+' if sign else ''},.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def plain(value: Any, decimals: int = 6, lang: str = "en") -> str:
    """Like :func:`number` with at most ``decimals`` decimals and no trailing zeros: '0.95'."""
    text = number(value, decimals, lang)
    _, point = separators(lang)
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text


def signed(value: Any, decimals: int = 0, lang: str = "en") -> str:
    """Like :func:`number` with an explicit + for gains."""
    return number(value, decimals, lang, sign=True)


def bn(million_vnd: Any, lang: str = "en", decimals: int | None = None) -> str:
    """An amount of million VND written in billions, with the unit: '238,421 bn VND'."""
    if million_vnd is None or not math.isfinite(float(million_vnd)):
        return "–"
    v = float(million_vnd) / BN
    if decimals is None:
        decimals = 0 if abs(v) >= 100 else 1 if abs(v) >= 1 else 3
    unit = "tỷ đồng" if lang == "vi" else "bn VND"
    return f"{number(v, decimals, lang)} {unit}"


def percent(share: Any, decimals: int = 1, lang: str = "en", *, sign: bool = False) -> str:
    """A share (0.031) as a percentage ('3.1%' or '3,1%')."""
    if share is None or not math.isfinite(float(share)):
        return "–"
    return number(float(share) * 100, decimals, lang, sign=sign) + "%"


def styler(frame: pd.DataFrame, formats: dict[str, tuple[str, int]], lang: str) -> Any:
    """A pandas Styler that shows numbers in the language's format and keeps them sortable.

    ``formats`` maps a column to (kind, decimals) with kind ``num``, ``plain`` (no trailing
    zeros), ``signed``, ``pct`` or ``signed_pct``.
    """
    fns = {}
    for col, (kind, d) in formats.items():
        if col not in frame.columns:
            continue
        if kind == "pct":
            fns[col] = lambda v, d=d: percent(v, d, lang)
        elif kind == "signed_pct":
            fns[col] = lambda v, d=d: percent(v, d, lang, sign=True)
        elif kind == "plain":
            fns[col] = lambda v, d=d: plain(v, d, lang)
        elif kind == "signed":
            fns[col] = lambda v, d=d: signed(v, d, lang)
        else:
            fns[col] = lambda v, d=d: number(v, d, lang)
    return frame.style.format(fns, na_rep="–")
