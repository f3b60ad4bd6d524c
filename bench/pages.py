"""Every page of the dashboard in headless Chromium against a live server on one store.

For each page: the first load after the server started (the first page only), a first load in a fresh
browser context, then the filters changed through the URL one after another — the region (430000), the
period (2024-Q2), the industry (construction) — each a new navigation to the changed link (a new
session: Streamlit's caches are warm for what was asked before, cold for the new question) — and the
first link again in the same browser (its HTTP cache warm: what a returning user waits for).

A load counts until the page has settled: connected, the script not running, no status widget ("Running…")
and no skeleton, a heading (or an exception) drawn, and the main block's content unchanged (element count and text
length, and the element count of each same-origin component iframe, e.g. the map's Leaflet) for ``QUIET_MS``; the time reported is when that quiet stretch began (``connected_ms``: when the app's
websocket was first seen connected, counted from the navigation: about the browser's share). Afterwards three more browser
contexts visit every page and the server's resident memory is read from /proc (VmRSS, and VmHWM: the peak).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from itertools import count
from pathlib import Path
from typing import Any

from bench.common import CACHE, ROOT, TODAY, markdown_table, ms
from domain.regions import COUNTRY_CODE

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1920, "height": 1080}
QUIET_MS = 500
SETTLE_TIMEOUT_MS = 300_000

# (name, path): the Briefing is the default page, served at the root (a path of its own would not be it).
PAGES = (
    ("briefing", ""),
    ("trends", "trends"),
    ("map", "map"),
    ("hazards", "hazards"),
    ("explore", "explore"),
    ("screen", "screen"),
    ("present", "present"),
    ("data", "data"),
)
STEPS = (
    ("first load", ""),
    ("region", "region=430000"),
    ("period", "region=430000&period=2024-Q2"),
    ("industry", "region=430000&period=2024-Q2&industry=construction"),
)

SETTLED = """([quiet, call]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    const ok = !!(app && main && app.dataset.testConnectionState === "CONNECTED"
        && app.dataset.testScriptState === "notRunning"
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && main.querySelector('h1, h2, [data-testid="stException"]'));
    if (app && app.dataset.testConnectionState === "CONNECTED" && window.__benchConnected === undefined)
        window.__benchConnected = performance.now();
    let sig = null;
    if (ok) {  // the main block and its components' iframes (same origin: the map's Leaflet), loaded and unchanged
        sig = main.getElementsByTagName('*').length + ':' + main.textContent.length;
        for (const f of main.querySelectorAll('iframe')) {
            let doc = null;
            try { doc = f.contentDocument; } catch (e) { doc = null; }
            sig += doc ? '|' + doc.readyState + ':' + doc.getElementsByTagName('*').length : '|x';
        }
    }
    if (window.__benchCall !== call || !ok || sig !== window.__benchSig) {
        window.__benchCall = call; window.__benchSig = sig;
        window.__benchSince = ok ? performance.now() : undefined;
    }
    const loading = sig !== null && sig.includes('|loading');
    return ok && !loading && performance.now() - window.__benchSince >= quiet;
}"""
_calls = count()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def memory_mb(pid: int) -> dict[str, float | None]:
    """VmRSS and VmHWM (peak) of the process and its children, in MB (psutil when installed, else /proc)."""
    try:
        import psutil

        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        rss = sum(p.memory_info().rss for p in procs) / 2**20
        return {"rss_mb": round(rss), "peak_mb": None}
    except ImportError:
        pass
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = {"VmRSS": 0, "VmHWM": 0}
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                key = line.split(":", 1)[0]
                if key in total:
                    total[key] += int(line.split()[1])
        except OSError:
            continue
    return {"rss_mb": round(total["VmRSS"] / 1024), "peak_mb": round(total["VmHWM"] / 1024)}


def bench_session(db: Path) -> str:
    """A session of the account ``bench`` (every region; no password: it cannot log in through the form)
    in ``db``, made before the server opens the store; its token goes into every browser as the cookie."""
    from accounts import service
    from store import Store

    store = Store(db)
    store.ensure_schema()
    if service.get_account(store, "bench") is None:
        service.create_account(store, "bench", "admin", COUNTRY_CODE, None, display="bench", actor="bench")
    token = service.open_session(store, "bench", "bench", service_policy())
    store.close()
    return token


def service_policy():
    from accounts.model import auth_policy

    return auth_policy()


def new_context(browser: Any, token: str) -> Any:
    """A browser context logged in with the bench's session (the cookie the login's route would set)."""
    from accounts.web import COOKIE

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.add_cookies(
        [{"name": COOKIE, "value": token, "domain": "127.0.0.1", "path": "/", "httpOnly": True, "sameSite": "Strict"}]
    )
    return context


class Server:
    """``streamlit run app.py`` on a free port serving ``db`` (as tests/conftest.py's ``serve``), with a
    session of the account ``bench`` for the browsers (``token``)."""

    def __init__(self, db: Path, log: Path, extra_env: dict[str, str] | None = None) -> None:
        self.token = bench_session(db)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "SAFETY_DB": str(db),
            "SAFETY_DEMO": "0",
            "SAFETY_TODAY": TODAY.isoformat(),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        streamlit = Path(sys.executable).with_name("streamlit")
        cmd = [str(streamlit)] if streamlit.exists() else [sys.executable, "-m", "streamlit"]
        cmd += [
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ]
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        t0 = time.perf_counter()
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while not healthy(f"{self.base}/_stcore/health"):
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"streamlit not healthy after 180 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        self.start_s = time.perf_counter() - t0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def load(page: Any, url: str) -> dict[str, Any]:
    """Open ``url`` and wait until the page has settled; ms from the navigation to the start of the quiet."""
    t0 = time.perf_counter()
    try:
        page.goto(url, timeout=SETTLE_TIMEOUT_MS)
        page.wait_for_function(SETTLED, arg=[QUIET_MS, next(_calls)], timeout=SETTLE_TIMEOUT_MS, polling=50)
    except Exception as exc:  # Playwright's TimeoutError and friends: the page never settled
        return {"url": url, "ms": None, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"}
    quiet, connected = page.evaluate("() => [performance.now() - window.__benchSince, window.__benchConnected]")
    elapsed = (time.perf_counter() - t0) * 1000 - quiet
    errors = page.locator('[data-testid="stException"]').count()
    body = page.locator('[data-testid="stMain"]').inner_text(timeout=10_000)
    error = f"{errors} exception(s) shown" if errors else "Page not found" if "Page not found" in body else None
    return {
        "url": url,
        "ms": round(elapsed, 1),
        "connected_ms": None if connected is None else round(connected, 1),
        "error": error,
    }


RETURN = "again, browser cache warm"
IN_SESSION_PAGES = (("briefing", ""), ("trends", "trends"), ("map", "map"), ("hazards", "hazards"))
IN_SESSION_PROVINCES = ("湖南省", "广东省", "湖南省")  # the last one again: a change back to a view already seen


def in_session(page: Any, base: str, path: str) -> dict[str, Any]:
    """A filter change as a user makes it: in the open session, the sidebar's 省级 box set to each of
    ``IN_SESSION_PROVINCES`` in turn (a rerun over the open websocket, not a new page load); ms from the
    choice to the start of the quiet."""
    first = load(page, f"{base}/{path}")
    out: dict[str, Any] = {"path": "/" + path, "first load": first["ms"], "changes": [], "error": first.get("error")}
    for province in IN_SESSION_PROVINCES:
        try:
            box = page.locator('[data-testid="stSelectbox"]').filter(has_text="省级").first
            box.locator("input").click()
            box.locator("input").fill(province)
            t0 = time.perf_counter()
            page.keyboard.press("Enter")
            page.wait_for_function(SETTLED, arg=[QUIET_MS, next(_calls)], timeout=SETTLE_TIMEOUT_MS, polling=50)
            quiet = page.evaluate("() => performance.now() - window.__benchSince")
            out["changes"].append(round((time.perf_counter() - t0) * 1000 - quiet, 1))
        except Exception as exc:  # the page never settled, or the box was not there
            out["changes"].append(None)
            out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    return out


def run_pages(db: Path, contexts_for_memory: int = 3, extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} not found (set CHROMIUM=/path/to/chromium)")
    log = CACHE / "logs" / f"streamlit-{db.stem}-{os.getpid()}.log"
    server = Server(db, log, extra_env)
    print(f"  server up in {server.start_s:.1f} s on {server.base} (log {log.relative_to(ROOT)})", flush=True)
    result: dict[str, Any] = {
        "store": str(db),
        "server_env": extra_env or {},
        "server_start_s": round(server.start_s, 2),
        "memory_after_start": memory_mb(server.proc.pid),
        "pages": [],
        "quiet_ms": QUIET_MS,
    }
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for i, (name, path) in enumerate(PAGES):
                    row: dict[str, Any] = {"page": name, "path": "/" + path}
                    context = new_context(browser, server.token)
                    page = context.new_page()
                    try:
                        if i == 0:
                            row["after start"] = load(page, f"{server.base}/{path}")
                            context.close()
                            context = new_context(browser, server.token)
                            page = context.new_page()
                        for step, query in STEPS:
                            row[step] = load(page, f"{server.base}/{path}" + (f"?{query}" if query else ""))
                        # The default link once more in the same browser: a user opening the page again
                        # (a new session), Streamlit's and Plotly's scripts from the browser's cache.
                        row[RETURN] = load(page, f"{server.base}/{path}")
                    finally:
                        context.close()
                    print(
                        "  "
                        + name
                        + ": "
                        + ", ".join(
                            f"{k} {ms(v['ms'])}" + (f" ({v['error']})" if v.get("error") else "")
                            for k, v in row.items()
                            if isinstance(v, dict)
                        ),
                        flush=True,
                    )
                    result["pages"].append(row)
                result["memory_after_timing"] = memory_mb(server.proc.pid)
                contexts = [new_context(browser, server.token) for _ in range(contexts_for_memory)]
                visits = []
                for ctx in contexts:  # each keeps its session open on the last page it visited
                    page = ctx.new_page()
                    for _name, path in PAGES:
                        visits.append(load(page, f"{server.base}/{path}"))
                result["memory_contexts"] = contexts_for_memory
                result["memory_after_contexts"] = memory_mb(server.proc.pid)
                result["memory_visit_errors"] = [v for v in visits if v.get("error")]
                for ctx in contexts:
                    ctx.close()
                result["in_session"] = []
                for name, path in IN_SESSION_PAGES:
                    ctx = new_context(browser, server.token)
                    try:
                        row = in_session(ctx.new_page(), server.base, path)
                    finally:
                        ctx.close()
                    print(f"  {name} in session: {row['changes']}", flush=True)
                    result["in_session"].append(row)
            finally:
                browser.close()
    finally:
        alive = server.proc.poll() is None
        server.stop()
        result["server_alive_at_end"] = alive
    return result


def pages_markdown(res: dict[str, Any]) -> str:
    cols = ["after start", *(s for s, _ in STEPS), RETURN]
    rows, notes = [], []
    for row in res["pages"]:
        cells = []
        for c in cols:
            v = row.get(c)
            if v is None:
                cells.append("")
                continue
            cells.append(ms(v["ms"]) if v["ms"] is not None else "never settled")
            if v.get("error"):
                notes.append(f"- {row['page']} {c}: {v['error']} ({v['url']})")
        rows.append([row["path"], *cells])
    connected = sorted(
        v["connected_ms"]
        for row in res["pages"]
        for v in row.values()
        if isinstance(v, dict) and v.get("connected_ms") is not None
    )
    mem = res.get("memory_after_contexts") or {}
    env = " ".join(f"{k}={v}" for k, v in (res.get("server_env") or {}).items())
    text = (
        f"Pages on {Path(res['store']).name}{f' with {env}' if env else ''} (ms until settled; server start {res['server_start_s']:.1f} s; "
        f"settled = idle and the main block unchanged for {res['quiet_ms']} ms):\n\n"
        + markdown_table(["page", *(f"{c} ms" for c in cols)], rows, right=tuple(range(1, len(cols) + 1)))
    )
    text += (
        f"\n\nServer memory: {res['memory_after_start']['rss_mb']} MB RSS after start, "
        f"{(res.get('memory_after_timing') or {}).get('rss_mb', '?')} MB after the timed loads, "
        f"{mem.get('rss_mb', '?')} MB after {res.get('memory_contexts', '?')} more browser contexts visited "
        f"every page (peak VmHWM {mem.get('peak_mb', '?')} MB)."
    )
    if connected:
        text += (
            f" Of each load, the browser's part until the app's websocket was connected (Streamlit's page and "
            f"scripts, no HTTP cache in a new context): seen connected after a median of {ms(connected[len(connected) // 2])} ms, "
            f"{ms(connected[0])}–{ms(connected[-1])} ms."
        )
    if res.get("in_session"):
        text += (
            "\n\nA filter change in the open session (the sidebar's 省级 box: "
            + " → ".join(IN_SESSION_PROVINCES)
            + "; ms until settled):\n\n"
            + markdown_table(
                ["page", *(f"→ {p} ms" for p in IN_SESSION_PROVINCES)],
                [
                    [r["path"], *(ms(c) if c is not None else "never settled" for c in r["changes"])]
                    for r in res["in_session"]
                ],
                right=(1, 2, 3),
            )
        )
        notes += [f"- {r['path']} in session: {r['error']}" for r in res["in_session"] if r.get("error")]
    if not res.get("server_alive_at_end", True):
        notes.append("- the server had exited before the end (see its log)")
    if notes:
        text += "\n\nNotes:\n" + "\n".join(notes)
    return text
