"""Trend figures: this year against last year by month, five years, cumulative year to date,
by grade, and rankings of child regions or industries by change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.theme import BAD, CURRENT, GOOD, NEUTRAL, OLDER, PREVIOUS, style
from domain.palette import GRADE_COLOURS
from i18n import MEASURE_LABELS, label, t


def _y(values: pd.Series) -> np.ndarray:
    """Plotly's y: floats with NaN for a missing value (drawn as a gap, never as 0)."""
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()


def _month_axis(lang: str) -> list[str]:
    return (
        [f"{m}月" for m in range(1, 13)]
        if lang == "zh"
        else ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    )


def by_month_of_year(
    series: dict[int, pd.DataFrame], measure: str, lang: str, title: str | None = None, cumulative: bool = False
) -> go.Figure:
    """One trace per year over the months of the year; the newest year highlighted (dark slate, not a
    judgement), the year before in grey, older ones pale. ``series`` maps a year to a frame with
    ``month`` ('YYYY-MM') and the measure; a missing month (<NA>) is a gap — cumulated, everything
    after it is unknown too."""
    axis = _month_axis(lang)
    fig = go.Figure()
    years = sorted(series)
    for i, year in enumerate(years):
        df = series[year]
        values = df.set_index(df["month"].str.slice(5, 7).astype(int))[measure]
        if cumulative:
            values = values.cumsum().where(values.notna().cummin())
        colour = CURRENT if i == len(years) - 1 else (PREVIOUS if i == len(years) - 2 else OLDER)
        width = 3.5 if i == len(years) - 1 else (2.5 if i == len(years) - 2 else 1.5)
        fig.add_trace(
            go.Scatter(
                x=[axis[m - 1] for m in values.index],
                y=_y(values),
                mode="lines+markers",
                name=t(f"{year}年", str(year), lang),
                line=dict(color=colour, width=width),
                marker=dict(size=6 if i >= len(years) - 2 else 4),
                hovertemplate="%{x}: %{y:,}<extra>" + str(year) + "</extra>",
            )
        )
    fig.update_xaxes(categoryorder="array", categoryarray=axis)
    return style(fig, title)


def this_year_vs_last(
    current: pd.DataFrame, previous: pd.DataFrame, measure: str, lang: str, title: str | None = None
) -> go.Figure:
    """Monthly bars of the selected period beside the same months a year earlier (a month without
    data has no bar)."""
    axis_cur = current["month"].tolist()
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=axis_cur,
            y=_y(previous[measure]),
            name=t("去年同期", "Same period last year", lang),
            marker_color=PREVIOUS,
            hovertemplate="%{x}: %{y:,}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=axis_cur,
            y=_y(current[measure]),
            name=t("本期", "This period", lang),
            marker_color=CURRENT,
            hovertemplate="%{x}: %{y:,}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(type="category")
    return style(fig, title)


def by_grade(monthly_by_grade: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """Stacked monthly accidents by grade: columns month and general / larger / major_plus (重特大,
    as analytics.trends gives them) or major / extraordinary separately."""
    names = {
        "general": ("一般", "General"),
        "larger": ("较大", "Larger"),
        "major_plus": ("重特大", "Major and above"),
        "major": ("重大", "Major"),
        "extraordinary": ("特别重大", "Extraordinary"),
    }
    fig = go.Figure()
    for grade in ("general", "larger", "major_plus", "major", "extraordinary"):
        if grade in monthly_by_grade:
            fig.add_trace(
                go.Bar(
                    x=monthly_by_grade["month"],
                    y=_y(monthly_by_grade[grade]),
                    name=label(names, grade, lang),
                    marker_color=GRADE_COLOURS[grade],
                    hovertemplate="%{x}: %{y:,}<extra></extra>",
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    return style(fig, title)


def ranking(
    frame: pd.DataFrame,
    name_col: str,
    measure: str,
    lang: str,
    title: str | None = None,
    key_col: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars of the change against last year, worst (largest rise) on top; green for a
    fall, red for a rise. ``frame`` needs the name, ``<measure>_current``, ``<measure>_previous``.
    The key column goes into customdata so that a click can set the filter. Rows without data on
    either side are left out (no "+0" for a region with no data)."""
    df = frame.dropna(subset=[f"{measure}_current", f"{measure}_previous"]).copy()
    for col in (f"{measure}_current", f"{measure}_previous"):
        df[col] = df[col].astype("int64")
    df["change"] = df[f"{measure}_current"] - df[f"{measure}_previous"]
    df = df.sort_values(["change", f"{measure}_current"], ascending=[True, True])
    colours = [BAD if c > 0 else (GOOD if c < 0 else NEUTRAL) for c in df["change"]]
    text = [f"{c:+,}" for c in df["change"]]
    fig = go.Figure(
        go.Bar(
            x=df["change"],
            y=df[name_col],
            orientation="h",
            marker_color=colours,
            text=text,
            textposition="outside",
            cliponaxis=False,
            customdata=df[[key_col or name_col, f"{measure}_current", f"{measure}_previous"]].to_numpy(),
            hovertemplate=(
                "%{y}<br>"
                + t("本期", "this period", lang)
                + " %{customdata[1]:,} · "
                + t("去年同期", "last year", lang)
                + " %{customdata[2]:,}<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(type="category", automargin=True)
    fig.update_xaxes(
        title=t(
            f"{label(MEASURE_LABELS, measure, 'zh')}同比增减",
            f"Change in {label(MEASURE_LABELS, measure, 'en').lower()}",
            lang,
        )
    )
    return style(fig, title, height=height or max(260, 26 * len(df) + 80))


def same_period_years(
    frame: pd.DataFrame, measure: str, streak_n: int, lang: str, title: str | None = None
) -> go.Figure:
    """The same period in each year (bars), the years of the current streak of declines marked green.
    The current year is judged against the year before: green if it fell, red if it rose, neutral if
    flat or not comparable. A year without data (<NA>) has no bar and says so."""
    labels = frame["year"].map(lambda y: t(f"{y}年", str(y), lang))
    values = _y(frame[measure])
    n = len(frame)
    in_streak = [streak_n > 0 and i >= n - streak_n for i in range(n)]
    colours = [GOOD if s else OLDER for s in in_streak]
    if n:
        now, before = values[-1], (values[-2] if n > 1 else np.nan)
        judged = not (np.isnan(now) or np.isnan(before))
        colours[-1] = (GOOD if now < before else BAD if now > before else NEUTRAL) if judged else CURRENT
    text = [t("无数据", "no data", lang) if np.isnan(v) else f"{v:,.0f}" for v in values]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=colours,
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,}<extra></extra>",
        )
    )
    if streak_n and n:
        # Anchored to the paper: on a category axis a label like "2026" would be read as a position.
        fig.add_annotation(
            xref="paper",
            x=1,
            xanchor="right",
            yref="paper",
            y=1,
            yanchor="bottom",
            showarrow=False,
            text=t(f"连续{streak_n}年下降", f"{streak_n} years of decline", lang),
            font=dict(color=GOOD, size=14),
        )
    fig.update_xaxes(type="category")
    return style(fig, title)
