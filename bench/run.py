"""The benchmark: one command, four subcommands. Numbers are measured, never asserted (tests time nothing).

    .venv/bin/python -m bench build                        # the cached demo stores: 300 000 and 10 M hazards
    .venv/bin/python -m bench build --hazards 1000000      # another size (100 M only when asked like this)
    .venv/bin/python -m bench questions --store PATH [--repeat 5] [--json out.json]
    .venv/bin/python -m bench questions --hazards 300000   # the cached store of that size (built if missing)
    .venv/bin/python -m bench pages --store PATH [--json out.json] [--server-env SAFETY_WARM_UP=0]
    .venv/bin/python -m bench all --hazards 300000 1000000 [--json out.json]
    .venv/bin/python -m bench import [--rows 1000000] [--files DIR] [--skip-xlsx] [--json out.json]

``python bench/run.py …`` works the same. Stores are built by ``python -m loaders demo --hazards N --db PATH``
and cached in bench/.cache/ (gitignored); a cached store is reused while its file exists (``--rebuild``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.build import DEFAULT_SIZES, build_markdown, ensure_store  # noqa: E402
from bench.common import machine, machine_markdown, write_json  # noqa: E402


def _stores(args: argparse.Namespace) -> list[Path]:
    """--store PATH… as given, else the cached stores of --hazards N… (built when missing)."""
    if getattr(args, "store", None):
        missing = [p for p in args.store if not Path(p).exists()]
        if missing:
            raise SystemExit(f"no store at {', '.join(missing)} (build one: python -m bench build --hazards N)")
        return [Path(p) for p in args.store]
    return [ensure_store(n, args.rebuild)[0] for n in args.hazards]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, sizes: tuple[int, ...], store: bool = True) -> None:
        p.add_argument(
            "--hazards",
            type=int,
            nargs="+",
            default=list(sizes),
            metavar="N",
            help=f"demo store sizes in hazards (default: {' '.join(map(str, sizes))})",
        )
        p.add_argument("--rebuild", action="store_true", help="build the stores again even when cached")
        if store:
            p.add_argument("--store", nargs="+", metavar="PATH", help="existing stores instead of --hazards")
        p.add_argument("--json", metavar="PATH", help="also write the results as JSON")

    common(sub.add_parser("build", help="build and cache demo stores"), DEFAULT_SIZES, store=False)
    q = sub.add_parser("questions", help="time the questions: project functions against raw DuckDB SQL")
    common(q, DEFAULT_SIZES[:1])
    q.add_argument("--repeat", type=int, default=5, help="timed runs per question after one warm-up (median)")
    p = sub.add_parser("pages", help="time every page in headless Chromium against a live server")
    common(p, DEFAULT_SIZES[:1])
    p.add_argument(
        "--server-env",
        nargs="+",
        default=[],
        metavar="KEY=VALUE",
        help="more environment for the dashboard, e.g. SAFETY_WARM_UP=0",
    )
    imp = sub.add_parser("import", help="time importing N-row ledgers (CSV in GBK and UTF-8, XLSX) into a fresh store")
    imp.add_argument("--rows", type=int, default=1_000_000)
    imp.add_argument("--files", type=Path, help="keep the generated files here (and reuse them)")
    imp.add_argument("--skip-xlsx", action="store_true")
    imp.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    a = sub.add_parser("all", help="build, questions and pages for each size, with the machine")
    common(a, DEFAULT_SIZES)
    a.add_argument("--repeat", type=int, default=5)
    a.add_argument("--skip-pages", action="store_true")
    a.add_argument("--server-env", nargs="+", default=[], metavar="KEY=VALUE")
    args = ap.parse_args(argv)

    out: dict = {"machine": machine()}
    if args.command == "import":
        from bench.import_bench import markdown, run

        out["import"] = run(args.rows, args.files, xlsx=not args.skip_xlsx)
        print("\n" + markdown(out["import"]) + "\n")
    elif args.command == "build":
        records = []
        for n in args.hazards:
            path, info = ensure_store(n, args.rebuild)
            records.append((n, path, info))
        print("\n" + build_markdown(records))
        out["builds"] = [{"hazards": n, "store": str(p), **(i or {})} for n, p, i in records]
    elif args.command == "questions":
        from bench.questions import questions_markdown, run_questions

        out["questions"] = []
        for path in _stores(args):
            print(f"questions on {path}:", flush=True)
            res = run_questions(path, args.repeat)
            out["questions"].append(res)
            print("\n" + questions_markdown(res) + "\n", flush=True)
    elif args.command == "pages":
        from bench.pages import pages_markdown, run_pages

        out["pages"] = []
        for path in _stores(args):
            print(f"pages on {path}:", flush=True)
            res = run_pages(path, extra_env=dict(kv.split("=", 1) for kv in args.server_env))
            out["pages"].append(res)
            print("\n" + pages_markdown(res) + "\n", flush=True)
    else:
        from bench.pages import pages_markdown, run_pages
        from bench.questions import questions_markdown, run_questions

        if args.store:
            records = [(None, Path(s), None) for s in _stores(args)]
        else:
            records = [(n, *ensure_store(n, args.rebuild)) for n in args.hazards]
        sections = [f"# Benchmark\n\n{machine_markdown(out['machine'])}"]
        if any(n is not None for n, _, _ in records):
            sections.append("## Stores\n\n" + build_markdown([r for r in records if r[0] is not None]))
        out["runs"] = []
        for _n, path, info in records:
            print(f"questions on {path}:", flush=True)
            run: dict = {"store": str(path), "build": info, "questions": run_questions(path, args.repeat)}
            section = f"## {path.name}\n\n" + questions_markdown(run["questions"])
            if not args.skip_pages:
                print(f"pages on {path}:", flush=True)
                run["pages"] = run_pages(path, extra_env=dict(kv.split("=", 1) for kv in args.server_env))
                section += "\n\n" + pages_markdown(run["pages"])
            out["runs"].append(run)
            sections.append(section)
        print("\n\n" + "\n\n".join(sections) + "\n")
    if args.command != "all":
        print(machine_markdown(out["machine"]))
    if args.json:
        write_json(args.json, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
