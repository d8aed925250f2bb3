"""Tiny problems written by hand, for tests whose answers are worked out on paper."""

from __future__ import annotations

from typing import Any

import pandas as pd

from fiscal.data import UnitTable, validate_units
from fiscal.problem import Problem, prepare
from fiscal.scenario import Scenario, scenario_from_dict


def units(**columns: list[Any]) -> UnitTable:
    """A validated unit table from columns; code/name/region/area default sensibly."""
    n = len(next(iter(columns.values())))
    data = {
        "code": [f"U{i + 1}" for i in range(n)],
        "name": [f"Unit {i + 1}" for i in range(n)],
        "region": ["R"] * n,
        "area_km2": [0.0] * n,
        "retention": [1.0] * n,
        "baseline": [0.0] * n,
        "own_revenue": [0.0] * n,
        **columns,
    }
    frame = pd.DataFrame({k: [str(v) for v in vals] for k, vals in data.items()})
    return UnitTable(validate_units(frame, "hand.csv"), "province", "hand.csv")


def scenario(
    envelope: float,
    *,
    kind: str = "shortfall_minimax",
    rate: float = 1.0,
    indicator: str = "need_units",
    constraints: list[dict] | None = None,
    **extra: Any,
) -> Scenario:
    """Need = rate × the ``need_units`` column (so need is written directly in the table)."""
    data: dict[str, Any] = {
        "scenario": {"name": "hand", "years": extra.pop("years", [2026])},
        "envelope": {"total": envelope, "source": "test", **extra.pop("envelope", {})},
        "need": {
            "criteria": [{"indicator": indicator, "rate": rate, "unit": "x", "source": "test"}]
        },
        "objective": {"kind": kind, **extra.pop("objective", {})},
        "constraints": constraints or [],
        **extra,
    }
    return scenario_from_dict(data, source="hand.toml")


def problem(table: UnitTable, scen: Scenario) -> Problem:
    return prepare(scen, table)
