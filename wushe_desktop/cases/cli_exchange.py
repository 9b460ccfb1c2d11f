"""Cases on the command line: export only (cases are opened in the app, not imported)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cases.exporter import export_cases
from wushe_desktop.cases.search import CaseQuery
from wushe_desktop.cli.exchange import ExportOptions, ImportOptions, ImportResult
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.progress import Progress

_NO_IMPORT = (
    "个案不能从 Excel 导入，请在“个案”页面开案；历史服务记录可用 import service-records 导入。"
)


def write_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    raise WusheError(_NO_IMPORT)


def export(
    db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
) -> int:
    query = CaseQuery(
        text=options.search,
        deleted=options.deleted,
        opened_from=options.date_from,
        opened_to=options.date_to,
    )
    return export_cases(db, actor, query, out, progress=progress)


def import_file(
    db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
) -> ImportResult:
    raise WusheError(_NO_IMPORT)
