"""The rules of a scenario, one class per kind: everything a kind means lives in its class.

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
* **explanations** — :meth:`Rule.flags` (flag words of the result table), :meth:`Rule.binding`,
  :meth:`Rule.violation`, :meth:`Rule.ledger_effect`, :meth:`Rule.conflicts`;
* **repairs and sweeps** — :attr:`Rule.relax` (which way relaxes it), :meth:`Rule.scaled`
  (the main parameter × θ, for the repair bisection), :meth:`Rule.repair` (the repair in words
  and as a setting), :attr:`Rule.sweep_fields` and :meth:`Rule.with_setting` (the fast sweep
  patch: one setting changed, only this rule re-resolved).

:attr:`Rule.base` names the amount a rule bounds: ``"transfer"`` (each unit's transfer X) for
every kind so far; rules on a unit's total resources or on the whole local budget will say so
there. Adding a kind = one class here + its schema entry in :mod:`fiscal.scenario` (which
points to the class) + its labels.

Nothing here imports SciPy: the model parts receive the LP builder of :mod:`fiscal.lp`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import ModelError, Repair
from fiscal.grid import lower_grid, upper_grid
from fiscal.text import bn
from fiscal.textform import fold

if TYPE_CHECKING:
    import pandas as pd

    from fiscal.lp import Builder
    from fiscal.problem import Problem

__all__ = [
    "Cap",
    "Context",
    "Earmark",
    "Floor",
    "GroupShare",
    "HELD_FLAGS",
    "MergerSupport",
    "PerCapitaMin",
    "RULES",
    "Rule",
    "SOFT_FLOOR",
    "SectorBounds",
    "Transition",
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
Mark = Callable[[np.ndarray, str], None]  # flags: (where, word)


@dataclass(frozen=True)
class Context:
    """What resolving a rule reads: the units and the problem's arrays (million VND)."""

    frame: pd.DataFrame
    T: int
    n: int
    baseline: np.ndarray  # (n,)
    population: np.ndarray  # (n,)
    capacity: np.ndarray  # (T, n)
    sector_names: list[str]
    unit: float
    strict: bool

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
        )


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
                f"{source}: where = {{{column} = ...}} names column '{column}', which the unit "
                f"table does not have; columns: {', '.join(map(str, frame.columns))}"
            )
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        col = frame[column].astype(str)
        unknown = sorted(set(values) - set(col))
        if unknown:
            present = sorted(set(col))
            raise ModelError(
                f"{source}: where.{column} = {unknown} matches no unit; values of "
                f"'{column}': {present[:12]}{' …' if len(present) > 12 else ''}"
            )
        near = {p for p in set(col) - set(values) for v in values if fold(p) == fold(v)}
        if near:  # a value spelt two ways would silently leave some units out
            raise ModelError(
                f"{source}: where.{column} = {values} selects units by exact text, but "
                f"{sorted(near)} in the unit table look like it (case, width, spacing or "
                "diacritics differ); write the values alike"
            )
        mask &= col.isin(values).to_numpy()
    if units:
        codes = frame["code"].astype(str)
        unknown = sorted(set(units) - set(codes))
        if unknown:
            raise ModelError(f"{source}: units {unknown} are not in the unit table")
        mask &= codes.isin(units).to_numpy()
    if not mask.any():
        raise ModelError(f"{source}: the selection covers no unit")
    return mask


def _fmt(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(f"{x:g}" for x in v) + "]"
    return f"{v:g}"


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


@dataclass(eq=False)
class Rule:
    """A constraint of the scenario, resolved over units and years (see the module docstring)."""

    kind: ClassVar[str] = ""
    #: the amount the rule bounds: "transfer" (each unit's transfer X[t, i])
    base: ClassVar[str] = "transfer"
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
    #: flag words of the result table where a unit sits on the lower / upper bound
    flag_lower: ClassVar[str | None] = None
    flag_upper: ClassVar[str | None] = None
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
            **cls._resolved(c, ctx, mask),
        )

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
                f"{where}: {self.kind.replace('_', ' ')} of {take:,.0f} million VND paid inside "
                f"the envelope exceeds the envelope ({before:,.0f})"
            )
        return pool, stated

    def support(self) -> np.ndarray | None:
        """One-off amounts per unit paid besides the transfer (first year), if the rule pays any."""
        return None

    @property
    def label(self) -> str:
        return self.name if self.name == self.kind else f"{self.name} ({self.kind})"

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

    # -- the formula (damping)
    def formula_band(self, prev: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Bounds on this year's amounts given last year's (unrounded) ones, NaN where none."""
        return None

    def min_sector_share(self) -> tuple[int, float] | None:
        """(sector, share of the pool) the formula's sector split is raised to, if any."""
        return None

    # -- rounding (hard rules only)
    def rounding_band(
        self, problem: Problem, prev: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Whole-unit bounds on this year's amounts given last year's rounded ones."""
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
        for arr, word, side in (
            (self.lower, self.flag_lower, -1),
            (self.upper, self.flag_upper, 1),
        ):
            if arr is None:
                continue
            bound = np.nan_to_num(arr, nan=np.nan)
            near = np.abs(X - bound) <= tol + 1e-9 * np.abs(np.nan_to_num(bound))
            # a floor of 0 protects nothing; a cap of 0 (no baseline) does hold the unit at 0
            meaningful = (
                (np.nan_to_num(bound) > 0) if side < 0 else (np.nan_to_num(bound, nan=-1) >= 0)
            )
            mark(near & ~np.isnan(bound) & meaningful, str(word))
            if self.soft:  # a soft rule may give way: say so where it does
                beyond = (
                    side * (X - np.nan_to_num(bound, nan=np.inf if side > 0 else -np.inf)) > tol
                )
                mark(
                    beyond & ~np.isnan(bound),
                    f"{'below' if side < 0 else 'above'} {self.name} (soft)",
                )

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


# ----------------------------------------------------------------------------- unit bounds


@dataclass(eq=False)
class _UnitBound(Rule):
    """A bound on each unit's amount: a bound on its cells when it fits, else rows."""

    unit_bound: ClassVar[bool] = True

    def cell_bounds(
        self, problem: Problem, b: Builder, *, elastic: bool
    ) -> list[tuple[str, np.ndarray]] | None:
        if problem.S != 1 or elastic or self.soft:
            return None
        out = []
        for side, arr in (("lower", self.lower), ("upper", self.upper)):
            if arr is not None:
                out.append((side, (arr / b.scale).ravel()))  # (T, n) -> cells (S == 1)
        return out

    def rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        soft_cost = self.soft_cost(slack_cost)
        for side, arr in (("lower", self.lower), ("upper", self.upper)):
            if arr is None:
                continue
            flat = arr.ravel()
            rows = np.flatnonzero(~np.isnan(flat))
            if rows.size == 0:
                continue
            M = b.unit_sum[rows]
            rhs = flat[rows] / b.scale
            sgn = -1.0 if side == "lower" else 1.0
            extra = []
            if soft_cost is not None:
                ref = np.maximum(np.abs(rhs), SOFT_FLOOR)
                extra = b.slack(f"{self.name}:{side}", rows.size, soft_cost / ref / rows.size)
            b.x_rows(
                f"{self.name}:{side}",
                self.kind,
                self.name,
                sgn * M,
                "le",
                sgn * rhs,
                (rows.size,),
                extra,
                sign=sgn,
            )

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        label = f"{self.kind}: {self.name}"
        if self.lower is not None:
            L = problem.lower_whole(np.nan_to_num(self.lower, nan=-np.inf))
            add(label, X < L, L - X, "below the floor")
        if self.upper is not None:
            U = problem.upper_whole(np.nan_to_num(self.upper, nan=np.inf))
            add(label, X > U, X - U, "above the cap")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        hit = self._hits(problem, X)
        return bool(hit.any()), int(hit.any(axis=0).sum())

    def _hits(self, problem: Problem, X: np.ndarray) -> np.ndarray:
        tol = 0.5 * max(problem.unit, 1e-6)
        hit = np.zeros_like(X, dtype=bool)
        if self.lower is not None:
            hit |= (
                (np.abs(X - self.lower) <= tol)
                & ~np.isnan(self.lower)
                & (np.nan_to_num(self.lower) > 0)
            )
        if self.upper is not None:
            hit |= (np.abs(X - self.upper) <= tol) & ~np.isnan(self.upper)
        return hit


@dataclass(eq=False)
class _RatioBound(_UnitBound):
    """A bound at ratio_t × baseline_i (floors and caps)."""

    sweep_fields: ClassVar[tuple[str, ...]] = ("ratio",)
    ratio: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,)

    @property
    def main_value(self) -> float:
        return float(np.asarray(self.ratio).ravel()[0])

    def _exact(self, problem: Problem, theta: float) -> np.ndarray:
        return np.where(
            self.mask[None, :], self.ratio[:, None] * theta * problem.baseline[None, :], np.nan
        )

    def repair(self, theta: float, path: str) -> Repair | None:
        down = self.relax == "down"
        cur = self.constraint.ratio if self.constraint is not None else self.ratio.tolist()
        new = scale_value(cur, theta, down=down)
        return Repair(
            f"{'lower' if down else 'raise'} the {self.kind} ratio of '{self.name}' "
            f"to {_fmt(new)} (from {_fmt(cur)})",
            f"{path}.ratio",
            cur,
            new,
        )


@dataclass(eq=False)
class Floor(_RatioBound):
    """Hold-harmless floor: X[t, i] ≥ ratio_t × baseline_i."""

    kind: ClassVar[str] = "floor"
    unit_floor: ClassVar[bool] = True
    flag_lower: ClassVar[str | None] = "at floor"
    relax_kind: ClassVar[str | None] = "down"

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        ratio = per_year(c.ratio, ctx.T)
        low = lower_grid(ratio[:, None] * ctx.baseline[None, :], ctx.unit, ctx.strict)
        return {"ratio": ratio, "lower": np.where(mask[None, :], low, np.nan)}

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(
            self, lower=self._exact(problem, theta), ratio=self.ratio * theta
        )


@dataclass(eq=False)
class Cap(_RatioBound):
    """Growth cap: X[t, i] ≤ ratio_t × baseline_i."""

    kind: ClassVar[str] = "cap"
    flag_upper: ClassVar[str | None] = "at cap"
    relax_kind: ClassVar[str | None] = "up"

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        ratio = per_year(c.ratio, ctx.T)
        high = upper_grid(ratio[:, None] * ctx.baseline[None, :], ctx.unit, ctx.strict)
        return {"ratio": ratio, "upper": np.where(mask[None, :], high, np.nan)}

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(
            self, upper=self._exact(problem, theta), ratio=self.ratio * theta
        )


@dataclass(eq=False)
class PerCapitaMin(_UnitBound):
    """Per-capita minimum of resources: C[t, i] + X[t, i] ≥ amount_t × population_i."""

    kind: ClassVar[str] = "per_capita_min"
    unit_floor: ClassVar[bool] = True
    flag_lower: ClassVar[str | None] = "at per_capita_min"
    flag_upper: ClassVar[str | None] = "at per_capita_min max"
    relax_kind: ClassVar[str | None] = "down"
    sweep_fields: ClassVar[tuple[str, ...]] = ("amount",)
    amount: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,) million VND per person

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        amount = per_year(c.amount, ctx.T)
        low = np.maximum(amount[:, None] * ctx.population[None, :] - ctx.capacity, 0.0)
        return {
            "amount": amount,
            "lower": np.where(mask[None, :], lower_grid(low, ctx.unit, ctx.strict), np.nan),
        }

    @property
    def main_value(self) -> float:
        return float(np.asarray(self.amount).ravel()[0])

    def scaled(self, problem: Problem, theta: float) -> Rule:
        amount = self.amount * theta
        low = np.maximum(amount[:, None] * problem.population[None, :] - problem.capacity, 0.0)
        return dataclasses.replace(
            self, lower=np.where(self.mask[None, :], low, np.nan), amount=amount
        )

    def repair(self, theta: float, path: str) -> Repair | None:
        cur = self.constraint.amount if self.constraint is not None else self.amount.tolist()
        new = scale_value(cur, theta, down=True, digits=4)
        return Repair(
            f"lower the per-capita minimum '{self.name}' to {_fmt(new)} million "
            f"VND per person (from {_fmt(cur)})",
            f"{path}.amount",
            cur,
            new,
        )


@dataclass(eq=False)
class Transition(_UnitBound):
    """Maximum yearly change: |X[t, i] − X[t−1, i]| ≤ max_change × X[t−1, i] (X[−1] = baseline).

    The first year is a band around the baseline (unit bounds); later years are rows.
    """

    kind: ClassVar[str] = "transition"
    follows_years: ClassVar[bool] = True
    flag_lower: ClassVar[str | None] = "at transition limit"
    relax_kind: ClassVar[str | None] = "up"
    max_change: float = 0.0

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        lo, hi = np.full((ctx.T, ctx.n), np.nan), np.full((ctx.T, ctx.n), np.nan)
        lo[0] = np.where(
            mask, lower_grid((1 - c.max_change) * ctx.baseline, ctx.unit, ctx.strict), np.nan
        )
        hi[0] = np.where(
            mask, upper_grid((1 + c.max_change) * ctx.baseline, ctx.unit, ctx.strict), np.nan
        )
        return {"max_change": c.max_change, "lower": lo, "upper": hi}

    def year_rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        """X[t] − (1+δ) X[t−1] ≤ 0 and (1−δ) X[t−1] − X[t] ≤ 0 for t ≥ 2."""
        T, n = problem.T, problem.n
        if T <= 1:
            return
        d = self.max_change
        units = np.flatnonzero(self.mask)
        rows_t = [(t, units) for t in range(1, T)]
        cur = np.concatenate([t * n + u for t, u in rows_t])
        prev = np.concatenate([(t - 1) * n + u for t, u in rows_t])
        Mcur, Mprev = b.unit_sum[cur], b.unit_sum[prev]
        soft_cost = self.soft_cost(slack_cost)
        for side, M in (("upper", Mcur - (1 + d) * Mprev), ("lower", (1 - d) * Mprev - Mcur)):
            extra = []
            if soft_cost is not None:
                ref = np.maximum(
                    d * problem.baseline[np.concatenate([u for _, u in rows_t])] / b.scale,
                    SOFT_FLOOR,
                )
                extra = b.slack(f"{self.name}:years:{side}", cur.size, soft_cost / ref / cur.size)
            b.x_rows(
                f"{self.name}:years:{side}",
                self.kind,
                self.name,
                M,
                "le",
                np.zeros(cur.size),
                (cur.size,),
                extra,
                sign=-1.0 if side == "lower" else 1.0,
            )

    def formula_band(self, prev: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        d = self.max_change
        return (
            np.where(self.mask, (1 - d) * prev, np.nan),
            np.where(self.mask, (1 + d) * prev, np.nan),
        )

    def rounding_band(
        self, problem: Problem, prev: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        d = self.max_change
        return problem.lower_whole((1 - d) * prev), problem.upper_whole((1 + d) * prev)

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        dlt = self.max_change
        prev = np.vstack([problem.baseline[None, :], X[:-1]])
        lo, hi = problem.lower_whole((1 - dlt) * prev), problem.upper_whole((1 + dlt) * prev)
        bad = ((X < lo) | (X > hi)) & self.mask[None, :]
        add(
            f"{self.kind}: {self.name}",
            bad,
            np.maximum(lo - X, X - hi),
            "yearly change above the limit",
        )

    def flags(self, problem: Problem, X: np.ndarray, mark: Mark, tol: float) -> None:
        prev = np.vstack([problem.baseline[None, :], X[:-1]])
        limit = self.max_change * prev
        hit = (
            (np.abs(np.abs(X - prev) - limit) <= tol + 1e-9 * prev)
            & self.mask[None, :]
            & (prev > 0)
        )
        mark(hit, str(self.flag_lower))

    def _hits(self, problem: Problem, X: np.ndarray) -> np.ndarray:
        hit = super()._hits(problem, X)
        if problem.T > 1:
            tol = 0.5 * max(problem.unit, 1e-6)
            prev = X[:-1]
            d = self.max_change
            hit[1:] |= (np.abs(np.abs(X[1:] - prev) - d * prev) <= tol) & self.mask[None, :]
        return hit

    @property
    def main_value(self) -> float:
        return float(self.max_change)

    def scaled(self, problem: Problem, theta: float) -> Rule:
        d = self.max_change * theta
        lo, hi = self.lower.copy(), self.upper.copy()  # type: ignore[union-attr]
        lo[0] = np.where(self.mask, (1 - d) * problem.baseline, np.nan)
        hi[0] = np.where(self.mask, (1 + d) * problem.baseline, np.nan)
        return dataclasses.replace(self, max_change=d, lower=lo, upper=hi)

    def repair(self, theta: float, path: str) -> Repair | None:
        cur = self.max_change
        new = scale_value(cur, theta, down=False)
        return Repair(
            f"allow yearly changes up to {new:.2%} in '{self.name}' (from {cur:.2%})",
            f"{path}.max_change",
            cur,
            new,
        )


# ----------------------------------------------------------------------------- coupling rules


@dataclass(eq=False)
class GroupShare(Rule):
    """Share of the pool going to a group of units: min_share·B ≤ Σ_group X ≤ max_share·B."""

    kind: ClassVar[str] = "group_share"
    formula_ok: ClassVar[bool] = False
    min_share: float | None = None
    max_share: float | None = None

    def cell_bounds(
        self, problem: Problem, b: Builder, *, elastic: bool
    ) -> list[tuple[str, np.ndarray]] | None:
        return None

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        return {"min_share": c.min_share, "max_share": c.max_share}

    def rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        soft_cost = self.soft_cost(slack_cost)
        T = problem.T
        M = b.year_sum(mask=self.mask)
        pool = problem.envelope / b.scale
        for side, share in (("lower", self.min_share), ("upper", self.max_share)):
            if share is None:
                continue
            sgn = -1.0 if side == "lower" else 1.0
            extra = []
            if soft_cost is not None:
                extra = b.slack(
                    f"{self.name}:{side}",
                    T,
                    soft_cost / np.maximum(share * pool, SOFT_FLOOR * pool) / T,
                )
            b.x_rows(
                f"{self.name}:{side}",
                self.kind,
                self.name,
                sgn * M,
                "le",
                sgn * share * pool,
                (T,),
                extra,
                sign=sgn,
            )

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
        """Move whole units into (or out of) the group where rounding broke its share."""
        R = R.copy()
        X = np.round(X / u, 6) * u  # as in the rounding: solver noise must not decide a tie
        inside = self.mask
        lo_r, hi_r = np.ceil(np.round(lo / u, 6)) * u, np.floor(np.round(hi / u, 6)) * u
        for side, share in (("min", self.min_share), ("max", self.max_share)):
            if share is None:
                continue
            need = (
                problem.lower_whole(share * pool)
                if side == "min"
                else problem.upper_whole(share * pool)
            )
            cur = R[inside].sum()
            if side == "min":
                steps = int(np.ceil(np.round((need - cur) / u, 6)))
                src, dst = ~inside, inside
            else:
                steps = int(np.ceil(np.round((cur - need) / u, 6)))
                src, dst = inside, ~inside
            for _ in range(max(steps, 0)):
                give = np.where(src & (R - u >= lo_r), R - X, -np.inf)  # most rounded-up first
                take = np.where(dst & (R + u <= hi_r), X - R, -np.inf)  # most rounded-down first
                i, j = int(np.argmax(give)), int(np.argmax(take))
                if not np.isfinite(give[i]) or not np.isfinite(take[j]):
                    break
                R[i] -= u
                R[j] += u
        return R

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        label = f"{self.kind}: {self.name}"
        got = X[:, self.mask].sum(axis=1)
        if self.min_share is not None:
            need = problem.lower_whole(self.min_share * problem.envelope)
            add(label + " (min)", got < need, need - got, "group below its share")
        if self.max_share is not None:
            cap = problem.upper_whole(self.max_share * problem.envelope)
            add(label + " (max)", got > cap, got - cap, "group above its share")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        tol = 0.5 * max(problem.unit, 1e-6)
        got = X[:, self.mask].sum(axis=1)
        b = False
        for share in (self.min_share, self.max_share):
            if share is not None:
                b |= bool(np.any(np.abs(got - share * problem.envelope) <= tol * self.mask.sum()))
        return b, int(self.mask.sum()) if b else 0

    def violation(self, problem: Problem, X: np.ndarray, cells: np.ndarray) -> float:
        total = super().violation(problem, X, cells)
        got = X[:, self.mask].sum(axis=1)
        if self.min_share is not None:
            total += float(np.maximum(self.min_share * problem.envelope - got, 0).sum())
        if self.max_share is not None:
            total += float(np.maximum(got - self.max_share * problem.envelope, 0).sum())
        return total

    def conflicts(
        self, problem: Problem, t: int, year: int, lo: np.ndarray, hi: np.ndarray, pool: float
    ) -> list[str]:
        if self.soft or self.min_share is None:
            return []
        out = []
        inside_hi = hi[t][self.mask].sum()
        outside_lo = lo[t][~self.mask].sum()
        want = self.min_share * pool
        if inside_hi < want:
            out.append(
                f"{year}: {self.label} needs {bn(want)} for its {int(self.mask.sum())} "
                f"units but their caps allow {bn(inside_hi)}"
            )
        if outside_lo > pool - want:
            out.append(
                f"{year}: {self.label} reserves {bn(want)} but the other units' floors "
                f"need {bn(outside_lo)} of the remaining {bn(pool - want)}"
            )
        return out

    @property
    def relax(self) -> str | None:
        return "down" if self.min_share is not None else None

    @property
    def main_value(self) -> float:
        return float(self.min_share) if self.min_share is not None else 0.0

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(
            self,
            min_share=None if self.min_share is None else min(1.0, self.min_share * theta),
            max_share=None if self.max_share is None else min(1.0, self.max_share * theta),
        )

    def repair(self, theta: float, path: str) -> Repair | None:
        if self.min_share is None:
            return None
        cur = self.min_share
        new = scale_value(cur, theta, down=True)
        return Repair(
            f"lower the minimum share of '{self.name}' to {new:.2%} (from {cur:.2%})",
            f"{path}.min_share",
            cur,
            new,
        )


@dataclass(eq=False)
class Earmark(Rule):
    """Sector earmark: Σ_i x[t, s, i] ≥ min_share × pool_t."""

    kind: ClassVar[str] = "earmark"
    relax_kind: ClassVar[str | None] = "down"
    sector: int = 0
    min_share: float = 0.0

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        return {"sector": ctx.sector_names.index(c.sector), "min_share": c.min_share}

    def cell_bounds(
        self, problem: Problem, b: Builder, *, elastic: bool
    ) -> list[tuple[str, np.ndarray]] | None:
        return None

    def rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        soft_cost = self.soft_cost(slack_cost)
        T = problem.T
        M = b.year_sum(mask=self.mask, sector=self.sector)
        rhs = self.min_share * problem.envelope / b.scale
        extra = []
        if soft_cost is not None:
            pool = problem.envelope / b.scale
            extra = b.slack(
                f"{self.name}:lower", T, soft_cost / np.maximum(rhs, SOFT_FLOOR * pool) / T
            )
        b.x_rows(f"{self.name}:lower", self.kind, self.name, -M, "le", -rhs, (T,), extra, sign=-1.0)

    def min_sector_share(self) -> tuple[int, float] | None:
        return self.sector, self.min_share

    def repair_cells(
        self,
        problem: Problem,
        out: np.ndarray,
        x: np.ndarray,
        cell_lo: np.ndarray,
        cell_hi: np.ndarray,
        u: float,
    ) -> np.ndarray:
        s = self.sector
        out = out.copy()
        x = np.round(x / u, 6) * u  # as in the rounding: solver noise must not decide a tie
        for t in range(out.shape[0]):
            need = problem.lower_whole(self.min_share * problem.envelope[t])
            steps = int(np.ceil(np.round((need - out[t, s, self.mask].sum()) / u, 6)))
            for _ in range(max(steps, 0)):
                # within one unit: move u from another sector (rounded up most) to sector s; only
                # units with another sector that can give u are candidates (else the loop stopped
                # at the first unit without one, leaving the earmark short)
                others_room = np.zeros(out.shape[2], dtype=bool)
                for k in range(out.shape[1]):
                    if k != s:
                        others_room |= out[t, k] - u >= cell_lo[t, k]
                room = self.mask & (out[t, s] + u <= cell_hi[t, s]) & others_room
                cand_i = np.where(room, x[t, s] - out[t, s], -np.inf)
                i = int(np.argmax(cand_i))
                if not np.isfinite(cand_i[i]):
                    break
                others = [
                    k
                    for k in range(out.shape[1])
                    if k != s and out[t, k, i] - u >= cell_lo[t, k, i]
                ]
                if not others:
                    break
                k = max(others, key=lambda k: out[t, k, i] - x[t, k, i])
                out[t, k, i] -= u
                out[t, s, i] += u
        return out

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        got = cells[:, self.sector, :][:, self.mask].sum(axis=1)
        need = problem.lower_whole(self.min_share * problem.envelope)
        add(f"{self.kind}: {self.name}", got < need, need - got, "sector below its earmark")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        tol = 0.5 * max(problem.unit, 1e-6)
        got = x[:, self.sector, :][:, self.mask].sum(axis=1)
        return bool(np.any(got - self.min_share * problem.envelope <= tol * problem.n)), 0

    def violation(self, problem: Problem, X: np.ndarray, cells: np.ndarray) -> float:
        got = cells[:, self.sector, :][:, self.mask].sum(axis=1)
        return float(np.maximum(np.floor(self.min_share * problem.envelope) - got, 0).sum())

    @property
    def main_value(self) -> float:
        return float(self.min_share)

    def scaled(self, problem: Problem, theta: float) -> Rule:
        return dataclasses.replace(self, min_share=self.min_share * theta)

    def repair(self, theta: float, path: str) -> Repair | None:
        cur = self.min_share
        new = scale_value(cur, theta, down=True)
        return Repair(
            f"lower the earmark '{self.name}' to {new:.2%} (from {cur:.2%})",
            f"{path}.min_share",
            cur,
            new,
        )


@dataclass(eq=False)
class SectorBounds(Rule):
    """Per-unit sector bounds relative to the sector gap: lo·G[t,s,i] ≤ x[t,s,i] ≤ hi·G[t,s,i]."""

    kind: ClassVar[str] = "sector_bounds"
    formula_ok: ClassVar[bool] = False
    sector: int = 0
    min_of_gap: float = 0.0
    max_of_gap: float | None = None

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        return {
            "sector": ctx.sector_names.index(c.sector),
            "min_of_gap": c.min_of_gap,
            "max_of_gap": c.max_of_gap,
        }

    def _cells(self, problem: Problem) -> np.ndarray:
        T, S, n = problem.T, problem.S, problem.n
        cells = np.arange(T * S * n)
        return self.mask[cells % n] & (((cells // n) % S) == self.sector)

    def cell_bounds(
        self, problem: Problem, b: Builder, *, elastic: bool
    ) -> list[tuple[str, np.ndarray]] | None:
        if elastic or self.soft:
            return None
        sel = self._cells(problem)
        Gs = b.sector_gap
        out = [("lower", np.where(sel, self.min_of_gap * Gs, np.nan))]
        if self.max_of_gap is not None:
            out.append(("upper", np.where(sel, self.max_of_gap * Gs, np.nan)))
        return out

    def rows(self, b: Builder, problem: Problem, slack_cost: float | None) -> None:
        soft_cost = self.soft_cost(slack_cost)
        idx = np.flatnonzero(self._cells(problem))
        Gs = b.sector_gap[idx]
        E = b.cell_select(idx)
        for side, mult in (("lower", self.min_of_gap), ("upper", self.max_of_gap)):
            if mult is None or (side == "lower" and mult == 0):
                continue
            sgn = -1.0 if side == "lower" else 1.0
            extra = []
            if soft_cost is not None:
                ref = np.maximum(mult * Gs, SOFT_FLOOR)
                extra = b.slack(f"{self.name}:{side}", idx.size, soft_cost / ref / idx.size)
            b.x_rows(
                f"{self.name}:{side}",
                self.kind,
                self.name,
                sgn * E,
                "le",
                sgn * mult * Gs,
                (idx.size,),
                extra,
                sign=sgn,
            )

    def sector_limits(self, problem: Problem, lo: np.ndarray, hi: np.ndarray) -> None:
        s = self.sector
        Gs = problem.gap[:, None, :] * problem.sector_share[None, :, None]
        lo[:, s, :] = np.where(
            self.mask, np.maximum(lo[:, s, :], self.min_of_gap * Gs[:, s, :]), lo[:, s, :]
        )
        if self.max_of_gap is not None:
            hi[:, s, :] = np.where(
                self.mask, np.minimum(hi[:, s, :], self.max_of_gap * Gs[:, s, :]), hi[:, s, :]
            )

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        label = f"{self.kind}: {self.name}"
        s = self.sector
        Gs = problem.gap * problem.sector_share[s]
        lo = problem.lower_whole(self.min_of_gap * Gs)
        bad = (cells[:, s, :] < lo) & self.mask[None, :]
        add(label + " (min)", bad, lo - cells[:, s, :], "sector below its bound")
        if self.max_of_gap is not None:
            hi = problem.upper_whole(self.max_of_gap * Gs)
            bad = (cells[:, s, :] > hi) & self.mask[None, :]
            add(label + " (max)", bad, cells[:, s, :] - hi, "sector above its bound")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        tol = 0.5 * max(problem.unit, 1e-6)
        s = self.sector
        Gs = problem.gap * problem.sector_share[s]
        xs = x[:, s, :]
        hit = (np.abs(xs - self.min_of_gap * Gs) <= tol) & (Gs > 0)
        if self.max_of_gap is not None:
            hit |= np.abs(xs - self.max_of_gap * Gs) <= tol
        hit &= self.mask[None, :]
        return bool(hit.any()), int(hit.any(axis=0).sum())


@dataclass(eq=False)
class MergerSupport(Rule):
    """One-off support per eliminated province and commune (NQ 76/2025/UBTVQH15), first year:
    paid inside the envelope (taken from the pool) or on top of it."""

    kind: ClassVar[str] = "merger_support"
    in_waterfall: ClassVar[bool] = False
    max_count: ClassVar[int | None] = 1
    placement: str = "on_top"
    amount: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) million VND

    @classmethod
    def _resolved(cls, c: Any, ctx: Context, mask: np.ndarray) -> dict[str, Any]:
        frame = ctx.frame
        amount = c.per_province * frame["eliminated_provinces"].to_numpy(dtype=float)
        amount += c.per_commune * frame["eliminated_communes"].to_numpy(dtype=float)
        eligible = mask & ((ctx.baseline > 0) if c.only_receiving else True)
        amount = np.where(eligible, amount, 0.0)
        amount = np.round(amount / ctx.unit) * ctx.unit
        return {"placement": c.placement, "amount": amount}

    def pool_effect(self) -> tuple[float, float]:
        total = self.amount.sum()
        return (total, 0.0) if self.placement == "inside" else (0.0, total)

    def support(self) -> np.ndarray | None:
        return self.amount

    def recheck(
        self, problem: Problem, X: np.ndarray, cells: np.ndarray, support: np.ndarray, add: Add
    ) -> None:
        d = np.abs(support[0] - self.amount)
        add(f"{self.kind}: {self.name}", d > 0, d, "support differs from the rule")

    def binding(self, problem: Problem, X: np.ndarray, x: np.ndarray) -> tuple[bool, int]:
        return bool(problem.support.sum() > 0), int((problem.support > 0).sum())

    def ledger_effect(self, codes: np.ndarray) -> tuple[float, list[str], list[str]] | None:
        benefits = codes[self.amount > 0].tolist()
        pays = [] if self.placement == "on_top" else ["all units (inside the envelope)"]
        return float(self.amount.sum()), benefits, pays


# ----------------------------------------------------------------------------- the registry

RULES: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (
        Floor,
        Cap,
        PerCapitaMin,
        GroupShare,
        MergerSupport,
        Transition,
        Earmark,
        SectorBounds,
    )
}

#: the flags of a unit held by a rule on its own amount (years_to_formula counts them)
HELD_FLAGS = ("at floor", "at cap", "at transition limit", "at per_capita_min")
