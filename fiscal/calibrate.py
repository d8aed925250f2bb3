"""The bundled national dataset: real units and the illustrative fiscal layer.

Real (sourced) parts, from ``fiscal/datasets/sources`` (see ``fiscal/datasets/README.md``):
the 34 provincial units and their predecessors (NA Resolution 202/2025/QH15), the 63 old
provinces with NSO 2024 average population and area, the commune list of ``vietnam-provinces``.

Illustrative parts (flagged ``estimated``), derived deterministically from the parameters in
``fiscal/datasets/calibration.toml`` and the real national totals:

1. Need rates. Each criterion k gets rate_k = w_k · total_need / (1 + other) / Σ_i ind_k,i·coef_k,i
   over the 34 new units, rounded to 4 significant digits (w: share of need per criterion).
2. Baseline. The 2025 post-merger transfers T = balancing_2026 / (1 + growth_2026) are spread
   over the old provinces that received a balancing transfer in proportion to an old need proxy
   (the same rates on population and area, with each old province's own region); old provinces
   that remitted revenue to the centre in 2023 (named in the sources) get none. A new unit's
   baseline is the sum of its predecessors' (the hold-harmless base).
3. Capacity. C_i = N_i − baseline_i for every new unit, with N_i the need of step 1: the 2025
   transfers filled each unit's gap, so the status-quo formula reproduces the 2026 rule of
   NQ 246/2025/QH15 (every unit +3 % on its predecessors' 2025 estimate) exactly, and any change
   of rates, rules or objective shows up as a change against it.
4. Own revenue = C / retention, where a new unit's retention blends the reported 2022–2025
   retention rates of its predecessors (1 where none is reported), weighted by the predecessors'
   proxy capacity (proxy need − transfer).
5. Communes: province population, area, baseline and eliminated communes are split among the
   province's communes by type weights × a deterministic hash of the commune code, by largest
   remainder, so that every commune column sums exactly to its province. Own revenue is then split
   in proportion to N_c − baseline_c (N_c: the calibrated need of the commune), so that, as for
   the provinces, each commune's gap equals its baseline under the calibrated norms (the province
   retention applies to all its communes).
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fiscal.rounding import largest_remainder

__all__ = [
    "calibrated_need",
    "calibration",
    "commune_units",
    "need_rates",
    "old_fiscal_layer",
    "old_provinces",
    "province_units",
]

SOURCES = Path(str(resources.files("fiscal") / "datasets" / "sources"))
CALIBRATION = Path(str(resources.files("fiscal") / "datasets" / "calibration.toml"))

POPULATION_BASIS = "NSO average population 2024 (dân số trung bình), summed over predecessors"
PROVINCE_ESTIMATED = "baseline;own_revenue;retention"
COMMUNE_ESTIMATED = "population;area_km2;eliminated_communes;baseline;own_revenue;retention"


@cache
def calibration() -> dict:
    """The parameters of ``calibration.toml``."""
    with CALIBRATION.open("rb") as f:
        return tomllib.load(f)


def _province_code(value: Any) -> str:
    return f"{int(value):02d}"


@cache
def old_provinces() -> pd.DataFrame:
    """The 63 pre-merger provinces with NSO 2024 population and area (real) and flags."""
    old = pd.read_csv(SOURCES / "old_provinces_2024.csv", dtype=str, keep_default_na=False)
    pop = pd.read_csv(SOURCES / "old_provinces_population.csv", dtype=str, keep_default_na=False)
    more = pd.read_csv(SOURCES / "province_fiscal_more.csv", dtype=str, keep_default_na=False)
    pop = pop.set_index("old_name")
    df = pd.DataFrame(
        {
            "code": old["old_code"].map(_province_code),
            "name": old["old_name"],
            "short_name": old["old_short_name"],
            "region": old["region_gso"],
            "new_code": old["new_code"].map(_province_code),
            "population": old["old_name"].map(pop["population"]).astype(float),
            "area_km2": old["old_name"].map(pop["area_km2"]).astype(float),
            "communes": old["communes_2025"].astype(int),
        }
    )
    if df["population"].isna().any() or df["area_km2"].isna().any():
        missing = df.loc[df["population"].isna(), "name"].tolist()
        raise RuntimeError(f"bundled data broken: no NSO 2024 population for {missing}")
    # Remitting (self-balancing) in 2023: named in old_provinces_2024.csv, plus the two named in
    # province_fiscal_more.csv. The other 8 of the 18 are not named in any source we have.
    named = set(old.loc[old["self_balancing_2023"] == "yes", "old_short_name"])
    flag = more[
        (more["metric"] == "regulates_revenue_to_central_budget")
        & (more["year"] == "2023")
        & (more["value"] == "yes")
    ]
    named |= {p.replace(" (old)", "").strip() for p in flag["province"]}
    df["self_balancing"] = df["short_name"].isin(named)
    rate = pd.to_numeric(old["retention_rate_2022_2025_pct_draft"], errors="coerce") / 100
    df["retention_reported"] = rate
    df["revenue_2024_reported_bn"] = pd.to_numeric(
        old["state_budget_revenue_on_territory_2024_bn_vnd"], errors="coerce"
    )
    return df


def _new_units_frame() -> pd.DataFrame:
    """34 new units with real columns only (no fiscal layer)."""
    prov = pd.read_csv(SOURCES / "provinces_2025.csv", dtype=str, keep_default_na=False)
    old = old_provinces()
    prov["code"] = prov["code"].map(_province_code)
    groups = old.groupby("new_code", sort=False)
    pop = groups["population"].sum()
    area = groups["area_km2"].sum()
    old_communes = groups["communes"].sum()
    n_pred = groups.size()
    # region: that of the predecessors holding most of the population
    region_pop = old.groupby(["new_code", "region"])["population"].sum().reset_index()
    region_pop = region_pop.sort_values(["new_code", "population"], ascending=[True, False])
    region = region_pop.drop_duplicates("new_code").set_index("new_code")["region"]
    regions = old.groupby("new_code")["region"].agg(lambda s: ";".join(sorted(set(s))))
    predecessors = old.groupby("new_code")["short_name"].agg(lambda s: ";".join(s))
    code = prov["code"]
    communes = prov["units_total"].astype(int)
    nq202 = pd.to_numeric(prov["population"], errors="coerce")
    df = pd.DataFrame(
        {
            "code": code,
            "name": prov["name"],
            "short_name": prov["short_name"],
            "type": prov["type"],
            "predecessors": code.map(predecessors),
            "merged": prov["merged"],
            "region": code.map(region),
            "regions": code.map(regions),
            "population": code.map(pop),
            "population_nq202": nq202,
            "area_km2": code.map(area).round(2),
            "communes": communes,
            "communes_xa": prov["units_xa"].astype(int),
            "communes_phuong": prov["units_phuong"].astype(int),
            "communes_dac_khu": prov["units_dac_khu"].astype(int),
            "eliminated_provinces": code.map(n_pred).astype(int) - 1,
            "eliminated_communes": code.map(old_communes).astype(int) - communes,
        }
    )
    return df.sort_values("code", key=lambda s: s.astype(int)).reset_index(drop=True)


def _significant(x: float, digits: int) -> float:
    if x == 0:
        return 0.0
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


@cache
def need_rates() -> dict[str, float]:
    """Need rates (million VND per indicator unit) calibrated on the 34 new units (step 1)."""
    cal = calibration()
    need = cal["need"]
    units = _new_units_frame()
    coef = units["region"].map(need["region_coefficients"]).fillna(1.0).to_numpy()
    base = cal["totals"]["total_need"] / (1.0 + need["other_markup"])
    rates = {}
    for indicator, weight in need["weights"].items():
        ind = units[indicator].to_numpy(dtype=float)
        if indicator == "population":
            ind = ind * coef
        rates[indicator] = _significant(weight * base / ind.sum(), need["significant_digits"])
    return rates


def _old_proxy_need(old: pd.DataFrame) -> np.ndarray:
    """The old need proxy of step 2: the calibrated rates on population and area only."""
    return calibrated_need(old, calibration()["need"]["old_proxy_criteria"])


@cache
def old_fiscal_layer() -> pd.DataFrame:
    """Steps 2–3 at the level of the 63 old provinces (million VND, integers)."""
    cal = calibration()["totals"]
    old = old_provinces().copy()
    transfers_2025 = cal["balancing_2026"] / (1.0 + cal["growth_2026"])
    proxy = _old_proxy_need(old)
    receiving = ~old["self_balancing"].to_numpy()
    share = np.where(receiving, proxy, 0.0)
    baseline = largest_remainder(share / share.sum() * transfers_2025, round(transfers_2025))
    capacity = largest_remainder(proxy - baseline, round(proxy.sum() - baseline.sum()))
    retention = old["retention_reported"].fillna(1.0).to_numpy()
    own_revenue = np.round(capacity / retention)
    old["need_proxy"] = proxy
    old["baseline"] = baseline
    old["capacity"] = capacity
    old["own_revenue"] = own_revenue
    old["retention"] = retention
    return old


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


@cache
def _province_units() -> pd.DataFrame:
    df = _new_units_frame()
    old = old_fiscal_layer()
    sums = old.groupby("new_code")[["baseline", "own_revenue", "capacity"]].sum()
    df["baseline"] = df["code"].map(sums["baseline"])
    capacity = np.round(calibrated_need(df) - df["baseline"].to_numpy())
    if np.any(capacity < 0):
        raise RuntimeError("calibration broken: a unit's baseline exceeds its need")
    blend = (df["code"].map(sums["capacity"]) / df["code"].map(sums["own_revenue"])).to_numpy()
    own_revenue = np.round(capacity / blend)
    df["own_revenue"] = own_revenue
    # exact, so that capacity = own_revenue × retention reproduces C to the float
    df["retention"] = np.where(
        own_revenue > 0, capacity / np.where(own_revenue > 0, own_revenue, 1), blend
    )
    df["estimated"] = PROVINCE_ESTIMATED
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


@cache
def _package_communes() -> pd.DataFrame:
    import json

    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        nested = json.load(f)
    rows = [
        (w["code"], w["name"], w["division_type"], _province_code(p["code"]))
        for p in nested
        for w in p["wards"]
    ]
    df = pd.DataFrame(rows, columns=["code_int", "name", "type", "parent"])
    return df.sort_values("code_int").reset_index(drop=True)


def _split(total: float, weights: np.ndarray, unit: float = 1.0) -> np.ndarray:
    if total == 0 or weights.sum() == 0:
        return np.zeros(len(weights))
    return largest_remainder(weights / weights.sum() * total, total, unit)


@cache
def _commune_units() -> pd.DataFrame:
    cal = calibration()["commune_layer"]
    spread = cal["spread"]
    communes = _package_communes()
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
        base = _split(p["baseline"], w_base[idx] * pop)
        cols["base"][idx] = base
        need = calibrated_need(
            pd.DataFrame(
                {"region": p["region"], "population": pop, "area_km2": area, "communes": 1.0}
            )
        )
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
