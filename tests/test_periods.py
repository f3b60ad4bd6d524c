"""Period arithmetic: parsing, 同比, 环比, 累计, cut-off days, leap years, labels."""

import datetime as dt

import pytest

from domain.periods import Period, add_months, months_and_days, time_progress

PARSE_CASES = [
    ("2017", ("2017-01", "2017-12", "year")),
    ("2017-03", ("2017-03", "2017-03", "month")),
    ("2017-3", ("2017-03", "2017-03", "month")),
    ("2017-Q2", ("2017-04", "2017-06", "quarter")),
    ("2017q4", ("2017-10", "2017-12", "quarter")),
    ("2017-01..2017-06", ("2017-01", "2017-06", "range")),
    ("2023-11..2024-02", ("2023-11", "2024-02", "range")),
    (" 2017-01—2017-06 ", ("2017-01", "2017-06", "range")),
    ("2017-01~2017-06", ("2017-01", "2017-06", "range")),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES, ids=[c[0].strip() for c in PARSE_CASES])
def test_parse(text, expected) -> None:
    p = Period.parse(text)
    assert (p.start, p.end, p.kind) == expected
    assert Period.parse(p.code) == p  # the canonical text reads back


BAD_CASES = [
    ("2017-13", r"'2017-13' is not a period \(expected 2017, 2017-03, 2017-Q2 or 2017-01..2017-06\)"),
    ("2017-Q5", "is not a period"),
    ("17", "is not a period"),
    ("2017-00..2017-03", "is not a period"),
    ("last year", "is not a period"),
    ("", "is not a period"),
    ("2017-06..2017-01", r"the period starts after it ends: 2017-06 > 2017-01"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CASES, ids=[c[0] or "empty" for c in BAD_CASES])
def test_parse_refuses_with_a_message(text, message) -> None:
    with pytest.raises(ValueError, match=message):
        Period.parse(text)


def test_constructor_checks() -> None:
    with pytest.raises(ValueError, match="expected a month as YYYY-MM, got '2024-1'"):
        Period("2024-1", "2024-02")
    with pytest.raises(ValueError, match="period kind must be one of year, quarter, month, range, got 'week'"):
        Period("2024-01", "2024-01", "week")
    with pytest.raises(ValueError, match="the cut-off day 2024-03-05 is not in the period's last month 2024-02"):
        Period("2024-01", "2024-02", until=dt.date(2024, 3, 5))


SAME_PERIOD_CASES = [
    # (period, today or None) → (start, end, until) a year earlier
    ("year", Period.year(2024), None, ("2023-01", "2023-12", None)),
    ("quarter", Period.quarter(2024, 2), None, ("2023-04", "2023-06", None)),
    ("month", Period.month(2024, 3), None, ("2023-03", "2023-03", None)),
    ("range across a year boundary", Period.parse("2023-11..2024-02"), None, ("2022-11", "2023-02", None)),
    (
        "cut on 29 Feb 2024 (the month's last day) → all of Jan–Feb 2023",
        Period.parse("2024"),
        dt.date(2024, 2, 29),
        ("2023-01", "2023-02", None),
    ),
    (
        "cut on 28 Feb 2024 → 28 Feb 2023, the month's last day",
        Period.parse("2024"),
        dt.date(2024, 2, 28),
        ("2023-01", "2023-02", None),
    ),
    ("cut on 28 Feb 2025 → 28 Feb 2024", Period.parse("2025-02"), dt.date(2025, 2, 28), ("2024-02", "2024-02", None)),
    (
        "cut mid-month",
        Period.parse("2024-01..2024-06"),
        dt.date(2024, 6, 15),
        ("2023-01", "2023-06", dt.date(2023, 6, 15)),
    ),
]


@pytest.mark.parametrize(
    ("period", "today", "expected"), [c[1:] for c in SAME_PERIOD_CASES], ids=[c[0] for c in SAME_PERIOD_CASES]
)
def test_same_period_last_year(period, today, expected) -> None:
    p = period.cut_at(today) if today else period
    last = p.same_period_last_year()
    assert (last.start, last.end, last.until) == expected
    assert last.n_months == p.n_months


def test_the_last_day_of_february_is_whole_month_and_its_comparison_too() -> None:
    # 28 Feb 2025 is the month's last day: the month is whole, not cut; a year earlier is all of Feb 2024.
    p = Period.parse("2025-02").cut_at(dt.date(2025, 2, 28))
    assert not p.is_cut and p.same_period_last_year().last_day == dt.date(2024, 2, 29)


def test_cut_at() -> None:
    ytd = Period.parse("2024").cut_at(dt.date(2024, 6, 15))
    assert (ytd.start, ytd.end, ytd.until, ytd.kind) == ("2024-01", "2024-06", dt.date(2024, 6, 15), "range")
    assert ytd.first_day == dt.date(2024, 1, 1) and ytd.last_day == dt.date(2024, 6, 15)
    assert Period.parse("2023").cut_at(dt.date(2024, 6, 15)) == Period.parse("2023")  # a past period: whole
    this_month = Period.month(2024, 6).cut_at(dt.date(2024, 6, 15))
    assert this_month.kind == "month" and this_month.until == dt.date(2024, 6, 15)
    with pytest.raises(ValueError, match="the period 2024-07 has not started yet on 2024-06-15"):
        Period.month(2024, 7).cut_at(dt.date(2024, 6, 15))


CUT_ON_THE_LAST_DAY_CASES = [
    ("a year on 30 Nov", Period.parse("2026"), dt.date(2026, 11, 30), ("2026-01", "2026-11", "range")),
    ("a year on 29 Feb (leap)", Period.parse("2024"), dt.date(2024, 2, 29), ("2024-01", "2024-02", "range")),
    ("a year on 28 Feb", Period.parse("2025"), dt.date(2025, 2, 28), ("2025-01", "2025-02", "range")),
    ("a month on 31 Dec", Period.month(2025, 12), dt.date(2025, 12, 31), ("2025-12", "2025-12", "month")),
    ("a quarter on 31 May", Period.quarter(2025, 2), dt.date(2025, 5, 31), ("2025-04", "2025-05", "range")),
]


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [c[1:] for c in CUT_ON_THE_LAST_DAY_CASES],
    ids=[c[0] for c in CUT_ON_THE_LAST_DAY_CASES],
)
def test_a_cut_on_the_months_last_day_is_whole_months(period, today, expected) -> None:
    p = period.cut_at(today)
    assert (p.start, p.end, p.kind) == expected
    assert p.until is None and not p.is_cut and p.last_day == today


@pytest.mark.parametrize(
    "today", [dt.date(2026, 11, 30), dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2025, 12, 31)]
)
def test_year_to_date_on_a_months_last_day_is_not_cut(today) -> None:
    ytd = Period.year_to_date(today)
    assert ytd.until is None and ytd.last_day == today and ytd.end == f"{today:%Y-%m}"
    assert Period.year_to_date(today - dt.timedelta(days=1)).until == today - dt.timedelta(days=1)
    # constructed directly, a cut on the last day is cleared too
    assert Period(ytd.start, ytd.end, "range", today).until is None


def test_statistics_answer_a_year_to_date_ending_on_a_months_last_day() -> None:
    import pandas as pd

    from domain.sources import plan_sources

    idx = pd.DataFrame({"region_code": "433100", "period": [f"2026-{m:02d}" for m in range(1, 12)], "industry": None})
    plan = plan_sources(idx, Period.year_to_date(dt.date(2026, 11, 30)), None, {"433100": ("430000", "100000")})
    assert plan.from_statistics == {"433100": "month"}


YTD_CASES = [
    ("January", Period.month(2024, 1), ("2024-01", "2024-01", None)),
    ("January, cut", Period.month(2024, 1).cut_at(dt.date(2024, 1, 9)), ("2024-01", "2024-01", dt.date(2024, 1, 9))),
    ("a quarter", Period.quarter(2024, 3), ("2024-01", "2024-09", None)),
    ("a range across a year boundary", Period.parse("2023-11..2024-02"), ("2024-01", "2024-02", None)),
    ("a year", Period.year(2024), ("2024-01", "2024-12", None)),
]


@pytest.mark.parametrize(("period", "expected"), [c[1:] for c in YTD_CASES], ids=[c[0] for c in YTD_CASES])
def test_year_to_date_of(period, expected) -> None:
    ytd = period.year_to_date_of()
    assert (ytd.start, ytd.end, ytd.until) == expected


def test_year_to_date_in_january() -> None:
    p = Period.year_to_date(dt.date(2025, 1, 6))
    assert (p.start, p.end, p.until, p.n_months) == ("2025-01", "2025-01", dt.date(2025, 1, 6), 1)
    last = p.same_period_last_year()
    assert (last.first_day, last.last_day) == (dt.date(2024, 1, 1), dt.date(2024, 1, 6))
    assert Period.last_full_month(dt.date(2025, 1, 6)) == Period.month(2024, 12)


PREVIOUS_CASES = [
    ("month in January → December", Period.month(2024, 1), ("2023-12", "2023-12", "month", None)),
    ("month", Period.month(2024, 3), ("2024-02", "2024-02", "month", None)),
    ("quarter Q1 → Q4", Period.quarter(2024, 1), ("2023-10", "2023-12", "quarter", None)),
    ("year", Period.year(2024), ("2023-01", "2023-12", "year", None)),
    ("range of six months", Period.parse("2024-01..2024-06"), ("2023-07", "2023-12", "range", None)),
    ("range across a year boundary", Period.parse("2023-11..2024-02"), ("2023-07", "2023-10", "range", None)),
    (
        "cut on 30 Mar → all of Feb",
        Period.month(2024, 3).cut_at(dt.date(2024, 3, 30)),
        ("2024-02", "2024-02", "month", None),
    ),
    (
        "cut on 28 Mar 2023 → all of Feb",
        Period.month(2023, 3).cut_at(dt.date(2023, 3, 28)),
        ("2023-02", "2023-02", "month", None),
    ),
    (
        "cut on the 15th",
        Period.month(2024, 5).cut_at(dt.date(2024, 5, 15)),
        ("2024-04", "2024-04", "month", dt.date(2024, 4, 15)),
    ),
]


@pytest.mark.parametrize(("period", "expected"), [c[1:] for c in PREVIOUS_CASES], ids=[c[0] for c in PREVIOUS_CASES])
def test_previous_period(period, expected) -> None:
    prev = period.previous()
    assert (prev.start, prev.end, prev.kind, prev.until) == expected


def test_months_and_last_day() -> None:
    p = Period.parse("2023-11..2024-02")
    assert p.months() == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert p.last_day == dt.date(2024, 2, 29) and Period.month(2023, 2).last_day == dt.date(2023, 2, 28)


TIME_PROGRESS_CASES = [
    ("1 January", 2025, dt.date(2025, 1, 1), 1 / 365),
    ("30 June, leap year", 2024, dt.date(2024, 6, 30), 182 / 366),
    ("30 June, common year", 2025, dt.date(2025, 6, 30), 181 / 365),
    ("29 February", 2024, dt.date(2024, 2, 29), 60 / 366),
    ("31 December, leap year", 2024, dt.date(2024, 12, 31), 1.0),
    ("a past year", 2023, dt.date(2024, 3, 1), 1.0),
    ("a future year", 2025, dt.date(2024, 3, 1), 0.0),
]


@pytest.mark.parametrize(
    ("year", "today", "expected"), [c[1:] for c in TIME_PROGRESS_CASES], ids=[c[0] for c in TIME_PROGRESS_CASES]
)
def test_time_progress(year, today, expected) -> None:
    assert time_progress(year, today) == pytest.approx(expected)


LABEL_CASES = [
    (Period.year(2024), "2024年", "2024"),
    (Period.quarter(2024, 2), "2024年第二季度", "2024 Q2"),
    (Period.month(2024, 3), "2024年3月", "Mar 2024"),
    (Period.parse("2024-01..2024-06"), "2024年1—6月", "Jan–Jun 2024"),
    (Period.parse("2023-11..2024-02"), "2023年11月—2024年2月", "Nov 2023 – Feb 2024"),
    # cut at a day: from the first day to that day, never "1—6月" while June is not over (issue 14)
    (Period.parse("2024").cut_at(dt.date(2024, 6, 15)), "2024年1月1日至6月15日", "1 Jan – 15 Jun 2024"),
    (Period.parse("2024-06").cut_at(dt.date(2024, 6, 15)), "2024年6月1日至15日", "1–15 Jun 2024"),
]


@pytest.mark.parametrize(("period", "zh", "en"), LABEL_CASES, ids=[c[2] for c in LABEL_CASES])
def test_labels(period, zh, en) -> None:
    assert period.label("zh") == zh
    assert period.label("en") == en


MONTHS_DAYS_CASES = [
    ("same day", dt.date(2024, 5, 17), dt.date(2024, 5, 17), (0, 0)),
    ("days only", dt.date(2024, 5, 17), dt.date(2024, 6, 10), (0, 24)),
    ("25 months and 11 days", dt.date(2022, 4, 1), dt.date(2024, 5, 12), (25, 11)),
    ("from 31 Jan, a month is 29 Feb", dt.date(2024, 1, 31), dt.date(2024, 2, 29), (1, 0)),
    ("across 29 Feb", dt.date(2023, 2, 28), dt.date(2024, 2, 29), (12, 1)),
]


@pytest.mark.parametrize(
    ("start", "end", "expected"), [c[1:] for c in MONTHS_DAYS_CASES], ids=[c[0] for c in MONTHS_DAYS_CASES]
)
def test_months_and_days(start, end, expected) -> None:
    assert months_and_days(start, end) == expected


def test_add_months_caps_at_the_months_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 3, 31), -13) == dt.date(2023, 2, 28)
    with pytest.raises(ValueError, match="end 2024-01-01 is before start 2024-02-01"):
        months_and_days(dt.date(2024, 2, 1), dt.date(2024, 1, 1))
