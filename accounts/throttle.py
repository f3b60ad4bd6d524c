"""Slowing down repeated failed logins (pure): after ``free_attempts`` consecutive failures of one user
(``client_factor`` times as many from one client address), each further attempt waits twice as long
as the one before — 1 s, 2 s, 4 s … up to ``max_delay_s`` (a temporary lock). A successful login clears
the user's and the client's count; failures older than ``forget_after`` are forgotten."""

from __future__ import annotations

import datetime as dt

from accounts.model import AuthPolicy


def user_key(username: str) -> str:
    return f"user:{username.strip().lower()}"


def client_key(client: str | None) -> str:
    return f"client:{client or 'unknown'}"


def delay_s(failures: int, free: int, max_delay_s: float) -> float:
    """Seconds to wait after ``failures`` consecutive failures (0 while ``failures`` ≤ ``free``)."""
    if failures <= free:
        return 0.0
    return float(min(max_delay_s, 2.0 ** min(failures - free - 1, 40)))


def locked_until(
    counts: dict[str, tuple[int, dt.datetime]], policy: AuthPolicy, now: dt.datetime
) -> dt.datetime | None:
    """When the next attempt is allowed, if later than ``now`` (None: now). ``counts``: failures and the
    last one's time by key (``user:…`` and ``client:…``)."""
    until: dt.datetime | None = None
    for key, (n, last) in counts.items():
        if now - last > policy.forget_after:
            continue
        free = policy.free_attempts * (policy.client_factor if key.startswith("client:") else 1)
        wait = delay_s(n, free, policy.max_delay_s)
        end = last + dt.timedelta(seconds=wait)
        if wait and end > now and (until is None or end > until):
            until = end
    return until
