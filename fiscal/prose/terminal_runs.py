"""What ``fiscal runs …`` and ``fiscal solve --save`` print (English): :func:`run_saved_line`,
:func:`runs_list_text`, :func:`run_show_text`, :func:`stored_run_summary`,
:func:`run_action_line` and the attribution's lines. The other reports are in
:mod:`fiscal.prose.terminal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fiscal.prose.numbers import billions

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = [
    "attribution_line",
    "attribution_progress",
    "run_action_line",
    "run_saved_line",
    "run_show_text",
    "runs_list_text",
    "runs_usage_error",
    "stored_run_summary",
    "wrote_line",
]


def _when(v: Any) -> str:
    return v.strftime("%Y-%m-%d %H:%M UTC") if v is not None else "–"


def run_saved_line(info: Any, where: str) -> str:
    """``fiscal solve --save``: 'saved run #1 v1 (v1, draft) by lan in …/runs.sqlite'."""
    return f"saved run {info.label()} by {info.author} in {where}"


def stored_run_summary(result: Result, top: int) -> list[str]:
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
        lines.append(
            f"  {y}: envelope {billions(env, 1)} bn VND; allocated {billions(alloc, 1)} bn VND "
            f"({ok})"
        )
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


def runs_list_text(items: Sequence[Any], where: str) -> str:
    """``fiscal runs list``: one line per stored run, newest first."""
    if not items:
        return f"no runs in {where} (save one with `fiscal solve FILE --save`)"
    lines = [
        f"{'id':>4}  {'created':<20} {'status':<9} {'ver':>3}  {'author':<12} {'total bn':>12}  "
        f"{'objective':<18} name"
    ]
    for r in items:
        lines.append(
            f"{r.id:>4}  {_when(r.created_at):<20} {r.status:<9} {r.version:>3}  "
            f"{r.author[:12]:<12} {billions(r.total, 1):>12}  {r.objective:<18} {r.name}"
        )
    return "\n".join(lines)


def run_show_text(run: Any, top: int) -> str:
    """``fiscal runs show``: the run's record, its summary and its trail."""
    i = run.info
    lines = [
        f"run {i.label()}",
        f"  uid {i.uid}; lineage {i.lineage[:12]}…, version {i.version}"
        + (f", parent #{i.parent_id}" if i.parent_id else ""),
        f"  saved {_when(i.created_at)} by {i.author}" + (f": {i.note}" if i.note else ""),
    ]
    if i.reviewed_by:
        lines.append(f"  reviewed {_when(i.reviewed_at)} by {i.reviewed_by}")
    if i.approved_by:
        lines.append(f"  approved {_when(i.approved_at)} by {i.approved_by} (immutable)")
    lines.append(f"  scenario file when saved: {i.scenario_file or '(none: edited or uploaded)'}")
    lines.append(f"  data sha256 {i.dataset_sha256} ({i.provenance.get('dataset', '')})")
    versions = ", ".join(f"{k} {v}" for k, v in i.provenance.get("versions", {}).items())
    lines.append(f"  fiscal {i.fiscal_version}, {i.backend}; {versions}")
    lines += ["", *stored_run_summary(run.result, top), "", "Trail:"]
    lines += [f"  {_when(e.at)}  {e.action:<9} {e.who:<12} {e.detail}" for e in run.events()]
    return "\n".join(lines)


def run_action_line(action: str, info: Any, detail: Any = None) -> str:
    """The line ``fiscal runs review|approve|edit|delete|export`` prints after acting."""
    if action == "review":
        return f"run {info.label()}: reviewed by {info.reviewed_by}"
    if action == "approve":
        return f"run {info.label()}: approved by {info.approved_by}; it can no longer change"
    if action == "edit":
        return f"run {info.label()}: {info.note or '(no note)'}"
    if action == "delete":
        return f"deleted draft #{info.id} {info.name}"
    if action == "pack":
        return f"wrote {detail} (approval pack of run #{info.id})"
    if action == "export":
        path, rows = detail
        return f"wrote {path} ({rows} rows of run {info.label()})"
    raise ValueError(action)


def wrote_line(path: Any) -> str:
    """After writing a file: 'wrote diff.xlsx'."""
    return f"wrote {path}"


def attribution_line(year: int, words: str) -> str:
    """``fiscal runs attribute --unit``: one year of a unit's change in words."""
    return f"{year}: {words}"


def attribution_progress(done: int, total: int) -> str:
    """``fiscal runs attribute``'s progress on a terminal (rewritten in place)."""
    return f"\rsolving combinations {done}/{total}"


def runs_usage_error(what: str, value: Any = None) -> str:
    """A misuse of ``fiscal solve --save`` or ``fiscal runs`` options, in words."""
    if what == "needs_save":
        return f"fiscal solve: --{value} needs --save"
    if what == "attribute_output":
        return f"fiscal runs attribute: -o {value}: write .csv or .xlsx"
    raise ValueError(what)
