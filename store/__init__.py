"""The store: the one layer that speaks SQL. Everything above it gets and gives pandas frames."""

from store.duckdb_store import ScopeError, Store, StoreBusy, UndoError, UndoResult, default_db_path, open_store

__all__ = ["ScopeError", "Store", "StoreBusy", "UndoError", "UndoResult", "default_db_path", "open_store"]
