"""CJK fonts for printed documents: the office's own faces when installed, bundled free ones otherwise.

GB/T 9704 asks for 小标宋 (title), 黑体 / 楷体 (headings) and 仿宋 (body). Windows ships
SimHei, KaiTi, FangSong and SimSun; 方正小标宋 is a commercial Founder face many offices
install themselves. We never bundle those (DOMAIN-RULES §9) but use them when present;
otherwise the bundled free faces stand in: WenQuanYi Micro Hei (黑体), AR PL UMing (宋体,
also standing in for 仿宋 and, drawn faux-bold, for 小标宋) and AR PL UKai (楷体).

reportlab is imported only inside ``register_fonts`` (PERF-FLOORS: keep it out of start-up).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wushe_desktop.paths import resource_path

__all__ = ["ROLES", "FontFace", "FontSet", "find_faces", "register_fonts", "system_font_dirs"]

#: Set to ``bundled`` to ignore installed fonts (reproducible output on any machine).
FONTS_ENV = "WUSHE_PDF_FONTS"
#: An extra folder searched before the system fonts (a station's own font folder; tests).
FONT_DIR_ENV = "WUSHE_FONT_DIR"

ROLES = ("title", "heading", "subheading", "body", "plain")

#: Stroke width (as a fraction of the font size) that thickens a light Song face into a
#: 小标宋-like title when no real heavy face is installed.
FAUX_BOLD = 0.028


@dataclass(frozen=True)
class FontFace:
    """One font file (and subfont of a .ttc) chosen for a role."""

    file: Path
    subfont: int = 0
    label: str = ""
    #: Faux-bold stroke (fraction of font size); 0 for a face that is heavy by design.
    stroke: float = 0.0
    system: bool = False

    @property
    def name(self) -> str:
        """The name registered with reportlab (unique per file and subfont)."""
        return f"Wushe-{self.file.stem}-{self.subfont}"


# Installed faces to prefer, per role, best first (Windows file names; Founder/华文 faces
# are installed by offices themselves). Matching is case-insensitive.
_SYSTEM_CANDIDATES: Mapping[str, Sequence[tuple[str, int, str]]] = {
    "title": (
        ("FZXBSJW.TTF", 0, "方正小标宋简体"),
        ("FZXBSK.TTF", 0, "方正小标宋_GBK"),
        ("STZHONGS.TTF", 0, "华文中宋"),
        ("simhei.ttf", 0, "黑体 SimHei"),
    ),
    "heading": (("simhei.ttf", 0, "黑体 SimHei"),),
    "subheading": (
        ("simkai.ttf", 0, "楷体 KaiTi"),
        ("STKAITI.TTF", 0, "华文楷体"),
    ),
    "body": (
        ("simfang.ttf", 0, "仿宋 FangSong"),
        ("STFANGSO.TTF", 0, "华文仿宋"),
        ("simsun.ttc", 0, "宋体 SimSun"),
    ),
    "plain": (
        ("msyh.ttc", 0, "微软雅黑"),
        ("simhei.ttf", 0, "黑体 SimHei"),
    ),
}

_SANS = ("wqy-microhei.ttc", 0, "文泉驿微米黑")
_SONG = ("ar-pl-uming.ttc", 0, "文鼎 PL 明体 UMing CN")
_KAI = ("ar-pl-ukai.ttc", 0, "文鼎 PL 中楷 UKai CN")
_BUNDLED: Mapping[str, tuple[tuple[str, int, str], float]] = {
    "title": (_SONG, FAUX_BOLD),
    "heading": (_SANS, 0.0),
    "subheading": (_KAI, 0.0),
    "body": (_SONG, 0.0),
    "plain": (_SANS, 0.0),
}


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names per role, and where each face came from."""

    title: str
    heading: str
    subheading: str
    body: str
    plain: str
    #: Faux-bold stroke for the title (fraction of font size); 0 when a real 小标宋 is used.
    title_stroke: float
    #: role -> human-readable face name (for notes pages and support questions).
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def describe(self) -> str:
        """One line naming the faces, e.g. for a report's notes page."""
        names = {
            "title": "标题",
            "heading": "一级标题",
            "subheading": "二级标题",
            "body": "正文",
            "plain": "表格",
        }
        return "；".join(f"{names[r]}：{self.sources[r]}" for r in ROLES)


def system_font_dirs() -> list[Path]:
    """Folders searched for installed faces: ``WUSHE_FONT_DIR``, then Windows' font folders."""
    dirs: list[Path] = []
    extra = os.environ.get(FONT_DIR_ENV)
    if extra:
        dirs.append(Path(extra))
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts a user installed "for me only" (common for Founder faces)
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _index(dirs: Sequence[Path]) -> dict[str, Path]:
    """Lower-case file name -> first path found, across ``dirs``."""
    found: dict[str, Path] = {}
    for directory in dirs:
        try:
            entries = list(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            found.setdefault(entry.name.lower(), entry)
    return found


def find_faces(dirs: Sequence[Path] | None = None) -> dict[str, list[FontFace]]:
    """Candidate faces per role, best first, always ending with the bundled face.

    Pure file lookup (no reportlab); ``register_fonts`` takes the first that loads.
    """
    if dirs is None:
        dirs = [] if os.environ.get(FONTS_ENV, "").lower() == "bundled" else system_font_dirs()
    installed = _index(dirs)
    faces: dict[str, list[FontFace]] = {}
    for role in ROLES:
        options = [
            FontFace(installed[file.lower()], subfont, label, system=True)
            for file, subfont, label in _SYSTEM_CANDIDATES[role]
            if file.lower() in installed
        ]
        (file, subfont, label), stroke = _BUNDLED[role]
        options.append(FontFace(resource_path("fonts", file), subfont, label, stroke))
        faces[role] = options
    return faces


_lock = threading.Lock()
_cache: dict[tuple[str, ...], FontSet] = {}
_registered: set[str] = set()
_failed: set[str] = set()


def _register(face: FontFace) -> bool:
    """Register one face with reportlab once; False if the file cannot be used."""
    if face.name in _registered:
        return True
    if face.name in _failed:
        return False
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        pdfmetrics.registerFont(TTFont(face.name, str(face.file), subfontIndex=face.subfont))
    except (TTFError, OSError, ValueError, KeyError, IndexError):
        # A damaged or PostScript-flavoured font: fall back to the next candidate.
        _failed.add(face.name)
        return False
    _registered.add(face.name)
    return True


#: Chinese punctuation that must not start a line (GB/T 15834 and common 禁则): reportlab's
#: own list is Japanese and lacks the full-width comma, semicolon, colon and others.
CHINESE_CANNOT_START = "，；：、。！？）》」』】〕〉”’％…—·"


def _teach_chinese_line_breaking() -> None:
    """Add Chinese closing punctuation to the characters reportlab's CJK wrap keeps off a line
    start (it then hangs the mark at the end of the previous line)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    # One-fragment paragraphs wrap in textsplit.wordSplit, others in paragraph.cjkFragSplit;
    # each reads its own module's copy of the list.
    for module in (textsplit, paragraph):
        missing = "".join(c for c in CHINESE_CANNOT_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


def register_fonts(dirs: Sequence[Path] | None = None) -> FontSet:
    """Register the faces for every role (idempotent, cached) and return their names.

    ``dirs`` overrides the folders searched for installed faces (``[]`` = bundled only).
    Bold has no separate face: ``<b>`` in body text maps to the 黑体 face and ``<i>`` to
    the 楷体 face, the way printed Chinese documents mark emphasis.
    """
    _teach_chinese_line_breaking()
    candidates = find_faces(dirs)
    key = tuple(str(f.file) for role in ROLES for f in candidates[role])
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        chosen: dict[str, FontFace] = {}
        for role in ROLES:
            for face in candidates[role]:
                if _register(face):
                    chosen[role] = face
                    break
            else:  # pragma: no cover - the bundled face is part of the app
                from wushe_desktop.infra.errors import WusheError

                raise WusheError(
                    f"找不到可用的中文字体文件“{candidates[role][-1].file}”，请重新安装本软件。"
                )
        fonts = FontSet(
            title=chosen["title"].name,
            heading=chosen["heading"].name,
            subheading=chosen["subheading"].name,
            body=chosen["body"].name,
            plain=chosen["plain"].name,
            title_stroke=chosen["title"].stroke,
            sources={role: face.label for role, face in chosen.items()},
        )
        _register_families(fonts)
        _cache[key] = fonts
        return fonts


def _register_families(fonts: FontSet) -> None:
    from reportlab.lib.fonts import addMapping

    # addMapping also records the reverse (face -> family, bold, italic); the (0, 0) entry
    # must come last for each face, or plain text would be drawn in its "bold" face.
    for name in {fonts.title, fonts.heading, fonts.subheading, fonts.plain} - {fonts.body}:
        for bold, italic in ((1, 1), (1, 0), (0, 1), (0, 0)):
            addMapping(name, bold, italic, name)  # <b> must never become Helvetica-Bold
    # Body text marks emphasis with the heavier family, as in print.
    addMapping(fonts.body, 1, 1, fonts.heading)
    addMapping(fonts.body, 1, 0, fonts.heading)
    addMapping(fonts.body, 0, 1, fonts.subheading)
    addMapping(fonts.body, 0, 0, fonts.body)
