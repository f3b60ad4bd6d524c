"""Entry point: page config, the shared filters in the sidebar, navigation. Pages live in views/ (not pages/: a folder of that name switches Streamlit into its legacy multipage mode for a direct link opened first after a start).

Run with ``streamlit run dashboard.py`` (or ``bash scripts/run.sh``). The store is
``data/safety.duckdb`` (or ``$SAFETY_DB``), created with demo data on first start.
"""

from __future__ import annotations

import streamlit as st

import settings
from app_state import View, get_store
from sidebar import render_filters

st.set_page_config(page_title="安全生产态势 | Production safety", page_icon="static/favicon.png", layout="wide")

today = settings.today()
get_store()  # first start: build the demo store before anything else is drawn
filters, notices = render_filters(today)
lang = filters.lang
st.session_state["view"] = View(filters, filters.period(today), today)


def _t(zh: str, en: str) -> str:
    return zh if lang == "zh" else en


pages = [
    st.Page("views/briefing.py", title=_t("领导驾驶舱", "Briefing"), icon=":material/dashboard:", url_path="briefing", default=True),
    st.Page("views/trends.py", title=_t("趋势分析", "Trends"), icon=":material/trending_down:", url_path="trends"),
    st.Page("views/risk_map.py", title=_t("风险地图", "Risk map"), icon=":material/map:", url_path="map"),
    st.Page("views/data_status.py", title=_t("数据概况", "Data status"), icon=":material/database:", url_path="data"),
]
nav = st.navigation(pages)
for notice in notices:
    st.warning(notice, icon="⚠️")
nav.run()
