"""Recurrent and capital (issue 14 point 3): the split of A, the points method worked by hand,
the five-year view, Cà Mau's real 2026 capital reproduced, and the plan file's checks."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fiscal.calibrate import SOURCES
from fiscal.capital import (
    Criterion,
    ca_mau_capital_2026,
    criterion_points,
    five_year,
    load_plan,
    points_allocation,
    split_need,
)
from fiscal.errors import ModelError

SMALL_PLAN = """
[plan]
name = "hand-worked"
years = [2026, 2027]
[split]
capital_share = 0.1
[growth]
recurrent = 0.0
capital = 0.1
land_lottery = 0.0
[line]
name = "line"
total = 1000
eligible = "receiving"
phasing = [0.6, 0.4]
[[line.criteria]]
name = "population"
indicator = "population"
base = 10
threshold = 100
step = 100
per_step = 1
[[line.criteria]]
name = "dependence"
indicator = "transfer_dependence"
bands = [[0.0, 0.0], [0.3, 6.0]]
"""


def _small() -> pd.DataFrame:
    # X receives 1000 − 100 − 400 = 500 (dependence 0.5); Y receives 2000 − 300 − 1500 = 200
    # (0.1); Z keeps 60 % of its shared base and receives nothing (not eligible)
    return pd.DataFrame(
        {
            "code": ["X", "Y", "Z"],
            "name": ["x", "y", "z"],
            "spending_need": [1000, 2000, 3000],
            "revenue_land": [50, 0, 0],
            "revenue_lottery": [10, 0, 0],
            "revenue_local": [100, 300, 1000],
            "revenue_shared": [400, 1500, 3000],
            "sharing_rate": [100, 100, 60],
            "population": [350, 100, 1000],
        }
    )


def _plan(tmp_path: Path, text: str = SMALL_PLAN):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return load_plan(path)


def test_step_points_count_whole_steps_above_the_threshold():
    c = Criterion("p", "population", base=20, threshold=1_000_000, step=100_000, per_step=0.5)
    # 0 → no points; 800,000 → the base only; 1,250,000 → 2 whole steps above: 20 + 2 × 0.5
    assert c.points(np.array([0, 800_000, 1_250_000, 1_300_000])).tolist() == [0, 20, 21, 21.5]


def test_band_points_take_the_highest_band_reached():
    c = Criterion("d", "transfer_dependence", bands=((0.0, 0.0), (0.3, 5.0), (0.7, 15.0)))
    assert c.points(np.array([0.1, 0.3, 0.69, 0.7, 0.95])).tolist() == [0, 5, 5, 15, 15]


def test_points_allocation_reconciles_by_largest_remainder():
    # 1,000,001 × (50, 30, 20)/100 = 500,000.5, 300,000.3, 200,000.2: floors sum to 1,000,000,
    # the last million goes to the largest remainder (0.5)
    got = points_allocation(np.array([50.0, 30.0, 20.0]), 1_000_001)
    assert got.tolist() == [500_001, 300_000, 200_000]
    assert points_allocation(np.array([1.0, 1.0, 1.0]), 100).tolist() == [34, 33, 33]  # ties: first
    assert points_allocation(np.array([0.0, 0.0]), 0).tolist() == [0, 0]
    with pytest.raises(ModelError, match="no unit has points"):
        points_allocation(np.array([0.0, 0.0]), 10)


def test_split_sends_land_fees_and_lottery_to_capital():
    s = split_need(_small(), Fraction(1, 10))
    assert s["capital_balanced"].tolist() == [100, 200, 300]
    assert s["recurrent_need"].tolist() == [900, 1800, 2700]
    assert s["capital_need"].tolist() == [160, 200, 300]  # 100 + 50 land + 10 lottery
    total = s["recurrent_need"] + s["capital_need"]
    assert (total == s["spending_need"] + s["land_fees"] + s["lottery"]).all()


def test_five_year_view_worked_by_hand(tmp_path):
    view = five_year(_plan(tmp_path), _small())
    pts = view.points.set_index("code")
    # X: population 350 → 10 + 2 steps = 12, dependence 0.5 → 6: 18; Y: 100 → 10, 0.1 → 0: 10
    assert pts["points"].tolist() == [18, 10, 0]
    assert view.envelope == {2026: 600, 2027: 400}
    years = view.years.set_index(["year", "code"])
    # 2026: 600 × 18/28 = 385.71, 600 × 10/28 = 214.29 → 385 + 214 = 599, X's .71 takes the last
    # 2027: 400 × 18/28 = 257.14, 400 × 10/28 = 142.86 → 257 + 142 = 399, Y's .86 takes the last
    assert years.loc[2026, "capital_line"].tolist() == [386, 214, 0]
    assert years.loc[2027, "capital_line"].tolist() == [257, 143, 0]
    assert pts["five_year"].tolist() == [643, 357, 0]
    # capital in the balance grows 10 %: X 100 → 110; land fees and lottery do not (growth 0)
    assert years.loc[(2027, "X"), "capital_need"] == 110 + 50 + 10
    assert years.loc[(2027, "X"), "recurrent_need"] == 900
    assert years.loc[(2027, "X"), "capital_resources"] == 110 + 50 + 10 + 257
    wide = view.line_by_year().set_index("code")
    assert wide.loc["X", "total"] == 643


def test_ca_mau_capital_need_is_its_real_2026_plan():
    """Cà Mau's share of capital in its balanced spending comes from its plan: its capital need
    (capital in the balance + land-use fees kept + lottery) is the plan's capital spending."""
    cm = ca_mau_capital_2026()
    view = five_year()
    row = view.split.set_index("code").loc["96"]
    assert row["capital_need"] == cm["capital"]
    assert row["capital_balanced"] == cm["capital"] - cm["from_land"] - cm["from_lottery"]
    assert row["land_fees"] == cm["from_land"] and row["lottery"] == cm["from_lottery"]


def test_shipped_plan_reconciles_and_pays_only_receiving_units():
    view = five_year()
    plan = view.plan
    assert sum(view.envelope.values()) == plan.total
    by_year = view.years.groupby("year")["capital_line"].sum()
    assert [by_year[y] for y in plan.years] == [view.envelope[y] for y in plan.years]
    non = view.years[~view.years["receiving"]]
    assert set(non["code"]) == {"01", "22", "31", "48", "75", "79", "80"}  # the 7 non-receiving
    assert (non["capital_line"] == 0).all()
    assert set(plan.estimated) == {"split", "growth", "points"}  # illustrative, each says why
    assert all(len(reason) > 20 for reason in plan.estimated.values())


def test_the_lines_total_is_copied_from_the_sources_not_typed():
    """254,027 bn VND: the five NTPs' central capital 2026–2030 (NQ 27/2026/QH16)."""
    plan = load_plan()
    text = (SOURCES / "MECHANISM.md").read_text(encoding="utf-8")
    assert f"{plan.total / 1000:,.0f} bn of central capital" in text
    assert "NQ 27/2026/QH16" in plan.total_source


@pytest.mark.parametrize(
    "change, message",
    [
        ("phasing = [0.6, 0.4]", "phasing must give one non-negative share per year"),
        ("capital_share = 0.1", "capital_share must be between 0 and 1"),
        ('eligible = "receiving"', "line.eligible must be 'all' or 'receiving'"),
        ("step = 100\nper_step = 1", "step must be positive"),
    ],
)
def test_bad_plans_say_what_and_where(tmp_path, change, message):
    broken = {
        "phasing = [0.6, 0.4]": "phasing = [0.6, 0.5]",
        "capital_share = 0.1": "capital_share = 10",
        'eligible = "receiving"': 'eligible = "some"',
        "step = 100\nper_step = 1": "step = 0\nper_step = 1",
    }[change]
    with pytest.raises(ModelError, match=message) as err:
        _plan(tmp_path, SMALL_PLAN.replace(change, broken))
    assert "plan.toml" in str(err.value)


def test_unknown_indicator_names_the_columns_to_use():
    with pytest.raises(ModelError, match="not a unit-table column"):
        criterion_points(_small(), (Criterion("x", "nonexistent", base=1),))


def test_derived_indicators_can_be_given_by_the_caller():
    """A transfer line passes the balancing transfers it knows: they replace the table's."""
    c = (Criterion("dependence", "transfer_dependence", bands=((0.0, 0.0), (0.3, 6.0))),)
    from_table = criterion_points(_small(), c)["points"].tolist()
    given = criterion_points(_small(), c, derived={"transfer_dependence": np.array([0, 0.4, 0])})
    assert from_table == [6, 0, 0] and given["points"].tolist() == [0, 6, 0]


def test_the_vietnamese_source_says_the_same_figure():
    plan = load_plan()
    assert "254.027 tỷ đồng" in plan.total_source_vi and "254,027 bn" in plan.total_source
