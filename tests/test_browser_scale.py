"""A real browser on the national commune run (3,321 communes × 5 years), in Vietnamese: the
units per province, then one province's communes. (The grid's readable copy of its cells holds
the raw numbers; the Vietnamese format of what it draws is checked in tests/test_app_scale.py.)

Drives Debian's /usr/bin/chromium through Playwright like tests/test_browser.py.
"""

from __future__ import annotations

import re

import pytest
from browser_helpers import chromium, point_inside, settled

pytestmark = pytest.mark.browser

WAIT = 180_000  # ms: the first render includes the commune run's solve


def cell(table, col: int, row: int):
    return table.locator(f"td#glide-cell-{col}-{row}")


def test_the_commune_run_per_province_then_one_provinces_communes(app_url, tmp_path, server_log):
    from playwright.sync_api import expect

    from fiscal.data import bundled_units
    from fiscal_app.i18n import Tr

    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}?s=communes-2026-2030-all.toml&lang=vi")
        try:
            expect(page.get_by_role("heading", name="Phân bổ", exact=True)).to_be_visible(
                timeout=WAIT
            )
            expect(page.get_by_text("3.321 xã thuộc 34 tỉnh")).to_be_visible(timeout=WAIT)
            settled(page)
            provinces = page.get_by_test_id("stDataFrame").filter(has_text="Số xã")
            # Hà Nội's communes get nothing (self-financing); Tuyên Quang's get transfers
            expect(cell(provinces, 1, 0)).to_have_text("Thành phố Hà Nội", timeout=WAIT)
            expect(cell(provinces, 1, 2)).to_have_text("Tuyên Quang", timeout=WAIT)
            choice = page.get_by_role("combobox", name=re.compile("Các xã của tỉnh"))
            choice.click()
            page.keyboard.type("Tuyên Quang")
            page.keyboard.press("Enter")
            settled(page)
            expect(page.get_by_text("Tuyên Quang: 124 xã")).to_be_visible(timeout=WAIT)
            grids = page.get_by_test_id("stDataFrame")
            communes = grids.filter(has=page.locator("th", has_text="Đơn vị")).filter(
                has=page.locator("th", has_text="Phân bổ (tỷ đồng)")
            )
            expect(communes).to_have_count(1)
            first = bundled_units("commune", "08").frame["name"].iat[0]
            expect(cell(communes, 1, 0)).to_have_text(first, timeout=WAIT)
            # the map (nothing to click at commune level: drawn once, replayed by this rerun)
            # draws the provinces with their communes' sums
            point = point_inside(page, f"{Tr('vi')('col.name')}: Tuyên Quang;")
            page.mouse.move(*point)
            tip = page.locator("#vg-tooltip-element")
            expect(tip).to_be_visible(timeout=WAIT)
            expect(tip).to_contain_text("Tuyên Quang")
            expect(tip).to_contain_text("124")
        except AssertionError:
            print(server_log.read_text(errors="replace")[-4000:])
            raise
