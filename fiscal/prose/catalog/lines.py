"""Transfer lines and whole-budget rules: their settings (fiscal.scenario_lines) and their
allocation (fiscal.lines, fiscal.budget_rules)."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- settings (fiscal.scenario_lines)
    "lines.units_twice": (
        "unit(s) {units} are listed twice",
        "các đơn vị {units} được liệt kê hai lần",
    ),
    "lines.fixed_amounts": (
        "rule = 'fixed' needs amounts = {{code = amount}} or amounts_file",
        "`rule = 'fixed'` cần `amounts = {{mã = số tiền}}` hoặc `amounts_file` (danh sách theo quyết "
        "định)",
    ),
    "lines.criteria": (
        "rule = '{rule}' needs [[lines.<name>.criteria]] (indicator and rate: the {what} of each "
        "unit)",
        "`rule = '{rule}'` cần `[[lines.<tên>.criteria]]` (chỉ tiêu và định mức: {what_vi} của từng "
        "đơn vị)",
    ),
    "lines.optimise_envelope": (
        "rule = 'optimise' needs an envelope (million VND)",
        "`rule = 'optimise'` cần tổng mức `envelope` (triệu đồng)",
    ),
    "lines.unknown_class": (
        "central_share has unknown fiscal class(es) {bad}; use {classes}",
        "central_share có nhóm địa phương không hợp lệ {bad}; dùng {classes}",
    ),
    "lines.central_share_range": (
        "central_share.{cls} must be between 0 and 1 (got {value:g}): it is the central budget's "
        "share of the unit's cost as a fraction (0.8 = 80 %), not percent; set it from 0 to 1, "
        "or remove it for Decree 09/2025/NĐ-CP's {default:g}",
        "central_share.{cls} phải nằm trong khoảng từ 0 đến 1 (nhận được {value:g}): đây là phần "
        "ngân sách trung ương hỗ trợ trong chi phí của đơn vị, viết dưới dạng phân số (0,8 = "
        "80 %), không phải phần trăm; hãy đặt giá trị từ 0 đến 1, hoặc bỏ đi để dùng mức "
        "{default:g} của Nghị định 09/2025/NĐ-CP",
    ),
    "lines.central_share_only": (
        "central_share is a setting of rule = 'cofinance'",
        "central_share chỉ dùng với rule = 'cofinance' (đối ứng theo nhóm địa phương)",
    ),
    "lines.top_up_needs": (
        "rule = 'top_up' needs ratio (of a reference), per_capita or both",
        "rule = 'top_up' cần ratio (tỷ lệ so với mức tham chiếu), per_capita hoặc cả hai",
    ),
    "lines.top_up_only": (
        "ratio, reference_column and per_capita are settings of rule = 'top_up'",
        "ratio, reference_column và per_capita chỉ dùng với rule = 'top_up' (bổ sung đến mức "
        "tối thiểu)",
    ),
    "lines.constraints_only": (
        "constraints of a line are solved by rule = 'optimise'; a fixed, formula or cofinance "
        "line is its rule (use eligible/units to restrict it)",
        "các ràng buộc của một khoản chỉ được giải với rule = 'optimise'; khoản theo danh sách, "
        "công thức hay đối ứng được xác định bởi chính quy tắc đó (dùng eligible/units để giới "
        "hạn đối tượng)",
    ),
    "lines.points_needs": (
        "rule = 'points' needs [[lines.<name>.points]] (criteria and their points) and an "
        "envelope (million VND) to share in proportion to the points",
        "`rule = 'points'` cần `[[lines.<tên>.points]]` (các tiêu chí và số điểm) và tổng mức "
        "`envelope` (triệu đồng) để chia theo tỷ lệ điểm",
    ),
    "lines.points_twice": (
        "each points criterion needs its own indicator ({indicators} used twice)",
        "mỗi tiêu chí tính điểm cần một chỉ tiêu riêng ({indicators} được dùng hai lần)",
    ),
    "lines.points_only": (
        "[[lines.<name>.points]] are the criteria of rule = 'points'; rule = '{rule}' reads "
        "[[lines.<name>.criteria]]",
        "`[[lines.<tên>.points]]` là tiêu chí của `rule = 'points'`; `rule = '{rule}'` dùng "
        "`[[lines.<tên>.criteria]]`",
    ),
    "lines.points_form": (
        "points criterion '{name}': give either bands = [[lower, points], ...] or "
        "base/threshold/step/per_step, not both",
        "tiêu chí tính điểm '{name}': chỉ khai báo một trong hai cách, `bands = [[mức dưới, "
        "điểm], ...]` hoặc `base`/`threshold`/`step`/`per_step`",
    ),
    "lines.points_band": (
        "points criterion '{name}': each band is [lower, points], two numbers ≥ 0 (got {band})",
        "tiêu chí tính điểm '{name}': mỗi khoảng là [mức dưới, điểm], hai số ≥ 0 (đang là {band})",
    ),
    "lines.priority_rule": (
        "[lines.<name>.priority] weighs the claims a line shares its envelope by (rule = "
        "'points', 'formula' or 'cofinance'); rule = '{rule}' has none: remove the priority or "
        "change the rule",
        "`[lines.<tên>.priority]` nhân hệ số vào phần được chia của từng đơn vị (`rule = "
        "'points'`, `'formula'` hoặc `'cofinance'`); `rule = '{rule}'` không chia theo tỷ lệ: "
        "hãy bỏ mục ưu tiên hoặc đổi quy tắc",
    ),
    "lines.priority_need": (
        "{where}.priority compares each unit's balancing transfer with its spending need A "
        "(the unit-table column spending_need), which this unit table lacks: add the column "
        "or remove the priority",
        "{where}.priority so sánh bổ sung cân đối của từng đơn vị với nhu cầu chi A (cột "
        "`spending_need` của bảng đơn vị), nhưng bảng đơn vị này không có cột đó: hãy thêm cột "
        "hoặc bỏ mục ưu tiên",
    ),
    "budget.rule_needs": (
        "a {kind} rule needs {missing}",
        "quy tắc {kind} cần {missing}",
    ),
    "lines.provinces": (
        "[lines.<name>] and [[budget_rules]] are set with provinces: level = 'province'",
        "[lines.<tên>] và [[budget_rules]] áp dụng cho cấp tỉnh: level = 'province'",
    ),
    "lines.bad_name": (
        "line name '{name}' must be letters, digits, '-' or '_' (it names table columns)",
        "tên khoản '{name}' chỉ gồm chữ, số, '-' hoặc '_' (tên này đặt cho các cột của bảng)",
    ),
    "lines.constraint_sector": (
        "constraints[{i}].kind = '{kind}' bounds a sector, but a line's allocation has no "
        "sectors (one amount per unit); remove it, tie the whole line to a sector with sector = "
        "'<name>', or set the sector's floor in [[budget_rules]] kind = 'earmark_share'",
        "constraints[{i}].kind = '{kind}' giới hạn theo lĩnh vực, nhưng phân bổ của một khoản "
        "không chia theo lĩnh vực (mỗi đơn vị một số tiền); hãy bỏ ràng buộc này, gắn cả khoản "
        "với một lĩnh vực bằng sector = '<tên>', hoặc đặt mức chi tối thiểu cho lĩnh vực trong "
        "[[budget_rules]] kind = 'earmark_share'",
    ),
    "lines.constraint_predecessors": (
        "constraints[{i}].base = 'predecessors': a line's allocation does not see the "
        "predecessors of [sharing]; use base = 'resources' (revenue kept + the lines before "
        "this one + this line), or put the rule in [[budget_rules]] kind = 'hold_harmless'",
        "constraints[{i}].base = 'predecessors': phân bổ của một khoản không dùng số liệu các "
        "tỉnh cũ của [sharing]; hãy dùng base = 'resources' (thu được hưởng + các khoản trước "
        "khoản này + khoản này), hoặc đặt quy tắc trong [[budget_rules]] kind = 'hold_harmless'",
    ),
    "lines.constraints_of": ("lines.{name}: {detail}", "khoản lines.{name}: {detail}"),
    "lines.unknown_sector": (
        "lines.{name}.sector '{sector}' is not in [[sectors]] ({sectors})",
        "lines.{name}.sector '{sector}' không có trong [[sectors]] ({sectors})",
    ),
    "budget.names_twice": (
        "budget rule name(s) {names} are used twice; give each its own name",
        "tên quy tắc {names} được dùng hai lần; hãy đặt cho mỗi quy tắc một tên riêng",
    ),
    "budget.unknown_base": (
        "budget_rules[{index}] ('{name}'): base '{base}' is neither 'total', 'kept', 'capacity' "
        "nor a line, or a sum of them with '+' (lines: {lines})",
        "budget_rules[{index}] ('{name}'): base '{base}' không phải 'total', 'kept', 'capacity', "
        "một khoản bổ sung hay tổng của chúng nối bằng '+' (các khoản: {lines})",
    ),
    "budget.debt_base": (
        "budget_rules[{index}] ('{name}'): a debt ceiling is on revenue kept (Law 89/2025/QH15 "
        "Art. 7): leave base = 'total'",
        "budget_rules[{index}] ('{name}'): hạn mức dư nợ tính trên số thu được hưởng theo phân "
        "cấp (Luật 89/2025/QH15 Điều 7): để base = 'total'",
    ),
    # -- allocation (fiscal.lines)
    "lines.unit_list": ("{units}{more}", "{units}{more}"),
    "lines.merged_column": (
        "{where}: eligible = '{eligible}' needs a 'merged' column",
        "{where}: eligible = '{eligible}' cần cột 'merged' (đơn vị hợp nhất)",
    ),
    "lines.unknown_units": (
        "{where}.units: unknown unit code(s) {units}",
        "{where}.units: mã đơn vị không có {units}",
    ),
    "lines.cofinance_class": (
        "{where}: rule = 'cofinance' needs each unit's fiscal class; give the units a "
        "sharing_rate column or the scenario a [sharing] table",
        "{where}: rule = 'cofinance' cần nhóm địa phương của từng đơn vị; hãy thêm cột "
        "sharing_rate vào bảng đơn vị hoặc bảng [sharing] vào kịch bản",
    ),
    "lines.envelope_unit": (
        "{where}.envelope {envelope:plain} is not a multiple of the rounding unit {unit:g}",
        "{where}.envelope {envelope:plain} không phải bội số của đơn vị làm tròn {unit:g}",
    ),
    "lines.known_above": (
        "{where}: the known amounts ({known:,.0f} million VND) exceed the envelope "
        "{envelope:,.0f} in {year}; raise the envelope or check them",
        "{where}: các số đã biết ({known:,.0f} triệu đồng) vượt tổng mức {envelope:,.0f} năm "
        "{year}; hãy tăng tổng mức hoặc kiểm tra lại các số đó",
    ),
    "lines.no_claims": (
        "{where}: {rest:,.0f} million VND to share but no eligible unit has a claim under this "
        "rule; check eligible, units and the criteria",
        "{where}: còn {rest:,.0f} triệu đồng để chia nhưng không đơn vị được nhận nào có số theo "
        "quy tắc này; hãy kiểm tra eligible, units và các tiêu chí",
    ),
    "lines.not_eligible_listed": (
        "{where}: {units} listed with an amount but not eligible (eligible = '{eligible}'); the "
        "decision and the eligibility disagree",
        "{where}: {units} có số tiền trong danh sách nhưng không thuộc đối tượng (eligible = "
        "'{eligible}'); quyết định và đối tượng được nhận không khớp nhau",
    ),
    "lines.fixed_sum": (
        "{where}: the listed amounts add up to {total:,.0f} million VND in {year}, not the "
        "envelope {envelope:,.0f}",
        "{where}: các số trong danh sách cộng lại {total:,.0f} triệu đồng năm {year}, không bằng "
        "tổng mức {envelope:,.0f}",
    ),
    "lines.amounts_twice": (
        "{where}: {file} has more than one row for unit(s) {units}; select one (amounts_metric, "
        "amounts_year) or add them up with amounts_combine = 'sum'",
        "{where}: {file} có nhiều hơn một dòng cho các đơn vị {units}; hãy chọn một dòng "
        "(amounts_metric, amounts_year) hoặc cộng dồn với amounts_combine = 'sum'",
    ),
    "lines.amounts_unknown": (
        "{where}: amounts for unknown unit code(s) {units}",
        "{where}: có số tiền cho mã đơn vị không có {units}",
    ),
    "lines.amounts_whole": (
        "{where}: amounts of {units} are not whole rounding units of {unit:g}",
        "{where}: số tiền của {units} không phải bội số của đơn vị làm tròn {unit:g}",
    ),
    "lines.reference_column": (
        "{where}.reference_column '{column}' is not a column of the unit table",
        "{where}.reference_column '{column}' không phải là cột của bảng đơn vị",
    ),
    "lines.top_up_reference": (
        "{where}: a top-up on ratio needs reference_column or a scenario with [sharing] (the "
        "predecessors' resources)",
        "{where}: bổ sung theo tỷ lệ cần reference_column hoặc kịch bản có [sharing] (nguồn lực "
        "của các tỉnh cũ)",
    ),
    "lines.amounts_not_bundled": (
        "{where}.amounts_file '{ref}' is not a bundled file (fiscal/datasets/sources/<file>)",
        "{where}.amounts_file '{ref}' không phải là tệp đi kèm fiscal "
        "(fiscal/datasets/sources/<tệp>)",
    ),
    "lines.amounts_columns": (
        "{file}: columns {missing} missing (need code and value)",
        "{file}: thiếu các cột {missing} (cần cột 'code' và 'value')",
    ),
    "lines.amounts_no_metric": (
        "{file}: no metric column to select '{metric}'; add one or leave out amounts_metric",
        "{file}: không có cột 'metric' để chọn '{metric}'; hãy thêm cột này hoặc bỏ amounts_metric",
    ),
    "lines.amounts_no_year": (
        "{file}: no year column to select {year}; add one or leave out amounts_year",
        "{file}: không có cột 'year' để chọn năm {year}; hãy thêm cột này hoặc bỏ amounts_year",
    ),
    "lines.amounts_no_row": (
        "{where}: {file} has no row with a code for {filters}; check them against the file",
        "{where}: {file} không có dòng nào có mã đơn vị với {filters}; hãy đối chiếu với tệp",
    ),
    "lines.amounts_empty": (
        "{where}: {file} has no row with a unit code; write one row per unit (code, value)",
        "{where}: {file} không có dòng nào có mã đơn vị; hãy ghi mỗi đơn vị một dòng (code, value)",
    ),
    "lines.amounts_unit": (
        "{file}: unit(s) {bad} not understood; use one of {known}",
        "{file}: không hiểu đơn vị tính {bad}; hãy dùng một trong {known}",
    ),
    "lines.amounts_invalid": (
        "{file}: unit {code} has no valid amount (got {value:,}); amounts are numbers ≥ 0",
        "{file}: đơn vị {code} không có số tiền hợp lệ (nhận được {value:,}); số tiền phải là số "
        "≥ 0",
    ),
    "lines.amounts_not_number": (
        "{file}: unit {code} has no valid amount (got '{value}'); write a number in the value "
        "column",
        "{file}: đơn vị {code} không có số tiền hợp lệ (nhận được '{value}'); hãy ghi một số vào "
        "cột 'value'",
    ),
    "lines.criteria_wrapped": ("{where}.criteria: {detail}", "{where}.criteria: {detail}"),
    "lines.optimise_solver": (
        "{where}: rule = 'optimise' needs a solver (fiscal.pipeline)",
        "{where}: rule = 'optimise' cần bộ giải (fiscal.pipeline)",
    ),
    "lines.optimise_wrapped": (
        "{where} (rule = 'optimise'): {detail}",
        "{where} (khoản phân bổ bằng tối ưu hoá, `rule = 'optimise'`): {detail}",
    ),
    # -- whole-budget rules (fiscal.budget_rules)
    "budget.column": (
        "budget_rules '{name}': {setting} '{column}' is not a column of the unit table",
        "budget_rules '{name}': {setting} '{column}' không phải là cột của bảng đơn vị",
    ),
    "budget.hold_harmless_reference": (
        "budget_rules '{name}': hold_harmless needs reference_column (a column of the unit "
        "table) or a scenario with [sharing] (the predecessors' resources)",
        "budget_rules '{name}': hold_harmless cần reference_column (một cột của bảng đơn vị) "
        "hoặc kịch bản có [sharing] (nguồn lực của các tỉnh cũ)",
    ),
}
