"""Table definitions of the store (DuckDB dialect, kept ANSI-ish so a server database can follow).

The fact tables are made from the columns declared in :mod:`domain.columns`: every fact row carries its
region's province and city codes, so that any level of the hierarchy is one GROUP BY away, and the
import and source row it came from, so that a number can be traced.
"""

from __future__ import annotations

from domain.columns import KINDS, Kind
from domain.region_changes import VERSION as REGION_VERSION


def create_table(kind: Kind) -> str:
    """A fact table's ``CREATE TABLE``, from the columns declared in :mod:`domain.columns`."""
    lines = [
        f"{c.name} {c.sql_type}" + (" PRIMARY KEY" if c.name == kind.id_column else " NOT NULL" if c.not_null else "")
        for c in kind.table_columns
    ]
    body = ",\n    ".join(lines)
    return f"\nCREATE TABLE IF NOT EXISTS {kind.table} (\n    {body}\n)"


DDL: dict[str, str] = {
    **{kind.table: create_table(kind) for kind in KINDS.values()},
    "imports": """
CREATE TABLE IF NOT EXISTS imports (
    import_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    sheet VARCHAR,
    imported_at TIMESTAMP NOT NULL,
    rows_read INTEGER NOT NULL,
    new_rows INTEGER NOT NULL,
    updated_rows INTEGER NOT NULL,
    unchanged_rows INTEGER NOT NULL,
    rejected_rows INTEGER NOT NULL,
    skipped_rows INTEGER NOT NULL,
    notes VARCHAR,
    undone_at TIMESTAMP
)""",
    "rejects": """
CREATE TABLE IF NOT EXISTS rejects (
    import_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,
    columns VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    original VARCHAR NOT NULL
)""",
    # The version of a row that an import replaced (updated), so that the import can be undone:
    # ``import_id`` is the import that replaced it; ``row_json`` the whole row as it was (its own
    # import_id, source_row, row_hash included), read back with the table's column types.
    "row_versions": """
CREATE TABLE IF NOT EXISTS row_versions (
    import_id VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    row_id VARCHAR NOT NULL,
    row_json VARCHAR NOT NULL
)""",
    # Column mappings saved on the upload page: file header text → canonical column (null: not imported).
    "mappings": """
CREATE TABLE IF NOT EXISTS mappings (
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    mapping VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    PRIMARY KEY (name, kind)
)""",
    "meta": """
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
)""",
    # ---- access (accounts/): who may log in, their sessions, failed logins, the audit trail, the wall
    # screens' link tokens. Secrets are never stored: a password as its argon2id hash, a session or a
    # screen token as the sha256 of the random token the browser holds.
    # A local account; ``password_hash`` NULL: it logs in through the identity provider only (OIDC).
    "accounts": """
CREATE TABLE IF NOT EXISTS accounts (
    username VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    display_name VARCHAR,
    password_hash VARCHAR,
    must_change BOOLEAN NOT NULL,
    disabled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
)""",
    # A login session: the cookie holds the token, the store its sha256. It ends at ``expires_at``,
    # after the inactivity timeout since ``last_seen_at``, or when revoked (logout, disable, reset).
    "auth_sessions": """
CREATE TABLE IF NOT EXISTS auth_sessions (
    token_hash VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    client VARCHAR
)""",
    # Consecutive failed logins per user ('user:NAME') and per client address ('client:ADDRESS').
    "login_failures": """
CREATE TABLE IF NOT EXISTS login_failures (
    key VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL
)""",
    # The audit trail: who (an account, 'cli:<os user>', 'system' or '-'), when, what, on what, from where.
    "audit_log": """
CREATE TABLE IF NOT EXISTS audit_log (
    happened_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    target VARCHAR,
    detail VARCHAR,
    client VARCHAR,
    outcome VARCHAR NOT NULL
)""",
    # A read-only link for a wall screen (/screen?token=…) of one region; revocable.
    "screen_tokens": """
CREATE TABLE IF NOT EXISTS screen_tokens (
    token_id VARCHAR PRIMARY KEY,
    token_hash VARCHAR NOT NULL UNIQUE,
    region_code VARCHAR NOT NULL,
    label VARCHAR,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by VARCHAR,
    last_used_at TIMESTAMP
)""",
}

# The tables of access control and the audit trail (not data: a login or an audit entry changes them).
ACCESS_TABLES: tuple[str, ...] = ("accounts", "auth_sessions", "login_failures", "audit_log", "screen_tokens")

# Changes after a table was first released (columns added, NOT NULL dropped): ensure_schema applies
# them to an existing store; each can run again harmlessly.
MIGRATIONS: tuple[str, ...] = (
    "ALTER TABLE imports ADD COLUMN IF NOT EXISTS undone_at TIMESTAMP",
    # Accident statistics keep a figure that was not released as NULL (unknown), not 0.
    *(
        f"ALTER TABLE accident_stats ALTER COLUMN {c} DROP NOT NULL"
        for c in ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_accidents", "major_deaths")
    ),
    # Columns declared ``added`` (domain.columns): the national forms' columns, and figures cumulative since
    # January (loaders.forms).
    *(
        f"ALTER TABLE {kind.table} ADD COLUMN IF NOT EXISTS {c.name} {c.sql_type}"
        for kind in KINDS.values()
        for c in kind.table_columns
        if c.added
    ),
)


# Region codes that changed since a store was written (domain.region_changes): rows move to today's code once,
# when a store of an older REGION_CODES version is opened. Stats and target ids carry the code and follow it;
# a record's id is made from its unit's old code (domain.region_changes.id_code) and does not change. A
# statistics row whose new id is already taken stays where it was (its unit then reads as unknown).
def _region_code_migrations() -> tuple[str, ...]:
    from domain.region_changes import GROUPINGS, RENAMED

    ids = {
        "accidents": None,
        "hazards": None,
        "accident_stats": ("stat_id", "AS-"),
        "hazard_stats": ("stat_id", "HS-"),
        "targets": ("target_id", "T-"),
    }
    groupings = ", ".join(f"'{c}'" for c in GROUPINGS)
    out: list[str] = []
    for table, key in ids.items():
        out.append(f"UPDATE {table} SET city_code = NULL WHERE city_code IN ({groupings})")
        for old, new in [*((c.old, c.new) for c in RENAMED), *GROUPINGS.items()]:
            sets = f"region_code = '{new}'" + (
                ", region_level = 'province', city_code = NULL" if old in GROUPINGS else ""
            )
            where = f"region_code = '{old}'"
            if key is not None:
                col, prefix = key
                moved = f"replace({table}.{col}, '{prefix}{old}-', '{prefix}{new}-')"
                sets += f", {col} = {moved}"
                where += f" AND NOT EXISTS (SELECT 1 FROM {table} AS x WHERE x.{col} = {moved})"
            out.append(f"UPDATE {table} SET {sets} WHERE {where}")
    return tuple(out)


REGION_MIGRATIONS: tuple[str, ...] = _region_code_migrations()
REGION_CODES_VERSION = REGION_VERSION

# Fact tables by input kind, with their id column.
FACT_TABLES: dict[str, tuple[str, str]] = {
    "accidents": ("accidents", "accident_id"),
    "hazards": ("hazards", "hazard_id"),
    "accident-stats": ("accident_stats", "stat_id"),
    "hazard-stats": ("hazard_stats", "stat_id"),
    "targets": ("targets", "target_id"),  # control targets (控制指标): id T-<region>-<year>
}
