"""Explorer (分析查询): a pivot of accident or hazard records under the sidebar's filters, the records
behind any cell (searched, sorted and paged in the store), a record in full, two periods side by side,
and downloads of exactly what is shown. The pivot's configuration is in the URL (``ex_*``, see
links/explorer.py) beside the sidebar's filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from analytics import pivot as pv
from charts.theme import change_colour
from domain.industries import industry_label
from domain.periods import Period
from domain.regions import region_label
from exports import downloads as dl
from i18n import GRADE_GROUP_LABELS, label, md_text, t
from links.explorer import PARAMS, ExplorerConfig, parse_explorer_query, period_problem
from reports import explorer_tables as xt
from store import Store
from store import explore_queries as eq
from webapp.state import TTL_S, current_view, db_key

view = current_view()
lang = view.lang
ss = st.session_state
PAGE_SIZES = (20, 50, 100)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORT_LABELS = {"natural": ("自然顺序", "Natural order"), "total": ("合计", "Total")}
RECORD_SORT_LABELS = {
    "occurred_at": ("发生时间", "Time"), "found_date": ("发现日期", "Found"), "deaths": ("死亡人数", "Deaths"),
    "direct_loss_wan": ("直接经济损失", "Direct loss"), "injuries": ("受伤人数", "Injuries"),
    "region_code": ("地区", "Region"), "industry": ("行业", "Industry"), "enterprise": ("单位", "Enterprise"),
    "grade": ("等级", "Grade"), "deadline": ("整改期限", "Deadline"), "rectified_date": ("整改日期", "Rectified"),
    "funds_wan": ("治理资金", "Funds"),
}
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


# ---------------------------------------------------------------- cached queries (keyed by the store's path)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _cells(db: str, kind: str, scope: eq.Scope, rows: str, cols: str | None) -> pd.DataFrame:
    return eq.pivot_cells(Store.of(db), kind, scope, rows, cols)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _page(db: str, kind: str, scope: eq.Scope, cell: tuple[tuple[str, str], ...], subset: str | None, search: str,
          sort: str, descending: bool, limit: int, offset: int) -> tuple[pd.DataFrame, int]:
    return eq.records_page(Store.of(db), kind, scope, dict(cell), subset, search, sort, descending, limit, offset)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _statistics_only(db: str, kind: str, region: str) -> list[str]:
    return eq.statistics_only_regions(Store.of(db), kind, region)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _span(db: str, kind: str, region: str) -> tuple[dt.date, dt.date] | None:
    return eq.records_span(Store.of(db), kind, region)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _source(db: str, kind: str) -> tuple[str, str]:
    """The data source for a download's header block, in both languages."""
    last = eq.last_import(Store.of(db), kind)
    name = Store.of(db).path.name
    what = ("事故台账（逐起记录）", "accident records") if kind == "accidents" else ("隐患台账（逐项记录）", "hazard records")
    if last is None:
        return f"{what[0]}；数据库 {name}", f"{what[1]}; store {name}"
    when = f"{pd.Timestamp(last['imported_at']):%Y-%m-%d %H:%M}"
    return (f"{what[0]}；数据库 {name}；最近导入：{last['file_name']}（{when}）",
            f"{what[1]}; store {name}; latest import: {last['file_name']} ({when})")


# ---------------------------------------------------------------- the configuration: URL → state → widgets


def _config() -> ExplorerConfig:
    """The Explorer's configuration of this session, read once from the link that opened it (the entry
    point keeps the session's first query: the sidebar rewrites the URL with its own filters)."""
    if "ex_cfg" not in ss:
        params = ss.get("query_at_start") or st.query_params.to_dict()
        cfg_, notices = parse_explorer_query(params, view.today)
        ss["ex_cfg"] = cfg_
        ss["ex_notices"] = notices
        ss["ex_page"] = 1
    return ss["ex_cfg"]


def _set(name: str, value: object) -> None:
    before = ss["ex_cfg"]
    after = before.update(name, value)
    ss["ex_cfg"] = after
    same = ("kind", "rows", "cols", "measures", "cell", "search", "record_sort", "record_descending")
    if any(getattr(after, n) != getattr(before, n) for n in same):
        ss["ex_page"] = 1  # another list of records starts at its first page


def _wkey(name: str) -> str:
    return f"exw_{name}_{lang}"


def _sync(name: str) -> None:
    """on_change: the widget's value becomes the configuration's (checked by ExplorerConfig.update)."""
    _set(name, ss.get(_wkey(name)))


def _seed(name: str, value: object) -> str:
    """Show the configuration's ``value`` in the widget of ``name``. Widgets are keyed by language, like
    the sidebar's: a widget whose labels change would come back with a label or a reset value."""
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


def _display(frame: pd.DataFrame, formats: dict) -> pd.DataFrame:
    """A column with an unknown value is shown as text with "—" (the grid would print "None"); the
    others stay numbers (formatted by the Styler, sortable in the grid)."""
    out = frame.copy()
    for col, f in formats.items():
        if col in out.columns and pd.api.types.is_numeric_dtype(out[col]) and out[col].isna().any():
            out[col] = [f(x) for x in out[col]]
    return out


def _styled(frame: pd.DataFrame, styles: pd.DataFrame, formats: dict):
    """The table as shown: colours, number formats, "—" for unknown values (right-aligned like numbers)."""
    shown_ = _display(frame, formats)
    css = styles.copy()
    for col in shown_.columns[1:]:
        if not pd.api.types.is_numeric_dtype(shown_[col]):
            css[col] = [f"{x}; text-align: right" if x else "text-align: right" for x in css[col]]
    numeric = {k: f for k, f in formats.items() if k in shown_.columns and pd.api.types.is_numeric_dtype(shown_[k])}
    return shown_.style.apply(lambda _: css, axis=None).format(numeric)


def _download(col, what: str, name: str, make_export, key: str, disabled: bool = False) -> None:
    """CSV and XLSX buttons; the file is made when clicked (the time in its header is the click's)."""
    from accounts import may
    from webapp.session import audited, current_account  # each download goes into the audit trail

    if not may(current_account(), "download_records"):
        return
    a, b = col
    a.download_button(t(f"{what} CSV", f"{what} CSV", lang), audited(lambda: dl.to_csv(make_export()), "explorer",
                                                                     f"{name}.csv"), file_name=f"{name}.csv",
                      mime="text/csv", on_click="ignore", key=f"{key}_csv_{lang}", icon=":material/download:")
    b.download_button(t(f"{what} XLSX", f"{what} XLSX", lang), audited(lambda: dl.to_xlsx(make_export()), "explorer",
                                                                       f"{name}.xlsx"),
                      file_name=f"{name}.xlsx", mime=XLSX_MIME, on_click="ignore", key=f"{key}_xlsx_{lang}",
                      icon=":material/download:", disabled=disabled)


cfg = _config()
kind = cfg.kind
scope = eq.Scope(view.region, view.period.first_day, view.period.last_day, view.industries, view.filters.grade)
db = db_key()
if ss.get("ex_scope", scope) != scope and cfg.cell is not None:  # other sidebar filters: another table, no cell
    _set("cell", None)
    cfg = ss["ex_cfg"]
ss["ex_scope"] = scope
mlabel = lambda m: pv.measure_label(m, kind, lang)  # noqa: E731
vlabel = lambda dim, value: pv.value_label(kind, dim, value, lang, view.region)  # noqa: E731

st.title(t("分析查询", "Explorer", lang))
industries_text = t("、", ", ", lang).join(industry_label(c, lang) for c in view.filters.industries) or \
    t("全部行业", "All industries", lang)
st.caption(f"{region_label(view.region, lang, full=True)} · {view.period.label(lang)} · {industries_text} · "
           f"{label(GRADE_GROUP_LABELS, view.filters.grade, lang)}")
for notice in ss.pop("ex_notices", []):
    st.warning(md_text(notice.text(lang)), icon=":material/warning:")

# ---- the controls
c_kind, c_rows, c_cols, c_sort, c_desc, _ = st.columns([1.2, 1.3, 1.3, 1.3, 1.0, 2.4], vertical_alignment="bottom")
c_kind.segmented_control(t("数据", "Data", lang), pv.KINDS, key=_seed("kind", kind), on_change=_sync, args=("kind",),
                         format_func=lambda k: label(pv.KIND_LABELS, k, lang), required=True)
dims = pv.DIMENSIONS[kind]
c_rows.selectbox(t("行", "Rows", lang), dims, key=_seed("rows", cfg.rows), on_change=_sync, args=("rows",),
                 format_func=lambda d: label(pv.DIMENSION_LABELS, d, lang))
c_cols.selectbox(t("列", "Columns", lang), [pv.MEASURES_COLUMNS, *(d for d in dims if d != cfg.rows)],
                 key=_seed("cols", cfg.cols), on_change=_sync, args=("cols",),
                 format_func=lambda d: label(pv.DIMENSION_LABELS, d, lang))
by_measures = cfg.cols == pv.MEASURES_COLUMNS
sort_options = ["natural", *cfg.measures] if by_measures else ["natural", "total"]
sort_value = cfg.sort if cfg.sort in sort_options else ("natural" if cfg.sort == "natural" else sort_options[1])
c_sort.selectbox(t("排序", "Sort by", lang), sort_options, key=_seed("sort", sort_value), on_change=_sync,
                 args=("sort",), format_func=lambda s: label(SORT_LABELS, s, lang) if s in SORT_LABELS else mlabel(s))
c_desc.toggle(t("降序", "Descending", lang), key=_seed("descending", cfg.descending), on_change=_sync,
              args=("descending",))
c_measure, _ = st.columns([5, 3])
if by_measures:
    c_measure.multiselect(t("指标", "Measures", lang), pv.MEASURES[kind], key=_seed("measures", list(cfg.measures)),
                          on_change=_sync, args=("measures",), format_func=mlabel)
else:
    c_measure.selectbox(t("指标", "Measure", lang), pv.MEASURES[kind], key=_seed("measure", cfg.measures[0]),
                        on_change=_sync, args=("measure",), format_func=mlabel)

notes = [t("事故记录没有“来源”字段：来源维度只用于隐患。死亡人数含失踪。",
           "Accident records have no source field: the source dimension is for hazards. Deaths include the missing.",
           lang) if kind == "accidents" else
         t("本期发现的隐患截至期末的情况（整改率 = 期末前已整改 ÷ 本期发现；验收不通过算未整改）。事故等级筛选不适用于隐患。",
           "Hazards found in the period as they stand at its end (rectification rate = rectified by the end ÷ found; a "
           "failed acceptance is not rectified). The accident-grade filter does not apply to hazards.", lang)]
stats_only = _statistics_only(db, kind, view.region)
if stats_only:
    notes.append(t("只报送统计报表的地区没有逐条记录，不在表中：", "Regions that send statistics only have no records and are not "
                   "in the table: ", lang) + t("、", ", ", lang).join(region_label(c, lang) for c in stats_only))

# ---- the pivot
with st.spinner(t("正在计算…", "Computing…", lang)):
    cells = _cells(db, kind, scope, cfg.rows, None if by_measures else cfg.cols)
pivot = pv.build_pivot(cells, kind, cfg.rows, cfg.cols, cfg.measures, cfg.sort, cfg.descending)
ptable = xt.pivot_table(pivot, lang, view.region)
pformats = {name: xt.fmt_value(m) for name, m in ptable.measure_of.items()}
pstyles = pv.colours(pivot)
pstyles.columns = list(ptable.frame.columns[1:])
pstyles.insert(0, ptable.row_header, "")
pstyles = pstyles.reset_index(drop=True)
pstyles.iloc[-1] = "font-weight: bold"

if pivot.row_keys:
    # A new table (other rows, columns, measures, filters) starts with nothing selected.
    pkey = f"ex_pivot_{abs(hash((kind, cfg.rows, cfg.cols, cfg.measures, scope, lang))) % 10**10}"
    if cfg.cell is not None and pkey not in ss:  # a cell from the link: shown selected
        r, c = cfg.cell
        name_of = {k: n for n, k in ptable.key_of.items()}
        if r in ptable.row_keys and c in name_of:
            ss[pkey] = {"selection": {"rows": [], "columns": [], "cells": [[ptable.row_keys.index(r), name_of[c]]]}}
    event = st.dataframe(_styled(ptable.frame, pstyles, pformats), hide_index=True, width="stretch", key=pkey,
                         on_select="rerun", selection_mode="single-cell",
                         height=min(1300, 35 * (len(ptable.frame) + 1) + 3))
    picked = [tuple(x) for x in (event.selection.cells if event else [])]
    if ss.setdefault("ex_last_pick", {}).get(pkey) != picked:  # a click (or a click away) on this table
        ss["ex_last_pick"][pkey] = picked
        cell = None
        if picked:
            pos, name = picked[0]
            cell = (ptable.row_keys[int(pos)], ptable.key_of.get(str(name), pv.TOTAL))
        if cell != cfg.cell:
            _set("cell", cell)
            cfg = ss["ex_cfg"]
    st.caption(t("点击一个单元格（或行名、合计）列出它背后的记录。颜色按含义：红色越深越差（如死亡人数）；整改率等比率高为绿、低为红；"
                 "隐患数、资金等中性指标为灰。",
                 "Click a cell (or a row's name, or a total) to list the records behind it. Colour by meaning: deeper red "
                 "is worse (deaths …); a rate is green when high and red when low; neutral measures (hazards found, "
                 "funds) are grey.", lang))
else:
    st.info(t("所选条件下没有记录。", "No records match the filters.", lang))
for n in notes:
    st.caption(n)

source_zh, source_en = _source(db, kind)
source_text = source_zh if lang == "zh" else source_en
stamp = f"{kind}_{view.period.code.replace('..', '_')}_{view.region}"
what_cols = t("指标", "measures", lang) if by_measures else label(pv.DIMENSION_LABELS, cfg.cols, lang)
pivot_words = [t(f"数据：{label(pv.KIND_LABELS, kind, 'zh')}", f"data: {label(pv.KIND_LABELS, kind, 'en').lower()}", lang),
               t(f"行：{ptable.row_header}；列：{what_cols}", f"rows: {ptable.row_header}; columns: {what_cols}", lang),
               t("指标：", "measures: ", lang) + t("、", ", ", lang).join(mlabel(m) for m in pivot.measures)]


def _filters_text(extra: list[str]) -> str:
    return xt.filters_text(lang, view.period, view.region, view.filters.industries, view.filters.grade, kind, extra)


if pivot.row_keys:
    _download(st.columns([1.3, 1.3, 5])[:2], t("下载透视表", "Pivot as", lang), f"explorer_pivot_{stamp}",
              lambda: xt.export(t("分析查询 · 透视表", "Explorer · pivot", lang), _filters_text(pivot_words), source_text,
                                ptable, lang, t("透视表", "Pivot", lang)), "ex_dl_pivot")

# ---------------------------------------------------------------- the records behind a cell
st.subheader(t("记录", "Records", lang))
cell_filter: dict[str, str] = {}
subset = None
cell_words: list[str] = []
cell_measure = None
if cfg.cell is not None and pivot.row_keys:
    r, c = cfg.cell
    valid_cols = [*pivot.values.columns, *([pv.TOTAL] if by_measures else [])]
    if r in pivot.values.index and c in valid_cols:
        cell_filter = pivot.cell_filter(r, c)
        cell_measure = None if (by_measures and c == pv.TOTAL) else pivot.measure_of(c)
        subset = cell_measure if cell_measure in eq.SUBSET_SQL[kind] else None
        if r != pv.TOTAL:
            cell_words.append(vlabel(cfg.rows, r))
        if not by_measures and c != pv.TOTAL:
            cell_words.append(vlabel(cfg.cols, c))
        if subset:
            cell_words.append(label(pv.HAZARD_GRADE_LABELS, "major", lang) if pv.is_rate(subset) else mlabel(subset))
    else:
        st.info(t("链接或上次点击的单元格不在当前透视表中，列出全部记录。",
                  "The cell from the link or the last click is not in this pivot: listing all records.", lang))
        _set("cell", None)
        cfg = ss["ex_cfg"]

top = st.columns([3, 1.4, 0.9, 0.9], vertical_alignment="bottom")
top[0].text_input(t("搜索单位名称或描述", "Search enterprise or description", lang), key=_seed("search", cfg.search),
                  on_change=_sync, args=("search",), placeholder=t("例如：建筑、化工、消防通道", "e.g. 建筑, 化工", lang),
                  max_chars=100)
top[1].selectbox(t("记录排序", "Sort records by", lang), list(eq.SORT_SQL[kind]), key=_seed("record_sort", cfg.record_sort),
                 on_change=_sync, args=("record_sort",), format_func=lambda s: label(RECORD_SORT_LABELS, s, lang))
top[2].toggle(t("降序", "Descending", lang), key=_seed("record_descending", cfg.record_descending), on_change=_sync,
              args=("record_descending",))
size = top[3].selectbox(t("每页", "Per page", lang), PAGE_SIZES, index=1, key=f"ex_page_size_{lang}")

cell_key = tuple(sorted(cell_filter.items()))
_, total = _page(db, kind, scope, cell_key, subset, cfg.search, cfg.record_sort, cfg.record_descending, 1, 0)
pages = max(1, -(-total // size))
ss["ex_page"] = min(max(1, int(ss.get("ex_page", 1))), pages)
where = " · ".join(cell_words) if cell_words else t("全部", "all", lang)
cell_value = ""
if cell_measure is not None and cell_measure != "count" and (cell_measure not in eq.SUBSET_SQL[kind]
                                                             or pv.is_rate(cell_measure)):
    v = xt.fmt_value(cell_measure)(pivot.values.at[cfg.cell[0], cfg.cell[1]])  # type: ignore[index]
    cell_value = t(f"（单元格的{mlabel(cell_measure)}为 {v}，来自以下记录）",
                   f" (the cell's {mlabel(cell_measure).lower()}: {v}, from these records)", lang)
head = st.columns([5, 1.2, 1], vertical_alignment="bottom")
head[0].markdown(t(f"**{where}**：共 {total:,} 条" + (f"，含“{md_text(cfg.search)}”" if cfg.search else "") + cell_value,
                   f"**{where}**: {total:,} records" + (f" matching '{md_text(cfg.search)}'" if cfg.search else "") + cell_value,
                   lang))
if cfg.cell is not None and head[2].button(t("显示全部", "Show all", lang), key=f"ex_clear_cell_{lang}"):
    _set("cell", None)
    st.rerun()
if pages > 1:
    ss[_wkey("page")] = ss["ex_page"]
    head[1].number_input(t(f"页码（共 {pages:,} 页）", f"Page (of {pages:,})", lang), min_value=1, max_value=pages,
                         step=1, key=_wkey("page"), on_change=lambda: ss.__setitem__("ex_page", ss[_wkey("page")]))
page_no = ss["ex_page"]
records, total = _page(db, kind, scope, cell_key, subset, cfg.search, cfg.record_sort, cfg.record_descending, size,
                       (page_no - 1) * size)

if records.empty:
    st.info(t("没有符合条件的记录。", "No records match.", lang))
else:
    rtable = xt.records_table(kind, records, lang)
    shown = rtable.frame.copy()
    text_cols = [c.key for c in rtable.columns if c.kind == "text"]
    shown[text_cols] = shown[text_cols].where(shown[text_cols].notna(), "—")
    config = {}
    for c in rtable.columns:
        if c.kind == "date":
            config[c.key] = st.column_config.DateColumn(format="YYYY-MM-DD")
        elif c.kind == "datetime":
            config[c.key] = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        elif c.kind == "float":
            config[c.key] = st.column_config.NumberColumn(format="%.2f")
    rec_event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                             column_config=config, height=min(35 * (len(shown) + 1) + 3, 640),
                             key=f"ex_records_{kind}_{page_no}_{abs(hash((cell_key, subset, cfg.search, lang))) % 10**8}")
    first = (page_no - 1) * size + 1
    st.caption(t(f"第 {first:,}—{first + len(shown) - 1:,} 条，共 {total:,} 条；点击一行查看完整记录。",
                 f"Records {first:,}–{first + len(shown) - 1:,} of {total:,}; click a row for the full record.", lang))

    @st.dialog(t("完整记录", "Full record", lang), width="large")
    def _show(record_id: str) -> None:
        rec = eq.record(Store.of(db), kind, record_id)
        if rec is None:
            st.warning(t("记录已不存在（可能已被更新）。", "The record no longer exists (updated since?).", lang))
            return
        one = xt.records_table(kind, pd.DataFrame([rec]), lang)
        shown_one = {c.key: one.frame.iloc[0][c.key] for c in one.columns}
        key_head = {key: head for (key, *_), head in zip(xt.RECORD_SPEC[kind], one.frame.columns, strict=True)}
        rows = []
        for k, v in rec.items():
            name = key_head.get(k) or (label(RECORD_EXTRA_LABELS, k, lang) if k in RECORD_EXTRA_LABELS else k)
            if k in key_head:
                v = shown_one[key_head[k]]
            if isinstance(v, bool | np.bool_):
                v = t("是", "yes", lang) if v else t("否", "no", lang)
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                v = "—"
            elif isinstance(v, pd.Timestamp | dt.datetime | dt.date):
                v = f"{pd.Timestamp(v):%Y-%m-%d %H:%M}" if k == "occurred_at" else f"{pd.Timestamp(v):%Y-%m-%d}"
            elif k == "grade_reported" and v in pv.ACCIDENT_GRADE_LABELS:
                v = label(pv.ACCIDENT_GRADE_LABELS, v, lang)
            rows.append((name, md_text(v)))  # st.table draws Markdown: an imported text is shown as text
        st.table(pd.DataFrame(rows, columns=[t("项目", "Field", lang), t("内容", "Value", lang)]).set_index(
            t("项目", "Field", lang)))

    if rec_event and rec_event.selection.rows:
        _show(str(records.iloc[rec_event.selection.rows[0]][eq.ID_COLUMN[kind]]))

    def _records_export() -> dl.Export:
        everything = eq.all_records(Store.of(db), kind, scope, dict(cell_key), subset, cfg.search, cfg.record_sort,
                                    cfg.record_descending)
        table = xt.records_table(kind, everything, lang)
        extra = [t(f"数据：{label(pv.KIND_LABELS, kind, 'zh')}记录", f"data: {kind} records", lang)]
        if cell_words:
            extra.append(t("单元格：", "cell: ", lang) + " · ".join(cell_words))
        if cfg.search:
            extra.append(t(f"搜索：{cfg.search}", f"search: {cfg.search}", lang))
        extra.append(t(f"排序：{label(RECORD_SORT_LABELS, cfg.record_sort, 'zh')}{'降序' if cfg.record_descending else '升序'}",
                       f"sorted by {label(RECORD_SORT_LABELS, cfg.record_sort, 'en').lower()}, "
                       f"{'descending' if cfg.record_descending else 'ascending'}", lang))
        extra.append(t(f"共 {len(everything):,} 条", f"{len(everything):,} records", lang))
        return xt.export(t("分析查询 · 记录", "Explorer · records", lang), _filters_text(extra), source_text, table, lang,
                         t("记录", "Records", lang))

    too_many = total > dl.MAX_XLSX_ROWS
    d1, d2, d3 = st.columns([1.3, 1.3, 5])
    _download((d1, d2), t(f"下载全部 {total:,} 条", f"All {total:,} as", lang), f"explorer_records_{stamp}",
              _records_export, "ex_dl_records", disabled=too_many)
    d3.caption(t("下载的是当前条件下的全部记录（不只本页），表头之上注明筛选条件、导出时间和数据来源。",
                 "Downloads hold every matching record (not just this page), with the filters, the time and the source "
                 "above the table.", lang)
               + (t(" 超过一个 XLSX 工作表的行数上限，请下载 CSV。", " Too many rows for one XLSX sheet: download CSV.", lang)
                  if too_many else ""))

# ---------------------------------------------------------------- two periods side by side
st.subheader(t("期间对比", "Period comparison", lang))
default_a, default_b = view.period.same_period_last_year(), view.period
pcols = st.columns([1, 1, 4], vertical_alignment="bottom")
help_text = t("2024（年）、2024-Q1（季度）、2024-03（月）或 2024-01..2024-06（月份区间）；留空为默认。",
              "2024 (a year), 2024-Q1 (a quarter), 2024-03 (a month) or 2024-01..2024-06 (months); empty: the default.",
              lang)
pcols[0].text_input(t("对比期 A（默认去年同期）", "Period A (default: last year)", lang),
                    key=_seed("period_a", cfg.period_a or default_a.code), on_change=_sync_period, args=("period_a",),
                    help=help_text)
pcols[1].text_input(t("对比期 B（默认侧栏期间）", "Period B (default: the sidebar's)", lang),
                    key=_seed("period_b", cfg.period_b or default_b.code), on_change=_sync_period, args=("period_b",),
                    help=help_text)
if "ex_period_error" in ss:
    name, text, problem = ss.pop("ex_period_error")
    which = "A" if name == "period_a" else "B"
    st.warning(t(f"对比期 {which}“{md_text(text)}”不可用（应为 2024、2024-Q1、2024-03 或 2024-01..2024-06，且已开始），仍用原期间。",
                 f"Period {which} '{md_text(text)}': {md_text(problem)}; keeping the previous period.", lang),
               icon=":material/warning:")
pa = Period.parse(cfg.period_a).cut_at(view.today) if cfg.period_a else default_a
pb = Period.parse(cfg.period_b).cut_at(view.today) if cfg.period_b else default_b
pcols[2].markdown(t(f"**A：{pa.label('zh')}　对比　B：{pb.label('zh')}**", f"**A: {pa.label('en')}  vs  B: {pb.label('en')}**",
                    lang))
span = _span(db, kind, view.region)


def _covered(p: Period) -> bool:
    """The records cover the period's start (before they begin, or after they end, it has no data: not zero)."""
    return span is not None and span[0] <= p.first_day <= span[1]


cells_a = _cells(db, kind, replace(scope, first_day=pa.first_day, last_day=pa.last_day), cfg.rows, None) \
    if _covered(pa) else None
cells_b = _cells(db, kind, replace(scope, first_day=pb.first_day, last_day=pb.last_day), cfg.rows, None) \
    if _covered(pb) else None
align = None
if cfg.rows in ("month", "year"):  # two periods have different months: pair them by position
    align = (pv.time_keys(cfg.rows, pa.start, pa.end), pv.time_keys(cfg.rows, pb.start, pb.end))
cmp = pv.compare_periods(cells_a, cells_b, kind, cfg.rows, pivot.measures, cfg.sort, cfg.descending, align)
for p, which in ((pa, "A"), (pb, "B")):
    if not _covered(p):
        first = f"{span[0]:%Y-%m-%d}" if span else "—"
        st.caption(t(f"对比期 {which} 不在台账覆盖的时间内（记录起于 {first}）：数据不足，不按零计。",
                     f"Period {which} is outside the records (they begin {first}): insufficient data, not zero.", lang))

if cells_a is None and cells_b is None:
    st.info(t("两个对比期都没有数据。", "Neither period has data.", lang))
else:
    ctable = xt.comparison_table(cmp, kind, cfg.rows, pivot.measures, lang, view.region, aligned=align is not None)
    cformats: dict[str, object] = {}
    cstyles = pd.DataFrame("", index=range(len(ctable.frame)), columns=ctable.frame.columns)
    for name, m in ctable.measure_of.items():
        role = ctable.role_of[name]
        if role in ("a", "b"):
            cformats[name] = xt.fmt_value(m)
        elif role == "change":
            cformats[name] = (lambda x: "—" if pd.isna(x) else f"{x:+.1f}") if pv.is_rate(m) else \
                (lambda g: lambda x: "—" if pd.isna(x) else ("+" if x > 0 else "") + g(x))(xt.fmt_value(m))
        if role in ("change", "pct"):
            colours = [change_colour(s, m, kind) for s in cmp[f"{m}_state"]]
            cstyles[name] = [f"color: {c}; font-weight: 600" if c else "" for c in colours]
    cstyles.iloc[-1] = [f"{s}; font-weight: bold" if s else "font-weight: bold" for s in cstyles.iloc[-1]]
    st.dataframe(_styled(ctable.frame, cstyles, cformats), hide_index=True, width="stretch",
                 key=f"ex_compare_{lang}", height=min(1300, 35 * (len(ctable.frame) + 1) + 3))
    st.caption(t("变化 = B − A；从零增加记为“新增”；按月或按年时两期按顺序对应（第一个月对第一个月）。颜色按含义：事故、死亡、超期等减少为绿、"
                 "增加为红；整改率等提高为绿。",
                 "Change = B − A; a rise from zero is 'new'; by month or year the periods are paired in order (first "
                 "month with first month). Colour by meaning: fewer accidents, deaths or overdue hazards is green, more "
                 "is red; a higher rate is green.", lang))
    _download(st.columns([1.3, 1.3, 5])[:2], t("下载对比", "Comparison as", lang),
              f"explorer_compare_{kind}_{pa.code.replace('..', '_')}_vs_{pb.code.replace('..', '_')}_{view.region}",
              lambda: xt.export(t("分析查询 · 期间对比", "Explorer · period comparison", lang),
                                _filters_text([t(f"对比：A {pa.label('zh')}，B {pb.label('zh')}",
                                                 f"comparing A {pa.label('en')} with B {pb.label('en')}", lang),
                                               pivot_words[0],
                                               t(f"行：{ptable.row_header}", f"rows: {ptable.row_header}", lang)]),
                                source_text, ctable, lang, t("期间对比", "Comparison", lang)), "ex_dl_compare")

# ---------------------------------------------------------------- the link: the sidebar's parameters and ours
for k in PARAMS:
    if k in st.query_params:
        del st.query_params[k]
for k, v in ss["ex_cfg"].to_query().items():
    st.query_params[k] = v
