"""The official report forms as bureaus fill them: what their layout means beyond a header and rows.

The national monthly 隐患排查治理 forms (工矿企业; 交通运输等重点行业领域) and forms like them are
aggregate tables, not ledgers, and say more than their cells:

- a **unit row** under the header — ``(家) (项) (%) (万元)`` — is part of the header (the units of the
  columns above), not a data row;
- **note lines** below the table — ``说明：``, ``有关要求：``, ``填表说明``, ``注：`` and the numbered lines that
  follow them — are skipped and listed, never read as data;
- **breakdown rows** — ``(1)生产、储存和其他化工企业`` under ``4.危险化学品企业`` — are already counted in the
  numbered row above them: skipped and listed, never added to it a second time;
- **blank cells mean 0** on an aggregate form (the form lists every industry; a blank is none) — never
  on a record ledger, where a blank is unknown; a rate written ``/`` or ``—`` (nothing to divide) is no rate;
- figures **cumulative since January** are recognised from the form's own words (``累计``, ``1-3月``,
  ``自年初``, ``截止到…为止``) and stored as cumulative: the month's own figures are then the difference
  with the previous month's report (``store.hazard_queries.hazard_stats_rows``).

Everything here works on what the readers found (grid lines, header names, frames); nothing reads a file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# ---------------------------------------------------------------- unit rows

# A unit cell of a form's unit row: (家) （项） (%) (万元) (人) (起) — or a bare 单位 word.
_UNIT_CELL = re.compile(r"^[(（]\s*(家|项|个|%|％|万元|元|亿元|千元|人|起|处|次|户|台|座)\s*[)）]$")


def unit_row(cells: Sequence[str], names: Sequence[str]) -> dict[int, str] | None:
    """The units of a form's unit row (column index → unit such as '万元'), or None when ``cells`` is not
    one: every non-blank cell is a bracketed unit or repeats the header above it (a merged header cell
    filled down), and at least two are units."""
    units: dict[int, str] = {}
    for i, cell in enumerate(cells):
        text = unicodedata.normalize("NFKC", cell).strip()
        if not text:
            continue
        m = _UNIT_CELL.match(text)
        if m:
            units[i] = "%" if m.group(1) in ("%", "％") else m.group(1)
        elif i >= len(names) or _compact(text) not in _compact(names[i]):
            return None
    return units if len(units) >= 2 else None


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


# ---------------------------------------------------------------- note lines

# The heading of a form's notes: 说明：…, 填表说明, 有关要求：…, 注：…, 注1：…, 附注 — the cell alone (说明, as a
# merged cell beside the text) or followed by a colon or a number.
NOTE_HEADINGS = ("填表说明", "填报说明", "有关要求", "说明", "附注", "注释", "注")
NOTE_PATTERN = rf"^(?:{'|'.join(NOTE_HEADINGS)})(?:$|[:：]|\d)"  # on a cell without its spaces (RE2 and re)
_NOTE_RE = re.compile(NOTE_PATTERN)


def is_note_heading(cell: str) -> bool:
    """Whether a row's first cell starts a form's notes: '说明：…', '说 明', '有关要求：', '注：', '注1：'."""
    return bool(_NOTE_RE.match(_compact(cell)))


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def row_text(values: Sequence[Any]) -> str:
    return " ".join(t for t in (_cell(v) for v in values) if t)


# ---------------------------------------------------------------- breakdown rows

# 1. / 1、 / 一、 / 1) : a top-level item of a form's row labels; (1) （1） ① 其中： : a breakdown of the item above.
_TOP_ITEM = re.compile(r"^(?:[0-9０-９]{1,2}\s*[.、．]|[一二三四五六七八九十]{1,3}\s*、)")
_SUB_ITEM = re.compile(r"^(?:[(（]\s*[0-9０-９]{1,2}\s*[)）]|[①-⑳]|其中\s*[:：]?)")


def breakdown_rows(labels: pd.Series) -> list[tuple[int, int]]:
    """(row, parent row) for each row labelled as a breakdown — ``(1)…``, ``①…``, ``其中：…`` — of the
    numbered row above it (``4.危险化学品企业``): that row already counts it. Only in a table whose rows
    are numbered."""
    text = labels.astype("string").fillna("").str.replace("\xa0", " ").str.strip()  # no NFKC: ① would become 1
    top = text.str.match(_TOP_ITEM.pattern).fillna(False).to_numpy(dtype=bool)
    if not top.any():
        return []
    sub = text.str.match(_SUB_ITEM.pattern).fillna(False).to_numpy(dtype=bool)
    out: list[tuple[int, int]] = []
    parent: int | None = None
    for row_no, is_top, is_sub in zip(labels.index, top, sub, strict=True):
        if is_top:
            parent = int(row_no)
        elif is_sub and parent is not None:
            out.append((int(row_no), parent))
        elif text.at[row_no]:
            parent = None  # an unnumbered row ends the item
    return out


# ---------------------------------------------------------------- cumulative figures

_CUMULATIVE = (
    (re.compile(r"\d{4}\s*年\s*(?:1|一|元)\s*[-—–~～至到]\s*(\d{1,2})\s*月"), "1-N月"),
    (re.compile(r"自年初|年初至|年初以来|本年度?累计|今年以来"), "自年初"),
    (re.compile(r"截[止至]到?\s*(?:\d{4}|\s)\s*年.*?(?:日|月)\s*(?:为止|止)"), "截止到…为止"),
    (re.compile(r"累计"), "累计"),
    (re.compile(r"\bJan(?:uary)?\.?\s*[-–—~]\s*[A-Z][a-z]{2}", re.IGNORECASE), "Jan–N"),
    (re.compile(r"year\s*to\s*date|since\s*January|cumulative", re.IGNORECASE), "year to date"),
)
# A period in words that a cumulative form writes: 2024年1-3月 (March), 截止到2024年3月31日为止 (March).
_RANGE_PERIOD = re.compile(r"(\d{4})\s*年\s*(?:1|一|元)\s*[-—–~～至到]\s*(\d{1,2})\s*月")
_UNTIL_PERIOD = re.compile(r"截[止至]到?\s*(\d{4})\s*年\s*(\d{1,2})\s*月")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_RANGE_PERIOD_EN = re.compile(r"\bJan(?:uary)?\.?\s*[-–—~]\s*([A-Z][a-z]{2})[a-z]*\.?\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Cumulative:
    """Where a form says its figures are cumulative since January: the words, and the line they are in."""

    words: str  # which marker: 累计, 1-N月, 自年初, 截止到…为止
    line: str  # the title, header or note text that says it (cut to 60 characters)


def cumulative_marker(
    title_lines: Sequence[str], note_lines: Sequence[str], header_names: Sequence[str]
) -> Cumulative | None:
    """Whether a form's own words say its figures are cumulative since January: in its title rows, its
    notes or its headers (累计落实治理资金). The first marker found, with its line."""
    for line in [*title_lines, *header_names, *note_lines]:
        text = " ".join(unicodedata.normalize("NFKC", line).split())
        for pattern, words in _CUMULATIVE:
            m = pattern.search(text)
            if m:  # the words themselves; a bare 累计 with a few characters around it
                wide = words in ("累计", "自年初", "year to date")
                return Cumulative(words, text[max(0, m.start() - 8) : m.end() + 12].strip() if wide else m.group(0))
    return None


def cumulative_period(title_lines: Sequence[str]) -> str | None:
    """The month a cumulative form's title names as its end: '2024年1-3月' or '截止到2024年3月31日为止' → 2024-03."""
    for line in title_lines:
        text = unicodedata.normalize("NFKC", line)
        m = _RANGE_PERIOD.search(text) or _UNTIL_PERIOD.search(text)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{int(m.group(2)):02d}"
        m = _RANGE_PERIOD_EN.search(text)
        if m and m.group(1).lower() in _MONTHS:
            return f"{m.group(2)}-{_MONTHS.index(m.group(1).lower()) + 1:02d}"
    return None


# ---------------------------------------------------------------- blanks on aggregate forms

# Kinds that are aggregate forms: a blank count there is 0. (accident-stats: see the partial figures rule.)
BLANK_IS_ZERO_KINDS = ("hazard-stats",)
NO_RATE_WORDS = frozenset({"/", "／", "—", "——", "-", "－", "–", "无", "n/a", "na"})
# A count or amount an aggregate form marks as not known: stored unknown (the partial-figures rule), not 0.
UNKNOWN_WORDS = frozenset({"—", "——", "–", "－", "未公布", "不详", "未知", "暂缺", "n/a"})


def blanks_as_zero(kind: Any, frame: pd.DataFrame, headers: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """On an aggregate form (``BLANK_IS_ZERO_KINDS``), a blank count or amount cell of a column the file has
    is 0 and one marked '—' / 未公布 is unknown (the partial-figures rule: stored empty), and a rate written '/'
    or '—' is no rate; a note says how many cells were read as 0 and where. Other kinds (ledgers) as they are."""
    if kind.name not in BLANK_IS_ZERO_KINDS or not len(frame):
        return frame, []
    frame = frame.copy()
    notes: list[str] = []
    zeroed: dict[str, list[int]] = {}
    for col in kind.columns:
        if col.name not in frame.columns:
            continue
        values = frame[col.name]
        text = values.astype("string").fillna("").str.strip()
        if col.type in ("count", "amount"):
            blank = text.eq("").to_numpy(dtype=bool)
            unknown = text.str.lower().isin(UNKNOWN_WORDS).to_numpy(dtype=bool)
            if blank.any() or unknown.any():
                frame[col.name] = values.astype(object).where(~blank, 0).where(~unknown, None)
            if blank.any():
                zeroed[headers.get(col.name, col.zh)] = [int(r) for r in frame.index[blank]]
        elif col.type == "rate":
            none = text.str.lower().isin(NO_RATE_WORDS).to_numpy(dtype=bool)
            if none.any():
                frame[col.name] = values.astype(object).where(~none, None)
    if zeroed:
        cells = sum(len(r) for r in zeroed.values())
        rows = sorted({r for rs in zeroed.values() for r in rs})
        shown = ", ".join(str(r) for r in rows[:20]) + (f" … ({len(rows)} rows)" if len(rows) > 20 else "")
        notes.append(f"blank cells read as 0 (an aggregate form: a blank is none): {cells} cells in rows {shown}")
    return frame, notes


# ---------------------------------------------------------------- the form's notes for the import report


def form_notes(raw: Any) -> list[str]:
    """What the import report says about how the file was read as a form: a web page, cumulative figures."""
    from loaders.decoding import WEB_FORMATS

    notes: list[str] = []
    if getattr(raw, "web_format", None):
        what = WEB_FORMATS[raw.web_format][0]
        how = "read as CSV" if raw.sheet is None else f"its table was read as sheet '{raw.sheet}'"
        notes.append(
            f"the file is {what}, not an Excel workbook (what web systems often serve as .xls): {how} ({raw.encoding})"
        )
    return notes


def hazard_form_columns(
    out: pd.DataFrame, parsed: dict[str, pd.Series], raw: Any, errors: Any, headers: dict[str, str], kind: Any
) -> tuple[pd.DataFrame, list[str]]:
    """The national forms' columns of a hazard-stats frame (应排查单位数, 其中：地市级挂牌督办) and its
    ``cumulative`` flag, with the note that says so when the form's figures are cumulative since January."""
    out = out.copy()
    for c in ("units_due", "major_supervised_city"):
        out[c] = pd.to_numeric(parsed[c], errors="coerce").astype("Int64")
    lab = headers.get("major_supervised_city", kind.column("major_supervised_city").zh)
    whole = headers.get("major_supervised", kind.column("major_supervised").zh)
    bad = (out["major_supervised_city"] > out["major_supervised"]).fillna(False)
    errors.add(bad, lab, f"column {lab}: larger than {whole} (impossible)")
    words = raw.meta.get("cumulative")
    out["cumulative"] = bool(words) & out["period_kind"].eq("month").fillna(False).to_numpy(dtype=bool)
    notes: list[str] = []
    if out["cumulative"].any():
        notes.append(
            f"figures cumulative since January (the form says {words}: '{raw.meta.get('cumulative_line', '')}'): "
            "stored as cumulative; a month's own figures are the difference with the previous month's report"
        )
    return out, notes


def cumulative_notes(store: Any, accepted: pd.DataFrame) -> list[str]:
    """For cumulative hazard-stats rows: which months' own figures are the difference with the previous
    month (in the store or in this file), which are the figures themselves (January), and which are unknown
    until the previous month is imported."""
    if not len(accepted) or "cumulative" not in accepted.columns or not accepted["cumulative"].any():
        return []
    rows = accepted.loc[
        accepted["cumulative"].astype(bool) & accepted["month"].notna(), ["region_code", "period", "year", "month"]
    ]
    pairs = rows.drop_duplicates()
    in_file = {(r, int(y), int(m)) for r, y, m in zip(pairs["region_code"], pairs["year"], pairs["month"], strict=True)}
    stored = store.query(
        "SELECT DISTINCT region_code, year, month FROM hazard_stats WHERE period_kind = 'month' AND cumulative "
        "AND list_contains(?::VARCHAR[], region_code)",
        [sorted(set(pairs["region_code"]))],
    )
    known = in_file | {
        (r, int(y), int(m)) for r, y, m in zip(stored["region_code"], stored["year"], stored["month"], strict=True)
    }
    notes: list[str] = []
    for region, period, year, month in sorted(pairs.itertuples(index=False, name=None), key=lambda t: (t[1], t[0])):
        year, month = int(year), int(month)
        if month == 1:
            notes.append(f"{period} {region}: January, the cumulative figures are the month's own")
            continue
        prev = f"{year}-{month - 1:02d}"
        if (region, year, month - 1) in known:
            where = "this file" if (region, year, month - 1) in in_file else "the store"
            notes.append(f"{period} {region}: the month's own figures are the difference with {prev} (in {where})")
        else:
            notes.append(
                f"{period} {region}: {prev} is not in the store: the month's own figures are unknown until "
                f"the {prev} report is imported (the cumulative figures are kept)"
            )
    return notes
