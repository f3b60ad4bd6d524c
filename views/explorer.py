"""Explorer (分析查询): a pivot of accident or hazard records under the sidebar's filters, the records
behind any cell (searched, sorted and paged in the store), a record in full, two periods side by side,
and downloads of exactly what is shown. The pivot's configuration is in the URL (``ex_*``, see
explore_filters.py) beside the sidebar's filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from analytics import pivot as pv
from app_state import TTL_S, current_view, db_key
from domain.hazards import STATUS_LABELS
from domain.industries import industry_label
from domain.periods import Period
from domain.regions import region_label
from explore_filters import PARAMS, ExplorerConfig, parse_explorer_query, period_problem
from i18n import GRADE_GROUP_LABELS, fmt_change_pct, label, t
from reports import downloads as dl
from store import Store
from store import explore_queries as eq

view = current_view()
lang = view.lang
ss = st.session_state
PAGE_SIZES = (20, 50, 100)
SUPERVISION_LABELS = {"province": ("省级", "provincial"), "city": ("市级", "city"), "county": ("县级", "county"),
                      "none": ("未挂牌", "not listed")}
SORT_LABELS = {"natural": ("自然顺序", "Natural order"), "total": ("合计", "Total")}
RECORD_EXTRA_LABELS = {  # the stored columns a record's full view shows beyond the table's
    "credit_code": ("统一社会信用代码", "Credit code"), "address": ("地址", "Address"),
    "accepted_date": ("验收日期", "Accepted"), "responsible_person": ("责任人", "Responsible person"),
    "grade_reported": ("上报等级", "Grade as reported"), "grade_conflict": ("上报等级与条例不符", "Grade conflict"),
    "longitude": ("经度", "Longitude"), "latitude": ("纬度", "Latitude"),
    "measures_in_place": ("措施到位", "Measures in place"), "funds_in_place": ("资金到位", "Funds in place"),
    "deadline_in_place": ("时限到位", "Deadline in place"), "person_in_place": ("责任人到位", "Person in place"),
    "plan_in_place": ("预案到位", "Plan in place"), "import_id": ("导入批次", "Import"),
    "source_row": ("源文件行号", "Source row"), "region_level": ("地区级别", "Region level"),
    "province_code": ("省级代码", "Province code"), "city_code": ("市级代码", "City code"),
    "status_derived": ("状态由日期推定", "Status derived from dates"), "row_hash": ("内容校验值", "Row hash"),
}
RECORD_SORT_LABELS = {
    "occurred_at": ("发生时间", "Time"), "found_date": ("发现日期", "Found"), "deaths": ("死亡人数", "Deaths"),
    "direct_loss_wan": ("直接经济损失", "Direct loss"), "injuries": ("受伤人数", "Injuries"),
    "region_code": ("地区", "Region"), "industry": ("行业", "Industry"), "enterprise": ("单位", "Enterprise"),
    "grade": ("等级", "Grade"), "deadline": ("整改期限", "Deadline"), "rectified_date": ("整改日期", "Rectified"),
    "funds_wan": ("治理资金", "Funds"),
}


# ---------------------------------------------------------------- cached queries (keyed by the store's path)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _cells(db: str, kind: str, scope: eq.Scope, rows: str, cols: str | None) -> pd.DataFrame:
    return eq.pivot_cells(Store(db), kind, scope, rows, cols)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _page(db: str, kind: str, scope: eq.Scope, cell: tuple[tuple[str, str], ...], subset: str | None, search: str,
          sort: str, descending: bool, limit: int, offset: int) -> tuple[pd.DataFrame, int]:
    return eq.records_page(Store(db), kind, scope, dict(cell), subset, search, sort, descending, limit, offset)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _statistics_only(db: str, kind: str, region: str) -> list[str]:
    return eq.statistics_only_regions(Store(db), kind, region)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _span(db: str, kind: str, region: str) -> tuple[dt.date, dt.date] | None:
    return eq.records_span(Store(db), kind, region)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _source(db: str, kind: str) -> tuple[str, str]:
    """The data source for a download's header block, in both languages."""
    last = eq.last_import(Store(db), kind)
    name = Store(db).path.name
    what = ("事故台账（逐起记录）", "accident records") if kind == "accidents" else ("隐患台账（逐项记录）", "hazard records")
    if last is None:
        return f"{what[0]}；数据库 {name}", f"{what[1]}; store {name}"
    when = f"{pd.Timestamp(last['imported_at']):%Y-%m-%d %H:%M}"
    return (f"{what[0]}；数据库 {name}；最近导入：{last['file_name']}（{when}）",
            f"{what[1]}; store {name}; latest import: {last['file_name']} ({when})")


# ---------------------------------------------------------------- the configuration: URL → state → widgets


def _config() -> ExplorerConfig:
    """The Explorer's configuration of this session: read once from the link that opened it (the
    entry point keeps the query of the session's first run: the sidebar rewrites the URL)."""
    if "ex_cfg" not in ss:
        params = ss.get("query_at_start") or st.query_params.to_dict()
        cfg, notices = parse_explorer_query(params, view.today)
        ss["ex_cfg"] = cfg
        ss["ex_notices"] = notices
        ss["ex_page"] = 1
    return ss["ex_cfg"]


def _set(name: str, value: object) -> None:
    before = ss["ex_cfg"]
    after = before.update(name, value)
    ss["ex_cfg"] = after
    if (after.kind, after.rows, after.cols, after.measures, after.cell, after.search, after.record_sort,
            after.record_descending) != (before.kind, before.rows, before.cols, before.measures, before.cell,
                                         before.search, before.record_sort, before.record_descending):
        ss["ex_page"] = 1


def _wkey(name: str) -> str:
    return f"exw_{name}_{lang}"


def _sync(name: str) -> None:
    """on_change: the widget's value becomes the configuration's (checked by ExplorerConfig.update)."""
    _set(name, ss.get(_wkey(name)))


def _seed(name: str, value: object) -> str:
    """Show the configuration's ``value`` in the widget of ``name`` (keyed by language, like the sidebar's)."""
    key = _wkey(name)
    if ss.get(key) != value:
        ss[key] = value
    return key


def _sync_period(name: str) -> None:
    text = (ss.get(_wkey(name)) or "").strip()
    if not text:
        _set(name, None)
        return
    problem = period_problem(text, view.today)
    if problem:
        ss["ex_period_error"] = (name, text, problem)
    else:
        _set(name, Period.parse(text).code)


cfg = _config()
kind = cfg.kind
scope = eq.Scope(view.region, view.period.first_day, view.period.last_day, view.industries, view.filters.grade)
db = db_key()

st.title(t("分析查询", "Explorer", lang))
industries_text = t("、", ", ", lang).join(industry_label(c, lang) for c in view.filters.industries) or \
    t("全部行业", "all industries", lang)
st.caption(f"{region_label(view.region, lang, full=True)} · {view.period.label(lang)} · {industries_text} · "
           f"{label(GRADE_GROUP_LABELS, view.filters.grade, lang)}")
for notice in ss.pop("ex_notices", []):
    st.warning(notice.text(lang), icon="⚠️")

# ---- the controls
c_kind, c_rows, c_cols, c_measure, c_sort, c_desc = st.columns([1.1, 1.2, 1.2, 2.6, 1.3, 0.8])
c_kind.segmented_control(t("数据", "Data", lang), pv.KINDS, key=_seed("kind", kind), on_change=_sync, args=("kind",),
                         format_func=lambda k: label(pv.KIND_LABELS, k, lang), required=True)
dims = pv.DIMENSIONS[kind]
c_rows.selectbox(t("行", "Rows", lang), dims, key=_seed("rows", cfg.rows), on_change=_sync, args=("rows",),
                 format_func=lambda d: label(pv.DIMENSION_LABELS, d, lang))
col_options = [pv.MEASURES_COLUMNS, *(d for d in dims if d != cfg.rows)]
c_cols.selectbox(t("列", "Columns", lang), col_options, key=_seed("cols", cfg.cols), on_change=_sync, args=("cols",),
                 format_func=lambda d: label(pv.DIMENSION_LABELS, d, lang))
mlabel = lambda m: pv.measure_label(m, kind, lang)  # noqa: E731
if cfg.cols == pv.MEASURES_COLUMNS:
    c_measure.multiselect(t("指标", "Measures", lang), pv.MEASURES[kind], key=_seed("measures", list(cfg.measures)),
                          on_change=_sync, args=("measures",), format_func=mlabel)
else:
    c_measure.selectbox(t("指标", "Measure", lang), pv.MEASURES[kind], key=_seed("measure", cfg.measures[0]),
                        on_change=_sync, args=("measure",), format_func=mlabel)
sort_options = ["natural", "total"] if cfg.cols != pv.MEASURES_COLUMNS else ["natural", *cfg.measures]
sort_value = cfg.sort if cfg.sort in sort_options else ("total" if cfg.cols != pv.MEASURES_COLUMNS else
                                                        (cfg.measures[0] if cfg.sort != "natural" else "natural"))
c_sort.selectbox(t("排序", "Sort by", lang), sort_options, key=_seed("sort", sort_value), on_change=_sync,
                 args=("sort",), format_func=lambda s: label(SORT_LABELS, s, lang) if s in SORT_LABELS else mlabel(s))
c_desc.toggle(t("降序", "Descending", lang), key=_seed("descending", cfg.descending), on_change=_sync,
              args=("descending",))

notes = []
if kind == "accidents":
    notes.append(t("事故记录没有“来源”字段，来源维度只用于隐患。死亡人数含失踪。",
                   "Accident records have no source field: the source dimension is for hazards. Deaths include the missing.",
                   lang))
else:
    notes.append(t("本期发现的隐患截至期末的情况（整改率 = 期末前已整改 ÷ 本期发现；验收不通过算未整改）。事故等级筛选不适用于隐患。",
                   "Hazards found in the period as they stand at its end (rectification rate = rectified by the end ÷ "
                   "found; a failed acceptance is not rectified). The accident-grade filter does not apply to hazards.",
                   lang))
stats_only = _statistics_only(db, kind, view.region)
if stats_only:
    notes.append(t("只报送统计报表的地区没有逐条记录，不在表中：", "Regions that send statistics only have no records and are not "
                   "in the table: ", lang) + t("、", ", ", lang).join(region_label(c, lang) for c in stats_only))

# ---- the pivot
cols_dim = None if cfg.cols == pv.MEASURES_COLUMNS else cfg.cols
with st.spinner(t("正在计算…", "Computing…", lang)):
    cells = _cells(db, kind, scope, cfg.rows, cols_dim)
pivot = pv.build_pivot(cells, kind, cfg.rows, cfg.cols, cfg.measures, cfg.sort, cfg.descending)


def _vlabel(dim: str, value: str) -> str:
    return pv.value_label(kind, dim, value, lang, view.region)


def _fmt(measure: str):
    if pv.is_rate(measure):
        return lambda x: "—" if pd.isna(x) else f"{x * 100:.1f}%"
    if measure in pv.KNOWN:
        return lambda x: "—" if pd.isna(x) else f"{x:,.2f}"
    return lambda x: "—" if pd.isna(x) else f"{x:,.0f}"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else n + " " * (seen[n] - 1))
    return out


row_header = label(pv.DIMENSION_LABELS, cfg.rows, lang)
if cfg.cols == pv.MEASURES_COLUMNS:
    col_names = [mlabel(m) for m in pivot.values.columns]
else:
    col_names = [_vlabel(cfg.cols, k) for k in pivot.values.columns]
names = _unique([row_header, *col_names])
row_header, col_names = names[0], names[1:]
col_key_of = dict(zip(col_names, pivot.values.columns, strict=True)) | {row_header: pv.TOTAL}
shown = pivot.values.copy()
shown.columns = col_names
shown.insert(0, row_header, [_vlabel(cfg.rows, k) for k in pivot.values.index])
shown = shown.reset_index(drop=True)
styles = pv.colours(pivot)
styles.columns = col_names
styles.insert(0, row_header, "")
styles.iloc[-1] = "font-weight: bold"
styles = styles.reset_index(drop=True)
formats = {name: _fmt(pivot.measure_of(k)) for name, k in zip(col_names, pivot.values.columns, strict=True)}
styler = shown.style.apply(lambda _: styles, axis=None).format(formats)

if pivot.row_keys:
    # A new table (other rows, columns, filters) starts with no selection.
    table_id = abs(hash((kind, cfg.rows, cfg.cols, cfg.measures, scope, lang))) % 10**10
    pkey = f"ex_pivot_{table_id}"
    row_keys = list(pivot.values.index)
    if cfg.cell is not None and pkey not in ss:
        r, c = cfg.cell
        names_of = {k: n for n, k in col_key_of.items()}
        if r in row_keys and c in names_of:
            ss[pkey] = {"selection": {"rows": [], "columns": [], "cells": [[row_keys.index(r), names_of[c]]]}}
    event = st.dataframe(styler, hide_index=True, width="stretch", key=pkey, on_select="rerun",
                         selection_mode="single-cell", height=min(600, 35 * (len(shown) + 1) + 3))
    picked = [tuple(x) for x in (event.selection.cells if event else [])]
    if ss.get("ex_last_pick", {}).get(pkey) != picked:  # a click (or a click away) on this table
        ss.setdefault("ex_last_pick", {})[pkey] = picked
        cell = None
        if picked:
            pos, name = picked[0]
            cell = (row_keys[int(pos)], col_key_of.get(str(name), pv.TOTAL))
        if cell != cfg.cell:
            _set("cell", cell)
            cfg = ss["ex_cfg"]
    st.caption(t("点击一个单元格（或行名、合计）列出它背后的记录；颜色按含义：红色越深越差（如死亡人数），整改率等比率高为绿、低为红。",
                 "Click a cell (or a row's name, or a total) to list the records behind it. Colour by meaning: deeper red "
                 "is worse (deaths …); a rate is green when high and red when low.", lang))
else:
    st.info(t("所选条件下没有记录。", "No records match the filters.", lang))
for n in notes:
    st.caption(n)


# ---- filters text for the downloads' header blocks
def _filters_text(extra: list[str]) -> str:
    parts = [t(f"统计期间：{view.period.label('zh')}", f"period: {view.period.label('en')}", lang),
             t(f"地区：{region_label(view.region, 'zh', full=True)}", f"region: {region_label(view.region, 'en', full=True)}",
               lang),
             t(f"行业：{industries_text}", f"industries: {industries_text}", lang)]
    if kind == "accidents":
        parts.append(t(f"事故等级：{label(GRADE_GROUP_LABELS, view.filters.grade, 'zh')}",
                       f"grade: {label(GRADE_GROUP_LABELS, view.filters.grade, 'en')}", lang))
    return t("；", "; ", lang).join(parts + extra)


def _pivot_extra() -> list[str]:
    what = t("指标", "measures", lang) if cfg.cols == pv.MEASURES_COLUMNS else label(pv.DIMENSION_LABELS, cfg.cols, lang)
    return [t(f"数据：{label(pv.KIND_LABELS, kind, 'zh')}", f"data: {label(pv.KIND_LABELS, kind, 'en').lower()}", lang),
            t(f"行：{row_header}；列：{what}", f"rows: {row_header}; columns: {what}", lang),
            t("指标：", "measures: ", lang) + t("、", ", ", lang).join(mlabel(m) for m in pivot.measures)]


source_zh, source_en = _source(db, kind)
source_text = source_zh if lang == "zh" else source_en
stamp = f"{view.period.code.replace('..', '_')}_{view.region}"


def _pivot_export() -> dl.Export:
    columns = [dl.Column(row_header, label(pv.DIMENSION_LABELS, cfg.rows, "zh"),
                         label(pv.DIMENSION_LABELS, cfg.rows, "en"), "text")]
    for name, k in zip(col_names, pivot.values.columns, strict=True):
        m = pivot.measure_of(k)
        kind_ = "pct" if pv.is_rate(m) else ("float" if m in pv.KNOWN else "int")
        if cfg.cols == pv.MEASURES_COLUMNS:
            zh, en = pv.measure_label(m, kind, "zh"), pv.measure_label(m, kind, "en")
        else:
            zh, en = pv.value_label(kind, cfg.cols, k, "zh", view.region), pv.value_label(kind, cfg.cols, k, "en",
                                                                                          view.region)
        columns.append(dl.Column(name, zh, en, kind_))
    return dl.Export(t("分析查询 · 透视表", "Explorer · pivot", lang), _filters_text(_pivot_extra()), source_text,
                     shown, columns, lang, sheet=t("透视表", "Pivot", lang))


if pivot.row_keys:
    d1, d2, _ = st.columns([1, 1, 6])
    d1.download_button(t("下载透视表 CSV", "Pivot as CSV", lang), lambda: dl.to_csv(_pivot_export()),
                       file_name=f"explorer_pivot_{kind}_{stamp}.csv", mime="text/csv", on_click="ignore",
                       key=f"ex_dl_pivot_csv_{lang}", icon=":material/download:")
    d2.download_button(t("下载透视表 XLSX", "Pivot as XLSX", lang), lambda: dl.to_xlsx(_pivot_export()),
                       file_name=f"explorer_pivot_{kind}_{stamp}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       key=f"ex_dl_pivot_xlsx_{lang}", icon=":material/download:")

# ---------------------------------------------------------------- the records behind a cell
st.subheader(t("记录", "Records", lang))
cell_filter: dict[str, str] = {}
subset = None
cell_words: list[str] = []
if cfg.cell is not None and pivot.row_keys:
    r, c = cfg.cell
    valid_cols = [*pivot.values.columns] if cfg.cols != pv.MEASURES_COLUMNS else [*pivot.values.columns, pv.TOTAL]
    if r in pivot.values.index and c in valid_cols:
        cell_filter = pivot.cell_filter(r, c)
        m = pivot.measure_of(c) if c != pv.TOTAL or cfg.cols != pv.MEASURES_COLUMNS else None
        subset = m if m in eq.SUBSET_SQL[kind] else None
        if r != pv.TOTAL:
            cell_words.append(_vlabel(cfg.rows, r))
        if cfg.cols != pv.MEASURES_COLUMNS and c != pv.TOTAL:
            cell_words.append(_vlabel(cfg.cols, c))
        if subset:
            cell_words.append(mlabel(subset) if not pv.is_rate(subset) else label(pv.HAZARD_GRADE_LABELS, "major", lang))
    else:
        st.info(t("链接或上次点击的单元格不在当前透视表中，列出全部记录。",
                  "The cell from the link or the last click is not in this pivot: listing all records.", lang))
        _set("cell", None)
        cfg = ss["ex_cfg"]

top = st.columns([3, 1.4, 0.8, 0.9])
top[0].text_input(t("搜索单位名称或描述", "Search enterprise or description", lang), key=_seed("search", cfg.search),
                  on_change=_sync, args=("search",), placeholder=t("例如：建筑、化工、消防通道", "e.g. 建筑, 化工", lang),
                  max_chars=100)
sorts = list(eq.SORT_SQL[kind])
top[1].selectbox(t("记录排序", "Sort records by", lang), sorts, key=_seed("record_sort", cfg.record_sort),
                 on_change=_sync, args=("record_sort",), format_func=lambda s: label(RECORD_SORT_LABELS, s, lang))
top[2].toggle(t("降序", "Descending", lang), key=_seed("record_descending", cfg.record_descending), on_change=_sync,
              args=("record_descending",))
size = top[3].selectbox(t("每页", "Per page", lang), PAGE_SIZES, index=1, key=f"ex_page_size_{lang}")

cell_key = tuple(sorted(cell_filter.items()))
probe, total = _page(db, kind, scope, cell_key, subset, cfg.search, cfg.record_sort, cfg.record_descending, 1, 0)
pages = max(1, -(-total // size))
ss["ex_page"] = min(max(1, int(ss.get("ex_page", 1))), pages)
where = t(" · ", " · ", lang).join(cell_words) if cell_words else t("全部", "all", lang)
head = st.columns([5, 1.2, 1])
head[0].markdown(t(f"**{where}**：共 {total:,} 条" + (f"，含“{cfg.search}”" if cfg.search else ""),
                   f"**{where}**: {total:,} records" + (f" matching '{cfg.search}'" if cfg.search else ""), lang))
if cfg.cell is not None and head[2].button(t("显示全部", "Show all", lang), key=f"ex_clear_cell_{lang}"):
    _set("cell", None)
    st.rerun()
if pages > 1:
    ss[_wkey("page")] = ss["ex_page"]
    head[1].number_input(t(f"页码（共 {pages} 页）", f"Page (of {pages})", lang), min_value=1, max_value=pages, step=1,
                         key=_wkey("page"), on_change=lambda: ss.__setitem__("ex_page", ss[_wkey("page")]))
page_no = ss["ex_page"]
records, total = _page(db, kind, scope, cell_key, subset, cfg.search, cfg.record_sort, cfg.record_descending, size,
                       (page_no - 1) * size)


def _records_shown(frame: pd.DataFrame, lang_: str) -> tuple[pd.DataFrame, list[dl.Column]]:
    """The records as shown (labels in ``lang_``, dates as dates, numbers as numbers) and their columns."""
    g = pv.ACCIDENT_GRADE_LABELS if kind == "accidents" else pv.HAZARD_GRADE_LABELS
    base = {
        "region_code": [region_label(c, lang_, full=True) for c in frame["region_code"]],
        "industry": [industry_label(c, lang_) for c in frame["industry"]],
        "grade": [label(g, x, lang_) if x in g else x for x in frame["grade"]],
    }
    if kind == "accidents":
        spec = [("accident_id", "事故编号", "Id", "text"), ("occurred_at", "发生时间", "Time", "datetime"),
                ("region_code", "地区", "Region", "text"), ("industry", "行业领域", "Industry", "text"),
                ("enterprise", "事故单位", "Enterprise", "text"), ("accident_type", "事故类型", "Type", "text"),
                ("grade", "事故等级", "Grade", "text"), ("deaths", "死亡人数", "Deaths", "int"),
                ("missing", "失踪人数", "Missing", "int"), ("serious_injuries", "重伤人数", "Serious injuries", "int"),
                ("injuries", "轻伤人数", "Minor injuries", "int"),
                ("direct_loss_wan", "直接经济损失（万元）", "Direct loss (10k yuan)", "float"),
                ("summary", "事故简况", "Summary", "text")]
    else:
        base["source"] = [label(pv.HAZARD_SOURCE_LABELS, x, lang_) if x in pv.HAZARD_SOURCE_LABELS else x
                          for x in frame["source"]]
        base["status"] = [label(STATUS_LABELS, x, lang_) for x in frame["status"]]
        base["supervision_level"] = [label(SUPERVISION_LABELS, x, lang_) for x in frame["supervision_level"]]
        spec = [("hazard_id", "隐患编号", "Id", "text"), ("found_date", "发现日期", "Found", "date"),
                ("region_code", "地区", "Region", "text"), ("industry", "行业领域", "Industry", "text"),
                ("enterprise", "企业名称", "Enterprise", "text"), ("category", "隐患类别", "Category", "text"),
                ("grade", "隐患等级", "Grade", "text"), ("source", "隐患来源", "Source", "text"),
                ("deadline", "整改期限", "Deadline", "date"), ("rectified_date", "整改日期", "Rectified", "date"),
                ("status", "状态", "Status", "text"), ("funds_wan", "治理资金（万元）", "Funds (10k yuan)", "float"),
                ("supervision_level", "挂牌督办", "Supervision", "text"), ("description", "隐患描述", "Description", "text")]
    out = pd.DataFrame({key: (base[key] if key in base else frame[key].tolist()) for key, *_ in spec})
    for key, *_rest, k in spec:
        if k in ("date", "datetime"):
            out[key] = pd.to_datetime(out[key])
    columns = [dl.Column(key, zh, en, k) for key, zh, en, k in spec]
    return out, columns


if records.empty:
    st.info(t("没有符合条件的记录。", "No records match.", lang))
else:
    table, columns = _records_shown(records, lang)
    heads = {c.key: (c.zh if lang == "zh" else c.en) for c in columns}
    config = {}
    for c in columns:
        if c.kind == "date":
            config[heads[c.key]] = st.column_config.DateColumn(format="YYYY-MM-DD")
        elif c.kind == "datetime":
            config[heads[c.key]] = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        elif c.kind == "float":
            config[heads[c.key]] = st.column_config.NumberColumn(format="%.2f")
    rec_event = st.dataframe(table.rename(columns=heads), hide_index=True, width="stretch", on_select="rerun",
                             selection_mode="single-row", column_config=config,
                             key=f"ex_records_{kind}_{page_no}_{abs(hash((cell_key, subset, cfg.search))) % 10**8}",
                             height=min(35 * (len(table) + 1) + 3, 640))
    first = (page_no - 1) * size + 1
    st.caption(t(f"第 {first:,}—{first + len(table) - 1:,} 条，共 {total:,} 条；点击一行查看完整记录。",
                 f"Records {first:,}–{first + len(table) - 1:,} of {total:,}; click a row for the full record.", lang))

    @st.dialog(t("完整记录", "Full record", lang), width="large")
    def _show(record_id: str) -> None:
        rec = eq.record(Store(db), kind, record_id)
        if rec is None:
            st.warning(t("记录已不存在（可能已被更新）。", "The record no longer exists (updated since?).", lang))
            return
        one = pd.DataFrame([rec])
        shown_one, cols_one = _records_shown(one, lang)
        names = {c.key: (c.zh if lang == "zh" else c.en) for c in cols_one} | {
            k: (zh if lang == "zh" else en) for k, (zh, en) in RECORD_EXTRA_LABELS.items()}
        rows = []
        for k, v in rec.items():
            if k in shown_one.columns:
                v = shown_one.iloc[0][k]
            if isinstance(v, bool | np.bool_):
                v = t("是", "yes", lang) if v else t("否", "no", lang)
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                v = "—"
            elif isinstance(v, pd.Timestamp | dt.datetime | dt.date):
                v = f"{pd.Timestamp(v):%Y-%m-%d %H:%M}" if k == "occurred_at" else f"{pd.Timestamp(v):%Y-%m-%d}"
            elif k == "grade_reported" and v in pv.ACCIDENT_GRADE_LABELS:
                v = label(pv.ACCIDENT_GRADE_LABELS, v, lang)
            rows.append((names.get(k, k), str(v)))
        st.table(pd.DataFrame(rows, columns=[t("项目", "Field", lang), t("内容", "Value", lang)]).set_index(
            t("项目", "Field", lang)))

    if rec_event and rec_event.selection.rows:
        _show(str(records.iloc[rec_event.selection.rows[0]][eq.ID_COLUMN[kind]]))

    def _records_export() -> dl.Export:
        everything = eq.all_records(Store(db), kind, scope, dict(cell_key), subset, cfg.search, cfg.record_sort,
                                    cfg.record_descending)
        frame, cols = _records_shown(everything, lang)
        extra = [t(f"数据：{label(pv.KIND_LABELS, kind, 'zh')}记录", f"data: {kind} records", lang)]
        if cell_words:
            extra.append(t("单元格：", "cell: ", lang) + " · ".join(cell_words))
        if cfg.search:
            extra.append(t(f"搜索：{cfg.search}", f"search: {cfg.search}", lang))
        extra.append(t(f"排序：{label(RECORD_SORT_LABELS, cfg.record_sort, 'zh')}{'降序' if cfg.record_descending else '升序'}",
                       f"sorted by {label(RECORD_SORT_LABELS, cfg.record_sort, 'en').lower()}, "
                       f"{'descending' if cfg.record_descending else 'ascending'}", lang))
        extra.append(t(f"共 {len(frame):,} 条", f"{len(frame):,} records", lang))
        return dl.Export(t("分析查询 · 记录", "Explorer · records", lang), _filters_text(extra), source_text, frame, cols,
                         lang, sheet=t("记录", "Records", lang))

    too_many = total > dl.MAX_XLSX_ROWS
    d1, d2, d3 = st.columns([1, 1, 6])
    d1.download_button(t(f"下载全部 {total:,} 条 CSV", f"All {total:,} as CSV", lang), lambda: dl.to_csv(_records_export()),
                       file_name=f"explorer_records_{kind}_{stamp}.csv", mime="text/csv", on_click="ignore",
                       key=f"ex_dl_records_csv_{lang}", icon=":material/download:")
    d2.download_button(t(f"下载全部 {total:,} 条 XLSX", f"All {total:,} as XLSX", lang),
                       lambda: dl.to_xlsx(_records_export()), file_name=f"explorer_records_{kind}_{stamp}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       key=f"ex_dl_records_xlsx_{lang}", icon=":material/download:", disabled=too_many)
    d3.caption(t("下载的是当前条件下的全部记录（不只本页），表头之上注明筛选条件、导出时间和数据来源。",
                 "Downloads hold every matching record (not just this page), with the filters, the time and the source "
                 "above the table.", lang)
               + (t(" 超过一个 XLSX 工作表的行数上限，请下载 CSV。", " Too many rows for one XLSX sheet: download CSV.", lang)
                  if too_many else ""))

# ---------------------------------------------------------------- two periods side by side
st.subheader(t("期间对比", "Period comparison", lang))
default_a, default_b = view.period.same_period_last_year(), view.period
pa_cols = st.columns([1, 1, 4])
help_text = t("2024（年）、2024-Q1（季度）、2024-03（月）或 2024-01..2024-06（月份区间）；留空为默认。",
              "2024 (a year), 2024-Q1 (a quarter), 2024-03 (a month) or 2024-01..2024-06 (months); empty: the default.",
              lang)
pa_cols[0].text_input(t("对比期 A（默认去年同期）", "Period A (default: same period last year)", lang),
                      key=_seed("period_a", cfg.period_a or default_a.code), on_change=_sync_period, args=("period_a",),
                      help=help_text)
pa_cols[1].text_input(t("对比期 B（默认侧栏期间）", "Period B (default: the sidebar's period)", lang),
                      key=_seed("period_b", cfg.period_b or default_b.code), on_change=_sync_period, args=("period_b",),
                      help=help_text)
if "ex_period_error" in ss:
    name, text, problem = ss.pop("ex_period_error")
    which = "A" if name == "period_a" else "B"
    st.warning(t(f"对比期 {which}“{text}”不可用（应为 2024、2024-Q1、2024-03 或 2024-01..2024-06，且已开始），仍用原期间。",
                 f"Period {which} '{text}': {problem}; keeping the previous period.", lang), icon="⚠️")
pa = Period.parse(cfg.period_a).cut_at(view.today) if cfg.period_a else default_a
pb = Period.parse(cfg.period_b).cut_at(view.today) if cfg.period_b else default_b
span = _span(db, kind, view.region)


def _covered(p: Period) -> bool:
    return span is not None and span[0] <= p.first_day <= span[1]


scope_a = replace(scope, first_day=pa.first_day, last_day=pa.last_day)
scope_b = replace(scope, first_day=pb.first_day, last_day=pb.last_day)
cells_a = _cells(db, kind, scope_a, cfg.rows, None) if _covered(pa) else None
cells_b = _cells(db, kind, scope_b, cfg.rows, None) if _covered(pb) else None
cmp_measures = pivot.measures
cmp = pv.compare_periods(cells_a, cells_b, kind, cfg.rows, cmp_measures, cfg.sort, cfg.descending)
pa_cols[2].markdown(t(f"**A：{pa.label('zh')}　对比　B：{pb.label('zh')}**",
                      f"**A: {pa.label('en')}  vs  B: {pb.label('en')}**", lang))
for p, which in ((pa, "A"), (pb, "B")):
    if not _covered(p):
        first = f"{span[0]:%Y-%m-%d}" if span else "—"
        st.caption(t(f"对比期 {which} 不在台账覆盖的时间内（记录起于 {first}）：数据不足，不按零计。",
                     f"Period {which} is outside the records (they begin {first}): insufficient data, not zero.", lang))


def _pct_text(row: pd.Series, m: str) -> str:
    c = pv.comparison_of(row, m)
    if pv.is_rate(m):
        return "—" if c.change is None else f"{c.change * 100:+.1f}" + t("个百分点", " pts", lang)
    return fmt_change_pct(c, lang)


if len(cmp) <= 1 and cells_a is None and cells_b is None:
    st.info(t("两个对比期都没有数据。", "Neither period has data.", lang))
else:
    cmp_table = pd.DataFrame({row_header: [_vlabel(cfg.rows, k) for k in cmp.index]})
    cmp_styles = pd.DataFrame({row_header: [""] * len(cmp)})
    cmp_columns = [dl.Column(row_header, label(pv.DIMENSION_LABELS, cfg.rows, "zh"),
                             label(pv.DIMENSION_LABELS, cfg.rows, "en"), "text")]
    for m in cmp_measures:
        ml = mlabel(m)
        vk = "pct" if pv.is_rate(m) else ("float" if m in pv.KNOWN else "int")
        for suffix, zh, en in (("a", "A", "A"), ("b", "B", "B")):
            name = f"{ml} · {zh}"
            cmp_table[name] = cmp[f"{m}_{suffix}"].astype("float64").to_numpy()
            cmp_styles[name] = ""
            cmp_columns.append(dl.Column(name, f"{pv.measure_label(m, kind, 'zh')} · {zh}",
                                         f"{pv.measure_label(m, kind, 'en')} · {en}", vk))
        ch, pc = f"{ml} · " + t("变化", "change", lang), f"{ml} · " + t("变化率", "change %", lang)
        cmp_table[ch] = cmp[f"{m}_change"].astype("float64").to_numpy()
        cmp_table[pc] = [_pct_text(row, m) for _, row in cmp.iterrows()]
        colours_ = [pv.change_colour(s, m, kind) for s in cmp[f"{m}_state"]]
        cmp_styles[ch] = [f"color: {c}; font-weight: 600" if c else "" for c in colours_]
        cmp_styles[pc] = cmp_styles[ch]
        cmp_columns.append(dl.Column(ch, f"{pv.measure_label(m, kind, 'zh')} · 变化", f"{pv.measure_label(m, kind, 'en')} · change",
                                     vk if vk != "int" else "int"))
        cmp_columns.append(dl.Column(pc, f"{pv.measure_label(m, kind, 'zh')} · 变化率",
                                     f"{pv.measure_label(m, kind, 'en')} · change %", "text"))
    cmp_styles.iloc[-1] = [s + "; font-weight: bold" if s else "font-weight: bold" for s in cmp_styles.iloc[-1]]
    fmts = {}
    for col in cmp_columns[1:]:
        if col.kind == "text":
            continue
        m = next(x for x in cmp_measures if col.key.startswith(mlabel(x) + " · "))
        f = _fmt(m)
        if col.key.endswith(t("变化", "change", lang)):
            if pv.is_rate(m):
                fmts[col.key] = lambda x: "—" if pd.isna(x) else f"{x * 100:+.1f}" + t("个百分点", " pts", lang)
            else:
                fmts[col.key] = (lambda g: lambda x: "—" if pd.isna(x) else ("+" if x > 0 else "") + g(x))(f)
        else:
            fmts[col.key] = f
    st.dataframe(cmp_table.style.apply(lambda _: cmp_styles, axis=None).format(fmts), hide_index=True,
                 width="stretch", key=f"ex_compare_{lang}", height=min(600, 35 * (len(cmp_table) + 1) + 3))
    st.caption(t("变化 = B − A；从零增加记为“新增”。颜色按含义：事故、死亡、超期等减少为绿、增加为红；整改率等提高为绿。",
                 "Change = B − A; a rise from zero is 'new'. Colour by meaning: fewer accidents, deaths or overdue "
                 "hazards is green, more is red; a higher rate is green.", lang))

    def _compare_export() -> dl.Export:
        extra = [t(f"对比：A {pa.label('zh')}，B {pb.label('zh')}", f"comparing A {pa.label('en')} with B {pb.label('en')}",
                   lang), *_pivot_extra()[:1]]
        return dl.Export(t("分析查询 · 期间对比", "Explorer · period comparison", lang), _filters_text(extra),
                         source_text, cmp_table, cmp_columns, lang, sheet=t("期间对比", "Comparison", lang))

    e1, e2, _ = st.columns([1, 1, 6])
    e1.download_button(t("下载对比 CSV", "Comparison as CSV", lang), lambda: dl.to_csv(_compare_export()),
                       file_name=f"explorer_compare_{kind}_{pa.code.replace('..', '_')}_{pb.code.replace('..', '_')}.csv",
                       mime="text/csv", on_click="ignore", key=f"ex_dl_cmp_csv_{lang}", icon=":material/download:")
    e2.download_button(t("下载对比 XLSX", "Comparison as XLSX", lang), lambda: dl.to_xlsx(_compare_export()),
                       file_name=f"explorer_compare_{kind}_{pa.code.replace('..', '_')}_{pb.code.replace('..', '_')}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       key=f"ex_dl_cmp_xlsx_{lang}", icon=":material/download:")

# ---------------------------------------------------------------- the link: the sidebar's parameters and ours
for k in PARAMS:
    if k in st.query_params:
        del st.query_params[k]
for k, v in ss["ex_cfg"].to_query().items():
    st.query_params[k] = v
