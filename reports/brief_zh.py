"""The Chinese briefing, worded as a bureau words it: "2024年1—6月，全省共发生生产安全事故467起、
死亡463人，同比分别下降8.6%和5.7%……"."""

from __future__ import annotations

import datetime as dt

from analytics.brief import Brief, Tally
from analytics.compare import Comparison, Judgement, State
from domain.industries import BY_CODE
from domain.periods import months_and_days
from reports.words import cell, industry_tally, major_open, names, pct, risers, share, target_gap

GRADE_ZH = {"general": "一般", "larger": "较大", "major": "重大", "extraordinary": "特别重大"}
SOURCE_ZH = {"none": "无（没有覆盖该地区本期的数据）", "records": "事故台账（逐起记录）",
             "statistics": "上报的事故统计报表",
             "records+statistics": "事故台账与上报统计报表（不同地区，不重复相加）"}
GROUP_ZH = {"all": "", "general": "一般", "larger": "较大", "major_plus": "重特大", "larger_plus": "较大及以上"}


def _scope_zh(brief: Brief) -> str:
    """全国 / 全省 / 全市 / 全州 / 全区 / 全县 …: how a bureau names its own area."""
    if brief.region_level == "country":
        return "全国"
    name = brief.region_name
    for suffix, word in (("自治区", "全区"), ("特别行政区", "全区"), ("省", "全省"), ("自治州", "全州"), ("地区", "全地区"),
                         ("盟", "全盟"), ("自治县", "全县"), ("自治旗", "全旗"), ("市", "全市"), ("区", "全区"),
                         ("县", "全县"), ("旗", "全旗")):
        if name.endswith(suffix):
            return word
    return name


def _phrase_zh(c: Comparison, unit: str) -> str:
    """One measure against the same period last year."""
    if c.state == State.INSUFFICIENT:
        if c.not_released:
            return "本期未公布" if "current" in c.not_released else "去年同期未公布，无法比较"
        return "无去年同期可比数据" if c.current is not None else "本期数据不足"
    if c.state == State.HELD_AT_ZERO:
        return "与去年同期均为零"
    if c.is_new:
        return f"上升（去年同期为零，新增{c.current:g}{unit}）"
    if c.state == State.FLAT:
        return "与去年同期持平"
    word = "下降" if c.state == State.DECLINED else "上升"
    return f"同比{word}{pct(c.change_pct)}"


def _pair_zh(kind: str, acc: Comparison, dth: Comparison, verb: str = "") -> str:
    """(共发生)较大事故6起、死亡21人，同比分别下降…; 未发生重特大事故，去年同期发生1起、死亡11人."""
    if acc.not_released or dth.not_released:
        return _partial_pair_zh(kind, acc, dth, verb)
    if acc.current is None:
        return f"{kind}本期数据不足"
    if acc.current == 0:
        if acc.previous is None:
            return f"未发生{kind}（无去年同期可比数据）"
        if acc.previous == 0:
            return f"未发生{kind}，去年同期亦未发生"
        return f"未发生{kind}，去年同期发生{acc.previous:g}起、死亡{dth.previous:g}人"
    head = f"{verb}{kind}{acc.current:g}起、死亡{dth.current:g}人"
    if State.INSUFFICIENT in (acc.state, dth.state):
        return head + "，无去年同期可比数据"
    same = acc.state == dth.state and acc.state in (State.DECLINED, State.ROSE) and not acc.is_new \
        and not dth.is_new
    if same:
        word = "下降" if acc.state == State.DECLINED else "上升"
        if pct(acc.change_pct) == pct(dth.change_pct):
            return head + f"，同比均{word}{pct(acc.change_pct)}"
        return head + f"，同比分别{word}{pct(acc.change_pct)}和{pct(dth.change_pct)}"
    if acc.state == dth.state == State.FLAT:
        return head + "，与去年同期持平"
    if acc.is_new and dth.is_new:
        return head + "，去年同期均为零"
    return head + f"，起数{_phrase_zh(acc, '起')}，死亡人数{_phrase_zh(dth, '人')}"
def _partial_pair_zh(kind: str, acc: Comparison, dth: Comparison, verb: str) -> str:
    """A pair one of whose figures was not released: 共发生生产安全事故起数未公布、死亡34046人，死亡人数同比下降10.1%."""
    if acc.current is None and dth.current is None:
        if "current" in acc.not_released or "current" in dth.not_released:
            return f"{kind}本期未公布"
        return f"{kind}本期数据不足"
    a = f"{acc.current:g}起" if acc.current is not None else "起数未公布"
    d = f"死亡{dth.current:g}人" if dth.current is not None else "死亡人数未公布"
    said = [f"{what}{_phrase_zh(c, unit)}" for what, c, unit in (("起数", acc, "起"), ("死亡人数", dth, "人"))
            if c.current is not None]
    return f"{verb}{kind}{a}、{d}，" + "，".join(said)


_COMPONENT_MEASURE = {"accidents": "accidents", "larger": "larger_accidents", "major_plus": "major_plus_accidents",
                      "accidents_count": "accidents", "deaths": "deaths"}


def _unknown_zh(b: Brief, key: str, c: Comparison) -> str:
    """Why one measure cannot be compared: 2018年未公布 / 2024年未公布（长沙市的统计报表未列该项）/ 无可比数据."""
    labels = [p.label("zh") for side, p in (("current", b.period), ("previous", b.comparison_period))
              if side in c.not_released]
    if not labels:
        return "无可比数据"
    by = tuple(r for r in b.source.not_released_by.get(_COMPONENT_MEASURE[key], ()) if r != b.region)
    return "、".join(labels) + "未公布" + (f"（{names(by, 'zh')}的统计报表未列该项）" if by else "")


def _partly_judged_zh(b: Brief, parts: tuple[tuple[str, Comparison], ...]) -> str:
    """数据不足，无法完整判断：事故总量2018年未公布；较大事故起数同比下降15.7%，…: the unknown named, the rest judged."""
    unknown = [f"{_COMPONENT_ZH[k]}{_unknown_zh(b, k, c)}" for k, c in parts if c.state == State.INSUFFICIENT]
    known = [f"{_COMPONENT_ZH[k]}{_phrase_zh(c, '人' if k == 'deaths' else '起')}" for k, c in parts
             if c.state != State.INSUFFICIENT]
    return "数据不足，无法完整判断：" + "、".join(unknown) + ("；" + "，".join(known) if known else "") + "。"


_COMPONENT_ZH = {"accidents": "事故总量", "larger": "较大事故起数", "major_plus": "重特大事故起数",
                 "accidents_count": "事故起数", "deaths": "死亡人数"}


_COMPONENT_NAME_ZH = {"larger": "较大事故", "major_plus": "重特大事故"}


def _three_zh(brief: Brief) -> str:
    t = brief.three_declines
    scope = _scope_zh(brief)
    if t.state == Judgement.ACHIEVED:  # judgements as prose, as a bureau writes them
        if not t.held_at_zero:
            return f"{scope}事故总量、较大事故、重特大事故实现“三个继续下降”。"
        fell = "、".join(["事故总量", *(_COMPONENT_NAME_ZH[k] for k in ("larger", "major_plus")
                                         if k not in t.held_at_zero)])
        none = "较大及以上事故" if len(t.held_at_zero) == 2 else _COMPONENT_NAME_ZH[t.held_at_zero[0]]
        return f"{scope}{fell}同比下降，本期和去年同期均未发生{none}，实现“三个继续下降”。"
    if t.state == Judgement.INSUFFICIENT:
        parts = (("accidents", t.accidents), ("larger", t.larger), ("major_plus", t.major_plus))
        if any(c.not_released for _, c in parts):
            return _partly_judged_zh(brief, parts)
        return "数据不足，无法判断：" + _missing_zh(brief) + "。"
    if len(t.held_at_zero) == 3:
        return f"{scope}本期与去年同期均未发生事故，未实现“三个继续下降”（均为零不计为下降）。"
    why = []
    for key, c in (("accidents", t.accidents), ("larger", t.larger), ("major_plus", t.major_plus)):
        if c.state == State.ROSE:
            why.append(f"{_COMPONENT_ZH[key]}同比上升")
        elif c.state == State.FLAT:
            why.append(f"{_COMPONENT_ZH[key]}与去年同期持平")
    return f"{scope}未实现“三个继续下降”：" + "；".join(why) + "。"


def _missing_zh(brief: Brief) -> str:
    acc = brief.measures["accidents"]
    if acc.current is None:
        return f"{brief.period.label('zh')}无数据"
    return f"去年同期（{brief.comparison_period.label('zh')}）无数据"


def tally_sentence(t: Tally | None) -> str:
    if t is None or t.of + t.insufficient_data + t.quiet == 0:
        return ""
    if t.of + t.quiet == 0:
        return f"{t.insufficient_data}个{t.unit.zh}均无可比数据"
    apart = [f"{t.quiet}个两年同期均未发生事故"] if t.quiet else []
    apart += [f"{t.insufficient_data}个数据不足"] if t.insufficient_data else []
    if t.of == 0:
        return f"{t.quiet}个{t.unit.zh}两年同期均未发生事故" + (f"（另有{apart[1]}）" if len(apart) > 1 else "")
    text = f"{t.of}个{t.unit.zh}中{t.achieved}个实现“双下降”"
    return text + (f"（另有{'，'.join(apart)}）" if apart else "")


def _double_zh(brief: Brief) -> str:
    d = brief.double_decline
    if d == Judgement.ACHIEVED:
        head = f"{_scope_zh(brief)}事故起数和死亡人数实现“双下降”"
    elif d == Judgement.INSUFFICIENT:
        pair = (("accidents_count", brief.measures["accidents"]), ("deaths", brief.measures["deaths"]))
        head = (_partly_judged_zh(brief, pair)[:-1] if any(c.not_released for _, c in pair)
                else "数据不足，无法判断")
    else:
        head = f"{_scope_zh(brief)}未实现“双下降”"
    parts = [p for p in (tally_sentence(brief.double_decline_children), tally_sentence(industry_tally(brief))) if p]
    return head + ("。" + "，".join(parts) if parts else "") + "。"
_MEASURE_ZH = {"accidents": "事故起数", "deaths": "死亡人数", "larger_accidents": "较大事故起数",
               "major_plus_accidents": "重特大事故起数"}


def _streaks_zh(brief: Brief) -> str:
    acc, dth = brief.measures["accidents"], brief.measures["deaths"]
    if acc.state == State.INSUFFICIENT and not acc.not_released:
        return ""
    # "已连续N年下降" from two years on; one year is "同比下降" — never "连续1年"
    long = [m for m in _MEASURE_ZH if brief.streaks[m] >= 2]
    once = [m for m in _MEASURE_ZH if brief.streaks[m] == 1]
    if not long and not once and State.INSUFFICIENT in (acc.state, dth.state):  # not released: no streak to tell
        return ""
    if not long and not once:
        return "事故起数和死亡人数同比均未下降。"
    parts = []
    if long and len({brief.streaks[m] for m in long}) == 1:
        parts.append(f"{'、'.join(_MEASURE_ZH[m] for m in long)}已连续{brief.streaks[long[0]]}年下降")
    else:
        parts += [f"{_MEASURE_ZH[m]}已连续{brief.streaks[m]}年下降" for m in long]
    if once:
        parts.append(f"{'、'.join(_MEASURE_ZH[m] for m in once)}同比下降")
    return "与历年同期相比，" + "，".join(parts) + "。"


def _date_zh(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _target_zh(brief: Brief) -> str | None:
    t = brief.target
    if t is None:
        return None
    when = _date_zh(brief.period.last_day)
    if t.deaths is None:
        return f"{t.year}年死亡人数控制指标{t.deaths_target}人；截至{when}的死亡人数数据不足。"
    text = (f"{t.year}年死亡人数控制指标{t.deaths_target}人，截至{when}已死亡{t.deaths}人，"
            f"占全年控制指标的{share(t.progress)}")
    gap = target_gap(t, "zh")
    warn = "，须高度警惕" if t.state == "ahead_of_time" and gap.startswith("超过") else ""
    return text + (f"，{gap}" if gap else "") + warn + "。"


def _days_zh(brief: Brief) -> str | None:
    if brief.days_since is None:
        return None
    major, larger = brief.days_since["major_plus"], brief.days_since["larger_plus"]
    if major.last_day is None and larger.last_day is None and major.none_since is not None:
        return f"自{_date_zh(major.none_since)}有记录以来未发生较大及以上事故。"
    parts = []
    for key, word in (("major_plus", "重特大事故"), ("larger_plus", "较大及以上事故")):
        d = brief.days_since[key]
        if d.last_day is not None:
            months, days = months_and_days(d.last_day, brief.period.last_day)
            span = f"（{months}个月{days}天）" if months else ""
            parts.append(f"距上一起{word}（{_date_zh(d.last_day)}）已{d.days}天{span}")
        elif d.none_since is not None:
            parts.append(f"自{_date_zh(d.none_since)}有记录以来未发生{word}")
    return "；".join(parts) + _records_only_zh(brief) + "。" if parts else None


def _records_only_zh(b: Brief) -> str:
    """Where statistics answer part of the brief, the figures only records give say so."""
    if b.source.current != "records+statistics":
        return ""
    return f"（据事故台账，不含{names(b.source.statistics_regions, 'zh')}）"


def _hazards_zh(brief: Brief) -> str:
    h = brief.hazards
    if not h["found"] and not h["open_major"]:
        text = "本期隐患台账无排查记录"
    else:
        text = f"排查隐患{h['found']}项，已整改{h['rectified']}项，整改率{share(h['rectification_rate'])}；"
        text += "重大隐患" + (f"未整改{h['open_major']}项，" if h["open_major"] else "")
        text += major_open(h["open_major"], h["open_major_overdue"], "zh")
    if h.get("statistics_regions"):
        text += f"（{names(tuple(h['statistics_regions']), 'zh')}按报送的月报表计）"
    if h.get("partial_regions"):
        text += f"；{names(tuple(h['partial_regions']), 'zh')}报送的隐患月报表只覆盖本期部分月份，未计入"
    return text + "。"


def _reporting_zh(b: Brief) -> str:
    """"：31个省（区、市）中1个有本期数据，其余30个未报送" — where some units have data and some not."""
    r = b.reporting
    if r is None or not r.reported or r.reported == r.of:
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
    m = b.measures
    unreleased = "current" in m["accidents"].not_released  # the count not released, the rest perhaps
    if m["accidents"].current is None and not unreleased:
        return f"{label}，{scope}{group}生产安全事故数据不足{_reporting_zh(b)}。"
    first = _pair_zh(f"{group}生产安全事故", m["accidents"], m["deaths"], verb="共发生")
    text = f"{label}，{scope}{first}。"
    if m["accidents"].current or m["accidents"].previous or unreleased:
        text += ("其中，" + _pair_zh("较大事故", m["larger_accidents"], m["larger_deaths"]) + "；"
                 + _pair_zh("重特大事故", m["major_plus_accidents"], m["major_plus_deaths"]) + "。")
    return text


def items(b: Brief, risers_limit: int | None = 3) -> dict[str, tuple[str, str]]:
    """The judgements that apply, as key → (heading, sentence), in the briefing's order: three_declines
    (三个继续下降), double_decline, streaks, target, days_since, hazards, and regions_rising /
    industries_rising (the largest rises in accidents, at most ``risers_limit`` of each; None: all)."""
    level = b.double_decline_children.unit.zh if b.double_decline_children else "地区"
    found = {"three_declines": ("三个继续下降", _three_zh(b)), "double_decline": ("双下降", _double_zh(b)),
             "streaks": ("连续下降", _streaks_zh(b)), "target": ("控制指标", _target_zh(b)),
             "days_since": ("事故间隔", _days_zh(b)), "hazards": ("隐患排查治理", _hazards_zh(b))}
    rise = risers(b.rankings_regions, lambda r: f"{r.name}（+{r.accidents.change:g}起）", "、", risers_limit)
    found["regions_rising"] = (f"事故起数上升的{level}", rise + "。" if rise else "")
    rise = risers(b.rankings_industries, lambda r: f"{r.name}（+{r.accidents.change:g}起）", "、", risers_limit)
    found["industries_rising"] = ("事故起数上升的行业领域", rise + "。" if rise else "")
    return {k: (head, text) for k, (head, text) in found.items() if text}


def title(b: Brief) -> str:
    """2024年1—6月湖南省安全生产形势简报 — the period first, as a bureau titles its 简报."""
    return f"{b.period.label('zh')}{b.region_name}安全生产形势简报"


def render(b: Brief) -> str:
    lines = [f"# {title(b)}", "", headline(b), ""]
    lines += [f"- **{k}**：{v}" for k, v in items(b).values()]
    if b.latest:
        lines += ["", "## 较大及以上事故" + _records_only_zh(b), "", "| 时间 | 地区 | 行业领域 | 等级 | 死亡（含失踪） | 简况 |",
                  "|---|---|---|---|---|---|"]
        for a in b.latest:
            lines.append(f"| {a['occurred_at'][:10]} | {a['region']['name']} | {BY_CODE[a['industry']].zh} | "
                         f"{GRADE_ZH[a['grade']]} | {a['deaths']} | {cell(a['summary'])} |")
    lines += ["", source_zh(b)]
    return "\n".join(lines) + "\n"


def source_zh(b: Brief) -> str:
    """数据来源：… (the briefing's last line)."""
    s = b.source
    text = f"数据来源：{SOURCE_ZH[s.current]}；死亡人数含失踪。"
    if s.statistics_regions and s.statistics_regions != (b.region,):
        text += f"{names(s.statistics_regions, 'zh')}采用上报统计报表。"
    gaps = tuple(sorted(set(s.gaps_current) | set(s.gaps_previous)))
    if gaps:
        text += f"注：{names(gaps, 'zh')}仅报送统计报表，其报表未覆盖本期或去年同期，未计入。"
    elif s.partially_covered:
        why = "统计报表按整月报送，不用于截至某日的期间" if b.period.is_cut else "统计报表只覆盖部分期间"
        text += f"注：{names(s.partially_covered, 'zh')}的{why}，未采用。"
    if b.reporting is not None and b.reporting.expected:
        text += f"按设定的应报送地区（{names(b.reporting.expected, 'zh')}）判断。"
    return text
