"""Table definitions of the store (DuckDB dialect, kept ANSI-ish so a server database can follow).

Every fact row carries its region's province and city codes, so that any level of the hierarchy is
one GROUP BY away, and the import and source row it came from, so that a number can be traced.
"""

from __future__ import annotations

from domain.region_changes import VERSION as REGION_VERSION

REGION_COLUMNS = """
    region_code VARCHAR NOT NULL,
    region_level VARCHAR NOT NULL,
    province_code VARCHAR,
    city_code VARCHAR,"""

PROVENANCE = """
    import_id VARCHAR NOT NULL,
    source_row INTEGER,
    row_hash VARCHAR NOT NULL"""

DDL: dict[str, str] = {
    "accidents": f"""
CREATE TABLE IF NOT EXISTS accidents (
    accident_id VARCHAR PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    {REGION_COLUMNS}
    industry VARCHAR NOT NULL,
    enterprise VARCHAR,
    deaths INTEGER NOT NULL,
    missing INTEGER NOT NULL,
    serious_injuries INTEGER NOT NULL,
    injuries INTEGER NOT NULL,
    direct_loss_wan DOUBLE,
    accident_type VARCHAR,
    grade VARCHAR NOT NULL,
    grade_reported VARCHAR,
    grade_conflict BOOLEAN NOT NULL,
    summary VARCHAR,
    longitude DOUBLE,
    latitude DOUBLE,
    {PROVENANCE}
)""",
    "hazards": f"""
CREATE TABLE IF NOT EXISTS hazards (
    hazard_id VARCHAR PRIMARY KEY,
    enterprise VARCHAR NOT NULL,
    credit_code VARCHAR,
    {REGION_COLUMNS}
    industry VARCHAR NOT NULL,
    address VARCHAR,
    description VARCHAR,
    category VARCHAR,
    grade VARCHAR NOT NULL,
    source VARCHAR,
    found_date DATE NOT NULL,
    deadline DATE,
    rectified_date DATE,
    accepted_date DATE,
    status VARCHAR NOT NULL,
    status_derived BOOLEAN NOT NULL,
    funds_wan DOUBLE,
    responsible_person VARCHAR,
    supervision_level VARCHAR NOT NULL,
    measures_in_place BOOLEAN,
    funds_in_place BOOLEAN,
    deadline_in_place BOOLEAN,
    person_in_place BOOLEAN,
    plan_in_place BOOLEAN,
    {PROVENANCE}
)""",
    "accident_stats": f"""
CREATE TABLE IF NOT EXISTS accident_stats (
    stat_id VARCHAR PRIMARY KEY,
    period VARCHAR NOT NULL,
    period_kind VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER,
    {REGION_COLUMNS}
    industry VARCHAR,
    accidents INTEGER,
    deaths INTEGER,
    larger_accidents INTEGER,
    larger_deaths INTEGER,
    major_accidents INTEGER,
    major_deaths INTEGER,
    injuries INTEGER,
    direct_loss_wan DOUBLE,
    {PROVENANCE}
)""",
    "hazard_stats": f"""
CREATE TABLE IF NOT EXISTS hazard_stats (
    stat_id VARCHAR PRIMARY KEY,
    period VARCHAR NOT NULL,
    period_kind VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER,
    {REGION_COLUMNS}
    industry VARCHAR NOT NULL,
    units INTEGER,
    general_found INTEGER NOT NULL,
    general_rectified INTEGER NOT NULL,
    major_found INTEGER NOT NULL,
    major_rectified INTEGER NOT NULL,
    major_closed INTEGER,
    major_in_plan INTEGER,
    major_five_in_place INTEGER,
    major_supervised INTEGER,
    major_supervised_province INTEGER,
    funds_wan DOUBLE,
    units_due INTEGER,
    major_supervised_city INTEGER,
    cumulative BOOLEAN,
    {PROVENANCE}
)""",
    "targets": f"""
CREATE TABLE IF NOT EXISTS targets (
    target_id VARCHAR PRIMARY KEY,
    year INTEGER NOT NULL,
    {REGION_COLUMNS}
    deaths_target INTEGER NOT NULL,
    accidents_target INTEGER,
    {PROVENANCE}
)""",
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
    *(f"ALTER TABLE accident_stats ALTER COLUMN {c} DROP NOT NULL"
      for c in ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_accidents", "major_deaths")),
    # The national forms' columns, and figures cumulative since January (loaders.forms).
    "ALTER TABLE hazard_stats ADD COLUMN IF NOT EXISTS units_due INTEGER",
    "ALTER TABLE hazard_stats ADD COLUMN IF NOT EXISTS major_supervised_city INTEGER",
    "ALTER TABLE hazard_stats ADD COLUMN IF NOT EXISTS cumulative BOOLEAN",
)

# Region codes that changed since a store was written (domain.region_changes): rows move to today's code once,
# when a store of an older REGION_CODES version is opened. Stats and target ids carry the code and follow it;
# a record's id is made from its unit's old code (domain.region_changes.id_code) and does not change. A
# statistics row whose new id is already taken stays where it was (its unit then reads as unknown).
def _region_code_migrations() -> tuple[str, ...]:
    from domain.region_changes import GROUPINGS, RENAMED

    ids = {"accidents": None, "hazards": None, "accident_stats": ("stat_id", "AS-"),
           "hazard_stats": ("stat_id", "HS-"), "targets": ("target_id", "T-")}
    groupings = ", ".join(f"'{c}'" for c in GROUPINGS)
    out: list[str] = []
    for table, key in ids.items():
        out.append(f"UPDATE {table} SET city_code = NULL WHERE city_code IN ({groupings})")
        for old, new in [*((c.old, c.new) for c in RENAMED), *GROUPINGS.items()]:
            sets = f"region_code = '{new}'" + (", region_level = 'province', city_code = NULL" if old in GROUPINGS else "")
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
