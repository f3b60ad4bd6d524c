"""Read queries behind the risk index (风险四色图): the hidden-danger factors of each child region."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from domain.regions import children, load_regions
from store.duckdb_store import Store
from store.hazard_measures import MAJOR, day, overdue_on, rectified_by
from store.queries import _CHILD_KEY, _industry_filter, _subtree

HAZARD_FACTOR_COLUMNS = (
    "code",
    "found",
    "rectified",
    "major_found",
    "open_major",
    "open_major_overdue",
    "open_overdue",
)


def hazard_factors_by_child(
    store: Store, region: str, first_day: dt.date, last_day: dt.date, industries: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Hidden-danger records (隐患台账) of each child region of ``region``, as of ``last_day``, with
    the meanings of ``answers.rectification.summary`` (the brief's figures; a test checks they agree):

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
    last = day(last_day)
    params: list[Any] = [region, region, region, region]
    where = f"{_subtree()} AND found_date <= {last}" + _industry_filter(industries, params)
    params.append(kids)
    frame = store.query(
        f"""WITH h AS (
              SELECT {key} AS code, {MAJOR} AS major, found_date >= {day(first_day)} AS in_period,
                     {rectified_by(last)} AS done, {overdue_on(last)} AS late
              FROM hazards WHERE {where})
            SELECT code,
                   count(*) FILTER (WHERE in_period) AS found,
                   count(*) FILTER (WHERE in_period AND done) AS rectified,
                   count(*) FILTER (WHERE in_period AND major) AS major_found,
                   count(*) FILTER (WHERE major AND NOT done) AS open_major,
                   count(*) FILTER (WHERE major AND late) AS open_major_overdue,
                   count(*) FILTER (WHERE late) AS open_overdue
            FROM h WHERE list_contains(?::VARCHAR[], code)
            GROUP BY code ORDER BY code""",
        params,
    )
    if frame.empty:
        return _empty()
    out = frame.astype({c: "int64" for c in HAZARD_FACTOR_COLUMNS[1:]})
    out["code"] = out["code"].astype(str)
    return out[list(HAZARD_FACTOR_COLUMNS)].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c != "code" else object) for c in HAZARD_FACTOR_COLUMNS})
