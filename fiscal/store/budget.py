"""A run's whole budget as stored (``run_outputs.budget_npz``): one NumPy ``.npz`` archive.

:func:`encode` keeps what :func:`fiscal.lines.allocate_lines` computed — revenue kept, the
revenue the gap is measured with, each unit's fiscal class and, per line, its amounts,
eligibility, known units, the figures behind each amount, its envelope, flag and source — and
:func:`decode` makes the same :class:`fiscal.lines.Budget` again for a restored run, its
lines' settings taken from the stored scenario. Nothing is pickled: text goes in one JSON
member, numbers in arrays (``np.load`` refuses pickled objects by default).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from fiscal.lines import Budget
    from fiscal.problem import Problem
    from fiscal.scenario import Scenario

__all__ = ["Unreadable", "decode", "encode"]

FORMAT = 1  # this archive's layout; decode refuses another


def encode(budget: Budget) -> bytes:
    """``budget`` as the bytes of an ``.npz`` archive (no pickles)."""
    arrays: dict[str, np.ndarray] = {
        "kept": np.asarray(budget.kept, dtype=float),
        "capacity": np.asarray(budget.capacity, dtype=float),
    }
    lines = []
    for i, la in enumerate(budget.lines):
        arrays[f"l{i}.amount"] = np.asarray(la.amount, dtype=float)
        arrays[f"l{i}.eligible"] = np.asarray(la.eligible, dtype=bool)
        arrays[f"l{i}.known"] = np.asarray(la.known, dtype=bool)
        for k, values in enumerate(la.parts.values()):
            part = np.asarray(values)  # its own dtype (a priority's flag stays bool)
            arrays[f"l{i}.p{k}"] = part.astype(str) if part.dtype == object else part
        lines.append(
            {
                "name": la.name,
                "rule": la.rule,
                "envelope": la.envelope,
                "estimated": bool(la.estimated),
                "source": la.source,
                "parts": list(la.parts),
            }
        )
    meta = {
        "format": FORMAT,
        "codes": [str(c) for c in budget.codes],
        "years": [int(y) for y in budget.years],
        "fiscal_class": [str(c) for c in budget.fiscal_class],
        "lines": lines,
    }
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, allow_pickle=False, **arrays)
    return buf.getvalue()


class Unreadable(Exception):
    """The archive is not one :func:`encode` wrote for this run."""


def decode(data: bytes, scenario: Scenario, problem: Problem) -> Budget:
    """The stored budget of a run of ``scenario`` over ``problem`` (its prepared problem), its
    whole-budget rules checked again on the stored amounts (they read nothing else).
    :class:`Unreadable` when the archive is damaged or of another layout."""
    from fiscal.budget_rules import evaluate
    from fiscal.lines import Budget, LineAmounts

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta: dict[str, Any] = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise Unreadable from exc
    if meta.get("format") != FORMAT:
        raise Unreadable  # a layout of a newer fiscal
    codes = problem.codes.astype(str)
    if [str(c) for c in codes] != meta["codes"]:
        raise Unreadable  # not this run's units
    others = scenario.lines.others if scenario.lines is not None else {}
    lines = []
    for i, m in enumerate(meta["lines"]):
        lines.append(
            LineAmounts(
                m["name"],
                m["rule"],
                arrays[f"l{i}.amount"],
                arrays[f"l{i}.eligible"],
                arrays[f"l{i}.known"],
                {p: arrays[f"l{i}.p{k}"] for k, p in enumerate(m["parts"])},
                m["envelope"],
                bool(m["estimated"]),
                m["source"],
                others.get(m["name"]),
            )
        )
    budget = Budget(
        codes=codes,
        names=problem.frame["name"].astype(str).to_numpy(),
        years=list(meta["years"]),
        kept=arrays["kept"],
        fiscal_class=np.asarray(meta["fiscal_class"], dtype=object),
        population=problem.population,
        lines=lines,
        capacity=arrays["capacity"],
    )
    budget.checks = evaluate(scenario, budget, problem)
    return budget
