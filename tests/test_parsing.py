"""Cell parsing: each date form, numbers as people write them, periods, and the error messages."""

import datetime as dt

import pandas as pd
import pytest

from loaders.parsing import parse_amount, parse_column, parse_count, parse_datetime, parse_period, parse_rate

D = dt.datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-06", D(2024, 5, 6)),
        ("2024/5/6", D(2024, 5, 6)),
        ("2024.05.06", D(2024, 5, 6)),
        ("2024年5月6日", D(2024, 5, 6)),
        ("２０２４年５月６日", D(2024, 5, 6)),
        ("20240506", D(2024, 5, 6)),
        (45418, D(2024, 5, 6)),
        (45418.5, D(2024, 5, 6, 12)),
        ("45418", D(2024, 5, 6)),
        ("2024-05-06 14:30", D(2024, 5, 6, 14, 30)),
        ("2024-05-06T14:30:15", D(2024, 5, 6, 14, 30, 15)),
        ("2024/5/6 8:05", D(2024, 5, 6, 8, 5)),
        ("2024年5月6日 14时30分", D(2024, 5, 6, 14, 30)),
        (dt.date(2024, 5, 6), D(2024, 5, 6)),
        (D(2024, 5, 6, 7), D(2024, 5, 6, 7)),
        ("2024-02-29", D(2024, 2, 29)),
    ],
)
def test_dates(value: object, expected: dt.datetime) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13-05", r"'2024-13-05' is not a date: no such day \(expected e.g. 2024-05-06"),
        ("2023-02-29", r"no such day"),
        ("next Tuesday", r"'next Tuesday' is not a date \(expected e.g. 2024-05-06, 2024/5/6"),
        (12, r"'12' is not a date"),  # a small number is no Excel date
    ],
)
def test_bad_dates(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_datetime(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234", 1234),
        ("１２３", 123),
        ("3人", 3),
        (3.0, 3),
        ("  7 ", 7),
        ("1，234", 1234),
        (0, 0),
    ],
)
def test_counts(value: object, expected: int) -> None:
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, r"'-1' is negative"),
        (2.5, r"'2.5' is not a whole number"),
        ("abc", r"'abc' is not a whole number"),
        ("inf", r"'inf' is not a whole number"),
        ("1e400", r"'1e400' is not a whole number"),
        (float("inf"), r"is not a whole number"),
        ("nan", r"'nan' is not a whole number"),
    ],
)
def test_bad_counts(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_count(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.5", 1234.5),
        ("１２.５", 12.5),
        ("12.5万元", 12.5),
        (8, 8.0),
    ],
)
def test_amounts(value: object, expected: float) -> None:
    assert parse_amount(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("94.5%", 94.5), (94.5, 94.5), (0.945, 94.5), ("100%", 100.0)])
def test_rates(value: object, expected: float) -> None:
    assert parse_rate(value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2017, "2017"),
        ("2017", "2017"),
        ("2017年", "2017"),
        ("2017年度", "2017"),
        (2017.0, "2017"),
        ("2017-03", "2017-03"),
        ("2017/3", "2017-03"),
        ("2017.03", "2017-03"),
        ("2017年3月", "2017-03"),
        ("201703", "2017-03"),
        (dt.date(2017, 3, 9), "2017-03"),
    ],
)
def test_periods(value: object, expected: str) -> None:
    assert parse_period(value) == expected


@pytest.mark.parametrize("value", ["2017-13", "17-03", "March 2017", "1800"])
def test_bad_periods(value: str) -> None:
    with pytest.raises(ValueError, match="is not a period"):
        parse_period(value)


def test_parse_column_keeps_rows_and_messages() -> None:
    values, errors = parse_column(pd.Series(["1", None, "x", "", "1"]), parse_count)
    assert values.tolist() == [1, None, None, None, 1]
    assert errors.isna().tolist() == [True, True, False, True, True]
    assert "'x' is not a whole number" in errors[2]


@pytest.mark.parametrize(
    ("value", "header_factor", "expected"),
    [
        # the unit written in the cell converts it to 万元 ...
        ("5000元", 1.0, 0.5),
        ("5,000 元", 1.0, 0.5),
        ("3千元", 1.0, 0.3),
        ("12.5万", 1.0, 12.5),
        ("12.5万元", 1.0, 12.5),
        ("1.2亿", 1.0, 12000.0),
        ("1.2亿元", 1.0, 12000.0),
        ("１.２亿", 1.0, 12000.0),
        # ... and overrides the header's unit (直接经济损失（元） → factor 1e-4), which applies to bare numbers
        ("5000元", 1e-4, 0.5),
        ("0.5万元", 1e-4, 0.5),
        ("1亿", 1e-4, 10000.0),
        ("5000", 1e-4, 0.5),
        (5000, 1e-4, 0.5),
        ("8", 1.0, 8.0),
        ("2", 1e4, 20000.0),
    ],
)
def test_amount_units_in_the_cell(value: object, header_factor: float, expected: float) -> None:
    assert parse_amount(value, header_factor=header_factor) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc元", r"^'abc元' is not a number \(expected e.g. 12.5, 1,234.5, 5000元 or 1.2亿\)$"),
        ("亿", r"^'亿' is not a number"),
        ("-5元", r"^'-5元' is not a non-negative number"),
        ("5美元", r"^'5美元' is not a number"),
    ],
)
def test_bad_amounts(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20240506, D(2024, 5, 6)),
        (20240506.0, D(2024, 5, 6)),
        (19000101, D(1900, 1, 1)),
        (21001231, D(2100, 12, 31)),
        (45418.0, D(2024, 5, 6)),  # an Excel serial is still a serial
    ],
)
def test_numeric_compact_dates(value: object, expected: dt.datetime) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (20241332.0, r"^'20241332' is not a date: no such day \(expected"),
        (20240506.5, r"^'20240506.5' is not a date \(expected"),
        (99999999.0, r"^'99999999' is not a date \(expected"),
    ],
)
def test_bad_numeric_dates_show_the_cell_as_written(value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_datetime(value)


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", float("inf")])
def test_an_infinite_amount_is_rejected_not_a_crash(value: object) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_amount(value)
