"""Scenario files: every shipped one validates, extends merges, strict errors, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscal.errors import ScenarioError
from fiscal.scenario import list_scenarios, load_scenario, parse_scenario, scenario_from_dict

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "fiscal" / "scenarios" / "national-2026-baseline.toml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def extending(tmp_path: Path, body: str, name: str = "child.toml", meta: str = "") -> Path:
    base = write(tmp_path, "base.toml", BASE.read_text(encoding="utf-8"))
    return write(
        tmp_path, name, f'[scenario]\nname = "child"\nextends = "{base.name}"\n{meta}{body}'
    )


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.name)
def test_every_shipped_scenario_validates_and_says_where_its_figures_come_from(path):
    s = load_scenario(path)
    assert s.name
    assert s.envelope.source, "the envelope must carry its source"
    for c in s.need.criteria:
        assert c.source and c.unit, f"criterion {c.indicator} needs a unit and a source"


def test_baseline_scenario_states_the_resolution_246_envelope():
    s = load_scenario(BASE)
    assert s.envelope.total == 238_421_000
    assert "246/2025/QH15" in s.envelope.source
    assert s.objective.kind == "formula"
    floor = s.constraints[0]
    assert (floor.kind, floor.ratio) == ("floor", 1.0)


def test_extends_states_only_what_differs(tmp_path):
    child = load_scenario(extending(tmp_path, '[objective]\nkind = "need_gap"\n'))
    parent = load_scenario(BASE)
    assert child.objective.kind == "need_gap"
    assert child.envelope == parent.envelope
    assert child.need == parent.need
    assert child.constraints == parent.constraints
    assert child.scenario.description == ""  # a description describes one file


def test_lists_merge_by_name_and_drop_removes(tmp_path):
    # the commune scenario holds the per-capita norms (population, area, communes)
    norms = (ROOT / "fiscal" / "scenarios" / "commune-08-tuyen-quang.toml").read_text("utf-8")
    parent = write(tmp_path, "norms.toml", norms)
    body = (
        '[[constraints]]\nname = "hold-harmless"\nratio = 0.9\n'
        '[[constraints]]\nname = "cap"\nkind = "cap"\nratio = 1.2\n'
        '[[need.criteria]]\nindicator = "communes"\ndrop = true\n'
        '[[need.criteria]]\nindicator = "area_km2"\nrate = 1.0\n'
    )
    child = f'[scenario]\nname = "child"\nextends = "{parent.name}"\n{body}'
    s = load_scenario(write(tmp_path, "child.toml", child))
    assert [(c.name, c.kind) for c in s.constraints] == [("hold-harmless", "floor"), ("cap", "cap")]
    assert s.constraints[0].ratio == 0.9
    assert [c.indicator for c in s.need.criteria] == ["population", "area_km2"]
    area = s.need.criteria[1]
    assert area.rate == 1.0 and area.unit == "million VND per km²"  # other keys inherited


def test_choosing_another_envelope_basis_replaces_the_parent_one(tmp_path):
    s = load_scenario(extending(tmp_path, "[envelope]\nbaseline_factor = 1.05\n"))
    assert s.envelope.total is None and s.envelope.baseline_factor == 1.05


def test_unknown_key_names_file_key_path_and_allowed_keys(tmp_path):
    path = extending(tmp_path, "[envelope]\ntotl = 5\n", "typo.toml")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "typo.toml" in msg and "unknown key 'envelope.totl'" in msg
    assert "allowed keys here: " in msg and "total" in msg and "growth" in msg


def test_unknown_key_inside_a_constraint_lists_that_kind_s_keys(tmp_path):
    path = extending(tmp_path, '[[constraints]]\nname = "hold-harmless"\nratoi = 0.9\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "constraints[0].ratoi" in msg
    assert "ratio" in msg and "soft" in msg


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        ('[envelope]\ntotal = "238421000"\n', ["envelope.total", "got '238421000'"]),
        ("[envelope]\ntotal = nan\n", ["envelope.total", "finite number"]),
        ("[envelope]\ntotal = inf\n", ["envelope.total", "finite number"]),
        ("[envelope]\ntotal = -5\n", ["envelope.total", "greater than or equal to 0"]),
        (
            '[[constraints]]\nname = "hold-harmless"\nratio = 95\n',
            ["constraints[0]", "ratio", "less than or equal to 10"],
        ),
        ('[objective]\nkind = "fairest"\n', ["objective.kind", "formula", "need_gap"]),
        (
            '[[constraints]]\nkind = "ceiling"\nratio = 1\n',
            ["unknown constraint kind 'ceiling'", "floor, cap"],
        ),
        ("@years = [2026, 2028]\n", ["consecutive"]),
        ('@level = "commune"\n', ["province = '<code>'"]),
        ('[[sectors]]\nname = "education"\nneed_share = 0.5\n', ["need_share must sum to 1"]),
        (
            '[[constraints]]\nname = "e"\nkind = "earmark"\nsector = "health"\nmin_share = 0.2\n',
            ["sector 'health'", "none defined"],
        ),
    ],
)
def test_bad_values_are_refused_with_the_field_named(tmp_path, body, fragments):
    meta, body = (body[1:], "") if body.startswith("@") else ("", body)
    with pytest.raises(ScenarioError) as err:
        load_scenario(extending(tmp_path, body, meta=meta))
    msg = str(err.value)
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} not in:\n{msg}"


def test_extends_cycle_and_missing_parent(tmp_path):
    write(tmp_path, "a.toml", '[scenario]\nname = "a"\nextends = "b.toml"\n')
    write(tmp_path, "b.toml", '[scenario]\nname = "b"\nextends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="cycle: a.toml → b.toml → a.toml"):
        load_scenario(tmp_path / "a.toml")
    write(tmp_path, "c.toml", '[scenario]\nname = "c"\nextends = "nowhere.toml"\n')
    with pytest.raises(ScenarioError, match="'nowhere.toml' not found"):
        load_scenario(tmp_path / "c.toml")


def test_malformed_toml_names_file_and_position(tmp_path):
    path = write(tmp_path, "broken.toml", '[scenario]\nname = "x\n')
    with pytest.raises(ScenarioError, match=r"broken.toml: not valid TOML.*line 2"):
        load_scenario(path)


def test_resolved_toml_round_trips_to_an_equal_scenario():
    for path in list_scenarios():
        s = load_scenario(path)
        back = parse_scenario(s.to_toml(), source=path.name)
        assert back.model_dump(exclude={"path"}) == s.model_dump(exclude={"path"}), path.name


def test_with_value_addresses_constraints_by_name_and_validates():
    s = load_scenario(BASE)
    t = s.with_value("constraints.hold-harmless.ratio", 0.95)
    assert t.constraints[0].ratio == 0.95
    assert s.constraints[0].ratio == 1.0  # frozen: the original is unchanged
    assert s.with_value("constraints.0.ratio", 0.9).constraints[0].ratio == 0.9
    with pytest.raises(ScenarioError, match="no entry named 'nope'"):
        s.with_value("constraints.nope.ratio", 1.0)
    with pytest.raises(ScenarioError, match="constraints"):
        s.with_value("constraints.0.ratio", -1.0)


def test_objective_says_its_distributive_character():
    s = load_scenario(ROOT / "fiscal" / "scenarios" / "national-2026-need-gap.toml")
    assert "largest units" in s.objective.character
    assert (
        "water-filling" in s.with_value("objective.kind", "shortfall_minimax").objective.character
    )


def test_scenario_from_dict_defaults_constraint_names_to_their_kind():
    data = load_scenario(BASE).to_dict()
    data["constraints"] = [{"kind": "cap", "ratio": 1.5}]
    assert scenario_from_dict(data).constraints[0].name == "cap"


def test_a_shipped_scenario_loads_by_name_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    by_name = load_scenario("national-2026-baseline")
    assert by_name == load_scenario("national-2026-baseline.toml") == load_scenario(BASE)
    assert Path(by_name.path) == BASE.resolve()
    with pytest.raises(ScenarioError, match="no shipped scenario of that name .`fiscal list`"):
        load_scenario("national-2026")
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario("../scenarios/national-2026-baseline.toml")  # a name is not a path


def test_a_file_wins_over_a_shipped_name_and_may_extend_a_shipped_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "national-2026-baseline",
        '[scenario]\nname = "mine"\n'
        'extends = "national-2026-minimax.toml"\n[envelope]\ntotal = 239000000\n',
    )
    mine = load_scenario("national-2026-baseline")
    assert mine.name == "mine" and mine.objective.kind == "shortfall_minimax"
    assert mine.envelope.total == 239_000_000
