"""Take it away: every table as CSV or XLSX, the scenario as TOML, a link, and how to reproduce."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from fiscal import export
from fiscal_app import edits, session
from fiscal_app.i18n import Tr
from fiscal_app.widgets import current_result, download, illustrative_notice, page


def slug(text: str) -> str:
    """A file-name-safe stem: 'National 2026: blend' → 'national-2026-blend'."""
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_ = ascii_.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60] or "scenario"


def render() -> None:
    page("export", _body)


def _body(t: Tr) -> None:
    result = current_result(t)
    if result is None:
        return
    illustrative_notice(result, t)
    scen = result.scenario
    toml = scen.to_toml()
    units = session.units()
    b = session.base()
    if b["file"]:
        stem = b["file"].removesuffix(".toml")
        if edits.diff(b["data"], session.work()):
            stem += "-edited"
    else:
        stem = slug(scen.name)
    eng = session.engine()

    st.subheader(t("export.tables"))
    st.caption(t("export.tables_caption"))
    c1, c2, c3 = st.columns(3)
    # every file is built when clicked (the ledger re-solves the scenario once per rule; the
    # CSV of a national commune run takes half a second), so opening this page stays fast
    download(
        t("export.xlsx"),
        lambda: eng.xlsx(toml, units, t.lang),
        f"{stem}.xlsx",
        "dl_xlsx",
        where=c1,
        primary=True,
    )
    download(
        t("export.csv"), lambda: export.csv_bytes(result, t.lang), f"{stem}.csv", "dl_csv", where=c2
    )
    download(
        t("export.json"), lambda: export.json_bytes(result), f"{stem}.json", "dl_json", where=c3
    )
    c4, c5, c6 = st.columns(3)
    download(
        t("export.ledger_csv"),
        lambda: _csv(eng.ledger(toml, units), "constraints"),
        f"{stem}-constraints.csv",
        "dl_ledger",
        where=c4,
    )
    download(
        t("export.metrics_csv"),
        lambda: _csv(_metrics_frame(result), "metrics"),
        f"{stem}-metrics.csv",
        "dl_metrics",
        where=c5,
    )
    if result.problem.S > 1:
        download(
            t("export.sectors_csv"),
            lambda: _csv(result.sector_table(), "sectors"),
            f"{stem}-sectors.csv",
            "dl_sectors",
            where=c6,
        )

    st.subheader(t("export.scenario"))
    toml_name = f"{stem}.toml"
    download(t("export.toml"), toml.encode("utf-8"), toml_name, "dl_toml")
    with st.expander(t("export.toml_preview")):
        st.code(toml, language="toml")

    st.subheader(t("export.link"))
    params = session.sync_link()
    link = _link(params)
    st.code(link, language=None, wrap_lines=True)
    if session.base()["file"] is None and "e" not in params:
        st.warning(t("export.link_too_long"))
    else:
        st.caption(t("export.link_caption"))
    if units is not None:
        st.warning(t("export.link_units", name=units.name))

    st.subheader(t("export.reproduce"))
    st.caption(t("export.reproduce_caption", toml=toml_name))
    units_name = units.name if units is not None else None
    cmd, python = edits.reproduce(
        toml_name, units_name, scen.scenario.level, f"{stem}.xlsx", t.lang
    )
    st.code(cmd, language="bash")
    st.code(python, language="python")


def _csv(frame, title: str) -> bytes:
    return export.tables_bytes({title: frame}, "csv", title=title)


def _metrics_frame(result):
    import pandas as pd

    from fiscal import metrics

    rows = []
    for year in result.years:
        for name, value in metrics.summary(result, year).items():
            rows.append({"year": year, "metric": name, "value": value})
            if result.budget is not None:  # with transfer lines: what each is measured on
                spec = metrics.spec(name)
                rows[-1]["base"] = spec.base if spec is not None else ""
    return pd.DataFrame(rows)


def _link(params: dict[str, str]) -> str:
    """The app's address with the query parameters that restore this scenario."""
    try:
        url = st.context.url or ""
    except Exception:  # older servers have no st.context.url
        url = ""
    parts = urlsplit(url) if url else urlsplit("http://127.0.0.1:8501/")
    path = parts.path.rstrip("/")
    path = re.sub(r"/(export|allocate|why|compare|tradeoffs|data)$", "", path)
    return urlunsplit((parts.scheme, parts.netloc, path + "/", urlencode(params), ""))


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
