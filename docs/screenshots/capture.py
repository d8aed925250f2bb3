"""Take the README's screenshots the way the browser test drives the app.

    .venv/bin/python docs/screenshots/capture.py

Starts the app as `fiscal app` does on a free local port, opens each view in Debian's
/usr/bin/chromium through Playwright (headless, fresh profile) and writes docs/screenshots/*.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tests"))

from browser_helpers import chromium, point_inside, settled, streamlit_server  # noqa: E402

WAIT = 90_000
WIDTH = 1400
HEIGHT = 2600  # tall, so that every element is drawn before the shot


def settle(page) -> None:
    """Wait until the script has finished and every chart and table has drawn."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading").first).to_be_visible(timeout=WAIT)
    settled(page, WAIT)
    charts = page.get_by_test_id("stVegaLiteChart")
    for k in range(charts.count()):
        if charts.nth(k).is_visible():  # charts in hidden tabs draw when shown
            expect(charts.nth(k).locator("canvas, svg").first).to_be_visible(timeout=WAIT)
    grids = page.get_by_test_id("stDataFrame")
    for k in range(grids.count()):
        if grids.nth(k).is_visible():  # tables in hidden tabs draw when shown
            expect(grids.nth(k).locator("td").first).to_be_attached(timeout=WAIT)
    time.sleep(1.5)


def shoot(page, name: str, max_height: int = 2600) -> None:
    """The page down to its last element (the viewport is tall: Streamlit draws lazily)."""
    bottom = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMainBlockContainer"]');
        let b = 0;
        for (const e of main.querySelectorAll('[data-testid="stElementContainer"]')) {
            const r = e.getBoundingClientRect();
            if (r.height > 0 && e.checkVisibility()) b = Math.max(b, r.bottom);
        }
        return b;
    }""")
    height = min(max(int(bottom) + 48, 700), max_height)
    page.screenshot(
        path=str(HERE / f"{name}.png"), clip={"x": 0, "y": 0, "width": WIDTH, "height": height}
    )
    print(f"wrote docs/screenshots/{name}.png")


def seed_store() -> None:
    """A run store of its own with two runs of one lineage, for the History page."""
    import fiscal
    from fiscal.store import open_store

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'runs.sqlite'}"
    os.environ["FISCAL_STORE"] = url  # the app below inherits it
    from fiscal.scenario import bundled_scenarios_dir

    scen = bundled_scenarios_dir()
    store = open_store(url)
    later = (
        fiscal.load_scenario(scen / "national-2026-new-norms.toml")
        .with_value("envelope.total", 245_000_000)
        .with_value("objective.kind", "shortfall_minimax")
        .with_value("constraints.hold-harmless.ratio", 0.97)
    )
    first = store.save(
        fiscal.run(scen / "national-2026-baseline.toml"),
        name="Baseline 2026",
        note="as in NQ 246/2025",
        author="lan",
    )
    store.review(first.id, who="minh")
    store.approve(first.id, who="hoa")
    store.save(fiscal.run(later), name="Revised norms, 245,000 bn", author="lan", parent=first.id)


def main() -> None:
    from playwright.sync_api import expect

    seed_store()
    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    with streamlit_server(log) as url, chromium(Path(tempfile.mkdtemp()), WIDTH, HEIGHT) as context:
        page = context.new_page()

        def visit(path: str) -> None:
            page.goto(f"{url}/{path}")
            settle(page)

        def choose(select: str, option: str) -> None:
            page.get_by_test_id("stSelectbox").filter(has_text=select).click()
            page.get_by_role("option", name=option).click()
            settle(page)

        visit("?s=national-2026-merger-support.toml")
        shoot(page, "allocate")

        visit("?s=national-2026-infeasible-floors.toml")
        expect(page.get_by_text("These settings are infeasible")).to_be_visible(timeout=WAIT)
        shoot(page, "infeasible", 1500)

        visit("?s=national-2026-infeasible-floors.toml&lang=vi")
        expect(page.get_by_text("Các thiết lập này không khả thi")).to_be_visible(timeout=WAIT)
        shoot(page, "infeasible-vi", 1500)

        visit("why?s=national-2026-merger-support.toml")
        shoot(page, "why")

        visit("compare?s=national-2026-baseline.toml")
        shoot(page, "compare")

        visit("tradeoffs?s=national-2026-equalise-floor95.toml")
        choose("Setting to vary", "hold-harmless · Ratio × baseline")
        page.get_by_role("button", name="Draw the frontier").click()
        expect(page.get_by_text("Solved 11 points")).to_be_visible(timeout=WAIT)
        settle(page)
        shoot(page, "tradeoffs")

        visit("data?s=national-2026-baseline.toml")
        choose("Merged unit", "79 — Thành phố Hồ Chí Minh")
        shoot(page, "data")

        visit("export?s=national-2026-baseline.toml")
        shoot(page, "export")

        visit("?s=national-2026-merger-support.toml&lang=vi")
        shoot(page, "vietnamese")

        visit("why?s=national-2026-bridge.toml&lang=vi")
        shoot(page, "why-vi")

        visit("mergers?s=national-2027-optimised-rates.toml&lang=vi")
        shoot(page, "mergers")

        visit("map?s=national-2026-merger-support.toml&lang=vi")
        page.mouse.move(*point_inside(page, "Đơn vị: Tuyên Quang;"))
        expect(page.locator("#vg-tooltip-element")).to_be_visible(timeout=WAIT)
        time.sleep(0.5)
        shoot(page, "map")

        visit("?s=national-2026-baseline.toml&lang=vi")
        envelope = page.get_by_role("textbox", name="Tổng mức phân bổ (tỷ đồng)")
        envelope.fill("250,000")
        envelope.press("Enter")
        expect(page.get_by_text("có hai cách hiểu", exact=False)).to_be_visible(timeout=WAIT)
        settle(page)
        shoot(page, "amounts", 900)

        visit("history")
        page.get_by_role("tab", name="Why it changed").click()
        page.get_by_role("button", name="Explain the change").click()
        expect(page.get_by_text("14 combination(s) solved")).to_be_visible(timeout=WAIT)
        settle(page)
        shoot(page, "history")


if __name__ == "__main__":
    main()
