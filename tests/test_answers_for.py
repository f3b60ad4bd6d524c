"""analytics.accidents.answers_for (every child region answered from one grouping of the cells) gives
exactly what answer() gives child by child, with and without statistics, for every grade group."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_TODAY

from analytics.accidents import answer, answers_for
from domain.periods import Period
from domain.regions import children
from store import Store
from store.queries import accident_cells, accident_stats_rows


@pytest.mark.parametrize(("region", "period", "industries", "grade_group"), [
    ("100000", "2024", None, "all"), ("100000", "2023-Q3", ("construction",), "larger_plus"),
    ("430000", "2024", None, "major_plus"), ("430000", "2024-03", ("coal_mine", "chemicals"), "general"),
    ("500000", "2024-01..2024-06", None, "larger"), ("430100", "2024", None, "all"),
])
def test_answers_for_equals_answer_child_by_child(demo_db: Path, region, period, industries, grade_group) -> None:
    store = Store(demo_db)
    p = Period.parse(period)
    cells = accident_cells(store, region, p.first_day, p.last_day)
    stats = accident_stats_rows(store, region, int(p.start[:4]), int(p.end[:4]))
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


@pytest.mark.parametrize(("region", "period", "industries", "grade_group"), [
    ("100000", "2024", None, "all"), ("100000", "2025-01..2025-06", ("construction",), "larger_plus"),
    ("430000", "2023", None, "major_plus"), ("430100", "2024-01..2024-06", None, "general"),
])
def test_answers_by_month_equals_answer_month_by_month(demo_db: Path, region, period, industries,
                                                       grade_group) -> None:
    from analytics.accidents import answers_by_month, month_period

    store = Store(demo_db)
    p = Period.parse(period).cut_at(DEMO_TODAY)
    cells = accident_cells(store, region, p.first_day, p.last_day)
    stats = accident_stats_rows(store, region, int(p.start[:4]), int(p.end[:4]))
    got = answers_by_month(cells, stats, region, p, industries, grade_group)
    want = {m: answer(cells, stats, region, month_period(p, m), industries, grade_group) for m in p.months()}
    assert got == want
    assert sum(a.values["accidents"] for a in got.values()) > 0
