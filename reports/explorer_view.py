"""The Explorer's tables as its page shows them (colours, number formats, "—" for an unknown value), a
record in full, the notes under the pivot and the words of its downloads. Frames in; frames, styled
tables and text out; no Streamlit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from analytics import pivot as pv
from charts.theme import change_colour
from domain.columns import label as declared_label
from domain.industries import industry_label
from domain.periods import Period
from domain.regions import region_label
from exports import downloads as dl
from i18n import GRADE_GROUP_LABELS, label, md_text, t
from reports import explorer_tables as xt

SORT_LABELS = {"natural": ("自然顺序", "Natural order"), "total": ("合计", "Total")}
# A sort by a sum of columns; the other sorts are by one column, labelled as declared (domain.columns).
RECORD_SORT_LABELS = {"injuries": ("受伤人数", "Injuries")}


def column_label(column: str, lang: str, kind: str) -> str:
    """A stored column's name as declared (domain.columns.label); a column not declared keeps its name."""
    try:
        return declared_label(column, lang, kind)
    except KeyError:  # not a declared column
        return column


def sort_label(sort: str, lang: str, kind: str) -> str:
    return label(RECORD_SORT_LABELS, sort, lang) if sort in RECORD_SORT_LABELS else column_label(sort, lang, kind)


def display(frame: pd.DataFrame, formats: dict) -> pd.DataFrame:
    """A column with an unknown value is shown as text with "—" (the grid would print "None"); the
    others stay numbers (formatted by the Styler, sortable in the grid)."""
    out = frame.copy()
    for col, f in formats.items():
        if col in out.columns and pd.api.types.is_numeric_dtype(out[col]) and out[col].isna().any():
            out[col] = [f(x) for x in out[col]]
    return out


def styled(frame: pd.DataFrame, styles: pd.DataFrame, formats: dict):
    """The table as shown: colours, number formats, "—" for unknown values (right-aligned like numbers)."""
    shown_ = display(frame, formats)
    css = styles.copy()
    for col in shown_.columns[1:]:
        if not pd.api.types.is_numeric_dtype(shown_[col]):
            css[col] = [f"{x}; text-align: right" if x else "text-align: right" for x in css[col]]
    numeric = {k: f for k, f in formats.items() if k in shown_.columns and pd.api.types.is_numeric_dtype(shown_[k])}
    return shown_.style.apply(lambda _: css, axis=None).format(numeric)


def pivot_styled(pivot: pv.Pivot, ptable: xt.Table):
    """The pivot as shown: coloured by meaning (``analytics.pivot.colours``), its total row in bold."""
    pformats = {name: xt.fmt_value(m) for name, m in ptable.measure_of.items()}
    pstyles = pv.colours(pivot)
    pstyles.columns = list(ptable.frame.columns[1:])
    pstyles.insert(0, ptable.row_header, "")
    pstyles = pstyles.reset_index(drop=True)
    pstyles.iloc[-1] = "font-weight: bold"
    return styled(ptable.frame, pstyles, pformats)


def comparison_styled(ctable: xt.Table, cmp: pd.DataFrame, kind: str):
    """The two periods side by side as shown: a change signed and coloured by meaning, the total in bold."""
    cformats: dict[str, object] = {}
    cstyles = pd.DataFrame("", index=range(len(ctable.frame)), columns=ctable.frame.columns)
    for name, m in ctable.measure_of.items():
        role = ctable.role_of[name]
        if role in ("a", "b"):
            cformats[name] = xt.fmt_value(m)
        elif role == "change":
            cformats[name] = (
                (lambda x: "—" if pd.isna(x) else f"{x:+.1f}")
                if pv.is_rate(m)
                else (lambda g: lambda x: "—" if pd.isna(x) else ("+" if x > 0 else "") + g(x))(xt.fmt_value(m))
            )
        if role in ("change", "pct"):
            colours = [change_colour(s, m, kind) for s in cmp[f"{m}_state"]]
            cstyles[name] = [f"color: {c}; font-weight: 600" if c else "" for c in colours]
    cstyles.iloc[-1] = [f"{s}; font-weight: bold" if s else "font-weight: bold" for s in cstyles.iloc[-1]]
    return styled(ctable.frame, cstyles, cformats)


def notes(kind: str, statistics_only: list[str], lang: str) -> list[str]:
    """The notes under the pivot: what its records count, and the regions that send statistics only."""
    out = [
        t(
            "事故记录没有“来源”字段：来源维度只用于隐患。死亡人数含失踪。",
            "Accident records have no source field: the source dimension is for hazards. Deaths include the missing.",
            lang,
        )
        if kind == "accidents"
        else t(
            "本期发现的隐患截至期末的情况（整改率 = 期末前已整改 ÷ 本期发现；验收不通过算未整改）。事故等级筛选不适用于隐患。",
            "Hazards found in the period as they stand at its end (rectification rate = rectified by the end ÷ found; a "
            "failed acceptance is not rectified). The accident-grade filter does not apply to hazards.",
            lang,
        )
    ]
    if statistics_only:
        out.append(
            t(
                "只报送统计报表的地区没有逐条记录，不在表中：",
                "Regions that send statistics only have no records and are not in the table: ",
                lang,
            )
            + t("、", ", ", lang).join(region_label(c, lang) for c in statistics_only)
        )
    return out


def pivot_words(pivot: pv.Pivot, ptable: xt.Table, lang: str) -> list[str]:
    """The pivot's data, rows, columns and measures, for a download's header block."""
    kind = pivot.kind
    what_cols = (
        t("指标", "measures", lang)
        if pivot.cols == pv.MEASURES_COLUMNS
        else label(pv.DIMENSION_LABELS, pivot.cols, lang)
    )
    return [
        t(f"数据：{label(pv.KIND_LABELS, kind, 'zh')}", f"data: {label(pv.KIND_LABELS, kind, 'en').lower()}", lang),
        t(f"行：{ptable.row_header}；列：{what_cols}", f"rows: {ptable.row_header}; columns: {what_cols}", lang),
        t("指标：", "measures: ", lang)
        + t("、", ", ", lang).join(pv.measure_label(m, kind, lang) for m in pivot.measures),
    ]


def cell_value_text(pivot: pv.Pivot, cell: tuple[str, str], measure: str, lang: str) -> str:
    """The cell's value said above its records (a sum or a rate the records make up)."""
    v = xt.fmt_value(measure)(pivot.values.at[cell[0], cell[1]])
    name = pv.measure_label(measure, pivot.kind, lang)
    return t(f"（单元格的{name}为 {v}，来自以下记录）", f" (the cell's {name.lower()}: {v}, from these records)", lang)


def shown_records(rtable: xt.Table) -> pd.DataFrame:
    """A page of records as shown: a blank text is "—", not "None"."""
    shown = rtable.frame.copy()
    text_cols = [c.key for c in rtable.columns if c.kind == "text"]
    shown[text_cols] = shown[text_cols].where(shown[text_cols].notna(), "—")
    return shown


def record_fields(kind: str, rec: dict, lang: str) -> pd.DataFrame:
    """A record in full, one field a row (the table's columns as the table shows them, then every other
    stored column), as Markdown-safe text: an imported text is shown as text."""
    one = xt.records_table(kind, pd.DataFrame([rec]), lang)
    shown_one = {c.key: one.frame.iloc[0][c.key] for c in one.columns}
    key_head = {key: head for (key, *_), head in zip(xt.RECORD_SPEC[kind], one.frame.columns, strict=True)}
    rows = []
    for k, v in rec.items():
        name = key_head.get(k) or column_label(k, lang, kind)
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
    return pd.DataFrame(rows, columns=[t("项目", "Field", lang), t("内容", "Value", lang)]).set_index(
        t("项目", "Field", lang)
    )


def records_export(
    kind: str,
    everything: pd.DataFrame,
    lang: str,
    cell_words: tuple[str, ...],
    search: str,
    record_sort: str,
    descending: bool,
    filters_text: Callable[[list[str]], str],
    source_text: str,
) -> dl.Export:
    """Every record behind the cell as a download, its filters, search and order above the table."""
    table = xt.records_table(kind, everything, lang)
    extra = [t(f"数据：{label(pv.KIND_LABELS, kind, 'zh')}记录", f"data: {kind} records", lang)]
    if cell_words:
        extra.append(t("单元格：", "cell: ", lang) + " · ".join(cell_words))
    if search:
        extra.append(t(f"搜索：{search}", f"search: {search}", lang))
    extra.append(
        t(
            f"排序：{sort_label(record_sort, 'zh', kind)}{'降序' if descending else '升序'}",
            f"sorted by {sort_label(record_sort, 'en', kind).lower()}, {'descending' if descending else 'ascending'}",
            lang,
        )
    )
    extra.append(t(f"共 {len(everything):,} 条", f"{len(everything):,} records", lang))
    return xt.export(
        t("分析查询 · 记录", "Explorer · records", lang),
        filters_text(extra),
        source_text,
        table,
        lang,
        t("记录", "Records", lang),
    )


# ---------------------------------------------------------------- the page's words
PIVOT_HELP = (
    "点击一个单元格（或行名、合计）列出它背后的记录。颜色按含义：红色越深越差（如死亡人数）；整改率等比率高为绿、低为红；"
    "隐患数、资金等中性指标为灰。",
    "Click a cell (or a row's name, or a total) to list the records behind it. Colour by meaning: deeper red "
    "is worse (deaths …); a rate is green when high and red when low; neutral measures (hazards found, "
    "funds) are grey.",
)
RECORDS_DOWNLOAD_HELP = (
    "下载的是当前条件下的全部记录（不只本页），表头之上注明筛选条件、导出时间和数据来源。",
    "Downloads hold every matching record (not just this page), with the filters, the time and the "
    "source above the table.",
)
TOO_MANY_FOR_XLSX = (
    " 超过一个 XLSX 工作表的行数上限，请下载 CSV。",
    " Too many rows for one XLSX sheet: download CSV.",
)
PERIOD_HELP = (
    "2024（年）、2024-Q1（季度）、2024-03（月）或 2024-01..2024-06（月份区间）；留空为默认。",
    "2024 (a year), 2024-Q1 (a quarter), 2024-03 (a month) or 2024-01..2024-06 (months); empty: the default.",
)
COMPARISON_HELP = (
    "变化 = B − A；从零增加记为“新增”；按月或按年时两期按顺序对应（第一个月对第一个月）。颜色按含义：事故、死亡、超期等减少为绿、"
    "增加为红；整改率等提高为绿。",
    "Change = B − A; a rise from zero is 'new'; by month or year the periods are paired in order (first "
    "month with first month). Colour by meaning: fewer accidents, deaths or overdue hazards is green, more "
    "is red; a higher rate is green.",
)


def scope_caption(region: str, period: Period, industries: tuple[str, ...], grade: str, lang: str) -> str:
    """The sidebar's filters under the title."""
    industries_text = t("、", ", ", lang).join(industry_label(c, lang) for c in industries) or t(
        "全部行业", "All industries", lang
    )
    return (
        f"{region_label(region, lang, full=True)} · {period.label(lang)} · {industries_text} · "
        f"{label(GRADE_GROUP_LABELS, grade, lang)}"
    )


def cell_position(ptable: xt.Table, cell: tuple[str, str]) -> list | None:
    """Where ``cell`` (row key, column key) is in the pivot as shown: [row position, column name]."""
    r, c = cell
    name_of = {k: n for n, k in ptable.key_of.items()}
    return [ptable.row_keys.index(r), name_of[c]] if r in ptable.row_keys and c in name_of else None


def records_heading(where: str, total: int, search: str, cell_value: str, lang: str) -> str:
    """Markdown: the records listed (their cell, how many, the search) above them."""
    return t(
        f"**{where}**：共 {total:,} 条" + (f"，含“{md_text(search)}”" if search else "") + cell_value,
        f"**{where}**: {total:,} records" + (f" matching '{md_text(search)}'" if search else "") + cell_value,
        lang,
    )


def period_error(which: str, text: str, problem: str, lang: str) -> str:
    """A compared period that cannot be compared (the previous one is kept)."""
    return t(
        f"对比期 {which}“{md_text(text)}”不可用（应为 2024、2024-Q1、2024-03 或 2024-01..2024-06，且已开始），仍用原期间。",
        f"Period {which} '{md_text(text)}': {md_text(problem)}; keeping the previous period.",
        lang,
    )


def uncovered(which: str, span: tuple[dt.date, dt.date] | None, lang: str) -> str:
    """A compared period outside the records: no data, not zero."""
    first = f"{span[0]:%Y-%m-%d}" if span else "—"
    return t(
        f"对比期 {which} 不在台账覆盖的时间内（记录起于 {first}）：数据不足，不按零计。",
        f"Period {which} is outside the records (they begin {first}): insufficient data, not zero.",
        lang,
    )


def pivot_export(
    ptable: xt.Table, words: list[str], filters_text: Callable[[list[str]], str], source_text: str, lang: str
) -> dl.Export:
    return xt.export(
        t("分析查询 · 透视表", "Explorer · pivot", lang),
        filters_text(words),
        source_text,
        ptable,
        lang,
        t("透视表", "Pivot", lang),
    )


def comparison_export(
    ctable: xt.Table,
    pa: Period,
    pb: Period,
    words: list[str],
    row_header: str,
    filters_text: Callable[[list[str]], str],
    source_text: str,
    lang: str,
) -> dl.Export:
    return xt.export(
        t("分析查询 · 期间对比", "Explorer · period comparison", lang),
        filters_text(
            [
                t(
                    f"对比：A {pa.label('zh')}，B {pb.label('zh')}",
                    f"comparing A {pa.label('en')} with B {pb.label('en')}",
                    lang,
                ),
                words[0],
                t(f"行：{row_header}", f"rows: {row_header}", lang),
            ]
        ),
        source_text,
        ctable,
        lang,
        t("期间对比", "Comparison", lang),
    )
