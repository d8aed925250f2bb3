"""The HiGHS adapter: the one module that talks to HiGHS, through highspy's public API.

:class:`HighsSolver` is a ``solver(lp, time_limit) -> Solution`` that keeps a model loaded per
role (the primary LP and the tie-break LP): when the next model of the same role has the same
constraint matrix, only the changed costs, column bounds and row bounds are handed over, and
every solve starts cold (``clearSolver``), so a point of a sweep never depends on the points
solved before it. Plain solves (:func:`solve_highs`), sweeps and the infeasibility diagnosis
all go through it, with one set of options and one status map (:data:`STATUS`).

Options: dual simplex with presolve and feasibility tolerances of 1e-9 (money is scaled to ~1
per unit, so totals stay exact to ~0.01 million VND). Integer columns (``lp.integrality``) are
passed on; a MIP returns no duals.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

from fiscal.errors import SolverError
from fiscal.lp import LinearProgram, Solution, Status
from fiscal.prose.messages import Message

__all__ = [
    "MIP_OPTIONS",
    "OPTIONS",
    "STATUS",
    "HighsSolver",
    "read_model",
    "solve_highs",
    "status_of",
    "write_model",
]

_M = highspy.HighsModelStatus

#: what each HiGHS model status means here. kModelError is a model HiGHS refuses to solve (bad
#: data, not conflicting rules): an error, never "infeasible" — contradictory bounds are
#: reported by HiGHS as kInfeasible, which is what the infeasibility diagnosis needs.
STATUS: dict[Any, Status] = {
    _M.kOptimal: Status.optimal,
    _M.kInfeasible: Status.infeasible,
    _M.kUnbounded: Status.unbounded,
    _M.kTimeLimit: Status.time_limit,
    _M.kIterationLimit: Status.error,
    _M.kModelError: Status.error,
    _M.kSolveError: Status.error,
    _M.kPresolveError: Status.error,
    _M.kPostsolveError: Status.error,
}

OPTIONS: dict[str, Any] = {
    "presolve": "on",
    "output_flag": False,
    "log_to_console": False,
    "highs_debug_level": 0,
    "primal_feasibility_tolerance": 1e-9,
    "dual_feasibility_tolerance": 1e-9,
    "simplex_strategy": 1,  # dual simplex
}


#: a MIP is solved to a proven optimum (gaps 1e-9), integers to 1e-9, on both backends
MIP_OPTIONS: dict[str, Any] = {
    "mip_rel_gap": 1e-9,
    "mip_abs_gap": 1e-9,
    "mip_feasibility_tolerance": 1e-9,
}


def status_of(model_status: Any) -> Status:
    """The :class:`~fiscal.solve.Status` of a HiGHS model status (anything unknown: numerical)."""
    return STATUS.get(model_status, Status.numerical)


_quiet = [False]


def _new_highs() -> highspy.Highs:
    """A silent HiGHS. highspy prints its banner once per process when the first object is
    created (before any option can be set); that first creation writes to /dev/null."""
    if not _quiet[0]:
        _quiet[0] = True
        try:
            saved = os.dup(1)
        except OSError:  # no standard output to protect
            return _configure(highspy.Highs())
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        return _configure(h)
    return _configure(highspy.Highs())


def _configure(h: highspy.Highs, extra: dict[str, Any] | None = None) -> highspy.Highs:
    """Set :data:`OPTIONS` (then a model's own, ``extra``) on ``h``."""
    for name, value in {**OPTIONS, **(extra or {})}.items():
        h.setOptionValue(name, value)
    return h


def _stacked(lp: LinearProgram) -> sp.csc_matrix:
    return sp.vstack([lp.A_ub, lp.A_eq]).tocsc()


def _pass_model(h: highspy.Highs, lp: LinearProgram, offset: float = 0.0) -> Any:
    """Hand ``lp`` to ``h`` as arrays (highspy's array form of ``passModel``: numpy arrays
    are read as they are, where a ``HighsLp``'s fields copy each number through Python): ub
    rows (−∞, b_ub] then eq rows [b_eq, b_eq], columns in CSC."""
    A = _stacked(lp)
    n_ub = lp.A_ub.shape[0]
    # 0 continuous, 1 integer (HighsVarType); an LP passes zeros (the array form reads one
    # entry per column, and a model with none integer is solved as the LP it is)
    integrality = (
        np.asarray(lp.integrality, dtype=np.int32)
        if lp.is_mip
        else np.zeros(lp.nvar, dtype=np.int32)
    )
    return h.passModel(
        lp.nvar,
        A.shape[0],
        A.nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        float(offset),
        np.ascontiguousarray(lp.c, dtype=float),
        np.ascontiguousarray(lp.lb, dtype=float),
        np.ascontiguousarray(lp.ub, dtype=float),
        np.concatenate([np.full(n_ub, -np.inf), lp.b_eq]),
        np.concatenate([lp.b_ub, lp.b_eq]),
        A.indptr.astype(np.int32, copy=False),
        A.indices.astype(np.int32, copy=False),
        A.data.astype(float, copy=False),
        integrality,
    )


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    return (
        a.shape == b.shape
        and a.nnz == b.nnz
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


class HighsSolver:
    """A ``solver(lp, time_limit) -> Solution`` that keeps each model loaded in HiGHS.

    >>> solver = HighsSolver()
    >>> solution = solver(lp, 60.0)   # later models of the same shape: only patches
    """

    def __init__(self) -> None:
        self._slots: dict[str, dict[str, Any]] = {}
        self.loads = 0  # models handed over whole
        self.updates = 0  # models updated in place

    def __call__(self, lp: LinearProgram, time_limit: float) -> Solution:
        t0 = time.perf_counter()
        if any(np.isnan(a).any() for a in (lp.c, lp.lb, lp.ub, lp.b_ub, lp.b_eq)):
            # HiGHS refuses NaN bounds, and NaN costs can keep it running past its time limit
            return Solution(
                Status.error,
                None,
                None,
                "highs",
                time.perf_counter() - t0,
                "the model has NaN costs or bounds (a bug upstream: please report it)",
            )
        role = lp.objective if lp.objective in ("tie_break", "stage") else "primary"
        slot = self._slots.get(role)
        n_ub = lp.A_ub.shape[0]
        upper = np.concatenate([lp.b_ub, lp.b_eq])
        lower = np.concatenate([np.full(n_ub, -np.inf), lp.b_eq])
        if (
            slot is not None
            and not lp.is_mip
            and not slot["mip"]
            and _same(slot["A_ub"], lp.A_ub)
            and _same(slot["A_eq"], lp.A_eq)
        ):
            h = slot["highs"]
            idx = np.arange(lp.nvar, dtype=np.int32)
            h.changeColsCost(lp.nvar, idx, lp.c)
            h.changeColsBounds(lp.nvar, idx, lp.lb, lp.ub)
            changed = np.flatnonzero((upper != slot["upper"]) | (lower != slot["lower"])).astype(
                np.int32
            )
            if changed.size:
                h.changeRowsBounds(changed.size, changed, lower[changed], upper[changed])
            h.clearSolver()
            self.updates += 1
        else:
            h = _new_highs() if slot is None else slot["highs"]
            loaded = _pass_model(h, lp)
            if loaded == highspy.HighsStatus.kError:
                self._slots.pop(role, None)
                return Solution(
                    Status.error,
                    None,
                    None,
                    "highs",
                    time.perf_counter() - t0,
                    "HiGHS refused the model",
                )
            self.loads += 1
        self._slots[role] = {
            "highs": h,
            "A_ub": lp.A_ub,
            "A_eq": lp.A_eq,
            "upper": upper,
            "lower": lower,
            "mip": lp.is_mip,
        }
        _configure(h, lp.options)
        h.setOptionValue("time_limit", float(time_limit))
        if lp.is_mip:  # a proven optimum, as CBC is asked for (fiscal.solve)
            for name, value in MIP_OPTIONS.items():
                h.setOptionValue(name, value)
        h.run()
        return self._solution(h, lp, n_ub, t0)

    @staticmethod
    def _solution(h: highspy.Highs, lp: LinearProgram, n_ub: int, t0: float) -> Solution:
        ms = h.getModelStatus()
        status = status_of(ms)
        message = f"{h.modelStatusToString(ms)} (HiGHS status {int(ms)})"
        runtime = time.perf_counter() - t0
        if status is not Status.optimal:
            return Solution(status, None, None, "highs", runtime, message)
        # highspy 1.16 returns the solution as Python lists (no array accessor): each is made
        # an array once, here
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        fun = float(h.getInfo().objective_function_value)
        if lp.is_mip:
            return Solution(status, x, fun, "highs", runtime, message)
        row_dual = np.asarray(sol.row_dual, dtype=float)
        col_dual = np.asarray(sol.col_dual, dtype=float)
        # reduced costs of the columns at a bound (0 for basic columns)
        return Solution(
            status,
            x,
            fun,
            "highs",
            runtime,
            message,
            row_dual[:n_ub],
            row_dual[n_ub:],
            np.where(_at_bound(h, lp), col_dual, 0.0),
        )


def _at_bound(h: highspy.Highs, lp: LinearProgram) -> np.ndarray:
    """The columns nonbasic at a bound (basis status lower or upper), as a mask.

    From the basic variables, which highspy returns as an array (the basis's own statuses
    come as a list of enum objects, ~0.3 µs each to read): a nonbasic column with a finite
    bound sits at it; a free nonbasic one (status zero) is not at a bound."""
    status, basic = h.getBasicVariables()  # type: ignore[attr-defined]  # not in its stub
    if status != highspy.HighsStatus.kOk:  # no basis to factor: read the statuses themselves
        B = highspy.HighsBasisStatus
        state = np.fromiter(map(int, h.getBasis().col_status), dtype=np.int8, count=lp.nvar)
        return (state == int(B.kLower)) | (state == int(B.kUpper))
    nonbasic = np.ones(lp.nvar, dtype=bool)
    nonbasic[basic[basic >= 0]] = False
    free = np.isneginf(lp.lb) & np.isposinf(lp.ub)
    return nonbasic & ~free


def solve_highs(lp: LinearProgram, time_limit: float) -> Solution:
    """One solve in a fresh HiGHS (no model kept)."""
    return HighsSolver()(lp, time_limit)


FORMATS = (".mps", ".lp")


def write_model(lp: LinearProgram, path: str | Path) -> Path:
    """Write ``lp`` as MPS or CPLEX LP (by suffix), objective constant included, for another
    solver. Money is scaled (see :attr:`LinearProgram.scale`); the reported objective is
    ``objective_factor ×`` the file's objective."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise SolverError(Message("solver.write_suffix", path=str(path), suffix=path.suffix))
    h = _new_highs()
    _pass_model(h, lp, offset=lp.constant)
    status = h.writeModel(str(path))
    if status == highspy.HighsStatus.kError or not path.is_file():
        raise SolverError(Message("solver.write_failed", path=str(path)))
    return path


def read_model(path: str | Path, time_limit: float = 60.0) -> tuple[Status, float | None]:
    """Solve a model file with HiGHS: (status, objective including its constant)."""
    h = _new_highs()
    if h.readModel(str(path)) == highspy.HighsStatus.kError:
        raise SolverError(Message("solver.read_failed", path=str(path)))
    h.setOptionValue("time_limit", float(time_limit))
    h.run()
    status = status_of(h.getModelStatus())
    value = float(h.getInfo().objective_function_value) if status.is_ok else None
    return status, value
