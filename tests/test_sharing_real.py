"""The A/B/C mechanism against REAL published tables (every figure read from fiscal/datasets/sources).

2017 (MOF Decision 2664/QĐ-BTC, Phụ lục 09/CKTC-NSNN, first year of the 2017–2020 period), per
old province. Inputs taken from the table: balanced spending E, deficit, surplus and revenue kept
K; A := E − deficit + surplus (spending net of borrowing) and, for a province at 100 %, B + C :=
K (how K splits into B and C changes neither the rate nor the transfer of a receiving province;
land-use fees and lottery sit in both E and K and cancel). Reproduced: whether the province
receives, its rate (100 %) and its balancing transfer, to the million VND (exact). Not
reproducible from the table: the whole-percent rates of the 16 remitting provinces, which need C,
a figure the table does not publish; for them we reproduce 'no transfer' and check that A equals
revenue kept to the million (the residue rule of fiscal.sharing).
"""

import numpy as np
import pandas as pd
import pytest

from fiscal import calibrate, sharing, sources


@pytest.fixture(scope="module")
def mof():
    df = sources.read_source("mof_63_provinces_budget_2011_2017.csv")
    df = df[df["kind"] == "estimate"].copy()
    for col in ("retention_pct", "balancing_transfer"):
        df[col] = pd.to_numeric(df[col].replace("", "0")).astype(np.int64)
    df["year"] = df["year"].astype(int)
    return df


def _basis_2017():
    t = calibrate.mof_2017()
    A = t["local_balanced_expenditure"] - t["local_deficit"] + t["local_surplus"]
    return t, A.to_numpy(), t["local_revenue_by_decentralization"].to_numpy()


def test_2017_table_has_63_provinces_47_receiving_16_remitting():
    t, _, _ = _basis_2017()
    assert len(t) == 63
    assert (t["balancing_transfer"] > 0).sum() == 47
    assert (t["retention_pct"] < 100).sum() == 16
    # every province with a rate below 100 % receives nothing, and vice versa
    assert ((t["retention_pct"] < 100) == (t["balancing_transfer"] == 0)).all()


def test_2017_receiving_provinces_rate_and_transfer_reproduced_exactly():
    t, A, K = _basis_2017()
    at_100 = (t["retention_pct"] == 100).to_numpy()
    s = sharing.period_start(A[at_100], np.zeros(at_100.sum(), dtype=np.int64), K[at_100])
    published = t.loc[at_100, "balancing_transfer"].to_numpy()
    assert at_100.sum() == 47
    assert s.rate.tolist() == [100] * 47
    np.testing.assert_array_equal(s.balancing, published)  # to the million VND
    assert (s.fiscal_class == sharing.RECEIVING).all()
    assert s.balancing.sum() == 194_250_178  # the 2017 national total of the table


def test_2017_remitting_provinces_get_no_transfer_and_spend_what_they_keep():
    t, A, K = _basis_2017()
    rem = (t["retention_pct"] < 100).to_numpy()
    # a remitting province's spending net of borrowing equals its revenue kept, to the million:
    # the whole-percent residue is settled inside its budget, not by a transfer
    np.testing.assert_array_equal(A[rem], K[rem])
    assert (t.loc[rem, "balancing_transfer"] == 0).all()
    # their published rates, for the record (not reproducible: C is not published)
    rates = dict(zip(t.loc[rem, "old_short_name"], t.loc[rem, "retention_pct"], strict=True))
    assert rates["Hồ Chí Minh"] == 18 and rates["Hà Nội"] == 35 and len(rates) == 16
    classes = pd.Series(
        sharing.classify(t.loc[rem, "retention_pct"].to_numpy(), np.zeros(16))
    ).value_counts()
    assert classes.to_dict() == {
        sharing.REMITS_LE_20: 6,
        sharing.REMITS_20_60: 7,
        sharing.REMITS_GT_60: 3,
    }


def test_2012_2016_within_period_freeze(mof):
    """Rates frozen and transfers held at the 2012 nominal amount (uplift 0) in 2013–2016."""
    wide_t = mof.pivot(index="old_short_name", columns="year", values="balancing_transfer")
    wide_r = mof.pivot(index="old_short_name", columns="year", values="retention_pct")
    n = len(wide_t)
    exact = pd.Series(True, index=wide_t.index)
    for year in (2013, 2014, 2015, 2016):
        s = sharing.within_period(wide_r[2012], np.zeros(n), np.zeros(n), wide_t[2012], growth=0.0)
        np.testing.assert_array_equal(s.rate, wide_r[year])  # 63 of 63 rates frozen
        exact &= s.balancing == wide_t[year].to_numpy()
        # the others differ by one million VND (the table's own rounding)
        assert np.abs(s.balancing - wide_t[year].to_numpy()).max() <= 1
    assert exact.sum() == 59
    assert sorted(exact.index[~exact]) == ["Hà Nam", "Hải Dương", "Lâm Đồng", "Đắk Nông"]


def test_2017_resets_the_period(mof):
    t = mof[mof["year"] == 2017].set_index("old_short_name")["balancing_transfer"]
    t16 = mof[mof["year"] == 2016].set_index("old_short_name")["balancing_transfer"]
    assert (t16 > 0).sum() == 50 and (t > 0).sum() == 47
    assert {n for n in t.index if t16[n] > 0 and t[n] == 0} == {
        "Hưng Yên",
        "Hải Dương",
        "Quảng Nam",
    }


# --------------------------------------------------------------------------- the 2026 layer


@pytest.fixture(scope="module")
def layer():
    return calibrate.abc_layer().set_index("code")


def test_2026_revenue_on_territory_of_all_34_units_is_real(layer):
    real = sources.read_source("nq246_2026_revenue_on_territory_34.csv")
    real = real[real["code"] != ""].set_index(
        real["code"][real["code"] != ""].map(lambda c: f"{int(c):02d}")
    )
    assert len(real) == 34
    for code, row in real.iterrows():
        assert layer.loc[code, "revenue_on_territory"] == int(row["value"])
    kinds = layer[list(calibrate.KIND_COLUMNS)].sum(axis=1)
    np.testing.assert_array_equal(kinds, layer["revenue_on_territory"])


def test_2026_receiving_units_are_the_27_of_decision_2639(layer):
    paid = set(calibrate.receiving_2026())
    assert len(paid) == 27
    assert set(layer.index[layer["balancing_2026"] > 0]) == paid
    named = {"01", "79", "31", "48", "22", "75", "80"}  # Hà Nội, HCMC, Hải Phòng, Đà Nẵng, ...
    assert set(layer.index) - paid == named
    assert (layer.loc[sorted(named), "balancing_2026"] == 0).all()


def test_2026_bridge_year_reproduces_the_anchors(layer):
    growth, topups = calibrate.bridge_2026()
    assert growth == 0.03 and topups == {"56": 319_000, "51": 168_000}
    top = layer.index.map(topups).fillna(0).astype(int)
    s = sharing.within_period(
        layer["sharing_rate"],
        layer["revenue_local"],
        layer["revenue_shared"],
        layer["baseline"],
        growth=growth,
        topups=top,
    )
    np.testing.assert_array_equal(s.balancing, layer["balancing_2026"])
    assert s.balancing.sum() == 238_421_000
    anchors = calibrate.anchors_2026()
    hy = layer.index.get_loc("33")
    assert s.balancing[hy] == anchors["hung_yen_balancing"] == 5_315_159
    # Hưng Yên's revenue kept: B + C + land fees kept + lottery = its resolution's 69,471,750
    kept = (
        layer["revenue_local"]
        + layer["revenue_shared"]
        + layer["revenue_land"]
        + layer["revenue_lottery"]
    )
    assert kept["33"] == anchors["hung_yen_revenue_kept"] == 69_471_750
    # Cà Mau: A + land fees kept + lottery = the plan's basis for the rate and transfer
    cm = layer.loc["96"]
    assert cm["spending_need"] + cm["revenue_land"] + cm["revenue_lottery"] == 22_228_100
    assert cm["revenue_land"] == anchors["ca_mau_land_spending"] == 467_500


def test_2026_status_quo_need_gives_each_unit_its_transfer(layer):
    s = sharing.period_start(
        layer["spending_need"], layer["revenue_local"], layer["revenue_shared"]
    )
    np.testing.assert_array_equal(s.balancing, layer["balancing_2026"])
    np.testing.assert_array_equal(s.rate, layer["sharing_rate"])
    assert (s.residue == 0).all()


def test_merged_units_are_their_predecessors_summed(layer):
    preds = calibrate.predecessor_layer()
    assert len(preds) == 63
    frame = preds.rename(
        columns={"spending_need": "need", "revenue_local": "local", "revenue_shared": "shared"}
    )
    t = sharing.merger_table(frame)
    units = t[t["level"] == "unit"].set_index("unit")
    np.testing.assert_array_equal(units.loc[layer.index, "balancing"], layer["balancing_2026"])
    np.testing.assert_array_equal(units.loc[layer.index, "rate"], layer["sharing_rate"])
    ident = units["predecessors_remitted"] - units["remitted"] + units["rounding_change"]
    np.testing.assert_array_equal(units["netted_transfer"], ident)
    # Hưng Yên absorbed Thái Bình: one remitting and one receiving predecessor, netted in one rate
    hy = t[t["unit"] == "33"].set_index("level", append=True)
    assert (
        t[(t["unit"] == "33") & (t["level"] == "predecessor")]["fiscal_class"] != sharing.RECEIVING
    ).sum() == 1
    assert units.loc["33", "netted_transfer"] > 0 and len(hy) == 3


def test_centre_share_parameter_is_the_2017_median():
    t = calibrate.mof_2017()
    rec = t[t["balancing_transfer"] > 0]
    share = (rec["revenue_on_territory"] - rec["local_revenue_by_decentralization"]) / rec[
        "revenue_on_territory"
    ]
    assert round(share.median(), 2) == calibrate.calibration()["revenue_kinds"]["centre_share"]
