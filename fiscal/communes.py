"""Commune-level runs: province → commune, for one province or all 34 at once.

Communes of different provinces are independent once each province's envelope is fixed, so a
national commune run is 34 small problems, each re-checked on its own, then combined into one
result. A province's commune envelope comes from ``envelope.from_scenario`` (the allocation a
province-level scenario gives that province, year by year) or ``envelope.baseline_factor`` (its
communes' baseline × the factor).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fiscal.errors import ModelError
from fiscal.problem import Problem, Rule, prepare
from fiscal.results import Check, Result
from fiscal.scenario import Scenario, load_scenario, resolve_reference

if TYPE_CHECKING:
    from fiscal.data import UnitTable

__all__ = ["combine", "province_envelopes", "run_communes"]


def province_envelopes(scenario: Scenario) -> dict[str, np.ndarray] | None:
    """Each province's commune envelope per year from ``envelope.from_scenario`` (else None)."""
    ref = scenario.envelope.from_scenario
    if ref is None:
        return None
    from fiscal.pipeline import run

    path = resolve_reference(ref, scenario.base_dir, "envelope.from_scenario",
                             scenario.path or scenario.name)
    upper = load_scenario(path)
    if upper.scenario.level != "province":
        raise ModelError(f"envelope.from_scenario must name a province-level scenario ({path.name} "
                         f"is level '{upper.scenario.level}')")
    missing = sorted(set(scenario.years) - set(upper.years))
    if missing:
        raise ModelError(f"envelope.from_scenario: {path.name} covers years {upper.years}, "
                         f"not {missing}")
    res = run(upper)
    table = res.table
    out: dict[str, np.ndarray] = {}
    for code, rows in table.groupby("code"):
        by_year = rows.set_index("year")["allocation"]
        out[str(code)] = np.array([float(by_year[y]) for y in scenario.years])
    return out


def run_communes(
    scenario: Scenario,
    *,
    backend: str | None = None,
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Allocate to communes of one province or of all provinces (``province = 'all'``)."""
    from fiscal import calibrate
    from fiscal.pipeline import load_units_for, run_problem

    meta = scenario.scenario
    env = scenario.envelope
    if meta.province == "all":
        provinces = sorted(calibrate.province_units()["code"])
        if env.total is not None or env.totals is not None:
            raise ModelError(
                "a national commune run (province = 'all') gives each province its own envelope: "
                "use envelope.from_scenario = '<province scenario>' or envelope.baseline_factor"
            )
    else:
        provinces = [meta.province]
    envelopes = province_envelopes(scenario)
    tables = _province_tables(scenario, provinces) if len(provinces) > 1 else {}
    children = []
    for k, code in enumerate(provinces):
        units = tables[code] if code in tables else load_units_for(scenario, code)
        override = None
        if envelopes is not None:
            if code not in envelopes:
                raise ModelError(f"envelope.from_scenario gives no allocation for province {code}")
            override = envelopes[code]
        problem = prepare(scenario, units, override)
        # one provenance (and data hash) for the whole run, set by combine()
        children.append(run_problem(problem, backend=backend, time_limit=time_limit,
                                    with_provenance=len(provinces) == 1))
        if progress is not None:
            progress(k + 1, len(provinces))
    if len(children) == 1:
        return children[0]
    return combine(scenario, children)


def _province_tables(scenario: Scenario, provinces: list[str]) -> dict[str, UnitTable]:
    """Each province's commune table, from one load of the whole table.

    The same tables as ``load_units_for(scenario, code)`` gives one by one; a province with no
    commune is left out, so that the caller's one-by-one load reports it.
    """
    from fiscal.data import UnitTable
    from fiscal.pipeline import load_units_for

    whole = load_units_for(scenario, "all")
    bundled = scenario.scenario.dataset == "bundled"
    rows = whole.frame.groupby("parent", sort=False).indices
    out = {}
    for code in provinces:
        idx = rows.get(code)
        if idx is None:
            continue
        frame = whole.frame.iloc[np.sort(idx)].reset_index(drop=True)
        source = f"{whole.source}:{code}" if bundled else whole.source
        out[code] = UnitTable(frame, whole.level, source, whole.population_basis, whole.notes)
    return out


def _concat_problem(scenario: Scenario, problems: list[Problem]) -> Problem:
    from fiscal.data import UnitTable

    first = problems[0]
    frame = pd.concat([p.frame for p in problems], ignore_index=True)
    units = UnitTable(frame, "commune", "bundled:communes" if scenario.scenario.dataset == "bundled"
                      else first.units.source, first.units.population_basis, first.units.notes)
    rules: list[Rule] = []
    for j, r in enumerate(first.rules):
        parts = [p.rules[j] for p in problems]

        def cat(attr: str, parts: list[Rule] = parts) -> np.ndarray | None:
            arrs = [getattr(x, attr) for x in parts]
            return None if arrs[0] is None else np.concatenate(arrs, axis=-1)

        rules.append(dataclasses.replace(r, mask=cat("mask"), lower=cat("lower"), upper=cat("upper")))
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


def combine(scenario: Scenario, children: list[Result]) -> Result:
    """One result from per-province commune results (each already re-checked)."""
    problem = _concat_problem(scenario, [c.problem for c in children])
    T = problem.T
    tables = [c.table for c in children]
    table = pd.concat(tables, ignore_index=True)
    # keep year-major order like every other result
    table = table.sort_values(["year"], kind="stable").reset_index(drop=True)
    cells = np.concatenate([c.cells for c in children], axis=2)
    exact = np.concatenate([c.exact for c in children], axis=2)
    checks = [Check(f"{c.name} (all {len(children)} provinces)", all(
        any(ch.name == c.name and ch.ok for ch in child.checks) for child in children), "holds")
        for c in children[0].checks]
    objective = float(np.mean([c.objective for c in children if c.objective is not None]))
    result = Result(scenario, problem, table, cells, exact, objective, children[0].objective_kind,
                    checks, backend=children[0].backend, children=children)
    from fiscal.pipeline import provenance

    result.provenance = provenance(problem, result.backend)
    for child in children:  # each part carries the provenance of the run it belongs to
        child.provenance = {**result.provenance, "province": str(child.table["parent"].iat[0])}
    result.runtime = {k: float(sum(c.runtime.get(k, 0.0) for c in children))
                      for k in children[0].runtime}
    del T
    return result
