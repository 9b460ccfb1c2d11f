"""Draw the application icon into resources/icons/ (PNG at several sizes plus a Windows .ico).

Run: ``uv run python tools/make_icon.py``. The emblem itself is ``ui.icons.draw_emblem``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QFontDatabase, QImageWriter
from PySide6.QtWidgets import QApplication

from wushe_desktop import paths
from wushe_desktop.ui.icons import ICON_SIZES, draw_emblem


def main() -> int:
    app = QApplication(sys.argv[:1])
    font_id = QFontDatabase.addApplicationFont(
        str(paths.resource_path("fonts", "wqy-microhei.ttc"))
    )
    families = QFontDatabase.applicationFontFamilies(font_id)
    family = families[0] if families else None
    out = paths.resource_path("icons")
    out.mkdir(parents=True, exist_ok=True)
    for size in ICON_SIZES:
        draw_emblem(size, family).save(str(out / f"wushe-{size}.png"), "PNG", 9)
    if b"ico" in [bytes(f.data()) for f in QImageWriter.supportedImageFormats()]:
        draw_emblem(256, family).save(str(out / "wushe.ico"), "ICO")
    print(f"icons written to {out}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
