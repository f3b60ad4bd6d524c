"""The shared filters and their URL form. Pure: parsing and printing query parameters, no widgets.

``?period=2024-Q2&region=430100&industry=coal_mine,fire&grade=larger_plus&lang=en`` opens the same
view for anyone. Parsing is strict: a bad value falls back to its default and says so (in both
languages), and never raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from domain.grading import GRADE_GROUPS
from domain.industries import BY_CODE
from domain.periods import Period
from domain.regions import COUNTRY_CODE, load_regions

PRESETS = ("ytd", "last-month")
DEFAULT_PERIOD = "ytd"
FIRST_YEAR = 2015  # the first year the sidebar offers; a link to an earlier one is refused


@dataclass(frozen=True)
class Filters:
    period_code: str  # a preset ('ytd', 'last-month') or a Period code ('2024', '2024-Q2', …)
    region: str = COUNTRY_CODE
    industries: tuple[str, ...] = ()  # empty: all industries
    grade: str = "all"
    lang: str = "zh"

    def period(self, today: dt.date) -> Period:
        """The period as of ``today`` (presets move with the calendar; the current month is cut)."""
        if self.period_code == "ytd":
            return Period.year_to_date(today)
        if self.period_code == "last-month":
            return Period.last_full_month(today)
        return Period.parse(self.period_code).cut_at(today)

    def to_query(self) -> dict[str, str]:
        """Only what differs from the defaults, so links stay short."""
        q: dict[str, str] = {}
        if self.period_code != DEFAULT_PERIOD:
            q["period"] = self.period_code
        if self.region != COUNTRY_CODE:
            q["region"] = self.region
        if self.industries:
            q["industry"] = ",".join(self.industries)
        if self.grade != "all":
            q["grade"] = self.grade
        if self.lang != "zh":
            q["lang"] = self.lang
        return q


@dataclass(frozen=True)
class Notice:
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def one(params: Mapping[str, object], key: str) -> str | None:
    """A link parameter's one value (the last, when the link repeats it), stripped; None when absent. Every
    parser of links reads through this (filters, the Explorer's ex_*, the big screen's)."""
    value = params.get(key)
    if isinstance(value, list):
        value = value[-1] if value else None
    return None if value is None else str(value).strip()


def period_notice(code: str, today: dt.date) -> Notice | None:
    """Why ``code`` cannot be shown (in both languages, the same reason), or None if it can."""
    fallback_zh, fallback_en = "已改为今年以来。", "showing this year to date."
    try:
        period = Period.parse(code)
    except ValueError as exc:
        return Notice(
            f"统计期间“{code}”无效（应为 2024、2024-03、2024-Q2 或 2024-01..2024-06），{fallback_zh}",
            f"Period: {exc}; {fallback_en}",
        )
    if period.first_year < FIRST_YEAR:
        return Notice(
            f"统计期间“{code}”早于可选范围（{FIRST_YEAR} 年起），{fallback_zh}",
            f"Period '{code}' is before the years offered (from {FIRST_YEAR}); {fallback_en}",
        )
    try:
        period.cut_at(today)
    except ValueError as exc:
        if period.start > f"{today.year:04d}-{today.month:02d}":
            return Notice(
                f"统计期间“{code}”尚未开始（今天是 {today.isoformat()}），{fallback_zh}",
                f"Period: {exc}; {fallback_en}",
            )
        return Notice(f"统计期间“{code}”无效（{exc}），{fallback_zh}", f"Period: {exc}; {fallback_en}")
    return None


def parse_query(params: Mapping[str, object], today: dt.date) -> tuple[Filters, list[Notice]]:
    """Filters from query parameters; each bad value → its default plus a notice."""
    notices: list[Notice] = []
    lang = one(params, "lang") or "zh"
    if lang not in ("zh", "en"):
        notices.append(Notice(f"语言参数“{lang}”无效，已使用中文。", f"Unknown language '{lang}': using Chinese."))
        lang = "zh"

    period_code = one(params, "period") or DEFAULT_PERIOD
    if period_code not in PRESETS:
        notice = period_notice(period_code, today)
        if notice is None:
            period_code = Period.parse(period_code).code
        else:
            notices.append(notice)
            period_code = DEFAULT_PERIOD

    region = one(params, "region") or COUNTRY_CODE
    if region not in load_regions():
        notices.append(
            Notice(
                f"地区代码“{region}”无效，已改为全国。", f"Unknown region code '{region}': showing the whole country."
            )
        )
        region = COUNTRY_CODE

    industries: list[str] = []
    for code in filter(None, (one(params, "industry") or "").split(",")):
        if code in BY_CODE:
            if code not in industries:
                industries.append(code)
        else:
            notices.append(Notice(f"行业“{code}”无效，已忽略。", f"Unknown industry '{code}': ignored."))

    grade = one(params, "grade") or "all"
    if grade not in GRADE_GROUPS:
        notices.append(
            Notice(f"事故等级“{grade}”无效，已改为全部等级。", f"Unknown grade '{grade}': showing all grades.")
        )
        grade = "all"
    return Filters(period_code, region, tuple(industries), grade, lang), notices
