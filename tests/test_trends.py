"""The numbers behind the Trends page, on a small store counted by hand."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analytics.trends import trend_data
from charts import trends as charts
from charts.theme import BAD, CURRENT, GOOD, NEUTRAL
from domain.periods import Period
from loaders.importer import import_file
from store import open_store
from store.queries import accident_cells, accident_stats_rows, data_coverage

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def fetch(tmp_path_factory: pytest.TempPathFactory):
    store = open_store(tmp_path_factory.mktemp("trends") / "t.duckdb")
    import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")  # 8 records in Hunan, Jan–Sep 2024
    import_file(store, DATA / "accident_stats_2023.xlsx", "accident-stats")  # 2023 yearly: 长沙, 株洲, 湘西

    def _fetch(region: str, p: Period):
        return (
            accident_cells(store, region, p.first_day, p.last_day),
            accident_stats_rows(store, region, p.first_year, p.last_year),
        )

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
    assert inds == {
        "noncoal_mine": 1,
        "fireworks": 1,
        "construction": 1,
        "industry_trade": 1,
        "fire": 1,
        "road_transport": 1,
        "chemicals": 1,
        "other": 1,
    }


def test_by_grade_adds_up(fetch) -> None:
    d = trend_data(fetch, "430000", Period.year(2024))
    total = d.by_grade[["general", "larger", "major_plus"]].sum(axis=1)
    assert total.tolist() == d.current["accidents"].tolist()
    assert d.by_grade["major_plus"].sum() == 1 and d.by_grade["larger"].sum() == 4


# ------------------------------------------------------------------ missing is not zero (coverage)


@pytest.fixture(scope="module")
def store_and_fetch(tmp_path_factory: pytest.TempPathFactory):
    store = open_store(tmp_path_factory.mktemp("trends_cov") / "t.duckdb")
    import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    import_file(store, DATA / "accident_stats_2023.xlsx", "accident-stats")

    def _fetch(region: str, p: Period):
        return (
            accident_cells(store, region, p.first_day, p.last_day),
            accident_stats_rows(store, region, p.first_year, p.last_year),
        )

    return data_coverage(store), _fetch


def test_months_without_a_source_are_missing_not_zero(store_and_fetch) -> None:
    coverage, fetch = store_and_fetch
    d = trend_data(fetch, "430000", Period.year(2024), coverage=coverage)
    # Records span 15 Jan – 20 Sep 2024: October on is no data, and so is all of 2023 by month.
    assert d.current["accidents"].tolist()[:9] == [1, 1, 1, 1, 1, 1, 0, 1, 1]
    assert d.current["accidents"].iloc[9:].isna().all()
    assert d.previous["accidents"].isna().all()
    assert d.by_grade["general"].iloc[9:].isna().all()
    # The same period: 2023 for the province is not covered (only three cities' yearly forms).
    assert d.same_period.set_index("year")["accidents"].dropna().to_dict() == {2024: 8}
    # 湘西 submits statistics only and has no row for 2024: a gap, named, not a zero.
    assert d.gaps == ("433100",) and d.source == "records"


def test_a_statistics_only_city_year_to_date_has_no_zero_bars(store_and_fetch) -> None:
    coverage, fetch = store_and_fetch
    d = trend_data(fetch, "433100", Period.year_to_date(dt.date(2024, 6, 15)), coverage=coverage)
    assert d.current["accidents"].isna().all()
    assert not d.same_period["has_data"].any() and d.same_period["accidents"].isna().all()
    assert d.source == "none"
    whole = trend_data(fetch, "433100", Period.year(2023), coverage=coverage)
    assert whole.same_period.set_index("year")["accidents"].dropna().to_dict() == {2023: 1050}


def test_rankings_leave_out_regions_without_data(store_and_fetch) -> None:
    coverage, fetch = store_and_fetch
    d = trend_data(fetch, "430000", Period.year(2024), coverage=coverage)
    kids = d.children.set_index("code")
    assert kids[["accidents_current", "accidents_previous"]].to_dict("index") == {
        "430100": {"accidents_current": 3, "accidents_previous": 120},
        "430200": {"accidents_current": 1, "accidents_previous": 80},
    }
    assert "433100" in d.children_without_data and "430300" in d.children_without_data
    nation = trend_data(fetch, "100000", Period.year(2024), coverage=coverage)
    assert {"810000", "820000", "710000"} <= set(nation.children_without_data)
    assert nation.children.empty  # no province has data both years: nobody is "+0"
    fig = charts.ranking(d.children.assign(label=d.children["code"]), "label", "accidents", "en", key_col="code")
    assert list(fig.data[0].y) == ["430100", "430200"] and "+0" not in list(fig.data[0].text)


def test_a_gap_is_drawn_as_a_gap(store_and_fetch) -> None:
    coverage, fetch = store_and_fetch
    d = trend_data(fetch, "430000", Period.year(2024), coverage=coverage)
    fig = charts.this_year_vs_last(d.current, d.previous, "accidents", "en")
    this = next(tr for tr in fig.data if tr.name == "This period")
    assert list(this.y[:9]) == [1, 1, 1, 1, 1, 1, 0, 1, 1] and all(y != y for y in this.y[9:])  # NaN
    cum = charts.by_month_of_year({2024: d.years[2024]}, "accidents", "en", cumulative=True)
    assert list(cum.data[0].y[:9]) == [1, 2, 3, 4, 5, 6, 6, 7, 8] and all(y != y for y in cum.data[0].y[9:])


# ------------------------------------------------------------------ figures


def test_by_grade_chart_draws_major_plus_and_adds_up(fetch) -> None:
    d = trend_data(fetch, "430000", Period.year(2024))
    fig = charts.by_grade(d.by_grade, "zh")
    assert [tr.name for tr in fig.data] == ["一般", "较大", "重特大"]
    totals = [sum(tr.y[i] for tr in fig.data) for i in range(12)]
    assert totals == d.current["accidents"].tolist()
    assert sum(fig.data[2].y) == 1  # the 重特大 accident is drawn


def _same_period(values: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"year": list(range(2027 - len(values), 2027)), "accidents": values, "has_data": True})


def test_same_period_streak_note_is_anchored_to_the_paper() -> None:
    fig = charts.same_period_years(_same_period([9, 7, 5]), "accidents", 2, "en")
    note = fig.layout.annotations[0]
    assert (note.xref, note.x, note.xanchor) == ("paper", 1, "right") and note.text == "2 years of decline"
    assert list(fig.data[0].x) == ["2024", "2025", "2026"]


def test_same_period_current_bar_is_coloured_by_meaning() -> None:
    assert charts.same_period_years(_same_period([9, 7]), "accidents", 1, "en").data[0].marker.color[-1] == GOOD
    assert charts.same_period_years(_same_period([7, 9]), "accidents", 0, "en").data[0].marker.color[-1] == BAD
    assert charts.same_period_years(_same_period([7, 7]), "accidents", 0, "en").data[0].marker.color[-1] == NEUTRAL
    gap = _same_period([7, 7]).assign(accidents=pd.array([pd.NA, 7], dtype="Int64"))
    assert charts.same_period_years(gap, "accidents", 0, "en").data[0].marker.color[-1] == CURRENT
    assert CURRENT not in (BAD, GOOD)  # "this period" is a highlight, not a judgement
