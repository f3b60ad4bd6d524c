"""``python -m reports``: the numbers of the Briefing page, for a scheduled job or a test, and the
official monthly hazard report (工矿企业隐患排查治理情况月报表) as an XLSX laid out like the paper form.

    python -m reports brief --period 2024-01..2024-06 --region 湖南省 --format json
    python -m reports brief --period 2024-Q2 --region 430100 --industry 建筑施工 --format md --lang en
    python -m reports brief --period 2024-03 --region 湖南省 --format xlsx --report hazard-monthly --out r.xlsx
    python -m reports hazard-monthly --period 2024-03 --region 长沙市 --lang en --out r.xlsx   # the same report

Exit codes: 0 done; 2 a bad argument (period, region, industry, grade group, date, store path, a format
the report has not, a missing or unusable --out), with one line on stderr saying what was got and what
is wanted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.accidents import GRADE_GROUPS
from domain.industries import resolve_industry
from domain.periods import Period
from domain.regions import RegionError, resolve_region

if TYPE_CHECKING:
    import pandas as pd


REPORTS = ("brief", "hazard-monthly")
FORMATS = {"brief": ("json", "md"), "hazard-monthly": ("xlsx",)}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints the usage too)
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help="2024, 2024-03, 2024-Q2 or 2024-01..2024-06 "
                   "(compared with the same period a year earlier; cut at today if it reaches into this month)")
    p.add_argument("--region", required=True, help="adcode or name: 430000, 湖南省, 湖南, 长沙市岳麓区, 全国")
    p.add_argument("--industry", action="extend", nargs="+", default=[], metavar="I",
                   help="industry name, code or alias (repeatable): 建筑施工, construction, 危化")
    p.add_argument("--db", help="store file (default: $SAFETY_DB, else data/safety.duckdb)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of --format md and xlsx")
    p.add_argument("--today", help="the date to cut the current period at, YYYY-MM-DD (default: today)")
    p.add_argument("--out", help="write to this file (required for --format xlsx; json and md print otherwise)")


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="python -m reports", description="Reports from the production-safety store")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)
    b = sub.add_parser("brief", help="the leadership brief for a period and region (or, with --report, "
                       "another report of the same period and region)")
    _common(b)
    b.add_argument("--grade", help=f"grade group: {', '.join(GRADE_GROUPS)} (default all)")
    b.add_argument("--format", choices=("json", "md", "xlsx"),
                   help="json (default) or md for the brief; xlsx for --report hazard-monthly")
    b.add_argument("--report", choices=REPORTS, default="brief",
                   help="brief (default), or hazard-monthly: 工矿企业隐患排查治理情况月报表 as XLSX")
    h = sub.add_parser("hazard-monthly", help="工矿企业隐患排查治理情况月报表, the monthly hazard report, as XLSX "
                       "laid out like the paper form (python -m loaders import hazard-stats reads it back)")
    _common(h)
    h.add_argument("--format", choices=("xlsx",), default="xlsx")
    return ap


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def monthly_table(db: str | None, region: str, period: Period, industries: tuple[str, ...] | None,
                  today: dt.date) -> pd.DataFrame:
    """The report table from the store (one place to adjust if ``monthly_report`` changes)."""
    from analytics.rectification import monthly_report
    from store import open_store

    return monthly_report(open_store(db), region, period, industries, today)


def _bad_out(out: str | None, fmt: str) -> str | None:
    """Why --out cannot be used for ``fmt`` (checked before the store is read)."""
    if out is None:
        return "--out FILE.xlsx is required for --format xlsx" if fmt == "xlsx" else None
    path = Path(out)
    if fmt == "xlsx" and path.suffix.lower() != ".xlsx":
        return f"--out '{out}' must end in .xlsx (the file is an Excel workbook)"
    if path.is_dir():
        return f"--out '{out}' is a directory (expected a file name)"
    if not path.parent.exists():
        return f"--out: the directory {path.parent} does not exist"
    return None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    report = args.command if args.command != "brief" else args.report
    fmt = args.format or FORMATS[report][0]
    if fmt not in FORMATS[report]:
        wanted = " or ".join(f"--format {f}" for f in FORMATS[report])
        return _fail(f"--format {fmt} is not a format of the {report} report (expected {wanted})")
    if report != "brief" and getattr(args, "grade", None) is not None:
        return _fail(f"--grade does not apply to the {report} report (it counts hidden dangers, not accidents)")
    bad = _bad_out(args.out, fmt)
    if bad is not None:
        return _fail(bad)
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        return _fail(f"--today '{args.today}' is not a date (expected YYYY-MM-DD, e.g. 2024-06-30)")
    try:
        period = Period.parse(args.period).cut_at(today)
    except ValueError as exc:
        return _fail(f"--period: {exc}")
    if report == "hazard-monthly" and period.is_cut:
        return _fail(f"--period: the monthly report covers whole months, and {period.end} is not over on {today} "
                     "(give an earlier period, or --today)")
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
    grade = getattr(args, "grade", None) or "all"
    if grade not in GRADE_GROUPS:
        return _fail(f"--grade must be one of {', '.join(GRADE_GROUPS)}, got '{grade}'")
    if args.db and not Path(args.db).exists():
        return _fail(f"--db: no store at {args.db} (build one with python -m loaders demo --db PATH, "
                     "or import files into it)")

    if report == "hazard-monthly":
        from reports.hazard_monthly import write_hazard_monthly_xlsx

        table = monthly_table(args.db, region, period, tuple(industries) or None, today)
        out = write_hazard_monthly_xlsx(table, args.out, region_code=region, period=period, lang=args.lang,
                                        made_on=today)
        print(f"wrote {out}")
        return 0

    from analytics.brief import build_brief
    from reports.markdown import brief_markdown
    from store import open_store
    from store.queries import StoreData

    brief = build_brief(StoreData(open_store(args.db)), period, region, tuple(industries), grade, today)
    if fmt == "json":
        text = json.dumps(brief.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = brief_markdown(brief, args.lang)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return 0
