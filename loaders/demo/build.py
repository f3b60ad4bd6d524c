"""The demo written to a store: ``build_demo_store`` builds it beside the target and moves it into place."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from loaders.demo.common import _import_id
from loaders.demo.generate import _check_args, _empty_hazards, _generate_small, demo_notes
from loaders.demo.hazards import _hazard_chunks
from store.duckdb_store import Store


def build_demo_store(path: str | Path, seed: int = 2019, hazards: int = 300_000,
                     today: dt.date | None = None) -> dict[str, Any]:
    """Build a store full of demo data at ``path``: written to a temporary file beside it, then moved
    into place in one step, so that a reader never sees half a store. Returns the row counts and the
    seconds it took."""
    started = time.perf_counter()
    today = _check_args(seed, hazards, today)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")  # same directory: os.replace is atomic
    notes = demo_notes(seed, hazards, today)
    sha = hashlib.sha256(json.dumps(notes, sort_keys=True).encode()).hexdigest()
    try:
        _remove(tmp)
        store = Store(tmp)
        store.ensure_schema()
        frames = _generate_small(seed, hazards, today)
        chunks = _hazard_chunks(seed, hazards, today)
        first = next(chunks) if hazards else _empty_hazards(seed, today)
        counts = {kind: len(f) for kind, f in frames.items()} | {"hazards": hazards}
        now = dt.datetime.now().replace(microsecond=0)
        records = [{
            "import_id": _import_id(seed, kind), "kind": kind, "file_name": f"demo (seed {seed})",
            "file_sha256": sha, "sheet": None, "imported_at": now, "rows_read": n, "new_rows": n,
            "updated_rows": 0, "unchanged_rows": 0, "rejected_rows": 0, "skipped_rows": 0,
            "notes": json.dumps(notes, ensure_ascii=False),
        } for kind, n in counts.items()]
        store.replace_all({**frames, "hazards": first}, records)
        with store.connect() as con:
            con.execute("SET enable_progress_bar = false")
            # Further chunks go straight in: the table was empty and the ids are new.
            for chunk in chunks:
                con.register("demo_chunk", chunk)
                con.execute("INSERT INTO hazards BY NAME SELECT * FROM demo_chunk")
                con.unregister("demo_chunk")
            # Stored by province and date, as ledgers that regions import month by month end up: DuckDB
            # skips the blocks of other provinces and other years (a province's questions read 1/30 of
            # the table instead of all of it).
            con.execute("SET memory_limit = '3GB'")  # the sort spills to disk rather than holding it all
            con.execute("CREATE TEMP TABLE demo_sorted AS SELECT * FROM hazards "
                        "ORDER BY province_code, found_date, hazard_id")
            con.execute("DELETE FROM hazards")
            con.execute("CHECKPOINT")
            con.execute("INSERT INTO hazards SELECT * FROM demo_sorted")
            con.execute("DROP TABLE demo_sorted")
            con.execute("CHECKPOINT")
        store.close()  # this process's shared connection to the temporary file, before it is renamed
        Store(path).close()  # and to an old file at ``path``, so the next use opens the new one
        Path(f"{path}.wal").unlink(missing_ok=True)  # a stale log would be replayed onto the new file
        os.replace(tmp, path)
    except BaseException:
        Store(tmp).close()
        _remove(tmp)
        raise
    return {"path": str(path), **{k.replace("-", "_"): v for k, v in counts.items()},
            "seconds": round(time.perf_counter() - started, 2)}


def _remove(db: Path) -> None:
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
