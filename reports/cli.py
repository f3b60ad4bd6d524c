"""``python -m reports brief``: the numbers of the Briefing page, for a scheduled job or a test.

    python -m reports brief --period 2024-01..2024-06 --region 湖南省 --format json
    python -m reports brief --period 2024-Q2 --region 430100 --industry 建筑施工 --format md --lang en

Exit codes: 0 done; 2 a bad argument (period, region, industry, grade group, date, store path), with
one line on stderr saying what was got and what is wanted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from analytics.accidents import GRADE_GROUPS
from domain.industries import resolve_industry
from domain.periods import Period
from domain.regions import RegionError, resolve_region


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints the usage too)
        print(f"error: {message} (see python -m reports brief --help)", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="python -m reports", description="Reports from the production-safety store")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)
    b = sub.add_parser("brief", help="the leadership brief for a period and region")
    b.add_argument("--period", required=True, help="2024, 2024-03, 2024-Q2 or 2024-01..2024-06 "
                   "(compared with the same period a year earlier; cut at today if it reaches into this month)")
    b.add_argument("--region", required=True, help="adcode or name: 430000, 湖南省, 湖南, 长沙市岳麓区, 全国")
    b.add_argument("--industry", action="extend", nargs="+", default=[], metavar="I",
                   help="industry name, code or alias (repeatable): 建筑施工, construction, 危化")
    b.add_argument("--grade", default="all", help=f"grade group: {', '.join(GRADE_GROUPS)} (default all)")
    b.add_argument("--db", help="store file (default: $SAFETY_DB, else data/safety.duckdb)")
    b.add_argument("--format", choices=("json", "md"), default="json")
    b.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of --format md")
    b.add_argument("--today", help="the date to cut the current period at, YYYY-MM-DD (default: today)")
    return ap


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        return _fail(f"--today '{args.today}' is not a date (expected YYYY-MM-DD, e.g. 2024-06-30)")
    try:
        period = Period.parse(args.period).cut_at(today)
    except ValueError as exc:
        return _fail(f"--period: {exc}")
    try:
        region = resolve_region(args.region)
    except RegionError as exc:
        return _fail(f"--region: {exc}")
    industries: list[str] = []
    for text in args.industry:
        try:
            code = resolve_industry(text)
        except ValueError as exc:
            return _fail(f"--industry: {exc}")
        if code not in industries:
            industries.append(code)
    if args.grade not in GRADE_GROUPS:
        return _fail(f"--grade must be one of {', '.join(GRADE_GROUPS)}, got '{args.grade}'")
    if args.db and not Path(args.db).exists():
        return _fail(f"--db: no store at {args.db} (build one with python -m loaders demo --db PATH, "
                     "or import files into it)")

    from analytics.brief import build_brief
    from reports.markdown import brief_markdown
    from store import open_store
    from store.queries import StoreData

    brief = build_brief(StoreData(open_store(args.db)), period, region, tuple(industries), args.grade, today)
    if args.format == "json":
        print(json.dumps(brief.to_json(), ensure_ascii=False, indent=2))
    else:
        print(brief_markdown(brief, args.lang), end="")
    return 0
