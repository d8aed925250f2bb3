"""Objectives without absurd corners (issue 16, point 6), on the shipped data.

Two things a finance officer would reject, whichever objective is chosen:

* **a corner**: one unit takes more than half of a year's increase while at least half of the
  units stay flat, and it ends at no point the objective or a rule names — not at a rule's
  bound, not at its need (gap closed), not at the level the objective equalises (the common
  shortfall of ``shortfall_minimax``, the common resources per person of
  ``per_capita_maximin``), and not, for ``need_gap``, as the one unit where the money runs out
  after every other gaining unit's gap is closed (its stated order, docs/model.md: the smallest
  needs first). Before issue 16, "least change" gave Thanh Hóa the whole 2026
  increase (+7.4 trillion VND) and left 33 provinces flat;
* **a transfer without a claim**: money to a unit the objective has no reason to pay — no gap
  (the need-based objectives and the formula), no baseline (``stability``), neither (``blend``,
  ``per_capita_maximin``) — beyond what a hard rule forces. On the A/B/C data the 7 units that
  receive no balancing transfer in 2026 have neither; before issue 16 ``need_gap`` paid Hồ Chí
  Minh City 76 % of a 10 % larger envelope and ``shortfall_minimax`` paid all 7.

Every shipped scenario is checked as shipped, on both backends, and every objective on the national data (the
status quo's need A and the illustrative new norms) at the shipped envelope and 10 % above it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import fiscal
from fiscal.scenario import load_scenario

SCENARIOS = Path(fiscal.__file__).parent / "scenarios"
SHIPPED = sorted(
    p.name
    for p in SCENARIOS.glob("*.toml")
    if p.stem not in ("national-2026-infeasible-floors", "communes-2026-2030-all")
)
KINDS = ("formula", "need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend")
SHARE = 0.5  # the largest share of a year's increase one unit may take while half are flat


def _claims(problem, kind: str) -> np.ndarray:
    gap = problem.gap.sum(axis=0) > 0
    base = problem.baseline > 0
    if kind in ("formula", "need_gap", "shortfall_minimax"):
        return gap
    if kind == "stability":
        return base
    return gap | base  # blend, per_capita_maximin


def corners(res) -> list[str]:
    """The corners and transfers without a claim of a result, in words (empty: none)."""
    problem, kind = res.problem, res.objective_kind
    u = problem.unit
    X = res.exact.sum(axis=1)
    Xr = res.cells.sum(axis=1)
    lo, hi = problem.bounds()
    N, C, P, G = problem.need, problem.capacity, problem.population, problem.gap
    names = problem.frame["name"].to_numpy()
    out = []
    for t, year in enumerate(problem.years):
        prev = problem.baseline if t == 0 else Xr[t - 1]
        change = Xr[t] - prev
        increase = change[change > 0].sum()
        flat = int((np.abs(change) <= u).sum())
        i = int(np.argmax(change))
        if increase > 0 and change[i] > SHARE * increase and 2 * flat >= problem.n:
            x = X[t, i]
            at_bound = abs(x - lo[t, i]) <= u or abs(x - hi[t, i]) <= u
            at_need = abs(x - G[t, i]) <= u
            level = False
            if kind == "shortfall_minimax":
                ratio = (N[t] - C[t] - X[t]) / N[t]
                level = abs(ratio[i] - ratio.max()) <= 1e-6
            elif kind == "per_capita_maximin":
                pc = (C[t] + X[t]) / P
                level = abs(pc[i] - pc.min()) <= 1e-6 * pc.min()
            elif kind == "need_gap":
                # its stated order: the gaps of the smallest needs are closed first, and the
                # unit where the money runs out may take most of an increase
                gaining = np.flatnonzero(change > u)
                level = all(abs(X[t, j] - G[t, j]) <= u for j in gaining if j != i)
            if not (at_bound or at_need or level):
                out.append(
                    f"{year}: {names[i]} takes {change[i] / increase:.0%} of the increase "
                    f"({change[i]:,.0f}) while {flat} of {problem.n} units are flat"
                )
        paid = ~_claims(problem, kind) & (Xr[t] > lo[t] + u)
        out += [
            f"{year}: {names[j]} paid {Xr[t, j]:,.0f} without a claim" for j in np.flatnonzero(paid)
        ]
    return out


BACKENDS = ("highs", "pulp")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_have_no_corner(name: str, backend: str) -> None:
    res = fiscal.run(SCENARIOS / name, backend=backend)
    assert corners(res) == []


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("factor", [1.0, 1.1])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("data", ["national-2026-baseline.toml", "national-2026-new-norms.toml"])
def test_every_objective_on_the_national_data(
    data: str, kind: str, factor: float, backend: str
) -> None:
    scen = load_scenario(SCENARIOS / data).with_value("objective.kind", kind)
    if factor != 1.0:
        total = scen.envelope.total
        assert total is not None
        scen = scen.with_value("envelope.total", round(total * factor))
    assert corners(fiscal.run(scen, backend=backend)) == []


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("weight", [0.25, 0.5, 0.75])
def test_blend_weights(weight: float, backend: str) -> None:
    scen = load_scenario(SCENARIOS / "national-2026-blend.toml").with_value(
        "objective.weight", weight
    )
    for factor in (1.0, 1.1):
        total = scen.envelope.total
        assert total is not None
        scaled = scen.with_value("envelope.total", round(total * factor))
        assert corners(fiscal.run(scaled, backend=backend)) == []
