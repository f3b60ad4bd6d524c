"""One import: read → validate → write, atomically. The CLI and the upload page both call
:func:`import_file`, and the page's preview is :func:`preview_file` — the very function that
``import_file`` reads and validates with — so there is one implementation of what an import means.

The upload page: :func:`check_upload` (size limit, file type) → :func:`list_sheets` →
:func:`preview_file` (with the person's column mapping) → :func:`import_file` with the same
arguments; ``Store.undo_import`` takes an import back.

:func:`list_sheets` and :func:`preview_file` read the file in a process of their own, within the
reading limits (``loaders.sandbox``): a file too large to read is a :class:`ReadError` ("too large to
read: …"), never the end of the calling process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import settings
from exports.downloads import safe_csv_frame
from loaders import forms, readers, sandbox
from loaders.decoding import EXCEL_SUFFIXES, SUPPORTED_SUFFIXES, empty_file_error, unsupported_type_error
from loaders.header_match import MappingError
from loaders.headers import HeaderMatch
from loaders.messages_zh import to_zh
from loaders.normalize import Normalized, RejectGroup, UnknownValue, check_a_measure, normalize, unknown_values
from loaders.read_errors import ReadError
from loaders.readers import RawTable, read_table
from loaders.schema import KINDS
from store import Store

__all__ = [
    "ImportResult",
    "MappingError",
    "Preview",
    "ReadError",
    "UnknownReport",
    "check_upload",
    "import_file",
    "list_sheets",
    "max_upload_mb",
    "preview_file",
    "unknown_values_of_file",
    "validate_file",
    "write_rejects",
]

ColumnMapping = dict[str, str | None]  # file header text → canonical column, or None: not imported


def max_upload_mb() -> float:
    """The upload size limit in MB: ``SAFETY_UPLOAD_MAX_MB`` (default 200), read on each call."""
    return settings.upload_max_mb()


def _size_text(size: int) -> str:
    mb = size / 2**20
    return f"{mb:.1f} MB" if mb >= 0.1 else f"{size / 1024:.1f} KB"


def check_upload(file_name: str, size: int) -> None:
    """Refuse an upload before it is read: a type the loaders cannot read, an empty file, or one over
    ``SAFETY_UPLOAD_MAX_MB``. Raises :class:`ReadError` (with ``.zh``). The command line has no limit."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise unsupported_type_error(file_name, suffix or "(none)")
    if size <= 0:
        raise empty_file_error(file_name)
    limit = max_upload_mb()
    if size > limit * 2**20:
        raise ReadError(
            f"{file_name} is {_size_text(size)}; the limit is {limit:g} MB (SAFETY_UPLOAD_MAX_MB)",
            zh=f"{file_name} 大小为 {_size_text(size)}，超过上限 {limit:g} MB（SAFETY_UPLOAD_MAX_MB）",
        )


@dataclass(frozen=True)
class Preview:
    """What an import of the file would read, before anything is written."""

    sheet: str | None  # the sheet read (None for CSV and Parquet)
    sheets: tuple[str, ...]  # every sheet of the workbook, in order (empty for CSV and Parquet)
    header_row: int  # 1-based row number of the (last) header row, as a person sees it in the file
    file_headers: tuple[str, ...]  # non-blank header texts in file order (two levels composed: 'A / B')
    mapping: ColumnMapping  # every file header → canonical column or None; the proposal with the overrides applied
    raw: RawTable  # what was read; its frame has the columns but no rows (the rows stayed in the reading process)
    normalized: Normalized  # accepted rows, rejects with original values and reasons, notes
    # what each file header became and why (exact, alias, concept, values, group sum …), in file order
    headers: tuple[HeaderMatch, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    import_id: str
    kind: str
    file_name: str
    sha256: str
    rows_read: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    skipped: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    sheet: str | None = None
    reject_groups: tuple[RejectGroup, ...] = ()  # the rejects by reason, most rows first
    mapping: dict[str, str | None] = field(default_factory=dict)  # every file header → the column it was read into
    headers: tuple[HeaderMatch, ...] = ()  # what each file header became and why, in file order

    @property
    def accepted(self) -> int:
        """Rows accepted: new, updated or unchanged."""
        return self.new + self.updated + self.unchanged

    def summary(self) -> str:
        """One line that always says every count, so that a re-import (all unchanged) reads as read."""
        return (
            f"read {self.rows_read} rows: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected; {len(self.skipped)} skipped"
        )

    def as_json(self) -> dict:
        return {
            "new": self.new,
            "updated": self.updated,
            "rejected": self.rejected,
            "import_id": self.import_id,
            "unchanged": self.unchanged,
            "rows_read": self.rows_read,
            "kind": self.kind,
            "file": self.file_name,
            "sha256": self.sha256,
            "sheet": self.sheet,
            "skipped_rows": [{"row": r, "why": w} for r, w in self.skipped],
            "notes": list(self.notes),
            "rejects": [
                {
                    "column": g.column,
                    "reason": g.reason,
                    "reason_zh": g.reason_zh,
                    "count": g.count,
                    "examples": [{"row": r, "value": v} for r, v in g.examples],
                }
                for g in self.reject_groups
            ],
            "headers": [m.as_json() for m in self.headers],
        }


@dataclass(frozen=True)
class UnknownReport:
    """The values of a file that an import would refuse, by column (:func:`unknown_values_of_file`)."""

    sheet: str | None
    header_row: int
    rows_read: int
    values: tuple[UnknownValue, ...]
    mapping: dict[str, str | None] = field(default_factory=dict)  # every file header → the column it was read into


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def list_sheets(path: str | Path) -> list[str]:
    """The sheet names of a workbook, in order; an empty list for CSV and Parquet. Raises ReadError
    for a file that is not what its suffix says, or one too large to open (read in a process of its own)."""
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return readers.list_sheets(path)  # decided by the suffix: nothing is read
    return sandbox.run(readers.list_sheets, (str(path),), path.name)


def preview_file(
    path: str | Path,
    kind: str,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
    defaults: dict[str, str] | None = None,
) -> Preview:
    """Read and validate ``path`` as ``kind`` without writing anything.

    ``mapping`` (file header text → canonical column of ``kind``, or None: not imported) overrides
    the automatic match of the headers it names; the header row itself is still found
    automatically. Raises :class:`ReadError` — :class:`MappingError` for a mapping to an unknown
    column or two headers mapped to one column; the usual 'required column missing' when the
    mapping leaves one unmapped; "too large to read: …" past the reading limits. The file is read
    in a process of its own (``loaders.sandbox``); the preview's ``raw.frame`` holds no rows."""
    _check_kind(kind)
    return sandbox.run(_preview_rows_left_behind, (str(path), kind, sheet, mapping, defaults), Path(path).name)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ReadError(
            f"unknown kind '{kind}' (expected one of {', '.join(KINDS)})",
            zh=f"未知的数据类型“{kind}”（应为 {'、'.join(KINDS)} 之一）",
        )


def _read(
    path: str | Path, kind: str, sheet: str | None, mapping: ColumnMapping | None, defaults: dict[str, str] | None
) -> RawTable:
    """The file's table as ``kind``, the columns the defaults fill counted as provided (this process)."""
    provided = {k for k, v in (defaults or {}).items() if v}
    return read_table(path, KINDS[kind], sheet=sheet, provided=provided, mapping=mapping)


def _preview_rows_left_behind(
    path: str, kind: str, sheet: str | None, mapping: ColumnMapping | None, defaults: dict[str, str] | None
) -> Preview:
    """:func:`read_and_validate` in the reading process, the raw rows left there (only the checked
    rows and the rejects, with their original values, travel back)."""
    preview = read_and_validate(path, kind, sheet, mapping, defaults)
    raw = RawTable(**{**preview.raw.__dict__, "frame": preview.raw.frame.iloc[:0]})
    return Preview(**{**preview.__dict__, "raw": raw})


def read_and_validate(
    path: str | Path,
    kind: str,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
    defaults: dict[str, str] | None = None,
) -> Preview:
    """:func:`preview_file` in this process, with no limits (what the reading process runs)."""
    schema = KINDS[kind]
    raw = _read(path, kind, sheet, mapping, defaults)
    check_a_measure(schema, raw, Path(path).name + (f" sheet '{raw.sheet}'" if raw.sheet else ""))
    normalized = normalize(schema, raw, defaults)
    sheets = raw.sheets if raw.sheet is not None else ()
    return Preview(
        sheet=raw.sheet,
        sheets=sheets,
        header_row=raw.header_row,
        file_headers=raw.file_headers,
        mapping=raw.column_mapping(),
        raw=raw,
        normalized=normalized,
        headers=raw.matches,
    )


def unknown_values_of_file(
    path: str | Path,
    kind: str,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
    defaults: dict[str, str] | None = None,
) -> UnknownReport:
    """The values of ``path`` that the normaliser's parsers refuse, per column, with their counts and
    rows (``loaders.normalize.unknown_values``), read as :func:`preview_file` reads (in a process of
    its own, with the same mapping and defaults). Raises :class:`ReadError` for a file that cannot be read."""
    _check_kind(kind)
    return sandbox.run(_unknown_in_child, (str(path), kind, sheet, mapping, defaults), Path(path).name)


def _unknown_in_child(
    path: str, kind: str, sheet: str | None, mapping: ColumnMapping | None, defaults: dict[str, str] | None
) -> UnknownReport:
    schema = KINDS[kind]
    raw = _read(path, kind, sheet, mapping, defaults)
    return UnknownReport(
        sheet=raw.sheet,
        header_row=raw.header_row,
        rows_read=len(raw.frame),
        values=unknown_values(schema, raw, defaults),
        mapping=raw.column_mapping(),
    )


def validate_file(
    path: str | Path,
    kind: str,
    sheet: str | None = None,
    defaults: dict[str, str] | None = None,
    mapping: ColumnMapping | None = None,
) -> tuple[RawTable, Normalized]:
    """Read and validate without writing: (raw table, Normalized) of :func:`preview_file`. Raises ReadError."""
    preview = preview_file(path, kind, sheet=sheet, mapping=mapping, defaults=defaults)
    return preview.raw, preview.normalized


def extra_cells_note(raw: RawTable, limit: int = 20) -> str:
    """The note for cells right of the header's last column: which rows, which cells."""
    parts = [
        f"row {row} (" + ", ".join(f"column {col}: '{value}'" for col, value in cells) + ")"
        for row, cells in raw.extra_cells[:limit]
    ]
    more = len(raw.extra_cells) - limit
    if more > 0:
        parts.append(f"… and {more} more rows")
    return "cells right of the header's last column (no header), not imported; the rows are kept: " + "; ".join(parts)


def import_file(
    store: Store | Callable[[], Store],
    path: str | Path,
    kind: str,
    sheet: str | None = None,
    defaults: dict[str, str] | None = None,
    mapping: ColumnMapping | None = None,
) -> ImportResult:
    """Import one file of ``kind`` into ``store``: all accepted rows in one transaction, or none.

    Raises :class:`ReadError` (and changes nothing) when the file cannot be read or a required
    column is missing. Rows with bad values are rejected and kept, with their reasons. ``store``
    may be a function that opens it, called only once the file has been read (so that a bad file
    does not create, or fill with demo data, a store that did not exist). ``mapping`` is applied
    as by :func:`preview_file` (the same function reads the file here).
    """
    path = Path(path)
    preview = preview_file(path, kind, sheet=sheet, mapping=mapping, defaults=defaults)
    raw, result = preview.raw, preview.normalized
    digest = sha256_of(path)
    now = dt.datetime.now()
    import_id = f"{now:%Y%m%d%H%M%S}-{digest[:8]}-{uuid.uuid4().hex[:6]}"
    accepted = result.accepted.copy()
    accepted["import_id"] = import_id
    rejects = result.rejects.copy()
    rejects.insert(0, "file_name", path.name)
    rejects.insert(0, "kind", kind)
    rejects.insert(0, "import_id", import_id)
    notes = list(result.notes)
    if raw.ignored_headers:
        notes.append("columns not in the schema, not imported: " + ", ".join(raw.ignored_headers))
    if raw.extra_cells:
        notes.append(extra_cells_note(raw))
    if raw.other_sheets:
        notes.append(f"read sheet '{raw.sheet}'; other sheets not imported: " + ", ".join(raw.other_sheets))
    record = {
        "import_id": import_id,
        "kind": kind,
        "file_name": path.name,
        "file_sha256": digest,
        "sheet": raw.sheet,
        "imported_at": now,
        "rows_read": result.rows_read,
        "rejected_rows": len(rejects),
        "skipped_rows": len(raw.skipped),
        "notes": json.dumps(
            {
                "notes": notes,
                "skipped": raw.skipped,
                "encoding": raw.encoding,
                "header_row": raw.header_row,
                "headers": [m.as_json() for m in raw.matches],
                **({"mapping": preview.mapping} if mapping else {}),
            },
            ensure_ascii=False,
        ),
    }
    if not isinstance(store, Store):
        store = store()
    store.ensure_schema()
    if kind == "hazard-stats":  # which months' own figures a cumulative form gives, now that the store is open
        cumulative = forms.cumulative_notes(store, accepted)
        if cumulative:
            notes.extend(cumulative)
            record["notes"] = json.dumps({**json.loads(record["notes"]), "notes": notes}, ensure_ascii=False)
    counts = store.apply_import(kind, accepted, record, rejects)
    return ImportResult(
        import_id=import_id,
        kind=kind,
        file_name=path.name,
        sha256=digest,
        rows_read=result.rows_read,
        new=counts.new,
        updated=counts.updated,
        unchanged=counts.unchanged,
        rejected=len(rejects),
        skipped=raw.skipped,
        notes=tuple(notes),
        sheet=raw.sheet,
        headers=raw.matches,
        reject_groups=result.reject_groups,
        mapping=dict(preview.mapping),
    )


def write_rejects(store: Store, out: str | Path, import_id: str | None = None, lang: str = "en") -> int:
    """Write rejected rows (all, or one import's) to CSV (UTF-8 with BOM, so Excel shows Chinese);
    the original values are spread back into their own columns beside the reasons. ``lang="zh"``
    adds a ``原因（中文）`` column, the reason in Chinese, right after ``reason`` (the upload page's
    download); the default writes the reasons in English only (the command line)."""
    frame = store.rejects(import_id)
    originals = pd.DataFrame([json.loads(o) for o in frame["original"]]) if len(frame) else pd.DataFrame()
    left = frame.drop(columns=["original"]).reset_index(drop=True)
    if lang == "zh":
        left.insert(left.columns.get_loc("reason") + 1, "原因（中文）", left["reason"].map(to_zh))
    table = pd.concat([left, originals], axis=1)
    # The rejected cells are the file's own, as typed: one beginning with = + - @ would run as a formula
    # in Excel or WPS, so it is written with a leading apostrophe (exports.downloads.safe_cell).
    safe_csv_frame(table).to_csv(out, index=False, encoding="utf-8-sig")
    return len(frame)
