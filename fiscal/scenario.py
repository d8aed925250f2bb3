"""Scenario files: a typed, frozen model of the TOML, with ``extends`` and strict validation.

A scenario states what to allocate (level, years, envelope), how need is assessed (criteria with
rates, units and sources), what to aim for (objective) and the rules (constraints). A scenario
may ``extends`` another and state only what differs: tables merge key by key, and the lists
``constraints`` (by ``name``), ``need.criteria`` (by ``indicator``) and ``sectors`` (by ``name``)
merge entry by entry; an entry with ``drop = true`` removes the inherited one.

Unknown keys, wrong types, NaN/inf and out-of-range values are refused with the file, the key
path and what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from fiscal.dotted import default_names, get_path, set_path, without_empty_vi
from fiscal.errors import ScenarioError
from fiscal.prose import labels
from fiscal.prose.messages import Message, Term
from fiscal.scenario_constraints import (
    CONSTRAINT_KINDS,
    KINDS,
    Cap,
    Constraint,
    Earmark,
    Floor,
    GroupShare,
    MergerSupport,
    PerCapitaMin,
    SectorBounds,
    Transition,
    check_constraints,
    validate_constraints,
)
from fiscal.scenario_errors import Schema, describe_errors
from fiscal.scenario_files import (
    MAX_SCENARIO_BYTES,
    bundled_scenarios_dir,
    list_scenarios,
    one_text_form,
    parse_toml_bytes,
    read_toml,
    resolve_extends,
    resolve_reference,
    shipped_scenario,
)
from fiscal.scenario_lines import BudgetRule, Line, LineCriterion
from fiscal.scenario_lines import check as check_lines
from fiscal.scenario_sharing import BalancingLine, Lines, Sharing, TopUp
from fiscal.scenario_sharing import check as check_sharing
from fiscal.scenario_types import Growth, Money, Settings, Share
from fiscal.textform import path_forms

__all__ = [
    "CONSTRAINT_KINDS",
    "KINDS",
    "MAX_SCENARIO_BYTES",
    "SCHEMA",
    "Cap",
    "Capacity",
    "Criterion",
    "Earmark",
    "Envelope",
    "Floor",
    "GroupShare",
    "MergerSupport",
    "Meta",
    "Need",
    "OBJECTIVES",
    "Objective",
    "PerCapitaMin",
    "Rounding",
    "Scenario",
    "Sector",
    "SectorBounds",
    "Solver",
    "Transition",
    "bundled_scenarios_dir",
    "check_constraints",
    "get_path",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
    "parse_toml_bytes",
    "resolve_reference",
    "scenario_from_dict",
    "set_path",
    "shipped_scenario",
    "validate_constraints",
]

OBJECTIVES = (
    "formula",
    "need_gap",
    "shortfall_minimax",
    "per_capita_maximin",
    "stability",
    "blend",
)
#: the file a scenario read from text stands in (its folder resolves the files it names)
UPLOADED = "__uploaded__.toml"

OBJECTIVE_CHARACTER = labels.CHARACTER["en"]  # each objective in a sentence


class Meta(Settings):
    """The ``[scenario]`` table."""

    name: str = Field(min_length=1, max_length=200)
    name_vi: str = Field(default="", max_length=200)
    description: str = ""
    description_vi: str = ""
    extends: str | None = None
    level: Literal["province", "commune"] = "province"
    province: str | None = None
    dataset: str = "bundled"
    years: list[Annotated[int, Field(ge=2000, le=2100)]] = Field(
        default=[2026], min_length=1, max_length=20
    )

    @field_validator("years")
    @classmethod
    def _increasing(cls, v: list[int]) -> list[int]:
        if any(b != a + 1 for a, b in zip(v, v[1:], strict=False)):
            raise ValueError(Message("scenario.years", years=v))
        return v

    @model_validator(mode="after")
    def _province_for_communes(self) -> Meta:
        if self.level == "commune" and not self.province:
            raise ValueError(Message("scenario.commune_province"))
        if self.level == "province" and self.province:
            raise ValueError(Message("scenario.province_level"))
        return self


class Envelope(Settings):
    """The ``[envelope]`` table: what there is to allocate, in million VND."""

    total: Money | None = None
    totals: list[Money] | None = None
    baseline_factor: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] | None = None
    from_scenario: str | None = None
    #: the envelope is the sum of the A/B/C mechanism's balancing transfers ([sharing])
    from_sharing: Literal[True] | None = None
    growth: Growth = 0.0
    mode: Literal["equal", "at_most"] = "equal"
    source: str = ""
    source_vi: str = ""

    @model_validator(mode="after")
    def _one_basis(self) -> Envelope:
        given = [
            k
            for k in ("total", "totals", "baseline_factor", "from_scenario", "from_sharing")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(Message("scenario.envelope_basis", given=given or "none"))
        # a growth that cannot act is refused rather than ignored (the app hides its box)
        if self.growth and self.from_scenario is not None:
            raise ValueError(Message("scenario.growth_from_scenario", parent=self.from_scenario))
        if self.growth and self.totals is not None:
            raise ValueError(Message("scenario.growth_totals"))
        if self.growth and self.from_sharing:
            raise ValueError(Message("scenario.growth_from_sharing"))
        return self


class Criterion(Settings):
    """One need criterion: rate × indicator × coefficient(by)."""

    indicator: str = Field(min_length=1)
    rate: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
    name_vi: str = ""
    unit: str = ""
    unit_vi: str = ""
    source: str = ""
    source_vi: str = ""
    estimated: bool = False
    by: str = "region"
    coefficients: dict[str, Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]] = {}
    coefficients_source: str = ""
    coefficients_source_vi: str = ""
    default_coefficient: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 1.0


class Need(Settings):
    """The ``[need]`` table."""

    criteria: list[Criterion] = Field(min_length=1)
    other_markup: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    other_markup_source: str = ""
    other_markup_source_vi: str = ""
    growth: Growth = 0.0
    growth_source: str = ""
    growth_source_vi: str = ""

    @field_validator("criteria")
    @classmethod
    def _unique(cls, v: list[Criterion]) -> list[Criterion]:
        names = [c.indicator for c in v]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(Message("scenario.indicators_twice", dupes=dupes))
        return v


class Capacity(Settings):
    """The ``[capacity]`` table."""

    revenue_growth: Growth = 0.0
    source: str = ""
    source_vi: str = ""


class Sector(Settings):
    """One sector of the transfer, with its share of need."""

    name: str = Field(min_length=1)
    name_vi: str = ""
    need_share: Share
    source: str = ""
    source_vi: str = ""


class Objective(Settings):
    """The ``[objective]`` table."""

    kind: Literal[
        "formula", "need_gap", "shortfall_minimax", "per_capita_maximin", "stability", "blend"
    ] = "shortfall_minimax"
    weight: Share = 0.5
    tie_break: bool = True

    @property
    def character(self) -> str:
        """The distributive character of the objective, in words."""
        return OBJECTIVE_CHARACTER[self.kind]


class Solver(Settings):
    """The ``[solver]`` table."""

    backend: Literal["highs", "pulp"] = "highs"
    pulp_solver: Literal["cbc", "highs"] = "cbc"
    time_limit: Annotated[float, Field(gt=0, le=86_400, allow_inf_nan=False)] = 60.0


class Rounding(Settings):
    """The ``[rounding]`` table: allocations are whole multiples of ``unit`` million VND.

    The unit is a whole number of million VND (budget tables are in whole triệu đồng): every
    amount is then an integer in floating point, and totals reconcile exactly (sums of integers
    are exact up to 2**53). A unit of 0.1 or 0.001 would make them inexact.
    """

    unit: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] = 1.0
    # False: a bound is stated in whole units inside it (a floor of 97 % of 1,515,759 is met by
    # 1,470,286, the whole amount below 1,470,286.23), so rounding can always keep every bound.
    # True: floors, minimums and shares are rounded up and caps down, so no bound is broken even
    # by a fraction of a unit; a scenario can then be infeasible where the exact one was not.
    strict_bounds: bool = False

    @field_validator("unit")
    @classmethod
    def _whole(cls, v: float) -> float:
        if v < 1 or v != int(v):
            raise ValueError(Message("scenario.rounding_whole"))
        return v


class Scenario(Settings):
    """A whole scenario, validated and frozen. Build with :func:`load_scenario`."""

    scenario: Meta
    envelope: Envelope
    need: Need
    capacity: Capacity = Capacity()
    sectors: list[Sector] = []
    objective: Objective = Objective()
    constraints: list[Constraint] = []
    solver: Solver = Solver()
    rounding: Rounding = Rounding()
    sharing: Sharing | None = None  # the A/B/C mechanism (fiscal.scenario_sharing)
    lines: Lines | None = None
    budget_rules: list[BudgetRule] = []  # rules on the whole budget (fiscal.scenario_lines)
    # where the file came from (set by load_scenario, not by the TOML)
    path: str | None = Field(default=None, exclude=True)
    # how messages name a scenario read from text, not a file (a stored run's file's name)
    _named: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        T = len(self.scenario.years)
        if self.envelope.totals is not None and len(self.envelope.totals) != T:
            raise ValueError(Message("scenario.totals_years", n=len(self.envelope.totals), years=T))
        if self.sectors:
            total = sum(s.need_share for s in self.sectors)
            if abs(total - 1.0) > 1e-9:
                raise ValueError(Message("scenario.sector_shares", total=total))
            names = [s.name for s in self.sectors]
            if len(set(names)) != len(names):
                raise ValueError(Message("scenario.sector_names", names=names))
        check_constraints(self.constraints, T, {s.name for s in self.sectors})
        if self.objective.kind == "formula" and len(self.sectors) > 1:
            pass  # the formula splits each unit's amount by the sectors' need shares
        check_sharing(self)
        check_lines(self)
        return self

    # ------------------------------------------------------------------ convenience
    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def years(self) -> list[int]:
        return self.scenario.years

    @property
    def sector_names(self) -> list[str]:
        return [s.name for s in self.sectors] or ["transfer"]

    @property
    def where(self) -> str:
        """How messages name the scenario: the file it was read from (its path), else the name
        of the file it was stored from (a restored run's), else its name in both languages (a
        :class:`~fiscal.prose.messages.Term`) — never the placeholder of a text read without a
        file (``__uploaded__.toml``)."""
        if self.path and Path(self.path).name != UPLOADED:
            return self.path
        return self._named or Term(self.name, self.scenario.name_vi)

    @property
    def where_file(self) -> str:
        """:attr:`where` with a file named by its name alone (no folder)."""
        where = self.where
        return where if isinstance(where, Term) else Path(where).name

    @cached_property
    def base_dir(self) -> Path:
        return Path(self.path).resolve().parent if self.path else bundled_scenarios_dir()

    def to_dict(self) -> dict[str, Any]:
        """The fully resolved scenario as plain data (no ``extends``)."""
        d = self.model_dump(mode="python", exclude={"path"}, exclude_none=True)
        d["scenario"].pop("extends", None)
        if not d.get("budget_rules"):
            d.pop("budget_rules", None)  # absent unless set (outputs of other scenarios as before)
        return without_empty_vi(d)

    def to_toml(self) -> str:
        """The fully resolved scenario as a TOML document that loads back to an equal scenario."""
        import tomli_w

        header = f"# fiscal scenario '{self.name}' (fully resolved; no extends)\n"
        return header + tomli_w.dumps(self.to_dict())

    def value_of(self, path: str) -> Any:
        """The value of the setting at dotted ``path``; a co-financed line's central share of
        a fiscal class it does not state is Decree 09/2025's (what the line uses)."""
        data = self.to_dict()
        parts = path.split(".")
        if len(parts) == 4 and parts[0] == "lines" and parts[2] == "central_share":
            from fiscal.sharing import CENTRAL_COFINANCING

            line = (data.get("lines") or {}).get(parts[1])
            if isinstance(line, dict) and line.get("rule") == "cofinance":
                stated = line.get("central_share") or {}
                if parts[3] not in stated and parts[3] in CENTRAL_COFINANCING:
                    return CENTRAL_COFINANCING[parts[3]]
        return get_path(data, path)

    def with_value(self, path: str, value: Any) -> Scenario:
        """A copy with the setting at dotted ``path`` replaced (validated like a file).

        ``constraints.<name>.ratio`` or ``constraints.<index>.ratio`` addresses a constraint.
        """
        return self.with_values({path: value})

    def with_values(self, values: Mapping[str, Any]) -> Scenario:
        """A copy with each dotted setting of ``values`` replaced, validated once, as a file
        (:meth:`with_value` for one setting; a Monte Carlo draw of several lines' settings)."""
        data = self.to_dict()
        for path, value in values.items():
            set_path(data, path, value)
        where = self.where
        if len(values) == 1:
            [(path, value)] = values.items()
            source = Message("scenario.with_value", source=where, path=path, value=value)
        else:
            source = Message("scenario.with_values", source=where, settings=dict(values))
        out = scenario_from_dict(data, source=source, path=self.path)
        out._named = self._named
        return out


# --------------------------------------------------------------------------- loading


#: what validation errors are described with (fiscal.scenario_errors)
SCHEMA = Schema(
    root=Scenario,
    tables={
        "scenario": Meta,
        "envelope": Envelope,
        "need": Need,
        "criteria": Criterion,
        "capacity": Capacity,
        "sectors": Sector,
        "objective": Objective,
        "solver": Solver,
        "rounding": Rounding,
        "sharing": Sharing,
        "lines": Lines,
        "balancing": BalancingLine,
        "topups": TopUp,
        "budget_rules": BudgetRule,
        "line": Line,
        "criteria_of_line": LineCriterion,
    },
    kinds=KINDS,
)


def scenario_from_dict(
    data: dict[str, Any], source: str = "<scenario>", path: str | None = None
) -> Scenario:
    """Validate plain data (a parsed TOML without ``extends``) into a :class:`Scenario`."""
    data = one_text_form(data, source)  # a copy: plain data from the app or a sweep, too
    default_names(data)
    try:
        return Scenario.model_validate({**data, "path": path})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise ScenarioError(describe_errors(errors, data, source, SCHEMA)) from None


def parse_scenario(
    text: str | bytes,
    source: str = "<uploaded>",
    base: Path | None = None,
    *,
    named: str | None = None,
) -> Scenario:
    """Parse a scenario from TOML text (uploads); ``extends`` resolves against ``base``.

    ``named``: the name of the file the text came from (an upload's, a stored run's), which
    messages then name it by (:attr:`Scenario.where`); without it, the scenario's own name."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    data = parse_toml_bytes(raw, source)
    fake = (base or bundled_scenarios_dir()) / UPLOADED
    parent = _extends_of(data)
    data = resolve_extends(data, fake, (), source)
    out = _validated(data, source, str(fake), parent)
    out._named = Path(named).name if named else None
    return out


def load_scenario(path: str | Path) -> Scenario:
    """Load, resolve ``extends`` and validate a scenario file.

    ``path`` is a file, or the name of a shipped scenario (``national-2026-baseline``, with or
    without ``.toml``; see :func:`list_scenarios`); a file of that name wins. Each is tried as
    typed, then in NFC and NFD (:func:`fiscal.textform.path_forms`).
    """
    forms = path_forms(path)
    p = next((f for f in forms if f.is_file()), None)
    if p is None:
        p = next((s for f in forms if (s := shipped_scenario(str(f))) is not None), None)
        if p is None:
            raise ScenarioError(Message("scenario.no_file", path=str(path)))
    data = read_toml(p)
    parent = _extends_of(data)
    data = resolve_extends(data, p, (p.resolve(),), str(path))
    return _validated(data, str(path), str(p.resolve()), parent)


def _extends_of(data: Mapping[str, Any]) -> str | None:
    meta = data.get("scenario")
    ref = meta.get("extends") if isinstance(meta, Mapping) else None
    return ref if isinstance(ref, str) else None


def _validated(data: dict[str, Any], source: str, path: str, parent: str | None) -> Scenario:
    """Validate a resolved scenario; with ``extends``, say that settings may come from the parent."""
    try:
        return scenario_from_dict(data, source, path=path)
    except ScenarioError as exc:
        if parent is None:
            raise
        error = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
        raise ScenarioError(
            Message("scenario.from_parent", error=error, parent=parent, file=Path(source).name)
        ) from None
