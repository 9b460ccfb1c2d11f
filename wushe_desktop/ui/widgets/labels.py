"""Labels used everywhere: a page/dialog title and an inline message line."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

ERROR_STYLE = "color: #b3261e;"
INFO_STYLE = "color: #555555;"
OK_STYLE = "color: #1b6e20;"


def title_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A larger bold heading."""
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    return label


class ErrorLabel(QLabel):
    """An inline message under a form: red for problems, grey for hints, green for OK."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)

    def show_message(self, text: str) -> None:
        self._show(text, ERROR_STYLE)

    def show_info(self, text: str) -> None:
        self._show(text, INFO_STYLE)

    def show_ok(self, text: str) -> None:
        self._show(text, OK_STYLE)

    def clear_message(self) -> None:
        self.setText("")
        self.setVisible(False)

    @property
    def is_error(self) -> bool:
        return self.isVisible() and self.styleSheet() == ERROR_STYLE

    def _show(self, text: str, style: str) -> None:
        self.setStyleSheet(style)
        self.setText(text)
        self.setVisible(bool(text))
