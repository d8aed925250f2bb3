"""What the Trade-offs page shows: the frontier's chart and table (no Streamlit).

Metrics are named and formatted as their spec says (:data:`fiscal.metrics.METRICS`); money
metrics (million VND) are shown in bn VND. A frontier of a scenario with transfer lines carries
the names of its per-line metrics (``frame.attrs["metric_names"]``); its metrics on the
balancing line then say so, beside those on total resources (issue 14).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from fiscal import prose
from fiscal.metrics import SPEC, spec
from fiscal.prose import BN
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr
from fiscal_app.numbers import column_decimals
from fiscal_app.views import localise

__all__ = [
    "axes_for",
    "constant_value",
    "default_axes",
    "frontier_chart",
    "frontier_sheet",
    "frontier_table",
    "metric_columns",
    "metric_name",
    "metric_names_of",
    "point_lines",
    "point_units",
]

TITLE_PX = 640  # a legend's title: the longest metric name (70 characters) at its font size
# the default axes: equity, stability, cost (columns of fiscal.frontier.frontier)
AXES = ("gini", "mean_abs_change_pct", "protection_cost")
# with transfer lines: equity and the poorest on total resources, the whole-budget rules
AXES_LINES = ("gini_total", "min_per_capita_total", "units_breaching_rules")


def metric_name(key: str, t: Tr, names: dict[str, tuple[str, str]] | None = None) -> str:
    """A frontier column's name; with transfer lines (``names``: the frontier's
    ``metric_names``) a metric on the balancing line says so, and a line's total is the line's
    name."""
    for suffix, word in (("_per_pt", "per_pt"), ("_per_unit", "per_unit")):
        if key.endswith(suffix):
            return t(f"metric.{word}", name=metric_name(key.removesuffix(suffix), t, names))
    name = prose.metric_label(key, t.lang, names)
    if names is not None and key in SPEC and SPEC[key].base == "balancing":
        name = f"{name} ({t('trade.on_balancing')})"
    return name


def metric_columns(frame: pd.DataFrame, ok: Any) -> list[str]:
    """The metrics of a frontier with a value at some feasible point, in the frame's order."""
    return [
        c
        for c in frame.columns
        if spec(c) is not None and c not in ("point", "value") and frame.loc[ok, c].notna().any()
    ]


def axes_for(frame: pd.DataFrame, numeric: list[str], path: str) -> list[str]:
    """The default axes: :func:`default_axes`; with transfer lines the metrics on total
    resources, and a line's total across when the sweep moves that line."""
    if "metric_names" not in frame.attrs:
        return default_axes(frame, numeric)
    parts = path.split(".")
    swept = f"line_{parts[1]}" if parts[0] == "lines" and len(parts) > 2 else None
    if swept in numeric and constant_value(frame, swept) is None:
        axes = (swept, "gini_total", "min_per_capita_total")
        return default_axes(frame, numeric, (*axes, "units_breaching_rules"))
    return default_axes(frame, numeric, AXES_LINES)


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


def default_axes(
    frame: pd.DataFrame, numeric: list[str], axes: tuple[str, ...] = AXES
) -> list[str]:
    """x, y and colour of the chart: equity, stability and cost (``axes``), the colour the
    first metric (cost, then the others) that varies over the feasible points of ``frame``."""
    x, y = list(dict.fromkeys([a for a in axes[:2] if a in numeric] + numeric))[:2]
    rest = [*axes[2:], *(c for c in numeric if c not in axes)]
    varying = [c for c in rest if c in numeric and constant_value(frame, c) is None]
    colour = varying[0] if varying else next((c for c in rest if c in numeric), numeric[-1])
    return [x, y, colour]


def _spec(key: str) -> tuple[str, int]:
    """(unit, digits) of a frontier column: a metric's, or its price's (``gini_per_pt``)."""
    m = spec(key.removesuffix("_per_pt").removesuffix("_per_unit"))
    return (m.unit, m.digits) if m else ("index", 5)


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
    names = frame.attrs.get("metric_names")
    xt, yt, ct = (metric_name(k, t, names) for k in (x, y, color))

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
        # under the chart, its title whole (at the right Vega cut the name of a metric at
        # 180 px: 'Đơn vị không đạt quy tắc trê…')
        legend = alt.Legend(orient="bottom", titleLimit=TITLE_PX, gradientLength=320)
        colour: Any = alt.Color("c:Q", title=ct, scale=alt.Scale(scheme="viridis"), legend=legend)
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
    # one format for the column: as many decimals as its points need, the same on every row
    digits = column_decimals(out[t("trade.value")])
    formats: dict[str, tuple[str, int]] = {t("trade.value"): ("num", digits)}
    names = frame.attrs.get("metric_names")
    for col in frame.columns:
        if col in ("value", "status", "point", "message") or not pd.api.types.is_numeric_dtype(
            frame[col]
        ):
            continue
        name = metric_name(col, t, names)
        out[name] = frame[col].to_numpy(dtype=float) / _metric_scale(col)
        formats[name] = _table_format(col)
    if "message" in frame.columns:
        out[t("trade.message")] = [
            "" if m is None or m != m else t.message(m) for m in frame["message"]
        ]
    return styler(out, formats, t.lang)


def frontier_sheet(frame: pd.DataFrame, t: Tr) -> tuple[pd.DataFrame, list[str]]:
    """The frontier as its workbook sheet writes it in the language: every column with its
    numbers as they are (money in million VND, to the million), the status and the message in
    words, and the columns' names (:func:`metric_name`) as the headers."""
    names = frame.attrs.get("metric_names")
    out = frame.copy()
    out["status"] = [
        t(f"trade.status.{s}") if t.has(f"trade.status.{s}") else s for s in frame["status"]
    ]
    if "message" in out:
        out["message"] = ["" if m is None or m != m else t.message(m) for m in frame["message"]]
    fixed = {
        "point": t("trade.point_no"),
        "value": t("trade.value"),
        "status": t("trade.status"),
        "message": t("trade.message"),
    }
    heads = [fixed.get(str(c)) or metric_name(str(c), t, names) for c in out.columns]
    return out, heads


def point_lines(row: pd.Series, here: dict[str, float], names: dict[str, tuple[str, str]], t: Tr):
    """Each transfer line's total at one point of a frontier and in the current scenario, all
    lines and total resources (bn VND), and the change."""
    keys = [k for k in row.index if k.startswith("line_")] + ["transfers_total", "resources_total"]
    at = [float(row[k]) for k in keys]
    now = [float(here.get(k, np.nan)) for k in keys]
    point, current, change = t("trade.at_point"), t("trade.now"), t("trade.change")
    out = pd.DataFrame(
        {
            t("col.line"): [prose.metric_label(k, t.lang, names) for k in keys],
            point: np.array(at) / BN,
            current: np.array(now) / BN,
            change: (np.array(at) - np.array(now)) / BN,
        }
    )
    return styler(out, {point: ("num", 1), current: ("num", 1), change: ("signed", 1)}, t.lang)


def point_units(point: Any, now: Any, t: Tr) -> Any:
    """Each unit's lines at a point of the frontier (a result with transfer lines), its total
    resources and their change against the current scenario's (bn VND), first year."""
    from fiscal_app.lines_views import unit_lines

    out, _ = unit_lines(point, point.years[0], t)
    change = t("trade.change_resources")
    out[change] = (point.budget.resources[0] - now.budget.resources[0]) / BN
    formats = {c: ("num", 1) for c in out.columns[2:]} | {change: ("signed", 1)}
    return styler(out, formats, t.lang)


def metric_names_of(results: Any) -> dict[str, tuple[str, str]] | None:
    """The names of the per-line metrics of results with transfer lines (None if none has)."""
    from fiscal.metrics_budget import metric_names

    budgets = [r.budget for r in results if getattr(r, "budget", None) is not None]
    if not budgets:
        return None
    out: dict[str, tuple[str, str]] = {}
    for b in budgets:
        out = metric_names(b) | out  # the first scenario's names first
    return out
