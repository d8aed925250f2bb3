"""The sharing rate and the balancing transfer, set jointly from need and revenue (A/B/C).

In the first year of a stability period the Ministry of Finance computes for each province
(Circular 342/2016/TT-BTC Art. 8.1b and 9.1a; Decree 163/2016/NĐ-CP Art. 18.1 and 18.4)::

    A = spending need under the norms (capital and recurrent)          [million VND]
    B = revenue the province keeps 100 %, excluding lottery, land-use fees, transfers,
        carry-overs, grants and voluntary contributions
    C = revenue shared between the centre and the province (the shared base)

    A − B <  C:  rate = (A − B) / C × 100 %, no balancing transfer (a remitting province);
    A − B >= C:  rate = 100 %, balancing transfer T = A − (B + C) (a receiving province).

One rate applies to every shared tax (Decree 163/2016 Art. 18.4). Within the period the rates
do not change and the balancing transfer may be raised each year (Law 83/2015/QH13 Art. 9.7a–b;
Decree 163/2016 Art. 19.2): :func:`within_period`.

Rules this module adds where the texts are silent, stated so they can be tested:

* **Whole percent.** Rates are published as whole percents. The exact rate 100·(A − B)/C is
  rounded half-up to a whole percent (``rounding="nearest"``; ``"up"`` and ``"down"`` are
  offered) in integer arithmetic, then clipped to [0, 100]; A − B ≤ 0 gives 0 %.
* **Money is whole million VND.** The share of C a province keeps is ``round_half_up(r·C/100)``
  and the remitted amount is C minus that, so kept + remitted = C exactly for every unit.
* **The rounding residue** A − (B + kept share) of a remitting unit (|residue| ≤ C/200 + 0.5)
  is settled inside the unit's own budget: its resources are its revenue kept at the published
  rate, never topped up by a transfer. This is what the Ministry's 2017 table shows: for all 16
  remitting provinces, balanced spending net of borrowing equals revenue kept to the million
  (tests/test_sharing_real.py). Receiving units have no residue.
* **A unit with no shared base** (C = 0) keeps 100 % and receives A − B when positive.

Fiscal class (Decree 09/2025/NĐ-CP Art. 7.2, which ties central co-financing to it): a unit is
*receiving* if its balancing transfer is positive; otherwise it *remits* 100 − rate percent of
its shared revenue ("tỷ lệ điều tiết các khoản thu phân chia về ngân sách trung ương", read from
the NA's allocation resolution, Art. 7.2đ), and its class is ``remits ≤ 20 %`` (0 to 20 percent,
"từ 20% trở xuống"), ``remits 20–60 %`` (above 20 up to 60, "từ trên 20% đến 60%") or
``remits > 60 %``. A unit that keeps 100 % without a transfer remits 0 % (class ≤ 20 %).

Everything is vectorised over units; amounts are ``int64`` million VND.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "CENTRAL_COFINANCING",
    "CLASSES",
    "RECEIVING",
    "REMITS_20_60",
    "REMITS_GT_60",
    "REMITS_LE_20",
    "Rounding",
    "Sharing",
    "bridge",
    "classify",
    "combine",
    "kept_share",
    "merger_table",
    "period_start",
    "uplift",
    "within_period",
]

Rounding = Literal["nearest", "up", "down"]

RECEIVING = "receiving"
REMITS_LE_20 = "remits ≤ 20 %"
REMITS_20_60 = "remits 20–60 %"
REMITS_GT_60 = "remits > 60 %"
CLASSES: tuple[str, ...] = (RECEIVING, REMITS_LE_20, REMITS_20_60, REMITS_GT_60)
# Central share of a co-financed cost by class: Decree 09/2025/NĐ-CP Art. 7.2a–d.
CENTRAL_COFINANCING: dict[str, float] = {
    RECEIVING: 0.80,
    REMITS_LE_20: 0.70,
    REMITS_20_60: 0.50,
    REMITS_GT_60: 0.0,
}


def _int(values: object, name: str) -> np.ndarray:
    """Amounts as int64 million VND; refuses fractions and negatives with the unit's index."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one value per unit (got shape {arr.shape})")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0) | (arr != np.round(arr)))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name}[{i}] must be a whole, non-negative number of million VND (got {arr[i]!r})"
        )
    return arr.astype(np.int64)


def _round_half_up(num: np.ndarray, den: np.ndarray | int) -> np.ndarray:
    """round(num / den) with halves up, in integer arithmetic (den > 0)."""
    return (2 * num + den) // (2 * np.asarray(den))


def classify(rate: np.ndarray, balancing: np.ndarray) -> np.ndarray:
    """Fiscal class of each unit from its whole-percent rate and its balancing transfer."""
    rate = np.asarray(rate)
    remits = 100 - rate
    out = np.where(
        remits <= 20, REMITS_LE_20, np.where(remits <= 60, REMITS_20_60, REMITS_GT_60)
    ).astype(object)
    out[np.asarray(balancing) > 0] = RECEIVING
    return out


@dataclass(frozen=True)
class Sharing:
    """Rates, transfers and amounts of a set of units for one year (million VND, whole %).

    ``need`` is A; in :func:`within_period` it is the implied basis (kept + transfer), since a
    frozen period does not recompute A. ``residue`` = need − (kept + balancing): the rounding
    difference the unit absorbs (0 for receiving units and in :func:`within_period`).
    """

    need: np.ndarray
    local: np.ndarray
    shared: np.ndarray
    rate: np.ndarray
    exact_rate: np.ndarray
    kept_shared: np.ndarray
    balancing: np.ndarray
    topup: np.ndarray

    @property
    def remitted(self) -> np.ndarray:
        """Shared revenue passed to the centre, C − kept share."""
        return self.shared - self.kept_shared

    @property
    def kept(self) -> np.ndarray:
        """Revenue kept, B + kept share of C (excludes land-use fees and lottery)."""
        return self.local + self.kept_shared

    @property
    def resources(self) -> np.ndarray:
        """Revenue kept plus balancing transfer."""
        return self.kept + self.balancing

    @property
    def residue(self) -> np.ndarray:
        return self.need - self.resources

    @property
    def remits_pct(self) -> np.ndarray:
        """Percent of shared revenue remitted to the centre (100 − rate)."""
        return 100 - self.rate

    @property
    def fiscal_class(self) -> np.ndarray:
        return classify(self.rate, self.balancing)

    def frame(self, codes: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per unit: A, B, C, rate, kept, remitted, transfer, residue, class."""
        df = pd.DataFrame(
            {
                "need": self.need,
                "local": self.local,
                "shared": self.shared,
                "exact_rate": self.exact_rate,
                "rate": self.rate,
                "kept_shared": self.kept_shared,
                "remitted": self.remitted,
                "balancing": self.balancing,
                "topup": self.topup,
                "resources": self.resources,
                "residue": self.residue,
                "fiscal_class": self.fiscal_class,
            }
        )
        if codes is not None:
            df.insert(0, "code", list(codes))
        return df


def kept_share(rate: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """The share of C a unit keeps at a whole-percent ``rate``: round_half_up(rate × C / 100),
    whole million VND (integer arithmetic)."""
    return _round_half_up(rate * shared, 100)


def period_start(
    need: object, local: object, shared: object, *, rounding: Rounding = "nearest"
) -> Sharing:
    """Rates and balancing transfers recomputed from A, B, C (first year of a period).

    >>> period_start([120, 50], [20, 10], [100, 100]).balancing.tolist()
    [0, 0]
    """
    A, B, C = _int(need, "need"), _int(local, "local"), _int(shared, "shared")
    if not (len(A) == len(B) == len(C)):
        raise ValueError("need, local and shared must have one value per unit each")
    if rounding not in ("nearest", "up", "down"):
        raise ValueError(f"rounding must be 'nearest', 'up' or 'down' (got {rounding!r})")
    gap = A - B  # may be negative
    has_c = C > 0
    safe_c = np.where(has_c, C, 1)
    num = 100 * gap
    if rounding == "nearest":
        r = _round_half_up(num, safe_c)
    elif rounding == "up":
        r = -((-num) // safe_c)
    else:
        r = num // safe_c
    receiving = gap >= C  # includes C = 0 with A ≥ B
    rate = np.where(receiving, 100, np.clip(r, 0, 100)).astype(np.int64)
    rate = np.where(has_c, rate, 100)
    exact = np.where(has_c, 100.0 * gap / safe_c, np.where(gap >= 0, 100.0, 0.0))
    balancing = np.where(receiving, gap - C, 0).astype(np.int64)
    kept_shared = kept_share(rate, C)
    zero = np.zeros(len(A), dtype=np.int64)
    return Sharing(A, B, C, rate, exact, kept_shared, balancing, zero)


def uplift(base: object, growth: float | Sequence[float] | np.ndarray) -> np.ndarray:
    """base × (1 + growth), rounded half-up to the million per unit (exact decimals).

    The uplift is applied to each unit and rounded on its own; the total is the sum of the
    rounded amounts (the NA's resolutions print per-province amounts in million VND).
    """
    T = _int(base, "base")
    g = np.broadcast_to(np.asarray(growth, dtype=float), T.shape)
    # growth as an exact fraction of 10^6 (growth is given to at most 6 decimals, e.g. 0.03)
    g6 = np.round(g * 1_000_000).astype(np.int64)
    if np.any(np.abs(g * 1_000_000 - g6) > 1e-6):
        raise ValueError("growth must have at most 6 decimals (e.g. 0.03 for +3 %)")
    return _round_half_up(T * (1_000_000 + g6), 1_000_000).astype(np.int64)


def within_period(
    rate: object,
    local: object,
    shared: object,
    base_transfer: object,
    *,
    growth: float | Sequence[float] | np.ndarray = 0.0,
    topups: object | None = None,
) -> Sharing:
    """A year inside a stability period: rates frozen, balancing transfers uplifted.

    T = uplift(base_transfer, growth) + topups for units that received in the base year (a
    unit with no base transfer receives only its top-up); the frozen whole-percent ``rate``
    applies to this year's shared base. ``need`` of the result is the implied basis.
    """
    B, C = _int(local, "local"), _int(shared, "shared")
    r = np.asarray(rate, dtype=float)
    if np.any((r < 0) | (r > 100) | (r != np.round(r))):
        raise ValueError("rate must be whole percents between 0 and 100")
    r = r.astype(np.int64)
    T = uplift(base_transfer, growth)
    top = np.zeros(len(B), dtype=np.int64) if topups is None else _int(topups, "topups")
    if not (len(r) == len(B) == len(C) == len(T) == len(top)):
        raise ValueError("rate, local, shared, base_transfer and topups need one value per unit")
    if np.any((T + top > 0) & (r < 100)):
        i = int(np.flatnonzero((T + top > 0) & (r < 100))[0])
        raise ValueError(
            f"unit {i} has a frozen rate of {r[i]} % and a balancing transfer: a unit that "
            "receives keeps 100 % of its shared revenue"
        )
    balancing = T + top
    kept_shared = kept_share(r, C)
    basis = B + kept_shared + balancing
    return Sharing(basis, B, C, r, r.astype(float), kept_shared, balancing, top)


def combine(values: object, groups: Sequence[str] | np.ndarray) -> pd.Series:
    """Sum predecessors' amounts by the unit they merged into (order of first appearance)."""
    arr = _int(values, "values")
    s = pd.Series(arr, index=pd.Index(np.asarray(groups, dtype=object), name="unit"))
    return s.groupby(level=0, sort=False).sum()


def bridge(
    predecessors: pd.DataFrame,
    *,
    growth: float = 0.0,
    topups: dict[str, int] | None = None,
    local: object | None = None,
    shared: object | None = None,
    rounding: Rounding = "nearest",
) -> tuple[pd.Index, Sharing, Sharing]:
    """The bridge year: new units start from their predecessors' figures summed.

    ``predecessors`` (columns ``unit``, ``need``, ``local``, ``shared``: last year's A, B, C of
    each old unit) are summed by unit; the formula on the sums gives each new unit's rate and
    post-merger transfer for last year; this year the rate is frozen and the transfer uplifted by
    ``growth`` plus the unit's named ``topups`` (NQ 246/2025/QH15: 2026 = post-merger 2025 + 3 %,
    Khánh Hòa +319 bn, Quảng Ngãi +168 bn). ``local`` and ``shared`` are this year's B and C per
    unit (default: last year's). Returns (units, last year post-merger, this year).
    """
    groups = predecessors["unit"].astype(str).to_numpy()
    sums = pd.DataFrame({k: combine(predecessors[k], groups) for k in ("need", "local", "shared")})
    before = period_start(sums["need"], sums["local"], sums["shared"], rounding=rounding)
    top = np.array([(topups or {}).get(u, 0) for u in sums.index], dtype=np.int64)
    after = within_period(
        before.rate,
        before.local if local is None else local,
        before.shared if shared is None else shared,
        before.balancing,
        growth=growth,
        topups=top,
    )
    return sums.index, before, after


def merger_table(predecessors: pd.DataFrame, *, rounding: Rounding = "nearest") -> pd.DataFrame:
    """Each merged unit's rate and transfer beside its predecessors' own.

    ``predecessors`` has one row per predecessor with columns ``unit`` (the unit it merged
    into), optional ``name``, ``need`` (A), ``local`` (B) and ``shared`` (C). Each
    predecessor's rate and transfer come from its own A, B, C; the unit's from the sums (the 2026
    bridge: a new unit starts from its predecessors' summed figures, NQ 246/2025/QH15). Returns
    the predecessor rows then a ``unit`` row per unit (in order of first appearance). Unit rows
    add ``predecessors_balancing`` and ``predecessors_remitted`` (the predecessors' sums),
    ``netted_transfer`` = Σ predecessors' transfers − the unit's transfer (what one rate nets
    when a remitting predecessor's surplus now covers part of a receiving one's gap) and
    ``rounding_change`` = the unit's residue − Σ predecessors' residues, so that exactly::

        netted_transfer = predecessors_remitted − remitted + rounding_change
    """
    need = predecessors["need"].to_numpy()
    local = predecessors["local"].to_numpy()
    shared = predecessors["shared"].to_numpy()
    own = period_start(need, local, shared, rounding=rounding)
    groups = predecessors["unit"].astype(str).to_numpy()
    sums = pd.DataFrame(
        {k: combine(v, groups) for k, v in (("need", need), ("local", local), ("shared", shared))}
    )
    unit = period_start(sums["need"], sums["local"], sums["shared"], rounding=rounding)
    pred = own.frame()
    pred.insert(0, "unit", groups)
    pred.insert(1, "name", predecessors.get("name", pd.Series(groups)).to_numpy())
    pred.insert(2, "level", "predecessor")
    merged = unit.frame()
    merged.insert(0, "unit", sums.index.to_numpy())
    merged.insert(1, "name", sums.index.to_numpy())
    merged.insert(2, "level", "unit")
    by_unit = pred.groupby("unit", sort=False)
    sum_t = by_unit["balancing"].sum().reindex(sums.index).to_numpy()
    sum_rem = by_unit["remitted"].sum().reindex(sums.index).to_numpy()
    sum_res = by_unit["residue"].sum().reindex(sums.index).to_numpy()
    merged["predecessors_balancing"] = sum_t
    merged["predecessors_remitted"] = sum_rem
    merged["netted_transfer"] = sum_t - merged["balancing"].to_numpy()
    merged["rounding_change"] = merged["residue"].to_numpy() - sum_res
    if "name" in predecessors:
        names = predecessors.groupby(groups, sort=False)["name"].agg(" + ".join)
        merged["name"] = names.reindex(sums.index).to_numpy()
    out = pd.concat([pred, merged], ignore_index=True)
    order = {u: i for i, u in enumerate(sums.index)}
    out["_o"] = out["unit"].map(order)
    out["_l"] = (out["level"] == "unit").astype(int)
    return (
        out.sort_values(["_o", "_l"], kind="stable")
        .drop(columns=["_o", "_l"])
        .reset_index(drop=True)
    )
