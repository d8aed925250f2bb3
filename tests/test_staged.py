"""Two-stage solves give the full LP's table (issue 12, point 1: a tie-break that costs a
fraction of the primary).

Where every rule bounds or couples unit totals, or is a hard earmark (``fiscal.staged``), a
problem with sectors is solved as its unit totals (one sector), then their split by sector.
Here the stages are held to the full LP and its tie-break (``run_problem(method="lp")``, both
backends) after the project's rounding:

* the stress model of benchmarks/ at its small size (124 communes × 8 sectors × 2 years: need
  gap, floors, transition band, two earmarks), on both backends;
* generated cases (the generators of tests/test_properties.py, with sectors, restricted to the
  structure), each objective the stages take;
* cases the stages refuse or hand back (a sector bound, a soft earmark, the blend; an earmark
  that costs the objective something at the totals' optimum).

Documented reasons a table may differ, each checked where it applies:

* **rounding at solver noise** and **CBC's precision**, as for the direct solvers
  (tests/test_fastpath_equivalence.py): the same optimum to the solvers' digits;
* **lexicographic vs weighted tie-break**: the full LP minimises term A (units' totals to the
  formula) plus 10⁻³ × term B (the split to the sector shares) in one LP, the stages term A
  first, then term B. Where an earmark binds in the split (term B > 0) the full LP may move a
  total by a little toward a cheaper split; both tables are optimal for the primary objective
  and meet every rule, the staged totals are the closest to the formula (term A no larger).

Where the full LP's optimum fails the re-check after rounding, the staged result must be refused
the same way, at the same optimum. (The case that showed it, a hard earmark left a unit short at
a rounding unit coarse against the cells, is fixed in the rounding and kept as
tests/fixtures/regressions/earmark-repair-breaks-another.)
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from reliability_helpers import examples, units_from_frame
from test_fastpath_equivalence import assert_same_table
from test_properties import scenario_dicts, unit_frames

from fiscal import staged
from fiscal.errors import InfeasibleError, SolverError
from fiscal.lp import Status
from fiscal.pipeline import allocate, run_problem
from fiscal.problem import Problem, prepare
from fiscal.scenario import scenario_from_dict

ROOT = Path(__file__).resolve().parents[1]


def _term_a(problem: Problem, x: np.ndarray) -> float:
    """The tie-break's term A at cells x: Σ weighted |X − F| over units and years."""
    from fiscal.tiebreak import tie_break_terms

    F = problem.pure_formula()
    terms = tie_break_terms(F[:, None, :], problem.need)
    return float((terms.unit_weight * np.abs(x.sum(axis=1) - F)).sum())


def check_case(problem: Problem, kind: str, backends=("highs", "pulp")) -> list[str]:
    """The stages against the full LP on each backend; returns the outcome per backend."""
    outcomes = []
    for backend in backends:
        try:
            st_ = staged.solve_staged(
                problem, kind, backend=backend, time_limit=60.0, tie_break=True
            )
        except staged.NoSplit:
            outcomes.append(f"{backend}: handed to the LP")
            continue
        try:
            result = run_problem(
                problem, objective=kind, backend=backend, tie_break=True, method="lp"
            )
        except InfeasibleError:
            assert st_.status is Status.infeasible, (
                f"{backend}: the stages solve an infeasible case"
            )
            outcomes.append(f"{backend}: infeasible on both")
            continue
        except SolverError as exc:
            # the full LP's optimum rounded fails the re-check (the rounding, not the stages:
            # found here on main@606b17f, per_capita_maximin, unit 1,000 over cells of 30–150,
            # a hard earmark a unit short; since fixed). Then the staged result is refused the
            # same way, at the same optimum.
            if exc.code != "solver.recheck":
                raise
            with pytest.raises(SolverError) as staged_exc:
                run_problem(problem, objective=kind, backend=backend, tie_break=True)
            assert staged_exc.value.code == "solver.recheck"
            lp_alloc = allocate(
                problem, objective=kind, backend=backend, tie_break=True, method="lp"
            )
            assert st_.status is Status.optimal, (backend, st_.status, st_.message)
            scale = max(1.0, abs(lp_alloc.objective), abs(st_.objective))
            assert abs(st_.objective - lp_alloc.objective) <= 1e-6 * scale
            outcomes.append(f"{backend}: the re-check refuses both (rounding)")
            continue
        assert st_.status is Status.optimal, (backend, st_.status, st_.message)
        scale = max(1.0, abs(result.objective), abs(st_.objective))
        # the same primary optimum (the LP's guard allows 10⁻⁷ of its optimised terms)
        assert abs(st_.objective - result.objective) <= 1e-6 * scale, (
            backend,
            st_.objective,
            result.objective,
        )
        try:
            outcomes.append(f"{backend}: {assert_same_table(problem, st_.x, result, backend)}")
        except AssertionError:
            # the one tie the two break differently: only where the split needed its LP, and
            # then the staged totals are at least as close to the formula (term A)
            split = [p for p in st_.phases if p["phase"] == "split"]
            assert split and split[0]["solved"], "different tables without a binding split"
            a_st, a_lp = _term_a(problem, st_.x), _term_a(problem, result.exact)
            assert a_st <= a_lp + 1e-6 * max(a_lp, 1.0), (a_st, a_lp)
            outcomes.append(f"{backend}: lexicographic tie")
    return outcomes


# ----------------------------------------------------------------------------- the stress model


def _stress(tiny: bool = True) -> Problem:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    return prepare(bench.stress_scenario(tiny), bench.stress_units(tiny))


def test_stress_model_takes_the_stages_and_keeps_its_table():
    problem = _stress()
    assert staged.why_not(problem, "need_gap") is None
    assert check_case(problem, "need_gap") == ["highs: same", "pulp: same"]
    result = run_problem(problem)
    assert result.method == "staged"
    assert [p["phase"] for p in result.duals["phases"]][-1] == "split"


@pytest.mark.parametrize("kind", staged.KINDS)
def test_stress_model_every_objective(kind):
    problem = _stress()
    assert all(o.endswith((": same", "handed to the LP")) for o in check_case(problem, kind))


def test_shipped_sector_scenario_without_its_sector_bounds():
    """commune-68-lam-dong-sectors (124 communes, 6 sectors, two earmarks) stays on the full LP
    for its sector bounds; without them it takes the stages, with the full LP's table under
    every objective the stages take, on both backends."""
    from fiscal.pipeline import load_units_for
    from fiscal.scenario import load_scenario

    scen = load_scenario(ROOT / "fiscal" / "scenarios" / "commune-68-lam-dong-sectors.toml")
    problem = prepare(scen, load_units_for(scen))
    assert "sector_bounds" in staged.why_not(problem, "shortfall_minimax")
    problem = problem.without_rules({r.name for r in problem.rules if r.kind == "sector_bounds"})
    for kind in staged.KINDS:
        assert staged.why_not(problem, kind) is None
        assert check_case(problem, kind) == ["highs: same", "pulp: same"], kind


# ----------------------------------------------------------------------------- generated


def _restrict(data: dict) -> dict:
    """At least two sectors; the rules the stages take (hard earmarks, every rule on totals)."""
    if "sectors" not in data or len(data["sectors"]) < 2:
        data["constraints"] = [
            r for r in data["constraints"] if r["kind"] not in ("earmark", "sector_bounds")
        ]
        data["sectors"] = [
            {"name": "s0", "need_share": 0.3},
            {"name": "s1", "need_share": 0.7},
        ]
        data["constraints"].append(
            {"name": "earmark-s0", "kind": "earmark", "sector": "s0", "min_share": 0.2}
        )
    rules = []
    for rule in data["constraints"]:
        if rule["kind"] == "sector_bounds":
            continue
        if rule["kind"] == "earmark":
            rule = {k: v for k, v in rule.items() if k != "soft"}
        rules.append(rule)
    data["constraints"] = rules
    return data


@pytest.mark.parametrize("kind", staged.KINDS)
@settings(max_examples=examples(25), deadline=None)
@given(data=st.data())
def test_generated_cases(kind: str, data: st.DataObject) -> None:
    frame = data.draw(unit_frames())
    scen = scenario_from_dict(
        _restrict(data.draw(scenario_dicts(frame, kind))), source="generated.toml"
    )
    problem = prepare(scen, units_from_frame(frame))
    assert staged.why_not(problem, kind) is None
    for outcome in check_case(problem, kind):
        event(outcome)


# ----------------------------------------------------------------------------- refused


def test_what_the_stages_refuse():
    problem = _stress()
    assert staged.why_not(problem, "blend") is not None

    soft = [dataclasses.replace(r, soft=True) if r.kind == "earmark" else r for r in problem.rules]
    assert "ties the sectors" in staged.why_not(
        dataclasses.replace(problem, rules=soft), "need_gap"
    )
    # soft rules on totals too: their priced slack gave the two stages' tie-breaks different
    # tolerances (a generated need_gap case with a soft cap: 0.55 of 460,000 moved within the
    # guard, the primary objective equal to 10⁻⁹)
    for kind in ("floor", "transition"):
        soft = [dataclasses.replace(r, soft=True) if r.kind == kind else r for r in problem.rules]
        reason = staged.why_not(dataclasses.replace(problem, rules=soft), "need_gap")
        assert reason is not None and f"({kind})" in reason
    one = dataclasses.replace(problem, sectors=["all"], sector_share=np.ones(1))
    assert staged.why_not(one, "need_gap") is not None


# ----------------------------------------------------------------------------- explanations


def test_a_staged_results_explanations_are_the_lps():
    """The ledger (duals, costs) and a unit's waterfall of a staged result are the full LP's:
    the first stage's duals are the full LP's, and the earmarks, met in the split at no cost to
    the objective, have dual 0 on both paths."""
    problem = _stress()
    ours, lp = run_problem(problem), run_problem(problem, method="lp")
    assert (ours.method, lp.method) == ("staged", "lp")
    a, b = ours.constraints, lp.constraints
    assert a[["name", "binding"]].equals(b[["name", "binding"]])
    for col in ("dual", "cost"):
        assert np.allclose(a[col], b[col], rtol=1e-6, atol=1e-9, equal_nan=True), col
    for code in problem.codes[:5]:
        steps_a, steps_b = ours.explain(code).steps, lp.explain(code).steps
        assert [s.rule for s in steps_a] == [s.rule for s in steps_b]
        assert np.allclose([s.amount for s in steps_a], [s.amount for s in steps_b], atol=1e-6)


def test_the_json_says_which_path_computed_the_figures():
    import json

    from fiscal.export import json_bytes

    problem = _stress()
    for method, expected in (("auto", "staged"), ("lp", "lp")):
        result = run_problem(problem, method=method)
        prov = json.loads(json_bytes(result))["provenance"]
        assert prov["method"] == expected
        assert (
            prov["computed_by"]["allocation"] == {"staged": "staged-highs", "lp": "highs"}[expected]
        )
        assert prov["computed_by"]["constraints"] == "highs"
    from fiscal.pipeline import run

    national = run(ROOT / "fiscal" / "scenarios" / "national-2026-need-gap.toml")
    assert national.provenance["method"] == "direct"  # no sectors: the direct solvers
    formula = run(ROOT / "fiscal" / "scenarios" / "national-2026-baseline.toml")
    assert formula.provenance["method"] == "formula"
