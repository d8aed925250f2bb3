"""The constraints of a scenario (``[[constraints]]``, and an optimised line's ``constraints``,
:mod:`fiscal.scenario_lines`): one schema class per rule kind, each pointing to the class of
:mod:`fiscal.rules` that resolves and enforces it, the union :data:`Constraint` by ``kind``, and
the checks of a list of them beside a scenario's years and sectors. :mod:`fiscal.scenario`
re-exports every name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import Field, TypeAdapter, model_validator

from fiscal.prose.messages import Message
from fiscal.rules import (
    Rule,
    cap,
    earmark,
    floor,
    group_share,
    merger_support,
    per_capita_min,
    sector_bounds,
    transition,
)
from fiscal.scenario_types import Money, Ratio, Settings, Share

__all__ = [
    "CONSTRAINT_KINDS",
    "KINDS",
    "Cap",
    "Constraint",
    "Earmark",
    "Floor",
    "GroupShare",
    "MergerSupport",
    "PerCapitaMin",
    "SectorBounds",
    "Transition",
    "check_constraints",
    "validate_constraints",
]


class _Constraint(Settings):
    #: the class of :mod:`fiscal.rules` that resolves and enforces this kind
    rule: ClassVar[type[Rule]] = Rule

    name: str = ""
    name_vi: str = ""
    soft: bool = False
    penalty: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] = 10.0
    where: dict[str, str | list[str]] = {}
    units: list[str] = []
    source: str = ""
    source_vi: str = ""
    description: str = ""
    description_vi: str = ""


PerYear = Ratio | list[Ratio]


#: what a floor, cap or transition bounds (fiscal.rules.base): the transfer against last year's
#: transfer, resources (revenue kept + transfer) against last year's transfer plus the revenue
#: kept at the rates in force, or resources against the predecessors' under their own rates
Base = Literal["transfer", "resources", "predecessors"]


class Floor(_Constraint):
    """Hold-harmless floor: amount[i,t] ≥ ratio_t × reference_i (``base`` says which amount)."""

    rule: ClassVar[type[Rule]] = floor.Floor
    kind: Literal["floor"]
    ratio: PerYear
    base: Base | None = None  # None: "transfer"


class Cap(_Constraint):
    """Growth cap: amount[i,t] ≤ ratio_t × reference_i (``base`` says which amount)."""

    rule: ClassVar[type[Rule]] = cap.Cap
    kind: Literal["cap"]
    ratio: PerYear
    base: Base | None = None  # None: "transfer"


class PerCapitaMin(_Constraint):
    """Per-capita minimum of resources: C[i,t] + X[i,t] ≥ amount_t × population_i."""

    rule: ClassVar[type[Rule]] = per_capita_min.PerCapitaMin
    kind: Literal["per_capita_min"]
    amount: (
        Annotated[float, Field(ge=0, le=1e4, allow_inf_nan=False)]
        | list[Annotated[float, Field(ge=0, le=1e4, allow_inf_nan=False)]]
    )


class GroupShare(_Constraint):
    """Share of the envelope going to a group of units chosen by ``where``/``units``."""

    rule: ClassVar[type[Rule]] = group_share.GroupShare
    kind: Literal["group_share"]
    min_share: Share | None = None
    max_share: Share | None = None

    @model_validator(mode="after")
    def _bounds(self) -> GroupShare:
        if self.min_share is None and self.max_share is None:
            raise ValueError(Message("scenario.group_bounds"))
        if (
            self.min_share is not None
            and self.max_share is not None
            and self.min_share > self.max_share
        ):
            raise ValueError(
                Message("scenario.group_order", low=self.min_share, high=self.max_share)
            )
        if not self.where and not self.units:
            raise ValueError(Message("scenario.group_scope"))
        return self


class MergerSupport(_Constraint):
    """One-off support per eliminated province and commune (NQ 76/2025/UBTVQH15), first year."""

    rule: ClassVar[type[Rule]] = merger_support.MergerSupport
    kind: Literal["merger_support"]
    per_province: Money = 0.0
    per_commune: Money = 0.0
    placement: Literal["inside", "on_top"] = "on_top"
    only_receiving: bool = True


class Transition(_Constraint):
    """Maximum yearly change: |X[i,t] − X[i,t−1]| ≤ max_change × X[i,t−1] (X[i,0] = baseline)."""

    rule: ClassVar[type[Rule]] = transition.Transition
    kind: Literal["transition"]
    max_change: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]
    base: Literal["transfer", "resources"] | None = None  # None: "transfer"


class Earmark(_Constraint):
    """Sector earmark: Σ_i x[i,s,t] ≥ min_share × envelope_t."""

    rule: ClassVar[type[Rule]] = earmark.Earmark
    kind: Literal["earmark"]
    sector: str
    min_share: Share


class SectorBounds(_Constraint):
    """Per-unit sector bounds relative to the unit's sector gap: lo·G[i,s] ≤ x[i,s] ≤ hi·G[i,s]."""

    rule: ClassVar[type[Rule]] = sector_bounds.SectorBounds
    kind: Literal["sector_bounds"]
    sector: str
    min_of_gap: Ratio = 0.0
    max_of_gap: Ratio | None = None


Constraint = Annotated[
    Floor | Cap | PerCapitaMin | GroupShare | MergerSupport | Transition | Earmark | SectorBounds,
    Field(discriminator="kind"),
]
#: each constraint kind's schema by its tag, in the union's order
KINDS: dict[str, type[_Constraint]] = {
    get_args(cls.model_fields["kind"].annotation)[0]: cls
    for cls in get_args(get_args(Constraint)[0])
}
CONSTRAINT_KINDS = tuple(KINDS)


_CONSTRAINTS: TypeAdapter[list[Constraint]] = TypeAdapter(list[Constraint])


def validate_constraints(entries: Any) -> list[Constraint]:
    """``entries`` (a list of tables) as constraints of the scenario's kinds; pydantic's
    ValidationError locates what is wrong (``[i].<kind>.<key>``) under the caller's key."""
    return _CONSTRAINTS.validate_python(entries)


def check_constraints(constraints: Sequence[_Constraint], T: int, sector_names: set[str]) -> None:
    """What a list of constraints must be beside the scenario's ``T`` years and its sectors
    (ValueError if not): names used once, per-year lists of ``T`` values, known sectors, a
    sector's bounds in order, earmarks within the envelope. ``[[constraints]]`` and an
    optimised line's ``constraints`` (:mod:`fiscal.scenario_lines`) are checked by it."""
    names = [c.name for c in constraints]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(Message("scenario.constraint_names", dupes=dupes))
    for i, c in enumerate(constraints):
        for attr in ("ratio", "amount"):
            v = getattr(c, attr, None)
            if isinstance(v, list) and len(v) != T:
                raise ValueError(
                    Message(
                        "scenario.per_year_count",
                        i=i,
                        name=c.name,
                        attr=attr,
                        n=len(v),
                        years=T,
                    )
                )
        if isinstance(c, Earmark | SectorBounds) and c.sector not in sector_names:
            raise ValueError(
                Message(
                    "scenario.unknown_sector",
                    i=i,
                    name=c.name,
                    sector=c.sector,
                    known=sorted(sector_names) or "none defined",
                )
            )
        if isinstance(c, SectorBounds) and c.max_of_gap is not None and c.max_of_gap < c.min_of_gap:
            raise ValueError(Message("scenario.gap_bounds", i=i, name=c.name))
    earmarked = sum(c.min_share for c in constraints if isinstance(c, Earmark))
    if earmarked > 1 + 1e-12:
        raise ValueError(Message("scenario.earmarks_total", total=earmarked))
