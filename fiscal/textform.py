"""One text form for everything that enters, and safe text for everything printed.

Every string that enters fiscal — scenario keys and values, unit-table headers and cells,
uploads, command-line arguments, the app's link parameters — is put in one form at the
boundary by :func:`clean`:

* ANSI escape sequences (``ESC [ 31 m``, ``ESC ] … BEL``) are removed whole;
* line breaks (``CR``, ``LF``, ``CR LF``, ``U+2028``…) and tabs become one space (in free text,
  ``multiline=True``, line breaks become ``LF`` and tabs stay);
* every other control character (Unicode category Cc: NUL, BEL, ESC, DEL, C1) and every format
  character (Cf: zero-width spaces and joiners, bidi overrides and isolates, soft hyphens,
  the byte-order mark) is removed;
* other spaces (no-break, thin, ideographic: Zs) become an ordinary space;
* the text is put in Unicode normal form C (NFC), the composed form of the bundled data.

So ``"xa\\u0303"`` (``xã`` typed decomposed, as some Mac and web tools produce) and ``"x\\u200bã"``
are ``"xã"``. Compatibility variants (full-width letters, ``ﬁ``) are left as typed: NFC keeps
them, and :func:`fold` finds them when they stand where a known value was meant.

:func:`for_terminal` is the other direction: every line the ``fiscal`` command prints goes
through it, so text from data (a unit name, a file name, an argument) can never move the
cursor, change colours or reorder a line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

__all__ = ["clean", "clean_data", "fold", "for_terminal", "path_forms"]

# CSI (ESC [ or C1 0x9b, parameters, final byte), OSC (ESC ] … BEL or ST), other ESC pairs; a
# terminal acts on C0 controls and ignores DEL inside a sequence, so they do not end one here
_C0 = r"\x00-\x1a\x1c-\x1f\x7f"
_ANSI = re.compile(
    rf"(?:\x1b\[|\x9b)[0-?{_C0}]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]"
)
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def clean(text: str, *, multiline: bool = False) -> str:
    """``text`` in the one text form (see the module docstring); idempotent."""
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to do
    # format characters first: a zero-width space inside an escape sequence must not save it
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    out = []
    for ch in text:
        if ch in _BREAKS:
            out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append("\t" if multiline else " ")
        else:
            cat = unicodedata.category(ch)
            if cat in ("Cc", "Cf"):
                continue
            out.append(" " if cat == "Zs" else ch)
    return unicodedata.normalize("NFC", "".join(out))


def clean_data(value: Any, source: str = "", path: str = "") -> Any:
    """Plain data (parsed TOML or JSON) with every key and string in the one text form.

    Keys are single-line and stripped; string values keep their line breaks (descriptions).
    Two keys of one table that become the same text (``"xã"`` typed composed and decomposed)
    are refused with ``ValueError`` naming both, since one would silently replace the other.
    """
    if isinstance(value, str):
        return clean(value, multiline=True)
    if isinstance(value, list):
        return [clean_data(v, source, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        typed: dict[Any, Any] = {}
        for k, v in value.items():
            key = clean(k).strip() if isinstance(k, str) else k
            where = f"{path}.{key}" if path else str(key)
            if key in out:
                first, second = (_escaped(typed[key]), _escaped(k))
                from fiscal.prose.messages import Message  # textform loads nothing else

                raise ValueError(
                    Message(
                        "text.two_forms",
                        source=f"{source}: " if source else "",
                        first=first,
                        second=second,
                        path=path,
                        where=Message("text.in_path", path=path) if path else "",
                        key=key,
                    )
                )
            typed[key] = k
            out[key] = clean_data(v, source, where)
        return out
    return value


def _escaped(text: Any) -> str:
    """``text`` with combining marks and invisible characters as escapes ('xa\\u0303')."""
    text = str(text)
    if text == clean(text):
        return text
    return "".join(
        f"\\u{ord(ch):04x}"
        if unicodedata.combining(ch) or (ch != " " and unicodedata.category(ch) in _INVISIBLE)
        else ch
        for ch in text
    )


_INVISIBLE = ("Cc", "Cf", "Zs", "Zl", "Zp")


def fold(text: str) -> str:
    """A loose key for spotting lookalikes: compatibility forms, case, diacritics and spacing
    removed (``"Xã  Tân Lập"``, ``"xa tan lap"`` and ``"ｘã tân lập"`` fold alike)."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def path_forms(path: str | PurePath) -> list[Path]:
    """``path`` as given, then in the one text form and decomposed (NFD), without repeats.

    A file name is looked up as typed first: on Linux a name is bytes, and a file saved by a Mac
    tool may be named in NFD while the scenario that names it was cleaned to NFC (or the other
    way round), so the loaders try each form before saying that a file does not exist.
    """
    text = str(path)
    forms = [text, clean(text), unicodedata.normalize("NFD", clean(text))]
    return [Path(f) for f in dict.fromkeys(forms)]


_UNSAFE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


def for_terminal(text: str) -> str:
    """``text`` safe to print: control and format characters shown as escapes (``\\x1b``).

    Line feeds are kept (the command's own line structure) and tabs too; everything else that
    a terminal would act on — ESC, BEL, CR, backspace, DEL, C1 codes, bidi overrides and
    isolates, zero-width characters, line and paragraph separators — is written as a visible
    ``\\xNN`` or ``\\uNNNN`` escape, so the reader sees that it was there.
    """
    if text.isascii() and all(" " <= ch < "\x7f" or ch in "\n\t" for ch in text):
        return text
    out = []
    for ch in text:
        if ch in "\n\t" or unicodedata.category(ch) not in _UNSAFE_CATEGORIES:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)
