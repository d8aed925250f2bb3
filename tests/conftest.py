"""Shared pytest configuration.

Hypothesis profiles (issue #7): ``ci`` is what `make test` runs — a fixed number of examples
per property (see each test's ``examples(n)``), derandomised so that CI runs the same generated
cases every time and a failure reproduces; ``dev`` is quicker; ``thorough`` runs ten times the
examples with fresh randomness, for hunting bugs locally:

    FISCAL_HYPOTHESIS_PROFILE=thorough .venv/bin/pytest tests/test_properties.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

# ----------------------------------------------------------------------------- hypothesis

_COMMON = {
    "deadline": None,  # solves vary with the machine's load; speed is measured by benchmarks/
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
# no "explain" phase in CI: it re-runs a failing case hundreds of times to annotate it
_NO_EXPLAIN = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
settings.register_profile("ci", derandomize=True, database=None, phases=_NO_EXPLAIN, **_COMMON)
settings.register_profile("dev", derandomize=True, database=None, phases=_NO_EXPLAIN, **_COMMON)
settings.register_profile("thorough", derandomize=False, **_COMMON)
settings.load_profile(os.environ.get("FISCAL_HYPOTHESIS_PROFILE", "ci"))


def _pin_local_constants() -> None:
    """One pool of "local constants" for the whole session (docs/reliability.md, section 1).

    Hypothesis draws, now and then, from the literal constants of the local modules loaded so far
    and collects them anew whenever ``sys.modules`` grows, so the cases a derandomised property
    generates would depend on what the tests before it in the same worker imported (K12 was found
    that way by one ``pytest -n 2`` worker). The library under test is loaded here, before any
    test, and the pool of that moment is kept: the same cases in every process and order.
    """
    import importlib
    import pkgutil

    from hypothesis.internal.conjecture import providers

    import fiscal

    for info in pkgutil.walk_packages(fiscal.__path__, "fiscal."):
        if ".migrations" not in info.name:  # Alembic loads those itself, by file
            importlib.import_module(info.name)
    collect = getattr(providers, "_get_local_constants", None)
    if collect is None:  # a Hypothesis without the pool: nothing depends on imports then
        return
    import warnings

    from hypothesis.errors import HypothesisSideeffectWarning

    with warnings.catch_warnings():  # "slow code in conftest": once, on purpose, before any test
        warnings.simplefilter("ignore", HypothesisSideeffectWarning)
        pool = collect()
    providers._get_local_constants = lambda: pool


# ----------------------------------------------------------------------------- run store

# the app and the CLI save to the default run store; tests must never touch the developer's
# own (in the user's data directory): every test process gets a store of its own
if not os.environ.get("FISCAL_STORE", "").startswith(
    "sqlite:///" + os.path.realpath(os.environ.get("TMPDIR", "/tmp"))
):
    import tempfile

    os.environ["FISCAL_STORE"] = "sqlite:///" + os.path.join(
        tempfile.mkdtemp(prefix="fiscal-test-store-"), "runs.sqlite"
    )

# ----------------------------------------------------------------------------- the real browser

# A module of browser tests says ``pytestmark = pytest.mark.browser`` and asks for ``app_url``:
# one app server per module (`fiscal app`'s command, tests/browser_helpers.py), its log shown
# under any test that fails.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests only where Debian's chromium is absent (CI installs it)."""
    from browser_helpers import CHROMIUM

    if CHROMIUM.exists():
        return
    why = f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    skip = pytest.mark.skip(reason=why)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The log file of the module's app server."""
    return tmp_path_factory.mktemp("streamlit") / "server.log"


@pytest.fixture(scope="module")
def app_url(server_log: Path) -> Iterator[str]:
    """The app on a free local port, started once for the module's tests; its base URL."""
    from browser_helpers import streamlit_server

    with streamlit_server(server_log) as url:
        yield url


@pytest.fixture(autouse=True)
def _server_log_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that used the app server, the end of its log (pytest shows a test's captured
    output only when it fails)."""
    log = request.getfixturevalue("server_log") if "app_url" in request.fixturenames else None
    yield
    if log is not None and log.exists():
        print("---- streamlit server log (end) ----")
        print(log.read_text(errors="replace")[-4000:])


# last: the library loaded after the environment above is set
_pin_local_constants()
