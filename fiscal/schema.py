"""Column specifications of a unit table, declared as data.

Validation (:mod:`fiscal.data`), the CSV/XLSX templates and the documentation all read
:data:`COLUMNS`; nothing else knows what a column means. Money is in million VND (triệu đồng).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["COLUMNS", "REVENUE_KINDS", "ColumnSpec", "columns_for", "spec"]

Kind = Literal["text", "int", "float"]
Level = Literal["province", "commune"]

MAX_MONEY = 1e12  # million VND; far above any budget (national spending is ~3.2e9)
MAX_PERSONS = 2e8  # above the population of Viet Nam (~1.0e8)


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its type, unit, whether it is required, and its bounds."""

    name: str
    kind: Kind
    description: str
    unit: str = ""
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    levels: tuple[Level, ...] = ("province", "commune")
    hint: str = ""  # appended to range errors: what the user most likely got wrong
    positive: bool = False  # must be above 0, not only ≥ minimum (a divisor: population)

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "float")


MONEY_HINT = "amounts are in million VND (triệu đồng), not VND or billions"


def _money(
    name: str,
    description: str,
    *,
    required: bool = False,
    levels: tuple[Level, ...] = ("province", "commune"),
) -> ColumnSpec:
    """A money column: million VND, from 0 to ``MAX_MONEY``, with the hint for the usual slip."""
    return ColumnSpec(
        name,
        "float",
        description,
        unit="million VND",
        required=required,
        minimum=0,
        maximum=MAX_MONEY,
        levels=levels,
        hint=MONEY_HINT,
    )


# The revenue kinds of the A/B/C mechanism (fiscal/sharing.py); they sum to revenue_on_territory.
REVENUE_KINDS: tuple[str, ...] = (
    "revenue_central",
    "revenue_land",
    "revenue_lottery",
    "revenue_local",
    "revenue_shared",
)

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("code", "text", "Official code of the unit (unique)", required=True),
    ColumnSpec("name", "text", "Official name", required=True),
    ColumnSpec("type", "text", "Unit type: province / centrally-run city; xã / phường / đặc khu"),
    ColumnSpec("parent", "text", "Code of the province a commune belongs to", levels=("commune",)),
    ColumnSpec(
        "predecessors",
        "text",
        "Old units merged into this one, separated by ';' (empty if not known)",
    ),
    ColumnSpec("region", "text", "Socio-economic region used by need coefficients", required=True),
    ColumnSpec(
        "population",
        "float",
        "Population on one concept for every unit (see the dataset's population_basis)",
        unit="persons",
        required=True,
        minimum=0,
        maximum=MAX_PERSONS,
        positive=True,
        hint="every unit needs its population: resources per person and per-capita rules "
        "divide by it",
    ),
    ColumnSpec(
        "population_nq202",
        "float",
        "Resolution 202/2025/QH15 'quy mô dân số' (a different, larger concept; never mixed in formulas)",
        unit="persons",
        minimum=0,
        maximum=MAX_PERSONS,
        levels=("province",),
    ),
    ColumnSpec(
        "area_km2", "float", "Natural area", unit="km²", required=True, minimum=0, maximum=1e6
    ),
    ColumnSpec(
        "communes",
        "int",
        "Number of commune-level units in the unit (1 for a commune)",
        unit="units",
        minimum=0,
        maximum=20_000,
    ),
    ColumnSpec(
        "eliminated_provinces",
        "int",
        "Provincial units removed by the merger (predecessors − 1)",
        unit="units",
        minimum=0,
        maximum=100,
    ),
    ColumnSpec(
        "eliminated_communes",
        "int",
        "Commune-level units removed by the merger",
        unit="units",
        minimum=0,
        maximum=20_000,
    ),
    _money(
        "baseline",
        "Last year's balancing transfer (the hold-harmless base); for the bundled 2026 units the "
        "2025 post-merger transfer, computed on the predecessors' summed figures",
        required=True,
    ),
    _money(
        "own_revenue",
        "Own-source revenue before sharing: B + C, revenue kept 100 % plus the shared base "
        "(excludes land-use fees, lottery and the centre's own revenue)",
        required=True,
    ),
    ColumnSpec(
        "retention",
        "float",
        "Share of own revenue the unit keeps, (B + kept share of C) / (B + C); capacity = "
        "own_revenue × retention (1 for a unit that receives a balancing transfer)",
        unit="fraction",
        required=True,
        minimum=0,
        maximum=1,
        hint="retention is a fraction between 0 and 1, not a percent",
    ),
    _money(
        "revenue_on_territory",
        "State-budget revenue collected on the unit's territory (tổng thu NSNN trên địa bàn); "
        "the sum of the five revenue_* kinds below",
        levels=("province",),
    ),
    _money(
        "revenue_central",
        "Revenue on the territory that is the centre's alone: import-export duties, VAT on "
        "imports, the centre's share of land-use fees and other central-only items",
        levels=("province",),
    ),
    _money(
        "revenue_land",
        "Land-use fees and land rent the unit keeps (80 %, 85 % if receiving, Hà Nội 100 %: "
        "Law 89/2025); outside the A/B/C gap, earmarked for capital spending",
        levels=("province",),
    ),
    _money(
        "revenue_lottery",
        "Lottery revenue (xổ số kiến thiết); kept, outside the A/B/C gap, earmarked for capital",
        levels=("province",),
    ),
    _money(
        "revenue_local",
        "B: revenue the unit keeps 100 %, excluding land-use fees and lottery "
        "(Circular 342/2016/TT-BTC Art. 8.1b)",
        levels=("province",),
    ),
    _money(
        "revenue_shared",
        "C: revenue shared between the centre and the unit (the shared base; Circular 342/2016 "
        "Art. 8.1b)",
        levels=("province",),
    ),
    _money(
        "spending_need",
        "A: balanced spending need under the norms of the stability period (capital and "
        "recurrent), excluding spending from land-use fees and lottery (Circular 342/2016 Art. 8.1b)",
        levels=("province",),
    ),
    ColumnSpec(
        "sharing_rate",
        "int",
        "Whole-percent share of the shared base C the unit keeps (tỷ lệ phần trăm phân chia); "
        "100 for a unit that receives a balancing transfer",
        unit="percent",
        minimum=0,
        maximum=100,
        levels=("province",),
        hint="the sharing rate is a whole percent between 0 and 100, not a fraction",
    ),
    ColumnSpec(
        "estimated",
        "text",
        "Columns of this row that are illustrative, not official (';'-separated)",
    ),
)

_BY_NAME = {c.name: c for c in COLUMNS}


def spec(name: str) -> ColumnSpec:
    """The spec of column ``name`` (KeyError if it is not a schema column)."""
    return _BY_NAME[name]


def columns_for(level: Level) -> tuple[ColumnSpec, ...]:
    """The columns a unit table of ``level`` may have, in template order."""
    cols = tuple(c for c in COLUMNS if level in c.levels)
    if level == "commune":
        # a commune table must say which province each commune belongs to
        cols = tuple(
            ColumnSpec(**{**c.__dict__, "required": True}) if c.name == "parent" else c
            for c in cols
        )
    return cols
