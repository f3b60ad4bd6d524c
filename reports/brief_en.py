"""The English briefing: "In Jan–Jun 2024, Hunan had 467 production-safety accidents and 463 deaths,
down 8.6% and 5.7% year on year…"."""

from __future__ import annotations

import datetime as dt

from analytics.brief import Brief, Tally
from analytics.compare import Comparison, Judgement, State
from domain.industries import BY_CODE
from domain.periods import months_and_days
from domain.regions import english_name, load_regions
from reports.words import cell, industry_tally, major_open, names, pct, plural, risers, share, target_gap

GRADE_EN = {"general": "general", "larger": "larger", "major": "major", "extraordinary": "extraordinary"}
SOURCE_EN = {"none": "none (no data cover this region and period)", "records": "accident records",
             "statistics": "submitted accident statistics",
             "records+statistics": "accident records and submitted statistics (different regions, never added twice)"}
GROUP_EN = {"all": "", "general": "general ", "larger": "larger ", "major_plus": "major-and-above ",
            "larger_plus": "larger-and-above "}


def _phrase_en(c: Comparison, unit: str) -> str:
    if c.state == State.INSUFFICIENT:
        if c.not_released:
            return "not released for this period" if "current" in c.not_released else \
                "not released a year earlier, so not comparable"
        return "no comparable data for last year" if c.current is not None else "no data for this period"
    if c.state == State.HELD_AT_ZERO:
        return "zero in both years"
    if c.is_new:
        return "new (none a year earlier)"
    if c.state == State.FLAT:
        return "flat year on year"
    word = "down" if c.state == State.DECLINED else "up"
    return f"{word} {pct(c.change_pct)} year on year"


def _pair_en(kind: str, acc: Comparison, dth: Comparison) -> str:
    if acc.not_released or dth.not_released:
        return _partial_pair_en(kind, acc, dth)
    if acc.current is None:
        return f"no data on {kind} accidents for this period"
    if acc.current == 0:
        if acc.previous is None:
            return f"no {kind} accident (no comparable data for last year)"
        if acc.previous == 0:
            return f"no {kind} accident, as a year earlier"
        return (f"no {kind} accident, against {plural(acc.previous, 'accident', 'accidents')} and "
                f"{plural(dth.previous or 0, 'death', 'deaths')} a year earlier")
    head = f"{plural(acc.current, kind + ' accident', kind + ' accidents')} and {plural(dth.current or 0, 'death', 'deaths')}"
    if State.INSUFFICIENT in (acc.state, dth.state):
        return head + ", with no comparable data for last year"
    if acc.state == dth.state and acc.state in (State.DECLINED, State.ROSE) and not acc.is_new and not dth.is_new:
        word = "down" if acc.state == State.DECLINED else "up"
        return head + f", {word} {pct(acc.change_pct)} and {pct(dth.change_pct)} year on year"
    if acc.state == dth.state == State.FLAT:
        return head + ", flat year on year"
    if acc.is_new and dth.is_new:
        return head + ", against none a year earlier"
    return head + f" (accidents {_phrase_en(acc, 'accidents')}; deaths {_phrase_en(dth, 'deaths')})"
def _partial_pair_en(kind: str, acc: Comparison, dth: Comparison) -> str:
    """A pair one of whose figures was not released: "34,046 deaths (accidents not released), deaths down 10.1%"."""
    if acc.current is None and dth.current is None:
        if "current" in acc.not_released or "current" in dth.not_released:
            return f"{kind} accidents: not released for this period"
        return f"no data on {kind} accidents for this period"
    a = plural(acc.current, kind + " accident", kind + " accidents") if acc.current is not None else \
        f"{kind} accidents (number not released)"
    d = plural(dth.current, "death", "deaths") if dth.current is not None else "deaths (not released)"
    said = [f"{what} {_phrase_en(c, what)}" for what, c in (("accidents", acc), ("deaths", dth))
            if c.current is not None]
    return f"{a} and {d}: " + "; ".join(said)


_COMPONENT_MEASURE = {"accidents": "accidents", "larger": "larger_accidents", "major_plus": "major_plus_accidents",
                      "deaths": "deaths"}


def _unknown_en(b: Brief, key: str, c: Comparison) -> str:
    """Why one measure cannot be compared: not released for 2018 (by Changsha's statistics) / no comparable data."""
    labels = [p.label("en") for side, p in (("current", b.period), ("previous", b.comparison_period))
              if side in c.not_released]
    if not labels:
        return "no comparable data"
    by = tuple(r for r in b.source.not_released_by.get(_COMPONENT_MEASURE[key], ()) if r != b.region)
    return "not released for " + " and ".join(labels) + (f" (not in the statistics of {names(by, 'en')})" if by else "")


def _partly_judged_en(b: Brief, parts: tuple[tuple[str, Comparison], ...]) -> str:
    """cannot be fully judged: accidents not released for 2018; larger accidents down 15.7% …"""
    unknown = [f"{_COMPONENT_EN[k]} {_unknown_en(b, k, c)}" for k, c in parts if c.state == State.INSUFFICIENT]
    known = [f"{_COMPONENT_EN[k]} {_phrase_en(c, k)}" for k, c in parts if c.state != State.INSUFFICIENT]
    return "cannot be fully judged: " + "; ".join(unknown) + ("; " + ", ".join(known) if known else "") + "."


_COMPONENT_EN = {"accidents": "accidents", "larger": "larger accidents", "major_plus": "major-and-above accidents",
                 "deaths": "deaths"}


def _three_en(b: Brief) -> str:
    t = b.three_declines
    if t.state == Judgement.ACHIEVED:
        if not t.held_at_zero:
            return "achieved: accidents, larger accidents and major-and-above accidents all fell."
        fell = " and ".join(["accidents", *(_COMPONENT_EN[k] for k in ("larger", "major_plus")
                                            if k not in t.held_at_zero)])
        none = ("larger-and-above accident" if len(t.held_at_zero) == 2
                else {"larger": "larger accident", "major_plus": "major-and-above accident"}[t.held_at_zero[0]])
        return f"achieved: {fell} fell, and there was no {none} in either year."
    if t.state == Judgement.INSUFFICIENT:
        parts = (("accidents", t.accidents), ("larger", t.larger), ("major_plus", t.major_plus))
        if any(c.not_released for _, c in parts):
            return _partly_judged_en(b, parts)
        missing = (f"no data for {b.period.label('en')}" if b.measures["accidents"].current is None
                   else f"no data for {b.comparison_period.label('en')}")
        return f"cannot be judged ({missing})."
    if len(t.held_at_zero) == 3:
        return "not achieved: no accident in either year, and zero both times is not a decline."
    why = []
    for key, c in (("accidents", t.accidents), ("larger", t.larger), ("major_plus", t.major_plus)):
        if c.state == State.ROSE:
            why.append(f"{_COMPONENT_EN[key]} rose")
        elif c.state == State.FLAT:
            why.append(f"{_COMPONENT_EN[key]} were flat")
    return "not achieved: " + "; ".join(why) + "."


def tally_sentence(t: Tally | None) -> str:
    if t is None or t.of + t.insufficient_data + t.quiet == 0:
        return ""
    if t.of + t.quiet == 0:
        return f"none of the {t.insufficient_data} {t.unit.en} has comparable data"
    apart = [f"{t.quiet} with no accident in either year"] if t.quiet else []
    apart += [f"{t.insufficient_data} without data"] if t.insufficient_data else []
    if t.of == 0:
        return f"{t.quiet} {t.unit.en} with no accident in either year" + (f" ({apart[1]})" if len(apart) > 1 else "")
    return f"{t.achieved} of {t.of} {t.unit.en} achieved it" + (f" ({', '.join(apart)})" if apart else "")


def _double_en(b: Brief) -> str:
    head = {Judgement.ACHIEVED: "achieved: accidents and deaths both fell",
            Judgement.INSUFFICIENT: "cannot be judged (no comparable data)",
            Judgement.NOT_ACHIEVED: "not achieved"}[b.double_decline]
    pair = (("accidents", b.measures["accidents"]), ("deaths", b.measures["deaths"]))
    if b.double_decline == Judgement.INSUFFICIENT and any(c.not_released for _, c in pair):
        head = _partly_judged_en(b, pair)[:-1]
    parts = [p for p in (tally_sentence(b.double_decline_children), tally_sentence(industry_tally(b))) if p]
    return head + ("; " + ", ".join(parts) if parts else "") + "."
_MEASURE_EN = {"accidents": "accidents", "deaths": "deaths", "larger_accidents": "larger accidents",
               "major_plus_accidents": "major-and-above accidents"}


def _streaks_en(b: Brief) -> str:
    acc, dth = b.measures["accidents"], b.measures["deaths"]
    if acc.state == State.INSUFFICIENT and not acc.not_released:
        return ""
    parts = [f"{_MEASURE_EN[m]} {b.streaks[m]} years running" if b.streaks[m] >= 2 else f"{_MEASURE_EN[m]} on last year"
             for m in _MEASURE_EN if b.streaks[m] >= 1]  # never "1 year running"
    if not parts and State.INSUFFICIENT in (acc.state, dth.state):  # a figure not released: no streak to tell
        return ""
    if not parts:
        return "neither accidents nor deaths fell year on year."
    return "fallen against the same period of the year before: " + ", ".join(parts) + "."


def _date_en(d: dt.date) -> str:
    return f"{d.day} {d:%b} {d.year}"


def _target_en(b: Brief) -> str | None:
    t = b.target
    if t is None:
        return None
    when = _date_en(b.period.last_day)
    if t.deaths is None:
        return f"the {t.year} deaths target is {t.deaths_target:,}; no data on deaths to {when}."
    text = (f"{t.deaths:,} deaths to {when} against a {t.year} target of {t.deaths_target:,}: "
            f"{share(t.progress)} of the target at {share(t.time_progress)} of the year")
    gap = target_gap(t, "en")
    if not gap:
        return text + "."
    if t.state in ("exceeded", "ahead_of_time"):  # a warning gets a dash
        return text + f" — {gap}" + (", a warning." if t.state == "ahead_of_time" else ".")
    return text + f", {gap}."


def _days_en(b: Brief) -> str | None:
    if b.days_since is None:
        return None
    major, larger = b.days_since["major_plus"], b.days_since["larger_plus"]
    if major.last_day is None and larger.last_day is None and major.none_since is not None:
        return f"no larger-and-above accident on record since {_date_en(major.none_since)}."
    parts = []
    for key, word in (("major_plus", "major-and-above"), ("larger_plus", "larger-and-above")):
        d = b.days_since[key]
        if d.last_day is not None:
            months, days = months_and_days(d.last_day, b.period.last_day)
            span = f" ({plural(months, 'month', 'months')} and {plural(days, 'day', 'days')})" if months else ""
            parts.append(f"{plural(d.days or 0, 'day', 'days')}{span} since the last {word} accident "
                         f"({_date_en(d.last_day)})")
        elif d.none_since is not None:
            parts.append(f"no {word} accident on record since {_date_en(d.none_since)}")
    return "; ".join(parts) + _records_only_en(b) + "." if parts else None


def _records_only_en(b: Brief) -> str:
    """Where statistics answer part of the brief, the figures only records give say so."""
    if b.source.current != "records+statistics":
        return ""
    return f" (from the accident records, not counting {names(b.source.statistics_regions, 'en')})"


def _hazards_en(b: Brief) -> str:
    h = b.hazards
    if not h["found"] and not h["open_major"]:
        text = "no hidden dangers on record for the period"
    else:
        text = (f"{plural(h['found'], 'hidden danger', 'hidden dangers')} found, {h['rectified']:,} rectified "
                f"({share(h['rectification_rate'])}); ")
        opened = f"{plural(h['open_major'], 'major one', 'major ones')} open, " if h["open_major"] else ""
        text += opened + major_open(h["open_major"], h["open_major_overdue"], "en")
    if h.get("statistics_regions"):
        regions = tuple(h["statistics_regions"])
        text += f" ({names(regions, 'en')} counted from {'its' if len(regions) == 1 else 'their'} monthly reports)"
    if h.get("partial_regions"):
        regions = tuple(h["partial_regions"])
        text += (f"; the monthly hazard reports of {names(regions, 'en')} cover only part of the period and are "
                 "not counted")
    return text + "."


def place_en(code: str) -> str:
    """Yongzhou, Lanshan County: the city before a county."""
    r = load_regions().get(code)
    if r is None or r.level != "county" or not r.city_code:
        return english_name(code) if r else code
    return f"{english_name(r.city_code)}, {english_name(code)}"


def _reporting_en(b: Brief) -> str:
    """": only 1 of 31 provinces, … has data for the period" — where some units have data and some not."""
    r = b.reporting
    if r is None or not r.reported or r.reported == r.of:
        return ""
    who = f" ({names(r.named, 'en')})" if r.named else ""
    return f": {r.reported} of {r.of} {r.unit.en} have data for the period, {len(r.missing)}{who} none"


def headline(b: Brief) -> str:
    """The opening sentence of the briefing (also the meeting pack's headline)."""
    label = b.period.label("en")
    inds = ", ".join(BY_CODE[i].en for i in b.industries)
    where = english_name(b.region) + (f" ({inds})" if inds else "")
    group = GROUP_EN[b.grade_group]
    m = b.measures
    unreleased = "current" in m["accidents"].not_released  # the count not released, the rest perhaps
    if m["accidents"].current is None and not unreleased:
        return f"In {label}, there are no data on {group}production-safety accidents in {where}{_reporting_en(b)}."
    text = f"In {label}, {where} had " + _pair_en(f"{group}production-safety", m["accidents"], m["deaths"]) + "."
    if m["accidents"].current or m["accidents"].previous or unreleased:
        text += (" Of these, " + _pair_en("larger", m["larger_accidents"], m["larger_deaths"]) + "; "
                 + _pair_en("major-and-above", m["major_plus_accidents"], m["major_plus_deaths"]) + ".")
    return text


def items(b: Brief, risers_limit: int | None = 3) -> dict[str, tuple[str, str]]:
    """The judgements that apply, as key → (heading, sentence), with the keys of ``brief_zh.items``."""
    level = b.double_decline_children.unit.en if b.double_decline_children else "regions"
    found = {"three_declines": ("Three continued declines", _three_en(b)), "double_decline": ("Double decline", _double_en(b)),
             "streaks": ("Streaks", _streaks_en(b)), "target": ("Control target", _target_en(b)),
             "days_since": ("Days since", _days_en(b)), "hazards": ("Hidden dangers", _hazards_en(b))}
    rise = risers(b.rankings_regions, lambda r: f"{english_name(r.key)} (+{r.accidents.change:g})", ", ", risers_limit)
    found["regions_rising"] = (f"Accidents rose most in these {level}", rise + "." if rise else "")
    rise = risers(b.rankings_industries, lambda r: f"{BY_CODE[r.key].en} (+{r.accidents.change:g})", ", ",
                  risers_limit)
    found["industries_rising"] = ("Accidents rose most in these industries", rise + "." if rise else "")
    return {k: (head, text) for k, (head, text) in found.items() if text}


def render(b: Brief) -> str:
    lines = [f"# Production safety in {english_name(b.region)}: {b.period.label('en')}", "", headline(b), ""]
    lines += [f"- **{k}**: {v}" for k, v in items(b).values()]
    if b.latest:
        lines += ["", "## Larger-and-above accidents" + _records_only_en(b), "",
                  "| date | region | industry | grade | deaths (incl. missing) | summary |", "|---|---|---|---|---|---|"]
        for a in b.latest:
            lines.append(f"| {a['occurred_at'][:10]} | {place_en(a['region']['code'])} | {BY_CODE[a['industry']].en} | "
                         f"{GRADE_EN[a['grade']]} | {a['deaths']} | {cell(a['summary'])} |")
    lines += ["", source_en(b)]
    return "\n".join(lines) + "\n"


def source_en(b: Brief) -> str:
    """Source: … (the briefing's last line)."""
    s = b.source
    text = f"Source: {SOURCE_EN[s.current]}; deaths include the missing."
    if s.statistics_regions and s.statistics_regions != (b.region,):
        text += f" {names(s.statistics_regions, 'en')}: from submitted statistics."
    gaps = tuple(sorted(set(s.gaps_current) | set(s.gaps_previous)))
    if gaps:
        verb = "submits" if len(gaps) == 1 else "submit"
        text += (f" Note: {names(gaps, 'en')} {verb} statistics only, which do not cover this period or "
                 "last year's: not included.")
    elif s.partially_covered:
        why = ("are whole months and do not answer a period cut at a day" if b.period.is_cut
               else "cover only part of the period")
        text += f" Note: the statistics of {names(s.partially_covered, 'en')} {why}: not used."
    if b.reporting is not None and b.reporting.expected:
        text += f" Judged on the regions set as expected to report ({names(b.reporting.expected, 'en')})."
    return text
