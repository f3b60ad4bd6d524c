"""bash scripts/cli.sh COMMAND …: the command line without activating the venv, from any directory."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CLI = ROOT / "scripts" / "cli.sh"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # No venv on the PATH, no VIRTUAL_ENV: as a new user's shell.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(["bash", str(CLI), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", ["loaders", "reports", "accounts", "settings", "bench"])
def test_every_command_answers_help_from_another_directory(command: str, tmp_path: Path) -> None:
    done = _cli(command, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m ") and command in done.stdout.splitlines()[0]


def test_a_relative_file_is_the_callers_and_stdout_is_the_commands(tmp_path: Path) -> None:
    shutil.copy(ROOT / "docs" / "samples" / "accidents_sample.csv", tmp_path / "mine.csv")
    done = _cli("loaders", "import", "accidents", "mine.csv", "--db", "own.duckdb", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 12  # nothing but the command's JSON on stdout
    assert (tmp_path / "own.duckdb").exists()
    status = _cli("loaders", "status", "--db", "own.duckdb", cwd=tmp_path)
    assert status.returncode == 0 and "accidents_sample.csv" not in status.stdout and "mine.csv" in status.stdout


def test_help_and_an_unknown_command(tmp_path: Path) -> None:
    usage = _cli("--help", cwd=tmp_path)
    assert usage.returncode == 0 and "loaders" in usage.stdout and "demo --remove" in usage.stdout
    bad = _cli("import", "accidents", "x.csv", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown command 'import'" in bad.stderr
    assert _cli(cwd=tmp_path).returncode == 2
