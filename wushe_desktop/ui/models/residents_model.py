"""The lazy residents list: pages of 100 rows fetched on the DB thread as the view needs them.

The model knows the row count (``search.count``) and holds at most ``MAX_PAGES`` pages in
an LRU cache keyed by page number, so memory stays flat at 500,000 rows. A page is fetched
by keyset from a cached neighbour (constant time), from either end of the list (first page,
``from_end`` for the last), or by ``page_at`` for a scroll-bar jump into the middle. Rows
not yet loaded show "…" until their page arrives.

A new query (typing, filter, sort) bumps ``generation``; the count and first page come back
together and replace the list in one reset, and any result of an older generation is
dropped, so fast typing never shows stale rows.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.residents.rows import ResidentRow
from wushe_desktop.residents.search import Cursor, Page, ResidentQuery, SortKey
from wushe_desktop.ui.models.table import RowRole
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.workers import DbExecutor

Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 100
MAX_PAGES = 40  # 4,000 rows at most in memory
PLACEHOLDER = "…"

LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class ResidentColumn:
    header: str
    text: Callable[[ResidentRow], str]
    width: int
    sort: SortKey | None = None
    descending_means: bool = False  # True: ascending in the view = descending key (age)
    align: int = LEFT


def _updated(row: ResidentRow) -> str:
    return row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")


COLUMNS: tuple[ResidentColumn, ...] = (
    ResidentColumn("姓名", lambda r: r.name, 90, "name"),
    ResidentColumn("性别", lambda r: r.gender, 44),
    ResidentColumn(
        "年龄", lambda r: "" if r.age is None else str(r.age), 50, "birth_date", True, RIGHT
    ),
    ResidentColumn("证件号码", lambda r: r.id_number, 170),
    ResidentColumn("电话", lambda r: r.phone, 110),
    ResidentColumn("社区（村）", lambda r: r.community_name, 110, "community"),
    ResidentColumn("网格", lambda r: r.grid_name, 90),
    ResidentColumn("重点人群", lambda r: r.tags_text, 200),
    ResidentColumn("住址", lambda r: r.address, 200),
    ResidentColumn("更新时间", _updated, 130, "updated_at"),
)


@dataclass(frozen=True)
class _Loaded:
    generation: int
    total: int
    first: Page | None


@dataclass(frozen=True)
class _PageResult:
    generation: int
    number: int
    page: Page


class ResidentListModel(QAbstractTableModel):
    """Rows of ``ResidentRow`` for one ``ResidentQuery``, loaded page by page."""

    #: Emitted after a new query's count and first page arrived (total rows).
    query_loaded = Signal(int)
    #: Emitted when a page arrived (page number).
    page_loaded = Signal(int)
    #: Emitted with an exception when loading failed.
    load_failed = Signal(object)

    def __init__(self, executor: DbExecutor, actor: Actor) -> None:
        super().__init__()
        self._executor = executor
        self._actor = actor
        self.query = ResidentQuery()
        self.generation = 0
        self.total = 0
        self._pages: OrderedDict[int, Page] = OrderedDict()
        self._in_flight: set[int] = set()
        self._wanted: set[int] = set()
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        self.loading = False

    # -- queries -------------------------------------------------------------------------------
    def set_query(self, query: ResidentQuery) -> int:
        """Load ``query`` (count + first page) in the background; returns its generation."""
        self.query = query
        self.generation += 1
        generation = self.generation
        actor = self._actor
        self.loading = True

        def work(session: Session) -> _Loaded | None:
            from wushe_desktop.residents.search import count, search

            if generation != self.generation:
                return None  # superseded before it ran: skip the queries
            total = count(session, actor, query)
            first = search(session, actor, query, limit=PAGE_SIZE) if total else None
            return _Loaded(generation, total, first)

        self._executor.query(work, self._on_loaded, self._on_failed, parent=self)
        return generation

    def reload(self) -> int:
        """Re-run the current query (after an edit, delete or restore)."""
        return self.set_query(self.query)

    def _on_loaded(self, result: object) -> None:
        if not isinstance(result, _Loaded) or result.generation != self.generation:
            return  # stale
        self.beginResetModel()
        self.total = result.total
        self._pages.clear()
        self._in_flight.clear()
        self._wanted.clear()
        if result.first is not None:
            self._pages[0] = result.first
        self.endResetModel()
        self.loading = False
        emit(self.query_loaded, result.total)

    def _on_failed(self, exc: BaseException) -> None:
        self.loading = False
        emit(self.load_failed, exc)

    # -- paging --------------------------------------------------------------------------------
    @property
    def last_page(self) -> int:
        return max(0, (self.total - 1) // PAGE_SIZE)

    def page_rows(self, number: int) -> int:
        """How many rows page ``number`` holds (the last one may be short)."""
        return max(0, min(PAGE_SIZE, self.total - number * PAGE_SIZE))

    def row(self, row: int) -> ResidentRow | None:
        """The row if its page is loaded (None otherwise, and the page is requested)."""
        if not (0 <= row < self.total):
            return None
        number, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            self._want(number)
            return None
        self._pages.move_to_end(number)
        return page.rows[offset] if offset < len(page.rows) else None

    def is_loaded(self, row: int) -> bool:
        return (row // PAGE_SIZE) in self._pages

    def find_row(self, resident_id: uuid.UUID) -> int:
        """Position of a resident among the loaded pages, or -1."""
        for number, page in self._pages.items():
            for i, r in enumerate(page.rows):
                if r.id == resident_id:
                    return number * PAGE_SIZE + i
        return -1

    def _want(self, number: int) -> None:
        if number in self._in_flight or number in self._wanted:
            return
        self._wanted.add(number)
        self._fetch_timer.start()

    def _plan(self, number: int) -> Callable[[Session], Page]:
        """How to fetch page ``number``: keyset from a neighbour, an end, or an offset jump."""
        from wushe_desktop.residents.search import page_at, search

        actor, query, total = self._actor, self.query, self.total
        size = self.page_rows(number)
        before_page = self._pages.get(number - 1)
        after_page = self._pages.get(number + 1)
        if before_page is not None and before_page.keys and len(before_page.rows) == PAGE_SIZE:
            after_key: Cursor = before_page.keys[-1]
            return lambda s: search(s, actor, query, after=after_key, limit=size)
        if after_page is not None and after_page.keys:
            before_key: Cursor = after_page.keys[0]
            return lambda s: search(s, actor, query, before=before_key, limit=size)
        if number == 0:
            return lambda s: search(s, actor, query, limit=size)
        if number == self.last_page:
            return lambda s: search(s, actor, query, from_end=True, limit=size)
        offset = number * PAGE_SIZE
        return lambda s: page_at(s, actor, query, offset, total=total, limit=size)

    def _fetch_wanted(self) -> None:
        wanted = sorted(self._wanted)
        self._wanted.clear()
        generation = self.generation
        for number in wanted:
            if number in self._pages or number in self._in_flight or number > self.last_page:
                continue
            fetch = self._plan(number)
            self._in_flight.add(number)

            def work(
                session: Session, fetch: Callable[[Session], Page] = fetch, number: int = number
            ) -> _PageResult | None:
                if generation != self.generation:
                    return None
                return _PageResult(generation, number, fetch(session))

            self._executor.query(work, self._on_page, self._on_failed, parent=self)

    def _on_page(self, result: object) -> None:
        if not isinstance(result, _PageResult) or result.generation != self.generation:
            return
        self._in_flight.discard(result.number)
        self._pages[result.number] = result.page
        self._pages.move_to_end(result.number)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = result.number * PAGE_SIZE
        last = first + self.page_rows(result.number) - 1
        if last >= first:
            emit(
                self.dataChanged,
                self.index(first, 0),
                self.index(last, len(COLUMNS) - 1),
                [Qt.ItemDataRole.DisplayRole],
            )
        emit(self.page_loaded, result.number)

    @property
    def cached_pages(self) -> list[int]:
        return list(self._pages)

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.total):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            RowRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        row = self.row(index.row())
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#999999") if row is None else None
        if row is None:
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        text = column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 12 else None
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section].sort is None:
                return "此列不能排序"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def sort_column(self) -> tuple[int, Qt.SortOrder]:
        """The column and order that the current query's sort corresponds to."""
        for i, column in enumerate(COLUMNS):
            if column.sort == self.query.sort:
                descending = self.query.descending != column.descending_means
                order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
                return i, order
        return 0, Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Server-side sort; columns without a sort key keep the current order."""
        if not (0 <= column < len(COLUMNS)) or COLUMNS[column].sort is None:
            return
        spec = COLUMNS[column]
        descending = (order == Qt.SortOrder.DescendingOrder) != spec.descending_means
        assert spec.sort is not None
        if spec.sort == self.query.sort and descending == self.query.descending:
            return
        from dataclasses import replace

        self.set_query(replace(self.query, sort=spec.sort, descending=descending))
