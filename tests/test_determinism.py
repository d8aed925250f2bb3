"""Determinism (issue #7, point 3): one input, one answer, byte for byte.

Every shipped scenario is solved twice with HiGHS and once with PuLP; the CSV and JSON exports
must be byte-identical, except for the provenance's creation time and backend name. The
scenarios are discovered from fiscal/scenarios/, so a new shipped scenario is covered
automatically (the national commune run of every province is left out: it takes ~10 s per solve
and its 34 sub-problems are the same kind as the commune scenarios that are included).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from reliability_helpers import make_scenario, small_units

from fiscal.errors import InfeasibleError
from fiscal.export import csv_bytes, json_bytes
from fiscal.pipeline import run
from fiscal.scenario import list_scenarios, load_scenario

_PROVENANCE = re.compile(rb'\n "provenance": \{\n.*?\n \}', re.S)


def _masked(data: bytes) -> bytes:
    """JSON bytes with the provenance's 'created' and 'backend' values blanked (only there)."""
    match = _PROVENANCE.search(data)
    assert match is not None, "the JSON export has no provenance block"
    block = re.sub(rb'("(?:created|backend)": )"[^"]*"', rb'\1""', match.group(0))
    return data[: match.start()] + block + data[match.end() :]


def _shipped() -> list[Path]:
    out = []
    for path in list_scenarios():
        meta = load_scenario(path).scenario
        if meta.level == "commune" and meta.province == "all":
            continue
        out.append(path)
    return out


SHIPPED = _shipped()


def test_masking_touches_only_the_provenance() -> None:
    result = run(make_scenario(), units=small_units())
    data = json_bytes(result)
    masked = _masked(data)
    assert json.loads(masked)["provenance"]["created"] == ""
    assert json.loads(masked)["scenario"]["solver"]["backend"] == "highs"
    assert len(data) - len(masked) == len(result.provenance["created"]) + len("highs")


def test_shipped_scenarios_are_found() -> None:
    assert len(SHIPPED) >= 1


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_same_bytes_across_runs_and_backends(path: Path) -> None:
    try:
        first = run(path)
    except InfeasibleError as exc:
        again = pytest.raises(InfeasibleError, run, path)
        other = pytest.raises(InfeasibleError, run, path, backend="pulp")
        assert str(again.value) == str(exc) == str(other.value)
        return
    second = run(path)
    pulp = run(path, backend="pulp")
    assert pulp.backend == "formula" or pulp.backend.startswith("pulp")
    csv1 = csv_bytes(first)
    assert csv_bytes(second) == csv1, "two HiGHS runs give different CSV"
    assert csv_bytes(pulp) == csv1, "HiGHS and PuLP give different CSV"
    json1 = _masked(json_bytes(first))
    assert _masked(json_bytes(second)) == json1, "two HiGHS runs give different JSON"
    assert _masked(json_bytes(pulp)) == json1, "HiGHS and PuLP give different JSON"


@pytest.mark.parametrize(
    "kind", ["need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend"]
)
def test_generated_scenario_same_bytes_across_backends(kind: str) -> None:
    """The same guarantee on a small generated table with a floor, a cap and two sectors."""
    units = small_units(12, seed=7)
    scen = make_scenario(
        objective={"kind": kind, "weight": 0.3},
        sectors=[{"name": "education", "need_share": 0.4}, {"name": "other", "need_share": 0.6}],
        constraints=[
            {"name": "floor", "kind": "floor", "ratio": 0.8},
            {"name": "cap", "kind": "cap", "ratio": 1.6},
            {"name": "edu", "kind": "earmark", "sector": "education", "min_share": 0.3},
        ],
        envelope={"total": float(round(units.frame["baseline"].sum()))},
    )
    a, b = run(scen, units=units), run(scen, units=units, backend="pulp")
    assert csv_bytes(a) == csv_bytes(b)
    assert _masked(json_bytes(a)) == _masked(json_bytes(b))
