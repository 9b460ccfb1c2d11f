"""Lazy lists of cases and service records: keyset pages appended as the view scrolls.

``reload(query)`` reads the count and the first page in one DB-thread call; scrolling
asks ``fetchMore`` for the next page after the last row's cursor. A newer ``reload``
makes any older result be dropped (a generation number), so fast filter changes never
show stale rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cases import search as case_search
from wushe_desktop.cases.rows import CaseRow
from wushe_desktop.service_records import search as record_search
from wushe_desktop.service_records.rows import ServiceRecordRow
from wushe_desktop.ui.models.table import CENTER, RIGHT, Column, RowRole
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.workers import DbExecutor

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 100

#: (count, rows, cursor) of a first page; (rows, cursor) of a next page.
FirstFn = Callable[[Session], tuple[int, Sequence[Any], object | None]]
NextFn = Callable[[Session, object], tuple[Sequence[Any], object | None]]


class KeysetListModel(QAbstractTableModel, Generic[T]):
    """Rows of one dataclass type, loaded page by page."""

    #: Emitted when a reload's result is shown: (total rows).
    loaded = Signal(int)
    #: Emitted when a reload or page failed.
    failed = Signal(object)

    def __init__(self, executor: DbExecutor, columns: Sequence[Column[T]]) -> None:
        super().__init__()
        self.executor = executor
        self.columns = list(columns)
        self.rows: list[T] = []
        self.total = 0
        self.loading = False
        self._cursor: object | None = None
        self._next: NextFn | None = None
        self._generation = 0
        self._paging = False

    # -- loading -------------------------------------------------------------------------------
    def reload(self, first: FirstFn, next_page: NextFn) -> None:
        self._generation += 1
        generation = self._generation
        self.loading = True
        self._next = next_page
        self.executor.query(
            first,
            lambda result: self._on_first(generation, result),
            lambda exc: self._on_failed(generation, exc),
            parent=self,
        )

    def _on_first(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        assert isinstance(result, tuple)
        total, rows, cursor = result
        self.beginResetModel()
        self.rows = list(rows)
        self.total = int(total)
        self._cursor = cursor
        self.loading = False
        self._paging = False
        self.endResetModel()
        emit(self.loaded, self.total)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self._paging = False
        emit(self.failed, exc)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._cursor is not None and not self._paging

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._cursor is None or self._next is None or self._paging:
            return
        self._paging = True
        generation, cursor, next_page = self._generation, self._cursor, self._next
        self.executor.query(
            lambda s: next_page(s, cursor),
            lambda result: self._on_more(generation, result),
            lambda exc: self._on_failed(generation, exc),
            parent=self,
        )

    def _on_more(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        assert isinstance(result, tuple)
        rows, cursor = result
        self._paging = False
        self._cursor = cursor
        if rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    # -- model ---------------------------------------------------------------------------------
    def row_at(self, row: int) -> T | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, index.column())
        if role == RowRole:
            return row
        return None

    def foreground(self, row: T, column: int) -> QColor | None:
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self.columns[section].align)
        return None


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


CASE_COLUMNS: tuple[Column[CaseRow], ...] = (
    Column("个案编号", lambda r: r.case_no, width=110),
    Column("服务对象", lambda r: r.resident_name + ("（未成年）" if r.is_minor else ""), width=110),
    Column("社区（村）", lambda r: r.community_name, width=110),
    Column("负责社工", lambda r: r.worker_name, width=80),
    Column("阶段", lambda r: r.stage, CENTER, width=50),
    Column("风险", lambda r: r.risk_level, CENTER, width=44),
    Column("问题领域", lambda r: r.problem_text, width=180),
    Column("接案日期", lambda r: _day(r.opened_on), width=90),
    Column("最近服务", lambda r: _day(r.last_service_on), width=90),
    Column("来源", lambda r: r.source, width=90),
)

_RISK_COLORS = {"高": QColor("#b3261e"), "中": QColor("#9a6700")}


class CaseListModel(KeysetListModel[CaseRow]):
    def __init__(self, executor: DbExecutor, actor: Actor) -> None:
        super().__init__(executor, CASE_COLUMNS)
        self.actor = actor
        self.query = case_search.CaseQuery()

    def set_query(self, query: case_search.CaseQuery) -> None:
        self.query = query
        actor = self.actor

        def first(s: Session) -> tuple[int, Sequence[Any], object | None]:
            page = case_search.search(s, actor, query, limit=PAGE_SIZE)
            return case_search.count(s, actor, query), page.rows, page.next_cursor

        def more(s: Session, cursor: object) -> tuple[Sequence[Any], object | None]:
            assert isinstance(cursor, case_search.CaseCursor)
            page = case_search.search(s, actor, query, after=cursor, limit=PAGE_SIZE)
            return page.rows, page.next_cursor

        self.reload(first, more)

    def foreground(self, row: CaseRow, column: int) -> QColor | None:
        if self.columns[column].header == "风险":
            return _RISK_COLORS.get(row.risk_level)
        return None


RECORD_COLUMNS: tuple[Column[ServiceRecordRow], ...] = (
    Column("服务日期", lambda r: _day(r.served_on), width=90),
    Column("类型", lambda r: r.service_type, width=70),
    Column("服务对象", lambda r: r.served_text, width=100),
    Column("社区（村）", lambda r: r.community_name, width=100),
    Column("服务人员", lambda r: r.worker_name, width=80),
    Column("时长（分钟）", lambda r: str(r.duration_minutes), RIGHT, width=80),
    Column("人次", lambda r: str(r.attendances), RIGHT, width=50),
    Column("亮点", lambda r: "★" if r.is_highlight else "", CENTER, width=40),
    Column("服务内容", lambda r: r.content, width=320, tooltip=lambda r: r.content),
)


class ServiceRecordListModel(KeysetListModel[ServiceRecordRow]):
    def __init__(self, executor: DbExecutor, actor: Actor) -> None:
        super().__init__(executor, RECORD_COLUMNS)
        self.actor = actor
        self.query = record_search.ServiceRecordQuery()

    def set_query(self, query: record_search.ServiceRecordQuery) -> None:
        self.query = query
        actor = self.actor

        def first(s: Session) -> tuple[int, Sequence[Any], object | None]:
            page = record_search.search(s, actor, query, limit=PAGE_SIZE)
            return record_search.count(s, actor, query), page.rows, page.next_cursor

        def more(s: Session, cursor: object) -> tuple[Sequence[Any], object | None]:
            assert isinstance(cursor, record_search.Cursor)
            page = record_search.search(s, actor, query, after=cursor, limit=PAGE_SIZE)
            return page.rows, page.next_cursor

        self.reload(first, more)
