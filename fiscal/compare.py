"""Comparing scenarios side by side: who wins, who loses, what differs and what it costs.

:func:`compare` takes two or more results of the same units (the first is the reference) and
returns a :class:`Comparison` of plain DataFrames:

* ``units`` — per unit and year: each scenario's allocation and resources per person, and each
  other scenario's change against the reference with its band (:data:`fiscal.metrics.BANDS`);
* ``bands`` — winners and losers: units, population and money in each band;
* ``groups`` — totals by region and by merged / not merged;
* ``metrics`` — every metric of :mod:`fiscal.metrics` per scenario, with deltas;
* ``params`` — the settings that differ (from ``Scenario.to_dict()``), with their sources;
* ``constraints`` — each scenario's rules: binding or not, dual value and cost.

The CLI (``fiscal compare``), the app and :func:`fiscal.workbook.comparison_workbook` all read
this one object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal import metrics as _metrics
from fiscal.errors import ModelError
from fiscal.prose.messages import Message, Term
from fiscal.prose.terminal import comparison_text
from fiscal.prose.words import describe_entry

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = ["Comparison", "compare", "param_diff", "flatten_settings"]

GROUPINGS = ("region", "merged")
# keys that document a setting rather than set it (shown as sources, not diffed)
_DOC_KEYS = {"description", "source", "label"}  # a line's label names it


@dataclass
class Comparison:
    """Scenarios side by side; the first label is the reference the others are measured from."""

    labels: list[str]
    results: list[Result]
    units: pd.DataFrame
    bands: pd.DataFrame
    groups: pd.DataFrame
    metrics: pd.DataFrame
    params: pd.DataFrame
    constraints: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    #: line by line (fiscal.compare_lines), when any result has transfer lines; else empty
    lines: pd.DataFrame = field(default_factory=pd.DataFrame)
    unit_lines: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def reference(self) -> str:
        return self.labels[0]

    @property
    def illustrative(self) -> bool:
        """True when any of the results uses illustrative (estimated) figures."""
        return any(r.illustrative for r in self.results)

    @property
    def years(self) -> list[int]:
        return self.results[0].years

    def names(self) -> dict[str, str]:
        """Label → scenario name."""
        return {lab: r.scenario.name for lab, r in zip(self.labels, self.results, strict=True)}

    def text(self, top: int = 5) -> str:
        """The comparison as terminal text: metrics, bands, largest changes, settings, rules
        (:func:`fiscal.prose.terminal.comparison_text`)."""
        return comparison_text(self, top)

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain, JSON-ready data."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
            ]

        return {
            "reference": self.reference,
            "scenarios": [
                {
                    "label": lab,
                    "name": r.scenario.name,
                    "file": r.scenario.path,
                    "objective": r.objective_kind,
                    "illustrative": r.illustrative,
                    "estimated_columns": r.problem.units.estimated_columns,
                }
                for lab, r in zip(self.labels, self.results, strict=True)
            ],
            "years": self.years,
            "bands_order": list(_metrics.BANDS),
            "units": records(self.units),
            "bands": records(self.bands),
            "groups": records(self.groups),
            "metrics": records(self.metrics),
            "params": records(self.params),
            "constraints": records(self.constraints),
            "notes": self.notes,
        } | (
            {"lines": records(self.lines), "unit_lines": records(self.unit_lines)}
            if not self.lines.empty
            else {}
        )


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


# ----------------------------------------------------------------------------- compare


def _labels(results: Sequence[Result], labels: Sequence[str] | None) -> list[str]:
    if labels is not None:
        labels = [str(x) for x in labels]
        if len(labels) != len(results):
            raise ModelError(Message("compare.labels_count", n=len(labels), m=len(results)))
        if len(set(labels)) != len(labels):
            raise ModelError(Message("compare.labels_differ", labels=labels))
        return labels
    out: list[str] = []
    for r in results:
        base = Path(r.scenario.path).stem if r.scenario.path else r.scenario.name
        lab, k = base, 2
        while lab in out:
            lab, k = f"{base} #{k}", k + 1
        out.append(lab)
    return out


def _check_comparable(results: Sequence[Result], labels: list[str]) -> None:
    ref = results[0]
    codes = list(map(str, ref.table.loc[ref.table["year"] == ref.years[0], "code"]))
    for lab, r in zip(labels[1:], results[1:], strict=True):
        other = list(map(str, r.table.loc[r.table["year"] == r.years[0], "code"]))
        if other != codes:
            missing = sorted(set(codes) - set(other))[:5]
            extra = sorted(set(other) - set(codes))[:5]
            only = Message("compare.units_only", label=labels[0], codes=missing) if missing else ""
            more = Message("compare.units_only", label=lab, codes=extra) if extra else ""
            m = Message(
                "compare.units", label=lab, ref=labels[0], n=len(other), m=len(codes), only=only
            )
            raise ModelError(Message("compare.units_more", head=m, more=more))
        if r.years != ref.years:
            raise ModelError(
                Message(
                    "compare.years",
                    label=lab,
                    years=r.years,
                    ref=labels[0],
                    ref_years=ref.years,
                )
            )


def compare(
    results: Sequence[Result],
    labels: Sequence[str] | None = None,
    *,
    threshold: float = 0.05,
    constraints: bool = True,
) -> Comparison:
    """Compare results of the same units; the first is the reference.

    ``threshold`` separates large from small gains and losses (5 % by default).
    ``constraints=False`` skips the rule ledgers (they re-solve each scenario once per rule
    active at its optimum).
    """
    results = list(results)
    if len(results) < 2:
        raise ModelError(Message("compare.two", n=len(results)))
    labs = _labels(results, labels)
    _check_comparable(results, labs)
    units = _units(results, labs, threshold)
    notes = _notes(results, labs)
    return Comparison(
        labels=labs,
        results=results,
        units=units,
        bands=_bands(units, labs),
        groups=_groups(units, labs),
        metrics=_metric_table(results, labs),
        params=param_diff([r.scenario.to_dict() for r in results], labs),
        constraints=_constraint_table(results, labs)
        if constraints
        else pd.DataFrame(
            columns=[
                "scenario",
                "name",
                "kind",
                "hard",
                "binding",
                "units_binding",
                "dual",
                "cost",
                "description",
            ]
        ),
        notes=notes,
        **_line_tables(results, labs),
    )


def _line_tables(results: Sequence[Result], labels: list[str]) -> dict[str, pd.DataFrame]:
    from fiscal import compare_lines  # only where a result has transfer lines

    if not compare_lines.has_lines(list(results)):
        return {}
    return {
        "lines": compare_lines.line_totals(list(results), labels),
        "unit_lines": compare_lines.unit_lines(list(results), labels),
    }


def _notes(results: Sequence[Result], labels: list[str]) -> list[str]:
    """One note per distinct set of illustrative columns, naming the scenarios that use it."""
    by_cols: dict[str, list[str]] = {}
    for lab, r in zip(labels, results, strict=True):
        if r.illustrative:
            by_cols.setdefault(", ".join(r.problem.units.estimated_columns), []).append(lab)
    out = []
    for cols, labs in by_cols.items():
        who = "every scenario uses" if len(labs) == len(labels) else ", ".join(labs) + " use(s)"
        out.append(f"{who} illustrative (estimated) figures ({cols}); not official data")
    return out


def _units(results: Sequence[Result], labels: list[str], threshold: float) -> pd.DataFrame:
    ref = results[0].table
    keep = [
        c
        for c in ("year", "code", "name", "region", "merged", "parent", "population", "baseline")
        if c in ref.columns
    ]
    out = ref[keep].copy().reset_index(drop=True)
    for lab, r in zip(labels, results, strict=True):
        out[f"{lab}: allocation"] = r.table["allocation"].to_numpy()
        out[f"{lab}: per_capita"] = r.table["per_capita"].to_numpy()
    for lab, r in zip(labels, results, strict=True):  # the A/B/C mechanism's rates
        if "sharing_rate" in r.table.columns:
            out[f"{lab}: sharing_rate"] = r.table["sharing_rate"].to_numpy()
            out[f"{lab}: remitted"] = r.table["remitted"].to_numpy()
    base = ref["allocation"].to_numpy(dtype=float)
    unit = float(results[0].problem.unit)
    for lab, r in zip(labels[1:], results[1:], strict=True):
        new = r.table["allocation"].to_numpy(dtype=float)
        change = new - base
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(base > 0, change / np.where(base > 0, base, 1.0), np.nan)
        out[f"{lab}: change"] = change
        out[f"{lab}: change_pct"] = pct
        out[f"{lab}: band"] = _metrics.band(change, base, threshold, tolerance=0.5 * unit)
    return out


def _bands(units: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    rows = []
    for lab in labels[1:]:
        for year, t in units.groupby("year", sort=True):
            for b in _metrics.BANDS:
                sel = t[t[f"{lab}: band"] == b]
                rows.append(
                    {
                        "scenario": lab,
                        "year": int(year),
                        "band": b,
                        "units": len(sel),
                        "population": float(sel["population"].sum()),
                        "change": float(sel[f"{lab}: change"].sum()),
                        "names": "; ".join(sel["name"].astype(str)),
                    }
                )
    return pd.DataFrame(
        rows, columns=["scenario", "year", "band", "units", "population", "change", "names"]
    )


def _groups(units: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    rows = []
    for grouping in GROUPINGS:
        if grouping not in units.columns:
            continue
        for (year, group), t in units.groupby(["year", grouping], sort=True):
            pop = float(t["population"].sum())
            ref_alloc = float(t[f"{labels[0]}: allocation"].sum())
            for k, lab in enumerate(labels):
                alloc = float(t[f"{lab}: allocation"].sum())
                per_capita = (
                    float((t[f"{lab}: per_capita"] * t["population"]).sum() / pop)
                    if pop
                    else np.nan
                )
                row = {
                    "grouping": grouping,
                    "group": str(group),
                    "year": int(year),
                    "scenario": lab,
                    "units": len(t),
                    "population": pop,
                    "allocation": alloc,
                    "resources_per_capita": per_capita,
                    "change": np.nan,
                    "change_pct": np.nan,
                    "gainers": 0,
                    "losers": 0,
                }
                if k > 0:
                    bands = t[f"{lab}: band"]
                    row.update(
                        change=alloc - ref_alloc,
                        change_pct=(alloc - ref_alloc) / ref_alloc if ref_alloc else np.nan,
                        gainers=int(bands.isin(_metrics.BANDS[:2]).sum()),
                        losers=int(bands.isin(_metrics.BANDS[3:]).sum()),
                    )
                rows.append(row)
    return pd.DataFrame(rows)


def _metric_table(results: Sequence[Result], labels: list[str]) -> pd.DataFrame:
    rows = []
    lines = any(r.budget is not None for r in results)  # the base column: with lines only
    for year in results[0].years:
        values = [_summary(r, year, lines) for r in results]
        for key in dict.fromkeys(k for v in values for k in v):  # [sharing] ones where present
            spec = _metrics.spec(key)
            assert spec is not None  # every key of summary has one
            row: dict[str, Any] = {
                "year": int(year),
                "metric": key,
                "description": spec.description,
            }
            if lines:
                row["base"] = spec.base
            for lab, v in zip(labels, values, strict=True):
                row[lab] = v.get(key, np.nan)
            for lab, v in zip(labels[1:], values[1:], strict=True):
                row[f"Δ {lab}"] = v.get(key, np.nan) - values[0].get(key, np.nan)
            rows.append(row)
    return pd.DataFrame(rows)


def _summary(result: Result, year: int, lines: bool) -> dict[str, float]:
    """A result's metrics; beside results with transfer lines, one without has its metrics on
    total resources too (revenue kept + its balancing line), so that they compare."""
    out = _metrics.summary(result, year)
    if not lines or result.budget is not None or result.scenario.scenario.level != "province":
        return out
    from fiscal.lines import allocate_lines
    from fiscal.metrics_budget import total_indicators

    t = result.table
    need = t.loc[t["year"].to_numpy() == year, "need"].to_numpy(dtype=float)
    return out | total_indicators(allocate_lines(result), need, result.years.index(year))


def _constraint_table(results: Sequence[Result], labels: list[str]) -> pd.DataFrame:
    parts = []
    for lab, r in zip(labels, results, strict=True):
        led = r.constraints.copy()
        led.insert(0, "scenario", lab)
        parts.append(led)
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------------------- settings


def _key_of(item: Mapping[str, Any]) -> str | None:
    for k in ("name", "indicator"):
        if isinstance(item.get(k), str) and item.get(k):
            return str(item[k])
    return None


def flatten_settings(data: Mapping[str, Any], prefix: str = "") -> dict[str, tuple[Any, str]]:
    """Dotted path → (value, source) for every setting of a resolved scenario.

    Lists of named tables (constraints, criteria, sectors) are addressed by name, as in
    ``Scenario.with_value``. The source of ``key`` is the sibling ``key_source`` if present,
    else the table's ``source``.
    """
    out: dict[str, tuple[Any, str]] = {}
    table_source = _source(data, "source")
    for key, value in data.items():
        if key in _DOC_KEYS or key.endswith(("_source", "_vi")):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            if (
                value
                and all(not isinstance(v, Mapping | list) for v in value.values())
                and f"{key}_source" in data
            ):
                # a table of coefficients: one setting per entry, sourced by key_source
                for sub, v in value.items():
                    out[f"{path}.{sub}"] = (v, _source(data, f"{key}_source"))
                continue
            out.update(flatten_settings(value, f"{path}."))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for idx, item in enumerate(value):
                name = _key_of(item) or str(idx)
                out.update(flatten_settings(item, f"{path}.{name}."))
        else:
            if key == "unit" and ".criteria." in f".{prefix}":
                continue  # the unit of a rate documents it
            source = _source(data, f"{key}_source") or table_source
            out[path] = (value, source)
    return out


def _source(data: Mapping[str, Any], key: str) -> Term:
    """The source ``key`` of a table with its Vietnamese form (``<key>_vi``)."""
    return Term(str(data.get(key, "") or ""), str(data.get(f"{key}_vi", "") or "") or None)


def param_diff(settings: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> pd.DataFrame:
    """The settings whose values differ between scenarios: one row per setting.

    Columns: ``setting``, then the value in each scenario (None where it is not set) and the
    source of each value (``source: <label>``). A rule (or criterion, or sector) that only some
    scenarios have is one row, its value a short description of the entry.
    """
    flat = [flatten_settings(s) for s in settings]
    entries = [_entries(s) for s in settings]
    paths: list[str] = []
    for f in flat:
        paths += [p for p in f if p not in paths]
    rows: list[dict[str, Any]] = []
    done: set[str] = set()
    for path in paths:
        if path in ("scenario.name", "scenario.description"):
            continue
        entry = next((e for e in _entry_prefixes(path) if any(e in es for es in entries)), None)
        if entry is not None and not all(entry in es for es in entries):
            if entry in done:
                continue
            done.add(entry)
            row: dict[str, Any] = {"setting": entry}
            for lab, es in zip(labels, entries, strict=True):
                row[lab] = _describe(es[entry][0]) if entry in es else None
            for lab, es in zip(labels, entries, strict=True):
                row[f"source: {lab}"] = es[entry][1] if entry in es else ""
            rows.append(row)
            continue
        values = [f.get(path, (None, ""))[0] for f in flat]
        if all(_same(values[0], v) for v in values[1:]):
            continue
        row = {"setting": path}
        for lab, v in zip(labels, values, strict=True):
            row[lab] = v
        for lab, f in zip(labels, flat, strict=True):
            row[f"source: {lab}"] = f.get(path, (None, ""))[1]
        rows.append(row)
    cols = ["setting", *labels, *[f"source: {lab}" for lab in labels]]
    frame = pd.DataFrame(rows, columns=cols, dtype=object)
    return frame.astype(object).where(frame.notna(), None)


def _entries(data: Mapping[str, Any]) -> dict[str, tuple[Mapping[str, Any], str]]:
    """Dotted path of every named list entry (``constraints.floor``) → (entry, its source)."""
    out: dict[str, tuple[Mapping[str, Any], str]] = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, Mapping):
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
                for idx, item in enumerate(value):
                    path = f"{prefix}{key}.{_key_of(item) or idx}"
                    out[path] = (item, _source(item, "source"))

    walk(data, "")
    return out


def _entry_prefixes(path: str) -> list[str]:
    parts = path.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts))]


def _describe(entry: Mapping[str, Any]) -> Term:
    """A short description of a list entry: its non-trivial settings (in both languages)."""
    return Term(describe_entry(entry, "en"), describe_entry(entry, "vi"))


def _same(a: Any, b: Any) -> bool:
    if (
        isinstance(a, float | int)
        and isinstance(b, float | int)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return float(a) == float(b)
    return a == b
