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
        t("起", "From", lang): span["from"] or "—",
        t("止", "To", lang): span["to"] or "—",
        t("地区数", "Regions", lang): info["regions"],
    })
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

st.subheader(t("最近导入", "Latest imports", lang))
last = pd.DataFrame(status["last_imports"])
if last.empty:
    st.info(t("尚无导入记录。", "No imports yet.", lang))
else:
    headers = {
        "import_id": t("导入编号", "Import id", lang), "kind": t("数据类型", "Kind", lang),
        "file_name": t("文件", "File", lang), "imported_at": t("导入时间", "Imported at", lang),
        "new_rows": t("新增", "New", lang), "updated_rows": t("更新", "Updated", lang),
        "rejected_rows": t("拒收", "Rejected", lang),
    }
    last["imported_at"] = pd.to_datetime(last["imported_at"]).dt.strftime("%Y-%m-%d %H:%M")
    st.dataframe(
        last.rename(columns=headers), hide_index=True, width="stretch",
        column_config={headers[c]: st.column_config.NumberColumn(format="localized")
                       for c in ("new_rows", "updated_rows", "rejected_rows")},
    )
st.caption(t(f"数据库：{status['db']}", f"Database: {status['db']}", lang))
