"""Shifts on the command line (export only): ``export shifts --out F [--from --to]``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cli.exchange import ExportOptions, ImportOptions
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.infra.progress import Progress
from wushe_desktop.residents.importer import ImportReport
from wushe_desktop.scheduling.shifts_excel import export_shifts


def write_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    raise ValidationError("班次没有导入模板；请在“排班”页面新建或重复排班。")


def export(
    db: Database, actor: Actor, out: Path, options: ExportOptions, progress: Progress
) -> int:
    """The period's roster; by default this week (Monday) and the next three."""
    today = date.today()
    start = options.date_from or today - timedelta(days=today.weekday())
    end = options.date_to or start + timedelta(days=27)
    return export_shifts(db, actor, out, start, end, progress=progress)


def import_file(
    db: Database, actor: Actor, path: Path, options: ImportOptions, progress: Progress
) -> ImportReport:
    raise ValidationError("班次不支持从 Excel 导入。")
