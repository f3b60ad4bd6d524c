"""Accident records: national magnitudes by year, the seed's rising provinces and industries, counts by
province, industry and month, grades under Decree 493 with casualties that reach them, and the fields
of a record (time, place, enterprise, type, summary, the grade as reported)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from domain.grading import grade_series
from loaders.demo.common import START, _choice_by_group, _hierarchy, _ids, _str
from loaders.demo.names import _company_names
from loaders.demo.regions import (
    AGGREGATE_ONLY_CITIES,
    PROVINCES,
    Geography,
    _pick_within,
    _province_industry,
    geography,
)
from loaders.demo.vocab import ACCIDENT_TYPES, IND, NO_ENTERPRISE, RAILWAY_GROUPS

# Share of accidents by industry (national statistics, roughly) and the weight of an industry among the
# 较大 accidents and among the 重特大 ones.
ACC_SHARE = dict(
    road_transport=0.545,
    construction=0.15,
    industry_trade=0.10,
    fire=0.035,
    other=0.035,
    waterway=0.02,
    railway=0.02,
    special_equipment=0.02,
    noncoal_mine=0.016,
    urban_gas=0.014,
    fishing=0.013,
    chemicals=0.012,
    farm_machinery=0.01,
    coal_mine=0.008,
    fireworks=0.003,
    aviation=0.0005,
)
SEV_LARGER = dict(
    road_transport=1,
    construction=0.7,
    industry_trade=0.6,
    fire=1,
    other=0.5,
    waterway=3,
    railway=0.8,
    special_equipment=0.5,
    noncoal_mine=1.5,
    urban_gas=1.5,
    fishing=3,
    chemicals=3,
    farm_machinery=0.3,
    coal_mine=4,
    fireworks=4,
    aviation=20,
)
SEV_MAJOR = dict(
    road_transport=1,
    construction=0.5,
    industry_trade=0.4,
    fire=2.5,
    other=0.5,
    waterway=4,
    railway=1,
    special_equipment=0.3,
    noncoal_mine=2,
    urban_gas=3,
    fishing=4,
    chemicals=6,
    farm_machinery=0.1,
    coal_mine=8,
    fireworks=5,
    aviation=20,
)
MONTH = np.array([1.02, 0.72, 0.95, 1.0, 1.03, 1.04, 1.08, 1.06, 1.01, 1.0, 1.0, 1.09])
MONTH_BY_INDUSTRY = {
    "fireworks": [2.0, 1.3, 0.6, 0.6, 0.7, 0.8, 1, 1, 1, 1, 1.3, 1.7],
    "urban_gas": [1.4, 1.4, 1.1, 1, 0.9, 0.8, 0.8, 0.8, 0.9, 1, 1.2, 1.4],
    "fire": [1.4, 1.4, 1.2, 1, 0.9, 0.8, 0.8, 0.8, 0.9, 1, 1.2, 1.4],
    "fishing": [1, 0.8, 1, 1, 0.5, 0.3, 0.3, 0.4, 1.6, 1.6, 1.5, 1.2],
    "construction": [0.6, 0.5, 1, 1.1, 1.15, 1.15, 1.15, 1.15, 1.1, 1.1, 1, 0.8],
    "farm_machinery": [0.5, 0.5, 1, 1.5, 1.5, 1.5, 1, 1, 1.5, 1.5, 0.8, 0.5],
}
HOURS = np.array(
    [
        0.5,
        0.4,
        0.35,
        0.3,
        0.3,
        0.45,
        0.8,
        1.2,
        1.6,
        1.8,
        1.9,
        1.6,
        1.0,
        1.2,
        1.7,
        1.8,
        1.7,
        1.6,
        1.3,
        1.1,
        1.0,
        0.9,
        0.8,
        0.6,
    ]
)


def national_accidents(year: int) -> float:
    """Expected accidents nationally in a full year: 21,800 in 2024, about 7 %/year more before,
    4 % less in 2025 and 3 %/year less after."""
    if year <= 2024:
        return 21_800 * 1.075 ** (2024 - year)
    return 21_800 * 0.96 * 0.97 ** (year - 2025)


@dataclass(frozen=True)
class Profile:
    """The provinces and industries whose accidents rise from 2023 on (the seed picks them)."""

    rising_provinces: tuple[str, ...]
    rising_industries: tuple[str, ...]


def _profile(seed: int) -> Profile:
    rng = np.random.default_rng([seed, 1])
    big = sorted((c for c, (pop, _) in PROVINCES.items() if pop >= 30), key=str)
    provinces = tuple(sorted(rng.choice(big, 3, replace=False)))
    industries = tuple(
        sorted(
            rng.choice(
                ["industry_trade", "fire", "special_equipment", "urban_gas", "chemicals", "construction"],
                2,
                replace=False,
            )
        )
    )
    return Profile(tuple(str(p) for p in provinces), tuple(str(i) for i in industries))


def _accident_cells(
    rng: np.random.Generator, geo: Geography, profile: Profile, years: range, scale: float = 1.0
) -> tuple[np.ndarray, ...]:
    """Draw accident counts per (year, province, industry, month) and expand them to one row each; ``scale``
    multiplies the national magnitudes."""
    pop = np.array([PROVINCES[p][0] for p in geo.provinces])
    share = np.array([ACC_SHARE[i] for i in IND])
    f = _province_industry(geo.provinces, IND, pop)
    month = np.tile(MONTH, (len(IND), 1))
    for i, ind in enumerate(IND):
        if ind in MONTH_BY_INDUSTRY:
            month[i] *= MONTH_BY_INDUSTRY[ind]
    rise_p = np.isin(geo.provinces, profile.rising_provinces)
    rise_i = np.isin(IND, profile.rising_industries)
    parts = []
    for year in years:
        up = max(0, year - 2022)
        wp = pop * np.where(rise_p, 1.25**up, 1.0)
        wi = share * np.where(rise_i, 1.3**up, 1.0)
        cell = wp[:, None, None] * (f * wi[None, :])[:, :, None] * month[None, :, :]
        counts = rng.multinomial(rng.poisson(national_accidents(year) * scale), (cell / cell.sum()).ravel())
        idx = np.repeat(np.arange(counts.size), counts)
        p, i, m = np.unravel_index(idx, cell.shape)
        parts.append((np.full(len(idx), year), p, i, m + 1))
    return tuple(np.concatenate(a) for a in zip(*parts, strict=True))


def _grades(rng: np.random.Generator, year: np.ndarray, ind: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Intended grade per accident (0 general … 3 extraordinary): each year gets its expected number of
    较大 and 重特大 accidents (times ``scale``), given to the accidents of the riskier industries more often."""
    grade = np.zeros(len(year), dtype=np.int8)
    sev_l = np.array([SEV_LARGER[i] for i in IND])[ind]
    sev_m = np.array([SEV_MAJOR[i] for i in IND])[ind]
    for y in np.unique(year):
        rows = np.flatnonzero(year == y)
        ratio = national_accidents(int(y)) / 21_800
        n_major = int(round(9 * ratio**1.5 * scale))
        n_larger = int(round(389 * ratio**1.2 * scale))
        key = np.log(sev_m[rows]) + rng.gumbel(size=len(rows))
        major = rows[np.argsort(-key)[:n_major]]
        grade[major] = 2
        grade[major[rng.random(n_major) < 0.025]] = 3
        rest = rows[grade[rows] == 0]
        key = np.log(sev_l[rest]) + rng.gumbel(size=len(rest))
        grade[rest[np.argsort(-key)[:n_larger]]] = 1
    if not (grade == 3).any():  # the dashboard shows "time since the last 特别重大 accident"
        grade[np.flatnonzero(grade == 2)[0]] = 3
    return grade


def _casualties(rng: np.random.Generator, grade: np.ndarray, ind: np.ndarray) -> dict[str, np.ndarray]:
    """Deaths, missing, serious and minor injuries and loss (万元) that reach exactly the intended grade."""
    n = len(grade)
    water = np.isin(np.array(IND)[ind], ["waterway", "fishing"])
    road = np.array(IND)[ind] == "road_transport"
    lost = np.zeros(n, dtype=np.int64)  # deaths + missing
    serious = np.minimum(rng.poisson(0.3, n), 9)
    loss = np.clip(np.exp(rng.normal(np.log(30), 1.2, n)), 0.5, 999)
    g0, g1, g2, g3 = (grade == k for k in range(4))
    lost[g0] = rng.choice(3, g0.sum(), p=[0.19, 0.74, 0.07])
    no_death = g0 & (lost == 0)
    serious[no_death] = np.minimum(1 + rng.poisson(0.6, no_death.sum()), 9)
    # 较大: mostly by deaths (3–9), else by serious injuries (10–49) or by loss (1,000–4,999 万元).
    how = rng.choice(3, n, p=[0.86, 0.09, 0.05])
    by_deaths, by_serious, by_loss = g1 & (how == 0), g1 & (how == 1), g1 & (how == 2)
    lost[by_deaths] = rng.choice(np.arange(3, 10), by_deaths.sum(), p=[0.55, 0.2, 0.1, 0.06, 0.04, 0.03, 0.02])
    lost[by_serious | by_loss] = rng.choice(3, (by_serious | by_loss).sum(), p=[0.3, 0.4, 0.3])
    serious[by_serious] = rng.integers(10, 50, by_serious.sum())
    serious[g1 & ~by_serious] = np.minimum(rng.poisson(1.5, (g1 & ~by_serious).sum()), 9)
    loss[g1] = np.clip(np.exp(rng.normal(np.log(350), 0.9, g1.sum())), 30, 4999)
    loss[by_loss] = rng.uniform(1000, 4999, by_loss.sum())
    lost[g2] = np.minimum(10 + rng.geometric(0.25, g2.sum()) - 1, 29)
    serious[g2] = np.minimum(rng.poisson(5, g2.sum()), 49)
    loss[g2] = np.clip(np.exp(rng.normal(np.log(2500), 0.6, g2.sum())), 800, 9999)
    lost[g3] = 30 + rng.geometric(0.05, g3.sum()) - 1
    serious[g3] = rng.poisson(20, g3.sum())
    loss[g3] = np.exp(rng.normal(np.log(20000), 0.5, g3.sum())) + 10000
    missing = rng.binomial(lost, np.where(water, 0.25, np.where(grade >= 2, 0.05, 0.005)))
    injuries = rng.poisson(np.where(road, 1.2, 0.7) * (1 + 3 * grade))
    return dict(
        deaths=lost - missing,
        missing=missing,
        serious_injuries=serious,
        injuries=injuries,
        direct_loss_wan=np.round(loss, 1),
    )


def _enterprises_for_accidents(
    rng: np.random.Generator, geo: Geography, leaf: np.ndarray, ind: np.ndarray
) -> np.ndarray:
    ind_code = np.array(IND, dtype=object)[ind]
    names = _company_names(rng, geo.prefix[leaf], ind_code)
    rail = ind_code == "railway"
    bureau = np.array([RAILWAY_GROUPS[p] for p in geo.provinces], dtype=object)[geo.province[leaf[rail]]]
    names[rail] = "中国铁路" + bureau + "集团有限公司"
    none = rng.random(len(leaf)) < np.array([NO_ENTERPRISE.get(i, 0.0) for i in IND])[ind]
    names[none] = None
    return names


def _join(*parts: Any) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _summaries(occurred: pd.DatetimeIndex, place: pa.Array, kind: np.ndarray, c: dict[str, np.ndarray]) -> pa.Array:
    """事故简况: 2024年5月6日14时许，长沙某公司发生一起高处坠落事故，造成1人死亡。"""
    casualty: pa.Array = pa.array(np.full(len(place), "", dtype=object), type=pa.string())
    for col, word in (
        ("deaths", "人死亡"),
        ("missing", "人失踪"),
        ("serious_injuries", "人重伤"),
        ("injuries", "人轻伤"),
    ):
        part = pc.if_else(pa.array(c[col] > 0), _join(pa.array(c[col]).cast(pa.string()), word), "")
        both = pc.and_(pc.not_equal(casualty, ""), pc.not_equal(part, ""))
        casualty = _join(casualty, pc.if_else(both, "、", ""), part)
    unhurt = pc.equal(casualty, "").to_numpy(zero_copy_only=False)
    loss = np.full(len(place), "", dtype=object)  # numpy's text of the amount (30.0, not 30)
    loss[unhurt] = "无人员伤亡，直接经济损失" + c["direct_loss_wan"][unhurt].astype(str).astype(object) + "万元"
    casualty = pc.if_else(pa.array(unhurt), pa.array(loss, type=pa.string()), _join("造成", casualty))
    when = _join(
        *(
            x
            for part, unit in (
                (occurred.year, "年"),
                (occurred.month, "月"),
                (occurred.day, "日"),
                (occurred.hour, "时许，"),
            )
            for x in (pa.array(np.asarray(part)).cast(pa.string()), unit)
        )
    )
    return _join(when, place, "发生一起", pa.array(kind, type=pa.string()), "事故，", casualty, "。")


def _expected_records(today: dt.date) -> float:
    """About how many accident records the national magnitudes give from 2019 to ``today``."""
    total = 0.0
    for year in range(START.year, today.year + 1):
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        total += national_accidents(year) * (min(today, end) - start).days / (end - start).days
    return total * 0.99  # the aggregate-only cities' accidents are not records


def _accidents_frame(seed: int, today: dt.date, records: int | None = None) -> pd.DataFrame:
    """All accident records, including those of the aggregate-only cities (removed by the caller).

    ``records``: how many records (outside the aggregate-only cities) there are to be; None: as many as the
    national magnitudes give (about 195,000 from 2019 to 2026). Otherwise the magnitudes are scaled to a
    little more than that (较大 and 重特大 accidents too) and general and 较大 accidents drawn at random are
    left out until exactly ``records`` remain."""
    if records is None:
        return _accidents_frame_at(seed, today, 1.0, None)
    scale = records / _expected_records(today) * 1.04
    for _ in range(5):
        frame = _accidents_frame_at(seed, today, scale, records)
        if frame is not None:
            return frame
        scale *= 1.1  # fewer than asked for (rare): draw again with larger magnitudes
    raise RuntimeError(f"could not draw {records} accident records")


def _accidents_frame_at(seed: int, today: dt.date, scale: float, records: int | None) -> pd.DataFrame | None:
    rng = np.random.default_rng([seed, 2])
    geo = geography()
    profile = _profile(seed)
    year, prov, ind, month = _accident_cells(rng, geo, profile, range(START.year, today.year + 1), scale)
    n = len(year)
    county_weight = np.exp(np.random.default_rng([seed, 3]).normal(0, 0.6, len(geo.codes)))
    leaf = _pick_within(rng, prov, county_weight, geo.province)
    first = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1})).to_numpy()
    days = pd.DatetimeIndex(first).days_in_month.to_numpy()
    minutes = (
        np.floor(rng.random(n) * days) * 1440 + rng.choice(24, n, p=HOURS / HOURS.sum()) * 60 + rng.integers(0, 60, n)
    )
    occurred = first + minutes.astype("timedelta64[m]")
    grade = _grades(rng, year, ind, scale)
    c = _casualties(rng, grade, ind)
    ind_code = np.array(IND, dtype=object)[ind]
    kind = _choice_by_group(rng, ind_code, ACCIDENT_TYPES, n)
    enterprise = _enterprises_for_accidents(rng, geo, leaf, ind)
    has_xy = rng.random(n) < 0.7
    lon = np.where(has_xy, np.round(geo.lon[leaf] + rng.normal(0, 1, n) * geo.spread[leaf], 5), np.nan)
    lat = np.where(has_xy, np.round(geo.lat[leaf] + rng.normal(0, 1, n) * geo.spread[leaf], 5), np.nan)
    keep = occurred < np.datetime64(today)
    order = np.lexsort((geo.codes[leaf], occurred))
    order = order[keep[order]]
    if records is not None:
        counted = ~np.isin(geo.city[leaf[order]], AGGREGATE_ONLY_CITIES)
        surplus = int(counted.sum()) - records
        if surplus < 0:
            return None
        spare = np.flatnonzero(counted & (grade[order] <= 1))
        order = np.delete(order, np.random.default_rng([seed, 9]).choice(spare, surplus, replace=False))
    occurred_at = pd.DatetimeIndex(occurred[order]).as_unit("s")
    named = pa.array(enterprise[order], type=pa.string())
    place = pc.if_else(named.is_null(), pa.array(geo.place + "境内").take(leaf[order]), named)
    kind_text = np.where(ind[order] == IND.index("road_transport"), "道路交通", kind[order])
    c = {k: v[order] for k, v in c.items()}
    frame = pd.DataFrame(
        {
            "accident_id": _ids("DEMO-A-", 1, len(order), max(6, len(str(len(order))))),
            "occurred_at": occurred_at,
            "region_code": _str(geo.codes[leaf[order]]),
        }
    )
    frame = pd.concat([frame, _hierarchy(geo.codes[leaf[order]])], axis=1)
    frame["industry"] = _str(ind_code[order])
    frame["enterprise"] = _str(enterprise[order])
    for k, v in c.items():
        frame[k] = v if k == "direct_loss_wan" else v.astype(np.int64)
    frame["accident_type"] = _str(kind[order])
    frame["grade"] = grade_series(
        (frame["deaths"] + frame["missing"]), frame["serious_injuries"], frame["direct_loss_wan"]
    )
    intended = np.array(["general", "larger", "major", "extraordinary"])[grade[order]]
    if not (frame["grade"].to_numpy() == intended).all():
        raise AssertionError("demo casualties do not reach their intended grade")  # a bug in this module
    frame["grade_reported"] = _reported_grades(rng, frame)
    frame["grade_conflict"] = (frame["grade_reported"].notna() & (frame["grade_reported"] != frame["grade"])).astype(
        bool
    )
    frame["summary"] = pd.array(_summaries(occurred_at, place, kind_text, c), dtype="string")
    frame["longitude"] = lon[order]
    frame["latitude"] = lat[order]
    return frame


def _reported_grades(rng: np.random.Generator, frame: pd.DataFrame) -> pd.api.extensions.ExtensionArray:
    """The grade as written: the derived one, blank for ~20 %, and a handful that contradict it —
    mostly 较大-and-above accidents written one grade lower, a few general ones written as 较大."""
    grade = frame["grade"].to_numpy(dtype=object)
    reported = np.where(rng.random(len(grade)) < 0.2, None, grade)
    k = min(60, max(8, len(grade) // 4000))
    lower = {"larger": "general", "major": "larger", "extraordinary": "major"}
    serious = np.flatnonzero(grade != "general")
    under = rng.choice(serious, min(len(serious), k * 2 // 3), replace=False)
    reported[under] = [lower[g] for g in grade[under]]
    borderline = np.flatnonzero((grade == "general") & ((frame["deaths"] + frame["missing"]).to_numpy() == 2))
    over = rng.choice(borderline, min(len(borderline), k - len(under)), replace=False)
    reported[over] = "larger"
    return _str(reported)
