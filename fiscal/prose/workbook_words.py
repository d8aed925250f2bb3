"""The words of a result's workbook (:mod:`fiscal.workbook`) in English and Vietnamese: sheet
names (at most 31 characters, Excel's limit), titles, notes, the headers of its tables
(``head.<column>``) and the words in its cells.

The English words are those the workbook has always written (a workbook asked for without a
language is byte-identical to one made before languages existed); the Vietnamese are those a
finance officer reads in the app (:mod:`fiscal_app.i18n_vi`) and in the official annexes
(:mod:`fiscal.annex`). The sheets of transfer lines take theirs from
:data:`fiscal.prose.budget_sheets.SHEETS`.
"""

from __future__ import annotations

__all__ = ["SHEET_NAME_LIMIT", "WORKBOOK", "sheet_words"]

SHEET_NAME_LIMIT = 31  # characters of a sheet's name in Excel

WORKBOOK: dict[str, dict[str, str]] = {
    "en": {
        # sheet names
        "name.allocation": "Allocation",
        "name.map": "Map",
        "name.metrics": "Metrics",
        "name.constraints": "Constraints",
        "name.assumptions": "Assumptions",
        "name.provenance": "Provenance",
        "name.mergers": "Mergers",
        # titles ({scenario}: the scenario's name)
        "title.allocation": "Allocation — {scenario}",
        "title.map": "Map — {scenario}",
        "title.metrics": "Metrics — {scenario}",
        "title.constraints": "Rules and what they cost — {scenario}",
        "title.assumptions": "Assumptions — {scenario}",
        "title.provenance": "Provenance — {scenario}",
        "title.mergers": "Merged units beside their predecessors — {scenario}",
        # notes
        "note.allocation": "Money in million VND (triệu đồng); one row per unit and year.",
        "note.metrics": "Resources per person = (capacity + transfer) / population, million VND.",
        "note.metrics_base": "base: balancing = revenue kept as the gap counts it + balancing "
        "transfer; total = total resources (all revenue kept + every transfer line); line = one "
        "line's total; rule = units breaching a whole-budget rule, on the base it states.",
        "note.constraints": "dual: objective per million VND; cost: money the rule moves "
        "(million VND), from a re-solve without it; benefits / pays: unit codes.",
        "note.assumptions": "Every setting of the scenario (fully resolved, no 'extends'), with "
        "its unit and source. 'estimated' marks illustrative values.",
        "note.provenance": "Versions, data hash, time of the run, and the independent re-check.",
        "note.mergers": "Million VND. A unit row: its rate, transfer and resources (revenue kept "
        "+ transfer) in this result, and 'reference' = its predecessors' summed resources; the "
        "predecessor rows: each old province's own rate, transfer and resources under the "
        "status quo (its own A, B, C).",
        "illustrative": "ILLUSTRATIVE: estimated figures in use ({columns}); not official data.",
        # the allocation sheet's totals and reconciliation
        "total_year": "Total {year}",
        "reconciliation": "Reconciliation (million VND)",
        "rec.year": "year",
        "rec.envelope": "envelope (incl. support paid on top)",
        "rec.allocated": "allocated",
        "rec.difference": "difference",
        # words in cells
        "yes": "yes",
        "holds": "holds",
        "fails": "FAILS: ",
        "recheck": "re-check",
        # the comparison workbook
        "cmp.name.summary": "Summary",
        "cmp.name.bands": "Winners and losers",
        "cmp.name.units": "Units",
        "cmp.name.groups": "Groups",
        "cmp.name.settings": "Settings",
        "cmp.name.rules": "Rules",
        "cmp.title.summary": "Scenario comparison",
        "cmp.title.bands": "Winners and losers (bands of change)",
        "cmp.title.units": "Allocation per unit and scenario (million VND)",
        "cmp.title.groups": "By region and by merged / not merged",
        "cmp.title.settings": "Settings that differ, with their sources",
        "cmp.title.rules": "Rules: binding, dual value, and the money each moves",
        "cmp.metrics": "Metrics",
        "cmp.ref": "Changes are measured against '{reference}'.",
        "cmp.illustrative": "ILLUSTRATIVE: {note}.",
    },
    "vi": {
        "name.allocation": "Phân bổ",
        "name.map": "Bản đồ",
        "name.metrics": "Chỉ số",
        "name.constraints": "Quy tắc",
        "name.assumptions": "Giả định",
        "name.provenance": "Nguồn gốc",
        "name.mergers": "Đơn vị hợp nhất",
        "title.allocation": "Phân bổ — {scenario}",
        "title.map": "Bản đồ — {scenario}",
        "title.metrics": "Các chỉ số — {scenario}",
        "title.constraints": "Các quy tắc và chi phí của từng quy tắc — {scenario}",
        "title.assumptions": "Các giả định — {scenario}",
        "title.provenance": "Nguồn gốc kết quả — {scenario}",
        "title.mergers": "Đơn vị hợp nhất bên cạnh các tỉnh cũ — {scenario}",
        "note.allocation": "Đơn vị: triệu đồng; mỗi dòng là một đơn vị trong một năm.",
        "note.metrics": "Nguồn lực bình quân đầu người = (khả năng thu + số bổ sung) / dân số, "
        "triệu đồng.",
        "note.metrics_base": "Áp dụng trên: cân đối = thu được hưởng (như khi tính chênh lệch) + "
        "bổ sung cân đối; tổng = tổng nguồn lực (toàn bộ thu được hưởng + mọi khoản bổ sung); "
        "khoản = tổng của một khoản; quy tắc = số đơn vị không đạt một quy tắc trên toàn bộ ngân "
        "sách, trên phần mà quy tắc đó nêu.",
        "note.constraints": "Giá trị đối ngẫu: mức thay đổi của hàm mục tiêu trên mỗi triệu "
        "đồng; chi phí: số tiền quy tắc dịch chuyển (triệu đồng), tính bằng cách giải lại khi bỏ "
        "quy tắc; ai được lợi / ai chịu: mã đơn vị.",
        "note.assumptions": "Mọi thiết lập của kịch bản (đã đầy đủ, không còn 'extends'), kèm "
        "đơn vị tính và nguồn. Cột “minh hoạ” đánh dấu các giá trị ước tính.",
        "note.provenance": "Phiên bản, mã băm dữ liệu, thời điểm chạy và kết quả kiểm tra lại "
        "độc lập.",
        "note.mergers": "Đơn vị: triệu đồng. Dòng của đơn vị: tỷ lệ phân chia, số bổ sung và "
        "nguồn lực (thu được hưởng + bổ sung) trong kết quả này; “mức đối chiếu” = tổng nguồn "
        "lực của các tỉnh cũ. Các dòng tỉnh cũ: tỷ lệ, số bổ sung và nguồn lực của từng tỉnh cũ "
        "theo cơ chế hiện hành (A, B, C của chính tỉnh đó).",
        "illustrative": "SỐ LIỆU MINH HỌA: đang dùng số ước tính ({columns}); không phải số liệu "
        "chính thức.",
        "total_year": "Tổng {year}",
        "reconciliation": "Đối chiếu (triệu đồng)",
        "rec.year": "năm",
        "rec.envelope": "tổng mức (gồm cả hỗ trợ ngoài tổng mức)",
        "rec.allocated": "đã phân bổ",
        "rec.difference": "chênh lệch",
        "yes": "có",
        "holds": "đạt",
        "fails": "KHÔNG ĐẠT: ",
        "recheck": "kiểm tra lại",
        # headers of the allocation table (amounts in million VND: the note row says so)
        "head.code": "Mã",
        "head.name": "Tên đơn vị",
        "head.parent": "Tỉnh",
        "head.region": "Vùng",
        "head.merged": "Hợp nhất",
        "head.population": "Dân số",
        "head.year": "Năm",
        "head.baseline": "Số bổ sung năm gốc",
        "head.need": "Nhu cầu chi",
        "head.capacity": "Khả năng thu",
        "head.gap": "Chênh lệch nhu cầu chi − khả năng thu",
        "head.formula": "Theo công thức",
        "head.transfer": "Số bổ sung",
        "head.merger_support": "Hỗ trợ sắp xếp đơn vị hành chính",
        "head.allocation": "Phân bổ",
        "head.resources": "Nguồn lực (thu được hưởng + bổ sung)",
        "head.change": "Thay đổi",
        "head.change_pct": "Thay đổi (%)",
        "head.per_capita": "Nguồn lực bình quân đầu người",
        "head.share_of_need": "Tỷ lệ đáp ứng nhu cầu",
        "head.flags": "Ghi chú",
        "head.estimated": "Cột số liệu minh hoạ",
        "head.fiscal_class": "Nhóm địa phương",
        "head.formula_rate": "Tỷ lệ theo công thức (%)",
        "head.sharing_rate": "Tỷ lệ phần trăm (%) phân chia",
        "head.revenue_local": "B: thu NSĐP hưởng 100%",
        "head.revenue_shared": "C: các khoản thu phân chia",
        "head.remitted": "Điều tiết về trung ương",
        "head.predecessor_resources": "Nguồn lực các tỉnh cũ",
        "head.years_to_formula": "Số năm đến tỷ lệ theo công thức",
        "head.sector": "Lĩnh vực: {sector}",
        # the metrics sheet
        "head.metric": "Chỉ số",
        "head.metric_code": "Mã chỉ số",
        "head.base": "Áp dụng trên",
        "base.balancing": "cân đối",
        "base.total": "tổng nguồn lực",
        "base.line": "khoản",
        "base.rule": "quy tắc",
        # the rules' ledger
        "head.rule": "Quy tắc",
        "head.kind": "Loại",
        "head.hard": "Cứng",
        "head.binding": "Ràng buộc chặt",
        "head.units_binding": "Số đơn vị bị giữ",
        "head.dual": "Giá trị đối ngẫu",
        "head.cost": "Chi phí (triệu đồng dịch chuyển)",
        "head.violation": "Mức vi phạm",
        "head.benefits": "Ai được lợi",
        "head.pays": "Ai chịu",
        "head.description": "Mô tả",
        # the assumptions and the provenance
        "head.setting": "Thiết lập",
        "head.setting_name": "Tên thiết lập",
        "head.value": "Giá trị",
        "head.unit": "Đơn vị tính",
        "head.source": "Nguồn",
        "head.estimated_flag": "Minh hoạ",
        "head.item": "Mục",
        # the mergers' table
        "head.unit_code": "Đơn vị",
        "head.level": "Cấp",
        "head.rate": "Tỷ lệ phân chia (%)",
        "head.local": "B: thu NSĐP hưởng 100%",
        "head.shared": "C: thu phân chia",
        "head.balancing": "Bổ sung cân đối",
        "head.reference": "Mức đối chiếu (nguồn lực các tỉnh cũ)",
        # units of the settings (keyed as fiscal.workbook.SETTING_UNITS)
        "unit.total": "triệu đồng",
        "unit.totals": "triệu đồng mỗi năm",
        "unit.growth": "mỗi năm",
        "unit.revenue_growth": "mỗi năm",
        "unit.ratio": "× năm gốc",
        "unit.amount": "triệu đồng mỗi người",
        "unit.per_province": "triệu đồng mỗi tỉnh bị sáp nhập",
        "unit.per_commune": "triệu đồng mỗi xã bị sáp nhập",
        "unit.min_share": "của tổng mức",
        "unit.max_share": "của tổng mức",
        "unit.max_change": "của số bổ sung năm trước",
        "unit.need_share": "của nhu cầu chi",
        "unit.other_markup": "của nhu cầu chi",
        "unit.penalty": "trên mỗi đơn vị vi phạm tương đối",
        "unit.time_limit": "giây",
        "unit.min_of_gap": "× chênh lệch của lĩnh vực",
        "unit.max_of_gap": "× chênh lệch của lĩnh vực",
        "unit.uplift": "của số bổ sung cân đối năm trước",
        "unit.band": "điểm phần trăm mỗi phía quanh tỷ lệ theo công thức",
        "unit.centre_revenue": "triệu đồng (hoặc formula / status_quo / none)",
        "unit.million": "triệu đồng",
        # the comparison workbook
        "cmp.name.summary": "Tóm tắt",
        "cmp.name.bands": "Được và mất",
        "cmp.name.units": "Đơn vị",
        "cmp.name.groups": "Nhóm",
        "cmp.name.settings": "Thiết lập",
        "cmp.name.rules": "Quy tắc",
        "cmp.title.summary": "So sánh các kịch bản",
        "cmp.title.bands": "Được và mất (theo mức thay đổi)",
        "cmp.title.units": "Phân bổ theo đơn vị và kịch bản (triệu đồng)",
        "cmp.title.groups": "Theo vùng và theo đơn vị hợp nhất / không hợp nhất",
        "cmp.title.settings": "Các thiết lập khác nhau, kèm nguồn",
        "cmp.title.rules": "Quy tắc: ràng buộc chặt, giá trị đối ngẫu và số tiền mỗi quy tắc dịch "
        "chuyển",
        "cmp.metrics": "Các chỉ số",
        "cmp.ref": "Mức thay đổi được tính so với “{reference}”.",
        "cmp.illustrative": "SỐ LIỆU MINH HỌA: {note}.",
        "head.label": "Nhãn",
        "head.scenario": "Kịch bản",
        "head.objective": "Mục tiêu",
        "head.file": "Tệp",
        "head.illustrative": "Minh hoạ",
        "head.band": "Mức thay đổi",
        "head.units": "Số đơn vị",
        "head.names": "Các đơn vị",
        "head.grouping": "Cách nhóm",
        "head.group": "Nhóm",
        "head.resources_per_capita": "Nguồn lực bình quân đầu người",
        "head.gainers": "Số đơn vị được",
        "head.losers": "Số đơn vị mất",
        "grouping.region": "vùng",
        "grouping.merged": "hợp nhất",
        "source_of": "nguồn: {label}",
    },
}


def sheet_words(lang: str | None) -> dict[str, str]:
    """The workbook's words in ``lang`` (None: the English of a workbook without a language)."""
    return WORKBOOK["vi"] if lang == "vi" else WORKBOOK["en"]
