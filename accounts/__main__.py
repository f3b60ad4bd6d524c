"""``python -m accounts``: the accounts of the dashboard, its big-screen link tokens and its audit trail.

    python -m accounts add USER --role ROLE --region ADCODE (--password-stdin | --oidc) [--display NAME]
    python -m accounts list [--json]
    python -m accounts disable USER | enable USER
    python -m accounts reset USER --password-stdin
    python -m accounts change USER --role ROLE --region ADCODE
    python -m accounts token create --region ADCODE [--label TEXT] [--url BASE] | token list | token revoke ID
    python -m accounts audit [--limit N] [--out FILE.csv]

Every command takes ``--db PATH`` (default ``$SAFETY_DB`` or ``data/safety.duckdb``). Exit codes: 0 done;
2 a bad argument (a bad role, an unknown region code, an existing or unknown user, a weak password, a store
that does not exist) with one line on stderr, and nothing changed. Every change is audited as
``cli:<user of the operating system>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from accounts.model import AccountError, check_region, check_role_region, check_username
from accounts.roles import ROLES


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m accounts", description="Accounts of the production-safety dashboard")
    sub = ap.add_subparsers(dest="command", required=True)

    def cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", help="store file (default: $SAFETY_DB or data/safety.duckdb)")
        return p

    add = cmd("add", "add an account")
    add.add_argument("user")
    add.add_argument("--role", required=True, help=f"one of {', '.join(ROLES)}")
    add.add_argument("--region", required=True, help="the region code (adcode) the account sees: 430000, 100000 …")
    add.add_argument("--display", help="the person's name, as shown in the app")
    how = add.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (changed at the first login)",
    )
    how.add_argument("--oidc", action="store_true", help="no local password: logs in through the identity provider")
    lst = cmd("list", "list the accounts")
    lst.add_argument("--json", action="store_true")
    for name, text in (("disable", "disable an account (its sessions end at once)"), ("enable", "enable it again")):
        cmd(name, text).add_argument("user")
    reset = cmd("reset", "set a new password (to be changed at the next login); the sessions end")
    reset.add_argument("user")
    reset.add_argument("--password-stdin", action="store_true", required=True)
    change = cmd("change", "change an account's role and region")
    change.add_argument("user")
    change.add_argument("--role", required=True)
    change.add_argument("--region", required=True)
    token = sub.add_parser("token", help="read-only links for the big screen")
    tsub = token.add_subparsers(dest="token_command", required=True)
    create = tsub.add_parser("create", help="a link for the big screen of one region (printed once)")
    create.add_argument("--region", required=True)
    create.add_argument("--label")
    create.add_argument("--url", default="http://localhost:8501", help="the dashboard's address, for the link printed")
    create.add_argument("--db")
    tlist = tsub.add_parser("list", help="the links and whether they are in force")
    tlist.add_argument("--db")
    revoke = tsub.add_parser("revoke", help="revoke a link: screens showing it stop at their next refresh")
    revoke.add_argument("token_id")
    revoke.add_argument("--db")
    audit = cmd("audit", "the audit trail, newest first (CSV with --out)")
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--out", help="write every entry to this CSV file (UTF-8 with BOM) instead")
    return ap


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _store(db: str | None, create: bool):
    from loaders.demo.ensure import open_or_build
    from store import Store, default_db_path

    path = Path(db) if db else default_db_path()
    if not path.exists() and not create:
        raise AccountError(f"expected an existing store, got {path} (no such file)")
    store = open_or_build(path if db else None) if create else Store(path)
    store.ensure_schema()
    return store


def _password() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise AccountError("expected a password on the first line of standard input, got nothing")
    return line


def _actor() -> str:
    from accounts.service import cli_actor

    return cli_actor()


def _when(value: object) -> str:
    import pandas as pd

    return "-" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from accounts import service as svc
    from domain.regions import region_label

    actor, client = _actor(), "localhost"
    try:
        # The arguments first: a bad one exits before the store is opened (or created).
        if args.command in ("add", "change"):
            if args.command == "add":
                check_username(args.user)
            check_role_region(args.role, args.region)
        if args.command == "token" and args.token_command == "create":
            check_region(args.region)
        if args.command == "add":
            password = None if args.oidc else _password()
            store = _store(args.db, create=True)
            acc = svc.create_account(
                store, args.user, args.role, args.region, password, display=args.display, actor=actor, client=client
            )
            print(
                f"added {acc.username} ({args.role}, {args.region} {region_label(args.region, 'zh')})"
                + (
                    "; logs in through the identity provider"
                    if password is None
                    else "; the password must be changed at the first login"
                )
            )
        elif args.command == "list":
            frame = svc.accounts_frame(_store(args.db, create=False))
            rows = [
                {
                    "username": r.username,
                    "role": r.role,
                    "region": r.region_code,
                    "region_name": region_label(r.region_code, "zh"),
                    "display": r.display_name or "",
                    "login": "password" if r.has_password else "oidc",
                    "state": "disabled"
                    if r.disabled_at is not None and str(r.disabled_at) != "NaT"
                    else ("must change password" if r.must_change else "active"),
                    "last_login": _when(r.last_login_at),
                }
                for r in frame.itertuples()
            ]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                keys = ("username", "role", "region", "region_name", "display", "login", "state", "last_login")
                widths = {k: max([len(k), *(len(str(r[k])) for r in rows)]) for k in keys}
                print("  ".join(k.ljust(widths[k]) for k in keys).rstrip())
                for r in rows:
                    print("  ".join(str(r[k]).ljust(widths[k]) for k in keys).rstrip())
        elif args.command in ("disable", "enable"):
            svc.set_disabled(
                _store(args.db, create=False), args.user, args.command == "disable", actor=actor, client=client
            )
            print(f"{args.command}d {args.user}" + ("; its sessions ended" if args.command == "disable" else ""))
        elif args.command == "reset":
            store = _store(args.db, create=False)
            svc.require_account(store, args.user)  # an unknown user fails before the password is read
            svc.reset_password(store, args.user, _password(), actor=actor, client=client)
            print(f"reset the password of {args.user}: to be changed at the next login; its sessions ended")
        elif args.command == "change":
            svc.change_role_region(
                _store(args.db, create=False), args.user, args.role, args.region, actor=actor, client=client
            )
            print(
                f"changed {args.user}: {args.role}, {args.region} {region_label(args.region, 'zh')}; its sessions ended"
            )
        elif args.command == "token":
            store = _store(args.db, create=False)
            if args.token_command == "create":
                token_id, token = svc.create_screen_token(store, args.region, args.label, actor=actor, client=client)
                print(f"created link {token_id} for {args.region} {region_label(args.region, 'zh')} (shown once):")
                print(f"{args.url.rstrip('/')}/screen?token={token}&playlist={args.region}")
            elif args.token_command == "list":
                for r in svc.screen_tokens_frame(store).itertuples():
                    state = "revoked " + _when(r.revoked_at) if _when(r.revoked_at) != "-" else "in force"
                    print(
                        f"{r.token_id}  {r.region_code} {region_label(r.region_code, 'zh')}  {r.label or ''}  "
                        f"by {r.created_by} {_when(r.created_at)}  last used {_when(r.last_used_at)}  {state}"
                    )
            else:
                svc.revoke_screen_token(store, args.token_id, actor=actor, client=client)
                print(f"revoked link {args.token_id}")
        elif args.command == "audit":
            from accounts.audit import audit_export
            from exports.downloads import to_csv
            from store.accounts_queries import audit_frame

            store = _store(args.db, create=False)
            if args.out:
                frame = audit_frame(store)
                Path(args.out).write_bytes(to_csv(audit_export(frame, "zh", f"{store.path}", dt.datetime.now())))
                print(f"wrote {len(frame)} audit entries to {args.out}")
            else:
                for r in audit_frame(store, limit=args.limit).itertuples():
                    print(
                        f"{r.at:%Y-%m-%d %H:%M:%S}  {r.actor}  {r.action}  {r.target or ''}  {r.detail or ''}  "
                        f"{r.client or ''}  {r.outcome}"
                    )
    except AccountError as exc:
        return _fail(str(exc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
