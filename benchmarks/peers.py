"""The peers of ``benchmarks/bench.py``: fiscal's LP written in PuLP, linopy and cvxpy, and the
same LP handed to HiGHS alone.

Every modeller writes the same formulation (:func:`peer_lp` computes its data once from a
prepared :class:`~fiscal.problem.Problem`): cells x[t,s,i] = a + p − m around the objective's
anchor, money scaled by the mean amount per unit; with one sector the floors, caps and the
first-year transition band are bounds on p and m, otherwise rows; the envelope, transitions,
earmarks and (minimax) the shortfall rows as rows. Each is written the way its documentation
does: PuLP with variable dicts, ``lpSum`` and one constraint per row in Python loops; linopy
with labelled arrays (xarray) and masks; cvxpy with matrix variables and vectorised
expressions. All three solve with HiGHS (highspy) under :data:`PEER_OPTIONS`.

``highs`` is not a modeller: fiscal's own LP (:func:`fiscal.model.build`), written to MPS as
``fiscal solve --write-model`` writes it, read by HiGHS and solved with fiscal's options
(:data:`fiscal.highs.OPTIONS`). Its time is ``Highs.run()`` alone: the solver's limit.

Each solver function returns a :class:`PeerRun` (build s, solve s, primary objective, status);
``status`` is ``"optimal"`` or ``"time_limit"`` (then the objective is NaN).
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

PEER_KINDS = ("need_gap", "shortfall_minimax")
MODELLERS = ("pulp", "linopy", "cvxpy")
# The peers' HiGHS (highspy 1.16) with fiscal's tolerances. Its "initial sweep" presolve rule
# (bit 21) wrongly reported the PuLP peer's stress LP infeasible (docs/performance.md): off.
PEER_OPTIONS: dict[str, Any] = {
    "primal_feasibility_tolerance": 1e-9,
    "dual_feasibility_tolerance": 1e-9,
    "presolve_rule_off": 1 << 21,
}
INSTALL_HINT = "pip install -e '.[bench]'"


def available(side: str) -> bool:
    """Whether ``side``'s package is importable (PuLP and HiGHS are fiscal's own dependencies)."""
    return side not in ("linopy", "cvxpy") or importlib.util.find_spec(side) is not None


@dataclass
class PeerRun:
    build: float
    solve: float
    objective: float
    status: str = "optimal"


@dataclass
class PeerLP:
    """The formulation's data in scaled money: what every modeller is given."""

    kind: str
    T: int
    S: int
    n: int
    anchor: np.ndarray  # (T, S, n)
    lower: np.ndarray  # (T, n) limit on a unit's total X (0: none)
    upper: np.ndarray  # (T, n) (inf: none)
    envelope: np.ndarray  # (T,)
    transitions: list[tuple[str, float, np.ndarray]]  # name, max change, unit indices
    earmarks: list[tuple[str, int, float, np.ndarray]]  # name, sector, min share, unit indices
    need: np.ndarray  # (T, n)
    cap: np.ndarray  # (T, n)
    weight: np.ndarray | None  # need_gap: (T, n) weight of |x − a|
    constant: float  # added to the modeller's objective to give fiscal's primary objective

    def cell_bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(p_lo, p_hi, m_lo, m_hi), each (T, S, n): x ≥ 0, and with one sector the limits
        on X as bounds on the one cell."""
        a = self.anchor
        p_lo, p_hi = np.zeros_like(a), np.full_like(a, np.inf)
        m_lo, m_hi = np.zeros_like(a), a.copy()
        if self.S == 1:
            lo, hi = self.lower[:, None, :], self.upper[:, None, :]
            p_lo, m_hi = np.maximum(0.0, lo - a), np.maximum(0.0, a - lo)
            p_hi, m_lo = np.maximum(0.0, hi - a), np.maximum(0.0, a - hi)
        return p_lo, p_hi, m_lo, m_hi


def peer_lp(problem) -> PeerLP:
    """The formulation of :func:`fiscal.model.build` for ``problem``, as arrays.

    Covers the objectives ``need_gap`` and ``shortfall_minimax`` and the rules ``floor``,
    ``cap``, ``transition`` and ``earmark`` (what the benchmark uses).
    """
    from fiscal.formula import sector_weights

    kind = problem.scenario.objective.kind
    if kind not in PEER_KINDS:
        raise ValueError(f"the peers cover need_gap and shortfall_minimax, not {kind}")
    T, S, n = problem.T, problem.S, problem.n
    scale = max(float(np.max(problem.envelope)), float(problem.baseline.sum()), 1.0) / n
    need, cap, gap = problem.need / scale, problem.capacity / scale, problem.gap / scale
    if kind == "need_gap":
        anchor = gap[:, None, :] * problem.sector_share[None, :, None]
    else:
        F = problem.pure_formula() / scale
        anchor = F[:, None, :] * sector_weights(problem)[None, :, None]
    lower, upper = np.zeros((T, n)), np.full((T, n), np.inf)
    transitions, earmarks = [], []
    for r in problem.rules:
        if r.kind in ("floor", "cap", "transition"):
            if r.lower is not None:
                lower = np.fmax(lower, r.lower / scale)  # NaN: no limit
            if r.upper is not None:
                upper = np.fmin(upper, r.upper / scale)
            if r.kind == "transition":
                transitions.append((r.name, float(r.max_change), np.flatnonzero(r.mask)))
        elif r.kind == "earmark":
            earmarks.append((r.name, int(r.sector), float(r.min_share), np.flatnonzero(r.mask)))
        else:
            raise ValueError(f"the peers do not cover rule kind {r.kind}")
    weight, constant = None, 0.0
    if kind == "need_gap":
        weight = 1.0 / (need * n * T)
        surplus = np.maximum(problem.capacity - problem.need, 0.0) / problem.need
        constant = float(surplus.sum()) / (n * T)
    return PeerLP(
        kind, T, S, n, np.asarray(anchor, dtype=float), lower, upper,
        np.asarray(problem.envelope, dtype=float) / scale, transitions, earmarks, need, cap,
        weight, constant,
    )  # fmt: skip


# ----------------------------------------------------------------------------- PuLP


def pulp_model(problem):
    """The LP of ``problem`` written idiomatically in PuLP; returns (prob, constant)."""
    import pulp

    d = peer_lp(problem)
    T, S, n = d.T, d.S, d.n
    a = d.anchor.tolist()
    p_lo, p_hi, m_lo, m_hi = (b.tolist() for b in d.cell_bounds())
    lower, upper, env = d.lower.tolist(), d.upper.tolist(), d.envelope.tolist()
    need, cap = d.need.tolist(), d.cap.tolist()

    prob = pulp.LpProblem("fiscal_peer", pulp.LpMinimize)
    cells = [(t, s, i) for t in range(T) for s in range(S) for i in range(n)]
    p = prob.add_variable_dicts("p", cells, lowBound=0)
    m = prob.add_variable_dicts("m", cells, lowBound=0)
    for t, s, i in cells:
        p[t, s, i].lowBound, p[t, s, i].upBound = p_lo[t][s][i], _finite(p_hi[t][s][i])
        m[t, s, i].lowBound, m[t, s, i].upBound = m_lo[t][s][i], m_hi[t][s][i]
    x = {(t, s, i): a[t][s][i] + p[t, s, i] - m[t, s, i] for t, s, i in cells}
    X = {(t, i): pulp.lpSum(x[t, s, i] for s in range(S)) for t in range(T) for i in range(n)}

    for t in range(T):
        prob += pulp.lpSum(X[t, i] for i in range(n)) == env[t], f"envelope_{t}"
    if S > 1:
        for t in range(T):
            for i in range(n):
                if lower[t][i] > 0:
                    prob += X[t, i] >= lower[t][i], f"lower_{t}_{i}"
                if upper[t][i] < np.inf:
                    prob += X[t, i] <= upper[t][i], f"upper_{t}_{i}"
    for name, change, units in d.transitions:
        for t in range(1, T):
            for i in units.tolist():
                prob += X[t, i] - (1 + change) * X[t - 1, i] <= 0, f"{name}_up_{t}_{i}"
                prob += (1 - change) * X[t - 1, i] - X[t, i] <= 0, f"{name}_down_{t}_{i}"
    for name, s, share, units in d.earmarks:
        for t in range(T):
            prob += (
                pulp.lpSum(x[t, s, i] for i in units.tolist()) >= share * env[t],
                f"{name}_{t}",
            )
    if d.kind == "need_gap":
        w = d.weight.tolist()
        prob += pulp.lpSum(w[t][i] * (p[t, s, i] + m[t, s, i]) for (t, s, i) in cells)
    else:
        z = {t: prob.add_variable(f"z_{t}") for t in range(T)}
        for t in range(T):
            for i in range(n):
                prob += (
                    -X[t, i] - need[t][i] * z[t] <= cap[t][i] - need[t][i],
                    f"shortfall_{t}_{i}",
                )
        prob += pulp.lpSum(z[t] for t in range(T)) / T
    return prob, d.constant


def _finite(v: float) -> float | None:
    return None if v == np.inf else v


def solve_pulp(problem, time_limit: float) -> PeerRun:
    import highspy
    import pulp

    t0 = time.perf_counter()
    prob, constant = pulp_model(problem)
    t1 = time.perf_counter()
    prob.solve(pulp.HiGHS(msg=False, timeLimit=time_limit, **PEER_OPTIONS))
    t2 = time.perf_counter()
    # PuLP reports a time limit as "Optimal" with a feasible solution: ask HiGHS
    highs_status = prob.solverModel.getModelStatus()
    if highs_status == highspy.HighsModelStatus.kTimeLimit:
        return PeerRun(t1 - t0, t2 - t1, float("nan"), "time_limit")
    if highs_status == highspy.HighsModelStatus.kOptimal:
        return PeerRun(t1 - t0, t2 - t1, float(pulp.value(prob.objective)) + constant)
    status = pulp.LpStatus[prob.status]
    raise RuntimeError(f"PuLP/HiGHS did not solve the peer model: {status}, {highs_status}")


# ----------------------------------------------------------------------------- linopy


def linopy_model(problem):
    """The LP of ``problem`` written with linopy's labelled arrays; returns (model, constant)."""
    import linopy
    import pandas as pd
    import xarray as xr

    d = peer_lp(problem)
    t_, s_, i_ = (pd.RangeIndex(k, name=name) for k, name in ((d.T, "t"), (d.S, "s"), (d.n, "i")))

    def arr(values: np.ndarray, *dims: pd.RangeIndex) -> xr.DataArray:
        return xr.DataArray(values, coords=list(dims))

    p_lo, p_hi, m_lo, m_hi = (arr(b, t_, s_, i_) for b in d.cell_bounds())
    model = linopy.Model()
    p = model.add_variables(lower=p_lo, upper=p_hi, name="p")
    m = model.add_variables(lower=m_lo, upper=m_hi, name="m")
    x = p - m + arr(d.anchor, t_, s_, i_)
    X = x.sum("s")
    model.add_constraints(X.sum("i") == arr(d.envelope, t_), name="envelope")
    if d.S > 1:
        lower = arr(d.lower, t_, i_)
        model.add_constraints(X >= lower, name="lower", mask=lower > 0)
        finite = np.isfinite(d.upper)
        model.add_constraints(
            X <= arr(np.where(finite, d.upper, 0.0), t_, i_), name="upper", mask=arr(finite, t_, i_)
        )
    if d.transitions:
        now = X.isel(t=slice(1, None))
        before = X.isel(t=slice(None, -1)).assign_coords(t=now.coords["t"].values)
        for name, change, units in d.transitions:
            mask = arr(np.isin(np.arange(d.n), units), i_)
            model.add_constraints(now - (1 + change) * before <= 0, name=f"{name}_up", mask=mask)
            model.add_constraints((1 - change) * before - now <= 0, name=f"{name}_down", mask=mask)
    for name, s, share, units in d.earmarks:
        model.add_constraints(
            x.isel(s=s, i=units).sum("i") >= share * arr(d.envelope, t_), name=name
        )
    if d.kind == "need_gap":
        model.add_objective((arr(d.weight, t_, i_) * (p + m)).sum())
    else:
        z = model.add_variables(coords=[t_], name="z")
        need = arr(d.need, t_, i_)
        model.add_constraints(-X - need * z <= arr(d.cap, t_, i_) - need, name="shortfall")
        model.add_objective(z.sum() / d.T)
    return model, d.constant


def solve_linopy(problem, time_limit: float) -> PeerRun:
    t0 = time.perf_counter()
    model, constant = linopy_model(problem)
    t1 = time.perf_counter()
    status, condition = model.solve(
        solver_name="highs",
        io_api="direct",  # linopy's fastest hand-over to highspy
        output_flag=False,
        time_limit=time_limit,
        **PEER_OPTIONS,
    )
    t2 = time.perf_counter()
    if condition == "optimal":
        return PeerRun(t1 - t0, t2 - t1, float(model.objective.value) + constant)
    if condition == "time_limit":
        return PeerRun(t1 - t0, t2 - t1, float("nan"), "time_limit")
    raise RuntimeError(f"linopy/HiGHS did not solve the peer model: {status}, {condition}")


# ----------------------------------------------------------------------------- cvxpy


def cvxpy_model(problem):
    """The LP of ``problem`` written with cvxpy's matrix expressions; returns (problem, constant).

    Cells are (T·S, n) matrices, row t·S + s; a sparse 0/1 matrix sums a year's sectors.
    """
    import cvxpy as cp
    import scipy.sparse as sp

    d = peer_lp(problem)
    T, S, n = d.T, d.S, d.n
    p_lo, p_hi, m_lo, m_hi = (b.reshape(T * S, n) for b in d.cell_bounds())
    p = cp.Variable((T * S, n), bounds=[p_lo, p_hi], name="p")
    m = cp.Variable((T * S, n), bounds=[m_lo, m_hi], name="m")
    x = d.anchor.reshape(T * S, n) + p - m
    X = sp.kron(sp.eye(T), np.ones((1, S))).tocsr() @ x  # (T, n)
    cons = [cp.sum(X, axis=1) == d.envelope]
    if S > 1:
        for t in range(T):
            lo = np.flatnonzero(d.lower[t] > 0)
            hi = np.flatnonzero(np.isfinite(d.upper[t]))
            if lo.size:
                cons.append(X[t, lo] >= d.lower[t, lo])
            if hi.size:
                cons.append(X[t, hi] <= d.upper[t, hi])
    for _name, change, units in d.transitions:
        if T > 1 and units.size:
            now, before = X[1:, units], X[:-1, units]
            cons += [now - (1 + change) * before <= 0, (1 - change) * before - now <= 0]
    for _name, s, share, units in d.earmarks:
        cons.append(cp.sum(x[s::S, :][:, units], axis=1) >= share * d.envelope)
    if d.kind == "need_gap":
        objective = cp.sum(cp.multiply(np.repeat(d.weight, S, axis=0), p + m))
    else:
        z = cp.Variable(T, name="z")
        cons.append(-X - cp.multiply(d.need, cp.reshape(z, (T, 1), order="C")) <= d.cap - d.need)
        objective = cp.sum(z) / T
    return cp.Problem(cp.Minimize(objective), cons), d.constant


def solve_cvxpy(problem, time_limit: float) -> PeerRun:
    import cvxpy as cp

    t0 = time.perf_counter()
    prob, constant = cvxpy_model(problem)
    t1 = time.perf_counter()
    with warnings.catch_warnings():  # "Solution may be inaccurate" at a time limit
        warnings.simplefilter("ignore", UserWarning)
        prob.solve(solver=cp.HIGHS, time_limit=time_limit, **PEER_OPTIONS)
    t2 = time.perf_counter()
    if prob.status == cp.OPTIMAL:
        return PeerRun(t1 - t0, t2 - t1, float(prob.value) + constant)
    if prob.status == cp.USER_LIMIT:  # cvxpy's name for HiGHS's kTimeLimit
        return PeerRun(t1 - t0, t2 - t1, float("nan"), "time_limit")
    raise RuntimeError(f"cvxpy/HiGHS did not solve the peer model: {prob.status}")


# ----------------------------------------------------------------------------- HiGHS alone


def solve_highs(problem, time_limit: float) -> PeerRun:
    """fiscal's LP of ``problem`` as an MPS file, read and solved by HiGHS with fiscal's
    options: ``build`` is HiGHS reading the file, ``solve`` is ``Highs.run()``."""
    import highspy

    from fiscal.highs import OPTIONS, write_model
    from fiscal.model import build

    lp = build(problem, problem.scenario.objective.kind)
    with tempfile.TemporaryDirectory(prefix="fiscal-bench-") as tmp:
        path = write_model(lp, Path(tmp) / "model.mps")
        h = highspy.Highs()
        for name, value in OPTIONS.items():
            h.setOptionValue(name, value)
        t0 = time.perf_counter()
        if h.readModel(str(path)) == highspy.HighsStatus.kError:
            raise RuntimeError(f"HiGHS could not read {path}")
        t1 = time.perf_counter()
        h.setOptionValue("time_limit", float(time_limit))  # the solve's (reading counts too)
        h.run()
        t2 = time.perf_counter()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        value = lp.objective_factor * float(h.getInfo().objective_function_value)
        return PeerRun(t1 - t0, t2 - t1, value)
    if status == highspy.HighsModelStatus.kTimeLimit:
        return PeerRun(t1 - t0, t2 - t1, float("nan"), "time_limit")
    raise RuntimeError(f"HiGHS did not solve fiscal's LP: {h.modelStatusToString(status)}")


SOLVERS = {"pulp": solve_pulp, "linopy": solve_linopy, "cvxpy": solve_cvxpy, "highs": solve_highs}
