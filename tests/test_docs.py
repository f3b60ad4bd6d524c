"""The README and docs/ document what the code does: the format tables (docs/input-formats.md) are the schema's own."""

from pathlib import Path

from loaders.schema import KINDS, TYPES, markdown_all

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
FORMATS = (Path(__file__).parent.parent / "docs" / "input-formats.md").read_text(encoding="utf-8")


def test_readme_formats_are_generated_from_the_schema() -> None:
    start = FORMATS.index("<!-- schema:start -->\n") + len("<!-- schema:start -->\n")
    end = FORMATS.index("<!-- schema:end -->")
    assert FORMATS[start:end].strip() == markdown_all().strip(), (
        "docs/input-formats.md formats are stale: regenerate with `bash scripts/cli.sh loaders schema --markdown`"
    )


def test_every_column_and_type_is_documented() -> None:
    for kind in KINDS.values():
        assert f"`{kind.name}`" in FORMATS
        for col in kind.columns:
            assert col.type in TYPES, f"{kind.name}.{col.name} has undocumented type {col.type}"


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "bash scripts/run.sh" in README and "bash scripts/test.sh" in README
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
