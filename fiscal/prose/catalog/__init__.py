"""The templates of every message code, English and Vietnamese side by side, one file per area.

=============  ==================================================================================
``data``       reading and checking a unit table (:mod:`fiscal.tablefile`, :mod:`fiscal.checks`,
               :mod:`fiscal.data`)
``scenario``   scenario files and settings (:mod:`fiscal.scenario`, its validation errors, files,
               dotted paths)
``model``      preparing, solving, infeasibility: conflicts and repairs (:mod:`fiscal.diagnosis`,
               :mod:`fiscal.rules`), the solver, the pipeline, sweeps and exports
``sharing``    the A/B/C mechanism: its tables, inputs, the rate model, rules on the
               predecessors' resources, last year's transfers from another scenario
``store``      the run store, stored runs and their attribution
``notice``     notices shown beside results (illustrative figures, the ledger's envelope line)
``lines``      transfer lines and whole-budget rules (:mod:`fiscal.scenario_lines`,
               :mod:`fiscal.lines`, :mod:`fiscal.budget_rules`)
``execution``  the execution and capital views: the drawdown, the outturn and its notes, the
               capital plan, their exports (:mod:`fiscal.execution`, :mod:`fiscal.capital`,
               :mod:`fiscal.execution_export`)
=============  ==================================================================================

Each file holds ``MESSAGES = {code: (english, vietnamese)}``; :data:`CATALOG` merges them as
``{code: {"en": ..., "vi": ...}}``. A code is written with :class:`fiscal.prose.messages.Message`.
The English text is what the command line prints and the golden files pin: change it only on
purpose. The Vietnamese uses the terms of the State Budget Law (dự toán, bổ sung cân đối, tỷ lệ
phần trăm phân chia, định mức phân bổ, ...).
"""

from __future__ import annotations

from fiscal.prose.catalog import (
    data,
    execution,
    lines,
    model,
    notice,
    scenario,
    sharing,
    store,
)

__all__ = ["CATALOG"]

CATALOG: dict[str, dict[str, str]] = {}
for _module in (data, lines, model, notice, scenario, sharing, store, execution):
    for _code, (_en, _vi) in _module.MESSAGES.items():
        if _code in CATALOG:
            raise RuntimeError(f"message code {_code!r} is defined twice")
        CATALOG[_code] = {"en": _en, "vi": _vi}
