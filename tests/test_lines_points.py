"""The capital line as a transfer line (rule = "points", issue 14 points 1 and 3): the shipped
national-2026-capital-points scenario shares its envelope exactly as the five-year capital view
shares 2026, only among receiving units, and explains each unit's points in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from fiscal.capital import five_year
from fiscal.errors import FiscalError
from fiscal.pipeline import run
from fiscal.scenario import load_scenario

SCENARIO = "national-2026-capital-points"


def test_the_points_line_is_the_capital_views_2026_line():
    result = run(SCENARIO)
    line = result.budget.line("capital")
    view = five_year()
    y2026 = view.years[view.years["year"] == 2026]
    assert line.envelope == view.envelope[2026] == 50_805_400
    assert line.amount[0].sum() == 50_805_400
    assert np.array_equal(line.amount[0], y2026["capital_line"].to_numpy())
    receiving = result.table["fiscal_class"].to_numpy() == "receiving"
    assert (line.amount[0][~receiving] == 0).all() and (line.amount[0][receiving] > 0).all()


@pytest.mark.parametrize(
    "lang, words",
    [("en", "61.0 points (population 23.5"), ("vi", "61,0 điểm (dân số 23,5")],
)
def test_why_tells_a_units_points(lang, words):
    from fiscal.lines.facts import unit_budget
    from fiscal.prose.budget import budget_story

    result = run(SCENARIO)
    ub = unit_budget(result.budget, result.problem.frame, "08")
    text = "\n".join(budget_story(ub, lang=lang))
    assert words in text


def test_a_points_line_needs_criteria_and_an_envelope(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[scenario]\nname = "bad"\nextends = "national-2026-budget.toml"\n'
        '[lines.capital]\nrule = "points"\nenvelope = 1000\n',
        encoding="utf-8",
    )
    with pytest.raises(FiscalError, match=r"needs \[\[lines.<name>.points\]\]"):
        load_scenario(path)
