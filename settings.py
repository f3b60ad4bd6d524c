"""Settings in one declarative place: name, default, help. Read from the environment and checked
at start, with a clear message for a bad value."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SAFETY_DB", "data/safety.duckdb", "the store file; created with demo data on first use"),
    Setting(
        "SAFETY_DEMO",
        "1",
        "0 starts a new default store empty instead of with demo data (a store that already "
        "holds the demo keeps it: `bash scripts/cli.sh loaders demo --remove` takes the demo records out)",
    ),
    # The server (scripts/run.sh; docs/accounts.md, "Serving on a bureau's intranet").
    Setting(
        "SAFETY_PORT",
        "8501",
        "the port scripts/run.sh serves on (or `--port N`); a port already taken stops "
        "the start with a message instead of moving to another port",
    ),
    Setting(
        "SAFETY_ADDRESS",
        "127.0.0.1",
        "the address scripts/run.sh listens on (or `--address A`): 127.0.0.1 "
        "this machine only, 0.0.0.0 every interface (other machines then reach http://HOST:PORT), or "
        "the address only a reverse proxy reaches",
    ),
    Setting("SAFETY_TODAY", "", "pretend today is this date (YYYY-MM-DD), for demos and tests; empty = the real date"),
    Setting(
        "SAFETY_UPLOAD_MAX_MB",
        "200",
        "the largest file (MB) the data page accepts for upload; the command line has no limit",
    ),
    # Reading a file (loaders/sandbox.py): in a process of its own, refused past these limits.
    Setting(
        "SAFETY_READ_MEMORY_MB",
        "4096",
        "the memory (MB) reading one file may take, beyond the reading process's libraries; a file that needs "
        "more is refused (a 1,000,000-row XLSX takes about 2,700 MB, the same ledger as CSV about 2,000)",
    ),
    Setting(
        "SAFETY_READ_SECONDS",
        "120",
        "the seconds reading and checking one file may take; a file that takes longer is refused",
    ),
    Setting(
        "SAFETY_MAX_COLUMNS", "1000", "the most columns a CSV line or a sheet may have; a file with more is refused"
    ),
    Setting(
        "SAFETY_WARM_UP",
        "1",
        "1 computes the other pages' answers for the first view in the background after "
        "the first page of a server start (so they open from the cache); 0 does not",
    ),
    Setting(
        "SAFETY_TILES_URL",
        "",
        "an intranet tile server for the maps, e.g. http://tiles.local/{z}/{x}/{y}.png; "
        "empty = no base map (boundaries on a plain background)",
    ),
    # The risk index (analytics/risk.py, whose docstring justifies these defaults).
    Setting(
        "SAFETY_RISK_WEIGHTS",
        "accidents=20,deaths=25,trend=15,open_major=15,overdue=15,rectification=10",
        "risk index: relative weight of each factor (accidents, deaths, trend, open_major, overdue, "
        "rectification), non-negative, scaled to sum 1; 0 leaves a factor out; a factor not named keeps its default",
    ),
    Setting(
        "SAFETY_RISK_THRESHOLDS",
        "70,50,30",
        "risk index: the lowest score (0–100) of red 重大, orange 较大 and yellow 一般 risk, decreasing; "
        "below the last is blue 低风险",
    ),
    Setting(
        "SAFETY_RISK_GRADE_WEIGHTS",
        "1,3,10",
        "risk index: the weight of a general 一般, a larger 较大 and a major-or-above 重特大 accident",
    ),
    Setting(
        "SAFETY_RISK_TREND_BASE",
        "10",
        "risk index: the smallest base of the change on last year, in weighted accidents plus deaths "
        "(so that 1 → 2 accidents in a quiet county is not a +100% rise)",
    ),
    Setting(
        "SAFETY_RISK_RED_OVERDUE_MAJOR",
        "10,3,1",
        "risk index: a province, city, county with at least this many open major hazards past their "
        "deadline is red whatever its score (0 = no such rule)",
    ),
    Setting(
        "SAFETY_RISK_MAJOR_ACCIDENT_LEVEL",
        "red",
        "risk index: the least level of a region with a 重特大 accident in the period: red, orange, yellow or none",
    ),
    Setting(
        "SAFETY_RISK_ABSOLUTE_CAPS",
        "on",
        "risk index: on = red needs a 较大+ accident, 3+ deaths or an overdue major hazard, orange a death or an "
        "open major hazard, whatever the rank; off = the rank alone",
    ),
    # The big screen (/screen, views/screen.py); its link's parameters override these (links/screen.py).
    Setting(
        "SAFETY_SCREEN_REFRESH_S",
        "60",
        "big screen: seconds between two reads of the store (5 to 86400); the link's refresh= overrides it",
    ),
    Setting(
        "SAFETY_SCREEN_ROTATE_S",
        "30",
        "big screen: seconds each region of the playlist stays on screen (0 = no rotation); the link's rotate=",
    ),
    Setting(
        "SAFETY_SCREEN_PLAYLIST",
        "100000",
        "big screen: the regions shown in turn, adcodes separated by commas (100000 = the whole country); "
        "the link's playlist=",
    ),
    Setting(
        "SAFETY_SCREEN_STALE_HOURS",
        "24",
        "big screen: a banner says the data is stale when the last import is older than this many hours; "
        "the link's stale_hours=",
    ),
    # Which units a judgement waits for (domain.sources.Coverage.expected; README "Judgement rules settled").
    Setting(
        "SAFETY_EXPECTED_REGIONS",
        "",
        "the regions the bureau expects data from, codes or names separated by commas (e.g. 430000,440000 for a "
        "store that holds 湖南 and 广东 only): a region is judged when these of its units answer, and the units "
        "outside them are neither awaited nor counted in 'N个中M个'; empty = every unit (the country's 31 "
        "provinces, a province's cities …)",
    ),
    # Accounts and login (accounts/; docs/accounts.md).
    Setting(
        "SAFETY_SESSION_IDLE_MIN",
        "30",
        "login: minutes without activity after which a session ends and the password is asked again",
    ),
    Setting("SAFETY_SESSION_MAX_HOURS", "12", "login: hours after which a session ends whatever the activity"),
    Setting(
        "SAFETY_LOGIN_FREE_ATTEMPTS",
        "3",
        "login: failed logins of one user before each further attempt must wait (1 s, 2 s, 4 s …; ten times as "
        "many from one client address)",
    ),
    Setting(
        "SAFETY_LOGIN_MAX_DELAY_S",
        "900",
        "login: the longest wait after repeated failed logins, in seconds (a temporary lock)",
    ),
    Setting(
        "SAFETY_LOCAL_LOGIN",
        "1",
        "login: 0 hides the user name and password form when an identity provider ([auth] in "
        ".streamlit/secrets.toml) is configured, so that everyone logs in through it",
    ),
    Setting(
        "SAFETY_OIDC_CLAIM",
        "email",
        "login: the identity provider's claim (st.user) that names the account, e.g. email or preferred_username",
    ),
)

# Read by the scripts (scripts/*.sh) and the server, not by the app: listed here for the table of settings.
SCRIPT_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "APT_LOCK_WAIT_S",
        "600",
        "scripts/*.sh: the seconds to wait for another apt/dpkg process "
        "(unattended-upgrades …) to let go of the package lock before installing a missing Debian package",
    ),
    Setting("TEST_WORKERS", "2", "scripts/test.sh: pytest processes (pytest-xdist); 0 runs the tests in one process"),
    Setting(
        "FORWARDED_ALLOW_IPS",
        "127.0.0.1",
        "the server (uvicorn): the reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto are trusted, e.g. 10.1.2.3 (never * when the port is reachable otherwise)",
    ),
)


def markdown() -> str:
    """The table of every setting (name, default, meaning), as ``docs/settings.md`` holds it:
    ``bash scripts/cli.sh settings --markdown > docs/settings.md`` (tests/test_settings_doc.py compares)."""

    def rows(settings: tuple[Setting, ...]) -> list[str]:
        out = ["| name | default | meaning |", "|---|---|---|"]
        for s in settings:
            default = f"`{s.default}`" if s.default else "(empty)"
            meaning = s.help.replace("|", "\\|")
            out.append(f"| `{s.name}` | {default} | {meaning} |")
        return out

    return "\n".join(
        [
            "# Settings (配置项)",
            "",
            "<!-- Generated from settings.py by `bash scripts/cli.sh settings --markdown > docs/settings.md`; "
            "do not edit by hand (tests/test_settings_doc.py checks it). -->",
            "",
            "Every setting is an environment variable, read at start and checked (a bad value stops with a message "
            "naming the setting, what it got and what it wants). Set it on the command line, e.g. "
            "`SAFETY_PORT=8600 SAFETY_DEMO=0 bash scripts/run.sh`, or export it in the service's environment.",
            "",
            "## The dashboard and its commands",
            "",
            *rows(SETTINGS),
            "",
            "## The scripts and the server",
            "",
            *rows(SCRIPT_SETTINGS),
            "",
        ]
    )


def _main(argv: list[str] | None = None) -> int:
    """``python -m settings --markdown``: the table of settings; without an option, each setting's value now."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m settings", description="The dashboard's settings")
    ap.add_argument("--markdown", action="store_true", help="print the table of every setting (docs/settings.md)")
    args = ap.parse_args(argv)
    if args.markdown:
        print(markdown(), end="")
        return 0
    for s in SETTINGS + SCRIPT_SETTINGS:
        value = os.environ.get(s.name)
        print(f"{s.name}={s.default if value is None else value}" + ("" if value is None else "   (set)"))
    return 0


def get(name: str) -> str:
    return os.environ.get(name, default(name))


def default(name: str) -> str:
    return next(s for s in SETTINGS if s.name == name).default


def today() -> dt.date:
    """Today's date, or ``SAFETY_TODAY`` when set."""
    value = get("SAFETY_TODAY").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"SAFETY_TODAY='{value}' is not a date (expected YYYY-MM-DD, e.g. 2025-06-15)") from None


def upload_max_mb(environ: Mapping[str, str] | None = None) -> float:
    """The upload size limit in MB (``SAFETY_UPLOAD_MAX_MB``, read from ``environ``, default the
    environment). A value that is not a positive number raises ValueError saying so."""
    name = "SAFETY_UPLOAD_MAX_MB"
    default = next(s for s in SETTINGS if s.name == name).default
    value = ((os.environ if environ is None else environ).get(name) or default).strip()
    if not _is_number(value) or not float(value) > 0 or float(value) == float("inf"):
        raise ValueError(f"{name}='{value}' is not a size in MB (expected a positive number, e.g. 200)")
    return float(value)


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may take: memory (MB, beyond the reading process's libraries), time (s),
    and the most columns of a CSV line or a sheet."""

    memory_mb: float
    seconds: float
    max_columns: int


def read_limits(environ: Mapping[str, str] | None = None) -> ReadLimits:
    """``SAFETY_READ_MEMORY_MB``, ``SAFETY_READ_SECONDS`` and ``SAFETY_MAX_COLUMNS`` (read from ``environ``,
    default the environment). A bad value raises ValueError naming the setting, what it got and what it wants."""
    env = os.environ if environ is None else environ
    return ReadLimits(
        memory_mb=_positive("SAFETY_READ_MEMORY_MB", env, "a size in MB", "4096"),
        seconds=_positive("SAFETY_READ_SECONDS", env, "a number of seconds", "120"),
        max_columns=int(_positive("SAFETY_MAX_COLUMNS", env, "a number of columns", "1000", whole=True)),
    )


def _risk_value(name: str, environ: Mapping[str, str] | None) -> str:
    setting = next(s for s in SETTINGS if s.name == name)
    env = os.environ if environ is None else environ
    return env.get(name, setting.default).strip()


def _risk_numbers(name: str, value: str, n: int, example: str) -> tuple[float, ...]:
    parts = [p.strip() for p in value.replace("，", ",").split(",")]
    if len(parts) != n:
        raise ValueError(f"{name}='{value}' must be {n} numbers separated by commas (e.g. {example})")
    try:
        return tuple(float(p) for p in parts)
    except ValueError:
        bad = next(p for p in parts if not _is_number(p))
        raise ValueError(f"{name}='{value}': '{bad}' is not a number (e.g. {example})") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def risk_values(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The ``SAFETY_RISK_*`` settings as plain values (read from ``environ``, default the environment; ``{}``
    gives the defaults), for ``answers.region_risk.risk_config`` to build the risk index's configuration
    from: ``weights`` (factor → weight), ``thresholds``, ``grade_weights``, ``trend_base``, ``red_overdue_major``,
    ``major_accident_level``, ``absolute_caps``, and ``raw`` (each setting's text, for a message). A value
    that cannot be read raises ValueError naming the setting, what it got and what it wants."""
    name = "SAFETY_RISK_WEIGHTS"
    default = dict(p.split("=") for p in next(s for s in SETTINGS if s.name == name).default.split(","))
    factors = tuple(default)  # the default names every factor of the index (analytics.risk.FACTORS)
    weights = {k: float(v) for k, v in default.items()}
    value = _risk_value(name, environ)
    for part in filter(None, (p.strip() for p in value.replace("，", ",").split(","))):
        key, sep, number = (x.strip() for x in part.partition("="))
        if not sep:
            raise ValueError(f"{name}='{value}': '{part}' is not factor=weight (e.g. deaths=25)")
        if key not in factors:
            raise ValueError(f"{name}='{value}': unknown factor '{key}' (expected one of {', '.join(factors)})")
        if not _is_number(number):
            raise ValueError(f"{name}='{value}': '{number}' is not a number (e.g. {key}=25)")
        weights[key] = float(number)
    raw = {
        n: _risk_value(n, environ)
        for n in (
            "SAFETY_RISK_THRESHOLDS",
            "SAFETY_RISK_GRADE_WEIGHTS",
            "SAFETY_RISK_TREND_BASE",
            "SAFETY_RISK_RED_OVERDUE_MAJOR",
            "SAFETY_RISK_MAJOR_ACCIDENT_LEVEL",
            "SAFETY_RISK_ABSOLUTE_CAPS",
        )
    }
    thresholds = _risk_numbers("SAFETY_RISK_THRESHOLDS", raw["SAFETY_RISK_THRESHOLDS"], 3, "70,50,30")
    grades = _risk_numbers("SAFETY_RISK_GRADE_WEIGHTS", raw["SAFETY_RISK_GRADE_WEIGHTS"], 3, "1,3,10")
    (base,) = _risk_numbers("SAFETY_RISK_TREND_BASE", raw["SAFETY_RISK_TREND_BASE"], 1, "10")
    overdue = _risk_numbers("SAFETY_RISK_RED_OVERDUE_MAJOR", raw["SAFETY_RISK_RED_OVERDUE_MAJOR"], 3, "10,3,1")
    level = raw["SAFETY_RISK_MAJOR_ACCIDENT_LEVEL"].lower()
    caps = raw["SAFETY_RISK_ABSOLUTE_CAPS"].lower()
    if caps not in ("on", "off"):
        raise ValueError(f"SAFETY_RISK_ABSOLUTE_CAPS='{raw['SAFETY_RISK_ABSOLUTE_CAPS']}' is not on or off")
    return {
        "weights": weights,
        "thresholds": thresholds,
        "grade_weights": grades,
        "trend_base": base,
        "red_overdue_major": tuple(int(x) if x.is_integer() else x for x in overdue),
        "major_accident_level": level,
        "absolute_caps": caps == "on",
        "raw": {name: value, **raw},
    }


def _positive(name: str, env: Mapping[str, str], unit: str, example: str, whole: bool = False) -> float:
    default = next(s for s in SETTINGS if s.name == name).default
    value = (env.get(name) or default).strip()
    ok = _is_number(value) and float(value) > 0 and float(value) != float("inf")
    if ok and whole:
        ok = float(value).is_integer()
    if not ok:
        kind = "a positive whole number" if whole else "a positive number"
        raise ValueError(f"{name}='{value}' is not {unit} (expected {kind}, e.g. {example})")
    return float(value)


def auth_values(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The login policy's values (timeouts, the slowing down of failed logins) from the ``SAFETY_SESSION_*``
    and ``SAFETY_LOGIN_*`` settings (read from ``environ``, default the environment), as the keyword arguments
    of ``accounts.model.AuthPolicy`` (``accounts.model.auth_policy`` builds it). A bad value raises
    ValueError naming the setting, what it got and what it wants."""
    env = os.environ if environ is None else environ
    return dict(
        idle=dt.timedelta(minutes=_positive("SAFETY_SESSION_IDLE_MIN", env, "a number of minutes", "30")),
        max_age=dt.timedelta(hours=_positive("SAFETY_SESSION_MAX_HOURS", env, "a number of hours", "12")),
        free_attempts=int(_positive("SAFETY_LOGIN_FREE_ATTEMPTS", env, "a number of attempts", "3", whole=True)),
        max_delay_s=_positive("SAFETY_LOGIN_MAX_DELAY_S", env, "a number of seconds", "900"),
    )


def expected_regions(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """``SAFETY_EXPECTED_REGIONS`` as region codes (names resolved as on the command line). A value that names no
    region, or more than one, raises ValueError naming the setting and the value."""
    from domain.regions import RegionError, resolve_region

    name = "SAFETY_EXPECTED_REGIONS"
    env = os.environ if environ is None else environ
    value = env.get(name, "").strip()
    codes = set()
    for part in filter(None, (p.strip() for p in value.replace("，", ",").replace("、", ",").split(","))):
        try:
            codes.add(resolve_region(part))
        except RegionError as exc:
            raise ValueError(f"{name}='{value}': {exc}") from None
    return frozenset(codes)


if __name__ == "__main__":
    raise SystemExit(_main())
