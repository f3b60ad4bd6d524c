"""Reading the files people really have into a raw table with its header found.

CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected, not asked), XLSX and XLS (python-calamine:
fast, and reads both), and Parquet. Title rows above the header, two- and three-level merged
headers, 合计 / 总计 total rows and 填表人 footers are handled here, so that everything after this
module sees one header and only data rows — and every row skipped is reported, never silently lost.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from domain.agencies import region_of_agency
from loaders import forms, headers
from loaders.headers import HeaderMatch
from loaders.schema import UNITS, Kind

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
# (签字) / （盖章） between the word and its colon: 单位负责人（签字）：, as the official forms print it.
_SUSPECT_FOOTER = rf"({_FOOTER_WORDS})(?:[（(][^）)]{{0,6}}[）)])?[:：]"
_FOOTER_RE = re.compile(rf"^({_FOOTER_WORDS})\s*(?:[（(][^）)]{{0,6}}[）)])?\s*[:：]")
_META_REGION_RE = re.compile(
    r"(?:填报单位|填报地区|单位名称|地区|reporting\s*unit)\s*(?:[（(][^）)]*[）)])?\s*[:：]\s*([^\s:：，,（(]+)",
    re.IGNORECASE,
)
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


MESSAGE_LIMIT = 1000  # characters of a ReadError's message: one line, however long what it quotes


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` on one line (line breaks and runs of spaces as one space), cut to ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ReadError(Exception):
    """The file cannot be read as this kind: unreadable, no header, or a required column missing.

    ``str(exc)`` is the English message; ``exc.zh`` its Chinese rendering for the upload page (the
    English one when there is none). Both are one line of at most :data:`MESSAGE_LIMIT` characters,
    whatever a file puts into them."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(one_line(message))
        self.zh = one_line(zh or message)
        # For a missing required column: the header texts found and the columns missing, so that the
        # upload page can offer to map one of the file's columns to each missing one.
        self.file_headers: tuple[str, ...] = ()
        self.missing: tuple[str, ...] = ()


def too_large_error(name: str, what: str, zh: str) -> ReadError:
    """The refusal of a file past a reading limit: 'too large to read: NAME: what was found, the limit'."""
    return ReadError(f"too large to read: {name}: {what}", zh=f"文件过大，无法读取：{name}：{zh}")


# Suffixes read by read_table (a file without a suffix is read as CSV).
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SUPPORTED_SUFFIXES = (*CSV_SUFFIXES, *EXCEL_SUFFIXES, ".parquet")


def unsupported_type_error(name: str, suffix: str) -> ReadError:
    return ReadError(f"{name}: unsupported file type '{suffix}' (expected .csv, .xlsx, .xls or .parquet)",
                     zh=f"{name}：不支持的文件类型“{suffix}”（应为 .csv、.xlsx、.xls 或 .parquet）")


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
    sheets: tuple[str, ...] = ()  # every sheet of a workbook, in order (empty for CSV and Parquet)
    # (row number, ((column number, value), …)): non-empty cells right of the header's last column,
    # not imported (the row itself is kept)
    extra_cells: tuple[tuple[int, tuple[tuple[int, str], ...]], ...] = ()
    file_headers: tuple[str, ...] = ()  # every non-blank header text of the file, in file order
    web_format: str | None = None  # 'html' or 'mhtml': a workbook that is really a web page (WEB_FORMATS)
    matches: tuple[HeaderMatch, ...] = ()  # what each file header became and why (exact, alias, concept …)
    # canonical column → the frame's columns ('accidents#3' …) summed into it: a group header over a partition
    sums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # group header text → the column its sub-columns sum to
    # canonical column → the frame's column it is read within ({'region': 'region@context'}: a city column)
    context: dict[str, str] = field(default_factory=dict)

    def column_mapping(self) -> dict[str, str | None]:
        """Header text → canonical column it was read into, or None (not imported), in file order; then
        each summed group header → its column (so that the mapping, applied again, sums it again)."""
        by_text: dict[str, str] = {}
        for canon, text in self.headers.items():
            if "#" not in canon and "@" not in canon:
                by_text.setdefault(text, canon)
        helpers = {self.headers[k] for k in self.context.values()}  # found again automatically: not in the mapping
        return {**{h: by_text.get(h) for h in self.file_headers if h not in helpers}, **self.groups}


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------- grids: list of rows of cells


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, checked by Arrow (no Python string of the whole file)."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else GB18030 (a superset of GBK and GB2312),
    else charset-normalizer's best guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if _is_utf8(data):
        return "utf-8"
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    return _guess_encoding(data)


def _guess_encoding(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ReadError("the file is not text in a known encoding (expected UTF-8 or GBK/GB18030 CSV)",
                        zh="文件不是已知编码的文本（应为 UTF-8 或 GBK/GB18030 编码的 CSV）")
    return best.encoding


def _sniff_delimiter(sample: str) -> str:
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def empty_file_error(name: str) -> ReadError:
    return ReadError(f"{name} is empty", zh=f"{name} 是空文件")


@dataclass(frozen=True)
class _CsvText:
    """A CSV file as UTF-8 bytes (no BOM) for the body reader, and its first lines as text."""

    body: bytes
    head: list[str]  # the first lines (str.splitlines of the decoded file), enough for the header scan
    encoding: str
    delimiter: str


def _head_lines(body: bytes, n: int) -> list[str]:
    """The first ``n`` lines of UTF-8 ``body`` as ``body.decode().splitlines()[:n]`` gives them,
    decoding only the start of the file (a line break is never inside a UTF-8 character)."""
    end = -1
    for _ in range(n + 1):
        end = body.find(b"\n", end + 1)
        if end < 0:
            return body.decode("utf-8").splitlines()[:n]
    return body[: end + 1].decode("utf-8").splitlines()[:n]


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


# A line that is UTF-8 text: nothing but UTF-8 sequences, one of them three bytes or more (CJK). Matched on
# bytes: pyarrow's regex engine reads binary values as Latin-1, one character per byte.
_UTF8_SEQ = r"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})"
_UTF8_CJK_LINE = rf"^{_UTF8_SEQ}*[\xe0-\xef][\x80-\xbf]{{2}}{_UTF8_SEQ}*$"


def _utf8_lines(data: bytes, limit: int = 3) -> list[int]:
    """The first ``limit`` lines (1-based) of a file that is not UTF-8 which are UTF-8 text all the same
    (a GBK line almost never is): a mix of encodings. Column-wise over the lines, no Python per line."""
    import pyarrow as pa
    import pyarrow.compute as pc

    raw = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero(raw == 0x0A)
    offsets = np.concatenate([[0], breaks + 1, [len(data)]]).astype(np.int64)
    lines = pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(offsets) - 1,
                                             [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    hit = pc.match_substring_regex(lines, _UTF8_CJK_LINE)
    found = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))[:limit]
    return [int(i) + 1 for i in found]


def _check_text(path: Path, data: bytes) -> None:
    """Refuse a file with a NUL byte, or one whose lines are in different encodings (read as one, the
    others would be stored as mojibake)."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = _line_of(data, nul)
        raise ReadError(f"{path.name}: line {line:,} has a NUL byte (byte {nul + 1:,}); a CSV file is text "
                        "without NUL bytes (expected UTF-8 or GBK text, not UTF-16 or a binary file)",
                        zh=f"{path.name}：第 {line:,} 行含有 NUL 字节（第 {nul + 1:,} 个字节）；CSV 文件应为不含 NUL "
                           "字节的文本（应为 UTF-8 或 GBK 编码，而不是 UTF-16 或二进制文件）")


def _check_one_encoding(path: Path, data: bytes) -> None:
    """Refuse a file that is not UTF-8 but has lines that are: a mix of encodings (whichever one it
    were read in, the other lines would be stored as mojibake)."""
    utf8 = _utf8_lines(data)
    if not utf8:
        return
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        other = _line_of(data, exc.start)
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
    try:
        data[start: end if end >= 0 else len(data)].decode("gb18030")
        label, label_zh = "GBK/GB18030", "GBK/GB18030"
    except UnicodeDecodeError:
        label, label_zh = "in another encoding", "其他编码"
    lines = ", ".join(f"{n:,}" for n in utf8)
    raise ReadError(f"{path.name} mixes encodings: line {other:,} is {label}, line{'s' if len(utf8) > 1 else ''} "
                    f"{lines} UTF-8 (expected one encoding for the whole file: save it again as UTF-8 or as GBK)",
                    zh=f"{path.name} 混用了多种编码：第 {other:,} 行是 {label_zh}，第 {lines} 行是 UTF-8（整个文件应为同一种编码："
                       "请另存为 UTF-8 或 GBK 后再导入）")


def _too_many_columns_error(path: Path, line: int | None, columns: int, max_columns: int) -> ReadError:
    where = f"line {line:,}" if line else "a line"
    where_zh = f"第 {line:,} 行" if line else "有一行"
    return too_large_error(path.name, f"{where} has {columns:,} columns; at most {max_columns:,} are read "
                                "(SAFETY_MAX_COLUMNS)",
                     f"{where_zh}有 {columns:,} 列；最多读取 {max_columns:,} 列（SAFETY_MAX_COLUMNS）")


def _check_head_columns(path: Path, head: list[str], delimiter: str, max_columns: int) -> None:
    """The first lines (the header scan and the first data row, which sets the body's width) have at
    most ``max_columns`` columns each."""
    for i, line in enumerate(head):
        if line.count(delimiter) + 1 > max_columns:  # quotes can only hide delimiters: count exactly
            fields = next(csv.reader([line], delimiter=delimiter), [])
            if len(fields) > max_columns:
                raise _too_many_columns_error(path, i + 1, len(fields), max_columns)


def _read_csv_text(path: Path) -> _CsvText:
    data = path.read_bytes()
    if not data.strip():
        raise empty_file_error(path.name)
    if data[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04":
        raise ReadError(f"{path.name} is not a CSV text file (it looks binary)",
                        zh=f"{path.name} 不是 CSV 文本文件（看起来是二进制文件）")
    _check_text(path, data)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
    elif _is_utf8(data):
        encoding, body = "utf-8", data
    else:  # as detect_encoding, decoding once
        _check_one_encoding(path, data)
        try:
            encoding, text = "gb18030", data.decode("gb18030")
        except UnicodeDecodeError:
            encoding = _guess_encoding(data)
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):  # the guess, made on the start, fails further on
                raise ReadError(f"{path.name} is not text in a known encoding (expected UTF-8 or GBK/GB18030 CSV)",
                                zh=f"{path.name} 不是已知编码的文本（应为 UTF-8 或 GBK/GB18030 编码的 CSV）") from None
        body = text.encode("utf-8")
        del text
    head = _head_lines(body, HEADER_SCAN_ROWS + 3)
    delimiter = _sniff_delimiter("\n".join(head[:HEADER_SCAN_ROWS]))
    _check_head_columns(path, head, delimiter, _limits().max_columns)
    return _CsvText(body, head, encoding, delimiter)


def _limits() -> Any:
    import settings

    try:
        return settings.read_limits()
    except ValueError as exc:
        raise ReadError(str(exc), zh=f"设置有误：{exc}") from None


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


# What reading one cell of a sheet takes, at least, from calamine's grid to the checked frame: a
# 1,000,000 × 12 sheet peaked at 2.7 GB (225 bytes a cell).
CELL_BYTES = 200
# A part of a workbook expands to about a quarter of what reading it takes (the 1,000,000-row sheet:
# 640 MB of XML).
PART_FACTOR = 4
# Sheets up to this size (uncompressed XML) are scanned for the cells that hold a value before they are
# read: a few cells can claim a grid of a billion (A1 and XFD1048576).
SCAN_BYTES = 16 * 2**20
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n / 2**20:,.2f} MB"


def _check_workbook(path: Path, lim: Any) -> dict[str, str]:
    """Refuse a zip-based workbook one of whose parts expands past what may be read (a zip bomb);
    the sheets' parts in the zip by sheet name (XLSX), for :func:`_check_sheet`."""
    import zipfile

    if path.suffix.lower() not in _ZIP_SUFFIXES:
        return {}
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return {}  # not a zip: the reader says what is wrong with it
    budget = lim.memory_mb * 2**20
    with zf:
        for info in zf.infolist():
            if info.file_size * PART_FACTOR > budget:
                raise too_large_error(path.name, f"{info.filename} expands to {_mb(info.file_size)} (from "
                                           f"{_mb(info.compress_size)} in the file), about {_mb(info.file_size * PART_FACTOR)} "
                                           f"to read; at most {lim.memory_mb:,.0f} MB (SAFETY_READ_MEMORY_MB)",
                                f"{info.filename} 解压后为 {_mb(info.file_size)}（文件中 {_mb(info.compress_size)}），读取约需 "
                                f"{_mb(info.file_size * PART_FACTOR)}；上限 {lim.memory_mb:,.0f} MB（SAFETY_READ_MEMORY_MB）")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                return _sheet_parts(zf)
            except Exception:  # a damaged workbook: the reader says what is wrong with it
                return {}
    return {}


def _sheet_parts(zf: Any) -> dict[str, str]:
    """Sheet name → the part that holds it (xl/worksheets/sheet1.xml), from the workbook and its rels."""
    import posixpath
    import xml.etree.ElementTree as ET

    def small(name: str) -> bytes | None:
        try:
            info = zf.getinfo(name)
        except KeyError:
            return None
        return zf.read(name) if info.file_size <= SCAN_BYTES else None

    def rels(name: str) -> dict[str, str]:
        data = small(name)
        if data is None:
            return {}
        return {r.get("Id", ""): r.get("Target", "") for r in ET.fromstring(data) if r.get("Id")}

    def resolve(base: str, target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))

    book = next((resolve("", t) for i, t in rels("_rels/.rels").items() if t.endswith(".xml")
                 and "workbook" in t.lower()), "xl/workbook.xml")
    base = posixpath.dirname(book)
    targets = rels(posixpath.join(base, "_rels", posixpath.basename(book) + ".rels"))
    data = small(book)
    if data is None:
        return {}
    parts: dict[str, str] = {}
    for el in ET.fromstring(data).iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            if rid in targets and el.get("name") is not None:
                parts[el.get("name", "")] = resolve(base, targets[rid])
    return parts


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?\"")
_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"[^>]*?(/?)>(</(?:\w+:)?c>)?")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet_extent(zf: Any, part: str) -> tuple[int, int] | None:
    """(last row, last column) of a sheet: of the cells that hold a value when its XML is small
    enough to scan, else as its <dimension> says; None when neither is known."""
    info = zf.getinfo(part)
    if info.file_size <= SCAN_BYTES:
        rows = cols = 0
        tail = b""
        with zf.open(part) as f:
            while True:
                chunk = f.read(1 << 22)
                buf = tail + chunk
                cut = buf.rfind(b">") + 1 if chunk else len(buf)
                letters_max, row_max = b"", 0
                for letters, row, closed, ended in _CELL.findall(buf, 0, cut):
                    if closed or ended:  # <c r="XFD9" s="1"/> or <c …></c>: formatted, no value
                        continue
                    if (len(letters), letters) > (len(letters_max), letters_max):
                        letters_max = letters
                    row_max = max(row_max, int(row))
                rows, cols = max(rows, row_max), max(cols, _column_number(letters_max))
                tail = buf[cut:]
                if not chunk:
                    break
        return rows, cols
    with zf.open(part) as f:
        m = _DIMENSION.search(f.read(1 << 16))
    if m is None:
        return None
    letters, row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    return int(row), _column_number(letters)


def _check_sheet(path: Path, name: str, part: str | None, lim: Any) -> None:
    """Refuse a sheet whose cells span more columns than may be read, or more cells than fit in what
    reading may take — before python-calamine allocates its grid (a few kilobytes can ask for 512 GiB)."""
    import zipfile

    if part is None:
        return
    try:
        with zipfile.ZipFile(path) as zf:
            extent = _sheet_extent(zf, part)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return  # the reader says what is wrong with it
    if extent is None:
        return
    rows, cols = extent
    corner = f"{_column_letters(cols)}{rows}"
    if cols > lim.max_columns:
        raise too_large_error(path.name, f"sheet '{name}' has cells from A1 to {corner} ({rows:,} rows × {cols:,} "
                                         f"columns); at most {lim.max_columns:,} columns are read (SAFETY_MAX_COLUMNS)",
                              f"工作表“{name}”的单元格从 A1 到 {corner}（{rows:,} 行 × {cols:,} 列）；最多读取 "
                              f"{lim.max_columns:,} 列（SAFETY_MAX_COLUMNS）")
    need = rows * cols * CELL_BYTES
    if need > lim.memory_mb * 2**20:
        raise too_large_error(path.name, f"sheet '{name}' has cells from A1 to {corner} ({rows:,} rows × {cols:,} "
                                         f"columns), about {_mb(need)} to read; at most {lim.memory_mb:,.0f} MB "
                                         "(SAFETY_READ_MEMORY_MB)",
                              f"工作表“{name}”的单元格从 A1 到 {corner}（{rows:,} 行 × {cols:,} 列），读取约需 {_mb(need)}；"
                              f"上限 {lim.memory_mb:,.0f} MB（SAFETY_READ_MEMORY_MB）")


def _open_workbook(path: Path, sheet: str | None) -> tuple[Any, list[str]]:
    """The workbook and the names of the sheets to try, in order (only ``sheet`` when given)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, Exception) as exc:  # calamine raises several types for a bad file
        raise ReadError(f"{path.name} is not a readable Excel workbook ({type(exc).__name__}: {exc})",
                        zh=f"{path.name} 不是可读取的 Excel 工作簿（{type(exc).__name__}: {exc}）") from None
    names = list(wb.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise ReadError(f"{path.name} has no sheet '{sheet}' (sheets: {', '.join(names)})",
                            zh=f"{path.name} 中没有工作表“{sheet}”（现有工作表：{'、'.join(names)}）")
        names = [sheet]
    return wb, names


def _sheet_grid(wb: Any, name: str) -> list[list[Any]]:
    """One sheet's rows of cells (calamine's values), merged header cells filled."""
    ws = wb.get_sheet_by_name(name)
    grid = ws.to_python(skip_empty_area=False)
    try:
        merged = ws.merged_cell_ranges or []
    except Exception:  # XLS without merge info
        merged = []
    _fill_merged(grid, merged, (0, 0))
    return grid


def _grid_body(rows: list[list[Any]], width: int) -> pd.DataFrame:
    """Rows of cells as a frame ``width`` columns wide (short rows padded with ''): a column whose
    cells are all text is held by Arrow (as a CSV's), one whose cells are all numbers is float64 (an
    empty cell NaN), any other keeps its cells as they are."""
    import pyarrow as pa

    n = len(rows)
    cells = np.empty((n, width), dtype=object)
    if n and min(map(len, rows)) == width == max(map(len, rows)):
        cells[:] = rows  # row by row, as the cells lie in memory
    else:
        for i, r in enumerate(rows):
            cells[i, : len(r)] = r
            cells[i, len(r):] = ""
    str_dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
    columns: dict[int, pd.Series] = {}
    for j in range(width):
        col = cells[:, j].tolist()  # Arrow converts a list faster than a strided column of objects
        try:
            arr = pa.array(col, from_pandas=False)
        except (pa.ArrowTypeError, pa.ArrowInvalid, OverflowError):  # cells of several types
            columns[j] = _objects_series(col)
            continue
        if arr.null_count == 0 and (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            columns[j] = pd.Series(pd.arrays.ArrowStringArray(arr).astype(str_dtype), copy=False)
        elif arr.null_count == 0 and pa.types.is_floating(arr.type):
            columns[j] = pd.Series(arr.to_numpy(zero_copy_only=False), dtype=np.float64, copy=False)
        else:
            columns[j] = _objects_series(col)
    return pd.DataFrame(columns, index=pd.RangeIndex(n))


def _objects_series(values: list[Any]) -> pd.Series:
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    return pd.Series(cells, dtype=object, copy=False)


# ---------------------------------------------------------------- web exports: HTML and MHTML tables

# What many government web systems serve as an .xls: an HTML page with a table (Excel opens it), or a
# page saved as a single file (MHTML, "单个文件网页"). Recognised by the first bytes, not the suffix.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table|"
                         rb"style|title|div|tr)\b", re.IGNORECASE | re.DOTALL)
_MHTML_START = re.compile(rb"^(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?"
                          rb"(?:MIME-Version|Content-Type)\s*:", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_HTML_LIMIT_COLSPAN = 1000  # the HTML standard's limits of colspan and rowspan
_HTML_LIMIT_ROWSPAN = 65534
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "object", "iframe", "select"})
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "center", "br", "caption", "pre",
                         "blockquote", "section", "header", "footer", "form"})
WEB_FORMATS = {"html": ("a web page table (HTML)", "网页表格（HTML）"),
               "mhtml": ("a web page saved as one file (MHTML)", "单个文件网页（MHTML）"),
               "text": ("a text table (CSV or tab-separated)", "文本表格（CSV 或制表符分隔）")}
_SPREADSHEET_XML = re.compile(rb"<Workbook\b[^>]*urn:schemas-microsoft-com:office:spreadsheet", re.IGNORECASE)


def form_notes(raw: Any) -> list[str]:
    """What the import report says about how the file was read as a form: a web page, cumulative figures."""
    notes: list[str] = []
    if getattr(raw, "web_format", None):
        what = WEB_FORMATS[raw.web_format][0]
        how = "read as CSV" if raw.sheet is None else f"its table was read as sheet '{raw.sheet}'"
        notes.append(f"the file is {what}, not an Excel workbook (what web systems often serve as .xls): {how} "
                     f"({raw.encoding})")
    return notes


def web_format(path: Path) -> str | None:
    """'html' or 'mhtml' when a workbook's first bytes are a web page rather than a workbook, else None."""
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(_OLE_MAGIC) or head.startswith(b"PK\x03\x04"):
        return None
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if _SPREADSHEET_XML.search(head):
        raise ReadError(f"{path.name} is an Excel 2003 XML spreadsheet (SpreadsheetML), which cannot be read "
                        "(expected .xlsx, .xls or .csv: open it in Excel or WPS and save it as .xlsx)",
                        zh=f"{path.name} 是 Excel 2003 XML 电子表格（SpreadsheetML），无法读取（应为 .xlsx、.xls 或 "
                           ".csv：请用 Excel 或 WPS 打开后另存为 .xlsx）")
    if _HTML_START.match(body):
        return "html"
    if _MHTML_START.match(body) and re.search(rb"multipart/related|text/html", head, re.IGNORECASE):
        return "mhtml"
    first = body.split(b"\n", 1)[0]
    if b"\x00" not in head and (b"\t" in first or b"," in first) and not first.lstrip().startswith(b"<"):
        try:  # a text table named .xls (what some systems' 导出Excel writes): read as CSV
            head[: max(len(head) - 4, 0)].decode("gb18030")
            return "text"
        except UnicodeDecodeError:
            return None
    return None


def _html_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of an HTML document: a BOM, else the charset its MIME part or its <meta> declares
    when the bytes are that (GBK and GB2312 read as GB18030, their superset; Excel's MHTML declares us-ascii),
    else UTF-8 when it decodes, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    m = _META_CHARSET.search(data[:8192])
    for name in (declared, m.group(1).decode("ascii") if m else None):
        name = (name or "").strip().lower()
        if name in ("gbk", "gb2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "euc-cn"):
            name = "gb18030"
        if name:
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                continue
    if _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    return data.decode("gb18030", errors="replace"), "gb18030"


def _span(el: Any, name: str, limit: int) -> int:
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or "1"), limit))
    except ValueError:
        return 1


def _cell_of(el: Any) -> str:
    """A table cell's text as a person sees it: line breaks at <br> and between paragraphs, no script."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _SKIP_TAGS:
            return
        if tag.lower() in ("br", "p", "div") and parts:
            parts.append("\n")
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _table_rows(table: Any, max_columns: int, name: str) -> tuple[list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """One <table>'s rows as a grid (a spanned cell's value in its top-left cell) and its spans as
    merged ranges (top, left), (bottom, right), as python-calamine gives a workbook's."""
    rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
    grid: list[list[str]] = [[] for _ in rows]
    taken: list[set[int]] = [set() for _ in rows]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while c in taken[r]:
                c += 1
            colspan = _span(cell, "colspan", _HTML_LIMIT_COLSPAN)
            rowspan = min(_span(cell, "rowspan", _HTML_LIMIT_ROWSPAN), len(rows) - r)
            if c + colspan > max_columns:
                raise too_large_error(name, f"row {r + 1} of a table has {c + colspan:,} columns; at most "
                                            f"{max_columns:,} are read (SAFETY_MAX_COLUMNS)",
                                      f"表格第 {r + 1} 行有 {c + colspan:,} 列；最多读取 {max_columns:,} 列（SAFETY_MAX_COLUMNS）")
            row = grid[r]
            if len(row) < c + 1:
                row.extend([""] * (c + 1 - len(row)))
            row[c] = _cell_of(cell)
            for rr in range(r, r + rowspan):
                taken[rr].update(range(c, c + colspan))
            if colspan > 1 or rowspan > 1:
                merged.append(((r, c), (r + rowspan - 1, c + colspan - 1)))
            c += colspan
    width = max([len(g) for g in grid] + [max(t) + 1 for t in taken if t], default=0)
    for row in grid:
        row.extend([""] * (width - len(row)))
    return grid, merged


def _nearest_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _html_grid(text: str, name: str, max_columns: int) -> list[list[Any]]:
    """An HTML page as Excel shows it: its innermost tables one under the other, each line of text
    outside a table (a title, a 说明 paragraph) a row of one cell, spans filled in the header area."""
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml takes no encoding declaration in a str
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                                  recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except Exception as exc:  # lxml's ParserError for an empty or unparseable document
        raise ReadError(f"{name} is a web page (HTML) but has no table that can be read ({type(exc).__name__})",
                        zh=f"{name} 是网页（HTML），但其中没有可读取的表格（{type(exc).__name__}）") from None
    grid: list[list[Any]] = []
    line: list[str] = []

    def flush() -> None:
        text_line = " ".join(" ".join(line).replace("\xa0", " ").split())
        line.clear()
        if text_line:
            grid.append([text_line])

    def walk(node: Any) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        if tag == "table" and not any(True for _ in node.iter("table") if _ is not node):
            flush()
            rows, merged = _table_rows(node, max_columns, name)
            top = len(grid)
            grid.extend(rows)
            _fill_merged(grid, [((a + top, b), (c + top, d)) for (a, b), (c, d) in merged], (0, 0))
            return
        if tag in _BLOCK_TAGS or tag in ("table", "tr"):
            flush()
        if tag and node.text:
            line.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                line.append(child.tail)
        if tag in _BLOCK_TAGS or tag in ("table", "tr", "td", "th"):
            flush()

    body = root.find("body")
    try:
        walk(body if body is not None else root)
    except RecursionError:  # lxml caps the depth it builds; this is the guard behind it
        raise too_large_error(name, "the page's elements are nested too deep to read",
                              "网页的元素嵌套过深，无法读取") from None
    flush()
    if not any(len(r) > 1 for r in grid):
        raise ReadError(f"{name} is a web page (HTML) but has no table (expected a <table> with a header row)",
                        zh=f"{name} 是网页（HTML），但其中没有表格（应有一个带表头行的 <table>）")
    return grid


def _mhtml_pages(data: bytes, name: str) -> list[tuple[str, str, str]]:
    """The HTML parts of an MHTML file that hold a table: (sheet name, text, encoding), in file order."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    pages: list[tuple[str, str, str]] = []
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or b"<table" not in payload.lower():
            continue
        text, encoding = _html_text(payload, part.get_content_charset())
        location = str(part.get("Content-Location", "") or "")
        sheet = Path(location.replace("\\", "/")).stem if location else ""
        pages.append((sheet or f"page{len(pages) + 1}", text, encoding))
    if not pages:
        raise ReadError(f"{name} is a web page saved as one file (MHTML) but has no table",
                        zh=f"{name} 是单个文件网页（MHTML），但其中没有表格")
    return pages


def web_sheets(path: Path) -> list[tuple[str, list[list[Any]], str]]:
    """The tables of a web export as (sheet name, grid, encoding): one 'HTML' sheet for a page, one per
    page with a table for MHTML (Excel saves each sheet as a page of its own)."""
    fmt = web_format(path)
    data = path.read_bytes()
    lim = _limits()
    if fmt == "mhtml":
        return [(sheet, _html_grid(text, path.name, lim.max_columns), enc)
                for sheet, text, enc in _mhtml_pages(data, path.name)]
    text, encoding = _html_text(data)
    return [("HTML", _html_grid(text, path.name, lim.max_columns), encoding)]


# ---------------------------------------------------------------- official forms (loaders.forms)


def _with_unit_row(grid: list[list[Any]], header: _Header) -> _Header:
    """``header`` with the form's unit row under it — (家) (项) (%) (万元) — as one more header row, its
    units given to the columns whose own header has none."""
    at = header.start + header.depth
    if at >= len(grid):
        return header
    units = forms.unit_row([_cell_text(v) for v in grid[at]], header.names)
    if units is None:
        return header
    mapping = {i: (canon, unit if unit is not None else (units.get(i) if units.get(i) in UNITS else None))
               for i, (canon, unit) in header.mapping.items()}
    return dataclasses.replace(header, depth=header.depth + 1, mapping=mapping)  # matches, sums … kept


def _without_note_lines(body: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[tuple[int, str]]]:
    """``body`` without a form's notes (说明：/有关要求：/填表说明/注： and every line after it); the notes'
    lines and the rows skipped for them."""
    at = _first_note_row(body)
    if at is None:
        return body, [], []
    lines: list[str] = []
    skipped: list[tuple[int, str]] = []
    notes = body.loc[at:]
    for row_no, values in zip(notes.index, notes.itertuples(index=False, name=None), strict=True):
        text = forms.row_text(values)
        if text:
            lines.append(text)
            skipped.append((int(row_no), "note line skipped: " + one_line(text, 80)))
    return body.loc[: at - 1], lines, skipped


def _first_note_row(body: pd.DataFrame) -> int | None:
    """The row number of the first row whose first non-blank cell is a note heading (forms.is_note_heading),
    or None. Column-wise on Arrow text over the first three columns (a ledger may have a million rows); only
    the rows whose cell starts with a heading are looked at one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from loaders.parsing import _SPACE_CLASS

    if not len(body) or not len(body.columns):
        return None
    first_cols = list(body.columns[: min(3, len(body.columns))])
    found: list[int] = []
    for col in first_cols:
        text = _text_cells(body[col])
        starts = pc.match_substring_regex(text, f"^{_SPACE_CLASS}*[说注填有附]")  # a heading's first character
        rows = np.flatnonzero(np.asarray(starts.to_numpy(zero_copy_only=False), dtype=bool))
        if not len(rows):
            continue
        compact = pc.replace_substring_regex(text.take(pa.array(rows)), f"{_SPACE_CLASS}+", "")
        hit = np.asarray(pc.match_substring_regex(compact, forms.NOTE_PATTERN).to_numpy(zero_copy_only=False), dtype=bool)
        for row_no in body.index[rows[hit]]:
            first = next((c for c in (_cell_text(body.at[row_no, k]) for k in first_cols) if c), "")
            if forms.is_note_heading(first):
                found.append(int(row_no))
                break
    return min(found) if found else None


def _cumulative_meta(meta: dict[str, str], title_lines: list[str], note_lines: list[str],
                     header_names: tuple[str, ...]) -> None:
    """meta['cumulative'] (the marker) and meta['cumulative_line'] when the form says its figures are cumulative
    since January; its period from '2024年1-3月' or '截止到2024年3月31日为止' when the title gave none."""
    cum = forms.cumulative_marker(title_lines, note_lines, [n for n in header_names if n])
    if cum is None:
        return
    meta["cumulative"], meta["cumulative_line"] = cum.words, cum.line
    if "period" not in meta:
        period = forms.cumulative_period(title_lines)
        if period is not None:
            meta["period"] = period


def _without_breakdown_rows(kind: Kind, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """A statistics table without the rows that break a numbered row down ((1)…, ①…, 其中：…): counted in it."""
    if kind.name not in ("hazard-stats", "accident-stats") or "industry" not in frame.columns or not len(frame):
        return frame, []
    pairs = forms.breakdown_rows(frame["industry"])
    if not pairs:
        return frame, []
    labels = frame["industry"]
    skipped = [(row, f"breakdown row skipped: '{_cell_text(labels.at[row])}' is part of row {parent} "
                     f"('{_cell_text(labels.at[parent])}'), which already counts it") for row, parent in pairs]
    return frame.drop(index=[r for r, _ in pairs]), skipped


# ---------------------------------------------------------------- header detection


class MappingError(ReadError):
    """A column mapping that cannot be applied: an unknown column, or two headers on one column."""


@dataclass(frozen=True)
class _Overrides:
    """A column mapping given by a person: header text → canonical column (None: not imported).

    A header of the file matches a key by its exact text, else with case, full-width forms and
    spaces ignored (so a mapping saved from one file applies to the next one's 死亡人数 (人))."""

    exact: dict[str, str | None]
    loose: dict[str, str | None]

    def lookup(self, header: str) -> tuple[bool, str | None]:
        if header in self.exact:
            return True, self.exact[header]
        key = _header_key(header)
        if key in self.loose:
            return True, self.loose[key]
        return False, None


def _header_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def prepare_mapping(kind: Kind, mapping: dict[str, str | None] | None) -> _Overrides | None:
    """Check a column mapping against ``kind``'s schema: every value is one of its canonical
    columns or None. Raises :class:`MappingError` naming every bad entry."""
    if not mapping:
        return None
    names = [c.name for c in kind.columns]
    bad = [(k, v) for k, v in mapping.items() if not isinstance(k, str) or (v is not None and v not in names)]
    if bad:
        listed = ", ".join(f"'{k}' → '{v}'" for k, v in bad)
        raise MappingError(
            f"column mapping: {listed}: not a column of {kind.name} (expected one of {', '.join(names)}, "
            "or None for not imported)",
            zh=f"列映射：{'，'.join(f'“{k}”→“{v}”' for k, v in bad)} 不是{kind.zh}的列（应为 {'、'.join(names)} "
               "之一，或不导入）")
    exact = {k: v for k, v in mapping.items()}
    loose: dict[str, str | None] = {}
    for k, v in mapping.items():
        loose.setdefault(_header_key(k), v)
    return _Overrides(exact, loose)


@dataclass(frozen=True)
class _Header:
    start: int  # 0-based index of the first header row
    depth: int  # 1, 2 or 3 rows
    names: tuple[str, ...]  # composed header text per column
    mapping: dict[int, tuple[str, str | None]]  # column index → (canonical, unit)
    # canonical column → the headers a column mapping put on it (more than one: refused)
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # what each non-blank header became and why, in file order
    matches: tuple[HeaderMatch, ...] = ()
    # canonical column → the column indices summed into it (a group header over a partition), and its group header
    sums: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    # canonical column → (group header, its sub-headers): a group that is no partition and has no total
    refused: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    region_context: int | None = None  # a less specific region column that the region column is read within

    def found(self) -> set[str]:
        return {canon for canon, _ in self.mapping.values()} | set(self.sums)


def _compose(rows: list[list[Any]], width: int) -> list[list[str]]:
    """Header rows as text, each row forward-filled across blanks to its right under a filled
    upper cell (an unmarked merge), so '一般隐患 | | ' over '排查数 | 整改数 | 整改率' composes."""
    texts = [[_cell_text(r[c]) if c < len(r) else "" for c in range(width)] for r in rows]
    for level in range(len(texts) - 1):
        row = texts[level]
        for c in range(1, width):
            if not row[c] and row[c - 1] and any(texts[lv][c] for lv in range(level + 1, len(texts))) \
                    and (level == 0 or texts[level - 1][c] == texts[level - 1][c - 1]):
                # Only carry a group title over columns that have a lower-level header of their own, and
                # never past the end of the group above it.
                row[c] = row[c - 1]
    return texts


def _levels(texts: list[list[str]], width: int) -> tuple[list[str], list[list[str]]]:
    """(composed name per column 'A / B / C', the levels of each column, a repeated level once)."""
    names: list[str] = []
    parts_of: list[list[str]] = []
    for c in range(width):
        parts: list[str] = []
        for level in texts:
            if level[c] and (not parts or parts[-1] != level[c]):
                parts.append(level[c])
        parts_of.append(parts)
        names.append(" / ".join(parts))
    return names, parts_of


def _groups(parts_of: list[list[str]]) -> list[tuple[list[str], list[int]]]:
    """Runs of adjacent columns under one group header: (the group's levels, its columns). A level that
    is only a unit (项, 人) is not a sub-column."""
    runs: list[tuple[list[str], list[int]]] = []
    prev: tuple[str, ...] | None = None
    for c, parts in enumerate(parts_of):
        eff = [p for p in parts if not headers.is_unit_level(p)]
        key = tuple(eff[:-1]) if len(eff) >= 2 else None
        if key is not None and key == prev:
            runs[-1][1].append(c)
        elif key is not None:
            runs.append((list(key), [c]))
        prev = key
    return [r for r in runs if len(r[1]) >= 2]


def _sub_label(parts: list[str]) -> str:
    return [p for p in parts if not headers.is_unit_level(p)][-1]


def _column_values(below: list[list[Any]], c: int) -> list[Any]:
    return [row[c] if c < len(row) else None for row in below]


def _match_columns(kind: Kind, texts: list[list[str]], width: int, overrides: _Overrides | None = None,
                   below: list[list[Any]] | None = None) -> _Header:
    """The columns of one candidate header (start and depth 0: filled in by the caller). A header named
    in ``overrides`` takes the column given there (or none); the others are matched by name, alias or
    concept (:mod:`loaders.headers`), never to a column that the overrides gave to another header; a
    tie for one column is decided by the cells under the headers (``below``: the rows under them)."""
    below = below or []
    names, parts_of = _levels(texts, width)
    mapping: dict[int, tuple[str, str | None]] = {}
    report: dict[int, HeaderMatch] = {}
    explicit: dict[int, str | None] = {}
    groups = _groups(parts_of)
    group_explicit: dict[int, str] = {}  # index into groups → column named for the group header by the mapping
    if overrides is not None:
        for c, name in enumerate(names):
            if name:
                hit, canon = overrides.lookup(name)
                if hit:
                    explicit[c] = canon
        for g, (top, _cols) in enumerate(groups):
            hit, canon = overrides.lookup(" / ".join(top))
            if hit and canon is not None:
                group_explicit[g] = canon
    claimed: dict[str, list[int]] = {}
    for c, canon in explicit.items():
        if canon is None:
            report[c] = HeaderMatch(names[c], None, "mapping", 1.0)
            continue
        cols = claimed.setdefault(canon, [])
        if any(_header_key(names[c]) == _header_key(names[d]) for d in cols):
            continue  # the same header text again: the first such column, as without a mapping
        cols.append(c)
        if len(cols) == 1:
            mapping[c] = (canon, headers.header_key(parts_of[c])[1])
            report[c] = HeaderMatch(names[c], canon, "mapping", 1.0)
    conflicts = {canon: tuple(names[c] for c in cols) for canon, cols in claimed.items() if len(cols) > 1}
    used: set[str] = set(claimed) | set(group_explicit.values())
    # Automatic: the best candidate of each header; one header per column, ties decided by the values.
    cands = {c: headers.match_parts(kind, parts_of[c]) for c in range(width) if names[c] and c not in explicit}
    by_canon: dict[str, list[int]] = {}
    for c, cand in cands.items():
        if cand is not None and cand.column not in used:
            by_canon.setdefault(cand.column, []).append(c)
    for canon, cols in by_canon.items():
        winner, how, detail, extra = _pick(kind, canon, cols, cands, names, below)
        cand = cands[winner]
        mapping[winner] = (canon, cand.unit)
        report[winner] = HeaderMatch(names[winner], canon, how, cand.score, detail, extra)
        for c in cols:
            if c != winner:
                report[c] = HeaderMatch(names[c], None, "taken", cands[c].score, names[winner], canon)
        used.add(canon)
    sums: dict[str, tuple[tuple[int, ...], str]] = {}
    refused: dict[str, tuple[str, tuple[str, ...]]] = {}
    for g, (top, cols) in enumerate(groups):
        _group(kind, g, top, cols, group_explicit, names, parts_of, mapping, report, used, sums, refused)
    context = _region_context(mapping, cands, explicit, names, below, report)
    matches = tuple(report.get(c) or HeaderMatch(names[c], None, "unknown")
                    for c in range(width) if names[c])
    return _Header(0, 0, tuple(names), dict(sorted(mapping.items())), conflicts, matches, sums, refused, context)


def _region_context(mapping: dict[int, tuple[str, str | None]], cands: dict, explicit: dict[int, str | None],
                    names: list[str], below: list[list[Any]], report: dict[int, HeaderMatch]) -> int | None:
    """A second region column less specific than the one read (所在市州 beside 所在区县): each row's region is
    read within it. Its index, or None."""
    region = next((c for c, (canon, _) in mapping.items() if canon == "region"), None)
    if region is None:
        return None
    level = headers.region_level(_column_values(below, region))
    others = [c for c, cand in cands.items() if cand is not None and cand.column == "region" and c not in mapping
              and c not in explicit]
    levels = {c: headers.region_level(_column_values(below, c)) for c in others}
    fit = [c for c in others if 0 < levels[c] < level and headers.value_fit("region", _column_values(below, c)) == 1]
    if not fit:
        return None
    best = max(fit, key=lambda c: (levels[c], -c))
    report[best] = HeaderMatch(names[best], None, "context", cands[best].score, names[region])
    return best


def _pick(kind: Kind, canon: str, cols: list[int], cands: dict, names: list[str],
          below: list[list[Any]]) -> tuple[int, str, str, str]:
    """(the column that wins ``canon``, how, why): the most specific region first, then the highest
    score, then the values that read as the column's type; the same header text twice: the first."""
    cand = cands[cols[0]]
    if len(cols) == 1 or len({_header_key(names[c]) for c in cols}) == 1:
        return cols[0], cand.how, cand.detail, ""
    col_type = kind.column(canon).type
    top = max(cands[c].score for c in cols)
    fit = {c: headers.value_fit(col_type, _column_values(below, c)) if cands[c].score == top else 0.0 for c in cols}
    spec = {c: 0.0 for c in cols}
    if col_type == "region":
        spec = {c: headers.region_level(_column_values(below, c)) if headers.has_values(_column_values(below, c))
                else float(headers.header_region_level(names[c])) for c in cols}
    ranked = sorted(cols, key=lambda c: (-spec[c], -cands[c].score, -fit[c], c))
    win, second = ranked[0], ranked[1]
    cw = cands[win]
    basis = f"{cw.how} {cw.detail}".strip()
    if spec[win] > spec[second]:
        return win, "most specific", basis, ""
    if cw.score == cands[second].score and fit[win] > fit[second]:
        return win, "values", basis, f"{fit[win]:.0%}"
    return win, cw.how, cw.detail, ""


def _group(kind: Kind, g: int, top: list[str], cols: list[int], group_explicit: dict[int, str],
           names: list[str], parts_of: list[list[str]], mapping: dict[int, tuple[str, str | None]],
           report: dict[int, HeaderMatch], used: set[str], sums: dict, refused: dict) -> None:
    """A group header over several sub-columns whose own column (a measure) no header has: its 合计
    sub-column, or the sum of a partition, or refused. Updates the arguments."""
    title = " / ".join(top)
    if g in group_explicit:
        canon, score = group_explicit[g], 1.0
    else:
        cand = headers.match_parts(kind, top)
        if cand is None or cand.column in used:
            return
        canon, score = cand.column, cand.score
    if kind.column(canon).type not in ("count", "amount"):
        return
    labels = [_sub_label(parts_of[c]) for c in cols]
    unit = headers.header_key(top)[1]
    total = next((c for c, label in zip(cols, labels, strict=True) if headers.is_total_label(label)), None)
    if total is not None:
        if total in mapping:
            return
        mapping[total] = (canon, unit or headers.header_key(parts_of[total])[1])
        report[total] = HeaderMatch(names[total], canon, "group total", score, title)
        used.add(canon)
        return
    partition = headers.partition_of(labels)
    if partition is not None:
        sums[canon] = (tuple(cols), title)
        for c in cols:
            if c not in mapping:
                report[c] = HeaderMatch(names[c], canon, "group sum", score, title, partition)
        used.add(canon)
        return
    refused[canon] = (title, tuple(names[c] for c in cols))
    for c in cols:
        if c not in mapping:
            report[c] = HeaderMatch(names[c], None, "sub-column", 0.0, title, canon)


def find_header(kind: Kind, grid: list[list[Any]], overrides: _Overrides | None = None) -> _Header | None:
    """The header (1 to 3 rows deep) that recognises the most schema columns in the first rows.

    The header row is found automatically, and a column mapping (``overrides``) is then applied to
    the row found — so the row shown does not move while a person edits the mapping. Only when no
    row is recognised automatically do the headers the mapping names help find it."""
    header = _best_header(kind, grid, None)
    if overrides is None:
        return header
    if header is None:
        return _best_header(kind, grid, overrides)
    scan = grid[: HEADER_SCAN_ROWS + 2]
    width = max((len(r) for r in scan), default=0)
    texts = _compose(scan[header.start : header.start + header.depth], width)
    below = grid[header.start + header.depth: header.start + header.depth + VALUE_ROWS]
    found = _match_columns(kind, texts, width, overrides, below)
    return _Header(**{**found.__dict__, "start": header.start, "depth": header.depth})


VALUE_ROWS = 20  # rows under a candidate header whose cells decide a tie between two headers


def _merged_into(row: list[Any], other: list[Any] | None) -> bool:
    """Whether a cell of ``row`` is the same text as the one of ``other`` in its column: a vertical merge
    (or an unmarked one) goes on across the two rows."""
    if other is None:
        return False
    return any(_cell_text(v) and c < len(other) and _cell_text(v) == _cell_text(other[c]) for c, v in enumerate(row))


def _penalty(kind: Kind, header: _Header, below: list[list[Any]], grid: list[list[Any]]) -> int:
    """How much a candidate header looks cut short: a header text repeated in the next column (a merged
    group header whose sub-headers are in the row below), a header cell merged with the row above or
    below it, and a count column whose first cell below is text (a sub-header read as data)."""
    names = header.names
    top, bottom = header.start, header.start + header.depth - 1
    cut = _merged_into(grid[top], grid[top - 1] if top > 0 else None) + \
        _merged_into(grid[bottom], grid[bottom + 1] if bottom + 1 < len(grid) else None)
    repeated = sum(1 for c in range(1, len(names)) if names[c] and names[c] == names[c - 1])
    if header.depth > 1 and len({n.split(" / ")[0] for n in names if n}) == 1:
        repeated += 1  # a title line (one cell, spread over the columns) stacked on the header
    text_under = 0
    first = below[0] if below else []
    for c, (canon, _) in header.mapping.items():
        if kind.column(canon).type in ("count", "amount") and c < len(first):
            cell = _cell_text(first[c])
            if cell and not re.search(r"\d", cell):
                text_under += 1
    named = [i for i, n in enumerate(names) if n]
    sub_header = bool(named) and any(
        not names[c] and (cell := _cell_text(first[c])) and not re.search(r"\d", cell)
        for c in range(named[0] + 1, min(named[-1], len(first))))  # a sub-header under a group (no merge marks it)
    return repeated + text_under + cut + sub_header


def _best_header(kind: Kind, grid: list[list[Any]], overrides: _Overrides | None) -> _Header | None:
    best: _Header | None = None
    best_score: tuple[int, int, int, int] = (0, 0, 0, 0)
    scan = grid[: HEADER_SCAN_ROWS + 2]
    width = max((len(r) for r in scan), default=0)
    for start in range(min(HEADER_SCAN_ROWS, len(scan))):
        if not any(_cell_text(v) for v in scan[start]):
            continue
        for depth in (1, 2, 3):
            if start + depth > len(scan):
                break
            if any(_is_meta_row(r) for r in scan[start: start + depth - 1]):  # 项目名称：… 填报人：… is a
                break  # title line, never an upper header level
            texts = _compose(scan[start : start + depth], width)
            below = grid[start + depth: start + depth + VALUE_ROWS]
            found = _match_columns(kind, texts, width, overrides, below)
            header = _Header(**{**found.__dict__, "start": start, "depth": depth})
            canons = header.found() | set(header.refused)  # a refused group header is recognised all the same
            # Most columns recognised, then most required ones, then the header that does not look cut
            # short, then the shallowest header (a title row stacked on top of the real header must not
            # win a tie).
            score = (len(canons), sum(1 for c in canons if kind.column(c).required),
                     -_penalty(kind, header, below, scan), -depth)
            if best is None or score > best_score:
                best, best_score = header, score
    return best if best is not None and best.found() else None


_META_CELL = re.compile(r"^\s*(?!其中)[\u4e00-\u9fff]{2,8}\s*[：:]")


def _is_meta_row(row: list[Any]) -> bool:
    """A title-area line of label-and-value cells (项目名称：…, 填报人：, 填报时间：2020年5月25日)."""
    return any(_META_CELL.match(_cell_text(v)) for v in row)


def _missing_required_message(kind: Kind, found: set[str], where: str, extra_ok: set[str],
                              where_zh: str | None = None) -> ReadError | None:
    missing = [c for c in kind.required if c.name not in found and c.name not in extra_ok]
    if not missing:
        return None
    missing_names = tuple(c.name for c in missing)
    parts = [f"{c.zh} ({c.name}; accepted headers: {', '.join(dict.fromkeys((c.zh, c.en, *c.aliases)))})"
             for c in missing]
    parts_zh = [f"{c.zh}（{c.name}；可识别的表头：{'、'.join(dict.fromkeys((c.zh, c.en, *c.aliases)))}）"
                for c in missing]
    error = ReadError(f"{where}: required column missing: " + "; ".join(parts),
                      zh=f"{where_zh or where}：缺少必填列：" + "；".join(parts_zh) + "（可在列映射中指定文件的哪一列是它）")
    error.missing = missing_names
    return error


def _conflict_error(kind: Kind, header: _Header, where: str, where_zh: str) -> MappingError | None:
    if not header.conflicts:
        return None
    en = "; ".join(f"{' and '.join(repr(h) for h in hs)} are mapped to the same column {canon} "
                   f"({kind.column(canon).zh})"
                   for canon, hs in header.conflicts.items())
    zh = "；".join(f"{'、'.join(f'“{h}”' for h in hs)}都映射到了 {kind.column(canon).zh}（{canon}）"
                  for canon, hs in header.conflicts.items())
    return MappingError(f"{where}: column mapping: {en}; map only one header to each column",
                        zh=f"{where_zh}：列映射：{zh}；每一列只能对应一个表头")


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


# A title that begins with a region (after a year, perhaps) and names a table: 长沙市2024年隐患排查治理台账.
_TITLE_WORDS = re.compile(r"台账|报表|统计表|一览表|汇总表|明细表|登记表|清单|情况表|分解表")
_TITLE_REGION_RE = re.compile(r"^\s*(?:\d{4}\s*年度?\s*)?([\u4e00-\u9fff]{2,24})")


def _title_region(line: str) -> str | None:
    """The region a title line begins with (长沙市…台账 → 长沙市; 湖南省长沙市… → 湖南省长沙市), the longest
    start that names exactly one region; None when the line is no table title or begins with none."""
    from domain.regions import RegionError, resolve_region

    m = _TITLE_REGION_RE.match(unicodedata.normalize("NFKC", line))
    if m is None or not _TITLE_WORDS.search(line):
        return None
    head = m.group(1)
    ends = [i + 1 for i, ch in enumerate(head) if ch in "省市区县州盟旗" and i >= 1]
    for end in reversed(ends):
        try:
            resolve_region(head[:end])
        except RegionError:
            continue
        return head[:end]
    return None


def _meta_from_lines(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in lines:
        if "region" not in meta:
            m = _META_REGION_RE.search(line)
            if m:
                meta["region"] = region_of_agency(m.group(1))  # 宁波市安全生产监督管理局 → 宁波市
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
    if "region" not in meta:
        region = next((r for r in map(_title_region, lines) if r is not None), None)
        if region is not None:
            meta["region"] = region
    return meta


def _text_cells(col: pd.Series, rows: np.ndarray | None = None) -> Any:
    """The cells of ``col`` (at positions ``rows``, or all) as Arrow text, missing ones as '' — as
    ``astype("string").fillna("")`` reads them, without a Python object per cell for a CSV's text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if rows is not None:
        col = col.iloc[rows]
    if not (isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow"):
        col = col.astype("string")
    arr = col.array.__arrow_array__()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.fill_null(arr, "")


def _blank_cells(col: pd.Series) -> np.ndarray:
    """Which cells of ``col`` are blank: missing, empty or only spaces (``str.strip() == ''``)."""
    import pyarrow.compute as pc

    blank = pc.equal(pc.utf8_trim_whitespace(_text_cells(col)), "")
    return np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)


# What a total or footer cell must contain for its spaces-removed text to be one: a total word has
# 计, or is total/sum (case-insensitive: an l or an m); a footer starts with one of the footer
# words' first characters and has a colon.
_MAYBE_TOTAL = "[计lLmM]"
_FOOTER_FIRST = "[填制审单负统报联备说注pPrRaAhHdD]"


def _suspicious_rows(body: pd.DataFrame) -> np.ndarray:
    """Rows that may be blank, total or footer rows, for :func:`_classify_row` to decide: every
    cell blank, or one of the first three cells, its spaces removed, a total word (whole cell,
    any case) or a footer word and a colon at its start. Column-wise on Arrow text; the exact
    patterns are matched only on cells that contain what they need."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from loaders.parsing import _SPACE_CLASS

    n = len(body)
    candidates = np.arange(n)
    for col in body.columns:  # blank rows: narrowed column by column
        if not len(candidates):
            break
        text = _text_cells(body[col], candidates)
        blank = pc.equal(pc.utf8_trim_whitespace(text), "")
        candidates = candidates[np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)]
    suspicious = np.zeros(n, dtype=bool)
    suspicious[candidates] = True
    for col in list(body.columns[: min(3, len(body.columns))]):
        text = _text_cells(body[col])
        maybe = pc.or_(pc.match_substring_regex(text, _MAYBE_TOTAL),
                       pc.match_substring_regex(text, f"^{_SPACE_CLASS}*{_FOOTER_FIRST}"))
        rows = np.flatnonzero(np.asarray(maybe.to_numpy(zero_copy_only=False), dtype=bool))
        if not len(rows):
            continue
        compact = pc.replace_substring_regex(text.take(pa.array(rows)), f"{_SPACE_CLASS}+", "")
        hit = pc.or_(pc.match_substring_regex(compact, f"^(?:{_SUSPECT_TOTAL})$", ignore_case=True),
                     pc.match_substring_regex(compact, f"^(?:{_SUSPECT_FOOTER})"))
        suspicious[rows[np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)]] = True
    return suspicious


_NOTHING_IMPORTED = "row with nothing under the imported columns skipped"


def _rows_with_nothing_imported(body: pd.DataFrame, header: _Header, drop: list[int],
                                listed: set[int]) -> list[tuple[int, str]]:
    """Rows blank under every column the header imports but not blank elsewhere — a numbered line left
    empty (序号 99 and nothing else): skipped and listed with what they hold, not rejected as records."""
    imported = [c for c in ({*header.mapping} | {i for cols, _ in header.sums.values() for i in cols})
                if c in body.columns]
    others = [c for c in body.columns if c not in imported]
    if not imported or not others or not len(body):
        return []
    blank = np.ones(len(body), dtype=bool)
    for col in imported:
        blank &= _blank_cells(body[col])
    out = []
    for row_no in body.index[blank]:
        if row_no in listed or row_no in drop:
            continue
        held = " ".join(_cell_text(body.at[row_no, c]) for c in others if _cell_text(body.at[row_no, c]))
        out.append((int(row_no), f"{_NOTHING_IMPORTED}: {one_line(held, 60)}"))
    return out


def _without(body: pd.DataFrame, drop: list[int]) -> pd.DataFrame:
    """``body.drop(index=drop)``; a slice when the rows dropped are the last ones (a 合计 row, the
    footers), so that a million rows are not copied for them."""
    if not drop:
        return body
    keep = len(body) - len(drop)
    if sorted(drop) == list(body.index[keep:]):
        return body.iloc[:keep]
    return body.drop(index=drop)


def _table_from_grid(kind: Kind, grid: list[list[Any]], where: str, extra_ok: set[str],
                     sheet: str | None = None, encoding: str | None = None,
                     body: pd.DataFrame | None = None, body_first_row: int | None = None,
                     overrides: _Overrides | None = None, where_zh: str | None = None) -> RawTable:
    where_zh = where_zh or where
    header = find_header(kind, grid, overrides)
    if header is None:
        examples = ", ".join(c.zh for c in kind.required)
        raise ReadError(f"{where}: no header row found in the first {HEADER_SCAN_ROWS} rows "
                        f"(expected a row with columns such as {examples})",
                        zh=f"{where_zh}：前 {HEADER_SCAN_ROWS} 行中找不到表头行（应有一行写着 "
                           f"{'、'.join(c.zh for c in kind.required)} 等列名）")
    conflict = _conflict_error(kind, header, where, where_zh)
    if conflict is not None:
        raise conflict
    header = _with_unit_row(grid, header)
    found = header.found()
    refused = _group_error(kind, header, found, extra_ok, where, where_zh)
    if refused is not None:
        raise refused
    message = _missing_required_message(kind, found, where, extra_ok, where_zh)
    title_lines = [" ".join(_cell_text(v) for v in row if _cell_text(v)) for row in grid[: header.start]]
    data_start = header.start + header.depth  # 0-based
    if body is None:
        rows = grid[data_start:]
        full = max(map(len, rows), default=0)
        full = max(full, len(header.names))
        body = _grid_body(rows, full)
        first_row = data_start + 1
    else:
        first_row = body_first_row if body_first_row is not None else data_start + 1
    body.index = pd.RangeIndex(first_row, first_row + len(body))
    # Cells right of the header's last named column have no header: they are not imported, but a
    # non-empty one is reported (never silently dropped, never a reason to refuse the file).
    width = max((i + 1 for i, n in enumerate(header.names) if n), default=0)
    width = max([width, *(i + 1 for i in header.mapping), *(i + 1 for cols, _ in header.sums.values() for i in cols)])
    extra_frame = body[[c for c in body.columns if c >= width]]
    body = body[[c for c in body.columns if c < width]]
    body, note_lines, note_skipped = _without_note_lines(body)
    # Classify only rows that look special (vectorised; a ledger may have a million rows): all
    # blank, a total word as a whole cell in the first columns, or a footer prefix.
    skipped: list[tuple[int, str]] = []
    footer_lines: list[str] = []
    drop: list[int] = []
    if len(body):
        suspicious = _suspicious_rows(body)
        for row_no in body.index[suspicious]:
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
    skipped.extend(note_skipped)
    skipped.extend(_rows_with_nothing_imported(body, header, drop, {r for r, _ in skipped}))
    drop.extend(r for r, why in skipped if why.startswith(_NOTHING_IMPORTED) and r not in drop)
    skipped_rows = {r for r, _ in skipped}
    extra_cells: list[tuple[int, tuple[tuple[int, str], ...]]] = []
    if len(extra_frame.columns) and len(extra_frame):
        has_extra = np.zeros(len(extra_frame), dtype=bool)
        for col in extra_frame.columns:
            has_extra |= ~_blank_cells(extra_frame[col])
        extra_text = extra_frame.iloc[np.flatnonzero(has_extra)].astype("string").fillna("").apply(
            lambda col: col.str.strip())
        for row_no in extra_frame.index[has_extra]:
            if row_no in skipped_rows:  # a footer spread over the row: already listed as skipped
                continue
            cells = tuple((int(c) + 1, _cell_text(extra_frame.at[row_no, c])) for c in extra_frame.columns
                          if extra_text.at[row_no, c] != "")
            extra_cells.append((int(row_no), cells))
    body = _without(body, drop)
    meta = _meta_from_lines(title_lines + footer_lines)
    _cumulative_meta(meta, title_lines, note_lines + footer_lines, header.names)
    if message is not None:
        meta_cover = {k for k in ("region", "period") if k in meta}
        if year_of(meta.get("period")) is not None:
            meta_cover.add("year")  # a targets file titled 2024年度…
        message = _missing_required_message(kind, found, where, extra_ok | meta_cover, where_zh)
        if message is not None:
            message.file_headers = tuple(n for n in header.names if n)
            raise message
    columns = {idx: canon for idx, (canon, _) in header.mapping.items()}
    frame = body[list(columns)].rename(columns=columns)
    frame, breakdowns = _without_breakdown_rows(kind, frame)
    skipped = sorted([*skipped, *breakdowns])
    headers = {canon: header.names[idx] for idx, (canon, _) in header.mapping.items()}
    units = {canon: unit for canon, unit in header.mapping.values()}
    sums: dict[str, tuple[str, ...]] = {}
    groups: dict[str, str] = {}
    for canon, (cols, title) in header.sums.items():  # a group header over a partition: its parts, summed later
        keys = tuple(f"{canon}#{i}" for i in cols)
        frame = frame.assign(**{key: body[i] for key, i in zip(keys, cols, strict=True)})
        for key, i in zip(keys, cols, strict=True):
            headers[key] = header.names[i]
        sums[canon] = keys
        groups[title] = canon
        units.setdefault(canon, headers_unit(header, cols))
    context: dict[str, str] = {}
    if header.region_context is not None:  # 所在市州 beside 所在区县: each district read within its city
        frame = frame.assign(**{"region@context": body[header.region_context]})
        headers["region@context"] = header.names[header.region_context]
        context["region"] = "region@context"
    summed = {i for cols, _ in header.sums.values() for i in cols}
    ignored = tuple(n for i, n in enumerate(header.names) if n and i not in header.mapping and i not in summed)
    return RawTable(frame=frame, headers=headers, units=units, header_row=header.start + header.depth,
                    sheet=sheet, encoding=encoding, meta=meta, skipped=tuple(skipped), ignored_headers=ignored,
                    extra_cells=tuple(extra_cells), file_headers=tuple(n for n in header.names if n),
                    matches=header.matches, sums=sums, groups=groups, context=context)


def headers_unit(header: _Header, cols: tuple[int, ...]) -> str | None:
    """The unit of a summed group: the first one its sub-headers' levels name."""
    for i in cols:
        unit = headers.header_key(header.names[i].split(" / "))[1]
        if unit is not None:
            return unit
    return None


def _group_error(kind: Kind, header: _Header, found: set[str], extra_ok: set[str], where: str,
                 where_zh: str) -> ReadError | None:
    """A required column or a measure (a count or an amount, which statistics may leave optional) written
    only as a group header whose sub-columns are neither a partition nor have a total: refused, naming the
    columns (never read from one sub-column, nor taken as not given)."""
    for canon, (title, subs) in header.refused.items():
        col = kind.column(canon)
        if canon in found or canon in extra_ok or not (col.required or col.type in ("count", "amount")):
            continue
        listed = ", ".join(f"'{s}'" for s in subs)
        return ReadError(
            f"{where}: {col.zh} ({canon}) is the group header '{title}' over {len(subs)} sub-columns ({listed}) "
            "with no total column, and they are not parts of one whole (expected sub-columns that are all "
            "industries or all grades, none a 合计 or 其中 column): the total cannot be read from one sub-column; "
            f"add a 合计 column under '{title}', or map the column that holds the total to {canon}",
            zh=f"{where_zh}：{col.zh}（{canon}）是分组表头“{title}”，下有 {len(subs)} 列（{'、'.join(f'“{s}”' for s in subs)}），"
               "没有合计列，且这些列不是互不重叠的分项（应全部为行业或全部为等级，且不含合计列或“其中”列）：不能只取其中一列作为总数；"
               f"请在“{title}”下增加合计列，或在列映射中指定哪一列是{col.zh}")
    return None


def _read_csv_body(csv_text: _CsvText, data_start: int, width: int, path: Path | None = None,
                   max_columns: int | None = None) -> pd.DataFrame:
    """The data rows of a CSV as text, as wide as its widest row (cells right of the header are
    reported by :func:`_table_from_grid`, not refused). A row wider than ``max_columns`` is refused."""
    path = path or Path("file.csv")
    max_columns = max_columns or _limits().max_columns
    body = _read_csv_body_arrow(csv_text.body, csv_text.delimiter, data_start, width, path, max_columns)
    if body is not None:
        return body
    try:
        body = pd.read_csv(
            io.BytesIO(csv_text.body), encoding="utf-8", sep=csv_text.delimiter, header=None, skiprows=data_start,
            dtype=str, keep_default_na=False, names=range(width + 32), skip_blank_lines=False, engine="c",
        )
    except pd.errors.ParserError:
        body = None  # a row wider than that: read with the csv module (slower, rare)
    if body is None or not body.index.equals(pd.RangeIndex(len(body))):
        records = csv.reader(io.StringIO(csv_text.body.decode("utf-8")), delimiter=csv_text.delimiter)
        rows = []
        for i, r in enumerate(records):
            if len(r) > max_columns:
                raise _too_many_columns_error(path, records.line_num, len(r), max_columns)
            if i >= data_start:
                rows.append(r)
        full = max([width, *(len(r) for r in rows)])
        body = pd.DataFrame([r + [""] * (full - len(r)) for r in rows], columns=range(full), dtype=object)
    return body


def _read_csv_body_arrow(data: bytes, delimiter: str, data_start: int, width: int, path: Path,
                         max_columns: int) -> pd.DataFrame | None:
    """The data rows read by pyarrow (multi-threaded, no Python object per cell), as the same frame
    of text columns pandas' reader gives; None when a row has a different number of cells than the
    first one, or a blank line is among them (then pandas' reader, which pads them, reads the file)."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    irregular = []

    def invalid(row: Any) -> str:
        irregular.append(row)
        return "skip"

    source = pa.py_buffer(data)
    if not data.endswith(b"\n"):
        source = pa.py_buffer(data + b"\n")  # pyarrow cannot skip rows to a last line without one
    try:
        first = pacsv.read_csv(
            pa.BufferReader(source),
            read_options=pacsv.ReadOptions(skip_rows=data_start, autogenerate_column_names=True,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False, invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width + 64)},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, auto_dict_encode=False,
                                                 true_values=[], false_values=[], null_values=[]),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    wide = next((row for row in irregular if row.actual_columns > max_columns), None)
    if wide is not None:
        at = data.find(wide.text.encode("utf-8")) if wide.text else -1
        raise _too_many_columns_error(path, _line_of(data, at) if at >= 0 else None, wide.actual_columns, max_columns)
    if irregular or any(not pa.types.is_string(t) for t in first.schema.types):
        return None
    str_dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
    columns = {i: pd.Series(pd.arrays.ArrowStringArray(first.column(i)).astype(str_dtype), copy=False)
               for i in range(first.num_columns)}
    for i in range(first.num_columns, width):  # rows shorter than the header: pandas pads them with ''
        columns[i] = pd.Series("", index=range(first.num_rows), dtype=str_dtype)
    return pd.DataFrame(columns)


def list_sheets(path: str | Path) -> list[str]:
    """The sheet names of a workbook, in order; an empty list for CSV and Parquet. Raises ReadError
    for a file that is not what its suffix says."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES:
        if suffix in (*CSV_SUFFIXES, ".parquet", ""):
            return []
        raise unsupported_type_error(path.name, suffix)
    _check_file(path)
    fmt = web_format(path)
    if fmt == "text":
        return []
    if fmt is not None:
        return [name for name, _, _ in web_sheets(path)]
    _check_workbook(path, _limits())
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # calamine raises several types for a bad file
        raise ReadError(f"{path.name} is not a readable Excel workbook ({type(exc).__name__}: {exc})",
                        zh=f"{path.name} 不是可读取的 Excel 工作簿（{type(exc).__name__}: {exc}）") from None


def _check_file(path: Path) -> None:
    """It exists, is not empty, and a workbook is not a renamed PDF."""
    if not path.exists():
        raise ReadError(f"{path} does not exist", zh=f"{path} 不存在")
    if path.stat().st_size == 0:
        raise empty_file_error(path.name)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        with path.open("rb") as f:
            head = f.read(8)
        if head.startswith(b"%PDF"):
            raise ReadError(f"{path.name} is a PDF renamed to {suffix}, not a spreadsheet",
                            zh=f"{path.name} 是改成 {suffix} 扩展名的 PDF 文件，不是电子表格")


def read_table(path: str | Path, kind: Kind, sheet: str | None = None,
               provided: set[str] | None = None, mapping: dict[str, str | None] | None = None) -> RawTable:
    """Read a file of one kind; ``provided`` names required columns given on the command line.

    ``mapping`` (header text → canonical column, or None: not imported) overrides the automatic
    match of those headers: it is applied while the header row is found, so that the unit in a
    mapped header's brackets and the required-column check see the final columns. Raises
    :class:`ReadError` (:class:`MappingError` for a bad mapping)."""
    path = Path(path)
    extra_ok = provided or set()
    overrides = prepare_mapping(kind, mapping)
    _check_file(path)
    suffix = path.suffix.lower()
    fmt = web_format(path) if suffix in EXCEL_SUFFIXES else None
    if fmt == "text":  # a text table named .xls: read as the CSV it is
        return RawTable(**{**_read_csv_table(path, kind, extra_ok, overrides).__dict__, "web_format": fmt})
    if fmt is not None:
        return _read_web_table(path, kind, sheet, extra_ok, overrides)
    if suffix in EXCEL_SUFFIXES:
        lim = _limits()
        parts = _check_workbook(path, lim)
        wb, names = _open_workbook(path, sheet)

        def grids() -> Iterator[tuple[str, list[list[Any]], str, str, str | None]]:
            for name in names:  # read one sheet at a time: the first with a header is the one
                _check_sheet(path, name, parts.get(name), lim)
                try:
                    grid = _sheet_grid(wb, name)
                except Exception as exc:  # a damaged workbook can fail in many ways deep inside the reader
                    raise ReadError(f"{path.name} cannot be read as a spreadsheet ({type(exc).__name__}: {exc})",
                                    zh=f"{path.name} 无法作为电子表格读取（{type(exc).__name__}: {exc}）") from None
                yield name, grid, f"{path.name} sheet '{name}'", f"{path.name} 工作表“{name}”", None

        return _first_with_a_header(kind, grids(), names, extra_ok, overrides, sheets=tuple(wb.sheet_names))
    if suffix == ".parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as exc:
            raise ReadError(f"{path.name} is not a readable Parquet file ({exc})",
                            zh=f"{path.name} 不是可读取的 Parquet 文件（{exc}）") from None
        grid = [list(df.columns)]
        body = df.astype(object).where(df.notna(), None)
        body.columns = range(len(df.columns))
        return _table_from_grid(kind, grid, path.name, extra_ok, body=body, body_first_row=2, overrides=overrides)
    if suffix in (*CSV_SUFFIXES, ""):
        return _read_csv_table(path, kind, extra_ok, overrides)
    raise unsupported_type_error(path.name, suffix)


def _read_csv_table(path: Path, kind: Kind, extra_ok: set[str], overrides: _Overrides | None) -> RawTable:
    csv_text = _read_csv_text(path)
    grid = [list(r) for r in csv.reader(csv_text.head, delimiter=csv_text.delimiter)]
    header = find_header(kind, grid, overrides)
    if header is None:
        return _table_from_grid(kind, grid, path.name, extra_ok, encoding=csv_text.encoding, overrides=overrides)
    header = _with_unit_row(grid, header)
    data_start = header.start + header.depth
    body = _read_csv_body(csv_text, data_start, len(header.names), path)
    return _table_from_grid(kind, grid, path.name, extra_ok, encoding=csv_text.encoding, body=body,
                            body_first_row=data_start + 1, overrides=overrides)


def _read_web_table(path: Path, kind: Kind, sheet: str | None, extra_ok: set[str],
                    overrides: _Overrides | None) -> RawTable:
    """:func:`read_table` for a workbook that is really a web page: its first table with a header."""
    fmt = web_format(path) or "html"
    pages = web_sheets(path)
    names = [name for name, _, _ in pages]
    if sheet is not None:
        if sheet not in names:
            raise ReadError(f"{path.name} has no sheet '{sheet}' (sheets: {', '.join(names)})",
                            zh=f"{path.name} 中没有工作表“{sheet}”（现有工作表：{'、'.join(names)}）")
        pages = [p for p in pages if p[0] == sheet]
    en, zh = WEB_FORMATS[fmt]
    grids = ((name, grid, f"{path.name} ({en}) sheet '{name}'" if len(names) > 1 else f"{path.name} ({en})",
              f"{path.name}（{zh}）工作表“{name}”" if len(names) > 1 else f"{path.name}（{zh}）", encoding)
             for name, grid, encoding in pages)
    return _first_with_a_header(kind, grids, names, extra_ok, overrides, sheets=tuple(names), web_format=fmt)


def _first_with_a_header(kind: Kind, grids: Iterable[tuple[str, list[list[Any]], str, str, str | None]],
                         names: list[str], extra_ok: set[str], overrides: _Overrides | None,
                         **fields: Any) -> RawTable:
    """The table of the first sheet whose header is found — ``grids`` yields (name, grid, where, where_zh,
    encoding), read one at a time — with the other sheets' names and ``fields``; when none has one, every
    sheet's refusal in one ReadError. A bad column mapping is raised at once."""
    errors: list[ReadError] = []
    for name, grid, where, where_zh, encoding in grids:
        try:
            table = _table_from_grid(kind, grid, where, extra_ok, sheet=name, encoding=encoding,
                                     overrides=overrides, where_zh=where_zh)
        except MappingError:
            raise
        except ReadError as exc:
            errors.append(exc)
            continue
        others = tuple(n for n in names if n != name)
        return RawTable(**{**table.__dict__, "other_sheets": others, **fields})
    if len(errors) == 1:
        raise errors[0]
    raise ReadError(" | ".join(str(e) for e in errors), zh=" | ".join(e.zh for e in errors))
