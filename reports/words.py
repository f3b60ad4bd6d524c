"""Words and number forms shared by the Chinese and English briefings."""

from __future__ import annotations

from analytics.brief import TargetProgress
from domain.regions import english_name, load_regions
from reports import brief_facts as facts


def pct(x: float | None) -> str:
    return f"{abs(x):.1f}%" if x is not None else ""


def share(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def names(codes: tuple[str, ...], lang: str) -> str:
    regions = load_regions()
    if lang == "zh":
        return "、".join(regions[c].name for c in codes)
    return ", ".join(english_name(c) for c in codes)


def cell(text: str | None) -> str:
    return "" if not text else text.replace("|", "／").replace("\n", " ")


def plural(x: float, one: str, many: str) -> str:
    return f"{x:,.0f} {one if x == 1 else many}"


def major_open(open_major: int, overdue: int, lang: str, short: bool = False, found: int | None = None) -> str:
    """Open major hazards, zeros in words: (重大隐患)均已整改 / 均未超期 / 其中超期3项 (every major one rectified /
    none overdue / 3 of them overdue; ``short``, for a panel's cell: all rectified / none). With ``found`` 0 and
    none open, there is nothing to have rectified: 无隐患记录 / no hazard records."""
    if not open_major and found == 0:
        return "无隐患记录" if lang == "zh" else "no hazard records"
    if not open_major:
        return "均已整改" if lang == "zh" else ("all rectified" if short else "every major one rectified")
    if not overdue:
        return "均未超期" if lang == "zh" else ("none" if short else "none overdue")
    return f"其中超期{overdue}项" if lang == "zh" else f"{overdue:,} of them overdue"


def target_gap(tp: TargetProgress, lang: str) -> str:
    """Deaths against the year's target and time progress: 超过时间进度14.2个百分点 / 低于时间进度19.7个百分点 /
    与时间进度持平 / 已超出全年控制指标 / 控制在全年指标以内 ("" without figures)."""
    zh = lang == "zh"
    gap = tp.gap_points or 0.0
    state = facts.gap_state(tp)
    if state == facts.GAP_EXCEEDED:
        return "已超出全年控制指标" if zh else "the annual target is already exceeded"
    if state == facts.GAP_WITHIN:
        return "控制在全年指标以内" if zh else "within the annual target"
    if state == facts.GAP_AHEAD:
        return f"超过时间进度{gap:.1f}个百分点" if zh else f"{gap:.1f} points ahead of time"
    if state == facts.GAP_BELOW:
        return f"低于时间进度{-gap:.1f}个百分点" if zh else f"{-gap:.1f} points below time progress"
    if state == facts.GAP_LEVEL:
        return "与时间进度持平" if zh else "level with time progress"
    return ""
