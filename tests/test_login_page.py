"""The login through Streamlit's AppTest: the login page before anything else, a wrong and a right
password, the forced change of password, the timeout and the logout, what each role's navigation shows
and what a page refused by its link shows (nothing), the big screen's link token (valid, revoked, another
region), and the audit of downloads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PAGES, ROOT, TEST_PASSWORD, login_token
from streamlit.testing.v1 import AppTest

from accounts import service as svc
from store import Store
from store import accounts_queries as aq

RUN_TIMEOUT = 120


def _exceptions(at: AppTest) -> str:
    return "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)


def _app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


@pytest.fixture
def navigation(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """Records the app's pages given to st.navigation on each run (url_path → visibility). The login's own
    navigation (every path drawing the login, the menu hidden: webapp.session._alone) is checked here and
    left out: it shows no page of the app."""
    import streamlit as st

    runs: list[dict[str, str]] = []
    original = st.navigation

    def recording(pages, *args, **kwargs):
        if all(callable(p._page) for p in pages):  # the login's: hidden, and no page file of the app
            assert kwargs.get("position") == "hidden"
        else:
            runs.append({p.url_path or "briefing": p.visibility for p in pages})
        return original(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", recording)
    return runs


def _nothing_of_the_data(at: AppTest) -> None:
    for kind in ("metric", "dataframe", "plotly_chart", "download_button", "table"):
        assert not at.get(kind), kind
    assert not at.sidebar.selectbox and not at.sidebar.radio  # no filters either


# ---------------------------------------------------------------- the login page


@pytest.mark.anonymous
@pytest.mark.parametrize("params", [{}, {"lang": "en"}, {"period": "2024", "region": "430000"}])
def test_before_a_login_only_the_login_page_is_shown(app_env: Path, navigation, params):
    at = _app(params).run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["安全生产态势 / Production safety"]
    assert [x.label for x in at.text_input] == ["用户名 / Username", "密码 / Password"]
    assert at.text_input(key="login_password").proto.type == at.text_input(key="login_password").proto.PASSWORD
    assert [b.label for b in at.button] == ["登录 / Log in"]
    assert navigation == []  # not even the navigation
    _nothing_of_the_data(at)


@pytest.mark.anonymous
def test_a_wrong_password_is_refused_and_the_right_one_opens_the_briefing(app_env: Path, navigation):
    login_token(app_env, "viewer")  # the test accounts exist in this store
    at = _app().run()
    at.text_input(key="login_user").input("test-viewer")
    at.text_input(key="login_password").input("not-the-password-1")
    at.button(key="login_submit").click().run()
    assert not at.exception, _exceptions(at)
    assert [e.value for e in at.error] == ["用户名或密码不正确。 / Wrong user name or password."]
    assert navigation == []
    _nothing_of_the_data(at)
    at.text_input(key="login_user").input("test-viewer")
    at.text_input(key="login_password").input(TEST_PASSWORD)
    at.button(key="login_submit").click().run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["领导驾驶舱"]
    assert at.session_state["account"].username == "test-viewer"
    audit = aq.audit_frame(Store(app_env), limit=2)
    assert list(audit["action"]) == ["login", "login_failed"] and list(audit["target"]) == ["test-viewer"] * 2


@pytest.mark.anonymous
def test_the_first_login_changes_the_password_before_anything_else(
    app_env: Path, tmp_path: Path, monkeypatch, navigation
):
    import shutil

    db = tmp_path / "first.duckdb"
    shutil.copyfile(app_env, db)
    monkeypatch.setenv("SAFETY_DB", str(db))
    svc.create_account(Store(db), "li", "analyst", "430000", "Temporary-pass-1", must_change=True)
    at = _app().run()
    at.text_input(key="login_user").input("li")
    at.text_input(key="login_password").input("Temporary-pass-1")
    at.button(key="login_submit").click().run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["修改密码 / Change your password"]
    assert navigation == [] and not at.get("metric")
    at.text_input(key="pw_new").input("Fresh-password-2")
    at.text_input(key="pw_again").input("Fresh-password-3")
    at.button(key="pw_save").click().run()
    assert [e.value for e in at.error] == ["两次输入的新密码不一致。 / The two new passwords differ."]
    at.text_input(key="pw_new").input("short")
    at.text_input(key="pw_again").input("short")
    at.button(key="pw_save").click().run()
    assert "至少 10 个字符" in at.error[0].value
    at.text_input(key="pw_new").input("Fresh-password-2")
    at.text_input(key="pw_again").input("Fresh-password-2")
    at.button(key="pw_save").click().run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["领导驾驶舱"]
    assert not svc.get_account(Store(db), "li").must_change


def test_a_session_idle_too_long_asks_for_the_password_again(app_env: Path, tmp_path: Path, monkeypatch):
    import shutil

    db = tmp_path / "idle.duckdb"
    shutil.copyfile(app_env, db)
    monkeypatch.setenv("SAFETY_DB", str(db))
    monkeypatch.setenv("SAFETY_SESSION_IDLE_MIN", "30")
    at = _app().run()
    assert [t.value for t in at.title] == ["领导驾驶舱"]
    token = at.session_state["auth_token"]
    with Store(db).connect() as con:  # 31 minutes without activity
        con.execute(
            "UPDATE auth_sessions SET last_seen_at = ? WHERE token_hash = ?",
            [dt.datetime.now() - dt.timedelta(minutes=31), svc.token_hash(token)],
        )
    at.run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["安全生产态势 / Production safety"]
    assert [i.value for i in at.info] == [
        "会话因长时间未操作已结束，请重新登录。 / Your session ended after a time without activity: log in again."
    ]
    _nothing_of_the_data(at)


def test_logout_ends_the_session_everywhere(app_env: Path, tmp_path: Path, monkeypatch):
    import shutil

    db = tmp_path / "logout.duckdb"
    shutil.copyfile(app_env, db)
    monkeypatch.setenv("SAFETY_DB", str(db))
    at = _app().run()
    token = at.session_state["auth_token"]
    at.sidebar.button(key="auth_logout").click().run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["安全生产态势 / Production safety"]
    assert [i.value for i in at.info] == ["已退出登录。 / You have logged out."]
    assert svc.check_session(Store(db), token, svc.AuthPolicy()).state == "revoked"
    assert aq.audit_frame(Store(db), limit=1)["action"].tolist() == ["logout"]


# ---------------------------------------------------------------- roles: the navigation and pages by link

VISIBLE = {
    "viewer": {"briefing", "trends", "map", "hazards", "present", "screen"},
    "analyst": {"briefing", "trends", "map", "hazards", "present", "screen", "explore"},
    "data": {"briefing", "trends", "map", "hazards", "present", "screen", "explore", "data"},
    "admin": {p.url_path for p in PAGES},
}
ROLE_NAMES = {"viewer": "领导查看", "analyst": "分析人员", "data": "数据管理员"}


@pytest.mark.parametrize("role", ["viewer", "analyst", "data", "admin"])
def test_each_role_sees_its_pages_and_a_refused_page_shows_nothing(app_env: Path, navigation, role: str):
    from webapp.session import remember

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    remember(at.session_state, login_token(app_env, role))  # logged in as test-<role>
    at.run()
    assert not at.exception, _exceptions(at)
    shown = {path for path, visibility in navigation[-1].items() if visibility == "visible"}
    assert shown == VISIBLE[role]
    assert set(navigation[-1]) == {p.url_path for p in PAGES}  # every page is known, the others hidden
    for p in PAGES:
        if p.url_path in VISIBLE[role]:
            continue
        at.switch_page(p.path).run()
        assert not at.exception, _exceptions(at)
        assert [t.value for t in at.title] == ["无权访问"], p.key
        assert [e.value for e in at.error] == [
            f"您的角色（{ROLE_NAMES[role]}）无权查看此页面。如需权限，请联系系统管理员。"
        ]
        _nothing_of_the_data(at)
        entry = aq.audit_frame(Store(app_env), limit=1).iloc[0]
        assert (entry["actor"], entry["action"], entry["target"], entry["outcome"]) == (
            f"test-{role}",
            "page_denied",
            p.url_path,
            "denied",
        )


@pytest.mark.login_as("viewer")
def test_a_viewer_has_no_record_downloads_but_the_summaries(app_env: Path):
    at = _app({"period": "2024", "region": "430000"}).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("PPTX" in x for x in labels)  # the meeting pack: a summary
    at.switch_page("views/hazards.py").run()
    assert any("XLSX" in b.proto.label for b in at.get("download_button"))  # the monthly report form


# ---------------------------------------------------------------- the big screen's link token


@pytest.fixture
def screen_link(app_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    import shutil

    db = tmp_path / "screen.duckdb"
    shutil.copyfile(app_env, db)
    monkeypatch.setenv("SAFETY_DB", str(db))
    token_id, token = svc.create_screen_token(Store(db), "430000", "省厅大厅", actor="test-admin")
    return db, token_id, token


def _screen(params: dict[str, str]) -> AppTest:
    at = _app(params).run()
    at.switch_page("views/screen.py").run()
    assert not at.exception, _exceptions(at)
    return at


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


@pytest.mark.anonymous
def test_a_screen_link_opens_the_big_screen_of_its_region_without_a_login(screen_link):
    _db, _token_id, token = screen_link
    at = _screen({"token": token, "period": "2024"})
    assert [t.value for t in at.title] == ["安全生产态势"]
    assert '<div class="scr-region">湖南省</div>' in _html(at) and 'class="scr-kpi' in _html(at)
    assert at.session_state["account"].role == "screen"


@pytest.mark.anonymous
def test_a_screen_link_shows_nothing_of_another_region(screen_link):
    _db, _token_id, token = screen_link
    at = _screen({"token": token, "period": "2024", "playlist": "440000,430100"})
    html = _html(at)
    assert "不在此大屏链接的范围" in html and "广东省" in html  # the notice names the region left out
    assert "长沙" in html  # 430100 lies inside 430000: shown
    at = _screen({"token": token, "period": "2024", "playlist": "440000"})
    html = _html(at)
    assert "不在此大屏链接的范围" in html
    assert '<div class="scr-region">湖南省</div>' in html and '<div class="scr-region">广东省' not in html


@pytest.mark.anonymous
def test_a_revoked_or_unknown_screen_link_shows_nothing(screen_link):
    db, token_id, token = screen_link
    at = _screen({"token": token, "period": "2024"})
    svc.revoke_screen_token(Store(db), token_id, actor="test-admin")
    at.run()  # the next refresh
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["大屏链接无效 / Screen link not valid"]
    assert "scr-kpi" not in _html(at)
    _nothing_of_the_data(at)
    other = _app({"token": "made-up"}).run()
    assert [t.value for t in other.title] == ["大屏链接无效 / Screen link not valid"]
    assert aq.audit_frame(Store(db), limit=1)["action"].tolist() == ["screen_token_refused"]


# ---------------------------------------------------------------- the audit of downloads


def test_a_download_is_audited_when_its_file_is_made(app_env: Path, tmp_path: Path, monkeypatch):
    import shutil

    from accounts import Account
    from webapp import session

    db = tmp_path / "dl.duckdb"
    shutil.copyfile(app_env, db)
    monkeypatch.setattr(session, "current_account", lambda: Account("test-analyst", "analyst", "430000"))
    monkeypatch.setattr(session, "client_address", lambda: "10.1.2.3")
    monkeypatch.setattr(session, "_store", lambda: Store(db))
    made = []
    data = session.audited(lambda: made.append(1) or b"csv", "explorer", "pivot.csv")
    assert aq.audit_frame(Store(db), actions=["download"]).empty  # nothing until the click
    assert data() == b"csv" and made == [1]
    entry = aq.audit_frame(Store(db), actions=["download"]).iloc[0]
    assert (entry["actor"], entry["target"], entry["detail"], entry["client"]) == (
        "test-analyst",
        "explorer",
        "pivot.csv",
        "10.1.2.3",
    )
    assert session.audited(b"bytes", "rejects")() == b"bytes"


# ---------------------------------------------------------------- a data officer's region


def test_a_data_officer_imports_and_undoes_only_inside_their_region(app_env: Path, tmp_path: Path, monkeypatch):
    """test-data of 长沙市 (430100): a ledger of all Hunan cannot be committed; an import of it by an
    administrator cannot be undone by them (the dialog says why, the audit says so)."""
    from loaders.importer import import_file
    from webapp.session import remember

    db = tmp_path / "officer.duckdb"
    Store(db).ensure_schema()
    monkeypatch.setenv("SAFETY_DB", str(db))
    monkeypatch.setenv("SAFETY_TODAY", "2025-06-15")
    svc.create_account(Store(db), "changsha", "data", "430100", "Officer-pass-123", must_change=False)
    token = svc.open_session(Store(db), "changsha", None, svc.AuthPolicy())
    name = "accidents_hunan_gbk.csv"
    data = (ROOT / "tests" / "data" / name).read_bytes()

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    remember(at.session_state, token)
    at.run()
    at.switch_page("views/data_status.py").run()
    at.file_uploader(key="up_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, _exceptions(at)
    assert any("不在本账号的范围（长沙市）内" in e.value for e in at.error), [e.value for e in at.error]
    assert at.button(key="up_commit").disabled
    assert Store(db).table("imports").empty

    done = import_file(Store(db), ROOT / "tests" / "data" / name, "accidents")  # an administrator's import
    at.session_state["hist_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="hist_undo").click().run()
    at.button(key="hist_undo_confirm").click().run()
    assert not at.exception, _exceptions(at)
    assert any("撤销被拒绝" in e.value for e in at.error), [e.value for e in at.error]
    assert Store(db).table("imports")["undone_at"].isna().all()
    entry = aq.audit_frame(Store(db), limit=1).iloc[0]
    assert (entry["actor"], entry["action"], entry["target"], entry["outcome"]) == (
        "changsha",
        "undo_refused",
        done.import_id,
        "denied",
    )
