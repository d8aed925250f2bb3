"""Why did a unit's allocation change between two runs? Shapley attribution over input factors.

A scenario and its unit table are split into **factors**, each a part of the inputs:

======== ==================================================================================
data      the unit table (population, area, baseline, own revenue, retention, ...)
envelope  ``[envelope]`` (and, for commune runs fed by another scenario, each province's
          envelope as received)
norms     ``[need]`` (criteria, rates, coefficients, markup, growth), ``[capacity]`` and
          ``[[sectors]]`` (need shares): how need and capacity are assessed
rules     ``[[constraints]]``: floors, caps, minimums, shares, earmarks, transition, support
objective ``[objective]`` (kind, weight λ, tie-break)
method    ``[solver]`` and ``[rounding]`` (only when they differ)
======== ==================================================================================

Text that documents rather than sets (``description``, ``source``, a criterion's ``unit``)
is not a difference. ``[scenario]`` (level, years, province) must be the same in both runs.

Only the k factors that differ are varied. Each of the 2^k combinations (factors from run B,
the rest from run A) is solved once — the two ends are the stored runs, the 2^k − 2 mixed
ones are re-solved and cached in the store — and a factor's contribution to a unit is the
Shapley value: its marginal effect averaged over the k! orders of applying the changes. The
contributions of a unit add up to its total change by construction.

**Whole amounts.** Amounts are whole million VND, so a contribution is a fraction with
denominator N (the number of orders used; k! when all combinations solve). Each unit's
contributions are settled to whole million VND by largest remainder: every contribution is
rounded down, and the units still missing to the exact total change go to the largest
remainders (ties to the factor listed first). The settled contributions then add up to the
total change exactly, each is within one million VND of its exact value, and the exact values
are exported beside them.

**Combinations that cannot be solved.** A mixed combination may be infeasible (B's tighter
rules under A's smaller envelope) or invalid (B's earmark names a sector A's norms lack). It
has no allocation, so no marginal effect can be measured through it: the orders of applying
the changes that pass through it are left out and the average is taken over the orders that
remain (each still sums exactly to the total change). The result says how many of the k!
orders were used and lists each combination that could not be solved with the reason; with
every order usable this is exactly the Shapley value. If no order is usable the attribution
is refused, naming the combinations.

**Code versions.** When either run was made by another fiscal version than this one, the
two ends are solved again too, and the difference between the stored and re-solved change is
shown as its own column (``fiscal version``) so that nothing is attributed to the wrong input.
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.attribution_factors import (
    FACTORS,
    Side,
    allocation_grid,
    cache_key,
    changed_columns,
    changed_settings,
    check_comparable,
    combination_words,
    current_version,
    differing_factors,
    mix,
    outcome_words,
    solve_mix,
)
from fiscal.errors import ModelError
from fiscal.prose.messages import Message, Term, text_of
from fiscal.prose.numbers import number

if TYPE_CHECKING:
    from fiscal.results import Result
    from fiscal.store import Store

__all__ = [
    "FACTORS",
    "LABELS",
    "Attribution",
    "Side",
    "attribute_results",
    "attribute_sides",
    "combination_words",
    "outcome_words",
    "settle",
]

VERSION = "fiscal version"
LABELS = {
    "en": {
        "data": "data",
        "envelope": "envelope",
        "norms": "norms",
        "rules": "rules",
        "objective": "objective",
        "method": "method",
        VERSION: "fiscal version",
        "bn": "bn",
        "no_change": "no change",
    },
    "vi": {
        "data": "dữ liệu",
        "envelope": "tổng mức",
        "norms": "định mức",
        "rules": "quy tắc",
        "objective": "mục tiêu",
        "method": "phương pháp",
        VERSION: "phiên bản fiscal",
        "bn": "tỷ đồng",
        "no_change": "không đổi",
    },
}


@dataclass
class Attribution:
    """Per unit and year: the total change from run A to run B and each factor's share."""

    a: str
    b: str
    factors: list[str]  # the factors that differ, in FACTORS order (+ VERSION when needed)
    table: pd.DataFrame  # year, code, name, a, b, change, <factor>... (whole million VND)
    exact: pd.DataFrame  # the same with the exact (fractional) contributions
    combinations: pd.DataFrame  # combination, factors from B, outcome, total, message
    orders_used: int
    orders_total: int
    solves: int  # fresh re-solves
    cached: int  # combinations taken from the cache
    seconds: float
    changes: dict[str, list[str]] = field(default_factory=dict)  # factor -> settings changed
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(dict.fromkeys(self.table["year"].tolist()))

    def row(self, code: str, year: int | None = None) -> pd.Series:
        year = self.years[0] if year is None else year
        hit = self.table[
            (self.table["code"].astype(str) == str(code)) & (self.table["year"] == year)
        ]
        if hit.empty:
            raise ModelError(Message("attr.no_unit", code=code, year=year))
        return hit.iloc[0]

    def words(self, code: str, year: int | None = None, lang: str = "en") -> str:
        """'Lâm Đồng −312 bn: data −40, envelope +95, rules −367' (parts add up as shown)."""
        r = self.row(code, year)
        lab = LABELS[lang]
        change = int(r["change"])
        parts = [(f, int(r[f])) for f in self.factors]
        if change == 0 and all(v == 0 for _, v in parts):
            return f"{r['name']}: {lab['no_change']}"
        decimals = 0 if abs(change) >= 100_000 else 1 if abs(change) >= 1_000 else 3
        step = 10 ** (3 - decimals)  # million VND per shown digit
        shown = settle([[v for _, v in parts]], [change], step)[0]
        text = ", ".join(
            f"{lab[f]} {_num(v / 1000, decimals, lang)}"
            for (f, _), v in zip(parts, shown, strict=True)
            if v != 0
        )
        total = _num(sum(int(v) for v in shown) / 1000, decimals, lang)
        return f"{r['name']} {total} {lab['bn']}: {text}"

    def totals(self, year: int | None = None) -> dict[str, int]:
        """Each factor's contribution summed over units (million VND)."""
        year = self.years[0] if year is None else year
        rows = self.table[self.table["year"] == year]
        return {f: int(rows[f].sum()) for f in ["change", *self.factors]}

    def text(self, top: int = 10, lang: str = "en") -> str:
        """The attribution in words, in ``lang``: what changed, the national split, the largest
        changes (the sentences from the catalogue, ``attr.*``; settings as the files write them)."""
        lab = LABELS[lang]

        def say(code: str, **params: Any) -> str:
            return Message(code, **params).text(lang)

        lines = [say("attr.title", a=self.a, b=self.b)]
        if not self.factors:
            lines.append("  " + say("attr.same_inputs"))
        for f in self.factors:
            what = [text_of(w, lang) for w in self.changes.get(f) or []]
            lines.append(
                f"  {lab[f]}: "
                + (
                    "; ".join(what[:6]) + (" …" if len(what) > 6 else "")
                    if what
                    else say("attr.differs")
                )
            )
        work = {"solves": self.solves, "cached": self.cached, "seconds": self.seconds}
        work |= {"used": self.orders_used, "total": self.orders_total}
        lines.append("  " + say("attr.work", n=len(self.combinations), **work))
        lines += ["  " + say("attr.note", note=n) for n in self.notes]
        for y in self.years:
            t = self.totals(y)
            parts = ", ".join(f"{lab[f]} {_num(t[f] / 1000, 1, lang)}" for f in self.factors)
            change = _num(t["change"] / 1000, 1, lang)
            lines.append(say("attr.year_total", year=str(y), change=change, parts=parts))
            rows = self.table[self.table["year"] == y]
            order = rows["change"].abs().sort_values(ascending=False, kind="stable").index[:top]
            for idx in order:
                if rows.at[idx, "change"] != 0 or any(rows.at[idx, f] != 0 for f in self.factors):
                    lines.append("  " + self.words(str(rows.at[idx, "code"]), y, lang))
        return "\n".join(lines)

    def frame(self, exact: bool = False) -> pd.DataFrame:
        return self.exact if exact else self.table

    def to_csv(self) -> bytes:
        """The settled contributions with the exact ones beside them (``<factor> exact``)."""
        out = self.table.copy()
        for f in self.factors:
            out[f"{f} exact"] = self.exact[f].round(6)
        return out.to_csv(index=False).encode("utf-8")

    def to_xlsx(self, lang: str | None = None) -> bytes:
        """The attribution's workbook, in Vietnamese with ``lang="vi"``
        (:func:`fiscal.attribution_workbook.attribution_workbook`)."""
        from fiscal.attribution_workbook import attribution_workbook

        return attribution_workbook(self, lang, LABELS["vi"], VERSION)


def _packed(message: str) -> str:
    """A combination's message for the store's cache: both languages when it has them."""
    vi = text_of(message, "vi")
    if vi == str(message):
        return str(message)
    return json.dumps({"en": str(message), "vi": vi}, ensure_ascii=False)


def _unpacked(text: str) -> str:
    """A cached message back (one cached before it kept both languages is English only)."""
    if text.startswith('{"en": '):
        try:
            both = json.loads(text)
        except ValueError:
            return text
        return Term(both["en"], both["vi"])
    return text


def _combinations(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The combinations solved; the messages kept as objects, each written in either language
    (a frame of strings would turn them into plain English text)."""
    frame = pd.DataFrame(rows)
    if len(frame):
        frame["message"] = pd.Series([r["message"] for r in rows], dtype=object)
    return frame


def _num(v: float, decimals: int, lang: str) -> str:
    """A signed amount in the language (fiscal's one formatter), with a true minus sign."""
    if round(v, decimals) == 0:
        return "0"
    return ("+" if v > 0 else "−") + number(abs(v), decimals, lang)


# ----------------------------------------------------------------------------- settling


def settle(numerators: Any, total: Any, step: int = 1, denominator: int = 1) -> np.ndarray:
    """Whole multiples of ``step`` for the fractions numerators / denominator, adding up.

    ``numerators`` is (cells, k) integers and ``total`` (cells,) integers with Σ numerators =
    total × denominator. Each fraction is rounded down to a multiple of ``step``; the steps still
    missing to ``total`` (rounded to ``step``, half up) go to the largest remainders, ties to the
    lower index. Returns (cells, k) integers that add up to that total in every cell.
    """
    num = np.atleast_2d(np.asarray(numerators, dtype=np.int64))
    total = np.atleast_1d(np.asarray(total, dtype=np.int64))
    k = num.shape[1]
    unit = np.int64(step) * np.int64(denominator)
    base = np.floor_divide(num, unit)
    rem = num - base * unit
    target = np.floor_divide(total * np.int64(denominator) + unit // 2, unit) if step > 1 else total
    missing = target - base.sum(axis=1)
    idx = np.broadcast_to(np.arange(k), num.shape)
    order = np.lexsort((idx, -rem), axis=-1)  # largest remainder first, then the lower index
    rank = np.argsort(order, axis=-1, kind="stable")
    return (base + (rank < missing[:, None])) * np.int64(step)


# ----------------------------------------------------------------------------- attribution


def attribute_results(
    a: Result,
    b: Result,
    *,
    labels: tuple[str, str] = ("A", "B"),
    store: Store | None = None,
    backend: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Attribution:
    """Attribute the change between two results (not necessarily saved)."""
    return attribute_sides(
        Side.from_result(a, labels[0]),
        Side.from_result(b, labels[1]),
        store=store,
        backend=backend,
        progress=progress,
    )


def attribute_sides(
    a: Side,
    b: Side,
    *,
    store: Store | None = None,
    backend: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Attribution:
    """The Shapley attribution of the change from ``a`` to ``b`` (see the module docstring)."""
    t0 = time.perf_counter()
    codes = check_comparable(a, b)
    da, db = a.scenario.to_dict(), b.scenario.to_dict()
    factors = differing_factors(a, b, da, db)
    k = len(factors)
    stored_a, stored_b = allocation_grid(a.table, codes), allocation_grid(b.table, codes)
    current = current_version()
    resolve_ends = a.version != current or b.version != current
    notes: list[str] = []
    values: dict[int, np.ndarray | None] = {}
    rows: list[dict[str, Any]] = []
    solves = cached = 0
    full = (1 << k) - 1
    masks = list(range(1 << k))
    todo = [m for m in masks if resolve_ends or m not in (0, full)]
    done = 0
    for m in masks:
        chosen = tuple(f for j, f in enumerate(factors) if m >> j & 1)
        name = "+".join(chosen) if chosen else "(none)"
        if m in (0, full) and not resolve_ends:
            end = stored_a if m == 0 else stored_b
            values[m] = end
            rows.append(
                {
                    "combination": name,
                    "from B": ", ".join(chosen),
                    "outcome": "stored",
                    "total": int(end[0].sum()),
                    "message": Message("attr.stored", label=a.label if m == 0 else b.label),
                }
            )
            continue
        d, units, envelopes = mix(a, b, da, db, chosen)
        key = cache_key(d, units, envelopes, backend)
        hit = store.cache_get(key) if store is not None else None
        if hit is None:
            outcome, alloc, message = solve_mix(d, units, envelopes, codes, backend)
            solves += 1
            if store is not None and outcome != "failed":
                store.cache_put(key, outcome, alloc, _packed(message))
        else:
            outcome, alloc, packed = hit
            message = _unpacked(packed)
            cached += 1
        values[m] = alloc if outcome == "ok" else None
        rows.append(
            {
                "combination": name,
                "from B": ", ".join(chosen),
                "outcome": outcome if hit is None else f"{outcome} (cached)",
                "total": int(alloc[0].sum()) if alloc is not None else None,
                "message": message,
            }
        )
        done += 1
        if progress is not None:
            progress(done, len(todo))
    if resolve_ends and (values[0] is None or values[full] is None):
        raise ModelError(Message("attr.other_version"))
    # Shapley over orders: a factor's marginal effect, averaged over the usable orders
    sums = np.zeros((k, *stored_a.shape), dtype=np.int64)
    used = 0
    orders = list(itertools.permutations(range(k)))
    for order in orders:
        m = 0
        steps: list[tuple[int, np.ndarray]] = []
        for j in order:
            nxt = m | (1 << j)
            before, after = values[m], values[nxt]
            if before is None or after is None:
                break
            steps.append((j, after - before))
            m = nxt
        else:
            used += 1
            for j, effect in steps:
                sums[j] += effect
    blocked = [r for r in rows if r["outcome"].split(" ")[0] in ("infeasible", "invalid", "failed")]
    if k and used == 0:
        detail = "; ".join(f"{r['combination']} ({r['outcome']}: {r['message']})" for r in blocked)
        raise ModelError(Message("attr.no_order", detail=detail))
    if blocked:
        which = [
            Message(
                "attr.blocked_one",
                combination=combination_words(r["combination"], LABELS["vi"]),
                outcome=outcome_words(r["outcome"]),
            )
            for r in blocked
        ]
        notes.append(
            Message("attr.note_blocked", n=len(blocked), which=which, used=used, total=len(orders))
        )
    end_a, end_b = values[0], values[full]
    assert end_a is not None and end_b is not None  # stored, or re-solved and checked above
    change = end_b - end_a
    T, n = stored_a.shape
    if k:
        flat = sums.reshape(k, -1).T  # (cells, k)
        settled = settle(flat, change.reshape(-1), 1, used).T.reshape(k, T, n)
        exact = sums / used
    else:
        settled = np.zeros((0, T, n), dtype=np.int64)
        exact = np.zeros((0, T, n))
    out_factors = list(factors)
    residual = (stored_b - stored_a) - change
    if resolve_ends:
        out_factors.append(VERSION)
        settled = np.concatenate([settled, residual[None]], axis=0)
        exact = np.concatenate([exact, residual[None].astype(float)], axis=0)
        notes.append(Message("attr.note_version", a=a.version, b=b.version, current=current))
    elif np.any(residual):  # cannot happen: the ends are the stored runs
        raise ModelError(Message("attr.internal"))
    years = list(dict.fromkeys(b.table["year"].tolist()))
    names = b.table.drop_duplicates("code").set_index(
        b.table.drop_duplicates("code")["code"].astype(str)
    )["name"]
    base = pd.DataFrame(
        {
            "year": np.repeat(years, n),
            "code": np.tile(codes, T),
            "name": np.tile([names.get(c, c) for c in codes], T),
            "a": stored_a.ravel(),
            "b": stored_b.ravel(),
            "change": (stored_b - stored_a).ravel(),
        }
    )
    table, exact_t = base.copy(), base.copy()
    for j, f in enumerate(out_factors):
        table[f] = settled[j].ravel()
        exact_t[f] = exact[j].ravel()
    assert (table[out_factors].sum(axis=1) == table["change"]).all() if out_factors else True
    changes: dict[str, list[str]] = {
        f: list(changed_settings(da, db, f)) for f in factors if f not in ("data",)
    }
    if "data" in factors:
        said = Message("attr.units_changed", a=a.units.data_hash()[:12], b=b.units.data_hash()[:12])
        columns = changed_columns(a.units, b.units)
        more = Message("attr.columns_changed", columns=", ".join(columns)) if columns else ""
        changes["data"] = [Term(str(said) + str(more), said.text("vi") + text_of(more, "vi"))]
    if "envelope" in factors and a.envelopes != b.envelopes and not changes.get("envelope"):
        changes["envelope"] = [Message("attr.envelopes_changed")]
    return Attribution(
        a.label,
        b.label,
        out_factors,
        table,
        exact_t,
        _combinations(rows),
        used,
        math.factorial(k),
        solves,
        cached,
        time.perf_counter() - t0,
        changes,
        notes,
    )
