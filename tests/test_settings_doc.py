"""docs/settings.md is the table settings.py makes, and every setting the code reads is in it."""

import re
import subprocess
import sys
from pathlib import Path

import settings

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "settings.md"
SKIP = {".venv", "tests", "data", "bench", ".git"}


def _code_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        if path.suffix in (".py", ".sh") and path.is_file() and not SKIP & set(path.relative_to(ROOT).parts):
            files.append(path)
    return files


def test_the_table_of_settings_is_generated_from_settings_py() -> None:
    assert DOC.read_text(encoding="utf-8") == settings.markdown(), (
        "docs/settings.md is stale: regenerate with `bash scripts/cli.sh settings --markdown > docs/settings.md`"
    )


def test_every_setting_has_a_row_with_its_default_and_meaning() -> None:
    text = DOC.read_text(encoding="utf-8")
    for s in settings.SETTINGS + settings.SCRIPT_SETTINGS:
        assert s.help.strip(), f"{s.name} has no meaning"
        default = f"`{s.default}`" if s.default else "(empty)"
        assert f"| `{s.name}` | {default} |" in text


def test_every_safety_variable_the_code_reads_is_a_declared_setting() -> None:
    declared = {s.name for s in settings.SETTINGS}
    used: dict[str, str] = {}
    for path in _code_files():
        for name in re.findall(r"\bSAFETY_[A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8", errors="replace")):
            used.setdefault(name, str(path.relative_to(ROOT)))
    missing = {name: where for name, where in used.items() if name not in declared}
    assert not missing, (
        f"read but not declared in settings.SETTINGS (add a Setting, then regenerate the doc): {missing}"
    )
    assert {"SAFETY_DB", "SAFETY_DEMO", "SAFETY_PORT", "SAFETY_ADDRESS"} <= used.keys()


def test_names_are_unique() -> None:
    names = [s.name for s in settings.SETTINGS + settings.SCRIPT_SETTINGS]
    assert len(names) == len(set(names))


def test_the_command_prints_the_table() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "settings", "--markdown"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == settings.markdown()


def test_the_readme_points_to_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/settings.md" in readme
