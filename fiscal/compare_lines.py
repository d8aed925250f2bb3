"""Comparing scenarios line by line (issue 14): each transfer line's total per scenario and its
change against the reference, and each unit's amount of each line per scenario.

A scenario without ``[lines.<name>]`` has one line, its balancing transfer (the table's
``transfer``), and its revenue kept; a line a scenario does not have counts as 0 there. Used by
:func:`fiscal.compare.compare` when any of the results has transfer lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fiscal.prose.budget import line_name

if TYPE_CHECKING:
    from fiscal.results import Result

__all__ = ["has_lines", "line_amounts", "line_totals", "unit_lines"]


def has_lines(results: list[Result]) -> bool:
    return any(r.budget is not None for r in results)


def line_amounts(result: Result) -> dict[str, tuple[str, str, np.ndarray]]:
    """Line name → (label, label_vi, amounts (T, n)); revenue kept as ``revenue_kept``."""
    T, n = result.problem.T, result.problem.n
    if result.budget is None:
        transfer = result.table["transfer"].to_numpy(dtype=float).reshape(T, n)
        from fiscal.lines import capital_revenue

        capacity = np.broadcast_to(np.asarray(result.problem.capacity, dtype=float), (T, n))
        kept = capacity + capital_revenue(result)
        return {
            "revenue_kept": ("revenue kept", "thu NSĐP được hưởng theo phân cấp", kept),
            "balancing": (line_name("balancing"), line_name("balancing", lang="vi"), transfer),
        }
    b = result.budget
    out = {"revenue_kept": ("revenue kept", "thu NSĐP được hưởng theo phân cấp", b.kept)}
    for la in b.lines:
        vi = la.settings.label_vi if la.settings is not None else ""
        out[la.name] = (
            line_name(la.name, la.label),
            line_name(la.name, la.label, vi, "vi"),
            la.amount,
        )
    return out


def _order(per: list[dict[str, tuple[str, str, np.ndarray]]]) -> list[str]:
    names: list[str] = []
    for d in per:
        names += [k for k in d if k not in names]
    return names


def line_totals(results: list[Result], labels: list[str]) -> pd.DataFrame:
    """One row per line and year: the line's total in each scenario and each one's change
    against the reference (million VND); the last rows are all lines and resources."""
    per = [line_amounts(r) for r in results]
    names = _order(per)
    rows = []
    for t, year in enumerate(results[0].years):
        totals: dict[str, list[float]] = {}
        for name in [*names, "transfers_total", "resources_total"]:
            vals = []
            for d in per:
                if name == "transfers_total":
                    v = sum(a[t].sum() for k, (_, _, a) in d.items() if k != "revenue_kept")
                elif name == "resources_total":
                    v = sum(a[t].sum() for _, _, a in d.values())
                else:
                    v = d[name][2][t].sum() if name in d else 0.0
                vals.append(float(v))
            totals[name] = vals
        for name, vals in totals.items():
            label, label_vi = next(
                ((d[name][0], d[name][1]) for d in per if name in d),
                {
                    "transfers_total": ("all transfer lines", "tổng các khoản bổ sung"),
                    "resources_total": ("total resources", "tổng nguồn lực"),
                }.get(name, (name, name)),
            )
            row = {"year": year, "line": name, "label": label, "label_vi": label_vi}
            for lab, v in zip(labels, vals, strict=True):
                row[lab] = v
            for lab, v in zip(labels[1:], vals[1:], strict=True):
                row[f"Δ {lab}"] = v - vals[0]
            rows.append(row)
    return pd.DataFrame(rows)


def unit_lines(results: list[Result], labels: list[str]) -> pd.DataFrame:
    """One row per unit, line and year: the line's amount in each scenario and each one's
    change against the reference (million VND)."""
    per = [line_amounts(r) for r in results]
    names = _order(per)
    ref = results[0]
    codes = ref.problem.codes.astype(str)
    unit_names = ref.problem.frame["name"].astype(str).to_numpy()
    frames = []
    for t, year in enumerate(ref.years):
        for name in names:
            frame = pd.DataFrame({"year": year, "code": codes, "name": unit_names, "line": name})
            vals = [d[name][2][t] if name in d else np.zeros(len(codes)) for d in per]
            for lab, v in zip(labels, vals, strict=True):
                frame[lab] = v
            for lab, v in zip(labels[1:], vals[1:], strict=True):
                frame[f"Δ {lab}"] = v - vals[0]
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)
