"""The benchmark's code paths at a tiny size, so that it cannot rot (no timing assertions)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("fiscal_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fiscal_bench"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("fiscal_bench", None)


PEERS = ["pulp", "linopy", "cvxpy", "highs"]


@pytest.mark.parametrize("case", ["national", "communes_5y", "stress", "communes_100k"])
@pytest.mark.parametrize("side", PEERS)
def test_fiscal_and_each_peer_reach_the_same_objective(bench, case, side):
    if side in ("linopy", "cvxpy"):
        pytest.importorskip(side)  # the bench extra (part of dev)
    ours = bench.runner(case, "fiscal", 30.0, quick=True)(True)
    peer = bench.runner(case, side, 30.0, quick=True)(True)
    assert peer.status == ours.status == "optimal"
    assert bench.agree(ours.objective, peer.objective), (ours.objective, peer.objective)
    for t in (ours, peer):
        assert t.total >= t.solve >= 0 and t.build >= 0
    if side == "highs":  # the solver alone: its total is its solve
        assert peer.total == peer.solve
    else:
        assert peer.total >= peer.build


def test_peers_see_the_same_lp_as_fiscal(bench):
    """The peers' formulation is fiscal's: the same columns (p and m for every cell) on a
    problem with 8 sectors, earmarks, transitions and limits written as rows."""
    from fiscal.model import build
    from fiscal.problem import prepare

    problem = prepare(bench.stress_scenario(tiny=True), bench.stress_units(tiny=True))
    prob, _ = bench.pulp_model(problem)
    assert len(prob.variables()) == build(problem, "need_gap").nvar


def test_stress_model_has_eight_sectors_earmarks_and_one_envelope(bench):
    from fiscal.problem import prepare

    problem = prepare(bench.stress_scenario(tiny=True), bench.stress_units(tiny=True))
    assert problem.S == 8 and abs(problem.sector_share.sum() - 1) < 1e-12
    assert {r.kind for r in problem.rules} == {"floor", "transition", "earmark"}
    assert problem.scenario.objective.kind == "need_gap"
    assert bench.stress_scenario().years == [2026, 2027, 2028, 2029, 2030]


def test_measure_table_and_summary_line(bench):
    rows = [
        bench.measure(case, side, reps=1, tiny=True)
        for case in ("national", "stress")
        for side in ("fiscal", "pulp", "highs")
    ]
    for r in rows:
        assert r["peak_mb"] > 0 and len(r["objectives"]) == 1
    lines = bench.table(rows)
    assert len(lines) == 2 + len(rows) and "÷ fiscal" in lines[0]
    line = bench.summary(rows, 1.234)
    assert re.fullmatch(
        r"national_ms=[\d.]+ communes_5y_s=n/a stress_s=[\d.]+ "
        r"speedup_vs_pulp=[\d.]+ communes100k_s=n/a scaling_exponent=1.23",
        line,
    ), line
    assert bench.summary(rows).endswith("scaling_exponent=n/a")


def test_peer_refuses_what_it_does_not_model(bench):
    from fiscal.pipeline import load_units_for
    from fiscal.problem import prepare

    scen = bench.national_scenario().with_value("objective.kind", "stability")
    with pytest.raises(ValueError, match="need_gap and shortfall_minimax"):
        bench.pulp_model(prepare(scen, load_units_for(scen)))


def test_synthetic_province_is_a_valid_commune_table(bench):
    units = bench.synthetic_units(50, seed=1)
    assert len(units.frame) == 50 and units.level == "commune"
    assert units.frame["code"].is_unique and (units.frame["parent"] == "99").all()
    assert units.illustrative  # every figure is marked estimated
    assert bench.synthetic_units(50, seed=1).frame.equals(units.frame)  # deterministic


@pytest.mark.parametrize("kind", ["shortfall_minimax", "need_gap"])
def test_scale_benchmark_paths_agree_on_a_small_province(kind):
    spec = importlib.util.spec_from_file_location("fiscal_scale", BENCH.parent / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    fast = scale.worker(300, kind, "fast", 1)
    lp = scale.worker(300, kind, "lp", 1)
    assert lp["units_differ"] == 0, lp
    assert abs(fast["objective"] - lp["objective"]) <= 1e-6 * max(1.0, abs(lp["objective"]))
    assert fast["peak_mb"] > 0 and fast["kernel"] >= 0
    assert scale.exponent([1000, 10000], [1.0, 10.0]) == pytest.approx(1.0)


def test_the_rate_model_benchmark_runs_and_both_backends_agree():
    spec = importlib.util.spec_from_file_location("fiscal_bench_rates", BENCH.parent / "rates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.measure(0)  # one run each, no timing
    assert [r["objective"] for r in rows] == list(module.OBJECTIVES)
    assert all(r["same_rates"] and r["integers"] == 68 for r in rows)
    # the tables too, but under maximin (known problem K9, tests/test_known_problems.py)
    assert all(r["same"] for r in rows if r["objective"] != "per_capita_maximin")


SUMMARY = re.compile(
    r"national_ms=(?P<national_ms>[\d.]+) communes_5y_s=(?P<communes_5y_s>[\d.]+) "
    r"stress_s=(?P<stress_s>[\d.]+) speedup_vs_pulp=(?P<speedup_vs_pulp>[\d.]+) "
    r"communes100k_s=(?P<communes100k_s>[\d.]+) scaling_exponent=(?P<scaling_exponent>-?[\d.]+)"
)


@pytest.mark.slow
def test_quick_run_prints_every_side_and_the_summary_last():
    """``bench.py --quick`` end to end (tiny sizes, a process per case and side): every side
    of every case solves to the same objective, and the last line is the key=value summary
    with the 100,000-commune province and the scaling exponent (values are not judged)."""
    out = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--timeout", "300"],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    match = SUMMARY.fullmatch(lines[-1])
    assert match, lines[-1]
    values = {k: float(v) for k, v in match.groupdict().items()}
    assert values["communes100k_s"] > 0 and values["national_ms"] > 0
    assert "DIFFERENT" not in out.stdout and "failed" not in out.stdout
    sides = [*bench_sides(out.stdout)]
    assert {"fiscal", "pulp", "highs"} <= set(sides)
    assert any(ln.startswith("scaling exponent fiscal: n^") for ln in lines)
    for side in ("linopy", "cvxpy"):  # run where installed, else said to be skipped
        installed = importlib.util.find_spec(side) is not None
        assert (side in sides) == installed
        assert (f"{side}: not installed, skipped" in out.stdout) == (not installed)


def bench_sides(stdout: str):
    """The sides of the result table's communes_100k rows."""
    for line in stdout.splitlines():
        if line.startswith("communes_100k "):
            yield line.split()[1]
