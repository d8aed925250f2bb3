"""Finding English left in a Vietnamese page: the words, the exceptions and why.

:func:`english_in` returns the English words of a text shown in Tiếng Việt. A text counts as
English when it holds two or more words of :data:`WORDS` (common English words and the app's
own English vocabulary, none of which is a Vietnamese word), or is made of ASCII words only and
holds one of them (a button left as 'Remove'). Identifiers are not words: a token with a dot,
an underscore, a slash or a digit (``envelope.mode``, ``need_gap``, ``national-2026.toml``), or
in capitals (``CSV``, ``TOML``, ``NQ``), is a name a person types or reads in any language.

Used by the AppTest walk (``tests/test_app_vietnamese.py``) and the browser pass
(``tests/test_browser_vietnamese.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# English words that are not Vietnamese syllables (so not 'an', 'to', 'no', 'in', 'a', 'can',
# 'than': 'can thiệp', 'than đá', 'Than Uyên')
WORDS = frozenset(
    """
    the of and is are was were be been for with from by this that these those not must cannot
    could would should will shall it its has have had which what when where who why how
    then there their they them each every other others only more less above below into
    onto over under between about after before again also any all some such very just
    unit units envelope envelopes rule rules need needs allocation allocated allocate
    scenario scenarios transfer transfers province provinces commune communes floor floors cap
    caps change changes total totals year years share shares baseline formula status quo
    repair repairs infeasible feasible apply remove add edit edited reset download upload
    file files table tables column columns row rows line lines value values number numbers
    setting settings source sources estimated illustrative figures data dataset bundled
    merged predecessors region regions population area gain loss gains losses winners losers
    equal shortfall minimum maximum closest least stability equity blend weight objective
    objectives constraint constraints ledger binding cost costs dual benefits pays description
    why compare trade offs frontier points point map save saved run runs history review
    reviewed approve approved draft author name note version versions attribution factor
    factors selected choose chosen pick keep kept link share shared reproduce command
    support merger cap growth per person capita resources mean absolute reconciles exactly
    differs unknown invalid missing required allowed refused error errors failed problem
    problems warning note notes please click hover open opens show shows step steps final
    amount amounts national nothing none yes true false
    """.split()
)

_TOKEN = re.compile(r"[^\s,;:()\[\]{}“”\"'!?…·=+<>≤≥×|*`]+")


def _is_identifier(token: str) -> bool:
    return (
        any(c in token for c in "._/\\@#%$&") or any(c.isdigit() for c in token) or token.isupper()
    )


def english_in(text: str) -> list[str]:
    """The English words of ``text`` when it reads as English ([] when it does not)."""
    words = []
    plain_ascii = True
    for raw in _TOKEN.findall(str(text)):
        token = raw.strip("-–—.")
        if not token or _is_identifier(token):
            continue
        if not token.isascii():
            plain_ascii = False
            continue
        if token.lower() in WORDS:
            words.append(token)
    if len(set(w.lower() for w in words)) >= 2 or (words and plain_ascii):
        return words
    return []


def english_texts(texts: Iterable[tuple[str, str]]) -> list[str]:
    """``where: text`` of each (where, text) pair that reads as English."""
    out = []
    for where, text in texts:
        found = english_in(text)
        if found:
            out.append(f"{where}: {str(text)[:160]!r} (English: {', '.join(found[:6])})")
    return out
