"""Benchmark: the app's reruns at national and commune scale (Streamlit's AppTest, headless).

    python benchmarks/app_scale.py                   # national baseline and the commune run
    python benchmarks/app_scale.py --repeat 9 --page compare

For each scenario the page (Allocate by default) is opened and run until warm, then timed:

* ``rerun``: a rerun with nothing changed (median of ``--repeat``; the two apps take turns, so
  that a change of the machine's load falls on both alike): everything looked up;
* ``view``: a setting of the view changed (the year, or the province drilled into): the result
  is looked up, the tables of the new view are built once;
* ``language``: the first switch to Vietnamese (every table of the view built in it);
* ``change``: a scenario setting changed (the objective, each kind not yet solved): the
  scenario is solved again and every table rebuilt — ``solve`` is that solve alone
  (``fiscal_app.engine.run_outcome`` outside the app), for scale; each kind's change is
  printed too (blend and 12 of stability's 34 provinces take the LP path at commune scale,
  shared with the app's helper process where a core looks free: ``FISCAL_APP_HELPERS=0`` measures without it,
  ``FISCAL_APP_HELPERS=1`` with it at any load).

AppTest compiles the app's script and the page anew on every run (``streamlit run`` keeps the
bytecode); ``--served`` (default) keeps it as the server does, ``--harness`` measures AppTest as
it is. Times are wall seconds on this machine; the ratios against the national rerun of the
same run are what compares across machines. The last line is the ``key=value`` summary.
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

NATIONAL = "national-2026-baseline.toml"
COMMUNES = "communes-2026-2030-all.toml"
KINDS = ("need_gap", "per_capita_maximin", "stability", "formula", "blend", "shortfall_minimax")


def keep_bytecode() -> None:
    """Let AppTest keep the scripts' bytecode across runs, as a Streamlit server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[attr-defined]
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[attr-defined]


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def clean(at) -> None:
    if at.exception or at.error:
        raise SystemExit(f"the app failed: {[e.value for e in [*at.exception, *at.error]]}")


def open_app(scenario: str, page: str):
    """The app on ``scenario`` and ``page``, run until warm; (app, first run's seconds)."""
    from streamlit.testing.v1 import AppTest

    from fiscal_app import launch

    at = AppTest.from_file(str(launch.APP), default_timeout=600)
    at.query_params["s"] = scenario
    first = timed(at.run)
    clean(at)
    if page != "allocate":
        at.switch_page(f"ui/{page}.py")
        at.run()
    for _ in range(2):  # warm: the page's tables and charts cached
        at.run()
    clean(at)
    return at, first


def reruns(apps: list, repeat: int) -> list[list[float]]:
    """Reruns with nothing changed, the apps taking turns (a change of the machine's load
    falls on all of them alike)."""
    times: list[list[float]] = [[] for _ in apps]
    for _ in range(repeat):
        for k, at in enumerate(apps):
            times[k].append(timed(at.run))
    for at in apps:
        clean(at)
    return times


def _choices(box) -> list:
    """The values of a select box of the view (AppTest shows their labels)."""
    from fiscal_app import maps
    from fiscal_app.i18n import Tr

    if box.key.endswith("units.province"):
        return [str(o).split(" — ")[0] for o in box.options]
    if box.key.endswith(".year"):
        return [int(o) for o in box.options]
    keys = {Tr("en")(c.label): c.key for c in maps.MAP_COLUMNS}
    return [keys[str(o)] for o in box.options]


def measure(at, scenario: str, page: str, repeat: int) -> dict[str, float]:
    """The view, the language and scenario settings changed on an open app."""
    from fiscal.scenario import list_scenarios, load_scenario, scenario_from_dict
    from fiscal_app import engine

    rows = max((len(d.value) for d in at.dataframe if hasattr(d.value, "__len__")), default=0)
    # a setting of the view, each choice not made before: the drill-down's province, else the
    # year, else the map's column
    view = []
    keys = [s.key for s in at.selectbox if s.key]
    box_key = next(
        (k for end in ("units.province", ".year", "map.column") for k in keys if k.endswith(end)),
        None,
    )
    if box_key is not None:
        box = next(s for s in at.selectbox if s.key == box_key)
        values = _choices(box)
        start = values.index(box.value)
        for k in range(1, min(repeat, len(values) - 1) + 1):
            box = next(s for s in at.selectbox if s.key == box_key)
            view.append(timed(box.set_value(values[(start + k) % len(values)]).run))
    clean(at)
    # the language: every label and number anew (the tables of the language built once)
    lang = timed(at.sidebar.segmented_control(key="lang").set_value("vi").run)
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    clean(at)
    # a scenario setting: the objective, each kind once (a new solve each time)
    change, solve, by_kind = [], [], {}
    path = next(p for p in list_scenarios() if p.name == scenario)
    data = load_scenario(path).to_dict()
    if page != "allocate":
        at.switch_page("ui/allocate.py")
        at.run()
    for kind in KINDS:
        box = next(s for s in at.selectbox if s.key and s.key.endswith(".obj.kind"))
        if box.value == kind:
            continue
        if page != "allocate":
            box.set_value(kind)
            at.switch_page(f"ui/{page}.py")
            change.append(timed(at.run))
            at.switch_page("ui/allocate.py")
            at.run()
        else:
            change.append(timed(box.set_value(kind).run))
        by_kind[kind] = change[-1]
        clean(at)
        data["objective"]["kind"] = kind
        toml = scenario_from_dict(data, source=scenario).to_toml()
        solve.append(timed(lambda toml=toml: engine.run_outcome(toml)))
    return {
        "rows": rows,
        "view": statistics.median(view) if view else float("nan"),
        "view_max": max(view) if view else float("nan"),
        "lang": lang,
        "change": statistics.median(change),
        "change_max": max(change),
        "solve": statistics.median(solve),
        "by_kind": by_kind,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--page", default="allocate", help="the page timed (ui/<page>.py)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--served", dest="served", action="store_true", default=True)
    mode.add_argument("--harness", dest="served", action="store_false")
    args = parser.parse_args(argv)
    if args.served:
        keep_bytecode()
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    load = os.getloadavg()
    print(
        f"app reruns, page {args.page}, {'bytecode kept (as served)' if args.served else 'AppTest as is'}; "
        f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    names, scenarios = ("national", "communes"), (NATIONAL, COMMUNES)
    opened = [open_app(scenario, args.page) for scenario in scenarios]
    times = reruns([at for at, _ in opened], args.repeat)
    results = {}
    for name, scenario, (at, first), rerun in zip(names, scenarios, opened, times, strict=True):
        results[name] = m = measure(at, scenario, args.page, args.repeat)
        m["first"], m["rerun"] = first, statistics.median(rerun)
        print(
            f"{name:9} largest table {m['rows']:,} rows; first {m['first']:.3f} s  rerun "
            f"{m['rerun']:.3f} s  view {m['view']:.3f} s (max {m['view_max']:.3f})  language "
            f"{m['lang']:.3f} s  change {m['change']:.3f} s (max {m['change_max']:.3f}; solve "
            f"alone {m['solve']:.3f})"
        )
        print(
            f"{'':9} change by objective: "
            + ", ".join(f"{kind} {sec:.3f} s" for kind, sec in m["by_kind"].items())
        )
    base = results["national"]["rerun"]
    c = results["communes"]
    print(
        f"against the national rerun ({base:.3f} s): communes rerun {c['rerun'] / base:.1f}×, "
        f"view {c['view'] / base:.1f}×, change {c['change'] / base:.1f}×"
    )
    print(
        f"app_national_rerun_s={base:.3f} app_communes_rerun_s={c['rerun']:.3f} "
        f"app_communes_view_s={c['view']:.3f} app_communes_lang_s={c['lang']:.3f} "
        f"app_communes_change_s={c['change']:.3f} "
        f"app_communes_change_max_s={c['change_max']:.3f} app_communes_solve_s={c['solve']:.3f} "
        f"app_rerun_ratio={c['rerun'] / base:.2f} load1={load[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
