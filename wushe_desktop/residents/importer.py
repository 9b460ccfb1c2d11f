"""Excel import of residents: check every row, then write the valid ones in one transaction.

Rows are matched to the station's residents by (证件类型, 证件号码): identical → nothing
written; changed → one bulk UPDATE (version checked and incremented) with an audited
diff; new → one bulk INSERT (residents, tags, one audit entry each). A row without an ID
number is created unless an identical resident without one exists, so re-importing an
exported file changes nothing. Rejected rows come back as ``RowError``s and as an error
workbook (the original rows plus 错误原因) that can be corrected and imported again.

The steps live in ``import_check`` (cells → clean resident), ``import_plan`` (matching)
and ``import_write`` (bulk writes): calamine reader, one SELECT per 1,000 keys,
executemany for every write, never one ORM object per row (PERF-FLOORS).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.domain.pinyin import preload_in_background
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied, ValidationError, WusheError
from wushe_desktop.infra.excel import ERROR_COLUMN, RowError, SheetData, read_sheet
from wushe_desktop.infra.excel import write_error_workbook as _write_error_workbook
from wushe_desktop.infra.memory import paused_gc
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress, sub_progress
from wushe_desktop.residents import excel_columns as cols
from wushe_desktop.residents.import_check import masked_file_problem
from wushe_desktop.residents.import_plan import build_plan
from wushe_desktop.residents.import_write import write_plan

__all__ = ["ImportReport", "default_error_path", "import_residents", "preview_rows"]

ERROR_SUFFIX = "_错误"


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    total: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    error_workbook: Path | None
    dry_run: bool
    aborted: bool = False  # strict mode found errors, so nothing was written

    @classmethod
    def planned(
        cls,
        *,
        total: int,
        created: int,
        updated: int,
        unchanged: int,
        errors: list[RowError],
        dry_run: bool,
        strict: bool,
    ) -> ImportReport:
        """The report of a checked plan; ``strict`` with errors means nothing is written."""
        aborted = strict and bool(errors)
        return cls(
            total=total,
            created=0 if aborted else created,
            updated=0 if aborted else updated,
            unchanged=0 if aborted else unchanged,
            errors=errors,
            error_workbook=None,
            dry_run=dry_run,
            aborted=aborted,
        )

    @property
    def rejected(self) -> int:
        """Number of rows with at least one error."""
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        """One line for the status bar and the command line."""
        counts = (
            f"共 {self.total} 行：新增 {self.created}，修改 {self.updated}，"
            f"未变 {self.unchanged}，有错误 {self.rejected} 行"
        )
        if self.aborted:
            return f"严格模式：{self.rejected} 行有错误，未导入任何数据（{self.total} 行）。"
        if self.dry_run:
            return f"试导入（未写入数据库）{counts}。"
        return f"导入完成，{counts}。"


def default_error_path(source: Path) -> Path:
    """``名单.xlsx`` → ``名单_错误.xlsx``; importing that file again reuses its name."""
    stem = source.stem if source.stem.endswith(ERROR_SUFFIX) else source.stem + ERROR_SUFFIX
    return source.with_name(stem + ".xlsx")


def _without_error_column(data: SheetData) -> SheetData:
    """Drop a 错误原因 column of a re-imported error file, so reasons do not pile up."""
    if ERROR_COLUMN not in data.headers:
        return data
    drop = data.headers.index(ERROR_COLUMN)

    def shift(index: int) -> int:
        return index - 1 if index > drop else index

    return replace(
        data,
        headers=[h for i, h in enumerate(data.headers) if i != drop],
        rows=[replace(r, raw=r.raw[:drop] + r.raw[drop + 1 :]) for r in data.rows],
        column_index={k: shift(i) for k, i in data.column_index.items()},
        text_indexes=frozenset(shift(i) for i in data.text_indexes if i != drop),
    )


def _error_workbook(
    source: Path, data: SheetData, errors: list[RowError], error_out: Path | None, dry_run: bool
) -> Path | None:
    """Write the rejected rows: to ``error_out`` if given, else beside the source (not in
    a dry run). A default location that cannot be written is skipped, not fatal."""
    if not errors or (error_out is None and dry_run):
        return None
    target = Path(error_out) if error_out is not None else default_error_path(source)
    try:
        _write_error_workbook(target, _without_error_column(data), errors)
    except WusheError:
        if error_out is not None:
            raise
        return None
    return target


# --------------------------------------------------------------------------- public API


def import_residents(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    error_out: Path | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import the residents of the first sheet of ``path`` into the actor's station.

    ``dry_run`` checks everything and writes nothing (the error workbook only when
    ``error_out`` is given). ``strict`` writes nothing when any row is rejected. Otherwise
    the valid rows are written in one transaction and the rejected ones go to the error
    workbook (``error_out`` or ``<name>_错误.xlsx`` beside the source). Cancelling leaves
    the database untouched.
    """
    actor.require(Resource.RESIDENT, Action.IMPORT)
    station_id = actor.station_id
    if station_id is None:
        raise PermissionDenied("区级账户不属于任何站点，不能导入居民；请用站点账户登录后导入。")
    path = Path(path)
    with paused_gc():  # see infra/memory.py
        preload_in_background()  # overlaps reading the sheet
        data = read_sheet(
            path,
            cols.resident_columns(),
            aliases=cols.ALIASES,
            progress=sub_progress(progress, 0.0, 0.2),
            cancel=cancel,
        )
        masked = masked_file_problem(data)
        if masked is not None:
            raise ValidationError(masked, field="file")
        opener = db.reader if dry_run else db.transaction
        with opener() as session:
            plan = build_plan(session, station_id, data, sub_progress(progress, 0.2, 0.55), cancel)
            report = ImportReport.planned(
                total=len(data.rows),
                created=len(plan.creates),
                updated=len(plan.updates),
                unchanged=plan.unchanged,
                errors=plan.errors,
                dry_run=dry_run,
                strict=strict,
            )
            report.error_workbook = _error_workbook(path, data, plan.errors, error_out, dry_run)
            if not dry_run and not report.aborted and (plan.creates or plan.updates):
                write_plan(
                    session,
                    actor=actor,
                    station_id=station_id,
                    source=path.name,
                    summary=report.summary(),
                    plan=plan,
                    progress=sub_progress(progress, 0.6, 1.0),
                    cancel=cancel,
                )
    progress(1.0, report.summary())
    return report


def preview_rows(path: Path, limit: int = 20) -> tuple[list[str], list[list[object]]]:
    """The header and the first ``limit`` data rows as the importer will read them.

    Raises the same ``ValidationError`` as the import for an unreadable file or a sheet
    without the required columns, so the preview step already explains the problem. Starts
    loading pypinyin too: the import that usually follows then does not wait for it.
    """
    preload_in_background()
    data = read_sheet(Path(path), cols.resident_columns(), aliases=cols.ALIASES)
    width = len(data.headers)
    rows = [
        [_shown(row.raw[i]) if i < len(row.raw) else None for i in range(width)]
        for row in data.rows[:limit]
    ]
    return data.headers, rows


def _shown(value: object) -> object:
    """calamine reads every number as a float; show 3.0 as 3."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
