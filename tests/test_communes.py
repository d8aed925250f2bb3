"""Commune runs: the national run of every province shares out each province's allocation."""

from __future__ import annotations

from pathlib import Path

import fiscal

ROOT = Path(__file__).resolve().parent.parent


def test_national_commune_run_shares_each_province_allocation():
    communes = fiscal.run(ROOT / "fiscal" / "scenarios" / "communes-2026-2030-all.toml")
    provinces = fiscal.run(ROOT / "fiscal" / "scenarios" / "national-2026-2030-transition.toml")
    assert communes.table["code"].nunique() == 3321
    got = communes.table.groupby(["year", "parent"])["allocation"].sum()
    want = provinces.table.set_index(["year", "code"])["allocation"]
    want.index.names = ["year", "parent"]
    assert (got - want.loc[got.index]).abs().max() == 0
    assert len(communes.children) == 34
