"""The change charts: one bar per unit, its gain or loss in bn VND (Altair, no Streamlit), and
the charts' number format in the chosen language (:func:`localise`)."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from fiscal.prose import BN
from fiscal_app.i18n import Tr

__all__ = [
    "AXIS_FORMAT",
    "CHART_UNITS",
    "NAME_PX",
    "ROW_PX",
    "change_chart",
    "localise",
    "unchanged",
    "winners_chart",
]

CHART_UNITS = 60  # above this many units, charts show the largest gains and losses only


def localise(chart: alt.TopLevelMixin, t: Tr) -> alt.TopLevelMixin:
    """Number format of the chart's axes and tooltips in the chosen language."""
    thousands, decimal = (".", ",") if t.lang == "vi" else (",", ".")
    return chart.configure(
        locale={
            "number": {
                "decimal": decimal,
                "thousands": thousands,
                "grouping": [3],
                "currency": ["", ""],
            }
        }
    )


#: the change charts: one row per unit, tall enough for its name in full
ROW_PX = 16
NAME_PX = 260  # the longest unit name (30 characters) at the axis' font size, with room
#: the change axis (bn VND): thousands grouped, at most the million VND of the rounding unit,
#: no trailing zeros — without it the browser's Vega wrote a flat chart's only tick '0,000000'
#: (a zero-width domain leaves d3 no step to take the decimals from)
AXIS_FORMAT = ",.3~f"


def _unit_rows(
    data: pd.DataFrame, colour: alt.Color, tooltip: list[alt.Tooltip], t: Tr
) -> alt.TopLevelMixin:
    """Horizontal bars, one row per unit (``unit``, ``change`` in bn VND), in the frame's order:
    every name is written in full and level, whatever the width of the page (bars standing up
    turned their names and, side by side, clipped them)."""
    counts = data["unit"].value_counts()
    twice = data["unit"].isin(counts[counts > 1].index)  # one name, two communes: say which
    data = data.assign(unit=np.where(twice, data["unit"] + " (" + data["code"] + ")", data["unit"]))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "unit:N",
                sort=None,
                title=None,
                axis=alt.Axis(labelLimit=NAME_PX, labelOverlap=False, labelFontSize=11),
            ),
            x=alt.X(
                "change:Q",
                title=t("chart.bn_axis"),
                axis=alt.Axis(orient="top", format=AXIS_FORMAT),
            ),
            color=colour,
            tooltip=tooltip,
        )
        .properties(height=max(200, ROW_PX * len(data)))
    )
    return localise(chart, t)


def change_chart(result: Any, year: int, t: Tr) -> alt.TopLevelMixin:
    """Bars of each unit's change against its baseline (bn VND), largest gain first."""
    table = result.table[result.table["year"] == year]
    data = pd.DataFrame(
        {
            "code": table["code"].astype(str).to_numpy(),
            "unit": table["name"].astype(str).to_numpy(),
            "change": table["change"].to_numpy(dtype=float) / BN,
            "pct": table["change_pct"].to_numpy(dtype=float),
        }
    ).sort_values("change", ascending=False, kind="stable")
    if len(data) > CHART_UNITS:
        half = CHART_UNITS // 2
        data = pd.concat([data.head(half), data.tail(half)])
    data["direction"] = np.where(data["change"] >= 0, t("chart.gain"), t("chart.loss"))
    data["pct"] = data["pct"].replace([np.inf, -np.inf], np.nan)
    colour = alt.Color(
        "direction:N",
        title=None,
        scale=alt.Scale(domain=[t("chart.gain"), t("chart.loss")], range=["#2e7d32", "#c62828"]),
    )
    tooltip = [
        alt.Tooltip("unit:N", title=t("col.name")),
        alt.Tooltip("change:Q", title=t("col.change"), format=",.1f"),
        alt.Tooltip("pct:Q", title=t("col.change_pct"), format="+.2%"),
    ]
    return _unit_rows(data, colour, tooltip, t)


def unchanged(c: Any, label: str, year: int) -> bool:
    """Whether ``label`` allocates every unit the same as the reference in ``year``."""
    u = c.units[c.units["year"] == year]
    return bool((u[f"{label}: change"].to_numpy(dtype=float) == 0).all())


def winners_chart(c: Any, label: str, year: int, t: Tr) -> alt.TopLevelMixin:
    """Each unit's change in ``label`` against the reference (bn VND), coloured by band."""
    from fiscal.metrics import BANDS

    u = c.units[c.units["year"] == year]
    data = pd.DataFrame(
        {
            "code": u["code"].astype(str).to_numpy(),
            "unit": u["name"].astype(str).to_numpy(),
            "change": u[f"{label}: change"].to_numpy(dtype=float) / BN,
            "pct": u[f"{label}: change_pct"].to_numpy(dtype=float),
            "band": [t.band(b) for b in u[f"{label}: band"]],
        }
    ).sort_values("change", ascending=False, kind="stable")
    if len(data) > CHART_UNITS:
        half = CHART_UNITS // 2
        data = pd.concat([data.head(half), data.tail(half)])
    domain = [t.band(b) for b in BANDS]
    colour = alt.Color(
        "band:N",
        title=None,
        scale=alt.Scale(
            domain=domain, range=["#1b5e20", "#66bb6a", "#9e9e9e", "#ef9a9a", "#b71c1c"]
        ),
    )
    tooltip = [
        alt.Tooltip("unit:N", title=t("col.name")),
        alt.Tooltip("change:Q", title=t("col.change"), format=",.1f"),
        alt.Tooltip("pct:Q", title=t("col.change_pct"), format="+.2%"),
        alt.Tooltip("band:N", title=t("compare.band")),
    ]
    return _unit_rows(data, colour, tooltip, t)
