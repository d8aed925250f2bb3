"""Labels of the A/B/C mechanism in the app (the Merged units page, the rate columns and the
summary on Allocate), in both languages.

Merged into :data:`fiscal_app.i18n.EN` and ``VI`` (kept apart so that the mechanism's labels
live in one place). The fiscal classes' names come from :mod:`fiscal.prose.labels`.
"""

from __future__ import annotations

__all__ = ["EN", "VI"]

EN: dict[str, str] = {
    "nav.mergers": "Merged units",
    "mergers.title": "Merged units and their predecessors",
    "mergers.caption": "Each unit that merged, beside its predecessors: the rate and balancing "
    "transfer it gets in this scenario, and what each old province had under its own rate "
    "(its own A, B and C). A unit is held harmless when its revenue kept + transfer is at least "
    "its predecessors' summed resources.",
    "mergers.none": "This scenario does not use the A/B/C mechanism (no [sharing] table), so it "
    "sets no rates. Choose one that does on Allocate: national-2026-bridge, "
    "national-2027-period-start or national-2027-optimised-rates.",
    "mergers.no_predecessors": "The predecessors' A, B and C are not known for this unit table "
    "(the bundled 34 units have them; give yours with [sharing] predecessors = 'file.csv').",
    "mergers.held": "{held} of {n} merged units keep at least their predecessors' summed "
    "resources (revenue kept + balancing transfer).",
    "mergers.unit": "Merged unit",
    "mergers.story": "The rate and the transfer, in words",
    "mergers.all": "Every merged unit against its predecessors",
    "mergers.download": "The table (CSV)",
    "mergers.chart": "Resources: the merged unit against its predecessors (bn VND)",
    "level.unit": "merged unit",
    "level.predecessor": "predecessor",
    "col.level": "Row",
    "col.rate": "Rate (%)",
    "col.formula_rate": "Formula rate (%)",
    "col.remitted": "Remitted to the centre (bn VND)",
    "col.balancing": "Balancing transfer (bn VND)",
    "col.resources": "Resources (bn VND)",
    "col.reference": "Predecessors' resources (bn VND)",
    "col.fiscal_class": "Fiscal class",
    "col.held": "Held harmless",
    "col.need_a": "A: need (bn VND)",
    "col.local_b": "B: kept 100 % (bn VND)",
    "col.shared_c": "C: shared base (bn VND)",
    "sharing.summary": "A/B/C mechanism ({mode}): {receiving} units receive a balancing "
    "transfer; {remitted} of shared revenue is remitted to the centre.",
    "sharing.chosen": "The rates were chosen by optimisation within ±{band} points of the "
    "formula's: {changed} differ from it ({list}).",
    "sharing.kept_formula": "The rates were chosen by optimisation within ±{band} points of the "
    "formula's: every rate is the formula's.",
    "sharing.mode.period_start": "first year of a stability period",
    "sharing.mode.within_period": "within a stability period",
    "tab.sharing": "Sharing rates",
    "sharing.tab_caption": "The A/B/C mechanism ({mode}): how each unit's sharing rate and "
    "balancing transfer are set.",
    "sharing.rates": "Rates",
    "sharing.rates.formula": "the formula's: (A − B) / C, whole percent",
    "sharing.rates.optimise": "chosen by optimisation (MILP) within a band",
    "sharing.rates_needs_objective": "Choosing the rates by optimisation needs an optimising "
    "objective (closest to need, smallest worst shortfall, highest minimum per person or least "
    "change).",
    "sharing.band": "Band around the formula's rate (percentage points)",
    "sharing.band_help": "The optimised rate of each unit stays within this many points of its "
    "formula rate.",
    "sharing.rounding": "Formula rate rounded",
    "sharing.rounding.nearest": "to the nearest whole percent",
    "sharing.rounding.up": "up to a whole percent",
    "sharing.rounding.down": "down to a whole percent",
    "sharing.centre": "The centre's minimum shared revenue",
    "sharing.centre.formula": "what the formula's rates remit",
    "sharing.centre.status_quo": "what the rates in force remit",
    "sharing.centre.none": "no minimum",
    "sharing.centre_amount": "The centre's minimum shared revenue (bn VND)",
    "sharing.centre_help": "When the rates are optimised, the centre keeps at least this much of "
    "the shared revenue: Σ (100 − rate) × C / 100.",
    "sharing.uplift": "Uplift of last year's balancing transfers (fraction, 0.03 = 3 %)",
    "sharing.uplift_help": "Within a stability period each unit's balancing transfer is last "
    "year's times (1 + uplift), plus its named top-up.",
    "sharing.uplift_per_year": "Uplift by year: {values} (edit it in the scenario file).",
    "sharing.no_topups": "No named top-ups in this scenario.",
    "sharing.topup": "Top-up for {unit} (bn VND)",
}

VI: dict[str, str] = {
    "nav.mergers": "Đơn vị hợp nhất",
    "mergers.title": "Đơn vị hợp nhất và các tỉnh cũ",
    "mergers.caption": "Mỗi đơn vị hình thành sau sắp xếp, bên cạnh các tỉnh cũ: tỷ lệ phân chia "
    "và số bổ sung cân đối đơn vị được hưởng trong kịch bản này, và số mỗi tỉnh cũ có theo tỷ lệ "
    "của chính mình (A, B, C của tỉnh đó). Đơn vị được bảo đảm khi nguồn thu được hưởng cộng bổ "
    "sung không thấp hơn tổng nguồn lực của các tỉnh cũ.",
    "mergers.none": "Kịch bản này không dùng cơ chế A/B/C (không có bảng [sharing]) nên không "
    "xác định tỷ lệ phân chia. Hãy chọn ở trang Phân bổ một kịch bản có cơ chế này: "
    "national-2026-bridge, national-2027-period-start hoặc national-2027-optimised-rates.",
    "mergers.no_predecessors": "Chưa có A, B, C của các tỉnh cũ cho bảng đơn vị này (bộ dữ liệu "
    "34 đơn vị kèm theo có sẵn; số liệu riêng khai báo bằng [sharing] predecessors = "
    "'file.csv').",
    "mergers.held": "{held} trong {n} đơn vị hợp nhất có nguồn lực (thu được hưởng cộng bổ sung "
    "cân đối) không thấp hơn tổng của các tỉnh cũ.",
    "mergers.unit": "Đơn vị hợp nhất",
    "mergers.story": "Tỷ lệ phân chia và số bổ sung, diễn giải",
    "mergers.all": "Mọi đơn vị hợp nhất so với các tỉnh cũ",
    "mergers.download": "Bảng số liệu (CSV)",
    "mergers.chart": "Nguồn lực: đơn vị hợp nhất so với các tỉnh cũ (tỷ đồng)",
    "level.unit": "đơn vị hợp nhất",
    "level.predecessor": "tỉnh cũ",
    "col.level": "Dòng",
    "col.rate": "Tỷ lệ (%)",
    "col.formula_rate": "Tỷ lệ theo công thức (%)",
    "col.remitted": "Điều tiết về trung ương (tỷ đồng)",
    "col.balancing": "Bổ sung cân đối (tỷ đồng)",
    "col.resources": "Nguồn lực (tỷ đồng)",
    "col.reference": "Nguồn lực các tỉnh cũ (tỷ đồng)",
    "col.fiscal_class": "Nhóm địa phương",
    "col.held": "Được bảo đảm",
    "col.need_a": "A: nhu cầu chi (tỷ đồng)",
    "col.local_b": "B: thu hưởng 100% (tỷ đồng)",
    "col.shared_c": "C: thu phân chia (tỷ đồng)",
    "sharing.summary": "Cơ chế A/B/C ({mode}): {receiving} đơn vị nhận bổ sung cân đối; "
    "{remitted} thu phân chia điều tiết về trung ương.",
    "sharing.chosen": "Tỷ lệ được chọn bằng mô hình tối ưu trong phạm vi ±{band} điểm so với "
    "công thức: {changed} tỷ lệ khác công thức ({list}).",
    "sharing.kept_formula": "Tỷ lệ được chọn bằng mô hình tối ưu trong phạm vi ±{band} điểm so "
    "với công thức: mọi tỷ lệ đều giữ như công thức.",
    "sharing.mode.period_start": "năm đầu thời kỳ ổn định",
    "sharing.mode.within_period": "trong thời kỳ ổn định",
    "tab.sharing": "Tỷ lệ phân chia",
    "sharing.tab_caption": "Cơ chế A/B/C ({mode}): cách xác định tỷ lệ phân chia và số bổ sung "
    "cân đối của từng đơn vị.",
    "sharing.rates": "Tỷ lệ phân chia",
    "sharing.rates.formula": "theo công thức: (A − B) / C, làm tròn đến phần trăm nguyên",
    "sharing.rates.optimise": "chọn bằng mô hình tối ưu (MILP) trong một biên độ",
    "sharing.rates_needs_objective": "Muốn chọn tỷ lệ bằng tối ưu hoá cần một mục tiêu tối ưu "
    "(gần nhu cầu nhất, thiếu hụt lớn nhất nhỏ nhất, mức bình quân đầu người thấp nhất cao nhất "
    "hoặc ít thay đổi nhất).",
    "sharing.band": "Biên độ quanh tỷ lệ theo công thức (điểm phần trăm)",
    "sharing.band_help": "Tỷ lệ tối ưu của mỗi đơn vị không lệch quá số điểm này so với tỷ lệ "
    "theo công thức.",
    "sharing.rounding": "Làm tròn tỷ lệ theo công thức",
    "sharing.rounding.nearest": "đến phần trăm nguyên gần nhất",
    "sharing.rounding.up": "lên phần trăm nguyên",
    "sharing.rounding.down": "xuống phần trăm nguyên",
    "sharing.centre": "Số thu phân chia tối thiểu của ngân sách trung ương",
    "sharing.centre.formula": "bằng số điều tiết theo tỷ lệ công thức",
    "sharing.centre.status_quo": "bằng số điều tiết theo tỷ lệ hiện hành",
    "sharing.centre.none": "không đặt mức tối thiểu",
    "sharing.centre_amount": "Số thu phân chia tối thiểu của ngân sách trung ương (tỷ đồng)",
    "sharing.centre_help": "Khi tỷ lệ được chọn bằng tối ưu hoá, ngân sách trung ương giữ ít "
    "nhất số này từ các khoản thu phân chia: Σ (100 − tỷ lệ) × C / 100.",
    "sharing.uplift": "Mức tăng số bổ sung cân đối so với năm trước (hệ số, 0,03 = 3%)",
    "sharing.uplift_help": "Trong thời kỳ ổn định, số bổ sung cân đối của mỗi đơn vị bằng số năm "
    "trước nhân (1 + mức tăng), cộng khoản bổ sung thêm được nêu tên.",
    "sharing.uplift_per_year": "Mức tăng theo từng năm: {values} (sửa trong tệp kịch bản).",
    "sharing.no_topups": "Kịch bản này không có khoản bổ sung thêm nêu tên.",
    "sharing.topup": "Bổ sung thêm cho {unit} (tỷ đồng)",
}
