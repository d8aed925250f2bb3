"""Change attribution: hand-worked cases where each factor's effect is known exactly."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from handmade import scenario, units
from hypothesis import given
from hypothesis import strategies as st

import fiscal
from fiscal.attribution import attribute_results, settle
from fiscal.errors import ModelError
from fiscal.pipeline import run
from fiscal.scenario import bundled_scenarios_dir

SCEN = bundled_scenarios_dir()
FLOOR = {"name": "hold-harmless", "kind": "floor", "ratio": 1.0}


def _units(need: list[int]):
    return units(population=[1000, 1000], need_units=need, baseline=[300, 700])


def _alloc(att, code: str) -> dict[str, int]:
    r = att.row(code)
    return {f: int(r[f]) for f in ["change", *att.factors]}


def test_three_factors_worked_by_hand():
    """Formula objective, two units (baselines 300 and 700), allocation ∝ need, floors by damping.

    A: envelope 1000, need (100, 300), no floor.   B: envelope 1200, need (200, 200), floor 100 %.
    The eight combinations (d = data from B, e = envelope, r = rules):
        ∅ (250, 750)  d (500, 500)  e (300, 900)  r (300, 700)
        de (600, 600) dr (300, 700) er (300, 900) der (500, 700)
    Shapley weights for 3 factors: 1/3 alone, 1/6 after one other, 1/3 after both. Unit 1:
        data      1/3(500−250) + 1/6[(600−300) + (300−300)] + 1/3(500−300) = +200
        envelope  1/3(300−250) + 1/6[(600−500) + (300−300)] + 1/3(500−300) = +100
        rules     1/3(300−250) + 1/6[(300−500) + (300−300)] + 1/3(500−600) =  −50  (Σ +250)
    Unit 2:
        data      1/3(500−750) + 1/6[(600−900) + (700−700)] + 1/3(700−900) = −200
        envelope  1/3(900−750) + 1/6[(600−500) + (900−700)] + 1/3(700−700) = +100
        rules     1/3(700−750) + 1/6[(700−500) + (900−900)] + 1/3(700−600) =  +50  (Σ −50)
    """
    a = run(scenario(1000, kind="formula", rounding={"unit": 1}), units=_units([100, 300]))
    b = run(scenario(1200, kind="formula", constraints=[FLOOR]), units=_units([200, 200]))
    assert list(a.table["allocation"]) == [250, 750] and list(b.table["allocation"]) == [500, 700]
    att = attribute_results(a, b)
    assert att.factors == ["data", "envelope", "rules"]
    assert _alloc(att, "U1") == {"change": 250, "data": 200, "envelope": 100, "rules": -50}
    assert _alloc(att, "U2") == {"change": -50, "data": -200, "envelope": 100, "rules": 50}
    assert (att.orders_used, att.orders_total, att.solves) == (6, 6, 6)
    assert list(att.combinations["total"]) == [1000, 1000, 1200, 1200, 1000, 1000, 1200, 1200]
    assert att.words("U1") == "Unit 1 +0.250 bn: data +0.200, envelope +0.100, rules −0.050"
    assert att.words("U1", lang="vi") == (
        "Unit 1 +0,250 tỷ đồng: dữ liệu +0,200, tổng mức +0,100, quy tắc −0,050"
    )


def test_objective_and_norms_worked_by_hand():
    """A: formula, need = need_units (100, 300). B: stability, need = need_units + extra_units
    (300, 100) = (400, 400). Envelope 1000 = Σ baseline, so stability keeps (300, 700).
        ∅ (250, 750)   norms (500, 500)   objective (300, 700)   both (300, 700)
    Unit 1: norms ½[(500−250) + (300−300)] = +125, objective ½[(300−250) + (300−500)] = −75.
    Unit 2: norms ½[(500−750) + (700−700)] = −125, objective ½[(700−750) + (700−500)] = +75.
    """
    table = units(
        population=[1000, 1000], need_units=[100, 300], extra_units=[300, 100], baseline=[300, 700]
    )
    a = run(scenario(1000, kind="formula"), units=table)
    crit = [{"indicator": "need_units", "rate": 1.0}, {"indicator": "extra_units", "rate": 1.0}]
    b = run(scenario(1000, kind="stability", need={"criteria": crit}), units=table)
    att = attribute_results(a, b)
    assert att.factors == ["norms", "objective"]
    assert _alloc(att, "U1") == {"change": 50, "norms": 125, "objective": -75}
    assert _alloc(att, "U2") == {"change": -50, "norms": -125, "objective": 75}
    assert "need.criteria.extra_units" in "; ".join(att.changes["norms"])
    assert att.changes["objective"] == ["objective.kind formula → stability"]


def test_an_infeasible_combination_is_left_out_and_said():
    """A: envelope 1200, need (200, 200), floor 100 % → (500, 700). B: envelope 900, no floor →
    (450, 450). B's envelope under A's floors (900 < 300 + 700) is infeasible: only the order
    'rules first, then envelope' can be measured. Rules alone: (600, 600).
        Unit 1: rules 600 − 500 = +100, envelope 450 − 600 = −150 (Σ −50)
        Unit 2: rules 600 − 700 = −100, envelope 450 − 600 = −150 (Σ −250)
    """
    table = _units([200, 200])
    a = run(scenario(1200, kind="formula", constraints=[FLOOR]), units=table)
    b = run(scenario(900, kind="formula"), units=table)
    att = attribute_results(a, b)
    assert (att.orders_used, att.orders_total) == (1, 2)
    assert _alloc(att, "U1") == {"change": -50, "envelope": -150, "rules": 100}
    assert _alloc(att, "U2") == {"change": -250, "envelope": -150, "rules": -100}
    blocked = att.combinations[att.combinations["outcome"] == "infeasible"]
    assert list(blocked["combination"]) == ["envelope"]
    assert any("1 of 2 orders" in n for n in att.notes)
    assert "1 of 2 orders used" in att.text()
    # the workbook in Vietnamese (the History page's, in Vietnamese): sheets, notes, headers
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(att.to_xlsx("vi")), data_only=True)
    assert book.sheetnames == ["Phân rã thay đổi", "Số chính xác", "Tổng theo năm", "Các tổ hợp"]
    ws = book["Phân rã thay đổi"]
    note = ws.cell(2, 1).value
    assert "triệu đồng" in note and "1 tổ hợp không giải được (tổng mức: không khả thi)" in note
    head = [c.value for c in ws[4]]
    assert head[:3] == ["năm", "mã", "đơn vị"] and {"tổng mức", "quy tắc"} <= set(head)
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[1]]
    j = head.index("tổng mức")
    assert [r[j] for r in rows] == [-150, -150]  # the same numbers as in English
    english = openpyxl.load_workbook(io.BytesIO(att.to_xlsx()), data_only=True)
    assert english.sheetnames == ["attribution", "exact", "totals", "combinations"]


def test_when_no_order_can_be_measured_the_attribution_is_refused():
    """A: envelope 1000, floors 100 % of (300, 700). B: envelope 500, caps 50 % → (150, 350).
    B's envelope under A's floors needs 1000 > 500; B's caps under A's envelope allow 500 < 1000:
    both orders pass through an infeasible combination."""
    table = _units([200, 200])
    a = run(scenario(1000, kind="formula", constraints=[FLOOR]), units=table)
    b = run(
        scenario(
            500,
            kind="formula",
            constraints=[{"name": "hold-harmless", "kind": "cap", "ratio": 0.5}],
        ),
        units=table,
    )
    assert list(b.table["allocation"]) == [150, 350]
    with pytest.raises(
        ModelError,
        match=r"every order of applying the changes.*envelope "
        r"\(infeasible.*rules \(infeasible",
    ):
        attribute_results(a, b)


def test_runs_of_other_years_are_refused():
    a = fiscal.run(SCEN / "national-2026-baseline.toml")
    b = fiscal.run(SCEN / "national-2026-2030-transition.toml")
    with pytest.raises(ModelError, match="same units and years.*runs diff"):
        attribute_results(a, b)


def test_identical_inputs_attribute_nothing():
    a = fiscal.run(SCEN / "national-2026-baseline.toml")
    att = attribute_results(a, a)
    assert att.factors == [] and (att.table["change"] == 0).all() and att.solves == 0


def test_national_contributions_add_up_to_the_change_exactly():
    a = fiscal.run(SCEN / "national-2026-baseline.toml")
    sb = (
        fiscal.load_scenario(SCEN / "national-2026-new-norms.toml")
        .with_value("envelope.total", 245_000_000)
        .with_value("objective.kind", "shortfall_minimax")
        .with_value("constraints.hold-harmless.ratio", 0.97)
    )
    b = fiscal.run(sb)
    att = attribute_results(a, b)
    assert att.factors == ["envelope", "norms", "rules", "objective"]
    assert att.solves == 14 and att.orders_used == 24
    t = att.table
    assert (t[att.factors].sum(axis=1) == t["change"]).all()
    assert (np.abs(t[att.factors].to_numpy() - att.exact[att.factors].to_numpy()) < 1).all()
    assert np.allclose(att.exact[att.factors].sum(axis=1), t["change"])
    # only the envelope changes the national total: the other factors move money between units
    # (exactly zero in sum; settled to whole million per unit, within a few million in sum)
    assert att.totals()["change"] == 6_579_000
    assert abs(att.exact["envelope"].sum() - 6_579_000) < 1e-6
    for f in ("norms", "rules", "objective"):
        assert abs(att.exact[f].sum()) < 1e-6
        assert abs(att.totals()[f]) < len(t)


@given(
    st.lists(
        st.lists(st.integers(-(10**9), 10**9), min_size=2, max_size=6), min_size=1, max_size=20
    ),
    st.integers(1, 720),
)
def test_settling_adds_up_and_stays_within_one(rows, den):
    k = min(len(r) for r in rows)
    num = np.array([r[:k] for r in rows], dtype=np.int64)
    # make each row's sum a multiple of the denominator, as Shapley sums are
    num[:, 0] -= num.sum(axis=1) % den
    total = num.sum(axis=1) // den
    out = settle(num, total, 1, den)
    assert (out.sum(axis=1) == total).all()
    exact = [[Fraction(int(v), den) for v in r] for r in num]
    for r_out, r_exact in zip(out, exact, strict=True):
        for v, e in zip(r_out, r_exact, strict=True):
            assert abs(Fraction(int(v)) - e) < 1


def test_settling_words_keeps_the_shown_parts_adding_up():
    # 3 parts of 1/3 each of 1,000 million: shown at 0.1 bn they must add up to 1.0
    shown = settle([[333, 333, 334]], [1000], 100)[0]
    assert shown.sum() == 1000 and sorted(shown) == [300, 300, 400]
    assert list(itertools.accumulate(shown))[-1] == 1000
