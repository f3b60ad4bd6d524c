"""Comparisons and the headline judgements: tables of cases."""

import pytest

from analytics.compare import Comparison, Judgement, State, compare, double_decline, streak, three_declines

D, F, Z, R, NO = State.DECLINED, State.FLAT, State.HELD_AT_ZERO, State.ROSE, State.INSUFFICIENT

COMPARE_CASES = [
    # (current, previous, change, change %, state, is new)
    ("fell", 8, 10, -2, -20.0, D, False),
    ("fell to zero", 0, 4, -4, -100.0, D, False),
    ("rose", 12, 10, 2, 20.0, R, False),
    ("new: rose from zero, no per cent", 3, 0, 3, None, R, True),
    ("flat", 7, 7, 0, 0.0, F, False),
    ("held at zero", 0, 0, 0, None, Z, False),
    ("current missing", None, 5, None, None, NO, False),
    ("previous missing", 5, None, None, None, NO, False),
    ("both missing", None, None, None, None, NO, False),
    ("zero against missing is not held at zero", 0, None, None, None, NO, False),
    ("floats", 2.5, 5.0, -2.5, -50.0, D, False),
]


@pytest.mark.parametrize(
    ("current", "previous", "change", "pct", "state", "new"),
    [c[1:] for c in COMPARE_CASES],
    ids=[c[0] for c in COMPARE_CASES],
)
def test_compare(current, previous, change, pct, state, new) -> None:
    c = compare(current, previous)
    assert (c.current, c.previous, c.change, c.state, c.is_new) == (current, previous, change, state, new)
    assert c.change_pct == (pytest.approx(pct) if pct is not None else None)


def cmp(state: State) -> Comparison:
    """A comparison in ``state`` (the judgements read states only)."""
    return {D: compare(1, 2), F: compare(2, 2), Z: compare(0, 0), R: compare(3, 2), NO: compare(1, None)}[state]


A, N, X = Judgement.ACHIEVED, Judgement.NOT_ACHIEVED, Judgement.INSUFFICIENT

THREE_CASES = [
    # (accidents, 较大, 重特大) → judgement, components held at zero
    ("all three fell", (D, D, D), A, ()),
    ("较大 rose", (D, R, D), N, ()),
    ("accidents flat", (F, D, D), N, ()),
    # 较大 / 重特大 that happened in neither year: judged on what did happen (未发生重特大事故) — issue 14, point 9
    ("重特大 in neither year: judged on the others", (D, D, Z), A, ("major_plus",)),
    ("no 较大 or above in either year", (D, Z, Z), A, ("larger", "major_plus")),
    ("no 较大 in either year but 重特大 rose", (D, Z, R), N, ("larger",)),
    ("no accident at all in either year is no decline", (Z, Z, Z), N, ("accidents", "larger", "major_plus")),
    ("accidents flat, none serious", (F, Z, Z), N, ("larger", "major_plus")),
    ("重特大 missing", (D, D, NO), X, ()),
    ("accidents missing", (NO, D, D), X, ()),
    ("missing wins over a rise: the year cannot be judged", (R, NO, D), X, ()),
]


@pytest.mark.parametrize(("states", "expected", "held"), [c[1:] for c in THREE_CASES], ids=[c[0] for c in THREE_CASES])
def test_three_declines(states, expected, held) -> None:
    t = three_declines(*(cmp(s) for s in states))
    assert t.state == expected
    assert t.held_at_zero == held


def test_three_declines_from_hand_made_statistics() -> None:
    # 2023 → 2024: 120 → 101 accidents, 3 → 2 较大, 1 → 0 重特大: achieved.
    assert three_declines(compare(101, 120), compare(2, 3), compare(0, 1)).state == A
    # 2022 → 2023 where the 2022 form lacks the 重特大 column: cannot be judged.
    assert three_declines(compare(120, 131), compare(3, 4), compare(1, None)).state == X


UNKNOWN_CASES = [
    # (accidents, 较大, 重特大) with "released" False where the statistics did not release this year's figure
    # → judgement, the components that cannot be compared, each component's own state
    (
        "2018 national: the count not released, 较大 and 重特大 fell",
        (None, 478, 19),
        (52988, 567, 25),
        X,
        ("accidents",),
        (NO, D, D),
    ),
    (
        "重特大 not released, 较大 rose: still cannot be judged as a whole",
        (101, 5, None),
        (120, 3, 1),
        X,
        ("major_plus",),
        (D, R, NO),
    ),
    ("last year's 较大 not released", (101, 2, 0), (120, None, 1), X, ("larger",), (D, NO, D)),
    ("everything released", (101, 2, 0), (120, 3, 1), A, (), (D, D, D)),
]


@pytest.mark.parametrize(
    ("now", "before", "expected", "unknown", "states"),
    [c[1:] for c in UNKNOWN_CASES],
    ids=[c[0] for c in UNKNOWN_CASES],
)
def test_a_figure_not_released_blanks_its_own_component_only(now, before, expected, unknown, states) -> None:
    parts = [
        compare(c, p, tuple(side for side, v in (("current", c), ("previous", p)) if v is None))
        for c, p in zip(now, before, strict=True)
    ]
    t = three_declines(*parts)
    assert (t.state, t.unknown, (t.accidents.state, t.larger.state, t.major_plus.state)) == (expected, unknown, states)
    assert [p.not_released for p in parts] == [
        tuple(side for side, v in (("current", c), ("previous", b)) if v is None)
        for c, b in zip(now, before, strict=True)
    ]


DOUBLE_CASES = [
    ("both fell", (D, D), A),
    ("deaths rose", (D, R), N),
    ("accidents flat", (F, D), N),
    ("deaths held at zero", (D, Z), N),
    ("both held at zero", (Z, Z), N),
    ("deaths missing", (D, NO), X),
    ("accidents missing", (NO, D), X),
]


@pytest.mark.parametrize(("states", "expected"), [c[1:] for c in DOUBLE_CASES], ids=[c[0] for c in DOUBLE_CASES])
def test_double_decline(states, expected) -> None:
    assert double_decline(*(cmp(s) for s in states)) == expected


STREAK_CASES = [
    # values oldest first → consecutive falls ending with the last
    ("falling all along", [10, 9, 8, 7], 3),
    ("rose last", [10, 9, 8, 9], 0),
    ("fell after a rise", [10, 12, 11, 9], 2),
    ("a flat year breaks it", [10, 9, 9, 8], 1),
    ("zero twice is not a fall", [3, 0, 0], 0),
    ("fell to zero", [3, 1, 0], 2),
    ("a missing year ends it", [None, 9, 8, 7], 2),
    ("missing last", [10, 9, None], 0),
    ("missing in between", [10, None, 8, 7], 1),
    ("one value", [5], 0),
    ("none", [], 0),
]


@pytest.mark.parametrize(("values", "expected"), [c[1:] for c in STREAK_CASES], ids=[c[0] for c in STREAK_CASES])
def test_streak(values, expected) -> None:
    assert streak(values) == expected
