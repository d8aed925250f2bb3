"""Execution and capital: the monthly drawdown of balancing transfers, the Monte Carlo on
revenue outturn, and the five-year capital view (fiscal.execution, fiscal.capital)."""

from __future__ import annotations

import streamlit as st

from fiscal.capital import five_year
from fiscal.execution import base_from_result, hcmc_2025_ratio, outturn
from fiscal.execution_export import capital_view_export, drawdown_view, outturn_view
from fiscal_app.execution_views import styled
from fiscal_app.i18n import Tr
from fiscal_app.widgets import current_result, download, illustrative_notice, page


def render() -> None:
    page("exec", _body)


def _body(t: Tr) -> None:
    result = current_result(t)
    if result is None:
        return
    illustrative_notice(result, t)
    tabs = st.tabs([t("exec.tab.drawdown"), t("exec.tab.outturn"), t("exec.tab.capital")])
    with tabs[0]:
        _drawdown(result, t)
    with tabs[1]:
        _outturn(result, t)
    with tabs[2]:
        _capital(result, t)


def _drawdown(result, t: Tr) -> None:
    first = result.table[result.table["year"] == result.years[0]]
    if float(first["transfer"].sum()) <= 0:
        st.info(t("exec.no_balancing"))
        return
    c1, c2 = st.columns(2)
    profile = c1.radio(
        t("exec.profile"),
        ["even", "front"],
        format_func=lambda p: t(f"exec.profile.{p}"),
        key="exec.profile",
        horizontal=True,
    )
    unit = c2.radio(
        t("exec.unit"),
        ["million", "dong"],
        format_func=lambda u: t(f"exec.unit.{u}"),
        key="exec.unit",
        horizontal=True,
    )
    view = drawdown_view(result, lang=t.lang, profile=profile, unit=unit)
    table = view.sheets["drawdown"]
    st.markdown(f"**{view.title}**")
    st.caption(view.notes[0])
    st.success(
        t(
            "exec.reconciled",
            unit=t(f"exec.unit.{unit}"),
            q1=t.pct(float(table["q1_share"].iat[-1])),
        )
    )
    st.dataframe(styled(table, t), hide_index=True, width="stretch", placeholder="–")
    d1, d2 = st.columns(2)
    download(
        t("exec.download.csv"),
        lambda: view.bytes("csv"),
        f"drawdown-{t.lang}.csv",
        "dl_drawdown_csv",
        where=d1,
    )
    download(
        t("exec.download.xlsx"),
        lambda: view.bytes("xlsx"),
        f"drawdown-{t.lang}.xlsx",
        "dl_drawdown_xlsx",
        where=d2,
    )


def _outturn(result, t: Tr) -> None:
    c1, c2, c3 = st.columns(3)
    # choices written in the language's number format (st.number_input has no locale)
    sd = c1.select_slider(
        t("exec.sd"),
        [0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2],
        value=0.05,
        format_func=lambda v: t.pct(v, 0),
        key="exec.sd",
    )
    draws = c2.select_slider(
        t("exec.draws"),
        [100, 500, 1000, 2000, 5000, 10_000],
        value=1000,
        format_func=t.num,
        key="exec.draws",
    )
    seed = int(c3.number_input(t("exec.seed"), min_value=0, value=0, step=1, key="exec.seed"))
    codes = result.table["code"].astype(str).tolist()
    ratio = float(hcmc_2025_ratio())
    hcmc = "79" in codes and st.checkbox(
        t("exec.hcmc", ratio=t.pct(ratio)), value=True, key="exec.hcmc"
    )
    opening = st.select_slider(
        t("exec.opening_debt"),
        [round(0.05 * k, 2) for k in range(21)],
        value=0.5,
        format_func=lambda v: t.pct(v, 0),
        key="exec.opening_debt",
    )
    base = base_from_result(result, opening_debt=opening)
    out = outturn(base, f"normal:{sd:g}", draws, seed=seed, fixed={"79": ratio} if hcmc else None)
    d = out.draws
    st.markdown(
        t(
            "exec.summary",
            below=t.num(d["units_below_need"].mean(), 1),
            below_max=int(d["units_below_need"].max()),
            breach=t.num(d["units_breach"].mean(), 1),
            breach_max=int(d["units_breach"].max()),
        )
    )
    at_estimate = int(out.units["below_at_estimate"].sum())
    if at_estimate:
        st.markdown(t("exec.at_estimate", n=at_estimate))
    view = outturn_view(out, lang=t.lang, illustrative_layer=result.illustrative)
    for note in view.notes:
        st.caption(note)
    st.subheader(t("exec.units_short"))
    units = out.units.sort_values(["p_breach", "p_below_need"], ascending=False)
    st.dataframe(styled(units, t), hide_index=True, width="stretch", placeholder="–")
    st.dataframe(styled(out.counts, t), hide_index=True, width="stretch", placeholder="–")
    download(
        t("exec.download.outturn"),
        lambda: view.bytes("xlsx"),
        f"outturn-{t.lang}.xlsx",
        "dl_outturn_xlsx",
    )


def _capital(result, t: Tr) -> None:
    frame = result.problem.units.frame
    needed = {"spending_need", "revenue_land", "revenue_lottery", "code", "name"}
    if result.scenario.scenario.level != "province" or not needed <= set(frame.columns):
        st.info(t("exec.capital.none"))
        frame = None
    view = five_year(frame=frame)
    export = capital_view_export(view, lang=t.lang)
    st.warning(export.warnings[0], icon="⚠️")
    for note in export.notes:
        st.caption(note)
    st.subheader(t("exec.capital.line"))
    st.dataframe(styled(view.line_by_year(), t), hide_index=True, width="stretch")
    st.subheader(t("exec.capital.points"))
    st.dataframe(styled(view.points, t), hide_index=True, width="stretch")
    st.subheader(t("exec.capital.split"))
    st.dataframe(styled(view.split, t), hide_index=True, width="stretch")
    download(
        t("exec.download.capital"),
        lambda: export.bytes("xlsx"),
        f"capital-{t.lang}.xlsx",
        "dl_capital_xlsx",
    )


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
