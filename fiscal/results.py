"""Results: rounding to the scenario's unit, the independent re-check, and the Result object.

Bounds are stated in whole rounding units, as in a budget table: a lower bound (floor, minimum,
share) is the largest whole amount not above the exact one, an upper bound (cap) the smallest not
below it — a floor of 97 % of 1,515,759 is 1,470,286 at a unit of 1 million VND. Rounding can
then always keep every bound of a feasible allocation.

Rounding: each year's unit amounts are rounded by largest remainder to the envelope, inside the
hard bounds (and the transition band around last year's *rounded* amount), then each unit's amount is split by sector the same way; rules that couple units
(group shares, earmarks) are then repaired by moving whole units of money between the amounts
that rounding moved most. Totals reconcile exactly.

Re-check: :func:`recheck` recomputes every hard rule from the result table with numpy — not
from the solver's view of the model — and a result that fails it is never reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal import mechanism, metrics
from fiscal.errors import SolverError
from fiscal.flags import HELD, Flag, FlagMark, Flags
from fiscal.problem import Problem, Rule
from fiscal.prose.messages import Message
from fiscal.prose.words import flag_column
from fiscal.rounding import largest_remainder, largest_remainder_rows

if TYPE_CHECKING:
    from fiscal.formula import FormulaResult
    from fiscal.lines import Budget
    from fiscal.lp import LinearProgram, Solution
    from fiscal.reference import Reference
    from fiscal.scenario import Scenario
    from fiscal.waterfall import Stage, Waterfall

__all__ = [
    "Check",
    "Result",
    "build_table",
    "finalize",
    "finalize_parts",
    "recheck",
    "unit_flags",
    "round_allocation",
    "sharing_classes",
    "table_columns",
]


@dataclass(frozen=True)
class Check:
    """One rule of the re-check: what was checked, whether it held, and the worst case."""

    name: str
    ok: bool
    detail: str


# ----------------------------------------------------------------------------- rounding


def _hard_bounds(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = problem.bounds(include_soft=False)
    return problem.lower_whole(lo), problem.upper_whole(hi)


def round_allocation(problem: Problem, x: np.ndarray) -> np.ndarray:
    """Round cell amounts x (T, S, n) to the rounding unit; returns the rounded cells."""
    T, S, n = x.shape
    u = problem.unit
    lo_all, hi_all = _hard_bounds(problem)
    cell_lo, cell_hi = _sector_cell_bounds(problem)
    if S > 1:
        # a unit's total must leave room for its sectors' whole-unit bounds, or the split
        # below cannot be rounded (CBC's nine digits at 1e9 units left a total one unit short)
        lo_all = np.fmax(lo_all, cell_lo.sum(axis=1))
        hi_all = np.fmin(hi_all, cell_hi.sum(axis=1))
    # a solver's value may sit a tolerance outside a bound (CBC's ~1e-7 at amounts of 1e8):
    # put every amount inside its whole-unit bounds first
    x = np.clip(x, cell_lo, cell_hi)
    X = np.clip(x.sum(axis=1), lo_all, hi_all)
    R = np.zeros_like(X)
    hard = problem.hard_rules
    for t in range(T):
        lo, hi = lo_all[t].copy(), hi_all[t].copy()
        if t > 0:
            for r in hard:
                band = r.rounding_band(problem, R[t - 1], t)
                if band is not None:
                    lo = np.where(r.mask, np.fmax(lo, band[0]), lo)
                    hi = np.where(r.mask, np.fmin(hi, band[1]), hi)
        # the rounded amount must sit inside the bounds, and stays within one unit of x; an
        # at_most total never exceeds the envelope nor what the bounds allow
        Xt = np.clip(X[t], lo, hi)
        if problem.mode == "equal":
            total = float(problem.envelope[t])
        else:
            most = min(
                float(problem.envelope[t]),
                float(np.floor(np.round(np.sum(hi) / u, 6)) * u)
                if np.isfinite(hi).all()
                else np.inf,
            )
            total = min(_whole_total(float(Xt.sum()), u), most)
            total = max(total, float(np.sum(lo)))
            # the minimum shares of the pool must still fit (a group's; the sectors' earmarks,
            # which add up): the amounts rounded down (Xt clipped to a transition band around
            # last year's rounded amounts) can sum to less
            least = max((r.rounding_minimum(problem, t, lo) for r in hard), default=0.0)
            total = max(total, min(max(least, _earmarked(problem, hard, t)), most))
        R[t] = largest_remainder(Xt, total, u, lower=lo, upper=hi)
        for r in hard:
            R[t] = r.repair_year(problem, R[t], Xt, float(problem.envelope[t]), lo, hi, u)
    if S == 1:
        return R[:, None, :]
    # each unit's rounded amount split by sector in proportion to its cells (all units at once)
    pos = X[:, None, :] > 0
    split = np.where(pos, x * (R / np.where(X > 0, X, 1.0))[:, None, :], (R / S)[:, None, :])

    def rows(a: np.ndarray) -> np.ndarray:  # (T, S, n) -> one row per (year, unit)
        return a.transpose(0, 2, 1).reshape(T * n, S)

    out = largest_remainder_rows(rows(split), R.ravel(), u, rows(cell_lo), rows(cell_hi))
    out = np.ascontiguousarray(out.reshape(T, n, S).transpose(0, 2, 1))
    for r in hard:
        out = r.repair_cells(problem, out, x, cell_lo, cell_hi, u)
    return out


def _whole_total(total: float, u: float) -> float:
    """An ``at_most`` year's total in whole units: the unit below ``total``, or the one above it
    if ``total`` is within the solvers' precision of it (10⁻⁹ of the total: each amount carries
    about that much, CBC's printed digits even after polishing), never less than 10⁻⁶ unit."""
    k = float(np.floor(np.round(total / u, 6)))
    if (k + 1.0) * u - total <= 1e-9 * abs(total):
        k += 1.0
    return k * u


def _earmarked(problem: Problem, hard: list[Rule], t: int) -> float:
    """Σ over sectors of the largest share of year ``t``'s pool a hard rule earmarks for it."""
    share: dict[int, float] = {}
    for r in hard:
        earmark = r.min_sector_share()
        if earmark is not None:
            share[earmark[0]] = max(share.get(earmark[0], 0.0), earmark[1])
    return float(sum(problem.lower_whole(s * problem.envelope[t]) for s in share.values()))


def _sector_cell_bounds(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    T, S, n = problem.T, problem.S, problem.n
    lo = np.zeros((T, S, n))
    hi = np.full((T, S, n), np.inf)
    for r in problem.hard_rules:
        r.sector_limits(problem, lo, hi)
    return problem.lower_whole(lo), problem.upper_whole(hi)


# ----------------------------------------------------------------------------- re-check


def recheck(
    problem: Problem, table: pd.DataFrame | Mapping[str, Any], cells: np.ndarray
) -> list[Check]:
    """Recompute every hard rule from the result table (rounded amounts) with numpy.

    Amounts are whole rounding units, so every comparison is exact: lower bounds are taken down
    to the unit and upper bounds up (see the module docstring).
    """
    T, n = problem.T, problem.n
    u = problem.unit
    X = np.asarray(table["transfer"], dtype=float).reshape(T, n)
    checks: list[Check] = []

    def add(name: str, viol: np.ndarray, amount: np.ndarray, what: str) -> None:
        worst = float(np.max(np.where(viol, amount, -np.inf))) if viol.any() else 0.0
        ok = not bool(viol.any())
        detail = (
            "holds"
            if ok
            else f"{int(viol.sum())} case(s) broken, worst by {worst:,.3f} million VND ({what})"
        )
        checks.append(Check(name, ok, detail))

    add("non-negative", X < 0, -X, "negative transfer")
    add(
        "whole rounding units",
        np.abs(X / u - np.round(X / u)) > 1e-9,
        np.abs(X / u - np.round(X / u)),
        "amount not a multiple of the rounding unit",
    )
    sums = X.sum(axis=1)
    if problem.mode == "equal":
        diff = np.abs(sums - problem.envelope)
        add("envelope", diff > 0, diff, "total differs from the envelope")
    else:
        add(
            "envelope", sums > problem.envelope, sums - problem.envelope, "total above the envelope"
        )
    support = np.asarray(table["merger_support"], dtype=float).reshape(T, n)
    alloc = np.asarray(table["allocation"], dtype=float).reshape(T, n)
    d = np.abs(alloc - X - support)
    add("allocation = transfer + support", d > 0, d, "columns do not add up")
    for r in problem.hard_rules:
        r.recheck(problem, X, cells, support, add)
    mechanism.recheck(problem, X, add)
    cell_sum = np.abs(cells.sum(axis=1) - X)
    add("sectors add up to the transfer", cell_sum > 0, cell_sum, "sector split does not add up")
    return checks


# ----------------------------------------------------------------------------- the result


@dataclass
class Result:
    """Everything one run produces. ``table`` has one row per unit and year."""

    scenario: Scenario
    problem: Problem
    table: pd.DataFrame
    cells: np.ndarray  # rounded (T, S, n), million VND
    exact: np.ndarray  # unrounded (T, S, n) as solved
    objective: float | None
    objective_kind: str
    checks: list[Check]
    status: str = "optimal"
    backend: str = "formula"
    runtime: dict[str, float] = field(default_factory=dict)
    duals: dict[str, Any] = field(default_factory=dict)  # the solve's phases, for diagnostics
    lp: LinearProgram | None = None  # the model solved (None for the formula)
    solution: Solution | None = None
    formula_parts: FormulaResult | None = None  # the formula objective's decomposition
    provenance: dict[str, Any] = field(default_factory=dict)
    children: list[Result] = field(default_factory=list)  # per-province runs of a commune run
    #: revenue kept + every transfer line, with the whole-budget rules' checks, for a scenario
    #: with [lines.<name>] or [[budget_rules]] (fiscal.lines); None otherwise
    budget: Budget | None = None

    @property
    def illustrative(self) -> bool:
        """True when illustrative (estimated) figures are in use."""
        return self.problem.units.illustrative

    @property
    def years(self) -> list[int]:
        return self.problem.years

    @property
    def method(self) -> str:
        """How the allocation was found: "formula", "direct" (the LP's optimum and tie-break
        without an LP, :mod:`fiscal.fastpath`), "staged" (unit totals, then their split by
        sector, :mod:`fiscal.staged`) or "lp"."""
        if self.objective_kind == "formula":
            return "formula"
        parts = self.children or [self]
        phases = [p for part in parts for p in part.duals.get("phases", [])]
        if phases and all(p["phase"] == "direct" for p in phases):
            return "direct"
        if any(p["phase"] == "split" for p in phases):
            return "staged"
        return "lp"

    @property
    def total(self) -> float:
        return float(self.table["allocation"].sum())

    def year_table(self, year: int | None = None) -> pd.DataFrame:
        """The rows of one year (the first by default)."""
        year = self.years[0] if year is None else year
        return self.table[self.table["year"] == year].reset_index(drop=True)

    @cached_property
    def flags(self) -> Flags:
        """Which bound holds each unit and year, as codes (the masks behind ``table["flags"]``)."""
        X = self.cells.sum(axis=1)
        return unit_flags(self.problem, X)

    @cached_property
    def metrics(self) -> dict[str, float]:
        """Equity and protection metrics of the first year (see :mod:`fiscal.metrics`)."""
        return metrics.summary(self)

    @cached_property
    def constraints(self) -> pd.DataFrame:
        """The constraint ledger: binding or not, dual, cost, who benefits and who pays."""
        from fiscal.ledger import ledger  # start-up: explanations load the solvers (SciPy, HiGHS)

        if self.children:
            parts = []
            for child in self.children:
                led = child.constraints.copy()
                led.insert(0, "province", str(child.table["parent"].iat[0]))
                parts.append(led)
            return pd.concat(parts, ignore_index=True)
        return ledger(self)

    def child_for(self, code: str) -> Result:
        """The per-province result holding unit ``code`` (self when not a combined run)."""
        if not self.children:
            return self
        for child in self.children:
            if str(code) in set(map(str, child.problem.codes)):
                return child
        return self

    @cached_property
    def reference(self) -> Reference:
        """This result's problem as HiGHS solves it (what explanations and exports use; see
        :func:`fiscal.reference.reference`): itself for a HiGHS result, one solve for PuLP or
        the direct solvers."""
        from fiscal.reference import reference  # start-up: the solve loads HiGHS

        return reference(self)

    @cached_property
    def stages(self) -> list[Stage]:
        """Every unit's amounts after each waterfall step (one re-solve per rule)."""
        from fiscal.waterfall import stages  # start-up: explanations load the solvers

        return stages(self)

    def explain(self, code: str, year: int | None = None) -> Waterfall:
        """The waterfall of one unit (see :func:`fiscal.waterfall.waterfall`)."""
        from fiscal.waterfall import waterfall  # start-up: explanations load the solvers

        return waterfall(self.child_for(code), code, year)

    def sector_table(self) -> pd.DataFrame:
        """Long table: year, code, sector, amount (million VND)."""
        T, S, n = self.cells.shape
        return pd.DataFrame(
            {
                "year": np.repeat(self.years, S * n),
                "code": np.tile(self.problem.codes, T * S),
                "sector": np.tile(np.repeat(self.problem.sectors, n), T),
                "amount": self.cells.ravel(),
            }
        )


def build_table(problem: Problem, cells: np.ndarray, exact: np.ndarray) -> pd.DataFrame:
    """The result table (one row per unit and year) from rounded cells."""
    # one constructor call: inserting columns one by one is slower
    return pd.DataFrame(table_columns(problem, cells))


def table_columns(problem: Problem, cells: np.ndarray) -> dict[str, Any]:
    """The result table's columns (arrays year-major, or one value for every row)."""
    T, S, n = cells.shape
    f = problem.frame
    X = cells.sum(axis=1)
    support = np.zeros((T, n))
    support[0] = problem.support
    alloc = X + support
    F = problem.pure_formula()
    rep = lambda a: np.tile(np.asarray(a), T)  # noqa: E731
    # one-off merger support pays merger costs: it is not counted against need
    resources = problem.capacity + X
    base = problem.baseline[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(base > 0, (alloc - base) / base, np.nan)
    columns: dict[str, Any] = {
        "year": np.repeat(problem.years, n),
        "code": rep(f["code"]),
        "name": rep(f["name"]),
    }
    if "parent" in f:
        columns["parent"] = rep(f["parent"])
    columns.update(
        {
            "region": rep(f["region"]),
            "merged": rep(f["merged"]) if "merged" in f else "",
            "population": rep(problem.population),
            "baseline": rep(problem.baseline),
            "need": problem.need.ravel(),
            "capacity": problem.capacity.ravel(),
            "gap": problem.gap.ravel(),
            "formula": F.ravel(),
            "transfer": X.ravel(),
            "merger_support": support.ravel(),
            "allocation": alloc.ravel(),
            "resources": resources.ravel(),
            "per_capita": (resources / problem.population[None, :]).ravel(),
            "change": (alloc - base).ravel(),
            "change_pct": change_pct.ravel(),
            "share_of_need": (resources / problem.need).ravel(),
        }
    )
    state = problem.sharing
    if state is not None:  # one year (see Scenario): the A/B/C mechanism's columns
        columns.update(
            {
                "revenue_local": state.local,
                "revenue_shared": state.shared,
                "sharing_rate": state.rate,
                "formula_rate": state.formula_rate,
                "remitted": state.remitted,
                "fiscal_class": sharing_classes(state.rate, X[0]),
            }
        )
        if state.reference is not None:
            columns["predecessor_resources"] = state.reference
    if S > 1:
        for s, name in enumerate(problem.sectors):
            columns[f"sector:{name}"] = cells[:, s, :].ravel()
    flags = unit_flags(problem, X)
    columns["flags"] = flag_column(flags)  # the codes in words, so that exports stay readable
    columns["estimated"] = rep(f["estimated"]) if "estimated" in f else ""
    if T > 1:
        columns["years_to_formula"] = np.tile(_years_to_formula(flags), T)
    return columns


def sharing_classes(rate: np.ndarray, transfer: np.ndarray) -> np.ndarray:
    """Fiscal class of each unit from its rate and its (rounded) balancing transfer."""
    from fiscal.sharing import classify

    return classify(rate, transfer)


def unit_flags(problem: Problem, X: np.ndarray) -> Flags:
    """Which bounds each unit's (rounded) amount X (T, n) sits on, within two rounding units:
    each rule's marks in the rules' order, then the units with merger support."""
    T, n = X.shape
    marks: list[FlagMark] = []
    tol = 2 * problem.unit
    for r in problem.rules:

        def mark(hit: np.ndarray, flag: Flag, r: Rule = r) -> None:
            marks.append(FlagMark(flag, r.kind, r.name, np.asarray(hit, dtype=bool)))

        r.flags(problem, X, mark, tol)
    if problem.support.any():
        where = np.zeros((T, n), dtype=bool)
        where[0] = problem.support != 0
        marks.append(FlagMark(Flag.SUPPORT, "", "", where))
    return Flags((T, n), tuple(marks))


def _years_to_formula(flags: Flags) -> np.ndarray:
    """Years until a unit is no longer held by a floor, cap, minimum or transition limit.

    From that year on the unit receives its unconstrained amount (under the formula: its formula
    amount, scaled like every free unit). 1 = free from the first year; NaN = still held in the
    last year of the horizon.
    """
    T, n = flags.shape
    held = flags.mask(*HELD)
    last = T - 1 - np.argmax(held[::-1], axis=0)  # last year held (where ever held)
    return np.where(~held.any(axis=0), 1.0, np.where(last < T - 1, last + 2.0, np.nan))


def finalize(problem: Problem, x: np.ndarray, **kw: Any) -> Result:
    """Round, tabulate and re-check; raises SolverError if the re-check fails."""
    cells = round_allocation(problem, x)
    table = build_table(problem, cells, x)
    checks = _checked(problem, table, cells)
    return Result(problem.scenario, problem, table, cells, x, checks=checks, **kw)


def _checked(
    problem: Problem, table: pd.DataFrame | Mapping[str, Any], cells: np.ndarray
) -> list[Check]:
    checks = recheck(problem, table, cells)
    failed = [c for c in checks if not c.ok]
    if failed:
        raise SolverError(
            Message("solver.recheck", failed="; ".join(f"{c.name}: {c.detail}" for c in failed))
        )
    return checks


def finalize_parts(
    problems: list[Problem], xs: list[np.ndarray], kws: list[dict[str, Any]]
) -> tuple[list[Result], pd.DataFrame]:
    """:func:`finalize` for the parts of one run (the provinces of a national commune run):
    each part rounded and re-checked on its own, their rows in one table (year-major: each
    year's rows part after part, as the parts' own tables concatenated and sorted by year), and
    each part's table taken from it. Returns the parts' results and the table."""
    T = problems[0].T
    parts = []
    for problem, x in zip(problems, xs, strict=True):
        cells = round_allocation(problem, x)
        columns = table_columns(problem, cells)
        checks = _checked(problem, columns, cells)
        parts.append((cells, columns, checks))
    sizes = np.array([p.n for p in problems])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    total = int(sizes.sum())
    names = list(parts[0][1])

    def rows(value: Any, n: int) -> np.ndarray:
        return np.asarray(value) if np.ndim(value) else np.full(T * n, value, dtype=object)

    table = pd.DataFrame(
        {
            name: np.concatenate(
                [
                    rows(columns[name], n).reshape(T, n)
                    for (_, columns, _), n in zip(parts, sizes, strict=True)
                ],
                axis=1,
            ).ravel()
            for name in names
        }
    )
    results = []
    for problem, x, kw, (cells, _, checks), start, n in zip(
        problems, xs, kws, parts, starts, sizes, strict=True
    ):
        idx = (np.arange(T)[:, None] * total + start + np.arange(n)[None, :]).ravel()
        own = table.take(idx).reset_index(drop=True)
        results.append(Result(problem.scenario, problem, own, cells, x, checks=checks, **kw))
    return results, table
