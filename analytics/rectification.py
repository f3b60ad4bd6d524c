"""The rectification answer for one question (region, period, industries): the store's hazard records
and monthly reports, put through ``analytics.hazards``. Used by the 隐患整改 page, the brief and
``python -m reports … --report hazard-monthly``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.hazards import (
    Rectification,
    combine,
    days_overdue,
    in_base,
    in_regions,
    month_ends,
    open_on,
    rates,
    rectification,
    report_rows_from_records,
    report_table,
    stats_rates,
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


def summary(store: Store, region: str, first_day: dt.date, last_day: dt.date,
            industries: tuple[str, ...] | None = None) -> dict:
    """The brief's hidden-danger figures, from the same measures as the rectification page:

    - ``found`` in the period and, of those, ``rectified`` by ``last_day`` (the cohort), with the
      ``rectification_rate``; the same for majors; ``on_time_rate`` and ``closure_rate``;
    - ``open_major`` (found on or before ``last_day``, not rectified by then), ``open_major_overdue``
      and ``open_overdue`` (past the deadline on ``last_day``);
    - ``statistics_regions``: the regions whose monthly reports are counted in found/rectified (they
      send no records). None for a rate whose denominator is zero.
    """
    period = Period(f"{first_day:%Y-%m}", f"{last_day:%Y-%m}", until=last_day)
    h = hazard_frame(store, region, first_day, last_day, industries)
    stats = hazard_stats_rows(store, region, period.months(), industries)
    from_stats, _partial = _plan(stats, period)
    recs = h[~in_regions(h, from_stats)]
    st_rows = stats[in_regions(stats, from_stats)] if from_stats else stats.iloc[0:0]
    r = combine(rates(recs, first_day, last_day, "cohort"), stats_rates(st_rows) if len(st_rows) else None)
    late = days_overdue(recs, last_day).notna()
    is_open = open_on(recs, last_day)
    major = recs["grade"].eq("major")
    return {"found": r.found, "rectified": r.rectified, "major_found": r.major_found,
            "major_rectified": r.major_rectified, "open_major": int((is_open & major).sum()),
            "open_major_overdue": int((late & major).sum()), "open_overdue": int(late.sum()),
            "rectification_rate": r.rectification_rate, "major_rectification_rate": r.major_rectification_rate,
            "on_time_rate": r.on_time_rate, "closure_rate": r.closure_rate,
            "statistics_regions": tuple(sorted(from_stats))}
