"""Each question answered twice on one store, warm: through the project's own functions and through the
raw DuckDB SQL a competent engineer would write for the same answer (one open connection). Each is run
once uncounted, then ``repeat`` times; the median is reported.

The raw SQL reads the hazard records only; the project's answers also fold in the regions that send
only monthly reports (浏阳市, 昆山市 in the demo), which is part of what its time pays for.
The rules are the project's: rectified by D = (status <> 'acceptance_failed' OR accepted_date > D) AND
coalesce(rectified_date <= D, status IN ('rectified', 'closed')); open on D = found by D and not
rectified by D; overdue on D = open and deadline < D.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from bench.common import TODAY, markdown_table, measure, median, ms
from domain.regions import COUNTRY_CODE

FIRST, LAST = dt.date(2024, 1, 1), dt.date(2024, 12, 31)  # the period 2024
HUNAN, COUNTRY = "430000", COUNTRY_CODE


def d(day: dt.date) -> str:
    return f"DATE '{day:%Y-%m-%d}'"


def rect(day: dt.date, alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    return (
        f"(({a}status <> 'acceptance_failed' OR coalesce({a}accepted_date > {d(day)}, false)) "
        f"AND coalesce({a}rectified_date <= {d(day)}, {a}status IN ('rectified', 'closed')))"
    )


def overdue(day: dt.date) -> str:
    return f"(found_date <= {d(day)} AND NOT {rect(day)} AND deadline < {d(day)})"


def in_region(region: str) -> str:
    return "true" if region == COUNTRY else f"province_code = '{region}'"


# ---------------------------------------------------------------- the raw SQL


def raw_rate(con: duckdb.DuckDBPyConnection) -> Any:
    """What ``rectification.summary`` answers for the Briefing: the rate of the hazards found in 2024 (and
    of the majors, on time, closed) and the majors open and overdue at its end — found in any year, so
    the whole table is read (the rate alone reads 2024's blocks only: about a tenth of the time)."""
    cohort = f"found_date BETWEEN {d(FIRST)} AND {d(LAST)}"
    closed = f"(status = 'closed' AND coalesce(accepted_date <= {d(LAST)}, true) AND {rect(LAST)})"
    return con.execute(f"""
        SELECT count(*) FILTER (WHERE {cohort}) AS found,
               count(*) FILTER (WHERE {cohort} AND {rect(LAST)}) AS rectified,
               count(*) FILTER (WHERE {cohort} AND grade = 'major') AS major_found,
               count(*) FILTER (WHERE {cohort} AND grade = 'major' AND {rect(LAST)}) AS major_rectified,
               count(*) FILTER (WHERE {cohort} AND {rect(LAST)} AND rectified_date <= deadline) AS on_time,
               count(*) FILTER (WHERE {cohort} AND {closed}) AS closed,
               count(*) FILTER (WHERE NOT {rect(LAST)} AND grade = 'major') AS open_major,
               count(*) FILTER (WHERE {overdue(LAST)}) AS open_overdue,
               count(*) FILTER (WHERE {overdue(LAST)} AND grade = 'major') AS open_major_overdue
        FROM hazards WHERE found_date <= {d(LAST)}""").fetchall()


def raw_page(region: str) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    """The main aggregates of the 隐患整改 page for 2024 (as of 2024-12-31) against 2023: cohort and cumulative
    counts, open and overdue counts, the backlog at 24 month ends, rankings by child region and industry."""
    ly_first, ly_last = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    child = "province_code" if region == COUNTRY else "coalesce(city_code, region_code)"

    def cohort(first: dt.date, last: dt.date) -> str:
        return f"found_date BETWEEN {d(first)} AND {d(last)}"

    def cumulative(first: dt.date, last: dt.date) -> str:
        before = first - dt.timedelta(days=1)
        return f"({cohort(first, last)} OR (found_date <= {d(before)} AND NOT {rect(before)}))"

    def counts(name: str, base: str, last: dt.date) -> str:
        return (
            f"count(*) FILTER (WHERE {base}) AS {name}_found, "
            f"count(*) FILTER (WHERE {base} AND {rect(last)}) AS {name}_rectified, "
            f"count(*) FILTER (WHERE {base} AND grade = 'major') AS {name}_major_found, "
            f"count(*) FILTER (WHERE {base} AND grade = 'major' AND {rect(last)}) AS {name}_major_rectified"
        )

    def run(con: duckdb.DuckDBPyConnection) -> Any:
        totals = con.execute(f"""
            SELECT {counts("now", cohort(FIRST, LAST), LAST)}, {counts("now_cum", cumulative(FIRST, LAST), LAST)},
                   {counts("ly", cohort(ly_first, ly_last), ly_last)},
                   {counts("ly_cum", cumulative(ly_first, ly_last), ly_last)},
                   count(*) FILTER (WHERE NOT {rect(LAST)}) AS open_total,
                   count(*) FILTER (WHERE NOT {rect(LAST)} AND grade = 'major') AS open_major,
                   count(*) FILTER (WHERE {overdue(LAST)}) AS open_overdue,
                   count(*) FILTER (WHERE {overdue(LAST)} AND grade = 'major') AS open_major_overdue
            FROM hazards WHERE {in_region(region)} AND found_date <= {d(LAST)}""").fetchall()
        backlog = con.execute(f"""
            WITH m AS (SELECT last_day(x)::DATE AS e
                       FROM range(DATE '2023-01-01', DATE '2025-01-01', INTERVAL 1 MONTH) t(x))
            SELECT strftime(m.e, '%Y-%m') AS month, count(*) AS open,
                   count(*) FILTER (WHERE h.grade = 'major') AS open_major,
                   count(*) FILTER (WHERE h.deadline < m.e) AS overdue
            FROM m JOIN hazards h ON h.found_date <= m.e
            WHERE {in_region(region).replace("province_code", "h.province_code")}
              AND (h.status = 'acceptance_failed' OR h.rectified_date IS NULL OR h.rectified_date > DATE '2023-01-31')
              AND NOT (h.status <> 'acceptance_failed'
                       AND coalesce(h.rectified_date <= m.e, h.status IN ('rectified', 'closed')))
            GROUP BY 1 ORDER BY 1""").fetchall()
        ranks = con.execute(f"""
            SELECT {child} AS child, industry,
                   count(*) FILTER (WHERE {cohort(FIRST, LAST)}) AS found,
                   count(*) FILTER (WHERE {cohort(FIRST, LAST)} AND {rect(LAST)}) AS rectified,
                   count(*) FILTER (WHERE {overdue(LAST)}) AS open_overdue,
                   count(*) FILTER (WHERE {overdue(LAST)} AND grade = 'major') AS open_major_overdue
            FROM hazards WHERE {in_region(region)} AND found_date <= {d(LAST)}
            GROUP BY GROUPING SETS ((child), (industry))""").fetchall()
        return totals, backlog, ranks

    return run


def raw_monthly_report(con: duckdb.DuckDBPyConnection) -> Any:
    closed = f"(status = 'closed' AND coalesce(accepted_date <= {d(LAST)}, true) AND {rect(LAST)})"
    return con.execute(f"""
        SELECT industry,
               count(*) FILTER (WHERE grade <> 'major') AS general_found,
               count(*) FILTER (WHERE grade <> 'major' AND {rect(LAST)}) AS general_rectified,
               count(*) FILTER (WHERE grade = 'major') AS major_found,
               count(*) FILTER (WHERE grade = 'major' AND {rect(LAST)}) AS major_rectified,
               count(*) FILTER (WHERE grade = 'major' AND {closed}) AS major_closed,
               count(*) FILTER (WHERE grade = 'major' AND supervision_level <> 'none') AS major_supervised,
               count(DISTINCT coalesce(nullif(trim(credit_code), ''), trim(enterprise))) AS units,
               sum(funds_wan) AS funds_wan
        FROM hazards WHERE province_code = '{HUNAN}' AND found_date BETWEEN {d(FIRST)} AND {d(LAST)}
        GROUP BY industry ORDER BY industry""").fetchall()


YTD_FIRST = dt.date(TODAY.year, 1, 1)


def raw_hazard_factors(con: duckdb.DuckDBPyConnection) -> Any:
    """Per province, as of today: the six hazard factors of the risk index (found this year and rectified,
    majors found, open majors, open majors overdue, open overdue)."""
    t = TODAY
    return con.execute(f"""
        SELECT province_code,
               count(*) FILTER (WHERE found_date >= {d(YTD_FIRST)}) AS found,
               count(*) FILTER (WHERE found_date >= {d(YTD_FIRST)} AND {rect(t)}) AS rectified,
               count(*) FILTER (WHERE found_date >= {d(YTD_FIRST)} AND grade = 'major') AS major_found,
               count(*) FILTER (WHERE grade = 'major' AND NOT {rect(t)}) AS open_major,
               count(*) FILTER (WHERE grade = 'major' AND NOT {rect(t)} AND deadline < {d(t)}) AS open_major_overdue,
               count(*) FILTER (WHERE NOT {rect(t)} AND deadline < {d(t)}) AS open_overdue
        FROM hazards WHERE found_date <= {d(t)} AND province_code IS NOT NULL
        GROUP BY province_code ORDER BY province_code""").fetchall()


def raw_region_risk(con: duckdb.DuckDBPyConnection) -> Any:
    """The hazard factors per province plus accidents and deaths per province this year to date and in the
    same days last year."""
    ly_first, ly_last = YTD_FIRST.replace(year=YTD_FIRST.year - 1), TODAY.replace(year=TODAY.year - 1)
    acc = con.execute(f"""
        SELECT province_code,
               count(*) FILTER (WHERE occurred_at >= {d(YTD_FIRST)}) AS accidents,
               sum(deaths + missing) FILTER (WHERE occurred_at >= {d(YTD_FIRST)}) AS deaths,
               count(*) FILTER (WHERE occurred_at < {d(ly_last)} + 1) AS accidents_ly,
               sum(deaths + missing) FILTER (WHERE occurred_at < {d(ly_last)} + 1) AS deaths_ly
        FROM accidents
        WHERE (occurred_at >= {d(YTD_FIRST)} AND occurred_at < {d(TODAY)} + 1)
           OR (occurred_at >= {d(ly_first)} AND occurred_at < {d(ly_last)} + 1)
        GROUP BY province_code""").fetchall()
    return raw_hazard_factors(con), acc


def raw_pivot(con: duckdb.DuckDBPyConnection) -> Any:
    return con.execute(f"""
        SELECT strftime(found_date, '%Y-%m') AS month, industry, count(*) AS hazards,
               count(*) FILTER (WHERE {rect(LAST)}) AS rectified
        FROM hazards WHERE province_code = '{HUNAN}' AND found_date BETWEEN {d(FIRST)} AND {d(LAST)}
        GROUP BY CUBE (month, industry)""").fetchall()


# ---------------------------------------------------------------- the project's functions


def _project(store: Any) -> dict[str, Callable[[], Any]]:
    """The project's calls by question (imported here: the signatures may move while others work)."""
    from analytics.brief import build_brief
    from analytics.pivot import build_pivot
    from answers import rectification as rc
    from answers.brief_data import StoreData
    from answers.region_risk import region_risk
    from domain.periods import Period
    from store import explore_queries as eq
    from store.risk_queries import hazard_factors_by_child

    y2024 = Period.parse("2024")
    ytd = Period.year_to_date(TODAY)

    def pivot() -> Any:
        cells = eq.pivot_cells(store, "hazards", eq.Scope(HUNAN, FIRST, LAST), "month", "industry")
        return build_pivot(cells, "hazards", "month", "industry", ("rectification_rate",))

    return {
        "rate": lambda: rc.summary(store, COUNTRY, FIRST, LAST),
        "brief": lambda: build_brief(StoreData(store), Period.parse("2024"), COUNTRY, None, "all", TODAY),
        "page_country": lambda: rc.load(store, COUNTRY, y2024, None, TODAY),
        "page_hunan": lambda: rc.load(store, HUNAN, y2024, None, TODAY),
        "monthly": lambda: rc.monthly_report(store, HUNAN, y2024, None, TODAY),
        "factors": lambda: hazard_factors_by_child(store, COUNTRY, ytd.first_day, ytd.last_day),
        "risk": lambda: region_risk(store, COUNTRY, ytd, None),
        "pivot": pivot,
    }


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    call: str  # the project's call, as written in the table's notes
    raw: Callable[[duckdb.DuckDBPyConnection], Any] | None


QUESTIONS = (
    Question(
        "rate",
        "national rectification rate 2024, with the open and overdue majors (the Briefing's figures)",
        "answers.rectification.summary(全国, 2024)",
        raw_rate,
    ),
    Question("brief", "Briefing 全国 2024 (whole brief)", "analytics.brief.build_brief(StoreData, 2024, 全国)", None),
    Question("page_country", "隐患整改 page 全国 2024", "answers.rectification.load(全国, 2024)", raw_page(COUNTRY)),
    Question("page_hunan", "隐患整改 page 湖南 2024", "answers.rectification.load(湖南, 2024)", raw_page(HUNAN)),
    Question(
        "monthly", "monthly report 湖南 2024", "answers.rectification.monthly_report(湖南, 2024)", raw_monthly_report
    ),
    Question(
        "factors",
        "provinces' open overdue hazards today (factors)",
        "store.risk_queries.hazard_factors_by_child(全国, ytd)",
        raw_hazard_factors,
    ),
    Question("risk", "provinces' risk index today", "answers.region_risk.region_risk(全国, ytd)", raw_region_risk),
    Question(
        "pivot",
        "Explorer pivot 湖南 2024 month × industry",
        "store.explore_queries.pivot_cells + analytics.pivot.build_pivot (hazards)",
        raw_pivot,
    ),
)


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float] | None, str | None]:
    try:
        return measure(fn, repeat), None
    except Exception as exc:  # another engineer's change in flight: report it, time the rest
        traceback.print_exc()
        return None, f"{type(exc).__name__}: {exc}"[:200]


def run_questions(path: Path, repeat: int = 5) -> dict[str, Any]:
    """Time every question on the store at ``path``; returns the results (ms samples and medians)."""
    from store import open_store

    store = open_store(path)
    hazards = store.scalar("SELECT count(*) FROM hazards")
    project = _project(store)
    con = duckdb.connect(str(path))  # the raw side's one connection (same process: DuckDB shares the instance)
    con.execute("SET enable_progress_bar = false")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    results = []
    try:
        for q in QUESTIONS:
            print(f"  {q.text} …", flush=True)
            raw_samples, raw_error = _timed(lambda q=q: q.raw(con), repeat) if q.raw else (None, None)
            proj_samples, proj_error = _timed(project[q.key], repeat)
            results.append(
                {
                    "key": q.key,
                    "question": q.text,
                    "project_call": q.call,
                    "raw_ms": raw_samples,
                    "project_ms": proj_samples,
                    "raw_median_ms": median(raw_samples),
                    "project_median_ms": median(proj_samples),
                    "errors": [e for e in (raw_error, proj_error) if e],
                }
            )
    finally:
        con.close()
    return {
        "store": str(path),
        "hazards": int(hazards),
        "repeat": repeat,
        "warmup": 1,
        "duckdb_threads": threads,
        "today": TODAY.isoformat(),
        "questions": results,
    }


def questions_markdown(res: dict[str, Any]) -> str:
    rows = []
    for r in res["questions"]:
        raw, proj = r["raw_median_ms"], r["project_median_ms"]
        ratio = f"{proj / raw:.1f}×" if raw and proj else "—"
        cell = ms(proj) if proj is not None else ("error" if r["errors"] else "—")
        rows.append([r["question"], ms(raw), cell, ratio])
    head = (
        f"Questions on {Path(res['store']).name} ({res['hazards']:,} hazards), warm, median of "
        f"{res['repeat']} after 1 warm-up, DuckDB threads {res['duckdb_threads']}, today {res['today']}:\n\n"
    )
    errors = [f"- {r['question']}: {e}" for r in res["questions"] for e in r["errors"]]
    return (
        head
        + markdown_table(["question", "raw SQL ms", "project ms", "ratio"], rows, right=(1, 2, 3))
        + ("\n\nErrors:\n" + "\n".join(errors) if errors else "")
    )
