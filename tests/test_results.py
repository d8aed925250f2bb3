"""Results: rounding that reconciles and never breaks a bound, whole units inside or strictly."""

from __future__ import annotations

import numpy as np
import pytest
from handmade import scenario, units

from fiscal.errors import InfeasibleError, ModelError
from fiscal.pipeline import run
from fiscal.rounding import largest_remainder


def test_largest_remainder_reconciles_and_breaks_ties_by_position():
    assert largest_remainder(np.array([1.5, 1.5, 1.0]), 4).tolist() == [2, 1, 1]
    assert largest_remainder(np.array([33.3, 33.3, 33.4]), 100).tolist() == [33, 33, 34]
    assert largest_remainder(np.array([15.0, 25.0, 60.0]), 100, unit=10).tolist() == [20, 20, 60]


def test_rounding_never_breaks_a_bound():
    values = np.array([10.4, 10.4, 79.2])
    # without bounds unit 3 would get the spare unit; a cap of 79 forces it elsewhere
    out = largest_remainder(values, 100, upper=np.array([np.inf, np.inf, 79.0]))
    assert out.tolist() == [11, 10, 79]
    out = largest_remainder(values, 100, lower=np.array([11.0, 11.0, 0.0]))
    assert out.tolist() == [11, 11, 78]


def test_rounding_refuses_a_total_off_the_unit():
    with pytest.raises(ModelError, match="not a multiple of the rounding unit"):
        largest_remainder(np.array([1.0, 2.0]), 3.5)


@pytest.mark.parametrize(("strict", "expected"), [(False, [97, 103]), (True, [98, 102])])
def test_bounds_in_whole_units_inside_or_strictly(strict, expected):
    # floors of 97.5 % of 100: met by 97 (the whole unit inside the bound) or, strictly, by 98
    table = units(need_units=[1, 1000], population=[1, 1], baseline=[100, 100])
    s = scenario(
        200,
        kind="need_gap",
        constraints=[{"kind": "floor", "ratio": 0.975}],
        rounding={"unit": 1, "strict_bounds": strict},
    )
    r = run(s, units=table)
    assert r.table["transfer"].tolist() == expected
    assert all(c.ok for c in r.checks)


def test_strict_bounds_can_make_a_scenario_infeasible():
    # three floors of 33.4 in an envelope of 100: whole units below (33) fit, strictly (34) not
    table = units(need_units=[1, 1, 1], population=[1, 1, 1], baseline=[33.4 / 0.5] * 3)
    cons = [{"kind": "floor", "ratio": 0.5, "name": "hh"}]
    assert run(scenario(100, constraints=cons), units=table).table["transfer"].sum() == 100
    with pytest.raises(InfeasibleError):
        run(
            scenario(100, constraints=cons, rounding={"unit": 1, "strict_bounds": True}),
            units=table,
        )


def test_flag_column_orders_each_rows_words_by_its_own_marks():
    """The flags column (computed per distinct set of marks) lists a row's words in the order
    of the marks that hit that row, each once — as row by row."""
    import numpy as np

    from fiscal.flags import Flag, FlagMark, Flags
    from fiscal.prose.words import flag_column

    def where(*rows):
        out = np.zeros((1, 4), dtype=bool)
        out[0, list(rows)] = True
        return out

    marks = (
        FlagMark(Flag.LOWER, "floor", "a", where(0, 2)),
        FlagMark(Flag.UPPER, "cap", "b", where(1, 2, 3)),
        FlagMark(Flag.LOWER, "floor", "c", where(1, 3)),
        FlagMark(Flag.SUPPORT, "", "", where(3)),
    )
    col = flag_column(Flags((1, 4), marks)).tolist()
    floor, cap = col[0], col[1].split("; ")[0]
    assert col == [floor, f"{cap}; {floor}", f"{floor}; {cap}", col[3]]
    assert col[3].startswith(f"{cap}; {floor}; ") and col[3].count(";") == 2


# ----------------------------------------------------------------------------- earmarks after rounding


def _three_sector_problem(earmarks: dict[str, float]):
    """Three units and sectors a, b, c; an envelope of three rounding units of 1,000."""
    from reliability_helpers import small_units

    from fiscal.problem import prepare
    from fiscal.scenario import scenario_from_dict

    data = {
        "scenario": {"name": "earmarks", "years": [2026]},
        "envelope": {"total": 3000.0},
        "need": {"criteria": [{"indicator": "population", "rate": 1.0}]},
        "objective": {"kind": "per_capita_maximin"},
        "rounding": {"unit": 1000.0},
        "sectors": [{"name": k, "need_share": 1 / 3} for k in "abc"],
        "constraints": [
            {"name": f"earmark-{k}", "kind": "earmark", "sector": k, "min_share": v}
            for k, v in earmarks.items()
        ],
    }
    return prepare(scenario_from_dict(data, source="earmarks.toml"), small_units(3))


def test_rounding_meets_each_hard_earmark_without_breaking_another():
    # cells of a few hundred at a unit of 1,000: each unit's 1,000 goes to one sector. Unit 0's
    # goes to a (500 > 490) and a holds its earmark (1,000 of 1,020 → 1,000 whole); b is short,
    # and its largest remainder is in unit 0 too. Taking it from a there broke a's earmark (the
    # re-check then refused a problem the rounded table can meet): b takes from c in unit 1.
    from fiscal.results import round_allocation

    problem = _three_sector_problem({"a": 0.34, "b": 0.34})
    x = np.array([[[500, 260, 260], [490, 265, 265], [10, 475, 475]]], dtype=float)  # (T, S, n)
    cells = round_allocation(problem, x)
    assert cells.sum(axis=1).tolist() == [[1000.0, 1000.0, 1000.0]]  # unit totals as rounded
    assert cells[0].sum(axis=1).tolist() == [1000.0, 1000.0, 1000.0]  # a, b, c: both earmarks


def test_an_earmark_takes_a_chain_of_moves_when_no_single_move_keeps_the_others():
    # b may take only in unit 0 (whose 1,000 is a's, and a is at its earmark) and a may take
    # only in unit 1 (whose 1,000 is c's): b takes from a in unit 0, a from c in unit 1
    problem = _three_sector_problem({"a": 0.34, "b": 0.34})
    earmark_b = next(r for r in problem.hard_rules if r.name == "earmark-b")
    out = np.array([[[1000, 0, 0], [0, 0, 0], [0, 1000, 1000]]], dtype=float)
    lo = np.zeros_like(out)
    hi = np.full_like(out, np.inf)
    hi[0, 1, 1:] = 0.0  # b: nothing in units 1 and 2
    hi[0, 0, 2] = 0.0  # a: nothing in unit 2
    repaired = earmark_b.repair_cells(problem, out, out, lo, hi, 1000.0)
    assert repaired[0].tolist() == [[0, 1000, 0], [1000, 0, 0], [0, 0, 1000]]
