"""Benchmark: fiscal against its peers and against HiGHS alone, at four sizes, and its growth.

    python benchmarks/bench.py                  # every case and side at full size (~15 min)
    python benchmarks/bench.py --quick          # smoke run: tiny sizes, one repetition each
    python benchmarks/bench.py --reps 1         # full sizes, one repetition each
    python benchmarks/bench.py --case stress --side fiscal --side highs

Cases (DESIGN.md, "Performance targets"):

* ``national``: ``fiscal/scenarios/national-2026-minimax.toml`` (34 provinces × 1 sector × 1 year),
  the whole ``fiscal.run`` in process: build + solve + tie-break + re-check + tables.
* ``communes_5y``: ``fiscal/scenarios/communes-2026-2030-all.toml`` (3,321 communes × 1 sector ×
  5 years, each province's communes under that province's envelope from the national
  transition scenario: 34 independent problems), the whole ``fiscal.run``.
* ``stress``: one LP over the 3,321 communes × 8 sectors × 5 years under one national envelope
  (``need_gap``, phased-out floors, an 8 % transition band, education ≥ 20 % and science &
  digital ≥ 3 % earmarks), ``prepare`` + ``run_problem``.
* ``communes_100k``: one synthetic province of 100,000 communes × 5 years (``synthetic_units``,
  the generator ``benchmarks/scale.py`` uses), the whole ``fiscal.run`` with the units given.
* ``scaling``: the same province at n = 1,000 … 100,000 communes, fiscal end to end (and HiGHS
  alone on its LP up to ``--lp-max``); the exponent is the least-squares slope of log time
  against log n (``scale.exponent``).

Sides (``benchmarks/peers.py``): ``fiscal``; the same LP written idiomatically in ``pulp``,
``linopy`` and ``cvxpy`` (the last two from the ``bench`` extra, skipped with a message when not
installed), each solved by HiGHS; and ``highs``: fiscal's own LP as an MPS file solved by HiGHS
alone (its ``run()`` time: the solver's limit). The peers solve the primary LP only; fiscal's
times include its tie-break, rounding, re-check and tables, so the ratios are conservative. All
must reach the same primary objective (relative 1e-6). Every LP solve of a peer or of HiGHS
alone stops at ``--time-limit`` (reported as a lower bound), every process at ``--timeout``.

Each case and side runs in its own process, so that peak memory (``ru_maxrss``) belongs to it.
The last line is the summary ``national_ms=… communes_5y_s=… stress_s=… speedup_vs_pulp=…
communes100k_s=… scaling_exponent=…`` (fiscal's medians; ``n/a`` where a case did not run).
"""

from __future__ import annotations

import argparse
import json
import math
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import (  # noqa: E402  (the benchmarks' folder first)
    INSTALL_HINT,
    PEER_OPTIONS,  # noqa: F401  (re-exported: the options every peer solves with)
    SOLVERS,
    available,
    pulp_model,  # noqa: F401  (re-exported for the smoke tests)
)
from scale import exponent  # noqa: E402

ROOT = HERE.parent
SCENARIOS = ROOT / "fiscal" / "scenarios"
CASES = ("national", "communes_5y", "stress", "communes_100k")
SIDES = ("fiscal", "pulp", "linopy", "cvxpy", "highs")
PROVINCE_N = (100_000, 2_000)  # communes_100k: (full, quick)
SCALE_N = ((1_000, 3_000, 10_000, 30_000, 100_000), (300, 1_000, 3_000))
LP_MAX = (10_000, 1_000)  # scaling: the largest n HiGHS alone solves (full, quick)
TIME_LIMIT = (60.0, 30.0)  # seconds per LP solve of a peer or of HiGHS alone (full, quick)
TIMEOUT = 900.0  # seconds per process
REPS = {  # full repetitions per case and side (quick: 1); the median is reported
    "national": {"fiscal": 31, "pulp": 15, "linopy": 15, "cvxpy": 15, "highs": 15},
    "communes_5y": {"fiscal": 5, "pulp": 3, "linopy": 3, "cvxpy": 3, "highs": 3},
    "stress": {"fiscal": 3, "pulp": 1, "linopy": 1, "cvxpy": 1, "highs": 1},
    "communes_100k": {"fiscal": 3, "pulp": 1, "linopy": 1, "cvxpy": 1, "highs": 1},
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
REL_TOL = 1e-6  # every side must reach the same primary objective


@dataclass
class Timing:
    """One timed run: seconds for build (data → model), solve, and the whole call."""

    build: float
    solve: float
    total: float
    objective: float
    primary: float  # fiscal: build + primary solve (the peer's work); peers: = total
    status: str = "optimal"  # or "time_limit": the LP solve stopped at the limit


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


_UNITS: dict[int, object] = {}


def province_units(n: int):
    """``synthetic_units(n)``, made once per process (outside every timed call)."""
    if n not in _UNITS:
        _UNITS[n] = synthetic_units(n)
    return _UNITS[n]


# ----------------------------------------------------------------------------- fiscal


def _fiscal_timing(result, wall: float, extra_build: float = 0.0) -> Timing:
    rt = result.runtime
    phases = [p for r in (result.children or [result]) for p in r.duals.get("phases", [])]
    # the primary LP solve, or the direct solvers' run that replaces primary and tie-break
    primary = [p for p in phases if p["phase"] in ("primary", "direct")]
    build = extra_build + rt.get("data", 0.0) + rt.get("prepare", 0.0) + rt.get("build", 0.0)
    if primary:
        seconds = sum(p["runtime"] for p in primary)
        objective = float(np.mean([p["objective"] for p in primary]))  # before the tie-break
    else:  # a run that records no phases (e.g. batched): its solve stage and objective
        seconds, objective = rt.get("solve", 0.0), float(result.objective)
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


def fiscal_province(n: int) -> Timing:
    """``fiscal.run`` of one synthetic province of ``n`` communes × 5 years, units given."""
    import fiscal

    scen, units = synthetic_scenario(5), province_units(n)
    t0 = time.perf_counter()
    result = fiscal.run(scen, units=units)
    return _fiscal_timing(result, time.perf_counter() - t0)


# ----------------------------------------------------------------------------- the peers


def case_problems(case: str, tiny: bool = False):
    """The prepared problems of ``case``, one at a time (preparing them is the peer's work)."""
    from fiscal.pipeline import load_units_for
    from fiscal.problem import prepare

    if case == "national":
        scen = national_scenario()
        yield prepare(scen, load_units_for(scen))
    elif case == "communes_5y":
        from fiscal import calibrate
        from fiscal.communes import envelopes_from, upper_scenario
        from fiscal.pipeline import run

        scen = communes_scenario(tiny)
        upper = upper_scenario(scen)
        envelopes = envelopes_from(run(upper), scen.years) if upper is not None else None
        codes = (
            sorted(calibrate.province_units()["code"])
            if scen.scenario.province == "all"
            else [scen.scenario.province]
        )
        for code in codes:
            yield prepare(
                scen, load_units_for(scen, code), None if envelopes is None else envelopes[code]
            )
    elif case == "stress":
        yield prepare(stress_scenario(tiny), stress_units(tiny))
    elif case.startswith("province:"):
        yield prepare(synthetic_scenario(5), province_units(int(case.split(":")[1])))
    else:
        raise ValueError(f"unknown case {case}")


def peer_run(case: str, side: str, time_limit: float, tiny: bool = False) -> Timing:
    """Prepare ``case``'s problems and solve each with ``side`` (a modeller or HiGHS alone).

    Modellers: ``total`` is the wall time of the whole (envelopes, prepare, model, solve),
    ``build`` all of it but the solve calls. HiGHS alone: ``total`` = ``solve`` = its ``run()``
    time summed, ``build`` its reading of the MPS files.
    """
    solver = SOLVERS[side]
    t0 = time.perf_counter()
    build = solve = 0.0
    objectives, status = [], "optimal"
    for problem in case_problems(case, tiny):
        r = solver(problem, time_limit)
        build, solve = build + r.build, solve + r.solve
        objectives.append(r.objective)
        if r.status != "optimal":
            status = r.status
    wall = time.perf_counter() - t0
    objective = float(np.mean(objectives))
    if side == "highs":
        return Timing(build, solve, solve, objective, solve, status)
    return Timing(wall - solve, solve, wall, objective, wall, status)


def runner(case: str, side: str, time_limit: float, quick: bool):
    """A function ``tiny -> Timing`` for ``case`` (or ``scaling:N``) on ``side``; ``quick``
    measures the tiny size."""
    if case.startswith("scaling:") or case == "communes_100k":
        n = int(case.split(":")[1]) if ":" in case else PROVINCE_N[quick]
        if side == "fiscal":
            return lambda tiny: fiscal_province(PROVINCE_N[1] if tiny else n)
        return lambda tiny: peer_run(f"province:{PROVINCE_N[1] if tiny else n}", side, time_limit)
    if side == "fiscal":
        fn = {"national": fiscal_national, "communes_5y": fiscal_communes, "stress": fiscal_stress}
        return lambda tiny: fn[case](tiny or quick)
    return lambda tiny: peer_run(case, side, time_limit, tiny or quick)


# ----------------------------------------------------------------------------- measuring


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(
    case: str, side: str, reps: int, tiny: bool = False, time_limit: float = TIME_LIMIT[0]
) -> dict:
    """Run one case on one side ``reps`` times after a warm-up at the tiny size (imports,
    bundled data, caches); medians and peak memory. A run that stops at the time limit ends
    the repetitions."""
    run = runner(case, side, time_limit, tiny)
    start_mb = _rss_mb()
    run(True)  # warm-up
    runs, cpu = [], []
    for _ in range(reps):
        c0 = time.process_time()
        runs.append(run(False))
        cpu.append(time.process_time() - c0)
        if runs[-1].status != "optimal":
            break
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    numbers = [k for k in asdict(runs[0]) if k != "status"]
    med = {k: statistics.median(getattr(r, k) for r in runs) for k in numbers}
    return {
        "case": case,
        "side": side,
        "reps": len(runs),
        **med,
        "status": runs[-1].status,
        "cpu": statistics.median(cpu),
        "peak_mb": peak_mb,
        "delta_mb": peak_mb - start_mb,
        "objectives": [r.objective for r in runs],
        "load": os.getloadavg()[0],
    }


def _failed(case: str, side: str, status: str, seconds: float) -> dict:
    nan = float("nan")
    return {
        "case": case, "side": side, "reps": 0, "build": nan, "solve": nan, "total": seconds,
        "objective": nan, "primary": seconds, "status": status, "cpu": nan, "peak_mb": nan,
        "delta_mb": nan, "objectives": [], "load": os.getloadavg()[0],
    }  # fmt: skip


def in_subprocess(
    case: str, side: str, reps: int, quick: bool, time_limit: float, timeout: float
) -> dict:
    """:func:`measure` in a fresh process; a process that fails or outlives ``timeout`` gives
    a row whose status says so (the benchmark goes on)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", case, side, str(reps)]
    cmd += ["--time-limit", str(time_limit)] + (["--quick"] if quick else [])
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, cwd=ROOT, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return _failed(case, side, "timeout", timeout)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    last = (out.stderr.strip().splitlines() or ["no output"])[-1]
    print(f"  {case}/{side} failed:\n{out.stderr[-3000:]}", file=sys.stderr)
    return _failed(case, side, f"failed: {last[:80]}", float("nan"))


def agree(a: float, b: float) -> bool:
    """Primary objectives equal to ``REL_TOL`` relative."""
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b), 1e-12)


def _fmt_time(seconds: float) -> str:
    if seconds != seconds:
        return "—".rjust(11)
    return f"{seconds * 1e3:8.1f} ms" if seconds < 1 else f"{seconds:8.2f} s "


def _ratio(value: float, base: float, bound: bool) -> str:
    if value != value or base != base or base <= 0:
        return ""
    return f"{'≥' if bound else ''}{value / base:.1f}×"


def table(rows: list[dict]) -> list[str]:
    """The result table, one line per case and side.

    ``total`` is the wall time of the whole call (fiscal: with tie-break, rounding, re-check and
    tables; ``highs``: its solve alone), ``cpu`` its CPU time, ``LP only`` fiscal's build +
    primary solve (the peer's work); ``÷ fiscal`` is a side's total over fiscal's, ``(LP)``
    over fiscal's LP only: above 1, fiscal is faster. ``≥``: the side stopped at the limit.
    """
    head = (
        f"{'case':<13} {'side':<7} {'reps':>4} {'build':>11} {'solve':>11} {'total':>11} "
        f"{'cpu':>11} {'LP only':>11} {'peak MB':>8} {'objective':>15} {'÷ fiscal':>9} "
        f"{'(LP)':>8}  status"
    )
    lines = [head, "-" * len(head)]
    by = {(r["case"], r["side"]): r for r in rows}
    for r in rows:
        ratio = lp_ratio = ""
        ours = by.get((r["case"], "fiscal"))
        if r["side"] != "fiscal" and ours is not None and ours["status"] == "optimal":
            bound = r["status"] != "optimal"
            ratio = _ratio(r["total"], ours["total"], bound)
            lp_ratio = _ratio(r["total"], ours["primary"], bound)
        lines.append(
            f"{r['case']:<13} {r['side']:<7} {r['reps']:>4} {_fmt_time(r['build'])} "
            f"{_fmt_time(r['solve'])} {_fmt_time(r['total'])} {_fmt_time(r['cpu'])} "
            f"{_fmt_time(r['primary'])} {r['peak_mb']:8.0f} {r['objective']:15.10g} "
            f"{ratio:>9} {lp_ratio:>8}  {r['status']}"
        )
    return lines


def scaling_lines(rows: list[dict]) -> tuple[list[str], float]:
    """The scaling table (seconds by n, fiscal and HiGHS alone) and fiscal's exponent."""
    by = {(int(r["case"].split(":")[1]), r["side"]): r for r in rows}
    ns = sorted({n for n, _ in by})
    lines = [f"{'n':>8} {'fiscal':>11} {'highs':>11} {'highs ÷ fiscal':>15}"]
    for n in ns:
        f, h = by.get((n, "fiscal")), by.get((n, "highs"))
        ft = f["total"] if f and f["status"] == "optimal" else float("nan")
        ht = h["total"] if h else float("nan")
        ratio = _ratio(ht, ft, bool(h) and h["status"] != "optimal")
        lines.append(f"{n:>8,} {_fmt_time(ft)} {_fmt_time(ht)} {ratio:>15}")
    result = float("nan")
    for side in ("fiscal", "highs"):
        pts = [
            (n, by[n, side]["total"])
            for n in ns
            if by.get((n, side), {}).get("status") == "optimal"
        ]
        if len(pts) >= 2:
            e = exponent([p[0] for p in pts], [p[1] for p in pts])
            lines.append(f"scaling exponent {side}: n^{e:.2f} over {pts[0][0]:,}–{pts[-1][0]:,}")
            if side == "fiscal":
                result = e
    return lines, result


def machine() -> str:
    """One line describing where the numbers come from."""
    import highspy  # noqa: F401
    import pulp
    import scipy

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = [f"numpy {np.__version__}", f"scipy {scipy.__version__}", f"pulp {pulp.__version__}"]
    from importlib.metadata import PackageNotFoundError, version

    for name in ("highspy", "linopy", "cvxpy"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (
        f"{platform.machine()}, {cpu}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {', '.join(versions)}; load average {load}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: tiny sizes, one repetition each"
    )
    parser.add_argument("--reps", type=int, help="repetitions per case and side (default: REPS)")
    parser.add_argument(
        "--case", action="append", choices=(*CASES, "scaling"), help="run only this case"
    )
    parser.add_argument("--side", action="append", choices=SIDES, help="run only this side")
    parser.add_argument("--time-limit", type=float, help="seconds per peer or HiGHS LP solve")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per process")
    parser.add_argument("--lp-max", type=int, help="scaling: largest n HiGHS alone solves")
    parser.add_argument(
        "--worker", nargs=3, metavar=("CASE", "SIDE", "REPS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    quick = args.quick
    time_limit = args.time_limit or TIME_LIMIT[quick]
    if args.worker:
        case, side, reps = args.worker
        row = measure(case, side, int(reps), tiny=quick, time_limit=time_limit)
        print("BENCH_JSON " + json.dumps(row), flush=True)
        return 0
    cases = args.case or [*CASES, "scaling"]
    sides = [s for s in (args.side or SIDES)]
    print(f"fiscal benchmark ({'quick: tiny sizes' if quick else 'full'}): {machine()}", flush=True)
    for side in sides:
        if not available(side):
            print(f"  {side}: not installed, skipped ({INSTALL_HINT} installs it)", flush=True)
    sides = [s for s in sides if available(s)]

    def reps_of(case: str, side: str) -> int:
        return 1 if quick else args.reps or REPS[case][side]

    def run(case: str, side: str, reps: int) -> dict:
        row = in_subprocess(case, side, reps, quick, time_limit, args.timeout)
        print(
            f"  {case}/{side}: {row['total']:.3f} s median of {row['reps']} "
            f"({row['status']}; load {row['load']:.1f})",
            flush=True,
        )
        return row

    rows = [run(c, s, reps_of(c, s)) for c in cases if c != "scaling" for s in sides]
    scaled = []
    if "scaling" in cases:
        lp_max = args.lp_max if args.lp_max is not None else LP_MAX[quick]
        for n in SCALE_N[quick]:
            for side in ("fiscal", "highs"):
                if side in sides and (side == "fiscal" or n <= lp_max):
                    reps = 1 if quick or n > 10_000 else args.reps or 3
                    scaled.append(run(f"scaling:{n}", side, reps))
    print()
    print("\n".join(table(rows)))
    ok = all(r["status"] in ("optimal", "time_limit") for r in rows + scaled)
    by = {(r["case"], r["side"]): r for r in rows + scaled}
    for case in [*dict.fromkeys(r["case"] for r in rows + scaled)]:
        ours = by.get((case, "fiscal"))
        if ours is None or ours["status"] != "optimal":
            continue
        others = [by[case, s] for s in sides if s != "fiscal" and (case, s) in by]
        others = [r for r in others if r["status"] == "optimal"]
        if not others:
            continue
        same = all(agree(ours["objective"], r["objective"]) for r in others)
        ok &= same
        print(
            f"objective {case}: fiscal {ours['objective']:.10g}; "
            + ", ".join(f"{r['side']} {r['objective']:.10g}" for r in others)
            + f": {'same' if same else 'DIFFERENT'}"
        )
    exp = float("nan")
    if scaled:
        print()
        lines, exp = scaling_lines(scaled)
        print("\n".join(lines))
    print()
    print(summary(rows, exp))
    return 0 if ok else 1


def summary(rows: list[dict], scaling_exponent: float = float("nan")) -> str:
    """The last line: fiscal's medians, its speed-up over PuLP at the stress size, the
    100,000-commune province and the scaling exponent (``n/a`` where not measured)."""
    by = {(r["case"], r["side"]): r for r in rows}

    def val(case: str, scale: float, fmt: str) -> str:
        r = by.get((case, "fiscal"))
        ok = r is not None and r["status"] == "optimal"
        return format(r["total"] * scale, fmt) if ok else "n/a"

    speed = "n/a"
    if ("stress", "fiscal") in by and ("stress", "pulp") in by:
        ours, peer = by["stress", "fiscal"], by["stress", "pulp"]
        if ours["status"] == "optimal" and peer["status"] == "optimal":
            speed = f"{peer['total'] / ours['total']:.1f}"
    exp = "n/a" if math.isnan(scaling_exponent) else f"{scaling_exponent:.2f}"
    return (
        f"national_ms={val('national', 1e3, '.1f')} communes_5y_s={val('communes_5y', 1, '.2f')} "
        f"stress_s={val('stress', 1, '.2f')} speedup_vs_pulp={speed} "
        f"communes100k_s={val('communes_100k', 1, '.2f')} scaling_exponent={exp}"
    )


if __name__ == "__main__":
    sys.exit(main())
