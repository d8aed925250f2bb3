"""Money in words for the terminal and the English explanations (million VND in, text out)."""

from __future__ import annotations

__all__ = ["BN", "bn", "mvnd"]

BN = 1000.0  # million VND per billion VND


def bn(amount: float) -> str:
    """An amount of million VND written in billions: '238,421 bn VND'."""
    value = amount / BN
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 1 else 3
    return f"{value:,.{digits}f} bn VND"


def mvnd(amount: float) -> str:
    """An amount of million VND, whole: '1,470,286 million VND'."""
    return f"{amount:,.0f} million VND"
