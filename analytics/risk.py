"""The regional four-colour risk index (安全风险分级 四色图): 重大风险 red, 较大风险 orange, 一般风险
yellow, 低风险 blue — and grey ``no_data`` for a region without any data, which is never "low risk".

Two pure functions carry it, so that a page calls only these:

- :func:`risk_factors` assembles one row of factors per child region from the accident frames (each
  child answered by one source, as everywhere: ``analytics.accidents``) and the hazard frame of
  ``store.risk_queries.hazard_factors_by_child``;
- :func:`risk_index` scores and grades those rows with a :class:`RiskConfig` (from the settings:
  ``answers.region_risk.risk_config()``), and says in both languages what put each region where it is.

:func:`level_counts` counts the levels; ``analytics.risk_words`` holds the words: the levels' and factors'
names, the reasons, the counts in words ("red 2, orange 5, yellow 6, blue 1") and
:func:`~analytics.risk_words.method_markdown`, the method with the weights and thresholds in force.

README text (the method and why the defaults are what they are):

### The risk index (风险四色图)

Each child region of the region selected gets a score from 0 to 100 over the selected period and
industries, and a level: **重大风险 red** (score ≥ 70), **较大风险 orange** (≥ 50), **一般风险 yellow**
(≥ 30), **低风险 blue** (below 30), or **grey, no data** when it has neither accident data (records or
statistics that cover the period) nor any hazard record. Grey is never "low risk".

Six factors, each ranked among the sibling regions on the same map:

| factor | value | default weight |
|---|---|---|
| `accidents` | accidents weighted by grade: 一般 × 1, 较大 × 3, 重特大 × 10 | 20 |
| `deaths` | deaths, including the missing | 25 |
| `trend` | change of (weighted accidents + deaths) against the same period last year | 15 |
| `open_major` | open major hazards (重大事故隐患 found and not rectified) | 15 |
| `overdue` | open hazards past their rectification deadline (超期未整改) | 15 |
| `rectification` | shortfall of the rectification rate (1 − 整改率) for hazards found in the period | 10 |

- **Scoring.** A factor scores its mid-rank percentile among the siblings that have a value for it:
  the worst gets 1, the best 0, equal values the same score, a region alone 0.5. A region that is not
  bad at all on a factor (no deaths, no rise, every hazard rectified) scores 0 on it, whatever its
  rank. The index is 100 × Σ weight × score ÷ Σ weight over the factors the region has data for;
  each factor's share of it (its points) is shown in the tooltip.
- **Why percentiles within the siblings.** The store has no denominators (population, GDP, workers),
  so accidents per capita cannot be computed. Ranking within the siblings makes the index scale-free
  (a province map and a county map use the same thresholds), and is robust: one disaster does not
  compress every other region into the same colour, as a share of the maximum would. The trend and
  the rectification rate are size-free, so a small region that is getting worse still shows.
- **Why these grade weights.** 3 and 10 are the lowest death tolls of a 较大 and a 重大 accident in
  Decree 493: a 较大 accident weighs at least what its defining deaths weigh, and the grades also
  mark who investigates (city, province, State Council) and what the assessments penalise.
- **Why these weights.** Outcomes (accidents 20, deaths 25) carry 45 %: deaths are what the control
  targets count. Hidden dangers, the leading indicators, carry 40 % (open majors 15, overdue 15,
  rectification 10); the trend carries 15 %, the direction the "three continued declines" judge.
  A weight of 0 leaves a factor out.
- **Missing is not zero.** A factor without data for a region (no hazard records, nothing found
  in the period for the rate, no data for last year) is left out of that region's index and the
  other weights are scaled up; the tooltip says which.
- **The trend** is (this year − last year) ÷ max(last year, 10), in weighted accidents plus deaths,
  so that a quiet county going from 1 to 2 accidents is not a +100 % alarm.
- **Two rules override the score** (the level only rises): a 重特大 accident in the period makes a
  region red — a 重大 accident (10 or more deaths) puts the region under the State Council's
  supervision; and open major hazards past their deadline make it red at 10 for a province, 3 for a
  city and 1 for a county — a named major hazard past its deadline is exactly what 挂牌督办 exists
  for, and the counts grow with the size of the region.
- **Absolute caps** (the level only falls; `SAFETY_RISK_ABSOLUTE_CAPS=off` turns them off): a rank among
  quiet siblings is not a risk by itself. Red needs a serious fact of the region's own — a 较大-or-above
  accident, 3 or more deaths (a 较大 accident's least toll), or an open major hazard past its deadline;
  orange needs some harm — a death or an open major hazard; otherwise a region is at most yellow. So a
  city with 2 general accidents, flat on last year, is not red because its siblings had none; the
  tooltip says when a cap lowered the level.
- **Thresholds** 70 / 50 / 30: with percentile scores a region that is average on every factor
  scores about 50 (the orange line); red needs a region to be among the worst on most factors;
  blue is a region in the better third on most of them.

Every weight, threshold and rule is a setting (`SAFETY_RISK_*`, see `settings.py`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from analytics.accidents import Answer, answer, answers_for
from analytics.risk_words import FACTORS, LEVELS, NO_DATA, _no_data_reasons, _rank, _reasons
from domain import palette
from domain.periods import Period
from domain.regions import ancestors, children, load_regions
from domain.sources import Coverage

LEVEL_COLOURS = {**palette.LEVEL_COLOURS, NO_DATA: palette.NO_DATA_COLOUR}
RULE_LEVELS = (*LEVELS[:3], "none")  # what a 重特大 accident raises a region to ("none": no rule)
CHILD_LEVELS = ("province", "city", "county")

ACCIDENT_COLUMNS = ("accidents", "deaths", "larger_accidents", "major_plus_accidents")
PREVIOUS_COLUMNS = tuple(f"{c}_previous" for c in ACCIDENT_COLUMNS)
HAZARD_COLUMNS = ("found", "rectified", "open_major", "open_major_overdue", "open_overdue")
FACTOR_FRAME_COLUMNS = (
    "code",
    "name",
    "region_level",
    "source",
    *ACCIDENT_COLUMNS,
    *PREVIOUS_COLUMNS,
    *HAZARD_COLUMNS,
    "rectification_rate",
    "hazard_reports",
)
_REQUIRED = ("code", "region_level", *ACCIDENT_COLUMNS, *PREVIOUS_COLUMNS, *HAZARD_COLUMNS)


# ---------------------------------------------------------------------------------------------- config


@dataclass(frozen=True)
class RiskWeights:
    """Relative weights of the factors (scaled to sum 1 over the factors a region has data for)."""

    accidents: float
    deaths: float
    trend: float
    open_major: float
    overdue: float
    rectification: float

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                raise ValueError(f"risk weight {f.name} must be a non-negative number, got {v!r}")
        if not any(getattr(self, f.name) for f in fields(self)):
            raise ValueError(
                f"risk weights are all zero: give at least one factor a positive weight (factors: {', '.join(FACTORS)})"
            )

    def get(self, factor: str) -> float:
        return float(getattr(self, factor))


@dataclass(frozen=True)
class RiskConfig:
    """Weights, thresholds and rules of the risk index. Defaults live in the settings
    (``answers.region_risk.risk_config()``); every field is checked here, with a message saying what it got."""

    weights: RiskWeights
    thresholds: tuple[float, float, float]  # lowest score of red, orange, yellow; below yellow is blue
    grade_weights: tuple[float, float, float]  # a general, larger, major-or-above accident
    trend_base: float  # the smallest base of the change on last year (weighted accidents + deaths)
    red_overdue_major: tuple[int, int, int]  # open majors past deadline that make a province/city/county red
    major_accident_level: str  # the least level after a 重特大 accident: red, orange, yellow or none
    absolute_caps: bool = True  # red needs a serious fact, orange some harm (see _cap)

    def __post_init__(self) -> None:
        if not isinstance(self.weights, RiskWeights):
            raise ValueError(f"weights must be RiskWeights, got {type(self.weights).__name__}")
        t = _numbers("thresholds", self.thresholds, 3, "red, orange and yellow")
        if not all(0 < x <= 100 for x in t):
            raise ValueError(f"thresholds must lie in (0, 100], got {_fmt_tuple(t)}")
        if not t[0] > t[1] > t[2]:
            raise ValueError(f"thresholds must decrease (red > orange > yellow), got {_fmt_tuple(t)}")
        g = _numbers("grade weights", self.grade_weights, 3, "general, larger and major-or-above")
        if not all(x > 0 for x in g):
            raise ValueError(f"grade weights must be positive, got {_fmt_tuple(g)}")
        if not g[0] <= g[1] <= g[2]:
            raise ValueError(
                f"grade weights must not decrease (general ≤ larger ≤ major-or-above), got {_fmt_tuple(g)}"
            )
        base = self.trend_base
        if isinstance(base, bool) or not isinstance(base, int | float) or not math.isfinite(base) or base <= 0:
            raise ValueError(f"trend base must be a positive number, got {base!r}")
        r = _numbers("red_overdue_major", self.red_overdue_major, 3, "province, city and county")
        if not all(float(x).is_integer() and x >= 0 for x in r):
            raise ValueError(f"red_overdue_major must be whole numbers ≥ 0 (0 = no rule), got {_fmt_tuple(r)}")
        if self.major_accident_level not in RULE_LEVELS:
            raise ValueError(
                f"major_accident_level must be one of {', '.join(RULE_LEVELS)}, got {self.major_accident_level!r}"
            )

    def level_for(self, score: float) -> str:
        red, orange, yellow = self.thresholds
        return "red" if score >= red else "orange" if score >= orange else "yellow" if score >= yellow else "blue"

    def overdue_major_limit(self, level: str) -> int:
        """The count of open majors past deadline that makes a region of ``level`` red (0: no rule)."""
        return int(self.red_overdue_major[CHILD_LEVELS.index(level)]) if level in CHILD_LEVELS else 0


def _numbers(name: str, value: Any, n: int, what: str) -> tuple[float, ...]:
    ok = (
        isinstance(value, tuple | list)
        and len(value) == n
        and all(not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x) for x in value)
    )
    if not ok:
        raise ValueError(f"{name} must be {n} numbers ({what}), got {value!r}")
    return tuple(float(x) for x in value)


def _fmt_tuple(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:g}" for v in values)


# ---------------------------------------------------------------------------------------------- factors


def risk_factors(
    cells: pd.DataFrame,
    stats: pd.DataFrame,
    hazards_by_child: pd.DataFrame,
    region: str,
    period: Period,
    industries: tuple[str, ...] | None = None,
    *,
    previous: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    coverage: Coverage | None = None,
    hazard_reports: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One row of risk factors per child region of ``region`` (columns ``FACTOR_FRAME_COLUMNS``).

    - ``cells`` and ``stats``: the accident frames of ``region`` for ``period`` (``webapp.state.cached_fetch``,
      or ``store.queries.accident_cells`` / ``accident_stats_rows``); ``previous``: the same for the
      same period last year (without it the trend is missing for every region);
    - ``hazards_by_child``: ``store.risk_queries.hazard_factors_by_child``; a child without a row has
      no hazard data (its hazard columns are missing, not zero);
    - ``coverage``: what the store holds (``store.queries.data_coverage``): a side of a child that no
      source covers is missing, as in the brief. ``None`` means the frames are complete: every child's
      zero is a real zero;
    - ``hazard_reports``: the regions inside that send monthly hazard reports (``hazard_stats``): a child
      with such reports and no hazard record is told apart from one that sent nothing (``hazard_reports``
      column, the reasons' words).

    All grades are counted whatever the page's grade filter: the index weights them itself.
    """
    regions = load_regions()
    if region not in regions:
        raise ValueError(f"region must be a GB/T 2260 code such as 430000 or 100000, got {region!r}")
    if not isinstance(period, Period):
        raise ValueError(f"period must be a Period, got {type(period).__name__}")
    missing = [c for c in ("code", *HAZARD_COLUMNS) if c not in hazards_by_child.columns]
    if missing:
        raise ValueError(
            f"hazards_by_child lacks the columns {', '.join(missing)} "
            "(expected the frame of store.risk_queries.hazard_factors_by_child)"
        )
    hazards = hazards_by_child.assign(code=hazards_by_child["code"].astype(str)).set_index("code")
    last_year = period.same_period_last_year()
    rows = []
    kids = children(region)
    codes = [c.code for c in kids]
    now_answers = answers_for(cells, stats, codes, period, industries, "all")
    prev_answers = {} if previous is None else answers_for(*previous, codes, last_year, industries, "all")
    for child in kids:
        cur, source = _side((cells, stats), coverage, child.code, period, industries, now_answers[child.code])
        prev = (
            None
            if previous is None
            else _side(previous, coverage, child.code, last_year, industries, prev_answers[child.code])[0]
        )
        row: dict[str, Any] = {
            "code": child.code,
            "name": child.name,
            "region_level": child.level,
            "source": source if cur is not None else "none",
        }
        for c in ACCIDENT_COLUMNS:
            row[c] = cur[c] if cur is not None else pd.NA
            row[f"{c}_previous"] = prev[c] if prev is not None else pd.NA
        h = hazards.loc[child.code] if child.code in hazards.index else None
        for c in HAZARD_COLUMNS:
            row[c] = int(h[c]) if h is not None else pd.NA
        found = row["found"]
        row["rectification_rate"] = row["rectified"] / found if h is not None and found else pd.NA
        row["hazard_reports"] = any(r == child.code or child.code in ancestors(r) for r in hazard_reports)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(FACTOR_FRAME_COLUMNS))
    counts = [*ACCIDENT_COLUMNS, *PREVIOUS_COLUMNS, *HAZARD_COLUMNS]
    return frame.astype({**dict.fromkeys(counts, "Int64"), "rectification_rate": "Float64"})


def _side(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    coverage: Coverage | None,
    code: str,
    period: Period,
    industries: tuple[str, ...] | None,
    a: Answer | None = None,
) -> tuple[dict[str, int | None] | None, str]:
    """The measures of one region over one period, or None when no source covers it (``a``: the
    answer, when already counted)."""
    cells, stats = frames
    a = a or answer(cells, stats, code, period, industries, "all")
    covered = coverage is None or coverage.covers(code, period, a.plan.from_statistics)
    return (dict(a.values) if covered else None), a.source


# ---------------------------------------------------------------------------------------------- index


def risk_index(factors: pd.DataFrame, config: RiskConfig) -> pd.DataFrame:
    """Score (0–100) and grade each region of ``factors`` (one row per sibling region, as
    :func:`risk_factors` gives; a missing value is NA). Returns, per region, in the input's order:

    - ``code`` (and the input's other columns), ``data``: ``accidents+hazards``, ``accidents``,
      ``hazards`` or ``none``;
    - per factor ``<f>_value`` (its raw value: weighted accidents, deaths, the damped change, open
      majors, overdue hazards, 1 − rectification rate), ``<f>_score`` (0–1, its percentile among the
      siblings) and ``<f>_points`` (its share of the score; the points add up to the score);
    - ``score`` (NA without data), ``score_level`` (from the thresholds), ``level`` (after the rules,
      which only raise it: red, orange, yellow, blue or no_data) and ``rule`` (``overdue_major`` or
      ``major_accident`` when a rule alone puts the region at its level, else None);
    - ``reasons``: what put it there, most important first, each ``{"factor", "zh", "en"}``.
    """
    if not isinstance(config, RiskConfig):
        raise ValueError(
            f"config must be a RiskConfig (answers.region_risk.risk_config()), got {type(config).__name__}"
        )
    if not isinstance(factors, pd.DataFrame):
        raise ValueError(f"factors must be a DataFrame (risk_factors()), got {type(factors).__name__}")
    missing = [c for c in _REQUIRED if c not in factors.columns]
    if missing:
        raise ValueError(f"factors lack the columns {', '.join(missing)} (expected the frame of risk_factors())")
    if factors["code"].duplicated().any():
        dup = factors.loc[factors["code"].duplicated(), "code"].iloc[0]
        raise ValueError(f"factors must have one row per region, got {dup!r} twice")
    bad_levels = [v for v in factors["region_level"] if not (isinstance(v, str) and v in CHILD_LEVELS)]
    if bad_levels:
        raise ValueError(f"region_level must be one of {', '.join(CHILD_LEVELS)}, got {bad_levels[0]!r}")

    f = factors.reset_index(drop=True)
    num = {c: pd.to_numeric(f[c], errors="raise").astype("float64") for c in (*_REQUIRED[2:],)}
    negative = [c for c, s in num.items() if (s < 0).any()]
    if negative:
        raise ValueError(f"factor counts must not be negative, got a negative {negative[0]}")
    values = _factor_values(num, config)
    out = f.copy()
    has_acc, has_haz = num["accidents"].notna(), num["open_major"].notna()
    out["data"] = [
        ("accidents+hazards" if a and h else "accidents" if a else "hazards" if h else "none")
        for a, h in zip(has_acc, has_haz, strict=True)
    ]
    weights = pd.Series({k: config.weights.get(k) for k in FACTORS})
    scores = pd.DataFrame({k: _percentile_score(values[k]) for k in FACTORS})
    present = scores.notna() & (weights > 0)
    total_weight = present.mul(weights, axis=1).sum(axis=1)
    for k in FACTORS:
        out[f"{k}_value"] = values[k]
        out[f"{k}_score"] = scores[k]
        pts = (100 * scores[k] * weights[k] / total_weight).where(present[k] & (total_weight > 0))
        out[f"{k}_points"] = pts
    points = out[[f"{k}_points" for k in FACTORS]]
    out["score"] = points.sum(axis=1, min_count=1).where(total_weight > 0)
    score_levels, levels, rules, reasons = [], [], [], []
    for i in range(len(out)):
        score = out.at[i, "score"]
        if pd.isna(score):
            score_levels.append(NO_DATA)
            levels.append(NO_DATA)
            rules.append(None)
            reasons.append(_no_data_reasons(out.iloc[i]))
            continue
        base = config.level_for(float(score))
        level, rule = _apply_rules(_cap(base, num, i, config), num, i, str(f.at[i, "region_level"]), config)
        score_levels.append(base)
        levels.append(level)
        rules.append(rule)
        reasons.append(_reasons(out.iloc[i], num, values, i, rule, config, (base, level)))
    out["score_level"] = score_levels
    out["level"] = levels
    out["rule"] = rules
    out["reasons"] = reasons
    return out


def _factor_values(num: Mapping[str, pd.Series], config: RiskConfig) -> dict[str, pd.Series]:
    """The raw value of each factor; larger is worse; NA where the region has no data for it."""
    g_general, g_larger, g_major = config.grade_weights

    def weighted(suffix: str) -> pd.Series:
        acc, larger, major = (num[f"{c}{suffix}"] for c in ("accidents", "larger_accidents", "major_plus_accidents"))
        general = (acc - larger - major).clip(lower=0)
        return g_general * general + g_larger * larger + g_major * major

    cur_acc, prev_acc = weighted(""), weighted("_previous")
    harm, prev_harm = cur_acc + num["deaths"], prev_acc + num["deaths_previous"]
    trend = (harm - prev_harm) / prev_harm.clip(lower=config.trend_base)
    rate = num["rectified"] / num["found"].where(num["found"] > 0)
    return {
        "accidents": cur_acc,
        "deaths": num["deaths"],
        "trend": trend,
        "open_major": num["open_major"],
        "overdue": num["open_overdue"],
        "rectification": (1 - rate).clip(lower=0),
    }


def _percentile_score(values: pd.Series) -> pd.Series:
    """Mid-rank percentile among the values present (worst 1, best 0, ties equal, one alone 0.5); a
    value that is not bad at all (≤ 0) scores 0."""
    present = values.dropna()
    out = pd.Series(float("nan"), index=values.index)
    if present.empty:
        return out
    n = len(present)
    pct = (present.rank(method="average") - 1) / (n - 1) if n > 1 else pd.Series(0.5, index=present.index)
    out[present.index] = pct.where(present > 0, 0.0)
    return out


def _apply_rules(
    level: str, num: Mapping[str, pd.Series], i: int, region_level: str, config: RiskConfig
) -> tuple[str, str | None]:
    """The level after the overriding rules (which only raise it), and the rule that sets it — also
    when the score alone reaches that level, since the rule alone would have: it explains it best."""
    applicable: list[tuple[str, str]] = []  # (level, rule)
    limit = config.overdue_major_limit(region_level)
    overdue_major = num["open_major_overdue"].iat[i]
    if limit and not pd.isna(overdue_major) and overdue_major >= limit:
        applicable.append(("red", "overdue_major"))
    major_accidents = num["major_plus_accidents"].iat[i]
    if config.major_accident_level != "none" and not pd.isna(major_accidents) and major_accidents > 0:
        applicable.append((config.major_accident_level, "major_accident"))
    strongest = min(applicable, key=lambda a: _rank(a[0]), default=None)
    if strongest is None or _rank(strongest[0]) > _rank(level):
        return level, None
    return strongest


RED_DEATHS = 3  # deaths that can make a region red without a 较大 accident (Decree 493: a 较大 accident's least toll)


def _cap(level: str, num: Mapping[str, pd.Series], i: int, config: RiskConfig) -> str:
    """The score's level, lowered to what the region's own figures can bear: red only with a serious fact
    (a 较大-or-above accident, ``RED_DEATHS`` deaths or more — a 较大 accident's toll — or an open major
    hazard past its deadline), orange only with some harm (a death, or an open major hazard); else at most
    yellow. A rank among quiet siblings is no risk by itself:
    株洲 with 2 general accidents and no death, flat on last year, is not red because the others had none."""
    if not config.absolute_caps:
        return level

    def v(c: str) -> float:
        x = num[c].iat[i]
        return 0.0 if pd.isna(x) else float(x)

    if (
        v("larger_accidents") + v("major_plus_accidents") > 0
        or v("deaths") >= RED_DEATHS
        or v("open_major_overdue") > 0
    ):
        ceiling = "red"
    elif v("deaths") > 0 or v("open_major") > 0:
        ceiling = "orange"
    else:
        ceiling = "yellow"
    return ceiling if _rank(level) < _rank(ceiling) else level


# ---------------------------------------------------------------------------------------------- counts


def level_counts(index: pd.DataFrame) -> dict[str, int]:
    """How many regions at each level, most serious first, no_data last; every level is present."""
    if "level" not in index.columns:
        raise ValueError("level_counts needs the frame of risk_index() (a 'level' column)")
    counts = index["level"].value_counts()
    unknown = sorted(set(counts.index) - {*LEVELS, NO_DATA})
    if unknown:
        raise ValueError(f"unknown risk level {unknown[0]!r} (expected one of {', '.join((*LEVELS, NO_DATA))})")
    return {lv: int(counts.get(lv, 0)) for lv in (*LEVELS, NO_DATA)}
