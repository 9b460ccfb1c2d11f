"""The shared PDF layer: case files, certificates, rosters and the monthly report use it.

Pages follow GB/T 9704 geometry and type scale (DOMAIN-RULES §9) with embedded CJK fonts
(installed 方正/Windows faces when present, bundled free faces otherwise), a header rule,
"第 X 页 共 Y 页" footers and atomic writes. Importing this package does not import
reportlab; that happens when a document is built.

    doc = PdfDocument(path, title="2026年1月工作报告", header_left="某某社工站",
                      header_right=chinese_month(2026, 1))
    doc.add(section_title("2026年1月工作报告", 0), section_title("一、总体情况", 1))
    doc.add(para("本月……"), data_table(["社区", "服务人次"], rows), signature_block())
    pages = doc.build(progress=progress, cancel=cancel)
"""

from wushe_desktop.infra.pdf import styles
from wushe_desktop.infra.pdf.charts import bar_chart, line_chart, month_labels
from wushe_desktop.infra.pdf.document import PdfDocument, build_pdf
from wushe_desktop.infra.pdf.fonts import FontSet, register_fonts
from wushe_desktop.infra.pdf.styles import (
    FONT_SIZES,
    LANDSCAPE,
    MM,
    PORTRAIT,
    PageGeometry,
    Styles,
    chinese_date,
    chinese_datetime,
    chinese_month,
    chinese_numeral,
    get_styles,
    page_geometry,
)
from wushe_desktop.infra.pdf.tables import (
    cell_text,
    data_table,
    kv_table,
    para,
    section_title,
    signature_block,
    text_block,
)

__all__ = [
    "FONT_SIZES",
    "LANDSCAPE",
    "MM",
    "PORTRAIT",
    "FontSet",
    "PageGeometry",
    "PdfDocument",
    "Styles",
    "bar_chart",
    "build_pdf",
    "cell_text",
    "chinese_date",
    "chinese_datetime",
    "chinese_month",
    "chinese_numeral",
    "data_table",
    "get_styles",
    "kv_table",
    "line_chart",
    "month_labels",
    "page_geometry",
    "para",
    "register_fonts",
    "section_title",
    "signature_block",
    "styles",
    "text_block",
]
