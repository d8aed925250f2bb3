"""The Streamlit app driven headless with AppTest: each page's main path and its error paths.

Pages are switched with ``AppTest.switch_page``; no test may leave an exception (a traceback in
the UI) behind. Pure helpers of ``fiscal_app`` (labels, number formats, the link encoding) are
tested directly.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from app_helpers import allocation_by_year, assert_clean, start
from streamlit.testing.v1 import AppTest

from fiscal.errors import ScenarioError
from fiscal.scenario import load_scenario, parse_scenario
from fiscal_app import edits
from fiscal_app.i18n import EN, VI, Tr

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "national-2026-baseline.toml"
ENVELOPE_BN = 238_421.0


def keyed(widgets, suffix: str):
    """The widget whose key ends with ``suffix`` (keys carry a revision number)."""
    found = [w for w in widgets if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, (suffix, [w.key for w in widgets])
    return found[0]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def units_frame(at: AppTest) -> pd.DataFrame:
    """The units table of the Allocate page (the one with an 'Allocation' column)."""
    for df in at.dataframe:
        value = df.value
        if isinstance(value, pd.DataFrame) and any(
            "Allocation" in c or "Phân bổ" in c for c in value.columns
        ):
            return value
    raise AssertionError("no units table on the page")


def allocation_column(frame: pd.DataFrame) -> pd.Series:
    col = next(c for c in frame.columns if c.startswith(("Allocation", "Phân bổ")))
    return frame[col]


# ----------------------------------------------------------------------------- pure helpers


def test_every_label_exists_in_both_languages():
    assert set(EN) == set(VI)
    assert all(VI[k].strip() for k in VI)


def test_every_label_used_in_the_code_is_defined():
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+|yes|no|year|source)["']""")
    used = set()
    for path in sorted((ROOT / "fiscal_app").rglob("*.py")):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in EN)
    assert used and not missing, missing


def test_labels_built_at_run_time_exist():
    keys = [f"field.{f.key}" for fields in edits.FIELDS.values() for f in fields]
    keys += [f"{k}_help" for k in keys] + [
        "level.province",
        "level.commune",
        "envelope.mode.equal",
        "envelope.mode.at_most",
    ]
    assert not [k for k in keys if k not in EN or k not in VI]


def test_vietnamese_number_format():
    vi, en = Tr("vi"), Tr("en")
    assert vi.num(1234567.891, 1) == "1.234.567,9"
    assert en.num(1234567.891, 1) == "1,234,567.9"
    assert vi.pct(0.0312, 1) == "3,1%"
    assert vi.num(-1234.5, 1, sign=True) == "-1.234,5"
    assert en.num(0.0001, 1, sign=True) == "0.0"  # no "+0.0" or "-0.0" in the app
    assert vi.bn(238_421_000) == "238.421 tỷ đồng"
    assert en.bn(238_421_000) == "238,421 bn VND"
    assert vi.mvnd(1_470_286) == "1.470.286 triệu đồng"


def test_edits_round_trip_through_a_link():
    base = load_scenario(BASELINE).to_dict()
    work = load_scenario(BASELINE).to_dict()
    work["envelope"]["total"] = 240_000_000.0
    work["constraints"][0]["ratio"] = 0.97
    changes = edits.diff(base, work)
    assert changes == {"envelope.total": 240_000_000.0, "constraints": work["constraints"]}
    text = edits.encode_edits(changes)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", text)
    restored = edits.restore(base, edits.decode_edits(text))
    assert restored.to_dict() == work


@pytest.mark.parametrize(
    "text, message",
    [
        ("!!!", "characters a link never has"),
        ("abcd", "cannot be read"),
        ("x" * (edits.MAX_LINK_CHARS + 1), "above the limit"),
    ],
)
def test_a_bad_link_says_what_is_wrong(text, message):
    with pytest.raises(ScenarioError, match=message):
        edits.decode_edits(text)


def test_a_link_cannot_set_unknown_settings_or_invalid_values():
    base = load_scenario(BASELINE).to_dict()
    with pytest.raises(ScenarioError, match="not a scenario setting"):
        edits.restore(base, {"__class__": 1})
    with pytest.raises(ScenarioError, match="envelope.total"):
        edits.restore(base, {"envelope.total": -5})


def test_reproduce_recipe_gives_the_same_table(tmp_path):
    import fiscal

    scen = load_scenario(BASELINE).with_value("envelope.total", 240_000_000)
    (tmp_path / "edited.toml").write_text(scen.to_toml(), encoding="utf-8")
    cmd, python = edits.reproduce("edited.toml")
    assert cmd == "fiscal solve edited.toml -o allocation.xlsx --lang en"
    namespace: dict = {}
    import contextlib
    import os

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(python, "reproduce", "exec"), namespace)  # our own snippet
    finally:
        os.chdir(cwd)
    expected = fiscal.run(scen).table
    pd.testing.assert_frame_equal(namespace["table"], expected)
    # in Vietnamese the same lines, with their comment and printed label in Vietnamese
    _, python_vi = edits.reproduce("edited.toml", lang="vi")
    assert "triệu đồng" in python_vi and "million VND" not in python_vi
    assert [ln.split("#")[0] for ln in python_vi.splitlines()][:-1] == [
        ln.split("#")[0] for ln in python.splitlines()
    ][:-1]


def test_the_recipes_command_writes_the_workbook_the_page_offers(tmp_path, monkeypatch):
    """`fiscal solve … --lang vi` (the Export page's command in Vietnamese) writes the sheets of
    the workbook the page offers, in Vietnamese (the page's adds its Map sheet)."""
    import openpyxl

    import fiscal
    from fiscal.cli import main
    from fiscal_app import engine

    scen = load_scenario("national-2026-budget.toml")
    (tmp_path / "edited.toml").write_text(scen.to_toml(), encoding="utf-8")
    cmd, _ = edits.reproduce("edited.toml", lang="vi")
    assert cmd.endswith("--lang vi")
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(cmd.split()[1:]) == 0
    written = openpyxl.load_workbook(tmp_path / "allocation.xlsx", read_only=True).sheetnames
    offered = engine.result_xlsx(fiscal.run(scen), "vi")
    sheets = openpyxl.load_workbook(io.BytesIO(offered), read_only=True).sheetnames
    assert [s for s in sheets if s != "Bản đồ"] == written
    assert written[:3] == ["Phân bổ", "Các khoản bổ sung", "Ngân sách"]


# ----------------------------------------------------------------------------- allocate


def test_allocate_shows_the_units_table_metrics_chart_and_notice():
    at = start()
    frame = units_frame(at)
    assert len(frame) == 34
    assert allocation_column(frame).sum() == pytest.approx(ENVELOPE_BN, abs=1e-6)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Allocated"] == "238,421 bn VND"
    assert any("Illustrative figures in use" in w.value for w in at.warning)
    assert any("Reconciles exactly" in c.value for c in at.caption)
    assert not errors(at)


def test_changing_the_envelope_changes_the_table_and_it_still_reconciles():
    at = start()
    before = allocation_column(units_frame(at)).to_numpy()
    keyed(at.text_input, ".env.total").input("250,000").run()
    assert_clean(at)
    after = allocation_column(units_frame(at)).to_numpy()
    assert after.sum() == pytest.approx(250_000.0, abs=1e-6)
    assert (after != before).any()
    assert any("1 setting(s) changed" in c.value for c in at.caption)


def test_objective_and_weight_are_editable_and_explained():
    at = start()
    keyed(at.selectbox, ".obj.kind").set_value("blend").run()
    assert_clean(at)
    assert not keyed(at.select_slider, ".obj.weight").disabled
    keyed(at.select_slider, ".obj.weight").set_value(0.8).run()
    assert_clean(at)
    assert any("λ × equity" in i.value for i in at.info)
    assert allocation_column(units_frame(at)).sum() == pytest.approx(ENVELOPE_BN, abs=1e-6)


def test_rules_can_be_added_changed_and_removed():
    at = start()
    keyed(at.selectbox, ".add.kind").set_value("cap").run()
    # +3 % for every receiving unit, Khánh Hòa +25 % and Quảng Ngãi +8 % with their top-ups
    keyed(at.text_input, ".add.ratio").input("1.26").run()
    keyed(at.button, ".add.go").click().run()
    assert_clean(at)
    assert not errors(at)
    ratio = keyed(at.text_input, ".c.cap.ratio")
    assert ratio.value == "1.26"
    frame = units_frame(at)
    flags = frame[next(c for c in frame.columns if c == "Flags")]
    assert flags.str.contains("at cap").any()
    keyed(at.text_input, ".c.cap.ratio").input("1.5").run()
    loose = units_frame(at)
    baseline = loose[next(c for c in loose.columns if c.startswith("Baseline"))]
    capped = loose["Flags"].str.contains("at cap")
    # a loose cap holds only the units without a baseline (their cap is 0 × baseline = 0)
    assert capped.any() and (baseline[capped] == 0).all()
    keyed(at.button, ".c.cap.remove").click().run()
    assert_clean(at)
    assert not [w for w in at.text_input if w.key and ".c.cap." in w.key]


def test_adding_a_rule_that_clashes_shows_the_message_not_a_traceback():
    at = start()
    keyed(at.selectbox, ".add.kind").set_value("earmark").run()
    keyed(at.button, ".add.go").click().run()
    assert_clean(at)
    assert any("sector" in e for e in errors(at))


def test_need_rates_and_regional_coefficients_are_editable_tables():
    at = start(s="national-2026-new-norms.toml")  # the baseline's need is A, one column
    before = allocation_column(units_frame(at)).to_numpy()
    rev = at.session_state["rev"]
    key = f"{rev}.criteria.en"
    at.session_state[key] = {
        "edited_rows": {"1": {"rate": "900"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    after = allocation_column(units_frame(at)).to_numpy()
    assert (after != before).any()
    coef = f"{rev}.coef.region.en"
    regions = next(d for d in at.data_editor if "region" in d.value.columns).value
    row = regions.index[regions["region"] == "Mekong River Delta"][0]
    at.session_state[coef] = {
        "edited_rows": {str(row): {"population": "1.6"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    assert (allocation_column(units_frame(at)).to_numpy() != after).any()
    assert any(
        "need.criteria" in c.value or "constraints" in c.value or "setting(s)" in c.value
        for c in at.caption
    )


def test_infeasible_settings_show_the_repair_and_the_repair_applies():
    at = start()
    keyed(at.text_input, ".c.hold-harmless.ratio").input("1.2").run()
    assert_clean(at)
    text = " ".join(errors(at))
    assert "infeasible" in text
    assert "raise the 2026 envelope by" in text
    assert "lower the floor ratio of 'hold-harmless'" in text
    repair = next(b for b in at.button if "lower the floor ratio" in b.label)
    repair.click().run()
    assert_clean(at)
    assert not errors(at)
    assert float(keyed(at.text_input, ".c.hold-harmless.ratio").value) < 1.2
    assert allocation_column(units_frame(at)).sum() == pytest.approx(ENVELOPE_BN, abs=1e-6)


def test_a_shipped_scenario_can_be_chosen():
    at = start()
    at.selectbox(key="pick").set_value("national-2026-minimax.toml").run()
    assert_clean(at)
    assert keyed(at.selectbox, ".obj.kind").value == "shortfall_minimax"
    assert allocation_column(units_frame(at)).sum() == pytest.approx(ENVELOPE_BN, abs=1e-6)


def test_uploading_a_scenario_uses_it_and_a_bad_one_says_why():
    at = start()
    scen = load_scenario(BASELINE).with_value("envelope.total", 245_000_000)
    at.file_uploader(key="upload_toml").set_value(
        ("mine.toml", scen.to_toml().encode(), "application/toml")
    ).run()
    assert_clean(at)
    assert allocation_column(units_frame(at)).sum() == pytest.approx(245_000.0, abs=1e-6)
    at.file_uploader(key="upload_toml").set_value(
        ("broken.toml", b"[scenario]\nname = 'x'\n[envelope]\ntotal = -1\n", "text/plain")
    ).run()
    assert_clean(at)
    text = " ".join(errors(at))
    assert "broken.toml" in text and "envelope.total" in text


def test_keeping_a_scenario_offers_it_for_comparison():
    at = start()
    keyed(at.text_input, ".env.total").input("240000").run()
    at.text_input(key="keep_label").input("plus two").run()
    at.button(key="keep_go").click().run()
    assert_clean(at)
    assert "plus two" in at.session_state["saved"]


def test_an_unexpected_error_shows_a_short_message_not_a_traceback(monkeypatch):
    from fiscal_app import unit_tables

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    # the units table (its frames are cached across tests; the section that shows them is not)
    monkeypatch.setattr(unit_tables, "units_section", broken)
    at = start()
    assert any("Something went wrong (RuntimeError: boom)" in e for e in errors(at))
    assert at.title[0].value == "Allocate"


def test_the_scenario_given_at_start_is_shown(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "argv", ["app.py", "--scenario", "national-2026-minimax"])
    assert keyed(start().selectbox, ".obj.kind").value == "shortfall_minimax"
    own = tmp_path / "own.toml"
    own.write_text(
        load_scenario(BASELINE).with_value("envelope.total", 239_000_000).to_toml(),
        encoding="utf-8",
    )
    monkeypatch.setattr(sys, "argv", ["app.py", "--scenario", str(own)])
    at = start()
    assert allocation_column(units_frame(at)).sum() == pytest.approx(239_000.0, abs=1e-6)
    monkeypatch.setattr(sys, "argv", ["app.py", "--scenario", "nowhere.toml"])
    at = start()
    assert any("nowhere.toml" in w.value for w in at.warning)
    assert allocation_column(units_frame(at)).sum() == pytest.approx(ENVELOPE_BN, abs=1e-6)


# ----------------------------------------------------------------------------- why this number


def test_why_shows_a_waterfall_its_story_and_the_ledger():
    at = start("why")
    assert not errors(at)
    assert at.subheader[0].value.endswith("from the formula to the final amount")
    story = at.text[0].value
    assert "formula shares" in story
    steps = at.dataframe[0].value
    assert steps.iloc[0, 0] == "formula amount"
    assert steps.iloc[-1, 0] == "final allocation"
    assert steps.iloc[:-1, 1].sum() == pytest.approx(steps.iloc[-1, 1], abs=1e-6)
    ledger = at.dataframe[1].value
    assert list(ledger["Rule"]) == ["envelope", "hold-harmless"]
    assert "dl_waterfall" in {b.key for b in at.get("download_button")}
    at.selectbox(key="why.unit").set_value("79").run()
    assert_clean(at)
    assert "Hồ Chí Minh" in at.subheader[0].value


def test_why_on_an_optimised_scenario_names_who_benefits_and_who_pays():
    at = start("why", s="national-2026-merger-support.toml")
    ledger = at.dataframe[1].value
    binding = ledger[ledger["Binding"] == "yes"]
    assert len(binding) >= 2
    assert (ledger["Who benefits"].str.len() > 0).any()


def test_why_on_infeasible_settings_shows_the_repair():
    at = start("why", s="national-2026-infeasible-floors.toml")
    assert "infeasible" in " ".join(errors(at))


# ----------------------------------------------------------------------------- compare


def test_compare_two_scenarios_metrics_winners_losers_and_diff():
    at = start("compare")
    at.multiselect(key="compare.chosen").set_value([BASELINE, "national-2026-minimax.toml"]).run()
    assert_clean(at)
    assert not errors(at)
    heads = [s.value for s in at.subheader]
    assert "Metrics" in heads and "What differs between the scenarios" in heads
    assert any(h.startswith("Winners and losers") for h in heads)
    params = next(d.value for d in at.dataframe if "Setting" in d.value.columns)
    # the setting by its name, not its dotted path; the values by their names, not codes
    row = params[params["Setting"] == "Objective"].iloc[0]
    assert (row[BASELINE], row["national-2026-minimax.toml"]) == (
        "Formula (status quo)",
        "Equal shortfall (minimax)",
    )
    assert {"dl_compare", "dl_compare_csv"} <= {b.key for b in at.get("download_button")}


def test_edits_and_what_differs_name_settings_by_their_labels():
    """Issue 13: 'Edited: …' and Compare's 'What differs' showed internal paths
    (need.criteria.population.coefficients.Northern Midlands and Mountains); they name the
    criterion, the coefficient and the region, and the rule and its setting, instead."""
    at = start(s="national-2026-new-norms.toml")
    coefficients = at.session_state["work"]["need"]["criteria"][0]["coefficients"]
    coefficients["Northern Midlands and Mountains"] = 1.3
    keyed(at.text_input, ".c.hold-harmless.ratio").input("0.98").run()
    assert_clean(at)
    edited = next(c.value for c in at.caption if c.value.startswith("Edited"))
    assert "need: population · coefficient for Northern Midlands and Mountains" in edited
    assert "rule: hold-harmless · ratio × baseline" in edited
    assert "need.criteria" not in edited and "constraints." not in edited
    at.switch_page("ui/compare.py")
    at.run()
    assert_clean(at)
    params = next(d.value for d in at.dataframe if "Setting" in d.value.columns)
    settings = set(params["Setting"])
    assert "need: population · coefficient for Northern Midlands and Mountains" in settings
    assert not [s for s in settings if "." in s.split(" ")[0]], settings  # no dotted paths
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    params = next(d.value for d in at.dataframe if "Thiết lập" in d.value.columns)
    assert "tiêu chí: dân số · hệ số của Trung du và miền núi phía Bắc" in set(params["Thiết lập"])
    assert "quy tắc: Không thấp hơn năm gốc · tỷ lệ × năm gốc" in set(params["Thiết lập"])


def test_compare_with_an_edited_and_an_uploaded_scenario_and_a_bad_upload():
    at = start()
    keyed(at.text_input, ".env.total").input("235000").run()
    at.switch_page("ui/compare.py")
    at.run()
    scen = load_scenario(BASELINE).with_value("envelope.total", 250_000_000)
    at.file_uploader(key="compare.upload").set_value(
        [
            ("more.toml", scen.to_toml().encode(), "application/toml"),
            ("bad.toml", b"[scenario\n", "text/plain"),
        ]
    ).run()
    assert_clean(at)
    assert any("bad.toml" in e and "not valid TOML" in e for e in errors(at))
    at.multiselect(key="compare.chosen").set_value(
        [BASELINE, "Current (edited) scenario", "more.toml"]
    ).run()
    assert_clean(at)
    params = next(d.value for d in at.dataframe if "Setting" in d.value.columns)
    row = params[params["Setting"] == "Envelope"].iloc[0]
    assert row["Current (edited) scenario"] != row["more.toml"]


def test_compare_needs_two_and_reports_an_infeasible_one():
    at = start("compare")
    at.multiselect(key="compare.chosen").set_value([BASELINE]).run()
    assert any("at least two" in i.value for i in at.info)
    at.multiselect(key="compare.chosen").set_value(
        [BASELINE, "national-2026-infeasible-floors.toml"]
    ).run()
    assert_clean(at)
    assert any("infeasible" in e for e in errors(at))


# ----------------------------------------------------------------------------- trade-offs


def test_tradeoffs_draws_the_frontier_with_progress_and_the_current_point():
    at = start("tradeoffs", s="national-2026-minimax.toml")
    keyed(at.selectbox, "trade.path").set_value("constraints.hold-harmless.ratio").run()
    at.number_input(key="trade.steps").set_value(5).run()
    at.button(key="trade.go").click().run()
    assert_clean(at)
    assert not errors(at)
    assert at.get("progress")[0].proto.value == 100
    table = at.dataframe[0].value
    assert list(table["Value"]) == pytest.approx([0.9, 0.95, 1.0, 1.05, 1.1])
    # floors above 100 % of the predecessors' sum cost more than the +3 % envelope allows
    assert set(table["Status"]) == {"optimal", "infeasible"}
    assert (table.loc[table["Status"] == "infeasible", "Extra envelope needed"] > 0).all()
    assert any("5 points" in c.value and "infeasible" in c.value for c in at.caption)
    chart = at.get("vega_lite_chart")[0].proto
    assert '"shape": "diamond"' in chart.spec  # the current scenario's marker
    assert {"dl_frontier_xlsx", "dl_frontier_csv"} <= {b.key for b in at.get("download_button")}
    assert "current scenario" in str(chart.datasets)
    # the axes survive a language switch, with no warning about defaults and session state
    keyed(at.selectbox, "trade.yaxis").set_value("max_min_ratio").run()
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    assert_clean(at)
    assert not at.warning
    assert keyed(at.selectbox, "trade.yaxis").value == "max_min_ratio"
    assert keyed(at.selectbox, "trade.path").value == "constraints.hold-harmless.ratio"


def test_tradeoffs_sweeps_the_envelope_in_billions():
    at = start("tradeoffs", s="national-2026-minimax.toml")
    at.number_input(key="trade.steps").set_value(3).run()
    at.button(key="trade.go").click().run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert table["Value"].iloc[0] == pytest.approx(231_004.0)  # where the floors are met
    ok = table[table["Status"] == "optimal"]
    assert len(ok) == 3  # the range starts where the hold-harmless floors are met
    assert ok["Allocated"].to_numpy() == pytest.approx(ok["Value"].to_numpy(), abs=1e-6)


def test_tradeoffs_refuses_an_empty_range():
    at = start("tradeoffs")
    path = keyed(at.selectbox, "trade.path").value
    at.text_input(key=f"en:trade.lo.{path}").input("250,000").run()
    at.text_input(key=f"en:trade.hi.{path}").input("240,000").run()
    assert_clean(at)
    assert any("'From' must be below 'To'" in e for e in errors(at))
    assert not [b for b in at.button if b.key == "trade.go"]


# ----------------------------------------------------------------------------- data


def test_data_browses_the_dataset_and_predecessors():
    at = start("data")
    assert not errors(at)
    assert len(at.dataframe[0].value) == 34
    at.selectbox(key="data.unit").set_value("79").run()
    assert_clean(at)
    preds = at.dataframe[1].value
    assert len(preds) == 3  # Hồ Chí Minh, Bình Dương, Bà Rịa - Vũng Tàu
    assert at.get("download_button")
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    shown = at.dataframe[0].value
    assert set(shown["type"]) == {"tỉnh", "thành phố trực thuộc trung ương"}
    assert set(shown["merged"]) == {"có", "không"}
    assert "Đồng bằng sông Hồng" in set(shown["region"])


def test_a_bad_unit_table_lists_every_problem():
    at = start("data")
    text = (ROOT / "fiscal").exists() and load_template_csv()
    bad = text.replace("\n01,", "\nX1,", 1)
    lines = bad.splitlines()
    header = lines[0].split(",")
    pop = header.index("population")
    row = lines[2].split(",")
    row[pop] = "lots"
    lines[2] = ",".join(row)
    at.file_uploader(key="data.upload").set_value(
        ("units.csv", "\n".join(lines).encode(), "text/csv")
    ).run()
    assert_clean(at)
    assert any("units.csv was refused" in e for e in errors(at))
    problems = at.code[0].value
    assert "'lots' is not a number" in problems and "population" in problems


def test_a_good_unit_table_can_be_used_for_the_allocation():
    at = start("data")
    data = load_template_csv().encode()
    at.file_uploader(key="data.upload").set_value(("mine.csv", data, "text/csv")).run()
    assert_clean(at)
    assert any("mine.csv: 34" in s.value for s in at.success)
    at.button(key="data.use").click().run()
    assert_clean(at)
    assert any("uploaded table 'mine.csv'" in i.value for i in at.info)
    at.switch_page("ui/allocate.py")
    at.run()
    assert_clean(at)
    assert allocation_column(units_frame(at)).sum() == pytest.approx(ENVELOPE_BN, abs=1e-6)
    assert any("mine.csv" in c.value for c in at.sidebar.caption)


def test_an_uploaded_commune_table_is_cut_to_the_scenarios_province():
    from fiscal.data import template_bytes

    at = start("data", s="commune-08-tuyen-quang.toml")
    own = allocation_column(units_frame(start(s="commune-08-tuyen-quang.toml"))).sum()
    keyed(at.radio, "data.upload_level").set_value("commune").run()
    data = template_bytes("csv", "commune", prefilled=True)  # every commune of the country
    at.file_uploader(key="data.upload").set_value(("communes.csv", data, "text/csv")).run()
    at.button(key="data.use").click().run()
    at.switch_page("ui/allocate.py")
    at.run()
    assert_clean(at)
    frame = units_frame(at)
    assert len(frame) == 124  # Tuyên Quang's communes only
    assert allocation_column(frame).sum() == pytest.approx(own, abs=1e-6)


def load_template_csv() -> str:
    from fiscal.data import template_bytes

    return template_bytes("csv", "province", prefilled=True).decode()


# ----------------------------------------------------------------------------- take it away


def test_export_offers_every_download_a_link_and_the_reproduce_recipe():
    at = start()
    keyed(at.text_input, ".env.total").input("240000").run()
    at.switch_page("ui/export.py")
    at.run()
    assert_clean(at)
    keys = {b.key for b in at.get("download_button")}
    assert {"dl_xlsx", "dl_csv", "dl_json", "dl_ledger", "dl_metrics", "dl_toml"} <= keys
    link = at.code[1].value  # after the TOML preview
    assert link.startswith("http") and "s=national-2026-baseline.toml" in link and "e=" in link
    assert at.code[2].value.startswith("fiscal solve national-2026-baseline-edited.toml")
    toml = at.code[0].value
    assert parse_scenario(toml).envelope.total == 240_000_000
    assert tomllib.loads(toml)["envelope"]["total"] == 240_000_000


def test_a_shared_link_restores_the_scenario_and_its_edits():
    at = start()
    keyed(at.text_input, ".env.total").input("241000").run()
    keyed(at.selectbox, ".obj.kind").set_value("shortfall_minimax").run()
    params = {
        k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
        for k in ("s", "e")
    }
    fresh = start(**params)
    assert keyed(fresh.text_input, ".env.total").value == "241,000"
    assert keyed(fresh.selectbox, ".obj.kind").value == "shortfall_minimax"
    assert allocation_column(units_frame(fresh)).sum() == pytest.approx(241_000.0, abs=1e-6)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"s": BASELINE, "e": "%%%"}, "could not be restored"),
        ({"s": BASELINE, "e": edits.encode_edits({"envelope.total": -3})}, "envelope.total"),
        ({"s": "no-such.toml"}, "not shipped"),
    ],
)
def test_a_broken_link_falls_back_with_a_warning(params, message):
    at = start(**params)
    assert any(message in w.value for w in at.warning)
    assert allocation_column(units_frame(at)).sum() == pytest.approx(ENVELOPE_BN, abs=1e-6)


def test_the_workbook_the_page_offers_reconciles_to_the_edited_envelope():
    from fiscal_app import engine

    at = start()
    keyed(at.text_input, ".env.total").input("240000").run()
    outcome = engine.run_outcome(_working_toml(at))
    assert allocation_by_year(engine.result_xlsx(outcome.result)) == {2026: 240_000_000.0}


def _working_toml(at: AppTest) -> str:
    from fiscal.scenario import scenario_from_dict

    return scenario_from_dict(at.session_state["work"]).to_toml()


# ----------------------------------------------------------------------------- languages


def test_vietnamese_switches_every_label_and_the_number_format():
    at = start()
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    assert_clean(at)
    assert at.title[0].value == "Phân bổ"
    labels = {m.label: m.value for m in at.metric}
    assert labels["Đã phân bổ"] == "238.421 tỷ đồng"
    frame = units_frame(at)
    assert "Phân bổ (tỷ đồng)" in frame.columns
    assert "Đồng bằng sông Hồng" in set(frame["Vùng"])
    for page, title in (
        ("why", "Vì sao con số này"),
        ("data", "Dữ liệu"),
        ("export", "Tải về"),
        ("compare", "So sánh"),
        ("tradeoffs", "Đánh đổi"),
    ):
        at.switch_page(f"ui/{page}.py")
        at.run()
        assert_clean(at)
        assert at.title[0].value == title
    at.switch_page("ui/why.py")
    at.run()
    assert "Công thức chia tổng mức" in at.text[0].value
    assert "tỷ đồng" in at.text[0].value


def test_choice_widgets_follow_the_language_and_keep_their_value():
    # Streamlit keeps a keyed select box's old labels when only format_func changes, so the
    # language is part of the key; the chosen values must survive the switch
    at = start()
    keyed(at.selectbox, ".obj.kind").set_value("need_gap").run()
    keyed(at.selectbox, ".env.mode").set_value("at_most").run()
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    assert_clean(at)
    kind, mode = keyed(at.selectbox, ".obj.kind"), keyed(at.selectbox, ".env.mode")
    assert kind.key.startswith("vi:") and mode.key.startswith("vi:")
    assert kind.value == "need_gap" and mode.value == "at_most"
    assert "Sát nhu cầu nhất" in kind.options and "dùng làm mức trần" in mode.options
    assert at.session_state["work"]["objective"]["kind"] == "need_gap"
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert keyed(at.selectbox, ".obj.kind").key.startswith("en:")
    assert keyed(at.selectbox, ".obj.kind").value == "need_gap"


# ----------------------------------------------------------------------------- typed numbers


def _vi(**params: str) -> AppTest:
    at = start(**params)
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    assert_clean(at)
    return at


def test_vietnamese_envelope_reads_dots_as_thousands_and_echoes_it():
    at = _vi()
    box = keyed(at.text_input, ".env.total")
    assert box.value == "238.421" and box.key.startswith("vi:")
    box.input("250.000").run()
    assert_clean(at)
    assert not errors(at)
    assert at.session_state["work"]["envelope"]["total"] == 250_000_000.0
    assert {m.label: m.value for m in at.metric}["Đã phân bổ"] == "250.000 tỷ đồng"
    assert "= 250.000 tỷ đồng" in [c.value for c in at.caption]


def test_vietnamese_decimal_comma_is_a_decimal_not_dropped():
    at = _vi()
    keyed(at.text_input, ".env.total").input("250000,5").run()
    assert_clean(at)
    assert not errors(at)
    assert at.session_state["work"]["envelope"]["total"] == 250_000_500.0  # whole million VND
    assert "= 250.000,5 tỷ đồng" in [c.value for c in at.caption]
    assert allocation_column(units_frame(at)).sum() == pytest.approx(250_000.5, abs=1e-6)


def test_an_ambiguous_or_malformed_entry_is_refused_and_changes_nothing():
    at = _vi()
    for text, words in (
        ("250,000", "hai cách hiểu"),
        ("250000.5", "250.000,5"),
        ("250000,0005", "đơn vị làm tròn"),
    ):
        keyed(at.text_input, ".env.total").input(text).run()
        assert_clean(at)
        message = " ".join(errors(at))
        assert words in message and "Kịch bản chưa thay đổi." in message, message
        assert at.session_state["work"]["envelope"]["total"] == 238_421_000
        assert {m.label: m.value for m in at.metric}["Đã phân bổ"] == "238.421 tỷ đồng"
        assert not edits.diff(at.session_state["base"]["data"], at.session_state["work"])
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    keyed(at.text_input, ".env.total").input("250.000").run()  # a point before 3 digits
    assert "is ambiguous" in " ".join(errors(at))
    assert at.session_state["work"]["envelope"]["total"] == 238_421_000


def test_every_number_box_shows_the_language_format():
    at = start(s="national-2026-merger-support.toml")
    boxes = {
        w.key.split(":", 1)[1].split(".", 1)[1]: w.value
        for w in at.text_input
        if w.key and w.key.startswith("en:")
    }
    assert boxes["env.total"] == "238,421"
    assert boxes["c.merger-support.per_province"] == "100,000"
    assert not [v for v in boxes.values() if re.fullmatch(r"-?\d{4,}(\.\d*)?", v)], boxes
    at = _vi()
    for w in at.text_input:
        if w.key and w.key.startswith("vi:"):
            assert "." not in w.value or re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", w.value), (
                w.key,
                w.value,
            )
    # the baseline's need is A (rate 1); the illustrative norms have decimal rates
    at = _vi(s="national-2026-new-norms.toml")
    rates = next(d for d in at.data_editor if "indicator" in d.value.columns).value
    assert rates["rate"].iloc[0] == "10,73"


def test_a_need_rate_typed_the_vietnamese_way_and_a_bad_one():
    at = _vi()
    rev = at.session_state["rev"]
    at.session_state[f"{rev}.criteria.vi"] = {
        "edited_rows": {"0": {"rate": "12,5"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    assert at.session_state["work"]["need"]["criteria"][0]["rate"] == 12.5
    at.session_state[f"{rev}.criteria.vi"] = {
        "edited_rows": {"0": {"rate": "12.5"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert any("dòng 1" in e and "12,5" in e for e in errors(at))
    assert at.session_state["work"]["need"]["criteria"][0]["rate"] == 12.5  # kept


def test_tradeoffs_range_is_written_in_the_language():
    at = start("tradeoffs")
    path = keyed(at.selectbox, "trade.path").value
    assert (
        at.text_input(key=f"en:trade.lo.{path}").value == "231,004"
    )  # the floors need 231,004 bn: not 231004.000
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    assert at.text_input(key=f"vi:trade.lo.{path}").value == "231.004"
    at.text_input(key=f"vi:trade.hi.{path}").input("250.000").run()
    at.number_input(key="trade.steps").set_value(3).run()
    at.button(key="trade.go").click().run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert table.iloc[-1, 0] == pytest.approx(250_000.0)


# ----------------------------------------------------------------------------- map


def _map_spec(at: AppTest) -> dict:
    """The map's spec with its figures (Streamlit sends tabular datasets apart, as Arrow)."""
    import json

    import pyarrow as pa

    for chart in reversed(at.get("vega_lite_chart")):
        spec = json.loads(chart.proto.spec)
        if "units" in spec.get("datasets", {}):
            for dataset in chart.proto.datasets:
                table = pa.ipc.open_stream(dataset.data.data).read_all()
                spec["datasets"][dataset.name] = table.to_pylist()
            return spec
    raise AssertionError("no map on the page")


def test_the_map_page_colours_the_34_units_and_offers_the_png():
    at = start("map")
    assert at.title[0].value == "Map"
    spec = _map_spec(at)
    assert len(spec["datasets"]["units"]["objects"]["units"]["geometries"]) == 34
    assert spec["datasets"]["old"][0]["geometry"]["type"] == "MultiLineString"
    assert spec["params"][0]["name"] == "unit"  # a click selects a unit
    assert any("CC BY-SA 4.0" in c.value for c in at.caption)
    column = keyed(at.selectbox, "map.column")
    assert column.options == [
        "Allocation (bn VND)",
        "Change against baseline",
        "Change (bn VND)",
        "Resources per person (million VND)",
        "Share of need",
    ]
    column.set_value("change_pct").run()
    assert_clean(at)
    assert _map_spec(at)["layer"][0]["encoding"]["fill"]["condition"]["scale"]["domainMid"] == 0
    assert "dl_map_png" in {b.key for b in at.get("download_button")}
    at.sidebar.segmented_control(key="lang").set_value("vi").run()
    assert_clean(at)
    assert at.title[0].value == "Bản đồ"
    assert keyed(at.selectbox, "map.column").value == "change_pct"
    tq = next(f for f in _map_spec(at)["datasets"]["figures"] if f["code"] == "08")
    assert tq["change_pct"] == "+3,00%"
    assert any("Ranh giới tỉnh" in c.value for c in at.caption)


def test_allocate_shows_a_map_too():
    at = start()
    spec = _map_spec(at)
    assert spec["params"][0]["name"] == "unit"
    assert keyed(at.selectbox, "alloc.map.column").value == "allocation"


def test_a_commune_scenario_says_what_its_map_shows():
    at = start("map", s="commune-08-tuyen-quang.toml")
    assert not errors(at)
    assert any("124 communes" in i.value and "Tuyên Quang" in i.value for i in at.info)
    spec = _map_spec(at)
    assert "params" not in spec  # no click-through: the shape is the province, not a unit
    drawn = [f["code"] for f in spec["datasets"]["figures"] if f["value"] is not None]
    assert drawn == ["08"]


def test_tradeoffs_grid_holds_the_current_scenario_and_one_value_format():
    """The sweep's points include the scenario's own envelope exactly (the current scenario is
    a point of the curve), every point is a whole million VND, and the value column is written
    with one number of decimals on every row, in Vietnamese (238.421,0 under 234.129,9; not
    238.421 without its ',0')."""
    import pyarrow as pa

    at = start("tradeoffs", s="national-2026-budget.toml", switch_lang="vi")
    path = keyed(at.selectbox, "trade.path").value
    assert path == "envelope.total"
    at.button(key="trade.go").click().run()  # 11 points from 231.004 to 262.263 bn
    assert_clean(at)
    value = VI["trade.value"]
    df = next(d for d in at.dataframe if value in d.value.columns)  # the frontier's table
    points = df.value[value].to_numpy(dtype=float)
    assert len(points) == 11 and 238_421.0 in points.tolist()
    assert all(abs(p * 1000 - round(p * 1000)) < 1e-6 for p in points)
    drawn = pa.ipc.open_stream(df.proto.arrow_data.styler.display_values).read_all().to_pandas()
    texts = list(drawn[value])
    assert "238.421,0" in texts and "234.129,9" in texts, texts
    assert {t.split(",")[-1].__len__() for t in texts} == {1}, texts  # one format


def test_compare_writes_a_change_of_an_index_to_the_decimals_of_its_values():
    """A Gini that moves by 8.3e-05 reads +0,00008 beside 0,24546 and 0,24554 — not
    +8,3484e-05 — and a change that rounds to nothing reads 0, not +0 (seen in Chromium on
    national-2026-budget against national-2026-blend, in Vietnamese)."""
    at = start("compare", switch_lang="vi")
    budget, blend = "national-2026-budget.toml", "national-2026-blend.toml"
    at.multiselect(key="compare.chosen").set_value([budget, blend]).run()
    assert_clean(at)
    table = next(d.value for d in at.dataframe if f"Δ {blend}" in d.value.columns)
    rows = table.set_index(table.columns[0])
    gini = rows.loc["Gini, nguồn lực bình quân (thu được hưởng + bổ sung cân đối)"]
    assert (gini[budget], gini[blend]) == ("0,24546", "0,24554")
    assert gini[f"Δ {blend}"] == "+0,00008"
    deltas = list(table[f"Δ {blend}"])
    assert not [d for d in deltas if "e-" in d or "e+" in d], deltas
    assert "+0" not in deltas and "-0" not in deltas, deltas


# Streamlit's chart theme cuts an axis label at 100 px and Vega a legend's title at 180 px, with
# '…'; a character of Source Sans at the theme's 12 px (14 px for a legend's title) is at most
# about 0.55 em wide
_PX_PER_CHAR = {"label": 0.55 * 12, "title": 0.55 * 14}
_DEFAULT_LIMIT = {"label": 100, "title": 180}


def _specs(at: AppTest) -> list[dict]:
    """Every chart's spec, its datasets (sent apart, as Arrow) as lists of rows."""
    import json

    import pyarrow as pa

    out = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["datasets"] = spec.get("datasets", {})
        for dataset in chart.proto.datasets:
            rows = pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
            spec["datasets"][dataset.name] = rows
        out.append(spec)
    return out


def _fits(texts, limit: float | None, what: str) -> list[str]:
    """The texts wider than what the chart lets them be (``limit`` None: the default)."""
    room = _DEFAULT_LIMIT[what] if limit is None else limit
    return [x for x in texts if len(x) * _PX_PER_CHAR[what] > room]


def test_chart_labels_and_legend_titles_are_not_cut_short_in_vietnamese():
    """Seen in Chromium on national-2026-budget in Vietnamese: the mergers chart cut 'Thành phố
    Hải P…', the waterfall '3. mức sàn (giữ mức năm gốc): Không thấp hơn n…', the trade-offs
    legend 'Đơn vị không đạt quy tắc trê…'. Each chart's limit now holds its longest text."""
    at = start("mergers", s="national-2026-budget.toml", switch_lang="vi")
    spec = next(s for s in _specs(at) if s["encoding"]["y"]["field"] == "unit")
    names = {r["unit"] for r in next(iter(spec["datasets"].values()))}
    axis = spec["encoding"]["y"].get("axis", {})
    assert "Thành phố Hải Phòng" in names
    assert not _fits(names, axis.get("labelLimit"), "label")

    at.switch_page("ui/why.py")
    at.run()
    spec = next(s for s in _specs(at) if s["encoding"].get("x", {}).get("field") == "label")
    steps = {r["label"] for r in next(iter(spec["datasets"].values()))}
    assert any("Không thấp hơn năm gốc" in s for s in steps), steps
    assert not _fits(steps, spec["encoding"]["x"]["axis"].get("labelLimit"), "label")

    at.switch_page("ui/tradeoffs.py")
    at.run()
    at.button(key="trade.go").click().run()
    assert_clean(at)
    spec = _specs(at)[0]
    colour = next(
        layer["encoding"]["color"]
        for layer in spec["layer"]
        if "field" in layer.get("encoding", {}).get("color", {})
    )
    title = colour["title"]
    assert title.startswith("Đơn vị không đạt quy tắc")  # the units breaching a budget rule
    assert not _fits([title], colour.get("legend", {}).get("titleLimit"), "title")


def test_the_working_scenario_is_called_edited_only_when_it_is():
    """Seen on communes-2026-2030-all in Vietnamese: Compare set the file beside 'Kịch bản hiện
    tại (đã sửa)' — the same scenario, not edited. Unedited it says so; edited, it says that."""
    at = start("compare", switch_lang="vi")
    options = at.multiselect(key="compare.chosen").options
    assert VI["compare.current_unedited"] in options and VI["compare.current"] not in options
    at.switch_page("ui/allocate.py")
    at.run()
    keyed(at.text_input, ".env.total").input("240.000").run()
    at.switch_page("ui/compare.py")
    at.run()
    assert_clean(at)
    chosen = at.multiselect(key="compare.chosen")
    assert VI["compare.current"] in chosen.options
    assert VI["compare.current_unedited"] not in chosen.options
    assert VI["compare.current"] in chosen.value  # the edit against its file, by default
