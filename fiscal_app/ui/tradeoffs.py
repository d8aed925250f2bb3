"""Trade-offs: sweep one setting and see equity against stability against cost."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from fiscal_app import edits, engine, frontier_views, numbers, session, views
from fiscal_app.i18n import Tr
from fiscal_app.widgets import current_result, download, lang_key, number_field, page


def render() -> None:
    page("trade", _body)


def _body(t: Tr) -> None:
    result = current_result(t)
    if result is None:
        return
    scen = result.scenario
    options = edits.sweepable(scen, result.problem)
    if not options:
        st.info(t("trade.none"))
        return
    by_path = {o.path: o for o in options}
    data = scen.to_dict()  # the names the format function gives (not read from the session later)
    c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
    with c1:
        path = st.selectbox(
            t("trade.param"),
            list(by_path),
            key=lang_key("trade.path", t),
            format_func=lambda p: _param_label(p, t, data),
        )
    option = by_path[path]
    money = _money(path)
    scale = 1000.0 if money else 1.0  # the envelope is shown in bn VND
    field = numbers.MONEY_BN if money else numbers.Field()
    with c2:
        lo = (
            number_field(t("trade.from") + _unit(path, t), f"trade.lo.{path}", option.low, field, t)
            / scale
        )
    with c3:
        hi = (
            number_field(t("trade.to") + _unit(path, t), f"trade.hi.{path}", option.high, field, t)
            / scale
        )
    with c4:
        steps = st.number_input(
            t("trade.steps"), min_value=3, max_value=101, value=11, step=1, key="trade.steps"
        )
    if lo >= hi:
        st.error(t("trade.range_error"))
        return
    from fiscal.frontier import frontier_values

    # the grid passes through the scenario's own value (the current scenario is a point of
    # the curve); money moves in whole rounding units
    current = float(edits.value_at(scen, path))
    unit = scen.rounding.unit if money else None
    values = frontier_values(lo * scale, hi * scale, int(steps), through=current, unit=unit)
    values = values.tolist()
    toml = scen.to_toml()
    key = (toml, path, tuple(values), session.units())
    if st.button(t("trade.run"), type="primary", key="trade.go"):
        st.session_state["trade.result"] = (key, _sweep(scen, path, values, t))
    stored = st.session_state.get("trade.result")
    if stored is None or stored[0] != key:
        return
    frame, seconds = stored[1]
    _show(frame, result, path, current, seconds, scale, t)


def _sweep(scen, path: str, values: list[float], t: Tr) -> tuple[pd.DataFrame, float]:
    from fiscal.frontier import frontier

    bar = st.progress(0.0, text=t("trade.running", k=0, n=len(values)))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("trade.running", k=done, n=total))

    t0 = time.perf_counter()
    units = engine.units_of(session.units(), scen.scenario.level, scen.scenario.province)
    frame = frontier(scen, path, values, progress=progress, units=units)
    seconds = time.perf_counter() - t0
    bar.progress(1.0, text=t("trade.solved", n=len(values), s=t.num(seconds, 1)))
    return frame, seconds


def _param_label(path: str, t: Tr, data: dict) -> str:
    return views.setting_label(path, t, [data])


def _money(path: str) -> bool:
    """The envelope and a transfer line's envelope are money: shown in bn VND."""
    from fiscal.frontier import is_money

    return is_money(path)


def _unit(path: str, t: Tr) -> str:
    return f" ({t('chart.bn_axis')})" if _money(path) else ""


def _show(
    frame: pd.DataFrame, result, path: str, current: float, seconds: float, scale: float, t: Tr
) -> None:
    ok = frame["status"].astype(str) == "optimal"
    st.caption(t("trade.done", n=len(frame), s=t.num(seconds, 1), bad=int((~ok).sum())))
    if not ok.any():
        st.error(t("trade.all_infeasible"))
        st.dataframe(
            frontier_views.frontier_table(frame, t, scale),
            hide_index=True,
            width="stretch",
            placeholder="–",
        )
        return
    names = frame.attrs.get("metric_names")  # a scenario with transfer lines
    numeric = frontier_views.metric_columns(frame, ok)
    defaults = frontier_views.axes_for(frame[ok], numeric, path)
    if names is not None:
        st.caption(t("trade.lines_caption"))
    c1, c2, c3 = st.columns(3)
    keys = [lang_key(k, t) for k in ("trade.xaxis", "trade.yaxis", "trade.color")]
    # a value carried over from the other language is in session state: no default index then
    index = [
        0 if k in st.session_state else numeric.index(d)
        for k, d in zip(keys, defaults, strict=False)
    ]

    def label(key: str) -> str:
        return frontier_views.metric_name(key, t, names)

    x = c1.selectbox(t("trade.x"), numeric, index=index[0], key=keys[0], format_func=label)
    y = c2.selectbox(t("trade.y"), numeric, index=index[1], key=keys[1], format_func=label)
    color = c3.selectbox(t("trade.color"), numeric, index=index[2], key=keys[2], format_func=label)
    from fiscal import metrics

    here = metrics.summary(result)
    chart = frontier_views.frontier_chart(frame[ok], here, x, y, color, current, t, scale)
    st.altair_chart(chart, width="stretch")
    same = frontier_views.constant_value(frame[ok], color)
    if same is not None:
        st.caption(t("trade.same_colour", metric=label(color), value=t.metric_value(color, same)))
    if names is not None:
        _point_lines(frame[ok], here, names, result, path, current, scale, t)
    st.markdown(f"**{t('trade.table')}**")
    st.dataframe(
        frontier_views.frontier_table(frame, t, scale),
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    _downloads(frame, path, result, t)


def _point_lines(
    frame: pd.DataFrame,
    here: dict,
    names: dict,
    result,
    path: str,
    current: float,
    scale: float,
    t: Tr,
) -> None:
    """Each transfer line at a chosen point of the frontier against the current scenario, and
    on request each unit's lines at that point."""
    from fiscal.pipeline import run as fiscal_run
    from fiscal.prose.numbers import number
    from fiscal.prose.words import setting_value

    st.markdown(f"**{t('trade.lines_head')}**")
    values = frame["value"].to_numpy(dtype=float)
    nearest = int(np.argmin(np.abs(values - current)))
    key = lang_key(f"trade.point.{len(values)}", t)  # another sweep's points: a new box
    digits = numbers.column_decimals(values / scale)  # as the table's value column
    pick = st.selectbox(
        t("trade.point_pick"),
        list(range(len(values))),
        index=0 if key in st.session_state else nearest,
        key=key,
        format_func=lambda i: number(float(values[i]) / scale, digits, t.lang),
    )
    row = frame.iloc[min(int(pick), len(frame) - 1)]
    st.dataframe(frontier_views.point_lines(row, here, names, t), hide_index=True, width="stretch")
    # each unit at the point: the scenario solved again at that value, on request
    value = float(row["value"])
    stamp = (result.scenario.to_toml(), path, value, session.units())
    if st.button(t("trade.units_go"), key="trade.units_go"):
        meta = result.scenario.scenario
        units = engine.units_of(session.units(), meta.level, meta.province)
        scen = result.scenario.with_value(path, value)
        st.session_state["trade.units"] = (stamp, fiscal_run(scen, units=units))
    stored = st.session_state.get("trade.units")
    if stored is not None and stored[0] == stamp:
        setting = _param_label(path, t, result.scenario.to_dict())
        shown = setting_value(value / scale, t.lang)
        st.markdown(f"**{t('trade.units_head', setting=setting, value=shown)}**")
        st.dataframe(
            frontier_views.point_units(stored[1], result, t), hide_index=True, width="stretch"
        )


def _downloads(frame: pd.DataFrame, path: str, result, t: Tr) -> None:
    """The frontier as CSV and XLSX (fiscal.export, the same files as `fiscal frontier -o`)."""
    from fiscal import export

    title = f"{result.scenario.name}: {path}"
    warn = t("notice.illustrative") if result.illustrative else None
    stem = f"frontier-{path.replace('.', '-')}"
    c1, c2 = st.columns(2)

    def xlsx() -> bytes:  # in the page's language: the sheet, its title, notes and headers
        sheet, heads = frontier_views.frontier_sheet(frame, t)
        setting = _param_label(path, t, result.scenario.to_dict())
        scenario = t.own(result.scenario.scenario, "name")
        name = t("trade.sheet")
        return export.tables_bytes(
            {name: sheet},
            "xlsx",
            title=t("trade.xlsx_title", setting=setting, scenario=scenario),
            notes=[t("trade.xlsx_note")],
            illustrative=warn,
            headers={name: heads},
        )

    download(
        t("trade.download_xlsx"),
        xlsx,
        f"{stem}.xlsx",
        "dl_frontier_xlsx",
        where=c1,
    )
    download(
        t("trade.download_csv"),
        lambda: export.tables_bytes({"frontier": frame}, "csv", title=title),
        f"{stem}.csv",
        "dl_frontier_csv",
        where=c2,
    )


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
