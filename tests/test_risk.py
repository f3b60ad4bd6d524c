"""The four-colour risk index (analytics/risk.py), its settings, its factors and its SQL
(store/risk_queries.py): tables of hand-made regions with known levels, and a tiny store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import settings
from analytics.risk import FACTOR_FRAME_COLUMNS, RiskConfig, RiskWeights, level_counts, risk_factors, risk_index
from analytics.risk_words import FACTORS, LEVEL_LABELS, NO_DATA, level_counts_text, method_markdown, reasons_text
from answers.rectification import summary as hazard_summary
from answers.region_risk import risk_config
from domain.periods import Period
from domain.sources import Coverage
from loaders.importer import import_file
from store import open_store
from store.queries import accident_cells, accident_stats_rows, data_coverage
from store.risk_queries import HAZARD_FACTOR_COLUMNS, hazard_factors_by_child

DEFAULTS = risk_config({})  # the settings' defaults, whatever the environment says


def region(
    code: str,
    acc: int | None = 0,
    deaths: int = 0,
    larger: int = 0,
    major: int = 0,
    prev: tuple[int, int] | None = (0, 0),
    found: int = 10,
    rectified: int = 10,
    open_major: int = 0,
    overdue_major: int = 0,
    overdue: int = 0,
    hazards: bool = True,
    level: str = "county",
) -> dict:
    """One row of the factor frame; ``acc=None`` means no accident data, ``hazards=False`` no hazard data."""
    na = pd.NA
    row = {
        "code": code,
        "name": code,
        "region_level": level,
        "source": "records" if acc is not None else "none",
        "accidents": acc,
        "deaths": deaths if acc is not None else na,
        "larger_accidents": larger if acc is not None else na,
        "major_plus_accidents": major if acc is not None else na,
        "accidents_previous": prev[0] if prev and acc is not None else na,
        "deaths_previous": prev[1] if prev and acc is not None else na,
        "larger_accidents_previous": 0 if prev and acc is not None else na,
        "major_plus_accidents_previous": 0 if prev and acc is not None else na,
    }
    for k, v in {
        "found": found,
        "rectified": rectified,
        "open_major": open_major,
        "open_major_overdue": overdue_major,
        "open_overdue": overdue,
    }.items():
        row[k] = v if hazards else na
    row["rectification_rate"] = rectified / found if hazards and found else na
    if acc is None:
        row["accidents"] = na
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(FACTOR_FRAME_COLUMNS))


def config(**changes) -> RiskConfig:
    """The defaults with some fields changed; ``weights`` may be a dict of the weights to change."""
    fields = {
        "weights": DEFAULTS.weights,
        "thresholds": DEFAULTS.thresholds,
        "grade_weights": DEFAULTS.grade_weights,
        "trend_base": DEFAULTS.trend_base,
        "red_overdue_major": DEFAULTS.red_overdue_major,
        "major_accident_level": DEFAULTS.major_accident_level,
    }
    if isinstance(changes.get("weights"), dict):
        w = {k: DEFAULTS.weights.get(k) for k in FACTORS}
        changes["weights"] = RiskWeights(**{**w, **changes["weights"]})
    return RiskConfig(**{**fields, **changes})


# ---------------------------------------------------------------------------------------------- the index

# Six counties ranked the same on every factor, A worst, Z not bad at all, and G with no data. With six
# regions the mid-rank percentiles are 1, 0.8, 0.6, 0.4, 0.2 and 0, so the score is 100 × that.
# trend = (weighted accidents + deaths − last year's) ÷ max(last year's, 10): A (18−8)/10 = 1.0,
# B 0.7, C 0.4, D (9−7)/10 = 0.2, E (6−5)/10 = 0.1, Z (0−2)/10 = −0.2 (a fall: not bad at all).
RANKED = frame(
    region("A", acc=12, deaths=6, prev=(4, 4), open_major=5, overdue=10, rectified=5),
    region("B", acc=10, deaths=5, prev=(4, 4), open_major=4, overdue=8, rectified=6),
    region("C", acc=8, deaths=4, prev=(4, 4), open_major=3, overdue=6, rectified=7),
    region("D", acc=6, deaths=3, prev=(4, 3), open_major=2, overdue=4, rectified=8),
    region("E", acc=4, deaths=2, prev=(3, 2), open_major=1, overdue=2, rectified=9),
    region("Z", acc=0, deaths=0, prev=(1, 1), open_major=0, overdue=0, rectified=10),
    region("G", acc=None, hazards=False),
)


@pytest.mark.parametrize(
    ("code", "score", "level"),
    [
        ("A", 100.0, "red"),
        ("B", 80.0, "red"),
        ("C", 60.0, "orange"),
        ("D", 40.0, "yellow"),
        ("E", 20.0, "blue"),
        ("Z", 0.0, "blue"),
        ("G", None, NO_DATA),
    ],
)
def test_levels_of_a_hand_made_table(code: str, score: float | None, level: str) -> None:
    out = risk_index(RANKED, DEFAULTS).set_index("code")
    if score is None:
        assert pd.isna(out.at[code, "score"])
    else:
        assert out.at[code, "score"] == pytest.approx(score)
    assert out.at[code, "level"] == level
    assert out.at[code, "rule"] is None


def test_no_data_is_grey_and_says_so_never_blue() -> None:
    g = risk_index(RANKED, DEFAULTS).set_index("code").loc["G"]
    assert g["level"] == NO_DATA and g["data"] == "none"
    assert all(pd.isna(g[f"{k}_points"]) for k in FACTORS)
    assert [r["factor"] for r in g["reasons"]] == ["no_data"]
    assert reasons_text(g["reasons"], "en") == "no accident or hazard data: not graded"
    # G takes no place in the ranking: the others are ranked among six, not seven.
    assert risk_index(RANKED, DEFAULTS).set_index("code").at["A", "deaths_score"] == 1.0


def test_points_add_up_to_the_score_and_follow_the_weights() -> None:
    out = risk_index(RANKED, DEFAULTS).set_index("code")
    points = out[[f"{k}_points" for k in FACTORS]].sum(axis=1)
    graded = out["level"] != NO_DATA
    assert points[graded].tolist() == pytest.approx(out.loc[graded, "score"].tolist())
    # A is worst everywhere: each factor gives its whole weight (the default weights sum to 100).
    assert {k: out.at["A", f"{k}_points"] for k in FACTORS} == pytest.approx(
        {"accidents": 20, "deaths": 25, "trend": 15, "open_major": 15, "overdue": 15, "rectification": 10}
    )
    assert out.at["D", "trend_value"] == pytest.approx(0.2)
    assert out.at["Z", "trend_value"] == pytest.approx(-0.2) and out.at["Z", "trend_score"] == 0


def test_reasons_name_the_factors_that_put_a_region_there_in_both_languages() -> None:
    a = risk_index(RANKED, DEFAULTS).set_index("code").at["A", "reasons"]
    assert [r["factor"] for r in a] == ["deaths", "accidents", "trend"]  # most points first
    assert a[0]["zh"] == "死亡 6 人，同级第 1/6（25 分）"
    assert a[0]["en"] == "6 deaths, 1st of 6 (25 points)"
    assert a[2]["en"] == "up on last year: 12 accidents (last year 4), 6 deaths (4), 1st of 6 (15 points)"
    z = risk_index(RANKED, DEFAULTS).set_index("code").at["Z", "reasons"]
    assert reasons_text(z, "zh") == "各项因素均无风险表现"


def test_level_counts() -> None:
    counts = level_counts(risk_index(RANKED, DEFAULTS))
    assert counts == {"red": 2, "orange": 1, "yellow": 1, "blue": 2, "no_data": 1}
    assert level_counts_text(counts, "en") == "red 2, orange 1, yellow 1, blue 2, no data 1"
    assert level_counts_text(counts, "zh") == "重大风险 2 个，较大风险 1 个，一般风险 1 个，低风险 2 个，无数据 1 个"
    assert (
        level_counts_text({"red": 1, "orange": 0, "yellow": 0, "blue": 3, "no_data": 0}, "en")
        == "red 1, orange 0, yellow 0, blue 3"
    )


def test_ties_get_the_same_score_and_level() -> None:
    # X and Y are equal on everything: mid-rank (2.5 of 3) → (2.5 − 1) ÷ 2 = 0.75 on each factor.
    out = risk_index(
        frame(
            region("X", acc=5, deaths=3, prev=(2, 1), open_major=2, overdue=4, rectified=6),
            region("Y", acc=5, deaths=3, prev=(2, 1), open_major=2, overdue=4, rectified=6),
            region("W"),
        ),
        DEFAULTS,
    ).set_index("code")
    assert out.at["X", "score"] == out.at["Y", "score"] == pytest.approx(75.0)
    assert out.at["X", "level"] == out.at["Y", "level"] == "red"
    assert out.at["W", "score"] == 0 and out.at["W", "level"] == "blue"


def test_a_region_alone_scores_half_on_what_it_has() -> None:
    out = risk_index(frame(region("ONLY", acc=3, deaths=1, prev=(3, 1), overdue=2, rectified=9)), DEFAULTS)
    # accidents, deaths, overdue, rectification at 0.5; trend flat (0); no open major (0).
    assert out.at[0, "score"] == pytest.approx(0.5 * (20 + 25 + 15 + 10))
    assert out.at[0, "level"] == "yellow"


# Red only because of overdue major hazards: R is quiet on accidents and ranks low, but holds one open
# major hazard past its deadline; P and Q are worse on the score. The rule depends on the level.
def _overdue_table(level: str) -> pd.DataFrame:
    return frame(
        region("P", acc=9, deaths=6, prev=(4, 3), overdue=5, rectified=7, level=level),
        region("Q", acc=7, deaths=5, prev=(4, 3), overdue=4, rectified=8, level=level),
        region("R", acc=1, deaths=0, prev=(1, 0), open_major=1, overdue_major=1, overdue=1, level=level),
    )


@pytest.mark.parametrize(
    ("level", "rule", "expected"),
    [
        ("county", (10, 3, 1), "red"),  # one overdue major makes a county red
        ("city", (10, 3, 1), "blue"),  # a city needs three
        ("city", (10, 1, 1), "red"),
        ("province", (10, 3, 1), "blue"),
        ("county", (0, 0, 0), "blue"),  # 0: no such rule
    ],
)
def test_red_only_because_of_overdue_major_hazards(level: str, rule: tuple, expected: str) -> None:
    out = risk_index(_overdue_table(level), config(red_overdue_major=rule)).set_index("code")
    r = out.loc["R"]
    # Its score alone is 15: the only open major hazard (15); lowest on everything else (0).
    assert r["score"] == pytest.approx(15.0) and r["score_level"] == "blue"
    assert r["level"] == expected
    if expected == "red":
        assert r["rule"] == "overdue_major"
        assert r["reasons"][0]["factor"] == "overdue_major"
        assert r["reasons"][0]["en"] == f"1 open major hazard past the deadline (red from 1 for a {level})"
    else:
        assert r["rule"] is None


@pytest.mark.parametrize(("rule_level", "expected"), [("red", "red"), ("orange", "orange"), ("none", "blue")])
def test_a_major_accident_raises_the_level(rule_level: str, expected: str) -> None:
    # M had one 重大 accident (11 deaths) and little else; the others are worse on every other factor.
    table = frame(
        region("M", acc=1, deaths=11, major=1, prev=(1, 11)),
        region("N1", acc=30, deaths=20, prev=(10, 10), open_major=3, overdue=9, rectified=5),
        region("N2", acc=25, deaths=15, prev=(10, 10), open_major=2, overdue=8, rectified=6),
        region("N3", acc=20, deaths=12, prev=(10, 10), open_major=1, overdue=7, rectified=7),
    )
    m = risk_index(table, config(major_accident_level=rule_level)).set_index("code").loc["M"]
    assert m["score_level"] == "blue"
    assert m["level"] == expected
    assert m["rule"] == (None if rule_level == "none" else "major_accident")


# Weights set to zero: Q is worst on accidents and deaths, R on hidden dangers; S is quiet. Last year
# equals this year for all, so the trend scores 0 everywhere.
WEIGHTED = frame(
    region("Q", acc=3, deaths=9, prev=(3, 9)),
    region("R", acc=1, deaths=1, prev=(1, 1), open_major=4, overdue=6, rectified=5),
    region("S"),
)


@pytest.mark.parametrize(
    ("weights", "scores", "levels"),
    [
        ({}, (45.0, 62.5, 0.0), ("yellow", "orange", "blue")),
        # hazards left out: Q = (20 + 25) ÷ 60, R = (10 + 12.5) ÷ 60
        ({"open_major": 0, "overdue": 0, "rectification": 0}, (75.0, 37.5, 0.0), ("red", "yellow", "blue")),
        # accidents, deaths and trend left out: only R's hidden dangers count
        ({"accidents": 0, "deaths": 0, "trend": 0}, (0.0, 100.0, 0.0), ("blue", "red", "blue")),
        ({"deaths": 0}, (20 / 75 * 100, (10 + 40) / 75 * 100, 0.0), ("blue", "orange", "blue")),
    ],
)
def test_weights_set_to_zero_leave_a_factor_out(weights: dict, scores: tuple, levels: tuple) -> None:
    out = risk_index(WEIGHTED, config(weights=weights)).set_index("code")
    assert out["score"].tolist() == pytest.approx(list(scores))
    assert tuple(out["score_level"]) == levels
    # R (1 death, 4 open majors, none overdue) can be orange at most: no serious fact of its own
    assert tuple(out["level"]) == tuple(
        "orange" if c == "R" and lv == "red" else lv for c, lv in zip(out.index, levels, strict=True)
    )
    for k, w in weights.items():
        assert w == 0 and out[f"{k}_points"].isna().all()  # no points, and no place in the reasons
        assert not any(r["factor"] == k for rs in out["reasons"] for r in rs)


def test_missing_factors_are_left_out_not_counted_as_zero() -> None:
    out = risk_index(
        frame(
            region("H", acc=None, open_major=2, overdue=3, rectified=8),  # hazards only
            region("K", acc=4, deaths=2, prev=None, hazards=False),  # accidents this year only
            region("L", acc=2, deaths=1, prev=(1, 1), found=0, rectified=0, overdue=1),  # nothing found: no rate
        ),
        DEFAULTS,
    ).set_index("code")
    assert tuple(out["data"]) == ("hazards", "accidents", "accidents+hazards")
    # H: open_major 1 (only one with any) 15, overdue 1.0 → 15, rectification alone 0.5 → 5, over 40.
    assert out.at["H", "score"] == pytest.approx((15 + 15 + 5) / 40 * 100)
    assert out.at["H", "score_level"] == "red"
    assert out.at["H", "level"] == "orange"  # open majors, none past its deadline: no serious fact
    assert {r["factor"] for r in out.at["H", "reasons"]} >= {"no_accident_data", "capped"}
    assert {r["factor"] for r in out.at["K", "reasons"]} >= {"no_hazard_data", "no_previous_data"}
    assert {r["factor"] for r in out.at["L", "reasons"]} >= {"no_rectification_rate"}
    assert pd.isna(out.at["K", "trend_points"]) and pd.isna(out.at["L", "rectification_points"])


def test_grade_weights_weigh_accidents() -> None:
    # One 较大 accident (3) against three general ones (3): equal with 1/3/10, not with 1/5/10.
    table = frame(region("L1", acc=1, deaths=3, larger=1, prev=(1, 3)), region("G3", acc=3, deaths=3, prev=(3, 3)))
    out = risk_index(table, DEFAULTS).set_index("code")
    assert out.at["L1", "accidents_value"] == out.at["G3", "accidents_value"] == 3
    out = risk_index(table, config(grade_weights=(1, 5, 10))).set_index("code")
    assert out.at["L1", "accidents_value"] == 5 and out.at["L1", "accidents_score"] == 1


# ---------------------------------------------------------------------------------------------- config


def test_defaults_come_from_the_settings_table() -> None:
    c = risk_config({})
    assert c.weights == RiskWeights(accidents=20, deaths=25, trend=15, open_major=15, overdue=15, rectification=10)
    assert c.thresholds == (70, 50, 30) and c.grade_weights == (1, 3, 10) and c.trend_base == 10
    assert c.red_overdue_major == (10, 3, 1) and c.major_accident_level == "red" and c.absolute_caps is True
    assert risk_config({"SAFETY_RISK_ABSOLUTE_CAPS": "OFF"}).absolute_caps is False
    names = {s.name for s in settings.SETTINGS}
    assert {
        "SAFETY_RISK_WEIGHTS",
        "SAFETY_RISK_THRESHOLDS",
        "SAFETY_RISK_GRADE_WEIGHTS",
        "SAFETY_RISK_TREND_BASE",
        "SAFETY_RISK_RED_OVERDUE_MAJOR",
        "SAFETY_RISK_MAJOR_ACCIDENT_LEVEL",
    } <= names
    assert all(s.help for s in settings.SETTINGS)


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_RISK_WEIGHTS", "deaths=0, trend=30")
    monkeypatch.setenv("SAFETY_RISK_THRESHOLDS", "80，60，40")  # full-width commas too
    monkeypatch.setenv("SAFETY_RISK_MAJOR_ACCIDENT_LEVEL", "Orange")
    c = risk_config()
    assert (c.weights.deaths, c.weights.trend, c.weights.accidents) == (0, 30, 20)  # the rest keep defaults
    assert c.thresholds == (80, 60, 40) and c.major_accident_level == "orange"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SAFETY_RISK_THRESHOLDS": "50,70,30"},
            r"SAFETY_RISK_THRESHOLDS='50,70,30': thresholds must decrease \(red > orange > yellow\), got 50, 70, 30",
        ),
        ({"SAFETY_RISK_THRESHOLDS": "70,50"}, r"SAFETY_RISK_THRESHOLDS='70,50' must be 3 numbers separated by commas"),
        ({"SAFETY_RISK_THRESHOLDS": "70,50,abc"}, r"SAFETY_RISK_THRESHOLDS='70,50,abc': 'abc' is not a number"),
        ({"SAFETY_RISK_THRESHOLDS": "170,50,30"}, r"thresholds must lie in \(0, 100\], got 170, 50, 30"),
        (
            {"SAFETY_RISK_WEIGHTS": "deaths=-1"},
            r"SAFETY_RISK_WEIGHTS='deaths=-1': risk weight deaths must be a non-negative number, got -1.0",
        ),
        (
            {"SAFETY_RISK_WEIGHTS": "injuries=5"},
            r"unknown factor 'injuries' \(expected one of accidents, deaths, trend",
        ),
        ({"SAFETY_RISK_WEIGHTS": "deaths"}, r"'deaths' is not factor=weight \(e.g. deaths=25\)"),
        ({"SAFETY_RISK_WEIGHTS": "deaths=many"}, r"'many' is not a number \(e.g. deaths=25\)"),
        (
            {"SAFETY_RISK_WEIGHTS": "accidents=0,deaths=0,trend=0,open_major=0,overdue=0,rectification=0"},
            r"risk weights are all zero",
        ),
        (
            {"SAFETY_RISK_GRADE_WEIGHTS": "3,1,10"},
            r"SAFETY_RISK_GRADE_WEIGHTS='3,1,10': grade weights must not decrease",
        ),
        ({"SAFETY_RISK_GRADE_WEIGHTS": "0,3,10"}, r"grade weights must be positive, got 0, 3, 10"),
        ({"SAFETY_RISK_TREND_BASE": "0"}, r"SAFETY_RISK_TREND_BASE='0': trend base must be a positive number, got 0.0"),
        ({"SAFETY_RISK_TREND_BASE": "nan"}, r"trend base must be a positive number, got nan"),
        ({"SAFETY_RISK_RED_OVERDUE_MAJOR": "10,3,1.5"}, r"red_overdue_major must be whole numbers ≥ 0 \(0 = no rule\)"),
        ({"SAFETY_RISK_RED_OVERDUE_MAJOR": "10,-3,1"}, r"SAFETY_RISK_RED_OVERDUE_MAJOR='10,-3,1': red_overdue_major"),
        (
            {"SAFETY_RISK_MAJOR_ACCIDENT_LEVEL": "purple"},
            r"SAFETY_RISK_MAJOR_ACCIDENT_LEVEL='purple': major_accident_level must be one of red, orange, yellow, none, "
            r"got 'purple'",
        ),
        ({"SAFETY_RISK_ABSOLUTE_CAPS": "maybe"}, r"SAFETY_RISK_ABSOLUTE_CAPS='maybe' is not on or off"),
    ],
)
def test_bad_settings_say_what_they_got_and_want(env: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        risk_config(env)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"thresholds": (70, 50)}, r"thresholds must be 3 numbers \(red, orange and yellow\), got \(70, 50\)"),
        ({"thresholds": (70, 50, "30")}, r"thresholds must be 3 numbers"),
        ({"grade_weights": (1, 3, True)}, r"grade weights must be 3 numbers"),
        ({"weights": {"trend": float("inf")}}, r"risk weight trend must be a non-negative number, got inf"),
        ({"weights": {"deaths": "25"}}, r"risk weight deaths must be a non-negative number, got '25'"),
        ({"trend_base": -1}, r"trend base must be a positive number, got -1"),
        ({"major_accident_level": "blue"}, r"major_accident_level must be one of red, orange, yellow, none"),
    ],
)
def test_config_checks_its_fields(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        config(**changes)


@pytest.mark.parametrize(
    ("factors", "cfg", "message"),
    [
        (RANKED.drop(columns=["open_overdue"]), DEFAULTS, r"factors lack the columns open_overdue"),
        (
            RANKED.assign(region_level="town"),
            DEFAULTS,
            r"region_level must be one of province, city, county, got 'town'",
        ),
        (RANKED.assign(region_level=pd.NA), DEFAULTS, r"region_level must be one of province, city, county, got <NA>"),
        (pd.concat([RANKED, RANKED.head(1)]), DEFAULTS, r"one row per region, got 'A' twice"),
        (RANKED.assign(deaths=-1), DEFAULTS, r"factor counts must not be negative, got a negative deaths"),
        (RANKED, {"deaths": 25}, r"config must be a RiskConfig \(answers.region_risk.risk_config\(\)\), got dict"),
        (RANKED.to_dict(), DEFAULTS, r"factors must be a DataFrame \(risk_factors\(\)\), got dict"),
    ],
)
def test_risk_index_checks_its_input(factors, cfg, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        risk_index(factors, cfg)


def test_level_counts_checks_its_input() -> None:
    with pytest.raises(ValueError, match=r"needs the frame of risk_index\(\)"):
        level_counts(RANKED)
    with pytest.raises(ValueError, match=r"unknown risk level 'green'"):
        level_counts(pd.DataFrame({"level": ["red", "green"]}))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_method_text_shows_the_weights_in_force(lang: str) -> None:
    text = method_markdown(config(weights={"deaths": 0}, thresholds=(80, 60, 40)), lang)
    assert "| 0 | 0% |" in text and "80" in text and ("重特大" in text)


# ---------------------------------------------------------------------------------------------- factors

MARCH = Period.month(2024, 3)
CELL_COLS = ["month", "region_code", "province_code", "city_code", "industry", "grade", "accidents", "deaths"]
STAT_COLS = [
    "period",
    "period_kind",
    "region_code",
    "province_code",
    "city_code",
    "industry",
    "accidents",
    "deaths",
    "larger_accidents",
    "larger_deaths",
    "major_accidents",
    "major_deaths",
]


def _cells(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(m, r, "430000", "430100", ind, g, a, d) for m, r, ind, g, a, d in rows], columns=CELL_COLS)


# Changsha's counties, March 2024 and March 2023. 浏阳市 430181 sends monthly statistics for both months,
# so its one record is left out; 岳麓区 430104 had nothing last year (a real zero: Hunan's ledger spans it).
CUR_CELLS = _cells(
    ("2024-03", "430102", "construction", "general", 2, 1),
    ("2024-03", "430102", "chemicals", "larger", 1, 3),
    ("2024-03", "430104", "construction", "general", 1, 1),
    ("2024-03", "430181", "fire", "general", 1, 1),
)
PREV_CELLS = _cells(("2023-03", "430102", "construction", "general", 1, 0))
STATS = pd.DataFrame(
    [(p, "month", "430181", "430000", "430100", None, 5, 4, 1, 3, 0, 0) for p in ("2023-03", "2024-03")],
    columns=STAT_COLS,
)
HAZARDS = pd.DataFrame(
    [("430102", 10, 8, 1, 1, 0, 2), ("430103", 0, 0, 0, 0, 0, 0)], columns=list(HAZARD_FACTOR_COLUMNS)
)
HUNAN_LEDGER = Coverage({"430000": (dt.date(2023, 1, 1), dt.date(2024, 12, 31))})


def _factors(
    coverage: Coverage | None = HUNAN_LEDGER, industries: tuple[str, ...] | None = None, previous: bool = True
) -> pd.DataFrame:
    return risk_factors(
        CUR_CELLS,
        STATS,
        HAZARDS,
        "430100",
        MARCH,
        industries,
        previous=(PREV_CELLS, STATS) if previous else None,
        coverage=coverage,
    ).set_index("code")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "430102",
            {
                "accidents": 3,
                "deaths": 4,
                "larger_accidents": 1,
                "accidents_previous": 1,
                "deaths_previous": 0,
                "found": 10,
                "rectified": 8,
                "open_major": 1,
                "open_overdue": 2,
                "rectification_rate": 0.8,
                "source": "records",
            },
        ),
        ("430104", {"accidents": 1, "deaths": 1, "accidents_previous": 0, "deaths_previous": 0, "found": pd.NA}),
        (
            "430181",
            {
                "accidents": 5,
                "deaths": 4,
                "larger_accidents": 1,
                "accidents_previous": 5,
                "source": "statistics",
                "open_major": pd.NA,
            },
        ),
        ("430103", {"accidents": 0, "found": 0, "open_major": 0, "rectification_rate": pd.NA}),
        ("430111", {"accidents": 0, "deaths": 0, "accidents_previous": 0, "found": pd.NA}),
    ],
)
def test_risk_factors_from_cells_stats_and_hazards(code: str, expected: dict) -> None:
    f = _factors()
    assert list(f.index) == ["430102", "430103", "430104", "430105", "430111", "430112", "430121", "430181", "430182"]
    assert (f["region_level"] == "county").all()
    for column, value in expected.items():
        got = f.at[code, column]
        assert (
            pd.isna(got)
            if value is pd.NA
            else got == pytest.approx(value)
            if isinstance(value, float)
            else got == value
        ), (code, column, got)


def test_risk_factors_missing_is_not_zero() -> None:
    # Hunan's ledger starts in 2024: last year is missing for records, but 浏阳's statistics answer it.
    f = _factors(Coverage({"430000": (dt.date(2024, 1, 1), dt.date(2024, 12, 31))}))
    assert pd.isna(f.at["430102", "accidents_previous"]) and f.at["430102", "accidents"] == 3
    assert f.at["430181", "accidents_previous"] == 5
    # No ledger at all in Hunan: only 浏阳 has accident data; 430111 has nothing at all → grey.
    f = _factors(Coverage({}))
    assert f["accidents"].notna().sum() == 1 and f.at["430181", "accidents"] == 5
    index = risk_index(f.reset_index(), DEFAULTS).set_index("code")
    assert index.at["430111", "level"] == NO_DATA
    assert index.at["430103", "level"] == "blue"  # hazard records, none open: graded from them
    # Without the same period last year, the trend is missing everywhere.
    assert _factors(previous=False)["accidents_previous"].isna().all()


def test_risk_factors_follow_the_industry_filter() -> None:
    f = _factors(industries=("construction",))
    assert f.at["430102", "accidents"] == 2 and f.at["430102", "larger_accidents"] == 0
    assert f.at["430102", "accidents_previous"] == 1
    # 浏阳's statistics have no construction rows: they do not cover, so its records answer.
    assert f.at["430181", "accidents"] == 0 and f.at["430181", "source"] == "records"


def test_a_county_has_no_children_to_grade() -> None:
    f = risk_factors(CUR_CELLS, STATS, HAZARDS.iloc[0:0], "430104", MARCH, previous=(PREV_CELLS, STATS))
    assert f.empty and list(f.columns) == list(FACTOR_FRAME_COLUMNS)
    assert level_counts(risk_index(f, DEFAULTS)) == {"red": 0, "orange": 0, "yellow": 0, "blue": 0, "no_data": 0}


def test_risk_factors_check_their_input() -> None:
    with pytest.raises(ValueError, match=r"region must be a GB/T 2260 code .* got '999999'"):
        risk_factors(CUR_CELLS, STATS, HAZARDS, "999999", MARCH)
    with pytest.raises(ValueError, match=r"hazards_by_child lacks the columns open_overdue"):
        risk_factors(CUR_CELLS, STATS, HAZARDS.drop(columns=["open_overdue"]), "430100", MARCH)
    with pytest.raises(ValueError, match=r"period must be a Period, got str"):
        risk_factors(CUR_CELLS, STATS, HAZARDS, "430100", "2024-03")


# ---------------------------------------------------------------------------------------------- the SQL

HAZARD_CSV = """隐患编号,企业名称,所在地区,行业领域,隐患级别,发现日期,整改期限,整改完成日期,整改状态
H1,岳麓一厂,430104,工贸,重大,2024-02-01,2024-03-01,,整改中
H2,岳麓二厂,430104,建筑施工,一般,2024-02-10,2024-02-20,2024-02-15,已整改
H3,岳麓三厂,430104,工贸,一般,2024-02-10,2024-02-20,2024-02-15,验收不通过
H4,浏阳花炮厂,430181,烟花爆竹,一般,2024-03-05,2024-03-31,,整改中
H5,长沙市直单位,430100,危化,重大,2024-01-15,2024-06-30,,整改中
H6,湖南省直单位,430000,工贸,一般,2024-01-20,,,
H7,荷塘一厂,430202,工贸,重大,2023-11-01,2023-12-31,2024-03-31,已整改
H8,渝中一厂,500103,建筑施工,重大,2024-02-02,2024-02-28,,整改中
H9,仙桃一厂,429004,工贸,一般,2024-02-03,2024-02-10,2024-02-09,已整改
H10,东城一厂,110101,工贸,一般,2024-02-04,2024-02-14,,整改中
H11,岳麓四厂,430104,工贸,一般,2024-04-02,2024-04-10,,整改中
"""
ACCIDENT_CSV = """事故编号,发生时间,地区,行业领域,死亡人数
A1,2024-02-05,430104,建筑施工,1
A2,2024-03-06,430104,工贸,3
A3,2023-01-10,430104,建筑施工,1
A4,2024-02-08,430105,工贸,0
A5,2023-03-01,430121,工贸,0
"""


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("risk")
    (folder / "hazards.csv").write_text(HAZARD_CSV, encoding="utf-8")
    (folder / "accidents.csv").write_text(ACCIDENT_CSV, encoding="utf-8")
    store = open_store(folder / "risk.duckdb")
    for name, kind in (("hazards.csv", "hazards"), ("accidents.csv", "accidents")):
        result = import_file(store, folder / name, kind)
        assert result.rejected == 0, result
    return store


Q1 = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))  # as of 31 March 2024


@pytest.mark.parametrize(
    ("parent", "expected"),
    [
        # The nation: by province. H6 (filed at Hunan itself) counts for Hunan; H11 is found after the period.
        (
            "100000",
            {
                "110000": (1, 0, 0, 0, 1),
                "420000": (1, 1, 0, 0, 0),
                "430000": (6, 1, 2, 1, 2),
                "500000": (1, 0, 1, 1, 1),
            },
        ),
        # Hunan: by city. 长沙 holds its counties and its own H5; H7 (found in 2023, rectified on 31 March) is
        # not found in the period nor open; H6 belongs to no city.
        ("430000", {"430100": (5, 1, 2, 1, 2), "430200": (0, 0, 0, 0, 0)}),
        # Changsha: by county. H5, filed at the city itself, belongs to no county.
        ("430100", {"430104": (3, 1, 1, 1, 2), "430181": (1, 0, 0, 0, 0)}),
        # 重庆: districts directly under the municipality (city_code NULL).
        ("500000", {"500103": (1, 0, 1, 1, 1)}),
        # 湖北: 仙桃, a county-level city directly under the province, is a child of its own.
        ("420000", {"429004": (1, 1, 0, 0, 0)}),
        # 北京: districts directly under the municipality, as 重庆's.
        ("110000", {"110101": (1, 0, 0, 0, 1)}),
        ("430104", {}),  # a county has no children
    ],
)
def test_hazard_factors_grouped_by_child(tiny_store, parent: str, expected: dict) -> None:
    frame = hazard_factors_by_child(tiny_store, parent, *Q1)
    assert list(frame.columns) == list(HAZARD_FACTOR_COLUMNS)
    got = {
        r.code: (r.found, r.rectified, r.open_major, r.open_major_overdue, r.open_overdue) for r in frame.itertuples()
    }
    assert got == expected
    # The children add up to the region's own summary, less what is filed at the region itself.
    if parent == "100000":
        total = hazard_summary(tiny_store, parent, *Q1)
        assert frame["found"].sum() == total["found"] and frame["open_major"].sum() == total["open_major"]


def test_hazard_factors_filter_industries_and_check_the_region(tiny_store) -> None:
    frame = hazard_factors_by_child(tiny_store, "430100", *Q1, industries=("construction",))
    assert frame.set_index("code")["found"].to_dict() == {"430104": 1}
    with pytest.raises(ValueError, match=r"region must be a GB/T 2260 code .* got '12345'"):
        hazard_factors_by_child(tiny_store, "12345", *Q1)


def test_from_the_store_to_the_levels(tiny_store) -> None:
    period = Period.quarter(2024, 1)
    last_year = period.same_period_last_year()

    def fetch(p: Period):
        return (
            accident_cells(tiny_store, "430100", p.first_day, p.last_day),
            accident_stats_rows(tiny_store, "430100", p.first_year, p.last_year),
        )

    hazards = hazard_factors_by_child(tiny_store, "430100", period.first_day, period.last_day)
    factors = risk_factors(
        *fetch(period), hazards, "430100", period, previous=fetch(last_year), coverage=data_coverage(tiny_store)
    )
    out = risk_index(factors, DEFAULTS).set_index("code")
    # The ledger runs from January 2023: every county of Changsha has accident data (zeros are zeros).
    assert (out["data"] != "none").all()
    y = out.loc["430104"]
    assert (y["accidents"], y["deaths"], y["accidents_previous"], y["open_major_overdue"]) == (2, 4, 1, 1)
    assert y["level"] == "red" and y["rule"] == "overdue_major"  # one overdue major makes a county red
    assert out.at["430181", "level"] == "blue"  # a fresh hazard, no accident, nothing overdue
    assert level_counts(out.reset_index())["red"] == 1


def test_region_risk_is_the_same_assembly_without_streamlit(tiny_store) -> None:
    """answers.region_risk (the meeting pack's and, cached, the app's) gives the frame assembled above."""
    from answers.region_risk import region_risk

    period = Period.quarter(2024, 1)

    def fetch(p: Period):
        return (
            accident_cells(tiny_store, "430100", p.first_day, p.last_day),
            accident_stats_rows(tiny_store, "430100", p.first_year, p.last_year),
        )

    hazards = hazard_factors_by_child(tiny_store, "430100", period.first_day, period.last_day)
    factors = risk_factors(
        *fetch(period),
        hazards,
        "430100",
        period,
        previous=fetch(period.same_period_last_year()),
        coverage=data_coverage(tiny_store),
    )
    expected = risk_index(factors, risk_config())
    pd.testing.assert_frame_equal(region_risk(tiny_store, "430100", period, None), expected)


# Absolute caps (issue 14, point 9): a rank among quiet siblings is no risk by itself. 株洲 had 2 general
# accidents (and 2 deaths, flat on last year) where its siblings had none: the worst by rank, not red.
# (facts of the region → the level its score reaches, and the level it gets)
CAPS = [
    (dict(acc=2, deaths=2, prev=(2, 2)), "red", "orange"),  # 株洲: deaths, no serious fact
    (dict(acc=2, deaths=0, prev=(2, 0)), "red", "yellow"),  # no death, no open major: at most yellow
    (dict(acc=2, deaths=0, prev=(2, 0), open_major=1), "red", "orange"),  # an open major hazard: harm
    (dict(acc=1, deaths=3, prev=(0, 0)), "red", "red"),  # a 较大 accident's toll
    (dict(acc=1, deaths=1, larger=1, prev=(0, 0)), "red", "red"),  # a 较大 accident
    (dict(acc=2, deaths=0, prev=(2, 0), open_major=1, overdue_major=1), "red", "red"),  # overdue major (also the rule)
]


@pytest.mark.parametrize(("facts", "score_level", "level"), CAPS)
def test_a_rank_among_quiet_siblings_is_capped_by_the_region_s_own_figures(
    facts: dict, score_level: str, level: str
) -> None:
    quiet = [region(c, prev=(0, 0)) for c in ("Q1", "Q2", "Q3", "Q4")]
    table = frame(region("ZZ", level="city", **facts), *[{**q, "region_level": "city"} for q in quiet])
    by_rank = {"deaths": 0, "trend": 0, "open_major": 0, "overdue": 0, "rectification": 0}  # the most accidents: 100
    out = risk_index(table, config(weights=by_rank)).set_index("code")
    assert out.at["ZZ", "score_level"] == score_level
    assert out.at["ZZ", "level"] == level
    capped = [r for r in out.at["ZZ", "reasons"] if r["factor"] == "capped"]
    assert bool(capped) == (level != score_level)
    if capped:
        assert capped[0]["zh"].startswith("评分居同级前列（重大风险），但") and capped[0]["zh"].endswith(
            f"定为{LEVEL_LABELS[level][0]}"
        )
    off = risk_index(table, config(weights=by_rank, absolute_caps=False)).set_index("code")
    assert off.at["ZZ", "level"] == score_level  # the setting turns the caps off


def test_a_region_that_sends_hazard_reports_is_not_said_to_have_no_hazard_data() -> None:
    """浏阳 (430181) sends monthly hazard reports, no ledger: its reason says so (issue 14, point 9), where
    a county that sent nothing keeps "无隐患台账数据"."""
    f = risk_factors(
        CUR_CELLS,
        STATS,
        HAZARDS,
        "430100",
        MARCH,
        previous=(PREV_CELLS, STATS),
        coverage=HUNAN_LEDGER,
        hazard_reports=("430181",),
    )
    out = risk_index(f, DEFAULTS).set_index("code")
    assert bool(out.at["430181", "hazard_reports"]) and not bool(out.at["430104", "hazard_reports"])
    words = {r["factor"]: r["zh"] for r in out.at["430181", "reasons"]}
    assert words.get("hazard_reports") == "隐患按月报表报送，无逐项台账，在治、超期隐患和整改率因素未计入"
    assert "no_hazard_data" not in words
    assert "no_hazard_data" in {r["factor"] for r in out.at["430104", "reasons"]}
