"""The map (fiscal_app.maps): the bundled boundaries, their join to results, the chart spec, the
offline PNG, and the map sheet of the workbook."""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pytest

import fiscal
from fiscal.data import bundled_units
from fiscal_app import maps
from fiscal_app.i18n import Tr


@pytest.fixture(scope="module")
def baseline():
    return fiscal.run("national-2026-baseline")


def _spec(chart: dict) -> dict:
    return json.loads(json.dumps(chart))  # what reaches the browser


def _without_figures(spec: dict) -> dict:
    return {**spec, "datasets": {k: v for k, v in spec["datasets"].items() if k != "figures"}}


def _layer_data(spec: dict, k: int) -> list[dict]:
    data = spec["layer"][k]["data"]
    return spec["datasets"][data["name"]] if "name" in data else data["values"]


def test_the_boundaries_are_the_34_units_and_63_predecessors_of_the_dataset():
    units, old = maps.boundaries()
    frame = bundled_units("province").frame
    assert sorted(f["id"] for f in units["features"]) == sorted(frame["code"].astype(str))
    assert len(old["features"]) == 63 and len({f["id"] for f in old["features"]}) == 63
    # every predecessor joins its unit, and every unit's predecessors are drawn
    new_of = {f["id"]: f["properties"]["new_code"] for f in old["features"]}
    preds = dict(zip(frame["code"].astype(str), frame["predecessors"].astype(str), strict=True))
    for feature in units["features"]:
        drawn = sorted(k for k, v in new_of.items() if v == feature["id"])
        assert drawn == sorted(feature["properties"]["predecessors"]), feature["id"]
        assert len(drawn) == len(preds[feature["id"]].split(";")), feature["id"]
    assert units["license"] == old["license"] == "CC-BY-SA-4.0"


def test_rings_are_clockwise_as_vega_needs():
    """Exterior rings clockwise (signed area < 0 in lon/lat): RFC 7946 order fills the frame."""

    def area(ring):
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))

    units, _ = maps.boundaries()
    for feature in units["features"]:
        g = feature["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        assert all(area(p[0]) < 0 for p in polygons), feature["id"]


def _decoded(topo: dict) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """TopoJSON decoded by hand (delta-decoded, transformed arcs): {object/id: polygons}."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    return {
        f"{name}/{g['id']}": [[ring(r) for r in polygon] for polygon in g["arcs"]]
        for name, obj in topo["objects"].items()
        for g in obj["geometries"]
    }


def test_the_topology_the_browser_gets_is_the_geojson_to_two_metres():
    """Every ring of both files, vertex for vertex, within a quantisation step (~1.6 m), with
    its winding kept; the units' own topology (what is sent) decodes the same."""
    decoded = _decoded(maps.topology())
    sent = _decoded(maps.unit_topology())
    units, old = maps.boundaries()
    step = max(maps.topology()["transform"]["scale"])
    for name, collection in (("units", units), ("old", old)):
        for feature in collection["features"]:
            g = feature["geometry"]
            polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
            got = decoded[f"{name}/{feature['id']}"]
            if name == "units":
                assert sent[f"units/{feature['id']}"] == got
            assert [len(p) for p in got] == [len(p) for p in polygons], feature["id"]
            for polygon, rings in zip(polygons, got, strict=True):
                for a, b in zip(polygon, rings, strict=True):
                    assert len(a) == len(b), feature["id"]
                    assert _ring_gap(a, b) <= step, feature["id"]
                    assert (_area(a) < 0) == (_area(b) < 0)  # clockwise stays clockwise


def _ring_gap(a, b) -> float:
    """The largest distance between matching vertices of two closed rings that may start at
    different vertices (the topology starts a ring where its first arc starts)."""
    a, b = a[:-1], b[:-1]
    k = min(range(len(b)), key=lambda j: abs(b[j][0] - a[0][0]) + abs(b[j][1] - a[0][1]))
    b = b[k:] + b[:k]
    return max(max(abs(x - u), abs(y - v)) for (x, y), (u, v) in zip(a, b, strict=True))


def _area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def _points(topo: dict, i: int) -> list[list[int]]:
    return np.cumsum(np.asarray(topo["arcs"][i]), axis=0).tolist()


def test_the_dashed_overlay_is_the_borders_between_predecessors_of_one_unit():
    topo = maps.topology()
    old = topo["objects"]["old"]["geometries"]
    new_code = {f["id"]: f["properties"]["new_code"] for f in maps.boundaries()[1]["features"]}
    unit_arcs = {
        i if i >= 0 else ~i
        for g in topo["objects"]["units"]["geometries"]
        for polygon in g["arcs"]
        for ring in polygon
        for i in ring
    }
    users: dict[int, set[str]] = {}
    for g in old:
        for polygon in g["arcs"]:
            for ring in polygon:
                for i in ring:
                    users.setdefault(i if i >= 0 else ~i, set()).add(new_code[g["id"]])
    on_units = {tuple(p) for i in unit_arcs for p in _points(topo, i)}
    inner = [
        i
        for i in sorted(set(users) - unit_arcs)
        if not all(tuple(p) in on_units for p in _points(topo, i))
    ]
    assert all(len(users[i]) == 1 for i in inner)  # each lies inside one merged unit
    merged = {code for i in inner for code in users[i]}
    assert merged == {c for c in new_code.values() if list(new_code.values()).count(c) > 1}
    lines = maps.predecessor_borders()["geometry"]["coordinates"]
    assert len(lines) == len(inner)


def test_hoang_sa_and_truong_sa_are_drawn_as_the_source_draws_them():
    islands = {code: (west, south, north) for code, west, south, north in maps._islands()}
    assert set(islands) == {"48", "56"}  # Đà Nẵng and Khánh Hòa
    assert 111 < islands["48"][0] < 112.5 and 15.5 < islands["48"][1] < 17.5
    assert islands["56"][1] < 8 and islands["56"][2] > 11


def test_every_unit_of_a_national_result_joins_its_shape(baseline):
    data = maps.map_data(baseline, 2026)
    assert len(data.frame) == 34 and data.missing == [] and data.clickable
    row = data.frame.set_index("code").loc["08"]
    table = baseline.table.set_index("code").loc["08"]
    assert row["allocation"] == table["allocation"] and row["change_pct"] == table["change_pct"]
    assert maps.available_columns(data) == [
        "allocation",
        "change_pct",
        "change",
        "per_capita",
        "share_of_need",
    ]


def test_the_chart_carries_each_units_figures_in_the_language(baseline):
    data = maps.map_data(baseline, 2026)
    spec = _spec(maps.map_chart(data, "allocation", Tr("vi")))
    assert spec["layer"][0]["data"]["format"] == {"type": "topojson", "feature": "units"}
    assert len(_layer_data(spec, 0)["objects"]["units"]["geometries"]) == 34
    features = {f["code"]: f for f in spec["datasets"]["figures"]}  # looked up by code
    assert len(features) == 34
    assert spec["layer"][0]["transform"][0]["lookup"] == "id"
    tq = features["08"]
    allocation = float(baseline.table.set_index("code").loc["08", "allocation"])
    assert tq["value"] == pytest.approx(allocation / 1000)
    assert tq["allocation"] == Tr("vi").bn(allocation) == "13.539 tỷ đồng"
    assert tq["change_pct"] == "+3,00%"
    # Hà Nội got no transfer last year: no change in per cent, drawn grey, still hoverable
    assert features["01"]["value"] == 0.0 and features["01"]["change_pct"] == "–"
    change = _spec(maps.map_chart(data, "change_pct", Tr("en")))
    assert {f["code"]: f["value"] for f in change["datasets"]["figures"]}["01"] is None
    # the spec without its figures depends on the language and column only (a change's
    # symmetric domain aside): a rerun with other figures sends the same spec, and Streamlit then
    # updates only the small figures table in the browser
    other = maps.map_data(fiscal.run("national-2026-new-norms"), 2026)
    again = _spec(maps.map_chart(other, "allocation", Tr("vi")))
    assert _without_figures(spec) == _without_figures(again)
    assert spec["datasets"]["figures"] != again["datasets"]["figures"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    tips = [t["title"] for t in spec["layer"][0]["encoding"]["tooltip"]]
    assert tips[0] == "Đơn vị" and "Thay đổi so với năm gốc" in tips


def test_the_chart_has_the_old_borders_a_click_selection_and_no_network(baseline):
    data = maps.map_data(baseline, 2026)
    spec = _spec(maps.map_chart(data, "change_pct", Tr("en")))
    units, overlay, labels = spec["layer"]
    (param,) = spec["params"]  # Altair lifts the selection to the top, naming its layer
    assert param["name"] == maps.SELECTION and param["views"] == [units["name"]]
    assert param["select"] == {
        "type": "point",
        "fields": ["id"],
        "on": "click",
        "clear": False,
        "toggle": False,
    }
    (borders,) = _layer_data(spec, 1)
    assert borders["geometry"]["type"] == "MultiLineString" and overlay["mark"]["filled"] is False
    assert overlay["encoding"]["fill"] == {"value": None}  # it must not catch the pointer
    assert {r["text"] for r in _layer_data(spec, 2)} == {
        "Hoàng Sa archipelago (Đà Nẵng)",
        "Trường Sa archipelago (Khánh Hòa)",
    }
    spec.pop("$schema")
    assert "http" not in json.dumps(spec)  # everything inline: no tiles, no topojson URL
    scale = units["encoding"]["fill"]["condition"]["scale"]
    # gains blue, losses red, no change white: symmetric about 0 (the baseline's largest change
    # is Khánh Hòa's +3 % and its 319 bn top-up, +25.3 %)
    assert scale["scheme"] == "redblue" and scale["domainMid"] == 0
    top = baseline.table.set_index("code").loc["56", "change_pct"]
    assert top == pytest.approx(0.2529, abs=1e-4)
    assert scale["domain"] == pytest.approx([-top, top], abs=1e-6)


def test_a_commune_result_is_summed_per_province():
    result = fiscal.run("commune-08-tuyen-quang")
    data = maps.map_data(result, 2026)
    assert not data.clickable and data.level == "commune"
    assert list(data.frame["code"]) == ["08"] and data.communes == {"08": 124}
    table = result.table
    row = data.frame.iloc[0]
    assert row["allocation"] == table["allocation"].sum()
    assert row["change_pct"] == pytest.approx(table["change"].sum() / table["baseline"].sum())
    assert row["per_capita"] == pytest.approx(table["resources"].sum() / table["population"].sum())
    spec = _spec(maps.map_chart(data, "allocation", Tr("vi")))
    assert "params" not in spec  # no click: a shape is a province, not a unit
    drawn = [f for f in spec["datasets"]["figures"] if f["value"] is not None]
    assert [f["code"] for f in drawn] == ["08"]
    assert drawn[0]["communes"] == "124"
    assert "communes" in spec["layer"][0]["transform"][0]["from"]["fields"]


def test_units_without_a_boundary_are_reported_not_dropped_silently(baseline):
    from types import SimpleNamespace

    table = baseline.table.copy()
    table.loc[table["code"] == "08", "code"] = "99"
    data = maps.map_data(SimpleNamespace(table=table, scenario=baseline.scenario), 2026)
    assert data.missing == ["99"] and len(data.frame) == 33


def test_the_png_renders_offline_with_the_attribution(baseline):
    data = maps.map_data(baseline, 2026)
    t = Tr("vi")
    chart = maps.static_map(data, "allocation", t, title="Phân bổ 2026")
    spec = _spec(chart)
    assert spec["title"]["subtitle"] == [maps.attribution(t)]
    assert "CC BY-SA 4.0" in maps.attribution(t) and "CC BY-SA 4.0" in maps.attribution(Tr("en"))
    png = maps.map_png(chart, scale=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= 600 and height >= 800
    assert math.isfinite(len(io.BytesIO(png).getvalue()))


def test_the_apps_workbook_has_a_map_sheet_after_the_allocation(baseline):
    import openpyxl

    from fiscal_app import engine

    # in Vietnamese (the app's workbook is in the page's language): Phân bổ, then Bản đồ
    book = openpyxl.load_workbook(io.BytesIO(engine.result_xlsx(baseline, "vi")))
    assert book.sheetnames[:2] == ["Phân bổ", "Bản đồ"]
    sheet = book["Bản đồ"]
    assert len(sheet._images) == 2
    assert (
        sheet["A2"].value.startswith("SỐ LIỆU MINH HỌA") and "Bản đồ năm 2026" in sheet["A2"].value
    )
    assert "Phân bổ (tỷ đồng), năm 2026" in sheet["A4"].value
    # the CLI's workbook is unchanged: no map unless one is given
    from fiscal.workbook import result_workbook

    assert "Map" not in openpyxl.load_workbook(io.BytesIO(result_workbook(baseline))).sheetnames
    english = openpyxl.load_workbook(io.BytesIO(engine.result_xlsx(baseline, "en")))
    assert english.sheetnames[:2] == ["Allocation", "Map"]


def test_a_map_that_is_not_a_png_is_refused(baseline):
    from fiscal.errors import ExportError
    from fiscal.workbook import result_workbook

    with pytest.raises(ExportError, match="map 1 .* is not a PNG"):
        result_workbook(baseline, maps=[("x", b"GIF89a...")])


def test_every_province_of_the_national_commune_run_joins_with_all_its_communes():
    result = fiscal.run("communes-2026-2030-all")
    data = maps.map_data(result, 2030)
    assert len(data.frame) == 34 and data.missing == []
    assert sum(data.communes.values()) == 3321
    year = result.table[result.table["year"] == 2030]
    assert data.frame["allocation"].sum() == year["allocation"].sum()


def test_a_map_of_other_figures_is_the_spec_altair_builds_for_them_built_once():
    """A diverging column's domain comes from the figures: the spec is built once with a
    placeholder and given each result's domain, and equals the one Altair builds with it."""
    import altair as alt

    result = fiscal.run("communes-2026-2030-all")
    t = Tr("vi")
    maps._chart_json.cache_clear()
    domains = set()
    for year in result.years[:3]:
        data = maps.map_data(result, year)
        for column in ("change", "change_pct"):
            spec = _spec(maps.map_chart(data, column, t, height=560))
            domain = maps._domain(data, maps.COLUMNS[column])
            layers = maps._layers(column, t, clickable=False, communes=True, domain=domain)
            chart = alt.layer(*layers).project(type="mercator")
            chart = chart.properties(width="container", height=560)
            expected = _spec(maps._localise(chart, t).to_dict())
            assert {k: v for k, v in spec.items() if k != "datasets"} == expected
            domains.add(domain)
    assert len(domains) == 6  # each year and column its own domain
    assert maps._chart_json.cache_info().misses == 2  # one spec per column, not per domain


def test_the_picture_writes_numbers_the_vietnamese_way(baseline):
    import re

    import vl_convert

    data = maps.map_data(baseline, 2026)
    spec = maps.static_map(data, "per_capita", Tr("vi"), title="x")
    locale = spec["config"]["locale"]["number"]  # kept beside the font (one configure call)
    assert (locale["decimal"], locale["thousands"]) == (",", ".")
    assert spec["config"]["font"] == "DejaVu Sans"
    svg = vl_convert.vegalite_to_svg(spec, format_locale=locale, allowed_base_urls=[])
    labels = re.findall(r">(\d+[.,]\d)<", svg)
    assert labels and all("," in label for label in labels), labels  # '12,0', not '12.0'


def test_every_map_label_exists_in_both_languages():
    from fiscal_app.i18n import EN, VI

    keys = [c.label for c in maps.MAP_COLUMNS] + [
        "map.attribution",
        "map.hoang_sa",
        "map.truong_sa",
        "map.communes",
        "unit.bn",
    ]
    assert not [k for k in keys if k not in EN or k not in VI]
    assert Tr("vi")("map.attribution") != Tr("en")("map.attribution")
