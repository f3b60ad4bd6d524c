"""Streamlit glue of the login: the gate every run passes before anything of the data is drawn, the
login page, the forced change of password, the account box in the sidebar, a page refused to a role, the
check of a fragment's rerun, and the audit hook of downloads.

Who is looking is kept in ``st.session_state`` for this browser tab and, across reloads, in the session
cookie (``accounts/web.py``): the session's token, whose hash the store keeps with its last activity. A
wall screen's link token (``/screen?token=…``) stands for a login on the big screen only.

For the query layer: :func:`current_account` (who is looking) and ``accounts.may(account, action)``.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, MutableMapping
from typing import Any

import streamlit as st

import settings
from accounts import service
from accounts.model import Account, AccountError, AuthPolicy, auth_policy
from accounts.roles import role_label
from accounts.web import COOKIE, HEADER, mounted, offer, session_url
from domain.regions import region_label
from i18n import md_text, t
from store import Store, StoreBusy

log = logging.getLogger(__name__)

SS_TOKEN = "auth_token"  # the session's token (the cookie's value)
SS_ACCOUNT = "account"  # the Account of this run (webapp.state.scope_region reads its region)
SS_SCREEN = "auth_screen_token"  # a wall screen's link token
SS_HANDOFF = "auth_handoff"  # a one-time code for the cookie route, sent by the next page
SS_CLEAR = "auth_clear_cookie"  # the login page removes the cookie (after a logout)
SS_NOTICE = "auth_notice"  # (zh, en) shown on the login page: a timeout, a logout
LOOKUP_TIMEOUT_S = 5.0  # how long a run waits for the store (an import holding it) to check a session

TIMED_OUT = (
    "会话因长时间未操作已结束，请重新登录。",
    "Your session ended after a time without activity: log in again.",
)
ENDED = ("会话已结束，请重新登录。", "Your session has ended: log in again.")
LOGGED_OUT = ("已退出登录。", "You have logged out.")


class NotLoggedIn(RuntimeError):
    """A page asked who is looking before the gate let anyone in."""


def both(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def current_account() -> Account:
    """Who is looking on this run (set by :func:`gate` before any page runs)."""
    account = st.session_state.get(SS_ACCOUNT)
    if account is None:
        raise NotLoggedIn("no account in this session: dashboard.py's gate runs before any page")
    return account


def client_address() -> str:
    """Where the browser is: its address as the server sees it (behind a reverse proxy on this machine,
    uvicorn takes it from X-Forwarded-For; see README); ``localhost`` for this machine."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 — no client (a script run without a browser)
        ip = None
    return ip if isinstance(ip, str) and ip else "localhost"


def remember(state: MutableMapping[str, Any], token: str) -> None:
    """Keep a session's token for this tab, as a login does (tests seed an AppTest with it)."""
    state[SS_TOKEN] = token


def _store() -> Store:
    from webapp.state import get_store

    return get_store()


def _policy() -> AuthPolicy:
    try:
        return auth_policy()
    except ValueError as exc:
        st.error(both(f"登录设置有误：{exc}", f"A login setting is wrong: {exc}"))
        st.stop()
        raise  # not reached


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001
        return None
    return value if isinstance(value, str) and value else None


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 — no secrets.toml
        return False


def _user_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001
        return False


# ------------------------------------------------------------------ the gate


def gate() -> Account:
    """The account of this run — or the login page (or the forced change of password) and ``st.stop()``.
    Call before anything of the data, even the navigation, is drawn."""
    ss = st.session_state
    store = _store()
    policy = _policy()
    link_token = st.query_params.get("token")
    if link_token:
        return _screen_gate(store, link_token)
    ss.pop(SS_SCREEN, None)
    account = _session_account(store, policy)
    if account is not None:
        if account.must_change:
            _alone(both("修改密码", "Change your password"), lambda: _forced_change(store, account))
        return account
    if _oidc_configured() and _user_logged_in():
        result = service.oidc_login(
            store, st.user.to_dict(), settings.get("SAFETY_OIDC_CLAIM").strip() or "email", client_address(), policy
        )
        if result.account is not None and result.token:
            _signed_in(result.token, result.account)
            st.rerun()
        ss[SS_NOTICE] = result.error
    ss.pop(SS_ACCOUNT, None)
    _alone(both("登录", "Log in"), lambda: _login_page(store, policy))
    raise NotLoggedIn  # not reached: _alone stops the run


def _session_account(store: Store, policy: AuthPolicy) -> Account | None:
    """The account of this tab's session, else of the cookie's (a reload, a link opened in the same
    browser); None when neither is open (a notice says so when one has just ended)."""
    ss = st.session_state
    for token, source in ((ss.get(SS_TOKEN), "tab"), (_cookie_token(), "cookie")):
        if not token:
            continue
        try:
            check = service.check_session(store, token, policy, timeout_s=LOOKUP_TIMEOUT_S)
        except StoreBusy:
            cached = ss.get(SS_ACCOUNT)
            if cached is not None and ss.get(SS_TOKEN) == token:
                return cached  # checked before; the store is busy with an import for a moment
            _alone(
                both("请稍候", "A moment"),
                lambda: st.info(
                    both(
                        "数据正在更新（导入进行中），请稍后刷新页面。",
                        "The data is being updated (an import is running): please refresh in a moment.",
                    ),
                    icon=":material/hourglass_top:",
                ),
            )
        if check.account is not None:
            ss[SS_TOKEN] = token
            ss[SS_ACCOUNT] = check.account
            return check.account
        if source == "tab" or check.state in ("idle", "expired"):
            ss[SS_NOTICE] = TIMED_OUT if check.state in ("idle", "expired") else ENDED
        ss.pop(SS_TOKEN, None)
        ss.pop(SS_ACCOUNT, None)
        if check.state in ("idle", "expired") and _user_logged_in():
            st.logout()  # the identity provider's login must not open a new session by itself
    return None


def _alone(title: str, draw: Callable[[], None]) -> None:
    """Draw a page of the login (the form, the change of password, a refused link) and stop the run. It is
    given as every page's path with the navigation hidden, so that whatever link was opened stays in the
    address bar (and opens once logged in) while no page of the app, nor its menu, is shown — also after
    a logout or a timeout in an open tab, where the menu of the last run would otherwise stay."""
    from accounts.roles import PAGES

    pages = [st.Page(draw, title=title, url_path=path, default=path == PAGES[0]) for path in PAGES]
    st.navigation(pages, position="hidden").run()
    # An empty sidebar left open by the last run (a logout) is not shown either.
    st.html(
        '<style>[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], '
        '[data-testid="stExpandSidebarButton"] { display: none; }</style>'
    )
    st.stop()


def _screen_gate(store: Store, link_token: str) -> Account:
    ss = st.session_state
    try:
        account = service.screen_token_account(store, link_token, timeout_s=LOOKUP_TIMEOUT_S)
    except StoreBusy:
        if ss.get(SS_SCREEN) == link_token and ss.get(SS_ACCOUNT) is not None:
            return ss[SS_ACCOUNT]
        _alone(
            both("请稍候", "A moment"),
            lambda: st.info(both("数据正在更新，请稍候。", "The data is being updated: a moment, please.")),
        )
    if account is None:
        service.audit(store, "-", "screen_token_refused", link_token[:6] + "…", None, client_address(), "denied")

        def refused() -> None:
            st.title(both("大屏链接无效", "Screen link not valid"), anchor=False)
            st.error(
                both(
                    "此大屏链接无效或已被撤销，请向系统管理员索取新的链接。",
                    "This screen link is not valid or has been revoked: ask an administrator for a new one.",
                )
            )

        ss.pop(SS_ACCOUNT, None)
        ss.pop(SS_SCREEN, None)
        _alone(both("大屏链接无效", "Screen link not valid"), refused)
    ss[SS_SCREEN] = link_token
    ss[SS_ACCOUNT] = account
    ss.pop(SS_TOKEN, None)
    return account


def still_valid() -> bool:
    """For a fragment's own rerun (the big screen refreshing itself, which does not pass the gate): whether
    this tab's login or link token is still in force. A refresh is not a person's activity: it does not
    keep a session alive. While an import holds the store, True (checked again at the next refresh)."""
    ss = st.session_state
    try:
        if ss.get(SS_SCREEN):
            return service.screen_token_account(_store(), ss[SS_SCREEN], timeout_s=LOOKUP_TIMEOUT_S) is not None
        token = ss.get(SS_TOKEN)
        if not token:
            return False
        return (
            service.check_session(_store(), token, auth_policy(), touch=False, timeout_s=LOOKUP_TIMEOUT_S).account
            is not None
        )
    except StoreBusy:
        return True


def _signed_in(token: str, account: Account) -> None:
    ss = st.session_state
    remember(ss, token)
    ss[SS_ACCOUNT] = account
    ss.pop(SS_NOTICE, None)
    if mounted():
        ss[SS_HANDOFF] = offer(token)


def _login_page(store: Store, policy: AuthPolicy) -> None:
    ss = st.session_state
    with contextlib.suppress(StoreBusy):
        service.ensure_initial_admin(store)
    if ss.pop(SS_CLEAR, False) and mounted():
        _script(
            f"fetch({json.dumps(session_url())}, {{method: 'DELETE', credentials: 'same-origin', "
            f"headers: {{{json.dumps(HEADER)}: 'logout'}}}});"
        )
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(both("安全生产态势", "Production safety"), anchor=False)
        st.subheader(both("登录", "Log in"), anchor=False)
        notice = ss.pop(SS_NOTICE, None)
        if notice:
            st.info(both(*notice), icon=":material/info:")
        local = settings.get("SAFETY_LOCAL_LOGIN").strip() != "0" or not _oidc_configured()
        if local:
            with st.form("login", enter_to_submit=True, border=True):
                user = st.text_input(both("用户名", "Username"), key="login_user", autocomplete="username")
                password = st.text_input(
                    both("密码", "Password"), type="password", key="login_password", autocomplete="current-password"
                )
                submitted = st.form_submit_button(both("登录", "Log in"), type="primary", key="login_submit")
            if submitted:
                result = service.authenticate(store, user, password, client_address(), policy)
                if result.account is not None and result.token:
                    _signed_in(result.token, result.account)
                    st.rerun()
                st.error(both(*(result.error or service.WRONG)), icon=":material/error:")
        if _oidc_configured() and st.button(
            both("使用统一身份认证登录", "Log in with the identity provider"),
            key="login_oidc",
            type="secondary" if local else "primary",
        ):
            st.login()
        st.markdown(
            both(
                "没有账号或忘记密码？请联系本单位系统管理员。",
                "No account, or forgot the password? Ask your administrator.",
            )
        )
        if service.initial_password_file(store).exists():
            st.markdown(
                both(
                    f"首次启动：管理员账号 `{service.INITIAL_ADMIN}` 的初始密码已显示在服务器控制台（启动时）并写入服务器上的 "
                    f"`{service.INITIAL_PASSWORD_FILE}`（在数据库旁），首次登录须修改。",
                    f"First start: the initial password of `{service.INITIAL_ADMIN}` was printed on the "
                    f"server's console and written to `{service.INITIAL_PASSWORD_FILE}` beside the store on "
                    "the server; it must be changed at the first login.",
                )
            )


def _forced_change(store: Store, account: Account) -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(both("修改密码", "Change your password"), anchor=False)
        st.info(
            both(
                "首次登录或密码被重置后，须先设置新密码。",
                "After the first login or a reset, set a new password first.",
            ),
            icon=":material/key:",
        )
        _password_form(store, account, forced=True)
        st.button(both("退出登录", "Log out"), key="auth_logout_forced", on_click=logout)


def _password_form(store: Store, account: Account, forced: bool) -> None:
    with st.form(f"password_{'forced' if forced else 'own'}", border=not forced):
        old = (
            None
            if forced
            else st.text_input(
                both("当前密码", "Current password"), type="password", key="pw_old", autocomplete="current-password"
            )
        )
        new = st.text_input(
            both("新密码", "New password"),
            type="password",
            key="pw_new",
            autocomplete="new-password",
            help=both(
                "至少 10 个字符，含字母和数字，不含用户名。",
                "At least 10 characters, letters and digits, without the user name.",
            ),
        )
        again = st.text_input(
            both("再次输入新密码", "New password again"), type="password", key="pw_again", autocomplete="new-password"
        )
        done = st.form_submit_button(both("保存新密码", "Save the new password"), type="primary", key="pw_save")
    if not done:
        return
    if new != again:
        st.error(both("两次输入的新密码不一致。", "The two new passwords differ."))
        return
    try:
        service.change_password(
            store, account, old, new, client=client_address(), session_token=st.session_state.get(SS_TOKEN)
        )
    except AccountError as exc:
        st.error(both(exc.zh, str(exc)))
        return
    st.session_state[SS_ACCOUNT] = Account(
        account.username, account.role, account.region, account.display, False, account.via
    )
    st.toast(both("密码已修改。", "Password changed."), icon=":material/check:")
    st.rerun()


# ------------------------------------------------------------------ after the gate


def logout() -> None:
    """End this tab's session in the store (every tab and browser holding its cookie is logged out), and
    remove the cookie on the next page."""
    ss = st.session_state
    token, account = ss.pop(SS_TOKEN, None), ss.pop(SS_ACCOUNT, None)
    if token and account is not None:
        service.end_session(_store(), token, account.username, client_address())
    ss[SS_CLEAR] = True
    ss[SS_NOTICE] = LOGGED_OUT
    if account is not None and account.via == "oidc" and _user_logged_in():
        st.logout()


def send_cookie() -> None:
    """After a login: the small script that hands the session to the cookie route (once)."""
    code = st.session_state.pop(SS_HANDOFF, None)
    if code and mounted():
        _script(
            f"fetch({json.dumps(session_url())}, {{method: 'POST', credentials: 'same-origin', "
            f"headers: {{{json.dumps(HEADER)}: {json.dumps(code)}}}}});",
            st.sidebar,
        )


def _script(js: str, where: Any = None) -> None:
    (where or st).html(f"<script>{js}</script>", unsafe_allow_javascript=True)


def account_box(account: Account, lang: str) -> None:
    """Who is logged in, at the bottom of the sidebar, with a change of password and the logout (not for a
    wall screen's link, which logs nobody in)."""
    if account.via == "screen-token":
        return
    sb = st.sidebar
    sb.divider()
    zh = lang == "zh"
    sb.markdown(
        f"**{md_text(account.label)}**  \n{role_label(account.role, lang)} · "
        f"{region_label(account.region, lang)}" + (f"  \n`{account.username}`" if account.display else "")
    )
    c1, c2 = sb.columns(2)
    if account.via == "password" and c1.button(
        "修改密码" if zh else "Password", key="auth_password", icon=":material/key:", width="stretch"
    ):
        _password_dialog(account)
    c2.button(
        "退出登录" if zh else "Log out", key="auth_logout", icon=":material/logout:", on_click=logout, width="stretch"
    )


@st.dialog(both("修改密码", "Change your password"))
def _password_dialog(account: Account) -> None:
    _password_form(_store(), account, forced=False)


def denied(account: Account, url_path: str, lang: str) -> None:
    """A page this role may not open, asked for by its link: say so, show nothing of it, audit it."""
    service.audit(
        _store(), account.username, "page_denied", url_path, f"role={account.role}", client_address(), "denied"
    )
    st.title(t("无权访问", "Not allowed", lang), anchor=False)
    st.error(
        f"您的角色（{role_label(account.role, 'zh')}）无权查看此页面。如需权限，请联系系统管理员。"
        if lang == "zh"
        else f"Your role ({role_label(account.role, 'en')}) may not see this page. Ask an administrator for access.",
        icon=":material/block:",
    )


# ------------------------------------------------------------------ the audit of downloads


def audited(data: Callable[[], Any] | bytes | str, what: str, detail: str = "") -> Callable[[], Any]:
    """A download's data that writes an audit entry when the file is made (st.download_button calls it on
    the click, outside any script run: who and from where are taken now)."""
    account = current_account()
    client = client_address()
    db = _store().path

    def make() -> Any:
        out = data() if callable(data) else data
        try:
            service.audit(Store(db), account.username, "download", what, detail or None, client)
        except Exception:  # noqa: BLE001 — the file is still given; the failure is logged
            log.exception("could not audit the download of %s", what)
        return out

    return make
