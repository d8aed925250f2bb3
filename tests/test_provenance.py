"""Honest provenance (issue 16, point 4): every figure in an export was computed by the backend
and versions the file names.

Before, a PuLP run's JSON gave HiGHS's objective value (its reference re-solve) while the
terminal printed PuLP's, and nothing in the file said that the ledger is HiGHS's or that the
direct solvers, not the named backend, found a table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fiscal
from fiscal.export import _num, json_bytes
from fiscal.prose.terminal import solve_summary

SCENARIOS = Path(fiscal.__file__).parent / "scenarios"


def test_pulp_export_gives_pulps_objective():
    res = fiscal.run(SCENARIOS / "national-2026-stability.toml", backend="pulp")
    data = json.loads(json_bytes(res))
    highs = res.reference.objective  # the same problem solved by HiGHS, for the ledger
    assert res.objective != highs  # the two backends' optima differ in the 9th digit here
    assert data["objective"]["value"] == _num(res.objective) != _num(highs)
    assert data["metrics"]["objective"] == _num(res.objective)
    # what the terminal prints is what the file says
    assert f"objective value: {res.objective:.6g}" in solve_summary(res)
    prov = data["provenance"]
    assert prov["backend"] == "pulp-cbc" and prov["method"] == "lp"
    assert prov["computed_by"] == {
        "allocation": "pulp-cbc",
        "objective": "pulp-cbc",
        "metrics": "pulp-cbc",
        "constraints": "highs",
    }
    assert prov["versions"]["cbc"].startswith(("bundled with pulp ", "installed separately"))
    assert prov["versions"]["highspy"] not in ("", "not installed")  # the ledger's solver


@pytest.mark.parametrize(
    ("name", "method", "allocation"),
    [
        ("national-2026-minimax.toml", "direct", "direct"),
        ("national-2026-stability.toml", "lp", "highs"),
        ("national-2026-baseline.toml", "formula", "formula"),
    ],
)
def test_provenance_names_the_method(name, method, allocation):
    res = fiscal.run(SCENARIOS / name)
    data = json.loads(json_bytes(res))
    assert data["provenance"]["method"] == method == res.method
    assert data["provenance"]["computed_by"]["allocation"] == allocation
    assert data["objective"]["value"] == _num(res.objective)
