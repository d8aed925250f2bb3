"""Every label of the app, in English and Vietnamese, and the numbers in the language.

    >>> t = Tr("vi")
    >>> t("nav.allocate")
    'Phân bổ'
    >>> t.bn(238_421_000)
    '238.421 tỷ đồng'

The app's own labels are one dict per language (:mod:`fiscal_app.i18n_en`,
:mod:`fiscal_app.i18n_vi`); the words of fiscal's codes (rule kinds, objectives, flags,
waterfall steps, bands, metrics) come from :mod:`fiscal.prose` and :data:`fiscal.metrics.METRICS`,
the same records the command line writes from; numbers are written by fiscal's one formatter
(:mod:`fiscal.prose.numbers`). Here too: the vocabulary of the bundled data (regions, unit
types, column names) and the objectives' characters in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from fiscal import prose
from fiscal_app import (
    i18n_history,  # the run store's labels, merged below
    i18n_mergers,  # the A/B/C mechanism's labels, merged below
)
from fiscal_app.i18n_en import EN
from fiscal_app.i18n_vi import VI

__all__ = ["EN", "LANGUAGES", "STRINGS", "VI", "Tr"]

LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}

EN.update(i18n_history.EN)
VI.update(i18n_history.VI)
EN.update(i18n_mergers.EN)
VI.update(i18n_mergers.VI)
STRINGS = {"en": EN, "vi": VI}

REGIONS_VI = {
    "Red River Delta": "Đồng bằng sông Hồng",
    "Northern Midlands and Mountains": "Trung du và miền núi phía Bắc",
    "North Central and Central Coast": "Bắc Trung Bộ và duyên hải miền Trung",
    "Central Highlands": "Tây Nguyên",
    "Southeast": "Đông Nam Bộ",
    "Mekong River Delta": "Đồng bằng sông Cửu Long",
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

TYPES_VI = {"province": "tỉnh", "centrally-run city": "thành phố trực thuộc trung ương"}

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
    "formula_rate": "tỷ lệ theo công thức (%)",
    "remitted": "điều tiết về trung ương (triệu đồng)",
    "fiscal_class": "nhóm địa phương",
    "predecessor_resources": "nguồn lực các tỉnh cũ (triệu đồng)",
}


class Tr:
    """Labels and number formats of one language: ``t("key", **values)``."""

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

    # numbers: fiscal's one formatter, the app's way (no -0.0, '–' when missing)
    def num(self, value: Any, decimals: int = 0, *, sign: bool = False) -> str:
        return prose.number(value, decimals, self.lang, sign=sign, tidy=True)

    def pct(self, share: Any, decimals: int = 1, *, sign: bool = False) -> str:
        return prose.percent(share, decimals, self.lang, sign=sign, tidy=True)

    def bn(self, million_vnd: Any, decimals: int | None = None, *, sign: bool = False) -> str:
        return prose.money(million_vnd, self.lang, decimals=decimals, sign=sign, tidy=True)

    def mvnd(self, million_vnd: Any) -> str:
        return prose.money(million_vnd, self.lang, unit="million", tidy=True)

    def metric_value(self, key: str, value: Any, *, delta: bool = False) -> str:
        """A metric's value as its spec says (:data:`fiscal.metrics.METRICS`)."""
        return prose.metric_text(key, value, self.lang, delta=delta, tidy=True, missing="–")

    def entry_error(self, err: Any) -> str:
        """The message of a refused typed number (:class:`fiscal_app.numbers.EntryError`)."""
        text = self(f"entry.{err.code}", **err.params)
        if err.code == "malformed" and err.params.get("suggestion"):
            text += " " + self("entry.malformed_hint", suggestion=err.params["suggestion"])
        return f"{text} {self('entry.unchanged')}"

    # the vocabulary of the bundled data
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

    def column(self, name: str) -> str:
        """A unit-table column's header: the file's name, translated in Vietnamese."""
        if self.lang == "vi" and name in COLUMNS_VI:
            return f"{COLUMNS_VI[name]} ({name})"
        return name

    # fiscal's codes (fiscal.prose.labels, fiscal.metrics.METRICS)
    def kind(self, kind: Any) -> str:
        return prose.kind_name(str(kind), self.lang)

    def objective(self, kind: Any) -> str:
        return prose.objective_name(str(kind), self.lang)

    def character(self, kind: str) -> str:
        if self.lang == "vi":
            return CHARACTER_VI.get(kind, "")
        from fiscal.scenario import OBJECTIVE_CHARACTER

        return OBJECTIVE_CHARACTER.get(kind, "")

    def metric(self, key: Any) -> str:
        """A metric's name; ``gini_per_pt`` is the price of the swept setting in Gini."""
        key = str(key)
        for suffix, word in (("_per_pt", "per_pt"), ("_per_unit", "per_unit")):
            if key.endswith(suffix):
                return self(f"metric.{word}", name=self.metric(key.removesuffix(suffix)))
        return prose.metric_label(key, self.lang)

    def band(self, band: Any) -> str:
        return prose.band_name(str(band), self.lang)

    def fiscal_class(self, cls: Any) -> str:
        """A fiscal class of the A/B/C mechanism (fiscal.sharing) in the language."""
        return prose.class_name(str(cls), self.lang)
