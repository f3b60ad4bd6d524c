"""Read queries behind the risk index (风险四色图): the hidden-danger factors of each child region."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from domain.regions import children, load_regions
from store.duckdb_store import Store
from store.queries import _industry_filter, _subtree

HAZARD_FACTOR_COLUMNS = ("code", "found", "rectified", "major_found", "open_major", "open_major_overdue",
                         "open_overdue")

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


def hazard_factors_by_child(store: Store, region: str, first_day: dt.date, last_day: dt.date,
                            industries: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Hidden-danger records (隐患台账) of each child region of ``region``, as of ``last_day``, with
    the meanings of ``analytics.rectification.summary`` (the brief's figures; a test checks they agree):

    - ``found`` in the period and, of those, ``rectified`` by ``last_day``; ``major_found``;
    - ``open_major``: major hazards found on or before ``last_day`` and not rectified by then;
      ``open_major_overdue``: of those, past their deadline on ``last_day``; ``open_overdue``: open
      hazards of any grade past their deadline.

    One row per child with at least one hazard record found on or before ``last_day`` (a child without
    any is absent: it has no hazard data, which is not the same as zero), ordered by code. A failed
    acceptance (验收不通过) counts as not rectified; a hazard marked rectified or closed without a
    rectification date counts as rectified. Records only: the monthly reports are not here.
    Raises ValueError for an unknown region code; a county (no children) gives an empty frame.
    """
    regions = load_regions()
    if region not in regions:
        raise ValueError(f"region must be a GB/T 2260 code such as 430000 or 100000, got {region!r}")
    kids = [c.code for c in children(region)]
    if not kids:
        return _empty()
    key = _CHILD_KEY[regions[region].level]
    params: list[Any] = [first_day, last_day, last_day, region, region, region, region, last_day]
    where = f"{_subtree()} AND found_date <= CAST(? AS DATE)" + _industry_filter(industries, params)
    params.append(kids)
    frame = store.query(
        f"""WITH h AS (
              SELECT {key} AS code, grade, found_date >= CAST(? AS DATE) AS in_period,
                     (rectified_date IS NOT NULL AND rectified_date <= CAST(? AS DATE)
                       AND status <> 'acceptance_failed')
                       OR (rectified_date IS NULL AND status IN ('rectified', 'closed')) AS done,
                     deadline IS NOT NULL AND deadline < CAST(? AS DATE) AS past_deadline
              FROM hazards WHERE {where})
            SELECT code,
                   count(*) FILTER (WHERE in_period) AS found,
                   count(*) FILTER (WHERE in_period AND done) AS rectified,
                   count(*) FILTER (WHERE in_period AND grade = 'major') AS major_found,
                   count(*) FILTER (WHERE grade = 'major' AND NOT done) AS open_major,
                   count(*) FILTER (WHERE grade = 'major' AND NOT done AND past_deadline) AS open_major_overdue,
                   count(*) FILTER (WHERE NOT done AND past_deadline) AS open_overdue
            FROM h WHERE list_contains(?::VARCHAR[], code)
            GROUP BY code ORDER BY code""", params)
    if frame.empty:
        return _empty()
    out = frame.astype({c: "int64" for c in HAZARD_FACTOR_COLUMNS[1:]})
    out["code"] = out["code"].astype(str)
    return out[list(HAZARD_FACTOR_COLUMNS)].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c != "code" else object) for c in HAZARD_FACTOR_COLUMNS})
