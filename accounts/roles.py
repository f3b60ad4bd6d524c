"""Roles and what each may do: the one table of roles × pages × actions (pure).

Every page and every action asks :func:`may`; the navigation shows only the pages a role may open, and
a page opened by its link without the right says so and shows nothing.
"""

from __future__ import annotations

# The pages, by their url_path in dashboard.py.
PAGES: tuple[str, ...] = ("briefing", "trends", "map", "hazards", "explore", "data", "present", "screen", "accounts")

# The actions that are checked where they happen.
ACTIONS: dict[str, tuple[str, str]] = {
    "download_summary": ("下载汇报材料（会议材料、月报表）", "download summaries (meeting pack, monthly report)"),
    "download_records": (
        "下载明细数据（记录、拒收行、质量问题）",
        "download records (records, rejects, quality findings)",
    ),
    "upload": ("上传并导入数据（本辖区）", "upload and import data (own region)"),
    "undo": ("撤销导入（本辖区）", "undo an import (own region)"),
    "mapping": ("保存列对应", "save column mappings"),
    "accounts": ("管理账号", "manage accounts"),
    "audit": ("查看和导出审计日志", "see and export the audit trail"),
    "screen_tokens": ("创建和撤销大屏链接", "create and revoke big-screen links"),
    "all_regions": ("查看所有地区", "see every region"),
}

# The roles a person's account can have, lowest first, with their names in a bureau's words.
ROLES: dict[str, tuple[str, str]] = {
    "viewer": ("领导查看", "Leadership (viewer)"),
    "analyst": ("分析人员", "Analyst"),
    "data": ("数据管理员", "Data officer"),
    "admin": ("系统管理员", "Administrator"),
}
# The role of a wall screen opened with a link token (never an account's).
SCREEN_ROLE = "screen"


def page(url_path: str) -> str:
    """The permission to open a page: ``page:explore``."""
    return f"page:{url_path}"


_VIEWER = frozenset(
    {
        page("briefing"),
        page("trends"),
        page("map"),
        page("hazards"),
        page("present"),
        page("screen"),
        "download_summary",
    }
)
_ANALYST = _VIEWER | {page("explore"), "download_records"}
_DATA = _ANALYST | {page("data"), "upload", "undo", "mapping"}
_ADMIN = _DATA | {page("accounts"), "accounts", "audit", "screen_tokens", "all_regions"}

PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": _VIEWER,
    "analyst": _ANALYST,
    "data": _DATA,
    "admin": _ADMIN,
    SCREEN_ROLE: frozenset({page("screen")}),
}
KNOWN = frozenset({page(p) for p in PAGES} | set(ACTIONS))


def role_may(role: str, permission: str) -> bool:
    """Whether ``role`` has ``permission`` (a page as ``page:<url_path>`` or an action of ACTIONS). An
    unknown permission raises ValueError (a typo must not silently deny or allow)."""
    if permission not in KNOWN:
        raise ValueError(
            f"expected a page (page:{'|'.join(PAGES)}) or an action ({', '.join(ACTIONS)}), got {permission!r}"
        )
    return permission in PERMISSIONS.get(role, frozenset())


def role_label(role: str, lang: str = "zh") -> str:
    zh, en = ROLES.get(role, ("大屏链接", "Screen link") if role == SCREEN_ROLE else (role, role))
    return zh if lang == "zh" else en
