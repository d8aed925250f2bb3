"""The bundled dataset, unit-table validation (one broken fixture per rule) and templates."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from fiscal import calibrate
from fiscal.data import bundled_units, load_units, template_bytes, write_template
from fiscal.errors import DataError

FIX = Path(__file__).parent / "fixtures" / "units"
SHARED = calibrate.SOURCES


# ----------------------------------------------------------------------------- bundled data


def test_34_provinces_with_real_mapping():
    prov = bundled_units("province").frame
    assert len(prov) == 34
    assert prov["code"].is_unique
    assert (prov["merged"] == "yes").sum() == 23
    old = calibrate.old_provinces()
    assert len(old) == 63
    # every old province merges into exactly one new unit, and 52 of them into merged ones
    assert old["new_code"].isin(prov["code"]).all()
    merged_codes = set(prov.loc[prov["merged"] == "yes", "code"])
    assert old["new_code"].isin(merged_codes).sum() == 52
    assert prov["eliminated_provinces"].sum() == 63 - 34


def test_population_is_nso_2024_summed_over_predecessors():
    prov = bundled_units("province").frame
    src = pd.read_csv(SHARED / "old_provinces_population.csv")
    assert prov["population"].sum() == src["population"].sum() == 101_343_750
    # Tuyên Quang = Hà Giang + Tuyên Quang (NSO 2024 average population)
    tq = prov.set_index("code").loc["08"]
    pop = src.set_index("old_name")["population"]
    assert tq["population"] == pop["Tỉnh Hà Giang"] + pop["Tỉnh Tuyên Quang"]
    # Resolution 202's larger concept stays in its own column, never in `population`
    assert tq["population_nq202"] == 1_865_270
    assert tq["population_nq202"] > tq["population"]


def test_area_of_merged_units_matches_resolution_202():
    prov = bundled_units("province").frame.set_index("code")
    nq = pd.read_csv(SHARED / "provinces_2025.csv")
    nq["code"] = nq["code"].map(lambda c: f"{int(c):02d}")
    nq = nq.set_index("code")
    merged = nq["area_km2"].notna()
    diff = (prov.loc[merged.index[merged], "area_km2"] - nq.loc[merged, "area_km2"]).abs()
    assert diff.max() < 0.015  # NSO 2024 areas sum to the NQ 202 areas (to 0.01 km², rounding)


def test_3321_communes_from_vietnam_provinces():
    communes = bundled_units("commune").frame
    assert len(communes) == 3321
    assert communes["code"].is_unique
    assert communes["type"].value_counts().to_dict() == {"xã": 2621, "phường": 687, "đặc khu": 13}
    prov = bundled_units("province").frame.set_index("code")
    counts = communes.groupby("parent").size()
    assert (counts == prov.loc[counts.index, "communes"]).all()


@pytest.mark.parametrize(
    "column", ["population", "area_km2", "baseline", "own_revenue", "eliminated_communes"]
)
def test_commune_columns_sum_exactly_to_their_province(column):
    communes = bundled_units("commune").frame
    prov = bundled_units("province").frame.set_index("code")
    sums = communes.groupby("parent")[column].sum()
    np.testing.assert_allclose(
        sums.to_numpy(), prov.loc[sums.index, column].to_numpy(), rtol=0, atol=1e-6
    )


def test_fiscal_layer_is_consistent_with_the_abc_layer():
    prov = bundled_units("province").frame
    # own revenue is B + C and capacity = own_revenue × retention is the revenue kept
    np.testing.assert_array_equal(
        prov["own_revenue"], prov["revenue_local"] + prov["revenue_shared"]
    )
    kept = prov["revenue_local"] + (2 * prov["sharing_rate"] * prov["revenue_shared"] + 100) // 200
    np.testing.assert_allclose(prov["own_revenue"] * prov["retention"], kept, rtol=1e-12)
    # the status-quo need is A, so need − capacity is the 2026 transfer: 0 for the 7
    gap = prov["spending_need"] - kept
    assert set(prov.loc[gap == 0, "code"]) == {"01", "22", "31", "48", "75", "79", "80"}
    assert gap.sum() == 238_421_000
    assert (prov.loc[gap > 0, "sharing_rate"] == 100).all()


def test_every_bundled_fiscal_figure_is_flagged_estimated():
    prov = bundled_units("province")
    assert prov.illustrative
    assert {"baseline", "own_revenue", "retention"} <= set(prov.estimated_columns)
    communes = bundled_units("commune", "08")
    assert {"population", "area_km2", "baseline", "own_revenue"} <= set(communes.estimated_columns)


def test_bundled_communes_of_one_province_accepts_short_codes():
    assert len(bundled_units("commune", "8")) == 124
    with pytest.raises(DataError, match="no province with code '99'"):
        bundled_units("commune", "99")


# ----------------------------------------------------------------------------- validation


def test_good_table_loads_sorted_and_typed():
    table = load_units(FIX / "good.csv")
    assert list(table.codes) == ["A", "B", "C"]
    assert table.frame["population"].dtype == float
    assert table.frame.set_index("code").loc["A", "merged"] == "yes"
    assert not table.illustrative


@pytest.mark.parametrize(
    ("fixture", "level", "fragments"),
    [
        (
            "negative_population.csv",
            "province",
            ["negative_population.csv", "line 3", "unit B", "'population'", "≥ 0", "-12"],
        ),
        (
            "missing_population.csv",
            "province",
            ["line 3", "unit B", "'population'", "value is missing", "required"],
        ),
        ("duplicate_codes.csv", "province", ["code 'A' appears on lines 2, 3", "unique"]),
        (
            "unknown_parent.csv",
            "commune",
            ["line 3", "unit 00002", "'parent'", "unknown province '99'"],
        ),
        (
            "predecessor_twice.csv",
            "province",
            ["unit B", "'Old2' is already a predecessor of unit A", "only one new unit"],
        ),
        (
            "missing_column.csv",
            "province",
            ["missing required column 'population'", "did you mean", "populaton"],
        ),
        (
            "text_in_number.csv",
            "province",
            [
                "line 2",
                "unit A",
                "'baseline'",
                "'500,000' is not a number",
                "no thousands separators",
            ],
        ),
        (
            "retention_percent.csv",
            "province",
            ["'retention'", "≤ 1", "got 85", "fraction between 0 and 1, not a percent"],
        ),
    ],
)
def test_each_broken_table_is_refused_with_an_actionable_message(fixture, level, fragments):
    with pytest.raises(DataError) as err:
        load_units(FIX / fixture, level)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_all_problems_are_listed_at_once(tmp_path):
    bad = tmp_path / "many.csv"
    bad.write_text(
        "code,name,region,population,area_km2,baseline,own_revenue,retention\n"
        "A,Alpha,North,-1,1000,500000,2000000,1.0\n"
        "B,Beta,South,2000000,-5,300000,5000000,2\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_units(bad)
    message = str(err.value)
    assert "3 problem(s)" in message
    assert "'population'" in message and "'area_km2'" in message and "'retention'" in message


def test_missing_file_and_wrong_type():
    with pytest.raises(DataError, match="no such file"):
        load_units(FIX / "absent.csv")
    with pytest.raises(DataError, match=r"unsupported file type '\.py'; use \.csv or \.xlsx"):
        load_units(Path(__file__))
    with pytest.raises(DataError, match="unsupported file type"):
        load_units("units.txt", data=b"code\n")


# ----------------------------------------------------------------------------- templates


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_empty_template_has_every_schema_column(tmp_path, fmt):
    path = write_template(tmp_path / f"t.{fmt}", "province")
    if fmt == "csv":
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads it as UTF-8
        header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["units", "README"]
        header = [c.value for c in wb["units"][1]]
    assert header[:2] == ["code", "name"]
    assert {"population", "baseline", "own_revenue", "retention", "estimated"} <= set(header)
    # an empty template is refused on load back with a clear message
    with pytest.raises(DataError, match="no units"):
        load_units(path)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_prefilled_template_loads_back_to_the_same_figures(tmp_path, fmt):
    path = write_template(tmp_path / f"t.{fmt}", "province", prefilled=True)
    table = load_units(path)
    original = bundled_units("province").frame.set_index("code")
    back = table.frame.set_index("code")
    for col in ("population", "area_km2", "baseline", "own_revenue"):
        np.testing.assert_allclose(back[col], original.loc[back.index, col], rtol=1e-12)
    assert table.illustrative  # the 'estimated' flags travel with the figures


def test_commune_template_for_one_province(tmp_path):
    data = template_bytes("xlsx", "commune", prefilled=True, province="08")
    table = load_units("t.xlsx", "commune", data=data)
    assert len(table) == 124
    assert set(table.frame["parent"]) == {"08"}


def test_user_figures_replace_the_bundled_ones(tmp_path):
    """A finance officer edits the pre-filled template and solves with it."""
    import fiscal

    frame = pd.read_csv(
        io.BytesIO(template_bytes("csv", "province", prefilled=True)),
        dtype=str,
        keep_default_na=False,
    )
    frame.loc[frame["code"] == "08", "baseline"] = "8000000"
    frame["estimated"] = ""
    path = tmp_path / "mine.csv"
    frame.to_csv(path, index=False)
    table = load_units(path)
    assert not table.illustrative
    result = fiscal.run("national-2026-baseline.toml", units=table)
    row = result.table.set_index("code").loc["08"]
    assert row["baseline"] == 8_000_000
    assert row["allocation"] >= 8_000_000  # the hold-harmless floor follows the new baseline
    assert result.table["allocation"].sum() == 238_421_000


def test_shipped_norms_use_the_calibrated_rates():
    from fiscal.scenario import load_scenario

    root = Path(__file__).resolve().parent.parent / "fiscal" / "scenarios"
    s = load_scenario(root / "commune-08-tuyen-quang.toml")
    rates = {c.indicator: c.rate for c in s.need.criteria}
    assert rates == calibrate.need_rates()
    cal = calibrate.calibration()["need"]
    assert s.need.other_markup == cal["other_markup"]
    assert s.need.criteria[0].coefficients == cal["region_coefficients"]
    norms = load_scenario(root / "national-2026-new-norms.toml")
    assert {c.indicator: c.rate for c in norms.need.criteria}["population"] == rates["population"]


def test_revenue_kinds_must_add_up_to_revenue_on_territory(tmp_path):
    frame = bundled_units("province").frame.drop(columns=["regions"])
    frame.loc[frame["code"] == "33", "revenue_local"] += 5
    frame.loc[frame["code"] == "96", "own_revenue"] -= 7
    path = tmp_path / "units.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_units(path)
    text = str(err.value)
    assert "(unit 33): the revenue kinds" in text and "they must add up" in text
    assert (
        "(unit 96): own_revenue is 5,146,743 but revenue_local + revenue_shared (B + C) is 5,146,750"
        in text
    )


def test_the_prefilled_template_carries_the_abc_columns():
    data = template_bytes("csv", "province", prefilled=True)
    frame = pd.read_csv(io.BytesIO(data), dtype={"code": str})
    assert {"revenue_on_territory", "revenue_shared", "spending_need", "sharing_rate"} <= set(
        frame.columns
    )
    assert frame.set_index("code").loc["33", "revenue_on_territory"] == 84_250_000


def test_the_data_hash_is_the_csvs_sha256_written_once_per_content(monkeypatch):
    """The provenance's data hash is the SHA-256 of the table's CSV; a table with the same
    content is not written out again, one that differs in a cell, a missing value or a dtype
    is."""
    import dataclasses
    import hashlib

    from fiscal import data as data_module

    table = bundled_units("commune", "08")
    csv = table.frame.to_csv(index=False).encode("utf-8")
    data_module._HASHES.clear()
    written = []
    original = pd.DataFrame.to_csv

    def counted(self, *args, **kwargs):
        written.append(len(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", counted)
    assert table.data_hash() == hashlib.sha256(csv).hexdigest()
    again = bundled_units("commune", "08")  # another frame, the same content
    assert again.data_hash() == table.data_hash() and len(written) == 1
    frame = table.frame.copy()
    frame.loc[3, "population"] += 1
    changed = dataclasses.replace(table, frame=frame)
    assert changed.data_hash() != table.data_hash() and len(written) == 2
    text = pd.DataFrame({"code": ["a", "b"], "note": ["None", "x"]}, dtype=object)
    missing = pd.DataFrame({"code": ["a", "b"], "note": [None, "x"]}, dtype=object)
    as_float = pd.DataFrame({"code": ["a", "b"], "note": [1.0, 2.0]})
    as_int = pd.DataFrame({"code": ["a", "b"], "note": [1, 2]})
    hashes = {
        dataclasses.replace(table, frame=f).data_hash() for f in (text, missing, as_float, as_int)
    }
    assert len(hashes) == 4 and len(written) == 6
