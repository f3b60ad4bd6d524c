"""Read queries behind the Explorer page (分析查询): the pivot's cells and totals, one page of the
records behind a cell, every record behind it (for a download), and one record in full.

SQL only. Every user value travels as a parameter; the names of dimensions, measures and sort
columns are looked up in the whitelists below (an unknown name raises ValueError), never pasted in.

- A **dimension** is a stored column or an expression of one: ``region`` is the child region of the
  selected region (``store.queries._CHILD_KEY``: province → city → county; a county is itself),
  ``month`` and ``year`` come from the record's date (accidents: ``occurred_at``; hazards: ``found_date``).
  A missing value (no accident type, no category) is the empty string ``''``, so that a cell of
  "blank" can be asked for like any other.
- The **measures** are additive components (counts and sums); the rates are their ratios, computed
  in ``analytics.pivot`` from the components of the same cell (a total's rate is a ratio of totals,
  never an average of rates).
- Accidents: deaths include the missing (死亡失踪), as everywhere in the project. Hazards: the hazards
  found in the period as they stand at its end (``as_of``), with ``analytics.hazards.rectified_by``'s
  rule: rectified by ``as_of`` and not failed at acceptance, or marked rectified/closed with no date.
- Records only: submitted statistics (``accident_stats``, ``hazard_stats``) are not rows to list;
  :func:`statistics_only_regions` names the regions that send nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from domain.grading import GRADE_GROUPS
from domain.regions import load_regions
from store.duckdb_store import Store
from store.hazard_measures import closed_by, day, rectified_by
from store.queries import _CHILD_KEY, _industry_filter, _subtree

KINDS = ("accidents", "hazards")
TABLE = {"accidents": "accidents", "hazards": "hazards"}
ID_COLUMN = {"accidents": "accident_id", "hazards": "hazard_id"}
DATE_COLUMN = {"accidents": "occurred_at", "hazards": "found_date"}
TEXT_SEARCH = {"accidents": ("enterprise", "summary"), "hazards": ("enterprise", "description")}

# Dimensions by kind → SQL expression ('{date}' and '{child}' are filled from the whitelist above).
DIMENSION_SQL: dict[str, dict[str, str]] = {
    "accidents": {
        "region": "{child}",
        "industry": "industry",
        "grade": "grade",
        "accident_type": "accident_type",
        "month": "strftime({date}, '%Y-%m')",
        "year": "strftime({date}, '%Y')",
    },
    "hazards": {
        "region": "{child}",
        "industry": "industry",
        "grade": "grade",
        "category": "category",
        "source": "source",
        "month": "strftime({date}, '%Y-%m')",
        "year": "strftime({date}, '%Y')",
    },
}

# Additive components by kind. Hazards use the flags of the CTE in :func:`_hazard_base`.
COMPONENT_SQL: dict[str, dict[str, str]] = {
    "accidents": {
        "count": "count(*)",
        "deaths": "sum(deaths + missing)",
        "serious_injuries": "sum(serious_injuries)",
        "injuries": "sum(injuries)",
        "loss": "sum(direct_loss_wan)",
        "loss_known": "count(direct_loss_wan)",
    },
    "hazards": {
        "count": "count(*)",
        "major": "count(*) FILTER (WHERE grade = 'major')",
        "rectified": "count(*) FILTER (WHERE done)",
        "major_rectified": "count(*) FILTER (WHERE grade = 'major' AND done)",
        "open": "count(*) FILTER (WHERE NOT done)",
        "overdue": "count(*) FILTER (WHERE NOT done AND past_deadline)",
        "closed": "count(*) FILTER (WHERE closed)",
        "funds": "sum(funds_wan)",
        "funds_known": "count(funds_wan)",
    },
}

# The records behind a cell of a count measure are that measure's rows (a click on "overdue" lists the
# overdue hazards); for a sum or a rate they are all the rows of the cell (a rate: its denominator's).
SUBSET_SQL: dict[str, dict[str, str]] = {
    "accidents": {},
    "hazards": {
        "major": "grade = 'major'",
        "rectified": "done",
        "open": "NOT done",
        "overdue": "NOT done AND past_deadline",
        "closed": "closed",
        "major_rectification_rate": "grade = 'major'",
    },
}

RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "accidents": (
        "accident_id",
        "occurred_at",
        "region_code",
        "industry",
        "enterprise",
        "accident_type",
        "grade",
        "deaths",
        "missing",
        "serious_injuries",
        "injuries",
        "direct_loss_wan",
        "summary",
    ),
    "hazards": (
        "hazard_id",
        "found_date",
        "region_code",
        "industry",
        "enterprise",
        "category",
        "grade",
        "source",
        "deadline",
        "rectified_date",
        "status",
        "funds_wan",
        "supervision_level",
        "description",
    ),
}
# Sortable record columns → SQL (the second key breaks ties so that paging is stable); the names are
# analytics.pivot.RECORD_SORTS (the links' ex_rsort), a test holds them equal.
SORT_SQL: dict[str, dict[str, str]] = {
    "accidents": {
        "occurred_at": "occurred_at",
        "deaths": "deaths + missing",
        "direct_loss_wan": "direct_loss_wan",
        "injuries": "serious_injuries + injuries",
        "region_code": "region_code",
        "industry": "industry",
        "enterprise": "enterprise",
        "grade": "CASE grade WHEN 'extraordinary' THEN 3 WHEN 'major' THEN 2 WHEN 'larger' THEN 1 ELSE 0 END",
    },
    "hazards": {
        "found_date": "found_date",
        "deadline": "deadline",
        "rectified_date": "rectified_date",
        "funds_wan": "funds_wan",
        "region_code": "region_code",
        "industry": "industry",
        "enterprise": "enterprise",
        "grade": "CASE grade WHEN 'major' THEN 1 ELSE 0 END",
    },
}
NONE_VALUE = ""  # a dimension's missing value


@dataclass(frozen=True)
class Scope:
    """What the sidebar selected, as the queries need it (hashable, for st.cache_data)."""

    region: str
    first_day: dt.date
    last_day: dt.date
    industries: tuple[str, ...] | None = None
    grade_group: str = "all"  # accidents only: a filter of domain.grading.GRADE_GROUPS


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")


def dimension_sql(kind: str, dim: str, region: str) -> str:
    """The SQL expression of dimension ``dim`` (whitelisted) under ``region``; never NULL."""
    _check_kind(kind)
    if dim not in DIMENSION_SQL[kind]:
        raise ValueError(f"{kind} have no dimension {dim!r} (expected one of {', '.join(DIMENSION_SQL[kind])})")
    regions = load_regions()
    if region not in regions:
        raise ValueError(f"region must be a GB/T 2260 code such as 430000 or 100000, got {region!r}")
    child = f"coalesce({_CHILD_KEY.get(regions[region].level, 'region_code')}, region_code)"
    expr = DIMENSION_SQL[kind][dim].format(date=DATE_COLUMN[kind], child=child)
    return f"coalesce(CAST({expr} AS VARCHAR), '{NONE_VALUE}')"


def _where(kind: str, scope: Scope) -> tuple[str, list[Any]]:
    """The sidebar's filters as a WHERE clause and its parameters."""
    date = DATE_COLUMN[kind]
    params: list[Any] = [scope.region] * 4 + [scope.first_day, scope.last_day]
    sql = f"{_subtree()} AND {date} >= CAST(? AS DATE) AND {date} < CAST(? AS DATE) + 1"
    sql += _industry_filter(scope.industries, params)
    if kind == "accidents" and scope.grade_group != "all":
        if scope.grade_group not in GRADE_GROUPS:
            raise ValueError(f"grade group must be one of {', '.join(GRADE_GROUPS)}, got {scope.grade_group!r}")
        sql += " AND list_contains(?::VARCHAR[], grade)"
        params.append(list(GRADE_GROUPS[scope.grade_group]))
    return sql, params


def _base(kind: str, scope: Scope, dims: dict[str, str]) -> tuple[str, list[Any]]:
    """A CTE ``base`` of the filtered rows with the dimension columns ``dims`` (alias → name) and, for
    hazards, the flags ``done``, ``closed`` and ``past_deadline`` as of the period's end."""
    where, params = _where(kind, scope)
    cols = ", ".join(f"{dimension_sql(kind, d, scope.region)} AS {alias}" for alias, d in dims.items())
    cols = cols + ", " if cols else ""
    if kind == "accidents":
        return f"base AS (SELECT {cols}* FROM accidents WHERE {where})", params
    d = day(scope.last_day)  # the state rules of store.hazard_measures, as of the period's end
    flags = f"{rectified_by(d)} AS done, coalesce(deadline < {d}, false) AS past_deadline, {closed_by(d)} AS closed"
    return f"base AS (SELECT {cols}*, {flags} FROM hazards WHERE {where})", params


def pivot_cells(store: Store, kind: str, scope: Scope, rows: str, cols: str | None = None) -> pd.DataFrame:
    """The pivot's cells and totals in one query (GROUPING SETS): columns ``row``, ``col`` (None when
    ``cols`` is None), ``row_total`` / ``col_total`` (True on a total: the value is then None), and every
    component of ``COMPONENT_SQL[kind]``. Totals come from the store, not from adding the cells up."""
    dims = {"r": rows} if cols is None else {"r": rows, "c": cols}
    if cols is not None and cols == rows:
        raise ValueError("rows and columns must be different dimensions")
    cte, params = _base(kind, scope, dims)
    comps = ", ".join(f"{sql} AS {name}" for name, sql in COMPONENT_SQL[kind].items())
    if cols is None:
        sets, col_sel = "GROUPING SETS ((r), ())", "NULL::VARCHAR AS col, true AS col_total"
    else:
        sets, col_sel = "GROUPING SETS ((r, c), (r), (c), ())", "c AS col, grouping(c) = 1 AS col_total"
    frame = store.query(
        f"""WITH {cte}
            SELECT r AS row, grouping(r) = 1 AS row_total, {col_sel}, {comps}
            FROM base GROUP BY {sets}""",
        params,
    )
    for name in COMPONENT_SQL[kind]:
        if name.startswith(("loss", "funds")) and not name.endswith("_known"):
            frame[name] = frame[name].astype("float64")
        else:
            frame[name] = frame[name].fillna(0).astype("int64")
    frame["row_total"] = frame["row_total"].astype(bool)
    frame["col_total"] = frame["col_total"].astype(bool)
    return frame


def _record_where(
    kind: str, scope: Scope, cell: dict[str, str] | None, subset: str | None, search: str | None
) -> tuple[str, str, list[Any]]:
    """(CTE, WHERE over it, parameters) for the records of a cell, a measure's subset and a search."""
    cell = dict(cell or {})
    dims = {f"d{i}": d for i, d in enumerate(cell)}
    cte, params = _base(kind, scope, dims)
    conds = ["true"]
    for alias, d in dims.items():
        conds.append(f"{alias} = ?")
        params.append(str(cell[d]))
    if subset:
        if subset not in SUBSET_SQL[kind]:
            raise ValueError(f"{kind} have no subset {subset!r}")
        conds.append(f"({SUBSET_SQL[kind][subset]})")
    text = (search or "").strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        a, b = TEXT_SEARCH[kind]
        conds.append(f"({a} ILIKE ? ESCAPE '\\' OR {b} ILIKE ? ESCAPE '\\')")
        params += [like, like]
    return cte, " AND ".join(conds), params


def _columns(kind: str) -> str:
    return ", ".join(RECORD_COLUMNS[kind])


def _order(kind: str, sort: str, descending: bool) -> str:
    if sort not in SORT_SQL[kind]:
        raise ValueError(f"{kind} cannot be sorted by {sort!r} (expected one of {', '.join(SORT_SQL[kind])})")
    direction = "DESC" if descending else "ASC"
    return f"{SORT_SQL[kind][sort]} {direction} NULLS LAST, {ID_COLUMN[kind]} {direction}"


def _dates(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    for c in ("occurred_at",) if kind == "accidents" else ("found_date", "deadline", "rectified_date"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def records_page(
    store: Store,
    kind: str,
    scope: Scope,
    cell: dict[str, str] | None = None,
    subset: str | None = None,
    search: str | None = None,
    sort: str | None = None,
    descending: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[pd.DataFrame, int]:
    """One page of the records behind a cell (``cell``: dimension → value; empty: the whole pivot),
    narrowed to a measure's ``subset`` and a ``search`` over enterprise and description (ILIKE), ordered
    by a whitelisted column; and how many records match in all. Never more than ``limit`` rows."""
    _check_kind(kind)
    cte, where, params = _record_where(kind, scope, cell, subset, search)
    order = _order(kind, sort or DATE_COLUMN[kind], descending)
    total = int(store.scalar(f"WITH {cte} SELECT count(*) FROM base WHERE {where}", params) or 0)
    frame = store.query(
        f"WITH {cte} SELECT {_columns(kind)} FROM base WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, max(0, int(limit)), max(0, int(offset))],
    )
    return _dates(kind, frame), total


def all_records(
    store: Store,
    kind: str,
    scope: Scope,
    cell: dict[str, str] | None = None,
    subset: str | None = None,
    search: str | None = None,
    sort: str | None = None,
    descending: bool = True,
    limit: int | None = None,
) -> pd.DataFrame:
    """Every record of :func:`records_page`'s question, in the same order (for a download); at most
    ``limit`` when given."""
    _check_kind(kind)
    cte, where, params = _record_where(kind, scope, cell, subset, search)
    order = _order(kind, sort or DATE_COLUMN[kind], descending)
    sql = f"WITH {cte} SELECT {_columns(kind)} FROM base WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, int(limit)]
    return _dates(kind, store.query(sql, params))


def record(store: Store, kind: str, record_id: str) -> dict[str, Any] | None:
    """One record in full (every stored column), or None."""
    _check_kind(kind)
    frame = store.query(f"SELECT * FROM {TABLE[kind]} WHERE {ID_COLUMN[kind]} = ?", [str(record_id)])
    return None if frame.empty else frame.iloc[0].to_dict()


def statistics_only_regions(store: Store, kind: str, region: str) -> list[str]:
    """Regions inside ``region`` that submit statistics of ``kind`` but no records: their numbers are
    not in the pivot (it lists records)."""
    _check_kind(kind)
    stats = "accident_stats" if kind == "accidents" else "hazard_stats"
    frame = store.query(
        f"""SELECT DISTINCT s.region_code FROM {stats} s
            WHERE {_subtree("s")} AND NOT EXISTS (
                SELECT 1 FROM {TABLE[kind]} x WHERE x.region_code = s.region_code
                    OR x.city_code = s.region_code OR x.province_code = s.region_code)
            ORDER BY 1""",
        [region] * 4,
    )
    return [str(c) for c in frame["region_code"]]


def last_import(store: Store, kind: str) -> dict[str, Any] | None:
    """The latest import of records of ``kind``: file name and time, or None (a demo store has none)."""
    _check_kind(kind)
    frame = store.query(
        "SELECT file_name, imported_at FROM imports WHERE kind = ? ORDER BY imported_at DESC LIMIT 1", [kind]
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def records_span(store: Store, kind: str, region: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the records of ``kind`` inside ``region`` (any industry), or None: a
    period outside it has no data, which is not the same as zero."""
    _check_kind(kind)
    date = DATE_COLUMN[kind]
    frame = store.query(
        f"SELECT min({date})::DATE AS first, max({date})::DATE AS last FROM {TABLE[kind]} WHERE {_subtree()}",
        [region] * 4,
    )
    first, last = frame.iloc[0]["first"], frame.iloc[0]["last"]
    if first is None or pd.isna(first):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()
