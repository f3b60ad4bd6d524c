"""Reading the files people really have into a raw table with its header found.

CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected, not asked), XLSX and XLS (python-calamine:
fast, and reads both), and Parquet. Title rows above the header, two- and three-level merged
headers, 合计 / 总计 total rows and 填表人 footers are handled here, so that everything after this
module sees one header and only data rows — and every row skipped is reported, never silently lost.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.schema import Kind, match_header

HEADER_SCAN_ROWS = 30
_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计", "全部合计", "合 计", "总 计", "total", "sum"})
_TOTAL_RE = re.compile(r"^(全省|全市|全县|全区|全国|本月|累计|各地)?(合计|总计|小计)$")
_SUSPECT_TOTAL = r"(全省|全市|全县|全区|全国|本月|累计|各地)?(合计|总计|小计|总合计|全部合计)|total|sum"
_FOOTER_WORDS = (
    "填表人|填报人|制表人|审核人|审核|单位负责人|负责人|统计负责人|填报日期|填表日期|制表日期|报送日期|"
    "联系电话|备注|说明|注"
    # English forms (reports.hazard_monthly writes one); matched with or without the spaces
    r"|(?i:prepared\s*by|reviewed\s*by|approved\s*by|head\s*of\s*unit|date\s*filled|report\s*date)"
)
_SUSPECT_FOOTER = rf"({_FOOTER_WORDS})[:：]"
_FOOTER_RE = re.compile(rf"^({_FOOTER_WORDS})\s*[:：]")
_META_REGION_RE = re.compile(
    r"(?:填报单位|填报地区|单位名称|地区|reporting\s*unit)\s*(?:[（(][^）)]*[）)])?\s*[:：]\s*([^\s:：，,（(]+)",
    re.IGNORECASE,
)
_AGENCY_RE = re.compile(r"(应急管理厅|应急管理局|应急局|安全生产委员会办公室|安委会办公室|安委办|人民政府|政府|盖章)+$")
# A month (2024年3月, not a range 2024年1—3月 nor a day 2024年4月5日: a 填报日期 is not the period), a year
# (2024年度), or after 统计期间 / Period: 2024-03, or a year alone (2024, 2024 (full year); not 2024 Q1).
_META_PERIOD_RE = re.compile(
    r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月(?!\s*[-—~至到]\s*\d)(?!\s*\d{1,2}\s*[日号])|度)"
    r"|(?:统计期间|period)\s*[:：]\s*(?:(\d{4}[-/.]\d{1,2})|(\d{4})\s*(?=$|[(（,，;；]))",
    re.IGNORECASE,
)


def year_of(period: str | None) -> str | None:
    """The year of a title's period when it names a whole year ('2024'), else None."""
    return period if period is not None and re.fullmatch(r"\d{4}", period) else None


class ReadError(Exception):
    """The file cannot be read as this kind: unreadable, no header, or a required column missing."""


@dataclass(frozen=True)
class RawTable:
    """Data rows under their original headers, indexed by the row number a person sees in the file."""

    frame: pd.DataFrame  # columns: canonical names; values as read
    headers: dict[str, str]  # canonical column → header text found in the file
    units: dict[str, str | None]  # canonical column → unit in the header's brackets
    header_row: int  # 1-based row number of the (last) header row
    sheet: str | None = None
    encoding: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # from title/footer lines: region, period
    skipped: tuple[tuple[int, str], ...] = ()  # (row number, why): total and footer rows
    ignored_headers: tuple[str, ...] = ()  # columns in the file that the schema does not know
    other_sheets: tuple[str, ...] = ()
    # (row number, ((column number, value), …)): non-empty cells right of the header's last column,
    # not imported (the row itself is kept)
    extra_cells: tuple[tuple[int, tuple[tuple[int, str], ...]], ...] = ()


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------- grids: list of rows of cells


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else GB18030 (a superset of GBK and GB2312),
    else charset-normalizer's best guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ReadError("the file is not text in a known encoding (expected UTF-8 or GBK/GB18030 CSV)")
    return best.encoding


def _sniff_delimiter(sample: str) -> str:
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv_grid(path: Path) -> tuple[list[list[Any]], str, str]:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{path.name} is empty")
    if data[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
        raise ReadError(f"{path.name} is not a CSV text file (it looks binary)")
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    delimiter = _sniff_delimiter("\n".join(text.splitlines()[:HEADER_SCAN_ROWS]))
    return text, encoding, delimiter  # type: ignore[return-value]


def _fill_merged(grid: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]],
                 offset: tuple[int, int]) -> None:
    """Give every cell of a merged range the value of its top-left cell (only in the header area)."""
    r0, c0 = offset
    for (top, left), (bottom, right) in merged:
        top, bottom, left, right = top - r0, bottom - r0, left - c0, right - c0
        if top < 0 or top >= min(len(grid), HEADER_SCAN_ROWS + 3) or left < 0:
            continue
        value = grid[top][left] if left < len(grid[top]) else ""
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                if r != top or c != left:
                    row[c] = value


def _read_excel_grids(path: Path, sheet: str | None) -> list[tuple[str, list[list[Any]]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, Exception) as exc:  # calamine raises several types for a bad file
        raise ReadError(f"{path.name} is not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
    names = list(wb.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise ReadError(f"{path.name} has no sheet '{sheet}' (sheets: {', '.join(names)})")
        names = [sheet]
    grids = []
    for name in names:
        ws = wb.get_sheet_by_name(name)
        grid = [list(r) for r in ws.to_python(skip_empty_area=False)]
        try:
            merged = ws.merged_cell_ranges or []
        except Exception:  # XLS without merge info
            merged = []
        _fill_merged(grid, merged, (0, 0))
        grids.append((name, grid))
    return grids


# ---------------------------------------------------------------- header detection


@dataclass(frozen=True)
class _Header:
    start: int  # 0-based index of the first header row
    depth: int  # 1, 2 or 3 rows
    names: tuple[str, ...]  # composed header text per column
    mapping: dict[int, tuple[str, str | None]]  # column index → (canonical, unit)


def _compose(rows: list[list[Any]], width: int) -> list[list[str]]:
    """Header rows as text, each row forward-filled across blanks to its right under a filled
    upper cell (an unmarked merge), so '一般隐患 | | ' over '排查数 | 整改数 | 整改率' composes."""
    texts = [[_cell_text(r[c]) if c < len(r) else "" for c in range(width)] for r in rows]
    for level in range(len(texts) - 1):
        row = texts[level]
        for c in range(1, width):
            if not row[c] and row[c - 1] and any(texts[lv][c] for lv in range(level + 1, len(texts))):
                # Only carry a group title over columns that have a lower-level header of their own.
                row[c] = row[c - 1]
    return texts


def _match_columns(kind: Kind, texts: list[list[str]], width: int) -> tuple[tuple[str, ...], dict]:
    names: list[str] = []
    mapping: dict[int, tuple[str, str | None]] = {}
    used: set[str] = set()
    for c in range(width):
        parts: list[str] = []
        for level in texts:
            if level[c] and (not parts or parts[-1] != level[c]):
                parts.append(level[c])
        name = "".join(parts)
        names.append(" / ".join(parts))
        # Try the whole composed name, then drop group titles from the top one at a time.
        for k in range(len(parts)):
            canon, unit = match_header(kind, "".join(parts[k:]))
            if canon is not None:
                if canon not in used:
                    used.add(canon)
                    mapping[c] = (canon, unit)
                break
        else:
            if not name:
                continue
    return tuple(names), mapping


def find_header(kind: Kind, grid: list[list[Any]]) -> _Header | None:
    """The header (1 to 3 rows deep) that recognises the most schema columns in the first rows."""
    best: _Header | None = None
    best_score: tuple[int, int, int] = (0, 0, 0)
    scan = grid[: HEADER_SCAN_ROWS + 2]
    width = max((len(r) for r in scan), default=0)
    for start in range(min(HEADER_SCAN_ROWS, len(scan))):
        if not any(_cell_text(v) for v in scan[start]):
            continue
        for depth in (1, 2, 3):
            if start + depth > len(scan):
                break
            texts = _compose(scan[start : start + depth], width)
            names, mapping = _match_columns(kind, texts, width)
            # Most columns recognised, then most required ones, then the shallowest header (a title
            # row stacked on top of the real header must not win a tie).
            score = (len(mapping), sum(1 for c, _ in mapping.values() if kind.column(c).required), -depth)
            if best is None or score > best_score:
                best, best_score = _Header(start, depth, names, mapping), score
    return best if best is not None and best.mapping else None


def _missing_required_message(kind: Kind, found: set[str], where: str, extra_ok: set[str]) -> str | None:
    missing = [c for c in kind.required if c.name not in found and c.name not in extra_ok]
    if not missing:
        return None
    parts = [f"{c.zh} ({c.name}; accepted headers: {', '.join(dict.fromkeys((c.zh, c.en, *c.aliases)))})"
             for c in missing]
    return f"{where}: required column missing: " + "; ".join(parts)


# ---------------------------------------------------------------- rows


def _classify_row(cells: list[str]) -> str | None:
    """'total', 'footer' or None for a data row."""
    filled = [unicodedata.normalize("NFKC", c) for c in cells if c]
    if not filled:
        return "empty"
    for c in filled[:3]:
        compact = c.replace(" ", "").lower()
        if compact in _TOTAL_WORDS or _TOTAL_RE.match(compact):
            return "total"
    if _FOOTER_RE.match(filled[0]):
        return "footer"
    return None


def _meta_from_lines(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in lines:
        if "region" not in meta:
            m = _META_REGION_RE.search(line)
            if m:
                meta["region"] = _AGENCY_RE.sub("", m.group(1)) or m.group(1)
        if "period" not in meta:
            m = _META_PERIOD_RE.search(line)
            if m:
                if m.group(3):
                    meta["period"] = m.group(3)
                elif m.group(4):
                    meta["period"] = m.group(4)
                elif m.group(2):
                    meta["period"] = f"{m.group(1)}-{int(m.group(2)):02d}"
                else:
                    meta["period"] = m.group(1)
    return meta


def _table_from_grid(kind: Kind, grid: list[list[Any]], where: str, extra_ok: set[str],
                     sheet: str | None = None, encoding: str | None = None,
                     body: pd.DataFrame | None = None, body_first_row: int | None = None) -> RawTable:
    header = find_header(kind, grid)
    if header is None:
        examples = ", ".join(c.zh for c in kind.required)
        raise ReadError(f"{where}: no header row found in the first {HEADER_SCAN_ROWS} rows "
                        f"(expected a row with columns such as {examples})")
    found = {canon for canon, _ in header.mapping.values()}
    message = _missing_required_message(kind, found, where, extra_ok)
    title_lines = [" ".join(_cell_text(v) for v in row if _cell_text(v)) for row in grid[: header.start]]
    data_start = header.start + header.depth  # 0-based
    if body is None:
        rows = grid[data_start:]
        full = max((len(r) for r in rows), default=0)
        full = max(full, len(header.names))
        body = pd.DataFrame([list(r) + [""] * (full - len(r)) for r in rows],
                            columns=range(full), dtype=object)
        first_row = data_start + 1
    else:
        first_row = body_first_row if body_first_row is not None else data_start + 1
    body.index = pd.RangeIndex(first_row, first_row + len(body))
    # Cells right of the header's last named column have no header: they are not imported, but a
    # non-empty one is reported (never silently dropped, never a reason to refuse the file).
    width = max((i + 1 for i, n in enumerate(header.names) if n), default=0)
    width = max([width, *(i + 1 for i in header.mapping)])
    extra_frame = body[[c for c in body.columns if c >= width]]
    body = body[[c for c in body.columns if c < width]]
    # Classify only rows that look special (vectorised; a ledger may have a million rows): all
    # blank, a total word as a whole cell in the first columns, or a footer prefix.
    skipped: list[tuple[int, str]] = []
    footer_lines: list[str] = []
    drop: list[int] = []
    if len(body):
        texts = body.astype("string").fillna("")
        blank = texts.apply(lambda col: col.str.strip().eq("")).all(axis=1)
        suspicious = blank.copy()
        for col in list(texts.columns[: min(3, len(texts.columns))]):
            s = texts[col].str.replace(r"\s+", "", regex=True)
            suspicious |= s.str.fullmatch(_SUSPECT_TOTAL, case=False) | s.str.match(_SUSPECT_FOOTER)
        for row_no in body.index[suspicious.to_numpy()]:
            cells = [_cell_text(v) for v in body.loc[row_no].tolist()]
            kind_of_row = _classify_row(cells)
            if kind_of_row == "empty":
                drop.append(row_no)
            elif kind_of_row == "total":
                drop.append(row_no)
                skipped.append((row_no, "total row (合计/总计) skipped: it is a sum of the rows above, not a record"))
            elif kind_of_row == "footer":
                drop.append(row_no)
                footer_lines.append(" ".join(c for c in cells if c))
                skipped.append((row_no, "footer row skipped: " + " ".join(c for c in cells if c)[:60]))
    skipped_rows = {r for r, _ in skipped}
    extra_cells: list[tuple[int, tuple[tuple[int, str], ...]]] = []
    if len(extra_frame.columns) and len(extra_frame):
        extra_text = extra_frame.astype("string").fillna("").apply(lambda col: col.str.strip())
        has_extra = extra_text.ne("").any(axis=1)
        for row_no in extra_frame.index[has_extra.to_numpy()]:
            if row_no in skipped_rows:  # a footer spread over the row: already listed as skipped
                continue
            cells = tuple((int(c) + 1, _cell_text(extra_frame.at[row_no, c])) for c in extra_frame.columns
                          if extra_text.at[row_no, c] != "")
            extra_cells.append((int(row_no), cells))
    body = body.drop(index=drop)
    meta = _meta_from_lines(title_lines + footer_lines)
    if message is not None:
        meta_cover = {k for k in ("region", "period") if k in meta}
        if year_of(meta.get("period")) is not None:
            meta_cover.add("year")  # a targets file titled 2024年度…
        message = _missing_required_message(kind, found, where, extra_ok | meta_cover)
        if message is not None:
            raise ReadError(message)
    columns = {idx: canon for idx, (canon, _) in header.mapping.items()}
    frame = body[list(columns)].rename(columns=columns)
    headers = {canon: header.names[idx] for idx, (canon, _) in header.mapping.items()}
    units = {canon: unit for canon, unit in header.mapping.values()}
    ignored = tuple(n for i, n in enumerate(header.names) if n and i not in header.mapping)
    return RawTable(frame=frame, headers=headers, units=units, header_row=header.start + header.depth,
                    sheet=sheet, encoding=encoding, meta=meta, skipped=tuple(skipped), ignored_headers=ignored,
                    extra_cells=tuple(extra_cells))


def _read_csv_body(path: Path, text: str, delimiter: str, data_start: int, width: int) -> pd.DataFrame:
    """The data rows of a CSV as text, as wide as its widest row (cells right of the header are
    reported by :func:`_table_from_grid`, not refused)."""
    try:
        body = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, skiprows=data_start, dtype=str,
            keep_default_na=False, names=range(width + 32), skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError:
        body = None  # a row wider than that: read with the csv module (slower, rare)
    if body is None or not body.index.equals(pd.RangeIndex(len(body))):
        records = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = [list(r) for i, r in enumerate(records) if i >= data_start]
        full = max([width, *(len(r) for r in rows)])
        body = pd.DataFrame([r + [""] * (full - len(r)) for r in rows], columns=range(full), dtype=object)
    return body


def read_table(path: str | Path, kind: Kind, sheet: str | None = None,
               provided: set[str] | None = None) -> RawTable:
    """Read a file of one kind; ``provided`` names required columns given on the command line."""
    path = Path(path)
    extra_ok = provided or set()
    if not path.exists():
        raise ReadError(f"{path} does not exist")
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name} is empty")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        head = path.read_bytes()[:8]
        if head.startswith(b"%PDF"):
            raise ReadError(f"{path.name} is a PDF renamed to {suffix}, not a spreadsheet")
        try:
            grids = _read_excel_grids(path, sheet)
        except ReadError:
            raise
        except Exception as exc:  # a damaged workbook can fail in many ways deep inside the reader
            raise ReadError(f"{path.name} cannot be read as a spreadsheet ({type(exc).__name__}: {exc})") from None
        errors: list[str] = []
        for name, grid in grids:
            where = f"{path.name} sheet '{name}'"
            try:
                table = _table_from_grid(kind, grid, where, extra_ok, sheet=name)
            except ReadError as exc:
                errors.append(str(exc))
                continue
            others = tuple(n for n, _ in grids if n != name)
            return RawTable(**{**table.__dict__, "other_sheets": others})
        raise ReadError(errors[0] if len(errors) == 1 else " | ".join(errors))
    if suffix == ".parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as exc:
            raise ReadError(f"{path.name} is not a readable Parquet file ({exc})") from None
        grid = [list(df.columns)]
        body = df.astype(object).where(df.notna(), None)
        body.columns = range(len(df.columns))
        return _table_from_grid(kind, grid, path.name, extra_ok, body=body, body_first_row=2)
    if suffix in (".csv", ".txt", ".tsv", ""):
        text, encoding, delimiter = _read_csv_grid(path)
        head_lines = text.splitlines()[: HEADER_SCAN_ROWS + 3]
        grid = [list(r) for r in csv.reader(head_lines, delimiter=delimiter)]
        header = find_header(kind, grid)
        if header is None:
            return _table_from_grid(kind, grid, path.name, extra_ok, encoding=encoding)
        data_start = header.start + header.depth
        body = _read_csv_body(path, text, delimiter, data_start, len(header.names))
        return _table_from_grid(kind, grid, path.name, extra_ok, encoding=encoding, body=body,
                                body_first_row=data_start + 1)
    raise ReadError(f"{path.name}: unsupported file type '{suffix}' (expected .csv, .xlsx, .xls or .parquet)")
