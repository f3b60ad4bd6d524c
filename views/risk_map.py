"""Risk map (风险地图): the four-colour risk of the child regions, or another metric, on an offline
map; click a region to drill in (province → city → county), a breadcrumb to go back up."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import settings
from analytics.risk import level_counts
from analytics.risk_map import METRIC_LABELS, METRICS, colour_regions
from analytics.risk_words import LEVEL_LABELS, level_counts_text, method_markdown
from answers.region_risk import risk_config
from charts.maps import region_at, region_map
from domain.grading import GRADE_LABELS
from domain.palette import GRADE_COLOURS
from domain.regions import COUNTRY_CODE, children, lineage, map_region_of, region_label
from geo.boundaries import children_geometries, maritime_boundary, missing_geometries
from i18n import fmt_count, label, t
from webapp.sidebar import request_region
from webapp.state import accident_points, current_view, db_key, risk_table

view = current_view()
lang = view.lang
# A county has no children: show its city's map with the county on it.
map_region = map_region_of(view.region)

st.title(t("风险地图", "Risk map", lang))
st.caption(f"{region_label(map_region, lang, full=True)} · {view.period.label(lang)}")

# Breadcrumb: 全国 › 湖南省 › 长沙市 — each step goes back up.
chain = [COUNTRY_CODE, *lineage(view.region)]
crumbs = st.columns(len(chain) + 4)
for col, code in zip(crumbs, chain, strict=False):
    name = t("全国", "China", lang) if code == COUNTRY_CODE else region_label(code, lang)
    if col.button(
        ("› " if code != COUNTRY_CODE else "") + name,
        key=f"crumb_{code}",
        disabled=code == view.region,
        width="stretch",
    ):
        request_region(code)
        st.rerun()

metric = (
    st.segmented_control(
        t("指标", "Metric", lang),
        METRICS,
        default="risk",
        key="map_metric",
        format_func=lambda m: label(METRIC_LABELS, m, lang),
    )
    or "risk"
)
show_points = st.toggle(
    t("显示事故点位（聚合）", "Show accident points (clustered)", lang), value=True, key="map_points"
)

with st.spinner(t("正在计算风险指数…", "Computing the risk index…", lang)):
    index = risk_table(db_key(), map_region, view.period, view.industries)
coloured, legend = colour_regions(index, metric, lang)
shapes = children_geometries(map_region)
gdf = shapes[["code", "geometry"]].merge(coloured, on="code", how="left")
no_shape = missing_geometries(index["code"])


def _points(code: str) -> pd.DataFrame:
    """Accident records with coordinates in ``code``, each with a tooltip and its grade's colour."""
    pts = accident_points(db_key(), code, view.period, view.industries)
    tips = []
    for when, grade, deaths, region, ent in zip(
        pts["occurred_at"], pts["grade"], pts["deaths"], pts["region_code"], pts["enterprise"], strict=True
    ):
        grade_name = GRADE_LABELS.get(grade, (grade, grade))[0 if lang == "zh" else 1]
        tips.append(
            "<br>".join(
                html.escape(str(x))
                for x in (
                    f"{pd.Timestamp(when):%Y-%m-%d} · {grade_name}",
                    region_label(region, lang, full=True),
                    ent if isinstance(ent, str) and ent else "—",
                    t(f"死亡（含失踪）{deaths}人", f"{deaths} dead or missing", lang),
                )
            )
        )
    return pts.assign(tip=tips, colour=[GRADE_COLOURS.get(g, GRADE_COLOURS["general"]) for g in pts["grade"]])


def _points_caption(points: pd.DataFrame) -> str:
    total = int(points["total"].iloc[0]) if len(points) else 0
    key = " ".join(
        f"<span style='color:{GRADE_COLOURS[g]}'>●</span> {GRADE_LABELS[g][0 if lang == 'zh' else 1]}"
        for g in ("general", "larger", "major", "extraordinary")
    )
    if total > len(points):
        count = t(
            f"地图显示最严重、最新的 {fmt_count(len(points), lang)} 起，共 {fmt_count(total, lang)} 起有坐标的事故。",
            f"Showing the {fmt_count(len(points), lang)} most serious and newest of {fmt_count(total, lang)} "
            "accidents with coordinates.",
            lang,
        )
    else:
        count = t(
            f"有坐标的事故 {fmt_count(total, lang)} 起。", f"{fmt_count(total, lang)} accidents with coordinates.", lang
        )
    return f"{count} {key}"


left, right = st.columns([2.2, 1])
with left:
    if gdf.empty:
        st.info(t("该地区没有下级地区的边界可显示。", "This region has no child boundaries to show.", lang))
    else:
        maritime = maritime_boundary() if map_region == COUNTRY_CODE else None
        points = _points(map_region) if show_points else None
        m = region_map(
            gdf,
            legend,
            label(METRIC_LABELS, metric, lang),
            maritime,
            tiles_url=settings.get("SAFETY_TILES_URL") or None,
            points=points,
        )
        event = st_folium(
            m,
            height=640,
            use_container_width=True,
            returned_objects=["last_clicked"],
            key=f"map_{map_region}_{metric}_{show_points}",
        )
        # Where the click fell (a point) → the region drawn there: independent of which layer got it.
        code = region_at(gdf, (event or {}).get("last_clicked"))
        if code and code != view.region and children(code):
            request_region(code)
            st.rerun()
        st.caption(
            t(
                "点击地区可下钻到下一级；无数据的地区为灰色（不是“低风险”）。",
                'Click a region to drill down; grey means no data (not "low risk").',
                lang,
            )
        )
        if points is not None:
            st.caption(_points_caption(points), unsafe_allow_html=True)

with right:
    counts = level_counts(index)
    st.markdown("#### " + t("风险等级分布", "Regions by risk level", lang))
    st.markdown(level_counts_text(counts, lang))
    mlabel = label(METRIC_LABELS, metric, lang) if metric != "risk" else t("风险指数", "Risk score", lang)
    table = coloured[["name", "level", "value"]].copy()
    table["name"] = [region_label(c, lang) for c in coloured["code"]]
    table["level"] = [LEVEL_LABELS[lv][0 if lang == "zh" else 1] for lv in table["level"]]
    ascending = metric == "rectification_rate"
    table = table.sort_values("value", ascending=ascending, na_position="last")
    table.columns = [t("地区", "Region", lang), t("风险等级", "Risk level", lang), mlabel]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(600, 35 * (len(table) + 1) + 3),
        column_config={
            mlabel: st.column_config.NumberColumn(
                format="%.1f" if metric in ("risk", "change", "rectification_rate") else "%d"
            )
        },
    )

if no_shape:
    st.warning(
        t("以下地区在边界数据中没有图形，未能在地图上显示：", "No boundary for these regions, not drawn: ", lang)
        + "、".join(region_label(c, lang) for c in no_shape)
    )
with st.expander(t("风险指数的计算方法", "How the risk index is computed", lang)):
    st.markdown(method_markdown(risk_config(), lang))
