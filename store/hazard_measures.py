"""The rectification measures (隐患整改) computed by DuckDB: every count is aggregated in the engine and
only the answer (a few rows) comes back. The rules are those of ``analytics.hazards`` (its module text
says them in words, and its pandas functions are the reference the tests hold these queries to); here
they are written once as SQL fragments:

- :func:`rectified_by` — a rectification date on or before D, unless the acceptance failed; or marked
  rectified/closed without a date;
- :func:`closed_by` — status closed, accepted on or before D (or no date), and rectified by D;
- :func:`open_on` — found on or before D and not rectified by D; :func:`overdue_on` — open and past a
  deadline on D.

Days are inlined as ``DATE 'YYYY-MM-DD'`` literals made from ``datetime.date`` values (never from text);
region codes as literals after checking they are six digits; industries and the region go as parameters.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from domain.hazards import DONE_STATUSES
from domain.hazards import HazardStatus as S
from domain.regions import load_regions
from store.duckdb_store import Store
from store.queries import _CHILD_KEY, _industry_filter, _subtree

# ---------------------------------------------------------------------------------- the rules, in SQL


# The statuses a file marks as done, as an SQL list: ('rectified', 'closed').
DONE_SQL = "(" + ", ".join(f"'{s}'" for s in DONE_STATUSES) + ")"


def day(d: dt.date | pd.Timestamp) -> str:
    """A day as an SQL literal (from a date value only)."""
    if isinstance(d, pd.Timestamp):
        d = d.date()
    if not isinstance(d, dt.date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return f"DATE '{d:%Y-%m-%d}'"


def rectified_by(d: str) -> str:
    """Rectified by day ``d``: on its rectified date (undated: if marked rectified or closed); a failed
    acceptance undoes it from the day of that acceptance check (``accepted_date``; undated: always), so
    a later 验收不通过 does not rewrite the months before it."""
    return (
        f"((status <> '{S.ACCEPTANCE_FAILED}' OR coalesce(accepted_date > {d}, false)) "
        f"AND coalesce(rectified_date <= {d}, status IN {DONE_SQL}))"
    )


def closed_by(d: str) -> str:
    return f"(status = '{S.CLOSED}' AND coalesce(accepted_date <= {d}, true) AND {rectified_by(d)})"


def open_on(d: str) -> str:
    return f"(found_date <= {d} AND NOT {rectified_by(d)})"


def overdue_on(d: str) -> str:
    return f"({open_on(d)} AND coalesce(deadline < {d}, false))"


def found_in(first: str, last: str) -> str:
    return f"(found_date BETWEEN {first} AND {last})"


def in_base(first_day: dt.date, last_day: dt.date, base: str) -> str:
    """The hazards in ``base`` ('cohort' or 'cumulative') for the period."""
    cohort = found_in(day(first_day), day(last_day))
    if base == "cohort":
        return cohort
    if base == "cumulative":
        return f"({cohort} OR {open_on(day(first_day - dt.timedelta(days=1)))})"
    raise ValueError(f"base must be one of cohort, cumulative, got {base!r}")


ENTERPRISE_KEY = "coalesce(nullif(trim(credit_code), ''), trim(enterprise))"
MAJOR = "(grade = 'major')"
SUPERVISED = "(coalesce(supervision_level, '') <> 'none')"
FIVE_FLAGS = ("measures_in_place", "funds_in_place", "deadline_in_place", "person_in_place", "plan_in_place")
OVERDUE_BUCKETS = (("1-30", 0, 30), ("31-90", 30, 90), ("91-180", 90, 180), ("180+", 180, None))
RATE_FIELDS = (
    "found",
    "rectified",
    "major_found",
    "major_rectified",
    "closed",
    "on_time",
    "on_time_judged",
    "on_time_unknown",
)


def _codes(codes: list[str] | tuple[str, ...]) -> str:
    bad = [c for c in codes if not re.fullmatch(r"\d{6}", str(c))]
    if bad:
        raise ValueError(f"region codes must be six digits, got {bad[:3]}")
    return "[" + ", ".join(f"'{c}'" for c in codes) + "]"


def _not_in_regions(codes: list[str] | tuple[str, ...]) -> str:
    """Rows not filed in any of ``codes`` nor inside them (the regions answered by their reports)."""
    if not codes:
        return ""
    lst = _codes(codes)
    return (
        f" AND NOT coalesce(list_contains({lst}, region_code) OR list_contains({lst}, city_code) "
        f"OR list_contains({lst}, province_code), false)"
    )


class Scope:
    """Which hazard rows a question reads: inside ``region`` (and ``industries``), not in the regions
    answered by their monthly reports, found on or before ``last_day`` and either found on or after
    ``history_from`` or still open on that day — the rows of ``store.hazard_queries.hazard_frame``."""

    def __init__(
        self,
        region: str,
        last_day: dt.date,
        history_from: dt.date,
        industries: tuple[str, ...] | None = None,
        exclude: list[str] | tuple[str, ...] = (),
    ) -> None:
        regions = load_regions()
        if region not in regions:
            raise ValueError(f"region must be a GB/T 2260 code such as 430000 or 100000, got {region!r}")
        self.region = region
        self.level = regions[region].level
        child = _CHILD_KEY.get(self.level, "NULL")
        # a row filed at the region itself has no child (under the country, province_code is the child)
        self.child = child if self.level == "country" else f"nullif({child}, '{region}')"
        self.params: list[Any] = [region, region, region, region]
        h = day(history_from)
        self.where = (
            f"{_subtree()} AND found_date <= {day(last_day)} AND (found_date >= {h} "
            f"OR NOT {rectified_by(h)} OR rectified_date >= {h} OR accepted_date >= {h})"
            + _industry_filter(industries, self.params)
            + _not_in_regions(exclude)
        )


# ---------------------------------------------------------------------------------- the questions


class _Flags:
    """Each row's flags, computed once in an inner SELECT (a rule such as ``rectified_by`` compares the
    status text; written inside forty FILTERs it would be evaluated forty times a row)."""

    def __init__(self) -> None:
        self.exprs: dict[str, str] = {}

    def __call__(self, expr: str) -> str:
        if expr not in self.exprs:
            self.exprs[expr] = f"x{len(self.exprs)}"
        return self.exprs[expr]

    def select(self) -> str:
        return ", ".join(f"{e} AS {a}" for e, a in self.exprs.items())


def _rate_filters(x: _Flags, prefix: str, first_day: dt.date, last_day: dt.date, base: str) -> list[str]:
    b, done, maj = x(in_base(first_day, last_day, base)), x(rectified_by(day(last_day))), x(MAJOR)
    both = x("(deadline IS NOT NULL AND rectified_date IS NOT NULL)")
    judged = f"{b} AND {done} AND {both}"
    conds = {
        "found": b,
        "rectified": f"{b} AND {done}",
        "major_found": f"{b} AND {maj}",
        "major_rectified": f"{b} AND {done} AND {maj}",
        "closed": f"{b} AND {x(closed_by(day(last_day)))}",
        "on_time": f"{judged} AND {x('coalesce(rectified_date <= deadline, false)')}",
        "on_time_judged": judged,
        "on_time_unknown": f"{b} AND {done} AND NOT {both}",
    }
    return [f"count(*) FILTER (WHERE {c}) AS {prefix}{k}" for k, c in conds.items()]


def rate_counts(
    store: Store,
    scope: Scope,
    bases: dict[str, tuple[dt.date, dt.date, str]],
    as_of: dt.date | None = None,
    flow: tuple[dt.date, dt.date] | None = None,
) -> dict[str, Any]:
    """One scan: for each named base (``name: (first_day, last_day, 'cohort'|'cumulative')``) the
    counts of ``analytics.hazards.RateSet`` as ``{name}_{field}``; with ``as_of``, the open and overdue
    counts on that day (``open_total``, ``open_major``, ``open_overdue``, ``open_major_overdue``, the
    overdue age buckets ``overdue_{bucket}`` and ``overdue_major_{bucket}``); with ``flow`` (first, last),
    the cohort funnel and the days to rectify of the hazards rectified in that period."""
    x = _Flags()
    cols: list[str] = []
    for name, (first, last, base) in bases.items():
        cols += _rate_filters(x, f"{name}_", first, last, base)
    maj = x(MAJOR)
    if as_of is not None:
        d = day(as_of)
        is_open, late, age = x(open_on(d)), x(overdue_on(d)), x(f"date_diff('day', deadline, {d})")
        cols += [
            f"count(*) FILTER (WHERE {is_open}) AS open_total",
            f"count(*) FILTER (WHERE {is_open} AND {maj}) AS open_major",
            f"count(*) FILTER (WHERE {late}) AS open_overdue",
            f"count(*) FILTER (WHERE {late} AND {maj}) AS open_major_overdue",
        ]
        for bucket, lo, hi in OVERDUE_BUCKETS:
            cond = f"{late} AND {age} > {lo}" + (f" AND {age} <= {hi}" if hi is not None else "")
            cols += [
                f'count(*) FILTER (WHERE {cond}) AS "overdue_{bucket}"',
                f'count(*) FILTER (WHERE {cond} AND {maj}) AS "overdue_major_{bucket}"',
            ]
    if flow is not None:
        first, last = flow
        f, lst = day(first), day(last)
        cohort, done = x(found_in(f, lst)), x(rectified_by(lst))
        in_flow = x(f"{rectified_by(lst)} AND coalesce(rectified_date BETWEEN {f} AND {lst}, false)")
        days = x("greatest(date_diff('day', found_date, rectified_date), 0)")
        not_found, failed = x(f"status <> '{S.FOUND}'"), x(f"status = '{S.ACCEPTANCE_FAILED}'")
        cols += [
            f"count(*) FILTER (WHERE {cohort}) AS funnel_found",
            f"count(*) FILTER (WHERE {cohort} AND ({done} OR {not_found})) AS funnel_ordered",
            f"count(*) FILTER (WHERE {cohort} AND {done}) AS funnel_rectified",
            f"count(*) FILTER (WHERE {cohort} AND {x(closed_by(lst))}) AS funnel_closed",
            f"count(*) FILTER (WHERE {cohort} AND {failed}) AS funnel_acceptance_failed",
            f"count(*) FILTER (WHERE {in_flow}) AS flow_n",
            f"quantile_cont({days}, 0.5) FILTER (WHERE {in_flow}) AS flow_median",
            f"quantile_cont({days}, 0.9) FILTER (WHERE {in_flow}) AS flow_p90",
        ]
    row = store.query(
        f"SELECT {', '.join(cols)} FROM (SELECT {x.select()} FROM hazards WHERE {scope.where})", scope.params
    ).iloc[0]
    return {
        k: (None if pd.isna(v) else (float(v) if k in ("flow_median", "flow_p90") else int(v))) for k, v in row.items()
    }


def backlog(store: Store, scope: Scope, months: list[tuple[str, pd.Timestamp]]) -> pd.DataFrame:
    """The open backlog at each month's end (``month``, ``open``, ``open_major``, ``overdue``), counted
    from events in one scan: a hazard is open on E when found by E and not rectified by E, so
    open(E) = #(found ≤ E) − #(max(found, rectified) ≤ E), where 'rectified' is the day it counts as
    rectified from (marked rectified without a date: always; a failed acceptance: from its rectified date
    until its acceptance check, when it opens again — never if either is unknown or the check came first);
    overdue the same from max(found, deadline + 1)."""
    cols = ["month", "open", "open_major", "overdue"]
    if not months:
        return pd.DataFrame(columns=cols)
    first_month = dt.date.fromisoformat(months[0][0] + "-01")
    last_end = max(pd.Timestamp(e) for _, e in months)
    frame = store.query(
        f"""WITH h AS (
              SELECT found_date AS f, ({MAJOR})::INTEGER AS maj, deadline + 1 AS due,
                     CASE WHEN status = '{S.ACCEPTANCE_FAILED}' THEN
                               CASE WHEN accepted_date > rectified_date THEN rectified_date END
                          WHEN rectified_date IS NOT NULL THEN rectified_date
                          WHEN status IN {DONE_SQL} THEN DATE '0001-01-01' END AS r0,
                     CASE WHEN status = '{S.ACCEPTANCE_FAILED}' AND accepted_date > rectified_date
                          THEN accepted_date END AS back
              FROM hazards WHERE {scope.where}),
            ev AS (
              SELECT f AS x, 1 AS o, maj AS om, 0 AS od FROM h
              UNION ALL SELECT greatest(f, r0), -1, -maj, 0 FROM h WHERE r0 IS NOT NULL
              UNION ALL SELECT greatest(f, back), 1, maj, 0 FROM h WHERE back IS NOT NULL
              UNION ALL SELECT greatest(f, due), 0, 0, 1 FROM h WHERE due IS NOT NULL
              UNION ALL SELECT greatest(f, due, r0), 0, 0, -1 FROM h WHERE due IS NOT NULL AND r0 IS NOT NULL
              UNION ALL SELECT greatest(f, due, back), 0, 0, 1 FROM h WHERE due IS NOT NULL AND back IS NOT NULL)
            SELECT strftime(greatest(x, {day(first_month)}), '%Y-%m') AS month,
                   sum(o) AS open, sum(om) AS open_major, sum(od) AS overdue
            FROM ev WHERE x <= {day(last_end)} GROUP BY 1""",
        scope.params,
    )
    steps = frame.set_index("month").reindex([m for m, _ in months]).fillna(0)
    # events dated after a month's (cut) end but within its month belong to the next months only
    out = steps.cumsum().astype(int).reset_index()
    out.columns = cols
    return out


def rankings(store: Store, scope: Scope, first_day: dt.date, last_day: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Per child region and per industry (``dim`` 'child_code' / 'industry', ``key``): ``found`` in the
    period, ``rectified`` of those by ``last_day``, ``open_overdue`` and ``open_major_overdue`` on
    ``as_of`` — for every key with a row in the scope. Unsorted."""
    cohort, done, late = found_in(day(first_day), day(last_day)), rectified_by(day(last_day)), overdue_on(day(as_of))
    return store.query(
        f"""SELECT CASE WHEN grouping(child) = 0 THEN 'child_code' ELSE 'industry' END AS dim,
                   coalesce(child, industry) AS key,
                   count(*) FILTER (WHERE {cohort}) AS found,
                   count(*) FILTER (WHERE {cohort} AND {done}) AS rectified,
                   count(*) FILTER (WHERE {late}) AS open_overdue,
                   count(*) FILTER (WHERE {late} AND {MAJOR}) AS open_major_overdue
            FROM (SELECT *, {scope.child} AS child FROM hazards WHERE {scope.where})
            GROUP BY GROUPING SETS ((child), (industry))""",
        scope.params,
    )


BOARD_COLUMNS = (
    "hazard_id",
    "enterprise",
    "credit_code",
    "region_code",
    "province_code",
    "city_code",
    "industry",
    "address",
    "description",
    "category",
    "grade",
    "source",
    "found_date",
    "deadline",
    "rectified_date",
    "accepted_date",
    "status",
    "funds_wan",
    "responsible_person",
    "supervision_level",
    *FIVE_FLAGS,
)


def board_records(store: Store, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """The major hazards listed for supervision (挂牌督办) that are open on ``as_of``: the records of
    the board (few; dates as datetime64)."""
    frame = store.query(
        f"""SELECT {", ".join(BOARD_COLUMNS)} FROM hazards
                            WHERE {scope.where} AND {MAJOR} AND {SUPERVISED} AND {open_on(day(as_of))}""",
        scope.params,
    )
    for c in ("found_date", "deadline", "rectified_date", "accepted_date"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def enterprises(
    store: Store,
    scope: Scope,
    first_day: dt.date,
    last_day: dt.date,
    as_of: dt.date,
    window_days: int = 365,
    top: int = 20,
) -> tuple[pd.DataFrame, int]:
    """(the enterprises with the most open or repeated hazards — ``enterprise_key``, ``enterprise``,
    ``region_code``, ``industry``, ``open``, ``open_major``, ``overdue``, ``repeats`` — most open majors,
    then open, then repeats first, at most ``top``; the number of repeated hazards in the period).
    A repeat: a hazard found in the period whose enterprise had one of the same category in the
    ``window_days`` before."""
    d, f, lst = day(as_of), day(first_day), day(last_day)
    since = day(first_day - dt.timedelta(days=int(window_days)))
    frame = store.query(
        f"""WITH h AS (SELECT *, {ENTERPRISE_KEY} AS ekey FROM hazards WHERE {scope.where}),
            rep AS (
              SELECT ekey, count(*) AS repeats, min(enterprise) AS enterprise, min(region_code) AS region_code,
                     min(industry) AS industry
              FROM (SELECT ekey, enterprise, region_code, industry, found_date,
                           lag(found_date) OVER (PARTITION BY ekey, category ORDER BY found_date, hazard_id) AS prev
                    FROM h WHERE category IS NOT NULL AND trim(category) <> '' AND found_date >= {since})
              WHERE found_date BETWEEN {f} AND {lst} AND prev IS NOT NULL
                AND date_diff('day', prev, found_date) <= {int(window_days)}
              GROUP BY ekey),
            op AS (
              SELECT ekey, count(*) AS open, count(*) FILTER (WHERE {MAJOR}) AS open_major,
                     count(*) FILTER (WHERE coalesce(deadline < {d}, false)) AS overdue,
                     min(enterprise) AS enterprise, min(region_code) AS region_code, min(industry) AS industry
              FROM h WHERE {open_on(d)} GROUP BY ekey)
            SELECT coalesce(op.ekey, rep.ekey) AS enterprise_key,
                   coalesce(op.enterprise, rep.enterprise) AS enterprise,
                   coalesce(op.region_code, rep.region_code) AS region_code,
                   coalesce(op.industry, rep.industry) AS industry,
                   coalesce(op.open, 0) AS open, coalesce(op.open_major, 0) AS open_major,
                   coalesce(op.overdue, 0) AS overdue, coalesce(rep.repeats, 0) AS repeats,
                   sum(coalesce(rep.repeats, 0)) OVER () AS all_repeats
            FROM op FULL JOIN rep ON op.ekey = rep.ekey
            WHERE coalesce(op.ekey, rep.ekey) IS NOT NULL
            ORDER BY open_major DESC, open DESC, repeats DESC, enterprise_key
            LIMIT {int(top)}""",
        scope.params,
    )
    total = 0 if frame.empty else int(frame["all_repeats"].iloc[0])
    out = frame.drop(columns="all_repeats")
    for c in ("open", "open_major", "overdue", "repeats"):
        out[c] = out[c].astype(int)
    return out.reset_index(drop=True), total


def enterprise_hazards(store: Store, scope: Scope, key: str, limit: int = 500) -> pd.DataFrame:
    """The hazard records of one enterprise (by :data:`ENTERPRISE_KEY`) in the scope, newest first
    (at most ``limit``)."""
    frame = store.query(
        f"""SELECT hazard_id, category, grade, found_date, deadline, rectified_date, status,
                                   description
                            FROM hazards WHERE {scope.where} AND {ENTERPRISE_KEY} = ?
                            ORDER BY found_date DESC, hazard_id LIMIT {int(limit)}""",
        [*scope.params, key],
    )
    for c in ("found_date", "deadline", "rectified_date"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def report_counts(store: Store, scope: Scope, first_day: dt.date, last_day: dt.date, as_of: dt.date) -> pd.DataFrame:
    """The official monthly report's counts per industry from the records, for the hazards found in the
    period as they stand on ``as_of`` (the meanings of ``analytics.hazards.report_rows_from_records``)."""
    d = day(as_of)
    done, major = rectified_by(d), MAJOR
    open_major = f"{major} AND NOT {done}"
    five = " AND ".join(f"coalesce({f}, false)" for f in FIVE_FLAGS)
    return store.query(
        f"""SELECT industry,
                   count(*) FILTER (WHERE NOT {major}) AS general_found,
                   count(*) FILTER (WHERE NOT {major} AND {done}) AS general_rectified,
                   count(*) FILTER (WHERE {major}) AS major_found,
                   count(*) FILTER (WHERE {major} AND {done}) AS major_rectified,
                   count(*) FILTER (WHERE {major} AND {closed_by(d)}) AS major_closed,
                   count(*) FILTER (WHERE {open_major} AND coalesce(measures_in_place, false)) AS major_in_plan,
                   count(*) FILTER (WHERE {open_major} AND {five}) AS major_five_in_place,
                   count(*) FILTER (WHERE {major} AND {SUPERVISED}) AS major_supervised,
                   count(*) FILTER (WHERE {major} AND supervision_level = 'province') AS major_supervised_province,
                   count(DISTINCT {ENTERPRISE_KEY}) AS units,
                   sum(funds_wan) AS funds_wan
            FROM hazards WHERE {scope.where} AND {found_in(day(first_day), day(last_day))}
            GROUP BY industry""",
        scope.params,
    )
