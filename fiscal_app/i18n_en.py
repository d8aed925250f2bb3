"""The app's own labels in English (buttons, captions, messages): :data:`EN`.

The words of fiscal's codes (rule kinds, flags, waterfall steps, metrics) are not here: they
are in :mod:`fiscal.prose.labels` and :data:`fiscal.metrics.METRICS`, shared with the command
line. The Vietnamese labels, key for key, are in :mod:`fiscal_app.i18n_vi`.
"""

from __future__ import annotations

__all__ = ["EN"]

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
    "allocate.edited_texts": "the scenario's names or descriptions",
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
    "envelope.from_sharing": "the A/B/C mechanism's balancing transfers (envelope.from_sharing)",
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
    "rules.units": "units",
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
    "col.change_pct": "Change (%)",
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
    "why.axis_note": "The axis does not start at 0, so that small steps show; the first and last "
    "bars are totals.",
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
    "compare.current_unedited": "Current scenario (unedited)",
    "compare.kept": "kept: {name}",
    "compare.choose": "Scenarios to compare (2 to 4)",
    "compare.upload": "Upload scenarios (.toml)",
    "compare.need_two": "Choose at least two scenarios.",
    "compare.nothing_yet": "Nothing to compare '{name}' with yet: no other scenario covers the "
    "same units and years. To make a variant, change a setting on the Allocate page (the "
    "objective, a rule, the envelope) and come back: it is offered here as '{current}' beside "
    "the file. You can also keep variants there under a name, or upload scenario files (.toml) "
    "above.",
    "compare.failed": "'{label}' cannot be compared:",
    "compare.metrics": "Metrics",
    "compare.units": "Allocations by unit (bn VND)",
    "compare.winners": "Winners and losers: '{label}' against '{ref}' (bn VND)",
    "compare.no_change": "In {year} '{label}' allocates every unit exactly what '{ref}' does: "
    "no unit gains or loses, the bars have no length.",
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
    "trade.same_colour": "{metric} is {value} at every point, so the points have one colour.",
    "trade.status": "Status",
    "trade.status.optimal": "optimal",
    "trade.status.infeasible": "infeasible",
    "trade.status.error": "error",
    "trade.message": "Message",
    "trade.download_xlsx": "The frontier (XLSX)",
    "trade.download_csv": "The frontier (CSV)",
    "trade.sheet": "Frontier",
    "trade.xlsx_title": "Frontier of “{setting}” — {scenario}",
    "trade.xlsx_note": "Money in million VND; a price column is the change of its metric per "
    "point (0.01) of a ratio or share, or per unit of an amount, from the point before.",
    "trade.point_no": "Point",
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
