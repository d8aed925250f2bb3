"""Recurrent and capital: A split in two, land-use fees and lottery to capital, and a five-year
capital line shared by points (issue 14 point 3).

**The split.** A (``spending_need``) is the balanced spending need that sets the rate and the
balancing transfer; it excludes spending from land-use fees and lottery, which a locality keeps
outside the gap and spends on capital (Circular 26/2026/TT-BTC Art. 9.1a; Cà Mau's Plan
0204/KH-UBND spends its land-use fees and lottery on capital, Mẫu biểu 04). So, per unit::

    capital in balance  K_b = round_half_up(s × A)        s = the capital share of A
    recurrent need      R   = A − K_b                      (incl. the reserve)
    capital need        K   = K_b + land-use fees kept + lottery
    total need              = R + K = A + land-use fees kept + lottery

With ``s = "ca_mau_2026"`` the share is Cà Mau's own 2026 one, read from its plan as (capital
spending − capital from land-use fees − capital from lottery) / A, an exact fraction: Cà Mau's
capital need is then its plan's 6,508,100 million VND to the million (a test). Every other unit's
split is illustrative (flagged).

**The points method.** As the public-investment norms do (NQ 70/2025/UBTVQH15: criteria ×
points), each criterion gives each eligible unit points (:class:`Criterion`); a unit's share of
the envelope is its points over the sum; each year's envelope is split by largest remainder so
that it reconciles to the rounding unit (:func:`points_allocation`). This is a line's
allocation rule, "points", usable by any transfer line.

**The five-year view** (:func:`five_year`): 2026 from the bundled (or given) unit table, later
years grown at the plan's illustrative rates, the line's total phased by year. The plan file
(``fiscal/datasets/capital_2026_2030.toml``) holds every number with its source or its
``estimated`` flag and reason.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fiscal.errors import ModelError, detail
from fiscal.prose.messages import Message
from fiscal.rounding import largest_remainder
from fiscal.sources import source_fact

__all__ = [
    "DEFAULT_PLAN",
    "Criterion",
    "Plan",
    "CapitalView",
    "ca_mau_capital_2026",
    "capital_share",
    "criterion_points",
    "five_year",
    "load_plan",
    "parse_criterion",
    "points_allocation",
    "source_fact",
    "split_need",
]

DEFAULT_PLAN = Path(__file__).resolve().parent / "datasets" / "capital_2026_2030.toml"
#: indicators computed from the unit table rather than read from a column
DERIVED = ("transfer_dependence",)


@dataclass(frozen=True)
class Criterion:
    """One criterion of a points table.

    Steps: ``base`` points for a positive indicator, plus ``per_step`` for every whole ``step``
    above ``threshold``. Bands: ``bands = ((lower, points), ...)``, the points of the highest
    band whose lower bound the indicator reaches (0 below the first).

    >>> Criterion("p", "population", base=20, threshold=1e6, step=1e5, per_step=0.5).points(
    ...     np.array([0, 8e5, 1.25e6])).tolist()
    [0.0, 20.0, 21.0]
    """

    name: str
    indicator: str
    base: float = 0.0
    threshold: float = 0.0
    step: float | None = None
    per_step: float = 0.0
    bands: tuple[tuple[float, float], ...] = ()

    def points(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self.bands:
            out = np.zeros(x.shape)
            for lower, pts in sorted(self.bands):
                out = np.where(x >= lower, pts, out)
            return out
        out = np.where(x > 0, float(self.base), 0.0)
        if self.step:
            steps = np.floor(np.maximum(x - self.threshold, 0.0) / self.step + 1e-9)
            out = out + self.per_step * steps
        return out


def parse_criterion(raw: dict[str, Any], where: str) -> Criterion:
    """A :class:`Criterion` from its TOML table, checked (``where`` names it in messages)."""
    allowed = {"name", "indicator", "base", "threshold", "step", "per_step", "bands"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ModelError(
            Message("capital.criterion_keys", where=where, unknown=unknown, allowed=sorted(allowed))
        )
    for key in ("name", "indicator"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ModelError(Message("capital.criterion_string", where=where, key=key))
    bands = tuple((float(lo), float(p)) for lo, p in raw.get("bands", []))
    step = raw.get("step")
    if step is not None and not float(step) > 0:
        raise ModelError(Message("capital.criterion_step", where=where, step=step))
    if bands and step is not None:
        raise ModelError(Message("capital.criterion_both", where=where))
    values = [raw.get(k, 0.0) for k in ("base", "threshold", "per_step")] + [p for _, p in bands]
    if any(not math.isfinite(float(v)) or float(v) < 0 for v in values):
        raise ModelError(Message("capital.criterion_negative", where=where))
    return Criterion(
        raw["name"],
        raw["indicator"],
        float(raw.get("base", 0.0)),
        float(raw.get("threshold", 0.0)),
        None if step is None else float(step),
        float(raw.get("per_step", 0.0)),
        bands,
    )


@dataclass(frozen=True)
class Plan:
    """A five-year capital plan (:func:`load_plan`); money in million VND."""

    name: str
    years: tuple[int, ...]
    share: str | float  # "ca_mau_2026" or a fraction
    growth: dict[str, float]
    line_name: str
    line_name_vi: str
    total: float
    total_source: str
    total_source_vi: str
    eligible: str  # "receiving" or "all"
    phasing: tuple[float, ...]
    unit: float
    criteria: tuple[Criterion, ...]
    estimated: dict[str, str] = field(default_factory=dict)  # part → reason
    path: str = ""


def load_plan(path: str | Path | None = None) -> Plan:
    """Read a plan file (default: the shipped ``capital_2026_2030.toml``), checking it."""
    p = Path(path) if path is not None else DEFAULT_PLAN
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(Message("capital.no_plan", path=str(p))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(Message("capital.plan_toml", file=p.name, detail=str(exc))) from None
    where = p.name
    for key in ("plan", "split", "growth", "line"):
        if key not in raw:
            raise ModelError(Message("capital.plan_table", where=where, key=key))
    years = tuple(int(y) for y in raw["plan"].get("years", []))
    if not years or list(years) != list(range(years[0], years[0] + len(years))):
        raise ModelError(Message("capital.plan_years", where=where, years=list(years)))
    share = raw["split"].get("capital_share", "ca_mau_2026")
    if not isinstance(share, str):
        share = float(share)
        if not 0 <= share <= 1:
            raise ModelError(Message("capital.share_range", where=where, share=share))
    elif share != "ca_mau_2026":
        raise ModelError(Message("capital.share_name", where=where))
    growth = {k: float(raw["growth"].get(k, 0.0)) for k in ("recurrent", "capital", "land_lottery")}
    if any(not -0.5 < g < 1 for g in growth.values()):
        raise ModelError(Message("capital.growth", where=where))
    line = raw["line"]
    total = float(line.get("total", -1))
    if not total >= 0:
        raise ModelError(Message("capital.total", where=where))
    phasing = tuple(float(v) for v in line.get("phasing", [1 / len(years)] * len(years)))
    if len(phasing) != len(years) or any(v < 0 for v in phasing) or abs(sum(phasing) - 1) > 1e-9:
        raise ModelError(
            Message("capital.phasing", where=where, n=len(years), phasing=list(phasing))
        )
    eligible = str(line.get("eligible", "all"))
    if eligible not in ("all", "receiving"):
        raise ModelError(Message("capital.eligible", where=where, eligible=eligible))
    criteria = tuple(
        parse_criterion(c, f"{where}: line.criteria[{k}]")
        for k, c in enumerate(line.get("criteria", []))
    )
    if not criteria:
        raise ModelError(Message("capital.no_criteria", where=where))
    estimated = {
        part: str(raw[t].get("reason", "illustrative"))
        for part, t in (("split", "split"), ("growth", "growth"), ("points", "line"))
        if raw[t].get("estimated", False)
    }
    return Plan(
        str(raw["plan"].get("name", p.stem)),
        years,
        share,
        growth,
        str(line.get("name", "capital line")),
        str(line.get("name_vi", line.get("name", "dòng vốn đầu tư"))),
        total,
        str(line.get("total_source", "")),
        str(line.get("total_source_vi", line.get("total_source", ""))),
        eligible,
        phasing,
        float(line.get("unit", 1)),
        criteria,
        estimated,
        str(p),
    )


def ca_mau_capital_2026() -> dict[str, int]:
    """Cà Mau's REAL 2026 capital spending and its parts (Plan 0204/KH-UBND, Mẫu biểu 04), read
    from ``sources/ca_mau_3yr_plan_2025_2028.csv``; million VND."""
    f = "ca_mau_3yr_plan_2025_2028.csv"
    plan = {"column": "2026 plan"}
    return {
        "capital": source_fact(f, "capital_expenditure", **plan),
        "from_land": source_fact(f, "capital_expenditure_from_land_use_fees", **plan),
        "from_lottery": source_fact(f, "capital_expenditure_from_lottery", **plan),
        "recurrent": source_fact(f, "recurrent_expenditure", **plan),
    }


def capital_share(plan: Plan, frame: pd.DataFrame) -> Fraction:
    """The capital share of A as an exact fraction (Cà Mau's from its plan and A, or the plan's)."""
    if isinstance(plan.share, float):
        return Fraction(plan.share).limit_denominator(10**9)
    cm = ca_mau_capital_2026()
    row = frame[frame["code"].astype(str) == "96"]
    if row.empty:
        raise ModelError(Message("capital.ca_mau"))
    a = int(round(float(row["spending_need"].iloc[0])))
    balanced = cm["capital"] - cm["from_land"] - cm["from_lottery"]
    return Fraction(balanced, a)


def _whole(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    return np.floor(
        pd.to_numeric(frame[col], errors="coerce").fillna(0).to_numpy(float) + 0.5
    ).astype(np.int64)


def split_need(frame: pd.DataFrame, share: Fraction) -> pd.DataFrame:
    """Recurrent and capital need of each unit (whole million VND) from A, land fees and lottery."""
    if "spending_need" not in frame.columns:
        raise ModelError(Message("capital.spending_need"))
    A = _whole(frame, "spending_need")
    land, lottery = _whole(frame, "revenue_land"), _whole(frame, "revenue_lottery")
    num, den = share.numerator, share.denominator
    kb = (2 * num * A + den) // (2 * den)  # round half up, exact in integers
    return pd.DataFrame(
        {
            "code": frame["code"].astype(str).to_numpy(),
            "name": frame["name"].astype(str).to_numpy(),
            "spending_need": A,
            "recurrent_need": A - kb,
            "capital_balanced": kb,
            "land_fees": land,
            "lottery": lottery,
            "capital_need": kb + land + lottery,
        }
    )


def _transfer(frame: pd.DataFrame) -> np.ndarray:
    """The mechanism's 2026 balancing transfer A − (B + C) of units at 100 % (0 otherwise)."""
    A = _whole(frame, "spending_need")
    B, C = _whole(frame, "revenue_local"), _whole(frame, "revenue_shared")
    rate = (
        _whole(frame, "sharing_rate") if "sharing_rate" in frame.columns else np.full(len(A), 100)
    )
    return np.where(rate >= 100, np.maximum(A - B - C, 0), 0)


def _indicator(
    frame: pd.DataFrame, name: str, derived: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    if derived and name in derived:
        return np.asarray(derived[name], dtype=float)
    if name == "transfer_dependence":
        A = _whole(frame, "spending_need").astype(float)
        return np.divide(_transfer(frame), A, out=np.zeros(len(A)), where=A > 0)
    if name not in frame.columns:
        raise ModelError(Message("capital.indicator_column", name=name, derived=", ".join(DERIVED)))
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(float)
    if not np.all(np.isfinite(values)):
        raise ModelError(Message("capital.indicator_values", name=name))
    return values


def criterion_points(
    frame: pd.DataFrame,
    criteria: tuple[Criterion, ...] | list[Criterion],
    eligible: np.ndarray | None = None,
    derived: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Points per unit (rows) and criterion (columns), 0 for units not eligible; plus 'points'.

    ``derived`` gives indicators computed elsewhere (e.g. ``transfer_dependence`` from a
    result's balancing transfers); otherwise they are read from ``frame``."""
    mask = np.ones(len(frame), bool) if eligible is None else np.asarray(eligible, bool)
    out = pd.DataFrame({"code": frame["code"].astype(str).to_numpy()})
    total = np.zeros(len(frame))
    for c in criteria:
        pts = np.where(mask, c.points(_indicator(frame, c.indicator, derived)), 0.0)
        out[c.name] = pts
        total += pts
    out["points"] = total
    return out


def points_allocation(points: np.ndarray, total: float, unit: float = 1.0) -> np.ndarray:
    """Each unit's amount of ``total``: total × points / Σ points, rounded to ``unit`` by largest
    remainder so that the amounts sum exactly to ``total``.

    >>> points_allocation(np.array([1.0, 1.0, 1.0]), 100).tolist()
    [34.0, 33.0, 33.0]
    """
    points = np.asarray(points, dtype=float)
    if np.any(points < 0) or not np.all(np.isfinite(points)):
        raise ModelError(Message("capital.points_invalid"))
    s = points.sum()
    if s <= 0:
        if total == 0:
            return np.zeros(len(points))
        raise ModelError(Message("capital.no_points"))
    return largest_remainder(total * points / s, total, unit)


@dataclass
class CapitalView:
    """What :func:`five_year` returns: the split (2026), the points and the five-year table."""

    plan: Plan
    share: Fraction
    split: pd.DataFrame  # 2026: one row per unit
    points: pd.DataFrame  # one row per unit: points by criterion, share, five-year amount
    years: pd.DataFrame  # one row per unit and year
    envelope: dict[int, float]
    illustrative: bool = True

    def line_by_year(self) -> pd.DataFrame:
        """One row per unit, one column per year of the capital line, and the total."""
        wide = self.years.pivot(index="code", columns="year", values="capital_line")
        wide.columns = [str(c) for c in wide.columns]
        wide["total"] = wide.sum(axis=1)
        names = self.split.set_index("code")["name"]
        wide.insert(0, "name", names.reindex(wide.index))
        return wide.reset_index()


def _grow(values: np.ndarray, rate: float, k: int) -> np.ndarray:
    return np.floor(values * (1.0 + rate) ** k + 0.5).astype(np.int64)


def five_year(plan: Plan | None = None, frame: pd.DataFrame | None = None) -> CapitalView:
    """The five-year capital view of ``plan`` over a province unit table (default: bundled)."""
    plan = plan or load_plan()
    if frame is None:
        from fiscal.data import bundled_units

        frame = bundled_units().frame
    share = capital_share(plan, frame)
    split = split_need(frame, share)
    transfer = _transfer(frame)
    receiving = transfer > 0
    eligible = receiving if plan.eligible == "receiving" else np.ones(len(frame), bool)
    try:
        pts = criterion_points(frame, plan.criteria, eligible)
    except ModelError as exc:  # say which plan's criteria: "plan.toml: line.criteria: ..."
        source = f"{Path(plan.path).name or plan.name}: line.criteria"
        raise ModelError(Message("model.wrapped", source=source, detail=detail(exc))) from None
    envelope_years = largest_remainder(plan.total * np.asarray(plan.phasing), plan.total, plan.unit)
    envelope = {y: float(v) for y, v in zip(plan.years, envelope_years, strict=True)}
    rows = []
    lines = np.zeros((len(plan.years), len(frame)))
    for k, year in enumerate(plan.years):
        lines[k] = points_allocation(pts["points"].to_numpy(), envelope[year], plan.unit)
        rec = _grow(split["recurrent_need"].to_numpy(), plan.growth["recurrent"], k)
        kb = _grow(split["capital_balanced"].to_numpy(), plan.growth["capital"], k)
        land = _grow(split["land_fees"].to_numpy(), plan.growth["land_lottery"], k)
        lot = _grow(split["lottery"].to_numpy(), plan.growth["land_lottery"], k)
        rows.append(
            pd.DataFrame(
                {
                    "year": year,
                    "code": split["code"],
                    "name": split["name"],
                    "receiving": receiving,
                    "recurrent_need": rec,
                    "capital_balanced": kb,
                    "land_fees": land,
                    "lottery": lot,
                    "capital_need": kb + land + lot,
                    "capital_line": lines[k],
                    "capital_resources": kb + land + lot + lines[k],
                }
            )
        )
    total_points = pts["points"].sum()
    pts.insert(1, "name", split["name"].to_numpy())
    pts["share"] = pts["points"] / total_points if total_points > 0 else 0.0
    pts["five_year"] = lines.sum(axis=0)
    return CapitalView(plan, share, split, pts, pd.concat(rows, ignore_index=True), envelope)
