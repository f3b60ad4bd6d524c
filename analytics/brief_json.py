"""The brief as JSON (``python -m reports brief --format json``): plain types only, counts as integers,
per cents and rates rounded, a missing value as null."""

from __future__ import annotations

from typing import Any

from analytics.accidents import MEASURES
from analytics.brief import STREAK_YEARS, Brief, Ranked, Tally
from analytics.compare import Comparison
from domain.periods import Period
from domain.regions import load_regions


def _num(x: float | None, digits: int = 2) -> float | int | None:
    if x is None:
        return None
    if float(x).is_integer():
        return int(x)
    return round(float(x), digits)


def comparison_json(c: Comparison) -> dict[str, Any]:
    """``{current, previous, change, change_pct, state}``; a missing value is null."""
    return {
        "current": _num(c.current),
        "previous": _num(c.previous),
        "change": _num(c.change),
        "change_pct": _num(c.change_pct),
        "state": str(c.state),
    }


def _span(p: Period) -> dict[str, str]:
    return {"start": p.start, "end": p.end}


def _region(code: str) -> dict[str, str]:
    return {"code": code, "name": load_regions()[code].name}


def _ranked_json(r: Ranked, industry: bool) -> dict[str, Any]:
    head = {"industry": r.key, "name": r.name} if industry else {"code": r.key, "name": r.name}
    return {
        **head,
        "accidents": comparison_json(r.accidents),
        "deaths": comparison_json(r.deaths),
        "double_decline": str(r.double_decline),
        "source": r.source,
    }


def _tally_json(t: Tally | None) -> dict[str, Any] | None:
    return (
        None
        if t is None
        else {
            "level": t.level,
            "achieved": t.achieved,
            "of": t.of,
            "insufficient_data": t.insufficient_data,
            "quiet": t.quiet,
            "unit_zh": t.unit.zh,
            "unit_en": t.unit.en,
        }
    )


def brief_json(b: Brief) -> dict[str, Any]:
    """The brief as JSON: the contract of the issue first, then the rest."""
    days = (
        None
        if b.days_since is None
        else {
            k: {
                "last_day": None if d.last_day is None else d.last_day.isoformat(),
                "days": d.days,
                "none_since": None if d.none_since is None else d.none_since.isoformat(),
            }
            for k, d in b.days_since.items()
        }
    )
    t = b.target
    target = (
        None
        if t is None
        else {
            "year": t.year,
            "deaths": t.deaths,
            "deaths_target": t.deaths_target,
            "progress": _num(t.progress, 4),
            "time_progress": _num(t.time_progress, 4),
            "state": t.state,
        }
    )
    hazards = {k: (_num(v, 4) if isinstance(v, float) else v) for k, v in b.hazards.items()}
    hazards["statistics_regions"] = [_region(c) for c in b.hazards.get("statistics_regions", ())]
    hazards["partial_regions"] = [_region(c) for c in b.hazards.get("partial_regions", ())]
    s = b.source
    return {
        "period": _span(b.period),
        "comparison_period": _span(b.comparison_period),
        "region": _region(b.region),
        "measures": {m: comparison_json(b.measures[m]) for m in MEASURES},
        "three_declines": {"state": str(b.three_declines.state)},
        "double_decline": {"state": str(b.double_decline)},
        # Beyond the contract:
        "as_of": b.period.last_day.isoformat(),
        "period_kind": b.period.kind,
        "period_label": {"zh": b.period.label("zh"), "en": b.period.label("en")},
        "region_level": b.region_level,
        "industries": list(b.industries),
        "grade_group": b.grade_group,
        "three_declines_held_at_zero": list(b.three_declines.held_at_zero),
        "three_declines_unknown": list(b.three_declines.unknown),
        # The measures whose figure the statistics did not release (未公布), per side: unknown, not 0.
        "not_released": {
            side: [m for m in MEASURES if side in b.measures[m].not_released] for side in ("current", "previous")
        },
        "double_decline_children": _tally_json(b.double_decline_children),
        "double_decline_industries": _tally_json(b.double_decline_industries),
        "reporting": None
        if b.reporting is None
        else {
            "reported": b.reporting.reported,
            "of": b.reporting.of,
            "unit_zh": b.reporting.unit.zh,
            "unit_en": b.reporting.unit.en,
            "missing": list(b.reporting.missing),
            "expected": list(b.reporting.expected),
        },
        "streaks": dict(b.streaks),
        "streak_limit": STREAK_YEARS,
        "days_since": days,
        "target": target,
        "hazards": hazards,
        "rankings": {
            "regions": [_ranked_json(r, False) for r in b.rankings_regions],
            "industries": [_ranked_json(r, True) for r in b.rankings_industries],
        },
        "latest": [dict(r) for r in b.latest],
        "source": {
            "current": s.current,
            "previous": s.previous,
            "statistics_regions": [_region(c) for c in s.statistics_regions],
            "partially_covered": [_region(c) for c in s.partially_covered],
            "gaps_current": [_region(c) for c in s.gaps_current],
            "gaps_previous": [_region(c) for c in s.gaps_previous],
            "not_released_by": {m: [_region(c) for c in codes] for m, codes in s.not_released_by.items()},
        },
    }
