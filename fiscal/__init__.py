"""fiscal: a fiscal allocation simulator for Vietnam's merged provinces and communes.

    >>> import fiscal
    >>> result = fiscal.run("national-2026-baseline")
    >>> result.table[["code", "name", "allocation"]].head()

Money is in million VND (triệu đồng) everywhere. The public API is ``__all__`` (the list in
docs/architecture.md, "Key interfaces"); names are imported on first use so that the command
line starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    # a run and its result
    "run": "fiscal.pipeline",
    "Result": "fiscal.results",
    "Waterfall": "fiscal.waterfall",
    "Step": "fiscal.waterfall",
    "Flag": "fiscal.flags",
    "METRICS": "fiscal.metrics",
    # scenarios and unit tables
    "load_scenario": "fiscal.scenario",
    "parse_scenario": "fiscal.scenario",
    "Scenario": "fiscal.scenario",
    "load_units": "fiscal.data",
    "bundled_units": "fiscal.data",
    "write_template": "fiscal.data",
    "UnitTable": "fiscal.data",
    # comparing, sweeping, writing
    "compare": "fiscal.compare",
    "Comparison": "fiscal.compare",
    "frontier": "fiscal.frontier",
    "goal_seek": "fiscal.frontier",
    "monte_carlo": "fiscal.montecarlo",
    "Distribution": "fiscal.montecarlo",
    "MonteCarlo": "fiscal.montecarlo",
    "write": "fiscal.export",
    "write_comparison": "fiscal.export",
    "write_tables": "fiscal.export",
    "result_workbook": "fiscal.workbook",
    "comparison_workbook": "fiscal.workbook",
    # errors
    "FiscalError": "fiscal.errors",
    "DataError": "fiscal.errors",
    "ScenarioError": "fiscal.errors",
    "ModelError": "fiscal.errors",
    "InfeasibleError": "fiscal.errors",
    "SolverError": "fiscal.errors",
    "ExportError": "fiscal.errors",
}

__all__ = [
    "METRICS",
    "Comparison",
    "DataError",
    "Distribution",
    "ExportError",
    "FiscalError",
    "Flag",
    "InfeasibleError",
    "ModelError",
    "MonteCarlo",
    "Result",
    "Scenario",
    "ScenarioError",
    "SolverError",
    "Step",
    "UnitTable",
    "Waterfall",
    "__version__",
    "bundled_units",
    "compare",
    "comparison_workbook",
    "frontier",
    "goal_seek",
    "load_scenario",
    "load_units",
    "monte_carlo",
    "parse_scenario",
    "result_workbook",
    "run",
    "write",
    "write_comparison",
    "write_tables",
    "write_template",
]

if TYPE_CHECKING:  # pragma: no cover
    from fiscal.compare import Comparison, compare
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
    from fiscal.export import write, write_comparison, write_tables
    from fiscal.flags import Flag
    from fiscal.frontier import frontier, goal_seek
    from fiscal.metrics import METRICS
    from fiscal.montecarlo import Distribution, MonteCarlo, monte_carlo
    from fiscal.pipeline import run
    from fiscal.results import Result
    from fiscal.scenario import Scenario, load_scenario, parse_scenario
    from fiscal.waterfall import Step, Waterfall
    from fiscal.workbook import comparison_workbook, result_workbook


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fiscal' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
