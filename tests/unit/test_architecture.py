"""The dependency direction of DESIGN.md §3: the core never imports Qt or the ui package."""

from __future__ import annotations

import ast
from pathlib import Path

import wushe_desktop

PACKAGE = Path(wushe_desktop.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "wushe_desktop.ui")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _core_files() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if "ui" not in p.relative_to(PACKAGE).parts[:1] and p.name != "app.py"
    ]


def test_core_does_not_import_qt() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.startswith(FORBIDDEN))
        for path in _core_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_scan_sees_the_core() -> None:
    files = {str(p.relative_to(PACKAGE)) for p in _core_files()}
    assert "infra/db/engine.py" in files
    assert "residents/models.py" in files
