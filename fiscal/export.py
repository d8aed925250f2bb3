"""Exports: CSV and JSON bytes of a result (one code path for the CLI and the app).

Every writer returns bytes; :func:`write` picks the format from the file suffix and writes
atomically, so an error or Ctrl-C never leaves half a file. Numbers are formatted
deterministically (amounts in million VND with fixed decimals, derived values to 9 significant
digits) so that the same input gives byte-identical files.
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

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = ["FORMATS", "csv_bytes", "json_bytes", "result_dict", "write"]

FORMATS = ("csv", "json", "xlsx")

# decimals per column of the result table (million VND unless stated)
DECIMALS = {
    "population": 0, "baseline": 0, "need": 3, "capacity": 3, "gap": 3, "formula": 3,
    "transfer": 0, "merger_support": 0, "allocation": 0, "resources": 3, "per_capita": 6,
    "change": 0, "change_pct": 6, "share_of_need": 6, "years_to_formula": 0,
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
        if col.startswith("sector:"):
            table[col] = [f"{v:.0f}" for v in table[col]]
        elif col in DECIMALS:
            d = DECIMALS[col]
            table[col] = ["" if not np.isfinite(v) else f"{v:.{d}f}" for v in table[col].astype(float)]
    return table


def csv_bytes(result: Result) -> bytes:
    """The result table as UTF-8 CSV (one row per unit and year)."""
    return formatted_table(result).to_csv(index=False, lineterminator="\n").encode("utf-8")


def result_dict(result: Result, *, constraints: bool = True) -> dict[str, Any]:
    """Everything about a result as plain, JSON-ready data."""
    scen = result.scenario
    units = []
    for row in result.table.to_dict(orient="records"):
        rec = {}
        for k, v in row.items():
            if isinstance(v, str) or v is None:
                rec[k] = v
            elif k.startswith("sector:"):
                rec[k] = _num(v, 0)
            else:
                rec[k] = _num(v, DECIMALS.get(k))
        units.append(rec)
    out: dict[str, Any] = {
        "scenario": scen.to_dict(),
        "objective": {
            "kind": result.objective_kind,
            "value": _num(result.objective),
            "character": scen.objective.character,
        },
        "status": result.status,
        "illustrative": result.illustrative,
        "estimated_columns": result.problem.units.estimated_columns,
        "years": result.years,
        "totals": {
            "envelope": [_num(v, 3) for v in result.problem.envelope_total],
            "allocated": [_num(result.table.loc[result.table["year"] == y, "allocation"].sum(), 3)
                          for y in result.years],
        },
        "units": units,
        "metrics": {k: _num(v) for k, v in result.metrics.items()},
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in result.checks],
        "provenance": result.provenance,
    }
    if constraints:
        led = result.constraints
        out["constraints"] = [
            {k: (_num(v) if isinstance(v, float | int | np.floating | np.integer) and not isinstance(v, bool | np.bool_)
                 else (bool(v) if isinstance(v, bool | np.bool_) else v))
             for k, v in row.items()}
            for row in led.to_dict(orient="records")
        ]
    return out


def json_bytes(result: Result) -> bytes:
    """The result as JSON (objective, units, constraints, scenario, provenance)."""
    return (json.dumps(result_dict(result), ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def write(result: Result, path: str | Path) -> Path:
    """Write ``result`` to ``path``; the suffix (.csv, .json, .xlsx) chooses the format."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "csv":
        data = csv_bytes(result)
    elif fmt == "json":
        data = json_bytes(result)
    elif fmt == "xlsx":
        from fiscal.workbook import result_workbook

        data = result_workbook(result)
    else:
        raise ExportError(f"{path}: unknown output format '.{fmt}'; use one of "
                          + ", ".join(f".{f}" for f in FORMATS))
    return atomic_write(path, data)
