"""Preparing and solving a scenario: infeasibility (conflicts, repairs), rules, the solver."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- a rule as messages name it (fiscal.rules.base.Rule.label_text)
    "rule.label": ("{rule} ({kind})", "{kind:kind} “{rule}”"),
    "rule.bare": ("{rule}", "{rule}"),
    # -- infeasibility (fiscal.diagnosis, fiscal.errors.InfeasibleError)
    "infeasible.head": (
        "Scenario '{scenario}' is infeasible: its rules cannot all hold.",
        "Kịch bản “{scenario}” không khả thi: các quy tắc của nó không thể cùng được đáp ứng.",
    ),
    "infeasible.head_province": (
        "Scenario '{scenario}' is infeasible: its rules cannot all hold (run it alone for the "
        "conflicting rules and repairs).",
        "Kịch bản “{scenario}” không khả thi: các quy tắc của nó không thể cùng được đáp ứng "
        "(chạy riêng kịch bản này để xem các quy tắc xung đột và cách điều chỉnh).",
    ),
    "infeasible.repairs": (
        "Smallest repairs (any one of them is enough):",
        "Các cách điều chỉnh nhỏ nhất (chỉ cần một trong số đó):",
    ),
    "infeasible.crossed": (
        "{year}, unit {unit}: the lower rules require at least {lower:mvnd} but the upper rules "
        "allow at most {upper:mvnd}",
        "Năm {year}, đơn vị {name} ({unit}): các quy tắc về mức tối thiểu đòi hỏi ít nhất "
        "{lower:mvnd} nhưng các quy tắc về mức tối đa chỉ cho phép nhiều nhất {upper:mvnd}",
    ),
    "infeasible.short": (
        "{year}: {rule} need {need:money} but the envelope is {envelope:money} (short by "
        "{short:money})",
        "Năm {year}: {rule} cần {need:money} nhưng tổng mức chỉ có {envelope:money} (thiếu "
        "{short:money})",
    ),
    "infeasible.together": (
        "{year}: together, the lower rules need {need:money}; the envelope is {envelope:money}",
        "Năm {year}: cộng lại, các quy tắc về mức tối thiểu cần {need:money}; tổng mức là "
        "{envelope:money}",
    ),
    "infeasible.caps": (
        "{year}: the caps allow at most {caps:money} but the whole envelope of {envelope:money} "
        "must be allocated",
        "Năm {year}: các mức trần chỉ cho phép phân bổ nhiều nhất {caps:money} nhưng phải phân "
        "bổ hết tổng mức {envelope:money}",
    ),
    "infeasible.group_caps": (
        "{year}: {rule} needs {want:money} for its {n} units but their caps allow {caps:money}",
        "Năm {year}: {rule} cần {want:money} cho {n} đơn vị của nhóm nhưng mức trần của các đơn "
        "vị này chỉ cho phép {caps:money}",
    ),
    "infeasible.group_floors": (
        "{year}: {rule} reserves {want:money} but the other units' floors need {floors:money} "
        "of the remaining {rest:money}",
        "Năm {year}: {rule} giữ lại {want:money} nhưng mức sàn của các đơn vị còn lại cần "
        "{floors:money} trong số {rest:money} còn lại",
    ),
    "infeasible.give_way": (
        "rule '{rule}' cannot hold: it would have to give way by {amount:money} in total",
        "Quy tắc “{rule}” không thể đáp ứng: phải nới tổng cộng {amount:money}",
    ),
    "infeasible.no_allocation": (
        "the rules together leave no allocation that meets them all",
        "Không có phương án phân bổ nào đáp ứng được đồng thời tất cả các quy tắc",
    ),
    "infeasible.no_single_change": (
        "no single change is enough: neither the envelope nor any one rule can be moved far "
        "enough on its own; change at least two of the rules named above together",
        "Không thể khắc phục bằng một thay đổi: riêng tổng mức hoặc riêng một quy tắc đều không "
        "đủ; cần thay đổi đồng thời ít nhất hai trong các quy tắc nêu trên",
    ),
    # -- repairs (fiscal.diagnosis, each rule's ``repair``)
    "repair.raise_envelope": (
        "raise the {year} envelope by {extra:money} (to {total:money})",
        "tăng tổng mức năm {year} thêm {extra:money} (lên {total:money})",
    ),
    "repair.lower_envelope": (
        "lower the {year} envelope by {cut:money} (to {total:money}), or set envelope.mode = "
        "'at_most'",
        "giảm tổng mức năm {year} bớt {cut:money} (xuống {total:money}), hoặc đặt envelope.mode "
        "= 'at_most' (phân bổ không vượt tổng mức)",
    ),
    "repair.lower_ratio": (
        "lower the {kind} ratio of '{rule}' to {new:setting} (from {current:setting})",
        "hạ tỷ lệ của {kind:kind} “{rule}” xuống {new:setting} (hiện là {current:setting})",
    ),
    "repair.raise_ratio": (
        "raise the {kind} ratio of '{rule}' to {new:setting} (from {current:setting})",
        "nâng tỷ lệ của {kind:kind} “{rule}” lên {new:setting} (hiện là {current:setting})",
    ),
    "repair.earmark": (
        "lower the earmark '{rule}' to {new:.2%} (from {current:.2%})",
        "hạ phần dành riêng “{rule}” xuống {new:.2%} (hiện là {current:.2%})",
    ),
    "repair.group_share": (
        "lower the minimum share of '{rule}' to {new:.2%} (from {current:.2%})",
        "hạ tỷ trọng tối thiểu của “{rule}” xuống {new:.2%} (hiện là {current:.2%})",
    ),
    "repair.per_capita_min": (
        "lower the per-capita minimum '{rule}' to {new:setting} million VND per person (from "
        "{current:setting})",
        "hạ mức tối thiểu bình quân đầu người “{rule}” xuống {new:setting} triệu đồng/người "
        "(hiện là {current:setting})",
    ),
    "repair.transition": (
        "allow yearly changes up to {new:.2%} in '{rule}' (from {current:.2%})",
        "cho phép mức thay đổi hằng năm đến {new:.2%} trong “{rule}” (hiện là {current:.2%})",
    ),
    # -- selecting units and paying inside the envelope (fiscal.rules.base)
    "rule.where_no_column": (
        "{source}: where = {{{column} = ...}} names column '{column}', which the unit table does "
        "not have; columns: {columns}",
        "{source}: where = {{{column} = ...}} nêu cột {column:column} nhưng bảng đơn vị không có "
        "cột này; các cột hiện có: {columns}",
    ),
    "rule.where_no_match": (
        "{source}: where.{column} = {unknown} matches no unit; values of '{column}': "
        "{present}{more}",
        "{source}: where.{column} = {unknown} không khớp với đơn vị nào; các giá trị của cột "
        "{column:column}: {present}{more}",
    ),
    "rule.where_near": (
        "{source}: where.{column} = {values} selects units by exact text, but {near} in the unit "
        "table look like it (case, width, spacing or diacritics differ); write the values alike",
        "{source}: where.{column} = {values} chọn đơn vị theo đúng từng ký tự, nhưng trong bảng "
        "đơn vị có {near} trông giống vậy (khác chữ hoa/thường, độ rộng, khoảng trắng hoặc dấu); "
        "hãy viết thống nhất",
    ),
    "rule.units_unknown": (
        "{source}: units {unknown} are not in the unit table",
        "{source}: các đơn vị {unknown} không có trong bảng đơn vị",
    ),
    "rule.selects_nothing": (
        "{source}: the selection covers no unit",
        "{source}: phạm vi đã chọn không bao gồm đơn vị nào",
    ),
    "rule.inside_exceeds": (
        "{where}: {what} of {take:,.0f} million VND paid inside the envelope exceeds the envelope "
        "({before:,.0f})",
        "{where}: {kind:kind} {take:,.0f} triệu đồng chi trong tổng mức lại vượt quá tổng mức "
        "({before:,.0f} triệu đồng)",
    ),
    "rule.only_one": (
        "{where}: only {count} {kind} rule is allowed",
        "{where}: chỉ được có {count} quy tắc {kind:kind}",
    ),
    # -- preparing the problem (fiscal.problem, fiscal.needs, fiscal.pipeline)
    "model.wrapped": ("{source}: {detail}", "{source}: {detail}"),
    "model.scenario_source": ("scenario '{scenario}'", "kịch bản “{scenario}”"),
    "model.rule_source": ("rule '{rule}'", "quy tắc “{rule}”"),
    "model.empty_table": ("the unit table is empty", "bảng đơn vị không có đơn vị nào"),
    "model.envelope_shape": (
        "envelope override has shape {shape}, expected ({years},)",
        "tổng mức truyền vào có kích thước {shape}, cần ({years},)",
    ),
    "model.from_scenario_direct": (
        "envelope.from_scenario is resolved by the pipeline (commune runs); call fiscal.run() "
        "rather than prepare() directly",
        "envelope.from_scenario được xác định khi chạy toàn bộ quy trình (phân bổ cho xã); hãy "
        "gọi fiscal.run() thay vì prepare()",
    ),
    "model.envelope_too_fine": (
        "the envelope {total:,.0f} million VND is more than {steps:.0e} rounding units of "
        "{unit:g}: amounts that fine are not exact in floating point; choose a larger [rounding] "
        "unit",
        "tổng mức {total:,.0f} triệu đồng lớn hơn {steps:.0e} lần đơn vị làm tròn {unit:g}: số "
        "tiền chi tiết đến vậy không còn chính xác khi tính toán; hãy chọn đơn vị làm tròn "
        "([rounding] unit) lớn hơn",
    ),
    "model.envelope_not_multiple": (
        "envelope {total:plain} million VND for {year} is not a multiple of the rounding unit {unit:g}; "
        "state an envelope in whole rounding units or choose a [rounding] unit that divides it",
        "tổng mức {total:plain} triệu đồng năm {year} không phải là bội số của đơn vị làm tròn "
        "{unit:g}; hãy nhập tổng mức là số nguyên lần đơn vị làm tròn hoặc chọn đơn vị làm tròn "
        "chia hết tổng mức",
    ),
    "model.formula_objective": (
        "'{scenario}' uses the formula objective, which solves no model",
        "“{scenario}” dùng mục tiêu công thức, không giải mô hình nào",
    ),
    "model.per_province": (
        "'{scenario}' solves one model per province: solve it to get them",
        "“{scenario}” giải một mô hình cho mỗi tỉnh: hãy chạy kịch bản để có các mô hình đó",
    ),
    "model.no_parent": (
        "{path}: no commune has parent '{province}'",
        "{path}: không có xã nào thuộc tỉnh '{province}'",
    ),
    "model.all_needs_envelope": (
        "a national commune run (province = 'all') gives each province its own envelope: use "
        "envelope.from_scenario = '<province scenario>' or envelope.baseline_factor",
        "phân bổ cho xã trên cả nước (province = 'all') cần tổng mức riêng cho từng tỉnh: dùng "
        "envelope.from_scenario = '<kịch bản cấp tỉnh>' hoặc envelope.baseline_factor",
    ),
    "model.from_scenario_missing": (
        "envelope.from_scenario gives no allocation for province {code}",
        "envelope.from_scenario không cho số phân bổ của tỉnh {code}",
    ),
    "model.from_scenario_level": (
        "envelope.from_scenario must name a province-level scenario ({file} is level '{level}')",
        "envelope.from_scenario phải là một kịch bản cấp tỉnh ({file} là cấp '{level}')",
    ),
    "model.from_scenario_years": (
        "envelope.from_scenario: {file} covers years {years}, not {missing}",
        "envelope.from_scenario: {file} gồm các năm {years}, không có {missing}",
    ),
    "model.indicator_missing": (
        "need criterion {k} uses indicator '{indicator}', which is not a column of the unit "
        "table; columns with numbers: {columns}",
        "tiêu chí nhu cầu thứ {k} dùng chỉ tiêu {indicator:column}, nhưng bảng đơn vị không có "
        "cột này; các cột số: {columns}",
    ),
    "model.indicator_blank": (
        "need criterion '{indicator}' has no value for units {units}; fill the column or drop "
        "the criterion",
        "tiêu chí nhu cầu {indicator:column} không có giá trị cho các đơn vị {units}; hãy điền "
        "cột này hoặc bỏ tiêu chí",
    ),
    "model.coefficients_by_missing": (
        "need criterion '{indicator}' looks its coefficients up by column '{by}', which the unit "
        "table does not have",
        "tiêu chí nhu cầu {indicator:column} tra hệ số theo cột {by:column}, nhưng bảng đơn vị "
        "không có cột này",
    ),
    "model.formula_cannot_apply": (
        "the formula allocation cannot apply {names:list}: damping handles floors, caps, per-capita "
        "minimums, transitions, earmarks and merger support; choose an optimising objective "
        "(e.g. objective.kind = 'shortfall_minimax') for group shares and sector bounds",
        "phân bổ theo công thức không áp dụng được {names:list}: phương pháp điều chỉnh chỉ xử lý mức "
        "sàn, mức trần, mức tối thiểu bình quân đầu người, giới hạn chuyển tiếp, phần dành riêng "
        "cho lĩnh vực và hỗ trợ sáp nhập; với tỷ trọng nhóm và giới hạn theo lĩnh vực hãy chọn "
        "một mục tiêu tối ưu (ví dụ objective.kind = 'shortfall_minimax')",
    ),
    # -- rounding (fiscal.rounding)
    "round.not_multiple": (
        "the total {total:plain} is not a multiple of the rounding unit {unit:g}; choose a rounding "
        "unit that divides the envelope",
        "tổng {total:plain} không phải là bội số của đơn vị làm tròn {unit:g}; hãy chọn đơn vị làm "
        "tròn chia hết tổng mức",
    ),
    "round.crossed": (
        "amount {i} cannot be rounded: its lower bound {lower:,.0f} is above its upper bound "
        "{upper:,.0f} at rounding unit {unit:g}",
        "không làm tròn được số thứ {i}: cận dưới {lower:,.0f} lớn hơn cận trên {upper:,.0f} với "
        "đơn vị làm tròn {unit:g}",
    ),
    "round.caps_short": (
        "cannot round to units of {unit:g} so that the total is {total:,.0f}: the upper bounds "
        "(caps) add up to less than the total by {short} unit(s); use a smaller rounding unit or "
        "loosen floors/caps",
        "không làm tròn theo đơn vị {unit:g} được để tổng bằng {total:,.0f}: tổng các cận trên "
        "(mức trần) nhỏ hơn tổng {short} đơn vị làm tròn; hãy dùng đơn vị làm tròn nhỏ hơn hoặc "
        "nới mức sàn/mức trần",
    ),
    "round.floors_over": (
        "cannot round to units of {unit:g} so that the total is {total:,.0f}: the lower bounds "
        "(floors, minimums) add up to more than the total by {short} unit(s); use a smaller "
        "rounding unit or loosen floors/caps",
        "không làm tròn theo đơn vị {unit:g} được để tổng bằng {total:,.0f}: tổng các cận dưới "
        "(mức sàn, mức tối thiểu) lớn hơn tổng {short} đơn vị làm tròn; hãy dùng đơn vị làm tròn "
        "nhỏ hơn hoặc nới mức sàn/mức trần",
    ),
    # -- the solver and the re-check (fiscal.pipeline, fiscal.solve, fiscal.highs, ...)
    "solver.time_limit": (
        "the solver stopped at its time limit of {limit:g} s before proving an optimum "
        "({backend}); raise [solver] time_limit or use --time-limit",
        "bộ giải dừng ở giới hạn thời gian {limit:g} giây trước khi tìm được nghiệm tối ưu "
        "({backend}); hãy tăng [solver] time_limit",
    ),
    "solver.failed": (
        "the solver failed ({backend}: {status}, {detail}); try the other backend with --backend",
        "bộ giải gặp lỗi ({backend}: {status}, {detail}); hãy thử bộ giải còn lại "
        "([solver] backend)",
    ),
    "solver.no_solution": (
        "the solver reported an optimum without a solution ({backend})",
        "bộ giải báo có nghiệm tối ưu nhưng không trả về nghiệm ({backend})",
    ),
    "solver.unknown_backend": (
        "unknown backend '{backend}'; choose one of {choices}",
        "bộ giải '{backend}' không có; hãy chọn một trong: {choices}",
    ),
    "solver.pulp_no_highs": (
        "PuLP cannot find HiGHS; install highspy or use pulp_solver = 'cbc'",
        "PuLP không tìm thấy HiGHS; hãy cài highspy hoặc dùng pulp_solver = 'cbc'",
    ),
    "solver.pulp_no_cbc": (
        "PuLP cannot find the CBC solver; install it with `pip install 'pulp[cbc]'` or use "
        "pulp_solver = 'highs'",
        "PuLP không tìm thấy bộ giải CBC; hãy cài bằng `pip install 'pulp[cbc]'` hoặc dùng "
        "pulp_solver = 'highs'",
    ),
    "solver.write_suffix": (
        "{path}: write the model as .mps or .lp (got '{suffix}')",
        "{path}: chỉ ghi mô hình dưới dạng .mps hoặc .lp (nhận được '{suffix}')",
    ),
    "solver.write_failed": (
        "{path}: HiGHS could not write the model",
        "{path}: HiGHS không ghi được mô hình",
    ),
    "solver.read_failed": (
        "{path}: HiGHS could not read the model",
        "{path}: HiGHS không đọc được mô hình",
    ),
    "solver.reference_failed": (
        "the reference solve (HiGHS) of '{scenario}' failed ({status}, {detail}); try --backend "
        "highs",
        "lần giải đối chiếu (HiGHS) của “{scenario}” gặp lỗi ({status}, {detail}); hãy thử bộ "
        "giải highs",
    ),
    "solver.recheck": (
        "the solution failed the independent re-check and is not reported: {failed}. Try the "
        "other backend (--backend) or report this scenario as a bug.",
        "nghiệm không qua được bước kiểm tra lại độc lập nên không được báo cáo: {failed}. Hãy "
        "thử bộ giải còn lại hoặc báo kịch bản này như một lỗi phần mềm.",
    ),
    "solver.recheck_short": (
        "the solution failed the independent re-check: {failed}",
        "nghiệm không qua được bước kiểm tra lại độc lập: {failed}",
    ),
    "model.sweep_not_multiple": (
        "envelope {total:,.6g} million VND is not a multiple of the rounding unit {unit:g}; "
        "choose values in whole rounding units",
        "tổng mức {total:,.6g} triệu đồng không phải là bội số của đơn vị làm tròn {unit:g}; hãy "
        "chọn giá trị là số nguyên lần đơn vị làm tròn",
    ),
    # -- explaining a result (fiscal.waterfall)
    "explain.no_unit": (
        "unit '{code}' is not in this result; codes: {codes}",
        "đơn vị '{code}' không có trong kết quả này; các mã: {codes}",
    ),
    "explain.no_year": (
        "year {year} is not in this result (years: {years})",
        "năm {year} không có trong kết quả này (các năm: {years})",
    ),
}
