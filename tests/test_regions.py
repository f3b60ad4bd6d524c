"""Region resolution: codes, names, paths, short names, and never a guess."""

import pytest

from domain.regions import RegionError, children, hierarchy_columns, load_regions, resolve_region

CASES = [
    ("430000", "430000"),
    ("湖南省", "430000"),
    ("湖南", "430000"),
    ("长沙市", "430100"),
    ("长沙", "430100"),
    ("岳麓区", "430104"),
    ("长沙市岳麓区", "430104"),
    ("湖南省长沙市岳麓区", "430104"),
    ("湖南 长沙 岳麓区", "430104"),
    ("湖南省/长沙市/岳麓区", "430104"),
    ("浏阳市", "430181"),  # a county-level city
    ("南京市鼓楼区", "320106"),
    ("福州鼓楼区", "350102"),
    ("江苏省徐州市鼓楼区", "320302"),
    ("北京市", "110000"),
    ("北京", "110000"),
    ("北京市朝阳区", "110105"),
    ("重庆市渝中区", "500103"),
    ("仙桃市", "429004"),
    ("湖北省仙桃市", "429004"),  # 省直辖县级行政单位
    ("香港特别行政区", "810000"),
    ("澳门", "820000"),
    ("台湾省", "710000"),
    ("全国", "100000"),
    ("national", "100000"),
    ("China", "100000"),
    ("430104000000", "430104"),
    ("430104.0", "430104"),
    ("４３０１０４", "430104"),
    ("湘西土家族苗族自治州", "433100"),
    ("湘西", "433100"),
    ("内蒙古", "150000"),
    ("吉林", "220000"),  # the province, not 吉林市 inside it
    ("海南", "460000"),  # the province's short name wins over 海南藏族自治州's
    ("Changsha", "430100"),
    ("Hunan", "430000"),
    ("Shaanxi", "610000"),
    ("Shanxi", "140000"),
]


@pytest.mark.parametrize(("text", "code"), CASES)
def test_resolve_region(text: str, code: str) -> None:
    assert resolve_region(text) == code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "鼓楼区",
            r"'鼓楼区' is ambiguous: it could be 江苏省南京市鼓楼区 320106、江苏省徐州市鼓楼区 320302、"
            r"福建省福州市鼓楼区 350102、河南省开封市鼓楼区 410204",
        ),
        ("朝阳区", r"ambiguous: it could be 北京市朝阳区 110105、吉林省长春市朝阳区 220104"),
        ("火星市", r"'火星市' is not a known region"),
        ("999999", r"'999999' is not a known GB/T 2260 region code"),
        ("", r"region is empty"),
        ("湖南省鼓楼区", r"not a known region"),  # 鼓楼区 is not inside 湖南
    ],
)
def test_unknown_or_ambiguous_is_refused(text: str, message: str) -> None:
    with pytest.raises(RegionError, match=message):
        resolve_region(text)


def test_hierarchy_counts_and_exceptions() -> None:
    regions = load_regions()
    levels = [r.level for r in regions.values()]
    assert levels.count("province") == 34
    assert 2800 <= levels.count("county") <= 2900
    # 北京, 天津, 上海 and 重庆: districts directly under the municipality (issue 14, point 2); 110100
    # 北京市市辖区 is no unit of its own, and a file that writes it means the municipality
    assert regions["110105"].parent_code == "110000" and regions["110105"].city_code is None
    assert "110100" not in regions and resolve_region("110100") == "110000"
    assert [len(children(c)) for c in ("110000", "120000", "310000", "500000")] == [16, 16, 16, 38]
    assert regions["500103"].parent_code == "500000"
    assert regions["429004"].parent_code == "420000"  # 仙桃 directly under 湖北
    assert regions["429004"].level == "city"
    assert {c.code for c in children("430100")} >= {"430104", "430181"}


def test_hierarchy_columns() -> None:
    import pandas as pd

    got = hierarchy_columns(pd.Series(["430104", "430100", "430000", "100000", None], dtype="string"))
    assert got["region_level"].tolist()[:4] == ["county", "city", "province", "country"]
    assert got["province_code"].tolist()[:3] == ["430000", "430000", "430000"]
    assert got["city_code"].tolist()[:2] == ["430100", "430100"]
    assert got.iloc[4].isna().all()


def test_full_names_do_not_repeat_a_municipality() -> None:
    from domain.regions import region_name

    assert region_name("110000", full=True) == "北京市"
    assert region_name("110105", full=True) == "北京市朝阳区"
    assert region_name("430104", full=True) == "湖南省长沙市岳麓区"


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("430000", "Hunan"),
        ("430100", "Changsha"),
        ("430104", "Yuelu"),
        ("150000", "Inner Mongolia"),
        ("110105", "Chaoyang"),
        ("211300", "Chaoyang"),
        ("140400", "Changzhi"),
        ("141024", "Hongtong"),
        ("320116", "Luhe"),
        ("341621", "Guoyang"),
        ("371722", "Shanxian"),
        ("650400", "Turpan"),
        ("131025", "Daicheng"),
    ],
)
def test_english_names_read_place_names_as_places(code: str, english: str) -> None:
    from domain.regions import english_name

    assert english_name(code) == english


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("湘西州", "433100"),
        ("恩施州", "422800"),
        ("延边州", "222400"),
        ("黔东南州", "522600"),  # 自治州 as X州
        ("海淀", "110108"),
        ("岳麓", "430104"),  # a county without 区/县, when nothing larger has the name
        ("朝阳", "211300"),
        ("长沙", "430100"),
        ("吉林", "220000"),  # a short county name never shadows a city or province
    ],
)
def test_short_forms_in_everyday_use(text: str, code: str) -> None:
    assert resolve_region(text) == code


def test_an_ambiguous_short_county_name_names_the_candidates() -> None:
    with pytest.raises(RegionError, match=r"'鼓楼' is ambiguous: it could be 江苏省南京市鼓楼区 320106"):
        resolve_region("鼓楼")
