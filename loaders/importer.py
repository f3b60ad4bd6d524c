"""One import: read → validate → write, atomically. The CLI and (later) the upload page both call
:func:`import_file`, so there is one implementation of what an import means."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.normalize import Normalized, normalize
from loaders.readers import RawTable, ReadError, read_table
from loaders.schema import KINDS
from store import Store


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

    def summary(self) -> str:
        return f"imported {self.new} new, {self.updated} updated, {self.rejected} rejected"

    def as_json(self) -> dict:
        return {"new": self.new, "updated": self.updated, "rejected": self.rejected, "import_id": self.import_id,
                "unchanged": self.unchanged, "rows_read": self.rows_read, "kind": self.kind,
                "file": self.file_name, "sha256": self.sha256, "sheet": self.sheet,
                "skipped_rows": [{"row": r, "why": w} for r, w in self.skipped], "notes": list(self.notes)}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def validate_file(path: str | Path, kind: str, sheet: str | None = None,
                  defaults: dict[str, str] | None = None) -> tuple[RawTable, Normalized]:
    """Read and validate without writing: (raw table, Normalized). Raises ReadError."""
    if kind not in KINDS:
        raise ReadError(f"unknown kind '{kind}' (expected one of {', '.join(KINDS)})")
    schema = KINDS[kind]
    provided = {k for k, v in (defaults or {}).items() if v}
    raw = read_table(path, schema, sheet=sheet, provided=provided)
    return raw, normalize(schema, raw, defaults)


def extra_cells_note(raw: RawTable, limit: int = 20) -> str:
    """The note for cells right of the header's last column: which rows, which cells."""
    parts = [f"row {row} (" + ", ".join(f"column {col}: '{value}'" for col, value in cells) + ")"
             for row, cells in raw.extra_cells[:limit]]
    more = len(raw.extra_cells) - limit
    if more > 0:
        parts.append(f"… and {more} more rows")
    return ("cells right of the header's last column (no header), not imported; the rows are kept: "
            + "; ".join(parts))


def import_file(store: Store | Callable[[], Store], path: str | Path, kind: str, sheet: str | None = None,
                defaults: dict[str, str] | None = None) -> ImportResult:
    """Import one file of ``kind`` into ``store``: all accepted rows in one transaction, or none.

    Raises :class:`ReadError` (and changes nothing) when the file cannot be read or a required
    column is missing. Rows with bad values are rejected and kept, with their reasons. ``store``
    may be a function that opens it, called only once the file has been read (so that a bad file
    does not create, or fill with demo data, a store that did not exist).
    """
    path = Path(path)
    raw, result = validate_file(path, kind, sheet, defaults)
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
        "import_id": import_id, "kind": kind, "file_name": path.name, "file_sha256": digest,
        "sheet": raw.sheet, "imported_at": now, "rows_read": result.rows_read,
        "rejected_rows": len(rejects), "skipped_rows": len(raw.skipped),
        "notes": json.dumps({"notes": notes, "skipped": raw.skipped, "encoding": raw.encoding,
                             "header_row": raw.header_row}, ensure_ascii=False),
    }
    if not isinstance(store, Store):
        store = store()
    store.ensure_schema()
    counts = store.apply_import(kind, accepted, record, rejects)
    return ImportResult(
        import_id=import_id, kind=kind, file_name=path.name, sha256=digest, rows_read=result.rows_read,
        new=counts.new, updated=counts.updated, unchanged=counts.unchanged, rejected=len(rejects),
        skipped=raw.skipped, notes=tuple(notes), sheet=raw.sheet,
    )


def write_rejects(store: Store, out: str | Path, import_id: str | None = None) -> int:
    """Write rejected rows (all, or one import's) to CSV (UTF-8 with BOM, so Excel shows Chinese);
    the original values are spread back into their own columns beside the reasons."""
    frame = store.rejects(import_id)
    originals = pd.DataFrame([json.loads(o) for o in frame["original"]]) if len(frame) else pd.DataFrame()
    table = pd.concat([frame.drop(columns=["original"]).reset_index(drop=True), originals], axis=1)
    table.to_csv(out, index=False, encoding="utf-8-sig")
    return len(frame)
