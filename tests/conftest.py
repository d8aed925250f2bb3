"""Shared pytest configuration.

Hypothesis profiles (issue #7): ``ci`` is what `make test` runs — a fixed number of examples
per property (see each test's ``examples(n)``), derandomised so that CI runs the same generated
cases every time and a failure reproduces; ``dev`` is quicker; ``thorough`` runs ten times the
examples with fresh randomness, for hunting bugs locally:

    FISCAL_HYPOTHESIS_PROFILE=thorough .venv/bin/pytest tests/test_properties.py
"""

from __future__ import annotations

import os

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
