"""Read queries behind the rectification page (隐患整改) and the monthly report: the hazard records a
question needs, and the submitted monthly-report rows. The measuring is in ``analytics.hazards``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from domain.hazards import HazardStatus
from domain.regions import load_regions
from store.contracts import check_sample
from store.duckdb_store import Store
from store.hazard_measures import BOARD_COLUMNS, DONE_SQL
from store.queries import _CHILD_KEY, _industry_filter, _subtree

DATE_COLUMNS = ("found_date", "deadline", "rectified_date", "accepted_date")
FRAME_COLUMNS = BOARD_COLUMNS  # a hazard record as the pages and the tests read it


def hazard_frame(
    store: Store, region: str, history_from: dt.date, last_day: dt.date, industries: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Every hazard record inside ``region`` (and ``industries``) that can matter to a question about
    the days from ``history_from`` to ``last_day``: found on or before ``last_day``, and either found
    on or after ``history_from`` or still open on that day (not rectified by it, or reopened by a failed
    acceptance). Adds ``child_code``, the child region of ``region`` the row belongs to (None for a row
    filed at ``region`` itself, and for a county). Dates are datetime64."""
    regions = load_regions()
    if region not in regions:
        raise ValueError(f"region must be a GB/T 2260 code such as 430000 or 100000, got {region!r}")
    level = regions[region].level
    child = _CHILD_KEY.get(level, "NULL")
    params: list[Any] = [region, region, region, region, last_day, history_from, history_from]
    ind = _industry_filter(industries, params)
    frame = store.query(
        f"""SELECT {", ".join(FRAME_COLUMNS)}, {child} AS child_code
            FROM hazards
            WHERE {_subtree()} AND found_date <= CAST(? AS DATE)
              AND (found_date >= CAST(? AS DATE) OR status = '{HazardStatus.ACCEPTANCE_FAILED}'
                   OR (rectified_date IS NULL AND status NOT IN {DONE_SQL})
                   OR rectified_date >= CAST(? AS DATE)){ind}""",
        params,
    )
    for c in DATE_COLUMNS:
        frame[c] = pd.to_datetime(frame[c])
    if level != "country":
        frame.loc[frame["child_code"] == region, "child_code"] = None
    check_sample("hazards", frame)  # what analytics.hazards counts on (statuses, grades, codes)
    return frame


def hazard_stats_rows(
    store: Store, region: str, months: list[str], industries: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Submitted monthly-report rows (隐患排查治理月报表) inside ``region`` for ``months`` (YYYY-MM),
    with ``child_code`` as in :func:`hazard_frame` — each month's own figures.

    A report whose figures are cumulative since January (``cumulative``, loaders.forms) gives its month's own
    figures as the difference with the same region's report of the previous month (an industry that report
    did not list: 0; January: the figures themselves); while that report is not in the store, the month's own
    figures are unknown and its rows are left out (as a month not reported). A difference below 0 (a
    correction of an earlier month) counts as 0. 排查单位数 and 应排查单位数 are counts of units, not summed
    over months: taken as they are."""
    regions = load_regions()
    child = _CHILD_KEY.get(regions[region].level, "NULL") if region in regions else "NULL"
    params: list[Any] = [region, region, region, region, list(months)]
    ind = _industry_filter(industries, params)
    own = ", ".join(
        f"CASE WHEN NOT coalesce(s.cumulative, false) THEN s.{c} "
        f"ELSE greatest(s.{c} - coalesce(p.{c}, 0), 0) END AS {c}"
        for c in CUMULATIVE_FLOWS
    )
    return store.query(
        f"""WITH s AS (
                SELECT *, {child} AS child_code FROM hazard_stats
                WHERE {_subtree()} AND period_kind = 'month' AND list_contains(?::VARCHAR[], period){ind}),
            sent AS (SELECT DISTINCT region_code, year, month FROM hazard_stats
                     WHERE period_kind = 'month' AND coalesce(cumulative, false))
            SELECT s.period, s.region_code, s.province_code, s.city_code, s.industry, s.units, {own},
                   s.units_due, s.child_code
            FROM s
            LEFT JOIN hazard_stats p ON coalesce(s.cumulative, false) AND coalesce(p.cumulative, false)
                AND p.period_kind = 'month' AND p.region_code = s.region_code AND p.industry = s.industry
                AND p.year = s.year AND p.month = s.month - 1
            LEFT JOIN sent ON sent.region_code = s.region_code AND sent.year = s.year AND sent.month = s.month - 1
            WHERE NOT coalesce(s.cumulative, false) OR s.month = 1 OR sent.region_code IS NOT NULL""",
        params,
    )


# The measures of a monthly report that a cumulative one sums since January (counts of hazards, funds).
CUMULATIVE_FLOWS = (
    "general_found",
    "general_rectified",
    "major_found",
    "major_rectified",
    "major_closed",
    "major_in_plan",
    "major_five_in_place",
    "major_supervised",
    "major_supervised_province",
    "major_supervised_city",
    "funds_wan",
)
