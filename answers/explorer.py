"""The Explorer's questions (分析查询) that are not drawing: where its data comes from, which records a
cell of the pivot stands for, which two periods are compared, whether the records cover a period, and the
two periods side by side. The page reads the store's answers through ``webapp.state`` (cached) and draws them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics import pivot as pv
from domain.periods import Period
from i18n import label
from store import Store
from store import explore_queries as eq

Scope = eq.Scope  # the sidebar's filters as the Explorer's questions take them
RECORD_SORTS = {kind: tuple(sorts) for kind, sorts in eq.SORT_SQL.items()}  # the orders of each kind's records
ID_COLUMN = eq.ID_COLUMN
SOURCE_WORDS = {
    "accidents": ("事故台账（逐起记录）", "accident records"),
    "hazards": ("隐患台账（逐项记录）", "hazard records"),
}


def source(store: Store, kind: str) -> tuple[str, str]:
    """The data source for a download's header block, in both languages: the records of ``kind``, the
    store's file and its latest import of them."""
    last = eq.last_import(store, kind)
    name = store.path.name
    what = SOURCE_WORDS["accidents" if kind == "accidents" else "hazards"]
    if last is None:
        return f"{what[0]}；数据库 {name}", f"{what[1]}; store {name}"
    when = f"{pd.Timestamp(last['imported_at']):%Y-%m-%d %H:%M}"
    return (
        f"{what[0]}；数据库 {name}；最近导入：{last['file_name']}（{when}）",
        f"{what[1]}; store {name}; latest import: {last['file_name']} ({when})",
    )


@dataclass(frozen=True)
class Cell:
    """The records behind a cell of the pivot: ``filter`` on its dimensions, the ``measure`` it shows
    (None: the total of a table of measures), the ``subset`` of the cell's rows that measure counts (None:
    all of them), the cell's words (its row, its column, its subset) and whether the page states the
    cell's value above its records (a sum or a rate: the records are not simply that many)."""

    filter: dict[str, str]
    measure: str | None
    subset: str | None
    words: tuple[str, ...]
    states_value: bool


def cell_records(pivot: pv.Pivot, cell: tuple[str, str], lang: str, region: str) -> Cell | None:
    """The records behind ``cell`` (row key, column key) of ``pivot``; None when the pivot has no such cell."""
    kind, rows, cols = pivot.kind, pivot.rows, pivot.cols
    by_measures = cols == pv.MEASURES_COLUMNS
    r, c = cell
    if r not in pivot.values.index or c not in [*pivot.values.columns, *([pv.TOTAL] if by_measures else [])]:
        return None
    measure = None if (by_measures and c == pv.TOTAL) else pivot.measure_of(c)
    subset = measure if measure in eq.SUBSET_SQL[kind] else None
    words = []
    if r != pv.TOTAL:
        words.append(pv.value_label(kind, rows, r, lang, region))
    if not by_measures and c != pv.TOTAL:
        words.append(pv.value_label(kind, cols, c, lang, region))
    if subset:
        words.append(
            label(pv.HAZARD_GRADE_LABELS, "major", lang) if pv.is_rate(subset) else pv.measure_label(subset, kind, lang)
        )
    states_value = (
        measure is not None and measure != "count" and (measure not in eq.SUBSET_SQL[kind] or pv.is_rate(measure))
    )
    return Cell(pivot.cell_filter(r, c), measure, subset, tuple(words), states_value)


def compared_periods(
    period_a: str | None, period_b: str | None, period: Period, today: dt.date
) -> tuple[Period, Period]:
    """The two periods compared: the ones asked for (cut at ``today``), else the same period last year (A)
    and ``period`` (B)."""
    pa = Period.parse(period_a).cut_at(today) if period_a else period.same_period_last_year()
    pb = Period.parse(period_b).cut_at(today) if period_b else period
    return pa, pb


def covered(span: tuple[dt.date, dt.date] | None, p: Period) -> bool:
    """The records (spanning ``span``) cover the period's start: before they begin, or after they end, a
    period has no data (not zero)."""
    return span is not None and span[0] <= p.first_day <= span[1]


def comparison(
    cells_a: pd.DataFrame | None,
    cells_b: pd.DataFrame | None,
    pivot: pv.Pivot,
    sort: str,
    descending: bool,
    pa: Period,
    pb: Period,
) -> tuple[pd.DataFrame, tuple[list[str], list[str]] | None]:
    """The pivot's rows and measures in periods A and B side by side (``analytics.pivot.compare_periods``),
    and the pairing of their months or years, rows sorted by ``sort`` (by position: two periods have different months; None for
    another dimension)."""
    align = None
    if pivot.rows in ("month", "year"):
        align = (pv.time_keys(pivot.rows, pa.start, pa.end), pv.time_keys(pivot.rows, pb.start, pb.end))
    cmp = pv.compare_periods(cells_a, cells_b, pivot.kind, pivot.rows, pivot.measures, sort, descending, align)
    return cmp, align
