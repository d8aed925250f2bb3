"""Typed numbers (fiscal_app.numbers): each language's separators, the ambiguous pattern refused,
the envelope's rounding unit, and input boxes that show what they can read back."""

from __future__ import annotations

import pytest

from fiscal_app import numbers
from fiscal_app.i18n import EN, VI, Tr
from fiscal_app.numbers import MONEY_BN, EntryError, Field, entry_text, read

ENVELOPE = MONEY_BN.with_grid(1.0)  # bn VND shown, million VND stored, whole million VND
RATIO = Field(0.0, 10.0)


@pytest.mark.parametrize(
    ("text", "lang", "million_vnd"),
    [
        ("250.000", "vi", 250_000_000.0),  # the issue: 250 thousand bn, not 250 bn
        ("250000,5", "vi", 250_000_500.0),  # the issue: not 2,500,005 bn
        ("250000", "vi", 250_000_000.0),
        ("250 000", "vi", 250_000_000.0),  # spaces between groups of three
        ("1.234.567,891", "vi", 1_234_567_891.0),
        ("250,000", "en", 250_000_000.0),
        ("250000.5", "en", 250_000_500.0),
        ("250\u00a0000", "en", 250_000_000.0),
        ("  238,421 ", "en", 238_421_000.0),
        ("0,5", "vi", 500.0),
    ],
)
def test_each_language_reads_its_own_separators_and_plain_digits(text, lang, million_vnd):
    assert read(text, lang, ENVELOPE) == million_vnd


@pytest.mark.parametrize(
    ("text", "lang", "decimal", "thousands"),
    [
        ("250,000", "vi", "250", "250.000"),
        ("1,025", "vi", "1,025", "1.025"),
        ("250.000", "en", "250", "250,000"),
        ("-9.999", "en", "-9.999", "-9,999"),
    ],
)
def test_a_decimal_separator_before_exactly_three_digits_is_refused_as_ambiguous(
    text, lang, decimal, thousands
):
    with pytest.raises(EntryError) as info:
        read(text, lang, Field(-1e9, 1e9))
    assert info.value.code == "ambiguous"
    assert info.value.params["as_decimal"] == decimal
    assert info.value.params["as_thousands"] == thousands


def test_the_ambiguous_pattern_is_read_when_only_the_decimal_reading_is_allowed():
    assert read("1,025", "vi", RATIO) == pytest.approx(1.025)  # 1025 is not a ratio ≤ 10
    assert read("1.025", "en", RATIO) == pytest.approx(1.025)
    assert read("0,125", "vi", ENVELOPE) == 125.0  # a leading 0 is never a thousands group


@pytest.mark.parametrize(
    ("text", "lang", "suggestion"),
    [
        ("250000.5", "vi", "250.000,5"),  # written the English way in Vietnamese
        ("1,234,567.89", "vi", "1.234.567,89"),
        ("250000,5", "en", "250,000.5"),
        ("1.5", "vi", "1,5"),
        ("1e5", "en", ""),
        ("nan", "vi", ""),
        ("12 tỷ", "vi", ""),
        ("1,23,456", "en", ""),
    ],
)
def test_malformed_entries_are_refused_with_a_suggestion_where_there_is_one(text, lang, suggestion):
    with pytest.raises(EntryError) as info:
        read(text, lang, ENVELOPE)
    assert info.value.code == "malformed"
    assert info.value.params["suggestion"] == suggestion


def test_the_envelope_must_be_a_whole_multiple_of_the_rounding_unit():
    with pytest.raises(EntryError) as info:
        read("250000,0005", "vi", ENVELOPE)
    assert info.value.code == "grid"
    assert info.value.params == {
        "value": "250.000,0005",
        "step": "0,001",
        "lower": "250.000",
        "upper": "250.000,001",
    }
    coarse = MONEY_BN.with_grid(1000.0)  # a scenario that allocates whole bn VND
    with pytest.raises(EntryError) as info:
        read("250000,5", "vi", coarse)
    assert (info.value.params["lower"], info.value.params["upper"]) == ("250.000", "250.001")
    assert read("250.001", "vi", coarse) == 250_001_000.0


def test_range_and_empty_boxes():
    with pytest.raises(EntryError, match="below"):
        read("-1", "en", ENVELOPE)
    with pytest.raises(EntryError, match="above"):
        read("11", "en", RATIO)
    with pytest.raises(EntryError, match="empty"):
        read("  ", "vi", RATIO)
    assert read("", "vi", Field(0.0, 1.0, optional=True)) is None


@pytest.mark.parametrize(
    "million_vnd", [238_421_000.0, 250_000_500.0, 1_025.0, 0.0, 12_130.0, 1_234_567_891.0]
)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_what_a_box_shows_reads_back_to_the_same_value(million_vnd, lang):
    assert read(entry_text(million_vnd, lang, ENVELOPE), lang, ENVELOPE) == million_vnd


def test_boxes_show_the_language_format_without_trailing_zeros():
    assert entry_text(238_421_000.0, "vi", ENVELOPE) == "238.421"
    assert entry_text(238_421_000.0, "en", ENVELOPE) == "238,421"
    assert entry_text(214_579_000.0, "en", MONEY_BN) == "214,579"  # not '214579.000'
    assert entry_text(0.95, "vi", RATIO) == "0,95"
    assert entry_text(1_025.0, "vi", ENVELOPE) == "1,0250"  # '1,025' would be ambiguous
    assert entry_text(1.025, "vi", RATIO) == "1,025"  # not ambiguous in a ratio box
    assert entry_text(None, "vi", RATIO) == ""


def test_every_refusal_has_a_message_in_both_languages_that_says_nothing_changed():
    cases = {
        "vi": ["250,000", "250000.5", "250000,0005", "-1", ""],
        "en": ["250.000", "250000,5", "250000.0005", "-1", ""],
    }
    for lang, unchanged in (("vi", VI["entry.unchanged"]), ("en", EN["entry.unchanged"])):
        t = Tr(lang)
        for text in cases[lang]:
            with pytest.raises(EntryError) as info:
                read(text, lang, ENVELOPE)
            message = t.entry_error(info.value)
            assert message.endswith(unchanged) and "{" not in message
    with pytest.raises(EntryError) as info:
        read("250,000", "vi", ENVELOPE)
    message = Tr("vi").entry_error(info.value)
    assert "250.000" in message and "250000" in message and "hai cách hiểu" in message
    assert numbers.echo(250_000_000.0, "vi", ENVELOPE) == "250.000"


def test_a_column_of_values_has_one_number_of_decimals():
    """The frontier's value column: the fewest decimals that write every point exactly, the
    same on every row (168.458,0 beside 187.175,5 — not 168.458)."""
    import pandas as pd

    from fiscal_app.frontier_views import frontier_table

    assert numbers.column_decimals([168_458.0, 187_175.5]) == 1
    assert numbers.column_decimals([0.9, 0.95, 1.0]) == 2
    assert numbers.column_decimals([1.0, 2.0, float("nan")]) == 0
    assert numbers.column_decimals([1 / 3]) == numbers.MAX_DECIMALS
    frame = pd.DataFrame(
        {"value": [168_458_000.0, 187_175_500.0], "status": ["optimal", "optimal"]}
    )
    shown = frontier_table(frame, Tr("vi"), scale=1000.0).to_string(delimiter="|")
    assert "168.458,0" in shown and "187.175,5" in shown, shown
