"""Need, capacity and gap: the norm-based formulas, vectorised over units.

Need (the allocation norms of Decision 30/2021/QĐ-TTg and NQ 01/2021/UBTVQH15 in structure)::

    N_i = (1 + other) · Σ_k rate_k · indicator_k,i · coef_k(by_k,i)         [million VND]

where ``indicator_k`` is a column of the unit table (population, area_km2, communes, ...),
``rate_k`` its norm in million VND per indicator unit and ``coef_k`` a coefficient looked up by
another column (the region, by default). Capacity C_i = own_revenue_i × retention_i and the gap
G_i = max(N_i − C_i, 0) (Law 89/2025/QH15: balancing transfer = assessed need − own revenue).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from fiscal.errors import ModelError
from fiscal.prose.messages import Message

__all__ = [
    "CriterionLike",
    "capacity",
    "criterion_amounts",
    "gap",
    "need",
]


class CriterionLike(Protocol):
    indicator: str
    rate: float
    by: str
    coefficients: dict[str, float]
    default_coefficient: float


def criterion_amounts(table: pd.DataFrame, criteria: Sequence[CriterionLike]) -> np.ndarray:
    """Need per criterion and unit, shape (len(criteria), n), before the 'other' mark-up."""
    out = np.zeros((len(criteria), len(table)))
    for k, c in enumerate(criteria):
        if c.indicator not in table.columns:
            raise ModelError(
                Message(
                    "model.indicator_missing",
                    k=k + 1,
                    indicator=c.indicator,
                    columns=_numeric_columns(table),
                )
            )
        values = pd.to_numeric(table[c.indicator], errors="coerce").to_numpy(dtype=float)
        if np.isnan(values).any():
            bad = table["code"].to_numpy()[np.isnan(values)][:5].tolist()
            raise ModelError(Message("model.indicator_blank", indicator=c.indicator, units=bad))
        coef = np.ones(len(table))
        if c.coefficients:
            if c.by not in table.columns:
                raise ModelError(
                    Message("model.coefficients_by_missing", indicator=c.indicator, by=c.by)
                )
            keys = table[c.by].astype(str)
            coef = keys.map(c.coefficients).fillna(c.default_coefficient).to_numpy(dtype=float)
        out[k] = c.rate * values * coef
    return out


def need(
    table: pd.DataFrame, criteria: Sequence[CriterionLike], other_markup: float = 0.0
) -> np.ndarray:
    """Assessed need N per unit in million VND (see the module docstring)."""
    return (1.0 + other_markup) * criterion_amounts(table, criteria).sum(axis=0)


def capacity(table: pd.DataFrame) -> np.ndarray:
    """Fiscal capacity C = own_revenue × retention, million VND."""
    return table["own_revenue"].to_numpy(dtype=float) * table["retention"].to_numpy(dtype=float)


def gap(need_: np.ndarray, capacity_: np.ndarray) -> np.ndarray:
    """Fiscal gap G = max(N − C, 0), million VND."""
    return np.maximum(need_ - capacity_, 0.0)


def _numeric_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
