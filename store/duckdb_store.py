"""The embedded DuckDB store: connection handling, schema, atomic upserts, the import log, undo of
an import, and saved column mappings.

Connections: DuckDB lets one process at a time open a file for writing. Each process keeps **one
long-lived connection per store** (:class:`_Shared`) and hands a cursor to each use (cursors are
safe per thread and share the connection's buffer cache, so a repeated question is answered from
memory). The connection is given up when it is idle and another process has asked for the file (an
import from the command line writes ``<store>.release`` while it waits for the lock), or after
``IDLE_CLOSE_S`` without use, and opened again on the next use. A lock conflict is retried for up to
30 s rather than shown to the user.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

import settings
from domain.regions import COUNTRY_CODE
from store.contracts import check_frame
from store.tables import DDL, FACT_TABLES, MIGRATIONS, REGION_CODES_VERSION, REGION_MIGRATIONS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "safety.duckdb"
SCHEMA_VERSION = "1"


def default_db_path() -> Path:
    """``$SAFETY_DB`` if set, else ``data/safety.duckdb`` in the project."""
    value = settings.get("SAFETY_DB")
    return DEFAULT_DB if value in ("", settings.default("SAFETY_DB")) else Path(value).expanduser()


class StoreBusy(RuntimeError):
    """Another process (an import) has held the store's write lock for longer than we wait."""


@dataclass(frozen=True)
class UpsertCounts:
    new: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class UndoResult:
    removed: int  # rows the import had added, now gone
    restored: int  # rows the import had updated, back to their previous version


class UndoError(Exception):
    """An import that cannot be undone (unknown, already undone, or changed since); the store is
    unchanged. ``str(exc)`` is English, ``exc.zh`` Chinese."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh or message


IDLE_CLOSE_S = 60.0  # an unused connection is closed after this long even if nobody asked for the file
RELEASE_FRESH_S = 5.0  # a release request older than this is stale (its process gave up or died)


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write committed changes into the file itself (the connection stays open, so the write-ahead log
    would otherwise hold them until it closes: a copy of the file must have them)."""
    with suppress(duckdb.Error):  # another transaction is running: it checkpoints later
        con.execute("CHECKPOINT")


def _release_path(path: Path) -> Path:
    return path.with_name(path.name + ".release")


class _Shared:
    """This process's one connection to one store file, shared by every thread through cursors."""

    _by_path: dict[Path, _Shared] = {}
    _registry_lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Condition()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.last_used = time.monotonic()
        self.watcher: threading.Thread | None = None

    @classmethod
    def get(cls, path: Path) -> _Shared:
        key = Path(os.path.abspath(path))
        with cls._registry_lock:
            shared = cls._by_path.get(key)
            if shared is None:
                shared = cls._by_path[key] = _Shared(key)
            return shared

    @classmethod
    def close_path(cls, path: Path) -> None:
        shared = cls._by_path.get(Path(os.path.abspath(path)))
        if shared is not None:
            shared.close(wait=True)

    @classmethod
    def close_all(cls, wait: bool = True) -> None:
        for shared in list(cls._by_path.values()):
            shared.close(wait=wait)

    def acquire(self, timeout_s: float) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + timeout_s
        with self.lock:
            while self.con is None:
                try:
                    self.con = duckdb.connect(str(self.path))
                    self._withdraw_request()
                    break
                except duckdb.IOException as exc:
                    # Another process (an import, the dashboard) holds the write lock: ask it to let go, wait.
                    if "lock" not in str(exc).lower():
                        raise
                    if time.monotonic() > deadline:
                        raise StoreBusy(
                            f"the store {self.path.name} is locked by another process (an import?) "
                            f"for more than {timeout_s:.0f} s"
                        ) from exc
                    self._request_release()
                    self.lock.wait(0.2)
            self.users += 1
            con = self.con
            self._start_watcher()
        try:
            return con.cursor()
        except BaseException:
            self.release(None)
            raise

    def release(self, cur: duckdb.DuckDBPyConnection | None) -> None:
        if cur is not None:
            with suppress(duckdb.Error):
                cur.close()
        with self.lock:
            self.users -= 1
            self.last_used = time.monotonic()
            self.lock.notify_all()

    def close(self, wait: bool = False) -> None:
        with self.lock:
            while wait and self.users:
                self.lock.wait(0.1)
            if self.con is not None and not self.users:
                self.con.close()
                self.con = None

    def _request_release(self) -> None:
        """Ask the process holding the file to close its connection when idle (best effort)."""
        with suppress(OSError):
            _release_path(self.path).write_text(str(os.getpid()))

    def _withdraw_request(self) -> None:
        req = _release_path(self.path)
        try:
            if req.read_text().strip() == str(os.getpid()):
                req.unlink()
        except OSError:
            pass

    def _release_requested(self) -> bool:
        req = _release_path(self.path)
        try:
            if time.time() - req.stat().st_mtime > RELEASE_FRESH_S:
                return False
            return req.read_text().strip() != str(os.getpid())
        except (OSError, ValueError):
            return False

    def _start_watcher(self) -> None:
        if self.watcher is None or not self.watcher.is_alive():
            self.watcher = threading.Thread(target=self._watch, name=f"store-watch-{self.path.name}", daemon=True)
            self.watcher.start()

    def _watch(self) -> None:
        """Close the connection when idle and another process wants the file, or idle for long."""
        while True:
            time.sleep(0.2)
            with self.lock:
                if self.con is None:
                    self.watcher = None
                    return
                if self.users:
                    continue
                idle = time.monotonic() - self.last_used
                if idle > IDLE_CLOSE_S or (idle > 0.05 and self._release_requested()):
                    self.con.close()
                    self.con = None
                    self.watcher = None
                    return


# Close what is still open when the process ends (a clean close writes the log into the file).
atexit.register(_Shared.close_all, wait=False)


# The tables whose rows belong to a region (every one has region_code, province_code and city_code):
# what a store scoped to a region shows of them is that region's subtree.
SCOPED_TABLES = ("accidents", "hazards", "accident_stats", "hazard_stats", "targets")
_SCOPE_MARK = "|scope="


class ScopeError(PermissionError):
    """A change that reaches outside the region a store is scoped to."""


def subtree_sql(scope: str, alias: str = "") -> str:
    """The rows of ``scope``'s subtree (a literal: ``scope`` is checked to be six digits)."""
    if not (isinstance(scope, str) and len(scope) == 6 and scope.isdigit()):
        raise ValueError(f"a region scope is a six-digit code, got {scope!r}")
    if scope == COUNTRY_CODE:
        return "true"
    a = f"{alias}." if alias else ""
    return f"({a}region_code = '{scope}' OR {a}province_code = '{scope}' OR {a}city_code = '{scope}')"


class Store:
    """One DuckDB file. All SQL of the project lives in this package.

    ``scope``: the region (adcode) whose subtree this store shows — an account's region. Every read
    through a scoped store sees, under the names of the region tables (``SCOPED_TABLES``), only the
    rows of that subtree: each cursor gets temporary views of those names that shadow the tables, so
    no query of the project can reach past the scope, whatever its own WHERE says. Writes check
    that what they change lies inside the scope (``ScopeError`` otherwise). ``Store.key`` names the
    store and its scope in one string (for cache keys); ``Store.of(key)`` opens it again.
    """

    def __init__(self, path: str | Path, scope: str = COUNTRY_CODE) -> None:
        subtree_sql(scope)  # a six-digit code, or ValueError
        self.path = Path(path)
        self.scope = scope

    @property
    def key(self) -> str:
        return str(self.path) if self.scope == COUNTRY_CODE else f"{self.path}{_SCOPE_MARK}{self.scope}"

    @classmethod
    def of(cls, key: str) -> Store:
        path, mark, scope = key.rpartition(_SCOPE_MARK)
        if mark and len(scope) == 6 and scope.isdigit():
            return cls(path, scope)
        return cls(key)

    # ------------------------------------------------------------ connections

    @contextmanager
    def connect(
        self, read_only: bool = False, timeout_s: float = 30.0, scoped: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on this process's shared connection to the store (opened when needed). Each
        cursor has its own transaction; ``read_only`` is kept for callers and ignored (the shared
        connection can write). On a scoped store the cursor sees the region tables through the
        scope's views, unless ``scoped=False`` (the store's own writes, after their scope check)."""
        shared = _Shared.get(self.path)
        cur = shared.acquire(timeout_s)
        try:
            cur.execute("SET enable_progress_bar = false")  # no progress bars on a CLI's stdout
            if scoped and self.scope != COUNTRY_CODE:
                catalog = cur.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
                where = subtree_sql(self.scope)
                cur.execute(
                    "; ".join(
                        f'CREATE TEMP VIEW {t} AS SELECT * FROM "{catalog}".main.{t} WHERE {where}'
                        for t in SCOPED_TABLES
                    )
                )
            yield cur
        finally:
            shared.release(cur)

    def _check_rows_in_scope(self, frame: pd.DataFrame, what: str) -> None:
        if self.scope == COUNTRY_CODE or frame.empty:
            return
        cols = [c for c in ("region_code", "province_code", "city_code") if c in frame.columns]
        inside = frame[cols].eq(self.scope).any(axis=1) if cols else pd.Series(False, index=frame.index)
        if not inside.all():
            first = frame.loc[~inside].iloc[0]
            raise ScopeError(
                f"{what}: {int((~inside).sum())} row(s) lie outside region {self.scope} "
                f"(the first in {first.get('region_code')}); this account may change its own region only"
            )

    def close(self) -> None:
        """Give up this process's connection to the store now (tests, before the file is replaced)."""
        _Shared.close_path(self.path)

    def ensure_schema(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            for ddl in DDL.values():
                con.execute(ddl)
            for migration in MIGRATIONS:
                con.execute(migration)
            codes = con.execute("SELECT value FROM meta WHERE key = 'region_codes'").fetchone()
            if codes is None or codes[0] != REGION_CODES_VERSION:  # once per store: rows to today's codes
                for migration in REGION_MIGRATIONS:
                    con.execute(migration)
                con.execute("INSERT OR REPLACE INTO meta VALUES ('region_codes', ?)", [REGION_CODES_VERSION])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            _checkpoint(con)

    def query(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        with self.connect(read_only=False) as con:
            return con.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        with self.connect() as con:
            row = con.execute(sql, params or []).fetchone()
            return None if row is None else row[0]

    # ------------------------------------------------------------ writing

    def _column_types(self, con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
        return [
            (r[0], r[1])
            for r in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]

    def apply_import(
        self, kind: str, frame: pd.DataFrame, record: dict[str, Any], rejects: pd.DataFrame
    ) -> UpsertCounts:
        """Upsert ``frame`` by id, log the import and keep its rejects — all in one transaction.

        A row whose id exists with the same ``row_hash`` is unchanged and keeps its provenance;
        one with a different hash is replaced (updated); the rest are new.
        """
        table, id_col = FACT_TABLES[kind]
        check_frame(kind, frame)
        self._check_rows_in_scope(frame, f"import of {kind}")
        with self.connect(scoped=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                if (
                    self.scope != COUNTRY_CODE
                ):  # an id already stored outside the scope is not this account's to replace
                    con.register("scope_check", frame[[id_col]])
                    outside = con.execute(
                        f"SELECT count(*) FROM {table} t JOIN scope_check USING ({id_col}) "
                        f"WHERE NOT {subtree_sql(self.scope, 't')}"
                    ).fetchone()[0]
                    con.unregister("scope_check")
                    if outside:
                        raise ScopeError(
                            f"import of {kind}: {outside} row id(s) are stored for a region outside "
                            f"{self.scope}; this account may change its own region only"
                        )
                counts = self._upsert(con, table, id_col, frame)
                record = {
                    **record,
                    "new_rows": counts.new,
                    "updated_rows": counts.updated,
                    "unchanged_rows": counts.unchanged,
                }
                self._insert_import(con, record)
                self._insert_rejects(con, rejects)
                con.execute("COMMIT")
                _checkpoint(con)
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return counts

    def _upsert(self, con: duckdb.DuckDBPyConnection, table: str, id_col: str, frame: pd.DataFrame) -> UpsertCounts:
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
        if updated:
            # Keep the version each update replaces, so that the import can be undone exactly.
            con.execute(f"""INSERT INTO row_versions
                SELECT s.import_id, '{table}', t.{id_col}, to_json(t)::VARCHAR
                FROM {table} t JOIN staging s ON t.{id_col} = s.{id_col} WHERE t.row_hash <> s.row_hash""")
        con.execute(f"""DELETE FROM {table} WHERE {id_col} IN (
            SELECT s.{id_col} FROM staging s JOIN {table} t ON t.{id_col} = s.{id_col}
            WHERE t.row_hash <> s.row_hash)""")
        if new == len(frame):  # no id of the file is stored yet (a first import): no anti-join to pay for
            con.execute(f"INSERT INTO {table} SELECT * FROM staging")
        elif new or updated:  # the new rows and the updated ones (deleted just above)
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
        con.execute(
            "INSERT INTO rejects SELECT import_id, kind, file_name, row_number, columns, reason, original "
            "FROM rejects_in"
        )
        con.unregister("rejects_in")

    def replace_all(self, frames: dict[str, pd.DataFrame], records: list[dict[str, Any]]) -> None:
        """Load whole tables at once (the demo builder), in one transaction."""
        if self.scope != COUNTRY_CODE:
            raise ScopeError("replacing whole tables needs the whole country's scope")
        with self.connect(scoped=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for kind, frame in frames.items():
                    check_frame(kind, frame)
                    table, id_col = FACT_TABLES[kind]
                    con.execute(f"DELETE FROM {table}")
                    con.execute("DELETE FROM row_versions WHERE table_name = ?", [table])
                    self._upsert(con, table, id_col, frame)
                for record in records:
                    self._insert_import(con, record)
                con.execute("COMMIT")
                _checkpoint(con)
            except BaseException:
                con.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------ undo

    def undo_import(self, import_id: str) -> UndoResult:
        """Take an import back, in one transaction: remove the rows it added, put back the previous
        version of every row it updated (from ``row_versions``), drop its rejects, and mark it undone
        in the log (``imports.undone_at``; the entry itself stays).

        Raises :class:`UndoError` and changes nothing when the import is unknown, already undone, or
        a later import (not undone) has since changed one of its rows — undoing it would silently
        throw that later change away: undo the later import first.
        """
        with self.connect(scoped=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                if self.scope != COUNTRY_CODE:
                    self._check_import_in_scope(con, import_id)
                result = self._undo(con, import_id)
                con.execute("COMMIT")
                _checkpoint(con)
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return result

    def _check_import_in_scope(self, con: duckdb.DuckDBPyConnection, import_id: str) -> None:
        """An import may be undone by a scoped account only when every row it wrote (and every earlier
        version it would put back) lies inside the scope."""
        outside = 0
        for table in SCOPED_TABLES:
            outside += con.execute(
                f"SELECT count(*) FROM {table} WHERE import_id = ? AND NOT {subtree_sql(self.scope)}", [import_id]
            ).fetchone()[0]
        outside += con.execute(
            "SELECT count(*) FROM row_versions v WHERE v.import_id = ? AND NOT ("
            "json_extract_string(v.row_json, '$.region_code') = ? OR json_extract_string(v.row_json, '$.province_code') = ? "
            "OR json_extract_string(v.row_json, '$.city_code') = ?)",
            [import_id, self.scope, self.scope, self.scope],
        ).fetchone()[0]
        if outside:
            raise ScopeError(
                f"import {import_id} changed {outside} row(s) outside region {self.scope}: "
                "only an account whose region covers them may undo it"
            )

    def _undo(self, con: duckdb.DuckDBPyConnection, import_id: str) -> UndoResult:
        row = con.execute("SELECT kind, file_name, undone_at FROM imports WHERE import_id = ?", [import_id]).fetchone()
        if row is None:
            raise UndoError(
                f"no import with id '{import_id}' (see python -m loaders status)",
                zh=f"没有编号为“{import_id}”的导入记录",
            )
        kind, file_name, undone_at = row
        if undone_at is not None:
            raise UndoError(
                f"import {import_id} ({file_name}) was already undone at {undone_at:%Y-%m-%d %H:%M:%S}",
                zh=f"导入 {import_id}（{file_name}）已于 {undone_at:%Y-%m-%d %H:%M:%S} 撤销，不能再次撤销",
            )
        if kind not in FACT_TABLES:
            raise UndoError(
                f"import {import_id} has kind '{kind}', which has no table to undo it in",
                zh=f"导入 {import_id} 的数据类型“{kind}”无法撤销",
            )
        table, id_col = FACT_TABLES[kind]
        # A version this import wrote that a later import replaced: the later change would be lost.
        later = con.execute(
            """
            SELECT v.import_id, any_value(i.file_name), count(*) FROM row_versions v
            LEFT JOIN imports i ON i.import_id = v.import_id
            WHERE v.table_name = ? AND json_extract_string(v.row_json, '$.import_id') = ?
            GROUP BY v.import_id ORDER BY v.import_id""",
            [table, import_id],
        ).fetchall()
        if later:
            names = ", ".join(f"{i} ({f}, {n} rows)" for i, f, n in later)
            names_zh = "、".join(f"{i}（{f}，{n} 行）" for i, f, n in later)
            raise UndoError(
                f"import {import_id} ({file_name}) cannot be undone: later imports changed its rows: {names}; "
                "undo those first",
                zh=f"导入 {import_id}（{file_name}）不能撤销：之后的导入修改了它写入的数据：{names_zh}；请先撤销这些导入",
            )
        deleted = con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id]).fetchone()[0]
        cols = self._column_types(con, table)
        structure = json.dumps({c: t for c, t in cols})
        restored = con.execute(
            f"""
            INSERT INTO {table} BY NAME
            SELECT unnest(from_json(row_json, '{structure}')) FROM row_versions
            WHERE import_id = ? AND table_name = ?""",
            [import_id, table],
        ).fetchone()[0]
        con.execute("DELETE FROM row_versions WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM rejects WHERE import_id = ?", [import_id])
        con.execute(
            "UPDATE imports SET undone_at = ? WHERE import_id = ?",
            [dt.datetime.now().replace(microsecond=0), import_id],
        )
        return UndoResult(removed=int(deleted) - int(restored), restored=int(restored))

    # ------------------------------------------------------------ saved column mappings

    def save_mapping(self, name: str, kind: str, mapping: dict[str, str | None]) -> None:
        """Save a column mapping (file header → canonical column, or None) under ``name`` for
        ``kind``; a mapping of the same name and kind is replaced."""
        name = name.strip() if isinstance(name, str) else name
        if not name or not isinstance(name, str):
            raise ValueError("a saved mapping needs a name")
        if kind not in FACT_TABLES:
            raise ValueError(f"unknown kind '{kind}' (expected one of {', '.join(FACT_TABLES)})")
        if not isinstance(mapping, dict) or any(
            not isinstance(k, str) or not (v is None or isinstance(v, str)) for k, v in mapping.items()
        ):
            raise ValueError("a mapping is a dict of header text → column name (or None)")
        with self.connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO mappings VALUES (?, ?, ?, ?)",
                [name, kind, json.dumps(mapping, ensure_ascii=False), dt.datetime.now()],
            )
            _checkpoint(con)

    def mappings(self, kind: str) -> dict[str, dict[str, str | None]]:
        """The saved mappings of ``kind`` by name (in name order), each in its saved header order."""
        with self.connect() as con:
            rows = con.execute("SELECT name, mapping FROM mappings WHERE kind = ? ORDER BY name", [kind]).fetchall()
        return {name: json.loads(text) for name, text in rows}

    def delete_mapping(self, name: str, kind: str) -> None:
        """Forget a saved mapping (nothing happens when there is none of that name)."""
        with self.connect() as con:
            con.execute("DELETE FROM mappings WHERE name = ? AND kind = ?", [name, kind])
            _checkpoint(con)

    # ------------------------------------------------------------ reading

    def table(self, kind_or_table: str, order: bool = True) -> pd.DataFrame:
        table, id_col = FACT_TABLES.get(kind_or_table, (kind_or_table, None))
        order_by = f" ORDER BY {id_col}" if order and id_col else ""
        return self.query(f"SELECT * FROM {table}{order_by}")

    def _visible_imports(self) -> str:
        """SQL: the imports this store shows — every one for the whole country; for a region, those with
        a row in its subtree (the scoped views), so that a 长沙 officer's history names no other city's files."""
        if self.scope == COUNTRY_CODE:
            return "(SELECT import_id FROM imports)"
        return "(" + " UNION ".join(f"SELECT import_id FROM {t}" for t in SCOPED_TABLES) + ")"

    def rejects(self, import_id: str | None = None) -> pd.DataFrame:
        seen = self._visible_imports()
        if import_id is None:
            return self.query(f"SELECT * FROM rejects WHERE import_id IN {seen} ORDER BY import_id, row_number")
        return self.query(
            f"SELECT * FROM rejects WHERE import_id = ? AND import_id IN {seen} ORDER BY row_number", [import_id]
        )

    def import_exists(self, import_id: str) -> bool:
        return bool(
            self.scalar(
                f"SELECT count(*) FROM imports WHERE import_id = ? AND import_id IN {self._visible_imports()}",
                [import_id],
            )
        )

    def imports(self, limit: int | None = None) -> pd.DataFrame:
        lim = f" LIMIT {int(limit)}" if limit else ""
        return self.query(
            f"SELECT * FROM imports WHERE import_id IN {self._visible_imports()} "
            f"ORDER BY imported_at DESC, import_id{lim}"
        )

    def status(self) -> dict[str, Any]:
        """What the store holds: counts per kind, date ranges (years for the control targets), regions
        covered, the last imports."""
        with self.connect() as con:

            def one(sql: str) -> tuple:
                return con.execute(sql).fetchone()

            acc = one(
                "SELECT count(*), min(occurred_at)::DATE, max(occurred_at)::DATE, "
                "count(DISTINCT region_code), count(DISTINCT province_code) FROM accidents"
            )
            haz = one(
                "SELECT count(*), min(found_date), max(found_date), count(DISTINCT region_code), "
                "count(DISTINCT province_code), count(*) FILTER (WHERE grade = 'major') FROM hazards"
            )
            ast = one("SELECT count(*), min(period), max(period), count(DISTINCT region_code) FROM accident_stats")
            hst = one("SELECT count(*), min(period), max(period), count(DISTINCT region_code) FROM hazard_stats")
            tgt = one(
                "SELECT count(*), min(year), max(year), count(DISTINCT region_code), "
                "count(*) FILTER (WHERE accidents_target IS NOT NULL) FROM targets"
            )
            seen = self._visible_imports()
            rej = one(f"SELECT count(*) FROM rejects WHERE import_id IN {seen}")[0]
            last = con.execute(
                "SELECT import_id, kind, file_name, imported_at, new_rows, updated_rows, rejected_rows, undone_at "
                f"FROM imports WHERE import_id IN {seen} ORDER BY imported_at DESC LIMIT 5"
            ).df()

        def rng(a: Any, b: Any) -> dict[str, str | None]:
            return {"from": None if a is None else str(a), "to": None if b is None else str(b)}

        return {
            "db": str(self.path),
            "accidents": {"rows": acc[0], "dates": rng(acc[1], acc[2]), "regions": acc[3], "provinces": acc[4]},
            "hazards": {
                "rows": haz[0],
                "dates": rng(haz[1], haz[2]),
                "regions": haz[3],
                "provinces": haz[4],
                "major": haz[5],
            },
            "accident_stats": {"rows": ast[0], "periods": rng(ast[1], ast[2]), "regions": ast[3]},
            "hazard_stats": {"rows": hst[0], "periods": rng(hst[1], hst[2]), "regions": hst[3]},
            "targets": {
                "rows": tgt[0],
                "years": rng(tgt[1], tgt[2]),
                "regions": tgt[3],
                "with_accidents_target": tgt[4],
            },
            "rejected_rows_kept": rej,
            "last_imports": json.loads(last.to_json(orient="records", date_format="iso", force_ascii=False)),
        }


def open_store(path: str | Path | None = None) -> Store:
    """The store at ``path`` (default: :func:`default_db_path`), created empty if need be. (A new default
    store filled with the demo data: ``loaders.demo.ensure.open_or_build``.)"""
    store = Store(path if path is not None else default_db_path())
    store.ensure_schema()
    return store
