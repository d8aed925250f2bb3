"""History: saved runs (show, compare, why they changed, review and approve), and Save on Allocate."""

from __future__ import annotations

from typing import Any

import streamlit as st

from fiscal.errors import FiscalError, StoreError
from fiscal_app import history_views as hv
from fiscal_app import views
from fiscal_app.i18n import Tr
from fiscal_app.widgets import download, page, show_comparison

MAX_LISTED = 200


def _store() -> Any:
    from fiscal.store import open_store

    return open_store()


def _who_default() -> str:
    """The name given earlier in this session, else $FISCAL_AUTHOR, else empty: the app may
    serve many people from one account, so the login name is not a person's name here."""
    import os

    return st.session_state.get("history.me") or os.environ.get("FISCAL_AUTHOR", "").strip()


# ----------------------------------------------------------------------------- save (Allocate)


def save_section(result: Any, t: Tr) -> None:
    """Name, note, author, 'new version of' and the Save button, under the Allocate results."""
    st.markdown(f"**{t('save.title')}**")
    try:
        store = _store()
    except StoreError as err:
        st.error(t("history.store_error", error=err.text(t.lang)))
        return
    st.caption(t("save.caption", store=store.display))
    c1, c2 = st.columns(2)
    with c1:
        name = st.text_input(t("save.name"), value=result.scenario.name[:200], key="save.name")
        author = st.text_input(t("save.author"), value=_who_default(), key="save.author")
    with c2:
        note = st.text_input(t("save.note"), key="save.note")
        infos = store.list(limit=MAX_LISTED)
        options = [None, *[i.id for i in infos]]
        labels = {i.id: f"#{i.id} {i.name} (v{i.version}, {hv.status(i.status, t)})" for i in infos}
        parent = st.selectbox(
            t("save.parent"),
            options,
            key=f"save.parent.{t.lang}",
            format_func=lambda v: t("save.parent_none") if v is None else labels[v],
        )
    if st.button(t("save.button"), key="save.go", icon=":material/save:"):
        if not author.strip():
            st.error(t("save.need_author"))
            return
        st.session_state["history.me"] = author.strip()
        try:
            info = store.save(result, name=name, note=note, author=author, parent=parent)
        except FiscalError as err:
            st.error(t("save.failed", error=err.text(t.lang)))
            return
        st.success(
            t("save.done", id=info.id, status=hv.status(info.status, t), version=info.version)
        )


# ----------------------------------------------------------------------------- the page


def render() -> None:
    page("history", _body)


def _body(t: Tr) -> None:
    try:
        store = _store()
        infos = store.list(limit=MAX_LISTED)
    except StoreError as err:
        st.error(t("history.store_error", error=err.text(t.lang)))
        return
    st.caption(t("history.store", store=store.display))
    if not infos:
        st.info(t("history.empty"))
        return
    st.subheader(t("history.runs"))
    st.dataframe(hv.runs_table(infos, t)[1], hide_index=True, width="stretch", placeholder="–")
    ids = [i.id for i in infos]
    labels = {i.id: f"#{i.id} {i.name} (v{i.version}, {hv.status(i.status, t)})" for i in infos}
    tabs = st.tabs(
        [
            t("history.tab.show"),
            t("history.tab.diff"),
            t("history.tab.attribute"),
            t("history.tab.approve"),
        ]
    )
    with tabs[0]:
        _show(store, ids, labels, t)
    with tabs[1]:
        _diff(store, ids, labels, t)
    with tabs[2]:
        _attribute(store, ids, labels, t)
    with tabs[3]:
        _approve(store, ids, labels, t)


def _pick(key: str, label: str, ids: list[int], labels: dict[int, str], default: int = 0) -> int:
    if st.session_state.get(key) not in ids:
        st.session_state[key] = ids[min(default, len(ids) - 1)]
    return st.selectbox(label, ids, key=key, format_func=lambda v: labels[v])


def _loaded(store: Any, run_id: int) -> Any:
    """The stored run (restored without solving), kept for this session."""
    from fiscal.runs import load

    cache = st.session_state.setdefault("history.loaded", {})
    key = (store.url, run_id)
    if key not in cache:
        cache[key] = load(run_id, store)
    return cache[key]


def _show(store: Any, ids: list[int], labels: dict[int, str], t: Tr) -> None:
    run_id = _pick("history.show", t("history.pick"), ids, labels)
    run = _loaded(store, run_id)
    i = store.get(run_id)  # the status may have changed since the run was loaded
    st.markdown(
        f"**{t('history.record', id=i.id, name=i.name, version=i.version, status=hv.status(i.status, t))}**"
    )
    lines = [t("history.saved_by", when=hv.when(i.created_at), who=i.author)]
    if i.reviewed_by:
        lines.append(t("history.reviewed_by", when=hv.when(i.reviewed_at), who=i.reviewed_by))
    if i.approved_by:
        lines.append(t("history.approved_by", when=hv.when(i.approved_at), who=i.approved_by))
    if i.parent_id:
        lines.append(t("history.parent", version=i.version, parent=i.parent_id))
    lines.append(
        t("history.file", file=i.scenario_file) if i.scenario_file else t("history.file_none")
    )
    lines.append(t("history.data", sha=i.dataset_sha256[:16] + "…"))
    if i.note:
        lines.append(f"{t('history.col.note')}: {i.note}")
    st.markdown("\n".join(f"- {line}" for line in lines))
    result = run.result
    from fiscal_app.widgets import illustrative_notice

    illustrative_notice(result, t)
    year = result.years[0]
    if len(result.years) > 1:
        year = st.selectbox(t("year"), result.years, key="history.show.year")
    cards = views.metric_cards(result, year, t)
    cols = st.columns(3)
    for k, (label, value, help_) in enumerate(cards):
        cols[k % 3].metric(label, value, help=help_, border=True)
    from fiscal_app.unit_tables import units_section

    units_section(result, year, t, "history.show.units")  # a commune run per province first
    st.markdown(f"**{t('history.trail')}**")
    st.dataframe(hv.trail_table(store.events(run_id), t), hide_index=True, width="stretch")
    _pack_button(store, i, t)


def _pack_button(store: Any, info: Any, t: Tr) -> None:
    from fiscal.runs import approval_pack

    if store.previous_approved(info.id) is None:
        st.caption(t("history.pack_none"))
    download(
        t("history.pack"),
        lambda: approval_pack(info.id, store=store, lang=t.lang),  # its workbook as the page
        f"run-{info.id}-approval-pack.zip",
        f"history.pack.{info.id}",
    )


def _pair(prefix: str, ids: list[int], labels: dict[int, str], t: Tr) -> tuple[int, int] | None:
    c1, c2 = st.columns(2)
    with c1:
        a = _pick(f"{prefix}.a", t("history.pick_a"), ids, labels, default=1)
    with c2:
        b = _pick(f"{prefix}.b", t("history.pick_b"), ids, labels, default=0)
    if a == b:
        st.info(t("history.same"))
        return None
    return a, b


def _diff(store: Any, ids: list[int], labels: dict[int, str], t: Tr) -> None:
    pair = _pair("history.diff", ids, labels, t)
    if pair is None:
        return
    ra, rb = (_loaded(store, x) for x in pair)
    from fiscal.compare import compare

    # kept for this session like the runs (two commune runs take a while to compare)
    compared = st.session_state.setdefault("history.compared", {})
    key = (store.url, *pair)
    if key not in compared:
        try:
            compared[key] = compare([ra.result, rb.result], labels=[ra.label, rb.label])
        except FiscalError as err:
            st.error(err.text(t.lang))
            return
    show_comparison(compared[key], t)


def _attribute(store: Any, ids: list[int], labels: dict[int, str], t: Tr) -> None:
    st.caption(t("history.attr_caption"))
    pair = _pair("history.attr", ids, labels, t)
    if pair is None:
        return
    done = st.session_state.setdefault("history.attributions", {})
    key = (store.url, *pair)
    if key not in done and st.button(
        t("history.attr_button"), key="history.attr.go", icon=":material/insights:"
    ):
        from fiscal.runs import attribute

        bar = st.progress(0.0)

        def progress(k: int, total: int) -> None:
            bar.progress(k / max(total, 1), text=t("history.attr_progress", done=k, total=total))

        try:
            done[key] = attribute(pair[0], pair[1], store=store, progress=progress)
        except FiscalError as err:
            bar.empty()
            st.error(t("history.attr_failed", error=err.text(t.lang)))
            return
        bar.empty()
    att = done.get(key)
    if att is None:
        return
    if not att.factors:
        st.info(t("history.attr_none"))
        return
    names = [hv.factor(f, t) for f in att.factors if f != "fiscal version"]
    st.caption(
        t(
            "history.attr_summary",
            factors=", ".join(names),
            solves=att.solves,
            cached=att.cached,
            used=att.orders_used,
            total=att.orders_total,
        )
    )
    blocked = att.combinations[
        att.combinations["outcome"].str.split(" ").str[0].isin(["infeasible", "invalid", "failed"])
    ]
    if len(blocked):
        combos = ", ".join(
            " + ".join(hv.factor(f, t) for f in c.split("+")) for c in blocked["combination"]
        )
        st.warning(
            t(
                "history.attr_blocked",
                n=len(blocked),
                names=combos,
                used=att.orders_used,
                total=att.orders_total,
            )
        )
    if "fiscal version" in att.factors:
        st.warning(t("history.attr_version"))
    year = att.years[0]
    if len(att.years) > 1:
        year = st.selectbox(t("year"), att.years, key="history.attr.year")
    st.markdown(f"**{t('history.attr_chart')}**")
    st.altair_chart(hv.attribution_chart(att, year, t), width="stretch")
    st.markdown(f"**{t('history.attr_words')}**")
    rows = att.table[att.table["year"] == year]
    top = rows.reindex(rows["change"].abs().sort_values(ascending=False, kind="stable").index)
    lines = [hv.total_words(att, year, t)]
    lines += [att.words(str(code), year, t.lang) for code in top["code"].head(10)]
    st.markdown("\n".join(f"- {line}" for line in lines))
    st.markdown(f"**{t('history.attr_table')}**")
    st.dataframe(
        hv.attribution_table(att, year, t)[1], hide_index=True, width="stretch", placeholder="–"
    )
    c1, c2 = st.columns(2)
    stem = f"attribution-{pair[0]}-{pair[1]}"
    download(t("history.download_csv"), att.to_csv, f"{stem}.csv", "history.attr.csv", where=c1)
    download(
        t("history.download_xlsx"),
        lambda: att.to_xlsx(t.lang),  # in the page's language
        f"{stem}.xlsx",
        "history.attr.xlsx",
        where=c2,
    )


def _approve(store: Any, ids: list[int], labels: dict[int, str], t: Tr) -> None:
    flash = st.session_state.pop("history.flash", None)
    if flash:
        st.success(flash)
    run_id = _pick("history.approve", t("history.pick"), ids, labels)
    info = store.get(run_id)
    st.info(t(f"history.is_{info.status}"))
    if info.approved:
        _pack_button(store, info, t)
        return
    c1, c2 = st.columns(2)
    with c1:
        who = st.text_input(t("history.who"), value=_who_default(), key="history.who")
    with c2:
        note = st.text_input(t("history.note"), key="history.note")
    action = "review" if info.status == "draft" else "approve"
    if st.button(t(f"history.{action}"), key=f"history.{action}.go", type="primary"):
        who = who.strip()
        if not who:
            st.error(t("history.need_who"))
            return
        st.session_state["history.me"] = who
        if who == info.author:
            st.error(t("history.own_run", who=who))
            return
        try:
            done = (
                store.review(run_id, who, note)
                if action == "review"
                else store.approve(run_id, who, note)
            )
        except FiscalError as err:
            st.error(t("history.action_failed", error=err.text(t.lang)))
            return
        key = "history.reviewed_ok" if action == "review" else "history.approved_ok"
        st.session_state["history.flash"] = t(key, id=done.id)
        st.rerun()


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
