"""Allocate's "Sharing rates" tab: the settings of the A/B/C mechanism (``[sharing]`` and
``[lines.balancing]``) a user may change, bound to the working scenario.

At a period start: how the rates are set (the formula's, or chosen by the rate MILP within a
band), how a formula rate is rounded to a whole percent, and the centre's minimum shared
revenue. Within a period: the uniform uplift of last year's balancing transfers and each named
top-up. The tab is shown only for a scenario that has ``[sharing]``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from fiscal_app import numbers, session
from fiscal_app.i18n import Tr
from fiscal_app.widgets import bound, lang_key, number_field, sync

__all__ = ["OPTIMISING", "has_sharing", "render"]

#: the objectives under which the rate MILP may choose the rates (fiscal.scenario_sharing.check)
OPTIMISING = ("need_gap", "shortfall_minimax", "per_capita_maximin", "stability")
UPLIFT = numbers.Field(minimum=-0.5, maximum=1.0)
CENTRE = ("formula", "status_quo", "none")


def has_sharing(data: dict[str, Any]) -> bool:
    """Whether the working scenario uses the A/B/C mechanism (the tab is shown)."""
    return isinstance(data.get("sharing"), dict)


def render(t: Tr, rev: int) -> None:
    """The tab's widgets; each edit goes into the working scenario as any other setting."""
    data = session.work()
    sharing = data["sharing"]
    mode = sharing.get("mode", "period_start")
    st.caption(t("sharing.tab_caption", mode=t(f"sharing.mode.{mode}")))
    if sharing.get("source"):
        st.caption(t("source", source=t.own(sharing, "source")))
    if mode == "period_start":
        _period_start(t, rev, data, sharing)
    else:
        _within_period(t, rev, data)


def _period_start(t: Tr, rev: int, data: dict[str, Any], sharing: dict[str, Any]) -> None:
    c1, c2, c3 = st.columns(3)
    optimising = data["objective"].get("kind") in OPTIMISING
    with c1:
        choices = ["formula", "optimise"] if optimising else ["formula"]
        current = sharing.get("rates", "formula")
        if current not in choices:  # the objective was changed to one the MILP cannot serve
            current = "formula"
        rates = st.radio(
            t("sharing.rates"),
            choices,
            index=choices.index(current),
            key=lang_key(f"{rev}.sharing.rates", t),
            format_func=lambda v: t(f"sharing.rates.{v}"),
        )
        sync("sharing.rates", rates)
        if not optimising:
            st.caption(t("sharing.rates_needs_objective"))
        band = st.slider(
            t("sharing.band"),
            0,
            100,
            key=bound(f"{rev}.sharing.band", int(sharing.get("band", 10))),
            disabled=rates != "optimise",
            help=t("sharing.band_help"),
        )
        sync("sharing.band", int(band))
    with c2:
        modes = ["nearest", "up", "down"]
        rounding = st.selectbox(
            t("sharing.rounding"),
            modes,
            key=bound(
                lang_key(f"{rev}.sharing.rounding", t), sharing.get("rate_rounding", "nearest")
            ),
            format_func=lambda v: t(f"sharing.rounding.{v}"),
        )
        sync("sharing.rate_rounding", rounding)
    with c3:
        centre = sharing.get("centre_revenue", "formula")
        if isinstance(centre, str):
            chosen = st.selectbox(
                t("sharing.centre"),
                list(CENTRE),
                key=bound(lang_key(f"{rev}.sharing.centre", t), centre),
                format_func=lambda v: t(f"sharing.centre.{v}"),
                disabled=rates != "optimise",
                help=t("sharing.centre_help"),
            )
            sync("sharing.centre_revenue", chosen)
        else:  # an amount in million VND, written in the file
            v = number_field(
                t("sharing.centre_amount"),
                f"{rev}.sharing.centre_amount",
                float(centre),
                numbers.MONEY_BN,
                t,
                t("sharing.centre_help"),
            )
            sync("sharing.centre_revenue", float(v) if v is not None else centre)


def _names() -> dict[str, str]:
    """Unit names by code in the working scenario's dataset (a top-up names its unit by code)."""
    meta = session.work()["scenario"]
    table = session.engine().dataset(meta.get("level", "province"), None, session.units())
    return dict(zip(table["code"].astype(str), table["name"].astype(str), strict=True))


def _within_period(t: Tr, rev: int, data: dict[str, Any]) -> None:
    balancing = data.get("lines", {}).get("balancing", {})
    c1, c2 = st.columns(2)
    with c1:
        uplift = balancing.get("uplift", 0.0)
        if isinstance(uplift, list):  # one value per year: shown, edited in the file
            st.caption(t("sharing.uplift_per_year", values=", ".join(t.pct(u) for u in uplift)))
        else:
            v = number_field(
                t("sharing.uplift"),
                f"{rev}.sharing.uplift",
                float(uplift),
                UPLIFT,
                t,
                t("sharing.uplift_help"),
            )
            if v is not None and float(v) != float(uplift):
                sync("lines.balancing.uplift", float(v))
        if balancing.get("uplift_source"):
            st.caption(t("source", source=t.own(balancing, "uplift_source")))
    with c2:
        topups = balancing.get("topups", [])
        if not topups:
            st.caption(t("sharing.no_topups"))
        new = []
        names = _names()
        for k, top in enumerate(topups):
            v = number_field(
                t("sharing.topup", unit=names.get(str(top["unit"]), str(top["unit"]))),
                f"{rev}.sharing.topup.{k}",
                float(top["amount"]),
                numbers.MONEY_BN,
                t,
            )
            new.append(dict(top, amount=float(v) if v is not None else top["amount"]))
        if new != topups:
            sync("lines.balancing.topups", new)
