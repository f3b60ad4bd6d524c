"""Validation and normalisation of a raw table into store rows, and the rejects with reasons.

Every rejected row keeps its row number, the columns at fault, the reasons and its original
values; every accepted row gets canonical codes (adcode, industry, grade, status), a stable id and
a content hash.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from domain import hazards as hz
from domain.accident_types import resolve_accident_type
from domain.grading import grade_series, parse_grade
from domain.industries import ALL_INDUSTRIES_WORDS, resolve_industry
from domain.region_changes import id_code
from domain.regions import RegionError, hierarchy_columns, resolve_region
from loaders import parsing as p
from loaders.ids import content_ids, row_hashes
from loaders.readers import RawTable, year_of
from loaders.schema import UNITS, Kind


def _region(value: Any) -> str:
    try:
        return resolve_region(str(value))
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
        v, hz.STATUS_ALIASES, "hazard status", "未整改, 整改中, 已整改, 已验收, 已销号 or 验收不通过"),
    "hazard_source": lambda v: hz.lookup(v, hz.SOURCE_ALIASES, "hazard source", "企业自查, 执法检查, 举报 or 专家"),
    "supervision": lambda v: hz.lookup(v, hz.SUPERVISION_ALIASES, "supervision level", "无, 县级, 市级 or 省级"),
    "flag": _flag,
    "period": p.parse_period,
    "year": p.parse_year,
}


@dataclass
class Normalized:
    accepted: pd.DataFrame  # store columns except import_id
    rejects: pd.DataFrame  # row_number, columns, reason, original
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0


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


def normalize(kind: Kind, raw: RawTable, defaults: dict[str, str] | None = None) -> Normalized:
    """Validate ``raw`` against ``kind``'s schema; ``defaults`` fill columns the file lacks
    (``region`` and ``period`` for a monthly report whose title says them)."""
    frame = raw.frame.copy()
    notes: list[str] = []
    headers = dict(raw.headers)
    for name in ("region", "period", "year"):
        if name in {c.name for c in kind.columns} and name not in frame.columns:
            value = (defaults or {}).get(name) or raw.meta.get(name)
            if name == "year" and value is None:  # a targets file titled 2024年度…: the title's year
                value = year_of(raw.meta.get("period"))
            if value is not None:
                frame[name] = value
                headers[name] = f"{kind.column(name).zh} (title rows / option: {value})"
                notes.append(f"{kind.column(name).zh} '{value}' taken from the file's title rows or the command line")
    errors = _Errors(frame.index)
    parsed: dict[str, pd.Series] = {}
    for col in kind.columns:
        label = headers.get(col.name, col.zh)
        if col.name not in frame.columns:
            parsed[col.name] = pd.Series(None, index=frame.index, dtype=object)
            continue
        raw_values = frame[col.name]
        parser = PARSERS[col.type]
        factor = 1.0
        if col.type == "amount":  # the header's unit applies to bare numbers; a unit in a cell overrides it
            header_unit = raw.units.get(col.name) or "万元"
            factor = UNITS.get(header_unit, 1.0)
            parser = functools.partial(p.parse_amount, header_factor=factor)
            if factor != 1.0:
                notes.append(f"{label}: converted from {header_unit} to 万元")
        if kind.name == "accident-stats" and col.name == "industry":
            parser = _industry_or_all
        values, errs = p.parse_series(raw_values, col.type if parser is PARSERS.get(col.type) or
                                      col.type == "amount" else "", parser, factor)
        bad = errs.notna()
        if bad.any():
            errors.add(bad, label, ("column " + label + ": ") + errs.where(bad, "").astype(str))
        if col.required:
            blank = values.isna() & ~bad
            errors.add(blank, label, f"column {label}: is empty (a value is required)")
        parsed[col.name] = values
    builder = {"accidents": _accidents, "hazards": _hazards, "accident-stats": _accident_stats,
               "hazard-stats": _hazard_stats, "targets": _targets}[kind.name]
    out = builder(parsed, errors, headers, kind)
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
    return Normalized(accepted=accepted.reset_index(drop=True), rejects=rejects, notes=notes,
                      rows_read=len(frame))


def _rejects_frame(raw: RawTable, errors: _Errors) -> pd.DataFrame:
    rows = sorted(errors.by_row)
    originals = _original_json(raw, rows) if rows else {}
    records = []
    for row in rows:
        items = errors.by_row[row]
        records.append({
            "row_number": row,
            "columns": "; ".join(dict.fromkeys(c for c, _ in items)),
            "reason": "; ".join(f"row {row}, {m}" for _, m in items),
            "original": originals[row],
        })
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
    return pd.to_numeric(s, errors="coerce").astype("Int64") if default is None else \
        pd.to_numeric(s, errors="coerce").fillna(default).astype("int64")


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
    errors.add(lon_bad, headers.get("longitude", "经度"), _messages(
        lon_bad, lambda x: f"column {headers.get('longitude', '经度')}: {x} is outside China (expected 73–136)",
        out["longitude"]))
    errors.add(lat_bad, headers.get("latitude", "纬度"), _messages(
        lat_bad, lambda x: f"column {headers.get('latitude', '纬度')}: {x} is outside China (expected 3–54)",
        out["latitude"]))
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
            msgs[bad.to_numpy()] = [f"column {h[later]}: {a:%Y-%m-%d} is before {h[earlier]} {b:%Y-%m-%d} ({what})"
                                    for a, b in zip(out.loc[bad, later], out.loc[bad, earlier], strict=True)]
        errors.add(bad, h[later], msgs)

    seq("rectified_date", "found_date", "rectified before it was found is impossible")
    seq("accepted_date", "rectified_date", "acceptance before rectification is impossible")
    seq("deadline", "found_date", "a deadline before the hazard was found is impossible")
    no_rect = out["accepted_date"].notna() & out["rectified_date"].isna()
    errors.add(no_rect, h["accepted_date"],
               f"column {h['accepted_date']}: accepted but {h['rectified_date']} is empty "
               "(acceptance needs a rectification first)")
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


def _accident_stats(v: dict[str, pd.Series], errors: _Errors, headers: dict[str, str], kind: Kind) -> pd.DataFrame:
    out = pd.DataFrame(index=next(iter(v.values())).index)
    out["stat_id"] = pd.Series(None, index=out.index, dtype="string")
    out = _period_columns(out, v["period"])
    out = _with_regions(out, v["region"])
    out["industry"] = _str(v["industry"]).replace("__all__", pd.NA)
    for c in ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_accidents", "major_deaths"):
        out[c] = _int(v[c])
    out["injuries"] = _int(v["injuries"], default=None)
    out["direct_loss_wan"] = _float(v["direct_loss_wan"])
    lab = headers.get("accidents", "事故起数")
    too_many = (out["larger_accidents"] + out["major_accidents"]) > out["accidents"]
    errors.add(too_many, lab, f"column {lab}: fewer accidents than 较大 + 重特大 accidents together (impossible)")
    dlab = headers.get("deaths", "死亡人数")
    too_many_d = (out["larger_deaths"] + out["major_deaths"]) > out["deaths"]
    errors.add(too_many_d, dlab, f"column {dlab}: fewer deaths than 较大 + 重特大 deaths together (impossible)")
    return out


def _hazard_stats(v: dict[str, pd.Series], errors: _Errors, headers: dict[str, str], kind: Kind) -> pd.DataFrame:
    out = pd.DataFrame(index=next(iter(v.values())).index)
    out["stat_id"] = pd.Series(None, index=out.index, dtype="string")
    out = _period_columns(out, v["period"])
    out = _with_regions(out, v["region"])
    out["industry"] = _str(v["industry"])
    counts = ("units", "general_found", "general_rectified", "major_found", "major_rectified", "major_closed",
              "major_in_plan", "major_five_in_place", "major_supervised", "major_supervised_province")
    for c in counts:
        out[c] = _int(v[c], default=None if not kind.column(c).required else 0)
    out["funds_wan"] = _float(v["funds_wan"])
    for part, whole in (("general_rectified", "general_found"), ("major_rectified", "major_found"),
                        ("major_closed", "major_rectified"), ("major_supervised", "major_found"),
                        ("major_supervised_province", "major_supervised")):
        lab = headers.get(part, kind.column(part).zh)
        bad = (out[part] > out[whole]).fillna(False)
        errors.add(bad, lab, f"column {lab}: larger than {headers.get(whole, kind.column(whole).zh)} (impossible)")
    return out


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
        (status.isin(["found", "rectifying"]) & out["rectified_date"].notna(),
         f"{h['status']} says not rectified (未整改/整改中) but {h['rectified_date']} is given"),
        (status.eq("closed") & out["accepted_date"].isna(),
         f"{h['status']} says closed (已验收/已销号) but {h['accepted_date']} is empty"),
    )
    notes = []
    for mask, what in checks:
        rows = [int(r) for r in out.index[mask.to_numpy(dtype=bool) & valid]]
        if rows:
            notes.append(f"data quality: {_rows(rows)}: {what}; kept with the status as written")
    return notes


_STAT_SUMS = {
    "accident-stats": ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_accidents",
                       "major_deaths", "injuries", "direct_loss_wan"),
    "hazard-stats": ("units", "general_found", "general_rectified", "major_found", "major_rectified",
                     "major_closed", "major_in_plan", "major_five_in_place", "major_supervised",
                     "major_supervised_province", "funds_wan"),
}


def _label_key(value: Any) -> str:
    return "" if p.is_blank(value) else "".join(p.show(value).split()).lower()


def _ids_and_duplicates(kind: Kind, out: pd.DataFrame, frame: pd.DataFrame, errors: _Errors,
                        headers: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    id_col = kind.id_column
    notes: list[str] = []
    valid = ~errors.rejected_mask()
    if kind.name == "targets":
        out[id_col] = ("T-" + out["region_code"].fillna("?") + "-" + out["year"].astype("string").fillna("?")
                       ).astype("string")
        label = "年度/地区 (year/region)"
        what = "the same year and region"
    elif kind.name in ("accident-stats", "hazard-stats"):
        industry = out["industry"].fillna("all")
        ids = ("AS-" if kind.name == "accident-stats" else "HS-") + out["region_code"].fillna("?") + "-" + \
            out["period"].fillna("?") + "-" + industry
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
        msgs[later] = [f"column {label}: {what} as row {first_row[x]} of this file ('{x}'); only the first is kept"
                       for x in ids[later]]
        errors.add(pd.Series(later, index=out.index).reindex(errors.index, fill_value=False), label,
                   msgs.reindex(errors.index))
    return out, notes


def _same_content_notes(kind: Kind, out: pd.DataFrame, generated: pd.Series, key_frame: pd.DataFrame,
                        headers: dict[str, str]) -> list[str]:
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
            notes.append(f"{_rows(row_list)} are identical: {'both' if len(rows) == 2 else 'all'} kept "
                         "(ids with -2, -3 … suffixes)")
        else:
            cols = ", ".join(headers.get(c, kind.column(c).zh) for c in kind.key_columns)
            notes.append(f"{_rows(row_list)} have the same {cols}: {'both' if len(rows) == 2 else 'all'} kept "
                         "as separate records (ids with -2, -3 … suffixes)")
    return notes


def _merge_sub_sectors(kind: Kind, out: pd.DataFrame, frame: pd.DataFrame, valid: pd.Series,
                       headers: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
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
            total = col.sum(min_count=1)
            out.at[first, c] = total if not pd.isna(total) else out.at[first, c]
        drop.extend(members[1:])
        names = ", ".join(p.show(written.loc[r]) for r in members)
        industry = out.at[first, "industry"]
        industry = "all industries" if pd.isna(industry) else industry
        notes.append(f"{_rows(members)} ({names}) are the same {ind_label} '{industry}' for "
                     f"{out.at[first, 'period']} {out.at[first, 'region_code']}: summed into one record "
                     f"(row {first}, id {key})")
    return out.drop(index=drop), notes
