"""Where a result comes from: package and solver versions, the data's hash, the time, and which
method (the backend's LP, the direct solvers, the stages, the formula) computed each part."""

from __future__ import annotations

import datetime as _dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fiscal.problem import Problem
    from fiscal.results import Result

__all__ = ["computed_by", "provenance", "result_method"]


def computed_by(backend: str, method: str) -> dict[str, str]:
    """Which solver computed each part of a result's export.

    The allocation, its objective value and the metrics are the run's own: its backend's LP
    (``highs``, ``pulp-cbc``…), the direct solvers (``direct``, :mod:`fiscal.fastpath`), the
    stages (``staged-highs``…: unit totals by the direct solvers or the backend's LP, their
    split by the backend's LP, :mod:`fiscal.staged`; a commune run may mix them:
    ``direct+highs``, ``direct+staged-highs``…) or the closed-form formula. The constraint
    ledger (duals, each rule's cost) and the explanations are HiGHS's
    (:func:`fiscal.reference.reference`: the same problem solved by HiGHS when another backend
    or the direct solvers found the allocation), or the formula's own for a formula result.
    """
    if method == "formula":
        return {k: "formula" for k in ("allocation", "objective", "metrics", "constraints")}
    names = {"direct": "direct", "staged": f"staged-{backend}", "lp": backend}
    own = "+".join(names.get(part, backend) for part in method.split("+"))
    return {"allocation": own, "objective": own, "metrics": own, "constraints": "highs"}


#: the order of the methods in a combined run's ``direct+staged+lp``
_METHODS = ("direct", "staged", "lp")


def result_method(result: Result) -> str:
    """``Result.method``; for a combined run whose parts took different paths, the paths joined
    by ``+`` (``direct+lp``, ``direct+staged``, ``direct+staged+lp``…)."""
    method = result.method
    used = {child.method for child in result.children}
    if len(used) > 1 and used <= set(_METHODS):
        return "+".join(m for m in _METHODS if m in used)
    return method


@functools.cache
def _cbc_version() -> str:
    """Which CBC the pulp backend runs: the binary bundled with PuLP (its version fixes the
    binary: PuLP 3.3.2's is CBC 2.10.3) or one installed beside it (``pulp[cbc]``)."""
    try:
        from pulp.apis.coin_api import pulp_cbc_path
    except ImportError:  # pragma: no cover - PuLP 4.x has no bundled binary
        pulp_cbc_path = None
    if pulp_cbc_path and Path(pulp_cbc_path).is_file():
        return f"bundled with pulp {_version('pulp')}"
    return "installed separately (pulp[cbc])"


@functools.cache
def _version(pkg: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return "not installed"


def provenance(problem: Problem, backend: str, method: str = "lp") -> dict[str, Any]:
    """Where a result comes from: package and solver versions, data hash, time, and which
    method computed each part of an export (``computed_by``, see :func:`computed_by`)."""
    versions = {p: _version(p) for p in ("numpy", "scipy", "highspy", "pulp", "pandas")}
    if backend.startswith("pulp-cbc"):
        versions["cbc"] = _cbc_version()
    return {
        "package": "fiscal",
        "version": _version("fiscal"),
        "backend": backend,
        "method": method,
        "computed_by": computed_by(backend, method),
        "versions": versions,
        "dataset": problem.units.source,
        "data_sha256": problem.units.data_hash(),
        "population_basis": problem.units.population_basis,
        "illustrative": problem.units.illustrative,
        "estimated_columns": problem.units.estimated_columns,
        "scenario_file": problem.scenario.path,
        "created": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
    }
