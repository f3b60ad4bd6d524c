"""The numbers behind the Trends page, on a small store counted by hand."""

from pathlib import Path

import pytest

from analytics.trends import trend_data
from domain.periods import Period
from loaders.importer import import_file
from store import open_store
from store.queries import accident_cells, accident_stats_rows

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def fetch(tmp_path_factory: pytest.TempPathFactory):
    store = open_store(tmp_path_factory.mktemp("trends") / "t.duckdb")
    import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")  # 8 records in Hunan, Jan–Sep 2024
    import_file(store, DATA / "accident_stats_2023.xlsx", "accident-stats")  # 2023 yearly: 长沙, 株洲, 湘西

    def _fetch(region: str, p: Period):
        return (accident_cells(store, region, p.first_day, p.last_day),
                accident_stats_rows(store, region, int(p.start[:4]), int(p.end[:4])))
    return _fetch


def test_monthly_series_and_same_period(fetch) -> None:
    d = trend_data(fetch, "430000", Period.year(2024))
    # One record each in Jan–Jun (June's is the Excel serial 45458 = 15 June), Aug and Sep.
    assert d.current["accidents"].tolist() == [1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0]
    assert d.previous["accidents"].sum() == 0  # 2023 yearly statistics never answer a single month
    # The same period in earlier years: 2023 is answered by the yearly statistics (a whole year);
    # years before any data are not drawn at all.
    years = d.same_period.set_index("year")["accidents"].to_dict()
    assert years == {2023: 120 + 80 + 1050, 2024: 8}
    assert d.source == "records"


def test_rankings_pair_each_child_with_last_year(fetch) -> None:
    d = trend_data(fetch, "430000", Period.year(2024))
    kids = d.children.set_index("code")
    # 长沙: 岳麓区, 浏阳市, 天心区 in 2024; 120 by its 2023 yearly statistics.
    assert kids.loc["430100", ["accidents_current", "accidents_previous"]].tolist() == [3, 120]
    assert kids.loc["433100", ["accidents_current", "accidents_previous"]].tolist() == [0, 1050]
    assert len(kids) == 14
    inds = d.industries.set_index("industry")["accidents_current"].to_dict()
    assert inds == {"noncoal_mine": 1, "fireworks": 1, "construction": 1, "industry_trade": 1, "fire": 1,
                    "road_transport": 1, "chemicals": 1, "other": 1}


def test_by_grade_adds_up(fetch) -> None:
    d = trend_data(fetch, "430000", Period.year(2024))
    total = d.by_grade[["general", "larger", "major_plus"]].sum(axis=1)
    assert total.tolist() == d.current["accidents"].tolist()
    assert d.by_grade["major_plus"].sum() == 1 and d.by_grade["larger"].sum() == 4
