"""The loaders' row-level messages in Chinese (loaders.messages_zh.to_zh).

Three checks: a table of real English messages (copied from the importer's output) and their exact
Chinese; a sweep of the loaders' and domain modules' source for every English message template,
each of which must have a case in the table; and real imports of files with every kind of bad value,
after which no reason, note or skipped row may still read as English.
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import as_shown
from streamlit.testing.v1 import AppTest
from test_data_page import empty_store  # noqa: F401 (a fixture: the app on a store of its own)
from test_pages_apptest import _exceptions

from loaders import messages_zh
from loaders.importer import import_file, preview_file, write_rejects
from loaders.messages_zh import to_zh
from store import Store, open_store

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"

_DATES = "(expected e.g. 2024-05-06, 2024/5/6, 2024.05.06, 2024年5月6日 or an Excel date)"
_DATES_ZH = "（应为 2024-05-06、2024/5/6、2024.05.06、2024年5月6日 等格式或 Excel 日期）"
_GULOU = "江苏省南京市鼓楼区 320106、江苏省徐州市鼓楼区 320302、福建省福州市鼓楼区 350102、河南省开封市鼓楼区 410204"
_INDUSTRIES = "煤矿、金属非金属矿山、危险化学品、烟花爆竹、建筑施工、工贸、火灾、道路运输、水上运输、铁路运输、民航、渔业船舶、农业机械、特种设备、城镇燃气、其他"
_TYPES = (
    "物体打击、车辆伤害、机械伤害、起重伤害、触电、淹溺、灼烫、火灾、高处坠落、坍塌、冒顶片帮、透水、放炮、火药爆炸、瓦斯爆炸、"
    "锅炉爆炸、容器爆炸、其他爆炸、中毒和窒息、其他伤害"
)

# (English as the loaders write it, Chinese as the page shows it)
CASES: list[tuple[str, str]] = [
    # ------------------------------------------------ reasons: loaders/parsing.py
    (
        f"row 10, column 发生时间: '2024-13-05' is not a date: no such day {_DATES}",
        f"第 10 行，“发生时间”列：“2024-13-05”不是有效日期：没有这一天{_DATES_ZH}",
    ),
    (f"row 4, column 发生时间: '昨天' is not a date {_DATES}", f"第 4 行，“发生时间”列：“昨天”不是日期{_DATES_ZH}"),
    (
        "row 6, column 死亡人数: '3.5' is not a whole number (expected e.g. 3 or 1,234)",
        "第 6 行，“死亡人数”列：“3.5”不是整数（应如 3 或 1,234）",
    ),
    (
        "row 13, column 死亡人数（人）: '-1' is negative (expected a count of 0 or more)",
        "第 13 行，“死亡人数（人）”列：“-1”是负数（应为 0 或更大的整数）",
    ),
    (
        "row 13, column 直接经济损失（元）: '很多' is not a number (expected e.g. 12.5, 1,234.5, 5000元 or 1.2亿)",
        "第 13 行，“直接经济损失（元）”列：“很多”不是数字（应如 12.5、1,234.5、5000元 或 1.2亿）",
    ),
    (
        "row 14, column 直接经济损失（元）: '-5' is not a non-negative number (expected e.g. 12.5)",
        "第 14 行，“直接经济损失（元）”列：“-5”不是非负数（应如 12.5）",
    ),
    (
        "row 4, column 一般隐患整改率: '很高' is not a percentage (expected e.g. 94.5%)",
        "第 4 行，“一般隐患整改率”列：“很高”不是百分比（应如 94.5%）",
    ),
    (
        "row 15, column 经度: '东经112' is not a coordinate in decimal degrees (expected e.g. 112.93)",
        "第 15 行，“经度”列：“东经112”不是以十进制度数表示的坐标（应如 112.93）",
    ),
    (
        "row 6, column 统计期间: '2024-13' is not a period (expected a year such as 2017 or a month such as 2017-03)",
        "第 6 行，“统计期间”列：“2024-13”不是统计期间（应为年份如 2017，或月份如 2017-03）",
    ),
    (
        "row 2, column 年度: '2024-03' is not a year (expected e.g. 2024, 2024年 or 2024年度)",
        "第 2 行，“年度”列：“2024-03”不是年份（应如 2024、2024年 或 2024年度）",
    ),
    # ------------------------------------------------ reasons: values from domain/*
    (
        "row 7, column 措施到位: '也许' is not a yes/no flag (expected 是/否, √/×, yes/no or 1/0)",
        "第 7 行，“措施到位”列：“也许”不是“是/否”标记（应为 是/否、√/×、yes/no 或 1/0）",
    ),
    (
        "row 10, column 隐患级别: '特大' is not a hazard grade (expected 一般 or 重大)",
        "第 10 行，“隐患级别”列：“特大”不是有效的隐患级别（应为 一般或重大）",
    ),
    (
        "row 5, column 整改状态: '乱写的状态' is not a hazard status (expected 未整改, 整改中, 已整改, 已验收, 已销号 or 验收不通过)",
        "第 5 行，“整改状态”列：“乱写的状态”不是有效的整改状态（应为 未整改、整改中、已整改、已验收、已销号或验收不通过）",
    ),
    (
        "row 5, column 隐患来源: '路人' is not a hazard source (expected 企业自查, 执法检查, 举报 or 专家)",
        "第 5 行，“隐患来源”列：“路人”不是有效的隐患来源（应为 企业自查、执法检查、举报或专家）",
    ),
    (
        "row 6, column 挂牌督办: '国家级' is not a supervision level (expected 无, 县级, 市级 or 省级)",
        "第 6 行，“挂牌督办”列：“国家级”不是有效的挂牌督办级别（应为 无、县级、市级或省级）",
    ),
    (
        f"row 11, column 地区: '鼓楼区' is ambiguous: it could be {_GULOU}; write the city too, e.g. 江苏省南京市鼓楼区",
        f"第 11 行，“地区”列：“鼓楼区”有歧义：可能是 {_GULOU}；请连同所属的市一起填写，如 江苏省南京市鼓楼区",
    ),
    # a name read within the region of the file's title or of --region
    (
        f"row 5, column 所在区县: '鼓楼区' is ambiguous: it could be {_GULOU}; none of them is in 湖南省长沙市 430100 (the "
        "region of the file's title or of --region)",
        f"第 5 行，“所在区县”列：“鼓楼区”有歧义：可能是 {_GULOU}；但都不在 湖南省长沙市 430100 之内（该地区取自文件的标题或导入时"
        "指定的地区）",
    ),
    (
        "row 3, column 所在区县: '岳麓区' (湖南省长沙市岳麓区 430104) is not in 福建省福州市 350100 (the region of the file's "
        "title or of --region)",
        "第 3 行，“所在区县”列：“岳麓区”（湖南省长沙市岳麓区 430104）不在 福建省福州市 350100 之内（该地区取自文件的标题或导入时"
        "指定的地区）",
    ),
    (
        "row 4, column 所在区县: '城区' is ambiguous within 山西省 140000: it could be 山西省阳泉市城区 140302、山西省晋城市城区 140502",
        "第 4 行，“所在区县”列：“城区”在 山西省 140000 之内有歧义：可能是 山西省阳泉市城区 140302、山西省晋城市城区 140502",
    ),
    (
        "row 7, column 地区: '火星市' is not a known region (expected a full name such as 湖南省长沙市岳麓区, a short name "
        "such as 湖南, or a six-digit code)",
        "第 7 行，“地区”列：“火星市”不是已知的地区（应为全称如 湖南省长沙市岳麓区、简称如 湖南，或六位区划代码）",
    ),
    (
        "row 4, column 行业领域: '煤矿、非煤矿山' names 2 industries (煤矿、金属非金属矿山): expected one industry per row "
        "(split the row, or write the industry it belongs to)",
        "第 4 行，“行业领域”列：“煤矿、非煤矿山”包含 2 个行业领域（煤矿、金属非金属矿山）：每行只能填一个行业领域"
        "（请拆分该行，或只填写其所属的行业领域）",
    ),
    (
        "row 9, column 地区: '999999' is not a known GB/T 2260 region code",
        "第 9 行，“地区”列：“999999”不是已知的 GB/T 2260 行政区划代码",
    ),
    (
        "region is empty (expected a name such as 湖南省长沙市岳麓区 or a code such as 430104)",
        "地区为空（应为名称如 湖南省长沙市岳麓区，或代码如 430104）",
    ),
    (
        f"row 12, column 行业领域: '游乐设施' is not a known industry (expected one of {_INDUSTRIES}, "
        "their codes or aliases)",
        f"第 12 行，“行业领域”列：“游乐设施”不是已知的行业领域（应为 {_INDUSTRIES} 之一，或其代码、别名）",
    ),
    (
        "row 12, column 事故等级: '超级大' is not an accident grade (expected one of 一般, 较大, 重大, 特别重大 or general, "
        "larger, major, extraordinary)",
        "第 12 行，“事故等级”列：“超级大”不是事故等级（应为 一般、较大、重大、特别重大 之一，或 general、larger、major、"
        "extraordinary）",
    ),
    (
        f"row 11, column 事故类型: '乱写' is not a GB 6441 accident type (expected one of {_TYPES})",
        f"第 11 行，“事故类型”列：“乱写”不是 GB 6441 规定的事故类型（应为 {_TYPES} 之一）",
    ),
    # ------------------------------------------------ reasons: loaders/normalize.py
    (
        "row 10, column 死亡人数控制指标（人）: is empty (a value is required)",
        "第 10 行，“死亡人数控制指标（人）”列：为空（此列必填）",
    ),
    (
        "row 16, column 经度: 200.0 is outside China (expected 73–136); row 16, column 纬度: 80.0 is outside China "
        "(expected 3–54)",
        "第 16 行，“经度”列：200.0 不在中国境内（应在 73–136 之间）；第 16 行，“纬度”列：80.0 不在中国境内（应在 3–54 之间）",
    ),
    (
        "row 7, column 整改完成日期: 2024-05-01 is before 发现日期 2024-05-10 (rectified before it was found is impossible)",
        "第 7 行，“整改完成日期”列：2024-05-01 早于“发现日期” 2024-05-10（不可能在发现之前完成整改）",
    ),
    (
        "row 8, column 验收日期: 2024-06-01 is before 整改完成日期 2024-07-01 (acceptance before rectification is "
        "impossible)",
        "第 8 行，“验收日期”列：2024-06-01 早于“整改完成日期” 2024-07-01（不可能在整改完成之前验收）",
    ),
    (
        "row 10, column 整改期限: 2024-04-01 is before 发现日期 2024-05-01 (a deadline before the hazard was found is "
        "impossible)",
        "第 10 行，“整改期限”列：2024-04-01 早于“发现日期” 2024-05-01（整改期限不可能早于发现隐患）",
    ),
    (
        "row 11, column 验收日期: accepted but 整改完成日期 is empty (acceptance needs a rectification first)",
        "第 11 行，“验收日期”列：已验收，但“整改完成日期”为空（须先完成整改才能验收）",
    ),
    (
        "row 7, column 事故起数: fewer accidents than 较大 + 重特大 accidents together (impossible); row 7, column 死亡人数: "
        "fewer deaths than 较大 + 重特大 deaths together (impossible)",
        "第 7 行，“事故起数”列：事故起数少于较大事故与重特大事故起数之和（不可能）；第 7 行，“死亡人数”列：死亡人数少于较大事故与"
        "重特大事故死亡人数之和（不可能）",
    ),
    (
        "row 4, column 事故起数: fewer accidents than 较大 accidents (impossible)",
        "第 4 行，“事故起数”列：起数少于较大事故起数（不可能）",
    ),
    (
        "row 4, column 事故起数: fewer accidents than 重特大 accidents (impossible)",
        "第 4 行，“事故起数”列：起数少于重特大事故起数（不可能）",
    ),
    (
        "row 4, column 死亡人数: fewer deaths than 较大 deaths (impossible); row 5, column 死亡人数: fewer deaths than "
        "重特大 deaths (impossible)",
        "第 4 行，“死亡人数”列：死亡人数少于较大事故死亡人数（不可能）；第 5 行，“死亡人数”列：死亡人数少于重特大事故死亡人数（不可能）",
    ),
    (
        "row 5, column 事故起数: no figure in this row (事故起数, 死亡人数, 较大事故起数, 较大事故死亡人数, 重特大事故起数, "
        "重特大事故死亡人数 are all empty or not released; expected at least one number)",
        "第 5 行，“事故起数”列：本行没有任何数字（“事故起数”、“死亡人数”、“较大事故起数”、“较大事故死亡人数”、“重特大事故起数”、"
        "“重特大事故死亡人数”均为空或未公布；至少应有一项数字）",
    ),
    (
        "columns not in the file, stored as unknown (not released), not as 0: 较大事故起数, 重特大事故起数",
        "文件中没有这些列，按未公布（未知）保存，不记为 0：“较大事故起数”、“重特大事故起数”",
    ),
    (
        "事故起数, 较大事故起数 empty or not released (未公布) in rows 3 and 4: stored as unknown, not as 0",
        "第 3、4 行：“事故起数”、“较大事故起数”为空或未公布：按未知保存，不记为 0",
    ),
    (
        "row 5, column 重大隐患挂牌督办数: larger than 重大隐患排查数 (impossible)",
        "第 5 行，“重大隐患挂牌督办数”列：大于“重大隐患排查数”（不可能）",
    ),
    (
        "row 15, column 隐患编号: the same id as row 2 of this file ('H1'); only the first is kept",
        "第 15 行，“隐患编号”列：与本文件第 2 行编号相同（“H1”）；只保留第一行",
    ),
    (
        "row 4, column 年度/地区 (year/region): the same year and region as row 3 of this file ('T-430100-2024'); only "
        "the first is kept",
        "第 4 行，“年度/地区”列：与本文件第 3 行年度和地区相同（“T-430100-2024”）；只保留第一行",
    ),
    (
        "row 9, column 统计期间/地区/行业 (period/region/industry): the same period, region and industry as row 8 of this "
        "file ('AS-430100-2024-03-coal_mine'); only the first is kept",
        "第 9 行，“统计期间/地区/行业”列：与本文件第 8 行统计期间、地区和行业相同（“AS-430100-2024-03-coal_mine”）；"
        "只保留第一行",
    ),
    # a column filled from the title rows or the import's option, several reasons in one row
    (
        "row 3, column 填报单位 (title rows / option: 鼓楼区): '鼓楼区' is ambiguous: it could be 江苏省南京市鼓楼区 320106、"
        "福建省福州市鼓楼区 350102; write the city too, e.g. 江苏省南京市鼓楼区; row 3, column 重大隐患挂牌督办数: larger than "
        "重大隐患排查数 (impossible)",
        "第 3 行，“填报单位”列（取自标题行或导入时指定：鼓楼区）：“鼓楼区”有歧义：可能是 江苏省南京市鼓楼区 320106、"
        "福建省福州市鼓楼区 350102；请连同所属的市一起填写，如 江苏省南京市鼓楼区；第 3 行，“重大隐患挂牌督办数”列：大于"
        "“重大隐患排查数”（不可能）",
    ),
    (
        f"row 24, column 发生时间: '2024-13-02' is not a date: no such day {_DATES}; row 24, column 死亡人数: '-2' is "
        "negative (expected a count of 0 or more)",
        f"第 24 行，“发生时间”列：“2024-13-02”不是有效日期：没有这一天{_DATES_ZH}；第 24 行，“死亡人数”列：“-2”是负数"
        "（应为 0 或更大的整数）",
    ),
    # a header with ': ' in it stays whole
    (
        "row 3, column 死亡: 人数: '-1' is negative (expected a count of 0 or more)",
        "第 3 行，“死亡: 人数”列：“-1”是负数（应为 0 或更大的整数）",
    ),
    # a value with a quote and a semicolon in it stays whole
    (
        "row 5, column 地区: 'O'Brien; row 6, x' is not a known GB/T 2260 region code",
        "第 5 行，“地区”列：“O'Brien; row 6, x”不是已知的 GB/T 2260 行政区划代码",
    ),
    # ------------------------------------------------ notes: loaders/normalize.py
    (
        "填报单位 '湖南省长沙市' taken from the file's title rows or the command line",
        "填报单位“湖南省长沙市”取自文件的标题行或导入时指定的值",
    ),
    ("直接经济损失(元): converted from 元 to 万元", "“直接经济损失(元)”：已由元换算为万元"),
    (
        "data quality: row 12: 整改状态 says not rectified (未整改/整改中) but 整改完成日期 is given; kept with the status "
        "as written",
        "数据质量：第 12 行：“整改状态”为未整改（未整改/整改中），但填写了“整改完成日期”；已按所填状态保留",
    ),
    (
        "data quality: rows 13 and 14: 整改状态 says closed (已验收/已销号) but 验收日期 is empty; kept with the status as "
        "written",
        "数据质量：第 13、14 行：“整改状态”为已销号（已验收/已销号），但“验收日期”为空；已按所填状态保留",
    ),
    ("12 rows had no 隐患编号: ids generated from their content", "12 行没有“隐患编号”：已根据其内容生成编号"),
    (
        "rows 4 and 6 are identical: both kept (ids with -2, -3 … suffixes)",
        "第 4、6 行完全相同：两行都保留（编号加 -2、-3 … 后缀）",
    ),
    (
        "rows 19, 20 and 21 are identical: all kept (ids with -2, -3 … suffixes)",
        "第 19、20、21 行完全相同：全部保留（编号加 -2、-3 … 后缀）",
    ),
    (
        "rows 22 and 23 have the same 发生时间, 地区, 行业领域, 事故单位: both kept as separate records (ids with -2, -3 … "
        "suffixes)",
        "第 22、23 行的“发生时间”、“地区”、“行业领域”、“事故单位”相同：两行都作为不同记录保留（编号加 -2、-3 … 后缀）",
    ),
    (
        "rows 2 and 3 (冶金, 有色) are the same 行业领域 'industry_trade' for 2024-01 430100: summed into one record (row 2, "
        "id AS-430100-2024-01-industry_trade)",
        "第 2、3 行（“冶金”、“有色”）属于同一“行业领域”“工贸”（2024-01，430100）：已合并为一条记录（第 2 行，"
        "编号“AS-430100-2024-01-industry_trade”）",
    ),
    (
        "rows 4, 5 and 7 (全部, 全行业, all) are the same 行业领域 'all industries' for 2024 430100: summed into one record "
        "(row 4, id AS-430100-2024-all)",
        "第 4、5、7 行（“全部”、“全行业”、“all”）属于同一“行业领域”“全部行业”（2024，430100）：已合并为一条记录（第 4 行，"
        "编号“AS-430100-2024-all”）",
    ),
    # ------------------------------------------------ notes: loaders/importer.py
    (
        "所在区县: read within 湖南省长沙市 430100 (the region of the file's title or of --region)",
        "“所在区县”：在 湖南省长沙市 430100 之内识别（该地区取自文件的标题或导入时指定的地区）",
    ),
    (
        "事故起数 (accidents): the sum of 4 sub-columns (事故起数 / 采矿, 事故起数 / 商贸制造, 事故起数 / 建筑, 事故起数 / 交通运输); "
        "the file has no total column",
        "“事故起数”（accidents）：取 4 个分列之和（“事故起数 / 采矿”、“事故起数 / 商贸制造”、“事故起数 / 建筑”、“事故起数 / 交通运输”）；"
        "文件中没有合计列",
    ),
    ("columns not in the schema, not imported: 序号, 备注", "格式中没有的列，未导入：“序号”、“备注”"),
    (
        "read sheet '事故台账'; other sheets not imported: 填表说明, 2023年",
        "读取了工作表“事故台账”；其他工作表未导入：“填表说明”、“2023年”",
    ),
    (
        "cells right of the header's last column (no header), not imported; the rows are kept: row 24 (column 18: "
        "'多出来的', column 19: 'more'); row 25 (column 17: 'x')",
        "表头最后一列右侧的单元格（没有表头）未导入，这些行照常导入：第 24 行（第 18 列：“多出来的”，第 19 列：“more”）；"
        "第 25 行（第 17 列：“x”）",
    ),
    (
        "cells right of the header's last column (no header), not imported; the rows are kept: row 2 (column 17: 'x'); "
        "… and 3 more rows",
        "表头最后一列右侧的单元格（没有表头）未导入，这些行照常导入：第 2 行（第 17 列：“x”）；…… 另有 3 行",
    ),
    # ------------------------------------------------ the official forms and web exports: loaders/forms.py
    (
        "blank cells read as 0 (an aggregate form: a blank is none): 24 cells in rows 8, 10",
        "空白单元格按 0 读取（汇总报表中空白即为无）：共 24 个单元格，在第 8, 10 行",
    ),
    (
        "blank cells read as 0 (an aggregate form: a blank is none): 40 cells in rows 5, 6, 7 … (25 rows)",
        "空白单元格按 0 读取（汇总报表中空白即为无）：共 40 个单元格，在第 5, 6, 7 行等 25 行",
    ),
    (
        "figures cumulative since January (the form says 截止到…为止: '截止到2024年3月31日为止'): stored as cumulative; "
        "a month's own figures are the difference with the previous month's report",
        "报表数字为自年初起的累计数（表中写有“截止到…为止”：“截止到2024年3月31日为止”）：按累计数保存；当月数为与上月报表之差",
    ),
    ("2024-01 330200: January, the cumulative figures are the month's own", "2024-01 330200：1 月的累计数即当月数"),
    (
        "2024-03 330200: the month's own figures are the difference with 2024-02 (in the store)",
        "2024-03 330200：当月数为与 2024-02 报表之差（2024-02 的报表已在库中）",
    ),
    (
        "2024-03 330200: the month's own figures are the difference with 2024-02 (in this file)",
        "2024-03 330200：当月数为与 2024-02 报表之差（2024-02 的报表在本文件中）",
    ),
    (
        "2024-02 330200: 2024-01 is not in the store: the month's own figures are unknown until the 2024-01 report is "
        "imported (the cumulative figures are kept)",
        "2024-02 330200：库中没有 2024-01 的报表：导入 2024-01 报表之前当月数未知（累计数已保存）",
    ),
    (
        "the file is a web page table (HTML), not an Excel workbook (what web systems often serve as .xls): its table "
        "was read as sheet 'HTML' (gb18030)",
        "这是网页表格（HTML），不是 Excel 工作簿（网上系统导出的 .xls 常是这样）：其中的表格已作为工作表“HTML”读取（编码 gb18030）",
    ),
    (
        "the file is a web page saved as one file (MHTML), not an Excel workbook (what web systems often serve as .xls): "
        "its table was read as sheet 'sheet001' (utf-8)",
        "这是单个文件网页（MHTML），不是 Excel 工作簿（网上系统导出的 .xls 常是这样）：其中的表格已作为工作表“sheet001”读取"
        "（编码 utf-8）",
    ),
    (
        "the file is a text table (CSV or tab-separated), not an Excel workbook (what web systems often serve as .xls): "
        "read as CSV (gb18030)",
        "这是文本表格（CSV 或制表符分隔），不是 Excel 工作簿（网上系统导出的 .xls 常是这样）：已按 CSV 读取（编码 gb18030）",
    ),
    (
        "row 12: breakdown row skipped: '(1)生产、储存和其他化工企业' is part of row 11 ('4.危险化学品企业'), which already "
        "counts it",
        "第 12 行：分项行，已跳过：“(1)生产、储存和其他化工企业”是第 11 行（“4.危险化学品企业”）的其中项，已计入该行",
    ),
    (
        "row 18: note line skipped: 说 明 1.新增统计列“应排查治理事故隐患的生产经营单位”及其“覆盖率”；",
        "第 18 行：说明行，已跳过：“说 明 1.新增统计列“应排查治理事故隐患的生产经营单位”及其“覆盖率”；”",
    ),
    # ------------------------------------------------ skipped rows: loaders/readers.py (the page writes 'row N: …')
    (
        "row 16: total row (合计/总计) skipped: it is a sum of the rows above, not a record",
        "第 16 行：合计/总计行，已跳过：它是上面各行之和，不是一条记录",
    ),
    (
        "total row (合计/总计) skipped: it is a sum of the rows above, not a record",
        "合计/总计行，已跳过：它是上面各行之和，不是一条记录",
    ),
    (
        "row 17: footer row skipped: 填表人：张三 审核人：李四 填报日期：2024年10月8日",
        "第 17 行：表尾行，已跳过：“填表人：张三 审核人：李四 填报日期：2024年10月8日”",
    ),
    (
        "地区: '会理县' in 3 row(s): 513425 is an old code (会理县 became the county-level city 会理市, 2021-07): "
        "imported as today's 513402 会理市",
        "“地区”列的“会理县”（3 行）：513425为旧区划代码（2021年7月撤销会理县，设立县级会理市），按现行代码513402会理市导入",
    ),
    (
        "所在地区: '110100' in 1 row(s): 110100 is a municipality's grouping of districts, not a unit: imported as 110000",
        "“所在地区”列的“110100”（1 行）：110100为直辖市的市辖区（县）代码，不是独立单位，按110000导入",
    ),
    (
        "直接经济损失: no unit in the header, and its figures (median 7,650,000) are 元, not 万元: converted to 万元 "
        "(write the unit in the header to decide it)",
        "“直接经济损失”列表头未注明单位，其数字（中位数 7,650,000）应为元而非万元：已换算为万元（在表头写明单位即可确定）",
    ),
    (
        "直接经济损失: no unit in the header, read as 万元; rows 4 have 1亿元 or more, which alone makes an accident "
        "特别重大: check the unit",
        "“直接经济损失”列表头未注明单位，按万元读取；第 4 行达 1 亿元以上，仅此一项即为特别重大事故：请核对单位",
    ),
    (
        "rows 4, 7: 一般隐患已整改数 larger than 一般隐患排查数: kept as filed (hazards found in earlier months rectified in "
        "this one)",
        "第 4, 7 行：“一般隐患已整改数”大于“一般隐患排查数”：按所填保存（含以前月份排查、本月整改的隐患）",
    ),
    (
        "row 102: row with nothing under the imported columns skipped: 99",
        "第 102 行：导入的各列均为空，已跳过（该行只有：“99”）",
    ),
]


@pytest.mark.parametrize(("english", "chinese"), CASES, ids=[e[:60] for e, _ in CASES])
def test_each_template_in_chinese(english: str, chinese: str) -> None:
    assert to_zh(english) == chinese


def test_what_no_pattern_knows_stays_as_it_was() -> None:
    assert to_zh("something the loaders never wrote") == "something the loaders never wrote"
    assert to_zh("") == ""
    # a composite reason: the parts that are known are translated, an unknown one stays in English
    mixed = "row 5, column 死亡人数: '-1' is negative (expected a count of 0 or more); row 5, column 地区: is odd"
    assert to_zh(mixed) == "第 5 行，“死亡人数”列：“-1”是负数（应为 0 或更大的整数）；row 5, column 地区: is odd"
    assert to_zh("row 5, column 地区: is odd") == "row 5, column 地区: is odd"
    assert to_zh("row 5: something skipped for a new reason") == "row 5: something skipped for a new reason"
    # a lookup the table does not name (a new one in normalize.PARSERS) is not guessed
    assert to_zh("'x' is not a hazard colour (expected 红 or 蓝)") == "'x' is not a hazard colour (expected 红 or 蓝)"


# ---------------------------------------------------------------- every template in the source has a case

STOP = re.compile(
    r"\b(is|not|row|rows|column|expected|empty|before|after|kept|skipped|ambiguous|known|could|write|"
    r"only|first|imported|converted|read|sheet)\b"
)
SWEPT = (
    "loaders/parsing.py",
    "loaders/normalize.py",
    "loaders/readers.py",
    "loaders/importer.py",
    "loaders/forms.py",
    "domain/regions.py",
    "domain/industries.py",
    "domain/hazards.py",
    "domain/grading.py",
    "domain/accident_types.py",
)
# English text in those modules that is no row-level message of an import, and why.
NOT_ROW_MESSAGES = {
    "{} sheet '{}'": "readers: the place named in a ReadError (which has its own .zh)",
    "{} ({}) sheet '{}'": "readers: the place named in a ReadError of a web export (which has its own .zh)",
    "{} are mapped to the same column {} ({})": "readers: part of a MappingError (which has its own .zh)",
    "read {} rows: {} new, {} updated, {} unchanged, {} rejected; {} skipped": "importer: ImportResult.summary(), the CLI's line",
    "not listed": "hazards: the English label of supervision level 'none'",
    "measures must not be negative, got {}": "grading.grade_by_decree_493; imports grade with grade_series",
}
_ERRORS_WITH_ZH = ("ReadError", "MappingError")  # file-level errors: their Chinese is ReadError.zh


def _english_templates(path: Path) -> list[tuple[int, str]]:
    """(line, text with {} for each replacement field) of each string or f-string in ``path`` that
    reads as an English sentence (a space and a stop word), and of each argument of a hazard lookup;
    not docstrings, nor the messages of errors that carry their own Chinese."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {
        node.body[0].value
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }

    def call_of(node: ast.AST) -> ast.Call | None:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.Call):
                return node
        return None

    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node in docstrings or isinstance(parents.get(node), ast.JoinedStr):
                continue
            parts = [node.value]
        else:
            continue
        call = call_of(node)
        func = ast.unparse(call.func) if call is not None else ""
        if func.endswith(_ERRORS_WITH_ZH) or func.endswith("_error"):
            continue
        text = "".join(parts)
        if (" " in text and STOP.search(text)) or func == "hz.lookup":
            out.append((node.lineno, text))
    return out


def _has_case(template: str) -> bool:
    """Some English case holds the template's literal text, in order, with anything in its {}."""
    pattern = re.compile(".*?".join(re.escape(f) for f in template.split("{}") if f), re.DOTALL)
    return any(pattern.search(english) for english, _ in CASES)


@pytest.mark.parametrize("module", SWEPT)
def test_every_english_template_in_the_source_has_a_case(module: str) -> None:
    templates = _english_templates(ROOT / module)
    assert templates, module
    missing = [(line, text) for line, text in templates if text not in NOT_ROW_MESSAGES and not _has_case(text)]
    assert not missing, f"{module}: English templates without a case in CASES (add one, and a pattern): {missing}"


def test_every_pattern_has_a_case() -> None:
    rules = [*messages_zh._VALUE_RULES, *messages_zh._COLUMN_RULES, *messages_zh._NOTE_RULES]
    unused = [p.pattern for p, _ in rules if not any(p.search(english) for english, _ in CASES)]
    assert not unused


# ---------------------------------------------------------------- real imports of bad files

# Latin words left in a Chinese message once quoted values are taken out: only these, which are
# accepted input spellings or names (GB/T 2260, Excel, yes/no, the English accident grades).
LATIN_OK = {"GB", "T", "Excel", "yes", "no", "general", "larger", "major", "extraordinary"}
_QUOTED = re.compile(r"“[^”]*”|'[^']*'")

ACC_HEADER = [
    "事故编号",
    "发生时间",
    "地区",
    "行业领域",
    "事故单位",
    "死亡人数",
    "失踪人数",
    "重伤人数",
    "轻伤人数",
    "直接经济损失（元）",
    "事故类型",
    "事故等级",
    "事故简况",
    "经度",
    "纬度",
    "备注",
]


def _acc(
    id_: str = "",
    at: str = "2024-05-06 08:00",
    region: str = "长沙市岳麓区",
    industry: str = "建筑施工",
    ent: str = "某建筑公司",
    deaths: str = "1",
    loss: str = "50000",
    type_: str = "高处坠落",
    grade: str = "一般",
    lon: str = "112.9",
    lat: str = "28.2",
    extra: tuple[str, ...] = (),
) -> list[str]:
    return [id_, at, region, industry, ent, deaths, "0", "0", "0", loss, type_, grade, "简况", lon, lat, "备注", *extra]


ACC_ROWS = [
    _acc("A1"),
    _acc("A2", at="2024-13-01 08:00"),
    _acc("A3", at="昨天"),
    _acc("A3b", at="12"),
    _acc("A4", deaths="-1"),
    _acc("A5", deaths="3.5"),
    _acc("A5b", deaths="三人"),
    _acc("A6", region="火星市"),
    _acc("A7", region="鼓楼区"),
    _acc("A8", region="999999"),
    _acc("A9", industry="游乐设施"),
    _acc("A10", type_="乱写"),
    _acc("A11", grade="超级大"),
    _acc("A12", loss="很多"),
    _acc("A13", loss="-5"),
    _acc("A14", lon="东经112"),
    _acc("A15", lon="200", lat="80"),
    _acc("A16", deaths=""),
    _acc("A16b", region=""),
    _acc("A1", ent="重复编号公司"),  # the same id as row 2
    *[_acc(at="2024-06-01", ent="相同公司")] * 3,  # no id, identical: all kept
    _acc(at="2024-06-03", ent="两行相同公司"),
    _acc(at="2024-06-03", ent="两行相同公司"),  # both kept
    _acc(at="2024-06-02", ent="同键公司", deaths="1"),
    _acc(at="2024-06-02", ent="同键公司", deaths="2"),
    _acc("A17", at="2024-13-02", deaths="-2", extra=("", "多出来的", "more")),  # two reasons; cells right of the header
    _acc("A18", extra=("x",)),
    ["合计", "", "", "", "", "20"],
    ["填表人：张三 审核人：李四"],
]

HAZ_HEADER = [
    "隐患编号",
    "企业名称",
    "所在地区",
    "行业领域",
    "隐患描述",
    "隐患级别",
    "隐患来源",
    "发现日期",
    "整改期限",
    "整改完成日期",
    "验收日期",
    "整改状态",
    "整改资金（元）",
    "挂牌督办",
    "措施到位",
]


def _haz(
    id_: str,
    grade: str = "一般",
    source: str = "企业自查",
    found: str = "2024-05-01",
    deadline: str = "2024-06-01",
    rect: str = "2024-05-20",
    acc: str = "2024-05-25",
    status: str = "已验收",
    funds: str = "5000",
    sup: str = "无",
    flag: str = "是",
) -> list[str]:
    return [
        id_,
        "某企业",
        "长沙市岳麓区",
        "工贸",
        "描述",
        grade,
        source,
        found,
        deadline,
        rect,
        acc,
        status,
        funds,
        sup,
        flag,
    ]


HAZ_ROWS = [
    _haz("H1"),
    _haz("H2", grade="特大"),
    _haz("H3", status="乱写"),
    _haz("H4", source="路人"),
    _haz("H5", sup="国家级"),
    _haz("H6", flag="也许"),
    _haz("H7", rect="2024-04-01", acc=""),
    _haz("H8", acc="2024-05-10"),
    _haz("H9", deadline="2024-04-01"),
    _haz("H10", rect="", acc="2024-05-25", status="整改中"),  # accepted, not rectified, status not done
    _haz("H11", status="整改中", acc=""),
    _haz("H12", status="已销号", acc=""),
    _haz("H13", status="已销号", acc=""),
    _haz("H1"),
    _haz("H14", funds="很多"),
    _haz("H15", found="2024/02/30"),
    _haz("", found="2024-05-02"),  # no id: generated
]

AS_HEADER = [
    "统计期间",
    "地区",
    "行业领域",
    "事故起数",
    "死亡人数",
    "较大事故起数",
    "较大事故死亡人数",
    "重特大事故起数",
    "重特大事故死亡人数",
    "受伤人数",
    "直接经济损失",
]
AS_ROWS = [
    ["2024-01", "长沙市", "冶金", "5", "5", "0", "0", "0", "0", "1", "10"],  # 冶金 and 有色 are both 工贸: summed
    ["2024-01", "长沙市", "有色", "3", "3", "0", "0", "0", "0", "", ""],
    ["2024-01", "长沙市", "全部", "9", "9", "0", "0", "0", "0", "", ""],  # all industries, written twice differently
    ["2024-01", "长沙市", "全行业", "1", "1", "0", "0", "0", "0", "", ""],
    ["2024-13", "长沙市", "煤矿", "1", "1", "0", "0", "0", "0", "", ""],
    ["2024-02", "长沙市", "建筑施工", "1", "0", "1", "3", "1", "0", "", ""],  # impossible totals
    ["2024-03", "长沙市", "煤矿", "1", "1", "0", "0", "0", "0", "", ""],
    ["2024-03", "长沙市", "煤矿", "1", "1", "0", "0", "0", "0", "", ""],  # a duplicate
    ["2024", "长沙市", "煤矿", "一起", "1", "0", "0", "0", "0", "", "很多"],
    ["2024", "长沙市", "工贸", "1", "1", "0", "0", "0", "0", "", "-3"],
]

HS_HEADER = [
    "行业领域",
    "一般隐患排查数",
    "一般隐患已整改数",
    "一般隐患整改率",
    "重大隐患排查数",
    "重大隐患已整改数",
    "重大隐患已销号数",
    "重大隐患挂牌督办数",
    "重大隐患其中省级挂牌督办数",
    "治理资金（元）",
]
HS_ROWS = [
    ["工贸", "10", "12", "很高", "2", "3", "4", "1", "2", "50000"],
    ["煤矿", "10", "5", "50%", "2", "1", "1", "3", "0", "50000"],
]

TG_HEADER = ["年度", "地区", "死亡人数控制指标"]
TG_ROWS = [["2024-03", "长沙市", "10"], ["2024", "长沙市", "10"], ["2024", "长沙市", "12"], ["2024年", "长沙市", ""]]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _bad_files(tmp: Path) -> list[tuple[str, Path, dict[str, str] | None]]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in [ACC_HEADER, *ACC_ROWS[:4]]:
        ws.append(row)
    wb.create_sheet("Sheet2").append(["read me first"])
    wb.save(tmp / "two_sheets.xlsx")
    return [
        ("accidents", _csv(tmp / "accidents.csv", [ACC_HEADER, *ACC_ROWS]), None),
        ("accidents", _csv(tmp / "wide.csv", [ACC_HEADER, *[_acc(f"W{i}", extra=("x",)) for i in range(23)]]), None),
        ("accidents", tmp / "two_sheets.xlsx", None),
        ("hazards", _csv(tmp / "hazards.csv", [HAZ_HEADER, *HAZ_ROWS]), None),
        ("accident-stats", _csv(tmp / "accident_stats.csv", [AS_HEADER, *AS_ROWS]), None),
        (
            "hazard-stats",
            _csv(
                tmp / "hazard_report.csv",
                [["隐患排查治理月报表"], ["填报单位：长沙市应急管理局", "", "2024年3月"], HS_HEADER, *HS_ROWS],
            ),
            None,
        ),
        (
            "hazard-stats",
            _csv(tmp / "hazard_report_no_title.csv", [HS_HEADER, *HS_ROWS]),
            {"region": "南京市鼓楼区", "period": "2024-03"},
        ),  # (an ambiguous 鼓楼区 is one error for the file)
        ("targets", _csv(tmp / "targets.csv", [TG_HEADER, *TG_ROWS]), None),
        # the fixtures: GBK ledger, titled workbook with three sheets, 元 header in an XLS, statistics, targets
        ("accidents", DATA / "accidents_hunan_gbk.csv", None),
        ("accidents", DATA / "accidents_hunan_titled.xlsx", None),
        ("accidents", DATA / "accidents_legacy.xls", None),
        ("hazards", DATA / "hazards_hunan.xlsx", None),
        ("hazards", DATA / "hazards_status_utf8.csv", None),
        ("accident-stats", DATA / "accident_stats_2023.xlsx", None),
        ("accident-stats", DATA / "accident_stats_monthly_gb18030.csv", None),
        ("hazard-stats", DATA / "hazard_monthly_report_changsha.xlsx", None),
        ("targets", DATA / "targets_2024.xlsx", None),
    ]


def _still_english(zh: str) -> list[str]:
    bare = _QUOTED.sub("", zh)
    return STOP.findall(bare) + [w for w in re.findall(r"[A-Za-z]+", bare) if w not in LATIN_OK]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[tuple[str, str, list[str]]]]:
    """Every bad file imported: (store, [(file, kind of message, English messages)])."""
    tmp = tmp_path_factory.mktemp("bad")
    store = open_store(tmp / "t.duckdb")
    out = []
    for kind, path, defaults in _bad_files(tmp):
        preview = preview_file(path, kind, defaults=defaults)
        result = import_file(store, path, kind, defaults=defaults)
        assert list(store.rejects(result.import_id)["reason"]) == list(preview.normalized.rejects["reason"])
        out.append((path.name, "reason", list(preview.normalized.rejects["reason"])))
        out.append((path.name, "note", list(result.notes)))  # the preview's notes and the importer's own
        out.append((path.name, "skipped", [f"row {r}: {w}" for r, w in result.skipped]))
    return store, out


def test_the_bad_files_produce_every_kind_of_message(imported) -> None:
    """The files below really reach the templates (so the next test checks them all)."""
    _, found = imported
    text = "\n".join(m for _, _, messages in found for m in messages)
    for needle in (
        "is not a date: no such day",
        "is not a date (",
        "is negative",
        "is not a whole number",
        "is not a number",
        "is not a non-negative number",
        "is not a percentage",
        "is not a coordinate",
        "is not a period",
        "is not a year",
        "is not a yes/no flag",
        "is not a hazard grade",
        "is not a hazard status",
        "is not a hazard source",
        "is not a supervision level",
        "is ambiguous",
        "is not a known region",
        "is not a known GB/T 2260 region code",
        "is not a known industry",
        "is not an accident grade",
        "is not a GB 6441 accident type",
        "is empty (a value is required)",
        "is outside China",
        "rectified before it was found",
        "acceptance before rectification",
        "a deadline before the hazard",
        "accepted but",
        "fewer accidents",
        "fewer deaths",
        "larger than",
        "the same id as row",
        "the same year and region",
        "the same period, region and industry",
        "taken from the file's title rows",
        "converted from 元 to 万元",
        "says not rectified",
        "says closed",
        "rows had no",
        "are identical: all kept",
        "are identical: both kept",
        "have the same",
        "are the same 行业领域 'industry_trade'",
        "are the same 行业领域 'all industries'",
        "columns not in the schema",
        "cells right of the header",
        "… and 3 more rows",
        "read sheet 'Sheet1'",
        "total row",
        "footer row skipped",
        "; row ",
    ):
        assert needle in text, needle


def test_no_reason_note_or_skipped_row_is_left_in_english(imported) -> None:
    _, found = imported
    left = []
    for name, what, messages in found:
        for message in messages:
            zh = to_zh(message)
            if zh == message or _still_english(zh):
                left.append((name, what, message, zh, _still_english(zh)))
    assert not left, "\n".join(map(str, left))


def test_the_page_rejects_csv_has_the_reasons_in_chinese_beside_the_english(imported, tmp_path: Path) -> None:
    store, _ = imported
    iid = store.imports().query("file_name == 'accidents_hunan_gbk.csv'")["import_id"].iloc[0]
    en, zh = tmp_path / "en.csv", tmp_path / "zh.csv"
    assert write_rejects(store, en, iid) == write_rejects(store, zh, iid, lang="zh") == 4
    english = pd.read_csv(en, encoding="utf-8-sig", dtype=str)
    chinese = pd.read_csv(zh, encoding="utf-8-sig", dtype=str)
    assert "原因（中文）" not in english.columns  # the command line's file is as it was
    cols = list(chinese.columns)
    assert cols[cols.index("reason") + 1] == "原因（中文）"
    assert cols == [
        *english.columns[: cols.index("reason") + 1],
        "原因（中文）",
        *english.columns[cols.index("reason") + 1 :],
    ]
    pd.testing.assert_frame_equal(chinese.drop(columns=["原因（中文）"]), english)
    assert chinese["原因（中文）"].tolist() == [to_zh(r) for r in english["reason"]]
    assert chinese.loc[3, "原因（中文）"] == "第 13 行，“死亡人数（人）”列：“-1”是负数（应为 0 或更大的整数）"


# ---------------------------------------------------------------- the upload page


@pytest.mark.usefixtures("empty_store")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_upload_page_shows_reasons_and_notes_in_its_language(lang: str) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("views/data_status.py").run()
    name = "accidents_hunan_gbk.csv"
    at.file_uploader(key="up_file").set_value((name, (DATA / name).read_bytes(), "text/csv")).run()
    assert not at.exception, _exceptions(at)
    captions = [as_shown(c.value) for c in at.caption]  # quoted cells are escaped
    frames = [d.value for d in at.dataframe]  # (AppTest does not give a dataframe's key)
    reasons = next(f for f in frames if {"示例", "Example"} & set(f.columns))
    rejected = next(f for f in frames if {"原因", "Reason"} & set(f.columns))
    if lang == "zh":
        assert "· 第 16 行：合计/总计行，已跳过：它是上面各行之和，不是一条记录" in captions
        assert "· 1 行没有“事故编号”：已根据其内容生成编号" in captions
        assert "第 13 行，“死亡人数（人）”列：“-1”是负数（应为 0 或更大的整数）" in reasons["示例"].tolist()
        assert rejected["原因"].tolist()[3] == "第 13 行，“死亡人数（人）”列：“-1”是负数（应为 0 或更大的整数）"
        texts = [*captions, *reasons["示例"], *rejected["原因"]]
        assert not [x for x in texts if x.startswith("· ") and _still_english(x)]
        assert not [x for x in [*reasons["示例"], *rejected["原因"]] if _still_english(x)]
    else:  # the English page keeps the loaders' own words
        assert "· row 16: total row (合计/总计) skipped: it is a sum of the rows above, not a record" in captions
        assert (
            rejected["Reason"].tolist()[3]
            == "row 13, column 死亡人数（人）: '-1' is negative (expected a count of 0 or more)"
        )
