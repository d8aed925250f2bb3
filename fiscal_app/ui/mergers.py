"""Merged units: each unit that merged beside its predecessors (rates, transfers, resources)."""

from __future__ import annotations

import streamlit as st

from fiscal import export
from fiscal.mechanism import abc_facts, merger_view
from fiscal.prose import abc_story
from fiscal_app import mergers_views as views
from fiscal_app.i18n import Tr
from fiscal_app.widgets import current_result, download, illustrative_notice, page


def render() -> None:
    page("mergers", _body)


def _body(t: Tr) -> None:
    result = current_result(t)
    if result is None:
        return
    illustrative_notice(result, t)
    if result.problem.sharing is None:
        st.info(t("mergers.none"))
        return
    view = merger_view(result.problem, result.cells.sum(axis=1))
    if view.empty:
        st.info(t("mergers.no_predecessors"))
        return
    counts = view[view["level"] == "predecessor"].groupby("unit").size()
    merged = view[view["unit"].map(counts).fillna(0) >= 2]
    units = merged[merged["level"] == "unit"]
    held = int((units["resources"] >= units["reference"] - 0.5).sum())
    st.markdown(t("mergers.held", held=held, n=len(units)))
    for line in views.sharing_summary(result, t):
        st.caption(line)
    names = dict(zip(units["unit"].astype(str), units["name"].astype(str), strict=True))
    codes = list(names)
    if st.session_state.get("mergers.unit") not in codes:
        st.session_state["mergers.unit"] = codes[0]
    code = st.selectbox(
        t("mergers.unit"),
        codes,
        key="mergers.unit",
        format_func=lambda c: f"{c} — {names.get(c, c)}",
    )
    _, styled = views.mergers_table(merged[merged["unit"] == code], t)
    st.dataframe(styled, hide_index=True, width="stretch", placeholder="–")
    facts = abc_facts(result, code)
    if facts is not None:
        st.markdown(f"**{t('mergers.story')}**")
        st.text("\n".join(abc_story(facts, t.lang)))
    st.subheader(t("mergers.all"))
    st.altair_chart(views.mergers_chart(merged, t), width="stretch")
    frame, styled = views.mergers_table(merged, t)
    st.dataframe(styled, hide_index=True, width="stretch", placeholder="–")
    download(
        t("mergers.download"),
        lambda: export.tables_bytes({"mergers": merged}, "csv", title=result.scenario.name),
        "mergers.csv",
        "dl_mergers",
    )


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
