"""Allocate: choose or upload a scenario, edit it, and see the allocation."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import streamlit as st

from fiscal.errors import FiscalError
from fiscal.scenario import OBJECTIVES, parse_scenario, scenario_from_dict
from fiscal.textform import clean
from fiscal_app import edits, numbers, session, views
from fiscal_app.i18n import Tr
from fiscal_app.ui import sharing_settings
from fiscal_app.ui.lines import lines_section
from fiscal_app.unit_tables import units_section
from fiscal_app.widgets import (
    bound,
    current_result,
    illustrative_notice,
    lang_key,
    map_section,
    number_field,
    page,
    sync,
)

MAX_SCENARIO_BYTES = 1_000_000


def render() -> None:
    page("allocate", _body)


def _body(t: Tr) -> None:
    status = _picker(t)
    with st.expander(t("allocate.settings"), expanded=True):
        names = [t("tab.envelope"), t("tab.rules"), t("tab.need"), t("tab.coefficients")]
        sharing = sharing_settings.has_sharing(session.work())
        tabs = st.tabs([*names, t("tab.sharing")] if sharing else names)
        rev = st.session_state["rev"]
        draw = [_envelope_objective, _rules, _need, _coefficients, sharing_settings.render]
        for tab, section in zip(tabs, draw, strict=False):  # the sharing tab only with [sharing]
            with tab:
                section(t, rev)
    _edited(status, t)  # after the widgets: it counts this run's edits too
    _results(t)


# ----------------------------------------------------------------------------- scenario choice


def _choose(file: str) -> None:
    files = session.shipped()
    from fiscal.scenario import load_scenario

    session.set_base(load_scenario(files[file]).to_dict(), file, file, "shipped")


def _on_pick() -> None:
    choice = st.session_state["pick"]
    if choice in session.shipped():
        _choose(choice)


def _picker(t: Tr):
    files = session.shipped()
    b = session.base()
    options = list(files)
    if b["file"] is None:
        options.insert(0, b["label"])
    current = b["file"] or b["label"]
    st.session_state["pick"] = current
    left, right = st.columns([3, 2])
    with left:
        names = session.engine().names(tuple(files.values()))
        st.selectbox(
            t("allocate.scenario"),
            options,
            key="pick",
            on_change=_on_pick,
            help=t("allocate.scenario_help"),
            format_func=lambda f: f"{names[f][t.lang]} · {f}" if f in names else f,
        )
        status = st.container()
    with right:
        up = st.file_uploader(
            t("allocate.upload"), type=["toml"], key="upload_toml", help=t("allocate.upload_help")
        )
        if up is not None and st.session_state.get("upload_toml_id") != up.file_id:
            raw, name = up.getvalue(), clean(up.name)  # the one text form (fiscal.textform)
            try:
                if len(raw) > MAX_SCENARIO_BYTES:
                    raise FiscalError(t("allocate.too_big", name=name, size=len(raw)))
                scen = parse_scenario(raw, source=name)
            except FiscalError as err:
                st.error(err.text(t.lang))
            else:
                st.session_state["upload_toml_id"] = up.file_id
                session.set_base(scen.to_dict(), f"{name} — {scen.name}", None, "uploaded")
                st.rerun()
    return status


def _reset() -> None:
    b = session.base()
    session.set_base(b["data"], b["label"], b["file"], b["source"])


def _edited(status, t: Tr) -> None:
    """How many settings differ from the scenario file, and a button to undo them."""
    base, work = session.base()["data"], session.work()
    if not edits.diff(base, work):
        return
    from fiscal.compare import param_diff

    # each changed setting by its label (lists compared entry by entry, by name)
    paths = [str(p) for p in param_diff([base, work], ["base", "work"])["setting"]]
    labels = [views.setting_label(p, t, [base, work]) for p in paths] or [
        t("allocate.edited_texts")
    ]
    with status:
        st.caption(t("allocate.edited", n=len(labels), names="; ".join(labels)[:400]))
        st.button(t("allocate.reset"), on_click=_reset, key="reset")


# ----------------------------------------------------------------------------- envelope, objective


def _envelope_objective(t: Tr, rev: int) -> None:
    data = session.work()
    env = data["envelope"]
    c1, c2, c3 = st.columns(3)
    with c1:
        money = numbers.MONEY_BN.with_grid(float(data.get("rounding", {}).get("unit", 1.0)))
        if "total" in env:
            v = number_field(
                t("envelope.total"),
                f"{rev}.env.total",
                env["total"],
                money,
                t,
                t("envelope.total_help"),
            )
            sync("envelope.total", float(v))
        elif "totals" in env:
            years = data["scenario"]["years"]
            new = [
                float(
                    number_field(
                        t("envelope.total_year", year=y),
                        f"{rev}.env.totals.{k}",
                        env["totals"][k],
                        money,
                        t,
                    )
                )
                for k, y in enumerate(years)
            ]
            if new != list(env["totals"]):
                sync("envelope.totals", new)
        elif "baseline_factor" in env:
            v = number_field(
                t("envelope.factor"),
                f"{rev}.env.factor",
                env["baseline_factor"],
                numbers.Field(0.01, 10.0),
                t,
                t("envelope.factor_help"),
            )
            sync("envelope.baseline_factor", float(v))
        elif env.get("from_sharing"):  # the mechanism's transfers: nothing to type
            st.text_input(t("envelope.total"), value=t("envelope.from_sharing"), disabled=True)
        else:
            st.text_input(
                t("envelope.from"), value=str(env.get("from_scenario", "")), disabled=True
            )
        if env.get("source"):
            st.caption(t("source", source=t.own(env, "source")))
    with c2:
        modes = ["equal", "at_most"]
        mode = st.selectbox(
            t("envelope.mode"),
            modes,
            key=bound(lang_key(f"{rev}.env.mode", t), env.get("mode", "equal")),
            format_func=lambda m: t(f"envelope.mode.{m}"),
        )
        sync("envelope.mode", mode)
        # the growth acts only on a total or factor (totals and from_scenario give every year)
        if len(data["scenario"]["years"]) > 1 and not ({"totals", "from_scenario"} & set(env)):
            g = number_field(
                t("envelope.growth"),
                f"{rev}.env.growth",
                float(env.get("growth", 0.0)),
                numbers.Field(-0.5, 1.0),
                t,
            )
            sync("envelope.growth", float(g))
    with c3:
        obj = data["objective"]
        kind = st.selectbox(
            t("objective.kind"),
            list(OBJECTIVES),
            key=bound(lang_key(f"{rev}.obj.kind", t), obj.get("kind", "shortfall_minimax")),
            format_func=t.objective,
        )
        sync("objective.kind", kind)
        weights = sorted({round(k * 0.05, 2) for k in range(21)} | {float(obj.get("weight", 0.5))})
        w = st.select_slider(
            t("objective.weight"),
            weights,
            key=bound(f"{rev}.obj.weight", float(obj.get("weight", 0.5))),
            format_func=lambda v: t.num(v, 2),
            disabled=kind != "blend",
            help=t("objective.weight_help"),
        )
        sync("objective.weight", float(w))
    st.info(t("objective.character_label", name=t.objective(kind)) + " " + t.character(kind))


# ----------------------------------------------------------------------------- rules


def _remove(name: str) -> None:
    data = session.work()
    data["constraints"] = [c for c in data["constraints"] if c.get("name") != name]
    session.bump()


# rule fields whose echo names a unit (the others are ratios, shares or per-person amounts)
FIELD_UNITS = {"per_province": "unit.mvnd", "per_commune": "unit.mvnd"}


def _entry(f: edits.Field) -> numbers.Field:
    """How the text box of a rule's number reads it (bounds as in fiscal.scenario)."""
    return numbers.Field(f.minimum, f.maximum, optional=f.optional, unit=FIELD_UNITS.get(f.key))


def _number(
    label: str, key: str, value: Any, f: edits.Field, t: Tr, help_: str | None = None
) -> Any:
    return number_field(label, key, None if value is None else float(value), _entry(f), t, help_)


def _rule_fields(t: Tr, c: dict[str, Any], rev: int, years: list[int]) -> dict[str, Any]:
    """Widgets for the numbers of one rule; returns {field: new value}."""
    out: dict[str, Any] = {}
    fields = edits.FIELDS.get(c["kind"], ())
    cols = st.columns(max(len(fields), 1) + 1)
    for f, col in zip(fields, cols, strict=False):
        value = c.get(f.key)
        label = t(f"field.{f.key}")
        with col:
            if isinstance(value, list):
                out[f.key] = [
                    _number(f"{label} {y}", f"{rev}.c.{c['name']}.{f.key}.{k}", v, f, t)
                    for k, (y, v) in enumerate(zip(years, value, strict=False))
                ]
            else:
                out[f.key] = _number(
                    label, f"{rev}.c.{c['name']}.{f.key}", value, f, t, t(f"field.{f.key}_help")
                )
    with cols[-1]:
        out["soft"] = st.toggle(
            t("field.soft"),
            key=bound(f"{rev}.c.{c['name']}.soft", bool(c.get("soft", False))),
            help=t("field.soft_help"),
        )
        if out["soft"]:
            out["penalty"] = number_field(
                t("field.penalty"),
                f"{rev}.c.{c['name']}.penalty",
                float(c.get("penalty", 10.0)),
                numbers.Field(0.001, 1e6),
                t,
            )
    return out


def _rules(t: Tr, rev: int) -> None:
    data = session.work()
    years = data["scenario"]["years"]
    if not data["constraints"]:
        st.caption(t("rules.none"))
    for i, c in enumerate(data["constraints"]):
        with st.container(border=True):
            head, button = st.columns([5, 1])
            with head:
                st.markdown(f"**{t.own(c, 'name')}** · {t.kind(c['kind'])}")
                if c.get("description"):
                    st.caption(t.own(c, "description"))
                if c.get("where") or c.get("units"):
                    st.caption(t("rules.scope", scope=t.scope(c.get("where"), c.get("units"))))
            with button:
                st.button(
                    t("rules.remove"),
                    key=f"{rev}.c.{c['name']}.remove",
                    on_click=_remove,
                    args=(c["name"],),
                )
            values = _rule_fields(t, c, rev, years)
            for key, value in values.items():
                if key == "soft" and not value and "soft" not in c:
                    continue
                if c.get(key) != value:
                    if value is None:
                        data["constraints"][i].pop(key, None)
                    else:
                        data["constraints"][i][key] = value
    _add_rule(t, rev)


def _add(rev: int, t: Tr) -> None:
    """Callback of the 'add rule' button: build the entry from the form's widgets."""
    ss = st.session_state
    kind = ss[lang_key(f"{rev}.add.kind", t)]
    data = session.work()
    names = [c["name"] for c in data["constraints"]]
    name = (ss.get(f"{rev}.add.name") or "").strip() or edits.unique_name(kind, names)
    values: dict[str, Any] = {}
    for f in edits.FIELDS.get(kind, ()):
        try:
            v = numbers.read(ss.get(f"{t.lang}:{rev}.add.{f.key}"), t.lang, _entry(f))
        except numbers.EntryError as err:
            ss["add_error"] = f"{t(f'field.{f.key}')}: {t.entry_error(err)}"
            return
        if v is not None:
            values[f.key] = v
    if kind == "group_share":
        regions = ss.get(lang_key(f"{rev}.add.regions", t)) or []
        values["where"] = {"region": list(regions)} if regions else {}
    if kind in ("earmark", "sector_bounds"):
        values["sector"] = ss.get(f"{rev}.add.sector")
    entry = edits.new_constraint(kind, name, values)
    trial = copy.deepcopy(data)
    trial["constraints"].append(entry)
    try:
        if name in names:
            raise FiscalError(t("rules.name_taken", name=name))
        scenario_from_dict(trial, source=t("rules.new_rule"))
    except FiscalError as err:
        ss["add_error"] = err.text(t.lang)
        return
    ss.pop("add_error", None)
    data["constraints"].append(entry)
    session.bump()


ADD_DEFAULTS = {
    "ratio": 1.0,
    "amount": 15.0,
    "max_change": 0.1,
    "min_share": 0.2,
    "max_share": None,
    "per_province": 100_000.0,
    "per_commune": 500.0,
    "min_of_gap": 0.0,
    "max_of_gap": None,
}


def _add_rule(t: Tr, rev: int) -> None:
    with st.expander(t("rules.add")):
        kinds = list(edits.FIELDS)
        kind = st.selectbox(
            t("rules.kind"), kinds, key=lang_key(f"{rev}.add.kind", t), format_func=t.kind
        )
        st.text_input(
            t("rules.name"),
            key=f"{rev}.add.name",
            placeholder=edits.unique_name(kind, [c["name"] for c in session.work()["constraints"]]),
        )
        fields = edits.FIELDS[kind]
        cols = st.columns(len(fields))
        for f, col in zip(fields, cols, strict=True):
            with col:
                _number(
                    t(f"field.{f.key}"),
                    f"{rev}.add.{f.key}",
                    ADD_DEFAULTS.get(f.key),
                    f,
                    t,
                    t(f"field.{f.key}_help"),
                )
        if kind == "group_share":
            regions = sorted(set(_dataset()["region"].astype(str)))
            st.multiselect(
                t("rules.regions"),
                regions,
                key=lang_key(f"{rev}.add.regions", t),
                format_func=t.region,
            )
        if kind in ("earmark", "sector_bounds"):
            sectors = [s["name"] for s in session.work().get("sectors", [])]
            if not sectors:
                st.caption(t("rules.no_sectors"))
            st.selectbox(t("rules.sector"), sectors, key=f"{rev}.add.sector")
        st.button(
            t("rules.add_button"), key=f"{rev}.add.go", on_click=_add, args=(rev, t), type="primary"
        )
        if st.session_state.get("add_error"):
            st.error(st.session_state["add_error"])


def _dataset() -> pd.DataFrame:
    meta = session.work()["scenario"]
    province = meta.get("province")
    return session.engine().dataset(
        meta.get("level", "province"),
        None if province in (None, "all") else province,
        session.units(),
    )


# ----------------------------------------------------------------------------- need


def _need(t: Tr, rev: int) -> None:
    data = session.work()
    need = data["need"]
    # the language is part of the key: the rates are text written the language's way
    key = f"{rev}.criteria.{t.lang}"
    snap = f"{key}.data"
    if key not in st.session_state:
        st.session_state[snap] = pd.DataFrame(
            {
                "indicator": [t.indicator(c) for c in need["criteria"]],
                "rate": [
                    numbers.entry_text(float(c["rate"]), t.lang, RATE) for c in need["criteria"]
                ],
                "unit": [t.own(c, "unit") for c in need["criteria"]],
                "estimated": [bool(c.get("estimated", False)) for c in need["criteria"]],
                "source": [t.own(c, "source") for c in need["criteria"]],
            }
        )
    edited = st.data_editor(
        st.session_state[snap],
        key=key,
        hide_index=True,
        num_rows="fixed",
        disabled=["indicator", "unit", "estimated", "source"],
        column_config={
            "indicator": st.column_config.TextColumn(t("need.indicator"), width="medium"),
            "rate": st.column_config.TextColumn(t("need.rate"), required=True),
            "unit": st.column_config.TextColumn(t("need.unit")),
            "estimated": st.column_config.CheckboxColumn(t("need.estimated")),
            "source": st.column_config.TextColumn(t("need.source")),
        },
    )
    for i, rate in _typed(edited, st.session_state[snap], "rate", t("need.rate"), RATE, t):
        if rate != need["criteria"][i]["rate"]:
            need["criteria"][i]["rate"] = rate
    c1, c2 = st.columns(2)
    with c1:
        m = number_field(
            t("need.markup"),
            f"{rev}.need.markup",
            float(need.get("other_markup", 0.0)),
            numbers.Field(0.0, 1.0),
            t,
            t("need.markup_help"),
        )
        sync("need.other_markup", float(m))
    with c2:
        if len(data["scenario"]["years"]) > 1:
            g = number_field(
                t("need.growth"),
                f"{rev}.need.growth",
                float(need.get("growth", 0.0)),
                numbers.Field(-0.5, 1.0),
                t,
            )
            sync("need.growth", float(g))


RATE = numbers.Field(0.0, 1e9)
COEFFICIENT = numbers.Field(0.0, 100.0)


def _typed(
    edited: pd.DataFrame, shown: pd.DataFrame, column: str, label: str, field: numbers.Field, t: Tr
) -> list[tuple[int, float]]:
    """(row, value) of the cells of ``column`` typed anew and understood; a cell that cannot be
    read is listed in one message and leaves its setting as it was."""
    out, problems = [], []
    for i, (text, before) in enumerate(zip(edited[column], shown[column], strict=True)):
        if text == before:
            continue
        try:
            value = numbers.read(
                None if text is None or pd.isna(text) else str(text), t.lang, field
            )
        except numbers.EntryError as err:
            problems.append(t("entry.rows", column=label, row=i + 1, message=t.entry_error(err)))
            continue
        if value is not None:
            out.append((i, value))
    if problems:
        st.error("\n\n".join(problems))
    return out


def _coefficients(t: Tr, rev: int) -> None:
    data = session.work()
    criteria = data["need"]["criteria"]
    by_cols = sorted({c.get("by", "region") for c in criteria})
    units = _dataset()
    for by in by_cols:
        if by not in units.columns:
            st.warning(t("coef.missing_column", by=by))
            continue
        members = [c for c in criteria if c.get("by", "region") == by]
        values = sorted(set(units[by].astype(str)))
        # the language is part of the key: the labels column is rebuilt when it changes
        key = f"{rev}.coef.{by}.{t.lang}"
        snap = f"{key}.data"
        label = t("col.region") if by == "region" else t.column_short(by)
        if key not in st.session_state:
            frame = pd.DataFrame(
                {by: values, "label": [t.region(v) if by == "region" else v for v in values]}
            )
            for c in members:
                coefs = c.get("coefficients", {})
                frame[c["indicator"]] = [
                    numbers.entry_text(
                        float(coefs.get(v, c.get("default_coefficient", 1.0))), t.lang, COEFFICIENT
                    )
                    for v in values
                ]
            st.session_state[snap] = frame
        st.caption(t("coef.caption", by=label.lower()))
        edited = st.data_editor(
            st.session_state[snap],
            key=key,
            hide_index=True,
            num_rows="fixed",
            disabled=[by, "label"],
            column_order=["label", *(c["indicator"] for c in members)],
            column_config={"label": st.column_config.TextColumn(label)}
            | {
                c["indicator"]: st.column_config.TextColumn(t.indicator(c), required=True)
                for c in members
            },
        )
        for c in members:
            coefs = c.setdefault("coefficients", {})
            default = float(c.get("default_coefficient", 1.0))
            for i, new in _typed(
                edited, st.session_state[snap], c["indicator"], t.indicator(c), COEFFICIENT, t
            ):
                if new != float(coefs.get(values[i], default)):
                    coefs[values[i]] = new


# ----------------------------------------------------------------------------- results


def _keep(default: str, toml: str) -> None:
    saved = st.session_state.setdefault("saved", {})
    label = (st.session_state.get("keep_label") or "").strip() or default
    saved[label] = toml
    st.session_state["keep_label"] = ""


def _results(t: Tr) -> None:
    result = current_result(t)
    if result is None:
        return
    st.subheader(t("allocate.results"))
    illustrative_notice(result, t)
    years = result.years
    year = years[0]
    if len(years) > 1:
        year = st.selectbox(t("year"), years, key="alloc.year")
    toml, units = result.scenario.to_toml(), session.units()
    eng = session.engine()
    cards = eng.cards(toml, units, year, t.lang)
    cols = st.columns(3)
    for k, (label, value, help_) in enumerate(cards):
        cols[k % 3].metric(label, value, help=help_, border=True)
    st.caption(cards[0][2])
    from fiscal_app.mergers_views import sharing_summary

    for line in sharing_summary(result, t):
        st.caption(line)
    units_section(result, year, t, "alloc.units", toml=toml)
    if result.budget is not None:
        lines_section(result, year, t)
    st.markdown(f"**{t('chart.change_title')}**")
    st.vega_lite_chart(eng.change_chart(toml, units, year, t.lang), width="stretch")
    st.markdown(f"**{t('map.heading')}**")
    map_section(result, year, t, "alloc.map", height=560)
    st.markdown(f"**{t('allocate.keep')}**")
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    default = t("allocate.keep_default", n=len(st.session_state.get("saved", {})) + 1)
    with left:
        st.text_input(t("allocate.keep_label"), placeholder=default, key="keep_label")
    with right:
        st.button(
            t("allocate.keep_button"),
            on_click=_keep,
            args=(default, result.scenario.to_toml()),
            key="keep_go",
        )
    if st.session_state.get("saved"):
        st.caption(t("allocate.kept", names=", ".join(st.session_state["saved"])))
    from fiscal_app.ui.history import save_section

    save_section(result, t)


if __name__ == "__main__":  # run as a page by st.navigation (fiscal_app/app.py)
    render()
