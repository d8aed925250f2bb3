"""Data: browse the dataset and each merged province's predecessors; templates; uploads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from fiscal.data import MAX_FILE_BYTES, load_units
from fiscal.errors import FiscalError
from fiscal.textform import clean
from fiscal_app import session
from fiscal_app.engine import Units
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr
from fiscal_app.unit_tables import province_choice, table
from fiscal_app.unit_views import province_names
from fiscal_app.widgets import download, lang_key, page

UPLOAD_LIMIT = 5 * 1024 * 1024  # fiscal_app/.streamlit/config.toml: maxUploadSize = 5 (MB)


def render() -> None:
    page("data", _body)


def _body(t: Tr) -> None:
    tabs = st.tabs([t("data.tab_browse"), t("data.tab_template"), t("data.tab_upload")])
    with tabs[0]:
        _browse(t)
    with tabs[1]:
        _template(t)
    with tabs[2]:
        _upload(t)


def _level_province() -> tuple[str, str | None]:
    meta = session.work()["scenario"]
    province = meta.get("province")
    return meta.get("level", "province"), None if province in (None, "all") else province


def _browse(t: Tr) -> None:
    level, province = _level_province()
    units = session.units()
    frame = session.engine().dataset(level, province, units)
    source = units.name if units else t("data.bundled", level=t(f"level.{level}"))
    st.markdown(t("data.in_use", source=source, n=len(frame)))
    if units is None:
        st.warning(t("data.bundled_note"), icon="⚠️")
    shown = frame.drop(columns=[c for c in ("regions",) if c in frame.columns])
    for col in ("region", "type", "merged"):
        if col in shown.columns and t.lang == "vi":
            shown[col] = shown[col].map(lambda v, c=col: t.value(c, v))
    if "estimated" in shown.columns:  # the columns that are illustrative, in words
        shown["estimated"] = [
            ", ".join(t.column_short(c) for c in str(v).split(";") if c) for v in shown["estimated"]
        ]
    whole = (
        "population",
        "communes",
        "baseline",
        "own_revenue",
        "revenue_on_territory",
        "revenue_central",
        "revenue_land",
        "revenue_lottery",
        "revenue_local",
        "revenue_shared",
        "spending_need",
        "sharing_rate",
    )
    numeric = {
        c: ("num", 0 if c in whole else 2)
        for c in shown.columns
        if pd.api.types.is_numeric_dtype(shown[c])
    }
    from fiscal.schema import COLUMNS

    described = {c.name: c.description for c in COLUMNS}
    if "parent" in shown.columns and shown["parent"].astype(str).nunique() > 1:
        # every commune of the country: one province's at a time
        parents = list(dict.fromkeys(shown["parent"].astype(str)))
        code = province_choice(parents, province_names(parents), t, "data.province")
        shown = shown[shown["parent"].astype(str) == code].reset_index(drop=True)
    table(
        shown,
        numeric,
        t,
        "data.browse",
        height=360,
        column_config={
            c: st.column_config.Column(t.column(c), help=described.get(c)) for c in shown.columns
        },
    )
    st.caption(t("data.money_note"))
    merged = frame[frame["predecessors"].astype(str).str.contains(";")]
    if merged.empty:
        return
    st.subheader(t("data.predecessors"))
    names = dict(zip(merged["code"].astype(str), merged["name"].astype(str), strict=True))
    code = st.selectbox(
        t("data.merged_unit"),
        list(names),
        key="data.unit",
        format_func=lambda c: f"{c} — {names[c]}",
    )
    row = merged[merged["code"].astype(str) == code].iloc[0]
    preds = [p.strip() for p in str(row["predecessors"]).split(";") if p.strip()]
    st.markdown(t("data.merged_from", name=row["name"], n=len(preds), preds=", ".join(preds)))
    if level == "province" and units is None:
        from fiscal.calibrate import old_provinces

        old = old_provinces()
        old = old[old["new_code"] == code]
        view = pd.DataFrame(
            {
                t("col.code"): old["code"],
                t("col.name"): old["name"],
                t("col.region"): old["region"].map(t.region),
                t("col.population"): old["population"],
                t("data.area"): old["area_km2"],
                t("data.communes_2025"): old["communes"],
                t("data.self_balancing"): old["self_balancing"].map(
                    lambda v: t("yes") if v else t("no")
                ),
            }
        )
        st.dataframe(
            styler(
                view,
                {
                    t("col.population"): ("num", 0),
                    t("data.area"): ("num", 1),
                    t("data.communes_2025"): ("num", 0),
                },
                t.lang,
            ),
            hide_index=True,
            width="stretch",
            placeholder="–",
        )
        total = old["population"].sum()
        st.caption(t("data.sum_check", pop=t.num(total), unit_pop=t.num(row["population"])))


def _level(t: Tr, key: str) -> str:
    """Province or commune: the level of the table to make or to read."""
    return st.radio(
        t("data.level"),
        ["province", "commune"],
        horizontal=True,
        key=lang_key(key, t),
        format_func=lambda v: t(f"level.{v}"),
    )


def _template(t: Tr) -> None:
    st.markdown(t("data.template_intro"))
    level = _level(t, "data.template_level")
    prefilled = st.toggle(t("data.prefilled"), key="data.prefilled", value=True)
    eng = session.engine()
    stem = f"fiscal-template-{level}{'-prefilled' if prefilled else ''}"
    c1, c2 = st.columns(2)
    download(
        t("data.download_csv"),
        eng.template("csv", level, prefilled),
        f"{stem}.csv",
        "tpl_csv",
        where=c1,
    )
    download(
        t("data.download_xlsx"),
        eng.template("xlsx", level, prefilled),
        f"{stem}.xlsx",
        "tpl_xlsx",
        where=c2,
    )


def _upload(t: Tr) -> None:
    st.markdown(t("data.upload_intro"))
    level = _level(t, "data.upload_level")
    up = st.file_uploader(
        t("data.upload"),
        type=["csv", "xlsx"],
        key="data.upload",
        help=t("data.upload_help", mb=UPLOAD_LIMIT // (1024 * 1024)),
    )
    in_use = session.units()
    if in_use is not None:
        st.info(t("data.using", name=in_use.name))
        st.button(t("data.stop_using"), on_click=lambda: st.session_state.pop("units", None))
    if up is None:
        return
    raw = up.getvalue()
    name = clean(Path(up.name).name)  # the one text form (fiscal.textform)
    try:
        if len(raw) > min(UPLOAD_LIMIT, MAX_FILE_BYTES):
            raise FiscalError(t("data.too_big", name=name, mb=UPLOAD_LIMIT // (1024 * 1024)))
        table = load_units(name, level, data=raw)  # type: ignore[arg-type]
    except FiscalError as err:
        lines = err.text(t.lang).splitlines()
        st.error(t("data.invalid", name=name, n=max(len(lines) - 1, 1)))
        st.code("\n".join(lines), language=None, wrap_lines=True)
        return
    st.success(t("data.valid", name=name, n=len(table), level=t(f"level.{level}")))
    if table.illustrative:
        st.warning(t("data.upload_estimated", cols=", ".join(table.estimated_columns)), icon="⚠️")
    scen_level = session.work()["scenario"].get("level", "province")
    if level != scen_level:
        st.warning(
            t("data.level_mismatch", level=t(f"level.{level}"), scen_level=t(f"level.{scen_level}"))
        )
        return

    def use() -> None:
        st.session_state["units"] = Units(name, level, raw)

    st.button(t("data.use"), on_click=use, type="primary", key="data.use")


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
