"""The risk index in words, in both languages: the levels' and factors' names, why each region is where it
is (:func:`reasons_text`), the counts of levels and the method with the weights and thresholds in force."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

# The configuration is an analytics.risk.RiskConfig (weights, thresholds, rules), read by its fields; not
# imported, as risk imports these words (no circle, even for the type checker).
RiskConfig = Any

LEVELS = ("red", "orange", "yellow", "blue")  # 重大 / 较大 / 一般 / 低风险, most serious first
NO_DATA = "no_data"
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "red": ("重大风险", "major risk"),
    "orange": ("较大风险", "significant risk"),
    "yellow": ("一般风险", "general risk"),
    "blue": ("低风险", "low risk"),
    NO_DATA: ("无数据", "no data"),
}
FACTORS = ("accidents", "deaths", "trend", "open_major", "overdue", "rectification")
FACTOR_LABELS: dict[str, tuple[str, str]] = {
    "accidents": ("事故（按等级加权）", "accidents (weighted by grade)"),
    "deaths": ("死亡人数", "deaths"),
    "trend": ("同比变化", "change on last year"),
    "open_major": ("未整改重大隐患", "open major hazards"),
    "overdue": ("超期未整改隐患", "overdue hazards"),
    "rectification": ("隐患整改率", "rectification rate"),
}


def _rank(level: str) -> int:
    return LEVELS.index(level)


# ---------------------------------------------------------------------------------------------- words


def _n(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _en(x: float, word: str, plural: str | None = None) -> str:
    """'1 death', '3 deaths', '1 open major hazard'."""
    return f"{_n(x)} {word if x == 1 else (plural or word + 's')}"


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _reason(factor: str, zh: str, en: str) -> dict[str, str]:
    return {"factor": factor, "zh": zh, "en": en}


def _reasons(
    row: pd.Series,
    num: Mapping[str, pd.Series],
    values: Mapping[str, pd.Series],
    i: int,
    rule: str | None,
    config: RiskConfig,
    levels: tuple[str, str] | None = None,
) -> tuple[dict[str, str], ...]:
    """What put the region at its level (``levels``: the score's level and the level given)."""
    out: list[dict[str, str]] = []
    if rule == "overdue_major":
        n = int(num["open_major_overdue"].iat[i])
        region_level = str(row["region_level"])
        limit = config.overdue_major_limit(region_level)
        zh_level = {"province": "省", "city": "市", "county": "县"}[region_level]
        out.append(
            _reason(
                "overdue_major",
                f"重大隐患超期未整改 {n} 项（{zh_level}级达 {limit} 项即为重大风险）",
                f"{_en(n, 'open major hazard')} past the deadline (red from {limit} for a {region_level})",
            )
        )
    elif rule == "major_accident":
        n = int(num["major_plus_accidents"].iat[i])
        zh_to, en_to = LEVEL_LABELS[config.major_accident_level]
        out.append(
            _reason(
                "major_accident",
                f"发生重特大事故 {n} 起（发生即为{zh_to}）",
                f"{_en(n, 'major-or-above accident')} (at least {en_to})",
            )
        )
    if levels is not None and rule is None and _rank(levels[1]) > _rank(levels[0]):
        zh_to, en_to = LEVEL_LABELS[levels[1]]
        zh_was, en_was = LEVEL_LABELS[levels[0]]
        why_zh, why_en = (
            (
                "无较大及以上事故、死亡不足3人、无超期重大隐患",
                "no 较大-or-above accident, fewer than 3 deaths and no overdue major hazard",
            )
            if levels[1] == "orange"
            else (
                "无死亡、无较大及以上事故、无在治重大隐患",
                "no death, no 较大-or-above accident and no open major hazard",
            )
        )
        out.append(
            _reason(
                "capped",
                f"评分居同级前列（{zh_was}），但{why_zh}，定为{zh_to}",
                f"scored among the worst of its siblings ({en_was}), but {why_en}: {en_to}",
            )
        )
    ranked = sorted(
        (k for k in FACTORS if not pd.isna(row[f"{k}_points"]) and row[f"{k}_points"] > 0),
        key=lambda k: -row[f"{k}_points"],
    )
    for k in ranked[:3]:
        rank, of = _rank_among(values[k], i)
        zh, en = _factor_words(k, num, i)
        pts = row[f"{k}_points"]
        out.append(
            _reason(
                k, f"{zh}，同级第 {rank}/{of}（{pts:.0f} 分）", f"{en}, {_ordinal(rank)} of {of} ({pts:.0f} points)"
            )
        )
    reports = row.get("hazard_reports")
    if pd.isna(num["open_major"].iat[i]) and pd.notna(reports) and bool(reports):
        out.append(
            _reason(
                "hazard_reports",
                "隐患按月报表报送，无逐项台账，在治、超期隐患和整改率因素未计入",
                "hidden dangers sent as monthly reports, no records: hazard factors left out",
            )
        )
    elif pd.isna(num["open_major"].iat[i]):
        out.append(
            _reason("no_hazard_data", "无隐患台账数据，隐患因素未计入", "no hazard records: hazard factors left out")
        )
    elif pd.isna(values["rectification"].iat[i]) and config.weights.rectification > 0:
        out.append(
            _reason(
                "no_rectification_rate",
                "本期未发现隐患，整改率未计入",
                "no hazard found in the period: rectification rate left out",
            )
        )
    if pd.isna(num["accidents"].iat[i]):
        out.append(
            _reason(
                "no_accident_data",
                "无事故数据（台账或统计报表未覆盖本期），事故因素未计入",
                "no accident data (no records or statistics cover the period): accident factors left out",
            )
        )
    elif pd.isna(num["accidents_previous"].iat[i]) and config.weights.trend > 0:
        out.append(
            _reason(
                "no_previous_data",
                "去年同期无数据，同比变化未计入",
                "no data for the same period last year: trend left out",
            )
        )
    if not ranked and not rule:
        out.insert(0, _reason("none", "各项因素均无风险表现", "no factor shows any risk"))
    return tuple(out)


def _no_data_reasons(row: pd.Series) -> tuple[dict[str, str], ...]:
    if row["data"] == "none":
        return (_reason("no_data", "无事故数据和隐患数据，不作风险评级", "no accident or hazard data: not graded"),)
    return (
        _reason(
            "no_data", "有数据的因素权重均为零，不作风险评级", "every factor with data has a weight of zero: not graded"
        ),
    )


def _rank_among(values: pd.Series, i: int) -> tuple[int, int]:
    present = values.dropna()
    return int((present > values.iat[i]).sum()) + 1, len(present)


def _factor_words(k: str, num: Mapping[str, pd.Series], i: int) -> tuple[str, str]:
    def v(c: str) -> float:
        return float(num[c].iat[i])

    if k == "accidents":
        return (
            f"事故 {_n(v('accidents'))} 起（较大 {_n(v('larger_accidents'))}、重特大 {_n(v('major_plus_accidents'))}）",
            f"{_en(v('accidents'), 'accident')} ({_n(v('larger_accidents'))} larger, "
            f"{_n(v('major_plus_accidents'))} major or above)",
        )
    if k == "deaths":
        return f"死亡 {_n(v('deaths'))} 人", _en(v("deaths"), "death")
    if k == "trend":
        return (
            f"同比上升：事故 {_n(v('accidents'))} 起（去年 {_n(v('accidents_previous'))}），"
            f"死亡 {_n(v('deaths'))} 人（去年 {_n(v('deaths_previous'))}）",
            f"up on last year: {_en(v('accidents'), 'accident')} (last year {_n(v('accidents_previous'))}), "
            f"{_en(v('deaths'), 'death')} ({_n(v('deaths_previous'))})",
        )
    if k == "open_major":
        return f"未整改重大隐患 {_n(v('open_major'))} 项", _en(v("open_major"), "open major hazard")
    if k == "overdue":
        return (
            f"超期未整改隐患 {_n(v('open_overdue'))} 项（其中重大 {_n(v('open_major_overdue'))} 项）",
            f"{_en(v('open_overdue'), 'overdue hazard')} ({_n(v('open_major_overdue'))} major)",
        )
    rate = 100 * v("rectified") / v("found")
    return (
        f"整改率 {rate:.1f}%（发现 {_n(v('found'))} 项，已整改 {_n(v('rectified'))} 项）",
        f"rectification rate {rate:.1f}% ({_n(v('rectified'))} of {_n(v('found'))} rectified)",
    )


def reasons_text(reasons: tuple[dict[str, str], ...], lang: str = "zh") -> str:
    """The reasons of one region as one line for a tooltip."""
    return ("；" if lang == "zh" else "; ").join(r[lang] for r in reasons)


def level_counts_text(counts: Mapping[str, int], lang: str = "zh") -> str:
    """'重大风险 2 个，较大风险 5 个，一般风险 6 个，低风险 1 个，无数据 3 个' or
    'red 2, orange 5, yellow 6, blue 1, no data 3' (no data only when there is some)."""
    keys = [lv for lv in (*LEVELS, NO_DATA) if lv != NO_DATA or counts.get(NO_DATA, 0)]
    if lang == "zh":
        return "，".join(f"{LEVEL_LABELS[k][0]} {counts.get(k, 0)} 个" for k in keys)
    return ", ".join(f"{'no data' if k == NO_DATA else k} {counts.get(k, 0)}" for k in keys)


def method_markdown(config: RiskConfig, lang: str = "zh") -> str:
    """The method, with the weights and thresholds in force, for the page's collapsible panel."""
    w = config.weights
    total = sum(w.get(k) for k in FACTORS)
    red, orange, yellow = (f"{x:g}" for x in config.thresholds)
    g1, g2, g3 = (f"{x:g}" for x in config.grade_weights)
    rp, rc, rco = config.red_overdue_major
    idx = 0 if lang == "zh" else 1
    rows = "\n".join(f"| {FACTOR_LABELS[k][idx]} | {w.get(k):g} | {100 * w.get(k) / total:.0f}% |" for k in FACTORS)
    rule_level = LEVEL_LABELS[config.major_accident_level][idx] if config.major_accident_level != "none" else None
    if lang == "zh":
        rules = [f"- 超期未整改的重大隐患：省 ≥ {rp:g}、市 ≥ {rc:g}、县 ≥ {rco:g} 项即为重大风险（0 为不适用）。"]
        if rule_level:
            rules.append(f"- 本期发生重特大事故的地区至少为{rule_level}。")
        return "\n".join(
            [
                "风险指数（0–100）由下表各因素加权得出。每个因素在同级地区中按百分位排名：最差为 1，最好为 0，"
                "毫无风险表现（无死亡、未上升、全部整改）的为 0。",
                "",
                "| 因素 | 权重 | 占比 |",
                "|---|---|---|",
                rows,
                "",
                f"事故按等级加权：一般 ×{g1}，较大 ×{g2}，重特大 ×{g3}。同比变化以（加权事故 + 死亡）计，"
                f"基数不足 {config.trend_base:g} 时按 {config.trend_base:g} 计。",
                f"分级：≥ {red} 重大风险（红），≥ {orange} 较大风险（橙），≥ {yellow} 一般风险（黄），其余低风险（蓝）；"
                "无事故和隐患数据的地区为灰色，不作评级。缺少数据的因素不计入，其余权重按比例放大。",
                "",
                "以下情形直接提级：",
                *rules,
            ]
        )
    rules = [
        f"- open major hazards past their deadline: a province with {rp:g}, a city with {rc:g}, a county "
        f"with {rco:g} or more is red (0: no rule)."
    ]
    if rule_level:
        rules.append(f"- a region with a major-or-above (重特大) accident in the period is at least {rule_level}.")
    return "\n".join(
        [
            "The risk index (0–100) weighs the factors below. Each factor is ranked among the sibling regions "
            "(mid-rank percentile: the worst 1, the best 0); a region that is not bad at all on a factor "
            "(no deaths, no rise, everything rectified) scores 0 on it.",
            "",
            "| factor | weight | share |",
            "|---|---|---|",
            rows,
            "",
            f"Accidents are weighted by grade: general ×{g1}, larger ×{g2}, major or above ×{g3}. The change on "
            f"last year is of weighted accidents plus deaths, on a base of at least {config.trend_base:g}.",
            f"Levels: ≥ {red} major risk (red), ≥ {orange} significant (orange), ≥ {yellow} general (yellow), "
            "else low (blue); a region with neither accident nor hazard data is grey and not graded. A factor "
            "without data is left out and the other weights are scaled up.",
            "",
            "These raise the level whatever the score:",
            *rules,
        ]
    )
