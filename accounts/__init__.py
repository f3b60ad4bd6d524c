"""Accounts, roles and login (no Streamlit: its glue, the login gate and page, is ``webapp/session.py``;
``web.py`` is the cookie route of ``app.py``).

- ``Account`` (frozen: username, role, region, display) and ``may(account, permission)``: the roles ×
  pages × actions table is ``roles.PERMISSIONS``; ``Account.scope`` is the region whose subtree the account
  may see (the whole country for an administrator).
- ``webapp.session.current_account()``: who is looking on this run of the app.
- ``python -m accounts``: add, list, disable, enable, reset, and the big screen's link tokens.
"""

from __future__ import annotations

from accounts.model import Account, AccountError, AuthPolicy, within
from accounts.roles import ACTIONS, PAGES, ROLES, SCREEN_ROLE, page, role_label, role_may

__all__ = [
    "ACTIONS",
    "PAGES",
    "ROLES",
    "SCREEN_ROLE",
    "Account",
    "AccountError",
    "AuthPolicy",
    "may",
    "page",
    "role_label",
    "within",
]


def may(account: Account, permission: str) -> bool:
    """Whether ``account`` may open a page (``page("explore")`` = ``"page:explore"``) or do an action
    (``"download_records"``, ``"upload"`` … see ``roles.ACTIONS``)."""
    return role_may(account.role, permission)
