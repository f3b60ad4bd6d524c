"""The rectification answer for one question (region, period, industries): counted by the store
(``store.hazard_measures``, the rules of ``analytics.hazards`` in SQL) and the monthly reports. Used by the 隐患整改 page, the brief and
``python -m reports … --report hazard-monthly``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.hazards import (
    OVERDUE_BUCKETS,
    RateSet,
    Rectification,
    _add_stats_to_ranking,
    _stats_part,
    combine,
    in_regions,
    month_ends,
    rank_worst_first,
    report_table,
    stats_rates,
    supervision_board,
)
from domain.industries import INDUSTRIES
from domain.periods import Period, shift_month
from domain.regions import ancestors
from domain.sources import plan_sources
from store.duckdb_store import Store
from store.hazard_measures import (
    RATE_FIELDS,
    Scope,
    backlog,
    board_records,
    enterprise_hazards,
    enterprises,
    rankings,
    rate_counts,
    report_counts,
)
from store.hazard_queries import hazard_stats_rows

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
    return min(
        backlog_start,
        period.same_period_last_year().first_day - dt.timedelta(days=1),
        period.first_day - dt.timedelta(days=366),
    )


def load(
    store: Store, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date
) -> Rectification:
    """The measures of the 隐患整改 page, each counted by the store (``store.hazard_measures``): a few
    small queries whose answers are aggregates, plus the supervision board's records (few)."""
    ly = period.same_period_last_year()
    stats = hazard_stats_rows(store, region, period.months() + ly.months(), industries)
    now_regions, partial = _plan(stats[stats["period"].isin(period.months())], period)
    as_of = min(period.last_day, today)
    scope = Scope(region, period.last_day, _history_from(period), industries, now_regions)
    first, last = period.first_day, period.last_day
    c = rate_counts(
        store,
        scope,
        {
            "now": (first, last, "cohort"),
            "now_cum": (first, last, "cumulative"),
            "ly": (ly.first_day, ly.last_day, "cohort"),
            "ly_cum": (ly.first_day, ly.last_day, "cumulative"),
        },
        as_of=as_of,
        flow=(first, last),
    )

    def rate_set(prefix: str, base: str) -> RateSet:
        return RateSet(base=base, **{f: c[f"{prefix}_{f}"] for f in RATE_FIELDS})

    st_now = _stats_part(stats, now_regions, period.months())
    st_ly = _stats_part(stats, now_regions, ly.months())
    ranked = rankings(store, scope, first, last, as_of)
    by_child = _ranked(ranked, "child_code")
    by_industry = _ranked(ranked, "industry")
    if len(st_now):
        cols = ["general_found", "general_rectified", "major_found", "major_rectified"]
        by_child = _add_stats_to_ranking(by_child, st_now.groupby("child_code")[cols].sum(), "child_code")
        by_industry = _add_stats_to_ranking(by_industry, st_now.groupby("industry")[cols].sum(), "industry")
    months = month_ends(shift_month(period.end, -(BACKLOG_MONTHS - 1)), period.end, until=as_of)
    overdue = pd.DataFrame(
        [{"bucket": b, "all": c[f"overdue_{b}"], "major": c[f"overdue_major_{b}"]} for b in OVERDUE_BUCKETS]
    )
    return Rectification(
        first_day=first,
        last_day=last,
        as_of=as_of,
        cohort=combine(rate_set("now", "cohort"), stats_rates(st_now) if len(st_now) else None),
        cumulative=rate_set("now_cum", "cumulative"),
        cohort_last_year=combine(rate_set("ly", "cohort"), stats_rates(st_ly) if len(st_ly) else None),
        cumulative_last_year=rate_set("ly_cum", "cumulative"),
        open_total=c["open_total"],
        open_major=c["open_major"],
        open_overdue=c["open_overdue"],
        open_major_overdue=c["open_major_overdue"],
        overdue=overdue,
        funnel={k: c[f"funnel_{k}"] for k in ("found", "ordered", "rectified", "closed", "acceptance_failed")},
        flow={"n": c["flow_n"], "median": c["flow_median"], "p90": c["flow_p90"]},
        backlog=backlog(store, scope, months),
        by_child=by_child,
        by_industry=by_industry,
        board=supervision_board(board_records(store, scope, as_of), as_of),
        statistics_regions=tuple(sorted(now_regions)),
        partially_covered=tuple(partial),
    )


def _ranked(ranked: pd.DataFrame, dim: str) -> pd.DataFrame:
    """One dimension of ``store.hazard_measures.rankings``, rated and sorted as ``analytics.hazards.ranking``
    (the lowest rate first, then the most overdue majors, then the most found; ties in key order)."""
    part = ranked[(ranked["dim"] == dim) & ranked["key"].notna()]
    out = pd.DataFrame({dim: part["key"].astype(str)})
    for col in ("found", "rectified", "open_overdue", "open_major_overdue"):
        out[col] = part[col].astype(int)
    return rank_worst_first(out.sort_values(dim, kind="stable"))  # ties: in key order


def enterprise_list(
    store: Store, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date
) -> tuple[pd.DataFrame, int]:
    """(the enterprises with the most open or repeated hazards, at most 20 — ``store.hazard_measures.
    enterprises`` —, the number of hazards found in the period that repeat one of the same enterprise
    and category within 12 months). Asked apart from :func:`load`, so the page draws its top first."""
    return enterprises(
        store,
        _page_scope(store, region, period, industries),
        period.first_day,
        period.last_day,
        min(period.last_day, today),
    )


def enterprise_records(
    store: Store, region: str, period: Period, industries: tuple[str, ...] | None, key: str
) -> pd.DataFrame:
    """The hazard records of one enterprise of the page's list (by its key), newest first, bounded."""
    return enterprise_hazards(store, _page_scope(store, region, period, industries), key)


def _page_scope(store: Store, region: str, period: Period, industries: tuple[str, ...] | None) -> Scope:
    """The hazard records the 隐患整改 page reads for ``period`` (those of :func:`load`): back to
    :func:`_history_from`, without the regions whose monthly reports answer the period."""
    now_regions, _partial = _plan(hazard_stats_rows(store, region, period.months(), industries), period)
    return Scope(region, period.last_day, _history_from(period), industries, now_regions)


def monthly_report(
    store: Store, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date
) -> pd.DataFrame:
    """The official monthly report table (``analytics.hazards.REPORT_COLUMNS``): records for the
    regions that send records, the submitted reports for the regions whose reports cover the period."""
    stats = hazard_stats_rows(store, region, period.months(), industries)
    from_stats, _partial = _plan(stats, period)
    scope = Scope(region, period.last_day, period.first_day, industries, from_stats)
    parts = [report_counts(store, scope, period.first_day, period.last_day, min(period.last_day, today))]
    if from_stats:
        parts.append(stats[in_regions(stats, from_stats)])
    wanted = [i.code for i in INDUSTRIES if not industries or i.code in industries]
    return report_table(parts, wanted)


def summary(
    store: Store, region: str, first_day: dt.date, last_day: dt.date, industries: tuple[str, ...] | None = None
) -> dict:
    """The brief's hidden-danger figures, from the same measures as the rectification page:

    - ``found`` in the period and, of those, ``rectified`` by ``last_day`` (the cohort), with the
      ``rectification_rate``; the same for majors; ``on_time_rate`` and ``closure_rate``;
    - ``open_major`` (found on or before ``last_day``, not rectified by then), ``open_major_overdue``
      and ``open_overdue`` (past the deadline on ``last_day``);
    - ``statistics_regions``: the regions whose monthly reports are counted in found/rectified (they
      send no records); ``partial_regions``: those whose reports cover only part of the period, not
      counted (every output that shows these figures names them). None for a rate whose denominator is zero.
    """
    period = Period(f"{first_day:%Y-%m}", f"{last_day:%Y-%m}", until=last_day)
    stats = hazard_stats_rows(store, region, period.months(), industries)
    from_stats, partial = _plan(stats, period)
    scope = Scope(region, last_day, first_day, industries, from_stats)
    c = rate_counts(store, scope, {"now": (first_day, last_day, "cohort")}, as_of=last_day)
    st_rows = stats[in_regions(stats, from_stats)] if from_stats else stats.iloc[0:0]
    r = combine(
        RateSet(base="cohort", **{f: c[f"now_{f}"] for f in RATE_FIELDS}),
        stats_rates(st_rows) if len(st_rows) else None,
    )
    return {
        "found": r.found,
        "rectified": r.rectified,
        "major_found": r.major_found,
        "major_rectified": r.major_rectified,
        "open_major": c["open_major"],
        "open_major_overdue": c["open_major_overdue"],
        "open_overdue": c["open_overdue"],
        "rectification_rate": r.rectification_rate,
        "major_rectification_rate": r.major_rectification_rate,
        "on_time_rate": r.on_time_rate,
        "closure_rate": r.closure_rate,
        "statistics_regions": tuple(sorted(from_stats)),
        "partial_regions": tuple(sorted(partial)),
    }
