"""The Execution and capital page (AppTest), in English and in Vietnamese: the drawdown table
reconciling to the real 2026 total, the profile switch, the Monte Carlo's summary and the
capital view."""

from __future__ import annotations

import pytest
from app_helpers import start
from streamlit.testing.v1 import AppTest

BRIDGE = "national-2026-bridge.toml"


def _start(lang: str = "en", scenario: str = BRIDGE) -> AppTest:
    return start("execution", switch_lang=lang, s=scenario)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_drawdown_reconciles_and_the_page_speaks_the_language(lang):
    at = _start(lang)
    schedule = at.dataframe[0].value
    if lang == "en":
        assert at.title[0].value == "Execution and capital"
        annual, name, total = "Annual balancing transfer", "Unit", "TOTAL"
        assert "Q1 takes 25.0% of the year" in at.success[0].value
    else:
        assert at.title[0].value == "Thực hiện ngân sách và chi đầu tư"
        annual, name, total = "Bổ sung cân đối cả năm", "Đơn vị", "TỔNG CỘNG"
        assert "quý I rút 25,0% dự toán năm" in at.success[0].value
        assert any("bình quân" in m.value for m in at.markdown)  # the Monte Carlo's summary
    last = schedule.iloc[-1]
    assert last[name] == total and last[annual] == 238_421_000
    assert len(schedule) == 35  # 34 units and the total


def test_the_front_loaded_profile_draws_30_percent_in_q1():
    at = _start()
    at.radio(key="exec.profile").set_value("front").run()
    assert not at.exception
    assert "Q1 takes 30.0% of the year" in at.success[0].value
    schedule = at.dataframe[0].value
    months = [f"Month {m}" for m in range(1, 13)]
    body = schedule.iloc[:-1]
    assert (body[months].sum(axis=1) == body["Annual balancing transfer"]).all()


def test_the_outturn_follows_the_seed_and_hcmc_is_never_short():
    at = _start()
    units = at.dataframe[1].value.set_index("Code")
    assert units.loc["79", "Share of draws below need"] == 0.0  # at 114.7 % of its estimate
    before = at.dataframe[1].value
    at.number_input(key="exec.seed").set_value(5).run()
    assert not at.exception
    assert not at.dataframe[1].value.equals(before)
    at.number_input(key="exec.seed").set_value(0).run()
    assert at.dataframe[1].value.equals(before)
