"""Validation and normalisation of a raw table into store rows, and the rejects with reasons.

Every rejected row keeps its row number, the columns at fault, the reasons and its original
values; every accepted row gets canonical codes (adcode, industry, grade, status), a stable id and
a content hash.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from domain import hazards as hz
from domain.accident_types import resolve_accident_type
from domain.grading import grade_series, parse_grade
from domain.industries import ALL_INDUSTRIES_WORDS, resolve_industry
from domain.region_changes import RENAMED, id_code
from domain.region_changes import note as change_note
from domain.regions import COUNTRY_CODE, RegionError, hierarchy_columns, region_name, resolve_region
from domain.statistics import ACCIDENT_STAT_MEASURES, is_unreleased
from loaders import forms
from loaders import parsing as p
from loaders.ids import content_ids, row_hashes
from loaders.messages_zh import to_zh
from loaders.read_errors import ReadError
from loaders.readers import RawTable, year_of
from loaders.schema import UNITS, Column, Kind


def _region(value: Any, within: str | None = None) -> str:
    try:
        return resolve_region(str(value), within)
    except RegionError as exc:
        raise ValueError(str(exc)) from None


def _industry_or_all(value: Any) -> str:
    key = "".join(str(value).split()).lower()
    if key in ALL_INDUSTRIES_WORDS:
        return "__all__"
    return resolve_industry(str(value))


def _flag(value: Any) -> bool:
    key = "".join(str(value).split()).lower()
    if key in hz.TRUE_WORDS:
        return True
    if key in hz.FALSE_WORDS:
        return False
    raise ValueError(f"'{value}' is not a yes/no flag (expected 是/否, √/×, yes/no or 1/0)")


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores ids such as 20240001 as numbers
    return " ".join(str(value).split())


def _accident_grade(value: Any) -> str:
    grade = parse_grade(value)
    return None if grade is None else grade.value  # type: ignore[return-value]


PARSERS: dict[str, Callable[[Any], Any]] = {
    "id": _text,
    "text": _text,
    "datetime": p.parse_datetime,
    "date": p.parse_date,
    "count": p.parse_count,
    "amount": p.parse_amount,
    "rate": p.parse_rate,
    "coord": p.parse_coord,
    "region": _region,
    "industry": resolve_industry,
    "accident_type": resolve_accident_type,
    "accident_grade": _accident_grade,
    "hazard_grade": lambda v: hz.lookup(v, hz.GRADE_ALIASES, "hazard grade", "一般 or 重大"),
    "hazard_status": lambda v: hz.lookup(
        v, hz.STATUS_ALIASES, "hazard status", "未整改, 整改中, 已整改, 已验收, 已销号 or 验收不通过"
    ),
    "hazard_source": lambda v: hz.lookup(v, hz.SOURCE_ALIASES, "hazard source", "企业自查, 执法检查, 举报 or 专家"),
    "supervision": lambda v: hz.lookup(v, hz.SUPERVISION_ALIASES, "supervision level", "无, 县级, 市级 or 省级"),
    "flag": _flag,
    "period": p.parse_period,
    "year": p.parse_year,
}


@dataclass(frozen=True)
class RejectGroup:
    """The rejected rows of one reason: the column at fault, the message with each row's own value
    shown as …, how many rows, and the first three (row number, the cell as written)."""

    column: str
    reason: str
    count: int
    examples: tuple[tuple[int, str | None], ...]
    reason_zh: str = ""  # the reason in Chinese (as the data page shows it)


@dataclass(frozen=True)
class UnknownValue:
    """A value of a column that the column's parser refuses: where, how often, and why."""

    column: str  # the header as written in the file (or the title rows' / option's label)
    name: str  # the schema's column
    value: str  # as written
    count: int  # rows that have it
    rows: tuple[int, ...]  # row numbers, the first ten (none: the value is the title's or an option's)
    message: str  # the parser's


@dataclass
class Normalized:
    accepted: pd.DataFrame  # store columns except import_id
    rejects: pd.DataFrame  # row_number, columns, reason, original
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    reject_groups: tuple[RejectGroup, ...] = ()  # the rejects by reason, most rows first


class _Errors:
    """Per-row error messages, in column order."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self.by_row: dict[int, list[tuple[str, str]]] = {}

    def add(self, mask: pd.Series | np.ndarray, column: str, messages: pd.Series | str) -> None:
        mask_arr = np.asarray(mask, dtype=bool)
        if not mask_arr.any():
            return
        rows = self.index[mask_arr]
        msgs = [messages] * len(rows) if isinstance(messages, str) else list(messages[mask_arr])
        for row, msg in zip(rows, msgs, strict=True):
            self.by_row.setdefault(int(row), []).append((column, msg))

    def rejected_mask(self) -> pd.Series:
        return pd.Series(self.index.isin(list(self.by_row)), index=self.index)


def _original_json(raw: RawTable, rows: list[int]) -> dict[int, str]:
    sub = raw.frame.loc[rows]
    out: dict[int, str] = {}
    for row_no, values in zip(rows, sub.to_dict("records"), strict=True):
        original = {raw.headers.get(k, k): (None if p.is_blank(v) else p.show(v)) for k, v in values.items()}
        out[row_no] = json.dumps(original, ensure_ascii=False)
    return out


# Columns a file may lack and take one value for every row from its title rows (填报单位：…, 2024年3月)
# or from the import's options (--region, --period, --industry, --grade).
FILLABLE = ("region", "period", "year", "industry", "grade")


def column_parser(kind: Kind, col: Column, units: dict[str, str | None]) -> tuple[str, Callable[[Any], Any], float]:
    """How a column's cells are read: (the schema type for :func:`parsing.parse_series`'s column-wise
    path, '' for none; the parser; the header unit's factor to 万元, 1 for other columns)."""
    parser = PARSERS[col.type]
    factor = 1.0
    fast = col.type
    if col.type == "amount":  # the header's unit applies to bare numbers; a unit in a cell overrides it
        factor = UNITS.get(units.get(col.name) or "万元", 1.0)
        parser = functools.partial(p.parse_amount, header_factor=factor)
    if kind.name == "accident-stats" and col.name == "industry":
        parser, fast = _industry_or_all, ""
    return fast, parser, factor


def check_a_measure(kind: Kind, raw: RawTable, where: str) -> None:
    """Accident statistics need one count column at least (any of them may be absent, not all): a
    table in which none is recognised is refused as a missing required column, not imported with
    every figure unknown. Raises ReadError naming 事故起数 and 死亡人数 with their accepted headers."""
    if kind.name != "accident-stats" or any(c in raw.frame.columns for c in ACCIDENT_STAT_MEASURES):
        return
    cols = [kind.column(c) for c in ("accidents", "deaths")]
    en = " or ".join(
        f"{c.zh} ({c.name}; accepted headers: {', '.join(dict.fromkeys((c.zh, c.en, *c.aliases)))})" for c in cols
    )
    zh = "或".join(
        f"{c.zh}（{c.name}；可识别的表头：{'、'.join(dict.fromkeys((c.zh, c.en, *c.aliases)))}）" for c in cols
    )
    error = ReadError(
        f"{where}: required column missing: {en} (a statistics table needs at least one count; "
        "any may be absent or 未公布)",
        zh=f"{where}：缺少必填列：{zh}（统计表至少要有一项数字，其余可缺或未公布；可在列映射中指定文件的哪一列是它）",
    )
    error.missing = tuple(c.name for c in cols)
    error.file_headers = raw.file_headers
    raise error


def _fill_from_title(
    kind: Kind, raw: RawTable, defaults: dict[str, str] | None
) -> tuple[pd.DataFrame, dict[str, str], list[str], dict[str, str]]:
    """(the frame with the columns it lacks filled from the title rows or the options, the headers,
    notes, the values filled by column)."""
    frame = raw.frame.copy()
    notes: list[str] = forms.form_notes(raw)
    headers = dict(raw.headers)
    filled: dict[str, str] = {}
    for name in FILLABLE:
        if name in {c.name for c in kind.columns} and name not in frame.columns:
            value = (defaults or {}).get(name) or raw.meta.get(name)
            if name == "year" and value is None:  # a targets file titled 2024年度…: the title's year
                value = year_of(raw.meta.get("period"))
            if value is not None:
                frame[name] = value
                filled[name] = value
                headers[name] = f"{kind.column(name).zh} (title rows / option: {value})"
                notes.append(f"{kind.column(name).zh} '{value}' taken from the file's title rows or the command line")
    return frame, headers, notes, filled


def _filled_value_error(kind: Kind, raw: RawTable, name: str, value: str) -> str | None:
    """The parser's message for a value taken from the title rows or an option, or None when it reads."""
    _, parser, _ = column_parser(kind, kind.column(name), raw.units)
    try:
        parser(value)
    except ValueError as exc:
        return str(exc)
    return None


def _check_filled(kind: Kind, raw: RawTable, filled: dict[str, str]) -> None:
    """A value from the title rows or an option that does not read is one error for the file, not the
    same reason on every row: ReadError, nothing imported."""
    for name, value in filled.items():
        why = _filled_value_error(kind, raw, name, value)
        if why is not None:
            zh = kind.column(name).zh
            raise ReadError(
                f"{zh} '{value}' from the file's title rows or the import's options: {why}; nothing imported "
                f"(correct the title, or give the {kind.column(name).en} on import)",
                zh=f"{zh}“{value}”（取自文件标题行或导入时指定的值）：{to_zh(why)}；文件未导入"
                f"（请改正标题行，或在导入时指定{zh}）",
            )


def normalize(kind: Kind, raw: RawTable, defaults: dict[str, str] | None = None) -> Normalized:
    """Validate ``raw`` against ``kind``'s schema; ``defaults`` fill columns the file lacks
    (``region`` and ``period`` for a monthly report whose title says them; ``industry`` and ``grade``
    for a ledger of one industry or grade). A filled value that does not read is a ReadError."""
    frame, headers, notes, filled = _fill_from_title(kind, raw, defaults)
    _check_filled(kind, raw, filled)
    frame, blank_notes = forms.blanks_as_zero(kind, frame, headers)
    notes.extend(blank_notes)
    scope = _region_scope(kind, raw, defaults, notes, headers)
    errors = _Errors(frame.index)
    parsed: dict[str, pd.Series] = {}
    for col in kind.columns:
        label = headers.get(col.name, col.zh)
        if col.name in raw.sums:
            parsed[col.name] = _summed(raw, frame, col, errors, notes)
            continue
        if col.name not in frame.columns:
            parsed[col.name] = pd.Series(None, index=frame.index, dtype=object)
            continue
        raw_values = frame[col.name]
        if kind.name == "accident-stats" and col.name in ACCIDENT_STAT_MEASURES:
            raw_values = _unreleased_as_blank(raw_values)
        fast, parser, factor = column_parser(kind, col, raw.units)
        if factor != 1.0:
            notes.append(f"{label}: converted from {raw.units.get(col.name)} to 万元")
        if col.name == "region" and scope is not None:  # read within the title's region (or --region)
            parser, fast = functools.partial(_region, within=scope), ""
        if col.name == "region" and "region" in raw.context:
            values, errs = _region_in_context(raw_values, frame[raw.context["region"]], scope)
        else:
            values, errs = p.parse_series(raw_values, fast, parser, factor)
        bad = errs.notna()
        if bad.any():
            errors.add(bad, label, ("column " + label + ": ") + errs.where(bad, "").astype(str))
        if col.required:
            blank = values.isna() & ~bad
            errors.add(blank, label, f"column {label}: is empty (a value is required)")
        if col.name == "region":
            notes.extend(_region_change_notes(raw_values, label))
        if kind.name == "accidents" and col.name == "direct_loss_wan" and not raw.units.get(col.name):
            values, unit_notes = _loss_unit(raw_values, values, label)
            notes.extend(unit_notes)
        parsed[col.name] = values
    builder = {
        "accidents": _accidents,
        "hazards": _hazards,
        "accident-stats": _accident_stats,
        "hazard-stats": _hazard_stats,
        "targets": _targets,
    }[kind.name]
    out = builder(parsed, errors, headers, kind)
    if kind.name == "accident-stats":
        notes.extend(_unknown_notes(out, frame, errors, headers, kind))
    if kind.name == "hazard-stats":
        out, form_notes = forms.hazard_form_columns(out, parsed, raw, errors, headers, kind)
        notes.extend(form_notes)
        notes.extend(_carry_over_notes(out, errors, headers, kind))
    if kind.name == "hazards":
        notes.extend(_status_notes(out, errors, headers, kind))
    out, dup_notes = _ids_and_duplicates(kind, out, frame, errors, headers)
    notes.extend(dup_notes)
    rejected = errors.rejected_mask().reindex(out.index)  # merged statistics rows are gone from out
    keep = ~rejected.to_numpy(dtype=bool)
    accepted = out if keep.all() else out.loc[keep].copy()  # (no copy of a million clean rows)
    accepted["source_row"] = accepted.index.astype("int64")
    data_cols = [c for c in accepted.columns if c not in ("source_row",)]
    accepted["row_hash"] = row_hashes(accepted[data_cols])
    rejects = _rejects_frame(raw, errors)
    return Normalized(
        accepted=accepted.reset_index(drop=True),
        rejects=rejects,
        notes=notes,
        rows_read=len(frame),
        reject_groups=_reject_groups(raw, errors, headers),
    )


_DAY = r"\d{4}-\d{2}-\d{2}"
_DATES_IN_ORDER = re.compile(rf"^column\s.+?:\s({_DAY})\sis\sbefore\s.+\s({_DAY})\s")
_ROW_NUMBER = re.compile(r"\b(rows?)\s(\d+)")
_OUTSIDE = re.compile(r"^column\s.+?:\s(-?\d+(?:\.\d+)?)(?=\sis\soutside)")


def _reason_key(message: str, value: str | None) -> tuple[str, str]:
    """(the reject message with what is the row's own shown as … — its value, the dates of a date
    order, a row number, a coordinate — so that the rows of one reason group together; the same in
    Chinese, :func:`messages_zh.to_zh`'s rendering with the same parts taken out)."""
    zh = to_zh(message)
    key = message
    if value and f"'{value}'" in key:
        key = key.replace(f"'{value}'", "'…'", 1)
        zh = zh.replace(f"“{value}”", "“…”", 1)
    m = _DATES_IN_ORDER.match(key)
    if m:
        for day in m.groups():
            key, zh = key.replace(day, "…", 1), zh.replace(day, "…", 1)
    m = _OUTSIDE.match(key)
    if m:
        key, zh = key.replace(m[1], "…", 1), zh.replace(m[1], "…", 1)
    for m in list(_ROW_NUMBER.finditer(key)):
        zh = zh.replace(f"第 {m[2]} 行", "第 … 行", 1)
    key = _ROW_NUMBER.sub(r"\1 …", key)
    return key, zh


def _reject_groups(
    raw: RawTable, errors: _Errors, headers: dict[str, str], examples: int = 3
) -> tuple[RejectGroup, ...]:
    """The rejected rows grouped by column and reason, most rows first: how many, and the first
    ``examples`` rows with the value at fault as written."""
    by_label = {label: name for name, label in headers.items()}

    def value(row: int, label: str) -> str | None:
        name = by_label.get(label)
        cell = raw.frame.at[row, name] if name in raw.frame.columns and row in raw.frame.index else None
        return None if p.is_blank(cell) else p.show(cell)

    keys: dict[tuple[str, str], tuple[str, str]] = {}  # (column, message) → its group (a row's message, once)
    zh: dict[tuple[str, str], str] = {}
    counts: dict[tuple[str, str], int] = {}
    shown: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
    for row in sorted(errors.by_row):
        for label, message in errors.by_row[row]:
            key = keys.get((label, message))
            if key is None:
                reason, reason_zh = _reason_key(message, value(row, label))
                key = keys[(label, message)] = (label, reason)
                zh.setdefault(key, reason_zh)
            counts[key] = counts.get(key, 0) + 1
            first = shown.setdefault(key, [])
            if len(first) < examples:
                first.append((row, value(row, label)))
    ordered = sorted(counts, key=lambda k: -counts[k])  # stable: first seen first among equals
    return tuple(
        RejectGroup(
            column=label,
            reason=reason,
            count=counts[(label, reason)],
            examples=tuple(shown[(label, reason)]),
            reason_zh=zh[(label, reason)],
        )
        for label, reason in ordered
    )


def unknown_values(
    kind: Kind, raw: RawTable, defaults: dict[str, str] | None = None, limit: int = 10
) -> tuple[UnknownValue, ...]:
    """Every value of the file that its column's parser refuses (an unknown status, industry,
    region, a date or number that does not read), with how many rows have it and the first
    ``limit`` of them, in schema column order and most rows first: what an import would reject for
    its values (the checks across columns — dates in order, required cells — are not listed). The
    parsers are :func:`normalize`'s own."""
    frame, headers, _, filled = _fill_from_title(kind, raw, defaults)
    out: list[UnknownValue] = []
    for col in kind.columns:
        if col.name not in frame.columns:
            continue
        label = headers.get(col.name, col.zh)
        if col.name in filled:
            why = _filled_value_error(kind, raw, col.name, filled[col.name])
            if why is not None:
                out.append(UnknownValue(label, col.name, filled[col.name], len(frame), (), why))
            continue
        fast, parser, factor = column_parser(kind, col, raw.units)
        values = frame[col.name]
        if kind.name == "accident-stats" and col.name in ACCIDENT_STAT_MEASURES:
            values = _unreleased_as_blank(values)  # 未公布 is an unknown figure, not an unknown value
        _, errs = p.parse_series(values, fast, parser, factor)
        bad = errs[errs.notna()]
        if bad.empty:
            continue
        found: list[UnknownValue] = []
        for message, rows in bad.groupby(bad, sort=False).groups.items():
            row_list = sorted(int(r) for r in rows)
            found.append(
                UnknownValue(
                    label,
                    col.name,
                    p.show(frame.at[row_list[0], col.name]),
                    len(row_list),
                    tuple(row_list[:limit]),
                    str(message),
                )
            )
        out.extend(sorted(found, key=lambda u: (-u.count, u.rows)))
    return tuple(out)


LOSS_YUAN_MEDIAN = 10_000  # 万元: a ledger whose typical loss is 1亿元 or more wrote 元
LOSS_CHECK_WAN = 10_000  # 万元 (1亿元): a loss that alone makes an accident 特别重大


def _loss_unit(raw_values: pd.Series, values: pd.Series, label: str) -> tuple[pd.Series, list[str]]:
    """A loss column whose header gives no unit is read as 万元 — unless its figures say 元: when the bare
    numbers' median is 1亿元 or more in 万元 (no ledger's typical loss), they are read as 元 and the report
    says so; otherwise a bare figure of 1亿元 or more (万元) is named for a check, since it alone grades the
    accident 特别重大. A cell with its own unit (150万元) keeps it."""
    if not (values >= min(LOSS_YUAN_MEDIAN, LOSS_CHECK_WAN)).fillna(False).any():
        return values, []  # the usual ledger: nothing to say, and no text to look at again
    bare = (
        raw_values.astype("string").str.fullmatch(r"\s*[0-9][0-9,]*(\.[0-9]+)?\s*").fillna(False).to_numpy()
        & values.notna().to_numpy()
    )
    nonzero = values[bare & (values > 0).fillna(False).to_numpy()]
    if nonzero.empty:
        return values, []
    median = float(nonzero.median())
    if median >= LOSS_YUAN_MEDIAN:
        out = values.copy()
        out[bare] = values[bare] / 10_000
        return out, [
            f"{label}: no unit in the header, and its figures (median {median:,.0f}) are 元, not 万元: "
            "converted to 万元 (write the unit in the header to decide it)"
        ]
    big = values.index[bare & (values >= LOSS_CHECK_WAN).fillna(False).to_numpy()]
    if len(big) == 0:
        return values, []
    rows = ", ".join(str(r) for r in big[:5]) + (f" and {len(big) - 5} more" if len(big) > 5 else "")
    return values, [
        f"{label}: no unit in the header, read as 万元; rows {rows} have 1亿元 or more, which alone "
        "makes an accident 特别重大: check the unit"
    ]


def _region_change_notes(values: pd.Series, label: str) -> list[str]:
    """One note per old code, old name or 市辖区 code the region column writes (513425 会理县 → 513402 会理市):
    the rows are imported onto today's unit, and the report says so (``domain.region_changes``)."""
    by_old_name = {c.old_name: c.old for c in RENAMED}
    counts = values.dropna().astype(str).str.strip().value_counts(sort=False)  # once: a ledger has 10⁶ rows
    out = []
    for value, n in counts.items():
        digits = unicodedata.normalize("NFKC", value).split(".")[0]
        code = digits if digits.isdigit() else by_old_name.get(value)
        said = change_note(code) if code else None
        if said is not None:
            out.append(f"{label}: '{value}' in {int(n)} row(s): {said}")
    return out


def _region_scope(
    kind: Kind, raw: RawTable, defaults: dict[str, str] | None, notes: list[str], headers: dict[str, str]
) -> str | None:
    """The region that the file's region column lies in, when the file also names one (its title's
    填报单位 or ``长沙市…台账``, or ``--region``): the column, more specific, is read within it, so that a
    district name is looked for in the title's city (鼓楼区 under 福州市 is 350102; under 长沙市 it is
    refused). None when the file has no region column or names no region besides it."""
    if "region" not in raw.frame.columns:
        return None
    given = (defaults or {}).get("region") or raw.meta.get("region")
    if not given:
        return None
    try:
        scope = resolve_region(given)
    except RegionError:
        return None  # a title that names no one region: the column is read as it is
    if scope == COUNTRY_CODE:
        return None
    label = headers.get("region", kind.column("region").zh)
    notes.append(
        f"{label}: read within {region_name(scope, full=True)} {scope} (the region of the file's title or of --region)"
    )
    return scope


def _region_in_context(values: pd.Series, context: pd.Series, scope: str | None) -> tuple[pd.Series, pd.Series]:
    """Each row's region read within the region its context column names (所在市州 beside 所在区县), itself
    read within ``scope``; a context cell that names no region leaves its rows to ``scope`` alone."""
    out = pd.Series(None, index=values.index, dtype=object)
    errs = pd.Series(None, index=values.index, dtype=object)
    keys = context.map(lambda v: "" if p.is_blank(v) else p.show(v))
    for key, rows in keys.groupby(keys, sort=False).groups.items():
        within = scope
        if key:
            try:
                within = resolve_region(key, scope)
            except RegionError:
                within = scope
        v, e = p.parse_column(values.loc[rows], functools.partial(_region, within=within))
        out.loc[rows] = v
        errs.loc[rows] = e
    return out, errs


def _summed(raw: RawTable, frame: pd.DataFrame, col: Any, errors: _Errors, notes: list[str]) -> pd.Series:
    """A measure written as a group header over a partition of sub-columns (事故起数 over 采矿 / 建筑 …):
    each sub-column parsed under its own header, then added; a blank sub-cell counts 0 when another
    sub-cell of the row has a value (all blank: the measure is empty)."""
    factor = 1.0
    parser = PARSERS[col.type]
    if col.type == "amount":
        factor = UNITS.get(raw.units.get(col.name) or "万元", 1.0)
        parser = functools.partial(p.parse_amount, header_factor=factor)
    parts: list[pd.Series] = []
    any_bad = pd.Series(False, index=frame.index)
    for key in raw.sums[col.name]:
        label = raw.headers.get(key, key)
        values, errs = p.parse_series(frame[key], col.type, parser, factor)
        bad = errs.notna()
        if bad.any():
            errors.add(bad, label, ("column " + label + ": ") + errs.where(bad, "").astype(str))
        any_bad |= bad
        parts.append(pd.to_numeric(values, errors="coerce").astype("float64"))
    total = pd.concat(parts, axis=1).sum(axis=1, min_count=1)
    title = next((t for t, c in raw.groups.items() if c == col.name), col.zh)
    if col.required:
        errors.add(total.isna() & ~any_bad, title, f"column {title}: is empty (a value is required)")
    subs = ", ".join(raw.headers.get(k, k) for k in raw.sums[col.name])
    notes.append(f"{title} ({col.name}): the sum of {len(parts)} sub-columns ({subs}); the file has no total column")
    return total.where(~any_bad)


def _rejects_frame(raw: RawTable, errors: _Errors) -> pd.DataFrame:
    rows = sorted(errors.by_row)
    originals = _original_json(raw, rows) if rows else {}
    records = []
    for row in rows:
        items = errors.by_row[row]
        records.append(
            {
                "row_number": row,
                "columns": "; ".join(dict.fromkeys(c for c, _ in items)),
                "reason": "; ".join(f"row {row}, {m}" for _, m in items),
                "original": originals[row],
            }
        )
    return pd.DataFrame(records, columns=["row_number", "columns", "reason", "original"])


def _with_regions(out: pd.DataFrame, region: pd.Series) -> pd.DataFrame:
    out["region_code"] = region.astype("string")
    # The hierarchy of each distinct region once, spread over the rows.
    codes, uniques = pd.factorize(out["region_code"], use_na_sentinel=True)
    hier = hierarchy_columns(pd.Series(uniques, dtype="string"))
    for c in hier.columns:
        out[c] = pd.Series(hier[c].array.take(codes, allow_fill=True), index=out.index, copy=False)
    return out


def _messages(mask: pd.Series, make: Callable[[Any], str], values: pd.Series) -> pd.Series:
    """``make(value)`` for the rows of ``mask`` only (None elsewhere): a message per row at fault."""
    msgs = pd.Series(None, index=values.index, dtype=object)
    hit = np.asarray(mask, dtype=bool)
    if hit.any():
        msgs[hit] = [make(x) for x in values[hit]]
    return msgs


def _int(s: pd.Series, default: int | None = 0) -> pd.Series:
    return (
        pd.to_numeric(s, errors="coerce").astype("Int64")
        if default is None
        else pd.to_numeric(s, errors="coerce").fillna(default).astype("int64")
    )


def _float(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _str(s: pd.Series) -> pd.Series:
    return s.astype("string")


def _accidents(v: dict[str, pd.Series], errors: _Errors, headers: dict[str, str], kind: Kind) -> pd.DataFrame:
    out = pd.DataFrame(index=next(iter(v.values())).index)
    out["accident_id"] = _str(v["accident_id"])
    out["occurred_at"] = pd.to_datetime(v["occurred_at"], errors="coerce")
    out = _with_regions(out, v["region"])
    out["industry"] = _str(v["industry"])
    out["enterprise"] = _str(v["enterprise"])
    for c in ("deaths", "missing", "serious_injuries", "injuries"):
        out[c] = _int(v[c])
    out["direct_loss_wan"] = _float(v["direct_loss_wan"])
    out["accident_type"] = _str(v["accident_type"])
    grade = grade_series(out["deaths"] + out["missing"], out["serious_injuries"], out["direct_loss_wan"])
    out["grade"] = grade
    out["grade_reported"] = _str(v["grade_reported"])
    out["grade_conflict"] = (out["grade_reported"].notna() & (out["grade_reported"] != out["grade"])).fillna(False)
    out["grade_conflict"] = out["grade_conflict"].astype(bool)
    out["summary"] = _str(v["summary"])
    out["longitude"] = _float(v["longitude"])
    out["latitude"] = _float(v["latitude"])
    lon_bad = out["longitude"].notna() & ~out["longitude"].between(73, 136)
    lat_bad = out["latitude"].notna() & ~out["latitude"].between(3, 54)
    errors.add(
        lon_bad,
        headers.get("longitude", "经度"),
        _messages(
            lon_bad,
            lambda x: f"column {headers.get('longitude', '经度')}: {x} is outside China (expected 73–136)",
            out["longitude"],
        ),
    )
    errors.add(
        lat_bad,
        headers.get("latitude", "纬度"),
        _messages(
            lat_bad,
            lambda x: f"column {headers.get('latitude', '纬度')}: {x} is outside China (expected 3–54)",
            out["latitude"],
        ),
    )
    return out


def _hazards(v: dict[str, pd.Series], errors: _Errors, headers: dict[str, str], kind: Kind) -> pd.DataFrame:
    out = pd.DataFrame(index=next(iter(v.values())).index)
    out["hazard_id"] = _str(v["hazard_id"])
    for c in ("enterprise", "credit_code"):
        out[c] = _str(v[c])
    out = _with_regions(out, v["region"])
    for c in ("industry", "address", "description", "category", "grade", "source"):
        out[c] = _str(v[c])
    for c in ("found_date", "deadline", "rectified_date", "accepted_date"):
        out[c] = pd.to_datetime(v[c], errors="coerce")
    h = {c: headers.get(c, kind.column(c).zh) for c in ("found_date", "deadline", "rectified_date", "accepted_date")}

    def seq(later: str, earlier: str, what: str) -> None:
        bad = out[later].notna() & out[earlier].notna() & (out[later] < out[earlier])
        msgs = pd.Series(None, index=out.index, dtype=object)
        if bad.any():  # the message only for the rows at fault
            msgs[bad.to_numpy()] = [
                f"column {h[later]}: {a:%Y-%m-%d} is before {h[earlier]} {b:%Y-%m-%d} ({what})"
                for a, b in zip(out.loc[bad, later], out.loc[bad, earlier], strict=True)
            ]
        errors.add(bad, h[later], msgs)

    seq("rectified_date", "found_date", "rectified before it was found is impossible")
    seq("accepted_date", "rectified_date", "acceptance before rectification is impossible")
    seq("deadline", "found_date", "a deadline before the hazard was found is impossible")
    # Accepted without a rectification date: refused, unless the file's own status says the hazard was
    # rectified or closed — then the rectification is undated (复查日期 beside 已整改/关闭 in a ledger with
    # no 整改完成日期 column), counted as the rules count an undated rectification.
    said_done = _str(v["status"]).isin(hz.DONE_STATUSES).fillna(False).to_numpy()
    no_rect = out["accepted_date"].notna() & out["rectified_date"].isna() & ~said_done
    errors.add(
        no_rect,
        h["accepted_date"],
        f"column {h['accepted_date']}: accepted but {h['rectified_date']} is empty "
        "(acceptance needs a rectification first)",
    )
    derived = hz.derive_status(out["deadline"], out["rectified_date"], out["accepted_date"])
    status = _str(v["status"])
    out["status_derived"] = status.isna().to_numpy()
    out["status"] = status.fillna(derived)
    out["funds_wan"] = _float(v["funds_wan"])
    out["responsible_person"] = _str(v["responsible_person"])
    out["supervision_level"] = _str(v["supervision_level"]).fillna("none")
    for c in ("measures_in_place", "funds_in_place", "deadline_in_place", "person_in_place", "plan_in_place"):
        out[c] = v[c].astype("boolean")
    return out


def _period_columns(out: pd.DataFrame, period: pd.Series) -> pd.DataFrame:
    per = period.astype("string")
    out["period"] = per
    out["period_kind"] = per.str.len().map({4: "year", 7: "month"}).astype("string")
    out["year"] = pd.to_numeric(per.str.slice(0, 4), errors="coerce").astype("Int64")
    out["month"] = pd.to_numeric(per.str.slice(5, 7), errors="coerce").astype("Int64")
    return out


# The sums checked on the figures present: (较大 given, 重特大 given) → the message.
_TOO_FEW = {
    "accidents": {
        (True, True): "fewer accidents than 较大 + 重特大 accidents together (impossible)",
        (True, False): "fewer accidents than 较大 accidents (impossible)",
        (False, True): "fewer accidents than 重特大 accidents (impossible)",
    },
    "deaths": {
        (True, True): "fewer deaths than 较大 + 重特大 deaths together (impossible)",
        (True, False): "fewer deaths than 较大 deaths (impossible)",
        (False, True): "fewer deaths than 重特大 deaths (impossible)",
    },
}


def _accident_stats(v: dict[str, pd.Series], errors: _Errors, headers: dict[str, str], kind: Kind) -> pd.DataFrame:
    """Each measure is kept as it is written: a figure not released (empty, —, 未公布, or its column
    absent) is unknown (<NA>), never 0. The sums are checked on the figures present only; a row with
    no figure at all is rejected."""
    out = pd.DataFrame(index=next(iter(v.values())).index)
    out["stat_id"] = pd.Series(None, index=out.index, dtype="string")
    out = _period_columns(out, v["period"])
    out = _with_regions(out, v["region"])
    out["industry"] = _str(v["industry"]).replace("__all__", pd.NA)
    for c in ACCIDENT_STAT_MEASURES:
        out[c] = _int(v[c], default=None)
    out["injuries"] = _int(v["injuries"], default=None)
    out["direct_loss_wan"] = _float(v["direct_loss_wan"])
    h = {c: headers.get(c, kind.column(c).zh) for c in ACCIDENT_STAT_MEASURES}
    for whole, parts in (
        ("accidents", ("larger_accidents", "major_accidents")),
        ("deaths", ("larger_deaths", "major_deaths")),
    ):
        larger, major = (out[c] for c in parts)
        given = out[whole].notna() & (larger.notna() | major.notna())
        too_many = (given & ((larger.fillna(0) + major.fillna(0)) > out[whole])).fillna(False)
        if not too_many.any():
            continue
        which = pd.Series(list(zip(larger.notna(), major.notna(), strict=True)), index=out.index)
        errors.add(too_many, h[whole], f"column {h[whole]}: " + which.map(_TOO_FEW[whole]))
    none = out[list(ACCIDENT_STAT_MEASURES)].isna().all(axis=1)
    named = ", ".join(h[c] for c in ACCIDENT_STAT_MEASURES)
    errors.add(
        none,
        h["accidents"],
        f"column {h['accidents']}: no figure in this row ({named} are all empty or "
        "not released; expected at least one number)",
    )
    return out


def _unreleased_as_blank(values: pd.Series) -> pd.Series:
    """未公布, 不详 … (domain.statistics) as empty cells: an unknown figure, not a value in error."""
    words = [u for u in pd.unique(values) if is_unreleased(u)]
    return values.mask(values.isin(words), None) if words else values


def _unknown_notes(
    out: pd.DataFrame, frame: pd.DataFrame, errors: _Errors, headers: dict[str, str], kind: Kind
) -> list[str]:
    """What the import report says of the figures stored as unknown: the columns the file lacks, and
    the rows whose cell was empty or a word such as 未公布."""
    valid = (~errors.rejected_mask()).to_numpy()
    if not valid.any():
        return []
    absent = [c for c in ACCIDENT_STAT_MEASURES if c not in frame.columns]
    notes = []
    if absent:
        notes.append(
            "columns not in the file, stored as unknown (not released), not as 0: "
            + ", ".join(kind.column(c).zh for c in absent)
        )
    by_rows: dict[tuple[int, ...], list[str]] = {}  # the same rows: one note naming their columns
    for c in ACCIDENT_STAT_MEASURES:
        rows = tuple(int(r) for r in out.index[out[c].isna().to_numpy() & valid])
        if rows and c not in absent:
            by_rows.setdefault(rows, []).append(headers.get(c, kind.column(c).zh))
    for rows, labels in by_rows.items():
        notes.append(
            f"{', '.join(labels)} empty or not released (未公布) in {_rows(list(rows))}: stored as unknown, not as 0"
        )
    return notes


def _hazard_stats(v: dict[str, pd.Series], errors: _Errors, headers: dict[str, str], kind: Kind) -> pd.DataFrame:
    out = pd.DataFrame(index=next(iter(v.values())).index)
    out["stat_id"] = pd.Series(None, index=out.index, dtype="string")
    out = _period_columns(out, v["period"])
    out = _with_regions(out, v["region"])
    out["industry"] = _str(v["industry"])
    counts = hz.HAZARD_STAT_COUNTS
    for c in counts:
        out[c] = _int(v[c], default=None if not kind.column(c).required else 0)
    out["funds_wan"] = _float(v["funds_wan"])
    for part, whole in (
        ("major_closed", "major_rectified"),
        ("major_supervised", "major_found"),
        ("major_supervised_province", "major_supervised"),
    ):
        lab = headers.get(part, kind.column(part).zh)
        bad = (out[part] > out[whole]).fillna(False)
        errors.add(bad, lab, f"column {lab}: larger than {headers.get(whole, kind.column(whole).zh)} (impossible)")
    return out


def _carry_over_notes(out: pd.DataFrame, errors: _Errors, headers: dict[str, str], kind: Kind) -> list[str]:
    """More rectified than found in a month is no error on a report form: hazards found in earlier months
    are rectified in this one (carry-over). Kept as filed, and said (issue 14, point 9)."""
    notes = []
    valid = ~errors.rejected_mask().reindex(out.index, fill_value=False)
    for part, whole in (("general_rectified", "general_found"), ("major_rectified", "major_found")):
        more = (out[part] > out[whole]).fillna(False) & valid
        if more.any():
            rows = ", ".join(str(r) for r in out.index[more][:5]) + (
                f" and {int(more.sum()) - 5} more" if int(more.sum()) > 5 else ""
            )
            notes.append(
                f"rows {rows}: {headers.get(part, kind.column(part).zh)} larger than "
                f"{headers.get(whole, kind.column(whole).zh)}: kept as filed (hazards found in earlier "
                "months rectified in this one)"
            )
    return notes


def _targets(v: dict[str, pd.Series], errors: _Errors, headers: dict[str, str], kind: Kind) -> pd.DataFrame:
    out = pd.DataFrame(index=next(iter(v.values())).index)
    out["target_id"] = pd.Series(None, index=out.index, dtype="string")
    out["year"] = _int(v["year"], default=None)
    out = _with_regions(out, v["region"])
    out["deaths_target"] = _int(v["deaths_target"])
    out["accidents_target"] = _int(v["accidents_target"], default=None)
    return out


def _rows(rows: list[int]) -> str:
    """'row 5', 'rows 5 and 9', 'rows 5, 7 and 9'."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    return "rows " + ", ".join(str(r) for r in rows[:-1]) + f" and {rows[-1]}"


def _status_notes(out: pd.DataFrame, errors: _Errors, headers: dict[str, str], kind: Kind) -> list[str]:
    """Data-quality notes (not rejects) for a status written in the file that its dates contradict."""
    valid = (~errors.rejected_mask()).to_numpy() & ~out["status_derived"].to_numpy(dtype=bool)
    h = {c: headers.get(c, kind.column(c).zh) for c in ("status", "rectified_date", "accepted_date")}
    status = out["status"].fillna("")
    checks = (
        (
            status.isin([hz.HazardStatus.FOUND, hz.HazardStatus.RECTIFYING]) & out["rectified_date"].notna(),
            f"{h['status']} says not rectified (未整改/整改中) but {h['rectified_date']} is given",
        ),
        (
            status.eq(hz.HazardStatus.CLOSED) & out["accepted_date"].isna(),
            f"{h['status']} says closed (已验收/已销号) but {h['accepted_date']} is empty",
        ),
    )
    notes = []
    for mask, what in checks:
        rows = [int(r) for r in out.index[mask.to_numpy(dtype=bool) & valid]]
        if rows:
            notes.append(f"data quality: {_rows(rows)}: {what}; kept with the status as written")
    return notes


_STAT_SUMS = {
    "accident-stats": (
        "accidents",
        "deaths",
        "larger_accidents",
        "larger_deaths",
        "major_accidents",
        "major_deaths",
        "injuries",
        "direct_loss_wan",
    ),
    "hazard-stats": (
        "units",
        "general_found",
        "general_rectified",
        "major_found",
        "major_rectified",
        "major_closed",
        "major_in_plan",
        "major_five_in_place",
        "major_supervised",
        "major_supervised_province",
        "funds_wan",
        "units_due",
        "major_supervised_city",
    ),
}


def _label_key(value: Any) -> str:
    return "" if p.is_blank(value) else "".join(p.show(value).split()).lower()


def _ids_and_duplicates(
    kind: Kind, out: pd.DataFrame, frame: pd.DataFrame, errors: _Errors, headers: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    id_col = kind.id_column
    notes: list[str] = []
    valid = ~errors.rejected_mask()
    if kind.name == "targets":
        out[id_col] = ("T-" + out["region_code"].fillna("?") + "-" + out["year"].astype("string").fillna("?")).astype(
            "string"
        )
        label = "年度/地区 (year/region)"
        what = "the same year and region"
    elif kind.name in ("accident-stats", "hazard-stats"):
        industry = out["industry"].fillna("all")
        ids = (
            ("AS-" if kind.name == "accident-stats" else "HS-")
            + out["region_code"].fillna("?")
            + "-"
            + out["period"].fillna("?")
            + "-"
            + industry
        )
        out[id_col] = ids.astype("string")
        label = "统计期间/地区/行业 (period/region/industry)"
        what = "the same period, region and industry"
        out, merge_notes = _merge_sub_sectors(kind, out, frame, valid, headers)
        notes.extend(merge_notes)
        valid = valid.reindex(out.index)
    else:
        given = out[id_col]
        key_frame = out[["region_code" if c == "region" else c for c in kind.key_columns]]
        if "region_code" in key_frame.columns:  # ids from a renamed unit's old code: the same before and after
            key_frame = key_frame.assign(region_code=key_frame["region_code"].map(id_code, na_action="ignore"))
        if given.isna().any():
            generated = content_ids("A-" if kind.name == "accidents" else "H-", key_frame)
            out[id_col] = given.fillna(generated).astype("string")
        else:  # every row has its id: none to generate
            out[id_col] = given.astype("string")
        label = headers.get(id_col, kind.column(id_col).zh)
        what = "the same id"
        if given.isna().any() and given.notna().any():
            notes.append(f"{int(given.isna().sum())} rows had no {label}: ids generated from their content")
        notes.extend(_same_content_notes(kind, out, given.isna() & valid, key_frame, headers))
    # Two valid rows with the same id in one file: keep the first, reject the later ones.
    ids = out[id_col].where(valid)
    later = (ids.notna() & ids.duplicated(keep="first")).to_numpy()
    if later.any():
        firsts = ids.notna() & ~ids.duplicated(keep="first")
        first_row = dict(zip(ids[firsts], out.index[firsts.to_numpy()], strict=True))
        msgs = pd.Series(None, index=out.index, dtype=object)
        msgs[later] = [
            f"column {label}: {what} as row {first_row[x]} of this file ('{x}'); only the first is kept"
            for x in ids[later]
        ]
        errors.add(
            pd.Series(later, index=out.index).reindex(errors.index, fill_value=False), label, msgs.reindex(errors.index)
        )
    return out, notes


def _same_content_notes(
    kind: Kind, out: pd.DataFrame, generated: pd.Series, key_frame: pd.DataFrame, headers: dict[str, str]
) -> list[str]:
    """Rows without an id whose key columns are the same get -2, -3 … ids: both kept, and said so."""
    mask = generated.to_numpy(dtype=bool)
    if mask.sum() < 2:
        return []
    keys = row_hashes(key_frame.loc[mask])
    full = row_hashes(out.loc[mask].drop(columns=[kind.id_column]))
    notes = []
    for _, rows in keys.groupby(keys, sort=False).groups.items():
        if len(rows) < 2:
            continue
        row_list = sorted(int(r) for r in rows)
        if full.loc[rows].nunique() == 1:
            notes.append(
                f"{_rows(row_list)} are identical: {'both' if len(rows) == 2 else 'all'} kept "
                "(ids with -2, -3 … suffixes)"
            )
        else:
            cols = ", ".join(headers.get(c, kind.column(c).zh) for c in kind.key_columns)
            notes.append(
                f"{_rows(row_list)} have the same {cols}: {'both' if len(rows) == 2 else 'all'} kept "
                "as separate records (ids with -2, -3 … suffixes)"
            )
    return notes


def _merge_sub_sectors(
    kind: Kind, out: pd.DataFrame, frame: pd.DataFrame, valid: pd.Series, headers: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """Statistics rows of one file whose industries differ as written but resolve to the same
    canonical industry (冶金, 有色, 建材 … are all 工贸) for the same period and region are summed into
    the first of them. A row whose industry is written the same as an earlier one of its group is left
    alone (and rejected as a duplicate)."""
    id_col = kind.id_column
    ids = out[id_col].where(valid)
    dup = ids.notna() & ids.duplicated(keep=False)
    if not dup.any():
        return out, []
    written = frame["industry"] if "industry" in frame.columns else pd.Series("", index=frame.index)
    sums = [c for c in _STAT_SUMS[kind.name] if c in out.columns]
    ind_label = headers.get("industry", kind.column("industry").zh)
    notes: list[str] = []
    drop: list[int] = []
    out = out.copy()
    for key, rows in out.index[dup.to_numpy()].groupby(ids[dup].to_numpy()).items():
        seen: dict[str, int] = {}
        members: list[int] = []
        for row in sorted(int(r) for r in rows):
            label_key = _label_key(written.loc[row])
            if label_key in seen:
                continue  # the same row written twice: a duplicate, not a sub-sector
            seen[label_key] = row
            members.append(row)
        if len(members) < 2:
            continue
        first = members[0]
        for c in sums:
            col = out.loc[members, c]
            if kind.name == "accident-stats" and col.isna().any():
                out.at[first, c] = None  # a figure not released makes the sum unknown, not the sum of the rest
                continue
            total = col.sum(min_count=1)
            out.at[first, c] = total if not pd.isna(total) else out.at[first, c]
        drop.extend(members[1:])
        names = ", ".join(p.show(written.loc[r]) for r in members)
        industry = out.at[first, "industry"]
        industry = "all industries" if pd.isna(industry) else industry
        notes.append(
            f"{_rows(members)} ({names}) are the same {ind_label} '{industry}' for "
            f"{out.at[first, 'period']} {out.at[first, 'region_code']}: summed into one record "
            f"(row {first}, id {key})"
        )
    return out.drop(index=drop), notes
