"""The bad-input catalogue (issue #7, point 2): one broken file per error mode, message asserted.

The files live in tests/fixtures/bad/ (written by tests/fixtures/make_fixtures.py); their
expected error class and message fragment in tests/fixtures/bad/expected.toml. Every broken
input must raise that FiscalError subclass (never another exception), name the file it came
from, and say what is wrong.
"""

from __future__ import annotations

import io
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from reliability_helpers import frame_from_rows

import fiscal.errors
from fiscal.data import MAX_FILE_BYTES, MAX_XLSX_UNPACKED, load_units, read_table
from fiscal.errors import DataError, FiscalError, ScenarioError
from fiscal.pipeline import run
from fiscal.scenario import MAX_SCENARIO_BYTES, load_scenario, parse_scenario

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
EXPECTED: dict[str, dict[str, str]] = tomllib.loads((BAD / "expected.toml").read_text("utf-8"))
NOT_CASES = {"expected.toml", "README.md", "data"}


def _attempt(name: str, case: dict[str, str]) -> None:
    path = BAD / name
    if case["stage"] == "units":
        load_units(path, case.get("level", "province"))
    elif case["stage"] == "scenario":
        load_scenario(path)
    else:
        run(load_scenario(path))


def test_catalogue_lists_every_fixture() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.name not in NOT_CASES}
    assert on_disk == set(EXPECTED), (
        f"files without an expectation: {sorted(on_disk - set(EXPECTED))}; "
        f"expectations without a file: {sorted(set(EXPECTED) - on_disk)}"
    )


def test_fixtures_are_what_the_script_writes() -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(FIXTURES))
    written = make_fixtures.fixtures()
    differ = [name for name, body in written.items() if (BAD / name).read_bytes() != body]
    assert differ == [], f"run tests/fixtures/make_fixtures.py: {differ} differ"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_is_refused_with_a_clear_message(name: str) -> None:
    case = EXPECTED[name]
    error = getattr(fiscal.errors, case["error"])
    with pytest.raises(FiscalError) as info:
        _attempt(name, case)
    assert type(info.value) is error, f"{name}: {type(info.value).__name__}: {info.value}"
    message = str(info.value)
    assert case["message"] in message
    if case["error"] != "InfeasibleError":  # infeasibility names the scenario, not the file
        stem = name.split(".")[0]
        assert stem in message or case["stage"] == "run" and "broken-units" in message, (
            f"the message does not say which file: {message}"
        )
    assert "Traceback" not in message


# ----------------------------------------------------------------------------- size limits
# (generated here rather than committed: they are large by construction)


def test_oversized_unit_table_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is really written
    with pytest.raises(
        DataError, match=r"huge\.csv: file is 20,971,521 bytes \(20\.0 MB\), above the 20 MB limit"
    ):
        load_units(path)


def test_oversized_upload_is_refused() -> None:
    data = b"code,name\n" + b"x" * MAX_FILE_BYTES
    with pytest.raises(DataError, match=r"upload\.xlsx: file is .* above the 20 MB limit"):
        read_table("upload.xlsx", data=data)


def test_unit_table_at_the_limit_is_read() -> None:
    rows = b"01,Alpha,North,1000,10,250,50,0.5\n"
    header = b"code,name,region,population,area_km2,baseline,own_revenue,retention\n"
    padding = b" " * (MAX_FILE_BYTES - len(header) - len(rows))
    data = header + rows + padding
    assert len(data) == MAX_FILE_BYTES
    assert len(load_units("at-limit.csv", data=data)) == 1


def test_zip_limit_counts_unpacked_bytes() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.bin", bytes(MAX_XLSX_UNPACKED // 2 + 1))
        z.writestr("b.bin", bytes(MAX_XLSX_UNPACKED // 2 + 1))
    assert len(out.getvalue()) < MAX_FILE_BYTES
    with pytest.raises(DataError, match="unpacks to 100 MB, above the 100 MB limit"):
        load_units("two-halves.xlsx", data=out.getvalue())


def test_oversized_scenario_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * MAX_SCENARIO_BYTES + b"\n")
    with pytest.raises(
        ScenarioError, match=r"big\.toml: 1,000,003 bytes is too large for a scenario file"
    ):
        load_scenario(path)


def test_oversized_scenario_upload_is_refused() -> None:
    with pytest.raises(
        ScenarioError, match=r"upload\.toml: .* bytes is too large for a scenario file"
    ):
        parse_scenario("#" * (MAX_SCENARIO_BYTES + 1), source="upload.toml")


# ----------------------------------------------------------------------------- more shapes


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("nan", "value is missing ('nan' counts as missing)"),
        ("NULL", "value is missing ('NULL' counts as missing)"),
        ("-inf", "-inf is not a finite number"),
        ("1e400", "1e400 is not a finite number"),
        ("0x1F", "'0x1F' is not a number"),
        ("12,5", "'12,5' is not a number"),
        ("-0.5", "must be ≥ 0 (got -0.5)"),
        ("1e13", "must be ≤ 1e+12 (got 1e+13)"),
    ],
)
def test_bad_amounts_in_memory(cell: str, fragment: str) -> None:
    """The same checks on a frame handed over directly (the app's path)."""
    from fiscal.data import validate_units

    frame = frame_from_rows([["01", "Alpha", "North", 1000, 10, cell, 50, 0.5]])
    with pytest.raises(DataError) as info:
        validate_units(frame, "edited table")
    assert "edited table, row 2 (unit 01), column 'baseline'" in str(info.value)
    assert fragment in str(info.value)


def test_every_problem_is_listed_not_just_the_first() -> None:
    from fiscal.data import validate_units

    frame = frame_from_rows(
        [["01", "A", "N", -1, 10, 250, 50, 2.0], ["01", "B", "N", 100, "x", 250, 50, 0.5]]
    )
    with pytest.raises(DataError) as info:
        validate_units(frame, "t.csv")
    text = str(info.value)
    assert text.startswith("t.csv: 4 problem(s) in the unit table")
    for fragment in (
        "column 'population': must be ≥ 0",
        "column 'retention': must be ≤ 1",
        "column 'area_km2': 'x' is not a number",
        "code '01' appears on rows 2, 3",
    ):
        assert fragment in text
