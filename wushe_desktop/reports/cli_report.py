"""``report monthly|period|lock``: the work report from the command line.

    report monthly --month 2026-01 --out 月报.pdf [--xlsx 月报.xlsx] [--json]
    report period --from 2026-01-01 --to 2026-03-31 --out 一季度.pdf   (or --period 2026-Q1)
    report district --month 2026-01 --out 全区.pdf [--xlsx 全区.xlsx]   (a district user)
    report lock --month 2026-01                                         (定稿, the director)

``--json`` prints the period's figures as JSON on stdout (messages go to stderr then).
Module-level imports stay light: the parser imports this module for ``--help``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["add_report_parser", "cmd_report"]


def add_report_parser(
    sub: argparse._SubParsersAction,
    date_arg: Callable[[str], date],
    add_user_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    report = sub.add_parser("report", help="生成工作报告（PDF 与 Excel，可输出 JSON）")
    kinds = report.add_subparsers(dest="report_kind", metavar="报告类型", required=True)

    def outputs(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--out", help="输出的 .pdf 文件")
        cmd.add_argument("--xlsx", help="同时输出的 Excel 文件（.xlsx）")
        cmd.add_argument("--json", action="store_true", help="在标准输出打印各项指标（JSON）")
        cmd.add_argument("--community", help="只统计某个社区（村），填社区名称")
        cmd.add_argument("--live", action="store_true", help="已定稿的月份也按当前数据统计")
        add_user_args(cmd)

    monthly = kinds.add_parser("monthly", help="月度工作报告")
    monthly.add_argument("--month", required=True, help="月份，如 2026-01")
    outputs(monthly)

    period = kinds.add_parser("period", help="任意期间（季度、半年、年度或日期范围）的工作报告")
    period.add_argument("--from", dest="date_from", type=date_arg, help="起始日期，如 2026-01-01")
    period.add_argument("--to", dest="date_to", type=date_arg, help="截止日期（含当日）")
    period.add_argument("--period", help="或写期间：2026-Q1、2026-H1、2026")
    outputs(period)

    district = kinds.add_parser(
        "district", help="区级汇总报告：各站点指标对比与合计、重点人群覆盖率排名（区级账户）"
    )
    district.add_argument("--month", help="月份，如 2026-01")
    district.add_argument("--from", dest="date_from", type=date_arg, help="起始日期")
    district.add_argument("--to", dest="date_to", type=date_arg, help="截止日期（含当日）")
    district.add_argument("--period", help="或写期间：2026-Q1、2026-H1、2026")
    outputs(district)

    lock = kinds.add_parser("lock", help="定稿某月的报告（站长）")
    lock.add_argument("--month", required=True, help="月份，如 2026-01")
    add_user_args(lock)


def _period(args: argparse.Namespace) -> Any:
    from wushe_desktop.cli.parser import UsageError
    from wushe_desktop.reports.periods import Period, parse_month

    if args.report_kind in ("monthly", "lock") or getattr(args, "month", None):
        year, month = parse_month(args.month)
        return Period.month(year, month)
    if args.period:
        return Period.parse(args.period)
    if args.date_from is None or args.date_to is None:
        raise UsageError("请用 --from 和 --to 指定期间（或用 --period，如 2026-Q1）")
    return Period.between(args.date_from, args.date_to)


def _community_id(session: Any, actor: Any, name: str | None) -> Any:
    if not name:
        return None
    from wushe_desktop.infra.errors import NotFound
    from wushe_desktop.stations.service import find_community_by_name

    found = find_community_by_name(session, actor, name)
    if found is None:
        raise NotFound(f"本站没有名为“{name}”的社区（村）。")
    return found.id


def _print_json(content: Any) -> None:
    data = content.data
    out = {
        "title": data["title"],
        "period": data["period"],
        "scope": {k: v for k, v in data["scope"].items() if v},
        "locked": data.get("locked"),
        "figures": data["columns"][0]["values"],
        "stations": [{"name": s["name"], "figures": s["values"]} for s in data.get("stations", [])],
        "comparisons": [
            {"heading": c["heading"], "period": c["period"], "figures": c["values"]}
            for c in data["columns"][1:]
        ],
    }
    print(json.dumps(out, ensure_ascii=False, indent=2), flush=True)


def cmd_report(args: argparse.Namespace) -> int:
    from wushe_desktop.cli.commands import _progress_printer, open_database, sign_in_from_args
    from wushe_desktop.cli.parser import EXIT_OK, UsageError
    from wushe_desktop.reports.scope import resolve_scope

    period = _period(args)
    say = print if not getattr(args, "json", False) else _stderr
    if args.report_kind == "lock":
        from wushe_desktop.reports.locks import lock_report

        with open_database(args, lock=True) as db:
            actor = sign_in_from_args(db, args)
            with db.transaction() as session:
                _, info = lock_report(
                    session,
                    actor,
                    period,
                    resolve_scope(session, actor),
                    progress=_progress_printer(),
                )
        say(f"{period.label}的报告已定稿，校验码 {info.digest}")
        return EXIT_OK
    if not (args.out or args.xlsx or args.json):
        raise UsageError("请至少指定 --out（PDF）、--xlsx 或 --json 之一")
    from wushe_desktop.reports.service import write_report

    with open_database(args, lock=False) as db:
        actor = sign_in_from_args(db, args)
        if args.report_kind == "district" and (not actor.is_district or args.community):
            from wushe_desktop.infra.errors import PermissionDenied

            raise PermissionDenied("区级汇总报告需要用区级账户生成（且不能只选一个社区）。")
        with db.transaction() as session:
            scope = resolve_scope(
                session, actor, community_id=_community_id(session, actor, args.community)
            )
            done = write_report(
                session,
                actor,
                period,
                scope,
                pdf=Path(args.out) if args.out else None,
                xlsx=Path(args.xlsx) if args.xlsx else None,
                live=args.live,
                progress=_progress_printer(),
            )
    if args.json:
        _print_json(done.content)
    locked = "（已定稿，按定稿数据）" if done.locked else ""
    if done.pdf is not None:
        say(f"已生成{done.content.title}{locked}：{done.pdf}（{done.pages} 页）")
    if done.xlsx is not None:
        say(f"已生成 Excel：{done.xlsx}（{done.sheets} 个工作表）")
    return EXIT_OK


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
