"""The execution and capital views (:mod:`fiscal.execution`, :mod:`fiscal.capital`): the errors
a user can meet on the command line or the app's Execution and capital page."""

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
}
