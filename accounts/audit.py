"""The audit trail as people read it: the actions in both languages, and its export (pure)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from exports.downloads import Column, Export

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "login": ("登录", "login"),
    "login_failed": ("登录失败", "failed login"),
    "login_locked": ("登录被暂停（失败次数过多）", "login refused (too many failures)"),
    "logout": ("退出登录", "logout"),
    "session_timeout": ("会话超时", "session timed out"),
    "password_change": ("修改密码", "password changed"),
    "account_add": ("新增账号", "account added"),
    "account_change": ("修改账号角色或地区", "account's role or region changed"),
    "account_disable": ("停用账号", "account disabled"),
    "account_enable": ("启用账号", "account enabled"),
    "account_reset": ("重置密码", "password reset"),
    "import": ("导入数据", "import"),
    "import_refused": ("导入被拒（超出辖区）", "import refused (outside the region)"),
    "undo": ("撤销导入", "undo of an import"),
    "demo_remove": ("删除演示数据", "demo data removed"),
    "undo_refused": ("撤销被拒", "undo refused"),
    "mapping_save": ("保存列对应", "column mapping saved"),
    "download": ("下载", "download"),
    "page_denied": ("访问无权页面", "page refused"),
    "screen_token_create": ("创建大屏链接", "screen link created"),
    "screen_token_revoke": ("撤销大屏链接", "screen link revoked"),
    "screen_token_refused": ("无效的大屏链接", "screen link refused"),
}
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "ok": ("成功", "ok"),
    "failed": ("失败", "failed"),
    "denied": ("拒绝", "denied"),
}


def action_label(action: str, lang: str) -> str:
    zh, en = ACTION_LABELS.get(action, (action, action))
    return zh if lang == "zh" else en


def audit_export(frame: pd.DataFrame, lang: str, source: str, exported_at: dt.datetime, filters: str = "") -> Export:
    """The audit entries (``store.accounts_queries.audit_frame``) as a download with the header block."""
    shown = frame.assign(
        at_text=[f"{pd.Timestamp(x):%Y-%m-%d %H:%M:%S}" for x in frame["at"]],
        action_text=[action_label(a, lang) for a in frame["action"]],
        outcome_text=[(OUTCOME_LABELS.get(o, (o, o))[0 if lang == "zh" else 1]) for o in frame["outcome"]],
    )
    columns = [
        Column("at_text", "时间", "Time"),
        Column("actor", "操作人", "Who"),
        Column("action", "操作代码", "Action code"),
        Column("action_text", "操作", "Action"),
        Column("target", "对象", "On what"),
        Column("detail", "详情", "Detail"),
        Column("client", "来源地址", "From"),
        Column("outcome", "结果代码", "Outcome code"),
        Column("outcome_text", "结果", "Outcome"),
    ]
    return Export(
        title="审计日志" if lang == "zh" else "审计日志 Audit trail",
        filters=filters or ("全部" if lang == "zh" else "all"),
        source=source,
        frame=shown,
        columns=columns,
        lang=lang,
        exported_at=exported_at.replace(microsecond=0),
        sheet="审计日志",
    )
