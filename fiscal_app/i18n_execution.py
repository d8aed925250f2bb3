"""Labels of the Execution and capital page (fiscal_app/ui/execution.py), in both languages.

Merged into :data:`fiscal_app.i18n.EN` and ``VI``. The tables' headers and the exports' notes
come from :mod:`fiscal.prose.execution`, the words the command line's files use.
"""

from __future__ import annotations

__all__ = ["EN", "VI"]

EN: dict[str, str] = {
    "nav.execution": "Execution and capital",
    "exec.title": "Execution and capital",
    "exec.caption": "How the year's balancing transfers are drawn month by month, what happens "
    "when revenue comes in above or below the estimate, and the capital side: need split into "
    "recurrent and capital, and a capital line shared by points over 2026–2030.",
    "exec.tab.drawdown": "Monthly drawdown",
    "exec.tab.outturn": "Revenue outturn",
    "exec.tab.capital": "Capital 2026–2030",
    "exec.profile": "Drawdown profile",
    "exec.profile.even": "1/12 every month",
    "exec.profile.front": "30 % in Q1 (10 % a month), then even",
    "exec.unit": "Round the months to",
    "exec.unit.million": "a million VND",
    "exec.unit.dong": "the dong",
    "exec.no_balancing": "No unit receives a balancing transfer in this scenario: there is "
    "nothing to draw.",
    "exec.reconciled": "Every row reconciles to its annual amount (rounded to {unit}); Q1 takes "
    "{q1} of the year.",
    "exec.download.csv": "Schedule (CSV)",
    "exec.download.xlsx": "Schedule (Excel)",
    "exec.sd": "Spread of outturn around the estimate (standard deviation)",
    "exec.draws": "Draws",
    "exec.seed": "Random seed",
    "exec.hcmc": "Hồ Chí Minh City at its real 2025 outturn ratio ({ratio} of its estimate)",
    "exec.opening_debt": "Opening debt, share of each unit's ceiling (illustrative)",
    "exec.summary": "Per draw, on average {below} units fall below need (at most {below_max}) "
    "and {breach} exceed their debt ceiling (at most {breach_max}).",
    "exec.at_estimate": "{n} of them are below need already at the estimate (their revenue "
    "kept and transfers do not reach A).",
    "exec.units_short": "Units most often short or over their ceiling",
    "exec.download.outturn": "The Monte Carlo (Excel)",
    "exec.capital.none": "The capital view needs the province table's A, land-use fees and "
    "lottery (the bundled 34 units have them); it is shown for the bundled units.",
    "exec.capital.points": "Points and each unit's share of the line",
    "exec.capital.line": "The capital line by year",
    "exec.capital.split": "Recurrent and capital need, 2026",
    "exec.download.capital": "The capital view (Excel)",
}

VI: dict[str, str] = {
    "nav.execution": "Thực hiện và đầu tư",
    "exec.title": "Thực hiện ngân sách và chi đầu tư",
    "exec.caption": "Số bổ sung cân đối được rút dự toán hằng tháng ra sao, điều gì xảy ra khi "
    "thu thực hiện cao hơn hoặc thấp hơn dự toán, và phần chi đầu tư: nhu cầu chi tách thành "
    "chi thường xuyên và chi đầu tư, cùng dòng vốn đầu tư phân bổ theo điểm giai đoạn "
    "2026–2030.",
    "exec.tab.drawdown": "Rút dự toán theo tháng",
    "exec.tab.outturn": "Thu thực hiện",
    "exec.tab.capital": "Đầu tư 2026–2030",
    "exec.profile": "Tiến độ rút dự toán",
    "exec.profile.even": "1/12 mỗi tháng",
    "exec.profile.front": "30% trong quý I (10% mỗi tháng), sau đó đều",
    "exec.unit": "Làm tròn số các tháng đến",
    "exec.unit.million": "triệu đồng",
    "exec.unit.dong": "đồng",
    "exec.no_balancing": "Trong kịch bản này không đơn vị nào nhận bổ sung cân đối: không có "
    "số để rút dự toán.",
    "exec.reconciled": "Mọi dòng khớp đúng số cả năm (làm tròn đến {unit}); quý I rút {q1} dự toán năm.",
    "exec.download.csv": "Tiến độ rút dự toán (CSV)",
    "exec.download.xlsx": "Tiến độ rút dự toán (Excel)",
    "exec.sd": "Độ phân tán của số thực hiện quanh dự toán (độ lệch chuẩn)",
    "exec.draws": "Số lần rút mẫu",
    "exec.seed": "Hạt giống ngẫu nhiên",
    "exec.hcmc": "TP. Hồ Chí Minh theo tỷ lệ thực hiện thực tế năm 2025 ({ratio} dự toán)",
    "exec.opening_debt": "Dư nợ đầu kỳ, tỷ lệ so với mức dư nợ tối đa (minh họa)",
    "exec.summary": "Mỗi lần rút mẫu, bình quân {below} đơn vị thấp hơn nhu cầu chi (nhiều "
    "nhất {below_max}) và {breach} đơn vị vượt mức dư nợ vay tối đa (nhiều nhất {breach_max}).",
    "exec.at_estimate": "Trong đó {n} đơn vị thấp hơn nhu cầu chi ngay theo dự toán (thu được "
    "hưởng cộng bổ sung chưa đạt A).",
    "exec.units_short": "Các đơn vị thường thiếu hụt hoặc vượt mức dư nợ nhất",
    "exec.download.outturn": "Kết quả mô phỏng (Excel)",
    "exec.capital.none": "Phần đầu tư cần A, tiền sử dụng đất và xổ số của bảng đơn vị cấp "
    "tỉnh (bộ 34 đơn vị kèm theo có sẵn); đang hiển thị theo bộ dữ liệu kèm theo.",
    "exec.capital.points": "Điểm và tỷ trọng của mỗi đơn vị trong dòng vốn",
    "exec.capital.line": "Dòng vốn đầu tư theo năm",
    "exec.capital.split": "Nhu cầu chi thường xuyên và chi đầu tư, năm 2026",
    "exec.download.capital": "Phần đầu tư (Excel)",
}
