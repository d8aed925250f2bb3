"""``fiscal drawdown``, ``fiscal outturn`` and ``fiscal capital``: the execution and capital
views on the command line (:mod:`fiscal.execution`, :mod:`fiscal.capital`).

The terminal summary is in English; the files (``-o``) are in the language of ``--lang``
(Vietnamese by default, like the official tables).
"""

from __future__ import annotations

import argparse
from typing import Any

from fiscal.textform import for_terminal

__all__ = ["positive_int", "register"]

SCENARIO_HELP = "a scenario file, or the name of a shipped one (see `fiscal list`)"


def _out(text: str = "") -> None:
    print(for_terminal(text), flush=True)


def _result(args: argparse.Namespace) -> Any:
    from fiscal.pipeline import run

    _check_output(args)
    return run(args.file, backend=getattr(args, "backend", None))


def _check_output(args: argparse.Namespace) -> None:
    """Refuse a wrong output suffix before any work (and before anything is printed)."""
    from fiscal.execution_export import output_format

    if args.output:
        output_format(args.output)


def _cmd_drawdown(args: argparse.Namespace) -> int:
    from fiscal.execution_export import drawdown_view
    from fiscal.prose.execution import drawdown_text

    result = _result(args)
    view = drawdown_view(
        result, lang=args.lang, profile=args.profile, unit=args.unit, year=args.year
    )
    table = view.sheets["drawdown"]
    year = int(args.year or result.years[0])
    _out(drawdown_text(table, year, args.unit))
    if result.illustrative:
        _out("  ILLUSTRATIVE: the bundled fiscal layer's transfers are estimated, not official.")
    if args.output:
        path = view.write(args.output)
        _out(f"wrote {path} ({len(table) - 1} units and the total)")
    return 0


def _fix(text: str) -> tuple[str, float]:
    from fractions import Fraction

    code, sep, value = text.partition("=")
    if not sep or not code.strip():
        raise argparse.ArgumentTypeError(
            f"'{text}': write CODE=FACTOR (e.g. 79=1.15) or CODE=hcmc-2025"
        )
    value = value.strip()
    if value == "hcmc-2025":
        from fiscal.execution import hcmc_2025_ratio

        return code.strip().zfill(2), float(hcmc_2025_ratio())
    try:
        return code.strip().zfill(2), float(Fraction(value))
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(
            f"'{text}': the factor must be a number (1.15 = 115 % of the estimate)"
        ) from None


def _cmd_outturn(args: argparse.Namespace) -> int:
    from fiscal.execution import base_from_result, outturn
    from fiscal.execution_export import outturn_view
    from fiscal.prose.execution import outturn_text

    result = _result(args)
    base = base_from_result(result, opening_debt=args.opening_debt)
    out = outturn(base, args.revenue, args.draws, seed=args.seed, fixed=dict(args.fix or []))
    _out(outturn_text(out))
    _out(
        "  ILLUSTRATIVE: the spread of outturn"
        + (", the fiscal layer" if result.illustrative else "")
        + " and the opening debt (unless the unit table has 'debt') are estimated."
    )
    if args.output:
        path = outturn_view(out, lang=args.lang, illustrative_layer=result.illustrative).write(
            args.output
        )
        _out(f"wrote {path}")
    return 0


def _cmd_capital(args: argparse.Namespace) -> int:
    from fiscal.capital import five_year, load_plan
    from fiscal.execution_export import capital_view_export
    from fiscal.prose.execution import capital_text

    _check_output(args)
    frame = None
    if args.units:
        from fiscal.data import load_units

        frame = load_units(args.units, "province").frame
    view = five_year(load_plan(args.plan), frame)
    _out(capital_text(view))
    if args.output:
        path = capital_view_export(view, lang=args.lang).write(args.output)
        _out(f"wrote {path}")
    return 0


def positive_int(text: str) -> int:
    """An argument that must be a whole number ≥ 1 (``--draws``, ``--points``…)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def register(sub: Any) -> None:
    """Add ``fiscal drawdown``, ``fiscal outturn`` and ``fiscal capital`` to the CLI."""

    def lang(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--lang",
            choices=["vi", "en"],
            default="vi",
            help="language of the written file's headers and notes (default vi)",
        )

    s = sub.add_parser(
        "drawdown",
        help="monthly drawdown of balancing transfers (1/12 a month, Q1 ≤ 30 %%), as a table",
    )
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument(
        "--profile",
        default="even",
        help="even (1/12 a month), front (30 %% in Q1, 10 %% a month) or 12 shares "
        "separated by commas (default even)",
    )
    s.add_argument(
        "--unit",
        choices=["million", "dong"],
        default="million",
        help="round the months to a million VND or to the dong (default million)",
    )
    s.add_argument("--year", type=int, default=None, help="the year (default: the first)")
    s.add_argument("-o", "--output", metavar="OUT", help="write the schedule: .csv, .xlsx or .json")
    s.add_argument("--backend", choices=["highs", "pulp"], default=None)
    lang(s)
    s.set_defaults(func=_cmd_drawdown)

    s = sub.add_parser(
        "outturn",
        help="Monte Carlo on revenue outturn: units below need or over the debt ceiling",
    )
    s.add_argument("file", metavar="FILE", help=SCENARIO_HELP)
    s.add_argument(
        "--revenue",
        default="normal:0.05",
        metavar="DIST",
        help="outturn / estimate per unit: normal:SD | lognormal:SD | uniform:LOW:HIGH | "
        "triangular:LOW:MODE:HIGH (relative; default normal:0.05, illustrative)",
    )
    s.add_argument(
        "--fix",
        action="append",
        type=_fix,
        metavar="CODE=FACTOR",
        help="hold a unit at a factor in every draw, e.g. 79=1.15, or 79=hcmc-2025 (HCMC's real "
        "2025 outturn over its target); repeatable",
    )
    s.add_argument(
        "--draws", type=positive_int, default=1000, help="number of draws (default 1000)"
    )
    s.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    s.add_argument(
        "--opening-debt",
        type=float,
        default=0.5,
        metavar="SHARE",
        help="opening debt as a share of each unit's ceiling at the estimate, when the unit "
        "table has no 'debt' column (default 0.5, illustrative)",
    )
    s.add_argument(
        "-o", "--output", metavar="OUT", help="write units, draws, counts: .csv, .xlsx or .json"
    )
    s.add_argument("--backend", choices=["highs", "pulp"], default=None)
    lang(s)
    s.set_defaults(func=_cmd_outturn)

    s = sub.add_parser(
        "capital",
        help="recurrent and capital need, and a points-style capital line 2026–2030",
    )
    s.add_argument(
        "--plan",
        metavar="PLAN",
        default=None,
        help="a capital plan file (.toml; default: the shipped capital_2026_2030.toml)",
    )
    s.add_argument(
        "--units", metavar="TABLE", help="a province unit table (.csv/.xlsx) instead of the bundled"
    )
    s.add_argument("-o", "--output", metavar="OUT", help="write the view: .csv, .xlsx or .json")
    lang(s)
    s.set_defaults(func=_cmd_capital)
