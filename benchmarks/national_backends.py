"""Solve time of every shipped national scenario on each backend, in process.

    python benchmarks/national_backends.py [--repeat N]

For each scenario: the median wall time of `fiscal.run` (prepare + build + solve + tie-break +
round + re-check + tables) with HiGHS through SciPy and with PuLP (CBC), the ratio PuLP/HiGHS,
and whether both reach the same objective. The first run of each is discarded (imports, caches).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

import fiscal
from fiscal.errors import InfeasibleError

ROOT = Path(__file__).resolve().parent.parent


def median_time(path: Path, backend: str, repeat: int) -> tuple[float, float | None]:
    times = []
    objective = None
    for k in range(repeat + 1):
        t0 = time.perf_counter()
        try:
            result = fiscal.run(path, backend=backend)
            objective = result.objective
        except InfeasibleError:
            objective = None
        if k:
            times.append(time.perf_counter() - t0)
    return statistics.median(times), objective


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"# {platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    print(f"{'scenario':<44} {'objective':<19} {'highs ms':>9} {'pulp ms':>9} {'ratio':>6}  same")
    for path in sorted((ROOT / "fiscal" / "scenarios").glob("national-*.toml")):
        kind = fiscal.load_scenario(path).objective.kind
        th, oh = median_time(path, "highs", args.repeat)
        tp, op = median_time(path, "pulp", args.repeat)
        same = (
            "infeasible"
            if oh is None
            else ("yes" if abs(oh - op) <= 1e-6 * max(abs(oh), abs(op)) + 1e-8 else "NO")
        )
        print(f"{path.name:<44} {kind:<19} {th * 1e3:9.1f} {tp * 1e3:9.1f} {tp / th:6.1f}  {same}")


if __name__ == "__main__":
    main()
