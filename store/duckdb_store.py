"""The embedded DuckDB store: connection handling, schema, atomic upserts and the import log.

DuckDB allows one writing process per file, so connections are opened per use and closed again
(cheap for DuckDB) instead of being held for the life of the app; a brief lock conflict with a
running import is retried rather than shown to the user.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from store.contracts import check_frame
from store.tables import DDL, FACT_TABLES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "safety.duckdb"
SCHEMA_VERSION = "1"


def default_db_path() -> Path:
    """``$SAFETY_DB`` if set, else ``data/safety.duckdb`` in the project."""
    env = os.environ.get("SAFETY_DB")
    return Path(env).expanduser() if env else DEFAULT_DB


class StoreBusy(RuntimeError):
    """Another process (an import) has held the store's write lock for longer than we wait."""


@dataclass(frozen=True)
class UpsertCounts:
    new: int
    updated: int
    unchanged: int


class Store:
    """One DuckDB file. All SQL of the project lives in this package."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # ------------------------------------------------------------ connections

    @contextmanager
    def connect(self, read_only: bool = False, timeout_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                # Another process (an import, the dashboard) holds the write lock: wait for it.
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() > deadline:
                    raise StoreBusy(f"the store {self.path} is locked by another process (an import?) "
                                    f"for more than {timeout_s:.0f} s") from exc
                time.sleep(0.2)
        con.execute("SET enable_progress_bar = false")  # no progress bars on a CLI's stdout
        try:
            yield con
        finally:
            con.close()

    def ensure_schema(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            for ddl in DDL.values():
                con.execute(ddl)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])

    def query(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        with self.connect(read_only=False) as con:
            return con.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        with self.connect() as con:
            row = con.execute(sql, params or []).fetchone()
            return None if row is None else row[0]

    # ------------------------------------------------------------ writing

    def _column_types(self, con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()]

    def apply_import(self, kind: str, frame: pd.DataFrame, record: dict[str, Any],
                     rejects: pd.DataFrame) -> UpsertCounts:
        """Upsert ``frame`` by id, log the import and keep its rejects — all in one transaction.

        A row whose id exists with the same ``row_hash`` is unchanged and keeps its provenance;
        one with a different hash is replaced (updated); the rest are new.
        """
        table, id_col = FACT_TABLES[kind]
        check_frame(kind, frame)
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                counts = self._upsert(con, table, id_col, frame)
                record = {**record, "new_rows": counts.new, "updated_rows": counts.updated,
                          "unchanged_rows": counts.unchanged}
                self._insert_import(con, record)
                self._insert_rejects(con, rejects)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return counts

    def _upsert(self, con: duckdb.DuckDBPyConnection, table: str, id_col: str,
                frame: pd.DataFrame) -> UpsertCounts:
        if frame.empty:
            return UpsertCounts(0, 0, 0)
        cols = self._column_types(con, table)
        missing = [c for c, _ in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"frame for {table} lacks columns {missing}")
        con.register("staging_raw", frame[[c for c, _ in cols]])
        select = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in cols)
        con.execute(f"CREATE OR REPLACE TEMP TABLE staging AS SELECT {select} FROM staging_raw")
        con.unregister("staging_raw")
        new, updated = con.execute(f"""
            SELECT count(*) FILTER (WHERE t.{id_col} IS NULL),
                   count(*) FILTER (WHERE t.{id_col} IS NOT NULL AND t.row_hash <> s.row_hash)
            FROM staging s LEFT JOIN {table} t ON t.{id_col} = s.{id_col}""").fetchone()
        con.execute(f"""DELETE FROM {table} WHERE {id_col} IN (
            SELECT s.{id_col} FROM staging s JOIN {table} t ON t.{id_col} = s.{id_col}
            WHERE t.row_hash <> s.row_hash)""")
        con.execute(f"""INSERT INTO {table} SELECT s.* FROM staging s
            WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{id_col} = s.{id_col})""")
        con.execute("DROP TABLE staging")
        return UpsertCounts(int(new), int(updated), len(frame) - int(new) - int(updated))

    def _insert_import(self, con: duckdb.DuckDBPyConnection, record: dict[str, Any]) -> None:
        cols = [c for c, _ in self._column_types(con, "imports")]
        values = [record.get(c) for c in cols]
        con.execute(f"INSERT INTO imports VALUES ({', '.join('?' for _ in cols)})", values)

    def _insert_rejects(self, con: duckdb.DuckDBPyConnection, rejects: pd.DataFrame) -> None:
        if rejects.empty:
            return
        con.register("rejects_in", rejects)
        con.execute("INSERT INTO rejects SELECT import_id, kind, file_name, row_number, columns, reason, original "
                    "FROM rejects_in")
        con.unregister("rejects_in")

    def replace_all(self, frames: dict[str, pd.DataFrame], records: list[dict[str, Any]]) -> None:
        """Load whole tables at once (the demo builder), in one transaction."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for kind, frame in frames.items():
                    check_frame(kind, frame)
                    table, id_col = FACT_TABLES[kind]
                    con.execute(f"DELETE FROM {table}")
                    self._upsert(con, table, id_col, frame)
                for record in records:
                    self._insert_import(con, record)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------ reading

    def table(self, kind_or_table: str, order: bool = True) -> pd.DataFrame:
        table, id_col = FACT_TABLES.get(kind_or_table, (kind_or_table, None))
        order_by = f" ORDER BY {id_col}" if order and id_col else ""
        return self.query(f"SELECT * FROM {table}{order_by}")

    def rejects(self, import_id: str | None = None) -> pd.DataFrame:
        if import_id is None:
            return self.query("SELECT * FROM rejects ORDER BY import_id, row_number")
        return self.query("SELECT * FROM rejects WHERE import_id = ? ORDER BY row_number", [import_id])

    def import_exists(self, import_id: str) -> bool:
        return bool(self.scalar("SELECT count(*) FROM imports WHERE import_id = ?", [import_id]))

    def imports(self, limit: int | None = None) -> pd.DataFrame:
        lim = f" LIMIT {int(limit)}" if limit else ""
        return self.query(f"SELECT * FROM imports ORDER BY imported_at DESC, import_id{lim}")

    def status(self) -> dict[str, Any]:
        """What the store holds: counts per kind, date ranges (years for the control targets), regions
        covered, the last imports."""
        with self.connect() as con:
            def one(sql: str) -> tuple:
                return con.execute(sql).fetchone()

            acc = one("SELECT count(*), min(occurred_at)::DATE, max(occurred_at)::DATE, "
                      "count(DISTINCT region_code), count(DISTINCT province_code) FROM accidents")
            haz = one("SELECT count(*), min(found_date), max(found_date), count(DISTINCT region_code), "
                      "count(DISTINCT province_code), count(*) FILTER (WHERE grade = 'major') FROM hazards")
            ast = one("SELECT count(*), min(period), max(period), count(DISTINCT region_code) FROM accident_stats")
            hst = one("SELECT count(*), min(period), max(period), count(DISTINCT region_code) FROM hazard_stats")
            tgt = one("SELECT count(*), min(year), max(year), count(DISTINCT region_code), "
                      "count(*) FILTER (WHERE accidents_target IS NOT NULL) FROM targets")
            rej = one("SELECT count(*) FROM rejects")[0]
            last = con.execute(
                "SELECT import_id, kind, file_name, imported_at, new_rows, updated_rows, rejected_rows "
                "FROM imports ORDER BY imported_at DESC LIMIT 5").df()

        def rng(a: Any, b: Any) -> dict[str, str | None]:
            return {"from": None if a is None else str(a), "to": None if b is None else str(b)}

        return {
            "db": str(self.path),
            "accidents": {"rows": acc[0], "dates": rng(acc[1], acc[2]), "regions": acc[3], "provinces": acc[4]},
            "hazards": {"rows": haz[0], "dates": rng(haz[1], haz[2]), "regions": haz[3], "provinces": haz[4],
                        "major": haz[5]},
            "accident_stats": {"rows": ast[0], "periods": rng(ast[1], ast[2]), "regions": ast[3]},
            "hazard_stats": {"rows": hst[0], "periods": rng(hst[1], hst[2]), "regions": hst[3]},
            "targets": {"rows": tgt[0], "years": rng(tgt[1], tgt[2]), "regions": tgt[3],
                        "with_accidents_target": tgt[4]},
            "rejected_rows_kept": rej,
            "last_imports": json.loads(last.to_json(orient="records", date_format="iso", force_ascii=False)),
        }


def open_store(path: str | Path | None = None, demo_if_new: bool | None = None) -> Store:
    """The store at ``path`` (default: :func:`default_db_path`), created if need be.

    A new *default* store (no explicit path) is filled with the demo data, unless
    ``SAFETY_DEMO=0``; a new store at an explicit path starts empty.
    """
    explicit = path is not None
    store = Store(path if explicit else default_db_path())
    is_new = not store.path.exists()
    if demo_if_new is None:
        demo_if_new = not explicit and os.environ.get("SAFETY_DEMO", "1") != "0"
    if is_new and demo_if_new:
        from loaders.demo import build_demo_store

        build_demo_store(store.path)
    store.ensure_schema()
    return store
