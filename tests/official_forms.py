"""The national monthly 隐患排查治理 forms as the Ningbo system prints them (ColinYu25/yhpc,
src/main/webapp/template/axis2/statistic_axis2_mine.ftl and statistic_axis2_other.ftl): the layout and
wording of the template, the numbers invented. Written as an XLSX (the page saved by Excel) or as the
HTML page itself under an .xls name (what the system's export serves), for the tests and for
``tests/data/hazard_form_ningbo_2024-03.xls`` (``python tests/official_forms.py``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MINE_TITLE = "煤矿、金属非金属矿山等工矿企业安全生产事故隐患排查治理情况月报表"
OTHER_TITLE = "交通运输等重点行业领域企业和单位安全生产事故隐患排查治理情况月报表"

# The header: three levels and the unit row, 16 columns (A–P), with the template's merges.
TOP = [
    "行业和领域",
    "开展排查治理事故\n隐患的生产经营单位",
    "",
    "",
    "一般事故隐患",
    "",
    "",
    "重大事故隐患",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "累计落实隐\n患治理资金",
]
MID = [
    "",
    "应排查治\n理事故隐\n患的生产\n经营单位",
    "实际排查\n治理事故\n隐患的生\n产经营单\n位",
    "覆\n盖\n率",
    "排查一般\n事故隐患",
    "其中：\n已整改",
    "整\n改\n率",
    "排查治理重大隐患",
    "",
    "",
    "列入治理计划",
    "",
    "其中：挂牌督办",
    "",
    "",
    "",
]
LOW = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "排查重\n大事故\n隐患",
    "其中：\n已整改\n销号",
    "整\n改\n率",
    "列入治\n理计划\n的重大\n事故隐\n患",
    "其中：\n达到“\n五到位\n”要求\n的",
    "挂牌督\n办 的\n重大事\n故隐患",
    "其中：\n省级挂\n牌督办",
    "其中：\n地市级\n挂牌督\n办",
    "",
]
UNITS = [
    "",
    "(家)",
    "(家)",
    "(%)",
    "(项)",
    "(项)",
    "(%)",
    "(项)",
    "(项)",
    "(%)",
    "(项)",
    "(项)",
    "(项)",
    "(项)",
    "(项)",
    "(万元)",
]
# (first row, first column, last row, last column), 0-based within the header's four rows.
MERGES = [
    (0, 0, 3, 0),
    (0, 1, 0, 3),
    (0, 4, 0, 6),
    (0, 7, 0, 14),
    (0, 15, 2, 15),
    (1, 1, 2, 1),
    (1, 2, 2, 2),
    (1, 3, 2, 3),
    (1, 4, 2, 4),
    (1, 5, 2, 5),
    (1, 6, 2, 6),
    (1, 7, 1, 9),
    (1, 10, 1, 11),
    (1, 12, 1, 14),
]
NOTES = [
    "1.新增统计列“应排查治理事故隐患的生产经营单位”及其“覆盖率”；",
    "2.新增：列入治理计划中的“达到'五到位'要求的”，为旧统计表中 a、落实治理目标任务 b、落实治理经费物资 "
    "c、落实治理机构人员d、落实治理时间要求 e、落实安全措施应急预案，五项全部符合的重大隐患；",
    "3.新增：重大隐患增加了挂牌督办情况的统计项。",
]
FOOTER = "单位负责人（签字）：　　　　填表人（签字）：　　　　联系电话：　　　　填报日期：{filled}"

# Figures: 应排查, 实际排查, 一般 found, 一般 rectified, 重大 found, 已整改销号, 列入计划, 五到位, 挂牌, 省级, 地市级, 资金.
Figures = tuple[float, ...]
MINE_ROWS: list[tuple[str, Figures | None]] = [
    ("1.煤矿企业", None),
    ("2.金属非金属矿山企业", (88, 88, 305, 296, 2, 1, 2, 2, 1, 0, 1, 61.5)),
    ("3.石油天然气开采企业", None),
    ("4.危险化学品企业", (1180, 1151, 3920, 3838, 5, 3, 5, 4, 2, 1, 1, 930.0)),
    ("\xa0\xa0(1)生产、储存和其他化工企业", (640, 628, 2710, 2650, 4, 2, 4, 3, 2, 1, 1, 812.0)),
    ("\xa0\xa0(2)经营企业和单位", (540, 523, 1210, 1188, 1, 1, 1, 1, 0, 0, 0, 118.0)),
    ("5.烟花爆竹企业", (205, 205, 188, 188, 0, 0, 0, 0, 0, 0, 0, 9.6)),
    ("6.冶金、有色企业", (149, 146, 702, 680, 2, 1, 2, 2, 1, 0, 1, 255.4)),
    ("7.其他企业", (19870, 19012, 40236, 39110, 11, 7, 11, 10, 3, 1, 2, 2604.3)),
]

OTHER_ROWS: list[tuple[str, Figures | None]] = [
    ("1.道路运输企业", (1720, 1702, 2105, 2081, 1, 1, 1, 1, 0, 0, 0, 88.2)),
    ("2.公路养护施工企业", (35, 35, 51, 51, 0, 0, 0, 0, 0, 0, 0, 2.6)),
    ("3.水上运输企业", (139, 139, 187, 183, 0, 0, 0, 0, 0, 0, 0, 10.4)),
    ("4.铁路运输企业", None),
    ("5.航空公司", None),
    ("6.机场和油料企业", (3, 3, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0.6)),
    ("7.建筑施工企业", (2290, 2265, 9120, 8987, 3, 2, 3, 3, 1, 0, 1, 760.0)),
    ("8.学校", (1488, 1488, 1130, 1118, 0, 0, 0, 0, 0, 0, 0, 196.5)),
    ("9.商场、市场等人员密集场所", (3105, 2990, 4020, 3931, 2, 1, 2, 2, 1, 0, 1, 330.8)),
    ("10.水库", (398, 398, 88, 84, 1, 0, 1, 1, 1, 1, 0, 140.0)),
    ("11.电力企业", (58, 58, 171, 169, 0, 0, 0, 0, 0, 0, 0, 39.9)),
    ("12.农机行业", (11, 11, 18, 18, 0, 0, 0, 0, 0, 0, 0, 0.4)),
    ("13.渔业企业", (2201, 2201, 1290, 1277, 0, 0, 0, 0, 0, 0, 0, 52.3)),
    ("14.民爆器材生产企业", (4, 4, 7, 7, 0, 0, 0, 0, 0, 0, 0, 1.1)),
    ("15.其他企业单位", (4870, 4735, 7215, 7030, 3, 2, 3, 3, 1, 0, 1, 377.4)),
]


def _pct(part: float, whole: float) -> str:
    return "/" if whole == 0 else f"{part / whole * 100:.1f}"


def form_row(label: str, figures: Figures | None) -> list[object]:
    """One row as the template prints it: blank cells for an industry without data, '/' for a rate of nothing."""
    if figures is None:
        return [label] + [None] * 15
    due, done, g_found, g_rect, m_found, m_closed, in_plan, five, sup, prov, city, funds = figures
    return [
        label,
        due,
        done,
        _pct(done, due),
        g_found,
        g_rect,
        _pct(g_rect, g_found),
        m_found,
        m_closed,
        _pct(m_closed, m_found),
        in_plan,
        five,
        sup,
        prov,
        city,
        funds,
    ]


@dataclass(frozen=True)
class Form:
    title: str
    unit_line: str  # 填报单位（章）：…
    until_line: str  # 截止到2024年3月31日为止 (the template's own words), or another period line
    rows: Sequence[tuple[str, Figures | None]]
    filled: str = "2024年4月5日"
    notes: Sequence[str] = tuple(NOTES)

    def grid(self) -> list[list[object]]:
        """Title, unit and period line, the four header rows, 合计 (first, as the template), the rows, the
        footer and the 说明 block."""
        total = [0.0] * 12
        for label, figures in self.rows:
            if figures is not None and label[:1].isdigit():
                total = [t + f for t, f in zip(total, figures, strict=True)]
        total_row = form_row("合　　计", tuple(round(t, 1) if i == 11 else int(t) for i, t in enumerate(total)))
        return [
            [self.title],
            [self.unit_line] + [None] * 11 + [self.until_line],
            TOP,
            MID,
            LOW,
            UNITS,
            total_row,
            *(form_row(label, f) for label, f in self.rows),
            [FOOTER.format(filled=self.filled)],
            *([["说\n明", line] for line in self.notes[:1]] + [[None, line] for line in self.notes[1:]]),
        ]


def write_xlsx(form: Form, path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "月报表"
    for row in form.grid():
        ws.append([None if v == "" else v for v in row])
    ws.merge_cells("A1:P1")
    ws.merge_cells("A2:L2")
    ws.merge_cells("M2:P2")
    for r0, c0, r1, c1 in MERGES:
        ws.merge_cells(start_row=r0 + 3, start_column=c0 + 1, end_row=r1 + 3, end_column=c1 + 1)
    wb.save(path)
    return path


def html_page(form: Form, charset: str = "gbk") -> str:
    """The page as the system serves it (statistic_axis2_*.ftl rendered): tables of <td> with rowspan and
    colspan, line breaks as <br/>, blank cells as &nbsp;, the 说明 block in a table of its own."""

    def cell(value: object, attrs: str = "") -> str:
        text = (
            "&nbsp;"
            if value is None or value == ""
            else "<br/>".join(html.escape(str(v)) for v in str(value).split("\n"))
        )
        return f'<td{attrs} align="center">{text.replace(chr(0xA0), "&nbsp;")}</td>'

    grid = form.grid()
    head_rows = []
    covered = {
        (r, c) for r0, c0, r1, c1 in MERGES for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0)
    }
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in MERGES}
    for r, row in enumerate(grid[2:6]):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(cell(value, attrs))
        head_rows.append('<tr height="25">' + "".join(cells) + "</tr>")
    body_rows = [
        '<tr height="25">' + "".join(cell(v) for v in row) + "</tr>" for row in grid[6 : 6 + 1 + len(form.rows)]
    ]
    notes = "".join(f"<p>{html.escape(line)}</p>" for line in form.notes)
    return (
        f'<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head>\n<meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}" />\n<title>{html.escape(form.title)}</title>\n'
        "<script>function doPrint(){}</script>\n</head>\n<body>\n"
        '<table width="97%" border="0" align="center" cellpadding="0" cellspacing="0">\n'
        f'<tr align="center"><th colspan="2">{html.escape(form.title)}</th></tr>\n'
        f'<tr><td width="70%">{html.escape(form.unit_line)}</td><td nowrap="nowrap">{html.escape(form.until_line)}'
        '</td></tr>\n</table>\n<table width="100%" cellpadding="0" cellspacing="0" class="table_list">\n'
        + "\n".join(head_rows + body_rows)
        + "\n</table>\n"
        f'<table width="97.5%" border="0"><tr><td align="center">{html.escape(FOOTER.format(filled=form.filled))}'
        "</td></tr></table>\n"
        '<table width="97%" border="0"><tr><th width="15%">说<br />明</th>'
        f'<td width="85%">{notes}</td></tr></table>\n</body>\n</html>\n'
    )


def write_html_xls(form: Form, path: Path, charset: str = "gbk") -> Path:
    encoding = "gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset
    path.write_bytes(html_page(form, charset).encode(encoding))
    return path


NINGBO_MINE_2024_03 = Form(MINE_TITLE, "填报单位（章）：宁波市应急管理局", "截止到2024年3月31日为止", MINE_ROWS)
NINGBO_OTHER_2024_03 = Form(OTHER_TITLE, "填报单位（章）：宁波市应急管理局", "截止到2024年3月31日为止", OTHER_ROWS)

if __name__ == "__main__":
    write_html_xls(NINGBO_MINE_2024_03, Path(__file__).parent / "data" / "hazard_form_ningbo_2024-03.xls")
