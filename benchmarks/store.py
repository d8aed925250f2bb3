"""The run store's cost: per save (SQLite, PostgreSQL), per load, and attribution's re-solves.

    .venv/bin/python benchmarks/store.py [--postgres URL] [--repeat 5]

For each scenario (national baseline and minimax, all 3,321 communes × 5 years): the solve
(``fiscal.run``), the constraint ledger that a save stores (computed once per result, as the
CLI's and the app's pages also need it), the encoding (Parquet, npy), and the database write;
then a restore without solving. Ratios are against the solve of the same scenario in the same
run. The attribution of the national case used in tests/test_attribution.py: number of re-solves
and wall time, cold and from the store's cache. Prints the machine load (uptime) first and last.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import fiscal
from fiscal import runs
from fiscal.scenario import bundled_scenarios_dir
from fiscal.store import Store

ROOT = Path(__file__).resolve().parents[1]
SCEN = bundled_scenarios_dir()
CASES = ["national-2026-baseline.toml", "national-2026-minimax.toml", "communes-2026-2030-all.toml"]


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--postgres",
        default=os.environ.get("FISCAL_TEST_POSTGRES_URL"),
        help="a PostgreSQL URL (default: $FISCAL_TEST_POSTGRES_URL); a schema "
        "'bench_store' is created in it and dropped",
    )
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--quick", action="store_true", help="national scenarios only (a smoke run)")
    args = p.parse_args()
    print(load())
    folder = Path(tempfile.mkdtemp(prefix="fiscal-bench-store-"))
    stores = {"sqlite": Store(f"sqlite:///{folder / 'runs.sqlite'}")}
    if args.postgres:
        import sqlalchemy as sa

        admin = sa.create_engine(args.postgres)
        with admin.begin() as c:
            c.exec_driver_sql("DROP SCHEMA IF EXISTS bench_store CASCADE")
            c.exec_driver_sql("CREATE SCHEMA bench_store")
        sep = "&" if "?" in args.postgres else "?"
        stores["postgresql"] = Store(f"{args.postgres}{sep}options=-csearch_path%3Dbench_store")
    print(
        f"{'scenario':<32} {'solve s':>8} {'ledger s':>9} {'encode s':>9} "
        + " ".join(f"{k + ' write s':>17} {'save/solve':>10}" for k in stores)
        + f" {'load s':>7} {'stored kB':>10}"
    )
    for name in CASES[:2] if args.quick else CASES:
        solve_s, result = timed(
            lambda name=name: fiscal.run(SCEN / name), 1 if "communes" in name else args.repeat
        )
        t0 = time.perf_counter()
        result.constraints  # noqa: B018  (the ledger a save stores; cached on the result)
        ledger_s = time.perf_counter() - t0
        st = stores["sqlite"]
        encode_s, payload = timed(lambda result=result, st=st: st._payload(result), args.repeat)
        size = (
            len(payload["dataset"]["data"])
            + sum(len(v) for v in payload["outputs"].values() if isinstance(v, bytes))
        ) / 1024
        cols = []
        saved = {}
        for kind, store in stores.items():
            write_s, info = timed(
                lambda store=store, result=result: store.save(result, author="bench"), args.repeat
            )
            save_s = encode_s + write_s
            cols.append(f"{write_s:>17.4f} {save_s / solve_s:>10.3f}")
            saved[kind] = info.id
        load_s, _ = timed(
            lambda run_id=saved["sqlite"], st=st: runs.load(run_id, st).result, args.repeat
        )
        print(
            f"{name:<32} {solve_s:>8.3f} {ledger_s:>9.3f} {encode_s:>9.4f} "
            + " ".join(cols)
            + f" {load_s:>7.3f} {size:>10.0f}"
        )
    # attribution: the national four-factor case of tests/test_attribution.py
    a = fiscal.run(SCEN / "national-2026-baseline.toml")
    sb = (
        fiscal.load_scenario(SCEN / "national-2026-new-norms.toml")
        .with_value("envelope.total", 245_000_000)
        .with_value("objective.kind", "shortfall_minimax")
        .with_value("constraints.hold-harmless.ratio", 0.97)
    )
    b = fiscal.run(sb)
    solve_b, _ = timed(lambda: fiscal.run(sb), args.repeat)
    for kind, store in stores.items():
        ia, ib = store.save(a, author="bench"), store.save(b, author="bench")
        t0 = time.perf_counter()
        att = runs.attribute(ia.id, ib.id, store=store)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = runs.attribute(ia.id, ib.id, store=store)
        warm = time.perf_counter() - t0
        print(
            f"attribution national ({kind}): factors {', '.join(att.factors)}; "
            f"{len(att.combinations)} combinations, {att.solves} re-solves in {cold:.2f} s "
            f"({cold / solve_b:.1f}x one solve of B, {solve_b:.3f} s); again from the cache "
            f"({again.cached} cached, {again.solves} solved): {warm:.3f} s"
        )
    for store in stores.values():
        store.close()
    if args.postgres:
        with admin.begin() as c:
            c.exec_driver_sql("DROP SCHEMA bench_store CASCADE")
    print(load())


if __name__ == "__main__":
    main()
