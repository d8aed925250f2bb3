"""Transfer lines and whole-budget rules as scenario settings: ``[lines.<name>]`` and
``[[budget_rules]]``.

A unit's money does not arrive as one line (NQ 246/2025/QH15 sends balancing transfers, the
base-salary top-up and targeted transfers; NQ 76/2025/UBTVQH15 and Decision 2639/QĐ-TTg pay
merger money). ``[lines.balancing]`` is the scenario's own allocation (its ``[envelope]``,
``[objective]`` and ``[[constraints]]``); every other ``[lines.<name>]`` table is a
:class:`Line` with its envelope, eligibility, allocation rule and constraints, allocated after
it by :mod:`fiscal.lines`. A unit's resources are its revenue kept + all lines.

``[[budget_rules]]`` are rules on a unit's whole budget or on one line (``base``): earmarks as
shares of total spending, debt ceilings by fiscal class, a minimum of resources per person and
hold-harmless on resources (:mod:`fiscal.budget_rules`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from fiscal.prose.messages import Message
from fiscal.scenario_constraints import check_constraints, validate_constraints
from fiscal.scenario_types import Money, Ratio, Settings, Share

__all__ = [
    "ALLOCATION_RULES",
    "BUDGET_RULE_KINDS",
    "ELIGIBILITY",
    "BudgetRule",
    "Line",
    "LineCriterion",
    "LinePriority",
    "PointsCriterion",
    "check",
]


#: how a line's envelope is shared (one module of fiscal/lines/ each)
ALLOCATION_RULES = ("fixed", "formula", "cofinance", "optimise", "top_up", "points")
#: who may receive a line: everyone, units receiving a balancing transfer (the fiscal class of
#: the balancing line), the others, merged units, merged units that receive
ELIGIBILITY = ("all", "receiving", "non_receiving", "merged", "merged_receiving")
BUDGET_RULE_KINDS = ("earmark_share", "debt_ceiling", "per_capita_min", "hold_harmless")


class LineCriterion(Settings):
    """One term of a formula line: rate × indicator (× coefficient looked up by ``by``)."""

    indicator: str = Field(min_length=1)
    rate: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
    unit: str = ""
    unit_vi: str = ""
    source: str = ""
    source_vi: str = ""
    by: str = "region"
    coefficients: dict[str, Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]] = {}
    default_coefficient: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 1.0


class PointsCriterion(Settings):
    """One criterion of a points line, as the five-year capital plan writes it
    (:class:`fiscal.capital.Criterion`, which computes the points): ``base`` points for a
    positive indicator plus ``per_step`` for every whole ``step`` above ``threshold``, or the
    points of the highest of ``bands`` = [[lower, points], ...] the indicator reaches."""

    name: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    base: Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)] = 0.0
    threshold: Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)] = 0.0
    step: Annotated[float, Field(gt=0, le=1e12, allow_inf_nan=False)] | None = None
    per_step: Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)] = 0.0
    bands: list[list[float]] = []
    source: str = ""
    source_vi: str = ""

    @model_validator(mode="after")
    def _one_form(self) -> PointsCriterion:
        if self.bands and (self.step is not None or self.base or self.per_step):
            raise ValueError(Message("lines.points_form", name=self.name))
        for band in self.bands:
            if len(band) != 2 or not all(0 <= v < 1e12 for v in band):
                raise ValueError(Message("lines.points_band", name=self.name, band=band))
        return self


class LinePriority(Settings):
    """``[lines.<name>.priority]``: units whose balancing transfer is at least ``threshold`` ×
    their spending need A get priority: their claim on the line (points, formula amount or
    co-financed cost) counts × (1 + ``uplift``). The national target programmes give priority
    to localities whose balancing transfer is ≥ 70 % of their spending (``../rules.md`` §4,
    mechanism.md §1.6); by how much is not in our sources, so ``uplift`` is illustrative
    (``estimated``; ``source`` says where the rule comes from and why its size is
    illustrative). See :mod:`fiscal.lines.priority`."""

    threshold: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 0.70
    uplift: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)]
    estimated: bool = True
    source: str = ""
    source_vi: str = ""


class Line(Settings):
    """``[lines.<name>]``: one transfer line besides the balancing transfer (million VND).

    ``rule`` says how the envelope is shared among the eligible units:

    * ``fixed``: the amounts of a decision, from ``amounts_file`` (a CSV with ``code`` and
      ``value``; ``fiscal/datasets/sources/<file>`` names a bundled source) or ``amounts``;
    * ``formula``: Σ rate × indicator over ``criteria`` (NQ 76's 100 bn per reduced province and
      0.5 bn per reduced commune), scaled to ``envelope`` when one is given;
    * ``cofinance``: the central share of each unit's cost (``criteria``) by its fiscal class
      (``central_share``; default Decree 09/2025/NĐ-CP Art. 7.2: receiving 80 %, remitting
      ≤ 20 % 70 %, 20–60 % 50 %, others 0), scaled to ``envelope`` when one is given;
    * ``optimise``: an allocation of ``envelope`` with ``objective`` and ``constraints`` (the
      scenario's kinds) on need, where resources are revenue kept + the lines before this one;
    * ``top_up``: what each unit lacks to reach ``ratio`` × a reference (``reference_column``,
      or with ``[sharing]`` the predecessors' resources) and ``per_capita`` × population, on its
      resources so far (revenue kept + the lines before this one); an ``envelope`` is a ceiling
      (claims above it are scaled down in proportion). The 2025 estimate's 14,434.4 bn VND of
      targeted transfers that kept every locality at its 2023 level is such a line;
    * ``points``: ``envelope`` shared in proportion to each eligible unit's points
      (``[[lines.<name>.points]]``, criteria × points as the public-investment norms of NQ
      70/2025/UBTVQH15 do), by the points method of :mod:`fiscal.capital`.

    ``priority`` (with ``points``, ``formula`` or ``cofinance``) weighs the claims of the units
    whose balancing transfer is at least a share of their spending need (:class:`LinePriority`).

    With a rule other than ``fixed``, ``amounts``/``amounts_file`` pin the units whose real
    amount is known; the rule shares the rest of the envelope among the other eligible units.
    """

    label: str = ""
    label_vi: str = ""
    rule: Literal["fixed", "formula", "cofinance", "optimise", "top_up", "points"]
    envelope: Money | None = None
    envelope_source: str = ""
    envelope_source_vi: str = ""
    eligible: Literal["all", "receiving", "non_receiving", "merged", "merged_receiving"] = "all"
    units: list[str] = []  # restrict to these codes (besides ``eligible``)
    amounts: dict[str, Money] = {}
    amounts_file: str | None = None
    amounts_metric: str | None = None  # keep the file's rows with this ``metric``
    amounts_year: int | None = None  # ... and this ``year``
    #: several rows of one unit (several decisions): "refuse" them, or "sum" them
    amounts_combine: Literal["refuse", "sum"] = "refuse"
    amounts_source: str = ""
    amounts_source_vi: str = ""
    criteria: list[LineCriterion] = []
    #: rule = "points" (None rather than [] elsewhere: a scenario's JSON lists only set keys)
    points: list[PointsCriterion] | None = None
    priority: LinePriority | None = None  # points, formula, cofinance: weigh the claims
    #: fiscal class -> central share (cofinance), 0..1: checked in _rule_settings with its
    #: own message (what the share is and the default it replaces), not the generic bound's
    central_share: dict[str, Annotated[float, Field(allow_inf_nan=False)]] = {}
    objective: Literal["need_gap", "shortfall_minimax", "per_capita_maximin"] = (
        "shortfall_minimax"  # optimise
    )
    constraints: list[dict[str, Any]] = []  # optimise: the scenario's constraint kinds
    ratio: Ratio | None = None  # top_up: of the reference
    reference_column: str | None = None  # top_up: the reference (else the predecessors')
    per_capita: Annotated[float, Field(ge=0, le=1e4, allow_inf_nan=False)] | None = None
    growth: Annotated[float, Field(ge=-0.5, le=1.0, allow_inf_nan=False)] = 0.0  # per year
    sector: str | None = None  # the spending the line is tied to (education, science, ...)
    spending: Literal["recurrent", "capital", "both"] = "both"
    estimated: bool = False  # the per-unit amounts are illustrative (not the decision's)
    source: str = ""
    source_vi: str = ""
    description: str = ""
    description_vi: str = ""

    @field_validator("units")
    @classmethod
    def _unique_units(cls, v: list[str]) -> list[str]:
        dupes = sorted({u for u in v if v.count(u) > 1})
        if dupes:
            raise ValueError(Message("lines.units_twice", units=dupes))
        return v

    @field_validator("constraints")
    @classmethod
    def _constraint_kinds(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each entry is checked as the scenario's ``[[constraints]]`` are (the same classes:
        an error reads ``lines.<name>.constraints[i].<key>``) and kept as written: the line's
        own scenario reads them when the line is allocated (:mod:`fiscal.lines.optimise`)."""
        validate_constraints(v)
        return v

    @model_validator(mode="after")
    def _rule_settings(self) -> Line:
        rule = self.rule
        if rule == "fixed" and not (self.amounts or self.amounts_file):
            raise ValueError(Message("lines.fixed_amounts"))
        if rule in ("formula", "cofinance") and not self.criteria:
            what = ("amount", "số tiền") if rule == "formula" else ("cost", "chi phí")
            raise ValueError(Message("lines.criteria", rule=rule, what=what[0], what_vi=what[1]))
        if rule == "points" and (not self.points or self.envelope is None):
            raise ValueError(Message("lines.points_needs"))
        indicators = [c.indicator for c in self.points or []]
        twice = sorted({i for i in indicators if indicators.count(i) > 1})
        if twice:
            raise ValueError(Message("lines.points_twice", indicators=twice))
        if rule != "points" and self.points:
            raise ValueError(Message("lines.points_only", rule=rule))
        if self.priority is not None and rule not in ("points", "formula", "cofinance"):
            raise ValueError(Message("lines.priority_rule", rule=rule))
        if rule == "optimise" and self.envelope is None:
            raise ValueError(Message("lines.optimise_envelope"))
        if rule == "cofinance":
            from fiscal.sharing import CENTRAL_COFINANCING, CLASSES

            bad = sorted(set(self.central_share) - set(CLASSES))
            if bad:
                raise ValueError(Message("lines.unknown_class", bad=bad, classes=CLASSES))
            for cls, share in self.central_share.items():
                if not 0.0 <= share <= 1.0:
                    default = CENTRAL_COFINANCING[cls]
                    m = Message("lines.central_share_range", cls=cls, value=share, default=default)
                    raise ValueError(m)
        elif self.central_share:
            raise ValueError(Message("lines.central_share_only"))
        if rule == "top_up" and self.ratio is None and self.per_capita is None:
            raise ValueError(Message("lines.top_up_needs"))
        if rule != "top_up" and (
            self.ratio is not None or self.per_capita is not None or self.reference_column
        ):
            raise ValueError(Message("lines.top_up_only"))
        if rule != "optimise" and self.constraints:
            raise ValueError(Message("lines.constraints_only"))
        # what the line's own allocation cannot hold: it has no sectors and no predecessors
        for i, c in enumerate(validate_constraints(self.constraints)):
            if "sector" in type(c).model_fields:
                raise ValueError(Message("lines.constraint_sector", i=i, kind=c.kind))
            if getattr(c, "base", None) == "predecessors":
                raise ValueError(Message("lines.constraint_predecessors", i=i))
        return self


class BudgetRule(Settings):
    """``[[budget_rules]]``: a rule on a unit's whole budget (``base = "total"``: revenue kept +
    all lines), on one line (``base = "<line name>"``), on all revenue kept (``"kept"``: land
    fees and lottery included), on the revenue kept the gap counts (``"capacity"``) or on a sum
    of these (``"capacity+balancing"``: what the predecessors' resources of ``[sharing]`` count).

    * ``earmark_share``: spending on ``sector`` ≥ ``min_share`` × base (education ≥ 20 %,
      science, technology, innovation and digital transformation ≥ 3 %); the sector's spending
      is the lines tied to it (``sector``) plus the unit table's ``spending_column`` if given;
    * ``debt_ceiling``: outstanding debt (``debt_column``) ≤ ratio × revenue kept, the ratio by
      fiscal class (``ratio_receiving``, ``ratio_other``; Law 89/2025/QH15 Art. 7: 80 % and
      120 %); without a debt column it reports each unit's ceiling;
    * ``per_capita_min``: base ≥ ``amount`` × population (million VND per person);
    * ``hold_harmless``: base ≥ ``ratio`` × the reference (``reference_column`` of the unit
      table, or the predecessors' resources of ``[sharing]``).
    """

    name: str = ""
    name_vi: str = ""
    kind: Literal["earmark_share", "debt_ceiling", "per_capita_min", "hold_harmless"]
    base: str = "total"
    sector: str | None = None
    min_share: Share | None = None
    spending_column: str | None = None
    debt_column: str | None = None
    ratio_receiving: Ratio = 0.8
    ratio_other: Ratio = 1.2
    amount: Annotated[float, Field(ge=0, le=1e4, allow_inf_nan=False)] | None = None
    ratio: Ratio | None = None
    reference_column: str | None = None
    source: str = ""
    source_vi: str = ""
    description: str = ""
    description_vi: str = ""

    @model_validator(mode="after")
    def _kind_settings(self) -> BudgetRule:
        need = {
            "earmark_share": ("sector", "min_share"),
            "debt_ceiling": (),
            "per_capita_min": ("amount",),
            "hold_harmless": ("ratio",),
        }[self.kind]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(
                Message("budget.rule_needs", kind=self.kind, missing=", ".join(missing))
            )
        return self


def check(scenario: Any) -> None:
    """What a scenario with other lines or budget rules must also be (ValueError if not)."""
    lines = scenario.lines.others if scenario.lines is not None else {}
    if (lines or scenario.budget_rules) and scenario.scenario.level != "province":
        raise ValueError(Message("lines.provinces"))
    for name, line in lines.items():
        if not name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(Message("lines.bad_name", name=name))
        if (
            line.sector is not None
            and scenario.sectors
            and line.sector not in scenario.sector_names
        ):
            raise ValueError(
                Message(
                    "lines.unknown_sector",
                    name=name,
                    sector=line.sector,
                    sectors=scenario.sector_names,
                )
            )
    T = len(scenario.scenario.years)
    for name, line in lines.items():
        if line.constraints:
            _check_line_constraints(name, line, T)
    names = [r.name for r in scenario.budget_rules]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(Message("budget.names_twice", names=dupes))
    bases = {"total", "kept", "capacity", "balancing", *lines}
    for i, r in enumerate(scenario.budget_rules):
        parts = [p.strip() for p in r.base.split("+")]
        bad = [p for p in parts if p not in bases]
        if bad:
            lines_named = sorted(bases - {"total", "kept", "capacity"})
            raise ValueError(
                Message("budget.unknown_base", index=i, name=r.name, base=r.base, lines=lines_named)
            )
        if r.kind == "debt_ceiling" and r.base != "total":
            raise ValueError(Message("budget.debt_base", index=i, name=r.name))


def _check_line_constraints(name: str, line: Line, T: int) -> None:
    """An optimised line's constraints beside the scenario's years, with the checks and words of
    the scenario's own ``[[constraints]]`` (named after their kind when unnamed, as there)."""
    named = [{**c, "name": c.get("name") or c["kind"]} for c in line.constraints]
    try:
        check_constraints(validate_constraints(named), T, set())
    except ValueError as exc:
        raise ValueError(Message("lines.constraints_of", name=name, detail=exc.args[0])) from None
