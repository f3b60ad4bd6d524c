"""The Explorer's pivot (分析查询): which dimensions and measures exist, the wide table with its totals,
sorting, colours by meaning, and two periods side by side. Pure: frames in, frames out.

The input is ``store.explore_queries.pivot_cells``: one row per cell and per total (GROUPING SETS),
with the additive components of the kind. Rates are ratios of components of the same cell, so a
total's rate is the ratio of the totals (never an average of rates), and a zero denominator gives
None (shown "—"), never 0 % or 100 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.compare import Comparison, compare
from domain.accident_types import GB6441_TYPES
from domain.grading import GRADE_LABELS as ACCIDENT_GRADE_LABELS
from domain.grading import GRADE_ORDER
from domain.hazards import GRADE_LABELS as HAZARD_GRADE_LABELS
from domain.hazards import SOURCE_LABELS as HAZARD_SOURCE_LABELS
from domain.industries import BY_CODE, INDUSTRIES, industry_label
from domain.regions import load_regions, region_label

KINDS = ("accidents", "hazards")
MEASURES_COLUMNS = "measures"  # the columns of the pivot are a set of measures, not a dimension
TOTAL = "*"  # the key of a total row or column
NONE = ""  # a dimension's missing value (store.explore_queries.NONE_VALUE)
# The record columns the records can be sorted by (their SQL: store.explore_queries.SORT_SQL, same names).
RECORD_SORTS: dict[str, tuple[str, ...]] = {
    "accidents": (
        "occurred_at",
        "deaths",
        "direct_loss_wan",
        "injuries",
        "region_code",
        "industry",
        "enterprise",
        "grade",
    ),
    "hazards": (
        "found_date",
        "deadline",
        "rectified_date",
        "funds_wan",
        "region_code",
        "industry",
        "enterprise",
        "grade",
    ),
}

DIMENSIONS: dict[str, tuple[str, ...]] = {
    # Accident records carry no "source" (who found or reported an accident): that dimension is for hazards.
    "accidents": ("region", "industry", "grade", "accident_type", "month", "year"),
    "hazards": ("region", "industry", "grade", "category", "source", "month", "year"),
}
MEASURES: dict[str, tuple[str, ...]] = {
    "accidents": ("count", "deaths", "serious_injuries", "injuries", "loss"),
    "hazards": (
        "count",
        "major",
        "rectified",
        "open",
        "overdue",
        "closed",
        "funds",
        "rectification_rate",
        "major_rectification_rate",
        "closure_rate",
    ),
}
DEFAULT_MEASURES: dict[str, tuple[str, ...]] = {
    "accidents": ("count", "deaths", "serious_injuries", "loss"),
    "hazards": ("count", "major", "rectification_rate", "overdue"),
}
# rate → (numerator, denominator) components
RATES: dict[str, tuple[str, str]] = {
    "rectification_rate": ("rectified", "count"),
    "major_rectification_rate": ("major_rectified", "major"),
    "closure_rate": ("closed", "count"),
}
# A sum whose records all lack the value is unknown (—), not zero: sum → its count of known values.
KNOWN: dict[str, str] = {"loss": "loss_known", "funds": "funds_known"}

# Colour by meaning (DOMAIN.md): more accidents, deaths, open or overdue hazards is bad (red); a higher
# rate is good (green, and a low one red); hazards found, rectified or funds spent are neither.
BAD, GOOD, NEUTRAL = "bad", "good", "neutral"
MEANING: dict[str, str] = {
    "count@accidents": BAD,
    "deaths": BAD,
    "serious_injuries": BAD,
    "injuries": BAD,
    "loss": BAD,
    "count@hazards": NEUTRAL,
    "major": BAD,
    "rectified": NEUTRAL,
    "open": BAD,
    "overdue": BAD,
    "closed": NEUTRAL,
    "funds": NEUTRAL,
    "rectification_rate": GOOD,
    "major_rectification_rate": GOOD,
    "closure_rate": GOOD,
}

KIND_LABELS = {"accidents": ("事故", "Accidents"), "hazards": ("隐患", "Hazards")}
DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "region": ("地区", "Region"),
    "industry": ("行业领域", "Industry"),
    "grade": ("等级", "Grade"),
    "accident_type": ("事故类型", "Accident type"),
    "category": ("隐患类别", "Hazard category"),
    "source": ("隐患来源", "Source"),
    "month": ("月份", "Month"),
    "year": ("年度", "Year"),
    MEASURES_COLUMNS: ("指标（多项）", "Measures"),
}
MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "count@accidents": ("事故起数", "Accidents"),
    "deaths": ("死亡人数（含失踪）", "Deaths (incl. missing)"),
    "serious_injuries": ("重伤人数", "Serious injuries"),
    "injuries": ("轻伤人数", "Minor injuries"),
    "loss": ("直接经济损失（万元）", "Direct loss (10k yuan)"),
    "count@hazards": ("隐患数", "Hazards found"),
    "major": ("重大隐患数", "Major hazards"),
    "rectified": ("已整改", "Rectified"),
    "open": ("未整改", "Open"),
    "overdue": ("超期未整改", "Open and overdue"),
    "closed": ("验收销号", "Accepted and closed"),
    "funds": ("治理资金（万元）", "Funds (10k yuan)"),
    "rectification_rate": ("整改率", "Rectification rate"),
    "major_rectification_rate": ("重大隐患整改率", "Major-hazard rectification rate"),
    "closure_rate": ("销号率", "Closure rate"),
}
HAZARD_SOURCES = ("self_inspection", "gov_inspection", "report", "expert")
ACCIDENT_TYPE_EN = dict(
    zip(
        GB6441_TYPES,
        (
            "struck by object",
            "vehicle injury",
            "machinery injury",
            "lifting injury",
            "electrocution",
            "drowning",
            "burns and scalds",
            "fire",
            "fall from height",
            "collapse",
            "roof and wall fall",
            "water inrush",
            "blasting",
            "explosives explosion",
            "gas explosion",
            "boiler explosion",
            "vessel explosion",
            "other explosion",
            "poisoning and asphyxiation",
            "other injury",
        ),
        strict=True,
    )
)


def _key(measure: str, kind: str) -> str:
    return f"{measure}@{kind}" if measure == "count" else measure


def measure_label(measure: str, kind: str, lang: str) -> str:
    zh, en = MEASURE_LABELS[_key(measure, kind)]
    return zh if lang == "zh" else en


def meaning(measure: str, kind: str) -> str:
    return MEANING[_key(measure, kind)]


def is_rate(measure: str) -> bool:
    return measure in RATES


def value_label(kind: str, dim: str, value: str, lang: str, region: str | None = None) -> str:
    """The name of a dimension's value: 长沙市 / 'Changsha 长沙市', 煤矿 / 'coal mines', 2024-03 …
    A value equal to the selected ``region`` is the rows filed at the region itself (本级)."""
    if value == TOTAL:
        return "合计" if lang == "zh" else "Total"
    if value == NONE or value is None:
        return "（未填写）" if lang == "zh" else "(blank)"
    if dim == "region":
        if value not in load_regions():
            return value
        name = region_label(value, lang)
        if value == region and load_regions()[value].level != "county":
            return name + ("（本级）" if lang == "zh" else " (itself)")
        return name
    if dim == "industry":
        return industry_label(value, lang) if value in BY_CODE else value
    if dim == "grade":
        table = ACCIDENT_GRADE_LABELS if kind == "accidents" else HAZARD_GRADE_LABELS
        return table[value][lang != "zh"] if value in table else value
    if dim == "accident_type":
        return value if lang == "zh" else f"{ACCIDENT_TYPE_EN.get(value, value)} {value}"
    if dim == "source":
        return HAZARD_SOURCE_LABELS[value][lang != "zh"] if value in HAZARD_SOURCE_LABELS else value
    return value  # category (free text from the ledgers), month, year


def natural_order(kind: str, dim: str, values: list[str]) -> list[str]:
    """A dimension's values in their own order: regions by code, industries and accident types as
    listed officially, grades by severity, months and years by time, the blank last."""
    if dim == "industry":
        rank = {i.code: n for n, i in enumerate(INDUSTRIES)}
    elif dim == "grade":
        rank = {str(g): n for n, g in enumerate(GRADE_ORDER)} if kind == "accidents" else {"general": 0, "major": 1}
    elif dim == "accident_type":
        rank = {t: n for n, t in enumerate(GB6441_TYPES)}
    elif dim == "source":
        rank = {s: n for n, s in enumerate(HAZARD_SOURCES)}
    else:
        rank = {}
    big = len(rank) + 1
    return sorted(values, key=lambda v: (v == NONE, rank.get(v, big), v))


# ---------------------------------------------------------------- values of a cell


def with_rates(cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The components plus the measures of ``kind``: rates (None where the denominator is 0) and sums
    that are unknown where no record had the value (None, not 0)."""
    out = cells.copy()
    for m in MEASURES[kind]:
        if m in RATES:
            num, den = RATES[m]
            d = out[den].astype("float64")
            out[m] = (out[num].astype("float64") / d).where(d > 0)
        elif m in KNOWN:
            out[m] = out[m].astype("float64").where(out[KNOWN[m]] > 0)
        else:
            out[m] = out[m].astype("float64")
    return out


@dataclass(frozen=True)
class Pivot:
    """A pivot ready to show: ``values`` has one row per row key and a last row ``TOTAL``; its columns
    are the column dimension's values and a last column ``TOTAL`` (a dimension), or the measures."""

    kind: str
    rows: str
    cols: str  # a dimension or MEASURES_COLUMNS
    measures: tuple[str, ...]  # one measure when ``cols`` is a dimension
    values: pd.DataFrame  # index: row keys + TOTAL; columns: col keys (+ TOTAL)

    @property
    def row_keys(self) -> list[str]:
        return [k for k in self.values.index if k != TOTAL]

    @property
    def col_keys(self) -> list[str]:
        return [k for k in self.values.columns if k != TOTAL]

    def measure_of(self, col_key: str) -> str:
        """The measure a column shows."""
        return col_key if self.cols == MEASURES_COLUMNS else self.measures[0]

    def cell_filter(self, row_key: str, col_key: str) -> dict[str, str]:
        """The dimension filters of a cell (a total leaves its dimension out)."""
        f: dict[str, str] = {}
        if row_key != TOTAL:
            f[self.rows] = row_key
        if self.cols != MEASURES_COLUMNS and col_key != TOTAL:
            f[self.cols] = col_key
        return f


def build_pivot(
    cells: pd.DataFrame,
    kind: str,
    rows: str,
    cols: str,
    measures: tuple[str, ...] | list[str],
    sort: str = "natural",
    descending: bool = False,
) -> Pivot:
    """The wide table of ``cells`` (``store.explore_queries.pivot_cells``), sorted (see :func:`sort_rows`)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    measures = tuple(measures)
    unknown = [m for m in measures if m not in MEASURES[kind]]
    if not measures or unknown:
        raise ValueError(f"measures of {kind} are {', '.join(MEASURES[kind])}, got {measures!r}")
    v = with_rates(cells, kind)
    v["row"] = v["row"].where(~v["row_total"], TOTAL).fillna(NONE).astype(str)
    if cols == MEASURES_COLUMNS:
        body = v[v["col_total"]].set_index("row")[list(measures)]
        keys = [k for k in body.index if k != TOTAL]
        values = body.reindex([*natural_order(kind, rows, keys), TOTAL])
    else:
        if cols not in DIMENSIONS[kind] or cols == rows:
            raise ValueError(f"columns must be another dimension of {kind} or {MEASURES_COLUMNS!r}, got {cols!r}")
        measures = measures[:1]
        v["col"] = v["col"].where(~v["col_total"], TOTAL).fillna(NONE).astype(str)
        wide = v.pivot(index="row", columns="col", values=measures[0])
        row_keys = natural_order(kind, rows, [k for k in wide.index if k != TOTAL])
        col_keys = natural_order(kind, cols, [k for k in wide.columns if k != TOTAL])
        values = wide.reindex(index=[*row_keys, TOTAL], columns=[*col_keys, TOTAL])
        if not is_rate(measures[0]):  # a cell without any record: 0 (a sum nobody recorded stays unknown)
            present = v.pivot(index="row", columns="col", values="count").reindex_like(values).notna()
            values = values.mask(~present, 0.0)
    values.index.name, values.columns.name = None, None
    pivot = Pivot(kind, rows, cols, measures, values.astype("float64"))
    return sort_rows(pivot, sort, descending)


def sort_key_of(pivot: Pivot, sort: str) -> str:
    """The column a sort key means: 'natural', 'total' (a dimension's row totals; the first measure),
    or a measure shown (falls back to the totals / first measure if not shown)."""
    if sort == "natural":
        return sort
    if pivot.cols == MEASURES_COLUMNS:
        return sort if sort in pivot.measures else pivot.measures[0]
    return TOTAL


def sort_rows(pivot: Pivot, sort: str = "natural", descending: bool = False) -> Pivot:
    """Rows in natural order or by a column's value (ties in natural order; unknown values last);
    the total row stays last."""
    key = sort_key_of(pivot, sort)
    keys = natural_order(pivot.kind, pivot.rows, pivot.row_keys)
    if descending and key == "natural":
        keys = keys[::-1]
    elif key != "natural":
        pos = {k: n for n, k in enumerate(keys)}
        col = pivot.values[key]
        known = sorted((k for k in keys if pd.notna(col[k])), key=lambda k: (-col[k] if descending else col[k], pos[k]))
        keys = known + [k for k in keys if pd.isna(col[k])]
    return Pivot(pivot.kind, pivot.rows, pivot.cols, pivot.measures, pivot.values.reindex([*keys, TOTAL]))


# ---------------------------------------------------------------- colours by meaning

RED, GREEN, SLATE = (198, 40, 40), (46, 125, 50), (71, 85, 105)
MAX_ALPHA = 0.55


def cell_colour(
    value: float | None, lo: float | None, hi: float | None, meaning_: str, mid: float | None = None
) -> str | None:
    """The background of a cell: for a bad measure, red deepening from 0 to the largest cell; for a
    neutral one, slate the same way; for a good one (a rate), green above ``mid`` (the total's rate: how
    the whole does; else the middle of the cells' range) and red below it, deepening towards the best and
    the worst cell (by the square root of the distance, so that one outlier — a rate of 0 % from a single
    hazard — does not wash every other cell out). None: no colour (unknown value, nothing to compare, a
    zero of a bad measure, exactly the middle)."""
    if value is None or pd.isna(value) or hi is None or pd.isna(hi):
        return None
    if meaning_ in (BAD, NEUTRAL):
        if hi <= 0 or value <= 0:
            return None
        share = min(1.0, value / hi)
        rgb = RED if meaning_ == BAD else SLATE
        return f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {round(0.08 + (MAX_ALPHA - 0.08) * share, 3)})"
    if meaning_ != GOOD:
        raise ValueError(f"meaning must be {BAD}, {GOOD} or {NEUTRAL}, got {meaning_!r}")
    if lo is None or pd.isna(lo) or hi <= lo:
        return None
    centre = (lo + hi) / 2 if mid is None or pd.isna(mid) else min(max(mid, lo), hi)
    if value > centre:
        x = (value - centre) / (hi - centre)
    elif value < centre:
        x = -(centre - value) / (centre - lo)
    else:
        return None
    rgb = GREEN if x > 0 else RED
    return f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {round(MAX_ALPHA * min(1.0, abs(x)) ** 0.5, 3)})"


def colours(pivot: Pivot) -> pd.DataFrame:
    """A CSS ``background-color`` for every cell of ``pivot.values`` ('' for none). The scale is over the
    body cells (totals are not coloured and do not stretch it); for a set of measures, per column."""
    out = pd.DataFrame("", index=pivot.values.index, columns=pivot.values.columns)
    body_rows = pivot.row_keys
    if pivot.cols == MEASURES_COLUMNS:
        groups = [([c], pivot.measure_of(c)) for c in pivot.col_keys]
    else:
        groups = [(pivot.col_keys, pivot.measures[0])]
    for cols, m in groups:
        body = pivot.values.loc[body_rows, cols].to_numpy(dtype="float64")
        finite = body[np.isfinite(body)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (None, None)
        mid = pivot.values.at[TOTAL, cols[0] if len(cols) == 1 else TOTAL]  # the whole's rate
        for r in body_rows:
            for c in cols:
                colour = cell_colour(pivot.values.at[r, c], lo, hi, meaning(m, pivot.kind), mid)
                if colour:
                    out.at[r, c] = f"background-color: {colour}"
    return out


# ---------------------------------------------------------------- two periods side by side


def time_keys(dim: str, first_month: str, last_month: str) -> list[str]:
    """The months (YYYY-MM) or years (YYYY) of a period, in order: the rows of a period by time."""
    from domain.periods import month_count, shift_month

    months = [shift_month(first_month, i) for i in range(month_count(first_month, last_month))]
    if dim == "month":
        return months
    if dim == "year":
        return list(dict.fromkeys(m[:4] for m in months))
    raise ValueError(f"only month and year are time dimensions, got {dim!r}")


def compare_periods(
    cells_a: pd.DataFrame | None,
    cells_b: pd.DataFrame | None,
    kind: str,
    rows: str,
    measures: tuple[str, ...] | list[str],
    sort: str = "natural",
    descending: bool = False,
    align: tuple[list[str], list[str]] | None = None,
) -> pd.DataFrame:
    """Period A and period B side by side by ``rows`` (``pivot_cells`` with no column dimension of
    each; None: that period has no data — before the records begin — and every comparison with it is
    insufficient data). One row per row key (either period) and a last row TOTAL; for each measure the
    columns ``<m>_a``, ``<m>_b``, ``<m>_change`` (B − A; for a rate in percentage points), ``<m>_pct``
    (None from zero, and for a rate) and ``<m>_state`` (analytics.compare.State). Records absent in a
    covered period count 0 (a rate: no denominator, None).

    Rows by time (month, year) differ between two periods: ``align`` = (A's keys, B's keys)
    (:func:`time_keys`) pairs them by position — A's first month with B's first month — and the row key
    is ``"<a>~<b>"`` (``""`` on the shorter side)."""
    measures = tuple(measures)

    def side(cells: pd.DataFrame | None) -> pd.DataFrame | None:
        if cells is None:
            return None
        v = with_rates(cells, kind)
        v["row"] = v["row"].where(~v["row_total"], TOTAL).fillna(NONE).astype(str)
        return v[v["col_total"]].set_index("row")

    a, b = side(cells_a), side(cells_b)
    if align is not None:
        ka, kb = list(align[0]), list(align[1])
        n = max(len(ka), len(kb))
        ka, kb = ka + [NONE] * (n - len(ka)), kb + [NONE] * (n - len(kb))
        keys = [*(f"{x}~{y}" for x, y in zip(ka, kb, strict=True)), TOTAL]
        own_a, own_b = [*ka, TOTAL], [*kb, TOTAL]
    else:
        present = set().union(*(set(x.index) for x in (a, b) if x is not None)) - {TOTAL}
        keys = [*natural_order(kind, rows, sorted(present)), TOTAL]
        own_a = own_b = keys
    out = pd.DataFrame(index=keys)

    def values(x: pd.DataFrame | None, own: list[str], m: str) -> list[float | None]:
        if x is None:
            return [None] * len(keys)
        col = x[m].reindex(own)
        if not is_rate(m):  # no record in the period: 0 (a sum nobody recorded stays unknown)
            col = col.mask(x["count"].reindex(own).isna(), 0.0)
        # a position the period does not have (the shorter period of two aligned by time) has no value
        gap = align is not None
        return [None if (pd.isna(val) or (gap and k == NONE)) else float(val) for k, val in zip(own, col, strict=True)]

    for m in measures:
        va, vb = values(a, own_a, m), values(b, own_b, m)
        comps: list[Comparison] = [compare(y, x) for x, y in zip(va, vb, strict=True)]
        out[f"{m}_a"] = pd.array(va, dtype="Float64")
        out[f"{m}_b"] = pd.array(vb, dtype="Float64")
        out[f"{m}_change"] = pd.array([c.change for c in comps], dtype="Float64")
        out[f"{m}_pct"] = pd.array([None if is_rate(m) else c.change_pct for c in comps], dtype="Float64")
        out[f"{m}_state"] = [str(c.state) for c in comps]
    if sort != "natural" or descending:
        body = [k for k in keys if k != TOTAL]
        m = sort if sort in measures else measures[0]
        if sort == "natural":
            body = body[::-1]
        else:
            col = out[f"{m}_b"]
            pos = {k: n for n, k in enumerate(body)}
            known = sorted(
                (k for k in body if pd.notna(col[k])), key=lambda k: (-col[k] if descending else col[k], pos[k])
            )
            body = known + [k for k in body if pd.isna(col[k])]
        out = out.reindex([*body, TOTAL])
    return out


def comparison_of(row: Mapping[str, object], measure: str) -> Comparison:
    """The Comparison of one measure on one row of :func:`compare_periods` (for i18n's formatters)."""
    from analytics.compare import State

    def f(x: object) -> float | None:
        return None if x is None or pd.isna(x) else float(x)  # type: ignore[arg-type]

    return Comparison(
        f(row[f"{measure}_b"]),
        f(row[f"{measure}_a"]),
        f(row[f"{measure}_change"]),
        f(row[f"{measure}_pct"]),
        State(str(row[f"{measure}_state"])),
    )
