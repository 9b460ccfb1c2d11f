"""Argument parsing with Chinese help and errors (usage errors exit with status 2)."""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import NoReturn

from wushe_desktop.cli.exchange import EXCHANGES
from wushe_desktop.exchange.cli_package import add_package_parser
from wushe_desktop.reports.cli_report import add_report_parser
from wushe_desktop.volunteers.cli_certificate import add_certificate_parser

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line usage; exit status 2."""


#: argparse's English messages, in Chinese (the rest of the message is kept as is).
_MESSAGES = (
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (re.compile(r"the following arguments are required: (.*)"), "缺少必需的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^' ]*)'?.*choose from (.*)\)"),
        "参数 {0} 的取值“{1}”无效，可选：{2}",
    ),
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), "参数 {0} 需要整数，而不是“{1}”"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
)


def chinese_message(message: str) -> str:
    for pattern, template in _MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return message


class ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(
            f"命令参数有误：{chinese_message(message)}。运行 “wushe-desktop --help” 查看用法。"
        )


def build_parser() -> ChineseParser:
    p = ChineseParser(
        prog="wushe-desktop",
        description="五社联动工作站。不带命令时启动图形界面；带命令时在命令行执行，不打开窗口。",
    )
    p.add_argument(
        "--db",
        help="数据库文件路径或 SQLAlchemy 地址（默认：用户数据目录；也可用环境变量 WUSHE_DB）",
    )
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)

    init = sub.add_parser("init", help="创建数据库与站点（非交互）")
    init.add_argument("--station", required=True, help="站点名称，如“清河街道社工站”")
    init.add_argument("--township", required=True, help="所属乡镇（街道）")
    init.add_argument("--district", default="", help="所属县（区）")
    init.add_argument("--code", default="", help="站点编码（默认由名称生成）")
    init.add_argument(
        "--admin", required=True, help="站长账户用户名；密码取自环境变量 WUSHE_ADMIN_PASSWORD"
    )
    init.add_argument("--admin-name", default="站长", help="站长显示名")

    demo = sub.add_parser("demo", help="载入演示数据（可重复、确定性）")
    demo.add_argument("--scale", choices=["small", "large"], default="small")
    demo.add_argument("--seed", type=int, default=1)

    sub.add_parser("check", help="检查迁移状态与数据库完整性")

    backup = sub.add_parser("backup", help="在线备份数据库")
    backup.add_argument("--out", help="备份文件路径（默认：数据目录下 backups/）")

    restore = sub.add_parser("restore", help="从备份恢复数据库（恢复前自动备份当前数据）")
    restore.add_argument("file")

    what_help = "；".join(f"{e.key}：{e.label}" for e in EXCHANGES.values())
    importable = [k for k, e in EXCHANGES.items() if e.can_import]
    with_template = [k for k, e in EXCHANGES.items() if e.can_template]

    tpl = sub.add_parser("template", help="生成导入模板")
    tpl.add_argument("what", choices=with_template, help=what_help)
    tpl.add_argument("--out", required=True, help="输出的 .xlsx 文件")

    exp = sub.add_parser("export", help="导出 Excel")
    exp.add_argument("what", choices=list(EXCHANGES), help=what_help)
    exp.add_argument("--out", required=True, help="输出的 .xlsx 文件")
    _add_user_args(exp)
    exp.add_argument("--full", action="store_true", help="导出完整身份证号与电话（需权限）")
    exp.add_argument("--search", default="", help="按姓名、拼音、证件号或电话筛选")
    exp.add_argument("--deleted", action="store_true", help="导出回收站中的记录")
    exp.add_argument("--from", dest="date_from", type=_date_arg, help="起始日期，如 2026-01-01")
    exp.add_argument("--to", dest="date_to", type=_date_arg, help="截止日期（含当日）")

    imp = sub.add_parser("import", help="从 Excel 导入")
    imp.add_argument("what", choices=importable, help=what_help)
    imp.add_argument("file", help="要导入的 .xlsx 文件")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--strict", action="store_true", help="有任何一行被拒绝则全部不导入")
    imp.add_argument("--errors-out", help="错误工作簿路径（默认：源文件旁 *_错误.xlsx）")
    _add_user_args(imp)
    add_certificate_parser(sub, _date_arg, _add_user_args)
    add_report_parser(sub, _date_arg, _add_user_args)
    add_package_parser(sub, _date_arg, _add_user_args)
    return p


def _date_arg(text: str) -> date:
    from wushe_desktop.domain.dates import parse_date
    from wushe_desktop.infra.errors import ValidationError

    try:
        return parse_date(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _add_user_args(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--user",
        help="以哪个账户操作（默认取环境变量 WUSHE_USER）；密码取自 WUSHE_PASSWORD 或交互输入",
    )
