"""Trade-offs across transfer lines in the app (issue 14 point 5), in English and Vietnamese
(AppTest): a line's envelope swept and on the chart's axis, the metrics on total resources
beside those on the balancing line (each saying its base), and each line at a chosen point."""

from __future__ import annotations

import json

import pytest
from app_helpers import start
from streamlit.testing.v1 import AppTest

from fiscal_app import launch

BUDGET = "national-2026-budget.toml"
WORDS = {
    "en": {
        "path": "line: Targeted transfers · envelope",
        "gini_total": "Gini, total resources per person",
        "gini": "Gini, resources per person (revenue kept + balancing)",
        "line": "Line",
        "rows": [
            "Balancing transfer",
            "Base-salary top-up",
            "Targeted transfers",
            "All transfer lines",
            "Total resources",
        ],
        "at": "At this point",
        "now": "Current scenario",
        "change": "Change",
        "points": ["168,458", "187,175", "205,893"],
        "breach": "Units breaching: per-capita-minimum",
    },
    "vi": {
        "path": "khoản: Bổ sung có mục tiêu · tổng mức",
        "gini_total": "Gini, tổng nguồn lực bình quân",
        "gini": "Gini, nguồn lực bình quân (thu được hưởng + bổ sung cân đối)",
        "line": "Khoản",
        "rows": [
            "Bổ sung cân đối",
            "Bổ sung thực hiện mức lương cơ sở",
            "Bổ sung có mục tiêu",
            "Tổng các khoản bổ sung",
            "Tổng nguồn lực",
        ],
        "at": "Tại điểm này",
        "now": "Kịch bản hiện tại",
        "change": "Chênh lệch",
        "points": ["168.458", "187.175", "205.893"],
        "breach": "Đơn vị không đạt: tối thiểu bình quân đầu người",
    },
}


def _keyed(widgets, suffix: str):
    found = [w for w in widgets if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, (suffix, [w.key for w in widgets])
    return found[0]


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _swept(lang: str) -> AppTest:
    at = start("tradeoffs", switch_lang=lang, s=BUDGET)
    path = _keyed(at.selectbox, "trade.path")
    assert WORDS[lang]["path"] in path.options
    path.set_value("lines.targeted.envelope").run()
    at.number_input(key="trade.steps").set_value(3).run()
    at.button(key="trade.go").click().run()
    _clean(at)
    return at


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_tradeoffs_sweeps_a_lines_envelope_and_shows_each_line_at_a_point(lang):
    w = WORDS[lang]
    at = _swept(lang)
    assert not at.error
    # the swept line across, equity and the poorest on total resources
    assert _keyed(at.selectbox, "trade.xaxis").value == "line_targeted"
    assert _keyed(at.selectbox, "trade.yaxis").value == "gini_total"
    assert _keyed(at.selectbox, "trade.color").value == "min_per_capita_total"
    chart = json.dumps(json.loads(at.get("vega_lite_chart")[0].proto.spec), ensure_ascii=False)
    assert w["rows"][2] in chart and w["gini_total"] in chart
    frontier = next(d.value for d in at.dataframe if w["gini_total"] in d.value.columns)
    assert w["gini"] in frontier.columns  # the balancing line's metric says its base
    assert w["breach"] in frontier.columns
    # bn VND; the middle point is the scenario's own 187,175 bn (the grid passes through it)
    assert frontier[w["rows"][2]].tolist() == [168_458.0, 187_175.0, 205_893.0]
    assert frontier[w["gini"]].nunique() == 1  # the balancing allocation does not move
    assert frontier[w["gini_total"]].is_monotonic_decreasing
    # each line at a point: the current scenario's nearest first, then the last
    point = _keyed(at.selectbox, "trade.point.3")
    assert point.options == w["points"]  # the setting in the language's numbers
    assert point.value == 1
    point.set_value(2).run()
    _clean(at)
    lines = next(d.value for d in at.dataframe if w["at"] in d.value.columns)
    assert lines[w["line"]].tolist() == w["rows"]
    change = dict(zip(lines[w["line"]], lines[w["change"]], strict=True))
    assert change[w["rows"][0]] == 0.0 and change[w["rows"][1]] == 0.0
    assert change[w["rows"][2]] == pytest.approx(205_893 - 187_175)
    assert change[w["rows"][4]] == pytest.approx(205_893 - 187_175)
    now = dict(zip(lines[w["line"]], lines[w["now"]], strict=True))
    assert now[w["rows"][2]] == 187_175.0  # NQ 246's targeted transfers


def test_tradeoffs_without_lines_has_no_line_table():
    at = start("tradeoffs", s="national-2026-minimax.toml")
    assert not any(o.startswith("line") for o in _keyed(at.selectbox, "trade.path").options)
    at.number_input(key="trade.steps").set_value(3).run()
    at.button(key="trade.go").click().run()
    _clean(at)
    assert not [s for s in at.selectbox if s.key and "trade.point" in s.key]
    frontier = at.dataframe[0].value
    assert "Gini, resources per person" in frontier.columns
    assert not any("total resources" in c for c in frontier.columns)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_compare_metrics_name_each_line_and_each_base(lang):
    at = AppTest.from_file(str(launch.APP), default_timeout=180)
    at.query_params["s"] = BUDGET
    at.run()
    if lang == "vi":
        at.sidebar.segmented_control(key="lang").set_value("vi").run()
    at.switch_page("ui/compare.py")
    at.run()
    at.multiselect(key="compare.chosen").set_value(["national-2026-bridge.toml", BUDGET]).run()
    _clean(at)
    col = "Metric" if lang == "en" else "Chỉ số"
    frame = next(d.value for d in at.dataframe if col in d.value.columns)
    names = frame[col].tolist()
    w = WORDS[lang]
    assert w["gini"] in names and w["gini_total"] in names and w["breach"] in names
    row = frame[frame[col] == w["rows"][2]].iloc[0]  # the targeted line's total, in bn VND
    assert row[BUDGET] == ("187,175.0 bn VND" if lang == "en" else "187.175,0 tỷ đồng")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_tradeoffs_shows_each_unit_at_a_point_on_request(lang):
    at = _swept(lang)
    _keyed(at.selectbox, "trade.point.3").set_value(2).run()
    at.button(key="trade.units_go").click().run()
    _clean(at)
    head = "Each unit's lines where" if lang == "en" else "Các khoản của từng đơn vị khi"
    shown = "205,893" if lang == "en" else "205.893"
    assert any(head in m.value and shown in m.value for m in at.markdown)
    targeted = WORDS[lang]["rows"][2]
    change = (
        "Change in resources (bn VND)" if lang == "en" else "Chênh lệch tổng nguồn lực (tỷ đồng)"
    )
    units = next(d.value for d in at.dataframe if change in d.value.columns)
    assert len(units) == 34
    # the targeted line at 205,893 bn VND, to the million; each unit's resources change by
    # exactly its change of the targeted line (the other lines do not move)
    assert units[targeted].sum() == pytest.approx(205_893.0, abs=1e-6)
    from fiscal import run

    now = run(BUDGET).budget.line("targeted").amount[0] / 1000
    assert units[change].to_numpy() == pytest.approx(units[targeted].to_numpy() - now, abs=1e-9)
    assert (units[change] != 0).sum() > 20
    if lang == "vi":  # nothing of the page is left in English
        from test_app_vietnamese import english_left

        assert not english_left(at)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_allocate_cards_add_total_resources_with_lines(lang):
    from fiscal import run

    at = AppTest.from_file(str(launch.APP), default_timeout=180)
    at.query_params["s"] = BUDGET
    at.run()
    if lang == "vi":
        at.sidebar.segmented_control(key="lang").set_value("vi").run()
    _clean(at)
    cards = {m.label: m.value for m in at.metric}
    m = run(BUDGET).metrics
    if lang == "en":
        total, gini, breaching = (
            "Total resources",
            WORDS["en"]["gini_total"],
            "Units breaching a whole-budget rule",
        )
        assert cards[total] == "2,112,798.8 bn VND"
        assert cards[gini] == f"{m['gini_total']:.4f}"
    else:
        total, gini, breaching = (
            "Tổng nguồn lực",
            WORDS["vi"]["gini_total"],
            "Đơn vị không đạt quy tắc ngân sách",
        )
        assert cards[total] == "2.112.798,8 tỷ đồng"
        assert cards[gini] == f"{m['gini_total']:.4f}".replace(".", ",")
    assert cards[breaching] == str(m["units_breaching_rules"])
    assert len(cards) == 9


SHARE_WORDS = {
    "en": ("line: Targeted transfers · central share, receiving (fraction of the cost)", "1.2"),
    "vi": (
        "khoản: Bổ sung có mục tiêu · phần ngân sách trung ương hỗ trợ, nhận bổ sung cân đối "
        "(tỷ lệ của chi phí)",
        "1,2",
    ),
}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_tradeoffs_sweeps_a_cofinancing_share_and_refuses_one_past_one(lang):
    label, past_one = SHARE_WORDS[lang]
    path = "lines.targeted.central_share.receiving"
    at = start("tradeoffs", switch_lang=lang, s=BUDGET)
    picker = _keyed(at.selectbox, "trade.path")
    assert label in picker.options
    picker.set_value(path).run()
    lo = _keyed(at.text_input, f"trade.lo.{path}")
    hi = _keyed(at.text_input, f"trade.hi.{path}")
    # Decree 09/2025's 0.8 ± 0.1, in the language's numbers
    assert (lo.value, hi.value) == (("0.7", "0.9") if lang == "en" else ("0,7", "0,9"))
    at.number_input(key="trade.steps").set_value(3).run()
    at.button(key="trade.go").click().run()
    _clean(at)
    assert not at.error
    w = WORDS[lang]
    frontier = next(d.value for d in at.dataframe if w["gini_total"] in d.value.columns)
    assert frontier[w["gini_total"]].is_monotonic_decreasing  # more to receiving units
    assert frontier[w["rows"][2]].tolist() == [187_175.0] * 3  # the envelope stays
    _keyed(at.text_input, f"trade.hi.{path}").set_value(past_one).run()
    at.button(key="trade.go").click().run()
    _clean(at)
    said = " ".join(e.value for e in at.error)
    if lang == "en":
        assert "central_share.receiving must be between 0 and 1 (got 1.2)" in said
        assert "not percent" in said
    else:
        assert "central_share.receiving phải nằm trong khoảng từ 0 đến 1 (nhận được 1,2)" in said
        assert "= 1,2)" in said and "không phải phần trăm" in said
