"""A real browser on the History page: two saved runs, why the later one differs, approval.

Drives Debian's /usr/bin/chromium (see tests/test_browser.py); the app and this test share the
test session's run store (FISCAL_STORE, set in conftest.py).
"""

from __future__ import annotations

import pytest
from browser_helpers import chromium, settled, streamlit_server
from store_helpers import change_words, largest_change

import fiscal
from fiscal.scenario import bundled_scenarios_dir
from fiscal.store import open_store

pytestmark = pytest.mark.browser

WAIT = 120_000
SCEN = bundled_scenarios_dir()


def test_history_shows_why_a_run_changed_and_approves_it(tmp_path, monkeypatch):
    from playwright.sync_api import expect

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    monkeypatch.setenv("FISCAL_STORE", url)  # the server below inherits it
    store = open_store(url)
    a = store.save(fiscal.run(SCEN / "national-2026-baseline.toml"), name="v1", author="lan")
    b = store.save(
        fiscal.run(SCEN / "national-2026-new-norms.toml"), name="v2", author="lan", parent=a.id
    )
    with (
        streamlit_server(tmp_path / "server.log") as app_url,
        chromium(tmp_path / "profile") as context,
    ):
        page = context.new_page()
        page.goto(f"{app_url}/history")
        expect(page.get_by_role("heading", name="History")).to_be_visible(timeout=WAIT)
        settled(page)
        page.get_by_role("tab", name="Why it changed").click()
        page.get_by_role("button", name="Explain the change").click()
        settled(page)
        expect(page.get_by_text(change_words(largest_change()))).to_be_visible(timeout=WAIT)
        panel = page.get_by_role("tabpanel", name="Why it changed")
        chart = panel.get_by_test_id("stVegaLiteChart").locator("canvas, svg").first
        expect(chart).to_be_visible(timeout=WAIT)
        page.screenshot(path=str(tmp_path / "history.png"), full_page=True)
        page.get_by_role("tab", name="Review and approve").click()
        who = page.get_by_role("textbox", name="Your name")
        who.fill("minh")
        who.press("Enter")
        settled(page)
        page.get_by_role("button", name="Mark as reviewed").click()
        settled(page)
        expect(page.get_by_text(f"Run #{b.id} is reviewed.")).to_be_visible(timeout=WAIT)
    assert store.get(b.id).reviewed_by == "minh"
