"""The run store's records: a run as listed (:class:`RunInfo`), a line of its trail
(:class:`Event`) and its outputs, decoded (:class:`Outputs`)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fiscal.prose.messages import Message

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["Event", "Outputs", "RunInfo"]


@dataclass(frozen=True)
class RunInfo:
    """One stored run's record (no outputs): what the list and the trail show."""

    id: int
    uid: str
    name: str
    note: str
    author: str
    created_at: _dt.datetime
    status: str
    reviewed_by: str | None
    reviewed_at: _dt.datetime | None
    approved_by: str | None
    approved_at: _dt.datetime | None
    parent_id: int | None
    lineage: str
    version: int
    scenario_name: str
    scenario_file: str | None
    scenario_toml: str
    level: str
    province: str | None
    years: list[int]
    objective: str
    backend: str
    dataset_sha256: str
    fiscal_version: str
    provenance: dict[str, Any]
    metrics: dict[str, Any]
    total: float
    units: int
    illustrative: bool

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    def label(self) -> str:
        """'#12 draft 1 (v2, approved)' — how lists and messages name a run."""
        return self.label_text()

    def label_text(self) -> Message:
        """:meth:`label` as a message (its status in words in either language)."""
        return Message(
            "store.run_label", id=self.id, name=self.name, version=self.version, status=self.status
        )


@dataclass(frozen=True)
class Event:
    """One line of a run's trail."""

    at: _dt.datetime
    who: str
    action: str
    detail: str


@dataclass
class Outputs:
    """A run's stored outputs, decoded."""

    table: pd.DataFrame
    ledger: pd.DataFrame
    cells: np.ndarray
    exact: np.ndarray
    checks: list[dict[str, Any]]
    envelopes: dict[str, list[float]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: the run's whole budget (:mod:`fiscal.store.budget`); None without lines or before 0002
    budget: bytes | None = None
