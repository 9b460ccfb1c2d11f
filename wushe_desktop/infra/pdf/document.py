"""Build a printed document: GB/T 9704 page, header rule, "第 X 页 共 Y 页", atomic write.

``build_pdf`` is the one entry point; ``PdfDocument`` collects flowables for callers that
build a report section by section. reportlab loads only when ``build`` runs.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.pdf.styles import PageGeometry, Styles, get_styles, page_geometry
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

__all__ = ["PdfDocument", "build_pdf"]


def build_pdf(
    path: str | os.PathLike[str],
    flowables: Iterable[Flowable],
    *,
    title: str,
    header_left: str = "",
    header_right: str = "",
    author: str = "",
    subject: str = "",
    keywords: Sequence[str] = (),
    compact: bool = False,
    landscape: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write ``flowables`` as an A4 PDF at ``path`` and return the number of pages.

    The file appears only when complete: it is written under a temporary name beside
    ``path`` and renamed; on an error or cancellation nothing is left behind.
    ``compact`` narrows the margins (dense reports); ``landscape`` turns the page for wide
    tables (rosters). Fonts are embedded as subsets.
    """
    from wushe_desktop.infra.pdf import _render

    target = Path(path)
    directory = target.parent
    if not directory.is_dir():
        raise WusheError(f"文件夹“{directory}”不存在，无法保存“{target.name}”。")
    check_cancel(cancel)
    geometry = page_geometry(landscape=landscape, compact=compact)
    styles = get_styles(compact=compact)
    decor = _render.PageDecor(geometry, styles, header_left, header_right)
    progress(0.0, "正在排版……")
    tmp = directory / f".~{target.stem}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        pages = _render.render(
            tmp,
            list(flowables),
            decor=decor,
            title=title,
            author=author,
            subject=subject,
            keywords=keywords,
            progress=progress,
            cancel=cancel,
        )
        check_cancel(cancel)
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise _write_error(target, exc) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise
    progress(1.0, f"已生成 {pages} 页")
    return pages


def _remove_quietly(tmp: Path) -> None:
    with suppress(OSError):
        tmp.unlink(missing_ok=True)


def _write_error(path: Path, exc: OSError) -> WusheError:
    if isinstance(exc, PermissionError):
        reason = "文件正被其他程序（如 PDF 阅读器）打开，或没有写入权限。请关闭该文件后重试，或换一个位置保存"
    elif exc.errno == errno.ENOSPC:
        reason = "磁盘空间不足"
    else:
        reason = exc.strerror or str(exc)
    return WusheError(f"无法写入文件“{path}”：{reason}。")


class PdfDocument:
    """A document assembled step by step, then written with ``build``.

    >>> doc = PdfDocument(path, title="2026年1月工作报告", header_left="某某社工站")
    >>> doc.add(section_title("2026年1月工作报告", 0), para("本月……"))
    >>> pages = doc.build()
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        title: str,
        header_left: str = "",
        header_right: str = "",
        author: str = "",
        subject: str = "",
        keywords: Sequence[str] = (),
        compact: bool = False,
        landscape: bool = False,
    ) -> None:
        self.path = Path(path)
        self.title = title
        self.header_left = header_left
        self.header_right = header_right
        self.author = author
        self.subject = subject
        self.keywords = tuple(keywords)
        self.compact = compact
        self.landscape = landscape
        self.story: list[Flowable] = []

    @property
    def styles(self) -> Styles:
        return get_styles(compact=self.compact)

    @property
    def geometry(self) -> PageGeometry:
        return page_geometry(landscape=self.landscape, compact=self.compact)

    def add(self, *flowables: Flowable | Iterable[Flowable]) -> None:
        """Append flowables (or lists of them, as ``text_block`` returns)."""
        for item in flowables:
            if isinstance(item, list | tuple):
                self.story.extend(item)
            else:
                self.story.append(item)

    def page_break(self) -> None:
        from reportlab.platypus import PageBreak

        self.story.append(PageBreak())

    def spacer(self, height: float) -> None:
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, height))

    def build(self, *, progress: Progress = no_progress, cancel: CancelToken | None = None) -> int:
        """Write the file (atomically); returns the page count."""
        return build_pdf(
            self.path,
            self.story,
            title=self.title,
            header_left=self.header_left,
            header_right=self.header_right,
            author=self.author,
            subject=self.subject,
            keywords=self.keywords,
            compact=self.compact,
            landscape=self.landscape,
            progress=progress,
            cancel=cancel,
        )
