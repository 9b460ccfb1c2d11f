"""Bar and line charts (reportlab's own vector graphics) for 12-month series with Chinese labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from wushe_desktop.infra.pdf.styles import MM, get_styles

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

__all__ = ["bar_chart", "line_chart", "month_labels"]

Series = Mapping[str, Sequence[float]] | Sequence[float]


def month_labels(year: int, month: int, count: int = 12) -> list[str]:
    """Labels for the ``count`` months ending with ``year``-``month``: 2月 … 12月, 2026年1月.

    The first month of each year (and the first label) carries the year, so a 12-month
    window across a new year reads unambiguously.
    """
    labels: list[str] = []
    for back in range(count - 1, -1, -1):
        index = year * 12 + (month - 1) - back
        y, m = divmod(index, 12)
        first = back == count - 1
        labels.append(f"{y}年{m + 1}月" if first or m == 0 else f"{m + 1}月")
    return labels


def _series(series: Series, count: int) -> list[tuple[str, Sequence[float]]]:
    items = list(series.items()) if isinstance(series, Mapping) else [("", series)]
    if not items:
        raise ValueError("a chart needs at least one series")
    for name, data in items:
        if len(data) != count:
            raise ValueError(f"series {name!r} has {len(data)} values for {count} categories")
    return items


def _chart(
    kind: str,
    categories: Sequence[str],
    series: Series,
    *,
    title: str,
    unit: str,
    height: float,
    width: float | None,
    value_labels: bool | None,
) -> Flowable:
    from wushe_desktop.infra.pdf._charts import ChartSpec, build_chart
    from wushe_desktop.infra.pdf._flowables import Deferred

    spec = ChartSpec(
        kind=kind,
        categories=[str(c) for c in categories],
        series=_series(series, len(categories)),
        title=title,
        unit=unit,
        height=height,
        width=width,
        value_labels=value_labels,
        styles=get_styles(),
    )
    return Deferred(
        lambda avail: build_chart(spec, avail),
        splittable=False,
        space=(6.0, 12.0),
        label=f"{kind} chart",
    )


def bar_chart(
    categories: Sequence[str],
    series: Series,
    *,
    title: str = "",
    unit: str = "",
    height: float = 70 * MM,
    width: float | None = None,
    value_labels: bool | None = None,
) -> Flowable:
    """Grouped vertical bars; ``series`` is one list of values or {名称: values} (with legend).

    Width defaults to the page's 版心; values are printed on the bars while they stay
    readable (``value_labels`` forces it on or off).
    """
    return _chart(
        "bar",
        categories,
        series,
        title=title,
        unit=unit,
        height=height,
        width=width,
        value_labels=value_labels,
    )


def line_chart(
    categories: Sequence[str],
    series: Series,
    *,
    title: str = "",
    unit: str = "",
    height: float = 70 * MM,
    width: float | None = None,
    value_labels: bool | None = None,
) -> Flowable:
    """Lines with point markers, e.g. volunteer hours over 12 months (see ``bar_chart``)."""
    return _chart(
        "line",
        categories,
        series,
        title=title,
        unit=unit,
        height=height,
        width=width,
        value_labels=value_labels,
    )
