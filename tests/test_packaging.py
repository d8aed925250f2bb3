"""Packaging: what `pip install` gives a user, checked the way a user would meet it.

The wheel is built once from a clean copy of the checkout's files. It must hold every file of
``fiscal/`` and ``fiscal_app/`` that git tracks, and every file the code is seen to open while it
lists, solves, writes a template and runs each page of the app (an audit hook records them).
Then a fresh virtual environment in a temporary folder outside the checkout gets
`pip install <wheel>` (dependencies from the package registry or pip's cache) and runs
`fiscal list`, `fiscal solve national-2026-baseline -o out.csv`, `fiscal validate`, every page
of the installed app headless, and `fiscal app` until its page answers on its port.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from browser_helpers import free_port

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("fiscal", "fiscal_app")
PAGES = ("allocate", "why", "compare", "tradeoffs", "data", "export", "history")

# one module-scoped wheel: keep these tests on one xdist worker (`make test` uses --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


NOT_A_CHECKOUT = "not a git checkout: the packaging tests compare the wheel with git's files"


def _tracked(*paths: str) -> list[str]:
    """Files git tracks (and new files not ignored) under ``paths``, relative to the checkout."""
    if not (ROOT / ".git").exists():
        pytest.skip(reason=NOT_A_CHECKOUT)
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", *paths],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return sorted(p for p in out.stdout.decode("utf-8").split("\0") if p and (ROOT / p).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the checkout's files (no stale build/ folder can leak in)."""
    src = tmp_path_factory.mktemp("source")
    for rel in _tracked("pyproject.toml", "README.md", "LICENSE", *PACKAGES):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("fiscal-*.whl")
    return found


def _wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as z:
        return {name for name in z.namelist() if not name.endswith("/")}


# ----------------------------------------------------------------------------- the wheel


def test_the_wheel_holds_every_tracked_file_of_the_packages(wheel: Path) -> None:
    expected = _tracked(*PACKAGES)
    assert "fiscal/scenarios/national-2026-baseline.toml" in expected
    assert "fiscal_app/.streamlit/config.toml" in expected and "fiscal_app/app.py" in expected
    missing = sorted(set(expected) - _wheel_files(wheel))
    assert not missing, f"not in the wheel (add them to [tool.setuptools.package-data]): {missing}"


# Run from the checkout with an audit hook on `open`: every file of the packages the code opens.
_WORKLOAD = r"""
import json, os, sys
roots = [os.path.join(sys.argv[1], p) + os.sep for p in ("fiscal", "fiscal_app")]
opened = set()

def hook(event, args):
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        path = os.path.realpath(os.fsdecode(args[0]))
        folder, name = os.path.split(path)
        if os.path.basename(folder) == "__pycache__":  # an imported module: its source
            folder, name = os.path.dirname(folder), name.split(".")[0] + ".py"
        path = os.path.join(folder, name)
        if any(path.startswith(r) for r in roots):
            opened.add(os.path.relpath(path, sys.argv[1]).replace(os.sep, "/"))

sys.addaudithook(hook)
from fiscal.cli import main
for args in (["list"], ["solve", "national-2026-baseline", "-o", "out.csv"],
             ["solve", "commune-68-lam-dong-sectors", "-o", "communes.xlsx"],
             ["template", "units.xlsx", "--prefilled"], ["validate", "units.xlsx"]):
    assert main(args) == 0, args
from streamlit.testing.v1 import AppTest
from fiscal_app import launch
launch.command()
at = AppTest.from_file(str(launch.APP), default_timeout=300).run()
for page in sys.argv[2:]:
    at.switch_page(f"ui/{page}.py").run()
    assert not at.exception, (page, [e.value for e in at.exception])
print("OPENED " + json.dumps(sorted(opened)))
"""


def test_the_wheel_holds_every_file_the_code_opens(wheel: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", _WORKLOAD, str(ROOT), *PAGES],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    opened = json.loads(out.stdout.split("OPENED ", 1)[1])
    # the workload reached the modules, the data, the scenarios, the app's shell, its pages and
    # its settings
    for rel in (
        "fiscal/solve.py",
        "fiscal_app/views.py",
        "fiscal/datasets/calibration.toml",
        "fiscal/scenarios/national-2026-baseline.toml",
        "fiscal/scenarios/commune-08-tuyen-quang.toml",
        "fiscal_app/app.py",
        "fiscal_app/.streamlit/config.toml",
        *(f"fiscal_app/ui/{p}.py" for p in PAGES),
    ):
        assert rel in opened, rel
    missing = sorted(set(opened) - _wheel_files(wheel))
    assert not missing, f"opened at run time but not in the wheel: {missing}"


# ----------------------------------------------------------------------------- pip install


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300):
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, (
        f"{cmd}: exit {out.returncode}\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    )
    return out


_PAGES_SCRIPT = r"""
import sys
from streamlit.testing.v1 import AppTest
from fiscal_app import launch
assert "site-packages" in str(launch.APP), launch.APP
at = AppTest.from_file(str(launch.APP), default_timeout=300).run()
titles = []
for page in sys.argv[1:]:
    at.switch_page(f"ui/{page}.py").run()
    assert not at.exception and not at.error, (page, [e.value for e in [*at.exception, *at.error]])
    titles.append(at.title[0].value)
print("titles: " + " | ".join(titles))
"""


def test_pip_install_into_a_fresh_venv_gives_a_working_fiscal(wheel: Path, tmp_path: Path) -> None:
    venv, work = tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONUNBUFFERED": "1",
        "FISCAL_STORE": str(work / "runs.sqlite"),
        "FISCAL_AUTHOR": "lan",
    }
    env.pop("DISPLAY", None)
    _run([sys.executable, "-m", "venv", str(venv)], work, env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run(
        [str(bindir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        work,
        env,
        timeout=1200,
    )
    fiscal = str(bindir / "fiscal")

    listed = _run([fiscal, "list"], work, env).stdout
    assert str(venv) in listed.splitlines()[0]  # the scenarios come from the installed package
    assert "national-2026-baseline " in listed and "INVALID" not in listed

    solved = _run([fiscal, "solve", "national-2026-baseline", "-o", "out.csv"], work, env)
    assert "reconciles exactly" in solved.stdout
    table = pd.read_csv(work / "out.csv", dtype={"code": str}, comment="#")
    assert len(table) == 34 and table["allocation"].sum() == 238_421_000
    _run([fiscal, "validate", "national-2026-minimax.toml", "commune-08-tuyen-quang"], work, env)
    # a new run store, created by the migrations the wheel ships
    saved = _run([fiscal, "solve", "national-2026-baseline", "--save", "--name", "v1"], work, env)
    assert "saved run #1 v1" in saved.stdout
    assert "v1" in _run([fiscal, "runs", "list"], work, env).stdout

    pages = _run([str(bindir / "python"), "-c", _PAGES_SCRIPT, *PAGES], work, env, timeout=600)
    assert (
        "titles: Allocate | Why this number | Compare | Trade-offs | Data | Take it away | History"
        in pages.stdout
    ), pages.stdout

    port = free_port()
    log = tmp_path / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [fiscal, "app", "--port", str(port)],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        page = _wait_for_page(f"http://127.0.0.1:{port}", proc, log)
        assert "<title>" in page and "streamlit" in page.lower()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert f"http://127.0.0.1:{port}" in text, text  # the launcher's address and port...
    assert "Email" not in text  # ...headless: no prompt
    with (
        contextlib.suppress(OSError),
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2),
    ):
        pytest.fail("the app still answers after `fiscal app` was stopped: a server left behind")


def _wait_for_page(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> str:
    """The app's page once the server answers (health first, then the page itself)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise AssertionError(
                f"fiscal app exited with {proc.returncode}: "
                + log.read_text(errors="replace")[-2000:]
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    with urllib.request.urlopen(f"{url}/", timeout=10) as p:
                        return p.read().decode("utf-8", "replace")
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"fiscal app did not answer on {url} within {timeout:.0f} s")
        time.sleep(0.3)
