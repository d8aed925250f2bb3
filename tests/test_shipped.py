"""Every shipped scenario solves on both backends with the same objective and passes the re-check.

The golden outputs of every shipped scenario are pinned in tests/test_golden.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import fiscal
from fiscal.scenario import list_scenarios

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SHIPPED = [p for p in list_scenarios() if "infeasible" not in p.name]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_solves_on_both_backends_with_matching_objectives(path):
    a = fiscal.run(path, backend="highs")
    b = fiscal.run(path, backend="pulp")
    assert a.objective == pytest.approx(b.objective, rel=1e-6, abs=1e-8)
    for r in (a, b):
        assert all(c.ok for c in r.checks), [c for c in r.checks if not c.ok]
        for k, year in enumerate(r.years):
            total = r.table.loc[r.table["year"] == year, "allocation"].sum()
            assert total == r.problem.envelope_total[k]
    assert a.table["allocation"].tolist() == b.table["allocation"].tolist()


def test_infeasible_shipped_scenario_says_so_in_its_name():
    bad = [p for p in list_scenarios() if "infeasible" in p.name]
    assert bad
    for path in bad:
        assert "INFEASIBLE" in fiscal.load_scenario(path).name
        with pytest.raises(fiscal.InfeasibleError):
            fiscal.run(path)


def test_baseline_reproduces_the_2026_rule():
    """Calibrated so that the status-quo formula gives every receiving province +3 %."""
    t = fiscal.run(ROOT / "fiscal" / "scenarios" / "national-2026-baseline.toml").table
    receiving = t[t["baseline"] > 0]
    np.testing.assert_allclose(receiving["allocation"] / receiving["baseline"], 1.03, atol=1e-6)


def test_transition_scenario_has_a_year_dimension():
    r = fiscal.run(ROOT / "fiscal" / "scenarios" / "national-2026-2030-transition.toml")
    assert sorted(r.table["year"].unique()) == [2026, 2027, 2028, 2029, 2030]
    assert len(r.table) == 34 * 5
    years = r.table.groupby("code")["years_to_formula"].first()
    assert years.notna().sum() > 20 and years.isna().any()
    # floors phase out: a unit held at its floor follows the yearly ratio
    t = r.table.set_index(["code", "year"])
    ratios = [1.0, 0.97, 0.94, 0.91, 0.88]
    for k, year in enumerate(range(2026, 2031)):
        assert t.loc[("24", year), "transfer"] >= np.floor(
            ratios[k] * t.loc[("24", year), "baseline"]
        )
    # no transfer moves more than 8 % a year
    X = r.table.pivot(index="code", columns="year", values="transfer")
    X0 = r.table.groupby("code")["baseline"].first()
    prev = np.column_stack([X0.to_numpy(), X.to_numpy()[:, :-1]])
    assert np.all(np.abs(X.to_numpy() - prev) <= 0.08 * prev + 1)


def test_sector_scenario_meets_its_earmarks():
    r = fiscal.run(ROOT / "fiscal" / "scenarios" / "commune-68-lam-dong-sectors.toml")
    st = r.sector_table().groupby("sector")["amount"].sum()
    total = r.table["transfer"].sum()
    assert st["education"] >= np.floor(0.20 * total)
    assert st["science_digital"] >= np.floor(0.03 * total)
    assert st.sum() == total
