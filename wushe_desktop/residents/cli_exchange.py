"""Residents on the command line: the ExchangeModule of ``wushe_desktop.cli.exchange``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cli.exchange import ExportOptions, ImportOptions
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.progress import Progress
from wushe_desktop.residents.excel_io import (
    ImportReport,
    export_residents,
    import_residents,
    write_resident_template,
)
from wushe_desktop.residents.search import ResidentQuery


def write_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    write_resident_template(out, session=session, actor=actor)


def export(
    db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
) -> int:
    query = ResidentQuery(text=options.search, deleted=options.deleted)
    return export_residents(db, actor, query, out, full=options.full, progress=progress)


def import_file(
    db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
) -> ImportReport:
    return import_residents(
        db,
        actor,
        path,
        dry_run=options.dry_run,
        strict=options.strict,
        error_out=options.error_out,
        progress=progress,
    )
