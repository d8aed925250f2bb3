"""fiscal: a fiscal allocation simulator for Vietnam's merged provinces and communes.

    >>> import fiscal
    >>> result = fiscal.run("national-2026-baseline")
    >>> result.table[["code", "name", "allocation"]].head()

Money is in million VND (triệu đồng) everywhere. The public API is listed in ``__all__``;
names are imported on first use so that the command line starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "run": "fiscal.pipeline",
    "Result": "fiscal.results",
    "load_scenario": "fiscal.scenario",
    "parse_scenario": "fiscal.scenario",
    "Scenario": "fiscal.scenario",
    "load_units": "fiscal.data",
    "bundled_units": "fiscal.data",
    "write_template": "fiscal.data",
    "UnitTable": "fiscal.data",
    "FiscalError": "fiscal.errors",
    "DataError": "fiscal.errors",
    "ScenarioError": "fiscal.errors",
    "ModelError": "fiscal.errors",
    "InfeasibleError": "fiscal.errors",
    "SolverError": "fiscal.errors",
    "ExportError": "fiscal.errors",
    "goal_seek": "fiscal.frontier",
    "frontier": "fiscal.frontier",
    "monte_carlo": "fiscal.montecarlo",
}

__all__ = [
    "DataError",
    "ExportError",
    "FiscalError",
    "InfeasibleError",
    "ModelError",
    "Result",
    "Scenario",
    "ScenarioError",
    "SolverError",
    "UnitTable",
    "__version__",
    "bundled_units",
    "frontier",
    "goal_seek",
    "load_scenario",
    "load_units",
    "monte_carlo",
    "parse_scenario",
    "run",
    "write_template",
]

if TYPE_CHECKING:  # pragma: no cover
    from fiscal.data import UnitTable, bundled_units, load_units, write_template
    from fiscal.errors import (
        DataError,
        ExportError,
        FiscalError,
        InfeasibleError,
        ModelError,
        ScenarioError,
        SolverError,
    )
    from fiscal.frontier import frontier, goal_seek
    from fiscal.montecarlo import monte_carlo
    from fiscal.pipeline import run
    from fiscal.results import Result
    from fiscal.scenario import Scenario, load_scenario, parse_scenario


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fiscal' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
