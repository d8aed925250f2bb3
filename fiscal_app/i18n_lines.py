"""Labels of the transfer lines and whole-budget rules in the app (Allocate's Transfer lines
section, Why this number by line, Compare by line, Trade-offs across lines), in both languages.

Merged into :data:`fiscal_app.i18n.EN` and ``VI``. The names of lines, allocation rules,
eligibility and rule kinds come from :mod:`fiscal.prose.budget`.
"""

from __future__ import annotations

__all__ = ["EN", "VI"]

EN: dict[str, str] = {
    "lines.heading": "Transfer lines and the whole budget",
    "lines.caption": "A unit's resources are its revenue kept plus every transfer line. Each line "
    "has its own envelope, eligibility and rule; the totals reconcile to the million VND.",
    "lines.illustrative": "Illustrative: how these lines are shared among units (their totals "
    "are as stated): {lines}.",
    "lines.totals": "Lines",
    "lines.units": "Each unit's lines (bn VND)",
    "lines.rules": "Rules on the whole budget",
    "lines.rules_caption": "Each rule states what it applies to: a unit's total resources or one "
    "line. 'Not judged': the data hold no figure for the unit to compare with (the requirement "
    "alone is shown).",
    "lines.why": "By line",
    "lines.compare": "Transfer lines per scenario (bn VND)",
    "lines.priority": "{line}: priority where the balancing transfer is at least {threshold} of "
    "the spending need A ({count} units)",
    "lines.priority_caption": "Only eligible units are listed. The ratio is the first year's "
    "balancing transfer over the spending need A (the balanced spending the transfer is computed "
    "from); a unit with priority has its claim on the line counted × the factor. The threshold "
    "is the national target programmes' rule; the size of the priority is illustrative.",
    "col.balancing_bn": "Balancing transfer (bn VND)",
    "col.need_a_bn": "Spending need A (bn VND)",
    "col.priority_ratio": "Transfer / A",
    "col.priority": "Priority",
    "col.priority_factor": "Claim counts ×",
    "col.line": "Line",
    "col.line_rule": "Rule",
    "col.eligible_units": "Eligible",
    "col.envelope_bn": "Envelope (bn VND)",
    "col.allocated_bn": "Allocated (bn VND)",
    "col.units_paid": "Units paid",
    "col.real_amounts": "Real per-unit amounts",
    "col.illustrative": "Illustrative sharing",
    "col.revenue_kept_bn": "Revenue kept (bn VND)",
    "col.transfers_total_bn": "All lines (bn VND)",
    "col.resources_total_bn": "Resources (bn VND)",
    "col.rule": "Rule",
    "col.rule_kind": "Kind",
    "col.rule_base": "Applies to",
    "col.judged": "Units judged",
    "col.breaches": "Units where it does not hold",
    "col.shortfall_bn": "Shortfall (bn VND)",
    # Trade-offs across lines
    "trade.on_balancing": "revenue kept + balancing",
    "trade.lines_caption": "This scenario has transfer lines: each metric says what it is "
    "measured on. Those 'on total resources' count all revenue kept and every line; those "
    "marked 'revenue kept + balancing' count only what the balancing allocation moves. Each "
    "line's total and the units breaching each whole-budget rule are metrics too.",
    "trade.lines_head": "Each transfer line at a point of the frontier (bn VND)",
    "trade.point_pick": "Point (value of the setting)",
    "trade.at_point": "At this point",
    "trade.now": "Current scenario",
    "trade.change": "Change",
    "trade.units_go": "Each unit at this point",
    "trade.units_head": "Each unit's lines where {setting} = {value} (bn VND)",
    "trade.change_resources": "Change in resources (bn VND)",
    "metric.total_help": "All revenue kept (land fees and lottery included) plus every transfer "
    "line. The cards before it are on revenue kept and the balancing transfer.",
    "metric.gini_total_help": "Inequality of total resources per person, weighted by population "
    "(0 = equal).",
    "metric.breaching_help": "Units where at least one rule on the whole budget does not hold "
    "(each rule on the base it states).",
}

VI: dict[str, str] = {
    "lines.heading": "Các khoản bổ sung và toàn bộ ngân sách",
    "lines.caption": "Nguồn lực của một đơn vị là số thu được hưởng cộng mọi khoản bổ sung. Mỗi "
    "khoản có tổng mức, đối tượng được nhận và quy tắc phân bổ riêng; các tổng khớp đến từng "
    "triệu đồng.",
    "lines.illustrative": "Minh họa: cách chia các khoản sau cho từng đơn vị (tổng mức theo số "
    "liệu nêu): {lines}.",
    "lines.totals": "Các khoản",
    "lines.units": "Các khoản của từng đơn vị (tỷ đồng)",
    "lines.rules": "Quy tắc trên toàn bộ ngân sách",
    "lines.rules_caption": "Mỗi quy tắc nêu rõ áp dụng trên gì: tổng nguồn lực của đơn vị hay một "
    "khoản bổ sung. 'Không đối chiếu': dữ liệu không có số liệu của đơn vị để so sánh (chỉ nêu "
    "yêu cầu).",
    "lines.why": "Theo từng khoản",
    "lines.compare": "Các khoản bổ sung theo kịch bản (tỷ đồng)",
    "lines.priority": "{line}: ưu tiên đơn vị có bổ sung cân đối từ {threshold} nhu cầu chi A "
    "trở lên ({count} đơn vị)",
    "lines.priority_caption": "Chỉ liệt kê các đơn vị được nhận. Tỷ lệ là bổ sung cân đối năm đầu "
    "so với nhu cầu chi A (chi cân đối dùng để tính số bổ sung cân đối); đơn vị được ưu tiên có "
    "phần được chia nhân với hệ số. Ngưỡng là quy định của các chương trình mục tiêu quốc gia; "
    "mức ưu tiên là minh họa.",
    "col.balancing_bn": "Bổ sung cân đối (tỷ đồng)",
    "col.need_a_bn": "Nhu cầu chi A (tỷ đồng)",
    "col.priority_ratio": "Bổ sung cân đối / A",
    "col.priority": "Ưu tiên",
    "col.priority_factor": "Hệ số",
    "col.line": "Khoản",
    "col.line_rule": "Quy tắc",
    "col.eligible_units": "Đối tượng",
    "col.envelope_bn": "Tổng mức (tỷ đồng)",
    "col.allocated_bn": "Đã phân bổ (tỷ đồng)",
    "col.units_paid": "Số đơn vị nhận",
    "col.real_amounts": "Số thực tế theo đơn vị",
    "col.illustrative": "Cách chia minh họa",
    "col.revenue_kept_bn": "Thu được hưởng (tỷ đồng)",
    "col.transfers_total_bn": "Tổng các khoản (tỷ đồng)",
    "col.resources_total_bn": "Tổng nguồn lực (tỷ đồng)",
    "col.rule": "Quy tắc",
    "col.rule_kind": "Loại",
    "col.rule_base": "Áp dụng trên",
    "col.judged": "Số đơn vị đối chiếu",
    "col.breaches": "Đơn vị không đạt",
    "col.shortfall_bn": "Thiếu hụt (tỷ đồng)",
    "trade.on_balancing": "thu được hưởng + bổ sung cân đối",
    "trade.lines_caption": "Kịch bản này có nhiều khoản bổ sung: mỗi chỉ số ghi rõ tính trên "
    "gì. Các chỉ số 'tổng nguồn lực' tính toàn bộ số thu được hưởng và mọi khoản bổ sung; các "
    "chỉ số ghi 'thu được hưởng + bổ sung cân đối' chỉ tính phần do phân bổ bổ sung cân đối "
    "quyết định. Tổng của từng khoản và số đơn vị không đạt từng quy tắc trên toàn bộ ngân sách "
    "cũng là chỉ số.",
    "trade.lines_head": "Từng khoản bổ sung tại một điểm của đường đánh đổi (tỷ đồng)",
    "trade.point_pick": "Điểm (giá trị của thiết lập)",
    "trade.at_point": "Tại điểm này",
    "trade.now": "Kịch bản hiện tại",
    "trade.change": "Chênh lệch",
    "trade.units_go": "Từng đơn vị tại điểm này",
    "trade.units_head": "Các khoản của từng đơn vị khi {setting} = {value} (tỷ đồng)",
    "trade.change_resources": "Chênh lệch tổng nguồn lực (tỷ đồng)",
    "metric.total_help": "Toàn bộ số thu được hưởng (kể cả tiền sử dụng đất và xổ số) cộng mọi "
    "khoản bổ sung. Các ô trước tính trên số thu được hưởng và bổ sung cân đối.",
    "metric.gini_total_help": "Mức chênh lệch tổng nguồn lực bình quân đầu người, có trọng số "
    "dân số (0 = đồng đều).",
    "metric.breaching_help": "Số đơn vị không đạt ít nhất một quy tắc trên toàn bộ ngân sách "
    "(mỗi quy tắc trên cơ sở tính của nó).",
}
