"""Page images of a PDF via poppler's ``pdftoppm`` — the preview's fallback.

The 报表 preview renders pages in-process with pypdfium2 (``ui/dialogs/report_preview.py``);
this path is used only when pypdfium2 cannot be imported, and without ``pdftoppm`` too the
GUI opens the PDF in the system's viewer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.progress import CancelToken, check_cancel

__all__ = ["pdftoppm_path", "render_pages"]

TIMEOUT_S = 120


def pdftoppm_path() -> str | None:
    """The ``pdftoppm`` program (on PATH or beside the executable), or None."""
    found = shutil.which("pdftoppm")
    if found:
        return found
    beside = Path(sys.executable).parent / (
        "pdftoppm.exe" if sys.platform == "win32" else "pdftoppm"
    )
    return str(beside) if beside.exists() else None


def render_pages(
    pdf: Path,
    out_dir: Path,
    *,
    dpi: int = 90,
    cancel: CancelToken | None = None,
) -> list[Path] | None:
    """PNG images of every page (``out_dir/page-01.png`` …), or None without pdftoppm."""
    tool = pdftoppm_path()
    if tool is None:
        return None
    check_cancel(cancel)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    flags = {"creationflags": 0x08000000} if sys.platform == "win32" else {}  # no console
    try:
        subprocess.run(
            [tool, "-r", str(dpi), "-png", str(pdf), str(out_dir / "page")],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_S,
            **flags,  # type: ignore[call-overload]
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise WusheError(
            f"无法生成预览图片（pdftoppm 出错：{exc}），可以改用“用PDF阅读器打开”。"
        ) from exc
    check_cancel(cancel)
    return sorted(out_dir.glob("page-*.png"))
