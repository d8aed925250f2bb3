"""Numbers typed by a person, read the way their language writes them, and written back.

Vietnamese writes 250.000,5 where English writes 250,000.5. :func:`read` accepts the language's
own separators (and plain digits, and spaces between groups of three) through Babel's strict
parser; :func:`entry_text` writes a value for an input box with fiscal's one formatter
(:mod:`fiscal.prose.numbers`); nothing here imports Streamlit.

One pattern is refused rather than guessed: the language's decimal separator followed by exactly
three digits and nothing else ("250,000" in Vietnamese, "250.000" in English). Babel reads it as
a decimal (250), but a person used to the other convention means 250 thousand — a silent error
of a factor of 1,000. When both readings are allowed values of the field, :func:`read` raises
:class:`EntryError` with code ``ambiguous`` and both readings; when the thousands reading is
outside the field's range (a ratio of at most 10 typed as "1,025"), the decimal reading is the
only possible one and is taken.

    >>> read("250.000", "vi", MONEY_BN)
    250000000.0
    >>> read("250000,5", "vi", MONEY_BN)
    250000500.0
    >>> read("250,000", "vi", MONEY_BN)
    Traceback (most recent call last):
    fiscal_app.numbers.EntryError: ambiguous ...
    >>> entry_text(238_421_000, "vi", MONEY_BN)
    '238.421'

Errors carry a code and parameters (numbers already written in the language); the app turns
them into a sentence with ``Tr("entry.<code>")``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

from fiscal.prose.numbers import plain, separators

__all__ = [
    "MONEY_BN",
    "EntryError",
    "Field",
    "column_decimals",
    "echo",
    "entry_text",
    "read",
    "separators",
]

LOCALES = {"en": "en_US", "vi": "vi_VN"}
MAX_DECIMALS = 6
# what a typed number may contain before Babel sees it: a sign, digits, separators, spaces
_ALLOWED = re.compile(r"[+-]?\d[\d.,\s]*")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


class EntryError(ValueError):
    """A typed number that is not accepted: ``code`` names the reason, ``params`` fill the
    message (numbers in them are already written in the language)."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")


@dataclass(frozen=True)
class Field:
    """How one input box reads its number.

    ``scale`` converts what is shown into what the scenario stores (1000: shown in bn VND,
    stored in million VND); ``minimum``/``maximum`` bound the shown value; ``grid`` (stored
    units) makes only whole multiples acceptable (the scenario's rounding unit for an envelope);
    ``unit`` is the label key of the unit written after the echo (``unit.bn``).
    """

    minimum: float | None = None
    maximum: float | None = None
    scale: float = 1.0
    grid: float | None = None
    optional: bool = False
    unit: str | None = None

    def with_grid(self, grid: float | None) -> Field:
        return replace(self, grid=grid)

    def allows(self, shown: Decimal) -> bool:
        return (self.minimum is None or shown >= _dec(self.minimum)) and (
            self.maximum is None or shown <= _dec(self.maximum)
        )


MONEY_BN = Field(minimum=0.0, maximum=1e9, scale=1000.0, unit="unit.bn")


def _dec(value: float | int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def _plain(value: Decimal, lang: str, decimals: int = MAX_DECIMALS) -> str:
    """``value`` written in the language with at most ``decimals`` decimals, no trailing 0s
    (fiscal's one formatter, exact on a Decimal)."""
    return plain(value, decimals, lang, tidy=True)


def _ambiguous_parts(text: str, lang: str) -> tuple[str, str, str] | None:
    """(sign, integer part, three digits) if ``text`` is "d{1,3}<decimal sep>ddd" and nothing else."""
    _, decimal = separators(lang)
    m = re.fullmatch(rf"([+-]?)([1-9]\d{{0,2}}){re.escape(decimal)}(\d{{3}})", text)
    return m.groups() if m else None  # type: ignore[return-value]


def _normalise(text: str, lang: str) -> str:
    """Trim, unify the minus sign, and turn spaces between digit groups into the separator."""
    text = text.strip().replace("\u2212", "-")
    if _SPACES.search(text):
        thousands, _ = separators(lang)
        text = _SPACES.sub(thousands, text)
    return text


def _parse(text: str, lang: str, raw: str) -> Decimal:
    """Babel's strict reading; EntryError('malformed') with a suggestion where one exists."""
    if not _ALLOWED.fullmatch(text):
        raise EntryError("malformed", text=raw, suggestion="")
    try:
        value = parse_decimal(text, locale=_locale(lang), strict=True)
    except (NumberFormatError, InvalidOperation):
        other = "en" if lang == "vi" else "vi"
        suggestion = ""
        try:  # written the other language's way? then say how to write it in this one
            suggestion = _plain(parse_decimal(text, locale=_locale(other), strict=True), lang)
        except (NumberFormatError, InvalidOperation):
            pass
        raise EntryError("malformed", text=raw, suggestion=suggestion) from None
    if not value.is_finite():
        raise EntryError("malformed", text=raw, suggestion="")
    return value


def read(text: str | None, lang: str, field: Field = Field()) -> float | None:
    """The stored value (file units) of what was typed in ``lang``; None for an empty optional
    box. Raises :class:`EntryError` (malformed, ambiguous, empty, below, above, grid)."""
    raw = "" if text is None else str(text)
    typed = _normalise(raw, lang)
    if not typed:
        if field.optional:
            return None
        raise EntryError("empty")
    shown = _parse(typed, lang, raw.strip())
    parts = _ambiguous_parts(typed, lang)
    if parts is not None:
        sign, head, tail = parts
        as_thousands = Decimal(f"{sign}{head}{tail}")
        if field.allows(as_thousands):
            raise EntryError(
                "ambiguous",
                text=raw.strip(),
                as_decimal=_plain(shown, lang),
                as_thousands=_plain(as_thousands, lang),
                decimal_spelling=_unambiguous(shown, lang),
                thousands_spelling=f"{_plain(as_thousands, lang)}",
                digits=f"{sign}{head}{tail}",
            )
    if field.minimum is not None and shown < _dec(field.minimum):
        raise EntryError(
            "below", value=_plain(shown, lang), minimum=_plain(_dec(field.minimum), lang)
        )
    if field.maximum is not None and shown > _dec(field.maximum):
        raise EntryError(
            "above", value=_plain(shown, lang), maximum=_plain(_dec(field.maximum), lang)
        )
    stored = shown * _dec(field.scale)
    if field.grid:
        grid = _dec(field.grid)
        steps = stored / grid
        if steps != steps.to_integral_value():
            lower = steps.to_integral_value(rounding="ROUND_FLOOR") * grid / _dec(field.scale)
            upper = steps.to_integral_value(rounding="ROUND_CEILING") * grid / _dec(field.scale)
            raise EntryError(
                "grid",
                value=_plain(shown, lang, 12),
                step=_plain(grid / _dec(field.scale), lang, 12),
                lower=_plain(lower, lang, 12),
                upper=_plain(upper, lang, 12),
            )
    return float(stored)


def _unambiguous(shown: Decimal, lang: str, decimals: int = MAX_DECIMALS) -> str:
    """The value written so that :func:`read` never finds it ambiguous ("1,125" → "1,1250")."""
    text = _plain(shown, lang, decimals)
    return text + "0" if _ambiguous_parts(text, lang) else text


def entry_text(stored: float | None, lang: str, field: Field = Field()) -> str:
    """What an input box shows for a stored value: the language's separators, no trailing
    zeros, and never a spelling that :func:`read` would refuse as ambiguous."""
    if stored is None:
        return ""
    shown = _dec(stored) / _dec(field.scale)
    text = _plain(shown, lang, _decimals(field))
    parts = _ambiguous_parts(text, lang)
    if parts is not None and field.allows(Decimal("".join(parts))):
        text += "0"
    return text


def echo(stored: float, lang: str, field: Field = Field()) -> str:
    """The value understood, written in the language (without the unit): '250.000,5'."""
    return _plain(_dec(stored) / _dec(field.scale), lang, _decimals(field))


def _decimals(field: Field) -> int:
    """Decimals worth showing: those of the grid in shown units (1 million = 0.001 bn), else 6."""
    if field.grid:
        step = _dec(field.grid) / _dec(field.scale)
        exponent = step.normalize().as_tuple().exponent
        return max(0, -int(exponent)) if isinstance(exponent, int) else MAX_DECIMALS
    return MAX_DECIMALS


def column_decimals(values: Iterable[float], most: int = MAX_DECIMALS) -> int:
    """The one number of decimals a column of values is written with: the fewest (at most
    ``most``) that write every finite value exactly, so that 168.458,0 stands under 187.175,5
    rather than 168.458 (a column has one format, as in a budget table)."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    for d in range(most + 1):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in finite):
            return d
    return most
