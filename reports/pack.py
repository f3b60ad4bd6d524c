"""The meeting pack (会议汇报材料): the slides of a safety-committee briefing for one period, region, set
of industries and grade group, as plain data — no python-pptx, no Streamlit — so that the PPTX writer
(``reports.pptx_pack``), the PDF (``reports.pdf_pack``, from the PPTX) and the app's presentation mode
(``views/present.py``) show the same slides, and a test can read them.

Eight slides:

1. title: region, period, date made;
2. the headline figures and the judgements, in the briefing's own sentences (``reports.brief_zh`` /
   ``brief_en``): "2024年1—6月，全省共发生生产安全事故467起、死亡463人，同比分别下降8.6%和5.7%……";
3. the monthly trend against the same months last year (accidents and deaths);
4. by industry; 5. by child region, as a ranking and the four-colour map;
6. the 较大-and-above accidents as a table; 7. hidden-danger rectification, with the overdue majors
   under supervision (挂牌督办); 8. points needing attention, derived from the data
   (:func:`attention_points`).

``reports.pack_gather.gather`` reads what the slides need from the store (given the brief); :func:`build_pack`
is pure, and makes the slides of ``reports.pack_model``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd

from analytics.brief import LATEST_LIMIT, Brief, Ranked
from analytics.compare import Comparison, Judgement, State
from analytics.risk import LEVEL_COLOURS, level_counts
from analytics.risk_words import LEVEL_LABELS, LEVELS, NO_DATA
from charts.theme import BAD, CURRENT, GOOD, NEUTRAL, PREVIOUS, colour_for
from domain.hazards import SUPERVISION_LABELS
from domain.industries import BY_CODE
from domain.regions import COUNTRY_CODE, english_name, load_regions, region_label
from domain.units import INDUSTRIES as INDUSTRY_UNITS
from domain.units import NOUNS
from i18n import (
    GRADE_GROUP_LABELS,
    MEASURE_LABELS,
    fmt_change,
    fmt_change_pct,
    fmt_count,
    fmt_measure,
    fmt_pct,
    t,
)
from reports import brief_en, brief_zh, wording
from reports.pack_model import Chart, Figure, Pack, PackInputs, Point, RiskMap, Series, Slide, Table

LANGS = ("zh", "en")
RANK_ROWS = 15  # child regions on the ranking chart (the largest rises first)
BOARD_ROWS = 8  # overdue majors under supervision in the table
SUMMARY_WIDTH = 46  # an accident's summary in the table, in columns (a Chinese character takes two)
PLACE_WIDTH = 26  # a place in a table
COUNT_FORMAT = {"zh": "0", "en": "#,##0"}  # counts on charts: 1705 in Chinese, 1,705 in English
SLIDE_KEYS = ("title", "headline", "trend", "industries", "regions", "serious", "hazards", "attention")
NUMERALS_ZH = "一二三四五六七八九十"


# ---------------------------------------------------------------------------------------------- words


def _heading(n: int, zh: str, en: str, lang: str) -> str:
    """一、总体情况 / 1. Overview."""
    return t(f"{NUMERALS_ZH[n - 1]}、{zh}", f"{n}. {en}", lang)


def _region_name(code: str, lang: str) -> str:
    if lang == "zh":
        return "全国" if code == COUNTRY_CODE else load_regions()[code].name
    return english_name(code)


def _date(d: dt.date, lang: str) -> str:
    return t(f"{d.year}年{d.month}月{d.day}日", f"{d.day} {d:%B} {d.year}", lang)


def _month_labels(months: list[str], lang: str) -> tuple[str, ...]:
    one_year = len({m[:4] for m in months}) == 1
    out = []
    for m in months:
        y, mo = int(m[:4]), int(m[5:])
        if lang == "zh":
            out.append(f"{mo}月" if one_year else f"{y}年{mo}月")
        else:
            name = dt.date(y, mo, 1).strftime("%b")
            out.append(name if one_year else f"{name} {y}")
    return tuple(out)


def _values(frame: pd.DataFrame, measure: str) -> tuple[float | None, ...]:
    return tuple(None if pd.isna(v) else int(v) for v in frame[measure])


def _change_note(c: Comparison, unit: str, lang: str) -> str:
    if c.state == State.HELD_AT_ZERO:
        return t("与去年同期均为零", "none last year either", lang)
    if c.state == State.INSUFFICIENT and c.not_released:
        side = t("本期", "this period", lang) if "current" in c.not_released else t("去年同期", "last year", lang)
        return t(f"{side}未公布，无法比较", f"not released for {side}: not comparable", lang)
    if c.state == State.INSUFFICIENT:
        return t("无去年同期可比数据", "no comparable data for last year", lang)
    previous = fmt_count(c.previous, lang)
    return t(
        f"同比{fmt_change_pct(c, lang)}，去年{previous}{unit}",
        f"{fmt_change_pct(c, lang)} on last year ({previous})",
        lang,
    )


def _ranked_name(r: Ranked, industry: bool, lang: str) -> str:
    if industry:
        return _industry(r.key, lang)
    return r.name if lang == "zh" else english_name(r.key)


# ---------------------------------------------------------------------------------------------- attention


def attention_points(brief: Brief, supervised_overdue: int | None, lang: str = "zh") -> tuple[Point, ...]:
    """The points needing attention, from the data, most pressing first:

    - ``target``: deaths run ahead of time progress or beyond the annual control target;
    - ``three_declines``: "three continued declines" not achieved (and why);
    - ``regions_rising`` / ``industries_rising``: every child region / industry whose accidents rose on
      the same period last year, the largest rise first;
    - ``overdue_majors``: open major hidden dangers past their deadline (with how many of them are
      listed for supervision, ``supervised_overdue``; None when unknown).

    With none of these, one ``steady`` point says so. The sentences are the briefing's own
    (``reports.brief_zh.items`` / ``brief_en.items``) wherever it has one.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    words = wording.items(brief, lang, risers_limit=None)
    points: list[Point] = []
    if brief.target is not None and brief.target.state in ("ahead_of_time", "exceeded"):
        points.append(Point("target", words["target"][1]))
    three = brief.three_declines
    if three.state == Judgement.NOT_ACHIEVED and any(
        c.state in (State.ROSE, State.FLAT) for c in (three.accidents, three.larger, three.major_plus)
    ):
        # (not achieved only because a component was zero both times is nothing to worry about)
        text = words["three_declines"][1]
        points.append(Point("three_declines", t(text, f"Three continued declines {text}", lang)))  # zh: prose
    unit = brief.double_decline_children.unit if brief.double_decline_children else None
    for kind, rows in (("regions_rising", brief.rankings_regions), ("industries_rising", brief.rankings_industries)):
        n = sum(r.accidents.state == State.ROSE for r in rows)
        if not n:
            continue
        heading, text = words[kind]
        if lang == "zh":
            points.append(Point(kind, f"{heading}（{n}个）：{text}"))
        else:
            noun = INDUSTRY_UNITS if kind == "industries_rising" else unit or NOUNS["地区"]
            what = noun.en_one if n == 1 else noun.en
            points.append(Point(kind, f"Accidents rose in {n} {what}: {text}"))
    overdue = int(brief.hazards.get("open_major_overdue") or 0)
    if overdue:
        sup = supervised_overdue or 0
        points.append(
            Point(
                "overdue_majors",
                t(
                    f"重大事故隐患超期未整改{overdue}项"
                    + (f"，其中挂牌督办{sup}项" if sup else "")
                    + "，须督促限期整改、逐项销号。",
                    f"{overdue} major hidden danger{'s are' if overdue != 1 else ' is'} past the rectification deadline"
                    + (f" ({sup} listed for supervision)" if sup else "")
                    + ": see that each is rectified and closed.",
                    lang,
                ),
            )
        )
    if not points:
        points.append(
            Point(
                "steady",
                t(
                    "本期数据未显示需要特别关注的问题：控制指标进度正常，各地区、各行业领域事故起数未上升，"
                    "无超期未整改的重大事故隐患。",
                    "The data show nothing that needs particular attention this period: deaths "
                    "within the target's time progress, no region or industry with more "
                    "accidents, no overdue major hidden danger.",
                    lang,
                ),
            )
        )
    return tuple(points)


# ---------------------------------------------------------------------------------------------- slides


def _title_slide(b: Brief, lang: str, made_on: dt.date) -> Slide:
    name = _region_name(b.region, lang)
    scope = []
    if b.industries:
        scope.append(
            t("行业领域：", "Industries: ", lang)
            + t("、", ", ", lang).join(BY_CODE[i].zh if lang == "zh" else BY_CODE[i].en for i in b.industries)
        )
    if b.grade_group != "all":
        scope.append(t("事故等级：", "Accident grades: ", lang) + GRADE_GROUP_LABELS[b.grade_group][lang == "en"])
    text = (
        t(
            f"统计期间：{b.period.label('zh')}（与{b.comparison_period.label('zh')}相比）",
            f"Period: {b.period.label('en')} (compared with {b.comparison_period.label('en')})",
            lang,
        ),
        *scope,
        _date(made_on, lang),
    )
    return Slide(
        "title",
        t(f"{name}安全生产形势", f"Production safety in {name}", lang),
        t("安全生产委员会会议汇报材料", "Briefing for the safety committee", lang),
        text=text,
    )


def _headline_slide(b: Brief, lang: str) -> Slide:
    items = wording.items(b, lang)
    units = {
        "accidents": ("起", ""),
        "deaths": ("人", ""),
        "larger_accidents": ("起", ""),
        "major_plus_accidents": ("起", ""),
    }
    figures = []
    for m, (unit_zh, unit_en) in units.items():
        c = b.measures[m]
        unit = "" if "current" in c.not_released else t(unit_zh, unit_en, lang)
        figures.append(
            Figure(
                MEASURE_LABELS[m][lang == "en"],
                fmt_measure(c, "current", lang),
                unit,
                _change_note(c, t(unit_zh, unit_en, lang), lang),
                colour_for(c),
            )
        )
    three_head, three_text = items["three_declines"]
    three = t(f"{three_head}：{three_text}", f"{three_head} — {three_text}", lang)
    bullets = tuple(items[k] for k in ("double_decline", "target", "days_since") if k in items)
    return Slide(
        "headline",
        _heading(1, "总体情况", "Overview", lang),
        figures=tuple(figures),
        text=(wording.headline(b, lang), three),
        bullets=bullets,
        note=brief_zh.source_zh(b) if lang == "zh" else brief_en.source_en(b),
    )


def _trend_slide(b: Brief, inputs: PackInputs, lang: str) -> Slide:
    cats = _month_labels(list(inputs.monthly["month"]), lang)
    this = t(b.period.label("zh"), b.period.label("en"), lang)
    last = t(b.comparison_period.label("zh"), b.comparison_period.label("en"), lang)
    charts = []
    for m, unit in (("accidents", ("起", "accidents")), ("deaths", ("人", "deaths"))):
        charts.append(
            Chart(
                "column",
                t(f"{MEASURE_LABELS[m][0]}（按月）", f"{MEASURE_LABELS[m][1]} by month", lang),
                cats,
                (
                    Series(this, _values(inputs.monthly, m), CURRENT),
                    Series(last, _values(inputs.monthly_previous, m), PREVIOUS),
                ),
                t(*unit, lang),
                COUNT_FORMAT[lang],
            )
        )
    # A chart with no number at all would be an empty frame: say so instead.
    charts = [c for c in charts if any(v is not None for s in c.series for v in s.values)]
    text = (
        ()
        if charts
        else (
            t(
                "本期及去年同期均无覆盖该地区的事故数据。",
                "No accident data cover this region in this period or last year's.",
                lang,
            ),
        )
    )
    items = wording.items(b, lang)
    bullets = tuple(v for k, v in items.items() if k == "streaks")
    note = ""
    if b.period.is_cut and b.period.until is not None:
        u = b.period.until
        note = t(
            f"注：{u.month}月数据截至{u.day}日，去年同期同样截至{u.day}日。",
            f"Note: {u:%B} runs to the {u.day}th only, as does last year's.",
            lang,
        )
    return Slide(
        "trend",
        _heading(2, "事故月度走势", "Month by month", lang),
        charts=tuple(charts),
        text=text,
        bullets=bullets,
        note=note,
    )


def _ranking_chart(rows: list[Ranked], industry: bool, title: str, b: Brief, lang: str) -> Chart:
    return Chart(
        "bar",
        title,
        tuple(_ranked_name(r, industry, lang) for r in rows),
        (
            Series(b.period.label(lang), tuple(r.accidents.current for r in rows), CURRENT),
            Series(b.comparison_period.label(lang), tuple(r.accidents.previous for r in rows), PREVIOUS),
        ),
        t("起", "accidents", lang),
        COUNT_FORMAT[lang],
    )


def _industries_slide(b: Brief, lang: str) -> Slide:
    rows = [
        r
        for r in b.rankings_industries
        if r.accidents.state != State.INSUFFICIENT
        and ((r.accidents.current or 0) > 0 or (r.accidents.previous or 0) > 0)
    ]
    rows.sort(key=lambda r: (-(r.accidents.current or 0), -(r.accidents.previous or 0), r.key))
    title = t("事故起数：本期与去年同期", "Accidents: this period and the same period last year", lang)
    charts = (_ranking_chart(rows, True, title, b, lang),) if rows else ()
    bullets = _bullets_of(b, rows, True, lang)
    judged = [r for r in b.rankings_industries if r.accidents.state != State.INSUFFICIENT]
    text = (
        ()
        if rows
        else (
            (t("本期与去年同期各行业领域均无事故。", "No accident in any industry in either period.", lang),)
            if judged
            else (_NO_DATA[lang],)
        )
    )
    return Slide(
        "industries", _heading(3, "分行业领域情况", "By industry", lang), charts=charts, bullets=bullets, text=text
    )


def _bullets_of(b: Brief, rows: list[Ranked], industry: bool, lang: str) -> tuple[tuple[str, str], ...]:
    """Rises, and the largest falls, in the briefing's number forms."""
    up = [r for r in rows if r.accidents.state == State.ROSE]
    down = sorted(
        (r for r in rows if r.accidents.state == State.DECLINED), key=lambda r: (r.accidents.change or 0, r.key)
    )
    out = []
    unit = t("起", "", lang)
    if up:
        up.sort(key=lambda r: (-(r.accidents.change or 0), r.key))
        out.append(
            (
                t("事故起数上升", "Accidents rose", lang),
                t("、", ", ", lang).join(
                    f"{_ranked_name(r, industry, lang)}（{fmt_change(r.accidents, lang)}{unit}，{fmt_change_pct(r.accidents, lang)}）"
                    if lang == "zh"
                    else f"{_ranked_name(r, industry, lang)} ({fmt_change(r.accidents, lang)}, "
                    f"{fmt_change_pct(r.accidents, lang)})"
                    for r in up[:8]
                )
                + (t(f"等{len(up)}个", f" and {len(up) - 8} more", lang) if len(up) > 8 else ""),
            )
        )
    if down:
        out.append(
            (
                t("降幅较大", "Largest falls", lang),
                t("、", ", ", lang).join(
                    f"{_ranked_name(r, industry, lang)}（{fmt_change(r.accidents, lang)}{unit}，{fmt_change_pct(r.accidents, lang)}）"
                    if lang == "zh"
                    else f"{_ranked_name(r, industry, lang)} ({fmt_change(r.accidents, lang)}, "
                    f"{fmt_change_pct(r.accidents, lang)})"
                    for r in down[:3]
                ),
            )
        )
    tally = b.double_decline_industries if industry else b.double_decline_children
    if tally is not None and tally.of:
        level = tally.unit.zh if lang == "zh" else tally.unit.en
        out.append(
            (
                t("双下降", "Double decline", lang),
                t(
                    f"{tally.of}个{level}中{tally.achieved}个实现事故起数和死亡人数“双下降”。",
                    f"{tally.achieved} of {tally.of} {level} had fewer accidents and fewer deaths.",
                    lang,
                ),
            )
        )
    return tuple(out)


def _regions_slide(b: Brief, inputs: PackInputs, lang: str) -> Slide:
    with_data = [r for r in b.rankings_regions if r.accidents.state != State.INSUFFICIENT]
    shown = with_data[:RANK_ROWS]
    title = t(
        "事故起数：本期与去年同期（按同比增量排序）", "Accidents, this period and last year (largest rise first)", lang
    )
    charts = (_ranking_chart(shown, False, title, b, lang),) if shown else ()
    notes = []
    if len(with_data) > len(shown):
        notes.append(
            t(
                f"图中列出同比增量最大的{len(shown)}个（共{len(with_data)}个）。",
                f"The chart shows the {len(shown)} largest rises of {len(with_data)}.",
                lang,
            )
        )
    missing = len(b.rankings_regions) - len(with_data)
    if missing:
        notes.append(
            t(f"另有{missing}个无可比数据，未列入。", f"{missing} without comparable data are not ranked.", lang)
        )
    text = () if with_data or not b.rankings_regions else (_NO_DATA[lang],)
    if not b.rankings_regions:
        text = (
            t(
                f"{_region_name(b.region, 'zh')}无下级地区；地图为所在上级地区的各地区风险等级。",
                f"{_region_name(b.region, 'en')} has no subdivisions; the map shows its parent's.",
                lang,
            ),
        )
    return Slide(
        "regions",
        _heading(4, "分地区情况", "By region", lang),
        charts=charts,
        bullets=_bullets_of(b, with_data, False, lang),
        text=text,
        map=_risk_map(inputs, lang),
        note=" ".join(notes),
    )


def _risk_map(inputs: PackInputs, lang: str) -> RiskMap:
    risk = inputs.risk
    colours = (
        tuple(
            (str(c), LEVEL_COLOURS.get(str(lv), LEVEL_COLOURS[NO_DATA]))
            for c, lv in zip(risk["code"], risk["level"], strict=True)
        )
        if len(risk)
        else ()
    )
    counts = level_counts(risk) if len(risk) else dict.fromkeys((*LEVELS, NO_DATA), 0)
    legend = tuple(
        (LEVEL_COLOURS[k], f"{LEVEL_LABELS[k][lang == 'en']} {counts[k]}")
        for k in (*LEVELS, NO_DATA)
        if k != NO_DATA or counts[k]
    )
    caption = wording.risk_map_caption(inputs.map_region, lang)
    return RiskMap(inputs.map_region, colours, legend, caption)


def _industry(code: str, lang: str) -> str:
    """An industry's name for a table cell (without the English name's bracketed gloss)."""
    return BY_CODE[code].zh if lang == "zh" else re.sub(r"\s*\(.*?\)", "", BY_CODE[code].en)


def _place(code: str, within: str, lang: str) -> str:
    """A region inside ``within`` named from below it: 郴州市桂阳县 on a 湖南省 slide, 桂阳县 on a 郴州市
    one (its English name likewise); cut to fit a table cell."""
    regions = load_regions()
    if code not in regions:
        return code
    if lang != "zh":
        return _cut(brief_en.place_en(code), PLACE_WIDTH)
    full = regions[code].full_name
    prefix = regions[within].full_name if within in regions and within != COUNTRY_CODE else ""
    name = full[len(prefix) :] if prefix and full.startswith(prefix) and full != prefix else full
    return _cut(name, PLACE_WIDTH)


_NO_DATA = {
    "zh": "本期或去年同期无覆盖的事故数据，无法比较（缺数不等于零）。",
    "en": "No accident data cover this period or last year's: nothing to compare (missing is not zero).",
}
GRADE_WORDS = {"larger": ("较大", "larger"), "major": ("重大", "major"), "extraordinary": ("特别重大", "extraordinary")}


def _cut(text: str | None, width: int) -> str:
    """``text`` on one line, cut to ``width`` columns (a Chinese character takes two) with an ellipsis."""
    text = " ".join((text or "").split())
    used, out = 0, []
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + w > width - 2:
            return "".join(out) + "…"
        out.append(ch)
        used += w
    return text


def _serious_slide(b: Brief, lang: str) -> Slide:
    title = _heading(5, "较大及以上事故", "Larger-and-above accidents", lang)
    if not b.latest:
        return Slide(
            "serious",
            title,
            text=(t("本期未发生较大及以上事故。", "No larger-or-above accident in this period.", lang),),
        )
    columns = (
        t("时间", "Date", lang),
        t("地区", "Region", lang),
        t("行业领域", "Industry", lang),
        t("等级", "Grade", lang),
        t("死亡（含失踪）", "Deaths", lang),
        t("简况", "Summary", lang),
    )
    rows = []
    for a in b.latest:
        place = _place(a["region"]["code"], b.region, lang)
        rows.append(
            (
                a["occurred_at"][:10],
                place,
                _industry(a["industry"], lang),
                GRADE_WORDS[a["grade"]][lang == "en"],
                str(a["deaths"]),
                _cut(a["summary"], SUMMARY_WIDTH),
            )
        )
    table = Table(columns, tuple(rows), (1.05, 2.0, 1.45, 0.7, 1.05, 3.7), (False, False, False, False, True, False))
    items = wording.items(b, lang)
    bullets = tuple(v for k, v in items.items() if k == "days_since")
    note = (
        t(f"列出本期最近{LATEST_LIMIT}起。", f"The latest {LATEST_LIMIT} of the period.", lang)
        if len(b.latest) >= LATEST_LIMIT
        else ""
    )
    if b.source.statistics_regions:
        note += t(
            "只报送统计报表的地区无逐起记录，不在表中。",
            " Regions that send statistics only have no records here.",
            lang,
        )
    return Slide("serious", title, bullets=bullets, table=table, note=note.strip())


def _hazards_slide(b: Brief, inputs: PackInputs, lang: str) -> Slide:
    h = b.hazards
    rate, major_rate = h.get("rectification_rate"), h.get("major_rectification_rate")
    figures = (
        Figure(
            t("排查隐患", "Hazards found", lang),
            fmt_count(h["found"], lang),
            t("项", "", lang),
            t(f"已整改 {fmt_count(h['rectified'], lang)} 项", f"{fmt_count(h['rectified'], lang)} rectified", lang),
            NEUTRAL,
        ),
        Figure(
            t("隐患整改率", "Rectification rate", lang),
            fmt_pct(None if rate is None else rate * 100),
            "",
            t("本期发现、期末前整改", "found in the period, rectified by its end", lang),
            NEUTRAL,
        ),
        Figure(
            t("重大隐患整改率", "Major-hazard rate", lang),
            fmt_pct(None if major_rate is None else major_rate * 100),
            "",
            t(
                f"发现重大隐患 {fmt_count(h.get('major_found'), lang)} 项",
                f"{fmt_count(h.get('major_found'), lang)} major found",
                lang,
            ),
            NEUTRAL,
        ),
        Figure(
            t("在治重大隐患", "Open major hazards", lang),
            fmt_count(h["open_major"], lang),
            t("项", "", lang),
            t(f"其中超期 {h['open_major_overdue']} 项", f"{h['open_major_overdue']} overdue", lang),
            BAD if h["open_major_overdue"] else GOOD,
        ),
    )
    board = inputs.board
    overdue = board[board["days_overdue"] > 0] if len(board) else board
    text = (wording.sentence(b, "hazards", lang),)
    table = None
    note = ""
    if len(overdue):
        columns = (
            t("督办级别", "Level", lang),
            t("单位", "Enterprise", lang),
            t("地区", "Region", lang),
            t("整改期限", "Deadline", lang),
            t("超期天数", "Days overdue", lang),
            t("五到位", "Five in place", lang),
        )
        rows = []
        for r in overdue.head(BOARD_ROWS).itertuples():
            rows.append(
                (
                    SUPERVISION_LABELS[r.supervision_level][lang == "en"],
                    _cut(r.enterprise, 30),
                    _place(r.region_code, b.region, lang),
                    pd.Timestamp(r.deadline).date().isoformat(),
                    str(int(r.days_overdue)),
                    f"{int(r.five_in_place)}/5",
                )
            )
        table = Table(columns, tuple(rows), (0.75, 2.0, 1.7, 1.05, 0.9, 0.75), (False, False, False, False, True, True))
        note = t(
            f"挂牌督办的超期重大隐患共{len(overdue)}项（截至{inputs.as_of.isoformat()}），按超期天数排序"
            + (f"，表中列出前{BOARD_ROWS}项。" if len(overdue) > BOARD_ROWS else "。"),
            f"{len(overdue)} overdue major hazards listed for supervision on {inputs.as_of.isoformat()}, most overdue "
            "first" + (f"; the first {BOARD_ROWS} shown." if len(overdue) > BOARD_ROWS else "."),
            lang,
        )
    else:
        text += (t("挂牌督办的重大隐患均未超期。", "No major hazard listed for supervision is overdue.", lang),)
    charts = _rate_chart(b, inputs, lang)
    return Slide(
        "hazards",
        _heading(6, "隐患排查治理", "Hidden dangers", lang),
        figures=figures,
        text=text,
        table=table,
        charts=charts,
        note=note,
    )


def _rate_chart(b: Brief, inputs: PackInputs, lang: str) -> tuple[Chart, ...]:
    """The rectification rate of each child region, the lowest first (the rectification page's ranking)."""
    ranked = inputs.hazards_by_child
    if ranked is None or not len(ranked):
        return ()
    ranked = ranked[ranked["found"] > 0].head(RANK_ROWS)
    if not len(ranked):
        return ()
    names = tuple(region_label(str(c), lang) if lang == "zh" else english_name(str(c)) for c in ranked["child_code"])
    values = tuple(None if pd.isna(v) else round(float(v) * 100, 1) for v in ranked["rate"])
    unit = b.double_decline_children.unit if b.double_decline_children else NOUNS["地区"]
    where = unit.zh if lang == "zh" else unit.en
    return (
        Chart(
            "column",
            t(f"隐患整改率（%）：各{where}，由低到高", f"Rectification rate (%) by {where}, lowest first", lang),
            names,
            (Series(t("整改率", "Rate", lang), values, CURRENT),),
            "%",
            number_format="0.0",
        ),
    )


def _attention_slide(b: Brief, inputs: PackInputs, lang: str) -> Slide:
    board = inputs.board
    supervised = int((board["days_overdue"] > 0).sum()) if len(board) else 0
    points = attention_points(b, supervised, lang)
    return Slide(
        "attention",
        _heading(7, "需要关注的问题", "Points needing attention", lang),
        bullets=tuple(("", p.text) for p in points),
    )


def build_pack(inputs: PackInputs, lang: str = "zh", made_on: dt.date | None = None) -> Pack:
    """The eight slides (pure: everything comes from ``inputs``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    b = inputs.brief
    made_on = made_on or dt.date.today()
    name = _region_name(b.region, lang)
    slides = (
        _title_slide(b, lang, made_on),
        _headline_slide(b, lang),
        _trend_slide(b, inputs, lang),
        _industries_slide(b, lang),
        _regions_slide(b, inputs, lang),
        _serious_slide(b, lang),
        _hazards_slide(b, inputs, lang),
        _attention_slide(b, inputs, lang),
    )
    assert tuple(s.key for s in slides) == SLIDE_KEYS
    footer = f"{name} · {b.period.label(lang)}"
    return Pack(lang, b.region, name, b.period, made_on, footer, slides)
