"""Hidden-danger (事故隐患) vocabulary: grades, sources, supervision levels and the closed loop.

The closed loop (闭环): found (发现) → rectifying (责令整改 / 整改中) → rectified, awaiting acceptance
(已整改待验收) → accepted and closed (验收通过 / 销号); a failed acceptance (验收不通过) goes back to
rectifying.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

import numpy as np
import pandas as pd


class HazardStatus(StrEnum):
    FOUND = "found"
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"
    CLOSED = "closed"
    ACCEPTANCE_FAILED = "acceptance_failed"


# A status the file marks as done (rectified, or accepted and closed): counted rectified even without a date.
DONE_STATUSES: tuple[HazardStatus, ...] = (HazardStatus.RECTIFIED, HazardStatus.CLOSED)
STATUS_LABELS: dict[str, tuple[str, str]] = {
    HazardStatus.FOUND.value: ("已发现未整改", "found"),
    HazardStatus.RECTIFYING.value: ("整改中", "rectifying"),
    HazardStatus.RECTIFIED.value: ("已整改待验收", "rectified, awaiting acceptance"),
    HazardStatus.CLOSED.value: ("已验收销号", "accepted and closed"),
    HazardStatus.ACCEPTANCE_FAILED.value: ("验收不通过", "acceptance failed"),
}
GRADE_LABELS: dict[str, tuple[str, str]] = {"general": ("一般隐患", "general"), "major": ("重大隐患", "major")}
SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "self_inspection": ("企业自查", "self-inspection"),
    "gov_inspection": ("执法检查", "government inspection"),
    "report": ("举报", "report"),
    "expert": ("专家", "expert"),
}
SUPERVISION_LABELS: dict[str, tuple[str, str]] = {
    "province": ("省级", "provincial"),
    "city": ("市级", "city"),
    "county": ("县级", "county"),
    "none": ("未挂牌", "not listed"),
}


def _k(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


def _table(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_k(alias): code for code, aliases in pairs.items() for alias in (code, *aliases)}


# The status words real ledgers and systems write, by the step of the closed loop each one means.
# A word that says only that the work was done (已处理, 整改完毕) is *rectified*: nobody has accepted
# it yet. A word that says the loop ended — accepted (验收, 复查合格: the regulator's re-inspection of
# a hazard it found, 整改复查意见书), struck off (销号, 核销: order No. 16's word), or the system's
# record closed (关闭, 办结, 闭环) — is *closed*. 已复查 / 已复验 on their own are a re-inspection that
# passed (one that failed is written 复查不合格 / 整改不合格). 已超期 / 已超时 are still being rectified:
# overdue is judged from the deadline, not from the word. tests/test_vocabularies.py has a case for
# every word.
STATUS_ALIASES = _table(
    {
        HazardStatus.FOUND.value: (
            "未整改",
            "待整改",
            "已发现",
            "发现",
            "新发现",
            "已上报",
            "上报",
            "未处理",
            "待处理",
            "open",
            "reported",
        ),
        HazardStatus.RECTIFYING.value: (
            "整改中",
            "正在整改",
            "责令整改",
            "已下达整改",
            "限期整改",
            "治理中",
            "处理中",
            "正在处理",
            "进行中",
            "逾期未整改",
            "超期未整改",
            "已超期",
            "已超时",
            "in progress",
        ),
        HazardStatus.RECTIFIED.value: (
            "已整改",
            "已整改待验收",
            "待验收",
            "整改完成",
            "已完成整改",
            "整改完毕",
            "已完成",
            "已处理",
            "处理完毕",
            "待复查",
            "待复验",
            "待销号",
            "rectified",
            "awaiting acceptance",
        ),
        HazardStatus.CLOSED.value: (
            "已验收",
            "验收通过",
            "验收合格",
            "已销号",
            "销号",
            "已核销",
            "核销",
            "已闭环",
            "闭环",
            "关闭",
            "已关闭",
            "办结",
            "已办结",
            "已复查",
            "复查合格",
            "复查通过",
            "已复验",
            "复验合格",
            "复验通过",
            "accepted",
            "closed",
        ),
        HazardStatus.ACCEPTANCE_FAILED.value: (
            "验收不通过",
            "验收未通过",
            "验收不合格",
            "复查不合格",
            "复查未通过",
            "复验不合格",
            "复验不通过",
            "整改不合格",
            "acceptance failed",
            "failed",
        ),
    }
)
GRADE_ALIASES = _table(
    {
        "general": ("一般", "一般隐患", "一般事故隐患", "一般隐患(一般)"),
        "major": ("重大", "重大隐患", "重大事故隐患"),
    }
)
SOURCE_ALIASES = _table(
    {
        "self_inspection": ("企业自查", "自查", "自查自报", "self-inspection", "self"),
        "gov_inspection": (
            "执法检查",
            "政府检查",
            "监管检查",
            "督查检查",
            "检查",
            "inspection",
            "government inspection",
        ),
        "report": ("举报", "群众举报", "举报投诉", "tip-off"),
        "expert": ("专家", "专家检查", "专家会诊", "专家指导服务", "expert"),
    }
)
SUPERVISION_ALIASES = _table(
    {
        "none": ("无", "否", "未挂牌", "不挂牌", "-", "—", "no"),
        "county": ("县级", "县", "区县级", "县级挂牌督办", "county"),
        "city": ("市级", "市", "地市级", "市级挂牌督办", "city"),
        "province": ("省级", "省", "省级挂牌督办", "province", "provincial"),
    }
)
SUPERVISION_LEVELS = ("none", "county", "city", "province")
# The counts of a monthly hazard report (工矿企业隐患排查治理情况月报表), as stored in hazard_stats, in the form's order.
HAZARD_STAT_COUNTS = (
    "units",
    "general_found",
    "general_rectified",
    "major_found",
    "major_rectified",
    "major_closed",
    "major_in_plan",
    "major_five_in_place",
    "major_supervised",
    "major_supervised_province",
)
TRUE_WORDS = frozenset(_k(w) for w in ("是", "已到位", "到位", "有", "√", "✓", "y", "yes", "true", "1", "1.0"))
FALSE_WORDS = frozenset(_k(w) for w in ("否", "未到位", "不到位", "无", "×", "✗", "n", "no", "false", "0", "0.0"))


def lookup(value: object, table: dict[str, str], what: str, expected: str) -> str:
    """Map ``value`` through an alias table, or raise ValueError saying what was expected."""
    key = _k(value)
    if key in table:
        return table[key]
    raise ValueError(f"'{value}' is not a {what} (expected {expected})")


def derive_status(deadline: pd.Series, rectified: pd.Series, accepted: pd.Series) -> pd.Series:
    """Status from the dates, for ledgers without a status column.

    Accepted → closed; rectified → rectified (awaiting acceptance); a deadline set → rectifying
    (ordered to rectify); nothing → found.
    """
    s = HazardStatus
    out = np.where(
        accepted.notna(),
        s.CLOSED.value,
        np.where(rectified.notna(), s.RECTIFIED.value, np.where(deadline.notna(), s.RECTIFYING.value, s.FOUND.value)),
    )
    return pd.Series(out, index=deadline.index, dtype="string")
