"""``rule = "formula"``: Σ rate × indicator per unit (e.g. NQ 76/2025/UBTVQH15's 100 bn VND per
reduced province and 0.5 bn per reduced commune), scaled to the envelope when one is given."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal import needs
from fiscal.errors import ModelError, detail
from fiscal.lines.base import LineContext, LineRule, Shares, register, share_out
from fiscal.prose.messages import Message

if TYPE_CHECKING:
    from fiscal.scenario_lines import Line

__all__ = ["Formula", "claims"]


def claims(line: Line, ctx: LineContext) -> np.ndarray:
    """(n,) Σ_k rate_k × indicator_k × coefficient_k of each unit (million VND)."""
    try:
        return needs.criterion_amounts(ctx.frame, line.criteria).sum(axis=0)
    except ModelError as exc:
        raise ModelError(
            Message("lines.criteria_wrapped", where=ctx.where, detail=detail(exc))
        ) from None


@register
class Formula(LineRule):
    """Each eligible unit's formula amount; with an envelope, the envelope (less the known
    amounts) shared in proportion to it."""

    kind = "formula"

    @classmethod
    def allocate(
        cls,
        line: Line,
        ctx: LineContext,
        eligible: np.ndarray,
        pinned: np.ndarray,
        known: np.ndarray,
    ) -> Shares:
        raw = claims(line, ctx)
        amount = share_out(raw, line, ctx, eligible, pinned, known)
        return Shares(amount, {"formula": np.where(eligible, raw, 0.0)})
