"""``rule = "fixed"``: the per-unit amounts of a decision (e.g. Decision 2639/QĐ-TTg's 27)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.errors import ModelError
from fiscal.lines.base import LineContext, LineRule, Shares, envelopes, register

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
                f"{ctx.where}: {ctx.unit_names(wrong)} listed with an amount but not eligible "
                f"(eligible = '{line.eligible}'); the decision and the eligibility disagree"
            )
        amount = np.where(pinned[None, :], known, 0.0)
        env = envelopes(line, ctx)
        if env is not None:
            off = np.abs(amount.sum(axis=1) - env) > 1e-6
            if off.any():
                t = int(np.argmax(off))
                raise ModelError(
                    f"{ctx.where}: the listed amounts add up to {amount[t].sum():,.0f} million "
                    f"VND in {ctx.years[t]}, not the envelope {env[t]:,.0f}"
                )
        return Shares(amount, {"stated": known[0] * pinned})
