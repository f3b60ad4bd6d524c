"""The leadership brief (领导驾驶舱): every number the Briefing page and ``python -m reports brief`` show
for one period, region, industry filter and grade group, so that both show the same.

:func:`build_brief` reads through any object with the :class:`BriefData` methods (``answers.brief_data.StoreData``
for the store; the app wraps it in ``st.cache_data``) and is otherwise pure: it returns a frozen
:class:`Brief`, and :meth:`Brief.to_json` gives the JSON of the scriptable briefing.

**Missing is not zero.** A period's number is missing (``None``, and every comparison with it
``insufficient_data``) unless a source covers it (``domain.sources.Coverage``): the region's statistics
answer it, or its province's records (台账) span it — they begin by the period's first month and have not
ended before it starts — and the region is not one that reports by statistics only. So 2019 compared with
2018, in a store whose records begin in January 2019, is ``insufficient_data``, not a fall from zero.
A region inside the one asked about that has no data for a period (a statistics-only city whose forms
do not cover it) does not blank the whole answer: it is listed in ``source.gaps_*`` instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from analytics.accidents import GRADE_GROUPS, MEASURES, Answer, answer, answers_for
from analytics.compare import (
    Comparison,
    Judgement,
    State,
    ThreeDeclines,
    compare,
    double_decline,
    streak,
    three_declines,
)
from domain.industries import BY_CODE, INDUSTRIES
from domain.periods import Period, time_progress
from domain.regions import ancestors, load_regions
from domain.sources import Coverage
from domain.units import INDUSTRIES as INDUSTRY_UNITS
from domain.units import UnitNoun, reporting_children, unit_noun

STREAK_YEARS = 10  # how far back a streak is followed (same period in earlier years)
LATEST_LIMIT = 10
LARGER_PLUS = ("larger", "major", "extraordinary")
DAYS_SINCE_GRADES: dict[str, tuple[str, ...]] = {  # key → grades of Decree 493
    "extraordinary": ("extraordinary",),  # 特别重大
    "major_plus": ("major", "extraordinary"),  # 重特大
    "larger": ("larger",),  # 较大 (this grade only; kept for the JSON)
    "larger_plus": LARGER_PLUS,  # 较大及以上, as releases quote it
}


class BriefData(Protocol):
    """Where a brief reads from. Every argument is a plain hashable value (cacheable)."""

    def coverage(self) -> Coverage: ...
    def cells(self, region: str, first_day: dt.date, last_day: dt.date) -> pd.DataFrame: ...
    def stats(self, region: str, first_year: int, last_year: int) -> pd.DataFrame: ...
    def last_accident_day(
        self,
        region: str,
        grades: tuple[str, ...],
        industries: tuple[str, ...] | None = None,
        until: dt.date | None = None,
    ) -> dt.date | None: ...
    def latest_accidents(
        self,
        region: str,
        first_day: dt.date,
        last_day: dt.date,
        grades: tuple[str, ...],
        industries: tuple[str, ...] | None = None,
        limit: int = 10,
    ) -> pd.DataFrame: ...
    def death_target(self, region: str, year: int) -> int | None: ...
    def hazard_summary(
        self, region: str, first_day: dt.date, last_day: dt.date, industries: tuple[str, ...] | None = None
    ) -> dict[str, Any]: ...
    def hazard_stats_regions(self, region: str) -> list[str]: ...


# ---------------------------------------------------------------------------------------------- parts


@dataclass(frozen=True)
class Side:
    """One period's answer for one region: the values, or None when no source covers it."""

    period: Period
    values: dict[str, int | None] | None  # a measure None: its figure was not released (未公布)
    answer: Answer
    gaps: tuple[str, ...]  # statistics-only regions inside with no data for the period

    def get(self, measure: str) -> int | None:
        return None if self.values is None else self.values[measure]

    def not_released(self, measure: str) -> bool:
        """The period is covered, but the statistics that answer it did not release this figure."""
        return self.values is not None and self.values[measure] is None


def compare_sides(cur: Side, prev: Side, measure: str) -> Comparison:
    """One measure of two sides compared, saying which side's figure was not released."""
    unreleased = tuple(w for w, s in (("current", cur), ("previous", prev)) if s.not_released(measure))
    return compare(cur.get(measure), prev.get(measure), unreleased)


@dataclass(frozen=True)
class Ranked:
    """A child region or an industry, compared with the same period last year."""

    key: str  # region code or industry code
    name: str  # Chinese name (the industry's code is enough to translate it)
    accidents: Comparison
    deaths: Comparison
    double_decline: Judgement
    source: str


@dataclass(frozen=True)
class Tally:
    """How many units achieved a judgement: "2个市州中1个实现“双下降”（另有11个两年同期均未发生事故）". ``of``
    counts the units judged: with data, and with an accident in one year or the other — a unit with none in
    either year neither achieved nor failed a decline, and is counted apart (``quiet``)."""

    level: str  # province / city / county / industry
    achieved: int
    of: int
    insufficient_data: int
    unit: UnitNoun  # what the units are called: 市州, 县市区, 省（区、市）, 行业领域
    quiet: int = 0  # units with data and no accident in either year


@dataclass(frozen=True)
class Reporting:
    """How many of a region's units have data for the period: "31个省（区、市）中1个有本期数据". A region is
    judged only when all of them do (or its own records or statistics answer it whole)."""

    reported: int
    of: int
    unit: UnitNoun
    missing: tuple[str, ...]  # codes of the units without data, in code order
    # the units the bureau expects data from, where it names them (SAFETY_EXPECTED_REGIONS) and they are not
    # all the units: the tally and this count are of these only
    expected: tuple[str, ...] = ()

    @property
    def named(self) -> tuple[str, ...]:
        """The units without data that a sentence names: all of them when few (five at most), else none."""
        return self.missing if len(self.missing) <= 5 else ()


@dataclass(frozen=True)
class DaysSince:
    """Days from the last accident of a grade group to the period's last day (records only)."""

    last_day: dt.date | None  # the day of the last one, None if none is on record
    days: int | None
    none_since: dt.date | None  # with none on record: the first day of the records searched


@dataclass(frozen=True)
class TargetProgress:
    """Deaths so far this year against the annual control target, beside time progress."""

    year: int
    deaths: int | None  # year to date through the period's end, all industries and grades
    deaths_target: int
    progress: float | None  # deaths ÷ target (0–1+), None without deaths or with a zero target
    time_progress: float  # days elapsed ÷ days in the year, on the period's last day
    state: str  # within / ahead_of_time (deaths share above time share) / exceeded / insufficient_data

    @property
    def gap_points(self) -> float | None:
        """Percentage points of the target used beyond time progress (negative: behind it), one decimal."""
        return None if self.progress is None else round((self.progress - self.time_progress) * 100, 1)


@dataclass(frozen=True)
class SourceInfo:
    current: str  # records / statistics / records+statistics, or none (no data)
    previous: str
    statistics_regions: tuple[str, ...]  # answered from statistics in the current period
    partially_covered: tuple[str, ...]  # statistics that cover only part of either period (not used)
    gaps_current: tuple[str, ...]  # regions inside without data for the period (not counted)
    gaps_previous: tuple[str, ...]
    # measure → the statistics regions (either period) that did not release it: why it is unknown
    not_released_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Brief:
    period: Period
    comparison_period: Period
    region: str
    region_name: str
    region_level: str
    industries: tuple[str, ...]
    grade_group: str
    measures: Mapping[str, Comparison]
    three_declines: ThreeDeclines
    double_decline: Judgement
    double_decline_children: Tally | None  # None for a county (no children)
    double_decline_industries: Tally
    reporting: Reporting | None  # the units with data for the period; None for a county (no units)
    streaks: Mapping[str, int]
    days_since: Mapping[str, DaysSince] | None  # None where records do not answer (statistics only)
    target: TargetProgress | None
    hazards: Mapping[str, Any]
    rankings_regions: tuple[Ranked, ...]
    rankings_industries: tuple[Ranked, ...]
    latest: tuple[Mapping[str, Any], ...]
    source: SourceInfo


# ---------------------------------------------------------------------------------------------- build


def build_brief(
    data: BriefData,
    period: Period | str,
    region: str,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
    today: dt.date | None = None,
) -> Brief:
    """The brief for ``region`` (an adcode) over ``period`` compared with the same period a year earlier.

    ``period`` is cut at ``today`` (default: the current date) when it reaches into the current month;
    a period that has not started raises ValueError, as do an unknown region code, industry code or
    grade group.
    """
    period = _check_period(period)
    regions = load_regions()
    if not isinstance(region, str) or region not in regions:
        raise ValueError(
            f"region must be a GB/T 2260 code such as 430000 or 100000, got {region!r} "
            "(resolve a name with domain.regions.resolve_region)"
        )
    inds = tuple(industries or ())
    unknown = [i for i in inds if i not in BY_CODE]
    if unknown:
        raise ValueError(f"unknown industry code {unknown[0]!r} (expected one of {', '.join(BY_CODE)})")
    if grade_group not in GRADE_GROUPS:
        raise ValueError(f"grade group must be one of {', '.join(GRADE_GROUPS)}, got {grade_group!r}")
    today = today or dt.date.today()
    period = period.cut_at(today)
    previous = period.same_period_last_year()
    coverage = data.coverage()
    ind_filter = inds or None

    frames = {p: _fetch(data, region, p) for p in (period, previous)}
    cur = side(frames[period], coverage, region, period, ind_filter, grade_group)
    prev = side(frames[previous], coverage, region, previous, ind_filter, grade_group)
    measures = {m: compare_sides(cur, prev, m) for m in MEASURES}
    three = three_declines(measures["accidents"], measures["larger_accidents"], measures["major_plus_accidents"])
    double = double_decline(measures["accidents"], measures["deaths"])

    kids = reporting_children(region)  # the country's 31 provinces: not 香港, 澳门, 台湾
    per_child = {
        p: answers_for(*frames[p], [k.code for k in kids], p, ind_filter, grade_group) for p in (period, previous)
    }
    ranked_regions = tuple(
        _rank(
            _ranked(
                k.code,
                k.name,
                [
                    side(frames[p], coverage, k.code, p, ind_filter, grade_group, per_child[p][k.code])
                    for p in (period, previous)
                ],
            )
            for k in kids
        )
    )
    # The tally and the count of units with data are of the units the judgements wait for: all of them, or the
    # ones the bureau names (SAFETY_EXPECTED_REGIONS); the rankings show every unit.
    waited = {u.code for u in coverage.units(region)}
    judged = tuple(r for r in ranked_regions if r.key in waited)
    expected = tuple(sorted(waited)) if len(waited) < len(kids) else ()
    ind_codes = inds or tuple(i.code for i in INDUSTRIES)
    by_industry = {
        p: dict(tuple(frames[p][0].groupby("industry", sort=False, observed=True))) for p in (period, previous)
    }
    ranked_inds = tuple(
        _rank(
            _ranked(
                code,
                BY_CODE[code].zh,
                [
                    side(
                        (by_industry[p].get(code, frames[p][0].iloc[0:0]), frames[p][1]),
                        coverage,
                        region,
                        p,
                        (code,),
                        grade_group,
                    )
                    for p in (period, previous)
                ],
            )
            for code in ind_codes
        )
    )

    # The days since the last serious accident and the list of them need dated records: not where the
    # statistics answer the whole period (they would contradict the statistics' own counts).
    records_answer = (
        coverage.records_span(region) is not None
        and not coverage.in_statistics_only(region)
        and cur.answer.source != "statistics"
    )
    return Brief(
        period=period,
        comparison_period=previous,
        region=region,
        region_name=regions[region].name,
        region_level=regions[region].level,
        industries=inds,
        grade_group=grade_group,
        measures=measures,
        three_declines=three,
        double_decline=double,
        double_decline_children=_tally(judged, kids[0].level, unit_noun(region)) if kids else None,
        double_decline_industries=_tally(ranked_inds, "industry", INDUSTRY_UNITS),
        reporting=_reporting(judged, unit_noun(region), expected) if kids else None,
        streaks=measure_streaks(data, coverage, region, period, ind_filter, grade_group, first=(cur, prev)),
        days_since=_days_since(data, coverage, region, period, ind_filter) if records_answer else None,
        target=_target(data, coverage, region, period, cur, ind_filter, grade_group),
        hazards=data.hazard_summary(region, period.first_day, period.last_day, ind_filter),
        rankings_regions=ranked_regions,
        rankings_industries=ranked_inds,
        latest=_latest(data, region, period, ind_filter) if records_answer else (),
        source=SourceInfo(
            current=cur.answer.source if cur.values is not None else "none",
            previous=prev.answer.source if prev.values is not None else "none",
            statistics_regions=tuple(sorted(cur.answer.plan.from_statistics)),
            partially_covered=tuple(
                sorted(set(cur.answer.plan.partially_covered) | set(prev.answer.plan.partially_covered))
            ),
            gaps_current=cur.gaps if cur.values is not None else (),
            gaps_previous=prev.gaps if prev.values is not None else (),
            not_released_by={
                m: tuple(
                    sorted(set(cur.answer.not_released_by.get(m, ())) | set(prev.answer.not_released_by.get(m, ())))
                )
                for m in MEASURES
                if m in cur.answer.not_released_by or m in prev.answer.not_released_by
            },
        ),
    )


def _check_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, str):
        return Period.parse(period)
    raise ValueError(
        f"period must be a Period or text such as 2024, 2024-03, 2024-Q2 or 2024-01..2024-06, got {period!r}"
    )


def _fetch(data: BriefData, region: str, period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        data.cells(region, period.first_day, period.last_day),
        data.stats(region, period.first_year, period.last_year),
    )


def side(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    coverage: Coverage,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None,
    grade_group: str,
    a: Answer | None = None,
) -> Side:
    """The measures of ``region`` over ``period`` (frames: cells and statistics of a region containing
    it), or None as values when no source covers it (see the module docstring). ``a``: the answer,
    when already counted (``analytics.accidents.answers_for``)."""
    cells, stats = frames
    if a is None:
        a = answer(cells, stats, region, period, industries, grade_group)
    covered = coverage.covers(region, period, a.plan.from_statistics)
    answered = set(a.plan.from_statistics)
    gaps = tuple(
        s
        for s in coverage.statistics_only_within(region)
        if s != region and s not in answered and not any(x in answered for x in ancestors(s))
    )
    return Side(period, dict(a.values) if covered else None, a, gaps)


def measure_streaks(
    data: BriefData,
    coverage: Coverage,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
    years: int = STREAK_YEARS,
    first: tuple[Side, Side] | None = None,
) -> dict[str, int]:
    """For each measure, how many consecutive comparable periods (the same months in earlier years, up
    to ``years`` back) it has fallen, ending with ``period``. A year without data ends the streak.
    Earlier years are read only while some measure is still falling."""
    sides = list(first) if first else []
    if not sides:
        sides = [
            side(_fetch(data, region, p), coverage, region, p, industries, grade_group)
            for p in (period, period.same_period_last_year())
        ]
    values = {m: [s.get(m) for s in sides] for m in MEASURES}  # newest first

    def alive(m: str) -> bool:
        v = values[m]
        return all(v[i] is not None and v[i + 1] is not None and v[i] < v[i + 1] for i in range(len(v) - 1))

    k = len(sides)
    while k <= years and any(alive(m) for m in MEASURES):
        p = period.shift_years(-k)
        s = side(_fetch(data, region, p), coverage, region, p, industries, grade_group)
        for m in MEASURES:
            values[m].append(s.get(m))
        if s.values is None:
            break
        k += 1
    return {m: streak(list(reversed(values[m]))) for m in MEASURES}


def _ranked(key: str, name: str, sides: list[Side]) -> Ranked:
    cur, prev = sides
    acc = compare_sides(cur, prev, "accidents")
    dth = compare_sides(cur, prev, "deaths")
    return Ranked(key, name, acc, dth, double_decline(acc, dth), cur.answer.source)


def _rank(rows: Any) -> list[Ranked]:
    """Largest rise in accidents first (then in deaths); those without data last, in code order."""
    rows = list(rows)
    with_data = [r for r in rows if r.accidents.state != State.INSUFFICIENT]
    without = [r for r in rows if r.accidents.state == State.INSUFFICIENT]
    with_data.sort(key=lambda r: (-(r.accidents.change or 0), -(r.deaths.change or 0), r.key))
    return with_data + without


def _tally(rows: tuple[Ranked, ...], level: str, unit: UnitNoun) -> Tally:
    with_data = [r for r in rows if r.double_decline != Judgement.INSUFFICIENT]
    quiet = [r for r in with_data if r.accidents.state == State.HELD_AT_ZERO]
    return Tally(
        level,
        sum(r.double_decline == Judgement.ACHIEVED for r in with_data),
        len(with_data) - len(quiet),
        len(rows) - len(with_data),
        unit,
        len(quiet),
    )


def _reporting(rows: tuple[Ranked, ...], unit: UnitNoun, expected: tuple[str, ...] = ()) -> Reporting:
    missing = tuple(sorted(r.key for r in rows if r.accidents.current is None))
    return Reporting(len(rows) - len(missing), len(rows), unit, missing, expected)


def _days_since(
    data: BriefData, coverage: Coverage, region: str, period: Period, industries: tuple[str, ...] | None
) -> dict[str, DaysSince]:
    span = coverage.records_span(region)
    out = {}
    for key, grades in DAYS_SINCE_GRADES.items():
        last = data.last_accident_day(region, grades, industries, period.last_day)
        if last is not None:
            out[key] = DaysSince(last, (period.last_day - last).days, None)
        else:
            out[key] = DaysSince(None, None, span[0] if span else None)
    return out


def _target(
    data: BriefData,
    coverage: Coverage,
    region: str,
    period: Period,
    cur: Side,
    industries: tuple[str, ...] | None,
    grade_group: str,
) -> TargetProgress | None:
    """Control targets are for all industries and grades: the year to date is answered without filters."""
    year = period.last_year
    target = data.death_target(region, year)
    if target is None:
        return None
    ytd = period.year_to_date_of()
    if (
        (ytd.start, ytd.end, ytd.until) == (period.start, period.end, period.until)
        and not industries
        and grade_group == "all"
    ):
        deaths = cur.get("deaths")
    else:
        deaths = side(_fetch(data, region, ytd), coverage, region, ytd, None, "all").get("deaths")
    elapsed = time_progress(year, ytd.last_day)
    progress = deaths / target if deaths is not None and target > 0 else None
    if deaths is None:
        state = "insufficient_data"
    elif deaths > target:
        state = "exceeded"
    elif progress is not None and progress > elapsed:
        state = "ahead_of_time"
    else:
        state = "within"
    return TargetProgress(year, deaths, target, progress, elapsed, state)


def _latest(
    data: BriefData, region: str, period: Period, industries: tuple[str, ...] | None
) -> tuple[dict[str, Any], ...]:
    frame = data.latest_accidents(region, period.first_day, period.last_day, LARGER_PLUS, industries, LATEST_LIMIT)
    rows = []
    for r in frame.to_dict("records"):
        rows.append(
            {
                "id": r["accident_id"],
                "occurred_at": pd.Timestamp(r["occurred_at"]).isoformat(timespec="minutes"),
                "region": {"code": r["region_code"], "name": r["region_name"]},
                "industry": r["industry"],
                "enterprise": None if pd.isna(r["enterprise"]) else r["enterprise"],
                "deaths": int(r["deaths"]),
                "grade": r["grade"],
                "summary": None if pd.isna(r["summary"]) else r["summary"],
            }
        )
    return tuple(rows)
