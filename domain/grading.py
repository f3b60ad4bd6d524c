"""Accident grades by State Council Decree No. 493 (生产安全事故报告和调查处理条例), article 3.

"以上" includes the threshold and "以下" excludes it, and the grade is the highest one that any of
the three measures reaches: deaths (including missing), serious injuries (including acute
industrial poisoning) and direct economic loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd


class Grade(StrEnum):
    """Accident grade codes, ordered from least to most severe."""

    GENERAL = "general"  # 一般
    LARGER = "larger"  # 较大
    MAJOR = "major"  # 重大
    EXTRAORDINARY = "extraordinary"  # 特别重大


GRADE_ORDER: tuple[Grade, ...] = (Grade.GENERAL, Grade.LARGER, Grade.MAJOR, Grade.EXTRAORDINARY)
GRADE_LABELS: dict[Grade, tuple[str, str]] = {
    Grade.GENERAL: ("一般", "general"),
    Grade.LARGER: ("较大", "relatively large"),
    Grade.MAJOR: ("重大", "major"),
    Grade.EXTRAORDINARY: ("特别重大", "extraordinarily major"),
}
# Reporting groups used in official releases.
MAJOR_PLUS: frozenset[Grade] = frozenset({Grade.MAJOR, Grade.EXTRAORDINARY})  # 重特大
LARGER_PLUS: frozenset[Grade] = frozenset({Grade.LARGER, Grade.MAJOR, Grade.EXTRAORDINARY})  # 较大及以上
GRADE_GROUPS = {  # filter code → grades of Decree 493
    "all": ("general", "larger", "major", "extraordinary"),
    "general": ("general",),
    "larger": ("larger",),
    "major_plus": ("major", "extraordinary"),
    "larger_plus": ("larger", "major", "extraordinary"),
}

GRADE_ALIASES: dict[str, Grade] = {
    "一般": Grade.GENERAL,
    "一般事故": Grade.GENERAL,
    "general": Grade.GENERAL,
    "较大": Grade.LARGER,
    "较大事故": Grade.LARGER,
    "larger": Grade.LARGER,
    "relativelylarge": Grade.LARGER,
    "重大": Grade.MAJOR,
    "重大事故": Grade.MAJOR,
    "major": Grade.MAJOR,
    "特别重大": Grade.EXTRAORDINARY,
    "特别重大事故": Grade.EXTRAORDINARY,
    "特大": Grade.EXTRAORDINARY,
    "extraordinary": Grade.EXTRAORDINARY,
    "extraordinarilymajor": Grade.EXTRAORDINARY,
}


@dataclass(frozen=True)
class Thresholds:
    """Lower bounds ("以上", inclusive) of one grade on each measure."""

    deaths: int
    serious_injuries: int
    loss_wan: float  # 万元 (10,000 CNY)


# Loss thresholds in 万元: 1 亿 = 10,000 万; 5,000 万; 1,000 万.
THRESHOLDS: dict[Grade, Thresholds] = {
    Grade.EXTRAORDINARY: Thresholds(deaths=30, serious_injuries=100, loss_wan=10_000.0),
    Grade.MAJOR: Thresholds(deaths=10, serious_injuries=50, loss_wan=5_000.0),
    Grade.LARGER: Thresholds(deaths=3, serious_injuries=10, loss_wan=1_000.0),
}


def parse_grade(value: object) -> Grade | None:
    """Return the grade a file wrote (Chinese or English), None for blank; ValueError if unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip().replace(" ", "").lower()
    if not text:
        return None
    if text in GRADE_ALIASES:
        return GRADE_ALIASES[text]
    raise ValueError(
        f"'{value}' is not an accident grade (expected one of 一般, 较大, 重大, 特别重大 or "
        "general, larger, major, extraordinary)"
    )


def grade_by_decree_493(deaths: float, serious_injuries: float = 0, loss_wan: float = 0) -> Grade:
    """The grade of one accident; missing measures count as zero.

    ``deaths`` must already include the missing (失踪) and ``loss_wan`` is in 万元.
    """
    measures = (deaths, serious_injuries, loss_wan)
    if any(m is not None and not pd.isna(m) and m < 0 for m in measures):
        raise ValueError(f"measures must not be negative, got {measures}")
    d, s, loss = (0 if m is None or pd.isna(m) else m for m in measures)
    for grade in (Grade.EXTRAORDINARY, Grade.MAJOR, Grade.LARGER):
        t = THRESHOLDS[grade]
        if d >= t.deaths or s >= t.serious_injuries or loss >= t.loss_wan:
            return grade
    return Grade.GENERAL


def grade_series(deaths: pd.Series, serious_injuries: pd.Series, loss_wan: pd.Series) -> pd.Series:
    """Vectorised :func:`grade_by_decree_493` for whole columns (NaN counts as zero)."""
    d = deaths.fillna(0).to_numpy(dtype=float)
    s = serious_injuries.fillna(0).to_numpy(dtype=float)
    loss = loss_wan.fillna(0).to_numpy(dtype=float)
    result = np.full(len(d), Grade.GENERAL.value, dtype=object)
    # Lowest first so that higher grades overwrite: the highest grade reached wins.
    for grade in (Grade.LARGER, Grade.MAJOR, Grade.EXTRAORDINARY):
        t = THRESHOLDS[grade]
        hit = (d >= t.deaths) | (s >= t.serious_injuries) | (loss >= t.loss_wan)
        result[hit] = grade.value
    return pd.Series(result, index=deaths.index, dtype="string")
