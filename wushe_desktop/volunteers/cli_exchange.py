"""Volunteers on the command line: the ExchangeModule of ``wushe_desktop.cli.exchange``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cli.exchange import ExportOptions, ImportOptions
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.progress import Progress
from wushe_desktop.residents.importer import ImportReport
from wushe_desktop.volunteers.excel import (
    export_volunteers,
    import_volunteers,
    write_volunteer_template,
)
from wushe_desktop.volunteers.search import VolunteerQuery


def write_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    write_volunteer_template(out, session, actor)


def export(
    db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
) -> int:
    query = VolunteerQuery(text=options.search, deleted=options.deleted)
    return export_volunteers(db, actor, query, out, full=options.full, progress=progress)


def import_file(
    db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
) -> ImportReport:
    return import_volunteers(
        db,
        actor,
        path,
        dry_run=options.dry_run,
        strict=options.strict,
        error_out=options.error_out,
        progress=progress,
    )
