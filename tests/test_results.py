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
