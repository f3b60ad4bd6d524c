"""parse_series (the vectorised column parser) gives exactly what parse_column gives with the same
parser: the same values and the same messages, for clean cells and for every odd one."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest

from loaders import parsing as p
from loaders.normalize import PARSERS

ODD = ["", " ", "-", "nan", "NULL", "ｎｕｌｌ", "无数据", None, float("nan"), True, "  x  ", "a\u3000b", "abc",
       "长沙 岳麓区", "ABCDEFGH", "ＡＢＣＤＥＦＧＨ", "-------", "1,234", "１２３", "3人", "-3", "3.5", "1e400", "inf",
       3, 3.0, 3.5, -1.0, 20240506, 20240506.0, 45000, 45000.25, "45000", "2024-05-06", "2024-5-6",
       "2024-02-30", "2024-02-29", "2023-02-29", "2024-05-06 14:30", "2024-05-06 25:30", "2024-05-06T14:30:15",
       "2024-05-06 14:61", "0999-01-01", "2024/5/6", "2024年5月6日", "20240506", "12.5万元", "5000元", "0.5",
       "00012", "123456789012345678", "112.93", "-0.5", "12345.6", dt.datetime(2024, 5, 6, 14, 30),
       dt.date(2024, 5, 6), pd.Timestamp("2024-05-06 01:02:03.5")]


@pytest.mark.parametrize("kind", ["id", "text", "date", "datetime", "count", "amount", "coord"])
@pytest.mark.parametrize("as_str", [False, True])
def test_parse_series_equals_parse_column(kind, as_str):
    values = pd.Series(ODD * 3, index=range(5, 5 + 3 * len(ODD)), dtype=object)
    if as_str:  # as a CSV gives them: text cells, pandas' str dtype
        values = values.map(lambda v: v if isinstance(v, str) else p.show(v) if v is not None and v == v else "")
        values = values.astype("str")
    for factor in ((1.0, 1e-4) if kind == "amount" else (1.0,)):
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
