"""Notices beside results: illustrative figures, the ledger's envelope line, exports."""

from __future__ import annotations

__all__ = ["MESSAGES"]

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the constraint ledger's first row (fiscal.ledger)
    "ledger.envelope": (
        "Σ transfers = {total:money} in {year}",
        "Σ số bổ sung = {total:money} năm {year}",
    ),
    "ledger.envelope_growing": (
        "Σ transfers = {total:money} in {year} (growing)",
        "Σ số bổ sung = {total:money} năm {year} (tăng dần các năm sau)",
    ),
    # -- illustrative figures (fiscal.results.Result.illustrative, exports, the app)
    "notice.illustrative": (
        "Illustrative figures in use: the results show how the rules work, not official amounts.",
        "Đang dùng số liệu minh hoạ: kết quả cho thấy cách các quy tắc vận hành, không phải số "
        "chính thức.",
    ),
    "notice.columns": (
        "Estimated unit figures: {columns:columns}.",
        "Số liệu đơn vị ước tính: {columns:columns}.",
    ),
    "export.csv_notice": (
        "Illustrative figures in use (estimated: {columns:columns}): these results show how the rules "
        "work and are not official amounts",
        "Đang dùng số liệu minh hoạ (ước tính: {columns:columns}): kết quả cho thấy cách các quy tắc vận "
        "hành và không phải là số chính thức",
    ),
    "notice.rates": (
        "Estimated need rates: {rates}.",
        "Định mức nhu cầu ước tính: {rates}.",
    ),
}
