"""The constraint ledger: per rule, whether it binds, its dual value, what it costs, who
benefits and who pays.

Computed from the HiGHS solution of the result's problem (``Result.reference``, see
:func:`fiscal.reference.reference`), so that it does not depend on the backend that found the
allocation. A rule's cost is the money it moves: the allocation re-solved without it
(:func:`fiscal.reference.allocate_exact`), half the L1 difference, unless the rule knows its
effect without a re-solve (:meth:`fiscal.rules.base.Rule.ledger_effect`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fiscal.prose.messages import Message
from fiscal.reference import allocate_exact

if TYPE_CHECKING:
    from fiscal.problem import Problem
    from fiscal.results import Result

__all__ = ["envelope_line", "ledger"]


def envelope_line(problem: Problem) -> Message:
    """The ledger's description of the envelope: 'Σ transfers = 238,421 bn VND in 2026'."""
    return Message(
        "ledger.envelope" if problem.T == 1 else "ledger.envelope_growing",
        total=float(problem.envelope[0]),
        year=problem.years[0],
    )


def ledger(result: Result) -> pd.DataFrame:
    """Per rule: binding, dual (objective per million VND), cost, beneficiaries and payers.

    Computed from the HiGHS solution of the problem (see :func:`reference`). ``violation`` is
    how far a soft rule gives way (million VND; 0 for hard rules, which the re-check enforces).
    """
    ref = result.reference
    problem = result.problem
    duals = ref.rule_duals()
    X = ref.exact.sum(axis=1)
    codes = np.asarray(problem.codes)
    rows = []
    env_dual = duals.get("envelope", np.nan)
    rows.append(
        {
            "name": "envelope",
            "kind": "envelope",
            "hard": True,
            "binding": problem.mode == "equal"
            or bool(np.any(np.abs(X.sum(axis=1) - problem.envelope) <= problem.unit)),
            "units_binding": problem.n,
            "dual": env_dual,
            "cost": np.nan,
            "violation": 0.0,
            "benefits": "",
            "pays": "",
            "description": envelope_line(problem),
        }
    )
    unit = problem.unit
    X_round = result.table["transfer"].to_numpy(dtype=float).reshape(problem.T, problem.n)
    for r in problem.rules:
        binding, nb = r.binding(problem, X, ref.exact)
        known = r.ledger_effect(codes)
        if known is not None:
            moved, benefits, pays = known
        else:
            other = allocate_exact(problem.without_rules({r.name}), result.objective_kind)
            if other is None:
                moved, benefits, pays = np.nan, [], []
            else:
                diff = (X - other)[0] if problem.T == 1 else (X - other).sum(axis=0)
                moved = float(np.abs(X - other).sum() / 2.0)
                if moved < unit:
                    moved = 0.0
                order = np.argsort(-diff)
                benefits = [str(codes[j]) for j in order if diff[j] >= unit][:50]
                pays = [str(codes[j]) for j in order[::-1] if diff[j] <= -unit][:50]
        rows.append(
            {
                "name": r.name,
                "kind": r.kind,
                "hard": not r.soft,
                "binding": binding,
                "units_binding": nb,
                "dual": duals.get(r.name, np.nan),
                "cost": moved,
                "violation": r.violation(problem, X_round, result.cells) if r.soft else 0.0,
                "benefits": ";".join(map(str, benefits)),
                "pays": ";".join(map(str, pays)),
                "description": r.description,
            }
        )
    return pd.DataFrame(rows)
