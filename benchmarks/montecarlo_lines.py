"""Benchmark: a Monte Carlo run that varies only transfer lines' settings, re-using the
balancing solve, against solving the balancing line at every draw (issue 14's gap).

The same two scenarios as ``benchmarks/frontier_lines.py``: the shipped
``national-2026-budget`` (the balancing line is the A/B/C mechanism's) drawing its targeted
and base-salary envelopes and the receiving units' co-financing share, and the stability
scenario (a lexicographic LP) with a base-salary line added, drawing that line's envelope.
Times, in this process after a warm-up, the best of ``--repeat`` runs (wall and CPU):

* ``reuse``: :func:`fiscal.montecarlo.monte_carlo` as shipped (one balancing solve,
  :meth:`fiscal.reuse.Engine.lines_of` at every draw);
* ``solve``: the same call with ``reuse_balancing=False`` (prepare + solve at every draw).

Both paths must give the same draws, allocations and per-unit tables (printed as
``same draws=True``); the ratio is solve/reuse, measured in the same minutes.

    .venv/bin/python benchmarks/montecarlo_lines.py [--repeat 3] [--draws 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from pathlib import Path

import numpy as np

from fiscal.montecarlo import monte_carlo
from fiscal.scenario import load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontier_lines import best, stability_with_a_line  # one timer, one scenario


def cases() -> list[tuple[str, object, dict[str, str]]]:
    budget = load_scenario("national-2026-budget.toml")
    stability = stability_with_a_line()
    return [
        (
            "budget, three line settings",
            budget,
            {
                "lines.targeted.envelope": "normal:0.05",
                "lines.salary.envelope": "uniform:-0.05:0.05",
                "lines.targeted.central_share.receiving": "uniform:-0.1:0.1",
            },
        ),
        ("stability + a line", stability, {"lines.salary.envelope": "normal:0.05"}),
    ]


def same(a, b) -> bool:
    cols = [c for c in a.draws.columns if c != "message"]
    return (
        a.draws[cols].equals(b.draws[cols])
        and np.array_equal(a.allocations, b.allocations, equal_nan=True)
        and a.units.equals(b.units)
        and a.rules.equals(b.rules)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--draws", type=int, default=100)
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"# line Monte Carlo benchmark, {dt.date.today()}, {os.cpu_count()} cores, load average "
        f"{load:.1f}, Python {platform.python_version()}, {args.draws} draws"
    )
    for label, scen, vary in cases():
        monte_carlo(scen, vary, 2, seed=1)  # warm-up
        rw, rc, reused = best(
            lambda s=scen, v=vary: monte_carlo(s, v, args.draws, seed=1), args.repeat
        )
        sw, sc, solved = best(
            lambda s=scen, v=vary: monte_carlo(s, v, args.draws, seed=1, reuse_balancing=False),
            args.repeat,
        )
        print(
            f"{label:<28} reuse {rw:6.2f} s (cpu {rc:6.2f})  solve {sw:6.2f} s (cpu {sc:6.2f})  "
            f"solve/reuse {sw / rw:4.1f}x wall, {sc / rc:4.1f}x cpu  "
            f"same draws={same(reused, solved)}"
        )


if __name__ == "__main__":
    main()
