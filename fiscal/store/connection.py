"""The run store's database: where it is (:func:`default_url`), its engine and transactions,
its errors in words, and its schema, created and upgraded by the shipped Alembic migrations
under a lock (:class:`Connection`, the base of :class:`fiscal.store.Store`)."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event

from fiscal.errors import StoreError
from fiscal.prose.messages import Message
from fiscal.store import tables as T

__all__ = ["SUPPORTED", "Connection", "alembic_config", "default_author", "default_url"]

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


class Connection:
    """A run store's database at a URL: the engine, transactions and the schema."""

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

    def __enter__(self) -> Self:
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


def alembic_config() -> Any:
    """The Alembic configuration of the shipped migrations (no ini file)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg
