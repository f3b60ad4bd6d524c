"""parse_series (the vectorised column parser) gives exactly what parse_column gives with the same
parser: the same values and the same messages, for clean cells and for every odd one."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest

from loaders import parsing as p
from loaders.normalize import PARSERS

ODD = [
    "",
    " ",
    "-",
    "nan",
    "NULL",
    "ｎｕｌｌ",
    "无数据",
    None,
    float("nan"),
    True,
    "  x  ",
    "a\u3000b",
    "abc",
    "长沙 岳麓区",
    "ABCDEFGH",
    "ＡＢＣＤＥＦＧＨ",
    "-------",
    "1,234",
    "１２３",
    "3人",
    "-3",
    "3.5",
    "1e400",
    "inf",
    3,
    3.0,
    3.5,
    -1.0,
    20240506,
    20240506.0,
    45000,
    45000.25,
    "45000",
    "2024-05-06",
    "2024-5-6",
    "2024-02-30",
    "2024-02-29",
    "2023-02-29",
    "2024-05-06 14:30",
    "2024-05-06 25:30",
    "2024-05-06T14:30:15",
    "2024-05-06 14:61",
    "0999-01-01",
    "2024/5/6",
    "2024年5月6日",
    "20240506",
    "12.5万元",
    "5000元",
    "0.5",
    "00012",
    "123456789012345678",
    "112.93",
    "-0.5",
    "12345.6",
    dt.datetime(2024, 5, 6, 14, 30),
    dt.date(2024, 5, 6),
    pd.Timestamp("2024-05-06 01:02:03.5"),
    # ISO dates the column-wise rule must leave to the parser (its message), or read as it does
    "2024-13-01",
    "2024-00-10",
    "2024-05-00",
    "2024-04-31",
    "1899-12-31",
    "1900-01-01",
    "2200-12-31",
    "2201-01-01",
    "2024-05-06 24:00",
    "2024-05-06 23:59:59",
    "2024-05-06 23:59:60",
    "2024-05-06T00:00",
    "2100-02-29",
    "2000-02-29",
    "2024-05-06 ",
    " 2024-05-06",
    "２０２４-05-06",
    "2024-05-06 14:30:15.5",
]


@pytest.mark.parametrize("kind", ["id", "text", "date", "datetime", "count", "amount", "coord"])
@pytest.mark.parametrize(
    ("as_str", "by_row"), [(False, False), (True, False), (True, True)], ids=["objects", "csv-text", "csv-text-by-row"]
)
def test_parse_series_equals_parse_column(kind, as_str, by_row, monkeypatch):
    # by_row: the rule runs on the rows (as for a column of mostly distinct values), not their distinct values
    monkeypatch.setattr(p, "_mostly_distinct", lambda arr: by_row)
    values = pd.Series(ODD * 3, index=range(5, 5 + 3 * len(ODD)), dtype=object)
    if as_str:  # as a CSV gives them: text cells, pandas' str dtype
        values = values.map(lambda v: v if isinstance(v, str) else p.show(v) if v is not None and v == v else "")
        values = values.astype("str")
    for factor in (1.0, 1e-4) if kind == "amount" else (1.0,):
        parser = functools.partial(p.parse_amount, header_factor=factor) if kind == "amount" else PARSERS[kind]
        old_v, old_e = p.parse_column(values, parser)
        new_v, new_e = p.parse_series(values, kind, parser, factor)
        assert new_e.tolist() == old_e.tolist()
        assert new_v.isna().tolist() == old_v.isna().tolist()
        if kind in ("date", "datetime"):
            expected = pd.to_datetime(old_v, errors="coerce")
            pd.testing.assert_series_equal(new_v, expected)
        elif kind in ("count", "amount", "coord"):
            got = [None if pd.isna(v) else v for v in new_v.tolist()]
            want = [None if v is None else v for v in old_v.tolist()]
            assert got == want
            assert all(type(g) is type(w) for g, w in zip(got, want, strict=True) if w is not None) or kind != "count"
        else:
            assert new_v.astype("string").tolist() == old_v.astype("string").tolist()


OTHER = [
    "430104",
    "岳麓区",
    "长沙市岳麓区",
    "湖南",
    "鼓楼区",
    "不存在的地方",
    "全国",
    "危化",
    "煤矿",
    "工贸",
    "非煤",
    "火星",
    "是",
    "否",
    "√",
    "x",
    "1",
    "0",
    "2017",
    "2017年3月",
    "201703",
    "2017-13",
    "未整改",
    "已销号",
    "验收不通过",
    "完成",
    "一般",
    "较大",
    "特别重大",
    "重大隐患",
    "94.5%",
    "0.945",
    "abc",
    "",
    " ",
    "-",
    None,
    3,
    2024.0,
    True,
]


@pytest.mark.parametrize(
    "kind",
    [
        "region",
        "industry",
        "flag",
        "period",
        "year",
        "hazard_status",
        "accident_grade",
        "hazard_grade",
        "rate",
        "supervision",
        "accident_type",
    ],
)
@pytest.mark.parametrize("as_str", [False, True], ids=["objects", "csv-text"])
def test_other_types_equal_parse_column(kind, as_str):
    """The types without a column-wise rule: the same values and messages, text as strings."""
    values = pd.Series(OTHER * 2, index=range(3, 3 + 2 * len(OTHER)), dtype=object)
    if as_str:
        values = values.map(lambda v: v if isinstance(v, str) else p.show(v) if v is not None else "").astype("str")
    old_v, old_e = p.parse_column(values, PARSERS[kind])
    new_v, new_e = p.parse_series(values, kind, PARSERS[kind])
    assert new_e.tolist() == old_e.tolist()
    assert [None if pd.isna(v) else v for v in new_v.tolist()] == [None if v is None else v for v in old_v.tolist()]


@pytest.mark.parametrize(
    "kind", ["id", "text", "date", "datetime", "count", "amount", "coord", "period", "year", "region", "flag"]
)
def test_a_column_of_workbook_numbers(kind):
    """A sheet's column of numbers comes as float64 (an empty cell NaN): the same values and messages as
    those numbers as Python objects."""
    numbers = [
        3.0,
        0.0,
        -0.0,
        -1.0,
        2.5,
        float("nan"),
        20240506.0,
        45000.0,
        45000.25,
        2024.0,
        430104.0,
        1.0,
        1e400,
        202403.0,
        112.93,
    ]
    values = pd.Series(numbers * 2, index=range(4, 4 + 2 * len(numbers)), dtype="float64")
    parser = PARSERS[kind]
    old_v, old_e = p.parse_column(values.astype(object), parser)
    new_v, new_e = p.parse_series(values, kind, parser)
    assert new_e.tolist() == old_e.tolist()
    got = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in new_v.tolist()]
    want = [None if v is None else v for v in old_v.tolist()]
    if kind in ("date", "datetime"):
        want = [None if v is None else pd.Timestamp(v) for v in want]
        got = [None if v is None else pd.Timestamp(v) for v in got]
    assert got == want
