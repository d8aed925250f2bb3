"""Messages as codes and parameters, written in English or Vietnamese.

A :class:`Message` is a code (``data.not_number``) and its parameters; it *is* its English
text (a ``str``), so that ``str(err)``, the command line and every caller that reads a message
as text see exactly what they saw before messages had codes. ``message.text("vi")`` writes it in
Vietnamese with Vietnamese numbers (4.630 tỷ đồng). The templates of every code, in both
languages side by side, are in :mod:`fiscal.prose.catalog`.

    >>> m = Message("infeasible.short", year=2026, rule=Term("hold-harmless", "Giữ mức"),
    ...             kind="floor", need=243_051_000.0, envelope=238_421_000.0,
    ...             short=4_630_000.0)
    >>> m.text("vi")  # doctest: +SKIP
    '2026: Giữ mức (mức sàn) cần 243.051 tỷ đồng nhưng tổng mức là 238.421 tỷ đồng (thiếu 4.630 tỷ đồng)'

A template's fields take Python's format specs; a number is then written the language's way
(``{n:,}`` is 1,234 in English and 1.234 in Vietnamese). Named specs write fiscal's own things:

==========  ===================================================================================
``money``   million VND in, ``4,630 bn VND`` / ``4.630 tỷ đồng`` out (``mvnd``: in million VND)
``setting`` a setting's value (0.95, [0.95; 0.97] in Vietnamese); ``plain``: a number to six
            decimals without trailing zeros
``kind``    a rule kind's name; ``objective`` an objective's name
``column``  a unit-table column: 'population' / 'population' (dân số); ``columns``: a list of them
``word``    a word of :data:`fiscal.prose.labels.WORDS` (row, line, none, ...)
``list``    items joined with ', ' (each written the language's way); ``lines``: one per
            line; ``parts``: joined with '; '
==========  ===================================================================================

A parameter that is itself a :class:`Message` or a :class:`Term` (a name with its Vietnamese
form, such as a rule's ``name`` / ``name_vi``) is written in the language too.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from fiscal.prose import labels
from fiscal.prose.catalog import CATALOG
from fiscal.prose.numbers import money, plain

__all__ = ["CATALOG", "Message", "Term", "joined", "render", "suffixed", "text_of"]


class Term(str):
    """A name with its Vietnamese form (a scenario's, a rule's, a source): the ``str`` is the
    English (or the only) text; :meth:`text` gives ``vi`` in Vietnamese when there is one."""

    vi: str | None

    def __new__(cls, en: str, vi: str | None = None) -> Term:
        self = super().__new__(cls, en)
        self.vi = vi or None
        return self

    @property
    def en(self) -> str:
        return str.__str__(self)

    def text(self, lang: str = "en") -> str:
        return self.vi if lang == "vi" and self.vi else self.en

    def __reduce__(self) -> tuple[Any, ...]:
        return (Term, (self.en, self.vi))

    def __repr__(self) -> str:
        return f"Term({self.en!r}, {self.vi!r})"


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    return type(value).__module__ == "numpy" and hasattr(value, "dtype") and value.shape == ()


def _swap(text: str) -> str:
    """1,234.5 → 1.234,5"""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _setting(value: Any, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {_setting(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        sep = "; " if lang == "vi" else ", "
        return "[" + sep.join(_setting(v, lang) for v in value) + "]"
    if isinstance(value, float):
        # a whole amount of money in full (150,000,000), not in the exponent form :g gives it
        text = f"{value:,.0f}" if value.is_integer() and abs(value) >= 1e6 else f"{value:g}"
        return _swap(text) if lang == "vi" else text
    return str(value)


def text_of(value: Any, lang: str) -> str:
    """A value written in ``lang``: a Message or Term in that language, else ``str``."""
    if isinstance(value, Message | Term):
        return value.text(lang)
    return str(value)


#: the specs that join a list: items, lines of a list, parts of one sentence
SEPARATORS = {"list": ", ", "lines": "\n  ", "newlines": "\n", "parts": "; "}


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self.lang
        if format_spec == "money":
            return money(value, lang)
        if format_spec == "mvnd":
            return money(value, lang, unit="million")
        if format_spec == "plain":
            return plain(value, 6, lang)
        if format_spec == "setting":
            return _setting(value, lang)
        if format_spec == "kind":
            return labels.KINDS.get(lang, labels.KINDS["en"]).get(str(value), str(value))
        if format_spec == "objective":
            return labels.OBJECTIVES.get(lang, labels.OBJECTIVES["en"]).get(str(value), str(value))
        if format_spec == "column":
            return labels.column_name(str(value), lang)
        if format_spec == "columns":
            return labels.column_names([str(v) for v in value], lang)
        if format_spec == "word":
            return labels.WORDS.get(lang, labels.WORDS["en"]).get(str(value), str(value))
        if format_spec in SEPARATORS:
            return SEPARATORS[format_spec].join(self.format_field(v, "") for v in value)
        if isinstance(value, Message | Term):
            return format(value.text(lang), format_spec)
        if _is_number(value):
            text = format(value, format_spec)
            return _swap(text) if lang == "vi" else text
        return format(value, format_spec)


_FORMATTERS = {lang: _Formatter(lang) for lang in labels.LANGS}


def render(code: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """The text of message ``code`` with ``params`` in ``lang`` (English if not known)."""
    templates = CATALOG[code]
    template = templates.get(lang) or templates["en"]
    return _FORMATTERS.get(lang, _FORMATTERS["en"]).vformat(template, (), params)


def _rebuild(code: str, params: dict[str, Any]) -> Message:
    return Message(code, **params)


class Message(str):
    """A message code and its parameters; the ``str`` itself is the English text."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Message:
        self = super().__new__(cls, render(code, params, "en"))
        self.code = code
        self.params = params
        return self

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en`` or ``vi``)."""
        return str.__str__(self) if lang == "en" else render(self.code, self.params, lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.code, self.params))

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {str.__repr__(self)})"


def suffixed(text: str, suffix: str) -> str:
    """``text + suffix`` that keeps a :class:`Term` a Term (both its forms suffixed): a place in a
    scenario named by its name in both languages, then a setting (``…: lines.targeted``)."""
    if isinstance(text, Term):
        return Term(text.en + suffix, text.vi + suffix if text.vi else None)
    return text + suffix


def joined(items: Sequence[Any], lang: str, sep: str = ", ") -> str:
    """Items (messages, terms or text) written in ``lang`` and joined."""
    return sep.join(text_of(v, lang) for v in items)
