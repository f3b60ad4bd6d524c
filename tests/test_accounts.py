"""Accounts, roles and login (accounts/): password hashing, the roles × pages × actions table, the command
line's exit codes and one-line messages, sessions and their timeouts, the slowing down of failed logins,
the first start's administrator, the big screen's link tokens, the audit trail and the cookie route."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, empty_store

from accounts import ACTIONS, PAGES, Account, AccountError, may, page
from accounts import service as svc
from accounts.model import AuthPolicy, check_role_region, inside, within
from accounts.passwords import hash_password, needs_rehash, password_problems, random_password, verify_password
from accounts.roles import PERMISSIONS, ROLES, role_may
from accounts.throttle import delay_s, locked_until
from store import Store, open_store
from store import accounts_queries as aq

PASSWORD = "Correct-horse-42"
T0 = dt.datetime(2025, 6, 15, 9, 0, 0)


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    return empty_store(empty_template, tmp_path / "accounts.duckdb")


def actions_of(store: Store) -> list[tuple[str, str, str | None, str]]:
    """(actor, action, target, outcome) of every audit entry, in the order written (the tests give some
    entries a time of their own)."""
    frame = store.query("SELECT actor, action, target, outcome FROM audit_log ORDER BY rowid")
    return [(r.actor, r.action, r.target, r.outcome) for r in frame.itertuples()]


# ---------------------------------------------------------------- passwords


def test_a_password_is_stored_as_an_argon2id_hash_and_verified():
    h = hash_password(PASSWORD)
    assert h.startswith("$argon2id$v=19$") and PASSWORD not in h
    assert hash_password(PASSWORD) != h  # salted
    assert verify_password(h, PASSWORD)
    assert not verify_password(h, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)  # an account of the identity provider has no password
    assert not verify_password("not a hash", PASSWORD)
    assert not needs_rehash(h)


def test_a_hash_made_with_weaker_parameters_is_rehashed():
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    assert verify_password(weak, PASSWORD) and needs_rehash(weak)


@pytest.mark.parametrize(
    ("password", "user", "problems"),
    [
        ("Correct-horse-42", "zhang", []),
        ("short1", "zhang", ["expected at least 10 characters, got 6"]),
        ("onlyletters-here", "zhang", ["expected both letters and digits"]),
        ("1234567890123", "zhang", ["expected both letters and digits"]),
        ("zhang-2025-pass", "zhang", ["expected a password without the user name in it"]),
        ("安全生产二〇二五年1号", "li", []),  # Chinese letters count as letters
    ],
)
def test_what_a_new_password_must_be(password: str, user: str, problems: list[str]):
    assert [en for _, en in password_problems(password, user)] == problems


def test_a_random_password_meets_the_rules():
    for _ in range(20):
        assert password_problems(random_password()) == []


# ---------------------------------------------------------------- roles × pages × actions

# The table written out, not derived: a change of the rights must change this test.
V, A, D, M, S = "viewer", "analyst", "data", "admin", "screen"
ALLOWED: dict[str, set[str]] = {
    page("briefing"): {V, A, D, M},
    page("trends"): {V, A, D, M},
    page("map"): {V, A, D, M},
    page("hazards"): {V, A, D, M},
    page("present"): {V, A, D, M},
    page("screen"): {V, A, D, M, S},
    page("explore"): {A, D, M},
    page("data"): {D, M},
    page("accounts"): {M},
    "download_summary": {V, A, D, M},
    "download_records": {A, D, M},
    "upload": {D, M},
    "undo": {D, M},
    "mapping": {D, M},
    "accounts": {M},
    "audit": {M},
    "screen_tokens": {M},
    "all_regions": {M},
}


def test_the_table_covers_every_page_and_action():
    assert set(ALLOWED) == {page(p) for p in PAGES} | set(ACTIONS)
    assert set(PERMISSIONS) == {*ROLES, S}


@pytest.mark.parametrize("role", [V, A, D, M, S])
@pytest.mark.parametrize("permission", sorted(ALLOWED))
def test_roles_pages_and_actions(role: str, permission: str):
    assert role_may(role, permission) == (role in ALLOWED[permission])
    assert may(Account("u", role, "430000"), permission) == (role in ALLOWED[permission])


def test_an_unknown_permission_or_role_never_passes_silently():
    with pytest.raises(ValueError, match="expected a page"):
        role_may("admin", "page:nowhere")
    with pytest.raises(ValueError, match="expected a page"):
        role_may("admin", "delete_everything")
    assert not role_may("boss", page("briefing"))


@pytest.mark.parametrize(
    ("role", "region", "scope", "sees"),
    [
        ("viewer", "430000", "430000", {"430000": True, "430104": True, "440000": False, "100000": False}),
        ("analyst", "430100", "430100", {"430104": True, "430200": False, "430000": False}),
        ("admin", "100000", "100000", {"440000": True, "100000": True}),
    ],
)
def test_an_account_sees_its_region_and_what_lies_inside(role: str, region: str, scope: str, sees: dict[str, bool]):
    account = Account("u", role, region)
    assert account.scope == scope
    assert {c: account.sees(c) for c in sees} == sees


def test_a_screen_links_playlist_keeps_the_regions_inside_its_region():
    assert inside(("430000", "430100", "440000", "430104"), "430000") == (("430000", "430100", "430104"), ("440000",))
    assert within("100000", "650000") and not within("430000", "100000")


@pytest.mark.parametrize(
    ("role", "region", "error"),
    [
        ("boss", "430000", "expected a role viewer, analyst, data, admin, got 'boss'"),
        ("viewer", "999999", "expected a region code (adcode) such as 430000 or 100000, got '999999'"),
        ("admin", "430000", "expected region 100000 for the role admin (every region), got '430000'"),
    ],
)
def test_a_bad_role_or_region_is_named(role: str, region: str, error: str):
    with pytest.raises(AccountError) as info:
        check_role_region(role, region)
    assert str(info.value) == error and info.value.zh


# ---------------------------------------------------------------- the command line


def cli(
    db: Path,
    *args: str,
    stdin: str = "",
    capsys: pytest.CaptureFixture | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> tuple[int, str, str]:
    from accounts.__main__ import main

    assert capsys is not None and monkeypatch is not None
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([*args, "--db", str(db)] if args[0] != "token" else [*args, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


CLI_ERRORS = [
    (
        ("add", "li", "--role", "boss", "--region", "430000", "--password-stdin"),
        PASSWORD,
        "error: expected a role viewer, analyst, data, admin, got 'boss'",
    ),
    (
        ("add", "li", "--role", "viewer", "--region", "999999", "--password-stdin"),
        PASSWORD,
        "error: expected a region code (adcode) such as 430000 or 100000, got '999999'",
    ),
    (
        ("add", "zhang", "--role", "viewer", "--region", "430000", "--password-stdin"),
        PASSWORD,
        "error: expected a new user name, got 'zhang' (an account of that name exists)",
    ),
    (
        ("add", "li", "--role", "admin", "--region", "430000", "--password-stdin"),
        PASSWORD,
        "error: expected region 100000 for the role admin (every region), got '430000'",
    ),
    (
        ("add", "li", "--role", "viewer", "--region", "430000", "--password-stdin"),
        "short",
        "error: expected at least 10 characters, got 5; expected both letters and digits",
    ),
    (
        ("add", "li", "--role", "viewer", "--region", "430000", "--password-stdin"),
        "",
        "error: expected a password on the first line of standard input, got nothing",
    ),
    (
        ("add", "l i", "--role", "viewer", "--region", "430000", "--password-stdin"),
        PASSWORD,
        "error: expected a user name of 2 to 64 letters, digits, '.', '_', '-' or '@', got 'l i'",
    ),
    (("disable", "nobody"), "", "error: expected an existing user name, got 'nobody' (see python -m accounts list)"),
    (
        ("reset", "nobody", "--password-stdin"),
        PASSWORD,
        "error: expected an existing user name, got 'nobody' (see python -m accounts list)",
    ),
    (
        ("change", "zhang", "--role", "viewer", "--region", "990000"),
        "",
        "error: expected a region code (adcode) such as 430000 or 100000, got '990000'",
    ),
    (
        ("token", "create", "--region", "123"),
        "",
        "error: expected a region code (adcode) such as 430000 or 100000, got '123'",
    ),
    (("token", "revoke", "deadbeef"), "", "error: expected the id of a link in force, got 'deadbeef'"),
]


@pytest.mark.parametrize(("args", "stdin", "error"), CLI_ERRORS, ids=[" ".join(a[:3]) for a, _, _ in CLI_ERRORS])
def test_a_bad_command_exits_2_with_one_line_and_changes_nothing(store: Store, capsys, monkeypatch, args, stdin, error):
    svc.create_account(store, "zhang", "analyst", "430000", PASSWORD, must_change=False)
    before = svc.accounts_frame(store)
    code, out, err = cli(store.path, *args, stdin=stdin, capsys=capsys, monkeypatch=monkeypatch)
    assert (code, out, err) == (2, "", error + "\n")
    assert svc.accounts_frame(store).equals(before)


def test_list_refuses_a_store_that_does_not_exist(tmp_path: Path, capsys, monkeypatch):
    missing = tmp_path / "none.duckdb"
    code, out, err = cli(missing, "list", capsys=capsys, monkeypatch=monkeypatch)
    assert (code, err) == (2, f"error: expected an existing store, got {missing} (no such file)\n")
    assert not missing.exists()


def test_add_list_disable_enable_reset_change_and_the_audit(store: Store, capsys, monkeypatch, tmp_path: Path):
    def run(*args: str, stdin: str = "") -> str:
        code, out, err = cli(store.path, *args, stdin=stdin, capsys=capsys, monkeypatch=monkeypatch)
        assert (code, err) == (0, ""), err
        return out

    assert (
        run(
            "add",
            "zhang",
            "--role",
            "data",
            "--region",
            "430100",
            "--display",
            "张三",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        == "added zhang (data, 430100 长沙市); the password must be changed at the first login\n"
    )
    assert (
        run("add", "wang@bureau.gov.cn", "--role", "viewer", "--region", "430000", "--oidc")
        == "added wang@bureau.gov.cn (viewer, 430000 湖南省); logs in through the identity provider\n"
    )
    listed = run("list").splitlines()
    assert listed[0].split() == ["username", "role", "region", "region_name", "display", "login", "state", "last_login"]
    assert listed[2].split() == [
        "zhang",
        "data",
        "430100",
        "长沙市",
        "张三",
        "password",
        "must",
        "change",
        "password",
        "-",
    ]
    acc = svc.authenticate(store, "zhang", PASSWORD, "10.0.0.1", AuthPolicy())
    assert acc.account is not None and acc.account.must_change
    assert run("disable", "zhang") == "disabled zhang; its sessions ended\n"
    assert svc.check_session(store, acc.token, AuthPolicy()).state == "revoked"  # its sessions end at once
    assert svc.authenticate(store, "zhang", PASSWORD, "10.0.0.1", AuthPolicy()).error == (
        "此账号已停用，请联系系统管理员。",
        "This account is disabled: ask an administrator.",
    )
    assert run("enable", "zhang") == "enabled zhang\n"
    assert run("reset", "zhang", "--password-stdin", stdin="Another-pass-77\n").startswith(
        "reset the password of zhang"
    )
    assert svc.authenticate(store, "zhang", "Another-pass-77", "10.0.0.1", AuthPolicy()).account.must_change
    assert run("change", "zhang", "--role", "analyst", "--region", "430000").startswith(
        "changed zhang: analyst, 430000"
    )
    assert svc.get_account(store, "zhang").role == "analyst"
    out = tmp_path / "audit.csv"
    assert run("audit", "--out", str(out)).startswith("wrote ")
    import pandas as pd

    from exports.downloads import HEADER_ROWS

    audit = pd.read_csv(out, skiprows=HEADER_ROWS, encoding="utf-8-sig", dtype=str)
    assert {
        "account_add",
        "account_disable",
        "account_enable",
        "account_reset",
        "account_change",
        "login",
        "login_failed",
    } <= set(audit["操作代码"])
    assert set(audit.loc[audit["操作代码"].str.startswith("account_"), "操作人"]) == {f"cli:{_os_user()}"}


def _os_user() -> str:
    import getpass

    return getpass.getuser()


def test_the_command_line_exits_2_in_a_real_process(tmp_path: Path):
    """The module as run: exit code 2 and one line on stderr (the in-process tests cover the cases)."""
    db = tmp_path / "cli.duckdb"
    open_store(db)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "accounts",
            "add",
            "li",
            "--role",
            "boss",
            "--region",
            "430000",
            "--password-stdin",
            "--db",
            str(db),
        ],
        input=PASSWORD,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == "error: expected a role viewer, analyst, data, admin, got 'boss'\n"


# ---------------------------------------------------------------- sessions and their timeouts

POLICY = AuthPolicy(idle=dt.timedelta(minutes=30), max_age=dt.timedelta(hours=12))


def test_a_session_ends_after_inactivity_its_max_age_or_a_logout(store: Store):
    svc.create_account(store, "zhang", "viewer", "430000", PASSWORD, must_change=False)
    token = svc.open_session(store, "zhang", "10.0.0.1", POLICY, T0)
    assert aq.session_row(store, svc.token_hash(token)) is not None
    assert token not in str(aq.session_row(store, svc.token_hash(token)))  # only its hash is kept
    cases = [
        (dt.timedelta(minutes=29), "ok"),
        (dt.timedelta(minutes=58), "ok"),  # the first use moved last_seen
        (dt.timedelta(minutes=58 + 31), "idle"),
    ]
    for after, state in cases:
        assert svc.check_session(store, token, POLICY, T0 + after).state == state, after
    assert svc.check_session(store, token, POLICY, T0 + dt.timedelta(minutes=90)).state == "revoked"  # ended for good

    busy = svc.open_session(store, "zhang", "10.0.0.1", POLICY, T0)
    for minutes in range(20, 12 * 60, 20):  # active every 20 minutes: still ends at 12 hours
        assert svc.check_session(store, busy, POLICY, T0 + dt.timedelta(minutes=minutes)).state == "ok"
    assert svc.check_session(store, busy, POLICY, T0 + dt.timedelta(hours=12)).state == "expired"

    other = svc.open_session(store, "zhang", "10.0.0.1", POLICY, T0)
    svc.end_session(store, other, "zhang", "10.0.0.1")
    assert svc.check_session(store, other, POLICY, T0).state == "revoked"
    assert svc.check_session(store, "no such token", POLICY, T0).state == "unknown"
    assert [a for _, a, _, _ in actions_of(store)].count("session_timeout") == 2
    assert ("zhang", "logout", "zhang", "ok") in actions_of(store)


def test_a_fragment_check_does_not_keep_a_session_alive(store: Store):
    svc.create_account(store, "zhang", "viewer", "430000", PASSWORD, must_change=False)
    token = svc.open_session(store, "zhang", None, POLICY, T0)
    for minutes in (10, 20, 29):  # the big screen refreshing by itself
        assert svc.check_session(store, token, POLICY, T0 + dt.timedelta(minutes=minutes), touch=False).state == "ok"
    assert svc.check_session(store, token, POLICY, T0 + dt.timedelta(minutes=31)).state == "idle"


def test_a_password_change_ends_the_other_sessions_and_a_role_change_all(store: Store):
    svc.create_account(store, "zhang", "viewer", "430000", PASSWORD, must_change=False)
    here = svc.open_session(store, "zhang", None, POLICY, T0)
    there = svc.open_session(store, "zhang", None, POLICY, T0)
    account = svc.get_account(store, "zhang")
    with pytest.raises(AccountError, match="expected the current password"):
        svc.change_password(store, account, "wrong", "Brand-new-pass-1", session_token=here)
    with pytest.raises(AccountError, match="expected a new password, got the current one"):
        svc.change_password(store, account, PASSWORD, PASSWORD, session_token=here)
    svc.change_password(store, account, PASSWORD, "Brand-new-pass-1", session_token=here)
    assert svc.check_session(store, here, POLICY, T0).state == "ok"
    assert svc.check_session(store, there, POLICY, T0).state == "revoked"
    svc.change_role_region(store, "zhang", "analyst", "430100", actor="admin")
    assert svc.check_session(store, here, POLICY, T0).state == "revoked"


# ---------------------------------------------------------------- failed logins


@pytest.mark.parametrize(
    ("failures", "free", "seconds"),
    [
        (0, 3, 0),
        (3, 3, 0),
        (4, 3, 1),
        (5, 3, 2),
        (6, 3, 4),
        (10, 3, 64),
        (13, 3, 512),
        (14, 3, 900),
        (200, 3, 900),
        (29, 30, 0),
        (31, 30, 1),
    ],
)
def test_the_delay_doubles_after_the_free_attempts_up_to_the_longest(failures: int, free: int, seconds: float):
    assert delay_s(failures, free, 900) == seconds


def test_repeated_failed_logins_are_slowed_down_logged_and_cleared_by_a_success(store: Store):
    svc.create_account(store, "zhang", "viewer", "430000", PASSWORD, must_change=False)
    policy = AuthPolicy(free_attempts=3, max_delay_s=900)
    at = T0
    for _ in range(3):  # the free attempts: no wait
        r = svc.authenticate(store, "zhang", "wrong", "10.0.0.9", policy, at)
        assert r.account is None and r.error == svc.WRONG and r.locked_until is None
    r = svc.authenticate(store, "zhang", "wrong", "10.0.0.9", policy, at)  # the 4th: 1 s to wait
    assert r.locked_until == at + dt.timedelta(seconds=1)
    # during the wait even the right password is refused, unchecked, and says how long
    r = svc.authenticate(store, "zhang", PASSWORD, "10.0.0.9", policy, at + dt.timedelta(milliseconds=500))
    assert r.account is None and r.error == (
        "登录失败次数过多，请 1 秒后再试。",
        "Too many failed logins: try again in 1 s.",
    )
    at += dt.timedelta(seconds=2)
    r = svc.authenticate(store, "zhang", "wrong", "10.0.0.9", policy, at)  # the 5th: 2 s
    assert r.locked_until == at + dt.timedelta(seconds=2)
    # from another address the user's own count still holds
    assert svc.authenticate(store, "zhang", PASSWORD, "10.0.0.77", policy, at).locked_until == r.locked_until
    at += dt.timedelta(seconds=3)
    ok = svc.authenticate(store, "zhang", PASSWORD, "10.0.0.9", policy, at)
    assert ok.account is not None and ok.token
    assert aq.failures(store, ["user:zhang", "client:10.0.0.9"]) == {}
    assert [(a, o) for _, a, _, o in actions_of(store)] == [
        ("account_add", "ok"),
        *[("login_failed", "failed")] * 4,
        ("login_locked", "denied"),
        ("login_failed", "failed"),
        ("login_locked", "denied"),
        ("login", "ok"),
    ]
    assert {c for c in aq.audit_frame(store)["client"].dropna()} == {"10.0.0.9", "10.0.0.77"}


def test_one_client_trying_many_names_is_slowed_down_too(store: Store):
    policy = AuthPolicy(free_attempts=2, client_factor=10)
    for i in range(20):  # twenty names, each failing once: the client's count reaches its free attempts
        assert svc.authenticate(store, f"user{i}", "x", "10.9.9.9", policy, T0).locked_until is None
    r = svc.authenticate(store, "user21", "x", "10.9.9.9", policy, T0)
    assert r.locked_until == T0 + dt.timedelta(seconds=1)
    assert svc.authenticate(store, "user22", "x", "10.1.1.1", policy, T0).locked_until is None  # another client


def test_old_failures_are_forgotten():
    policy = AuthPolicy(free_attempts=1, forget_after=dt.timedelta(hours=24))
    counts = {"user:zhang": (5, T0)}
    assert locked_until(counts, policy, T0 + dt.timedelta(seconds=1)) == T0 + dt.timedelta(seconds=8)
    assert locked_until(counts, policy, T0 + dt.timedelta(hours=25)) is None


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(store: Store):
    svc.create_account(store, "zhang", "viewer", "430000", PASSWORD, must_change=False)
    unknown = svc.authenticate(store, "nobody", PASSWORD, "10.0.0.1", POLICY, T0)
    wrong = svc.authenticate(store, "zhang", "wrong-password-1", "10.0.0.2", POLICY, T0)
    assert unknown.error == wrong.error == svc.WRONG
    details = set(aq.audit_frame(store)["detail"].dropna())
    assert {"unknown user", "wrong password"} <= details


# ---------------------------------------------------------------- the first start


def test_the_first_start_creates_admin_with_a_random_password_in_a_0600_file(store: Store):
    err = io.StringIO()
    password = svc.ensure_initial_admin(store, err)
    assert password and not password_problems(password)
    path = svc.initial_password_file(store)
    assert path == store.path.parent / "initial-admin-password.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().splitlines() == ["admin", password]
    printed = err.getvalue()
    assert printed.count(password) == 2 and "admin" in printed and str(path) in printed  # once, in both languages
    assert svc.ensure_initial_admin(store, err) is None and err.getvalue() == printed  # accounts exist: nothing
    admin = svc.get_account(store, "admin")
    assert admin == Account("admin", "admin", "100000", "系统管理员", must_change=True)
    # the first login must change it; then the file is gone and the printed password opens nothing
    result = svc.authenticate(store, "admin", password, None, POLICY)
    assert result.account is not None and result.account.must_change
    svc.change_password(store, result.account, None, "New-chief-pass-9", session_token=result.token)
    assert not path.exists()
    assert not svc.get_account(store, "admin").must_change
    assert svc.authenticate(store, "admin", password, None, POLICY).account is None
    assert svc.authenticate(store, "admin", "New-chief-pass-9", None, POLICY).account is not None


def test_the_file_is_0600_even_when_one_was_there(store: Store):
    path = svc.initial_password_file(store)
    path.write_text("old")
    path.chmod(0o644)
    svc.ensure_initial_admin(store, io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_first_admin_when_an_account_exists(store: Store):
    svc.create_account(store, "zhang", "viewer", "430000", PASSWORD)
    assert svc.ensure_initial_admin(store, io.StringIO()) is None
    assert not svc.initial_password_file(store).exists()


# ---------------------------------------------------------------- the big screen's link tokens


def test_a_screen_link_is_valid_until_revoked_and_only_its_hash_is_kept(store: Store):
    token_id, token = svc.create_screen_token(store, "430000", "省厅指挥大厅", actor="admin")
    viewer = svc.screen_token_account(store, token)
    assert viewer == Account(f"screen:{token_id}", "screen", "430000", "省厅指挥大厅", False, "screen-token")
    assert may(viewer, page("screen")) and not may(viewer, page("briefing")) and not may(viewer, "download_summary")
    assert token not in aq.screen_tokens_frame(store).to_string()
    assert svc.screen_token_account(store, token + "x") is None
    svc.revoke_screen_token(store, token_id, actor="admin")
    assert svc.screen_token_account(store, token) is None
    with pytest.raises(AccountError, match="expected the id of a link in force"):
        svc.revoke_screen_token(store, token_id, actor="admin")
    assert [a for _, a, _, _ in actions_of(store)] == ["screen_token_create", "screen_token_revoke"]


# ---------------------------------------------------------------- the cookie route (accounts/web.py)


def _request(method: str, headers: dict[str, str], scheme: str = "http"):
    from starlette.requests import Request

    scope = {
        "type": "http",
        "method": method,
        "path": "/_account/session",
        "scheme": scheme,
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "server": ("x", 80),
    }
    return Request(scope)


def _call(method: str, headers: dict[str, str], scheme: str = "http"):
    from accounts import web

    return asyncio.run(web._session(_request(method, headers, scheme)))


def test_the_route_turns_a_one_time_code_into_an_httponly_cookie(monkeypatch):
    from accounts import web

    monkeypatch.setenv("SAFETY_SESSION_MAX_HOURS", "12")  # the cookie lasts as long as a session may

    code = web.offer("the-session-token")
    response = _call("POST", {web.HEADER: code})
    cookie = response.headers["set-cookie"]
    assert response.status_code == 200
    assert cookie.startswith(f"{web.COOKIE}=the-session-token;")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie and "Secure" not in cookie
    assert "Max-Age=43200" in cookie
    assert _call("POST", {web.HEADER: code}).status_code == 403  # used once
    assert _call("POST", {}).status_code == 403  # no header: a cross-site form cannot send one
    assert _call("POST", {web.HEADER: web.offer("t")}, scheme="https").headers["set-cookie"].count("Secure") == 1


def test_a_code_expires_and_the_logout_needs_its_header():
    from accounts import web

    code = web.offer("t", now=0.0)
    assert web.take(code, now=web.HANDOFF_TTL_S + 1) is None
    assert _call("DELETE", {}).status_code == 403
    cleared = _call("DELETE", {web.HEADER: "logout"})
    assert cleared.status_code == 200 and 'safety_session=""' in cleared.headers["set-cookie"]


# ---------------------------------------------------------------- an identity provider's user


def test_an_identity_providers_user_gets_their_accounts_role_and_region(store: Store):
    svc.create_account(store, "wang@bureau.gov.cn", "viewer", "430100", None)  # no local password
    ok = svc.oidc_login(store, {"email": "wang@bureau.gov.cn", "sub": "x1"}, "email", "10.0.0.5", POLICY)
    assert ok.account == Account("wang@bureau.gov.cn", "viewer", "430100", "", False, "oidc") and ok.token
    assert svc.check_session(store, ok.token, POLICY).account.via == "oidc"
    assert svc.authenticate(store, "wang@bureau.gov.cn", "", "10.0.0.5", POLICY).account is None  # no password login
    refused = svc.oidc_login(store, {"email": "li@bureau.gov.cn"}, "email", "10.0.0.5", POLICY)
    assert refused.account is None and "li@bureau.gov.cn" in refused.error[0]
    svc.set_disabled(store, "wang@bureau.gov.cn", True, actor="admin")
    assert svc.oidc_login(store, {"email": "wang@bureau.gov.cn"}, "email", None, POLICY).account is None
    assert svc.oidc_login(store, {"sub": "x1"}, "email", None, POLICY).account is None  # the claim is missing
    assert [(a, o) for _, a, _, o in actions_of(store)] == [
        ("account_add", "ok"),
        ("login", "ok"),
        ("login_failed", "failed"),
        ("login_failed", "failed"),
        ("account_disable", "ok"),
        ("login_failed", "failed"),
        ("login_failed", "failed"),
    ]
    details = aq.audit_frame(store)["detail"].dropna().tolist()
    assert {"oidc", "oidc: no account", "oidc: account disabled"} <= set(details)
