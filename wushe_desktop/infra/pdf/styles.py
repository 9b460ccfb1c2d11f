"""Page geometry and type scale after GB/T 9704-2012, Chinese dates, paragraph styles.

Monthly reports are internal documents, not 公文, so we take the standard's page geometry
and type scale (DOMAIN-RULES §9) without 版头, red rule or document number. The style
objects come from reportlab, imported inside ``get_styles`` only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from wushe_desktop.infra.pdf.fonts import FontSet, register_fonts

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

__all__ = [
    "COMPACT",
    "COMPACT_LANDSCAPE",
    "FONT_SIZES",
    "LANDSCAPE",
    "LINE_HEIGHT",
    "MM",
    "PORTRAIT",
    "PageGeometry",
    "Styles",
    "chinese_date",
    "chinese_datetime",
    "chinese_month",
    "chinese_numeral",
    "get_styles",
    "page_geometry",
]

#: Points per millimetre.
MM = 72 / 25.4

#: 号 -> points (DOMAIN-RULES §9).
FONT_SIZES: dict[str, float] = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
    "小五": 9,
}

#: The standard's fixed line height: 22 lines fill the 225 mm 版心 (225 mm / 22 ≈ 28.99 pt);
#: a hair less so rounding never pushes the 22nd line onto the next page.
LINE_HEIGHT = 28.95


@dataclass(frozen=True)
class PageGeometry:
    """Paper size and margins in points; the frame between the margins is the 版心."""

    width: float
    height: float
    top: float
    left: float
    right: float
    bottom: float

    @property
    def body_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def body_height(self) -> float:
        return self.height - self.top - self.bottom


#: GB/T 9704: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so right 26 mm, bottom 35 mm).
PORTRAIT = PageGeometry(
    210 * MM, 297 * MM, top=37 * MM, left=28 * MM, right=26 * MM, bottom=35 * MM
)
#: Wide tables (rosters): A4 landscape, narrower margins, still room for header and footer.
LANDSCAPE = PageGeometry(
    297 * MM, 210 * MM, top=25 * MM, left=20 * MM, right=20 * MM, bottom=22 * MM
)
#: Dense reports: A4 portrait with 25/22/25/20 mm margins (版心 165 × 250 mm).
COMPACT = PageGeometry(210 * MM, 297 * MM, top=25 * MM, left=25 * MM, right=20 * MM, bottom=22 * MM)
COMPACT_LANDSCAPE = LANDSCAPE


def page_geometry(*, landscape: bool = False, compact: bool = False) -> PageGeometry:
    if landscape:
        return COMPACT_LANDSCAPE if compact else LANDSCAPE
    return COMPACT if compact else PORTRAIT


def chinese_date(d: date) -> str:
    """``2026年1月5日``: Arabic digits, full year, no leading zeros (GB/T 9704)."""
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_datetime(d: datetime) -> str:
    """``2026年1月5日 09:30``."""
    return f"{chinese_date(d)} {d:%H:%M}"


def chinese_month(year: int, month: int) -> str:
    """``2026年1月``."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    return f"{year}年{month}月"


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals for heading numbers: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十."""
    if not 1 <= n <= 99:
        raise ValueError(f"chinese_numeral supports 1..99, got {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    prefix = "" if tens == 1 else _DIGITS[tens]
    return f"{prefix}十{_DIGITS[ones] if ones else ''}"


@dataclass(frozen=True)
class Styles:
    """The paragraph styles every printed document uses (all wrap Chinese text per character)."""

    fonts: FontSet
    title: ParagraphStyle  # 二号 小标宋, centred
    subtitle: ParagraphStyle  # 三号 楷体, centred (a line under the title)
    h1: ParagraphStyle  # 三号 黑体 "一、"
    h2: ParagraphStyle  # 三号 楷体 "（一）"
    h3: ParagraphStyle  # 三号 仿宋 "1." (emphasis via <b> → 黑体)
    body: ParagraphStyle  # 三号 仿宋, 28.95 pt lines (22 per page), first line indented 2 chars
    body_small: ParagraphStyle  # 小四 for dense reports
    table: ParagraphStyle  # 五号 table cell text
    table_header: ParagraphStyle  # 五号 centred header cell
    note: ParagraphStyle  # 小五 notes, sources, definitions
    header: ParagraphStyle  # page header text
    footer: ParagraphStyle  # page number footer
    compact: bool = False


_lock = threading.Lock()
_styles: dict[tuple[FontSet, bool], Styles] = {}


def get_styles(fonts: FontSet | None = None, *, compact: bool = False) -> Styles:
    """The shared styles (cached). ``compact`` uses 四号 headings and 小四 body for dense reports."""
    fonts = fonts or register_fonts()
    key = (fonts, compact)
    with _lock:
        found = _styles.get(key)
        if found is None:
            found = _styles[key] = _make_styles(fonts, compact)
        return found


def _make_styles(fonts: FontSet, compact: bool) -> Styles:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    def style(name: str, font: str, size: float, leading: float, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw
        )

    head = FONT_SIZES["四号"] if compact else FONT_SIZES["三号"]
    head_leading = 22.0 if compact else LINE_HEIGHT
    body_size = FONT_SIZES["小四"] if compact else FONT_SIZES["三号"]
    body_leading = 20.0 if compact else LINE_HEIGHT
    title_size = FONT_SIZES["小二"] if compact else FONT_SIZES["二号"]
    return Styles(
        fonts=fonts,
        compact=compact,
        title=style(
            "wushe-title",
            fonts.title,
            title_size,
            title_size * 1.5,
            alignment=TA_CENTER,
            spaceAfter=body_leading * 0.5,
            keepWithNext=1,
        ),
        subtitle=style(
            "wushe-subtitle",
            fonts.subheading,
            head,
            head_leading,
            alignment=TA_CENTER,
            spaceAfter=body_leading * 0.5,
            keepWithNext=1,
        ),
        h1=style(
            "wushe-h1",
            fonts.heading,
            head,
            head_leading,
            firstLineIndent=2 * head,
            spaceBefore=head_leading * 0.25,
            keepWithNext=1,
        ),
        h2=style(
            "wushe-h2",
            fonts.subheading,
            head,
            head_leading,
            firstLineIndent=2 * head,
            keepWithNext=1,
        ),
        h3=style(
            "wushe-h3", fonts.body, head, head_leading, firstLineIndent=2 * head, keepWithNext=1
        ),
        body=style(
            "wushe-body",
            fonts.body,
            body_size,
            body_leading,
            firstLineIndent=2 * body_size,
            alignment=TA_JUSTIFY,
        ),
        body_small=style(
            "wushe-body-small",
            fonts.body,
            FONT_SIZES["小四"],
            20.0,
            firstLineIndent=2 * FONT_SIZES["小四"],
            alignment=TA_JUSTIFY,
        ),
        table=style("wushe-table", fonts.plain, FONT_SIZES["五号"], 13.5, alignment=TA_LEFT),
        table_header=style(
            "wushe-table-header", fonts.heading, FONT_SIZES["五号"], 13.5, alignment=TA_CENTER
        ),
        note=style("wushe-note", fonts.body, FONT_SIZES["小五"], 13.0, alignment=TA_JUSTIFY),
        header=style("wushe-header", fonts.body, FONT_SIZES["五号"], 13.0),
        footer=style("wushe-footer", fonts.body, FONT_SIZES["五号"], 13.0, alignment=TA_CENTER),
    )
