"""Compare: two to four scenarios side by side, winners and losers, and the parameter diff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from fiscal import export
from fiscal.errors import FiscalError
from fiscal.scenario import Scenario, load_scenario, parse_scenario
from fiscal.scenario_files import read_toml
from fiscal.textform import clean
from fiscal_app import edits, session
from fiscal_app.i18n import Tr
from fiscal_app.widgets import download, page, show_comparison, show_error

MAX_SCENARIOS = 4
MAX_SCENARIO_BYTES = 1_000_000


def render() -> None:
    page("compare", _body)


def _current(t: Tr) -> str:
    """The working scenario's option: 'edited' only when it is (unedited, it said 'Current
    (edited) scenario' of the file itself)."""
    edited = bool(edits.diff(session.base()["data"], session.work()))
    return t("compare.current") if edited else t("compare.current_unedited")


def _sources(t: Tr) -> dict[str, tuple[str, str]]:
    """Option label → ("toml", text) or ("file", path) of every scenario one may compare."""
    out: dict[str, tuple[str, str]] = {}
    try:
        out[_current(t)] = ("toml", session.working_scenario().to_toml())
    except FiscalError:
        pass  # an invalid edit is shown on the Allocate page
    for name, toml in st.session_state.get("saved", {}).items():
        out[t("compare.kept", name=name)] = ("toml", toml)
    for name, toml in st.session_state.get("compare_uploads", {}).items():
        out[name] = ("toml", toml)
    for file, path in session.shipped().items():
        out[file] = ("file", path)
    return out


def _toml(source: tuple[str, str]) -> str:
    kind, value = source
    return value if kind == "toml" else load_scenario(value).to_toml()


def _uploads(t: Tr) -> None:
    files = st.file_uploader(
        t("compare.upload"), type=["toml"], accept_multiple_files=True, key="compare.upload"
    )
    stored = st.session_state.setdefault("compare_uploads", {})
    for up in files or []:
        name = clean(up.name)  # the one text form (fiscal.textform)
        if name in stored:
            continue
        raw = up.getvalue()
        try:
            if len(raw) > MAX_SCENARIO_BYTES:
                raise FiscalError(t("allocate.too_big", name=name, size=len(raw)))
            stored[name] = parse_scenario(raw, source=name).to_toml()
        except FiscalError as err:
            st.error(err.text(t.lang))


def _defaults(options: dict[str, tuple[str, str]], t: Tr) -> list[str]:
    """The scenario being edited against its file; unedited, against a sibling of its level (same
    units and years, another objective), else against the scenario it extends or takes its
    envelope from when that one covers the same units and years; else alone (see _body)."""
    b = session.base()
    current = _current(t)
    first = b["file"] if b["file"] in options else current
    if first != current and edits.diff(b["data"], session.work()):
        return [first, current]
    other = partner(b["file"], session.work(), session.shipped())
    return [first, other] if other is not None and other in options else [first]


def partner(file: str | None, data: dict[str, Any], files: dict[str, str]) -> str | None:
    """The shipped scenario to set beside the unedited scenario ``data`` (from ``file``, a name
    of ``files``, or None): a sibling (same level, province and years, another objective), else
    the file it extends, else the one it takes its envelope from — either only when it covers
    the same units and years (Compare sets results unit by unit); None when there is none."""
    meta = data["scenario"]

    def same(other: Scenario) -> bool:
        return (
            other.scenario.level == meta["level"]
            and other.scenario.province == meta.get("province")
            and other.years == meta["years"]
        )

    loaded: dict[str, Scenario | None] = {}

    def scenario(name: str) -> Scenario | None:
        if name not in loaded:
            try:
                loaded[name] = load_scenario(files[name])
            except FiscalError:
                loaded[name] = None
        return loaded[name]

    for name in files:
        other = scenario(name) if name != file else None
        if other is not None and same(other):
            if other.objective.kind != data["objective"]["kind"]:
                return name
    refs = [_extends(files[file]) if file in files else None]
    refs.append((data.get("envelope") or {}).get("from_scenario"))
    for ref in refs:
        name = _shipped_name(ref, files)
        other = scenario(name) if name is not None and name != file else None
        if other is not None and same(other):
            return name
    return None


def _extends(path: str) -> str | None:
    """The file a scenario file ``extends`` (resolved away once loaded), or None."""
    try:
        meta = read_toml(Path(path)).get("scenario")
    except FiscalError:
        return None
    ref = meta.get("extends") if isinstance(meta, dict) else None
    return ref if isinstance(ref, str) else None


def _shipped_name(ref: str | None, files: dict[str, str]) -> str | None:
    """The name in ``files`` of a scenario reference (a file name, with or without .toml)."""
    if not ref:
        return None
    name = Path(ref).name
    name = name if name.endswith(".toml") else f"{name}.toml"
    return name if name in files else None


def _nothing_yet(t: Tr) -> str:
    """Why the scenario stands alone, and how to make something to set beside it."""
    meta = session.work()["scenario"]
    name = (meta.get("name_vi") if t.lang == "vi" else None) or meta["name"]
    return t("compare.nothing_yet", name=name, current=t("compare.current"))


def _body(t: Tr) -> None:
    _uploads(t)
    options = _sources(t)
    chosen = st.session_state.get("compare.chosen")
    if chosen is None or any(c not in options for c in chosen):
        st.session_state["compare.chosen"] = _defaults(options, t)
    chosen = st.multiselect(
        t("compare.choose"), list(options), key="compare.chosen", max_selections=MAX_SCENARIOS
    )
    if len(chosen) < 2:
        alone = not (
            st.session_state.get("saved")
            or st.session_state.get("compare_uploads")
            or edits.diff(session.base()["data"], session.work())
        )
        if alone and partner(session.base()["file"], session.work(), session.shipped()) is None:
            st.info(_nothing_yet(t))
        else:
            st.info(t("compare.need_two"))
        return
    eng = session.engine()
    units = session.units()
    runs = []
    for label in chosen:
        toml = _toml(options[label])
        outcome = eng.run(toml, units)
        if outcome.error is not None:
            st.markdown(t("compare.failed", label=label))
            show_error(outcome.error, t, repairs=False)
            continue
        runs.append((label, toml))
    if len(runs) < 2:
        return
    comparison = eng.compare(tuple(runs), units)
    show_comparison(comparison, t)
    c1, c2 = st.columns(2)
    download(
        t("compare.download"),
        lambda: eng.compare_xlsx(tuple(runs), units, t.lang),
        "comparison.xlsx",
        "dl_compare",
        where=c1,
    )
    download(
        t("compare.download_csv"),
        lambda: export.comparison_bytes(comparison, "csv"),
        "comparison-units.csv",
        "dl_compare_csv",
        where=c2,
    )


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
