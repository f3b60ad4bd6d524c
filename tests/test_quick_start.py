"""The README starts with a short quick start whose commands and files exist, and the commands a newcomer
copies run without activating the venv (bash scripts/cli.sh …)."""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start() -> str:
    start = README.index("## Quick start")
    return README[start : README.index("\n## ", start + 1)]


def test_the_quick_start_comes_first_and_is_short() -> None:
    assert re.findall(r"^## .*", README, flags=re.M)[0].startswith("## Quick start")
    assert len(_quick_start().strip().splitlines()) <= 40


def test_the_quick_start_names_what_exists() -> None:
    text = _quick_start()
    for script in set(re.findall(r"bash (scripts/[\w.]+)", text)):
        assert (ROOT / script).is_file(), script
    for path in set(re.findall(r"`((?:docs|tests)/[\w./-]+)`", text)):
        assert (ROOT / path).is_file(), path
    for step in (
        "bash scripts/run.sh",
        "admin",
        "数据管理",
        "上传导入",
        "docs/samples/accidents_sample.csv",
        "loaders demo --remove",
        "SAFETY_DEMO=0",
        "docs/settings.md",
        "--port",
    ):
        assert step in text, step


def test_no_copyable_command_needs_an_activated_venv() -> None:
    """In the README's and docs/'s code blocks, loaders, reports and accounts are run as `bash scripts/cli.sh …`."""
    docs = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
    blocks = re.findall(r"```bash\n(.*?)```", README + docs, flags=re.S)
    bare = [
        line
        for block in blocks
        for line in block.splitlines()
        if re.match(r"\s*python3? -m (loaders|reports|accounts)\b", line)
    ]
    assert not bare, bare
