"""Scenario edits as plain data: what can be edited, the diff against the base, the shareable
link's encoding, and the "reproduce" recipe. Nothing here imports Streamlit.

The app keeps the working scenario as the plain dict of :meth:`fiscal.scenario.Scenario.to_dict`
and validates it with :func:`fiscal.scenario.scenario_from_dict` before every run. A shareable
link carries the base scenario's file name and :func:`diff` of the working dict, JSON-encoded,
zlib-compressed and base64url-encoded; :func:`decode_edits` and :func:`restore` check it like
any upload (size limits, JSON only, then the scenario's own validation).

    >>> edits = diff(base, work)               # {"envelope.total": 240000000.0}
    >>> restore(base, decode_edits(encode_edits(edits))).to_dict() == work
    True
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import math
import re
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from fiscal.errors import ScenarioError
from fiscal.prose.messages import Message
from fiscal.scenario import Scenario, scenario_from_dict, set_path
from fiscal.textform import clean_data

__all__ = [
    "FIELDS",
    "MAX_LINK_CHARS",
    "Field",
    "Sweepable",
    "apply_edits",
    "decode_edits",
    "diff",
    "encode_edits",
    "least_envelope",
    "new_constraint",
    "reproduce",
    "restore",
    "sweepable",
    "unique_name",
]

MAX_LINK_CHARS = 6000  # encoded edits in a URL; browsers and proxies accept ~8 KB
MAX_DECODED_BYTES = 200_000  # the JSON of a whole scenario is ~5 KB
_TOP = (
    "scenario",
    "envelope",
    "need",
    "capacity",
    "sectors",
    "objective",
    "constraints",
    "solver",
    "rounding",
    "sharing",
    "lines",
    "budget_rules",
)


@dataclass(frozen=True)
class Field:
    """One editable number of a constraint: its key, bounds and step (in file units)."""

    key: str
    minimum: float
    maximum: float
    step: float
    per_year: bool = False  # may be a list with one value per year
    optional: bool = False  # may be absent (None)


# the numbers a user may change on each kind of rule (bounds as in fiscal.scenario)
FIELDS: dict[str, tuple[Field, ...]] = {
    "floor": (Field("ratio", 0.0, 10.0, 0.01, per_year=True),),
    "cap": (Field("ratio", 0.0, 10.0, 0.01, per_year=True),),
    "per_capita_min": (Field("amount", 0.0, 1e4, 0.1, per_year=True),),
    "transition": (Field("max_change", 0.0, 10.0, 0.01),),
    "group_share": (
        Field("min_share", 0.0, 1.0, 0.005, optional=True),
        Field("max_share", 0.0, 1.0, 0.005, optional=True),
    ),
    "merger_support": (
        Field("per_province", 0.0, 1e9, 1000.0),
        Field("per_commune", 0.0, 1e9, 100.0),
    ),
    "earmark": (Field("min_share", 0.0, 1.0, 0.005),),
    "sector_bounds": (
        Field("min_of_gap", 0.0, 10.0, 0.01),
        Field("max_of_gap", 0.0, 10.0, 0.01, optional=True),
    ),
}


# ----------------------------------------------------------------------------- diff and apply


def _is_plain_key(key: Any) -> bool:
    return isinstance(key, str) and key != "" and "." not in key


def diff(base: dict[str, Any], work: dict[str, Any]) -> dict[str, Any]:
    """The settings of ``work`` that differ from ``base``, as {dotted path: new value}.

    Tables are compared key by key; lists (constraints, criteria, sectors) are replaced whole.
    """
    out: dict[str, Any] = {}

    def walk(a: Any, b: Any, path: str) -> None:
        if (
            isinstance(a, dict)
            and isinstance(b, dict)
            and path
            and all(_is_plain_key(k) for k in (*a, *b))
            and set(a) == set(b)
        ):
            for k in b:
                walk(a[k], b[k], f"{path}.{k}")
            return
        if a != b:
            out[path] = copy.deepcopy(b)

    for key in sorted(set(base) | set(work)):
        if key not in work:
            continue  # removing a whole table is not an edit the app makes
        walk(base.get(key), work[key], key)
    return out


def apply_edits(base: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with each {dotted path: value} of ``edits`` set."""
    data = copy.deepcopy(base)
    for path, value in edits.items():
        if not isinstance(path, str) or path.split(".")[0] not in _TOP:
            raise ScenarioError(Message("link.not_setting", path=path, tops=", ".join(_TOP)))
        set_path(data, path, copy.deepcopy(value))
    return data


def restore(base: dict[str, Any], edits: dict[str, Any], source: str = "shared link") -> Scenario:
    """The scenario ``base`` + ``edits``, validated like a scenario file."""
    return scenario_from_dict(apply_edits(base, edits), source=source)


# ----------------------------------------------------------------------------- the link


def encode_edits(edits: dict[str, Any]) -> str:
    """Compact, URL-safe text for a dict of edits (JSON → zlib → base64url, no padding)."""
    raw = json.dumps(edits, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    packed = zlib.compress(raw.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_edits(text: str) -> dict[str, Any]:
    """The edits in a link's text; ScenarioError says what is wrong with a bad link."""
    where = "shared link"
    if len(text) > MAX_LINK_CHARS:
        raise ScenarioError(Message("link.too_long", n=len(text), limit=MAX_LINK_CHARS))
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ScenarioError(Message("link.bad_characters"))
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_DECODED_BYTES)
        if inflater.unconsumed_tail:
            raise ScenarioError(Message("link.too_big", limit=MAX_DECODED_BYTES))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, json.JSONDecodeError, ValueError):
        raise ScenarioError(Message("link.unreadable")) from None
    if not isinstance(data, dict):
        raise ScenarioError(Message("link.not_table", kind=type(data).__name__))
    try:
        return clean_data(data, where)  # the one text form, as for a scenario file
    except ValueError as exc:
        raise ScenarioError(exc.args[0]) from None


# ----------------------------------------------------------------------------- constraints


def unique_name(kind: str, existing: list[str]) -> str:
    """'floor', then 'floor-2', 'floor-3', … whichever is free."""
    if kind not in existing:
        return kind
    k = 2
    while f"{kind}-{k}" in existing:
        k += 1
    return f"{kind}-{k}"


def new_constraint(kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    """A constraint entry for the scenario's ``constraints`` list (validated with the rest)."""
    entry: dict[str, Any] = {"name": name.strip() or kind, "kind": kind}
    entry.update({k: v for k, v in values.items() if v is not None and v != [] and v != {}})
    return entry


# ----------------------------------------------------------------------------- sweeps


@dataclass(frozen=True)
class Sweepable:
    """A numeric setting a frontier can sweep: its path, value now and a sensible range."""

    path: str
    current: float
    low: float
    high: float


def least_envelope(problem: Any, total: float) -> float:
    """The smallest ``envelope.total`` (million VND) whose pool covers the units' lower bounds
    (floors, minimums) in every year, for a scenario now at ``total``, given its growth and the
    money paid inside the envelope: below it the scenario is infeasible whatever the objective."""
    growth = (1.0 + float(problem.scenario.envelope.growth)) ** np.arange(problem.T)
    inside = np.maximum(total * growth - problem.envelope, 0.0)  # merger support paid inside
    lower = problem.bounds()[0].sum(axis=1)
    return float(np.max((lower + inside) / growth))


def sweepable(scenario: Scenario, problem: Any = None) -> list[Sweepable]:
    """The scalar numeric settings of ``scenario`` worth sweeping, with default ranges; with the
    scenario's ``problem`` the envelope's range starts where the units' lower bounds are met
    (:func:`least_envelope`), so that the default frontier has no infeasible point there."""
    data = scenario.to_dict()
    out: list[Sweepable] = []
    env = data["envelope"]
    if isinstance(env.get("total"), int | float):
        v = float(env["total"])
        low, high = round(0.9 * v, -3), round(1.1 * v, -3)
        if problem is not None:
            least = math.ceil(least_envelope(problem, v) / 1000.0) * 1000.0  # whole bn VND
            low = min(max(low, least), v)
        out.append(Sweepable("envelope.total", v, low, high))
    if isinstance(env.get("baseline_factor"), int | float):
        v = float(env["baseline_factor"])
        out.append(Sweepable("envelope.baseline_factor", v, 0.9 * v, 1.1 * v))
    if scenario.objective.kind == "blend":
        out.append(Sweepable("objective.weight", float(scenario.objective.weight), 0.0, 1.0))
    for c in data.get("constraints", []):
        out += _constraint_settings(c, f"constraints.{c['name']}")
    return out + _line_settings(data)


def _constraint_settings(c: dict[str, Any], prefix: str) -> list[Sweepable]:
    out = []
    for f in FIELDS.get(c.get("kind", ""), ()):
        v = c.get(f.key)
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        v = float(v)
        if f.key in ("ratio", "min_of_gap", "max_of_gap"):
            lo, hi = max(f.minimum, v - 0.1), min(f.maximum, v + 0.1)
        elif f.key in ("min_share", "max_share", "max_change"):
            lo, hi = max(f.minimum, v / 2), min(f.maximum, max(v * 1.5, v + 0.05))
        else:
            lo, hi = max(f.minimum, v / 2), min(f.maximum, v * 1.5 if v else 1.0)
        out.append(Sweepable(f"{prefix}.{f.key}", v, lo, hi))
    return out


def _line_settings(data: dict[str, Any]) -> list[Sweepable]:
    """Each transfer line's envelope (not a fixed line's: a decision's amounts), or without one
    its formula's rates; over several years its growth; a co-financed line's central share of
    each fiscal class; a top-up's ratio and amount per person; an optimised line's constraints
    (issue 14)."""
    out = []
    years = len(data.get("scenario", {}).get("years") or [])
    for name, line in (data.get("lines") or {}).items():
        if name == "balancing" or not isinstance(line, dict):
            continue
        growth = line.get("growth")
        if years > 1 and isinstance(growth, int | float) and line.get("rule") != "fixed":
            g = float(growth)  # several years: the line's growth per year
            out.append(
                Sweepable(f"lines.{name}.growth", g, max(-0.5, g - 0.05), min(1.0, g + 0.05))
            )
        env = line.get("envelope")
        if line.get("rule") != "fixed" and isinstance(env, int | float) and env > 0:
            v = float(env)  # whole bn VND either side, as envelope.total
            low, high = round(0.9 * v, -3), round(1.1 * v, -3)
            out.append(Sweepable(f"lines.{name}.envelope", v, min(low, v), max(high, v)))
        if line.get("rule") in ("formula", "cofinance") and env is None:
            for c in line.get("criteria") or []:  # without an envelope the rates size the line
                v = c.get("rate")
                if isinstance(v, int | float) and not isinstance(v, bool) and v > 0:
                    path = f"lines.{name}.criteria.{c['indicator']}.rate"
                    out.append(Sweepable(path, float(v), v / 2, v * 1.5))
        if line.get("rule") == "cofinance":  # the central share of each fiscal class
            from fiscal.sharing import CENTRAL_COFINANCING

            stated = line.get("central_share") or {}
            for cls, default in CENTRAL_COFINANCING.items():
                v = float(stated.get(cls, default))  # a fraction: the range stays in [0, 1]
                path = f"lines.{name}.central_share.{cls}"
                out.append(Sweepable(path, v, max(0.0, v - 0.1), min(1.0, v + 0.1)))
        if line.get("rule") == "top_up":
            if isinstance(line.get("ratio"), int | float):
                v = float(line["ratio"])
                out.append(Sweepable(f"lines.{name}.ratio", v, max(0.0, v - 0.1), v + 0.1))
            if isinstance(line.get("per_capita"), int | float):
                v = float(line["per_capita"])
                out.append(Sweepable(f"lines.{name}.per_capita", v, v / 2, v * 1.5 if v else 1.0))
        if line.get("rule") == "optimise":
            for i, c in enumerate(line.get("constraints") or []):
                key = c.get("name") or str(i)
                out += _constraint_settings(c, f"lines.{name}.constraints.{key}")
    return out


def value_at(scenario: Scenario, path: str) -> Any:
    """The value of a dotted setting of ``scenario``."""
    return scenario.value_of(path)


# ----------------------------------------------------------------------------- reproduce


def reproduce(
    toml_name: str,
    units_name: str | None = None,
    level: str = "province",
    xlsx_name: str = "allocation.xlsx",
    lang: str = "en",
) -> tuple[str, str]:
    """The ``fiscal`` command and the Python lines that give the same table from the files (their
    comment and printed label in ``lang``)."""
    cmd = f"fiscal solve {toml_name}"
    if units_name:
        cmd += f" --units {units_name}"
    cmd += f" -o {xlsx_name}"
    cmd += f" --lang {lang}"  # the workbook the page offers is in the page's language
    lines = ["import fiscal", ""]
    if units_name:
        lines += [
            f'scenario = fiscal.load_scenario("{toml_name}")',
            f'units = fiscal.load_units("{units_name}", "{level}")',
            "result = fiscal.run(scenario, units=units)",
        ]
    else:
        lines.append(f'result = fiscal.run("{toml_name}")')
    comment, total, unit = {
        "en": ("one row per unit and year, million VND", "total", "million VND"),
        "vi": ("mỗi đơn vị mỗi năm một dòng, triệu đồng", "tổng", "triệu đồng"),
    }.get(lang, ("one row per unit and year, million VND", "total", "million VND"))
    lines += [
        f"table = result.table  # {comment}",
        'print(table[["code", "name", "allocation"]])',
        f"print(f\"{total}: {{table['allocation'].sum():,.0f}} {unit}\")",
    ]
    return cmd, "\n".join(lines)
