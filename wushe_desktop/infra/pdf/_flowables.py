"""reportlab flowables behind tables.py (imported only when a document is made).

Tables are laid out when the frame asks for them (``Deferred``), so the same call fits a
portrait 版心, a compact page or a landscape roster without the caller passing widths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, Paragraph, Table, TableStyle

from wushe_desktop.infra.pdf.styles import MM, Styles

PAD_X = 4.0
PAD_TOP = 2.5
PAD_BOTTOM = 3.0
HEADER_FILL = HexColor("#E4E4E4")
ZEBRA_FILL = HexColor("#F4F4F4")
LABEL_FILL = HexColor("#EFEFEF")
GRID = 0.5
#: Rows sampled for natural column widths (long rosters need not be measured in full).
WIDTH_SAMPLE = 400
#: Values up to this many em wide (2026年12月31日, 13800001111) are kept on one line.
SHORT_EM = 8
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def markup(text: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


class TitleParagraph(Paragraph):
    """A paragraph drawn fill+stroke: a light Song face thickened into a 小标宋-like title."""

    stroke_width = 0.0

    def __init__(self, text: str, style: ParagraphStyle, stroke_width: float) -> None:
        super().__init__(text, style)
        self.stroke_width = stroke_width

    def beginText(self, x: float, y: float) -> Any:
        text = super().beginText(x, y)
        if self.stroke_width > 0:
            text.setTextRenderMode(2)
        return text

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.stroke_width)
        canvas.setStrokeColor(self.style.textColor)
        canvas.setLineJoin(1)
        super().draw()
        canvas.restoreState()


class Deferred(Flowable):
    """Builds its content for the width the frame offers, then delegates to it."""

    def __init__(
        self,
        build: Callable[[float], Flowable],
        *,
        splittable: bool = True,
        space: tuple[float, float] = (0.0, 0.0),
        label: str = "",
    ) -> None:
        super().__init__()
        self._build = build
        self._built: dict[float, Flowable] = {}
        self._inner: Flowable | None = None
        self.splittable = splittable
        self.space = space  # (before, after)
        self.label = label

    def inner(self, width: float) -> Flowable:
        key = round(width, 1)
        found = self._built.get(key)
        if found is None:
            found = self._built[key] = self._build(width)
        self._inner = found
        return found

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        inner = self.inner(aW)
        w, h = inner.wrapOn(self.canv, aW, aH)
        self.width, self.height = w, h
        return w, h

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if not self.splittable:
            return []
        return list(self.inner(aW).splitOn(self.canv, aW, aH))

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        assert self._inner is not None, "drawOn before wrap"
        self._inner.drawOn(canvas, x, y, _sW)

    # The frame asks for spacing before it offers a width, so it is fixed up front.
    def getSpaceBefore(self) -> float:
        return self.space[0]

    def getSpaceAfter(self) -> float:
        return self.space[1]

    def identity(self, maxLen: int | None = None) -> str:
        return f"<Deferred {self.label}>"


@cache
def cell_style(base: ParagraphStyle, align: str, size: float, font: str) -> ParagraphStyle:
    return ParagraphStyle(
        f"{base.name}-{align}-{size}-{font}",
        parent=base,
        fontName=font,
        fontSize=size,
        leading=round(size * 1.3, 1),
        alignment=_ALIGN[align],
    )


@dataclass(frozen=True)
class TableSpec:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    aligns: Sequence[str]
    col_widths: Sequence[float] | None
    repeat_header: bool
    zebra: bool
    total: Sequence[str] | None
    font_size: float
    styles: Styles
    empty_text: str


def _text_width(text: str, font: str, size: float) -> float:
    if "\n" in text:
        return max(stringWidth(line, font, size) for line in text.split("\n"))
    return float(stringWidth(text, font, size))


def _sample(rows: Sequence[Sequence[str]]) -> Sequence[Sequence[str]]:
    if len(rows) <= WIDTH_SAMPLE:
        return rows
    step = len(rows) / WIDTH_SAMPLE
    return [rows[int(i * step)] for i in range(WIDTH_SAMPLE)]


def fit_widths(natural: Sequence[float], minimum: Sequence[float], total: float) -> list[float]:
    """Column widths that fill ``total``: stretch if there is room, else cap the widest.

    Narrow columns keep their natural width; the wide ones share what is left (a cap found
    by bisection), never below ``minimum``.
    """
    if sum(natural) <= total:
        scale = total / sum(natural) if sum(natural) > 0 else 1.0
        return [w * scale for w in natural]
    lo, hi = 0.0, max(natural)
    for _ in range(40):
        cap = (lo + hi) / 2
        used = sum(max(m, min(n, cap)) for n, m in zip(natural, minimum, strict=True))
        lo, hi = (cap, hi) if used < total else (lo, cap)
    widths = [max(m, min(n, lo)) for n, m in zip(natural, minimum, strict=True)]
    excess = sum(widths) - total
    if excess > 0.01:  # even the minimums do not fit: shrink all alike
        widths = [w * total / sum(widths) for w in widths]
    else:  # hand the rounding slack to the widest column
        widths[widths.index(max(widths))] -= excess
    return widths


def _natural_widths(
    spec: TableSpec, font: str, head_font: str, avail: float
) -> tuple[list[float], list[float]]:
    """Per column: the width that avoids wrapping, and the least it should get.

    The least is the whole value for short columns (dates, phone numbers, names), and what
    three rows in four need for text columns (capped at a quarter page), so the rare long
    备注 wraps rather than a date.
    """
    size = spec.font_size
    sample = _sample(spec.rows)
    pad = 2 * PAD_X + 1
    natural: list[float] = []
    minimum: list[float] = []
    for c, header in enumerate(spec.headers):
        cells = sorted(_text_width(row[c], font, size) for row in sample) or [0.0]
        head = stringWidth(header, head_font, size)
        if len(header) > 4:  # long headers may wrap onto two lines
            head = max(head / 2, size * 4)
        # Short values (dates, phones, names) never wrap; long text keeps what most rows need.
        if cells[-1] <= SHORT_EM * size:
            least = cells[-1]
        else:
            least = min(cells[int(0.75 * (len(cells) - 1))], avail / 4)
        natural.append(max(cells[-1], head) + pad)
        minimum.append(max(2 * size, head / 2, least) + pad)
    if spec.total is not None:
        for c, text in enumerate(spec.total):
            width = _text_width(text, head_font, size) + pad
            natural[c] = max(natural[c], width)
            minimum[c] = max(minimum[c], min(width, avail / 4))
    return natural, minimum


def build_data_table(spec: TableSpec, avail: float) -> Flowable:
    fonts = spec.styles.fonts
    font, head_font, size = fonts.plain, fonts.heading, spec.font_size
    ncols = len(spec.headers)
    if spec.col_widths is not None:
        given = list(spec.col_widths)
        widths = [w * avail for w in given] if sum(given) <= 1.0001 else given
    else:
        natural, minimum = _natural_widths(spec, font, head_font, avail)
        widths = fit_widths(natural, minimum, avail)
    inner = [w - 2 * PAD_X for w in widths]
    head_style = cell_style(spec.styles.table_header, "center", size, head_font)
    styles = [cell_style(spec.styles.table, a, size, font) for a in spec.aligns]

    def cell(text: str, c: int) -> object:
        if "\n" in text or (
            len(text) * size > inner[c] and stringWidth(text, font, size) > inner[c]
        ):
            return Paragraph(markup(text), styles[c])
        return text

    def head(text: str, c: int) -> Paragraph:
        if "（" in text[1:] and stringWidth(text, head_font, size) > inner[c]:
            text = text[0] + text[1:].replace(
                "（", "\n（", 1
            )  # 时长 / （分钟）, not 时长（分 / 钟）
        return Paragraph(markup(text), head_style)

    data: list[list[object]] = [[head(h, c) for c, h in enumerate(spec.headers)]]
    data.extend([cell(text, c) for c, text in enumerate(row)] for row in spec.rows)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), round(size * 1.3, 1)),
        ("GRID", (0, 0), (-1, -1), GRID, black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
    ]
    for c, align in enumerate(spec.aligns):
        if align != "left":
            commands.append(("ALIGN", (c, 1), (c, -1), align.upper()))
    if not spec.rows:
        empty_row: list[object] = [spec.empty_text, *[""] * (ncols - 1)]
        data.append(empty_row)
        commands += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER")]
    last_body = -1
    if spec.total is not None:
        data.append([cell(text, c) for c, text in enumerate(spec.total)])
        last_body = -2
        commands += [
            ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
            ("FONTNAME", (0, -1), (-1, -1), head_font),
            ("LINEABOVE", (0, -1), (-1, -1), 1.0, black),
        ]
    if spec.zebra and len(spec.rows) > 2:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, last_body), [white, ZEBRA_FILL]))
    table_class = LongTable if len(data) > 60 else Table
    table = table_class(
        data,
        colWidths=widths,
        repeatRows=1 if spec.repeat_header else 0,
        style=TableStyle(commands),
        hAlign="CENTER",
    )
    return table


@dataclass(frozen=True)
class KvSpec:
    items: Sequence[tuple[str, str, bool]]  # label, value, spans the whole row
    cols: int
    font_size: float
    styles: Styles


def build_kv_table(spec: KvSpec, avail: float) -> Flowable:
    fonts = spec.styles.fonts
    size = spec.font_size
    label_style = cell_style(spec.styles.table_header, "center", size, fonts.heading)
    value_style = cell_style(spec.styles.table, "left", size, fonts.plain)
    widest = max((stringWidth(label, fonts.heading, size) for label, _, _ in spec.items), default=0)
    slot = avail / spec.cols
    label_w = min(widest + 2 * PAD_X + 2, slot * 0.45)
    value_w = slot - label_w
    data: list[list[object]] = []
    commands: list[tuple[Any, ...]] = []
    current: list[object] = []

    def flush() -> None:
        if current:
            row, used = len(data), len(current)
            data.append(current + [""] * (2 * spec.cols - used))
            if used < 2 * spec.cols:  # a lone pair at the end: its value runs to the edge
                commands.append(("SPAN", (used - 1, row), (-1, row)))
            current.clear()

    for label, value, wide in spec.items:
        pair = [Paragraph(markup(label), label_style), Paragraph(markup(value), value_style)]
        too_long = _text_width(value, fonts.plain, size) > 2 * (value_w - 2 * PAD_X)
        if (wide or too_long) and spec.cols > 1:
            flush()
            data.append(pair + [""] * (2 * spec.cols - 2))
            commands.append(("SPAN", (1, len(data) - 1), (-1, len(data) - 1)))
        else:
            current.extend(pair)
            if len(current) == 2 * spec.cols:
                flush()
    flush()
    for r, row_cells in enumerate(data):
        for c in range(0, 2 * spec.cols, 2):
            if row_cells[c] != "":
                commands.append(("BACKGROUND", (c, r), (c, r), LABEL_FILL))
    commands += [
        ("FONTNAME", (0, 0), (-1, -1), fonts.plain),  # empty cells too (no stray Helvetica)
        ("GRID", (0, 0), (-1, -1), GRID, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP + 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM + 1.5),
    ]
    table = Table(data, colWidths=[label_w, value_w] * spec.cols, style=TableStyle(commands))
    table.hAlign = "CENTER"
    return table


@dataclass(frozen=True)
class SignatureSpec:
    items: Sequence[str]
    values: Mapping[str, str]
    seal_text: str
    org: str
    font_size: float
    styles: Styles


def build_signature(spec: SignatureSpec, avail: float) -> Flowable:
    font = spec.styles.fonts.body
    size = spec.font_size
    base: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.4),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    labels = [f"{item}：" for item in spec.items]
    label_ws = [stringWidth(label, font, size) + 2 for label in labels]
    values = [spec.values.get(item, "") for item in spec.items]
    need = [max(stringWidth(v, font, size) + size, 5 * size) for v in values]
    gap = size * 1.2
    spare = avail - sum(label_ws) - sum(need) - gap * (len(labels) - 1)
    value_ws = [w + max(0.0, spare) / max(1, len(need)) for w in need]
    row: list[object] = []
    widths: list[float] = []
    commands = list(base)
    for i, label in enumerate(labels):
        if i:
            row.append("")
            widths.append(gap)
        row += [label, values[i]]
        widths += [label_ws[i], value_ws[i]]
        col = len(row) - 1
        commands += [
            ("LINEBELOW", (col, 0), (col, 0), 0.6, black),
            ("ALIGN", (col, 0), (col, 0), "CENTER"),
        ]
    if sum(widths) > avail:  # more items than fit on one line: shrink the blanks alike
        scale = (avail - sum(label_ws) - gap * (len(labels) - 1)) / sum(value_ws)
        widths = [w * scale if i % 3 == 1 else w for i, w in enumerate(widths)]
    lines = Table([row], colWidths=widths, style=TableStyle(commands))
    rows: list[list[object]] = [[lines]]
    tail = "\n".join(t for t in (spec.org, spec.seal_text) if t)
    if tail:
        # The 落款 block sits right of centre, with room above it for the seal.
        seal = Table(
            [["", tail]],
            colWidths=[avail * 0.5, avail * 0.5],
            style=TableStyle([*base, ("ALIGN", (1, 0), (1, 0), "CENTER")]),
        )
        rows.append([seal])
    table = Table(
        rows,
        colWidths=[avail],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),  # every table names one (no Helvetica)
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 12 * MM),
            ]
        ),
    )
    table.hAlign = "CENTER"
    return table
