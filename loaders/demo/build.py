"""The demo written to a store: ``build_demo_store`` builds it beside the target and moves it into place."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from loaders.demo.common import _import_id
from loaders.demo.generate import _check_args, _generate_small, demo_notes, hazard_frame
from loaders.demo.hazards import HazardLedger
from store.contracts import check_frame
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
        ledger = HazardLedger(seed, hazards, today)
        # The hazard records go in as Arrow tables; a sample goes through the store's contract first.
        check_frame("hazards", hazard_frame(ledger.table(np.arange(min(hazards, 2_000)))))
        counts = {kind: len(f) for kind, f in frames.items()} | {"hazards": hazards}
        now = dt.datetime.now().replace(microsecond=0)
        records = [{
            "import_id": _import_id(seed, kind), "kind": kind, "file_name": f"demo (seed {seed})",
            "file_sha256": sha, "sheet": None, "imported_at": now, "rows_read": n, "new_rows": n,
            "updated_rows": 0, "unchanged_rows": 0, "rejected_rows": 0, "skipped_rows": 0,
            "notes": json.dumps(notes, ensure_ascii=False),
        } for kind, n in counts.items()]
        store.replace_all({**frames, "hazards": hazard_frame(ledger.table(np.arange(0)))}, records)
        with store.connect() as con:
            con.execute("SET enable_progress_bar = false")
            # Stored by province and date, as ledgers that regions import month by month end up: DuckDB
            # skips the blocks of other provinces and other years (a province's questions read 1/30 of
            # the table instead of all of it). The records are made in that order: nothing is sorted.
            for batch in ledger.batches(stored=True):
                con.register("demo_batch", batch)
                con.execute("INSERT INTO hazards BY NAME SELECT * FROM demo_batch")
                con.unregister("demo_batch")
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
