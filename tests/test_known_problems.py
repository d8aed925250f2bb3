"""Open problems found by the property tests, one reproduction each (docs/reliability.md, K1-K4).

Each case in tests/fixtures/known/ states the same property the generated cases must meet:
both backends solve it, with the same rounded table. They are marked ``xfail(strict=True)``:
the suite stays green while the problem is open and turns red the moment it is fixed, so that
whoever fixes it moves the case to tests/fixtures/regressions/ (where test_numerics.py runs it
as an ordinary regression test) and deletes its mark here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscal.export import csv_bytes
from fiscal.pipeline import run

KNOWN = Path(__file__).resolve().parent / "fixtures" / "known"

OPEN = {
    "cbc-precision-at-most": "K1: CBC's solution file loses a rounding unit when need ≫ envelope",
    "cbc-tolerance-infeasible": "K1: CBC with primalTolerance 1e-9 calls a feasible LP infeasible",
    "at-most-rounding-transition": "K1/K4: an at_most total floored by solver noise, then no rounding fits",
    "zero-gap-split-not-unique": "K2: the tie-break does not make the split among zero-gap units unique",
}


def test_every_known_case_is_listed() -> None:
    assert {p.name for p in KNOWN.iterdir() if p.is_dir()} == set(OPEN)


@pytest.mark.parametrize("name", sorted(OPEN))
def test_known_problem_still_open(name: str, request: pytest.FixtureRequest) -> None:
    request.applymarker(pytest.mark.xfail(strict=True, reason=OPEN[name]))
    path = KNOWN / name / "scenario.toml"
    a = run(path)
    b = run(path, backend="pulp")
    assert csv_bytes(a) == csv_bytes(b)
