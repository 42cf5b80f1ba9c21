#!/usr/bin/env python3
"""Writes the demo content's PDF attachments (assets/demo/attachments/*.pdf).

The PDFs are committed; this script is how they were made, so that they can be changed and
made again the same byte for byte (fixed dates, fonts from assets/fonts). It needs fpdf2
(`pip install fpdf2==2.8.9`). After it, rebuild the demo so that the page images follow:
`cargo run --release -- content build assets/demo assets/demo --bundle-version 1`.
"""

import datetime
import pathlib

from fpdf import FPDF

ROOT = pathlib.Path(__file__).resolve().parent.parent
FONTS = ROOT / "assets" / "fonts"
OUT = ROOT / "assets" / "demo" / "attachments"
MADE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)


class Paper(FPDF):
    """An A4 page with the issuer's running footer and page numbers, as offices print."""

    def __init__(self, footer_text, orientation="P"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_creation_date(MADE)
        self.set_creator("gongkai demo")
        self.add_font("song", "", str(FONTS / "NotoSansCJKsc-Regular.otf"))
        self.add_font("song", "B", str(FONTS / "NotoSansCJKsc-Bold.otf"))
        self.set_auto_page_break(True, margin=22)
        self.set_margins(25, 25, 25)

    def footer(self):
        self.set_y(-15)
        self.set_font("song", "", 9)
        self.set_text_color(90)
        self.cell(0, 6, f"{self.footer_text}　　— {self.page_no()} / {{nb}} —", align="C")
        self.set_text_color(0)

    def heading(self, text, size=18):
        self.set_font("song", "B", size)
        self.multi_cell(0, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def section(self, text):
        self.ln(2)
        self.set_font("song", "B", 12.5)
        self.multi_cell(0, 7.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text, size=11.5):
        self.set_font("song", "", size)
        self.multi_cell(0, size * 0.62, "　　" + text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def table(self, header, rows, widths):
        self.set_font("song", "B", 10)
        self.set_fill_color(228, 236, 246)
        for text, width in zip(header, widths):
            self.cell(width, 9, text, border=1, align="C", fill=True)
        self.ln()
        self.set_font("song", "", 10)
        for row in rows:
            for text, width in zip(row, widths):
                self.cell(width, 8.5, str(text), border=1, align="C")
            self.ln()
        self.ln(3)


def flow_chart():
    """附件1 of doc-a-022: the steps of a small works contract, one landscape page."""
    pdf = Paper("云溪区人民政府办公室", orientation="L")
    pdf.add_page()
    pdf.heading("小额工程建设项目交易流程图")
    steps = [
        ("项目登记", "业主单位在交易平台登记项目"),
        ("发布公告", "交易公告不少于5日"),
        ("递交文件", "投标人网上报名、递交文件"),
        ("开标竞价", "竞价、评定分离或随机抽取"),
        ("确定承包人", "业主单位依规确定"),
        ("结果公示", "交易完成后3个工作日内"),
        ("签订合同", "公示期满无异议"),
        ("合同公开", "签订后7个工作日内"),
        ("履约评价", "纳入信用评价"),
    ]
    box_w, box_h, gap = 54, 24, 13
    per_row = 4
    top = 48
    for i, (name, note) in enumerate(steps):
        row, col = divmod(i, per_row)
        col = col if row % 2 == 0 else per_row - 1 - col  # the line snakes back
        x = 22 + col * (box_w + gap)
        y = top + row * (box_h + 22)
        pdf.set_fill_color(232, 240, 250)
        pdf.set_draw_color(40, 80, 140)
        pdf.set_line_width(0.5)
        pdf.rect(x, y, box_w, box_h, style="DF")
        pdf.set_xy(x, y + 3)
        pdf.set_font("song", "B", 12.5)
        pdf.cell(box_w, 8, f"{i + 1}. {name}", align="C")
        pdf.set_xy(x, y + 12)
        pdf.set_font("song", "", 9)
        pdf.cell(box_w, 6, note, align="C")
        if i + 1 < len(steps):
            next_row, next_col = divmod(i + 1, per_row)
            if next_row == row:
                step = 1 if row % 2 == 0 else -1
                start = x + box_w if step == 1 else x
                end = start + step * gap
                pdf.line(start, y + box_h / 2, end, y + box_h / 2)
                tip = end
                pdf.line(tip, y + box_h / 2, tip - step * 3, y + box_h / 2 - 2)
                pdf.line(tip, y + box_h / 2, tip - step * 3, y + box_h / 2 + 2)
            else:
                mid = x + box_w / 2
                pdf.line(mid, y + box_h, mid, y + box_h + 22)
                pdf.line(mid, y + box_h + 22, mid - 2, y + box_h + 19)
                pdf.line(mid, y + box_h + 22, mid + 2, y + box_h + 19)
    pdf.set_xy(22, 172)
    pdf.set_font("song", "", 10.5)
    pdf.multi_cell(
        250,
        6.5,
        "注：施工单项合同估算价在50万元以下的项目，业主单位可按内部控制制度直接发包，"
        "并在交易平台登记备案（第四条）。全部环节在云溪区公共资源交易平台网上办理、全过程留痕可溯。",
    )
    return pdf


def award_notice():
    """附件1 of doc-a-025: the award letter, public version (names of persons masked)."""
    pdf = Paper("云溪区清风街道办事处")
    pdf.add_page()
    pdf.heading("中 标 通 知 书", size=22)
    pdf.set_font("song", "", 11)
    pdf.cell(0, 7, "（公开版）　　编号：YXGC2025-041-ZB", align="C")
    pdf.ln(14)
    pdf.set_font("song", "", 12)
    pdf.multi_cell(0, 8, "江州市城建工程有限公司：", new_x="LMARGIN", new_y="NEXT")
    pdf.paragraph(
        "你方于2025年7月22日所递交的云溪区清风街道老旧小区改造项目（三期）施工投标文件已被我方接受，"
        "被确定为中标人。",
        size=12,
    )
    pdf.ln(2)
    rows = [
        ("项目名称", "云溪区清风街道老旧小区改造项目（三期）施工"),
        ("招标编号", "YXGC2025-041"),
        ("中标价", "人民币叁仟捌佰陆拾贰万伍仟柒佰元整（3862.57万元）"),
        ("工期", "300日历天"),
        ("工程质量", "符合国家现行验收规范合格标准"),
        ("项目经理", "刘**（一级注册建造师）"),
    ]
    for name, value in rows:
        pdf.set_font("song", "B", 11.5)
        pdf.cell(35, 11, name, border=1, align="C")
        pdf.set_font("song", "", 11.5)
        pdf.cell(0, 11, "  " + value, border=1)
        pdf.ln()
    pdf.ln(6)
    pdf.paragraph(
        "请你方在接到本通知书后30日内到云溪区清风街道办事处与我方签订施工承包合同，"
        "并在此之前按招标文件第二章“投标人须知”第7.3款规定向我方提交履约保证金。",
        size=12,
    )
    pdf.paragraph("特此通知。", size=12)
    pdf.ln(16)
    pdf.set_font("song", "", 12)
    for line in ("招标人：云溪区清风街道办事处（盖章）", "招标代理机构：江州市公信招标代理有限公司（盖章）", "2025年8月12日"):
        pdf.cell(0, 9, line, align="R")
        pdf.ln()
    return pdf


def evaluation_report():
    """附件1 of doc-a-024: the main content of the evaluation report, three pages of tables."""
    pdf = Paper("云溪区公共资源交易中心")
    pdf.add_page()
    pdf.heading("云溪区第二实验小学建设工程施工\n评标报告主要内容")
    pdf.section("一、基本情况")
    pdf.paragraph(
        "招标编号YXGC2024-018，招标人云溪区教育体育局，招标代理机构江州正信工程咨询有限公司。"
        "2024年5月15日9时30分在云溪区公共资源交易中心第二开标室开标，共有9家投标人递交投标文件，"
        "均按时解密。招标控制价9865.42万元。"
    )
    pdf.section("二、评标委员会")
    pdf.paragraph(
        "评标委员会由7人组成，其中招标人代表1人，其余6人从省综合评标评审专家库中随机抽取，"
        "专业为建筑工程、工程造价。评标委员会成员名单在中标结果公告后公开。"
    )
    pdf.section("三、投标文件开标记录")
    bidders = [
        ("1", "江州建工集团有限公司", "9538.16", "540", "合格"),
        ("2", "江州市城建工程有限公司", "9571.90", "540", "合格"),
        ("3", "江州鼎盛建设集团有限公司", "9602.35", "530", "合格"),
        ("4", "江州华远建设有限公司", "9644.08", "540", "合格"),
        ("5", "云溪区第一建筑工程公司", "9688.71", "540", "合格"),
        ("6", "江州恒泰建筑有限公司", "9701.26", "540", "合格"),
        ("7", "江州宏基建设工程有限公司", "9715.43", "535", "合格"),
        ("8", "江州广厦建设有限公司", "9733.90", "540", "未通过资格审查"),
        ("9", "江州鑫源建筑工程有限公司", "9790.12", "540", "合格"),
    ]
    pdf.table(["序号", "投标人", "投标报价（万元）", "工期（日历天）", "初步评审"], bidders, [14, 66, 32, 30, 28])
    pdf.add_page()
    pdf.section("四、否决投标情况")
    pdf.paragraph(
        "江州广厦建设有限公司拟派项目经理有在建工程，不符合招标文件第二章“投标人须知”第1.4.1款规定，"
        "评标委员会依据《中华人民共和国招标投标法实施条例》第五十一条否决其投标。"
    )
    pdf.section("五、详细评审得分汇总（满分100分）")
    scores = [
        ("江州建工集团有限公司", "58.62", "24.5", "9.0", "92.12", "1"),
        ("江州市城建工程有限公司", "58.41", "23.8", "8.5", "90.71", "2"),
        ("江州鼎盛建设集团有限公司", "58.19", "23.6", "8.5", "90.29", "3"),
        ("江州华远建设有限公司", "57.93", "22.9", "8.0", "88.83", "4"),
        ("云溪区第一建筑工程公司", "57.66", "22.4", "8.5", "88.56", "5"),
        ("江州恒泰建筑有限公司", "57.58", "21.7", "8.0", "87.28", "6"),
        ("江州宏基建设工程有限公司", "57.49", "21.2", "7.5", "86.19", "7"),
        ("江州鑫源建筑工程有限公司", "57.14", "20.8", "7.5", "85.44", "8"),
    ]
    pdf.table(["投标人", "报价分(60)", "技术分(30)", "信用分(10)", "总分", "排名"], scores, [62, 22, 22, 22, 20, 22])
    pdf.paragraph(
        "报价分以有效投标报价的算术平均值下浮3%为评标基准价，投标报价等于评标基准价得满分，"
        "每高于基准价1%扣1分，每低于基准价1%扣0.5分，中间值按插值法计算，保留两位小数。"
    )
    pdf.add_page()
    pdf.section("六、推荐的中标候选人")
    pdf.table(
        ["排序", "中标候选人", "投标报价（万元）", "总分"],
        [
            ("第一", "江州建工集团有限公司", "9538.16", "92.12"),
            ("第二", "江州市城建工程有限公司", "9571.90", "90.71"),
            ("第三", "江州鼎盛建设集团有限公司", "9602.35", "90.29"),
        ],
        [20, 76, 40, 34],
    )
    pdf.section("七、澄清、说明、补正事项")
    pdf.paragraph("评标过程中，评标委员会未要求投标人作出澄清、说明或者补正。")
    pdf.section("八、异议与投诉渠道")
    pdf.paragraph(
        "投标人或者其他利害关系人对评标结果有异议的，应当在中标候选人公示期内以书面形式向招标人提出；"
        "对答复不满意的，可依法向云溪区住房和城乡建设局投诉，电话0794-8224580。"
    )
    return pdf


PLAN_CHAPTERS = [
    ("第一章　总则", [
        "本规划是落实江州市国土空间总体规划的具体安排，是云溪区国土空间保护、开发、利用、修复的政策和总纲。",
        "规划范围为云溪区全域，包括清风街道、白鹭街道、滨江街道和东湖镇，总面积218.6平方公里。规划期限为2021年至2035年，近期至2025年，远景展望至2050年。",
        "规划坚持生态优先、绿色发展，坚持以人民为中心，坚持底线约束、节约集约，坚持区域协同、城乡融合。",
    ]),
    ("第二章　发展目标与战略", [
        "至2035年，建成江州市域副中心、滨江生态宜居城区和先进制造业集聚区。常住人口规模控制在42万人以内，城镇化率达到86%。",
        "实施“东进、南拓、北优、中提”空间发展战略：东进建设城东产业园，南拓培育滨江新城，北优提升东湖生态农业，中提推动老城区有机更新。",
    ]),
    ("第三章　“三区三线”划定与管控", [
        "全区划定耕地保护目标3.62万亩，其中永久基本农田3.18万亩，主要分布在东湖镇和滨江街道南部。永久基本农田一经划定，任何单位和个人不得擅自占用或者改变用途。",
        "划定生态保护红线12.4平方公里，主要包括东湖湿地、鹭鸶山森林公园和滨江饮用水水源保护区。生态保护红线内，自然保护地核心保护区原则上禁止人为活动。",
        "划定城镇开发边界46.8平方公里。城镇建设原则上在开发边界内集中布局，开发边界外不得进行城镇集中建设。",
    ]),
    ("第四章　国土空间总体格局", [
        "构建“一核两翼三带”空间格局。一核：以滨江新城和老城区为核心的综合服务核；两翼：东湖生态农业发展翼、城东先进制造发展翼；三带：滨江、东湖、荷塘河三条蓝绿生态带。",
        "优化城镇体系，形成“中心城区—重点镇—一般村庄”三级体系，引导人口和产业向中心城区和东湖镇集聚。",
    ]),
    ("第五章　城市功能与公共服务", [
        "构建“15分钟社区生活圈”，至2035年社区生活圈覆盖率达到100%。新增中小学24所、幼儿园31所、社区卫生服务中心6处、养老服务设施40处。",
        "完善公园体系，新建综合公园3处、社区公园18处，实现“300米见绿、500米见园”。",
    ]),
    ("第六章　综合交通与市政设施", [
        "形成“三横四纵”骨架路网，加快建设滨江大道东延、新城二路北延工程。推进轨道交通3号线云溪段建设，设站6座。",
        "新建城东污水处理厂，规模8万立方米/日；城镇生活污水集中收集率达到85%以上。新建变电站5座，推进电动汽车充电设施全覆盖。",
    ]),
    ("第七章　规划实施保障", [
        "建立“年度体检、五年评估”的规划实施评估机制，将规划实施情况纳入全区高质量发展综合考评。",
        "各专项规划应与本规划做好衔接，纳入国土空间规划“一张图”统一管理。对违反规划的建设行为，依法依规严肃查处。",
        "本规划由云溪区人民政府组织实施，区自然资源局负责解释。",
    ]),
]

PLAN_INDICATORS = [
    ("1", "耕地保有量", "万亩", "3.62", "约束性"),
    ("2", "永久基本农田保护面积", "万亩", "3.18", "约束性"),
    ("3", "生态保护红线面积", "平方公里", "12.4", "约束性"),
    ("4", "城镇开发边界面积", "平方公里", "46.8", "约束性"),
    ("5", "常住人口规模", "万人", "42", "预期性"),
    ("6", "人均应急避难场所面积", "平方米", "2.0", "预期性"),
    ("7", "社区生活圈覆盖率", "%", "100", "预期性"),
    ("8", "公园绿地、广场步行5分钟覆盖率", "%", "90", "预期性"),
    ("9", "城镇生活污水集中收集率", "%", "85", "约束性"),
    ("10", "用水总量", "亿立方米", "1.12", "约束性"),
]


def zoning_plan():
    """附件1 of doc-a-001: the public text of the district plan, six pages."""
    pdf = Paper("云溪区国土空间分区规划（2021—2035年）文本（公众版）")
    pdf.add_page()
    pdf.ln(50)
    pdf.heading("云溪区国土空间分区规划\n（2021—2035年）", size=24)
    pdf.ln(6)
    pdf.heading("文本（公众版）", size=16)
    pdf.ln(70)
    pdf.set_font("song", "", 13)
    pdf.cell(0, 9, "云溪区人民政府", align="C")
    pdf.ln()
    pdf.cell(0, 9, "二〇二四年六月", align="C")
    pdf.add_page()
    for title, paragraphs in PLAN_CHAPTERS:
        pdf.section(title)
        for text in paragraphs:
            pdf.paragraph(text)
    pdf.add_page()
    pdf.section("附表　规划主要控制指标")
    pdf.table(["序号", "指标", "单位", "2035年目标", "属性"], PLAN_INDICATORS, [14, 72, 24, 26, 24])
    return pdf


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    made = {
        "doc-a-022-1.pdf": flow_chart(),
        "doc-a-025-1.pdf": award_notice(),
        "doc-a-024-1.pdf": evaluation_report(),
        "doc-a-001-1.pdf": zoning_plan(),
    }
    for name, pdf in made.items():
        pdf.output(str(OUT / name))
        print(f"{name}: {pdf.pages_count} pages")


if __name__ == "__main__":
    main()
