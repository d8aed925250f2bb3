"""The map: the bundled province boundaries joined to a result, drawn as an Altair choropleth.

Nothing here imports Streamlit. The boundaries are package data of ``fiscal.datasets.boundaries``
(Open Development Vietnam, CC BY-SA 4.0: :func:`attribution` goes under every map and into every
exported image). They are drawn from the data alone — no tile server, no CDN — with Hoàng Sa
and Trường Sa as the source draws them (parts of Đà Nẵng and Khánh Hòa), labelled.

    >>> data = map_data(result, 2026)          # one row per province, every unit joined
    >>> chart = map_chart(data, "change_pct", Tr("vi"))
    >>> png = map_png(static_map(data, "allocation", Tr("vi"), title="…"))

A commune-level result is shown per province (its communes summed; commune boundaries are not
bundled). The columns a map can show are :data:`MAP_COLUMNS`: a new result column (the sharing
rate) is one more entry there and one label.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from fiscal_app.fmt import BN
from fiscal_app.i18n import Tr

__all__ = [
    "MAP_COLUMNS",
    "MapColumn",
    "MapData",
    "attribution",
    "available_columns",
    "boundaries",
    "map_chart",
    "map_data",
    "map_png",
    "static_map",
]

SELECTION = "unit"  # the name of the click selection (Streamlit returns it under this name)
NO_DATA = "#d9d9d9"


@dataclass(frozen=True)
class MapColumn:
    """A result column a map can be coloured by.

    ``kind`` says how its numbers are written (``bn``, ``signed_bn``, ``pct``, ``signed_pct``,
    ``num2``); ``scheme`` is a Vega colour scheme, centred on 0 when ``diverging``. Per
    province, a commune-level result is combined by summing (``summed``) or as a ratio of sums
    (``ratio`` = numerator, denominator); a column with neither is not offered there.
    """

    key: str
    label: str  # an i18n key
    kind: str
    scheme: str
    diverging: bool = False
    summed: bool = False
    ratio: tuple[str, str] | None = None


MAP_COLUMNS: tuple[MapColumn, ...] = (
    MapColumn("allocation", "col.allocation", "bn", "blues", summed=True),
    MapColumn(
        "change_pct",
        "map.change_pct",
        "signed_pct",
        "redblue",
        diverging=True,
        ratio=("change", "baseline"),
    ),
    MapColumn("change", "col.change", "signed_bn", "redblue", diverging=True, summed=True),
    MapColumn("per_capita", "col.per_capita", "num2", "greens", ratio=("resources", "population")),
    MapColumn("share_of_need", "col.share_of_need", "pct", "purples", ratio=("resources", "need")),
)
COLUMNS = {c.key: c for c in MAP_COLUMNS}
# what the hover shows for every unit, whichever column colours the map
TOOLTIP = ("allocation", "change", "change_pct", "per_capita", "share_of_need")


# ----------------------------------------------------------------------------- boundaries


@functools.cache
def _read(name: str) -> dict[str, Any]:
    path = resources.files("fiscal") / "datasets" / "boundaries" / name
    return json.loads(path.read_text(encoding="utf-8"))


def boundaries() -> tuple[dict[str, Any], dict[str, Any]]:
    """The 34 units and the 63 old provinces as GeoJSON FeatureCollections (read once).

    Features carry ``id`` = two-digit code; units have ``predecessors``, old provinces
    ``new_code``. Exterior rings are clockwise, as Vega needs (see the boundaries' README).
    """
    return _read("provinces_34.geojson"), _read("old_provinces_63.geojson")


def attribution(t: Tr) -> str:
    """The CC BY-SA 4.0 attribution line to show under every map, in the language."""
    return t("map.attribution")


@functools.cache
def _islands() -> tuple[tuple[str, float, float, float], ...]:
    """(unit code, west, south, north) of the two archipelagos: the parts of Đà Nẵng (48) and
    Khánh Hòa (56) east of 110° E, as the source draws them (computed, not typed)."""
    units, _ = boundaries()
    out = []
    for feature in units["features"]:
        if feature["id"] not in ("48", "56"):
            continue
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        points = np.array([p for poly in polygons for p in poly[0]])
        east = points[points[:, 0] > 110.0]
        out.append(
            (
                feature["id"],
                float(east[:, 0].min()),
                float(east[:, 1].min()),
                float(east[:, 1].max()),
            )
        )
    return tuple(out)


# ----------------------------------------------------------------------------- data


@dataclass
class MapData:
    """Per-province figures of one year, ready to draw.

    ``frame`` has one row per drawn province (``code``, ``name`` and the figures); ``level``
    is the result's level; ``communes`` counts the communes summed per province (empty at
    province level); ``missing`` lists result units with no boundary (an uploaded table with
    codes of its own), which the map cannot show.
    """

    frame: pd.DataFrame
    year: int
    level: str
    communes: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def clickable(self) -> bool:
        """A click can open Why-this-number only where a drawn shape is one unit of the result."""
        return self.level == "province"


_SUMS = ("population", "baseline", "need", "resources", "allocation", "change")


def map_data(result: Any, year: int) -> MapData:
    """The figures of ``year`` per province: the result's rows at province level, its communes
    summed per province (ratios as ratios of sums) at commune level."""
    table = result.table[result.table["year"] == year]
    codes = {f["id"] for f in boundaries()[0]["features"]}
    level = str(result.scenario.scenario.level)
    if level == "commune":
        frame, communes = _by_province(table)
    else:
        keep = [
            "code",
            "name",
            *(c for c in _SUMS if c in table),
            *(c.key for c in MAP_COLUMNS if c.key in table and c.key not in _SUMS),
        ]
        frame = table[keep].copy()
        frame["code"] = frame["code"].astype(str)
        communes = {}
    missing = sorted(set(frame["code"]) - codes)
    frame = frame[frame["code"].isin(codes)].reset_index(drop=True)
    return MapData(frame, year, level, communes, missing)


def _by_province(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    units, _ = boundaries()
    names = {f["id"]: f["properties"]["name"] for f in units["features"]}
    parent = table["parent"].astype(str).str.zfill(2)
    sums = table.groupby(parent)[[c for c in _SUMS if c in table]].sum()
    frame = sums.reset_index(names="code")
    frame.insert(1, "name", frame["code"].map(names).fillna(frame["code"]))
    for column in MAP_COLUMNS:
        if column.ratio and column.key not in frame:
            num, den = column.ratio
            with np.errstate(divide="ignore", invalid="ignore"):
                frame[column.key] = np.where(frame[den] > 0, frame[num] / frame[den], np.nan)
    counts = parent.value_counts()
    return frame, {str(k): int(v) for k, v in counts.items()}


def available_columns(data: MapData) -> list[str]:
    """The keys of :data:`MAP_COLUMNS` this map can be coloured by (present in its figures)."""
    return [c.key for c in MAP_COLUMNS if c.key in data.frame.columns]


# ----------------------------------------------------------------------------- chart


def _text(kind: str, value: Any, t: Tr) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if kind == "bn":
        return t.bn(value)
    if kind == "signed_bn":
        return t.num(value / BN, 1, sign=True) + " " + t("unit.bn")
    if kind == "pct":
        return t.pct(value, 1)
    if kind == "signed_pct":
        return t.pct(value, 2, sign=True)
    return t.num(value, 2)


def _shown(column: MapColumn, value: float) -> float:
    """The value on the colour scale: money in bn VND, shares as fractions (axis as %)."""
    return value / BN if column.kind in ("bn", "signed_bn") else value


def _features(data: MapData, column: MapColumn, t: Tr) -> list[dict[str, Any]]:
    """The 34 unit features with their figures (formatted in the language) as properties."""
    rows = {str(r["code"]): r for r in data.frame.to_dict("records")}
    out = []
    for feature in boundaries()[0]["features"]:
        code = feature["id"]
        row = rows.get(code)
        props: dict[str, Any] = {
            "code": code,
            "name": feature["properties"]["name"],
            "value": None,
            "drawn": row is not None,
        }
        for key in TOOLTIP:
            spec = COLUMNS[key]
            value = None if row is None else row.get(key)
            props[key] = _text(spec.kind, value, t) if row is not None else "–"
        if row is not None:
            value = row.get(column.key)
            if value is not None and np.isfinite(float(value)):
                props["value"] = _shown(column, float(value))
        if data.communes:
            props["communes"] = t.num(data.communes.get(code, 0))
        out.append(
            {"type": "Feature", "id": code, "geometry": feature["geometry"], "properties": props}
        )
    return out


def _legend_format(column: MapColumn) -> str:
    return {"pct": ".0%", "signed_pct": "+.0%", "bn": ",.0f", "signed_bn": "+,.0f"}.get(
        column.kind, ",.1f"
    )


def _scale(column: MapColumn, values: list[float]) -> alt.Scale:
    if column.diverging and values:
        bound = max(abs(min(values)), abs(max(values))) or 1.0
        return alt.Scale(scheme=column.scheme, domainMid=0, domain=[-bound, bound])
    return alt.Scale(scheme=column.scheme, zero=False)


def _layers(data: MapData, column_key: str, t: Tr, *, interactive: bool) -> list[Any]:
    """The layers over named datasets ``units`` and ``old`` (filled in by :func:`_spec`):
    Altair validates the small spec only, not the 26,000 coordinates of the boundaries."""
    column = COLUMNS[column_key]
    label = t(column.label)
    tooltip = [alt.Tooltip("properties.name:N", title=t("col.name"))]
    tooltip += [alt.Tooltip(f"properties.{key}:N", title=t(COLUMNS[key].label)) for key in TOOLTIP]
    if data.communes:
        tooltip.append(alt.Tooltip("properties.communes:N", title=t("map.communes")))
    fill = alt.condition(
        "isValid(datum.properties.value) && isFinite(datum.properties.value)",
        alt.Color(
            "properties.value:Q",
            title=label,
            scale=_scale(column, _values(data, column)),
            legend=alt.Legend(
                format=_legend_format(column), orient="right", gradientLength=260, titleLimit=320
            ),
        ),
        alt.value(NO_DATA),
    )
    units = (
        alt.Chart(alt.Data(name="units"))
        .mark_geoshape(stroke="#37474f", strokeWidth=0.8, invalid=None)
        .encode(fill=fill, tooltip=tooltip)
    )
    if interactive and data.clickable:
        pick = alt.selection_point(
            name=SELECTION, fields=["id"], on="click", clear=False, toggle=False
        )
        units = units.add_params(pick)
    # no fill at all (not Vega-Lite's transparent one), so that the overlay does not catch the
    # pointer: hover and click reach the units below it
    overlay = (
        alt.Chart(alt.Data(name="old"))
        .mark_geoshape(
            filled=False, stroke="#263238", strokeWidth=0.6, strokeDash=[3, 2], opacity=0.85
        )
        .encode(fill=alt.value(None))
    )
    return [units, overlay, _island_labels(t)]


def _values(data: MapData, column: MapColumn) -> list[float]:
    values = data.frame[column.key].to_numpy(dtype=float) if column.key in data.frame else []
    return [_shown(column, float(v)) for v in values if np.isfinite(v)]


def _island_labels(t: Tr) -> alt.Chart:
    rows = []
    for code, west, south, north in _islands():
        key = "map.hoang_sa" if code == "48" else "map.truong_sa"
        rows.append(
            {"lon": west, "lat": north + 0.35 if code == "48" else south - 0.45, "text": t(key)}
        )
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_text(fontSize=10, fontStyle="italic", color="#37474f", align="left")
        .encode(longitude="lon:Q", latitude="lat:Q", text="text:N")
    )


def _spec(chart: alt.TopLevelMixin, data: MapData, column: str, t: Tr) -> dict[str, Any]:
    spec = chart.to_dict()
    spec.setdefault("datasets", {}).update(
        units=_features(data, COLUMNS[column], t), old=boundaries()[1]["features"]
    )
    return spec


def map_chart(data: MapData, column: str, t: Tr, *, height: int = 640) -> dict[str, Any]:
    """The interactive choropleth as a Vega-Lite spec: hover shows the unit's figures, a click
    selects its code (selection ``unit``, field ``id``) where :attr:`MapData.clickable`."""
    chart = (
        alt.layer(*_layers(data, column, t, interactive=True))
        .project(type="mercator")
        .properties(height=height, width="container")
    )
    return _spec(_localise(chart, t), data, column, t)


def static_map(
    data: MapData, column: str, t: Tr, *, title: str, width: int = 620, height: int = 820
) -> dict[str, Any]:
    """The map as a picture (for the PNG and the workbook) as a Vega-Lite spec: a title, no
    interaction, the attribution line at the bottom."""
    chart = (
        alt.layer(*_layers(data, column, t, interactive=False))
        .project(type="mercator")
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(
                title,
                subtitle=[attribution(t)],
                subtitleFontSize=9,
                anchor="start",
                orient="bottom",
                subtitleColor="#555555",
            ),
        )
    )
    return _spec(_localise(chart, t, font="DejaVu Sans"), data, column, t)


def _localise(chart: alt.TopLevelMixin, t: Tr, **config: Any) -> alt.TopLevelMixin:
    """Numbers in the language (one ``configure`` call: a second one would replace the first)."""
    thousands, decimal = (".", ",") if t.lang == "vi" else (",", ".")
    locale = {
        "number": {
            "decimal": decimal,
            "thousands": thousands,
            "grouping": [3],
            "currency": ["", ""],
        }
    }
    return chart.configure(locale=locale, **config).configure_view(stroke=None)


def map_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """A Vega-Lite spec as PNG bytes, rendered offline by vl-convert (no browser, no network)."""
    import vl_convert

    # vl-convert formats numbers with its own locale (it ignores config.locale), and may fetch
    # nothing: the boundaries are inline
    locale = spec.get("config", {}).get("locale", {}).get("number")
    return vl_convert.vegalite_to_png(spec, scale=scale, format_locale=locale, allowed_base_urls=[])
