"""Every page in Tiếng Việt, headless (AppTest): no English sentence is left in the main area.

Each shipped scenario is walked through every page, and the states a finance officer meets are
provoked on purpose: an infeasible scenario with its repairs, a number typed wrongly, a rule
that clashes, a bad scenario file, a unit table with problems, a shared link that cannot be
read, a frontier with infeasible points, stored runs reviewed by their own author. What the page
shows is collected by :func:`app_texts.page_texts` and read by :func:`english.english_in`.

Not checked here (and why): Streamlit's own widget chrome (the file uploader's "Upload" and
"5MB per file"; the data grid's toolbar; "Press Enter to apply"; "Running..."), which the
browser pass (``tests/test_browser_vietnamese.py``, ``CHROME``) lists by element; code
blocks (a TOML file, a command line, Python lines, a link: they are files and code, written as
the file or the command is); and the texts below in :data:`KEPT`.
"""

from __future__ import annotations

import re

import pytest
from app_texts import page_texts
from english import english_texts
from streamlit.testing.v1 import AppTest

from fiscal.scenario import list_scenarios
from fiscal_app import launch

APP = str(launch.APP)
PAGES = (
    "allocate",
    "map",
    "why",
    "compare",
    "tradeoffs",
    "data",
    "export",
    "history",
    "mergers",
    "execution",
)
SCENARIOS = [p.name for p in list_scenarios()]

#: texts that stay as they are in Vietnamese, with the reason
KEPT = {
    # the name a new rule gets when none is typed: an identifier (it is its kind's code), used
    # in the scenario's settings and the shareable link
    (
        "text_input placeholder",
        r"(floor|cap|per_capita_min|transition|group_share|merger_support"
        r"|earmark|sector_bounds)(-\d+)?",
    ),
    # the language switch names each language in itself
    ("segmented_control option", r"English"),
}


def _kept(where: str, text: str) -> bool:
    return any(where == w and re.fullmatch(p, text) for w, p in KEPT)


def english_left(at: AppTest) -> list[str]:
    """The English texts of the page's main area (what :data:`KEPT` allows aside)."""
    assert not at.exception, [e.value for e in at.exception]
    shown = [(w, t) for w, t in page_texts(at) if not _kept(w, t)]
    return english_texts(shown)


def start(scenario: str = "national-2026-baseline.toml", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["lang"] = "vi"
    at.query_params["s"] = scenario
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    return at


def visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"ui/{page}.py")
    at.run()
    return at


def keyed(widgets, suffix: str):
    found = [w for w in widgets if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, (suffix, [w.key for w in widgets])
    return found[0]


@pytest.fixture
def store(tmp_path, monkeypatch):
    from fiscal.store import _OPEN

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    monkeypatch.setenv("FISCAL_STORE", url)
    monkeypatch.setenv("FISCAL_AUTHOR", "Lan")
    yield url
    store = _OPEN.pop(url, None)
    if store is not None:
        store.close()


def test_the_detector_finds_english_and_leaves_vietnamese_and_identifiers_alone():
    from english import english_in

    assert english_in("Scenario 'X' is infeasible: its rules cannot all hold.")
    assert english_in("Remove")  # an English button alone
    assert english_in("Kịch bản: National 2026 baseline (status-quo formula)")
    assert not english_in("Năm 2026: mức sàn “Không thấp hơn năm gốc” cần 242.554 tỷ đồng")
    assert not english_in("hãy đặt envelope.mode = 'at_most' hoặc sửa need_gap.toml")
    assert not english_in("Tải bảng so sánh (XLSX), CSV, TOML")
    assert not english_in("Xã Than Uyên")  # a name, not the English 'than'


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_page_of_every_shipped_scenario_is_in_vietnamese(scenario, store):
    at = start(scenario)
    left = {}
    for page in PAGES:
        visit(at, page)
        if page == "tradeoffs" and any(b.key == "trade.go" for b in at.button):
            at.number_input(key="trade.steps").set_value(5).run()
            at.button(key="trade.go").click().run()
        found = english_left(at)
        if found:
            left[page] = found
    assert not left, left


def test_an_infeasible_scenario_its_conflicts_and_repairs_are_vietnamese():
    at = start("national-2026-infeasible-floors.toml")
    assert not english_left(at)
    error = " ".join(e.value for e in at.error)
    assert "không khả thi" in error and "tỷ đồng" in error and "bn VND" not in error
    repairs = [b for b in at.button if b.key and b.key.startswith("repair.")]
    assert repairs and all(b.label.startswith("Áp dụng: ") for b in repairs)
    assert any("tăng tổng mức năm 2026 thêm" in b.label for b in repairs)
    repairs[0].click().run()
    assert not at.error and not english_left(at)


def test_refused_entries_clashing_rules_and_bad_files_are_said_in_vietnamese():
    at = start()
    keyed(at.text_input, ".env.total").input("250,000").run()  # ambiguous in Vietnamese
    assert any("có hai cách hiểu" in e.value for e in at.error)
    assert not english_left(at)
    keyed(at.selectbox, ".add.kind").set_value("earmark").run()
    keyed(at.button, ".add.go").click().run()  # an earmark needs a sector this scenario lacks
    assert at.error and not english_left(at)
    at.file_uploader(key="upload_toml").set_value(
        ("hỏng.toml", b"[scenario]\nname = 'x'\n[envelope]\ntotal = -1\n", "text/plain")
    ).run()
    assert any("hỏng.toml" in e.value for e in at.error)
    assert not english_left(at)


def test_a_unit_table_with_problems_lists_them_all_in_vietnamese():
    from fiscal.data import template_bytes

    at = visit(start(), "data")
    lines = template_bytes("csv", "province", prefilled=True).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    for k, column, value in ((1, "population", "nhiều"), (2, "retention", "45")):
        row = lines[k].split(",")
        row[header.index(column)] = value
        lines[k] = ",".join(row)
    at.file_uploader(key="data.upload").set_value(
        ("bang.csv", "\n".join(lines).encode(), "text/csv")
    ).run()
    problems = at.code[0].value
    assert "bảng đơn vị có 2 lỗi" in problems, problems
    assert "'nhiều' không phải là số" in problems and "phải ≤ 1" in problems
    assert not english_texts([("problems", line) for line in problems.splitlines()])
    assert not english_left(at)


def test_a_shared_link_that_cannot_be_read_says_so_in_vietnamese():
    at = start(e="not-a-link!")
    assert any("đường dẫn chia sẻ" in w.value for w in at.warning)
    assert not english_left(at)


def test_history_with_runs_reviewed_by_their_author_is_vietnamese(store):
    import fiscal
    from fiscal.store import open_store

    runs = open_store(store)
    a = runs.save(fiscal.run("national-2026-baseline"), name="v1", author="Lan")
    runs.save(fiscal.run("national-2026-new-norms"), name="v2", author="Lan", parent=a.id)
    at = visit(start(), "history")
    assert not english_left(at)
    at.button(key="history.attr.go").click().run()
    assert not english_left(at)
    at.selectbox(key="history.approve").set_value(2).run()
    at.text_input(key="history.who").set_value("Lan")
    at.button(key="history.review.go").click().run()  # the author may not review it
    assert at.error and not english_left(at)
