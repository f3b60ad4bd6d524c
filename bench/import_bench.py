"""Import throughput at scale: writes N-row accident ledgers as CSV (GBK) and XLSX, imports each
into a fresh store and prints rows per second. Also times the default demo build.

    .venv/bin/python bench/import_bench.py --rows 1000000            # the README numbers
    .venv/bin/python bench/import_bench.py --rows 100000 --skip-demo  # a quick look

Numbers are measured, never asserted: tests do not time anything.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.regions import load_regions  # noqa: E402
from loaders.importer import import_file  # noqa: E402
from store import open_store  # noqa: E402

HEADER = ["事故编号", "发生时间", "地区", "行业领域", "事故单位", "死亡人数（人）", "失踪人数", "重伤人数",
          "直接经济损失（万元）", "事故类型", "事故等级", "事故简况"]


def ledger(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    regions = load_regions()
    counties = [r for r in regions.values() if r.level == "county"]
    names = np.array([r.full_name if i % 3 == 0 else r.code for i, r in enumerate(counties)], dtype=object)
    start = np.datetime64("2019-01-01T00:00")
    minutes = rng.integers(0, 60 * 24 * 365 * 7, rows)
    when = pd.Series(start + minutes.astype("timedelta64[m]")).dt.strftime("%Y-%m-%d %H:%M")
    deaths = rng.choice([0, 1, 1, 1, 2, 3], rows)
    return pd.DataFrame({
        "事故编号": [f"B-{i:08d}" for i in range(rows)],
        "发生时间": when,
        "地区": names[rng.integers(0, len(names), rows)],
        "行业领域": rng.choice(["道路运输", "建筑施工", "工贸", "危化", "消防", "燃气"], rows),
        "事故单位": np.char.add("某某企业", rng.integers(0, 50_000, rows).astype(str)),
        "死亡人数（人）": deaths,
        "失踪人数": rng.choice([0, 0, 0, 1], rows),
        "重伤人数": rng.integers(0, 4, rows),
        "直接经济损失（万元）": np.round(rng.gamma(1.2, 60.0, rows), 2),
        "事故类型": rng.choice(["车辆伤害", "高处坠落", "物体打击", "机械伤害", "火灾", "其他爆炸"], rows),
        "事故等级": np.where(deaths >= 3, "较大", "一般"),
        "事故简况": np.char.add("发生一起事故，编号", np.arange(rows).astype(str)),
    }, columns=HEADER)


def write_xlsx(df: pd.DataFrame, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("事故台账")
    ws.write_row(0, 0, ["生产安全事故台账（基准测试）"])
    ws.write_row(1, 0, HEADER)
    for i, row in enumerate(df.itertuples(index=False), start=2):
        ws.write_row(i, 0, row)
    ws.write_row(len(df) + 2, 0, ["合计"])
    wb.close()


def timed(label: str, fn) -> float:
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    print(f"{label}: {elapsed:.1f} s {'' if result is None else result}", flush=True)
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--skip-demo", action="store_true")
    ap.add_argument("--skip-xlsx", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        df = ledger(args.rows)
        csv_path = tmpdir / "ledger.csv"
        timed("write CSV (GBK)", lambda: df.to_csv(csv_path, index=False, encoding="gb18030"))
        store = open_store(tmpdir / "csv.duckdb")
        secs = timed("import CSV", lambda: import_file(store, csv_path, "accidents").summary())
        print(f"CSV: {args.rows:,} rows, {args.rows / secs:,.0f} rows/s")
        if not args.skip_xlsx:
            xlsx_path = tmpdir / "ledger.xlsx"
            timed("write XLSX", lambda: write_xlsx(df, xlsx_path))
            store = open_store(tmpdir / "xlsx.duckdb")
            secs = timed("import XLSX", lambda: import_file(store, xlsx_path, "accidents").summary())
            print(f"XLSX: {args.rows:,} rows, {args.rows / secs:,.0f} rows/s")
            timed("re-import XLSX (nothing changes)", lambda: import_file(store, xlsx_path, "accidents").summary())
        if not args.skip_demo:
            from loaders.demo import build_demo_store

            timed("demo build (default size)", lambda: build_demo_store(tmpdir / "demo.duckdb"))


if __name__ == "__main__":
    main()
