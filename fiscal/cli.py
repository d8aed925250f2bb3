"""The ``fiscal`` command line.

Exit codes: 0 success; 1 bad input or an infeasible scenario (one clear message, no
traceback); 2 usage errors. Each command imports only what it needs, so ``fiscal solve`` starts
fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fiscal.cli_exec import register as register_exec
from fiscal.cli_sweeps import cmd_frontier, cmd_sweep
from fiscal.cli_sweeps import register as register_sweeps
from fiscal.textform import clean, for_terminal

__all__ = [
    "build_parser",
    "cmd_app",
    "cmd_compare",
    "cmd_explain",
    "cmd_frontier",
    "cmd_goalseek",
    "cmd_list",
    "cmd_mergers",
    "cmd_solve",
    "cmd_sweep",
    "cmd_template",
    "cmd_validate",
    "main",
]


def _out(text: str = "") -> None:
    print(for_terminal(text), flush=True)


def _err(text: str) -> None:
    print(for_terminal(text), file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    from fiscal import calibrate
    from fiscal.prose import scenario_list
    from fiscal.scenario import bundled_scenarios_dir, list_scenarios, load_scenario

    entries: list[tuple[str, Any]] = []
    for path in list_scenarios():
        try:
            entries.append((path.stem, load_scenario(path)))
        except Exception as exc:  # a broken shipped file must not hide the others
            entries.append((path.stem, exc))
    communes = calibrate.commune_units()
    datasets = [
        (
            "provinces",
            f"{len(calibrate.province_units())} provincial units (NQ 202/2025/QH15), NSO 2024 "
            "population; fiscal layer illustrative",
        ),
        (
            "communes",
            f"{len(communes)} communes (vietnam-provinces 2025.10.1); attributes illustrative",
        ),
        (
            "communes:<code>",
            "the communes of one province, e.g. communes:08 "
            f"({int((communes['parent'] == '08').sum())} communes of Tuyên Quang)",
        ),
    ]
    _out(scenario_list(str(bundled_scenarios_dir()), entries, datasets))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from fiscal.errors import FiscalError

    bad = 0
    for name in args.files:
        path = Path(name)
        try:
            if path.suffix.lower() in (".csv", ".xlsx", ".xlsm"):
                from fiscal.data import load_units

                table = load_units(path, args.level)
                _out(f"ok    {name}: {len(table)} {args.level} unit(s)")
            else:
                from fiscal.scenario import load_scenario

                s = load_scenario(path)
                _out(f"ok    {name}: '{s.name}' ({s.objective.kind}, {len(s.constraints)} rule(s))")
        except FiscalError as exc:
            bad += 1
            _err(f"error {exc}")
    return 1 if bad else 0


def _write_models(models: list[tuple[str, Any]], path: str) -> None:
    """Write each (label, LinearProgram) as MPS/LP: ``path``, or ``stem-<label>.suffix``."""
    from pathlib import Path

    from fiscal.highs import write_model
    from fiscal.prose import model_line

    target = Path(path)
    for label, lp in models:
        out = target if not label else target.with_name(f"{target.stem}-{label}{target.suffix}")
        write_model(lp, out)
        _out(model_line(out, lp))


def cmd_solve(args: argparse.Namespace) -> int:
    from fiscal.errors import InfeasibleError, ModelError
    from fiscal.pipeline import model_of, primary_model, run
    from fiscal.scenario import load_scenario

    scen = load_scenario(args.file)
    if args.write_model and scen.objective.kind == "formula":
        raise ModelError(
            f"--write-model: '{scen.name}' uses the formula objective, which solves "
            "no model; choose an optimising objective (e.g. shortfall_minimax)"
        )
    units = None
    if args.units:
        from fiscal.data import load_units

        units = load_units(args.units, scen.scenario.level)
    try:
        result = run(scen, backend=args.backend, time_limit=args.time_limit, units=units)
    except InfeasibleError:
        if args.write_model:  # the model of an infeasible scenario is worth inspecting too
            _write_models([("", primary_model(scen, units=units))], args.write_model)
        raise
    from fiscal.prose import solve_summary

    _out(solve_summary(result))
    if args.write_model:
        parts = result.children or [result]
        models = [
            (str(r.table["parent"].iat[0]) if result.children else "", model_of(r)) for r in parts
        ]
        if result.problem.sharing is not None and result.problem.sharing.chosen is not None:
            models = [("", primary_model(scen, units=units))]  # the rate model's MILP
        _write_models(models, args.write_model)
    if args.output:
        from fiscal.export import write

        path = write(result, args.output, lang=args.lang)
        _out(f"wrote {path} ({len(result.table)} rows)")
    from fiscal.cli_runs import save_result

    save_result(args, result)
    return 0


def cmd_mergers(args: argparse.Namespace) -> int:
    from fiscal.mechanism import merger_view
    from fiscal.pipeline import run
    from fiscal.prose.terminal import mergers_text

    result = run(args.file, backend=args.backend)
    view = merger_view(result.problem, result.cells.sum(axis=1))
    if view.empty:
        _err(
            f"'{result.scenario.name}' has no [sharing] table or no predecessors' figures: the "
            "merged-unit view needs the A/B/C mechanism (e.g. national-2026-bridge)"
        )
        return 1
    n_pred = view[view["level"] == "predecessor"].groupby("unit").size()
    if args.unit:
        view = view[view["unit"] == args.unit.zfill(2)]
        if view.empty:
            _err(f"unit '{args.unit}' has no predecessors listed")
            return 1
    elif not args.all:  # the units that merged (two predecessors or more)
        view = view[view["unit"].map(n_pred).fillna(0) >= 2]
    _out(mergers_text(view, result.scenario.name))
    if args.output:
        from fiscal.export import write_tables

        path = write_tables({"mergers": view}, args.output, title=result.scenario.name)
        _out(f"wrote {path}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from fiscal.pipeline import run
    from fiscal.prose import explain_text, ledger_text

    result = run(args.file, backend=args.backend)
    if args.unit:
        _out(explain_text(result.explain(args.unit, args.year)))
        _out("")
    _out(ledger_text(result.child_for(args.unit).constraints if args.unit else result.constraints))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from fiscal.data import write_template

    path = write_template(args.output, args.level, prefilled=args.prefilled, province=args.province)
    _out(f"wrote {path} ({args.level} template{', pre-filled' if args.prefilled else ''})")
    return 0


def cmd_goalseek(args: argparse.Namespace) -> int:
    from fiscal.frontier import goal_seek
    from fiscal.prose import goal_seek_line
    from fiscal.scenario import load_scenario

    scen = load_scenario(args.file)
    value, result = goal_seek(scen, args.param, args.metric, args.target, args.lo, args.hi)
    _out(goal_seek_line(args.param, value, args.metric, result.metrics[args.metric], args.target))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from fiscal.compare import compare
    from fiscal.pipeline import run

    labels = [x.strip() for x in args.labels.split(",")] if args.labels else None
    results = [run(f, backend=args.backend) for f in [args.first, *args.others]]
    comparison = compare(results, labels, constraints=not args.no_rules)
    path = None
    if args.output:  # written first: a closed stdout (| head) must not lose the file
        from fiscal.export import write_comparison

        path = write_comparison(comparison, args.output, lang=args.lang)
    _out(comparison.text(top=args.top))
    if path:
        _out(f"wrote {path}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from fiscal_app.launch import start  # the app's package, installed with fiscal

    return start(port=args.port, address=args.address, scenario=args.scenario)


# ----------------------------------------------------------------------------- parser


SCENARIO_HELP = "a scenario file, or the name of a shipped one (see `fiscal list`)"


class _Parser(argparse.ArgumentParser):
    """argparse, with its messages (which quote the arguments) printed safely."""

    def _print_message(self, message: str, file: Any = None) -> None:  # a text stream
        super()._print_message(for_terminal(message) if message else message, file)


# arguments that name files are kept as typed (the loaders also try their NFC and NFD forms:
# fiscal.textform.path_forms); every other text argument is put in the one text form
_PATH_ARGS = frozenset(
    {"file", "files", "first", "others", "output", "units", "scheduler", "write_model", "scenario"}
) | {"plan"}


def _clean_args(args: argparse.Namespace) -> argparse.Namespace:
    for key, value in vars(args).items():
        if key in _PATH_ARGS:
            continue
        if isinstance(value, str):
            setattr(args, key, clean(value).strip())
    return args


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="fiscal",
        description="Fiscal allocation simulator for Vietnam's merged provinces and communes. "
        "Money is in million VND (triệu đồng).",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("list", help="shipped scenarios and bundled datasets")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("validate", help="check scenario files (.toml) and unit tables (.csv/.xlsx)")
    s.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="scenario files or names of shipped ones, unit tables (.csv/.xlsx)",
    )
    s.add_argument(
        "--level",
        choices=["province", "commune"],
        default="province",
        help="level of unit tables (default: province)",
    )
    s.set_defaults(func=cmd_validate)

    def solver_opts(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--backend",
            choices=["highs", "pulp"],
            default=None,
            help="solver backend (default: the scenario's, else highs)",
        )
        sp.add_argument(
            "--time-limit",
            type=float,
            default=None,
            metavar="SECONDS",
            help="solver time limit (default: the scenario's, else 60)",
        )

    s = sub.add_parser("solve", help="allocate a scenario, print a summary, write a table")
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument("-o", "--output", metavar="OUT", help="write the result: .csv, .json or .xlsx")
    s.add_argument(
        "--units",
        metavar="TABLE",
        help="use this unit table (.csv/.xlsx) instead of the scenario's dataset",
    )
    s.add_argument(
        "--lang",
        choices=["en", "vi"],
        default=None,
        help="the language of an .xlsx workbook's sheets, headers and notes (default: English, "
        "the sheets of transfer lines in both languages)",
    )
    s.add_argument(
        "--write-model",
        metavar="MODEL",
        help="also write the LP of the allocation as .mps or .lp (solved, or its optimum found "
        "directly) "
        "(one file per province for a commune run), to inspect in another solver",
    )
    solver_opts(s)
    from fiscal.cli_runs import add_save_options, register

    add_save_options(s)
    s.set_defaults(func=cmd_solve)

    s = sub.add_parser("explain", help="why each number: a unit's waterfall and the rules' ledger")
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument("--unit", metavar="CODE", help="unit code, e.g. 08 (Tuyên Quang)")
    s.add_argument("--year", type=int, default=None)
    s.add_argument("--backend", choices=["highs", "pulp"], default=None)
    s.set_defaults(func=cmd_explain)

    s = sub.add_parser(
        "mergers",
        help="each merged unit beside its predecessors: rates, transfers, resources (A/B/C)",
    )
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument("--unit", metavar="CODE", help="one unit, e.g. 33 (Hưng Yên)")
    s.add_argument("--all", action="store_true", help="also the units that did not merge")
    s.add_argument("-o", "--output", metavar="OUT", help="write the table: .csv or .xlsx")
    s.add_argument("--backend", choices=["highs", "pulp"], default=None)
    s.set_defaults(func=cmd_mergers)

    s = sub.add_parser("template", help="write a unit-table template to fill with your figures")
    s.add_argument("output", metavar="OUT", help=".csv or .xlsx")
    s.add_argument("--level", choices=["province", "commune"], default="province")
    s.add_argument("--prefilled", action="store_true", help="pre-fill with the bundled dataset")
    s.add_argument(
        "--province", metavar="CODE", help="with --level commune: one province's communes"
    )
    s.set_defaults(func=cmd_template)

    s = sub.add_parser("goalseek", help="find the setting that meets a target metric")
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument(
        "--param",
        required=True,
        metavar="PATH",
        help="dotted setting, e.g. constraints.hold-harmless.ratio",
    )
    s.add_argument("--metric", required=True, help="a metric name, e.g. share_of_need_met, gini")
    s.add_argument("--target", required=True, type=float)
    s.add_argument("--from", dest="lo", required=True, type=float)
    s.add_argument("--to", dest="hi", required=True, type=float)
    s.set_defaults(func=cmd_goalseek)

    s = sub.add_parser(
        "compare", help="scenarios side by side: winners and losers, settings, rules"
    )
    s.add_argument("first", metavar="A", help="the reference scenario (a file or a shipped name)")
    s.add_argument("others", nargs="+", metavar="B", help="the scenarios compared with it")
    s.add_argument(
        "-o", "--output", metavar="OUT", help="write the comparison: .csv, .json or .xlsx"
    )
    s.add_argument(
        "--labels", metavar="A,B,...", help="short names for the scenarios (default: file names)"
    )
    s.add_argument(
        "--lang",
        choices=["en", "vi"],
        default=None,
        help="the language of an .xlsx workbook (default: English, the sheets of transfer "
        "lines in both languages)",
    )
    s.add_argument(
        "--top", type=int, default=5, help="largest gains and losses to list (default 5)"
    )
    s.add_argument(
        "--no-rules",
        action="store_true",
        help="skip what each rule costs (one re-solve per rule active at the optimum)",
    )
    s.add_argument("--backend", choices=["highs", "pulp"], default=None)
    s.set_defaults(func=cmd_compare)

    register_sweeps(sub)  # fiscal frontier, sweep
    register(sub)  # fiscal runs …
    register_exec(sub)  # fiscal drawdown, outturn, capital

    s = sub.add_parser("app", help="start the Streamlit app (http://127.0.0.1:8501)")
    s.add_argument("--port", type=int, default=8501)
    s.add_argument("--address", default="127.0.0.1")
    s.add_argument(
        "--scenario",
        metavar="SCENARIO",
        help="open the app on this scenario (a file or a shipped name; default: "
        "national-2026-baseline)",
    )
    s.set_defaults(func=cmd_app)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = build_parser()
    args = _clean_args(parser.parse_args(argv))
    from fiscal.errors import FiscalError

    try:
        return int(args.func(args) or 0)
    except FiscalError as exc:
        _err(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        _err("interrupted; nothing was written")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
