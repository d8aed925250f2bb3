"""Cost proportional to the work asked (issue 16, point 3): thousands of rules.

The ledger, the waterfall and the diagnosis of an infeasible scenario used to re-solve once per
rule (the ledger: the allocation without each rule; the waterfall: each rule added in turn;
the diagnosis: a feasibility bisection per rule), so a scenario of 5,000 rules solved in
seconds and exported its JSON in minutes. Now they re-solve only where a rule can move money:

* the ledger, for the rules that hold the optimum (a row tight, a cell on its bound, a soft
  rule giving way); any other rule costs 0 without a re-solve (``fiscal.ledger._active_rules``);
* the waterfall, where the previous stage's optimum breaks the rule added
  (``fiscal.waterfall._rule_stages``);
* the diagnosis, a bisection for the rules with a non-zero dual in the elastic relaxation
  (``fiscal.diagnosis._candidates``).

These tests count the re-solves (behaviour, not time; ``benchmarks/many_rules.py`` times them)
and check that the shortcuts give what one re-solve per rule gives, on smaller rule books
under every objective.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import fiscal
import fiscal.diagnosis
import fiscal.ledger
import fiscal.waterfall
from fiscal.export import json_bytes
from fiscal.pipeline import load_units_for
from fiscal.problem import prepare
from fiscal.reference import allocate_exact
from fiscal.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
INFEASIBLE = ROOT / "fiscal" / "scenarios" / "national-2026-infeasible-floors.toml"


@pytest.fixture(scope="module")
def many():
    spec = importlib.util.spec_from_file_location(
        "many_rules", ROOT / "benchmarks" / "many_rules.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["many_rules"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("many_rules", None)


class Counter:
    """Counts calls of a function and fails past ``limit`` (so that a per-rule loop stops early)."""

    def __init__(self, inner, limit: int):
        self.inner, self.limit, self.n = inner, limit, 0

    def __call__(self, *args, **kwargs):
        self.n += 1
        assert self.n <= self.limit, f"more than {self.limit} re-solves"
        return self.inner(*args, **kwargs)


def test_5000_rules_export_without_a_resolve_per_rule(many, tmp_path, monkeypatch):
    scen = many.many_rules_scenario(5_000, tmp_path)
    res = fiscal.run(scen)
    assert len(res.problem.rules) == 5_001  # the base scenario's hold-harmless floor + 5,000
    resolves = Counter(fiscal.ledger.allocate_exact, limit=20)
    monkeypatch.setattr(fiscal.ledger, "allocate_exact", resolves)
    data = json_bytes(res)  # the JSON export carries the ledger
    assert len(json.loads(data)["constraints"]) == 5_002  # the envelope, then each rule
    led = res.constraints
    assert 0 < resolves.n <= 20
    # far fewer than the rules that touch a bound: a bound another rule sets as tight costs 0
    assert int(led["binding"].sum()) > 10 * resolves.n
    stages = Counter(fiscal.waterfall.allocate_cells, limit=20)
    monkeypatch.setattr(fiscal.waterfall, "allocate_cells", stages)
    assert len(res.stages) == 5_001 + 3  # formula, objective, each rule, precision
    assert 0 < stages.n <= 20


def test_5000_rules_diagnosis_bisects_only_the_rules_in_conflict(many, tmp_path, monkeypatch):
    path = tmp_path / "infeasible.toml"
    path.write_text(many.many_rules_text(5_000, INFEASIBLE), encoding="utf-8")
    scen = load_scenario(path)
    problem = prepare(scen, load_units_for(scen))
    solves = Counter(fiscal.diagnosis.feasible, limit=200)
    monkeypatch.setattr(fiscal.diagnosis, "feasible", solves)
    err = fiscal.diagnosis.diagnose(problem)
    assert [r.path for r in err.repairs] == ["envelope.total", "constraints.hold-harmless.ratio"]


@pytest.mark.parametrize(
    "kind",
    ["formula", "need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend"],
)
def test_shortcuts_match_a_resolve_per_rule(many, tmp_path, kind, monkeypatch):
    """The ledger's costs and the waterfall's stages equal those of one re-solve per rule."""
    scen = many.many_rules_scenario(90, tmp_path).with_value("objective.kind", kind)
    res = fiscal.run(scen)
    problem = res.problem
    fast = fiscal.ledger.ledger(res)
    monkeypatch.setattr(fiscal.ledger, "_active_rules", lambda result: None)
    slow = fiscal.ledger.ledger(res)
    cols = ["name", "binding", "units_binding", "benefits", "pays"]
    assert fast[cols].equals(slow[cols])
    np.testing.assert_allclose(
        fast["cost"].to_numpy(float), slow["cost"].to_numpy(float), atol=0.5 * problem.unit
    )
    order = [r for r in problem.rules if r.in_waterfall]
    names = {r.name for r in order}
    stages = res.stages
    added: set[str] = set()
    for k, r in enumerate(order):
        added.add(r.name)
        if kind == "formula":
            continue  # the formula's stages are read off its decomposition, no re-solve
        each = allocate_exact(problem.without_rules(names - added), kind)
        assert each is not None
        assert stages[k + 2].rule == r.name
        np.testing.assert_allclose(stages[k + 2].amounts, each, atol=0.5 * problem.unit, rtol=0)


def test_diagnosis_filter_keeps_every_single_rule_repair(tmp_path, monkeypatch):
    """Two floors that each alone break the envelope and one that does not: the repairs are
    the same with the elastic relaxation's filter and without it."""
    base = load_scenario(INFEASIBLE)
    scen = base.with_value(
        "constraints",
        [
            {"name": "hold-harmless", "kind": "floor", "ratio": 1.05},
            {"name": "north", "kind": "floor", "ratio": 1.04, "units": ["01", "04", "08"]},
            {"name": "loose", "kind": "floor", "ratio": 0.5, "units": ["79"]},
            {"name": "cap", "kind": "cap", "ratio": 1.06},
        ],
    )
    problem = prepare(scen, load_units_for(scen))
    fast = fiscal.diagnosis.diagnose(problem)
    monkeypatch.setattr(fiscal.diagnosis, "_candidates", lambda p: None)
    slow = fiscal.diagnosis.diagnose(problem)
    assert [(r.path, r.value) for r in fast.repairs] == [(r.path, r.value) for r in slow.repairs]
    assert fast.repairs
