"""The report preview (page images in a scroll area), printing page images, and the list
of differences between a locked report and today's figures.

Pages are rendered in-process with pypdfium2 (its wheels bundle pdfium, so Windows station
PCs need no poppler), one page at a time on the background executor and only when the page
scrolls into view. Without pypdfium2 the page falls back to pdftoppm images or the system viewer.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.infra.progress import CancelToken, check_cancel

if TYPE_CHECKING:
    from wushe_desktop.ui.workers import DbExecutor

__all__ = [
    "DifferencesDialog",
    "PreviewPane",
    "page_sizes",
    "pdfium_available",
    "print_images",
    "render_page",
    "render_pages_pdfium",
]

PageSize = tuple[float, float]  # width, height in PDF points (1/72 inch)


def pdfium_available() -> bool:
    """True when pypdfium2 can be imported (the normal case; it is a dependency)."""
    return importlib.util.find_spec("pypdfium2") is not None


def _pdfium() -> Any:
    """pypdfium2, imported on first use (it loads the pdfium library)."""
    import pypdfium2  # type: ignore[import-untyped]

    return pypdfium2


def page_sizes(pdf: Path) -> list[PageSize]:
    """The size of every page, so the preview can lay out pages before rendering them."""
    pdfium = _pdfium()
    doc = pdfium.PdfDocument(str(pdf))
    try:
        sizes = (doc[i].get_size() for i in range(len(doc)))
        return [(float(w), float(h)) for w, h in sizes]
    finally:
        doc.close()


def render_page(pdf: Path, index: int, width_px: int) -> QImage:
    """Page ``index`` (0-based) as a QImage ``width_px`` wide; safe off the GUI thread."""
    pdfium = _pdfium()
    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[index]
        scale = width_px / page.get_size()[0]
        bitmap = page.render(scale=scale, force_bitmap_format=pdfium.raw.FPDFBitmap_BGRx)
        # BGRx bytes are QImage.Format_RGB32 on little-endian machines (x86/ARM Windows).
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGB32,
        ).copy()  # own the pixels: the buffer goes with the bitmap
        bitmap.close()
        page.close()
        return image
    finally:
        doc.close()


def render_pages_pdfium(
    pdf: Path, folder: Path, *, dpi: int = 200, cancel: CancelToken | None = None
) -> list[Path]:
    """Every page at ``dpi`` as a PNG in ``folder`` (for printing), one page in memory at a
    time: an A4 page at 200 dpi is 15 MB as an image, a year report held as images would
    pass the memory budget. Checks ``cancel`` between pages."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (width, _height) in enumerate(page_sizes(pdf)):
        check_cancel(cancel)
        path = folder / f"page-{index + 1:03d}.png"
        if not render_page(pdf, index, round(width / 72 * dpi)).save(str(path)):  # PNG by suffix
            raise OSError(f"无法写入打印用的临时文件：{path}")
        paths.append(path)
    return paths


class PreviewPane(QScrollArea):
    """Pages one under another, scaled to the pane's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._inner = QWidget()
        self._inner.setStyleSheet("background: #808080;")
        self._layout = QVBoxLayout(self._inner)
        self._layout.setSpacing(12)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._inner)
        self._pixmaps: list[QPixmap] = []
        self._labels: list[QLabel] = []
        # pdfium mode: the PDF, its page sizes, who renders, and what each label shows.
        self._pdf: Path | None = None
        self._sizes: list[PageSize] = []
        self._executor: DbExecutor | None = None
        self._rendered: dict[int, int] = {}  # page index -> width in px it was rendered at
        self._pending: set[tuple[int, int]] = set()
        self._generation = 0
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._request_visible())
        self.show_message("选择月份或期间后点“生成报表”，报表会显示在这里。")

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._pixmaps, self._labels = [], []
        self._pdf, self._sizes, self._rendered, self._pending = None, [], {}, set()
        self._generation += 1  # late renders of the previous report are dropped

    def show_message(self, text: str) -> None:
        self._clear()
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet("color: white; font-size: 14px; padding: 24px;")
        self._layout.addWidget(label)

    def show_pages(self, images: Sequence[Path]) -> None:
        self._clear()
        for path in images:
            pixmap = QPixmap(str(path))
            label = QLabel()
            label.setStyleSheet("background: white;")
            self._pixmaps.append(pixmap)
            self._labels.append(label)
            self._layout.addWidget(label)
        self._scale()
        self.verticalScrollBar().setValue(0)

    def show_pdf(self, pdf: Path, sizes: Sequence[PageSize], executor: DbExecutor) -> None:
        """Lay out one blank sheet per page; each is rendered when it scrolls into view."""
        self._clear()
        self._pdf, self._sizes, self._executor = pdf, list(sizes), executor
        for number in range(1, len(sizes) + 1):
            label = QLabel(f"第 {number} 页")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: white; color: #999;")
            self._labels.append(label)
            self._layout.addWidget(label)
        self._scale()
        self.verticalScrollBar().setValue(0)

    @property
    def page_count(self) -> int:
        return len(self._labels)

    @property
    def rendered_pages(self) -> list[int]:
        """Indexes of the pages that show a rendered image (tests)."""
        return sorted(self._rendered)

    def _page_width(self) -> int:
        return max(200, min(self.viewport().width() - 40, 900))

    def _request_visible(self) -> None:
        """Render the pages now in view (at the current width) on the background executor."""
        if self._pdf is None or self._executor is None:
            return
        width = self._page_width()
        ratio = self.devicePixelRatioF()
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        pdf, generation = self._pdf, self._generation
        # Where each sheet sits, from the page sizes (the layout may not have run yet).
        y = self._layout.contentsMargins().top()
        for index, (page_w, page_h) in enumerate(self._sizes):
            height = round(width * page_h / page_w)
            visible = y < bottom and y + height > top
            y += height + self._layout.spacing()
            if not visible or self._rendered.get(index) == width:
                continue
            if (index, width) in self._pending:
                continue
            self._pending.add((index, width))
            pixels = round(width * ratio)

            def work(_op: Any, i: int = index, px: int = pixels) -> QImage:
                return render_page(pdf, i, px)

            def done(image: object, i: int = index, w: int = width) -> None:
                self._pending.discard((i, w))
                if generation != self._generation or not isinstance(image, QImage):
                    return
                image.setDevicePixelRatio(ratio)
                self._labels[i].setPixmap(QPixmap.fromImage(image))
                self._rendered[i] = w

            def failed(exc: BaseException, i: int = index, w: int = width) -> None:
                self._pending.discard((i, w))
                if generation == self._generation:
                    self._labels[i].setText(f"第 {i + 1} 页无法显示：{exc}")

            self._executor.run_in_background(work, done, failed, parent=self)

    def _scale(self) -> None:
        width = self._page_width()
        if self._pdf is not None:
            for (page_w, page_h), label in zip(self._sizes, self._labels, strict=True):
                label.setFixedSize(width, round(width * page_h / page_w))
            # After the layout has placed the resized sheets, render those in view.
            QTimer.singleShot(0, self, self._request_visible)
            return
        for pixmap, label in zip(self._pixmaps, self._labels, strict=True):
            if not pixmap.isNull():
                label.setPixmap(
                    pixmap.scaledToWidth(
                        min(width, pixmap.width() * 2),
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale()


def print_images(parent: QWidget, images: Sequence[Path | QImage], title: str) -> bool:
    """Ask for a printer and print the page images, one per sheet (A4). True if printed."""
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setDocName(title)
    printer.setFromTo(1, len(images))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印报表")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    first, last = printer.fromPage() or 1, printer.toPage() or len(images)
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        for number in range(first, last + 1):
            if number > first:
                printer.newPage()
            page = images[number - 1]
            image = QPixmap.fromImage(page) if isinstance(page, QImage) else QPixmap(str(page))
            target = image.scaled(
                int(area.width()),
                int(area.height()),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawPixmap(0, 0, target)
    finally:
        painter.end()
    return True


class DifferencesDialog(QDialog):
    """定稿数字 vs 当前数字, for every figure that changed since the lock."""

    def __init__(self, differences: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("定稿后数据的变化")
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        if not differences:
            layout.addWidget(QLabel("定稿以来，本期各项数字没有变化。"))
        else:
            layout.addWidget(
                QLabel(
                    f"定稿以来有 {len(differences)} 项数字因补录或修改而变化；"
                    "报告仍按定稿时的数字打印。"
                )
            )
            table = QTableWidget(len(differences), 3)
            table.setHorizontalHeaderLabels(["指标", "定稿时", "当前"])
            for row, diff in enumerate(differences):
                table.setItem(row, 0, QTableWidgetItem(diff.label))
                for col, value in ((1, diff.locked), (2, diff.live)):
                    item = QTableWidgetItem("未登记" if value is None else str(value))
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    table.setItem(row, col, item)
            table.resizeColumnToContents(0)
            table.horizontalHeader().setStretchLastSection(True)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            self.table = table
            layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
