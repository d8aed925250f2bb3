"""``fiscal runs …`` and ``fiscal solve --save``: the run store from the command line.

    fiscal solve scenarios/national-2026-baseline.toml --save --name "v1" --note "as in NQ 246"
    fiscal runs list
    fiscal runs show 1
    fiscal runs diff 1 2 -o diff.xlsx
    fiscal runs attribute 1 2 --unit 68 -o why.xlsx
    fiscal runs review 2 --who minh ; fiscal runs approve 2 --who hoa
    fiscal runs export 2 -o pack.zip

The store is ``--store URL`` (or a SQLite file path), else ``$FISCAL_STORE``, else SQLite in the
user's data directory (see docs/store.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fiscal.prose import terminal_runs as terminal

__all__ = ["add_save_options", "register", "save_result"]


def _out(text: str = "") -> None:
    print(text, flush=True)


def _store(args: argparse.Namespace) -> Any:
    from fiscal.store import open_store

    return open_store(getattr(args, "store", None))


def add_save_options(sp: argparse.ArgumentParser) -> None:
    """--save and its options, for ``fiscal solve``."""
    g = sp.add_argument_group("keeping the run (see `fiscal runs`)")
    g.add_argument("--save", action="store_true", help="keep this run in the run store")
    g.add_argument("--name", help="the run's name (default: the scenario's)")
    g.add_argument("--note", default="", help="a note kept with the run")
    g.add_argument("--author", help="who made it (default: $FISCAL_AUTHOR, else the login name)")
    g.add_argument("--parent", metavar="RUN", help="save as the next version of this run")
    g.add_argument(
        "--store",
        metavar="URL",
        help="store URL or SQLite file (default: "
        "$FISCAL_STORE, else runs.sqlite in the user's data directory)",
    )


def save_result(args: argparse.Namespace, result: Any) -> None:
    """After ``fiscal solve``: save when --save was given."""
    if not getattr(args, "save", False):
        for opt in ("name", "author", "parent", "store"):
            if getattr(args, opt, None):
                raise SystemExit(terminal.runs_usage_error("needs_save", opt))
        return
    store = _store(args)
    info = store.save(
        result, name=args.name, note=args.note, author=args.author, parent=args.parent
    )
    _out(terminal.run_saved_line(info, store.display))


# ----------------------------------------------------------------------------- commands


def _cmd_list(args: argparse.Namespace) -> int:
    store = _store(args)
    _out(terminal.runs_list_text(store.list(status=args.status, limit=args.limit), store.display))
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from fiscal.runs import load

    _out(terminal.run_show_text(load(args.run, _store(args)), args.top))
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from fiscal.runs import diff

    c = diff(args.a, args.b, store=_store(args))
    _out(c.text(top=args.top))
    if args.output:
        from fiscal.export import write_comparison

        path = write_comparison(c, args.output)
        _out(terminal.wrote_line(path))
    return 0


def _cmd_attribute(args: argparse.Namespace) -> int:
    from fiscal.runs import attribute

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(
                terminal.attribution_progress(done, total),
                end="" if done < total else "\n",
                file=sys.stderr,
                flush=True,
            )

    att = attribute(args.a, args.b, store=_store(args), backend=args.backend, progress=progress)
    if args.unit:
        for y in att.years:
            _out(terminal.attribution_line(y, att.words(args.unit, y, args.lang)))
    else:
        _out(att.text(top=args.top, lang=args.lang))
    if args.output:
        from pathlib import Path

        from fiscal._io import atomic_write

        path = Path(args.output)
        data = att.to_xlsx(args.lang) if path.suffix.lower() == ".xlsx" else att.to_csv()
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise SystemExit(terminal.runs_usage_error("attribute_output", path))
        atomic_write(path, data)
        _out(terminal.wrote_line(path))
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    info = _store(args).review(args.run, args.who, args.note)
    _out(terminal.run_action_line("review", info))
    return 0


def _cmd_approve(args: argparse.Namespace) -> int:
    info = _store(args).approve(args.run, args.who, args.note)
    _out(terminal.run_action_line("approve", info))
    return 0


def _cmd_edit(args: argparse.Namespace) -> int:
    info = _store(args).edit(args.run, name=args.name, note=args.note, who=args.who)
    _out(terminal.run_action_line("edit", info))
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    store = _store(args)
    info = store.get(args.run)
    store.delete(args.run)
    _out(terminal.run_action_line("delete", info))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from fiscal.runs import approval_pack, load

    store = _store(args)
    path = Path(args.output)
    if path.suffix.lower() == ".zip":
        approval_pack(args.run, path, store=store, backend=args.backend)
        _out(terminal.run_action_line("pack", store.get(args.run), path))
        return 0
    from fiscal.export import write

    run = load(args.run, store)
    write(run.result, path)
    _out(terminal.run_action_line("export", run.info, (path, len(run.result.table))))
    return 0


def register(sub: Any) -> None:
    """Add ``fiscal runs …`` to the CLI's subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        metavar="URL",
        help="store URL or SQLite file (default: "
        "$FISCAL_STORE, else runs.sqlite in the user's data directory)",
    )
    p = sub.add_parser(
        "runs", help="kept runs: list, show, diff, attribute, review, approve, export"
    )
    rs = p.add_subparsers(dest="runs_command", required=True, metavar="ACTION")

    s = rs.add_parser("list", parents=[common], help="stored runs, newest first")
    s.add_argument("--status", choices=["draft", "reviewed", "approved"])
    s.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    s.set_defaults(func=_cmd_list)

    s = rs.add_parser("show", parents=[common], help="a run: record, summary, trail")
    s.add_argument("run", metavar="RUN", help="run id (or uid)")
    s.add_argument("--top", type=int, default=5)
    s.set_defaults(func=_cmd_show)

    s = rs.add_parser(
        "diff", parents=[common], help="two runs side by side (like `fiscal compare`)"
    )
    s.add_argument("a", metavar="A", help="the reference run")
    s.add_argument("b", metavar="B")
    s.add_argument(
        "-o", "--output", metavar="OUT", help="write the comparison: .csv, .json or .xlsx"
    )
    s.add_argument("--top", type=int, default=5)
    s.set_defaults(func=_cmd_diff)

    s = rs.add_parser(
        "attribute",
        parents=[common],
        help="why B differs from A: data, envelope, norms, rules, objective",
    )
    s.add_argument("a", metavar="A", help="the earlier run")
    s.add_argument("b", metavar="B")
    s.add_argument("--unit", metavar="CODE", help="one unit in words, e.g. 68 (Lâm Đồng)")
    s.add_argument("--lang", choices=["en", "vi"], default="en")
    s.add_argument("--top", type=int, default=10, help="largest changes to list (default 10)")
    s.add_argument("-o", "--output", metavar="OUT", help="write the attribution: .csv or .xlsx")
    s.add_argument("--backend", choices=["highs", "pulp"], default=None)
    s.set_defaults(func=_cmd_attribute)

    for name, fn, what in (
        ("review", _cmd_review, "draft → reviewed"),
        ("approve", _cmd_approve, "reviewed → approved (then immutable)"),
    ):
        s = rs.add_parser(name, parents=[common], help=what)
        s.add_argument("run", metavar="RUN")
        s.add_argument(
            "--who", help="who (default: $FISCAL_AUTHOR, else the login name); not the run's author"
        )
        s.add_argument("--note", default="")
        s.set_defaults(func=fn)

    s = rs.add_parser("edit", parents=[common], help="rename a draft or change its note")
    s.add_argument("run", metavar="RUN")
    s.add_argument("--name")
    s.add_argument("--note")
    s.add_argument("--who")
    s.set_defaults(func=_cmd_edit)

    s = rs.add_parser("delete", parents=[common], help="delete a draft no other run builds on")
    s.add_argument("run", metavar="RUN")
    s.set_defaults(func=_cmd_delete)

    s = rs.add_parser(
        "export",
        parents=[common],
        help="-o pack.zip: the approval pack; -o x.xlsx/.csv/.json: the allocation",
    )
    s.add_argument("run", metavar="RUN")
    s.add_argument("-o", "--output", required=True, metavar="OUT")
    s.add_argument("--backend", choices=["highs", "pulp"], default=None)
    s.set_defaults(func=_cmd_export)
