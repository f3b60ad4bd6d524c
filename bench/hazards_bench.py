"""Time the rectification answers (the 隐患整改 page's analytics and the monthly report) on a store.

    .venv/bin/python bench/hazards_bench.py --db data/safety.duckdb
    .venv/bin/python bench/hazards_bench.py --build 1000000      # a fresh demo store with N hazards first

Numbers are measured, never asserted: tests do not time anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.rectification import load, monthly_report, summary  # noqa: E402
from domain.periods import Period  # noqa: E402
from store import open_store  # noqa: E402

CASES = [("100000", "2024"), ("430000", "2024"), ("430100", "2024-03")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="an existing store")
    ap.add_argument("--build", type=int, help="build a demo store with this many hazards first")
    ap.add_argument("--today", default="2025-06-15")
    args = ap.parse_args()
    today = dt.date.fromisoformat(args.today)
    if args.build:
        from loaders.demo import build_demo_store

        db = Path(tempfile.mkdtemp()) / "bench.duckdb"
        t0 = time.perf_counter()
        build_demo_store(db, hazards=args.build, today=today)
        print(f"built a demo store with {args.build:,} hazards in {time.perf_counter() - t0:.1f} s")
    else:
        db = Path(args.db or "data/safety.duckdb")
    store = open_store(db)
    print(f"store: {db} ({store.status()['hazards']['rows']:,} hazard records)")
    for region, period_text in CASES:
        period = Period.parse(period_text).cut_at(today)
        for name, fn in (("page (load)", lambda r=region, p=period: load(store, r, p, None, today)),
                         ("brief summary", lambda r=region, p=period: summary(store, r, p.first_day, p.last_day)),
                         ("monthly report", lambda r=region, p=period: monthly_report(store, r, p, None, today))):
            t0 = time.perf_counter()
            fn()
            print(f"{region} {period_text:8} {name:15} {time.perf_counter() - t0:6.2f} s")


if __name__ == "__main__":
    main()
