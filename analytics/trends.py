"""The numbers behind the Trends page, from a ``fetch(region, period) -> (cells, stats)`` callable
(the store's queries, cached by the app). Pure apart from that callable.

**Missing is not zero**, as in the brief (``analytics.brief.side``): given the store's ``coverage``
(``store.queries.data_coverage``), a month, a year or a child region that no source covers — before a
province's first record, a statistics-only city whose forms do not cover it, 香港/澳门/台湾 with no data —
is ``<NA>`` (a gap in a chart, left out of a ranking), never 0. Without ``coverage`` every number is
taken as it comes (zero where nothing is on record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics import accidents as acc
from analytics.brief import side
from domain.industries import INDUSTRIES
from domain.periods import Period
from domain.regions import children
from domain.sources import Coverage

Fetch = Callable[[str, Period], tuple[pd.DataFrame, pd.DataFrame]]


@dataclass(frozen=True)
class TrendData:
    current: pd.DataFrame  # monthly, the period
    previous: pd.DataFrame  # monthly, the same period last year
    years: dict[int, pd.DataFrame]  # monthly, whole calendar years (the last cut at today)
    same_period: pd.DataFrame  # one row per year with data: the period shifted back k years, with the measures
    by_grade: pd.DataFrame  # month × general / larger / major_plus accidents
    children: pd.DataFrame  # child regions with data both times: name, code, <measure>_current/_previous
    industries: pd.DataFrame  # industries: industry, <measure>_current/_previous
    source: str  # records / statistics / records+statistics, or none (no source covers the period)
    children_without_data: tuple[str, ...] = ()  # child codes with no data this period or last: not ranked
    gaps: tuple[str, ...] = ()  # statistics-only regions inside with no rows for the period (not counted)


def _answer(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    coverage: Coverage | None,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None,
    grade_group: str,
    a: acc.Answer | None = None,
) -> tuple[dict[str, int | None], bool, str]:
    """The measures, whether a source covers them (the brief's rule, ``analytics.brief.side``; always
    without coverage) and the source. ``a``: the answer when already counted."""
    if coverage is None:
        a = a or acc.answer(*frames, region, period, industries, grade_group)
        return dict(a.values), True, a.source
    s = side(frames, coverage, region, period, industries, grade_group, a)
    return dict(s.answer.values), s.values is not None, s.answer.source


def _mask(frame: pd.DataFrame, covered: list[bool]) -> pd.DataFrame:
    """The measures as nullable integers, <NA> where ``covered`` is False."""
    out = frame.copy()
    keep = pd.Series(covered, index=out.index, dtype=bool)
    for m in acc.MEASURES:
        out[m] = out[m].astype("Int64").where(keep, pd.NA)
    return out


def _monthly(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    coverage: Coverage | None,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None,
    grade_group: str,
) -> pd.DataFrame:
    rows, covered = [], []
    answers = acc.answers_by_month(*frames, region, period, industries, grade_group)
    for m in period.months():
        p = acc.month_period(period, m)
        values, ok, source = _answer(frames, coverage, region, p, industries, grade_group, answers[m])
        rows.append({"month": m, "source": source, **values})
        covered.append(ok)
    return _mask(pd.DataFrame(rows, columns=["month", "source", *acc.MEASURES]), covered)


def monthly_measures(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    coverage: Coverage | None,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
) -> pd.DataFrame:
    """One row per month of ``period`` (month, source and the measures; <NA> where no source covers the
    month): the series of the Trends page's first chart, and of the meeting pack's."""
    return _monthly(frames, coverage, region, period, industries, grade_group)


def _by_child(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    coverage: Coverage | None,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None,
    grade_group: str,
) -> pd.DataFrame:
    rows, covered = [], []
    kids = children(region)
    answers = acc.answers_for(*frames, [c.code for c in kids], period, industries, grade_group)
    for child in kids:
        values, ok, source = _answer(frames, coverage, child.code, period, industries, grade_group, answers[child.code])
        rows.append({"code": child.code, "name": child.name, "source": source, **values})
        covered.append(ok)
    return _mask(pd.DataFrame(rows, columns=["code", "name", "source", *acc.MEASURES]), covered)


def _by_industry(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    coverage: Coverage | None,
    region: str,
    period: Period,
    industries: tuple[str, ...],
    grade_group: str,
) -> pd.DataFrame:
    rows, covered = [], []
    for ind in industries:
        values, ok, source = _answer(frames, coverage, region, period, (ind,), grade_group)
        rows.append({"industry": ind, "source": source, **values})
        covered.append(ok)
    return _mask(pd.DataFrame(rows, columns=["industry", "source", *acc.MEASURES]), covered)


def _pair(cur: pd.DataFrame, prev: pd.DataFrame, key: str) -> pd.DataFrame:
    measures = list(acc.MEASURES)
    out = cur[[key, *[c for c in ("name", "code") if c in cur and c != key]]].copy()
    for m in measures:
        out[f"{m}_current"] = pd.array(cur[m].to_numpy(), dtype="Int64")
        out[f"{m}_previous"] = pd.array(prev.set_index(key).loc[cur[key], m].to_numpy(), dtype="Int64")
    return out


def _complete(pairs: pd.DataFrame) -> pd.Series:
    """Rows with data in both periods (a ranking by change needs both)."""
    return pairs[[f"{m}_{w}" for m in acc.MEASURES for w in ("current", "previous")]].notna().all(axis=1)


def trend_data(
    fetch: Fetch,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
    years_back: int = 4,
    streak_years: int = 10,
    coverage: Coverage | None = None,
) -> TrendData:
    """Every series of the Trends page. With ``coverage`` a number no source covers is <NA>, not 0."""
    last_year = period.same_period_last_year()
    cells, stats = fetch(region, period)
    cells_ly, stats_ly = fetch(region, last_year)
    current = _monthly((cells, stats), coverage, region, period, industries, grade_group)
    previous = _monthly((cells_ly, stats_ly), coverage, region, last_year, industries, grade_group)

    end_year = period.last_year
    years: dict[int, pd.DataFrame] = {}
    for y in range(end_year - years_back, end_year + 1):
        p = Period.year(y)
        if period.until is not None and y == end_year:
            p = p.cut_at(period.until)
        years[y] = _monthly(fetch(region, p), coverage, region, p, industries, grade_group)

    rows = []
    for k in range(streak_years, -1, -1):
        p = period.shift_years(-k)
        c, s = fetch(region, p)
        values, covered, _ = _answer((c, s), coverage, region, p, industries, grade_group)
        has_data = covered if coverage is not None else bool(len(c) or len(s))
        rows.append(
            {"year": p.last_year, "label_zh": p.label("zh"), "label_en": p.label("en"), "has_data": has_data, **values}
        )
    same_period = _mask(pd.DataFrame(rows), [r["has_data"] for r in rows])
    # Years before the first data are unknown, not zero: they are not drawn; a later year without data
    # is a gap (<NA>). (Streaks come from the brief, analytics.brief.measure_streaks, so that both pages
    # say the same.)
    first = same_period.index[same_period["has_data"]].min() if same_period["has_data"].any() else len(same_period)
    same_period = same_period.iloc[first:].reset_index(drop=True)

    grades = {
        g: acc.monthly(cells, stats, region, period, industries, g)["accidents"]
        for g in ("general", "larger", "major_plus")
    }
    known = current["accidents"].notna().to_numpy()
    by_grade = pd.DataFrame(
        {"month": current["month"], **{g: v.astype("Int64").where(known, pd.NA).to_numpy() for g, v in grades.items()}}
    )

    kids = _by_child((cells, stats), coverage, region, period, industries, grade_group)
    kids_ly = _by_child((cells_ly, stats_ly), coverage, region, last_year, industries, grade_group)
    without: tuple[str, ...] = ()
    if len(kids):
        kids_paired = _pair(kids, kids_ly, "code")
        ok = _complete(kids_paired)
        without = tuple(kids_paired.loc[~ok, "code"])
        kids_paired = kids_paired[ok].reset_index(drop=True)
    else:
        kids_paired = pd.DataFrame()
    inds = tuple(industries) if industries else tuple(i.code for i in INDUSTRIES)
    ind_cur = _by_industry((cells, stats), coverage, region, period, inds, grade_group)
    ind_ly = _by_industry((cells_ly, stats_ly), coverage, region, last_year, inds, grade_group)
    ind = _pair(ind_cur, ind_ly, "industry")
    ind = ind[_complete(ind)]
    ind = ind[(ind["accidents_current"] > 0) | (ind["accidents_previous"] > 0)].reset_index(drop=True)
    if coverage is None:
        source, gaps = acc.answer(cells, stats, region, period, industries, grade_group).source, ()
    else:
        here = side((cells, stats), coverage, region, period, industries, grade_group)
        source, gaps = (here.answer.source if here.values is not None else "none"), here.gaps
    return TrendData(current, previous, years, same_period, by_grade, kids_paired, ind, source, without, gaps)
