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

__all__ = ["add_save_options", "register", "save_result"]


def _out(text: str = "") -> None:
    print(text, flush=True)


def _store(args: argparse.Namespace) -> Any:
    from fiscal.store import open_store

    return open_store(getattr(args, "store", None))


def _when(v: Any) -> str:
    return v.strftime("%Y-%m-%d %H:%M UTC") if v is not None else "–"


def _bn(v: float) -> str:
    """Billions with one decimal, as the terminal's tables write them (fiscal.prose)."""
    from fiscal.prose.numbers import billions

    return billions(v, 1)


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
                raise SystemExit(f"fiscal solve: --{opt} needs --save")
        return
    store = _store(args)
    info = store.save(
        result, name=args.name, note=args.note, author=args.author, parent=args.parent
    )
    _out(f"saved run {info.label()} by {info.author} in {store.display}")


# ----------------------------------------------------------------------------- commands


def _summary(result: Any, top: int) -> list[str]:
    """A stored run in a few lines: totals against the envelope, metrics, largest changes."""
    s = result.scenario
    lines = [
        s.name,
        f"  objective {result.objective_kind}; {len(result.problem.codes)} units "
        f"({s.scenario.level}); solved by {result.backend}",
    ]
    for k, y in enumerate(result.years):
        alloc = float(result.table.loc[result.table["year"] == y, "allocation"].sum())
        env = float(result.problem.envelope_total[k])
        ok = "reconciles exactly" if alloc == env else f"differs by {alloc - env:,.0f}"
        lines.append(f"  {y}: envelope {_bn(env)} bn VND; allocated {_bn(alloc)} bn VND ({ok})")
    m = result.metrics
    lines.append(
        "  "
        + ", ".join(
            f"{k} {m[k]:.4g}"
            for k in ("gini", "theil", "share_of_need_met")
            if k in m and m[k] == m[k]
        )
    )
    first = result.year_table()
    ch = first[first["baseline"] > 0].sort_values(["change", "code"], kind="stable")
    if len(ch):
        lines.append(f"  largest changes against the baseline ({result.years[0]}):")
        for _, r in ch.iloc[::-1].head(top).iterrows():
            lines.append(f"    {r['code']:>5} {r['name']:<28} {r['change'] / 1000:+12,.1f} bn")
        for _, r in ch.head(top).iloc[::-1].iterrows():
            lines.append(f"    {r['code']:>5} {r['name']:<28} {r['change'] / 1000:+12,.1f} bn")
    held = sum(c.ok for c in result.checks)
    lines.append(f"  re-check when saved: {held}/{len(result.checks)} rules hold")
    if result.illustrative:
        cols = ", ".join(result.problem.units.estimated_columns)
        lines.append(f"  NOTE: illustrative figures in use (estimated: {cols}); not official data")
    return lines


def _cmd_list(args: argparse.Namespace) -> int:
    store = _store(args)
    items = store.list(status=args.status, limit=args.limit)
    if not items:
        _out(f"no runs in {store.display} (save one with `fiscal solve FILE --save`)")
        return 0
    _out(
        f"{'id':>4}  {'created':<20} {'status':<9} {'ver':>3}  {'author':<12} {'total bn':>12}  "
        f"{'objective':<18} name"
    )
    for r in items:
        _out(
            f"{r.id:>4}  {_when(r.created_at):<20} {r.status:<9} {r.version:>3}  "
            f"{r.author[:12]:<12} {_bn(r.total):>12}  {r.objective:<18} {r.name}"
        )
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from fiscal.runs import load

    run = load(args.run, _store(args))
    i = run.info
    _out(f"run {i.label()}")
    _out(
        f"  uid {i.uid}; lineage {i.lineage[:12]}…, version {i.version}"
        + (f", parent #{i.parent_id}" if i.parent_id else "")
    )
    _out(f"  saved {_when(i.created_at)} by {i.author}" + (f": {i.note}" if i.note else ""))
    if i.reviewed_by:
        _out(f"  reviewed {_when(i.reviewed_at)} by {i.reviewed_by}")
    if i.approved_by:
        _out(f"  approved {_when(i.approved_at)} by {i.approved_by} (immutable)")
    _out(f"  scenario file when saved: {i.scenario_file or '(none: edited or uploaded)'}")
    _out(f"  data sha256 {i.dataset_sha256} ({i.provenance.get('dataset', '')})")
    versions = ", ".join(f"{k} {v}" for k, v in i.provenance.get("versions", {}).items())
    _out(f"  fiscal {i.fiscal_version}, {i.backend}; {versions}")
    _out("")
    for line in _summary(run.result, args.top):
        _out(line)
    _out("")
    _out("Trail:")
    for e in run.events():
        _out(f"  {_when(e.at)}  {e.action:<9} {e.who:<12} {e.detail}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from fiscal.runs import diff

    c = diff(args.a, args.b, store=_store(args))
    _out(c.text(top=args.top))
    if args.output:
        from fiscal.export import write_comparison

        path = write_comparison(c, args.output)
        _out(f"wrote {path}")
    return 0


def _cmd_attribute(args: argparse.Namespace) -> int:
    from fiscal.runs import attribute

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(
                f"\rsolving combinations {done}/{total}",
                end="" if done < total else "\n",
                file=sys.stderr,
                flush=True,
            )

    att = attribute(args.a, args.b, store=_store(args), backend=args.backend, progress=progress)
    if args.unit:
        for y in att.years:
            _out(f"{y}: {att.words(args.unit, y, args.lang)}")
    else:
        _out(att.text(top=args.top, lang=args.lang))
    if args.output:
        from pathlib import Path

        from fiscal._io import atomic_write

        path = Path(args.output)
        data = att.to_xlsx() if path.suffix.lower() == ".xlsx" else att.to_csv()
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise SystemExit(f"fiscal runs attribute: -o {path}: write .csv or .xlsx")
        atomic_write(path, data)
        _out(f"wrote {path}")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    info = _store(args).review(args.run, args.who, args.note)
    _out(f"run {info.label()}: reviewed by {info.reviewed_by}")
    return 0


def _cmd_approve(args: argparse.Namespace) -> int:
    info = _store(args).approve(args.run, args.who, args.note)
    _out(f"run {info.label()}: approved by {info.approved_by}; it can no longer change")
    return 0


def _cmd_edit(args: argparse.Namespace) -> int:
    info = _store(args).edit(args.run, name=args.name, note=args.note, who=args.who)
    _out(f"run {info.label()}: {info.note or '(no note)'}")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    store = _store(args)
    info = store.get(args.run)
    store.delete(args.run)
    _out(f"deleted draft #{info.id} {info.name}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from fiscal.runs import approval_pack, load

    store = _store(args)
    path = Path(args.output)
    if path.suffix.lower() == ".zip":
        approval_pack(args.run, path, store=store, backend=args.backend)
        _out(f"wrote {path} (approval pack of run #{store.get(args.run).id})")
        return 0
    from fiscal.export import write

    run = load(args.run, store)
    write(run.result, path)
    _out(f"wrote {path} ({len(run.result.table)} rows of run {run.info.label()})")
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
