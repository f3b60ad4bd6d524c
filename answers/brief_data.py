"""What a brief reads through (``analytics.brief.BriefData``): the store's queries (``store.queries``) and the
rectification summary (``answers.rectification``), one method per question."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from answers.rectification import summary
from domain.sources import Coverage
from store import queries as q
from store.duckdb_store import Store


class StoreData:
    """The store's answers to the questions of a brief (``analytics.brief.BriefData``). Every argument
    is a plain hashable value, so the app can wrap each method in ``st.cache_data``."""

    def __init__(self, store: Store, expected: frozenset[str] = frozenset()) -> None:
        self.store = store
        self.expected = expected  # the regions the bureau expects data from (settings.expected_regions)

    def coverage(self) -> Coverage:
        return q.data_coverage(self.store, self.expected)

    def cells(self, region: str, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
        return q.accident_cells(self.store, region, first_day, last_day)

    def stats(self, region: str, first_year: int, last_year: int) -> pd.DataFrame:
        return q.accident_stats_rows(self.store, region, first_year, last_year)

    def last_accident_day(
        self,
        region: str,
        grades: tuple[str, ...],
        industries: tuple[str, ...] | None = None,
        until: dt.date | None = None,
    ) -> dt.date | None:
        return q.last_accident_day(self.store, region, grades, industries, until)

    def latest_accidents(
        self,
        region: str,
        first_day: dt.date,
        last_day: dt.date,
        grades: tuple[str, ...],
        industries: tuple[str, ...] | None = None,
        limit: int = 10,
    ) -> pd.DataFrame:
        return q.latest_accidents(self.store, region, first_day, last_day, grades, industries, limit)

    def death_target(self, region: str, year: int) -> int | None:
        return q.death_target(self.store, region, year)

    def hazard_summary(
        self, region: str, first_day: dt.date, last_day: dt.date, industries: tuple[str, ...] | None = None
    ) -> dict[str, Any]:
        return summary(self.store, region, first_day, last_day, industries)

    def hazard_stats_regions(self, region: str) -> list[str]:
        return q.hazard_stats_regions(self.store, region)
