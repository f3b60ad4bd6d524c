"""Read queries behind the pages and reports. SQL stays here; the rules stay in domain/analytics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from domain.regions import COUNTRY_CODE, load_regions
from domain.sources import Coverage
from store.duckdb_store import Store


def _subtree(alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    return f"(? = '{COUNTRY_CODE}' OR {a}region_code = ? OR {a}province_code = ? OR {a}city_code = ?)"


# Which stored column names a row's child region, by the parent's level. Every row carries its own
# region_code and its province_code and city_code (store/tables.py), so that:
# - under the country the children are provinces: province_code;
# - under a province they are cities — city_code, which for a city-level row is the city itself and
#   for a county-level unit directly under the province (仙桃市 429004) is itself too — or, under
#   重庆 500000, districts whose city_code is NULL: then the region_code itself. A row filed at the
#   province itself falls out (its key is the province, not a child);
# - under a city (or a municipality's 市辖区 110100) they are counties: region_code.
_CHILD_KEY = {
    "country": "province_code",
    "province": "coalesce(city_code, region_code)",
    "city": "region_code",
}


# How finely the cells of a region's question keep the place, by the region's level: what a question
# about the region or one of its children can tell apart (``analytics.accidents.in_subtree`` of the
# region or a child, ``_outside`` of the regions that send statistics). Under the country the children
# are provinces: a row is kept at its province; under a province at its city (or its own code where it
# has no city: 重庆's districts, 仙桃). A row whose region or city sends accident statistics keeps both
# codes, so that the regions answered from their statistics can still be left out of the records.
_COARSE = {
    "country": ("province_code", "NULL"),
    "province": ("coalesce(city_code, region_code)", "city_code"),
}


def accident_cells(
    store: Store, region: str, first_day: dt.date, last_day: dt.date, fine: bool = False
) -> pd.DataFrame:
    """Accident records inside ``region`` between two days (inclusive), aggregated by month, place,
    industry and grade — the place as fine as a question about ``region`` or its children needs
    (see ``_COARSE``; ``fine`` keeps every record's own codes). Deaths include the missing (死亡失踪)."""
    regions = load_regions()
    level = regions[region].level if region in regions else None
    coarse = None if fine else _COARSE.get(level)
    if coarse is None:
        place = "region_code, province_code, city_code"
    else:
        keep = (
            "(region_code IN (SELECT region_code FROM accident_stats) "
            "OR city_code IN (SELECT region_code FROM accident_stats))"
        )
        place = (
            f"CASE WHEN {keep} THEN region_code ELSE {coarse[0]} END AS region_code, province_code, "
            f"CASE WHEN {keep} THEN city_code ELSE {coarse[1]} END AS city_code"
        )
    return store.query(
        f"""SELECT strftime(occurred_at, '%Y-%m') AS month, {place},
                   industry, grade, count(*) AS accidents, sum(deaths + missing) AS deaths
            FROM accidents
            WHERE {_subtree()} AND occurred_at >= CAST(? AS DATE) AND occurred_at < CAST(? AS DATE) + 1
            GROUP BY ALL""",
        [region, region, region, region, first_day, last_day],
    )


def accident_stats_rows(store: Store, region: str, first_year: int, last_year: int) -> pd.DataFrame:
    """Submitted accident statistics inside ``region`` for the years given."""
    return store.query(
        f"""SELECT period, period_kind, region_code, province_code, city_code, industry, accidents, deaths,
                   larger_accidents, larger_deaths, major_accidents, major_deaths
            FROM accident_stats WHERE {_subtree()} AND year BETWEEN ? AND ?""",
        [region, region, region, region, first_year, last_year],
    )


def _industry_filter(industries: tuple[str, ...] | list[str] | None, params: list[Any], alias: str = "") -> str:
    if not industries:
        return ""
    params.append(list(industries))
    return f" AND list_contains(?::VARCHAR[], {alias + '.' if alias else ''}industry)"


def data_coverage(store: Store, expected: frozenset[str] = frozenset()) -> Coverage:
    """What the store holds, to tell a missing number from a zero: the first and last record day per
    province, and the regions that submit accident statistics but no records; with the regions the bureau
    expects data from (``expected``, settings.expected_regions; empty: every unit)."""
    spans = store.query(
        f"""SELECT coalesce(province_code, '{COUNTRY_CODE}') AS scope, min(occurred_at)::DATE AS first_day,
                  max(occurred_at)::DATE AS last_day
           FROM accidents GROUP BY ALL"""
    )
    only = store.query(
        """SELECT DISTINCT s.region_code FROM accident_stats s
           WHERE NOT EXISTS (SELECT 1 FROM accidents a WHERE a.region_code = s.region_code
                             OR a.city_code = s.region_code OR a.province_code = s.region_code)"""
    )
    records = {str(r.scope): (_day(r.first_day), _day(r.last_day)) for r in spans.itertuples()}
    return Coverage(records, frozenset(str(c) for c in only["region_code"]), expected)


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


def last_accident_day(
    store: Store,
    region: str,
    grades: tuple[str, ...],
    industries: tuple[str, ...] | None = None,
    until: dt.date | None = None,
) -> dt.date | None:
    """The day of the latest accident record of one of ``grades`` inside ``region`` on or before
    ``until`` (records only: statistics have no days), or None when there is none."""
    params: list[Any] = [region, region, region, region, list(grades)]
    sql = f"SELECT max(occurred_at)::DATE FROM accidents WHERE {_subtree()} AND list_contains(?::VARCHAR[], grade)"
    sql += _industry_filter(industries, params)
    if until is not None:
        sql += " AND occurred_at < CAST(? AS DATE) + 1"
        params.append(until)
    value = store.scalar(sql, params)
    return None if value is None or pd.isna(value) else _day(value)


LATEST_COLUMNS = (
    "accident_id",
    "occurred_at",
    "region_code",
    "region_name",
    "industry",
    "enterprise",
    "deaths",
    "grade",
    "summary",
)


def latest_accidents(
    store: Store,
    region: str,
    first_day: dt.date,
    last_day: dt.date,
    grades: tuple[str, ...],
    industries: tuple[str, ...] | None = None,
    limit: int = 10,
) -> pd.DataFrame:
    """The latest accident records of ``grades`` inside ``region`` between two days, newest first:
    id, time, region code and full name, industry, enterprise, deaths (incl. the missing), grade, summary."""
    params: list[Any] = [region, region, region, region, first_day, last_day, list(grades)]
    sql = f"""SELECT accident_id, occurred_at, region_code, industry, enterprise, deaths + missing AS deaths,
                     grade, summary
              FROM accidents
              WHERE {_subtree()} AND occurred_at >= CAST(? AS DATE) AND occurred_at < CAST(? AS DATE) + 1
                AND list_contains(?::VARCHAR[], grade)"""
    sql += _industry_filter(industries, params)
    sql += f" ORDER BY occurred_at DESC, accident_id LIMIT {int(limit)}"
    frame = store.query(sql, params)
    regions = load_regions()
    frame.insert(
        3,
        "region_name",
        frame["region_code"].map(lambda c: regions[c].full_name if c in regions else c).astype("string"),
    )
    return frame[list(LATEST_COLUMNS)]


def death_target(store: Store, region: str, year: int) -> int | None:
    """The annual deaths control target (死亡人数控制指标) of ``region`` for ``year``, or None."""
    value = store.scalar("SELECT deaths_target FROM targets WHERE region_code = ? AND year = ?", [region, int(year)])
    return None if value is None else int(value)


def hazard_stats_regions(store: Store, region: str) -> list[str]:
    """Regions inside ``region`` that submit the monthly hazard report (their numbers are not records)."""
    frame = store.query(
        f"SELECT DISTINCT region_code FROM hazard_stats WHERE {_subtree()} ORDER BY 1", [region, region, region, region]
    )
    return [str(c) for c in frame["region_code"]]


def accident_points(
    store: Store,
    region: str,
    first_day: dt.date,
    last_day: dt.date,
    industries: tuple[str, ...] | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """Accident records with coordinates inside ``region`` between two days, the most serious and
    newest first (at most ``limit``, so that a map stays light; ``total`` on every row counts them all,
    so that a page can say how many were left off)."""
    params: list[Any] = [region, region, region, region, first_day, last_day]
    ind = _industry_filter(industries, params)
    params.append(limit)
    return store.query(
        f"""SELECT accident_id, occurred_at, region_code, industry, enterprise, deaths + missing AS deaths, grade,
                   longitude, latitude, COUNT(*) OVER () AS total
            FROM accidents
            WHERE {_subtree()} AND occurred_at >= CAST(? AS DATE) AND occurred_at < CAST(? AS DATE) + 1
              AND longitude IS NOT NULL AND latitude IS NOT NULL{ind}
            ORDER BY CASE grade WHEN 'extraordinary' THEN 0 WHEN 'major' THEN 1 WHEN 'larger' THEN 2 ELSE 3 END,
                     occurred_at DESC
            LIMIT ?""",
        params,
    )


def import_stamp(store: Store) -> tuple[dt.datetime | None, str]:
    """(when the data was last updated: the latest import not undone, None when there is none; a
    token that changes with every import and every undo, so that a cache keyed on it sees both)."""
    row = store.query(
        """SELECT max(imported_at) FILTER (WHERE undone_at IS NULL) AS last_update, count(*) AS imports,
                  max(imported_at) AS last_import, count(undone_at) AS undone, max(undone_at) AS last_undo
           FROM imports"""
    ).iloc[0]
    last = None if pd.isna(row["last_update"]) else pd.Timestamp(row["last_update"]).to_pydatetime()
    token = "|".join(str(row[c]) for c in ("imports", "last_import", "undone", "last_undo"))
    return last, token
