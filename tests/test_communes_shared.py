"""A commune run's LP solves shared with helper processes (pipeline.allocate_shared): the
same allocations, to the last bit, whichever process solved which province."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from fiscal import calibrate, communes, pipeline
from fiscal.executors import Executor, InProcess, ProcessPool
from fiscal.problem import prepare_parts
from fiscal.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "fiscal" / "scenarios" / "communes-2026-2030-all.toml"


def _problems(kind: str, count: int) -> list:
    """The first ``count`` provinces' problems of the national commune run under ``kind``."""
    scen = load_scenario(COMMUNES).with_value("objective.kind", kind)
    upper = communes.upper_scenario(scen)
    assert upper is not None
    envelopes = communes.envelopes_from(pipeline.run(upper), scen.years)
    codes = sorted(calibrate.province_units()["code"])[:count]
    whole = pipeline.load_units_for(scen, "all")
    tables = communes.split_units(whole, codes, bundled=True)
    rows = communes.part_rows(whole, codes)
    return prepare_parts(scen, whole, [(rows[c], tables[c], envelopes[c]) for c in codes])


def _same_allocation(a: pipeline.Allocation, b: pipeline.Allocation) -> None:
    assert np.array_equal(a.x, b.x)
    assert a.objective == b.objective and a.method == b.method
    if a.solution is not None:
        for name in ("x", "dual_ub", "dual_eq", "rc"):
            assert np.array_equal(getattr(a.solution, name), getattr(b.solution, name)), name


class Counting(Executor):
    """This process, counting the problems handed to it (or failing every one)."""

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail
        self.threads: set[str] = set()

    def map(
        self, fn: Callable[[Any], Any], items: Sequence[Any], progress: Any = None
    ) -> list[Any]:
        self.calls += len(items)
        self.threads.add(threading.current_thread().name)
        if self.fail:
            raise OSError("a worker process stopped abruptly")
        return InProcess().map(fn, items)


def test_shared_allocations_equal_the_in_process_ones_in_order():
    # blend: every province on the LP (under stability most take the even path, no LP)
    problems = _problems("blend", 6)
    alone = [pipeline.allocate(p) for p in problems]
    helper = Counting()
    ticks: list[tuple[int, int]] = []
    shared = pipeline.allocate_shared(problems, helper, progress=lambda d, t: ticks.append((d, t)))
    assert helper.calls >= 1  # the helper's thread took some of the provinces
    assert threading.current_thread().name not in helper.threads
    assert ticks[-1] == (6, 6)
    assert len(shared) == len(alone)
    for a, b in zip(alone, shared, strict=True):
        _same_allocation(a, b)


def test_a_failing_helper_leaves_the_work_to_this_process():
    problems = _problems("blend", 4)
    alone = [pipeline.allocate(p) for p in problems]
    shared = pipeline.allocate_shared(problems, Counting(fail=True))
    for a, b in zip(alone, shared, strict=True):
        _same_allocation(a, b)


def test_direct_solves_are_not_handed_over():
    """The shipped objective takes the direct solvers (milliseconds a province): no helper."""
    problems = _problems("shortfall_minimax", 4)
    helper = Counting()
    shared = pipeline.allocate_shared(problems, helper)
    assert helper.calls == 0
    for a, b in zip([pipeline.allocate(p) for p in problems], shared, strict=True):
        _same_allocation(a, b)


@pytest.mark.slow  # starts a Python process (spawn) and solves the commune run twice
def test_commune_run_with_a_helper_process_is_byte_identical():
    # blend: every province on the LP (under stability 22 of 34 take the even path, no LP)
    scen = load_scenario(COMMUNES).with_value("objective.kind", "blend")
    alone = pipeline.run(scen)
    with ProcessPool(1) as pool:
        pool.warm("fiscal.pipeline")
        shared = pipeline.run(scen, helpers=pool)
    pd.testing.assert_frame_equal(alone.table, shared.table)
    assert alone.table.to_csv() == shared.table.to_csv()
    assert len(alone.children) == len(shared.children) == 34
    for a, b in zip(alone.children, shared.children, strict=True):
        assert np.array_equal(a.solution.x, b.solution.x)
        assert np.array_equal(a.solution.dual_ub, b.solution.dual_ub)
        assert a.objective == b.objective


def test_the_apps_helpers_follow_the_environment(monkeypatch, caplog):
    """FISCAL_APP_HELPERS: 0 keeps every solve in the app's process; a word is said in the
    log (what to write) and the default used; the pool is made once per process."""
    from fiscal_app import engine

    engine.helpers.cache_clear()
    try:
        monkeypatch.setenv(engine.HELPERS_VARIABLE, "0")
        assert engine.helpers() is None
        assert engine.helpers() is None  # cached
        engine.helpers.cache_clear()
        monkeypatch.setenv(engine.HELPERS_VARIABLE, "two")
        monkeypatch.setattr(engine.os, "cpu_count", lambda: 1)  # the default: no helper
        with caplog.at_level("WARNING", logger=engine.__name__):
            assert engine.helpers() is None
        assert "FISCAL_APP_HELPERS must be a whole number" in caplog.text
    finally:
        engine.helpers.cache_clear()


def test_the_app_runs_a_one_province_scenario_without_helpers(monkeypatch):
    """Only a commune run of every province asks for the helpers (a national or
    one-province run never starts a process)."""
    from fiscal_app import engine

    asked = []
    monkeypatch.setattr(engine, "helpers", lambda: asked.append(1))
    text = (ROOT / "fiscal" / "scenarios" / "commune-08-tuyen-quang.toml").read_text()
    result = engine.load_run(load_scenario_text(text))
    assert asked == [] and result.table["code"].nunique() > 1


def load_scenario_text(text: str) -> str:
    """A shipped scenario's text, fully resolved (the app's working form)."""
    from fiscal.scenario import parse_scenario

    return parse_scenario(text, source="test").to_toml()


@pytest.mark.parametrize("fail_in_helper", [False, True])
def test_an_infeasible_problem_raises_the_error_it_raises_alone(fail_in_helper):
    """The first failing problem in order raises its own error (diagnosis included),
    whichever process met it."""
    from fiscal.errors import InfeasibleError
    from fiscal.problem import prepare

    scenarios = ROOT / "fiscal" / "scenarios"

    def problem(name: str):
        scen = load_scenario(scenarios / name).with_value("objective.kind", "stability")
        return prepare(scen, pipeline.load_units_for(scen))

    good = problem("national-2026-stability.toml")
    bad = problem("national-2026-infeasible-floors.toml")
    with pytest.raises(InfeasibleError) as alone:
        pipeline.allocate(bad)
    # first or last in the queue (equal sizes: taken in order), met here or in the helper
    problems = [bad, good, good] if fail_in_helper else [good, good, bad]
    with pytest.raises(InfeasibleError) as shared:
        pipeline.allocate_shared(problems, Counting())
    assert str(shared.value) == str(alone.value)


def test_the_app_hands_its_helpers_over_on_a_free_core_or_when_asked(monkeypatch):
    """The commune run of every province gets the app's helpers where a core looks free, or
    always when FISCAL_APP_HELPERS asks for them; on a busy machine it runs alone."""
    from fiscal_app import engine

    pool = InProcess()
    handed: list[Any] = []
    monkeypatch.setattr(engine, "helpers", lambda: pool)
    monkeypatch.setattr(
        engine.fiscal, "run", lambda scen, units=None, helpers=None: handed.append(helpers)
    )
    text = load_scenario(COMMUNES).to_toml()
    monkeypatch.delenv(engine.HELPERS_VARIABLE, raising=False)
    for free, want in ((True, pool), (False, None)):
        monkeypatch.setattr(engine, "idle_core", lambda free=free: free)
        engine.load_run(text)
        assert handed.pop() is want
    monkeypatch.setenv(engine.HELPERS_VARIABLE, "2")
    engine.load_run(text)  # asked for: used on a busy machine too
    assert handed.pop() is pool


def test_a_helper_killed_is_replaced_and_the_run_goes_on(monkeypatch):
    """A helper process that dies (killed, out of memory) breaks its pool: the run in hand is
    solved here, the same, and the app's next commune run gets a new pool."""
    import os
    import signal

    from fiscal_app import engine

    monkeypatch.setenv(engine.HELPERS_VARIABLE, "1")
    engine.helpers.cache_clear()
    try:
        pool = engine.helpers()
        assert isinstance(pool, ProcessPool)
        assert pool.map(abs, [-2]) == [2]  # started
        for pid in list(pool._pool._processes):  # the pool's own worker, started above
            os.kill(pid, signal.SIGKILL)
        problems = _problems("blend", 3)
        shared = pipeline.allocate_shared(problems, pool)
        for a, b in zip([pipeline.allocate(p) for p in problems], shared, strict=True):
            _same_allocation(a, b)
        assert pool.broken
        fresh = engine._live(pool)
        assert fresh is not pool and isinstance(fresh, ProcessPool) and not fresh.broken
        assert fresh.map(abs, [-5]) == [5]
    finally:
        pool = engine.helpers()
        if pool is not None:
            pool.close()
        engine.helpers.cache_clear()


@pytest.mark.parametrize(
    ("text", "count", "asked"),
    [("", None, False), ("2", 2, True), (" +2 ", 2, True), ("0", 0, True), ("two", None, False)],
)
def test_the_helpers_setting_is_read_in_one_place(monkeypatch, text, count, asked):
    """FISCAL_APP_HELPERS is read once, by engine.helper_setting: the number of helpers and
    whether they were asked for agree ("+2" is two helpers asked for, used on a busy machine
    too — load_run once read it apart and took "+2" for not asked)."""
    from fiscal_app import engine

    monkeypatch.setattr(engine.os, "cpu_count", lambda: 4)
    monkeypatch.setenv(engine.HELPERS_VARIABLE, text)
    setting = engine.helper_setting()
    assert setting == engine.HelperSetting(3 if count is None else count, asked)
    pool = InProcess()
    handed: list[Any] = []
    monkeypatch.setattr(engine, "helpers", lambda: pool)
    monkeypatch.setattr(engine, "idle_core", lambda: False)  # a busy machine
    monkeypatch.setattr(
        engine.fiscal, "run", lambda scen, units=None, helpers=None: handed.append(helpers)
    )
    engine.load_run(load_scenario(COMMUNES).to_toml())
    assert handed == [pool if asked else None]
