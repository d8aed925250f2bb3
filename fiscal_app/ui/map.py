"""Map: the 34 provincial units coloured by a result, the old provinces' borders, the PNG."""

from __future__ import annotations

import streamlit as st

from fiscal_app import maps
from fiscal_app.i18n import Tr
from fiscal_app.widgets import current_result, download, illustrative_notice, map_section, page


def render() -> None:
    page("map", _body)


def _body(t: Tr) -> None:
    result = current_result(t)
    if result is None:
        return
    illustrative_notice(result, t)
    year = result.years[0]
    if len(result.years) > 1:
        year = st.selectbox(t("year"), result.years, key="map.year")
    data, column = map_section(result, year, t, "map", height=760)
    title = t(
        "map.png_title",
        scenario=t.own(result.scenario.scenario, "name"),
        column=t(maps.COLUMNS[column].label),
        year=year,
    )
    download(
        t("map.png"),
        lambda: maps.map_png(maps.static_map(data, column, t, title=title)),
        f"map-{column}-{year}-{t.lang}.png",
        "dl_map_png",
    )


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
