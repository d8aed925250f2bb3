"""Scenario comparison: bands, groups, metric deltas, the settings diff and the rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fiscal
from fiscal.compare import compare, flatten_settings, param_diff
from fiscal.data import UnitTable, validate_units
from fiscal.errors import ModelError
from fiscal.metrics import BANDS
from fiscal.scenario import scenario_from_dict


def _units() -> UnitTable:
    frame = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "name": ["Alpha", "Beta", "Gamma"],
            "region": ["N", "S", "S"],
            "predecessors": ["a1;a2", "b", "c"],
            "population": [100.0, 200.0, 100.0],
            "area_km2": [1.0, 1.0, 1.0],
            "baseline": [50.0, 100.0, 60.0],
            "own_revenue": [20.0, 0.0, 60.0],
            "retention": [1.0, 1.0, 1.0],
        }
    )
    return UnitTable(validate_units(frame, "hand-made"), "province", "hand-made")


def _scenario(name: str, *constraints: dict) -> fiscal.Scenario:
    return scenario_from_dict(
        {
            "scenario": {"name": name},
            "envelope": {"total": 160.0, "source": "hand-made"},
            "need": {"criteria": [{"indicator": "population", "rate": 1.0}]},
            "objective": {"kind": "formula"},
            "constraints": list(constraints),
        }
    )


@pytest.fixture(scope="module")
def hand():
    # see tests/test_metrics.py: floor only → 37, 93, 30; floor and cap → 40, 90, 30
    floor = {"name": "floor", "kind": "floor", "ratio": 0.5, "source": "rule F"}
    a = fiscal.run(_scenario("floor", floor), units=_units())
    b = fiscal.run(
        _scenario(
            "floor and cap", floor, {"name": "cap", "kind": "cap", "ratio": 0.9, "source": "rule C"}
        ),
        units=_units(),
    )
    return compare([a, b], ["A", "B"])


def test_units_and_bands_by_hand(hand):
    u = hand.units
    assert u["A: allocation"].tolist() == [37.0, 93.0, 30.0]
    assert u["B: allocation"].tolist() == [40.0, 90.0, 30.0]
    assert u["B: change"].tolist() == [3.0, -3.0, 0.0]
    # Alpha +3/37 = +8.1 % (gain > 5 %); Beta −3/93 = −3.2 % (loss ≤ 5 %); Gamma unchanged
    assert u["B: band"].tolist() == ["gain > 5 %", "loss ≤ 5 %", "no change"]
    assert u["B: change_pct"].iloc[0] == pytest.approx(3 / 37)
    b = hand.bands.set_index("band")
    assert list(b.index) == list(BANDS)
    assert b["units"].tolist() == [1, 0, 1, 1, 0]
    assert b.loc["gain > 5 %", "population"] == 100.0
    assert b.loc["loss ≤ 5 %", "change"] == -3.0
    assert b.loc["loss ≤ 5 %", "names"] == "Beta"


def test_groups_by_hand(hand):
    g = hand.groups.set_index(["grouping", "group", "scenario"])
    # region S = Beta + Gamma: 93 + 30 = 123 in A, 90 + 30 = 120 in B
    assert g.loc[("region", "S", "A"), "allocation"] == 123.0
    assert g.loc[("region", "S", "B"), "change"] == -3.0
    assert g.loc[("region", "S", "B"), "change_pct"] == pytest.approx(-3 / 123)
    assert (g.loc[("region", "S", "B"), "gainers"], g.loc[("region", "S", "B"), "losers"]) == (0, 1)
    # merged = yes is Alpha alone (two predecessors); resources per person (20 + 40) / 100
    assert g.loc[("merged", "yes", "B"), "resources_per_capita"] == pytest.approx(0.6)
    assert g.loc[("merged", "no", "A"), "population"] == 300.0


def test_metric_deltas(hand):
    m = hand.metrics.set_index("metric")
    assert m.loc["gini", "A"] == pytest.approx(28_200 / 192_000)
    assert m.loc["gini", "B"] == pytest.approx(30_000 / 192_000)
    assert m.loc["gini", "Δ B"] == pytest.approx((30_000 - 28_200) / 192_000)
    assert m.loc["units_at_cap", "Δ B"] == 1


def test_settings_diff_names_the_new_rule_with_its_source(hand):
    p = hand.params.set_index("setting")
    assert list(p.index) == ["constraints.cap"]
    assert p.loc["constraints.cap", "A"] is None
    assert p.loc["constraints.cap", "B"] == "kind = cap, ratio = 0.9"
    assert p.loc["constraints.cap", "source: B"] == "rule C"


def test_constraints_of_each_scenario(hand):
    c = hand.constraints
    assert set(zip(c["scenario"], c["name"], strict=True)) == {
        ("A", "envelope"),
        ("A", "floor"),
        ("B", "envelope"),
        ("B", "floor"),
        ("B", "cap"),
    }
    cap = c[(c["scenario"] == "B") & (c["name"] == "cap")].iloc[0]
    assert bool(cap["binding"]) and cap["units_binding"] == 1


def test_param_diff_of_changed_values_with_sources():
    a = {
        "envelope": {"total": 100.0, "source": "law X"},
        "constraints": [{"name": "f", "kind": "floor", "ratio": 1.0, "source": "rule 1"}],
        "need": {
            "criteria": [
                {
                    "indicator": "population",
                    "rate": 2.0,
                    "unit": "VND",
                    "coefficients": {"R": 1.1},
                    "coefficients_source": "table 3",
                }
            ]
        },
    }
    b = {
        "envelope": {"total": 120.0, "source": "law Y"},
        "constraints": [{"name": "f", "kind": "floor", "ratio": 0.9, "source": "rule 2"}],
        "need": {
            "criteria": [
                {
                    "indicator": "population",
                    "rate": 2.0,
                    "unit": "VND per person",
                    "coefficients": {"R": 1.2},
                    "coefficients_source": "table 3",
                }
            ]
        },
    }
    d = param_diff([a, b], ["old", "new"]).set_index("setting")
    assert list(d.index) == [
        "envelope.total",
        "constraints.f.ratio",
        "need.criteria.population.coefficients.R",
    ]
    assert (d.loc["envelope.total", "old"], d.loc["envelope.total", "new"]) == (100.0, 120.0)
    assert d.loc["envelope.total", "source: old"] == "law X"
    assert d.loc["constraints.f.ratio", "source: new"] == "rule 2"
    assert d.loc["need.criteria.population.coefficients.R", "source: new"] == "table 3"
    # 1 == 1.0 is no difference; the unit of a rate is documentation, not a setting
    assert param_diff([{"x": {"y": 1}}, {"x": {"y": 1.0}}], ["a", "b"]).empty
    assert "need.criteria.population.unit" not in flatten_settings(a)


def test_refuses_what_cannot_be_compared(hand):
    r = hand.results[0]
    with pytest.raises(ModelError, match="at least two"):
        compare([r])
    with pytest.raises(ModelError, match="labels must differ"):
        compare([r, r], ["x", "x"])
    national = fiscal.run("national-2026-baseline.toml")
    with pytest.raises(ModelError, match="allocates to 34 units.*same level"):
        compare([r, national], ["hand", "national"])


# ----------------------------------------------------------------------------- national


@pytest.fixture(scope="module")
def national():
    a = fiscal.run("national-2026-baseline.toml")
    b = fiscal.run("national-2026-equalise-floor95.toml")
    return compare([a, b])


def test_national_winners_and_losers_are_consistent(national):
    c = national
    lab = c.labels[1]
    assert c.labels == ["national-2026-baseline", "national-2026-equalise-floor95"]
    u = c.units
    old = u[f"{c.reference}: allocation"].to_numpy()
    new = u[f"{lab}: allocation"].to_numpy()
    # recompute every band from the two allocations
    pct = np.where(old > 0, (new - old) / np.where(old > 0, old, 1), np.inf)
    expect = np.where(
        new - old >= 0.5,
        np.where(pct > 0.05, BANDS[0], BANDS[1]),
        np.where(new - old <= -0.5, np.where(pct < -0.05, BANDS[4], BANDS[3]), BANDS[2]),
    )
    assert u[f"{lab}: band"].tolist() == expect.tolist()
    b = c.bands
    assert b["units"].sum() == 34
    assert b["change"].sum() == pytest.approx(new.sum() - old.sum(), abs=1e-6)
    # both spend the whole envelope: the winners' gains are the losers' losses
    assert new.sum() == old.sum() == 238_421_000
    # a 95 % floor against the 2026 transfers (baseline +3 %, Khánh Hòa and Quảng Ngãi with their
    # top-ups): no loser falls below 95 % of its 2025 baseline
    losers = u[u[f"{lab}: band"] == "loss > 5 %"]
    assert len(losers) > 0
    baseline = fiscal.bundled_units().frame.set_index("code")["baseline"]
    base = baseline.loc[losers["code"]].to_numpy()
    assert (losers[f"{lab}: allocation"].to_numpy() >= 0.95 * base - 1).all()


def test_national_text_and_settings(national):
    text = national.text()
    assert (
        "Winners and losers: national-2026-equalise-floor95 against national-2026-baseline" in text
    )
    for b in BANDS:
        assert b in text
    assert "constraints.hold-harmless.ratio: 1 → 0.95" in text
    assert "illustrative (estimated) figures" in text
    p = national.params.set_index("setting")
    assert p.loc["objective.kind"].tolist()[:2] == ["formula", "per_capita_maximin"]
    assert (
        "246/2025/QH15"
        in p.loc["constraints.hold-harmless.ratio", "source: national-2026-baseline"]
    )
