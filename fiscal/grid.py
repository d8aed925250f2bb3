"""Whole rounding units: bounds and amounts on the grid of the scenario's ``[rounding] unit``.

Bounds are stated in whole units, as in a budget table: a lower bound is the largest whole
amount not above the exact one and an upper bound the smallest not below it (or, with
``[rounding] strict_bounds``, the other way round). Prepare, rounding, the re-check and the
sweeps all take their whole-unit bounds from here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["grid_down", "grid_up", "lower_grid", "upper_grid", "whole_bound"]


def grid_down(v: np.ndarray | float, unit: float) -> np.ndarray:
    """The largest multiple of ``unit`` not above ``v`` (solver noise below 1e-6 unit ignored)."""
    return np.floor(np.round(np.asarray(v, dtype=float) / unit, 6)) * unit


def grid_up(v: np.ndarray | float, unit: float) -> np.ndarray:
    """The smallest multiple of ``unit`` not below ``v`` (noise below 1e-6 unit ignored)."""
    return np.ceil(np.round(np.asarray(v, dtype=float) / unit, 6)) * unit


def lower_grid(v: np.ndarray | float, unit: float, strict: bool = False) -> np.ndarray:
    """A lower bound in whole rounding units: the unit below it, or above it when ``strict``."""
    return grid_up(v, unit) if strict else grid_down(v, unit)


def upper_grid(v: np.ndarray | float, unit: float, strict: bool = False) -> np.ndarray:
    """An upper bound in whole rounding units: the unit above it, or below it when ``strict``."""
    return grid_down(v, unit) if strict else grid_up(v, unit)


def whole_bound(v: np.ndarray | float, unit: float, strict: bool, *, lower: bool) -> np.ndarray:
    """A lower (or upper) bound in whole units; infinite bounds stay infinite."""
    v = np.asarray(v, dtype=float)
    grid = lower_grid if lower else upper_grid
    finite = np.nan_to_num(v, neginf=0.0, posinf=0.0)
    return np.where(np.isfinite(v), grid(finite, unit, strict), v)
