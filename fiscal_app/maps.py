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

from fiscal.prose import BN
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


def _read(name: str) -> dict[str, Any]:
    """A boundary file, read anew: the parsed files are ~90,000 small lists, which every full
    garbage collection of the app's process would walk (0.1 s each) if they were kept; what the
    app needs of them is kept instead (:func:`unit_topology`, :func:`predecessor_borders`,
    :func:`unit_names`, the islands)."""
    path = resources.files("fiscal") / "datasets" / "boundaries" / name
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def unit_names() -> dict[str, str]:
    """Code → name of the 34 units that have a boundary (read once)."""
    units, _ = boundaries()
    return {str(f["id"]): str(f["properties"]["name"]) for f in units["features"]}


def boundaries() -> tuple[dict[str, Any], dict[str, Any]]:
    """The 34 units and the 63 old provinces as GeoJSON FeatureCollections (read on each call).

    Features carry ``id`` = two-digit code; units have ``predecessors``, old provinces
    ``new_code``. Exterior rings are clockwise, as Vega needs (see the boundaries' README).
    """
    return _read("provinces_34.geojson"), _read("old_provinces_63.geojson")


def topology() -> dict[str, Any]:
    """Both layers as one TopoJSON topology (objects ``units`` and ``old``; shared borders stored
    once, quantised to about 1.6 m), built from the GeoJSON files by ``build_topology.py``;
    ``tests/test_maps.py`` checks every vertex against them."""
    return _read("boundaries.topojson")


def _arcs_of(name: str, topo: dict[str, Any]) -> set[int]:
    return {
        i if i >= 0 else ~i
        for g in topo["objects"][name]["geometries"]
        for polygon in g["arcs"]
        for ring in polygon
        for i in ring
    }


@functools.cache
def unit_topology() -> dict[str, Any]:
    """The 34 units as a topology with only the arcs they use: what the map sends to the
    browser for them (about 0.3 MB instead of 0.5 MB of GeoJSON)."""
    topo = topology()
    used = sorted(_arcs_of("units", topo))
    index = {old: new for new, old in enumerate(used)}

    def remap(i: int) -> int:
        return index[i] if i >= 0 else ~index[~i]

    geometries = [
        {**g, "arcs": [[[remap(i) for i in ring] for ring in polygon] for polygon in g["arcs"]]}
        for g in topo["objects"]["units"]["geometries"]
    ]
    return {
        "type": "Topology",
        "transform": topo["transform"],
        "objects": {"units": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": [topo["arcs"][i] for i in used],
    }


@functools.cache
def predecessor_borders() -> dict[str, Any]:
    """The borders between predecessors inside a merged unit, as one GeoJSON feature: the arcs
    of the 63 old provinces that are not arcs of the 34 units (the others are drawn already;
    an old arc that only repeats points of the units' arcs is left out too)."""
    topo = topology()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def points(i: int) -> np.ndarray:
        return np.cumsum(np.asarray(topo["arcs"][i], dtype=np.int64), axis=0)

    units = _arcs_of("units", topo)
    on_units = {tuple(p) for i in units for p in points(i).tolist()}
    lines = []
    for i in sorted(_arcs_of("old", topo) - units):
        xy = points(i)
        if all(tuple(p) in on_units for p in xy.tolist()):
            continue
        lines.append([[round(x * sx + tx, 5), round(y * sy + ty, 5)] for x, y in xy.tolist()])
    return {
        "type": "Feature",
        "id": "predecessors",
        "properties": {},
        "geometry": {"type": "MultiLineString", "coordinates": lines},
    }


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
    codes = set(unit_names())
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
    names = unit_names()
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
        return t.bn(value, 1, sign=True)
    if kind == "pct":
        return t.pct(value, 1)
    if kind == "signed_pct":
        return t.pct(value, 2, sign=True)
    return t.num(value, 2)


def _shown(column: MapColumn, value: float) -> float:
    """The value on the colour scale: money in bn VND, shares as fractions (axis as %)."""
    return value / BN if column.kind in ("bn", "signed_bn") else value


def figures(data: MapData, column: str, t: Tr) -> list[dict[str, Any]]:
    """One row per drawn unit: ``code``, ``value`` (the colour; money in bn VND) and the hover's
    figures written in the language. The map looks them up by code, so that a rerun which only
    changes the figures sends the browser this small table and an unchanged spec."""
    spec = COLUMNS[column]
    out = []
    for row in data.frame.to_dict("records"):
        value = row.get(spec.key)
        shown = None
        if value is not None and np.isfinite(float(value)):
            shown = _shown(spec, float(value))
        item: dict[str, Any] = {"code": str(row["code"]), "value": shown}
        for key in TOOLTIP:
            item[key] = _text(COLUMNS[key].kind, row.get(key), t)
        if data.communes:
            item["communes"] = t.num(data.communes.get(str(row["code"]), 0))
        out.append(item)
    return out


def _legend_format(column: MapColumn) -> str:
    return {"pct": ".0%", "signed_pct": "+.0%", "bn": ",.0f", "signed_bn": "+,.0f"}.get(
        column.kind, ",.1f"
    )


def _domain(data: MapData, column: MapColumn) -> tuple[float, float] | None:
    """A diverging column's symmetric domain (gains blue, losses red, no change white); None
    for the others (their domain is the data's). Only this puts figures into the spec."""
    if not column.diverging or column.key not in data.frame:
        return None
    values = data.frame[column.key].to_numpy(dtype=float)
    bound = max((abs(_shown(column, float(v))) for v in values if np.isfinite(v)), default=0.0)
    return (-(bound or 1.0), bound or 1.0)


def _scale(column: MapColumn, domain: tuple[float, float] | None) -> alt.Scale:
    if domain is not None:
        return alt.Scale(scheme=column.scheme, domain=list(domain), domainMid=0)
    return alt.Scale(scheme=column.scheme, zero=False)


def _layers(
    column_key: str, t: Tr, *, clickable: bool, communes: bool, domain: tuple[float, float] | None
) -> list[Any]:
    """The layers over the named datasets ``units``, ``old`` and ``figures`` (filled in by
    :func:`_spec`): Altair validates the small spec only, not the boundaries' coordinates, and
    the spec depends on the language, the column and the kind of result only (a diverging
    column's domain aside), so a rerun with other figures sends an unchanged spec."""
    column = COLUMNS[column_key]
    tooltip = [alt.Tooltip("properties.name:N", title=t("col.name"))]
    tooltip += [alt.Tooltip(f"{key}:N", title=t(COLUMNS[key].label)) for key in TOOLTIP]
    looked_up = ["value", *TOOLTIP]
    if communes:
        tooltip.append(alt.Tooltip("communes:N", title=t("map.communes")))
        looked_up.append("communes")
    legend = alt.Legend(
        format=_legend_format(column), orient="right", gradientLength=260, titleLimit=320
    )
    fill = alt.condition(
        "isValid(datum.value) && isFinite(datum.value)",
        alt.Color("value:Q", title=t(column.label), scale=_scale(column, domain), legend=legend),
        alt.value(NO_DATA),
    )
    lookup = alt.LookupData(data=alt.Data(name="figures"), key="code", fields=looked_up)
    units = (
        alt.Chart(_layer("units"))
        .transform_lookup(lookup="id", from_=lookup, default="–")
        .mark_geoshape(stroke="#37474f", strokeWidth=0.8, invalid=None)
        .encode(fill=fill, tooltip=tooltip)
    )
    if clickable:
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


def _layer(name: str) -> alt.Data:
    """One object of the topology as features (Vega decodes the TopoJSON in the browser)."""
    return alt.Data(name=name, format=alt.DataFormat(type="topojson", feature=name))


def _island_labels(t: Tr) -> alt.Chart:
    rows = []
    for code, west, south, north in _islands():
        key = "map.hoang_sa" if code == "48" else "map.truong_sa"
        lat = north + 0.35 if code == "48" else south - 0.45
        rows.append({"lon": west, "lat": lat, "text": t(key)})
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_text(fontSize=10, fontStyle="italic", color="#37474f", align="left")
        .encode(longitude="lon:Q", latitude="lat:Q", text="text:N")
    )


#: the domain a diverging column's spec is built with, then replaced by the figures' own
#: (:func:`_spec`): Altair builds and validates a spec once per kind of map, not per result.
#: Not where a click selects a unit: Altair names the view after a hash of the spec, domain
#: included, so that spec is built with its own domain (as it always was)
_PLACEHOLDER = (-1.0, 1.0)


def _built_with(data: MapData, column: str) -> tuple[float, float] | None:
    """The domain :func:`_chart_json` builds the spec with (see :data:`_PLACEHOLDER`)."""
    domain = _domain(data, COLUMNS[column])
    return domain if domain is None or data.clickable else _PLACEHOLDER


@functools.lru_cache(maxsize=64)
def _chart_json(
    column: str,
    lang: str,
    clickable: bool,
    communes: bool,
    domain: tuple[float, float] | None,
    size: tuple[int | str, int],
    title: str | None,
) -> str:
    """The spec without its datasets, as JSON (cached: Altair's validation is the slow part,
    0.1–0.3 s a spec)."""
    t = Tr(lang)
    chart = alt.layer(
        *_layers(column, t, clickable=clickable, communes=communes, domain=domain)
    ).project(type="mercator")
    chart = chart.properties(width=size[0], height=size[1])
    if title is None:
        return json.dumps(_localise(chart, t).to_dict())
    chart = chart.properties(
        title=alt.TitleParams(
            title,
            subtitle=[attribution(t)],
            subtitleFontSize=9,
            anchor="start",
            orient="bottom",
            subtitleColor="#555555",
        )
    )
    return json.dumps(_localise(chart, t, font="DejaVu Sans").to_dict())


def _set_domain(spec: Any, domain: tuple[float, float]) -> int:
    """Put ``domain`` in the colour scale of a diverging column (the scale with ``domainMid``);
    returns how many scales it was put in."""
    if isinstance(spec, list):
        return sum(_set_domain(v, domain) for v in spec)
    if not isinstance(spec, dict):
        return 0
    if "domainMid" in spec and "domain" in spec:
        spec["domain"] = list(domain)
        return 1
    return sum(_set_domain(v, domain) for v in spec.values())


def _spec(text: str, data: MapData, column: str, t: Tr) -> dict[str, Any]:
    spec = json.loads(text)
    domain = _domain(data, COLUMNS[column])
    if domain is not None and _set_domain(spec.get("layer", []), domain) != 1:
        raise AssertionError(f"the map of {column} has no diverging colour scale to set")
    spec.setdefault("datasets", {}).update(
        units=unit_topology(), old=[predecessor_borders()], figures=figures(data, column, t)
    )
    return spec


def map_chart(data: MapData, column: str, t: Tr, *, height: int = 640) -> dict[str, Any]:
    """The interactive choropleth as a Vega-Lite spec: hover shows the unit's figures, a click
    selects its code (selection ``unit``, field ``id``) where :attr:`MapData.clickable`."""
    text = _chart_json(
        column,
        t.lang,
        data.clickable,
        bool(data.communes),
        _built_with(data, column),
        ("container", height),
        None,
    )
    return _spec(text, data, column, t)


def static_map(
    data: MapData, column: str, t: Tr, *, title: str, width: int = 620, height: int = 820
) -> dict[str, Any]:
    """The map as a picture (for the PNG and the workbook) as a Vega-Lite spec: a title, no
    interaction, the attribution line at the bottom."""
    text = _chart_json(
        column,
        t.lang,
        False,
        bool(data.communes),
        _built_with(data, column),
        (width, height),
        title,
    )
    return _spec(text, data, column, t)


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
