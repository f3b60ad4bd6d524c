"""``python -m loaders``: import files, undo an import, write out rejects, show the store's status,
build the demo.

Exit codes: 0 done (an import with rejected rows is still done); 2 the file could not be read or a
required column is missing, an undo was refused, or an argument is bad — the store is then unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from loaders.readers import ReadError, one_line
from loaders.schema import KINDS, markdown_all


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m loaders", description="Production-safety data loaders")
    sub = ap.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import a CSV, XLSX, XLS or Parquet file")
    imp.add_argument("kind", choices=list(KINDS))
    imp.add_argument("path")
    imp.add_argument("--sheet", help="sheet name (default: the first sheet with a recognisable header)")
    imp.add_argument("--db", help="store file (default: $SAFETY_DB or data/safety.duckdb)")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    imp.add_argument("--region", help="region for every row when the file has no region column")
    imp.add_argument("--period", help="period (for targets: the year) for every row when the file has no such column")
    imp.add_argument("--mapping", metavar="NAME",
                     help="a column mapping saved on the data page for this kind (file header → column)")
    und = sub.add_parser("undo", help="undo an import: remove the rows it added, restore the rows it updated")
    und.add_argument("import_id")
    und.add_argument("--db")
    rej = sub.add_parser("rejects", help="write rejected rows with their reasons to CSV")
    rej.add_argument("--import-id")
    rej.add_argument("--out", required=True)
    rej.add_argument("--db")
    st = sub.add_parser("status", help="what the store holds")
    st.add_argument("--json", action="store_true")
    st.add_argument("--db")
    demo = sub.add_parser("demo", help="(re)build the demo store")
    demo.add_argument("--seed", type=int, default=2019)
    demo.add_argument("--hazards", type=int, default=300_000, help="hazard records (default: 300,000)")
    demo.add_argument("--accidents", type=int, default=None,
                      help="accident records (default: as many as the national magnitudes give, about 195,000)")
    demo.add_argument("--db")
    sch = sub.add_parser("schema", help="print the input formats")
    sch.add_argument("--markdown", action="store_true")
    return ap


def _fail(message: str) -> int:
    print(f"error: {one_line(message)}", file=sys.stderr)
    return 2


def _bad_option(region: str | None, period: str | None, period_key: str) -> str | None:
    """Why --region or --period cannot be used (checked before anything is read or written)."""
    from domain.regions import RegionError, resolve_region
    from loaders.parsing import parse_period, parse_year

    if region is not None:
        try:
            resolve_region(region)
        except RegionError as exc:
            return f"--region: {exc}"
    if period is not None:
        try:
            (parse_year if period_key == "year" else parse_period)(period)
        except ValueError as exc:
            return f"--period: {exc}"
    return None


def _saved_mapping(db: str | None, kind: str, name: str) -> tuple[dict | None, str | None]:
    """(the mapping saved as ``name`` for ``kind``, None) or (None, why not) — without creating a
    store (or filling a new default one with demo data) just to look."""
    from store import Store, default_db_path

    path = Path(db) if db else default_db_path()
    saved = {}
    if path.exists():
        store = Store(path)
        store.ensure_schema()
        saved = store.mappings(kind)
    if name not in saved:
        known = ", ".join(saved) or "none"
        return None, f"--mapping: no saved mapping '{name}' for {kind} in {path} (saved: {known})"
    return saved[name], None


def _audit(store, action: str, target: str, detail: str, outcome: str = "ok") -> None:
    """The command line's changes go into the audit trail too, as ``cli:<user of the operating system>``."""
    from accounts.service import audit, cli_actor

    audit(store, cli_actor(), action, target, detail, "command line", outcome)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from store import StoreBusy

    try:
        return _run(args)
    except StoreBusy as exc:  # another process held the store past the wait: nothing was written
        return _fail(str(exc))


def _run(args: argparse.Namespace) -> int:
    from store import open_store

    if args.command == "schema":
        print(markdown_all())
        return 0
    if args.command == "demo":
        from loaders.demo import build_demo_store
        from loaders.demo.generate import _check_args
        from store import default_db_path

        try:
            _check_args(args.seed, args.hazards, None, args.accidents)
        except ValueError as exc:
            return _fail(str(exc))
        path = Path(args.db) if args.db else default_db_path()
        info = build_demo_store(path, seed=args.seed, hazards=args.hazards, accidents=args.accidents)
        print(json.dumps(info, ensure_ascii=False, default=str))
        return 0
    if args.command in ("status", "rejects", "undo") and args.db and not Path(args.db).exists():
        return _fail(f"store {args.db} does not exist (check --db; `import` or `demo` creates a store)")
    if args.command == "import":
        from loaders import sandbox

        period_key = "year" if args.kind == "targets" else "period"
        bad = _bad_option(args.region, args.period, period_key)
        if bad is not None:
            return _fail(bad)
        sandbox.start()  # the reading processes' server starts while this one does the rest
        from loaders.importer import import_file
        from store import StoreBusy
        defaults = {k: v for k, v in (("region", args.region), (period_key, args.period)) if v}
        mapping = None
        if args.mapping is not None:
            mapping, bad = _saved_mapping(args.db, args.kind, args.mapping)
            if bad is not None:
                return _fail(bad)
        try:
            result = import_file(lambda: open_store(args.db), args.path, args.kind, sheet=args.sheet,
                                 defaults=defaults, mapping=mapping)
        except (ReadError, StoreBusy) as exc:  # StoreBusy: another process held the store too long; nothing written
            return _fail(str(exc))
        _audit(open_store(args.db), "import", result.import_id,
               f"{Path(args.path).name} · {args.kind} · new {result.new}, updated {result.updated}, "
               f"rejected {result.rejected}")
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            print(result.summary())
            for match in result.headers:  # how each header was read, the exact matches left out
                if match.how != "exact":
                    print(f"  header {match.line()}")
            for row, why in result.skipped:
                print(f"  skipped row {row}: {why}")
            for note in result.notes:
                print(f"  note: {note}")
            if result.rejected:
                print(f"  rejected rows kept: python -m loaders rejects --import-id {result.import_id} --out FILE.csv")
        return 0
    if args.command == "undo":
        from store import UndoError

        store = open_store(args.db)
        try:
            undone = store.undo_import(args.import_id)
        except UndoError as exc:
            _audit(store, "undo", args.import_id, str(exc), "failed")
            return _fail(str(exc))
        file_name = store.scalar("SELECT file_name FROM imports WHERE import_id = ?", [args.import_id])
        _audit(store, "undo", args.import_id, f"{file_name} · removed {undone.removed}, restored {undone.restored}")
        print(f"undid import {args.import_id} ({file_name}): removed {undone.removed} rows it added, "
              f"restored {undone.restored} rows it updated")
        return 0
    if args.command == "rejects":
        from loaders.importer import write_rejects

        store = open_store(args.db)
        if args.import_id and not store.import_exists(args.import_id):
            return _fail(f"no import with id '{args.import_id}' (see python -m loaders status)")
        n = write_rejects(store, args.out, args.import_id)
        print(f"wrote {n} rejected rows to {args.out}")
        return 0
    if args.command == "status":
        store = open_store(args.db)
        status = store.status()
        if args.json:
            print(json.dumps(status, ensure_ascii=False, default=str, indent=2))
        else:
            print(f"store: {status['db']}")
            for key in ("accidents", "hazards", "accident_stats", "hazard_stats", "targets"):
                info = status[key]
                span = info.get("dates") or info.get("periods") or info.get("years")
                print(f"  {key:15s} {info['rows']:>10,} rows  {span['from']} … {span['to']}  "
                      f"{info['regions']:,} regions")
            print(f"  rejected rows kept: {status['rejected_rows_kept']:,}")
            print("  last imports:")
            for imp in status["last_imports"]:
                undone = f"  (undone {imp['undone_at'][:19].replace('T', ' ')})" if imp.get("undone_at") else ""
                print(f"    {imp['import_id']}  {imp['kind']:14s} {imp['file_name']}  +{imp['new_rows']} "
                      f"~{imp['updated_rows']} ✗{imp['rejected_rows']}{undone}")
        return 0
    return 2
