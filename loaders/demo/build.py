"""The demo written to a store: ``build_demo_store`` builds it beside the target and moves it into place."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.demo.common import _import_id
from loaders.demo.generate import _check_args, _generate_small, demo_notes, hazard_frame
from loaders.demo.hazards import HazardLedger
from loaders.demo.regions import geography
from store.contracts import check_frame
from store.duckdb_store import Store
from store.tables import DDL, MIGRATIONS

# The record tables that are filled in bulk: created without their primary key, which is added once they are
# full (building the index at once takes less time and memory than keeping it up to date row by row).
_BULK = {"hazards": "hazard_id", "accidents": "accident_id"}
_ACCIDENTS_BESIDE = 2_000_000  # accident records made while the hazards are written (more: after them)
_DUCKDB_MEMORY = "2GB"  # DuckDB's share of the builder's memory while the records are written


def build_demo_store(
    path: str | Path,
    seed: int = 2019,
    hazards: int = 300_000,
    today: dt.date | None = None,
    accidents: int | None = None,
) -> dict[str, Any]:
    """Build a store full of demo data at ``path`` (the data of ``generate_demo`` with the same arguments):
    written to a temporary file beside it, then moved into place in one step, so that a reader never sees
    half a store. Returns the row counts and the seconds it took.

    The hazard records are stored by province, found date and id, as ledgers that regions import month by
    month end up: DuckDB then skips the blocks of other provinces and other years (a province's questions
    read 1/30 of the table). They are made in that order, a batch at a time (``hazards.CHUNK_ROWS`` rows)
    in a second thread while the previous batch is written, and the other kinds meanwhile in a third.
    """
    started = time.perf_counter()
    today = _check_args(seed, hazards, today, accidents)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")  # same directory: os.replace is atomic
    notes = demo_notes(seed, hazards, today, accidents)
    sha = hashlib.sha256(json.dumps(notes, sort_keys=True).encode()).hexdigest()
    try:
        _remove(tmp)
        store = Store(tmp)
        store.ensure_schema()
        geography()  # read (and its cache written) once, before two threads want it
        with ThreadPoolExecutor(2, thread_name_prefix="demo") as workers:
            # The other kinds are made beside the hazards, unless millions of accidents would not fit beside them.
            beside = (accidents or 0) <= _ACCIDENTS_BESIDE
            small = workers.submit(_generate_small, seed, hazards, today, accidents) if beside else None
            ledger = HazardLedger(seed, hazards, today)
            # The hazard records go in as Arrow tables; a sample goes through the store's contract first.
            check_frame("hazards", hazard_frame(ledger.table(np.arange(min(hazards, 2_000)))))
            with store.connect() as con:
                con.execute("SET enable_progress_bar = false")
                con.execute(f"SET memory_limit = '{_DUCKDB_MEMORY}'")  # while the records are written
                keyless = [table for table, key in _BULK.items() if _create_without_key(con, table, key)]
                pending: deque[Future[pa.Table]] = deque()
                for rows in ledger.batch_rows(stored=True):
                    pending.append(workers.submit(ledger.table, rows))
                    if len(pending) > 1:
                        _append(con, "hazards", pending.popleft().result())
                while pending:
                    _append(con, "hazards", pending.popleft().result())
                if small is None:
                    ledger = None  # its memory is for the accidents
                frames = small.result() if small is not None else _generate_small(seed, hazards, today, accidents)
                check_frame("accidents", frames["accidents"])
                _append(con, "accidents", frames["accidents"])
        counts = {kind: len(f) for kind, f in frames.items()} | {"hazards": hazards}
        # The records are in the store: their memory is for the primary keys' indexes now.
        ledger = small = None
        del frames["accidents"]
        pa.default_memory_pool().release_unused()
        now = dt.datetime.now().replace(microsecond=0)
        records = [
            {
                "import_id": _import_id(seed, kind),
                "kind": kind,
                "file_name": f"demo (seed {seed})",
                "file_sha256": sha,
                "sheet": None,
                "imported_at": now,
                "rows_read": n,
                "new_rows": n,
                "updated_rows": 0,
                "unchanged_rows": 0,
                "rejected_rows": 0,
                "skipped_rows": 0,
                "notes": json.dumps(notes, ensure_ascii=False),
            }
            for kind, n in counts.items()
        ]
        store.replace_all(frames, records)
        with store.connect() as con:
            con.execute("RESET memory_limit")  # an index is built in memory (100 M hazard ids: about 10 GB)
            for table in keyless:
                con.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({_BULK[table]})")
            con.execute("CHECKPOINT")
        store.close()  # this process's shared connection to the temporary file, before it is renamed
        Store(path).close()  # and to an old file at ``path``, so the next use opens the new one
        Path(f"{path}.wal").unlink(missing_ok=True)  # a stale log would be replayed onto the new file
        os.replace(tmp, path)
    except BaseException:
        Store(tmp).close()
        _remove(tmp)
        raise
    return {
        "path": str(path),
        **{k.replace("-", "_"): v for k, v in counts.items()},
        "seconds": round(time.perf_counter() - started, 2),
    }


def _create_without_key(con: duckdb.DuckDBPyConnection, table: str, key: str) -> bool:
    """Create the empty ``table`` again without its primary key (to be added when it is full); False when
    its declaration has changed so that this cannot be done (it then keeps its key, and the build is slower)."""
    ddl = DDL[table]
    keyless = ddl.replace(f"{key} VARCHAR PRIMARY KEY", f"{key} VARCHAR")
    if keyless == ddl or con.execute(f"SELECT count(*) FROM {table}").fetchone() != (0,):
        return False
    con.execute(f"DROP TABLE {table}")
    con.execute(keyless)
    for migration in MIGRATIONS:  # as ensure_schema left it
        con.execute(migration)
    return True


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table | pd.DataFrame) -> None:
    """Append the rows (in their order) to a table that has none of their ids."""
    con.register("demo_rows", rows)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM demo_rows")
    finally:
        con.unregister("demo_rows")


def _remove(db: Path) -> None:
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
