"""Priority within a line (``[lines.<name>.priority]``; issue 14 point 2): the national target
programmes' rule that central support goes only to localities receiving a balancing transfer,
with priority to those whose balancing transfer is ≥ 70 % of their spending (``../rules.md``
§4; mechanism.md §1.6: five programmes 2026–2030, 254,027 bn VND of central capital).

**Eligibility** is the line's own ``eligible`` (``"receiving"`` for a programme's line).

**Which spending.** The ratio is a unit's balancing transfer (the first year's, this result's
balancing line) over its **spending need A** (``spending_need``): the balanced local spending
from which the sharing rate and the balancing transfer are computed ("Chi cân đối NSĐP tính
tỷ lệ điều tiết, số bổ sung cân đối", mechanism.md §1.1). A receiving unit's transfer is
A − (B + C), so the ratio is the share of its balanced spending that the centre pays. Not total
resources (revenue kept + all lines): they hold the targeted lines themselves, this programme's
line among them, so the test would be circular and would change with the order of the lines;
and land-use fees and lottery, outside A, are earmarked for capital. The source does not name
its denominator; reading it as A is our inference (said in the docs and the explanations).

**How priority acts.** A unit whose ratio reaches ``threshold`` (default 0.70) has its claim on
the line — its points, its formula amount or its co-financed cost — counted × (1 + ``uplift``)
before the envelope is shared (:func:`fiscal.lines.base.share_out`); other eligible units count
× 1. How large the priority is, our sources do not say: ``uplift`` is illustrative, and a line
with a priority says so (``estimated``; its ``source`` says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fiscal.errors import ModelError
from fiscal.prose.messages import Message

if TYPE_CHECKING:
    from fiscal.lines.base import LineContext
    from fiscal.scenario_lines import Line

__all__ = ["NEED", "Priority", "assess", "dependence"]

#: the unit-table column of the spending need A, the ratio's denominator
NEED = "spending_need"


def dependence(ctx: LineContext) -> np.ndarray | None:
    """(n,) each unit's first-year balancing transfer over its spending need A (0 where A ≤ 0);
    None when the unit table has no A."""
    if NEED not in ctx.frame.columns:
        return None
    need = ctx.frame[NEED].to_numpy(dtype=float)
    return np.divide(ctx.balancing[0], need, out=np.zeros(ctx.n), where=need > 0)


@dataclass(frozen=True)
class Priority:
    """Who has priority on a line and by how much; (n,) arrays, million VND or fractions."""

    threshold: float
    uplift: float
    transfer: np.ndarray  # first-year balancing transfer
    need: np.ndarray  # spending need A
    ratio: np.ndarray  # transfer / A
    qualifies: np.ndarray  # bool: eligible and ratio ≥ threshold
    factor: np.ndarray  # 1 + uplift where it qualifies, else 1

    @property
    def parts(self) -> dict[str, np.ndarray]:
        """The figures behind it, as a line's parts (the tables, the workbook, Why)."""
        return {
            "priority.threshold": np.full(len(self.ratio), self.threshold),
            "priority.transfer": self.transfer,
            "priority.need": self.need,
            "priority.ratio": self.ratio,
            "priority.qualifies": self.qualifies.astype(float),
            "priority.factor": self.factor,
        }


def assess(line: Line, ctx: LineContext, eligible: np.ndarray) -> Priority | None:
    """The priority of ``line`` among its ``eligible`` units (None: the line has none)."""
    p = line.priority
    if p is None:
        return None
    ratio = dependence(ctx)
    if ratio is None:
        raise ModelError(Message("lines.priority_need", where=ctx.where))
    qualifies = np.asarray(eligible, dtype=bool) & (ratio >= p.threshold)
    return Priority(
        threshold=p.threshold,
        uplift=p.uplift,
        transfer=np.asarray(ctx.balancing[0], dtype=float),
        need=ctx.frame[NEED].to_numpy(dtype=float),
        ratio=ratio,
        qualifies=qualifies,
        factor=np.where(qualifies, 1.0 + p.uplift, 1.0),
    )
