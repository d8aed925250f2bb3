"""The app with the A/B/C mechanism: the Merged units page, the rate columns and the summary of
Allocate, and Why this number's A/B/C story, in English and in Vietnamese (AppTest)."""

from __future__ import annotations

import pytest
from app_helpers import start
from streamlit.testing.v1 import AppTest

OPTIMISED = "national-2027-optimised-rates.toml"


def _start(scenario: str, page: str | None = None, lang: str = "en") -> AppTest:
    return start(page, switch_lang=lang, s=scenario)


def _frames(at: AppTest):
    return [d.value for d in at.dataframe]


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [t.value for t in at.text] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_mergers_page_shows_each_merged_unit_beside_its_predecessors(lang):
    at = _start(OPTIMISED, "mergers", lang)
    text = _text(at)
    if lang == "en":
        assert "23 of 23 merged units keep at least their predecessors' summed" in text
        assert "The rate model" in text  # the A/B/C story of the chosen unit
        level, rate, held = "Row", "Rate (%)", "Held harmless"
    else:
        assert "23 trong 23 đơn vị hợp nhất" in text
        assert "Mô hình tối ưu" in text
        level, rate, held = "Dòng", "Tỷ lệ (%)", "Được bảo đảm"
    one, everyone = _frames(at)[:2]
    assert level in one.columns and rate in one.columns
    assert one[level].tolist()[0] in ("merged unit", "đơn vị hợp nhất")
    units = everyone[everyone[level].isin(["merged unit", "đơn vị hợp nhất"])]
    assert len(units) == 23 and set(units[held]) == {"yes" if lang == "en" else "có"}


def test_the_unit_choice_shows_that_units_predecessors():
    at = _start(OPTIMISED, "mergers")
    at.selectbox(key="mergers.unit").set_value("33").run()
    assert not at.exception
    one = _frames(at)[0]
    assert one["Unit"].tolist() == ["Hưng Yên", "Hưng Yên", "Thái Bình"]
    assert "Hưng Yên (79 %, remitted" in _text(at)


def test_a_scenario_without_the_mechanism_says_which_ones_have_it():
    at = _start("national-2026-baseline.toml", "mergers")
    assert "national-2026-bridge" in _text(at)
    at = _start("national-2026-baseline.toml", "mergers", "vi")
    assert "không dùng cơ chế A/B/C" in _text(at)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_allocate_shows_rates_classes_and_what_the_rate_model_did(lang):
    at = _start(OPTIMISED, lang=lang)
    rate = "Rate (%)" if lang == "en" else "Tỷ lệ (%)"
    cls = "Fiscal class" if lang == "en" else "Nhóm địa phương"
    units = next(f for f in _frames(at) if rate in f.columns)
    hanoi = units[units.iloc[:, 0].astype(str) == "01"].iloc[0]
    assert hanoi[rate] == 30
    assert hanoi[cls] == ("remits > 60 %" if lang == "en" else "điều tiết trên 60%")
    text = _text(at)
    if lang == "en":
        assert "6 differ from it (Thành phố Hà Nội 33 → 30%" in text
    else:
        assert "6 tỷ lệ khác công thức (Thành phố Hà Nội 33 → 30%" in text


def test_why_this_number_tells_the_a_b_c_story_in_vietnamese():
    at = _start("national-2026-bridge.toml", "why", "vi")
    at.selectbox(key="why.unit").set_value("56").run()
    assert not at.exception
    story = "\n".join(t.value for t in at.text)
    assert "Trong thời kỳ ổn định" in story and "số bổ sung riêng 319.000 triệu đồng" in story


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_envelope_from_the_mechanism_says_so_and_has_no_growth(lang):
    """national-2027-period-start takes its envelope from the mechanism: the box says where it
    comes from (it was an empty 'taken from the scenario'), and no growth box (one year, and
    envelope.growth is refused with from_sharing)."""
    from fiscal_app.i18n import Tr

    t = Tr(lang)
    at = _start("national-2027-period-start.toml", None, lang)
    boxes = [b for b in at.text_input if b.label == t("envelope.total")]
    assert len(boxes) == 1 and boxes[0].disabled
    assert boxes[0].value == t("envelope.from_sharing")
    assert not [b for b in at.text_input if b.label in (t("envelope.from"), t("envelope.growth"))]
