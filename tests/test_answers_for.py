"""analytics.accidents.answers_for (every child region answered from one grouping of the cells) gives
exactly what answer() gives child by child, with and without statistics, for every grade group."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO_TODAY

from analytics.accidents import answer, answers_for
from answers.brief_data import StoreData
from domain.periods import Period
from domain.regions import children
from store import Store
from store.queries import accident_cells, accident_stats_rows


@pytest.mark.parametrize(
    ("region", "period", "industries", "grade_group"),
    [
        ("100000", "2024", None, "all"),
        ("100000", "2023-Q3", ("construction",), "larger_plus"),
        ("430000", "2024", None, "major_plus"),
        ("430000", "2024-03", ("coal_mine", "chemicals"), "general"),
        ("500000", "2024-01..2024-06", None, "larger"),
        ("430100", "2024", None, "all"),
    ],
)
def test_answers_for_equals_answer_child_by_child(demo_db: Path, region, period, industries, grade_group) -> None:
    store = Store(demo_db)
    p = Period.parse(period)
    cells = accident_cells(store, region, p.first_day, p.last_day)
    stats = accident_stats_rows(store, region, p.first_year, p.last_year)
    codes = [c.code for c in children(region)]
    got = answers_for(cells, stats, codes, p, industries, grade_group)
    want = {c: answer(cells, stats, c, p, industries, grade_group) for c in codes}
    assert got == want
    assert sum(a.values["accidents"] for a in got.values()) > 0  # real numbers


def test_answers_for_takes_the_statistics_path_where_a_child_reports(demo_db: Path) -> None:
    store = Store(demo_db)
    p = Period.parse("2024")
    stats = accident_stats_rows(store, "100000", 2024, 2024)
    assert len(stats), "the demo store has accident statistics"
    cells = accident_cells(store, "100000", p.first_day, p.last_day)
    codes = [c.code for c in children("100000")]
    got = answers_for(cells, stats, codes, p)
    assert any(a.plan.from_statistics for a in got.values())
    assert got == {c: answer(cells, stats, c, p) for c in codes}


@pytest.mark.parametrize(
    ("region", "period", "industries", "grade_group"),
    [
        ("100000", "2024", None, "all"),
        ("100000", "2025-01..2025-06", ("construction",), "larger_plus"),
        ("430000", "2023", None, "major_plus"),
        ("430100", "2024-01..2024-06", None, "general"),
    ],
)
def test_answers_by_month_equals_answer_month_by_month(demo_db: Path, region, period, industries, grade_group) -> None:
    from analytics.accidents import answers_by_month, month_period

    store = Store(demo_db)
    p = Period.parse(period).cut_at(DEMO_TODAY)
    cells = accident_cells(store, region, p.first_day, p.last_day)
    stats = accident_stats_rows(store, region, p.first_year, p.last_year)
    got = answers_by_month(cells, stats, region, p, industries, grade_group)
    want = {m: answer(cells, stats, region, month_period(p, m), industries, grade_group) for m in p.months()}
    assert got == want
    assert sum(a.values["accidents"] for a in got.values()) > 0


class _FineData(StoreData):
    """The brief's reads with every record's own place codes (no coarsening)."""

    def cells(self, region, first_day, last_day):
        return accident_cells(self.store, region, first_day, last_day, fine=True)


@pytest.mark.parametrize(
    ("region", "period", "industries"),
    [
        ("100000", "2024", None),
        ("100000", "2025-01..2025-05", ("construction", "coal_mine")),
        ("430000", "2024-Q1", None),
        ("500000", "2024", None),
        ("420000", "2024", None),
        ("430100", "2024-03", None),
    ],
)
def test_coarse_cells_answer_as_the_fine_ones(demo_db: Path, region, period, industries) -> None:
    """accident_cells keeps the place only as finely as a question about the region or its children
    needs: the brief, the Trends series and the risk factors are the same as from every record's codes."""
    from analytics.brief import build_brief
    from analytics.brief_json import brief_json
    from analytics.trends import trend_data
    from answers.region_risk import region_risk
    from store.queries import data_coverage

    store = Store(demo_db)
    p = Period.parse(period).cut_at(DEMO_TODAY)
    coarse = accident_cells(store, region, p.first_day, p.last_day)
    fine = accident_cells(store, region, p.first_day, p.last_day, fine=True)
    assert len(coarse) <= len(fine)
    assert coarse[["accidents", "deaths"]].sum().tolist() == fine[["accidents", "deaths"]].sum().tolist()
    want = brief_json(build_brief(_FineData(store), p, region, industries, "all", DEMO_TODAY))
    got = brief_json(build_brief(StoreData(store), p, region, industries, "all", DEMO_TODAY))
    assert got == want

    def fetch(fine: bool):
        def f(r, q):
            return (
                accident_cells(store, r, q.first_day, q.last_day, fine=fine),
                accident_stats_rows(store, r, q.first_year, q.last_year),
            )

        return f

    cov = data_coverage(store)
    t_fine, t_coarse = (trend_data(fetch(x), region, p, industries, "all", coverage=cov) for x in (True, False))
    for name in ("current", "previous", "same_period", "by_grade", "children", "industries"):
        pd.testing.assert_frame_equal(getattr(t_coarse, name), getattr(t_fine, name), obj=name)
    pd.testing.assert_frame_equal(
        region_risk(store, region, p, industries, fetch(False)), region_risk(store, region, p, industries, fetch(True))
    )
