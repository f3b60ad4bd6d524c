"""The South China Sea inset (南海诸岛附图) of a national map, drawn in the map's own coordinates.

Standard national maps show the mainland in the main frame and the South China Sea islands with the
dashed line in a small frame at the lower right. With no base tiles the same can be done on any map
(Leaflet or Plotly): the national regions and the maritime line are clipped to :data:`SOUTH_CHINA_SEA`,
scaled down and moved into :data:`INSET_PLACE`, an empty stretch of sea east of 台湾 inside the main
view :data:`NATIONAL_VIEW`. The pieces keep their region codes, so a choropleth colours them like the
main map.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from domain.regions import COUNTRY_CODE
from geo.boundaries import CRS, children_geometries, maritime_boundary

# (min lon, min lat, max lon, max lat)
SOUTH_CHINA_SEA = (105.5, 2.5, 124.5, 24.5)  # what the inset shows
INSET_PLACE = (125.0, 17.0, 134.5, 28.0)  # where it is drawn; same aspect ratio as SOUTH_CHINA_SEA
NATIONAL_VIEW = (73.0, 16.5, 135.5, 54.0)  # the main frame of a national map with the inset


@dataclass(frozen=True)
class Inset:
    """``regions``: code, name, level, geometry (moved into the inset); ``lines``: name, geometry —
    the maritime line and the inset's frame."""

    regions: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame


def _mover(source: tuple[float, ...], place: tuple[float, ...]):
    sx0, sy0, sx1, sy1 = source
    px0, py0, px1, py1 = place
    scale = np.array([(px1 - px0) / (sx1 - sx0), (py1 - py0) / (sy1 - sy0)])

    def move(xy: np.ndarray) -> np.ndarray:
        return np.array([px0, py0]) + (xy - np.array([sx0, sy0])) * scale

    return move


def south_china_sea_inset(
    regions: gpd.GeoDataFrame | None = None,
    source: tuple[float, ...] = SOUTH_CHINA_SEA,
    place: tuple[float, ...] = INSET_PLACE,
) -> Inset:
    """The inset for a national map of ``regions`` (default: the national province map): the parts of
    the regions and of the maritime line inside ``source``, moved into ``place``, and the frame."""
    for name, box in (("source", source), ("place", place)):
        if len(box) != 4 or not (box[0] < box[2] and box[1] < box[3]):
            raise ValueError(f"{name} must be (min lon, min lat, max lon, max lat) with min < max; got {box!r}")
    if regions is None:
        regions = children_geometries(COUNTRY_CODE)
    move = _mover(source, place)
    clipped = shapely.clip_by_rect(np.asarray(regions.geometry.array, dtype=object), *source)
    keep = ~(shapely.is_empty(clipped) | shapely.is_missing(clipped))
    moved = regions.loc[keep, [c for c in regions.columns if c != regions.geometry.name]].copy()
    inset_regions = gpd.GeoDataFrame(moved, geometry=shapely.transform(clipped[keep], move), crs=CRS)
    line = shapely.clip_by_rect(maritime_boundary().geometry.iloc[0], *source)
    frame = shapely.box(*place).exterior
    lines = gpd.GeoDataFrame(
        {"name": ["maritime boundary", "inset frame"]}, geometry=[shapely.transform(line, move), frame], crs=CRS
    )
    return Inset(inset_regions.reset_index(drop=True), lines)
