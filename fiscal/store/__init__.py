"""The run store: saved runs, their inputs and outputs, and the approval trail, in a database.

    >>> from fiscal.store import open_store
    >>> store = open_store()                       # SQLite in the user's data directory
    >>> info = store.save(result, name="draft 1", note="new norms", author="lan")
    >>> store.review(info.id, who="minh"); store.approve(info.id, who="hoa")

Where: ``open_store(url)``, else ``$FISCAL_STORE`` (a URL or a file path), else
``<user data dir>/fiscal/runs.sqlite`` (platformdirs; ``$XDG_DATA_HOME`` on Linux). A team
shares one PostgreSQL database: ``postgresql+psycopg://user:password@host/dbname``.

What a run keeps: the scenario as resolved (``Scenario.to_toml()``, no ``extends``), the unit
table (Parquet, stored once per content hash: the SHA-256 of its canonical CSV, as in the
result's provenance), solver and package versions, the result table, metrics, constraint
ledger, rounded and exact cells, the re-check and, for commune runs whose envelope came from
another scenario, each province's envelope. That is enough to show and compare a run without
solving it again, and to solve it again when its files are gone (:mod:`fiscal.runs`).

The schema is created and upgraded by Alembic migrations shipped in ``migrations/`` and run on
first use under a lock (SQLite: an immediate transaction; PostgreSQL: an advisory lock), so
two processes opening a new store at once do not collide. A store written by a newer fiscal,
a file that is not SQLite, a damaged file and a database holding someone else's tables are
refused with a message naming the store and what to do.

Approval: draft → reviewed → approved (see :meth:`Store.review`, :meth:`Store.approve`). An
approved run is immutable: the store refuses, and database triggers refuse too (an UPDATE or
DELETE of an approved run, its outputs or its trail fails even from a SQL prompt).
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as _dt
import getpass
import hashlib
import io
import json
import math
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event

from fiscal.errors import StoreError
from fiscal.prose.messages import Message
from fiscal.store import tables as T

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from fiscal.data import UnitTable
    from fiscal.results import Result

__all__ = [
    "Event",
    "Outputs",
    "RunInfo",
    "Store",
    "alembic_config",
    "default_author",
    "default_url",
    "json_dumps",
    "open_store",
]

SUPPORTED = ("sqlite", "postgresql")
_PG_LOCK = 0x46495343  # "FISC": the advisory lock held while migrating a PostgreSQL store
_SQLITE_MAGIC = b"SQLite format 3\x00"


def default_url() -> str:
    """``$FISCAL_STORE`` (URL or file path), else SQLite in the user's data directory."""
    env = os.environ.get("FISCAL_STORE", "").strip()
    if env:
        return env if "://" in env else f"sqlite:///{Path(env).expanduser().resolve()}"
    import platformdirs

    folder = Path(platformdirs.user_data_dir("fiscal", appauthor=False))
    return f"sqlite:///{folder / 'runs.sqlite'}"


def default_author() -> str:
    """``$FISCAL_AUTHOR``, else the login name."""
    who = os.environ.get("FISCAL_AUTHOR", "").strip()
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without /etc/passwd entry)
        return "unknown"


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0)


def _utc(v: _dt.datetime | None) -> _dt.datetime | None:
    """A time from the database as UTC (SQLite returns naive times)."""
    if v is None:
        return None
    return v.replace(tzinfo=_dt.UTC) if v.tzinfo is None else v.astimezone(_dt.UTC)


def _plain(v: Any) -> Any:
    """JSON-safe: numpy scalars to Python, non-finite floats to None."""
    if hasattr(v, "item") and not isinstance(v, list | dict | str):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


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


# ----------------------------------------------------------------------------- encoding


def _parquet(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, compression="zstd")
    return buf.getvalue()


def _unparquet(data: bytes) -> pd.DataFrame:
    import pandas as pd

    return pd.read_parquet(io.BytesIO(data))


def _npy(a: np.ndarray) -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def _unnpy(data: bytes) -> np.ndarray:
    import numpy as np

    return np.load(io.BytesIO(data))  # numpy's default refuses pickled objects


def _ledger_frame(result: Result) -> pd.DataFrame:
    led = result.constraints.copy()
    for col in led.columns:  # lists and mixed objects as text: Parquet wants one type a column
        if led[col].dtype == object:
            led[col] = led[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return led


# ----------------------------------------------------------------------------- the store


class Store:
    """A run store at a database URL (see the module docstring). Use :func:`open_store`."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        try:
            self._url = sa.engine.make_url(url)
        except sa.exc.ArgumentError:
            raise StoreError(Message("store.bad_url", url=url)) from None
        self.dialect = self._url.get_backend_name()
        self.display = self._display()
        if self.dialect not in SUPPORTED:
            raise StoreError(Message("store.dialect", store=self.display, dialect=self.dialect))
        self.engine = self._engine()
        if migrate:
            self._prepare_schema()

    # ------------------------------------------------------------------ connection
    def _display(self) -> str:
        if self.dialect == "sqlite":
            return self._url.database or ":memory:"
        return self._url.render_as_string(hide_password=True)

    def _engine(self) -> sa.Engine:
        if self.dialect == "sqlite":
            path = self._url.database
            if path and path != ":memory:":
                self._check_sqlite_file(Path(path))
            engine = sa.create_engine(self._url, connect_args={"timeout": 60})

            @event.listens_for(engine, "connect")
            def _connect(dbapi, _record):  # pragma: no cover - exercised by every sqlite test
                dbapi.isolation_level = None  # SQLAlchemy emits BEGIN (below), not pysqlite
                cur = dbapi.cursor()
                cur.execute("PRAGMA busy_timeout = 60000")
                cur.execute("PRAGMA foreign_keys = ON")
                cur.execute("PRAGMA journal_mode = WAL")
                cur.close()

            @event.listens_for(engine, "begin")
            def _begin(conn):  # writers queue at BEGIN instead of failing at COMMIT
                write = conn.get_execution_options().get("fiscal_write", False)
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

            return engine
        try:
            return sa.create_engine(self._url, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError(
                Message("store.no_driver", store=self.display, module=exc.name)
            ) from None

    def _check_sqlite_file(self, path: Path) -> None:
        if path.is_dir():
            example = str(path / "runs.sqlite")
            raise StoreError(Message("store.is_folder", path=str(path), example=example))
        if not path.parent.is_dir():
            if self.url == default_url():
                path.parent.mkdir(parents=True, exist_ok=True)
            else:
                raise StoreError(
                    Message("store.no_folder", path=str(path), folder=str(path.parent))
                )
        if path.is_file() and path.stat().st_size > 0:
            with path.open("rb") as f:
                head = f.read(16)
            if head != _SQLITE_MAGIC:
                raise StoreError(Message("store.not_sqlite", path=str(path), head=head[:8]))

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Database errors as StoreError naming the store, what failed and what to do."""
        try:
            yield
        except StoreError:
            raise
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            low = reason.lower()
            if "not a database" in low or "malformed" in low or "file is encrypted" in low:
                advice = Message("store.advice_damaged")
            elif (
                "immutable" in low
                or "written once" in low
                or "cannot be deleted" in low
                or "append-only" in low
            ):
                advice = Message("store.advice_guard")
            elif isinstance(exc, sa.exc.OperationalError) and self.dialect == "postgresql":
                advice = Message("store.advice_server")
            elif "locked" in low or "busy" in low:
                advice = Message("store.advice_busy")
            else:
                advice = Message("store.advice_docs")
            m = Message(
                "store.failed", store=self.display, doing=doing, reason=reason, advice=advice
            )
            raise StoreError(m) from None

    @contextlib.contextmanager
    def _begin(self, write: bool = False) -> Iterator[sa.Connection]:
        with self._errors("writing" if write else "reading"), self.engine.connect() as conn:
            if write:
                conn = conn.execution_options(fiscal_write=True)
            with conn.begin():
                yield conn

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema
    def _state(self, conn: sa.Connection) -> str | None:
        """The schema revision, or None for an empty database; refuses foreign databases."""
        names = set(sa.inspect(conn).get_table_names())
        if not names:
            return None
        app = None
        if "fiscal_meta" in names:
            app = conn.execute(
                sa.select(T.fiscal_meta.c.value).where(T.fiscal_meta.c.key == "application")
            ).scalar()
        if app != T.APPLICATION or "alembic_version" not in names:
            shown = ", ".join(sorted(names)[:8]) + (", …" if len(names) > 8 else "")
            raise StoreError(Message("store.foreign", store=self.display, shown=shown))
        revs = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
        return revs[0] if revs else None

    def _prepare_schema(self) -> None:
        with self._errors("opening"), self.engine.connect() as conn:
            with conn.begin():
                rev = self._state(conn)
            if rev == T.SCHEMA_HEAD:
                return
        with self._begin(write=True) as conn:
            if self.dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
            rev = self._state(conn)  # again, under the lock: another process may have migrated
            if rev == T.SCHEMA_HEAD:
                return
            from alembic import command
            from alembic.script import ScriptDirectory
            from alembic.util.exc import CommandError

            cfg = alembic_config()
            if rev is not None:
                try:
                    ScriptDirectory.from_config(cfg).get_revision(rev)
                except CommandError:
                    from fiscal import __version__

                    m = Message(
                        "store.newer",
                        store=self.display,
                        rev=rev,
                        version=__version__,
                        head=T.SCHEMA_HEAD,
                    )
                    raise StoreError(m) from None
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @property
    def revision(self) -> str | None:
        """The store's schema revision."""
        with self._begin() as conn:
            return self._state(conn)

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
                "data": _parquet(units.frame),
            },
            "fiscal_version": str(prov.get("version", "")),
            "provenance": _plain(prov),
            "metrics": _plain(dict(result.metrics)),
            "total": float(table["allocation"].sum()),
            "units": int(len(result.problem.codes)),
            "illustrative": bool(result.illustrative),
            "outputs": {
                "table_parquet": _parquet(table),
                "ledger_parquet": _parquet(_ledger_frame(result)),
                "cells_npy": _npy(result.cells),
                "exact_npy": _npy(result.exact),
                "checks": [
                    {"name": c.name, "ok": bool(c.ok), "detail": c.detail} for c in result.checks
                ],
                "envelopes": stated_envelopes(result),
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
        conn.execute(self._insert_new(T.datasets, {**ds, "created_at": _now()}, "sha256"))

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
            created_at=_now(),
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
                run_id=run_id, at=_now(), who=who, action=action, detail=detail
            )
        )

    # ------------------------------------------------------------------ reading
    def _info(self, row: sa.Row) -> RunInfo:
        d = dict(row._mapping)
        for k in ("created_at", "reviewed_at", "approved_at"):
            d[k] = _utc(d[k])
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
            _unparquet(m["table_parquet"]),
            _unparquet(m["ledger_parquet"]),
            _unnpy(m["cells_npy"]),
            _unnpy(m["exact_npy"]),
            list(m["checks"]),
            m["envelopes"],
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
            _unparquet(m["data"]), m["level"], m["source"], m["population_basis"], tuple(m["notes"])
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
        return [Event(_utc(r.at) or _now(), r.who, r.action, r.detail) for r in rows]

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

    # ------------------------------------------------------------------ the trail
    def _transition(self, ref: int | str, who: str | None, action: str, note: str) -> RunInfo:
        who = (who or default_author()).strip()
        if not who:
            raise StoreError(Message("store.say_who", action=action))
        with self._begin(write=True) as conn:
            info = self._get(conn, ref)
            want = {"review": "draft", "approve": "reviewed"}[action]
            if info.status != want:
                hint = Message(f"store.hint_{info.status}")
                m = Message(
                    "store.wrong_status",
                    action=action,
                    run=info.label_text(),
                    status=info.status,
                    want=want,
                    hint=hint,
                )
                raise StoreError(m)
            if who == info.author:
                m = Message("store.own_run", action=action, run=info.label_text(), who=who)
                raise StoreError(m)
            now = _now()
            if action == "review":
                values = {"status": "reviewed", "reviewed_by": who, "reviewed_at": now}
            else:
                values = {"status": "approved", "approved_by": who, "approved_at": now}
            # the WHERE on status makes the change conditional: a concurrent change wins once
            done = conn.execute(
                sa.update(T.runs)
                .where(T.runs.c.id == info.id, T.runs.c.status == want)
                .values(**values)
            )
            if done.rowcount != 1:
                raise StoreError(Message("store.changed", run=info.label_text()))
            self._event(
                conn, info.id, who, action + "d" if action == "approve" else "reviewed", note
            )
            return self._get(conn, info.id)

    def review(self, ref: int | str, who: str | None = None, note: str = "") -> RunInfo:
        """draft → reviewed, by someone other than the author."""
        return self._transition(ref, who, "review", note)

    def approve(self, ref: int | str, who: str | None = None, note: str = "") -> RunInfo:
        """reviewed → approved, by someone other than the author; the run is then immutable."""
        return self._transition(ref, who, "approve", note)

    def edit(
        self,
        ref: int | str,
        *,
        name: str | None = None,
        note: str | None = None,
        who: str | None = None,
    ) -> RunInfo:
        """Change a draft's or reviewed run's name or note; a reviewed run returns to draft."""
        who = (who or default_author()).strip()
        with self._begin(write=True) as conn:
            info = self._get(conn, ref)
            if info.approved:
                raise StoreError(Message("store.immutable", run=info.label_text()))
            values: dict[str, Any] = {}
            events = []  # (action, detail): the new name or note, as typed
            if name is not None and name.strip() != info.name:
                if not name.strip() or len(name.strip()) > 200:
                    raise StoreError(Message("store.name_length_bare"))
                values["name"] = name.strip()
                events.append(("renamed", f"{info.name} → {name.strip()}"))
            if note is not None and note != info.note:
                values["note"] = note
                events.append(("noted", note))
            if not values:
                return info
            if info.status == "reviewed":  # the review was of the run as it was
                values.update(status="draft", reviewed_by=None, reviewed_at=None)
                events.append(("review withdrawn", ""))
            conn.execute(sa.update(T.runs).where(T.runs.c.id == info.id).values(**values))
            for action, detail in events:
                self._event(conn, info.id, who, action, detail)
            return self._get(conn, info.id)

    def delete(self, ref: int | str) -> None:
        """Delete a draft that no other run builds on (reviewed and approved runs stay)."""
        with self._begin(write=True) as conn:
            info = self._get(conn, ref)
            if info.status != "draft":
                m = Message("store.delete_status", run=info.label_text(), status=info.status)
                raise StoreError(m)
            child = conn.execute(
                sa.select(T.runs.c.id).where(T.runs.c.parent_id == info.id)
            ).first()
            if child is not None:
                raise StoreError(
                    Message("store.delete_child", run=info.label_text(), child=child[0])
                )
            for table in (T.run_events, T.run_outputs):
                conn.execute(sa.delete(table).where(table.c.run_id == info.id))
            conn.execute(sa.delete(T.runs).where(T.runs.c.id == info.id))

    # ------------------------------------------------------------------ re-solve cache
    def cache_get(self, key: str) -> tuple[str, np.ndarray | None, str] | None:
        """A cached re-solve: (outcome, allocation or None, message)."""
        with self._begin() as conn:
            row = conn.execute(sa.select(T.solve_cache).where(T.solve_cache.c.key == key)).first()
        if row is None:
            return None
        alloc = _unnpy(row.allocation_npy) if row.allocation_npy is not None else None
        return row.outcome, alloc, row.message

    def cache_put(
        self, key: str, outcome: str, allocation: np.ndarray | None, message: str
    ) -> None:
        row = {
            "key": key,
            "outcome": outcome,
            "message": message,
            "created_at": _now(),
            "allocation_npy": _npy(allocation) if allocation is not None else None,
        }
        with self._begin(write=True) as conn:
            conn.execute(self._insert_new(T.solve_cache, row, "key"))


def alembic_config() -> Any:
    """The Alembic configuration of the shipped migrations (no ini file)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


_OPEN: dict[str, Store] = {}


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: :func:`default_url`), migrated to this fiscal's schema.

    Stores are kept open per URL within a process (the app's sessions share one).
    """
    url = url or default_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    store = _OPEN.get(url)
    if store is None:
        store = _OPEN[url] = Store(url)
    return store


def json_dumps(v: Any) -> str:
    """JSON text of plain data (non-finite floats as null)."""
    return json.dumps(_plain(v), ensure_ascii=False, indent=2, default=str)
