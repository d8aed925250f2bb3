"""The `fiscal` command line, run as a user would (a subprocess), with its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCEN = ROOT / "fiscal" / "scenarios"


def fiscal(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fiscal.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_list_shows_scenarios_and_datasets():
    out = fiscal("list")
    assert out.returncode == 0, out.stderr
    names = [line.split()[0] for line in out.stdout.split("\n\n")[0].splitlines()[1:]]
    assert (
        names == sorted(p.stem for p in SCEN.glob("*.toml")) and "national-2026-baseline" in names
    )
    assert "INVALID" not in out.stdout
    assert "34 provincial units" in out.stdout and "3321 communes" in out.stdout


def test_shipped_scenarios_are_solved_and_validated_by_name_from_any_folder(tmp_path):
    out = fiscal("solve", "national-2026-baseline", "-o", "out.csv", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(tmp_path / "out.csv", dtype={"code": str}, comment="#")
    assert len(table) == 34 and table["allocation"].sum() == 238_421_000
    out = fiscal("validate", "national-2026-baseline", "commune-08-tuyen-quang.toml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok    national-2026-baseline: ")
    assert "ok    commune-08-tuyen-quang.toml: " in out.stdout


def test_app_refuses_an_unknown_scenario_before_starting(tmp_path):
    out = fiscal("app", "--scenario", "nowhere", cwd=tmp_path)
    assert out.returncode == 1 and "nowhere: no such scenario file" in out.stderr


def test_solve_baseline_writes_34_rows_summing_to_the_envelope(tmp_path):
    out_csv = tmp_path / "out.csv"
    out = fiscal("solve", str(SCEN / "national-2026-baseline.toml"), "-o", str(out_csv))
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(out_csv, dtype={"code": str}, comment="#")
    assert len(table) == 34
    assert table["allocation"].sum() == 238_421_000
    for col in ("code", "name", "population", "baseline", "need", "capacity", "allocation"):
        assert col in table.columns
    assert "reconciles exactly" in out.stdout
    assert "illustrative figures in use" in out.stdout


def test_solve_json_holds_objective_units_constraints_scenario_provenance(tmp_path):
    out_json = tmp_path / "out.json"
    out = fiscal("solve", str(SCEN / "national-2026-merger-support.toml"), "-o", str(out_json))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert doc["objective"]["kind"] == "shortfall_minimax" and "value" in doc["objective"]
    unit = doc["units"][0]
    for key in ("population", "baseline", "need", "capacity", "formula", "allocation", "resources"):
        assert key in unit
    names = {c["name"]: c for c in doc["constraints"]}
    assert {"envelope", "hold-harmless", "growth-cap", "merger-support"} <= set(names)
    for c in names.values():
        assert {"kind", "binding", "dual", "cost"} <= set(c)
    assert doc["scenario"]["envelope"]["total"] == 238_421_000
    assert "extends" not in doc["scenario"]["scenario"]  # fully resolved
    prov = doc["provenance"]
    assert prov["data_sha256"] and prov["versions"]["scipy"] and prov["backend"] == "highs"


def test_validate_refuses_an_unknown_key_naming_it(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[scenario]\nname = "x"\nextends = "national-2026-baseline.toml"\n[objective]\nkynd = "need_gap"\n',
        encoding="utf-8",
    )
    out = fiscal("validate", str(bad), str(SCEN / "national-2026-baseline.toml"))
    assert out.returncode == 1
    assert "unknown key 'objective.kynd'" in out.stderr
    assert "kind" in out.stderr  # the allowed keys
    assert "Traceback" not in out.stderr
    assert "ok    " in out.stdout  # the good file is still reported


def test_validate_a_unit_table(tmp_path):
    out = fiscal("validate", str(ROOT / "tests" / "fixtures" / "units" / "negative_population.csv"))
    assert out.returncode == 1
    assert "column 'population': must be ≥ 0 (got -12)" in out.stderr


def test_infeasible_scenario_exits_1_with_its_repair():
    out = fiscal("solve", str(SCEN / "national-2026-infeasible-floors.toml"))
    assert out.returncode == 1
    assert "infeasible" in out.stderr
    assert "raise the 2026 envelope by 4,133 bn VND" in out.stderr
    assert "Traceback" not in out.stderr


def test_explain_a_merged_province():
    out = fiscal("explain", str(SCEN / "national-2026-new-norms.toml"), "--unit", "68")
    assert out.returncode == 0, out.stderr
    assert "Lâm Đồng (68), 2026: merged from Bình Thuận, Đắk Nông, Lâm Đồng." in out.stdout
    assert "Waterfall (million VND):" in out.stdout
    assert "hold-harmless (floor): binding" in out.stdout


def test_template_then_validate(tmp_path):
    path = tmp_path / "mine.xlsx"
    out = fiscal("template", str(path), "--prefilled")
    assert out.returncode == 0, out.stderr
    assert fiscal("validate", str(path)).returncode == 0


@pytest.mark.parametrize(
    "args", [[], ["solve"], ["solve", "x.toml", "--backend", "gurobi"], ["frobnicate"]]
)
def test_usage_errors_exit_2(args):
    assert fiscal(*args).returncode == 2


def test_missing_file_and_bad_output_format_exit_1(tmp_path):
    out = fiscal("solve", "nowhere.toml")
    assert out.returncode == 1 and "no such scenario file" in out.stderr
    out = fiscal("solve", str(SCEN / "national-2026-baseline.toml"), "-o", str(tmp_path / "x.pdf"))
    assert out.returncode == 1 and "unknown output format '.pdf'" in out.stderr
    assert not (tmp_path / "x.pdf").exists()
