"""Executors: in-process, a local process pool and Dask give the same numbers, in order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fiscal.errors import FiscalError
from fiscal.executors import DaskExecutor, InProcess, ProcessPool, chunked, get_executor
from fiscal.frontier import frontier, frontier_values
from fiscal.montecarlo import monte_carlo
from fiscal.scenario import load_scenario

FLOOR = "constraints.hold-harmless.ratio"
VARY = {"revenue": "normal:0.05", "envelope": "uniform:-0.04:0.02"}


def _square(x: int) -> int:
    return x * x


def test_in_process_keeps_order_and_reports_progress():
    seen = []
    out = InProcess().map(
        _square, [3, 1, 2], progress=lambda done, total: seen.append((done, total))
    )
    assert out == [9, 1, 4]
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_chunked_and_get_executor():
    assert chunked([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    with pytest.raises(ValueError, match="at least 1"):
        chunked([1], 0)
    assert isinstance(get_executor(None), InProcess)
    assert isinstance(get_executor("inprocess"), InProcess)
    with pytest.raises(FiscalError, match="unknown executor 'gpu'"):
        get_executor("gpu")


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(
        FiscalError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        DaskExecutor("tcp://127.0.0.1:9", timeout=1)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("national-2026-per-capita.toml")


@pytest.fixture(scope="module")
def reference(scenario):
    """In-process results: a frontier across the feasible boundary and a Monte Carlo run."""
    values = frontier_values(0.95, 1.05, 20)
    return (values, frontier(scenario, FLOOR, values), monte_carlo(scenario, VARY, 20, seed=5))


def _same(reference, fr: pd.DataFrame, mc) -> None:
    _, fr0, mc0 = reference
    pd.testing.assert_frame_equal(fr0, fr, check_exact=True)
    assert np.array_equal(mc0.allocations, mc.allocations, equal_nan=True)
    pd.testing.assert_frame_equal(mc0.units, mc.units, check_exact=True)
    pd.testing.assert_frame_equal(mc0.draws, mc.draws, check_exact=True)
    pd.testing.assert_frame_equal(mc0.rules, mc.rules, check_exact=True)


def test_dask_local_cluster_gives_identical_numbers(scenario, reference):
    from distributed import Client, LocalCluster

    values = reference[0]
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        with DaskExecutor(client=client) as ex:
            assert ex.workers == 2
            ticks = []
            fr = frontier(
                scenario, FLOOR, values, executor=ex, progress=lambda d, t: ticks.append((d, t))
            )
            mc = monte_carlo(scenario, VARY, 20, seed=5, executor=ex)
    assert fr.attrs["executor"].startswith("dask")
    assert ticks[-1] == (20, 20)
    assert (fr["status"] == "infeasible").any() and (fr["status"] == "optimal").any()
    _same(reference, fr, mc)


@pytest.mark.slow  # starts two Python processes (spawn): a few seconds each
def test_process_pool_gives_identical_numbers(scenario, reference):
    with ProcessPool(2) as ex:
        fr = frontier(scenario, FLOOR, reference[0], executor=ex)
        mc = monte_carlo(scenario, VARY, 20, seed=5, executor=ex)
    _same(reference, fr, mc)


def test_a_pool_that_does_not_import_main_starts_under_a_page_script(tmp_path):
    """A Streamlit app's main module is its page script, run by a runner that has put the
    script's folder first on sys.path (where fiscal_app/numbers.py shadows the standard
    library's in a fresh process): ProcessPool(import_main=False) starts workers that run
    neither the page nor anything from its folder."""
    import subprocess
    import sys

    app = tmp_path / "app"
    app.mkdir()
    (app / "numbers.py").write_text("raise ImportError('the app folder leaked into a worker')\n")
    (app / "page.py").write_text(
        "from fiscal.executors import ProcessPool\n"
        "print('page ran', flush=True)\n"
        "with ProcessPool(1, import_main=False) as ex:\n"
        "    print(ex.map(abs, [-3, 4]), flush=True)\n"
    )
    # the runner, as Streamlit's: the page's folder first on sys.path, the page as __main__
    (tmp_path / "runner.py").write_text(
        "import sys, types\n"
        "import fiscal.executors\n"
        f"page = {str(app / 'page.py')!r}\n"
        f"sys.path.insert(0, {str(app)!r})\n"
        "module = types.ModuleType('__main__')\n"
        "module.__file__ = page\n"
        "sys.modules['__main__'] = module\n"
        "exec(compile(open(page).read(), page, 'exec'), module.__dict__)\n"
    )
    done = subprocess.run(
        [sys.executable, str(tmp_path / "runner.py")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["page ran", "[3, 4]"]
