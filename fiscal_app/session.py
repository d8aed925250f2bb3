"""Session state of the app: language, the base and working scenarios, uploads, the engine.

The working scenario is kept as plain data (``Scenario.to_dict()``) in ``st.session_state`` so
that edits survive page changes; widgets are keyed by a revision number that changes whenever
the working scenario is replaced as a whole (another scenario chosen, an upload, a repair
applied), so that every widget starts again from the new values.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import streamlit as st

from fiscal.errors import FiscalError, ScenarioError
from fiscal.scenario import Scenario, list_scenarios, load_scenario, scenario_from_dict
from fiscal.textform import clean
from fiscal_app import edits
from fiscal_app.engine import Engine, Units
from fiscal_app.i18n import LANGUAGES, Tr

__all__ = [
    "DEFAULT_SCENARIO",
    "base",
    "bump",
    "engine",
    "freeze_once",
    "guard",
    "init",
    "install_engine",
    "set_base",
    "shipped",
    "tr",
    "units",
    "work",
    "working_scenario",
]

log = logging.getLogger("fiscal_app")
DEFAULT_SCENARIO = "national-2026-baseline.toml"
_ENGINE: dict[str, Engine] = {}


# ----------------------------------------------------------------------------- engine


def install_engine(eng: Engine) -> None:
    """Called by fiscal_app/app.py on every run with the cached functions."""
    _ENGINE["engine"] = eng


def engine() -> Engine:
    """The cached functions installed by fiscal_app/app.py."""
    return _ENGINE["engine"]


def freeze_once() -> None:
    """Once per process, after the app's first run: the objects alive then (mostly the
    libraries' modules, classes and functions, ~200,000 of them) leave the garbage collector's
    reach (``gc.freeze``). A full collection walks every tracked object, 0.1–0.4 s at the app
    process's size, and a solve's allocations set one off in most setting changes; objects
    made later are collected as before. (What the first run left alive and is dropped later
    is still freed by its reference count, only a reference cycle among it is not.)"""
    if _FROZEN[0]:
        return
    _FROZEN[0] = True
    gc.collect()
    gc.freeze()


_FROZEN = [False]


# ----------------------------------------------------------------------------- language


def tr() -> Tr:
    """The translator of the language chosen in this session."""
    return Tr(st.session_state.get("lang", "en"))


@contextlib.contextmanager
def guard(t: Tr) -> Iterator[None]:
    """Show a FiscalError as its message and any other error as a short note, never a traceback."""
    try:
        yield
    except FiscalError as err:
        st.error(err.text(t.lang))
    except Exception as err:  # the UI must never show a traceback
        log.exception("unexpected error in a page")
        st.error(t("error.unexpected", kind=type(err).__name__, detail=str(err)[:300]))


# ----------------------------------------------------------------------------- scenarios


def shipped() -> dict[str, str]:
    """Shipped scenario files: {file name: path}."""
    return {p.name: str(p) for p in list_scenarios()}


def set_base(data: dict[str, Any], label: str, file: str | None, source: str) -> None:
    """Make ``data`` the base and the working scenario (edits are dropped)."""
    st.session_state["base"] = {
        "data": copy.deepcopy(data),
        "label": label,
        "file": file,
        "source": source,
    }
    st.session_state["work"] = copy.deepcopy(data)
    bump()


def bump() -> None:
    """A new revision: every settings widget starts again from the working scenario."""
    st.session_state["rev"] = st.session_state.get("rev", 0) + 1


def base() -> dict[str, Any]:
    return st.session_state["base"]


def work() -> dict[str, Any]:
    """The working scenario as plain data (edit it in place, then rerun)."""
    return st.session_state["work"]


def units() -> Units | None:
    """The uploaded unit table in use, if any."""
    return st.session_state.get("units")


def working_scenario() -> Scenario:
    """The working scenario, validated (raises ScenarioError with the offending setting)."""
    return scenario_from_dict(work(), source=t_source())


def t_source() -> str:
    b = base()
    return b["file"] or b["label"]


def init(default: str, messages: list[str]) -> None:
    """On a session's first run: the language and scenario from the link, else the defaults.

    ``default`` is a shipped scenario's name (``.toml`` optional) or the absolute path of a
    scenario file (given by whoever started the server). A link may only name shipped scenarios.
    Problems with the link are appended to ``messages`` (shown once, as warnings).
    """
    if "base" in st.session_state:
        return
    # link parameters in the one text form (fiscal.textform), like every other input
    params = {k: clean(v).strip() for k, v in st.query_params.to_dict().items()}
    lang = params.get("lang", "en")
    st.session_state["lang"] = lang if lang in LANGUAGES else "en"
    files = shipped()
    default_name = Path(default).name
    if not Path(default).is_absolute() and not default_name.endswith(".toml"):
        default_name += ".toml"  # a shipped scenario named without its suffix
    name = params.get("s")
    if name is not None and name not in files:
        messages.append(tr()("link.unknown_scenario", file=name, default=default_name))
        name = None
    if name is None and not Path(default).is_absolute() and default_name in files:
        name = default_name
    if name is not None:
        data = load_scenario(files[name]).to_dict()
        set_base(data, name, name, "shipped")
    elif Path(default).is_file():
        scen = load_scenario(default)
        data = scen.to_dict()
        set_base(data, f"{Path(default).name} — {scen.name}", None, "file")
    elif files:
        messages.append(tr()("start.unknown_scenario", file=default, default=DEFAULT_SCENARIO))
        name = DEFAULT_SCENARIO if DEFAULT_SCENARIO in files else next(iter(files))
        data = load_scenario(files[name]).to_dict()
        set_base(data, name, name, "shipped")
    else:
        raise ScenarioError(
            "no shipped scenario files found in fiscal/scenarios/; reinstall fiscal"
        )
    encoded = params.get("e")
    if encoded:
        try:
            restored = edits.restore(data, edits.decode_edits(encoded))
            st.session_state["work"] = restored.to_dict()
            bump()
        except FiscalError as err:
            messages.append(tr()("link.bad_edits", error=err.text(tr().lang)))


def sync_link() -> dict[str, str]:
    """Keep the address bar's query parameters equal to the session's scenario and edits."""
    b = base()
    params: dict[str, str] = {}
    if b["file"]:
        params["s"] = b["file"]
        changes = edits.diff(b["data"], work())
    else:  # an uploaded scenario travels whole
        changes = edits.diff({}, work())
    if changes:
        encoded = edits.encode_edits(changes)
        if len(encoded) <= edits.MAX_LINK_CHARS:
            params["e"] = encoded
    lang = st.session_state.get("lang", "en")
    if lang != "en":
        params["lang"] = lang
    current = {k: st.query_params.get(k) for k in ("s", "e", "lang")}
    if {k: v for k, v in current.items() if v is not None} != params:
        st.query_params.from_dict(params)
    return params
