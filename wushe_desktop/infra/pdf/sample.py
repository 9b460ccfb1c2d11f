"""A sample monthly report built from every block of the PDF layer.

Used by the tests, the benchmark and ``docs/pdf-samples``; also a worked example for the
rooms that print: ``python -m wushe_desktop.infra.pdf.sample out.pdf [rows]``.
"""

from __future__ import annotations

import sys
from calendar import monthrange
from datetime import date
from pathlib import Path

from wushe_desktop.infra.pdf.charts import bar_chart, line_chart, month_labels
from wushe_desktop.infra.pdf.document import PdfDocument
from wushe_desktop.infra.pdf.styles import chinese_date, chinese_month, chinese_numeral
from wushe_desktop.infra.pdf.tables import (
    data_table,
    kv_table,
    para,
    section_title,
    signature_block,
    text_block,
)
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress

STATION = "青山街道社会工作服务站"
COMMUNITIES = ("青山社区", "东湖社区", "白沙洲社区", "南岸村", "杨园社区", "桃源村")
SERVICES = ("探访关爱", "政策咨询", "心理疏导", "助餐配送", "陪同就医", "矛盾调解", "课业辅导")


def build_sample(
    path: Path,
    *,
    rows: int = 150,
    year: int = 2026,
    month: int = 1,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the sample report (title, headings, text, figures, charts, a ``rows``-row table)."""
    title = f"{STATION}{chinese_month(year, month)}工作报告"
    doc = PdfDocument(
        path,
        title=title,
        header_left=STATION,
        header_right=f"{chinese_month(year, month)}工作报告",
        author="张晓梅",
        subject="社工站月度工作报告",
        keywords=("月报", "五社联动"),
    )
    heading = iter(range(1, 20))
    doc.add(
        section_title(title, 0),
        para(
            f"（{chinese_date(date(year, month, 1))}—{chinese_date(date(year, month, monthrange(year, month)[1]))}）",
            "subtitle",
        ),
        section_title(f"{chinese_numeral(next(heading))}、总体情况", 1),
        para(
            "本月，工作站围绕“五社联动”机制，以困难群众和特殊群体为重点，开展个案服务、"
            "小组工作和社区活动，联动社区、社会组织、社区志愿者和社会慈善资源，"
            "各项工作平稳有序推进。全月新增个案12个，结案9个；开展小组活动18节次、"
            "社区活动7场，服务居民2,346人次；志愿者参与服务412人次，服务时长1,268.5小时。"
        ),
        section_title("（一）重点人群覆盖", 2),
        para(
            "对辖区独居老人、留守儿童、残疾人和低保、特困、低保边缘家庭开展走访，"
            "覆盖率较上月提高3.2个百分点，春节前完成全部特困人员的探访。"
        ),
        kv_table(
            {
                "工作站": STATION,
                "报告月份": chinese_month(year, month),
                "驻站社工": "6人",
                "志愿者": "215人（本月新增14人）",
                "编制日期": date(year, month + 1 if month < 12 else 1, 5),
                "联系电话": "027-8888 6666",
                "备注": "本报告数据截至月末最后一日24时，个案与亮点信息已作匿名化处理。",
            },
            wide=("备注",),
        ),
        section_title(f"{chinese_numeral(next(heading))}、主要指标", 1),
        data_table(
            ["指标", "本月", "上月", "去年同期", "本年累计"],
            [
                ["新增个案（个）", 12, 10, 8, 12],
                ["在案个案（个）", 47, 44, 31, 47],
                ["小组活动（节次）", 18, 15, 11, 18],
                ["社区活动（场）", 7, 9, 5, 7],
                ["服务人次", 2346, 2101, 1650, 2346],
                ["志愿服务时长（小时）", "1,268.5", "1,102.0", "806.5", "1,268.5"],
            ],
            col_widths=(0.32, 0.17, 0.17, 0.17, 0.17),
        ),
    )
    labels = month_labels(year, month)
    served = [1650 + 60 * i + (i % 3) * 45 for i in range(12)]
    hours = [806.5 + 38.5 * i for i in range(12)]
    doc.add(
        bar_chart(
            labels,
            {"服务人次": served, "参与居民": [int(v * 0.62) for v in served]},
            title="近12个月服务人次",
            unit="人次",
        ),
        line_chart(labels, {"志愿服务时长": hours}, title="近12个月志愿服务时长", unit="小时"),
        section_title(f"{chinese_numeral(next(heading))}、服务明细", 1),
        data_table(
            ["序号", "日期", "社区", "服务类型", "服务对象", "人次", "时长（分钟）", "备注"],
            [
                [
                    i + 1,
                    date(year, month, 1 + i % 28),
                    COMMUNITIES[i % len(COMMUNITIES)],
                    SERVICES[i % len(SERVICES)],
                    f"居民{i % 37 + 1:03d}",
                    1 + i % 4,
                    30 + (i * 7) % 90,
                    "需持续跟进，下周由社工二次回访并联系社区网格员" if i % 11 == 0 else "",
                ]
                for i in range(rows)
            ],
            total=["合计", "", "", "", "", sum(1 + i % 4 for i in range(rows)), "", ""],
        ),
        section_title(f"{chinese_numeral(next(heading))}、存在问题与下月计划", 1),
        *text_block(
            "部分村（社区）志愿者队伍老龄化，青年志愿者参与不足。\n"
            "下月将联合辖区学校开展寒假青少年志愿服务，并完成第一季度个案督导。"
        ),
        signature_block(values={"编制人": "张晓梅"}, org=STATION),
    )
    return doc.build(progress=progress, cancel=cancel)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("sample-report.pdf")
    rows = int(args[1]) if len(args) > 1 else 150
    pages = build_sample(out, rows=rows)
    print(f"{out}: {pages} 页")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
