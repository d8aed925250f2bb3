"""The bundled real figures, read from ``fiscal/datasets/sources`` (each file's source is in
``fiscal/datasets/README.md``): the 34 provincial units and their 63 predecessors with NSO 2024
population and area, the commune list of ``vietnam-provinces``, NA Resolution 246/2025's 2026
revenue on territory, the 2026 uplift and top-ups, the Ministry's 2017 table, the provincial
documents' 2026 anchors and Decision 2639's 27 units. Nothing here is estimated: the
illustrative layer built on them is :mod:`fiscal.calibrate`'s.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "SOURCES",
    "anchors_2026",
    "bridge_2026",
    "mof_2017",
    "new_units",
    "old_provinces",
    "package_communes",
    "province_code",
    "read_source",
    "receiving_2026",
    "revenue_on_territory_2026",
    "source_fact",
]

SOURCES = Path(str(resources.files("fiscal") / "datasets" / "sources"))


def province_code(value: Any) -> str:
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
            "code": old["old_code"].map(province_code),
            "name": old["old_name"],
            "short_name": old["old_short_name"],
            "region": old["region_gso"],
            "new_code": old["new_code"].map(province_code),
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


def new_units() -> pd.DataFrame:
    """34 new units with real columns only (no fiscal layer)."""
    prov = pd.read_csv(SOURCES / "provinces_2025.csv", dtype=str, keep_default_na=False)
    old = old_provinces()
    prov["code"] = prov["code"].map(province_code)
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


def read_source(name: str) -> pd.DataFrame:
    return pd.read_csv(SOURCES / name, dtype=str, keep_default_na=False)


def _ascii(text: str) -> str:
    import unicodedata

    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def revenue_on_territory_2026() -> pd.Series:
    """REAL 2026 revenue on the territory of each of the 34 units (NQ 246/2025/QH15), by code."""
    df = read_source("nq246_2026_revenue_on_territory_34.csv")
    rows = df[df["code"] != ""]
    out = pd.Series(
        rows["value"].astype(np.int64).to_numpy(), index=rows["code"].map(province_code)
    )
    if len(out) != 34 or out.index.duplicated().any():
        raise RuntimeError("bundled data broken: NQ 246 revenue table must have 34 units")
    return out.sort_index(key=lambda s: s.astype(int))


@cache
def bridge_2026() -> tuple[float, dict[str, int]]:
    """(growth, {code: top-up in million VND}) of the 2026 balancing transfers, read from the note
    of the 238,421 bn row of ``fiscal_facts_sourced.csv`` ("+3%; +319 bn Khanh Hoa ...")."""
    import re

    facts = read_source("fiscal_facts_sourced.csv")
    row = facts[
        (facts["year"] == "2026") & (facts["metric"] == "balancing_supplement_to_localities")
    ]
    if len(row) != 1:
        raise RuntimeError("bundled data broken: no 2026 balancing row in fiscal_facts_sourced.csv")
    note = row["note"].iloc[0]
    growth = re.search(r"\+(\d+(?:\.\d+)?)\s*%", note)
    names = new_units().set_index("code")["short_name"].map(_ascii)
    topups: dict[str, int] = {}
    for amount, name in re.findall(r"\+(\d[\d,]*) bn ([A-Z][a-z]+(?: [A-Z][a-z]+)*)", note):
        code = names.index[names == name.strip()]
        if len(code) != 1:
            raise RuntimeError(f"bundled data broken: top-up for unknown unit {name!r}")
        topups[code[0]] = int(amount.replace(",", "")) * 1000  # bn → million VND
    if growth is None or len(topups) != 2:
        raise RuntimeError(f"bundled data broken: cannot read the 2026 uplift from {note!r}")
    return float(growth.group(1)) / 100.0, topups


@cache
def mof_2017() -> pd.DataFrame:
    """The MOF's 2017 estimate table (63 old provinces), numeric columns as numbers."""
    df = read_source("mof_63_provinces_budget_2011_2017.csv")
    df = df[(df["kind"] == "estimate") & (df["year"] == "2017")].copy()
    for col in (
        "revenue_on_territory",
        "local_revenue_by_decentralization",
        "retention_pct",
        "balancing_transfer",
        "local_balanced_expenditure",
        "local_deficit",
        "local_surplus",
    ):
        df[col] = pd.to_numeric(df[col].replace("", "0")).astype(np.int64)
    return df.reset_index(drop=True)


def source_fact(file: str, metric: str, **where: str) -> int:
    """The one REAL figure of ``metric`` in ``fiscal/datasets/sources/<file>`` (rows matching
    ``where``), as the file gives it: never typed, read."""
    rows = read_source(file)
    rows = rows[rows["metric"] == metric]
    for k, v in where.items():
        rows = rows[rows[k] == v]
    if len(rows) != 1:
        raise RuntimeError(f"bundled data broken: expected one '{metric}' row in {file} ({where})")
    return int(rows["value"].iloc[0])


@cache
def anchors_2026() -> dict[str, int]:
    """The REAL per-unit 2026 figures the layer is anchored to (million VND)."""
    hy, hy_2026 = "province_fiscal_facts_2025_2026.csv", {"code": "33", "year": "2026"}
    cm, plan = "ca_mau_3yr_plan_2025_2028.csv", {"column": "2026 plan"}
    return {
        "hung_yen_balancing": source_fact(hy, "balancing_transfer_from_central", **hy_2026),
        "hung_yen_revenue_kept": source_fact(hy, "local_revenue_by_decentralization", **hy_2026),
        "hung_yen_revenue_on_territory": source_fact(
            hy, "state_budget_revenue_on_territory_estimate", **hy_2026
        ),
        "ca_mau_basis": source_fact(
            cm, "balanced_expenditure_basis_for_sharing_rate_and_balancing_transfer", **plan
        ),
        "ca_mau_land_fees": source_fact(cm, "land_use_fees", **plan),
        "ca_mau_land_spending": source_fact(cm, "capital_expenditure_from_land_use_fees", **plan),
        "ca_mau_lottery": source_fact(cm, "lottery_revenue", **plan),
        "ca_mau_revenue_on_territory": source_fact(cm, "state_budget_revenue_on_territory", **plan),
    }


@cache
def receiving_2026() -> frozenset[str]:
    """Codes of the 27 units paid by Decision 2639/QĐ-TTg: read as the receiving units (inference)."""
    df = read_source("qd2639_2025_commune_facility_transfer_27.csv")
    return frozenset(df.loc[df["code"] != "", "code"].map(province_code))


@cache
def package_communes() -> pd.DataFrame:
    import json

    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        nested = json.load(f)
    rows = [
        (w["code"], w["name"], w["division_type"], province_code(p["code"]))
        for p in nested
        for w in p["wards"]
    ]
    df = pd.DataFrame(rows, columns=["code_int", "name", "type", "parent"])
    return df.sort_values("code_int").reset_index(drop=True)
