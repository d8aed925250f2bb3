"""Compare: two to four scenarios side by side, winners and losers, and the parameter diff."""

from __future__ import annotations

import streamlit as st

from fiscal import export
from fiscal.errors import FiscalError
from fiscal.scenario import load_scenario, parse_scenario
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
    """The scenario being edited against its file; unedited, against a sibling of its level."""
    b = session.base()
    current = _current(t)
    first = b["file"] if b["file"] in options else current
    if first != current and edits.diff(b["data"], session.work()):
        return [first, current]
    meta = session.work()["scenario"]
    for file in session.shipped():
        if file == first:
            continue
        try:
            other = load_scenario(options[file][1])
        except FiscalError:
            continue
        if (
            other.scenario.level == meta["level"]
            and other.scenario.province == meta.get("province")
            and other.years == meta["years"]
            and other.objective.kind != session.work()["objective"]["kind"]
        ):
            return [first, file]
    return [first, current] if first != current else [current]


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
