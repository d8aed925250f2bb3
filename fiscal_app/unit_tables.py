"""Tables of any length on a page: styled a page at a time, a commune run per province first.

The Streamlit side of :mod:`fiscal_app.unit_views`: :func:`table` shows a frame in the
language's number format, :data:`~fiscal_app.unit_views.PAGE_ROWS` rows at a time with a page
choice when it is longer; :func:`units_section` shows a result's units of one year, as they are
for up to a province's worth of units, and for a national commune run as one row per province
with a drill-down into one province's communes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from fiscal_app import session, unit_views, views
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr
from fiscal_app.unit_views import PAGE_ROWS
from fiscal_app.widgets import lang_key

__all__ = ["comparison_units", "draw", "province_choice", "table", "units_section"]


def draw(
    frame: pd.DataFrame, formats: dict[str, tuple[str, int]], lang: str, **kwargs: Any
) -> None:
    """``frame`` as a grid, styled in the language (``formats`` as :func:`fiscal_app.fmt.styler`)."""
    st.dataframe(
        styler(frame, formats, lang), hide_index=True, width="stretch", placeholder="–", **kwargs
    )


def table(
    frame: pd.DataFrame,
    formats: dict[str, tuple[str, int]],
    t: Tr,
    key: str,
    *,
    drawn: Callable[[int], None] | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """``frame`` styled in the language (``formats`` as :func:`fiscal_app.fmt.styler`), at most
    :data:`PAGE_ROWS` rows at a time: a longer frame gets a choice of page (rows 1–200 of
    3,321, …). ``drawn(page)``, where given, draws that page instead (the cached engine's
    ``styled_view``: the styled grid kept, not styled again on a rerun). Returns the rows
    shown."""
    shown, page = frame, 1
    if len(frame) > PAGE_ROWS:
        pages = list(range(1, unit_views.page_count(len(frame)) + 1))
        page = st.selectbox(
            t("scale.page"),
            pages,
            key=lang_key(f"{key}.page", t),
            format_func=lambda p: unit_views.page_label(p, len(frame), t),
        )
        shown = unit_views.page_of(frame, page)
    if drawn is not None and not kwargs:
        drawn(page)
    else:
        draw(shown, formats, t.lang, **kwargs)
    return shown


def province_choice(
    codes: list[str],
    names: dict[str, str],
    t: Tr,
    key: str,
    default: str | None = None,
    **kwargs: Any,
) -> str:
    """A choice of one province (by code; shown as 'code — name'), ``default`` (else the first)
    until one is chosen; ``kwargs`` go to the select box."""
    if st.session_state.get(key) not in codes:
        st.session_state[key] = default if default in codes else codes[0]
    return st.selectbox(
        t("scale.drill"),
        codes,
        key=key,
        format_func=lambda c: f"{c} — {names.get(c, c)}",
        help=t("scale.drill_help"),
        **kwargs,
    )


KEPT = 64  # tables of stored runs kept per session


def _kept(result: Any, year: int, t: Tr, build: Callable[..., Any]) -> Callable[..., Any]:
    """``build(result, year, t, *args)``, built once per session for a result that is not in
    the cached engine (a stored run)."""

    def get(*args: Any) -> Any:
        kept = st.session_state.setdefault("unit_tables.kept", {})
        key = (id(result), year, t.lang, build.__name__, *args)
        # the entry holds its result: an id is not reused while the entry lives
        if key not in kept or kept[key][0] is not result:
            if len(kept) >= KEPT:
                kept.clear()
            kept[key] = (result, build(result, year, t, *args))
        return kept[key][1]

    return get


def units_section(
    result: Any,
    year: int,
    t: Tr,
    key: str,
    *,
    toml: str | None = None,
) -> None:
    """The units of ``result`` in ``year``. With ``toml`` (the scenario the result was run
    from) the tables come from the cached engine, else they are built here (a stored run)."""

    def shown(view: str, province: str | None) -> Callable[[int], None] | None:
        """Draws a page of the view from the cached engine (a stored run: styled here)."""
        if toml is None:
            return None
        return partial(
            session.engine().styled_view, toml, session.units(), year, t.lang, view, province
        )

    if toml is not None:
        eng, units = session.engine(), session.units()
        full = partial(eng.units_view, toml, units, year, t.lang)
        provinces = partial(eng.provinces_view, toml, units, year, t.lang)
        one = partial(eng.province_view, toml, units, year, t.lang)
    else:  # kept in the session, by the result (a stored run stays loaded in the session)
        full = _kept(result, year, t, views.units_frame)
        provinces = _kept(result, year, t, unit_views.province_table)
        one = _kept(result, year, t, unit_views.province_rows)
    if not unit_views.is_commune_run(result):
        frame, formats = full()
        table(frame, formats, t, key, drawn=shown("units", None))
        return
    frame, formats = provinces()
    n = int(frame[t("scale.communes")].sum())
    st.markdown(f"**{t('scale.by_province')}**")
    st.caption(t("scale.by_province_caption", n=t.num(n), p=t.num(len(frame))))
    table(frame, formats, t, f"{key}.provinces", drawn=shown("provinces", None))
    codes = frame[t("col.code")].astype(str).tolist()
    names = dict(zip(codes, frame[t("scale.province")].astype(str), strict=True))
    # first the province that receives the most (a self-financing one's communes get nothing)
    largest = str(frame[t("col.code")].iat[int(frame[t("col.allocation")].to_numpy().argmax())])
    code = province_choice(codes, names, t, f"{key}.province", default=largest)
    rows, row_formats = one(code)
    st.markdown(f"**{t('scale.communes_of', name=names[code], n=t.num(len(rows)))}**")
    table(rows, row_formats, t, f"{key}.communes.{code}", drawn=shown("province", code))


def comparison_units(c: Any, year: int, t: Tr) -> None:
    """A comparison's units of ``year``: as they are, or for the communes of more than one
    province per province first, with a drill-down into one province's communes (first the
    one where the most money moves)."""
    if unit_views.is_commune_comparison(c):
        frame, formats = unit_views.compare_by_province(c, year, t)
        st.caption(t("scale.compare_caption", p=t.num(len(frame))))
        table(frame, formats, t, "compare.provinces")
        codes = frame[t("col.code")].astype(str).tolist()
        names = dict(zip(codes, frame[t("scale.province")].astype(str), strict=True))
        moved = frame.filter(like="Δ ").abs().sum(axis=1).to_numpy()  # the most money moved
        code = province_choice(codes, names, t, "compare.province", default=codes[moved.argmax()])
        frame, formats = views.compare_units_frame(c, year, t, province=code)
    else:
        frame, formats = views.compare_units_frame(c, year, t)
    table(frame, formats, t, "compare.units")
