"""From a file's bytes to grids of cells: the CSV's encoding and delimiter (detected, not asked), workbooks
(checked for size before they are opened), and web exports (HTML and MHTML tables)."""

from __future__ import annotations

import csv
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from loaders.read_errors import ReadError, too_large_error

HEADER_SCAN_ROWS = 30


# Suffixes read by read_table (a file without a suffix is read as CSV).
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SUPPORTED_SUFFIXES = (*CSV_SUFFIXES, *EXCEL_SUFFIXES, ".parquet")


def unsupported_type_error(name: str, suffix: str) -> ReadError:
    return ReadError(
        f"{name}: unsupported file type '{suffix}' (expected .csv, .xlsx, .xls or .parquet)",
        zh=f"{name}：不支持的文件类型“{suffix}”（应为 .csv、.xlsx、.xls 或 .parquet）",
    )


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
        raise ReadError(
            "the file is not text in a known encoding (expected UTF-8 or GBK/GB18030 CSV)",
            zh="文件不是已知编码的文本（应为 UTF-8 或 GBK/GB18030 编码的 CSV）",
        )
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
    lines = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )
    hit = pc.match_substring_regex(lines, _UTF8_CJK_LINE)
    found = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))[:limit]
    return [int(i) + 1 for i in found]


def _check_text(path: Path, data: bytes) -> None:
    """Refuse a file with a NUL byte, or one whose lines are in different encodings (read as one, the
    others would be stored as mojibake)."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = _line_of(data, nul)
        raise ReadError(
            f"{path.name}: line {line:,} has a NUL byte (byte {nul + 1:,}); a CSV file is text "
            "without NUL bytes (expected UTF-8 or GBK text, not UTF-16 or a binary file)",
            zh=f"{path.name}：第 {line:,} 行含有 NUL 字节（第 {nul + 1:,} 个字节）；CSV 文件应为不含 NUL "
            "字节的文本（应为 UTF-8 或 GBK 编码，而不是 UTF-16 或二进制文件）",
        )


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
        data[start : end if end >= 0 else len(data)].decode("gb18030")
        label, label_zh = "GBK/GB18030", "GBK/GB18030"
    except UnicodeDecodeError:
        label, label_zh = "in another encoding", "其他编码"
    lines = ", ".join(f"{n:,}" for n in utf8)
    raise ReadError(
        f"{path.name} mixes encodings: line {other:,} is {label}, line{'s' if len(utf8) > 1 else ''} "
        f"{lines} UTF-8 (expected one encoding for the whole file: save it again as UTF-8 or as GBK)",
        zh=f"{path.name} 混用了多种编码：第 {other:,} 行是 {label_zh}，第 {lines} 行是 UTF-8（整个文件应为同一种编码："
        "请另存为 UTF-8 或 GBK 后再导入）",
    )


def _too_many_columns_error(path: Path, line: int | None, columns: int, max_columns: int) -> ReadError:
    where = f"line {line:,}" if line else "a line"
    where_zh = f"第 {line:,} 行" if line else "有一行"
    return too_large_error(
        path.name,
        f"{where} has {columns:,} columns; at most {max_columns:,} are read (SAFETY_MAX_COLUMNS)",
        f"{where_zh}有 {columns:,} 列；最多读取 {max_columns:,} 列（SAFETY_MAX_COLUMNS）",
    )


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
        raise ReadError(
            f"{path.name} is not a CSV text file (it looks binary)",
            zh=f"{path.name} 不是 CSV 文本文件（看起来是二进制文件）",
        )
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
                raise ReadError(
                    f"{path.name} is not text in a known encoding (expected UTF-8 or GBK/GB18030 CSV)",
                    zh=f"{path.name} 不是已知编码的文本（应为 UTF-8 或 GBK/GB18030 编码的 CSV）",
                ) from None
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


def _fill_merged(
    grid: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]], offset: tuple[int, int]
) -> None:
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
                raise too_large_error(
                    path.name,
                    f"{info.filename} expands to {_mb(info.file_size)} (from "
                    f"{_mb(info.compress_size)} in the file), about {_mb(info.file_size * PART_FACTOR)} "
                    f"to read; at most {lim.memory_mb:,.0f} MB (SAFETY_READ_MEMORY_MB)",
                    f"{info.filename} 解压后为 {_mb(info.file_size)}（文件中 {_mb(info.compress_size)}），读取约需 "
                    f"{_mb(info.file_size * PART_FACTOR)}；上限 {lim.memory_mb:,.0f} MB（SAFETY_READ_MEMORY_MB）",
                )
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

    book = next(
        (resolve("", t) for i, t in rels("_rels/.rels").items() if t.endswith(".xml") and "workbook" in t.lower()),
        "xl/workbook.xml",
    )
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


_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?\""
)
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
        raise too_large_error(
            path.name,
            f"sheet '{name}' has cells from A1 to {corner} ({rows:,} rows × {cols:,} "
            f"columns); at most {lim.max_columns:,} columns are read (SAFETY_MAX_COLUMNS)",
            f"工作表“{name}”的单元格从 A1 到 {corner}（{rows:,} 行 × {cols:,} 列）；最多读取 "
            f"{lim.max_columns:,} 列（SAFETY_MAX_COLUMNS）",
        )
    need = rows * cols * CELL_BYTES
    if need > lim.memory_mb * 2**20:
        raise too_large_error(
            path.name,
            f"sheet '{name}' has cells from A1 to {corner} ({rows:,} rows × {cols:,} "
            f"columns), about {_mb(need)} to read; at most {lim.memory_mb:,.0f} MB "
            "(SAFETY_READ_MEMORY_MB)",
            f"工作表“{name}”的单元格从 A1 到 {corner}（{rows:,} 行 × {cols:,} 列），读取约需 {_mb(need)}；"
            f"上限 {lim.memory_mb:,.0f} MB（SAFETY_READ_MEMORY_MB）",
        )


def _open_workbook(path: Path, sheet: str | None) -> tuple[Any, list[str]]:
    """The workbook and the names of the sheets to try, in order (only ``sheet`` when given)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, Exception) as exc:  # calamine raises several types for a bad file
        raise ReadError(
            f"{path.name} is not a readable Excel workbook ({type(exc).__name__}: {exc})",
            zh=f"{path.name} 不是可读取的 Excel 工作簿（{type(exc).__name__}: {exc}）",
        ) from None
    names = list(wb.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise ReadError(
                f"{path.name} has no sheet '{sheet}' (sheets: {', '.join(names)})",
                zh=f"{path.name} 中没有工作表“{sheet}”（现有工作表：{'、'.join(names)}）",
            )
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
            cells[i, len(r) :] = ""
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
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table|"
    rb"style|title|div|tr)\b",
    re.IGNORECASE | re.DOTALL,
)
_MHTML_START = re.compile(
    rb"^(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?"
    rb"(?:MIME-Version|Content-Type)\s*:",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_HTML_LIMIT_COLSPAN = 1000  # the HTML standard's limits of colspan and rowspan
_HTML_LIMIT_ROWSPAN = 65534
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "object", "iframe", "select"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "center",
        "br",
        "caption",
        "pre",
        "blockquote",
        "section",
        "header",
        "footer",
        "form",
    }
)
WEB_FORMATS = {
    "html": ("a web page table (HTML)", "网页表格（HTML）"),
    "mhtml": ("a web page saved as one file (MHTML)", "单个文件网页（MHTML）"),
    "text": ("a text table (CSV or tab-separated)", "文本表格（CSV 或制表符分隔）"),
}
_SPREADSHEET_XML = re.compile(rb"<Workbook\b[^>]*urn:schemas-microsoft-com:office:spreadsheet", re.IGNORECASE)


def web_format(path: Path) -> str | None:
    """'html' or 'mhtml' when a workbook's first bytes are a web page rather than a workbook, else None."""
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(_OLE_MAGIC) or head.startswith(b"PK\x03\x04"):
        return None
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if _SPREADSHEET_XML.search(head):
        raise ReadError(
            f"{path.name} is an Excel 2003 XML spreadsheet (SpreadsheetML), which cannot be read "
            "(expected .xlsx, .xls or .csv: open it in Excel or WPS and save it as .xlsx)",
            zh=f"{path.name} 是 Excel 2003 XML 电子表格（SpreadsheetML），无法读取（应为 .xlsx、.xls 或 "
            ".csv：请用 Excel 或 WPS 打开后另存为 .xlsx）",
        )
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


def _table_rows(
    table: Any, max_columns: int, name: str
) -> tuple[list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]]]:
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
                raise too_large_error(
                    name,
                    f"row {r + 1} of a table has {c + colspan:,} columns; at most "
                    f"{max_columns:,} are read (SAFETY_MAX_COLUMNS)",
                    f"表格第 {r + 1} 行有 {c + colspan:,} 列；最多读取 {max_columns:,} 列（SAFETY_MAX_COLUMNS）",
                )
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
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except Exception as exc:  # lxml's ParserError for an empty or unparseable document
        raise ReadError(
            f"{name} is a web page (HTML) but has no table that can be read ({type(exc).__name__})",
            zh=f"{name} 是网页（HTML），但其中没有可读取的表格（{type(exc).__name__}）",
        ) from None
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
        raise too_large_error(
            name, "the page's elements are nested too deep to read", "网页的元素嵌套过深，无法读取"
        ) from None
    flush()
    if not any(len(r) > 1 for r in grid):
        raise ReadError(
            f"{name} is a web page (HTML) but has no table (expected a <table> with a header row)",
            zh=f"{name} 是网页（HTML），但其中没有表格（应有一个带表头行的 <table>）",
        )
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
        raise ReadError(
            f"{name} is a web page saved as one file (MHTML) but has no table",
            zh=f"{name} 是单个文件网页（MHTML），但其中没有表格",
        )
    return pages


def web_sheets(path: Path) -> list[tuple[str, list[list[Any]], str]]:
    """The tables of a web export as (sheet name, grid, encoding): one 'HTML' sheet for a page, one per
    page with a table for MHTML (Excel saves each sheet as a page of its own)."""
    fmt = web_format(path)
    data = path.read_bytes()
    lim = _limits()
    if fmt == "mhtml":
        return [
            (sheet, _html_grid(text, path.name, lim.max_columns), enc)
            for sheet, text, enc in _mhtml_pages(data, path.name)
        ]
    text, encoding = _html_text(data)
    return [("HTML", _html_grid(text, path.name, lim.max_columns), encoding)]
