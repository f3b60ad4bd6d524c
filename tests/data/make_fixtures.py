"""Writes the small, real-looking input files in tests/data (run once; the files are committed).

    python tests/data/make_fixtures.py

They mimic what regions really send: title rows, merged two-level headers, a 合计 row, a 填表人
footer, GBK encoding, full-width brackets and digits, every date form, and a few bad rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent

ACCIDENT_HEADER = ["序号", "事故编号", "发生时间", "地区", "行业领域", "事故单位", "死亡人数（人）", "失踪人数",
                   "重伤人数（含急性工业中毒）", "直接经济损失（万元）", "事故类型", "事故等级", "事故简况"]
# Rows as a person types them; comments say what each one tests.
ACCIDENT_ROWS = [
    [1, "HN-2024-001", "2024-01-15 08:30", "湖南省长沙市岳麓区", "建筑施工", "湖南某建设集团有限公司", 1, 0, 0, 120, "高处坠落", "一般", "脚手架作业人员坠落"],
    [2, "HN-2024-002", "2024/2/3", "浏阳市", "烟花爆竹", "浏阳市某花炮厂", 3, 0, 2, "1,250", "火药爆炸", "较大", "药物混合工房爆炸"],
    [3, "HN-2024-003", "2024.03.08", "长沙市天心区", "道路运输", "长沙某运输有限公司", "２", 0, 0, 45.5, "车辆伤害", "", "货车侧翻"],
    [4, "HN-2024-004", "2024年4月9日", "湘潭市", "工贸", "湘潭某钢铁有限公司", 2, 1, 0, 300, "中毒和窒息", "一般", "煤气泄漏，2死1失踪"],  # 3 incl. missing: 较大 → grade conflict
    [5, "HN-2024-005", "2024年5月6日 14时30分", "株洲市荷塘区", "危化", "株洲某化工有限公司", 0, 0, 10, 80, "容器爆炸", "较大", "反应釜超压，10人重伤"],
    [6, "HN-2024-006", 45458, "衡阳市", "消防", "衡阳某商场", 1, 0, 0, 1000, "火灾", "较大", "直接经济损失正好1000万元"],
    [7, "HN-2024-007", "2024-13-05", "岳阳市", "建筑施工", "岳阳某建筑公司", 1, 0, 0, 50, "物体打击", "一般", "日期写错的行"],  # bad date
    [8, "HN-2024-008", "2024-07-01", "鼓楼区", "建筑施工", "某建筑公司", 1, 0, 0, 40, "坍塌", "一般", "地区有歧义的行"],  # ambiguous region
    [9, "HN-2024-009", "2024-07-02", "常德市", "游乐设施", "常德某游乐园", 1, 0, 0, 30, "机械伤害", "一般", "行业不认识的行"],  # unknown industry
    [10, "HN-2024-010", "2024-07-03", "益阳市", "工贸", "益阳某机械厂", -1, 0, 0, 20, "机械伤害", "一般", "死亡人数为负"],  # negative deaths
    [11, "", "2024-08-11", "郴州市", "金属非金属矿山", "郴州某矿业有限公司", 1, 0, 0, 90, "冒顶片帮", "一般", "无编号，按内容生成"],
    [12, "HN-2024-012", "2024-09-20", "湖南省", "其他", "", 12, 0, 0, 6000, "其他伤害", "重大", "重大事故"],
]


def accidents_gbk_csv() -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["2024年1—9月湖南省生产安全事故台账"])
    w.writerow(["填报单位：湖南省应急管理厅", "", "", "", "", "", "单位：人、万元"])
    w.writerow(ACCIDENT_HEADER)
    for r in ACCIDENT_ROWS:
        w.writerow(r)
    w.writerow(["合计", "", "", "", "", "", 22, 1, 12, "8,955.5", "", "", ""])
    w.writerow(["填表人：张三", "", "审核人：李四", "", "填报日期：2024年10月8日"])
    (HERE / "accidents_hunan_gbk.csv").write_bytes(buf.getvalue().encode("gbk"))


def accidents_xlsx() -> None:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "本表按月报送，死亡人数含失踪。"
    ws = wb.create_sheet("事故台账")
    ws["A1"] = "2024年湖南省生产安全事故统计台账"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(ACCIDENT_HEADER))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "填报单位（盖章）：湖南省应急管理厅"
    ws.append([])
    ws.append(ACCIDENT_HEADER)
    for r in ACCIDENT_ROWS:
        row = list(r)
        if r[0] == 1:
            row[2] = dt.datetime(2024, 1, 15, 8, 30)  # a real Excel date-time cell
        if r[0] == 4:
            row[2] = dt.date(2024, 4, 9)  # a real Excel date cell
        ws.append(row)
    ws.append(["合计", None, None, None, None, None, 22, 1, 12, 8955.5])
    ws.append(["填表人：张三", None, "审核人：李四"])
    other = wb.create_sheet("2023年")
    other.append(ACCIDENT_HEADER)
    other.append([1, "HN-2023-001", "2023-06-01", "长沙市", "建筑施工", "某公司", 1, 0, 0, 10, "高处坠落", "一般", "2023年的事故"])
    wb.save(HERE / "accidents_hunan_titled.xlsx")


def accidents_english_bom_csv() -> None:
    rows = [
        ["id", "occurred at", "region", "industry", "enterprise", "deaths", "serious injuries", "direct loss (10k CNY)",
         "accident type"],
        ["EN-1", "2024-03-01T09:15", "430104", "construction", "Acme Build Co.", "1", "0", "35", "高处坠落"],
        ["EN-2", "2024-03-02", "Changsha", "road transport", "", "0", "3", "12", "车辆伤害"],
        ["EN-3", "2024-03-03", "南京市鼓楼区", "hazardous chemicals", "Nanjing Chem", "30", "0", "20000", "其他爆炸"],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (HERE / "accidents_english_bom.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))


def accidents_xls_and_parquet() -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    header = ["发生日期", "所在地区", "行业", "死亡", "直接经济损失(元)"]
    rows = [["2024-10-01", "湖北省仙桃市", "危化品", 1, 2_500_000], ["2024-10-02", "重庆市渝中区", "燃气", 3, 500_000]]
    for j, h in enumerate(header):
        sheet.write(0, j, h)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            sheet.write(i, j, v)
    book.save(str(HERE / "accidents_legacy.xls"))
    pd.DataFrame(
        {"事故编号": ["PQ-1", "PQ-2"], "发生时间": [dt.datetime(2024, 11, 1, 10), dt.datetime(2024, 11, 2)],
         "地区": ["440300", "上海市浦东新区"], "行业领域": ["建筑施工", "特种设备"], "死亡人数": [1, 0],
         "重伤人数": [0, 1], "直接经济损失": [10.0, 5.0]}
    ).to_parquet(HERE / "accidents.parquet", index=False)


HAZARD_HEADER = ["隐患编号", "企业名称", "统一社会信用代码", "所在地区", "行业领域", "隐患描述", "隐患类别", "隐患级别",
                 "隐患来源", "发现日期", "整改期限", "整改完成日期", "验收日期", "整改资金（万元）", "整改责任人", "挂牌督办",
                 "措施到位", "资金到位", "时限到位", "责任人到位", "预案到位"]
HAZARD_ROWS = [
    ["YH-001", "长沙某化工有限公司", "91430104MA4L0001XY", "岳麓区", "危险化学品", "储罐区可燃气体报警器失效", "设备设施", "重大",
     "执法检查", "2024-03-01", "2024-05-31", "2024-05-20", "2024-06-02", 35.5, "王五", "省级", "是", "是", "是", "是", "是"],
    ["YH-002", "浏阳某花炮厂", "91430181MA4L0002XY", "浏阳市", "烟花爆竹", "药物存放超量", "安全管理", "一般", "企业自查",
     "2024/3/5", "2024/3/10", "2024/3/8", "", "0.5", "赵六", "无", "", "", "", "", ""],
    ["YH-003", "株洲某机械厂", "", "株洲市荷塘区", "工贸", "冲压设备防护罩缺失", "设备设施", "一般", "举报", "2024年4月1日",
     "2024年4月15日", "", "", "", "", "", "", "", "", "", ""],
    ["YH-004", "湘潭某矿业公司", "", "湘潭市", "非煤矿山", "整改日期早于发现日期", "作业环境", "一般", "专家", "2024-05-10",
     "2024-05-20", "2024-05-01", "", "", "", "", "", "", "", "", ""],  # rectified before found → reject
    ["YH-005", "衡阳某燃气公司", "", "衡阳市", "燃气", "验收早于整改", "设备设施", "重大", "执法检查", "2024-05-10",
     "2024-08-10", "2024-07-01", "2024-06-01", 80, "孙七", "市级", "是", "否", "是", "是", "是"],  # accepted before rectified
    ["YH-006", "岳阳某建设公司", "", "岳阳市", "建筑施工", "临边防护缺失", "作业环境", "一般", "企业自查", "2024-06-01",
     "2024-06-05", "", "", "", "", "", "", "", "", "", ""],
    ["YH-007", "常德某公司", "", "常德市", "建筑施工", "级别写错", "作业环境", "特大", "企业自查", "2024-06-02",
     "", "", "", "", "", "", "", "", "", "", ""],  # bad grade
]


def hazards_xlsx() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患台账"
    ws["A1"] = "湖南省工矿企业事故隐患排查治理台账"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HAZARD_HEADER))
    ws.append(["统计时间：2024年1—6月"])
    ws.append(HAZARD_HEADER)
    for r in HAZARD_ROWS:
        ws.append(r)
    ws.append(["合计", None, None, None, None, None, None, None, None, None, None, None, None, 116])
    wb.save(HERE / "hazards_hunan.xlsx")


def hazards_status_csv() -> None:
    rows = [
        ["隐患编号", "企业名称", "地区", "行业", "隐患级别", "发现日期", "整改期限", "整改完成日期", "验收日期", "整改状态"],
        ["ZT-1", "某公司甲", "长沙市", "工贸", "一般", "2024-01-02", "2024-01-12", "2024-01-10", "2024-01-15", "已销号"],
        ["ZT-2", "某公司乙", "长沙市", "工贸", "一般", "2024-01-02", "2024-01-12", "2024-01-10", "", "验收不通过"],
        ["ZT-3", "某公司丙", "长沙市", "工贸", "重大", "2024-01-02", "2024-03-12", "", "", "整改中"],
        ["ZT-4", "某公司丁", "长沙市", "工贸", "一般", "2024-01-02", "", "", "", "乱写的状态"],  # bad status
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (HERE / "hazards_status_utf8.csv").write_text(buf.getvalue(), encoding="utf-8")


def accident_stats_files() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "分地区"
    ws["A1"] = "2023年各市州生产安全事故统计表"
    ws.merge_cells("A1:I1")
    ws.append(["年份", "地区", "事故起数", "死亡人数", "较大事故起数", "较大事故死亡人数", "重特大事故起数", "重特大事故死亡人数",
               "直接经济损失（万元）"])
    ws.append([2023, "长沙市", 120, 98, 3, 11, 0, 0, 5200])
    ws.append([2023, "株洲市", 80, 71, 1, 3, 0, 0, 2100.5])
    ws.append(["2023年", "湘西土家族苗族自治州", "1,050", 40, 0, 0, 0, 0, 900])
    ws.append([2023, "湘潭市", 10, 5, 8, 30, 0, 0, 100])  # 较大 deaths > total deaths → reject
    ws.append(["合计", None, 1260, 214, 12, 44, 0, 0, 8300.5])
    wb.save(HERE / "accident_stats_2023.xlsx")
    rows = [
        ["统计期间", "地区", "行业领域", "事故起数", "死亡人数", "较大事故起数", "较大事故死亡人数", "重特大事故起数", "重特大事故死亡人数"],
        ["2024-01", "湖南省", "", "150", "130", "2", "7", "0", "0"],
        ["2024年2月", "湖南省", "", "110", "95", "1", "3", "0", "0"],
        ["202403", "湖南省", "道路运输", "60", "55", "1", "4", "0", "0"],
        ["2024-03", "湖南省", "全部", "140", "120", "2", "8", "1", "11"],
        ["2024-13", "湖南省", "", "1", "1", "0", "0", "0", "0"],  # bad period
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (HERE / "accident_stats_monthly_gb18030.csv").write_bytes(buf.getvalue().encode("gb18030"))


def hazard_report_xlsx() -> None:
    """工矿企业隐患排查治理情况月报表, laid out like the paper form."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "月报表"
    ws["A1"] = "工矿企业隐患排查治理情况月报表"
    ws.merge_cells("A1:P1")
    ws["A2"] = "填报单位：湖南省长沙市应急管理局"
    ws["J2"] = "统计期间：2024年3月"
    ws["A3"] = "行业领域"
    ws.merge_cells("A3:A4")
    ws["B3"] = "排查企业数（家）"
    ws.merge_cells("B3:B4")
    ws["C3"] = "一般隐患"
    ws.merge_cells("C3:E3")
    for col, text in zip("CDE", ["排查数（项）", "已整改数（项）", "整改率（%）"], strict=True):
        ws[f"{col}4"] = text
    ws["F3"] = "重大隐患"
    ws.merge_cells("F3:N3")
    for col, text in zip("FGHIJKLMN", ["排查数（项）", "已整改数（项）", "已销号数（项）", "整改率（%）", "列入治理计划数（项）",
                                       "五到位数（项）", "挂牌督办数（项）", "其中省级（项）", "—"], strict=True):
        ws[f"{col}4"] = text
    ws["O3"] = "治理资金（万元）"
    ws.merge_cells("O3:O4")
    data = [
        ["煤矿", 12, 340, 330, "97.1%", 2, 2, 1, "100%", 2, 2, 1, 0, None, 120.5],
        ["金属非金属矿山", 45, 1200, 1150, "95.8%", 3, 2, 2, "66.7%", 3, 3, 2, 1, None, 300],
        ["危险化学品", 80, "2,100", 2050, "97.6%", 5, 4, 3, "80.0%", 5, 4, 3, 1, None, 560.25],
        ["烟花爆竹", 30, 400, 398, "99.5%", 0, 0, 0, "—", 0, 0, 0, 0, None, 12],
        ["工贸", 500, 5200, 4900, "94.2%", 4, 1, 1, "25.0%", 4, 4, 2, 0, None, 800],
    ]
    for r in data:
        ws.append(r)
    ws.append(["合计", 667, 9240, 8828, "95.5%", 14, 9, 7, "64.3%", 14, 13, 8, 2, None, 1792.75])
    ws.append(["填表人：刘八", None, None, "审核人：陈九", None, None, None, "填报日期：2024年4月5日"])
    wb.save(HERE / "hazard_monthly_report_changsha.xlsx")


def targets_xlsx() -> None:
    """控制指标分解表: the year only in the title, a 备注 column, a 合计 row and a 说明 footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "控制指标"
    ws["A1"] = "2024年度各市州生产安全事故控制指标分解表"
    ws.merge_cells("A1:E1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "单位：人、起"
    ws.append(["序号", "地区", "死亡人数控制指标（人）", "事故起数控制指标（起）", "备注"])
    rows = [
        [1, "湖南省", 640, 700, "全省指标"],
        [2, "长沙市", 90, 100, None],
        [3, "株洲市", "45", "50", None],
        [4, "湘潭市", 30, None, "未下达起数指标"],
        [5, "湘西土家族苗族自治州", "２０", 22, None],  # full-width digits
        [6, "鼓楼区", 10, 12, None],  # ambiguous region → reject
        [7, "岳阳市", None, 30, None],  # no deaths target → reject
        [8, "衡阳市", -5, 40, None],  # negative → reject
    ]
    for r in rows:
        ws.append(r)
    ws.append(["合计", None, 185, 172, None])
    ws.append(["说明：死亡人数含失踪人数。"])
    wb.save(HERE / "targets_2024.xlsx")


def bad_files() -> None:
    (HERE / "renamed_pdf.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
    (HERE / "empty.csv").write_bytes(b"")
    rows = [["发生时间", "地区", "事故单位"], ["2024-01-01", "长沙市", "某公司"]]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (HERE / "accidents_missing_required.csv").write_text(buf.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    accidents_gbk_csv()
    accidents_xlsx()
    accidents_english_bom_csv()
    accidents_xls_and_parquet()
    hazards_xlsx()
    hazards_status_csv()
    accident_stats_files()
    hazard_report_xlsx()
    targets_xlsx()
    bad_files()
    print("written:", ", ".join(sorted(p.name for p in HERE.iterdir() if p.suffix != ".py")))
