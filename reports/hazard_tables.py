"""The 隐患整改 page's tables and words as it shows them: the rate tiles' changes, the rankings, the
supervision board (挂牌督办), a hazard record in full, the enterprises with the most open or repeated
hazards, and the official monthly report (its table and its XLSX). Frames in, frames and text out; no
Streamlit."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.hazards import BASE_LABELS, RateSet
from domain.columns import label as column_label
from domain.hazards import GRADE_LABELS, SOURCE_LABELS, STATUS_LABELS, SUPERVISION_LABELS
from domain.industries import industry_label
from domain.regions import region_label
from i18n import fmt_count, fmt_pct, label, md_text, t

REPORT_HEADERS = {
    "industry": ("行业领域", "Industry"),
    "units": ("排查单位数", "Units"),
    "general_found": ("一般隐患排查数", "General found"),
    "general_rectified": ("一般隐患已整改", "General rectified"),
    "general_rate": ("一般隐患整改率", "General rate"),
    "major_found": ("重大隐患排查数", "Major found"),
    "major_rectified": ("重大隐患已整改", "Major rectified"),
    "major_closed": ("重大隐患已销号", "Major closed"),
    "major_rate": ("重大隐患整改率", "Major rate"),
    "major_in_plan": ("列入治理计划", "In a plan"),
    "major_five_in_place": ("五到位", "Five in place"),
    "major_supervised": ("挂牌督办", "Supervised"),
    "major_supervised_province": ("其中省级", "Of which provincial"),
    "funds_wan": ("治理资金（万元）", "Funds (10k yuan)"),
}


def pct(x: float | None) -> str:
    """A rate (a fraction) as a percentage; "—" when there is nothing to rate."""
    return fmt_pct(None if x is None else x * 100)


def _date(x) -> str:
    return "—" if x is None or pd.isna(x) else f"{pd.Timestamp(x):%Y-%m-%d}"


def tile_change(cur: float | None, prev: float | None, lang: str) -> tuple[str, str]:
    """A rate tile's change on the same period last year, and its colour (a higher rate is good)."""
    if cur is not None and prev is not None:
        pp = round((cur - prev) * 100, 1) + 0.0  # no "-0.0"
        if pp == 0:
            return t(f"持平（去年同期 {pct(prev)}）", f"level (same period last year {pct(prev)})", lang), "off"
        return t(
            f"{pp:+.1f}个百分点（去年同期 {pct(prev)}）", f"{pp:+.1f} pts (same period last year {pct(prev)})", lang
        ), "normal"
    # one side has nothing to rate: no change to show, but still last year's figure
    return t(f"去年同期 {pct(prev)}", f"same period last year {pct(prev)}", lang), "off"


def counts_text(rs: RateSet, lang: str) -> str:
    return t(
        f"{label(BASE_LABELS, rs.base, lang)}：隐患 {fmt_count(rs.found, lang)} 项，已整改 {fmt_count(rs.rectified, lang)} 项；"
        f"重大隐患 {rs.major_found} 项，已整改 {rs.major_rectified} 项",
        f"{label(BASE_LABELS, rs.base, lang)}: {fmt_count(rs.found, lang)} hazards, {fmt_count(rs.rectified, lang)} "
        f"rectified; {rs.major_found} major, {rs.major_rectified} rectified",
        lang,
    )


def ranking(frame: pd.DataFrame, names: list[str], lang: str) -> pd.DataFrame:
    """A ranking as shown (the rate in percent, for a progress bar)."""
    return pd.DataFrame(
        {
            t("名称", "Name", lang): names,
            t("整改率", "Rate", lang): [None if x is None else x * 100 for x in frame["rate"]],
            t("发现", "Found", lang): frame["found"],
            t("已整改", "Rectified", lang): frame["rectified"],
            t("超期重大", "Overdue majors", lang): frame["open_major_overdue"],
            t("超期", "Overdue", lang): frame["open_overdue"],
        }
    )


def record_fields(row: dict, lang: str) -> pd.DataFrame:
    """A hazard record in full, one field a row, as Markdown-safe text (st.table draws Markdown: every
    value, an imported text among them, is shown as text). Stored columns are named as declared (domain.columns)."""

    def head(column: str) -> str:
        return column_label(column, lang, "hazards")

    fields = [
        (head("hazard_id"), row["hazard_id"]),
        (head("enterprise"), row["enterprise"]),
        (head("credit_code"), row.get("credit_code") or "—"),
        (head("region_code"), region_label(row["region_code"], lang, full=True)),
        (head("industry"), industry_label(row["industry"], lang)),
        (head("address"), row.get("address") or "—"),
        (head("description"), row.get("description") or "—"),
        (head("category"), row.get("category") or "—"),
        (head("grade"), label(GRADE_LABELS, row["grade"], lang)),
        (
            head("source"),
            label(SOURCE_LABELS, row["source"], lang)
            if row.get("source") in SOURCE_LABELS
            else (row.get("source") or "—"),
        ),
        (head("found_date"), _date(row["found_date"])),
        (head("deadline"), _date(row["deadline"])),
        (head("rectified_date"), _date(row["rectified_date"])),
        (head("accepted_date"), _date(row["accepted_date"])),
        (head("status"), label(STATUS_LABELS, row["status"], lang)),
        (head("supervision_level"), label(SUPERVISION_LABELS, row["supervision_level"], lang)),
        (head("funds_wan"), "—" if pd.isna(row.get("funds_wan")) else f"{row['funds_wan']:,.2f}"),
        (head("responsible_person"), row.get("responsible_person") or "—"),
        (
            t("五到位", "Five in place", lang),
            "、".join(
                name
                for flag, name in zip(
                    ("measures_in_place", "funds_in_place", "deadline_in_place", "person_in_place", "plan_in_place"),
                    (
                        t("措施", "measures", lang),
                        t("资金", "funds", lang),
                        t("时限", "deadline", lang),
                        t("责任人", "person", lang),
                        t("预案", "plan", lang),
                    ),
                    strict=True,
                )
                if row.get(flag)
            )
            or "—",
        ),
    ]
    return pd.DataFrame(
        [(k, md_text(v)) for k, v in fields], columns=[t("项目", "Field", lang), t("内容", "Value", lang)]
    ).set_index(t("项目", "Field", lang))


def at_levels(board: pd.DataFrame, levels: list[str]) -> pd.DataFrame:
    """The board's hazards supervised at ``levels``."""
    return board[board["supervision_level"].isin(levels)]


def board_table(board: pd.DataFrame, as_of: dt.date, lang: str) -> pd.DataFrame:
    """The supervision board as shown."""
    return pd.DataFrame(
        {
            t("督办级别", "Level", lang): [label(SUPERVISION_LABELS, v, lang) for v in board["supervision_level"]],
            column_label("enterprise", lang, "hazards"): board["enterprise"],
            column_label("region_code", lang): [region_label(c, lang, full=True) for c in board["region_code"]],
            column_label("industry", lang): [industry_label(c, lang) for c in board["industry"]],
            column_label("deadline", lang, "hazards"): board["deadline"].dt.date,
            t("超期天数", "Days overdue", lang): board["days_overdue"],
            t("五到位", "Five in place", lang): [f"{n}/5" for n in board["five_in_place"]],
            t(f"{as_of}状态", f"Status on {as_of}", lang): [
                label(STATUS_LABELS, s, lang) for s in board["status_then"]
            ],
            t("当前状态", "Status now", lang): [label(STATUS_LABELS, s, lang) for s in board["status"]],
        }
    )


def enterprises_table(ent: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The enterprises with the most open or repeated hazards as shown."""
    return pd.DataFrame(
        {
            column_label("enterprise", lang, "hazards"): ent["enterprise"],
            column_label("region_code", lang): [region_label(c, lang, full=True) for c in ent["region_code"]],
            column_label("industry", lang): [industry_label(c, lang) for c in ent["industry"]],
            t("未整改", "Open", lang): ent["open"],
            t("其中重大", "Major", lang): ent["open_major"],
            t("超期", "Overdue", lang): ent["overdue"],
            t("12个月内重复", "Repeats (12 months)", lang): ent["repeats"],
        }
    )


def enterprise_hazards(mine: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One enterprise's hazards as shown."""
    return pd.DataFrame(
        {
            t("隐患编号", "Id", lang): mine["hazard_id"],
            t("类别", "Category", lang): mine["category"],
            t("等级", "Grade", lang): [label(GRADE_LABELS, g, lang) for g in mine["grade"]],
            t("发现日期", "Found", lang): mine["found_date"].dt.date,
            t("整改期限", "Deadline", lang): mine["deadline"].dt.date,
            t("整改日期", "Rectified", lang): mine["rectified_date"].dt.date,
            t("状态", "Status", lang): [label(STATUS_LABELS, s, lang) for s in mine["status"]],
            t("隐患描述", "Description", lang): mine["description"],
        }
    )


def monthly_report_table(report: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The official monthly report as shown (names for industries, rates in percent, funds to the cent)."""
    shown = report.copy()
    shown["industry"] = [
        t("合计", "Total", lang) if c == "total" else industry_label(c, lang) for c in shown["industry"]
    ]
    for c in ("general_rate", "major_rate"):
        shown[c] = [pct(None if pd.isna(x) else x) for x in shown[c]]
    shown["funds_wan"] = ["—" if pd.isna(x) else f"{float(x):,.2f}" for x in shown["funds_wan"]]
    shown.columns = [label(REPORT_HEADERS, c, lang) for c in shown.columns]
    return shown


def monthly_report_xlsx(table: pd.DataFrame, region: str, period, lang: str, made_on: dt.date) -> bytes:
    """The report as the paper-form XLSX (reports.hazard_monthly), as bytes for a download button."""
    import tempfile
    from pathlib import Path

    from reports.hazard_monthly import write_hazard_monthly_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = write_hazard_monthly_xlsx(
            table, Path(tmp) / "report.xlsx", region_code=region, period=period, lang=lang, made_on=made_on
        )
        return path.read_bytes()
