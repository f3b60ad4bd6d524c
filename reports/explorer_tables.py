"""The Explorer's tables as the page shows them and as they are downloaded: the pivot, the records and
the period comparison with their labels in the page's language, their values typed (numbers stay
numbers, dates dates) and their columns described for ``exports.downloads``. Pure: no Streamlit.

The page draws these frames; a download writes the same frames, so the file holds exactly what is
shown (the records: every matching row, not only the page on screen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from analytics import pivot as pv
from domain.columns import label as column_label
from domain.hazards import STATUS_LABELS, SUPERVISION_LABELS
from domain.industries import industry_label
from domain.periods import Period
from domain.regions import region_label
from exports.downloads import Column, Export
from i18n import GRADE_GROUP_LABELS, label, t

# The records' columns: (stored column, 中文, English, download kind), labelled as declared (domain.columns).
_RECORD_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "accidents": (
        ("accident_id", "text"),
        ("occurred_at", "datetime"),
        ("region_code", "text"),
        ("industry", "text"),
        ("enterprise", "text"),
        ("accident_type", "text"),
        ("grade", "text"),
        ("deaths", "int"),
        ("missing", "int"),
        ("serious_injuries", "int"),
        ("injuries", "int"),
        ("direct_loss_wan", "float"),
        ("summary", "text"),
    ),
    "hazards": (
        ("hazard_id", "text"),
        ("found_date", "date"),
        ("region_code", "text"),
        ("industry", "text"),
        ("enterprise", "text"),
        ("category", "text"),
        ("grade", "text"),
        ("source", "text"),
        ("deadline", "date"),
        ("rectified_date", "date"),
        ("status", "text"),
        ("funds_wan", "float"),
        ("supervision_level", "text"),
        ("description", "text"),
    ),
}
RECORD_SPEC: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    kind: tuple((c, column_label(c, "zh", kind), column_label(c, "en", kind), k) for c, k in columns)
    for kind, columns in _RECORD_COLUMNS.items()
}


def value_kind(measure: str) -> str:
    """How a measure is written to a file: a rate is a fraction (``pct``), an amount a float, else an int."""
    return "pct" if pv.is_rate(measure) else ("float" if measure in pv.KNOWN else "int")


def fmt_value(measure: str) -> Callable[[object], str]:
    """How a measure is shown in a table: 1,234 · 12.30 (万元) · 94.5% · — for unknown."""
    if pv.is_rate(measure):
        return lambda x: "—" if pd.isna(x) else f"{float(x) * 100:.1f}%"
    if measure in pv.KNOWN:
        return lambda x: "—" if pd.isna(x) else f"{float(x):,.2f}"
    return lambda x: "—" if pd.isna(x) else f"{float(x):,.0f}"


def _unique(names: list[str]) -> list[str]:
    """Column names must differ (a category could be called like a measure): repeats get spaces."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else n + " " * (seen[n] - 1))
    return out


@dataclass(frozen=True)
class Table:
    """A table as shown: ``frame`` (column names in the page's language), ``columns`` for a download,
    and for each value column its measure (``measure_of``), its key in the pivot (``key_of``; the row
    header's is TOTAL: a click on a row's name is the row's total) and, in a comparison, its role."""

    frame: pd.DataFrame
    columns: list[Column]
    row_header: str
    measure_of: dict[str, str] = field(default_factory=dict)
    key_of: dict[str, str] = field(default_factory=dict)
    role_of: dict[str, str] = field(default_factory=dict)  # comparison: 'a', 'b', 'change', 'pct'
    row_keys: list[str] = field(default_factory=list)


def pivot_table(p: pv.Pivot, lang: str, region: str) -> Table:
    """The pivot as shown: the row header and one column per column key (the last one the total)."""
    kind = p.kind
    dim_zh, dim_en = pv.DIMENSION_LABELS[p.rows]
    if p.cols == pv.MEASURES_COLUMNS:
        heads = [(pv.measure_label(k, kind, "zh"), pv.measure_label(k, kind, "en")) for k in p.values.columns]
    else:
        heads = [
            (pv.value_label(kind, p.cols, k, "zh", region), pv.value_label(kind, p.cols, k, "en", region))
            for k in p.values.columns
        ]
    names = _unique([t(dim_zh, dim_en, lang), *(t(zh, en, lang) for zh, en in heads)])
    row_header, col_names = names[0], names[1:]
    frame = pd.DataFrame({row_header: [pv.value_label(kind, p.rows, k, lang, region) for k in p.values.index]})
    for name, k in zip(col_names, p.values.columns, strict=True):
        frame[name] = p.values[k].to_numpy(dtype="float64")
    columns = [Column(row_header, dim_zh, dim_en, "text")]
    for name, k, (zh, en) in zip(col_names, p.values.columns, heads, strict=True):
        columns.append(Column(name, zh, en, value_kind(p.measure_of(k))))
    return Table(
        frame,
        columns,
        row_header,
        measure_of={n: p.measure_of(k) for n, k in zip(col_names, p.values.columns, strict=True)},
        key_of=dict(zip(col_names, p.values.columns, strict=True)) | {row_header: pv.TOTAL},
        row_keys=list(p.values.index),
    )


def records_table(kind: str, frame: pd.DataFrame, lang: str) -> Table:
    """Records (``store.explore_queries.RECORD_COLUMNS``) as shown: names for codes, dates as datetimes,
    numbers as numbers; missing text stays missing (the page shows "—", a file an empty cell)."""
    grades = pv.ACCIDENT_GRADE_LABELS if kind == "accidents" else pv.HAZARD_GRADE_LABELS
    names = {
        "region_code": lambda c: region_label(c, lang, full=True),
        "industry": lambda c: industry_label(c, lang),
        "grade": lambda g: label(grades, g, lang) if g in grades else g,
        "source": lambda s: label(pv.HAZARD_SOURCE_LABELS, s, lang) if s in pv.HAZARD_SOURCE_LABELS else s,
        "status": lambda s: label(STATUS_LABELS, s, lang) if s in STATUS_LABELS else s,
        "supervision_level": lambda s: label(SUPERVISION_LABELS, s, lang) if s in SUPERVISION_LABELS else s,
        "accident_type": lambda a: pv.value_label(kind, "accident_type", a, lang),
    }
    spec = RECORD_SPEC[kind]
    heads = _unique([t(zh, en, lang) for _key, zh, en, _k in spec])
    out = pd.DataFrame(index=range(len(frame)))
    for head, (key, _zh, _en, k) in zip(heads, spec, strict=True):
        values = frame[key].tolist() if key in frame.columns else [None] * len(frame)
        if key in names:
            values = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else names[key](v) for v in values]
        if k in ("date", "datetime"):
            out[head] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif k in ("int", "float"):
            out[head] = pd.to_numeric(pd.Series(values, dtype="object"))
        else:
            out[head] = pd.Series(values, dtype="object")
    columns = [Column(head, zh, en, k) for head, (_key, zh, en, k) in zip(heads, spec, strict=True)]
    return Table(out, columns, heads[0])


def comparison_table(
    cmp: pd.DataFrame, kind: str, rows: str, measures: tuple[str, ...], lang: str, region: str, aligned: bool = False
) -> Table:
    """``analytics.pivot.compare_periods`` as shown: per measure A, B, the change (a rate's in percentage
    points) and the change in % (not for a rate), a rise from zero "new" (新增)."""
    from i18n import fmt_change_pct

    dim_zh, dim_en = pv.DIMENSION_LABELS[rows]
    row_header = t(dim_zh, dim_en, lang)

    def row_label(key: str) -> str:
        if not aligned or key == pv.TOTAL:
            return pv.value_label(kind, rows, key, lang, region)
        ka, kb = key.split("~")
        return f"{ka or '—'} → {kb or '—'}"

    frame = pd.DataFrame({row_header: [row_label(k) for k in cmp.index]})
    columns = [Column(row_header, dim_zh, dim_en, "text")]
    measure_of: dict[str, str] = {}
    role_of: dict[str, str] = {}
    for m in measures:
        zh, en = pv.measure_label(m, kind, "zh"), pv.measure_label(m, kind, "en")
        rate = pv.is_rate(m)
        parts = [
            ("a", "A", "A"),
            ("b", "B", "B"),
            ("change", "变化（百分点）" if rate else "变化", "change (pts)" if rate else "change"),
        ]
        if not rate:  # a rate's change is in points; its change in % would mislead
            parts.append(("pct", "变化率", "change %"))
        for role, szh, sen in parts:
            name = f"{t(zh, en, lang)} · {t(szh, sen, lang)}"
            if role in ("a", "b"):
                frame[name] = cmp[f"{m}_{role}"].astype("float64").to_numpy()
                k = value_kind(m)
            elif role == "change":
                frame[name] = cmp[f"{m}_change"].astype("float64").to_numpy() * (100 if rate else 1)
                k = "float" if rate or m in pv.KNOWN else "int"
            else:
                frame[name] = [fmt_change_pct(pv.comparison_of(r, m), lang) for _, r in cmp.iterrows()]
                k = "text"
            columns.append(Column(name, f"{zh} · {szh}", f"{en} · {sen}", k))
            measure_of[name], role_of[name] = m, role
    return Table(frame, columns, row_header, measure_of=measure_of, role_of=role_of, row_keys=list(cmp.index))


def filters_text(
    lang: str,
    period: Period,
    region: str,
    industries: tuple[str, ...],
    grade_group: str,
    kind: str,
    extra: list[str] | tuple[str, ...] = (),
) -> str:
    """The filters of an export, one line: period, region, industries, the accident grade (accidents),
    then what the table adds (rows and columns, the cell, the search …)."""
    names = t("、", ", ", lang).join(industry_label(c, lang) for c in industries) or t(
        "全部行业", "all industries", lang
    )
    parts = [
        t(f"统计期间：{period.label('zh')}", f"period: {period.label('en')}", lang),
        t(f"地区：{region_label(region, 'zh', full=True)}", f"region: {region_label(region, 'en', full=True)}", lang),
        t(f"行业：{names}", f"industries: {names}", lang),
    ]
    if kind == "accidents":
        parts.append(
            t(
                f"事故等级：{label(GRADE_GROUP_LABELS, grade_group, 'zh')}",
                f"accident grade: {label(GRADE_GROUP_LABELS, grade_group, 'en')}",
                lang,
            )
        )
    return t("；", "; ", lang).join([*parts, *extra])


def export(
    title: str, filters: str, source: str, table: Table, lang: str, sheet: str, exported_at: dt.datetime | None = None
) -> Export:
    """A download of ``table`` with its header block."""
    if exported_at is None:
        return Export(title, filters, source, table.frame, table.columns, lang, sheet=sheet)
    return Export(title, filters, source, table.frame, table.columns, lang, exported_at=exported_at, sheet=sheet)
