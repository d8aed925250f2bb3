"""A unit's whole budget: revenue kept and each transfer line (:class:`Budget`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.prose.budget import line_name

if TYPE_CHECKING:
    from fiscal.scenario_lines import Line

__all__ = ["BALANCING", "Budget", "LineAmounts"]

#: the name of the balancing line: the scenario's own allocation ([envelope], [[constraints]])
BALANCING = "balancing"


@dataclass
class LineAmounts:
    """One line's amounts (T, n) million VND, whole rounding units; ``eligible`` and ``known``
    (n,) mark who may receive it and whose real amount it states; ``parts`` are the figures
    behind each amount (:class:`fiscal.lines.base.Shares`)."""

    name: str
    rule: str
    amount: np.ndarray
    eligible: np.ndarray
    known: np.ndarray
    parts: dict[str, np.ndarray]
    envelope: float | None
    estimated: bool
    source: str
    settings: Line | None = None

    @property
    def label(self) -> str:
        """The line's name in English (its ``label``, or the built-in name, or its key)."""
        return line_name(self.name, self.settings.label if self.settings is not None else "")

    @property
    def sector(self) -> str | None:
        return None if self.settings is None else self.settings.sector

    @property
    def total(self) -> np.ndarray:
        """(T,) the line's total each year."""
        return self.amount.sum(axis=1)


@dataclass
class Budget:
    """Revenue kept + every line, per unit and year (million VND). ``checks`` are the
    whole-budget rules' results (:mod:`fiscal.budget_rules`).

    ``kept`` is all the revenue a unit keeps under decentralization (thu NSĐP được hưởng theo
    phân cấp): ``capacity`` (what the A/B/C mechanism counts, B + the kept share of C, or
    own revenue × retention) + ``capital_revenue`` (land-use fees and land rent kept, and
    lottery: outside the gap, earmarked for capital, Law 89/2025 Art. 9.1a).
    """

    codes: np.ndarray
    names: np.ndarray
    years: list[int]
    kept: np.ndarray  # (T, n) all revenue kept = capacity + capital_revenue
    fiscal_class: np.ndarray  # (n,) first year
    population: np.ndarray  # (n,)
    lines: list[LineAmounts]
    capacity: np.ndarray  # (T, n) the revenue kept that the gap is measured with
    checks: list[Any] = field(default_factory=list)

    @property
    def capital_revenue(self) -> np.ndarray:
        """(T, n) land-use fees kept and lottery: kept, outside the A/B/C gap."""
        return self.kept - self.capacity

    def line(self, name: str) -> LineAmounts:
        for la in self.lines:
            if la.name == name:
                return la
        raise KeyError(f"no line '{name}' (lines: {[la.name for la in self.lines]})")

    @property
    def transfers(self) -> np.ndarray:
        """(T, n) all lines together."""
        return sum((la.amount for la in self.lines), np.zeros_like(self.kept))

    @property
    def resources(self) -> np.ndarray:
        """(T, n) revenue kept + all lines: what a unit has to spend."""
        return self.kept + self.transfers

    def base(self, name: str) -> np.ndarray:
        """(T, n) the amount a rule applies to: ``total`` (resources), ``kept`` (all revenue
        kept), ``capacity`` (the revenue kept the gap is measured with), one line's amounts, or
        a sum of these written with ``+`` (``capacity+balancing``)."""
        out = np.zeros_like(self.kept)
        for part in name.split("+"):
            part = part.strip()
            if part == "total":
                out = out + self.resources
            elif part == "kept":
                out = out + self.kept
            elif part == "capacity":
                out = out + self.capacity
            else:
                out = out + self.line(part).amount
        return out

    def frame(self) -> pd.DataFrame:
        """One row per unit and year: revenue kept (all; of which land fees and lottery), each
        line, all transfers, resources."""
        T, n = self.kept.shape
        out = pd.DataFrame(
            {
                "year": np.repeat(self.years, n),
                "code": np.tile(self.codes, T),
                "name": np.tile(self.names, T),
                "fiscal_class": np.tile(self.fiscal_class, T),
                "revenue_kept": self.kept.ravel(),
                "capital_revenue": self.capital_revenue.ravel(),
            }
        )
        for la in self.lines:
            out[f"line_{la.name}"] = la.amount.ravel()
        out["transfers_total"] = self.transfers.ravel()
        out["resources_total"] = self.resources.ravel()
        return out

    def totals(self) -> pd.DataFrame:
        """One row per line and year: envelope, allocated total, units receiving, known units."""
        rows = []
        for la in self.lines:
            for t, year in enumerate(self.years):
                rows.append(
                    {
                        "line": la.name,
                        "label": la.label,
                        "rule": la.rule,
                        "year": year,
                        "envelope": la.envelope if t == 0 else None,
                        "total": float(la.amount[t].sum()),
                        "units": int((la.amount[t] > 0).sum()),
                        "eligible": int(la.eligible.sum()),
                        "known": int(la.known.sum()),
                        "estimated": la.estimated,
                        "source": la.source,
                    }
                )
        return pd.DataFrame(rows)
