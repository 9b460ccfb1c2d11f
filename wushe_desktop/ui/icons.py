"""The application icon: PNGs under resources/icons/, drawn by ``tools/make_icon.py``.

If the files are missing (a source checkout without resources) the same emblem is drawn
at run time, so the window never shows a blank icon.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap

from wushe_desktop import paths

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
EMBLEM_RED = QColor("#c0392b")
EMBLEM_GOLD = QColor("#f6d36b")


def draw_emblem(size: int, font_family: str | None = None) -> QPixmap:
    """A red rounded square with a gold ring and a white 社 — the station's emblem."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    r = QRectF(0, 0, size, size).adjusted(size * 0.03, size * 0.03, -size * 0.03, -size * 0.03)
    path = QPainterPath()
    path.addRoundedRect(r, size * 0.2, size * 0.2)
    p.fillPath(path, EMBLEM_RED)
    if size >= 32:
        pen = p.pen()
        pen.setColor(EMBLEM_GOLD)
        pen.setWidthF(size * 0.045)
        p.setPen(pen)
        inner = r.adjusted(size * 0.1, size * 0.1, -size * 0.1, -size * 0.1)
        p.drawEllipse(inner)
    font = QFont(font_family) if font_family else QFont()
    font.setPixelSize(int(size * (0.56 if size >= 32 else 0.74)))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(r, Qt.AlignmentFlag.AlignCenter, "社")
    p.end()
    return pix


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        file = paths.resource_path("icons", f"wushe-{size}.png")
        if file.is_file():
            icon.addFile(str(file))
    if icon.isNull():
        for size in (16, 32, 64, 256):
            icon.addPixmap(draw_emblem(size))
    return icon
