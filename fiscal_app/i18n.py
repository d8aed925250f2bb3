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
from fiscal.prose.labels import CHARACTER, COLUMNS, REGIONS
from fiscal_app import (
    i18n_execution,  # the Execution and capital page's labels, merged below
    i18n_history,  # the run store's labels, merged below
    i18n_lines,  # the transfer lines' labels, merged below
    i18n_mergers,  # the A/B/C mechanism's labels, merged below
    i18n_scale,  # the tables at commune scale, merged below
)
from fiscal_app.i18n_en import EN
from fiscal_app.i18n_vi import VI

__all__ = ["EN", "LANGUAGES", "STRINGS", "VI", "Tr"]

LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}

EN.update(i18n_history.EN)
VI.update(i18n_history.VI)
EN.update(i18n_mergers.EN)
VI.update(i18n_mergers.VI)
EN.update(i18n_execution.EN)
VI.update(i18n_execution.VI)
EN.update(i18n_scale.EN)
VI.update(i18n_scale.VI)
EN.update(i18n_lines.EN)
VI.update(i18n_lines.VI)
STRINGS = {"en": EN, "vi": VI}

TYPES_VI = {"province": "tỉnh", "centrally-run city": "thành phố trực thuộc trung ương"}


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

    def own(self, obj: Any, key: str) -> str:
        """A scenario's own words in the language: ``<key>_vi`` in Vietnamese where the scenario
        gives it (``name_vi``, ``description_vi``, ``source_vi``), else ``<key>``; ``obj`` is a
        table of the working scenario (a dict) or a part of a :class:`fiscal.scenario.Scenario`."""

        def get(k: str) -> Any:
            return obj.get(k) if isinstance(obj, dict) else getattr(obj, k, None)

        if self.lang == "vi" and get(f"{key}_vi"):
            return str(get(f"{key}_vi"))
        value = get(key)
        return "" if value is None else str(value)

    def message(self, value: Any) -> str:
        """A message of fiscal (an error, a conflict, a repair, a ledger line) in the language;
        plain text as it is."""
        from fiscal.prose.messages import text_of

        return value.text(self.lang) if hasattr(value, "text") else text_of(value, self.lang)

    def entry_error(self, err: Any) -> str:
        """The message of a refused typed number (:class:`fiscal_app.numbers.EntryError`)."""
        text = self(f"entry.{err.code}", **err.params)
        if err.code == "malformed" and err.params.get("suggestion"):
            text += " " + self("entry.malformed_hint", suggestion=err.params["suggestion"])
        return f"{text} {self('entry.unchanged')}"

    # the vocabulary of the bundled data
    def region(self, name: Any) -> str:
        text = str(name)
        return REGIONS["vi"].get(text, text) if self.lang == "vi" else text

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

    def indicator(self, criterion: Any) -> str:
        """A need criterion's indicator: its ``name_vi``, else the column's Vietnamese name."""
        own = self.own(criterion, "name") if self.lang == "vi" else ""
        name = criterion["indicator"] if isinstance(criterion, dict) else criterion.indicator
        return own or self.column_short(str(name))

    def column_short(self, name: str) -> str:
        """A unit-table column in words, without the file's name: 'dân số'."""
        return COLUMNS["vi"].get(name, name) if self.lang == "vi" else name

    def scope(self, where: dict[str, Any], units: list[str] | None = None) -> str:
        """Which units a rule covers: 'region: Mekong River Delta', 'vùng: Đồng bằng sông Cửu
        Long'; explicit units by code."""
        parts = []
        for column, wanted in (where or {}).items():
            values = [wanted] if isinstance(wanted, str) else list(wanted)
            shown = ", ".join(str(self.value(column, v)) for v in values)
            parts.append(f"{self.column_short(column)}: {shown}")
        if units:
            parts.append(f"{self('rules.units')}: {', '.join(map(str, units))}")
        return "; ".join(parts)

    def column(self, name: str) -> str:
        """A unit-table column's header: the file's name, translated in Vietnamese."""
        if self.lang == "vi" and name in COLUMNS["vi"]:
            return f"{COLUMNS['vi'][name]} ({name})"
        return name

    # fiscal's codes (fiscal.prose.labels, fiscal.metrics.METRICS)
    def kind(self, kind: Any) -> str:
        return prose.kind_name(str(kind), self.lang)

    def objective(self, kind: Any) -> str:
        return prose.objective_name(str(kind), self.lang)

    def character(self, kind: str) -> str:
        return CHARACTER.get(self.lang, CHARACTER["en"]).get(kind, "")

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
