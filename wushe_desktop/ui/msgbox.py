"""Every message box of the app goes through here, so tests can patch this one module.

Functions block (``exec``) and return plain Python values; they never raise.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from wushe_desktop import APP_TITLE


def information(parent: QWidget | None, text: str, *, title: str = APP_TITLE) -> None:
    QMessageBox.information(parent, title, text)


def warning(parent: QWidget | None, text: str, *, title: str = APP_TITLE) -> None:
    QMessageBox.warning(parent, title, text)


def critical(
    parent: QWidget | None, text: str, *, details: str = "", title: str = APP_TITLE
) -> None:
    """An error box; ``details`` (a traceback) goes behind the 显示详细信息 button."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def question(
    parent: QWidget | None, text: str, *, title: str = APP_TITLE, default_yes: bool = False
) -> bool:
    """A yes/no question (是/否); True for 是."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton("是", QMessageBox.ButtonRole.YesRole)
    no = box.addButton("否", QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes if default_yes else no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes
