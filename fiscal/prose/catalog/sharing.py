"""The A/B/C mechanism (issue 11): its scenario tables (fiscal.scenario_sharing), its inputs
(fiscal.mechanism), the rate model (fiscal.rate_model, fiscal.rates), rules on the predecessors'
resources (fiscal.rules.bounds) and last year's transfers from another scenario
(fiscal.pipeline)."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the [sharing] and [lines] tables (fiscal.scenario_sharing)
    "sharing.optimise_within": (
        "rates = 'optimise' chooses the rates of a period start; within a period the rates are "
        "frozen (use mode = 'period_start')",
        "rates = 'optimise' chọn tỷ lệ của năm đầu thời kỳ ổn định; trong thời kỳ ổn định tỷ lệ "
        "được giữ nguyên (hãy dùng mode = 'period_start')",
    ),
    "sharing.topup_twice": (
        "unit(s) {units} have two top-ups; give one amount per unit",
        "các đơn vị {units} có hai khoản bổ sung thêm; mỗi đơn vị chỉ một khoản",
    ),
    "sharing.from_sharing_alone": (
        "envelope.from_sharing needs a [sharing] table (the mechanism)",
        "envelope.from_sharing cần bảng [sharing] (cơ chế phân chia)",
    ),
    "sharing.one_year": (
        "a scenario with [sharing] covers one budget year (got {years}); a period start and the "
        "years inside it are separate scenarios",
        "kịch bản có [sharing] chỉ gồm một năm ngân sách (nhận được {years}); năm đầu thời kỳ ổn "
        "định và các năm trong thời kỳ là các kịch bản riêng",
    ),
    "sharing.provinces": (
        "[sharing] sets the centre's rates with provinces: level = 'province'",
        "[sharing] đặt tỷ lệ phân chia giữa trung ương và các tỉnh: level = 'province'",
    ),
    "sharing.optimise_objective": (
        "rates = 'optimise' needs an optimising objective (need_gap, shortfall_minimax, "
        "per_capita_maximin or stability), not '{kind}'",
        "rates = 'optimise' cần một mục tiêu tối ưu (need_gap, shortfall_minimax, "
        "per_capita_maximin hoặc stability), không phải '{kind}'",
    ),
    "sharing.lines_within": (
        "[lines.balancing] uplift and top-ups apply inside a stability period: add [sharing] mode "
        "= 'within_period'",
        "mức tăng và các khoản bổ sung thêm của [lines.balancing] chỉ áp dụng trong thời kỳ ổn "
        "định: hãy thêm [sharing] mode = 'within_period'",
    ),
    # -- the mechanism's inputs (fiscal.mechanism)
    "sharing.not_whole": (
        "[sharing] reads '{column}' as whole million VND, but unit {unit} has {value!r}; the A/B/C "
        "mechanism works in whole million VND (triệu đồng)",
        "[sharing] đọc cột {column:column} theo đơn vị triệu đồng nguyên, nhưng đơn vị {unit} có "
        "{value!r}; cơ chế A/B/C tính bằng triệu đồng nguyên",
    ),
    "sharing.missing_columns": (
        "[sharing] needs the unit-table column(s) {columns:columns} (B = revenue kept 100 %, C = the "
        "shared base, the whole-percent sharing_rate in force); the bundled 34 units have them, "
        "and `fiscal template units.xlsx --prefilled` shows them filled",
        "[sharing] cần các cột {columns:columns} của bảng đơn vị (B = thu hưởng 100%, C = các "
        "khoản thu phân chia, tỷ lệ phần trăm phân chia đang áp dụng); 34 đơn vị kèm theo đã có "
        "các cột này, và `fiscal template units.xlsx --prefilled` cho thấy chúng được điền",
    ),
    "sharing.predecessor_columns": (
        "{source}: a predecessors table needs the columns {needed} (missing: {missing}); one row "
        "per old unit, 'unit' = the code of the unit it merged into",
        "{source}: bảng các tỉnh cũ cần các cột {needed} (thiếu: {missing}); mỗi tỉnh cũ một "
        "dòng, 'unit' = mã của đơn vị mà tỉnh đó hợp nhất vào",
    ),
    "sharing.predecessor_units": (
        "{source}: column 'unit' names {units}, which are not units of the scenario's unit table",
        "{source}: cột 'unit' ghi {units}, không phải đơn vị trong bảng đơn vị của kịch bản",
    ),
    "sharing.rate_over_100": (
        "unit {unit}: sharing_rate {rate} is above 100; rates are whole percents between 0 and 100",
        "đơn vị {unit}: tỷ lệ phần trăm phân chia {rate} lớn hơn 100; tỷ lệ là số phần trăm "
        "nguyên từ 0 đến 100",
    ),
    "sharing.topup_unit": (
        "lines.balancing.topups[{k}]: unit '{unit}' is not in the unit table",
        "lines.balancing.topups[{k}]: đơn vị '{unit}' không có trong bảng đơn vị",
    ),
    "sharing.topup_whole": (
        "lines.balancing.topups[{k}]: {amount!r} is not a whole number of million VND",
        "lines.balancing.topups[{k}]: {amount!r} không phải số triệu đồng nguyên",
    ),
    "sharing.frozen_rate_receives": (
        "[sharing]: unit {unit} has a frozen rate of {rate} % and a balancing transfer: a unit "
        "that receives keeps 100 % of its shared revenue",
        "[sharing]: đơn vị {unit} có tỷ lệ giữ nguyên {rate}% mà vẫn nhận bổ sung cân đối: đơn vị "
        "nhận bổ sung cân đối được hưởng 100% các khoản thu phân chia",
    ),
    "sharing.wrapped": ("[sharing]: {detail}", "[sharing]: {detail}"),
    "sharing.centre_status_quo": (
        "centre_revenue = 'status_quo' needs the unit-table column sharing_rate (the rates in "
        "force)",
        "centre_revenue = 'status_quo' cần cột sharing_rate của bảng đơn vị (tỷ lệ đang áp dụng)",
    ),
    "sharing.no_mechanism": (
        "{what} needs a scenario with [sharing]",
        "{what} cần một kịch bản có [sharing]",
    ),
    # -- the rate model (fiscal.rate_model, fiscal.rates)
    "rates.rule_kind": (
        "rates = 'optimise' cannot apply {rule}: the rate model takes floors, caps, transitions and "
        "per-capita minimums (on transfers or on resources) and merger support; remove the rule or "
        "use rates = 'formula'",
        "rates = 'optimise' không áp dụng được {rule}: mô hình chọn tỷ lệ nhận mức sàn, mức trần, "
        "giới hạn thay đổi, mức tối thiểu bình quân đầu người (trên số bổ sung hoặc trên nguồn lực) "
        "và hỗ trợ sáp nhập; hãy bỏ quy tắc đó hoặc dùng rates = 'formula'",
    ),
    "rates.soft_rule": (
        "rates = 'optimise' keeps every rule hard, and {rule} is soft; make it hard (soft = false) "
        "or use rates = 'formula'",
        "rates = 'optimise' giữ mọi quy tắc là bắt buộc, mà {rule} là quy tắc mềm; hãy đặt soft = "
        "false hoặc dùng rates = 'formula'",
    ),
    "rates.one_year": (
        "the rate model covers one year and one sector",
        "mô hình chọn tỷ lệ chỉ gồm một năm và một lĩnh vực",
    ),
    "rates.objective": (
        "rates = 'optimise' cannot use the objective '{kind}'; choose one of {allowed}",
        "rates = 'optimise' không dùng được mục tiêu '{kind}'; hãy chọn một trong {allowed}",
    ),
    "rates.time_limit": (
        "the rate model stopped at its time limit of {limit:g} s before proving an optimum "
        "({backend}); raise [solver] time_limit",
        "mô hình chọn tỷ lệ dừng ở giới hạn thời gian {limit:g} giây trước khi chứng minh được "
        "nghiệm tối ưu ({backend}); hãy tăng time_limit trong [solver]",
    ),
    "rates.failed": (
        "the rate model failed ({backend}: {status}, {detail}); try the other backend with --backend",
        "mô hình chọn tỷ lệ không giải được ({backend}: {status}, {detail}); hãy thử bộ giải còn "
        "lại (--backend)",
    ),
    # -- rules on the predecessors' resources (fiscal.rules.bounds)
    "rule.no_predecessors": (
        "constraint '{rule}': units {units} have no predecessors listed, so their predecessors' "
        "resources are not known; choose the units with where/units, or list them in the "
        "predecessors table",
        "quy tắc '{rule}': các đơn vị {units} không có tỉnh cũ nào được liệt kê nên không biết "
        "nguồn lực của các tỉnh cũ; hãy chọn đơn vị bằng where/units, hoặc liệt kê chúng trong "
        "bảng các tỉnh cũ",
    ),
    "rule.base_predecessors": (
        "constraint '{rule}': base = 'predecessors' compares each unit's resources with its "
        "predecessors' under their own rates, which needs their A, B and C: add a [sharing] table "
        "(the bundled 34 units carry them; with a unit table of your own, set [sharing] "
        "predecessors = 'file.csv')",
        "quy tắc '{rule}': base = 'predecessors' so nguồn lực của mỗi đơn vị với nguồn lực của "
        "các tỉnh cũ theo tỷ lệ của chính các tỉnh đó, nên cần A, B và C của các tỉnh cũ: hãy "
        "thêm bảng [sharing] (34 đơn vị kèm theo đã có số liệu này; với bảng đơn vị của riêng "
        "bạn, đặt predecessors = 'file.csv' trong [sharing])",
    ),
    "rule.unknown_base": (
        "constraint '{rule}': unknown base '{base}' (transfer, resources or predecessors)",
        "quy tắc '{rule}': base '{base}' không hợp lệ (transfer, resources hoặc predecessors)",
    ),
    # -- last year's transfers from another scenario (fiscal.pipeline)
    "lines.baseline_from_level": (
        "{source}: lines.balancing.baseline_from must name a scenario of the same level that covers "
        "{year}, the year before this one ({other}: {level}, years {years})",
        "{source}: lines.balancing.baseline_from phải là một kịch bản cùng cấp có năm {year}, năm "
        "trước năm này ({other}: {level}, các năm {years})",
    ),
    "lines.baseline_from_year": (
        "{source}: lines.balancing.baseline_from: {other} has no transfer for units {units}",
        "{source}: lines.balancing.baseline_from: {other} không có số bổ sung của các đơn vị {units}",
    ),
}
