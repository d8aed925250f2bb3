"""A run restored from the store names its scenario in messages by the file it was run from, or
by its name in both languages — never by the placeholder of a text read without a file
(``__uploaded__.toml``, as it did)."""

from __future__ import annotations

import pytest
from store_helpers import store_url  # noqa: F401  (SQLite here; PostgreSQL in CI)
from test_runs_lines import _own_scenario

import fiscal
from fiscal import runs
from fiscal.errors import FiscalError
from fiscal.scenario import UPLOADED, parse_scenario
from fiscal.store import Store


def _said(stored) -> dict[str, str]:
    with pytest.raises(FiscalError) as caught:
        stored.resolve()  # its line's file is gone: the re-solve cannot read it
    return {lang: caught.value.text(lang) for lang in ("en", "vi")}


def test_a_restored_run_is_named_by_its_file(tmp_path, store_url):  # noqa: F811
    store = Store(store_url)
    info = store.save(fiscal.run(_own_scenario(tmp_path)), author="lan", name="a")
    (tmp_path / "facts.csv").unlink()
    stored = runs.load(info.id, store)
    assert stored.scenario.where == "mine.toml"
    said = _said(stored)
    for text in said.values():
        assert text.startswith("mine.toml: lines.targeted: ") and UPLOADED not in text, text
        assert text.count("mine.toml") == 1 and "amounts_file 'facts.csv'" in text, text
    assert "không tìm thấy" in said["vi"]


def test_a_restored_run_from_a_text_is_named_by_its_name_in_both_languages(tmp_path, store_url):  # noqa: F811
    store = Store(store_url)
    text = _own_scenario(tmp_path).read_text(encoding="utf-8")
    scen = parse_scenario(text, source="app", base=tmp_path)  # as the app runs its scenario
    info = store.save(fiscal.run(scen), author="lan", name="a")
    assert store.get(info.id).scenario_file.endswith(UPLOADED)
    (tmp_path / "facts.csv").unlink()
    said = _said(runs.load(info.id, store))
    meta = scen.scenario
    assert said["en"].startswith(f"{meta.name}: lines.targeted"), said["en"]
    assert said["vi"].startswith(f"{meta.name_vi}: lines.targeted"), said["vi"]
    assert not [t for t in said.values() if UPLOADED in t]


def test_an_uploaded_scenario_is_named_by_its_file():
    text = (fiscal.scenario.bundled_scenarios_dir() / "national-2026-baseline.toml").read_text()
    assert parse_scenario(text, named="/somewhere/mine.toml").where == "mine.toml"
    scen = parse_scenario(text)
    assert scen.where == scen.name
    assert scen.where.text("vi") == scen.scenario.name_vi
    # a copy with a setting changed keeps the name
    assert parse_scenario(text, named="mine.toml").with_value("envelope.total", 1e8).where == (
        "mine.toml"
    )
