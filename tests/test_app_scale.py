"""The app at commune scale (issue 12 point 5): the national commune run (3,321 communes × 5
years) shown per province with a drill-down into one province's communes, and no page showing
(or styling) more than ``PAGE_ROWS`` rows at once. Behaviour only: the timings are measured by
``benchmarks/app_scale.py``."""

from __future__ import annotations

from pathlib import Path

import app_helpers
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fiscal.prose import BN
from fiscal.scenario import load_scenario
from fiscal_app import engine, unit_views
from fiscal_app.i18n import Tr
from fiscal_app.unit_views import PAGE_ROWS

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = "communes-2026-2030-all.toml"
PAGES = ("allocate", "map", "why", "mergers", "compare", "tradeoffs", "data", "export", "history")


def start(page: str | None = None, **params: str) -> AppTest:
    """The app (tests/app_helpers.py) with no error message on any page on the way."""
    return app_helpers.start(page, timeout=300, errors_ok=False, **params)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe if isinstance(df.value, pd.DataFrame)]


def with_column(at: AppTest, name: str) -> list[pd.DataFrame]:
    return [f for f in frames(at) if name in f.columns]


def drawn(at: AppTest, column: str) -> pd.DataFrame:
    """The text the grid draws (the Styler's display values) of the table with ``column``."""
    import pyarrow as pa

    for df in at.dataframe:
        a = df.proto.arrow_data
        if a.HasField("styler") and isinstance(df.value, pd.DataFrame) and column in df.value:
            return pa.ipc.open_stream(a.styler.display_values).read_all().to_pandas()
    raise AssertionError(f"no styled table with {column!r}")


def millions(values: pd.Series) -> list[int]:
    """Amounts shown in bn VND as whole million VND (and checked to be whole: to the dong)."""
    out = []
    for v in values.to_numpy(dtype=float):
        m = v * BN
        assert abs(m - round(m)) < 1e-6, v  # a whole number of million VND
        out.append(round(m))
    return out


@pytest.fixture(scope="module")
def result():
    from fiscal.scenario import list_scenarios

    path = next(p for p in list_scenarios() if p.name == COMMUNES)
    return engine.load_run(load_scenario(path).to_toml())


def test_province_sums_reconcile_to_the_dong_with_the_communes(result):
    at = start(s=COMMUNES)
    t = Tr("en")
    [provinces] = with_column(at, t("scale.province"))
    assert len(provinces) == 34
    assert provinces[t("scale.communes")].sum() == 3321
    year = result.years[0]
    table = result.table[result.table["year"] == year]
    for column, source in (("col.allocation", "allocation"), ("col.baseline", "baseline")):
        expected = table.groupby(table["parent"].astype(str), sort=False)[source].sum()
        shown = dict(zip(provinces[t("col.code")], millions(provinces[t(column)]), strict=True))
        assert shown == {k: round(v) for k, v in expected.items()}, column
    # the whole country: the provinces' rows sum to the envelope the cards reconcile with
    assert sum(millions(provinces[t("col.allocation")])) == round(table["allocation"].sum())
    # first drilled into: the province that receives the most
    most = str(provinces.loc[provinces[t("col.allocation")].idxmax(), t("col.code")])
    assert at.selectbox(key="alloc.units.province").value == most
    # the drill-down's communes sum to their province's row, for the first and the largest
    largest = str(provinces.loc[provinces[t("scale.communes")].idxmax(), t("col.code")])
    for code in (str(provinces[t("col.code")].iat[0]), largest):
        at.selectbox(key="alloc.units.province").set_value(code).run()
        assert_clean(at)
        [communes] = with_column(at, t("col.flags"))
        row = provinces[provinces[t("col.code")] == code]
        assert len(communes) == int(row[t("scale.communes")].iat[0])
        own = table[table["parent"].astype(str) == code]
        assert set(communes[t("col.code")]) == set(own["code"].astype(str))
        assert sum(millions(communes[t("col.allocation")])) == millions(row[t("col.allocation")])[0]


def test_drill_down_follows_the_year_and_the_language(result):
    at = start(s=COMMUNES)
    at.selectbox(key="alloc.units.province").set_value("08").run()
    t = Tr("en")
    [first] = with_column(at, t("col.flags"))
    at.selectbox(key="alloc.year").set_value(2030).run()
    assert_clean(at)
    [later] = with_column(at, t("col.flags"))
    table = result.table[(result.table["year"] == 2030) & (result.table["parent"] == "08")]
    assert millions(later[t("col.allocation")]) == [round(v) for v in table["allocation"]]
    assert not later[t("col.allocation")].equals(first[t("col.allocation")])
    at.segmented_control(key="lang").set_value("vi").run()
    assert_clean(at)
    vi = Tr("vi")
    [provinces] = with_column(at, vi("scale.province"))
    assert len(provinces) == 34
    # drawn in the Vietnamese number format: 13.144,2 for 13,144.2 bn VND
    text = drawn(at, vi("scale.province"))[vi("col.allocation")]
    values = provinces[vi("col.allocation")]
    assert list(text) == [vi.num(v, 1) for v in values]
    assert any("." in x and "," in x for x in text)
    [communes] = with_column(at, vi("col.flags"))
    assert at.selectbox(key="alloc.units.province").value == "08"  # the choice survives
    assert len(communes) == len(table)
    assert any(vi("scale.communes_of", name="", n="")[3:] in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_no_page_shows_more_than_a_page_of_rows_at_commune_scale(lang):
    at = start(s=COMMUNES, lang=lang)
    for page in PAGES:
        at.switch_page(f"ui/{page}.py")
        at.run()
        assert_clean(at)
        sizes = [len(f) for f in frames(at)]
        assert all(n <= PAGE_ROWS for n in sizes), (page, sizes)


def test_compare_at_commune_scale_per_province_with_a_drill_down():
    at = start("compare", s=COMMUNES)
    t = Tr("en")
    # the scenario against itself with the objective changed (the edit makes 'current' differ)
    at.switch_page("ui/allocate.py")
    at.run()
    kind = next(s for s in at.selectbox if s.key and s.key.endswith(".obj.kind"))
    kind.set_value("need_gap").run()
    assert_clean(at)
    at.switch_page("ui/compare.py")
    at.run()
    at.multiselect(key="compare.chosen").set_value([COMMUNES, t("compare.current")]).run()
    assert_clean(at)
    [provinces] = with_column(at, t("scale.province"))
    assert len(provinces) == 34
    at.selectbox(key="compare.province").set_value("08").run()
    assert_clean(at)
    drilled = [f for f in with_column(at, t("col.name")) if t("scale.province") not in f.columns]
    units = next(f for f in drilled if f"Δ {t('compare.current')}" in f.columns)
    assert len(units) == 124
    delta = f"Δ {t('compare.current')}"
    row = provinces[provinces[t("col.code")] == "08"]
    assert sum(millions(units[delta])) == millions(row[delta])[0]
    # a band's cell names a dozen communes and counts the rest
    bands = with_column(at, t("compare.names"))[0]
    assert bands[t("compare.names")].str.len().max() < 1000


def test_pages_of_rows_in_both_languages():
    frame = pd.DataFrame({"x": range(450)})
    assert unit_views.page_count(450) == 3
    assert unit_views.page_count(0) == 1
    assert unit_views.page_of(frame, 3)["x"].tolist() == list(range(400, 450))
    assert unit_views.page_of(frame, 9)["x"].iat[0] == 400  # clipped to the last page
    assert unit_views.page_label(2, 3321, Tr("en")) == "rows 201–400 of 3,321"
    assert unit_views.page_label(17, 3321, Tr("vi")) == "dòng 3.201–3.321 trên 3.321"


def test_a_long_table_is_shown_a_page_at_a_time():
    """An uploaded province of 450 communes: its units table in pages of PAGE_ROWS rows."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("fiscal_bench", ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["fiscal_bench"] = bench
    try:
        spec.loader.exec_module(bench)
        frame = bench.synthetic_units(450).frame.copy()
    finally:
        sys.modules.pop("fiscal_bench", None)
    frame["parent"] = "08"
    data = frame.to_csv(index=False).encode()
    at = start("data", s="commune-08-tuyen-quang.toml")
    at.radio(key="en:data.upload_level").set_value("commune").run()
    at.file_uploader(key="data.upload").set_value(("big.csv", data, "text/csv")).run()
    at.button(key="data.use").click().run()
    at.switch_page("ui/allocate.py")
    at.run()
    assert_clean(at)
    t = Tr("en")
    [units] = with_column(at, t("col.flags"))
    assert len(units) == PAGE_ROWS
    page = at.selectbox(key="en:alloc.units.page")
    assert page.options == ["rows 1–200 of 450", "rows 201–400 of 450", "rows 401–450 of 450"]
    page.set_value(3).run()
    assert_clean(at)
    [units] = with_column(at, t("col.flags"))
    assert len(units) == 50
    assert units[t("col.code")].tolist() == frame["code"].astype(str).tolist()[400:]


@pytest.fixture
def store(tmp_path, monkeypatch):
    from fiscal.store import _OPEN, open_store

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    monkeypatch.setenv("FISCAL_STORE", url)
    monkeypatch.setenv("FISCAL_AUTHOR", "lan")
    yield open_store(url)
    _OPEN.pop(url).close()


def test_history_shows_and_compares_stored_commune_runs_per_province(store, result):
    import fiscal
    from fiscal.scenario import scenario_from_dict

    data = result.scenario.to_dict()
    data["objective"]["kind"] = "need_gap"
    other = fiscal.run(scenario_from_dict(data, source="test"))
    a = store.save(result, name="minimax", author="lan")
    store.save(other, name="need gap", author="lan", parent=a.id)
    at = start("history", s=COMMUNES)
    t = Tr("en")
    sizes = [len(f) for f in frames(at)]
    assert all(n <= PAGE_ROWS for n in sizes), sizes
    # the show tab and the comparison tab: per province (34 rows each), one province drilled
    assert len(with_column(at, t("scale.province"))) == 2
    assert all(len(f) == 34 for f in with_column(at, t("scale.province")))
    at.selectbox(key="history.show.units.province").set_value("08").run()
    assert_clean(at)
    [communes] = with_column(at, t("col.flags"))
    assert len(communes) == 124


def test_why_chooses_the_province_then_one_of_its_communes(result):
    at = start("why", s=COMMUNES)
    assert len(at.selectbox(key="why.province").options) == 34
    at.selectbox(key="why.province").set_value("08").run()
    assert_clean(at)
    table = result.year_table()
    own = table[table["parent"].astype(str) == "08"]
    unit = at.selectbox(key="why.unit")
    assert len(unit.options) == len(own) == 124
    # the province's (merged) commune with the largest change is explained first
    merged = own[own["merged"].astype(str) == "yes"]
    pool = merged if len(merged) else own
    code = str(pool.loc[pool["change"].abs().idxmax(), "code"])
    assert unit.value == code
    name = own.set_index(own["code"].astype(str)).loc[code, "name"]
    assert any(name in h.value for h in at.subheader)
    other = next(c for c in own["code"].astype(str) if c != code)
    at.selectbox(key="why.unit").set_value(other).run()
    assert_clean(at)
    assert at.selectbox(key="why.province").value == "08"
    assert at.selectbox(key="why.unit").value == other


def test_a_rerun_with_nothing_changed_builds_nothing_again(monkeypatch):
    """Counted, not timed: a rerun looks the result and every table up; a view setting builds
    that view's tables only; nothing styles more than a page of rows."""
    import streamlit as st

    from fiscal_app import maps, unit_tables, views

    calls: dict[str, int] = {}
    styled: list[int] = []

    def counted(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counted(engine, "run_outcome")
    counted(views, "units_frame")
    counted(unit_views, "province_table")
    counted(views, "metric_cards")
    counted(maps, "map_chart")
    original_styler = unit_tables.styler

    def styler(frame, *args, **kwargs):
        styled.append(len(frame))
        return original_styler(frame, *args, **kwargs)

    monkeypatch.setattr(unit_tables, "styler", styler)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = start(s=COMMUNES)
    first = dict(calls)
    assert first == {
        "run_outcome": 1,
        "units_frame": 1,
        "province_table": 1,
        "metric_cards": 1,
        "map_chart": 1,
    }
    assert len(styled) == 2  # the provinces and the drill-down's communes
    shown = [df.value for df in at.dataframe if isinstance(df.value, pd.DataFrame)]
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]  # the change chart and the map
    at.run()
    at.run()
    assert_clean(at)
    assert calls == first  # nothing built again
    assert len(styled) == 2  # nor styled again: the grids drawn are replayed as they were
    again = [df.value for df in at.dataframe if isinstance(df.value, pd.DataFrame)]
    assert len(again) == len(shown) and all(a.equals(b) for a, b in zip(again, shown, strict=True))
    assert [c.proto.spec for c in at.get("vega_lite_chart")] == specs and len(specs) == 2
    at.selectbox(key="alloc.year").set_value(2027).run()
    assert_clean(at)
    assert calls["run_outcome"] == 1  # the same result
    assert calls["province_table"] == calls["units_frame"] == calls["metric_cards"] == 2
    assert calls["map_chart"] == 2  # the map of the year drawn once
    assert styled and max(styled) <= PAGE_ROWS


def test_after_the_first_run_the_loaded_libraries_are_left_out_of_collections():
    """The objects alive after the app's first run are frozen (gc.freeze), once per process: a
    full collection no longer walks the ~200,000 objects of the libraries; later objects are
    collected as before."""
    import gc

    start(s=COMMUNES)
    frozen = gc.get_freeze_count()
    assert frozen > 50_000
    start(s=COMMUNES).run()
    # once per process: a second app's objects are not frozen (some frozen ones were freed)
    assert gc.get_freeze_count() <= frozen
    cycle: list = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1  # a cycle made after the freeze is collected


def test_the_app_benchmark_runs_and_reports_every_time():
    """benchmarks/app_scale.py on the national page, once (its numbers are not checked here)."""
    import importlib.util
    import math
    import sys

    path = ROOT / "benchmarks" / "app_scale.py"
    spec = importlib.util.spec_from_file_location("fiscal_app_bench", path)
    bench = importlib.util.module_from_spec(spec)
    sys.modules["fiscal_app_bench"] = bench
    try:
        spec.loader.exec_module(bench)
        at, first = bench.open_app(bench.NATIONAL, "allocate")
        [rerun] = bench.reruns([at], 2)
        m = bench.measure(at, bench.NATIONAL, "allocate", 2)
    finally:
        sys.modules.pop("fiscal_app_bench", None)
    assert m["rows"] == 34 and first > 0 and len(rerun) == 2
    for key in ("view", "lang", "change", "change_max", "solve"):
        assert m[key] > 0 and math.isfinite(m[key]), key
