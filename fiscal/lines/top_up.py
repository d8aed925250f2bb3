"""``rule = "top_up"``: each unit's shortfall against a hold-harmless reference and a minimum
per person, on its resources so far (revenue kept + the lines before this one), paid by the
line; an envelope caps it (claims above it are scaled down in proportion). Precedent: the 2025
estimate added 14,434.4 bn VND of targeted transfers so that no locality's 2025 balanced
spending fell below its 2023 level (NQ 160/2024/QH15, press; ``../rules.md`` §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fiscal.errors import ModelError
from fiscal.lines.base import LineContext, LineRule, Shares, envelopes, register
from fiscal.prose.messages import Message
from fiscal.rounding import largest_remainder

if TYPE_CHECKING:
    from fiscal.scenario_lines import Line

__all__ = ["TopUp", "requirement"]


def requirement(line: Line, ctx: LineContext) -> np.ndarray:
    """(n,) what each unit must have: max(ratio × reference, per_capita × population)."""
    need = np.zeros(ctx.n)
    if line.ratio is not None:
        if line.reference_column is not None:
            if line.reference_column not in ctx.frame:
                raise ModelError(
                    Message("lines.reference_column", where=ctx.where, column=line.reference_column)
                )
            ref = ctx.frame[line.reference_column].to_numpy(dtype=float)
        else:
            ref = ctx.result.problem.reference
            if ref is None:
                raise ModelError(Message("lines.top_up_reference", where=ctx.where))
            ref = np.asarray(ref, dtype=float)
        need = np.fmax(need, np.nan_to_num(line.ratio * ref, nan=0.0))
    if line.per_capita is not None:
        need = np.fmax(need, line.per_capita * ctx.population)
    return need


@register
class TopUp(LineRule):
    """Claim = max(requirement − resources so far, 0), in whole rounding units up (so that the
    requirement holds after rounding); with an envelope below the claims, the envelope shared
    in proportion to them. Known amounts are paid as stated, outside the claims."""

    kind = "top_up"

    @classmethod
    def allocate(
        cls,
        line: Line,
        ctx: LineContext,
        eligible: np.ndarray,
        pinned: np.ndarray,
        known: np.ndarray,
    ) -> Shares:
        required = requirement(line, ctx)
        free = eligible & ~pinned
        env = envelopes(line, ctx)
        out = np.zeros((ctx.T, ctx.n))
        before = ctx.kept + ctx.earlier
        claim0 = np.zeros(ctx.n)
        for t in range(ctx.T):
            out[t] = np.where(pinned, known[t], 0.0)
            short = np.maximum(required - before[t], 0.0)
            claim = np.where(free, np.ceil(np.round(short / ctx.unit, 6)) * ctx.unit, 0.0)
            if t == 0:
                claim0 = claim
            room = None if env is None else env[t] - out[t].sum()
            if room is not None and room < -1e-6:
                raise ModelError(
                    Message(
                        "lines.known_above",
                        where=ctx.where,
                        known=float(out[t].sum()),
                        envelope=float(room + out[t].sum()),
                        year=ctx.years[t],
                    )
                )
            if room is None or claim.sum() <= room:
                out[t] += claim
            elif room > 0:
                out[t] += largest_remainder(room * claim / claim.sum(), room, ctx.unit)
        parts = {"required": required, "resources_before": before[0], "shortfall": claim0}
        return Shares(out, parts)
