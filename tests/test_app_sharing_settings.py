"""Allocate's "Sharing rates" tab: the A/B/C mechanism's settings changed in the app act on the
result, in English and in Vietnamese (AppTest)."""

from __future__ import annotations

import pytest
from app_helpers import start
from streamlit.testing.v1 import AppTest

OPTIMISED = "national-2027-optimised-rates.toml"
BRIDGE = "national-2026-bridge.toml"


def _start(scenario: str, lang: str = "en") -> AppTest:
    return start(switch_lang=lang, s=scenario)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [t.value for t in at.text] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def _by_suffix(widgets, suffix: str):
    found = [w for w in widgets if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, [w.key for w in widgets]
    return found[0]


def test_the_tab_is_shown_only_with_the_mechanism():
    assert "Sharing rates" not in [t.label for t in _start("national-2026-baseline.toml").tabs]
    assert "Sharing rates" in [t.label for t in _start(OPTIMISED).tabs]
    assert "Tỷ lệ phân chia" in [t.label for t in _start(OPTIMISED, "vi").tabs]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_band_and_centre_revenue_act_on_the_rate_model(lang):
    at = _start(OPTIMISED, lang)
    chosen = "6 differ from it" if lang == "en" else "6 tỷ lệ khác công thức"
    kept = "every rate is the formula's" if lang == "en" else "mọi tỷ lệ đều giữ như công thức"
    assert chosen in _text(at)
    # no rate may move while the centre keeps what the rates in force remit: infeasible, and
    # the conflict names the hold-harmless rule in the language
    _by_suffix(at.slider, ".sharing.band").set_value(0).run()
    assert not at.exception, [e.value for e in at.exception]
    rule = "merged-hold-harmless" if lang == "en" else "Đơn vị hợp nhất không thấp hơn các tỉnh cũ"
    assert rule in _text(at) and chosen not in _text(at)
    # without the centre's minimum the formula's rates hold every merged unit harmless
    _by_suffix(at.selectbox, ".sharing.centre").set_value("none").run()
    assert not at.exception, [e.value for e in at.exception]
    assert kept in _text(at)
    _by_suffix(at.radio, ".sharing.rates").set_value("formula").run()
    assert not at.exception, [e.value for e in at.exception]
    assert kept not in _text(at)  # no rate model: the summary says nothing of a choice


def test_the_band_is_off_and_optimise_is_not_offered_under_the_formula_objective():
    at = _start(OPTIMISED)
    obj = _by_suffix(at.selectbox, ".obj.kind")
    obj.set_value("formula").run()
    assert not at.exception, [e.value for e in at.exception]
    rates = _by_suffix(at.radio, ".sharing.rates")
    assert rates.options == ["the formula's: (A − B) / C, whole percent"]
    assert _by_suffix(at.slider, ".sharing.band").disabled
    assert "needs an optimising objective" in _text(at)


def test_a_top_up_typed_the_vietnamese_way_reaches_the_unit():
    at = _start(BRIDGE, "vi")
    box = _by_suffix(at.text_input, ".sharing.topup.0")  # Khánh Hòa's top-up, in tỷ đồng
    assert box.label == "Bổ sung thêm cho Khánh Hòa (tỷ đồng)" and box.value == "319"
    box.set_value("1.000").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "= 1.000 tỷ đồng" in _text(at)
    at.switch_page("ui/why.py")
    at.run()
    at.selectbox(key="why.unit").set_value("56").run()
    story = "\n".join(t.value for t in at.text)
    assert "số bổ sung riêng 1.000.000 triệu đồng" in story


def test_the_uplift_edits_every_balancing_transfer():
    at = _start(BRIDGE)
    before = _text(at)
    box = _by_suffix(at.text_input, ".sharing.uplift")
    assert box.value == "0.03"
    box.set_value("0").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _text(at) != before
    edited = [c.value for c in at.caption if "Edited" in str(c.value) or "edited" in str(c.value)]
    assert edited, "the uplift counts as an edit of the scenario"
