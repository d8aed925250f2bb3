"""The app with transfer lines: Allocate's Transfer lines section (each line, each unit's lines,
the whole-budget rules), Why this number by line and Compare by line, in English and Vietnamese
(AppTest)."""

from __future__ import annotations

import pytest
from app_helpers import start
from streamlit.testing.v1 import AppTest

BUDGET = "national-2026-budget.toml"
MERGER = "national-2025-merger-money.toml"


def _start(scenario: str, page: str | None = None, lang: str = "en") -> AppTest:
    return start(page, switch_lang=lang, s=scenario)


def _frame_with(at: AppTest, column: str):
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, [list(d.value.columns) for d in at.dataframe]
    return frames[0]


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [t.value for t in at.text] + [w.value for w in at.warning]
    parts += [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_allocate_shows_each_line_reconciled_and_each_units_lines(lang):
    at = _start(BUDGET, lang=lang)
    text = _text(at)
    if lang == "en":
        assert "Transfer lines and the whole budget" in text
        assert "Illustrative: how these lines are shared" in text
        line, allocated, envelope = "Line", "Allocated (bn VND)", "Envelope (bn VND)"
        names = ["Balancing transfer", "Base-salary top-up", "Targeted transfers"]
        rules = "Rules on the whole budget"
    else:
        assert "Các khoản bổ sung và toàn bộ ngân sách" in text
        line, allocated, envelope = "Khoản", "Đã phân bổ (tỷ đồng)", "Tổng mức (tỷ đồng)"
        names = ["Bổ sung cân đối", "Bổ sung thực hiện mức lương cơ sở", "Bổ sung có mục tiêu"]
        rules = "Quy tắc trên toàn bộ ngân sách"
    assert rules in text
    totals = _frame_with(at, allocated)
    assert totals[line].tolist() == names
    assert totals[allocated].tolist() == [238_421.0, 53_554.0, 187_175.0]
    assert totals[allocated].tolist() == totals[envelope].tolist()
    units = _frame_with(at, names[1])
    assert len(units) == 34


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_why_this_number_tells_each_line(lang):
    at = _start(MERGER, "why", lang)
    at.selectbox(key="why.unit").set_value("33").run()
    assert not at.exception
    text = _text(at)
    if lang == "en":
        assert "Commune facilities, round 2 (Decision 2639): 55,800 million VND" in text
        assert "100,000 × 1 (reduced provinces) + 500 × 277 (reduced communes)" in text
        by_line = _frame_with(at, "Line")
    else:
        assert "(QĐ 2639): 55.800 triệu đồng" in text
        assert "100.000 × 1 (số tỉnh giảm) + 500 × 277 (số xã giảm)" in text
        by_line = _frame_with(at, "Khoản")
    assert len(by_line) == 5  # revenue kept, three lines, resources


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_compare_shows_each_line_per_scenario(lang):
    at = _start(BUDGET, "compare", lang)
    at.multiselect(key="compare.chosen").set_value(
        ["national-2026-bridge.toml", BUDGET, MERGER]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert (
        "Transfer lines per scenario" if lang == "en" else "Các khoản bổ sung theo kịch bản"
    ) in text
    col = "Line" if lang == "en" else "Khoản"
    frame = _frame_with(at, col)
    names = frame[col].tolist()
    salary = "Base-salary top-up" if lang == "en" else "Bổ sung thực hiện mức lương cơ sở"
    row = frame[frame[col] == salary].iloc[0]
    assert row["national-2026-bridge.toml"] == 0.0 and row[BUDGET] == 53_554.0
    assert len(names) == 8  # revenue kept, five lines, all lines, resources


def test_a_shared_link_carries_line_and_budget_rule_edits():
    from fiscal.scenario import load_scenario
    from fiscal_app import edits

    base = load_scenario(BUDGET).to_dict()
    work = load_scenario(BUDGET).to_dict()
    work["lines"]["targeted"]["envelope"] = 180_000_000.0
    work["budget_rules"][0]["min_share"] = 0.25
    changed = edits.diff(base, work)
    assert changed
    again = edits.apply_edits(base, edits.decode_edits(edits.encode_edits(changed)))
    assert again["lines"]["targeted"]["envelope"] == 180_000_000.0
    assert again["budget_rules"][0]["min_share"] == 0.25
