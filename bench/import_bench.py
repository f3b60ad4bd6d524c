"""Import throughput at scale: writes an N-row accident ledger (CSV in GBK, and XLSX with a title row and
a 合计 row) and an N-row hazard ledger (CSV in UTF-8), imports each into a fresh store, imports it again
(nothing changes) and prints rows per second, wall and CPU (this process and the reading process each
import starts, all threads). Also times the default demo build.

    .venv/bin/python -m bench import --rows 1000000                    # the README numbers (no demo build)
    .venv/bin/python bench/import_bench.py --rows 1000000              # the same, and the demo build
    .venv/bin/python bench/import_bench.py --rows 100000 --skip-demo   # a quick look
    .venv/bin/python bench/import_bench.py --files DIR --skip-demo     # keep the files in DIR (reused when there)

Numbers are measured, never asserted: tests do not time anything.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.regions import load_regions  # noqa: E402
from loaders.importer import import_file  # noqa: E402
from store import open_store  # noqa: E402

HEADER = [
    "事故编号",
    "发生时间",
    "地区",
    "行业领域",
    "事故单位",
    "死亡人数（人）",
    "失踪人数",
    "重伤人数",
    "直接经济损失（万元）",
    "事故类型",
    "事故等级",
    "事故简况",
]


def ledger(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    regions = load_regions()
    counties = [r for r in regions.values() if r.level == "county"]
    names = np.array([r.full_name if i % 3 == 0 else r.code for i, r in enumerate(counties)], dtype=object)
    start = np.datetime64("2019-01-01T00:00")
    minutes = rng.integers(0, 60 * 24 * 365 * 7, rows)
    when = pd.Series(start + minutes.astype("timedelta64[m]")).dt.strftime("%Y-%m-%d %H:%M")
    deaths = rng.choice([0, 1, 1, 1, 2, 3], rows)
    return pd.DataFrame(
        {
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
        },
        columns=HEADER,
    )


HAZARD_HEADER = [
    "隐患编号",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "行业领域",
    "地址",
    "隐患描述",
    "隐患类别",
    "隐患级别",
    "隐患来源",
    "发现日期",
    "整改期限",
    "整改完成日期",
    "验收日期",
    "整改状态",
    "整改资金（万元）",
    "整改责任人",
    "挂牌督办",
]


def hazard_ledger(rows: int, seed: int = 2) -> pd.DataFrame:
    """A clean hazard ledger: every row valid, dates in order, statuses as the dates say."""
    rng = np.random.default_rng(seed)
    regions = load_regions()
    counties = [r for r in regions.values() if r.level == "county"]
    names = np.array([r.full_name if i % 3 == 0 else r.code for i, r in enumerate(counties)], dtype=object)
    found = np.datetime64("2019-01-01") + rng.integers(0, 365 * 6, rows).astype("timedelta64[D]")
    deadline = found + rng.integers(1, 60, rows).astype("timedelta64[D]")
    rect_days = rng.integers(0, 90, rows).astype("timedelta64[D]")
    stage = rng.choice([0, 1, 2, 2, 3, 3, 3, 3], rows)  # 0 found, 1 rectifying, 2 rectified, 3 closed
    rectified = np.where(stage >= 2, found + rect_days, np.datetime64("NaT"))
    accepted = np.where(
        stage >= 3, rectified + rng.integers(0, 20, rows).astype("timedelta64[D]"), np.datetime64("NaT")
    )

    def day(values: np.ndarray) -> pd.Series:
        return pd.Series(values.astype("datetime64[D]")).dt.strftime("%Y-%m-%d").fillna("")

    major = rng.random(rows) < 0.01
    return pd.DataFrame(
        {
            "隐患编号": [f"YH-{i:08d}" for i in range(rows)],
            "企业名称": np.char.add("某某企业", rng.integers(0, 200_000, rows).astype(str)),
            "统一社会信用代码": np.char.add("91430100MA4L", rng.integers(100000, 999999, rows).astype(str)),
            "所在地区": names[rng.integers(0, len(names), rows)],
            "行业领域": rng.choice(["工贸", "危化", "建筑施工", "燃气", "消防", "煤矿", "道路运输"], rows),
            "地址": np.char.add("某路", rng.integers(1, 2000, rows).astype(str)),
            "隐患描述": np.char.add("安全出口堵塞，编号", np.arange(rows).astype(str)),
            "隐患类别": rng.choice(["消防安全", "电气安全", "设备设施", "现场管理", "特种作业"], rows),
            "隐患级别": np.where(major, "重大", "一般"),
            "隐患来源": rng.choice(["企业自查", "执法检查", "举报", "专家"], rows),
            "发现日期": day(found),
            "整改期限": day(deadline),
            "整改完成日期": day(rectified),
            "验收日期": day(accepted),
            "整改状态": np.array(["未整改", "整改中", "已整改", "已验收"])[stage],
            "整改资金（万元）": np.round(rng.gamma(1.0, 3.0, rows), 2),
            "整改责任人": rng.choice(["张三", "李四", "王五", "赵六"], rows),
            "挂牌督办": np.where(major, rng.choice(["县级", "市级", "省级"], rows), "无"),
        },
        columns=HAZARD_HEADER,
    )


def write_xlsx(df: pd.DataFrame, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("事故台账")
    ws.write_row(0, 0, ["生产安全事故台账（基准测试）"])
    ws.write_row(1, 0, list(df.columns))
    for i, row in enumerate(df.itertuples(index=False), start=2):
        ws.write_row(i, 0, row)
    ws.write_row(len(df) + 2, 0, ["合计"])
    wb.close()


def cpu_seconds() -> float:
    """CPU seconds of this process, its finished children and the reading processes, all threads."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        from loaders.sandbox import child_cpu_seconds
    except ImportError:  # an older checkout reads in this process
        reading = 0.0
    else:
        reading = child_cpu_seconds()
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + reading


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of ``fn()``, printed with its result."""
    t0, c0 = time.perf_counter(), cpu_seconds()
    result = fn()
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU {'' if result is None else result}", flush=True)
    return wall, cpu


def run(rows: int, files: Path | None = None, xlsx: bool = True) -> list[dict[str, Any]]:
    """Write (or reuse, in ``files``) the ledgers and import each into a fresh store twice: the
    results as records (what, rows, wall and CPU seconds, rows per second of the wall time)."""
    records: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        where = files or tmpdir
        where.mkdir(parents=True, exist_ok=True)
        cases = [
            (
                "accident ledger, CSV in GBK",
                where / f"accidents-{rows}.csv",
                "accidents",
                lambda p: ledger(rows).to_csv(p, index=False, encoding="gb18030"),
            ),
            (
                "hazard ledger, CSV in UTF-8",
                where / f"hazards-{rows}.csv",
                "hazards",
                lambda p: hazard_ledger(rows).to_csv(p, index=False, encoding="utf-8"),
            ),
        ]
        if xlsx:
            cases.append(
                (
                    "accident ledger, XLSX (title row, 合计 row)",
                    where / f"accidents-{rows}.xlsx",
                    "accidents",
                    lambda p: write_xlsx(ledger(rows), p),
                )
            )
        for what, path, kind, write in cases:
            if not path.exists():
                timed(f"write {path.name}", lambda write=write, path=path: write(path))
            store = open_store(tmpdir / f"{path.stem}{path.suffix}.duckdb")
            for attempt in ("import", "re-import (nothing changes)"):
                wall, cpu = timed(
                    f"{attempt} {path.name}",
                    lambda store=store, path=path, kind=kind: import_file(store, path, kind).summary(),
                )
                records.append(
                    {
                        "what": what,
                        "attempt": attempt,
                        "rows": rows,
                        "wall_s": round(wall, 2),
                        "cpu_s": round(cpu, 2),
                        "rows_per_s": round(rows / wall),
                    }
                )
                print(
                    f"  {what}, {attempt}: {rows:,} rows, {rows / wall:,.0f} rows/s (wall), "
                    f"{rows / cpu:,.0f} rows per CPU second",
                    flush=True,
                )
    return records


def markdown(records: list[dict[str, Any]]) -> str:
    lines = ["| what | rows | wall | CPU | rows/s |", "|---|---:|---:|---:|---:|"]
    for r in records:
        lines.append(
            f"| {r['what']}, {r['attempt']} | {r['rows']:,} | {r['wall_s']:.1f} s | {r['cpu_s']:.1f} s | "
            f"{r['rows_per_s']:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=Path, help="keep the generated files here (and reuse them)")
    ap.add_argument("--skip-demo", action="store_true")
    ap.add_argument("--skip-xlsx", action="store_true")
    args = ap.parse_args()
    records = run(args.rows, args.files, xlsx=not args.skip_xlsx)
    print("\n" + markdown(records))
    if not args.skip_demo:
        from loaders.demo import build_demo_store

        with tempfile.TemporaryDirectory() as tmp:
            timed("demo build (default size)", lambda: build_demo_store(Path(tmp) / "demo.duckdb"))


if __name__ == "__main__":
    main()
