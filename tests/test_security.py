"""Security (issue #7, point 6): an uploaded file is only ever read.

* no eval/exec/pickle/shell of anything (a static scan of every source file of the package
  and the app);
* paths named in scenario files (``extends``, ``dataset``, ``from_scenario``) cannot leave
  the scenario's folder (or the shipped fiscal/scenarios/), by '..', absolute paths or symlinks;
* XLSX goes through defusedxml (the catalogue in test_bad_inputs.py tries the bombs);
* user text never becomes a spreadsheet formula in an export;
* the app binds 127.0.0.1 and limits uploads.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest
from reliability_helpers import BASE_SCENARIO, frame_from_rows, make_scenario, units_from_frame

from fiscal.cli import build_parser
from fiscal.data import MAX_FILE_BYTES
from fiscal.errors import ScenarioError
from fiscal.pipeline import load_units_for, run
from fiscal.scenario import bundled_scenarios_dir, load_scenario, parse_scenario, resolve_reference
from fiscal_app import launch

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [*REPO.joinpath("fiscal").rglob("*.py"), *REPO.joinpath("fiscal_app").rglob("*.py")]
)

# ----------------------------------------------------------------------------- static scan

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_MODULES = {
    "pickle",
    "cPickle",
    "marshal",
    "shelve",
    "dill",
    "cloudpickle",
    "yaml",
    "jsonpickle",
    "joblib",
}
FORBIDDEN_ATTRS = {
    ("os", "system"),
    ("os", "popen"),
    ("os", "execv"),
    ("os", "execvp"),
    ("os", "spawnl"),
    ("pd", "read_pickle"),
    ("pandas", "read_pickle"),
    ("pd", "eval"),
    ("pandas", "eval"),
}
# a method of that name on anything: DataFrame.query/eval evaluate strings as code
FORBIDDEN_METHODS = {"query", "eval", "to_pickle", "read_pickle"}
# (file, construct): why it is safe
ALLOWED = {
    (
        "fiscal_app/launch.py",
        "subprocess",
    ): "`fiscal app` starts streamlit with an argument list (no shell)",
    (
        "fiscal_app/launch.py",
        "os.execv",
    ): "`fiscal app` becomes streamlit: an argument list, no shell",
    (
        "fiscal/__init__.py",
        "import_module",
    ): "lazy import of names from a constant table (_EXPORTS)",
    (
        "fiscal/rules/__init__.py",
        "import_module",
    ): "the rule package's own modules, listed by pkgutil from its folder (a kind is one file)",
    (
        "fiscal/executors.py",
        "import_module",
    ): "ProcessPool.warm: module names the calling code states (the app's fiscal.pipeline, …)",
}


def _findings(path: Path) -> list[tuple[str, int, str]]:
    rel = path.relative_to(REPO).as_posix()
    tree = ast.parse(path.read_text("utf-8"), filename=rel)
    out: list[tuple[str, int, str]] = []

    def flag(node: ast.AST, what: str) -> None:
        key = what.split(":")[0]
        if (rel, key) not in ALLOWED:
            out.append((rel, getattr(node, "lineno", 0), what))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for name in names:
                root = name.split(".")[0]
                if root in FORBIDDEN_MODULES:
                    flag(node, f"{root}: imports {name}")
                if root == "subprocess":
                    flag(node, "subprocess: imports subprocess")
        elif isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name) and fn.id in FORBIDDEN_CALLS:
                flag(node, f"{fn.id}: calls {fn.id}()")
            if isinstance(fn, ast.Attribute):
                base = fn.value.id if isinstance(fn.value, ast.Name) else ""
                if (base, fn.attr) in FORBIDDEN_ATTRS:
                    flag(node, f"{base}.{fn.attr}: calls {base}.{fn.attr}()")
                elif fn.attr in FORBIDDEN_METHODS:
                    flag(node, f"{fn.attr}: calls .{fn.attr}()")
                if fn.attr == "import_module":
                    flag(node, "import_module: dynamic import")
                if base == "np" and fn.attr == "load":
                    for kw in node.keywords:
                        if kw.arg == "allow_pickle" and not (
                            isinstance(kw.value, ast.Constant) and kw.value.value is False
                        ):  # allow_pickle=False states the safe default
                            flag(node, "np.load: allow_pickle")
            for kw in node.keywords:
                if kw.arg == "shell" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    flag(node, "shell=True: runs a shell")
    return out


def test_sources_are_found() -> None:
    names = {p.relative_to(REPO).as_posix() for p in SOURCES}
    assert {"fiscal/scenario.py", "fiscal/data.py", "fiscal/cli.py"} <= names


def test_no_eval_exec_pickle_or_shell_in_the_sources() -> None:
    found = [f for p in SOURCES for f in _findings(p)]
    assert found == [], "\n".join(f"{f}:{line}: {what}" for f, line, what in found)


def test_the_scan_catches_what_it_looks_for(tmp_path: Path, monkeypatch) -> None:
    """The scanner itself: each forbidden construct in a throw-away file is reported."""
    bad = tmp_path / "fiscal" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(
        "import pickle\nimport subprocess\nimport yaml\n"
        "eval('1')\nexec('x = 1')\n"
        "subprocess.run('ls', shell=True)\n"
        "import os\nos.system('ls')\n"
        "df.query('a > 1')\n"
        "np.load('x.npy', allow_pickle=True)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__), "REPO", tmp_path)
    safe = tmp_path / "fiscal" / "safe.py"
    safe.write_text("np.load(buf, allow_pickle=False)\nsubprocess_run(shell=False)\n")
    assert _findings(safe) == []
    whats = {what.split(":")[0] for _, _, what in _findings(bad)}
    assert whats == {
        "pickle",
        "subprocess",
        "yaml",
        "eval",
        "exec",
        "shell=True",
        "os.system",
        "query",
        "np.load",
    }


def test_cli_app_starts_streamlit_without_a_shell_on_localhost() -> None:
    args = build_parser().parse_args(["app"])
    assert args.address == "127.0.0.1"
    cmd = launch.command(port=8765)
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert cmd[:5] == [sys.executable, "-m", "streamlit", "run", str(launch.APP)]
    assert flags["--server.address"] == "127.0.0.1" and flags["--server.port"] == "8765"
    assert flags["--server.headless"] == "true" and flags["--browser.gatherUsageStats"] == "false"


# ----------------------------------------------------------------------------- path confinement


def _scenario_text(**meta: str) -> str:
    lines = ["[scenario]", 'name = "confinement"']
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in meta.items()]
    lines += [
        "[envelope]",
        "total = 1000",
        "[need]",
        "[[need.criteria]]",
        'indicator = "population"',
        "rate = 0.1",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "ref",
    [
        "../../../../../../../../etc/passwd",
        "/etc/passwd",
        "../outside/parent.toml",
        "sub/../../outside/parent.toml",
    ],
)
def test_extends_cannot_leave_the_scenario_folder(tmp_path: Path, ref: str) -> None:
    folder = tmp_path / "scen"
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "parent.toml").write_text(_scenario_text(), encoding="utf-8")
    folder.mkdir()
    child = folder / "child.toml"
    child.write_text(_scenario_text(extends=ref), encoding="utf-8")
    with pytest.raises(
        ScenarioError, match=r"child\.toml: scenario\.extends .* points outside the scenario folder"
    ):
        load_scenario(child)


def test_a_sibling_folder_with_the_same_prefix_is_outside(tmp_path: Path) -> None:
    """'/x/scen-evil' starts with '/x/scen' as a string but is not inside it."""
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen-evil").mkdir()
    (tmp_path / "scen-evil" / "p.toml").write_text(_scenario_text(), encoding="utf-8")
    child = tmp_path / "scen" / "child.toml"
    child.write_text(_scenario_text(extends="../scen-evil/p.toml"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="points outside the scenario folder"):
        load_scenario(child)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    secret = tmp_path / "outside" / "units.csv"
    secret.write_text("code,name\n", encoding="utf-8")
    folder = tmp_path / "scen"
    folder.mkdir()
    (folder / "units.csv").symlink_to(secret)
    with pytest.raises(ScenarioError, match="points outside the scenario folder"):
        resolve_reference("units.csv", folder, "scenario.dataset", "s.toml")


def test_subfolders_are_allowed(tmp_path: Path) -> None:
    (tmp_path / "base" / "sub").mkdir(parents=True)
    (tmp_path / "base" / "sub" / "parent.toml").write_text(_scenario_text(), encoding="utf-8")
    child = tmp_path / "base" / "child.toml"
    child.write_text(_scenario_text(extends="sub/parent.toml"), encoding="utf-8")
    assert load_scenario(child).name == "confinement"


def test_nul_byte_in_a_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is not a valid path"):
        resolve_reference("units.csv\x00.toml", tmp_path, "scenario.dataset", "s.toml")


@pytest.mark.parametrize(
    "ref", ["../pyproject.toml", "../fiscal/datasets/calibration.toml", "/etc/hostname"]
)
def test_uploaded_scenario_cannot_reach_outside_the_shipped_scenarios(ref: str) -> None:
    with pytest.raises(ScenarioError, match="points outside the scenario folder"):
        parse_scenario(_scenario_text(extends=ref), source="upload.toml")


def test_uploaded_scenario_dataset_is_confined_too() -> None:
    scen = parse_scenario(_scenario_text(dataset="../pyproject.toml"), source="upload.toml")
    with pytest.raises(
        ScenarioError, match=r"scenario\.dataset '\.\./pyproject\.toml' points outside"
    ):
        load_units_for(scen)


def test_uploaded_scenario_may_extend_a_shipped_one() -> None:
    shipped = sorted(p.name for p in bundled_scenarios_dir().glob("*.toml"))
    assert shipped, "no shipped scenario to extend"
    text = _scenario_text(extends=shipped[0]).replace("[envelope]\ntotal = 1000\n", "")
    text = text.split("[need]")[0]
    assert parse_scenario(text, source="upload.toml").name == "confinement"


# ----------------------------------------------------------------------------- XLSX and exports


def test_xlsx_is_read_through_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "openpyxl does not see defusedxml: XLSX uploads would be parsed unsafely"


def test_user_text_never_becomes_a_formula_in_exports() -> None:
    """Names and a scenario name that look like formulas stay text in every export."""
    from fiscal.export import csv_bytes

    workbook = pytest.importorskip("fiscal.workbook")
    evil = '=HYPERLINK("http://example.invalid","x")'
    rows = [
        ["01", evil, "North", 1000, 10, 250, 50, 0.5],
        ["02", "+SUM(1,2)", "South", 2000, 20, 300, 60, 0.4],
        ["03", "@cmd", "South", 1500, 15, 200, 40, 0.5],
    ]
    units = units_from_frame(frame_from_rows(rows))
    scen = make_scenario(scenario={"name": evil})
    result = run(scen, units=units)
    book = openpyxl.load_workbook(io.BytesIO(workbook.result_workbook(result)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    # the workbook writes its own formulas (reconciling totals); none may carry user text
    formulas = [str(c.value) for c in cells if c.data_type == "f"]
    leaked = [f for f in formulas if re.search(r"HYPERLINK|example\.invalid|SUM\(1,2\)|cmd", f)]
    assert leaked == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {evil, "+SUM(1,2)", "@cmd"} <= texts
    assert evil.replace('"', '""') in csv_bytes(result).decode("utf-8")


# ----------------------------------------------------------------------------- the app's server


def test_streamlit_binds_localhost_and_limits_uploads() -> None:
    config = tomllib.loads(launch.CONFIG.read_text("utf-8"))
    server = config["server"]
    assert server["address"] == "127.0.0.1"
    assert server["headless"] is True
    assert 0 < server["maxUploadSize"] * 1024 * 1024 <= MAX_FILE_BYTES
    assert config["browser"]["gatherUsageStats"] is False


def test_make_app_does_not_override_the_address() -> None:
    """`make app` relies on `fiscal app`'s default; an explicit 0.0.0.0 there would expose the app."""
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert (
        "0.0.0.0" not in makefile
        and "server.address" not in makefile.split("\napp:")[1].split("\n\n")[0]
    )


def test_base_scenario_is_valid() -> None:
    """The helpers' base scenario parses (guards the confinement tests against false passes)."""
    assert make_scenario().name == BASE_SCENARIO["scenario"]["name"]
