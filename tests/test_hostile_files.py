"""Files built to hurt the reader: each is refused with exit 2 and one line naming what was found and what
was expected, the process that asked (the CLI, or this test process standing for the dashboard) lives on,
nothing is written, and a normal file still imports afterwards. Every file is made here, small."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import run_in_process

from loaders.decoding import SCAN_BYTES
from loaders.importer import import_file, list_sheets, preview_file
from loaders.read_errors import MESSAGE_LIMIT, ReadError, one_line
from store import open_store

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
HEADER = "发生时间,地区,行业领域,死亡人数"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m loaders <args>`` through its ``main`` in this process (the file is still read in a reading
    process of its own, within the limits: loaders.sandbox)."""
    return run_in_process("loaders", *args, env=env)


def run_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m loaders <args>`` as a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def refused(
    path: Path,
    tmp_path: Path,
    needle: str,
    kind: str = "accidents",
    env: dict[str, str] | None = None,
    process: bool = False,
) -> str:
    """Import ``path`` with the CLI (``process``: as a process of its own): exit 2, one line holding ``needle``,
    no store made. The line."""
    db = tmp_path / "hostile.duckdb"
    done = (run_process if process else run_cli)("import", kind, str(path), "--db", str(db), env=env)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert needle in lines[0], lines[0]
    assert len(lines[0]) <= MESSAGE_LIMIT + len("error: ")
    assert not db.exists()  # nothing written, not even an empty store
    return lines[0]


def _xlsx(path: Path, sheet_xml: str, compress: bool = True) -> Path:
    """A minimal workbook of one sheet 'Sheet1' whose worksheet XML is ``sheet_xml``."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def _sheet(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>'
    )


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _ledger_rows(n: int, first: int = 2) -> str:
    row = (
        '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2024-05-06</t></is></c><c r="B{r}" t="inlineStr"><is><t>'
        '长沙市岳麓区</t></is></c><c r="C{r}" t="inlineStr"><is><t>工贸</t></is></c><c r="D{r}"><v>1</v></c></row>'
    )
    return "".join(row.format(r=r) for r in range(first, first + n))


HEADER_ROW = (
    '<row r="1">' + "".join(_cell(f"{c}1", h) for c, h in zip("ABCD", HEADER.split(","), strict=True)) + "</row>"
)


# ---------------------------------------------------------------- spreadsheets


def test_two_cells_at_the_corners_of_a_sheet(tmp_path: Path) -> None:
    """A1 and XFD1048576: 1.7 KB that made the Excel reader ask for 512 GiB and abort the process."""
    f = _xlsx(
        tmp_path / "corner.xlsx",
        _sheet(HEADER_ROW + '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>", "A1:XFD1048576"),
    )
    assert f.stat().st_size < 4096
    refused(
        f,
        tmp_path,
        "too large to read: corner.xlsx: sheet 'Sheet1' has cells from A1 to XFD1048576 "
        "(1,048,576 rows × 16,384 columns); at most 1,000 columns are read (SAFETY_MAX_COLUMNS)",
    )
    with pytest.raises(ReadError, match="too large to read: corner.xlsx") as caught:
        preview_file(f, "accidents")  # here, in this process (the dashboard's): it lives on
    assert caught.value.zh.startswith("文件过大，无法读取：corner.xlsx：工作表“Sheet1”的单元格从 A1 到 XFD1048576")


def test_a_corner_cell_the_check_cannot_see_is_stopped_by_the_memory_limit(tmp_path: Path) -> None:
    """Cells without a reference (placed by their order) escape the scan of the sheet; the reading process
    then asks for the whole grid and is stopped at its memory limit, not the process that asked (here
    ``python -m loaders`` as a process of its own; the other CLI tests of this module call its ``main`` in
    this process)."""
    corner = '<row r="1048576">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 16_384 + "</row>"
    f = _xlsx(tmp_path / "unreferenced.xlsx", _sheet(HEADER_ROW + corner))
    line = refused(
        f,
        tmp_path,
        "too large to read: unreferenced.xlsx: reading needed more than 4,096 MB of memory (SAFETY_READ_MEMORY_MB)",
        process=True,
    )
    assert "memory allocation of" in line  # what the reader said as it stopped
    with pytest.raises(ReadError, match="too large to read: unreferenced.xlsx: reading needed more than"):
        preview_file(f, "accidents")


def test_a_sheet_that_expands_to_millions_of_rows(tmp_path: Path) -> None:
    """A few hundred KB that expand to a sheet claiming 8,000,000 rows (the measured bomb: 6.6 MB → 8 M rows,
    5 minutes and 7.8 GB before a traceback): refused from its dimension, before it is read."""
    rows = _ledger_rows(SCAN_BYTES // 200)  # more XML than is scanned, so its <dimension> is believed
    assert len(rows.encode()) > SCAN_BYTES
    f = _xlsx(tmp_path / "bomb.xlsx", _sheet(HEADER_ROW + rows, "A1:J8000000"))
    assert f.stat().st_size < 2 * 2**20
    refused(
        f,
        tmp_path,
        "too large to read: bomb.xlsx: sheet 'Sheet1' has cells from A1 to J8000000 (8,000,000 rows "
        "× 10 columns), about 15,259 MB to read; at most 4,096 MB (SAFETY_READ_MEMORY_MB)",
    )


def test_a_part_that_expands_past_the_memory_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = _xlsx(tmp_path / "zipbomb.xlsx", _sheet(HEADER_ROW + _ledger_rows(20_000)))
    line = refused(
        f,
        tmp_path,
        "too large to read: zipbomb.xlsx: xl/worksheets/sheet1.xml expands to",
        env={"SAFETY_READ_MEMORY_MB": "16"},
    )
    assert "at most 16 MB (SAFETY_READ_MEMORY_MB)" in line
    monkeypatch.setenv("SAFETY_READ_MEMORY_MB", "16")
    with pytest.raises(ReadError, match="too large to read: zipbomb.xlsx: xl/worksheets/sheet1.xml expands to"):
        list_sheets(f)  # the page lists the sheets first: refused there already


def test_reading_past_the_time_limit(tmp_path: Path) -> None:
    f = _xlsx(tmp_path / "slow.xlsx", _sheet(HEADER_ROW + _ledger_rows(200_000)))
    refused(
        f,
        tmp_path,
        "too large to read: slow.xlsx: reading took more than 0.5 s (SAFETY_READ_SECONDS)",
        env={"SAFETY_READ_SECONDS": "0.5"},
    )


def test_a_formatted_empty_cell_far_away_is_not_a_reason_to_refuse(tmp_path: Path) -> None:
    """Excel writes <c r="XFD9" s="1"/> for a cell that was only formatted: the dimension says A1:XFD…, the
    cells with a value are A1:D3. Read as usual."""
    far = '<row r="1048576"><c r="XFD1048576" s="1"/><c r="XFC1048576" s="1"></c></row>'
    f = _xlsx(tmp_path / "formatted.xlsx", _sheet(HEADER_ROW + _ledger_rows(2) + far, "A1:XFD1048576"))
    preview = preview_file(f, "accidents")
    assert len(preview.normalized.accepted) == 2


# ---------------------------------------------------------------- CSV


def test_a_csv_line_of_a_million_columns(tmp_path: Path) -> None:
    """2 MB, one line of a million commas: 5 minutes at 6–7 GB before, and no message."""
    f = tmp_path / "wide.csv"
    f.write_text(
        HEADER + "\n2024-05-06,长沙市岳麓区,工贸,1\n2024-05-07,长沙市" + "," * 1_000_000 + "x\n", encoding="utf-8"
    )
    refused(
        f,
        tmp_path,
        "too large to read: wide.csv: line 3 has 1,000,002 columns; at most 1,000 are read (SAFETY_MAX_COLUMNS)",
    )


def test_a_wide_line_far_down_and_in_the_header_rows(tmp_path: Path) -> None:
    rows = "".join(f"2024-05-{i % 28 + 1:02d},长沙市岳麓区,工贸,{i % 3}\n" for i in range(200))
    far = tmp_path / "far.csv"
    far.write_text(HEADER + "\n" + rows + "2024-05-07,长沙市" + ",x" * 5_000 + "\n" + rows, encoding="utf-8")
    refused(far, tmp_path, "too large to read: far.csv: line 202 has 5,002 columns; at most 1,000 are read")
    top = tmp_path / "top.csv"
    top.write_text("填报单位" + "," * 3_000 + "\n" + HEADER + "\n" + rows, encoding="utf-8")
    refused(top, tmp_path, "too large to read: top.csv: line 1 has 3,001 columns; at most 1,000 are read")
    assert (
        run_cli(
            "import", "accidents", str(top), "--db", str(tmp_path / "ok.duckdb"), env={"SAFETY_MAX_COLUMNS": "5000"}
        ).returncode
        == 0
    )


def test_a_nul_byte_anywhere(tmp_path: Path) -> None:
    rows = [f"2024-05-{i % 28 + 1:02d},长沙市岳麓区,工贸,{i % 3}" for i in range(300)]
    rows[250] = "2024-05-06,长沙市\x00岳麓区,工贸,1"
    f = tmp_path / "nul.csv"
    f.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    refused(f, tmp_path, "nul.csv: line 252 has a NUL byte (byte ")
    with pytest.raises(ReadError, match="expected UTF-8 or GBK text, not UTF-16 or a binary file") as caught:
        preview_file(f, "accidents")
    assert "第 252 行含有 NUL 字节" in caught.value.zh


@pytest.mark.parametrize("mostly", ["gbk", "utf-8"])
def test_a_file_that_mixes_encodings(tmp_path: Path, mostly: str) -> None:
    """Lines pasted from a UTF-8 file into a GBK one (or the other way): refused, not stored as mojibake."""
    lines = [HEADER, *(f"2024-05-{d:02d},湖南省长沙市岳麓区,工贸,1" for d in range(1, 20))]
    other = "gbk" if mostly == "utf-8" else "utf-8"
    data = b"".join((line.encode(other if i == 7 else mostly) + b"\n") for i, line in enumerate(lines))
    f = tmp_path / "mixed.csv"
    f.write_bytes(data)
    expected = (
        "line 1 is GBK/GB18030, line 8 UTF-8" if mostly == "gbk" else "line 8 is GBK/GB18030, lines 1, 2, 3 UTF-8"
    )
    refused(
        f,
        tmp_path,
        f"mixed.csv mixes encodings: {expected} (expected one encoding for the whole file: save it "
        "again as UTF-8 or as GBK)",
    )


def test_gbk_text_alone_is_not_taken_for_a_mix(tmp_path: Path) -> None:
    f = tmp_path / "gbk.csv"
    f.write_bytes(
        (
            HEADER + "\n" + "".join(f"2024-05-{d:02d},湖南省长沙市岳麓区,危险化学品,{d % 3}\n" for d in range(1, 29))
        ).encode("gbk")
    )
    assert len(preview_file(f, "accidents").normalized.accepted) == 28


# ---------------------------------------------------------------- the rest of the contract


def test_a_locked_store_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store another process holds past the wait: exit 2 and one line, not a StoreBusy traceback."""
    from loaders import cli, importer
    from store import StoreBusy

    def busy(*args: object, **kwargs: object) -> None:
        raise StoreBusy("the store t.duckdb is locked by another process (an import?) for more than 30 s")

    monkeypatch.setattr(importer, "import_file", busy)
    assert (
        cli.main(["import", "accidents", str(DATA / "accidents_hunan_gbk.csv"), "--db", str(tmp_path / "t.duckdb")])
        == 2
    )
    err = capsys.readouterr().err
    assert err == "error: the store t.duckdb is locked by another process (an import?) for more than 30 s\n"


def test_a_message_stays_one_line() -> None:
    long = "line one\nline two\t" + "长" * 5_000
    exc = ReadError(long, zh=long)
    assert "\n" not in str(exc) and "\n" not in exc.zh
    assert len(str(exc)) == MESSAGE_LIMIT and str(exc).endswith("…")
    assert str(exc).startswith("line one line two 长") and one_line("a\r\nb") == "a b"


def test_bad_limits_are_refused_with_the_setting_named(tmp_path: Path) -> None:
    done = run_cli(
        "import",
        "accidents",
        str(DATA / "accidents_hunan_gbk.csv"),
        "--db",
        str(tmp_path / "x.duckdb"),
        env={"SAFETY_READ_SECONDS": "soon"},
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: SAFETY_READ_SECONDS='soon' is not a number of seconds (expected a positive number, e.g. 120)"
    )


def test_after_the_hostile_files_a_normal_file_still_imports(tmp_path: Path) -> None:
    corner = _xlsx(tmp_path / "corner.xlsx", _sheet(HEADER_ROW + '<row r="9">' + _cell("XFD9", "x") + "</row>"))
    with pytest.raises(ReadError, match="too large to read"):
        preview_file(corner, "accidents")
    store = open_store(tmp_path / "after.duckdb")
    result = import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    assert result.new > 0 and result.rows_read == 12
    done = run_cli("import", "accidents", str(DATA / "accidents_hunan_titled.xlsx"), "--db", str(tmp_path / "c.duckdb"))
    assert done.returncode == 0, done.stderr


def test_the_command_lines_import_and_undo_are_audited(tmp_path: Path) -> None:
    """python -m loaders import / undo write who (cli:<user>), what and on what into the audit trail."""
    from store import Store

    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "事故编号,发生时间,所在地区,行业,单位,死亡人数\nA1,2024-03-05 10:00,长沙市,建筑施工,某公司,1\n",
        encoding="utf-8",
    )
    db = tmp_path / "a.duckdb"
    env = {"SAFETY_DEMO": "0"}
    run = run_cli("import", "accidents", str(ledger), "--db", str(db), "--json", env=env)
    assert run.returncode == 0, run.stderr
    import_id = json.loads(run.stdout)["import_id"]
    run = run_cli("undo", import_id, "--db", str(db), env=env)
    assert run.returncode == 0, run.stderr
    trail = Store(db).query("SELECT actor, action, target, detail, client FROM audit_log ORDER BY happened_at")
    assert trail["action"].tolist() == ["import", "undo"]
    assert trail["target"].tolist() == [import_id, import_id]
    assert all(a.startswith("cli") for a in trail["actor"]) and "ledger.csv" in trail["detail"].iloc[0]
