"""Bounds on each unit's amount, shared by floors, caps, per-capita minimums and transition limits
(on a unit's transfer or on its resources: see :mod:`fiscal.rules.base`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import ModelError, Repair
from fiscal.grid import lower_grid, upper_grid
from fiscal.prose.messages import Message, Term
from fiscal.rules.base import (
    SOFT_FLOOR,
    Add,
    Context,
    Rule,
    per_year,
    scale_value,
)

if TYPE_CHECKING:
    from fiscal.builder import Builder
    from fiscal.problem import Problem

__all__ = ["RatioBound", "UnitBound"]


@dataclass(eq=False)
class UnitBound(Rule):
    """A bound on each unit's amount: a bound on its cells when it fits, else rows."""

    unit_bound: ClassVar[bool] = True

    def stage(self, problem: Problem) -> str | None:
        # a soft bound's priced slack gives the two stages' tie-breaks different tolerances
        # (a generated case moved 0.55 of 460,000 within the guard): the full LP decides
        return None if self.soft else "total"

    def direct_ok(self, problem: Problem) -> bool:
        # a soft bound is a priced row; one that follows last year's amount couples years
        return not self.soft and not (self.follows_years and problem.T > 1)

    def rate_bounds(self) -> list[tuple[str, str, np.ndarray]] | None:
        out = []
        for side, arr in (("lower", self.lower), ("upper", self.upper)):
            if arr is None:
                continue
            if self.target is not None:
                out.append((side, "resources", self.target[0]))
            else:
                out.append((side, "transfer", arr[0]))
        return out

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
class RatioBound(UnitBound):
    """A bound at ratio_t × reference_i (floors and caps): on the transfer, X ≥ ratio × X⁰; on
    resources, K + X ≥ ratio × reference, written on X as ratio × reference − K."""

    bases: ClassVar[tuple[str, ...]] = ("transfer", "resources", "predecessors")
    sweep_fields: ClassVar[tuple[str, ...]] = ("ratio",)
    ratio: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,)
    reference: np.ndarray | None = field(default=None, repr=False)  # (T, n)
    offset: np.ndarray | None = field(default=None, repr=False)  # (T, n): K on resources, else 0

    @property
    def main_value(self) -> float:
        return float(np.asarray(self.ratio).ravel()[0])

    @classmethod
    def bound_fields(cls, c: Any, ctx: Context, mask: np.ndarray, lower: bool) -> dict[str, Any]:
        """The resolved fields of a floor (``lower``) or cap on its base."""
        base = cls.base_of(c)
        ratio = per_year(c.ratio, ctx.T)
        ref, off = ctx.reference_of(base, Term(c.name, getattr(c, "name_vi", "") or None))
        unknown = mask & np.isnan(ref[0])
        if unknown.any():
            codes = ctx.frame["code"].astype(str).to_numpy()[unknown][:5].tolist()
            raise ModelError(
                Message("rule.no_predecessors", rule=Term(c.name, c.name_vi or None), units=codes)
            )
        target = ratio[:, None] * ref
        grid = lower_grid if lower else upper_grid
        bound = grid(np.maximum(target - off, 0.0), ctx.unit, ctx.strict)
        out: dict[str, Any] = {
            "ratio": ratio,
            "lower" if lower else "upper": np.where(mask[None, :], bound, np.nan),
        }
        if base != "transfer":
            out.update(
                target=np.where(mask[None, :], target, np.nan),
                reference=np.asarray(ref, dtype=float),
                offset=np.asarray(off, dtype=float),
            )
        return out

    def _exact(self, problem: Problem, theta: float) -> np.ndarray:
        ref: np.ndarray = problem.baseline[None, :]
        off: np.ndarray | float = 0.0
        if self.reference is not None and self.offset is not None:
            ref, off = self.reference, self.offset
        amount = np.maximum(self.ratio[:, None] * theta * ref - off, 0.0)
        return np.where(self.mask[None, :], amount, np.nan)

    def scaled_target(self, theta: float) -> np.ndarray | None:
        """The bound on the base amount with the ratio × θ (None on the transfer)."""
        return None if self.target is None else self.target * theta

    def repair(self, theta: float, path: str) -> Repair | None:
        down = self.relax == "down"
        cur = self.constraint.ratio if self.constraint is not None else self.ratio.tolist()
        new = scale_value(cur, theta, down=down)
        return Repair(
            Message(
                "repair.lower_ratio" if down else "repair.raise_ratio",
                kind=self.kind,
                rule=self.term,
                new=new,
                current=cur,
            ),
            f"{path}.ratio",
            cur,
            new,
        )
