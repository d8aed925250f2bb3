"""The A/B/C mechanism on the app's pages: the summary on Allocate and the Merged units page
(each merged unit beside its predecessors, a table and a chart). Nothing here imports Streamlit.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from fiscal.prose import BN
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr
from fiscal_app.views import NAME_PX, localise

__all__ = ["mergers_chart", "mergers_table", "sharing_summary"]


def sharing_summary(result: Any, t: Tr) -> list[str]:
    """The A/B/C mechanism of a result in one or two sentences (empty without [sharing])."""
    state = result.problem.sharing
    if state is None:
        return []
    table = result.year_table()
    lines = [
        t(
            "sharing.summary",
            mode=t(f"sharing.mode.{state.mode}"),
            receiving=int((table["fiscal_class"] == "receiving").sum()),
            remitted=t.bn(float(table["remitted"].sum())),
        )
    ]
    if state.chosen is not None:
        moved = table[table["sharing_rate"] != table["formula_rate"]]
        if len(moved):
            listed = ", ".join(
                f"{r['name']} {int(r['formula_rate'])} → {int(r['sharing_rate'])}%"
                for _, r in moved.iterrows()
            )
            lines.append(
                t("sharing.chosen", band=state.settings.band, changed=len(moved), list=listed)
            )
        else:
            lines.append(t("sharing.kept_formula", band=state.settings.band))
    return lines


def mergers_table(view: pd.DataFrame, t: Tr) -> tuple[pd.DataFrame, Any]:
    """The merged-unit view (:func:`fiscal.mechanism.merger_view`) with translated headers."""
    held = view["resources"] >= view["reference"] - 0.5
    out = pd.DataFrame(
        {
            t("col.code"): view["unit"].astype(str),
            t("col.level"): view["level"].map(lambda v: t(f"level.{v}")),
            t("col.name"): view["name"].astype(str),
            t("col.rate"): view["rate"].to_numpy(dtype=float),
            t("col.need_a"): view["need"].to_numpy(dtype=float) / BN,
            t("col.local_b"): view["local"].to_numpy(dtype=float) / BN,
            t("col.shared_c"): view["shared"].to_numpy(dtype=float) / BN,
            t("col.remitted"): view["remitted"].to_numpy(dtype=float) / BN,
            t("col.balancing"): view["balancing"].to_numpy(dtype=float) / BN,
            t("col.resources"): view["resources"].to_numpy(dtype=float) / BN,
            t("col.reference"): view["reference"].to_numpy(dtype=float) / BN,
            t("col.held"): np.where(view["level"] == "unit", np.where(held, t("yes"), t("no")), ""),
            t("col.fiscal_class"): view["fiscal_class"].map(t.fiscal_class),
        }
    )
    money = ("col.need_a", "col.local_b", "col.shared_c", "col.remitted", "col.balancing")
    formats = {t(k): ("num", 1) for k in (*money, "col.resources", "col.reference")}
    formats[t("col.rate")] = ("num", 0)
    return out, styler(out, formats, t.lang)


def mergers_chart(view: pd.DataFrame, t: Tr) -> alt.TopLevelMixin:
    """Each merged unit's resources against its predecessors' summed resources (bn VND)."""
    units = view[view["level"] == "unit"]
    rows = []
    for _, r in units.iterrows():
        rows.append({"unit": r["name"], "what": t("level.unit"), "bn": r["resources"] / BN})
        rows.append({"unit": r["name"], "what": t("col.reference"), "bn": r["reference"] / BN})
    data = pd.DataFrame(rows)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(  # every name whole (Vega cut 'Thành phố Hải Phòng' at 180 px)
                "unit:N",
                title=None,
                sort=None,
                axis=alt.Axis(labelLimit=NAME_PX, labelOverlap=False),
            ),
            x=alt.X("bn:Q", title=t("mergers.chart")),
            yOffset="what:N",
            color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("unit:N", title=t("col.name")),
                alt.Tooltip("what:N", title=t("col.level")),
                alt.Tooltip("bn:Q", title=t("col.resources"), format=",.1f"),
            ],
        )
        .properties(height=max(220, 34 * len(units)))
    )
    return localise(chart, t)
