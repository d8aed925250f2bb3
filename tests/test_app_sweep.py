"""The app survives any combination of its main widgets (issue #7, point 4): an AppTest sweep.

One headless session per language is driven through every objective × envelope mode × floor
ratio (including the widgets' own minimum and maximum and an infeasible value), the blend
weight's ends, the number inputs' extremes, every kind of rule added, every shipped scenario,
and every page under an infeasible setting. After each change no exception may reach the
page; an infeasible setting must show an error in words instead. tests/test_app.py tests what
each page shows; this file only looks for crashes.
"""

from __future__ import annotations

import itertools

import pytest
from streamlit.testing.v1 import AppTest

from fiscal.scenario import list_scenarios
from fiscal_app import launch
from fiscal_app.numbers import Field, entry_text

APP = launch.APP
KINDS = ["formula", "need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend"]
MODES = ["equal", "at_most"]
RATIOS = [0.0, 0.95, 1.2, 10.0]  # 0 and 10 are the widget's limits; 1.2 is infeasible
PAGES = ["why", "compare", "tradeoffs", "data", "export", "allocate"]

pytestmark = pytest.mark.slow  # a crash sweep (~30 s); tests/test_app.py checks each page's content


def _start(lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.run()
    _clean(at, "start")
    if lang != "en":
        at.segmented_control(key="lang").set_value(lang).run()
        _clean(at, f"language {lang}")
    return at


def _clean(at: AppTest, step: str) -> None:
    assert not at.exception, (step, [e.value for e in at.exception])


def _keyed(widgets, suffix: str):
    found = [w for w in widgets if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, (suffix, [w.key for w in widgets])
    return found[0]


def _has(widgets, suffix: str) -> bool:
    return any(w.key and w.key.endswith(suffix) for w in widgets)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_objective_mode_and_floor(lang: str) -> None:
    at = _start(lang)
    steps = 0
    for kind, mode, ratio in itertools.product(KINDS, MODES, RATIOS):
        step = f"{kind} / {mode} / floor {ratio}"
        _keyed(at.selectbox, "obj.kind").set_value(kind).run()
        _clean(at, step)
        _keyed(at.selectbox, "env.mode").set_value(mode).run()
        _clean(at, step)
        if _has(at.text_input, "hold-harmless.ratio"):
            _keyed(at.text_input, "hold-harmless.ratio").input(
                entry_text(ratio, lang, Field())
            ).run()
            _clean(at, step)
        if ratio == 1.2 and mode == "equal":
            assert at.error, f"{step}: an infeasible setting shows no message"
        if kind == "blend":
            for weight in (0.0, 1.0):
                _keyed(at.select_slider, "obj.weight").set_value(weight).run()
                _clean(at, f"{step} / weight {weight}")
        steps += 1
    assert steps == len(KINDS) * len(MODES) * len(RATIOS)


# what may be typed into a number box at and beyond its limits (refused ones leave no trace)
LIMITS = {
    "env.total": ["0", "1,000,000,000", "1,000,000,001", "-5", "1e9", "238,421"],
    "hold-harmless.ratio": ["0", "10", "10.01", "", "x", "1"],
    "need.markup": ["0", "1", "1.5", "0.005"],
}


def test_number_inputs_at_their_limits() -> None:
    at = _start("en")
    for suffix, texts in LIMITS.items():
        for text in texts:
            _keyed(at.text_input, suffix).input(text).run()
            _clean(at, f"{suffix} = {text!r}")
    _keyed(at.toggle, "hold-harmless.soft").set_value(True).run()
    _clean(at, "soft floor")
    _keyed(at.text_input, "hold-harmless.ratio").input("10").run()
    _clean(at, "soft floor at 10 × baseline")


def test_every_kind_of_rule_can_be_added() -> None:
    at = _start("en")
    kinds = list(_keyed(at.selectbox, "add.kind").options)
    assert kinds
    for label in kinds:
        _keyed(at.selectbox, "add.kind").set_value(label).run()
        _clean(at, f"choose {label}")
        add = [b for b in at.button if b.key and b.key.endswith("add.go")]
        if add:
            add[0].click().run()
            _clean(at, f"add {label}")


def test_every_shipped_scenario_and_every_page() -> None:
    at = _start("en")
    picker = at.selectbox(key="pick")
    names = [p.name for p in list_scenarios() if not ("communes" in p.name and "all" in p.name)]
    for name in names:
        option = next(o for o in picker.options if o.endswith(name))
        at.selectbox(key="pick").set_value(option).run()
        _clean(at, name)
    # an infeasible setting, then every page
    at.selectbox(key="pick").set_value(
        next(o for o in picker.options if o.endswith("national-2026-baseline.toml"))
    ).run()
    _keyed(at.text_input, "hold-harmless.ratio").input("1.2").run()
    for page in PAGES:
        at.switch_page(f"ui/{page}.py")
        at.run()
        _clean(at, f"page {page} with infeasible floors")
