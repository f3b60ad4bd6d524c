"""What the login page, the account pages and ``python -m accounts`` do with the store: accounts, logins
(slowed down when they fail), sessions with their timeouts, the first administrator, the wall screens'
link tokens and the audit trail. No Streamlit here: the glue is ``webapp/session.py``.

Secrets never reach the store: a password is kept as its argon2id hash, a session or link token as the
sha256 of the random token the browser holds (a stolen copy of the store opens nothing).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pandas as pd

from accounts.model import (
    Account,
    AccountError,
    AuthPolicy,
    check_region,
    check_role_region,
    check_username,
    screen_account,
)
from accounts.passwords import hash_password, needs_rehash, password_problems, random_password, verify_password
from accounts.throttle import client_key, locked_until, user_key
from domain.regions import COUNTRY_CODE, region_label
from store import Store
from store import accounts_queries as aq

INITIAL_ADMIN = "admin"
INITIAL_PASSWORD_FILE = "initial-admin-password.txt"
TOUCH_EVERY = dt.timedelta(seconds=60)  # a session's last activity is written at most this often
SYSTEM = "system"
MAX_NAME = 128  # the longest typed user name kept in the audit trail and the failure counts


def now() -> dt.datetime:
    return dt.datetime.now()


def token_hash(token: str) -> str:
    """The sha256 (hex) under which a session or link token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def cli_actor() -> str:
    """Who runs a command: ``cli:<user of the operating system>`` (``cli`` where there is no user name)."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 — no user name in this environment
        return "cli"


def audit(
    store: Store,
    actor: str,
    action: str,
    target: str | None = None,
    detail: str | None = None,
    client: str | None = None,
    outcome: str = "ok",
    at: dt.datetime | None = None,
) -> None:
    """One entry of the audit trail: who (an account, ``cli:<os user>``, ``system`` or ``-``), what, on what,
    from where, with what outcome (``ok``, ``failed``, ``denied``)."""
    aq.add_audit(store, at or now(), actor or "-", action, target, detail, client, outcome)


def _account(row: Mapping, via: str = "password") -> Account:
    return Account(
        row["username"], row["role"], row["region_code"], row["display_name"] or "", bool(row["must_change"]), via
    )


def _password_error(password: str, username: str) -> None:
    problems = password_problems(password, username)
    if problems:
        raise AccountError("; ".join(en for _, en in problems), zh="；".join(zh for zh, _ in problems))


def get_account(store: Store, username: str) -> Account | None:
    row = aq.account_row(store, username)
    return None if row is None else _account(row)


def require_account(store: Store, username: str) -> Account:
    """The account of that name; AccountError when there is none."""
    return _account(_existing(store, username))


def _existing(store: Store, username: str) -> Mapping:
    row = aq.account_row(store, username)
    if row is None:
        raise AccountError(
            f"expected an existing user name, got {username!r} (see python -m accounts list)",
            zh=f"没有名为“{username}”的账号",
        )
    return row


# ------------------------------------------------------------------ accounts


def create_account(
    store: Store,
    username: str,
    role: str,
    region: str,
    password: str | None,
    *,
    display: str | None = None,
    must_change: bool = True,
    actor: str = SYSTEM,
    client: str | None = None,
) -> Account:
    """A new account. ``password`` None: it logs in through the identity provider only. A password set by
    someone else must be changed at the first login (``must_change``). AccountError for a bad name, role,
    region or password, or a name already taken; nothing is written then."""
    username = check_username(username)
    role, region = check_role_region(role, region)
    if password is not None:
        _password_error(password, username)
    if aq.account_row(store, username) is not None:
        raise AccountError(
            f"expected a new user name, got {username!r} (an account of that name exists)", zh=f"账号“{username}”已存在"
        )
    hashed = None if password is None else hash_password(password)
    if not aq.insert_account(
        store, username, role, region, display or None, hashed, bool(must_change and hashed), now()
    ):
        raise AccountError(
            f"expected a new user name, got {username!r} (an account of that name exists)", zh=f"账号“{username}”已存在"
        )
    audit(
        store,
        actor,
        "account_add",
        username,
        f"role={role} region={region}" + (" oidc" if password is None else ""),
        client,
    )
    return Account(username, role, region, display or "", bool(must_change and hashed))


def change_role_region(
    store: Store, username: str, role: str, region: str, *, actor: str, client: str | None = None
) -> None:
    row = _existing(store, username)
    role, region = check_role_region(role, region)
    aq.update_account(store, username, now(), role=role, region=region)
    aq.revoke_sessions(store, username, now())  # the next page asks for the password with the new rights
    audit(
        store,
        actor,
        "account_change",
        username,
        f"role {row['role']}→{role}, region {row['region_code']}→{region}",
        client,
    )


def set_disabled(store: Store, username: str, disabled: bool, *, actor: str, client: str | None = None) -> None:
    """Disable an account (its sessions end at once) or enable it again."""
    _existing(store, username)
    at = now()
    aq.update_account(store, username, at, disabled_at=at if disabled else None)
    if disabled:
        aq.revoke_sessions(store, username, at)
    audit(store, actor, "account_disable" if disabled else "account_enable", username, None, client)


def reset_password(
    store: Store, username: str, password: str, *, actor: str, client: str | None = None, must_change: bool = True
) -> None:
    """A new password set by an administrator: to be changed at the next login; the account's sessions end
    and its failed logins are forgotten."""
    row = _existing(store, username)
    _password_error(password, row["username"])
    at = now()
    aq.update_account(store, username, at, password_hash=hash_password(password), must_change=must_change)
    aq.revoke_sessions(store, username, at)
    aq.clear_failures(store, [user_key(username)])
    audit(store, actor, "account_reset", username, None, client)


def change_password(
    store: Store,
    account: Account,
    old: str | None,
    new: str,
    *,
    client: str | None = None,
    session_token: str | None = None,
) -> None:
    """The account's own change of password: ``old`` must match (it may be None when the change is forced
    right after a login); the other sessions of the account end. AccountError says what is wrong."""
    row = _existing(store, account.username)
    if row["password_hash"] is None:
        raise AccountError(
            "expected an account with a password, got one of the identity provider",
            zh="此账号通过统一身份认证登录，没有本地密码",
        )
    if not (old is None and row["must_change"]) and not verify_password(row["password_hash"], old or ""):
        raise AccountError("expected the current password, got a wrong one", zh="当前密码不正确")
    _password_error(new, account.username)
    if verify_password(row["password_hash"], new):
        raise AccountError("expected a new password, got the current one", zh="新密码不能与当前密码相同")
    at = now()
    aq.update_account(store, account.username, at, password_hash=hash_password(new), must_change=False)
    aq.revoke_sessions(store, account.username, at, keep=token_hash(session_token) if session_token else None)
    audit(store, account.username, "password_change", account.username, None, client)
    initial = initial_password_file(store)
    if account.username == INITIAL_ADMIN and initial.exists():
        initial.unlink()  # the printed first password no longer opens anything


def accounts_frame(store: Store) -> pd.DataFrame:
    return aq.accounts_frame(store)


# ------------------------------------------------------------------ logging in


@dataclass(frozen=True)
class LoginResult:
    account: Account | None  # None: refused (``error`` says why)
    token: str | None = None  # the new session's token, for the cookie
    error: tuple[str, str] | None = None  # (zh, en)
    locked_until: dt.datetime | None = None


WRONG = ("用户名或密码不正确。", "Wrong user name or password.")


def _wait_text(until: dt.datetime, at: dt.datetime) -> tuple[str, str]:
    seconds = max(1, int((until - at).total_seconds() + 0.999))
    return (f"登录失败次数过多，请 {seconds} 秒后再试。", f"Too many failed logins: try again in {seconds} s.")


def authenticate(
    store: Store, username: str, password: str, client: str | None, policy: AuthPolicy, at: dt.datetime | None = None
) -> LoginResult:
    """Check a user name and password. Failures are counted per user and per client address and, past
    ``policy.free_attempts``, each next attempt must wait (doubling, up to ``policy.max_delay_s``); an
    attempt during the wait is refused without checking the password. Every outcome is audited. A success
    opens a session (``LoginResult.token``)."""
    at = at or now()
    name = (username or "").strip()[:MAX_NAME]  # whatever was typed, kept short in the audit and the counts
    keys = [user_key(name), client_key(client)]
    until = locked_until(aq.failures(store, keys), policy, at)
    if until is not None:
        audit(store, "-", "login_locked", name, f"until {until:%Y-%m-%d %H:%M:%S}", client, "denied", at)
        return LoginResult(None, error=_wait_text(until, at), locked_until=until)
    row = aq.account_row(store, name) if name else None
    ok = verify_password(row["password_hash"] if row else None, password)
    reason = "unknown user" if row is None else ("wrong password" if not ok else None)
    if ok and row["disabled_at"] is not None:
        reason = "account disabled"
    if reason:
        aq.add_failure(store, keys, at, at - policy.forget_after)
        audit(store, "-", "login_failed", name, reason, client, "failed", at)
        until = locked_until(aq.failures(store, keys), policy, at)
        error = (
            ("此账号已停用，请联系系统管理员。", "This account is disabled: ask an administrator.")
            if reason == "account disabled"
            else WRONG
        )
        return LoginResult(None, error=error, locked_until=until)
    aq.clear_failures(store, keys)
    if needs_rehash(row["password_hash"]):
        aq.update_account(store, name, at, password_hash=hash_password(password))
    token = open_session(store, row["username"], client, policy, at)
    audit(store, row["username"], "login", row["username"], "password", client, "ok", at)
    return LoginResult(_account(row), token)


def open_session(
    store: Store, username: str, client: str | None, policy: AuthPolicy, at: dt.datetime | None = None
) -> str:
    """A new session of ``username``; its random token (only its hash is stored)."""
    at = at or now()
    token = secrets.token_urlsafe(32)
    aq.insert_session(store, token_hash(token), username, at, at + policy.max_age, client)
    aq.set_last_login(store, username, at)
    return token


@dataclass(frozen=True)
class SessionCheck:
    account: Account | None
    state: str  # ok, unknown, revoked, expired, idle, disabled


def check_session(
    store: Store,
    token: str,
    policy: AuthPolicy,
    at: dt.datetime | None = None,
    touch: bool = True,
    timeout_s: float = 30.0,
) -> SessionCheck:
    """The account of a session token, if the session is still open: not revoked, not past its
    ``max_age``, used within ``idle``, its account enabled. An idle or expired session is ended (and the
    timeout audited). ``touch`` records the activity (at most every minute)."""
    at = at or now()
    h = token_hash(token)
    row = aq.session_row(store, h, timeout_s=timeout_s)
    if row is None or row["a_role"] is None:
        return SessionCheck(None, "unknown")
    if row["revoked_at"] is not None:
        return SessionCheck(None, "revoked")
    if row["a_disabled_at"] is not None:
        return SessionCheck(None, "disabled")
    state = "expired" if at >= row["expires_at"] else ("idle" if at - row["last_seen_at"] > policy.idle else "ok")
    if state != "ok":
        aq.revoke_session(store, h, at)
        audit(store, row["username"], "session_timeout", row["username"], state, row["client"], "ok", at)
        return SessionCheck(None, state)
    if touch and at - row["last_seen_at"] >= TOUCH_EVERY:
        aq.touch_session(store, h, at, timeout_s=timeout_s)
    account = Account(
        row["username"],
        row["a_role"],
        row["a_region"],
        row["a_display"] or "",
        bool(row["a_must_change"]),
        "password" if row["a_has_password"] else "oidc",
    )
    return SessionCheck(account, "ok")


def end_session(store: Store, token: str, actor: str, client: str | None = None) -> None:
    """Log out: the session ends at once, whichever browser holds its cookie."""
    if aq.revoke_session(store, token_hash(token), now()):
        audit(store, actor, "logout", actor, None, client)


def oidc_login(
    store: Store, claims: Mapping[str, object], claim: str, client: str | None, policy: AuthPolicy
) -> LoginResult:
    """A person the identity provider vouched for (``st.user``'s claims): the account named by ``claim``
    (e.g. their e-mail) opens a session; none, or a disabled one, is refused and audited."""
    name = str(claims.get(claim) or "").strip()
    row = aq.account_row(store, name) if name else None
    if row is None or row["disabled_at"] is not None:
        audit(
            store,
            "-",
            "login_failed",
            name or f"({claim} missing)",
            "oidc: no account" if row is None else "oidc: account disabled",
            client,
            "failed",
        )
        return LoginResult(
            None,
            error=(
                f"统一身份认证的用户“{name}”没有开通本系统账号，请联系系统管理员。",
                f"The identity provider's user '{name}' has no account here: ask an administrator.",
            ),
        )
    at = now()
    token = open_session(store, row["username"], client, policy, at)
    audit(store, row["username"], "login", row["username"], "oidc", client, "ok", at)
    return LoginResult(_account(row, "oidc"), token)


# ------------------------------------------------------------------ the first start


def initial_password_file(store: Store) -> Path:
    """Where the first administrator's password is written: beside the store."""
    return store.path.parent / INITIAL_PASSWORD_FILE


def ensure_initial_admin(store: Store, stream: TextIO | None = None) -> str | None:
    """With no account at all, create ``admin`` (every region) with a random password that must be changed
    at the first login; print it once on ``stream`` (stderr) and write it to ``initial-admin-password.txt``
    beside the store, readable by its owner only (0600). Returns the password, or None when accounts
    exist (nothing is done)."""
    if aq.count_accounts(store):
        return None
    password = random_password()
    try:
        create_account(
            store, INITIAL_ADMIN, "admin", COUNTRY_CODE, password, display="系统管理员", must_change=True, actor=SYSTEM
        )
    except AccountError:  # another thread or process created it first
        return None
    path = initial_password_file(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # also when the file was there before with other rights
        os.write(fd, f"{INITIAL_ADMIN}\n{password}\n".encode())
    finally:
        os.close(fd)
    print(
        f"首次启动：已创建管理员账号 {INITIAL_ADMIN}，初始密码 {password}（首次登录须修改；也写入 {path}，仅本用户可读）\n"
        f"First start: created the account '{INITIAL_ADMIN}' with the password {password} (to be changed at the "
        f"first login; also written to {path}, readable only by this user)",
        file=stream or sys.stderr,
        flush=True,
    )
    return password


# ------------------------------------------------------------------ wall screens' link tokens


def create_screen_token(
    store: Store, region: str, label: str | None, *, actor: str, client: str | None = None
) -> tuple[str, str]:
    """A read-only link for a wall screen of ``region``: (its id, its token — shown once, never stored)."""
    check_region(region)
    token = secrets.token_urlsafe(24)
    while True:
        token_id = secrets.token_hex(4)
        if aq.screen_tokens_frame(store).query("token_id == @token_id").empty:
            break
    aq.insert_screen_token(store, token_id, token_hash(token), region, (label or "").strip() or None, actor, now())
    audit(
        store,
        actor,
        "screen_token_create",
        token_id,
        f"region={region} ({region_label(region, 'zh')})" + (f" label={label}" if label else ""),
        client,
    )
    return token_id, token


def revoke_screen_token(store: Store, token_id: str, *, actor: str, client: str | None = None) -> None:
    if not aq.revoke_screen_token(store, token_id, actor, now()):
        raise AccountError(
            f"expected the id of a link in force, got {token_id!r}", zh=f"没有编号为“{token_id}”的有效大屏链接"
        )
    audit(store, actor, "screen_token_revoke", token_id, None, client)


def screen_token_account(store: Store, token: str, timeout_s: float = 30.0) -> Account | None:
    """The wall screen's viewer of a link token in force, or None (unknown or revoked)."""
    row = aq.screen_token_row(store, token_hash(token), timeout_s=timeout_s)
    if row is None or row["revoked_at"] is not None:
        return None
    at = now()
    if row["last_used_at"] is None or at - row["last_used_at"] >= TOUCH_EVERY:
        aq.touch_screen_token(store, row["token_id"], at, timeout_s=timeout_s)
    return screen_account(row["token_id"], row["region_code"], row["label"])


def screen_tokens_frame(store: Store) -> pd.DataFrame:
    return aq.screen_tokens_frame(store)
