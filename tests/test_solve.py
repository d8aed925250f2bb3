"""The solve stage: the tie-break toward the formula, the same table on both backends, one HiGHS
adapter (status map, models written out), integer columns."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp
from handmade import scenario, units

from fiscal.builder import Builder
from fiscal.cli import main
from fiscal.highs import STATUS, HighsSolver, read_model, solve_highs, status_of, write_model
from fiscal.lp import Status
from fiscal.model import build
from fiscal.pipeline import load_units_for, primary_model, run
from fiscal.problem import prepare
from fiscal.scenario import load_scenario, scenario_from_dict
from fiscal.solve import solve

BACKENDS = ["highs", "pulp"]
ROOT = Path(__file__).resolve().parent.parent
MINIMAX = ROOT / "fiscal" / "scenarios" / "national-2026-minimax.toml"


@pytest.mark.parametrize("backend", BACKENDS)
def test_stability_spreads_a_change_in_equal_percentages(backend):
    # baselines 100, 200, 300, envelope 660: the largest relative change is smallest when
    # every unit moves by the same 10 % (before issue 16 the relative L1 gave all 60 to one unit)
    table = units(need_units=[10, 20, 30], population=[1, 1, 1], baseline=[100, 200, 300])
    r = run(scenario(660, kind="stability"), units=table, backend=backend)
    assert r.table["transfer"].tolist() == [110, 220, 330]
    assert r.objective == pytest.approx(0.1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_stability_holds_a_forced_unit_apart_from_the_others(backend):
    # a floor forces U1 up 30 %: U1 alone sets the largest change (0.3, the objective); the
    # others then share the rest equally (−5 % each: 700 − 130 = 570 = 0.95 × 600), not one
    # of them taking it all as a band of ±30 % around the baseline would allow
    table = units(need_units=[10, 20, 30], population=[1, 1, 1], baseline=[100, 200, 400])
    floor = {"kind": "floor", "ratio": 1.3, "units": ["U1"]}
    r = run(scenario(700, kind="stability", constraints=[floor]), units=table, backend=backend)
    assert r.table["transfer"].tolist() == [130, 190, 380]
    assert r.objective == pytest.approx(0.3)


def test_both_backends_give_the_same_table_on_a_random_problem():
    rng = np.random.default_rng(7)
    n = 25
    table = units(
        need_units=rng.uniform(100, 1000, n).round(),
        own_revenue=rng.uniform(0, 300, n).round(),
        population=rng.uniform(10, 100, n).round(),
        baseline=rng.uniform(50, 200, n).round(),
    )
    for kind in ("need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend"):
        s = scenario(4000, kind=kind, constraints=[{"kind": "floor", "ratio": 0.9}])
        a, b = run(s, units=table), run(s, units=table, backend="pulp")
        assert a.objective == pytest.approx(b.objective, rel=1e-6, abs=1e-9), kind
        assert a.table["transfer"].tolist() == b.table["transfer"].tolist(), kind


@pytest.fixture(scope="module")
def minimax_lp():
    scen = load_scenario(MINIMAX)
    return build(prepare(scen, load_units_for(scen)))


def test_one_status_map():
    M = highspy.HighsModelStatus
    assert status_of(M.kOptimal) is Status.optimal
    assert status_of(M.kInfeasible) is Status.infeasible
    assert status_of(M.kTimeLimit) is Status.time_limit
    # a model HiGHS refuses is an error of the model, not a conflict of the rules
    assert status_of(M.kModelError) is Status.error
    assert status_of(M.kUnboundedOrInfeasible) is Status.numerical
    assert all(isinstance(s, Status) for s in STATUS.values())


def test_contradictory_bounds_are_infeasible_and_nan_is_an_error(minimax_lp):
    first = np.arange(minimax_lp.nvar) == 0
    clash = dataclasses.replace(
        minimax_lp, lb=np.where(first, 5.0, minimax_lp.lb), ub=np.where(first, 1.0, minimax_lp.ub)
    )
    assert solve_highs(clash, 10.0).status is Status.infeasible
    for field in ("c", "lb"):
        bad = dataclasses.replace(
            minimax_lp, **{field: np.where(first, np.nan, getattr(minimax_lp, field))}
        )
        sol = solve_highs(bad, 10.0)
        assert sol.status is Status.error and "NaN" in sol.message


def test_a_kept_model_is_patched_not_reloaded(minimax_lp):
    solver = HighsSolver()
    a = solver(minimax_lp, 60.0)
    b = solver(dataclasses.replace(minimax_lp, ub=minimax_lp.ub * 1.0), 60.0)
    assert (solver.loads, solver.updates) == (1, 1)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.rc, b.rc)


def _statuses_at_bound(h) -> np.ndarray:
    """The columns whose basis status is lower or upper, read status by status."""
    B = highspy.HighsBasisStatus
    return np.array([s in (B.kLower, B.kUpper) for s in h.getBasis().col_status], dtype=bool)


@pytest.mark.parametrize("kind", ["shortfall_minimax", "stability", "need_gap", "blend"])
def test_reduced_costs_are_those_of_the_columns_the_basis_holds_at_a_bound(kind):
    """The solution comes back as arrays: the mask of columns at a bound is read from the
    basic variables (an array), and is the one the basis's own statuses give, column by
    column; a column that is not at a bound has no reduced cost."""
    from fiscal.highs import _at_bound

    scen = load_scenario(ROOT / "fiscal" / "scenarios" / "commune-08-tuyen-quang.toml")
    data = scen.to_dict()
    data["objective"]["kind"] = kind
    scen = scenario_from_dict(data, source="test")
    lp = build(prepare(scen, load_units_for(scen)), kind)
    # free columns, basic and not: a nonbasic free column (status zero) is not at a bound
    free = Builder(1, 1, 1, 1.0, np.zeros(1))
    free.add_cells()
    f = free.add_vars("free", (1,), -np.inf, np.inf, 0.0)
    free.add_vars("loose", (1,), -np.inf, np.inf, 0.0)  # in no row: nonbasic at zero
    free.var_rows("f", "test", None, [(f, sp.csr_matrix([[1.0]]))], "le", [1.0], (1,))
    for model in (lp, free.finish("test")):
        solver = HighsSolver()
        sol = solver(model, 60.0)
        assert sol.status is Status.optimal
        h = solver._slots["primary"]["highs"]
        mask = _statuses_at_bound(h)
        assert np.array_equal(_at_bound(h, model), mask)
        assert np.all(sol.rc[~mask] == 0.0) and isinstance(sol.x, np.ndarray)
    assert [str(s).split(".")[-1] for s in h.getBasis().col_status][-1] == "kZero"


@pytest.mark.parametrize("suffix", [".mps", ".lp"])
def test_a_written_model_resolves_to_the_same_objective(minimax_lp, tmp_path, suffix):
    sol = solve(minimax_lp, "highs")
    path = write_model(minimax_lp, tmp_path / f"model{suffix}")
    status, value = read_model(path)
    assert status is Status.optimal
    # the file carries the objective's constant: its optimum is c·v + constant
    assert value == pytest.approx(sol.objective + minimax_lp.constant, rel=1e-9, abs=1e-12)


def test_cli_writes_the_model_it_solves(tmp_path, capsys):
    out = tmp_path / "minimax.mps"
    assert main(["solve", str(MINIMAX), "--write-model", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    lp = primary_model(load_scenario(MINIMAX))
    status, value = read_model(out)
    assert status is Status.optimal
    assert value == pytest.approx(solve(lp, "highs").objective + lp.constant, rel=1e-9, abs=1e-12)


def test_cli_write_model_of_an_infeasible_scenario_and_of_the_formula(tmp_path, capsys):
    bad = ROOT / "fiscal" / "scenarios" / "national-2026-infeasible-floors.toml"
    out = tmp_path / "bad.lp"
    assert main(["solve", str(bad), "--write-model", str(out)]) == 1
    assert read_model(out)[0] is Status.infeasible
    formula = ROOT / "fiscal" / "scenarios" / "national-2026-baseline.toml"
    assert main(["solve", str(formula), "--write-model", str(tmp_path / "f.mps")]) == 1
    assert "formula objective, which solves no model" in capsys.readouterr().err
    with pytest.raises(Exception, match="as .mps or .lp"):
        write_model(primary_model(load_scenario(MINIMAX)), tmp_path / "model.txt")


@pytest.mark.parametrize("backend", ["highs", "pulp"])
def test_integer_columns_on_both_backends(backend):
    """max x + y with x integer, 2x ≤ 7, y ≤ 0.5: x = 3 (the relaxation says 3.5)."""
    b = Builder(1, 1, 1, 1.0, np.zeros(1))
    b.add_cells()
    x = b.add_vars("x", (1,), 0.0, 10.0, -1.0, integer=True)
    y = b.add_vars("y", (1,), 0.0, 0.5, -1.0)
    b.var_rows("limit", "test", None, [(x, sp.csr_matrix([[2.0]]))], "le", [7.0], (1,))
    lp = b.finish("test")
    assert lp.is_mip and lp.integrality.tolist() == [0, 0, 1, 0]
    sol = solve(lp, backend)
    assert sol.status is Status.optimal
    assert sol.x[x.start] == pytest.approx(3.0) and sol.x[y.start] == pytest.approx(0.5)


def test_holding_a_level_drops_exactly_its_entries():
    """leximin takes a held unit-year's level column out of its rows: those entries go, every
    other one stays as it was (explicit zeros too), as assigning 0 in a LIL matrix does."""
    from fiscal.face import _without_entries

    rng = np.random.default_rng(3)
    A = sp.random(40, 25, density=0.3, random_state=rng, format="csr")
    A.data[::7] = 0.0  # explicit zeros
    entry_rows = np.repeat(np.arange(40), np.diff(A.indptr))
    pick = rng.choice(A.nnz, 12, replace=False)
    rows = np.concatenate([entry_rows[pick], [0, 1]])
    cols = np.concatenate([A.indices[pick], [24, 24]])  # two that may hold no entry
    expected = A.tolil()
    for r, c in zip(rows, cols, strict=True):
        expected[r, c] = 0.0
    expected = expected.tocsr()
    got = _without_entries(A, rows, cols)
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    present = {(r, c) for r, c in zip(entry_rows, A.indices, strict=True)}
    dropped = {(r, c) for r, c in zip(rows, cols, strict=True)} & present
    assert np.array_equal(got.data, expected.data) and got.nnz == A.nnz - len(dropped)


REGRESSIONS = Path(__file__).resolve().parent / "fixtures" / "regressions"


@pytest.mark.parametrize("backend", ["highs", "pulp"])
def test_a_dominating_penalty_is_solved_least_violation_first(backend):
    """K8: where every million breaks a soft rule, the penalties outweigh the objective's own
    terms; the objective is then minimised on the face of least violation, and that point is
    kept only as an optimum of the weighted objective too (the same value as one solve)."""
    from fiscal.formula import sector_weights
    from fiscal.tiebreak import penalty_dominates, solve_lexicographic

    scen = load_scenario(REGRESSIONS / "soft-penalty-dominates" / "scenario.toml")
    problem = prepare(scen, load_units_for(scen))
    lp = build(problem)
    once = solve(lp, backend)
    assert once.x is not None and penalty_dominates(lp, once.x)
    formula = problem.pure_formula()[:, None, :] * sector_weights(problem)[None, :, None]
    sol = solve_lexicographic(lp, formula, backend)  # with the tie-break toward the formula
    assert [p["phase"] for p in sol.phases][:3] == [
        "primary",
        "least_violation",
        "objective_on_face",
    ]
    assert sol.x is not None
    size = float(np.abs(lp.c) @ np.abs(once.x))
    assert float(lp.c @ sol.x) <= float(lp.c @ once.x) + 1e-7 * size
    # the whole envelope goes to the unit with the smallest need (need_gap's greedy order),
    # the objective's preference the penalty hid from the tie-break's guard
    X = lp.cells(sol.x).sum(axis=1)
    assert np.all(X.argmax(axis=1) == np.argmin(problem.need, axis=1))


def test_penalties_that_do_not_dominate_keep_one_solve():
    """An ordinary scenario (no soft rule giving way) is solved as before: no extra stage."""
    from fiscal.tiebreak import penalty_dominates

    scen = load_scenario(REGRESSIONS / "need-gap-soft-cap-at-solver-noise" / "scenario.toml")
    lp = build(prepare(scen, load_units_for(scen)))
    sol = solve(lp, "highs")
    assert sol.x is not None and not penalty_dominates(lp, sol.x)
    result = run(REGRESSIONS / "need-gap-soft-cap-at-solver-noise" / "scenario.toml")
    assert not any(p["phase"] == "least_violation" for p in result.duals["phases"])


def test_polish_takes_a_column_whose_bounds_meet_at_them():
    """K9: CBC prints about eight significant digits, which put a column whose bounds meet (fixed
    on the tie-break's face) 1.1e-8 from its one value, outside polish's span; the active system
    was one equation short and CBC's printed point was kept. It is now taken at its bounds, and
    the polished tie-break is HiGHS's vertex."""
    from fiscal.formula import sector_weights
    from fiscal.solve import polish
    from fiscal.tiebreak import tie_break_lp

    result = run(REGRESSIONS / "rates-maximin-at-chosen-rates" / "scenario.toml", method="lp")
    lp, problem = result.lp, result.problem
    ref = problem.pure_formula()[:, None, :] * sector_weights(problem)[None, :, None]
    points = {}
    for backend in ("highs", "pulp"):
        face = tie_break_lp(lp, solve(lp, backend), ref.ravel(), 1e-7)
        sol = solve(face, backend)
        assert sol.x is not None
        points[backend] = (face, sol.x)
    face, printed = points["pulp"]
    span = 1e-8 * np.maximum(1.0, np.abs(printed))
    met = (face.lb == face.ub) & (np.abs(printed - face.lb) > span)
    assert met.any()  # the case: a fixed column printed outside the span
    z = polish(face, printed)
    assert np.array_equal(z[met], face.lb[met])
    w = lp.blocks["w"].slice
    assert z[w] == pytest.approx(points["highs"][1][w], rel=1e-12)


@pytest.mark.parametrize("backend", ["highs", "pulp"])
def test_the_later_stages_stay_on_the_primary_optimum_of_a_blend_with_soft_rules(backend):
    """K12: blend's level rows (w·dev ≤ change) hold a deviation without a cost of its own; their
    duals (1.7-3.8e-8, money prices) were judged against the change column's cost alone, left
    loose, and the stability stage and the tie-break traded the primary along them (8.18653634
    on HiGHS, 8.18653641 on CBC, from 8.18653621). On the face they are tight: no trade."""
    scen = load_scenario(REGRESSIONS / "blend-level-rows-below-threshold" / "scenario.toml")
    lp = build(prepare(scen, load_units_for(scen)))
    once = solve(lp, "highs")
    result = run(
        REGRESSIONS / "blend-level-rows-below-threshold" / "scenario.toml", backend=backend
    )
    assert [p["phase"] for p in result.duals["phases"]] == ["primary", "stage_1", "tie_break"]
    primary = lp.reported_objective(once.x)
    assert abs(result.objective - primary) <= 1e-10 * abs(primary)


def test_the_face_takes_only_duals_of_an_optimums_sign():
    """K12: a row the solution meets is made tight for a dual ≤ 0 (a ≤ row of a minimisation)
    above its threshold, never for a positive one (CBC printed +3.3e-10 on a row another optimum
    leaves slack); a column at its lower bound is fixed for a positive reduced cost only."""
    from fiscal.face import optimal_face

    scen = load_scenario(REGRESSIONS / "blend-noise-dual-cuts-face" / "scenario.toml")
    lp = build(prepare(scen, load_units_for(scen)))
    sol = solve(lp, "highs")
    assert sol.x is not None and sol.dual_ub is not None and sol.rc is not None
    met = np.flatnonzero((lp.b_ub - lp.A_ub @ sol.x <= 1e-9) & (sol.dual_ub == 0))
    assert met.size
    rows = optimal_face(lp, sol, 1e-7).A_eq.shape[0]
    for dual, more in ((1e-3, 0), (-1e-3, 1)):
        dual_ub = sol.dual_ub.copy()
        dual_ub[met[0]] = dual
        face = optimal_face(lp, dataclasses.replace(sol, dual_ub=dual_ub), 1e-7)
        assert face.A_eq.shape[0] == rows + more
    free = np.flatnonzero((sol.x == lp.lb) & (lp.ub > lp.lb) & (sol.rc == 0))
    assert free.size
    for rc, fixed in ((-1e-3, False), (1e-3, True)):
        rcs = sol.rc.copy()
        rcs[free[0]] = rc
        face = optimal_face(lp, dataclasses.replace(sol, rc=rcs), 1e-7)
        assert bool(face.ub[free[0]] == face.lb[free[0]]) is fixed
