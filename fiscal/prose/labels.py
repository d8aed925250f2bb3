"""The words of fiscal's codes, in English and Vietnamese: one table per kind of code.

Rule kinds, objectives, flags (:class:`fiscal.flags.Flag`), waterfall steps
(:class:`fiscal.waterfall.StepKind`), winners-and-losers bands and the sentences of a unit's
story are codes everywhere else; their words live here, keyed by the code's value, one dict
per language. :mod:`fiscal.prose` writes text from them; the app (:mod:`fiscal_app.i18n`) reads
the same tables. The names of the metrics are in their spec table, :data:`fiscal.metrics.METRICS`.

A placeholder ``{kind}`` is a rule kind's code (``floor``), ``{kind_name}`` its name in the
language; ``{objective}`` / ``{objective_name}`` likewise; ``{rule}`` is a rule's name as the
scenario gives it. A new rule kind adds its names to :data:`KINDS` and, if the generic words of
its flags do not fit, an entry to :data:`FLAGS`.
"""

from __future__ import annotations

__all__ = [
    "ABC",
    "BANDS",
    "CHARACTER",
    "CLASSES",
    "COLUMNS",
    "FLAGS",
    "KINDS",
    "OWN_RULES",
    "LANGS",
    "OBJECTIVES",
    "REGIONS",
    "SETTINGS",
    "STEPS",
    "STORY",
    "WORDS",
    "column_name",
    "column_names",
]

LANGS = ("en", "vi")

#: rule kinds (and the envelope, which the ledger lists as a rule)
KINDS = {
    "en": {
        "envelope": "envelope",
        "floor": "hold-harmless floor",
        "cap": "growth cap",
        "per_capita_min": "per-capita minimum",
        "group_share": "group share",
        "merger_support": "merger support",
        "transition": "transition limit",
        "earmark": "sector earmark",
        "sector_bounds": "sector bounds",
        "sharing": "A/B/C mechanism",
    },
    "vi": {
        "envelope": "tổng mức",
        "floor": "mức sàn (giữ mức năm gốc)",
        "cap": "mức trần tăng",
        "per_capita_min": "mức tối thiểu bình quân đầu người",
        "group_share": "tỷ trọng nhóm",
        "merger_support": "hỗ trợ sáp nhập",
        "transition": "giới hạn chuyển tiếp",
        "earmark": "dành riêng cho lĩnh vực",
        "sector_bounds": "giới hạn theo lĩnh vực",
        "sharing": "cơ chế phân chia A/B/C",
    },
}

OBJECTIVES = {
    "en": {
        "formula": "Formula (status quo)",
        "need_gap": "Closest to need",
        "shortfall_minimax": "Equal shortfall (minimax)",
        "per_capita_maximin": "Highest minimum per person",
        "stability": "Least change",
        "blend": "Blend of equity and stability",
    },
    "vi": {
        "formula": "Công thức (hiện hành)",
        "need_gap": "Sát nhu cầu nhất",
        "shortfall_minimax": "Thiếu hụt đồng đều (minimax)",
        "per_capita_maximin": "Nâng mức bình quân thấp nhất",
        "stability": "Ít thay đổi nhất",
        "blend": "Kết hợp công bằng và ổn định",
    },
}

#: a flag's words: by "<flag>" (every kind) or "<flag>:<kind>" (that kind's own words)
FLAGS = {
    "en": {
        "lower": "at {kind}",
        "upper": "at {kind} max",
        "upper:cap": "at cap",
        "band": "at {kind} limit",
        "below": "below {rule} (soft)",
        "above": "above {rule} (soft)",
        "support": "merger support",
    },
    "vi": {
        "lower": "ở mức ({kind_name})",
        "lower:floor": "ở mức sàn",
        "lower:per_capita_min": "ở mức tối thiểu bình quân",
        "upper": "ở mức tối đa ({kind_name})",
        "upper:cap": "ở mức trần",
        "band": "ở giới hạn ({kind_name})",
        "band:transition": "ở giới hạn chuyển tiếp",
        "below": "thấp hơn {rule} (quy tắc mềm)",
        "above": "cao hơn {rule} (quy tắc mềm)",
        "support": "hỗ trợ sáp nhập",
    },
}

#: the steps of a waterfall (``final`` is the last line, not a step)
STEPS = {
    "en": {
        "formula": "formula amount",
        "scaling": "scaling to pay for protections",
        "objective": "objective '{objective}' without rules",
        "rule": "{kind}: {rule}",
        "other": "other protections",
        "precision": "solver precision",
        "rounding": "rounding to the unit",
        "support": "one-off merger support",
        "final": "final allocation",
    },
    "vi": {
        "formula": "số theo công thức",
        "scaling": "thu hẹp để bù cho các bảo đảm",
        "objective": "mục tiêu '{objective_name}' khi chưa có quy tắc",
        "rule": "{kind_name}: {rule}",
        "other": "các bảo đảm khác",
        "precision": "sai số bộ giải",
        "rounding": "làm tròn",
        "support": "hỗ trợ sáp nhập một lần",
        "final": "số phân bổ cuối cùng",
    },
}

#: winners and losers (the codes are :data:`fiscal.metrics.BANDS`)
BANDS = {
    "en": {
        "gain > 5 %": "gain > 5 %",
        "gain ≤ 5 %": "gain ≤ 5 %",
        "no change": "no change",
        "loss ≤ 5 %": "loss ≤ 5 %",
        "loss > 5 %": "loss > 5 %",
    },
    "vi": {
        "gain > 5 %": "tăng > 5%",
        "gain ≤ 5 %": "tăng ≤ 5%",
        "no change": "không đổi",
        "loss ≤ 5 %": "giảm ≤ 5%",
        "loss > 5 %": "giảm > 5%",
    },
}

#: the sentences of a unit's story (:func:`fiscal.prose.story`); amounts arrive written
STORY = {
    "en": {
        "head": "{name} ({code}), {year}",
        "merged": ": merged from {predecessors}",
        "need": "Need {need} against a capacity of {capacity} leaves a gap of {gap} ({share} of "
        "all gaps). The formula shares the {envelope} envelope in proportion to gaps: {formula}.",
        "unchanged": "{step}: does not change this unit's amount.",
        "adds": "{step}: adds {amount}.",
        "removes": "{step}: removes {amount}.",
        "final": "Final allocation {final}; against {basis} of {baseline}: {change}. Resources "
        "per person: {per_capita} million VND; {share_of_need} of need.",
        "basis.merged": "the predecessors' 2025 sum",
        "basis.single": "last year's transfer",
        "basis.year": "its {year} transfer",
        "no_baseline": "no transfer last year",
        "flags": "Flags: {flags}.",
        "illustrative": "Note: this dataset uses illustrative (estimated) fiscal figures.",
    },
    "vi": {
        "head": "{name} ({code}), năm {year}",
        "merged": ": hợp nhất từ {predecessors}",
        "need": "Nhu cầu chi {need} so với khả năng thu {capacity} để lại khoảng thiếu hụt {gap} "
        "({share} tổng thiếu hụt). Công thức chia tổng mức {envelope} theo tỷ lệ thiếu hụt: "
        "{formula}.",
        "unchanged": "{step}: không làm thay đổi số của đơn vị này.",
        "adds": "{step}: tăng {amount}.",
        "removes": "{step}: giảm {amount}.",
        "final": "Phân bổ cuối cùng {final}; so với {basis} là {baseline}: {change}. Nguồn lực "
        "bình quân đầu người: {per_capita} triệu đồng; đáp ứng {share_of_need} nhu cầu.",
        "basis.merged": "tổng của các tỉnh cũ năm 2025",
        "basis.single": "số bổ sung năm trước",
        "basis.year": "số bổ sung năm {year}",
        "no_baseline": "năm trước không nhận bổ sung",
        "flags": "Ghi chú: {flags}.",
        "illustrative": "Lưu ý: bộ dữ liệu này dùng số liệu tài khoá minh hoạ (ước tính), không "
        "phải số liệu chính thức.",
    },
}

#: the fiscal classes of :mod:`fiscal.sharing` (Decree 09/2025/NĐ-CP Art. 7.2)
CLASSES = {
    "en": {
        "receiving": "receiving",
        "remits ≤ 20 %": "remits ≤ 20 %",
        "remits 20–60 %": "remits 20–60 %",
        "remits > 60 %": "remits > 60 %",
    },
    "vi": {
        "receiving": "nhận bổ sung cân đối",
        "remits ≤ 20 %": "điều tiết từ 20% trở xuống",
        "remits 20–60 %": "điều tiết từ trên 20% đến 60%",
        "remits > 60 %": "điều tiết trên 60%",
    },
}

#: the A/B/C story of a unit (:func:`fiscal.prose.abc_story`): its rate and balancing transfer
ABC = {
    "en": {
        "start": "The A/B/C mechanism (first year of a stability period, Circular "
        "342/2016/TT-BTC Art. 8–9): need A = {need}, revenue kept 100 % B = {local}, shared base "
        "C = {shared}.",
        "start.receiving": "A − B = {gap} is at least C, so {name} keeps 100 % of its shared "
        "revenue and the formula's balancing transfer is A − (B + C) = {transfer}.",
        "start.remitting": "A − B = {gap} is below C, so the formula's rate is (A − B)/C = "
        "{exact} %, a whole {formula_rate} %: {name} keeps that share of its shared revenue and "
        "receives no balancing transfer.",
        "within": "Within the stability period (Law 83/2015/QH13 Art. 9.7) the rate stays "
        "{rate} % and the balancing transfer is last year's {baseline} + {uplift}{topup} = "
        "{transfer}.",
        "within.topup": " plus a named top-up of {topup}",
        "chosen": "The rate model chose {rate} % instead of the formula's {formula_rate} % "
        "(within {band} points), so that the envelope, the rules{requirement} all hold.",
        "chosen.requirement": " and the centre's {requirement} from shared revenue",
        "kept": "The rate model kept the formula's rate of {rate} % (band ±{band} points).",
        "remits": "At {rate} % it remits {remits} % of C, {remitted}, to the centre and receives "
        "no balancing transfer (fiscal class: {cls}).",
        "receives": "It keeps 100 % and receives {transfer} of balancing transfer (fiscal class: "
        "{cls}).",
        "predecessors": "Its predecessors, each under its own rate: {list}.",
        "pred.received": "{name} (100 %, received {amount})",
        "pred.remitted": "{name} ({rate} %, remitted {amount})",
        "reference": "Their resources summed to {reference}; the merged unit's revenue kept + "
        "transfer is {resources}: {verdict}.",
        "held": "held harmless (+{diff})",
        "short": "short of them by {diff}",
    },
    "vi": {
        "start": "Cơ chế A/B/C (năm đầu thời kỳ ổn định ngân sách, Thông tư 342/2016/TT-BTC "
        "Điều 8–9): nhu cầu chi A = {need}, thu hưởng 100% B = {local}, thu phân chia C = "
        "{shared}.",
        "start.receiving": "A − B = {gap} không nhỏ hơn C, nên {name} được hưởng 100% các khoản "
        "thu phân chia và số bổ sung cân đối theo công thức là A − (B + C) = {transfer}.",
        "start.remitting": "A − B = {gap} nhỏ hơn C, nên tỷ lệ theo công thức là (A − B)/C = "
        "{exact}%, làm tròn {formula_rate}%: {name} được hưởng tỷ lệ đó của các khoản thu phân "
        "chia và không nhận bổ sung cân đối.",
        "within": "Trong thời kỳ ổn định (Luật 83/2015/QH13 Điều 9.7) tỷ lệ giữ nguyên {rate}% "
        "và số bổ sung cân đối là số năm trước {baseline} tăng {uplift}{topup} = {transfer}.",
        "within.topup": " cộng số bổ sung riêng {topup}",
        "chosen": "Mô hình tối ưu chọn tỷ lệ {rate}% thay cho {formula_rate}% theo công thức "
        "(trong phạm vi {band} điểm) để tổng mức bổ sung, các quy tắc{requirement} đều được "
        "bảo đảm.",
        "chosen.requirement": " và số thu phân chia trung ương cần {requirement}",
        "kept": "Mô hình tối ưu giữ tỷ lệ theo công thức {rate}% (phạm vi ±{band} điểm).",
        "remits": "Với tỷ lệ {rate}%, đơn vị điều tiết {remits}% của C, tức {remitted}, về ngân "
        "sách trung ương và không nhận bổ sung cân đối (nhóm: {cls}).",
        "receives": "Đơn vị hưởng 100% và nhận {transfer} bổ sung cân đối (nhóm: {cls}).",
        "predecessors": "Các tỉnh cũ, mỗi tỉnh theo tỷ lệ của mình: {list}.",
        "pred.received": "{name} (100%, nhận bổ sung {amount})",
        "pred.remitted": "{name} ({rate}%, điều tiết {amount})",
        "reference": "Tổng nguồn lực của các tỉnh cũ là {reference}; nguồn thu được hưởng cộng "
        "bổ sung của đơn vị mới là {resources}: {verdict}.",
        "held": "được bảo đảm không thấp hơn (+{diff})",
        "short": "thấp hơn {diff}",
    },
}

#: each objective's character in a sentence (the app's objective box, fiscal.scenario)
CHARACTER = {
    "en": {
        "formula": "The envelope shared in proportion to each unit's gap (need − capacity), then "
        "floors and caps applied by damping. No optimisation.",
        "need_gap": "Minimises the total relative distance to need. Corner optima: a shortfall falls on "
        "the fewest, largest units (one VND short costs least where need is largest) until their "
        "floors bind.",
        "shortfall_minimax": "Equalises the worst relative shortfall: every unit that receives a "
        "transfer ends at the same fraction of its need as far as the rules allow (water-filling).",
        "per_capita_maximin": "Raises the lowest resources per person as far as possible (a "
        "per-capita floor for everyone, as high as the envelope allows).",
        "stability": "Changes last year's transfers as little as possible (relative to each unit's "
        "baseline): protects incumbents, ignores need.",
        "blend": "λ × equity (distance to need) + (1 − λ) × stability, each normalised between its "
        "best and worst value: the trade-off dial.",
    },
    "vi": {
        "formula": "Tổng mức được chia theo tỷ lệ khoảng thiếu hụt (nhu cầu − khả năng thu) của mỗi "
        "đơn vị, rồi áp mức sàn và mức trần bằng phương pháp điều chỉnh. Không tối ưu.",
        "need_gap": "Giảm thiểu tổng khoảng cách tương đối tới nhu cầu. Nghiệm ở góc: phần thiếu "
        "rơi vào ít đơn vị lớn nhất (thiếu một đồng ở nơi nhu cầu lớn nhất là 'rẻ' nhất) cho tới "
        "khi mức sàn của chúng ràng buộc.",
        "shortfall_minimax": "Cân bằng mức thiếu hụt tương đối lớn nhất: mọi đơn vị nhận bổ sung "
        "đều đạt cùng một tỷ lệ nhu cầu trong phạm vi các quy tắc cho phép.",
        "per_capita_maximin": "Nâng nguồn lực bình quân đầu người thấp nhất lên cao nhất có thể "
        "(một mức sàn bình quân chung, cao nhất mà tổng mức cho phép).",
        "stability": "Thay đổi số bổ sung năm trước ít nhất có thể (tương đối so với năm gốc của mỗi "
        "đơn vị): bảo vệ hiện trạng, không xét nhu cầu.",
        "blend": "λ × công bằng (khoảng cách tới nhu cầu) + (1 − λ) × ổn định, mỗi phần được chuẩn "
        "hoá giữa giá trị tốt nhất và xấu nhất: núm điều chỉnh đánh đổi.",
    },
}

#: the rules fiscal adds itself (not written in a scenario): their Vietnamese name and description
#: by their English name (:class:`fiscal.mechanism.RemittingUnits`)
OWN_RULES = {
    "vi": {
        "remitting units": (
            "đơn vị điều tiết về trung ương",
            "Đơn vị được hưởng dưới 100% các khoản thu phân chia thì không nhận bổ sung cân đối",
        ),
    }
}

#: the regions of the bundled data (socio-economic regions of the statistics office)
REGIONS = {
    "vi": {
        "Red River Delta": "Đồng bằng sông Hồng",
        "Northern Midlands and Mountains": "Trung du và miền núi phía Bắc",
        "North Central and Central Coast": "Bắc Trung Bộ và duyên hải miền Trung",
        "Central Highlands": "Tây Nguyên",
        "Southeast": "Đông Nam Bộ",
        "Mekong River Delta": "Đồng bằng sông Cửu Long",
    }
}

#: the unit-table columns (fiscal.schema) and the extra columns of the bundled dataset
COLUMNS = {
    "vi": {
        "code": "mã",
        "name": "tên",
        "short_name": "tên ngắn",
        "type": "loại",
        "parent": "tỉnh",
        "predecessors": "đơn vị cũ",
        "merged": "hợp nhất",
        "region": "vùng",
        "regions": "các vùng",
        "population": "dân số",
        "population_nq202": "quy mô dân số (NQ 202)",
        "area_km2": "diện tích (km²)",
        "communes": "số đơn vị hành chính cấp xã",
        "communes_xa": "số xã",
        "communes_phuong": "số phường",
        "communes_dac_khu": "số đặc khu",
        "eliminated_provinces": "số tỉnh cũ bị sáp nhập",
        "eliminated_communes": "số xã cũ bị sáp nhập",
        "baseline": "số bổ sung năm gốc",
        "own_revenue": "thu ngân sách địa phương được hưởng (B + C)",
        "retention": "tỷ lệ điều tiết",
        "estimated": "cột minh hoạ",
        "revenue_on_territory": "tổng thu NSNN trên địa bàn",
        "revenue_central": "thu ngân sách trung ương hưởng 100%",
        "revenue_land": "tiền sử dụng đất, tiền thuê đất địa phương hưởng",
        "revenue_lottery": "thu xổ số kiến thiết",
        "revenue_local": "B: thu ngân sách địa phương hưởng 100%",
        "revenue_shared": "C: các khoản thu phân chia",
        "spending_need": "A: chi cân đối ngân sách địa phương theo định mức",
        "sharing_rate": "tỷ lệ phần trăm (%) phân chia",
        "formula_rate": "tỷ lệ theo công thức (%)",
        "remitted": "điều tiết về trung ương",
        "fiscal_class": "nhóm địa phương",
        "predecessor_resources": "nguồn lực các tỉnh cũ",
    }
}

#: small words that messages take as parameters ({row_word:word})
WORDS = {
    "en": {},
    "vi": {
        "row": "dòng",
        "line": "dòng",
        "rows": "các dòng",
        "lines": "các dòng",
        "none": "không có",
        "yes": "có",
        "no": "không",
        # the A/B/C mechanism's settings (fiscal.scenario_sharing)
        "formula": "theo công thức",
        "optimise": "tối ưu hoá",
        "bundled": "số liệu kèm theo",
        "period_start": "năm đầu thời kỳ ổn định",
        "within_period": "trong thời kỳ ổn định",
        "nearest": "làm tròn gần nhất",
        "up": "làm tròn lên",
        "down": "làm tròn xuống",
        "status_quo": "theo tỷ lệ hiện hành",
        "transfer": "số bổ sung",
        "resources": "nguồn lực (thu được hưởng + bổ sung)",
        "predecessors": "nguồn lực các tỉnh cũ",
        "none defined": "chưa khai báo",
        "text": "chữ",
        "equal": "phân bổ hết",
        "at_most": "không vượt tổng mức",
        "inside": "trong tổng mức",
        "on_top": "ngoài tổng mức",
        "province": "cấp tỉnh",
        "commune": "cấp xã",
        # transfer lines (fiscal.scenario_lines)
        "all": "mọi đơn vị",
        "receiving": "đơn vị nhận bổ sung cân đối",
        "merged": "đơn vị hợp nhất",
        "fixed": "danh sách cố định",
        "cofinance": "đối ứng theo nhóm địa phương",
        "points": "phân bổ theo điểm",
        "recurrent": "chi thường xuyên",
        "capital": "chi đầu tư",
        "both": "chi thường xuyên và đầu tư",
        "refuse": "không cộng",
        "sum": "cộng dồn",
        "total": "tổng nguồn lực",
        "kept": "thu được hưởng theo phân cấp",
        "draft": "bản nháp",
        "reviewed": "đã rà soát",
        "approved": "đã phê duyệt",
        "review": "rà soát",
        "approve": "phê duyệt",
        "writing": "ghi",
        "reading": "đọc",
        "opening": "mở",
        "persons": "người",
        "units": "đơn vị",
        "unit": "đơn vị",
        "million VND": "triệu đồng",
        "fraction": "số thập phân",
        "percent": "phần trăm",
        "amounts are in million VND (triệu đồng), not VND or billions": "số tiền tính bằng "
        "triệu đồng, không phải đồng hay tỷ đồng",
        "retention is a fraction between 0 and 1, not a percent": "tỷ lệ điều tiết là số thập "
        "phân từ 0 đến 1, không phải phần trăm",
        "the sharing rate is a whole percent between 0 and 100, not a fraction": "tỷ lệ phần "
        "trăm phân chia là số nguyên từ 0 đến 100, không phải số thập phân",
        "every unit needs its population: resources per person and per-capita rules divide by "
        "it": "mọi đơn vị phải có dân số: nguồn lực bình quân đầu người và các quy tắc bình quân "
        "đầu người đều chia cho dân số",
    },
}


def column_names(names: list[str], lang: str = "en") -> str:
    """Unit-table columns listed in words: 'baseline, own_revenue' in English (the files'
    names), 'số bổ sung năm gốc (baseline), ...' in Vietnamese."""
    if lang != "vi":
        return ", ".join(names)
    return ", ".join(f"{COLUMNS['vi'][n]} ({n})" if n in COLUMNS["vi"] else n for n in names)


def column_name(name: str, lang: str = "en") -> str:
    """A unit-table column as a message names it: 'population' in English, "'population'
    (dân số)" in Vietnamese (the file's header, then its meaning)."""
    vi = COLUMNS["vi"].get(name) if lang == "vi" else None
    return f"'{name}' ({vi})" if vi else f"'{name}'"


#: a scenario's settings by their dotted path (tables) or key (inside a rule, criterion or
#: sector): what the app's "Edited" line, Compare's "What differs" and Trade-offs call them
SETTINGS = {
    "en": {
        "envelope.total": "Envelope",
        "envelope.totals": "Envelope per year",
        "envelope.baseline_factor": "Envelope as a multiple of the baseline",
        "envelope.from_scenario": "Envelope taken from",
        "envelope.growth": "Envelope growth per year",
        "envelope.mode": "Envelope allocated in full or as a limit",
        "envelope.from_sharing": "Envelope from the A/B/C mechanism",
        "sharing.mode": "A/B/C mechanism: year",
        "sharing.rate_rounding": "Rounding of the formula's rates",
        "sharing.rates": "Sharing rates",
        "sharing.band": "Band around the formula's rate (points)",
        "sharing.centre_revenue": "The centre's shared revenue",
        "sharing.predecessors": "Predecessors' A, B, C",
        "lines.balancing.uplift": "Balancing transfer uplift",
        "lines.balancing.topups": "Balancing transfer top-ups",
        "lines.balancing.baseline_from": "Last year's transfers taken from",
        "need.other_markup": "Other expenditure mark-up",
        "need.growth": "Need growth per year",
        "capacity.revenue_growth": "Revenue growth per year",
        "objective.kind": "Objective",
        "objective.weight": "Weight of equity λ",
        "objective.tie_break": "Tie-break",
        "rounding.unit": "Rounding unit (million VND)",
        "rounding.strict_bounds": "Strict bounds",
        "solver.backend": "Solver",
        "solver.pulp_solver": "PuLP's solver",
        "solver.time_limit": "Solver time limit (s)",
        "scenario.level": "Level",
        "scenario.province": "Province",
        "scenario.years": "Years",
        "scenario.dataset": "Unit table",
        "constraints": "Rules",
        "need.criteria": "Need criteria",
        "sectors": "Sectors",
        "rule": "rule",
        "criterion": "need",
        "sector": "sector",
        "coefficient": "coefficient for {value}",
        # keys inside an entry
        "kind": "kind",
        "ratio": "ratio × baseline",
        "amount": "million VND per person",
        "max_change": "largest yearly change",
        "min_share": "minimum share",
        "max_share": "maximum share",
        "per_province": "per eliminated province (million VND)",
        "per_commune": "per eliminated commune (million VND)",
        "placement": "paid inside or on top",
        "only_receiving": "receiving units only",
        "min_of_gap": "minimum × sector gap",
        "max_of_gap": "maximum × sector gap",
        "soft": "soft",
        "penalty": "penalty",
        "where": "units where",
        "units": "units",
        "rate": "rate",
        "estimated": "illustrative",
        "by": "coefficients by",
        "coefficients": "coefficients",
        "default_coefficient": "default coefficient",
        "need_share": "share of need",
        "base": "bound on",
        # a transfer line's settings (lines.<name>.…)
        "line": "line",
        "line.envelope": "envelope",
        "line.ratio": "ratio × reference",
        "line.per_capita": "million VND per person",
        "line.growth": "growth per year",
        "line.central_share": "central share, {cls} (fraction of the cost)",
    },
    "vi": {
        "envelope.total": "Tổng mức phân bổ",
        "envelope.totals": "Tổng mức từng năm",
        "envelope.baseline_factor": "Tổng mức theo bội số của năm gốc",
        "envelope.from_scenario": "Tổng mức lấy từ kịch bản",
        "envelope.growth": "Mức tăng tổng mức mỗi năm",
        "envelope.mode": "Phân bổ hết tổng mức hay coi là mức tối đa",
        "envelope.from_sharing": "Tổng mức theo cơ chế phân chia A/B/C",
        "sharing.mode": "Cơ chế A/B/C: năm áp dụng",
        "sharing.rate_rounding": "Làm tròn tỷ lệ theo công thức",
        "sharing.rates": "Tỷ lệ phần trăm phân chia",
        "sharing.band": "Phạm vi quanh tỷ lệ theo công thức (điểm %)",
        "sharing.centre_revenue": "Số thu phân chia của ngân sách trung ương",
        "sharing.predecessors": "A, B, C của các tỉnh cũ",
        "lines.balancing.uplift": "Mức tăng bổ sung cân đối",
        "lines.balancing.topups": "Các khoản bổ sung thêm",
        "lines.balancing.baseline_from": "Số bổ sung năm trước lấy từ kịch bản",
        "need.other_markup": "Tỷ lệ chi khác",
        "need.growth": "Mức tăng nhu cầu mỗi năm",
        "capacity.revenue_growth": "Mức tăng thu mỗi năm",
        "objective.kind": "Mục tiêu",
        "objective.weight": "Trọng số công bằng λ",
        "objective.tie_break": "Chọn nghiệm khi có nhiều nghiệm tối ưu",
        "rounding.unit": "Đơn vị làm tròn (triệu đồng)",
        "rounding.strict_bounds": "Giới hạn chặt khi làm tròn",
        "solver.backend": "Bộ giải",
        "solver.pulp_solver": "Bộ giải của PuLP",
        "solver.time_limit": "Giới hạn thời gian giải (giây)",
        "scenario.level": "Cấp",
        "scenario.province": "Tỉnh",
        "scenario.years": "Các năm",
        "scenario.dataset": "Bảng đơn vị",
        "constraints": "Các quy tắc",
        "need.criteria": "Các tiêu chí nhu cầu",
        "sectors": "Các lĩnh vực",
        "rule": "quy tắc",
        "criterion": "tiêu chí",
        "sector": "lĩnh vực",
        "coefficient": "hệ số của {value}",
        "kind": "loại",
        "ratio": "tỷ lệ × năm gốc",
        "amount": "triệu đồng/người",
        "max_change": "mức thay đổi tối đa mỗi năm",
        "min_share": "tỷ trọng tối thiểu",
        "max_share": "tỷ trọng tối đa",
        "per_province": "mỗi tỉnh giảm (triệu đồng)",
        "per_commune": "mỗi xã giảm (triệu đồng)",
        "placement": "chi trong hay ngoài tổng mức",
        "only_receiving": "chỉ đơn vị nhận bổ sung",
        "min_of_gap": "tối thiểu × khoảng thiếu hụt của lĩnh vực",
        "max_of_gap": "tối đa × khoảng thiếu hụt của lĩnh vực",
        "soft": "mềm",
        "penalty": "mức phạt",
        "where": "phạm vi",
        "units": "các đơn vị",
        "rate": "định mức",
        "estimated": "minh hoạ",
        "by": "tra hệ số theo",
        "coefficients": "hệ số",
        "default_coefficient": "hệ số mặc định",
        "need_share": "tỷ trọng nhu cầu",
        "base": "tính trên",
        "line": "khoản",
        "line.envelope": "tổng mức",
        "line.ratio": "tỷ lệ × mức tham chiếu",
        "line.per_capita": "triệu đồng/người",
        "line.growth": "mức tăng mỗi năm",
        "line.central_share": "phần ngân sách trung ương hỗ trợ, {cls} (tỷ lệ của chi phí)",
    },
}
