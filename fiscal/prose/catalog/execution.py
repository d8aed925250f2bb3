"""The execution and capital views (:mod:`fiscal.execution`, :mod:`fiscal.capital`,
:mod:`fiscal.execution_export`): the errors and notes a user can meet on the command line or the
app's Execution and capital page."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    "drawdown.too_small": (
        "{who}: {amount:,} units is too small to draw within the caps of Circular 26/2026/TT-BTC "
        "Art. 15.3a at this rounding unit (1/12 a month, Q1 ≤ 30 %); round to the dong "
        "(--unit dong)",
        "{who}: {amount:,} đơn vị làm tròn là quá nhỏ để rút dự toán trong các mức tối đa của "
        "Thông tư 26/2026/TT-BTC Điều 15 khoản 3 điểm a (1/12 mỗi tháng, quý I ≤ 30%) ở đơn vị "
        "làm tròn này; hãy làm tròn đến đồng",
    ),
    "drawdown.profile_caps": (
        "drawdown profile breaks the caps of Circular 26/2026/TT-BTC Art. 15.3a: at most 12 % a "
        "month in Q1, 30 % in Q1, 1/12 a month after ({where})",
        "tiến độ rút dự toán vượt các mức tối đa của Thông tư 26/2026/TT-BTC Điều 15 khoản 3 "
        "điểm a: mỗi tháng quý I không quá 12%, cả quý I không quá 30%, các tháng sau không quá "
        "1/12 ({where})",
    ),
    "drawdown.profile_sum": (
        "drawdown profile: the 12 shares must be ≥ 0 and sum to 1 (sum {total:plain})",
        "tiến độ rút dự toán: 12 tỷ lệ phải không âm và có tổng bằng 1 (tổng {total:plain})",
    ),
    "outturn.unknown_unit": (
        "--fix: unit '{code}' is not in the table ({codes})",
        "--fix: đơn vị '{code}' không có trong bảng ({codes})",
    ),
    # -- drawdown (fiscal.execution)
    "drawdown.profile_text": (
        "drawdown profile '{profile}': use 'even', 'front' or 12 shares separated by commas "
        "(e.g. 0.1,0.1,0.1,...)",
        "tiến độ rút dự toán '{profile}': hãy dùng 'even' (đều 1/12 mỗi tháng), 'front' (dồn quý "
        "I) hoặc 12 tỷ lệ ngăn cách bằng dấu phẩy, viết dấu chấm thập phân (ví dụ `0.1,0.1,0.1,...`)",
    ),
    "drawdown.profile_months": (
        "a drawdown profile has 12 monthly shares (got {n})",
        "tiến độ rút dự toán cần đúng 12 tỷ lệ theo tháng (nhận được {n})",
    ),
    "drawdown.months": ("month(s) {months}", "tháng {months:setting}"),
    "drawdown.q1": ("Q1 {share:.1%}", "quý I {share:.1%}"),
    "drawdown.caps_hold": (
        "drawdown: the caps cannot hold the amount",
        "rút dự toán: các mức tối đa không đủ chứa số dự toán",
    ),
    "drawdown.unit": (
        "drawdown unit must be 'million' or 'dong' (got '{unit}')",
        "đơn vị làm tròn của tiến độ rút dự toán phải là 'million' (triệu đồng) hoặc 'dong' "
        "(đồng) (nhận được '{unit}')",
    ),
    "drawdown.annual": (
        "{who}: the annual amount {value:,} is not a whole, non-negative number of million VND",
        "{who}: số cả năm {value:,} không phải là một số nguyên không âm triệu đồng",
    ),
    "drawdown.who_unit": ("unit {code}", "đơn vị {code}"),
    "drawdown.who_row": ("row {row}", "dòng {row}"),
    # -- outturn (fiscal.execution)
    "outturn.opening_debt": (
        "opening debt must be a share of the ceiling between 0 and 2 (got {share:g}); it is a "
        "fraction, not percent",
        "dư nợ đầu kỳ là tỷ lệ so với mức dư nợ vay tối đa, phải từ 0 đến 2 (nhận được "
        "{share:g}); đây là phân số, không phải phần trăm",
    ),
    "outturn.draws": (
        "draws must be at least 1 (got {draws:,})",
        "số lượt mô phỏng phải ít nhất là 1 (nhận được {draws:,})",
    ),
    "outturn.factor": (
        "--fix {code}: the factor {factor:g} must be between 0 and 10 (1.15 = 115 % of the "
        "estimate)",
        "--fix {code}: hệ số {factor:g} phải từ 0 đến 10 (1,15 = 115% số dự toán)",
    ),
    "outturn.note_no_share": (
        "no capital share known for this unit table: no shortfall is borrowed",
        "không biết tỷ trọng chi đầu tư của bảng đơn vị này: không phần thiếu hụt nào được bù "
        "bằng vay",
    ),
    "outturn.note_communes": (
        "communes do not borrow: a shortfall stays unfunded, no debt is judged",
        "cấp xã không được vay: phần thiếu hụt không có nguồn bù, không xét dư nợ",
    ),
    "outturn.note_debt_column": (
        "opening debt: the unit table's 'debt' column",
        "dư nợ đầu kỳ: cột 'debt' của bảng đơn vị",
    ),
    "outturn.note_debt_illustrative": (
        "opening debt: illustrative, {share:.0%} of each unit's ceiling at the estimate",
        "dư nợ đầu kỳ: minh hoạ, bằng {share:.0%} mức dư nợ vay tối đa của từng đơn vị theo số "
        "dự toán",
    ),
    # -- the views' exports (fiscal.execution_export)
    "export.view_lang": (
        "language must be 'en' or 'vi' (got '{lang}')",
        "ngôn ngữ phải là 'en' (tiếng Anh) hoặc 'vi' (tiếng Việt) (nhận được '{lang}')",
    ),
    "export.view_failed": (
        "cannot write '{title}' as {fmt}: {detail}",
        "không ghi được “{title}” dạng {fmt}: {detail}",
    ),
    "export.view_year": (
        "year {year} is not a year of '{scenario}' ({years}); choose one of them",
        "năm {year} không thuộc kịch bản “{scenario}” ({years}); hãy chọn một trong các năm đó",
    ),
    # -- the capital plan (fiscal.capital)
    "capital.no_plan": (
        "{path}: no such plan file; check the path (without --plan the shipped "
        "capital_2026_2030.toml is used)",
        "{path}: không có tệp kế hoạch này; hãy kiểm tra đường dẫn (không có --plan thì dùng tệp "
        "capital_2026_2030.toml đi kèm)",
    ),
    "capital.plan_toml": (
        "{file}: not valid TOML ({detail})",
        "{file}: không phải tệp TOML hợp lệ ({detail})",
    ),
    "capital.plan_table": (
        "{where}: missing table [{key}]; a plan has [plan], [split], [growth] and [line] (see the "
        "shipped capital_2026_2030.toml)",
        "{where}: thiếu bảng [{key}]; một kế hoạch có các bảng [plan], [split], [growth] và [line] "
        "(xem tệp capital_2026_2030.toml đi kèm)",
    ),
    "capital.plan_years": (
        "{where}: plan.years must be consecutive years (got {years})",
        "{where}: plan.years phải là các năm liên tiếp (nhận được {years:setting})",
    ),
    "capital.share_range": (
        "{where}: split.capital_share must be between 0 and 1 (got {share}); it is a fraction, "
        "not percent",
        "{where}: split.capital_share phải từ 0 đến 1 (nhận được {share:setting}); đây là phân "
        "số, không phải phần trăm",
    ),
    "capital.share_name": (
        "{where}: split.capital_share must be a fraction or 'ca_mau_2026'",
        "{where}: split.capital_share phải là một phân số hoặc 'ca_mau_2026' (tỷ trọng của Cà "
        "Mau năm 2026)",
    ),
    "capital.growth": (
        "{where}: growth rates are fractions per year between −0.5 and 1",
        "{where}: các tốc độ tăng (mục [growth]) là tỷ lệ mỗi năm, từ −0,5 đến 1",
    ),
    "capital.total": (
        "{where}: line.total must be a non-negative amount in million VND",
        "{where}: line.total phải là số tiền không âm, tính bằng triệu đồng",
    ),
    "capital.phasing": (
        "{where}: line.phasing must give one non-negative share per year ({n}) summing to 1 "
        "(got {phasing})",
        "{where}: line.phasing phải có một tỷ lệ không âm cho mỗi năm ({n} năm), tổng bằng 1 "
        "(nhận được {phasing:setting})",
    ),
    "capital.eligible": (
        "{where}: line.eligible must be 'all' or 'receiving' (got '{eligible}')",
        "{where}: line.eligible phải là 'all' (mọi đơn vị) hoặc 'receiving' (đơn vị nhận bổ "
        "sung cân đối) (nhận được '{eligible}')",
    ),
    "capital.no_criteria": (
        "{where}: line.criteria must list at least one criterion",
        "{where}: line.criteria phải có ít nhất một tiêu chí",
    ),
    "capital.criterion_keys": (
        "{where}: unknown key(s) {unknown}; allowed: {allowed}",
        "{where}: khoá không hợp lệ {unknown}; các khoá được dùng: {allowed}",
    ),
    "capital.criterion_string": (
        "{where}.{key} must be a non-empty string",
        "{where}.{key} phải là một chuỗi ký tự không rỗng",
    ),
    "capital.criterion_step": (
        "{where}.step must be positive (got {step})",
        "{where}.step phải lớn hơn 0 (nhận được {step:setting})",
    ),
    "capital.criterion_both": (
        "{where}: give either bands or base/threshold/step, not both",
        "{where}: hãy cho hoặc bands (các bậc) hoặc base/threshold/step, không cho cả hai",
    ),
    "capital.criterion_negative": (
        "{where}: points, thresholds and steps must be finite and ≥ 0",
        "{where}: điểm, ngưỡng và bước phải là số hữu hạn và ≥ 0",
    ),
    "capital.ca_mau": (
        "split.capital_share = 'ca_mau_2026' needs Cà Mau (code 96) in the unit table; give a "
        "fraction instead",
        "split.capital_share = 'ca_mau_2026' cần tỉnh Cà Mau (mã 96) trong bảng đơn vị; hãy cho "
        "một phân số thay thế",
    ),
    "capital.spending_need": (
        "the capital view needs the unit-table column spending_need (A); the bundled 34 units "
        "have it",
        "phần chi đầu tư cần cột spending_need (A, nhu cầu chi cân đối) của bảng đơn vị; bảng 34 "
        "tỉnh đi kèm có cột này",
    ),
    "capital.indicator_column": (
        "criterion indicator '{name}' is not a unit-table column; use a numeric column "
        "(population, area_km2, communes, ...) or {derived}",
        "chỉ tiêu '{name}' của tiêu chí không phải là cột của bảng đơn vị; hãy dùng một cột số "
        "('population', 'area_km2', 'communes', ...) hoặc {derived}",
    ),
    "capital.indicator_values": (
        "criterion indicator '{name}' has missing or non-numeric values; fill the column with "
        "numbers",
        "chỉ tiêu '{name}' của tiêu chí có giá trị trống hoặc không phải số; hãy điền số vào cột",
    ),
    "capital.points_invalid": (
        "points must be finite and non-negative",
        "số điểm phải là số hữu hạn và không âm",
    ),
    "capital.no_points": (
        "no unit has points: nobody can receive the capital line; check the criteria and "
        "line.eligible",
        "không đơn vị nào có điểm: không ai nhận được dòng vốn đầu tư; hãy kiểm tra các tiêu chí "
        "và line.eligible",
    ),
}
