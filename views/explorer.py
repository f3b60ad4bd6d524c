"""Explorer (分析查询): a pivot of accident or hazard records under the sidebar's filters, the records
behind any cell (searched, sorted and paged in the store), a record in full, two periods side by side,
and downloads of exactly what is shown. The pivot's configuration is in the URL (``ex_*``, see
links/explorer.py) beside the sidebar's filters."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analytics import pivot as pv
from answers import explorer as ax
from exports import downloads as dl
from i18n import label, md_text, t
from links.explorer import PARAMS
from reports import explorer_tables as xt
from reports import explorer_view as xv
from webapp import explorer_state as ex
from webapp import state
from webapp.state import current_view, db_key
from webapp.widgets import column_formats, download_buttons

view = current_view()
lang = view.lang
ss = st.session_state
PAGE_SIZES = (20, 50, 100)


def _widget(draw, name: str, title: str, *options, value: object, **kwargs):
    return ex.widget(draw, name, title, *options, value=value, lang=lang, **kwargs)


def _download(cols, what: str, name: str, make_export, key: str, disabled: bool = False) -> None:
    download_buttons(cols, what, name, make_export, key, lang, "explorer", disabled)


cfg = ex.config(view.today)
kind = cfg.kind
scope = ax.Scope(view.region, view.period.first_day, view.period.last_day, view.industries, view.filters.grade)
db = db_key()
if ss.get("ex_scope", scope) != scope and cfg.cell is not None:  # other sidebar filters: another table, no cell
    cfg = ex.set_value("cell", None)
ss["ex_scope"] = scope
mlabel = lambda m: pv.measure_label(m, kind, lang)  # noqa: E731

st.title(t("分析查询", "Explorer", lang))
st.caption(xv.scope_caption(view.region, view.period, view.filters.industries, view.filters.grade, lang))
for notice in ss.pop("ex_notices", []):
    st.warning(md_text(notice.text(lang)), icon=":material/warning:")

# ---- the controls
c_kind, c_rows, c_cols, c_sort, c_desc, _ = st.columns([1.2, 1.3, 1.3, 1.3, 1.0, 2.4], vertical_alignment="bottom")
_widget(
    c_kind.segmented_control,
    "kind",
    t("数据", "Data", lang),
    pv.KINDS,
    value=kind,
    format_func=lambda k: label(pv.KIND_LABELS, k, lang),
    required=True,
)
dims = pv.DIMENSIONS[kind]
_widget(
    c_rows.selectbox,
    "rows",
    t("行", "Rows", lang),
    dims,
    value=cfg.rows,
    format_func=lambda d: label(pv.DIMENSION_LABELS, d, lang),
)
_widget(
    c_cols.selectbox,
    "cols",
    t("列", "Columns", lang),
    [pv.MEASURES_COLUMNS, *(d for d in dims if d != cfg.rows)],
    value=cfg.cols,
    format_func=lambda d: label(pv.DIMENSION_LABELS, d, lang),
)
by_measures = cfg.cols == pv.MEASURES_COLUMNS
sort_options = ["natural", *cfg.measures] if by_measures else ["natural", "total"]
sort_value = cfg.sort if cfg.sort in sort_options else ("natural" if cfg.sort == "natural" else sort_options[1])
_widget(
    c_sort.selectbox,
    "sort",
    t("排序", "Sort by", lang),
    sort_options,
    value=sort_value,
    format_func=lambda s: label(xv.SORT_LABELS, s, lang) if s in xv.SORT_LABELS else mlabel(s),
)
_widget(c_desc.toggle, "descending", t("降序", "Descending", lang), value=cfg.descending)
c_measure, _ = st.columns([5, 3])
if by_measures:
    _widget(
        c_measure.multiselect,
        "measures",
        t("指标", "Measures", lang),
        pv.MEASURES[kind],
        value=list(cfg.measures),
        format_func=mlabel,
    )
else:
    _widget(
        c_measure.selectbox,
        "measure",
        t("指标", "Measure", lang),
        pv.MEASURES[kind],
        value=cfg.measures[0],
        format_func=mlabel,
    )
notes = xv.notes(kind, state.statistics_only_regions(db, kind, view.region), lang)

# ---- the pivot
with st.spinner(t("正在计算…", "Computing…", lang)):
    cells = state.explorer_cells(db, kind, scope, cfg.rows, None if by_measures else cfg.cols)
pivot = pv.build_pivot(cells, kind, cfg.rows, cfg.cols, cfg.measures, cfg.sort, cfg.descending)
ptable = xt.pivot_table(pivot, lang, view.region)

if pivot.row_keys:
    # A new table (other rows, columns, measures, filters) starts with nothing selected.
    pkey = f"ex_pivot_{abs(hash((kind, cfg.rows, cfg.cols, cfg.measures, scope, lang))) % 10**10}"
    if cfg.cell is not None and pkey not in ss:  # a cell from the link: shown selected
        at = xv.cell_position(ptable, cfg.cell)
        if at is not None:
            ss[pkey] = {"selection": {"rows": [], "columns": [], "cells": [at]}}
    event = st.dataframe(
        xv.pivot_styled(pivot, ptable),
        hide_index=True,
        width="stretch",
        key=pkey,
        on_select="rerun",
        selection_mode="single-cell",
        height=min(1300, 35 * (len(ptable.frame) + 1) + 3),
    )
    picked = [tuple(x) for x in (event.selection.cells if event else [])]
    if ss.setdefault("ex_last_pick", {}).get(pkey) != picked:  # a click (or a click away) on this table
        ss["ex_last_pick"][pkey] = picked
        cell = None
        if picked:
            pos, name = picked[0]
            cell = (ptable.row_keys[int(pos)], ptable.key_of.get(str(name), pv.TOTAL))
        if cell != cfg.cell:
            cfg = ex.set_value("cell", cell)
    st.caption(t(*xv.PIVOT_HELP, lang))
else:
    st.info(t("所选条件下没有记录。", "No records match the filters.", lang))
for n in notes:
    st.caption(n)

source_zh, source_en = state.explorer_source(db, kind)
source_text = source_zh if lang == "zh" else source_en
stamp = f"{kind}_{view.period.code.replace('..', '_')}_{view.region}"
pivot_words = xv.pivot_words(pivot, ptable, lang)


def _filters_text(extra: list[str]) -> str:
    return xt.filters_text(lang, view.period, view.region, view.filters.industries, view.filters.grade, kind, extra)


if pivot.row_keys:
    _download(
        st.columns([1.3, 1.3, 5])[:2],
        t("下载透视表", "Pivot as", lang),
        f"explorer_pivot_{stamp}",
        lambda: xv.pivot_export(ptable, pivot_words, _filters_text, source_text, lang),
        "ex_dl_pivot",
    )

# ---------------------------------------------------------------- the records behind a cell
st.subheader(t("记录", "Records", lang))
chosen = None
if cfg.cell is not None and pivot.row_keys:
    chosen = ax.cell_records(pivot, cfg.cell, lang, view.region)
    if chosen is None:
        st.info(
            t(
                "链接或上次点击的单元格不在当前透视表中，列出全部记录。",
                "The cell from the link or the last click is not in this pivot: listing all records.",
                lang,
            )
        )
        cfg = ex.set_value("cell", None)

top = st.columns([3, 1.4, 0.9, 0.9], vertical_alignment="bottom")
_widget(
    top[0].text_input,
    "search",
    t("搜索单位名称或描述", "Search enterprise or description", lang),
    value=cfg.search,
    placeholder=t("例如：建筑、化工、消防通道", "e.g. 建筑, 化工", lang),
    max_chars=100,
)
_widget(
    top[1].selectbox,
    "record_sort",
    t("记录排序", "Sort records by", lang),
    list(ax.RECORD_SORTS[kind]),
    value=cfg.record_sort,
    format_func=lambda s: xv.sort_label(s, lang, kind),
)
_widget(top[2].toggle, "record_descending", t("降序", "Descending", lang), value=cfg.record_descending)
size = top[3].selectbox(t("每页", "Per page", lang), PAGE_SIZES, index=1, key=f"ex_page_size_{lang}")

cell_key = tuple(sorted(chosen.filter.items())) if chosen else ()
subset = chosen.subset if chosen else None
cell_words = chosen.words if chosen else ()
query = (db, kind, scope, cell_key, subset, cfg.search, cfg.record_sort, cfg.record_descending)
_, total = state.explorer_records_page(*query, 1, 0)
pages = max(1, -(-total // size))
ss["ex_page"] = min(max(1, int(ss.get("ex_page", 1))), pages)
where = " · ".join(cell_words) if cell_words else t("全部", "all", lang)
cell_value = xv.cell_value_text(pivot, cfg.cell, chosen.measure, lang) if chosen and chosen.states_value else ""
head = st.columns([5, 1.2, 1], vertical_alignment="bottom")
head[0].markdown(xv.records_heading(where, total, cfg.search, cell_value, lang))
if cfg.cell is not None and head[2].button(t("显示全部", "Show all", lang), key=f"ex_clear_cell_{lang}"):
    ex.set_value("cell", None)
    st.rerun()
if pages > 1:
    ex.page_widget(
        head[1].number_input,
        t(f"页码（共 {pages:,} 页）", f"Page (of {pages:,})", lang),
        lang,
        min_value=1,
        max_value=pages,
        step=1,
    )
page_no = ss["ex_page"]
records, total = state.explorer_records_page(*query, size, (page_no - 1) * size)

if records.empty:
    st.info(t("没有符合条件的记录。", "No records match.", lang))
else:
    rtable = xt.records_table(kind, records, lang)
    shown = xv.shown_records(rtable)
    rec_event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        column_config=column_formats(rtable.columns),
        height=min(35 * (len(shown) + 1) + 3, 640),
        key=f"ex_records_{kind}_{page_no}_{abs(hash((cell_key, subset, cfg.search, lang))) % 10**8}",
    )
    first = (page_no - 1) * size + 1
    st.caption(
        t(
            f"第 {first:,}—{first + len(shown) - 1:,} 条，共 {total:,} 条；点击一行查看完整记录。",
            f"Records {first:,}–{first + len(shown) - 1:,} of {total:,}; click a row for the full record.",
            lang,
        )
    )

    @st.dialog(t("完整记录", "Full record", lang), width="large")
    def _show(record_id: str) -> None:
        rec = state.explorer_record(db, kind, record_id)
        if rec is None:
            st.warning(t("记录已不存在（可能已被更新）。", "The record no longer exists (updated since?).", lang))
            return
        st.table(xv.record_fields(kind, rec, lang))

    if rec_event and rec_event.selection.rows:
        _show(str(records.iloc[rec_event.selection.rows[0]][ax.ID_COLUMN[kind]]))

    def _records_export() -> dl.Export:
        return xv.records_export(
            kind,
            state.explorer_records(*query),
            lang,
            cell_words,
            cfg.search,
            cfg.record_sort,
            cfg.record_descending,
            _filters_text,
            source_text,
        )

    too_many = total > dl.MAX_XLSX_ROWS
    d1, d2, d3 = st.columns([1.3, 1.3, 5])
    _download(
        (d1, d2),
        t(f"下载全部 {total:,} 条", f"All {total:,} as", lang),
        f"explorer_records_{stamp}",
        _records_export,
        "ex_dl_records",
        disabled=too_many,
    )
    d3.caption(t(*xv.RECORDS_DOWNLOAD_HELP, lang) + (t(*xv.TOO_MANY_FOR_XLSX, lang) if too_many else ""))

# ---------------------------------------------------------------- two periods side by side
st.subheader(t("期间对比", "Period comparison", lang))
pa, pb = ax.compared_periods(cfg.period_a, cfg.period_b, view.period, view.today)
default_a, default_b = ax.compared_periods(None, None, view.period, view.today)
pcols = st.columns([1, 1, 4], vertical_alignment="bottom")
ex.period_widget(
    pcols[0].text_input,
    "period_a",
    t("对比期 A（默认去年同期）", "Period A (default: last year)", lang),
    cfg.period_a or default_a.code,
    lang,
    view.today,
    help=t(*xv.PERIOD_HELP, lang),
)
ex.period_widget(
    pcols[1].text_input,
    "period_b",
    t("对比期 B（默认侧栏期间）", "Period B (default: the sidebar's)", lang),
    cfg.period_b or default_b.code,
    lang,
    view.today,
    help=t(*xv.PERIOD_HELP, lang),
)
if "ex_period_error" in ss:
    name, text, problem = ss.pop("ex_period_error")
    st.warning(xv.period_error("A" if name == "period_a" else "B", text, problem, lang), icon=":material/warning:")
pcols[2].markdown(
    t(f"**A：{pa.label('zh')}　对比　B：{pb.label('zh')}**", f"**A: {pa.label('en')}  vs  B: {pb.label('en')}**", lang)
)
span = state.records_span(db, kind, view.region)
cells_a, cells_b = (
    state.explorer_cells(db, kind, replace(scope, first_day=p.first_day, last_day=p.last_day), cfg.rows, None)
    if ax.covered(span, p)
    else None
    for p in (pa, pb)
)
cmp, align = ax.comparison(cells_a, cells_b, pivot, cfg.sort, cfg.descending, pa, pb)
for p, which in ((pa, "A"), (pb, "B")):
    if not ax.covered(span, p):
        st.caption(xv.uncovered(which, span, lang))

if cells_a is None and cells_b is None:
    st.info(t("两个对比期都没有数据。", "Neither period has data.", lang))
else:
    ctable = xt.comparison_table(cmp, kind, cfg.rows, pivot.measures, lang, view.region, aligned=align is not None)
    st.dataframe(
        xv.comparison_styled(ctable, cmp, kind),
        hide_index=True,
        width="stretch",
        key=f"ex_compare_{lang}",
        height=min(1300, 35 * (len(ctable.frame) + 1) + 3),
    )
    st.caption(t(*xv.COMPARISON_HELP, lang))
    _download(
        st.columns([1.3, 1.3, 5])[:2],
        t("下载对比", "Comparison as", lang),
        f"explorer_compare_{kind}_{pa.code.replace('..', '_')}_vs_{pb.code.replace('..', '_')}_{view.region}",
        lambda: xv.comparison_export(ctable, pa, pb, pivot_words, ptable.row_header, _filters_text, source_text, lang),
        "ex_dl_compare",
    )

# ---------------------------------------------------------------- the link: the sidebar's parameters and ours
for k in PARAMS:
    if k in st.query_params:
        del st.query_params[k]
for k, v in ss["ex_cfg"].to_query().items():
    st.query_params[k] = v
