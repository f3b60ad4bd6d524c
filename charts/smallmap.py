"""A small static risk map for the Briefing page: Plotly shapes on plain axes — fast, no tiles,
no topojson from a CDN (plotly's geo maps fetch their base layers from one)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import shapely

from charts.theme import style


def _rings(geom) -> list[list[tuple[float, float]]]:
    polys = list(geom.geoms) if isinstance(geom, shapely.MultiPolygon) else [geom]
    return [list(p.exterior.coords) for p in polys if not p.is_empty]


def small_map(regions, title: str | None = None, height: int = 420) -> go.Figure:
    """``regions``: GeoDataFrame with code, name, colour, tip (HTML), geometry."""
    fig = go.Figure()
    for _, r in regions[regions.geometry.notna()].iterrows():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in _rings(r.geometry):
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=r["colour"], mode="lines",
                                 line=dict(color="#4b5563", width=0.6), name=r["name"], text=r["tip"],
                                 hoveron="fills", hoverinfo="text", showlegend=False))
    if len(regions):
        minx, miny, maxx, maxy = regions.total_bounds
        mid = math.cos(math.radians((miny + maxy) / 2))
        fig.update_yaxes(scaleanchor="x", scaleratio=1 / max(mid, 0.2))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig = style(fig, title, height=height)
    if len(regions):
        # The theme's y axis starts at zero (right for counts): a map's must not, or a province
        # between 24°N and 30°N is drawn as a speck at the top of a 0–30° frame.
        padx, pady = (maxx - minx) * 0.03, (maxy - miny) * 0.03
        fig.update_xaxes(range=[minx - padx, maxx + padx])
        fig.update_yaxes(range=[miny - pady, maxy + pady], rangemode="normal")
    fig.update_layout(plot_bgcolor="#eef2f6", paper_bgcolor="white", margin=dict(l=0, r=0, t=40 if title else 0, b=0))
    return fig
