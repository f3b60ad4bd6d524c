"""Demo stores of N hazards, built once with the project's own command and cached under bench/.cache/.

The store is built by ``python -m loaders demo --hazards N [--accidents M] --db PATH``: up to a million hazards
with the demo's accidents (about 195,000), from 10 M hazards one accident record for every ten hazards (at most 1 M), as the
issue's reference store "10 M hazards + 1 M accidents" (the statistics tables do not grow). A cached store is
reused as long as its file exists (with a warning when the demo builder's source or the command has changed
since); delete it or pass ``--rebuild`` to build again. Next to it, ``<store>.build.json`` keeps what the build printed, its wall time, the peak RSS of
the builder and a hash of the builder's source. The demo data run up to the day of the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import CACHE, ROOT

DEFAULT_SIZES = (300_000, 10_000_000)  # the demo store (the default build of SAFETY_DB) and 10 M


def store_path(hazards: int) -> Path:
    return CACHE / f"demo-{hazards}h.duckdb"


MAX_ACCIDENTS = 1_000_000  # the accident generator holds its records in pandas: 10 M would need about 17 GB


def accidents_for(hazards: int) -> int | None:
    """The accident records of the store of ``hazards`` hazards: None (the demo's own) below 10 M, then one
    for every ten hazards up to ``MAX_ACCIDENTS`` (the 100 M store has 1 M accident records)."""
    return min(hazards // 10, MAX_ACCIDENTS) if hazards >= 10_000_000 else None


def build_command(hazards: int, path: Path) -> list[str]:
    accidents = accidents_for(hazards)
    return [
        sys.executable,
        "-m",
        "loaders",
        "demo",
        "--hazards",
        str(hazards),
        *(["--accidents", str(accidents)] if accidents else []),
        "--db",
        str(path),
    ]


def builder_fingerprint() -> str:
    """A hash of the demo builder's source (loaders/demo/, loaders/cli.py): a cached store built by other code
    is reported as stale (the data, or its order on disk, may differ)."""
    h = hashlib.sha256()
    for f in sorted((ROOT / "loaders" / "demo").glob("*.py")) + [ROOT / "loaders" / "cli.py"]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def build_info(path: Path) -> dict[str, Any] | None:
    info = path.with_name(path.name + ".build.json")
    try:
        return json.loads(info.read_text())
    except (OSError, ValueError):
        return None


def ensure_store(hazards: int, rebuild: bool = False) -> tuple[Path, dict[str, Any] | None]:
    """The cached demo store of ``hazards`` hazards, built first if missing; (path, its build record)."""
    path = store_path(hazards)
    cmd = build_command(hazards, path)
    if path.exists() and not rebuild:
        info = build_info(path)
        print(f"store of {hazards:,} hazards: cached at {path.relative_to(ROOT)}", flush=True)
        if info is None or info.get("builder") != builder_fingerprint():
            print(
                f"  warning: built by {'unknown code' if info is None else 'another version of the demo builder'} "
                f"(now {builder_fingerprint()}); --rebuild to build it again",
                flush=True,
            )
        elif info.get("command") != " ".join(cmd[1:]):
            print(
                f"  warning: built by '{info.get('command')}', not '{' '.join(cmd[1:])}'; --rebuild to build it again",
                flush=True,
            )
        return path, info
    path.parent.mkdir(parents=True, exist_ok=True)
    if rebuild:
        for p in (path, path.with_name(path.name + ".wal")):
            p.unlink(missing_ok=True)
    print(f"building a demo store of {hazards:,} hazards: {' '.join(cmd[1:])}", flush=True)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = children.ru_maxrss, children.ru_utime + children.ru_stime
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the demo build failed ({done.returncode})")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = children.ru_maxrss  # the largest child so far (kB on Linux)
    printed: Any = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    with contextlib.suppress(ValueError):
        printed = json.loads(printed)
    info = {
        "hazards": hazards,
        "accidents": printed.get("accidents") if isinstance(printed, dict) else None,
        "command": " ".join(cmd[1:]),
        "wall_s": round(seconds, 1),
        "cpu_s": round(children.ru_utime + children.ru_stime - cpu_before, 1),  # others' load skews wall time
        "peak_rss_mb": round(peak_kb / 1024) if peak_kb > before else None,
        "store_mb": round(path.stat().st_size / 2**20),
        "printed": printed,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "builder": builder_fingerprint(),
    }
    path.with_name(path.name + ".build.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n")
    print(
        f"built in {seconds:.1f} s ({info['cpu_s']:.1f} s CPU), {info['store_mb']:,} MB"
        + (f", builder peak RSS {info['peak_rss_mb']:,} MB" if info["peak_rss_mb"] else ""),
        flush=True,
    )
    return path, info


def build_markdown(records: list[tuple[int, Path, dict[str, Any] | None]]) -> str:
    from bench.common import markdown_table

    rows = []
    for hazards, path, info in records:
        info = info or {}
        printed = info.get("printed")
        accidents = info.get("accidents") or (printed.get("accidents") if isinstance(printed, dict) else None)
        rows.append(
            [
                f"{hazards:,}",
                f"{accidents:,}" if accidents else "—",
                str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
                f"{path.stat().st_size / 2**20:,.0f}",
                f"{info['wall_s']:.1f}" if info.get("wall_s") is not None else "— (not built here)",
                f"{info['cpu_s']:.1f}" if info.get("cpu_s") is not None else "—",
                f"{info['peak_rss_mb']:,}" if info.get("peak_rss_mb") else "—",
            ]
        )
    return markdown_table(
        ["hazards", "accidents", "store", "MB", "build s", "CPU s", "builder peak RSS MB"],
        rows,
        right=(0, 1, 3, 4, 5, 6),
    )
