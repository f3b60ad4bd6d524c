"""Accident measures for a region, period, industries and grade group — each region answered by
exactly one source (domain.sources): records ("cells", pre-aggregated by the store) or submitted
statistics, never both added.

Inputs are two frames from the store:

- cells: month, region_code, province_code, city_code, industry, grade, accidents, deaths
  (deaths include the missing), already cut to the period's days;
- stats: period, period_kind, region_code, province_code, city_code, industry (None = all),
  accidents, deaths, larger_accidents, larger_deaths, major_accidents, major_deaths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from domain.grading import GRADE_GROUPS
from domain.periods import Period
from domain.regions import COUNTRY_CODE, ancestors, children
from domain.sources import SourcePlan, _whole_years, plan_sources

MEASURES = ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_plus_accidents", "major_plus_deaths")


@dataclass(frozen=True)
class Answer:
    """The measures of one question. A measure is None when a statistics row that answers it did not
    release its figure (NULL in the store): a total over regions or months with an unknown part is
    unknown, never the sum of the rest (see docs/input-formats.md, "Partial statistics")."""

    values: dict[str, int | None]
    plan: SourcePlan
    from_records: dict[str, int] = field(default_factory=dict)
    from_statistics: dict[str, int | None] = field(default_factory=dict)
    # measure → the statistics regions whose rows did not release it (what makes the measure unknown)
    not_released_by: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def not_released(self) -> tuple[str, ...]:
        """The measures unknown because the statistics did not release them."""
        return tuple(m for m in MEASURES if self.values.get(m, 0) is None)

    @property
    def source(self) -> str:
        """'records', 'statistics' or 'records+statistics' (different regions, never the same one)."""
        if not self.plan.from_statistics:
            return "records"
        return "statistics" if not any(self.from_records.values()) else "records+statistics"


def in_subtree(frame: pd.DataFrame, region: str) -> pd.Series:
    if region == COUNTRY_CODE:
        return pd.Series(True, index=frame.index)
    return (frame["region_code"] == region) | (frame["province_code"] == region) | (frame["city_code"] == region)


def _outside(frame: pd.DataFrame, regions: list[str]) -> pd.Series:
    if not regions:
        return pd.Series(True, index=frame.index)
    inside = (
        frame["region_code"].isin(regions) | frame["province_code"].isin(regions) | frame["city_code"].isin(regions)
    )
    return ~inside.fillna(False)


def _check_grade_group(grade_group: str) -> None:
    if grade_group not in GRADE_GROUPS:
        raise ValueError(f"grade group must be one of {', '.join(GRADE_GROUPS)}, got '{grade_group}'")


def _measures(acc: dict[str, int], dth: dict[str, int], grade_group: str) -> dict[str, int]:
    """The six measures from the accidents and deaths of each grade (those outside the group left out)."""
    wanted = GRADE_GROUPS[grade_group]

    def total(counts: dict[str, int], grades: tuple[str, ...]) -> int:
        return int(sum(counts.get(g, 0) for g in grades if g in wanted))

    major = ("major", "extraordinary")
    return {
        "accidents": total(acc, GRADE_GROUPS["all"]),
        "deaths": total(dth, GRADE_GROUPS["all"]),
        "larger_accidents": total(acc, ("larger",)),
        "larger_deaths": total(dth, ("larger",)),
        "major_plus_accidents": total(acc, major),
        "major_plus_deaths": total(dth, major),
    }


def _from_cells(cells: pd.DataFrame, grade_group: str) -> dict[str, int]:
    by_grade = cells.groupby("grade", sort=False)[["accidents", "deaths"]].sum()
    return _measures(by_grade["accidents"].to_dict(), by_grade["deaths"].to_dict(), grade_group)


def _by_key(cells: pd.DataFrame, key: pd.Series) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """Accidents and deaths by grade for each value of ``key`` (one grouping of the cells)."""
    sums = cells.groupby([key, cells["grade"]])[["accidents", "deaths"]].sum()
    out: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
    for (k, grade), acc, dth in zip(sums.index, sums["accidents"], sums["deaths"], strict=True):
        a, d = out.setdefault(k, ({}, {}))
        a[grade], d[grade] = acc, dth
    return out


def _records_answer(grades: tuple[dict[str, int], dict[str, int]] | None, grade_group: str) -> Answer:
    """The answer of a region or month that no statistics touch: its records alone."""
    recs = _measures(*(grades or ({}, {})), grade_group)
    return Answer(
        values=dict(recs), plan=SourcePlan({}, ()), from_records=recs, from_statistics=dict.fromkeys(MEASURES, 0)
    )


def _known_sum(values: pd.Series) -> int | None:
    """The sum of a statistics column, or None when a row's figure was not released (NULL): a total
    with an unknown part is unknown, never the sum of the rest."""
    return None if values.isna().any() else int(values.sum())


def _minus(total: int | None, *parts: int | None) -> int | None:
    return None if total is None or any(p is None for p in parts) else total - sum(p for p in parts if p is not None)


def _plus(*parts: int | None) -> int | None:
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _from_stats(rows: pd.DataFrame, grade_group: str) -> dict[str, int | None]:
    """The six measures of statistics rows; a measure whose figure was not released is None (the
    others are still answered: a table without 较大/重特大 columns still gives accidents and deaths)."""
    s = {
        k: _known_sum(rows[k])
        for k in ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_accidents", "major_deaths")
    }
    wanted = {
        "all": ("larger", "major_plus"),
        "general": (),
        "larger": ("larger",),
        "major_plus": ("major_plus",),
        "larger_plus": ("larger", "major_plus"),
    }[grade_group]

    def group(total: int | None, larger: int | None, major: int | None) -> int | None:
        return {
            "all": total,
            "general": _minus(total, larger, major),
            "larger": larger,
            "major_plus": major,
            "larger_plus": _plus(larger, major),
        }[grade_group]

    return {
        "accidents": group(s["accidents"], s["larger_accidents"], s["major_accidents"]),
        "deaths": group(s["deaths"], s["larger_deaths"], s["major_deaths"]),
        "larger_accidents": s["larger_accidents"] if "larger" in wanted else 0,
        "larger_deaths": s["larger_deaths"] if "larger" in wanted else 0,
        "major_plus_accidents": s["major_accidents"] if "major_plus" in wanted else 0,
        "major_plus_deaths": s["major_deaths"] if "major_plus" in wanted else 0,
    }


def answer(
    cells: pd.DataFrame,
    stats: pd.DataFrame,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
) -> Answer:
    """The six measures for ``region`` over ``period`` (cells must already be cut to its days)."""
    _check_grade_group(grade_group)
    months = set(period.months())
    years = {m[:4] for m in months}
    st = stats[in_subtree(stats, region) & (stats["period"].isin(months) | stats["period"].isin(years))]
    if st.empty:  # no statistics: the records answer alone (what plan_sources says of an empty index)
        plan = SourcePlan({}, ())
    else:
        codes = st["region_code"].unique().tolist()
        plan = plan_sources(
            st[["region_code", "period", "industry"]], period, industries, {c: ancestors(c) for c in codes}
        )
    stat_regions = list(plan.from_statistics)
    mask = cells["month"].isin(months)
    if region != COUNTRY_CODE:
        mask &= in_subtree(cells, region)
    if stat_regions:
        mask &= _outside(cells, stat_regions)
    if industries:
        mask &= cells["industry"].isin(industries)
    from_records = _from_cells(cells[mask], grade_group)
    from_stats: dict[str, int | None] = dict.fromkeys(MEASURES, 0)
    unknown: dict[str, list[str]] = {}
    for code, granularity in sorted(plan.from_statistics.items()):
        wanted = sorted(months) if granularity == "month" else _whole_years(period)
        rows = st[(st["region_code"] == code) & st["period"].isin(wanted)]
        rows = rows[rows["industry"].isna()] if not industries else rows[rows["industry"].isin(industries)]
        for k, v in _from_stats(rows, grade_group).items():
            from_stats[k] = _plus(from_stats[k], v)
            if v is None:
                unknown.setdefault(k, []).append(code)
    values = {k: _plus(from_records[k], from_stats[k]) for k in MEASURES}
    return Answer(
        values=values,
        plan=plan,
        from_records=from_records,
        from_statistics=from_stats,
        not_released_by={k: tuple(v) for k, v in unknown.items()},
    )


def _member(frame: pd.DataFrame, codes: set[str]) -> pd.Series:
    """The one of ``codes`` (disjoint regions) that each row is inside (``in_subtree``), or NA."""
    key = frame["province_code"].where(frame["province_code"].isin(codes))
    key = key.fillna(frame["city_code"].where(frame["city_code"].isin(codes)))
    return key.fillna(frame["region_code"].where(frame["region_code"].isin(codes)))


def answers_for(
    cells: pd.DataFrame,
    stats: pd.DataFrame,
    codes: list[str] | tuple[str, ...],
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
) -> dict[str, Answer]:
    """``answer`` for each of ``codes`` — disjoint regions such as the children of one region — with
    the same result as asking one by one, but the cells grouped once: a region with no statistics
    in the period is answered by its records alone; the few with statistics are asked one by one."""
    _check_grade_group(grade_group)
    wanted = set(codes)
    months = set(period.months())
    years = {m[:4] for m in months}
    st = stats[stats["period"].isin(months) | stats["period"].isin(years)]
    with_stats = set(_member(st, wanted).dropna())
    rec = cells[cells["month"].isin(months) & cells["grade"].isin(GRADE_GROUPS[grade_group])]
    if industries:
        rec = rec[rec["industry"].isin(industries)]
    counted = _by_key(rec, _member(rec, wanted))
    out: dict[str, Answer] = {}
    for code in codes:
        if code in with_stats:
            inside = (cells[in_subtree(cells, code)], stats[in_subtree(stats, code)])
            out[code] = answer(*inside, code, period, industries, grade_group)
        else:
            out[code] = _records_answer(counted.get(code), grade_group)
    return out


def month_period(period: Period, month: str) -> Period:
    """One month of ``period`` as a period of its own (the last one cut where ``period`` is)."""
    return Period(month, month, "month", period.until if month == period.end else None)


def answers_by_month(
    cells: pd.DataFrame,
    stats: pd.DataFrame,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
) -> dict[str, Answer]:
    """``answer`` for each month of ``period`` (see :func:`month_period`), as if asked month by month,
    with the cells grouped once: a month without statistics inside ``region`` (monthly, or yearly for
    its year) is answered by its records alone; the others one by one."""
    _check_grade_group(grade_group)
    months = period.months()
    st = stats[in_subtree(stats, region)]
    with_stats = {m for m in months if st["period"].isin((m, m[:4])).any()}
    mask = cells["month"].isin(months) & cells["grade"].isin(GRADE_GROUPS[grade_group])
    if region != COUNTRY_CODE:
        mask &= in_subtree(cells, region)
    if industries:
        mask &= cells["industry"].isin(industries)
    rec = cells[mask]
    counted = _by_key(rec, rec["month"])
    out: dict[str, Answer] = {}
    by_month = dict(tuple(cells.groupby("month", sort=False))) if with_stats else {}
    for m in months:
        if m in with_stats:  # this month's own rows are all that answer() reads of it
            mine = by_month.get(m, cells.iloc[0:0])
            out[m] = answer(
                mine, st[st["period"].isin((m, m[:4]))], region, month_period(period, m), industries, grade_group
            )
        else:
            out[m] = _records_answer(counted.get(m), grade_group)
    return out


def by_child(
    cells: pd.DataFrame,
    stats: pd.DataFrame,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
) -> pd.DataFrame:
    """One row per child region of ``region``: code, name and the measures, with their source."""
    rows = []
    kids = children(region)
    answers = answers_for(cells, stats, [c.code for c in kids], period, industries, grade_group)
    for child in kids:
        a = answers[child.code]
        rows.append({"code": child.code, "name": child.name, "source": a.source, **a.values})
    return pd.DataFrame(rows, columns=["code", "name", "source", *MEASURES])


def by_industry(
    cells: pd.DataFrame,
    stats: pd.DataFrame,
    region: str,
    period: Period,
    industries: tuple[str, ...],
    grade_group: str = "all",
) -> pd.DataFrame:
    """One row per industry in ``industries``."""
    rows = []
    for ind in industries:
        a = answer(cells, stats, region, period, (ind,), grade_group)
        rows.append({"industry": ind, "source": a.source, **a.values})
    return pd.DataFrame(rows, columns=["industry", "source", *MEASURES])


def monthly(
    cells: pd.DataFrame,
    stats: pd.DataFrame,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    grade_group: str = "all",
) -> pd.DataFrame:
    """One row per month of ``period`` (each month answered on its own)."""
    answers = answers_by_month(cells, stats, region, period, industries, grade_group)
    rows = [{"month": m, "source": a.source, **a.values} for m, a in answers.items()]
    return pd.DataFrame(rows, columns=["month", "source", *MEASURES])
