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
    # a commune run's objective is the mean of its provinces' (each near 1 in size, the mean
    # near 0): compared province by province, where 10⁻⁶ relative means what it says
    for x, y in zip(a.children or [a], b.children or [b], strict=True):
        assert x.objective == pytest.approx(y.objective, rel=1e-6, abs=1e-8)
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
    """The status-quo formula on A − (B + C) gives every unit its 2026 transfer as legislated:
    +3 % on its 2025 post-merger transfer, plus the named top-ups (NQ 246/2025/QH15)."""
    from fiscal import calibrate, sharing

    t = fiscal.run(ROOT / "fiscal" / "scenarios" / "national-2026-baseline.toml").table.set_index(
        "code"
    )
    growth, topups = calibrate.bridge_2026()
    top = t.index.map(topups).fillna(0).astype(int)
    expected = sharing.uplift(t["baseline"], growth) + top
    np.testing.assert_array_equal(t["allocation"], expected)
    assert t.loc["33", "allocation"] == 5_315_159  # Hưng Yên's budget resolution
    assert t["allocation"].sum() == 238_421_000
    assert set(t.index[t["allocation"] == 0]) == {"01", "22", "31", "48", "75", "79", "80"}


def test_transition_scenario_has_a_year_dimension():
    r = fiscal.run(ROOT / "fiscal" / "scenarios" / "national-2026-2030-transition.toml")
    assert sorted(r.table["year"].unique()) == [2026, 2027, 2028, 2029, 2030]
    assert len(r.table) == 34 * 5
    years = r.table.groupby("code")["years_to_formula"].first()
    # the revised norms are far from the 2026 status quo for the poorest units: an 8 % band
    # brings 13 of 34 to their formula amount by 2030 (units without a 2025 transfer stay at 0)
    assert years.notna().sum() > 10 and years.isna().any()
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
