"""scripts/_setup.sh: the set-up waits for another apt/dpkg process instead of failing at once."""

import fcntl
import os
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _wait(lock: Path, wait_s: int) -> subprocess.CompletedProcess:
    script = (
        f"set -euo pipefail; source scripts/_setup.sh; APT_LOCKS=('{lock}'); APT_LOCK_POLL_S=0.2; "
        f"APT_LOCK_WAIT_S={wait_s}; wait_for_apt_lock"
    )
    return subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)


def _hold(lock: Path, seconds: float) -> threading.Event:
    """Hold a POSIX lock on ``lock`` (as apt and dpkg do) for ``seconds``; the event is set once it is held."""
    held = threading.Event()

    def run() -> None:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX)
            held.set()
            time.sleep(seconds)
        finally:
            os.close(fd)

    threading.Thread(target=run, daemon=True).start()
    assert held.wait(5)
    return held


def test_a_free_lock_is_not_waited_for(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.touch()
    done = _wait(lock, 5)
    assert done.returncode == 0 and done.stderr == ""


def test_a_held_lock_is_waited_for_with_a_message(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    # The test holds the lock in its own process: /proc/locks names this process as the holder.
    lock.touch()
    _hold(lock, 2.0)
    started = time.monotonic()
    done = _wait(lock, 30)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 1.0
    assert f"holds {lock}: waiting for it to finish" in done.stderr
    assert f"{os.getpid()} (" in done.stderr  # the holder is named
    assert "the apt lock is free after" in done.stderr


def test_a_lock_held_too_long_gives_up_saying_how_to_wait_longer(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.touch()
    _hold(lock, 5.0)
    done = _wait(lock, 1)
    assert done.returncode == 1
    assert f"still holds {lock} after 1 s: giving up" in done.stderr and "APT_LOCK_WAIT_S" in done.stderr
