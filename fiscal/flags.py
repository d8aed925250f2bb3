"""Why a unit's amount is where it is, as codes: :class:`Flag` and the masks of a result.

A rule marks the units whose (rounded) amount sits on one of its bounds with a :class:`Flag`
(:meth:`fiscal.rules.base.Rule.flags`); :func:`fiscal.results.unit_flags` collects the marks
in the rules' order into :class:`Flags`, one boolean mask (T, n) per rule and flag. Metrics,
the command line and the app read the masks (``flags.mask(Flag.LOWER)``), never words; the
words of a flag, in English or Vietnamese, are in :mod:`fiscal.prose.labels`, and the ``flags``
column of a result table is written from the codes by :func:`fiscal.prose.flag_column`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

import numpy as np

__all__ = ["HELD", "Flag", "FlagMark", "Flags"]


class Flag(enum.Enum):
    """What holds a unit's amount (the rule's kind and name travel with the mark)."""

    LOWER = "lower"  # on a rule's lower bound: held up (floor, per-capita minimum)
    UPPER = "upper"  # on a rule's upper bound: held down (cap)
    BAND = "band"  # on a band around last year's amount (transition): up or down
    BELOW = "below"  # a soft rule gives way: below its lower bound
    ABOVE = "above"  # a soft rule gives way: above its upper bound
    SUPPORT = "support"  # receives one-off merger support (first year)


#: the flags of a unit held by a rule on its own amount (``years_to_formula`` counts them)
HELD = (Flag.LOWER, Flag.UPPER, Flag.BAND)


@dataclass(frozen=True)
class FlagMark:
    """Where (T, n) one rule puts one flag."""

    flag: Flag
    kind: str  # the rule's kind ("" for merger support, which no one rule row holds)
    rule: str  # the rule's name
    where: np.ndarray  # (T, n) bool


@dataclass(frozen=True)
class Flags:
    """Every mark of a result, in the order the rules made them."""

    shape: tuple[int, int]  # (T, n)
    marks: tuple[FlagMark, ...] = ()

    def mask(self, *flags: Flag) -> np.ndarray:
        """(T, n): where any of ``flags`` is set (by any rule)."""
        out = np.zeros(self.shape, dtype=bool)
        for m in self.marks:
            if m.flag in flags:
                out |= m.where
        return out

    def at(self, t: int, i: int) -> list[FlagMark]:
        """The marks set on unit ``i`` in year ``t``, in order."""
        return [m for m in self.marks if m.where[t, i]]

    def year(self, t: int) -> Flags:
        """The marks of year ``t`` alone (shape (1, n))."""
        n = self.shape[1]
        return Flags((1, n), tuple(replace(m, where=m.where[t : t + 1]) for m in self.marks))
