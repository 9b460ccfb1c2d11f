"""The report preview (page images in a scroll area), printing page images, and the list
of differences between a locked report and today's figures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmap, QResizeEvent
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

__all__ = ["DifferencesDialog", "PreviewPane", "print_images"]


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
        self.show_message("选择月份或期间后点“生成报表”，报表会显示在这里。")

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._pixmaps, self._labels = [], []

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

    @property
    def page_count(self) -> int:
        return len(self._labels)

    def _scale(self) -> None:
        width = max(200, min(self.viewport().width() - 40, 900))
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


def print_images(parent: QWidget, images: Sequence[Path], title: str) -> bool:
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
            image = QPixmap(str(images[number - 1]))
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
