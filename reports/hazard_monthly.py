"""The official monthly hazard report (工矿企业隐患排查治理情况月报表) as an XLSX laid out like the paper form.

The table comes from ``analytics.hazards.monthly_report``: one row per industry (``industry`` is a code
of ``domain.industries``) and a last row whose ``industry`` is ``"total"`` (合计, the sum of the rows
above), with the count columns of :data:`COUNT_COLUMNS`, ``funds_wan`` (万元) and the rates
``general_rate`` / ``major_rate`` as fractions (None/NaN when nothing was found: shown "—").

The file is written so that ``python -m loaders import hazard-stats FILE`` reads it back unchanged:
the region and the period are in the title rows (填报单位：…, 统计期间：…), the headers are aliases of
the ``hazard-stats`` schema, the 合计 row and the 填表人 footer are skipped, and the rates (informational)
are recomputed. Both languages: ``lang="en"`` writes English words the importer also knows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from domain.hazards import HAZARD_STAT_COUNTS
from domain.industries import BY_CODE, industry_label
from domain.periods import Period
from domain.regions import COUNTRY_CODE, RegionError, english_name, load_regions, region_name, resolve_region
from i18n import t

TOTAL = "total"
COUNT_COLUMNS = HAZARD_STAT_COUNTS  # the form's count columns, in its order
RATE_COLUMNS = ("general_rate", "major_rate")
TABLE_COLUMNS = ("industry", *COUNT_COLUMNS, "funds_wan", *RATE_COLUMNS)

TITLE = {
    "zh": "工矿企业隐患排查治理情况月报表",
    "en": "Monthly Report on Hidden-Danger Investigation and Rectification in Industrial and Mining Enterprises",
}
SHEET = {"zh": "隐患排查治理月报表", "en": "Hazard monthly report"}

# The font named on every format. 宋体 (SimSun) is the typeface of the printed government forms and is
# on every Chinese Windows/Office, so the file opens there exactly as the paper form looks; charset 134
# (GB2312) tells Excel it is a Chinese font. Where it is missing (Linux, a Western Office) the
# application substitutes an installed CJK font (LibreOffice here draws it with Noto Sans CJK SC).
# "Noto Sans CJK SC" itself is rarely installed on Chinese Office machines, which would substitute it
# with their default font and change the form's look and column fit.
FONT_NAME = "宋体"
FONT_CHARSET = 134
FONT_SIZE = 10


@dataclass(frozen=True)
class FormColumn:
    key: str  # column of the table
    zh: str  # header text, unit in brackets
    en: str
    group: str | None  # "general" / "major": the upper header over it
    kind: str  # "text", "count", "rate", "amount"
    width_zh: float
    width_en: float


GROUPS = {"general": ("一般隐患", "General hazards"), "major": ("重大隐患", "Major hazards")}

# Left to right as on the paper form. Each header, composed with its group (一般隐患 + 排查数 →
# 一般隐患排查数; "General hazards" + "Found" → "general hazards found"), is an alias of the
# hazard-stats schema (tests/test_hazard_monthly.py checks that every one is recognised).
FORM_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("industry", "行业领域", "Industry", None, "text", 16, 40),
    FormColumn("units", "排查单位数\n（个）", "Units inspected (count)", None, "count", 10, 11),
    FormColumn("general_found", "排查数\n（项）", "Found (items)", "general", "count", 10, 10),
    FormColumn("general_rectified", "已整改\n（项）", "Rectified (items)", "general", "count", 10, 10),
    FormColumn("general_rate", "整改率\n（%）", "Rectification rate (%)", "general", "rate", 9, 13),
    FormColumn("major_found", "排查数\n（项）", "Found (items)", "major", "count", 8, 9),
    FormColumn("major_rectified", "已整改\n（项）", "Rectified (items)", "major", "count", 8, 10),
    FormColumn("major_closed", "已销号\n（项）", "Closed (items)", "major", "count", 8, 9),
    FormColumn("major_rate", "整改率\n（%）", "Rectification rate (%)", "major", "rate", 9, 13),
    FormColumn("major_in_plan", "列入治理计划\n（项）", "In remediation plan (items)", "major", "count", 10, 13),
    FormColumn("major_five_in_place", "五到位\n（项）", "Five in place (items)", "major", "count", 8, 10),
    FormColumn("major_supervised", "挂牌督办\n（项）", "Listed for supervision (items)", "major", "count", 9, 13),
    FormColumn("major_supervised_province", "其中省级\n（项）", "Of which provincial (items)", "major", "count", 9, 11),
    FormColumn("funds_wan", "治理资金\n（万元）", "Funds (10k CNY)", None, "amount", 12, 12),
)

_TITLE_ROW, _META_ROW, _HEAD_TOP, _HEAD_SUB, _FIRST_DATA = 0, 1, 2, 3, 4  # 0-based rows


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def region_line(code: str, lang: str) -> str:
    """填报单位：湖南省长沙市 — the full name, or the code when the name would be read back as another
    region (北京市 is 110000, so its city record 110100 is written by code)."""
    name = "全国" if code == COUNTRY_CODE else region_name(code, full=True)
    try:
        written = name if resolve_region(name) == code else code
    except RegionError:
        written = code
    if lang == "zh":
        return f"填报单位：{written}"
    # The importer reads the first word after the colon: the Chinese name (or the code), which
    # resolves for every level; pinyin alone resolves only provinces and cities.
    return f"Reporting unit: {written} ({english_name(code)})"


def period_text(period: Period, lang: str) -> str:
    """统计期间 as the form writes it: 2024年3月, 2024年1—3月, 2024年第一季度, 2024年度.

    A month and a whole year are written so that the importer reads them back; a range from January
    (2024年1—3月) is read back as figures cumulative since January to its last month (loaders.forms); a
    quarter or another range is not a period the hazard_stats table stores (a month or a year), so the
    importer refuses the file unless --period is given, rather than file the totals under one month.
    """
    whole_year = period.start[5:] == "01" and period.end[5:] == "12" and period.first_year == period.last_year
    if lang == "zh":
        return f"{period.first_year}年度" if whole_year else period.label("zh")
    if whole_year:
        return f"{period.first_year} (full year)"
    if period.kind == "month" or period.start == period.end:
        return f"{period.start} ({period.label('en')})"
    return period.label("en")


def _check(table: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The table, checked against the contract (a wrong table is a bug upstream: say so, loudly)."""
    if period.is_cut:
        raise ValueError(
            f"the monthly report covers whole months; {period.end} is cut at {period.until} (it is not over yet)"
        )
    missing = [c for c in TABLE_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"the report table lacks the columns {', '.join(missing)}")
    if len(table) < 1 or table["industry"].iloc[-1] != TOTAL:
        raise ValueError("the report table's last row must be the total (industry 'total')")
    rows = table.iloc[:-1]
    unknown = [str(c) for c in rows["industry"] if c not in BY_CODE]
    if unknown:
        raise ValueError(f"unknown industry codes in the report table: {', '.join(unknown)}")
    total = table.iloc[-1]
    for col in (*COUNT_COLUMNS, "funds_wan"):
        values = pd.to_numeric(rows[col], errors="coerce")
        got = total[col]
        if values.isna().all() and _missing(got):
            continue
        expected = float(values.sum())
        if _missing(got) or not math.isclose(float(got), expected, rel_tol=1e-9, abs_tol=1e-6):
            raise ValueError(f"the total row's {col} is {got}, but the rows above sum to {expected:g}")
    return table.reset_index(drop=True)


def rate_cell(found: Any, rectified: Any, rate: Any) -> float | str:
    """A rate as the form shows it: a percentage with one decimal (97.1 under 整改率（%）), or "—" when
    nothing was found. Rounding never shows 100.0 while something is open, nor 0.0 when something
    was rectified."""
    if _missing(found) or int(found) == 0:
        return "—"
    if _missing(rate):
        rate = (0 if _missing(rectified) else int(rectified)) / int(found)
    pct = round(float(rate) * 100, 1)
    done = None if _missing(rectified) else int(rectified)
    if done is not None and done < int(found) and pct >= 100.0:
        pct = 99.9
    if done is not None and done > 0 and pct <= 0.0:
        pct = 0.1
    return pct


class _Formats:
    """Every cell format of the form, each naming the CJK font."""

    def __init__(self, wb: Any) -> None:
        self._wb = wb
        border = {"border": 1, "valign": "vcenter"}
        self.title = self._new(bold=True, font_size=16, align="center", valign="vcenter")
        self.meta_left = self._new(align="left", valign="vcenter")
        self.meta_right = self._new(align="right", valign="vcenter")
        self.head = self._new(bold=True, align="center", text_wrap=True, bg_color="#F2F2F2", **border)
        self.footer = self._new(align="left", valign="vcenter")
        self.body: dict[tuple[str, bool], Any] = {
            ("text", False): self._new(align="left", indent=1, **border),
            ("text", True): self._new(bold=True, align="center", **border),  # 合计
        }
        for bold in (False, True):
            self.body[("count", bold)] = self._new(bold=bold, num_format="#,##0", align="right", **border)
            self.body[("amount", bold)] = self._new(bold=bold, num_format="#,##0.00", align="right", **border)
            self.body[("rate", bold)] = self._new(bold=bold, num_format="0.0", align="right", **border)
            self.body[("dash", bold)] = self._new(bold=bold, align="center", **border)

    def _new(self, **props: Any) -> Any:
        return self._wb.add_format(
            {"font_name": FONT_NAME, "font_charset": FONT_CHARSET, "font_size": FONT_SIZE, **props}
        )


def write_hazard_monthly_xlsx(
    table: pd.DataFrame,
    path: str | Path,
    *,
    region_code: str,
    period: Period,
    lang: str = "zh",
    made_on: dt.date | None = None,
) -> Path:
    """Write the report ``table`` (see the module doc) as the paper form to ``path``; returns the path.

    ``region_code`` is the reporting region (an adcode), ``period`` the months reported (a cut period,
    one that is not over, is refused: the form covers whole months), ``made_on`` the 填报日期 in the
    footer (default today). Every row of the table is written, all-zero industries too: the paper form
    lists every industry, and a zero on it is a reported zero.
    """
    import xlsxwriter

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got '{lang}'")
    if region_code not in load_regions():
        raise ValueError(f"'{region_code}' is not a known region code")
    table = _check(table, period)
    made_on = made_on or dt.date.today()
    path = Path(path)
    last_col = len(FORM_COLUMNS) - 1

    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "default_format_properties": {"font_name": FONT_NAME, "font_charset": FONT_CHARSET, "font_size": FONT_SIZE},
        },
    )
    try:
        fmt = _Formats(wb)
        ws = wb.add_worksheet(SHEET[lang])
        # Title, then 填报单位 on the left and 统计期间 on the right.
        ws.set_row(_TITLE_ROW, 32)
        ws.merge_range(_TITLE_ROW, 0, _TITLE_ROW, last_col, TITLE[lang], fmt.title)
        # Single cells, not merged: text runs over the empty cells beside it, and the importer (which
        # fills merged cells near the top with their value) reads each line once.
        ws.set_row(_META_ROW, 20)
        ws.write_string(_META_ROW, 0, region_line(region_code, lang), fmt.meta_left)
        period_line = (
            f"统计期间：{period_text(period, 'zh')}" if lang == "zh" else f"Period: {period_text(period, 'en')}"
        )
        ws.write_string(_META_ROW, last_col, period_line, fmt.meta_right)
        # Two-level headers: a column without a group spans both rows.
        ws.set_row(_HEAD_TOP, 22)
        ws.set_row(_HEAD_SUB, 44 if lang == "zh" else 58)
        col = 0
        while col <= last_col:
            fc = FORM_COLUMNS[col]
            ws.set_column(col, col, fc.width_zh if lang == "zh" else fc.width_en)
            if fc.group is None:
                ws.merge_range(_HEAD_TOP, col, _HEAD_SUB, col, t(fc.zh, fc.en, lang), fmt.head)
                col += 1
                continue
            span = [i for i in range(col, last_col + 1) if FORM_COLUMNS[i].group == fc.group]
            end = span[-1]
            ws.merge_range(_HEAD_TOP, col, _HEAD_TOP, end, t(*GROUPS[fc.group], lang), fmt.head)
            for i in span:
                sub = FORM_COLUMNS[i]
                ws.set_column(i, i, sub.width_zh if lang == "zh" else sub.width_en)
                ws.write(_HEAD_SUB, i, t(sub.zh, sub.en, lang), fmt.head)
            col = end + 1
        # One row per industry, then 合计 in bold.
        row = _FIRST_DATA
        for record in table.to_dict("records"):
            is_total = record["industry"] == TOTAL
            if is_total:
                name = t("合计", "Total", lang)
            else:
                name = industry_label(record["industry"], lang)
                name = name if lang == "zh" else name[:1].upper() + name[1:]
            ws.set_row(row, 18)
            for c, fc in enumerate(FORM_COLUMNS):
                if fc.kind == "text":
                    ws.write_string(row, c, name, fmt.body[("text", is_total)])
                elif fc.kind == "rate":
                    prefix = fc.key.split("_")[0]
                    value = rate_cell(record[f"{prefix}_found"], record[f"{prefix}_rectified"], record[fc.key])
                    if isinstance(value, str):
                        ws.write_string(row, c, value, fmt.body[("dash", is_total)])
                    else:
                        ws.write_number(row, c, value, fmt.body[("rate", is_total)])
                else:
                    value = record[fc.key]
                    f = fmt.body[(fc.kind, is_total)]
                    if _missing(value):  # unknown: "—" (a blank on the form would be read back as 0)
                        ws.write_string(row, c, "—", fmt.body[("dash", is_total)])
                    else:
                        ws.write_number(row, c, int(value) if fc.kind == "count" else float(value), f)
            row += 1
        # Footer: 填表人 / 审核人 / 填报日期 (the importer skips it as a footer and does not read the
        # date as the period).
        ws.set_row(row, 26)
        if lang == "zh":
            parts = ("填表人：", "审核人：", f"填报日期：{made_on.year}年{made_on.month}月{made_on.day}日")
        else:
            parts = ("Prepared by:", "Reviewed by:", f"Date filled: {made_on.isoformat()}")
        for first, text in zip((0, 4, 9), parts, strict=True):
            ws.write_string(row, first, text, fmt.footer)
        # View and print: frozen headers and industry column, A4 landscape, one page wide,
        # the header rows repeated on every printed page.
        ws.freeze_panes(_FIRST_DATA, 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(_HEAD_TOP, _HEAD_SUB)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.print_area(0, 0, row, last_col)
        ws.set_footer(t("&C第 &P 页，共 &N 页", "&CPage &P of &N", lang))
    finally:
        wb.close()
    return path
