"""A brief as a short Markdown briefing in the style of an official one, in Chinese or English.

"2024年1—6月，全省共发生生产安全事故467起、死亡463人，同比分别下降8.6%和5.7%……" Every comparison
state has its own words: a fall, a rise, flat, held at zero (0 both times), new (from zero: no
per cent), and no comparable data.
"""

from __future__ import annotations

from analytics.brief import Brief
from reports import brief_en, brief_zh

LANGS = ("zh", "en")


def brief_markdown(brief: Brief, lang: str = "zh") -> str:
    """The brief as Markdown: a heading, a paragraph of the headline numbers, a list of judgements
    and a table of the latest 较大-and-above accidents."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return (brief_zh if lang == "zh" else brief_en).render(brief)
