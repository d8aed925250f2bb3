"""What every scenario table is made of: the bounded numbers (``Money`` in million VND,
``Ratio``, ``Share``, ``Growth`` per year) and the base model ``Settings`` (unknown
keys refused, frozen, strict types, no NaN or infinity). ``fiscal.scenario``,
``scenario_constraints``, ``scenario_sharing`` and ``scenario_lines`` all build on these."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Growth", "Money", "Ratio", "Settings", "Share"]

Money = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
Ratio = Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Growth = Annotated[float, Field(ge=-0.5, le=1.0, allow_inf_nan=False)]


class Settings(BaseModel):
    """The base of every scenario table."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False, populate_by_name=True
    )
