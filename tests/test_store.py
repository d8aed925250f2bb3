"""The run store on SQLite and PostgreSQL: what a run keeps, the trail, guards, bad stores."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from store_helpers import store_url  # noqa: F401  (fixture)

import fiscal
from fiscal import runs
from fiscal.errors import StoreError
from fiscal.scenario import bundled_scenarios_dir
from fiscal.store import Store, open_store
from fiscal.store import tables as T

ROOT = Path(__file__).resolve().parents[1]
SCEN = bundled_scenarios_dir()  # shipped scenarios, wherever the package keeps them


@pytest.fixture(scope="module")
def baseline():
    return fiscal.run(SCEN / "national-2026-baseline.toml")


@pytest.fixture(scope="module")
def new_norms():
    return fiscal.run(SCEN / "national-2026-new-norms.toml")


def _count(store: Store, table: sa.Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar())


def test_a_saved_run_keeps_inputs_and_outputs(store_url, baseline):  # noqa: F811
    store = open_store(store_url)
    info = store.save(baseline, name="baseline", note="as in NQ 246", author="lan")
    assert (info.id, info.status, info.version, info.author) == (1, "draft", 1, "lan")
    run = runs.load(info.id, store)
    # the scenario as resolved, the units and their hash, the versions, the outputs
    assert run.scenario.to_dict() == baseline.scenario.to_dict()
    assert info.scenario_toml == baseline.scenario.to_toml()
    assert run.units.data_hash() == baseline.problem.units.data_hash() == info.dataset_sha256
    assert info.provenance["versions"]["highspy"] == baseline.provenance["versions"]["highspy"]
    assert info.fiscal_version == fiscal.__version__
    res = run.result
    pd.testing.assert_frame_equal(res.table, baseline.table)
    assert res.metrics.keys() == baseline.metrics.keys()
    for k, v in baseline.metrics.items():
        assert res.metrics[k] == pytest.approx(v, nan_ok=True)
    pd.testing.assert_frame_equal(
        res.constraints.reset_index(drop=True),
        baseline.constraints.reset_index(drop=True),
        check_dtype=False,
    )
    assert (res.cells == baseline.cells).all()
    assert [c.ok for c in res.checks] == [c.ok for c in baseline.checks]
    assert [e.action for e in store.events(info.id)] == ["saved"]


def test_units_are_stored_once_per_content(store_url, baseline, new_norms):  # noqa: F811
    store = open_store(store_url)
    store.save(baseline, author="lan")
    store.save(new_norms, author="lan")
    assert _count(store, T.datasets) == 1
    assert _count(store, T.runs) == 2


def test_two_stored_runs_compare_like_two_scenarios(store_url, baseline, new_norms):  # noqa: F811
    store = open_store(store_url)
    a, b = store.save(baseline, author="lan"), store.save(new_norms, author="lan")
    stored = runs.diff(a.id, b.id, store=store)
    live = fiscal.compare.compare(
        [baseline, new_norms], labels=[f"#{a.id} {a.name}", f"#{b.id} {b.name}"]
    )
    pd.testing.assert_frame_equal(stored.units, live.units)
    pd.testing.assert_frame_equal(stored.params, live.params)
    assert stored.text() == live.text()


def test_a_run_solves_again_when_its_files_are_gone(store_url, tmp_path):  # noqa: F811
    folder = tmp_path / "mine"
    folder.mkdir()
    fiscal.data.write_template(folder / "units.csv", "province", prefilled=True)
    text = (SCEN / "national-2026-minimax.toml").read_text(encoding="utf-8")
    (folder / "parent.toml").write_text(text, encoding="utf-8")
    (folder / "mine.toml").write_text(
        textwrap.dedent("""
        [scenario]
        name = "mine"
        extends = "parent.toml"
        dataset = "units.csv"
        [envelope]
        total = 240_000_000
        """),
        encoding="utf-8",
    )
    result = fiscal.run(folder / "mine.toml")
    store = open_store(store_url)
    info = store.save(result, author="lan")
    shutil.rmtree(folder)
    run = runs.load(info.id, store)
    assert "extends =" not in info.scenario_toml and "mine.toml" not in info.scenario_toml
    pd.testing.assert_frame_equal(run.result.table, result.table)
    again = run.resolve()
    pd.testing.assert_frame_equal(again.table, result.table)


def test_the_approval_trail(store_url, baseline):  # noqa: F811
    store = open_store(store_url)
    info = store.save(baseline, name="v1", author="lan")
    with pytest.raises(StoreError, match="review it first"):
        store.approve(info.id, who="hoa")
    with pytest.raises(StoreError, match="lan is its author"):
        store.review(info.id, who="lan")
    edited = store.edit(info.id, note="checked the floors", who="lan")
    assert edited.note == "checked the floors"
    reviewed = store.review(info.id, who="minh", note="floors ok")
    assert (reviewed.status, reviewed.reviewed_by) == ("reviewed", "minh")
    assert reviewed.reviewed_at is not None
    back = store.edit(info.id, name="v1 (fixed)", who="lan")  # an edit withdraws the review
    assert (back.status, back.reviewed_by) == ("draft", None)
    store.review(info.id, who="minh")
    with pytest.raises(StoreError, match="lan is its author"):
        store.approve(info.id, who="lan")
    approved = store.approve(info.id, who="hoa", note="to the minister")
    assert (approved.status, approved.approved_by) == ("approved", "hoa")
    trail = [(e.action, e.who, e.detail) for e in store.events(info.id)]
    assert trail == [
        ("saved", "lan", ""),
        ("noted", "lan", "checked the floors"),
        ("reviewed", "minh", "floors ok"),
        ("renamed", "lan", "v1 → v1 (fixed)"),
        ("review withdrawn", "lan", ""),
        ("reviewed", "minh", ""),
        ("approved", "hoa", "to the minister"),
    ]
    # immutable: the store refuses ...
    for act in (
        lambda: store.edit(info.id, note="x"),
        lambda: store.delete(info.id),
        lambda: store.review(info.id, who="minh"),
    ):
        with pytest.raises(StoreError):
            act()
    # ... and so does the database itself
    statements = [
        sa.update(T.runs).where(T.runs.c.id == info.id).values(note="silent edit"),
        sa.update(T.runs).where(T.runs.c.id == info.id).values(status="draft"),
        sa.delete(T.run_outputs).where(T.run_outputs.c.run_id == info.id),
        sa.delete(T.run_events).where(T.run_events.c.run_id == info.id),
        sa.delete(T.runs).where(T.runs.c.id == info.id),
    ]
    for stmt in statements:
        with pytest.raises(sa.exc.DBAPIError, match="immutable|cannot be deleted"):
            with store.engine.begin() as conn:
                conn.execute(stmt)
    assert store.get(info.id).note == "checked the floors"


def test_outputs_and_inputs_are_written_once(store_url, baseline):  # noqa: F811
    store = open_store(store_url)
    info = store.save(baseline, author="lan")
    for stmt in (
        sa.update(T.run_outputs).values(checks=[]),
        sa.update(T.runs).where(T.runs.c.id == info.id).values(scenario_toml="x"),
        sa.update(T.runs).where(T.runs.c.id == info.id).values(total=1.0),
        sa.update(T.run_events).values(detail="rewritten"),
        sa.update(T.datasets).values(source="x"),
    ):
        with pytest.raises(sa.exc.DBAPIError, match="written once|append-only"):
            with store.engine.begin() as conn:
                conn.execute(stmt)


def test_new_versions_link_to_their_parent(store_url, baseline, new_norms):  # noqa: F811
    store = open_store(store_url)
    v1 = store.save(baseline, name="v1", author="lan")
    store.review(v1.id, who="minh")
    store.approve(v1.id, who="hoa")
    v2 = store.save(new_norms, name="v2", author="lan", parent=v1.id)
    v3 = store.save(new_norms, name="v3", author="lan", parent=v2.id)
    other = store.save(baseline, name="other", author="lan")
    assert (v2.parent_id, v2.version, v2.lineage) == (v1.id, 2, v1.lineage)
    assert (v3.parent_id, v3.version) == (v2.id, 3)
    assert other.lineage != v1.lineage and other.version == 1
    assert store.previous_approved(v3.id).id == v1.id
    assert store.previous_approved(v1.id) is None
    with pytest.raises(StoreError, match="later version"):
        store.delete(v2.id)
    store.delete(v3.id)
    assert [r.id for r in store.list(lineage=v1.lineage)] == [v2.id, v1.id]


def test_approval_pack(store_url, baseline, new_norms, tmp_path):  # noqa: F811
    store = open_store(store_url)
    v1 = store.save(baseline, name="v1", author="lan")
    store.review(v1.id, who="minh")
    store.approve(v1.id, who="hoa")
    v2 = store.save(new_norms, name="v2", author="lan", parent=v1.id)
    store.review(v2.id, who="minh")
    store.approve(v2.id, who="hoa")
    out = tmp_path / "pack.zip"
    runs.approval_pack(v2.id, out, store=store)
    with zipfile.ZipFile(io.BytesIO(runs.approval_pack(v2.id, store=store, lang="vi"))) as z:
        import openpyxl

        attribution = z.read(f"run-{v2.id}-attribution-vs-{v1.id}.xlsx")
        names = openpyxl.load_workbook(io.BytesIO(attribution), read_only=True).sheetnames
        assert names[0] == "Phân rã thay đổi"
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert {
            f"run-{v2.id}-allocation.xlsx",
            f"run-{v2.id}-scenario.toml",
            f"run-{v2.id}-units.csv",
            f"run-{v2.id}-provenance.json",
            f"run-{v2.id}-attribution-vs-{v1.id}.csv",
            f"run-{v2.id}-attribution-vs-{v1.id}.xlsx",
        } <= names
        prov = json.loads(z.read(f"run-{v2.id}-provenance.json"))
        assert prov["run"]["approved_by"] == "hoa"
        assert [e["action"] for e in prov["trail"]] == ["saved", "reviewed", "approved"]
        assert prov["attribution_against"]["id"] == v1.id
        import hashlib

        assert hashlib.sha256(z.read(f"run-{v2.id}-units.csv")).hexdigest() == v2.dataset_sha256
        scen = fiscal.parse_scenario(z.read(f"run-{v2.id}-scenario.toml"))
        assert scen.to_dict() == new_norms.scenario.to_dict()
        att = pd.read_csv(
            io.BytesIO(z.read(f"run-{v2.id}-attribution-vs-{v1.id}.csv")), dtype={"code": str}
        )
        assert (att["norms"] == att["change"]).all()  # only the norms differ
    # the first approved run has no earlier one: no attribution, said so
    with zipfile.ZipFile(io.BytesIO(runs.approval_pack(v1.id, store=store))) as z:
        prov = json.loads(z.read(f"run-{v1.id}-provenance.json"))
        assert prov["attribution_against"] is None and prov["notes"]
    # from a Vietnamese page (the History page passes its language): the workbook in Vietnamese
    with zipfile.ZipFile(io.BytesIO(runs.approval_pack(v1.id, store=store, lang="vi"))) as z:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(z.read(f"run-{v1.id}-allocation.xlsx")))
        assert book.sheetnames[0] == "Phân bổ" and "Nguồn gốc" in book.sheetnames


# ----------------------------------------------------------------------------- the schema


def test_schema_head_matches_the_migrations(store_url):  # noqa: F811
    from alembic.script import ScriptDirectory

    from fiscal.store import alembic_config

    store = open_store(store_url)
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [T.SCHEMA_HEAD]
    assert store.revision == T.SCHEMA_HEAD


def test_a_store_from_a_newer_fiscal_is_refused(store_url):  # noqa: F811
    store = open_store(store_url)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(StoreError, match=r"revision '0099'.*newer fiscal.*Upgrade fiscal"):
        Store(store_url)


def test_a_foreign_database_is_refused(store_url):  # noqa: F811
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    engine.dispose()
    with pytest.raises(StoreError, match=r"not a fiscal store's \(customers\).*empty database"):
        Store(store_url)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "runs.sqlite"
    path.write_text("name,amount\nx,1\n")
    with pytest.raises(
        StoreError, match=rf"{path}: not a SQLite database.*--store or FISCAL_STORE"
    ):
        Store(f"sqlite:///{path}")


def test_a_damaged_sqlite_file_gives_a_clear_error(tmp_path, baseline):
    path = tmp_path / "runs.sqlite"
    url = f"sqlite:///{path}"
    store = Store(url)
    store.save(baseline, author="lan")
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # keep the header, destroy every page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=rf"store {path}: .*(malformed|not a database).*backup"):
        s = Store(url)
        s.list()


def test_an_unreachable_postgresql_names_the_store_without_its_password():
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://someone:secret@127.0.0.1:1/nothing"
    with pytest.raises(StoreError) as err:
        Store(url)
    assert "secret" not in str(err.value)
    assert "127.0.0.1:1/nothing" in str(err.value) and "server is running" in str(err.value)


def test_default_store_is_in_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCAL_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from fiscal.store import default_url

    assert default_url() == f"sqlite:///{tmp_path / 'data' / 'fiscal' / 'runs.sqlite'}"
    store = open_store()  # zero set-up: the folder is created
    try:
        assert (tmp_path / "data" / "fiscal" / "runs.sqlite").is_file()
        assert store.list() == []
    finally:
        from fiscal.store import _OPEN

        _OPEN.pop(default_url()).close()
    monkeypatch.setenv("FISCAL_STORE", str(tmp_path / "team.sqlite"))
    assert default_url() == f"sqlite:///{tmp_path / 'team.sqlite'}"


# ----------------------------------------------------------------------------- concurrency

_WRITER = """
import os, sys, time
from pathlib import Path
import fiscal
from fiscal.store import open_store
url, go, tag, parent = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
from fiscal.scenario import bundled_scenarios_dir
result = fiscal.run(bundled_scenarios_dir() / "national-2026-baseline.toml")
while not go.exists():
    time.sleep(0.005)
store = open_store(url)          # the first open of a new store migrates it: both race here
for k in range(6):
    store.save(result, name=f"{tag}-{k}", author=tag,
               parent=None if parent == "-" or k % 2 else int(parent))
print("ok")
"""


def _race(url: str, tmp_path: Path, parent: str) -> None:
    go = tmp_path / f"go-{parent}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, url, str(go), tag, parent],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("p1", "p2")
    ]
    time.sleep(0.2)
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        assert out.strip() == "ok"


def test_two_processes_saving_at_once_lose_nothing(store_url, tmp_path, baseline):  # noqa: F811
    _race(store_url, tmp_path, "-")  # a new store: both processes migrate and save at once
    store = open_store(store_url)
    root = store.save(baseline, name="root", author="lan")
    _race(store_url, tmp_path, str(root.id))  # new versions of one run from both at once
    got = store.list()
    assert len(got) == 25
    assert sorted(r.name for r in got if r.author == "p1") == sorted(
        [f"p1-{k}" for k in range(6)] * 2
    )
    versions = [r.version for r in got if r.lineage == root.lineage]
    assert sorted(versions) == list(range(1, 8))  # 1 + three children from each process
    assert _count(store, T.datasets) == 1
    assert _count(store, T.run_outputs) == 25


def test_every_shipped_scenario_round_trips_through_its_resolved_toml():
    for path in sorted(SCEN.glob("*.toml")):
        s = fiscal.load_scenario(path)
        again = fiscal.parse_scenario(s.to_toml(), source=path.name)
        assert again.to_dict() == s.to_dict(), path.name
        assert again.to_toml() == s.to_toml(), path.name


@pytest.mark.slow
def test_a_national_commune_run_restores_resolves_and_attributes(tmp_path):
    """All 3,321 communes × 5 years, envelopes from another scenario: the stored run carries
    each province's envelope, so it shows and solves again without that scenario."""
    store = Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    scen = fiscal.load_scenario(SCEN / "communes-2026-2030-all.toml")
    result = fiscal.run(scen)
    info = store.save(result, author="lan")
    run = runs.load(info.id, store)
    assert sorted(run.envelopes) == sorted(result.table["parent"].astype(str).unique())
    assert len(run.envelopes) == 34 and all(len(v) == 5 for v in run.envelopes.values())
    restored = run.result
    pd.testing.assert_frame_equal(restored.table, result.table)
    assert restored.problem.n == 3321
    again = run.resolve()
    assert (again.table["allocation"].to_numpy() == result.table["allocation"].to_numpy()).all()
    # a second run with faster need growth: one factor (norms), no re-solve needed
    other = fiscal.run(scen.with_value("need.growth", 0.06))
    info2 = store.save(other, author="lan", parent=info.id)
    att = runs.attribute(info.id, info2.id, store=store)
    assert att.factors == ["norms"] and att.solves == 0
    assert len(att.table) == 3321 * 5
    assert (att.table["norms"] == att.table["change"]).all()
    store.close()


def test_two_app_sessions_saving_at_once_lose_nothing(store_url, baseline):  # noqa: F811
    """App sessions are threads of one process sharing one Store."""
    import threading

    store = open_store(store_url)
    errors: list[str] = []

    def session(k: int) -> None:
        try:
            for _ in range(4):
                store.save(baseline, author=f"s{k}")
                store.list()
        except Exception as exc:  # reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=session, args=(k,)) for k in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(store.list()) == 12
