"""Transfer lines in a real browser: Allocate's Transfer lines section of the whole 2026 budget
in Vietnamese (each NQ 246 line with its amount, the illustrative lines named, the whole-budget
rules), and Why this number by line.

Drives Debian's /usr/bin/chromium through Playwright, as tests/test_browser.py does.
"""

from __future__ import annotations

import re

import pytest
from browser_helpers import chromium, settled

pytestmark = pytest.mark.browser

WAIT = 120_000  # ms: the first render includes the first solve


def test_the_whole_budget_by_line_in_vietnamese(app_url, tmp_path):
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 1600) as context:
        page = context.new_page()
        page.goto(f"{app_url}/allocate?s=national-2026-budget.toml&lang=vi")
        heading = page.get_by_role("heading", name=t("lines.heading"), exact=True)
        expect(heading).to_be_visible(timeout=WAIT)
        settled(page)
        expect(page.get_by_text(re.compile("Minh họa: cách chia các khoản sau"))).to_be_visible(
            timeout=WAIT
        )
        grids = page.get_by_test_id("stDataFrame")
        lines = grids.filter(has=page.locator("th").filter(has_text=t("col.allocated_bn")))
        expect(lines.first).to_contain_text("Bổ sung có mục tiêu", timeout=WAIT)
        # the grid's accessible copy holds the values (bn VND), the canvas their Vietnamese form
        expect(lines.first).to_contain_text("187175", timeout=WAIT)
        expect(page.get_by_text(t("lines.rules"), exact=True)).to_be_visible(timeout=WAIT)
        page.goto(f"{app_url}/why?s=national-2026-budget.toml&lang=vi")
        expect(page.get_by_text(t("lines.why"), exact=True)).to_be_visible(timeout=WAIT)
        settled(page)
        # the default unit's story ends with its whole budget, line by line
        expect(page.get_by_text(re.compile("Toàn bộ ngân sách của .* năm 2026"))).to_be_visible(
            timeout=WAIT
        )
        expect(page.get_by_text(re.compile("Bổ sung có mục tiêu: "))).to_be_visible(timeout=WAIT)


def test_the_programmes_priority_units_in_vietnamese(app_url, tmp_path):
    """national-2026-ntp-priority: the capital line by points and the table of its priority
    (which receiving units qualify, their transfer / A) in Vietnamese."""
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 1600) as context:
        page = context.new_page()
        page.goto(f"{app_url}/allocate?s=national-2026-ntp-priority.toml&lang=vi")
        heading = page.get_by_role("heading", name=t("lines.heading"), exact=True)
        expect(heading).to_be_visible(timeout=WAIT)
        settled(page)
        title = re.compile("ưu tiên đơn vị có bổ sung cân đối từ 70% nhu cầu chi A trở lên")
        expect(page.get_by_text(title)).to_be_visible(timeout=WAIT)
        expect(page.get_by_text(re.compile("mức ưu tiên là minh họa"))).to_be_visible(timeout=WAIT)
        grids = page.get_by_test_id("stDataFrame")
        prio = grids.filter(has=page.locator("th").filter(has_text=t("col.priority_ratio")))
        expect(prio.first).to_contain_text("Tuyên Quang", timeout=WAIT)
        expect(prio.first).to_contain_text(t("yes"), timeout=WAIT)
