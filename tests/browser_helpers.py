"""Start the app as `fiscal app` does, on a free local port, and drive Debian's Chromium.

Used by ``tests/test_browser.py`` and by ``docs/screenshots/capture.py`` (the README's
screenshots), so that both see the app exactly as a user does. No browser is downloaded:
Playwright launches /usr/bin/chromium with a fresh profile, headless, without a sandbox.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from fiscal_app import launch

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def streamlit_server(log: Path, timeout: float = 90.0) -> Iterator[str]:
    """The app on 127.0.0.1 and a free port, started with `fiscal app`'s command (its settings
    as flags) from a folder outside the checkout; yields its base URL."""
    port = free_port()
    cmd = launch.command(port=port)
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",  # the checkout's packages, as pytest sees them
        "PYTHONPATH": os.pathsep.join(paths),
    }
    env.pop("DISPLAY", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:  # health says ok before the script has run; pages wait for elements
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"streamlit exited with {proc.returncode}: "
                        + log.read_text(errors="replace")[-2000:]
                    )
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer on {url} within {timeout:.0f} s")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


@contextlib.contextmanager
def chromium(profile: Path, width: int = 1400, height: int = 1000) -> Iterator[object]:
    """A Playwright browser context on /usr/bin/chromium with a fresh profile (downloads on)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": width, "height": height},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


def settled(page, timeout: float = 90_000) -> None:
    """Wait until the script run is over and no element is still a placeholder."""
    import time

    from playwright.sync_api import expect

    time.sleep(0.5)  # a rerun starts a moment after the event that caused it
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


_INSIDE = """(label) => {
  const shape = [...document.querySelectorAll('[data-testid=stVegaLiteChart] g.mark-shape path')]
      .find(p => (p.getAttribute('aria-label') || '').includes(label));
  if (!shape) return null;
  shape.scrollIntoView({block: 'center'});
  const r = shape.getBoundingClientRect();
  for (let i = 1; i < 16; i++) for (let j = 1; j < 16; j++) {
    const x = r.left + r.width * i / 16, y = r.top + r.height * j / 16;
    if (document.elementFromPoint(x, y) === shape) return [x, y];
  }
  return null;
}"""


def point_inside(page, label: str) -> tuple[float, float]:
    """A point of the page inside the map shape whose accessible label contains ``label``
    (Vega labels each shape with its tooltip: 'Unit: Tuyên Quang; …'), where the pointer
    reaches that shape and nothing drawn over it."""
    from playwright.sync_api import expect

    expect(page.locator("[data-testid=stVegaLiteChart] g.mark-shape path").first).to_be_attached(
        timeout=90_000
    )
    point = page.evaluate(_INSIDE, label)
    if point is None:
        raise AssertionError(f"no map shape labelled {label!r} can be pointed at")
    return float(point[0]), float(point[1])
