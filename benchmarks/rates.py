"""Solve time of the rate model (a MILP over 34 whole-percent rates) on each backend.

    python benchmarks/rates.py [--repeat N]

For the shipped scenario ``national-2027-optimised-rates`` under each objective the rate model
accepts: the median wall time of the MILP's two stages (the objective, then the rates closest to
the formula's; build included) with HiGHS (highspy) and with PuLP (CBC), and, as a peer, stage 1
alone through SciPy's ``milp`` (HiGHS inside); then the whole ``fiscal.run`` on each backend. The
ratios are against HiGHS in the same run; ``rates``/``table`` say whether both backends chose the
same rates and gave the same table (known problem K9: not the table under maximin). The first
run of each is discarded (imports, caches).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import fiscal
from fiscal.pipeline import load_units_for
from fiscal.problem import prepare
from fiscal.rates import choose, rate_model
from fiscal.scenario import Scenario, load_scenario

SCENARIO = "national-2027-optimised-rates"
OBJECTIVES = ("shortfall_minimax", "need_gap", "per_capita_maximin", "stability")


def median(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for k in range(repeat + 1):
        t0 = time.perf_counter()
        out = fn()
        if k:
            times.append(time.perf_counter() - t0)
    return statistics.median(times) if times else float("nan"), out


def scipy_milp(scenario: Scenario) -> float:
    """Stage 1 through scipy.optimize.milp on the same model; its objective value."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    lp = rate_model(prepare(scenario, load_units_for(scenario))).lp
    cons = []
    if lp.A_ub.shape[0]:
        cons.append(LinearConstraint(lp.A_ub, -np.inf, lp.b_ub))
    if lp.A_eq.shape[0]:
        cons.append(LinearConstraint(lp.A_eq, lp.b_eq, lp.b_eq))
    res = milp(
        lp.c,
        constraints=cons,
        integrality=lp.integrality,
        bounds=Bounds(lp.lb, lp.ub),
        options={"mip_rel_gap": 1e-9},
    )
    if not res.success:
        raise RuntimeError(f"scipy milp: {res.message}")
    return float(res.fun)


def measure(repeat: int) -> list[dict[str, Any]]:
    rows = []
    base = load_scenario(SCENARIO)
    units = load_units_for(base)
    for kind in OBJECTIVES:
        scen = base.with_value("objective.kind", kind)
        problem = prepare(scen, units)
        row: dict[str, Any] = {"objective": kind, "n": problem.n}
        chosen = {}
        for backend in ("highs", "pulp"):
            t, p = median(lambda b=backend, q=problem: choose(q, backend=b), repeat)
            row[f"milp_{backend}"] = t
            chosen[backend] = p.sharing.rate
        t, fun = median(lambda s=scen: scipy_milp(s), repeat)
        row["milp_scipy"] = t
        tables = {}
        for backend in ("highs", "pulp"):
            t, r = median(lambda b=backend, s=scen: fiscal.run(s, backend=b), repeat)
            row[f"run_{backend}"] = t
            tables[backend] = r.table
        row["same_rates"] = bool(np.array_equal(chosen["highs"], chosen["pulp"]))
        row["same"] = row["same_rates"] and bool(tables["highs"].equals(tables["pulp"]))
        model = rate_model(problem)
        row["integers"] = int(model.lp.integrality.sum())  # type: ignore[union-attr]
        row["columns"] = model.lp.nvar
        row["rows"] = model.lp.A_ub.shape[0] + model.lp.A_eq.shape[0]
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(
        f"# {platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}, "
        f"load {os.getloadavg()[0]:.1f}; {SCENARIO}, median of {args.repeat}"
    )
    print(
        f"{'objective':<19} {'int':>4} {'cols':>5} {'rows':>5} | {'MILP highs':>10} "
        f"{'MILP cbc':>9} {'ratio':>6} {'scipy':>7} | {'run highs':>9} {'run pulp':>9} "
        f"{'ratio':>6}  rates table"
    )
    for r in measure(args.repeat):
        print(
            f"{r['objective']:<19} {r['integers']:>4} {r['columns']:>5} {r['rows']:>5} | "
            f"{r['milp_highs'] * 1e3:8.1f}ms {r['milp_pulp'] * 1e3:7.1f}ms "
            f"{r['milp_pulp'] / r['milp_highs']:6.1f} {r['milp_scipy'] * 1e3:5.1f}ms | "
            f"{r['run_highs'] * 1e3:7.1f}ms {r['run_pulp'] * 1e3:7.1f}ms "
            f"{r['run_pulp'] / r['run_highs']:6.1f}  {'same' if r['same_rates'] else 'DIFF':>5} "
            f"{'same' if r['same'] else 'DIFF':>5}"
        )


if __name__ == "__main__":
    main()
