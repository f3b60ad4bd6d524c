"""The one place every output takes its words from: the Markdown brief, the meeting pack, the big screen, the
Briefing page and the sidebar.

The sentences of a briefing are ``reports.brief_zh`` / ``reports.brief_en`` (one function per judgement); this
module picks the language and adds the short forms a page or a panel shows beside a figure, by the same rules:

- the title puts the period first: "2024年1—6月湖南省安全生产形势简报";
- judgements are prose: "全省事故总量、较大事故、重特大事故实现“三个继续下降”";
- a streak is "已连续7年下降" from two years on and "同比下降" for one, never "连续1年";
- zeros are words: "重大隐患均已整改", "均未超期", not "未整改0项，其中超期0项";
- a comparison names its period: "与2023年1—6月相比";
- the units are called as the bureau calls them: "全部市州", "湖南省各市州安全风险四色图", "14个市州中9个";
- a region has one name everywhere, its official one (``domain.regions.region_label``: 湘西土家族苗族自治州, never
  湘西 on one page and the full name on another; maps too); captions qualify it with its parents
  (湖南省湘西土家族苗族自治州).

The table of cases in ``tests/test_wording.py`` checks each rule on every output.
"""

from __future__ import annotations

from types import ModuleType

from analytics.brief import Brief, Tally
from domain.periods import Period
from domain.regions import COUNTRY_CODE, english_name, region_label
from domain.units import unit_noun
from reports.words import major_open, target_gap  # noqa: F401 (the briefing's words, also for the big screen)


def _brief_words(lang: str) -> ModuleType:
    from reports import brief_en, brief_zh

    return brief_zh if lang == "zh" else brief_en


def items(b: Brief, lang: str, risers_limit: int | None = 3) -> dict[str, tuple[str, str]]:
    """The briefing's judgements as key → (heading, sentence): three_declines, double_decline, streaks, target,
    days_since, hazards, regions_rising, industries_rising (those that apply)."""
    return _brief_words(lang).items(b, risers_limit=risers_limit)


def sentence(b: Brief, key: str, lang: str) -> str:
    """One judgement's sentence ("" when it does not apply)."""
    return items(b, lang).get(key, ("", ""))[1]


def headline(b: Brief, lang: str) -> str:
    return _brief_words(lang).headline(b)


def title(b: Brief, lang: str) -> str:
    """2024年1—6月湖南省安全生产形势简报 / Production safety in Hunan, Jan–Jun 2024."""
    return _brief_words(lang).title(b)


def tally(t: Tally | None, lang: str) -> str:
    """ "14个市州中9个实现“双下降”（另有2个两年同期均未发生事故）" / "9 of 14 cities and prefectures …"."""
    return _brief_words(lang).tally_sentence(t)


def streak(years: int, lang: str) -> str:
    """A measure's run of falls: "已连续3年下降", "同比下降" for one year, "" for none (never "连续1年")."""
    if years >= 2:
        return f"已连续{years}年下降" if lang == "zh" else f"down {years} years running"
    if years == 1:
        return "同比下降" if lang == "zh" else "down on last year"
    return ""


def compared_with(previous: Period, lang: str) -> str:
    """与2023年1—6月相比 / compared with Jan–Jun 2023."""
    return f"与{previous.label('zh')}相比" if lang == "zh" else f"compared with {previous.label('en')}"


def all_units(code: str, lang: str) -> str:
    """The "no choice" entry of a region list under ``code``: 全部市州 (湖南), 全部市 (山西), 全部县市区 (长沙)."""
    noun = unit_noun(code)
    return f"全部{noun.zh}" if lang == "zh" else f"All {noun.en}"


def units_of(code: str, lang: str) -> str:
    """湖南省各市州 / the cities and prefectures of Hunan — the units a map or a ranking of ``code`` shows."""
    noun = unit_noun(code)
    if lang == "zh":
        return f"{region_label(code, 'zh', full=True)}各{noun.zh}"
    return f"the {noun.en} of {english_name(code) if code != COUNTRY_CODE else 'China'}"


def risk_map_caption(code: str, lang: str) -> str:
    """湖南省各市州安全风险四色图 / Four-colour risk map of the cities and prefectures of Hunan."""
    return (
        f"{units_of(code, 'zh')}安全风险四色图" if lang == "zh" else f"Four-colour risk map of {units_of(code, 'en')}"
    )
