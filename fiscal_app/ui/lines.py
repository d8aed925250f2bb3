"""Allocate's Transfer lines section: each line, each unit's lines and the whole-budget rules
of a result with ``[lines.<name>]`` (:mod:`fiscal.lines`). Not a page: Allocate calls it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from fiscal_app import lines_views
from fiscal_app.i18n import Tr

__all__ = ["lines_section"]


def lines_section(result: Any, year: int, t: Tr) -> None:
    """The transfer lines, each unit's lines and the whole-budget rules of ``result``."""
    st.subheader(t("lines.heading"))
    st.caption(t("lines.caption"))
    note = lines_views.illustrative_lines(result, t)
    if note:
        st.warning(note)
    st.markdown(f"**{t('lines.totals')}**")
    st.dataframe(
        lines_views.line_totals(result, year, t)[1],
        hide_index=True,
        width="stretch",
        placeholder="–",
    )
    st.markdown(f"**{t('lines.units')}**")
    st.dataframe(lines_views.unit_lines(result, year, t)[1], hide_index=True, width="stretch")
    for heading, _, styled in lines_views.priority_tables(result, year, t):
        st.markdown(f"**{heading}**")
        st.caption(t("lines.priority_caption"))
        st.dataframe(styled, hide_index=True, width="stretch", placeholder="–")
    if result.budget.checks:
        st.markdown(f"**{t('lines.rules')}**")
        st.caption(t("lines.rules_caption"))
        st.dataframe(
            lines_views.rules_table(result, year, t)[1],
            hide_index=True,
            width="stretch",
            placeholder="–",
        )
