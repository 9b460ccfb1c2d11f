"""Service records on the command line: the ExchangeModule of ``wushe_desktop.cli.exchange``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cli.exchange import ExportOptions, ImportOptions
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.progress import Progress
from wushe_desktop.service_records.excel_columns import write_service_template
from wushe_desktop.service_records.exporter import export_service_records
from wushe_desktop.service_records.importer import ImportReport, import_service_records
from wushe_desktop.service_records.search import ServiceRecordQuery


def write_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    write_service_template(out, session, actor)


def export(
    db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
) -> int:
    query = ServiceRecordQuery(
        text=options.search,
        deleted=options.deleted,
        date_from=options.date_from,
        date_to=options.date_to,
    )
    return export_service_records(db, actor, query, out, full=options.full, progress=progress)


def import_file(
    db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
) -> ImportReport:
    return import_service_records(
        db,
        actor,
        path,
        dry_run=options.dry_run,
        strict=options.strict,
        error_out=options.error_out,
        progress=progress,
    )
