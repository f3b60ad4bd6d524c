"""Records or statistics: which source answers, never both for the same region and period."""

from pathlib import Path

import pandas as pd
import pytest

from analytics.accidents import answer
from domain.periods import Period
from domain.sources import plan_sources
from loaders.importer import import_file
from store import open_store
from store.queries import accident_cells, accident_stats_rows

DATA = Path(__file__).parent / "data"
ANCESTORS = {"430100": ("430000", "100000"), "430200": ("430000", "100000"), "430000": ("100000",)}


def idx(*rows: tuple[str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region_code", "period", "industry"])


MONTHS_2024 = [("430100", f"2024-{m:02d}", None) for m in range(1, 13)]

CASES = [
    # (statistics rows, range, industries, expected from_statistics, expected partial)
    ("no statistics", idx(), ("2024-01", "2024-12"), None, {}, ()),
    ("every month present", idx(*MONTHS_2024), ("2024-01", "2024-12"), None, {"430100": "month"}, ()),
    ("a month missing", idx(*MONTHS_2024[:11]), ("2024-01", "2024-12"), None, {}, ("430100",)),
    ("part of the months asked", idx(*MONTHS_2024[:3]), ("2024-01", "2024-03"), None, {"430100": "month"}, ()),
    ("yearly row, whole year", idx(("430100", "2024", None)), ("2024-01", "2024-12"), None, {"430100": "year"}, ()),
    (
        "yearly row never answers half a year",
        idx(("430100", "2024", None)),
        ("2024-01", "2024-06"),
        None,
        {},
        ("430100",),
    ),
    (
        "two whole years",
        idx(("430100", "2023", None), ("430100", "2024", None)),
        ("2023-01", "2024-12"),
        None,
        {"430100": "year"},
        (),
    ),
    ("one of two years", idx(("430100", "2024", None)), ("2023-01", "2024-12"), None, {}, ("430100",)),
    (
        "industry rows do not answer all industries",
        idx(("430100", "2024", "coal_mine")),
        ("2024-01", "2024-12"),
        None,
        {},
        ("430100",),
    ),
    (
        "industry row answers that industry",
        idx(("430100", "2024", "coal_mine")),
        ("2024-01", "2024-12"),
        ("coal_mine",),
        {"430100": "year"},
        (),
    ),
    (
        "each selected industry needs its row",
        idx(("430100", "2024", "coal_mine")),
        ("2024-01", "2024-12"),
        ("coal_mine", "fire"),
        {},
        ("430100",),
    ),
    (
        "outer region wins",
        idx(("430000", "2024", None), ("430100", "2024", None)),
        ("2024-01", "2024-12"),
        None,
        {"430000": "year"},
        (),
    ),
    (
        "siblings both answer",
        idx(("430100", "2024", None), ("430200", "2024", None)),
        ("2024-01", "2024-12"),
        None,
        {"430100": "year", "430200": "year"},
        (),
    ),
    (
        "statistics of another period do not count as partial",
        idx(("430100", "2022", None)),
        ("2024-01", "2024-12"),
        None,
        {},
        (),
    ),
]


@pytest.mark.parametrize(
    ("stats", "rng", "industries", "expected", "partial"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_plan_sources(stats, rng, industries, expected, partial) -> None:
    plan = plan_sources(stats, Period(*rng), industries, ANCESTORS)
    assert plan.from_statistics == expected
    assert plan.partially_covered == partial


def test_a_cut_period_is_never_covered_by_statistics() -> None:
    import datetime as dt

    plan = plan_sources(idx(*MONTHS_2024), Period("2024-01", "2024-03", until=dt.date(2024, 3, 15)), None, ANCESTORS)
    assert plan.from_statistics == {} and plan.partially_covered == ("430100",)


def test_totals_never_add_records_and_statistics_of_one_region(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.duckdb")

    def accident_totals(store, region, period, industries=None):
        cells = accident_cells(store, region, period.first_day, period.last_day)
        stats = accident_stats_rows(store, region, period.first_year, period.last_year)
        return answer(cells, stats, region, period, industries)

    import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")  # 8 records, Jan–Sep 2024
    import_file(store, DATA / "accident_stats_monthly_gb18030.csv", "accident-stats")  # 湖南 Jan–Mar 2024
    # Jan–Mar: the province's statistics cover it, so its records (3 in Jan–Mar) are left out.
    q1 = accident_totals(store, "430000", Period("2024-01", "2024-03"))
    assert q1.source == "statistics"
    assert q1.values["accidents"] == 150 + 110 + 140
    assert q1.values["major_plus_accidents"] == 1
    # The whole year: statistics cover only part of it → records answer, and the page is told.
    year = accident_totals(store, "430000", Period("2024-01", "2024-12"))
    assert year.source == "records" and year.values["accidents"] == 8
    assert year.plan.partially_covered == ("430000",)
    assert year.values["deaths"] == 1 + 3 + 2 + 3 + 0 + 1 + 1 + 12  # deaths include the missing
    assert year.values["larger_accidents"] == 4 and year.values["major_plus_deaths"] == 12
    # One industry in March: the province's road-transport row answers.
    road = accident_totals(store, "430000", Period("2024-03", "2024-03"), ("road_transport",))
    assert road.source == "statistics" and road.values["accidents"] == 60
