"""Decree 493 grading: every threshold and its neighbours, on each measure, and the highest wins."""

import pandas as pd
import pytest

from domain.grading import Grade, grade_by_decree_493, grade_series, parse_grade

G, L, M, E = Grade.GENERAL, Grade.LARGER, Grade.MAJOR, Grade.EXTRAORDINARY

CASES = [
    # deaths (incl. missing)
    (0, 0, 0, G),
    (1, 0, 0, G),
    (2, 0, 0, G),
    (3, 0, 0, L),
    (4, 0, 0, L),
    (9, 0, 0, L),
    (10, 0, 0, M),
    (11, 0, 0, M),
    (29, 0, 0, M),
    (30, 0, 0, E),
    (31, 0, 0, E),
    # serious injuries
    (0, 9, 0, G),
    (0, 10, 0, L),
    (0, 11, 0, L),
    (0, 49, 0, L),
    (0, 50, 0, M),
    (0, 51, 0, M),
    (0, 99, 0, M),
    (0, 100, 0, E),
    (0, 101, 0, E),
    # direct loss in 万元: 1,000 万 = 10 million CNY is 较大 ("以上" includes the number)
    (0, 0, 999.99, G),
    (0, 0, 1000, L),
    (0, 0, 1000.01, L),
    (0, 0, 4999.99, L),
    (0, 0, 5000, M),
    (0, 0, 9999.99, M),
    (0, 0, 10000, E),
    (0, 0, 10000.01, E),
    # the highest grade any measure reaches wins
    (2, 10, 0, L),
    (3, 50, 0, M),
    (1, 0, 10000, E),
    (30, 0, 0.5, E),
    (9, 99, 9999, M),
    (2, 9, 999, G),
]


@pytest.mark.parametrize(("deaths", "serious", "loss", "expected"), CASES)
def test_grade_by_decree_493(deaths: int, serious: int, loss: float, expected: Grade) -> None:
    assert grade_by_decree_493(deaths, serious, loss) == expected


def test_grade_series_matches_scalar_rule() -> None:
    df = pd.DataFrame(CASES, columns=["d", "s", "l", "g"])
    got = grade_series(df["d"], df["s"], df["l"])
    assert got.tolist() == [Grade(g).value for g in df["g"]]


def test_missing_measures_count_as_zero() -> None:
    got = grade_series(pd.Series([3, None]), pd.Series([None, None]), pd.Series([None, 1000]))
    assert got.tolist() == ["larger", "larger"]


def test_negative_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        grade_by_decree_493(-1, 0, 0)


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("一般", G),
        ("较大事故", L),
        ("重大", M),
        ("特别重大", E),
        ("Extraordinary", E),
        (" 较 大 ", L),
        ("", None),
    ],
)
def test_parse_grade(text: str, grade: Grade | None) -> None:
    assert parse_grade(text) == grade


def test_parse_grade_unknown_says_what_is_expected() -> None:
    with pytest.raises(ValueError, match=r"'严重' is not an accident grade \(expected one of 一般"):
        parse_grade("严重")
