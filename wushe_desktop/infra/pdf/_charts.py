"""reportlab vector charts with Chinese labels (imported only when a document is made)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor, black
from reportlab.pdfbase.pdfmetrics import stringWidth

from wushe_desktop.infra.pdf.styles import Styles

#: Sober print colours that stay apart in greyscale too.
PALETTE = [HexColor(c) for c in ("#1F4E79", "#C55A11", "#7F7F7F", "#548235", "#7030A0")]
GRID_COLOUR = HexColor("#D0D0D0")
LABEL_SIZE = 8.0
#: Values are printed on bars/points only while they stay readable.
MAX_VALUE_LABELS = 26


def format_value(value: float) -> str:
    if value is None:
        return ""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):d}"
    return f"{value:.1f}"


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # "bar" | "line"
    categories: Sequence[str]
    series: Sequence[tuple[str, Sequence[float]]]
    title: str
    unit: str
    height: float
    width: float | None
    value_labels: bool | None
    styles: Styles


def _nice_max(peak: float) -> tuple[float, float]:
    """A round top for the value axis (with room for value labels) and a 1/2/2.5/5 step."""
    if peak <= 0:
        return 5.0, 1.0
    target = peak * 1.08
    exponent = math.floor(math.log10(target / 6))
    for power in range(exponent, exponent + 3):
        for factor in (1.0, 2.0, 2.5, 5.0):
            step = factor * 10.0**power
            top = step * math.ceil(target / step)
            if top / step <= 6:
                return top, step
    return target, target / 5  # pragma: no cover - the loop always finds a step


def build_chart(spec: ChartSpec, avail: float) -> Drawing:
    fonts = spec.styles.fonts
    width = min(spec.width or avail, avail)
    drawing = Drawing(width, spec.height)
    # The renderer's initial state would otherwise name Helvetica (an unembedded font).
    drawing.initialFontName = fonts.plain
    drawing.initialFontSize = LABEL_SIZE
    top_room = _add_captions(drawing, spec, width)
    values = [v for _, data in spec.series for v in data if v is not None]
    top, step = _nice_max(max(values, default=0.0))
    left = max(stringWidth(format_value(top), fonts.plain, LABEL_SIZE) + 10, 24)
    plot_w = width - left - 8
    slot = plot_w / max(1, len(spec.categories))
    chart: Any = VerticalBarChart() if spec.kind == "bar" else HorizontalLineChart()
    bottom = _category_axis(chart.categoryAxis, spec, slot)
    chart.x, chart.y = left, bottom
    chart.width, chart.height = plot_w, spec.height - bottom - top_room - 6
    chart.data = [list(data) for _, data in spec.series]
    _value_axis(chart.valueAxis, spec, top, step)
    show_labels = spec.value_labels
    if show_labels is None:
        show_labels = len(values) <= MAX_VALUE_LABELS
    if spec.kind == "bar":
        _style_bars(chart, spec, slot, show_labels)
    else:
        _style_lines(chart, spec, show_labels)
    drawing.add(chart)
    drawing.hAlign = "CENTER"
    return drawing


def _add_captions(drawing: Drawing, spec: ChartSpec, width: float) -> float:
    """Title, legend and unit above the plot; returns the height they take."""
    fonts = spec.styles.fonts
    height = spec.height
    top_room = 4.0
    if spec.title:
        title = String(width / 2, height - 12, spec.title, textAnchor="middle", fillColor=black)
        title.fontName, title.fontSize = fonts.heading, 10.5
        drawing.add(title)
        top_room += 16
    names = [name for name, _ in spec.series]
    if len(names) > 1 or names[0]:
        legend = Legend()
        legend.fontName = fonts.plain
        legend.fontSize = LABEL_SIZE
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.dxTextSpace = 4
        legend.dx = legend.dy = 7
        legend.deltax = max(stringWidth(n, fonts.plain, LABEL_SIZE) for n in names) + 24
        legend.boxAnchor = "ne"
        legend.x = width - 4
        legend.y = height - top_room
        legend.colorNamePairs = list(zip(PALETTE, names, strict=False))
        drawing.add(legend)
        top_room += 14
    if spec.unit:
        unit = String(4, height - top_room - 2, f"单位：{spec.unit}", fillColor=black)
        unit.fontName, unit.fontSize = fonts.plain, LABEL_SIZE
        drawing.add(unit)
        top_room += 10
    return top_room


def _category_axis(axis: Any, spec: ChartSpec, slot: float) -> float:
    """Label the categories (two lines, or tilted, when long); returns the room they need."""
    font = spec.styles.fonts.plain

    def widest(labels: Sequence[str]) -> float:
        return max(
            (stringWidth(part, font, LABEL_SIZE) for c in labels for part in c.split("\n")),
            default=0.0,
        )

    categories = list(spec.categories)
    lines = 1
    if widest(categories) > slot - 2:  # "2026年1月" -> "2026年" over "1月" before tilting
        split = [c.replace("年", "年\n", 1) for c in categories]
        if widest(split) <= slot - 2:
            categories, lines = split, 2
    longest = widest(categories)
    axis.categoryNames = categories
    axis.labels.fontName = font
    axis.labels.fontSize = LABEL_SIZE
    axis.strokeWidth = 0.6
    if longest <= slot - 2:
        axis.labels.boxAnchor = "n"
        axis.labels.textAnchor = "middle"
        axis.labels.dy = -3
        return 8 + 9 * lines
    axis.labels.angle = 35
    axis.labels.boxAnchor = "ne"
    axis.labels.dx, axis.labels.dy = 4, -2
    return 12 + longest * 0.6


def _value_axis(axis: Any, spec: ChartSpec, top: float, step: float) -> None:
    axis.valueMin = 0
    axis.valueMax = top
    axis.valueStep = step
    axis.labels.fontName = spec.styles.fonts.plain
    axis.labels.fontSize = LABEL_SIZE
    axis.labelTextFormat = format_value
    axis.visibleGrid = 1
    axis.gridStrokeColor = GRID_COLOUR
    axis.gridStrokeWidth = 0.4
    axis.strokeWidth = 0.6


def _style_bars(chart: Any, spec: ChartSpec, slot: float, labels: bool) -> None:
    n = max(1, len(spec.series))
    chart.groupSpacing = slot * 0.3
    chart.barSpacing = 1
    chart.barWidth = (slot * 0.7 - (n - 1)) / n
    for i in range(n):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    if labels:
        chart.barLabelFormat = format_value
        chart.barLabels.fontName = spec.styles.fonts.plain
        chart.barLabels.fontSize = 6.5
        chart.barLabels.nudge = 6
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.dy = -3


def _style_lines(chart: Any, spec: ChartSpec, labels: bool) -> None:
    chart.joinedLines = 1
    for i in range(len(spec.series)):
        colour = PALETTE[i % len(PALETTE)]
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 1.6
        chart.lines[i].symbol = makeMarker("FilledCircle", size=3.2, fillColor=colour)
    if labels:
        chart.lineLabelFormat = format_value
        chart.lineLabels.fontName = spec.styles.fonts.plain
        chart.lineLabels.fontSize = 6.5
        chart.lineLabelNudge = 3
        chart.lineLabels.boxAnchor = "s"
