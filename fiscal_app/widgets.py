"""Small Streamlit helpers shared by the pages: a page's header, download buttons, widgets bound
to the working scenario, error display with repairs, the illustrative-figures notice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from fiscal.errors import FiscalError, InfeasibleError, Repair
from fiscal.scenario import get_path, set_path
from fiscal_app import numbers, session, views
from fiscal_app.engine import Outcome
from fiscal_app.i18n import Tr

__all__ = [
    "MIME",
    "bound",
    "current_result",
    "download",
    "illustrative_notice",
    "lang_key",
    "map_section",
    "number_field",
    "page",
    "show_error",
    "show_comparison",
    "sync",
]

WHY_PAGE = Path(__file__).resolve().parent / "ui" / "why.py"

#: the media type of each kind of file the app offers, by the file name's ending
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "toml": "application/toml",
    "png": "image/png",
    "zip": "application/zip",
}


def page(name: str, body: Callable[[Tr], None]) -> None:
    """A page: its title and caption (the texts ``<name>.title`` and ``<name>.caption``), then
    ``body`` in the chosen language, any error in it shown as a message (never a traceback)."""
    t = session.tr()
    st.title(t(f"{name}.title"))
    st.caption(t(f"{name}.caption"))
    with session.guard(t):
        body(t)


def download(
    label: str,
    data: bytes | str | Callable[[], bytes | str],
    file_name: str,
    key: str,
    *,
    where: Any = st,
    primary: bool = False,
) -> None:
    """A download button for ``file_name`` (its media type from the name's ending), drawn in
    ``where`` (a column, or the page). Given a function, the file is built only when clicked, so
    the page stays fast; a click does not re-run the page."""
    where.download_button(
        label,
        data,
        file_name=file_name,
        mime=MIME[file_name.rsplit(".", 1)[-1]],
        key=key,
        type="primary" if primary else "secondary",
        icon=":material/download:",
        on_click="ignore",
    )


def lang_key(key: str, t: Tr) -> str:
    """Key of a choice widget whose option labels depend on the language.

    Streamlit keeps showing a keyed widget's old option labels when only its ``format_func``
    changes, so after a language switch a select box would still read in the old language. The
    language is therefore part of the key (as a prefix, so key suffixes stay stable) and the
    chosen value carries over to the new key.
    """
    from fiscal_app.i18n import LANGUAGES

    new = f"{t.lang}:{key}"
    ss = st.session_state
    if new not in ss:
        for lang in LANGUAGES:
            old = f"{lang}:{key}"
            if old != new and old in ss:
                ss[new] = ss[old]
                break
    return new


def bound(key: str, value: Any) -> str:
    """Key of a widget that starts from ``value`` (the working scenario) when first drawn."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def number_field(
    label: str, key: str, stored: float | None, field: numbers.Field, t: Tr, help: str | None = None
) -> float | None:
    """A text box for a number written the chosen language's way (238.421,5 in Vietnamese).

    It starts from ``stored`` (scenario units; ``field.scale`` converts to what is shown) and
    returns the value understood from what was typed, in scenario units, echoing it under the
    box ("= 250.000 tỷ đồng"). A malformed, ambiguous or out-of-range entry is refused with a
    message in the language and ``stored`` is returned unchanged, so the scenario does not
    change. The language is part of the key: after a switch the box shows the value anew in the
    new language's format.
    """
    ss = st.session_state
    k = f"{t.lang}:{key}"
    shown = f"{k}.shown"  # the text the box started from (not a widget key)
    if k not in ss:
        ss[k] = numbers.entry_text(stored, t.lang, field)
        ss[shown] = ss[k]
    text = st.text_input(label, key=k, help=help)
    if text == ss.get(shown):
        return stored
    try:
        value = numbers.read(text, t.lang, field)
    except numbers.EntryError as err:
        st.error(t.entry_error(err))
        return stored
    if value is not None:
        echo = t("entry.echo", value=numbers.echo(value, t.lang, field))
        st.caption(echo + (f" {t(field.unit)}" if field.unit else ""))
    return value


def sync(path: str, value: Any) -> None:
    """Write a widget's value into the working scenario if it changed."""
    data = session.work()
    try:
        old = get_path(data, path)
    except FiscalError:
        old = object()
    if old != value:
        set_path(data, path, value)


def _apply_repair(path: str, value: Any) -> None:
    set_path(session.work(), path, value)
    session.bump()


def show_error(err: FiscalError, t: Tr, *, repairs: bool = True) -> None:
    """The error's message; for an infeasible scenario also a button per repair."""
    if isinstance(err, InfeasibleError):
        st.error(t("infeasible.title") + "\n\n" + _as_markdown(err.text(t.lang)))
        if repairs and err.repairs:
            st.markdown(t("infeasible.repairs"))
            for k, rep in enumerate(err.repairs):
                _repair_button(rep, k, t)
        return
    st.error(_as_markdown(err.text(t.lang)))


def _repair_button(rep: Repair, k: int, t: Tr) -> None:
    value = rep.value.tolist() if hasattr(rep.value, "tolist") else rep.value  # numpy → plain
    st.button(
        t("infeasible.apply", repair=rep.text(t.lang)),
        key=f"repair.{k}",
        on_click=_apply_repair,
        args=(rep.path, value),
    )


def _as_markdown(text: str) -> str:
    """Keep the library's line structure (lists with '  - ') in Markdown."""
    out: list[str] = []
    in_list = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            out.append(f"- {stripped[2:]}")
            in_list = True
        else:
            if in_list:
                out.append("")  # end the list before a plain line
            out.append(stripped + "  ")
            in_list = False
    return "\n".join(out)


def current_result(t: Tr) -> Any:
    """The working scenario's result, or None after showing why there is none."""
    try:
        scen = session.working_scenario()
    except FiscalError as err:
        show_error(err, t)
        return None
    outcome: Outcome = session.engine().run(scen.to_toml(), session.units())
    if outcome.error is not None:
        show_error(outcome.error, t)
        return None
    return outcome.result


def illustrative_notice(result: Any, t: Tr) -> None:
    """A visible notice whenever illustrative (estimated) figures are in use."""
    cols = result.problem.units.estimated_columns
    rates = [t.indicator(c) for c in result.scenario.need.criteria if c.estimated]
    if not cols and not rates:
        return
    parts = []
    if cols:
        parts.append(t("notice.columns", cols=", ".join(t.column_short(c) for c in cols)))
    if rates:
        parts.append(t("notice.rates", rates=", ".join(rates)))
    st.warning(t("notice.illustrative") + " " + " ".join(parts), icon="⚠️")


def map_section(result: Any, year: int, t: Tr, key: str, *, height: int = 640) -> Any:
    """The map of ``result`` in ``year``: a choice of column, the choropleth (hover: the unit's
    figures; click: Why this number for it), the boundaries' attribution and what the map
    cannot show. Returns the :class:`fiscal_app.maps.MapData` drawn and the chosen column."""
    from fiscal_app import maps

    # looked up: the figures per province of a commune run are summed once per result and year
    toml, units = result.scenario.to_toml(), session.units()
    data = session.engine().map_view(toml, units, year)
    if data.level == "commune":
        n = sum(data.communes.values())
        if len(data.frame) == 1:
            st.info(t("map.one_province", name=data.frame["name"].iat[0], n=t.num(n)))
        else:
            st.info(t("map.all_communes", n=t.num(n)))
    if data.missing:
        st.warning(t("map.missing", n=len(data.missing), codes=", ".join(data.missing)))
    columns = maps.available_columns(data)
    column = st.selectbox(
        t("map.column"),
        columns,
        key=lang_key(f"{key}.column", t),
        format_func=lambda c: t(maps.COLUMNS[c].label),
    )
    if data.clickable:
        event = st.vega_lite_chart(
            maps.map_chart(data, column, t, height=height),
            width="stretch",
            key=f"{key}.{t.lang}.chart",
            on_select="rerun",
            selection_mode=[maps.SELECTION],
        )
        picked = (event.get("selection") or {}).get(maps.SELECTION) or []
        codes = [str(p["id"]) for p in picked if isinstance(p, dict) and p.get("id")]
        if codes:
            _open_why(codes[0], year, result)
    else:  # nothing to click: drawn once per figures and column, then replayed (as a table)
        session.engine().map_drawn(toml, units, year, t.lang, column, height)
    st.caption(maps.attribution(t))
    notes = [t("map.no_data")] if data.frame[column].isna().any() or len(data.frame) < 34 else []
    if data.clickable:
        notes.insert(0, t("map.click"))
    if notes:
        st.caption(" ".join(notes))
    return data, column


def _open_why(code: str, year: int, result: Any) -> None:
    """Open Why this number on ``code`` (a unit the map was clicked on)."""
    st.session_state["why.unit"] = code
    if len(result.years) > 1:
        st.session_state["why.year"] = year
    st.switch_page(WHY_PAGE)


# ----------------------------------------------------------------------------- comparisons


def _rows(n: int) -> int:
    """A table height that shows ``n`` rows without scrolling."""
    return 35 * (n + 1) + 3


def show_comparison(c: Any, t: Tr) -> None:
    """A comparison (:class:`fiscal.compare.Comparison`) as the Compare page and History show
    it: the illustrative notice, metrics, winners and losers of each scenario against the
    reference, every unit, the settings that differ and the rules."""
    illustrative = [lab for lab, r in zip(c.labels, c.results, strict=True) if r.illustrative]
    if illustrative:
        cols = sorted({col for r in c.results for col in r.problem.units.estimated_columns})
        st.warning(
            t("notice.illustrative")
            + " "
            + t("notice.columns", cols=", ".join(t.column_short(c) for c in cols))
            + " "
            + t("compare.illustrative_in", labels=", ".join(illustrative)),
            icon="⚠️",
        )
    year = c.years[0]
    if len(c.years) > 1:
        year = st.selectbox(t("year"), c.years, key="compare.year")
    st.subheader(t("compare.metrics"))
    frame, styled = views.compare_metrics(c, year, t)
    st.dataframe(
        styled, hide_index=True, width="stretch", placeholder="–", height=_rows(len(frame))
    )
    from fiscal_app.lines_views import compare_lines_table

    by_line = compare_lines_table(c, t)  # transfer lines per scenario (fiscal.compare_lines)
    if by_line is not None:
        st.subheader(t("lines.compare"))
        st.dataframe(by_line[1], hide_index=True, width="stretch", placeholder="–")
    for lab in c.labels[1:]:
        st.subheader(t("compare.winners", label=lab, ref=c.reference))
        if views.unchanged(c, lab, year):  # a flat chart says why it is flat
            st.caption(t("compare.no_change", label=lab, ref=c.reference, year=year))
        st.altair_chart(views.winners_chart(c, lab, year, t), width="stretch")
        st.dataframe(
            views.bands_table(c, lab, year, t)[1], hide_index=True, width="stretch", placeholder="–"
        )
    st.subheader(t("compare.units"))
    from fiscal_app.unit_tables import comparison_units  # it uses this module's widgets

    comparison_units(c, year, t)  # a commune run per province, then one province's communes
    st.subheader(t("compare.params"))
    if c.params.empty:
        st.caption(t("compare.no_params"))
    else:
        st.dataframe(views.params_table(c, t), hide_index=True, width="stretch", placeholder="–")
    if not c.constraints.empty:
        st.subheader(t("compare.constraints"))
        st.dataframe(
            views.compare_constraints(c, t)[1], hide_index=True, width="stretch", placeholder="–"
        )
