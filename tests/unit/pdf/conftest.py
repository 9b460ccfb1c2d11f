from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from wushe_desktop.infra.pdf.sample import build_sample

SAMPLE_ROWS = 150


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool and return its stdout (skip the test if it is missing)."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not found: install poppler-utils to read PDFs back")
    done = subprocess.run(
        [tool, *args], capture_output=True, text=True, encoding="utf-8", check=True, timeout=60
    )
    assert "Error" not in done.stderr, done.stderr
    return done.stdout


def page_texts(path: Path) -> list[str]:
    """``pdftotext -layout`` per page (pages are separated by form feeds)."""
    text = poppler("pdftotext", "-layout", str(path), "-")
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The sample report (title, headings, text, a 150-row table, charts), built once."""
    path = tmp_path_factory.mktemp("pdf") / "月报.pdf"
    pages = build_sample(path, rows=SAMPLE_ROWS)
    return path, pages
