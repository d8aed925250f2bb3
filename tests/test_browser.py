"""A real browser against `streamlit run app.py`: change a setting, see the table change,
download the XLSX and check that it reconciles to the envelope; then open the shareable link.

Drives Debian's /usr/bin/chromium through Playwright (headless, no sandbox, fresh profile; no
browser download). CI installs chromium (.ci/run), so this runs there; it is skipped only where
/usr/bin/chromium is absent.
"""

from __future__ import annotations

import re

import pytest
from app_helpers import allocation_by_year
from browser_helpers import CHROMIUM, chromium, streamlit_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install chromium; .ci/run does)"),
]

WAIT = 60_000  # ms: generous, the first render includes the first solve
NEW_ENVELOPE_BN = 250_000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with streamlit_server(log) as url:
        yield url


def units_table(page):
    """The Allocate page's units table (the data grid with an 'Allocation' column)."""
    return page.get_by_test_id("stDataFrame").filter(has_text="Allocation (bn VND)")


def cell(table, col: int, row: int):
    """A readable cell of a data grid (glide-data-grid keeps an accessible copy of the canvas)."""
    return table.locator(f"td#glide-cell-{col}-{row}")


def test_change_a_setting_see_the_table_change_download_a_reconciling_xlsx(app_url, tmp_path):
    from playwright.sync_api import expect

    with chromium(tmp_path / "profile") as context:
        page = context.new_page()
        page.goto(app_url)
        expect(page.get_by_role("heading", name="Allocate")).to_be_visible(timeout=WAIT)
        table = units_table(page)
        expect(table).to_be_visible(timeout=WAIT)
        header = table.locator("th").filter(has_text="Allocation (bn VND)")
        expect(header).to_have_count(1, timeout=WAIT)
        col = int(header.get_attribute("aria-colindex")) - 1
        tuyen_quang = cell(table, col, 2)  # rows are sorted by code: 01, 04, 08 Tuyên Quang
        expect(cell(table, 1, 2)).to_have_text("Tuyên Quang", timeout=WAIT)
        expect(tuyen_quang).not_to_have_text("", timeout=WAIT)
        before = tuyen_quang.inner_text()
        allocated = page.get_by_test_id("stMetric").filter(has_text="Allocated")
        expect(allocated).to_contain_text("238,421 bn VND", timeout=WAIT)

        envelope = page.get_by_role("spinbutton", name="Envelope (bn VND)")
        envelope.fill(str(NEW_ENVELOPE_BN))
        envelope.press("Enter")

        expect(allocated).to_contain_text("250,000 bn VND", timeout=WAIT)
        expect(tuyen_quang).not_to_have_text(before, timeout=WAIT)
        expect(page.get_by_text("Reconciles exactly to the envelope.")).to_be_visible()
        expect(page).to_have_url(re.compile(r"[?&]e="), timeout=WAIT)  # the address bar: the edit

        page.get_by_role("link", name="Take it away").click()
        button = page.get_by_role("button", name="Allocation workbook (XLSX)")
        expect(button).to_be_visible(timeout=WAIT)
        with page.expect_download(timeout=WAIT) as info:
            button.click()
        download = info.value
        assert download.suggested_filename == "national-2026-baseline-edited.xlsx"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        totals = allocation_by_year(path.read_bytes())
        assert totals == {2026: NEW_ENVELOPE_BN * 1000.0}

        link = page.get_by_test_id("stCode").filter(has_text="?s=").inner_text().strip()
        assert link.startswith(app_url) and "e=" in link
        fresh = context.new_page()
        fresh.goto(link)
        restored = fresh.get_by_test_id("stMetric").filter(has_text="Allocated")
        expect(restored).to_contain_text("250,000 bn VND", timeout=WAIT)
