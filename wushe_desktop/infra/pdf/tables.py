"""Building blocks for printed documents: titles, text, data tables, record sheets, signatures.

Every function returns reportlab flowables for ``build_pdf``/``PdfDocument``. User text is
escaped here (a resident's note may contain ``<`` or ``&``). Tables are laid out for the
width the page offers when the document is built, so they fit portrait, compact or
landscape pages unchanged. reportlab loads on the first call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from wushe_desktop.infra.pdf.styles import (
    FONT_SIZES,
    Styles,
    chinese_date,
    chinese_datetime,
    get_styles,
)

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable

__all__ = [
    "cell_text",
    "data_table",
    "kv_table",
    "para",
    "section_title",
    "signature_block",
    "text_block",
]

Align = str  # "left" | "center" | "right"
_ALIGNS = ("left", "center", "right")
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")


def cell_text(value: object) -> str:
    """How a value prints in a cell: dates as 2026年1月5日, booleans 是/否, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return chinese_datetime(value)
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, float | Decimal):
        return f"{value:.2f}"
    return str(value)


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    return isinstance(value, str) and bool(_NUMBER.match(value.strip()))


def _style(styles: Styles, style: ParagraphStyle | str) -> ParagraphStyle:
    if isinstance(style, str):
        found: ParagraphStyle = getattr(styles, style)
        return found
    return style


def para(text: str, style: ParagraphStyle | str = "body", *, compact: bool = False) -> Flowable:
    """One paragraph of user text (escaped; line breaks kept). ``style`` is a Styles field name."""
    from reportlab.platypus import Paragraph

    from wushe_desktop.infra.pdf._flowables import markup

    return Paragraph(markup(text), _style(get_styles(compact=compact), style))


def text_block(
    text: str, style: ParagraphStyle | str = "body", *, compact: bool = False
) -> list[Flowable]:
    """Free text as typed (e.g. 问题与下月计划): one indented paragraph per non-empty line."""
    return [
        para(line.strip(), style, compact=compact) for line in text.splitlines() if line.strip()
    ]


def section_title(text: str, level: int = 1, *, compact: bool = False) -> Flowable:
    """Document title (level 0, 小标宋 style), or a heading: 1 黑体 "一、", 2 楷体 "（一）", 3 仿宋 "1."."""
    from reportlab.platypus import Paragraph

    from wushe_desktop.infra.pdf._flowables import TitleParagraph, markup

    styles = get_styles(compact=compact)
    if level == 0:
        style = styles.title
        return TitleParagraph(markup(text), style, styles.fonts.title_stroke * style.fontSize)
    by_level = {1: styles.h1, 2: styles.h2, 3: styles.h3}
    if level not in by_level:
        raise ValueError(f"section_title level must be 0..3, got {level}")
    return Paragraph(markup(text), by_level[level])


def _aligns(
    columns: Sequence[Sequence[object]], align: Align | Sequence[Align | None] | None, n: int
) -> list[str]:
    if isinstance(align, str):
        given: list[str | None] = [align] * n
    elif align is None:
        given = [None] * n
    else:
        given = list(align)
        if len(given) != n:
            raise ValueError(f"align has {len(given)} entries for {n} columns")
    result: list[str] = []
    for column, wanted in zip(columns, given, strict=True):
        if wanted is not None:
            if wanted not in _ALIGNS:
                raise ValueError(f"align must be one of {_ALIGNS}, got {wanted!r}")
            result.append(wanted)
            continue
        filled = [v for v in column if v is not None and v != ""]
        numeric = bool(filled) and all(_is_number(v) for v in filled)
        result.append("right" if numeric else "left")
    return result


def data_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    col_widths: Sequence[float] | None = None,
    *,
    repeat_header: bool = True,
    zebra: bool = True,
    align: Align | Sequence[Align | None] | None = None,
    total: Sequence[object] | None = None,
    font_size: float = FONT_SIZES["五号"],
    empty_text: str = "（本期无数据）",
) -> Flowable:
    """A gridded table with a shaded header row repeated on every page.

    Cells wrap Chinese text inside the column; columns whose values are all numbers are
    right-aligned unless ``align`` says otherwise. ``col_widths`` in points, or fractions
    of the page width (summing to 1); by default widths follow the content and fill the
    版心. ``total`` is a shaded last row (合计). No rows prints ``empty_text``.
    """
    from wushe_desktop.infra.pdf._flowables import Deferred, TableSpec, build_data_table

    n = len(headers)
    raw = [list(row) for row in rows]
    for number, row in enumerate(raw, start=1):
        if len(row) != n:
            raise ValueError(f"row {number} has {len(row)} cells for {n} headers")
    if total is not None and len(total) != n:
        raise ValueError(f"total has {len(total)} cells for {n} headers")
    if col_widths is not None and len(col_widths) != n:
        raise ValueError(f"col_widths has {len(col_widths)} entries for {n} headers")
    columns = [[row[c] for row in raw] for c in range(n)]
    spec = TableSpec(
        headers=[str(h) for h in headers],
        rows=[[cell_text(v) for v in row] for row in raw],
        aligns=_aligns(columns, align, n),
        col_widths=col_widths,
        repeat_header=repeat_header,
        zebra=zebra,
        total=[cell_text(v) for v in total] if total is not None else None,
        font_size=font_size,
        styles=get_styles(),
        empty_text=empty_text,
    )
    return Deferred(
        lambda width: build_data_table(spec, width),
        space=(font_size * 0.5, font_size),
        label=f"table {n}x{len(raw)}",
    )


def kv_table(
    pairs: Iterable[tuple[str, object]] | Mapping[str, object],
    cols: int = 2,
    *,
    wide: Iterable[str] = (),
    font_size: float = FONT_SIZES["小四"],
) -> Flowable:
    """A record sheet: shaded labels beside their values, ``cols`` pairs per row.

    Labels in ``wide`` (and values too long for half a row) take a whole row, e.g. 主要问题.
    """
    from wushe_desktop.infra.pdf._flowables import Deferred, KvSpec, build_kv_table

    if cols < 1:
        raise ValueError("cols must be at least 1")
    wide_set = set(wide)
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    spec = KvSpec(
        items=[(str(k), cell_text(v), str(k) in wide_set) for k, v in items],
        cols=cols,
        font_size=font_size,
        styles=get_styles(),
    )
    return Deferred(
        lambda width: build_kv_table(spec, width), space=(font_size * 0.5, font_size), label="kv"
    )


def signature_block(
    items: Sequence[str] = ("编制人", "审核人", "日期"),
    seal_text: str = "（盖章）",
    *,
    values: Mapping[str, object] | None = None,
    org: str = "",
    font_size: float = FONT_SIZES["四号"],
) -> Flowable:
    """Signature lines (编制人：____ 审核人：____ 日期：____) and room for the seal.

    ``values`` pre-fills lines (e.g. {"编制人": "张三", "日期": date}); ``org`` prints the
    station's name above the seal text. Kept on one page.
    """
    from wushe_desktop.infra.pdf._flowables import Deferred, SignatureSpec, build_signature

    filled = {k: cell_text(v) for k, v in (values or {}).items()}
    if "日期" in items and "日期" not in filled:
        filled["日期"] = "\u3000\u3000年\u3000月\u3000日"
    spec = SignatureSpec(
        items=list(items),
        values=filled,
        seal_text=seal_text,
        org=org,
        font_size=font_size,
        styles=get_styles(),
    )
    return Deferred(
        lambda width: build_signature(spec, width),
        splittable=False,
        space=(font_size * 2.5, 0.0),
        label="signature",
    )
