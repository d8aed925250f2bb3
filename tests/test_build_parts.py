"""One build for the parts of a run (issue 12, point 4): ``build_parts(problems, kind)`` writes
the LPs of several problems of one scenario in one pass and slices them; every field of every
sliced LP equals ``build(problem, kind)``'s to the bit (canonical CSR: data, indices, indptr).

Checked on the shipped commune scenarios (the national commune run: its 34 provinces as parts)
under every optimising objective, and on generated problems with rules of every kind split
into parts — those whose rules the parts build cannot write over parts (rules written as rows)
take its fallback, one build per problem, and must equal all the same.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import event, given, settings
from hypothesis import strategies as st
from reliability_helpers import examples, units_from_frame
from test_properties import scenario_dicts, unit_frames

from fiscal import calibrate, communes, model, pipeline
from fiscal.errors import FiscalError
from fiscal.lp import LinearProgram
from fiscal.model import build, build_parts
from fiscal.problem import Problem, prepare, prepare_parts
from fiscal.scenario import load_scenario, scenario_from_dict

SCENARIOS = Path(__file__).resolve().parents[1] / "fiscal" / "scenarios"
ALL = SCENARIOS / "communes-2026-2030-all.toml"
KINDS = ("shortfall_minimax", "per_capita_maximin", "need_gap", "stability", "blend")


def _same_array(a: object, b: object, what: str) -> None:
    if a is None or b is None:
        assert a is None and b is None, what
        return
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape, (what, a.dtype, b.dtype, a.shape, b.shape)
    assert a.tobytes() == b.tobytes(), what  # bit for bit (NaN, −0.0 included)


def _canonical(A: sp.csr_matrix) -> sp.csr_matrix:
    A = A.copy()
    A.sum_duplicates()  # sorted indices, duplicates summed (explicit zeros kept)
    return A


def assert_same_lp(a: LinearProgram, b: LinearProgram) -> None:
    """Every field of two LPs equal to the bit."""
    for f in dataclasses.fields(LinearProgram):
        x, y = getattr(a, f.name), getattr(b, f.name)
        what = f.name
        if isinstance(x, sp.spmatrix | sp.sparray):
            assert x.shape == y.shape, what
            cx, cy = _canonical(x), _canonical(y)
            for part in ("data", "indices", "indptr"):
                _same_array(getattr(cx, part), getattr(cy, part), f"{what}.{part}")
        elif f.name in ("stages", "levels"):
            assert (x is None) == (y is None), what
            if x is not None:
                assert len(x) == len(y), what
                for k, (u, v) in enumerate(zip(x, y, strict=True)):
                    if isinstance(u, np.ndarray):
                        _same_array(u, v, f"{what}[{k}]")
                    else:
                        assert type(u) is type(v) and u == v, (what, k, u, v)
        elif f.name == "bound_records":
            assert len(x) == len(y), what
            for r, s in zip(x, y, strict=True):
                assert (r.rule, r.kind, r.side) == (s.rule, s.kind, s.side), what
                _same_array(r.cells, s.cells, f"{what}.cells")
        elif f.name in ("blocks", "rows"):
            assert x == y, what
            items = x.values() if f.name == "blocks" else x
            others = y.values() if f.name == "blocks" else y
            for u, v in zip(items, others, strict=True):  # ints, not numpy ints
                assert [type(s) for s in (u.start, *u.shape)] == [
                    type(s) for s in (v.start, *v.shape)
                ], what
        elif isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            _same_array(x, y, what)
        else:
            assert type(x) is type(y), (what, type(x), type(y))
            assert x == y or repr(x) == repr(y), (what, x, y)


def _all_communes(kind: str) -> list[Problem]:
    """The 34 provinces' problems of the national commune run under ``kind`` (as run_communes
    prepares them: one resolution, sliced)."""
    scen = load_scenario(ALL).with_value("objective.kind", kind)
    upper = communes.upper_scenario(scen)
    assert upper is not None
    envelopes = communes.envelopes_from(pipeline.run(upper), scen.years)
    codes = sorted(calibrate.province_units()["code"])
    whole = pipeline.load_units_for(scen, "all")
    tables = communes.split_units(whole, codes, bundled=True)
    rows = communes.part_rows(whole, codes)
    return prepare_parts(scen, whole, [(rows[c], tables[c], envelopes[c]) for c in codes])


@pytest.mark.parametrize("kind", KINDS)
def test_national_commune_run_sliced_as_built_one_by_one(kind: str) -> None:
    problems = _all_communes(kind)
    assert len(problems) == 34
    assert model.parts_ok(problems, kind)  # the one pass, not its fallback
    sliced = build_parts(problems, kind)
    assert len(sliced) == 34
    for p, lp in zip(problems, sliced, strict=True):
        assert_same_lp(lp, build(p, kind))


@pytest.mark.parametrize(
    "name", ["commune-08-tuyen-quang.toml", "commune-68-lam-dong-sectors.toml"]
)
@pytest.mark.parametrize("kind", KINDS)
def test_one_province_scenarios_split_into_parts(name: str, kind: str) -> None:
    """A province's communes cut into three parts (each its own problem, as a commune run's
    provinces): the sliced LPs are the parts' own builds (Lâm Đồng's earmarks are rows: the
    fallback, one build per part)."""
    scen = load_scenario(SCENARIOS / name).with_value("objective.kind", kind)
    whole = pipeline.load_units_for(scen)
    cuts = np.array_split(np.arange(len(whole.frame)), 3)
    problems = [
        prepare(scen, dataclasses.replace(whole, frame=whole.frame.iloc[c].reset_index(drop=True)))
        for c in cuts
    ]
    assert model.parts_ok(problems, kind) == (problems[0].S == 1)
    for p, lp in zip(problems, build_parts(problems, kind), strict=True):
        assert_same_lp(lp, build(p, kind))
    (alone,) = build_parts(problems[:1], kind)
    assert_same_lp(alone, build(problems[0], kind))


#: the rule kinds the one pass takes (hard, on units without sectors: bounds on the cells)
FOLDED = ("floor", "cap", "per_capita_min", "merger_support")


@st.composite
def parted_cases(draw: st.DrawFn) -> tuple[list[Problem], str, bool]:
    frame = draw(unit_frames(min_units=3, max_units=30))
    kind = draw(st.sampled_from(KINDS))
    folded = draw(st.booleans())
    data = draw(scenario_dicts(frame, kind, soft=not folded and draw(st.booleans())))
    if folded:  # what the one pass takes; the others keep every kind (most take the fallback)
        data.pop("sectors", None)
        data["constraints"] = [
            {**c, "soft": False} if "soft" in c else c
            for c in data["constraints"]
            if c["kind"] in FOLDED
        ]
    scen = scenario_from_dict(data, source="generated.toml")
    k = draw(st.integers(1, min(4, len(frame))))
    bounds = sorted(draw(st.sets(st.integers(1, len(frame) - 1), min_size=k - 1, max_size=k - 1)))
    problems = []
    for lo, hi in zip([0, *bounds], [*bounds, len(frame)], strict=True):
        part = frame.iloc[lo:hi].reset_index(drop=True)
        try:
            problems.append(prepare(scen, units_from_frame(part)))
        except FiscalError:  # e.g. a group's region absent from this part
            continue
    return problems, kind, folded


@settings(max_examples=examples(80), deadline=None)
@given(case=parted_cases())
def test_generated_problems_in_parts(case: tuple[list[Problem], str, bool]) -> None:
    problems, kind, folded = case
    if not problems:
        return
    ok = model.parts_ok(problems, kind)
    assert ok or not folded or len(problems) == 1
    event("one pass" if ok else "fallback")
    for p, lp in zip(problems, build_parts(problems, kind), strict=True):
        assert_same_lp(lp, build(p, kind))


@pytest.mark.parametrize("kind", ["stability", "shortfall_minimax"])
def test_the_commune_run_hands_allocate_each_provinces_own_lp(kind: str) -> None:
    """pipeline.lp_models: the LP allocate builds for each province on the LP path (stability:
    the 12 whose floors cut the even path), None where the direct solvers take it."""
    problems = _all_communes(kind)
    lps = pipeline.lp_models(problems)
    on_lp = [p for p, lp in zip(problems, lps, strict=True) if lp is not None]
    assert len(on_lp) == (12 if kind == "stability" else 0)
    for p, lp in zip(problems, lps, strict=True):
        if lp is not None:
            assert_same_lp(lp, build(p))
            assert pipeline.allocate(p, lp=lp).method == pipeline.allocate(p).method == "lp"


def test_parts_of_different_scenarios_are_not_folded_together() -> None:
    """A builder's parts fold at once only where their rules fold alike; else nothing is
    folded and build_parts builds each part alone."""
    from fiscal.builder import Builder

    one = load_scenario(SCENARIOS / "commune-08-tuyen-quang.toml").with_value(
        "objective.kind", "need_gap"
    )
    other = one.with_value("constraints", [])
    units = pipeline.load_units_for(one)
    problems = [prepare(one, units), prepare(other, units)]
    n = problems[0].n
    b = Builder(1, 1, [n, n], [1.0, 1.0], np.zeros(2 * n))
    assert b.fold_parts(problems, elastic=False) is None
    assert not model.parts_ok(problems)
    for p, lp in zip(problems, build_parts(problems), strict=True):
        assert_same_lp(lp, build(p))
