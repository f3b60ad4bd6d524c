"""Figures of the rectification page: the closed-loop funnel, overdue ageing, the backlog."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.hazards import FUNNEL_LABELS, FUNNEL_STAGES, OVERDUE_BUCKET_LABELS
from charts.theme import CURRENT, PREVIOUS, WARN, style
from i18n import t

BAD = "#c0392b"


def _l(table: dict, key: str, lang: str) -> str:
    return table[key][0 if lang == "zh" else 1]


def funnel(stages: dict[str, int], lang: str, title: str | None = None) -> go.Figure:
    """found → ordered → rectified → closed, with the acceptance failures as a note."""
    fig = go.Figure(
        go.Funnel(
            y=[_l(FUNNEL_LABELS, s, lang) for s in FUNNEL_STAGES],
            x=[stages[s] for s in FUNNEL_STAGES],
            texttemplate="%{value:,}<br>%{percentInitial:.1%}",
            marker=dict(color=[PREVIOUS, "#4a6785", CURRENT, "#1a7f4b"]),
            connector=dict(line=dict(color="#d0d7de")),
        )
    )
    failed = stages.get("acceptance_failed", 0)
    fig.add_annotation(
        text=f"{_l(FUNNEL_LABELS, 'acceptance_failed', lang)}：{failed}"
        if lang == "zh"
        else f"{_l(FUNNEL_LABELS, 'acceptance_failed', lang)}: {failed}",
        xref="paper",
        yref="paper",
        x=1,
        y=-0.02,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font=dict(color=BAD if failed else "#52606d"),
    )
    style(fig, title, height=330)
    fig.update_layout(margin=dict(b=36))
    return fig


def overdue(table: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """Open overdue hazards by age bucket: all and majors."""
    x = [_l(OVERDUE_BUCKET_LABELS, b, lang) for b in table["bucket"]]
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=table["all"],
                name=t("全部", "all", lang),
                marker_color=WARN,
                text=table["all"],
                textposition="outside",
            ),
            go.Bar(
                x=x,
                y=table["major"],
                name=t("其中重大", "of which major", lang),
                marker_color=BAD,
                text=table["major"],
                textposition="outside",
            ),
        ]
    )
    fig.update_layout(barmode="group")
    style(fig, title, height=330)
    top = max([*table["all"], 1])
    fig.update_yaxes(range=[0, top * 1.18])  # room for the numbers above the bars
    return fig


def backlog(frame: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """The open backlog at each month's end, with the overdue part and the majors."""
    months = pd.to_datetime(frame["month"] + "-01")
    fig = go.Figure(
        [
            go.Scatter(
                x=months,
                y=frame["open"],
                name=t("未整改", "open", lang),
                mode="lines+markers",
                line=dict(color=CURRENT, width=3),
            ),
            go.Scatter(
                x=months,
                y=frame["overdue"],
                name=t("其中超期", "of which overdue", lang),
                mode="lines",
                line=dict(color=WARN, width=2),
            ),
            go.Scatter(
                x=months,
                y=frame["open_major"],
                name=t("其中重大", "of which major", lang),
                mode="lines",
                line=dict(color=BAD, width=2, dash="dot"),
            ),
        ]
    )
    fig.update_xaxes(dtick="M3", tickformat="%Y-%m" if lang != "zh" else "%Y年%-m月")
    return style(fig, title, height=330)
