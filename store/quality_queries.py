"""Read queries behind the data-quality panel (数据质量): each finding is a count and the records behind
it. Only SQL here; which findings there are and what they mean is in ``answers.quality``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from store.duckdb_store import Store
from store.queries import _subtree

# finding → (table, WHERE clause with ? for today where needed, how many ? for today, ORDER BY)
FINDING_SQL: dict[str, tuple[str, str, int, str]] = {
    "grade_conflict": ("accidents", "grade_conflict", 0, "occurred_at DESC"),
    "no_deadline": ("hazards", "deadline IS NULL", 0, "found_date DESC"),
    "future_accident": ("accidents", "occurred_at::DATE > CAST(? AS DATE)", 1, "occurred_at DESC"),
    "future_hazard": (
        "hazards",
        "found_date > CAST(? AS DATE) OR rectified_date > CAST(? AS DATE) OR accepted_date > CAST(? AS DATE)",
        3,
        "found_date DESC",
    ),
}
RECORD_COLUMNS = {
    "accidents": (
        "accident_id",
        "occurred_at",
        "region_code",
        "industry",
        "enterprise",
        "accident_type",
        "deaths",
        "missing",
        "serious_injuries",
        "injuries",
        "direct_loss_wan",
        "grade",
        "grade_reported",
        "summary",
        "import_id",
        "source_row",
    ),
    "hazards": (
        "hazard_id",
        "found_date",
        "region_code",
        "industry",
        "enterprise",
        "category",
        "description",
        "grade",
        "source",
        "deadline",
        "rectified_date",
        "accepted_date",
        "status",
        "funds_wan",
        "supervision_level",
        "import_id",
        "source_row",
    ),
}


def _where(finding: str, region: str, today: dt.date, alias: str = "") -> tuple[str, str, list[Any]]:
    if finding not in FINDING_SQL:
        raise ValueError(f"finding must be one of {', '.join(FINDING_SQL)}, got {finding!r}")
    table, cond, n_today, _order = FINDING_SQL[finding]
    return table, f"({cond}) AND {_subtree(alias)}", [*([today] * n_today), region, region, region, region]


def finding_count(store: Store, finding: str, region: str, today: dt.date) -> int:
    table, where, params = _where(finding, region, today)
    return int(store.query(f"SELECT count(*) AS n FROM {table} WHERE {where}", params)["n"].iloc[0])


def finding_records(store: Store, finding: str, region: str, today: dt.date, limit: int = 500) -> pd.DataFrame:
    """The records behind a finding (at most ``limit``, newest first), with the import that brought them."""
    table, where, params = _where(finding, region, today, alias="t")
    order = FINDING_SQL[finding][3]
    cols = ", ".join(f"t.{c}" for c in RECORD_COLUMNS[table])
    return store.query(
        f"""SELECT {cols}, i.file_name
            FROM {table} t LEFT JOIN imports i ON i.import_id = t.import_id
            WHERE {where} ORDER BY t.{order} LIMIT ?""",
        [*params, limit],
    )


def region_codes_in_use(store: Store, region: str) -> pd.DataFrame:
    """Every region code that records or reports are filed under, inside ``region``, with how many
    rows: ``region_code``, ``table_name``, ``rows``."""
    parts = " UNION ALL ".join(
        f"SELECT region_code, '{t}' AS table_name, count(*) AS rows FROM {t} WHERE {_subtree()} GROUP BY 1"
        for t in ("accidents", "hazards", "accident_stats", "hazard_stats")
    )
    return store.query(parts, [region] * 16)


def records_in_regions(store: Store, table: str, codes: list[str], limit: int = 500) -> pd.DataFrame:
    """Rows of ``table`` (accidents or hazards) filed under any of ``codes``."""
    if table not in RECORD_COLUMNS:
        raise ValueError(f"table must be accidents or hazards, got {table!r}")
    cols = ", ".join(RECORD_COLUMNS[table])
    return store.query(
        f"SELECT {cols} FROM {table} WHERE list_contains(?::VARCHAR[], region_code) LIMIT ?", [codes, limit]
    )


def reporting_in_month(
    store: Store, region: str, first_day: dt.date, last_day: dt.date, child_key: str
) -> pd.DataFrame:
    """Who reported anything in a month: one row per (source, child region, industry) with rows:
    hazard records found, accident records, and monthly hazard-report rows."""
    sub = _subtree()
    month = f"{first_day:%Y-%m}"
    return store.query(
        f"""SELECT 'hazards' AS source, {child_key} AS child_code, industry, count(*) AS rows FROM hazards
              WHERE {sub} AND found_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) GROUP BY ALL
            UNION ALL
            SELECT 'accidents', {child_key}, industry, count(*) FROM accidents
              WHERE {sub} AND occurred_at >= CAST(? AS DATE) AND occurred_at < CAST(? AS DATE) + 1 GROUP BY ALL
            UNION ALL
            SELECT 'hazard_stats', {child_key}, industry, count(*) FROM hazard_stats
              WHERE {sub} AND period = ? GROUP BY ALL""",
        [
            region,
            region,
            region,
            region,
            first_day,
            last_day,
            region,
            region,
            region,
            region,
            first_day,
            last_day,
            region,
            region,
            region,
            region,
            month,
        ],
    )


def duplicate_ids_across_files(store: Store, region: str, limit: int = 500) -> pd.DataFrame:
    """Ids that a file supplied again with different content after another file had supplied them: the
    version replaced (kept in ``row_versions`` for undo) and the file it came from, and the file that
    replaced it. A file corrected and re-imported under its own name is not listed (that is an update,
    not a duplicate)."""
    return store.query(
        f"""WITH v AS (
              SELECT table_name, row_id, import_id AS replaced_by_import,
                     json_extract_string(row_json, '$.import_id') AS first_import,
                     json_extract_string(row_json, '$.region_code') AS region_code,
                     json_extract_string(row_json, '$.province_code') AS province_code,
                     json_extract_string(row_json, '$.city_code') AS city_code
              FROM row_versions)
            SELECT v.table_name, v.row_id, v.region_code, f.file_name AS first_file, v.first_import,
                   r.file_name AS replaced_by_file, v.replaced_by_import
            FROM v LEFT JOIN imports f ON f.import_id = v.first_import
                   LEFT JOIN imports r ON r.import_id = v.replaced_by_import
            WHERE {_subtree("v")} AND f.file_name IS DISTINCT FROM r.file_name
            ORDER BY v.table_name, v.row_id LIMIT ?""",
        [region, region, region, region, limit],
    )
