"""Reading a file in a process of its own, with memory and time limits.

A spreadsheet can claim a billion cells in a few kilobytes, a CSV line can hold a million columns: the
readers (python-calamine in Rust, pyarrow in C++) then ask for more memory than the machine has and
abort, which in the dashboard's process would end every user's session. So the data page and
``python -m loaders import`` read (and validate) a file in a child process: ``multiprocessing``'s
``forkserver`` (the dashboard has threads; it is never forked), the address space capped with
``RLIMIT_AS`` at ``SAFETY_READ_MEMORY_MB`` beyond what the child starts with, killed after
``SAFETY_READ_SECONDS``. A child that runs out of either is reported as one line, "too large to
read: …", and the parent goes on. The frames of the result come back as Arrow IPC files (in
/dev/shm when there is one), not pickled.

The fork server is started on the first read of a process, with the loaders imported and the region
tables built (about 1–2 s, once); each read after that forks it (a few tens of ms for a small file).
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.context
import os
import pickle
import resource
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing import popen_forkserver, spawn
from pathlib import Path
from typing import Any

import settings
from loaders.header_match import MappingError
from loaders.read_errors import ReadError, one_line, too_large_error

_ERRORS = {"ReadError": ReadError, "MappingError": MappingError}
_PRELOAD = ["loaders.sandbox_warm"]
_lock = threading.Lock()
_context: Any = None
_child_cpu = [0.0]  # CPU seconds the reading processes of this process reported, together


def child_cpu_seconds() -> float:
    """CPU seconds (all threads) that this process's reading processes have taken so far, as they said
    when they finished (a reading process is the fork server's child: getrusage here does not see it)."""
    return _child_cpu[0]


class _Popen(popen_forkserver.Popen):
    """Starts a reading process without the parent's ``__main__``: what it runs lives in ``loaders``,
    and the parent's main module may be a page Streamlit is running (it puts the page's module in
    ``sys.modules['__main__']``), which multiprocessing would otherwise run again in the child."""

    def _launch(self, process_obj: Any) -> None:
        with _lock:
            original = spawn.get_preparation_data

            def without_main(name: str) -> dict[str, Any]:
                data = original(name)
                data.pop("init_main_from_name", None)
                data.pop("init_main_from_path", None)
                return data

            spawn.get_preparation_data = without_main
            try:
                super()._launch(process_obj)
            finally:
                spawn.get_preparation_data = original


class _ReadingProcess(multiprocessing.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:
        return _Popen(process_obj)


def limits() -> settings.ReadLimits:
    """The reading limits from the settings; a bad value is a ReadError naming the setting."""
    try:
        return settings.read_limits()
    except ValueError as exc:
        raise ReadError(str(exc), zh=f"设置有误：{exc}") from None


def _get_context() -> Any:
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


def start() -> None:
    """Start the fork server now (it imports the loaders and builds the region tables, 1–2 s) rather than
    on the first read: a caller that will read soon can do its own work meanwhile."""
    from multiprocessing import forkserver

    _get_context()
    forkserver.ensure_running()


def _transfer_dir() -> str:
    """/dev/shm (memory) when it has room for a large result (a container's is often 64 MB), else the temp dir."""
    shm = Path("/dev/shm")
    try:
        stat = os.statvfs(shm)
    except OSError:
        return tempfile.gettempdir()
    roomy = stat.f_bavail * stat.f_frsize >= 4 * 2**30
    return str(shm) if roomy and os.access(shm, os.W_OK) else tempfile.gettempdir()


def run(
    fn: Callable[..., Any], args: tuple[Any, ...], name: str, read_limits: settings.ReadLimits | None = None
) -> Any:
    """``fn(*args)`` in a child process within the reading limits, its result returned here.

    ``fn`` must be a module-level function; ``name`` (the file's) is what the messages name. A
    ReadError in the child is raised here as it was; a child past its memory or time is a ReadError
    "too large to read: …"; a child that dies otherwise is a ReadError saying how; any other error of
    the child is a RuntimeError with its traceback."""
    lim = read_limits or limits()
    ctx = _get_context()
    env = {k: v for k, v in os.environ.items() if k.startswith("SAFETY_")}
    with tempfile.TemporaryDirectory(prefix="safety-read-", dir=_transfer_dir()) as tmp:
        receiver, sender = ctx.Pipe(duplex=False)
        proc = _ReadingProcess(
            target=_child, args=(sender, fn, args, lim, env, tmp), daemon=True, name=f"read {name}"[:60]
        )
        proc.start()  # (the first one of a process starts the fork server)
        started = time.monotonic()
        sender.close()
        message: Any = None
        try:
            if receiver.poll(lim.seconds):
                try:
                    message = receiver.recv()
                except EOFError:  # the child died before it could say anything
                    message = None
            else:
                message = "timeout"
        finally:
            receiver.close()
            proc.join(timeout=5 if message not in (None, "timeout") else 0.5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if message == "timeout" or (message is None and time.monotonic() - started >= lim.seconds):
            raise too_large_error(
                name,
                f"reading took more than {lim.seconds:g} s (SAFETY_READ_SECONDS)",
                f"读取超过 {lim.seconds:g} 秒（SAFETY_READ_SECONDS）",
            )
        if message is None:
            raise _death(name, proc.exitcode, Path(tmp) / "stderr", lim)
        return _received(message, tmp, name, lim)


def _death(name: str, exitcode: int | None, stderr: Path, lim: settings.ReadLimits) -> ReadError:
    """Why a child that said nothing ended: past its memory (an allocation that failed), or how."""
    try:
        said = stderr.read_text(encoding="utf-8", errors="replace")
    except OSError:
        said = ""
    last = next(
        (line.strip() for line in reversed(said.splitlines()) if "memory allocation" in line or "MemoryError" in line),
        "",
    )
    if last or exitcode in (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        detail = f" ({one_line(last, 120)})" if last else ""
        return too_large_error(
            name,
            f"reading needed more than {lim.memory_mb:,.0f} MB of memory (SAFETY_READ_MEMORY_MB){detail}",
            f"读取所需内存超过 {lim.memory_mb:,.0f} MB（SAFETY_READ_MEMORY_MB）{detail}",
        )
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit {exitcode}"
    return ReadError(
        f"{name} cannot be read: the reading process ended ({how})", zh=f"{name} 无法读取：读取进程意外结束（{how}）"
    )


def _received(message: tuple[Any, ...], tmp: str, name: str, lim: settings.ReadLimits) -> Any:
    kind, cpu = message[0], message[-1]
    _child_cpu[0] += cpu
    if kind == "ok":
        return _FrameUnpickler(io.BytesIO(message[1]), tmp).load()
    if kind == "read_error":
        _, cls, text, zh, file_headers, missing, _ = message
        exc = _ERRORS.get(cls, ReadError)(text, zh=zh)
        exc.file_headers, exc.missing = tuple(file_headers), tuple(missing)
        raise exc
    if kind == "os_error":
        raise ReadError(
            f"{name} was read but its rows could not be passed back ({message[1]})",
            zh=f"{name} 已读取，但无法传回其数据（{message[1]}）",
        )
    if kind == "memory":
        raise too_large_error(
            name,
            f"reading needed more than {lim.memory_mb:,.0f} MB of memory (SAFETY_READ_MEMORY_MB)",
            f"读取所需内存超过 {lim.memory_mb:,.0f} MB（SAFETY_READ_MEMORY_MB）",
        )
    raise RuntimeError(f"reading {name} failed in the reading process:\n{message[1]}")


# ---------------------------------------------------------------- the child


def _vm_size() -> int:
    """This process's address space in bytes (VmSize)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(
    conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], lim: settings.ReadLimits, env: dict[str, str], tmp: str
) -> None:
    # What a reader that aborts writes goes to a file, not to the terminal or the server's log.
    err = os.open(os.path.join(tmp, "stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(err, 2)
    os.close(err)
    for key in [k for k in os.environ if k.startswith("SAFETY_")]:
        del os.environ[key]
    os.environ.update(env)  # the settings as the parent has them now (the fork server has them as at its start)
    cap = _vm_size() + int(lim.memory_mb * 2**20)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        result = fn(*args)
        buffer = io.BytesIO()
        _FramePickler(buffer, tmp).dump(result)
        conn.send(("ok", buffer.getvalue(), _cpu()))
    except ReadError as exc:
        conn.send(("read_error", type(exc).__name__, str(exc), exc.zh, exc.file_headers, exc.missing, _cpu()))
    except MemoryError:
        conn.send(("memory", _cpu()))
    except OSError as exc:  # no room to write the result
        conn.send(("os_error", f"{type(exc).__name__}: {exc}", _cpu()))
    except BaseException:  # a bug: its traceback, for the parent to raise
        try:
            conn.send(("crash", traceback.format_exc(), _cpu()))
        except MemoryError:
            conn.send(("memory", _cpu()))
    finally:
        conn.close()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _FramePickler(pickle.Pickler):
    """Pickles a result with each pandas DataFrame written to an Arrow IPC file beside it."""

    def __init__(self, file: io.BytesIO, tmp: str) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.tmp = tmp
        self.count = 0

    def persistent_id(self, obj: Any) -> Any:
        import pandas as pd

        if type(obj) is not pd.DataFrame:
            return None
        import pyarrow as pa
        from pyarrow import ipc

        try:
            table = pa.Table.from_pandas(obj, preserve_index=None)
        except (pa.ArrowException, TypeError, ValueError):
            return None  # columns Arrow cannot hold (objects of several types): pickled as they are
        self.count += 1
        path = os.path.join(self.tmp, f"frame-{self.count}.arrow")
        with ipc.new_file(path, table.schema) as writer:
            writer.write_table(table)
        return ("frame", os.path.basename(path))


class _FrameUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, tmp: str) -> None:
        super().__init__(file)
        self.tmp = tmp

    def persistent_load(self, pid: Any) -> Any:
        import pyarrow as pa
        from pyarrow import ipc

        kind, name = pid
        if kind != "frame":
            raise pickle.UnpicklingError(f"unknown reference {kind}")
        with pa.OSFile(os.path.join(self.tmp, name)) as source:  # read into memory: the file goes
            table = ipc.open_file(source).read_all()
        return table.to_pandas()
