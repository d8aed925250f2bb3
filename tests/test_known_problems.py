"""Open problems found by the property tests, one reproduction each (docs/reliability.md, "Bugs found").

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
REGRESSIONS = Path(__file__).resolve().parent / "fixtures" / "regressions"

# name → reason
# K1, K2, K6, K8, K9 and K10 were fixed: see tests/fixtures/regressions/ (with the case that
# reproduced K3 at 1e9 units: its difference was K9's polish failure; K3 stays open, see
# tests/test_numerics.py::test_units_of_a_billion_million_vnd)
OPEN: dict[str, str] = {
    "need-gap-at-1e9-units": "K3: at ~1e9 million VND per unit the solvers' optima agree to "
    "about 4e-8 of the largest amount, and the need_gap tables differ by up to 47 units",
    "stability-leximin-with-a-soft-rule": "K11: stability's leximin holds units in a different "
    "order on each backend (degenerate duals) and, with a soft rule priced in every round, ends "
    "at a different objective (116.18 on HiGHS, 116.36 on CBC)",
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


def test_infeasible_with_several_causes_says_so() -> None:
    """K5, fixed: with no single repair, the diagnosis says so and how far each rule must give way."""
    from reliability_helpers import make_scenario, small_units

    from fiscal.errors import InfeasibleError

    # floors at 2 × baseline and caps at 0.5 × baseline: neither rule alone, nor the envelope,
    # can be changed to make this feasible
    scen = make_scenario(
        constraints=[
            {"name": "floor", "kind": "floor", "ratio": 2.0},
            {"name": "cap", "kind": "cap", "ratio": 0.5},
        ]
    )
    with pytest.raises(InfeasibleError) as info:
        run(scen, units=small_units())
    assert info.value.repairs or "no single change is enough" in str(info.value)
    assert any("would have to give way" in c for c in info.value.conflicts)


def test_k7_fixed_pulp_rounds_a_sector_split_at_1e9() -> None:
    """K7, fixed: a unit's total leaves room for its sectors' whole-unit bounds, so CBC's nine
    digits no longer leave a split that cannot be rounded; the tables agree to K3's bound."""
    import numpy as np

    path = REGRESSIONS / "pulp-rounding-sectors-at-1e9" / "scenario.toml"
    a = run(path)
    b = run(path, backend="pulp")
    for r in (a, b):
        assert all(c.ok for c in r.checks)
    for year in a.years:
        assert (
            a.table.loc[a.table["year"] == year, "allocation"].sum()
            == b.table.loc[b.table["year"] == year, "allocation"].sum()
        )
    assert np.abs(a.cells - b.cells).max() <= 1e-7 * np.abs(a.cells).max()
