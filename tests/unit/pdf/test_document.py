"""The printed document read back with poppler: text, footer, header, fonts, metadata, files."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.unit.pdf.conftest import SAMPLE_ROWS, page_texts, poppler
from wushe_desktop.infra.errors import Cancelled, WusheError
from wushe_desktop.infra.pdf import (
    PdfDocument,
    build_pdf,
    data_table,
    kv_table,
    para,
    section_title,
    signature_block,
)
from wushe_desktop.infra.pdf.sample import STATION
from wushe_desktop.infra.progress import CancelToken


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_sample_has_several_pages_and_every_footer_is_right(sample_pdf: tuple[Path, int]) -> None:
    path, pages = sample_pdf
    texts = page_texts(path)
    assert pages >= 3
    assert len(texts) == pages
    assert f"Pages:           {pages}" in poppler("pdfinfo", str(path))
    for number, text in enumerate(texts, start=1):
        last_line = [line for line in text.splitlines() if line.strip()][-1]
        assert last_line.strip() == f"第 {number} 页 共 {pages} 页"


def test_header_on_every_page(sample_pdf: tuple[Path, int]) -> None:
    path, _ = sample_pdf
    for text in page_texts(path):
        first_line = next(line for line in text.splitlines() if line.strip())
        assert STATION in first_line
        assert "2026年1月工作报告" in first_line


def test_chinese_text_headings_table_and_chart_labels_present(sample_pdf: tuple[Path, int]) -> None:
    path, _ = sample_pdf
    text = _squash("".join(page_texts(path)))
    for expected in (
        f"{STATION}2026年1月工作报告",
        "（2026年1月1日—2026年1月31日）",
        "一、总体情况",
        "（一）重点人群覆盖",
        "二、主要指标",
        "三、服务明细",
        "四、存在问题与下月计划",
        "志愿服务时长（小时）1,268.51,102.0806.51,268.5",
        "近12个月服务人次",
        "近12个月志愿服务时长",
        "2026年1月5日白沙洲社区",  # a table row: dates written 2026年1月5日
        "编制人：张晓梅",
        "（盖章）",
    ):
        assert expected in text, expected
    # every one of the 150 rows made it, the last one included, and the 合计 row
    assert f"{SAMPLE_ROWS}2026年1月" in text
    assert "合计" in text


def test_table_header_repeats_on_every_page_of_the_table(sample_pdf: tuple[Path, int]) -> None:
    path, _ = sample_pdf
    table_pages = [t for t in page_texts(path) if re.search(r"居民\d{3}", t)]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert "服务类型" in text
        assert "服务对象" in text


def test_every_font_is_embedded(sample_pdf: tuple[Path, int]) -> None:
    path, _ = sample_pdf
    rows = poppler("pdffonts", str(path)).splitlines()[2:]
    assert len(rows) >= 3  # 仿宋/宋 body, 黑体 headings, 楷体 subheadings
    for row in rows:
        name, *_, emb, sub, _uni, _obj, _gen = row.split()
        assert (emb, sub) == ("yes", "yes"), row
        assert "Helvetica" not in name


def test_metadata(sample_pdf: tuple[Path, int]) -> None:
    path, _ = sample_pdf
    info = poppler("pdfinfo", str(path))
    assert f"Title:           {STATION}2026年1月工作报告" in info
    assert "Author:          张晓梅" in info
    assert "Subject:         社工站月度工作报告" in info
    assert "A4" in info


def test_page_renders_cleanly(sample_pdf: tuple[Path, int], tmp_path: Path) -> None:
    path, _ = sample_pdf
    poppler("pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(path), str(tmp_path / "p"))
    assert [p.name for p in tmp_path.glob("p*.png")] == ["p-1.png"]


def test_user_text_is_escaped_and_empty_table_says_so(tmp_path: Path) -> None:
    path = tmp_path / "个案.pdf"
    pages = build_pdf(
        path,
        [
            section_title("个案服务记录", 0),
            kv_table({"姓名": "王<小>明 & 家人", "年龄": 78, "建档日期": date(2026, 1, 5)}),
            para("备注：<b>不是标记</b>\n第二行"),
            data_table(["日期", "内容"], []),
            signature_block(("社工", "督导"), seal_text=""),
        ],
        title="个案服务记录",
    )
    text = _squash("".join(page_texts(path)))
    assert pages == 1
    assert "王<小>明&家人" in text
    assert "备注：<b>不是标记</b>第二行" in text
    assert "2026年1月5日" in text
    assert "（本期无数据）" in text
    assert "社工：" in text and "督导：" in text
    assert "第1页共1页" in text


def test_landscape_compact_roster(tmp_path: Path) -> None:
    path = tmp_path / "名册.pdf"
    doc = PdfDocument(path, title="志愿者名册", header_left=STATION, landscape=True, compact=True)
    headers = [f"第{i}列" for i in range(1, 15)]
    doc.add(data_table(headers, [[f"内容{r}-{c}" for c in range(14)] for r in range(80)]))
    pages = doc.build()
    info = poppler("pdfinfo", str(path))
    assert re.search(r"Page size:\s+841\.89 x 595\.276 pts", info), info
    texts = page_texts(path)
    assert len(texts) == pages >= 2
    assert f"第 {pages} 页 共 {pages} 页" in texts[-1]


def test_cancel_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "报告.pdf"
    path.write_bytes(b"old")
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, _status: str) -> None:
        seen.append(fraction)
        if len(seen) == 2:
            token.cancel()

    rows = [[i, "内容"] for i in range(400)]
    with pytest.raises(Cancelled):
        build_pdf(
            path, [data_table(["序号", "内容"], rows)], title="t", progress=progress, cancel=token
        )
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.pdf"]


def test_progress_runs_to_one(tmp_path: Path) -> None:
    seen: list[float] = []
    build_pdf(
        tmp_path / "a.pdf",
        [data_table(["序号"], [[i] for i in range(200)])],
        title="t",
        progress=lambda f, _s: seen.append(f),
    )
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen)


def test_missing_folder_and_oversized_cell_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(WusheError, match="不存在"):
        build_pdf(tmp_path / "nope" / "a.pdf", [para("x")], title="t")
    huge = "很长的内容" * 700  # one cell taller than a page
    with pytest.raises(WusheError, match="超过一整页"):
        build_pdf(
            tmp_path / "b.pdf", [data_table(["a", "b"], [["x", huge]], (0.8, 0.2))], title="报告"
        )
    assert list(tmp_path.glob("*.pdf")) == []
    assert list(tmp_path.glob(".~*")) == []


def test_importing_the_layer_does_not_load_reportlab() -> None:
    code = (
        "import sys\n"
        "from wushe_desktop.infra.pdf import PdfDocument, styles, chinese_date, data_table\n"
        "print(sorted(m for m in sys.modules if m.startswith('reportlab')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
