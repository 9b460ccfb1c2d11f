"""Visits on the command line (``export visits``): the ExchangeModule of ``cli.exchange``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cli.exchange import ExportOptions, ImportOptions
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.progress import Progress
from wushe_desktop.visits.exporter import export_visits
from wushe_desktop.visits.search import VisitQuery


def write_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    raise WusheError("探访记录没有导入模板。")


def export(
    db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
) -> int:
    query = VisitQuery(
        text=options.search,
        date_from=options.date_from,
        date_to=options.date_to,
        deleted=options.deleted,
    )
    return export_visits(db, actor, query, out, progress=progress)


def import_file(
    db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
) -> object:
    raise WusheError("探访记录不能从 Excel 导入。")
