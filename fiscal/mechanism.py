"""The A/B/C mechanism in a scenario: each unit's rate, revenue kept and balancing transfer.

:func:`resolve` reads a scenario's ``[sharing]`` and ``[lines.balancing]`` over a unit table
(``revenue_local`` = B, ``revenue_shared`` = C, ``sharing_rate``) and the scenario's need A
(Circular 342/2016/TT-BTC Art. 8–9; Decree 163/2016/NĐ-CP Art. 18–19; :mod:`fiscal.sharing`):

* ``period_start`` — every rate and transfer recomputed from A, B, C: a unit with A − B < C keeps
  the whole-percent share (A − B)/C of its shared base and receives nothing; the others keep 100 %
  and receive A − (B + C);
* ``within_period`` — rates frozen at ``sharing_rate``; the transfer is last year's (the
  ``baseline``) × (1 + ``[lines.balancing] uplift``), rounded half-up per unit, plus the named
  top-ups. Applied to units that merged, with the baseline the predecessors' post-merger sum,
  this is the 2026 bridge year (NQ 246/2025/QH15).

The allocation then shares the envelope on the mechanism's transfers (the gap) under the
scenario's objective and rules, with capacity = revenue kept = B + the kept share of C; a unit
that remits receives nothing (:class:`fiscal.rules.RemittingUnits`). With ``rates =
"optimise"`` the rates come from the rate model (:mod:`fiscal.rates`) and :func:`with_rates`
re-resolves the problem at them.

**Merged units against their predecessors.** The predecessors' own A, B, C (bundled: the 2026
layer split over the 63 old provinces, :func:`fiscal.calibrate.predecessor_layer`) give each
predecessor its own rate, transfer and resources (:func:`fiscal.sharing.merger_table`); a
unit's *reference* is the sum of its predecessors' resources, which floors with ``base =
"predecessors"`` hold its resources against. Nothing here imports SciPy.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from fiscal import sharing
from fiscal.errors import ModelError
from fiscal.prose.messages import Message
from fiscal.rules.base import Mark
from fiscal.rules.bounds import UnitBound

if TYPE_CHECKING:
    from fiscal.data import UnitTable
    from fiscal.problem import Problem
    from fiscal.scenario import Scenario
    from fiscal.scenario_sharing import Sharing as SharingSettings

__all__ = [
    "PREDECESSOR_COLUMNS",
    "AbcFacts",
    "abc_facts",
    "REQUIRED",
    "RemittingUnits",
    "SharingState",
    "merger_view",
    "predecessor_frame",
    "recheck",
    "resolve",
    "status_quo_kept",
    "with_rates",
]

#: unit-table columns the mechanism reads (with ``sharing_rate`` within a period)
REQUIRED = ("revenue_local", "revenue_shared")
#: columns of a predecessors file (one row per old unit)
PREDECESSOR_COLUMNS = ("code", "name", "unit", "spending_need", "revenue_local", "revenue_shared")


@dataclass(frozen=True)
class SharingState:
    """The mechanism of one budget year over the units of a problem (million VND, whole %).

    ``rate`` is the rate in force (the formula's, the frozen one, or the rate model's);
    ``formula_rate`` the formula's at a period start (the frozen rate within a period).
    ``transfer`` is the mechanism's balancing transfer at ``rate``: the gap the allocation shares
    the envelope on. ``reference`` is each unit's predecessors' summed resources (NaN where the
    unit has none listed), ``predecessors`` their :func:`fiscal.sharing.merger_table` rows.
    """

    mode: str
    need: np.ndarray  # A, whole million VND
    local: np.ndarray  # B
    shared: np.ndarray  # C
    rate: np.ndarray
    formula_rate: np.ndarray
    exact_rate: np.ndarray
    transfer: np.ndarray
    topup: np.ndarray
    status_quo_rate: np.ndarray | None
    reference: np.ndarray | None
    predecessors: pd.DataFrame | None = field(repr=False)
    settings: SharingSettings = field(repr=False)
    requirement: float | None = None  # the centre's minimum revenue from the shared base
    chosen: dict[str, Any] | None = None  # the rate model's record when it chose the rates

    @property
    def kept_shared(self) -> np.ndarray:
        """The share of C each unit keeps, rounded half-up to the million."""
        return sharing.kept_share(self.rate, self.shared)

    @property
    def kept(self) -> np.ndarray:
        """Revenue kept: B + the kept share of C (excludes land-use fees and lottery)."""
        return self.local + self.kept_shared

    @property
    def remitted(self) -> np.ndarray:
        """Shared revenue passed to the centre, C − kept share (whole million VND)."""
        return self.shared - self.kept_shared

    @property
    def remitted_exact(self) -> np.ndarray:
        """(100 − rate) × C / 100 before rounding: what the centre's requirement is stated on."""
        return (100 - self.rate) * self.shared / 100.0

    @property
    def fiscal_class(self) -> np.ndarray:
        return sharing.classify(self.rate, self.transfer)

    @property
    def optimise(self) -> bool:
        return self.settings.rates == "optimise"


@dataclass(eq=False)
class RemittingUnits(UnitBound):
    """The mechanism's own rule: a unit that keeps less than 100 % of its shared revenue
    receives no balancing transfer (Circular 342/2016/TT-BTC Art. 9.1a; Decree 163/2016/NĐ-CP
    Art. 18.1). Added to a problem with ``[sharing]``; not a scenario kind (the fiscal class
    column says which units remit), so not registered."""

    kind: ClassVar[str] = "sharing"
    internal: ClassVar[bool] = True
    in_waterfall: ClassVar[bool] = False

    @classmethod
    def of_rates(cls, rate: np.ndarray, T: int) -> RemittingUnits:
        mask = np.asarray(rate) < 100
        upper = np.broadcast_to(np.where(mask, 0.0, np.nan)[None, :], (T, len(mask))).copy()
        return cls(
            "remitting units",
            False,
            10.0,
            mask,
            upper=upper,
            description="A unit that keeps less than 100 % of its shared revenue receives no "
            "balancing transfer",
            source="Circular 342/2016/TT-BTC Art. 9.1a; Decree 163/2016/NĐ-CP Art. 18.1",
        )

    def flags(self, problem: Problem, X: np.ndarray, mark: Mark, tol: float) -> None:
        """No flag: the table's fiscal class says which units remit."""

    def rate_bounds(self) -> list[tuple[str, str, np.ndarray]] | None:
        return []  # the rate model links rates and transfers itself


def _whole(values: Any, column: str, codes: np.ndarray) -> np.ndarray:
    arr = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0) | (np.abs(arr - np.round(arr)) > 1e-6))
    if bad.size:
        i = int(bad[0])
        raise ModelError(
            Message("sharing.not_whole", column=column, unit=str(codes[i]), value=float(arr[i]))
        )
    return np.round(arr).astype(np.int64)


def _columns(frame: pd.DataFrame, needed: tuple[str, ...]) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ModelError(Message("sharing.missing_columns", columns=missing))


def predecessor_frame(scenario: Scenario, units: UnitTable) -> pd.DataFrame | None:
    """The predecessors' A, B, C (columns of :data:`PREDECESSOR_COLUMNS`), or None if unknown."""
    settings = scenario.sharing
    if settings is None:
        return None
    if settings.predecessors == "bundled":
        if not units.source.startswith("bundled:provinces"):  # also a Monte Carlo draw of it
            return None
        from fiscal import calibrate

        frame = calibrate.predecessor_layer()
        return frame[list(PREDECESSOR_COLUMNS)].copy()
    from fiscal.scenario_files import resolve_reference
    from fiscal.tablefile import read_table

    path = resolve_reference(
        settings.predecessors,
        scenario.base_dir,
        "sharing.predecessors",
        scenario.where,
    )
    frame, _ = read_table(path)
    missing = [c for c in PREDECESSOR_COLUMNS if c not in frame.columns]
    if missing:
        raise ModelError(
            Message(
                "sharing.predecessor_columns",
                source=path.name,
                needed=", ".join(PREDECESSOR_COLUMNS),
                missing=", ".join(missing),
            )
        )
    frame = frame[list(PREDECESSOR_COLUMNS)].copy()
    frame["unit"] = frame["unit"].astype(str).str.strip()
    codes = set(units.frame["code"].astype(str))
    unknown = sorted(set(frame["unit"]) - codes)
    if unknown:
        raise ModelError(Message("sharing.predecessor_units", source=path.name, units=unknown[:5]))
    for col in ("spending_need", "revenue_local", "revenue_shared"):
        frame[col] = _whole(frame[col], col, frame["code"].to_numpy())
    return frame


def _merger(frame: pd.DataFrame | None, codes: np.ndarray, rounding: str) -> tuple[Any, Any]:
    if frame is None:
        return None, None
    table = sharing.merger_table(
        frame.rename(
            columns={"spending_need": "need", "revenue_local": "local", "revenue_shared": "shared"}
        ),
        rounding=rounding,  # type: ignore[arg-type]
    )
    preds = table[table["level"] == "predecessor"]
    sums = preds.groupby("unit", sort=False)["resources"].sum()
    reference = pd.Series(codes.astype(str)).map(sums).to_numpy(dtype=float)
    return reference, table


def resolve(scenario: Scenario, units: UnitTable, need: np.ndarray) -> SharingState | None:
    """The mechanism of ``scenario`` over ``units`` with need A (``need[0]``); None without
    ``[sharing]``."""
    settings = scenario.sharing
    if settings is None:
        return None
    frame = units.frame
    codes = frame["code"].astype(str).to_numpy()
    within = settings.mode == "within_period"
    _columns(frame, REQUIRED + (("sharing_rate",) if within else ()))
    B = _whole(frame["revenue_local"], "revenue_local", codes)
    C = _whole(frame["revenue_shared"], "revenue_shared", codes)
    A = np.floor(np.asarray(need[0], dtype=float) + 0.5).astype(np.int64)
    status_quo = None
    if "sharing_rate" in frame.columns:
        status_quo = _whole(frame["sharing_rate"], "sharing_rate", codes)
        over = np.flatnonzero(status_quo > 100)
        if over.size:
            raise ModelError(
                Message(
                    "sharing.rate_over_100", unit=str(codes[over[0]]), rate=int(status_quo[over[0]])
                )
            )
    lines = scenario.lines
    topups = np.zeros(len(codes), dtype=np.int64)
    if lines is not None:
        index = {c: i for i, c in enumerate(codes)}
        for k, top in enumerate(lines.balancing.topups):
            if top.unit not in index:
                raise ModelError(Message("sharing.topup_unit", k=k, unit=top.unit))
            if top.amount != int(top.amount):
                raise ModelError(Message("sharing.topup_whole", k=k, amount=top.amount))
            topups[index[top.unit]] = int(top.amount)
    if within:
        assert status_quo is not None  # _columns checked it
        uplift = lines.balancing.uplift if lines is not None else 0.0
        base = _whole(frame["baseline"], "baseline", codes)
        try:
            s = sharing.within_period(status_quo, B, C, base, growth=uplift, topups=topups)
        except ValueError as exc:
            raise ModelError(_unit_message(str(exc), codes)) from None
        rate, formula_rate, exact = s.rate, s.rate, s.rate.astype(float)
        transfer = s.balancing
    else:
        s = sharing.period_start(A, B, C, rounding=settings.rate_rounding)
        rate, formula_rate, exact, transfer = s.rate, s.rate, s.exact_rate, s.balancing
    requirement = None
    if settings.rates == "optimise":
        if settings.centre_revenue == "formula":
            requirement = float(np.sum((100 - formula_rate) * C) / 100.0)
        elif settings.centre_revenue == "status_quo":
            if status_quo is None:
                raise ModelError(Message("sharing.centre_status_quo"))
            requirement = float(np.sum((100 - status_quo) * C) / 100.0)
        elif settings.centre_revenue != "none":
            requirement = float(settings.centre_revenue)
    reference, table = _merger(predecessor_frame(scenario, units), codes, settings.rate_rounding)
    return SharingState(
        settings.mode,
        A,
        B,
        C,
        np.asarray(rate, dtype=np.int64),
        np.asarray(formula_rate, dtype=np.int64),
        np.asarray(exact, dtype=float),
        np.asarray(transfer, dtype=np.int64),
        topups,
        status_quo,
        reference,
        table,
        settings,
        requirement,
    )


def _unit_message(text: str, codes: np.ndarray) -> Message:
    """fiscal.sharing's 'unit 3 has a frozen rate of 40 % and a balancing transfer...' (an
    index) as a message naming the unit by its code."""
    import re

    m = re.match(r"unit (\d+) has a frozen rate of (\d+) %", text)
    if m is None:
        return Message("sharing.wrapped", detail=text)
    unit = str(codes[int(m.group(1))])
    return Message("sharing.frozen_rate_receives", unit=unit, rate=int(m.group(2)))


def status_quo_kept(state: SharingState) -> np.ndarray | None:
    """Revenue kept at the rates in force (the unit table's ``sharing_rate``), whole million VND."""
    if state.status_quo_rate is None:
        return None
    return state.local + sharing.kept_share(state.status_quo_rate, state.shared)


def with_rates(problem: Problem, rate: np.ndarray, record: dict[str, Any]) -> Problem:
    """``problem`` at the whole-percent rates ``rate`` (chosen by :mod:`fiscal.rates`): revenue
    kept, the mechanism's transfers and every rule re-resolved at them."""
    from fiscal.rules import Context

    state = problem.sharing
    if state is None:
        raise ModelError(Message("sharing.no_mechanism", what="with_rates"))
    rate = np.asarray(rate, dtype=np.int64)
    gap = np.where(rate == 100, np.maximum(state.need - state.local - state.shared, 0), 0)
    new_state = dataclasses.replace(state, rate=rate, transfer=gap.astype(np.int64), chosen=record)
    capacity = new_state.kept[None, :].astype(float)
    out = dataclasses.replace(
        problem,
        capacity=capacity,
        gap=gap[None, :].astype(float),
        sharing=new_state,
        rules=[],
    )
    ctx = Context.of(out)
    rules = [
        type(r).resolve(r.constraint, ctx, r.mask)
        for r in problem.rules
        if not isinstance(r, RemittingUnits)
    ]
    rules.append(RemittingUnits.of_rates(rate, problem.T))
    return dataclasses.replace(out, rules=rules)


def recheck(problem: Problem, X: np.ndarray, add: Any) -> None:
    """The mechanism's own checks on the rounded transfers X (T, n), recomputed from B, C."""
    state = problem.sharing
    if state is None:
        return
    rate = state.rate
    bad = (rate < 0) | (rate > 100)
    add("sharing: rates in [0, 100]", bad[None, :], np.abs(rate)[None, :], "rate out of range")
    kept = state.local + sharing.kept_share(rate, state.shared)
    d = np.abs(problem.capacity[0] - kept)
    add("sharing: revenue kept = B + rate × C", (d > 0)[None, :], d[None, :], "kept revenue")
    if state.chosen is not None:
        lo = np.maximum(state.formula_rate - state.settings.band, 0)
        hi = np.minimum(state.formula_rate + state.settings.band, 100)
        out = (rate < lo) | (rate > hi)
        add(
            "sharing: rates within the band",
            out[None, :],
            np.maximum(lo - rate, rate - hi)[None, :],
            "rate outside its band",
        )
        if state.requirement is not None:
            got = float(state.remitted_exact.sum())
            short = state.requirement - got
            tol = 1e-6 * max(1.0, state.requirement)
            add(
                "sharing: the centre's revenue requirement",
                np.array([[short > tol]]),
                np.array([[short]]),
                "shared revenue remitted below the requirement",
            )


def merger_view(problem: Problem, X: np.ndarray) -> pd.DataFrame:
    """Each unit beside its predecessors: the unit's rate, transfer and resources in the result
    (transfers X, first year) and each predecessor's own under the status quo."""
    state = problem.sharing
    if state is None or state.predecessors is None:
        return pd.DataFrame()
    frame = problem.frame
    codes = frame["code"].astype(str).to_numpy()
    names = frame["name"].astype(str).to_numpy()
    rows = []
    preds = state.predecessors[state.predecessors["level"] == "predecessor"]
    by_unit = {u: g for u, g in preds.groupby("unit", sort=False)}
    kept, cls = state.kept, state.fiscal_class
    for i, code in enumerate(codes):
        group = by_unit.get(code)
        if group is None:
            continue
        transfer = float(X[0, i])
        rows.append(
            {
                "unit": code,
                "level": "unit",
                "name": names[i],
                "need": int(state.need[i]),
                "local": int(state.local[i]),
                "shared": int(state.shared[i]),
                "rate": int(state.rate[i]),
                "remitted": int(state.remitted[i]),
                "balancing": transfer,
                "resources": float(kept[i]) + transfer,
                "fiscal_class": str(cls[i]),
                "reference": float(group["resources"].sum()),
            }
        )
        for _, p in group.iterrows():
            rows.append(
                {
                    "unit": code,
                    "level": "predecessor",
                    "name": str(p["name"]),
                    "need": int(p["need"]),
                    "local": int(p["local"]),
                    "shared": int(p["shared"]),
                    "rate": int(p["rate"]),
                    "remitted": int(p["remitted"]),
                    "balancing": float(p["balancing"]),
                    "resources": float(p["resources"]),
                    "fiscal_class": str(p["fiscal_class"]),
                    "reference": np.nan,
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class AbcFacts:
    """One unit's A/B/C figures in a result (million VND, whole percents): what its story in
    words (:func:`fiscal.prose.abc_story`) says."""

    name: str
    mode: str  # "period_start" or "within_period"
    need: int  # A
    local: int  # B
    shared: int  # C
    rate: int
    exact_rate: float
    formula_rate: int
    transfer: float  # the balancing transfer in the result
    mechanism: int  # the mechanism's transfer at the rate (the gap)
    remitted: int
    fiscal_class: str
    baseline: float
    uplift: float
    topup: int
    chosen: bool  # the rate model chose the rate
    band: int
    requirement: float | None
    predecessors: list[dict[str, Any]]  # name, rate, balancing, remitted, resources
    reference: float | None
    resources: float


def abc_facts(result: Any, code: str) -> AbcFacts | None:
    """The A/B/C facts of unit ``code`` in ``result`` (None without ``[sharing]``)."""
    problem = result.problem
    state = problem.sharing
    if state is None:
        return None
    codes = list(map(str, problem.codes))
    i = codes.index(str(code))
    row = result.table[result.table["code"].astype(str) == str(code)].iloc[0]
    preds: list[dict[str, Any]] = []
    if state.predecessors is not None:
        p = state.predecessors
        rows = p[(p["level"] == "predecessor") & (p["unit"].astype(str) == str(code))]
        preds = [
            {
                "name": str(r["name"]),
                "rate": int(r["rate"]),
                "balancing": float(r["balancing"]),
                "remitted": float(r["remitted"]),
                "resources": float(r["resources"]),
            }
            for _, r in rows.iterrows()
        ]
    lines = problem.scenario.lines
    ref = None if state.reference is None else float(state.reference[i])
    return AbcFacts(
        name=str(row["name"]),
        mode=state.mode,
        need=int(state.need[i]),
        local=int(state.local[i]),
        shared=int(state.shared[i]),
        rate=int(state.rate[i]),
        exact_rate=float(state.exact_rate[i]),
        formula_rate=int(state.formula_rate[i]),
        transfer=float(row["transfer"]),
        mechanism=int(state.transfer[i]),
        remitted=int(state.remitted[i]),
        fiscal_class=str(row["fiscal_class"]),
        baseline=float(row["baseline"]),
        uplift=0.0 if lines is None else float(lines.balancing.uplift),
        topup=int(state.topup[i]),
        chosen=state.chosen is not None,
        band=int(state.settings.band),
        requirement=state.requirement,
        predecessors=preds,
        reference=None if ref is None or np.isnan(ref) else ref,
        resources=float(row["resources"]),
    )
