"""The Explorer's configuration and its URL form, beside the sidebar's filters (links/filters.py). Pure.

``?ex_kind=accidents&ex_rows=industry&ex_cols=grade&ex_measure=deaths`` reopens the same pivot. Every
parameter starts with ``ex_`` and only what differs from the defaults is written, so links stay short.
Parsing is strict like the sidebar's: a bad value falls back to its default with a notice in both
languages, and never raises.

| parameter | values | default |
|---|---|---|
| ``ex_kind`` | ``accidents``, ``hazards`` | ``accidents`` |
| ``ex_rows`` | a dimension of the kind (``analytics.pivot.DIMENSIONS``) | ``region`` |
| ``ex_cols`` | another dimension, or ``measures`` | ``measures`` |
| ``ex_measure`` | measures, comma-separated (with a column dimension only the first is shown) | by kind |
| ``ex_sort`` | ``natural``, ``total`` or a measure; ``-`` in front: descending | ``natural`` |
| ``ex_cell`` | the cell whose records are listed: ``<row>~<col>``, ``*`` for a total, ``_`` for a blank | none |
| ``ex_q`` | a search over enterprise and description | none |
| ``ex_rsort`` | the records' sort column, ``-`` in front: descending | the date, descending |
| ``ex_a``, ``ex_b`` | the two periods compared (``2024-Q1``, ``2025-03``, ``2024``, ``2024-01..2024-06``) | the same period last year, the sidebar's period |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from analytics.pivot import DEFAULT_MEASURES, DIMENSIONS, KINDS, MEASURES, MEASURES_COLUMNS, NONE, RECORD_SORTS, TOTAL
from links.filters import FIRST_YEAR, Notice, one

PREFIX = "ex_"
PARAMS = ("ex_kind", "ex_rows", "ex_cols", "ex_measure", "ex_sort", "ex_cell", "ex_q", "ex_rsort", "ex_a", "ex_b")
CELL_SEP = "~"
BLANK = "_"  # a dimension's blank value in a link
MAX_SEARCH = 100
DEFAULT_RECORD_SORT = {"accidents": "occurred_at", "hazards": "found_date"}


@dataclass(frozen=True)
class ExplorerConfig:
    kind: str = "accidents"
    rows: str = "region"
    cols: str = MEASURES_COLUMNS
    measures: tuple[str, ...] = DEFAULT_MEASURES["accidents"]
    sort: str = "natural"
    descending: bool = False
    cell: tuple[str, str] | None = None  # (row key, column key) of analytics.pivot.Pivot; TOTAL for a total
    search: str = ""
    record_sort: str = "occurred_at"
    record_descending: bool = True
    period_a: str | None = None  # None: the same period last year
    period_b: str | None = None  # None: the sidebar's period

    @classmethod
    def default(cls, kind: str = "accidents") -> ExplorerConfig:
        return cls(kind=kind, measures=DEFAULT_MEASURES[kind], record_sort=DEFAULT_RECORD_SORT[kind])

    def to_query(self) -> dict[str, str]:
        """The ``ex_`` parameters that differ from the defaults of the kind."""
        d = ExplorerConfig.default(self.kind)
        q: dict[str, str] = {}
        if self.kind != "accidents":
            q["ex_kind"] = self.kind
        if self.rows != d.rows:
            q["ex_rows"] = self.rows
        if self.cols != d.cols:
            q["ex_cols"] = self.cols
        if self.measures != d.measures:
            q["ex_measure"] = ",".join(self.measures)
        if (self.sort, self.descending) != (d.sort, d.descending):
            q["ex_sort"] = ("-" if self.descending else "") + self.sort
        if self.cell is not None:
            q["ex_cell"] = CELL_SEP.join(_link_value(v) for v in self.cell)
        if self.search:
            q["ex_q"] = self.search
        if (self.record_sort, self.record_descending) != (d.record_sort, d.record_descending):
            q["ex_rsort"] = ("-" if self.record_descending else "") + self.record_sort
        if self.period_a:
            q["ex_a"] = self.period_a
        if self.period_b:
            q["ex_b"] = self.period_b
        return q

    def update(self, name: str, value: object) -> ExplorerConfig:
        """The configuration after one control changed. A change of what the pivot shows (kind, rows,
        columns, measures) forgets the selected cell; sorting keeps it (a cell is keys, not positions).
        A value that does not fit leaves the configuration as it was."""
        kind = self.kind
        if name == "kind":
            return self.switch_kind(str(value)) if value in KINDS else self
        if name == "rows":
            if value not in DIMENSIONS[kind]:
                return self
            cols = MEASURES_COLUMNS if self.cols == value else self.cols
            return replace(self, rows=str(value), cols=cols, cell=None)
        if name == "cols":
            if value not in (*DIMENSIONS[kind], MEASURES_COLUMNS) or value == self.rows:
                return self
            return replace(self, cols=str(value), cell=None)
        if name == "measure":  # the one measure shown against a column dimension: first of the set
            if value not in MEASURES[kind]:
                return self
            return replace(self, measures=(str(value), *(m for m in self.measures if m != value)), cell=None)
        if name == "measures":
            chosen = tuple(m for m in dict.fromkeys(value or ()) if m in MEASURES[kind])  # type: ignore[call-overload]
            return replace(self, measures=chosen, cell=None) if chosen else self
        if name == "sort":
            return replace(self, sort=str(value)) if value in ("natural", "total", *MEASURES[kind]) else self
        if name == "descending":
            return replace(self, descending=bool(value))
        if name == "cell":
            return replace(self, cell=None if value is None else (str(value[0]), str(value[1])))  # type: ignore[index]
        if name == "search":
            return replace(self, search=str(value or "").strip()[:MAX_SEARCH])
        if name == "record_sort":
            return replace(self, record_sort=str(value)) if value in RECORD_SORTS[kind] else self
        if name == "record_descending":
            return replace(self, record_descending=bool(value))
        if name in ("period_a", "period_b"):
            return replace(self, **{name: str(value) if value else None})
        raise ValueError(f"unknown Explorer setting {name!r}")

    def switch_kind(self, kind: str) -> ExplorerConfig:
        """The same view of another kind: what the new kind has is kept, the rest is its default."""
        if kind == self.kind:
            return self
        d = ExplorerConfig.default(kind)
        rows = self.rows if self.rows in DIMENSIONS[kind] else d.rows
        cols = self.cols if self.cols in (*DIMENSIONS[kind], MEASURES_COLUMNS) and self.cols != rows else d.cols
        if cols == rows:
            cols = MEASURES_COLUMNS
        # a set of measures the new kind has entirely is kept (count); otherwise the new kind's defaults
        measures = self.measures if all(m in MEASURES[kind] for m in self.measures) else d.measures
        sort = self.sort if self.sort in ("natural", "total", *MEASURES[kind]) else "natural"
        return replace(
            d,
            rows=rows,
            cols=cols,
            measures=measures,
            sort=sort,
            descending=self.descending,
            period_a=self.period_a,
            period_b=self.period_b,
        )


def _link_value(v: str) -> str:
    return BLANK if v == NONE else v


def period_problem(code: str, today: dt.date) -> str | None:
    """Why a comparison period cannot be used (English, for the notice), or None."""
    from domain.periods import Period

    try:
        p = Period.parse(code)
    except ValueError as exc:
        return str(exc)
    if p.first_year < FIRST_YEAR:
        return f"'{code}' is before the years offered (from {FIRST_YEAR})"
    try:
        p.cut_at(today)
    except ValueError as exc:
        return str(exc)
    return None


def parse_explorer_query(params: Mapping[str, object], today: dt.date) -> tuple[ExplorerConfig, list[Notice]]:
    """The Explorer's configuration from query parameters; each bad value → its default plus a notice."""
    from domain.periods import Period

    notices: list[Notice] = []

    def bad(name: str, value: str, zh_what: str, en_what: str, zh_fallback: str, en_fallback: str) -> None:
        notices.append(
            Notice(
                f"分析查询参数 {name}=“{value}”无效（{zh_what}），{zh_fallback}。",
                f"Explorer parameter {name}='{value}' is not valid ({en_what}); {en_fallback}.",
            )
        )

    kind = one(params, "ex_kind") or "accidents"
    if kind not in KINDS:
        bad(
            "ex_kind",
            kind,
            "应为 accidents 或 hazards",
            "expected accidents or hazards",
            "已改为事故",
            "showing accidents",
        )
        kind = "accidents"
    cfg = ExplorerConfig.default(kind)
    dims = DIMENSIONS[kind]

    rows = one(params, "ex_rows") or cfg.rows
    if rows not in dims:
        bad(
            "ex_rows",
            rows,
            "可选 " + "、".join(dims),
            "expected one of " + ", ".join(dims),
            "已改为按地区",
            "rows are regions",
        )
        rows = cfg.rows
    cols = one(params, "ex_cols") or cfg.cols
    if cols not in (*dims, MEASURES_COLUMNS) or cols == rows:
        why = (
            ("行与列不能是同一维度", "rows and columns must differ")
            if cols == rows
            else ("可选 measures、" + "、".join(dims), "expected measures or one of " + ", ".join(dims))
        )
        bad("ex_cols", cols, why[0], why[1], "列改为指标", "columns are measures")
        cols = MEASURES_COLUMNS

    measures: list[str] = []
    raw_measures = one(params, "ex_measure")
    for m in filter(None, (x.strip() for x in (raw_measures or "").split(","))):
        if m not in MEASURES[kind]:
            bad(
                "ex_measure",
                m,
                "可选 " + "、".join(MEASURES[kind]),
                "expected one of " + ", ".join(MEASURES[kind]),
                "已忽略",
                "ignored",
            )
        elif m not in measures:
            measures.append(m)
    chosen = tuple(measures) or cfg.measures

    sort_raw = one(params, "ex_sort") or "natural"
    descending = sort_raw.startswith("-")
    sort = sort_raw.lstrip("-")
    if sort not in ("natural", "total", *MEASURES[kind]):
        bad(
            "ex_sort",
            sort_raw,
            "可选 natural、total 或指标名，前加 - 为降序",
            "expected natural, total or a measure, '-' in front for descending",
            "按自然顺序",
            "natural order",
        )
        sort, descending = "natural", False

    cell = None
    raw_cell = one(params, "ex_cell")
    if raw_cell:
        parts = raw_cell.split(CELL_SEP)
        if len(parts) != 2 or not all(parts):
            bad(
                "ex_cell",
                raw_cell,
                "应为 行~列，合计用 *",
                "expected row~column, * for a total",
                "显示全部记录",
                "listing all records",
            )
        else:
            cell = tuple(NONE if p == BLANK else p for p in parts)

    search = (one(params, "ex_q") or "")[:MAX_SEARCH]

    rsort_raw = one(params, "ex_rsort") or ""
    record_sort, record_descending = cfg.record_sort, cfg.record_descending
    if rsort_raw:
        name = rsort_raw.lstrip("-")
        if name in RECORD_SORTS[kind]:
            record_sort, record_descending = name, rsort_raw.startswith("-")
        else:
            bad(
                "ex_rsort",
                rsort_raw,
                "可选 " + "、".join(RECORD_SORTS[kind]),
                "expected one of " + ", ".join(RECORD_SORTS[kind]),
                "按日期排序",
                "sorted by date",
            )

    periods: list[str | None] = []
    for name, zh_default, en_default in (
        ("ex_a", "对比期A改为去年同期", "period A is the same period last year"),
        ("ex_b", "对比期B改为侧栏所选期间", "period B is the sidebar's period"),
    ):
        raw = one(params, name)
        if not raw:
            periods.append(None)
            continue
        problem = period_problem(raw, today)
        if problem:
            notices.append(
                Notice(
                    f"分析查询参数 {name}=“{raw}”不是可用的统计期间（应为 2024、2024-03、2024-Q1 或 "
                    f"2024-01..2024-06，且已开始），{zh_default}。",
                    f"Explorer parameter {name}='{raw}': {problem}; {en_default}.",
                )
            )
            periods.append(None)
        else:
            periods.append(Period.parse(raw).code)

    return replace(
        cfg,
        rows=rows,
        cols=cols,
        measures=chosen,
        sort=sort,
        descending=descending,
        cell=cell,
        search=search,
        record_sort=record_sort,
        record_descending=record_descending,
        period_a=periods[0],
        period_b=periods[1],
    ), notices


__all__ = ["PARAMS", "PREFIX", "TOTAL", "ExplorerConfig", "parse_explorer_query", "period_problem"]
