"""What each row under a header is: data, a 合计 / 总计 total, a 填表人 footer, a note, a title or a meta line
(region, period); and the rows that look like one but are not sure."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from domain.agencies import region_of_agency
from loaders.decoding import _cell_text

_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计", "全部合计", "合 计", "总 计", "total", "sum"})
_TOTAL_RE = re.compile(r"^(全省|全市|全县|全区|全国|本月|累计|各地)?(合计|总计|小计)$")
_SUSPECT_TOTAL = r"(全省|全市|全县|全区|全国|本月|累计|各地)?(合计|总计|小计|总合计|全部合计)|total|sum"
_FOOTER_WORDS = (
    "填表人|填报人|制表人|审核人|审核|单位负责人|负责人|统计负责人|填报日期|填表日期|制表日期|报送日期|"
    "联系电话|备注|说明|注"
    # English forms (reports.hazard_monthly writes one); matched with or without the spaces
    r"|(?i:prepared\s*by|reviewed\s*by|approved\s*by|head\s*of\s*unit|date\s*filled|report\s*date)"
)
# (签字) / （盖章） between the word and its colon: 单位负责人（签字）：, as the official forms print it.
_SUSPECT_FOOTER = rf"({_FOOTER_WORDS})(?:[（(][^）)]{{0,6}}[）)])?[:：]"
_FOOTER_RE = re.compile(rf"^({_FOOTER_WORDS})\s*(?:[（(][^）)]{{0,6}}[）)])?\s*[:：]")
_META_REGION_RE = re.compile(
    r"(?:填报单位|填报地区|单位名称|地区|reporting\s*unit)\s*(?:[（(][^）)]*[）)])?\s*[:：]\s*([^\s:：，,（(]+)",
    re.IGNORECASE,
)
# A month (2024年3月, not a range 2024年1—3月 nor a day 2024年4月5日: a 填报日期 is not the period), a year
# (2024年度), or after 统计期间 / Period: 2024-03, or a year alone (2024, 2024 (full year); not 2024 Q1).
_META_PERIOD_RE = re.compile(
    r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月(?!\s*[-—~至到]\s*\d)(?!\s*\d{1,2}\s*[日号])|度)"
    r"|(?:统计期间|period)\s*[:：]\s*(?:(\d{4}[-/.]\d{1,2})|(\d{4})\s*(?=$|[(（,，;；]))",
    re.IGNORECASE,
)


_META_CELL = re.compile(r"^\s*(?!其中)[\u4e00-\u9fff]{2,8}\s*[：:]")


def _is_meta_row(row: list[Any]) -> bool:
    """A title-area line of label-and-value cells (项目名称：…, 填报人：, 填报时间：2020年5月25日)."""
    return any(_META_CELL.match(_cell_text(v)) for v in row)


# ---------------------------------------------------------------- rows


def _classify_row(cells: list[str]) -> str | None:
    """'total', 'footer' or None for a data row."""
    filled = [unicodedata.normalize("NFKC", c) for c in cells if c]
    if not filled:
        return "empty"
    for c in filled[:3]:
        compact = c.replace(" ", "").lower()
        if compact in _TOTAL_WORDS or _TOTAL_RE.match(compact):
            return "total"
    if _FOOTER_RE.match(filled[0]):
        return "footer"
    return None


# A title that begins with a region (after a year, perhaps) and names a table: 长沙市2024年隐患排查治理台账.
_TITLE_WORDS = re.compile(r"台账|报表|统计表|一览表|汇总表|明细表|登记表|清单|情况表|分解表")
_TITLE_REGION_RE = re.compile(r"^\s*(?:\d{4}\s*年度?\s*)?([\u4e00-\u9fff]{2,24})")


def _title_region(line: str) -> str | None:
    """The region a title line begins with (长沙市…台账 → 长沙市; 湖南省长沙市… → 湖南省长沙市), the longest
    start that names exactly one region; None when the line is no table title or begins with none."""
    from domain.regions import RegionError, resolve_region

    m = _TITLE_REGION_RE.match(unicodedata.normalize("NFKC", line))
    if m is None or not _TITLE_WORDS.search(line):
        return None
    head = m.group(1)
    ends = [i + 1 for i, ch in enumerate(head) if ch in "省市区县州盟旗" and i >= 1]
    for end in reversed(ends):
        try:
            resolve_region(head[:end])
        except RegionError:
            continue
        return head[:end]
    return None


def _meta_from_lines(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in lines:
        if "region" not in meta:
            m = _META_REGION_RE.search(line)
            if m:
                meta["region"] = region_of_agency(m.group(1))  # 宁波市安全生产监督管理局 → 宁波市
        if "period" not in meta:
            m = _META_PERIOD_RE.search(line)
            if m:
                if m.group(3):
                    meta["period"] = m.group(3)
                elif m.group(4):
                    meta["period"] = m.group(4)
                elif m.group(2):
                    meta["period"] = f"{m.group(1)}-{int(m.group(2)):02d}"
                else:
                    meta["period"] = m.group(1)
    if "region" not in meta:
        region = next((r for r in map(_title_region, lines) if r is not None), None)
        if region is not None:
            meta["region"] = region
    return meta


def _text_cells(col: pd.Series, rows: np.ndarray | None = None) -> Any:
    """The cells of ``col`` (at positions ``rows``, or all) as Arrow text, missing ones as '' — as
    ``astype("string").fillna("")`` reads them, without a Python object per cell for a CSV's text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if rows is not None:
        col = col.iloc[rows]
    if not (isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow"):
        col = col.astype("string")
    arr = col.array.__arrow_array__()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.fill_null(arr, "")


def _blank_cells(col: pd.Series) -> np.ndarray:
    """Which cells of ``col`` are blank: missing, empty or only spaces (``str.strip() == ''``)."""
    import pyarrow.compute as pc

    blank = pc.equal(pc.utf8_trim_whitespace(_text_cells(col)), "")
    return np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)


# What a total or footer cell must contain for its spaces-removed text to be one: a total word has
# 计, or is total/sum (case-insensitive: an l or an m); a footer starts with one of the footer
# words' first characters and has a colon.
_MAYBE_TOTAL = "[计lLmM]"
_FOOTER_FIRST = "[填制审单负统报联备说注pPrRaAhHdD]"


def _suspicious_rows(body: pd.DataFrame) -> np.ndarray:
    """Rows that may be blank, total or footer rows, for :func:`_classify_row` to decide: every
    cell blank, or one of the first three cells, its spaces removed, a total word (whole cell,
    any case) or a footer word and a colon at its start. Column-wise on Arrow text; the exact
    patterns are matched only on cells that contain what they need."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from loaders.parsing import _SPACE_CLASS

    n = len(body)
    candidates = np.arange(n)
    for col in body.columns:  # blank rows: narrowed column by column
        if not len(candidates):
            break
        text = _text_cells(body[col], candidates)
        blank = pc.equal(pc.utf8_trim_whitespace(text), "")
        candidates = candidates[np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)]
    suspicious = np.zeros(n, dtype=bool)
    suspicious[candidates] = True
    for col in list(body.columns[: min(3, len(body.columns))]):
        text = _text_cells(body[col])
        maybe = pc.or_(
            pc.match_substring_regex(text, _MAYBE_TOTAL),
            pc.match_substring_regex(text, f"^{_SPACE_CLASS}*{_FOOTER_FIRST}"),
        )
        rows = np.flatnonzero(np.asarray(maybe.to_numpy(zero_copy_only=False), dtype=bool))
        if not len(rows):
            continue
        compact = pc.replace_substring_regex(text.take(pa.array(rows)), f"{_SPACE_CLASS}+", "")
        hit = pc.or_(
            pc.match_substring_regex(compact, f"^(?:{_SUSPECT_TOTAL})$", ignore_case=True),
            pc.match_substring_regex(compact, f"^(?:{_SUSPECT_FOOTER})"),
        )
        suspicious[rows[np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)]] = True
    return suspicious
