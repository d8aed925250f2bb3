"""``rule = "fixed"``: the per-unit amounts of a decision (e.g. Decision 2639/QĐ-TTg's 27)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.errors import ModelError
from fiscal.lines.base import LineContext, LineRule, Shares, envelopes, register
from fiscal.prose.messages import Message

if TYPE_CHECKING:
    from fiscal.scenario_lines import Line

__all__ = ["Fixed"]


@register
class Fixed(LineRule):
    """Each listed unit gets its stated amount; the others nothing. A listed unit that is not
    eligible is an error (the decision and the eligibility disagree), and so is an envelope
    that the amounts do not add up to."""

    kind = "fixed"

    @classmethod
    def allocate(
        cls,
        line: Line,
        ctx: LineContext,
        eligible: np.ndarray,
        pinned: np.ndarray,
        known: np.ndarray,
    ) -> Shares:
        wrong = pinned & ~eligible
        if wrong.any():
            raise ModelError(
                Message(
                    "lines.not_eligible_listed",
                    where=ctx.where,
                    units=ctx.unit_names(wrong),
                    eligible=line.eligible,
                )
            )
        amount = np.where(pinned[None, :], known, 0.0)
        env = envelopes(line, ctx)
        if env is not None:
            off = np.abs(amount.sum(axis=1) - env) > 1e-6
            if off.any():
                t = int(np.argmax(off))
                raise ModelError(
                    Message(
                        "lines.fixed_sum",
                        where=ctx.where,
                        total=float(amount[t].sum()),
                        year=ctx.years[t],
                        envelope=float(env[t]),
                    )
                )
        return Shares(amount, {"stated": known[0] * pinned})
