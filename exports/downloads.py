"""Downloads of exactly what a page shows (the Explorer's pivot, its comparison and its records), as CSV
and XLSX. Pure: a table with its column types and a header block in, bytes out.

Both formats have the same layout, so one recipe reads either back
(``pd.read_csv(f, skiprows=HEADER_ROWS)``, ``pd.read_excel(f, skiprows=HEADER_ROWS)``):

- rows 1–4, the header block: the title, then 筛选条件 (the filters), 导出时间 (the time of the export)
  and 数据来源 (the data source), each a label in the first cell and its text in the second;
- row 5 empty;
- row 6 the table's header (Chinese; in an English export each header is "中文 English"), then the rows.

CSV is UTF-8 with a BOM (so that Excel shows the Chinese), comma-separated; dates are ISO
(``2024-03-05``, ``2024-03-05 14:30``), numbers plain (no thousands separators), rates fractions
(0.945 = 94.5 %), an unknown value empty. XLSX (xlsxwriter) is written in Noto Sans CJK SC with real
date cells (date formats), number cells (``#,##0``, ``#,##0.00``, rates ``0.0%``), the header frozen and
filterable; an unknown value is an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

HEADER_ROWS = 5  # rows above the table's header
FONT_NAME = "Noto Sans CJK SC"
FONT_CHARSET = 134  # GB2312: tells Excel the font is Chinese
KINDS = ("text", "int", "float", "pct", "date", "datetime")
BLOCK_LABELS = {
    "title": ("报表", "Report"),
    "filters": ("筛选条件", "Filters"),
    "exported_at": ("导出时间", "Exported at"),
    "source": ("数据来源", "Data source"),
}
MAX_XLSX_ROWS = 1_048_576 - HEADER_ROWS - 1  # Excel's sheet limit, less the header block and header


@dataclass(frozen=True)
class Column:
    key: str  # the frame's column
    zh: str  # header
    en: str
    kind: str = "text"  # one of KINDS

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column kind must be one of {', '.join(KINDS)}, got {self.kind!r}")

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" or self.zh == self.en else f"{self.zh} {self.en}"


@dataclass(frozen=True)
class Export:
    """A table to download with its header block (texts already in the page's language)."""

    title: str
    filters: str
    source: str
    frame: pd.DataFrame
    columns: list[Column]
    lang: str = "zh"
    exported_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    sheet: str = "数据"

    def block(self) -> list[tuple[str, str]]:
        def label(k: str) -> str:
            zh, en = BLOCK_LABELS[k]
            return zh if self.lang == "zh" else f"{zh} {en}"

        return [
            (label("title"), self.title),
            (label("filters"), self.filters),
            (label("exported_at"), f"{self.exported_at:%Y-%m-%d %H:%M:%S}"),
            (label("source"), self.source),
        ]


def _missing(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _cell(v: object, kind: str) -> object:
    """A Python value of the column's kind, or None when unknown."""
    if _missing(v):
        return None
    if kind == "text":
        return str(v)
    if kind == "int":
        return int(round(float(v)))  # type: ignore[arg-type]
    if kind in ("float", "pct"):
        x = float(v)  # type: ignore[arg-type]
        return None if math.isinf(x) else x
    ts = pd.Timestamp(v)  # type: ignore[arg-type]
    return ts.date() if kind == "date" else ts.to_pydatetime().replace(tzinfo=None)


def _rows(export: Export) -> Iterable[list[object]]:
    cols = [(export.frame[c.key].tolist(), c.kind) for c in export.columns]
    for i in range(len(export.frame)):
        yield [_cell(values[i], kind) for values, kind in cols]


# A spreadsheet reads a cell that begins with one of these as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)),
# or, after a tab or a carriage return, as one: such a text is written with a leading apostrophe, as
# OWASP advises for CSV injection. A number (``-12.5``) is left as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return text.strip() == text


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet cell that can never run as a formula (a leading ``'`` when it could)."""
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell made safe (:func:`safe_cell`), for a CSV written with pandas."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: safe_cell(v) if isinstance(v, str) else v)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _csv_text(v: object, kind: str) -> str:
    if v is None:
        return ""
    if kind == "date":
        return v.isoformat()  # type: ignore[union-attr]
    if kind == "datetime":
        return f"{v:%Y-%m-%d %H:%M}"
    if kind == "pct":
        return f"{v:.6g}"
    if kind == "float":
        return f"{v:.10g}"
    return safe_cell(str(v))


def to_csv(export: Export) -> bytes:
    """The export as CSV (UTF-8 with BOM): the header block, an empty row, the header, the rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for label, text in export.block():  # the filters' text can hold a searched word: made safe too
        w.writerow([label, safe_cell(text)])
    w.writerow([])
    w.writerow([safe_cell(c.header(export.lang)) for c in export.columns])
    kinds = [c.kind for c in export.columns]
    for row in _rows(export):
        w.writerow([_csv_text(v, k) for v, k in zip(row, kinds, strict=True)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _width(c: Column, lang: str, values: list[object]) -> float:
    def w(s: str) -> int:  # a CJK character is about two columns wide
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    sample = [w(_csv_text(v, c.kind)) for v in values[:200]]
    base = {"date": 11, "datetime": 17, "pct": 9, "int": 9, "float": 11}.get(c.kind, 8)
    return float(min(60, max(base, w(c.header(lang)) + 2, *(s + 2 for s in sample))))


def to_xlsx(export: Export) -> bytes:
    """The export as XLSX: the header block, an empty row, the header (frozen, with a filter), the rows
    with date and number cells. More rows than a sheet holds raise ValueError (the page says so first)."""
    import xlsxwriter

    n = len(export.frame)
    if n > MAX_XLSX_ROWS:
        raise ValueError(f"{n} rows do not fit in one XLSX sheet (at most {MAX_XLSX_ROWS}); download CSV instead")
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        # constant_memory: rows are written in order and flushed, so a large export stays small in memory.
        # strings_to_formulas off: no text cell is ever a formula, whichever write call writes it.
        wb = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "default_format_properties": {"font_name": FONT_NAME, "font_size": 10, "font_charset": FONT_CHARSET},
            },
        )
        ws = wb.add_worksheet(export.sheet[:31])
        fmt = {
            "text": None,
            "int": wb.add_format({"num_format": "#,##0"}),
            "float": wb.add_format({"num_format": "#,##0.00"}),
            "pct": wb.add_format({"num_format": "0.0%"}),
            "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        bold = wb.add_format({"bold": True})
        title = wb.add_format({"bold": True, "font_size": 12})
        header = wb.add_format(
            {"bold": True, "bg_color": "#E5E7EB", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        first_rows = [[_cell(v, c.kind) for v in export.frame[c.key].head(200).tolist()] for c in export.columns]
        for j, c in enumerate(export.columns):
            ws.set_column(j, j, _width(c, export.lang, first_rows[j]))
        for i, (label, text) in enumerate(export.block()):
            ws.write_string(i, 0, label, title if i == 0 else bold)
            ws.write_string(i, 1, text, title if i == 0 else None)
        top = HEADER_ROWS
        for j, c in enumerate(export.columns):
            ws.write_string(top, j, c.header(export.lang), header)
        kinds = [c.kind for c in export.columns]
        for i, row in enumerate(_rows(export), start=top + 1):
            for j, (v, kind) in enumerate(zip(row, kinds, strict=True)):
                if v is None:
                    continue
                if kind == "text":
                    ws.write_string(i, j, v)  # type: ignore[arg-type]
                elif kind in ("date", "datetime"):
                    ws.write_datetime(i, j, v, fmt[kind])  # type: ignore[arg-type]
                else:
                    ws.write_number(i, j, v, fmt[kind])  # type: ignore[arg-type]
        ws.freeze_panes(top + 1, 1)
        ws.autofilter(top, 0, top + max(n, 1), len(export.columns) - 1)
        wb.close()
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


__all__ = ["FONT_NAME", "HEADER_ROWS", "Column", "Export", "safe_cell", "safe_csv_frame", "to_csv", "to_xlsx"]
