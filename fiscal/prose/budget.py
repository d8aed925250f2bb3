"""The whole budget in words, in English and Vietnamese: transfer lines, their rules, the
whole-budget rules (:mod:`fiscal.lines`, :mod:`fiscal.budget_rules`).

:data:`LINES` holds the words (names of allocation rules, eligibility classes, budget-rule
kinds, table columns, the sentences of a unit's budget story); :func:`budget_story` writes a
unit's lines and rules as sentences (Why this number, ``fiscal explain``);
:func:`budget_summary` is what ``fiscal solve`` prints; :func:`line_name` and
:func:`column_name` are the names the tables and the workbook show.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from fiscal.prose import labels
from fiscal.prose.numbers import money, number, percent

if TYPE_CHECKING:
    from fiscal.lines.budget import Budget
    from fiscal.lines.facts import LineFact, RuleFact, UnitBudget

__all__ = [
    "LINES",
    "base_name",
    "budget_labels",
    "budget_story",
    "budget_summary",
    "column_name",
    "line_name",
    "rule_kind_name",
    "rule_name",
]

LINES: dict[str, dict[str, str]] = {
    "en": {
        # names
        "line.balancing": "Balancing transfer",
        "line.merger_support_rule": "Merger support (rule)",
        "rule.balancing": "the scenario's allocation",
        "rule.rule": "a rule of the balancing allocation",
        "rule.fixed": "fixed list from a decision",
        "rule.formula": "formula",
        "rule.cofinance": "co-financing by fiscal class",
        "rule.optimise": "optimised",
        "rule.top_up": "top-up to a minimum",
        "rule.points": "points (criteria × points)",
        "eligible.all": "all units",
        "eligible.receiving": "units receiving a balancing transfer",
        "eligible.non_receiving": "units not receiving a balancing transfer",
        "eligible.merged": "merged units",
        "eligible.merged_receiving": "merged units receiving a balancing transfer",
        "kind.earmark_share": "sector floor (share of spending)",
        "kind.debt_ceiling": "debt ceiling",
        "kind.per_capita_min": "minimum per person",
        "kind.hold_harmless": "hold-harmless",
        "base.total": "total resources",
        "base.kept": "revenue kept",
        "base.capacity": "revenue kept without land fees and lottery",
        "ind.spending_need": "spending need A",
        "ind.population": "population",
        "ind.eliminated_provinces": "reduced provinces",
        "ind.eliminated_communes": "reduced communes",
        "ind.communes": "communes",
        "ind.area_km2": "area, km²",
        "ind.transfer_dependence": "balancing transfer / A",
        "col.revenue_kept": "revenue kept",
        "col.capital_revenue": "of which land fees and lottery",
        "col.transfers_total": "all transfer lines",
        "col.resources_total": "total resources",
        # a unit's story
        "head": "The whole budget of {name} in {year} (million VND): revenue kept {kept} (of "
        "which land fees and lottery {capital}) + transfer lines {transfers} = resources "
        "{resources}.",
        "balancing": "{line}: {amount} (the allocation explained above).",
        "rule": "{line}: {amount}, paid by a rule of the balancing allocation.",
        "not_eligible": "{line}: nothing; only {eligibility} receive it.",
        "known": "{line}: {amount}, the real amount ({source}).",
        "fixed": "{line}: {amount}, the amount the decision lists for this unit ({source}).",
        "fixed.none": "{line}: nothing; the decision does not list this unit.",
        "formula": "{line}: formula {terms} = {claim}.",
        "formula.scaled": "{line}: {amount}; its formula {terms} = {claim}, and the line's "
        "envelope {envelope} is shared in proportion to the eligible units' formula amounts.",
        "cofinance": "{line}: {amount}; the centre pays {share} of the cost ({cls}, Decree "
        "09/2025/NĐ-CP Art. 7.2): {share} × {cost} = {claim}{scaled}.",
        "cofinance.scaled": ", and the line's envelope {envelope} is shared in proportion to "
        "these claims",
        "points": "{line}: {amount}; {points} points ({terms}), so {share} of the line's "
        "envelope {envelope}, shared in proportion to the eligible units' points.",
        "optimise": "{line}: {amount}, allocated by {objective} on need {need}, with resources "
        "of {before} before this line.",
        "top_up": "{line}: {amount}; the unit must have at least {required}, and had {before} "
        "before this line: short by {short}{scaled}.",
        "top_up.scaled": ", paid in proportion within the line's ceiling {envelope}",
        "estimated": " (how the line is shared among units is illustrative)",
        "priority.yes": " Priority (balancing transfer at least {threshold} of the spending need "
        "A): its balancing transfer {transfer} is {ratio} of its spending need A ({need}), so its "
        "claim counts × {factor}{est}.",
        "priority.no": " No priority: its balancing transfer {transfer} is {ratio} of its "
        "spending need A ({need}), below {threshold}.",
        "priority.estimated": " (the size of the priority is illustrative)",
        "summary.priority": "priority (balancing transfer ≥ {threshold} of A) for {count} "
        "units: {units}",
        "rule.holds": "{rule} ({kind}, on {base}): requires {bound} {required}; has {measured} "
        "({margin} to spare).",
        "rule.breach": "{rule} ({kind}, on {base}): requires {bound} {required}; has {measured}: "
        "short by {gap}.",
        "rule.breach.max": "{rule} ({kind}, on {base}): at most {required}; has {measured}: "
        "over by {gap}.",
        "rule.unjudged": "{rule} ({kind}, on {base}): requires {bound} {required} (no figure "
        "for this unit to judge it by).",
        "bound.min": "at least",
        "bound.max": "at most",
        "debt": "{rule} ({kind}): {ratio} of revenue kept for a unit that {receives}: at most "
        "{required}{has}.",
        "debt.receives": "receives a balancing transfer",
        "debt.other": "does not receive one",
        "debt.has": "; its debt is {measured}: {verdict}",
        "debt.ok": "within the ceiling",
        "debt.over": "over by {gap}",
        # solve summary
        "summary.head": "Transfer lines (million VND):",
        "summary.line": "  {line:<48} {total:>18} {note}",
        "summary.total": "  {line:<48} {total:>18}",
        "summary.all": "All lines",
        "summary.units": "{units} units",
        "summary.known": "{known} real per-unit amounts",
        "summary.reconciles": "= its envelope",
        "summary.differs": "DIFFERS from its envelope {envelope} by {diff}",
        "summary.ceiling": "within its ceiling {envelope} ({diff} unspent)",
        "summary.rules": "Whole-budget rules:",
        "summary.estimated": "  NOTE: how these lines are shared among units is illustrative "
        "(their totals are as stated): {lines}",
        "summary.rule.holds": "  {rule} ({kind}, on {base}): holds for every unit judged",
        "summary.rule.breach": "  {rule} ({kind}, on {base}): does not hold for {count} "
        "unit(s): {units}",
        "summary.rule.unjudged": "  {rule} ({kind}, on {base}): requirement only (no figures "
        "to judge by)",
    },
    "vi": {
        "line.balancing": "Bổ sung cân đối",
        "line.merger_support_rule": "Hỗ trợ sắp xếp (theo quy tắc)",
        "rule.balancing": "phân bổ của kịch bản",
        "rule.rule": "một quy tắc của phân bổ bổ sung cân đối",
        "rule.fixed": "danh sách cố định theo quyết định",
        "rule.formula": "công thức",
        "rule.cofinance": "đối ứng theo nhóm địa phương",
        "rule.optimise": "tối ưu hóa",
        "rule.top_up": "bổ sung đến mức tối thiểu",
        "rule.points": "phân bổ theo điểm (tiêu chí × điểm)",
        "eligible.all": "mọi đơn vị",
        "eligible.receiving": "các đơn vị nhận bổ sung cân đối",
        "eligible.non_receiving": "các đơn vị không nhận bổ sung cân đối",
        "eligible.merged": "các đơn vị hợp nhất",
        "eligible.merged_receiving": "các đơn vị hợp nhất có nhận bổ sung cân đối",
        "kind.earmark_share": "mức chi tối thiểu cho lĩnh vực (tỷ lệ trên tổng chi)",
        "kind.debt_ceiling": "hạn mức dư nợ",
        "kind.per_capita_min": "mức tối thiểu bình quân đầu người",
        "kind.hold_harmless": "bảo đảm không thấp hơn",
        "base.total": "tổng nguồn lực",
        "base.kept": "thu NSĐP được hưởng theo phân cấp",
        "base.capacity": "thu được hưởng không gồm tiền sử dụng đất và xổ số",
        "ind.spending_need": "nhu cầu chi A",
        "ind.population": "dân số",
        "ind.eliminated_provinces": "số tỉnh giảm",
        "ind.eliminated_communes": "số xã giảm",
        "ind.communes": "số xã",
        "ind.area_km2": "diện tích, km²",
        "ind.transfer_dependence": "bổ sung cân đối / A",
        "col.revenue_kept": "thu NSĐP được hưởng theo phân cấp",
        "col.capital_revenue": "trong đó tiền sử dụng đất và xổ số",
        "col.transfers_total": "tổng các khoản bổ sung",
        "col.resources_total": "tổng nguồn lực",
        "head": "Toàn bộ ngân sách của {name} năm {year} (triệu đồng): thu NSĐP được hưởng "
        "{kept} (trong đó tiền sử dụng đất và xổ số {capital}) + các khoản bổ sung {transfers} = "
        "tổng nguồn lực {resources}.",
        "balancing": "{line}: {amount} (phân bổ đã giải thích ở trên).",
        "rule": "{line}: {amount}, chi theo một quy tắc của phân bổ bổ sung cân đối.",
        "not_eligible": "{line}: không có; chỉ {eligibility} được nhận.",
        "known": "{line}: {amount}, số thực tế ({source}).",
        "fixed": "{line}: {amount}, số quyết định giao cho đơn vị ({source}).",
        "fixed.none": "{line}: không có; quyết định không giao cho đơn vị này.",
        "formula": "{line}: công thức {terms} = {claim}.",
        "formula.scaled": "{line}: {amount}; công thức {terms} = {claim}, và tổng mức {envelope} "
        "của khoản này được chia theo tỷ lệ số theo công thức của các đơn vị được nhận.",
        "cofinance": "{line}: {amount}; ngân sách trung ương hỗ trợ {share} chi phí ({cls}, Nghị "
        "định 09/2025/NĐ-CP Điều 7.2): {share} × {cost} = {claim}{scaled}.",
        "cofinance.scaled": ", và tổng mức {envelope} của khoản này được chia theo tỷ lệ các số đó",
        "points": "{line}: {amount}; {points} điểm ({terms}), tức {share} tổng mức {envelope} "
        "của khoản này, chia theo tỷ lệ điểm của các đơn vị được nhận.",
        "optimise": "{line}: {amount}, phân bổ theo {objective} trên nhu cầu chi {need}, với "
        "nguồn lực trước khoản này là {before}.",
        "top_up": "{line}: {amount}; đơn vị cần tối thiểu {required}, trước khoản này có "
        "{before}: thiếu {short}{scaled}.",
        "top_up.scaled": ", được bù theo tỷ lệ trong mức trần {envelope} của khoản này",
        "estimated": " (cách chia cho từng đơn vị là minh họa)",
        "priority.yes": " Được ưu tiên (bổ sung cân đối từ {threshold} nhu cầu chi A trở lên): bổ "
        "sung cân đối {transfer} bằng {ratio} nhu cầu chi A ({need}), nên phần được chia tính "
        "× {factor}{est}.",
        "priority.no": " Không được ưu tiên: bổ sung cân đối {transfer} bằng {ratio} nhu cầu chi "
        "A ({need}), dưới mức {threshold}.",
        "priority.estimated": " (mức ưu tiên là minh họa)",
        "summary.priority": "ưu tiên (bổ sung cân đối ≥ {threshold} A) cho {count} đơn vị: {units}",
        "rule.holds": "{rule} ({kind}, trên {base}): yêu cầu {bound} {required}; có {measured} "
        "(dư {margin}).",
        "rule.breach": "{rule} ({kind}, trên {base}): yêu cầu {bound} {required}; có {measured}: "
        "thiếu {gap}.",
        "rule.breach.max": "{rule} ({kind}, trên {base}): tối đa {required}; có {measured}: "
        "vượt {gap}.",
        "rule.unjudged": "{rule} ({kind}, trên {base}): yêu cầu {bound} {required} (không có số "
        "liệu của đơn vị để đối chiếu).",
        "bound.min": "tối thiểu",
        "bound.max": "tối đa",
        "debt": "{rule} ({kind}): {ratio} số thu được hưởng đối với địa phương {receives}: tối "
        "đa {required}{has}.",
        "debt.receives": "có nhận bổ sung cân đối",
        "debt.other": "không nhận bổ sung cân đối",
        "debt.has": "; dư nợ là {measured}: {verdict}",
        "debt.ok": "trong hạn mức",
        "debt.over": "vượt {gap}",
        "summary.head": "Các khoản bổ sung (triệu đồng):",
        "summary.line": "  {line:<48} {total:>18} {note}",
        "summary.total": "  {line:<48} {total:>18}",
        "summary.all": "Tổng các khoản",
        "summary.units": "{units} đơn vị",
        "summary.known": "{known} số thực tế theo đơn vị",
        "summary.reconciles": "= tổng mức",
        "summary.differs": "KHÁC tổng mức {envelope}: chênh {diff}",
        "summary.ceiling": "trong mức trần {envelope} (còn {diff} chưa dùng)",
        "summary.rules": "Quy tắc trên toàn bộ ngân sách:",
        "summary.estimated": "  LƯU Ý: cách chia các khoản sau cho từng đơn vị là minh họa "
        "(tổng mức theo số liệu nêu): {lines}",
        "summary.rule.holds": "  {rule} ({kind}, trên {base}): đạt ở mọi đơn vị được đối chiếu",
        "summary.rule.breach": "  {rule} ({kind}, trên {base}): không đạt ở {count} đơn vị: "
        "{units}",
        "summary.rule.unjudged": "  {rule} ({kind}, trên {base}): chỉ nêu yêu cầu (không có số "
        "liệu để đối chiếu)",
    },
}


def _words(lang: str) -> dict[str, str]:
    return LINES.get(lang, LINES["en"])


def _class_name(cls: str, lang: str = "en") -> str:
    return labels.CLASSES.get(lang, labels.CLASSES["en"]).get(cls, cls)


def _objective_name(kind: str, lang: str = "en") -> str:
    return labels.OBJECTIVES.get(lang, labels.OBJECTIVES["en"]).get(kind, kind)


def line_name(name: str, label: str = "", label_vi: str = "", lang: str = "en") -> str:
    """The name a line is shown by: its label in ``lang``, else the built-in name, else its key."""
    words = _words(lang)
    if lang == "vi" and label_vi:
        return label_vi
    if f"line.{name}" in words:
        return words[f"line.{name}"]
    return label or name


def rule_kind_name(kind: str, lang: str = "en") -> str:
    """A whole-budget rule kind in ``lang``."""
    return _words(lang).get(f"kind.{kind}", kind)


def column_name(column: str, lines: dict[str, tuple[str, str]], lang: str = "en") -> str:
    """A budget table column in ``lang``: ``line_<name>`` by the line's label, the totals by
    name; ``lines`` maps a line's name to its (label, label_vi)."""
    if column.startswith("line_"):
        name = column[len("line_") :]
        label, label_vi = lines.get(name, ("", ""))
        return line_name(name, label, label_vi, lang)
    return _words(lang).get(f"col.{column}", column)


def base_name(base: str, labels: dict[str, tuple[str, str]], lang: str = "en") -> str:
    """What a whole-budget rule applies to, in ``lang``: total resources, revenue kept, a line,
    or a sum of them (``kept+balancing``); ``labels`` maps a line to its (label, label_vi)."""
    words = _words(lang)
    out = []
    for part in base.split("+"):
        part = part.strip()
        if part in ("total", "kept", "capacity"):
            out.append(words[f"base.{part}"])
        else:
            label, label_vi = labels.get(part, ("", ""))
            out.append(line_name(part, label, label_vi, lang))
    return " + ".join(out)


def budget_labels(budget: Budget) -> dict[str, tuple[str, str]]:
    """Each line's (label, label_vi), for :func:`base_name` and :func:`column_name`."""
    return {
        la.name: (la.label, (la.settings.label_vi if la.settings is not None else "") or "")
        for la in budget.lines
    }


def _line_sentence(la: LineFact, lang: str) -> str:
    words = _words(lang)

    def mvnd(amount: float) -> str:
        return money(amount, lang, unit="million")

    line = line_name(la.name, la.label, la.label_vi, lang)
    amount = mvnd(la.amount)
    if la.rule in ("balancing", "rule"):
        return words[la.rule].format(line=line, amount=amount)
    if not la.eligible:
        elig = words.get(f"eligible.{la.eligibility}", la.eligibility)
        return words["not_eligible"].format(line=line, eligibility=elig)
    if lang == "vi":
        source = la.amounts_source_vi or la.source_vi or la.amounts_source or la.source
    else:
        source = la.amounts_source or la.source
    if la.known and la.rule != "fixed":
        return words["known"].format(line=line, amount=amount, source=source)
    est = words["estimated"] if la.estimated else ""
    if la.rule == "fixed":
        if not la.known:
            return words["fixed.none"].format(line=line)
        return words["fixed"].format(line=line, amount=amount, source=source)
    terms = " + ".join(
        f"{number(rate, 6, lang, tidy=True).rstrip('0').rstrip(',.') or '0'} × "
        f"{number(value, 0, lang)} ({words.get(f'ind.{indicator}', indicator)})"
        for rate, value, indicator in la.terms
        if math.isfinite(value)
    )
    envelope = money(la.envelope, lang) if la.envelope is not None else ""
    if la.rule == "formula":
        claim = mvnd(la.parts.get("formula", la.amount))
        key = (
            "formula.scaled"
            if abs(la.parts.get("formula", la.amount) - la.amount) >= 0.5
            else "formula"
        )
        return (
            words[key].format(line=line, amount=amount, terms=terms, claim=claim, envelope=envelope)
            + est
        )
    if la.rule == "cofinance":
        scaled = (
            words["cofinance.scaled"].format(envelope=envelope)
            if abs(la.parts.get("claim", la.amount) - la.amount) >= 0.5
            else ""
        )
        return (
            words["cofinance"].format(
                line=line,
                amount=amount,
                share=percent(la.parts.get("central_share", 0.0), 0, lang),
                cls=_class_name(la.fiscal_class, lang),
                cost=mvnd(la.parts.get("cost", 0.0)),
                claim=mvnd(la.parts.get("claim", 0.0)),
                scaled=scaled,
            )
            + est
        )
    if la.rule == "top_up":
        short = la.parts.get("shortfall", 0.0)
        scaled = (
            words["top_up.scaled"].format(envelope=envelope)
            if abs(short - la.amount) >= 0.5
            else ""
        )
        return words["top_up"].format(
            line=line,
            amount=amount,
            required=mvnd(la.parts.get("required", 0.0)),
            before=mvnd(la.parts.get("resources_before", 0.0)),
            short=mvnd(short),
            scaled=scaled,
        )
    if la.rule == "points":
        terms = ", ".join(
            f"{words.get(f'ind.{k[7:]}', k[7:])} {number(v, 1, lang, tidy=True)}"
            for k, v in la.parts.items()
            if k.startswith("points.")
        )
        share = la.amount / la.envelope if la.envelope else 0.0
        return (
            words["points"].format(
                line=line,
                amount=amount,
                points=number(la.parts.get("points", 0.0), 1, lang, tidy=True),
                terms=terms,
                share=percent(share, 2, lang),
                envelope=envelope,
            )
            + est
        )
    return (
        words["optimise"].format(
            line=line,
            amount=amount,
            objective=_objective_name(la.objective, lang),
            need=mvnd(la.parts.get("need", 0.0)),
            before=mvnd(la.parts.get("resources_before", 0.0)),
        )
        + est
    )


def rule_name(name: str, name_vi: str = "", lang: str = "en") -> str:
    """A whole-budget rule's name in ``lang`` (its ``name_vi`` in Vietnamese, if given)."""
    return name_vi if lang == "vi" and name_vi else name


def _rule_sentence(r: RuleFact, ub: UnitBudget, lang: str) -> str:
    words = _words(lang)
    name = rule_name(r.name, r.name_vi, lang)

    def mvnd(amount: float) -> str:
        return money(amount, lang, unit="million")

    kind = rule_kind_name(r.kind, lang)
    if r.kind == "debt_ceiling":
        receives = ub.fiscal_class == "receiving"
        has = ""
        if math.isfinite(r.measured):
            verdict = (
                words["debt.over"].format(gap=mvnd(-r.margin)) if r.breach else words["debt.ok"]
            )
            has = words["debt.has"].format(measured=mvnd(r.measured), verdict=verdict)
        return words["debt"].format(
            rule=name,
            kind=kind,
            ratio=percent(r.ratio or 0.0, 0, lang),
            receives=words["debt.receives" if receives else "debt.other"],
            required=mvnd(r.required),
            has=has,
        )
    if r.share is not None:
        kind = f"{kind} {percent(r.share, 0, lang)}"
    fmt: dict[str, Any] = {
        "rule": name,
        "kind": kind,
        "base": base_name(r.base, {la.name: (la.label, la.label_vi) for la in ub.lines}, lang),
        "bound": words[f"bound.{r.bound}"],
        "required": mvnd(r.required),
        "measured": mvnd(r.measured),
    }
    if not math.isfinite(r.measured):
        return words["rule.unjudged"].format(**fmt)
    if r.breach:
        key = "rule.breach" if r.bound == "min" else "rule.breach.max"
        return words[key].format(gap=mvnd(-r.margin), **fmt)
    return words["rule.holds"].format(margin=mvnd(r.margin), **fmt)


def _priority_sentence(la: LineFact, lang: str) -> str:
    """Whether a unit has the line's priority, its ratio and why ("" without a priority)."""
    if "priority.ratio" not in la.parts or not la.eligible or la.known:
        return ""
    words = _words(lang)
    p = la.parts
    figures = {
        "threshold": percent(p["priority.threshold"], 0, lang),
        "transfer": money(p["priority.transfer"], lang, unit="million"),
        "need": money(p["priority.need"], lang, unit="million"),
        "ratio": percent(p["priority.ratio"], 1, lang),
    }
    if not p["priority.qualifies"]:
        return words["priority.no"].format(**figures)
    return words["priority.yes"].format(
        **figures,
        factor=number(p["priority.factor"], 2, lang, tidy=True),
        est=words["priority.estimated"] if la.estimated else "",
    )


def budget_story(ub: UnitBudget, lang: str = "en") -> list[str]:
    """A unit's whole budget in sentences: revenue kept + each line = resources, how each line's
    amount comes about, and each whole-budget rule against the unit's figures."""
    words = _words(lang)

    def mvnd(amount: float) -> str:
        return money(amount, lang, unit="million")

    out = [
        words["head"].format(
            name=ub.name,
            year=ub.year,
            kept=mvnd(ub.kept),
            capital=mvnd(ub.capital_revenue),
            transfers=mvnd(ub.transfers),
            resources=mvnd(ub.resources),
        )
    ]
    out += [_line_sentence(la, lang) + _priority_sentence(la, lang) for la in ub.lines]
    out += [_rule_sentence(r, ub, lang) for r in ub.rules]
    return out


def _priority_summary(budget: Budget, la: Any, lang: str) -> str:
    where = la.parts["priority.qualifies"] > 0
    names = [f"{c} {n}" for c, n in zip(budget.codes[where], budget.names[where], strict=True)]
    return _words(lang)["summary.priority"].format(
        threshold=percent(float(la.parts["priority.threshold"][0]), 0, lang),
        count=len(names),
        units=", ".join(names[:5]) + (" …" if len(names) > 5 else ""),
    )


def budget_summary(budget: Budget, lang: str = "en") -> str:
    """``fiscal solve``: each line's total (first year), all lines, and each rule's verdict."""
    words = _words(lang)
    out = [words["summary.head"]]
    for la in budget.lines:
        s = la.settings
        name = line_name(la.name, la.label, s.label_vi if s is not None else "", lang)
        notes = [words["summary.units"].format(units=int((la.amount[0] > 0).sum()))]
        if la.known.any():
            notes.append(words["summary.known"].format(known=int(la.known.sum())))
        if la.envelope is not None:
            diff = float(la.total[0]) - la.envelope
            if diff == 0:
                notes.append(words["summary.reconciles"])
            elif la.rule == "top_up" and diff < 0:
                notes.append(
                    words["summary.ceiling"].format(
                        envelope=number(la.envelope, 0, lang), diff=number(-diff, 0, lang)
                    )
                )
            else:
                notes.append(
                    words["summary.differs"].format(
                        envelope=number(la.envelope, 0, lang),
                        diff=number(diff, 0, lang, sign=True),
                    )
                )
        out.append(
            words["summary.line"].format(
                line=name, total=number(la.total[0], 0, lang), note="; ".join(notes)
            )
        )
        if "priority.qualifies" in la.parts:
            out.append("    " + _priority_summary(budget, la, lang))
    out.append(
        words["summary.total"].format(
            line=words["summary.all"], total=number(budget.transfers[0].sum(), 0, lang)
        )
    )
    estimated = [
        line_name(la.name, la.label, la.settings.label_vi, lang)
        for la in budget.lines
        if la.estimated and la.settings is not None
    ]
    if estimated:
        out.append(words["summary.estimated"].format(lines=", ".join(estimated)))
    labels = budget_labels(budget)
    if budget.checks:
        out.append(words["summary.rules"])
    for c in budget.checks:
        base = base_name("kept" if c.kind == "debt_ceiling" else c.base, labels, lang)
        kind = rule_kind_name(c.kind, lang)
        if c.setting.min_share is not None:
            kind = f"{kind} {percent(c.setting.min_share, 0, lang)}"
        fmt = {"rule": rule_name(c.name, c.setting.name_vi, lang), "kind": kind, "base": base}
        if not c.judged.any():
            out.append(words["summary.rule.unjudged"].format(**fmt))
        elif c.holds:
            out.append(words["summary.rule.holds"].format(**fmt))
        else:
            where = c.breach.any(axis=0)
            names = [
                f"{code} {name}"
                for code, name in zip(budget.codes[where], budget.names[where], strict=True)
            ]
            out.append(
                words["summary.rule.breach"].format(
                    count=int(where.sum()),
                    units=", ".join(names[:5]) + (" …" if len(names) > 5 else ""),
                    **fmt,
                )
            )
    return "\n".join(out)
