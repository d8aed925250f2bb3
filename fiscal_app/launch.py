"""Starting the app: `fiscal app` (and so `make app`) runs Streamlit on the installed shell.

The server settings live in one file, ``fiscal_app/.streamlit/config.toml`` (local address,
headless, no usage statistics, no file watcher, the upload limit). Streamlit reads a
``.streamlit/`` folder from the working directory (and, in recent versions, beside the main
script), so the launcher passes every setting of that file as a command-line flag: the app runs
the same from any folder, installed or from a checkout. No Streamlit import here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from fiscal.errors import ScenarioError

__all__ = ["APP", "CONFIG", "command", "settings", "start"]

APP = Path(__file__).resolve().with_name("app.py")
CONFIG = APP.parent / ".streamlit" / "config.toml"


def settings() -> dict[str, str]:
    """The settings of :data:`CONFIG` as flag names and values (``{"server.headless": "true"}``)."""
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    flat: dict[str, str] = {}
    for section, table in data.items():
        for key, value in table.items():
            flat[f"{section}.{key}"] = str(value).lower() if isinstance(value, bool) else str(value)
    return flat


def command(port: int = 8501, address: str = "127.0.0.1", scenario: str | None = None) -> list[str]:
    """The ``streamlit run`` argument list (no shell) for the app on ``address:port``.

    ``scenario`` is a scenario file or a shipped scenario's name; the app opens on it.
    """
    flags = {**settings(), "server.port": str(port), "server.address": address}
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP)]
    for name, value in flags.items():
        cmd += [f"--{name}", value]
    if scenario:
        cmd += ["--", "--scenario", scenario]
    return cmd


def _scenario(ref: str) -> str:
    """A scenario file as an absolute path, or a shipped scenario's file name; else an error."""
    from fiscal.scenario import shipped_scenario

    path = Path(ref)
    if path.is_file():
        return str(path.resolve())
    shipped = shipped_scenario(ref)
    if shipped is None:
        raise ScenarioError(
            f"{ref}: no such scenario file, and no shipped scenario of that name "
            "(`fiscal list` shows them)"
        )
    return shipped.name


def start(port: int = 8501, address: str = "127.0.0.1", scenario: str | None = None) -> int:
    """Run the app in this process's place (Ctrl-C stops it); returns only where exec is missing."""
    cmd = command(port, address, _scenario(scenario) if scenario else None)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(cmd[0], cmd)  # the server gets Ctrl-C and SIGTERM itself; no orphan left behind
    return subprocess.call(cmd)
