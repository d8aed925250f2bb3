"""Every sentence fiscal writes, and the one way it writes numbers and money.

=============  =================================================================================
``numbers``    the one formatter: :func:`number`, :func:`percent`, :func:`money` (million VND in,
               ``238,421 bn VND`` / ``238.421 tỷ đồng`` out), :func:`billions`, :func:`plain`,
               :func:`general`, :func:`setting`; English or Vietnamese by a ``lang`` argument
``labels``     the words of every code (rule kinds, objectives, flags, waterfall steps, bands,
               the story's sentences), one dict per language
``words``      text from codes in either language: :func:`flag_column` (the ``flags`` column of
               a result table), :func:`step_label`, :func:`story` (a unit's waterfall in words),
               :func:`metric_text` (a metric as its spec says)
``terminal``   what the ``fiscal`` command prints: :func:`solve_summary`, :func:`explain_text`,
               :func:`ledger_text`, :func:`frontier_text`, :func:`monte_carlo_text`,
               :func:`comparison_text`, ...
=============  =================================================================================

Nothing here imports a solver or pandas at run time: error messages, the command line and the
app all write through it. The app's own labels (buttons, captions) are in
:mod:`fiscal_app.i18n`; the words of fiscal's codes it shows come from :mod:`fiscal.prose.labels`.
"""

from __future__ import annotations

from fiscal.prose.numbers import (
    BN,
    UNITS,
    billions,
    general,
    money,
    number,
    percent,
    plain,
    separators,
    setting,
)
from fiscal.prose.terminal import (
    comparison_text,
    explain_text,
    frontier_text,
    goal_seek_line,
    illustrative_note,
    ledger_text,
    model_line,
    monte_carlo_text,
    scenario_list,
    solve_summary,
)
from fiscal.prose.words import (
    abc_story,
    band_name,
    class_name,
    final_label,
    flag_column,
    flag_text,
    flag_word,
    kind_name,
    metric_label,
    metric_text,
    objective_name,
    step_label,
    story,
)

__all__ = [
    "BN",
    "UNITS",
    "abc_story",
    "band_name",
    "billions",
    "class_name",
    "comparison_text",
    "explain_text",
    "final_label",
    "flag_column",
    "flag_text",
    "flag_word",
    "frontier_text",
    "general",
    "goal_seek_line",
    "illustrative_note",
    "kind_name",
    "ledger_text",
    "metric_label",
    "metric_text",
    "model_line",
    "money",
    "monte_carlo_text",
    "number",
    "objective_name",
    "percent",
    "plain",
    "scenario_list",
    "separators",
    "setting",
    "solve_summary",
    "step_label",
    "story",
]
