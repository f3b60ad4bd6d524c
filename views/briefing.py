"""Briefing (领导驾驶舱): the selected period and region at a glance — the headline measures against
the same period last year, the three declines, the double decline, the control target, hazards
and the latest serious accidents. Large numbers, few words."""

from __future__ import annotations

from html import escape

import pandas as pd
import streamlit as st

from analytics.compare import Judgement, State
from analytics.risk import level_counts
from analytics.risk_map import LEVEL_COLOURS, colour_regions
from analytics.risk_words import level_counts_text
from charts.theme import BAD, GOOD, NEUTRAL, PREVIOUS, WARN, colour_for
from domain.industries import industry_label
from domain.periods import months_and_days
from domain.regions import map_region_of, region_label
from i18n import (
    JUDGEMENT_LABELS,
    MEASURE_LABELS,
    SOURCE_LABELS,
    fmt_change_pct,
    fmt_count,
    fmt_measure,
    fmt_pct,
    label,
    state_label,
    t,
)
from reports import wording
from reports.screen import map_img, map_svg
from webapp.state import brief_for, current_view, db_key, risk_table

view = current_view()
lang = view.lang
b = brief_for(view)

st.markdown(
    """<style>
[data-testid="stMetricValue"] { font-size: 3rem; font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem; }
.judge { border-radius: 10px; padding: 14px 18px; color: white; font-size: 1.35rem; font-weight: 600; }
.judge small { display:block; font-size: 0.95rem; font-weight: 400; opacity: 0.92; margin-top: 4px; }
.pbar { margin: 6px 0 10px 0; font-size: 0.95rem; }
.pbar .track { background: #e5e7eb; border-radius: 6px; height: 14px; overflow: hidden; margin-top: 3px; }
.pbar .fill { height: 100%; border-radius: 6px; }
</style>""",
    unsafe_allow_html=True,
)


def progress_bar(share: float, text: str, colour: str) -> str:
    """A progress bar in a colour (st.progress cannot be coloured)."""
    width = max(0.0, min(share, 1.0)) * 100
    return (
        f'<div class="pbar">{text}<div class="track"><div class="fill" '
        f'style="width:{width:.1f}%;background:{colour}"></div></div></div>'
    )


st.title(t("领导驾驶舱", "Briefing", lang))
st.caption(
    f"{region_label(b.region, lang, full=True)} · {b.period.label(lang)} · {wording.compared_with(b.comparison_period, lang)}"
)

# ---- headline measures
tiles = st.columns(4)
for col, m in zip(tiles, ("accidents", "deaths", "larger_accidents", "major_plus_accidents"), strict=True):
    c = b.measures[m]
    # st.metric reads the direction from a leading ASCII "-": the typographic minus would read as a rise.
    delta = f"{fmt_change_pct(c, lang).replace('−', '-')} · " + t(
        f"去年同期 {fmt_measure(c, 'previous', lang)}", f"last year {fmt_measure(c, 'previous', lang)}", lang
    )
    colour = colour_for(c)
    col.metric(
        label(MEASURE_LABELS, m, lang),
        fmt_measure(c, "current", lang),
        delta,
        border=True,
        delta_color="off" if colour == NEUTRAL else ("inverse" if (c.change or 0) != 0 else "normal"),
        delta_arrow="off" if c.state in (State.HELD_AT_ZERO, State.INSUFFICIENT, State.FLAT) else "auto",
    )


def judge_box(title: str, judgement: str, detail: str) -> str:
    colour = GOOD if judgement == Judgement.ACHIEVED else (NEUTRAL if judgement == Judgement.INSUFFICIENT else BAD)
    mark = "✔" if judgement == Judgement.ACHIEVED else ("?" if judgement == Judgement.INSUFFICIENT else "✘")
    colon = t("：", ": ", lang)
    return (
        f'<div class="judge" style="background:{colour}">{mark} {title}{colon}{label(JUDGEMENT_LABELS, judgement, lang)}'
        f"<small>{detail}</small></div>"
    )


# ---- judgements, in the briefing's own sentences (reports.wording: the same words as the Markdown and the pack)
sentences = wording.items(b, lang)
left, right = st.columns(2)
three = b.three_declines
parts = [
    (label(MEASURE_LABELS, n, lang), getattr(three, k))
    for n, k in (("accidents", "accidents"), ("larger_accidents", "larger"), ("major_plus_accidents", "major_plus"))
]
figures = "　".join(f"{name} {state_label(c, lang)}" for name, c in parts)
left.markdown(
    judge_box(
        t("三个继续下降", "Three continued declines", lang),
        three.state,
        escape(sentences["three_declines"][1]) + f"<br>{escape(figures)}",
    ),
    unsafe_allow_html=True,
)
right.markdown(
    judge_box(
        t("事故起数和死亡人数“双下降”", "Double decline", lang),
        b.double_decline,
        escape(sentences["double_decline"][1]),
    ),
    unsafe_allow_html=True,
)
if "streaks" in sentences:
    st.caption(sentences["streaks"][1])

st.write("")
# ---- control target, days since, hazards
c1, c2, c3 = st.columns([1.3, 1, 1.2])
with c1.container(border=True):
    st.markdown("#### " + t("死亡人数控制指标", "Deaths against the control target", lang))
    tp = b.target
    if tp is None:
        st.info(t("未导入本地区本年度控制指标。", "No control target imported for this region and year.", lang))
    else:
        share = tp.progress or 0.0
        # Exact numbers here (19,724 of 20,000), never 万: against a target, the last digits are the point.
        st.markdown(
            t(
                f"**{tp.year}年** 累计死亡 **{tp.deaths:,}** 人 / 控制指标 **{tp.deaths_target:,}** 人",
                f"**{tp.year}**: **{tp.deaths:,}** deaths of a target of **{tp.deaths_target:,}**",
                lang,
            )
        )
        # By meaning: within time progress green, ahead of it amber, the target exceeded red.
        state_colour = {"within": GOOD, "ahead_of_time": WARN, "exceeded": BAD}.get(tp.state, NEUTRAL)
        st.markdown(
            progress_bar(
                share, t(f"指标进度 {fmt_pct(share * 100)}", f"target used {fmt_pct(share * 100)}", lang), state_colour
            ),
            unsafe_allow_html=True,
        )
        st.markdown(
            progress_bar(
                tp.time_progress,
                t(
                    f"时间进度 {fmt_pct(tp.time_progress * 100)}",
                    f"time elapsed {fmt_pct(tp.time_progress * 100)}",
                    lang,
                ),
                PREVIOUS,
            ),
            unsafe_allow_html=True,
        )
        say = {"ahead_of_time": st.warning, "exceeded": st.error, "within": st.success}.get(tp.state, st.info)
        say(sentences["target"][1])  # 占全年控制指标的97.5%，超过时间进度14.2个百分点
with c2.container(border=True):
    st.markdown("#### " + t("距上一起事故", "Days since the last", lang))
    if b.days_since is None:
        st.info(
            t(
                "本期数据来自统计报表，统计报表无逐起事故的日期。",
                "This period is answered from statistics, which carry no dates of accidents.",
                lang,
            )
        )
    else:
        for key, zh, en in (
            ("major_plus", "重特大事故", "major-and-above accident"),
            ("larger_plus", "较大及以上事故", "larger-and-above accident"),
        ):
            ds = b.days_since.get(key)
            if ds is None:
                continue
            value = (
                t(f"{ds.days} 天", f"{ds.days} day{'s' if ds.days != 1 else ''}", lang)
                if ds.days is not None
                else t("未发生", "none", lang)
            )
            note = (
                t(f"上一起：{ds.last_day}", f"last: {ds.last_day}", lang)
                if ds.last_day
                else (
                    t(f"自{ds.none_since}有记录以来", f"on record since {ds.none_since}", lang)
                    if ds.none_since
                    else None
                )
            )
            st.metric(t(zh, en, lang), value, note, delta_color="off", delta_arrow="off")
        if b.source.current == "records+statistics" and "days_since" in sentences:
            st.caption(sentences["days_since"][1])  # the sentence that says these come from the records only
        ex = b.days_since.get("extraordinary")
        if ex is not None and ex.last_day is not None:
            months, days = months_and_days(ex.last_day, b.period.last_day)
            st.markdown(
                t(
                    f"距上一起特别重大事故 **{months}个月{days}天**（{ex.last_day}）",
                    f"**{months} month{'s' if months != 1 else ''} and {days} day{'s' if days != 1 else ''}** "
                    f"since the last extraordinarily major accident ({ex.last_day})",
                    lang,
                )
            )
        elif ex is not None and ex.none_since is not None:
            st.markdown(
                t(
                    f"自{ex.none_since}有记录以来未发生特别重大事故",
                    f"No extraordinarily major accident on record since {ex.none_since}",
                    lang,
                )
            )
with c3.container(border=True):
    st.markdown("#### " + t("隐患排查治理", "Hidden dangers", lang))
    hz = b.hazards
    h1, h2 = st.columns(2)
    h1.metric(
        t("在治重大隐患", "Open major hazards", lang),
        fmt_count(hz["open_major"], lang),
        wording.major_open(hz["open_major"], hz["open_major_overdue"], lang, found=hz["found"]),
        delta_color="inverse" if hz["open_major_overdue"] else "off",
        delta_arrow="off",
    )
    rate = hz["rectification_rate"]
    h2.metric(
        t("隐患整改率", "Rectification rate", lang),
        fmt_pct(None if rate is None else rate * 100),
        t(f"本期发现 {fmt_count(hz['found'], lang)} 项", f"{fmt_count(hz['found'], lang)} found", lang),
        delta_color="off",
        delta_arrow="off",
    )
    st.caption(
        t(
            "整改率＝本期发现的隐患中截至期末已整改的比例（详见“隐患整改”页）。",
            "Rate = hazards found in the period and rectified by its end (see the Hazard rectification page).",
            lang,
        )
    )
    hz_stats = tuple(hz.get("statistics_regions") or ())
    if hz_stats:
        st.caption(
            t(
                "按报送的隐患排查治理月报表计（无逐项台账）：",
                "Counted from their monthly hazard reports (no records): ",
                lang,
            )
            + t("、", ", ", lang).join(region_label(c, lang) for c in hz_stats)
        )
    hz_partial = tuple(hz.get("partial_regions") or ())
    if hz_partial:
        st.caption(
            t(
                "以下地区报送的隐患月报表只覆盖本期部分月份，未计入：",
                "Monthly hazard reports that cover only part of the period, not counted: ",
                lang,
            )
            + t("、", ", ", lang).join(region_label(c, lang) for c in hz_partial)
        )

# ---- where risk is, and the latest serious accidents
map_col, table_col = st.columns([1, 1.6])
with map_col:
    st.subheader(t("风险四色图", "Four-colour risk", lang))
    map_region = map_region_of(view.region)
    coloured, legend = colour_regions(risk_table(db_key(), map_region, view.period, view.industries), "risk", lang)
    # An SVG image, not a Plotly figure: the Briefing then loads no chart library at all (Plotly's
    # script and the drawing of every outline cost the first load more than a second).
    st.html(
        map_img(
            map_svg(
                map_region,
                dict(zip(coloured["code"], coloured["level"], strict=True)),
                lang,
                fills=LEVEL_COLOURS,
                stroke="#ffffff",
                sea_stroke="#6b7280",
            ),
            wording.risk_map_caption(map_region, lang),
            "width:100%;height:380px;object-fit:contain;background:#eef2f6",
        )
    )
    st.html(
        '<div style="display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.85rem">'
        + "".join(
            f'<span><i style="display:inline-block;width:.8em;height:.8em;margin-right:.3em;background:{c}"></i>{escape(text)}</span>'
            for c, text in legend
        )
        + "</div>"
    )
    st.caption(level_counts_text(level_counts(coloured), lang))
table_col.subheader(t("较大及以上事故", "Larger-and-above accidents", lang))
if not b.latest:
    table_col.success(t("本期未发生较大及以上事故。", "No larger-or-above accident in this period.", lang))
else:
    grade_names = {
        "larger": ("较大", "larger"),
        "major": ("重大", "major"),
        "extraordinary": ("特别重大", "extraordinary"),
    }
    rows = pd.DataFrame(
        [
            {
                t("时间", "When", lang): r["occurred_at"].replace("T", " "),
                t("地区", "Region", lang): region_label(r["region"]["code"], lang, full=True),
                t("行业", "Industry", lang): industry_label(r["industry"], lang),
                t("单位", "Enterprise", lang): r["enterprise"] or "—",
                t("死亡（含失踪）", "Deaths (incl. missing)", lang): r["deaths"],
                t("等级", "Grade", lang): label(grade_names, r["grade"], lang),
                t("简况", "Summary", lang): r["summary"] or "",
            }
            for r in b.latest
        ]
    )
    table_col.dataframe(rows, hide_index=True, width="stretch", height=380)

src = b.source
note = t("数据来源：", "Source: ", lang) + (
    label(SOURCE_LABELS, src.current, lang) if src.current in SOURCE_LABELS else t("无数据", "no data", lang)
)
if src.statistics_regions:
    note += t("；以统计报表计：", "; from statistics: ", lang) + "、".join(
        region_label(c, lang) for c in src.statistics_regions
    )
if src.partially_covered:
    note += t(
        "；统计报表未覆盖整个期间（未采用）：", "; statistics covering only part of the period (not used): ", lang
    ) + "、".join(region_label(c, lang) for c in src.partially_covered)
st.caption(note)
sep = t("、", ", ", lang)
if src.gaps_current:
    st.caption(
        t(
            "本期未计入（只报送统计报表、本期无数据）：",
            "Not counted this period (statistics only, no data for it): ",
            lang,
        )
        + sep.join(region_label(c, lang) for c in src.gaps_current)
    )
if src.gaps_previous:
    st.caption(
        t(
            "去年同期未计入（只报送统计报表、无数据）：",
            "Not counted in the same period last year (statistics only, no data for it): ",
            lang,
        )
        + sep.join(region_label(c, lang) for c in src.gaps_previous)
    )

# ---- the meeting pack (会议汇报材料): the same numbers as slides, built when a button is clicked
with st.container(border=True, key="meeting_pack"):
    from reports.pdf_pack import pdf_available
    from webapp.pack import pdf_file, pptx_file

    st.markdown("#### " + t("会议汇报材料", "Meeting pack", lang))
    from domain.regions import english_name

    stem = f"{b.region_name if lang == 'zh' else english_name(b.region)}-{b.period.code}-" + t(
        "安全生产形势汇报", "safety-briefing", lang
    )
    pack_cols = st.columns([1, 1, 1, 2], vertical_alignment="center")
    from webapp.session import audited  # each download goes into the audit trail

    pack_cols[0].download_button(
        t("下载 PPTX（可编辑图表）", "Download PPTX (editable charts)", lang),
        audited(pptx_file(db_key(), view), "meeting_pack_pptx", stem),
        file_name=f"{stem}.pptx",
        key="pack_pptx",
        icon=":material/slideshow:",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    )
    if pdf_available():
        pack_cols[1].download_button(
            t("下载 PDF", "Download PDF", lang),
            audited(pdf_file(db_key(), view), "meeting_pack_pdf", stem),
            file_name=f"{stem}.pdf",
            key="pack_pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            mime="application/pdf",
        )
    else:
        pack_cols[1].caption(t("PDF 需要服务器安装 LibreOffice。", "The PDF needs LibreOffice on the server.", lang))
    pack_cols[2].page_link("views/present.py", label=t("演示模式", "Present", lang), icon=":material/co_present:")
    pack_cols[3].caption(
        t(
            "八页：总体情况、月度走势、分行业、分地区（四色图）、较大及以上事故、隐患排查治理、需要关注的问题。",
            "Eight slides: overview, months, industries, regions with the four-colour map, larger "
            "accidents, hidden dangers, points needing attention.",
            lang,
        )
    )
