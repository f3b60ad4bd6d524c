"""Hidden-danger rectification (隐患整改): the rates on a chosen base with last year beside them, the
closed-loop funnel, overdue ageing, the backlog, rankings (a click sets the shared filter), the
supervision board (挂牌督办), the enterprises with the most open or repeated hazards, and the official
monthly report (工矿企业隐患排查治理情况月报表) with its XLSX."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from accounts import may
from analytics.hazards import BASE_LABELS, BASES
from charts import hazards as charts
from domain.hazards import SUPERVISION_LABELS
from domain.industries import industry_label
from domain.regions import region_label
from i18n import fmt_count, label, md_text, t
from reports import hazard_tables as ht
from webapp.session import audited, current_account
from webapp.sidebar import request_industries, request_region
from webapp.state import (
    current_view,
    db_key,
    enterprise_records,
    hazard_enterprises,
    hazard_monthly_report,
    rectification,
)

view = current_view()
lang = view.lang

st.title(t("隐患整改", "Hazard rectification", lang))
with st.spinner(t("正在计算…", "Computing…", lang)):
    r = rectification(db_key(), view.region, view.period, view.industries, view.today)
as_of_text = t(f"超期截至 {r.as_of}", f"overdue as of {r.as_of}", lang)
st.caption(f"{region_label(view.region, lang, full=True)} · {view.period.label(lang)} · {as_of_text}")

base = (
    st.segmented_control(
        t("统计口径", "Base", lang),
        BASES,
        default="cohort",
        key="hz_base",
        format_func=lambda b: label(BASE_LABELS, b, lang),
    )
    or "cohort"
)
now, last = r.rates(base), r.rates(base, last_year=True)


def _tile(col, title: str, attr: str, num: str, den: str) -> None:
    """A rate tile: this period, and the same period last year; a higher rate is good (green)."""
    cur, prev = getattr(now, attr), getattr(last, attr)
    delta, colour = ht.tile_change(cur, prev, lang)
    col.metric(
        title,
        ht.pct(cur),
        delta,
        delta_color=colour,
        delta_arrow="auto" if colour == "normal" else "off",
        border=True,
        help=t(f"{num} ÷ {den}", f"{num} ÷ {den}", lang),
    )


c1, c2, c3, c4, c5 = st.columns(5)
_tile(
    c1,
    t("隐患整改率", "Rectification rate", lang),
    "rectification_rate",
    t(f"已整改 {now.rectified}", f"rectified {now.rectified}", lang),
    t(f"隐患 {now.found}", f"hazards {now.found}", lang),
)
_tile(
    c2,
    t("重大隐患整改率", "Major-hazard rectification rate", lang),
    "major_rectification_rate",
    t(f"已整改 {now.major_rectified}", f"rectified {now.major_rectified}", lang),
    t(f"重大隐患 {now.major_found}", f"major hazards {now.major_found}", lang),
)
_tile(
    c3,
    t("按期整改率", "On-time rate", lang),
    "on_time_rate",
    t(f"按期 {now.on_time}", f"on time {now.on_time}", lang),
    t(f"可判断的已整改 {now.on_time_judged}", f"rectified and judgeable {now.on_time_judged}", lang),
)
_tile(
    c4,
    t("销号率", "Closure rate", lang),
    "closure_rate",
    t(f"验收销号 {now.closed}", f"closed {now.closed}", lang),
    t(
        f"台账隐患 {now.records_found if now.records_found is not None else now.found}",
        f"hazards in records {now.records_found if now.records_found is not None else now.found}",
        lang,
    ),
)
c5.metric(
    t("超期未整改", "Open and overdue", lang),
    fmt_count(r.open_overdue, lang),
    t(f"其中重大 {r.open_major_overdue}", f"{r.open_major_overdue} major", lang),
    delta_color="inverse" if r.open_major_overdue else "off",
    delta_arrow="off",
    border=True,
)
notes = [ht.counts_text(now, lang)]
if now.on_time_unknown:
    notes.append(
        t(
            f"{now.on_time_unknown} 项已整改隐患缺整改期限或整改日期，未计入按期整改率",
            f"{now.on_time_unknown} rectified hazards lack a deadline or a date and are not in the on-time rate",
            lang,
        )
    )
st.caption(t("；", "; ", lang).join(notes))
if r.statistics_regions:
    st.info(
        t(
            "以下地区只报送隐患排查治理月报表（无逐项台账），本期发现口径的整改率含其月报表数；累计口径、按期整改率、销号率、"
            "超期和积压只含台账地区：",
            "These regions send only the monthly hazard report (no records): the rectification rates on the "
            "found-in-the-period base include their reports; the cumulative base, on-time, closure, overdue and "
            "backlog cover the regions with records only: ",
            lang,
        )
        + t("、", ", ", lang).join(region_label(c, lang) for c in r.statistics_regions)
    )
if r.partially_covered:
    st.caption(
        t("月报表只覆盖部分期间、未采用：", "Monthly reports covering part of the period only, not used: ", lang)
        + t("、", ", ", lang).join(region_label(c, lang) for c in r.partially_covered)
    )

left, mid, right = st.columns(3)
left.plotly_chart(
    charts.funnel(
        r.funnel, lang, t("闭环：本期发现的隐患（截至期末）", "The closed loop: hazards found in the period", lang)
    ),
    width="stretch",
    key="hz_funnel",
    config={"displayModeBar": False},
)
mid.plotly_chart(
    charts.overdue(r.overdue, lang, t(f"超期未整改：按超期时长（{r.as_of}）", f"Overdue by age ({r.as_of})", lang)),
    width="stretch",
    key="hz_overdue",
    config={"displayModeBar": False},
)
right.plotly_chart(
    charts.backlog(r.backlog, lang, t("未整改隐患积压（各月末）", "Open backlog at each month's end", lang)),
    width="stretch",
    key="hz_backlog",
    config={"displayModeBar": False},
)
f = r.flow
median = "—" if f["median"] is None else f"{f['median']:.0f}"
p90 = "—" if f["p90"] is None else f"{f['p90']:.0f}"
st.caption(
    t(
        f"整改用时（本期整改的 {fmt_count(f['n'], lang)} 项）：中位数 {median} 天，90%分位 {p90} 天",
        f"Days to rectify ({fmt_count(f['n'], lang)} rectified in the period): median {median}, 90th percentile {p90}",
        lang,
    )
)

# ---- rankings, worst first; a click sets the shared filter
st.subheader(
    t(
        "排名（整改率最低、超期重大隐患最多在前；点击一行可筛选）",
        "Rankings (lowest rate and most overdue majors first; click a row to filter)",
        lang,
    )
)


def _ranking_table(frame: pd.DataFrame, key_col: str, names: list[str], key: str, pick) -> None:
    shown = ht.ranking(frame, names, lang)
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(420, 35 * (len(shown) + 1) + 3),
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config={
            t("整改率", "Rate", lang): st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100)
        },
    )
    rows = event.selection.rows if event else []
    if rows:
        pick(str(frame[key_col].iloc[rows[0]]))
        st.rerun()


left, right = st.columns(2)
with left:
    st.markdown("##### " + t("下级地区", "Child regions", lang))
    if r.by_child.empty:
        st.info(t("没有下级地区的隐患数据。", "No hazard data for child regions.", lang))
    else:
        _ranking_table(
            r.by_child,
            "child_code",
            [region_label(c, lang) for c in r.by_child["child_code"]],
            f"hz_rank_children_{view.region}",
            request_region,
        )
with right:
    st.markdown("##### " + t("行业领域", "Industries", lang))
    if r.by_industry.empty:
        st.info(t("没有分行业的隐患数据。", "No hazard data by industry.", lang))
    else:
        _ranking_table(
            r.by_industry,
            "industry",
            [industry_label(c, lang) for c in r.by_industry["industry"]],
            f"hz_rank_industries_{'_'.join(view.filters.industries)}",
            lambda c: request_industries([c]),
        )


# ---- the supervision board (挂牌督办)
@st.dialog(t("隐患详情", "Hazard record", lang), width="large")
def _show_record(row: dict) -> None:
    st.table(ht.record_fields(row, lang))


st.subheader(t("重大隐患挂牌督办", "Major hazards under supervision (挂牌督办)", lang))
levels = (
    st.pills(
        t("督办级别", "Level", lang),
        ["province", "city", "county"],
        selection_mode="multi",
        default=["province", "city", "county"],
        key="hz_board_levels",
        format_func=lambda v: label(SUPERVISION_LABELS, v, lang),
    )
    or []
)
board = ht.at_levels(r.board, levels)
if board.empty:
    st.success(t("没有在治的挂牌督办重大隐患。", "No open major hazard under supervision.", lang))
else:
    shown = ht.board_table(board, r.as_of, lang)
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(460, 35 * (len(shown) + 1) + 3),
        on_select="rerun",
        selection_mode="single-row",
        key="hz_board",
        column_config={t("超期天数", "Days overdue", lang): st.column_config.NumberColumn(format="%d")},
    )
    st.caption(
        t(
            f"共 {len(board)} 项，按超期天数、督办级别、整改期限排序；点击一行查看隐患详情。",
            f"{len(board)} hazards, most overdue first, then by level and deadline; click a row for the full record.",
            lang,
        )
    )
    if event and event.selection.rows:
        _show_record(board.iloc[event.selection.rows[0]].to_dict())

# ---- enterprises with the most open or repeated hazards
st.subheader(t("重点企业：未整改或重复出现的隐患最多", "Enterprises with the most open or repeated hazards", lang))
with st.spinner(t("正在计算…", "Computing…", lang)):
    ent, _repeated = hazard_enterprises(db_key(), view.region, view.period, view.industries, view.today)
if ent.empty:
    st.info(t("没有未整改或重复出现隐患的企业。", "No enterprise with open or repeated hazards.", lang))
else:
    shown = ht.enterprises_table(ent, lang)
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="hz_enterprises",
        height=min(420, 35 * (len(shown) + 1) + 3),
    )
    st.caption(
        t(
            "重复：同一企业同一类别的隐患在12个月内再次出现。点击一行查看该企业的隐患。",
            "A repeat: the same enterprise, the same category, again within 12 months. Click a row for its hazards.",
            lang,
        )
    )
    if event and event.selection.rows:
        key = ent["enterprise_key"].iloc[event.selection.rows[0]]
        mine = enterprise_records(db_key(), view.region, view.period, view.industries, key)
        st.markdown(f"**{md_text(ent['enterprise'].iloc[event.selection.rows[0]])}**")
        st.dataframe(ht.enterprise_hazards(mine, lang), hide_index=True, width="stretch", key="hz_enterprise_hazards")

# ---- the official monthly report
st.subheader(t("工矿企业隐患排查治理情况月报表", "Monthly hazard report (official form)", lang))
report = hazard_monthly_report(db_key(), view.region, view.period, view.industries, view.today)
shown = ht.monthly_report_table(report, lang)
st.dataframe(shown, hide_index=True, width="stretch", height=35 * (len(shown) + 1) + 3, key="hz_report")
st.caption(
    t(
        "本期发现的隐患截至期末的情况；只报送月报表的地区取其月报表数。整改率“—”表示本期没有发现该类隐患。",
        "The hazards found in the period as they stand at its end; regions that send only the monthly report are "
        'counted from it. A rate of "—" means no such hazard was found.',
        lang,
    )
)
if view.period.is_cut:
    st.caption(
        t(
            "本月尚未结束：月报表只按整月导出（请选择已结束的月份或期间）。",
            "This month is not over: the report file covers whole months only (choose a finished month or period).",
            lang,
        )
    )
elif may(current_account(), "download_summary"):
    # Made when clicked, and written into the audit trail then (webapp.session.audited).
    st.download_button(
        t("下载月报表（XLSX，按纸质表样式）", "Download the report (XLSX, laid out like the paper form)", lang),
        audited(
            lambda: ht.monthly_report_xlsx(report, view.region, view.period, lang, view.today),
            "hazard_monthly_report",
            f"{view.region} {view.period.code}",
        ),
        key="hz_report_xlsx",
        file_name=f"隐患排查治理月报表_{view.region}_{view.period.code}.xlsx"
        if lang == "zh"
        else f"hazard-monthly-report_{view.region}_{view.period.code}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
    )
