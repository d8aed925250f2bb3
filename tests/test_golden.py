"""Golden outputs: every shipped scenario on both backends, byte for byte (see tests/golden/).

Regenerate after a deliberate change with ``python tests/golden/make_golden.py`` and review
the diff; a refactor must leave every file unchanged.
"""

from __future__ import annotations

import pytest
from golden.make_golden import HERE, all_jobs, pinned

JOBS = dict(all_jobs())


@pytest.mark.parametrize("name", list(JOBS))
def test_golden(name, tmp_path):
    produced = JOBS[name]()
    assert produced, name
    for fname, data in produced.items():
        stored, content = pinned(fname, data)
        path = HERE / stored
        assert path.is_file(), f"{stored} is missing: run python tests/golden/make_golden.py {name}"
        if path.read_bytes() != content:
            (tmp_path / fname).write_bytes(data)
            pytest.fail(
                f"{stored} differs from this run's output (written to {tmp_path / fname}); "
                "a refactor must keep it identical"
            )


def test_every_golden_file_belongs_to_a_job():
    """No stale file: each stored golden file is named after a scenario and backend, or is a
    README command's output."""
    stems = tuple(f"{name}." for name in JOBS if not name.startswith("readme."))
    stored = [p.name for p in HERE.iterdir() if p.is_file() and p.suffix != ".py"]
    stale = [s for s in stored if not s.startswith(stems) and not s.startswith("readme-")]
    assert not stale
