"""Query parameters ⇄ filters: strict parsing with notices, never an exception."""

import datetime as dt

import pytest

from filters import Filters, parse_query

TODAY = dt.date(2025, 6, 15)


@pytest.mark.parametrize(("params", "expected"), [
    ({}, Filters("ytd")),
    ({"period": "2024"}, Filters("2024")),
    ({"period": "2024-q2"}, Filters("2024-Q2")),
    ({"period": "2024-3"}, Filters("2024-03")),
    ({"period": "2023-11..2024-02"}, Filters("2023-11..2024-02")),
    ({"period": "last-month", "region": "430100"}, Filters("last-month", "430100")),
    ({"industry": "coal_mine,fire,coal_mine"}, Filters("ytd", industries=("coal_mine", "fire"))),
    ({"grade": "larger_plus", "lang": "en"}, Filters("ytd", grade="larger_plus", lang="en")),
    ({"region": ["430000", "430100"]}, Filters("ytd", "430100")),  # a repeated key: the last wins
])
def test_good_params(params: dict, expected: Filters) -> None:
    filters, notices = parse_query(params, TODAY)
    assert filters == expected
    assert notices == []


@pytest.mark.parametrize(("params", "field", "default", "zh", "en"), [
    ({"period": "2024-13"}, "period_code", "ytd", "统计期间“2024-13”无效", "not a period"),
    ({"period": "2030"}, "period_code", "ytd", "统计期间“2030”无效", "has not started yet"),
    ({"region": "999999"}, "region", "100000", "地区代码“999999”无效", "Unknown region code '999999'"),
    ({"industry": "mining"}, "industries", (), "行业“mining”无效", "Unknown industry 'mining'"),
    ({"grade": "huge"}, "grade", "all", "事故等级“huge”无效", "Unknown grade 'huge'"),
    ({"lang": "fr"}, "lang", "zh", "语言参数“fr”无效", "Unknown language 'fr'"),
])
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
