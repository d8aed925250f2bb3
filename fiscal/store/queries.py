"""The run store's queries: saving a run (its inputs, outputs and provenance, the unit table
once per content), reading runs, outputs, datasets and trails, and the re-solve cache."""

from __future__ import annotations

import builtins
import hashlib
import uuid
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fiscal.errors import StoreError
from fiscal.prose.messages import Message
from fiscal.store import tables as T
from fiscal.store.codec import (
    as_utc,
    from_npy,
    from_parquet,
    ledger_frame,
    plain,
    to_npy,
    to_parquet,
    utc_now,
)
from fiscal.store.connection import Connection, default_author
from fiscal.store.records import Event, Outputs, RunInfo

if TYPE_CHECKING:
    import numpy as np

    from fiscal.data import UnitTable
    from fiscal.results import Result

__all__ = ["Queries"]


class Queries(Connection):
    """Saving and reading runs, and the re-solve cache (the trail's changes: :mod:`.approval`)."""

    # ------------------------------------------------------------------ saving
    def save(
        self,
        result: Result,
        *,
        name: str | None = None,
        note: str = "",
        author: str | None = None,
        parent: int | str | None = None,
    ) -> RunInfo:
        """Save a run as a draft; with ``parent`` it is the next version of that run's lineage."""
        payload = self._payload(result)
        author = (author or default_author()).strip()
        name = (name or result.scenario.name).strip()
        if not author:
            raise StoreError(Message("store.no_author"))
        if not name or len(name) > 200:
            raise StoreError(Message("store.name_length", n=len(name)))
        last: Exception | None = None
        for _attempt in range(8):  # PostgreSQL: two new versions of one lineage at once
            try:
                with self._begin(write=True) as conn:
                    return self._insert(conn, payload, name, note, author, parent)
            except StoreError as exc:
                if "runs_lineage_version" not in str(exc) and "UNIQUE" not in str(exc).upper():
                    raise
                last = exc
        raise StoreError(Message("store.save_retries", store=self.display, last=str(last)))

    def _payload(self, result: Result) -> dict[str, Any]:
        from fiscal.provenance import provenance, result_method
        from fiscal.replay import stated_envelopes
        from fiscal.store.budget import encode as encode_budget

        scen = result.scenario
        units = result.problem.units
        prov = dict(result.provenance) or provenance(
            result.problem, result.backend, result_method(result)
        )
        prov["objective_value"] = result.objective
        toml = scen.to_toml()
        table = result.table
        return {
            "scenario_toml": toml,
            "scenario_sha256": hashlib.sha256(toml.encode("utf-8")).hexdigest(),
            "scenario_name": scen.name,
            "scenario_file": scen.path,
            "level": scen.scenario.level,
            "province": scen.scenario.province,
            "years": list(result.years),
            "objective": result.objective_kind,
            "backend": result.backend,
            "dataset": {
                "sha256": units.data_hash(),
                "level": units.level,
                "source": units.source,
                "population_basis": units.population_basis,
                "notes": list(units.notes),
                "rows": len(units),
                "data": to_parquet(units.frame),
            },
            "fiscal_version": str(prov.get("version", "")),
            "provenance": plain(prov),
            "metrics": plain(dict(result.metrics)),
            "total": float(table["allocation"].sum()),
            "units": int(len(result.problem.codes)),
            "illustrative": bool(result.illustrative),
            "outputs": {
                "table_parquet": to_parquet(table),
                "ledger_parquet": to_parquet(ledger_frame(result)),
                "cells_npy": to_npy(result.cells),
                "exact_npy": to_npy(result.exact),
                "checks": [
                    {"name": c.name, "ok": bool(c.ok), "detail": c.detail} for c in result.checks
                ],
                "envelopes": stated_envelopes(result),
                "budget_npz": None if result.budget is None else encode_budget(result.budget),
            },
        }

    def _insert_new(self, table: sa.Table, row: dict[str, Any], key: str) -> Any:
        """INSERT … ON CONFLICT (key) DO NOTHING: a row another process wrote first stays."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table).values(row).on_conflict_do_nothing(index_elements=[key])
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).values(row).on_conflict_do_nothing(index_elements=[key])

    def _insert_dataset(self, conn: sa.Connection, ds: dict[str, Any]) -> None:
        conn.execute(self._insert_new(T.datasets, {**ds, "created_at": utc_now()}, "sha256"))

    def _insert(
        self,
        conn: sa.Connection,
        p: dict[str, Any],
        name: str,
        note: str,
        author: str,
        parent: int | str | None,
    ) -> RunInfo:
        self._insert_dataset(conn, p["dataset"])
        uid = uuid.uuid4().hex
        if parent is not None:
            par = self._get(conn, parent)
            lineage, parent_id = par.lineage, par.id
            version = (
                int(
                    conn.execute(
                        sa.select(sa.func.max(T.runs.c.version)).where(T.runs.c.lineage == lineage)
                    ).scalar()
                    or 0
                )
                + 1
            )
        else:
            lineage, parent_id, version = uid, None, 1
        row = {k: v for k, v in p.items() if k not in ("dataset", "outputs")}
        row.update(
            uid=uid,
            name=name,
            note=note,
            author=author,
            created_at=utc_now(),
            status="draft",
            parent_id=parent_id,
            lineage=lineage,
            version=version,
            dataset_sha256=p["dataset"]["sha256"],
        )
        run_id = conn.execute(sa.insert(T.runs).values(row).returning(T.runs.c.id)).scalar_one()
        conn.execute(sa.insert(T.run_outputs).values(run_id=run_id, **p["outputs"]))
        # the trail holds actions and people's own words; its sentences are written where shown
        self._event(conn, run_id, author, "saved", note)
        return self._get(conn, run_id)

    def _event(self, conn: sa.Connection, run_id: int, who: str, action: str, detail: str) -> None:
        conn.execute(
            sa.insert(T.run_events).values(
                run_id=run_id, at=utc_now(), who=who, action=action, detail=detail
            )
        )

    # ------------------------------------------------------------------ reading
    def _info(self, row: sa.Row) -> RunInfo:
        d = dict(row._mapping)
        for k in ("created_at", "reviewed_at", "approved_at"):
            d[k] = as_utc(d[k])
        d.pop("scenario_sha256", None)
        return RunInfo(**d)

    def _get(self, conn: sa.Connection, ref: int | str) -> RunInfo:
        q = sa.select(*[c for c in T.runs.c])
        text = str(ref).strip().lstrip("#")
        if text.isdigit():
            row = conn.execute(q.where(T.runs.c.id == int(text))).first()
        else:
            row = conn.execute(q.where(T.runs.c.uid == text)).first()
        if row is None:
            raise StoreError(Message("store.no_run", store=self.display, ref=ref))
        return self._info(row)

    def get(self, ref: int | str) -> RunInfo:
        """A run by id (``12``, ``#12``) or uid."""
        with self._begin() as conn:
            return self._get(conn, ref)

    def list(
        self, *, status: str | None = None, lineage: str | None = None, limit: int | None = None
    ) -> list[RunInfo]:
        """Runs, newest first; filter by status or lineage."""
        q = sa.select(*[c for c in T.runs.c]).order_by(T.runs.c.id.desc())
        if status:
            if status not in T.STATUSES:
                statuses = ", ".join(T.STATUSES)
                raise StoreError(Message("store.bad_status", statuses=statuses, status=status))
            q = q.where(T.runs.c.status == status)
        if lineage:
            q = q.where(T.runs.c.lineage == lineage)
        if limit:
            q = q.limit(limit)
        with self._begin() as conn:
            return [self._info(r) for r in conn.execute(q)]

    def outputs(self, ref: int | str) -> Outputs:
        """A run's stored outputs, decoded."""
        with self._begin() as conn:
            info = self._get(conn, ref)
            row = conn.execute(
                sa.select(T.run_outputs).where(T.run_outputs.c.run_id == info.id)
            ).first()
        if row is None:
            raise StoreError(Message("store.no_outputs", store=self.display, id=info.id))
        m = row._mapping
        return Outputs(
            from_parquet(m["table_parquet"]),
            from_parquet(m["ledger_parquet"]),
            from_npy(m["cells_npy"]),
            from_npy(m["exact_npy"]),
            list(m["checks"]),
            m["envelopes"],
            budget=m["budget_npz"],
        )

    def dataset(self, sha256: str) -> UnitTable:
        """A stored unit table; its hash is checked against the key it was stored under."""
        from fiscal.data import UnitTable

        with self._begin() as conn:
            row = conn.execute(sa.select(T.datasets).where(T.datasets.c.sha256 == sha256)).first()
        if row is None:
            raise StoreError(Message("store.no_dataset", store=self.display, sha=sha256[:12]))
        m = row._mapping
        table = UnitTable(
            from_parquet(m["data"]),
            m["level"],
            m["source"],
            m["population_basis"],
            tuple(m["notes"]),
        )
        if table.data_hash() != sha256:
            raise StoreError(Message("store.dataset_hash", store=self.display, sha=sha256[:12]))
        return table

    def dataset_bytes(self, sha256: str) -> bytes:
        """The stored unit table's canonical CSV (its SHA-256 is the dataset's hash)."""
        return self.dataset(sha256).frame.to_csv(index=False).encode("utf-8")

    def events(self, ref: int | str) -> builtins.list[Event]:
        """A run's trail, oldest first."""
        with self._begin() as conn:
            info = self._get(conn, ref)
            rows = conn.execute(
                sa.select(T.run_events)
                .where(T.run_events.c.run_id == info.id)
                .order_by(T.run_events.c.id)
            ).all()
        return [Event(as_utc(r.at) or utc_now(), r.who, r.action, r.detail) for r in rows]

    def previous_approved(self, ref: int | str) -> RunInfo | None:
        """The latest approved run of the same lineage older than this one (else None)."""
        info = self.get(ref)
        q = (
            sa.select(*[c for c in T.runs.c])
            .where(
                T.runs.c.lineage == info.lineage,
                T.runs.c.status == "approved",
                T.runs.c.version < info.version,
            )
            .order_by(T.runs.c.version.desc())
            .limit(1)
        )
        with self._begin() as conn:
            row = conn.execute(q).first()
        return self._info(row) if row is not None else None

    # ------------------------------------------------------------------ re-solve cache
    def cache_get(self, key: str) -> tuple[str, np.ndarray | None, str] | None:
        """A cached re-solve: (outcome, allocation or None, message)."""
        with self._begin() as conn:
            row = conn.execute(sa.select(T.solve_cache).where(T.solve_cache.c.key == key)).first()
        if row is None:
            return None
        alloc = from_npy(row.allocation_npy) if row.allocation_npy is not None else None
        return row.outcome, alloc, row.message

    def cache_put(
        self, key: str, outcome: str, allocation: np.ndarray | None, message: str
    ) -> None:
        row = {
            "key": key,
            "outcome": outcome,
            "message": message,
            "created_at": utc_now(),
            "allocation_npy": to_npy(allocation) if allocation is not None else None,
        }
        with self._begin(write=True) as conn:
            conn.execute(self._insert_new(T.solve_cache, row, "key"))
