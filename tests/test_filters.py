"""Query parameters ⇄ filters: strict parsing with notices, never an exception."""

import datetime as dt

import pytest

from links.filters import FIRST_YEAR, Filters, parse_query

TODAY = dt.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, Filters("ytd")),
        ({"period": "2024"}, Filters("2024")),
        ({"period": "2024-q2"}, Filters("2024-Q2")),
        ({"period": "2024-3"}, Filters("2024-03")),
        ({"period": "2023-11..2024-02"}, Filters("2023-11..2024-02")),
        ({"period": "last-month", "region": "430100"}, Filters("last-month", "430100")),
        ({"industry": "coal_mine,fire,coal_mine"}, Filters("ytd", industries=("coal_mine", "fire"))),
        ({"grade": "larger_plus", "lang": "en"}, Filters("ytd", grade="larger_plus", lang="en")),
        ({"region": ["430000", "430100"]}, Filters("ytd", "430100")),  # a repeated key: the last wins
    ],
)
def test_good_params(params: dict, expected: Filters) -> None:
    filters, notices = parse_query(params, TODAY)
    assert filters == expected
    assert notices == []


@pytest.mark.parametrize(
    ("params", "field", "default", "zh", "en"),
    [
        ({"period": "2024-13"}, "period_code", "ytd", "统计期间“2024-13”无效", "not a period"),
        # the same reason in both languages: a future period has not started (not a bad format)
        ({"period": "2030"}, "period_code", "ytd", "统计期间“2030”尚未开始", "has not started yet"),
        ({"period": "2025-Q3"}, "period_code", "ytd", "统计期间“2025-Q3”尚未开始", "has not started yet"),
        # before the years the sidebar offers: refused, not silently replaced
        (
            {"period": "2010"},
            "period_code",
            "ytd",
            "统计期间“2010”早于可选范围（2015 年起）",
            "Period '2010' is before the years offered (from 2015)",
        ),
        ({"period": "2014-11..2015-02"}, "period_code", "ytd", "早于可选范围", "before the years offered"),
        ({"region": "999999"}, "region", "100000", "地区代码“999999”无效", "Unknown region code '999999'"),
        ({"industry": "mining"}, "industries", (), "行业“mining”无效", "Unknown industry 'mining'"),
        ({"grade": "huge"}, "grade", "all", "事故等级“huge”无效", "Unknown grade 'huge'"),
        ({"lang": "fr"}, "lang", "zh", "语言参数“fr”无效", "Unknown language 'fr'"),
    ],
)
def test_bad_params_fall_back_with_a_notice(params, field, default, zh, en) -> None:
    filters, notices = parse_query(params, TODAY)
    assert getattr(filters, field) == default
    assert len(notices) == 1
    assert zh in notices[0].text("zh") and en in notices[0].text("en")


def test_round_trip_and_short_links() -> None:
    f = Filters("2024-Q2", "430100", ("coal_mine",), "larger", "en")
    assert parse_query(f.to_query(), TODAY) == (f, [])
    assert Filters("ytd").to_query() == {}


def test_presets_move_with_the_calendar() -> None:
    assert Filters("ytd").period(TODAY).code == "2025-01..2025-06"
    assert Filters("ytd").period(TODAY).until == TODAY
    assert Filters("last-month").period(TODAY).code == "2025-05"
    assert Filters("2025").period(TODAY).until == TODAY  # the current year is cut at today
    assert Filters("2024").period(TODAY).until is None


def test_the_first_offered_year_is_accepted() -> None:
    assert parse_query({"period": str(FIRST_YEAR)}, TODAY) == (Filters(str(FIRST_YEAR)), [])
    assert parse_query({"period": f"{FIRST_YEAR}-01"}, TODAY) == (Filters(f"{FIRST_YEAR}-01"), [])


def test_the_sidebar_offers_the_years_parse_query_accepts() -> None:
    from webapp import sidebar

    assert sidebar.FIRST_YEAR == FIRST_YEAR
    assert sidebar._years(TODAY)[-1] == FIRST_YEAR


@pytest.mark.parametrize(
    ("today", "year", "quarters"),
    [
        (dt.date(2026, 2, 10), 2026, [1]),
        (dt.date(2025, 6, 15), 2025, [1, 2]),
        (dt.date(2025, 7, 1), 2025, [1, 2, 3]),
        (dt.date(2026, 2, 10), 2025, [1, 2, 3, 4]),
    ],
)
def test_only_quarters_that_have_started_are_offered(today, year, quarters) -> None:
    from webapp import sidebar

    assert sidebar._quarters(year, today) == quarters
