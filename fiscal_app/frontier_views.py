"""What the Trade-offs page shows: the frontier's chart and table (no Streamlit).

Metrics are named and formatted as their spec says (:data:`fiscal.metrics.METRICS`); money
metrics (million VND) are shown in bn VND.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from fiscal.metrics import SPEC
from fiscal.prose import BN
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr
from fiscal_app.views import localise

__all__ = ["constant_value", "default_axes", "frontier_chart", "frontier_table"]

# the default axes: equity, stability, cost (columns of fiscal.frontier.frontier)
AXES = ("gini", "mean_abs_change_pct", "protection_cost")


def constant_value(frame: pd.DataFrame, key: str) -> float | None:
    """The value of ``key`` when it is the same at every point of ``frame`` (to the digits it
    is shown with), else None."""
    values = frame[key].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    unit, digits = _spec(key)
    shown = np.round(values / _metric_scale(key), digits + (2 if unit == "share" else 0))
    return float(values[0]) if np.all(shown == shown[0]) else None


def default_axes(frame: pd.DataFrame, numeric: list[str]) -> list[str]:
    """x, y and colour of the chart: equity, stability and cost, the colour the first metric
    (cost, then the others) that varies over the feasible points of ``frame``."""
    x, y = [a for a in AXES[:2] if a in numeric] or numeric[:2]
    rest = [AXES[2], *(c for c in numeric if c not in AXES)]
    varying = [c for c in rest if c in numeric and constant_value(frame, c) is None]
    colour = varying[0] if varying else next((c for c in rest if c in numeric), numeric[-1])
    return [x, y, colour]


def _spec(key: str) -> tuple[str, int]:
    """(unit, digits) of a frontier column: a metric's, or its price's (``gini_per_pt``)."""
    spec = SPEC.get(key.removesuffix("_per_pt").removesuffix("_per_unit"))
    return (spec.unit, spec.digits) if spec else ("index", 5)


def _metric_scale(key: str) -> float:
    """Money metrics (million VND) are shown in bn VND."""
    return BN if _spec(key)[0] == "money" else 1.0


def _d3_format(key: str) -> str:
    """The chart's number format of a metric (Vega's d3 format), as its spec says."""
    unit, digits = _spec(key)
    if unit == "share":
        return f".{digits}%"
    if unit == "index":
        return f",.{digits}~g"
    return f",.{digits}f"


def _table_format(key: str) -> tuple[str, int]:
    """The frontier table's format of a metric (see :func:`fiscal_app.fmt.styler`)."""
    unit, digits = _spec(key)
    return {"share": "pct", "index": "general"}.get(unit, "num"), digits


def frontier_chart(
    frame: pd.DataFrame,
    here: dict[str, float],
    x: str,
    y: str,
    color: str,
    current: float,
    t: Tr,
    scale: float = 1.0,
) -> alt.TopLevelMixin:
    """The frontier's points (x against y, coloured by ``color``) with the current scenario."""
    data = pd.DataFrame(
        {
            "x": frame[x].to_numpy(dtype=float) / _metric_scale(x),
            "y": frame[y].to_numpy(dtype=float) / _metric_scale(y),
            "c": frame[color].to_numpy(dtype=float) / _metric_scale(color),
            "value": frame["value"].to_numpy(dtype=float) / scale,
        }
    )
    xt, yt, ct = t.metric(x), t.metric(y), t.metric(color)

    tips = [
        alt.Tooltip("value:Q", title=t("trade.value"), format=",.4~f"),
        alt.Tooltip("x:Q", title=xt, format=_d3_format(x)),
        alt.Tooltip("y:Q", title=yt, format=_d3_format(y)),
        alt.Tooltip("c:Q", title=ct, format=_d3_format(color)),
    ]

    def axis(key: str) -> alt.Axis:
        return alt.Axis(format=_d3_format(key))

    base = alt.Chart(data).encode(
        x=alt.X("x:Q", title=xt, scale=alt.Scale(zero=False), axis=axis(x)),
        y=alt.Y("y:Q", title=yt, scale=alt.Scale(zero=False), axis=axis(y)),
    )
    line = base.mark_line(color="#90a4ae").encode(order="value:Q")
    # a colour that does not vary would draw a legend of one value: one colour instead, and
    # the page says the value (see constant_value)
    if constant_value(frame, color) is None:
        colour: Any = alt.Color("c:Q", title=ct, scale=alt.Scale(scheme="viridis"))
    else:
        colour = alt.value("#1565c0")
    points = base.mark_circle(size=90).encode(color=colour, tooltip=tips)
    hx, hy = here.get(x, np.nan), here.get(y, np.nan)
    if not (np.isfinite(hx) and np.isfinite(hy)):
        return localise((line + points).properties(height=420), t)
    me = pd.DataFrame(
        {
            "x": [hx / _metric_scale(x)],
            "y": [hy / _metric_scale(y)],
            "value": [current / scale],
            "label": [t("trade.current")],
        }
    )
    marker = (
        alt.Chart(me)
        .mark_point(shape="diamond", size=320, color="#d32f2f", filled=True, stroke="black")
        .encode(
            x="x:Q",
            y="y:Q",
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("value:Q", title=t("trade.value"), format=",.4~f"),
            ],
        )
    )
    label = (
        alt.Chart(me)
        .mark_text(align="left", dx=12, dy=-10, fontWeight="bold", color="#d32f2f")
        .encode(x="x:Q", y="y:Q", text="label:N")
    )
    return localise((line + points + marker + label).properties(height=420), t)


def frontier_table(frame: pd.DataFrame, t: Tr, scale: float = 1.0) -> Any:
    """The frontier's points with translated metric names, money in bn VND."""
    out = pd.DataFrame(
        {
            t("trade.value"): frame["value"].to_numpy(dtype=float) / scale,
            t("trade.status"): [
                t(f"trade.status.{s}") if t.has(f"trade.status.{s}") else s
                for s in frame["status"].astype(str)
            ],
        }
    )
    formats: dict[str, tuple[str, int]] = {t("trade.value"): ("plain", 6)}
    for col in frame.columns:
        if col in ("value", "status", "point", "message") or not pd.api.types.is_numeric_dtype(
            frame[col]
        ):
            continue
        name = t.metric(col)
        out[name] = frame[col].to_numpy(dtype=float) / _metric_scale(col)
        formats[name] = _table_format(col)
    if "message" in frame.columns:
        out[t("trade.message")] = [
            "" if m is None or m != m else t.message(m) for m in frame["message"]
        ]
    return styler(out, formats, t.lang)
