"""``rule = "cofinance"``: the central share of each unit's cost by its fiscal class (Decree
09/2025/NĐ-CP Art. 7.2: receiving 80 %, remitting ≤ 20 % 70 %, 20–60 % 50 %, others 0)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.lines.base import LineContext, LineRule, Shares, register, share_out
from fiscal.lines.formula import claims
from fiscal.sharing import CENTRAL_COFINANCING

if TYPE_CHECKING:
    from fiscal.scenario_lines import Line

__all__ = ["Cofinance", "central_shares"]


def central_shares(line: Line, ctx: LineContext) -> np.ndarray:
    """(n,) the central share of each unit's cost, by its fiscal class."""
    table = {**CENTRAL_COFINANCING, **line.central_share}
    return np.array([table[str(c)] for c in ctx.fiscal_class], dtype=float)


@register
class Cofinance(LineRule):
    """Claim = central share (by fiscal class) × cost (the criteria); with an envelope, the
    envelope (less the known amounts) shared in proportion to the claims."""

    kind = "cofinance"

    @classmethod
    def allocate(
        cls,
        line: Line,
        ctx: LineContext,
        eligible: np.ndarray,
        pinned: np.ndarray,
        known: np.ndarray,
    ) -> Shares:
        cost = claims(line, ctx)
        share = central_shares(line, ctx)
        raw = share * cost
        amount = share_out(raw, line, ctx, eligible, pinned, known)
        parts = {
            "cost": np.where(eligible, cost, 0.0),
            "central_share": share,
            "claim": np.where(eligible, raw, 0.0),
        }
        return Shares(amount, parts)
