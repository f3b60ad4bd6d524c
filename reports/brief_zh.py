"""The Chinese briefing, worded as a bureau words it: "2024年1—6月，全省共发生生产安全事故467起、
死亡463人，同比分别下降8.6%和5.7%……"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from analytics.brief import Brief, Ranked, Reporting, Tally
from analytics.compare import Comparison, Judgement
from domain.industries import BY_CODE
from reports import brief_facts as facts
from reports.words import cell, major_open, names, pct, share, target_gap

GRADE_ZH = {"general": "一般", "larger": "较大", "major": "重大", "extraordinary": "特别重大"}
SOURCE_ZH = {
    "none": "无（没有覆盖该地区本期的数据）",
    "records": "事故台账（逐起记录）",
    "statistics": "上报的事故统计报表",
    "records+statistics": "事故台账与上报统计报表（不同地区，不重复相加）",
}
GROUP_ZH = {"all": "", "general": "一般", "larger": "较大", "major_plus": "重特大", "larger_plus": "较大及以上"}


def _scope_zh(brief: Brief) -> str:
    """全国 / 全省 / 全市 / 全州 / 全区 / 全县 …: how a bureau names its own area."""
    if brief.region_level == "country":
        return "全国"
    name = brief.region_name
    for suffix, word in (
        ("自治区", "全区"),
        ("特别行政区", "全区"),
        ("省", "全省"),
        ("自治州", "全州"),
        ("地区", "全地区"),
        ("盟", "全盟"),
        ("自治县", "全县"),
        ("自治旗", "全旗"),
        ("市", "全市"),
        ("区", "全区"),
        ("县", "全县"),
        ("旗", "全旗"),
    ):
        if name.endswith(suffix):
            return word
    return name


def _phrase_zh(c: Comparison, unit: str) -> str:
    """One measure against the same period last year."""
    return _change_zh(facts.change(c), unit)


def _change_zh(ch: facts.Change, unit: str) -> str:
    return {
        facts.NOT_RELEASED_NOW: "本期未公布",
        facts.NOT_RELEASED_BEFORE: "去年同期未公布，无法比较",
        facts.NO_PREVIOUS: "无去年同期可比数据",
        facts.NO_CURRENT: "本期数据不足",
        facts.HELD_AT_ZERO: "与去年同期均为零",
        facts.NEW: f"上升（去年同期为零，新增{ch.current or 0:g}{unit}）",
        facts.FLAT: "与去年同期持平",
        facts.DOWN: f"同比下降{pct(ch.change_pct)}",
        facts.UP: f"同比上升{pct(ch.change_pct)}",
    }[ch.kind]


def _pair_zh(kind: str, acc: Comparison, dth: Comparison, verb: str = "") -> str:
    """(共发生)较大事故6起、死亡21人，同比分别下降…; 未发生重特大事故，去年同期发生1起、死亡11人."""
    return _pair_words_zh(kind, facts.pair(acc, dth), verb)


def _pair_words_zh(kind: str, p: facts.Pair, verb: str = "") -> str:
    acc, dth = p.accidents, p.deaths
    if p.kind == facts.PAIR_NOT_RELEASED:
        return f"{kind}本期未公布"
    if p.kind == facts.PAIR_NO_DATA:
        return f"{kind}本期数据不足"
    if p.kind == facts.PAIR_PARTIAL:
        # 共发生生产安全事故起数未公布、死亡34046人，死亡人数同比下降10.1%
        a = f"{acc.current:g}起" if acc.current is not None else "起数未公布"
        d = f"死亡{dth.current:g}人" if dth.current is not None else "死亡人数未公布"
        said = [f"{_PARTIAL_ZH[what]}{_change_zh(ch, _UNIT_ZH[what])}" for what, ch in p.said]
        return f"{verb}{kind}{a}、{d}，" + "，".join(said)
    if p.kind == facts.PAIR_NONE_UNCOMPARED:
        return f"未发生{kind}（无去年同期可比数据）"
    if p.kind == facts.PAIR_NONE:
        return f"未发生{kind}，去年同期亦未发生"
    if p.kind == facts.PAIR_NONE_AGAINST:
        return f"未发生{kind}，去年同期发生{acc.previous:g}起、死亡{dth.previous:g}人"
    head = f"{verb}{kind}{acc.current:g}起、死亡{dth.current:g}人"
    if p.kind == facts.PAIR_UNCOMPARED:
        return head + "，无去年同期可比数据"
    if p.kind == facts.PAIR_SAME:
        word = "下降" if p.direction == facts.DOWN else "上升"
        if pct(acc.change_pct) == pct(dth.change_pct):
            return head + f"，同比均{word}{pct(acc.change_pct)}"
        return head + f"，同比分别{word}{pct(acc.change_pct)}和{pct(dth.change_pct)}"
    if p.kind == facts.PAIR_FLAT:
        return head + "，与去年同期持平"
    if p.kind == facts.PAIR_BOTH_NEW:
        return head + "，去年同期均为零"
    return head + f"，起数{_change_zh(p.accidents_change, '起')}，死亡人数{_change_zh(p.deaths_change, '人')}"


_PARTIAL_ZH = {"accidents": "起数", "deaths": "死亡人数"}
_UNIT_ZH = {"accidents": "起", "deaths": "人"}


def _unknown_zh(u: facts.Unknown) -> str:
    """Why one measure cannot be compared: 2018年未公布 / 2024年未公布（长沙市的统计报表未列该项）/ 无可比数据."""
    if not u.periods:
        return "无可比数据"
    return (
        "、".join(p.label("zh") for p in u.periods)
        + "未公布"
        + (f"（{names(u.by, 'zh')}的统计报表未列该项）" if u.by else "")
    )


def _partly_judged_zh(pj: facts.PartlyJudged) -> str:
    """数据不足，无法完整判断：事故总量2018年未公布；较大事故起数同比下降15.7%，…: the unknown named, the rest judged."""
    unknown = [f"{_COMPONENT_ZH[u.key]}{_unknown_zh(u)}" for u in pj.unknown]
    known = [f"{_COMPONENT_ZH[k]}{_change_zh(ch, '人' if k == 'deaths' else '起')}" for k, ch in pj.known]
    return "数据不足，无法完整判断：" + "、".join(unknown) + ("；" + "，".join(known) if known else "") + "。"


_COMPONENT_ZH = {
    "accidents": "事故总量",
    "larger": "较大事故起数",
    "major_plus": "重特大事故起数",
    "accidents_count": "事故起数",
    "deaths": "死亡人数",
}


_COMPONENT_NAME_ZH = {"larger": "较大事故", "major_plus": "重特大事故"}


def _three_zh(brief: Brief, t: facts.Three) -> str:
    scope = _scope_zh(brief)
    if t.kind == facts.ACHIEVED:  # judgements as prose, as a bureau writes them
        return f"{scope}事故总量、较大事故、重特大事故实现“三个继续下降”。"
    if t.kind == facts.ACHIEVED_WITH_ZEROS:
        fell = "、".join(_COMPONENT_NAME_ZH.get(k, "事故总量") for k in t.fell)
        none = "较大及以上事故" if len(t.held_at_zero) == 2 else _COMPONENT_NAME_ZH[t.held_at_zero[0]]
        return f"{scope}{fell}同比下降，本期和去年同期均未发生{none}，实现“三个继续下降”。"
    if t.kind == facts.PARTLY and t.partly is not None:
        return _partly_judged_zh(t.partly)
    if t.kind == facts.NO_DATA_NOW:
        return f"数据不足，无法判断：{brief.period.label('zh')}无数据。"
    if t.kind == facts.NO_DATA_BEFORE:
        return f"数据不足，无法判断：去年同期（{brief.comparison_period.label('zh')}）无数据。"
    if t.kind == facts.ALL_ZERO:
        return f"{scope}本期与去年同期均未发生事故，未实现“三个继续下降”（均为零不计为下降）。"
    why = [
        f"{_COMPONENT_ZH[key]}同比上升" if how == facts.UP else f"{_COMPONENT_ZH[key]}与去年同期持平"
        for key, how in t.why
    ]
    return f"{scope}未实现“三个继续下降”：" + "；".join(why) + "。"


def tally_sentence(t: Tally | None) -> str:
    f = facts.tally(t)
    if f is None:
        return ""
    t = f.tally
    if f.kind == facts.TALLY_NO_DATA:
        return f"{t.insufficient_data}个{t.unit.zh}均无可比数据"
    if f.kind == facts.TALLY_QUIET:
        return f"{t.quiet}个{t.unit.zh}两年同期均未发生事故" + (
            f"（另有{t.insufficient_data}个数据不足）" if t.insufficient_data else ""
        )
    apart = [f"{t.quiet}个两年同期均未发生事故"] if t.quiet else []
    apart += [f"{t.insufficient_data}个数据不足"] if t.insufficient_data else []
    text = f"{t.of}个{t.unit.zh}中{t.achieved}个实现“双下降”"
    return text + (f"（另有{'，'.join(apart)}）" if apart else "")


def _double_zh(brief: Brief, d: facts.Double) -> str:
    if d.state == Judgement.ACHIEVED:
        head = f"{_scope_zh(brief)}事故起数和死亡人数实现“双下降”"
    elif d.state == Judgement.INSUFFICIENT:
        head = _partly_judged_zh(d.partly)[:-1] if d.partly is not None else "数据不足，无法判断"
    else:
        head = f"{_scope_zh(brief)}未实现“双下降”"
    parts = [tally_sentence(f.tally) for f in d.tallies]
    return head + ("。" + "，".join(parts) if parts else "") + "。"


_MEASURE_ZH = {
    "accidents": "事故起数",
    "deaths": "死亡人数",
    "larger_accidents": "较大事故起数",
    "major_plus_accidents": "重特大事故起数",
}


def _streaks_zh(s: facts.Streaks) -> str:
    # "已连续N年下降" from two years on; one year is "同比下降" — never "连续1年"
    if not s.runs:
        return "事故起数和死亡人数同比均未下降。"
    years = dict(s.runs)
    parts = []
    if s.long and s.long_years is not None:
        parts.append(f"{'、'.join(_MEASURE_ZH[m] for m in s.long)}已连续{s.long_years}年下降")
    else:
        parts += [f"{_MEASURE_ZH[m]}已连续{years[m]}年下降" for m in s.long]
    if s.once:
        parts.append(f"{'、'.join(_MEASURE_ZH[m] for m in s.once)}同比下降")
    return "与历年同期相比，" + "，".join(parts) + "。"


def _date_zh(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _target_zh(t: facts.Target) -> str:
    tp, when = t.progress, _date_zh(t.as_of)
    if tp.deaths is None:
        return f"{tp.year}年死亡人数控制指标{tp.deaths_target}人；截至{when}的死亡人数数据不足。"
    text = (
        f"{tp.year}年死亡人数控制指标{tp.deaths_target}人，截至{when}已死亡{tp.deaths}人，"
        f"占全年控制指标的{share(tp.progress)}"
    )
    gap = target_gap(tp, "zh")
    warn = "，须高度警惕" if t.gap == facts.GAP_AHEAD else ""
    return text + (f"，{gap}" if gap else "") + warn + "。"


_SINCE_ZH = {"major_plus": "重特大事故", "larger_plus": "较大及以上事故"}


def _days_zh(d: facts.Days) -> str:
    if d.none_since is not None:
        return f"自{_date_zh(d.none_since)}有记录以来未发生较大及以上事故。"
    parts = []
    for p in d.parts:
        word = _SINCE_ZH[p.key]
        if p.last_day is not None:
            span = f"（{p.months}个月{p.month_days}天）" if p.months else ""
            parts.append(f"距上一起{word}（{_date_zh(p.last_day)}）已{p.days}天{span}")
        elif p.none_since is not None:
            parts.append(f"自{_date_zh(p.none_since)}有记录以来未发生{word}")
    return "；".join(parts) + _records_only_zh(d.records_only) + "。"


def _records_only_zh(regions: tuple[str, ...] | None) -> str:
    """Where statistics answer part of the brief, the figures only records give say so."""
    return "" if regions is None else f"（据事故台账，不含{names(regions, 'zh')}）"


def _hazards_zh(h: facts.Hazards) -> str:
    if not h.recorded:
        text = "本期隐患台账无排查记录"
    else:
        text = f"排查隐患{h.found}项，已整改{h.rectified}项，整改率{share(h.rectification_rate)}；"
        text += "重大隐患" + (f"未整改{h.open_major}项，" if h.open_major else "")
        text += major_open(h.open_major, h.open_major_overdue, "zh")
    if h.statistics_regions:
        text += f"（{names(h.statistics_regions, 'zh')}按报送的月报表计）"
    if h.partial_regions:
        text += f"；{names(h.partial_regions, 'zh')}报送的隐患月报表只覆盖本期部分月份，未计入"
    return text + "。"


def _reporting_zh(r: Reporting | None) -> str:
    """ "：31个省（区、市）中1个有本期数据，其余30个未报送" — where some units have data and some not."""
    if r is None:
        return ""
    who = f"（{names(r.named, 'zh')}）" if r.named else ""
    return f"：{r.of}个{r.unit.zh}中{r.reported}个有本期数据，其余{len(r.missing)}个{who}无数据"


def headline(b: Brief) -> str:
    """The opening sentence of the briefing: "2024年1—6月，全省共发生生产安全事故467起、死亡463人，同比分别
    下降8.6%和5.7%。其中，……" (also the meeting pack's headline)."""
    label = b.period.label("zh")
    inds = "、".join(BY_CODE[i].zh for i in b.industries)
    scope = _scope_zh(b) + (f"{inds}领域" if inds else "")
    group = GROUP_ZH[b.grade_group]
    h = facts.headline(b)
    if h.total is None:
        return f"{label}，{scope}{group}生产安全事故数据不足{_reporting_zh(h.reporting)}。"
    text = f"{label}，{scope}{_pair_words_zh(f'{group}生产安全事故', h.total, verb='共发生')}。"
    if h.larger is not None and h.major_plus is not None:
        text += (
            "其中，" + _pair_words_zh("较大事故", h.larger) + "；" + _pair_words_zh("重特大事故", h.major_plus) + "。"
        )
    return text


def _rising_zh(rows: tuple[Ranked, ...]) -> str:
    return "、".join(f"{r.name}（+{r.accidents.change:g}起）" for r in rows) + "。"


def items(b: Brief, risers_limit: int | None = 3) -> dict[str, tuple[str, str]]:
    """The judgements that apply, as key → (heading, sentence), in the briefing's order: three_declines
    (三个继续下降), double_decline, streaks, target, days_since, hazards, and regions_rising /
    industries_rising (the largest rises in accidents, at most ``risers_limit`` of each; None: all)."""
    level = b.double_decline_children.unit.zh if b.double_decline_children else "地区"
    words: dict[str, tuple[str, Callable[[Any], str]]] = {
        "three_declines": ("三个继续下降", lambda f: _three_zh(b, f)),
        "double_decline": ("双下降", lambda f: _double_zh(b, f)),
        "streaks": ("连续下降", _streaks_zh),
        "target": ("控制指标", _target_zh),
        "days_since": ("事故间隔", _days_zh),
        "hazards": ("隐患排查治理", _hazards_zh),
        "regions_rising": (f"事故起数上升的{level}", _rising_zh),
        "industries_rising": ("事故起数上升的行业领域", _rising_zh),
    }
    return {k: (words[k][0], words[k][1](f)) for k, f in facts.items(b, risers_limit).items()}


def title(b: Brief) -> str:
    """2024年1—6月湖南省安全生产形势简报 — the period first, as a bureau titles its 简报."""
    return f"{b.period.label('zh')}{b.region_name}安全生产形势简报"


def render(b: Brief) -> str:
    lines = [f"# {title(b)}", "", headline(b), ""]
    lines += [f"- **{k}**：{v}" for k, v in items(b).values()]
    if b.latest:
        lines += [
            "",
            "## 较大及以上事故" + _records_only_zh(facts.records_only(b)),
            "",
            "| 时间 | 地区 | 行业领域 | 等级 | 死亡（含失踪） | 简况 |",
            "|---|---|---|---|---|---|",
        ]
        for a in b.latest:
            lines.append(
                f"| {a['occurred_at'][:10]} | {a['region']['name']} | {BY_CODE[a['industry']].zh} | "
                f"{GRADE_ZH[a['grade']]} | {a['deaths']} | {cell(a['summary'])} |"
            )
    lines += ["", source_zh(b)]
    return "\n".join(lines) + "\n"


def source_zh(b: Brief) -> str:
    """数据来源：… (the briefing's last line)."""
    s = facts.source(b)
    text = f"数据来源：{SOURCE_ZH[s.current]}；死亡人数含失踪。"
    if s.statistics_regions:
        text += f"{names(s.statistics_regions, 'zh')}采用上报统计报表。"
    if s.gaps:
        text += f"注：{names(s.gaps, 'zh')}仅报送统计报表，其报表未覆盖本期或去年同期，未计入。"
    elif s.partially_covered:
        why = "统计报表按整月报送，不用于截至某日的期间" if s.cut else "统计报表只覆盖部分期间"
        text += f"注：{names(s.partially_covered, 'zh')}的{why}，未采用。"
    if s.expected:
        text += f"按设定的应报送地区（{names(s.expected, 'zh')}）判断。"
    return text
