"""Docs and code agree (issue 16, point 5): each objective's formula, written out here as
docs/model.md states it, evaluated on a generated allocation, equals the value fiscal reports.

The formulas below are copied from docs/model.md ("Objectives") into plain numpy, without
calling fiscal's own evaluators, so that a change on either side that the other does not
follow fails here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import fiscal
from fiscal.scenario import scenario_from_dict
from tests.reliability_helpers import units_from_frame

KINDS = ("formula", "need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend")


def generated(seed: int) -> tuple[object, dict]:
    """A generated unit table and scenario data: 6-12 units, 1-3 years, 1-2 sectors, baselines
    of very different sizes (some zero), need 0.8-3 × the envelope, floors and caps."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 13))
    base = np.round(rng.lognormal(5, 1.2, n))
    base[rng.random(n) < 0.2] = 0.0
    frame = pd.DataFrame(
        {
            "code": [f"U{i:02d}" for i in range(n)],
            "name": [f"Unit {i}" for i in range(n)],
            "region": rng.choice(["North", "South"], n),
            "population": np.round(rng.uniform(1_000, 90_000, n)),
            "area_km2": np.round(rng.uniform(10, 900, n)),
            "baseline": base,
            "own_revenue": np.round(rng.uniform(0, 800, n)),
            "retention": np.round(rng.uniform(0.2, 0.9, n), 2),
        }
    ).astype(str)
    units = units_from_frame(frame)
    T = int(rng.integers(1, 4))
    S = int(rng.integers(1, 3))
    envelope = float(np.round(max(base.sum(), 500.0) * rng.uniform(0.9, 1.3)))
    pop = frame["population"].astype(float).sum()
    rate = float(envelope * rng.uniform(0.8, 3.0) / pop)
    data: dict = {
        "scenario": {"name": f"generated {seed}", "years": list(range(2026, 2026 + T))},
        "envelope": {"total": envelope, "growth": float(rng.choice([0.0, 0.04]))},
        "need": {"criteria": [{"indicator": "population", "rate": rate}], "growth": 0.03},
        "objective": {"kind": "need_gap", "weight": float(rng.choice([0.3, 0.5, 0.8]))},
        "constraints": [
            {"name": "floor", "kind": "floor", "ratio": float(rng.choice([0.0, 0.8, 0.95]))},
            {"name": "cap", "kind": "cap", "ratio": 3.0, "where": {"region": "North"}},
        ],
    }
    if S == 2:
        data["sectors"] = [
            {"name": "education", "need_share": 0.4},
            {"name": "other", "need_share": 0.6},
        ]
    return units, data


# ----------------------------------------------------------------------------- the docs' formulas


def documented(kind: str, problem, X: np.ndarray, x: np.ndarray, weight: float) -> float:
    """The objective as docs/model.md defines it, at unit amounts X (T, n) and cells x (T, S, n)."""
    N, C, P = problem.need, problem.capacity, problem.population
    X0 = problem.baseline
    T, n = X.shape

    def need_gap(X: np.ndarray, x: np.ndarray) -> float:
        # mean over units and years of Σ_s |x − G_s| / N, plus (C − N)/N where capacity
        # exceeds need
        G_s = problem.gap[:, None, :] * problem.sector_share[None, :, None]
        per_unit = np.abs(x - G_s).sum(axis=1) / N + np.maximum(C - N, 0.0) / N
        return float(per_unit.mean())

    def stability(X: np.ndarray) -> float:
        # mean over years of the largest relative change |X[t] − X[t−1]| / max(X⁰, 1 % of
        # max(mean X⁰, B₁/n, 1)) of a unit with a baseline (every unit if none has one),
        # X[0] = X⁰
        floor = 0.01 * max(X0.mean(), problem.envelope[0] / n, 1.0)
        prev = np.vstack([X0[None, :], X[:-1]])
        change = np.abs(X - prev) / np.maximum(X0, floor)[None, :]
        level = X0 > 0 if np.any(X0 > 0) else np.ones(n, bool)
        return float(change[:, level].max(axis=1).mean())

    if kind in ("need_gap", "formula"):  # the formula reports need_gap at its amounts
        return need_gap(X, x)
    if kind == "shortfall_minimax":  # mean over years of max_i (N − R)/N
        return float(((N - (C + X)) / N).max(axis=1).mean())
    if kind == "per_capita_maximin":  # reported: mean over years of min_i R/P
        return float(((C + X) / P[None, :]).min(axis=1).mean())
    if kind == "stability":
        return stability(X)
    if kind == "blend":
        # λ · equity / E_ref + (1 − λ) · stability / S_ref; E_ref: equity at the baseline scaled
        # to each year's envelope (split by the sector shares), S_ref: stability at the pure
        # formula pool × G / Σ G
        B = problem.envelope
        Xb = X0[None, :] * B[:, None] / X0.sum()
        w = problem.sector_share  # sector weights: need shares (no earmark in these cases)
        e_ref = need_gap(Xb, Xb[:, None, :] * w[None, :, None])
        F = B[:, None] * problem.gap / problem.gap.sum(axis=1, keepdims=True)
        s_ref = stability(F)
        return weight * need_gap(X, x) / e_ref + (1 - weight) * stability(X) / s_ref
    raise ValueError(kind)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kind", KINDS)
def test_reported_objective_is_the_documented_formula(kind: str, seed: int) -> None:
    units, data = generated(seed)
    data["objective"]["kind"] = kind
    scen = scenario_from_dict(data, source="generated.toml")
    # the fixed seeds give feasible rules: an infeasible one here is news, not a skip
    res = fiscal.run(scen, units=units)
    problem = res.problem
    x = res.exact
    X = x.sum(axis=1)
    want = documented(kind, problem, X, x, scen.objective.weight)
    assert res.objective == pytest.approx(want, rel=1e-6, abs=1e-9), (kind, seed)
