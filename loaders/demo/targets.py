"""Control targets (控制指标): an annual deaths target and accidents target for the nation and every
mainland province, set as a bureau sets them — last year's outcome cut by 0–5 % — so that in the current
year some provinces run ahead of time progress (the rising ones, and those unlucky in the draw)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from domain.regions import COUNTRY_CODE
from loaders.demo.accidents import national_accidents
from loaders.demo.common import START, _hierarchy, _str
from loaders.demo.regions import geography


def _targets(seed: int, accidents: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """One row per (region, year) for the nation and the 31 provinces, 2019 to ``today``'s year.

    ``accidents`` are all the records *including* those of the aggregate-only cities (a target counts
    every death, whichever way it is reported). Deaths include the missing. The year before the data
    (2018) is estimated from 2019 by the national trend.
    """
    rng = np.random.default_rng([seed, 8])
    provinces = list(geography().provinces)
    codes = [COUNTRY_CODE, *provinces]
    years = list(range(START.year, today.year + 1))
    acc = accidents.assign(year=accidents["occurred_at"].dt.year, lost=accidents["deaths"] + accidents["missing"])
    acc = acc[acc["year"] < today.year]  # last year's outcome: always a complete year
    by_province = acc.groupby(["province_code", "year"]).agg(accidents=("accident_id", "size"), deaths=("lost", "sum"))
    national = acc.groupby("year").agg(accidents=("accident_id", "size"), deaths=("lost", "sum"))
    national.index = pd.MultiIndex.from_product([[COUNTRY_CODE], national.index])
    outcome = pd.concat([national, by_province]).reindex(
        pd.MultiIndex.from_product([codes, range(START.year, today.year)]), fill_value=0
    )
    before_start = national_accidents(START.year - 1) / national_accidents(START.year)
    rows = []
    for year in years:
        prev_year = max(year - 1, START.year)
        scale = before_start if year == START.year else 1.0
        cut = rng.uniform(0.95, 1.0, (len(codes), 2))
        for i, code in enumerate(codes):
            last = outcome.loc[(code, prev_year)] if prev_year < today.year else None
            if last is None:  # today is in 2019: no complete year yet
                continue
            rows.append(
                (
                    code,
                    year,
                    int(round(last["deaths"] * scale * cut[i, 0])),
                    int(round(last["accidents"] * scale * cut[i, 1])),
                )
            )
    frame = pd.DataFrame(rows, columns=["region_code", "year", "deaths_target", "accidents_target"])
    out = pd.DataFrame(
        {
            "target_id": _str("T-" + frame["region_code"] + "-" + frame["year"].astype(str)),
            "year": frame["year"].astype(np.int64),
            "region_code": _str(frame["region_code"]),
        }
    )
    out = pd.concat([out, _hierarchy(frame["region_code"].to_numpy())], axis=1)
    out["deaths_target"] = frame["deaths_target"].astype(np.int64)
    out["accidents_target"] = pd.array(frame["accidents_target"], dtype="Int64")
    return out
