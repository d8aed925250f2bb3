"""The one way fiscal writes numbers and money, in English or Vietnamese.

Million VND in, text out: English writes 238,421.5 and Vietnamese 238.421,5, with ``bn VND`` /
``tỷ đồng`` and ``million VND`` / ``triệu đồng``. The command line, the explanations, the
error messages and the app (``fiscal_app``) all write numbers here. Rounding is Python's
(a ``Decimal`` exactly). Two habits differ between the terminal and the app and are chosen by
keyword: ``tidy=True`` writes a value that rounds to zero as ``0`` (no ``-0.0`` or ``+0``; the
app), and ``missing`` is what a NaN is written as.

    >>> money(238_421_000.5, "vi")
    '238.421 tỷ đồng'
    >>> number(1234567.891, 1, "vi")
    '1.234.567,9'
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

__all__ = [
    "BN",
    "TERMINAL_MISSING",
    "UNITS",
    "billions",
    "general",
    "money",
    "number",
    "percent",
    "plain",
    "separators",
    "setting",
]

BN = 1000.0  # million VND per billion VND
UNITS = {
    "en": {"bn": "bn VND", "million": "million VND"},
    "vi": {"bn": "tỷ đồng", "million": "triệu đồng"},
}
TERMINAL_MISSING = "—"  # a NaN in the terminal's reports (the app writes "–")


def separators(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators of a language: ('.', ',') in Vietnamese."""
    return (".", ",") if lang == "vi" else (",", ".")


def number(
    value: Any,
    decimals: int = 0,
    lang: str = "en",
    *,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """``value`` with thousands separators and ``decimals`` decimals, the language's way.

    Rounds as Python's format does (a ``Decimal`` exactly); ``sign`` writes a + on positive
    values; ``tidy`` writes a value that rounds to zero as 0, without sign; None and NaN are
    ``missing``.
    """
    if value is None:
        return missing
    v: float | Decimal = value if isinstance(value, Decimal) else float(value)
    if not (v.is_finite() if isinstance(v, Decimal) else math.isfinite(v)):
        return missing
    if tidy and round(v, decimals) == 0:
        v, sign = (Decimal(0) if isinstance(v, Decimal) else 0.0), False
    text = format(v, f"{'+' if sign else ''},.{decimals}f")
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def plain(value: Any, decimals: int = 6, lang: str = "en", *, tidy: bool = False) -> str:
    """Like :func:`number` with at most ``decimals`` decimals and no trailing zeros: '0.95'."""
    text = number(value, decimals, lang, tidy=tidy)
    _, point = separators(lang)
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text


def percent(
    share: Any,
    decimals: int = 1,
    lang: str = "en",
    *,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """A share (0.031) as a percentage: '3.1%' ('3,1%' in Vietnamese)."""
    if share is None or not math.isfinite(float(share)):
        return missing
    return number(float(share) * 100, decimals, lang, sign=sign, tidy=tidy) + "%"


def billions(
    amount: Any,
    decimals: int | None = None,
    lang: str = "en",
    *,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """An amount of million VND written in billions, without the unit: '238,421'.

    ``decimals`` None: none from 100 bn, one from 1 bn, else three.
    """
    if amount is None or not math.isfinite(float(amount)):
        return missing
    v = float(amount) / BN
    if decimals is None:
        decimals = 0 if abs(v) >= 100 else 1 if abs(v) >= 1 else 3
    return number(v, decimals, lang, sign=sign, tidy=tidy)


def money(
    amount: Any,
    lang: str = "en",
    *,
    unit: str = "bn",
    decimals: int | None = None,
    sign: bool = False,
    tidy: bool = False,
    missing: str = "–",
) -> str:
    """An amount of million VND with its unit: '238,421 bn VND', '238.421 tỷ đồng';
    ``unit="million"``: whole million VND, '1,470,286 million VND'."""
    if amount is None or not math.isfinite(float(amount)):
        return missing
    if unit == "million":
        text = number(amount, decimals or 0, lang, sign=sign, tidy=tidy)
    else:
        text = billions(amount, decimals, lang, sign=sign, tidy=tidy)
    return f"{text} {UNITS.get(lang, UNITS['en'])[unit]}"


def setting(value: Any) -> str:
    """A setting as written in a message or a workbook: 0.95, [0.95, 0.97] per year,
    ``a = 1, b = 2`` for a table, '—' when unset; whole numbers as they are."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return TERMINAL_MISSING
    if isinstance(value, dict):
        return ", ".join(f"{k} = {setting(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(setting(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def general(
    value: Any, digits: int = 5, lang: str = "en", *, sign: bool = False, missing: str = "—"
) -> str:
    """``value`` to ``digits`` significant digits (an index: 0.12345, 1.6628e-08)."""
    if value is None:
        return missing
    v = float(value)
    if not math.isfinite(v):
        return missing if math.isnan(v) else ("inf" if v > 0 else "-inf")
    text = format(v, f"{'+' if sign else ''},.{digits}g")
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
