"""The rate model's MILP: integer whole-percent rates, receiving binaries and transfers.

:func:`rate_model` builds it for a problem with ``[sharing] rates = "optimise"`` (one year),
:func:`tie_break` the stage-2 models that hold its objective; :mod:`fiscal.rates` solves them
and explains an infeasible one. The formulation and the order of the stages are in
:mod:`fiscal.rates`' docstring.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from fiscal.errors import ModelError
from fiscal.lp import LinearProgram, RowBlock, VarBlock
from fiscal.objectives import stability_weights
from fiscal.problem import Problem
from fiscal.prose.messages import Message, Term
from fiscal.rules import Rule

__all__ = ["GUARD", "MARGIN", "OBJECTIVES", "RateModel", "rate_model", "tie_break"]

MARGIN = 0.5  # million VND: a bound on resources held this far inside (see fiscal.rates)
GUARD = 1e-7  # relative tolerance of the objective held in the tie-break stage
OBJECTIVES = ("need_gap", "shortfall_minimax", "per_capita_maximin", "stability")


@dataclass
class RateModel:
    """The MILP of a problem's rates and transfers (money scaled: ``scale`` million VND = 1)."""

    lp: LinearProgram
    n: int
    scale: float
    kind: str
    lo: np.ndarray  # (n,) lowest rate allowed
    hi: np.ndarray  # (n,) highest rate allowed
    formula: np.ndarray  # (n,) the formula's rates
    money: np.ndarray  # (n,) C/100 in scaled money: what one rate point of each unit moves
    mean_population: float

    def rate(self, v: np.ndarray) -> np.ndarray:
        return np.round(v[self.lp.blocks["r"].slice]).astype(np.int64)

    def transfer(self, v: np.ndarray) -> np.ndarray:
        return v[self.lp.blocks["x"].slice] * self.scale

    def reported(self, value: float) -> float:
        """The objective as the allocation reports it (maximin: million VND per person)."""
        if self.kind == "per_capita_maximin":
            return -value * self.scale / self.mean_population
        return value


class _Rows:
    """The rows of a small model as (row, column, value) triplets, named by block."""

    def __init__(self, nvar: int) -> None:
        self.nvar = nvar
        self.parts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]] = {
            "le": [],
            "eq": [],
        }
        self.count = {"le": 0, "eq": 0}
        self.blocks: list[RowBlock] = []

    def add(
        self, name: str, sense: str, k: np.ndarray, cols: np.ndarray, vals: np.ndarray, rhs: Any
    ) -> None:
        """Rows 0…m−1 of block ``name`` with entries (k, col, val) and right-hand sides ``rhs``."""
        rhs = np.atleast_1d(np.asarray(rhs, dtype=float))
        start = self.count[sense]
        self.parts[sense].append((np.asarray(k) + start, np.asarray(cols), np.asarray(vals), rhs))
        self.blocks.append(RowBlock(name, "rates", None, sense, start, (rhs.size,)))
        self.count[sense] += rhs.size

    def matrix(self, sense: str) -> tuple[sp.csr_matrix, np.ndarray]:
        parts = self.parts[sense]
        if not parts:
            return sp.csr_matrix((0, self.nvar)), np.zeros(0)
        r, c, v, b = (np.concatenate([p[j] for p in parts]) for j in range(4))
        return sp.csr_matrix((v, (r, c)), shape=(self.count[sense], self.nvar)), b


def _checked_rules(rules: list[Rule]) -> list[tuple[Rule, list[tuple[str, str, np.ndarray]]]]:
    out = []
    for rule in rules:
        bounds = rule.rate_bounds()
        if bounds is None:
            raise ModelError(Message("rates.rule_kind", rule=rule.label_text))
        if rule.soft and bounds:
            raise ModelError(Message("rates.soft_rule", rule=rule.label_text))
        out.append((rule, bounds))
    return out


def rate_model(
    problem: Problem,
    objective: str | None = None,
    *,
    band: int | None = None,
    requirement: float | None | str = "scenario",
    envelope: float | None = None,
    rules: list[Rule] | None = None,
    goal: str | None = None,
) -> RateModel:
    """The MILP of ``problem`` (see the module docstring).

    The keywords change one thing for the diagnosis: ``band``, ``requirement`` (None: none),
    ``envelope``, ``rules``; ``goal`` replaces the objective: "envelope" (the smallest change of
    the envelope, e⁺ + e⁻, that lets the rules hold) or "remitted" (the most the centre can be
    remitted).
    """
    state = problem.sharing
    if state is None:
        raise ModelError(
            Message("sharing.no_mechanism", what=Term("the rate model", "mô hình chọn tỷ lệ"))
        )
    if problem.T != 1 or problem.S != 1:
        raise ModelError(Message("rates.one_year"))
    kind = objective or problem.scenario.objective.kind
    if kind not in OBJECTIVES:
        raise ModelError(Message("rates.objective", kind=kind, allowed=", ".join(OBJECTIVES)))
    n = problem.n
    band = state.settings.band if band is None else band
    req = state.requirement if requirement == "scenario" else requirement
    E = float(problem.envelope[0] if envelope is None else envelope)
    A = state.need.astype(float)
    B = state.local.astype(float)
    C = state.shared.astype(float)
    f = state.formula_rate.astype(np.int64)
    scale = max(float(A.mean()), 1.0)
    lo = np.maximum(f - band, 0)
    hi = np.minimum(f + band, 100)
    checked = _checked_rules(problem.rules if rules is None else rules)
    money = C / 100.0 / scale
    units = np.arange(n)

    blocks: dict[str, VarBlock] = {}
    lbs: list[np.ndarray] = []
    ubs: list[np.ndarray] = []
    costs: list[np.ndarray] = []
    integ: list[np.ndarray] = []

    def var(name: str, size: int, low: Any, high: Any, c: Any = 0.0, integer: bool = False) -> int:
        start = sum(b.size for b in blocks.values())
        blocks[name] = VarBlock(name, start, (size,))
        for store, value in ((lbs, low), (ubs, high), (costs, c)):
            store.append(np.broadcast_to(np.asarray(value, dtype=float), (size,)).copy())
        integ.append(np.full(size, 1 if integer else 0, dtype=np.int8))
        return start

    # rules on the transfer are bounds on x; a transfer never exceeds the envelope
    x_lo, x_hi = np.zeros(n), np.full(n, max(E, 0.0) / scale)
    for _, bounds in checked:
        for side, base, values in bounds:
            if base == "transfer":
                v = np.asarray(values, dtype=float) / scale
                if side == "lower":
                    x_lo = np.fmax(x_lo, np.where(np.isnan(v), 0.0, v))
                else:
                    x_hi = np.fmin(x_hi, np.where(np.isnan(v), np.inf, v))
    r0 = var("r", n, lo, hi, integer=True)
    y0 = var("y", n, 0.0, np.where(hi >= 100, 1.0, 0.0), integer=True)
    x0 = var("x", n, x_lo, x_hi)
    pop = problem.population
    priced = goal is None
    if kind == "need_gap":
        dp = var("dp", n, 0.0, np.inf, scale / A / n if priced else 0.0)
        dm = var("dm", n, 0.0, np.inf, scale / A / n if priced else 0.0)
    elif kind == "shortfall_minimax":
        z = var("z", 1, -np.inf, np.inf, 1.0 if priced else 0.0)
    elif kind == "per_capita_maximin":
        w = var("w", 1, -np.inf, np.inf, -1.0 if priced else 0.0)
    else:  # the allocation's stability: Σ |x − X⁰| / max(X⁰, 1 % of the mean) / n
        wts = stability_weights(problem) * scale / n
        sp_ = var("sp", n, 0.0, np.inf, wts if priced else 0.0)
        sm_ = var("sm", n, 0.0, np.inf, wts if priced else 0.0)
    if goal == "envelope":
        e0 = var("e", 2, 0.0, np.inf, 1.0)
    nvar = sum(b.size for b in blocks.values())
    rows = _Rows(nvar)
    ones = np.ones(n)

    # x_i − M_i·y_i ≤ 0 and 100·y_i − r_i ≤ 0: only a unit at 100 % receives
    big = np.maximum(x_hi, 0.0)
    rows.add(
        "link",
        "le",
        np.r_[units, units],
        np.r_[x0 + units, y0 + units],
        np.r_[ones, -big],
        0 * ones,
    )
    rows.add(
        "keeps 100 %",
        "le",
        np.r_[units, units],
        np.r_[y0 + units, r0 + units],
        np.r_[100 * ones, -ones],
        0 * ones,
    )
    # the envelope (with e⁺, e⁻ for the envelope repair)
    cols, vals = x0 + units, ones
    if goal == "envelope":
        cols, vals = np.r_[cols, e0, e0 + 1], np.r_[vals, -1.0, 1.0]
    sense = "eq" if problem.mode == "equal" else "le"
    rows.add("envelope", sense, np.zeros(cols.size, dtype=int), cols, vals, E / scale)
    # the centre's requirement: Σ r·C/100 ≤ Σ C − requirement
    if req is not None:
        rows.add(
            "requirement", "le", np.zeros(n, dtype=int), r0 + units, money, (C.sum() - req) / scale
        )
    # rules on resources: ∓(r·C/100 + x) ≤ ∓(bound − B), half a million VND inside the bound
    for rule, bounds in checked:
        for side, base, values in bounds:
            if base == "transfer":
                continue
            v = np.asarray(values, dtype=float)
            idx = np.flatnonzero(~np.isnan(v))
            if idx.size == 0:
                continue
            k = np.arange(idx.size)
            sgn = -1.0 if side == "lower" else 1.0
            rhs = sgn * (v[idx] - sgn * MARGIN - B[idx]) / scale
            rows.add(
                f"{rule.name}:{side}",
                "le",
                np.r_[k, k],
                np.r_[r0 + idx, x0 + idx],
                sgn * np.r_[money[idx], np.ones(idx.size)],
                rhs,
            )
    # the objective
    if kind == "need_gap":  # r·C/100 + x − dp + dm = A − B
        rows.add(
            "need",
            "eq",
            np.tile(units, 4),
            np.r_[r0 + units, x0 + units, dp + units, dm + units],
            np.r_[money, ones, -ones, ones],
            (A - B) / scale,
        )
    elif kind == "shortfall_minimax":  # −r·C/100 − x − A·z ≤ B − A
        rows.add(
            "shortfall",
            "le",
            np.tile(units, 3),
            np.r_[r0 + units, x0 + units, np.full(n, z)],
            np.r_[-money, -ones, -A / scale],
            (B - A) / scale,
        )
    elif kind == "per_capita_maximin":  # (P/P̄)·w − r·C/100 − x ≤ B
        rows.add(
            "per capita",
            "le",
            np.tile(units, 3),
            np.r_[r0 + units, x0 + units, np.full(n, w)],
            np.r_[-money, -ones, pop / pop.mean()],
            B / scale,
        )
    else:  # x − sp + sm = X⁰
        rows.add(
            "change",
            "eq",
            np.tile(units, 3),
            np.r_[x0 + units, sp_ + units, sm_ + units],
            np.r_[ones, -ones, ones],
            problem.baseline / scale,
        )
    c = np.concatenate(costs)
    if goal == "remitted":  # the most remitted: the least kept, Σ r·C/100
        c = np.zeros(nvar)
        c[r0 : r0 + n] = money
    A_ub, b_ub = rows.matrix("le")
    A_eq, b_eq = rows.matrix("eq")
    lp = LinearProgram(
        c=c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=b_eq,
        lb=np.concatenate(lbs),
        ub=np.concatenate(ubs),
        blocks=blocks,
        rows=rows.blocks,
        bound_records=[],
        scale=scale,
        anchor=np.zeros(0),
        shape=(1, 1, n),
        objective="rates",
        integrality=np.concatenate(integ),
    )
    return RateModel(lp, n, scale, kind, lo, hi, f, money, float(pop.mean()))


def tie_break(
    model: RateModel, best: float, points: int | None = None, money: float | None = None
) -> LinearProgram:
    """Stage 2 with the objective held within :data:`GUARD` of ``best`` (deviation columns
    u, v ≥ 0 with r − u + v = f): without ``points``, the fewest rate points moved, Σ|r − f|;
    with them (that fewest), the least shared revenue moved, Σ|r − f|·C/100; with ``money``
    too (that least), the units first in the table moved rather than later ones (equal shared
    bases only)."""
    lp, n = model.lp, model.n
    nvar = lp.nvar
    r = lp.blocks["r"]
    count = np.r_[np.zeros(nvar), np.ones(2 * n)]
    moved = np.r_[np.zeros(nvar), model.money, model.money]
    if points is None:
        c = count
    elif money is None:
        c = moved
    else:
        order = np.arange(1, n + 1) / n
        c = np.r_[np.zeros(nvar), order, order]
    tol = GUARD * max(1.0, abs(best)) + 1e-9
    pad = lambda A: sp.hstack([A, sp.csr_matrix((A.shape[0], 2 * n))])  # noqa: E731
    guard = sp.csr_matrix(np.r_[lp.c, np.zeros(2 * n)][None, :])
    rows = [pad(lp.A_ub), guard]
    rhs: list[np.ndarray] = [lp.b_ub, np.array([best + tol])]
    if points is not None:
        rows.append(sp.csr_matrix(count[None, :]))
        rhs.append(np.array([points + 0.5]))
    if money is not None:
        rows.append(sp.csr_matrix(moved[None, :]))
        rhs.append(np.array([money + GUARD * max(1.0, money)]))
    dev = sp.hstack(
        [
            sp.csr_matrix((np.ones(n), (np.arange(n), r.start + np.arange(n))), shape=(n, nvar)),
            -sp.identity(n, format="csr"),
            sp.identity(n, format="csr"),
        ]
    )
    blocks = dict(lp.blocks)
    blocks["u"] = VarBlock("u", nvar, (n,))
    blocks["v"] = VarBlock("v", nvar + n, (n,))
    assert lp.integrality is not None
    return dataclasses.replace(
        lp,
        c=c,
        A_ub=sp.vstack(rows).tocsr(),
        b_ub=np.concatenate(rhs),
        A_eq=sp.vstack([pad(lp.A_eq), dev]).tocsr(),
        b_eq=np.r_[lp.b_eq, model.formula.astype(float)],
        lb=np.r_[lp.lb, np.zeros(2 * n)],
        ub=np.r_[lp.ub, np.full(2 * n, np.inf)],
        blocks=blocks,
        objective="tie_break",
        integrality=np.r_[lp.integrality, np.zeros(2 * n, dtype=np.int8)],
    )
