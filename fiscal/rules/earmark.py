"""A sector earmark."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from fiscal.errors import Repair
from fiscal.prose.messages import Message
from fiscal.rules.base import (
    SOFT_FLOOR,
    Add,
    Context,
    Rule,
    scale_value,
)

if TYPE_CHECKING:
    from fiscal.builder import Builder
    from fiscal.problem import Problem

__all__ = ["Earmark"]


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

    def stage(self, problem: Problem) -> str | None:
        # a hard earmark constrains only how totals split by sector; a soft one trades against
        # the objective, which the stages cannot separate
        return None if self.soft else "split"

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
        """Raise the sector to its earmark by moving whole units between the sectors of a unit
        (unit totals stay as rounded). A move from the sector rounded up most in the unit
        rounded down most in sector s, as long as it leaves every other hard earmark that holds
        holding; else the shortest chain of moves that does (s takes from k in one unit, k from
        k' in another, ... down to a sector with room to give), found whenever one exists."""
        s = self.sector
        out = out.copy()
        x = np.round(x / u, 6) * u  # as in the rounding: solver noise must not decide a tie
        earmarks = [r for r in problem.hard_rules if isinstance(r, Earmark)]
        for t in range(out.shape[0]):
            need = problem.lower_whole(self.min_share * problem.envelope[t])
            steps = int(np.ceil(np.round((need - out[t, s, self.mask].sum()) / u, 6)))
            for _ in range(max(steps, 0)):
                lo, hi = cell_lo[t], cell_hi[t]
                moves = self._nearest_move(out[t], x[t], lo, hi, u)
                if moves is None or not _keeps(earmarks, problem, t, out[t], moves, lo, hi, u):
                    moves = self._chain(earmarks, problem, t, out[t], x[t], lo, hi, u)
                if moves is None:
                    break  # no whole-unit split meets the earmark: the re-check says so
                for i, k, j in moves:
                    out[t, k, i] -= u
                    out[t, j, i] += u
        return out

    def _nearest_move(
        self, c: np.ndarray, x: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: float
    ) -> list[tuple[int, int, int]] | None:
        """One move (unit, from sector, to s): the unit rounded down most in s among those with
        another sector that can give u, from its sector rounded up most; None if none."""
        s = self.sector
        others_room = np.zeros(c.shape[1], dtype=bool)
        for k in range(c.shape[0]):
            if k != s:
                others_room |= c[k] - u >= lo[k]
        room = self.mask & (c[s] + u <= hi[s]) & others_room
        cand_i = np.where(room, x[s] - c[s], -np.inf)
        i = int(np.argmax(cand_i))
        if not np.isfinite(cand_i[i]):
            return None
        others = [k for k in range(c.shape[0]) if k != s and c[k, i] - u >= lo[k, i]]
        k = max(others, key=lambda k: c[k, i] - x[k, i])
        return [(i, k, s)]

    def _chain(
        self,
        earmarks: list[Earmark],
        problem: Problem,
        t: int,
        c: np.ndarray,
        x: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        u: float,
    ) -> list[tuple[int, int, int]] | None:
        """The shortest chain of moves (unit, from, to) that gives sector s one more u inside
        its units and leaves every other hard earmark that holds holding (a breadth-first
        search over the sectors: an augmenting path of the flow from units to sectors), or
        None."""
        S = c.shape[0]
        s = self.sector
        held = [(e, _total(e, c), _need(e, problem, t)) for e in earmarks]
        may_take = {s: self.mask}  # sector → the units where it may take u (keeps its earmarks)
        came_from: dict[int, tuple[int, int]] = {}  # sector → (sector it gave to, unit)
        queue = [s]
        while queue:
            a = queue.pop(0)
            for b in range(S):
                if b in may_take:
                    continue
                ok = may_take[a] & (c[b] - u >= lo[b]) & (c[a] + u <= hi[a])
                if not ok.any():
                    continue
                # units where b can give u without an earmark of b falling short
                tight = [e for e, got, need in held if e.sector == b and got - u < need <= got]
                free = ok & ~np.logical_or.reduce([e.mask for e in tight] or [np.zeros_like(ok)])
                pick = free if free.any() else ok
                prio = np.where(pick, (x[a] - c[a]) + (c[b] - x[b]), -np.inf)
                i = int(np.argmax(prio))
                came_from[b] = (a, i)
                if free.any():
                    moves, node = [], b
                    while node != s:
                        to, unit = came_from[node]
                        moves.append((unit, node, to))
                        node = to
                    moves.reverse()
                    return moves if _keeps(earmarks, problem, t, c, moves, lo, hi, u) else None
                # b gives u in unit i and must take u back inside its tight earmarks' units
                may_take[b] = np.logical_and.reduce([e.mask for e in tight if e.mask[i]])
                queue.append(b)
        return None

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
            Message("repair.earmark", rule=self.term, new=new, current=cur),
            f"{path}.min_share",
            cur,
            new,
        )


def _need(e: Earmark, problem: Problem, t: int) -> float:
    return float(problem.lower_whole(e.min_share * problem.envelope[t]))


def _total(e: Earmark, c: np.ndarray) -> float:
    return float(c[e.sector, e.mask].sum())


def _keeps(
    earmarks: list[Earmark],
    problem: Problem,
    t: int,
    c: np.ndarray,
    moves: list[tuple[int, int, int]],
    lo: np.ndarray,
    hi: np.ndarray,
    u: float,
) -> bool:
    """Whether ``moves`` keep every cell (S, n) within its bounds and every hard earmark that
    holds in year ``t`` holding."""
    after = c.copy()
    for i, k, j in moves:
        after[k, i] -= u
        after[j, i] += u
    touched = [(k, i) for i, k, _ in moves] + [(j, i) for i, _, j in moves]
    if any(after[k, i] < lo[k, i] or after[k, i] > hi[k, i] for k, i in touched):
        return False
    return all(
        _total(e, after) >= _need(e, problem, t)
        for e in earmarks
        if _total(e, c) >= _need(e, problem, t)
    )
