"""Stored runs with transfer lines (issue 14's gap): a restored run carries its lines as they
were computed, so `fiscal runs diff` and History compare them like `fiscal compare` does —
also when a file a line read is gone, and for runs saved before the store kept the lines."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from store_helpers import store_url  # noqa: F401  (SQLite here; PostgreSQL in CI)

import fiscal
from fiscal import runs
from fiscal.compare import compare
from fiscal.errors import StoreError
from fiscal.scenario import bundled_scenarios_dir
from fiscal.store import Store

SCEN = bundled_scenarios_dir()
FACTS = SCEN.parent / "datasets" / "sources" / "province_fiscal_facts_2025_2026.csv"


def _own_scenario(folder, targeted: float | None = None):
    """national-2026-budget with its targeted line reading a CSV next to the scenario."""
    shutil.copy(FACTS, folder / "facts.csv")
    text = (SCEN / "national-2026-budget.toml").read_text(encoding="utf-8")
    assert "amounts_file = " in text
    lines = []
    for line in text.splitlines():
        if line.startswith("amounts_file = "):
            line = 'amounts_file = "facts.csv"'
        if targeted is not None and line == "envelope = 187_175_000":
            line = f"envelope = {targeted:.0f}"
        lines.append(line)
    path = folder / ("mine.toml" if targeted is None else "less.toml")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _same_budget(a, b) -> None:
    assert [la.name for la in a.lines] == [lb.name for lb in b.lines]
    for la, lb in zip(a.lines, b.lines, strict=True):
        assert (la.rule, la.envelope, la.estimated, la.source) == (
            lb.rule,
            lb.envelope,
            lb.estimated,
            lb.source,
        )
        assert np.array_equal(la.amount, lb.amount)
        assert np.array_equal(la.eligible, lb.eligible) and np.array_equal(la.known, lb.known)
        assert la.parts.keys() == lb.parts.keys()
        for k in la.parts:
            assert np.array_equal(np.asarray(la.parts[k]), np.asarray(lb.parts[k])), k
        assert (la.settings is None) == (lb.settings is None)
    assert np.array_equal(a.kept, b.kept) and np.array_equal(a.capacity, b.capacity)
    assert list(a.fiscal_class) == list(b.fiscal_class)
    assert [c.name for c in a.checks] == [c.name for c in b.checks]
    for ca, cb in zip(a.checks, b.checks, strict=True):
        assert np.array_equal(ca.required, cb.required, equal_nan=True)
        assert np.array_equal(ca.measured, cb.measured, equal_nan=True)


def test_a_restored_run_carries_its_lines_without_deriving_them(store_url, monkeypatch):  # noqa: F811
    store = Store(store_url)
    res = fiscal.run(SCEN / "national-2026-budget.toml")
    info = store.save(res, author="lan")

    def refuse(*_a, **_k):
        raise AssertionError("a stored run's lines were derived again")

    monkeypatch.setattr("fiscal.pipeline.with_budget", refuse)
    restored = runs.load(info.id, store).result
    _same_budget(restored.budget, res.budget)
    pd.testing.assert_frame_equal(restored.table, res.table)


def test_runs_diff_with_a_line_file_that_is_gone(tmp_path, store_url):  # noqa: F811
    """Failed before: the stored scenario's amounts_file resolved against the bundled
    scenarios, so the run could not even be shown."""
    store = Store(store_url)
    a = fiscal.run(_own_scenario(tmp_path))
    b = fiscal.run(_own_scenario(tmp_path, targeted=150_000_000))
    ia = store.save(a, author="lan", name="a")
    ib = store.save(b, author="lan", name="b")
    (tmp_path / "facts.csv").unlink()
    c = runs.diff(ia.id, ib.id, store=store)
    fresh = compare([a, b], labels=[f"#{ia.id} a", f"#{ib.id} b"])
    pd.testing.assert_frame_equal(c.lines, fresh.lines)
    pd.testing.assert_frame_equal(c.unit_lines, fresh.unit_lines)
    row = c.lines[c.lines["line"] == "targeted"].iloc[0]
    assert row[f"Δ #{ib.id} b"] == pytest.approx(150_000_000 - 187_175_000)
    total = c.lines[c.lines["line"] == "resources_total"].iloc[0]
    assert total[f"Δ #{ib.id} b"] == pytest.approx(150_000_000 - 187_175_000)
    text = c.text()
    assert "Transfer lines" in text and "Targeted transfers" in text and "-37,175.0" in text
    pd.testing.assert_frame_equal(c.metrics, fresh.metrics)
    assert {"gini_total", "line_targeted", "resources_total"} <= set(c.metrics["metric"])


def test_cli_runs_diff_prints_the_lines(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = Store(url)
    store.save(fiscal.run(SCEN / "national-2026-budget.toml"), author="lan", name="a")
    store.save(fiscal.run(SCEN / "national-2026-capital-points.toml"), author="lan", name="b")
    from fiscal.cli import main

    assert main(["runs", "diff", "1", "2", "--store", url]) == 0
    out = capsys.readouterr().out
    assert "Transfer lines" in out and "total resources" in out
    assert "Targeted transfers" in out


def _to_0001_and_back(url: str) -> None:
    """Downgrade the store to revision 0001 (no budget column) and open it again (upgrade)."""
    import sqlalchemy as sa
    from alembic import command

    from fiscal.store import alembic_config

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        assert "budget_npz" not in {c["name"] for c in sa.inspect(conn).get_columns("run_outputs")}
    engine.dispose()


def test_runs_saved_before_the_budget_column_still_load(tmp_path, store_url):  # noqa: F811
    store = Store(store_url)
    res = fiscal.run(SCEN / "national-2026-budget.toml")
    mine = fiscal.run(_own_scenario(tmp_path))
    plain = fiscal.run(SCEN / "national-2026-baseline.toml")
    ids = [store.save(r, author="lan").id for r in (res, mine, plain)]
    store.close()
    _to_0001_and_back(store_url)
    store = Store(store_url)  # migrates to the head again: the old runs have no budget stored
    assert store.revision == "0002"
    assert all(store.outputs(i).budget is None for i in ids)
    # derived again from the stored scenario, as when solved
    _same_budget(runs.load(ids[0], store).result.budget, res.budget)
    # a line's file is gone (it never resolved from the store): the stored line columns
    (tmp_path / "facts.csv").unlink()
    old = runs.load(ids[1], store).result
    for la, lb in zip(old.budget.lines, mine.budget.lines, strict=True):
        assert la.name == lb.name and np.array_equal(la.amount, lb.amount)
    assert old.budget.line("targeted").parts == {}
    assert np.array_equal(old.budget.resources, mine.budget.resources)
    c = runs.diff(ids[1], ids[0], store=store)
    assert not c.lines.empty
    assert runs.load(ids[2], store).result.budget is None
    # saved after the upgrade: stored with its lines
    new = store.save(res, author="lan")
    assert store.outputs(new.id).budget is not None


def test_a_damaged_stored_budget_is_said(store_url):  # noqa: F811
    from fiscal.store.budget import Unreadable, decode, encode

    res = fiscal.run(SCEN / "national-2026-budget.toml")
    data = encode(res.budget)
    _same_budget(decode(data, res.scenario, res.problem), res.budget)
    with pytest.raises(Unreadable):
        decode(data[: len(data) // 2], res.scenario, res.problem)
    store = Store(store_url)
    info = store.save(res, author="lan")
    run = runs.load(info.id, store)
    out = run.outputs
    out.budget = b"not an archive"
    with pytest.raises(StoreError, match=r"transfer lines stored with run #1 cannot be read"):
        run.result  # noqa: B018


def test_a_run_whose_line_file_is_gone_still_shows_exports_and_packs(tmp_path):
    import io
    import json
    import zipfile

    from fiscal import export

    store = Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    res = fiscal.run(_own_scenario(tmp_path))
    info = store.save(res, author="lan")
    (tmp_path / "facts.csv").unlink()
    restored = runs.load(info.id, store).result
    assert (
        json.loads(export.json_bytes(restored))["budget"]
        == json.loads(export.json_bytes(res))["budget"]
    )
    with zipfile.ZipFile(io.BytesIO(runs.approval_pack(info.id, store=store))) as z:
        names = z.namelist()
        book = z.read(f"run-{info.id}-allocation.xlsx")
    assert f"run-{info.id}-allocation.xlsx" in names
    import openpyxl

    sheets = openpyxl.load_workbook(io.BytesIO(book), read_only=True).sheetnames
    assert "Lines" in sheets and "Budget" in sheets
