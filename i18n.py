"""Words and number formats in both languages. Pure: no Streamlit, and nothing of the app (the bottom
layer): a comparison is read through the few fields the words need (``Change``), colours are in charts/theme.py.

Chinese readers expect large counts as 1.2万 and rates as 94.5%; English readers 12,345 and 94.5%.
"""

from __future__ import annotations

import re
from typing import Protocol

LANGS = ("zh", "en")


class Change(Protocol):
    """What the words read of a comparison (analytics.compare.Comparison)."""

    current: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    state: str  # analytics.compare.State: declined, flat, held_at_zero, rose, insufficient_data
    not_released: tuple[str, ...]

    @property
    def is_new(self) -> bool: ...


# The characters with which a value inside a sentence could become markup: emphasis, code, a link or an
# image ([…](…), ![…](…), <…>), an autolink (http://…, www.…), HTML or an entity (<, &), a table (|),
# Streamlit's :colour[…] and :material/icon: and $math$. (Those that act only at the start of a line — #,
# -, +, a number and a dot — cannot: the value is inside a sentence and never spans lines.) A backslash
# before any of them shows the character itself.
_MARKUP = re.compile(r"([\\`*_{}\[\]()!|<>~$:&.])")


def md_text(value: object) -> str:
    """Untrusted text (a cell of an imported file, a value of a link) for a Markdown string that a
    page draws (st.markdown, st.caption, st.warning, st.table's cells …): shown exactly as typed, never as
    a link, an image, a colour, an icon or HTML; line breaks become spaces (a one-line value stays one line)."""
    text = " ".join(str(value).splitlines())
    return _MARKUP.sub(r"\\\1", text)


def t(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


def fmt_count(n: float | None, lang: str = "zh") -> str:
    """A count: 1.2万 / 3.4亿 in Chinese from 10,000 up, 12,345 in English; — for None."""
    if n is None:
        return "—"
    if lang == "zh":
        if abs(n) >= 1e8:
            return f"{n / 1e8:.2f}".rstrip("0").rstrip(".") + "亿"
        if abs(n) >= 1e4:
            return f"{n / 1e4:.1f}".rstrip("0").rstrip(".") + "万"
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def fmt_measure(c: Change, side: str, lang: str = "zh") -> str:
    """One side ("current" or "previous") of a comparison: its count, 未公布 / not released when the
    statistics did not release that figure (unknown, never 0), — when no source covers the period."""
    if side in c.not_released:
        return t("未公布", "not released", lang)
    return fmt_count(c.current if side == "current" else c.previous, lang)


def fmt_pct(x: float | None, digits: int = 1) -> str:
    """A rate or share in per cent: 94.5%; — for None."""
    return "—" if x is None else f"{x:.{digits}f}%"


def fmt_change_pct(c: Change, lang: str = "zh") -> str:
    """The change in % with its sign, or the word for what it is: new, flat, both zero, no data."""
    if c.state == "insufficient_data":
        return t("未公布", "not released", lang) if c.not_released else t("数据不足", "no data", lang)
    if c.state == "held_at_zero":
        return t("均为零", "zero both", lang)
    if c.is_new:
        return t("新增", "new", lang)
    if c.state == "flat":
        return t("持平", "flat", lang)
    assert c.change_pct is not None
    return f"{c.change_pct:+.1f}%".replace("-", "−")


def fmt_change(c: Change, lang: str = "zh") -> str:
    if c.change is None:
        return "—"
    sign = "+" if c.change > 0 else ("−" if c.change < 0 else "±")
    return sign + fmt_count(abs(c.change), lang)


MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "accidents": ("事故起数", "Accidents"),
    "deaths": ("死亡人数", "Deaths"),
    "larger_accidents": ("较大事故", "Larger accidents"),
    "larger_deaths": ("较大事故死亡", "Larger-accident deaths"),
    "major_plus_accidents": ("重特大事故", "Major+ accidents"),
    "major_plus_deaths": ("重特大事故死亡", "Major+ accident deaths"),
}
STATE_LABELS: dict[str, tuple[str, str]] = {
    "declined": ("下降", "declined"),
    "flat": ("持平", "flat"),
    "held_at_zero": ("保持为零", "held at zero"),
    "rose": ("上升", "rose"),
    "insufficient_data": ("数据不足", "insufficient data"),
}
JUDGEMENT_LABELS: dict[str, tuple[str, str]] = {
    "achieved": ("实现", "achieved"),
    "not_achieved": ("未实现", "not achieved"),
    "insufficient_data": ("数据不足", "insufficient data"),
}
GRADE_GROUP_LABELS: dict[str, tuple[str, str]] = {
    "all": ("全部等级", "All grades"),
    "general": ("一般事故", "General"),
    "larger": ("较大事故", "Larger"),
    "major_plus": ("重特大事故", "Major and above"),
    "larger_plus": ("较大及以上", "Larger and above"),
}
SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "records": ("事故台账（逐起记录）", "accident records"),
    "statistics": ("上报统计报表", "submitted statistics"),
    "records+statistics": (
        "台账与统计报表（不同地区，不重复相加）",
        "records and statistics (different regions, never added twice)",
    ),
}


def label(table: dict, key: str, lang: str) -> str:
    zh, en = table[key]
    return zh if lang == "zh" else en


def state_label(c: Change, lang: str) -> str:
    """A comparison's state in words; 未公布 / not released rather than "insufficient data" when the
    statistics did not release the figure."""
    return t("未公布", "not released", lang) if c.not_released else label(STATE_LABELS, c.state, lang)
