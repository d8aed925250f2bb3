"""The base class of the rules: what every rule kind answers (one subclass per kind, one file
per kind in this package).

A rule is a ``[[constraints]]`` entry resolved over the units and years of a problem. Its
class says, for its kind:

* **resolution** — :meth:`Rule.resolve` turns the scenario entry into arrays (which units, the
  per-year parameters, the bounds on each unit's amount in whole rounding units), and
  :meth:`Rule.pool_effect` / :meth:`Rule.support` what it does to the pool to allocate;
* **the model** — :meth:`Rule.cell_bounds` (bounds on the cells, where the rule fits in
  bounds) or :meth:`Rule.rows` (rows of the LP, with a priced slack when soft), and
  :meth:`Rule.year_rows` for what couples years;
* **rounding** — :meth:`Rule.rounding_band`, :meth:`Rule.repair_year`,
  :meth:`Rule.repair_cells`, :meth:`Rule.sector_limits`;
* **the independent re-check** — :meth:`Rule.recheck`, from the rounded amounts only;
* **explanations** — :meth:`Rule.flags` (the :class:`~fiscal.flags.Flag` codes of the units on
  its bounds), :meth:`Rule.binding`,
  :meth:`Rule.violation`, :meth:`Rule.ledger_effect`, :meth:`Rule.conflicts`;
* **repairs and sweeps** — :attr:`Rule.relax` (which way relaxes it), :meth:`Rule.scaled`
  (the main parameter × θ, for the repair bisection), :meth:`Rule.repair` (the repair in words
  and as a setting), :attr:`Rule.sweep_fields` and :meth:`Rule.with_setting` (the fast sweep
  patch: one setting changed, only this rule re-resolved).

:attr:`Rule.base` names the amount a rule bounds, and :attr:`Rule.bases` the ones a kind
accepts: ``"transfer"`` (each unit's transfer X against last year's transfer X⁰),
``"resources"`` (revenue kept + transfer, K + X, against X⁰ plus the revenue kept at the rates in
force, K⁰) or ``"predecessors"`` (K + X against the predecessors' summed resources under their
own rates, :mod:`fiscal.mechanism`). A bound on resources is written as a bound on X (the
resources' bound − K) wherever the rates are fixed; the rate model (:mod:`fiscal.rates`), where
K depends on the rate, reads it from :meth:`Rule.rate_bounds`. Shares of the envelope (group
shares, earmarks, sector bounds) bound transfers only. Adding a kind = one file in this package with its class + its schema entry in
:mod:`fiscal.scenario` (which points to the class) + its labels in :mod:`fiscal.prose.labels`.

Nothing here imports SciPy: the model parts receive the LP builder of :mod:`fiscal.builder`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import ModelError, Repair
from fiscal.flags import Flag
from fiscal.prose import labels
from fiscal.prose.messages import Message, Term
from fiscal.textform import fold

if TYPE_CHECKING:
    import pandas as pd

    from fiscal.builder import Builder
    from fiscal.problem import Problem

__all__ = [
    "Add",
    "Context",
    "Mark",
    "REGISTRY",
    "Rule",
    "SOFT_FLOOR",
    "per_year",
    "scale_value",
    "select_units",
]

# A soft rule's slack is priced per unit of its reference amount (the rule's own requirement),
# which is taken as at least 1 % of the mean amount per unit (1 in scaled money) — or of the
# envelope for envelope-wide rules — so that a requirement near zero cannot make the penalty
# dwarf the objective (and, once costs are normalised, push it below the solver's tolerance).
SOFT_FLOOR = 0.01

Add = Callable[[str, np.ndarray, np.ndarray, str], None]  # the re-check's (name, broken, by, what)
Mark = Callable[[np.ndarray, Flag], None]  # flags: (where, code)


@dataclass(frozen=True)
class Context:
    """What resolving a rule reads: the units and the problem's arrays (million VND)."""

    frame: pd.DataFrame
    T: int
    n: int
    baseline: np.ndarray  # (n,)
    population: np.ndarray  # (n,)
    capacity: np.ndarray  # (T, n) revenue kept at the rates of this problem
    sector_names: list[str]
    unit: float
    strict: bool
    capacity0: np.ndarray | None = None  # (T, n) revenue kept at the rates in force (status quo)
    reference: np.ndarray | None = None  # (n,) the predecessors' summed resources

    @classmethod
    def of(cls, problem: Problem) -> Context:
        return cls(
            problem.frame,
            problem.T,
            problem.n,
            problem.baseline,
            problem.population,
            problem.capacity,
            list(problem.sectors),
            problem.unit,
            problem.strict_bounds,
            problem.capacity0,
            problem.reference,
        )

    def reference_of(self, base: str, rule: str = "") -> tuple[np.ndarray, np.ndarray]:
        """(reference, offset), each (T, n): a rule on ``base`` bounds X + offset against
        ratio × reference (offset 0 for a transfer, the revenue kept K for resources); ``rule``
        names the rule in errors."""
        zero = np.zeros((self.T, self.n))
        if base == "transfer":
            return np.broadcast_to(self.baseline[None, :], (self.T, self.n)), zero
        if base == "resources":
            kept0 = self.capacity if self.capacity0 is None else self.capacity0
            return kept0 + self.baseline[None, :], self.capacity
        if base == "predecessors":
            if self.reference is None:
                raise ModelError(Message("rule.base_predecessors", rule=rule))
            ref = np.broadcast_to(self.reference[None, :], (self.T, self.n))
            return ref, self.capacity
        raise ModelError(Message("rule.unknown_base", rule=rule, base=base))


def per_year(value: float | list[float], T: int) -> np.ndarray:
    """A setting given once or per year, as one value per year."""
    if isinstance(value, list):
        return np.asarray(value, dtype=float)
    return np.full(T, float(value))


def select_units(frame: pd.DataFrame, where: dict, units: list[str], source: str) -> np.ndarray:
    """Mask of the units chosen by ``where`` (column → value(s)) and/or explicit ``units``."""
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in where.items():
        if column not in frame.columns:
            raise ModelError(
                Message(
                    "rule.where_no_column",
                    source=source,
                    column=column,
                    columns=", ".join(map(str, frame.columns)),
                )
            )
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        col = frame[column].astype(str)
        unknown = sorted(set(values) - set(col))
        if unknown:
            present = sorted(set(col))
            raise ModelError(
                Message(
                    "rule.where_no_match",
                    source=source,
                    column=column,
                    unknown=unknown,
                    present=present[:12],
                    more=" …" if len(present) > 12 else "",
                )
            )
        near = {p for p in set(col) - set(values) for v in values if fold(p) == fold(v)}
        if near:  # a value spelt two ways would silently leave some units out
            raise ModelError(
                Message(
                    "rule.where_near",
                    source=source,
                    column=column,
                    values=values,
                    near=sorted(near),
                )
            )
        mask &= col.isin(values).to_numpy()
    if units:
        # plain numpy: a rule book of thousands of single-unit rules calls this once per rule
        codes = np.asarray(frame["code"].to_numpy(), dtype=str)
        unknown = sorted(set(units) - set(codes.tolist()))
        if unknown:
            raise ModelError(Message("rule.units_unknown", source=source, unknown=unknown))
        mask &= np.isin(codes, np.asarray(units, dtype=str))
    if not mask.any():
        raise ModelError(Message("rule.selects_nothing", source=source))
    return mask


def scale_value(cur: Any, theta: float, *, down: bool, digits: int = 4) -> Any:
    """θ × value, rounded in the safe direction to ``digits`` decimals."""
    f = 10**digits

    def one(v: float) -> float:
        x = round(v * theta, 12)
        return (np.floor(x * f) if down else np.ceil(x * f)) / f

    if isinstance(cur, list):
        return [one(v) for v in cur]
    return one(float(cur))


# ----------------------------------------------------------------------------- the base class


#: every rule kind by name (a class registers itself when its module is imported; importing
#: :mod:`fiscal.rules` imports them all)
REGISTRY: dict[str, type[Rule]] = {}


@dataclass(eq=False)
class Rule:
    """A constraint of the scenario, resolved over units and years (see the module docstring)."""

    kind: ClassVar[str] = ""
    #: the amounts a rule of this kind may bound (the first is the default; see the docstring)
    bases: ClassVar[tuple[str, ...]] = ("transfer",)
    #: a rule the model adds itself (not a scenario kind: not registered)
    internal: ClassVar[bool] = False
    #: ``lower``/``upper`` are bounds on each unit's amount X[t, i]
    unit_bound: ClassVar[bool] = False
    #: a lower bound that protects a unit's amount (floors, minimums: Monte Carlo tracks them)
    unit_floor: ClassVar[bool] = False
    #: the status-quo formula (damping) can apply it
    formula_ok: ClassVar[bool] = True
    #: the waterfall shows it as a step of its own (merger support is paid apart)
    in_waterfall: ClassVar[bool] = True
    #: its unit bound moves with last year's amount (the formula waterfall credits later years)
    follows_years: ClassVar[bool] = False
    #: at most this many rules of the kind in a scenario
    max_count: ClassVar[int | None] = None
    #: the flag of a unit on the rule's lower / upper bound (None: not flagged)
    flag_lower: ClassVar[Flag | None] = Flag.LOWER
    flag_upper: ClassVar[Flag | None] = Flag.UPPER
    #: which way relaxes the rule ("down": lower its parameter, "up": raise it, None: no repair)
    relax_kind: ClassVar[str | None] = None
    #: settings whose change only moves this rule's unit bounds (the sweeps' fast path)
    sweep_fields: ClassVar[tuple[str, ...]] = ()

    name: str
    soft: bool
    penalty: float
    mask: np.ndarray  # (n,) units the rule covers
    lower: np.ndarray | None = None  # (T, n) lower bound on X[t, i] (NaN: none)
    upper: np.ndarray | None = None  # (T, n) upper bound
    description: str = ""
    source: str = ""
    constraint: Any = field(default=None, repr=False)  # the scenario entry it was resolved from
    #: the amount the rule bounds (one of :attr:`bases`)
    base: str = "transfer"
    #: (T, n) the bound on the base amount (ratio × reference) before it is written on X; None
    #: for a rule on the transfer
    target: np.ndarray | None = field(default=None, repr=False)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__ and cls.kind and not cls.__dict__.get("internal", False):
            if cls.kind in REGISTRY and REGISTRY[cls.kind] is not cls:
                raise TypeError(f"two rule classes of kind '{cls.kind}'")
            REGISTRY[cls.kind] = cls

    # -- resolution
    @classmethod
    def resolve(cls, c: Any, ctx: Context, mask: np.ndarray) -> Rule:
        """The rule of scenario entry ``c`` over the units in ``mask``."""
        return cls(
            c.name,
            c.soft,
            c.penalty,
            mask,
            description=c.description,
            source=c.source,
            constraint=c,
            base=cls.base_of(c),
            **cls._resolved(c, ctx, mask),
        )

    @classmethod
    def base_of(cls, c: Any) -> str:
        """The base a scenario entry asks for (``base`` key; the kind's default when absent)."""
        return getattr(c, "base", None) or cls.bases[0]

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        """The kind's own fields (bounds in whole rounding units, parameters per year)."""
        return {}

    @classmethod
    def from_scenario(cls, c: Any, ctx: Context, where: str) -> Rule:
        """Resolve entry ``c``; ``where`` says which entry in error messages."""
        n = ctx.n
        mask = (
            select_units(ctx.frame, c.where, c.units, where)
            if (c.where or c.units)
            else np.ones(n, bool)
        )
        return cls.resolve(c, ctx, mask)

    def with_setting(self, problem: Problem, name: str, value: float) -> Rule:
        """This rule with setting ``name`` (one of :attr:`sweep_fields`) at ``value``."""
        c = self.constraint.model_copy(update={name: float(value)})
        return type(self).resolve(c, Context.of(problem), self.mask)

    def pool_effect(self) -> tuple[float, float]:
        """(money taken from the first year's pool, money paid on top of the stated envelope)."""
        return 0.0, 0.0

    def apply_to_pool(
        self, pool: np.ndarray, stated: np.ndarray, where: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """The pool to allocate and the stated envelope (per year) once this rule is applied."""
        take, add = self.pool_effect()
        if not take and not add:
            return pool, stated
        pool, stated = pool.copy(), stated.copy()
        before = float(pool[0])
        pool[0] -= take
        stated[0] += add
        if pool[0] < 0:
            raise ModelError(
                Message(
                    "rule.inside_exceeds",
                    where=where,
                    what=self.kind.replace("_", " "),
                    kind=self.kind,
                    take=float(take),
                    before=before,
                )
            )
        return pool, stated

    def support(self) -> np.ndarray | None:
        """One-off amounts per unit paid besides the transfer (first year), if the rule pays any."""
        return None

    @property
    def label(self) -> str:
        return self.name if self.name == self.kind else f"{self.name} ({self.kind})"

    @property
    def name_vi(self) -> str:
        """The rule's Vietnamese name as the scenario gives it (``name_vi``), else ''."""
        return str(getattr(self.constraint, "name_vi", "") or "")

    @property
    def term(self) -> Term:
        """The rule's name with its Vietnamese form (``name_vi``; a rule named after its kind:
        the kind's Vietnamese name)."""
        vi = self.name_vi or None
        if vi is None and self.name == self.kind:
            vi = labels.KINDS["vi"].get(self.kind)
        return Term(self.name, vi)

    @property
    def label_text(self) -> Message:
        """:attr:`label` as a message: 'hold-harmless (floor)' in English."""
        if self.name == self.kind:
            return Message("rule.bare", rule=self.term)
        return Message("rule.label", rule=self.term, kind=self.kind)

    def same_as(self, other: Rule) -> bool:
        """Equal kind, name and resolved arrays (what the sweeps' patch check compares)."""
        if type(self) is not type(other):
            return False
        for f in dataclasses.fields(self):
            if f.name == "constraint":
                continue
            a, b = getattr(self, f.name), getattr(other, f.name)
            if a is None or b is None:
                if not (a is None and b is None):
                    return False
            elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                if not np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True):
                    return False
            elif a != b:
                return False
        return True

    # -- the model
    def soft_cost(self, slack_cost: float | None) -> float | None:
        """The price of this rule's slack: the elastic diagnosis's, the soft penalty, or None."""
        if slack_cost is not None:
            return slack_cost
        return self.penalty if self.soft else None

    def cell_bounds(
        self, problem: Problem, b: Builder, *, elastic: bool
    ) -> list[tuple[str, np.ndarray]] | None:
        """Bounds on the cells ((side, scaled values per cell, NaN where none), ...), or None
        when the rule is written as rows (:meth:`rows`)."""
        return []

    def rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        """The rule as rows of the LP (called when :meth:`cell_bounds` returned None)."""

    def year_rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        """Rows that couple years (always added)."""

    def stage(self, problem: Problem) -> str | None:
        """How a problem with sectors solved in two stages (:mod:`fiscal.staged`) takes the
        rule: ``"total"`` — it bounds or couples unit totals only, and the first stage (one
        sector) takes it as it is; ``"split"`` — a hard rule on the sector split only, which the
        second stage meets (its :meth:`cell_bounds` or :meth:`rows` over the split's cells);
        None — neither (or soft: a priced slack), and the problem stays on the full LP."""
        return None

    def direct_ok(self, problem: Problem) -> bool:
        """Whether the direct solvers (:mod:`fiscal.fastpath`) take the rule as it is: a hard
        bound on each unit's amount that couples neither units nor years, or no part of the
        model at all. Anything else keeps the problem on the LP."""
        return False

    # -- the rate model (fiscal.rates: rates and transfers chosen together, one year)
    def rate_bounds(self) -> list[tuple[str, str, np.ndarray]] | None:
        """The rule in the rate model: (side, "transfer" or "resources", first-year bound per
        unit, NaN where none), or None when the rate model cannot apply the kind."""
        return None

    # -- the formula (damping)
    def formula_band(self, prev: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Bounds on year ``t``'s amounts given last year's (unrounded) ones, NaN where none."""
        return None

    def min_sector_share(self) -> tuple[int, float] | None:
        """(sector, share of the pool) the formula's sector split is raised to, if any."""
        return None

    # -- rounding (hard rules only)
    def rounding_minimum(self, problem: Problem, t: int, lo: np.ndarray) -> float:
        """The least total year ``t`` may round to under the rule, in whole units, given the
        units' whole-unit lower bounds ``lo`` (a share of the pool that must go somewhere: an
        at_most year's total is rounded down)."""
        return 0.0

    def rounding_band(
        self, problem: Problem, prev: np.ndarray, t: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Whole-unit bounds on year ``t``'s amounts given last year's rounded ones."""
        return None

    def repair_year(
        self,
        problem: Problem,
        R: np.ndarray,
        X: np.ndarray,
        pool: float,
        lo: np.ndarray,
        hi: np.ndarray,
        u: float,
    ) -> np.ndarray:
        """One year's rounded unit amounts, repaired where rounding broke the rule."""
        return R

    def sector_limits(self, problem: Problem, lo: np.ndarray, hi: np.ndarray) -> None:
        """Tighten the exact cell bounds (T, S, n) in place."""

    def repair_cells(
        self,
        problem: Problem,
        out: np.ndarray,
        x: np.ndarray,
        cell_lo: np.ndarray,
        cell_hi: np.ndarray,
        u: float,
    ) -> np.ndarray:
        """Rounded cells, repaired where the sector split broke the rule."""
        return out

    # -- the re-check (hard rules only)
    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        """Check the rule on the rounded amounts X (T, n) and cells (T, S, n)."""

    # -- explanations
    def flags(self, problem: Problem, X: np.ndarray, mark: Mark, tol: float) -> None:
        """Mark the units on a bound of this rule (and, soft, those it gives way for)."""
        for arr, flag, side in (
            (self.lower, self.flag_lower, -1),
            (self.upper, self.flag_upper, 1),
        ):
            if arr is None or flag is None:
                continue
            bound = np.nan_to_num(arr, nan=np.nan)
            near = np.abs(X - bound) <= tol + 1e-9 * np.abs(np.nan_to_num(bound))
            # a floor of 0 protects nothing; a cap of 0 (no baseline) does hold the unit at 0
            meaningful = (
                (np.nan_to_num(bound) > 0) if side < 0 else (np.nan_to_num(bound, nan=-1) >= 0)
            )
            mark(near & ~np.isnan(bound) & meaningful, flag)
            if self.soft:  # a soft rule may give way: say so where it does
                beyond = (
                    side * (X - np.nan_to_num(bound, nan=np.inf if side > 0 else -np.inf)) > tol
                )
                mark(beyond & ~np.isnan(bound), Flag.BELOW if side < 0 else Flag.ABOVE)

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        """Whether the rule binds at the exact amounts X (T, n), cells x, and on how many units."""
        return False, 0

    def violation(self, problem: Problem, X: np.ndarray, cells: np.ndarray) -> float:
        """How far (million VND, over units and years) the rounded amounts fall short of it."""
        total = 0.0
        if self.lower is not None:
            total += float(np.nansum(np.maximum(np.nan_to_num(self.lower, nan=-np.inf) - X, 0.0)))
        if self.upper is not None:
            total += float(np.nansum(np.maximum(X - np.nan_to_num(self.upper, nan=np.inf), 0.0)))
        return total

    def ledger_effect(self, codes: np.ndarray) -> tuple[float, list[str], list[str]] | None:
        """(money moved, units that benefit, units that pay) when known without a re-solve."""
        return None

    def conflicts(
        self, problem: Problem, t: int, year: int, lo: np.ndarray, hi: np.ndarray, pool: float
    ) -> list[str]:
        """Plain-words reasons, in year ``t``, why the rule cannot hold with the others' bounds."""
        return []

    # -- repairs and sweeps
    @property
    def relax(self) -> str | None:
        """ "down" or "up": the direction of the main parameter that relaxes the rule."""
        return self.relax_kind

    @property
    def main_value(self) -> float:
        """The first-year value of the parameter a repair scales."""
        return 0.0

    def scaled(self, problem: Problem, theta: float) -> Rule:
        """The rule with its main parameter multiplied by θ (exact bounds, for the bisection)."""
        return self

    def repair(self, theta: float, path: str) -> Repair | None:
        """The repair that scales the main parameter by θ, in words and as a setting."""
        return None
