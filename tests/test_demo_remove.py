"""Own data: `loaders demo --remove` takes exactly the demo records out (audited), leaving imported rows;
`loaders demo --ensure` builds the demo store only when there is none, and SAFETY_DEMO=0 is honoured."""

import io
from pathlib import Path

import pytest
from conftest import DEMO_HAZARDS, DEMO_SEED, DEMO_TODAY, run_in_process

from store import Store, open_store
from store.demo_records import demo_imports, demo_rows, remove_demo
from store.tables import FACT_TABLES

ROOT = Path(__file__).parent.parent
OWN_FILE = ROOT / "docs" / "samples" / "accidents_sample.csv"  # the quick start's own file (README)


def _rows_of(db: Path, import_ids: list[str]) -> int:
    store = Store(db)
    marks = ", ".join("?" for _ in import_ids)
    return sum(
        int(store.scalar(f"SELECT count(*) FROM {t} WHERE import_id IN ({marks})", import_ids))
        for t, _ in FACT_TABLES.values()
    )


def _demo_left(db: Path) -> int:
    store = Store(db)
    return sum(
        int(store.scalar(f"SELECT count(*) FROM {t} WHERE import_id LIKE 'demo-%'")) for t, _ in FACT_TABLES.values()
    )


def _import(db: Path, kind: str, path: Path) -> str:
    done = run_in_process("loaders", "import", kind, str(path), "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    import json

    return json.loads(done.stdout)["import_id"]


def test_remove_takes_out_the_demo_rows_and_keeps_the_imported_ones(writable_db: Path, tmp_path: Path) -> None:
    store = Store(writable_db)
    assert len(demo_imports(store)) == 5 and demo_rows(store) > 20_000
    own = _import(writable_db, "accidents", OWN_FILE)
    # A file that corrects one demo accident (same id, other content): that row is the import's now.
    demo_row = store.query(
        "SELECT accident_id, region_code FROM accidents WHERE import_id LIKE 'demo-%' ORDER BY accident_id LIMIT 1"
    ).iloc[0]
    fix = tmp_path / "fix.csv"
    fix.write_text(
        "事故编号,发生时间,地区,行业领域,事故单位,死亡人数\n"
        f"{demo_row.accident_id},2024-05-01 10:00,{demo_row.region_code},工贸,更正单位,2\n",
        encoding="utf-8",
    )
    fixed = _import(writable_db, "accidents", fix)
    kept_before = _rows_of(writable_db, [own, fixed])
    assert kept_before == 12 + 1

    done = run_in_process("loaders", "demo", "--remove", "--db", str(writable_db))
    assert done.returncode == 0, done.stderr
    assert "removed the demo records" in done.stdout and "已删除演示数据" in done.stdout

    assert _demo_left(writable_db) == 0
    assert demo_imports(store) == [] and demo_rows(store) == 0
    assert _rows_of(writable_db, [own, fixed]) == kept_before  # every imported row stayed
    assert store.scalar("SELECT deaths FROM accidents WHERE accident_id = ?", [demo_row.accident_id]) == 2
    # The demo's imports stay in the log, marked undone; the store says when the demo was removed.
    assert store.scalar("SELECT count(*) FROM imports WHERE import_id LIKE 'demo-%' AND undone_at IS NULL") == 0
    assert store.scalar("SELECT count(*) FROM imports WHERE import_id LIKE 'demo-%'") == 5
    assert store.scalar("SELECT value FROM meta WHERE key = 'demo_removed_at'")
    # Audited like the other command-line changes.
    audit = store.query("SELECT actor, action, target, detail, outcome FROM audit_log WHERE action = 'demo_remove'")
    assert len(audit) == 1
    entry = audit.iloc[0]
    assert entry.actor.startswith("cli") and entry.outcome == "ok"
    assert f"demo-{DEMO_SEED}-hazards" in entry.target and "removed" in entry.detail and "kept" in entry.detail

    # Undoing the import that had corrected a demo row removes it and brings no demo row back.
    undone = run_in_process("loaders", "undo", fixed, "--db", str(writable_db))
    assert undone.returncode == 0, undone.stderr
    assert store.scalar("SELECT count(*) FROM accidents WHERE accident_id = ?", [demo_row.accident_id]) == 0
    assert _demo_left(writable_db) == 0

    again = run_in_process("loaders", "demo", "--remove", "--db", str(writable_db))
    assert again.returncode == 0 and "nothing to remove" in again.stdout
    assert len(store.query("SELECT * FROM audit_log WHERE action = 'demo_remove'")) == 1


def test_remove_refuses_a_store_that_does_not_exist(tmp_path: Path) -> None:
    done = run_in_process("loaders", "demo", "--remove", "--db", str(tmp_path / "none.duckdb"))
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_remove_needs_the_whole_country(writable_db: Path) -> None:
    with pytest.raises(PermissionError):
        remove_demo(Store(writable_db, scope="430000"))
    assert len(demo_imports(Store(writable_db))) == 5


def test_ensure_with_safety_demo_0_creates_an_empty_store_that_stays_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "own" / "safety.duckdb"
    monkeypatch.setenv("SAFETY_DB", str(db))
    monkeypatch.setenv("SAFETY_DEMO", "0")
    done = run_in_process("loaders", "demo", "--ensure")
    assert done.returncode == 0, done.stderr
    assert "SAFETY_DEMO=0" in done.stderr and "empty store" in done.stderr
    assert "admin" in done.stderr and (db.parent / "initial-admin-password.txt").exists()
    store = open_store()  # what the server opens
    assert store.path == db and demo_imports(store) == [] and _demo_left(db) == 0
    assert store.scalar("SELECT count(*) FROM accounts") == 1
    own = _import(db, "accidents", OWN_FILE)
    again = run_in_process("loaders", "demo", "--ensure")
    assert again.returncode == 0 and "no demo data" in again.stderr
    assert _demo_left(db) == 0 and _rows_of(db, [own]) == 12
    assert store.scalar("SELECT count(*) FROM accounts") == 1  # no second admin


def test_ensure_with_safety_demo_0_on_a_demo_store_says_how_to_remove_it(
    writable_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETY_DB", str(writable_db))
    monkeypatch.setenv("SAFETY_DEMO", "0")
    done = run_in_process("loaders", "demo", "--ensure")
    assert done.returncode == 0, done.stderr
    assert "still holds the demo records" in done.stderr and "loaders demo --remove" in done.stderr
    assert len(demo_imports(Store(writable_db))) == 5  # nothing removed without being asked


def test_ensure_builds_the_demo_store_once_with_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import loaders.demo
    from loaders.demo.ensure import ensure_store

    real = loaders.demo.build_demo_store
    built: list[Path] = []

    def small(path: Path) -> dict:
        built.append(path)
        return real(path, seed=DEMO_SEED, hazards=DEMO_HAZARDS // 10, today=DEMO_TODAY)

    monkeypatch.setattr(loaders.demo, "build_demo_store", small)
    db = tmp_path / "safety.duckdb"
    monkeypatch.setenv("SAFETY_DB", str(db))
    monkeypatch.delenv("SAFETY_DEMO", raising=False)
    out = io.StringIO()
    assert ensure_store(stream=out, progress_every_s=0.05) == db
    text = out.getvalue()
    assert "building the demo store" in text and "Demo store ready" in text and "正在生成演示数据" in text
    assert " s\n" in text  # the ticks while it builds
    assert "created the account 'admin'" in text
    assert len(demo_imports(Store(db))) == 5
    out = io.StringIO()
    ensure_store(stream=out, quiet=True)
    assert built == [db] and out.getvalue() == ""  # a second start: nothing built, nothing said


def test_the_quick_start_sample_imports_whole_and_the_brief_shows_it(tmp_path: Path) -> None:
    """The README's quick start imports docs/samples/accidents_sample.csv into an empty store and reads it on
    the Briefing for 2025 and 湖南省: every row is accepted and the brief counts them."""
    import json

    db = tmp_path / "own.duckdb"
    done = run_in_process("loaders", "import", "accidents", str(OWN_FILE), "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["new"], result["rejected"], result["rows_read"]) == (12, 0, 12)
    brief = run_in_process(
        "reports",
        "brief",
        "--period",
        "2025",
        "--region",
        "430000",
        "--db",
        str(db),
        "--format",
        "md",
        "--lang",
        "en",
        "--today",
        "2025-12-31",
    )
    assert brief.returncode == 0, brief.stderr
    assert "12 production-safety accidents and 15 deaths" in brief.stdout
    assert "药物混合工房爆炸" in brief.stdout  # the one 较大 accident, listed
