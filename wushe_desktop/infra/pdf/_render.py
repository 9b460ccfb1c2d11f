"""The reportlab side of ``build_pdf``: page template, header, deferred "共 Y 页" footer.

Imported only when a PDF is made (it pulls in reportlab at import time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.pdf.styles import MM, PageGeometry, Styles
from wushe_desktop.infra.progress import CancelToken, Progress

CREATOR = "五社联动工作站"


@dataclass(frozen=True)
class PageDecor:
    """What goes round the 版心 on every page."""

    geometry: PageGeometry
    styles: Styles
    header_left: str
    header_right: str


def _draw_header(canvas: Canvas, decor: PageDecor) -> None:
    if not (decor.header_left or decor.header_right):
        return
    g = decor.geometry
    style = decor.styles.header
    rule_y = g.height - g.top + 7 * MM  # 7 mm above the 版心
    canvas.saveState()
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.6)
    canvas.line(g.left, rule_y, g.width - g.right, rule_y)
    canvas.setFillColor(black)
    canvas.setFont(style.fontName, style.fontSize)
    text_y = rule_y + 1.6 * MM
    if decor.header_left:
        canvas.drawString(g.left, text_y, decor.header_left)
    if decor.header_right:
        canvas.drawRightString(g.width - g.right, text_y, decor.header_right)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, decor: PageDecor, page: int, total: int) -> None:
    g = decor.geometry
    style = decor.styles.footer
    # One line below the 版心: 7 mm under its lower edge (GB/T 9704 page-number position).
    y = g.bottom - 7 * MM - style.fontSize
    canvas.saveState()
    canvas.setFillColor(black)
    canvas.setFont(style.fontName, style.fontSize)
    canvas.drawCentredString(g.width / 2, y, f"第 {page} 页 共 {total} 页")
    canvas.restoreState()


def _canvas_class(decor: PageDecor, pages: list[int]) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each footer knows the total."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _draw_footer(self, decor, number, total)
                Canvas.showPage(self)
            pages.append(total)
            super().save()

    return NumberedCanvas


def render(
    target: Path,
    flowables: Sequence[Any],
    *,
    decor: PageDecor,
    title: str,
    author: str,
    subject: str,
    keywords: Sequence[str],
    progress: Progress,
    cancel: CancelToken | None,
) -> int:
    """Lay out ``flowables`` into ``target``; returns the page count."""
    g = decor.geometry
    frame = Frame(
        g.left,
        g.bottom,
        g.body_width,
        g.body_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        _draw_header(canvas, decor)

    doc = BaseDocTemplate(
        str(target),
        pagesize=(g.width, g.height),
        leftMargin=g.left,
        rightMargin=g.right,
        topMargin=g.top,
        bottomMargin=g.bottom,
        pageTemplates=[PageTemplate(id="page", frames=[frame], onPage=on_page)],
        title=title,
        author=author,
        subject=subject,
        keywords=list(keywords),
        creator=CREATOR,
        producer=CREATOR,
        lang="zh-CN",
        displayDocTitle=1,
        initialFontName=decor.styles.body.fontName,
        initialFontSize=decor.styles.body.fontSize,
        initialLeading=decor.styles.body.leading,
    )
    doc.setProgressCallBack(_progress_callback(progress, cancel))
    pages: list[int] = []
    try:
        doc.build(list(flowables), canvasmaker=_canvas_class(decor, pages))
    except LayoutError as exc:
        raise WusheError(
            f"“{title}”中有一段内容（如表格的某一格）超过一整页，无法排版，请缩短该内容后重试。"
        ) from exc
    return pages[0] if pages else 0


def _progress_callback(
    progress: Progress, cancel: CancelToken | None
) -> Callable[[str, int], None]:
    """Map reportlab's (kind, value) events onto 0..1 progress and cancellation checks."""
    size = [1]
    done = [0.05]

    def on_event(kind: str, value: int) -> None:
        if cancel is not None:
            cancel.check()
        if kind == "SIZE_EST":
            size[0] = max(1, value)
        elif kind == "PROGRESS":
            # Split tables re-enter the queue, so the count is an estimate: never go back.
            done[0] = max(done[0], 0.05 + 0.9 * min(1.0, max(0.0, value / size[0])))
        elif kind == "PAGE":
            progress(done[0], f"正在排版第 {value} 页……")

    return on_event
