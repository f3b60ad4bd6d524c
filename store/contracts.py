"""pandera contracts of the frames that enter the store: a bad frame fails at the boundary,
naming the column, the value and the rule, before anything is written.

Normalisation already rejects bad rows with messages for people; these contracts are the store's
own guard against a bug upstream (a loader or the demo generator writing a code the pages would not
understand).
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa

from domain.accident_types import GB6441_TYPES
from domain.grading import GRADE_ORDER
from domain.hazards import SOURCE_ALIASES, STATUS_LABELS, SUPERVISION_LEVELS
from domain.industries import INDUSTRIES
from domain.regions import LEVELS, load_regions

INDUSTRY_CODES = [i.code for i in INDUSTRIES]
GRADES = [g.value for g in GRADE_ORDER]


def _col(dtype: object = None, *checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(dtype, list(checks), nullable=nullable, coerce=False)


def _count(nullable: bool = False) -> pa.Column:
    return pa.Column(None, pa.Check.ge(0), nullable=nullable)


@cache
def _region_columns() -> dict[str, pa.Column]:
    codes = list(load_regions())
    return {
        "region_code": _col(None, pa.Check.isin(codes)),
        "region_level": _col(None, pa.Check.isin(list(LEVELS))),
        "province_code": _col(None, pa.Check.isin(codes), nullable=True),
        "city_code": _col(None, pa.Check.isin(codes), nullable=True),
        "import_id": _col(None),
        "row_hash": _col(None, pa.Check.str_length(16, 16)),
    }


@cache
def contract(kind: str) -> pa.DataFrameSchema:
    """The contract of the frame for one input kind's table."""
    common = _region_columns()
    if kind == "accidents":
        cols = {
            "accident_id": _col(None), "occurred_at": _col(None),
            "industry": _col(None, pa.Check.isin(INDUSTRY_CODES)),
            "deaths": _count(), "missing": _count(), "serious_injuries": _count(), "injuries": _count(),
            "direct_loss_wan": _col(None, pa.Check.ge(0), nullable=True),
            "accident_type": _col(None, pa.Check.isin(list(GB6441_TYPES)), nullable=True),
            "grade": _col(None, pa.Check.isin(GRADES)),
            "grade_reported": _col(None, pa.Check.isin(GRADES), nullable=True),
            "longitude": _col(None, pa.Check.in_range(73, 136), nullable=True),
            "latitude": _col(None, pa.Check.in_range(3, 54), nullable=True),
        }
        unique = ["accident_id"]
    elif kind == "hazards":
        cols = {
            "hazard_id": _col(None), "enterprise": _col(None), "found_date": _col(None),
            "industry": _col(None, pa.Check.isin(INDUSTRY_CODES)),
            "grade": _col(None, pa.Check.isin(["general", "major"])),
            "source": _col(None, pa.Check.isin(sorted(set(SOURCE_ALIASES.values()))), nullable=True),
            "status": _col(None, pa.Check.isin(list(STATUS_LABELS))),
            "supervision_level": _col(None, pa.Check.isin(list(SUPERVISION_LEVELS))),
            "funds_wan": _col(None, pa.Check.ge(0), nullable=True),
        }
        unique = ["hazard_id"]
    elif kind == "accident-stats":
        cols = {
            "stat_id": _col(None), "period": _col(None, pa.Check.str_matches(r"^\d{4}(-\d{2})?$")),
            "period_kind": _col(None, pa.Check.isin(["year", "month"])),
            "industry": _col(None, pa.Check.isin(INDUSTRY_CODES), nullable=True),
            # A figure not released is NULL (unknown), never 0.
            **{c: _count(nullable=True) for c in ("accidents", "deaths", "larger_accidents", "larger_deaths",
                                                   "major_accidents", "major_deaths")},
        }
        unique = ["stat_id"]
    elif kind == "hazard-stats":
        cols = {
            "stat_id": _col(None), "period": _col(None, pa.Check.str_matches(r"^\d{4}(-\d{2})?$")),
            "industry": _col(None, pa.Check.isin(INDUSTRY_CODES)),
            **{c: _count() for c in ("general_found", "general_rectified", "major_found", "major_rectified")},
        }
        unique = ["stat_id"]
    elif kind == "targets":
        cols = {
            "target_id": _col(None, pa.Check.str_matches(r"^T-\d{6}-\d{4}$")),
            "year": _col(None, pa.Check.in_range(1949, 2100)),
            "deaths_target": _count(), "accidents_target": _count(nullable=True),
        }
        unique = ["target_id"]
    else:
        raise ValueError(f"unknown kind '{kind}' (expected accidents, hazards, accident-stats, hazard-stats "
                         "or targets)")
    return pa.DataFrameSchema({**cols, **common}, unique=unique, strict=False, name=kind)


def check_frame(kind: str, frame: pd.DataFrame) -> None:
    """Raise ValueError naming each failing column, rule and value (first few) if ``frame`` breaks
    the contract of ``kind``."""
    try:
        contract(kind).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(10)
        lines = [f"{r['column']}: {r['check']} failed for {r['failure_case']!r}" for _, r in cases.iterrows()]
        raise ValueError(f"{kind} frame breaks the store contract: " + "; ".join(lines)) from None
