"""Every label of the app, in English and Vietnamese (one dict per language).

    >>> t = Tr("vi")
    >>> t("nav.allocate")
    'Phân bổ'
    >>> t.bn(238_421_000)
    '238.421 tỷ đồng'

A key missing from one language is a bug (``tests/test_app.py`` compares the key sets).
"""

from __future__ import annotations

from typing import Any

from fiscal_app import fmt

__all__ = ["EN", "LANGUAGES", "STRINGS", "VI", "Tr"]

LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}

EN: dict[str, str] = {
    # navigation and frame
    "nav.allocate": "Allocate",
    "nav.why": "Why this number",
    "nav.compare": "Compare",
    "nav.tradeoffs": "Trade-offs",
    "nav.data": "Data",
    "nav.export": "Take it away",
    "lang.label": "Language",
    "sidebar.scenario": "Scenario: {name}",
    "sidebar.dataset": "Units: {name}",
    "sidebar.bundled": "bundled dataset",
    "error.unexpected": "Something went wrong ({kind}: {detail}). Your settings are kept; change "
    "a setting or reload the page. If it happens again, report it with the scenario downloaded "
    "from 'Take it away'.",
    "link.unknown_scenario": "The link names the scenario '{file}', which is not shipped with "
    "this version; showing '{default}' instead.",
    "start.unknown_scenario": "The scenario '{file}' given when the app was started does not "
    "exist; showing '{default}' instead.",
    "link.bad_edits": "The link's edits could not be restored, so the scenario is shown without "
    "them: {error}",
    "yes": "yes",
    "no": "no",
    "year": "Year",
    "source": "Source: {source}",
    "level.province": "provinces",
    "level.commune": "communes",
    # typed numbers (fiscal_app.numbers): codes of EntryError and the echo
    "entry.echo": "= {value}",
    "entry.unchanged": "Nothing was changed.",
    "entry.malformed": "“{text}” is not a number written the English way (1,234.5: commas "
    "between thousands, a point before the decimals).",
    "entry.malformed_hint": "If you meant {suggestion}, write it so.",
    "entry.ambiguous": "“{text}” is ambiguous: in English the point starts the decimals, so it "
    "reads {as_decimal}, but written the Vietnamese way it means {as_thousands}. Write "
    "{thousands_spelling} or {digits} for {as_thousands}; write {decimal_spelling} for "
    "{as_decimal}.",
    "entry.empty": "Enter a number.",
    "entry.below": "{value} is below the smallest value allowed here, {minimum}.",
    "entry.above": "{value} is above the largest value allowed here, {maximum}.",
    "entry.grid": "{value} is not a whole multiple of {step}, the scenario's rounding unit "
    "(every amount is allocated in whole units); write {lower} or {upper}.",
    "entry.rows": "{column}, row {row}: {message}",
    "unit.bn": "bn VND",
    "unit.mvnd": "million VND",
    # the map (fiscal_app.maps); the attribution is the boundaries' licence line (CC BY-SA 4.0)
    "map.attribution": "Province boundaries: Open Development Vietnam (“Địa phận tỉnh” dataset), "
    "CC BY-SA 4.0; simplified and merged into the 34 units of 1 July 2025.",
    "map.hoang_sa": "Hoàng Sa archipelago (Đà Nẵng)",
    "map.truong_sa": "Trường Sa archipelago (Khánh Hòa)",
    "map.communes": "Communes summed",
    "nav.map": "Map",
    "map.title": "Map",
    "map.caption": "The 34 provincial units coloured by a result; dashed lines are the borders "
    "of the 63 provinces before the merger. Hover a province for its figures.",
    "map.heading": "Map",
    "map.column": "Colour by",
    "map.change_pct": "Change against baseline",
    "map.click": "Click a province to see why it gets what it gets (Why this number).",
    "map.no_data": "Grey: no value to show (for example a change against a baseline of 0).",
    "map.one_province": "This scenario allocates within one province: the map shows {name} as "
    "the sum of its {n} communes (commune boundaries are not bundled). Each commune is in the "
    "table on Allocate and on Why this number.",
    "map.all_communes": "This scenario allocates to communes: each province shows the sum of its "
    "communes ({n} in all; commune boundaries are not bundled). Each commune is in the table on "
    "Allocate and on Why this number.",
    "map.missing": "{n} unit(s) of this table have no boundary on the map and are not drawn: "
    "{codes}.",
    "map.png": "The map (PNG)",
    "map.png_title": "{scenario} — {column}, {year}",
    "map.workbook_note": "Maps of {year} (the first year; the app's Map page draws every year).",
    # allocate
    "allocate.title": "Allocate",
    "allocate.caption": "Choose a scenario, change its envelope, objective, rules and need "
    "rates, and see the allocation. Money in billions of VND (tỷ đồng).",
    "allocate.settings": "Settings",
    "allocate.scenario": "Scenario",
    "allocate.scenario_help": "The scenarios shipped with fiscal (fiscal/scenarios/). Choosing one drops the "
    "edits of this session (keep them for comparison first).",
    "allocate.edited": "Edited: {n} setting(s) changed from the file ({names}).",
    "allocate.reset": "Undo all edits",
    "allocate.upload": "…or upload a scenario (.toml)",
    "allocate.upload_help": "A scenario file such as the shipped ones (fiscal/scenarios/) or one downloaded "
    "from 'Take it away'. It is checked like any scenario file.",
    "allocate.too_big": "{name}: {size:,} bytes is too large for a scenario file (1 MB at most); "
    "check that you chose the right file",
    "allocate.results": "Allocation",
    "allocate.keep": "Keep this scenario for comparison",
    "allocate.keep_label": "Name",
    "allocate.keep_default": "Edited {n}",
    "allocate.keep_button": "Keep",
    "allocate.kept": "Kept for the Compare page: {names}",
    "tab.envelope": "Envelope and objective",
    "tab.rules": "Rules",
    "tab.need": "Need rates",
    "tab.coefficients": "Regional coefficients",
    "envelope.total": "Envelope (bn VND)",
    "envelope.total_help": "What there is to allocate this year, in billions of VND. The "
    "scenario file holds it in million VND.",
    "envelope.total_year": "Envelope {year} (bn VND)",
    "envelope.factor": "Envelope as a multiple of the baseline",
    "envelope.factor_help": "Each province's commune envelope = its communes' baseline × this.",
    "envelope.from": "Envelope taken from the scenario",
    "envelope.mode": "The envelope is",
    "envelope.mode.equal": "allocated in full",
    "envelope.mode.at_most": "an upper limit",
    "envelope.growth": "Envelope growth per year",
    "objective.kind": "Objective",
    "objective.weight": "Weight of equity λ (blend)",
    "objective.weight_help": "Only for the blend objective: 1 = equity (closeness to need) only, "
    "0 = stability (least change) only.",
    "objective.character_label": "{name}:",
    "rules.none": "No rules: the envelope is shared by the objective alone.",
    "rules.scope": "Applies to: {scope}",
    "rules.remove": "Remove",
    "rules.name_taken": "a rule named '{name}' exists already; choose another name",
    "rules.new_rule": "new rule",
    "rules.add": "Add a rule",
    "rules.kind": "Kind of rule",
    "rules.name": "Name (optional)",
    "rules.regions": "Group: the units of these regions",
    "rules.no_sectors": "This scenario has no sectors; sector rules need [[sectors]] in the file.",
    "rules.sector": "Sector",
    "rules.add_button": "Add the rule",
    "field.ratio": "Ratio × baseline",
    "field.ratio_help": "A fraction of each unit's baseline (1.0 = 100 %; for merged units the "
    "sum of the predecessors).",
    "field.amount": "Million VND per person",
    "field.amount_help": "Minimum resources (own capacity + transfer) per person.",
    "field.max_change": "Largest yearly change",
    "field.max_change_help": "A fraction of last year's amount (0.1 = ±10 %).",
    "field.min_share": "Minimum share",
    "field.min_share_help": "A fraction of the envelope (0.2 = 20 %).",
    "field.max_share": "Maximum share",
    "field.max_share_help": "A fraction of the envelope; leave empty for none.",
    "field.per_province": "Per eliminated province (million VND)",
    "field.per_province_help": "One-off support in the first year for each old province merged "
    "away.",
    "field.per_commune": "Per eliminated commune (million VND)",
    "field.per_commune_help": "One-off support for each old commune merged away.",
    "field.min_of_gap": "Minimum × sector gap",
    "field.min_of_gap_help": "Each unit's sector amount at least this multiple of its sector gap.",
    "field.max_of_gap": "Maximum × sector gap",
    "field.max_of_gap_help": "Leave empty for no maximum.",
    "field.soft": "Soft",
    "field.soft_help": "A soft rule may give way at a penalty instead of making the scenario "
    "infeasible.",
    "field.penalty": "Penalty",
    "need.indicator": "Indicator",
    "need.rate": "Rate",
    "need.unit": "Unit",
    "need.estimated": "Illustrative",
    "need.source": "Source",
    "need.markup": "Other expenditure mark-up",
    "need.markup_help": "Need × (1 + mark-up); 0.005 = 0.5 %.",
    "need.growth": "Need growth per year",
    "coef.caption": "Coefficients by {by}: the need of each criterion is multiplied by the "
    "coefficient of the unit's {by}.",
    "coef.missing_column": "The units have no column '{by}' that a need criterion uses.",
    # results
    "col.code": "Code",
    "col.name": "Unit",
    "col.region": "Region",
    "col.merged_from": "Merged from",
    "col.population": "Population",
    "col.baseline": "Baseline (bn VND)",
    "col.formula": "Formula (bn VND)",
    "col.allocation": "Allocation (bn VND)",
    "col.change": "Change (bn VND)",
    "col.change_pct": "Change",
    "col.per_capita": "Resources per person (million VND)",
    "col.share_of_need": "Share of need",
    "col.flags": "Flags",
    "col.estimated": "Illustrative columns",
    "col.step": "Step",
    "col.amount_bn": "Amount (bn VND)",
    "col.rule": "Rule",
    "col.kind": "Kind",
    "col.hard": "Hard",
    "col.binding": "Binding",
    "col.units_binding": "Units held",
    "col.dual": "Dual value",
    "col.cost": "Cost (bn VND moved)",
    "col.benefits": "Who benefits",
    "col.pays": "Who pays",
    "col.description": "Description",
    "metric.allocated": "Allocated",
    "metric.per_pt": "{name}, change per point (0.01) of the setting",
    "metric.per_unit": "{name}, change per unit of the setting",
    "metric.reconciles": "Reconciles exactly to the envelope.",
    "metric.differs": "Differs from the envelope by {amount}.",
    "metric.gini": "Gini, resources per person",
    "metric.gini_help": "Population-weighted Gini of (capacity + transfer) per person; 0 = equal.",
    "metric.need_met": "Share of need met",
    "metric.need_met_help": "Σ min(resources, need) / Σ need.",
    "metric.at_floor": "Units held up",
    "metric.at_floor_help": "Units whose amount sits on a floor, a per-capita minimum or a "
    "transition limit.",
    "metric.at_cap": "Units capped",
    "metric.at_cap_help": "Units whose amount sits on a cap.",
    "metric.mean_change": "Mean change (absolute)",
    "metric.mean_change_help": "Mean of |change against baseline| over units with a baseline.",
    "chart.change_title": "Change against baseline (bn VND)",
    "chart.change_axis": "Change against baseline (bn VND)",
    "compare.change_axis": "Change against the reference scenario (bn VND)",
    "chart.gain": "gain",
    "chart.loss": "loss",
    "chart.total": "amount",
    "chart.bn_axis": "bn VND",
    "notice.illustrative": "Illustrative figures in use: these results show how the rules work, "
    "not official amounts.",
    "notice.columns": "Estimated unit data: {cols}.",
    "notice.rates": "Estimated need rates: {rates}.",
    "infeasible.title": "**These settings are infeasible: the rules cannot all hold.**",
    "infeasible.repairs": "Apply one of the smallest repairs:",
    "infeasible.apply": "Apply: {repair}",
    # why
    "why.title": "Why this number",
    "why.caption": "From a unit's formula amount, rule by rule, to its final allocation; and "
    "for each rule, whether it binds, what it costs, who benefits and who pays.",
    "why.unit": "Unit",
    "why.waterfall": "{name}, {year}: from the formula to the final amount",
    "why.story": "**The same story in words**",
    "why.ledger": "The constraint ledger",
    "why.download": "The waterfall (CSV)",
    "why.ledger_caption": "Cost = the money the rule moves (the allocation re-solved without "
    "it). Dual value = change in the objective per million VND of the rule's bound.",
    "why.binding_line": "- **{rule}** ({kind}) binds for {n} unit(s) and moves {cost}.",
    "why.none_binding": "No rule binds: the objective alone decides the allocation.",
    # compare
    "compare.title": "Compare",
    "compare.caption": "Two to four scenarios side by side: shipped ones, the one you are "
    "editing, ones kept in this session, or uploaded files.",
    "compare.current": "Current (edited) scenario",
    "compare.kept": "kept: {name}",
    "compare.choose": "Scenarios to compare (2 to 4)",
    "compare.upload": "Upload scenarios (.toml)",
    "compare.need_two": "Choose at least two scenarios.",
    "compare.failed": "'{label}' cannot be compared:",
    "compare.metrics": "Metrics",
    "compare.units": "Allocations by unit (bn VND)",
    "compare.winners": "Winners and losers: '{label}' against '{ref}' (bn VND)",
    "compare.illustrative_in": "Used by: {labels}.",
    "compare.params": "What differs between the scenarios",
    "compare.no_params": "The scenarios' settings are identical.",
    "compare.constraints": "Rules",
    "compare.download": "Download the comparison (XLSX)",
    "compare.download_csv": "Allocations by unit (CSV)",
    "compare.unavailable": "Comparison needs fiscal.compare, which this installation lacks; "
    "update fiscal.",
    "compare.setting": "Setting",
    "compare.metric": "Metric",
    "compare.band": "Band",
    "compare.n_units": "Units",
    "compare.names": "Units in the band",
    "compare.scenario": "Scenario",
    # trade-offs
    "trade.title": "Trade-offs",
    "trade.caption": "Sweep one setting over a range and see equity against stability against "
    "cost; the current scenario is marked.",
    "trade.param": "Setting to vary",
    "trade.from": "From",
    "trade.to": "To",
    "trade.steps": "Points",
    "trade.run": "Draw the frontier",
    "trade.running": "Solving point {k} of {n}…",
    "trade.solved": "Solved {n} points in {s} s.",
    "trade.done": "{n} points in {s} s; {bad} infeasible.",
    "trade.range_error": "'From' must be below 'To'.",
    "trade.none": "This scenario has no numeric setting to sweep.",
    "trade.equity": "Equity: Gini of resources per person (lower is more equal)",
    "trade.stability": "Stability: mean change against baseline",
    "trade.cost": "Cost",
    "trade.current": "current scenario",
    "trade.point": "frontier point",
    "trade.table": "The frontier's points",
    "trade.value": "Value",
    "trade.status": "Status",
    "trade.message": "Message",
    "trade.download_xlsx": "The frontier (XLSX)",
    "trade.download_csv": "The frontier (CSV)",
    "trade.x": "Horizontal axis",
    "trade.y": "Vertical axis",
    "trade.color": "Colour",
    "trade.all_infeasible": "Every point of this range is infeasible; the table shows the extra "
    "envelope each would need. Choose another range.",
    "param.envelope.total": "Envelope",
    "param.envelope.baseline_factor": "Envelope as a multiple of the baseline",
    "param.objective.weight": "Weight of equity λ (blend)",
    # data
    "data.title": "Data",
    "data.caption": "The units the allocation works on: browse them, download a template, "
    "fill it with real figures and upload it.",
    "data.tab_browse": "Browse",
    "data.tab_template": "Template",
    "data.tab_upload": "Upload",
    "data.bundled": "the bundled {level}",
    "data.in_use": "In use: **{source}**, {n} units. Money in million VND.",
    "data.bundled_note": "The bundled fiscal figures (baseline, own revenue, retention) are "
    "illustrative: derived by a documented procedure and calibrated to national totals, not "
    "official. Upload real figures through the template.",
    "data.money_note": "Money columns are in million VND (triệu đồng), as in the files.",
    "data.predecessors": "Merged units and their predecessors",
    "data.merged_unit": "Merged unit",
    "data.merged_from": "**{name}** was formed from {n} units: {preds}.",
    "data.area": "Area (km²)",
    "data.communes_2025": "Communes (before the merger)",
    "data.self_balancing": "Self-balancing (2023)",
    "data.sum_check": "Population of the predecessors: {pop}; of the merged unit: {unit_pop}.",
    "data.template_intro": "Download a template, fill it with values only (no formulas, no "
    "merged cells; money in million VND), then upload it on the next tab.",
    "data.level": "Level",
    "data.prefilled": "Pre-filled with the bundled dataset",
    "data.download_csv": "Download template (CSV)",
    "data.download_xlsx": "Download template (XLSX)",
    "data.upload_intro": "Upload a filled template. Every problem is listed with its row, "
    "unit and column.",
    "data.upload": "Unit table (.csv or .xlsx)",
    "data.upload_help": "At most {mb} MB; the sheet named 'units' of a workbook is read.",
    "data.using": "The allocation uses the uploaded table '{name}'.",
    "data.stop_using": "Go back to the bundled dataset",
    "data.too_big": "{name}: the file is above the {mb} MB upload limit; a table of every "
    "commune is under 1 MB, so check the file",
    "data.invalid": "{name} was refused: {n} problem(s). Fix them in the file and upload it again.",
    "data.valid": "{name}: {n} {level}, all checks passed.",
    "data.upload_estimated": "The file marks these columns as illustrative (estimated): {cols}.",
    "data.level_mismatch": "The file holds {level} but the scenario allocates to {scen_level}; "
    "choose a scenario of that level first.",
    "data.use": "Use this table for the allocation",
    # export
    "export.title": "Take it away",
    "export.caption": "Every table as CSV or XLSX, the edited scenario as TOML, a link that "
    "restores it, and the lines that reproduce the table.",
    "export.tables": "Tables",
    "export.tables_caption": "The workbook holds the allocation, metrics, constraints, "
    "assumptions, provenance and an annex laid out like an official budget table.",
    "export.xlsx": "Allocation workbook (XLSX)",
    "export.csv": "Allocation (CSV)",
    "export.json": "Everything (JSON)",
    "export.ledger_csv": "Constraint ledger (CSV)",
    "export.metrics_csv": "Metrics (CSV)",
    "export.sectors_csv": "Sector amounts (CSV)",
    "export.scenario": "The scenario",
    "export.toml": "Scenario with your edits (TOML)",
    "export.toml_preview": "Show the TOML",
    "export.link": "Shareable link",
    "export.link_caption": "Opening this link restores the scenario and its edits (the address "
    "bar always holds it too).",
    "export.link_too_long": "The scenario is too large for a link; share the TOML file instead.",
    "export.link_units": "The link cannot carry the uploaded unit table '{name}': send the file "
    "along with the link.",
    "export.reproduce": "Reproduce",
    "export.reproduce_caption": "With {toml} downloaded above, either of these gives the same "
    "table:",
}

VI: dict[str, str] = {
    "nav.allocate": "Phân bổ",
    "nav.why": "Vì sao con số này",
    "nav.compare": "So sánh",
    "nav.tradeoffs": "Đánh đổi",
    "nav.data": "Dữ liệu",
    "nav.export": "Tải về",
    "lang.label": "Ngôn ngữ",
    "sidebar.scenario": "Kịch bản: {name}",
    "sidebar.dataset": "Đơn vị: {name}",
    "sidebar.bundled": "bộ dữ liệu kèm theo",
    "error.unexpected": "Đã có lỗi ({kind}: {detail}). Các thiết lập của bạn vẫn được giữ; hãy "
    "đổi một thiết lập hoặc tải lại trang. Nếu lỗi lặp lại, hãy báo kèm kịch bản tải từ trang "
    "'Tải về'.",
    "link.unknown_scenario": "Đường dẫn nêu kịch bản '{file}', không có trong phiên bản này; "
    "đang hiển thị '{default}'.",
    "start.unknown_scenario": "Không tìm thấy kịch bản '{file}' được chỉ định khi khởi động ứng "
    "dụng; đang hiển thị '{default}'.",
    "link.bad_edits": "Không khôi phục được các thay đổi trong đường dẫn, nên kịch bản được hiển "
    "thị không kèm chúng: {error}",
    "yes": "có",
    "no": "không",
    "year": "Năm",
    "source": "Nguồn: {source}",
    "level.province": "tỉnh, thành phố",
    "level.commune": "xã, phường, đặc khu",
    "entry.echo": "= {value}",
    "entry.unchanged": "Kịch bản chưa thay đổi.",
    "entry.malformed": "“{text}” không phải là số viết theo cách Việt Nam (1.234,5: dấu chấm "
    "tách hàng nghìn, dấu phẩy trước phần thập phân).",
    "entry.malformed_hint": "Nếu ý bạn là {suggestion}, hãy viết như vậy.",
    "entry.ambiguous": "“{text}” có hai cách hiểu: theo cách viết Việt Nam dấu phẩy là dấu thập "
    "phân, tức là {as_decimal}; nhưng nếu dấu phẩy tách hàng nghìn (cách viết tiếng Anh) thì là "
    "{as_thousands}. Viết {thousands_spelling} hoặc {digits} nếu là {as_thousands}; viết "
    "{decimal_spelling} nếu là {as_decimal}.",
    "entry.empty": "Hãy nhập một số.",
    "entry.below": "{value} nhỏ hơn giá trị nhỏ nhất cho phép ở đây là {minimum}.",
    "entry.above": "{value} lớn hơn giá trị lớn nhất cho phép ở đây là {maximum}.",
    "entry.grid": "{value} không phải là bội số nguyên của {step}, đơn vị làm tròn của kịch bản "
    "(mọi số tiền được phân bổ theo đơn vị nguyên); hãy viết {lower} hoặc {upper}.",
    "entry.rows": "{column}, dòng {row}: {message}",
    "unit.bn": "tỷ đồng",
    "unit.mvnd": "triệu đồng",
    "map.attribution": "Ranh giới tỉnh: Open Development Vietnam (dữ liệu “Địa phận tỉnh”), "
    "CC BY-SA 4.0; đã đơn giản hóa và gộp theo 34 đơn vị hành chính từ 01/7/2025.",
    "map.hoang_sa": "Quần đảo Hoàng Sa (TP Đà Nẵng)",
    "map.truong_sa": "Quần đảo Trường Sa (tỉnh Khánh Hòa)",
    "map.communes": "Số xã cộng lại",
    "nav.map": "Bản đồ",
    "map.title": "Bản đồ",
    "map.caption": "34 đơn vị cấp tỉnh tô màu theo một kết quả; đường nét đứt là ranh giới 63 "
    "tỉnh trước sáp nhập. Di chuột lên một tỉnh để xem các số liệu.",
    "map.heading": "Bản đồ",
    "map.column": "Tô màu theo",
    "map.change_pct": "Thay đổi so với năm gốc",
    "map.click": "Bấm vào một tỉnh để xem vì sao tỉnh nhận số đó (Vì sao con số này).",
    "map.no_data": "Màu xám: không có giá trị (ví dụ thay đổi so với năm gốc bằng 0).",
    "map.one_province": "Kịch bản này phân bổ trong một tỉnh: bản đồ thể hiện {name} bằng tổng "
    "của {n} xã, phường (chưa kèm ranh giới cấp xã). Từng xã có trong bảng ở trang Phân bổ và "
    "trang Vì sao con số này.",
    "map.all_communes": "Kịch bản này phân bổ cho cấp xã: mỗi tỉnh thể hiện tổng các xã, phường "
    "của tỉnh ({n} đơn vị; chưa kèm ranh giới cấp xã). Từng xã có trong bảng ở trang Phân bổ và "
    "trang Vì sao con số này.",
    "map.missing": "{n} đơn vị của bảng này không có ranh giới trên bản đồ nên không được vẽ: "
    "{codes}.",
    "map.png": "Bản đồ (PNG)",
    "map.png_title": "{scenario} — {column}, năm {year}",
    "map.workbook_note": "Bản đồ năm {year} (năm đầu; trang Bản đồ của ứng dụng vẽ mọi năm).",
    "allocate.title": "Phân bổ",
    "allocate.caption": "Chọn một kịch bản, thay đổi tổng mức, mục tiêu, các quy tắc và định "
    "mức nhu cầu, rồi xem kết quả phân bổ. Số tiền tính bằng tỷ đồng.",
    "allocate.settings": "Thiết lập",
    "allocate.scenario": "Kịch bản",
    "allocate.scenario_help": "Các kịch bản có sẵn kèm theo fiscal (thư mục fiscal/scenarios/). Chọn kịch bản khác "
    "sẽ bỏ các thay đổi trong phiên này (hãy lưu lại để so sánh trước).",
    "allocate.edited": "Đã sửa: {n} thiết lập khác với tệp ({names}).",
    "allocate.reset": "Huỷ mọi thay đổi",
    "allocate.upload": "…hoặc tải lên một kịch bản (.toml)",
    "allocate.upload_help": "Một tệp kịch bản như các kịch bản có sẵn (fiscal/scenarios/) hoặc tệp tải về từ "
    "trang 'Tải về'. Tệp được kiểm tra như mọi tệp kịch bản.",
    "allocate.too_big": "{name}: {size:,} byte là quá lớn cho một tệp kịch bản (tối đa 1 MB); "
    "hãy kiểm tra lại tệp đã chọn",
    "allocate.results": "Kết quả phân bổ",
    "allocate.keep": "Lưu kịch bản này để so sánh",
    "allocate.keep_label": "Tên",
    "allocate.keep_default": "Bản sửa {n}",
    "allocate.keep_button": "Lưu",
    "allocate.kept": "Đã lưu cho trang So sánh: {names}",
    "tab.envelope": "Tổng mức và mục tiêu",
    "tab.rules": "Quy tắc",
    "tab.need": "Định mức nhu cầu",
    "tab.coefficients": "Hệ số vùng",
    "envelope.total": "Tổng mức phân bổ (tỷ đồng)",
    "envelope.total_help": "Số tiền cần phân bổ trong năm, tính bằng tỷ đồng. Tệp kịch bản ghi "
    "bằng triệu đồng.",
    "envelope.total_year": "Tổng mức năm {year} (tỷ đồng)",
    "envelope.factor": "Tổng mức theo bội số của năm gốc",
    "envelope.factor_help": "Tổng mức cho các xã của mỗi tỉnh = số năm gốc của các xã × hệ số này.",
    "envelope.from": "Tổng mức lấy từ kịch bản",
    "envelope.mode": "Tổng mức được",
    "envelope.mode.equal": "phân bổ hết",
    "envelope.mode.at_most": "dùng làm mức trần",
    "envelope.growth": "Tăng tổng mức mỗi năm",
    "objective.kind": "Mục tiêu",
    "objective.weight": "Trọng số công bằng λ (kết hợp)",
    "objective.weight_help": "Chỉ dùng cho mục tiêu kết hợp: 1 = chỉ công bằng (sát nhu cầu), "
    "0 = chỉ ổn định (ít thay đổi nhất).",
    "objective.character_label": "{name}:",
    "rules.none": "Không có quy tắc: tổng mức được chia chỉ theo mục tiêu.",
    "rules.scope": "Áp dụng cho: {scope}",
    "rules.remove": "Xoá",
    "rules.name_taken": "đã có quy tắc tên '{name}'; hãy chọn tên khác",
    "rules.new_rule": "quy tắc mới",
    "rules.add": "Thêm quy tắc",
    "rules.kind": "Loại quy tắc",
    "rules.name": "Tên (không bắt buộc)",
    "rules.regions": "Nhóm: các đơn vị thuộc những vùng này",
    "rules.no_sectors": "Kịch bản này không có lĩnh vực; quy tắc theo lĩnh vực cần [[sectors]] "
    "trong tệp.",
    "rules.sector": "Lĩnh vực",
    "rules.add_button": "Thêm quy tắc",
    "field.ratio": "Tỷ lệ × năm gốc",
    "field.ratio_help": "Một phần số năm gốc của mỗi đơn vị (1,0 = 100%; với đơn vị hợp nhất là "
    "tổng của các đơn vị cũ).",
    "field.amount": "Triệu đồng mỗi người",
    "field.amount_help": "Nguồn lực tối thiểu (khả năng thu + bổ sung) trên mỗi người.",
    "field.max_change": "Mức thay đổi lớn nhất mỗi năm",
    "field.max_change_help": "Một phần số năm trước (0,1 = ±10%).",
    "field.min_share": "Tỷ trọng tối thiểu",
    "field.min_share_help": "Một phần tổng mức (0,2 = 20%).",
    "field.max_share": "Tỷ trọng tối đa",
    "field.max_share_help": "Một phần tổng mức; để trống nếu không giới hạn.",
    "field.per_province": "Mỗi tỉnh cũ bị sáp nhập (triệu đồng)",
    "field.per_province_help": "Hỗ trợ một lần trong năm đầu cho mỗi tỉnh cũ được sáp nhập.",
    "field.per_commune": "Mỗi xã cũ bị sáp nhập (triệu đồng)",
    "field.per_commune_help": "Hỗ trợ một lần cho mỗi xã cũ được sáp nhập.",
    "field.min_of_gap": "Tối thiểu × thiếu hụt lĩnh vực",
    "field.min_of_gap_help": "Số của mỗi đơn vị cho lĩnh vực ít nhất bằng bội số này của thiếu "
    "hụt lĩnh vực.",
    "field.max_of_gap": "Tối đa × thiếu hụt lĩnh vực",
    "field.max_of_gap_help": "Để trống nếu không giới hạn.",
    "field.soft": "Mềm",
    "field.soft_help": "Quy tắc mềm có thể bị vi phạm với một mức phạt thay vì làm kịch bản "
    "không khả thi.",
    "field.penalty": "Mức phạt",
    "need.indicator": "Tiêu chí",
    "need.rate": "Định mức",
    "need.unit": "Đơn vị tính",
    "need.estimated": "Minh hoạ",
    "need.source": "Nguồn",
    "need.markup": "Tỷ lệ chi khác",
    "need.markup_help": "Nhu cầu × (1 + tỷ lệ); 0,005 = 0,5%.",
    "need.growth": "Tăng nhu cầu mỗi năm",
    "coef.caption": "Hệ số theo {by}: nhu cầu của mỗi tiêu chí được nhân với hệ số của {by} "
    "của đơn vị.",
    "coef.missing_column": "Bảng đơn vị không có cột '{by}' mà một tiêu chí nhu cầu sử dụng.",
    "col.code": "Mã",
    "col.name": "Đơn vị",
    "col.region": "Vùng",
    "col.merged_from": "Hợp nhất từ",
    "col.population": "Dân số",
    "col.baseline": "Năm gốc (tỷ đồng)",
    "col.formula": "Theo công thức (tỷ đồng)",
    "col.allocation": "Phân bổ (tỷ đồng)",
    "col.change": "Thay đổi (tỷ đồng)",
    "col.change_pct": "Thay đổi",
    "col.per_capita": "Nguồn lực bình quân đầu người (triệu đồng)",
    "col.share_of_need": "Tỷ lệ đáp ứng nhu cầu",
    "col.flags": "Ghi chú",
    "col.estimated": "Cột số liệu minh hoạ",
    "col.step": "Bước",
    "col.amount_bn": "Số tiền (tỷ đồng)",
    "col.rule": "Quy tắc",
    "col.kind": "Loại",
    "col.hard": "Cứng",
    "col.binding": "Ràng buộc chặt",
    "col.units_binding": "Số đơn vị bị giữ",
    "col.dual": "Giá trị đối ngẫu",
    "col.cost": "Chi phí (tỷ đồng dịch chuyển)",
    "col.benefits": "Ai được lợi",
    "col.pays": "Ai chịu",
    "col.description": "Mô tả",
    "metric.allocated": "Đã phân bổ",
    "metric.per_pt": "{name}, thay đổi trên mỗi điểm (0,01) của thiết lập",
    "metric.per_unit": "{name}, thay đổi trên mỗi đơn vị của thiết lập",
    "metric.reconciles": "Khớp đúng với tổng mức.",
    "metric.differs": "Chênh lệch với tổng mức {amount}.",
    "metric.gini": "Hệ số Gini, nguồn lực bình quân",
    "metric.gini_help": "Gini theo dân số của (khả năng thu + bổ sung) trên mỗi người; 0 = đều.",
    "metric.need_met": "Tỷ lệ nhu cầu được đáp ứng",
    "metric.need_met_help": "Σ min(nguồn lực, nhu cầu) / Σ nhu cầu.",
    "metric.at_floor": "Đơn vị được giữ mức",
    "metric.at_floor_help": "Đơn vị có số ở mức sàn, mức tối thiểu bình quân hoặc giới hạn "
    "chuyển tiếp.",
    "metric.at_cap": "Đơn vị chạm trần",
    "metric.at_cap_help": "Đơn vị có số ở mức trần.",
    "metric.mean_change": "Thay đổi bình quân (tuyệt đối)",
    "metric.mean_change_help": "Trung bình |thay đổi so với năm gốc| của các đơn vị có số năm gốc.",
    "chart.change_title": "Thay đổi so với năm gốc (tỷ đồng)",
    "chart.change_axis": "Thay đổi so với năm gốc (tỷ đồng)",
    "compare.change_axis": "Thay đổi so với kịch bản tham chiếu (tỷ đồng)",
    "chart.gain": "tăng",
    "chart.loss": "giảm",
    "chart.total": "số tiền",
    "chart.bn_axis": "tỷ đồng",
    "notice.illustrative": "Đang dùng số liệu minh hoạ: kết quả cho thấy cách các quy tắc vận "
    "hành, không phải số chính thức.",
    "notice.columns": "Số liệu đơn vị ước tính: {cols}.",
    "notice.rates": "Định mức nhu cầu ước tính: {rates}.",
    "infeasible.title": "**Các thiết lập này không khả thi: các quy tắc không thể cùng thoả mãn.**",
    "infeasible.repairs": "Áp dụng một trong các cách sửa nhỏ nhất:",
    "infeasible.apply": "Áp dụng: {repair}",
    "why.title": "Vì sao con số này",
    "why.caption": "Từ số theo công thức của một đơn vị, qua từng quy tắc, đến số phân bổ cuối "
    "cùng; và với mỗi quy tắc: có ràng buộc chặt không, tốn bao nhiêu, ai được lợi, ai chịu.",
    "why.unit": "Đơn vị",
    "why.waterfall": "{name}, năm {year}: từ công thức đến số cuối cùng",
    "why.story": "**Cùng câu chuyện bằng lời**",
    "why.ledger": "Sổ quy tắc",
    "why.download": "Bảng các bước (CSV)",
    "why.ledger_caption": "Chi phí = số tiền quy tắc làm dịch chuyển (phân bổ lại khi bỏ quy "
    "tắc). Giá trị đối ngẫu = thay đổi của hàm mục tiêu trên mỗi triệu đồng của giới hạn.",
    "why.binding_line": "- **{rule}** ({kind}) ràng buộc {n} đơn vị và dịch chuyển {cost}.",
    "why.none_binding": "Không quy tắc nào ràng buộc chặt: chỉ mục tiêu quyết định phân bổ.",
    "compare.title": "So sánh",
    "compare.caption": "Hai đến bốn kịch bản đặt cạnh nhau: kịch bản có sẵn, kịch bản đang sửa, "
    "kịch bản đã lưu trong phiên hoặc tệp tải lên.",
    "compare.current": "Kịch bản hiện tại (đã sửa)",
    "compare.kept": "đã lưu: {name}",
    "compare.choose": "Các kịch bản cần so sánh (2 đến 4)",
    "compare.upload": "Tải lên kịch bản (.toml)",
    "compare.need_two": "Hãy chọn ít nhất hai kịch bản.",
    "compare.failed": "Không so sánh được '{label}':",
    "compare.metrics": "Chỉ số",
    "compare.units": "Phân bổ theo đơn vị (tỷ đồng)",
    "compare.winners": "Được và mất: '{label}' so với '{ref}' (tỷ đồng)",
    "compare.illustrative_in": "Dùng trong: {labels}.",
    "compare.params": "Các thiết lập khác nhau giữa các kịch bản",
    "compare.no_params": "Thiết lập của các kịch bản giống hệt nhau.",
    "compare.constraints": "Quy tắc",
    "compare.download": "Tải bảng so sánh (XLSX)",
    "compare.download_csv": "Phân bổ theo đơn vị (CSV)",
    "compare.unavailable": "Trang So sánh cần fiscal.compare mà bản cài đặt này không có; hãy "
    "cập nhật fiscal.",
    "compare.setting": "Thiết lập",
    "compare.metric": "Chỉ số",
    "compare.band": "Nhóm",
    "compare.n_units": "Số đơn vị",
    "compare.names": "Các đơn vị trong nhóm",
    "compare.scenario": "Kịch bản",
    "trade.title": "Đánh đổi",
    "trade.caption": "Thay đổi một thiết lập trong một khoảng và xem công bằng, ổn định và chi "
    "phí đánh đổi nhau; kịch bản hiện tại được đánh dấu.",
    "trade.param": "Thiết lập thay đổi",
    "trade.from": "Từ",
    "trade.to": "Đến",
    "trade.steps": "Số điểm",
    "trade.run": "Vẽ đường biên",
    "trade.running": "Đang giải điểm {k} trên {n}…",
    "trade.solved": "Đã giải {n} điểm trong {s} giây.",
    "trade.done": "{n} điểm trong {s} giây; {bad} điểm không khả thi.",
    "trade.range_error": "'Từ' phải nhỏ hơn 'Đến'.",
    "trade.none": "Kịch bản này không có thiết lập số nào để thay đổi.",
    "trade.equity": "Công bằng: Gini của nguồn lực bình quân (càng thấp càng đều)",
    "trade.stability": "Ổn định: thay đổi bình quân so với năm gốc",
    "trade.cost": "Chi phí",
    "trade.current": "kịch bản hiện tại",
    "trade.point": "điểm trên đường biên",
    "trade.table": "Các điểm của đường biên",
    "trade.value": "Giá trị",
    "trade.status": "Trạng thái",
    "trade.message": "Thông báo",
    "trade.download_xlsx": "Đường biên (XLSX)",
    "trade.download_csv": "Đường biên (CSV)",
    "trade.x": "Trục ngang",
    "trade.y": "Trục dọc",
    "trade.color": "Màu",
    "trade.all_infeasible": "Mọi điểm trong khoảng này đều không khả thi; bảng cho biết tổng mức "
    "cần thêm ở mỗi điểm. Hãy chọn khoảng khác.",
    "param.envelope.total": "Tổng mức phân bổ",
    "param.envelope.baseline_factor": "Tổng mức theo bội số của năm gốc",
    "param.objective.weight": "Trọng số công bằng λ (kết hợp)",
    "data.title": "Dữ liệu",
    "data.caption": "Các đơn vị được phân bổ: xem dữ liệu, tải mẫu, điền số liệu thực và tải lên.",
    "data.tab_browse": "Xem",
    "data.tab_template": "Mẫu",
    "data.tab_upload": "Tải lên",
    "data.bundled": "bộ dữ liệu kèm theo ({level})",
    "data.in_use": "Đang dùng: **{source}**, {n} đơn vị. Số tiền tính bằng triệu đồng.",
    "data.bundled_note": "Số liệu tài khoá kèm theo (năm gốc, thu ngân sách, tỷ lệ điều tiết) là "
    "minh hoạ: được suy ra theo một quy trình có tài liệu và hiệu chỉnh theo tổng số quốc gia, "
    "không phải số chính thức. Hãy tải lên số liệu thực bằng tệp mẫu.",
    "data.money_note": "Các cột tiền tính bằng triệu đồng, như trong tệp.",
    "data.predecessors": "Đơn vị hợp nhất và các đơn vị cũ",
    "data.merged_unit": "Đơn vị hợp nhất",
    "data.merged_from": "**{name}** được hình thành từ {n} đơn vị: {preds}.",
    "data.area": "Diện tích (km²)",
    "data.communes_2025": "Số xã (trước sáp nhập)",
    "data.self_balancing": "Tự cân đối (2023)",
    "data.sum_check": "Dân số các đơn vị cũ: {pop}; của đơn vị hợp nhất: {unit_pop}.",
    "data.template_intro": "Tải tệp mẫu, chỉ điền giá trị (không công thức, không gộp ô; tiền "
    "tính bằng triệu đồng), rồi tải lên ở thẻ tiếp theo.",
    "data.level": "Cấp",
    "data.prefilled": "Điền sẵn bộ dữ liệu kèm theo",
    "data.download_csv": "Tải mẫu (CSV)",
    "data.download_xlsx": "Tải mẫu (XLSX)",
    "data.upload_intro": "Tải lên tệp mẫu đã điền. Mọi lỗi được liệt kê kèm dòng, đơn vị và cột.",
    "data.upload": "Bảng đơn vị (.csv hoặc .xlsx)",
    "data.upload_help": "Tối đa {mb} MB; với tệp Excel, trang tính tên 'units' được đọc.",
    "data.using": "Phân bổ đang dùng bảng tải lên '{name}'.",
    "data.stop_using": "Quay lại bộ dữ liệu kèm theo",
    "data.too_big": "{name}: tệp vượt giới hạn tải lên {mb} MB; bảng của mọi xã chưa tới 1 MB, "
    "hãy kiểm tra lại tệp",
    "data.invalid": "{name} bị từ chối: {n} lỗi. Hãy sửa trong tệp rồi tải lên lại.",
    "data.valid": "{name}: {n} {level}, đạt mọi kiểm tra.",
    "data.upload_estimated": "Tệp đánh dấu các cột này là minh hoạ (ước tính): {cols}.",
    "data.level_mismatch": "Tệp chứa {level} nhưng kịch bản phân bổ cho {scen_level}; hãy chọn "
    "kịch bản cùng cấp trước.",
    "data.use": "Dùng bảng này để phân bổ",
    "export.title": "Tải về",
    "export.caption": "Mọi bảng dưới dạng CSV hoặc XLSX, kịch bản đã sửa dưới dạng TOML, một "
    "đường dẫn để khôi phục, và các dòng lệnh tái tạo bảng.",
    "export.tables": "Các bảng",
    "export.tables_caption": "Sổ Excel gồm bảng phân bổ, chỉ số, quy tắc, giả định, nguồn gốc "
    "và một phụ lục trình bày như biểu ngân sách chính thức.",
    "export.xlsx": "Sổ phân bổ (XLSX)",
    "export.csv": "Bảng phân bổ (CSV)",
    "export.json": "Toàn bộ (JSON)",
    "export.ledger_csv": "Sổ quy tắc (CSV)",
    "export.metrics_csv": "Chỉ số (CSV)",
    "export.sectors_csv": "Số theo lĩnh vực (CSV)",
    "export.scenario": "Kịch bản",
    "export.toml": "Kịch bản kèm các thay đổi (TOML)",
    "export.toml_preview": "Xem TOML",
    "export.link": "Đường dẫn chia sẻ",
    "export.link_caption": "Mở đường dẫn này sẽ khôi phục kịch bản và các thay đổi (thanh địa chỉ "
    "cũng luôn chứa nó).",
    "export.link_too_long": "Kịch bản quá lớn cho một đường dẫn; hãy chia sẻ tệp TOML.",
    "export.link_units": "Đường dẫn không mang theo được bảng đơn vị tải lên '{name}': hãy gửi "
    "kèm tệp.",
    "export.reproduce": "Tái tạo",
    "export.reproduce_caption": "Với tệp {toml} tải ở trên, cả hai cách sau cho cùng một bảng:",
}

from fiscal_app import i18n_history  # noqa: E402  (the run store's labels)

EN.update(i18n_history.EN)
VI.update(i18n_history.VI)
STRINGS = {"en": EN, "vi": VI}

REGIONS_VI = {
    "Red River Delta": "Đồng bằng sông Hồng",
    "Northern Midlands and Mountains": "Trung du và miền núi phía Bắc",
    "North Central and Central Coast": "Bắc Trung Bộ và duyên hải miền Trung",
    "Central Highlands": "Tây Nguyên",
    "Southeast": "Đông Nam Bộ",
    "Mekong River Delta": "Đồng bằng sông Cửu Long",
}

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

CHARACTER_VI = {
    "formula": "Hiện trạng: tổng mức được chia theo tỷ lệ khoảng thiếu hụt (nhu cầu − khả năng "
    "thu) của mỗi đơn vị, rồi áp mức sàn và mức trần bằng phương pháp điều chỉnh. Không tối ưu.",
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
}

METRICS = {
    "en": {
        "total_allocation": "Allocated",
        "gini": "Gini, resources per person",
        "theil": "Theil, resources per person",
        "cv": "Coefficient of variation",
        "max_min_ratio": "Highest / lowest per person",
        "min_per_capita": "Lowest resources per person (million VND)",
        "share_of_need_met": "Share of need met",
        "units_below_need": "Units below need",
        "units_at_floor": "Units held up",
        "units_at_cap": "Units capped",
        "protection_cost": "Cost of protections",
        "cap_clawback": "Taken by caps",
        "mean_abs_change_pct": "Mean change (absolute)",
        "objective": "Objective value",
        "extra_envelope": "Extra envelope needed",
    },
    "vi": {
        "total_allocation": "Đã phân bổ",
        "gini": "Gini, nguồn lực bình quân",
        "theil": "Theil, nguồn lực bình quân",
        "cv": "Hệ số biến thiên",
        "max_min_ratio": "Cao nhất / thấp nhất bình quân",
        "min_per_capita": "Nguồn lực bình quân thấp nhất (triệu đồng)",
        "share_of_need_met": "Tỷ lệ nhu cầu được đáp ứng",
        "units_below_need": "Đơn vị dưới nhu cầu",
        "units_at_floor": "Đơn vị được giữ mức",
        "units_at_cap": "Đơn vị chạm trần",
        "protection_cost": "Chi phí bảo đảm",
        "cap_clawback": "Phần bị trần cắt",
        "mean_abs_change_pct": "Thay đổi bình quân (tuyệt đối)",
        "objective": "Giá trị hàm mục tiêu",
        "extra_envelope": "Tổng mức cần thêm",
    },
}

TYPES_VI = {"province": "tỉnh", "centrally-run city": "thành phố trực thuộc trung ương"}

BANDS_VI = {
    "gain > 5 %": "tăng > 5%",
    "gain ≤ 5 %": "tăng ≤ 5%",
    "no change": "không đổi",
    "loss ≤ 5 %": "giảm ≤ 5%",
    "loss > 5 %": "giảm > 5%",
}

# the unit-table columns (fiscal.schema) and the extra columns of the bundled dataset
COLUMNS_VI = {
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
    "communes": "số xã",
    "communes_xa": "số xã",
    "communes_phuong": "số phường",
    "communes_dac_khu": "số đặc khu",
    "eliminated_provinces": "số tỉnh cũ bị sáp nhập",
    "eliminated_communes": "số xã cũ bị sáp nhập",
    "baseline": "năm gốc (triệu đồng)",
    "own_revenue": "thu ngân sách (triệu đồng)",
    "retention": "tỷ lệ điều tiết",
    "estimated": "cột minh hoạ",
    "revenue_on_territory": "tổng thu NSNN trên địa bàn (triệu đồng)",
    "revenue_central": "thu ngân sách trung ương hưởng 100% (triệu đồng)",
    "revenue_land": "tiền sử dụng đất, tiền thuê đất địa phương hưởng (triệu đồng)",
    "revenue_lottery": "thu xổ số kiến thiết (triệu đồng)",
    "revenue_local": "B: thu ngân sách địa phương hưởng 100% (triệu đồng)",
    "revenue_shared": "C: các khoản thu phân chia (triệu đồng)",
    "spending_need": "A: chi cân đối ngân sách địa phương theo định mức (triệu đồng)",
    "sharing_rate": "tỷ lệ phần trăm (%) phân chia",
}

FLAGS_VI = {
    "at floor": "ở mức sàn",
    "at cap": "ở mức trần",
    "at transition limit": "ở giới hạn chuyển tiếp",
    "at per_capita_min": "ở mức tối thiểu bình quân",
    "merger support": "hỗ trợ sáp nhập",
}

STEPS_VI = {
    "formula amount": "số theo công thức",
    "scaling to pay for protections": "thu hẹp để bù cho các bảo đảm",
    "protections (floors, caps, minimums)": "các bảo đảm (sàn, trần, tối thiểu)",
    "other protections": "các bảo đảm khác",
    "solver precision": "sai số bộ giải",
    "rounding to the unit": "làm tròn",
    "one-off merger support": "hỗ trợ sáp nhập một lần",
    "final allocation": "số phân bổ cuối cùng",
}


class Tr:
    """Labels and number formats of one language: ``t("key", **values)``."""

    KINDS = tuple(KINDS["en"])

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang if lang in STRINGS else "en"
        self._strings = STRINGS[self.lang]

    def has(self, key: str) -> bool:
        return key in EN

    def __call__(self, key: str, **values: Any) -> str:
        text = self._strings.get(key)
        if text is None:
            text = EN[key]  # a KeyError here is a missing label: a bug the tests catch
        return text.format(**values) if values else text

    # numbers
    def num(self, value: Any, decimals: int = 0, *, sign: bool = False) -> str:
        return fmt.number(value, decimals, self.lang, sign=sign)

    def pct(self, share: Any, decimals: int = 1, *, sign: bool = False) -> str:
        return fmt.percent(share, decimals, self.lang, sign=sign)

    def bn(self, million_vnd: Any, decimals: int | None = None) -> str:
        return fmt.bn(million_vnd, self.lang, decimals)

    def entry_error(self, err: Any) -> str:
        """The message of a refused typed number (:class:`fiscal_app.numbers.EntryError`)."""
        text = self(f"entry.{err.code}", **err.params)
        if err.code == "malformed" and err.params.get("suggestion"):
            text += " " + self("entry.malformed_hint", suggestion=err.params["suggestion"])
        return f"{text} {self('entry.unchanged')}"

    def mvnd(self, million_vnd: Any) -> str:
        unit = "triệu đồng" if self.lang == "vi" else "million VND"
        return f"{fmt.number(million_vnd, 0, self.lang)} {unit}"

    # vocabulary
    def region(self, name: Any) -> str:
        text = str(name)
        return REGIONS_VI.get(text, text) if self.lang == "vi" else text

    def value(self, column: str, value: Any) -> Any:
        """A dataset value as shown (regions, unit types, yes/no in Vietnamese); others as is."""
        if self.lang != "vi" or not isinstance(value, str):
            return value
        if column == "region":
            return self.region(value)
        if column == "type":
            return TYPES_VI.get(value, value)
        if column == "merged" and value in ("yes", "no"):
            return self(value)
        return value

    def kind(self, kind: Any) -> str:
        return KINDS[self.lang].get(str(kind), str(kind))

    def objective(self, kind: Any) -> str:
        return OBJECTIVES[self.lang].get(str(kind), str(kind))

    def character(self, kind: str) -> str:
        if self.lang == "vi":
            return CHARACTER_VI.get(kind, "")
        from fiscal.scenario import OBJECTIVE_CHARACTER

        return OBJECTIVE_CHARACTER.get(kind, "")

    def column(self, name: str) -> str:
        """A unit-table column's header: the file's name, translated in Vietnamese."""
        if self.lang == "vi" and name in COLUMNS_VI:
            return f"{COLUMNS_VI[name]} ({name})"
        return name

    def metric(self, key: Any) -> str:
        """A metric's name; ``gini_per_pt`` is the price of the swept setting in Gini."""
        key = str(key)
        for suffix, word in (("_per_pt", "per_pt"), ("_per_unit", "per_unit")):
            if key.endswith(suffix):
                return self(f"metric.{word}", name=self.metric(key.removesuffix(suffix)))
        return METRICS[self.lang].get(key, key)

    def band(self, band: Any) -> str:
        text = str(band)
        return BANDS_VI.get(text, text) if self.lang == "vi" else text

    def flags(self, text: Any) -> str:
        text = "" if text is None else str(text)
        if self.lang != "vi" or not text:
            return text
        parts = []
        for part in text.split("; "):
            if part in FLAGS_VI:
                parts.append(FLAGS_VI[part])
            elif part.startswith("at ") and part.endswith(" max"):
                parts.append(f"ở mức tối đa ({self.kind(part[3:-4])})")
            elif part.startswith("at "):
                parts.append(f"ở mức ({self.kind(part[3:])})")
            else:
                parts.append(part)
        return "; ".join(parts)

    def step(self, label: str) -> str:
        """A waterfall step's label (e.g. 'floor: hold-harmless') in the chosen language."""
        if self.lang != "vi":
            return label
        if label in STEPS_VI:
            return STEPS_VI[label]
        if label.startswith("objective '") and label.endswith("' without rules"):
            kind = label[len("objective '") : -len("' without rules")]
            return f"mục tiêu '{self.objective(kind)}' khi chưa có quy tắc"
        head, sep, name = label.partition(": ")
        if sep and head in KINDS["vi"]:
            return f"{KINDS['vi'][head]}: {name}"
        return label
