"""The generated cases do not depend on what ran before (tests/conftest.py, _pin_local_constants).

Hypothesis draws now and then from the literal constants of the local modules loaded so far; a
module imported by an earlier test in the same worker must not change that pool (K12 was found
by one ``pytest -n 2`` worker because it did; docs/reliability.md, section 1).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import providers


def _cases() -> list[float]:
    seen: list[float] = []

    @settings(derandomize=True, database=None, max_examples=200)
    @given(st.floats(allow_nan=False, allow_infinity=False))
    def draw(x: float) -> None:
        seen.append(x)

    draw()
    return seen


def test_a_newly_imported_local_module_does_not_change_the_generated_cases(
    tmp_path: Path, monkeypatch
) -> None:
    before_pool = set(providers._get_local_constants().floats)
    before = _cases()
    # a local module (outside site-packages) full of float literals, imported "by an earlier test"
    module = tmp_path / "fiscal_pin_probe.py"
    module.write_text(
        "VALUES = [" + ", ".join(f"{k}.{k}125" for k in range(1, 400)) + "]\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("fiscal_pin_probe")
    try:
        assert set(providers._get_local_constants().floats) == before_pool
        assert _cases() == before
    finally:
        sys.modules.pop("fiscal_pin_probe", None)
