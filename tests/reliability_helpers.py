"""Small builders shared by the reliability tests: unit tables and scenario data in memory.

The unit tables go through :func:`fiscal.data.validate_units` exactly like an uploaded file, so a
generated table is held to the same rules as a user's.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from fiscal.data import UnitTable, validate_units
from fiscal.scenario import Scenario, scenario_from_dict

#: generated examples per property, relative to the ci profile (see tests/conftest.py)
PROFILE = os.environ.get("FISCAL_HYPOTHESIS_PROFILE", "ci")
EXAMPLE_FACTOR = {"ci": 1.0, "dev": 0.25, "thorough": 10.0}.get(PROFILE, 1.0)


def examples(n: int) -> int:
    """The number of examples a property runs under the current profile (``n`` in ci)."""
    return max(1, round(n * EXAMPLE_FACTOR))


UNIT_COLUMNS = (
    "code",
    "name",
    "region",
    "population",
    "area_km2",
    "baseline",
    "own_revenue",
    "retention",
)

#: a small, valid scenario (as plain data); tests copy and change it
BASE_SCENARIO: dict[str, Any] = {
    "scenario": {"name": "reliability", "years": [2026]},
    "envelope": {"total": 1000.0},
    "need": {"criteria": [{"indicator": "population", "rate": 0.1}]},
    "objective": {"kind": "shortfall_minimax"},
}


def frame_from_rows(
    rows: Sequence[Sequence[Any]], columns: Sequence[str] = UNIT_COLUMNS
) -> pd.DataFrame:
    """A raw (text) unit frame as a CSV reader would give it."""
    return pd.DataFrame([[str(v) for v in r] for r in rows], columns=list(columns), dtype=str)


def units_from_frame(frame: pd.DataFrame, source: str = "generated.csv") -> UnitTable:
    """Validate a raw frame like an uploaded file and wrap it as a UnitTable."""
    typed = validate_units(frame.astype(str), source, "province")
    return UnitTable(typed, "province", source)


def small_units(n: int = 5, seed: int = 0) -> UnitTable:
    """``n`` plausible units with baselines summing to about 1000 million VND."""
    rng = np.random.default_rng(seed)
    baseline = np.round(rng.uniform(100, 300, n))
    frame = pd.DataFrame(
        {
            "code": [f"U{i:03d}" for i in range(n)],
            "name": [f"Unit {i}" for i in range(n)],
            "region": rng.choice(["North", "South"], n),
            "population": np.round(rng.uniform(1000, 5000, n)),
            "area_km2": np.round(rng.uniform(10, 500, n)),
            "baseline": baseline,
            "own_revenue": np.round(rng.uniform(0, 200, n)),
            "retention": np.round(rng.uniform(0.2, 0.8, n), 2),
        }
    )
    return units_from_frame(frame)


def scenario_data(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`BASE_SCENARIO` with top-level tables replaced or merged.

    ``scenario_data(objective={"kind": "need_gap"}, constraints=[...])``
    """
    data = copy.deepcopy(BASE_SCENARIO)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def make_scenario(**changes: Any) -> Scenario:
    """A validated Scenario from :func:`scenario_data`."""
    return scenario_from_dict(scenario_data(**changes), source="reliability.toml")
