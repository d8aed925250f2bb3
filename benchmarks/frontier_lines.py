"""Benchmark: a frontier over a transfer line's envelope, re-using the balancing solve, against
the naive path (issue 14 point 5).

Two scenarios with lines: the shipped ``national-2026-budget`` (NQ 246's three lines; the
balancing line is the A/B/C mechanism's) sweeping its targeted line, and the stability
scenario (a lexicographic LP) with a base-salary line added, sweeping that line. Times

* ``fast``: :func:`fiscal.frontier.frontier` — one balancing solve, the lines allocated again
  at each point (:meth:`fiscal.reuse.Engine.lines_at`);
* ``naive``: for every point ``Scenario.with_value`` + ``fiscal.run`` + ``Result.metrics``.

Both in this process after a warm-up; the best of ``--repeat`` runs, wall and CPU time; the
two paths must give the same metrics at every point.

    .venv/bin/python benchmarks/frontier_lines.py [--repeat 3] [--points 41]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import sys
from pathlib import Path

import numpy as np

import fiscal
from fiscal.frontier import frontier
from fiscal.scenario import load_scenario, scenario_from_dict

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontier import best  # benchmarks/frontier.py: best wall and CPU time of a run


def stability_with_a_line() -> fiscal.Scenario:
    """The stability scenario (a lexicographic LP) with a base-salary line added."""
    base = load_scenario("national-2026-stability.toml")
    data = base.to_dict()
    data["lines"] = {
        "salary": {
            "rule": "formula",
            "envelope": 53_554_000,
            "eligible": "receiving",
            "criteria": [{"indicator": "population", "rate": 1.0}],
        }
    }
    return scenario_from_dict(data, source="benchmark", path=base.path)


def cases() -> list[tuple[str, fiscal.Scenario, str, float, float]]:
    budget = load_scenario("national-2026-budget.toml")
    return [
        ("budget, targeted line", budget, "lines.targeted.envelope", 168e6, 206e6),
        ("stability + a line", stability_with_a_line(), "lines.salary.envelope", 40e6, 60e6),
    ]


def same(a: dict[str, float], b: dict[str, float]) -> bool:
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--points", type=int, default=41)
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"# line frontier benchmark, {dt.date.today()}, {os.cpu_count()} cores, load average "
        f"{load:.1f}, Python {platform.python_version()}, {args.points} points"
    )
    for label, scen, path, lo, hi in cases():
        values = np.round(np.linspace(lo, hi, args.points) / 1000) * 1000
        fiscal.run(scen)  # warm-up
        fw, fc, frame = best(lambda s=scen, p=path, v=values: frontier(s, p, v), args.repeat)
        nw, nc, naive = best(
            lambda s=scen, p=path, v=values: [
                fiscal.run(s.with_value(p, float(x))).metrics for x in v
            ],
            args.repeat,
        )
        rows = frame.to_dict(orient="records")
        agree = all(same({k: r[k] for k in m}, m) for r, m in zip(rows, naive, strict=True))
        print(
            f"{label:<24} fast {fw:6.2f} s (cpu {fc:6.2f})  naive {nw:6.2f} s (cpu {nc:6.2f})  "
            f"naive/fast {nw / fw:4.1f}x wall, {nc / fc:4.1f}x cpu  reused={frame.attrs['fast']} "
            f"same metrics={agree}"
        )


if __name__ == "__main__":
    main()
