"""What the pages show, built from results as DataFrames and Altair charts (no Streamlit).

Every function takes a :class:`fiscal_app.i18n.Tr` so that headers, labels and numbers come out
in the chosen language. Money in results is million VND; tables and charts show billions.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from fiscal.prose import BN, flag_column, plain
from fiscal.prose.labels import OWN_RULES
from fiscal.prose.messages import Term, text_of
from fiscal.prose.words import setting_label as words_setting_label
from fiscal.prose.words import setting_value
from fiscal_app.charts import (  # re-exported: the change charts moved there
    CHART_UNITS,
    NAME_PX,
    ROW_PX,
    change_chart,
    localise,
    unchanged,
    winners_chart,
)
from fiscal_app.fmt import index_change, styler
from fiscal_app.i18n import Tr

__all__ = [
    "bands_table",
    "localise",
    "waterfall_domain",
    "change_chart",
    "compare_constraints",
    "compare_metrics",
    "compare_units",
    "compare_units_frame",
    "ledger_table",
    "localise",
    "metric_cards",
    "names_by_code",
    "params_table",
    "rule_names",
    "setting_label",
    "setting_names",
    "units_frame",
    "units_table",
    "waterfall_chart",
    "waterfall_story",
    "waterfall_table",
    "unchanged",
    "winners_chart",
    "CHART_UNITS",
    "NAME_PX",
    "ROW_PX",
]


def names_by_code(result: Any) -> dict[str, str]:
    t = result.year_table()
    return dict(zip(t["code"].astype(str), t["name"].astype(str), strict=True))


# ----------------------------------------------------------------------------- units


def _flags_of_year(result: Any, year: int, lang: str) -> np.ndarray:
    """The flags of one year's units, written from their codes in the language."""
    k = result.years.index(year)
    return flag_column(result.flags.year(k), lang)


def units_table(result: Any, year: int, t: Tr) -> tuple[pd.DataFrame, Any]:
    """The units of one year (:func:`units_frame`) and a Styler over them: for a small table
    only (a commune run is shown per province, :mod:`fiscal_app.unit_views`)."""
    out, formats = units_frame(result, year, t)
    return out, styler(out, formats, t.lang)


def units_frame(
    result: Any, year: int, t: Tr, province: str | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, int]]]:
    """The units of one year: amounts in bn VND, change against baseline, flags; and the
    columns' formats (see :func:`fiscal_app.fmt.styler`). Only the communes of ``province``
    (a parent code) when given."""
    table = result.table[result.table["year"] == year].reset_index(drop=True)
    flags = _flags_of_year(result, year, t.lang)
    if province is not None:
        keep = (table["parent"].astype(str) == str(province)).to_numpy()
        table, flags = table[keep].reset_index(drop=True), flags[keep]
    frame = result.problem.frame
    preds = dict(
        zip(
            frame["code"].astype(str),
            frame.get("predecessors", pd.Series([""] * len(frame))).astype(str),
            strict=True,
        )
    )
    codes = table["code"].astype(str)
    merged_from = [p.replace(";", ", ") if ";" in p else "" for p in codes.map(preds).fillna("")]
    out = pd.DataFrame(
        {
            t("col.code"): codes,
            t("col.name"): table["name"].astype(str),
            t("col.allocation"): table["allocation"].to_numpy(dtype=float) / BN,
            t("col.change"): table["change"].to_numpy(dtype=float) / BN,
            t("col.change_pct"): table["change_pct"].to_numpy(dtype=float),
            t("col.baseline"): table["baseline"].to_numpy(dtype=float) / BN,
            t("col.formula"): table["formula"].to_numpy(dtype=float) / BN,
            t("col.per_capita"): table["per_capita"].to_numpy(dtype=float),
            t("col.share_of_need"): table["share_of_need"].to_numpy(dtype=float),
            t("col.flags"): flags,
            t("col.region"): table["region"].map(t.region),
            t("col.merged_from"): merged_from,
            t("col.population"): table["population"].to_numpy(dtype=float),
            t("col.estimated"): [
                ", ".join(t.column_short(c) for c in str(v).split(";") if c)
                for v in table["estimated"].astype(str)
            ],
        }
    )
    formats = {
        t("col.population"): ("num", 0),
        t("col.baseline"): ("num", 1),
        t("col.formula"): ("num", 1),
        t("col.allocation"): ("num", 1),
        t("col.change"): ("signed", 1),
        t("col.change_pct"): ("signed_pct", 2),
        t("col.per_capita"): ("num", 2),
        t("col.share_of_need"): ("pct", 1),
    }
    if "sharing_rate" in table.columns:  # the A/B/C mechanism: rate, remitted, class
        _rate_columns(out, table, formats, t)
    return out, formats


def _rate_columns(out: pd.DataFrame, table: pd.DataFrame, formats: dict, t: Tr) -> None:
    """Insert the A/B/C columns after the share of need: rate, formula rate, remitted, class,
    the predecessors' resources and whether the unit is held harmless against them."""
    at = int(out.columns.get_loc(t("col.share_of_need"))) + 1
    extra = {
        t("col.rate"): table["sharing_rate"].to_numpy(dtype=float),
        t("col.formula_rate"): table["formula_rate"].to_numpy(dtype=float),
        t("col.remitted"): table["remitted"].to_numpy(dtype=float) / BN,
        t("col.fiscal_class"): table["fiscal_class"].map(t.fiscal_class),
    }
    if "predecessor_resources" in table.columns:
        ref = table["predecessor_resources"].to_numpy(dtype=float)
        held = table["resources"].to_numpy(dtype=float) >= ref - 0.5
        extra[t("col.reference")] = ref / BN
        extra[t("col.held")] = np.where(np.isfinite(ref), np.where(held, t("yes"), t("no")), "")
    for k, (name, values) in enumerate(extra.items()):
        out.insert(at + k, name, values)
    for key in ("col.rate", "col.formula_rate"):
        formats[t(key)] = ("num", 0)
    for key in ("col.remitted", "col.reference"):
        formats[t(key)] = ("num", 1)


STEP_PX = 420  # a waterfall step ('3. mức sàn (giữ mức năm gốc): Không thấp hơn năm gốc')


def metric_cards(result: Any, year: int, t: Tr) -> list[tuple[str, str, str]]:
    """(label, value, help) of the summary metrics of one year."""
    from fiscal import metrics
    from fiscal_app.lines_views import budget_cards

    m = metrics.summary(result, year)
    k = result.years.index(year)
    envelope = float(result.problem.envelope_total[k])
    allocated = m["total_allocation"]
    diff = allocated - envelope
    recon = t("metric.reconciles") if diff == 0 else t("metric.differs", amount=t.bn(diff))
    return [
        # to the million VND the envelope is held to: 250,000.5 bn is not shown as 250,000
        (t("metric.allocated"), f"{plain(allocated / BN, 3, t.lang)} {t('unit.bn')}", recon),
        (t("metric.gini"), t.num(m["gini"], 4), t("metric.gini_help")),
        (t("metric.need_met"), t.pct(m["share_of_need_met"], 2), t("metric.need_met_help")),
        (t("metric.at_floor"), t.num(m["units_at_floor"]), t("metric.at_floor_help")),
        (t("metric.at_cap"), t.num(m["units_at_cap"]), t("metric.at_cap_help")),
        (t("metric.mean_change"), t.pct(m["mean_abs_change_pct"], 2), t("metric.mean_change_help")),
    ] + (budget_cards(m, t) if result.budget is not None else [])


# ----------------------------------------------------------------------------- why this number


def _running(rows: list[tuple[str, float]]) -> pd.DataFrame:
    """Floating bars: each step from the running total; the last row (final) from zero."""
    out = []
    level = 0.0
    *steps, (final_label, final) = rows
    for k, (label, amount) in enumerate(steps):
        start, end = (0.0, amount) if k == 0 else (level, level + amount)
        out.append((label, start, end, amount))
        level = end
    out.append((final_label, 0.0, final, final))
    return pd.DataFrame(out, columns=["step", "start", "end", "amount"])


def waterfall_table(w: Any, t: Tr) -> pd.DataFrame:
    """The waterfall's steps with their labels in the language, in bn VND."""
    rows = [(label, amount / BN) for label, amount in w.rows(t.lang)]
    return pd.DataFrame(rows, columns=[t("col.step"), t("col.amount_bn")])


def waterfall_domain(data: pd.DataFrame) -> tuple[float, float]:
    """The waterfall's axis: from a little below the lowest running total to a little above the
    highest, not from 0, so that a step of 100 bn on a 12,600 bn bar is a bar, not a line. The
    margin is a quarter of the range the steps span (at least 0.5 % of the highest total)."""
    levels = np.concatenate([data["end"].to_numpy(), data["start"].to_numpy()[1:-1]])
    low, high = float(levels.min()), float(levels.max())
    pad = max(0.25 * (high - low), 0.005 * abs(high), 1e-3)
    return max(0.0, low - pad), high + pad


def waterfall_chart(w: Any, t: Tr) -> alt.TopLevelMixin:
    """Formula amount → each rule's effect → rounding → final, as floating bars (bn VND) on an
    axis that starts near the amounts (:func:`waterfall_domain`); the first and last bars, the
    totals, rise from the axis' foot."""
    data = _running(w.rows(t.lang))
    data["label"] = [f"{k + 1}. {s}" for k, s in enumerate(data["step"])]
    for col in ("start", "end", "amount"):
        data[col] = data[col] / BN
    last = len(data) - 1
    low, high = waterfall_domain(data)
    data.loc[[0, last], "start"] = low  # the totals from the axis' foot
    data["kind"] = [
        t("chart.total") if k in (0, last) else (t("chart.gain") if a >= 0 else t("chart.loss"))
        for k, a in enumerate(data["amount"])
    ]
    chart = (
        alt.Chart(data)
        .mark_bar(clip=True)
        .encode(
            x=alt.X(
                "label:N",
                sort=None,
                title=None,  # a step names its rule's kind and name: whole, not cut at 260 px
                axis=alt.Axis(labelAngle=-30, labelLimit=STEP_PX),
            ),
            y=alt.Y(
                "start:Q",
                title=t("chart.bn_axis"),
                scale=alt.Scale(domain=[low, high], zero=False, nice=False),
            ),
            y2="end:Q",
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(
                    domain=[t("chart.total"), t("chart.gain"), t("chart.loss")],
                    range=["#1565c0", "#2e7d32", "#c62828"],
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=t("col.step")),
                alt.Tooltip("amount:Q", title=t("col.amount_bn"), format=",.3f"),
            ],
        )
        .properties(height=340)
    )
    return localise(chart, t)


def waterfall_story(w: Any, t: Tr) -> str:
    """The waterfall in words in the language: the same story, from the same records, as the
    command line's (:func:`fiscal.prose.story`)."""
    return w.story(t.lang)


def rule_names(scenario: Any, t: Tr) -> dict[str, str]:
    """Each rule's name as shown: its ``name_vi`` in Vietnamese where the scenario gives one;
    the envelope by its kind's name."""
    out = {"envelope": t.kind("envelope")}
    for name, (vi, _) in OWN_RULES.get(t.lang, {}).items():  # the mechanism's own rule
        out[name] = vi
    for c in getattr(scenario, "constraints", []):
        out[c.name] = t.own(c, "name")
    return out


def _descriptions(ledger: pd.DataFrame, result: Any, t: Tr) -> list[str]:
    """The ledger's descriptions in the language: the scenario's ``description_vi``, fiscal's
    own line for the envelope (:func:`fiscal.ledger.envelope_line`)."""
    from fiscal.ledger import envelope_line

    scenario = getattr(result, "scenario", None)
    own = {c.name: c for c in getattr(scenario, "constraints", [])}
    out = []
    kinds = ledger["kind"].astype(str)
    for name, kind, text in zip(
        ledger["name"].astype(str), kinds, ledger["description"], strict=True
    ):
        if kind == "envelope" and result is not None:
            out.append(t.message(envelope_line(result.problem)))
        elif name in own and t.own(own[name], "description"):
            out.append(t.own(own[name], "description"))
        elif name not in own and name in OWN_RULES.get(t.lang, {}):
            out.append(OWN_RULES[t.lang][name][1])
        else:
            out.append("" if text is None else str(text))
    return out


def ledger_table(
    ledger: pd.DataFrame, names: dict[str, str], t: Tr, result: Any = None
) -> tuple[pd.DataFrame, Any]:
    """The constraint ledger with unit names, costs in bn VND and translated headers; the rules'
    names and descriptions in the language (``result``'s scenario: ``name_vi``,
    ``description_vi``)."""

    def who(cell: Any) -> str:
        if not isinstance(cell, str) or not cell:
            return ""
        return ", ".join(names.get(c, c) for c in cell.split(";"))

    shown = rule_names(getattr(result, "scenario", None), t)
    out = pd.DataFrame(
        {
            t("col.rule"): [shown.get(n, n) for n in ledger["name"].astype(str)],
            t("col.kind"): ledger["kind"].map(t.kind),
            t("col.hard"): ledger["hard"].map(lambda v: t("yes") if v else t("no")),
            t("col.binding"): ledger["binding"].map(lambda v: t("yes") if v else t("no")),
            t("col.units_binding"): ledger["units_binding"].astype(float),
            t("col.dual"): ledger["dual"].astype(float),
            t("col.cost"): ledger["cost"].astype(float) / BN,
            t("col.benefits"): ledger["benefits"].map(who),
            t("col.pays"): ledger["pays"].map(who),
            t("col.description"): _descriptions(ledger, result, t),
        }
    )
    formats = {
        t("col.units_binding"): ("num", 0),
        t("col.dual"): ("num", 4),
        t("col.cost"): ("num", 1),
    }
    return out, styler(out, formats, t.lang)


# ----------------------------------------------------------------------------- compare


def compare_metrics(c: Any, year: int, t: Tr) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Metrics per scenario with deltas against the reference, formatted per metric."""
    from fiscal.metrics import spec
    from fiscal_app.frontier_views import metric_name, metric_names_of

    m = c.metrics[c.metrics["year"] == year]
    names = metric_names_of(c.results)  # None without transfer lines: the names as they were
    rows = []
    for _, row in m.iterrows():
        key = row["metric"]
        out = {t("compare.metric"): metric_name(key, t, names)}
        for lab in c.labels:
            out[lab] = t.metric_value(key, row[lab])
        index = spec(key)  # an index's change to the decimals of its values (fmt.index_change)
        for lab in c.labels[1:]:
            delta, shown = row[f"Δ {lab}"], [out[x] for x in c.labels]
            out[f"Δ {lab}"] = (
                index_change(delta, shown, t.lang, index.digits)
                if index is not None and index.unit == "index"
                else t.metric_value(key, delta, delta=True)
            )
        rows.append(out)
    frame = pd.DataFrame(rows)
    return frame, frame


NAMES_SHOWN = 12  # a band's cell names this many units, then says how many more


def _names_cell(names: str, t: Tr) -> str:
    """The units of a band, the first :data:`NAMES_SHOWN` by name and then how many more (a
    band of a commune run can hold a thousand communes)."""
    parts = [p for p in names.split("; ") if p]
    if len(parts) <= NAMES_SHOWN:
        return ", ".join(parts)
    more = t("compare.names_more", n=t.num(len(parts) - NAMES_SHOWN))
    return ", ".join(parts[:NAMES_SHOWN]) + " " + more


def bands_table(c: Any, label: str, year: int, t: Tr) -> tuple[pd.DataFrame, Any]:
    """Winners and losers of ``label``: units, population and money per band."""
    b = c.bands[(c.bands["scenario"] == label) & (c.bands["year"] == year)]
    out = pd.DataFrame(
        {
            t("compare.band"): [t.band(x) for x in b["band"]],
            t("compare.n_units"): b["units"].to_numpy(dtype=float),
            t("col.population"): b["population"].to_numpy(dtype=float),
            t("col.change"): b["change"].to_numpy(dtype=float) / BN,
            t("compare.names"): [_names_cell(str(v), t) for v in b["names"]],
        }
    )
    return out, styler(
        out,
        {
            t("compare.n_units"): ("num", 0),
            t("col.population"): ("num", 0),
            t("col.change"): ("signed", 1),
        },
        t.lang,
    )


def compare_units(c: Any, year: int, t: Tr) -> tuple[pd.DataFrame, Any]:
    """Per unit (:func:`compare_units_frame`) with a Styler over them (a small table only)."""
    out, formats = compare_units_frame(c, year, t)
    return out, styler(out, formats, t.lang)


def compare_units_frame(
    c: Any, year: int, t: Tr, province: str | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, int]]]:
    """Per unit: each scenario's allocation and each change against the reference (bn VND),
    and the columns' formats; only the communes of ``province`` when given."""
    u = c.units[c.units["year"] == year]
    if province is not None:
        u = u[u["parent"].astype(str) == str(province)]
    out = pd.DataFrame(
        {
            t("col.code"): u["code"].astype(str).to_numpy(),
            t("col.name"): u["name"].astype(str).to_numpy(),
        }
    )
    formats: dict[str, tuple[str, int]] = {}
    for lab in c.labels:
        col = f"{lab} ({t('chart.bn_axis')})"
        out[col] = u[f"{lab}: allocation"].to_numpy(dtype=float) / BN
        formats[col] = ("num", 1)
    for lab in c.labels[1:]:
        col, pct = f"Δ {lab}", f"Δ% {lab}"
        out[col] = u[f"{lab}: change"].to_numpy(dtype=float) / BN
        out[pct] = u[f"{lab}: change_pct"].to_numpy(dtype=float)
        formats[col] = ("signed", 1)
        formats[pct] = ("signed_pct", 2)
    return out, formats


def _plain_value(v: Any, t: Tr, key: str = "") -> str:
    if isinstance(v, float) and np.isnan(v):
        return "–"
    if isinstance(v, Term):  # a rule, criterion or sector described in both languages
        return v.text(t.lang)
    return setting_value(v, t.lang, key)


def setting_names(scenarios: Any, t: Tr) -> dict[str, str]:
    """What each rule, need criterion and sector of ``scenarios`` (dicts or Scenarios) is
    called in the language, by its entry path (``constraints.<name>``)."""
    out: dict[str, str] = {}
    for s in scenarios:
        data = s if isinstance(s, dict) else s.to_dict()
        for c in data.get("constraints", []):
            out.setdefault(f"constraints.{c.get('name')}", t.own(c, "name"))
        for c in data.get("need", {}).get("criteria", []):
            out.setdefault(f"need.criteria.{c.get('indicator')}", t.indicator(c))
        for c in data.get("sectors", []):
            out.setdefault(f"sectors.{c.get('name')}", t.own(c, "name"))
        for name, line in (data.get("lines") or {}).items():
            out.setdefault(f"lines.{name}", t.own(line, "label") or name)
            for c in line.get("constraints") or []:
                if c.get("name"):
                    out.setdefault(f"lines.{name}.constraints.{c['name']}", t.own(c, "name"))
    return out


def setting_label(path: str, t: Tr, scenarios: Any = ()) -> str:
    """A setting as the language calls it (:func:`fiscal.prose.words.setting_label`), with the
    names ``scenarios`` give their rules, criteria and sectors."""
    return words_setting_label(path, t.lang, setting_names(scenarios, t))


def params_table(c: Any, t: Tr) -> pd.DataFrame:
    """The settings that differ, one row per setting by its label, values and sources in the
    language."""
    rows = []
    names = setting_names([r.scenario for r in c.results], t)
    # records, not iterrows: a row Series would turn the Terms into plain text
    for row in c.params.to_dict(orient="records"):
        path = str(row["setting"])
        out = {t("compare.setting"): words_setting_label(path, t.lang, names)}
        for lab in c.labels:
            out[lab] = _plain_value(row[lab], t, path.rsplit(".", 1)[-1])
        sources = sorted(
            {
                text_of(row[f"source: {lab}"], t.lang)
                for lab in c.labels
                if row.get(f"source: {lab}")
            }
        )
        out[t("need.source")] = "; ".join(sources)
        rows.append(out)
    return pd.DataFrame(rows)


def compare_constraints(c: Any, t: Tr) -> tuple[pd.DataFrame, Any]:
    """Each scenario's rules: binding or not and the money each moves."""
    led = c.constraints
    names: dict[str, str] = {}
    for r in c.results:
        names.update({k: v for k, v in rule_names(r.scenario, t).items() if k not in names})
    out = pd.DataFrame(
        {
            t("compare.scenario"): led["scenario"].astype(str),
            t("col.rule"): [names.get(n, n) for n in led["name"].astype(str)],
            t("col.kind"): led["kind"].map(t.kind),
            t("col.binding"): led["binding"].map(lambda v: t("yes") if v else t("no")),
            t("col.units_binding"): led["units_binding"].astype(float),
            t("col.cost"): led["cost"].astype(float) / BN,
        }
    )
    return out, styler(out, {t("col.units_binding"): ("num", 0), t("col.cost"): ("num", 1)}, t.lang)
