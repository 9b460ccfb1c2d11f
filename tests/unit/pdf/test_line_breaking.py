"""Chinese closing punctuation never starts a line (it hangs at the end of the previous one)."""

from __future__ import annotations

from wushe_desktop.infra.pdf import get_styles, register_fonts
from wushe_desktop.infra.pdf.fonts import CHINESE_CANNOT_START

TEXT = (
    "本月共提供各类服务1,031次、1,151人次，服务居民541人，服务时长676.6小时。新接个案8件，"
    "结案3件，期末在案41件；开展小组活动0节、社区活动1场，探访422次；重点人群中有368人接受了"
    "服务，覆盖率39.9%；志愿者47人参与服务89人次，服务时长199.0小时。"
)


def _line_starts(markup: str, width: float) -> list[str]:
    from reportlab.platypus import Paragraph

    register_fonts()
    para = Paragraph(markup, get_styles().body)
    para.wrap(width, 10_000)
    starts = []
    for line in para.blPara.lines:
        words = line[1] if isinstance(line, tuple) else line.words
        text = "".join(w if isinstance(w, str) else getattr(w, "text", "") for w in words)
        starts.append(text[:1])
    return starts


def test_no_line_starts_with_closing_punctuation() -> None:
    for width in range(200, 460, 7):  # many widths, so breaks fall everywhere
        for markup in (TEXT, TEXT.replace("新接个案", "<b>新接个案</b>")):  # one and many frags
            starts = _line_starts(markup, width)
            assert len(starts) > 1
            assert not [s for s in starts if s and s in CHINESE_CANNOT_START], (width, starts)
