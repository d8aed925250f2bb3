"""Issue 13's "done when", in a real browser and in Tiếng Việt from start to end.

A finance officer types the envelope both ways (``250.000`` and ``238421``) after an ambiguous
``250,000`` is refused, makes the rules infeasible (a floor ratio typed ``1,05``), reads the
conflict and its repairs in Vietnamese with Vietnamese numbers (``4.133 tỷ đồng``), applies one,
opens the map, hovers a province (its figures in the tooltip) and follows it to Why this number.

Every state's main area is read as the browser draws it (``innerText``) and must hold no English
sentence (:func:`english.english_texts`), apart from Streamlit's own widget chrome, listed in
:data:`CHROME` — the texts the headless walk (``tests/test_app_vietnamese.py``) cannot see.

Drives Debian's /usr/bin/chromium through Playwright (headless, fresh profile); skipped only
where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import re

import pytest
from browser_helpers import chromium, point_inside, settled
from english import english_in, english_texts

pytestmark = pytest.mark.browser

WAIT = 120_000  # ms: generous, the first render includes the first solve

#: Streamlit's own widget chrome, which stays English whatever the app's language (Streamlit has
#: no locale for it), by the element that holds it: the Material icons' names (ligatures drawn
#: as icons, hidden from screen readers: 'upload', 'save'), the file uploader's box (its
#: "Upload" button and "5MB per file • TOML"; the uploader's own label is the app's and is
#: read), the hint under a text box being edited ("Press Enter to apply") and the data grid's
#: toolbar
CHROME = {
    "stIconMaterial": "icon names, drawn as icons",
    "stFileUploaderDropzone": "the file uploader's button and size limit",
    "InputInstructions": "Press Enter to apply",
    "stElementToolbar": "the data grid's search, download and fullscreen buttons",
    # not chrome, but code: commands, TOML and Python lines are written as the file or the
    # command is (their comments are in the language), as the headless walk leaves them too
    "stCode": "a command, a file, Python lines",
}


_CHROME_LINES = """(ids) => ids.flatMap(id =>
    [...document.querySelectorAll(`[data-testid=stMain] [data-testid=${id}]`)]
        .flatMap(e => e.innerText.split('\\n')))"""


def english_on(page) -> list[str]:
    """The lines of the page's main area, as drawn, that read as English (chrome aside)."""
    text = page.get_by_test_id("stMain").inner_text()
    chrome = {ln.strip() for ln in page.evaluate(_CHROME_LINES, list(CHROME))}
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return english_texts(("main", ln) for ln in lines if ln not in chrome)


def test_a_finance_officer_in_vietnamese_from_amounts_to_why_this_number(app_url, tmp_path):
    from playwright.sync_api import expect

    import fiscal
    from fiscal.errors import InfeasibleError
    from fiscal.prose.messages import text_of
    from fiscal_app.i18n import Tr

    t = Tr("vi")
    base = fiscal.load_scenario("national-2026-baseline.toml")
    # what the library says of the floors at 105 %: the page must say the same, in Vietnamese
    with pytest.raises(InfeasibleError) as caught:
        fiscal.run(base.with_value("constraints.hold-harmless.ratio", 1.05))
    err = caught.value
    envelope_repair = next(r for r in err.repairs if r.path == "envelope.total")
    repaired = base.with_value("constraints.hold-harmless.ratio", 1.05).with_value(
        envelope_repair.path, envelope_repair.value
    )
    row = fiscal.run(repaired).table.set_index("code").loc["08"]  # Tuyên Quang

    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/?lang=vi")
        allocated = page.get_by_test_id("stMetric").filter(has_text=t("metric.allocated"))
        expect(allocated).to_contain_text("238.421 tỷ đồng", timeout=WAIT)
        settled(page)
        assert not english_on(page), english_on(page)

        def enter(box, text: str) -> None:
            box.fill(text)
            box.press("Enter")
            settled(page)

        # 1. amounts: an ambiguous one refused, then the Vietnamese way and plain digits
        envelope = page.get_by_role("textbox", name=t("envelope.total"))
        expect(envelope).to_have_value("238.421")
        enter(envelope, "250,000")
        refusal = page.get_by_test_id("stAlert").filter(has_text="có hai cách hiểu")
        expect(refusal).to_be_visible(timeout=WAIT)
        expect(allocated).to_contain_text("238.421 tỷ đồng")
        assert not english_on(page), english_on(page)

        enter(envelope, "250.000")
        expect(allocated).to_contain_text("250.000 tỷ đồng", timeout=WAIT)
        expect(page.get_by_text("= 250.000 tỷ đồng", exact=True)).to_be_visible()
        expect(refusal).to_have_count(0)

        enter(envelope, "238421")
        expect(allocated).to_contain_text("238.421 tỷ đồng", timeout=WAIT)
        expect(page.get_by_text("= 238.421 tỷ đồng", exact=True)).to_be_visible()

        # 2. an infeasible setting, typed with a decimal comma
        page.get_by_role("tab", name=t("tab.rules")).click()
        ratio = page.get_by_role("textbox", name=t("field.ratio")).first
        enter(ratio, "1,05")
        alert = page.get_by_test_id("stAlert").filter(has_text="không khả thi")
        expect(alert).to_be_visible(timeout=WAIT)
        shown = alert.inner_text()
        for conflict in err.conflicts:
            assert text_of(conflict, "vi") in shown, (text_of(conflict, "vi"), shown)
        assert "4.133 tỷ đồng" in shown and "4,133" not in shown, shown
        assert not english_texts([("alert", shown)]), shown
        buttons = {}
        for rep in err.repairs:
            label = t("infeasible.apply", repair=rep.text("vi"))
            button = page.get_by_role("button", name=label, exact=True)
            expect(button).to_be_visible(timeout=WAIT)
            assert not english_texts([("button", label)]), label
            buttons[rep.path] = button
        assert "tăng tổng mức năm 2026 thêm 4.133 tỷ đồng" in envelope_repair.text("vi")
        assert not english_on(page), english_on(page)

        # 3. the repair applied: feasible again
        buttons["envelope.total"].click()
        settled(page)
        expect(alert).to_have_count(0, timeout=WAIT)
        expect(page.get_by_text(t("metric.reconciles"))).to_be_visible(timeout=WAIT)
        expect(allocated).to_contain_text("242.554,063 tỷ đồng", timeout=WAIT)
        assert t.bn(repaired.envelope.total, 3) == "242.554,063 tỷ đồng"  # the repair's envelope

        # 4. the map: hover a province, read its figures, follow it to Why this number
        page.get_by_role("link", name=t("nav.map")).click()
        expect(page.get_by_role("heading", name=t("map.title"), exact=True)).to_be_visible(
            timeout=WAIT
        )
        settled(page)
        expect(page.get_by_text(t("map.attribution"))).to_be_visible()
        assert not english_on(page), english_on(page)
        point = point_inside(page, f"{t('col.name')}: Tuyên Quang;")
        page.mouse.move(*point)
        tip = page.locator("#vg-tooltip-element")
        expect(tip).to_be_visible(timeout=WAIT)
        expect(tip).to_contain_text("Tuyên Quang")
        expect(tip).to_contain_text(t.bn(row["allocation"]))
        expect(tip).to_contain_text(t.pct(row["change_pct"], 2, sign=True))
        assert not english_texts([("tooltip", tip.inner_text())]), tip.inner_text()

        page.mouse.click(*point)
        heading = t("why.waterfall", name="Tuyên Quang", year=2026)
        expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=WAIT)
        expect(page).to_have_url(re.compile(r"/why\?.*lang=vi"))
        settled(page)
        assert not english_on(page), english_on(page)


PAGES = ("", "map", "why", "mergers", "compare", "tradeoffs", "data", "export", "history")
TITLES = {"": "allocate", "tradeoffs": "trade"}  # the pages' title keys where they differ


@pytest.mark.parametrize(
    "scenario", ["national-2026-baseline.toml", "national-2027-optimised-rates.toml"]
)
def test_every_page_as_the_browser_draws_it_is_vietnamese(app_url, tmp_path, scenario):
    """What the headless walk cannot see: the pages as drawn (chart axes and legends, the data
    grids' cells, captions of widgets), status quo and the A/B/C mechanism's optimised rates."""
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    left = {}
    with chromium(tmp_path / "profile", 1400, 2600) as context:
        page = context.new_page()
        for name in PAGES:
            page.goto(f"{app_url}/{name}?s={scenario}&lang=vi")
            title = t(f"{TITLES.get(name, name)}.title")
            expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=WAIT)
            settled(page)
            found = english_on(page)
            if found:
                left[name or "allocate"] = found
    assert not left, left


def test_the_workbook_downloaded_in_vietnamese_is_in_vietnamese(app_url, tmp_path):
    """The Export page's workbook, downloaded from a Vietnamese page: its sheets, titles and
    headers in Vietnamese (not the English workbook with bilingual sheets), its allocation
    still summing to the envelope to the million VND."""
    import openpyxl
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 2000) as context:
        page = context.new_page()
        page.goto(f"{app_url}/export?s=national-2026-budget.toml&lang=vi")
        expect(page.get_by_role("heading", name=t("export.title"), exact=True)).to_be_visible(
            timeout=WAIT
        )
        settled(page)
        button = page.get_by_role("button", name=t("export.xlsx"))
        expect(button).to_be_visible(timeout=WAIT)
        with page.expect_download(timeout=WAIT) as info:
            button.click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
    book = openpyxl.load_workbook(path, data_only=True)
    assert book.sheetnames[:4] == ["Phân bổ", "Các khoản bổ sung", "Ngân sách", "K Bổ sung cân đối"]
    assert "Bản đồ" in book.sheetnames and "Allocation" not in book.sheetnames
    ws = book["Phân bổ"]
    assert ws.cell(1, 1).value.startswith("Phân bổ — Cả nước 2026")
    head = [c.value for c in ws[4]]
    j = head.index("Phân bổ")
    rows = ws.iter_rows(min_row=5, values_only=True)
    units = [r for r in rows if r[0] == 2026 and isinstance(r[1], str)]  # the unit rows
    assert len(units) == 34 and sum(r[j] for r in units) == 238_421_000
    assert not english_in(" ".join(str(v) for v in head if v)), head


#: the cards' texts Chromium draws cut short with '…' (wider than their box)
_CUT_SHORT = """() => [...document.querySelectorAll('[data-testid=stMetric] *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent)"""


@pytest.mark.parametrize(
    "scenario", ["national-2026-budget.toml", "national-2027-optimised-rates.toml"]
)
def test_the_cards_are_not_cut_short_on_a_laptop_screen(app_url, tmp_path, scenario):
    """On a 1280-pixel screen the summary cards' names and values are drawn whole: seen cut
    with '…' were '2.112.798,8 tỷ đ…', '245.573,63 tỷ đ…' and 'Đơn vị không đạt quy tắc trên
    toàn bộ n…'."""
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1280, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/?s={scenario}&lang=vi")
        cards = page.get_by_test_id("stMetric")
        expect(cards.filter(has_text=t("metric.allocated"))).to_be_visible(timeout=WAIT)
        settled(page)
        assert cards.count() >= 6
        assert page.evaluate(_CUT_SHORT) == []


def test_the_allocate_address_opens_the_allocate_page_with_its_scenario(app_url, tmp_path):
    """/allocate?s=…&lang=vi (the page's own name, as the other pages have theirs) opens the
    Allocate page on that scenario, in Vietnamese: Streamlit served the default page only at /
    and said 'Page not found' (in English) over it."""
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/allocate?s=national-2026-minimax.toml&lang=vi")
        heading = page.get_by_role("heading", name=t("allocate.title"), exact=True)
        expect(heading).to_be_visible(timeout=WAIT)
        settled(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page).to_have_url(re.compile(r"s=national-2026-minimax\.toml"))
        expect(page.get_by_text("Cả nước 2026: thiếu hụt đồng đều (minimax)").first).to_be_visible()


def test_the_comparison_downloaded_in_vietnamese_is_in_vietnamese(app_url, tmp_path):
    """The Compare page's workbook from a Vietnamese page: Vietnamese sheets (Tóm tắt, Được và
    mất, …), not the English ones."""
    import openpyxl
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr("vi")
    with chromium(tmp_path / "profile", 1400, 2000) as context:
        page = context.new_page()
        page.goto(f"{app_url}/compare?s=national-2026-baseline.toml&lang=vi")
        button = page.get_by_role("button", name=t("compare.download"))
        expect(button).to_be_visible(timeout=WAIT)
        settled(page)
        with page.expect_download(timeout=WAIT) as info:
            button.click()
        path = tmp_path / "so-sanh.xlsx"
        info.value.save_as(path)
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert names[:3] == ["Tóm tắt", "Được và mất", "Đơn vị"], names
