"""Accounts (账号管理), for administrators: the accounts (add, change role and region, disable or enable,
reset a password) and the big screen's read-only link tokens (create for one region, revoke). The same as
``python -m accounts``; every change goes into the audit trail (Data page, 审计日志)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from accounts import ROLES, AccountError, may, role_label
from accounts import service as svc
from accounts.passwords import random_password
from domain.regions import region_label
from i18n import md_text, t
from webapp.session import client_address, current_account
from webapp.state import current_view, get_store

account = current_account()
lang = current_view().lang
store = get_store()
ss = st.session_state
st.title(t("账号管理", "Accounts", lang))


def _when(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def _region(code: str) -> str:
    try:
        return t(f"{region_label(code, lang, full=True)}（{code}）", f"{region_label(code, lang)} ({code})", lang)
    except KeyError:
        return code


def _error(exc: AccountError) -> None:
    st.error(md_text(exc.text(lang)))  # it quotes what was typed: shown as text


def _once(key: str) -> None:
    """A secret shown once (a temporary password, a link), kept until the next change on this page."""
    shown = ss.get(key)
    if shown:
        st.success(md_text(shown[0 if lang == "zh" else 1]), icon=":material/key:")  # a name, a link: as typed


people, screens = st.tabs([t("账号", "Accounts", lang), t("大屏链接", "Big-screen links", lang)])

# ------------------------------------------------------------------------------------------ accounts
with people:
    if not may(account, "accounts"):
        st.error(t("您的角色无权管理账号。", "Your role may not manage accounts.", lang))
    else:
        _once("acc_secret")
        frame = svc.accounts_frame(store)
        state = [
            t("已停用", "disabled", lang)
            if pd.notna(d)
            else (t("须改密码", "must change password", lang) if m else t("正常", "active", lang))
            for d, m in zip(frame["disabled_at"], frame["must_change"], strict=True)
        ]
        st.dataframe(
            pd.DataFrame(
                {
                    t("用户名", "Username", lang): frame["username"],
                    t("姓名", "Name", lang): frame["display_name"].fillna(""),
                    t("角色", "Role", lang): [role_label(r, lang) for r in frame["role"]],
                    t("地区", "Region", lang): [_region(c) for c in frame["region_code"]],
                    t("登录方式", "Login", lang): [
                        t("密码", "password", lang) if p else t("统一身份认证", "identity provider", lang)
                        for p in frame["has_password"]
                    ],
                    t("状态", "State", lang): state,
                    t("最近登录", "Last login", lang): [_when(x) for x in frame["last_login_at"]],
                }
            ),
            hide_index=True,
            width="stretch",
            key="acc_table",
        )

        with st.expander(t("新增账号", "Add an account", lang), icon=":material/person_add:"):
            with st.form("acc_add", clear_on_submit=True):
                c1, c2 = st.columns(2)
                name = c1.text_input(t("用户名", "Username", lang), key="acc_new_name")
                display = c2.text_input(t("姓名（可选）", "Name (optional)", lang), key="acc_new_display")
                c3, c4 = st.columns(2)
                role = c3.selectbox(
                    t("角色", "Role", lang), list(ROLES), format_func=lambda r: role_label(r, lang), key="acc_new_role"
                )
                region = c4.text_input(
                    t(
                        "地区代码（如 430000；100000 为全国）",
                        "Region code (e.g. 430000; 100000 = the whole country)",
                        lang,
                    ),
                    key="acc_new_region",
                )
                oidc = st.checkbox(
                    t(
                        "通过统一身份认证登录（不设本地密码；用户名须与认证系统中的名称一致）",
                        "Logs in through the identity provider (no local password; the username must be "
                        "the provider's name for the person)",
                        lang,
                    ),
                    key="acc_new_oidc",
                )
                added = st.form_submit_button(t("新增", "Add", lang), type="primary", key="acc_add_submit")
            if added:
                password = None if oidc else random_password()
                try:
                    svc.create_account(
                        store,
                        name,
                        role,
                        region,
                        password,
                        display=display or None,
                        actor=account.username,
                        client=client_address(),
                    )
                except AccountError as exc:
                    _error(exc)
                else:
                    ss["acc_secret"] = (
                        (
                            f"已新增账号 {name.strip()}"
                            + (
                                f"，临时密码：{password}（只显示这一次，首次登录须修改）"
                                if password
                                else "（统一身份认证登录）"
                            )
                        ),
                        (
                            f"Added {name.strip()}"
                            + (
                                f"; temporary password: {password} (shown this once; to be changed at the first login)"
                                if password
                                else " (logs in through the identity provider)"
                            )
                        ),
                    )
                    st.rerun()

        names = list(frame["username"])
        if names:
            with st.expander(
                t("修改、停用或重置账号", "Change, disable or reset an account", lang), icon=":material/edit:"
            ):
                who = st.selectbox(t("账号", "Account", lang), names, key="acc_pick")
                row = frame[frame["username"] == who].iloc[0]
                c1, c2 = st.columns(2)
                new_role = c1.selectbox(
                    t("角色", "Role", lang),
                    list(ROLES),
                    index=list(ROLES).index(row["role"]),
                    format_func=lambda r: role_label(r, lang),
                    key=f"acc_role_{who}",
                )
                new_region = c2.text_input(
                    t("地区代码", "Region code", lang), value=row["region_code"], key=f"acc_region_{who}"
                )
                b1, b2, b3 = st.columns(3)
                if b1.button(
                    t("保存角色和地区", "Save role and region", lang),
                    key="acc_save",
                    width="stretch",
                    disabled=(new_role, new_region.strip()) == (row["role"], row["region_code"]),
                ):
                    try:
                        svc.change_role_region(
                            store, who, new_role, new_region.strip(), actor=account.username, client=client_address()
                        )
                    except AccountError as exc:
                        _error(exc)
                    else:
                        ss["acc_secret"] = (
                            f"已修改 {who} 的角色和地区（其登录已结束）。",
                            f"Changed the role and region of {who} (their sessions ended).",
                        )
                        st.rerun()
                disabled = pd.notna(row["disabled_at"])
                if b2.button(
                    t("启用", "Enable", lang) if disabled else t("停用", "Disable", lang),
                    key="acc_toggle",
                    width="stretch",
                    disabled=who == account.username,
                ):
                    svc.set_disabled(store, who, not disabled, actor=account.username, client=client_address())
                    ss["acc_secret"] = (
                        (f"已启用 {who}。", f"Enabled {who}.")
                        if disabled
                        else (f"已停用 {who}（其登录已结束）。", f"Disabled {who} (their sessions ended).")
                    )
                    st.rerun()
                if b3.button(
                    t("重置密码", "Reset password", lang),
                    key="acc_reset",
                    width="stretch",
                    disabled=not bool(row["has_password"]),
                ):
                    password = random_password()
                    svc.reset_password(store, who, password, actor=account.username, client=client_address())
                    ss["acc_secret"] = (
                        f"{who} 的临时密码：{password}（只显示这一次，下次登录须修改）。",
                        f"Temporary password of {who}: {password} (shown this once; to be changed at the next login).",
                    )
                    st.rerun()

# ------------------------------------------------------------------------------------------ screen links
with screens:
    if not may(account, "screen_tokens"):
        st.error(t("您的角色无权管理大屏链接。", "Your role may not manage big-screen links.", lang))
    else:
        st.markdown(
            t(
                "大屏链接让指挥大厅的屏幕不登录即可显示一个地区（及其下级）的大屏，只读；可随时撤销。",
                "A big-screen link shows the big screen of one region (and the regions inside it) without a "
                "login, read only, so that a wall display never holds a password; revoke it at any time.",
                lang,
            )
        )
        _once("tok_secret")
        with st.form("tok_add", clear_on_submit=True):
            c1, c2 = st.columns(2)
            region = c1.text_input(t("地区代码（如 430000）", "Region code (e.g. 430000)", lang), key="tok_region")
            label = c2.text_input(
                t("说明（如：省厅指挥大厅）", "Label (e.g. provincial command room)", lang), key="tok_label"
            )
            created = st.form_submit_button(t("创建链接", "Create a link", lang), type="primary", key="tok_create")
        if created:
            try:
                token_id, token = svc.create_screen_token(
                    store, region, label, actor=account.username, client=client_address()
                )
            except AccountError as exc:
                _error(exc)
            else:
                parts = urlsplit(st.context.url or "")
                base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
                from accounts.web import base_path

                link = f"{base}{base_path()}/screen?token={token}&playlist={region.strip()}"
                ss["tok_secret"] = (
                    f"已创建链接 {token_id}（只显示这一次，请复制到大屏的浏览器）：{link}",
                    f"Created link {token_id} (shown this once: copy it into the wall screen's browser): {link}",
                )
                st.rerun()
        tokens = svc.screen_tokens_frame(store)
        if tokens.empty:
            st.info(t("尚无大屏链接。", "No big-screen links yet.", lang))
        else:
            active = tokens["revoked_at"].isna()
            st.dataframe(
                pd.DataFrame(
                    {
                        t("编号", "Id", lang): tokens["token_id"],
                        t("地区", "Region", lang): [_region(c) for c in tokens["region_code"]],
                        t("说明", "Label", lang): tokens["label"].fillna(""),
                        t("创建人", "Created by", lang): tokens["created_by"],
                        t("创建时间", "Created at", lang): [_when(x) for x in tokens["created_at"]],
                        t("最近使用", "Last used", lang): [_when(x) for x in tokens["last_used_at"]],
                        t("状态", "State", lang): [
                            t("有效", "in force", lang) if a else t("已撤销", "revoked", lang) for a in active
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="tok_table",
            )
            ids = list(tokens.loc[active, "token_id"])
            if ids:
                c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
                pick = c1.selectbox(t("撤销链接", "Revoke a link", lang), ids, key="tok_pick")
                if c2.button(t("撤销", "Revoke", lang), key="tok_revoke", width="stretch"):
                    svc.revoke_screen_token(store, pick, actor=account.username, client=client_address())
                    ss["tok_secret"] = (
                        f"已撤销链接 {pick}：使用它的大屏在下次刷新时停止显示。",
                        f"Revoked link {pick}: a screen showing it stops at its next refresh.",
                    )
                    st.rerun()
