"""Per-unit amounts stated by a decision: ``amounts`` and ``amounts_file`` of a line.

A file is a CSV with ``code`` and ``value`` columns (optionally ``metric``, ``year`` and
``unit``: "million VND" or "bn VND"; a row without a code, such as a printed total, is skipped;
several rows of one unit, several decisions, are refused or added up: ``amounts_combine``), next to the scenario or, as ``fiscal/datasets/sources/<file>``, one of the sourced files bundled
with fiscal (inside the installed package, wherever it is). Amounts are million VND.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fiscal.errors import ModelError
from fiscal.prose.messages import Message
from fiscal.scenario_files import resolve_reference

if TYPE_CHECKING:
    from fiscal.lines.base import LineContext
    from fiscal.scenario_lines import Line

__all__ = ["BUNDLED", "known_amounts", "read_amounts"]

BUNDLED = "fiscal/datasets/"
_PER_MILLION = {"million VND": 1.0, "bn VND": 1000.0}


def _path(ref: str, ctx: LineContext) -> Path:
    if ref.startswith(BUNDLED):
        root = Path(str(resources.files("fiscal") / "datasets")).resolve()
        path = (root / ref[len(BUNDLED) :]).resolve()
        if root not in path.parents or not path.is_file():
            raise ModelError(Message("lines.amounts_not_bundled", where=ctx.where, ref=ref))
        return path
    # ctx.where names the file and the line ('mine.toml: lines.targeted'): the setting alone
    return resolve_reference(ref, ctx.base_dir, "amounts_file", ctx.where)


def _filters(metric: str | None, year: int | None) -> str:
    """The rows a line selects, as its settings are typed: ``amounts_year = 2025``."""
    chosen = {"amounts_metric": metric, "amounts_year": year}
    typed = [f"{k} = {v!r}" for k, v in chosen.items() if v is not None]
    return ", ".join(typed)


def read_amounts(line: Line, ctx: LineContext) -> dict[str, float]:
    """The amounts of ``line`` by unit code: the file's rows (filtered by metric and year),
    then ``amounts`` (which win), in million VND."""
    out: dict[str, float] = {}
    if line.amounts_file is not None:
        path = _path(line.amounts_file, ctx)
        stat = path.stat()  # read again when the file changes (its time or size)
        out.update(
            _file_amounts(
                str(path),
                stat.st_mtime_ns,
                stat.st_size,
                line.amounts_metric,
                line.amounts_year,
                line.amounts_combine,
                ctx.where,
            )
        )
    out.update({str(k): float(v) for k, v in line.amounts.items()})
    return out


@functools.lru_cache(maxsize=32)
def _file_amounts(
    name: str,
    _mtime_ns: int,
    _size: int,
    metric: str | None,
    year: int | None,
    combine: str,
    where: str,
) -> dict[str, float]:
    """An amounts file's rows by unit code, read once per content: a sweep or a Monte Carlo
    run allocates the line again at every point (callers get a copy; errors are not kept)."""
    path = Path(name)
    out: dict[str, float] = {}
    frame = pd.read_csv(path, dtype={"code": str})
    missing = [c for c in ("code", "value") if c not in frame.columns]
    if missing:
        raise ModelError(Message("lines.amounts_columns", file=path.name, missing=missing))
    frame = frame[frame["code"].notna()]  # a row without a code is a printed total
    if metric is not None:
        if "metric" not in frame.columns:
            raise ModelError(Message("lines.amounts_no_metric", file=path.name, metric=metric))
        frame = frame[frame["metric"] == metric]
    if year is not None:
        if "year" not in frame.columns:
            raise ModelError(Message("lines.amounts_no_year", file=path.name, year=year))
        frame = frame[frame["year"] == year]
    if frame.empty:
        filters = _filters(metric, year)
        if not filters:
            raise ModelError(Message("lines.amounts_empty", where=where, file=path.name))
        raise ModelError(
            Message("lines.amounts_no_row", where=where, file=path.name, filters=filters)
        )
    per = np.ones(len(frame))
    if "unit" in frame.columns:
        bad = sorted(set(frame["unit"]) - set(_PER_MILLION))
        if bad:
            raise ModelError(
                Message("lines.amounts_unit", file=path.name, bad=bad, known=list(_PER_MILLION))
            )
        per = frame["unit"].map(_PER_MILLION).to_numpy(dtype=float)
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float) * per
    codes = frame["code"].astype(str).str.zfill(2).to_numpy()
    dupes = sorted({c for c in codes if (codes == c).sum() > 1})
    if dupes and combine == "refuse":
        raise ModelError(Message("lines.amounts_twice", where=where, file=path.name, units=dupes))
    cells = ["" if pd.isna(x) else str(x) for x in frame["value"]]  # as the file has them
    for c, v, cell in zip(codes, values, cells, strict=True):
        if not np.isfinite(v):
            raise ModelError(
                Message("lines.amounts_not_number", file=path.name, code=c, value=cell)
            )
        if v < 0:
            raise ModelError(
                Message("lines.amounts_invalid", file=path.name, code=c, value=float(v))
            )
        out[c] = out.get(c, 0.0) + float(v)
    return out


def known_amounts(line: Line, ctx: LineContext) -> tuple[np.ndarray, np.ndarray]:
    """(pinned (n,), known (T, n)): which units' amounts the line states, and those amounts
    (the first year's, grown by the line's ``growth`` later)."""
    stated = read_amounts(line, ctx)
    index = {c: i for i, c in enumerate(ctx.codes)}
    unknown = sorted(set(stated) - set(index))
    if unknown:
        raise ModelError(Message("lines.amounts_unknown", where=ctx.where, units=unknown[:5]))
    pinned = np.zeros(ctx.n, dtype=bool)
    first = np.zeros(ctx.n)
    for c, v in stated.items():
        pinned[index[c]] = True
        first[index[c]] = v
    off = pinned & (np.abs(first / ctx.unit - np.round(first / ctx.unit)) > 1e-9)
    if off.any():
        raise ModelError(
            Message(
                "lines.amounts_whole", where=ctx.where, units=ctx.unit_names(off), unit=ctx.unit
            )
        )
    grow = (1.0 + line.growth) ** np.arange(ctx.T)
    known = np.round(grow[:, None] * first[None, :] / ctx.unit) * ctx.unit
    known[0] = first
    return pinned, known
