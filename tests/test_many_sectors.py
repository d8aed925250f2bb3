"""Many sectors (issue 16, point 3): the tie-break's size does not grow with the sectors where
the split by share is optimal.

With S sectors the tie-break priced each cell's distance from its share of the unit's total:
S × n rows and 2 S × n columns more. On 34 provinces × 682 sectors HiGHS took 8 s (minimax) to
30 s (stability, twice: before and after the claims step) in that LP, against 0.3 s for the
primary. Where splitting each unit's total by share is itself optimal — every row, bound and
cost of the model checked (fiscal.tiebreak.split_by_share) — that is the second term's optimum,
so the tie-break runs on unit totals only and the split is written directly; elsewhere (a
sector rule that binds per unit) the full tie-break runs as before. benchmarks/many_sectors.py
times it against an independent LP.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import fiscal
import fiscal.tiebreak

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    path = ROOT / "benchmarks" / "many_sectors.py"
    spec = importlib.util.spec_from_file_location("many_sectors", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["many_sectors"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("many_sectors", None)


def _recording(monkeypatch) -> list[tuple[bool, int]]:
    """Record each tie-break LP built: (with the sector term, its number of rows)."""
    seen: list[tuple[bool, int]] = []
    inner = fiscal.tiebreak.tie_break_lp

    def wrapped(*args, **kwargs):
        lp2 = inner(*args, **kwargs)
        seen.append((kwargs.get("sectors", True), lp2.A_ub.shape[0] + lp2.A_eq.shape[0]))
        return lp2

    monkeypatch.setattr(fiscal.tiebreak, "tie_break_lp", wrapped)
    return seen


@pytest.mark.parametrize("kind", ["shortfall_minimax", "stability"])
def test_682_sectors_tie_break_on_unit_totals(bench, kind, monkeypatch):
    seen = _recording(monkeypatch)
    res = fiscal.run(bench.many_sectors_scenario(682, kind), method="lp")
    assert res.status == "optimal" and res.problem.S == 682
    cells = res.problem.T * res.problem.S * res.problem.n
    assert seen and all(not with_sectors for with_sectors, _ in seen)
    assert max(rows for _, rows in seen) < cells  # no row per cell
    # each unit's total is split by its share of the reference (here: the need shares)
    x = res.exact
    share = res.problem.sector_share
    np.testing.assert_allclose(x, share[None, :, None] * x.sum(axis=1)[:, None, :], rtol=1e-9)


KINDS = ["shortfall_minimax", "per_capita_maximin", "need_gap", "stability", "blend"]


@pytest.mark.parametrize("backend", ["highs", "pulp"])
@pytest.mark.parametrize("kind", KINDS)
def test_split_equals_the_full_tie_break(bench, kind, backend, monkeypatch):
    """The same table as the tie-break with its sector term (forced by refusing the split)."""
    scen = bench.many_sectors_scenario(12, kind)
    fast = fiscal.run(scen, method="lp", backend=backend)
    monkeypatch.setattr(fiscal.tiebreak, "split_by_share", lambda *a: None)
    full = fiscal.run(scen, method="lp", backend=backend)
    assert fast.table.equals(full.table)
    np.testing.assert_allclose(fast.exact, full.exact, rtol=1e-7, atol=1e-3)


def test_a_binding_sector_rule_keeps_the_full_tie_break(monkeypatch):
    """Lâm Đồng by sector: every commune's education at least 90 % of its education gap binds
    per unit, so the split by share is refused and the sector term decides."""
    seen = _recording(monkeypatch)
    res = fiscal.run(ROOT / "fiscal" / "scenarios" / "commune-68-lam-dong-sectors.toml")
    assert res.status == "optimal"
    assert [w for w, _ in seen] == [False, True]
