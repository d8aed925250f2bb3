"""Words of the capital and execution views (:mod:`fiscal.capital`, :mod:`fiscal.execution`) in
English and Vietnamese: column headers, sheet names, titles and notes of their exports, and the
command line's summaries. The app's pages read the same tables.
"""

from __future__ import annotations

from typing import Any

from fiscal.prose.numbers import money, number, percent

__all__ = [
    "COLUMNS",
    "NOTES",
    "SHEETS",
    "TITLES",
    "capital_note",
    "capital_text",
    "column",
    "drawdown_text",
    "estimated_words",
    "localise",
    "outturn_text",
]

_MONTHS_EN = {f"m{m:02d}": f"Month {m}" for m in range(1, 13)}
_MONTHS_VI = {f"m{m:02d}": f"Tháng {m}" for m in range(1, 13)}

#: column headers, by language (money in million VND unless the header says đồng)
COLUMNS: dict[str, dict[str, str]] = {
    "en": {
        "code": "Code",
        "name": "Unit",
        "year": "Year",
        "annual": "Annual balancing transfer",
        **_MONTHS_EN,
        "q1": "Q1 total",
        "q1_share": "Q1 share of the year",
        "max_month_after_q1_share": "Largest month after Q1 (share of the year)",
        "difference": "Annual − Σ months",
        "receiving": "Receives a balancing transfer",
        "spending_need": "A: balanced spending need",
        "recurrent_need": "Recurrent need",
        "capital_balanced": "Capital need in the balance",
        "land_fees": "Land-use fees kept",
        "lottery": "Lottery",
        "capital_need": "Capital need",
        "capital_line": "Capital line",
        "capital_resources": "Capital resources",
        "points": "Points",
        "share": "Share of the line",
        "five_year": "Capital line 2026–2030",
        "total": "Total",
        "need": "A: need",
        "kept": "Revenue kept (estimate)",
        "transfers": "Transfers (fixed)",
        "debt_opening": "Opening debt",
        "ceiling_ratio": "Debt ceiling (× revenue kept)",
        "below_at_estimate": "Below need at the estimate already",
        "factor_mean": "Mean outturn / estimate",
        "p_below_need": "Share of draws below need",
        "shortfall_mean": "Mean shortfall",
        "shortfall_p95": "Shortfall, 95th percentile",
        "unfunded_mean": "Mean unfunded (after borrowing for capital)",
        "p_breach": "Share of draws over the debt ceiling",
        "draw": "Draw",
        "units_below_need": "Units below need",
        "units_breach": "Units over the debt ceiling",
        "shortfall": "Total shortfall",
        "unfunded": "Total unfunded",
        "units": "Number of units",
        "draws_below_need": "Draws with this many units below need",
        "draws_breach": "Draws with this many units over the ceiling",
        "population": "Population points",
        "area": "Area points",
        "communes": "Commune points",
        "dependence": "Transfer-dependence points",
    },
    "vi": {
        "code": "Mã",
        "name": "Đơn vị",
        "year": "Năm",
        "annual": "Bổ sung cân đối cả năm",
        **_MONTHS_VI,
        "q1": "Cộng quý I",
        "q1_share": "Tỷ lệ quý I so với cả năm",
        "max_month_after_q1_share": "Tháng cao nhất sau quý I (tỷ lệ cả năm)",
        "difference": "Cả năm − tổng các tháng",
        "receiving": "Nhận bổ sung cân đối",
        "spending_need": "A: nhu cầu chi cân đối",
        "recurrent_need": "Nhu cầu chi thường xuyên",
        "capital_balanced": "Chi đầu tư trong cân đối",
        "land_fees": "Tiền sử dụng đất được hưởng",
        "lottery": "Xổ số kiến thiết",
        "capital_need": "Nhu cầu chi đầu tư",
        "capital_line": "Dòng vốn đầu tư",
        "capital_resources": "Nguồn chi đầu tư",
        "points": "Điểm",
        "share": "Tỷ trọng trong dòng vốn",
        "five_year": "Dòng vốn đầu tư 2026–2030",
        "total": "Tổng",
        "need": "A: nhu cầu chi",
        "kept": "Thu được hưởng (dự toán)",
        "transfers": "Bổ sung (giữ nguyên)",
        "debt_opening": "Dư nợ đầu kỳ",
        "ceiling_ratio": "Mức dư nợ tối đa (× thu được hưởng)",
        "below_at_estimate": "Thấp hơn nhu cầu ngay theo dự toán",
        "factor_mean": "Thực hiện / dự toán bình quân",
        "p_below_need": "Tỷ lệ số lần thấp hơn nhu cầu",
        "shortfall_mean": "Thiếu hụt bình quân",
        "shortfall_p95": "Thiếu hụt, phân vị 95",
        "unfunded_mean": "Thiếu hụt không bù đắp được bình quân (sau vay cho đầu tư)",
        "p_breach": "Tỷ lệ số lần vượt mức dư nợ tối đa",
        "draw": "Lần rút mẫu",
        "units_below_need": "Số đơn vị thấp hơn nhu cầu",
        "units_breach": "Số đơn vị vượt mức dư nợ",
        "shortfall": "Tổng thiếu hụt",
        "unfunded": "Tổng không bù đắp được",
        "units": "Số đơn vị",
        "draws_below_need": "Số lần có ngần ấy đơn vị thấp hơn nhu cầu",
        "draws_breach": "Số lần có ngần ấy đơn vị vượt mức dư nợ",
        "population": "Điểm dân số",
        "area": "Điểm diện tích",
        "communes": "Điểm số đơn vị cấp xã",
        "dependence": "Điểm mức phụ thuộc bổ sung cân đối",
    },
}

SHEETS: dict[str, dict[str, str]] = {
    "en": {
        "drawdown": "Drawdown",
        "units": "Units",
        "draws": "Draws",
        "counts": "Counts",
        "split": "Recurrent and capital",
        "points": "Points",
        "line": "Capital line by year",
        "years": "Five years",
        "notes": "Notes",
    },
    "vi": {
        "drawdown": "Rút dự toán",
        "units": "Đơn vị",
        "draws": "Các lần rút mẫu",
        "counts": "Đếm số đơn vị",
        "split": "Thường xuyên và đầu tư",
        "points": "Điểm",
        "line": "Dòng vốn theo năm",
        "years": "Năm năm",
        "notes": "Ghi chú",
    },
}

TITLES: dict[str, dict[str, str]] = {
    "en": {
        "drawdown": "Monthly drawdown of balancing transfers, {year} ({unit})",
        "outturn": "Revenue outturn: units below need and over the debt ceiling",
        "capital": "Recurrent and capital, 2026–2030 (million VND)",
        "million": "million VND",
        "dong": "VND",
        "TOTAL": "TOTAL",
    },
    "vi": {
        "drawdown": "Tiến độ rút dự toán bổ sung cân đối theo tháng, năm {year} ({unit})",
        "outturn": "Thực hiện thu: đơn vị thấp hơn nhu cầu chi và vượt mức dư nợ vay tối đa",
        "capital": "Chi thường xuyên và chi đầu tư, 2026–2030 (triệu đồng)",
        "million": "triệu đồng",
        "dong": "đồng",
        "TOTAL": "TỔNG CỘNG",
    },
}

NOTES: dict[str, dict[str, str]] = {
    "en": {
        "drawdown": "At most 1/12 of the year's amount a month; in Q1 at most 12 % a month and "
        "30 % for the quarter (Circular 26/2026/TT-BTC Art. 15.3a). Months rounded by largest "
        "remainder: every row reconciles exactly to its annual amount.",
        "drawdown_commune": "These are the caps on the centre's transfers to a province; "
        "for its communes the provincial People's Committee sets the monthly drawdown (same "
        "article, second paragraph).",
        "outturn": "Transfers fixed at the estimate; revenue kept, land-use fees and lottery "
        "drawn around the estimate. A shortfall may be borrowed for the capital part of A only; "
        "debt ceiling 120 % of revenue kept for non-receiving units, 80 % for receiving units "
        "(Law 89/2025/QH15 Art. 7). Seed {seed}, {draws} draws, revenue {revenue}.",
        "outturn_dist": "The spread of outturn around the estimate ({revenue}) is illustrative: "
        "no source gives it for the 34 units.",
        "hcmc": "Hồ Chí Minh City at {factor}: its 2025 outturn ({actual}) over its "
        "post-merger target ({target}), real (sources/province_fiscal_facts_2025_2026.csv).",
        "capital": "Capital need = the capital part of A + land-use fees kept + lottery (these "
        "two go to capital only). Capital share of A: {share}. Line: {line}, {total} over "
        "2026–2030, {eligible}; shares by points (criteria × points), largest remainder per year.",
        "illustrative": "ILLUSTRATIVE: estimated figures in use ({what}); not official data.",
    },
    "vi": {
        "drawdown": "Mức rút tối đa hằng tháng không quá 1/12 dự toán cả năm; các tháng quý I "
        "mỗi tháng không quá 12% và cả quý không quá 30% (Thông tư 26/2026/TT-BTC Điều 15 khoản "
        "3 điểm a). Các tháng được làm tròn theo phương pháp phần dư lớn nhất: mỗi dòng khớp "
        "đúng số cả năm.",
        "drawdown_commune": "Đây là các mức tối đa đối với bổ sung từ ngân sách trung ương cho "
        "ngân sách tỉnh; với ngân sách cấp xã, Ủy ban nhân dân cấp tỉnh quy định mức rút dự toán "
        "hằng tháng (đoạn hai cùng điểm).",
        "outturn": "Số bổ sung giữ theo dự toán; thu được hưởng, tiền sử dụng đất và xổ số được "
        "rút mẫu quanh dự toán. Phần thiếu hụt chỉ được vay cho phần chi đầu tư của A; mức dư nợ "
        "vay tối đa 120% thu được hưởng với địa phương không nhận bổ sung cân đối, 80% với địa "
        "phương nhận bổ sung cân đối (Luật 89/2025/QH15 Điều 7). Hạt giống ngẫu nhiên {seed}, {draws} lần "
        "rút mẫu, thu {revenue}.",
        "outturn_dist": "Độ phân tán của số thực hiện quanh dự toán ({revenue}) là giả định minh "
        "họa: chưa có nguồn số liệu cho 34 đơn vị.",
        "hcmc": "TP. Hồ Chí Minh ở mức {factor}: số thực hiện thu năm 2025 ({actual}) so "
        "với dự toán sau sắp xếp ({target}), số liệu thực "
        "(sources/province_fiscal_facts_2025_2026.csv).",
        "capital": "Nhu cầu chi đầu tư = phần chi đầu tư của A + tiền sử dụng đất được hưởng + "
        "xổ số kiến thiết (hai khoản này chỉ dành cho đầu tư). Tỷ trọng chi đầu tư trong A: "
        "{share}. Dòng vốn: {line}, {total} giai đoạn 2026–2030, {eligible}; phân bổ theo điểm "
        "(tiêu chí × điểm), làm tròn theo phần dư lớn nhất từng năm.",
        "illustrative": "SỐ LIỆU MINH HỌA: đang dùng số ước tính ({what}); không phải số liệu "
        "chính thức.",
    },
}

_ELIGIBLE = {
    "en": {"receiving": "units receiving a balancing transfer only", "all": "every unit"},
    "vi": {"receiving": "chỉ các địa phương nhận bổ sung cân đối", "all": "mọi đơn vị"},
}
_ESTIMATED = {
    "en": {
        "split": "the capital share of A",
        "growth": "growth after 2026",
        "points": "points and phasing",
        "layer": "the bundled fiscal layer",
        "distribution": "the spread of outturn",
        "debt": "opening debt",
    },
    "vi": {
        "split": "tỷ trọng chi đầu tư trong A",
        "growth": "mức tăng sau năm 2026",
        "points": "điểm và phân kỳ",
        "layer": "lớp số liệu tài chính kèm theo",
        "distribution": "độ phân tán của số thực hiện",
        "debt": "dư nợ đầu kỳ",
    },
}


def column(name: str, lang: str) -> str:
    """The header of column ``name`` in ``lang`` (the name itself when it has none)."""
    return COLUMNS.get(lang, COLUMNS["en"]).get(name, name)


def localise(frame: Any, lang: str) -> Any:
    """``frame`` with its headers (and the total row's name) in ``lang``."""
    out = frame.rename(columns={c: column(str(c), lang) for c in frame.columns})
    name = column("name", lang)
    if name in out.columns:
        out[name] = out[name].replace({"TOTAL": TITLES[lang]["TOTAL"]})
    return out


def estimated_words(parts: list[str], lang: str) -> str:
    """The illustrative parts in words (for the red note of an export or a page)."""
    words = _ESTIMATED.get(lang, _ESTIMATED["en"])
    return NOTES[lang]["illustrative"].format(what=", ".join(words.get(p, p) for p in parts))


def capital_note(view: Any, lang: str) -> str:
    plan = view.plan
    share = percent(float(view.share), lang=lang, decimals=2)
    return NOTES[lang]["capital"].format(
        share=share,
        line=plan.line_name_vi if lang == "vi" else plan.line_name,
        total=money(plan.total, lang=lang),
        eligible=_ELIGIBLE[lang][plan.eligible],
    )


def drawdown_text(table: Any, year: int, unit: str, lang: str = "en") -> str:
    """A few lines for the terminal: totals, Q1 and the reconciliation."""
    total = table.iloc[-1]
    body = table.iloc[:-1]
    unit_word = TITLES[lang][unit]
    lines = [
        TITLES[lang]["drawdown"].format(year=year, unit=unit_word),
        f"  units: {len(body)}; annual total {number(total['annual'], lang=lang)} {unit_word}; "
        f"Q1 {number(total['q1'], lang=lang)} ({percent(total['q1_share'], lang=lang)})",
        f"  every row reconciles: {'yes' if (body['difference'] == 0).all() else 'NO'}; "
        f"largest Q1 share {percent(body['q1_share'].max(), lang=lang)}",
        "  " + NOTES[lang]["drawdown"],
    ]
    return "\n".join(lines)


def outturn_text(result: Any, lang: str = "en", top: int = 10) -> str:
    """The Monte Carlo's summary for the terminal: counts, then the units most often short."""
    s = result.settings
    d = result.draws
    u = result.units
    lines = [
        TITLES[lang]["outturn"],
        f"  {s['draws']} draws, seed {s['seed']}, revenue {s['revenue']}"
        + (f", fixed {s['fixed']}" if s["fixed"] else ""),
        f"  units below need per draw: mean {number(d['units_below_need'].mean(), lang=lang, decimals=2)}"
        f", max {int(d['units_below_need'].max())}; over the debt ceiling: mean "
        f"{number(d['units_breach'].mean(), lang=lang, decimals=2)}, max "
        f"{int(d['units_breach'].max())}",
    ]
    worst = u.sort_values(["p_breach", "p_below_need"], ascending=False).head(top)
    for _, r in worst.iterrows():
        lines.append(
            f"  {r['code']} {r['name']}: below need {percent(r['p_below_need'], lang=lang)}, "
            f"over the ceiling {percent(r['p_breach'], lang=lang)}, mean shortfall "
            f"{money(r['shortfall_mean'], lang=lang)}"
        )
    for note in s.get("notes", []):
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def capital_text(view: Any, lang: str = "en", top: int = 8) -> str:
    """The five-year view's summary for the terminal."""
    pts = view.points.sort_values("five_year", ascending=False)
    lines = [TITLES[lang]["capital"], "  " + capital_note(view, lang)]
    for year, amount in view.envelope.items():
        sub = view.years[view.years["year"] == year]
        lines.append(
            f"  {year}: capital need {money(sub['capital_need'].sum(), lang=lang)}, line "
            f"{money(amount, lang=lang)}"
        )
    for _, r in pts.head(top).iterrows():
        lines.append(
            f"  {r['code']} {r['name']}: {number(r['points'], lang=lang, decimals=1)} points, "
            f"{percent(r['share'], lang=lang)}, {money(r['five_year'], lang=lang)}"
        )
    if view.plan.estimated:
        lines.append("  " + estimated_words(list(view.plan.estimated), lang))
    return "\n".join(lines)
