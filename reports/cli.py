"""``python -m reports``: the numbers of the Briefing page, for a scheduled job or a test, and the
official monthly hazard report (工矿企业隐患排查治理情况月报表) as an XLSX laid out like the paper form.

    python -m reports brief --period 2024-01..2024-06 --region 湖南省 --format json
    python -m reports brief --period 2024-Q2 --region 430100 --industry 建筑施工 --format md --lang en
    python -m reports brief --period 2024-03 --region 湖南省 --format xlsx --report hazard-monthly --out r.xlsx
    python -m reports hazard-monthly --period 2024-03 --region 长沙市 --lang en --out r.xlsx   # the same report
    python -m reports brief --period last-month --region 湖南省 --format pptx --out pack.pptx   # the meeting pack
    python -m reports brief --period 2024-Q2 --region 430000 --format pdf --lang en --out pack.pdf

``--period`` also takes ``last-month`` (the last whole month) and ``ytd`` (this year to date), as the
app's links do, so that a monthly cron line needs no date arithmetic. Every file written is logged on
stderr, and appended to ``--log FILE``: "2025-07-01T07:00:04 wrote pack.pptx (8 slides) for 湖南省 430000
2025年6月 in 3.1 s".

Exit codes: 0 done; 2 a bad argument (period, region, industry, grade group, date, store path, a format
the report has not, a missing or unusable --out), with one line on stderr saying what was got and what
is wanted; 3 the PDF could not be made (no LibreOffice ``soffice`` on PATH, or it failed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import settings
from domain.grading import GRADE_GROUPS
from domain.industries import resolve_industry
from domain.periods import Period
from domain.regions import COUNTRY_CODE, RegionError, load_regions, resolve_region

if TYPE_CHECKING:
    import pandas as pd


REPORTS = ("brief", "hazard-monthly")
FORMATS = {"brief": ("json", "md", "pptx", "pdf"), "hazard-monthly": ("xlsx",)}
FILE_FORMATS = ("xlsx", "pptx", "pdf")  # written to --out only
WHAT = {"xlsx": "an Excel workbook", "pptx": "a PowerPoint file", "pdf": "a PDF"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints the usage too)
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--period",
        required=True,
        help="2024, 2024-03, 2024-Q2, 2024-01..2024-06, last-month or ytd "
        "(compared with the same period a year earlier; cut at today if it reaches into this month)",
    )
    p.add_argument("--region", required=True, help="adcode or name: 430000, 湖南省, 湖南, 长沙市岳麓区, 全国")
    p.add_argument(
        "--industry",
        action="extend",
        nargs="+",
        default=[],
        metavar="I",
        help="industry name, code or alias (repeatable): 建筑施工, construction, 危化",
    )
    p.add_argument("--db", help="store file (default: $SAFETY_DB, else data/safety.duckdb)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of --format md, xlsx, pptx and pdf")
    p.add_argument("--today", help="the date to cut the current period at, YYYY-MM-DD (default: today)")
    p.add_argument(
        "--out", help="write to this file (required for --format xlsx, pptx and pdf; json and md print otherwise)"
    )
    p.add_argument("--log", metavar="FILE", help="also append the line saying what was written to this file")


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="python -m reports", description="Reports from the production-safety store")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)
    b = sub.add_parser(
        "brief",
        help="the leadership brief for a period and region (or, with --report, "
        "another report of the same period and region)",
    )
    _common(b)
    b.add_argument("--grade", help=f"grade group: {', '.join(GRADE_GROUPS)} (default all)")
    b.add_argument(
        "--format",
        choices=("json", "md", "xlsx", "pptx", "pdf"),
        help="json (default) or md for the brief, pptx or pdf for its meeting pack (会议汇报材料); "
        "xlsx for --report hazard-monthly",
    )
    b.add_argument(
        "--report",
        choices=REPORTS,
        default="brief",
        help="brief (default), or hazard-monthly: 工矿企业隐患排查治理情况月报表 as XLSX",
    )
    h = sub.add_parser(
        "hazard-monthly",
        help="工矿企业隐患排查治理情况月报表, the monthly hazard report, as XLSX "
        "laid out like the paper form (python -m loaders import hazard-stats reads it back)",
    )
    _common(h)
    h.add_argument("--format", choices=("xlsx",), default="xlsx")
    return ap


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def monthly_table(
    db: str | None, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date
) -> pd.DataFrame:
    """The report table from the store (one place to adjust if ``monthly_report`` changes)."""
    from answers.rectification import monthly_report
    from loaders.demo.ensure import open_or_build

    return monthly_report(open_or_build(db), region, period, industries, today)


def _bad_out(out: str | None, fmt: str) -> str | None:
    """Why --out cannot be used for ``fmt`` (checked before the store is read)."""
    if out is None:
        return f"--out FILE.{fmt} is required for --format {fmt}" if fmt in FILE_FORMATS else None
    path = Path(out)
    if fmt in FILE_FORMATS and path.suffix.lower() != f".{fmt}":
        return f"--out '{out}' must end in .{fmt} (the file is {WHAT[fmt]})"
    if path.is_dir():
        return f"--out '{out}' is a directory (expected a file name)"
    if not path.parent.exists():
        return f"--out: the directory {path.parent} does not exist"
    return None


def parse_period(text: str, today: dt.date) -> Period:
    """A period code, or a preset of the app's links (``last-month``, ``ytd``), as of ``today``."""
    from links.filters import PRESETS, Filters

    if text in PRESETS:
        return Filters(text).period(today)
    return Period.parse(text).cut_at(today)


def log_written(line: str, log: str | None) -> None:
    """Say what was written: a timestamped line on stderr, and appended to ``log``."""
    stamped = f"{dt.datetime.now().isoformat(timespec='seconds')} {line}"
    print(stamped, file=sys.stderr)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(stamped + "\n")


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
    if args.log and not Path(args.log).parent.exists():
        return _fail(f"--log: the directory {Path(args.log).parent} does not exist")
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        return _fail(f"--today '{args.today}' is not a date (expected YYYY-MM-DD, e.g. 2024-06-30)")
    try:
        period = parse_period(args.period, today)
    except ValueError as exc:
        return _fail(f"--period: {exc}")
    if report == "hazard-monthly" and period.is_cut:
        return _fail(
            f"--period: the monthly report covers whole months, and {period.end} is not over on {today} "
            "(give an earlier period, or --today)"
        )
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
    if fmt == "pdf":
        from reports.pdf_pack import MISSING_MESSAGE, pdf_available

        if not pdf_available():
            print(f"error: --format pdf: {MISSING_MESSAGE}", file=sys.stderr)
            return 3
    if args.db and not Path(args.db).exists():
        return _fail(
            f"--db: no store at {args.db} (build one with python -m loaders demo --db PATH, or import files into it)"
        )

    started = time.monotonic()
    where = f"{load_regions()[region].name if region != COUNTRY_CODE else '全国'} {region} {period.label(args.lang)}"
    if report == "hazard-monthly":
        from reports.hazard_monthly import write_hazard_monthly_xlsx

        table = monthly_table(args.db, region, period, tuple(industries) or None, today)
        out = write_hazard_monthly_xlsx(
            table, args.out, region_code=region, period=period, lang=args.lang, made_on=today
        )
        print(f"wrote {out}")
        log_written(
            f"wrote {out} (monthly hazard report, {len(table)} rows) for {where} in {time.monotonic() - started:.1f} s",
            args.log,
        )
        return 0

    from analytics.brief import build_brief
    from analytics.brief_json import brief_json
    from answers.brief_data import StoreData
    from loaders.demo.ensure import open_or_build
    from reports.markdown import brief_markdown

    store = open_or_build(args.db)
    expected = settings.expected_regions()
    brief = build_brief(StoreData(store, expected), period, region, tuple(industries), grade, today)
    if fmt in ("pptx", "pdf"):
        return _write_pack(store, brief, fmt, args, today, where, started)
    if fmt == "json":
        text = json.dumps(brief_json(brief), ensure_ascii=False, indent=2) + "\n"
    else:
        text = brief_markdown(brief, args.lang)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
        log_written(f"wrote {args.out} (brief, {fmt}) for {where} in {time.monotonic() - started:.1f} s", args.log)
    else:
        print(text, end="")
    return 0


def _write_pack(store, brief, fmt: str, args: argparse.Namespace, today: dt.date, where: str, started: float) -> int:
    from reports.pack import build_pack
    from reports.pack_gather import gather

    pack = build_pack(gather(store, brief, today, expected=settings.expected_regions()), args.lang, today)
    if fmt == "pptx":
        from reports.pptx_pack import write_pptx

        out = write_pptx(pack, args.out)
    else:
        from reports.pdf_pack import PdfConversionFailed, PdfEngineMissing, write_pdf

        try:
            out = write_pdf(pack, args.out)
        except (PdfEngineMissing, PdfConversionFailed) as exc:
            print(f"error: --format pdf: {exc}", file=sys.stderr)
            return 3
    print(f"wrote {out}")
    log_written(f"wrote {out} ({len(pack.slides)} slides) for {where} in {time.monotonic() - started:.1f} s", args.log)
    return 0
