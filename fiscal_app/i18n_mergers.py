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
}
