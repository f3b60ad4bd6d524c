"""``python -m loaders``: import files, list the values of a file an import would refuse, undo an
import, write out rejects, show the store's status, build the demo (or only when missing: ``demo --ensure``),
take the demo records out (``demo --remove``).

Exit codes: 0 done (an import with rejected rows is still done); 1 an import read the file but
accepted no row (every row rejected, or none there), or ``unknown`` found values that would be
refused; 2 the file could not be read or a required column is missing, an undo was refused, or an
argument is bad — the store is then unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from loaders.read_errors import ReadError, one_line
from loaders.schema import KINDS, markdown_all

if TYPE_CHECKING:
    from loaders.importer import ImportResult


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
    imp.add_argument(
        "--mapping", metavar="NAME", help="a column mapping saved on the data page for this kind (file header → column)"
    )
    _mapping_arguments(imp)
    imp.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="save the column mapping this file was read with (every header → column) under NAME",
    )
    unk = sub.add_parser("unknown", help="list the values of a file that an import would refuse, per column")
    unk.add_argument("path")
    unk.add_argument("--kind", required=True, choices=list(KINDS))
    unk.add_argument("--sheet", help="sheet name (default: the first sheet with a recognisable header)")
    unk.add_argument("--db", help="store file, for --mapping (default: $SAFETY_DB or data/safety.duckdb)")
    unk.add_argument("--json", action="store_true", help="print the result as JSON")
    unk.add_argument("--region", help="region for every row when the file has no region column")
    unk.add_argument("--period", help="period (for targets: the year) for every row when the file has no such column")
    unk.add_argument("--mapping", metavar="NAME", help="a saved column mapping for this kind")
    _mapping_arguments(unk)
    unk.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="save the column mapping this file was read with under NAME (nothing is imported)",
    )
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
    demo = sub.add_parser("demo", help="(re)build the demo store; --ensure: only when missing; --remove: take it out")
    what = demo.add_mutually_exclusive_group()
    what.add_argument(
        "--ensure",
        action="store_true",
        help="build the demo store only when there is no store (SAFETY_DEMO=0: create an empty one), "
        "create the first administrator when there is no account, and say what the store holds "
        "(bash scripts/run.sh runs this before the server starts)",
    )
    what.add_argument(
        "--remove",
        action="store_true",
        help="take the demo records out of the store, keeping every imported row (audited)",
    )
    demo.add_argument("--seed", type=int, default=2019)
    demo.add_argument("--hazards", type=int, default=300_000, help="hazard records (default: 300,000)")
    demo.add_argument(
        "--accidents",
        type=int,
        default=None,
        help="accident records (default: as many as the national magnitudes give, about 195,000)",
    )
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


def _mapping_arguments(ap: argparse.ArgumentParser) -> None:
    """The options ``import`` and ``unknown`` share: --map, --industry, --grade."""
    ap.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="'FILE HEADER=column'",
        help="read the file's column FILE HEADER as column (a name of `schema`, or its 中文表头); "
        "nothing after = : not imported. Repeatable; applied over --mapping",
    )
    ap.add_argument(
        "--industry", help="industry for every row when the file has no industry column (a ledger of one industry)"
    )
    ap.add_argument("--grade", help="hazard grade (一般 / 重大) for every row when a hazards file has no grade column")


def _map_options(kind: str, items: list[str]) -> tuple[dict[str, str | None], str | None]:
    """The --map options as a column mapping (file header → column, None: not imported), or why not.
    A column is named by its schema name or its 中文表头."""
    columns = KINDS[kind].columns
    by_word = {c.name: c.name for c in columns} | {c.zh: c.name for c in columns}
    out: dict[str, str | None] = {}
    for item in items:
        header, eq, column = item.rpartition("=")
        header, column = header.strip(), column.strip()
        if not eq or not header:
            return {}, f"--map '{item}': expected 'FILE HEADER=column', e.g. '死亡（失踪）人数=deaths'"
        if column in ("", "-"):
            out[header] = None
        elif column in by_word:
            out[header] = by_word[column]
        else:
            names = ", ".join(c.name for c in columns)
            return {}, (
                f"--map '{item}': '{column}' is not a column of {kind} (expected one of {names}, "
                "or nothing after = for not imported)"
            )
    return out, None


def _column_mapping(args: argparse.Namespace) -> tuple[dict[str, str | None] | None, str | None]:
    """(the mapping to read with: the saved --mapping, then each --map over it; None when neither is
    given, error None) or (None, why not)."""
    mapping: dict[str, str | None] = {}
    if args.mapping is not None:
        saved, bad = _saved_mapping(args.db, args.kind, args.mapping)
        if bad is not None:
            return None, bad
        mapping.update(saved or {})
    given, bad = _map_options(args.kind, args.map)
    if bad is not None:
        return None, bad
    if args.save_mapping is not None and not args.save_mapping.strip():
        return None, "--save-mapping: a saved mapping needs a name (expected e.g. --save-mapping 长沙市月报表)"
    mapping.update(given)
    return (mapping or None), None


def _defaults(args: argparse.Namespace) -> tuple[dict[str, str], str | None]:
    """(the values for columns the file lacks, from --region, --period, --industry, --grade) or
    (_, why one cannot be used), checked with the normaliser's own parsers before anything is read."""
    from loaders.normalize import column_parser

    period_key = "year" if args.kind == "targets" else "period"
    bad = _bad_option(args.region, args.period, period_key)
    if bad is not None:
        return {}, bad
    schema = KINDS[args.kind]
    names = {c.name for c in schema.columns}
    for option, name in (("industry", "industry"), ("grade", "grade")):
        value = getattr(args, option)
        if value is None:
            continue
        if name not in names:
            return {}, f"--{option}: {args.kind} have no {name} column"
        _, parser, _ = column_parser(schema, schema.column(name), {})
        try:
            parser(value)
        except ValueError as exc:
            return {}, f"--{option}: {exc}"
    given = (("region", args.region), (period_key, args.period), ("industry", args.industry), ("grade", args.grade))
    return {k: v for k, v in given if v}, None


def _save_mapping(db: str | None, kind: str, name: str, mapping: dict[str, str | None]) -> None:
    """Save a column mapping as the data page does (the page's list offers it next time), audited."""
    from loaders.demo.ensure import open_or_build

    store = open_or_build(db)
    store.save_mapping(name.strip(), kind, mapping)
    _audit(store, "mapping_save", f"{kind}:{name.strip()}", f"{len(mapping)} columns")


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


def _print_import(result: ImportResult, args: argparse.Namespace) -> None:
    """The import's result: JSON (with the rejects by reason), or the summary line and what follows it."""
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
        return
    print(result.summary())
    for match in result.headers:  # how each header was read, the exact matches left out
        if match.how != "exact":
            print(f"  header {match.line()}")
    for row, why in result.skipped:
        print(f"  skipped row {row}: {why}")
    for note in result.notes:
        print(f"  note: {note}")
    for group in result.reject_groups:
        rows = ", ".join(f"row {r} ({'empty' if v is None else repr(v)})" for r, v in group.examples)
        more = f" and {group.count - len(group.examples)} more" if group.count > len(group.examples) else ""
        print(f"  rejected {group.count} × {group.reason} — {rows}{more}")
    if result.rejected:
        print(f"  rejected rows kept: python -m loaders rejects --import-id {result.import_id} --out FILE.csv")
    if args.save_mapping:
        print(f"  mapping saved as '{args.save_mapping.strip()}' for {result.kind} (use it with --mapping)")


def _import_exit(result: ImportResult) -> int:
    """1 when the file was read but no row was accepted (every row rejected, or none there), said on
    standard error; else 0."""
    if result.accepted:
        return 0
    print(
        f"error: no row accepted: {result.rows_read} rows read, {result.rejected} rejected, "
        f"{len(result.skipped)} skipped; nothing was added (the reasons: --json, or "
        f"python -m loaders rejects --import-id {result.import_id} --out FILE.csv)",
        file=sys.stderr,
    )
    return 1


def _unknown(args: argparse.Namespace) -> int:
    """``unknown FILE --kind K``: the values an import would refuse, per column; exit 0 none, 1 some,
    2 the file cannot be read."""
    from loaders.importer import unknown_values_of_file
    from loaders.messages_zh import to_zh

    defaults, bad = _defaults(args)
    if bad is None:
        mapping, bad = _column_mapping(args)
    if bad is not None:
        return _fail(bad)
    try:
        report = unknown_values_of_file(args.path, args.kind, sheet=args.sheet, mapping=mapping, defaults=defaults)
    except ReadError as exc:
        return _fail(str(exc))
    if args.save_mapping:
        _save_mapping(args.db, args.kind, args.save_mapping, report.mapping)
    if args.json:
        print(
            json.dumps(
                {
                    "file": Path(args.path).name,
                    "kind": args.kind,
                    "sheet": report.sheet,
                    "header_row": report.header_row,
                    "rows_read": report.rows_read,
                    "unknown": [
                        {
                            "column": u.column,
                            "name": u.name,
                            "value": u.value,
                            "count": u.count,
                            "rows": list(u.rows),
                            "message": u.message,
                            "message_zh": to_zh(u.message),
                        }
                        for u in report.values
                    ],
                },
                ensure_ascii=False,
            )
        )
    else:
        where = f"sheet '{report.sheet}', " if report.sheet else ""
        print(
            f"{Path(args.path).name} ({where}header on row {report.header_row}, {report.rows_read} rows): "
            + (f"{len(report.values)} unknown values" if report.values else "no unknown values")
        )
        column = None
        for u in report.values:
            if u.column != column:
                column = u.column
                print(f"  {u.column} ({u.name}):")
            if u.rows:
                rows = ", ".join(map(str, u.rows)) + (" …" if u.count > len(u.rows) else "")
                on = f"{u.count} row{'s' if u.count > 1 else ''}: {rows}"
            else:
                on = f"every row ({u.count}): from the title rows or an option"
            print(f"    {u.value!r}  {on}  — {u.message}")
        if args.save_mapping:
            print(f"  mapping saved as '{args.save_mapping.strip()}' for {args.kind} (use it with --mapping)")
    return 1 if report.values else 0


def _demo_ensure_or_remove(args: argparse.Namespace) -> int:
    """``demo --ensure`` (the store ready before the server starts) or ``demo --remove`` (the demo records out)."""
    from store import Store, default_db_path

    if args.ensure:
        from loaders.demo.ensure import ensure_store

        ensure_store(args.db)
        return 0
    from store.demo_records import remove_demo

    path = Path(args.db) if args.db else default_db_path()
    if not path.exists():
        return _fail(f"store {path} does not exist (check --db or SAFETY_DB)")
    store = Store(path)
    store.ensure_schema()
    removal = remove_demo(store)
    if not removal.imports:
        print(f"no demo records in {path}: nothing to remove")
        return 0
    _audit(store, "demo_remove", ", ".join(removal.imports), removal.detail)
    print(
        f"removed the demo records from {path}: {removal.total:,} rows ({removal.counts}); "
        f"kept {removal.kept:,} imported rows"
    )
    print(f"已删除演示数据 {removal.total:,} 行，保留导入的数据 {removal.kept:,} 行")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from store import StoreBusy

    try:
        return _run(args)
    except StoreBusy as exc:  # another process held the store past the wait: nothing was written
        return _fail(str(exc))


def _run(args: argparse.Namespace) -> int:
    from loaders.demo.ensure import open_or_build

    if args.command == "schema":
        print(markdown_all())
        return 0
    if args.command == "demo" and (args.ensure or args.remove):
        return _demo_ensure_or_remove(args)
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
    if args.command == "unknown":
        return _unknown(args)
    if args.command == "import":
        from loaders import sandbox

        defaults, bad = _defaults(args)
        if bad is not None:
            return _fail(bad)
        sandbox.start()  # the reading processes' server starts while this one does the rest
        from loaders.importer import import_file
        from store import StoreBusy

        mapping, bad = _column_mapping(args)
        if bad is not None:
            return _fail(bad)
        try:
            result = import_file(
                lambda: open_or_build(args.db),
                args.path,
                args.kind,
                sheet=args.sheet,
                defaults=defaults,
                mapping=mapping,
            )
        except (ReadError, StoreBusy) as exc:  # StoreBusy: another process held the store too long; nothing written
            return _fail(str(exc))
        _audit(
            open_or_build(args.db),
            "import",
            result.import_id,
            f"{Path(args.path).name} · {args.kind} · new {result.new}, updated {result.updated}, "
            f"rejected {result.rejected}",
        )
        if args.save_mapping:
            _save_mapping(args.db, args.kind, args.save_mapping, result.mapping)
        _print_import(result, args)
        return _import_exit(result)
    if args.command == "undo":
        from store import UndoError

        store = open_or_build(args.db)
        try:
            undone = store.undo_import(args.import_id)
        except UndoError as exc:
            _audit(store, "undo", args.import_id, str(exc), "failed")
            return _fail(str(exc))
        file_name = store.scalar("SELECT file_name FROM imports WHERE import_id = ?", [args.import_id])
        _audit(store, "undo", args.import_id, f"{file_name} · removed {undone.removed}, restored {undone.restored}")
        print(
            f"undid import {args.import_id} ({file_name}): removed {undone.removed} rows it added, "
            f"restored {undone.restored} rows it updated"
        )
        return 0
    if args.command == "rejects":
        from loaders.importer import write_rejects

        store = open_or_build(args.db)
        if args.import_id and not store.import_exists(args.import_id):
            return _fail(f"no import with id '{args.import_id}' (see python -m loaders status)")
        n = write_rejects(store, args.out, args.import_id)
        print(f"wrote {n} rejected rows to {args.out}")
        return 0
    if args.command == "status":
        store = open_or_build(args.db)
        status = store.status()
        if args.json:
            print(json.dumps(status, ensure_ascii=False, default=str, indent=2))
        else:
            print(f"store: {status['db']}")
            for key in ("accidents", "hazards", "accident_stats", "hazard_stats", "targets"):
                info = status[key]
                span = info.get("dates") or info.get("periods") or info.get("years")
                print(
                    f"  {key:15s} {info['rows']:>10,} rows  {span['from']} … {span['to']}  {info['regions']:,} regions"
                )
            print(f"  rejected rows kept: {status['rejected_rows_kept']:,}")
            print("  last imports:")
            for imp in status["last_imports"]:
                undone = f"  (undone {imp['undone_at'][:19].replace('T', ' ')})" if imp.get("undone_at") else ""
                print(
                    f"    {imp['import_id']}  {imp['kind']:14s} {imp['file_name']}  +{imp['new_rows']} "
                    f"~{imp['updated_rows']} ✗{imp['rejected_rows']}{undone}"
                )
        return 0
    return 2
