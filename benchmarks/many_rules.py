"""Benchmark: a scenario with thousands of rules — solve, the constraint ledger and the JSON export.

    python benchmarks/many_rules.py                  # 5,000 rules, HiGHS
    python benchmarks/many_rules.py --rules 500 --backend pulp

The scenario (:func:`many_rules_scenario`) is the shipped minimax scenario with ``rules``
single-unit floors and caps spread over the 34 provinces: floors at 80–100 % of the baseline,
caps at 110–200 %, so that a few hold the optimum and most do not (the shape of a long rule
book: one line per province, year after year of amendments). Prints each stage's time and how
many re-solves the ledger and the waterfall made (fiscal.reference.allocate_exact and
allocate_cells calls).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import fiscal  # noqa: E402
from fiscal.scenario import load_scenario  # noqa: E402

BASE = ROOT / "fiscal" / "scenarios" / "national-2026-minimax.toml"


def many_rules_text(rules: int, base: Path = BASE) -> str:
    """The TOML of a scenario extending ``base`` with ``rules`` single-unit floors and caps."""
    from fiscal.calibrate import province_units

    codes = sorted(map(str, province_units()["code"]))
    lines = [
        "[scenario]",
        f'name = "{rules} rules"',
        f'extends = "{base}"',
        "",
    ]
    for k in range(rules):
        code = codes[k % len(codes)]
        step = k // len(codes)
        if k % 2 == 0:
            ratio = 0.80 + 0.20 * ((step * 7919) % 101) / 100  # 0.80 … 1.00
            kind = "floor"
        else:
            ratio = 1.10 + 0.90 * ((step * 6007) % 101) / 100  # 1.10 … 2.00
            kind = "cap"
        lines += [
            "[[constraints]]",
            f'name = "r{k:05d}"',
            f'kind = "{kind}"',
            f"ratio = {ratio:.4f}",
            f'units = ["{code}"]',
            "",
        ]
    return "\n".join(lines)


def many_rules_scenario(rules: int, folder: Path):
    """The scenario of :func:`many_rules_text`, written to ``folder`` and loaded."""
    path = folder / f"many-rules-{rules}.toml"
    path.write_text(many_rules_text(rules), encoding="utf-8")
    return load_scenario(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", type=int, default=5_000)
    ap.add_argument("--backend", default="highs")
    ap.add_argument("--out", type=Path, default=Path("/tmp"))
    args = ap.parse_args()
    import fiscal.reference as reference
    from fiscal.export import json_bytes

    calls = {"n": 0}
    inner = reference.allocate_exact

    def counting(*a, **k):
        calls["n"] += 1
        return inner(*a, **k)

    reference.allocate_exact = counting
    import fiscal.ledger as ledger
    import fiscal.waterfall as waterfall

    ledger.allocate_exact = counting
    stage_calls = {"n": 0}
    inner_cells = waterfall.allocate_cells

    def counting_cells(*a, **k):
        stage_calls["n"] += 1
        return inner_cells(*a, **k)

    waterfall.allocate_cells = counting_cells

    t0 = time.perf_counter()
    scen = many_rules_scenario(args.rules, args.out)
    t1 = time.perf_counter()
    res = fiscal.run(scen, backend=args.backend)
    t2 = time.perf_counter()
    led = res.constraints
    t3 = time.perf_counter()
    data = json_bytes(res)
    t4 = time.perf_counter()
    n_ledger = calls["n"]
    res.stages  # noqa: B018 — the waterfall of every unit (computed once per result)
    t5 = time.perf_counter()
    print(f"rules={args.rules} backend={args.backend} load_s={t1 - t0:.2f} solve_s={t2 - t1:.2f}")
    print(f"ledger_s={t3 - t2:.2f} ledger_resolves={n_ledger} binding={int(led['binding'].sum())}")
    print(f"json_s={t4 - t3:.2f} json_mb={len(data) / 1e6:.2f}")
    print(f"waterfall_s={t5 - t4:.2f} waterfall_solves={stage_calls['n']}")
    print(f"export_total_s={t4 - t1:.2f} (solve + ledger + JSON)")


if __name__ == "__main__":
    main()
