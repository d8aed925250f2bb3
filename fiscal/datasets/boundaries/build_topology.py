"""Build boundaries.topojson, the form the app draws, from the two GeoJSON files beside it.

    pip install "topojson==2.2" "shapely>=2"
    python fiscal/datasets/boundaries/build_topology.py

One TopoJSON topology holds both layers (objects ``units``: the 34 units, ``old``: the 63
provinces before the merger) with each shared border stored once as an arc, quantised to 10^5
steps of the bounding box (about 1.6 m; the GeoJSON has 4 decimals, about 11 m). Nothing is
simplified and ring order is kept (exteriors clockwise, as Vega needs). It is about a quarter
of the two GeoJSON files: the app sends it to the browser on every rerun of a page with a map.
``tests/test_maps.py`` decodes it and checks every vertex against the GeoJSON. The output is
deterministic; the data stay CC BY-SA 4.0 (see README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
QUANTIZATION = 1_000_000


def main() -> None:
    import topojson  # type: ignore  # a build-time tool, not a dependency

    units = json.loads((HERE / "provinces_34.geojson").read_text(encoding="utf-8"))
    old = json.loads((HERE / "old_provinces_63.geojson").read_text(encoding="utf-8"))
    topo = topojson.Topology(
        [units, old],
        object_name=["units", "old"],
        prequantize=QUANTIZATION,
        topology=True,
        presimplify=False,
        toposimplify=False,
    )
    raw = json.loads(topo.to_json())
    objects = {}
    for name, source in (("units", units), ("old", old)):
        geometries = []
        for feature, geometry in zip(
            source["features"], raw["objects"][name]["geometries"], strict=True
        ):
            properties = {"name": feature["properties"]["name"]}
            # topojson 2.2 nests every polygon's arcs as a MultiPolygon's
            geometries.append(
                {
                    "type": "MultiPolygon",
                    "arcs": geometry["arcs"],
                    "id": feature["id"],
                    "properties": properties,
                }
            )
        objects[name] = {"type": "GeometryCollection", "geometries": geometries}
    out = {
        "type": "Topology",
        "transform": raw["transform"],
        "objects": objects,
        "arcs": raw["arcs"],
        "attribution": units["attribution"],
        "license": units["license"],
    }
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    (HERE / "boundaries.topojson").write_text(text + "\n", encoding="utf-8")
    print(f"wrote boundaries.topojson ({len(text):,} characters, {len(out['arcs'])} arcs)")


if __name__ == "__main__":
    main()
