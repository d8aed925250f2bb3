"""Labels of the tables at commune scale (per-province sums, the drill-down, pages), in both
languages; merged into :data:`fiscal_app.i18n.EN` and ``VI``."""

from __future__ import annotations

__all__ = ["EN", "VI"]

EN: dict[str, str] = {
    "scale.province": "Province",
    "scale.communes": "Communes",
    "scale.by_province": "By province",
    "scale.by_province_caption": "{n} communes in {p} provinces: each row sums its province's "
    "communes (money to the million VND; per person and share of need are ratios of the sums). "
    "Choose a province below for its communes.",
    "scale.drill": "Communes of the province",
    "scale.drill_help": "The communes of one province, each on its own row.",
    "scale.communes_of": "{name}: {n} communes",
    "scale.page": "Rows",
    "scale.page_rows": "rows {first}–{last} of {n}",
    "compare.names_more": "… and {n} more",
    "why.working": "Explaining: the scenario is solved again once per rule (for a commune run, "
    "in each province); the first time takes a few seconds.",
    "scale.compare_caption": "Per province ({p} rows: each sums its communes); choose a province "
    "below for its communes.",
}

VI: dict[str, str] = {
    "scale.province": "Tỉnh",
    "scale.communes": "Số xã",
    "scale.by_province": "Theo tỉnh",
    "scale.by_province_caption": "{n} xã thuộc {p} tỉnh: mỗi dòng cộng các xã của một tỉnh "
    "(tiền cộng đến triệu đồng; bình quân đầu người và tỷ lệ đáp ứng nhu cầu là tỷ số của các "
    "tổng). Chọn một tỉnh bên dưới để xem các xã.",
    "scale.drill": "Các xã của tỉnh",
    "scale.drill_help": "Các xã của một tỉnh, mỗi xã một dòng.",
    "scale.communes_of": "{name}: {n} xã",
    "scale.page": "Dòng",
    "scale.page_rows": "dòng {first}–{last} trên {n}",
    "compare.names_more": "… và {n} đơn vị khác",
    "why.working": "Đang giải thích: kịch bản được giải lại một lần cho mỗi quy tắc (với lần chạy "
    "cấp xã, ở từng tỉnh); lần đầu mất vài giây.",
    "scale.compare_caption": "Theo tỉnh ({p} dòng: mỗi dòng cộng các xã của tỉnh); chọn một tỉnh "
    "bên dưới để xem các xã.",
}
