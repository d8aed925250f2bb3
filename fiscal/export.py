"""Exports: CSV and JSON bytes of a result (one code path for the CLI and the app).

Every writer returns bytes; :func:`write` picks the format from the file suffix and writes
atomically, so an error or Ctrl-C never leaves half a file. Numbers are formatted
deterministically (amounts in million VND with fixed decimals, derived values to 9 significant
digits) so that the same input gives byte-identical files.

CSV files start with a UTF-8 byte-order mark, so that Excel on Windows reads the Vietnamese
names right; when illustrative (estimated) figures are in use, the first line says so, as a
comment line (``# ...``, no commas: read the table with ``pd.read_csv(path, comment="#")``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal._io import atomic_write
from fiscal.errors import ExportError
from fiscal.prose.messages import Message

if TYPE_CHECKING:
    from fiscal.compare import Comparison
    from fiscal.results import Result

__all__ = [
    "BOM",
    "FORMATS",
    "budget_dict",
    "comparison_bytes",
    "csv_notice",
    "exact_number",
    "csv_bytes",
    "formatted_table",
    "json_bytes",
    "result_dict",
    "sharing_dict",
    "tables_bytes",
    "write",
    "write_comparison",
    "write_tables",
]

FORMATS = ("csv", "json", "xlsx")
BOM = "\ufeff"  # Excel on Windows takes a CSV without it for the local code page

# decimals per column of the result table (million VND unless stated)
DECIMALS = {
    "population": 0,
    "baseline": 0,
    "need": 3,
    "capacity": 3,
    "gap": 3,
    "formula": 3,
    "transfer": 0,
    "merger_support": 0,
    "allocation": 0,
    "resources": 3,
    "per_capita": 6,
    "change": 0,
    "change_pct": 6,
    "share_of_need": 6,
    "years_to_formula": 0,
    "predecessor_resources": 0,
    "transfers_total": 0,  # the whole budget (fiscal.lines); each line_<name>: 0 decimals
    "resources_total": 3,
}
SIGNIFICANT = 9


def _num(value: Any, decimals: int | None = None) -> Any:
    """A JSON-safe, deterministic number (None for NaN/inf)."""
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    v = float(value)
    if not math.isfinite(v):
        return None
    if decimals is not None:
        r = round(v, decimals)
        return int(r) if decimals == 0 else r
    if v == 0:
        return 0.0
    return float(f"{v:.{SIGNIFICANT}g}")


def formatted_table(result: Result) -> pd.DataFrame:
    """The result table with every number formatted as in the exports (text cells)."""
    table = result.table.copy()
    for col in table.columns:
        if col.startswith(("sector:", "line_")):
            table[col] = [f"{v:.0f}" for v in table[col]]
        elif col in DECIMALS:
            d = DECIMALS[col]
            table[col] = [
                "" if not np.isfinite(v) else f"{v:.{d}f}" for v in table[col].astype(float)
            ]
    return table


def csv_notice(result: Result, lang: str = "en") -> str:
    """The comment line a CSV of ``result`` starts with when its figures are illustrative
    ('' otherwise): what is estimated, in ``lang``, without commas."""
    if not result.illustrative:
        return ""
    columns = list(result.problem.units.estimated_columns)
    columns += [c.indicator for c in result.scenario.need.criteria if c.estimated]
    notice = Message("export.csv_notice", columns=list(dict.fromkeys(columns)))
    return "# " + notice.text(lang).replace(",", ";") + "\n"


def _csv_file(text: str, notice: str = "") -> bytes:
    """CSV text as a file: the byte-order mark, the notice line if any, the table."""
    return (BOM + notice + text).encode("utf-8")


def csv_bytes(result: Result, lang: str = "en") -> bytes:
    """The result table as UTF-8 CSV (one row per unit and year), with a byte-order mark and,
    for illustrative figures, a first line that says so (in ``lang``)."""
    text = formatted_table(result).to_csv(index=False, lineterminator="\n")
    return _csv_file(text, csv_notice(result, lang))


def result_dict(result: Result, *, constraints: bool = True) -> dict[str, Any]:
    """Everything about a result as plain, JSON-ready data."""
    scen = result.scenario
    units = []
    for row in result.table.to_dict(orient="records"):
        rec = {}
        for k, v in row.items():
            if isinstance(v, str) or v is None:
                rec[k] = v
            elif k.startswith(("sector:", "line_")):
                rec[k] = _num(v, 0)
            else:
                rec[k] = _num(v, DECIMALS.get(k))
        units.append(rec)
    # every figure is the run's own (its backend or the direct solvers: provenance.computed_by)
    # but the ledger's, which HiGHS computes (fiscal.reference) and the provenance says so
    objective = result.objective
    out: dict[str, Any] = {
        "scenario": scen.to_dict(),
        "objective": {
            "kind": result.objective_kind,
            "value": _num(objective),
            "character": scen.objective.character,
        },
        "status": result.status,
        "illustrative": result.illustrative,
        "estimated_columns": result.problem.units.estimated_columns,
        "years": result.years,
        "totals": {
            "envelope": [_num(v, 3) for v in result.problem.envelope_total],
            "allocated": [
                _num(result.table.loc[result.table["year"] == y, "allocation"].sum(), 3)
                for y in result.years
            ],
        },
        "units": units,
        "metrics": {
            k: _num(objective if k == "objective" else v) for k, v in result.metrics.items()
        },
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in result.checks],
        "provenance": result.provenance,
    }
    if result.problem.sharing is not None:
        out["sharing"] = sharing_dict(result)
    if result.budget is not None:
        out["budget"] = budget_dict(result)
    if constraints:
        led = result.constraints
        out["constraints"] = [
            {
                k: (
                    _num(v)
                    if isinstance(v, float | int | np.floating | np.integer)
                    and not isinstance(v, bool | np.bool_)
                    else (bool(v) if isinstance(v, bool | np.bool_) else v)
                )
                for k, v in row.items()
            }
            for row in led.to_dict(orient="records")
        ]
    return out


def sharing_dict(result: Result) -> dict[str, Any]:
    """The A/B/C mechanism of a result with [sharing]: settings, the rate model's choice (its
    objective to 6 significant digits, the same on both backends), each merged unit beside its
    predecessors."""
    from fiscal.mechanism import merger_view

    state = result.problem.sharing
    assert state is not None
    settings = state.settings
    out: dict[str, Any] = {
        "mode": state.mode,
        "rates": settings.rates,
        "rate_rounding": settings.rate_rounding,
        "requirement": _num(state.requirement),
        "remitted": _num(float(state.remitted.sum()), 0),
        "remitted_exact": _num(float(state.remitted_exact.sum()), 3),
    }
    chosen = state.chosen
    if chosen is not None:
        out["rate_model"] = {
            "objective": chosen["objective"],
            "value": float(f"{chosen['value']:.6g}"),
            "band": chosen["band"],
            "changed": chosen["changed"],
            "moved": _num(chosen["moved"], 3),
            "integers": chosen["integers"],
        }
    view = merger_view(result.problem, result.cells.sum(axis=1))
    out["mergers"] = [
        {k: (v if isinstance(v, str) else _num(v, 0)) for k, v in row.items()}
        for row in view.to_dict(orient="records")
    ]
    return out


def budget_dict(result: Result) -> dict[str, Any]:
    """The whole budget of a result with transfer lines: each line (rule, envelope, totals per
    year, units whose real amount it states, source) and each whole-budget rule (the units where
    it does not hold, with their shortfall). Per-unit amounts are the units' ``line_<name>``."""
    from fiscal.prose.budget import line_name

    budget = result.budget
    assert budget is not None
    lines = []
    for la in budget.lines:
        s = la.settings
        label_vi = (s.label_vi if s is not None else "") or ""
        lines.append(
            {
                "name": la.name,
                "label": line_name(la.name, la.label, label_vi, "en"),
                "label_vi": line_name(la.name, la.label, label_vi, "vi"),
                "rule": la.rule,
                "envelope": _num(la.envelope, 0),
                "total": [_num(v, 0) for v in la.total],
                "units_paid": [int(v) for v in (la.amount > 0).sum(axis=1)],
                "eligible": [str(c) for c in budget.codes[la.eligible]],
                "real_amounts": [str(c) for c in budget.codes[la.known]],
                "estimated": la.estimated,
                "source": la.source,
            }
        )
        if s is not None and s.priority is not None:
            lines[-1]["priority"] = _priority_dict(budget.codes, la.parts, s.priority)
    rules = []
    for c in budget.checks:
        where = c.breach.any(axis=0)
        rules.append(
            {
                "name": c.name,
                "kind": c.kind,
                "base": c.base,
                "bound": c.bound,
                "judged": bool(c.judged.any()),
                "holds": c.holds,
                "breaches": [
                    {"code": str(code), "shortfall": _num(float(v), 3)}
                    for code, v in zip(
                        budget.codes[where], c.shortfall.max(axis=0)[where], strict=True
                    )
                ],
                "source": c.setting.source,
            }
        )
    return {
        "revenue_kept": [_num(v, 0) for v in budget.kept.sum(axis=1)],
        "transfers": [_num(v, 0) for v in budget.transfers.sum(axis=1)],
        "resources": [_num(v, 0) for v in budget.resources.sum(axis=1)],
        "lines": lines,
        "rules": rules,
    }


def _priority_dict(codes: Any, parts: dict[str, Any], setting: Any) -> dict[str, Any]:
    """A line's priority: its threshold and uplift, and each unit's ratio (transfer / A) and
    whether it qualifies (:mod:`fiscal.lines.priority`)."""
    return {
        "threshold": setting.threshold,
        "uplift": setting.uplift,
        "estimated": setting.estimated,
        "source": setting.source,
        "units": [
            {
                "code": str(code),
                "ratio": _num(float(ratio), 6),
                "qualifies": bool(q > 0),
            }
            for code, ratio, q in zip(
                codes, parts["priority.ratio"], parts["priority.qualifies"], strict=True
            )
        ],
    }


def json_bytes(result: Result) -> bytes:
    """The result as JSON (objective, units, constraints, scenario, provenance)."""
    return (
        json.dumps(result_dict(result), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    ).encode("utf-8")


def write(result: Result, path: str | Path, *, lang: str | None = None) -> Path:
    """Write ``result`` to ``path``; the suffix (.csv, .json, .xlsx) chooses the format.
    ``lang`` ('en' or 'vi') is the workbook's language (:func:`fiscal.workbook.result_workbook`;
    CSV and JSON keep the columns' codes)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "csv":
        data = csv_bytes(result)
    elif fmt == "json":
        data = json_bytes(result)
    elif fmt == "xlsx":
        from fiscal.workbook import result_workbook  # start-up: xlsxwriter only for workbooks

        data = result_workbook(result, lang=lang)
    else:
        raise ExportError(_unknown_format(path, fmt))
    return atomic_write(path, data)


def _unknown_format(path: Path, fmt: str) -> Message:
    formats = ", ".join(f".{f}" for f in FORMATS)
    return Message("export.unknown_format", path=str(path), fmt=fmt, formats=formats)


def _format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(_unknown_format(path, fmt))
    return fmt


def exact_number(v: Any) -> Any:
    """A JSON-safe number, exact: money of ten and more digits keeps every digit; whole numbers
    without '.0'; None for NaN and infinities."""
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        f = float(v)
        if not math.isfinite(f):
            return None
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    return v


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        rec: dict[str, Any] = {}
        for k, v in row.items():
            if isinstance(v, str) or v is None:
                rec[str(k)] = v
            elif isinstance(v, list | tuple):
                rec[str(k)] = [exact_number(x) for x in v]
            else:
                rec[str(k)] = exact_number(v)
        out.append(rec)
    return out


def _csv(frame: pd.DataFrame, notice: str | None = None) -> bytes:
    """CSV of a table; numbers exact (shortest round-trip form, whole numbers without '.0');
    a byte-order mark, and ``notice`` (illustrative figures) as a first comment line."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = ["" if not np.isfinite(v) else repr(exact_number(v)) for v in out[col]]
    line = "# " + notice.replace(",", ";").replace("\n", " ") + "\n" if notice else ""
    return _csv_file(out.to_csv(index=False, lineterminator="\n"), line)


def comparison_bytes(comparison: Comparison, fmt: str, *, lang: str | None = None) -> bytes:
    """A comparison as CSV (the per-unit table), JSON (everything) or XLSX (the workbook, in
    ``lang`` if given: :func:`fiscal.workbook.comparison_workbook`)."""
    if fmt == "csv":
        notices = [csv_notice(r) for r in comparison.results if r.illustrative]
        return _csv(comparison.units, notices[0][2:].strip() if notices else None)
    if fmt == "json":
        data = comparison.to_dict()
        for key in ("units", "bands", "groups", "metrics", "params", "constraints"):
            data[key] = _records(getattr(comparison, key))
        if not comparison.lines.empty:
            data["lines"] = _records(comparison.lines)
            data["unit_lines"] = _records(comparison.unit_lines)
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "xlsx":
        from fiscal.workbook import comparison_workbook  # start-up: xlsxwriter only for workbooks

        return comparison_workbook(comparison, lang=lang)
    formats = ", ".join(FORMATS)
    raise ExportError(Message("export.unknown_comparison_format", fmt=fmt, formats=formats))


def write_comparison(comparison: Comparison, path: str | Path, *, lang: str | None = None) -> Path:
    """Write a comparison to ``path``; the suffix (.csv, .json, .xlsx) chooses the format;
    ``lang`` is the workbook's language."""
    path = Path(path)
    return atomic_write(path, comparison_bytes(comparison, _format_of(path), lang=lang))


def tables_bytes(
    tables: dict[str, pd.DataFrame],
    fmt: str,
    *,
    title: str,
    notes: list[str] | None = None,
    illustrative: str | None = None,
    headers: dict[str, list[str]] | None = None,
) -> bytes:
    """Named tables (a frontier, a Monte Carlo run) as CSV (the first table), JSON or XLSX.

    ``illustrative`` is the warning to print when illustrative figures are in use; ``headers``
    (table name → header cells) are the XLSX's headers in a language (CSV and JSON keep the
    columns' codes).
    """
    notes = list(notes or [])
    if fmt == "csv":
        return _csv(next(iter(tables.values())), illustrative)
    if fmt == "json":
        data: dict[str, Any] = {"title": title, "notes": notes, "illustrative": illustrative}
        data.update({name: _records(frame) for name, frame in tables.items()})
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "xlsx":
        from fiscal.workbook import frames_workbook  # start-up: xlsxwriter only for workbooks

        return frames_workbook(
            tables,
            title=title,
            notes=notes,
            warnings=[illustrative] if illustrative else [],
            headers=headers,
        )
    formats = ", ".join(FORMATS)
    raise ExportError(Message("export.unknown_table_format", fmt=fmt, formats=formats))


def write_tables(
    tables: dict[str, pd.DataFrame],
    path: str | Path,
    *,
    title: str,
    notes: list[str] | None = None,
    illustrative: str | None = None,
) -> Path:
    """Write named tables to ``path`` (.csv: the first table; .json and .xlsx: all of them)."""
    path = Path(path)
    return atomic_write(
        path,
        tables_bytes(tables, _format_of(path), title=title, notes=notes, illustrative=illustrative),
    )
