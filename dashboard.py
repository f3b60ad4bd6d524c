"""Entry point: page config, navigation and the shared frame. Pages live in pages/.

Run with ``streamlit run dashboard.py``. The store is ``data/safety.duckdb`` (or ``$SAFETY_DB``),
created with demo data on first start.
"""

from __future__ import annotations

import streamlit as st

from app_state import get_lang, t

st.set_page_config(page_title="安全生产态势 | Production safety", page_icon="🛡️", layout="wide")

lang = get_lang()
pages = [
    st.Page("pages/data_status.py", title=t("数据概况", "Data status", lang), icon="🗄️",
            url_path="data", default=True),
]
nav = st.navigation(pages)
with st.sidebar:
    choice = st.radio("语言 / Language", ["中文", "English"], index=0 if lang == "zh" else 1, horizontal=True,
                      key="lang_choice")
    new_lang = "zh" if choice == "中文" else "en"
    if new_lang != lang:
        st.query_params["lang"] = new_lang
        st.rerun()
nav.run()
