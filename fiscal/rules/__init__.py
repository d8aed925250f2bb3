"""The rules of a scenario, one class per kind, one file per kind: everything a kind means
lives in its class (see :class:`fiscal.rules.base.Rule` for what a kind answers).

=================  ============================================================
``base``           :class:`Rule` (what every kind answers), :class:`Context`, helpers
``bounds``         :class:`UnitBound`, :class:`RatioBound`: bounds on each unit's amount
``floor``          :class:`Floor`: hold-harmless floor, X ≥ ratio × baseline
``cap``            :class:`Cap`: growth cap, X ≤ ratio × baseline
``per_capita_min`` :class:`PerCapitaMin`: capacity + X ≥ amount × population
``transition``     :class:`Transition`: |X[t] − X[t−1]| ≤ max_change × X[t−1]
``group_share``    :class:`GroupShare`: a group's share of the pool
``earmark``        :class:`Earmark`: a sector's share of the pool
``sector_bounds``  :class:`SectorBounds`: each unit's sector amount against its sector gap
``merger_support`` :class:`MergerSupport`: one-off support per eliminated province and commune
=================  ============================================================

Every module of this package is imported here, so :data:`RULES` holds every kind: adding a
kind is one new file (its class), its schema entry in :mod:`fiscal.scenario` and its labels.
"""

from __future__ import annotations

import importlib
import pkgutil

from fiscal.rules.base import (
    REGISTRY,
    SOFT_FLOOR,
    Context,
    Rule,
    per_year,
    scale_value,
    select_units,
)
from fiscal.rules.bounds import RatioBound, UnitBound

__all__ = [
    "RULES",
    "SOFT_FLOOR",
    "Context",
    "RatioBound",
    "Rule",
    "UnitBound",
    "per_year",
    "scale_value",
    "select_units",
]

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

#: every rule kind by name
RULES: dict[str, type[Rule]] = dict(sorted(REGISTRY.items()))
