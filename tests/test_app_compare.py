"""Compare's default choice: the unedited scenario beside a sensible partner, or alone with a
plain word (in both languages) on how to make something to compare it with."""

from __future__ import annotations

import shutil

import pytest
from app_helpers import assert_clean, start

from fiscal.scenario import bundled_scenarios_dir, load_scenario
from fiscal_app.i18n import Tr
from fiscal_app.ui.compare import partner

SCEN = bundled_scenarios_dir()
TUYEN_QUANG = "commune-08-tuyen-quang.toml"


def _shipped() -> dict[str, str]:
    return {p.name: str(p) for p in sorted(SCEN.glob("*.toml"))}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_scenario_without_a_partner_stands_alone_and_says_how_to_make_one(lang):
    """Seen on communes-2026-2030-all: with no sibling, Compare set the file beside its own
    unedited copy (the same numbers twice)."""
    t = Tr(lang)
    at = start("compare", s=TUYEN_QUANG, switch_lang=lang)
    assert at.multiselect(key="compare.chosen").value == [TUYEN_QUANG]
    said = [i.value for i in at.info]
    meta = load_scenario(TUYEN_QUANG).scenario
    name = meta.name_vi if lang == "vi" else meta.name
    text = next(s for s in said if f"'{name}'" in s)
    assert text == t("compare.nothing_yet", name=name, current=t("compare.current"))
    assert t("nav.allocate") in text and ".toml" in text
    assert t("compare.need_two") not in said
    # edited, the edit is set beside its file, as before
    at.switch_page("ui/allocate.py")
    at.run()
    kind = next(s for s in at.selectbox if s.key and s.key.endswith(".obj.kind"))
    kind.set_value("need_gap").run()
    at.switch_page("ui/compare.py")
    at.run()
    assert_clean(at)
    assert at.multiselect(key="compare.chosen").value == [TUYEN_QUANG, t("compare.current")]


def test_the_partner_of_each_shipped_scenario_covers_the_same_units_and_years():
    files = _shipped()
    for name in ("communes-2026-2030-all.toml", TUYEN_QUANG, "commune-68-lam-dong-sectors.toml"):
        assert partner(name, load_scenario(files[name]).to_dict(), files) is None, name
    base = load_scenario(files["national-2026-baseline.toml"])
    other = partner("national-2026-baseline.toml", base.to_dict(), files)
    assert other is not None
    mate = load_scenario(files[other])
    assert (mate.scenario.level, mate.scenario.province, mate.years) == (
        base.scenario.level,
        base.scenario.province,
        base.years,
    )
    assert mate.objective.kind != base.objective.kind


def test_without_a_sibling_the_scenario_it_extends_or_takes_its_envelope_from(tmp_path):
    shutil.copy(SCEN / "national-2026-baseline.toml", tmp_path / "a.toml")
    kind = load_scenario(tmp_path / "a.toml").objective.kind
    (tmp_path / "b.toml").write_text(
        '[scenario]\nname = "b"\nextends = "a.toml"\n\n[envelope]\ntotal = 240_000_000\n',
        encoding="utf-8",
    )
    files = {n: str(tmp_path / n) for n in ("a.toml", "b.toml")}
    b = load_scenario(files["b.toml"])
    assert b.objective.kind == kind  # not a sibling: the same objective
    assert partner("b.toml", b.to_dict(), files) == "a.toml"
    # from elsewhere (no file of its own): the one it takes its envelope from
    data = b.to_dict()
    data["envelope"] = {"from_scenario": "a"}
    assert partner(None, data, files) == "a.toml"
    # a parent of other years cannot be set beside it unit by unit
    data = b.to_dict()
    data["scenario"]["years"] = [2027]
    assert partner("b.toml", data, files) is None


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_flat_comparison_says_why_its_chart_is_flat(lang):
    t = Tr(lang)
    base = "national-2026-baseline.toml"
    at = start("compare", switch_lang=lang)
    at.multiselect(key="compare.chosen").set_value([base, t("compare.current_unedited")]).run()
    assert_clean(at)
    note = t("compare.no_change", label=t("compare.current_unedited"), ref=base, year=2026)
    assert note in [c.value for c in at.caption]
    # beside a scenario that moves money, no such word
    other = partner(base, load_scenario(base).to_dict(), _shipped())
    at.multiselect(key="compare.chosen").set_value([base, other]).run()
    assert_clean(at)
    assert not [c.value for c in at.caption if c.value.startswith(note[:12])]


def test_the_change_axis_has_a_format_of_its_own():
    """Without one, the browser's Vega wrote a flat axis '0,000000' (tests/test_browser_compare)."""
    import fiscal
    from fiscal.compare import compare
    from fiscal_app import charts, views

    r = fiscal.run(SCEN / "national-2026-baseline.toml")
    c = compare([r, r], labels=["a", "b"])
    assert views.unchanged(c, "b", 2026)
    for lang in ("en", "vi"):
        spec = views.winners_chart(c, "b", 2026, Tr(lang)).to_dict()
        assert spec["encoding"]["x"]["axis"]["format"] == charts.AXIS_FORMAT == ",.3~f"
