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

from pathlib import Path

from fiscal.store.approval import Approval
from fiscal.store.codec import json_dumps
from fiscal.store.connection import alembic_config, default_author, default_url
from fiscal.store.records import Event, Outputs, RunInfo

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


class Store(Approval):
    """A run store at a database URL (see the module docstring). Use :func:`open_store`.

    Its parts, by job: :mod:`.connection` (the database, its errors and its schema),
    :mod:`.queries` (saving, reading, the re-solve cache), :mod:`.approval` (the trail);
    :mod:`.records` and :mod:`.codec` (what they read and write), :mod:`.tables` (the schema).
    """


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
