"""Numerics (issue #7, point 5): exact totals and exact checks from 1 to 10⁹ million VND.

The tolerance policy (docs/reliability.md): every published amount is a whole number of
rounding units, so totals, floors, caps and shares are compared exactly (no tolerance) in
whole units; only the solver's unrounded amounts carry a tolerance, and they never reach a
table. These tests put that policy at its extremes: an envelope of 1 million VND over tiny
units, units of 10⁹ million VND, nine decades in one table, and the largest envelope a
scenario accepts. Regression cases found by the property tests live as data files in
tests/fixtures/regressions/ (one folder per case: scenario.toml and its units.csv).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from reliability_helpers import make_scenario, units_from_frame

from fiscal.export import csv_bytes
from fiscal.grid import grid_down, grid_up
from fiscal.pipeline import run
from fiscal.results import Result

REGRESSIONS = Path(__file__).resolve().parent / "fixtures" / "regressions"
CASES = sorted(p for p in REGRESSIONS.iterdir() if p.is_dir()) if REGRESSIONS.is_dir() else []
OPTIMISING = ["need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend"]


def _units(baseline: list[float], population: list[float] | None = None):
    n = len(baseline)
    population = population or [min(max(1.0, 20.0 * b), 1e8) for b in baseline]
    frame = pd.DataFrame(
        {
            "code": [f"{i + 1:02d}" for i in range(n)],
            "name": [f"Unit {i + 1}" for i in range(n)],
            "region": ["North" if i % 2 else "South" for i in range(n)],
            "population": population,
            "area_km2": [10.0 + i for i in range(n)],
            "baseline": baseline,
            "own_revenue": [0.3 * b for b in baseline],
            "retention": [0.5] * n,
        }
    )
    return units_from_frame(frame)


def _need_rate(units, total: float) -> float:
    """A population rate that makes total need three times the envelope."""
    return 3.0 * total / float(units.frame["population"].sum())


def _assert_exact(result: Result) -> None:
    """Whole units, exact totals, every rule held — compared with ==, never with a tolerance."""
    u = result.problem.unit
    cells = result.cells
    assert np.all(cells >= 0)
    assert np.array_equal(cells, np.floor(cells / u) * u), "an amount is not a whole rounding unit"
    assert all(c.ok for c in result.checks), [c for c in result.checks if not c.ok]
    for k, year in enumerate(result.years):
        total = result.table.loc[result.table["year"] == year, "allocation"].sum()
        if result.problem.mode == "equal":
            assert total == result.problem.envelope_total[k]
        else:
            assert total <= result.problem.envelope_total[k]
    X = cells.sum(axis=1)
    for rule in result.problem.rules:
        if rule.soft:
            continue
        if rule.lower is not None and rule.kind in ("floor", "per_capita_min"):
            low = np.nan_to_num(grid_down(rule.lower, u), nan=-np.inf)
            assert np.all(X >= low), rule.name
        if rule.upper is not None and rule.kind == "cap":
            high = np.nan_to_num(grid_up(rule.upper, u), nan=np.inf)
            assert np.all(X <= high), rule.name


def _both(scenario, units, *, same_table: bool = True) -> Result:
    """Both backends, each exact; the same table unless the case is past the limit of
    cross-backend identity: the solvers' optima agree to about 1e-8 relative, which is more
    than half a rounding unit once amounts reach ~10⁷ units (docs/reliability.md, "Limits")."""
    a = run(scenario, units=units)
    b = run(scenario, units=units, backend="pulp")
    _assert_exact(a)
    _assert_exact(b)
    assert a.objective == pytest.approx(b.objective, rel=1e-6, abs=1e-9)
    if same_table:
        assert csv_bytes(a) == csv_bytes(b), "the backends give different tables"
    else:
        gap = np.abs(a.cells - b.cells)
        # the solvers' tolerances apply to the scaled model: about 1e-7 of the largest amount
        allowed = max(a.problem.unit, 1e-7 * float(np.abs(a.cells).max()))
        assert gap.max() <= allowed, (gap.max(), allowed)
    return a


# ----------------------------------------------------------------------------- extremes


@pytest.mark.parametrize("kind", ["formula", *OPTIMISING])
def test_envelope_of_one_million_vnd_over_tiny_units(kind: str) -> None:
    """1 million VND shared by units whose baselines are fractions of the rounding unit."""
    units = _units([0.21, 0.33, 0.46], population=[4.0, 7.0, 9.0])
    scen = make_scenario(
        envelope={"total": 1.0},
        objective={"kind": kind},
        need={"criteria": [{"indicator": "population", "rate": _need_rate(units, 1.0)}]},
        constraints=[{"name": "floor", "kind": "floor", "ratio": 1.0}],
    )
    result = _both(scen, units)
    assert result.table["allocation"].sum() == 1.0
    assert sorted(result.table["allocation"]) == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("kind", ["formula", *OPTIMISING])
def test_units_of_a_billion_million_vnd(kind: str) -> None:
    """34 units of about 10⁹ million VND each: 3.4·10¹⁰ in all, reconciled to the unit."""
    rng = np.random.default_rng(34)
    baseline = np.round(rng.uniform(0.5e9, 1.0e9, 34)).tolist()
    units = _units(baseline)
    total = float(round(sum(baseline) * 1.03))
    scen = make_scenario(
        envelope={"total": total},
        objective={"kind": kind},
        need={"criteria": [{"indicator": "population", "rate": _need_rate(units, total)}]},
        constraints=[
            {"name": "floor", "kind": "floor", "ratio": 1.0},
            {"name": "cap", "kind": "cap", "ratio": 1.2},
        ],
    )
    result = _both(scen, units, same_table=False)
    # hold-harmless at 100 % of whole-unit baselines: kept exactly, not to within a tolerance
    assert np.all(result.cells.sum(axis=1)[0] >= np.asarray(baseline))


@pytest.mark.parametrize("kind", OPTIMISING)
def test_nine_decades_in_one_table(kind: str) -> None:
    """Units from 1 to 10⁹ million VND side by side, three years, two sectors with an earmark."""
    baseline = [float(10**k) for k in range(10)]
    units = _units(baseline)
    total = float(sum(baseline))
    scen = make_scenario(
        scenario={"name": "decades", "years": [2026, 2027, 2028]},
        envelope={"total": total, "growth": 0.03},
        objective={"kind": kind},
        need={"criteria": [{"indicator": "population", "rate": _need_rate(units, total)}]},
        sectors=[{"name": "education", "need_share": 0.3}, {"name": "other", "need_share": 0.7}],
        constraints=[
            {"name": "floor", "kind": "floor", "ratio": 0.95},
            {"name": "edu", "kind": "earmark", "sector": "education", "min_share": 0.2},
            {"name": "transition", "kind": "transition", "max_change": 0.2},
        ],
    )
    _both(scen, units, same_table=False)


def test_largest_envelope_a_scenario_accepts() -> None:
    """10¹² million VND (the schema's ceiling) is still exact: 10¹² < 2⁵³ whole units."""
    units = _units([4e11, 6e11])
    scen = make_scenario(
        envelope={"total": 1e12},
        need={"criteria": [{"indicator": "population", "rate": _need_rate(units, 1e12)}]},
    )
    result = _both(scen, units)
    assert result.table["allocation"].sum() == 1e12
    assert float(np.sum(result.cells)) == 1e12


def test_whole_units_are_exact_in_float64() -> None:
    """The premise of the policy: sums of whole numbers below 2⁵³ are exact in any order."""
    rng = np.random.default_rng(0)
    values = rng.integers(0, 10**12, 3321).astype(float)
    exact = int(values.astype(np.int64).sum())
    assert exact < 2**53
    assert float(values.sum()) == float(values[::-1].sum()) == float(exact)


def test_floors_and_caps_are_taken_to_whole_units() -> None:
    """The stated rule: a floor is the largest whole amount not above it, a cap the smallest
    not below it (97 % of 1,515,759 is 1,470,286 at a unit of 1 million VND)."""
    assert grid_down(np.array([0.97 * 1_515_759]), 1.0)[0] == 1_470_286
    assert grid_up(np.array([1.2 * 1_515_759]), 1.0)[0] == 1_818_911
    # a bound that is already whole stays put despite representation noise (1.1 × 10 = 11.000…02)
    assert grid_down(np.array([1.1 * 10]), 1.0)[0] == 11
    assert grid_up(np.array([1.1 * 10]), 1.0)[0] == 11


# ----------------------------------------------------------------------------- regressions


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_regression_case_solves_exactly_on_both_backends(case: Path) -> None:
    a = run(case / "scenario.toml")
    b = run(case / "scenario.toml", backend="pulp")
    _assert_exact(a)
    _assert_exact(b)
    assert csv_bytes(a) == csv_bytes(b)
