"""Compact GeoJSON text for the browser: rounded coordinates, only the properties asked for."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def auto_precision(bounds: Sequence[float]) -> int:
    """Decimals for coordinates: about 1/10,000 of the map's extent, between 4 (≈11 m) and 5 (≈1 m)."""
    minx, miny, maxx, maxy = bounds
    extent = max(maxx - minx, maxy - miny)
    if not math.isfinite(extent) or extent <= 0:
        return 5
    return max(4, min(5, math.ceil(-math.log10(extent / 10_000))))


def _json_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def to_geojson(gdf: gpd.GeoDataFrame, precision: int | None = None) -> str:
    """A GeoJSON FeatureCollection of ``gdf``: every non-geometry column becomes a property (select
    the columns you want shown first), coordinates are rounded to ``precision`` decimals (default:
    :func:`auto_precision`), and the text has no spaces, ids or bounding boxes.

    Rows with an empty or missing geometry are written with ``"geometry": null``, not dropped.
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"to_geojson expects a GeoDataFrame; got {type(gdf).__name__}")
    if precision is not None and not (isinstance(precision, int) and 0 <= precision <= 15):
        raise ValueError(f"precision must be an integer from 0 to 15 decimals; got {precision!r}")
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    if precision is None:
        precision = auto_precision(shapely.total_bounds(geoms)) if len(gdf) else 5
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, precision))
    texts = shapely.to_geojson(rounded)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    records = gdf[columns].astype(object).to_numpy()
    features = []
    for row, geometry, is_empty in zip(records, texts, empty, strict=True):
        properties = {str(c): _json_value(v) for c, v in zip(columns, row, strict=True)}
        geometry = "null" if is_empty else geometry
        props = json.dumps(properties, ensure_ascii=False, separators=(",", ":"))
        features.append('{"type":"Feature","properties":' + props + ',"geometry":' + geometry + "}")
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
