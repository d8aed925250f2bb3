"""Determinism (issue #7, point 3): one input, one answer, byte for byte.

Every shipped scenario is solved twice with HiGHS and once with PuLP; the CSV and JSON exports
must be byte-identical, except for the provenance's creation time, backend name and method
(the direct solvers on HiGHS, the LP on PuLP; and so the names in ``computed_by``, the CBC
version) and — across backends — the objective value,
which is each backend's own optimum (issue 16, point 4: the file gives what the run computed)
and must agree to 10⁻⁷ relative. The
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
    """JSON bytes with the provenance's 'created', 'backend' and 'method' values and the names of
    its 'computed_by' blanked, and the CBC version (a PuLP run's) left out — only there."""
    match = _PROVENANCE.search(data)
    assert match is not None, "the JSON export has no provenance block"
    block = re.sub(rb'("(?:created|backend|method)": )"[^"]*"', rb'\1""', match.group(0))
    block = re.sub(
        rb'(\n   "(?:allocation|objective|metrics|constraints)": )"[^"]*"', rb'\1""', block
    )
    block = re.sub(rb',\n   "cbc": "[^"]*"', b"", block)
    return data[: match.start()] + block + data[match.end() :]


_VALUES = (
    re.compile(rb'(\n "objective": \{\n  "kind": "[^"]*",\n  "value": )([^,\n]+)'),
    re.compile(rb'(\n  "objective": )([-0-9.e+]+)'),  # in "metrics"
)


def _without_objective(data: bytes) -> tuple[bytes, list[float]]:
    """JSON bytes with the objective value (and the metrics' copy of it) blanked, and them."""
    values = []
    for pattern in _VALUES:
        found = pattern.search(data)
        if found is None:
            continue
        text = found.group(2)
        values.append(float("nan") if text == b"null" else float(text))
        data = data[: found.start(2)] + b"0" + data[found.end(2) :]
    return data, values


def _same_but_objective(a: bytes, b: bytes) -> bool:
    """Equal bytes but for the objective values, which agree to 10⁻⁷ relative."""
    (ma, va), (mb, vb) = _without_objective(a), _without_objective(b)
    close = len(va) == len(vb) and all(
        (x != x and y != y) or abs(x - y) <= 1e-7 * max(1.0, abs(x))
        for x, y in zip(va, vb, strict=True)
    )
    return ma == mb and close


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
    prov = result.provenance
    names = sum(len(v) for v in prov["computed_by"].values())
    own = len(prov["created"]) + len(prov["backend"]) + len(prov["method"])
    assert len(data) - len(masked) == own + names


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
    assert _same_but_objective(_masked(json_bytes(pulp)), json1), (
        "HiGHS and PuLP give different JSON"
    )


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
    assert _same_but_objective(_masked(json_bytes(a)), _masked(json_bytes(b)))
