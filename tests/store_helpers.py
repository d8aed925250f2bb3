"""Run-store fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL: set ``FISCAL_TEST_POSTGRES_URL`` (``.ci/run`` starts Debian's server and sets it),
e.g. ``postgresql+psycopg://fiscal:fiscal@127.0.0.1/fiscal_test``. Each test gets its own
schema (``search_path``), dropped afterwards. Without the variable the PostgreSQL cases skip
with that hint; with it set and the server unreachable they fail (CI must not pass silently).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

PG_ENV = "FISCAL_TEST_POSTGRES_URL"
PG_HINT = (
    f"PostgreSQL store tests need {PG_ENV}=postgresql+psycopg://fiscal:fiscal@127.0.0.1/"
    "fiscal_test and a running server (as root: pg_ctlcluster 15 main start; see "
    "docs/store.md 'Testing'); .ci/run does this"
)


def pg_admin_url() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL and set it")
        pytest.skip(PG_HINT)
    return url


def _pg_schema_url() -> Iterator[str]:
    import sqlalchemy as sa

    base = pg_admin_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as exc:  # set but unreachable: a failure, never a skip
        pytest.fail(f"{PG_ENV} is set but the server cannot be reached: {exc.orig}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        from fiscal.store import _OPEN

        for key in [k for k in _OPEN if schema in k]:
            _OPEN.pop(key).close()
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> Iterator[str]:
    """A URL of a new, empty store: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
        yield url
        from fiscal.store import _OPEN

        if url in _OPEN:
            _OPEN.pop(url).close()
    else:
        yield from _pg_schema_url()
