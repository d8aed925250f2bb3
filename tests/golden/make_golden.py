"""The golden outputs: what a user sees of every shipped scenario, on both backends.

For each scenario in ``scenarios/`` and each backend (``highs``, ``pulp``) where it solves:

* ``<stem>.csv`` — the allocation table (:func:`fiscal.export.csv_bytes`);
* ``<stem>.ledger.csv`` — the constraint ledger, numbers as the JSON export writes them;
* ``<stem>.metrics.json`` — the metrics, as the JSON export writes them;
* ``<stem>.json`` — the JSON export, without the provenance fields that change from run to run
  (time, package and solver versions) and with the scenario file relative to the repository;
* ``<stem>.explain.txt`` — the waterfall (text and steps) of a few units;

(``<stem>`` is ``<scenario>.<backend>``); for the infeasible scenario,
``<stem>.infeasible.txt``: the message, conflicts and repairs; and for the frontier and
goal-seek commands of the README, their outputs (``readme-*.txt``).

Files above :data:`BIG` bytes (the all-communes run: 3,321 communes × 5 years) are pinned by
their SHA-256 (``<file>.sha256``) rather than stored; ``--full`` also writes them whole under
``tests/golden/big/`` (not committed) for a diff.

Regenerate after a deliberate change of data or method, and review the diff:

    .venv/bin/python tests/golden/make_golden.py            # every file
    .venv/bin/python tests/golden/make_golden.py baseline   # jobs whose name contains it

``tests/test_golden.py`` computes the same bytes and compares them with these files.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCENARIOS = ROOT / "fiscal" / "scenarios"
BACKENDS = ("highs", "pulp")

# provenance fields that change between runs or machines without the numbers changing
VOLATILE = ("created", "version", "versions")
BIG = 512 * 1024  # bytes; larger outputs are pinned by their hash

# the README's frontier, Monte Carlo (40 of its 200 draws) and goal-seek commands, and the
# frontier of docs/scale-out.md on an LP scenario (31 of its 1,001 points)
README_FRONTIER = ("national-2026-new-norms.toml", "constraints.hold-harmless.ratio", 0.9, 1.0, 101)
LP_FRONTIERS = {  # one per fast path of fiscal.reuse (a bound rule, the envelope, a blend weight)
    "lp": ("national-2026-per-capita.toml", "constraints.hold-harmless.ratio", 0.9, 1.05, 31),
    "envelope": ("national-2026-minimax.toml", "envelope.total", 230e6, 250e6, 11),
    "weight": ("national-2026-blend.toml", "objective.weight", 0.0, 1.0, 11),
}
README_SWEEP = ("national-2026-minimax.toml", {"revenue": "normal:0.05"}, 40, 1)
README_GOALSEEK = (
    "national-2026-new-norms.toml",
    "envelope.total",
    "share_of_need_met",
    0.99,
    238421000.0,
    600000000.0,
)


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.toml"))


def explained_units(result) -> list[str]:
    """A few units to explain: the first, one in the middle, the last (and Lâm Đồng, 68,
    as in the README, where it is a unit of the result)."""
    codes = [str(c) for c in result.table["code"].drop_duplicates()]
    picks = [codes[0], codes[len(codes) // 2], codes[-1]]
    if "68" in codes:
        picks.append("68")
    return list(dict.fromkeys(picks))


def _plain(value: object) -> str:
    """A repair's value as JSON (numbers as Python floats, whatever their numpy type)."""
    if isinstance(value, list | tuple):
        return json.dumps([float(v) for v in value])
    return json.dumps(float(value))  # type: ignore[arg-type]


def _ledger_csv(result) -> bytes:
    import pandas as pd

    from fiscal.export import result_dict

    led = result_dict(result)["constraints"]
    return pd.DataFrame(led).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _explain_text(result) -> bytes:
    out = io.StringIO()
    years = [result.years[0]] if len(result.years) == 1 else [result.years[0], result.years[-1]]
    for code in explained_units(result):
        for year in years:
            w = result.explain(code, year)
            out.write(f"=== unit {w.code} ({w.name}), {w.year}\n")
            out.write(w.text + "\n")
            *steps, (final, amount) = w.rows()
            for label, change in steps:
                out.write(f"  {label:<48} {change:>+22,.3f}\n")
            out.write(f"  {final:<48} {amount:>22,.3f}\n\n")
    return out.getvalue().encode("utf-8")


def scenario_outputs(path: Path, backend: str) -> dict[str, bytes]:
    """The golden files of one scenario on one backend, by file name."""
    import fiscal
    from fiscal.export import csv_bytes, result_dict

    stem = f"{path.stem}.{backend}"
    try:
        result = fiscal.run(path, backend=backend)
    except fiscal.InfeasibleError as err:
        text = [str(err), "", "conflicts:"] + [f"  {c}" for c in err.conflicts]
        text += ["", "repairs:"] + [
            f"  {r.description} | {r.path} | {_plain(r.current)} -> {_plain(r.value)}"
            for r in err.repairs
        ]
        return {f"{stem}.infeasible.txt": ("\n".join(text) + "\n").encode("utf-8")}
    data = result_dict(result)
    for key in VOLATILE:
        data["provenance"].pop(key, None)
    # where the checkout is differs between machines: the file relative to the repository
    data["provenance"]["scenario_file"] = (
        Path(data["provenance"]["scenario_file"]).relative_to(ROOT).as_posix()
    )
    metrics = json.dumps(data["metrics"], ensure_ascii=False, indent=1) + "\n"
    return {
        f"{stem}.csv": csv_bytes(result),
        f"{stem}.ledger.csv": _ledger_csv(result),
        f"{stem}.metrics.json": metrics.encode("utf-8"),
        f"{stem}.json": (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        f"{stem}.explain.txt": _explain_text(result),
    }


def _frontier(spec: tuple, backend: str) -> bytes:
    from fiscal.frontier import frontier, frontier_values
    from fiscal.prose import frontier_text
    from fiscal.scenario import load_scenario

    name, param, lo, hi, steps = spec
    scen = load_scenario(SCENARIOS / name)
    frame = frontier(scen, param, frontier_values(lo, hi, steps), backend=backend)
    frame.attrs["seconds"] = 0.0  # the time taken is not an output
    table = frame.to_csv(index=False, lineterminator="\n", float_format="%.9g")
    return (frontier_text(frame) + "\n\n" + table).encode("utf-8")


def readme_outputs(backend: str) -> dict[str, bytes]:
    """The sweeps and goal-seek of the README's commands, as the CLI prints them."""
    from fiscal.frontier import goal_seek
    from fiscal.montecarlo import monte_carlo
    from fiscal.prose import monte_carlo_text
    from fiscal.scenario import load_scenario

    out = {f"readme-frontier.{backend}.txt": _frontier(README_FRONTIER, backend)}
    for key, spec in LP_FRONTIERS.items():
        out[f"readme-frontier-{key}.{backend}.txt"] = _frontier(spec, backend)
    name, vary, draws, seed = README_SWEEP
    mc = monte_carlo(load_scenario(SCENARIOS / name), vary, draws, seed=seed, backend=backend)
    mc.settings["seconds"] = 0.0
    tables = "".join(
        f"\n[{k}]\n" + t.to_csv(index=False, lineterminator="\n", float_format="%.9g")
        for k, t in mc.tables().items()
    )
    out[f"readme-sweep.{backend}.txt"] = (monte_carlo_text(mc) + "\n" + tables).encode("utf-8")
    if backend == "highs":  # goal_seek solves with the scenario's own backend
        name, param, metric, target, lo, hi = README_GOALSEEK
        value, result = goal_seek(load_scenario(SCENARIOS / name), param, metric, target, lo, hi)
        line = (
            f"{param} = {value:,.0f} gives {metric} = {result.metrics[metric]:.6g} "
            f"(target {target:g})\n"
        )
        out["readme-goalseek.txt"] = line.encode("utf-8")
    return out


def all_jobs() -> list[tuple[str, Callable[[], dict[str, bytes]]]]:
    """(name, job) for every group of golden files."""
    jobs: list[tuple[str, Callable[[], dict[str, bytes]]]] = []
    for path in scenario_files():
        for backend in BACKENDS:
            jobs.append(
                (f"{path.stem}.{backend}", lambda p=path, b=backend: scenario_outputs(p, b))
            )
    for backend in BACKENDS:
        jobs.append((f"readme.{backend}", lambda b=backend: readme_outputs(b)))
    return jobs


def pinned(fname: str, data: bytes) -> tuple[str, bytes]:
    """(file name, content) as stored: the bytes, or for a big file its hash and size."""
    if len(data) <= BIG:
        return fname, data
    digest = hashlib.sha256(data).hexdigest()
    return f"{fname}.sha256", f"{digest}  {len(data)} bytes\n".encode()


if __name__ == "__main__":
    args = sys.argv[1:]
    full = "--full" in args
    wanted = [a for a in args if a != "--full"]
    for name, job in all_jobs():
        if wanted and not any(w in name for w in wanted):
            continue
        for fname, data in job().items():
            stored, content = pinned(fname, data)
            (HERE / stored).write_bytes(content)
            print(f"wrote tests/golden/{stored} ({len(content):,} bytes)")
            if full and stored != fname:
                (HERE / "big").mkdir(exist_ok=True)
                (HERE / "big" / fname).write_bytes(data)
