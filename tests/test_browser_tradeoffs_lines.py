"""Trade-offs across transfer lines in a real browser, in Vietnamese (issue 14 point 5): the
targeted line's envelope chosen and swept, each line at a point of the frontier, and nothing of
the page as drawn left in English (Streamlit's chrome aside, as tests/test_browser_vietnamese.py
lists it).

Drives Debian's /usr/bin/chromium through Playwright, as tests/test_browser.py does.
"""

from __future__ import annotations

import pytest
from browser_helpers import chromium, settled

pytestmark = pytest.mark.browser

WAIT = 120_000  # ms: the first render includes the first solve


def _tradeoffs_in_vietnamese(context, app_url: str, t):
    """The Trade-offs page of national-2026-budget in Vietnamese, drawn and settled."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{app_url}/tradeoffs?s=national-2026-budget.toml&lang=vi")
    heading = page.get_by_role("heading", name=t("trade.title"), exact=True)
    expect(heading).to_be_visible(timeout=WAIT)
    settled(page)
    return page


def test_a_lines_envelope_swept_in_vietnamese(app_url, tmp_path):
    from playwright.sync_api import expect
    from test_browser_vietnamese import english_on

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 2600) as context:
        page = _tradeoffs_in_vietnamese(context, app_url, t)
        page.get_by_role("combobox", name=t("trade.param")).click()
        page.get_by_role("option", name="khoản: Bổ sung có mục tiêu · tổng mức").click()
        settled(page)
        page.get_by_role("button", name=t("trade.run")).click()
        settled(page)
        grids = page.get_by_test_id("stDataFrame")
        at_point = grids.filter(has=page.locator("th").filter(has_text=t("trade.at_point")))
        expect(at_point.first).to_contain_text("Bổ sung có mục tiêu", timeout=WAIT)
        expect(at_point.first).to_contain_text("Tổng nguồn lực", timeout=WAIT)
        expect(page.get_by_text(t("trade.lines_caption"))).to_be_visible(timeout=WAIT)
        main = page.get_by_test_id("stMain").inner_text()
        # the chart as drawn: the targeted line's envelope across (bn VND, Vietnamese numbers),
        # the Gini of total resources up
        assert "Bổ sung có mục tiêu" in main and "Gini, tổng nguồn lực bình quân" in main
        assert "188.000,0" in main
        assert not english_on(page), english_on(page)


def test_the_envelope_sweep_passes_through_the_scenario(app_url, tmp_path):
    """The default sweep (the envelope, 11 points) holds the scenario's own 238.421 bn as a
    point of the curve, between its neighbours. (The grid's readable copy holds the raw
    values; the one Vietnamese format of the column as drawn is checked by AppTest in
    tests/test_app.py::test_tradeoffs_grid_holds_the_current_scenario_and_one_value_format.)"""
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 2600) as context:
        page = _tradeoffs_in_vietnamese(context, app_url, t)
        page.get_by_role("button", name=t("trade.run")).click()
        settled(page)
        grids = page.get_by_test_id("stDataFrame")
        table = grids.filter(has=page.locator("th").filter(has_text=t("trade.status"))).first
        values = table.locator("td[id^='glide-cell-0-']")
        expect(values).to_have_count(11, timeout=WAIT)
        shown = [float(v) for v in values.all_inner_texts()]
        assert 238_421.0 in shown and shown == sorted(shown), shown
        # the frontier's workbook, in the page's language, its money to the million VND
        with page.expect_download(timeout=WAIT) as info:
            page.get_by_role("button", name=t("trade.download_xlsx")).click()
        path = tmp_path / "duong-bien.xlsx"
        info.value.save_as(path)
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    assert book.sheetnames == [t("trade.sheet")]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0].startswith("Đường biên khi thay đổi “Tổng mức phân bổ” — Cả nước 2026")
    head = list(rows[3])
    assert head[:3] == [t("trade.point_no"), t("trade.value"), t("trade.status")]
    values = [r[1] for r in rows[4:] if r[1] is not None]
    assert 238_421_000 in values and len(values) == 11
    assert {r[2] for r in rows[4:] if r[2]} == {t("trade.status.optimal")}
