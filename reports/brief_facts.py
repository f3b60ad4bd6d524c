"""What a briefing says, decided once for both languages.

Pure: a :class:`~analytics.brief.Brief` (or one of its comparisons) in, small frozen dataclasses out, no
words. Which items a briefing has and in what order, which branch of each judgement applies (achieved /
cannot be judged / held at zero / flat / rose …), how the streaks group, where the deaths stand against
the target, which parts the tallies and the hazards have: each is decided here, and ``reports.brief_zh``
and ``reports.brief_en`` only put words to the facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analytics.brief import Brief, Ranked, Reporting, Tally, TargetProgress
from analytics.compare import Comparison, Judgement, State
from domain.periods import Period, months_and_days

# ------------------------------------------------------------------ one measure against last year

NOT_RELEASED_NOW = "not_released_now"  # this period's figure was not released
NOT_RELEASED_BEFORE = "not_released_before"  # last year's was not
NO_PREVIOUS = "no_previous"  # nothing to compare with
NO_CURRENT = "no_current"  # no figure for this period
HELD_AT_ZERO = "held_at_zero"
NEW = "new"  # from zero
FLAT = "flat"
DOWN = "down"
UP = "up"


@dataclass(frozen=True)
class Change:
    """One measure against the same period last year: which case (``kind``) and its figures."""

    kind: str
    current: float | None
    change_pct: float | None


def change(c: Comparison) -> Change:
    if c.state == State.INSUFFICIENT:
        if c.not_released:
            kind = NOT_RELEASED_NOW if "current" in c.not_released else NOT_RELEASED_BEFORE
        else:
            kind = NO_PREVIOUS if c.current is not None else NO_CURRENT
    elif c.state == State.HELD_AT_ZERO:
        kind = HELD_AT_ZERO
    elif c.is_new:
        kind = NEW
    elif c.state == State.FLAT:
        kind = FLAT
    else:
        kind = DOWN if c.state == State.DECLINED else UP
    return Change(kind, c.current, c.change_pct)


# ------------------------------------------------------------------ accidents and deaths together

PAIR_NOT_RELEASED = "not_released"  # neither figure, this period's not released
PAIR_NO_DATA = "no_data"  # no accidents figure for this period
PAIR_PARTIAL = "partial"  # one of the two not released: the released one(s) judged alone
PAIR_NONE = "none"  # no accident, and none a year earlier
PAIR_NONE_UNCOMPARED = "none_uncompared"  # no accident, nothing to compare with
PAIR_NONE_AGAINST = "none_against"  # no accident, against some a year earlier
PAIR_UNCOMPARED = "uncompared"  # figures, nothing to compare with
PAIR_SAME = "same"  # both fell, or both rose (``direction``)
PAIR_FLAT = "flat"  # both flat
PAIR_BOTH_NEW = "both_new"  # both from zero
PAIR_MIXED = "mixed"  # each its own way (``accidents_change``, ``deaths_change``)


@dataclass(frozen=True)
class Pair:
    """Accidents and deaths of one kind (all, larger, major-and-above) against last year."""

    kind: str
    accidents: Comparison
    deaths: Comparison
    accidents_change: Change
    deaths_change: Change
    direction: str = ""  # PAIR_SAME: DOWN or UP

    @property
    def said(self) -> tuple[tuple[str, Change], ...]:
        """PAIR_PARTIAL: the released figures, ("accidents" | "deaths", change), to judge one by one."""
        return tuple(
            (key, ch)
            for key, ch in (("accidents", self.accidents_change), ("deaths", self.deaths_change))
            if ch.current is not None
        )


def pair(acc: Comparison, dth: Comparison) -> Pair:
    kind, direction = _pair_kind(acc, dth)
    return Pair(kind, acc, dth, change(acc), change(dth), direction)


def _pair_kind(acc: Comparison, dth: Comparison) -> tuple[str, str]:
    if acc.not_released or dth.not_released:
        if acc.current is None and dth.current is None:
            unreleased = "current" in acc.not_released or "current" in dth.not_released
            return (PAIR_NOT_RELEASED if unreleased else PAIR_NO_DATA), ""
        return PAIR_PARTIAL, ""
    if acc.current is None:
        return PAIR_NO_DATA, ""
    if acc.current == 0:
        if acc.previous is None:
            return PAIR_NONE_UNCOMPARED, ""
        return (PAIR_NONE if acc.previous == 0 else PAIR_NONE_AGAINST), ""
    if State.INSUFFICIENT in (acc.state, dth.state):
        return PAIR_UNCOMPARED, ""
    if acc.state == dth.state and acc.state in (State.DECLINED, State.ROSE) and not acc.is_new and not dth.is_new:
        return PAIR_SAME, (DOWN if acc.state == State.DECLINED else UP)
    if acc.state == dth.state == State.FLAT:
        return PAIR_FLAT, ""
    if acc.is_new and dth.is_new:
        return PAIR_BOTH_NEW, ""
    return PAIR_MIXED, ""


# ------------------------------------------------------------------ a judgement with figures not released

# The components a judgement weighs, and the measure each is.
COMPONENT_MEASURE = {
    "accidents": "accidents",
    "larger": "larger_accidents",
    "major_plus": "major_plus_accidents",
    "accidents_count": "accidents",
    "deaths": "deaths",
}


@dataclass(frozen=True)
class Unknown:
    """A component that cannot be compared: the periods it was not released for (none: no comparable data), and
    the statistics regions (other than the brief's own) that left it out."""

    key: str
    periods: tuple[Period, ...]
    by: tuple[str, ...]


@dataclass(frozen=True)
class PartlyJudged:
    """A judgement some of whose components were not released: those named, the rest judged."""

    unknown: tuple[Unknown, ...]
    known: tuple[tuple[str, Change], ...]


def partly_judged(b: Brief, parts: tuple[tuple[str, Comparison], ...]) -> PartlyJudged | None:
    """None unless a component was not released."""
    if not any(c.not_released for _, c in parts):
        return None
    unknown = tuple(_unknown(b, k, c) for k, c in parts if c.state == State.INSUFFICIENT)
    known = tuple((k, change(c)) for k, c in parts if c.state != State.INSUFFICIENT)
    return PartlyJudged(unknown, known)


def _unknown(b: Brief, key: str, c: Comparison) -> Unknown:
    periods = tuple(
        p for side, p in (("current", b.period), ("previous", b.comparison_period)) if side in c.not_released
    )
    by = tuple(r for r in b.source.not_released_by.get(COMPONENT_MEASURE[key], ()) if r != b.region) if periods else ()
    return Unknown(key, periods, by)


# ------------------------------------------------------------------ 三个继续下降

ACHIEVED = "achieved"  # all three fell
ACHIEVED_WITH_ZEROS = "achieved_with_zeros"  # the rest fell, ``held_at_zero`` none in either year
PARTLY = "partly"  # cannot be fully judged (``partly``)
NO_DATA_NOW = "no_data_now"  # cannot be judged: no data for the period
NO_DATA_BEFORE = "no_data_before"  # … for the comparison period
ALL_ZERO = "all_zero"  # not achieved: no accident in either year
NOT_ACHIEVED = "not_achieved"  # ``why``: the components that rose or were flat


@dataclass(frozen=True)
class Three:
    kind: str
    fell: tuple[str, ...] = ()  # ACHIEVED_WITH_ZEROS: "accidents", then larger / major_plus if they fell
    held_at_zero: tuple[str, ...] = ()
    partly: PartlyJudged | None = None
    why: tuple[tuple[str, str], ...] = ()  # (component, UP | FLAT)


def three(b: Brief) -> Three:
    t = b.three_declines
    if t.state == Judgement.ACHIEVED:
        if not t.held_at_zero:
            return Three(ACHIEVED)
        fell = ("accidents", *(k for k in ("larger", "major_plus") if k not in t.held_at_zero))
        return Three(ACHIEVED_WITH_ZEROS, fell=fell, held_at_zero=tuple(t.held_at_zero))
    parts = (("accidents", t.accidents), ("larger", t.larger), ("major_plus", t.major_plus))
    if t.state == Judgement.INSUFFICIENT:
        if partly := partly_judged(b, parts):
            return Three(PARTLY, partly=partly)
        return Three(NO_DATA_NOW if b.measures["accidents"].current is None else NO_DATA_BEFORE)
    if len(t.held_at_zero) == 3:
        return Three(ALL_ZERO)
    why = tuple((key, UP if c.state == State.ROSE else FLAT) for key, c in parts if c.state in (State.ROSE, State.FLAT))
    return Three(NOT_ACHIEVED, why=why)


# ------------------------------------------------------------------ 双下降 and the tallies of units

TALLY_NO_DATA = "no_data"  # none of the units has comparable data
TALLY_QUIET = "quiet"  # no unit counted: those with data had no accident in either year
TALLY_COUNTED = "counted"  # ``achieved`` of ``of`` (and the quiet and those without data apart)


@dataclass(frozen=True)
class TallyFacts:
    kind: str
    tally: Tally


def tally(t: Tally | None) -> TallyFacts | None:
    """None when there is nothing to tell."""
    if t is None or t.of + t.insufficient_data + t.quiet == 0:
        return None
    if t.of + t.quiet == 0:
        return TallyFacts(TALLY_NO_DATA, t)
    return TallyFacts(TALLY_QUIET if t.of == 0 else TALLY_COUNTED, t)


def industry_tally(b: Brief) -> Tally | None:
    """Over industries only when there is more than one to count."""
    return None if len(b.industries) == 1 else b.double_decline_industries


@dataclass(frozen=True)
class Double:
    state: Judgement
    partly: PartlyJudged | None  # cannot be judged because a figure was not released
    tallies: tuple[TallyFacts, ...]  # over the units below, then over industries (those with something to tell)


def double(b: Brief) -> Double:
    partly = None
    if b.double_decline == Judgement.INSUFFICIENT:
        partly = partly_judged(b, (("accidents_count", b.measures["accidents"]), ("deaths", b.measures["deaths"])))
    tallies = tuple(f for f in (tally(b.double_decline_children), tally(industry_tally(b))) if f is not None)
    return Double(b.double_decline, partly, tallies)


# ------------------------------------------------------------------ runs of falls

STREAK_MEASURES = ("accidents", "deaths", "larger_accidents", "major_plus_accidents")


@dataclass(frozen=True)
class Streaks:
    """The measures that fell, in order, with the years each has fallen (one: on last year only); none: neither
    accidents nor deaths fell."""

    runs: tuple[tuple[str, int], ...]

    @property
    def long(self) -> tuple[str, ...]:
        """Two years running or more ("已连续N年下降"; never "连续1年")."""
        return tuple(m for m, years in self.runs if years >= 2)

    @property
    def once(self) -> tuple[str, ...]:
        return tuple(m for m, years in self.runs if years == 1)

    @property
    def long_years(self) -> int | None:
        """The years of the long runs when they are all the same (then told together), else None."""
        years = {y for _, y in self.runs if y >= 2}
        return years.pop() if len(years) == 1 else None


def streaks(b: Brief) -> Streaks | None:
    """None: nothing to tell (no data, or a figure not released and no fall)."""
    acc, dth = b.measures["accidents"], b.measures["deaths"]
    if acc.state == State.INSUFFICIENT and not acc.not_released:
        return None
    runs = tuple((m, b.streaks[m]) for m in STREAK_MEASURES if b.streaks[m] >= 1)
    if not runs and State.INSUFFICIENT in (acc.state, dth.state):
        return None
    return Streaks(runs)


# ------------------------------------------------------------------ the deaths control target

GAP_EXCEEDED = "exceeded"  # the year's target is already exceeded
GAP_WITHIN = "within"  # the year is over (time progress 100%) within the target
GAP_AHEAD = "ahead"  # deaths ahead of time progress by ``gap_points``
GAP_BELOW = "below"  # behind it
GAP_LEVEL = "level"


def gap_state(tp: TargetProgress) -> str:
    """Where the deaths stand against the year's target and time ("" without figures)."""
    if tp.deaths is None:
        return ""
    if tp.state == "exceeded":
        return GAP_EXCEEDED
    if tp.time_progress >= 1:
        return GAP_WITHIN
    gap = tp.gap_points
    if gap is None:
        return ""
    if gap > 0 and tp.state == "ahead_of_time":
        return GAP_AHEAD
    if gap < 0:
        return GAP_BELOW
    return GAP_LEVEL


@dataclass(frozen=True)
class Target:
    progress: TargetProgress
    as_of: dt.date  # the period's last day
    gap: str  # gap_state (""; no deaths figure when progress.deaths is None)


def target(b: Brief) -> Target | None:
    if b.target is None:
        return None
    return Target(b.target, b.period.last_day, gap_state(b.target))


# ------------------------------------------------------------------ days since the last serious accident


@dataclass(frozen=True)
class Since:
    key: str  # major_plus / larger_plus
    last_day: dt.date | None  # the last one's day; None: ``none_since``
    days: int | None
    months: int  # the span in whole months and days, when a last day is known (0 months: days only)
    month_days: int
    none_since: dt.date | None


@dataclass(frozen=True)
class Days:
    none_since: dt.date | None  # no larger-and-above accident on record since this day (then no ``parts``)
    parts: tuple[Since, ...]
    records_only: tuple[str, ...] | None  # records_only(b): with ``parts``


def days(b: Brief) -> Days | None:
    if b.days_since is None:
        return None
    major, larger = b.days_since["major_plus"], b.days_since["larger_plus"]
    if major.last_day is None and larger.last_day is None and major.none_since is not None:
        return Days(major.none_since, (), None)
    parts = []
    for key in ("major_plus", "larger_plus"):
        d = b.days_since[key]
        if d.last_day is not None:
            months, month_days = months_and_days(d.last_day, b.period.last_day)
            parts.append(Since(key, d.last_day, d.days, months, month_days, None))
        elif d.none_since is not None:
            parts.append(Since(key, None, None, 0, 0, d.none_since))
    return Days(None, tuple(parts), records_only(b)) if parts else None


def records_only(b: Brief) -> tuple[str, ...] | None:
    """Where statistics answer part of the brief, the figures only records give leave these regions out."""
    return b.source.statistics_regions if b.source.current == "records+statistics" else None


# ------------------------------------------------------------------ hidden dangers


@dataclass(frozen=True)
class Hazards:
    recorded: bool  # anything found or open
    found: int
    rectified: int
    rectification_rate: float | None
    open_major: int
    open_major_overdue: int
    statistics_regions: tuple[str, ...]  # counted from their monthly reports
    partial_regions: tuple[str, ...]  # monthly reports covering part of the period: not counted


def hazards(b: Brief) -> Hazards:
    h = b.hazards
    return Hazards(
        bool(h["found"] or h["open_major"]),
        h["found"],
        h["rectified"],
        h["rectification_rate"],
        h["open_major"],
        h["open_major_overdue"],
        tuple(h.get("statistics_regions") or ()),
        tuple(h.get("partial_regions") or ()),
    )


# ------------------------------------------------------------------ the headline


def reporting_gap(b: Brief) -> Reporting | None:
    """The units with data, where some have and some have not."""
    r = b.reporting
    return None if r is None or not r.reported or r.reported == r.of else r


@dataclass(frozen=True)
class Headline:
    """No data (``total`` None; ``reporting`` where some units have data), or the accidents and deaths and,
    where there were any this year or last (or the count was not released), the larger and the major-and-above
    ones."""

    total: Pair | None
    larger: Pair | None
    major_plus: Pair | None
    reporting: Reporting | None


def headline(b: Brief) -> Headline:
    m = b.measures
    unreleased = "current" in m["accidents"].not_released  # the count not released, the rest perhaps
    if m["accidents"].current is None and not unreleased:
        return Headline(None, None, None, reporting_gap(b))
    total = pair(m["accidents"], m["deaths"])
    if m["accidents"].current or m["accidents"].previous or unreleased:
        return Headline(
            total,
            pair(m["larger_accidents"], m["larger_deaths"]),
            pair(m["major_plus_accidents"], m["major_plus_deaths"]),
            None,
        )
    return Headline(total, None, None, None)


# ------------------------------------------------------------------ the items, in order


def rising(rows: tuple[Ranked, ...], limit: int | None = 3) -> tuple[Ranked, ...]:
    """The rows whose accidents rose (largest rise first, as ranked), at most ``limit`` (None: all)."""
    return tuple([r for r in rows if r.accidents.state == State.ROSE][:limit])


ITEMS = (
    "three_declines",
    "double_decline",
    "streaks",
    "target",
    "days_since",
    "hazards",
    "regions_rising",
    "industries_rising",
)


def items(b: Brief, risers_limit: int | None = 3) -> dict[str, object]:
    """The judgements that apply, key → facts, in the briefing's order (:data:`ITEMS`)."""
    found: dict[str, object] = {
        "three_declines": three(b),
        "double_decline": double(b),
        "streaks": streaks(b),
        "target": target(b),
        "days_since": days(b),
        "hazards": hazards(b),
        "regions_rising": rising(b.rankings_regions, risers_limit),
        "industries_rising": rising(b.rankings_industries, risers_limit),
    }
    return {k: found[k] for k in ITEMS if found[k]}


# ------------------------------------------------------------------ the source line


@dataclass(frozen=True)
class Source:
    current: str  # records / statistics / records+statistics / none
    statistics_regions: tuple[str, ...]  # answered from statistics (unless only the brief's own region)
    gaps: tuple[str, ...]  # statistics only, not covering either period: not counted
    partially_covered: tuple[str, ...]  # (without gaps) statistics covering part of the period: not used
    cut: bool  # the period is cut at a day (why statistics, whole months, do not answer it)
    expected: tuple[str, ...]  # the regions set as expected to report, where set


def source(b: Brief) -> Source:
    s = b.source
    stats = s.statistics_regions if s.statistics_regions and s.statistics_regions != (b.region,) else ()
    gaps = tuple(sorted(set(s.gaps_current) | set(s.gaps_previous)))
    partial = () if gaps else tuple(s.partially_covered)
    expected = b.reporting.expected if b.reporting is not None else ()
    return Source(s.current, stats, gaps, partial, b.period.is_cut, tuple(expected))
