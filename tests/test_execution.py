"""The execution view (issue 14 point 4): the drawdown's rounding and caps worked by hand, the
real 2026 totals reconciled, and the Monte Carlo on outturn counted on a small case."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscal.errors import ModelError
from fiscal.execution import (
    OutturnBase,
    base_from_result,
    drawdown,
    drawdown_table,
    hcmc_2025_ratio,
    outturn,
    parse_profile,
)
from fiscal.pipeline import run


def test_even_drawdown_by_hand_puts_the_rounding_in_q1():
    """1,000 at 1/12 = 83.33 a month. After Q1 no month may pass ⌊1000/12⌋ = 83, so the nine
    months hold 747 and Q1 must take 253 (≤ 30 % = 300): 84.33 a month → 85, 84, 84."""
    assert drawdown([1000]).tolist() == [[85, 84, 84] + [83] * 9]


def test_front_loaded_drawdown_by_hand():
    """Q1 takes 30 % (100 a month, ≤ 12 %); 700 over nine months = 77.78: floors 77 × 9 = 693,
    the 7 units left go to the earliest of the equal remainders (months 4–10)."""
    assert drawdown([1000], "front").tolist() == [[100, 100, 100] + [78] * 7 + [77, 77]]


def test_small_amount_is_held_by_the_caps():
    """200: after Q1 at most 16 a month (144), so Q1 takes 56 (≤ ⌊30 % × 200⌋ = 60, each month
    ≤ ⌊12 % × 200⌋ = 24): 18.67 a month → 19, 19, 18."""
    assert drawdown([200]).tolist() == [[19, 19, 18] + [16] * 9]


def test_too_small_for_the_caps_at_a_million_but_exact_in_dong():
    with pytest.raises(ModelError, match="round to the dong"):
        drawdown([13], codes=["XY"])
    months = drawdown([13], unit="dong")
    assert months.sum() == 13_000_000 and months[0, 3:].max() <= 13_000_000 // 12


@pytest.mark.parametrize("profile", ["even", "front"])
def test_every_row_reconciles_and_no_cap_is_broken(profile):
    amounts = [0, 200, 201, 999, 1000, 1001, 5_315_159, 238_421_000, 123_456_789]
    months = drawdown(amounts, profile)
    for a, row in zip(amounts, months, strict=True):
        assert row.sum() == a
        assert row[3:].max(initial=0) <= a // 12  # 1/12 a month after Q1
        assert row[:3].max() <= 12 * a // 100  # 12 % a month in Q1
        assert row[:3].sum() <= 30 * a // 100  # 30 % in Q1


def test_profiles_that_break_the_law_are_refused():
    with pytest.raises(ModelError, match="sum to 1"):
        parse_profile("0.1," * 11 + "0.1")
    with pytest.raises(ModelError, match="12 % a month"):
        parse_profile(",".join(["0.13", "0.1", "0.07"] + ["7/90"] * 9))
    with pytest.raises(ModelError, match=r"month\(s\) \[4"):
        parse_profile(",".join(["0.05"] * 3 + ["0.1"] + ["3/32"] * 8))
    assert sum(parse_profile("even")) == 1 and parse_profile("front")[0] == Fraction(1, 10)


def test_the_2026_drawdown_reconciles_to_the_real_totals():
    """The bridge year's balancing transfers: 238,421 bn VND in all and Hưng Yên's 5,315,159
    million (both real), month by month to the million."""
    result = run("national-2026-bridge")
    t = result.table
    table = drawdown_table(
        t["code"].tolist(), t["name"].tolist(), t["transfer"].to_numpy(float), "even"
    )
    total = table.iloc[-1]
    assert total["annual"] == 238_421_000
    assert sum(total[f"m{m:02d}"] for m in range(1, 13)) == 238_421_000
    assert (table["difference"] == 0).all()
    hy = table[table["code"] == "33"].iloc[0]
    assert hy["annual"] == 5_315_159
    assert sum(hy[f"m{m:02d}"] for m in range(1, 13)) == 5_315_159
    assert hy["q1"] <= 0.30 * 5_315_159


def _small_base() -> OutturnBase:
    # X receives: need 100 = 40 kept + 60 transfer; 8 of its need is capital; debt 30
    # Y does not: need 200 = 200 kept; 20 capital; debt 290 (ceiling 1.2 × 250 = 300)
    # W receives: need 50 = 10 + 40; debt 0
    return OutturnBase(
        ["X", "Y", "W"],
        ["x", "y", "w"],
        need=np.array([100.0, 200.0, 50.0]),
        kept=np.array([40.0, 200.0, 10.0]),
        land_lottery=np.array([10.0, 50.0, 0.0]),
        transfers=np.array([60.0, 0.0, 40.0]),
        borrowable=np.array([8.0, 20.0, 5.0]),
        receiving=np.array([True, False, True]),
        debt=np.array([30.0, 290.0, 0.0]),
    )


def test_outturn_counts_on_a_small_case_by_hand():
    """X at 75 %: kept 30 → resources 90, short 10, borrows its 8 of capital (2 unfunded), debt
    38 > 0.8 × (30 + 7.5) = 30: over. Y at 90 %: kept 180, short 20, borrows 20, debt 310 >
    1.2 × (180 + 45) = 270: over. W at 115 %: kept 11.5 → 51.5 ≥ 50: fine, no debt."""
    out = outturn(
        _small_base(), "uniform:0:0", draws=4, seed=7, fixed={"X": 0.75, "Y": 0.9, "W": 1.15}
    )
    u = out.units.set_index("code")
    assert u["p_below_need"].tolist() == [1.0, 1.0, 0.0]
    assert u["p_breach"].tolist() == [1.0, 1.0, 0.0]
    assert u["shortfall_mean"].tolist() == pytest.approx([10.0, 20.0, 0.0])
    assert u["unfunded_mean"].tolist() == pytest.approx([2.0, 0.0, 0.0])
    assert out.draws["units_below_need"].tolist() == [2, 2, 2, 2]
    assert out.draws["units_breach"].tolist() == [2, 2, 2, 2]
    counts = out.counts.set_index("units")
    assert counts.loc[2, "draws_below_need"] == 4 and counts["draws_below_need"].sum() == 4
    assert counts.loc[2, "draws_breach"] == 4


def test_outturn_at_the_estimate_is_never_short():
    """Every factor 1: resources = need for each unit of the small case; Y's 290 ≤ 300."""
    out = outturn(_small_base(), "uniform:0:0", draws=3)
    assert out.units["p_below_need"].sum() == 0 and out.units["p_breach"].sum() == 0
    assert out.counts.loc[0, "draws_below_need"] == 3


def test_outturn_is_reproducible_with_its_seed():
    base = _small_base()
    a = outturn(base, "normal:0.1", draws=200, seed=11)
    b = outturn(base, "normal:0.1", draws=200, seed=11)
    c = outturn(base, "normal:0.1", draws=200, seed=12)
    assert a.units.equals(b.units) and a.draws.equals(b.draws)
    assert not np.array_equal(a.factors, c.factors)
    # X's transfers are fixed: it is short when its revenue kept (40) falls by more than half a
    # million VND (the tables' rounding)
    short = (40 * (1 - a.factors[:, 0]) > 0.5).mean()
    assert a.units.set_index("code").loc["X", "p_below_need"] == pytest.approx(short)


def test_hcmc_outturn_ratio_is_read_from_the_data():
    """800,043 / 697,395 bn VND (HCMC's 2025 outturn over its post-merger target): ≈ 114.7 %."""
    ratio = hcmc_2025_ratio()
    assert ratio == Fraction(800_043, 697_395)
    assert round(float(ratio), 2) == 1.15


def test_outturn_base_of_the_bridge_year():
    result = run("national-2026-bridge")
    base = base_from_result(result, opening_debt=0.5)
    assert base.transfers.sum() == 238_421_000
    assert base.receiving.sum() == 27
    i = base.codes.index("79")
    out = outturn(base, "normal:0.05", draws=50, seed=1, fixed={"79": float(hcmc_2025_ratio())})
    u = out.units.set_index("code")
    assert u.loc["79", "p_below_need"] == 0.0  # collecting 114.7 % it is never short
    assert base.ceiling_ratio[i] == pytest.approx(1.2)
    assert base.ceiling_ratio[base.codes.index("33")] == pytest.approx(0.8)
    with pytest.raises(ModelError, match="not in the table"):
        outturn(base, "normal:0.05", draws=2, fixed={"99": 1.0})


def test_cli_writes_the_drawdown_in_both_languages(tmp_path, capsys):
    from fiscal.cli import main

    vi, en = tmp_path / "dd.xlsx", tmp_path / "dd.csv"
    assert main(["drawdown", "national-2026-bridge", "-o", str(vi)]) == 0
    assert main(["drawdown", "national-2026-bridge", "-o", str(en), "--lang", "en"]) == 0
    ws = openpyxl.load_workbook(vi).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][:4] == ("Mã", "Đơn vị", "Bổ sung cân đối cả năm", "Tháng 1")
    assert rows[-1][1] == "TỔNG CỘNG" and rows[-1][2] == 238_421_000
    assert "Thông tư 26/2026/TT-BTC" in rows[1][0] and "MINH HỌA" in rows[1][0]
    lines = en.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("# ILLUSTRATIVE: estimated figures in use")  # read with comment="#"
    assert lines[1].startswith("Code,Unit,Annual balancing transfer,Month 1")
    assert lines[-1].startswith(",TOTAL,238421000,")
    assert "every row reconciles: yes" in capsys.readouterr().out


def test_cli_outturn_and_capital(tmp_path, capsys):
    from fiscal.cli import main

    out = tmp_path / "o.xlsx"
    args = ["outturn", "national-2026-bridge", "--fix", "79=hcmc-2025", "--draws", "20"]
    assert main([*args, "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Đơn vị", "Các lần rút mẫu", "Đếm số đơn vị"]
    assert "TP. Hồ Chí Minh ở mức 114,7%" in wb["Đơn vị"]["A2"].value
    cap = tmp_path / "c.xlsx"
    assert main(["capital", "-o", str(cap), "--lang", "en"]) == 0
    assert "Capital line by year" in openpyxl.load_workbook(cap).sheetnames
    assert main(["outturn", "national-2026-bridge", "--draws", "2", "--fix", "99=1.1"]) == 1
    assert "unit '99' is not in the table" in capsys.readouterr().err


def test_a_unit_short_at_the_estimate_is_told_apart():
    base = _small_base()
    short = OutturnBase(**{**base.__dict__, "transfers": np.array([50.0, 0.0, 40.0])})
    out = outturn(short, "uniform:0:0", draws=2)
    u = out.units.set_index("code")
    assert u["below_at_estimate"].tolist() == [True, False, False]
    assert u["p_below_need"].tolist() == [1.0, 0.0, 0.0]  # X is 10 short in every draw


def test_commune_outturn_borrows_nothing_and_judges_no_debt():
    base = base_from_result(run("commune-08-tuyen-quang"))
    assert (base.borrowable == 0).all() and (base.debt == 0).all()
    assert any("communes do not borrow" in n for n in base.notes)


@st.composite
def _profiles(draw):
    """A lawful profile: Q1 takes q ∈ [25 %, 30 %] (the rest must fit at 1/12 a month), each
    Q1 month ≤ 12 %, each later month ≤ 1/12 (shares in 1/3600ths, exact)."""
    q = draw(st.integers(900, 1080))  # of 3600
    a = draw(st.integers(max(0, q - 864), min(432, q)))
    b = draw(st.integers(max(0, q - a - 432), min(432, q - a)))
    first = [a, b, q - a - b]
    rest, left = [], 3600 - q
    for k in range(9):
        hi = min(300, left)
        lo = max(0, left - 300 * (8 - k))
        rest.append(draw(st.integers(lo, hi)))
        left -= rest[-1]
    return tuple(Fraction(v, 3600) for v in first + rest)


@given(amount=st.integers(200, 10**12), profile=_profiles())
def test_any_lawful_profile_reconciles_within_the_caps(amount, profile):
    row = drawdown([amount], profile)[0]
    assert row.sum() == amount
    assert row[3:].max() <= amount // 12
    assert row[:3].max() <= 12 * amount // 100
    assert row[:3].sum() <= 30 * amount // 100
    assert (row >= 0).all()


@pytest.mark.parametrize("argv", [["--help"], ["drawdown", "--help"], ["outturn", "--help"]])
def test_the_help_texts_print(argv, capsys):
    """argparse formats help with %: a bare % in a help text breaks `fiscal --help`."""
    from fiscal.cli import main

    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    assert "usage: fiscal" in capsys.readouterr().out
