"""The SQL of access control: accounts, login sessions, failed logins, the audit trail and the wall
screens' link tokens (tables in ``store/tables.py``). The rules (roles, hashing, timeouts, delays) live in
``accounts/``; these functions only read and write rows. Times are naive local datetimes, as the import
log's are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from store.duckdb_store import Store, _checkpoint

ACCOUNT_COLUMNS = (
    "username",
    "role",
    "region_code",
    "display_name",
    "password_hash",
    "must_change",
    "disabled_at",
    "created_at",
    "updated_at",
    "last_login_at",
)


def _row(cursor: Any, row: tuple | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {d[0]: v for d, v in zip(cursor.description, row, strict=True)}


# ------------------------------------------------------------------ accounts


def count_accounts(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM accounts"))


def account_row(store: Store, username: str, timeout_s: float = 30.0) -> dict[str, Any] | None:
    """The account's row (with its password hash), or None."""
    with store.connect(timeout_s=timeout_s) as con:
        cur = con.execute(f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM accounts WHERE username = ?", [username])
        return _row(cur, cur.fetchone())


def accounts_frame(store: Store) -> pd.DataFrame:
    """Every account without its password hash (``has_password`` instead), by name."""
    return store.query("""
        SELECT username, role, region_code, display_name, password_hash IS NOT NULL AS has_password, must_change,
               disabled_at, created_at, updated_at, last_login_at
        FROM accounts ORDER BY username""")


def insert_account(
    store: Store,
    username: str,
    role: str,
    region: str,
    display: str | None,
    password_hash: str | None,
    must_change: bool,
    now: dt.datetime,
) -> bool:
    """Add an account; False (and nothing written) when the name is taken."""
    with store.connect() as con:
        n = con.execute(
            """
            INSERT INTO accounts (username, role, region_code, display_name, password_hash, must_change, disabled_at,
                                  created_at, updated_at, last_login_at)
            VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL) ON CONFLICT DO NOTHING""",
            [username, role, region, display, password_hash, must_change, now, now],
        ).fetchone()[0]
        _checkpoint(con)
    return bool(n)


_UNSET: Any = object()


def update_account(
    store: Store,
    username: str,
    now: dt.datetime,
    *,
    role: str = _UNSET,
    region: str = _UNSET,
    display: str | None = _UNSET,
    password_hash: str | None = _UNSET,
    must_change: bool = _UNSET,
    disabled_at: dt.datetime | None = _UNSET,
) -> bool:
    """Change the given fields of an account (the others stay); False when there is no such account."""
    fields = {
        "role": role,
        "region_code": region,
        "display_name": display,
        "password_hash": password_hash,
        "must_change": must_change,
        "disabled_at": disabled_at,
    }
    sets = {k: v for k, v in fields.items() if v is not _UNSET}
    assignments = ", ".join(f"{k} = ?" for k in sets)
    with store.connect() as con:
        n = con.execute(
            f"UPDATE accounts SET {assignments}{', ' if sets else ''}updated_at = ? WHERE username = ?",
            [*sets.values(), now, username],
        ).fetchone()[0]
        _checkpoint(con)
    return bool(n)


def set_last_login(store: Store, username: str, now: dt.datetime) -> None:
    with store.connect() as con:
        con.execute("UPDATE accounts SET last_login_at = ? WHERE username = ?", [now, username])


# ------------------------------------------------------------------ login sessions


def insert_session(
    store: Store, token_hash: str, username: str, now: dt.datetime, expires_at: dt.datetime, client: str | None
) -> None:
    with store.connect() as con:
        con.execute(
            "INSERT INTO auth_sessions VALUES (?, ?, ?, ?, ?, NULL, ?)",
            [token_hash, username, now, now, expires_at, client],
        )
        _checkpoint(con)


def session_row(store: Store, token_hash: str, timeout_s: float = 30.0) -> dict[str, Any] | None:
    """A session with its account's columns (``a_*``), or None for an unknown token."""
    with store.connect(timeout_s=timeout_s) as con:
        cur = con.execute(
            """
            SELECT s.token_hash, s.username, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, s.client,
                   a.role AS a_role, a.region_code AS a_region, a.display_name AS a_display,
                   a.must_change AS a_must_change, a.disabled_at AS a_disabled_at,
                   a.password_hash IS NOT NULL AS a_has_password
            FROM auth_sessions s LEFT JOIN accounts a ON a.username = s.username
            WHERE s.token_hash = ?""",
            [token_hash],
        )
        return _row(cur, cur.fetchone())


def touch_session(store: Store, token_hash: str, now: dt.datetime, timeout_s: float = 30.0) -> None:
    with store.connect(timeout_s=timeout_s) as con:
        con.execute(
            "UPDATE auth_sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?",
            [now, token_hash, now],
        )


def revoke_session(store: Store, token_hash: str, now: dt.datetime) -> bool:
    with store.connect() as con:
        n = con.execute(
            "UPDATE auth_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", [now, token_hash]
        ).fetchone()[0]
        _checkpoint(con)
    return bool(n)


def revoke_sessions(store: Store, username: str, now: dt.datetime, keep: str | None = None) -> int:
    """End every open session of ``username`` (but the one whose hash is ``keep``); how many."""
    with store.connect() as con:
        n = con.execute(
            """UPDATE auth_sessions SET revoked_at = ?
                           WHERE username = ? AND revoked_at IS NULL AND token_hash IS DISTINCT FROM ?""",
            [now, username, keep],
        ).fetchone()[0]
        _checkpoint(con)
    return int(n)


# ------------------------------------------------------------------ failed logins


def failures(store: Store, keys: Iterable[str]) -> dict[str, tuple[int, dt.datetime]]:
    """Consecutive failed logins and the last one's time, by key (keys without failures are left out)."""
    keys = list(keys)
    if not keys:
        return {}
    with store.connect() as con:
        rows = con.execute(
            f"SELECT key, failures, last_failure_at FROM login_failures WHERE key IN ({', '.join('?' for _ in keys)})",
            keys,
        ).fetchall()
    return {k: (int(n), t) for k, n, t in rows}


def add_failure(store: Store, keys: Iterable[str], now: dt.datetime, reset_before: dt.datetime) -> None:
    """One more failed login for each key; a count whose last failure is older than ``reset_before``
    starts again at 1."""
    with store.connect() as con:
        for key in keys:
            con.execute(
                """
                INSERT INTO login_failures VALUES (?, 1, ?)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN login_failures.last_failure_at < ? THEN 1 ELSE login_failures.failures + 1 END,
                    last_failure_at = excluded.last_failure_at""",
                [key, now, reset_before],
            )


def clear_failures(store: Store, keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        with store.connect() as con:
            con.execute(f"DELETE FROM login_failures WHERE key IN ({', '.join('?' for _ in keys)})", keys)


# ------------------------------------------------------------------ the audit trail


def add_audit(
    store: Store,
    at: dt.datetime,
    actor: str,
    action: str,
    target: str | None,
    detail: str | None,
    client: str | None,
    outcome: str,
) -> None:
    with store.connect() as con:
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?)", [at, actor, action, target, detail, client, outcome]
        )


def audit_frame(
    store: Store,
    limit: int | None = None,
    actor: str | None = None,
    actions: Iterable[str] | None = None,
    since: dt.datetime | None = None,
) -> pd.DataFrame:
    """The audit entries, newest first, optionally of one actor, some actions, since a time; at most ``limit``."""
    where, params = [], []
    if actor:
        where.append("actor = ?")
        params.append(actor)
    actions = list(actions or ())
    if actions:
        where.append(f"action IN ({', '.join('?' for _ in actions)})")
        params.extend(actions)
    if since is not None:
        where.append("happened_at >= ?")
        params.append(since)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    lim = f" LIMIT {int(limit)}" if limit else ""
    return store.query(
        f"SELECT happened_at AS at, actor, action, target, detail, client, outcome FROM audit_log"
        f"{clause} ORDER BY happened_at DESC, rowid DESC{lim}",
        params,
    )


# ------------------------------------------------------------------ the wall screens' link tokens


def insert_screen_token(
    store: Store, token_id: str, token_hash: str, region: str, label: str | None, created_by: str, now: dt.datetime
) -> None:
    with store.connect() as con:
        con.execute(
            "INSERT INTO screen_tokens VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
            [token_id, token_hash, region, label, created_by, now],
        )
        _checkpoint(con)


def screen_token_row(store: Store, token_hash: str, timeout_s: float = 30.0) -> dict[str, Any] | None:
    with store.connect(timeout_s=timeout_s) as con:
        cur = con.execute(
            "SELECT token_id, region_code, label, created_by, created_at, revoked_at, last_used_at "
            "FROM screen_tokens WHERE token_hash = ?",
            [token_hash],
        )
        return _row(cur, cur.fetchone())


def screen_tokens_frame(store: Store) -> pd.DataFrame:
    return store.query(
        "SELECT token_id, region_code, label, created_by, created_at, revoked_at, revoked_by, "
        "last_used_at FROM screen_tokens ORDER BY created_at DESC, token_id"
    )


def revoke_screen_token(store: Store, token_id: str, by: str, now: dt.datetime) -> bool:
    """Revoke a token (False when unknown or revoked already)."""
    with store.connect() as con:
        n = con.execute(
            "UPDATE screen_tokens SET revoked_at = ?, revoked_by = ? WHERE token_id = ? AND revoked_at IS NULL",
            [now, by, token_id],
        ).fetchone()[0]
        _checkpoint(con)
    return bool(n)


def touch_screen_token(store: Store, token_id: str, now: dt.datetime, timeout_s: float = 30.0) -> None:
    with store.connect(timeout_s=timeout_s) as con:
        con.execute("UPDATE screen_tokens SET last_used_at = ? WHERE token_id = ?", [now, token_id])
