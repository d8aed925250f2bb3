"""Exports round-tripped: XLSX read back with openpyxl, CSV with pandas, JSON with json."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

import fiscal
from fiscal.cli import main
from fiscal.compare import compare
from fiscal.data import UnitTable, validate_units
from fiscal.export import comparison_bytes, write, write_comparison, write_tables
from fiscal.scenario import scenario_from_dict
from fiscal.workbook import HEADER_ROW, comparison_workbook, result_workbook

RESULT_SHEETS = ["Allocation", "Metrics", "Constraints", "Assumptions", "Provenance"]


def _load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def _frame(ws, header_row: int = HEADER_ROW + 1) -> pd.DataFrame:
    """The table of a sheet: header at ``header_row`` (1-based), rows until the first blank."""
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    head = [c for c in rows[0] if c is not None]
    body = []
    for r in rows[1:]:
        if all(v is None for v in r):
            break
        body.append(r[: len(head)])
    return pd.DataFrame(body, columns=head)


@pytest.fixture(scope="module")
def support():
    return fiscal.run("national-2026-merger-support.toml")


@pytest.fixture(scope="module")
def book(support):
    return _load(result_workbook(support))


def test_result_workbook_has_its_sheets(book):
    assert book.sheetnames == [*RESULT_SHEETS, "Phụ lục 2026"]


def test_allocation_sheet_reconciles_to_the_envelope(book, support):
    ws = book["Allocation"]
    table = _frame(ws)
    assert table["code"].tolist() == support.table["code"].tolist()
    assert table["allocation"].tolist() == support.table["allocation"].tolist()
    envelope = float(support.problem.envelope_total[0])  # 238,421 bn + support paid on top
    assert sum(table["allocation"]) == envelope
    # the totals row after the table (a SUMIF with its value cached) and the reconciliation
    cells = {r[2]: r for r in ws.iter_rows(min_row=HEADER_ROW + 2, values_only=True) if r[2]}
    total = cells["Total 2026"]
    assert total[list(table.columns).index("allocation")] == envelope
    assert (
        total[list(table.columns).index("merger_support")] == support.table["merger_support"].sum()
    )
    recon = [r for r in ws.iter_rows(values_only=True) if r[0] == 2026 and r[1] == envelope]
    assert recon and recon[0][2] == envelope and recon[0][3] == 0


def test_every_sheet_says_the_figures_are_illustrative(book):
    for ws in book.worksheets:
        text = " ".join(
            str(v)
            for row in ws.iter_rows(max_row=3, values_only=True)
            for v in row
            if v is not None
        )
        if ws.title.startswith(("Phụ lục", "Tỷ lệ phân chia")):  # official layout: Vietnamese
            assert "SỐ LIỆU MINH HỌA" in text and "ILLUSTRATIVE" not in text, ws.title
        else:
            assert "ILLUSTRATIVE" in text, ws.title
        assert "baseline, own_revenue, retention" in text, ws.title


def test_annex_is_an_official_budget_table(book, support):
    ws = book["Phụ lục 2026"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("DỰ TOÁN SỐ BỔ SUNG CÂN ĐỐI TỪ NGÂN SÁCH TRUNG ƯƠNG")
    assert "SỐ LIỆU MINH HỌA" in rows[2][0]
    assert rows[3][0] == "Đơn vị: triệu đồng"
    assert rows[4] == (
        "STT",
        "Tên đơn vị",
        "Dự toán năm trước",
        "Số bổ sung cân đối",
        "Hỗ trợ sắp xếp đơn vị hành chính",
        "Tổng số",
        "So sánh (%)",
    )
    assert rows[5][:6] == ("A", "B", "1", "2", "3", "4=2+3")
    total = rows[6]
    units = rows[7 : 7 + 34]
    assert total[1] == "TỔNG SỐ"
    assert [u[0] for u in units] == list(range(1, 35))
    assert [u[1] for u in units] == support.table["name"].tolist()
    for j in (2, 3, 4, 5):
        assert total[j] == sum(u[j] for u in units)
    assert total[3] == 238_421_000  # the balancing envelope
    assert total[5] == support.problem.envelope_total[0]  # + support paid on top
    assert all(u[5] == u[3] + u[4] for u in units)
    assert units[1][6] == pytest.approx(units[1][5] / units[1][2] * 100)


def test_metrics_constraints_assumptions_provenance(book, support):
    metrics = _frame(book["Metrics"]).set_index("metric")
    assert metrics.loc["gini", "2026"] == pytest.approx(support.metrics["gini"], rel=1e-15)
    rules = _frame(book["Constraints"]).set_index("name")
    led = support.constraints.set_index("name")
    assert list(rules.index) == list(led.index)
    assert rules.loc["growth-cap", "cost"] == pytest.approx(led.loc["growth-cap", "cost"])
    settings = _frame(book["Assumptions"]).set_index("setting")
    assert settings.loc["envelope.total", "value"] == "2.38421e+08"
    assert "246/2025/QH15" in settings.loc["envelope.total", "source"]
    assert settings.loc["constraints.merger-support.per_province", "unit"].startswith("million VND")
    assert "76/2025/UBTVQH15" in settings.loc["constraints.merger-support.per_province", "source"]
    assert settings.loc["need.criteria.spending_need.rate", "estimated"] == "yes"
    prov = _frame(book["Provenance"]).set_index("item")
    assert prov.loc["data_sha256", "value"] == support.provenance["data_sha256"]
    assert prov.loc["re-check: envelope", "value"] == "holds"


def test_multi_year_annexes_and_totals():
    res = fiscal.run("national-2026-2030-transition.toml")
    wb = _load(result_workbook(res))
    assert [n for n in wb.sheetnames if n.startswith("Phụ lục")] == [
        f"Phụ lục {y}" for y in res.years
    ]
    totals = {
        r[2]: r
        for r in wb["Allocation"].iter_rows(values_only=True)
        if isinstance(r[2], str) and r[2].startswith("Total ")
    }
    col = list(res.table.columns).index("allocation")
    for k, y in enumerate(res.years):
        assert totals[f"Total {y}"][col] == res.problem.envelope_total[k]
        annex = list(wb[f"Phụ lục {y}"].iter_rows(min_row=7, max_row=7, values_only=True))[0]
        assert annex[5] == res.problem.envelope_total[k]
    # the previous year's column of year 2 is year 1's transfer
    second = list(wb[f"Phụ lục {res.years[1]}"].iter_rows(min_row=7, max_row=7, values_only=True))[
        0
    ]
    assert second[2] == res.year_table(res.years[0])["transfer"].sum()


def test_official_figures_carry_no_illustrative_warning():
    frame = pd.DataFrame(
        {
            "code": ["A", "B"],
            "name": ["Alpha", "Beta"],
            "region": ["R", "R"],
            "population": [100.0, 300.0],
            "area_km2": [1.0, 1.0],
            "baseline": [50.0, 100.0],
            "own_revenue": [20.0, 0.0],
            "retention": [1.0, 1.0],
        }
    )
    units = UnitTable(validate_units(frame, "official"), "province", "official")
    scen = scenario_from_dict(
        {
            "scenario": {"name": "official"},
            "envelope": {"total": 150.0},
            "need": {"criteria": [{"indicator": "population", "rate": 1.0}]},
            "objective": {"kind": "formula"},
        }
    )
    wb = _load(result_workbook(fiscal.run(scen, units=units)))
    for ws in wb.worksheets:
        text = " ".join(
            str(v) for row in ws.iter_rows(max_row=3, values_only=True) for v in row if v
        )
        assert "ILLUSTRATIVE" not in text and "MINH HỌA" not in text


def test_csv_and_json_round_trip(tmp_path, support):
    csv = pd.read_csv(write(support, tmp_path / "out.csv"), dtype={"code": str}, comment="#")
    assert csv["allocation"].sum() == support.problem.envelope_total[0]
    assert csv["code"].tolist() == support.table["code"].tolist()
    data = json.loads(write(support, tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sum(u["allocation"] for u in data["units"]) == support.problem.envelope_total[0]
    assert data["illustrative"] is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.json"]  # no temp files


def test_comparison_workbook_round_trip(tmp_path, support):
    base = fiscal.run("national-2026-baseline.toml")
    c = compare([base, support], ["base", "support"])
    wb = _load(comparison_workbook(c))
    assert wb.sheetnames == [
        "Summary",
        "Winners and losers",
        "Units",
        "Groups",
        "Settings",
        "Rules",
    ]
    units = _frame(wb["Units"])
    assert units["support: allocation"].tolist() == c.units["support: allocation"].tolist()
    assert units["support: band"].tolist() == c.units["support: band"].tolist()
    bands = _frame(wb["Winners and losers"])
    assert bands["units"].tolist() == c.bands["units"].tolist()
    assert sum(bands["change"]) == support.total - base.total
    settings = _frame(wb["Settings"]).set_index("setting")
    assert settings.loc["objective.kind", "support"] == "shortfall_minimax"
    for ws in wb.worksheets:
        assert "ILLUSTRATIVE" in str(ws.cell(2, 1).value), ws.title
    # CSV and JSON of the same comparison
    csv = pd.read_csv(write_comparison(c, tmp_path / "c.csv"), dtype={"code": str}, comment="#")
    assert csv["support: change"].sum() == support.total - base.total
    data = json.loads(comparison_bytes(c, "json"))
    assert [s["label"] for s in data["scenarios"]] == ["base", "support"]
    assert sum(b["units"] for b in data["bands"]) == 34


def test_tables_export_and_bad_suffix(tmp_path):
    frame = pd.DataFrame(
        {"value": [0.9, 1.0], "gini": [0.07, float("nan")], "status": ["optimal", "infeasible"]}
    )
    wb = openpyxl.load_workbook(
        write_tables(
            {"Frontier": frame}, tmp_path / "f.xlsx", title="t", illustrative="ILLUSTRATIVE: test"
        ),
        data_only=True,
    )
    got = _frame(wb["Frontier"])
    assert got["status"].tolist() == ["optimal", "infeasible"]
    assert got["gini"].iloc[0] == 0.07
    assert wb["Frontier"].cell(HEADER_ROW + 3, 2).value is None  # NaN is a blank cell
    assert wb["Frontier"].cell(2, 1).value == "ILLUSTRATIVE: test"
    data = json.loads(write_tables({"Frontier": frame}, tmp_path / "f.json", title="t").read_text())
    assert data["Frontier"][1]["gini"] is None
    with pytest.raises(fiscal.ExportError, match=r"unknown output format '\.txt'"):
        write_tables({"Frontier": frame}, tmp_path / "f.txt", title="t")


def test_cli_solve_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    assert main(["solve", "national-2026-baseline.toml", "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == [*RESULT_SHEETS, "Phụ lục 2026"]
    assert sum(_frame(wb["Allocation"])["allocation"]) == 238_421_000


def test_tables_keep_every_digit_of_large_amounts(tmp_path):
    # ten-digit money (a national need of 1,350,050,123 million VND) is not rounded to 9 digits
    frame = pd.DataFrame({"value": [1_350_050_123.0, 0.1 + 0.2], "n": [3, 4]})
    csv = write_tables({"T": frame}, tmp_path / "t.csv", title="t").read_text()
    assert csv.splitlines()[1:] == ["1350050123,3", "0.30000000000000004,4"]
    data = json.loads(write_tables({"T": frame}, tmp_path / "t.json", title="t").read_text())
    assert data["T"][0]["value"] == 1_350_050_123
