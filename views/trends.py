"""Trends (趋势分析): this period against last year by month, five years, year to date, by grade,
streaks, and rankings of child regions and industries — a click on a bar sets the shared filter."""

from __future__ import annotations

import streamlit as st

from charts import trends as charts
from domain.industries import industry_label
from domain.regions import region_label
from i18n import MEASURE_LABELS, SOURCE_LABELS, label, t
from webapp.sidebar import request_industries, request_region
from webapp.state import brief_for, current_view, db_key, trends

view = current_view()
lang = view.lang


def _names(codes: tuple[str, ...]) -> str:
    return t("、", ", ", lang).join(region_label(c, lang) for c in codes)


st.title(t("趋势分析", "Trends", lang))
st.caption(f"{region_label(view.region, lang, full=True)} · {view.period.label(lang)}")
with st.spinner(t("正在计算…", "Computing…", lang)):
    data = trends(db_key(), view.region, view.period, view.industries, view.filters.grade)

measure = (
    st.segmented_control(
        t("指标", "Measure", lang),
        ["accidents", "deaths", "larger_accidents", "major_plus_accidents"],
        default="accidents",
        key="trend_measure",
        format_func=lambda m: label(MEASURE_LABELS, m, lang),
    )
    or "accidents"
)
mlabel = label(MEASURE_LABELS, measure, lang)

left, right = st.columns(2)
left.plotly_chart(
    charts.this_year_vs_last(
        data.current,
        data.previous,
        measure,
        lang,
        t(f"{mlabel}：本期与去年同期（按月）", f"{mlabel}: this period vs the same period last year", lang),
    ),
    width="stretch",
    key="chart_vs_last",
)
streak_n = brief_for(view).streaks[measure]  # the brief's streak: both pages say the same
streak_text = (
    t(f"连续{streak_n}年同期下降", f"fell {streak_n} years running", lang)
    if streak_n
    else t("同期未连续下降", "no current streak of declines", lang)
)
if not data.same_period["has_data"].any():
    right.info(
        t(
            "各年同期均无数据（统计报表只按整月报送，不含截至今日的本月）。",
            "No data for the same period in any year (statistics come in whole months, so a month cut "
            "at today is not covered).",
            lang,
        )
    )
else:
    right.plotly_chart(
        charts.same_period_years(
            data.same_period,
            measure,
            streak_n,
            lang,
            t(
                f"{mlabel}：历年同期（{view.period.label('zh')[5:] or '全年'}，{streak_text}）",
                f"{mlabel}: the same period each year ({streak_text})",
                lang,
            ),
        ),
        width="stretch",
        key="chart_same_period",
    )

left, right = st.columns(2)
left.plotly_chart(
    charts.by_month_of_year(
        data.years, measure, lang, t(f"{mlabel}：近五年逐月", f"{mlabel}: five years by month", lang)
    ),
    width="stretch",
    key="chart_five_years",
)
right.plotly_chart(
    charts.by_month_of_year(
        {y: d for y, d in data.years.items() if y >= max(data.years) - 1},
        measure,
        lang,
        t(f"{mlabel}：累计（今年与去年）", f"{mlabel}: cumulative, this year and last", lang),
        cumulative=True,
    ),
    width="stretch",
    key="chart_cumulative",
)

if view.period.is_cut:
    st.caption(
        t(
            f"注：{view.period.until.month}月的数据截至{view.period.until.day}日，不是整月。",
            f"Note: {view.period.until:%B} runs to {view.period.until.day} {view.period.until:%b} only, "
            "not a whole month.",
            lang,
        )
    )
known_years = data.same_period[data.same_period["has_data"]] if "has_data" in data.same_period else data.same_period
if (
    data.current[measure].isna().any()
    or data.previous[measure].isna().any()
    or (measure in known_years and known_years[measure].isna().any())
):
    st.caption(
        t(
            "图中空缺的月份或年份没有数据（无台账、统计报表未覆盖，或统计报表未公布该项），不按零计。",
            "A month or year left blank has no data (no records, no statistics covering it, or statistics that "
            "did not release this figure): it is not a zero.",
            lang,
        )
    )
st.plotly_chart(
    charts.by_grade(data.by_grade, lang, t("事故起数：按等级（按月）", "Accidents by grade, by month", lang)),
    width="stretch",
    key="chart_grades",
)

st.subheader(t("排名：同比变化（点击条形可筛选）", "Rankings: change on last year (click a bar to filter)", lang))
left, right = st.columns(2)


def _ranking(col, frame, key_col: str, labels: list[str], title: str, key: str, pick) -> None:
    """A ranking chart in ``col``; a click on a bar hands its key to ``pick`` and reruns."""
    event = col.plotly_chart(
        charts.ranking(frame.assign(label=labels), "label", measure, lang, title, key_col=key_col),
        width="stretch",
        on_select="rerun",
        selection_mode="points",
        key=key,
    )
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        pick(str(points[0]["customdata"][0]))
        st.rerun()


if data.children.empty and data.children_without_data:
    left.info(t("下级地区本期或去年同期均无可比数据。", "No child region has data for both periods.", lang))
elif data.children.empty:
    left.info(t("所选地区没有下级地区。", "The selected region has no child regions.", lang))
else:
    _ranking(
        left,
        data.children,
        "code",
        [region_label(c, lang) for c in data.children["code"]],
        t("下级地区", "Child regions", lang),
        f"rank_children_{view.region}",
        request_region,
    )
if data.industries.empty:
    right.info(t("所选期间没有分行业数据。", "No data by industry in this period.", lang))
else:
    _ranking(
        right,
        data.industries,
        "industry",
        [industry_label(c, lang) for c in data.industries["industry"]],
        t("行业领域", "Industries", lang),
        f"rank_industries_{'_'.join(view.filters.industries)}",
        lambda code: request_industries([code]),
    )

if data.children_without_data:
    left.caption(
        t(
            "未列入排名（本期或去年同期无数据或统计报表未公布某项，不按零计）：",
            "Not ranked (no data, or a figure not released, this period or last year; not a zero): ",
            lang,
        )
        + _names(data.children_without_data)
    )
if data.gaps:
    st.caption(
        t(
            "未计入（只报送统计报表、本期无数据的地区）：",
            "Not counted (statistics-only regions with no data for the period): ",
            lang,
        )
        + _names(data.gaps)
    )
st.caption(
    t("数据来源：", "Source: ", lang)
    + (label(SOURCE_LABELS, data.source, lang) if data.source in SOURCE_LABELS else t("无数据", "no data", lang))
    + t(
        "。各月、各地区分别按“台账与统计报表不重复相加”的规则取数。",
        ". Each month and region is answered by one source, never both added.",
        lang,
    )
)
