"""Which source answers a number: record-level ledgers or submitted statistics — never both added.

The rule (also in the README):

1. Records answer for every region whose data arrive as records.
2. A region S — the region asked about or any region inside it — whose submitted statistics
   *cover* the period is answered from those statistics, and the records inside S are left out of
   that answer. Statistics cover a month range when they have a monthly row for every month of it,
   or a yearly row for every year when the range is made of whole calendar years (a yearly row never
   answers part of a year). For one industry or several, each one needs its rows; for all industries,
   the all-industry row (blank industry) is needed. When S and a region inside S both cover, the
   outer one answers. A period cut at a day inside its last month (this year to date) is never
   covered: statistics are whole months.
3. Statistics that cover only part of the period are not used: records answer, and the answer
   lists S as *partially covered*, so a page can say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from domain.periods import Period
from domain.regions import COUNTRY_CODE, Region, load_regions
from domain.regions import ancestors as region_ancestors
from domain.units import expected_units


@dataclass(frozen=True)
class SourcePlan:
    """How to answer one question: which regions come from statistics and at which granularity."""

    from_statistics: dict[str, str]  # region code → 'month' or 'year'
    partially_covered: tuple[str, ...]  # regions with statistics that do not cover the period

    @property
    def source(self) -> str:
        return "statistics" if self.from_statistics else "records"


def plan_sources(
    stats_index: pd.DataFrame,
    months: Period,
    industries: tuple[str, ...] | None,
    ancestors: dict[str, tuple[str, ...]],
) -> SourcePlan:
    """Decide which statistics regions answer.

    ``stats_index`` has one row per statistics row inside the region asked about: ``region_code``,
    ``period`` ('YYYY' or 'YYYY-MM'), ``industry`` (None = all). ``ancestors`` maps each region code
    to its ancestors' codes (to let the outermost covering region win).
    """
    if stats_index.empty:
        return SourcePlan({}, ())
    wanted_ind: list[str | None] = list(industries) if industries else [None]
    month_list = months.months()
    year_list = _whole_years(months)
    covering: dict[str, str] = {}
    partial: list[str] = []
    idx = stats_index.assign(
        industry=stats_index["industry"].astype(object).where(stats_index["industry"].notna(), None)
    )
    for region, rows in idx.groupby("region_code", sort=True):
        have = set(zip(rows["period"], rows["industry"], strict=True))
        if months.is_cut:  # statistics are whole months: they never answer part of one
            partial.append(str(region))
        elif all((m, i) in have for m in month_list for i in wanted_ind):
            covering[str(region)] = "month"
        elif year_list is not None and all((y, i) in have for y in year_list for i in wanted_ind):
            covering[str(region)] = "year"
        else:
            touches = any(p in month_list or (p in {m[:4] for m in month_list}) for p in rows["period"])
            if touches:
                partial.append(str(region))
    outer = {r: g for r, g in covering.items() if not any(a in covering for a in ancestors.get(r, ()))}
    partial_left = tuple(r for r in partial if not any(a in outer for a in ancestors.get(r, ())))
    return SourcePlan(outer, partial_left)


def _whole_years(period: Period) -> list[str] | None:
    """The years, if the period is made of whole calendar years; else None."""
    if period.start[5:] == "01" and period.end[5:] == "12" and not period.is_cut:
        return [str(y) for y in range(period.first_year, period.last_year + 1)]
    return None


@dataclass(frozen=True)
class Coverage:
    """What the store holds, to tell "no data" from zero.

    A count of zero is only a zero where data would have shown an accident: inside a province whose
    records (台账) span the period, or in a region whose statistics answer it. Elsewhere — before a
    province's first record, after its last, in a region that submits statistics only and has none
    for the period, or in a province that sends nothing — the number is missing, not zero.

    ``records`` maps each province (or ``100000`` for records filed at the national level) to the
    first and last day of its records; ``statistics_only`` holds the regions that submit accident
    statistics and have no record anywhere in their subtree.
    """

    records: dict[str, tuple[dt.date, dt.date]]
    statistics_only: frozenset[str] = frozenset()
    # The regions a bureau expects data from (SAFETY_EXPECTED_REGIONS); empty: every reporting unit.
    expected: frozenset[str] = frozenset()

    def units(self, region: str) -> tuple[Region, ...]:
        """The units under ``region`` whose data its judgements wait for (``domain.units.expected_units``)."""
        return expected_units(region, self.expected)

    def records_span(self, region: str) -> tuple[dt.date, dt.date] | None:
        """First and last record day in the records scope of ``region`` (its province; every record
        for the nation), or None when that scope has no record."""
        if region == COUNTRY_CODE:
            if not self.records:
                return None
            return min(a for a, _ in self.records.values()), max(b for _, b in self.records.values())
        regions = load_regions()
        if region not in regions:
            return None
        province = region if regions[region].level == "province" else regions[region].province_code
        return self.records.get(province or "")

    def in_statistics_only(self, region: str) -> bool:
        """``region`` is, or lies inside, a region that submits statistics and no records."""
        return region in self.statistics_only or any(a in self.statistics_only for a in region_ancestors(region))

    def records_cover(self, region: str, period: Period) -> bool:
        """Records can answer ``region`` over ``period``: its province's records begin by the period's
        first month and have not ended before the period begins, and the region does not report by
        statistics only. (The end is checked leniently: a quiet fortnight is zero, not a gap.)"""
        span = self.records_span(region)
        if span is None or self.in_statistics_only(region):
            return False
        first, last = span
        return period.first_day >= first.replace(day=1) and period.first_day <= last

    def covers(self, region: str, period: Period, answered: Collection[str]) -> bool:
        """Some source answers the whole of ``region`` over ``period``: its own statistics (``answered``: the
        regions a question's plan takes from statistics), its records, or every one of its reporting units,
        each in one of these ways (宁夏 from its five cities' statistics). The country is answered only
        when each of its 31 provinces is: records from some provinces are not the nation's figures — or, where
        the bureau names the regions it expects (``expected``), each of those."""
        if region in answered:
            return True
        if region != COUNTRY_CODE and self.records_cover(region, period):
            return True
        units = self.units(region)
        return bool(units) and all(self.covers(u.code, period, answered) for u in units)

    def statistics_only_within(self, region: str) -> tuple[str, ...]:
        """The statistics-only regions at or inside ``region`` (those that can leave a gap)."""
        return tuple(
            sorted(
                s
                for s in self.statistics_only
                if s == region or region == COUNTRY_CODE or region in region_ancestors(s)
            )
        )
