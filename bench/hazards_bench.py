"""Folded into ``python -m bench questions`` (bench/run.py), which times the same rectification answers
(the 隐患整改 page's ``load``, the brief's ``summary``, the monthly report) beside the rest and against raw
DuckDB SQL. Kept so that the old commands still work:

    .venv/bin/python bench/hazards_bench.py --db data/safety.duckdb    # = python -m bench questions --store …
    .venv/bin/python bench/hazards_bench.py --build 1000000            # = python -m bench questions --hazards …
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import main as bench_main  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="an existing store")
    ap.add_argument("--build", type=int, help="a demo store with this many hazards (cached in bench/.cache/)")
    args = ap.parse_args()
    if args.build:
        return bench_main(["questions", "--hazards", str(args.build)])
    return bench_main(["questions", "--store", args.db or "data/safety.duckdb"])


if __name__ == "__main__":
    raise SystemExit(main())
