"""Runs that are kept: save a result, list, show, compare, attribute, review and approve.

    >>> import fiscal, fiscal.runs as runs
    >>> info = runs.save(fiscal.run("scenarios/national-2026-baseline.toml"), name="v1")
    >>> old = runs.load(info.id)           # no solve: the stored outputs
    >>> old.result.table                   # a Result, as fiscal.run returned it
    >>> runs.diff(1, 2).text()             # like `fiscal compare`, from the store
    >>> runs.attribute(1, 2).words("68")   # 'Lâm Đồng −312.0 bn: data −40.0, envelope +95.0, …'

Every function takes ``store=`` (a :class:`fiscal.store.Store` or a URL); the default is
:func:`fiscal.store.open_store` (``$FISCAL_STORE`` or SQLite in the user's data directory).
A stored run is restored without solving: its scenario, unit table and outputs come from the
store, and only :func:`fiscal.problem.prepare` runs (milliseconds), so a run whose scenario
file is gone still shows, compares and solves again (:meth:`StoredRun.resolve`).
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal.errors import StoreError
from fiscal.prose.messages import Message
from fiscal.replay import restore, solve_inputs
from fiscal.store import Outputs, RunInfo, Store, json_dumps, open_store
from fiscal.store.budget import Unreadable

if TYPE_CHECKING:
    from fiscal.attribution import Attribution
    from fiscal.compare import Comparison
    from fiscal.data import UnitTable
    from fiscal.results import Result
    from fiscal.scenario import Scenario
    from fiscal.store import Event

__all__ = [
    "StoredRun",
    "approval_pack",
    "approve",
    "attribute",
    "diff",
    "list_runs",
    "load",
    "review",
    "save",
]


def _store(store: Store | str | None) -> Store:
    return store if isinstance(store, Store) else open_store(store)


def save(
    result: Result,
    *,
    name: str | None = None,
    note: str = "",
    author: str | None = None,
    parent: int | str | None = None,
    store: Store | str | None = None,
) -> RunInfo:
    """Save ``result`` as a draft run (``parent``: it is the next version of that run)."""
    return _store(store).save(result, name=name, note=note, author=author, parent=parent)


def list_runs(
    *, status: str | None = None, limit: int | None = None, store: Store | str | None = None
) -> list[RunInfo]:
    """Stored runs, newest first."""
    return _store(store).list(status=status, limit=limit)


def load(ref: int | str, store: Store | str | None = None) -> StoredRun:
    """A stored run by id or uid."""
    s = _store(store)
    return StoredRun(s, s.get(ref))


def review(
    ref: int | str, who: str | None = None, note: str = "", store: Store | str | None = None
) -> RunInfo:
    """draft → reviewed (by someone other than the author)."""
    return _store(store).review(ref, who, note)


def approve(
    ref: int | str, who: str | None = None, note: str = "", store: Store | str | None = None
) -> RunInfo:
    """reviewed → approved (by someone other than the author); the run is then immutable."""
    return _store(store).approve(ref, who, note)


class StoredRun:
    """A run from the store: its record, scenario, unit table, outputs and trail."""

    def __init__(self, store: Store, info: RunInfo) -> None:
        self.store = store
        self.info = info

    def __repr__(self) -> str:
        return f"StoredRun({self.info.label()})"

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def label(self) -> str:
        return f"#{self.info.id} {self.info.name}"

    @cached_property
    def scenario(self) -> Scenario:
        """The scenario as it was resolved when the run was saved."""
        from fiscal.scenario import UPLOADED, parse_scenario

        file = self.info.scenario_file  # the file it was run from, if any (not an app's text)
        named = Path(file).name if file and Path(file).name != UPLOADED else None
        return parse_scenario(
            self.info.scenario_toml,
            source=f"run #{self.info.id} (stored scenario)",
            named=named,
        )

    @cached_property
    def units(self) -> UnitTable:
        return self.store.dataset(self.info.dataset_sha256)

    @cached_property
    def outputs(self) -> Outputs:
        return self.store.outputs(self.info.id)

    @property
    def envelopes(self) -> dict[str, list[float]] | None:
        return self.outputs.envelopes

    def events(self) -> list[Event]:
        return self.store.events(self.info.id)

    @cached_property
    def result(self) -> Result:
        """The stored outputs as a :class:`Result` (no solve; ledger and metrics as stored)."""
        from fiscal.results import Check

        out = self.outputs
        info = self.info
        checks = [Check(c["name"], c["ok"], c["detail"]) for c in out.checks]
        try:
            res = restore(
                self.scenario,
                self.units,
                out,
                info.objective,
                info.backend,
                info.provenance.get("objective_value"),
                checks,
            )
        except Unreadable:
            raise StoreError(
                Message("store.budget_damaged", store=self.store.display, id=info.id)
            ) from None
        res.provenance = dict(info.provenance)
        res.__dict__["metrics"] = {
            k: (float("nan") if v is None else v) for k, v in info.metrics.items()
        }
        res.__dict__["constraints"] = out.ledger
        return res

    def allocation(self) -> np.ndarray:
        """Allocation per (year, unit) in the table's order of units, million VND."""
        return _grid(self.outputs.table)

    def resolve(self, backend: str | None = None) -> Result:
        """Solve the stored inputs again (the scenario file and data file are not needed)."""
        return solve_inputs(self.scenario, self.units, self.envelopes, backend=backend)


def _grid(table) -> np.ndarray:
    """allocation as (T, n): years in order, units in the first year's order."""
    years = list(dict.fromkeys(table["year"].tolist()))
    first = table[table["year"] == years[0]]["code"].astype(str).tolist()
    piv = table.assign(code=table["code"].astype(str)).pivot(
        index="year", columns="code", values="allocation"
    )
    return piv.loc[years, first].to_numpy(dtype=float)


# ----------------------------------------------------------------------------- diff, attribute


def diff(a: int | str, b: int | str, *, store: Store | str | None = None) -> Comparison:
    """Two stored runs side by side, as :func:`fiscal.compare.compare` (``a`` is the reference)."""
    from fiscal.compare import compare

    s = _store(store)
    ra, rb = load(a, s), load(b, s)
    if ra.id == rb.id:
        raise StoreError(Message("runs.same_twice", id=ra.id))
    return compare([ra.result, rb.result], labels=[ra.label, rb.label])


def attribute(
    a: int | str,
    b: int | str,
    *,
    store: Store | str | None = None,
    backend: str | None = None,
    progress: Any = None,
) -> Attribution:
    """Why run ``b`` differs from run ``a``, unit by unit (see :mod:`fiscal.attribution`)."""
    from fiscal.attribution import Side, attribute_sides

    s = _store(store)
    ra, rb = load(a, s), load(b, s)
    return attribute_sides(Side.of(ra), Side.of(rb), store=s, backend=backend, progress=progress)


# ----------------------------------------------------------------------------- approval pack


def approval_pack(
    ref: int | str,
    path: str | Path | None = None,
    *,
    store: Store | str | None = None,
    backend: str | None = None,
    lang: str | None = None,
) -> bytes:
    """One zip for the file: the allocation workbook, the resolved scenario, the unit table,
    provenance and trail (JSON), and the attribution against the previous approved run of the
    same lineage (CSV and XLSX) when there is one. Written to ``path`` when given (atomically).
    ``lang`` is the workbooks' and the attribution's words' language
    (:func:`fiscal.workbook.result_workbook`, :meth:`fiscal.attribution.Attribution.to_xlsx`,
    :meth:`~fiscal.attribution.Attribution.text`).
    """
    from fiscal.workbook import result_workbook

    s = _store(store)
    run = load(ref, s)
    info = run.info
    prev = s.previous_approved(info.id)
    stem = f"run-{info.id}"
    files: dict[str, bytes] = {
        f"{stem}-allocation.xlsx": result_workbook(run.result, lang=lang),
        f"{stem}-scenario.toml": info.scenario_toml.encode("utf-8"),
        f"{stem}-units.csv": s.dataset_bytes(info.dataset_sha256),
    }
    record: dict[str, Any] = {
        "run": {k: v for k, v in _info_dict(info).items() if k != "scenario_toml"},
        "trail": [
            {"at": e.at.isoformat(), "who": e.who, "action": e.action, "detail": e.detail}
            for e in run.events()
        ],
        "checks": run.outputs.checks,
        "units_csv_sha256": info.dataset_sha256,
        "store": s.display,
        "attribution_against": None,
    }
    notes = []
    if prev is not None:
        att = attribute(prev.id, info.id, store=s, backend=backend)
        files[f"{stem}-attribution-vs-{prev.id}.csv"] = att.to_csv()
        files[f"{stem}-attribution-vs-{prev.id}.xlsx"] = att.to_xlsx(lang)
        files[f"{stem}-attribution-vs-{prev.id}.txt"] = att.text(lang=lang or "en").encode()
        record["attribution_against"] = {
            "id": prev.id,
            "name": prev.name,
            "version": prev.version,
            "approved_by": prev.approved_by,
            "approved_at": prev.approved_at.isoformat() if prev.approved_at else None,
            "factors": att.factors,
            "notes": att.notes,
        }
    else:
        notes.append("no earlier approved run in this lineage: no attribution")
    if info.status != "approved":
        notes.append(f"this run is {info.status}, not approved")
    record["notes"] = notes
    record["files"] = sorted([*files, f"{stem}-provenance.json"])
    files[f"{stem}-provenance.json"] = json_dumps(record).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info_z = zipfile.ZipInfo(
                name,
                date_time=(
                    info.created_at.year,
                    info.created_at.month,
                    info.created_at.day,
                    0,
                    0,
                    0,
                ),
            )
            info_z.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info_z, files[name])
    data = buf.getvalue()
    if path is not None:
        from fiscal._io import atomic_write

        atomic_write(path, data)
    return data


def _info_dict(info: RunInfo) -> dict[str, Any]:
    from dataclasses import asdict

    d = asdict(info)
    for k in ("created_at", "reviewed_at", "approved_at"):
        d[k] = d[k].isoformat() if d[k] is not None else None
    return json.loads(json_dumps(d))
