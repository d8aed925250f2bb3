"""The factors of an attribution (:mod:`fiscal.attribution`): which parts of two runs' inputs
differ, what each setting changed, and a combination of them (factors from run B, the rest from
run A) mixed into a scenario, keyed for the store's cache and solved.

``FACTORS`` names the scenario's sections each factor holds (``data`` is the unit table; text
that documents rather than sets is not a difference). :class:`Side` is one end: a stored run's
or a result's inputs and its allocation.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from fiscal.errors import (
    DataError,
    FiscalError,
    InfeasibleError,
    ModelError,
    ScenarioError,
    SolverError,
)
from fiscal.prose.messages import CATALOG, Message, Term

if TYPE_CHECKING:
    from fiscal.data import UnitTable
    from fiscal.results import Result
    from fiscal.runs import StoredRun
    from fiscal.scenario import Scenario

__all__ = [
    "FACTORS",
    "Side",
    "allocation_grid",
    "cache_key",
    "changed_columns",
    "changed_settings",
    "check_comparable",
    "combination_words",
    "current_version",
    "data_changes",
    "differing_factors",
    "mix",
    "outcome_words",
    "solve_mix",
]

FACTORS: dict[str, tuple[str, ...]] = {
    "data": (),
    "envelope": ("envelope",),
    "norms": ("need", "capacity", "sectors"),
    "rules": ("constraints",),
    "objective": ("objective",),
    "method": ("solver", "rounding"),
}


@dataclass
class Side:
    """One end of an attribution: inputs and the stored allocation."""

    label: str
    scenario: Scenario
    units: UnitTable
    envelopes: dict[str, list[float]] | None
    table: pd.DataFrame
    version: str

    @classmethod
    def of(cls, run: StoredRun) -> Side:
        return cls(
            run.label,
            run.scenario,
            run.units,
            run.envelopes,
            run.outputs.table,
            run.info.fiscal_version,
        )

    @classmethod
    def from_result(cls, result: Result, label: str) -> Side:
        from fiscal.replay import stated_envelopes

        return cls(
            label,
            result.scenario,
            result.problem.units,
            stated_envelopes(result),
            result.table,
            str(result.provenance.get("version", current_version())),
        )


def current_version() -> str:
    """This fiscal's version, as the provenance of a result gives it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fiscal")
    except PackageNotFoundError:
        return "not installed"


def _strip_docs(v: Any) -> Any:
    if isinstance(v, dict):
        return {
            k: _strip_docs(x)
            for k, x in v.items()
            if not (
                isinstance(x, str) and (k == "description" or k.endswith("source") or k == "unit")
            )
        }
    if isinstance(v, list):
        return [_strip_docs(x) for x in v]
    return v


def _section(d: dict[str, Any], f: str) -> dict[str, Any]:
    return {k: _strip_docs(d.get(k)) for k in FACTORS[f]}


def changed_settings(da: dict[str, Any], db: dict[str, Any], f: str) -> list[Term]:
    """The settings of factor ``f`` that differ, as 'key old → new' (documenting text left out;
    a :class:`~fiscal.prose.messages.Term`, '(none)' written in each language)."""
    from fiscal.compare import flatten_settings

    fa = flatten_settings({k: da[k] for k in FACTORS[f] if k in da})
    fb = flatten_settings({k: db[k] for k in FACTORS[f] if k in db})
    out: list[Term] = []
    for key in sorted(set(fa) | set(fb)):
        va, vb = fa.get(key, (None, ""))[0], fb.get(key, (None, ""))[0]
        last = key.rsplit(".", 1)[-1]
        if last in ("description", "unit") or last.endswith("source") or va == vb:
            continue
        en = f"{key} {_short(va)} → {_short(vb)}"
        out.append(Term(en, f"{key} {_short(va, 'vi')} → {_short(vb, 'vi')}"))
    return out


def _short(v: Any, lang: str = "en") -> str:
    if v is None:
        return "(không có)" if lang == "vi" else "(none)"
    text = json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v
    return text if len(text) <= 40 else text[:37] + "…"


def check_comparable(a: Side, b: Side) -> list[str]:
    """The units' codes; refuses runs of another level, years, province or set of units."""
    ma, mb = a.scenario.scenario, b.scenario.scenario
    for key in ("level", "years", "province"):
        if getattr(ma, key) != getattr(mb, key):
            va, vb = getattr(ma, key), getattr(mb, key)
            m = Message("attr.different_meta", a=a.label, b=b.label, key=key, va=va, vb=vb)
            raise ModelError(m)
    codes_a = _codes(a.table)
    codes_b = _codes(b.table)
    if set(codes_a) != set(codes_b):
        only_a = sorted(set(codes_a) - set(codes_b))[:5]
        only_b = sorted(set(codes_b) - set(codes_a))[:5]
        m = Message("attr.different_units", a=a.label, b=b.label, only_a=only_a, only_b=only_b)
        raise ModelError(m)
    return codes_a


def _codes(table: pd.DataFrame) -> list[str]:
    first = table["year"].iat[0]
    return table.loc[table["year"] == first, "code"].astype(str).tolist()


def allocation_grid(table: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """A result table's allocation as whole million VND (T, n) in the order of ``codes``."""
    years = list(dict.fromkeys(table["year"].tolist()))
    piv = table.assign(code=table["code"].astype(str)).pivot(
        index="year", columns="code", values="allocation"
    )
    v = piv.loc[years, codes].to_numpy(dtype=float)
    whole = np.round(v)
    if np.any(np.abs(v - whole) > 1e-6):
        raise ModelError(Message("attr.whole_million"))
    return whole.astype(np.int64)


def differing_factors(a: Side, b: Side, da: dict[str, Any], db: dict[str, Any]) -> list[str]:
    """The factors whose inputs differ between ``a`` and ``b``, in ``FACTORS`` order."""
    out = []
    for f in FACTORS:
        if f == "data":
            same = a.units.data_hash() == b.units.data_hash()
        elif f == "envelope":
            same = _section(da, f) == _section(db, f) and a.envelopes == b.envelopes
        else:
            same = _section(da, f) == _section(db, f)
        if not same:
            out.append(f)
    return out


def mix(
    a: Side, b: Side, da: dict[str, Any], db: dict[str, Any], chosen: tuple[str, ...]
) -> tuple[dict[str, Any], UnitTable, dict[str, list[float]] | None]:
    """The inputs of a combination: the ``chosen`` factors from ``b``, the rest from ``a``."""
    d = copy.deepcopy(da)
    for f in chosen:
        for key in FACTORS[f]:
            if key in db:
                d[key] = copy.deepcopy(db[key])
            else:
                d.pop(key, None)
    d["scenario"] = dict(
        d["scenario"], name=f"{a.label} with {', '.join(chosen)} of {b.label}"[:200]
    )
    units = b.units if "data" in chosen else a.units
    envelopes = b.envelopes if "envelope" in chosen else a.envelopes
    return d, units, envelopes


def cache_key(d: dict[str, Any], units: UnitTable, envelopes: Any, backend: str | None) -> str:
    """The store's cache key of a combination (its inputs, backend and this fiscal's version)."""
    blob = json.dumps(
        {
            "scenario": d,
            "data": units.data_hash(),
            "envelopes": envelopes,
            "backend": backend,
            "fiscal": current_version(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def solve_mix(
    d: dict[str, Any], units: UnitTable, envelopes: Any, codes: list[str], backend: str | None
) -> tuple[str, np.ndarray | None, str]:
    """(outcome, allocation grid or None, reason): ok, infeasible, invalid or failed."""
    from fiscal.replay import solve_inputs
    from fiscal.scenario import scenario_from_dict

    try:
        scen = scenario_from_dict(d, source="combined scenario")
        res = solve_inputs(scen, units, envelopes, backend=backend, explain_infeasible=False)
    except InfeasibleError:
        return "infeasible", None, Message("attr.mix_infeasible")
    except (ScenarioError, ModelError, DataError) as exc:
        return "invalid", None, _first_line(exc)
    except SolverError as exc:
        return "failed", None, _first_line(exc)
    return "ok", allocation_grid(res.table, codes), ""


def changed_columns(ua: UnitTable, ub: UnitTable) -> list[str]:
    """The unit table's columns that differ (none if that cannot be told)."""
    fa, fb = ua.frame.set_index("code"), ub.frame.set_index("code")
    cols = [c for c in fa.columns if c in fb.columns]
    try:
        return [c for c in cols if not fa[c].reindex(fb.index).equals(fb[c])]
    except (KeyError, ValueError, FiscalError):
        return []


def _first_line(exc: FiscalError) -> Term:
    """The first line of an error, in both languages (the reason a combination has no result)."""
    return Term(str(exc).splitlines()[0], exc.text("vi").splitlines()[0])


def outcome_words(outcome: str) -> str:
    """A combination's outcome ('infeasible (cached)') as a message: its word in each language."""
    word, _, cached = outcome.partition(" ")
    code = f"attr.outcome.{word}"
    said: str = Message(code) if code in CATALOG else word
    return Message("attr.outcome_cached", outcome=said) if cached else said


def combination_words(name: str, words_vi: dict[str, str]) -> Term:
    """A combination ('envelope+rules') with its factors' names in each language."""
    if name == "(none)":
        return Term(name, "(không)")
    return Term(name, "+".join(words_vi.get(p, p) for p in name.split("+")))


def data_changes(ua: UnitTable, ub: UnitTable) -> str:
    """' (columns a, b)': the unit table's columns that differ (empty if that cannot be told)."""
    diff = changed_columns(ua, ub)
    return f" (columns {', '.join(diff)})" if diff else ""
