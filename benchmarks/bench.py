"""Benchmark: fiscal against the same models written idiomatically in PuLP.

    python benchmarks/bench.py            # all three sizes, full repetitions
    python benchmarks/bench.py --quick    # fewer repetitions
    python benchmarks/bench.py --case national --case stress

Three sizes (DESIGN.md, "Performance targets"):

* ``national``: ``fiscal/scenarios/national-2026-minimax.toml`` (34 provinces × 1 sector × 1 year),
  the whole ``fiscal.run`` in process: build + solve + tie-break + re-check + tables.
* ``communes_5y``: ``fiscal/scenarios/communes-2026-2030-all.toml`` (3,321 communes × 1 sector ×
  5 years, each province's communes under that province's envelope from the national
  transition scenario: 34 independent problems), the whole ``fiscal.run``.
* ``stress``: one LP over the 3,321 communes × 8 sectors × 5 years under one national envelope
  (``need_gap``, phased-out floors, an 8 % transition band, education ≥ 20 % and science &
  digital ≥ 3 % earmarks), ``prepare`` + ``run_problem``.

The peer writes the same formulation (split columns x = a + p − m around the same anchor, the
same scaling, per-cell limits as bounds where fiscal folds them, the same rows otherwise) the
way PuLP's documentation does: variable dicts, ``lpSum``, one constraint per row in Python
loops, solved by HiGHS through ``pulp.HiGHS``. The peer solves the primary LP only; fiscal's
times include its tie-break, rounding, re-check and tables, so the ratio is conservative. Both
must reach the same primary objective (relative 1e-6).

Each case and side runs in its own process, so that peak memory (``ru_maxrss``) belongs to it.
The last line is the summary ``national_ms=… communes_5y_s=… stress_s=… speedup_vs_pulp=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "fiscal" / "scenarios"
CASES = ("national", "communes_5y", "stress")
SIDES = ("fiscal", "pulp")
REPS = {  # (full, quick) repetitions per case and side; the median is reported
    ("national", "fiscal"): (31, 7),
    ("national", "pulp"): (15, 5),
    ("communes_5y", "fiscal"): (5, 1),
    ("communes_5y", "pulp"): (3, 1),
    ("stress", "fiscal"): (3, 1),
    ("stress", "pulp"): (1, 1),
}
STRESS_SECTORS = {  # illustrative need shares (sum to 1), as in the sector scenarios
    "education": 0.28,
    "health": 0.12,
    "administration": 0.18,
    "social": 0.10,
    "culture_sport": 0.04,
    "environment": 0.05,
    "economic": 0.21,
    "science_digital": 0.02,
}
# The peer's HiGHS (highspy 1.16, through PuLP) with fiscal's tolerances. Its new "initial
# sweep" presolve rule (bit 21) wrongly reports the stress LP infeasible (SciPy's HiGHS 1.12,
# and 1.16 with that rule off, solve it to the same optimum): the peer runs with it off.
PEER_OPTIONS = {
    "primal_feasibility_tolerance": 1e-9,
    "dual_feasibility_tolerance": 1e-9,
    "presolve_rule_off": 1 << 21,
}
REL_TOL = 1e-6  # both sides must reach the same primary objective


@dataclass
class Timing:
    """One timed run: seconds for build (data → model), solve, and the whole call."""

    build: float
    solve: float
    total: float
    objective: float
    primary: float  # fiscal: build + primary solve (the peer's work); peer: = total


# ----------------------------------------------------------------------------- the models


def national_scenario():
    """The national minimax scenario (or the baseline with the minimax objective)."""
    from fiscal.scenario import load_scenario

    path = SCENARIOS / "national-2026-minimax.toml"
    if path.exists():
        return load_scenario(path)
    base = load_scenario(SCENARIOS / "national-2026-baseline.toml")
    return base.with_value("objective.kind", "shortfall_minimax")


def communes_scenario(tiny: bool = False):
    """All communes 2026–2030 under their provinces' envelopes (tiny: one province, 2 years)."""
    from fiscal.scenario import load_scenario, scenario_from_dict

    scen = load_scenario(SCENARIOS / "communes-2026-2030-all.toml")
    if not tiny:
        return scen
    data = scen.to_dict()
    data["scenario"].update(province="08", years=[2026, 2027])
    data["envelope"] = {"baseline_factor": 1.03, "growth": 0.03}
    for c in data["constraints"]:
        if isinstance(c.get("ratio"), list):
            c["ratio"] = c["ratio"][:2]
    return scenario_from_dict(data, source="bench: communes (tiny)", path=scen.path)


def stress_scenario(tiny: bool = False):
    """3,321 communes × 8 sectors × 5 years under one national envelope (tiny: 2 years)."""
    from fiscal.scenario import load_scenario, scenario_from_dict

    scen = load_scenario(SCENARIOS / "communes-2026-2030-all.toml")
    data = scen.to_dict()
    years = data["scenario"]["years"][: 2 if tiny else 5]
    data["scenario"].update(
        name="stress: communes × 8 sectors × 5 years, one envelope", years=years
    )
    data["envelope"] = {
        "baseline_factor": 1.03,
        "growth": 0.03,
        "source": "illustrative: the communes' 2025 baseline + 3 % a year",
    }
    data["objective"] = {"kind": "need_gap"}
    data["solver"] = {"time_limit": 3600.0}  # measured, not limited
    data["sectors"] = [{"name": k, "need_share": v} for k, v in STRESS_SECTORS.items()]
    cons = [c for c in data["constraints"] if c["kind"] == "floor"]
    for c in cons:
        if isinstance(c.get("ratio"), list):
            c["ratio"] = c["ratio"][: len(years)]
    cons += [
        {"name": "transition", "kind": "transition", "max_change": 0.08},
        {"name": "education-floor", "kind": "earmark", "sector": "education", "min_share": 0.20},
        {
            "name": "science-digital-floor",
            "kind": "earmark",
            "sector": "science_digital",
            "min_share": 0.03,
        },
    ]
    data["constraints"] = cons
    return scenario_from_dict(data, source="bench: stress", path=scen.path)


def stress_units(tiny: bool = False):
    """All communes (tiny: the 124 communes of Tuyên Quang)."""
    from fiscal.data import bundled_units

    return bundled_units("commune", "08" if tiny else None)


def synthetic_units(n: int, seed: int = 0):
    """One synthetic province of ``n`` communes, resampled from the bundled 3,321.

    Each commune is a real commune's row (region, type, retention) with population, area,
    baseline and own revenue scaled by a lognormal factor (σ = 0.1) and rounded like the
    bundled table, under code ``S000001``…; every figure is marked estimated. The table goes
    through the schema's validation like an uploaded file.
    """
    import pandas as pd

    from fiscal.data import UnitTable, bundled_units, validate_units

    real = bundled_units("commune", None).frame
    rng = np.random.default_rng(seed)
    rows = real.iloc[rng.integers(0, len(real), n)].reset_index(drop=True)

    def noisy(column: str, decimals: int = 0) -> np.ndarray:
        factor = np.exp(rng.normal(0.0, 0.1, n))
        return np.round(rows[column].to_numpy(dtype=float) * factor, decimals)

    frame = pd.DataFrame(
        {
            "code": [f"S{k + 1:06d}" for k in range(n)],
            "name": [f"Synthetic commune {k + 1}" for k in range(n)],
            "type": rows["type"],
            "parent": "99",
            "region": rows["region"],
            "population": np.maximum(noisy("population"), 1.0),
            "area_km2": np.maximum(noisy("area_km2", 2), 0.01),
            "communes": 1,
            "eliminated_provinces": 0,
            "eliminated_communes": rows["eliminated_communes"],
            "baseline": noisy("baseline"),
            "own_revenue": noisy("own_revenue"),
            "retention": rows["retention"],
            "estimated": "population;area_km2;baseline;own_revenue;retention",
        }
    )
    source = f"synthetic:{n}-communes:seed-{seed}"
    typed = validate_units(frame.astype(str), source, "commune")
    return UnitTable(typed, "commune", source, "synthetic (resampled bundled communes)")


def synthetic_scenario(years: int = 5, kind: str = "shortfall_minimax"):
    """The commune scenario for one synthetic province: the national commune run's rules
    (phased-out floors, ``kind``) under the communes' baseline + 3 % a year."""
    from fiscal.scenario import load_scenario, scenario_from_dict

    scen = load_scenario(SCENARIOS / "communes-2026-2030-all.toml")
    data = scen.to_dict()
    data["scenario"].update(
        name=f"synthetic province × {years} years",
        province="99",
        years=data["scenario"]["years"][:years],
    )
    data["envelope"] = {
        "baseline_factor": 1.03,
        "growth": 0.03,
        "source": "illustrative: the communes' baseline + 3 % a year",
    }
    data["objective"] = {"kind": kind}
    data["solver"] = {"time_limit": 3600.0}  # measured, not limited
    for c in data["constraints"]:
        if isinstance(c.get("ratio"), list):
            c["ratio"] = c["ratio"][:years]
    return scenario_from_dict(data, source="bench: synthetic province", path=scen.path)


# ----------------------------------------------------------------------------- fiscal


def _fiscal_timing(result, wall: float, extra_build: float = 0.0) -> Timing:
    rt = result.runtime
    phases = (
        result.duals.get("phases", [])
        if not result.children
        else [p for c in result.children for p in c.duals.get("phases", [])]
    )
    # the primary LP solve, or the direct solvers' run that replaces primary and tie-break
    primary = [p for p in phases if p["phase"] in ("primary", "direct")]
    seconds = sum(p["runtime"] for p in primary)
    objective = float(np.mean([p["objective"] for p in primary]))  # before the tie-break
    build = extra_build + rt.get("data", 0.0) + rt.get("prepare", 0.0) + rt.get("build", 0.0)
    return Timing(build, rt.get("solve", 0.0), wall, objective, build + seconds)


def fiscal_national(tiny: bool = False) -> Timing:
    """``fiscal.run`` of the national scenario (tiny: the same; it is small)."""
    import fiscal

    scen = national_scenario()
    t0 = time.perf_counter()
    result = fiscal.run(scen)
    return _fiscal_timing(result, time.perf_counter() - t0)


def fiscal_communes(tiny: bool = False) -> Timing:
    """``fiscal.run`` of the national commune scenario (34 province problems)."""
    import fiscal

    scen = communes_scenario(tiny)
    t0 = time.perf_counter()
    result = fiscal.run(scen)
    return _fiscal_timing(result, time.perf_counter() - t0)


def fiscal_stress(tiny: bool = False) -> Timing:
    """``prepare`` + ``run_problem`` of the stress model (one LP)."""
    from fiscal.pipeline import run_problem
    from fiscal.problem import prepare

    scen = stress_scenario(tiny)
    t0 = time.perf_counter()
    problem = prepare(scen, stress_units(tiny))
    t1 = time.perf_counter()
    result = run_problem(problem)
    return _fiscal_timing(result, time.perf_counter() - t0, extra_build=t1 - t0)


# ----------------------------------------------------------------------------- the PuLP peer


def pulp_model(problem):
    """The fiscal LP of ``problem`` written idiomatically in PuLP; returns (prob, constant).

    Same formulation as :func:`fiscal.model.build`: cells x[t,s,i] = a + p − m around the
    objective's anchor, money scaled by the mean amount per unit; with one sector the floors,
    caps and the first-year transition band are bounds on p and m, otherwise rows. Supports
    the objectives ``need_gap`` and ``shortfall_minimax`` and the rules ``floor``, ``cap``,
    ``transition`` and ``earmark`` (what the benchmark uses).
    """
    import pulp

    from fiscal.formula import sector_weights

    kind = problem.scenario.objective.kind
    if kind not in ("need_gap", "shortfall_minimax"):
        raise ValueError(f"the PuLP peer covers need_gap and shortfall_minimax, not {kind}")
    T, S, n = problem.T, problem.S, problem.n
    scale = max(float(np.max(problem.envelope)), float(problem.baseline.sum()), 1.0) / n
    need, cap, gap = problem.need / scale, problem.capacity / scale, problem.gap / scale
    share = problem.sector_share
    if kind == "need_gap":
        anchor = {
            (t, s, i): float(gap[t, i] * share[s])
            for t in range(T)
            for s in range(S)
            for i in range(n)
        }
    else:
        F, w = problem.pure_formula() / scale, sector_weights(problem)
        anchor = {
            (t, s, i): float(F[t, i] * w[s]) for t in range(T) for s in range(S) for i in range(n)
        }
    lower = {(t, i): 0.0 for t in range(T) for i in range(n)}  # limits on X[t,i]
    upper: dict[tuple[int, int], float] = {}
    transitions, earmarks = [], []
    for r in problem.rules:
        if r.kind in ("floor", "cap", "transition"):
            for t in range(T):
                for i in range(n):
                    if r.lower is not None and not np.isnan(r.lower[t, i]):
                        lower[t, i] = max(lower[t, i], r.lower[t, i] / scale)
                    if r.upper is not None and not np.isnan(r.upper[t, i]):
                        upper[t, i] = min(upper.get((t, i), np.inf), r.upper[t, i] / scale)
            if r.kind == "transition":
                transitions.append(r)
        elif r.kind == "earmark":
            earmarks.append(r)
        else:
            raise ValueError(f"the PuLP peer does not cover rule kind {r.kind}")

    prob = pulp.LpProblem("fiscal_peer", pulp.LpMinimize)
    cells = list(anchor)
    p = prob.add_variable_dicts("p", cells, lowBound=0)
    m = prob.add_variable_dicts("m", cells, lowBound=0)
    for k in cells:
        m[k].upBound = anchor[k]  # x ≥ 0
    if S == 1:  # limits on X are limits on the one cell
        for (t, i), lo in lower.items():
            a = anchor[t, 0, i]
            p[t, 0, i].lowBound = max(0.0, lo - a)
            m[t, 0, i].upBound = max(0.0, a - lo)
        for (t, i), hi in upper.items():
            a = anchor[t, 0, i]
            p[t, 0, i].upBound = max(0.0, hi - a)
            m[t, 0, i].lowBound = max(0.0, a - hi)
    x = {k: anchor[k] + p[k] - m[k] for k in cells}
    X = {(t, i): pulp.lpSum(x[t, s, i] for s in range(S)) for t in range(T) for i in range(n)}

    for t in range(T):
        prob += (
            pulp.lpSum(X[t, i] for i in range(n)) == problem.envelope[t] / scale,
            f"envelope_{t}",
        )
    if S > 1:
        for (t, i), lo in lower.items():
            if lo > 0:
                prob += X[t, i] >= lo, f"lower_{t}_{i}"
        for (t, i), hi in upper.items():
            prob += X[t, i] <= hi, f"upper_{t}_{i}"
    for r in transitions:
        d = r.max_change
        for t in range(1, T):
            for i in np.flatnonzero(r.mask):
                prob += X[t, i] - (1 + d) * X[t - 1, i] <= 0, f"{r.name}_up_{t}_{i}"
                prob += (1 - d) * X[t - 1, i] - X[t, i] <= 0, f"{r.name}_down_{t}_{i}"
    for r in earmarks:
        s, need_share = r.sector, r.min_share
        for t in range(T):
            prob += (
                pulp.lpSum(x[t, s, i] for i in np.flatnonzero(r.mask))
                >= need_share * problem.envelope[t] / scale,
                f"{r.name}_{t}",
            )

    if kind == "need_gap":
        w = {(t, i): 1.0 / (need[t, i] * n * T) for t in range(T) for i in range(n)}
        prob += pulp.lpSum(w[t, i] * (p[t, s, i] + m[t, s, i]) for (t, s, i) in cells)
        surplus = np.maximum(problem.capacity - problem.need, 0.0) / problem.need
        constant = float(surplus.sum()) / (n * T)
    else:
        z = {t: prob.add_variable(f"z_{t}") for t in range(T)}
        for t in range(T):
            for i in range(n):
                prob += (
                    -X[t, i] - need[t, i] * z[t] <= cap[t, i] - need[t, i],
                    f"shortfall_{t}_{i}",
                )
        prob += pulp.lpSum(z[t] for t in range(T)) / T
        constant = 0.0
    return prob, constant


def _pulp_solve(prob) -> None:
    import pulp

    prob.solve(pulp.HiGHS(msg=False, **PEER_OPTIONS))
    if pulp.LpStatus[prob.status] != "Optimal":
        raise RuntimeError(f"PuLP/HiGHS did not solve the peer model: {pulp.LpStatus[prob.status]}")


def _pulp_problem(problem) -> tuple[float, float, float]:
    """Build and solve one problem with PuLP; returns (build s, solve s, objective)."""
    import pulp

    t0 = time.perf_counter()
    prob, constant = pulp_model(problem)
    t1 = time.perf_counter()
    _pulp_solve(prob)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, float(pulp.value(prob.objective)) + constant


def pulp_national(tiny: bool = False) -> Timing:
    """Prepare the national problem, then build and solve it in PuLP."""
    from fiscal.pipeline import load_units_for
    from fiscal.problem import prepare

    scen = national_scenario()
    t0 = time.perf_counter()
    problem = prepare(scen, load_units_for(scen))
    prep = time.perf_counter() - t0
    build, solve, objective = _pulp_problem(problem)
    total = time.perf_counter() - t0
    return Timing(prep + build, solve, total, objective, total)


def pulp_communes(tiny: bool = False) -> Timing:
    """The commune run with PuLP: the same envelopes, 34 problems built and solved in PuLP."""
    from fiscal import calibrate
    from fiscal.communes import envelopes_from, upper_scenario
    from fiscal.pipeline import load_units_for, run
    from fiscal.problem import prepare

    scen = communes_scenario(tiny)
    t0 = time.perf_counter()
    upper = upper_scenario(scen)
    envelopes = envelopes_from(run(upper), scen.years) if upper is not None else None
    codes = (
        sorted(calibrate.province_units()["code"])
        if scen.scenario.province == "all"
        else [scen.scenario.province]
    )
    build = solve = 0.0
    objectives = []
    for code in codes:
        t1 = time.perf_counter()
        problem = prepare(
            scen, load_units_for(scen, code), None if envelopes is None else envelopes[code]
        )
        prep = time.perf_counter() - t1
        b, s, obj = _pulp_problem(problem)
        build += prep + b
        solve += s
        objectives.append(obj)
    total = time.perf_counter() - t0
    return Timing(build, solve, total, float(np.mean(objectives)), total)


def pulp_stress(tiny: bool = False) -> Timing:
    """Prepare the stress problem, then build and solve it in PuLP."""
    from fiscal.problem import prepare

    scen = stress_scenario(tiny)
    t0 = time.perf_counter()
    problem = prepare(scen, stress_units(tiny))
    prep = time.perf_counter() - t0
    build, solve, objective = _pulp_problem(problem)
    total = time.perf_counter() - t0
    return Timing(prep + build, solve, total, objective, total)


RUNNERS = {
    ("national", "fiscal"): fiscal_national,
    ("national", "pulp"): pulp_national,
    ("communes_5y", "fiscal"): fiscal_communes,
    ("communes_5y", "pulp"): pulp_communes,
    ("stress", "fiscal"): fiscal_stress,
    ("stress", "pulp"): pulp_stress,
}


# ----------------------------------------------------------------------------- measuring


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(case: str, side: str, reps: int, tiny: bool = False) -> dict:
    """Run one case on one side ``reps`` times after a warm-up; medians and peak memory."""
    runner = RUNNERS[case, side]
    start_mb = _rss_mb()
    runner(True)  # warm-up at the tiny size: imports, bundled data, caches
    runs, cpu = [], []
    for _ in range(reps):
        c0 = time.process_time()
        runs.append(runner(tiny))
        cpu.append(time.process_time() - c0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    med = {k: statistics.median(getattr(r, k) for r in runs) for k in asdict(runs[0])}
    return {
        "case": case,
        "side": side,
        "reps": reps,
        **med,
        "cpu": statistics.median(cpu),
        "peak_mb": peak_mb,
        "delta_mb": peak_mb - start_mb,
        "objectives": [r.objective for r in runs],
        "load": os.getloadavg()[0],
    }


def _in_subprocess(case: str, side: str, reps: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", case, side, str(reps)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise RuntimeError(f"{case}/{side} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


def agree(a: float, b: float) -> bool:
    """Primary objectives equal to ``REL_TOL`` relative."""
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b), 1e-12)


def _fmt_time(seconds: float) -> str:
    return f"{seconds * 1e3:8.1f} ms" if seconds < 1 else f"{seconds:8.2f} s "


def table(rows: list[dict]) -> list[str]:
    """The result table, one line per case and side.

    ``total`` is the wall time of the whole call (fiscal: with tie-break, rounding, re-check and
    tables), ``cpu`` its CPU time, ``LP only`` fiscal's build + primary solve (the peer's work);
    ``peer ÷ ours`` compares totals, ``(LP)`` the same LP.
    """
    head = (
        f"{'case':<12} {'side':<7} {'reps':>4} {'build':>11} {'solve':>11} {'total':>11} "
        f"{'cpu':>11} {'LP only':>11} {'build %':>7} {'peak MB':>8} {'Δ MB':>6} "
        f"{'objective':>15} {'peer ÷ ours':>11} {'(LP)':>6}"
    )
    lines = [head, "-" * len(head)]
    by = {(r["case"], r["side"]): r for r in rows}
    for r in rows:
        ratio = lp_ratio = ""
        if r["side"] == "fiscal" and (r["case"], "pulp") in by:
            peer = by[r["case"], "pulp"]["total"]
            ratio = f"{peer / r['total']:10.1f}×"
            lp_ratio = f"{peer / r['primary']:5.1f}×"
        lines.append(
            f"{r['case']:<12} {r['side']:<7} {r['reps']:>4} {_fmt_time(r['build'])} "
            f"{_fmt_time(r['solve'])} {_fmt_time(r['total'])} {_fmt_time(r.get('cpu', 0.0))} "
            f"{_fmt_time(r['primary'])} {100 * r['build'] / r['total']:6.1f}% "
            f"{r['peak_mb']:8.0f} {r['delta_mb']:6.0f} {r['objective']:15.10g} {ratio:>11} "
            f"{lp_ratio:>6}"
        )
    return lines


def machine() -> str:
    """One line describing where the numbers come from."""
    import highspy  # noqa: F401
    import pulp
    import scipy

    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"scipy {scipy.__version__}, pulp {pulp.__version__}, "
        f"load {os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--case", action="append", choices=CASES, help="run only this case")
    parser.add_argument("--side", action="append", choices=SIDES, help="run only this side")
    parser.add_argument(
        "--worker", nargs=3, metavar=("CASE", "SIDE", "REPS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        case, side, reps = args.worker
        print("BENCH_JSON " + json.dumps(measure(case, side, int(reps))), flush=True)
        return 0
    cases = args.case or list(CASES)
    sides = args.side or list(SIDES)
    print(f"fiscal benchmark ({'quick' if args.quick else 'full'}): {machine()}", flush=True)
    rows = []
    for case in cases:
        for side in sides:
            reps = REPS[case, side][1 if args.quick else 0]
            rows.append(_in_subprocess(case, side, reps))
            print(
                f"  {case}/{side}: {rows[-1]['total']:.3f} s median of {reps} "
                f"(load {rows[-1]['load']:.1f})",
                flush=True,
            )
    print()
    print("\n".join(table(rows)))
    by = {(r["case"], r["side"]): r for r in rows}
    ok = True
    for case in cases:
        if (case, "fiscal") in by and (case, "pulp") in by:
            a, b = by[case, "fiscal"]["objective"], by[case, "pulp"]["objective"]
            same = agree(a, b)
            ok &= same
            print(
                f"objective {case}: fiscal {a:.10g}, pulp {b:.10g}: "
                f"{'same' if same else 'DIFFERENT'}"
            )
    print()
    print(summary(rows))
    return 0 if ok else 1


def summary(rows: list[dict]) -> str:
    """The last line: fiscal's medians and its speed-up over PuLP at the stress size."""
    by = {(r["case"], r["side"]): r for r in rows}

    def val(case: str, scale: float, fmt: str) -> str:
        r = by.get((case, "fiscal"))
        return "n/a" if r is None else format(r["total"] * scale, fmt)

    speed = "n/a"
    if ("stress", "fiscal") in by and ("stress", "pulp") in by:
        speed = f"{by['stress', 'pulp']['total'] / by['stress', 'fiscal']['total']:.1f}"
    return (
        f"national_ms={val('national', 1e3, '.1f')} communes_5y_s={val('communes_5y', 1, '.2f')} "
        f"stress_s={val('stress', 1, '.2f')} speedup_vs_pulp={speed}"
    )


if __name__ == "__main__":
    sys.exit(main())
