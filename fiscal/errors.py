"""The exceptions fiscal raises.

Every error a user can cause is a :class:`FiscalError`; the CLI and the app catch only these
and show the message (never a traceback). The tree::

    FiscalError
    ├── DataError          a unit table is malformed (file, row/unit, column, rule)
    ├── ScenarioError      a scenario file is malformed (file, key path, allowed values)
    ├── ModelError         the scenario is well-formed but cannot be modelled (unknown unit, ...)
    ├── InfeasibleError    the rules conflict; carries the conflict and the smallest repairs
    ├── SolverError        the solver failed, hit its time limit or gave an answer that
    │                      failed the independent re-check
    ├── ExportError        a table could not be written
    └── StoreError         the run store cannot be opened or refuses an operation (a corrupt
                           or foreign database, a newer schema, an approved run's edit)

Messages follow one template: what was expected, what was got, where, what to try. A message
is a :class:`fiscal.prose.messages.Message` (a code and its parameters that *is* its English
text): ``str(err)`` is the English the command line prints, ``err.text("vi")`` the same message
in Vietnamese with Vietnamese numbers, for the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fiscal.prose.messages import Message, text_of

__all__ = [
    "DataError",
    "ExportError",
    "FiscalError",
    "InfeasibleError",
    "ModelError",
    "Repair",
    "ScenarioError",
    "SolverError",
    "StoreError",
    "detail",
    "first_line",
]


class FiscalError(Exception):
    """Base class of every error a user can cause or act on."""

    @property
    def code(self) -> str | None:
        """The message's code (``data.not_number``), None for a message without one."""
        first = self.args[0] if self.args else None
        return first.code if isinstance(first, Message) else None

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en``: ``str(err)``; ``vi``: Vietnamese)."""
        first = self.args[0] if len(self.args) == 1 else None
        return first.text(lang) if isinstance(first, Message) else str(self)


def detail(err: BaseException) -> str:
    """An error's message to put inside another message: its Message (which keeps its code, so
    the outer message reads in either language) or its text."""
    first = err.args[0] if len(err.args) == 1 else None
    if isinstance(err, InfeasibleError) or not isinstance(first, Message):
        return str(err)
    return first


def first_line(err: BaseException) -> str:
    """The first line of an error's message (a sweep's point records it): the Message itself
    when it is one line (so it reads in either language), else the text's first line."""
    first = err.message if isinstance(err, InfeasibleError) else detail(err)
    text = str(first)
    lines = text.splitlines()
    if isinstance(first, Message) and len(lines) <= 1:
        return first
    return lines[0] if lines else text


class DataError(FiscalError):
    """A unit table (CSV/XLSX or bundled) breaks a rule of its schema."""


class ScenarioError(FiscalError):
    """A scenario file is malformed: unknown key, wrong type, value out of range, bad extends."""


class ModelError(FiscalError):
    """A well-formed scenario that cannot be turned into a model (e.g. names an unknown unit)."""


@dataclass(frozen=True)
class Repair:
    """One way to make an infeasible scenario feasible.

    ``path`` is the scenario setting to change (dotted), ``current`` its value now and
    ``value`` the value that makes the scenario feasible (the smallest change of that setting).
    """

    description: str
    path: str
    current: Any
    value: Any

    def text(self, lang: str = "en") -> str:
        """The repair in ``lang`` (the description is a Message when it has a code)."""
        return text_of(self.description, lang)


@dataclass
class InfeasibleError(FiscalError):
    """The scenario's rules cannot all hold. ``conflicts`` names them with amounts."""

    message: str
    conflicts: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.text("en")

    @property
    def code(self) -> str | None:
        return self.message.code if isinstance(self.message, Message) else None

    def text(self, lang: str = "en") -> str:
        """The message, the conflicts and the repairs in ``lang``."""
        lines = [text_of(self.message, lang)]
        lines += [f"  - {text_of(c, lang)}" for c in self.conflicts]
        if self.repairs:
            lines.append(text_of(Message("infeasible.repairs"), lang))
            lines += [f"  - {r.text(lang)}" for r in self.repairs]
        return "\n".join(lines)


class SolverError(FiscalError):
    """The solver failed, stopped at its time limit, or its answer failed the re-check."""


class ExportError(FiscalError):
    """An export could not be written (nothing partial is left behind)."""


class StoreError(FiscalError):
    """The run store cannot be opened or used, or refuses an operation (see :mod:`fiscal.store`)."""
