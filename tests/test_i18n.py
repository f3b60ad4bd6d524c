"""Number formats and words in both languages."""

import pytest

from analytics.compare import compare
from charts.theme import BAD, GOOD, NEUTRAL, colour_for
from i18n import fmt_change_pct, fmt_count, fmt_pct


@pytest.mark.parametrize(
    ("n", "zh", "en"),
    [
        (0, "0", "0"),
        (389, "389", "389"),
        (9999, "9,999", "9,999"),
        (12000, "1.2万", "12,000"),
        (21834, "2.2万", "21,834"),
        (100000, "10万", "100,000"),
        (14_200_000, "1420万", "14,200,000"),
        (150_000_000, "1.5亿", "150,000,000"),
        (None, "—", "—"),
    ],
)
def test_counts(n, zh: str, en: str) -> None:
    assert fmt_count(n, "zh") == zh
    assert fmt_count(n, "en") == en


def test_rates() -> None:
    assert fmt_pct(94.5) == "94.5%" and fmt_pct(None) == "—" and fmt_pct(100, 0) == "100%"


@pytest.mark.parametrize(
    ("cur", "prev", "zh", "en", "colour"),
    [
        (90, 100, "−10.0%", "−10.0%", GOOD),
        (110, 100, "+10.0%", "+10.0%", BAD),
        (100, 100, "持平", "flat", NEUTRAL),
        (0, 0, "均为零", "zero both", GOOD),
        (3, 0, "新增", "new", BAD),
        (None, 5, "数据不足", "no data", NEUTRAL),
    ],
)
def test_change_words_and_colour_by_meaning(cur, prev, zh: str, en: str, colour: str) -> None:
    c = compare(cur, prev)
    assert fmt_change_pct(c, "zh") == zh and fmt_change_pct(c, "en") == en
    assert colour_for(c) == colour


def test_higher_rate_is_good() -> None:
    assert colour_for(compare(95.0, 90.0), higher_is_better=True) == GOOD
    assert colour_for(compare(85.0, 90.0), higher_is_better=True) == BAD
