"""Benchmark: the national commune run on the LP path, in this process and with a helper.

    python benchmarks/communes_lp.py                     # stability and blend, 5 repeats
    python benchmarks/communes_lp.py --kinds stability --repeat 9

``communes-2026-2030-all`` under an objective that the direct solvers take only in part or not
at all (stability: 12 of 34 provinces on the LP, the others on the even path of
:mod:`fiscal.fast_stability`; blend: all 34, 3–5 HiGHS solves each) is run in turns in this process alone and with
one helper process (:class:`fiscal.executors.ProcessPool`, as the app keeps:
:func:`fiscal_app.engine.helpers`), so that a change of the machine's load falls on both alike.
Prints, per objective and way, the median wall time, this process's CPU and the helper's CPU
(psutil, where installed), and the load. A helper shortens the wall time only where a core is
free: on a loaded machine (Linux groups a session's processes for the scheduler) the two
share one slice. Results are checked identical (the result tables, as CSV). Then, per
objective, the build alone: the LPs of the provinces on the LP path written one by one
(``model.build``) against one sliced build (``model.build_parts``, what the run uses; the same
LPs to the bit: tests/test_build_parts.py), CPU medians. The last line is the ``key=value``
summary.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))  # last: PYTHONPATH=<another checkout> measures that one

COMMUNES = "communes-2026-2030-all.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", nargs="+", default=["stability", "blend"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from fiscal import pipeline
    from fiscal.executors import ProcessPool
    from fiscal.scenario import load_scenario

    try:
        import psutil
    except ImportError:  # pragma: no cover - installed with dask's distributed
        psutil = None
    path = Path(pipeline.__file__).parent / "scenarios" / COMMUNES
    summary = {}
    with ProcessPool(1) as pool:
        pool.warm("fiscal.pipeline", "fiscal.model", "fiscal.tiebreak", "fiscal.highs")
        kids = psutil.Process().children(recursive=True) if psutil else []

        def helper_cpu() -> float:
            return sum(sum(k.cpu_times()[:2]) for k in kids)

        for kind in args.kinds:
            scen = load_scenario(path).with_value("objective.kind", kind)
            tables = {
                "alone": pipeline.run(scen).table.to_csv(),
                "helper": pipeline.run(scen, helpers=pool).table.to_csv(),
            }
            if tables["alone"] != tables["helper"]:
                raise SystemExit(f"{kind}: the run with a helper gave another table")
            times: dict[str, list[tuple[float, float, float]]] = {"alone": [], "helper": []}
            loads = []
            for _ in range(args.repeat):
                for way, helpers in (("alone", None), ("helper", pool)):
                    h0, w0, c0 = helper_cpu(), time.perf_counter(), time.process_time()
                    pipeline.run(scen, helpers=helpers)
                    times[way].append(
                        (time.perf_counter() - w0, time.process_time() - c0, helper_cpu() - h0)
                    )
                loads.append(os.getloadavg()[0])
            for way, rows in times.items():
                wall = statistics.median(r[0] for r in rows)
                cpu = statistics.median(r[1] for r in rows)
                other = statistics.median(r[2] for r in rows) if psutil else float("nan")
                print(
                    f"{kind:10} {way:6} wall {wall:.3f} s (min {min(r[0] for r in rows):.3f})  "
                    f"CPU here {cpu:.3f} s, helper {other:.3f} s  load {min(loads):.1f}–"
                    f"{max(loads):.1f}"
                )
                summary[f"{kind}_{way}_s"] = wall
    for kind in args.kinds:
        one, sliced = builds(load_scenario(path).with_value("objective.kind", kind), args.repeat)
        how = (
            "one sliced build: not in this checkout"
            if sliced is None
            else f"one sliced build {sliced * 1000:.1f} ms ({one / sliced:.1f}×)"
        )
        print(
            f"{kind:10} build  one by one {one * 1000:.1f} ms, {how}  load {os.getloadavg()[0]:.1f}"
        )
        summary[f"{kind}_build_ms"] = (one if sliced is None else sliced) * 1000
    print(" ".join(f"{k}={v:.3f}" for k, v in summary.items()) + f" load1={os.getloadavg()[0]:.2f}")
    return 0


def builds(scen, repeat: int) -> tuple[float, float | None]:
    """CPU medians (s) of the LPs of the provinces on the LP path built one by one and in one
    sliced build (None: a checkout without it, e.g. ``PYTHONPATH`` on an older main)."""
    from fiscal import calibrate, communes, fastpath, pipeline
    from fiscal.model import build
    from fiscal.problem import prepare_parts

    try:
        from fiscal.model import build_parts
    except ImportError:
        build_parts = None

    envelopes = communes.envelopes_from(pipeline.run(communes.upper_scenario(scen)), scen.years)
    codes = sorted(calibrate.province_units()["code"])
    whole = pipeline.load_units_for(scen, "all")
    tables = communes.split_units(whole, codes, bundled=True)
    rows = communes.part_rows(whole, codes)
    parts = [(rows[c], tables[c], envelopes[c]) for c in codes]
    kind = scen.objective.kind
    problems = [  # the LP path (one sector: not the two stages)
        p for p in prepare_parts(scen, whole, parts) if fastpath.why_not(p, kind) is not None
    ]
    one, sliced = [], []
    for _ in range(repeat * 3):
        c0 = time.process_time()
        [build(p) for p in problems]
        c1 = time.process_time()
        if build_parts is not None:
            build_parts(problems)
        sliced.append(time.process_time() - c1)
        one.append(c1 - c0)
    return statistics.median(one), None if build_parts is None else statistics.median(sliced)


if __name__ == "__main__":
    raise SystemExit(main())
