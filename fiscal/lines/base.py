"""What every allocation rule of a line sees (:class:`LineContext`) and returns
(:class:`Shares`), and the base class a rule kind subclasses (:class:`LineRule`).

A new allocation rule is one module of this package: a :class:`LineRule` subclass with its
``kind`` (the ``rule = "..."`` of ``[lines.<name>]``), registered by :func:`register`, plus
its name in :data:`fiscal.scenario_lines.ALLOCATION_RULES` and in the ``rule`` literal of
:class:`fiscal.scenario_lines.Line`.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from fiscal.errors import ModelError
from fiscal.prose.messages import Message
from fiscal.rounding import largest_remainder

if TYPE_CHECKING:
    from fiscal.results import Result
    from fiscal.scenario_lines import Line

__all__ = [
    "NOT_MONEY",
    "RULES",
    "LineContext",
    "LineRule",
    "Shares",
    "envelopes",
    "is_money_part",
    "register",
    "share_out",
]


@dataclass(frozen=True)
class LineContext:
    """The units and the money already decided when a line is allocated (million VND).

    Shapes: (T, n) for per-year amounts, (n,) for unit attributes. ``earlier`` is the sum of
    the lines allocated before this one (the balancing transfer first); ``kept`` is all revenue
    kept (thu NSĐP được hưởng theo phân cấp, land fees and lottery included), ``capacity`` the
    part the gap is measured with (revenue kept at the rates in force, without them). ``fiscal_class`` is each unit's class in the first
    year (:func:`fiscal.sharing.classify`, or receiving/non-receiving from the balancing
    transfer when the scenario has no ``[sharing]``). ``solve`` is
    :func:`fiscal.pipeline.run_problem`.
    """

    result: Result
    frame: pd.DataFrame
    codes: np.ndarray
    years: list[int]
    kept: np.ndarray
    capacity: np.ndarray
    earlier: np.ndarray
    balancing: np.ndarray
    fiscal_class: np.ndarray
    population: np.ndarray
    unit: float
    base_dir: Path
    where: str  # "lines.<name>" in messages, with the scenario's file
    #: solves a prepared problem into a Result (fiscal.pipeline.run_problem), for rules that
    #: optimise; passed in so that this package does not import the pipeline that calls it
    solve: Callable[..., Any] | None = None
    #: (n,) what each unit's claim counts for when an envelope is shared (a line's priority,
    #: :mod:`fiscal.lines.priority`); None: every claim counts once
    weight: np.ndarray | None = None

    @property
    def T(self) -> int:
        return len(self.years)

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def receiving(self) -> np.ndarray:
        return self.balancing[0] > 0

    def unit_names(self, mask: np.ndarray, limit: int = 5) -> str:
        """'U1 (Unit 1), U3 (Unit 3)' of the units in ``mask``, the first ``limit`` and how many
        more (a Message, so that 'and 2 more' reads in either language)."""
        names = self.frame["name"].astype(str).to_numpy()
        picked = [f"{c} ({names[i]})" for i, c in enumerate(self.codes) if mask[i]]
        listed = ", ".join(picked[:limit])
        if len(picked) <= limit:
            return listed
        more = Message("data.and_more", n=len(picked) - limit)
        return Message("lines.unit_list", units=listed, more=more)


@dataclass
class Shares:
    """What a rule gives: each unit's amount (T, n), and the intermediate figures a person
    needs to follow it (name → (n,) array, in million VND or as a fraction)."""

    amount: np.ndarray
    parts: dict[str, np.ndarray] = field(default_factory=dict)


#: parts of a line that are not money: fractions, points, a priority's flag and factor (each
#: criterion's points is ``points.<indicator>``)
NOT_MONEY = (
    "central_share",
    "points",
    "priority.threshold",
    "priority.ratio",
    "priority.qualifies",
    "priority.factor",
)


def is_money_part(key: str) -> bool:
    """Whether a line's part ``key`` is an amount of money (million VND)."""
    return key not in NOT_MONEY and not key.startswith("points.")


class LineRule(ABC):
    """An allocation rule of a line. Subclasses set ``kind`` and implement :meth:`allocate`."""

    kind: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def allocate(
        cls,
        line: Line,
        ctx: LineContext,
        eligible: np.ndarray,
        pinned: np.ndarray,
        known: np.ndarray,
    ) -> Shares:
        """Each eligible unit's amount of ``line``. ``pinned`` (n,) marks units whose real amount
        ``known`` (T, n) is given; the rule shares what is left among the other eligible units."""


RULES: dict[str, type[LineRule]] = {}


def register(cls: type[LineRule]) -> type[LineRule]:
    """Class decorator: make ``cls`` the rule of ``rule = cls.kind``."""
    if inspect.isabstract(cls):
        raise TypeError(
            f"{cls.__name__} must implement {', '.join(sorted(cls.__abstractmethods__))}"
        )
    RULES[cls.kind] = cls
    return cls


def envelopes(line: Line, ctx: LineContext) -> np.ndarray | None:
    """(T,) the line's envelope each year (grown by ``growth``, later years rounded to the
    unit), or None when the line has none (its amounts are what its rule gives)."""
    if line.envelope is None:
        return None
    years = np.arange(ctx.T)
    out = line.envelope * (1.0 + line.growth) ** years
    out[1:] = np.round(out[1:] / ctx.unit) * ctx.unit
    steps = out[0] / ctx.unit
    if abs(steps - round(steps)) > 1e-6:
        raise ModelError(
            Message("lines.envelope_unit", where=ctx.where, envelope=line.envelope, unit=ctx.unit)
        )
    return out


def share_out(
    raw: np.ndarray,
    line: Line,
    ctx: LineContext,
    eligible: np.ndarray,
    pinned: np.ndarray,
    known: np.ndarray,
) -> np.ndarray:
    """(T, n) amounts from each unit's raw claim ``raw`` (n,): pinned units get their known
    amount; with an envelope the rest of it is shared in proportion to ``raw`` among the other
    eligible units (largest remainder, so the line sums to its envelope to the unit); without
    one each unit gets its claim rounded to the unit (grown by ``growth``). A claim counts
    × ``ctx.weight`` (a line's priority) when it is given."""
    free = eligible & ~pinned
    claim = np.where(free, raw, 0.0)
    if ctx.weight is not None:
        claim = claim * ctx.weight
    env = envelopes(line, ctx)
    out = np.zeros((ctx.T, ctx.n))
    for t in range(ctx.T):
        out[t] = np.where(pinned, known[t], 0.0)
        if env is None:
            grown = claim * (1.0 + line.growth) ** t
            out[t] += np.round(grown / ctx.unit) * ctx.unit
            continue
        rest = env[t] - out[t].sum()
        if rest < -1e-6:
            raise ModelError(
                Message(
                    "lines.known_above",
                    where=ctx.where,
                    known=float(out[t].sum()),
                    envelope=float(env[t]),
                    year=ctx.years[t],
                )
            )
        if rest > 0 and claim.sum() <= 0:
            raise ModelError(Message("lines.no_claims", where=ctx.where, rest=float(rest)))
        if rest > 0:
            out[t] += largest_remainder(rest * claim / claim.sum(), rest, ctx.unit)
    return out
