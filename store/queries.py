"""Read queries behind the pages and reports. SQL stays here; the rules stay in domain/analytics."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from store.duckdb_store import Store


def _subtree(alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    return f"(? = '100000' OR {a}region_code = ? OR {a}province_code = ? OR {a}city_code = ?)"


def accident_cells(store: Store, region: str, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """Accident records inside ``region`` between two days (inclusive), aggregated by month,
    region, industry and grade. Deaths include the missing (死亡失踪)."""
    return store.query(
        f"""SELECT strftime(occurred_at, '%Y-%m') AS month, region_code, province_code, city_code,
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
