"""The numbers of the risk map: one row per region on the map for the metric chosen, with its
colour class and the words of its tooltip. Pure: frames in, frames out."""

from __future__ import annotations

import pandas as pd

from analytics.risk import LEVEL_COLOURS
from analytics.risk_words import LEVEL_LABELS, NO_DATA, reasons_text

METRICS = ("risk", "accidents", "deaths", "change", "open_major", "overdue", "rectification_rate")
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "risk": ("风险等级", "Risk level"),
    "accidents": ("事故起数", "Accidents"),
    "deaths": ("死亡人数", "Deaths"),
    "change": ("事故起数同比变化", "Accidents, change on last year"),
    "open_major": ("在治重大隐患", "Open major hazards"),
    "overdue": ("超期未整改隐患", "Overdue hazards"),
    "rectification_rate": ("隐患整改率", "Rectification rate"),
}
SEQUENTIAL = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")  # more is worse
DIVERGING = ("#1a9641", "#a6d96a", "#f7f7f7", "#fdae61", "#d7191c")  # fall (good) … rise (bad)
RATE = ("#d7191c", "#fdae61", "#fee08b", "#a6d96a", "#1a9641")  # low rate (bad) … high (good)
GREY = LEVEL_COLOURS[NO_DATA]


def metric_values(index: pd.DataFrame, metric: str) -> pd.Series:
    """The value of ``metric`` per region (NA where the region has no data for it)."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    if metric == "risk":
        return pd.to_numeric(index["score"], errors="coerce")
    if metric == "change":
        cur = pd.to_numeric(index["accidents"], errors="coerce")
        prev = pd.to_numeric(index["accidents_previous"], errors="coerce")
        return ((cur - prev) / prev.where(prev > 0) * 100).where(prev > 0)
    if metric == "overdue":
        return pd.to_numeric(index["open_overdue"], errors="coerce")
    if metric == "rectification_rate":
        return pd.to_numeric(index["rectification_rate"], errors="coerce") * 100
    return pd.to_numeric(index[metric], errors="coerce")


def _bins(values: pd.Series, metric: str) -> tuple[list[float], tuple[str, ...]]:
    if metric == "change":
        return [-20.0, -5.0, 5.0, 20.0], DIVERGING
    if metric == "rectification_rate":
        return [80.0, 90.0, 95.0, 98.0], RATE
    known = values.dropna()
    if known.empty or known.max() == known.min():
        return [], SEQUENTIAL
    qs = sorted({float(known.quantile(q)) for q in (0.2, 0.4, 0.6, 0.8)})
    return qs, SEQUENTIAL


def colour_regions(index: pd.DataFrame, metric: str, lang: str = "zh") -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """(index with ``value``, ``colour`` and ``tip`` columns, legend items [(colour, text)]).

    Regions without data for the metric are grey and say so; they are never given a colour that
    reads as "low risk"."""
    out = index.copy()
    values = metric_values(out, metric)
    out["value"] = values
    nodata = "无数据" if lang == "zh" else "no data"
    if metric == "risk":
        out["colour"] = out["level"].map(LEVEL_COLOURS)
        legend = [
            (LEVEL_COLOURS[k], LEVEL_LABELS[k][0 if lang == "zh" else 1]) for k in ("red", "orange", "yellow", "blue")
        ]
        legend.append((GREY, LEVEL_LABELS[NO_DATA][0 if lang == "zh" else 1]))
    else:
        edges, palette = _bins(values, metric)
        unit = "%" if metric in ("change", "rectification_rate") else ""

        def colour(v: float) -> str:
            if pd.isna(v):
                return GREY
            if not edges:
                return palette[len(palette) // 2]
            k = sum(v > e for e in edges)
            return palette[min(k, len(palette) - 1)]

        out["colour"] = [colour(v) for v in values]
        bounds = [None, *edges, None]
        legend = []
        for i in range(len(edges) + 1):
            lo, hi = bounds[i], bounds[i + 1]
            text = (
                f"≤ {hi:,.0f}{unit}"
                if lo is None
                else f"> {lo:,.0f}{unit}"
                if hi is None
                else f"{lo:,.0f}–{hi:,.0f}{unit}"
            )
            legend.append((palette[min(i, len(palette) - 1)] if edges else palette[len(palette) // 2], text))
        legend.append((GREY, nodata))
    level_words = [LEVEL_LABELS[lv][0 if lang == "zh" else 1] for lv in out["level"]]
    tips = []
    for i in range(len(out)):
        row = out.iloc[i]
        v = values.iloc[i]
        shown = (
            nodata
            if pd.isna(v)
            else (
                f"{v:+.1f}%"
                if metric == "change"
                else f"{v:.1f}%"
                if metric == "rectification_rate"
                else f"{v:.0f}"
                if metric == "risk"
                else f"{v:,.0f}"
            )
        )
        label = (("风险指数", "Risk score") if metric == "risk" else METRIC_LABELS[metric])[0 if lang == "zh" else 1]
        head = f"<b>{row['name']}</b> · {level_words[i]}"
        tips.append(
            f"{head}<br>{label}：{shown}<br>{reasons_text(tuple(row['reasons']), lang)}"
            if lang == "zh"
            else f"{head}<br>{label}: {shown}<br>{reasons_text(tuple(row['reasons']), lang)}"
        )
    out["tip"] = tips
    return out, legend
