"""The store ready before the first page: ``python -m loaders demo --ensure`` (what ``bash scripts/run.sh`` runs
before it starts the server, and the server's start itself, app.py), with its progress on the console.

- No store yet: the demo store is built (``SAFETY_DEMO=0``: an empty store is created instead), saying so
  and how long it took; an explicit ``--db`` that does not exist is created empty, as ``open_store`` does.
- No account yet: the first administrator ``admin`` is created and its password printed once.
- ``SAFETY_DEMO=0`` and a store that holds the demo records: said, with the command that takes them out
  (nothing is removed without being asked: ``loaders demo --remove``).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from store import Store

import settings

REMOVE_COMMAND = "bash scripts/cli.sh loaders demo --remove"


def _say(stream: TextIO, zh: str, en: str) -> None:
    print(f"==> {zh}\n    {en}", file=stream, flush=True)


def _ticking(stream: TextIO, every_s: float) -> tuple[threading.Event, threading.Thread]:
    """A line on the console every ``every_s`` seconds until the event is set (a long build is not silent)."""
    stop = threading.Event()
    started = time.monotonic()

    def run() -> None:
        while not stop.wait(every_s):
            print(f"    … {time.monotonic() - started:.0f} s", file=stream, flush=True)

    thread = threading.Thread(target=run, name="demo-progress", daemon=True)
    thread.start()
    return stop, thread


def open_or_build(path: str | Path | None = None, demo_if_new: bool | None = None) -> Store:
    """The store at ``path`` (default: ``store.default_db_path``), created if need be (``store.open_store``).

    A new *default* store (no explicit path) is filled with the demo data first, unless
    ``SAFETY_DEMO=0``; a new store at an explicit path starts empty.
    """
    from store import default_db_path, open_store

    explicit = path is not None
    target = Path(path) if explicit else default_db_path()
    if demo_if_new is None:
        demo_if_new = not explicit and settings.get("SAFETY_DEMO") != "0"
    if not target.exists() and demo_if_new:
        from loaders.demo import build_demo_store

        build_demo_store(target)
    return open_store(target if explicit else None)


def ensure_store(
    db: str | Path | None = None, stream: TextIO | None = None, quiet: bool = False, progress_every_s: float = 5.0
) -> Path:
    """Build or create the store when it is missing, create the first administrator when there is no account,
    and say what the store holds; returns the store's path. ``quiet``: only what was done is said (the
    server's start, after run.sh has said the rest)."""
    from accounts.service import ensure_initial_admin, initial_password_file
    from store import Store, default_db_path
    from store.demo_records import demo_imports, demo_rows

    out = stream or sys.stderr
    explicit = db is not None
    path = Path(db).expanduser() if explicit else default_db_path()
    want_demo = not explicit and settings.get("SAFETY_DEMO") != "0"
    if not path.exists() and want_demo:
        from loaders.demo import build_demo_store

        _say(
            out,
            f"首次启动：正在生成演示数据 {path}（约 5–30 秒）……",
            f"First start: building the demo store {path} (about 5–30 s; SAFETY_DEMO=0 starts empty instead) …",
        )
        stop, ticker = _ticking(out, progress_every_s)
        try:
            info = build_demo_store(path)
        finally:
            stop.set()
            ticker.join()
        _say(
            out,
            f"演示数据已生成：事故 {info['accidents']:,} 条、隐患 {info['hazards']:,} 条，用时 {info['seconds']:.0f} 秒",
            f"Demo store ready: {info['accidents']:,} accidents, {info['hazards']:,} hazards, "
            f"in {info['seconds']:.0f} s",
        )
    elif not path.exists():
        why = "SAFETY_DEMO=0" if not explicit else "--db"
        _say(
            out,
            f"新建空数据库 {path}（{why}，不含演示数据）：在“数据管理”页面导入自己的数据",
            f"Creating an empty store {path} ({why}: no demo data): import your own files on the 数据管理 Data page",
        )
    store = Store(path)
    store.ensure_schema()
    if ensure_initial_admin(store, stream=out) is None:
        password_file = initial_password_file(store)
        if password_file.exists() and not quiet:
            _say(
                out,
                f"管理员 admin 的初始密码仍在 {password_file}（首次登录修改密码后删除）",
                f"The first password of the account 'admin' is still in {password_file} (deleted at its first "
                "login, when it is changed)",
            )
    demo = demo_imports(store)
    if demo and settings.get("SAFETY_DEMO") == "0":
        _say(
            out,
            f"SAFETY_DEMO=0，但数据库 {path} 仍含演示数据（{demo_rows(store):,} 行）；删除演示数据、保留导入的数据："
            f"{REMOVE_COMMAND}",
            f"SAFETY_DEMO=0, but the store {path} still holds the demo records ({demo_rows(store):,} rows); to take "
            f"them out and keep what was imported: {REMOVE_COMMAND}",
        )
    elif demo and not quiet:
        _say(
            out,
            f"数据库 {path} 含演示数据；导入的数据与其并存，删除演示数据：{REMOVE_COMMAND}",
            f"The store {path} holds the demo records; imported files go beside them ({REMOVE_COMMAND} "
            "takes the demo out)",
        )
    elif not quiet:
        _say(out, f"数据库 {path}：不含演示数据", f"The store {path}: no demo data")
    store.close()
    return path
