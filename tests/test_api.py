"""`fiscal.__all__` is the public API: every name is importable and documented, nothing extra."""

from __future__ import annotations

import subprocess
import sys

import fiscal


def test_all_names_resolve_and_have_docstrings():
    for name in fiscal.__all__:
        obj = getattr(fiscal, name)
        if name != "__version__":
            assert obj.__doc__, f"fiscal.{name} has no docstring"


def test_all_matches_the_lazy_export_table():
    assert sorted(fiscal.__all__) == sorted([*fiscal._EXPORTS, "__version__"])
    assert len(set(fiscal.__all__)) == len(fiscal.__all__)


def test_all_is_the_documented_api():
    """docs/architecture.md lists ``import fiscal``'s names; the list and ``fiscal.__all__``
    are the same, and every ``fiscal.<module>.<name>`` the key interfaces name exists."""
    import importlib
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "architecture.md").read_text("utf-8")
    section = doc[doc.index("## Key interfaces") :]
    start = section.index("**`import fiscal`**")
    listed = section[start : section.index("\n\n", start)]
    names = re.findall(r"`([A-Za-z_]+)`", listed.split(":", 1)[1])
    assert sorted(names) == sorted(fiscal.__all__)
    dotted = set(re.findall(r"`(fiscal(?:\.[a-z_]+)+)\.([A-Za-z_]+)", section))
    assert dotted, "the key interfaces name no fiscal.<module>.<name>"
    for module, name in dotted:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"


def test_unknown_attribute_is_an_attribute_error():
    try:
        fiscal.nope  # noqa: B018
    except AttributeError as exc:
        assert "nope" in str(exc)
    else:
        raise AssertionError("fiscal.nope should not exist")


def test_importing_fiscal_is_light_and_never_imports_streamlit():
    code = (
        "import sys, fiscal, fiscal.cli; "
        "print(','.join(m for m in ('streamlit', 'scipy.optimize', 'pulp', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_library_does_not_import_streamlit():
    import pathlib

    root = pathlib.Path(fiscal.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import streamlit" not in text and "from streamlit" not in text, path


def test_an_lp_solve_talks_to_highs_through_highspy_without_scipy_optimize():
    # one HiGHS adapter (fiscal.highs) on highspy's public API; scipy.optimize (~0.6 s to
    # import) stays out of a cold `fiscal solve`; the formula path loads no solver at all, nor
    # do the direct solvers (minimax with floors: fiscal.fastpath); the blend needs the LP
    code = (
        "import sys; from fiscal.pipeline import run; "
        "r = run('national-2026-baseline.toml'); "
        "print('highspy' in sys.modules, 'scipy.optimize' in sys.modules); "
        "r = run('national-2026-minimax.toml'); "
        "print('highspy' in sys.modules, 'scipy.optimize' in sys.modules, r.status); "
        "r = run('national-2026-blend.toml'); "
        "print('highspy' in sys.modules, 'scipy.optimize' in sys.modules, r.status)"
    )
    root = __import__("pathlib").Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.split() == [
        "False",
        "False",
        "False",
        "False",
        "optimal",
        "True",
        "False",
        "optimal",
    ]
