"""The app with a points line and a priority (issue 14 points 1–2): Allocate lists the capital
line reconciled to its envelope and, for the national target programmes' line, which units have
priority and their ratio; Why this number tells a unit's points and its priority; in English and
Vietnamese (AppTest)."""

from __future__ import annotations

import pytest
from test_app_lines import _frame_with, _start, _text

NTP = "national-2026-ntp-priority.toml"
POINTS = "national-2026-capital-points.toml"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_allocate_lists_the_priority_units_with_their_ratio(lang):
    at = _start(NTP, lang=lang)
    text = _text(at)
    if lang == "en":
        allocated, line, ratio, prio, yes = (
            "Allocated (bn VND)",
            "Line",
            "Transfer / A",
            "Priority",
            "yes",
        )
        assert "priority where the balancing transfer is at least 70% of the spending need A " in (
            text
        )
        assert "the size of the priority is illustrative" in text
    else:
        allocated, line, ratio, prio, yes = (
            "Đã phân bổ (tỷ đồng)",
            "Khoản",
            "Bổ sung cân đối / A",
            "Ưu tiên",
            "có",
        )
        assert "ưu tiên đơn vị có bổ sung cân đối từ 70% nhu cầu chi A trở lên (4 đơn vị)" in text
    totals = _frame_with(at, allocated)
    assert totals[allocated].tolist()[-1] == 50_805.4
    table = _frame_with(at, ratio)
    assert len(table) == 27  # the receiving units only
    codes = table.iloc[:, 0].tolist()
    assert [c for c, p in zip(codes, table[prio], strict=True) if p == yes] == [
        "04",
        "08",
        "11",
        "12",
    ]
    assert line in totals.columns


@pytest.mark.parametrize(
    "lang, words",
    [
        ("en", ["46.0 points (population 23.5", "is 71.7% of its spending need A", "× 1.50"]),
        ("vi", ["46,0 điểm (dân số 23,5", "bằng 71,7% nhu cầu chi A", "× 1,50"]),
    ],
)
def test_why_tells_a_units_points_and_priority(lang, words):
    at = _start(NTP, "why", lang)
    at.selectbox(key="why.unit").set_value("08").run()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    for w in words:
        assert w in text


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_compare_shows_the_capital_line_per_scenario(lang):
    at = _start(POINTS, "compare", lang)
    at.multiselect(key="compare.chosen").set_value(["national-2026-budget.toml", POINTS]).run()
    assert not at.exception, [e.value for e in at.exception]
    col = "Line" if lang == "en" else "Khoản"
    frame = _frame_with(at, col)
    name = (
        "Central capital to localities (points)"
        if lang == "en"
        else "Vốn ngân sách trung ương hỗ trợ địa phương (phân bổ theo điểm)"
    )
    row = frame[frame[col] == name].iloc[0]
    assert row["national-2026-budget.toml"] == 0.0 and row[POINTS] == 50_805.4
