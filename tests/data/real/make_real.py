"""Writes the rebuilt files of tests/data/real (run once; the files are committed).

    python tests/data/real/make_real.py            # the rebuilds of real templates, numbers invented
    python tests/data/real/make_real.py SRC DST N  # a real workbook with its people's names blanked

The rebuilds copy the layout and wording of real report forms and exports (sources in README.md
beside this file); only the figures, enterprises and dates are invented. The real workbooks are
copied as they are except the cells that name private persons (责任人, 复查人, 填报人：…), blanked by
:func:`blank_people` (N is the 1-based header row).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

HERE = Path(__file__).parent
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def blank_people(src: Path, dst: Path, header_row: int) -> int:
    """Copy ``src`` to ``dst`` with the 责任人 / 复查人 columns and the 填报人 name blanked. The number of cells blanked."""
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    columns = {c.column for c in ws[header_row] if c.value in ("责任人", "复查人")}
    blanked = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.row > header_row and cell.column in columns and cell.value not in (None, ""):
                cell.value = None
                blanked += 1
            elif isinstance(cell.value, str) and cell.value.startswith("填报人："):
                cell.value = "填报人："
                blanked += 1
    wb.save(dst)
    return blanked


# --- the national 隐患排查治理 monthly forms as the Ningbo system (ColinYu25/yhpc) lays them out -------------

FORM_TOP = ["行业和领域", "开展排查治理事故隐患的生产经营单位", None, None, "一般事故隐患", None, None,
            "重大事故隐患", None, None, None, None, None, None, None, "累计落实隐患治理资金"]
FORM_MID = [None, "应排查治理事故隐患的生产经营单位", "实际排查治理事故隐患的生产经营单位", "覆盖率",
            "排查一般事故隐患", "其中：已整改", "整改率", "排查治理重大隐患", None, None, "列入治理计划", None,
            "其中：挂牌督办", None, None, None]
FORM_LOW = [None, None, None, None, None, None, None, "排查重大事故隐患", "其中：已整改销号", "整改率",
            "列入治理计划的重大事故隐患", "其中：达到“五到位”要求的", "挂牌督办的重大事故隐患", "其中：省级挂牌督办",
            "其中：地市级挂牌督办", None]
FORM_UNITS = [None, "(家)", "(家)", "(%)", "(项)", "(项)", "(%)", "(项)", "(项)", "(%)", "(项)", "(项)", "(项)", "(项)",
              "(项)", "(万元)"]
FORM_MERGES = ["A4:A7", "B4:D4", "E4:G4", "H4:O4", "P4:P6", "B5:B6", "C5:C6", "D5:D6", "E5:E6", "F5:F6", "G5:G6",
               "H5:J5", "K5:L5", "M5:O5"]

# Figures per industry row: units due, units done, general found, general rectified, major found, major
# closed, majors in plan, of which five-in-place, supervised, of which provincial, of which city, funds (万元).
# None: the cell is blank, as the system prints a row it has no data for.
MINE_ROWS: list[tuple[str, tuple[int | float | None, ...] | None]] = [
    ("1.煤矿企业", None),
    ("2.金属非金属矿山企业", (96, 96, 412, 398, 2, 1, 2, 2, 1, 0, 1, 85.5)),
    ("3.石油天然气开采企业", None),
    ("4.危险化学品企业", (1243, 1198, 5130, 4987, 6, 4, 6, 5, 3, 1, 2, 1260.0)),
    ("\xa0\xa0(1)生产、储存和其他化工企业", (688, 671, 3544, 3452, 5, 3, 5, 4, 3, 1, 2, 1102.0)),
    ("\xa0\xa0(2)经营企业和单位", (555, 527, 1586, 1535, 1, 1, 1, 1, 0, 0, 0, 158.0)),
    ("5.烟花爆竹企业", (212, 212, 301, 301, 0, 0, 0, 0, 0, 0, 0, 12.3)),
    ("6.冶金、有色企业", (157, 151, 866, 829, 3, 2, 3, 3, 1, 0, 1, 340.2)),
    ("7.其他企业", (20311, 19472, 48210, 46875, 14, 9, 14, 12, 4, 1, 3, 3150.8)),
]
OTHER_ROWS: list[tuple[str, tuple[int | float | None, ...] | None]] = [
    ("1.道路运输企业", (1864, 1850, 2316, 2290, 1, 1, 1, 1, 0, 0, 0, 96.4)),
    ("2.公路养护施工企业", (38, 38, 57, 57, 0, 0, 0, 0, 0, 0, 0, 3.0)),
    ("3.水上运输企业", (147, 147, 203, 199, 0, 0, 0, 0, 0, 0, 0, 11.6)),
    ("4.铁路运输企业", None),
    ("5.航空公司", None),
    ("6.机场和油料企业", (3, 3, 12, 12, 0, 0, 0, 0, 0, 0, 0, 0.8)),
    ("7.建筑施工企业", (2405, 2388, 9870, 9702, 4, 3, 4, 4, 1, 0, 1, 820.5)),
    ("8.学校", (1510, 1510, 1245, 1230, 0, 0, 0, 0, 0, 0, 0, 210.0)),
    ("9.商场、市场等人员密集场所", (3320, 3195, 4410, 4302, 2, 1, 2, 2, 1, 0, 1, 365.2)),
    ("10.水库", (402, 402, 96, 90, 1, 0, 1, 1, 1, 1, 0, 150.0)),
    ("11.电力企业", (61, 61, 188, 185, 0, 0, 0, 0, 0, 0, 0, 42.7)),
    ("12.农机行业", (12, 12, 20, 20, 0, 0, 0, 0, 0, 0, 0, 0.5)),
    ("13.渔业企业", (2264, 2264, 1376, 1361, 0, 0, 0, 0, 0, 0, 0, 58.9)),
    ("14.民爆器材生产企业", (4, 4, 9, 9, 0, 0, 0, 0, 0, 0, 0, 1.2)),
    ("15.其他企业单位", (5120, 4980, 7730, 7522, 3, 2, 3, 3, 1, 0, 1, 402.6)),
]
# The rows the 合计 adds up: the numbered ones (the (1)/(2) rows are a breakdown of row 4).
SUMMED = ("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9.", "10.", "11.", "12.", "13.", "14.", "15.")


def _pct(part: float, whole: float) -> str:
    return "/" if whole == 0 else f"{part / whole * 100:.1f}"


def _form_row(label: str, figures: tuple[int | float | None, ...] | None) -> list[object]:
    if figures is None:
        return [label] + [None] * 15
    due, done, g_found, g_rect, m_found, m_closed, in_plan, five, supervised, prov, city, funds = figures
    return [label, due, done, _pct(done, due), g_found, g_rect, _pct(g_rect, g_found), m_found, m_closed,
            _pct(m_closed, m_found), in_plan, five, supervised, prov, city, funds]


def write_monthly_form(path: Path, title: str, rows: list[tuple[str, tuple[int | float | None, ...] | None]]) -> None:
    """The 隐患排查治理情况月报表 as statistic_mine.ftl / statistic_other.ftl print it, saved from the browser."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "月报表"
    ws.append(["2012年" + title])
    ws.merge_cells("A1:P1")
    ws.append(["填报单位（章）:宁波市安全生产监督管理局"] + [None] * 11 + ["截止到2012年5月31日为止"])
    ws.merge_cells("A2:L2")
    ws.merge_cells("M2:P2")
    ws.append([])
    for line in (FORM_TOP, FORM_MID, FORM_LOW, FORM_UNITS):
        ws.append(line)
    for rng in FORM_MERGES:
        ws.merge_cells(rng)
    totals = [0.0] * 12
    for label, figures in rows:
        if figures is not None and label.startswith(SUMMED):
            totals = [t + f for t, f in zip(totals, figures)]
    ws.append(_form_row("合    计", tuple(round(t, 1) if i == 11 else int(t) for i, t in enumerate(totals))))
    for label, figures in rows:
        ws.append(_form_row(label, figures))
    ws.append(["单位负责人（签字）：　　　　　　　　　填表人（签字）：　　　　　　　　　联系电话：　　　　　　　　　"
               "填报日期：2012年6月5日"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=16)
    ws.append(["说明", "1.新增统计列“应排查治理事故隐患的生产经营单位”及其“覆盖率”；"])
    ws.append([None, "2.新增：列入治理计划中的“达到'五到位'要求的”，为旧统计表中 a、落实治理目标任务 b、落实治理经费物资 "
                     "c、落实治理机构人员d、落实治理时间要求 e、落实安全措施应急预案，五项全部符合的重大隐患；"])
    ws.append([None, "3.新增：重大隐患增加了挂牌督办情况的统计项。"])
    for row in ws.iter_rows(min_row=4, max_row=7):
        for cell in row:
            cell.alignment = CENTER
    wb.save(path)


# --- the 重大隐患 list that the Ningbo system sends as 重大隐患.xls: an HTML page (trouble_list_excel.jsp) -----

MAJOR_HAZARDS = [  # 地区, 行业与领域 (the template's own labels), 单位名称, 地址, 隐患内容, five 落实 flags, 时间 (report month)
    ("海曙区", "冶金企业", "宁波某金属制品有限公司", "海曙区某工业园区", "煤气发生炉区域一氧化碳报警装置失效，未设置固定式检测报警仪",
     (1, 1, 1, 1, 0), "2012-05"),
    ("江北区", "使用危化品的化工企业", "宁波某化工有限公司", "江北区某路88号", "甲类仓库与厂房防火间距不足，未按设计改造",
     (1, 1, 1, 1, 1), "2012-05"),
    ("北仑区", "生产企业", "宁波某石化储运有限公司", "北仑区某港区", "储罐区防火堤破损，罐区未设置可燃气体检测报警装置",
     (1, 1, 0, 1, 1), "2012-05"),
    ("镇海区", "尾矿库", "宁波某矿业有限公司", "镇海区某村", "尾矿库排洪设施堵塞，坝体浸润线超过控制值",
     (1, 1, 1, 1, 1), "2012-05"),
    ("鄞州区", "建筑施工企业", "宁波某建设有限公司", "鄞州区某地块工地", "深基坑支护未按专项方案施工，监测数据超过报警值",
     (1, 0, 1, 1, 1), "2012-05"),
    ("余姚市", "金属非金属矿山企业", "余姚某石料有限公司", "余姚市某镇", "露天采场未按设计分台阶开采，形成高陡边坡",
     (1, 1, 1, 0, 1), "2012-05"),
    ("慈溪市", "商场、市场等人员密集场所", "慈溪某商贸有限公司", "慈溪市某路", "商场疏散通道堆放货物，自动喷水灭火系统停用",
     (1, 1, 1, 1, 1), "2012-05"),
    ("奉化市", "石油天然气开采企业", "奉化某燃气有限公司", "奉化市某路", "天然气门站放散管高度不足，防雷接地检测不合格",
     (1, 1, 1, 1, 0), "2012-05"),
    ("宁海县", "烟花爆竹", "宁海某烟花爆竹经营有限公司", "宁海县某村", "仓库超量储存，库区防护屏障缺失",
     (1, 1, 1, 1, 1), "2012-05"),
    ("象山县", "渔业企业", "象山某水产有限公司", "象山县某码头", "渔船救生设备配备不足，消防设施失效",
     (1, 1, 1, 1, 1), "2012-05"),
]


def write_major_hazards_html(path: Path) -> None:
    """What the browser saves from trouble_list_excel.jsp: HTML served as application/msexcel, named .xls."""
    head = "".join(f"<th>{h}</th>" for h in ("序号", "地区", "行业与领域", "单位名称", "地址", "隐患内容", "落实治理目标任务",
                                             "落实治理经费物资", "落实治理机构人员", "落实治理时间要求",
                                             "落实安全措施应急预案", "时间"))
    body = []
    for n, (region, trade, company, address, content, flags, month) in enumerate(MAJOR_HAZARDS, 1):
        cells = [f"{n}&nbsp;", f"<p>{region}&nbsp;</p>", f"<p>{trade}</p>", f"<p>{company}&nbsp;</p>",
                 f"<p>{address}&nbsp;</p>", f"<p>{content}&nbsp;</p>",
                 *(("是" if f else "否") + "&nbsp;" for f in flags), f"{month}&nbsp;"]
        body.append("\t<tr>\n" + "".join(f"\t<td>{c}</td>\n" for c in cells) + "\t</tr>\n")
    html = ('<!-- 以上这行设定本网页为excel格式的网页 -->\n\n\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            '\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n</head>\n'
            '<title>重大隐患</title>\n<body>\t\n'
            '<table width="98%" border="0" cellpadding="0" cellspacing="0">\n  <tr>\n'
            '    <td colspan="7" align="center" style="font-size:18px"><strong>\n\t\t重大隐患列表\n\t\t</strong>\n'
            '    </td>\n  </tr>\n</table>\n'
            '<table width="98%" border="1" cellpadding="0" cellspacing="0">\n  <tr>\n' + head + '\n\t</tr>\n'
            + "".join(body) + '</table>\n</body>\n</html>')
    path.write_text(html, encoding="utf-8")


# --- the county accident table of the Wenzhou platform (yhpc src/doc/nbyhpc_demo/template/shigu2.html) --------

ACCIDENT_GROUPS = ("工矿企业", "道路交通", "水上交通", "火灾", "渔船水上交通及捕捞作业")
ACCIDENT_MEASURES = ("事故起数", "死亡人数", "受伤人数", "直接经济损失（万元）")
# Per county, per group: (accidents, deaths, injuries, loss) this month, then the same since January.
WENZHOU: dict[str, dict[str, tuple[tuple[float, ...], tuple[float, ...]]]] = {
    "鹿城区": {"工矿企业": ((1, 1, 0, 35.0), (4, 4, 1, 160.0)), "道路交通": ((3, 2, 4, 6.2), (15, 11, 19, 30.5)),
            "火灾": ((0, 0, 0, 0.0), (1, 0, 0, 12.0))},
    "龙湾区": {"工矿企业": ((2, 2, 1, 80.0), (5, 5, 2, 210.0)), "道路交通": ((1, 1, 0, 2.0), (9, 8, 6, 21.0))},
    "瓯海区": {"工矿企业": ((0, 0, 0, 0.0), (2, 2, 0, 70.0)), "道路交通": ((2, 2, 1, 4.5), (11, 10, 7, 26.0)),
            "水上交通": ((0, 0, 0, 0.0), (1, 1, 0, 8.0))},
    "乐清市": {"工矿企业": ((1, 3, 0, 260.0), (3, 5, 1, 420.0)), "道路交通": ((4, 4, 2, 9.0), (17, 16, 12, 44.0)),
            "渔船水上交通及捕捞作业": ((1, 2, 0, 40.0), (1, 2, 0, 40.0))},
}

BIG = {"乐清市": (1, 3)}  # this month's accidents of 3 or more deaths: 乐清's 工矿企业 accident (3 deaths)


def wenzhou_totals(county: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The 合计 (this month, since January) of a county: the sum over the groups."""
    groups = WENZHOU[county].values()
    return (tuple(sum(g[0][i] for g in groups) for i in range(4)), tuple(sum(g[1][i] for g in groups) for i in range(4)))


def write_wenzhou_accidents(path: Path) -> None:
    """The 区域 × (group × measure × 当月/累计) table; the 合计 group adds 一次死亡3人以上事故 (起数, 死亡人数)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事故统计"
    ws.append(["温州市隐患排查治理信息平台"])
    ws.append(["开始日期:2012-05-01", None, None, "截止日期:2012-05-31"])
    top: list[object] = ["区域"]
    mid: list[object] = [None]
    low: list[object] = [None]
    for group in (*ACCIDENT_GROUPS, "合计"):
        top += [group] + [None] * (7 if group != "合计" else 9)
        for measure in ACCIDENT_MEASURES:
            mid += [measure, None]
            low += ["当月", "累计"]
        if group == "合计":
            mid += ["一次死亡3人以上事故", None]
            low += ["事故起数", "死亡人数"]
    for line in (top, mid, low):
        ws.append(line)
    ws.merge_cells("A3:A5")
    col = 2
    for group in (*ACCIDENT_GROUPS, "合计"):
        width = 8 if group != "合计" else 10
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + width - 1)
        for k in range(width // 2):
            ws.merge_cells(start_row=4, start_column=col + 2 * k, end_row=4, end_column=col + 2 * k + 1)
        col += width
    zero = ((0, 0, 0, 0.0), (0, 0, 0, 0.0))
    for county, groups in WENZHOU.items():
        row: list[object] = [county]
        for group in ACCIDENT_GROUPS:
            month, since_jan = groups.get(group, zero)
            for i in range(4):
                row += [month[i], since_jan[i]]
        month, since_jan = wenzhou_totals(county)
        for i in range(4):
            row += [month[i], since_jan[i]]
        row += list(BIG.get(county, (0, 0)))
        ws.append(row)
    for row in ws.iter_rows(min_row=3, max_row=5):
        for cell in row:
            cell.alignment = CENTER
    wb.save(path)


# --- the accident intake list of the same platform (yhpc src/doc/nbyhpc_demo/template/shigu1.html) -------------

INTAKE = [  # 事故类型, 事故单位名称, 事故报告单位, 事故接报时间, 状态: the template's two rows, then three invented
    ("工矿企业", "萧山区武康石料厂", "萧山区安监局", "2008-11-13", "已结案"),
    ("火灾", "杭州市物资化建民爆有限公司(剧毒品仓库)", "杭州市安监局", "2008-11-12", "未结案"),
    ("道路交通", "杭州某运输有限公司", "余杭区安监局", "2008-11-10", "已结案"),
    ("工矿企业", "富阳某造纸有限公司", "富阳市安监局", "2008-11-06", "未结案"),
    ("水上交通", "杭州某航运有限公司", "杭州市安监局", "2008-11-02", "已结案"),
]


def write_accident_intake(path: Path) -> None:
    """The 事故管理 list page as a workbook (联系人 blank: the template names persons)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事故管理"
    ws.append(["事故管理"])
    ws.append(["序号", "事故类型", "事故单位名称", "事故报告单位", "联系人", "事故接报时间", "状态"])
    for n, (kind, company, reporter, received, state) in enumerate(INTAKE, 1):
        ws.append([n, kind, company, reporter, None, received, state])
    wb.save(path)


# --- national yearly figures as published: 2018's accident count was not released -------------------------

NATIONAL = [
    # 年份, 地区, 事故起数, 死亡人数, 较大事故起数, 较大事故死亡人数, 重特大事故起数, 重特大事故死亡人数
    ("2017", "全国", "53000", "38000", "613", "2332", "25", "342"),
    ("2018", "全国", "", "34046", "", "", "19", ""),
]


def write_national(path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["年份", "地区", "事故起数", "死亡人数", "较大事故起数", "较大事故死亡人数", "重特大事故起数", "重特大事故死亡人数"])
        w.writerows(NATIONAL)


def main() -> None:
    write_monthly_form(HERE / "ningbo_mine_form_2012-05.xlsx",
                       "煤矿、金属非金属矿山等工矿企业安全生产事故隐患排查治理情况月报表", MINE_ROWS)
    write_monthly_form(HERE / "ningbo_other_form_2012-05.xlsx",
                       "交通运输等重点行业领域企业和单位安全生产事故隐患排查治理情况月报表", OTHER_ROWS)
    write_major_hazards_html(HERE / "ningbo_major_hazards_html.xls")
    write_wenzhou_accidents(HERE / "wenzhou_accident_stats_2012-05.xlsx")
    write_national(HERE / "national_yearly_2017_2018.csv")
    write_accident_intake(HERE / "hangzhou_accident_intake_2008-11.xlsx")


if __name__ == "__main__":
    if len(sys.argv) == 4:
        print(blank_people(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])), "cells blanked")
    else:
        main()
