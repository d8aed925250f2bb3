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


def _same(a, b, where: str) -> None:
    """Equal to the last bit: arrays (NaN = NaN), rules field by field, plain values."""
    import dataclasses

    import numpy as np

    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True), where
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{k}]")
    elif dataclasses.is_dataclass(a) and type(a).__module__.startswith("fiscal.rules"):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    else:
        assert a is b or a == b, (where, a, b)


def _variant_with_every_rule_on_units():
    """The national commune run with caps, per-capita minimums, a transition band, merger
    support and two sectors with an earmark, its envelopes from the communes' baselines."""
    from fiscal.scenario import load_scenario, scenario_from_dict

    scen = load_scenario(ROOT / "fiscal" / "scenarios" / "communes-2026-2030-all.toml")
    data = scen.to_dict()
    data["envelope"] = {"baseline_factor": 1.04, "growth": 0.03}
    data["sectors"] = [
        {"name": "education", "need_share": 0.4},
        {"name": "other", "need_share": 0.6},
    ]
    data["constraints"] += [
        {"name": "cap", "kind": "cap", "ratio": 1.6},
        {"name": "pcmin", "kind": "per_capita_min", "amount": 0.1},
        {"name": "band", "kind": "transition", "max_change": 0.2},
        {
            "name": "support",
            "kind": "merger_support",
            "per_commune": 5000,
            "placement": "on_top",
            "only_receiving": False,
        },
        {"name": "edu", "kind": "earmark", "sector": "education", "min_share": 0.3},
    ]
    return scenario_from_dict(data, source="test: every rule", path=scen.path)


def test_one_resolution_sliced_by_province_is_each_provinces_own():
    """prepare_parts (one resolution of the scenario over all communes, sliced by province)
    gives each province the problem prepare gives it alone, to the last bit — for the shipped
    national commune run and for a variant with every kind of rule on units."""
    import dataclasses

    from fiscal import calibrate
    from fiscal import communes as cm
    from fiscal.pipeline import load_units_for, run
    from fiscal.problem import prepare, prepare_parts
    from fiscal.scenario import load_scenario

    shipped = load_scenario(ROOT / "fiscal" / "scenarios" / "communes-2026-2030-all.toml")
    upper = cm.upper_scenario(shipped)
    assert upper is not None
    envelopes = cm.envelopes_from(run(upper), shipped.years)
    codes = sorted(calibrate.province_units()["code"])
    whole = load_units_for(shipped, "all")
    tables = cm.split_units(whole, codes, bundled=True)
    rows = cm.part_rows(whole, codes)
    for scen, env in ((shipped, envelopes), (_variant_with_every_rule_on_units(), None)):
        parts = [(rows[c], tables[c], None if env is None else env[c]) for c in codes]
        for code, got in zip(codes, prepare_parts(scen, whole, parts), strict=True):
            want = prepare(scen, tables[code], None if env is None else env[code])
            assert got.units is tables[code]
            if env is None:  # the variant: every rule resolved, support paid on top
                kinds = {r.kind for r in want.rules}
                assert kinds >= {"floor", "cap", "per_capita_min", "transition", "earmark"}
                assert want.support.sum() > 0 or not want.frame["eliminated_communes"].any(), code
            for f in dataclasses.fields(want):
                if f.name != "units":
                    _same(getattr(got, f.name), getattr(want, f.name), f"{code}.{f.name}")


def test_the_batch_builds_one_table_and_each_province_its_own_rows():
    """finalize_parts: the run's one table is the provinces' own tables combined (year-major),
    and each province's table the one finalize gives it alone, dtypes included."""
    import pandas as pd

    from fiscal.results import build_table

    result = fiscal.run(ROOT / "fiscal" / "scenarios" / "communes-2026-2030-all.toml")
    own = [build_table(c.problem, c.cells, c.exact) for c in result.children]
    for child, table in zip(result.children, own, strict=True):
        pd.testing.assert_frame_equal(child.table, table)
    combined = pd.concat(own, ignore_index=True)
    combined = combined.sort_values(["year"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(result.table, combined)
