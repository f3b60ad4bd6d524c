"""The store: the one layer that speaks SQL. Everything above it gets and gives pandas frames."""

from store.duckdb_store import Store, StoreBusy, UndoError, UndoResult, default_db_path, open_store

__all__ = ["Store", "StoreBusy", "UndoError", "UndoResult", "default_db_path", "open_store"]
