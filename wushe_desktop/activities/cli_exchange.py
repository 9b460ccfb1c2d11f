"""Activities on the command line (``export activities``): the ExchangeModule of
``cli.exchange``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.activities.exporter import export_activities
from wushe_desktop.activities.search import ActivityQuery
from wushe_desktop.cli.exchange import ExportOptions, ImportOptions
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.progress import Progress


def write_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    raise WusheError("社区活动没有导入模板。")


def export(
    db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
) -> int:
    query = ActivityQuery(
        text=options.search,
        date_from=options.date_from,
        date_to=options.date_to,
        deleted=options.deleted,
    )
    return export_activities(db, actor, query, out, progress=progress)


def import_file(
    db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
) -> object:
    raise WusheError("社区活动不能从 Excel 导入。")
