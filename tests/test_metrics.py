"""Metrics against values worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fiscal
from fiscal import metrics
from fiscal.data import UnitTable, validate_units
from fiscal.flags import Flag, FlagMark, Flags
from fiscal.scenario import scenario_from_dict

SCEN = Path(__file__).resolve().parent.parent / "fiscal" / "scenarios"

# ----------------------------------------------------------------------------- indices


def test_gini_unweighted_by_hand():
    # y = 1, 2, 3, 4: mean 2.5; |differences| over the 6 pairs: 1,2,3,1,2,1 = 10, both orders 20
    # G = 20 / (2 · 4² · 2.5) = 20 / 80
    assert metrics.gini([1, 2, 3, 4]) == pytest.approx(0.25, abs=1e-15)


def test_gini_weighted_equals_expanded_population():
    # y = (1, 3) with weights (3, 1) is the population 1, 1, 1, 3: mean 1.5;
    # ΣΣ w_i w_j |y_i − y_j| = 2 · 3 · 1 · 2 = 12;  G = 12 / (2 · 4² · 1.5) = 12 / 48 = 0.25
    assert metrics.gini([1, 3], [3, 1]) == pytest.approx(0.25, abs=1e-15)
    assert metrics.gini([1, 1, 1, 3]) == pytest.approx(0.25, abs=1e-15)


def test_gini_one_unit_has_everything():
    # y = 0, 0, 0, 4: mean 1; ΣΣ |d| = 2 · 3 · 4 = 24; G = 24 / (2 · 16 · 1) = 0.75 = (n − 1)/n
    assert metrics.gini([0, 0, 0, 4]) == pytest.approx(0.75, abs=1e-15)


def test_theil_weighted_by_hand():
    # y = (1, 3), w = (3, 1): ȳ = 1.5, y/ȳ = (2/3, 2), shares 3/4 and 1/4:
    # T = ¾·⅔·ln⅔ + ¼·2·ln 2 = ½ ln⅔ + ½ ln 2 = ½ ln(4/3) = 0.1438410362…
    assert metrics.theil([1, 3], [3, 1]) == pytest.approx(0.5 * math.log(4 / 3), rel=1e-12)


def test_theil_with_a_zero_uses_zero_log_zero():
    # y = (0, 2), equal weights: ȳ = 1, ratios (0, 2): T = ½·0 + ½·2·ln 2 = ln 2
    assert metrics.theil([0, 2]) == pytest.approx(math.log(2), rel=1e-12)
    with pytest.raises(ValueError, match="non-negative"):
        metrics.theil([-1, 2])


def test_cv_weighted_by_hand():
    # y = (1, 3), w = (3, 1): ȳ = 1.5; variance = ¾·0.5² + ¼·1.5² = 0.1875 + 0.5625 = 0.75
    # cv = √0.75 / 1.5 = 1/√3
    assert metrics.cv([1, 3], [3, 1]) == pytest.approx(1 / math.sqrt(3), rel=1e-12)


def test_max_min_ratio_and_share_of_need():
    assert metrics.max_min_ratio([2.0, 5.0, 4.0]) == 2.5
    assert metrics.max_min_ratio([0.0, 1.0]) == math.inf
    # min(R, N) = 5, 3, 0 against N = 5, 4, 1: 8 / 10
    assert metrics.share_of_need_met([6, 3, 0], [5, 4, 1]) == pytest.approx(0.8)


def test_equal_values_are_perfect_equality():
    y, w = [2.0, 2.0, 2.0], [1.0, 5.0, 9.0]
    assert metrics.gini(y, w) == 0.0
    assert metrics.theil(y, w) == pytest.approx(0.0, abs=1e-15)
    assert metrics.cv(y, w) == 0.0


def test_zero_weights_are_left_out_and_bad_weights_refused():
    assert metrics.gini([1, 3, 100], [3, 1, 0]) == pytest.approx(0.25, abs=1e-15)
    with pytest.raises(ValueError, match="shape"):
        metrics.gini([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="non-negative"):
        metrics.gini([1, 2], [1, -1])


positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(positive, positive), min_size=2, max_size=12),
    st.floats(min_value=0.1, max_value=1e3),
)
def test_indices_are_scale_and_order_invariant(pairs, factor):
    y = np.array([p[0] for p in pairs])
    w = np.array([p[1] for p in pairs])
    order = np.argsort(-y, kind="stable")
    for f in (metrics.gini, metrics.theil, metrics.cv):
        base = f(y, w)
        assert f(y * factor, w) == pytest.approx(base, rel=1e-9, abs=1e-12)
        assert f(y[order], w[order]) == pytest.approx(base, rel=1e-9, abs=1e-12)
    assert 0.0 <= metrics.gini(y, w) < 1.0


@settings(max_examples=40, deadline=None)
@given(st.lists(positive, min_size=2, max_size=8), st.integers(min_value=2, max_value=5))
def test_integer_weights_equal_repeated_units(y, k):
    # weight k on the first unit = the first unit listed k times
    y = np.array(y)
    w = np.ones_like(y)
    w[0] = k
    rep = np.concatenate([np.full(k - 1, y[0]), y])
    assert metrics.gini(y, w) == pytest.approx(metrics.gini(rep), rel=1e-9, abs=1e-12)
    assert metrics.theil(y, w) == pytest.approx(metrics.theil(rep), rel=1e-9, abs=1e-12)


# ----------------------------------------------------------------------------- bands


def test_bands_by_hand():
    change = np.array([10.0, 3.0, 0.0, -0.4, -2.0, -10.0, 5.0, 5.0, -5.0])
    ref = np.array([100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 0.0, 100.0, 100.0])
    # +10 % | +3 % | 0 | −0.4 (within half a unit) | −2 % | −10 % | from nothing | +5 % | −5 %
    assert list(metrics.band(change, ref)) == [
        "gain > 5 %",
        "gain ≤ 5 %",
        "no change",
        "no change",
        "loss ≤ 5 %",
        "loss > 5 %",
        "gain > 5 %",
        "gain ≤ 5 %",
        "loss ≤ 5 %",
    ]


def _flags(*marks: tuple[Flag, str, list[bool]]) -> Flags:
    n = len(marks[0][2])
    return Flags((1, n), tuple(FlagMark(f, kind, kind, np.array([w])) for f, kind, w in marks))


def test_protection_masks_read_the_flag_codes():
    flags = _flags(
        (Flag.LOWER, "floor", [True, False, False, False, False, False]),
        (Flag.UPPER, "cap", [False, True, False, False, False, False]),
        (Flag.BAND, "transition", [False, False, False, True, True, False]),
        (Flag.LOWER, "per_capita_min", [False, False, False, False, False, True]),
        (Flag.SUPPORT, "", [False, False, False, False, False, True]),
    )
    transfer = np.array([10.0, 10.0, 10.0, 12.0, 8.0, 5.0])
    formula = np.array([8.0, 12.0, 10.0, 10.0, 10.0, 4.0])
    lower, upper = metrics.protection_masks(flags, transfer, formula)
    assert lower.ravel().tolist() == [True, False, False, True, False, True]
    assert upper.ravel().tolist() == [False, True, False, False, True, False]


def test_renaming_a_flag_cannot_change_a_metric(monkeypatch):
    """Metrics read codes: the words of a flag (in any language) are only for people."""
    from fiscal.prose import labels

    result = fiscal.run(SCEN / "national-2026-new-norms.toml")
    before = dict(result.metrics)
    assert before["units_at_floor"] > 0
    monkeypatch.setitem(labels.FLAGS["en"], "lower", "held by {kind}")
    again = fiscal.run(SCEN / "national-2026-new-norms.toml")
    assert "held by floor" in set(again.table["flags"])
    assert json.dumps(again.metrics) == json.dumps(before)  # NaN included


# ----------------------------------------------------------------------------- summary


def _three_units() -> UnitTable:
    frame = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "name": ["Alpha", "Beta", "Gamma"],
            "region": ["R", "R", "R"],
            "population": [100.0, 200.0, 100.0],
            "area_km2": [1.0, 1.0, 1.0],
            "baseline": [50.0, 100.0, 60.0],
            "own_revenue": [20.0, 0.0, 60.0],
            "retention": [1.0, 1.0, 1.0],
        }
    )
    return UnitTable(validate_units(frame, "hand-made"), "province", "hand-made")


def _scenario(*constraints: dict) -> fiscal.Scenario:
    return scenario_from_dict(
        {
            "scenario": {"name": "hand"},
            "envelope": {"total": 160.0},
            "need": {"criteria": [{"indicator": "population", "rate": 1.0}]},
            "objective": {"kind": "formula"},
            "constraints": list(constraints),
        }
    )


def test_summary_with_a_floor_by_hand():
    # need = population × 1: A 100, B 200, C 100; capacity 20, 0, 60 → gaps 80, 200, 40 (Σ 320)
    # formula F = 160 × G / 320 = 40, 100, 20.  Floors 0.5 × baseline = 25, 50, 30: C is held at 30;
    # the other two share 130 in proportion to F: k = 130/140 → A 37.142857, B 92.857143;
    # rounded by largest remainder to 37, 93, 30 (Σ 160).
    # resources = capacity + transfer = 57, 93, 90; per person 0.57, 0.465, 0.9; ȳ = 240/400 = 0.6
    r = fiscal.run(
        _scenario({"name": "floor", "kind": "floor", "ratio": 0.5}), units=_three_units()
    )
    assert r.table["allocation"].tolist() == [37.0, 93.0, 30.0]
    m = r.metrics
    assert m["total_allocation"] == 160.0
    # Gini: |A−B| .105, |A−C| .33, |B−C| .435:
    # ΣΣ = 2(100·200·.105 + 100·100·.33 + 200·100·.435) = 28,200; G = 28,200 / (2 · 400² · 0.6)
    assert m["gini"] == pytest.approx(28_200 / 192_000, rel=1e-12)
    # Theil: y/ȳ = .95, .775, 1.5 with shares ¼, ½, ¼
    assert m["theil"] == pytest.approx(
        0.25 * 0.95 * math.log(0.95) + 0.5 * 0.775 * math.log(0.775) + 0.25 * 1.5 * math.log(1.5),
        rel=1e-12,
    )  # ≈ 0.041096
    # CV: deviations −.03, −.135, .3 → variance ¼·.0009 + ½·.018225 + ¼·.09 = .0318375
    assert m["cv"] == pytest.approx(math.sqrt(0.0318375) / 0.6, rel=1e-12)  # ≈ 0.297383
    assert m["max_min_ratio"] == pytest.approx(0.9 / 0.465, rel=1e-12)
    assert m["min_per_capita"] == pytest.approx(0.465, rel=1e-12)
    # min(R, N) = 57, 93, 90 of need 100, 200, 100 → 240 / 400; all three short of need
    assert m["share_of_need_met"] == pytest.approx(0.6, rel=1e-12)
    assert m["units_below_need"] == 3
    # only C sits on its floor; it gets 30 − 20 = 10 above its formula amount
    assert (m["units_at_floor"], m["units_at_cap"]) == (1, 0)
    assert m["protection_cost"] == pytest.approx(10.0)
    assert m["cap_clawback"] == 0.0
    # changes against the baseline: −13/50, −7/100, −30/60 → mean |.| = (.26 + .07 + .5) / 3
    assert m["mean_abs_change_pct"] == pytest.approx(0.83 / 3, rel=1e-12)


def test_summary_with_a_floor_and_a_cap_by_hand():
    # as above, plus caps 0.9 × baseline = 45, 90, 54: clip(k·F, L, U) = clip(40k, 25, 45) +
    # clip(100k, 50, 90) + clip(20k, 30, 54) reaches 160 at k = 1: A 40 (free), B 90 (cap), C 30
    r = fiscal.run(
        _scenario(
            {"name": "floor", "kind": "floor", "ratio": 0.5},
            {"name": "cap", "kind": "cap", "ratio": 0.9},
        ),
        units=_three_units(),
    )
    assert r.table["allocation"].tolist() == [40.0, 90.0, 30.0]
    m = r.metrics
    # per person 0.6, 0.45, 0.9: ΣΣ = 2(100·200·.15 + 100·100·.3 + 200·100·.45) = 30,000
    assert m["gini"] == pytest.approx(30_000 / 192_000, rel=1e-12)
    assert (m["units_at_floor"], m["units_at_cap"]) == (1, 1)
    assert m["protection_cost"] == pytest.approx(10.0)  # C: 30 − 20
    assert m["cap_clawback"] == pytest.approx(10.0)  # B: 100 − 90


def test_ties_of_unequal_weight_are_exactly_equal():
    # found by hypothesis: two equal values with weights 518,525 and 3 gave G = −8.6e−22
    y, w = [132529.0, 132529.0], [518524.95243485237, 3.0]
    assert metrics.gini(y, w) == 0.0
    assert metrics.theil(y, w) == 0.0
    assert metrics.gini([1.0, 1.0, 2.0], [5e5, 3.0, 1.0]) >= 0.0
