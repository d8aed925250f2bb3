"""One text form at every boundary, and no control characters on the terminal (issue 16, points 1
and "hostile text").

Vietnamese typed decomposed (NFD, as some Mac and web tools produce) is not the same string as
the composed form (NFC) of the bundled data: before the fix, a commune table whose type column
said ``xã`` in NFD silently lost the ``xã`` coefficient for 104 of Lâm Đồng's 124 communes
(objective −0.1344 → −0.1596) while ``fiscal validate`` said ok; coefficient keys in NFD did the
same. Unit names with terminal escape sequences were printed raw by ``fiscal solve``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from reliability_helpers import UNIT_COLUMNS, frame_from_rows, scenario_data, units_from_frame

import fiscal
from fiscal import cli
from fiscal.data import bundled_units, load_units, template_bytes
from fiscal.errors import DataError, FiscalError, ModelError, ScenarioError
from fiscal.prose import solve_summary
from fiscal.scenario import bundled_scenarios_dir, load_scenario, parse_scenario, scenario_from_dict
from fiscal.textform import clean, clean_data, fold, for_terminal, path_forms

ROOT = Path(__file__).resolve().parent.parent
LAM_DONG = bundled_scenarios_dir() / "commune-68-lam-dong-sectors.toml"
NFD = "NFD"


def nfd(text: str) -> str:
    return unicodedata.normalize(NFD, text)


def controls(text: str) -> list[str]:
    """Characters a terminal would act on (all of Cc but LF and TAB, all of Cf, Zl, Zp)."""
    return [
        ch
        for ch in text
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
    ]


# ----------------------------------------------------------------------------- the text form


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (nfd("xã"), "xã"),
        (nfd("Đặc khu Phú Quốc"), "Đặc khu Phú Quốc"),
        ("e\u0323\u0302", "ệ"),  # marks in the other canonical order
        ("x\u200bã", "xã"),  # zero-width space
        ("\ufeffHà Nội", "Hà Nội"),  # a byte-order mark pasted in
        ("Hà\u00a0Nội", "Hà Nội"),  # no-break space
        ("\x1b[31mHà Nội\x1b[0m", "Hà Nội"),  # an ANSI colour, removed whole
        ("\x1b]0;owned\x07Hà Nội", "Hà Nội"),  # an OSC title sequence
        ("Hà\rNội", "Hà Nội"),
        ("Hà\r\nNội", "Hà Nội"),
        ("Hà\tNội", "Hà Nội"),
        ("Hà\x07\x08\x7fNội", "HàNội"),
        ("Hà\x85Nội", "Hà Nội"),  # NEL, a C1 line break
        ("\u202eHà Nội\u202c", "Hà Nội"),  # a bidi override
        ("\u2066Hà Nội\u2069", "Hà Nội"),  # bidi isolates
        ("ｘã", "ｘã"),  # a compatibility form is left as typed (fold finds it)
        ("plain ascii", "plain ascii"),
    ],
)
def test_clean_gives_the_one_text_form(raw: str, expected: str) -> None:
    assert clean(raw) == expected
    assert clean(clean(raw)) == clean(raw)


def test_free_text_keeps_its_line_breaks() -> None:
    assert clean("first\r\nsecond\rthird\u2028fourth\tend", multiline=True) == (
        "first\nsecond\nthird\nfourth\tend"
    )


def test_fold_finds_lookalikes_but_not_other_words() -> None:
    assert fold("Xã  Tân Lập") == fold("xa tan lap") == fold("ｘã tân lập")
    assert fold("Đặc khu") == fold("dac khu")
    assert fold("xã") != fold("phường")


def test_keys_that_become_one_are_refused() -> None:
    with pytest.raises(
        ValueError,
        match=r"keys 'xã' and 'xa\\u0303' in need.criteria\[0\].coefficients "
        r"are the same text 'xã' written in two Unicode forms",
    ):
        clean_data({"need": {"criteria": [{"coefficients": {"xã": 1.0, nfd("xã"): 1.2}}]}})


def test_path_forms_try_the_name_as_typed_first() -> None:
    forms = path_forms(nfd("dữ liệu.csv"))
    assert [str(p) for p in forms] == [nfd("dữ liệu.csv"), "dữ liệu.csv"]


# ----------------------------------------------------------------------------- the issue's case


@pytest.fixture(scope="module")
def lam_dong_table() -> bytes:
    """Lâm Đồng's 124 communes as the pre-filled template gives them (CSV)."""
    return template_bytes("csv", "commune", prefilled=True, province="68")


def _rewrite(data: bytes, column: str, form: str) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    j = rows[0].index(column)
    for row in rows[1:]:
        row[j] = unicodedata.normalize(form, row[j])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _scenario_with_dataset(folder: Path, table: bytes, name: str = "c68.csv") -> Path:
    (folder / name).write_bytes(table)
    path = folder / "lam-dong.toml"
    path.write_text(
        f'[scenario]\nname = "Lâm Đồng"\nextends = "{LAM_DONG}"\ndataset = "{name}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def lam_dong_nfc(lam_dong_table: bytes, tmp_path_factory: pytest.TempPathFactory) -> fiscal.Result:
    folder = tmp_path_factory.mktemp("nfc")
    return fiscal.run(_scenario_with_dataset(folder, lam_dong_table))


def test_the_issue_case_reproduces_with_the_composed_table(lam_dong_nfc: fiscal.Result) -> None:
    assert round(lam_dong_nfc.objective, 4) == 0.2273  # the golden commune-68 objective
    types = lam_dong_nfc.problem.frame["type"].value_counts().to_dict()
    assert types == {"xã": 103, "phường": 20, "đặc khu": 1}  # 104 with a coefficient ≠ 1


def test_a_decomposed_type_column_keeps_its_coefficients(
    lam_dong_table: bytes, tmp_path: Path, lam_dong_nfc: fiscal.Result
) -> None:
    table = _rewrite(lam_dong_table, "type", NFD)
    assert nfd("xã").encode() in table and "xã".encode() not in table
    result = fiscal.run(_scenario_with_dataset(tmp_path, table))
    assert result.objective == lam_dong_nfc.objective  # before the fix 104 communes lost 'xã'
    assert result.table["allocation"].tolist() == lam_dong_nfc.table["allocation"].tolist()


def test_decomposed_coefficient_keys_match(lam_dong_nfc: fiscal.Result) -> None:
    text = load_scenario(LAM_DONG).to_toml()
    for key in ("xã", "phường", "đặc khu"):
        text = text.replace(f'"{key}" =', f'"{nfd(key)}" =')
    assert nfd("xã") in text
    scen = parse_scenario(text.encode("utf-8"), source="nfd-keys.toml", base=LAM_DONG.parent)
    coefficients = scen.need.criteria[0].coefficients
    assert {"xã": 1.03, "phường": 1.0, "đặc khu": 1.1}.items() <= coefficients.items()
    assert nfd("xã") not in coefficients
    assert fiscal.run(scen).objective == lam_dong_nfc.objective


def test_a_decomposed_header_and_xlsx_cells_are_read_alike(
    lam_dong_nfc: fiscal.Result, tmp_path: Path
) -> None:
    import openpyxl

    frame = bundled_units("commune", "68").frame
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "units"
    cols = [
        "code",
        "name",
        "type",
        "parent",
        "region",
        "population",
        "area_km2",
        "communes",
        "eliminated_communes",
        "baseline",
        "own_revenue",
        "retention",
        "estimated",
    ]
    ws.append([nfd(c) + "\u200b" for c in cols])
    for row in frame[cols].itertuples(index=False):
        ws.append([nfd(v) if isinstance(v, str) else v for v in row])
    wb.save(tmp_path / "c68.xlsx")
    scen = tmp_path / "x.toml"
    scen.write_text(
        f'[scenario]\nname = "x"\nextends = "{LAM_DONG}"\ndataset = "c68.xlsx"\n', encoding="utf-8"
    )
    result = fiscal.run(scen)
    assert result.objective == lam_dong_nfc.objective
    assert set(result.table["name"]) == set(lam_dong_nfc.table["name"])


def test_validate_reads_a_decomposed_table_as_the_composed_one(
    lam_dong_table: bytes, tmp_path: Path
) -> None:
    (tmp_path / "nfd.csv").write_bytes(_rewrite(lam_dong_table, "name", NFD))
    table = load_units(tmp_path / "nfd.csv", "commune")
    assert table.frame["name"].tolist() == bundled_units("commune", "68").frame["name"].tolist()


# ----------------------------------------------------------------------------- near misses


def _province_frame(regions: list[str]) -> pd.DataFrame:
    rows = [
        [f"0{i + 1}", f"Unit {i + 1}", r, 1000 * (i + 1), 10, 250, 50, 0.5]
        for i, r in enumerate(regions)
    ]
    return frame_from_rows(rows)


def _with_coefficients(coefficients: dict[str, float]) -> fiscal.Scenario:
    return scenario_from_dict(
        scenario_data(
            need={
                "criteria": [{"indicator": "population", "rate": 0.1, "coefficients": coefficients}]
            }
        ),
        "near.toml",
    )


@pytest.mark.parametrize("value", ["north", "NORTH", "Ｎorth", "Nörth", "North\u00a0 "])
def test_a_region_spelt_two_ways_in_one_table_is_refused(value: str) -> None:
    if value.strip() == "North":  # spaces around a cell are not a spelling
        units_from_frame(_province_frame(["North", value, "South"]), "near.csv")
        return
    with pytest.raises(DataError) as info:
        units_from_frame(_province_frame(["North", "North", value, "South"]), "near.csv")
    assert (
        f"near.csv, row 4 (unit 03), column 'region': '{value}' and 'North' are one value "
        "spelt two ways"
    ) in str(info.value)


@pytest.mark.parametrize("value", ["north", "NORTH", "Ｎorth", "Nörth"])
def test_a_value_that_nearly_matches_a_key_is_refused(value: str) -> None:
    units = units_from_frame(_province_frame([value, value, "South"]), "near.csv")
    with pytest.raises(ModelError) as info:
        fiscal.run(_with_coefficients({"North": 1.2}), units=units)
    text = str(info.value)
    assert f"near.csv, units 01, 02, column 'region': '{value}' has no coefficient" in text
    assert "looks like the key 'North'" in text


def test_a_where_value_spelt_two_ways_is_refused() -> None:
    frame = frame_from_rows(
        [
            ["01", "A", "N", 1000, 10, 250, 50, 0.5, "xã"],
            ["02", "B", "N", 2000, 20, 300, 60, 0.4, "xa"],
            ["03", "C", "N", 1500, 15, 200, 40, 0.5, "phường"],
        ],
        columns=[*UNIT_COLUMNS, "kind"],
    )
    units = units_from_frame(frame)
    rule = {"kind": "group_share", "min_share": 0.6, "where": {"kind": "xã"}}
    with pytest.raises(
        ModelError,
        match=r"where.kind = \['xã'\] selects units by exact text, but "
        r"\['xa'\] in the unit table look like it",
    ):
        fiscal.run(scenario_from_dict(scenario_data(constraints=[rule])), units=units)


def test_a_key_that_nearly_matches_a_value_is_refused() -> None:
    units = units_from_frame(_province_frame(["North", "North", "South"]), "near.csv")
    with pytest.raises(
        ModelError,
        match="the key 'north' matches no unit of near.csv but looks like its value 'North'",
    ):
        fiscal.run(_with_coefficients({"North": 1.2, "north": 1.3}), units=units)


def test_keys_that_match_nothing_else_are_accepted() -> None:
    """A national key list used for one province's communes names regions it does not have."""
    units = units_from_frame(_province_frame(["North", "North", "South"]), "near.csv")
    with_other = fiscal.run(
        _with_coefficients({"North": 1.2, "Mekong River Delta": 1.15}), units=units
    )
    plain = fiscal.run(_with_coefficients({"North": 1.2}), units=units)
    assert with_other.table["allocation"].tolist() == plain.table["allocation"].tolist()


def test_where_values_and_unit_codes_in_another_form_select_the_same_units() -> None:
    frame = frame_from_rows(
        [
            ["01", "A", "Đồng bằng", 1000, 10, 250, 50, 0.5],
            ["02", "B", "Miền núi", 2000, 20, 300, 60, 0.4],
            ["03", "C", "Miền núi", 1500, 15, 200, 40, 0.5],
        ]
    )
    units = units_from_frame(frame)
    rule = {"kind": "group_share", "min_share": 0.6, "where": {"region": "Miền núi"}}
    same = dict(rule, where={"region": nfd("Miền\u200b núi")})
    a = fiscal.run(scenario_from_dict(scenario_data(constraints=[rule])), units=units)
    b = fiscal.run(scenario_from_dict(scenario_data(constraints=[same])), units=units)
    assert a.table["allocation"].tolist() == b.table["allocation"].tolist()


# ----------------------------------------------------------------------------- other entries


def test_cli_arguments_are_put_in_the_one_text_form() -> None:
    args = cli._clean_args(
        cli.build_parser().parse_args(["explain", nfd("tệp.toml"), "--unit", "\u200b08\x1b[0m"])
    )
    assert args.unit == "08"
    assert args.file == nfd("tệp.toml")  # a file name is kept as typed (path_forms)
    args = cli._clean_args(
        cli.build_parser().parse_args(["compare", "a.toml", "b.toml", "--labels", nfd("Cũ,Mới")])
    )
    assert args.labels == "Cũ,Mới"


def test_a_decomposed_file_name_finds_the_composed_file(tmp_path: Path) -> None:
    path = tmp_path / "kịch bản.toml"
    path.write_text(f'[scenario]\nname = "x"\nextends = "{LAM_DONG}"\n', encoding="utf-8")
    assert load_scenario(tmp_path / nfd("kịch bản.toml")).name == "x"
    (tmp_path / "bảng.csv").write_text(
        "code,name,region,population,area_km2,baseline,own_revenue,retention\n01,A,N,1,1,1,1,1\n",
        "utf-8",
    )
    assert len(load_units(tmp_path / nfd("bảng.csv"))) == 1


def test_shared_link_edits_are_put_in_the_one_text_form() -> None:
    from fiscal_app import edits

    base = load_scenario("national-2026-baseline").to_dict()
    encoded = edits.encode_edits(
        {"scenario.name": "Kịch bản\x1b[2J", "constraints.hold\u200b-harmless.ratio": 0.95}
    )
    restored = edits.restore(base, edits.decode_edits(encoded))
    assert restored.name == "Kịch bản"
    floor = next(c for c in restored.constraints if c.name == "hold-harmless")
    assert floor.ratio == 0.95


def test_a_scenario_value_with_controls_is_cleaned_and_a_description_keeps_its_lines() -> None:
    scen = parse_scenario(
        '[scenario]\nname = "A\\u001b[31mB\\u0007"\ndescription = """one\r\ntwo"""\n'
        '[envelope]\ntotal = 1000\n[need]\n[[need.criteria]]\nindicator = "population"\nrate = 0.1\n',
        source="ctl.toml",
    )
    assert scen.name == "AB"
    assert scen.scenario.description == "one\ntwo"


def test_uploaded_bytes_with_hostile_cells_are_cleaned() -> None:
    data = (
        "code,name,region,population,area_km2,baseline,own_revenue,retention\n"
        "01,\x1b[2JHà\u202e Nội\x07,North,1000,10,250,50,0.5\n"
    ).encode()
    table = load_units("upload.csv", data=data)
    assert table.frame["name"].iat[0] == "Hà Nội"


def test_a_formula_behind_an_invisible_character_is_still_refused() -> None:
    data = (
        "code,name,region,population,area_km2,baseline,own_revenue,retention\n"
        '01,"\u200b=HYPERLINK(""http://x"")",North,1000,10,250,50,0.5\n'
    ).encode()
    with pytest.raises(DataError, match="starts with '=' \\(a spreadsheet formula\\)"):
        load_units("upload.csv", data=data)


# ----------------------------------------------------------------------------- the terminal

HOSTILE = [
    "\x1b[31mRed\x1b[0m",
    "Bell\x07",
    "Car\rriage",
    "\u202eevil\u202c",
    "Zero\u200bwidth",
    "Back\x08space",
    "Line\u2028sep",
    "OSC\x1b]0;title\x07",
    "C1\x9bcsi",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_for_terminal_shows_controls_as_escapes(text: str) -> None:
    safe = for_terminal(text)
    assert controls(safe) == []
    assert "\\x" in safe or "\\u" in safe


def test_for_terminal_keeps_lines_tabs_and_vietnamese() -> None:
    text = "Đặc khu Phú Quốc\n\tHà Nội 238.421,5"
    assert for_terminal(text) == text


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """A unit table and two scenarios whose every text carries control characters."""
    rows = [
        ["01", "\x1b[31mRed\x1b[0m", "North", 1000, 10, 250, 50, 0.5],
        ["02", "Bell\x07 and\rCR", "North", 2000, 20, 300, 60, 0.4],
        ["03", "\u202eevil\u202c", "South", 1500, 15, 200, 40, 0.5],
        ["04", "Zero\u200bwidth\x9b2J", "South", 2500, 25, 250, 80, 0.3],
    ]
    frame = frame_from_rows(rows)
    frame.to_csv(tmp_path / "units.csv", index=False, quoting=csv.QUOTE_ALL)
    body = (
        '[envelope]\ntotal = 1000\n[need]\n[[need.criteria]]\nindicator = "population"\n'
        'rate = 0.1\n[[constraints]]\nname = "floor\\u001b[2J"\nkind = "floor"\nratio = 0.9\n'
        'description = "hold\\u0007 harmless\\u202e"\n'
    )
    for i, name in enumerate(("a", "b")):
        (tmp_path / f"{name}.toml").write_text(
            f'[scenario]\nname = "S\\u001b[5m{i}\\r"\ndataset = "units.csv"\n' + body,
            encoding="utf-8",
        )
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        ["solve", "a.toml"],
        ["explain", "a.toml", "--unit", "01"],
        ["explain", "a.toml", "--unit", "03"],
        ["compare", "a.toml", "b.toml", "--labels", "x\x1b[2J,y\x07"],
        ["validate", "a.toml", "units.csv"],
        [
            "frontier",
            "a.toml",
            "--param",
            "constraints.floor.ratio",
            "--from",
            "0.5",
            "--to",
            "0.9",
            "--steps",
            "2",
            "--no-progress",
        ],
    ],
)
def test_no_control_character_reaches_the_terminal(
    command: list[str],
    hostile_folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(hostile_folder)
    code = cli.main(command)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert controls(out) == [] and controls(err) == [], (out, err)
    assert "Red" in out or "ok" in out or "floor" in out


def test_data_that_bypasses_the_loaders_is_still_printed_safely(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A UnitTable built in code is not cleaned; the terminal writer still escapes it."""
    frame = units_from_frame(
        frame_from_rows(
            [
                ["01", "A", "North", 1000, 10, 250, 50, 0.5],
                ["02", "B", "South", 2000, 20, 300, 60, 0.4],
            ]
        )
    )
    frame.frame.loc[0, "name"] = "\x1b[31mRed\x1b[0m\x07"
    result = fiscal.run(scenario_from_dict(scenario_data()), units=frame)
    cli._out(solve_summary(result))
    out = capsys.readouterr().out
    assert controls(out) == [] and "\\x1b[31mRed" in out


@pytest.mark.parametrize("argument", ["\x1b[2Jmissing.toml", "bell\x07.toml", "\u202eelif.toml"])
def test_arguments_echoed_in_errors_are_escaped(
    argument: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["solve", argument]) == 1
    _, err = capsys.readouterr()
    assert controls(err) == [] and "no such scenario file" in err
    with pytest.raises(SystemExit):
        cli.main(["solve", "a.toml", "--backend", argument])  # argparse: invalid choice
    _, err = capsys.readouterr()
    assert controls(err) == [] and "invalid choice" in err


def test_a_terminal_writer_is_the_only_way_out() -> None:
    """Every print of the CLI goes through _out/_err (and so through for_terminal)."""
    import ast

    source = (ROOT / "fiscal" / "cli.py").read_text(encoding="utf-8")
    prints = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print"
    ]
    assert len(prints) == 2  # the ones inside _out and _err
    for node in prints:
        assert ast.unparse(node.args[0]).startswith("for_terminal(")
    assert "sys.stdout.write" not in source and "sys.stderr.write" not in source


# ----------------------------------------------------------------------------- the bundled data


def test_the_bundled_data_is_in_the_one_text_form() -> None:
    for level in ("province", "commune"):
        frame = bundled_units(level).frame
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                cells = frame[column].dropna().astype(str)
                assert (cells.map(clean) == cells).all(), (level, column)


def test_errors_are_fiscal_errors_never_value_errors() -> None:
    raw = f'[need]\n[[need.criteria]]\ncoefficients = {{ "xã" = 1.0, "{nfd("xã")}" = 1.2 }}\n'
    with pytest.raises(ScenarioError, match="dup.toml: keys 'xã' and"):
        parse_scenario(raw, source="dup.toml")
    with pytest.raises(FiscalError):
        scenario_from_dict({"scenario": {"name": "x", nfd("ñame"): 1, "ñame": 2}}, "d.toml")


def test_a_key_with_a_typo_is_refused_while_its_value_falls_to_the_default() -> None:
    units = units_from_frame(
        _province_frame(["Mekong River Delta", "Red River Delta", "Southeast"]), "typo.csv"
    )
    with pytest.raises(ModelError) as info:
        fiscal.run(
            _with_coefficients({"Mekong Rivr Delta": 1.15, "Red River Delta": 1.0}), units=units
        )
    text = str(info.value)
    assert (
        "the key 'Mekong Rivr Delta' matches no unit of typo.csv, while typo.csv, unit 01, "
        "column 'region': 'Mekong River Delta' has no key and would get default_coefficient 1"
        in text
    )


def test_distinct_real_names_are_not_taken_for_typos() -> None:
    """Only the Mekong key in a table without Mekong units: accepted (as Decision 30 writes it)."""
    units = units_from_frame(
        _province_frame(["Đồng bằng sông Hồng", "Đồng bằng sông Hồng", "Đông Nam Bộ"]), "vi.csv"
    )
    fiscal.run(_with_coefficients({"Đồng bằng sông Cửu Long": 1.15}), units=units)
    fiscal.run(
        _with_coefficients({"Mekong River Delta": 1.15}),
        units=units_from_frame(
            _province_frame(["Red River Delta", "Red River Delta", "Southeast"]), "en.csv"
        ),
    )
