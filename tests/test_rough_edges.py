"""Issue 13's rough edges, each as a user met it, each checked on the current (A/B/C) data.

1. below need: one definition and one tolerance everywhere (the CLI said 2, the app 0)
2. the waterfall's axis started at 0: steps of ±100 bn on a 12,600 bn bar were lines
3. the waterfall CSV held solver noise (-1.862645149230957e-09)
4. CSV exports had no byte-order mark, and the allocation CSV did not say it is illustrative
5. two columns of the units table were both headed "Change"
6. the change chart clipped unit names
7. Trade-offs' default range left points infeasible; its colour legend had a single value
8. the objective box repeated itself ("Formula (status quo): Status quo: …")
9. "Edited: …" and Compare's "What differs" showed dotted paths (tests/test_app.py,
   test_edits_and_what_differs_name_settings_by_their_labels)
10. a data upload with two problems reported only the first
11. the merger-support scenario said "a 10 % cap" while a unit gains more than 10 %
12. "Envelope growth per year" on communes-2026-2030-all did nothing, yet counted as an edit
"""

from __future__ import annotations

import io

import app_helpers
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import fiscal
from fiscal import export, metrics
from fiscal.data import load_units, template_bytes
from fiscal.errors import DataError, ScenarioError
from fiscal.flags import Flags
from fiscal.scenario import list_scenarios, load_scenario
from fiscal_app import edits, views
from fiscal_app.i18n import Tr

BOM = b"\xef\xbb\xbf"


def start(page: str | None = None, lang: str = "en", **params: str) -> AppTest:
    return app_helpers.start(page, timeout=300, lang=lang, **params)


# ----------------------------------------------------------------------------- 1. below need


def test_below_need_and_share_of_need_met_use_one_tolerance():
    need = np.array([1_000.0, 2_000.0, 3_000.0])
    resources = need - np.array([0.3, 0.0, 5.0])  # short by 0.3 million: within the tolerance
    m = metrics.indicators(
        population=np.ones(3),
        resources=resources,
        need=need,
        transfer=resources,
        formula=resources,
        flags=Flags((1, 3)),
        allocation=resources,
        change_pct=np.zeros(3),
    )
    assert m["units_below_need"] == 1
    # the unit within the tolerance meets its need in the share too
    assert m["share_of_need_met"] == (need.sum() - 5.0) / need.sum()


@pytest.mark.parametrize("name", ["national-2026-baseline", "national-2026-need-gap"])
def test_the_command_line_and_the_metrics_count_the_same_units_below_need(name):
    from fiscal.prose import solve_summary

    result = fiscal.run(name)
    m = result.metrics
    assert f"Units below need: {m['units_below_need']}" in solve_summary(result)
    assert (m["units_below_need"] == 0) == (m["share_of_need_met"] == 1.0)


# ----------------------------------------------------------------------------- 2., 3. waterfall


def test_the_waterfall_axis_starts_near_the_amounts_so_small_steps_show():
    result = fiscal.run("national-2026-merger-support")
    w = result.explain("08")  # Tuyên Quang: 13,538 bn from the formula, 203 bn of support
    support = next(s for s in w.steps if s.kind.value == "support")
    spec = views.waterfall_chart(w, Tr("en")).to_dict()
    low, high = spec["encoding"]["y"]["scale"]["domain"]
    assert low > 0
    assert abs(support.amount) / 1000 / (high - low) > 0.1  # a tenth of the axis at least


def test_the_waterfall_csv_has_no_solver_noise():
    result = fiscal.run("national-2026-minimax")
    for code in ("24", "42", "51"):  # units whose steps carry ±9.3e-10 of solver noise
        w = result.explain(code)
        csv = export.tables_bytes({"waterfall": w.frame("en")}, "csv", title="w").decode()
        assert "e-" not in csv, csv
        assert all(a == round(a, 6) for _, a in w.rows("vi"))


# ----------------------------------------------------------------------------- 4. CSV files


def test_csv_exports_have_a_byte_order_mark_and_say_figures_are_illustrative():
    result = fiscal.run("national-2026-baseline")
    data = export.csv_bytes(result)
    assert data.startswith(BOM)
    first = data[3:].decode("utf-8").splitlines()[0]
    assert first.startswith("# Illustrative figures in use") and "spending_need" in first
    assert "," not in first  # a comment line: one cell in a spreadsheet
    table = pd.read_csv(io.BytesIO(data), comment="#", dtype={"code": str})
    assert len(table) == 34 and table["allocation"].sum() == 238_421_000
    vi = export.csv_bytes(result, "vi")[3:].decode("utf-8").splitlines()[0]
    assert vi.startswith("# Đang dùng số liệu minh hoạ")
    from fiscal.compare import compare

    other = fiscal.run("national-2026-minimax")
    both = export.comparison_bytes(compare([result, other]), "csv")
    assert both.startswith(BOM) and both[3:5] == b"# "
    assert template_bytes("csv", "province").startswith(BOM)


# ----------------------------------------------------------------------------- 5., 6. the table


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_change_columns_have_distinct_headers_with_their_units(lang):
    t = Tr(lang)
    result = fiscal.run("national-2026-baseline")
    frame, _ = views.units_table(result, 2026, t)
    assert len(set(frame.columns)) == len(frame.columns)
    change = [c for c in frame.columns if c.startswith(t("col.change").split(" (")[0])]
    assert len(change) == 2 and all("(" in c for c in change), change


def test_the_change_chart_writes_every_name_in_full():
    result = fiscal.run("commune-68-lam-dong-sectors")
    spec = views.change_chart(result, 2026, Tr("vi")).to_dict()
    names = spec["encoding"]["y"]
    assert names["field"] == "unit" and names["axis"]["labelLimit"] >= views.NAME_PX
    assert "labelAngle" not in names["axis"]  # level, not turned
    rows = len(next(iter(spec["datasets"].values())))
    assert spec["height"] >= views.ROW_PX * rows  # a row per unit, whatever the page's width
    longest = result.table["name"].astype(str).str.len().max()
    assert longest * 7.5 <= views.NAME_PX  # ~7.5 px a character at the axis' 11 px


# ----------------------------------------------------------------------------- 7. trade-offs


def test_the_default_envelope_range_of_trade_offs_is_feasible():
    at = start("tradeoffs")
    at.number_input(key="trade.steps").set_value(11).run()
    at.button(key="trade.go").click().run()
    assert not at.exception
    done = next(c.value for c in at.caption if c.value.startswith("11 points"))
    assert done.endswith("0 infeasible."), done


def test_the_colour_of_trade_offs_varies_or_draws_no_legend():
    from fiscal_app import frontier_views

    result = fiscal.run("national-2026-baseline")
    low = edits.sweepable(result.scenario, result.problem)[0]
    from fiscal.frontier import frontier

    frame = frontier(result.scenario, low.path, np.linspace(low.low, low.high, 5).tolist())
    ok = frame[frame["status"] == "optimal"]
    numeric = [c for c in metrics.SPEC if c in frame.columns and ok[c].notna().any()]
    x, y, colour = frontier_views.default_axes(ok, numeric)
    assert frontier_views.constant_value(ok, colour) is None
    flat = "units_at_cap"  # 0 at every point: one colour, no legend of one value
    assert frontier_views.constant_value(ok, flat) == 0
    spec = frontier_views.frontier_chart(ok, {}, x, y, flat, 0.0, Tr("en")).to_dict()
    colours = [layer["encoding"].get("color") for layer in spec["layer"] if "encoding" in layer]
    assert all(c is None or "field" not in c for c in colours), colours  # no legend
    spec = frontier_views.frontier_chart(ok, {}, x, y, colour, 0.0, Tr("en")).to_dict()
    colours = [layer["encoding"].get("color") for layer in spec["layer"] if "encoding" in layer]
    assert any(c and c.get("field") == "c" for c in colours)


# ----------------------------------------------------------------------------- 8. objective box


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_objective_box_says_each_thing_once(lang):
    t = Tr(lang)
    for kind in ("formula", "need_gap", "shortfall_minimax", "per_capita_maximin", "stability"):
        character, name = t.character(kind), t.objective(kind)
        head = character.split(":")[0].lower() if ":" in character[:40] else ""
        # the box reads "<name>: <character>": the character does not open with the name again
        assert not head or head not in name.lower(), (name, character)
    at = start(lang=lang)
    box = " ".join(i.value for i in at.info)
    assert "Status quo: " not in box and "Hiện trạng: " not in box


# ----------------------------------------------------------------------------- 10. uploads


def _template_lines() -> list[str]:
    return template_bytes("csv", "province", prefilled=True).decode("utf-8-sig").splitlines()


def _with(lines: list[str], cells: dict[tuple[int, str], str]) -> list[str]:
    header = lines[0].split(",")
    out = list(lines)
    for (k, column), value in cells.items():
        row = out[k].split(",")
        row[header.index(column)] = value
        out[k] = ",".join(row)
    return out


@pytest.mark.parametrize(
    "case",
    ["formula and number", "two formulas", "extra field and number", "missing column and number"],
)
def test_a_table_with_two_problems_is_refused_with_both(case):
    lines = _template_lines()
    if case == "formula and number":
        lines = _with(lines, {(1, "population"): "=A1", (2, "retention"): "45"})
        want = ["starts with '='", "must be ≤ 1"]
    elif case == "two formulas":
        lines = _with(lines, {(1, "population"): "=A1", (2, "area_km2"): "=B2"})
        want = ["'=A1'", "'=B2'"]
    elif case == "extra field and number":
        lines = _with(lines, {(2, "retention"): "45"})
        lines[1] += ",x"
        want = ["fields but the header has", "must be ≤ 1"]
    else:
        header = lines[0].split(",")
        drop = header.index("area_km2")
        lines = _with(lines, {(2, "retention"): "45"})
        lines = [",".join(c for j, c in enumerate(x.split(",")) if j != drop) for x in lines]
        want = ["missing required column 'area_km2'", "must be ≤ 1"]
    with pytest.raises(DataError) as info:
        load_units("t.csv", "province", data="\n".join(lines).encode())
    message = str(info.value)
    assert all(w in message for w in want), message
    assert "problem(s) in the unit table" in message
    vi = info.value.text("vi")
    assert "lỗi" in vi and "bảng đơn vị" in vi


# ----------------------------------------------------------------------------- 11. titles


def test_a_scenario_whose_support_is_outside_its_cap_says_so():
    for path in list_scenarios():
        scen = load_scenario(path)
        caps = [c for c in scen.constraints if c.kind == "cap"]
        support = [c for c in scen.constraints if c.kind == "merger_support"]
        if not caps or not support:
            continue
        result = fiscal.run(scen)
        t = result.year_table()
        ratio = max(np.atleast_1d(caps[0].ratio))
        grows = (t["allocation"] > ratio * t["baseline"] + 0.5).any()
        if grows:  # the title or description must not let a reader expect the cap to hold
            meta = scen.scenario
            assert "outside" in f"{meta.name} {meta.description}", meta.name
            assert "ngoài mức trần" in f"{meta.name_vi} {meta.description_vi}"


# ----------------------------------------------------------------------------- 12. dead control


def test_a_growth_that_cannot_act_is_refused_by_the_library():
    scen = load_scenario("communes-2026-2030-all")
    with pytest.raises(ScenarioError) as info:
        scen.with_value("envelope.growth", 0.05)
    assert "growth has no effect here" in str(info.value)
    assert "national-2026-2030-transition.toml" in str(info.value)
    assert "không có tác dụng" in info.value.text("vi")
    years = load_scenario("national-2026-2030-transition")
    assert years.with_value("envelope.growth", 0.05).envelope.growth == 0.05  # it acts there
    # nor where the envelope is the mechanism's transfers (issue 11's period start)
    with pytest.raises(ScenarioError) as info:
        load_scenario("national-2027-period-start").with_value("envelope.growth", 0.05)
    assert "from_sharing" in str(info.value) and "không có tác dụng" in info.value.text("vi")


def test_the_app_hides_a_growth_box_that_cannot_act():
    at = start(s="communes-2026-2030-all.toml")
    assert not [w for w in at.text_input if w.key and w.key.endswith(".env.growth")]
    at = start(s="national-2026-2030-transition.toml")
    assert [w for w in at.text_input if w.key and w.key.endswith(".env.growth")]
