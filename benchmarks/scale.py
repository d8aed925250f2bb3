"""Benchmark: the direct solvers (fiscal.fastpath) against the LP on one province of n communes.

    python benchmarks/scale.py                       # n = 1,000 … 100,000, LP up to 10,000
    python benchmarks/scale.py --n 1000 --n 3000 --lp-max 3000 --kind need_gap

One synthetic province (``bench.synthetic_units``: the bundled communes resampled with noise)
× 5 years under the national commune run's rules (``bench.synthetic_scenario``: floors phased
out from 100 % to 88 %, the communes' baseline + 3 % a year) — the structure the direct solvers
take. For each n and objective, in its own process (so that peak memory belongs to it):

* ``prepare``: scenario + units → arrays (the pipeline's stage, the same on both paths);
* ``kernel``: the direct solvers for the 5 years — bounds, formula amounts, tie-break weights,
  each year's optimal face and its tie-break (median of ``--repeat`` runs) — with the peak of
  the memory it allocates (tracemalloc);
* ``finalize``: rounding, the result table and the independent re-check
  (``fiscal.results.finalize``, as the pipeline runs after either path);
* ``LP``: ``fiscal.pipeline.allocate`` (model build, primary solve, tie-break LP) with HiGHS,
  where n ≤ ``--lp-max``; then both tables after rounding are compared unit by unit.

The last lines give the scaling exponents (least squares on log time against log n) and the
summary ``fast_100k_s=… scaling_exponent=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

SIZES = (1_000, 3_000, 10_000, 30_000, 100_000)
KINDS = ("shortfall_minimax", "per_capita_maximin", "need_gap")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(n: int, kind: str, side: str, repeat: int) -> dict:
    """One measurement in this process: the fast path or the LP on one synthetic province."""
    import bench

    from fiscal.fastpath import solve_problem
    from fiscal.pipeline import allocate
    from fiscal.problem import prepare
    from fiscal.results import finalize, round_allocation

    t0 = time.perf_counter()
    units = bench.synthetic_units(n)
    t1 = time.perf_counter()
    problem = prepare(bench.synthetic_scenario(5, kind), units)
    t2 = time.perf_counter()
    out = {
        "n": n,
        "kind": kind,
        "side": side,
        "data": t1 - t0,
        "prepare": t2 - t1,
        "load": os.getloadavg()[0],
    }
    if side == "fast":
        times = []
        for _ in range(repeat):
            tracemalloc.start()
            k0 = time.perf_counter()
            direct = solve_problem(problem, kind)
            x, objective = direct.x, direct.objective
            times.append(time.perf_counter() - k0)
            out["kernel_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        f0 = time.perf_counter()
        finalize(problem, x, objective=objective, objective_kind=kind, backend="fast")
        out.update(
            kernel=statistics.median(times), finalize=time.perf_counter() - f0, objective=objective
        )
    else:
        k0 = time.perf_counter()
        a = allocate(problem, objective=kind, backend="highs", method="lp")
        out["lp"] = time.perf_counter() - k0
        out["objective"] = a.objective
        phases = {p["phase"]: p["runtime"] for p in a.solution.phases}
        out["lp_primary"] = phases.get("primary", float("nan"))
        out["lp_tie_break"] = phases.get("tie_break", float("nan"))
        x = solve_problem(problem, kind).x  # the direct table, to compare
        ours, theirs = round_allocation(problem, x), round_allocation(problem, a.x)
        out["units_differ"] = int(np.count_nonzero(ours != theirs))
        out["max_diff"] = float(np.abs(ours - theirs).max())
    out["peak_mb"] = _peak_mb()
    return out


def _run(n: int, kind: str, side: str, repeat: int) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(n),
        kind,
        side,
        str(repeat),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in res.stdout.splitlines():
        if line.startswith("SCALE_JSON "):
            return json.loads(line[len("SCALE_JSON ") :])
    raise RuntimeError(f"n={n} {kind} {side} failed:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}")


def exponent(ns: list[int], seconds: list[float]) -> float:
    """The slope of log(seconds) against log(n) (least squares)."""
    if len(ns) < 2:
        return float("nan")
    return float(np.polyfit(np.log(ns), np.log(seconds), 1)[0])


def _t(v: float | None) -> str:
    if v is None or v != v:
        return "—".rjust(9)
    return f"{v * 1e3:7.1f}ms" if v < 1 else f"{v:8.2f}s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="province sizes (repeatable)")
    parser.add_argument("--kind", action="append", choices=KINDS, help="objectives (repeatable)")
    parser.add_argument("--lp-max", type=int, default=10_000, help="largest n solved by the LP")
    parser.add_argument("--repeat", type=int, default=3, help="kernel repetitions (median)")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        n, kind, side, repeat = args.worker
        print("SCALE_JSON " + json.dumps(worker(int(n), kind, side, int(repeat))), flush=True)
        return 0
    import platform

    import scipy

    sizes = sorted(args.n or SIZES)
    kinds = args.kind or list(KINDS)
    print(
        f"fiscal scale benchmark: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"load {os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d %H:%M')}",
        flush=True,
    )
    rows: dict[tuple[int, str, str], dict] = {}
    for kind in kinds:
        for n in sizes:
            for side in ("fast", "lp"):
                if side == "lp" and n > args.lp_max:
                    continue
                r = _run(n, kind, side, args.repeat)
                rows[n, kind, side] = r
                what = (
                    f"kernel {r['kernel']:.3f} s"
                    if side == "fast"
                    else f"LP {r['lp']:.2f} s, {r['units_differ']} cells differ"
                )
                print(f"  {kind} n={n:,} {side}: {what} (load {r['load']:.1f})", flush=True)
    head = (
        f"{'objective':<19} {'n':>7} {'prepare':>9} {'kernel':>9} {'finalize':>9} "
        f"{'fast e2e':>9} {'kern MB':>8} {'peak MB':>8} {'LP':>9} {'(primary':>9} "
        f"{'tie-brk)':>9} {'LP MB':>7} {'LP÷kern':>8} {'tables':>8}"
    )
    print()
    print(head)
    print("-" * len(head))
    for kind in kinds:
        for n in sizes:
            f = rows[n, kind, "fast"]
            lp = rows.get((n, kind, "lp"))
            e2e = f["prepare"] + f["kernel"] + f["finalize"]
            ratio = f"{lp['lp'] / f['kernel']:7.0f}×" if lp else "—".rjust(8)
            lp_mb = f"{lp['peak_mb']:7.0f}" if lp else "—".rjust(7)
            same = (
                ("same" if lp["units_differ"] == 0 else f"{lp['units_differ']} diff") if lp else "—"
            )
            print(
                f"{kind:<19} {n:>7,} {_t(f['prepare'])} {_t(f['kernel'])} {_t(f['finalize'])} "
                f"{_t(e2e)} {f['kernel_mb']:8.1f} {f['peak_mb']:8.0f} "
                f"{_t(lp['lp'] if lp else None)} {_t(lp['lp_primary'] if lp else None)} "
                f"{_t(lp['lp_tie_break'] if lp else None)} "
                f"{lp_mb} {ratio} {same:>8}"
            )
    print()
    exps = {}
    for kind in kinds:
        ns = [n for n in sizes]
        k_exp = exponent(ns, [rows[n, kind, "fast"]["kernel"] for n in ns])
        lp_ns = [n for n in sizes if (n, kind, "lp") in rows]
        lp_exp = exponent(lp_ns, [rows[n, kind, "lp"]["lp"] for n in lp_ns])
        exps[kind] = k_exp
        print(
            f"scaling exponent {kind}: kernel n^{k_exp:.2f} over {ns[0]:,}–{ns[-1]:,}; "
            f"LP n^{lp_exp:.2f} over {lp_ns[0]:,}–{lp_ns[-1]:,}"
            if lp_ns
            else ""
        )
    big = max(sizes)
    first = kinds[0]
    fb = rows[big, first, "fast"]
    print(
        f"fast_{big // 1000}k_s={fb['prepare'] + fb['kernel'] + fb['finalize']:.2f} "
        f"kernel_{big // 1000}k_s={fb['kernel']:.3f} scaling_exponent={exps[first]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
