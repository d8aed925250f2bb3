"""`fiscal compare`, `fiscal frontier` and `fiscal sweep`: output, files, exit codes."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from fiscal.cli import main

BASE = "national-2026-baseline.toml"
EQUALISE = "national-2026-equalise-floor95.toml"
PER_CAPITA = "national-2026-per-capita.toml"


def test_compare_prints_winners_and_losers_and_writes_xlsx(tmp_path, capsys):
    out = tmp_path / "cmp.xlsx"
    assert main(["compare", BASE, EQUALISE, "--labels", "now,equal", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Winners and losers: equal against now (2026):" in text
    for band in ("gain > 5 %", "gain ≤ 5 %", "no change", "loss ≤ 5 %", "loss > 5 %"):
        assert band in text
    assert "constraints.hold-harmless.ratio: 1 → 0.95" in text
    assert f"wrote {out}" in text
    wb = openpyxl.load_workbook(out, data_only=True)
    assert "Winners and losers" in wb.sheetnames
    bands = [r for r in wb["Winners and losers"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert sum(r[3] for r in bands) == 34


def test_compare_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["compare", BASE])
    assert exc.value.code == 2
    capsys.readouterr()
    assert main(["compare", BASE, "national-2026-infeasible-floors.toml"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Scenario 'National 2026: INFEASIBLE demo")
    assert "Traceback" not in err


def test_frontier_table_and_csv(tmp_path, capsys):
    out = tmp_path / "f.csv"
    assert (
        main(
            [
                "frontier",
                PER_CAPITA,
                "--param",
                "constraints.hold-harmless.ratio",
                "--from",
                "0.98",
                "--to",
                "1.04",
                "--steps",
                "4",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "Frontier of constraints.hold-harmless.ratio" in text
    assert "model reused between points" in text
    assert "needs" in text and "more envelope" in text
    frame = pd.read_csv(out, comment="#")
    assert frame["value"].tolist() == pytest.approx([0.98, 1.0, 1.02, 1.04])
    assert frame["status"].tolist() == ["optimal", "optimal", "optimal", "infeasible"]
    assert frame["gini_per_pt"].notna().sum() == 2


def test_frontier_through_the_current_value(tmp_path, capsys):
    """--through-current: the scenario's own envelope (238,421 bn) is a point, in whole million
    VND; without it the points are the even ones, as before."""
    args = ["frontier", BASE, "--param", "envelope.total", "--from", "230000000"]
    args += ["--to", "250000000", "--steps", "7"]
    even, through = tmp_path / "even.csv", tmp_path / "through.csv"
    assert main([*args, "-o", str(even)]) == 0
    assert main([*args, "--through-current", "-o", str(through)]) == 0
    capsys.readouterr()
    before = pd.read_csv(even, comment="#")["value"].tolist()
    after = pd.read_csv(through, comment="#")["value"].tolist()
    assert 238_421_000 not in before and 238_421_000 in after
    assert len(after) == 7 and after[0] == 230_000_000 and after[-1] == 250_000_000
    assert all(float(v).is_integer() for v in after)


def test_frontier_usage_and_input_errors(capsys):
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "frontier",
                PER_CAPITA,
                "--param",
                "envelope.total",
                "--from",
                "1",
                "--to",
                "2",
                "--steps",
                "1",
            ]
        )
    assert exc.value.code == 2
    assert (
        main(
            [
                "frontier",
                PER_CAPITA,
                "--param",
                "constraints.nope.ratio",
                "--from",
                "0.9",
                "--to",
                "1",
                "--steps",
                "3",
            ]
        )
        == 1
    )
    assert "no entry named 'nope'" in capsys.readouterr().err


def test_sweep_prints_and_writes_json(tmp_path, capsys):
    out = tmp_path / "mc.json"
    assert (
        main(
            [
                "sweep",
                BASE,
                "--vary",
                "envelope=uniform:-0.05:-0.04",
                "--draws",
                "3",
                "--seed",
                "1",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "the rules cannot all hold in 100.0% of draws" in text
    assert "hold-harmless (floor): needs more than the envelope in 100.0% of draws" in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["status"] for d in data["Draws"]] == ["infeasible"] * 3
    assert data["illustrative"].startswith("ILLUSTRATIVE")


def test_sweep_usage_errors(capsys):
    for bad in ("rain=normal:0.1", "revenue=normal:2", "revenue"):
        with pytest.raises(SystemExit) as exc:
            main(["sweep", BASE, "--vary", bad])
        assert exc.value.code == 2
    assert "--vary" in capsys.readouterr().err
