"""The 账号管理 Accounts page (administrators): add an account (its temporary password shown once), change
its role and region, disable and reset it, create and revoke a big-screen link — each in the store and in
the audit trail; a bad region is named and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, as_shown
from streamlit.testing.v1 import AppTest

from accounts import service as svc
from store import Store
from store import accounts_queries as aq


@pytest.fixture
def db(app_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "accounts-page.duckdb"
    shutil.copyfile(app_env, path)
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page("views/accounts.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _successes(at: AppTest) -> list[str]:
    return [as_shown(s.value) for s in at.success]  # the page escapes names and links


def test_an_administrator_adds_changes_disables_and_resets_an_account(db: Path):
    at = _page()
    at.text_input(key="acc_new_name").input("zhao")
    at.text_input(key="acc_new_display").input("赵六")
    at.selectbox(key="acc_new_role").set_value("data")
    at.text_input(key="acc_new_region").input("999999")
    at.button(key="acc_add_submit").click().run()
    assert [e.value for e in at.error] == ["地区应为行政区划代码（如 430000、100000），而“999999”不是已知的代码"]
    assert svc.get_account(Store(db), "zhao") is None
    at.text_input(key="acc_new_name").input("zhao")
    at.text_input(key="acc_new_display").input("赵六")
    at.selectbox(key="acc_new_role").set_value("data")
    at.text_input(key="acc_new_region").input("430100")
    at.button(key="acc_add_submit").click().run()
    assert not at.exception
    shown = _successes(at)[0]
    assert shown.startswith("已新增账号 zhao，临时密码：") and "只显示这一次" in shown
    password = shown.split("临时密码：")[1].split("（")[0]
    zhao = svc.get_account(Store(db), "zhao")
    assert (zhao.role, zhao.region, zhao.display, zhao.must_change) == ("data", "430100", "赵六", True)
    assert svc.authenticate(Store(db), "zhao", password, "localhost", svc.AuthPolicy()).account is not None

    at.selectbox(key="acc_pick").set_value("zhao").run()
    at.selectbox(key="acc_role_zhao").set_value("analyst")
    at.text_input(key="acc_region_zhao").input("430000").run()
    at.button(key="acc_save").click().run()
    assert (
        svc.get_account(Store(db), "zhao").role == "analyst" and svc.get_account(Store(db), "zhao").region == "430000"
    )
    at.button(key="acc_toggle").click().run()
    assert aq.account_row(Store(db), "zhao")["disabled_at"] is not None
    at.button(key="acc_reset").click().run()
    assert "zhao 的临时密码" in _successes(at)[0]
    actions = aq.audit_frame(Store(db), actor="test-admin", limit=4)["action"].tolist()
    assert actions == ["account_reset", "account_disable", "account_change", "account_add"]


def test_an_administrator_creates_and_revokes_a_screen_link(db: Path):
    at = _page()
    at.text_input(key="tok_region").input("430000")
    at.text_input(key="tok_label").input("省厅大厅")
    at.button(key="tok_create").click().run()
    assert not at.exception
    shown = _successes(at)[0]
    assert "/screen?token=" in shown and shown.endswith("&playlist=430000")
    token = shown.split("token=")[1].split("&")[0]
    assert svc.screen_token_account(Store(db), token).region == "430000"
    token_id = aq.screen_tokens_frame(Store(db))["token_id"].iloc[0]
    at.selectbox(key="tok_pick").set_value(token_id)
    at.button(key="tok_revoke").click().run()
    assert svc.screen_token_account(Store(db), token) is None
    assert aq.audit_frame(Store(db), limit=2)["action"].tolist() == ["screen_token_revoke", "screen_token_create"]
