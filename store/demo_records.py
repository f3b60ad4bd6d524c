"""The demo records in a store: which imports are the demo's, and taking them out.

The demo builder (``loaders.demo.build_demo_store``) logs one import per kind, ``demo-<seed>-<kind>``
with the file name ``demo (seed <seed>)``, and every demo row carries that import id. So the import log
records whether a store holds demo data (a demo import not undone), and removing it is undoing those
imports: their rows go, imported rows stay (a row a later import replaced carries that import's id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.regions import COUNTRY_CODE
from store.duckdb_store import Store, _checkpoint
from store.tables import FACT_TABLES

# The demo's imports: its ids and its file name, as the builder writes them (loaders/demo/common.py, build.py).
_DEMO = "import_id LIKE 'demo-%' AND file_name LIKE 'demo (seed %)'"


@dataclass(frozen=True)
class DemoRemoval:
    imports: tuple[str, ...]  # the demo imports taken out (marked undone in the log)
    removed: dict[str, int]  # rows removed per kind
    kept: int  # rows of other imports left in the record tables

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    @property
    def counts(self) -> str:
        """The rows removed per kind: "accidents 195,625, hazards 300,000, …"."""
        return ", ".join(f"{kind} {n:,}" for kind, n in self.removed.items() if n)

    @property
    def detail(self) -> str:
        """The audit trail's line for the removal (the command line's and the Data page's)."""
        return f"removed {self.total:,} demo rows ({self.counts}); kept {self.kept:,} imported rows"


def demo_imports(store: Store) -> list[str]:
    """The ids of the demo's imports still in the store (not undone, not removed); [] for a store without demo data."""
    with store.connect(scoped=False) as con:
        rows = con.execute(
            f"SELECT import_id FROM imports WHERE {_DEMO} AND undone_at IS NULL ORDER BY import_id"
        ).fetchall()
    return [r[0] for r in rows]


def demo_rows(store: Store) -> int:
    """How many rows of the record and statistics tables came from the demo."""
    ids = demo_imports(store)
    if not ids:
        return 0
    marks = ", ".join("?" for _ in ids)
    with store.connect(scoped=False) as con:
        return sum(
            con.execute(f"SELECT count(*) FROM {table} WHERE import_id IN ({marks})", ids).fetchone()[0]
            for table, _ in FACT_TABLES.values()
        )


def remove_demo(store: Store) -> DemoRemoval:
    """Take the demo records out, in one transaction: the rows the demo wrote, the versions of demo rows that
    later imports replaced (so that undoing such an import does not bring a demo row back), the demo's
    rejects; the demo's imports are marked undone in the log (their entries stay) and ``meta`` records when.
    Rows of other imports are left as they are. Needs the whole country's scope."""
    if store.scope != COUNTRY_CODE:
        raise PermissionError("removing the demo data needs the whole country's scope")
    now = dt.datetime.now().replace(microsecond=0)
    with store.connect(scoped=False) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            ids = [
                r[0]
                for r in con.execute(
                    f"SELECT import_id FROM imports WHERE {_DEMO} AND undone_at IS NULL ORDER BY import_id"
                ).fetchall()
            ]
            removed: dict[str, int] = {}
            kept = 0
            if ids:
                marks = ", ".join("?" for _ in ids)
                for kind, (table, _) in FACT_TABLES.items():
                    removed[kind] = con.execute(f"DELETE FROM {table} WHERE import_id IN ({marks})", ids).fetchone()[0]
                    kept += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                con.execute(
                    f"DELETE FROM row_versions WHERE import_id IN ({marks}) "
                    f"OR json_extract_string(row_json, '$.import_id') IN ({marks})",
                    ids + ids,
                )
                con.execute(f"DELETE FROM rejects WHERE import_id IN ({marks})", ids)
                con.execute(f"UPDATE imports SET undone_at = ? WHERE import_id IN ({marks})", [now, *ids])
                con.execute("INSERT OR REPLACE INTO meta VALUES ('demo_removed_at', ?)", [now.isoformat(sep=" ")])
            con.execute("COMMIT")
            _checkpoint(con)
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return DemoRemoval(tuple(ids), {k: int(v) for k, v in removed.items()}, int(kept))
