"""Tables of the transfer lines and whole-budget rules (:mod:`fiscal.lines`) in the chosen
language: Allocate's Transfer lines section, Why this number by line, Compare by line. Nothing
here imports Streamlit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fiscal.prose import BN, plain
from fiscal.prose.budget import (
    LINES,
    base_name,
    budget_labels,
    line_name,
    rule_kind_name,
    rule_name,
)
from fiscal_app.fmt import styler
from fiscal_app.i18n import Tr

__all__ = [
    "budget_cards",
    "compare_lines_table",
    "illustrative_lines",
    "line_totals",
    "priority_tables",
    "rules_table",
    "unit_lines",
    "why_lines",
]


def _name(la: Any, lang: str) -> str:
    vi = la.settings.label_vi if la.settings is not None else ""
    return line_name(la.name, la.label, vi, lang)


def illustrative_lines(result: Any, t: Tr) -> str | None:
    """The note naming the lines whose sharing among units is illustrative (None: none)."""
    names = [_name(la, t.lang) for la in result.budget.lines if la.estimated and la.settings]
    return t("lines.illustrative", lines=", ".join(names)) if names else None


def line_totals(result: Any, year: int, t: Tr) -> tuple[pd.DataFrame, Any]:
    """One row per line: rule, eligibility, envelope, allocated, units paid, real amounts."""
    b = result.budget
    k = b.years.index(year)
    words = LINES.get(t.lang, LINES["en"])
    rows = []
    for la in b.lines:
        s = la.settings
        elig = (
            words.get(f"eligible.{s.eligible}", s.eligible)
            if s is not None
            else words["eligible.all"]
        )
        rows.append(
            {
                t("col.line"): _name(la, t.lang),
                t("col.line_rule"): words.get(f"rule.{la.rule}", la.rule),
                t("col.eligible_units"): elig,
                t("col.envelope_bn"): np.nan if la.envelope is None or k else la.envelope / BN,
                t("col.allocated_bn"): float(la.amount[k].sum()) / BN,
                t("col.units_paid"): int((la.amount[k] > 0).sum()),
                t("col.real_amounts"): int(la.known.sum()),
                t("col.illustrative"): t("yes") if la.estimated and s is not None else "",
            }
        )
    out = pd.DataFrame(rows)
    formats = {t("col.envelope_bn"): ("num", 1), t("col.allocated_bn"): ("num", 1)}
    return out, styler(out, formats, t.lang)


def unit_lines(result: Any, year: int, t: Tr) -> tuple[pd.DataFrame, Any]:
    """One row per unit: revenue kept, each line, all lines, resources (bn VND)."""
    b = result.budget
    k = b.years.index(year)
    out = pd.DataFrame({t("col.code"): b.codes, t("col.name"): b.names})
    out[t("col.revenue_kept_bn")] = b.kept[k] / BN
    for la in b.lines:
        out[_name(la, t.lang)] = la.amount[k] / BN
    out[t("col.transfers_total_bn")] = b.transfers[k] / BN
    out[t("col.resources_total_bn")] = b.resources[k] / BN
    formats = {c: ("num", 1) for c in out.columns[2:]}
    return out, styler(out, formats, t.lang)


def priority_tables(result: Any, year: int, t: Tr) -> list[tuple[str, pd.DataFrame, Any]]:
    """Each line with a priority (:mod:`fiscal.lines.priority`): its heading, and one row per
    eligible unit with its balancing transfer, spending need A, their ratio (first year),
    whether it has priority, what its claim counts for and its amount in ``year``."""
    b = result.budget
    k = b.years.index(year)
    out = []
    for la in b.lines:
        s = la.settings
        if s is None or s.priority is None:
            continue
        p, e = la.parts, la.eligible
        frame = pd.DataFrame(
            {
                t("col.code"): b.codes[e],
                t("col.name"): b.names[e],
                t("col.balancing_bn"): p["priority.transfer"][e] / BN,
                t("col.need_a_bn"): p["priority.need"][e] / BN,
                t("col.priority_ratio"): p["priority.ratio"][e],
                t("col.priority"): np.where(p["priority.qualifies"][e] > 0, t("yes"), ""),
                t("col.priority_factor"): p["priority.factor"][e],
                t("col.amount_bn"): la.amount[k][e] / BN,
            }
        )
        heading = t(
            "lines.priority",
            line=_name(la, t.lang),
            threshold=t.pct(s.priority.threshold, 0),
            count=t.num(int((p["priority.qualifies"] > 0).sum())),
        )
        formats = {
            t("col.balancing_bn"): ("num", 1),
            t("col.need_a_bn"): ("num", 1),
            t("col.priority_ratio"): ("pct", 1),
            t("col.priority_factor"): ("plain", 2),
            t("col.amount_bn"): ("num", 1),
        }
        out.append((heading, frame, styler(frame, formats, t.lang)))
    return out


def rules_table(result: Any, year: int, t: Tr) -> tuple[pd.DataFrame, Any]:
    """One row per whole-budget rule: kind, base, units judged, where it does not hold."""
    b = result.budget
    k = b.years.index(year)
    labels = budget_labels(b)
    rows = []
    for c in b.checks:
        base = base_name("kept" if c.kind == "debt_ceiling" else c.base, labels, t.lang)
        kind = rule_kind_name(c.kind, t.lang)
        if c.setting.min_share is not None:
            kind += f" {t.pct(c.setting.min_share, 0)}"
        where = c.breach[k]
        rows.append(
            {
                t("col.rule"): rule_name(c.name, c.setting.name_vi, t.lang),
                t("col.rule_kind"): kind,
                t("col.rule_base"): base,
                t("col.judged"): int(c.judged[k].sum()),
                t("col.breaches"): ", ".join(b.names[where]),
                t("col.shortfall_bn"): float(c.shortfall[k].sum()) / BN,
            }
        )
    out = pd.DataFrame(rows)
    return out, styler(out, {t("col.shortfall_bn"): ("num", 1)}, t.lang)


def why_lines(w: Any, t: Tr) -> tuple[pd.DataFrame, Any] | None:
    """A unit's lines (bn VND) from its waterfall's facts (None: the scenario has none)."""
    ub = w.facts.budget
    if ub is None:
        return None
    rows = [(t("col.revenue_kept_bn"), ub.kept / BN)]
    rows += [(line_name(la.name, la.label, la.label_vi, t.lang), la.amount / BN) for la in ub.lines]
    rows.append((t("col.resources_total_bn"), ub.resources / BN))
    out = pd.DataFrame(rows, columns=[t("col.line"), t("col.amount_bn")])
    return out, styler(out, {t("col.amount_bn"): ("num", 3)}, t.lang)


def compare_lines_table(c: Any, t: Tr) -> tuple[pd.DataFrame, Any] | None:
    """Each line's total per scenario and the change against the reference (bn VND), first
    year (None: no result has lines)."""
    if c.lines.empty:
        return None
    frame = c.lines[c.lines["year"] == c.years[0]]
    label = frame["label_vi"] if t.lang == "vi" else frame["label"]
    out = pd.DataFrame({t("col.line"): label.astype(str).to_numpy()})
    heads = [x for x in frame.columns if x not in ("year", "line", "label", "label_vi")]
    for h in heads:
        out[h] = frame[h].to_numpy(dtype=float) / BN
    formats = {h: ("signed" if h.startswith("Δ ") else "num", 1) for h in heads}
    return out, styler(out, formats, t.lang)


def budget_cards(m: dict[str, float], t: Tr) -> list[tuple[str, str, str]]:
    """With transfer lines: total resources, their Gini, the units breaching a whole-budget
    rule (the cards above are on revenue kept + the balancing line, as their help says)."""
    total = f"{plain(m['resources_total'] / BN, 1, t.lang)} {t('unit.bn')}"
    return [
        (t.metric("resources_total"), total, t("metric.total_help")),
        (t.metric("gini_total"), t.num(m["gini_total"], 4), t("metric.gini_total_help")),
        (
            t.metric("units_breaching_rules"),
            t.num(m["units_breaching_rules"]),
            t("metric.breaching_help"),
        ),
    ]
