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

Messages follow one template: what was expected, what was got, where, what to try.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
]


class FiscalError(Exception):
    """Base class of every error a user can cause or act on."""


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


@dataclass
class InfeasibleError(FiscalError):
    """The scenario's rules cannot all hold. ``conflicts`` names them with amounts."""

    message: str
    conflicts: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        lines = [self.message]
        lines += [f"  - {c}" for c in self.conflicts]
        if self.repairs:
            lines.append("Smallest repairs (any one of them is enough):")
            lines += [f"  - {r.description}" for r in self.repairs]
        return "\n".join(lines)


class SolverError(FiscalError):
    """The solver failed, stopped at its time limit, or its answer failed the re-check."""


class ExportError(FiscalError):
    """An export could not be written (nothing partial is left behind)."""


class StoreError(FiscalError):
    """The run store cannot be opened or used, or refuses an operation (see :mod:`fiscal.store`)."""
