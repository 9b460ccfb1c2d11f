"""Placeholder for areas that later versions fill; says clearly what will come."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.widgets.labels import title_label


class ComingSoonPage(Page):
    def __init__(self, title: str, what: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addWidget(title_label(title))
        badge = QLabel(self.tr("即将提供"))
        badge.setStyleSheet(
            "background: #fdecea; color: #b3261e; padding: 4px 10px; border-radius: 4px;"
        )
        badge.setAlignment(Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)
        text = QLabel(self.tr("本功能将在后续版本中提供：%s") % what)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.description = text
        layout.addStretch(1)
