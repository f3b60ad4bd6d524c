"""Entry point: page config, the login, the shared filters in the sidebar, navigation. Pages live in views/ (not pages/: a folder of that name switches Streamlit into its legacy multipage mode for a direct link opened first after a start).

Run with ``streamlit run app.py`` (or ``bash scripts/run.sh``): app.py serves this script with the route
that keeps a login across reloads (accounts/web.py). The store is ``data/safety.duckdb`` (or
``$SAFETY_DB``), created with demo data on first start.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import streamlit as st

import settings
from accounts import may, page
from i18n import t
from links.filters import DEFAULT_PERIOD, Notice, period_notice
from store import StoreBusy
from webapp.session import account_box, denied, gate, send_cookie
from webapp.sidebar import render_filters
from webapp.state import View, data_stamp, get_lang, get_store, warm_up

st.set_page_config(page_title="安全生产态势 | Production safety", page_icon="static/favicon.png", layout="wide")

today = settings.today()
get_store()  # first start: build the demo store before anything else is drawn
# An import by another process since this process last looked: cached answers are dropped. Best effort:
# while an import holds the store, or the store cannot be read, the page says so itself (or shows what
# is cached, as the big screen does).
try:
    data_stamp()
except Exception:  # noqa: BLE001
    logging.getLogger(__name__).warning("could not read the store's import stamp", exc_info=True)
# The query of the link that opened the session, for a page's own parameters (the Explorer's ex_*):
# the sidebar rewrites the URL with its filters only.
st.session_state.setdefault("query_at_start", st.query_params.to_dict())
# Nothing of the data, not even the navigation, before a login (or a big screen's link token).
account = gate()
lang = get_lang()  # the sidebar's language (or ?lang=): the page titles are needed before the sidebar is drawn


def _shown(url_path: str) -> str:
    """A page the role may not open is left out of the navigation (opened by its link, it says so)."""
    return "visible" if may(account, page(url_path)) else "hidden"


pages = [
    st.Page(
        "views/briefing.py",
        title=t("领导驾驶舱", "Briefing", lang),
        icon=":material/dashboard:",
        url_path="briefing",
        default=True,
        visibility=_shown("briefing"),
    ),
    st.Page(
        "views/trends.py",
        title=t("趋势分析", "Trends", lang),
        icon=":material/trending_down:",
        url_path="trends",
        visibility=_shown("trends"),
    ),
    st.Page(
        "views/risk_map.py",
        title=t("风险地图", "Risk map", lang),
        icon=":material/map:",
        url_path="map",
        visibility=_shown("map"),
    ),
    st.Page(
        "views/hazards.py",
        title=t("隐患整改", "Hazard rectification", lang),
        icon=":material/construction:",
        url_path="hazards",
        visibility=_shown("hazards"),
    ),
    st.Page(
        "views/explorer.py",
        title=t("分析查询", "Explorer", lang),
        icon=":material/query_stats:",
        url_path="explore",
        visibility=_shown("explore"),
    ),
    st.Page(
        "views/data_status.py",
        title=t("数据管理", "Data management", lang),
        icon=":material/database:",
        url_path="data",
        visibility=_shown("data"),
    ),
    st.Page(
        "views/present.py",
        title=t("会议演示", "Presentation", lang),
        icon=":material/slideshow:",
        url_path="present",
        visibility=_shown("present"),
    ),
    st.Page(
        "views/screen.py",
        title=t("大屏", "Big screen", lang),
        icon=":material/tv:",
        url_path="screen",
        visibility=_shown("screen"),
    ),
    st.Page(
        "views/accounts.py",
        title=t("账号管理", "Accounts", lang),
        icon=":material/manage_accounts:",
        url_path="accounts",
        visibility=_shown("accounts"),
    ),
]
nav = st.navigation(pages)
current = nav.url_path or "briefing"  # the default page is served at the root
send_cookie()  # once after a login: the session goes into the browser's cookie (kept across reloads)
if not may(account, page(current)):
    denied(account, current, lang)
    account_box(account, lang)
    st.stop()
if nav.url_path == "screen":
    # The big screen: full screen with parameters of its own (views/screen.py); no sidebar filters,
    # which would also rewrite its link. It handles its own errors.
    if "f_lang" in st.session_state:  # the language radio is not drawn here: keep its value for the way back
        st.session_state["f_lang"] = st.session_state["f_lang"]
    nav.run()
    st.stop()

filters, notices = render_filters(today)
lang = filters.lang
try:
    period = filters.period(today)
except ValueError as exc:  # render_filters already falls back; never a traceback here either
    notice = period_notice(filters.period_code, today) or Notice(
        f"统计期间“{filters.period_code}”无效，已改为今年以来。",
        f"Period '{filters.period_code}': {exc}; showing this year to date.",
    )
    notices.append(notice.text(lang))
    filters = replace(filters, period_code=DEFAULT_PERIOD)
    period = filters.period(today)
st.session_state["view"] = View(filters, period, today)
account_box(account, lang)
for notice in notices:
    st.warning(notice, icon=":material/warning:")
try:
    nav.run()
    warm_up(st.session_state["view"])  # once per process: the other pages for this view, in the background
except StoreBusy:
    # An import holds the store: say so calmly; the cached figures come back on the next refresh.
    st.info(
        t(
            "数据正在更新（导入进行中），请稍后刷新页面。",
            "The data is being updated (an import is running): please refresh in a moment.",
            lang,
        ),
        icon=":material/hourglass_top:",
    )
