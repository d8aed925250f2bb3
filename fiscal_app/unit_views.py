"""Unit tables at any scale: per-province sums of a commune run, one province's units, pages.

A pandas Styler writes every cell of its table in Python (about 0.1 ms a cell): over the 3,321
communes of a national commune run it took three quarters of a rerun. So no page styles more
than :data:`PAGE_ROWS` rows: a commune-level result is shown as one row per province
(:func:`province_table`, the communes' money summed to the million VND, ratios as ratios of
sums) with a drill-down into one province's communes (:func:`province_rows`), and any longer
table is cut into pages (:func:`page_of`). Nothing here imports Streamlit; the pages reach these
functions through the cached engine (:mod:`fiscal_app.app`), so a rerun rebuilds nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fiscal.prose import BN
from fiscal_app.i18n import Tr

__all__ = [
    "PAGE_ROWS",
    "Table",
    "compare_by_province",
    "is_commune_comparison",
    "is_commune_run",
    "page_count",
    "page_label",
    "page_of",
    "province_names",
    "province_rows",
    "province_table",
]

#: the most rows a table is styled and shown over at once (a province has at most 168 communes)
PAGE_ROWS = 200

#: (frame, formats): the frame's columns as shown and how :func:`fiscal_app.fmt.styler` writes
#: them; plain data, so that ``st.cache_data`` can keep it
Table = tuple[pd.DataFrame, dict[str, tuple[str, int]]]

# money (million VND) summed per province; ratios are taken of these sums
_SUMS = ("population", "baseline", "need", "formula", "allocation", "change", "resources")


def is_commune_run(result: Any) -> bool:
    """True for a commune-level result with more than one province (the national commune run):
    its units are shown per province first."""
    table = result.table
    return "parent" in table.columns and table["parent"].astype(str).nunique() > 1


def province_names(codes: Any) -> dict[str, str]:
    """Province code → name from the bundled 34 provinces (an unknown code names itself)."""
    from fiscal.data import bundled_units

    frame = bundled_units("province").frame
    known = dict(zip(frame["code"].astype(str), frame["name"].astype(str), strict=True))
    return {str(c): known.get(str(c), str(c)) for c in codes}


def province_table(result: Any, year: int, t: Tr) -> Table:
    """One row per province of a commune-level result in ``year``: its communes counted, their
    money summed (bn VND; the sums are of whole million VND, so a province's row is the sum of
    its communes' rows to the dong), the change in percent and resources per person and per
    unit of need as ratios of sums, the communes held up or capped counted (as the summary's cards count them)."""
    table = result.table[result.table["year"] == year]
    parent = table["parent"].astype(str)
    sums = table.groupby(parent, sort=False)[[c for c in _SUMS if c in table]].sum()
    from fiscal.metrics import protection_masks

    k = result.years.index(year)
    transfer = table["transfer"].to_numpy(dtype=float)
    lower, upper = (
        m.ravel()
        for m in protection_masks(result.flags.year(k), transfer, table["formula"].to_numpy())
    )
    floor = pd.Series(lower, index=table.index)  # counted as the summary's cards count them
    cap = pd.Series(upper, index=table.index)
    at_floor = floor.groupby(parent, sort=False).sum()
    at_cap = cap.groupby(parent, sort=False).sum()
    count = parent.value_counts(sort=False)
    codes = sums.index.astype(str)
    names = province_names(codes)
    base = sums["baseline"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(base > 0, sums["change"].to_numpy(dtype=float) / base, np.nan)
        per_capita = sums["resources"].to_numpy(dtype=float) / sums["population"].to_numpy(
            dtype=float
        )
        of_need = sums["resources"].to_numpy(dtype=float) / sums["need"].to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            t("col.code"): codes,
            t("scale.province"): [names[c] for c in codes],
            t("scale.communes"): count.reindex(sums.index).to_numpy(dtype=float),
            t("col.allocation"): sums["allocation"].to_numpy(dtype=float) / BN,
            t("col.change"): sums["change"].to_numpy(dtype=float) / BN,
            t("col.change_pct"): pct,
            t("col.baseline"): base / BN,
            t("col.formula"): sums["formula"].to_numpy(dtype=float) / BN,
            t("col.per_capita"): per_capita,
            t("col.share_of_need"): of_need,
            t.metric("units_at_floor"): at_floor.reindex(sums.index).to_numpy(dtype=float),
            t.metric("units_at_cap"): at_cap.reindex(sums.index).to_numpy(dtype=float),
            t("col.population"): sums["population"].to_numpy(dtype=float),
        }
    )
    formats = {
        t("scale.communes"): ("num", 0),
        t("col.allocation"): ("num", 1),
        t("col.change"): ("signed", 1),
        t("col.change_pct"): ("signed_pct", 2),
        t("col.baseline"): ("num", 1),
        t("col.formula"): ("num", 1),
        t("col.per_capita"): ("num", 2),
        t("col.share_of_need"): ("pct", 1),
        t.metric("units_at_floor"): ("num", 0),
        t.metric("units_at_cap"): ("num", 0),
        t("col.population"): ("num", 0),
    }
    return out, formats


def province_rows(result: Any, year: int, t: Tr, province: str) -> Table:
    """The units table of ``year`` (:func:`fiscal_app.views.units_frame`) of the communes of
    ``province`` (a parent code) alone."""
    from fiscal_app.views import units_frame

    return units_frame(result, year, t, province=province)


def page_count(n: int, size: int = PAGE_ROWS) -> int:
    """How many pages ``n`` rows take (at least one)."""
    return max(1, -(-n // size))


def page_of(frame: pd.DataFrame, page: int, size: int = PAGE_ROWS) -> pd.DataFrame:
    """Rows of page ``page`` (1-based; clipped to the pages there are)."""
    page = min(max(int(page), 1), page_count(len(frame), size))
    return frame.iloc[(page - 1) * size : page * size]


def page_label(page: int, n: int, t: Tr, size: int = PAGE_ROWS) -> str:
    """'rows 201–400 of 3,321' in the language."""
    first = (page - 1) * size + 1
    last = min(page * size, n)
    return t("scale.page_rows", first=t.num(first), last=t.num(last), n=t.num(n))


def compare_by_province(c: Any, year: int, t: Tr) -> Table:
    """The comparison's units of ``year`` summed per province (a commune run): each scenario's
    allocation, each change against the reference and that change in percent of the
    reference's allocation (bn VND; sums of whole million VND)."""
    u = c.units[c.units["year"] == year]
    parent = u["parent"].astype(str)
    columns = [f"{lab}: allocation" for lab in c.labels]
    columns += [f"{lab}: change" for lab in c.labels[1:]]
    sums = u.groupby(parent, sort=False)[columns].sum()
    codes = sums.index.astype(str)
    names = province_names(codes)
    out = pd.DataFrame(
        {
            t("col.code"): codes,
            t("scale.province"): [names[k] for k in codes],
            t("scale.communes"): parent.value_counts(sort=False)
            .reindex(sums.index)
            .to_numpy(dtype=float),
        }
    )
    formats: dict[str, tuple[str, int]] = {t("scale.communes"): ("num", 0)}
    for lab in c.labels:
        col = f"{lab} ({t('chart.bn_axis')})"
        out[col] = sums[f"{lab}: allocation"].to_numpy(dtype=float) / BN
        formats[col] = ("num", 1)
    ref = sums[f"{c.labels[0]}: allocation"].to_numpy(dtype=float)
    for lab in c.labels[1:]:
        col, pct = f"Δ {lab}", f"Δ% {lab}"
        change = sums[f"{lab}: change"].to_numpy(dtype=float)
        out[col] = change / BN
        with np.errstate(divide="ignore", invalid="ignore"):
            out[pct] = np.where(ref > 0, change / ref, np.nan)
        formats[col] = ("signed", 1)
        formats[pct] = ("signed_pct", 2)
    return out, formats


def is_commune_comparison(c: Any) -> bool:
    """True when the compared units are the communes of more than one province."""
    return "parent" in c.units.columns and c.units["parent"].astype(str).nunique() > 1
