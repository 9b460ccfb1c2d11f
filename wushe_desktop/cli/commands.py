"""The command-line commands; each opens the database, migrates it and calls the services."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wushe_desktop.accounts.permissions import Actor, system_actor
from wushe_desktop.cli.exchange import EXCHANGES, Exchange, ExportOptions, ImportOptions
from wushe_desktop.cli.parser import EXIT_OK, EXIT_REJECTED, UsageError
from wushe_desktop.exchange.cli_package import cmd_package
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.progress import Progress
from wushe_desktop.reports.cli_report import cmd_report
from wushe_desktop.volunteers.cli_certificate import cmd_certificate


def _say(text: str) -> None:
    print(text, flush=True)


def _progress_printer() -> Progress:
    """Prints a line at each 10 % step (on stderr, so stdout stays clean for scripts)."""
    state = {"last": -1}

    def report(fraction: float, status: str) -> None:
        step = int(fraction * 10)
        if step != state["last"]:
            state["last"] = step
            print(f"  {fraction:4.0%} {status}", file=sys.stderr, flush=True)

    return report


@contextmanager
def open_database(
    args: argparse.Namespace, *, lock: bool, migrate: bool = True
) -> Iterator[Database]:
    """Open ``--db``; take the instance lock for writing commands; migrate (with backup)."""
    from wushe_desktop.infra.db import migrate as migrations
    from wushe_desktop.infra.db.lock import InstanceLock

    db = Database.open(args.db)
    instance = InstanceLock(db.file).acquire() if (lock and db.file is not None) else None
    try:
        if migrate:
            made = migrations.upgrade(db)
            if made is not None:
                print(f"数据库已升级，升级前的备份：{made}", file=sys.stderr)
        yield db
    finally:
        db.dispose()
        if instance is not None:
            instance.release()


def _password_for(username: str) -> str:
    password = os.environ.get("WUSHE_PASSWORD")
    if password:
        return password
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"请输入账户 {username} 的密码：")
    raise UsageError("需要密码：请设置环境变量 WUSHE_PASSWORD，或在终端中运行以便输入密码")


def sign_in_from_args(db: Database, args: argparse.Namespace) -> Actor:
    from wushe_desktop.accounts import service as accounts

    username = args.user or os.environ.get("WUSHE_USER")
    if not username:
        raise UsageError("请用 --user 指定账户（或设置环境变量 WUSHE_USER）")
    return accounts.sign_in(db, username, _password_for(username))


def cmd_init(args: argparse.Namespace) -> int:
    from wushe_desktop.domain.pinyin import pinyin_keys
    from wushe_desktop.stations import service as stations

    password = os.environ.get("WUSHE_ADMIN_PASSWORD", "")
    if not password:
        raise UsageError("请用环境变量 WUSHE_ADMIN_PASSWORD 提供站长账户的初始密码")
    code = args.code or pinyin_keys(args.station).initials.upper()[:20] or "STATION"
    with open_database(args, lock=True) as db, db.transaction() as session:
        info, user = stations.create_station(
            session,
            name=args.station,
            township=args.township,
            district=args.district,
            code=code,
            admin_username=args.admin,
            admin_password=password,
            admin_display_name=args.admin_name,
        )
    _say(f"已创建站点“{info.name}”（编码 {info.code}）与站长账户 {user.username}。")
    _say(f"数据库：{db.describe()}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from wushe_desktop.demo.generate import generate_demo

    with open_database(args, lock=True) as db:
        summary = generate_demo(db, scale=args.scale, seed=args.seed, progress=_progress_printer())
    _say(f"演示数据已载入：{summary}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from wushe_desktop.infra.db import migrate as migrations

    with open_database(args, lock=False, migrate=False) as db:
        st = migrations.state(db)
        _say(f"数据库：{db.describe()}")
        if st.is_new:
            _say("状态：空数据库（尚未初始化，运行 init 创建站点）")
        elif st.up_to_date:
            _say(f"迁移：已是最新版本 {st.head}")
        else:
            _say(f"迁移：当前版本 {st.current}，最新版本 {st.head}，下次启动时将自动升级（先备份）")
        ok = True
        if db.is_sqlite and not st.is_new:
            with db.engine.connect() as conn:
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            ok = rows == ["ok"]
            _say("完整性检查：通过" if ok else "完整性检查：未通过 — " + "；".join(rows[:5]))
    return EXIT_OK if ok else EXIT_REJECTED


def cmd_backup(args: argparse.Namespace) -> int:
    from wushe_desktop.audit.service import AuditAction, record
    from wushe_desktop.infra.db import backup

    with open_database(args, lock=False) as db:
        out = Path(args.out) if args.out else backup.default_backup_name(db)
        made = backup.backup_to(db, out, progress=_progress_printer())
        with db.transaction() as session:
            record(session, system_actor(), AuditAction.BACKUP, detail=f"命令行备份到 {made}")
    _say(f"备份完成（已校验）：{made}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from wushe_desktop.audit.service import AuditAction, record
    from wushe_desktop.infra.db import backup

    with open_database(args, lock=True, migrate=False) as db:
        safety = backup.restore_from(db, Path(args.file))
    with open_database(args, lock=True) as db, db.transaction() as session:
        record(session, system_actor(), AuditAction.RESTORE_DB, detail=f"从 {args.file} 恢复")
    _say(f"已从 {args.file} 恢复数据库；恢复前的数据已备份到 {safety}")
    return EXIT_OK


def _exchange(args: argparse.Namespace) -> Exchange:
    return EXCHANGES[args.what]


def cmd_template(args: argparse.Namespace) -> int:
    exchange = _exchange(args)
    module = exchange.load()
    out = Path(args.out)
    station_id = _single_station_id(args)
    if station_id is None:
        module.write_template(out, None, None)
        _say(f"已生成{exchange.label}导入模板：{out}")
        return EXIT_OK
    with open_database(args, lock=False) as db, db.reader() as session:
        module.write_template(out, session, system_actor(station_id))
    _say(f"已生成{exchange.label}导入模板（含本站的下拉选项）：{out}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    exchange = _exchange(args)
    options = ExportOptions(
        full=args.full,
        search=args.search,
        deleted=args.deleted,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    with open_database(args, lock=False) as db:
        actor = sign_in_from_args(db, args)
        count = exchange.load().export(db, actor, Path(args.out), options, _progress_printer())
    masked = "（完整敏感信息）" if args.full else "（敏感信息已脱敏）"
    _say(f"已导出 {count} 条{exchange.label}记录{masked}：{args.out}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    exchange = _exchange(args)
    options = ImportOptions(
        dry_run=args.dry_run,
        strict=args.strict,
        error_out=Path(args.errors_out) if args.errors_out else None,
    )
    with open_database(args, lock=True) as db:
        actor = sign_in_from_args(db, args)
        report = exchange.load().import_file(
            db, actor, Path(args.file), options, _progress_printer()
        )
    _say(report.summary())
    for err in report.errors[:200]:
        print(str(err), file=sys.stderr)
    if len(report.errors) > 200:
        print(f"……另有 {len(report.errors) - 200} 条错误，见错误工作簿。", file=sys.stderr)
    if report.error_workbook is not None:
        _say(f"被拒绝的行已写入：{report.error_workbook}（改正后可重新导入）")
    return EXIT_REJECTED if report.errors else EXIT_OK


def _single_station_id(args: argparse.Namespace) -> uuid.UUID | None:
    """The station of an existing one-station database (for template drop-downs), else None."""
    from sqlalchemy import select

    from wushe_desktop.stations.models import Station

    db = Database.open(args.db)
    try:
        if db.file is not None and not db.file.exists():
            return None
        from wushe_desktop.infra.db import migrate as migrations

        if not migrations.state(db).up_to_date:
            return None
        with db.reader() as session:
            ids = list(session.scalars(select(Station.id).limit(2)))
        return ids[0] if len(ids) == 1 else None
    finally:
        db.dispose()


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "template": cmd_template,
    "export": cmd_export,
    "import": cmd_import,
    "certificate": cmd_certificate,
    "report": cmd_report,
    "package": cmd_package,
}


def dispatch(args: argparse.Namespace) -> int:
    return COMMANDS[args.command](args)
