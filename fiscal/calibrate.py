"""The bundled national dataset: real units and the illustrative fiscal layer.

Real (sourced) parts, read by :mod:`fiscal.sources` from ``fiscal/datasets/sources`` (see
``fiscal/datasets/README.md``): the 34 provincial units and their predecessors (NA Resolution
202/2025/QH15), the 63 old provinces with NSO 2024 average population and area, the commune list
of ``vietnam-provinces``.

Illustrative parts (flagged ``estimated``), derived deterministically from the parameters in
``fiscal/datasets/calibration.toml`` and the real national totals:

1. Need rates. Each criterion k gets rate_k = w_k · total_need / (1 + other) / Σ_i ind_k,i·coef_k,i
   over the 34 new units, rounded to 4 significant digits (w: share of need per criterion).
2. Revenue by kind (the A/B/C layer, :func:`abc_layer`). Each unit's REAL 2026 revenue on its
   territory (NA Resolution 246/2025/QH15 appendix) is split into land-use fees kept, lottery,
   the centre's alone (incl. its share of land fees), B (kept 100 %) and C (shared base) by the
   shares of ``[revenue_kinds]``; Cà Mau's land fees and lottery come from its 2026 plan, Hưng
   Yên's centre-only revenue is its revenue on territory minus its revenue kept (budget
   resolution). The kinds sum exactly to the real revenue.
3. Balancing transfers 2026 and A. The 27 units paid by Decision 2639/QĐ-TTg receive (an
   inference, see the README); Hưng Yên's transfer is its real 5,315,159; Cà Mau's follows from
   its real balanced-spending basis (A + land fees kept + lottery = 22,228,100); the other 25
   share the rest of the real 238,421 bn in proportion to their predecessors' real 2017
   balancing transfers. A = B + C + T for receiving units. The 7 others keep a whole-percent
   rate (their predecessors' reported 2022–2025 rates, C-weighted) and A = B + kept share.
4. Baseline = the 2025 post-merger transfer: the whole number whose +3 % uplift (rounded half-up
   to the million) plus the unit's named top-up (Khánh Hòa, Quảng Ngãi) is its 2026 transfer,
   so :func:`fiscal.sharing.within_period` reproduces 2026 exactly. Own revenue = B + C and
   retention = (B + kept share of C) / (B + C), so the pipeline's capacity own_revenue ×
   retention is the revenue kept and need − capacity is the 2026 transfer (0 for the 7).
5. Communes: province population, area, baseline and eliminated communes are split among the
   province's communes by type weights × a deterministic hash of the commune code, by largest
   remainder, so that every commune column sums exactly to its province. Own revenue is then split
   in proportion to N_c − baseline_c (N_c: the calibrated need of the commune); the province
   retention applies to all its communes.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from fiscal.rounding import largest_remainder
from fiscal.sharing import kept_share, uplift
from fiscal.sources import SOURCES as SOURCES  # re-exported: callers read the folder from here
from fiscal.sources import (
    anchors_2026,
    bridge_2026,
    mof_2017,
    new_units,
    old_provinces,
    package_communes,
    receiving_2026,
    revenue_on_territory_2026,
)

__all__ = [
    "abc_layer",
    "anchors_2026",
    "bridge_2026",
    "calibrated_need",
    "calibration",
    "commune_units",
    "need_rates",
    "mof_2017",
    "old_provinces",
    "predecessor_layer",
    "province_units",
    "receiving_2026",
    "revenue_on_territory_2026",
]

CALIBRATION = Path(str(resources.files("fiscal") / "datasets" / "calibration.toml"))

POPULATION_BASIS = "NSO average population 2024 (dân số trung bình), summed over predecessors"
# The A/B/C columns the province table carries (fiscal/schema.py documents each).
KIND_COLUMNS = (
    "revenue_central",
    "revenue_land",
    "revenue_lottery",
    "revenue_local",
    "revenue_shared",
)
PIPELINE_COLUMNS = (
    "revenue_on_territory",
    *KIND_COLUMNS,
    "spending_need",
    "sharing_rate",
    "baseline",
    "own_revenue",
    "retention",
)
COMMUNE_ESTIMATED = "population;area_km2;eliminated_communes;baseline;own_revenue;retention"


@cache
def calibration() -> dict:
    """The parameters of ``calibration.toml``."""
    with CALIBRATION.open("rb") as f:
        return tomllib.load(f)


def _significant(x: float, digits: int) -> float:
    if x == 0:
        return 0.0
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


@cache
def need_rates() -> dict[str, float]:
    """Need rates (million VND per indicator unit) calibrated on the 34 new units (step 1)."""
    cal = calibration()
    need = cal["need"]
    units = new_units()
    coef = units["region"].map(need["region_coefficients"]).fillna(1.0).to_numpy()
    base = cal["totals"]["total_need"] / (1.0 + need["other_markup"])
    rates = {}
    for indicator, weight in need["weights"].items():
        ind = units[indicator].to_numpy(dtype=float)
        if indicator == "population":
            ind = ind * coef
        rates[indicator] = _significant(weight * base / ind.sum(), need["significant_digits"])
    return rates


def calibrated_need(units: pd.DataFrame, criteria: list[str] | None = None) -> np.ndarray:
    """Need under the calibrated rates (step 1), million VND; ``criteria`` limits the criteria."""
    cal = calibration()["need"]
    rates = need_rates()
    coef = units["region"].map(cal["region_coefficients"]).fillna(1.0).to_numpy()
    total = np.zeros(len(units))
    for indicator in criteria or list(rates):
        ind = units[indicator].to_numpy(dtype=float)
        total += rates[indicator] * (ind * coef if indicator == "population" else ind)
    return (1.0 + cal["other_markup"]) * total


# --- the A/B/C layer (steps 2–4) ---------------------------------------------------------------


def _half_up(x: np.ndarray | float) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def _inverse_uplift(target: int, growth: float, topup: int) -> int | None:
    """The whole base whose uplift plus ``topup`` is ``target`` (None if no base gives it)."""
    x0 = int(round((target - topup) / (1.0 + growth)))
    for x in (x0, x0 - 1, x0 + 1, x0 - 2, x0 + 2):
        if x >= 0 and int(uplift([x], growth)[0]) + topup == target:
            return x
    return None


def _predecessor_weights() -> tuple[pd.Series, pd.Series]:
    """Per old province (by short name): 2017 revenue on territory and 2017 basis (kept + T)."""
    m = mof_2017().set_index("old_short_name")
    revenue = m["revenue_on_territory"]
    basis = m["local_revenue_by_decentralization"] + m["balancing_transfer"]
    return revenue, basis


@cache
def abc_layer() -> pd.DataFrame:
    """The 34 units' 2026 A/B/C layer (steps 2–4), million VND (whole numbers) and whole %."""
    cal = calibration()
    kinds, lay = cal["revenue_kinds"], cal["balancing_2026_layer"]
    units = new_units()
    codes = units["code"]
    R = codes.map(revenue_on_territory_2026()).to_numpy(dtype=np.int64)
    anchor = anchors_2026()
    receiving = codes.isin(receiving_2026()).to_numpy()
    if receiving.sum() != 27:
        raise RuntimeError("bundled data broken: Decision 2639/QĐ-TTg must name 27 units")
    hy, cm = (codes == "33").to_numpy(), (codes == "96").to_numpy()
    if (
        R[hy][0] != anchor["hung_yen_revenue_on_territory"]
        or R[cm][0] != anchor["ca_mau_revenue_on_territory"]
    ):
        raise RuntimeError(
            "bundled data broken: NQ 246 revenue differs from the provincial documents"
        )
    # step 2: revenue by kind
    land = _half_up(kinds["land_share"] * R)
    land[cm] = anchor["ca_mau_land_fees"]
    keep = np.where(receiving, kinds["land_kept_receiving"], kinds["land_kept_other"])
    keep = np.where(codes.isin(kinds["land_kept_full"]), 1.0, keep)
    land_kept = _half_up(keep * land)
    if land_kept[cm][0] != anchor["ca_mau_land_spending"]:
        raise RuntimeError("bundled data broken: Cà Mau's land spending is not 85 % of its fees")
    cm_pop = units.loc[cm, "population"].iloc[0]
    per_person = anchor["ca_mau_lottery"] / cm_pop
    rel = units["region"].map(kinds["lottery_relative"]).fillna(0.0).to_numpy()
    lottery = _half_up(rel * per_person * units["population"].to_numpy(dtype=float))
    lottery[cm] = anchor["ca_mau_lottery"]
    rest = R - land - lottery
    central = _half_up(kinds["centre_share"] * rest) + (land - land_kept)
    central[hy] = R[hy] - anchor["hung_yen_revenue_kept"]
    base = R - central - land_kept - lottery  # B + C
    local = _half_up(kinds["local_share"] * base)
    shared = base - local
    if np.any(rest <= 0) or np.any(base <= 0):
        raise RuntimeError("calibration broken: a unit's land fees and lottery exceed its revenue")
    # step 3: 2026 balancing transfers of the 27
    growth, topups = bridge_2026()
    top = codes.map(topups).fillna(0).to_numpy(dtype=np.int64)
    T = np.zeros(len(codes), dtype=np.int64)
    T[hy] = anchor["hung_yen_balancing"]
    T[cm] = anchor["ca_mau_basis"] - land_kept[cm] - lottery[cm] - base[cm]
    if _inverse_uplift(int(T[cm][0]), growth, 0) is None:  # settle on C: the split is ours
        shared[cm] += 1
        central[cm] -= 1
        base[cm] += 1
        T[cm] -= 1
    revenue17, _ = _predecessor_weights()
    old = old_provinces()
    w17 = old["short_name"].map(mof_2017().set_index("old_short_name")["balancing_transfer"])
    weight = codes.map(w17.groupby(old["new_code"]).sum()).to_numpy(dtype=float)
    free = receiving & ~hy & ~cm
    if np.any(weight[free] <= 0):
        raise RuntimeError(
            "calibration broken: a receiving unit had no receiving predecessor in 2017"
        )
    total = cal["totals"]["balancing_2026"] - T[hy].sum() - T[cm].sum()
    T[free] = largest_remainder(weight[free] / weight[free].sum() * total, total).astype(np.int64)
    # every 2026 transfer must be reachable by the uplift rule: move a gap value by one unit
    debt = 0
    for i in np.flatnonzero(free):
        if _inverse_uplift(int(T[i]), growth, int(top[i])) is None:
            T[i] += 1
            debt += 1
    for i in np.flatnonzero(free)[np.argsort(-T[free], kind="stable")]:
        if debt == 0:
            break
        if _inverse_uplift(int(T[i]) - 1, growth, int(top[i])) is not None:
            T[i] -= 1
            debt -= 1
    baseline = np.array(
        [
            _inverse_uplift(int(t), growth, int(p)) if r else 0
            for t, p, r in zip(T, top, receiving, strict=True)
        ],
        dtype=object,
    )
    if debt or any(b is None for b in baseline):
        raise RuntimeError("calibration broken: a 2026 transfer is not an uplifted whole number")
    baseline = baseline.astype(np.int64)
    # the 7 non-receiving units: whole-percent rates from their predecessors' reported rates
    reported = old["retention_reported"].fillna(lay["unreported_rate"] / 100).to_numpy() * 100
    w_c = old["short_name"].map(revenue17).to_numpy(dtype=float)
    mean = (
        pd.Series(reported * w_c).groupby(old["new_code"].to_numpy()).sum()
        / pd.Series(w_c).groupby(old["new_code"].to_numpy()).sum()
    )
    rate = np.where(receiving, 100, _half_up(codes.map(mean).to_numpy(dtype=float)))
    kept_shared = kept_share(rate, shared)
    need = np.where(receiving, base + T, local + kept_shared)
    est_all = [
        "baseline",
        "own_revenue",
        "retention",
        "spending_need",
        "sharing_rate",
        *KIND_COLUMNS,
    ]
    estimated = []
    for is_cm in cm:
        cols = [c for c in est_all if not (is_cm and c in ("revenue_land", "revenue_lottery"))]
        estimated.append(";".join(cols))
    return pd.DataFrame(
        {
            "code": codes,
            "revenue_on_territory": R,
            "revenue_central": central,
            "revenue_land": land_kept,
            "revenue_lottery": lottery,
            "revenue_local": local,
            "revenue_shared": shared,
            "spending_need": need,
            "sharing_rate": rate.astype(np.int64),
            "balancing_2026": T,
            "topup_2026": top,
            "baseline": baseline,
            "own_revenue": base,
            "retention": (local + kept_shared) / base,
            "estimated": estimated,
        }
    )


@cache
def predecessor_layer() -> pd.DataFrame:
    """The 2026 A/B/C layer split over the 63 old provinces, for the merged-unit view.

    Each unit's revenue kinds are split among its predecessors in proportion to their REAL 2017
    revenue on territory and its A in proportion to their REAL 2017 balanced spending net of
    borrowing (revenue kept + balancing transfer), by largest remainder, so predecessors sum
    exactly to their unit. Illustrative (estimated): only the 2017 weights are real.
    """
    layer = abc_layer().set_index("code")
    old = old_provinces()
    revenue17, basis17 = _predecessor_weights()
    out = pd.DataFrame({"code": old["code"], "name": old["short_name"], "unit": old["new_code"]})
    for col in ("revenue_on_territory", *KIND_COLUMNS, "spending_need"):
        weights = old["short_name"].map(basis17 if col == "spending_need" else revenue17)
        values = np.zeros(len(old), dtype=np.int64)
        for unit, idx in old.groupby("new_code").indices.items():
            w = weights.to_numpy(dtype=float)[idx]
            total = int(layer.loc[unit, col])
            values[idx] = largest_remainder(w / w.sum() * total, total).astype(np.int64)
        out[col] = values
    return out


@cache
def _province_units() -> pd.DataFrame:
    df = new_units()
    layer = abc_layer().set_index("code")
    for col in PIPELINE_COLUMNS:
        df[col] = df["code"].map(layer[col])
    df["estimated"] = df["code"].map(layer["estimated"])
    return df


def province_units() -> pd.DataFrame:
    """The 34 provincial units with real attributes and the illustrative fiscal layer."""
    return _province_units().copy()


def _hash_unit(codes: np.ndarray, salt: int) -> np.ndarray:
    """A deterministic number in [0, 1) per integer code (splitmix64 finaliser)."""
    with np.errstate(over="ignore"):
        z = codes.astype(np.uint64) + np.uint64(salt) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _split(total: float, weights: np.ndarray, unit: float = 1.0) -> np.ndarray:
    if total == 0 or weights.sum() == 0:
        return np.zeros(len(weights))
    return largest_remainder(weights / weights.sum() * total, total, unit)


def _capped_split(total: float, weights: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` but no share above ``cap`` (water-filling),
    in whole units summing exactly to ``total``."""
    if total > cap.sum():
        raise RuntimeError("calibration broken: a province's baseline exceeds its communes' need")
    share = np.zeros(len(weights))
    free = np.ones(len(weights), dtype=bool)
    left = float(total)
    while left > 1e-9 and free.any():
        trial = weights[free] / weights[free].sum() * left
        over = trial >= cap[free] - share[free]
        if not over.any():
            share[free] += trial
            break
        idx = np.flatnonzero(free)[over]
        left -= (cap[idx] - share[idx]).sum()
        share[idx] = cap[idx]
        free[idx] = False
    if total == 0:
        return np.zeros(len(weights))
    return largest_remainder(share, total, upper=cap)


@cache
def _commune_units() -> pd.DataFrame:
    cal = calibration()["commune_layer"]
    spread = cal["spread"]
    communes = package_communes()
    provinces = _province_units().set_index("code")
    codes = communes["code_int"].to_numpy()
    jitter = {
        name: 1.0 + spread * (2.0 * _hash_unit(codes, salt) - 1.0)
        for salt, name in enumerate(["population", "area", "baseline", "revenue", "eliminated"])
    }
    kinds = communes["type"]

    def weight(key: str, jit: str) -> np.ndarray:
        return kinds.map(cal[key]).to_numpy(dtype=float) * jitter[jit]

    w_pop, w_area = weight("population_weight", "population"), weight("area_weight", "area")
    w_base = weight("baseline_weight", "baseline")
    w_elim = weight("eliminated_weight", "eliminated")
    cols = {k: np.zeros(len(communes)) for k in ("population", "area", "base", "rev", "elim")}
    for parent, idx in communes.groupby("parent").indices.items():
        p = provinces.loc[parent]
        pop = _split(p["population"], w_pop[idx])
        cols["population"][idx] = pop
        area = _split(round(p["area_km2"] * 100), w_area[idx]) / 100
        cols["area"][idx] = area
        need = calibrated_need(
            pd.DataFrame(
                {"region": p["region"], "population": pop, "area_km2": area, "communes": 1.0}
            )
        )
        base = _capped_split(p["baseline"], w_base[idx] * pop, np.floor(need))
        cols["base"][idx] = base
        room = need - base
        if np.any(room < 0):
            raise RuntimeError(f"calibration broken: a commune of {parent} has baseline above need")
        cols["rev"][idx] = _split(p["own_revenue"], room)
        cols["elim"][idx] = _split(p["eliminated_communes"], w_elim[idx])
    parent = communes["parent"]
    return pd.DataFrame(
        {
            "code": communes["code_int"].map(lambda c: f"{c:05d}"),
            "name": communes["name"],
            "type": communes["type"],
            "parent": parent,
            "predecessors": "",
            "region": parent.map(provinces["region"]),
            "population": cols["population"],
            "area_km2": cols["area"].round(2),
            "communes": 1,
            "eliminated_provinces": 0,
            "eliminated_communes": cols["elim"].astype(int),
            "baseline": cols["base"],
            "own_revenue": cols["rev"],
            "retention": parent.map(provinces["retention"]).to_numpy(),
            "estimated": COMMUNE_ESTIMATED,
        }
    )


def commune_units(province: str | None = None) -> pd.DataFrame:
    """The 3,321 communes (or one province's) with illustrative attributes."""
    df = _commune_units()
    if province is not None:
        df = df[df["parent"] == province]
    return df.reset_index(drop=True).copy()
