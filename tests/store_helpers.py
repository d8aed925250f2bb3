"""Run-store fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL: set ``FISCAL_TEST_POSTGRES_URL`` (``.ci/run`` starts Debian's server and sets it),
e.g. ``postgresql+psycopg://fiscal:fiscal@127.0.0.1/fiscal_test``. Each test gets its own
schema (``search_path``), dropped afterwards. Without the variable the PostgreSQL cases skip
with that hint; with it set and the server unreachable they fail (CI must not pass silently).
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

import fiscal
from fiscal.scenario import bundled_scenarios_dir

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
        pytest.skip(reason=PG_HINT)
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


SCEN = bundled_scenarios_dir()


@functools.cache
def changes() -> dict[str, tuple[str, int]]:
    """Each unit's 2026 change (name, million VND) from the baseline to the revised norms."""
    a = fiscal.run(SCEN / "national-2026-baseline.toml").table.set_index("code")
    b = fiscal.run(SCEN / "national-2026-new-norms.toml").table.set_index("code")
    delta = b["allocation"] - a["allocation"]
    return {str(c): (str(a.loc[c, "name"]), int(delta[c])) for c in a.index}


def largest_change() -> str:
    """The code of the unit whose allocation changes most (the History page lists it first)."""
    return max(changes(), key=lambda c: abs(changes()[c][1]))


def change_words(code: str = "68", lang: str = "en") -> str:
    """The sentence for a unit when only the norms differ: the whole change is the norms'.

    Written out independently of fiscal.attribution: whole billions (the change is at least
    100 bn), a true minus sign, Vietnamese separators in Vietnamese.
    """
    name, change = changes()[code]
    assert abs(change) >= 100_000, "the test expects a change shown in whole billions"
    n = round(change / 1000)
    digits = f"{abs(n):,}".replace(",", "." if lang == "vi" else ",")
    signed = ("+" if n > 0 else "−") + digits
    if lang == "vi":
        return f"{name} {signed} tỷ đồng: định mức {signed}"
    return f"{name} {signed} bn: norms {signed}"
