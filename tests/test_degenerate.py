"""Degenerate unit tables, refused or handled by a stated rule (issue 16, point 2).

Before: a province with population 0 passed validate and solve (per-capita null and a numpy
RuntimeWarning); two units with one name and different codes passed silently; a merged
province listed without eliminated_provinces got no merger support. Each case below is
refused with the file, row and column, or handled by the rule its test names (the rules are
listed in docs/reliability.md).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from reliability_helpers import frame_from_rows, scenario_data, units_from_frame

import fiscal
from fiscal.data import load_units, validate_units
from fiscal.errors import DataError, ModelError
from fiscal.scenario import scenario_from_dict

HEADER = "code,name,region,population,area_km2,baseline,own_revenue,retention"


def table(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def refused(path: Path, level: str = "province") -> str:
    with pytest.raises(DataError) as info:
        load_units(path, level)
    return str(info.value)


# ----------------------------------------------------------------------------- population


def test_zero_population_is_refused_with_file_line_and_column(tmp_path: Path) -> None:
    text = refused(table(tmp_path, "01,A,North,1000,10,250,50,0.5", "02,B,North,0,10,250,50,0.5"))
    assert "t.csv, line 3 (unit 02), column 'population': must be above 0 (got 0)" in text
    assert "resources per person and per-capita rules divide by it" in text


@pytest.mark.parametrize("cell", ["", "nan", "NULL"])
def test_missing_population_is_refused(tmp_path: Path, cell: str) -> None:
    text = refused(
        table(tmp_path, "01,A,North,1000,10,250,50,0.5", f"02,B,North,{cell},10,250,50,0.5")
    )
    assert "t.csv, line 3 (unit 02), column 'population': value is missing" in text


def test_zero_population_in_an_edited_table_is_refused() -> None:
    frame = frame_from_rows([["01", "A", "North", "0.0", 10, 250, 50, 0.5]])
    with pytest.raises(
        DataError, match=r"edited, row 2 \(unit 01\), column 'population': must be above 0"
    ):
        validate_units(frame, "edited")


def test_smallest_population_solves_without_a_warning() -> None:
    units = units_from_frame(
        frame_from_rows(
            [
                ["01", "A", "North", 1, 10, 250, 50, 0.5],
                ["02", "B", "North", 2000, 20, 300, 60, 0.4],
            ]
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fiscal.run(
            scenario_from_dict(
                scenario_data(constraints=[{"kind": "per_capita_min", "amount": 0.01}])
            ),
            units=units,
        )
    assert result.table["per_capita"].notna().all()


# ----------------------------------------------------------------------------- need


def test_zero_need_names_the_file_the_row_and_the_columns(tmp_path: Path) -> None:
    path = table(
        tmp_path, "01,A,North,1000,10,250,50,0.5", "02,B,North,2000,0,300,60,0.4", name="units.csv"
    )
    scen = tmp_path / "area.toml"
    scen.write_text(
        '[scenario]\nname = "area only"\ndataset = "units.csv"\n[envelope]\n'
        'total = 1000\n[need]\n[[need.criteria]]\nindicator = "area_km2"\nrate = 0.1\n',
        encoding="utf-8",
    )
    assert path.is_file()
    with pytest.raises(ModelError) as info:
        fiscal.run(scen)
    text = str(info.value)
    assert text.startswith("area.toml: units.csv, line 3 (unit 02): assessed need is 0")
    assert "column 'area_km2' 0 × rate 0.1" in text and "leave the unit out" in text


def test_zero_need_from_a_zero_coefficient_says_so() -> None:
    units = units_from_frame(
        frame_from_rows(
            [
                ["01", "A", "North", 1000, 10, 250, 50, 0.5],
                ["02", "B", "South", 2000, 20, 300, 60, 0.4],
            ]
        )
    )
    scen = scenario_from_dict(
        scenario_data(
            need={
                "criteria": [
                    {"indicator": "population", "rate": 0.1, "coefficients": {"South": 0.0}}
                ]
            }
        )
    )
    with pytest.raises(
        ModelError,
        match=r"generated.csv, unit 02: assessed need is 0 \(column "
        r"'population' 2000 × rate 0.1 × coefficient 0 \(region 'South'\) "
        r"for unit 02\)",
    ):
        fiscal.run(scen, units=units)


# ----------------------------------------------------------------------------- names


def test_one_name_for_two_codes_in_a_province_table_is_refused(tmp_path: Path) -> None:
    text = refused(
        table(
            tmp_path,
            "01,Hà Nội,North,1000,10,250,50,0.5",
            "02,Hải Phòng,North,1000,10,250,50,0.5",
            "03,Hà Nội,North,2000,20,300,60,0.4",
        )
    )
    assert "t.csv, lines 2 and 4, column 'name': units 01 and 03 are both named 'Hà Nội'" in text
    assert "entered twice or a wrong name" in text


def test_names_differing_only_in_case_or_spacing_count_as_one(tmp_path: Path) -> None:
    text = refused(
        table(
            tmp_path,
            "01,Xã Tân Lập,North,1000,10,250,50,0.5",
            "02,xã  tân lập,North,2000,20,300,60,0.4",
        )
    )
    assert "'Xã Tân Lập' and 'xã  tân lập' (differing only in case, width or spacing)" in text


def test_names_differing_in_a_diacritic_are_two_units(tmp_path: Path) -> None:
    """Thái Nguyên has both a 'Xã Văn Lang' and a 'Xã Văn Lăng' (bundled data)."""
    path = table(
        tmp_path,
        "01,Xã Văn Lang,North,1000,10,250,50,0.5",
        "02,Xã Văn Lăng,North,2000,20,300,60,0.4",
    )
    assert len(load_units(path)) == 2


COMMUNE = HEADER + ",parent"


def test_communes_of_different_provinces_may_share_a_name(tmp_path: Path) -> None:
    path = table(
        tmp_path,
        "00001,Xã Tân Lập,North,1000,10,250,50,0.5,08",
        "00002,Xã Tân Lập,North,2000,20,300,60,0.4,68",
        header=COMMUNE,
    )
    assert len(load_units(path, "commune")) == 2


def test_communes_of_one_province_may_not(tmp_path: Path) -> None:
    text = refused(
        table(
            tmp_path,
            "00001,Xã Tân Lập,North,1000,10,250,50,0.5,08",
            "00002,Xã Tân Lập,North,2000,20,300,60,0.4,08",
            header=COMMUNE,
        ),
        "commune",
    )
    assert (
        "lines 2 and 3, column 'name': units 00001 and 00002 of province '08' are both named "
        "'Xã Tân Lập'"
    ) in text


def test_the_bundled_communes_pass_the_name_rule() -> None:
    frame = fiscal.bundled_units("commune").frame
    assert frame.duplicated(["parent", "name"]).sum() == 0
    assert frame["name"].duplicated().sum() > 300  # shared across provinces: allowed


# ----------------------------------------------------------------------------- predecessors

PRED = HEADER + ",predecessors"


def test_units_without_predecessors_are_not_merged(tmp_path: Path) -> None:
    """Rule: no predecessors listed = not known; merged only if eliminated_provinces > 0."""
    frame = load_units(
        table(
            tmp_path,
            "01,A,North,1000,10,250,50,0.5,",
            "02,B,North,2000,20,300,60,0.4,Cao Bằng",
            header=PRED,
        )
    ).frame
    assert frame["merged"].tolist() == ["no", "no"]
    assert frame["eliminated_provinces"].tolist() == [0.0, 0.0]
    elim = load_units(
        table(
            tmp_path,
            "01,A,North,1000,10,250,50,0.5,2",
            header=HEADER + ",eliminated_provinces",
            name="e.csv",
        )
    ).frame
    assert elim["merged"].tolist() == ["yes"]


def test_eliminated_provinces_is_derived_from_the_predecessors(tmp_path: Path) -> None:
    frame = load_units(
        table(
            tmp_path,
            "08,Tuyên Quang,North,1000,10,250,50,0.5,Hà Giang;Tuyên Quang",
            "68,Lâm Đồng,South,2000,20,300,60,0.4,Bình Thuận;Đắk Nông;Lâm Đồng",
            header=PRED,
        )
    ).frame
    assert frame["eliminated_provinces"].tolist() == [1.0, 2.0]
    assert frame["merged"].tolist() == ["yes", "yes"]


def test_a_merged_unit_without_eliminated_provinces_gets_its_merger_support(tmp_path: Path) -> None:
    """Before: eliminated_provinces defaulted to 0, so the merged unit got no support."""
    table(
        tmp_path,
        "08,Tuyên Quang,North,1000,10,250,50,0.5,Hà Giang;Tuyên Quang",
        "11,Điện Biên,North,2000,20,300,60,0.4,Điện Biên",
        header=PRED,
        name="units.csv",
    )
    scen = tmp_path / "support.toml"
    scen.write_text(
        '[scenario]\nname = "support"\ndataset = "units.csv"\n[envelope]\n'
        'total = 1000\n[need]\n[[need.criteria]]\nindicator = "population"\nrate = 0.1\n'
        '[[constraints]]\nkind = "merger_support"\nper_province = 100\n',
        encoding="utf-8",
    )
    table_ = fiscal.run(scen).table.set_index("code")
    assert table_.loc["08", "merger_support"] == 100 and table_.loc["11", "merger_support"] == 0


def test_a_count_that_contradicts_the_predecessors_is_refused(tmp_path: Path) -> None:
    text = refused(
        table(
            tmp_path,
            "08,Tuyên Quang,North,1000,10,250,50,0.5,Hà Giang;Tuyên Quang,2",
            header=PRED + ",eliminated_provinces",
        )
    )
    assert (
        "t.csv, line 2 (unit 08), column 'eliminated_provinces': 2 does not match the 2 "
        "predecessor(s) listed (expected 1)"
    ) in text


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Ha Giang", "Hà Giang"),
        ("hà giang", "Hà Giang"),
        ("Bà Rịa -  Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ],
)
def test_a_misspelt_predecessor_is_refused_with_the_official_spelling(
    tmp_path: Path, written: str, meant: str
) -> None:
    text = refused(
        table(
            tmp_path, f"08,Tuyên Quang,North,1000,10,250,50,0.5,{written};Tuyên Quang", header=PRED
        )
    )
    assert (
        f"t.csv, line 2 (unit 08), column 'predecessors': '{written}' is spelt differently "
        f"from the province '{meant}'"
    ) in text


def test_predecessors_of_ones_own_are_accepted_as_written(tmp_path: Path) -> None:
    """A what-if may merge units that are not provinces; only near-misses are refused."""
    frame = load_units(
        table(tmp_path, "A,Alpha,North,1000,10,250,50,0.5,Old 1;Old 2", header=PRED)
    ).frame
    assert frame["predecessors"].iat[0] == "Old 1;Old 2" and frame["merged"].iat[0] == "yes"


def test_the_bundled_provinces_pass_the_predecessor_rules() -> None:
    frame = fiscal.bundled_units("province").frame
    typed = validate_units(frame.drop(columns="merged"), "bundled", "province")
    assert (
        typed["eliminated_provinces"].tolist()
        == frame["eliminated_provinces"].astype(float).tolist()
    )
    assert typed["merged"].tolist() == frame["merged"].tolist()


def test_missing_cells_of_an_edited_table_are_empty_cells() -> None:
    """The app's table editor gives None and NaN where a file has an empty cell."""
    frame = pd.DataFrame(
        {
            "code": ["01", "02"],
            "name": ["A", "B"],
            "region": ["N", "N"],
            "population": [1000.0, 2000.0],
            "area_km2": [10.0, 20.0],
            "baseline": [250.0, 300.0],
            "own_revenue": [50.0, 60.0],
            "retention": [0.5, 0.4],
            "predecessors": [None, "Cao Bằng"],
            "communes": [float("nan"), 3.0],
        }
    )
    typed = validate_units(frame, "edited")
    assert typed["predecessors"].tolist() == ["", "Cao Bằng"] and typed["communes"].tolist() == [
        0.0,
        3.0,
    ]
    frame.loc[1, "population"] = float("nan")
    with pytest.raises(
        DataError, match=r"row 3 \(unit 02\), column 'population': value is missing"
    ):
        validate_units(frame, "edited")


def test_a_province_taken_from_a_commune_file_keeps_the_file_rows(tmp_path: Path) -> None:
    table(
        tmp_path,
        "00001,Xã A,North,1000,10,250,50,0.5,04",
        "00002,Xã B,North,2000,0,300,60,0.4,08",
        "00003,Xã C,North,1500,15,200,40,0.5,08",
        header=COMMUNE,
        name="communes.csv",
    )
    scen = tmp_path / "c.toml"
    scen.write_text(
        '[scenario]\nname = "c"\nlevel = "commune"\nprovince = "08"\n'
        'dataset = "communes.csv"\n[envelope]\ntotal = 1000\n[need]\n'
        '[[need.criteria]]\nindicator = "area_km2"\nrate = 0.1\n',
        encoding="utf-8",
    )
    with pytest.raises(
        ModelError, match=r"communes.csv, line 3 \(unit 00002\): assessed need is 0"
    ):
        fiscal.run(scen)
