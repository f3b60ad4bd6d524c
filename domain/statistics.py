"""What a cell of submitted statistics means when it holds no number.

In a table of official statistics (事故统计报表: a yearly national table, a city's monthly table) a
figure that was not released is written as an empty cell, a dash (— - /) or a word: 未公布, 不详 ….
Such a figure is **unknown** (stored as NULL), never 0: a zero would be a claim that nothing happened.
A measure missing from the table (a city table without the 较大 / 重特大 columns) is unknown too.

One exception, agreed with the reading of the official hazard forms: on an official 隐患排查治理
report form whose own notes say so, an empty cell of an aggregate row means 0 (that is the form's
convention, read by the hazard-form reader). For accident statistics, empty or 未公布 is unknown.
"""

from __future__ import annotations

import unicodedata
from typing import Any

# Words (NFKC — so … is ... —, spaces removed, lower case) that a bureau writes for a figure it has not released.
# The dashes and slashes (— - / \\) are blanks already (loaders.parsing.is_blank).
UNRELEASED_WORDS: frozenset[str] = frozenset(
    {
        "未公布",
        "暂未公布",
        "尚未公布",
        "未发布",
        "未披露",
        "不详",
        "不明",
        "未知",
        "未统计",
        "待统计",
        "待核实",
        "...",
        "......",
        "notreleased",
        "unknown",
        "n.a.",
    }
)


def is_unreleased(value: Any) -> bool:
    """True for a word that says a statistic was not released (not for a blank: that is None already)."""
    if not isinstance(value, str):
        return False
    key = "".join(unicodedata.normalize("NFKC", value).split()).lower()
    return key in UNRELEASED_WORDS


# The measures of a row of accident statistics: each may be unknown on its own; a row needs one.
ACCIDENT_STAT_MEASURES: tuple[str, ...] = (
    "accidents",
    "deaths",
    "larger_accidents",
    "larger_deaths",
    "major_accidents",
    "major_deaths",
)
