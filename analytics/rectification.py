"""The rectification answer for one question (region, period, industries): the store's hazard records
and monthly reports, put through ``analytics.hazards``. Used by the 隐患整改 page, the brief and
``python -m reports … --report hazard-monthly``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.hazards import (
    Rectification,
    in_base,
    in_regions,
    month_ends,
    rectification,
    report_rows_from_records,
    report_table,
)
from domain.industries import INDUSTRIES
from domain.periods import Period, shift_month
from domain.regions import ancestors
from domain.sources import plan_sources
from store.duckdb_store import Store
from store.hazard_queries import hazard_frame, hazard_stats_rows

BACKLOG_MONTHS = 24  # the backlog chart: two years to the period's end


def _plan(stats: pd.DataFrame, period: Period) -> tuple[list[str], tuple[str, ...]]:
    """Which regions' monthly reports answer ``period``: every month of it sent (any industry — a
    report lists the industries that had hazards; one not listed had none)."""
    if stats.empty:
        return [], ()
    idx = stats[["region_code", "period"]].drop_duplicates().assign(industry=None)
    codes = idx["region_code"].unique().tolist()
    plan = plan_sources(idx, period, None, {c: ancestors(c) for c in codes})
    return list(plan.from_statistics), plan.partially_covered


def _history_from(period: Period) -> dt.date:
    backlog_start = dt.date.fromisoformat(shift_month(period.end, -(BACKLOG_MONTHS - 1)) + "-01")
    return min(backlog_start, period.same_period_last_year().first_day - dt.timedelta(days=1),
               period.first_day - dt.timedelta(days=366))


def load(store: Store, region: str, period: Period, industries: tuple[str, ...] | None,
         today: dt.date) -> tuple[Rectification, pd.DataFrame]:
    """(the measures, the hazard records behind them — for the lists of the page)."""
    ly = period.same_period_last_year()
    h = hazard_frame(store, region, _history_from(period), period.last_day, industries)
    stats = hazard_stats_rows(store, region, period.months() + ly.months(), industries)
    now_regions, partial = _plan(stats[stats["period"].isin(period.months())], period)
    as_of = min(period.last_day, today)
    months = month_ends(shift_month(period.end, -(BACKLOG_MONTHS - 1)), period.end, until=as_of)
    answer = rectification(h, stats, period.first_day, period.last_day, period.months(),
                           (ly.first_day, ly.last_day, ly.months()), as_of, now_regions, partial, months)
    return answer, h[~in_regions(h, now_regions)]


def monthly_report(store: Store, region: str, period: Period, industries: tuple[str, ...] | None,
                   today: dt.date) -> pd.DataFrame:
    """The official monthly report table (``analytics.hazards.REPORT_COLUMNS``): records for the
    regions that send records, the submitted reports for the regions whose reports cover the period."""
    h = hazard_frame(store, region, period.first_day, period.last_day, industries)
    stats = hazard_stats_rows(store, region, period.months(), industries)
    from_stats, _partial = _plan(stats, period)
    recs = h[~in_regions(h, from_stats) & in_base(h, period.first_day, period.last_day)]
    parts = [report_rows_from_records(recs, period.first_day, min(period.last_day, today))]
    if from_stats:
        parts.append(stats[in_regions(stats, from_stats)])
    wanted = [i.code for i in INDUSTRIES if not industries or i.code in industries]
    return report_table(parts, wanted)
