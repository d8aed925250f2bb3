"""Text from codes, in English or Vietnamese: flags, waterfall steps, a unit's story, metrics.

The words are in :mod:`fiscal.prose.labels` (one table per kind of code, one dict per
language); this module puts them together with the numbers of :mod:`fiscal.prose.numbers`. The
English and the Vietnamese story of a waterfall are the same function (:func:`story`) over the
same records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from fiscal.metrics import spec as metric_spec
from fiscal.prose import labels
from fiscal.prose.numbers import TERMINAL_MISSING, general, money, number, percent, plain, setting

if TYPE_CHECKING:
    from fiscal.flags import FlagMark, Flags
    from fiscal.mechanism import AbcFacts
    from fiscal.waterfall import Step, Waterfall

__all__ = [
    "abc_story",
    "band_name",
    "class_name",
    "describe_entry",
    "final_label",
    "flag_column",
    "flag_text",
    "flag_word",
    "kind_name",
    "metric_label",
    "metric_text",
    "objective_name",
    "setting_label",
    "setting_value",
    "step_label",
    "story",
]


# ----------------------------------------------------------------------------- metrics


def metric_label(
    key: str, lang: str = "en", names: dict[str, tuple[str, str]] | None = None
) -> str:
    """A metric's name (:data:`fiscal.metrics.METRICS`): 'Units held up'; a line's total or a
    whole-budget rule's breaches by ``names`` (:func:`fiscal.metrics_budget.metric_names`)."""
    spec = metric_spec(key, names)
    if spec is None:
        return key
    return spec.vi if lang == "vi" else spec.en


def metric_text(
    key: str,
    value: Any,
    lang: str = "en",
    *,
    delta: bool = False,
    tidy: bool = False,
    missing: str = TERMINAL_MISSING,
) -> str:
    """A metric's value (or, ``delta``, a change of it) as its spec says: money in bn VND,
    shares in percent (a change in percentage points), counts whole, an index to its
    significant digits."""
    spec = metric_spec(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    unit, digits = (spec.unit, spec.digits) if spec else ("index", 5)
    if unit == "money":
        return money(value, lang, decimals=digits, sign=delta, tidy=tidy, missing=missing)
    if unit == "share":
        if delta:
            points = "pp" if lang != "vi" else "điểm %"
            return f"{number(float(value) * 100, digits, lang, sign=True, tidy=tidy)} {points}"
        return percent(value, digits, lang, tidy=tidy, missing=missing)
    if unit in ("count", "per_person"):
        return number(value, digits, lang, sign=delta, tidy=tidy, missing=missing)
    return general(value, digits, lang, sign=delta, missing=missing)


# ----------------------------------------------------------------------------- codes


def kind_name(kind: str, lang: str = "en") -> str:
    """A rule kind's name: 'hold-harmless floor', 'mức sàn (giữ mức năm gốc)'."""
    return labels.KINDS.get(lang, labels.KINDS["en"]).get(str(kind), str(kind))


def objective_name(kind: str, lang: str = "en") -> str:
    """An objective's name: 'Equal shortfall (minimax)'."""
    return labels.OBJECTIVES.get(lang, labels.OBJECTIVES["en"]).get(str(kind), str(kind))


def band_name(band: str, lang: str = "en") -> str:
    """A winners-and-losers band (:data:`fiscal.metrics.BANDS`) in the language."""
    return labels.BANDS.get(lang, labels.BANDS["en"]).get(str(band), str(band))


def flag_word(mark: FlagMark, lang: str = "en") -> str:
    """The words of one flag: 'at floor', 'ở mức sàn', 'below hold-harmless (soft)'."""
    words = labels.FLAGS.get(lang, labels.FLAGS["en"])
    code = mark.flag.value
    text = words.get(f"{code}:{mark.kind}", words[code])
    return text.format(kind=mark.kind, kind_name=kind_name(mark.kind, lang), rule=mark.rule)


def flag_text(marks: Sequence[FlagMark], lang: str = "en") -> str:
    """One unit's flags in words, in the rules' order, each once: 'at floor; merger support'."""
    out: list[str] = []
    for m in marks:
        word = flag_word(m, lang)
        if word not in out:
            out.append(word)
    return "; ".join(out)


def flag_column(flags: Flags, lang: str = "en") -> np.ndarray:
    """The ``flags`` column of a result table (one row per unit and year, year-major)."""
    T, n = flags.shape
    marks = flags.marks
    if len(marks) > 62:  # more marks than bits in one code: row by row
        cells: list[list[str]] = [[] for _ in range(T * n)]
        for m in marks:
            word = flag_word(m, lang)
            for k in np.flatnonzero(m.where.ravel()):
                if word not in cells[k]:
                    cells[k].append(word)
        return np.array(["; ".join(c) for c in cells], dtype=object)
    # each row's set of marks as one code (bit k: mark k), then each distinct set in words
    code = np.zeros(T * n, dtype=np.int64)
    for bit, m in enumerate(marks):
        code |= m.where.ravel().astype(np.int64) << bit
    distinct, inverse = np.unique(code, return_inverse=True)
    texts = [
        flag_text([m for bit, m in enumerate(marks) if int(c) >> bit & 1], lang) for c in distinct
    ]
    return np.array(texts, dtype=object)[inverse.ravel()]


def step_label(step: Step, lang: str = "en") -> str:
    """A waterfall step's label: 'floor: hold-harmless', 'mức sàn (giữ mức năm gốc): ...'."""
    words = labels.STEPS.get(lang, labels.STEPS["en"])
    return words[step.kind.value].format(
        kind=step.detail,
        kind_name=kind_name(step.detail, lang),
        objective=step.detail,
        objective_name=objective_name(step.detail, lang),
        rule=(step.rule_vi or step.rule) if lang == "vi" else step.rule,
    )


def final_label(lang: str = "en") -> str:
    """The last line of a waterfall: 'final allocation'."""
    return labels.STEPS.get(lang, labels.STEPS["en"])["final"]


# ----------------------------------------------------------------------------- stories


def story(w: Waterfall, lang: str = "en") -> str:
    """A unit's waterfall in words, in ``lang``: its need and gap, what the formula gives,
    what each step adds or removes, the final amount against its baseline, its flags."""
    words = labels.STORY.get(lang, labels.STORY["en"])
    f = w.facts

    def mvnd(amount: float) -> str:
        return money(amount, lang, unit="million")

    merged = len(f.predecessors) > 1
    head = words["head"].format(name=w.name, code=w.code, year=w.year)
    if merged:
        head += words["merged"].format(predecessors=", ".join(f.predecessors))
    lines = [head + "."]
    lines.append(
        words["need"].format(
            need=mvnd(f.need),
            capacity=mvnd(f.capacity),
            gap=mvnd(f.gap),
            share=percent(f.gap_share, 2, lang),
            envelope=money(f.envelope, lang),
            formula=mvnd(w.steps[0].amount),
        )
    )
    for step in w.steps[1:]:
        if abs(step.amount) < 0.5:
            if step.is_rule:
                lines.append(words["unchanged"].format(step=step.label(lang)))
            continue
        verb = "adds" if step.amount > 0 else "removes"
        lines.append(words[verb].format(step=step.label(lang), amount=mvnd(abs(step.amount))))
    base = f.baseline
    basis = words["basis.merged" if merged else "basis.single"]
    if f.basis_year is not None:  # last year's transfers from another scenario's result
        basis = words["basis.year"].format(year=f.basis_year)
    lines.append(
        words["final"].format(
            final=mvnd(w.final),
            basis=basis,
            baseline=mvnd(base),
            change=percent((w.final - base) / base, 1, lang, sign=True)
            if base > 0
            else words["no_baseline"],
            per_capita=number(f.per_capita, 2, lang),
            share_of_need=percent(f.share_of_need, 1, lang),
        )
    )
    if f.flags:
        lines.append(words["flags"].format(flags=flag_text(f.flags, lang)))
    if f.abc is not None:
        lines += abc_story(f.abc, lang)
    if f.budget is not None:
        from fiscal.prose.budget import budget_story  # prose.budget reads these labels

        lines += budget_story(f.budget, lang)
    if f.illustrative:
        lines.append(words["illustrative"])
    return "\n".join(lines)


def class_name(cls: str, lang: str = "en") -> str:
    """A fiscal class of :mod:`fiscal.sharing` in ``lang``."""
    return labels.CLASSES.get(lang, labels.CLASSES["en"]).get(cls, cls)


def abc_story(f: AbcFacts, lang: str = "en") -> list[str]:
    """A unit's rate and balancing transfer in sentences: the A/B/C computation, the rate
    model's choice, its predecessors and whether it is held harmless against them."""
    words = labels.ABC.get(lang, labels.ABC["en"])

    def mvnd(amount: float) -> str:
        return money(amount, lang, unit="million")

    cls = class_name(f.fiscal_class, lang)
    out = []
    gap = f.need - f.local
    if f.mode == "period_start":
        out.append(
            words["start"].format(need=mvnd(f.need), local=mvnd(f.local), shared=mvnd(f.shared))
        )
        if gap >= f.shared:
            out.append(
                words["start.receiving"].format(
                    gap=mvnd(gap), name=f.name, transfer=mvnd(f.need - f.local - f.shared)
                )
            )
        else:
            out.append(
                words["start.remitting"].format(
                    gap=mvnd(gap),
                    exact=number(f.exact_rate, 2, lang),
                    formula_rate=f.formula_rate,
                    name=f.name,
                )
            )
    else:
        topup = words["within.topup"].format(topup=mvnd(f.topup)) if f.topup else ""
        out.append(
            words["within"].format(
                rate=f.rate,
                baseline=mvnd(f.baseline),
                uplift=percent(f.uplift, 0, lang),
                topup=topup,
                transfer=mvnd(f.mechanism),
            )
        )
    if f.chosen and f.rate != f.formula_rate:
        req = (
            ""
            if f.requirement is None
            else words["chosen.requirement"].format(requirement=mvnd(f.requirement))
        )
        out.append(
            words["chosen"].format(
                rate=f.rate, formula_rate=f.formula_rate, band=f.band, requirement=req
            )
        )
    elif f.chosen:
        out.append(words["kept"].format(rate=f.rate, band=f.band))
    if f.rate < 100:
        out.append(
            words["remits"].format(
                rate=f.rate, remits=100 - f.rate, remitted=mvnd(f.remitted), cls=cls
            )
        )
    else:
        out.append(words["receives"].format(transfer=mvnd(f.transfer), cls=cls))
    if len(f.predecessors) > 1:
        parts = [
            words["pred.received"].format(name=p["name"], amount=mvnd(p["balancing"]))
            if p["balancing"] > 0
            else words["pred.remitted"].format(
                name=p["name"], rate=p["rate"], amount=mvnd(p["remitted"])
            )
            for p in f.predecessors
        ]
        out.append(words["predecessors"].format(list="; ".join(parts)))
        if f.reference is not None:
            diff = f.resources - f.reference
            verdict = (
                words["held"].format(diff=mvnd(diff))
                if diff >= 0
                else words["short"].format(diff=mvnd(-diff))
            )
            out.append(
                words["reference"].format(
                    reference=mvnd(f.reference), resources=mvnd(f.resources), verdict=verdict
                )
            )
    return out


# ----------------------------------------------------------------------------- settings


def setting_label(path: str, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
    """A scenario setting by what a person calls it, not its dotted path:
    ``constraints.hold-harmless.ratio`` → 'hold-harmless · ratio × baseline';
    ``need.criteria.population.coefficients.Mekong River Delta`` → 'need: population ·
    coefficient for Mekong River Delta' ('tiêu chí: dân số · hệ số của Đồng bằng sông Cửu
    Long'). ``names`` maps an entry (``constraints.<name>``, ``need.criteria.<indicator>``,
    ``sectors.<name>``) to the name to show (its ``name_vi``, a column's Vietnamese name)."""
    words = labels.SETTINGS.get(lang, labels.SETTINGS["en"])
    names = names or {}
    if path in words:
        return words[path]
    parts = path.split(".")
    if parts[0] == "lines" and len(parts) > 2:
        return _line_setting(parts, words, names, lang)
    for prefix, word in (
        ("constraints", "rule"),
        ("need.criteria", "criterion"),
        ("sectors", "sector"),
    ):
        depth = prefix.count(".") + 1
        if path.startswith(prefix + ".") and len(parts) > depth:
            entry = ".".join(parts[: depth + 1])
            shown = names.get(entry, parts[depth])
            if entry not in names and word == "criterion" and lang == "vi":
                shown = labels.COLUMNS["vi"].get(shown, shown)
            rest = parts[depth + 1 :]
            if not rest:
                return f"{words[word]}: {shown}"
            if rest[0] == "coefficients" and len(rest) > 1:
                value = ".".join(rest[1:])
                if lang == "vi":
                    value = labels.REGIONS["vi"].get(value, value)
                field = words["coefficient"].format(value=value)
            else:
                field = words.get(rest[0], ".".join(rest))
            return f"{words[word]}: {shown} · {field}"
    return path


def _line_setting(
    parts: list[str], words: Mapping[str, str], names: Mapping[str, str], lang: str
) -> str:
    """``lines.<name>.envelope`` → 'line: Targeted transfers · envelope (million VND)'; a
    formula's rate and an optimised line's rule by their names (``names``: ``lines.<name>``,
    ``lines.<name>.constraints.<rule>``)."""
    from fiscal.prose.budget import LINES

    entry = ".".join(parts[:2])
    head = f"{words['line']}: {names.get(entry, parts[1])}"
    rest = parts[2:]
    if rest[0] == "criteria" and len(rest) > 2:
        budget_words = LINES.get(lang, LINES["en"])
        indicator = budget_words.get(f"ind.{rest[1]}", rest[1])
        return f"{head} · {indicator} · {words.get(rest[2], rest[2])}"
    if rest[0] == "central_share" and len(rest) > 1:  # a co-financed line's share of a class
        cls = ".".join(rest[1:])
        shown = labels.CLASSES.get(lang, labels.CLASSES["en"]).get(cls, cls)
        return f"{head} · {words['line.central_share'].format(cls=shown)}"
    if rest[0] == "constraints" and len(rest) > 2:
        rule = names.get(".".join(parts[:5]), rest[1])
        return f"{head} · {words['rule']}: {rule} · {words.get(rest[2], rest[2])}"
    field = ".".join(rest)
    return f"{head} · {words.get(f'line.{field}', words.get(field, field))}"


def setting_value(value: Any, lang: str = "en", key: str = "") -> str:
    """A setting's value in words: numbers the language's way, yes/no, a rule kind, an
    objective or a region by name (``key`` is the setting's last key)."""
    yes_no = {"en": ("yes", "no"), "vi": ("có", "không")}.get(lang, ("yes", "no"))
    if value is None:
        return "–"
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, int | float):
        return plain(value, 6, lang)
    if isinstance(value, list):
        sep = "; " if lang == "vi" else ", "
        return "[" + sep.join(setting_value(v, lang, key) for v in value) + "]"
    if isinstance(value, Mapping):
        sep = "; " if lang == "vi" else ", "
        if key == "where":  # columns and the values they must have (inside a '; ' list)
            return ", ".join(
                f"{setting_value(k, lang, 'by')} = {setting_value(v, lang, 'region')}"
                for k, v in value.items()
            )
        return sep.join(
            f"{setting_value(k, lang, 'region')} = {setting_value(v, lang)}"
            for k, v in value.items()
        )
    text = str(value)
    if key == "by" and lang == "vi":
        return labels.COLUMNS["vi"].get(text, text)
    if key == "kind":
        return (
            objective_name(text, lang) if text in labels.OBJECTIVES["en"] else kind_name(text, lang)
        )
    if lang == "vi":
        return labels.REGIONS["vi"].get(text, labels.WORDS["vi"].get(text, text))
    return text


def describe_entry(entry: Mapping[str, Any], lang: str = "en") -> str:
    """A rule, criterion or sector in a few words: its settings that are not trivial
    ('kind = cap, ratio = 1.1'; in Vietnamese with the settings' names)."""
    parts = []
    words = labels.SETTINGS.get(lang, labels.SETTINGS["en"])
    for k, v in entry.items():
        if k in ("description", "source") or k.endswith(("_source", "_vi")):
            continue
        if k in ("name", "indicator", "unit"):
            continue
        if v in (False, None, "") or (isinstance(v, list | dict) and not v):
            continue
        if k == "penalty" and not entry.get("soft"):
            continue
        if lang == "en":
            parts.append(f"{k} = {setting(v)}")
        else:
            parts.append(f"{words.get(k, k)} = {setting_value(v, lang, k)}")
    return (", " if lang == "en" else "; ").join(parts)
