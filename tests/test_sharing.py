"""The A/B/C mechanism (fiscal.sharing) on hand-worked cases."""

import numpy as np
import pandas as pd
import pytest

from fiscal import sharing


def test_receiving_unit_keeps_100_percent_and_gets_the_gap():
    s = sharing.period_start([1_000], [200], [500])
    assert s.rate.tolist() == [100]
    assert s.balancing.tolist() == [300]  # A − (B + C)
    assert s.remitted.tolist() == [0]
    assert s.residue.tolist() == [0]
    assert s.fiscal_class.tolist() == [sharing.RECEIVING]


def test_remitting_unit_keeps_a_whole_percent_and_remits_the_rest():
    # (A − B) / C = (700 − 200) / 800 = 62.5 % → 63 % (half up)
    s = sharing.period_start([700], [200], [800])
    assert s.exact_rate.tolist() == [62.5]
    assert s.rate.tolist() == [63]
    assert s.kept_shared.tolist() == [504]  # 63 % of 800
    assert s.remitted.tolist() == [296]
    assert s.balancing.tolist() == [0]
    assert s.residue.tolist() == [700 - (200 + 504)]  # −4: the unit keeps 4 more than A
    assert s.fiscal_class.tolist() == [sharing.REMITS_20_60]  # remits 37 %


@pytest.mark.parametrize(("rounding", "rate"), [("nearest", 63), ("up", 63), ("down", 62)])
def test_rounding_modes_on_a_half(rounding, rate):
    assert sharing.period_start([700], [200], [800], rounding=rounding).rate.tolist() == [rate]


@pytest.mark.parametrize(("rounding", "rate"), [("nearest", 33), ("up", 34), ("down", 33)])
def test_rounding_modes_on_a_third(rounding, rate):
    # 100 / 300 = 33.33 %
    assert sharing.period_start([200], [100], [300], rounding=rounding).rate.tolist() == [rate]


def test_rounding_is_exact_in_integers_near_half():
    # 100·(A − B)/C = 12.5 exactly; floating point would give 12.499999… for some inputs
    C = 8_000_000_000
    s = sharing.period_start([C // 8], [0], [C])
    assert s.rate.tolist() == [13]


def test_edge_cases_of_the_formula():
    s = sharing.period_start([50, 100, 300, 120], [80, 100, 100, 20], [100, 0, 0, 100])
    # B covers A: rate 0, all of C remitted; no shared base: 100 %, gap paid if any;
    # A − B = C exactly: 100 % and no transfer (remits 0 %, class ≤ 20 %)
    assert s.rate.tolist() == [0, 100, 100, 100]
    assert s.balancing.tolist() == [0, 0, 200, 0]
    assert s.fiscal_class.tolist() == [
        sharing.REMITS_GT_60,
        sharing.REMITS_LE_20,
        sharing.RECEIVING,
        sharing.REMITS_LE_20,
    ]


def test_amounts_reconcile_exactly_for_every_unit():
    rng = np.random.default_rng(7)
    A = rng.integers(0, 10**9, 500)
    B = rng.integers(0, 10**8, 500)
    C = rng.integers(0, 10**9, 500)
    s = sharing.period_start(A, B, C)
    np.testing.assert_array_equal(s.kept_shared + s.remitted, C)
    np.testing.assert_array_equal(s.kept + s.balancing + s.residue, A)
    assert np.all(s.residue[s.balancing > 0] == 0)
    # |residue| of a remitting unit: at most half a percent of C plus half a million
    rem = (s.balancing == 0) & (A > B)
    assert np.all(np.abs(s.residue[rem]) <= C[rem] / 200 + 0.5)


@pytest.mark.parametrize(
    ("rate", "cls"),
    [
        (100, sharing.REMITS_LE_20),
        (80, sharing.REMITS_LE_20),
        (79, sharing.REMITS_20_60),
        (40, sharing.REMITS_20_60),
        (39, sharing.REMITS_GT_60),
        (0, sharing.REMITS_GT_60),
    ],
)
def test_classes_follow_decree_09_2025(rate, cls):
    # "từ 20% trở xuống" (≤ 20 % remitted) and "từ trên 20% đến 60%" (above 20 up to 60)
    assert sharing.classify(np.array([rate]), np.array([0])).tolist() == [cls]
    assert sharing.classify(np.array([rate]), np.array([1])).tolist() == [sharing.RECEIVING]


def test_within_period_freezes_rates_and_uplifts_transfers():
    s = sharing.within_period(
        [100, 100, 40],
        [10, 10, 50],
        [100, 100, 1_000],
        [5_160_349, 1_000, 0],
        growth=0.03,
        topups=[0, 319, 0],
    )
    assert s.balancing.tolist() == [5_315_159, 1_030 + 319, 0]
    assert s.topup.tolist() == [0, 319, 0]
    assert s.rate.tolist() == [100, 100, 40]
    assert s.kept_shared.tolist() == [100, 100, 400]
    assert s.residue.tolist() == [0, 0, 0]  # the basis is implied, not recomputed


def test_uplift_rounds_half_up_per_unit_in_exact_decimals():
    assert sharing.uplift([50, 150, 1], 0.03).tolist() == [52, 155, 1]  # 51.5 → 52; 154.5 → 155
    assert sharing.uplift([100, 100], [0.025, 0.04]).tolist() == [103, 104]  # 102.5 → 103


def test_within_period_refuses_a_transfer_with_a_rate_below_100():
    with pytest.raises(ValueError, match="unit 0 has a frozen rate of 60 %"):
        sharing.within_period([60], [0], [10], [5])


def test_bad_amounts_are_refused_with_the_unit():
    with pytest.raises(ValueError, match=r"local\[1\] must be a whole, non-negative number"):
        sharing.period_start([1, 2], [0, -3], [1, 1])
    with pytest.raises(ValueError, match=r"need\[0\] must be a whole"):
        sharing.period_start([1.5], [0], [1])
    with pytest.raises(ValueError, match="rounding must be"):
        sharing.period_start([1], [0], [1], rounding="bankers")
    with pytest.raises(ValueError, match="at most 6 decimals"):
        sharing.uplift([1], 0.0300001)


def test_a_merger_nets_a_remitting_and_a_receiving_province():
    preds = pd.DataFrame(
        {
            "unit": ["H", "H", "Q"],
            "name": ["rich", "poor", "alone"],
            "need": [7_000, 9_000, 500],
            "local": [2_000, 1_000, 100],
            "shared": [8_000, 3_000, 300],
        }
    )
    t = sharing.merger_table(preds)
    rich, poor, unit = (t.iloc[i] for i in range(3))
    assert (rich["rate"], rich["remitted"]) == (63, 2_960)  # 62.5 % → 63 %
    assert (poor["rate"], poor["balancing"]) == (100, 5_000)
    # one rate on the sums: the rich province's surplus pays part of the poor one's gap
    assert (unit["level"], unit["name"], unit["rate"], unit["balancing"]) == (
        "unit",
        "rich + poor",
        100,
        2_000,
    )
    assert unit["predecessors_balancing"] == 5_000
    assert unit["netted_transfer"] == 3_000
    assert (
        unit["netted_transfer"]
        == unit["predecessors_remitted"] - unit["remitted"] + unit["rounding_change"]
    )
    alone = t[(t["unit"] == "Q") & (t["level"] == "unit")].iloc[0]
    assert alone["netted_transfer"] == 0


def test_combine_sums_by_unit_in_order_of_appearance():
    s = sharing.combine([1, 2, 3], ["b", "a", "b"])
    assert s.to_dict() == {"b": 4, "a": 2}
    assert list(s.index) == ["b", "a"]


def test_central_cofinancing_by_class():
    assert sharing.CENTRAL_COFINANCING == {
        sharing.RECEIVING: 0.80,
        sharing.REMITS_LE_20: 0.70,
        sharing.REMITS_20_60: 0.50,
        sharing.REMITS_GT_60: 0.0,
    }


def test_bridge_year_sums_predecessors_then_uplifts():
    preds = pd.DataFrame(
        {
            "unit": ["H", "H", "K"],
            "need": [7_000, 9_000, 1_000],
            "local": [2_000, 1_000, 100],
            "shared": [8_000, 3_000, 300],
        }
    )
    units, before, after = sharing.bridge(preds, growth=0.03, topups={"K": 319})
    assert list(units) == ["H", "K"]
    assert before.balancing.tolist() == [2_000, 600]  # netted inside one rate
    assert after.balancing.tolist() == [2_060, 618 + 319]
    assert after.rate.tolist() == [100, 100]
