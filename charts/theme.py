"""Shared look of the figures: CJK-capable fonts, calm colours, readable from a distance."""

from __future__ import annotations

import plotly.graph_objects as go

from analytics import pivot as pv
from analytics.compare import Comparison, State

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Colour by meaning, not direction: fewer accidents is good (green), more is bad (red).
GOOD, BAD, NEUTRAL = "#2e7d32", "#c62828", "#6b7280"
# "This period" is a highlight, not a judgement: a neutral dark slate blue. Green and red (GOOD /
# BAD) are kept for where something is judged (fell / rose), amber for a warning.
CURRENT, PREVIOUS, OLDER = "#1f3a5f", "#7f8c9a", "#c9d1db"
WARN = "#d97706"


def colour_for(c: Comparison, higher_is_better: bool = False) -> str:
    if c.state in (State.FLAT, State.INSUFFICIENT):
        return NEUTRAL
    if c.state == State.HELD_AT_ZERO:
        return GOOD if not higher_is_better else NEUTRAL
    better = (c.state == State.ROSE) == higher_is_better
    return GOOD if better else BAD


def change_colour(state: str, measure: str, kind: str) -> str | None:
    """The colour of a change in the Explorer's pivot by its measure's meaning (analytics.pivot.meaning),
    None for neutral measures and no change."""
    m = pv.meaning(measure, kind)
    if m == pv.NEUTRAL or state in ("flat", "insufficient_data"):
        return None
    if state == "held_at_zero":
        return GOOD if m == pv.BAD else None
    rose = state == "rose"
    return GOOD if rose == (m == pv.GOOD) else BAD


def style(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=16)) if title else None,
        font=dict(family=FONT, size=13, color="#1f2933"),
        height=height,
        margin=dict(l=10, r=10, t=48 if title else 16, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
        hoverlabel=dict(font_family=FONT),
    )
    fig.update_xaxes(showgrid=False, linecolor="#d0d7de")
    fig.update_yaxes(gridcolor="#eef1f4", zeroline=False, rangemode="tozero")
    return fig
