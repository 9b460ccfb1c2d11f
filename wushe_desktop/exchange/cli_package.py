"""``package export|import``: station → district data packages from the command line.

    package export --from 2026-01-01 --to 2026-01-31 --out 清河202601.wspkg   (the director)
    package export --all --out 清河全部.wspkg                                 (the first one)
    package import 清河202601.wspkg 淮海202601.wspkg …                        (a district user)
    package init-district --admin quji    (a new district database and its first district
                                           account; password from WUSHE_ADMIN_PASSWORD)

Each file is imported in its own transaction: a refused file changes nothing and the
others still import. Module-level imports stay light (the parser imports this for --help).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

__all__ = ["add_package_parser", "cmd_package"]

MAX_CONFLICTS_SHOWN = 50


def add_package_parser(
    sub: argparse._SubParsersAction,
    date_arg: Callable[[str], date],
    add_user_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    package = sub.add_parser("package", help="站点→区级数据包：导出本站数据、在区级库导入")
    kinds = package.add_subparsers(dest="package_kind", metavar="操作", required=True)
    exp = kinds.add_parser("export", help="导出本站某期间变动的记录（站长）")
    exp.add_argument("--from", dest="date_from", type=date_arg, help="起始日期，如 2026-01-01")
    exp.add_argument("--to", dest="date_to", type=date_arg, help="截止日期（含当日）")
    exp.add_argument("--all", action="store_true", help="导出本站全部记录（第一次报送时用）")
    exp.add_argument("--out", required=True, help="输出的数据包文件（.wspkg）")
    add_user_args(exp)
    imp = kinds.add_parser("import", help="把站点数据包导入区级数据库（区级账户）")
    imp.add_argument("files", nargs="+", help="一个或多个数据包文件")
    add_user_args(imp)
    init = kinds.add_parser(
        "init-district", help="建立区级数据库与区级管理员账户（密码取自 WUSHE_ADMIN_PASSWORD）"
    )
    init.add_argument("--admin", required=True, help="区级管理员用户名")
    init.add_argument("--admin-name", default="区级管理员", help="显示名")


def _init_district(args: argparse.Namespace) -> int:
    import os

    from sqlalchemy import select

    from wushe_desktop.accounts.models import User
    from wushe_desktop.accounts.permissions import Role, system_actor
    from wushe_desktop.accounts.service import create_user
    from wushe_desktop.cli.commands import open_database
    from wushe_desktop.cli.parser import EXIT_OK, UsageError
    from wushe_desktop.infra.errors import ConflictError

    password = os.environ.get("WUSHE_ADMIN_PASSWORD", "")
    if not password:
        raise UsageError("请用环境变量 WUSHE_ADMIN_PASSWORD 提供区级管理员账户的初始密码")
    with open_database(args, lock=True) as db, db.transaction() as session:
        station_user = session.scalars(select(User.id).where(User.station_id.is_not(None))).first()
        if station_user is not None:
            raise ConflictError("这是站点的数据库（已有站点账户），区级数据库请另建一个。")
        user = create_user(
            session,
            system_actor(),
            username=args.admin,
            display_name=args.admin_name,
            role=Role.DISTRICT_ADMIN,
            password=password,
        )
    print(f"已建立区级数据库与区级管理员账户 {user.username}：{db.describe()}", flush=True)
    return EXIT_OK


def cmd_package(args: argparse.Namespace) -> int:
    from wushe_desktop.cli.commands import _progress_printer, open_database, sign_in_from_args
    from wushe_desktop.cli.parser import EXIT_OK, EXIT_REJECTED, UsageError
    from wushe_desktop.infra.errors import WusheError
    from wushe_desktop.reports.periods import Period

    if args.package_kind == "init-district":
        return _init_district(args)
    if args.package_kind == "export":
        from wushe_desktop.exchange.package import EPOCH, export_package

        if args.all:
            period = Period.between(EPOCH, args.date_to or date.today())
        elif args.date_from is None or args.date_to is None:
            raise UsageError("请用 --from 和 --to 指定期间（第一次报送可用 --all 导出全部）")
        else:
            period = Period.between(args.date_from, args.date_to)
        with open_database(args, lock=False) as db:
            actor = sign_in_from_args(db, args)
            with db.transaction() as session:
                summary = export_package(
                    session, actor, period, Path(args.out), progress=_progress_printer()
                )
        print(
            f"已导出{summary.station}的数据包：{summary.path}，{summary.rows} 条记录"
            f"（{period.start.isoformat()} 至 {period.end.isoformat()}），SHA-256 {summary.sha256}",
            flush=True,
        )
        return EXIT_OK

    from wushe_desktop.exchange.importer import import_package

    failed = 0
    with open_database(args, lock=True) as db:
        actor = sign_in_from_args(db, args)
        for name in args.files:
            try:
                with db.transaction() as session:
                    report = import_package(
                        session, actor, Path(name), progress=_progress_printer()
                    )
            except WusheError as exc:
                failed += 1
                print(f"{name}：{exc}", file=sys.stderr, flush=True)
                continue
            print(f"{name}：{report.summary()}", flush=True)
            for conflict in report.conflicts[:MAX_CONFLICTS_SHOWN]:
                print(f"  冲突：{conflict.text()}", file=sys.stderr, flush=True)
            if len(report.conflicts) > MAX_CONFLICTS_SHOWN:
                more = len(report.conflicts) - MAX_CONFLICTS_SHOWN
                print(f"  ……另有 {more} 条冲突，见导入记录。", file=sys.stderr, flush=True)
    return EXIT_REJECTED if failed else EXIT_OK
