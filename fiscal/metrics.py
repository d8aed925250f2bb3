"""Equity and protection metrics of an allocation, and the winners-and-losers bands.

Inequality is measured on resources per person y = (capacity + transfer) / population, weighted
by population, so that a province of 14 million counts 14 million times (units without
population are left out):

* Gini  G = Σ_i Σ_j p_i p_j |y_i − y_j| / (2 P² ȳ)
* Theil T = Σ_i (p_i / P) (y_i / ȳ) ln(y_i / ȳ)          (with 0 · ln 0 = 0)
* coefficient of variation = population-weighted standard deviation / ȳ
* max/min ratio of y (unweighted: the best-off over the worst-off unit)

with p the population, P = Σ p and ȳ = Σ p_i y_i / P. Need coverage: the share of need met
Σ min(R, N) / Σ N and the number of units whose resources R fall short of need N by more than
half a million VND. Protections: the units held at a lower rule (floor, per-capita minimum, or a
transition limit that holds them above their formula amount) or at an upper rule (cap, or a
transition limit that holds them below it); the **protection cost** is the money the lower rules
give their units above the formula amount, Σ max(X − F, 0), and the **cap clawback** the money
the caps take from theirs, Σ max(F − X, 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fiscal.flags import Flag, Flags
from fiscal.indices import (
    NEED_TOLERANCE,
    below_need,
    cv,
    gini,
    max_min_ratio,
    share_of_need_met,
    theil,
)
from fiscal.metrics_budget import LINE_PREFIX, RULE_PREFIX, budget_indicators

if TYPE_CHECKING:
    import pandas as pd

    from fiscal.results import Result

__all__ = [
    "BANDS",
    "EXTRA_ENVELOPE",
    "METRICS",
    "NEED_TOLERANCE",
    "SHARING_METRICS",
    "SPEC",
    "TOTAL_METRICS",
    "Metric",
    "band",
    "base_of",
    "below_need",
    "cv",
    "gini",
    "indicators",
    "max_min_ratio",
    "protection_masks",
    "share_of_need_met",
    "sharing_indicators",
    "spec",
    "summary",
    "theil",
]

# winners and losers: change of a unit's allocation against a reference allocation
BANDS = ("gain > 5 %", "gain ≤ 5 %", "no change", "loss ≤ 5 %", "loss > 5 %")


@dataclass(frozen=True)
class Metric:
    """One metric: its key, its unit, its name in each language, what it measures, and how
    many digits to show (decimals of bn VND for money, of percent for shares, significant
    digits for an index or ratio). The compare table, the workbook, the command line and the
    app all read :data:`METRICS`; :func:`fiscal.prose.metric_text` writes a value.

    ``base`` says what the metric is measured on: ``balancing`` (revenue kept as the gap
    counts it + the balancing transfer: what the scenario's own allocation moves), ``total``
    (total resources: all revenue kept + every transfer line, :data:`TOTAL_METRICS`), ``line``
    (one line's total) or ``rule`` (a whole-budget rule, on the base the rule states)."""

    key: str
    unit: str  # "money" (million VND, shown in bn), "share", "count", "per_person", "index"
    en: str
    vi: str
    description: str
    digits: int
    base: str = "balancing"


#: every metric of :func:`summary`, in its order
METRICS: tuple[Metric, ...] = (
    Metric(
        "total_allocation",
        "money",
        "Allocated",
        "Đã phân bổ",
        "Σ allocation (transfer + merger support), million VND",
        1,
    ),
    Metric(
        "gini",
        "index",
        "Gini, resources per person",
        "Gini, nguồn lực bình quân",
        "population-weighted Gini of resources per person (0 = equal)",
        5,
    ),
    Metric(
        "theil",
        "index",
        "Theil, resources per person",
        "Theil, nguồn lực bình quân",
        "population-weighted Theil T of resources per person (0 = equal)",
        5,
    ),
    Metric(
        "cv",
        "index",
        "Coefficient of variation",
        "Hệ số biến thiên",
        "population-weighted coefficient of variation of resources per person",
        5,
    ),
    Metric(
        "max_min_ratio",
        "index",
        "Highest / lowest per person",
        "Cao nhất / thấp nhất bình quân",
        "highest over lowest resources per person",
        5,
    ),
    Metric(
        "min_per_capita",
        "per_person",
        "Lowest resources per person (million VND)",
        "Nguồn lực bình quân thấp nhất (triệu đồng)",
        "lowest resources per person, million VND",
        3,
    ),
    Metric(
        "share_of_need_met",
        "share",
        "Share of need met",
        "Tỷ lệ nhu cầu được đáp ứng",
        "Σ min(resources, need) / Σ need",
        2,
    ),
    Metric(
        "units_below_need",
        "count",
        "Units below need",
        "Đơn vị dưới nhu cầu",
        "units whose resources fall short of need",
        0,
    ),
    Metric(
        "units_at_floor",
        "count",
        "Units held up",
        "Đơn vị được giữ mức",
        "units held up by a floor, per-capita minimum or transition limit",
        0,
    ),
    Metric(
        "units_at_cap",
        "count",
        "Units capped",
        "Đơn vị chạm trần",
        "units held down by a cap or transition limit",
        0,
    ),
    Metric(
        "protection_cost",
        "money",
        "Cost of protections",
        "Chi phí bảo đảm",
        "money the lower rules give above the formula amount, million VND",
        1,
    ),
    Metric(
        "cap_clawback",
        "money",
        "Taken by caps",
        "Phần bị trần cắt",
        "money the caps take below the formula amount, million VND",
        1,
    ),
    Metric(
        "mean_abs_change_pct",
        "share",
        "Mean change (absolute)",
        "Thay đổi bình quân (tuyệt đối)",
        "mean |change| against the baseline (units with a baseline)",
        2,
    ),
    Metric(
        "objective",
        "index",
        "Objective value",
        "Giá trị hàm mục tiêu",
        "value of the scenario's objective",
        5,
    ),
)

#: a sweep's own column: what the rules would need when they cannot all hold
EXTRA_ENVELOPE = Metric(
    "extra_envelope",
    "money",
    "Extra envelope needed",
    "Tổng mức cần thêm",
    "the smallest envelope increase that lets the rules hold, million VND",
    1,
)

#: the metrics of a result with ``[sharing]`` (the A/B/C mechanism), after the others
SHARING_METRICS: tuple[Metric, ...] = (
    Metric(
        "units_receiving",
        "count",
        "Units receiving a balancing transfer",
        "Đơn vị nhận bổ sung cân đối",
        "units that receive a balancing transfer",
        0,
    ),
    Metric(
        "centre_shared_revenue",
        "money",
        "Shared revenue remitted to the centre",
        "Thu phân chia điều tiết về trung ương",
        "Σ shared revenue remitted to the centre, million VND",
        1,
    ),
    Metric(
        "rates_changed",
        "count",
        "Rates changed from the formula's",
        "Tỷ lệ khác tỷ lệ theo công thức",
        "units whose rate differs from the formula's",
        0,
    ),
    Metric(
        "units_held_harmless",
        "count",
        "Units held harmless against their predecessors",
        "Đơn vị không thấp hơn các tỉnh cũ",
        "units whose resources are at least their predecessors' summed resources under their "
        "own rates",
        0,
    ),
)

#: the metrics of a result with transfer lines (issue 14), after the others: equity and need on
#: total resources (:mod:`fiscal.metrics_budget`); then one ``line_<name>`` per line and one
#: ``breaches_<rule>`` per whole-budget rule (:func:`spec`)
TOTAL_METRICS: tuple[Metric, ...] = (
    Metric(
        "resources_total",
        "money",
        "Total resources",
        "Tổng nguồn lực",
        "Σ total resources: all revenue kept (incl. land fees and lottery) + every transfer "
        "line, million VND",
        1,
        "total",
    ),
    Metric(
        "transfers_total",
        "money",
        "All transfer lines",
        "Tổng các khoản bổ sung",
        "Σ every transfer line (balancing and the others), million VND",
        1,
        "total",
    ),
    Metric(
        "gini_total",
        "index",
        "Gini, total resources per person",
        "Gini, tổng nguồn lực bình quân",
        "population-weighted Gini of total resources per person (0 = equal)",
        5,
        "total",
    ),
    Metric(
        "theil_total",
        "index",
        "Theil, total resources per person",
        "Theil, tổng nguồn lực bình quân",
        "population-weighted Theil T of total resources per person (0 = equal)",
        5,
        "total",
    ),
    Metric(
        "cv_total",
        "index",
        "Coefficient of variation, total resources",
        "Hệ số biến thiên, tổng nguồn lực",
        "population-weighted coefficient of variation of total resources per person",
        5,
        "total",
    ),
    Metric(
        "max_min_ratio_total",
        "index",
        "Highest / lowest total resources per person",
        "Cao nhất / thấp nhất tổng nguồn lực bình quân",
        "highest over lowest total resources per person",
        5,
        "total",
    ),
    Metric(
        "min_per_capita_total",
        "per_person",
        "Lowest total resources per person (million VND)",
        "Tổng nguồn lực bình quân thấp nhất (triệu đồng)",
        "lowest total resources per person, million VND",
        3,
        "total",
    ),
    Metric(
        "share_of_need_met_total",
        "share",
        "Share of need met by total resources",
        "Tỷ lệ nhu cầu được đáp ứng bằng tổng nguồn lực",
        "Σ min(total resources, need) / Σ need",
        2,
        "total",
    ),
    Metric(
        "units_below_need_total",
        "count",
        "Units below need on total resources",
        "Đơn vị có tổng nguồn lực dưới nhu cầu",
        "units whose total resources fall short of need",
        0,
        "total",
    ),
    Metric(
        "units_breaching_rules",
        "count",
        "Units breaching a whole-budget rule",
        "Đơn vị không đạt quy tắc ngân sách",
        "units that breach at least one whole-budget rule (each on the base it states)",
        0,
        "total",
    ),
)

#: every metric by key (those of :func:`summary` and the sweeps' ``extra_envelope``)
SPEC: dict[str, Metric] = {
    m.key: m for m in (*METRICS, *SHARING_METRICS, *TOTAL_METRICS, EXTRA_ENVELOPE)
}


def spec(key: str, names: dict[str, tuple[str, str]] | None = None) -> Metric | None:
    """The spec of a metric: one of :data:`SPEC`, or a line's total (``line_<name>``) or the
    units breaching a whole-budget rule (``breaches_<name>``), named by ``names`` (key →
    (English, Vietnamese); :func:`fiscal.metrics_budget.metric_names`) or by their key."""
    if key in SPEC:
        return SPEC[key]
    en, vi = (names or {}).get(key, ("", ""))
    if key.startswith(LINE_PREFIX):
        name = key[len(LINE_PREFIX) :]
        return Metric(
            key,
            "money",
            en or f"Line total: {name}",
            vi or f"Tổng khoản: {name}",
            f"Σ the transfer line '{name}', million VND",
            1,
            "line",
        )
    if key.startswith(RULE_PREFIX):
        name = key[len(RULE_PREFIX) :]
        return Metric(
            key,
            "count",
            en or f"Units breaching: {name}",
            vi or f"Đơn vị không đạt: {name}",
            f"units that breach the whole-budget rule '{name}' (on the base it states)",
            0,
            "rule",
        )
    return None


def base_of(key: str) -> str:
    """What a metric is measured on (:attr:`Metric.base`); a price (``gini_per_pt``) as its
    metric."""
    m = spec(key.removesuffix("_per_pt").removesuffix("_per_unit"))
    return m.base if m is not None else "balancing"


def band(
    change: np.ndarray, reference: np.ndarray, threshold: float = 0.05, tolerance: float = 0.5
) -> np.ndarray:
    """The winners-and-losers band (one of :data:`BANDS`) of each change against a reference.

    A change within ``tolerance`` million VND is 'no change'; the percentage is the change over
    the reference amount, and a gain from a zero reference counts as a gain above the threshold.
    """
    change = np.asarray(change, float)
    reference = np.asarray(reference, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(
            reference > 0,
            change / np.where(reference > 0, reference, 1.0),
            np.sign(change) * np.inf,
        )
    out = np.full(change.shape, BANDS[2], dtype=object)
    out[(change > tolerance) & (pct > threshold)] = BANDS[0]
    out[(change > tolerance) & (pct <= threshold)] = BANDS[1]
    out[(change < -tolerance) & (pct >= -threshold)] = BANDS[3]
    out[(change < -tolerance) & (pct < -threshold)] = BANDS[4]
    return out


def protection_masks(
    flags: Flags, transfer: np.ndarray, formula: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Units held up by a lower rule and units held down by an upper rule, from the flags'
    codes (shapes as ``flags.shape``).

    A unit on a band around last year's amount (a transition limit) counts as lower when the
    band holds it above its formula amount and as upper when it holds it below.
    """
    transfer = np.asarray(transfer, float).reshape(flags.shape)
    formula = np.asarray(formula, float).reshape(flags.shape)
    band = flags.mask(Flag.BAND)
    lower = flags.mask(Flag.LOWER) | (band & (transfer > formula))
    upper = flags.mask(Flag.UPPER) | (band & (transfer < formula))
    return lower, upper


def indicators(
    *,
    population: np.ndarray,
    resources: np.ndarray,
    need: np.ndarray,
    transfer: np.ndarray,
    formula: np.ndarray,
    flags: Flags,
    allocation: np.ndarray,
    change_pct: np.ndarray,
    objective: float | None = None,
) -> dict[str, float]:
    """Every metric of one year from plain arrays (one entry per unit) and that year's flags
    (shape (1, n)); see the module doc."""
    pop = np.asarray(population, float)
    res = np.asarray(resources, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(pop > 0, res / np.where(pop > 0, pop, 1.0), np.nan)
    y_pop = y[pop > 0]
    lower, upper = (m.ravel() for m in protection_masks(flags, transfer, formula))
    extra = np.maximum(np.asarray(transfer, float) - np.asarray(formula, float), 0.0)
    clawed = np.maximum(np.asarray(formula, float) - np.asarray(transfer, float), 0.0)
    change = np.asarray(change_pct, float)
    change = change[np.isfinite(change)]
    return {
        "total_allocation": float(np.sum(allocation)),
        "gini": gini(y_pop, pop[pop > 0]),
        "theil": theil(y_pop, pop[pop > 0]),
        "cv": cv(y_pop, pop[pop > 0]),
        "max_min_ratio": max_min_ratio(y_pop),
        "min_per_capita": float(y_pop.min()) if y_pop.size else float("nan"),
        "share_of_need_met": share_of_need_met(res, need),
        "units_below_need": int(below_need(res, need).sum()),
        "units_at_floor": int(lower.sum()),
        "units_at_cap": int(upper.sum()),
        "protection_cost": float(extra[lower].sum()),
        "cap_clawback": float(clawed[upper].sum()),
        "mean_abs_change_pct": float(np.abs(change).mean()) if change.size else float("nan"),
        "objective": float(objective) if objective is not None else float("nan"),
    }


def summary(result: Result, year: int | None = None) -> dict[str, float]:
    """All metrics of one year of a result (the first year by default); with transfer lines,
    those on total resources too (:func:`fiscal.metrics_budget.budget_indicators`)."""
    table = result.table
    year = result.years[0] if year is None else year
    t = table[table["year"].to_numpy() == year] if len(result.years) > 1 else table
    col = lambda c: t[c].to_numpy()  # noqa: E731
    k = result.years.index(year)
    return (
        indicators(
            population=col("population"),
            resources=col("resources"),
            need=col("need"),
            transfer=col("transfer"),
            formula=col("formula"),
            flags=result.flags.year(k),
            allocation=col("allocation"),
            change_pct=col("change_pct"),
            objective=result.objective,
        )
        | (sharing_indicators(t) if "sharing_rate" in t.columns else {})
        | _budget(result, year)
    )


def _budget(result: Result, year: int) -> dict[str, float]:
    return budget_indicators(result, year) if result.budget is not None else {}


def sharing_indicators(t: pd.DataFrame) -> dict[str, float]:
    """The A/B/C metrics of one year's rows (:data:`SHARING_METRICS`)."""
    out = {
        "units_receiving": int((t["transfer"].to_numpy(dtype=float) > 0).sum()),
        "centre_shared_revenue": float(t["remitted"].sum()),
        "rates_changed": int((t["sharing_rate"] != t["formula_rate"]).sum()),
    }
    if "predecessor_resources" in t.columns:
        ref = t["predecessor_resources"].to_numpy(dtype=float)
        known = np.isfinite(ref)
        held = t["resources"].to_numpy(dtype=float)[known] >= ref[known] - 0.5
        out["units_held_harmless"] = int(held.sum())
    return out
