"""Tables and charts of the History page (stored runs, trails, attributions); no Streamlit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from fiscal.attribution import LABELS
from fiscal.prose import BN
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr
from fiscal_app.views import localise

__all__ = [
    "attribution_chart",
    "attribution_table",
    "factor",
    "runs_table",
    "status",
    "total_words",
    "trail_table",
    "when",
]

CHART_UNITS = 40
COLOURS = {
    "data": "#1f77b4",
    "envelope": "#2ca02c",
    "norms": "#9467bd",
    "rules": "#d62728",
    "objective": "#ff7f0e",
    "method": "#8c564b",
    "fiscal version": "#7f7f7f",
}


def factor(name: str, t: Tr) -> str:
    return LABELS[t.lang].get(name, name)


def status(value: str, t: Tr) -> str:
    return t(f"history.status.{value}")


def when(v: Any) -> str:
    return v.strftime("%Y-%m-%d %H:%M") if v is not None else "–"


def runs_table(infos: Sequence[Any], t: Tr) -> tuple[pd.DataFrame, Any]:
    frame = pd.DataFrame(
        {
            t("history.col.id"): [f"#{i.id}" for i in infos],
            t("history.col.created"): [when(i.created_at) for i in infos],
            t("history.col.status"): [status(i.status, t) for i in infos],
            t("history.col.version"): [i.version for i in infos],
            t("history.col.author"): [i.author for i in infos],
            t("history.col.name"): [i.name for i in infos],
            t("history.col.total"): [i.total / BN for i in infos],
            t("history.col.objective"): [t.objective(i.objective) for i in infos],
            t("history.col.note"): [i.note for i in infos],
        }
    )
    return frame, styler(frame, {t("history.col.total"): ("num", 1)}, t.lang)


def trail_table(events: Sequence[Any], t: Tr) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("history.col.when"): [when(e.at) for e in events],
            t("history.col.action"): [
                t(f"history.action.{e.action}") if t.has(f"history.action.{e.action}") else e.action
                for e in events
            ],
            t("history.col.who"): [e.who for e in events],
            t("history.col.detail"): [e.detail for e in events],
        }
    )


def _year_rows(att: Any, year: int) -> pd.DataFrame:
    return att.table[att.table["year"] == year]


def attribution_table(att: Any, year: int, t: Tr) -> tuple[pd.DataFrame, Any]:
    rows = _year_rows(att, year).sort_values("change", key=abs, ascending=False, kind="stable")
    frame = pd.DataFrame(
        {
            t("col.name"): rows["name"].astype(str).to_numpy(),
            t("history.change"): rows["change"].to_numpy(dtype=float) / BN,
        }
    )
    for f in att.factors:
        frame[factor(f, t)] = rows[f].to_numpy(dtype=float) / BN
    fmts = {c: ("signed", 3) for c in frame.columns[1:]}
    return frame, styler(frame, fmts, t.lang)


def attribution_chart(att: Any, year: int, t: Tr) -> alt.TopLevelMixin:
    """A stacked bar per unit (one segment per factor) and a ◆ at the unit's total change."""
    rows = _year_rows(att, year).sort_values("change", ascending=False, kind="stable")
    if len(rows) > CHART_UNITS:
        half = CHART_UNITS // 2
        rows = pd.concat([rows.head(half), rows.tail(half)])
    order = rows["name"].astype(str).tolist()
    long = pd.DataFrame(
        [
            {"unit": str(r["name"]), "factor": factor(f, t), "amount": r[f] / BN}
            for _, r in rows.iterrows()
            for f in att.factors
        ]
    )
    totals = pd.DataFrame(
        {
            "unit": rows["name"].astype(str).to_numpy(),
            "change": rows["change"].to_numpy(dtype=float) / BN,
        }
    )
    domain = [factor(f, t) for f in att.factors]
    colours = [COLOURS.get(f, "#17becf") for f in att.factors]
    x = alt.X(
        "unit:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelAngle=-60, labelOverlap=False, labelFontSize=10),
    )
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(amount):Q", title=t("history.attr_axis")),
            color=alt.Color(
                "factor:N", title=t("history.factor"), scale=alt.Scale(domain=domain, range=colours)
            ),
            tooltip=[
                alt.Tooltip("unit:N", title=t("col.name")),
                alt.Tooltip("factor:N", title=t("history.factor")),
                alt.Tooltip("amount:Q", title=t("history.attr_axis"), format=",.3f"),
            ],
        )
    )
    marks = (
        alt.Chart(totals)
        .mark_point(shape="diamond", filled=True, color="black", size=60)
        .encode(
            x=x,
            y=alt.Y("change:Q"),
            tooltip=[
                alt.Tooltip("unit:N", title=t("col.name")),
                alt.Tooltip("change:Q", title=t("history.change"), format=",.3f"),
            ],
        )
    )
    return localise(alt.layer(bars, marks).properties(height=340), t)


def total_words(att: Any, year: int, t: Tr) -> str:
    totals = att.totals(year)
    parts = ", ".join(f"{factor(f, t)} {t.num(totals[f] / BN, 1, sign=True)}" for f in att.factors)
    return t("history.attr_total", change=t.bn(totals["change"], 1), parts=parts)
