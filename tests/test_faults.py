"""Faults: solver limits and aborts are reported clearly, and no export is ever left half-written.

Issue #7, point 4. Failures are injected where they would really happen: inside the write (fsync,
rename), while the bytes are produced, on Ctrl-C, and inside the solver.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_helpers import make_scenario, small_units

import fiscal._io as fio
from fiscal import export
from fiscal.cli import main
from fiscal.errors import ExportError, InfeasibleError, SolverError
from fiscal.pipeline import run
from fiscal.solve import Status

REPO = Path(__file__).resolve().parent.parent
OLD = b"old contents that must survive\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def result():
    return run(make_scenario(), units=small_units())


# ----------------------------------------------------------------------------- atomic writes


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(OLD)
    fio.atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_os_error_mid_write_leaves_target_untouched(
    tmp_path: Path, monkeypatch, where: str
) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(OLD)

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fio.os, where, boom)
    with pytest.raises(ExportError, match=r"cannot write .*out\.csv: No space left on device"):
        fio.atomic_write(target, b"x" * 100_000)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_ctrl_c_mid_write_leaves_target_untouched(tmp_path: Path, monkeypatch, where: str) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(OLD)

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fio.os, where, interrupt)
    with pytest.raises(KeyboardInterrupt):
        fio.atomic_write(target, b"{}")
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_new_file_is_not_created_when_the_write_fails(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fio.os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        fio.atomic_write(tmp_path / "new.csv", b"data")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"folder .*nope does not exist; create it first"):
        fio.atomic_write(tmp_path / "nope" / "out.csv", b"x")


def test_error_while_producing_the_bytes_writes_nothing(
    tmp_path: Path, monkeypatch, result
) -> None:
    target = tmp_path / "alloc.csv"
    target.write_bytes(OLD)

    def broken(_result: object) -> bytes:
        raise RuntimeError("serialiser crashed half way")

    monkeypatch.setattr(export, "csv_bytes", broken)
    with pytest.raises(RuntimeError, match="half way"):
        export.write(result, target)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_unknown_export_format_writes_nothing(tmp_path: Path, result) -> None:
    with pytest.raises(
        ExportError, match=r"unknown output format '\.txt'; use one of \.csv, \.json"
    ):
        export.write(result, tmp_path / "alloc.txt")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_export_writes_complete_files(tmp_path: Path, result, suffix: str) -> None:
    path = export.write(result, tmp_path / f"alloc.{suffix}")
    expected = export.csv_bytes(result) if suffix == "csv" else export.json_bytes(result)
    assert path.read_bytes() == expected
    assert _leftovers(tmp_path) == []


# ----------------------------------------------------------------------------- solver faults


def test_time_limit_is_reported_clearly() -> None:
    # the LP path (the direct solvers would take this problem, and have no time limit to hit)
    scen = make_scenario(objective={"kind": "need_gap"})
    with pytest.raises(
        SolverError,
        match=r"stopped at its time limit of 1e-09 s before proving an optimum \(highs\); raise \[solver\] time_limit",
    ):
        run(scen, units=small_units(40), time_limit=1e-9, method="lp")


def test_pulp_time_limit_is_reported_clearly(monkeypatch) -> None:
    # CBC solves small LPs before it looks at the clock: simulate what PuLP reports when CBC
    # stops at its limit without a solution ("Not Solved", no solution found).
    import pulp

    def stopped(self, solver=None, **kw):
        self.status, self.sol_status = pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound
        return self.status

    monkeypatch.setattr(pulp.LpProblem, "solve", stopped)
    with pytest.raises(
        SolverError,
        match=r"stopped at its time limit of 0\.5 s before proving an optimum \(pulp-cbc\)",
    ):
        run(make_scenario(), units=small_units(), backend="pulp", time_limit=0.5)


@pytest.mark.parametrize("status", [Status.numerical, Status.error, Status.unbounded])
def test_solver_abort_is_reported_clearly(monkeypatch, status: Status) -> None:
    from fiscal.highs import HighsSolver
    from fiscal.lp import Solution

    def aborted(self, lp, time_limit):
        return Solution(status, None, None, "highs", 0.0, "solver aborted")

    monkeypatch.setattr(HighsSolver, "__call__", aborted)
    with pytest.raises(
        SolverError, match=rf"the solver failed \(highs: {status.value}.*try the other backend"
    ):
        run(make_scenario(), units=small_units(), method="lp")  # the LP path, not the direct one


def test_pulp_solver_crash_is_a_solver_error(monkeypatch) -> None:
    import pulp

    def crash(self, solver=None, **kw):
        raise pulp.PulpSolverError("Pulp: Error while executing cbc")

    monkeypatch.setattr(pulp.LpProblem, "solve", crash)
    with pytest.raises(SolverError, match=r"the solver failed \(pulp-cbc: error"):
        run(make_scenario(), units=small_units(), backend="pulp")


def test_answer_failing_the_recheck_is_never_reported(monkeypatch) -> None:
    import fiscal.results as fres

    real = fres.round_allocation

    def off_by_one(problem, x):
        cells = real(problem, x)
        cells[0, 0, 0] += problem.unit  # one unit too many: the envelope no longer reconciles
        return cells

    monkeypatch.setattr(fres, "round_allocation", off_by_one)
    with pytest.raises(SolverError, match=r"failed the independent re-check .*envelope: 1 case"):
        run(make_scenario(), units=small_units())


@pytest.mark.parametrize("backend", ["highs", "pulp"])
def test_contradictory_bounds_are_infeasible_on_both_backends(backend: str) -> None:
    # floor 120 % and cap 110 % of the baseline: every unit's lower bound is above its upper
    # bound. CBC aborts on such bounds; the adapter must report infeasible, not a crash.
    scen = make_scenario(
        constraints=[
            {"name": "floor", "kind": "floor", "ratio": 1.2},
            {"name": "cap", "kind": "cap", "ratio": 1.1},
        ]
    )
    with pytest.raises(InfeasibleError) as info:
        run(scen, units=small_units(), backend=backend)
    assert any("lower rules require at least" in c for c in info.value.conflicts)


# ----------------------------------------------------------------------------- the CLI


def _scenario_file(tmp_path: Path, **changes) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(make_scenario(**changes).to_toml(), encoding="utf-8")
    return path


def test_cli_exit_0_on_success(tmp_path: Path, capsys) -> None:
    scen = _scenario_file(tmp_path, scenario={"name": "cli", "dataset": "units.csv"})
    (tmp_path / "units.csv").write_bytes(small_units().frame.to_csv(index=False).encode())
    out = tmp_path / "out.csv"
    assert main(["solve", str(scen), "-o", str(out)]) == 0
    assert out.is_file() and b"allocation" in out.read_bytes().splitlines()[0]


def test_cli_exit_1_without_traceback_on_bad_input(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\nnmae = 1\n', encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "unknown key 'scenario.nmae'" in err and "Traceback" not in err


def test_cli_exit_1_on_infeasible(tmp_path: Path, capsys) -> None:
    scen = _scenario_file(
        tmp_path,
        scenario={"name": "cli", "dataset": "units.csv"},
        constraints=[{"name": "floor", "kind": "floor", "ratio": 5.0}],
    )
    (tmp_path / "units.csv").write_bytes(small_units().frame.to_csv(index=False).encode())
    assert main(["solve", str(scen)]) == 1
    err = capsys.readouterr().err
    assert "is infeasible" in err and "Smallest repairs" in err and "Traceback" not in err


def test_cli_exit_2_on_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["solve"])
    assert info.value.code == 2


def test_cli_ctrl_c_while_writing_leaves_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    scen = _scenario_file(tmp_path, scenario={"name": "cli", "dataset": "units.csv"})
    (tmp_path / "units.csv").write_bytes(small_units().frame.to_csv(index=False).encode())
    out = tmp_path / "out.json"

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fio.os, "replace", interrupt)
    assert main(["solve", str(scen), "-o", str(out)]) == 130
    assert "interrupted; nothing was written" in capsys.readouterr().err
    assert not out.exists() and _leftovers(tmp_path) == []


def test_cli_process_prints_no_traceback(tmp_path: Path) -> None:
    """The real process: exit code 1 and one message line per problem on stderr."""
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'[scenario]\nname = "\xff"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "fiscal.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 1
    assert "not UTF-8 text" in proc.stderr and "Traceback" not in proc.stderr


def test_envelope_totals_survive_a_failed_write(tmp_path: Path, monkeypatch, result) -> None:
    """A failed write does not touch the result: a retry writes the same bytes."""
    before = export.csv_bytes(result)
    monkeypatch.setattr(
        fio.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(5, "I/O error"))
    )
    with pytest.raises(ExportError):
        export.write(result, tmp_path / "a.csv")
    monkeypatch.undo()
    export.write(result, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes() == before
    assert result.table["allocation"].sum() == result.problem.envelope_total.sum()
