"""benchmarks/store.py at its quick size, so that it cannot rot (no timing assertions)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_store_benchmark_runs(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    env.pop("FISCAL_TEST_POSTGRES_URL", None)  # SQLite only here; the store tests cover PG
    out = subprocess.run(
        [sys.executable, "benchmarks/store.py", "--quick", "--repeat", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "national-2026-minimax.toml" in out.stdout
    assert "14 re-solves" in out.stdout and "(14 cached, 0 solved)" in out.stdout
