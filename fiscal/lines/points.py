"""``rule = "points"``: the public-investment plan's way of sharing capital (NQ 70/2025/
UBTVQH15: criteria × points → each unit's share of the envelope). Each ``[[lines.<name>.points]]``
gives an eligible unit points (:class:`fiscal.capital.Criterion`); the envelope (less the known
amounts) is shared in proportion to the points, by largest remainder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal import capital
from fiscal.lines.base import LineContext, LineRule, Shares, register, share_out
from fiscal.lines.priority import dependence

if TYPE_CHECKING:
    from fiscal.scenario_lines import Line

__all__ = ["Points", "points_of"]


def points_of(line: Line, ctx: LineContext, eligible: np.ndarray) -> dict[str, np.ndarray]:
    """(n,) points of each criterion (by its indicator) and their sum ("points"); 0 outside
    ``eligible``. The points are :func:`fiscal.capital.criterion_points`' (the five-year view's
    method); ``transfer_dependence`` is this result's balancing transfer over A
    (:func:`fiscal.lines.priority.dependence`)."""
    criteria = [
        capital.Criterion(
            c.name,
            c.indicator,
            c.base,
            c.threshold,
            c.step,
            c.per_step,
            tuple((float(lo), float(p)) for lo, p in c.bands),
        )
        for c in line.points or []
    ]
    ratio = dependence(ctx)
    derived = {} if ratio is None else {"transfer_dependence": ratio}
    table = capital.criterion_points(ctx.frame, criteria, eligible, derived)
    return {f"points.{c.indicator}": table[c.name].to_numpy() for c in criteria} | {
        "points": table["points"].to_numpy()
    }


@register
class Points(LineRule):
    """Claim = the unit's points; the envelope (less the known amounts) shared in proportion."""

    kind = "points"

    @classmethod
    def allocate(
        cls,
        line: Line,
        ctx: LineContext,
        eligible: np.ndarray,
        pinned: np.ndarray,
        known: np.ndarray,
    ) -> Shares:
        parts = points_of(line, ctx, eligible)
        amount = share_out(parts["points"], line, ctx, eligible, pinned, known)
        return Shares(amount, parts)
