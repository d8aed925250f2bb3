"""A real browser against `streamlit run app.py`: change a setting, see the table change,
download the XLSX and check that it reconciles to the envelope; then open the shareable link.
A second test tours the other pages as a new user would (repairs, why, compare, trade-offs,
data, Vietnamese).

Drives Debian's /usr/bin/chromium through Playwright (headless, no sandbox, fresh profile; no
browser download). CI installs chromium (.ci/run), so this runs there; it is skipped only where
/usr/bin/chromium is absent.
"""

from __future__ import annotations

import re

import pytest
from app_helpers import allocation_by_year
from browser_helpers import chromium, point_inside, settled

pytestmark = pytest.mark.browser

WAIT = 120_000  # ms: generous, the first render includes the first solve
NEW_ENVELOPE_BN = 250_000


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

        envelope = page.get_by_role("textbox", name="Envelope (bn VND)")
        expect(envelope).to_have_value("238,421")  # the language's format, not 238421.0
        envelope.fill(str(NEW_ENVELOPE_BN))
        envelope.press("Enter")

        expect(allocated).to_contain_text("250,000 bn VND", timeout=WAIT)
        expect(page.get_by_text("= 250,000 bn VND", exact=True)).to_be_visible()  # the echo
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


def test_a_tour_of_the_pages(app_url, tmp_path):
    from playwright.sync_api import expect

    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(app_url)
        expect(page.get_by_role("heading", name="Allocate")).to_be_visible(timeout=WAIT)
        # the first run is over once its last elements are drawn
        expect(page.get_by_test_id("stMetric").filter(has_text="Allocated")).to_contain_text(
            "238,421 bn VND", timeout=WAIT
        )
        expect(cell(units_table(page), 1, 2)).to_have_text("Tuyên Quang", timeout=WAIT)
        settled(page)

        # 1. a need rate edited in its table changes the allocation
        page.get_by_role("tab", name="Need rates").click()
        settled(page)
        rates = page.get_by_test_id("stDataFrame").filter(has_text="Indicator")
        # the status quo's one criterion: A (spending_need) at a rate of 1
        expect(cell(rates, 1, 0)).to_have_text("1", timeout=WAIT)
        box = rates.get_by_test_id("data-grid-canvas").bounding_box()
        table = units_table(page)
        before = cell(table, 2, 2).inner_text()
        # the indicator column is 'medium' (200 px) wide: the rate of the first criterion
        page.mouse.dblclick(box["x"] + 240, box["y"] + 36 + 17)
        editor = page.locator(".gdg-input")  # the grid's cell editor (a text cell)
        expect(editor).to_be_focused(timeout=WAIT)
        editor.fill("1.1")
        expect(editor).to_have_value("1.1")
        editor.press("Enter")
        settled(page)
        expect(cell(rates, 1, 0)).to_have_text("1.1", timeout=WAIT)
        expect(cell(table, 2, 2)).not_to_have_text(before, timeout=WAIT)

        # 8. infeasible settings show the repair, and applying it makes them feasible again
        page.get_by_role("tab", name="Rules").click()
        ratio = page.get_by_role("textbox", name="Ratio × baseline").first
        ratio.fill("1.2")
        ratio.press("Enter")
        settled(page)
        expect(page.get_by_text("These settings are infeasible")).to_be_visible(timeout=WAIT)
        page.get_by_role("button", name=re.compile("Apply: lower the floor ratio")).click()
        settled(page)
        expect(page.get_by_text("These settings are infeasible")).to_have_count(0, timeout=WAIT)
        expect(page.get_by_text("Reconciles exactly to the envelope.")).to_be_visible()

        # 2. why this number
        page.get_by_role("link", name="Why this number").click()
        settled(page)
        expect(page.get_by_text("The same story in words")).to_be_visible(timeout=WAIT)
        expect(page.get_by_role("heading", name="The constraint ledger")).to_be_visible()

        # 3. compare, and its workbook
        page.get_by_role("link", name="Compare").click()
        settled(page)
        expect(
            page.get_by_role("heading", name="What differs between the scenarios")
        ).to_be_visible(timeout=WAIT)
        with page.expect_download(timeout=WAIT) as info:
            page.get_by_role("button", name="Download the comparison (XLSX)").click()
        import openpyxl

        path = tmp_path / "comparison.xlsx"
        info.value.save_as(path)
        assert "Winners and losers" in openpyxl.load_workbook(path, read_only=True).sheetnames

        # 4. trade-offs
        page.get_by_role("link", name="Trade-offs").click()
        settled(page)
        page.get_by_role("button", name="Draw the frontier").click()
        expect(page.get_by_text(re.compile(r"Solved 11 points"))).to_be_visible(timeout=WAIT)

        # 5. data: a template, filled badly, is refused with the row, unit and column
        page.get_by_role("link", name="Data").click()
        settled(page)
        page.get_by_role("tab", name="Template").click()
        with page.expect_download(timeout=WAIT) as info:
            page.get_by_role("button", name="Download template (CSV)").click()
        template = tmp_path / "template.csv"
        info.value.save_as(template)
        lines = template.read_text(encoding="utf-8").splitlines()
        column = lines[0].split(",").index("population")
        row = lines[3].split(",")
        row[column] = "many"
        lines[3] = ",".join(row)
        bad = tmp_path / "bad.csv"
        bad.write_text("\n".join(lines), encoding="utf-8")
        page.get_by_role("tab", name="Upload").click()
        page.get_by_test_id("stFileUploaderDropzoneInput").last.set_input_files(str(bad))
        settled(page)
        expect(page.get_by_text("bad.csv was refused")).to_be_visible(timeout=WAIT)
        expect(page.get_by_test_id("stCode")).to_contain_text(
            "column 'population': 'many' is not a number"
        )

        # 7. Vietnamese labels and numbers
        page.get_by_text("Tiếng Việt").click()
        settled(page)
        page.get_by_role("link", name="Phân bổ").click()
        settled(page)
        expect(page.get_by_role("heading", name="Phân bổ", exact=True)).to_be_visible(timeout=WAIT)
        expect(page.get_by_test_id("stMetric").filter(has_text="Đã phân bổ")).to_contain_text(
            "238.421 tỷ đồng"
        )


def test_amounts_typed_the_vietnamese_way_and_the_english_way(app_url, tmp_path):
    """Issue 13's cases: in Tiếng Việt 250.000 is 250 thousand bn, 250000,5 keeps its decimal,
    250,000 is ambiguous and refused; in English the point before three digits is refused."""
    from playwright.sync_api import expect

    with chromium(tmp_path / "profile") as context:
        page = context.new_page()
        page.goto(f"{app_url}/?lang=vi")
        allocated = page.get_by_test_id("stMetric").filter(has_text="Đã phân bổ")
        expect(allocated).to_contain_text("238.421 tỷ đồng", timeout=WAIT)
        settled(page)
        envelope = page.get_by_role("textbox", name="Tổng mức phân bổ (tỷ đồng)")
        expect(envelope).to_have_value("238.421")

        def enter(box, text: str) -> None:
            box.fill(text)
            box.press("Enter")
            settled(page)

        enter(envelope, "250,000")
        refusal = page.get_by_test_id("stAlert").filter(has_text="có hai cách hiểu")
        expect(refusal).to_be_visible(timeout=WAIT)
        expect(refusal).to_contain_text("Viết 250.000 hoặc 250000 nếu là 250.000")
        expect(refusal).to_contain_text("Kịch bản chưa thay đổi.")
        expect(allocated).to_contain_text("238.421 tỷ đồng")
        expect(page).not_to_have_url(re.compile(r"[?&]e="))  # no edit in the link either

        enter(envelope, "250.000")
        expect(allocated).to_contain_text("250.000 tỷ đồng", timeout=WAIT)
        expect(page.get_by_text("= 250.000 tỷ đồng", exact=True)).to_be_visible()
        expect(refusal).to_have_count(0)

        enter(envelope, "250000,5")
        expect(allocated).to_contain_text("250.000,5 tỷ đồng", timeout=WAIT)
        expect(page.get_by_text("= 250.000,5 tỷ đồng", exact=True)).to_be_visible()
        expect(page.get_by_text("Khớp đúng với tổng mức.")).to_be_visible()

        page.get_by_text("English").click()
        settled(page)
        envelope = page.get_by_role("textbox", name="Envelope (bn VND)")
        expect(envelope).to_have_value("250,000.5", timeout=WAIT)
        enter(envelope, "250.000")
        expect(page.get_by_test_id("stAlert").filter(has_text="is ambiguous")).to_be_visible(
            timeout=WAIT
        )
        expect(page.get_by_test_id("stMetric").filter(has_text="Allocated")).to_contain_text(
            "250,000.5 bn VND"
        )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_map_hover_shows_a_units_figures_and_a_click_opens_why(app_url, tmp_path, lang):
    from playwright.sync_api import expect

    import fiscal
    from fiscal_app.i18n import Tr

    t = Tr(lang)
    row = fiscal.run("national-2026-baseline").table.set_index("code").loc["08"]
    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/map?lang={lang}")
        expect(page.get_by_role("heading", name=t("map.title"), exact=True)).to_be_visible(
            timeout=WAIT
        )
        settled(page)
        expect(page.get_by_text(t("map.attribution"))).to_be_visible()
        point = point_inside(page, f"{t('col.name')}: Tuyên Quang;")
        page.mouse.move(*point)
        tip = page.locator("#vg-tooltip-element")
        expect(tip).to_be_visible(timeout=WAIT)
        expect(tip).to_contain_text("Tuyên Quang")
        expect(tip).to_contain_text(t.bn(row["allocation"]))
        expect(tip).to_contain_text(t.pct(row["change_pct"], 2, sign=True))

        with page.expect_download(timeout=WAIT) as info:
            page.get_by_role("button", name=t("map.png")).click()
        png = tmp_path / "map.png"
        info.value.save_as(png)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        page.mouse.click(*point)
        heading = t("why.waterfall", name="Tuyên Quang", year=2026)
        expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=WAIT)
        expect(page).to_have_url(re.compile(r"/why\?"))
        if lang == "vi":  # the language survives the switch of page
            expect(page).to_have_url(re.compile(r"lang=vi"))


def test_merged_units_page_in_vietnamese(app_url, tmp_path):
    """The A/B/C mechanism in a real browser: the Merged units page of the optimised-rates
    scenario, in Vietnamese: the count held harmless, Hưng Yên beside its two old provinces, the
    story in words, the rate column."""
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/mergers?s=national-2027-optimised-rates.toml&lang=vi")
        expect(page.get_by_role("heading", name=t("mergers.title"), exact=True)).to_be_visible(
            timeout=WAIT
        )
        settled(page)
        expect(page.get_by_text(t("mergers.held", held=23, n=23))).to_be_visible(timeout=WAIT)
        grid = page.get_by_test_id("stDataFrame").first
        expect(grid.locator("th").filter(has_text=t("col.rate"))).to_have_count(1, timeout=WAIT)
        expect(grid).to_contain_text("Hà Giang", timeout=WAIT)  # Tuyên Quang's old provinces
        expect(
            page.get_by_text(re.compile("Các tỉnh cũ, mỗi tỉnh theo tỷ lệ của mình"))
        ).to_be_visible(timeout=WAIT)
