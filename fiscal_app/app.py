"""The app's shell: `fiscal app` and `make app` run this file with Streamlit (fiscal_app.launch).

It sets up the page, the language switch, the navigation over the pages in ``fiscal_app/ui/``
(one file per page) and the cached engine (the only place that uses ``st.cache_data`` and
``st.cache_resource``): a rerun with nothing changed looks every table up rather than builds it.
Arguments after ``--``: ``--scenario NAME|FILE``. The library never imports Streamlit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from fiscal.data import template_bytes
from fiscal_app import engine, session, unit_tables, unit_views, views
from fiscal_app.i18n import LANGUAGES, Tr

PAGES = Path(__file__).resolve().parent / "ui"


def scenario_argument(argv: list[str]) -> str:
    """`-- --scenario NAME|FILE` (a shipped scenario's name or a path), else the baseline."""
    if "--scenario" in argv:
        i = argv.index("--scenario")
        if i + 1 < len(argv):
            path = Path(argv[i + 1])
            return str(path.resolve() if path.is_absolute() or path.is_file() else path.name)
    return session.DEFAULT_SCENARIO


# ----------------------------------------------------------------------------- cached engine


# A result is shared, not copied: st.cache_data would unpickle it on every rerun (a national
# commune run pickles to ~14 MB: 20-70 ms a rerun, and its cached properties lost each time).
# Nothing may change a result once made; what the pages show of it is derived below.
@st.cache_resource(max_entries=16, show_spinner=False)
def run(toml: str, units: engine.Units | None) -> engine.Outcome:
    return engine.run_outcome(toml, units)


def _result(toml: str, units: engine.Units | None):
    outcome = run(toml, units)
    if outcome.error is not None:
        raise outcome.error
    return outcome.result


@st.cache_data(max_entries=16, show_spinner=False)
def ledger(toml: str, units: engine.Units | None):
    return _result(toml, units).constraints


@st.cache_data(max_entries=256, show_spinner=False)
def waterfall(toml: str, units: engine.Units | None, code: str, year: int | None):
    return _result(toml, units).explain(code, year)


@st.cache_data(max_entries=8, show_spinner=False)
def dataset(level: str, province: str | None, units: engine.Units | None):
    return engine.dataset(level, province, units)


@st.cache_data(max_entries=8, show_spinner=False)
def template(fmt: str, level: str, prefilled: bool) -> bytes:
    return template_bytes(fmt, level, prefilled=prefilled)  # type: ignore[arg-type]


@st.cache_data(max_entries=16, show_spinner=False)
def xlsx(toml: str, units: engine.Units | None, lang: str) -> bytes:
    return engine.result_xlsx(_result(toml, units), lang)


@st.cache_resource(max_entries=4, show_spinner=False)  # holds results: shared, as they are
def compare(runs: tuple[tuple[str, str], ...], units: engine.Units | None):
    return engine.compare_runs([(label, _result(toml, units)) for label, toml in runs])


@st.cache_data(max_entries=4, show_spinner=False)
def scenario_names(paths: tuple[str, ...]) -> dict[str, dict[str, str]]:
    return engine.scenario_names(paths)


@st.cache_data(max_entries=8, show_spinner=False)
def compare_xlsx(runs: tuple[tuple[str, str], ...], units: engine.Units | None, lang: str) -> bytes:
    """The comparison's workbook in the page's language."""
    from fiscal.workbook import comparison_workbook

    return comparison_workbook(compare(runs, units), lang=lang)


# ----------------------------------------------------------------------------- derived tables
# keyed on what the result is a function of (the scenario's TOML and the uploaded table), plus
# the year, the language and the slice shown: small, picklable frames and chart specs


@st.cache_data(max_entries=64, show_spinner=False)
def units_view(toml: str, units: engine.Units | None, year: int, lang: str):
    return views.units_frame(_result(toml, units), year, Tr(lang))


@st.cache_data(max_entries=64, show_spinner=False)
def provinces_view(toml: str, units: engine.Units | None, year: int, lang: str):
    return unit_views.province_table(_result(toml, units), year, Tr(lang))


@st.cache_data(max_entries=256, show_spinner=False)
def province_view(toml: str, units: engine.Units | None, year: int, lang: str, province: str):
    return unit_views.province_rows(_result(toml, units), year, Tr(lang), province)


@st.cache_data(max_entries=256, show_spinner=False)
def styled_view(
    toml: str,
    units: engine.Units | None,
    year: int,
    lang: str,
    view: str,
    province: str | None,
    page: int,
) -> None:
    """Draws page ``page`` of a units table (``view``: units, provinces or province), styled.
    Streamlit replays what a cached function drew: on a hit the grid is sent again as it was,
    not styled cell by cell anew (the Styler was half of a rerun's time at commune scale)."""
    if view == "units":
        frame, formats = units_view(toml, units, year, lang)
    elif view == "provinces":
        frame, formats = provinces_view(toml, units, year, lang)
    else:
        frame, formats = province_view(toml, units, year, lang, str(province))
    unit_tables.draw(unit_views.page_of(frame, page), formats, lang)


@st.cache_data(max_entries=64, show_spinner=False)
def cards(toml: str, units: engine.Units | None, year: int, lang: str):
    return views.metric_cards(_result(toml, units), year, Tr(lang))


@st.cache_data(max_entries=64, show_spinner=False)
def change_chart(toml: str, units: engine.Units | None, year: int, lang: str) -> dict:
    return views.change_chart(_result(toml, units), year, Tr(lang)).to_dict()


@st.cache_data(max_entries=64, show_spinner=False)
def map_view(toml: str, units: engine.Units | None, year: int):
    from fiscal_app import maps

    return maps.map_data(_result(toml, units), year)


@st.cache_data(max_entries=32, show_spinner=False)
def map_drawn(
    toml: str, units: engine.Units | None, year: int, lang: str, column: str, height: int
) -> None:
    """Draws the map that nothing can be clicked on (a commune run's, per province): replayed
    on a hit, as :func:`styled_view` is, rather than its ~0.3 MB spec written again."""
    from fiscal_app import maps

    data = map_view(toml, units, year)
    st.vega_lite_chart(maps.map_chart(data, column, Tr(lang), height=height), width="stretch")


session.install_engine(
    engine.Engine(
        run=run,
        ledger=ledger,
        waterfall=waterfall,
        dataset=dataset,
        template=template,
        xlsx=xlsx,
        compare=compare,
        compare_xlsx=compare_xlsx,
        names=scenario_names,
        units_view=units_view,
        provinces_view=provinces_view,
        province_view=province_view,
        styled_view=styled_view,
        cards=cards,
        change_chart=change_chart,
        map_view=map_view,
        map_drawn=map_drawn,
    )
)

# ----------------------------------------------------------------------------- page

st.set_page_config(page_title="fiscal", page_icon="⚖️", layout="wide")
messages: list[str] = []
t = session.tr()
with session.guard(t):
    session.init(scenario_argument(sys.argv), messages)
t = session.tr()
for message in messages:
    st.warning(message)

with st.sidebar:
    # st.switch_page (a click on a map opens Why this number) can come back with the switch's
    # value dropped: the language is kept beside it too
    if st.session_state.get("lang") not in LANGUAGES:
        st.session_state["lang"] = st.session_state.get("lang.kept", "en")
    st.segmented_control(
        t("lang.label"),
        list(LANGUAGES),
        key="lang",
        format_func=lambda code: LANGUAGES[code],
        required=True,
    )
    st.session_state["lang.kept"] = st.session_state["lang"]
    t = session.tr()
    if "base" in st.session_state:
        st.caption(t("sidebar.scenario", name=t.own(session.work()["scenario"], "name")))
        units = session.units()
        st.caption(t("sidebar.dataset", name=units.name if units else t("sidebar.bundled")))

pages = [
    st.Page(
        PAGES / "allocate.py",
        title=t("nav.allocate"),
        icon=":material/account_balance:",
        url_path="home",  # served at /; /allocate is the address below
        default=True,
    ),
    st.Page(PAGES / "map.py", title=t("nav.map"), icon=":material/map:", url_path="map"),
    st.Page(PAGES / "why.py", title=t("nav.why"), icon=":material/help:", url_path="why"),
    st.Page(
        PAGES / "mergers.py",
        title=t("nav.mergers"),
        icon=":material/merge:",
        url_path="mergers",
    ),
    st.Page(
        PAGES / "execution.py",
        title=t("nav.execution"),
        icon=":material/calendar_month:",
        url_path="execution",
    ),
    st.Page(
        PAGES / "compare.py",
        title=t("nav.compare"),
        icon=":material/compare_arrows:",
        url_path="compare",
    ),
    st.Page(
        PAGES / "tradeoffs.py",
        title=t("nav.tradeoffs"),
        icon=":material/balance:",
        url_path="tradeoffs",
    ),
    st.Page(PAGES / "data.py", title=t("nav.data"), icon=":material/table:", url_path="data"),
    st.Page(
        PAGES / "export.py", title=t("nav.export"), icon=":material/download:", url_path="export"
    ),
    st.Page(
        PAGES / "history.py", title=t("nav.history"), icon=":material/history:", url_path="history"
    ),
]


def _allocate_address() -> None:
    """/allocate: the Allocate page, with the address's scenario, edits and language (the
    default page lives at /; without this Streamlit said 'Page not found', in English)."""
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


pages.append(
    st.Page(_allocate_address, title=t("nav.allocate"), url_path="allocate", visibility="hidden")
)
page = st.navigation(pages)
if "base" in st.session_state:
    page.run()
    with session.guard(t):
        session.sync_link()
session.freeze_once()  # the libraries loaded by now are not walked by later collections
