"""Data status: what the store holds. A thin page: read, format, draw."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_state import get_lang, get_store, t

lang = get_lang()
st.title(t("数据概况", "Data status", lang))


@st.cache_data(ttl=60, show_spinner=False)
def _status(db: str) -> dict:
    return get_store().status()


status = _status(str(get_store().path))
cols = st.columns(4)
labels = [
    ("accidents", t("事故记录", "Accident records", lang)),
    ("hazards", t("隐患记录", "Hazard records", lang)),
    ("accident_stats", t("事故统计报表行", "Accident statistics rows", lang)),
    ("hazard_stats", t("隐患月报表行", "Hazard report rows", lang)),
]
for col, (key, label) in zip(cols, labels, strict=True):
    col.metric(label, f"{status[key]['rows']:,}")

rows = []
for key, label in labels:
    info = status[key]
    span = info.get("dates") or info.get("periods")
    rows.append({
        t("数据", "Data", lang): label,
        t("起", "From", lang): span["from"],
        t("止", "To", lang): span["to"],
        t("地区数", "Regions", lang): info["regions"],
    })
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

st.subheader(t("最近导入", "Latest imports", lang))
last = pd.DataFrame(status["last_imports"])
if last.empty:
    st.info(t("尚无导入记录。", "No imports yet.", lang))
else:
    st.dataframe(last, hide_index=True, width="stretch")
st.caption(t(f"数据库：{status['db']}", f"Database: {status['db']}", lang))
