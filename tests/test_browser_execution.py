"""The Execution and capital page in a real browser, in Vietnamese: the drawdown's summary, the
schedule's grid, and the XLSX it downloads reconciling to the real 2026 total with Vietnamese
headers (Debian's /usr/bin/chromium through Playwright, as tests/test_browser.py)."""

from __future__ import annotations

import openpyxl
import pytest
from browser_helpers import chromium, settled

pytestmark = pytest.mark.browser

WAIT = 120_000  # ms


def test_the_drawdown_page_in_vietnamese_downloads_a_reconciling_workbook(app_url, tmp_path):
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/execution?s=national-2026-bridge.toml&lang=vi")
        expect(page.get_by_role("heading", name=t("exec.title"), exact=True)).to_be_visible(
            timeout=WAIT
        )
        settled(page)
        expect(page.get_by_text("quý I rút 25,0% dự toán năm")).to_be_visible(timeout=WAIT)
        grid = page.get_by_test_id("stDataFrame").first
        expect(grid.locator("th").filter(has_text="Bổ sung cân đối cả năm")).to_have_count(
            1, timeout=WAIT
        )
        expect(grid).to_contain_text("Tuyên Quang", timeout=WAIT)  # rows by code: 01, 04, 08
        button = page.get_by_role("button", name=t("exec.download.xlsx"))
        with page.expect_download(timeout=WAIT) as info:
            button.click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[3][:4] == ("Mã", "Đơn vị", "Bổ sung cân đối cả năm", "Tháng 1")
    assert rows[-1][1] == "TỔNG CỘNG" and rows[-1][2] == 238_421_000
    assert sum(rows[-1][3:15]) == 238_421_000
