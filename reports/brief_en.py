"""The English briefing: "In Jan–Jun 2024, Hunan had 467 production-safety accidents and 463 deaths,
down 8.6% and 5.7% year on year…"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from analytics.brief import Brief, Reporting, Tally
from analytics.compare import Judgement
from domain.industries import BY_CODE
from domain.regions import english_name, load_regions
from reports import brief_facts as facts
from reports.words import cell, major_open, names, pct, plural, share, target_gap

GRADE_EN = {"general": "general", "larger": "larger", "major": "major", "extraordinary": "extraordinary"}
SOURCE_EN = {
    "none": "none (no data cover this region and period)",
    "records": "accident records",
    "statistics": "submitted accident statistics",
    "records+statistics": "accident records and submitted statistics (different regions, never added twice)",
}
GROUP_EN = {
    "all": "",
    "general": "general ",
    "larger": "larger ",
    "major_plus": "major-and-above ",
    "larger_plus": "larger-and-above ",
}


def _change_en(ch: facts.Change) -> str:
    return {
        facts.NOT_RELEASED_NOW: "not released for this period",
        facts.NOT_RELEASED_BEFORE: "not released a year earlier, so not comparable",
        facts.NO_PREVIOUS: "no comparable data for last year",
        facts.NO_CURRENT: "no data for this period",
        facts.HELD_AT_ZERO: "zero in both years",
        facts.NEW: "new (none a year earlier)",
        facts.FLAT: "flat year on year",
        facts.DOWN: f"down {pct(ch.change_pct)} year on year",
        facts.UP: f"up {pct(ch.change_pct)} year on year",
    }[ch.kind]


def _pair_words_en(kind: str, p: facts.Pair) -> str:
    acc, dth = p.accidents, p.deaths
    if p.kind == facts.PAIR_NOT_RELEASED:
        return f"{kind} accidents: not released for this period"
    if p.kind == facts.PAIR_NO_DATA:
        return f"no data on {kind} accidents for this period"
    if p.kind == facts.PAIR_PARTIAL:
        # "34,046 deaths (accidents not released), deaths down 10.1%"
        a = (
            plural(acc.current, kind + " accident", kind + " accidents")
            if acc.current is not None
            else f"{kind} accidents (number not released)"
        )
        d = plural(dth.current, "death", "deaths") if dth.current is not None else "deaths (not released)"
        return f"{a} and {d}: " + "; ".join(f"{what} {_change_en(ch)}" for what, ch in p.said)
    if p.kind == facts.PAIR_NONE_UNCOMPARED:
        return f"no {kind} accident (no comparable data for last year)"
    if p.kind == facts.PAIR_NONE:
        return f"no {kind} accident, as a year earlier"
    if p.kind == facts.PAIR_NONE_AGAINST:
        return (
            f"no {kind} accident, against {plural(acc.previous or 0, 'accident', 'accidents')} and "
            f"{plural(dth.previous or 0, 'death', 'deaths')} a year earlier"
        )
    head = (
        f"{plural(acc.current or 0, kind + ' accident', kind + ' accidents')} and "
        f"{plural(dth.current or 0, 'death', 'deaths')}"
    )
    if p.kind == facts.PAIR_UNCOMPARED:
        return head + ", with no comparable data for last year"
    if p.kind == facts.PAIR_SAME:
        word = "down" if p.direction == facts.DOWN else "up"
        return head + f", {word} {pct(acc.change_pct)} and {pct(dth.change_pct)} year on year"
    if p.kind == facts.PAIR_FLAT:
        return head + ", flat year on year"
    if p.kind == facts.PAIR_BOTH_NEW:
        return head + ", against none a year earlier"
    return head + f" (accidents {_change_en(p.accidents_change)}; deaths {_change_en(p.deaths_change)})"


def _unknown_en(u: facts.Unknown) -> str:
    """Why one measure cannot be compared: not released for 2018 (by Changsha's statistics) / no comparable data."""
    if not u.periods:
        return "no comparable data"
    return (
        "not released for "
        + " and ".join(p.label("en") for p in u.periods)
        + (f" (not in the statistics of {names(u.by, 'en')})" if u.by else "")
    )


def _partly_judged_en(pj: facts.PartlyJudged) -> str:
    """cannot be fully judged: accidents not released for 2018; larger accidents down 15.7% …"""
    unknown = [f"{_COMPONENT_EN[u.key]} {_unknown_en(u)}" for u in pj.unknown]
    known = [f"{_COMPONENT_EN[k]} {_change_en(ch)}" for k, ch in pj.known]
    return "cannot be fully judged: " + "; ".join(unknown) + ("; " + ", ".join(known) if known else "") + "."


_COMPONENT_EN = {
    "accidents": "accidents",
    "larger": "larger accidents",
    "major_plus": "major-and-above accidents",
    "accidents_count": "accidents",
    "deaths": "deaths",
}


def _three_en(b: Brief, t: facts.Three) -> str:
    if t.kind == facts.ACHIEVED:
        return "achieved: accidents, larger accidents and major-and-above accidents all fell."
    if t.kind == facts.ACHIEVED_WITH_ZEROS:
        fell = " and ".join(_COMPONENT_EN[k] for k in t.fell)
        none = (
            "larger-and-above accident"
            if len(t.held_at_zero) == 2
            else {"larger": "larger accident", "major_plus": "major-and-above accident"}[t.held_at_zero[0]]
        )
        return f"achieved: {fell} fell, and there was no {none} in either year."
    if t.kind == facts.PARTLY and t.partly is not None:
        return _partly_judged_en(t.partly)
    if t.kind == facts.NO_DATA_NOW:
        return f"cannot be judged (no data for {b.period.label('en')})."
    if t.kind == facts.NO_DATA_BEFORE:
        return f"cannot be judged (no data for {b.comparison_period.label('en')})."
    if t.kind == facts.ALL_ZERO:
        return "not achieved: no accident in either year, and zero both times is not a decline."
    why = [f"{_COMPONENT_EN[key]} rose" if how == facts.UP else f"{_COMPONENT_EN[key]} were flat" for key, how in t.why]
    return "not achieved: " + "; ".join(why) + "."


def tally_sentence(t: Tally | None) -> str:
    f = facts.tally(t)
    if f is None:
        return ""
    t = f.tally
    if f.kind == facts.TALLY_NO_DATA:
        return f"none of the {t.insufficient_data} {t.unit.en} has comparable data"
    if f.kind == facts.TALLY_QUIET:
        return f"{t.quiet} {t.unit.en} with no accident in either year" + (
            f" ({t.insufficient_data} without data)" if t.insufficient_data else ""
        )
    apart = [f"{t.quiet} with no accident in either year"] if t.quiet else []
    apart += [f"{t.insufficient_data} without data"] if t.insufficient_data else []
    return f"{t.achieved} of {t.of} {t.unit.en} achieved it" + (f" ({', '.join(apart)})" if apart else "")


def _double_en(d: facts.Double) -> str:
    head = {
        Judgement.ACHIEVED: "achieved: accidents and deaths both fell",
        Judgement.INSUFFICIENT: "cannot be judged (no comparable data)",
        Judgement.NOT_ACHIEVED: "not achieved",
    }[d.state]
    if d.partly is not None:
        head = _partly_judged_en(d.partly)[:-1]
    parts = [tally_sentence(f.tally) for f in d.tallies]
    return head + ("; " + ", ".join(parts) if parts else "") + "."


_MEASURE_EN = {
    "accidents": "accidents",
    "deaths": "deaths",
    "larger_accidents": "larger accidents",
    "major_plus_accidents": "major-and-above accidents",
}


def _streaks_en(s: facts.Streaks) -> str:
    if not s.runs:
        return "neither accidents nor deaths fell year on year."
    parts = [
        f"{_MEASURE_EN[m]} {years} years running" if years >= 2 else f"{_MEASURE_EN[m]} on last year"
        for m, years in s.runs
    ]  # never "1 year running"
    return "fallen against the same period of the year before: " + ", ".join(parts) + "."


def _date_en(d: dt.date) -> str:
    return f"{d.day} {d:%b} {d.year}"


def _target_en(t: facts.Target) -> str:
    tp, when = t.progress, _date_en(t.as_of)
    if tp.deaths is None:
        return f"the {tp.year} deaths target is {tp.deaths_target:,}; no data on deaths to {when}."
    text = (
        f"{tp.deaths:,} deaths to {when} against a {tp.year} target of {tp.deaths_target:,}: "
        f"{share(tp.progress)} of the target at {share(tp.time_progress)} of the year"
    )
    gap = target_gap(tp, "en")
    if not gap:
        return text + "."
    if tp.state in ("exceeded", "ahead_of_time"):  # a warning gets a dash
        return text + f" — {gap}" + (", a warning." if tp.state == "ahead_of_time" else ".")
    return text + f", {gap}."


_SINCE_EN = {"major_plus": "major-and-above", "larger_plus": "larger-and-above"}


def _days_en(d: facts.Days) -> str:
    if d.none_since is not None:
        return f"no larger-and-above accident on record since {_date_en(d.none_since)}."
    parts = []
    for p in d.parts:
        word = _SINCE_EN[p.key]
        if p.last_day is not None:
            span = (
                f" ({plural(p.months, 'month', 'months')} and {plural(p.month_days, 'day', 'days')})"
                if p.months
                else ""
            )
            parts.append(
                f"{plural(p.days or 0, 'day', 'days')}{span} since the last {word} accident ({_date_en(p.last_day)})"
            )
        elif p.none_since is not None:
            parts.append(f"no {word} accident on record since {_date_en(p.none_since)}")
    return "; ".join(parts) + _records_only_en(d.records_only) + "."


def _records_only_en(regions: tuple[str, ...] | None) -> str:
    """Where statistics answer part of the brief, the figures only records give say so."""
    return "" if regions is None else f" (from the accident records, not counting {names(regions, 'en')})"


def _hazards_en(h: facts.Hazards) -> str:
    if not h.recorded:
        text = "no hidden dangers on record for the period"
    else:
        text = (
            f"{plural(h.found, 'hidden danger', 'hidden dangers')} found, {h.rectified:,} rectified "
            f"({share(h.rectification_rate)}); "
        )
        opened = f"{plural(h.open_major, 'major one', 'major ones')} open, " if h.open_major else ""
        text += opened + major_open(h.open_major, h.open_major_overdue, "en")
    if h.statistics_regions:
        regions = h.statistics_regions
        text += f" ({names(regions, 'en')} counted from {'its' if len(regions) == 1 else 'their'} monthly reports)"
    if h.partial_regions:
        text += (
            f"; the monthly hazard reports of {names(h.partial_regions, 'en')} cover only part of the period "
            "and are not counted"
        )
    return text + "."


def place_en(code: str) -> str:
    """Yongzhou, Lanshan County: the city before a county."""
    r = load_regions().get(code)
    if r is None or r.level != "county" or not r.city_code:
        return english_name(code) if r else code
    return f"{english_name(r.city_code)}, {english_name(code)}"


def _reporting_en(r: Reporting | None) -> str:
    """ ": only 1 of 31 provinces, … has data for the period" — where some units have data and some not."""
    if r is None:
        return ""
    who = f" ({names(r.named, 'en')})" if r.named else ""
    return f": {r.reported} of {r.of} {r.unit.en} have data for the period, {len(r.missing)}{who} none"


def headline(b: Brief) -> str:
    """The opening sentence of the briefing (also the meeting pack's headline)."""
    label = b.period.label("en")
    inds = ", ".join(BY_CODE[i].en for i in b.industries)
    where = english_name(b.region) + (f" ({inds})" if inds else "")
    group = GROUP_EN[b.grade_group]
    h = facts.headline(b)
    if h.total is None:
        return f"In {label}, there are no data on {group}production-safety accidents in {where}{_reporting_en(h.reporting)}."
    text = f"In {label}, {where} had " + _pair_words_en(f"{group}production-safety", h.total) + "."
    if h.larger is not None and h.major_plus is not None:
        text += (
            " Of these, "
            + _pair_words_en("larger", h.larger)
            + "; "
            + _pair_words_en("major-and-above", h.major_plus)
            + "."
        )
    return text


def items(b: Brief, risers_limit: int | None = 3) -> dict[str, tuple[str, str]]:
    """The judgements that apply, as key → (heading, sentence), with the keys of ``brief_zh.items``."""
    level = b.double_decline_children.unit.en if b.double_decline_children else "regions"
    words: dict[str, tuple[str, Callable[[Any], str]]] = {
        "three_declines": ("Three continued declines", lambda f: _three_en(b, f)),
        "double_decline": ("Double decline", _double_en),
        "streaks": ("Streaks", _streaks_en),
        "target": ("Control target", _target_en),
        "days_since": ("Days since", _days_en),
        "hazards": ("Hidden dangers", _hazards_en),
        "regions_rising": (
            f"Accidents rose most in these {level}",
            lambda rows: ", ".join(f"{english_name(r.key)} (+{r.accidents.change:g})" for r in rows) + ".",
        ),
        "industries_rising": (
            "Accidents rose most in these industries",
            lambda rows: ", ".join(f"{BY_CODE[r.key].en} (+{r.accidents.change:g})" for r in rows) + ".",
        ),
    }
    return {k: (words[k][0], words[k][1](f)) for k, f in facts.items(b, risers_limit).items()}


def render(b: Brief) -> str:
    lines = [f"# Production safety in {english_name(b.region)}: {b.period.label('en')}", "", headline(b), ""]
    lines += [f"- **{k}**: {v}" for k, v in items(b).values()]
    if b.latest:
        lines += [
            "",
            "## Larger-and-above accidents" + _records_only_en(facts.records_only(b)),
            "",
            "| date | region | industry | grade | deaths (incl. missing) | summary |",
            "|---|---|---|---|---|---|",
        ]
        for a in b.latest:
            lines.append(
                f"| {a['occurred_at'][:10]} | {place_en(a['region']['code'])} | {BY_CODE[a['industry']].en} | "
                f"{GRADE_EN[a['grade']]} | {a['deaths']} | {cell(a['summary'])} |"
            )
    lines += ["", source_en(b)]
    return "\n".join(lines) + "\n"


def source_en(b: Brief) -> str:
    """Source: … (the briefing's last line)."""
    s = facts.source(b)
    text = f"Source: {SOURCE_EN[s.current]}; deaths include the missing."
    if s.statistics_regions:
        text += f" {names(s.statistics_regions, 'en')}: from submitted statistics."
    if s.gaps:
        verb = "submits" if len(s.gaps) == 1 else "submit"
        text += (
            f" Note: {names(s.gaps, 'en')} {verb} statistics only, which do not cover this period or "
            "last year's: not included."
        )
    elif s.partially_covered:
        why = "are whole months and do not answer a period cut at a day" if s.cut else "cover only part of the period"
        text += f" Note: the statistics of {names(s.partially_covered, 'en')} {why}: not used."
    if s.expected:
        text += f" Judged on the regions set as expected to report ({names(s.expected, 'en')})."
    return text
