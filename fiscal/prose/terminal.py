"""What the ``fiscal`` command prints: every report beyond one-line notices (English).

:func:`scenario_list` (``fiscal list``), :func:`solve_summary` (``fiscal solve``),
:func:`explain_text` and :func:`ledger_text` (``fiscal explain``), :func:`goal_seek_line`,
:func:`model_line` (``--write-model``), :func:`frontier_text` (``fiscal frontier``),
:func:`monte_carlo_text` (``fiscal sweep``), :func:`comparison_text` (``fiscal compare``) and
:func:`mergers_text` (``fiscal mergers``).
Numbers go through :mod:`fiscal.prose.numbers`, metrics through their spec
(:func:`fiscal.prose.words.metric_text`). The run store's reports are in
:mod:`fiscal.prose.terminal_runs`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal.prose.numbers import TERMINAL_MISSING, billions, money, percent, setting
from fiscal.prose.words import metric_label, metric_text

if TYPE_CHECKING:
    import pandas as pd

    from fiscal.compare import Comparison
    from fiscal.montecarlo import MonteCarlo
    from fiscal.results import Result
    from fiscal.waterfall import Waterfall

__all__ = [
    "comparison_text",
    "explain_text",
    "frontier_text",
    "goal_seek_line",
    "illustrative_note",
    "ledger_text",
    "mergers_text",
    "model_line",
    "monte_carlo_text",
    "scenario_list",
    "solve_summary",
]


# ----------------------------------------------------------------------------- the command line


def scenario_list(
    where: str, entries: Sequence[tuple[str, Any]], datasets: Sequence[tuple[str, str]]
) -> str:
    """``fiscal list``: each shipped scenario (its stem and the Scenario, or the error that
    keeps it from loading) and the bundled datasets (name, description)."""
    lines = [
        f"Scenarios (shipped in {where}; give a name or a path, e.g. "
        "fiscal solve national-2026-baseline):"
    ]
    for stem, s in entries:
        if isinstance(s, Exception):
            lines.append(f"  {stem:<41} INVALID: {str(s).splitlines()[0]}")
            continue
        place = s.scenario.level + (f" {s.scenario.province}" if s.scenario.province else "")
        years = f"{s.years[0]}" if len(s.years) == 1 else f"{s.years[0]}–{s.years[-1]}"
        lines.append(f"  {stem:<41} {s.objective.kind:<19} {place:<14} {years:<10} {s.name}")
    lines += ["", "Datasets (bundled):"]
    lines += [f"  {name:<14} {text}" for name, text in datasets]
    return "\n".join(lines)


def solve_summary(result: Result, top: int = 5) -> str:
    """``fiscal solve``: the envelope reconciled, the largest gains and losses, the units held
    by a rule and below need, the re-check."""
    s = result.scenario
    t = result.table
    years = result.years
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    lines = [
        f"{s.name}",
        f"  objective {result.objective_kind}: {s.objective.character}",
        f"  {len(result.problem.codes)} units ({s.scenario.level}), years {span}, "
        + (
            f"solved directly, without a solver run (the optimum {result.backend} finds)"
            if result.method == "direct"
            else f"solved by {result.backend} in two stages (unit totals, then their split by "
            "sector)"
            if result.method == "staged"
            else f"solved by {result.backend}"
        ),
    ]
    for k, y in enumerate(years):
        rows = t[t["year"] == y]
        alloc = rows["allocation"].sum()
        support = rows["merger_support"].sum()
        env = result.problem.envelope_total[k]
        ok = "reconciles exactly" if abs(alloc - env) == 0 else f"DIFFERS by {alloc - env:,.0f}"
        extra = f" incl. {billions(support, 1)} bn merger support" if support else ""
        lines.append(
            f"  {y}: envelope {money(env, decimals=1)}{extra}; allocated "
            f"{money(alloc, decimals=1)} ({ok})"
        )
    if result.objective is not None:
        lines.append(f"  objective value: {result.objective:.6g}")
    first = result.year_table()
    ch = first[first["baseline"] > 0].sort_values(["change_pct", "code"], kind="stable")
    spread = ch["change_pct"].max() - ch["change_pct"].min() if len(ch) else 0.0
    if len(ch) and spread < 1e-4:
        lines.append(
            f"  every unit with a baseline changes by {percent(ch['change_pct'].iloc[0], 2, sign=True)} "
            f"against it ({years[0]})"
        )
    elif len(ch):

        def gain(r: Any) -> str:
            return (
                f"    {r['code']:>5} {r['name']:<28} {r['change_pct']:+7.2%}  "
                f"{billions(r['change'], 1, sign=True):>12} bn"
            )

        lines.append(f"  largest gains against the baseline ({years[0]}):")
        lines += [gain(r) for _, r in ch.iloc[::-1].head(top).iterrows()]
        lines.append("  smallest gains / largest losses:")
        lines += [gain(r) for _, r in ch.head(top).iterrows()]
    fresh = first[(first["baseline"] == 0) & (first["allocation"] > 0)]
    if len(fresh):
        lines.append(
            f"  {len(fresh)} unit(s) without a baseline receive a transfer: "
            + ", ".join(
                f"{r['name']} {billions(r['allocation'], 1)} bn" for _, r in fresh.iterrows()
            )
        )
    m = result.metrics
    lines.append(
        "  "
        + "; ".join(
            f"{metric_label(key)}: {metric_text(key, m[key])}"
            for key in ("units_at_floor", "units_at_cap", "units_below_need")
        )
    )
    lines += _sharing_lines(result)
    held = sum(c.ok for c in result.checks)
    lines.append(f"  re-check: {held}/{len(result.checks)} rules hold")
    if result.illustrative:
        cols = ", ".join(result.problem.units.estimated_columns)
        lines.append(f"  NOTE: illustrative figures in use (estimated: {cols}); not official data")
    if result.budget is not None:  # transfer lines and whole-budget rules (fiscal.lines)
        from fiscal.prose.budget import budget_summary

        lines.append(budget_summary(result.budget))
        keys = [
            "gini_total",
            "min_per_capita_total",
            "units_below_need_total",
            "units_breaching_rules",
        ]
        lines.append(
            "On total resources (all revenue kept + every line): "
            + "; ".join(f"{metric_label(key)}: {metric_text(key, m[key])}" for key in keys)
        )
    return "\n".join(lines)


def _sharing_lines(result: Result) -> list[str]:
    """The A/B/C mechanism of a result with [sharing]: mode, classes, the rates chosen."""
    state = result.problem.sharing
    if state is None:
        return []
    t = result.year_table()
    mode = "a period start" if state.mode == "period_start" else "within a stability period"
    receiving = int((t["fiscal_class"] == "receiving").sum())
    lines = [
        f"  A/B/C mechanism ({mode}): {receiving} units receive a balancing transfer, "
        f"{len(t) - receiving} keep less than 100 % or receive nothing; the centre is remitted "
        f"{money(float(t['remitted'].sum()), decimals=1)} of shared revenue"
    ]
    chosen = state.chosen
    if chosen is not None:
        req = state.requirement
        need = f" (requirement {money(req, decimals=1)})" if req is not None else ""
        secs = sum(chosen["runtime"].values())
        lines.append(
            f"  rates chosen by the rate model ({chosen['integers']} integer columns, "
            f"{chosen['backend']}, {secs:.3f} s): {chosen['changed']} differ from the formula's "
            f"within ±{chosen['band']} points, moving {money(chosen['moved'], decimals=1)}; "
            f"exact shares remitted {money(float(state.remitted_exact.sum()), decimals=1)}{need}"
        )
        moved = t[t["sharing_rate"] != t["formula_rate"]]
        for _, r in moved.iterrows():
            lines.append(
                f"    {r['code']:>5} {r['name']:<28} {r['formula_rate']:>3} % -> "
                f"{r['sharing_rate']:>3} %"
            )
    if "predecessor_resources" in t.columns:
        ref = t["predecessor_resources"].to_numpy(dtype=float)
        merged = (t["merged"].astype(str) == "yes").to_numpy() & np.isfinite(ref)
        held = t["resources"].to_numpy(dtype=float) >= ref - 0.5
        lines.append(
            f"  merged units at or above their predecessors' summed resources: "
            f"{int((held & merged).sum())} of {int(merged.sum())} (fiscal mergers shows them)"
        )
    return lines


def mergers_text(view: pd.DataFrame, name: str) -> str:
    """``fiscal mergers``: each unit beside its predecessors (:func:`fiscal.mechanism.merger_view`)."""
    lines = [
        f"{name}: each unit beside its predecessors (million VND)",
        f"  {'unit / predecessor':<32} {'rate':>5} {'remitted':>14} {'transfer':>14} "
        f"{'resources':>15}",
    ]
    for _, r in view.iterrows():
        label = f"{r['unit']} {r['name']}" if r["level"] == "unit" else f"     {r['name']}"
        lines.append(
            f"  {label[:32]:<32} {int(r['rate']):>4}% {r['remitted']:>14,.0f} "
            f"{r['balancing']:>14,.0f} {r['resources']:>15,.0f}  {r['fiscal_class']}"
        )
        if r["level"] == "unit":
            diff = r["resources"] - r["reference"]
            verdict = "held harmless" if diff >= -0.5 else "below its predecessors"
            lines.append(
                f"  {'':<32} predecessors' resources {r['reference']:,.0f}: {verdict} "
                f"({diff:+,.0f})"
            )
    units = view[view["level"] == "unit"]
    held = int((units["resources"] >= units["reference"] - 0.5).sum())
    lines.append(f"units at or above their predecessors' resources: {held} of {len(units)}")
    return "\n".join(lines)


def explain_text(w: Waterfall) -> str:
    """``fiscal explain --unit``: the story and the steps in million VND."""
    *steps, (final, amount) = w.rows()
    lines = [w.text, "", "Waterfall (million VND):"]
    first = True
    for label, change in steps:
        lines.append(
            f"  {label:<48} {change:>18,.0f}" if first else f"  {label:<48} {change:>+18,.0f}"
        )
        first = False
    lines.append(f"  {final:<48} {amount:>18,.0f}")
    return "\n".join(lines)


def ledger_text(ledger: pd.DataFrame) -> str:
    """``fiscal explain``: each rule of the constraint ledger, binding or not, what it moves."""
    lines = ["Rules (the constraint ledger):"]
    for _, r in ledger.iterrows():
        status = "binding" if r["binding"] else "not binding"
        cost = "" if r["cost"] != r["cost"] else f"; moves {money(r['cost'], decimals=1)}"
        dual = "" if r["dual"] != r["dual"] else f"; dual {r['dual']:.3g} per million VND"
        lines.append(f"  {r['name']} ({r['kind']}): {status}{dual}{cost}")
        if isinstance(r["benefits"], str) and r["benefits"]:
            lines.append(f"      benefits: {r['benefits'].replace(';', ', ')}")
        if isinstance(r["pays"], str) and r["pays"]:
            lines.append(f"      pays:     {r['pays'].replace(';', ', ')}")
    return "\n".join(lines)


def goal_seek_line(path: str, value: float, metric: str, reached: float, target: float) -> str:
    """``fiscal goalseek``: the value found and the metric it gives."""
    shown = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.6g}"
    return f"{path} = {shown} gives {metric} = {reached:.6g} (target {target:g})"


def model_line(path: Any, lp: Any) -> str:
    """``fiscal solve --write-model``: what was written and how to read it."""
    return (
        f"wrote {path} (model: {lp.nvar} columns, {lp.A_ub.shape[0] + lp.A_eq.shape[0]} rows, "
        f"objective {lp.objective}; money scaled by {lp.scale:.9g} million VND; reported "
        f"objective = {lp.objective_factor:.9g} x the file's objective)"
    )


def illustrative_note(illustrative: bool, columns: Sequence[str]) -> str | None:
    """The note that a table written by the command line uses illustrative figures."""
    if not illustrative:
        return None
    return f"ILLUSTRATIVE: estimated figures in use ({', '.join(columns)}); not official data."


# ----------------------------------------------------------------------------- sweeps


def _tbn(v: float, sign: bool = False) -> str:
    """Billions with one decimal, as the terminal's tables write them."""
    return billions(v, 1, sign=sign, missing=TERMINAL_MISSING)


def _fmt(v: Any) -> str:
    return f"{v:+.5f}" if isinstance(v, float) and np.isfinite(v) else TERMINAL_MISSING


def frontier_text(frame: pd.DataFrame, rows: int = 21) -> str:
    """A frontier as terminal text: about ``rows`` of its points and what they say."""
    a = frame.attrs
    path = a.get("path", "value")
    per = "pt" if any(c.endswith("_per_pt") for c in frame.columns) else "unit"
    lines = [
        f"Frontier of {path} in '{a.get('scenario', '')}' ({len(frame)} points; now "
        f"{setting(a.get('current'))})",
        f"  {'model reused between points' if a.get('fast') else 'general path: each point rebuilt'}; "
        f"{a.get('executor', 'in-process')}; {a.get('seconds', float('nan')):.2f} s",
    ]
    head = (
        f"  {'value':>12} {'status':>10} {'gini':>8} {'need met':>9} {'min/person':>10} "
        f"{'at floor':>8} {'protect bn':>10} {'extra bn':>9} {'Δgini/' + per:>11} "
        f"{'Δextra bn/' + per:>14}"
    )
    lines += ["", head]
    step = max(1, math.ceil(len(frame) / rows))
    show = sorted(set(range(0, len(frame), step)) | {len(frame) - 1})
    for k in show:
        r = frame.iloc[k]
        ok = r["status"] == "optimal"
        lines.append(
            f"  {r['value']:>12.6g} {r['status']:>10} "
            + (
                f"{r['gini']:>8.5f} {r['share_of_need_met']:>9.3%} {r['min_per_capita']:>10.3f} "
                f"{r['units_at_floor']:>8.0f} {_tbn(r['protection_cost']):>10} "
                if ok
                else f"{'':>8} {'':>9} {'':>10} {'':>8} {'':>10} "
            )
            + f"{_tbn(r['extra_envelope']) if r['status'] == 'infeasible' else '':>9} "
            + f"{_fmt(r.get(f'gini_per_{per}')):>11} "
            + f"{_tbn(r.get(f'extra_envelope_per_{per}', np.nan), True) if not ok else '':>14}"
        )
    ok = frame["status"] == "optimal"
    lines += _frontier_lines(frame, show, path)
    lines.append("")
    if ok.all():
        lines.append("  every point is feasible")
    elif not ok.any():
        lines.append("  no point is feasible")
    else:
        bad = frame[~ok]
        first = bad.iloc[0]
        extra = first["extra_envelope"]
        lines.append(
            f"  {int(ok.sum())} of {len(frame)} points feasible; the first that is not: "
            f"{path} = {first['value']:.6g} ({first['status']}"
            + (f", needs {_tbn(extra)} bn VND more envelope" if np.isfinite(extra) else "")
            + ")"
        )
    g = frame.loc[ok, f"gini_per_{per}"].dropna()
    if len(g):
        lines.append(
            f"  price: the Gini moves by {g.mean():+.5f} per {per} of {path} on average "
            f"(from {g.min():+.5f} to {g.max():+.5f})"
        )
    c = frame.loc[ok, f"protection_cost_per_{per}"].dropna()
    if len(c) and (c != 0).any():
        lines.append(
            f"  the money the protections move above the formula changes by "
            f"{_tbn(c.mean(), True)} bn VND per {per} on average"
        )
    e = frame[f"extra_envelope_per_{per}"].dropna()
    e = e[frame.loc[e.index, "status"] == "infeasible"]
    if len(e):
        lines.append(
            f"  beyond the feasible range each further {per} needs {_tbn(e.mean())} bn VND "
            "more envelope on average"
        )
    if a.get("illustrative"):
        lines.append(
            f"NOTE: illustrative (estimated) figures in use "
            f"({', '.join(a.get('estimated_columns', []))}); not official data"
        )
    return "\n".join(lines)


def _frontier_lines(frame: pd.DataFrame, show: list[int], path: str) -> list[str]:
    """With transfer lines, the same points on total resources (all revenue kept + every
    line) and the swept line's total; nothing without lines."""
    if "gini_total" not in frame.columns:
        return []
    parts = path.split(".")
    swept = f"line_{parts[1]}" if parts[0] == "lines" and f"line_{parts[1]}" in frame else None
    out = [
        "",
        "  on total resources (all revenue kept + every transfer line); the metrics above are on "
        "revenue kept + the balancing transfer:",
        f"  {'value':>12} {'resources bn':>14} {'gini':>8} {'need met':>9} {'min/person':>10} "
        f"{'below need':>10} {'breaching':>9}" + (f" {parts[1] + ' bn':>14}" if swept else ""),
    ]
    for k in show:
        r = frame.iloc[k]
        if r["status"] != "optimal":
            out.append(f"  {r['value']:>12.6g} {r['status']:>14}")
            continue
        out.append(
            f"  {r['value']:>12.6g} {_tbn(r['resources_total']):>14} {r['gini_total']:>8.5f} "
            f"{r['share_of_need_met_total']:>9.3%} {r['min_per_capita_total']:>10.3f} "
            f"{r['units_below_need_total']:>10.0f} {r['units_breaching_rules']:>9.0f}"
            + (f" {_tbn(r[swept]):>14}" if swept else "")
        )
    per = "pt" if "gini_total_per_pt" in frame.columns else "unit"
    ok = frame["status"] == "optimal"
    price = f"gini_total_per_{per}"
    g = frame.loc[ok, price].dropna() if price in frame else None
    if g is not None and len(g):
        out.append(
            f"  price: the Gini of total resources moves by {g.mean():+.3g} per {per} of {path} "
            f"on average (from {g.min():+.3g} to {g.max():+.3g})"
        )
    return out


def monte_carlo_text(mc: MonteCarlo, top: int = 8) -> str:
    """A Monte Carlo run as terminal text: feasibility, the rules, the most uncertain units."""
    st = mc.settings
    vary = ", ".join(f"{k} {v}" for k, v in st["vary"].items())
    d = mc.draws
    ok = d["status"] == "optimal"
    lines = [
        f"Monte Carlo of '{st['scenario']}': {st['draws']} draws, seed {st['seed']}; {vary}",
        f"  {st.get('executor', 'in-process')}; {st.get('seconds', float('nan')):.2f} s",
        "",
        f"  the rules cannot all hold in {(~ok).mean():.1%} of draws"
        + (
            f" (then they need {_tbn(d.loc[~ok, 'extra_envelope'].median())} bn VND more "
            "envelope, median)"
            if (~ok).any() and d.loc[~ok, "extra_envelope"].notna().any()
            else ""
        ),
    ]
    for _, r in mc.rules.iterrows():
        lines.append(
            f"  {r['name']} ({r['kind']}): needs more than the envelope in "
            f"{r['p_cannot_hold']:.1%} of draws; binds in {r['p_binding']:.1%} of feasible draws"
        )
    if ok.any():
        lines.append("")
        lines.append("  metric              p05         p50         p95")
        for key in (
            "gini",
            "share_of_need_met",
            "min_per_capita",
            "units_below_need",
            "units_at_floor",
        ):
            q = np.nanpercentile(d.loc[ok, key].to_numpy(dtype=float), [5, 50, 95])
            lines.append(f"  {key:<18}" + "".join(f"{v:>12.5g}" for v in q))
        total = [k for k in d.columns if k.endswith("_total") or k == "units_breaching_rules"]
        if total:  # transfer lines: on all revenue kept + every line
            lines.append("  on total resources:")
            for key in total:
                q = np.nanpercentile(d.loc[ok, key].to_numpy(dtype=float), [5, 50, 95])
                lines.append(f"  {key:<24}" + "".join(f"{v:>12.5g}" for v in q))
        u = mc.units[mc.units["year"] == mc.units["year"].min()].copy()
        u["spread"] = (u["p95"] - u["p05"]) / u["mean"].where(u["mean"] > 0)
        u = u.sort_values(["spread", "code"], ascending=[False, True], kind="stable").head(top)
        lines.append("")
        lines.append("  most uncertain allocations (p05–p95, bn VND; share of draws at a floor):")
        for _, r in u.iterrows():
            lines.append(
                f"    {r['code']:>5} {str(r['name']):<28} {_tbn(r['p05']):>10} – {_tbn(r['p95']):<10} "
                f"at floor {r['p_at_floor']:.0%}, below need {r['p_below_need']:.0%}"
            )
    if mc.illustrative:
        lines.append(
            f"NOTE: illustrative (estimated) figures in use "
            f"({', '.join(mc.estimated_columns)}); not official data"
        )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- comparisons


def comparison_text(c: Comparison, top: int = 5) -> str:
    """``fiscal compare``: metrics, winners and losers, largest changes, settings, rules."""
    labs = c.labels
    # short column heads: the labels when they are short, else letters
    heads = labs if max(len(lab) for lab in labs) <= 14 else [chr(65 + k) for k in range(len(labs))]
    width = max(18, *(len(h) + 4 for h in heads))
    lines = [f"Comparing {len(labs)} scenarios; reference: {c.reference}"]
    for head, lab, r in zip(heads, labs, c.results, strict=True):
        tag = "" if head == lab else f"{head}  "
        lines.append(f"  {tag}{lab}: {r.scenario.name} [{r.objective_kind}]")
    year = c.years[0]
    m = c.metrics[c.metrics["year"] == year]
    kw, mw = 20, width  # with transfer lines: room for their keys and total resources
    if not c.lines.empty:
        kw, mw = max(20, *(len(str(k)) + 1 for k in m["metric"])), max(width, 20)
    lines.append("")
    lines.append(f"Metrics ({year}):")
    lines.append(
        f"  {'':<{kw}}"
        + "".join(f"{h:>{mw}}" for h in heads)
        + "".join(f"{'Δ ' + h:>{mw}}" for h in heads[1:])
    )
    for _, row in m.iterrows():
        key = row["metric"]
        if key == "objective":
            continue
        line = f"  {key:<{kw}}" + "".join(f"{metric_text(key, row[lab]):>{mw}}" for lab in labs)
        line += "".join(
            f"{metric_text(key, row[f'Δ {lab}'], delta=True):>{mw}}" for lab in labs[1:]
        )
        lines.append(line)
    if not c.lines.empty:  # transfer lines (fiscal.compare_lines)
        lines.append("")
        lines.append(f"Transfer lines ({year}, bn VND):")
        lines.append(
            f"  {'':<44}"
            + "".join(f"{h:>{width}}" for h in heads)
            + "".join(f"{'Δ ' + h:>{width}}" for h in heads[1:])
        )
        for _, row in c.lines[c.lines["year"] == year].iterrows():
            line = f"  {str(row['label'])[:44]:<44}"
            line += "".join(f"{billions(row[lab], 1):>{width}}" for lab in labs)
            line += "".join(
                f"{billions(row[f'Δ {lab}'], 1, sign=True):>{width}}" for lab in labs[1:]
            )
            lines.append(line)
    unit = 0.5 * float(c.results[0].problem.unit)
    for lab in labs[1:]:
        b = c.bands[(c.bands["scenario"] == lab) & (c.bands["year"] == year)]
        lines.append("")
        lines.append(f"Winners and losers: {lab} against {c.reference} ({year}):")
        lines.append(f"  {'band':<14}{'units':>7}{'population':>14}{'change, bn VND':>18}")
        for _, row in b.iterrows():
            lines.append(
                f"  {row['band']:<14}{row['units']:>7}{row['population']:>14,.0f}"
                f"{billions(row['change'], 1, sign=True):>18}"
            )
        u = c.units[c.units["year"] == year]
        ch = u[[f"{lab}: change", f"{lab}: change_pct", "code", "name"]]
        ch = ch.sort_values([f"{lab}: change", "code"], kind="stable")
        gains = ch[ch[f"{lab}: change"] > unit].iloc[::-1].head(top)
        losses = ch[ch[f"{lab}: change"] < -unit].head(top)
        for title, part in (("largest gains", gains), ("largest losses", losses)):
            if part.empty:
                continue
            lines.append(f"  {title}:")
            for _, row in part.iterrows():
                pct = row[f"{lab}: change_pct"]
                pct_s = f"{pct:+8.2%}" if np.isfinite(pct) else "     new"
                lines.append(
                    f"    {row['code']:>5} {str(row['name']):<30} {pct_s} "
                    f"{billions(row[f'{lab}: change'], 1, sign=True):>12} bn"
                )
    lines.append("")
    if c.params.empty:
        lines.append("Settings: identical")
    else:
        lines.append("Settings that differ:")
        for _, row in c.params.iterrows():
            vals = " → ".join(setting(row[lab]) for lab in labs)
            lines.append(f"  {row['setting']}: {vals}")
            sources = {row[f"source: {lab}"] for lab in labs if row[f"source: {lab}"]}
            for s in sorted(sources):
                lines.append(f"      source: {s}")
    if not c.constraints.empty:
        lines.append("")
        lines.append("Rules (binding, and the money each moves):")
        for lab in labs:
            led = c.constraints[c.constraints["scenario"] == lab]
            parts = []
            for _, r in led.iterrows():
                if r["kind"] == "envelope":
                    continue
                state = "binding" if r["binding"] else "not binding"
                cost = r["cost"]
                money = (
                    f", moves {billions(cost, 1)} bn"
                    if isinstance(cost, float) and np.isfinite(cost) and cost > 0
                    else ""
                )
                parts.append(f"{r['name']} ({r['kind']}): {state}{money}")
            lines.append(
                f"  {lab}: " + ("; ".join(parts) if parts else "no rules besides the envelope")
            )
    g = c.groups[(c.groups["year"] == year) & (c.groups["scenario"] != c.reference)]
    if not g.empty:
        lines.append("")
        lines.append(f"By group ({year}), change against {c.reference}:")
        for (grouping, group), t in g.groupby(["grouping", "group"], sort=True):
            vals = "; ".join(
                f"{r['scenario']} {billions(r['change'], 1, sign=True)} bn "
                f"({percent(r['change_pct'], 2, sign=True)})"
                if np.isfinite(r["change_pct"])
                else f"{r['scenario']} {billions(r['change'], 1, sign=True)} bn"
                for _, r in t.iterrows()
            )
            lines.append(f"  {grouping} = {group}: {vals}")
    for note in c.notes:
        lines.append(f"NOTE: {note}")
    return "\n".join(lines)
