"""Commune-level runs, split and combined: province → commune, for one province or all 34.

Communes of different provinces are independent once each province's envelope is fixed, so a
national commune run is 34 small problems, each re-checked on its own, then combined into one
result. A province's commune envelope comes from ``envelope.from_scenario`` (the allocation a
province-level scenario gives that province, year by year) or ``envelope.baseline_factor`` (its
communes' baseline × the factor). This module only splits and combines; which run a scenario
needs, and running it, is :func:`fiscal.pipeline.run`'s job.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from fiscal.data import UnitTable
from fiscal.errors import ModelError
from fiscal.problem import Problem, Rule
from fiscal.prose.messages import Message
from fiscal.results import Check, Result
from fiscal.scenario import Scenario, load_scenario, resolve_reference

__all__ = ["combine", "envelopes_from", "part_rows", "split_units", "upper_scenario"]


def upper_scenario(scenario: Scenario) -> Scenario | None:
    """The province-level scenario ``envelope.from_scenario`` names (None if it names none)."""
    ref = scenario.envelope.from_scenario
    if ref is None:
        return None
    path: Path = resolve_reference(ref, scenario.base_dir, "envelope.from_scenario", scenario.where)
    upper = load_scenario(path)
    if upper.scenario.level != "province":
        raise ModelError(
            Message("model.from_scenario_level", file=path.name, level=upper.scenario.level)
        )
    missing = sorted(set(scenario.years) - set(upper.years))
    if missing:
        raise ModelError(
            Message("model.from_scenario_years", file=path.name, years=upper.years, missing=missing)
        )
    return upper


def envelopes_from(upper: Result, years: list[int]) -> dict[str, np.ndarray]:
    """Each province's commune envelope per year: its allocation in the province-level result."""
    out: dict[str, np.ndarray] = {}
    for code, rows in upper.table.groupby("code"):
        by_year = rows.set_index("year")["allocation"]
        out[str(code)] = np.array([float(by_year[y]) for y in years])
    return out


def part_rows(whole: UnitTable, provinces: list[str]) -> dict[str, np.ndarray]:
    """Each province's rows (positions in ``whole``, in table order); a province with no
    commune is left out."""
    rows = whole.frame.groupby("parent", sort=False).indices
    return {code: np.sort(rows[code]) for code in provinces if code in rows}


def split_units(whole: UnitTable, provinces: list[str], bundled: bool) -> dict[str, UnitTable]:
    """Each province's commune table, from one table of all communes.

    The same tables as loading each province's communes one by one; a province with no commune
    is left out, so that the caller's one-by-one load reports it.
    """
    out = {}
    for code, idx in part_rows(whole, provinces).items():
        frame = whole.frame.iloc[idx].reset_index(drop=True)
        source = f"{whole.source}:{code}" if bundled else whole.source
        out[code] = dataclasses.replace(whole, frame=frame, source=source)  # keeps the file rows
    return out


def _concat_problem(scenario: Scenario, problems: list[Problem]) -> Problem:
    first = problems[0]
    frame = pd.concat([p.frame for p in problems], ignore_index=True)
    units = UnitTable(
        frame,
        "commune",
        "bundled:communes" if scenario.scenario.dataset == "bundled" else first.units.source,
        first.units.population_basis,
        first.units.notes,
    )
    rules: list[Rule] = []
    for j, r in enumerate(first.rules):
        parts = [p.rules[j] for p in problems]

        def cat(attr: str, parts: list[Rule] = parts) -> np.ndarray | None:
            arrs = [getattr(x, attr) for x in parts]
            return None if arrs[0] is None else np.concatenate(arrs, axis=-1)

        mask = cat("mask")
        assert mask is not None
        rules.append(dataclasses.replace(r, mask=mask, lower=cat("lower"), upper=cat("upper")))
    return dataclasses.replace(
        first,
        units=units,
        need=np.concatenate([p.need for p in problems], axis=1),
        capacity=np.concatenate([p.capacity for p in problems], axis=1),
        gap=np.concatenate([p.gap for p in problems], axis=1),
        baseline=np.concatenate([p.baseline for p in problems]),
        population=np.concatenate([p.population for p in problems]),
        envelope=np.sum([p.envelope for p in problems], axis=0),
        envelope_total=np.sum([p.envelope_total for p in problems], axis=0),
        support=np.concatenate([p.support for p in problems]),
        rules=rules,
        criteria=np.concatenate([p.criteria for p in problems], axis=1),
    )


def combine(
    scenario: Scenario, children: list[Result], table: pd.DataFrame | None = None
) -> Result:
    """One result from per-province commune results (each already re-checked); the caller
    sets its provenance. ``table``: their rows in one table, year-major, where the caller
    built it (:func:`fiscal.results.finalize_parts`); else the children's tables combined."""
    problem = _concat_problem(scenario, [c.problem for c in children])
    T = problem.T
    if table is None:
        table = pd.concat([c.table for c in children], ignore_index=True)
        # keep year-major order like every other result
        table = table.sort_values(["year"], kind="stable").reset_index(drop=True)
    cells = np.concatenate([c.cells for c in children], axis=2)
    exact = np.concatenate([c.exact for c in children], axis=2)
    checks = [
        Check(
            f"{c.name} (all {len(children)} provinces)",
            all(any(ch.name == c.name and ch.ok for ch in child.checks) for child in children),
            "holds",
        )
        for c in children[0].checks
    ]
    objective = float(np.mean([c.objective for c in children if c.objective is not None]))
    result = Result(
        scenario,
        problem,
        table,
        cells,
        exact,
        objective,
        children[0].objective_kind,
        checks,
        backend=children[0].backend,
        children=children,
    )
    result.runtime = {
        k: float(sum(c.runtime.get(k, 0.0) for c in children)) for k in children[0].runtime
    }
    del T
    return result
