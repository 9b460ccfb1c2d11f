"""Dates, numerals, column widths, cell text and font choice (no PDF written)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from wushe_desktop.infra.pdf import (
    MM,
    PORTRAIT,
    bar_chart,
    cell_text,
    chinese_date,
    chinese_month,
    chinese_numeral,
    data_table,
    get_styles,
    month_labels,
    register_fonts,
)
from wushe_desktop.infra.pdf.fonts import find_faces
from wushe_desktop.infra.pdf.tables import _aligns
from wushe_desktop.paths import resource_path


def test_chinese_dates() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date(date(2025, 12, 31)) == "2025年12月31日"
    assert chinese_month(2026, 1) == "2026年1月"
    with pytest.raises(ValueError):
        chinese_month(2026, 13)


def test_chinese_numerals() -> None:
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 12, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "十二",
        "二十",
        "二十一",
        "九十九",
    ]


def test_month_labels_cross_the_year() -> None:
    labels = month_labels(2026, 1)
    assert len(labels) == 12
    assert labels[0] == "2025年2月"
    assert labels[1] == "3月"
    assert labels[-2] == "12月"
    assert labels[-1] == "2026年1月"


def test_page_geometry_is_gbt_9704() -> None:
    assert round(PORTRAIT.width / MM) == 210 and round(PORTRAIT.height / MM) == 297
    assert round(PORTRAIT.top / MM) == 37 and round(PORTRAIT.left / MM) == 28
    assert round(PORTRAIT.body_width / MM) == 156 and round(PORTRAIT.body_height / MM) == 225
    body = get_styles().body
    assert body.fontSize == 16
    assert 22 * body.leading <= PORTRAIT.body_height < 23 * body.leading  # 22 lines a page
    assert body.wordWrap == "CJK"
    assert get_styles().title.fontSize == 22


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(True) == "是"
    assert cell_text(date(2026, 1, 5)) == "2026年1月5日"
    assert cell_text(datetime(2026, 1, 5, 9, 30)) == "2026年1月5日 09:30"
    assert cell_text(Decimal("12.5")) == "12.50"
    assert cell_text(42) == "42"


def test_number_columns_align_right() -> None:
    columns = [["青山社区", "东湖社区"], [12, None], ["1,268.5", "35%"], [1, "x"]]
    assert _aligns(columns, None, 4) == ["left", "right", "right", "left"]
    assert _aligns(columns, ["center", None, "left", None], 4) == [
        "center",
        "right",
        "left",
        "left",
    ]
    with pytest.raises(ValueError):
        _aligns(columns, "middle", 4)


def test_fit_widths_fill_the_page() -> None:
    from wushe_desktop.infra.pdf._flowables import fit_widths

    assert fit_widths([10, 30], [5, 5], 80) == pytest.approx([20, 60])
    widths = fit_widths([40, 40, 400], [20, 20, 20], 200)
    assert widths[:2] == pytest.approx([40, 40])  # narrow columns keep their width
    assert sum(widths) == pytest.approx(200)


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="row 2"):
        data_table(["a", "b"], [[1, 2], [3]])
    with pytest.raises(ValueError, match="12 categories"):
        bar_chart(month_labels(2026, 1), [1, 2, 3])


def test_bundled_faces_are_the_fallback_for_every_role() -> None:
    faces = find_faces([])
    assert {role: [f.file.name for f in options] for role, options in faces.items()} == {
        "title": ["ar-pl-uming.ttc"],
        "heading": ["wqy-microhei.ttc"],
        "subheading": ["ar-pl-ukai.ttc"],
        "body": ["ar-pl-uming.ttc"],
        "plain": ["wqy-microhei.ttc"],
    }
    fonts = register_fonts([])
    assert fonts.title == fonts.body and fonts.title_stroke > 0  # faux-bold Song as 小标宋
    assert len({fonts.heading, fonts.subheading, fonts.body}) == 3
    assert register_fonts([]) is fonts  # cached


def _link(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except OSError:  # Windows without the symlink privilege
        shutil.copyfile(target, link)


def test_installed_office_faces_are_preferred(tmp_path: Path) -> None:
    # Stand-ins for Windows faces (file names matched case-insensitively).
    _link(tmp_path / "SIMHEI.TTF", resource_path("fonts", "wqy-microhei.ttc"))
    _link(tmp_path / "simkai.ttf", resource_path("fonts", "ar-pl-ukai.ttc"))
    (tmp_path / "simfang.ttf").write_bytes(b"not a font")  # damaged: skipped
    fonts = register_fonts([tmp_path])
    assert "SIMHEI" in fonts.heading
    assert fonts.title == fonts.heading and fonts.title_stroke == 0  # 黑体 when no 小标宋
    assert "simkai" in fonts.subheading
    assert "uming" in fonts.body  # the damaged FangSong fell back to the bundled face
    assert fonts.sources["heading"] == "黑体 SimHei"
    assert "仿宋" not in fonts.sources["body"]


def test_bundled_fonts_env_ignores_installed_faces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "simhei.ttf").write_bytes(b"")  # only looked up, never loaded
    monkeypatch.setenv("WUSHE_FONT_DIR", str(tmp_path))
    assert find_faces()["heading"][0].system
    monkeypatch.setenv("WUSHE_PDF_FONTS", "bundled")
    assert not find_faces()["heading"][0].system


def test_font_licences_are_shipped() -> None:
    for name in ("wqy-microhei", "arphic-uming", "arphic-ukai"):
        assert resource_path("fonts", f"LICENSE-{name}.txt").stat().st_size > 1000


def test_long_notes_wrap_before_dates_do() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    rows = [
        [date(1969, 10, 10), "助老", "2025年度优秀志愿者，多次参与防汛救灾" if i % 7 == 0 else ""]
        for i in range(40)
    ]
    table = data_table(["出生日期", "服务类别", "备注"], rows)
    widths = table.inner(200.0)._colWidths  # a narrow column of the page
    font = get_styles().fonts.plain
    assert widths[0] >= stringWidth("1969年10月10日", font, 10.5)  # the date stays on one line
    assert sum(widths) == pytest.approx(200.0)
