"""The direct solvers (fiscal.fastpath) on their own: worked examples and a generic LP.

Each kernel is checked on examples worked out by hand, then on generated arrays against
SciPy's ``linprog`` solving the same problem as an LP — the primary optimum, then the
lexicographic tie-break over the primary's optimal face. Equivalence with fiscal's own LP
path (tables after rounding, both backends) is in tests/test_fastpath_equivalence.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_helpers import examples

from fiscal import fastpath
from fiscal.fastpath import Infeasible

INF = np.inf


def arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


# ----------------------------------------------------------------------------- water level


def test_minimax_water_level_equalises_the_share_of_need():
    # 100θ + (200θ − 50) + 300θ = 300  →  θ = 7/12, every unit at 7/12 of its need
    face = fastpath.shortfall_minimax(
        arr(100, 200, 300), arr(0, 50, 0), np.zeros(3), np.full(3, INF), 300.0
    )
    assert face.value == pytest.approx(7 / 12)
    assert face.unique
    assert face.lo == pytest.approx([700 / 12, 1400 / 12 - 50, 2100 / 12])


def test_minimax_unit_held_by_its_floor_stays_there():
    # unit 1 would get 56 at θ = 0.56 but its floor is 70; the others share 230
    face = fastpath.shortfall_minimax(
        arr(100, 200, 300), arr(0, 50, 0), arr(70, 0, 0), np.full(3, INF), 300.0
    )
    assert face.value == pytest.approx(0.56)
    assert face.lo == pytest.approx([70, 62, 168])


def test_minimax_with_more_money_than_need_goes_above_need():
    # z < 0: 600θ − 50 = 1000 → θ = 1.75 (z = −0.75), every unit at 175 % of its need
    face = fastpath.shortfall_minimax(
        arr(100, 200, 300), arr(0, 50, 0), np.zeros(3), np.full(3, INF), 1000.0
    )
    assert 1 - face.value == pytest.approx(-0.75)
    assert face.lo == pytest.approx([175, 300, 525])


def test_minimax_cap_sets_the_level_and_the_tie_break_places_the_rest():
    # unit 3 is capped at 100 = θ·300 → θ = 1/3; the others need only 50 of the remaining 200
    need, cap = arr(100, 200, 300), arr(0, 50, 0)
    face = fastpath.shortfall_minimax(need, cap, np.zeros(3), arr(INF, INF, 100), 300.0)
    assert face.value == pytest.approx(1 / 3)
    assert not face.unique
    assert face.lo == pytest.approx([100 / 3, 200 / 3 - 50, 100])
    # the tie-break places the other 150 toward the formula amounts (reference): from
    # (150, 100, 100), 50 too many, taken from the unit cheapest to move (weight 1/150)
    ref = arr(150, 100, 50)
    X = fastpath.tie_break_point(face, ref, arr(1 / 150, 1 / 100, 1 / 50))
    assert X == pytest.approx([100, 100, 100])
    assert X.sum() == pytest.approx(300)


def test_minimax_at_most_keeps_money_the_level_cannot_use():
    # at_most: the capped level is reached with 150 of 300; the tie-break moves units toward
    # the reference only as far as the envelope allows
    face = fastpath.shortfall_minimax(
        arr(100, 200, 300), arr(0, 50, 0), np.zeros(3), arr(INF, INF, 100), 300.0, "at_most"
    )
    X = fastpath.tie_break_point(face, arr(40, 20, 50), np.ones(3))
    assert X == pytest.approx([40, 20, 100])  # unit 3 held at the level (its cap), the rest free
    assert face.lo[1] == pytest.approx(200 / 3 - 50)
    assert X.sum() < 300


def test_maximin_level_ignores_units_without_population():
    # per-capita level λ: 10λ − 0 + 10λ − 100 = 300 → λ = 20; the unit with no people keeps
    # its floor
    face = fastpath.per_capita_maximin(
        arr(0, 10, 10), arr(0, 0, 100), arr(5, 0, 0), np.full(3, INF), 305.0
    )
    assert face.value == pytest.approx(20)
    assert face.lo == pytest.approx([5, 200, 100])


def test_water_level_all_units_at_their_floors():
    # the floors use the whole pool: the level is where the first unit would rise
    face = fastpath.shortfall_minimax(arr(100, 100), arr(0, 0), arr(30, 60), np.full(2, INF), 90.0)
    assert face.value == pytest.approx(0.3)
    assert face.lo == pytest.approx([30, 60])


def test_unit_at_both_bounds_is_fixed():
    face = fastpath.shortfall_minimax(arr(100, 100), arr(0, 0), arr(80, 0), arr(80, INF), 100.0)
    assert face.lo == pytest.approx([80, 20]) and face.hi[0] == 80


# ----------------------------------------------------------------------------- knapsack


def test_need_gap_cut_falls_on_the_largest_need_first():
    # prices 1/N = 0.005, 0.01, 0.025: the 50 short come from the unit with need 200
    face = fastpath.need_gap(
        arr(100, 50, 20), arr(200, 100, 40), np.zeros(3), np.full(3, INF), 120.0
    )
    assert face.unique
    assert face.lo == pytest.approx([50, 50, 20])
    assert face.value == pytest.approx(50 / 200)


def test_need_gap_equal_needs_share_the_cut_by_the_tie_break():
    # units 1 and 2 cost the same: the face leaves their split open, the tie-break keeps the
    # unit listed first at its formula amount and cuts the second
    G, N = arr(60, 60, 20), arr(100, 100, 40)
    face = fastpath.need_gap(G, N, np.zeros(3), np.full(3, INF), 100.0)
    assert face.lo == pytest.approx([20, 20, 20]) and face.hi == pytest.approx([60, 60, 20])
    F = 100.0 * G / G.sum()
    w = fastpath.tie_break_weights(F[None, :], N[None, :])[0]
    X = fastpath.tie_break_point(face, F, w)
    assert X == pytest.approx([F[0], 80 - F[0], 20])


def test_need_gap_at_most_leaves_unneeded_money_unspent():
    face = fastpath.need_gap(
        arr(10, 0, 5), arr(20, 10, 10), np.zeros(3), np.full(3, INF), 100.0, "at_most"
    )
    assert face.unique and face.lo == pytest.approx([10, 0, 5]) and face.total == 15


def test_need_gap_equal_mode_spends_the_surplus_on_the_largest_need():
    face = fastpath.need_gap(arr(10, 0, 5), arr(20, 10, 10), np.zeros(3), np.full(3, INF), 100.0)
    assert face.lo == pytest.approx([95, 0, 5])


# ----------------------------------------------------------------------------- infeasible


@pytest.mark.parametrize(
    ("lo", "hi", "pool", "mode", "words"),
    [
        (arr(10, 0), arr(5, INF), 20.0, "equal", "above upper bound"),
        (arr(10, 15), np.full(2, INF), 20.0, "equal", "above the envelope"),
        (arr(10, 15), np.full(2, INF), 20.0, "at_most", "above the envelope"),
        (np.zeros(2), arr(5, 10), 20.0, "equal", "below the envelope"),
    ],
)
def test_infeasible_bounds_are_refused(lo, hi, pool, mode, words):
    for solve in (
        lambda: fastpath.shortfall_minimax(arr(1, 1), arr(0, 0), lo, hi, pool, mode),
        lambda: fastpath.need_gap(arr(1, 1), arr(1, 1), lo, hi, pool, mode),
    ):
        with pytest.raises(Infeasible, match=words):
            solve()


def test_caps_below_an_at_most_envelope_are_feasible():
    face = fastpath.need_gap(arr(10, 10), arr(10, 10), np.zeros(2), arr(5, 10), 20.0, "at_most")
    assert face.lo == pytest.approx([5, 10])


def test_solve_years_names_the_infeasible_year():
    lo = np.array([[0.0, 0.0], [15.0, 10.0]])
    kw = {
        "reference": np.ones((2, 2)),
        "weights": np.ones((2, 2)),
        "need": np.ones((2, 2)),
        "capacity": np.zeros((2, 2)),
    }
    with pytest.raises(Infeasible, match="year 2"):
        fastpath.solve_years(
            "shortfall_minimax", lo, np.full((2, 2), INF), arr(20, 20), "equal", **kw
        )


def test_solve_years_refuses_what_it_cannot_solve():
    kw = {"reference": np.ones((2, 2)), "weights": np.ones((2, 2))}
    with pytest.raises(ValueError, match="use the LP"):
        fastpath.solve_years(
            "stability", np.zeros((2, 2)), np.full((2, 2), INF), arr(2, 2), "equal", **kw
        )
    with pytest.raises(ValueError, match="use the LP"):
        fastpath.solve_years("blend", np.zeros((1, 2)), np.full((1, 2), INF), arr(2), "equal", **kw)


# ----------------------------------------------------------------------------- tie-break


def test_tie_break_weights_prefer_the_unit_listed_first():
    w = fastpath.tie_break_weights(np.array([[10.0, 10.0, 0.0]]), np.array([[1.0, 1.0, 2.0]]))[0]
    assert w[0] > w[1]  # same formula amount: the first is dearer to move
    assert w[2] > w[0]  # no formula amount: moved last


def test_tie_break_perturbation_is_the_lps():
    from fiscal.tiebreak import TIE_PERTURBATION

    assert fastpath.TIE_PERTURBATION == TIE_PERTURBATION


def test_tie_break_weights_are_the_lps_weights():
    """The weights the LP's tie-break phase prices each unit with, up to one common factor."""
    from fiscal.formula import sector_weights
    from fiscal.model import build
    from fiscal.pipeline import load_units_for
    from fiscal.problem import prepare
    from fiscal.scenario import load_scenario
    from fiscal.solve import solve
    from fiscal.tiebreak import tie_break_lp

    scen = load_scenario("national-2026-minimax")
    problem = prepare(scen, load_units_for(scen))
    lp = build(problem)
    sol = solve(lp)
    F = problem.pure_formula()
    ref = F[:, None, :] * sector_weights(problem)[None, :, None]
    lp2 = tie_break_lp(lp, sol, ref.ravel(), 1e-7, fix_reduced_costs=False)
    n = problem.n
    lp_weights = lp2.c[lp.nvar : lp.nvar + n]  # one term per unit (all free without fixing)
    ours = fastpath.tie_break_weights(ref.sum(axis=1), problem.need, lp.scale)[0]
    assert np.allclose(lp_weights / lp_weights.max(), ours / ours.max(), rtol=1e-12, atol=0)


# ----------------------------------------------------------------------------- against linprog


def _linprog_l1(target, cost, lo, hi, pool, mode):
    """min Σ cost·|X − target| as an LP: X = target + p − m."""
    from scipy.optimize import linprog

    n = target.size
    c = np.concatenate([cost, cost])
    A = np.concatenate([np.ones(n), -np.ones(n)])[None, :]
    b = [pool - target.sum()]
    bounds = [
        (max(0.0, l - g), None if h == INF else max(0.0, h - g))
        for g, l, h in zip(target, lo, hi, strict=True)
    ]
    bounds += [(max(0.0, g - h), max(0.0, g - l)) for g, l, h in zip(target, lo, hi, strict=True)]
    kw = {"A_eq": A, "b_eq": b} if mode == "equal" else {"A_ub": A, "b_ub": b}
    res = linprog(c, bounds=bounds, method="highs", **kw)
    assert res.status == 0, res.message
    return res.fun, target + res.x[:n] - res.x[n:]


def _linprog_level(slope, offset, lo, hi, pool, mode):
    """max θ s.t. X_i ≥ slope_i·θ − offset_i, lo ≤ X ≤ hi, Σ X = pool (or ≤)."""
    from scipy.optimize import linprog

    n = slope.size
    c = np.concatenate([np.zeros(n), [-1.0]])
    A_ub = np.hstack([-np.eye(n), slope[:, None]])
    kw = {"A_eq": np.concatenate([np.ones(n), [0.0]])[None, :], "b_eq": [pool]}
    if mode == "at_most":
        A_ub = np.vstack([A_ub, np.concatenate([np.ones(n), [0.0]])])
        kw = {}
    b_ub = np.concatenate([offset, [pool]]) if mode == "at_most" else offset
    bounds = [(l, None if h == INF else h) for l, h in zip(lo, hi, strict=True)] + [(None, None)]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs", **kw)
    assert res.status == 0, res.message
    return -res.fun


@st.composite
def boxes(draw, min_units: int = 1, max_units: int = 12):
    """Small problems with repeated values (ties), zero targets, fixed units and open caps."""
    n = draw(st.integers(min_units, max_units))
    vals = st.sampled_from([0.0, 1.0, 2.0, 5.0, 10.0, 10.0, 40.0]) | st.floats(0, 100)
    target = np.array(draw(st.lists(vals, min_size=n, max_size=n)))
    # prices well apart or equal: an LP's tolerances blur prices closer than that
    cost = np.array(
        draw(st.lists(st.sampled_from([0.5, 1.0, 1.0, 1.5, 2.0, 3.0, 8.0]), min_size=n, max_size=n))
    )
    lo = np.array(
        draw(st.lists(st.sampled_from([0.0, 0.0, 3.0]) | st.floats(0, 30), min_size=n, max_size=n))
    )
    width = np.array(
        draw(st.lists(st.sampled_from([0.0, INF, INF]) | st.floats(0, 80), min_size=n, max_size=n))
    )
    hi = lo + width
    mode = draw(st.sampled_from(["equal", "equal", "at_most"]))
    low = float(lo.sum())
    high = float(hi.sum())
    top = low + 200.0 if not np.isfinite(high) else high
    pool = draw(st.floats(low, top)) if top > low else low
    return target, cost, lo, hi, pool, mode


@settings(max_examples=examples(150))
@given(case=boxes())
def test_l1_face_and_tie_break_match_a_lexicographic_lp(case):
    target, cost, lo, hi, pool, mode = case
    face = fastpath.l1_face(target, cost, lo, hi, pool, mode)
    best, _ = _linprog_l1(target, cost, lo, hi, pool, mode)
    # linprog meets rows and bounds to ~1e-7 of money (prices ≤ 8)
    assert face.value == pytest.approx(best, rel=1e-7, abs=1e-6)
    # every point of the face is optimal: its corners (inside the sum) cost the optimum
    ref = np.linspace(0, 50, target.size)
    weights = 1.0 + 1e-3 * (1 - np.arange(target.size) / target.size)
    X = fastpath.tie_break_point(face, ref, weights)
    assert np.all(X >= lo - 1e-9) and np.all(X <= hi + 1e-9)
    assert float(np.sum(cost * np.abs(X - target))) == pytest.approx(
        face.value, rel=1e-12, abs=1e-12
    )
    if mode == "equal":
        assert X.sum() == pytest.approx(pool, rel=1e-12, abs=1e-9)
    else:
        assert X.sum() <= pool + 1e-9
    # and the tie-break's point is the lexicographic LP's (distinct weights: unique). The LP's
    # guard lets it trade 10⁻⁸ of the primary for the tie-break: prices differ by ≥ 0.5, so
    # that moves at most 2·10⁻⁸ of money
    from scipy.optimize import linprog

    n = target.size
    c2 = np.concatenate([np.zeros(2 * n), weights, weights])
    # X = target + p − m = ref + q − r ; Σ cost (p + m) ≤ best
    A_eq = np.hstack([np.eye(n), -np.eye(n), -np.eye(n), np.eye(n)])
    b_eq = ref - target
    guard = np.concatenate([cost, cost, np.zeros(2 * n)])[None, :]
    A_env = np.concatenate([np.ones(n), -np.ones(n), np.zeros(2 * n)])[None, :]
    A_ub = guard
    b_ub = [best + 1e-8 * max(1.0, best)]
    if mode == "equal":
        A_eq = np.vstack([A_eq, A_env])
        b_eq = np.concatenate([b_eq, [pool - target.sum()]])
    else:
        A_ub = np.vstack([A_ub, A_env])
        b_ub = [*b_ub, pool - target.sum()]
    bounds = [
        (max(0.0, l - g), None if h == INF else max(0.0, h - g))
        for g, l, h in zip(target, lo, hi, strict=True)
    ]
    bounds += [(max(0.0, g - h), max(0.0, g - l)) for g, l, h in zip(target, lo, hi, strict=True)]
    bounds += [(0, None)] * (2 * n)
    res = linprog(c2, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert res.status == 0, res.message
    X_lp = target + res.x[:n] - res.x[n : 2 * n]
    assert X == pytest.approx(X_lp, abs=1e-6 * max(1.0, pool))


@settings(max_examples=examples(150))
@given(case=boxes(), data=st.data())
def test_water_level_matches_an_lp(case, data):
    _, _, lo, hi, pool, mode = case
    n = lo.size
    slope = np.array(
        data.draw(
            st.lists(
                st.sampled_from([0.0, 1.0, 10.0]) | st.floats(0.1, 100), min_size=n, max_size=n
            )
        )
    )
    offset = np.array(
        data.draw(
            st.lists(st.sampled_from([0.0, 0.0, 50.0]) | st.floats(0, 500), min_size=n, max_size=n)
        )
    )
    if not np.any(slope > 0):
        with pytest.raises(ValueError, match="unbounded"):
            fastpath.shortfall_minimax(slope, offset, lo, hi, pool, mode)
        return
    face = fastpath.shortfall_minimax(slope, offset, lo, hi, pool, mode)
    theta = _linprog_level(slope, offset, lo, hi, pool, mode)
    # the LP meets its rows to ~1e-7 of money, which moves θ by up to 1e-7 / slope
    assert face.value == pytest.approx(theta, rel=1e-7, abs=1e-6 / slope[slope > 0].min())
    # the face's lower corner reaches the level, inside the bounds and the envelope
    reach = np.where(slope > 0, face.lo - (slope * face.value - offset), 0.0)
    assert np.all(reach >= -1e-7 * max(1.0, pool))
    assert np.all(face.lo >= lo) and np.all(face.lo <= hi)
    assert face.lo.sum() <= pool + 1e-7 * max(1.0, pool)
