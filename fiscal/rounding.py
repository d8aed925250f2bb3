"""Rounding amounts to a unit so that totals reconcile exactly and no bound is broken.

The largest-remainder method (Hamilton): round every amount down to the unit, then give one more
unit to the amounts with the largest remainders until the total is met. Bounds (floors, caps)
are honoured after rounding: an amount may not round below ``ceil(lower)`` nor above
``floor(upper)``. Ties are broken by position (tables are sorted by unit code), so the result
is deterministic.
"""

from __future__ import annotations

import numpy as np

from fiscal.errors import ModelError
from fiscal.prose.messages import Message

__all__ = ["largest_remainder", "largest_remainder_rows"]

_SNAP = 6  # decimals (of the unit) kept before rounding: absorbs solver noise below 1e-6 unit


def largest_remainder(
    values: np.ndarray,
    total: float,
    unit: float = 1.0,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
) -> np.ndarray:
    """Round ``values`` to multiples of ``unit`` summing exactly to ``total``.

    >>> largest_remainder(np.array([1.5, 1.5, 1.0]), 4).tolist()
    [2.0, 1.0, 1.0]
    """
    values = np.asarray(values, dtype=float)
    steps_total = total / unit
    if abs(steps_total - round(steps_total)) > 1e-9 * max(1.0, abs(steps_total)):
        raise ModelError(Message("round.not_multiple", total=float(total), unit=unit))
    target = int(round(steps_total))
    q = np.round(values / unit, _SNAP)
    lo = np.full(q.shape, -np.inf) if lower is None else np.ceil(np.round(lower / unit, _SNAP))
    hi = np.full(q.shape, np.inf) if upper is None else np.floor(np.round(upper / unit, _SNAP))
    if np.any(lo > hi):
        i = int(np.argmax(lo > hi))
        raise ModelError(
            Message(
                "round.crossed",
                i=i,
                lower=float(lo[i] * unit),
                upper=float(hi[i] * unit),
                unit=unit,
            )
        )
    r = np.clip(np.floor(q), lo, hi)
    short = target - int(r.sum())
    # priority: how far the rounded value is below the exact one (largest first)
    while short != 0:
        if short > 0:
            room = r < hi
            prio = np.where(room, q - r, -np.inf)
            order = np.argsort(-prio, kind="stable")
            k = min(short, int(room.sum()))
            if k == 0:
                break
            r[order[:k]] += 1
            short -= k
        else:
            room = r > lo
            prio = np.where(room, q - r, np.inf)
            order = np.argsort(prio, kind="stable")
            k = min(-short, int(room.sum()))
            if k == 0:
                break
            r[order[:k]] -= 1
            short += k
    if short != 0:
        raise ModelError(
            Message(
                "round.caps_short" if short > 0 else "round.floors_over",
                unit=unit,
                total=float(total),
                short=abs(short),
            )
        )
    return r * unit


def largest_remainder_rows(
    values: np.ndarray,
    totals: np.ndarray,
    unit: float = 1.0,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`largest_remainder` of every row of ``values`` (m, k) to its total, at once.

    The same result, row by row, as the one-row function (same priorities, same ties, the same
    error for the first row that cannot be rounded), with numpy over all rows instead of a
    Python loop: a commune model splits tens of thousands of unit amounts into sectors.
    """
    values = np.asarray(values, dtype=float)
    totals = np.asarray(totals, dtype=float)
    m, k = values.shape
    steps = totals / unit
    target = np.round(steps)
    q = np.round(values / unit, _SNAP)
    lo = np.full(q.shape, -np.inf) if lower is None else np.ceil(np.round(lower / unit, _SNAP))
    hi = np.full(q.shape, np.inf) if upper is None else np.floor(np.round(upper / unit, _SNAP))
    bad = (np.abs(steps - target) > 1e-9 * np.maximum(1.0, np.abs(steps))) | np.any(lo > hi, axis=1)
    r = np.clip(np.floor(q), lo, hi)
    short = target - r.sum(axis=1)  # integers held exactly in float64
    active = (short != 0) & ~bad
    while active.any():
        rows = np.flatnonzero(active)
        rr, qq, ll, hh, sh = r[rows], q[rows], lo[rows], hi[rows], short[rows]
        up = sh > 0
        room = np.where(up[:, None], rr < hh, rr > ll)
        # largest priority first when adding, smallest first when taking away; stable ties
        key = np.where(room, np.where(up[:, None], -(qq - rr), qq - rr), np.inf)
        rank = np.empty_like(room, dtype=np.int64)
        order = np.argsort(key, axis=1, kind="stable")
        np.put_along_axis(rank, order, np.arange(k)[None, :], axis=1)
        take = np.minimum(np.abs(sh), room.sum(axis=1))
        step = (rank < take[:, None]) & room
        r[rows] = rr + np.where(up[:, None], 1.0, -1.0) * step
        moved = np.where(up, take, -take)
        short[rows] = sh - moved
        stuck = take == 0
        bad[rows[stuck]] = True
        active[rows] = (short[rows] != 0) & ~stuck
    if bad.any():
        i = int(np.flatnonzero(bad)[0])  # the one-row function raises the precise error
        largest_remainder(
            values[i],
            float(totals[i]),
            unit,
            None if lower is None else lower[i],
            None if upper is None else upper[i],
        )
    return r * unit
