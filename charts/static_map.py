"""The four-colour risk map as a PNG, drawn without a browser (geopandas + matplotlib, the Agg
backend, no pyplot state): for the meeting pack's slides and its PDF, and the presentation mode.

The boundaries are those of the app's maps (``geo.boundaries.children_geometries``: simplified,
islands kept), with the South China Sea maritime line on a national map, a name on each region and a
legend of the levels with their counts. Chinese names need a CJK font: the first of
:data:`CJK_FONTS` that matplotlib finds (Noto Sans CJK SC on a Debian machine with fonts-noto-cjk).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from functools import cache

import pandas as pd
import shapely

from domain.palette import NO_DATA_COLOUR
from domain.regions import COUNTRY_CODE, english_name
from i18n import t

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "WenQuanYi Zen Hei", "Noto Sans SC")
EDGE = "#4b5563"
BACKGROUND = "#ffffff"
MIN_LABEL_SHARE = 0.0025  # a region named on the map covers at least this share of it


@cache
def cjk_font() -> str | None:
    """The family name of a CJK font matplotlib can use, or None (Chinese names would then be boxes)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in names), None)


def map_label(code: str, name: str, lang: str) -> str:
    """A region's name on the map: its one official name, as everywhere else (湘西土家族苗族自治州, 内蒙古自治区),
    broken before an autonomous region's or prefecture's last words when long; its pinyin in English."""
    if lang != "zh":
        return english_name(code)
    for suffix in ("自治区", "自治州", "自治县", "特别行政区"):
        if name.endswith(suffix) and len(name) > 5:
            return name[: -len(suffix)] + "\n" + suffix
    return name


def _label_size(n: int) -> float | None:
    if n <= 20:
        return 9.0
    if n <= 40:
        return 6.0
    return None  # too many to name


def _names(ax, canvas, parent: str, shapes, size: float, lang: str, font: dict) -> None:
    """A name in each region, the largest regions first; a name that would overprint one already
    placed, or that belongs to a region too small to hold it, is left out."""
    from matplotlib.patheffects import withStroke

    from geo.boundaries import representative_points

    area = shapely.area(shapes.geometry.to_numpy())  # in square degrees, as drawn
    big = set(shapes["code"][area >= MIN_LABEL_SHARE * area.sum()])
    order = shapes.assign(area=area).sort_values("area", ascending=False)["code"].tolist()
    points = representative_points(parent).set_index("code")
    renderer = canvas.get_renderer()
    halo = [withStroke(linewidth=2.2, foreground="white")]
    placed = []
    for code in order:
        if code not in big or code not in points.index or pd.isna(points.at[code, "lon"]):
            continue
        p = points.loc[code]
        text = ax.text(
            p["lon"],
            p["lat"],
            map_label(code, p["name"], lang),
            ha="center",
            va="center",
            fontsize=size,
            color="#111827",
            path_effects=halo,
            **font,
        )
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in placed):
            text.remove()
        else:
            placed.append(box)


def risk_map_png(
    parent: str,
    colours: Mapping[str, str],
    legend: Sequence[tuple[str, str]],
    lang: str = "zh",
    size: tuple[float, float] = (6.0, 5.6),
    dpi: int = 200,
    names: bool = True,
) -> bytes:
    """The children of ``parent`` filled with ``colours`` (code → #rrggbb; grey where missing), with
    ``legend`` items (#rrggbb, text) below the map. PNG bytes; an empty map says so.

    ``size`` (inches) is the box the picture is for: the map keeps its shape and is as large as fits
    it, so that its names and legend print at their point sizes when placed at that size."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from geo.boundaries import children_geometries, maritime_boundary

    family = cjk_font()
    font = {"family": family} if family else {}
    shapes = children_geometries(parent)
    shapes = shapes[shapes.geometry.notna()]
    bounds = None
    if not shapes.empty:
        minx, miny, maxx, maxy = shapes.total_bounds
        if parent == COUNTRY_CODE:
            sea = maritime_boundary()
            sx0, sy0, sx1, sy1 = sea.total_bounds
            minx, miny, maxx, maxy = min(minx, sx0), min(miny, sy0), max(maxx, sx1), max(maxy, sy1)
        # Degrees of longitude are shorter than degrees of latitude away from the equator.
        stretch = 1 / max(math.cos(math.radians((miny + maxy) / 2)), 0.2)
        bounds = (minx, miny, maxx, maxy, stretch)
        # The figure takes the map's shape, as large as fits the box below the legend's rows, so no
        # band of white is left around it.
        rows = math.ceil(len(list(legend)) / (5 if lang == "zh" else 3)) if legend else 0
        legend_h = 0.3 * rows + 0.1
        ratio = (maxy - miny) * stretch / max(maxx - minx, 1e-9)
        width = min(size[0], (size[1] - legend_h) / ratio)
        size = (width, width * ratio)
    fig = Figure(figsize=size, dpi=dpi, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    if bounds is None:
        ax.text(0.5, 0.5, t("无地图", "no map", lang), ha="center", va="center", fontsize=12, **font)
    else:
        minx, miny, maxx, maxy, stretch = bounds
        fill = [colours.get(c, NO_DATA_COLOUR) for c in shapes["code"]]
        shapes.plot(ax=ax, color=fill, edgecolor=EDGE, linewidth=0.5)
        if parent == COUNTRY_CODE:
            maritime_boundary().plot(ax=ax, color=EDGE, linewidth=0.8)
        ax.set_aspect(stretch)
        pad_x, pad_y = (maxx - minx) * 0.02, (maxy - miny) * 0.02
        ax.set_xlim(minx - pad_x, maxx + pad_x)
        ax.set_ylim(miny - pad_y, maxy + pad_y)
        label_size = _label_size(len(shapes)) if names else None
        if label_size:
            _names(ax, canvas, parent, shapes, label_size, lang, font)
    handles = [Patch(facecolor=c, edgecolor=EDGE, linewidth=0.5, label=t) for c, t in legend]
    if handles:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=min(len(handles), 5 if lang == "zh" else 3),
            frameon=False,
            handlelength=1.4,
            columnspacing=1.2,
            prop={**font, "size": 9},
        )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor=BACKGROUND, bbox_inches="tight", pad_inches=0.05)
    return buf.getvalue()
