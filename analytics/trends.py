"""The numbers behind the Trends page, from a ``fetch(region, period) -> (cells, stats)`` callable
(the store's queries, cached by the app). Pure apart from that callable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics import accidents as acc
from domain.industries import INDUSTRIES
from domain.periods import Period

Fetch = Callable[[str, Period], tuple[pd.DataFrame, pd.DataFrame]]


@dataclass(frozen=True)
class TrendData:
    current: pd.DataFrame  # monthly, the period
    previous: pd.DataFrame  # monthly, the same period last year
    years: dict[int, pd.DataFrame]  # monthly, whole calendar years (the last cut at today)
    same_period: pd.DataFrame  # one row per year with data: the period shifted back k years, with the measures
    by_grade: pd.DataFrame  # month × general / larger / major_plus accidents
    children: pd.DataFrame  # child regions: name, code, <measure>_current/_previous
    industries: pd.DataFrame  # industries: industry, <measure>_current/_previous
    source: str


def _pair(cur: pd.DataFrame, prev: pd.DataFrame, key: str) -> pd.DataFrame:
    measures = list(acc.MEASURES)
    out = cur[[key, *[c for c in ("name", "code") if c in cur and c != key]]].copy()
    for m in measures:
        out[f"{m}_current"] = cur[m].to_numpy()
        out[f"{m}_previous"] = prev.set_index(key).loc[cur[key], m].to_numpy()
    return out


def trend_data(fetch: Fetch, region: str, period: Period, industries: tuple[str, ...] | None = None,
               grade_group: str = "all", years_back: int = 4, streak_years: int = 10) -> TrendData:
    last_year = period.same_period_last_year()
    cells, stats = fetch(region, period)
    cells_ly, stats_ly = fetch(region, last_year)
    current = acc.monthly(cells, stats, region, period, industries, grade_group)
    previous = acc.monthly(cells_ly, stats_ly, region, last_year, industries, grade_group)

    end_year = int(period.end[:4])
    years: dict[int, pd.DataFrame] = {}
    for y in range(end_year - years_back, end_year + 1):
        p = Period.year(y)
        if period.until is not None and y == end_year:
            p = p.cut_at(period.until)
        c, s = fetch(region, p)
        years[y] = acc.monthly(c, s, region, p, industries, grade_group)

    rows = []
    for k in range(streak_years, -1, -1):
        p = period.shift_years(-k)
        c, s = fetch(region, p)
        a = acc.answer(c, s, region, p, industries, grade_group)
        rows.append({"year": int(p.end[:4]), "label_zh": p.label("zh"), "label_en": p.label("en"),
                     "has_data": bool(len(c) or len(s)), **a.values})
    same_period = pd.DataFrame(rows)
    # Years before the first data are unknown, not zero: they are not drawn. (Streaks come from the
    # brief, analytics.brief.measure_streaks, so that both pages say the same.)
    first = same_period.index[same_period["has_data"]].min() if same_period["has_data"].any() else len(same_period)
    same_period = same_period.iloc[first:].reset_index(drop=True)

    grades = {g: acc.monthly(cells, stats, region, period, industries, g)["accidents"]
              for g in ("general", "larger", "major_plus")}
    by_grade = pd.DataFrame({"month": current["month"], **{g: v.to_numpy() for g, v in grades.items()}})

    kids = acc.by_child(cells, stats, region, period, industries, grade_group)
    kids_ly = acc.by_child(cells_ly, stats_ly, region, last_year, industries, grade_group)
    children = _pair(kids, kids_ly, "code") if len(kids) else pd.DataFrame()
    inds = tuple(industries) if industries else tuple(i.code for i in INDUSTRIES)
    ind_cur = acc.by_industry(cells, stats, region, period, inds, grade_group)
    ind_ly = acc.by_industry(cells_ly, stats_ly, region, last_year, inds, grade_group)
    ind = _pair(ind_cur, ind_ly, "industry")
    ind = ind[(ind["accidents_current"] > 0) | (ind["accidents_previous"] > 0)].reset_index(drop=True)
    source = acc.answer(cells, stats, region, period, industries, grade_group).source
    return TrendData(current, previous, years, same_period, by_grade, children, ind, source)
