"""The monthly statistics of the regions that submit no records: accident totals of the aggregate-only
cities (from their would-be records) and the hazard report (月报表) of the hazard-stats counties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from loaders.demo.common import START, _hierarchy, _str
from loaders.demo.hazards import HAZ_MAJOR, HAZ_SHARE
from loaders.demo.regions import AGGREGATE_ONLY_CITIES, HAZARD_STATS_COUNTIES, geography


def _accident_stats(records: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Monthly totals of the aggregate-only cities, 2019-01 to the last complete month, zeros included."""
    last = pd.Period(today, "M") - 1
    periods = pd.period_range(pd.Period(START, "M"), last, freq="M")
    # A statistics form's 死亡人数 counts the missing too (死亡失踪), as the records' deaths do when read.
    r = records.assign(
        period=records["occurred_at"].dt.to_period("M"),
        deaths=records["deaths"] + records["missing"],
        larger=records["grade"] == "larger",
        major=records["grade"].isin(["major", "extraordinary"]),
        hurt=records["injuries"] + records["serious_injuries"],
    )
    r = r[r["period"] <= last]
    agg = r.groupby(["city_code", "period"]).agg(
        accidents=("accident_id", "size"),
        deaths=("deaths", "sum"),
        larger_accidents=("larger", "sum"),
        major_accidents=("major", "sum"),
        injuries=("hurt", "sum"),
        direct_loss_wan=("direct_loss_wan", "sum"),
    )
    agg["larger_deaths"] = r[r["larger"]].groupby(["city_code", "period"])["deaths"].sum()
    agg["major_deaths"] = r[r["major"]].groupby(["city_code", "period"])["deaths"].sum()
    full = pd.MultiIndex.from_product([list(AGGREGATE_ONLY_CITIES), periods], names=["city_code", "period"])
    agg = agg.reindex(full).fillna(0).reset_index()
    out = pd.DataFrame(
        {
            "stat_id": _str("DEMO-AS-" + agg["city_code"] + "-" + agg["period"].astype(str)),
            "period": _str(agg["period"].astype(str)),
            "period_kind": _str(["month"] * len(agg)),
            "year": agg["period"].dt.year.astype(np.int64),
            "month": agg["period"].dt.month.astype(np.int64),
            "region_code": _str(agg["city_code"]),
        }
    )
    out = pd.concat([out, _hierarchy(agg["city_code"].to_numpy())], axis=1)
    out["industry"] = _str([None] * len(agg))
    for col in (
        "accidents",
        "deaths",
        "larger_accidents",
        "larger_deaths",
        "major_accidents",
        "major_deaths",
        "injuries",
    ):
        out[col] = agg[col].astype(np.int64)
    out["direct_loss_wan"] = agg["direct_loss_wan"].round(1).astype(float)
    return out


def _hazard_stats(seed: int, hazards: int, today: dt.date) -> pd.DataFrame:
    """The monthly hazard report of the hazard-stats counties, per industry, scaled to the density of
    the ledger's own records: these two industrial counties report about 15× an average county."""
    rng = np.random.default_rng([seed, 7])
    geo = geography()
    months = pd.period_range(pd.Period(START, "M"), pd.Period(today, "M") - 1, freq="M")
    per_county_month = hazards / (len(geo.codes) * max(len(months), 1)) * 15
    pairs = [(code, ind) for code, industries in HAZARD_STATS_COUNTIES.items() for ind in industries]
    t = pd.DataFrame(
        {
            "region": np.repeat([c for c, _ in pairs], len(months)),
            "industry": np.repeat([i for _, i in pairs], len(months)),
            "period": np.tile(months, len(pairs)),
        }
    )
    share = t["industry"].map(HAZ_SHARE) / t["region"].map(
        {c: sum(HAZ_SHARE[i] for i in inds) for c, inds in HAZARD_STATS_COUNTIES.items()}
    )
    level = (per_county_month * share * (1.0 + 0.05 * (t["period"].dt.year - 2019))).to_numpy(dtype=float)
    n = len(t)
    general_found = rng.poisson(level + 3)
    major_found = rng.poisson(level * 0.012 * t["industry"].map(HAZ_MAJOR).to_numpy(dtype=float))
    major_rectified = rng.binomial(major_found, 0.8)
    supervised = rng.binomial(major_found, 0.6)
    out = pd.DataFrame(
        {
            "stat_id": _str("DEMO-HS-" + t["region"] + "-" + t["period"].astype(str) + "-" + t["industry"]),
            "period": _str(t["period"].astype(str)),
            "period_kind": _str(["month"] * n),
            "year": t["period"].dt.year.astype(np.int64),
            "month": t["period"].dt.month.astype(np.int64),
            "region_code": _str(t["region"]),
        }
    )
    out = pd.concat([out, _hierarchy(t["region"].to_numpy())], axis=1)
    out["industry"] = _str(t["industry"])
    counts = {
        "units": np.maximum(rng.poisson(np.sqrt(level) * 4 + 3), 1),
        "general_found": general_found,
        "general_rectified": rng.binomial(general_found, rng.uniform(0.9, 1.0, n)),
        "major_found": major_found,
        "major_rectified": major_rectified,
        "major_closed": rng.binomial(major_rectified, 0.85),
        "major_in_plan": rng.binomial(major_found, 0.95),
        "major_five_in_place": rng.binomial(major_found, 0.9),
        "major_supervised": supervised,
        "major_supervised_province": rng.binomial(supervised, 0.15),
    }
    for col, values in counts.items():
        out[col] = values.astype(np.int64)
    out["funds_wan"] = np.round(general_found * rng.uniform(0.2, 0.6, n) + major_found * rng.uniform(15, 60, n), 1)
    # The national forms' columns the demo's reports do not have (unknown), and the month's own figures.
    out["units_due"] = pd.array([pd.NA] * n, dtype="Int64")
    out["major_supervised_city"] = pd.array([pd.NA] * n, dtype="Int64")
    out["cumulative"] = False
    return out
