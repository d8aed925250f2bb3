"""Every text an AppTest page shows in its main area, with where it is (for the Vietnamese walk).

Headings, paragraphs, captions, alerts, metrics, widget labels, help and options, tab and
expander labels, table headers (the labels a table's column configuration gives, only the
columns it shows) and text cells, and the titles and text marks of charts (axis, legend and
tooltip titles). Code blocks are left out: they show a file (TOML), a command or a link.
"""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info")
_ELEMENTS += ("success", "text", "exception")
_WIDGETS = ("button", "download_button", "text_input", "selectbox", "multiselect", "radio")
_WIDGETS += ("toggle", "number_input", "select_slider", "checkbox", "file_uploader")


def _frame_texts(df: Any) -> list[tuple[str, str]]:
    out = []
    value = df.value
    config = json.loads(df.proto.columns or "{}")
    order = list(getattr(df.proto, "column_order", [])) or [str(c) for c in value.columns]
    for column in order:
        if column not in value.columns or config.get(column, {}).get("hidden"):
            continue
        out.append(("table header", str(config.get(column, {}).get("label") or column)))
        cells = value[column]
        if cells.dtype == object or str(cells.dtype).startswith(("str", "string")):
            out += [("table cell", str(x)) for x in cells.dropna().astype(str).unique()[:300]]
    return out


def _chart_texts(spec: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "text") and isinstance(value, str):
                    out.append((f"chart {key}", value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return out


def page_texts(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) of everything the page shows in its main area (not the sidebar)."""
    out: list[tuple[str, str]] = []
    main = at.main
    for kind in _ELEMENTS:
        out += [(kind, str(e.value)) for e in getattr(main, kind)]
    for m in main.metric:
        out += [("metric", m.label), ("metric", str(m.value))]
    for kind in _WIDGETS:
        for w in main.get(kind):
            out.append((kind, getattr(w, "label", "") or w.proto.label))
            if getattr(w.proto, "help", ""):
                out.append((f"{kind} help", w.proto.help))
            if getattr(w.proto, "placeholder", ""):
                out.append((f"{kind} placeholder", w.proto.placeholder))
            out += [(f"{kind} option", str(o)) for o in (getattr(w, "options", None) or [])]
    out += [("tab", tab.label) for tab in main.tabs]
    out += [("expander", x.label) for x in main.expander]
    for df in main.dataframe:
        out += _frame_texts(df)
    for chart in main.get("arrow_vega_lite_chart"):
        out += _chart_texts(json.loads(chart.proto.spec))
    return out
