"""``fiscal frontier`` and ``fiscal sweep``: a setting swept over a range (the trade-off
frontier, :mod:`fiscal.frontier`) and allocations under uncertainty (Monte Carlo,
:mod:`fiscal.montecarlo`), in this process, on local worker processes or on a Dask cluster, with
a progress bar on stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fiscal.cli_exec import SCENARIO_HELP, positive_int
from fiscal.textform import clean, for_terminal

__all__ = ["cmd_frontier", "cmd_sweep", "register"]


def _out(text: str = "") -> None:
    print(for_terminal(text), flush=True)


def _executor(args: argparse.Namespace):
    """The executor the options ask for (None: in this process), as a context manager."""
    import contextlib

    if args.scheduler:
        from fiscal.executors import DaskExecutor

        return DaskExecutor(args.scheduler)
    if args.workers and args.workers > 1:
        from fiscal.executors import ProcessPool

        return ProcessPool(args.workers)
    return contextlib.nullcontext()


def _progress(args: argparse.Namespace, total: int, unit: str):
    """A tqdm bar on stderr (shown on terminals only) and the callback that moves it."""
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        unit=unit,
        file=sys.stderr,
        disable=True if args.no_progress else None,
        leave=False,
        dynamic_ncols=True,
    )

    def tick(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    return bar, tick


def cmd_frontier(args: argparse.Namespace) -> int:
    from fiscal.frontier import frontier, frontier_values
    from fiscal.prose import frontier_text, illustrative_note
    from fiscal.scenario import load_scenario

    scen = load_scenario(args.file)
    through, unit = None, None
    if args.through_current:
        from fiscal.errors import ScenarioError
        from fiscal.frontier import is_money
        from fiscal.scenario import get_path

        try:
            current = get_path(scen.to_dict(), args.param)
        except ScenarioError:
            current = None  # frontier() says what is wrong with the path
        if isinstance(current, int | float) and not isinstance(current, bool):
            through = float(current)
            unit = scen.rounding.unit if is_money(args.param) else None
    values = frontier_values(args.lo, args.hi, args.steps, through=through, unit=unit)
    bar, tick = _progress(args, len(values), "point")
    with bar, _executor(args) as ex:
        frame = frontier(scen, args.param, values, progress=tick, executor=ex, backend=args.backend)
    path = None
    if args.output:
        from fiscal.export import write_tables

        path = write_tables(
            {"Frontier": frame},
            args.output,
            title=f"Frontier of {args.param} — {scen.name}",
            notes=[
                f"{args.steps} points from {args.lo:g} to {args.hi:g}; money in "
                "million VND; *_per_pt: change per point (0.01) of the setting."
            ],
            illustrative=illustrative_note(
                frame.attrs["illustrative"], frame.attrs["estimated_columns"]
            ),
        )
    _out(frontier_text(frame))
    if path:
        _out(f"wrote {path}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from fiscal.montecarlo import monte_carlo
    from fiscal.prose import illustrative_note, monte_carlo_text
    from fiscal.scenario import load_scenario

    scen = load_scenario(args.file)
    vary = dict(args.vary)
    bar, tick = _progress(args, args.draws, "draw")
    with bar, _executor(args) as ex:
        mc = monte_carlo(
            scen, vary, args.draws, seed=args.seed, progress=tick, executor=ex, backend=args.backend
        )
    path = None
    if args.output:
        from fiscal.export import write_tables

        settings = ", ".join(f"{k} {v}" for k, v in mc.settings["vary"].items())
        path = write_tables(
            mc.tables(),
            args.output,
            title=f"Monte Carlo — {scen.name}",
            notes=[f"{args.draws} draws, seed {args.seed}; {settings}; money in million VND."],
            illustrative=illustrative_note(mc.illustrative, mc.estimated_columns),
        )
    _out(monte_carlo_text(mc))
    if path:
        _out(f"wrote {path}")
    return 0


def _steps(text: str) -> int:
    value = positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("a frontier needs at least 2 steps")
    return value


def _vary(text: str):
    from fiscal.errors import FiscalError
    from fiscal.montecarlo import VARIABLES, Distribution, is_variable

    what, sep, dist = clean(text).partition("=")
    if not sep or not is_variable(what.strip()):
        raise argparse.ArgumentTypeError(
            f"'{text}': expected WHAT=DIST with WHAT one of {', '.join(VARIABLES)}, "
            "lines.<name>.envelope or lines.<name>.central_share.<class>, e.g. "
            "revenue=normal:0.05"
        )
    try:
        return what.strip(), Distribution.parse(dist)
    except FiscalError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: Any) -> None:
    """Add ``frontier`` and ``sweep`` to the ``fiscal`` parser's subcommands."""

    def scale_opts(sp: argparse.ArgumentParser) -> None:
        group = sp.add_mutually_exclusive_group()
        group.add_argument(
            "--workers",
            type=positive_int,
            default=None,
            metavar="N",
            help="run on N local worker processes",
        )
        group.add_argument(
            "--scheduler",
            metavar="ADDRESS",
            help="run on a Dask cluster, e.g. tcp://HOST:8786 (see docs/scale-out.md)",
        )
        sp.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
        sp.add_argument("--backend", choices=["highs", "pulp"], default=None)

    s = sub.add_parser(
        "frontier", help="sweep one setting: every metric and the price of each point"
    )
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument(
        "--param",
        required=True,
        metavar="PATH",
        help="dotted setting: constraints.hold-harmless.ratio, envelope.total, lines.targeted.envelope",
    )
    s.add_argument("--from", dest="lo", required=True, type=float)
    s.add_argument("--to", dest="hi", required=True, type=float)
    s.add_argument("--steps", type=_steps, default=101, help="number of points (default 101)")
    s.add_argument(
        "--through-current",
        action="store_true",
        help="make the scenario's own value one of the points (the nearest inner point moves "
        "to it; money in whole rounding units), as the app's Trade-offs page does",
    )
    s.add_argument("-o", "--output", metavar="OUT", help="write the frontier: .csv, .json or .xlsx")
    scale_opts(s)
    s.set_defaults(func=cmd_frontier)

    s = sub.add_parser(
        "sweep", help="Monte Carlo: allocations under uncertain revenue, population or envelope"
    )
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument(
        "--vary",
        action="append",
        type=_vary,
        required=True,
        metavar="WHAT=DIST",
        help="revenue, population, envelope, lines.<name>.envelope or "
        "'lines.<name>.central_share.<class>' = normal:SD | lognormal:SD | "
        "uniform:LOW:HIGH | triangular:LOW:MODE:HIGH (relative, e.g. revenue=normal:0.05)",
    )
    s.add_argument("--draws", type=positive_int, default=200, help="number of draws (default 200)")
    s.add_argument(
        "--seed", type=int, default=0, help="random seed (default 0); draw k uses (seed, k)"
    )
    s.add_argument(
        "-o", "--output", metavar="OUT", help="write units, rules and draws: .csv, .json or .xlsx"
    )
    scale_opts(s)
    s.set_defaults(func=cmd_sweep)
