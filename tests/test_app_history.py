"""The app's run store: Save on Allocate, and the History page (show, compare, why, approve)."""

from __future__ import annotations

from pathlib import Path

import app_helpers
import pandas as pd
import pytest
from store_helpers import change_words, largest_change
from streamlit.testing.v1 import AppTest

import fiscal
from fiscal.scenario import bundled_scenarios_dir
from fiscal.store import _OPEN, open_store

ROOT = Path(__file__).resolve().parent.parent
SCEN = bundled_scenarios_dir()


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    monkeypatch.setenv("FISCAL_STORE", url)
    monkeypatch.setenv("FISCAL_AUTHOR", "lan")
    yield open_store(url)
    _OPEN.pop(url).close()


@pytest.fixture
def two_runs(store):
    a = store.save(fiscal.run(SCEN / "national-2026-baseline.toml"), name="v1", author="lan")
    b = store.save(
        fiscal.run(SCEN / "national-2026-new-norms.toml"), name="v2", author="lan", parent=a.id
    )
    return a, b


def start(page: str | None = None, lang: str = "en") -> AppTest:
    return app_helpers.start(page, switch_lang=lang)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.success] + [e.value for e in at.info]
    parts += [e.value for e in at.warning] + [e.value for e in at.error]
    return "\n".join(parts)


def test_a_run_saved_in_the_app_shows_up_in_the_store_and_the_cli(store):
    at = start()
    at.text_input(key="save.name").set_value("draft for the minister")
    at.text_input(key="save.note").set_value("floors at 100 %")
    at.button(key="save.go").click().run()
    assert not at.exception
    assert "Saved as run #1 (draft, version 1)" in texts(at)
    info = store.get(1)
    assert (info.name, info.note, info.author) == (
        "draft for the minister",
        "floors at 100 %",
        "lan",
    )
    assert info.total == 238_421_000
    from fiscal.cli import main

    assert main(["runs", "list"]) == 0  # FISCAL_STORE points the CLI at the same store


def test_saving_a_new_version_and_without_an_author(store, two_runs):
    at = start()
    at.text_input(key="save.author").set_value(" ")
    at.button(key="save.go").click().run()
    assert "Give your name" in texts(at)
    at.text_input(key="save.author").set_value("lan")
    at.selectbox(key="save.parent.en").set_value(two_runs[1].id)
    at.button(key="save.go").click().run()
    assert "Saved as run #3 (draft, version 3)" in texts(at)
    assert store.get(3).parent_id == two_runs[1].id


def test_history_lists_shows_and_compares_runs(store, two_runs):
    at = start("history")
    assert at.title[0].value == "History"
    listed = at.dataframe[0].value
    assert list(listed["Run"]) == ["#2", "#1"] and list(listed["Status"]) == ["draft", "draft"]
    text = texts(at)
    assert "Run #2 · v2 · version 2 · draft" in text
    assert "Version 2, built on run #1." in text
    assert "Illustrative" in text or "illustrative" in text
    # the compare tab shows the same comparison as the Compare page would
    frames = [d.value for d in at.dataframe if isinstance(d.value, pd.DataFrame)]
    assert any("#1 v1" in " ".join(map(str, f.columns)) for f in frames)


def test_history_explains_the_change_per_unit_in_words(store, two_runs):
    at = start("history")
    at.button(key="history.attr.go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = texts(at)
    assert change_words(largest_change()) in text
    assert "norms differ. 0 combination(s) solved" in text
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    # the stacked bars (a segment per factor) and the total change's diamond, in one chart
    assert any('"diamond"' in s and '"factor"' in s and '"sum"' in s for s in specs)
    assert at.get("download_button")


def test_review_and_approve_in_the_app(store, two_runs):
    at = start("history")
    at.selectbox(key="history.approve").set_value(two_runs[1].id).run()
    at.text_input(key="history.who").set_value("lan")
    at.button(key="history.review.go").click().run()
    assert "lan is the author of this run" in texts(at)
    at.text_input(key="history.who").set_value("minh")
    at.button(key="history.review.go").click().run()
    assert "Run #2 is reviewed." in texts(at)
    assert store.get(2).status == "reviewed"
    at.text_input(key="history.who").set_value("hoa")
    at.button(key="history.approve.go").click().run()
    assert "Run #2 is approved." in texts(at)
    info = store.get(2)
    assert (info.status, info.reviewed_by, info.approved_by) == ("approved", "minh", "hoa")
    assert "approved and immutable" in texts(at)


def test_history_in_vietnamese(store, two_runs):
    at = start("history", lang="vi")
    assert at.title[0].value == "Lịch sử"
    listed = at.dataframe[0].value
    assert list(listed["Trạng thái"]) == ["bản nháp", "bản nháp"]
    at.button(key="history.attr.go").click().run()
    text = texts(at)
    assert change_words(largest_change(), "vi") in text
    assert "Lần chạy #2 · v2 · phiên bản 2 · bản nháp" in text
    assert "Tất cả đơn vị: thay đổi 0,0 tỷ đồng" in text
    at.switch_page("ui/allocate.py")
    at.run()
    assert at.button(key="save.go").label == "Lưu lần chạy"


def test_a_store_that_cannot_be_opened_is_said_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    monkeypatch.setenv("FISCAL_STORE", str(bad))
    at = start()  # Allocate still works; its Save section says what is wrong
    assert any(
        "The run store cannot be opened" in e.value and "not a SQLite database" in e.value
        for e in at.error
    )
    at.switch_page("ui/history.py")
    at.run()
    assert not at.exception
    assert any(str(bad) in e.value for e in at.error)


def test_the_app_asks_for_a_name_when_none_is_configured(store, monkeypatch):
    monkeypatch.delenv("FISCAL_AUTHOR")
    at = start()
    assert at.text_input(key="save.author").value == ""  # not the server's login name
    at.button(key="save.go").click().run()
    assert "Give your name" in texts(at) and store.list() == []
    at.text_input(key="save.author").set_value("lan")
    at.button(key="save.go").click().run()
    assert store.get(1).author == "lan"


def test_history_compares_two_runs_with_lines_whose_file_is_gone(store, tmp_path):
    """A run whose line read a file next to its scenario: History shows it and compares its
    lines in Vietnamese after the file is gone (the run could not be loaded before)."""
    from test_runs_lines import _own_scenario

    a = store.save(fiscal.run(_own_scenario(tmp_path)), name="v1", author="lan")
    store.save(
        fiscal.run(_own_scenario(tmp_path, targeted=150_000_000)),
        name="v2",
        author="lan",
        parent=a.id,
    )
    (tmp_path / "facts.csv").unlink()
    at = start("history", lang="vi")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert "Các khoản bổ sung theo kịch bản (tỷ đồng)" in [s.value for s in at.subheader]
    frames = [d.value for d in at.dataframe]
    lines = next(f for f in frames if "Khoản" in map(str, getattr(f, "columns", [])))
    by_line = dict(zip(lines["Khoản"], lines["Δ #2 v2"], strict=True))
    assert by_line["Bổ sung có mục tiêu"] == pytest.approx(-37_175.0)
    assert by_line["tổng nguồn lực"] == pytest.approx(-37_175.0)
