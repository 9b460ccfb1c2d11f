"""The certificate as an A4 PDF (embedded fonts), printed from its registered content only,
so a reprint is identical to the first print."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from wushe_desktop.scheduling.certificates import TITLE, CertificateContent
from wushe_desktop.scheduling.timefmt import cn_date

__all__ = ["render_certificate"]


def render_certificate(content: CertificateContent, path: Path) -> int:
    """Write the certificate to ``path`` (atomically); returns the page count."""
    from wushe_desktop.infra.pdf import (
        FONT_SIZES,
        build_pdf,
        data_table,
        kv_table,
        para,
        section_title,
        signature_block,
    )

    flow: list[Any] = [
        section_title(TITLE, 0, compact=True),
        para(content.statement(), compact=True),
        section_title("一、志愿者身份信息", 1, compact=True),
        kv_table(
            [
                ("姓名", content.name),
                ("性别", content.gender or "—"),
                ("证件类型", content.doc_type),
                ("证件号码", content.id_number_masked or "未登记"),
                ("志愿者编号", content.volunteer_no),
                *([("全国志愿者编号", content.national_no)] if content.national_no else []),
            ],
            wide=("志愿者编号", "全国志愿者编号"),
        ),
        section_title("二、志愿服务信息", 1, compact=True),
        data_table(
            ["服务日期", "活动名称", "服务内容", "次数", "时长（小时）"],
            [
                [line.when, line.title, line.content, line.times, line.hours]
                for line in content.lines
            ],
            col_widths=[0.2, 0.22, 0.38, 0.08, 0.12]
            if content.summarised
            else [0.16, 0.24, 0.42, 0.06, 0.12],
            total=["合计", "", "", content.services, content.total_hours],
        ),
        section_title("三、出具单位信息", 1, compact=True),
        kv_table(
            [
                ("出具单位", content.issuer),
                ("负责人", content.issuer_head or "\u3000"),
                ("经办人", content.issuer_handler or "\u3000"),
                ("联系方式", content.issuer_contact or "\u3000"),
                ("出具日期", cn_date(date.fromisoformat(content.issued_on))),
                ("证明编号", content.serial),
            ],
            wide=("出具单位", "证明编号"),
        ),
        section_title("四、其他需要说明的事项", 1, compact=True),
        *[para(f"{n}. {text}", "note", compact=True) for n, text in enumerate(content.notes, 1)],
        signature_block(
            ("负责人（签字）", "经办人（签字）", "日期"),
            seal_text="（出具单位盖章）",
            values={"日期": date.fromisoformat(content.issued_on)},
            org=content.issuer,
            font_size=FONT_SIZES["小四"],
        ),
    ]
    return build_pdf(
        path,
        flow,
        title=f"{TITLE} {content.serial}",
        header_left=content.issuer,
        header_right=content.serial,
        author=content.issuer,
        subject=f"{content.name}的志愿服务证明",
        keywords=("志愿服务证明", content.serial),
        compact=True,
    )
