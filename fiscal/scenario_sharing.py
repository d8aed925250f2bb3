"""The ``[sharing]`` and ``[lines]`` tables of a scenario: the A/B/C mechanism's settings.

``[sharing]`` is the rate side (:mod:`fiscal.mechanism`, :mod:`fiscal.rates`); ``[lines]`` holds
the transfer lines with their own rules inside a stability period — so far the balancing
transfer, ``[lines.balancing]``, whose envelope and rules are the scenario's ``[envelope]`` and
``[[constraints]]``. Other lines (the base-salary top-up, targeted transfers, merger money) sit
beside it as ``[lines.<name>]`` (:mod:`fiscal.scenario_lines`, allocated by :mod:`fiscal.lines`).
:func:`check` says what a scenario with these tables must also be (one year, provinces, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from fiscal.prose.messages import Message
from fiscal.scenario_lines import Line
from fiscal.scenario_types import Growth, Money, Settings

if TYPE_CHECKING:
    from fiscal.scenario import Scenario

__all__ = ["BalancingLine", "Lines", "Sharing", "TopUp", "check"]


class Sharing(Settings):
    """The ``[sharing]`` table: the rate side of the A/B/C mechanism.

    ``period_start`` recomputes each unit's whole-percent rate and balancing transfer from A (the
    scenario's need), B (``revenue_local``) and C (``revenue_shared``) (Circular 342/2016/TT-BTC
    Art. 8–9); ``within_period`` keeps each unit's ``sharing_rate`` and gives last year's
    transfer ``[lines.balancing]`` uplift and top-ups (Law 83/2015/QH13 Art. 9.7). With
    ``rates = "optimise"`` a MILP chooses whole-percent rates within ``band`` points of the
    formula's (:mod:`fiscal.rates`).
    """

    mode: Literal["period_start", "within_period"]
    rate_rounding: Literal["nearest", "up", "down"] = "nearest"
    rates: Literal["formula", "optimise"] = "formula"
    band: Annotated[int, Field(ge=0, le=100)] = 10
    #: the centre's minimum revenue from the shared base, Σ (100 − rate) × C / 100 (exact, before
    #: each unit's share is rounded to the million): "formula" = what the formula's rates give,
    #: "status_quo" = what the rates in force (sharing_rate) give, "none", or million VND
    centre_revenue: Literal["formula", "status_quo", "none"] | Money = "formula"
    #: the predecessors' A, B, C (merged units against their predecessors): the bundled table of
    #: the 63 old provinces, or a CSV next to the scenario (columns code, name, unit,
    #: spending_need, revenue_local, revenue_shared)
    predecessors: str = "bundled"
    source: str = ""
    source_vi: str = ""

    @model_validator(mode="after")
    def _settings(self) -> Sharing:
        if self.rates == "optimise" and self.mode != "period_start":
            raise ValueError(Message("sharing.optimise_within"))
        return self


class TopUp(Settings):
    """A named top-up of one unit's balancing transfer inside a period (million VND)."""

    unit: str = Field(min_length=1)
    amount: Money
    source: str = ""
    source_vi: str = ""


class BalancingLine(Settings):
    """``[lines.balancing]``: the balancing transfer (bổ sung cân đối) inside a period."""

    uplift: Growth = 0.0
    uplift_source: str = ""
    uplift_source_vi: str = ""
    topups: list[TopUp] = []
    #: last year's transfer (the units' baseline) taken from another province-level scenario's
    #: transfers of the year before this one (a period start after the bridge year)
    baseline_from: str | None = None

    @field_validator("topups")
    @classmethod
    def _one_per_unit(cls, v: list[TopUp]) -> list[TopUp]:
        units = [t.unit for t in v]
        dupes = sorted({u for u in units if units.count(u) > 1})
        if dupes:
            raise ValueError(Message("sharing.topup_twice", units=dupes))
        return v


class Lines(Settings):
    """The ``[lines]`` table: ``[lines.balancing]`` (the scenario's own allocation) and any other
    ``[lines.<name>]``, a :class:`fiscal.scenario_lines.Line` allocated after it, in file order."""

    model_config = ConfigDict(
        extra="allow", frozen=True, strict=True, allow_inf_nan=False, populate_by_name=True
    )
    __pydantic_extra__: dict[str, Line] = Field(init=False)

    balancing: BalancingLine = BalancingLine()

    @property
    def others(self) -> dict[str, Line]:
        """The lines besides the balancing transfer, by name, in file order."""
        return dict(self.model_extra or {})


def check(scenario: Scenario) -> None:
    """What a scenario with ``[sharing]`` or ``[lines]`` must also be (ValueError if not)."""
    sharing = scenario.sharing
    T = len(scenario.scenario.years)
    if scenario.envelope.from_sharing and sharing is None:
        raise ValueError(Message("sharing.from_sharing_alone"))
    if sharing is not None:
        if T != 1:
            raise ValueError(Message("sharing.one_year", years=T))
        if scenario.scenario.level != "province":
            raise ValueError(Message("sharing.provinces"))
        if sharing.rates == "optimise" and scenario.objective.kind in ("formula", "blend"):
            raise ValueError(Message("sharing.optimise_objective", kind=scenario.objective.kind))
    balancing = scenario.lines.balancing if scenario.lines is not None else BalancingLine()
    if (balancing.uplift or balancing.topups) and (
        sharing is None or sharing.mode != "within_period"
    ):
        raise ValueError(Message("sharing.lines_within"))
