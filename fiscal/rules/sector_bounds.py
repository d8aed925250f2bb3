"""Per-unit sector bounds relative to the sector gap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.rules.base import (
    SOFT_FLOOR,
    Add,
    Context,
    Rule,
)

if TYPE_CHECKING:
    from fiscal.builder import Builder
    from fiscal.problem import Problem

__all__ = ["SectorBounds"]


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
