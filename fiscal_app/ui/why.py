"""Why this number: one unit's waterfall and story, and the constraint ledger."""

from __future__ import annotations

import streamlit as st

from fiscal import export
from fiscal_app import session, views
from fiscal_app.i18n import Tr
from fiscal_app.unit_tables import province_choice
from fiscal_app.unit_views import is_commune_run, province_names
from fiscal_app.widgets import current_result, download, illustrative_notice, page


def render() -> None:
    page("why", _body)


def _default_unit(table) -> str:
    """A merged unit with the largest change, so that the first view has a story to tell."""
    merged = table[table["merged"].astype(str) == "yes"]
    pool = merged if len(merged) else table
    return str(pool.loc[pool["change"].abs().idxmax(), "code"])


def _on_province() -> None:
    """A province chosen: its commune with the largest change is explained first."""
    st.session_state.pop("why.unit", None)
    st.session_state["why.pick_in"] = st.session_state["why.province"]


def _body(t: Tr) -> None:
    result = current_result(t)
    if result is None:
        return
    illustrative_notice(result, t)
    first = result.year_table()
    codes = first["code"].astype(str).tolist()
    names = views.names_by_code(result)
    commune_run = is_commune_run(result)
    parents = first["parent"].astype(str) if commune_run else None
    if st.session_state.get("why.unit") not in codes:
        # a province just chosen: its commune with the largest change, else the whole table's
        within = st.session_state.pop("why.pick_in", None)
        pool = first[parents == within] if commune_run and within in set(parents) else first
        st.session_state["why.unit"] = _default_unit(pool.reset_index(drop=True))
    if commune_run:  # 3,321 communes: the province first, then one of its communes
        provinces = list(dict.fromkeys(parents))
        st.session_state["why.province"] = dict(zip(codes, parents, strict=True))[
            st.session_state["why.unit"]
        ]
        province = province_choice(
            provinces, province_names(provinces), t, "why.province", on_change=_on_province
        )
        codes = [c for c, p in zip(codes, parents, strict=True) if p == province]
    left, right = st.columns([3, 1])
    with left:
        code = st.selectbox(
            t("why.unit"), codes, key="why.unit", format_func=lambda c: f"{c} — {names.get(c, c)}"
        )
    with right:
        year = result.years[0]
        if len(result.years) > 1:
            year = st.selectbox(t("year"), result.years, key="why.year")
    scen = result.scenario
    toml, units = scen.to_toml(), session.units()
    with st.spinner(t("why.working")):  # the first time: a solve per rule (per province)
        w = session.engine().waterfall(toml, units, code, year)
    st.subheader(t("why.waterfall", name=w.name, year=w.year))
    st.altair_chart(views.waterfall_chart(w, t), width="stretch")
    st.caption(t("why.axis_note"))
    st.markdown(t("why.story"))
    st.text(views.waterfall_story(w, t))
    st.dataframe(
        views.waterfall_table(w, t).style.format({t("col.amount_bn"): lambda v: t.num(v, 3)}),
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    from fiscal_app.lines_views import why_lines

    by_line = why_lines(w, t)
    if by_line is not None:
        st.markdown(f"**{t('lines.why')}**")
        st.dataframe(by_line[1], hide_index=True, width="stretch", placeholder="–")
    download(
        t("why.download"),
        lambda: export.tables_bytes(
            {"waterfall": w.frame(t.lang)}, "csv", title=f"{w.name} {w.year}"
        ),
        f"waterfall-{w.code}-{w.year}.csv",
        "dl_waterfall",
    )
    st.subheader(t("why.ledger"))
    st.caption(t("why.ledger_caption"))
    with st.spinner(t("why.working")):
        ledger = session.engine().ledger(toml, units)
    _, styled = views.ledger_table(ledger, names, t, result)
    shown = views.rule_names(scen, t)
    st.dataframe(styled, hide_index=True, width="stretch", placeholder="–")
    binding = ledger[ledger["binding"] & (ledger["kind"] != "envelope")]
    for _, rule in binding.iterrows():
        cost = t.bn(rule["cost"]) if rule["cost"] == rule["cost"] else "–"
        st.markdown(
            t(
                "why.binding_line",
                rule=shown.get(rule["name"], rule["name"]),
                kind=t.kind(rule["kind"]),
                n=int(rule["units_binding"]),
                cost=cost,
            )
        )
    if binding.empty:
        st.caption(t("why.none_binding"))


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
