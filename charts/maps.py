"""Map figures: data in, a folium map out — fully offline.

folium's defaults load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs, and its branca
colour scales load d3 from one. None of that may leave a government intranet, so every map made
here is passed through :func:`offline`: Leaflet (and the marker-cluster plugin) come from the app's
own static files (``static/vendor``, served by Streamlit at ``/app/static``), nothing else is loaded,
there are no base-map tiles unless an operator names an intranet tile server, and the legend is
plain HTML instead of a branca colour scale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import folium
from branca.element import Element, MacroElement

STATIC = "/app/static/vendor"
LOCAL_JS = {
    "leaflet": f"{STATIC}/leaflet/leaflet.js",
    "markerclusterjs": f"{STATIC}/markercluster/leaflet.markercluster.js",
}
LOCAL_CSS = {
    "leaflet_css": f"{STATIC}/leaflet/leaflet.css",
    "markerclusterdefaultcss": f"{STATIC}/markercluster/MarkerCluster.Default.css",
    "markerclustercss": f"{STATIC}/markercluster/MarkerCluster.css",
}
_URL = re.compile(r"""(?:src|href)=["'](https?:)?//""", re.IGNORECASE)


def _walk(element: Element) -> Iterable[Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def offline(m: folium.Map) -> folium.Map:
    """Point every script and stylesheet of ``m`` at the app's own copies; drop the rest (jQuery,
    Bootstrap and Font Awesome are not needed by the maps made here). Raises ValueError if an
    element needs a resource that has no local copy."""
    for el in _walk(m):
        for attr, local in (("default_js", LOCAL_JS), ("default_css", LOCAL_CSS)):
            wanted = getattr(el, attr, None)
            if not wanted:
                continue
            kept = []
            for name, url in wanted:
                if name in local:
                    kept.append((name, local[name]))
                elif el is m or isinstance(el, folium.Map):
                    continue  # the Map's jQuery/Bootstrap/awesome-markers: unused
                else:
                    raise ValueError(f"{type(el).__name__} needs {name} from {url}: no local copy in {STATIC}")
            setattr(el, attr, kept)
    return m


def external_urls(html: str) -> list[str]:
    """Absolute http(s) URLs in rendered map HTML (the tests want none)."""
    return re.findall(r"""(?:src|href)=["']((?:https?:)?//[^"']+)""", html)


class Legend(MacroElement):
    """A plain HTML legend in a corner of the map (no d3, no CDN)."""

    def __init__(self, title: str, items: list[tuple[str, str]]) -> None:
        super().__init__()
        rows = "".join(
            f'<div style="display:flex;align-items:center;gap:8px;margin:3px 0">'
            f'<span style="width:18px;height:14px;background:{colour};border:1px solid #555;display:inline-block"></span>'
            f"<span>{text}</span></div>"
            for colour, text in items
        )
        self.html = (
            f'<div style="position:absolute;bottom:18px;left:18px;z-index:9999;background:rgba(255,255,255,.94);'
            f"padding:10px 14px;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:15px;"
            f'font-family:Noto Sans CJK SC, sans-serif"><b>{title}</b>{rows}</div>'
        )
        self._template = _legend_template(self.html)


def _legend_template(html: str):
    from jinja2 import Template

    escaped = html.replace("{", "{{ '{' }}").replace("}", "{{ '}' }}")
    return Template("{% macro html(this, kwargs) %}" + escaped + "{% endmacro %}")


def view_for(
    bounds: tuple[float, float, float, float], width_px: int = 1050, height_px: int = 640
) -> tuple[tuple[float, float], float]:
    """Centre and zoom that fit ``bounds`` (lon/lat) into a map of this size, in quarter zoom steps.
    (st_folium keeps the map's initial view, so the fit is computed here rather than by fitBounds.)"""
    import math

    minx, miny, maxx, maxy = bounds

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))

    dx = max(maxx - minx, 1e-6) / 360.0
    dy = max(merc(maxy) - merc(miny), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width_px / 256 / dx), math.log2(height_px / 256 / dy)) - 0.15
    centre_lat = math.degrees(math.atan(math.sinh((merc(maxy) + merc(miny)) / 2)))
    return (centre_lat, (minx + maxx) / 2), math.floor(zoom * 4) / 4


def base_map(
    bounds: tuple[float, float, float, float] | None = None, tiles_url: str | None = None, tiles_attribution: str = ""
) -> folium.Map:
    """An empty map on a plain background (no tiles unless ``tiles_url`` names an intranet server)."""
    center, zoom = view_for(bounds) if bounds is not None else ((35.0, 105.0), 4.0)
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        zoom_control=True,
        attribution_control=bool(tiles_url),
        zoom_snap=0.25,
        zoom_delta=0.5,
        # Leaflet.markercluster needs the map's maxZoom, which only a tile layer sets otherwise
        # (without it the cluster layer throws and the map never mounts).
        maxZoom=18,
        minZoom=2,
    )
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr=tiles_attribution or "intranet tiles").add_to(m)
    m.get_root().header.add_child(Element("<style>.leaflet-container{background:#eef2f6;}</style>"))
    return m


# One accident point: a small circle coloured by grade; a click on it must not reach the map (which
# would drill into the region under it).
_POINT_JS = """function (row) {
    var m = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 6, weight: 1, color: '#1f2937',
        fillColor: row[3], fillOpacity: 0.9, bubblingMouseEvents: false});
    m.bindTooltip(row[2]);
    return m;
}"""
# Cluster bubbles in neutral slate, so that they never read as the risk map's red/orange/yellow/blue.
_CLUSTER_ICON_JS = """function (cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 28 : (n < 100 ? 34 : (n < 1000 ? 40 : 48));
    return L.divIcon({html: '<div style="width:' + size + 'px;height:' + size + 'px;line-height:' + (size - 4) +
        'px;border-radius:50%;background:rgba(30,41,59,.82);color:#fff;border:2px solid #fff;box-sizing:border-box;' +
        'text-align:center;font-weight:600;font-size:12px;font-family:sans-serif">' + n + '</div>', className: 'accident-cluster',
        iconSize: L.point(size, size)});
}"""


def region_map(
    regions, legend: list[tuple[str, str]], legend_title: str, maritime=None, tiles_url: str | None = None, points=None
) -> folium.Map:
    """A choropleth of ``regions`` (GeoDataFrame: code, name, colour, tip, geometry), with a legend,
    the maritime line and, if given, a clustered layer of accident ``points`` (DataFrame: latitude,
    longitude, tip (HTML), colour)."""
    import json

    from geo.boundaries import to_geojson

    shapes = regions[regions.geometry.notna()]
    m = base_map(tuple(shapes.total_bounds) if len(shapes) else None, tiles_url)
    data = json.loads(to_geojson(shapes[["code", "name", "colour", "tip", "geometry"]]))
    folium.GeoJson(
        data,
        name="regions",
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": "#4b5563",
            "weight": 1,
            "fillOpacity": 0.85,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#111827", "fillOpacity": 0.95},
        tooltip=folium.GeoJsonTooltip(
            fields=["tip"],
            labels=False,
            sticky=True,
            style="font-size:14px;font-family:Noto Sans CJK SC, sans-serif;width:max-content;max-width:420px;white-space:normal;",
        ),
    ).add_to(m)
    if maritime is not None and len(maritime):
        folium.GeoJson(
            json.loads(to_geojson(maritime[["geometry"]])),
            name="maritime",
            style_function=lambda f: {"color": "#2563eb", "weight": 1.5, "dashArray": "6 4"},
            interactive=False,
        ).add_to(m)
    if points is not None and len(points):
        from folium.plugins import FastMarkerCluster

        rows = [
            [float(a), float(o), tip, colour]
            for a, o, tip, colour in zip(
                points["latitude"], points["longitude"], points["tip"], points["colour"], strict=True
            )
        ]
        FastMarkerCluster(
            rows,
            callback=_POINT_JS,
            icon_create_function=_CLUSTER_ICON_JS,
            name="accidents",
            showCoverageOnHover=False,
            maxClusterRadius=50,
        ).add_to(m)
    Legend(legend_title, legend).add_to(m)
    return offline(m)


def region_at(regions, clicked: dict | None) -> str | None:
    """The code of the region in ``regions`` (GeoDataFrame with code, geometry) under a map click
    ``{"lat": …, "lng": …}`` (what st_folium returns as ``last_clicked``), or None."""
    import shapely

    if not clicked or clicked.get("lat") is None or clicked.get("lng") is None:
        return None
    point = shapely.Point(float(clicked["lng"]), float(clicked["lat"]))
    hits = regions[regions.geometry.notna() & regions.geometry.intersects(point)]
    return None if hits.empty else str(hits["code"].iloc[0])
