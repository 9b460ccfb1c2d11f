"""The Excel exchanges the command line offers: ``template/export/import <what>``.

Each room registers one entry naming the module that implements the ``ExchangeModule``
protocol below; the module is imported only when its command runs (fast start-up).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the parser imports this module; keep SQLAlchemy out of `--help`
    from sqlalchemy.orm import Session

    from wushe_desktop.accounts.permissions import Actor
    from wushe_desktop.infra.db.engine import Database
    from wushe_desktop.infra.excel import RowError
    from wushe_desktop.infra.progress import Progress


@dataclass(frozen=True)
class ExportOptions:
    full: bool = False  # unmasked sensitive columns (needs the right)
    search: str = ""
    deleted: bool = False  # the recycle bin instead of live records
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    strict: bool = False
    error_out: Path | None = None


class ImportResult(Protocol):
    total: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    error_workbook: Path | None
    dry_run: bool
    aborted: bool  # strict mode refused the whole file

    def summary(self) -> str:
        """One Chinese line: totals, or why nothing was written."""
        ...


class ExchangeModule(Protocol):
    def write_template(self, out: Path, session: Session | None, actor: Actor | None) -> None: ...

    def export(
        self, db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
    ) -> int: ...

    def import_file(
        self, db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
    ) -> ImportResult: ...


@dataclass(frozen=True)
class Exchange:
    key: str  # the word on the command line
    label: str  # what the rows are, in Chinese (“居民”)
    module: str  # dotted path of the ExchangeModule
    can_import: bool = True
    can_template: bool = True

    def load(self) -> ExchangeModule:
        module: ExchangeModule = importlib.import_module(self.module)
        return module


#: One line per room. Later rooms add theirs here.
EXCHANGES: dict[str, Exchange] = {
    e.key: e
    for e in (
        Exchange("residents", "居民", "wushe_desktop.residents.cli_exchange"),
        Exchange("service-records", "服务记录", "wushe_desktop.service_records.cli_exchange"),
        Exchange("cases", "个案", "wushe_desktop.cases.cli_exchange", False, False),
        Exchange("volunteers", "志愿者", "wushe_desktop.volunteers.cli_exchange"),
        Exchange("volunteer-hours", "志愿服务时长", "wushe_desktop.scheduling.cli_hours"),
        Exchange("shifts", "志愿服务班次", "wushe_desktop.scheduling.cli_shifts", False, False),
        Exchange("visits", "探访", "wushe_desktop.visits.cli_exchange", False, False),
        Exchange("groups", "小组", "wushe_desktop.groups.cli_exchange", False, False),
        Exchange("activities", "社区活动", "wushe_desktop.activities.cli_exchange", False, False),
    )
}
