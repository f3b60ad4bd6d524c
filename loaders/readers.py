"""Reading the files people really have into a raw table with its header found.

CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 — detected, not asked), XLSX and XLS (python-calamine:
fast, and reads both), and Parquet. Title rows above the header, two- and three-level merged
headers, 合计 / 总计 total rows and 填表人 footers are handled here, so that everything after this
module sees one header and only data rows — and every row skipped is reported, never silently lost.

The steps are modules of their own: ``loaders.decoding`` (bytes to grids of cells), ``loaders.header_match``
(the header in a grid), ``loaders.row_kinds`` (what each row is); ``loaders.read_errors`` says why a file
cannot be read. This module puts them together into :func:`read_table`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from loaders import forms, headers
from loaders.decoding import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    HEADER_SCAN_ROWS,
    WEB_FORMATS,
    _cell_text,
    _check_sheet,
    _check_workbook,
    _CsvText,
    _grid_body,
    _limits,
    _line_of,
    _open_workbook,
    _read_csv_text,
    _sheet_grid,
    _too_many_columns_error,
    empty_file_error,
    unsupported_type_error,
    web_format,
    web_sheets,
)
from loaders.header_match import (
    MappingError,
    _conflict_error,
    _Header,
    _missing_required_message,
    _Overrides,
    find_header,
    prepare_mapping,
)
from loaders.headers import HeaderMatch
from loaders.read_errors import ReadError, one_line
from loaders.row_kinds import _blank_cells, _classify_row, _meta_from_lines, _suspicious_rows, _text_cells
from loaders.schema import UNITS, Kind


def year_of(period: str | None) -> str | None:
    """The year of a title's period when it names a whole year ('2024'), else None."""
    return period if period is not None and re.fullmatch(r"\d{4}", period) else None


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
    mapping = {
        i: (canon, unit if unit is not None else (units.get(i) if units.get(i) in UNITS else None))
        for i, (canon, unit) in header.mapping.items()
    }
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
        hit = np.asarray(
            pc.match_substring_regex(compact, forms.NOTE_PATTERN).to_numpy(zero_copy_only=False), dtype=bool
        )
        for row_no in body.index[rows[hit]]:
            first = next((c for c in (_cell_text(body.at[row_no, k]) for k in first_cols) if c), "")
            if forms.is_note_heading(first):
                found.append(int(row_no))
                break
    return min(found) if found else None


def _cumulative_meta(
    meta: dict[str, str], title_lines: list[str], note_lines: list[str], header_names: tuple[str, ...]
) -> None:
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
    skipped = [
        (
            row,
            f"breakdown row skipped: '{_cell_text(labels.at[row])}' is part of row {parent} "
            f"('{_cell_text(labels.at[parent])}'), which already counts it",
        )
        for row, parent in pairs
    ]
    return frame.drop(index=[r for r, _ in pairs]), skipped


_NOTHING_IMPORTED = "row with nothing under the imported columns skipped"


def _rows_with_nothing_imported(
    body: pd.DataFrame, header: _Header, drop: list[int], listed: set[int]
) -> list[tuple[int, str]]:
    """Rows blank under every column the header imports but not blank elsewhere — a numbered line left
    empty (序号 99 and nothing else): skipped and listed with what they hold, not rejected as records."""
    imported = [
        c for c in ({*header.mapping} | {i for cols, _ in header.sums.values() for i in cols}) if c in body.columns
    ]
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


def _table_from_grid(
    kind: Kind,
    grid: list[list[Any]],
    where: str,
    extra_ok: set[str],
    sheet: str | None = None,
    encoding: str | None = None,
    body: pd.DataFrame | None = None,
    body_first_row: int | None = None,
    overrides: _Overrides | None = None,
    where_zh: str | None = None,
) -> RawTable:
    where_zh = where_zh or where
    header = find_header(kind, grid, overrides)
    if header is None:
        examples = ", ".join(c.zh for c in kind.required)
        raise ReadError(
            f"{where}: no header row found in the first {HEADER_SCAN_ROWS} rows "
            f"(expected a row with columns such as {examples})",
            zh=f"{where_zh}：前 {HEADER_SCAN_ROWS} 行中找不到表头行（应有一行写着 "
            f"{'、'.join(c.zh for c in kind.required)} 等列名）",
        )
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
        extra_text = (
            extra_frame.iloc[np.flatnonzero(has_extra)].astype("string").fillna("").apply(lambda col: col.str.strip())
        )
        for row_no in extra_frame.index[has_extra]:
            if row_no in skipped_rows:  # a footer spread over the row: already listed as skipped
                continue
            cells = tuple(
                (int(c) + 1, _cell_text(extra_frame.at[row_no, c]))
                for c in extra_frame.columns
                if extra_text.at[row_no, c] != ""
            )
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
    return RawTable(
        frame=frame,
        headers=headers,
        units=units,
        header_row=header.start + header.depth,
        sheet=sheet,
        encoding=encoding,
        meta=meta,
        skipped=tuple(skipped),
        ignored_headers=ignored,
        extra_cells=tuple(extra_cells),
        file_headers=tuple(n for n in header.names if n),
        matches=header.matches,
        sums=sums,
        groups=groups,
        context=context,
    )


def headers_unit(header: _Header, cols: tuple[int, ...]) -> str | None:
    """The unit of a summed group: the first one its sub-headers' levels name."""
    for i in cols:
        unit = headers.header_key(header.names[i].split(" / "))[1]
        if unit is not None:
            return unit
    return None


def _group_error(
    kind: Kind, header: _Header, found: set[str], extra_ok: set[str], where: str, where_zh: str
) -> ReadError | None:
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
            f"请在“{title}”下增加合计列，或在列映射中指定哪一列是{col.zh}",
        )
    return None


def _read_csv_body(
    csv_text: _CsvText, data_start: int, width: int, path: Path | None = None, max_columns: int | None = None
) -> pd.DataFrame:
    """The data rows of a CSV as text, as wide as its widest row (cells right of the header are
    reported by :func:`_table_from_grid`, not refused). A row wider than ``max_columns`` is refused."""
    path = path or Path("file.csv")
    max_columns = max_columns or _limits().max_columns
    body = _read_csv_body_arrow(csv_text.body, csv_text.delimiter, data_start, width, path, max_columns)
    if body is not None:
        return body
    try:
        body = pd.read_csv(
            io.BytesIO(csv_text.body),
            encoding="utf-8",
            sep=csv_text.delimiter,
            header=None,
            skiprows=data_start,
            dtype=str,
            keep_default_na=False,
            names=range(width + 32),
            skip_blank_lines=False,
            engine="c",
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


def _read_csv_body_arrow(
    data: bytes, delimiter: str, data_start: int, width: int, path: Path, max_columns: int
) -> pd.DataFrame | None:
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
            read_options=pacsv.ReadOptions(skip_rows=data_start, autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width + 64)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                auto_dict_encode=False,
                true_values=[],
                false_values=[],
                null_values=[],
            ),
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
    columns = {
        i: pd.Series(pd.arrays.ArrowStringArray(first.column(i)).astype(str_dtype), copy=False)
        for i in range(first.num_columns)
    }
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
        raise ReadError(
            f"{path.name} is not a readable Excel workbook ({type(exc).__name__}: {exc})",
            zh=f"{path.name} 不是可读取的 Excel 工作簿（{type(exc).__name__}: {exc}）",
        ) from None


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
            raise ReadError(
                f"{path.name} is a PDF renamed to {suffix}, not a spreadsheet",
                zh=f"{path.name} 是改成 {suffix} 扩展名的 PDF 文件，不是电子表格",
            )


def read_table(
    path: str | Path,
    kind: Kind,
    sheet: str | None = None,
    provided: set[str] | None = None,
    mapping: dict[str, str | None] | None = None,
) -> RawTable:
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
                    raise ReadError(
                        f"{path.name} cannot be read as a spreadsheet ({type(exc).__name__}: {exc})",
                        zh=f"{path.name} 无法作为电子表格读取（{type(exc).__name__}: {exc}）",
                    ) from None
                yield name, grid, f"{path.name} sheet '{name}'", f"{path.name} 工作表“{name}”", None

        return _first_with_a_header(kind, grids(), names, extra_ok, overrides, sheets=tuple(wb.sheet_names))
    if suffix == ".parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as exc:
            raise ReadError(
                f"{path.name} is not a readable Parquet file ({exc})",
                zh=f"{path.name} 不是可读取的 Parquet 文件（{exc}）",
            ) from None
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
    return _table_from_grid(
        kind,
        grid,
        path.name,
        extra_ok,
        encoding=csv_text.encoding,
        body=body,
        body_first_row=data_start + 1,
        overrides=overrides,
    )


def _read_web_table(
    path: Path, kind: Kind, sheet: str | None, extra_ok: set[str], overrides: _Overrides | None
) -> RawTable:
    """:func:`read_table` for a workbook that is really a web page: its first table with a header."""
    fmt = web_format(path) or "html"
    pages = web_sheets(path)
    names = [name for name, _, _ in pages]
    if sheet is not None:
        if sheet not in names:
            raise ReadError(
                f"{path.name} has no sheet '{sheet}' (sheets: {', '.join(names)})",
                zh=f"{path.name} 中没有工作表“{sheet}”（现有工作表：{'、'.join(names)}）",
            )
        pages = [p for p in pages if p[0] == sheet]
    en, zh = WEB_FORMATS[fmt]
    grids = (
        (
            name,
            grid,
            f"{path.name} ({en}) sheet '{name}'" if len(names) > 1 else f"{path.name} ({en})",
            f"{path.name}（{zh}）工作表“{name}”" if len(names) > 1 else f"{path.name}（{zh}）",
            encoding,
        )
        for name, grid, encoding in pages
    )
    return _first_with_a_header(kind, grids, names, extra_ok, overrides, sheets=tuple(names), web_format=fmt)


def _first_with_a_header(
    kind: Kind,
    grids: Iterable[tuple[str, list[list[Any]], str, str, str | None]],
    names: list[str],
    extra_ok: set[str],
    overrides: _Overrides | None,
    **fields: Any,
) -> RawTable:
    """The table of the first sheet whose header is found — ``grids`` yields (name, grid, where, where_zh,
    encoding), read one at a time — with the other sheets' names and ``fields``; when none has one, every
    sheet's refusal in one ReadError. A bad column mapping is raised at once."""
    errors: list[ReadError] = []
    for name, grid, where, where_zh, encoding in grids:
        try:
            table = _table_from_grid(
                kind, grid, where, extra_ok, sheet=name, encoding=encoding, overrides=overrides, where_zh=where_zh
            )
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
