"""Accounts as the app sees them, the login policy, and the checks of a name, a role and a region (pure)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

import settings
from accounts.roles import ROLES, SCREEN_ROLE, role_may
from domain.regions import COUNTRY_CODE, is_ancestor, load_regions


class AccountError(ValueError):
    """A request about accounts that cannot be met (bad name, role, region or password, unknown or
    existing account). ``str(exc)`` is one English line, ``exc.zh`` the Chinese."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh or message

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


@dataclass(frozen=True)
class Account:
    """Who is looking: a person's account, or a wall screen's link token (role ``screen``)."""

    username: str
    role: str
    region: str  # the account's region (adcode); its data stays inside it (see ``scope``)
    display: str = ""
    must_change: bool = False  # the password must be changed before anything else (first login, reset)
    via: str = "password"  # how this session was opened: password, oidc, screen-token

    @property
    def label(self) -> str:
        return self.display or self.username

    @property
    def scope(self) -> str:
        """The region whose subtree this account may see: the whole country for an administrator."""
        return COUNTRY_CODE if role_may(self.role, "all_regions") else self.region

    def sees(self, code: str) -> bool:
        """Whether a region (adcode) lies inside this account's scope."""
        return within(self.scope, code)


@dataclass(frozen=True)
class AuthPolicy:
    """Timeouts and the slowing down of failed logins (``auth_policy()`` reads them from the settings)."""

    idle: dt.timedelta = dt.timedelta(minutes=30)  # a session ends after this long without activity
    max_age: dt.timedelta = dt.timedelta(hours=12)  # and this long after the login, whatever the activity
    free_attempts: int = 3  # failed logins of one user before each further one is delayed
    max_delay_s: float = 900.0  # the longest delay (a temporary lock)
    client_factor: int = 10  # a client address (a whole office behind one proxy) gets this many times more
    forget_after: dt.timedelta = dt.timedelta(hours=24)  # failures older than this are forgotten

    def __post_init__(self) -> None:
        if self.idle <= dt.timedelta(0) or self.max_age <= dt.timedelta(0):
            raise ValueError(f"expected positive timeouts, got idle={self.idle}, max_age={self.max_age}")
        if self.free_attempts < 1 or self.max_delay_s <= 0:
            raise ValueError(
                f"expected free_attempts >= 1 and max_delay_s > 0, got {self.free_attempts}, {self.max_delay_s}"
            )


def auth_policy(environ: Mapping[str, str] | None = None) -> AuthPolicy:
    """The login policy from the settings (``settings.auth_values``: read from ``environ``, default the
    environment). A bad value raises ValueError naming the setting, what it got and what it wants."""
    return AuthPolicy(**settings.auth_values(environ))  # type: ignore[arg-type]


def within(scope: str, code: str) -> bool:
    """Whether ``code`` is ``scope`` or inside it (everything is inside the country)."""
    return scope == COUNTRY_CODE or code == scope or is_ancestor(scope, code)


_NAME = re.compile(r"^[\w.@-]{2,64}$")


def check_username(name: str) -> str:
    """The name, stripped; AccountError for anything else than 2–64 letters, digits, . _ - @ (Chinese
    characters are letters)."""
    value = (name or "").strip()
    if not _NAME.match(value):
        raise AccountError(
            f"expected a user name of 2 to 64 letters, digits, '.', '_', '-' or '@', got {name!r}",
            zh=f"用户名应为 2 至 64 个字母、数字或 . _ - @，而不是“{name}”",
        )
    return value


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(
            f"expected a role {', '.join(ROLES)}, got {role!r}", zh=f"角色应为 {'、'.join(ROLES)} 之一，而不是“{role}”"
        )
    return role


def check_region(code: str) -> str:
    """A region code known to the region dictionary (GB/T 2260; 100000 is the whole country)."""
    value = (code or "").strip()
    if value not in load_regions():
        raise AccountError(
            f"expected a region code (adcode) such as 430000 or 100000, got {code!r}",
            zh=f"地区应为行政区划代码（如 430000、100000），而“{code}”不是已知的代码",
        )
    return value


def inside(codes: tuple[str, ...], scope: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The codes inside ``scope`` and the others, each in their order (a screen link's playlist)."""
    return (tuple(c for c in codes if within(scope, c)), tuple(c for c in codes if not within(scope, c)))


def check_role_region(role: str, region: str) -> tuple[str, str]:
    """A role and a region that go together: an administrator sees every region, so their region is the
    whole country (100000)."""
    check_role(role)
    check_region(region)
    if role_may(role, "all_regions") and region.strip() != COUNTRY_CODE:
        raise AccountError(
            f"expected region {COUNTRY_CODE} for the role {role} (every region), got {region!r}",
            zh=f"系统管理员可查看所有地区，地区应为 {COUNTRY_CODE}（全国），而不是“{region}”",
        )
    return role, region.strip()


def screen_account(token_id: str, region: str, label: str | None) -> Account:
    """The viewer of a wall screen opened with a link token: the big screen of one region, nothing else."""
    return Account(f"screen:{token_id}", SCREEN_ROLE, region, label or "", False, "screen-token")
