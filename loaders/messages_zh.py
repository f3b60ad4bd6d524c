"""Chinese renderings of the loaders' row-level messages: reject reasons, notes and skipped rows.

The loaders write their messages in English (the command line and the tests read them as they are);
the upload page shows them to Chinese users through :func:`to_zh`, which recognises each English
template by a regular expression and writes it again in Chinese. Composite messages are translated
part by part: a reject reason is ``row N, <m1>; row N, <m2>``, each part ``column X: <m>`` with a
value message from :mod:`loaders.parsing` or ``domain/*`` inside. Values quoted from the file stay as
they were written (in “…”), and so do headers and sheet names.

A message (or one part of a composite one) that no pattern recognises is returned unchanged, in
English: a new template in the loaders must get its pattern here (tests/test_messages_zh.py checks
that every template the code can produce has one).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.industries import BY_CODE
from domain.region_changes import note as region_change_note

__all__ = ["to_zh"]

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]


def _q(text: str) -> str:
    return f"“{text}”"


def _quoted_list(text: str) -> str:
    """'序号, 备注' → '“序号”、“备注”' (headers and sheet names as written in the file)."""
    return "、".join(_q(x) for x in text.split(", "))


def _or_list(text: str) -> str:
    """'未整改, 整改中 or 已销号' → '未整改、整改中或已销号'."""
    return text.replace(", ", "、").replace(" or ", "或")


_ROWS = r"rows? (?:\d+, )*\d+(?: and \d+)?"


def _rows(text: str) -> str:
    """'row 5' → '第 5 行'; 'rows 5, 7 and 9' → '第 5、7、9 行'."""
    return "第 " + "、".join(re.findall(r"\d+", text)) + " 行"


_LABEL_SPECIAL = {
    "年度/地区 (year/region)": "年度/地区",
    "统计期间/地区/行业 (period/region/industry)": "统计期间/地区/行业",
}
_TITLE_LABEL = re.compile(r"(?P<zh>.*) \(title rows / option: (?P<v>.*)\)")


def _label(text: str, what: str = "") -> str:
    """A column label as the loaders write it, in Chinese and in “…”, followed by ``what`` ('列')."""
    if text in _LABEL_SPECIAL:
        return _q(_LABEL_SPECIAL[text]) + what
    m = _TITLE_LABEL.fullmatch(text)
    if m:  # a column the file lacks, filled from its title rows or the import's option
        return _q(m["zh"]) + what + f"（取自标题行或导入时指定：{m['v']}）"
    return _q(text) + what


def _rules(table: list[tuple[str, Callable[[re.Match[str]], str | None]]]) -> list[_Rule]:
    return [(re.compile(pattern, re.DOTALL), render) for pattern, render in table]


def _apply(rules: list[_Rule], text: str) -> str | None:
    for pattern, render in rules:
        m = pattern.fullmatch(text)
        if m:
            return render(m)
    return None


# ------------------------------------------------------------------ value messages (parsing, domain)

_DATES_ZH = "应为 2024-05-06、2024/5/6、2024.05.06、2024年5月6日 等格式或 Excel 日期"
_DATES_EN = r"expected e\.g\. 2024-05-06, 2024/5/6, 2024\.05\.06, 2024年5月6日 or an Excel date"
_V = r"'(?P<v>.*)'"
_LOOKUP_WHAT = {
    "hazard grade": "隐患级别",
    "hazard status": "整改状态",
    "hazard source": "隐患来源",
    "supervision level": "挂牌督办级别",
}

_WITHIN = r"\(the region of the file's title or of --region\)"
_WITHIN_ZH = "（该地区取自文件的标题或导入时指定的地区）"

_VALUE_RULES = _rules(
    [
        # loaders/parsing.py
        (
            _V + rf" is not a date: no such day \({_DATES_EN}\)",
            lambda m: f"{_q(m['v'])}不是有效日期：没有这一天（{_DATES_ZH}）",
        ),
        (_V + rf" is not a date \({_DATES_EN}\)", lambda m: f"{_q(m['v'])}不是日期（{_DATES_ZH}）"),
        (
            _V + r" is not a whole number \(expected e\.g\. 3 or 1,234\)",
            lambda m: f"{_q(m['v'])}不是整数（应如 3 或 1,234）",
        ),
        (
            _V + r" is negative \(expected a count of 0 or more\)",
            lambda m: f"{_q(m['v'])}是负数（应为 0 或更大的整数）",
        ),
        (
            _V + r" is not a number \(expected e\.g\. 12\.5, 1,234\.5, 5000元 or 1\.2亿\)",
            lambda m: f"{_q(m['v'])}不是数字（应如 12.5、1,234.5、5000元 或 1.2亿）",
        ),
        (
            _V + r" is not a non-negative number \(expected e\.g\. 12\.5\)",
            lambda m: f"{_q(m['v'])}不是非负数（应如 12.5）",
        ),
        (_V + r" is not a percentage \(expected e\.g\. 94\.5%\)", lambda m: f"{_q(m['v'])}不是百分比（应如 94.5%）"),
        (
            _V + r" is not a coordinate in decimal degrees \(expected e\.g\. 112\.93\)",
            lambda m: f"{_q(m['v'])}不是以十进制度数表示的坐标（应如 112.93）",
        ),
        (
            _V + r" is not a period \(expected a year such as 2017 or a month such as 2017-03\)",
            lambda m: f"{_q(m['v'])}不是统计期间（应为年份如 2017，或月份如 2017-03）",
        ),
        (
            _V + r" is not a year \(expected e\.g\. 2024, 2024年 or 2024年度\)",
            lambda m: f"{_q(m['v'])}不是年份（应如 2024、2024年 或 2024年度）",
        ),
        # loaders/normalize.py
        (
            _V + r" is not a yes/no flag \(expected 是/否, √/×, yes/no or 1/0\)",
            lambda m: f"{_q(m['v'])}不是“是/否”标记（应为 是/否、√/×、yes/no 或 1/0）",
        ),
        # domain/hazards.py lookup (what and expected as normalize.py passes them)
        (
            _V + rf" is not a (?P<what>{'|'.join(_LOOKUP_WHAT)}) \(expected (?P<exp>.*)\)",
            lambda m: f"{_q(m['v'])}不是有效的{_LOOKUP_WHAT[m['what']]}（应为 {_or_list(m['exp'])}）",
        ),
        # domain/regions.py
        (
            r"region is empty \(expected a name such as 湖南省长沙市岳麓区 or a code such as 430104\)",
            lambda m: "地区为空（应为名称如 湖南省长沙市岳麓区，或代码如 430104）",
        ),
        (_V + r" is not a known GB/T 2260 region code", lambda m: f"{_q(m['v'])}不是已知的 GB/T 2260 行政区划代码"),
        (
            _V
            + r" is not a known region \(expected a full name such as 湖南省长沙市岳麓区, a short name such as 湖南, "
            r"or a six-digit code\)",
            lambda m: f"{_q(m['v'])}不是已知的地区（应为全称如 湖南省长沙市岳麓区、简称如 湖南，或六位区划代码）",
        ),
        (
            _V + r" is ambiguous: it could be (?P<c>.*); write the city too, e\.g\. (?P<e>.*)",
            lambda m: f"{_q(m['v'])}有歧义：可能是 {m['c']}；请连同所属的市一起填写，如 {m['e']}",
        ),
        # domain/regions.py, a name read within the region of the file's title or of --region
        (
            _V + r" is ambiguous: it could be (?P<c>.*); none of them is in (?P<w>.+?) " + _WITHIN,
            lambda m: f"{_q(m['v'])}有歧义：可能是 {m['c']}；但都不在 {m['w']} 之内{_WITHIN_ZH}",
        ),
        (
            _V + r" is ambiguous within (?P<w>.+?): it could be (?P<c>.*)",
            lambda m: f"{_q(m['v'])}在 {m['w']} 之内有歧义：可能是 {m['c']}",
        ),
        (
            _V + r" \((?P<f>.+?)\) is not in (?P<w>.+?) " + _WITHIN,
            lambda m: f"{_q(m['v'])}（{m['f']}）不在 {m['w']} 之内{_WITHIN_ZH}",
        ),
        # domain/industries.py
        (
            _V + r" is not a known industry \(expected one of (?P<l>.*), their codes or aliases\)",
            lambda m: f"{_q(m['v'])}不是已知的行业领域（应为 {m['l']} 之一，或其代码、别名）",
        ),
        (
            _V + r" names (?P<n>\d+) industries \((?P<l>.*)\): expected one industry per row "
            r"\(split the row, or write the industry it belongs to\)",
            lambda m: (
                f"{_q(m['v'])}包含 {m['n']} 个行业领域（{m['l']}）：每行只能填一个行业领域（请拆分该行，或只填写其所属的行业领域）"
            ),
        ),
        # domain/grading.py
        (
            _V + r" is not an accident grade \(expected one of 一般, 较大, 重大, 特别重大 or general, larger, major, "
            r"extraordinary\)",
            lambda m: (
                f"{_q(m['v'])}不是事故等级（应为 一般、较大、重大、特别重大 之一，或 general、larger、major、extraordinary）"
            ),
        ),
        # domain/accident_types.py
        (
            _V + r" is not a GB 6441 accident type \(expected one of (?P<l>.*)\)",
            lambda m: f"{_q(m['v'])}不是 GB 6441 规定的事故类型（应为 {m['l']} 之一）",
        ),
    ]
)

# ------------------------------------------------------------------ column messages (normalize.py)

_BEFORE_WHAT = {
    "rectified before it was found is impossible": "不可能在发现之前完成整改",
    "acceptance before rectification is impossible": "不可能在整改完成之前验收",
    "a deadline before the hazard was found is impossible": "整改期限不可能早于发现隐患",
}
_SAME_WHAT = {
    "the same id": "编号相同",
    "the same year and region": "年度和地区相同",
    "the same period, region and industry": "统计期间、地区和行业相同",
}
_DATE = r"\d{4}-\d{2}-\d{2}"

_STAT_WORD = {"accidents": "起数", "deaths": "死亡人数"}

_COLUMN_RULES = _rules(
    [
        (r"is empty \(a value is required\)", lambda m: "为空（此列必填）"),
        (
            r"(?P<x>\S+) is outside China \(expected (?P<lo>[\d.]+)–(?P<hi>[\d.]+)\)",
            lambda m: f"{m['x']} 不在中国境内（应在 {m['lo']}–{m['hi']} 之间）",
        ),
        (
            rf"(?P<a>{_DATE}) is before (?P<h>.+) (?P<b>{_DATE}) \((?P<what>{'|'.join(_BEFORE_WHAT)})\)",
            lambda m: f"{m['a']} 早于{_label(m['h'])} {m['b']}（{_BEFORE_WHAT[m['what']]}）",
        ),
        (
            r"accepted but (?P<h>.+) is empty \(acceptance needs a rectification first\)",
            lambda m: f"已验收，但{_label(m['h'])}为空（须先完成整改才能验收）",
        ),
        (
            r"fewer accidents than 较大 \+ 重特大 accidents together \(impossible\)",
            lambda m: "事故起数少于较大事故与重特大事故起数之和（不可能）",
        ),
        (
            r"fewer deaths than 较大 \+ 重特大 deaths together \(impossible\)",
            lambda m: "死亡人数少于较大事故与重特大事故死亡人数之和（不可能）",
        ),
        (
            r"fewer (?P<w>accidents|deaths) than (?P<g>较大|重特大) (?P=w) \(impossible\)",
            lambda m: f"{_STAT_WORD[m['w']]}少于{m['g']}事故{_STAT_WORD[m['w']]}（不可能）",
        ),
        (
            r"no figure in this row \((?P<l>.+) are all empty or not released; expected at least one number\)",
            lambda m: f"本行没有任何数字（{_quoted_list(m['l'])}均为空或未公布；至少应有一项数字）",
        ),
        (r"larger than (?P<h>.+) \(impossible\)", lambda m: f"大于{_label(m['h'])}（不可能）"),
        (
            rf"(?P<what>{'|'.join(_SAME_WHAT)}) as row (?P<n>\d+) of this file \({_V}\); only the first is kept",
            lambda m: f"与本文件第 {m['n']} 行{_SAME_WHAT[m['what']]}（{_q(m['v'])}）；只保留第一行",
        ),
    ]
)


def _column_message(text: str) -> str | None:
    """'column X: <m>' → '“X”列：<m in Chinese>' (the first ': ' after which a known message
    follows ends the label, which may hold ': ' itself: 填报单位 (title rows / option: 长沙))."""
    if not text.startswith("column "):
        return None
    for m in re.finditer(": ", text):
        label, rest = text[len("column ") : m.start()], text[m.end() :]
        inner = _apply(_COLUMN_RULES, rest) or _apply(_VALUE_RULES, rest)
        if label and inner is not None:
            return f"{_label(label, '列')}：{inner}"
    return None


# ------------------------------------------------------------------ notes and skipped rows


def _industry_zh(text: str) -> str:
    if text == "all industries":
        return "全部行业"
    return BY_CODE[text].zh if text in BY_CODE else text


def _kept(word: str) -> str:
    return "两行都" if word == "both" else "全部"


_EXTRA_PART = re.compile(r"row (?P<r>\d+) \((?P<cells>.*?)\)(?=; row \d+ \(|; … and \d+ more rows$|$)", re.DOTALL)
_EXTRA_CELL = re.compile(r"column (?P<c>\d+): '(?P<v>.*?)'(?=, column \d+: '|$)", re.DOTALL)


def _extra_cells(text: str) -> str | None:
    """'row 4 (column 12: 'x', column 13: 'y'); row 6 (…); … and 3 more rows' in Chinese."""
    parts: list[str] = []
    pos = 0
    for m in _EXTRA_PART.finditer(text):
        if m.start() != pos:
            return None
        cells = [(c["c"], c["v"]) for c in _EXTRA_CELL.finditer(m["cells"])]
        if "".join(f"column {c}: '{v}', " for c, v in cells)[:-2] != m["cells"]:
            return None
        parts.append(f"第 {m['r']} 行（" + "，".join(f"第 {c} 列：{_q(v)}" for c, v in cells) + "）")
        pos = m.end() + 2  # the '; ' between parts
    more = re.fullmatch(r"… and (\d+) more rows", text[pos:]) if pos < len(text) else None
    if pos < len(text) and more is None:
        return None
    if more is not None:
        parts.append(f"…… 另有 {more[1]} 行")
    return "；".join(parts)


_WEB_ZH = {
    "a web page table (HTML)": "网页表格（HTML）",
    "a web page saved as one file (MHTML)": "单个文件网页（MHTML）",
    "a text table (CSV or tab-separated)": "文本表格（CSV 或制表符分隔）",
}

_NOTE_RULES = _rules(
    [
        # loaders/normalize.py
        (
            r"(?P<zh>.+?) '(?P<v>.*)' taken from the file's title rows or the command line",
            lambda m: f"{m['zh']}“{m['v']}”取自文件的标题行或导入时指定的值",
        ),
        (r"(?P<l>.+): converted from (?P<u>\S+) to 万元", lambda m: f"{_label(m['l'])}：已由{m['u']}换算为万元"),
        (
            r"(?P<l>.+): read within (?P<w>.+?) " + _WITHIN,
            lambda m: f"{_label(m['l'])}：在 {m['w']} 之内识别{_WITHIN_ZH}",
        ),
        (
            r"(?P<t>.+) \((?P<c>[a-z_]+)\): the sum of (?P<n>\d+) sub-columns \((?P<s>.*)\); the file has no total column",
            lambda m: (
                f"{_label(m['t'])}（{m['c']}）：取 {m['n']} 个分列之和（{_quoted_list(m['s'])}）；文件中没有合计列"
            ),
        ),
        (
            rf"data quality: (?P<rows>{_ROWS}): (?P<s>.+) says not rectified \(未整改/整改中\) but (?P<h>.+) is given; "
            r"kept with the status as written",
            lambda m: (
                f"数据质量：{_rows(m['rows'])}：{_label(m['s'])}为未整改（未整改/整改中），但填写了{_label(m['h'])}；"
                "已按所填状态保留"
            ),
        ),
        (
            rf"data quality: (?P<rows>{_ROWS}): (?P<s>.+) says closed \(已验收/已销号\) but (?P<h>.+) is empty; "
            r"kept with the status as written",
            lambda m: (
                f"数据质量：{_rows(m['rows'])}：{_label(m['s'])}为已销号（已验收/已销号），但{_label(m['h'])}为空；"
                "已按所填状态保留"
            ),
        ),
        (
            r"(?P<n>\d+) rows had no (?P<l>.+): ids generated from their content",
            lambda m: f"{m['n']} 行没有{_label(m['l'])}：已根据其内容生成编号",
        ),
        (
            rf"(?P<rows>{_ROWS}) are identical: (?P<k>both|all) kept \(ids with -2, -3 … suffixes\)",
            lambda m: f"{_rows(m['rows'])}完全相同：{_kept(m['k'])}保留（编号加 -2、-3 … 后缀）",
        ),
        (
            rf"(?P<rows>{_ROWS}) have the same (?P<cols>.+): (?P<k>both|all) kept as separate records "
            r"\(ids with -2, -3 … suffixes\)",
            lambda m: (
                f"{_rows(m['rows'])}的{_quoted_list(m['cols'])}相同：{_kept(m['k'])}作为不同记录保留"
                "（编号加 -2、-3 … 后缀）"
            ),
        ),
        (
            rf"(?P<rows>{_ROWS}) \((?P<names>.*)\) are the same (?P<l>.+) '(?P<ind>.*)' for (?P<per>\S+) (?P<reg>\S+): "
            r"summed into one record \(row (?P<first>\d+), id (?P<id>.+)\)",
            lambda m: (
                f"{_rows(m['rows'])}（{_quoted_list(m['names'])}）属于同一{_label(m['l'])}{_q(_industry_zh(m['ind']))}"
                f"（{m['per']}，{m['reg']}）：已合并为一条记录（第 {m['first']} 行，编号{_q(m['id'])}）"
            ),
        ),
        (
            r"columns not in the file, stored as unknown \(not released\), not as 0: (?P<l>.*)",
            lambda m: f"文件中没有这些列，按未公布（未知）保存，不记为 0：{_quoted_list(m['l'])}",
        ),
        (
            rf"(?P<l>.+) empty or not released \(未公布\) in (?P<rows>{_ROWS}): stored as unknown, not as 0",
            lambda m: f"{_rows(m['rows'])}：{_quoted_list(m['l'])}为空或未公布：按未知保存，不记为 0",
        ),
        # loaders/importer.py
        (
            r"columns not in the schema, not imported: (?P<l>.*)",
            lambda m: f"格式中没有的列，未导入：{_quoted_list(m['l'])}",
        ),
        (
            r"read sheet '(?P<s>.*)'; other sheets not imported: (?P<l>.*)",
            lambda m: f"读取了工作表{_q(m['s'])}；其他工作表未导入：{_quoted_list(m['l'])}",
        ),
        (
            r"cells right of the header's last column \(no header\), not imported; the rows are kept: (?P<rest>.*)",
            lambda m: (
                None
                if (cells := _extra_cells(m["rest"])) is None
                else f"表头最后一列右侧的单元格（没有表头）未导入，这些行照常导入：{cells}"
            ),
        ),
        (
            r"the file is (?P<what>a web page table \(HTML\)|a web page saved as one file \(MHTML\)|a text table \(CSV or "
            r"tab-separated\)), not an Excel workbook \(what web systems often serve as \.xls\): (?:its table was read as sheet "
            r"'(?P<s>.*)'|read as CSV) \((?P<e>.*)\)",
            lambda m: (
                f"这是{_WEB_ZH[m['what']]}，不是 Excel 工作簿（网上系统导出的 .xls 常是这样）："
                + (f"其中的表格已作为工作表{_q(m['s'])}读取" if m["s"] is not None else "已按 CSV 读取")
                + f"（编码 {m['e']}）"
            ),
        ),
        # loaders/forms.py: the official forms
        (
            r"blank cells read as 0 \(an aggregate form: a blank is none\): (?P<n>\d+) cells in rows (?P<r>[\d, ]+)"
            r"(?: … \((?P<k>\d+) rows\))?",
            lambda m: (
                f"空白单元格按 0 读取（汇总报表中空白即为无）：共 {m['n']} 个单元格，在第 {m['r']} 行"
                + (f"等 {m['k']} 行" if m["k"] else "")
            ),
        ),
        (
            r"figures cumulative since January \(the form says (?P<w>.+?): '(?P<l>.*)'\): stored as cumulative; "
            r"a month's own figures are the difference with the previous month's report",
            lambda m: (
                f"报表数字为自年初起的累计数（表中写有“{m['w']}”：{_q(m['l'])}）：按累计数保存；当月数为与上月报表之差"
            ),
        ),
        (
            r"(?P<p>\d{4}-\d{2}) (?P<r>\d{6}): January, the cumulative figures are the month's own",
            lambda m: f"{m['p']} {m['r']}：1 月的累计数即当月数",
        ),
        (
            r"(?P<p>\d{4}-\d{2}) (?P<r>\d{6}): the month's own figures are the difference with (?P<q>\d{4}-\d{2}) "
            r"\(in (?P<w>this file|the store)\)",
            lambda m: (
                f"{m['p']} {m['r']}：当月数为与 {m['q']} 报表之差（{m['q']} 的报表{'在本文件中' if m['w'] == 'this file' else '已在库中'}）"
            ),
        ),
        (
            r"(?P<p>\d{4}-\d{2}) (?P<r>\d{6}): (?P<q>\d{4}-\d{2}) is not in the store: the month's own figures are "
            r"unknown until the (?P=q) report is imported \(the cumulative figures are kept\)",
            lambda m: f"{m['p']} {m['r']}：库中没有 {m['q']} 的报表：导入 {m['q']} 报表之前当月数未知（累计数已保存）",
        ),
        (r"note line skipped: (?P<t>.*)", lambda m: f"说明行，已跳过：{_q(m['t'])}"),
        (
            r"breakdown row skipped: '(?P<l>.*)' is part of row (?P<p>\d+) \('(?P<pl>.*)'\), which already counts it",
            lambda m: f"分项行，已跳过：{_q(m['l'])}是第 {m['p']} 行（{_q(m['pl'])}）的其中项，已计入该行",
        ),
        # loaders/readers.py: why a row was skipped
        (
            r"total row \(合计/总计\) skipped: it is a sum of the rows above, not a record",
            lambda m: "合计/总计行，已跳过：它是上面各行之和，不是一条记录",
        ),
        (r"footer row skipped: (?P<t>.*)", lambda m: f"表尾行，已跳过：{_q(m['t'])}"),
        (
            r"row with nothing under the imported columns skipped: (?P<t>.*)",
            lambda m: f"导入的各列均为空，已跳过（该行只有：{_q(m['t'])}）",
        ),
        # loaders/normalize.py: a report form's carry-over (issue 14, point 9)
        (
            r"rows (?P<r>.+?): (?P<a>\S+) larger than (?P<b>\S+): kept as filed \(hazards found in earlier months rectified "
            r"in this one\)",
            lambda m: (
                f"第 {m['r'].replace(' and ', '、另')} 行：{_q(m['a'])}大于{_q(m['b'])}：按所填保存（含以前月份排查、本月整改的隐患）"
            ),
        ),
        # loaders/normalize.py: a loss column without a unit (issue 14, point 9)
        (
            r"(?P<l>.+?): no unit in the header, and its figures \(median (?P<m>[\d,]+)\) are 元, not 万元: converted to 万元 "
            r"\(write the unit in the header to decide it\)",
            lambda m: (
                f"{_q(m['l'])}列表头未注明单位，其数字（中位数 {m['m']}）应为元而非万元：已换算为万元（在表头写明单位即可确定）"
            ),
        ),
        (
            r"(?P<l>.+?): no unit in the header, read as 万元; rows (?P<r>.+?) have 1亿元 or more, which alone makes an "
            r"accident 特别重大: check the unit",
            lambda m: (
                f"{_q(m['l'])}列表头未注明单位，按万元读取；第 {m['r'].replace(' and ', '、另')} 行达 1 亿元以上，"
                "仅此一项即为特别重大事故：请核对单位"
            ),
        ),
        # loaders/normalize.py: a region written with an old code or name (domain/region_changes.py)
        (
            r"(?P<l>.+?): '(?P<v>.*)' in (?P<n>\d+) row\(s\): (?P<c>\d{6}) is (?:an old code|a municipality's grouping).*",
            lambda m: f"{_q(m['l'])}列的{_q(m['v'])}（{m['n']} 行）：{region_change_note(m['c'], 'zh')}",
        ),
    ]
)

# ------------------------------------------------------------------ composites

_REASON_PART = re.compile(r"row (?P<n>\d+), (?P<m>.*)", re.DOTALL)
_SKIPPED = re.compile(r"row (?P<n>\d+): (?P<w>.*)", re.DOTALL)


def _reason_part(text: str) -> str | None:
    m = _REASON_PART.fullmatch(text)
    if m is None:
        return None
    inner = _column_message(m["m"]) or _apply(_VALUE_RULES, m["m"])
    return None if inner is None else f"第 {m['n']} 行，{inner}"


def to_zh(message: str) -> str:
    """The Chinese rendering of a message the loaders produce: a reject reason (``row N, column X:
    …; row N, …``), a note, a skipped row (``row N: total row …``), or a value or column message on
    its own. What no pattern recognises stays as it was (a part of a composite one, that part)."""
    if not isinstance(message, str) or not message:
        return message
    if re.match(r"row \d+, ", message):
        pieces = re.split(r"; (?=row \d+, )", message)
        out: list[str] = []
        translated = False
        i = 0
        while i < len(pieces):
            # The shortest run of pieces that is one known part (a quoted value may hold '; row 6, ').
            for j in range(i + 1, len(pieces) + 1):
                done = _reason_part("; ".join(pieces[i:j]))
                if done is not None:
                    out.append(done)
                    translated, i = True, j
                    break
            else:
                out.append(pieces[i])
                i += 1
        return "；".join(out) if translated else message
    m = _SKIPPED.fullmatch(message)
    if m is not None:
        inner = _apply(_NOTE_RULES, m["w"])
        return message if inner is None else f"第 {m['n']} 行：{inner}"
    return (
        _column_message(message)
        or _apply(_NOTE_RULES, message)
        or _apply(_COLUMN_RULES, message)
        or _apply(_VALUE_RULES, message)
        or message
    )
