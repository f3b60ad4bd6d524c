"""The data-quality panel's records as people read them (the Data page, 数据质量): names for codes, the
page's language, the file each record came from. Frames in, frames out; no Streamlit."""

from __future__ import annotations

import pandas as pd

from domain.grading import GRADE_LABELS as ACCIDENT_GRADE_LABELS
from i18n import label, t
from reports.explorer_tables import records_table


def records_view(table: str, recs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Records of ``table`` (accidents, hazards) as the Explorer shows them."""
    return records_table(table, recs, lang).frame


def finding_view(table: str, recs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A finding's records as people read them, with the file each came from and, for a grade conflict,
    the grade the file gave."""
    shown = records_table(table, recs, lang).frame
    if "grade_reported" in recs:
        shown.insert(
            shown.columns.get_loc(t("事故等级", "Grade", lang)) + 1,
            t("文件中的等级", "Grade in the file", lang),
            [
                label(ACCIDENT_GRADE_LABELS, g, lang) if g in ACCIDENT_GRADE_LABELS else g
                for g in recs["grade_reported"]
            ],
        )
    shown[t("来源文件", "File", lang)] = recs["file_name"].to_numpy()
    shown[t("文件行号", "Row in file", lang)] = recs["source_row"].to_numpy()
    for c in shown.columns:  # a blank text is "—", not "None"
        if shown[c].dtype == object:
            shown[c] = shown[c].where(shown[c].notna(), "—")
    return shown
