"""Compare as the browser draws it (Debian's /usr/bin/chromium through Playwright)."""

from __future__ import annotations

import pytest
from browser_helpers import chromium, settled

pytestmark = pytest.mark.browser

WAIT = 120_000  # ms: the first render includes the first solves

_AXIS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(c =>
    [...c.querySelectorAll('g.role-axis-label text')].map(t => t.textContent))"""


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_flat_change_chart_reads_zero_and_says_why(app_url, tmp_path, lang):
    """Seen in Vietnamese: a scenario beside its unedited copy drew the change axis' only tick
    as '0,000000' (rendered offline it read '0'); it reads '0' and the page says why it is flat."""
    from playwright.sync_api import expect

    from fiscal_app.i18n import Tr

    t = Tr(lang)
    file = "national-2026-baseline.toml"
    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/compare?s={file}&lang={lang}")
        chosen = page.get_by_test_id("stMultiSelect")
        expect(chosen).to_contain_text(file, timeout=WAIT)
        settled(page)
        box = chosen.locator("input")
        box.click()
        box.press("Backspace")  # the default partner out
        settled(page)
        box.click()
        box.fill(t("compare.current_unedited"))
        box.press("Enter")
        page.keyboard.press("Escape")
        settled(page)
        expect(chosen).to_contain_text(t("compare.current_unedited"))
        note = t("compare.no_change", label=t("compare.current_unedited"), ref=file, year=2026)
        expect(page.get_by_text(note)).to_be_visible(timeout=WAIT)
        labels = [ls for ls in page.evaluate(_AXIS) if ls]
        assert labels, "no chart drawn"
        ticks = [s for s in labels[0] if any(ch.isdigit() for ch in s)]
        assert ticks == ["0"], labels[0][:5]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_scenario_with_nothing_beside_it_says_how_to_make_a_variant(app_url, tmp_path, lang):
    """Seen on communes-2026-2030-all: Compare set the file beside its own unedited copy. It
    stands alone and the page says, in the page's language, how to make something to compare."""
    from playwright.sync_api import expect
    from test_browser_vietnamese import english_on

    from fiscal.scenario import load_scenario
    from fiscal_app.i18n import Tr

    t = Tr(lang)
    file = "communes-2026-2030-all.toml"
    meta = load_scenario(file).scenario
    name = meta.name_vi if lang == "vi" else meta.name
    with chromium(tmp_path / "profile", 1400, 1400) as context:
        page = context.new_page()
        page.goto(f"{app_url}/compare?s={file}&lang={lang}")
        said = t("compare.nothing_yet", name=name, current=t("compare.current"))
        expect(page.get_by_test_id("stAlert").filter(has_text=said)).to_be_visible(timeout=WAIT)
        settled(page)
        chosen = page.get_by_test_id("stMultiSelect")
        expect(chosen).to_contain_text(file)
        expect(chosen).not_to_contain_text(t("compare.current_unedited"))
        if lang == "vi":
            assert not english_on(page), english_on(page)
